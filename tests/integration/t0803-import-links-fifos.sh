#!/bin/sh
# goreg-import never reads a file of the tree through a symbolic link and
# never waits on a FIFO: a .zip, .mod or .info that is a link (to a file
# the tree's owner may not read, say) or a FIFO is reported invalid with
# its one-line reason and left out; the other versions are imported.  A
# linked module or @v directory is not walked into, and a module cache
# whose cache/download is a link is refused whole.  Each run is bounded
# by `timeout`: an import that blocks on a FIFO fails instead of hanging.
. "$(dirname "$0")/lib.sh"

snapshot() {
	(cd "$1" && find . | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}

# the source: an owner tree of a store, a file-based GOPROXY tree
S=$T/src-store
M=example.com/links
make_module "$T/m" $M links
for v in v1.0.0 v1.1.0 v1.2.0 v1.3.0 v1.4.0 v1.5.0; do
	printf 'package links\n\nconst Version = "%s"\n' $v > "$T/m/v.go"
	pack $M $v "$T/m" "$T/m-$v.zip" || bail "goreg-pack $v failed"
	"$B/goreg-upload" -r "$S" acme "$T/m-$v.zip" 2>/dev/null || bail "goreg-upload $v failed"
done
for m in other vlink; do
	make_module "$T/$m" example.com/$m $m
	pack example.com/$m v1.0.0 "$T/$m" "$T/$m.zip" || bail "goreg-pack $m failed"
	"$B/goreg-upload" -r "$S" acme "$T/$m.zip" 2>/dev/null || bail "goreg-upload $m failed"
done

# outside the tree: what the links point at, all valid for the versions
O=$T/outside
mkdir -p "$O"
G=$T/proxy
cp -R "$S/acme" "$G"
rm -f "$G/index.tdb"
V=$G/example.com/links/@v
for f in v1.0.0.zip v1.1.0.mod v1.2.0.info; do
	mv "$V/$f" "$O/$f"
	ln -s "$O/$f" "$V/$f"
done
rm "$V/v1.3.0.zip" "$V/v1.4.0.mod"
mkfifo "$V/v1.3.0.zip" "$V/v1.4.0.mod"
# a module directory and an @v directory that are links
mv "$G/example.com/other" "$O/other"
ln -s "$O/other" "$G/example.com/other"
mv "$G/example.com/vlink/@v" "$O/vlink-v"
ln -s "$O/vlink-v" "$G/example.com/vlink/@v"

D=$T/store
out=$(timeout 30 "$B/goreg-import" -r "$D" acme "$G" 2>"$T/err")
is $? 1 "exit 1: some versions were invalid (and no FIFO blocked the run)"
printf '%s\n' "$out" | sed 's/^/# /'
is "$(printf '%s\n' "$out" | grep -c .)" 6 "six lines: one per version of $M, none for the linked directories"
like "$out" "^invalid $M@v1.0.0: v1.0.0.zip: a symbolic link, not a regular file$" "a linked .zip is refused"
like "$out" "^invalid $M@v1.1.0: v1.1.0.mod: a symbolic link, not a regular file$" "a linked .mod is refused"
like "$out" "^invalid $M@v1.2.0: v1.2.0.info: a symbolic link, not a regular file$" "a linked .info is refused"
like "$out" "^invalid $M@v1.3.0: v1.3.0.zip: not a regular file$" "a FIFO .zip is refused at once"
like "$out" "^invalid $M@v1.4.0: v1.4.0.mod: not a regular file$" "a FIFO .mod is refused at once"
like "$out" "^imported $M@v1.5.0$" "the regular version is imported"
is "$(cat "$T/err")" "goreg-import: 1 imported, 0 existed, 5 invalid" "the summary counts them"
is "$("$B/goreg-list" -r "$D" acme $M)" "v1.5.0" "the store lists only the regular version"
"$B/goreg-info" -r "$D" acme example.com/other v1.0.0 >/dev/null 2>&1
is $? 1 "the module behind a linked directory is not imported"
"$B/goreg-info" -r "$D" acme example.com/vlink v1.0.0 >/dev/null 2>&1
is $? 1 "nor the versions of a linked @v directory"

# -n says the same and changes nothing
before=$(snapshot "$D")
out2=$(timeout 30 "$B/goreg-import" -n -r "$D" acme "$G" 2>/dev/null)
is $? 1 "-n: exit 1 as well"
is "$(printf '%s\n' "$out2" | grep -c '^invalid')" 5 "-n: the same five invalid versions"
is "$(snapshot "$D")" "$before" "-n changed nothing"

# a module cache whose cache/download is a link: refused, nothing read
C=$T/gomodcache
mkdir -p "$C/cache"
ln -s "$G" "$C/cache/download"
D2=$T/store2
out=$(timeout 30 "$B/goreg-import" -r "$D2" acme "$C" 2>"$T/err")
is $? 1 "a linked cache/download: exit 1"
is "$out" "invalid cache/download: a symbolic link on its path, not followed" "reported in one line"
is "$(cat "$T/err")" "goreg-import: 0 imported, 0 existed, 1 invalid" "nothing imported"
test ! -e "$D2/acme"
ok $? "no owner tree was made"
# a GOPATH whose pkg is a link, likewise
P=$T/gopath
mkdir -p "$P"
mkdir -p "$O/pkg/mod/cache"
ln -s "$G" "$O/pkg/mod/cache/download"
ln -s "$O/pkg" "$P/pkg"
out=$(timeout 30 "$B/goreg-import" -r "$D2" acme "$P" 2>/dev/null)
is $? 1 "a GOPATH with a linked pkg: exit 1"
is "$out" "invalid pkg/mod/cache/download: a symbolic link on its path, not followed" "reported in one line"
# the directory named on the command line may itself be a link
ln -s "$G" "$T/proxy-link"
out=$(timeout 30 "$B/goreg-import" -n -r "$D2" acme "$T/proxy-link" 2>/dev/null)
like "$out" "^import $M@v1.5.0$" "dir given as a link is followed (the operator names it)"

done_testing
