#!/bin/sh
# ci-publish.sh: publish a pushed tag to a goreg registry on another
# machine, from a CI job (GitLab CI, GitHub Actions, Woodpecker, a cron
# job...), with goreg-pack and curl.  Run it in a clean checkout of the tag:
#
#   sh etc/git/ci-publish.sh "$CI_COMMIT_TAG"          # GitLab CI
#   sh etc/git/ci-publish.sh "$GITHUB_REF_NAME"        # GitHub Actions
#
# Environment:
#   GOREG_URL     the owner's base, e.g. https://goreg.example.com/api/packages/acme/go
#   GOREG_USER    the registry user, and GOREG_TOKEN its token (goreg-admin token add)
#   GOREG_MODULE  the module path, for a repository without go.mod
#   GOREG_PACK    the goreg-pack program (default: from PATH)
#
# The tag maps to a module as the go command maps it (go.dev/ref/mod,
# "Mapping versions to commits"): vX.Y.Z is the module at the root,
# DIR/vX.Y.Z the one in DIR; for vN (N >= 2) a DIR/vN/go.mod is used when
# there is one; a v2+ tag of a repository without go.mod is +incompatible.
# Prints "published M@V", "present M@V" (the registry has these very
# bytes) or "refused M@V: reason"; exits 0, 1 (refused) or 111.
set -u
tag=${1:?usage: ci-publish.sh TAG}
: "${GOREG_URL:?GOREG_URL is not set}" "${GOREG_USER:?GOREG_USER is not set}" "${GOREG_TOKEN:?GOREG_TOKEN is not set}"
pack=${GOREG_PACK:-goreg-pack}

case $tag in
*/*) dir=${tag%/*} ver=${tag##*/} ;;
*) dir=. ver=$tag ;;
esac
case $ver in
v[0-9]*.[0-9]*.[0-9]*) ;;
*) echo "ci-publish.sh: tag '$tag' is not [DIR/]vX.Y.Z: nothing published" >&2; exit 1 ;;
esac
major=${ver%%.*}
moddir=$dir
if [ "$major" != v0 ] && [ "$major" != v1 ] && [ -f "$dir/$major/go.mod" ]; then
	moddir=$dir/$major
fi
module=
if [ -f "$moddir/go.mod" ]; then
	module=$(sed -n 's/^module[[:space:]]\{1,\}"\{0,1\}\([^"[:space:]]*\)"\{0,1\}.*/\1/p' "$moddir/go.mod" | head -n 1)
elif [ "$dir" = . ]; then
	module=${GOREG_MODULE-}
	# "Compatibility with non-module repositories"
	case $major in v0|v1) ;; *) ver=$ver+incompatible ;; esac
fi
if [ -z "$module" ]; then
	echo "ci-publish.sh: no module path for '$tag': no go.mod in '$moddir' (set GOREG_MODULE)" >&2
	exit 1
fi

tmp=$(mktemp -d) || exit 111
trap 'rm -rf "$tmp"' EXIT
src=$moddir
# the go command adds the repository's LICENSE to a module in a
# subdirectory that has none of its own
if [ "$moddir" != . ] && [ ! -e "$moddir/LICENSE" ] && [ -f LICENSE ]; then
	mkdir "$tmp/src" && cp -R "$moddir/." "$tmp/src/" && cp LICENSE "$tmp/src/LICENSE" || exit 111
	src=$tmp/src
fi
"$pack" -o "$tmp/m.zip" "$module" "$ver" "$src" || exit 1

code=$(curl -sS -o "$tmp/body" -w '%{http_code}' --user "$GOREG_USER:$GOREG_TOKEN" \
	--upload-file "$tmp/m.zip" "$GOREG_URL/upload") || exit 111
case $code in
201) echo "published $module@$ver"; exit 0 ;;
409) ;;
5*|000) echo "refused $module@$ver: $(head -n 1 "$tmp/body")"; exit 111 ;;
*) echo "refused $module@$ver: $(head -n 1 "$tmp/body")"; exit 1 ;;
esac
# already there: the same bytes (goreg-pack makes the same zip from the
# same tree), or a tag that moved, which is never published again
# shellcheck disable=SC2018,SC2019
esc() { printf '%s' "$1" | LC_ALL=C sed 's/[A-Z]/!&/g' | LC_ALL=C tr 'A-Z' 'a-z'; }
curl -sS -f -o "$tmp/there.zip" --user "$GOREG_USER:$GOREG_TOKEN" \
	"$GOREG_URL/$(esc "$module")/@v/$(esc "$ver").zip" || exit 111
if cmp -s "$tmp/m.zip" "$tmp/there.zip"; then
	echo "present $module@$ver"
	exit 0
fi
echo "refused $module@$ver: already published with other content: a moved tag is not published again"
exit 1
