#!/bin/sh
# An owner's tree is itself a file-based GOPROXY (go.dev/ref/mod#goproxy-protocol,
# "file://" URLs): with GOPROXY=file://$GOREG_ROOT/OWNER the real go command
# lists, downloads, verifies and builds the modules goreg stored, a module
# path with capitals included ('!'-escaped directories), and after a delete
# it no longer finds the version.
. "$(dirname "$0")/lib.sh"

command -v go >/dev/null 2>&1 || skip_all "no go command"

R=$T/store
M=example.com/Hello
make_module "$T/src" $M hello
pack $M v1.0.0 "$T/src" "$T/v100.zip" || bail "goreg-pack failed"
printf 'package hello\n\n// Version is the version.\nconst Version = "1.1"\n' > "$T/src/v.go"
pack $M v1.1.0 "$T/src" "$T/v110.zip" || bail "goreg-pack failed"
pack $M v1.2.0-beta.1 "$T/src" "$T/v120b.zip" || bail "goreg-pack failed"
n=0
for z in v100 v110 v120b; do
	"$B/goreg-upload" -r "$R" acme "$T/$z.zip" 2>/dev/null && n=$((n + 1))
done
is $n 3 "three versions uploaded with goreg-upload"
[ -f "$R/acme/example.com/!hello/@v/v1.1.0.zip" ]
ok $? "the tree is '!'-escaped as the protocol says"

P=file://$R/acme
mkdir -p "$T/app"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
out=$(go_env GOPROXY="$P" GONOSUMDB=$M go list -m -versions $M 2>&1)
is "$out" "$M v1.0.0 v1.1.0 v1.2.0-beta.1" "go list -m -versions through file://"
out=$(go_env GOPROXY="$P" GONOSUMDB=$M go list -m $M@latest 2>&1)
is "$out" "$M v1.1.0" "@latest is the highest release"
json=$(go_env GOPROXY="$P" GONOSUMDB=$M go mod download -json $M@v1.1.0 2>&1)
ok $? "go mod download $M@v1.1.0"
sum=$(printf '%s\n' "$json" | sed -n 's/.*"Sum": "\(h1:[^"]*\)".*/\1/p')
like "$sum" '^h1:' "go computed the zip's hash"

cat > main.go <<GO
package main

import (
	"fmt"

	"$M"
)

func main() { fmt.Println(hello.Hello(), hello.Version) }
GO
go_env GOPROXY="$P" GONOSUMDB=$M go get $M@v1.1.0 >/dev/null 2>&1
ok $? "go get $M@v1.1.0"
out=$(go_env GOPROXY="$P" GONOSUMDB=$M go run . 2>&1)
is "$out" "hello from $M 1.1" "a program using the module builds and runs"
grep -qxF "$M v1.1.0 $sum" go.sum
ok $? "go.sum has the hash go computed on download"

"$B/goreg-delete" -r "$R" acme $M v1.0.0 2>/dev/null
ok $? "goreg-delete v1.0.0"
go_env go clean -modcache >/dev/null 2>&1
out=$(go_env GOPROXY="$P" GONOSUMDB=$M go list -m -versions $M 2>&1)
is "$out" "$M v1.1.0 v1.2.0-beta.1" "the file proxy no longer lists it"
go_env GOPROXY="$P" GONOSUMDB=$M go mod download $M@v1.0.0 >/dev/null 2>&1
ok $((! $?)) "nor downloads it"

out=$("$B/goreg-fsck" -r "$R" 2>&1)
ok $? "goreg-fsck: consistent"
is "$out" "" "goreg-fsck: nothing to report"

done_testing
