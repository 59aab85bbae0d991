#!/bin/sh
# The walking skeleton, as the seed documents show it: upload a module zip
# with curl to goreg-httpd under systemd-socket-activate, then install it
# with the real go command through GOPROXY.
. "$(dirname "$0")/lib.sh"

R=$T/store
admin "$R" user add acme
ok $? "goreg-admin user add acme"
TOKEN=$(admin "$R" token add acme)
ok $? "goreg-admin token add acme"
like "$TOKEN" '^goreg_[0-9a-f]{64}$' "the token is printed alone"

make_module "$T/src" example.com/hello
pack example.com/hello v1.0.0 "$T/src" "$T/hello.zip"
ok $? "goreg-pack makes the zip"
printf 'package hello\n\n// Version is the version.\nconst Version = "2"\n' > "$T/src/v.go"
pack example.com/hello v1.1.0 "$T/src" "$T/hello11.zip"
pack example.com/hello v1.2.0-rc.1 "$T/src" "$T/hello12rc.zip"

start_httpd "$R"
U=$BASE/api/packages/acme/go

code=$(http --user "acme:$TOKEN" --upload-file "$T/hello.zip" "$U/upload")
is "$code" 201 "PUT upload answers 201"
code=$(http --user "acme:$TOKEN" --upload-file "$T/hello12rc.zip" "$U/upload")
is "$code" 201 "pre-release uploaded"
code=$(http --user "acme:$TOKEN" --upload-file "$T/hello11.zip" "$U/upload")
is "$code" 201 "second release uploaded after the pre-release"
code=$(http --user "acme:$TOKEN" --upload-file "$T/hello.zip" "$U/upload")
is "$code" 409 "the same version again answers 409"
like "$(cat "$T/body")" 'already exists' "409 says why"

code=$(http "$U/example.com/hello/@v/list")
is "$code" 200 "list answers 200"
is "$(cat "$T/body")" "$(printf 'v1.0.0\nv1.1.0\nv1.2.0-rc.1')" "list is in semver order, not upload order"
code=$(http "$U/example.com/hello/@v/v1.0.0.info")
is "$code" 200 ".info answers 200"
like "$(cat "$T/body")" '^\{"Version":"v1.0.0","Time":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z"\}$' ".info is the protocol's JSON"
code=$(http "$U/example.com/hello/@v/v1.0.0.mod")
is "$(cat "$T/body")" "$(cat "$T/src/go.mod")" ".mod is the module's go.mod"
code=$(http "$U/example.com/hello/@v/v1.0.0.zip")
is "$code" 200 ".zip answers 200"
cmp -s "$T/body" "$T/hello.zip"
ok $? ".zip is byte for byte the uploaded zip"
code=$(http "$U/example.com/hello/@latest")
like "$(cat "$T/body")" '"Version":"v1.1.0"' "@latest is the highest release, not the last upload"
code=$(http "$U/example.com/nothere/@v/list")
is "$code" 404 "unknown module answers 404"
code=$(http "$U/example.com/hello/@v/v9.9.9.info")
is "$code" 404 "unknown version answers 404"

# the go command, through GOPROXY=<base>
mkdir -p "$T/app"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
json=$(go_env GOPROXY="$U" GONOSUMDB=example.com/hello go mod download -json example.com/hello@v1.0.0 2>&1)
ok $? "go mod download -json example.com/hello@v1.0.0"
sum=$(printf '%s\n' "$json" | sed -n 's/.*"Sum": "\(h1:[^"]*\)".*/\1/p')
modsum=$(printf '%s\n' "$json" | sed -n 's/.*"GoModSum": "\(h1:[^"]*\)".*/\1/p')
like "$sum" '^h1:[A-Za-z0-9+/]{43}=$' "go computed the zip's h1: hash"
versions=$(go_env GOPROXY="$U" GONOSUMDB=example.com/hello go list -m -versions example.com/hello 2>&1)
is "$versions" "example.com/hello v1.0.0 v1.1.0 v1.2.0-rc.1" "go list -m -versions"

cat > main.go <<'GO'
package main

import (
	"fmt"

	"example.com/hello"
	"example.com/hello/sub"
)

func main() { fmt.Println(hello.Hello(), sub.Answer) }
GO
go_env GOPROXY="$U" GONOSUMDB=example.com/hello go get example.com/hello@v1.0.0 >/dev/null 2>&1
ok $? "go get example.com/hello@v1.0.0"
grep -qxF "example.com/hello v1.0.0 $sum" go.sum
ok $? "go.sum holds the zip hash go computed"
grep -qxF "example.com/hello v1.0.0/go.mod $modsum" go.sum
ok $? "go.sum holds the go.mod hash go computed"
out=$(go_env GOPROXY="$U" GONOSUMDB=example.com/hello go run . 2>&1)
is "$out" "hello from example.com/hello 42" "a program using the module builds and runs"
out=$(go_env GOPROXY="$U" GONOSUMDB=example.com/hello go list -m example.com/hello@latest 2>&1)
is "$out" "example.com/hello v1.1.0" "go resolves @latest to the highest release"

done_testing
