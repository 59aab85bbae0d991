#!/bin/sh
# '!' case-encoding end to end (go.dev/ref/mod#goproxy-protocol: "to avoid
# ambiguity when serving from case-insensitive file systems, the $module
# and $version elements are case-encoded by replacing every uppercase
# letter with an exclamation mark followed by the corresponding lowercase
# letter"): a module with capitals in its path and a pre-release with
# capitals are uploaded over HTTP, stored under escaped names, and fetched,
# listed and built by the real go command; URLs with raw capitals or
# malformed escapes name no module or version and answer 404, a malformed
# percent-encoding 400.
. "$(dirname "$0")/lib.sh"

command -v go >/dev/null 2>&1 || skip_all "no go command"

R=$T/store
admin "$R" user add acme
TOKEN=$(admin "$R" token add acme) || bail "no token"
start_httpd "$R"
U=$BASE/api/packages/acme/go

M=example.com/Foo/Bar
EM=example.com/!foo/!bar
RC=v1.0.0-RC.1
ERC=v1.0.0-!r!c.1

# mkzip VERSION DIR OUT: a module zip of M
mkzip() {
	if [ -x "$B/goreg-pack" ]; then
		"$B/goreg-pack" -o "$3" "$M" "$1" "$2"
	else
		rm -rf "$T/zt" && mkdir -p "$T/zt/$M@$1" && cp -R "$2/." "$T/zt/$M@$1/" &&
			(cd "$T/zt" && zip -qrD "$3" "$M@$1/")
	fi
}

make_module "$T/src" "$M" bar
mkzip v1.0.0 "$T/src" "$T/rel.zip"
ok $? "zip of $M v1.0.0"
sed 's/hello from/release candidate of/' "$T/src/bar.go" > "$T/bar.go" && mv "$T/bar.go" "$T/src/bar.go"
mkzip "$RC" "$T/src" "$T/rc.zip"
ok $? "zip of $M $RC"

code=$(http --user "acme:$TOKEN" --upload-file "$T/rc.zip" "$U/upload")
is "$code" 201 "upload of $RC answers 201"
code=$(http --user "acme:$TOKEN" --upload-file "$T/rel.zip" "$U/upload")
is "$code" 201 "upload of v1.0.0 answers 201"

# the store holds them under escaped names only
for f in "$ERC.zip" "$ERC.mod" "$ERC.info" v1.0.0.zip; do
	test -f "$R/acme/$EM/@v/$f"
	ok $? "store has acme/$EM/@v/$f"
done
raw=$(find "$R" -name '*[A-Z]*' ! -name '*.tdb' | sed "s|^$R/||")
is "$raw" "" "no file or directory in the store has a capital letter in its name"

# escaped URLs work
code=$(http "$U/$EM/@v/list")
is "$code" 200 "GET $EM/@v/list: 200"
is "$(cat "$T/body")" "$(printf '%s\nv1.0.0' "$RC")" "the list has the unescaped versions, in semver order"
code=$(http "$U/$EM/@v/$ERC.info")
is "$code" 200 "GET $EM/@v/$ERC.info: 200"
like "$(cat "$T/body")" "^\\{\"Version\":\"$RC\"," ".info names the unescaped version"
code=$(http "$U/$EM/@v/$ERC.zip")
is "$code" 200 "GET $EM/@v/$ERC.zip: 200"
cmp -s "$T/body" "$T/rc.zip"
ok $? "the pre-release zip is the uploaded one"
code=$(http "$U/$EM/@latest")
like "$code $(cat "$T/body")" '^200 \{"Version":"v1.0.0",' "@latest is v1.0.0"

# raw capitals and malformed escapes name nothing: 404
for p in "example.com/Foo/Bar/@v/list" "example.com/Foo/!bar/@v/list" "example.com/!foo/Bar/@latest" \
	"$EM/@v/$RC.info" "$EM/@v/v1.0.0-!R!C.1.info" "$EM/@v/v1.0.0-RC.1.zip" \
	"example.com/!1oo/!bar/@v/list" "example.com/!!foo/!bar/@v/list" "example.com/!foo/!bar!/@v/list" \
	"example.com/!/!bar/@v/list" "$EM/@v/v1.0.0-!1.info" "$EM/@v/v1.0.0-rc!.info"; do
	code=$(http "$U/$p")
	is "$code" 404 "GET $p: 404"
done
code=$(http "$U/example.com/foo/bar/@v/list")
is "$code" 404 "the lowercase module example.com/foo/bar is another module: 404"
code=$(http "$U/$EM/@v/v1.0.0-rc.1.info")
is "$code" 404 "the lowercase version v1.0.0-rc.1 is another version: 404"
code=$(http "$U/example.com/%zz/@v/list")
is "$code" 400 "a malformed percent-encoding: 400"
code=$(http "$U/example.com/%21foo/%21bar/@v/v1.0.0-%21r%21c.1.info")
is "$code" 200 "percent-encoded '!' (%21) decodes to the escape"

# a zip whose prefix is spelled escaped is not a module zip: '!' is not
# allowed in a module path (module.CheckPath)
mkdir -p "$T/esc/$EM@v1.0.1"
cp "$T/src/go.mod" "$T/src/bar.go" "$T/esc/$EM@v1.0.1/"
(cd "$T/esc" && zip -qrD ../esc.zip "$EM@v1.0.1/")
code=$(http --user "acme:$TOKEN" --upload-file "$T/esc.zip" "$U/upload")
is "$code" 400 "a zip under the escaped path is refused: 400"

# the go command
mkdir -p "$T/app"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
json=$(go_env GOPROXY="$U" go mod download -json "$M@$RC" 2>&1)
ok $? "go mod download -json $M@$RC"
like "$json" "\"Version\": \"$RC\"" "go reports version $RC"
like "$json" '"Sum": "h1:[A-Za-z0-9+/]{43}="' "go computed and verified the zip's hash"
test -f "$T/gopath/pkg/mod/cache/download/$EM/@v/$ERC.zip"
ok $? "the go command's cache also holds $EM/@v/$ERC.zip"
json=$(go_env GOPROXY="$U" go mod download -json "$M@v1.0.0" 2>&1)
ok $? "go mod download -json $M@v1.0.0"
versions=$(go_env GOPROXY="$U" go list -m -versions "$M" 2>&1)
is "$versions" "$M $RC v1.0.0" "go list -m -versions $M"
latest=$(go_env GOPROXY="$U" go list -m "$M@latest" 2>&1)
is "$latest" "$M v1.0.0" "go list -m $M@latest"

cat > main.go <<GO
package main

import (
	"fmt"

	"$M"
	"$M/sub"
)

func main() { fmt.Println(bar.Hello(), sub.Answer) }
GO
go_env GOPROXY="$U" go get "$M@$RC" >/dev/null 2>&1
ok $? "go get $M@$RC"
grep -q "^$M $RC h1:" go.sum
ok $? "go.sum holds $M $RC"
out=$(go_env GOPROXY="$U" go run . 2>&1)
is "$out" "release candidate of $M 42" "go run builds with the pre-release"
go_env GOPROXY="$U" go get "$M@v1.0.0" >/dev/null 2>&1
ok $? "go get $M@v1.0.0"
out=$(go_env GOPROXY="$U" go run . 2>&1)
is "$out" "hello from $M 42" "go run builds with the release"

done_testing
