#!/bin/sh
# goreg-pack's zips, judged by the real go command: pack a module whose
# path has a capital letter, lay out a file-based GOPROXY tree by hand
# (go.dev/ref/mod#goproxy-protocol, '!'-escaped paths), then
# `go mod download` it and build a program that imports it.
. "$(dirname "$0")/lib.sh"

command -v go >/dev/null 2>&1 || skip_all "no go command"

M=example.com/Foo/bar
V=v1.0.0
S=$T/src

# the module, plus what a module zip must leave out
make_module "$S" "$M" bar
mkdir -p "$S/.git" "$S/inner" "$S/vendor/example.com/v"
printf '[core]\n' > "$S/.git/config"
printf 'module %s/inner\n' "$M" > "$S/inner/go.mod"
printf 'package inner\n' > "$S/inner/inner.go"
printf '# vendored\n' > "$S/vendor/modules.txt"
printf 'package v\n' > "$S/vendor/example.com/v/v.go"
ln -s bar.go "$S/link.go"

# proxy_put MODULE VERSION ZIP: the four files of a version, with the
# module path and version '!'-escaped (capitals become '!' + lower case)
# (ASCII A-Z only, as the protocol says: not [:upper:])
# shellcheck disable=SC2018,SC2019
esc() { printf '%s' "$1" | LC_ALL=C sed 's/[A-Z]/!&/g' | LC_ALL=C tr 'A-Z' 'a-z'; }
proxy_put() {
	d=$T/proxy/$(esc "$1")/@v
	ev=$(esc "$2")
	mkdir -p "$d"
	printf '{"Version":"%s","Time":"2024-01-02T03:04:05Z"}\n' "$2" > "$d/$ev.info"
	cp "$S/go.mod" "$d/$ev.mod"
	cp "$3" "$d/$ev.zip"
	printf '%s\n' "$2" >> "$d/list"
}

"$B/goreg-pack" -o "$T/bar.zip" "$M" "$V" "$S"
ok $? "goreg-pack -o makes the zip"
"$B/goreg-pack" "$M" "$V" "$S" > "$T/bar-stdout.zip"
ok $? "goreg-pack writes the zip to stdout without -o"
cmp -s "$T/bar.zip" "$T/bar-stdout.zip"
ok $? "stdout and -o give the same bytes"
touch -d '2001-02-03 04:05:06' "$S/bar.go" "$S/go.mod"
"$B/goreg-pack" -o "$T/bar-again.zip" "$M" "$V" "$S" && cmp -s "$T/bar.zip" "$T/bar-again.zip"
ok $? "packing again after new mtimes gives the same bytes"
leftover=no
for f in "$T"/.bar*; do
	[ -e "$f" ] && leftover=yes
done
is "$leftover" no "no temp file left beside the output"

proxy_put "$M" "$V" "$T/bar.zip"
test -f "$T/proxy/example.com/!foo/bar/@v/v1.0.0.zip"
ok $? "proxy tree uses the escaped path example.com/!foo/bar"

P=file://$T/proxy
mkdir -p "$T/app"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
json=$(go_env GOPROXY="$P" GONOSUMDB='example.com/*' go mod download -json "$M@$V" 2>&1)
ok $? "go mod download -json $M@$V"
like "$json" '"Sum": "h1:[A-Za-z0-9+/]{43}="' "go verified and hashed the zip"
dir=$(printf '%s\n' "$json" | sed -n 's/.*"Dir": "\([^"]*\)".*/\1/p')
files=$(cd "$dir" 2>/dev/null && find . -type f | sed 's|^\./||' | LC_ALL=C sort | tr '\n' ' ')
is "$files" "LICENSE bar.go go.mod sub/sub.go vendor/modules.txt " \
	"extracted: no .git, submodule, vendored package or symlink"

cat > main.go <<'GO'
package main

import (
	"fmt"

	"example.com/Foo/bar"
	"example.com/Foo/bar/sub"
)

func main() { fmt.Println(bar.Hello(), sub.Answer) }
GO
go_env GOPROXY="$P" GONOSUMDB='example.com/*' go get "$M@$V" >/dev/null 2>&1
ok $? "go get $M@$V"
go_env GOPROXY="$P" GONOSUMDB='example.com/*' go build -o app . >"$T/log" 2>&1
ok $? "go build of a program importing the module"
is "$(./app 2>&1)" "hello from $M 42" "the program runs"

# a second version: go lists both from the proxy tree
printf 'package bar\n\n// Two is new in v1.1.0.\nconst Two = 2\n' > "$S/two.go"
"$B/goreg-pack" -o "$T/bar11.zip" "$M" v1.1.0 "$S"
ok $? "goreg-pack v1.1.0"
proxy_put "$M" v1.1.0 "$T/bar11.zip"
out=$(go_env GOPROXY="$P" GONOSUMDB='example.com/*' go list -m -versions "$M" 2>&1)
is "$out" "$M v1.0.0 v1.1.0" "go list -m -versions"
go_env GOPROXY="$P" GONOSUMDB='example.com/*' go mod download "$M@v1.1.0" >"$T/log" 2>&1
ok $? "go mod download $M@v1.1.0"

# refusals: one line on stderr, exit 1 (invalid) or 2 (usage)
"$B/goreg-pack" -o "$T/x.zip" "$M" v1.0 "$S" 2>"$T/err"
is "$?" 1 "non-canonical version exits 1"
like "$(cat "$T/err")" "^goreg-pack: invalid module '$M@v1.0': " "error names what failed"
is "$(wc -l < "$T/err" | tr -d ' ')" 1 "error is one line"
test ! -e "$T/x.zip"
ok $? "no output on refusal"
printf 'x\n' > "$S/Bar.go"
"$B/goreg-pack" -o "$T/x.zip" "$M" v1.2.0 "$S" 2>"$T/err"
is "$?" 1 "case collision exits 1"
like "$(cat "$T/err")" 'collision: "Bar.go" and "bar.go"' "collision is named"
rm -f "$S/Bar.go"
"$B/goreg-pack" "$M" "$V" 2>/dev/null
is "$?" 2 "missing argument exits 2"

done_testing
