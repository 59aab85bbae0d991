#!/bin/sh
# goreg-git, judged by the go command: a repository with a root module, a
# module in a subdirectory, a /v2 module in a major subdirectory,
# pre-release tags and untagged commits, and one without go.mod (v2.0.0 is
# then +incompatible).  The go command in direct mode (GOPROXY=direct, the
# module paths end in .git, git's url.insteadOf points them at the local
# repositories) must resolve the same versions and pseudo-versions, and the
# go command reading goreg-httpd must get the same h1: sums (zip and
# go.mod) as direct mode computes from the repository.
. "$(dirname "$0")/lib.sh"

command -v go >/dev/null 2>&1 || skip_all "no go command"
command -v git >/dev/null 2>&1 || skip_all "no git"

R=$T/store
A=$T/repo
O=$T/old
M=example.com/repo.git
MO=example.com/old.git
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com
export GIT_CONFIG_NOSYSTEM=1 HOME="$T/home"
mkdir -p "$HOME"
git config --global init.defaultBranch main
# direct mode's fetches go to the local repositories: the go command
# pings and clones https://example.com/repo for the path example.com/repo.git
git config --global url."file://$A".insteadOf "https://example.com/repo"
git config --global url."file://$O".insteadOf "https://example.com/old"
git config --global protocol.file.allow always

# commit MESSAGE DAY: a commit at a fixed time (day DAY of March 2024, UTC)
commit() {
	d="2024-03-$2T10:20:30Z"
	git add -A && GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -qm "$1"
}

git init -q "$A" && cd "$A" || bail "no repository"
printf 'module %s\n\ngo 1.19\n' "$M" > go.mod
printf 'package repo\n\nconst V = 1\n' > repo.go
printf 'root licence\n' > LICENSE
mkdir -p sub vendor/example.com/x inner
printf 'module %s/sub\n\ngo 1.19\n' "$M" > sub/go.mod
printf 'package sub\n' > sub/sub.go
printf 'package x\n' > vendor/example.com/x/x.go
printf '# vendored\n' > vendor/modules.txt
printf 'module %s/inner\n' "$M" > inner/go.mod
printf 'package inner\n' > inner/inner.go
ln -s repo.go link.go
printf '* export-ignore\n' > .gitattributes
# a submodule (a gitlink): no file of the module, as git archive has it
git add -A && git update-index --add --cacheinfo 160000,1111111111111111111111111111111111111111,ext
GIT_AUTHOR_DATE=2024-03-01T10:20:30Z GIT_COMMITTER_DATE=2024-03-01T10:20:30Z git commit -qm one
git tag v1.0.0 && git tag sub/v0.1.0 && git tag release-1
printf 'package repo\n\nconst V = 2\n' > repo.go
commit two 02
git tag -a -m rc v1.1.0-rc.1
mkdir v2
printf 'module %s/v2\n\ngo 1.19\n' "$M" > v2/go.mod
printf 'package repo\n\nconst V = 3\n' > v2/repo.go
commit three 03
git tag v2.0.0
printf 'package repo\n\nconst V = 4\n' > repo.go
printf 'package sub\n\nconst S = 1\n' > sub/sub.go
printf 'package repo\n\nconst V = 5\n' > v2/repo.go
commit four 04
HEAD4=$(git rev-parse HEAD)

git init -q "$O" && cd "$O" || bail "no repository"
printf 'package old\n' > old.go
commit first 05
FIRST=$(git rev-parse HEAD)
printf 'package old\n\nconst V = 1\n' > old.go
commit v1 06
git tag v1.0.0
printf 'package old\n\nconst V = 2\n' > old.go
commit v2 07
git tag v2.0.0
printf 'package old\n\nconst V = 3\n' > old.go
commit after 08
OHEAD=$(git rev-parse HEAD)

# a /v3 module whose go.mod is at the root, after a v2.0.0 tag that the
# go command refuses (a go.mod without /v2)
J=$T/maj
git config --global url."file://$J".insteadOf "https://example.com/maj"
git init -q "$J" && cd "$J" || bail "no repository"
printf 'module example.com/maj.git\n' > go.mod
printf 'package maj\n' > maj.go
commit m1 11
git tag v2.0.0
printf 'module example.com/maj.git/v3\n' > go.mod
commit m3 12
git tag v3.1.0

# ---- bad input: one line, exit 1 or 2, the store untouched ----
mkdir -p "$R"
"$B/goreg-admin" -r "$R" user add acme >/dev/null || bail "user add"
snap() { (cd "$R" && find . | sort && cat audit.log 2>/dev/null) | cksum; }
before=$(snap)
bad() { # bad WANT-EXIT WANT-STDERR-REGEX DESCRIPTION ARGS...
	want=$1 re=$2 desc=$3
	shift 3
	"$B/goreg-git" -r "$R" "$@" > "$T/out" 2> "$T/err"
	is "$?" "$want" "$desc: exit $want"
	is "$(wc -l < "$T/err" | tr -d ' ')" 1 "$desc: one line on stderr"
	like "$(cat "$T/err")" "$re" "$desc: says why"
	is "$(cat "$T/out")" "" "$desc: nothing on stdout"
	is "$(snap)" "$before" "$desc: the store unchanged"
}
bad 2 "^usage: goreg-git " "no operands"
bad 1 "^goreg-git: not a git repository: '$T/nothere'" "not a directory" acme "$T/nothere"
mkdir -p "$T/plain"
bad 1 "^goreg-git: not a git repository: '$T/plain'" "not a repository" acme "$T/plain"
bad 1 "^goreg-git: unable to publish 'nosuchref': no such commit 'nosuchref'" "an unknown ref" acme "$A" nosuchref
bad 1 "^goreg-git: unable to publish 'release-1': tag release-1 is not \\[DIR/\\]vX.Y.Z" "a tag that is no version" acme "$A" release-1
bad 1 "^goreg-git: unable to publish 'v1.0.0': no go.mod in the repository's root at [0-9a-f]{12}: name the module with -m" \
	"no go.mod and no -m" acme "$O" v1.0.0
bad 1 "^goreg-git: unable to publish 'main': no go.mod at the root of main: name the module with -m" \
	"a commit without go.mod and no -m" acme "$O" main
bad 1 "^goreg-git: unable to publish 'release-1': " "one bad ref publishes none of the others" acme "$A" v1.0.0 release-1
bad 1 "^goreg-git: unable to publish 'v1.0.0': module path example.com/other does not end in /sub|declares module" \
	"-m that is not the tag's module" -m example.com/other acme "$A" v1.0.0

# ---- every version tag, then commits, then the repository without go.mod ----
"$B/goreg-git" -r "$R" acme "$A" > "$T/out" 2> "$T/err"
ok $? "goreg-git publishes every version tag"
is "$(sort "$T/out")" "$(printf 'published %s\n' "$M/sub@v0.1.0" "$M/v2@v2.0.0" "$M@v1.0.0" "$M@v1.1.0-rc.1" | sort)" \
	"one line per version: the root, subdirectory, pre-release and /v2 tags"
"$B/goreg-git" -r "$R" acme "$A" > "$T/out2" 2>&1
ok $? "running it again succeeds"
is "$(sort "$T/out2")" "$(sed 's/^published/present/' "$T/out" | sort)" "and publishes nothing new: all present"
is "$("$B/goreg-git" -r "$R" acme "$A" refs/tags/sub/v0.1.0)" "present $M/sub@v0.1.0" "a tag may be named refs/tags/TAG"

"$B/goreg-git" -r "$R" acme "$A" main > "$T/p-root" && \
"$B/goreg-git" -r "$R" -m "$M/sub" acme "$A" main > "$T/p-sub" && \
"$B/goreg-git" -r "$R" -m "$M/v2" acme "$A" "$HEAD4" > "$T/p-v2" && \
"$B/goreg-git" -r "$R" -m "$MO" acme "$O" > "$T/p-old" && \
"$B/goreg-git" -r "$R" -m "$MO" acme "$O" "$FIRST" main > "$T/p-oldc"
ok $? "pseudo-versions for the root, subdirectory and /v2 modules, and the module without go.mod"
pv() { sed -n 's/^published [^@]*@//p' "$1"; }

"$B/goreg-git" -r "$R" acme "$J" > "$T/p-maj" 2> "$T/err"
is "$?" 1 "a v2.0.0 tag of a module without /v2 in its go.mod: exit 1"
is "$(cat "$T/p-maj")" "published example.com/maj.git/v3@v3.1.0" "the /v3 module with its go.mod at the root is published"
like "$(cat "$T/err")" "^goreg-git: unable to publish 'v2.0.0': example.com/maj.git@v2.0.0: module contains a go.mod file, so module path must match major version" \
	"the v2.0.0 tag is refused as the go command refuses it"

# ---- the go command, direct from the repositories ----
mkdir -p "$T/app" && cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
direct() { go_env GOPROXY=direct GOPRIVATE='example.com/*' GONOSUMDB='*' GOSUMDB=off "$@"; }
golist() { direct go list -m -json "$1" 2>"$T/golist.err" | sed -n 's/.*"Version": "\([^"]*\)".*/\1/p'; }
is "$(pv "$T/p-root")" "$(golist "$M@$HEAD4")" "the root module's pseudo-version is the go command's"
like "$(pv "$T/p-root")" '^v1\.1\.0-rc\.1\.0\.20240304102030-[0-9a-f]{12}$' "after a pre-release: vX.Y.Z-pre.0.TIME-HASH"
is "$(pv "$T/p-sub")" "$(golist "$M/sub@$HEAD4")" "the subdirectory module's pseudo-version is the go command's"
like "$(pv "$T/p-sub")" '^v0\.1\.1-0\.20240304102030-' "after a release: vX.Y.(Z+1)-0.TIME-HASH"
is "$(pv "$T/p-v2")" "$(golist "$M/v2@$HEAD4")" "the /v2 module's pseudo-version is the go command's"
is "$(pv "$T/p-old")" "$(printf 'v1.0.0\nv2.0.0+incompatible')" "without go.mod, v2.0.0 is v2.0.0+incompatible"
is "$(golist "$MO@v2.0.0")" "v2.0.0+incompatible" "as the go command says"
direct go list -m example.com/maj.git@v2.0.0 > /dev/null 2> "$T/golist.err"
like "$(cat "$T/golist.err")" 'module contains a go.mod file, so module path must match major version' \
	"the go command refuses that v2.0.0 too"
is "$(pv "$T/p-oldc" | head -1)" "$(golist "$MO@$FIRST")" "a commit before any tag: the go command's vX.0.0-TIME-HASH"
like "$(pv "$T/p-oldc" | head -1)" '^v0\.0\.0-20240305102030-[0-9a-f]{12}$' "the epoch form"
is "$(pv "$T/p-oldc" | tail -1)" "$(golist "$MO@$OHEAD")" "after v2.0.0+incompatible: the go command's pseudo-version"
like "$(pv "$T/p-oldc" | tail -1)" '^v2\.0\.1-0\.20240308102030-[0-9a-f]{12}\+incompatible$' "with +incompatible"

# every version published, downloaded both ways: the same h1: sums
start_httpd "$R"
viagoreg() { go_env GOPROXY="$BASE/api/packages/acme/go" GOMODCACHE="$T/cache2" GONOSUMDB='*' GOSUMDB=off "$@"; }
sums() { sed -n 's/.*"\(Sum\|GoModSum\)": "\(h1:[^"]*\)".*/\1 \2/p' | tr '\n' ' '; }
for mv in "$M@v1.0.0" "$M@v1.1.0-rc.1" "$M/sub@v0.1.0" "$M/v2@v2.0.0" "$M@$(pv "$T/p-root")" \
	"$M/sub@$(pv "$T/p-sub")" "$M/v2@$(pv "$T/p-v2")" "$MO@v1.0.0" "$MO@v2.0.0+incompatible" \
	"$MO@$(pv "$T/p-oldc" | head -1)" "$MO@$(pv "$T/p-oldc" | tail -1)" example.com/maj.git/v3@v3.1.0; do
	d=$(direct go mod download -json "$mv" | sums)
	g=$(viagoreg go mod download -json "$mv" | sums)
	like "$d" '^Sum h1:.*GoModSum h1:' "direct mode downloads $mv"
	is "$g" "$d" "goreg-httpd serves $mv with direct mode's h1: sums"
done
"$B/goreg-info" -r "$R" acme "$M" v1.0.0 > "$T/info"
like "$(cat "$T/info")" '"Time":"2024-03-01T10:20:30Z"' "a version's time is its commit's, as in direct mode"
grep -q " upload acme $M v1.0.0 git:local:" "$R/audit.log"
ok $? "the audit log says the version came from git"

# ---- a moved tag is refused, nothing overwritten ----
cd "$A" || bail "no repository"
zipsum=$("$B/goreg-zip" -r "$R" acme "$M" v1.0.0 | cksum)
git tag -f v1.0.0 HEAD >/dev/null 2>&1
"$B/goreg-git" -r "$R" acme "$A" v1.0.0 > "$T/out" 2> "$T/err"
is "$?" 1 "a moved tag: exit 1"
like "$(cat "$T/out")" "^refused $M@v1.0.0: already published with other content \\(h1:.*\\), v1.0.0 now gives h1:" \
	"a moved tag is refused and says so"
is "$("$B/goreg-zip" -r "$R" acme "$M" v1.0.0 | cksum)" "$zipsum" "the published zip is unchanged"

# ---- the shipped hook: a pushed tag is downloadable through goreg-httpd ----
H=$T/hosted.git
git init -q --bare "$H"
cp "$GOREG_TOP/etc/git/post-receive" "$H/hooks/post-receive"
git -C "$H" config goreg.owner acme
git -C "$H" config goreg.root "$R"
git -C "$H" config goreg.git "$B/goreg-git"
git config --global url."file://$H".insteadOf "https://example.com/hosted"
W=$T/work
git init -q "$W" && cd "$W" || bail "no work tree"
printf 'module example.com/hosted.git\n\ngo 1.19\n' > go.mod
printf 'package hosted\n' > hosted.go
commit hosted 09
git tag v0.3.0 && git tag not-a-version
git push -q "$H" main v0.3.0 not-a-version > "$T/push" 2>&1
ok $? "git push to the bare repository with the hook"
like "$(cat "$T/push")" "published example.com/hosted.git@v0.3.0" "the hook published the pushed tag"
cd "$T/app" || bail "no app dir"
d=$(direct go mod download -json example.com/hosted.git@v0.3.0 | sums)
g=$(viagoreg go mod download -json example.com/hosted.git@v0.3.0 | sums)
like "$g" '^Sum h1:' "the go command downloads the pushed version through goreg-httpd"
is "$g" "$d" "with direct mode's h1: sums"

# ---- the CI snippet: goreg-pack and curl over HTTP ----
TOKEN=$("$B/goreg-admin" -r "$R" token add acme) || bail "token add"
cd "$W" || bail "no work tree"
printf 'hosted licence\n' > LICENSE
mkdir tool
printf 'module example.com/hosted.git/tool\n\ngo 1.19\n' > tool/go.mod
printf 'package tool\n' > tool/tool.go
commit tool 10
git tag tool/v1.0.0
ci() { env GOREG_URL="$BASE/api/packages/acme/go" GOREG_USER=acme GOREG_TOKEN="$TOKEN" \
	GOREG_PACK="$B/goreg-pack" sh "$GOREG_TOP/etc/git/ci-publish.sh" "$@"; }
is "$(ci tool/v1.0.0)" "published example.com/hosted.git/tool@v1.0.0" "ci-publish.sh publishes a subdirectory's tag"
is "$(ci tool/v1.0.0)" "present example.com/hosted.git/tool@v1.0.0" "and again: present"
ci not-a-version > "$T/out" 2> "$T/err"
is "$?" 1 "ci-publish.sh refuses a tag that is no version"
# the hook, on the same tag pushed now, finds the very same h1: present
git push -q "$H" main tool/v1.0.0 > "$T/push" 2>&1
like "$(cat "$T/push")" "present example.com/hosted.git/tool@v1.0.0" \
	"goreg-git packs the same module (the root LICENSE added) as ci-publish.sh did"
cd "$T/app" || bail "no app dir"
d=$(direct go mod download -json example.com/hosted.git/tool@v1.0.0 | sums)
g=$(viagoreg go mod download -json example.com/hosted.git/tool@v1.0.0 | sums)
like "$g" '^Sum h1:' "the go command downloads what ci-publish.sh published"
is "$g" "$d" "with direct mode's h1: sums"

done_testing
