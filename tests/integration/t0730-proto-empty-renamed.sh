#!/bin/sh
# What the go command accepts, goreg accepts: a module zip with no entries
# (x/mod's CheckZip takes it, and the go command synthesises the go.mod)
# uploaded with ?module=M&version=V, and a renamed module's last version,
# whose go.mod declares the new path so that the go command reads its
# "// Deprecated:" line, uploaded with ?renamed=1 (goreg-upload -m -V -R
# on the command line).  The go command is the judge.  Refusals name the
# way out and change nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
command -v go >/dev/null 2>&1 || skip_all "no go command"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go

# an empty zip: the end of central directory record alone
printf 'PK\005\006\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' > "$T/empty.zip"
snap() { store_snap > "$T/snap.$1"; }
snap before
is "$(upload "$T/empty.zip")" 400 "an empty zip without a name: 400"
like "$(cat "$T/body")" 'no module@version/ prefix \(name the version: upload\?module=M&version=V\)' \
	"the refusal says how to name it"
is "$(http --user "acme:$TOKEN" --upload-file "$T/empty.zip" "$U/upload?module=example.com/empty")" 400 \
	"module without version: 400"
like "$(cat "$T/body")" 'module and version go together' "and says why"
is "$(http --user "acme:$TOKEN" --upload-file "$T/empty.zip" "$U/upload?modul=example.com/empty&version=v1.0.0")" 400 \
	"a misspelt parameter: 400, not ignored"
like "$(cat "$T/body")" 'unknown or malformed query parameter "modul=example.com/empty"' "naming it"
is "$(http --user "acme:$TOKEN" --upload-file "$T/empty.zip" "$U/upload?module=example.com/empty&version=1.0.0")" 400 \
	"a version without its v: 400"
is "$(http --user "acme:$TOKEN" --upload-file "$T/hello.zip" "$U/upload?module=example.com/hello&version=v1.0.1")" 400 \
	"a named version the entries contradict: 400"
like "$(cat "$T/body")" 'the zip holds "example.com/hello"@v1.0.0, not "example.com/hello"@v1.0.1' "naming both"
snap after
cmp -s "$T/snap.before" "$T/snap.after"
ok $? "the refusals changed nothing in the store"

is "$(http --user "acme:$TOKEN" --upload-file "$T/empty.zip" "$U/upload?module=example.com/empty&version=v1.0.0")" 201 \
	"an empty zip named by the query: 201"
is "$(http "$U/example.com/empty/@v/v1.0.0.mod")" 200 "its .mod is served"
is "$(cat "$T/body")" "module example.com/empty" "synthesised as the go command does"
is "$(http --user "acme:$TOKEN" --upload-file "$T/hello.zip" "$U/upload?module=example.com%2Fhello&version=v1.0.0")" 201 \
	"a percent-encoded module path that agrees with the entries: 201"

# the go command downloads the empty module and agrees on its go.mod hash
modetag=$(curl -s -D - -o /dev/null "$U/example.com/empty/@v/v1.0.0.mod" | tr -d '\r' | sed -n 's/^ETag: "\(.*\)"$/\1/p')
go_env GOPROXY="$U" go mod download -json example.com/empty@v1.0.0 > "$T/dl.json" 2> "$T/dl.err"
ok $? "go mod download of the empty module"
like "$(cat "$T/dl.json")" "\"GoModSum\": \"$(printf '%s' "$modetag" | sed 's/[+/]/\\&/g')\"" \
	"go's go.mod hash is goreg's"

# a renamed module: v1.0.0 as it was, v1.1.0 its last version under the old
# path, whose go.mod names the new one and deprecates the old
mkdir -p "$T/old" "$T/last"
printf 'module example.com/oldname\n\ngo 1.19\n' > "$T/old/go.mod"
printf 'package oldname\n' > "$T/old/old.go"
printf '// Deprecated: moved to example.com/newname.\nmodule example.com/newname\n\ngo 1.19\n' > "$T/last/go.mod"
printf 'package newname\n' > "$T/last/new.go"
pack example.com/oldname v1.0.0 "$T/old" "$T/old.zip" || bail "goreg-pack failed"
# goreg-pack checks go.mod against the path as an upload does: build the
# renamed zip by hand, as the module's old repository would hold it
(mkdir -p "$T/z/example.com/oldname@v1.1.0" && cp "$T/last/go.mod" "$T/last/new.go" "$T/z/example.com/oldname@v1.1.0/" &&
	cd "$T/z" && zip -qrD "$T/last.zip" example.com/oldname@v1.1.0) || bail "zip failed"
is "$(upload "$T/old.zip")" 201 "the old module's v1.0.0: 201"
snap before
is "$(upload "$T/last.zip")" 400 "a go.mod for another path without renamed=1: 400"
like "$(cat "$T/body")" 'go.mod says module "example.com/newname", zip is for "example.com/oldname" \(the last version of a renamed module: upload with renamed=1\)' \
	"the refusal names renamed=1"
snap after
cmp -s "$T/snap.before" "$T/snap.after"
ok $? "and changed nothing"
is "$(http --user "acme:$TOKEN" --upload-file "$T/last.zip" "$U/upload?renamed=1")" 201 "with renamed=1: 201"

mkdir -p "$T/use"
printf 'module example.com/use\n\ngo 1.19\n\nrequire example.com/oldname v1.0.0\n' > "$T/use/go.mod"
printf 'package use\n\nimport _ "example.com/oldname"\n' > "$T/use/use.go"
(cd "$T/use" && go_env GOPROXY="$U" go mod download example.com/oldname >/dev/null 2>&1 &&
	go_env GOPROXY="$U" go list -m -u -json example.com/oldname) > "$T/list.json" 2> "$T/list.err"
ok $? "go list -m -u of the old module"
like "$(tr -d '\n' < "$T/list.json")" '"Deprecated": "moved to example.com/newname\."' \
	"the go command reads the deprecation from the renamed last version"

# the plumbing tool: -m -V names the version, -R accepts the rename
S=$T/store2
admin "$S" user add bob >/dev/null
"$B/goreg-upload" -r "$S" bob "$T/empty.zip" 2> "$T/err"
is "$?" 1 "goreg-upload of an empty zip without -m/-V: exit 1"
"$B/goreg-upload" -r "$S" -m example.com/empty bob "$T/empty.zip" 2> "$T/err"
is "$?" 2 "-m without -V: usage, exit 2"
"$B/goreg-upload" -r "$S" -m example.com/empty -V v1.0.0 bob "$T/empty.zip" 2> "$T/err"
is "$?" 0 "goreg-upload -m -V of an empty zip: exit 0"
"$B/goreg-upload" -r "$S" bob "$T/last.zip" 2> "$T/err"
is "$?" 1 "goreg-upload of the renamed version without -R: exit 1"
"$B/goreg-upload" -r "$S" -R bob "$T/last.zip" 2> "$T/err"
is "$?" 0 "with -R: exit 0"
is "$("$B/goreg-list" -r "$S" bob example.com/oldname)" v1.1.0 "listed"

# goreg-fsck takes both as they were accepted (it re-validates every zip)
"$B/goreg-fsck" -r "$R" > "$T/fsck.out" 2>&1
ok $? "goreg-fsck: the store is clean ($(head -c 200 "$T/fsck.out"))"
rm -f "$R/acme/index.tdb"
"$B/goreg-fsck" -r "$R" --repair > "$T/fsck.out" 2>&1
is "$(http "$U/example.com/empty/@v/list")" 200 "after rebuilding the index, the empty module is back"
is "$(http "$U/example.com/oldname/@v/list")" 200 "and the renamed one"
is "$(cat "$T/body" | tr '\n' ' ')" "v1.0.0 v1.1.0 " "with both versions"
done_testing
