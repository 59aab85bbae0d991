#!/bin/sh
# @v/list and @latest follow semver, not upload order
# (go.dev/ref/mod#goproxy-protocol: list holds the known versions "without
# pseudo-versions"; go.dev/ref/mod#version-queries: "latest" is the highest
# release version, else the highest pre-release, else the highest
# pseudo-version), and the go command, asking through the registry,
# agrees.  Three modules, one per @latest case, uploaded in an order that
# upload-time ordering would get wrong.
. "$(dirname "$0")/lib.sh"

R=$T/store
admin "$R" user add acme
TOKEN=$(admin "$R" token add acme) || bail "no token"
start_httpd "$R"
U=$BASE/api/packages/acme/go

# up MODULE VERSION...: pack each version of a small module and upload it
up() {
	m=$1
	shift
	for v in "$@"; do
		d=$T/src/$m@$v
		make_module "$d" "$m" p
		printf 'package p\n\n// Version is this version.\nconst Version = "%s"\n' "$v" > "$d/version.go"
		if [ -x "$B/goreg-pack" ]; then
			"$B/goreg-pack" -o "$T/up.zip" "$m" "$v" "$d"
		else
			rm -rf "$T/zt" && mkdir -p "$T/zt/$m@$v" && cp -R "$d/." "$T/zt/$m@$v/" &&
				(cd "$T/zt" && rm -f ../up.zip && zip -qrD ../up.zip "$m@$v/")
		fi
		code=$(http --user "acme:$TOKEN" --upload-file "$T/up.zip" "$U/upload")
		is "$code" 201 "upload $m $v"
	done
}

# list MODULE: the versions of @v/list on one line
list() {
	code=$(http "$U/$1/@v/list")
	printf '%s %s' "$code" "$(tr '\n' ' ' < "$T/body" | sed 's/ $//')"
}

# latest MODULE: the Version of @latest
latest() {
	code=$(http "$U/$1/@latest")
	printf '%s %s' "$code" "$(sed -n 's/^{"Version":"\([^"]*\)".*/\1/p' "$T/body")"
}

# 1: releases, pre-releases above and below them, pseudo-versions above
# them (v1.10.1-0.2020... is a pseudo-version for a commit after v1.10.0)
A=example.com/rel
up $A v1.10.0 v1.9.0 v1.10.1-rc.1 v0.0.0-20200101000000-abcdefabcdef v1.2.0-beta.1 \
	v1.10.1-0.20200101000000-abcdefabcdef v1.2.0 v1.2.0-alpha
is "$(list $A)" "200 v1.2.0-alpha v1.2.0-beta.1 v1.2.0 v1.9.0 v1.10.0 v1.10.1-rc.1" \
	"$A list: semver order (numeric, pre-releases before their release), no pseudo-versions"
is "$(latest $A)" "200 v1.10.0" "$A @latest: the highest release, not a later pre-release or pseudo-version"

# 2: pre-releases only (numeric identifiers compare as numbers: rc.10 >
# rc.2), and a pseudo-version above them (v1.0.0-rc.10.0.2020...)
B2=example.com/pre
up $B2 v1.0.0-rc.10 v1.0.0-rc.2 v1.0.0-rc.10.0.20210101000000-abcdefabcdef v1.0.0-beta \
	v0.0.0-20200101000000-abcdefabcdef
is "$(list $B2)" "200 v1.0.0-beta v1.0.0-rc.2 v1.0.0-rc.10" "$B2 list: pre-releases in semver order"
is "$(latest $B2)" "200 v1.0.0-rc.10" "$B2 @latest: the highest pre-release, not the pseudo-version above it"

# 3: pseudo-versions only, the newer one uploaded first
C=example.com/pseudo
up $C v0.0.0-20210101000000-123456789abc v0.0.0-20200101000000-abcdefabcdef
is "$(list $C)" "200 " "$C list: empty (pseudo-versions are never listed)"
is "$(latest $C)" "200 v0.0.0-20210101000000-123456789abc" "$C @latest: the highest pseudo-version"

# the go command agrees
command -v go >/dev/null 2>&1 || { diag "no go command: skipping its checks"; done_testing; }
mkdir -p "$T/app"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
out=$(go_env GOPROXY="$U" go list -m -versions $A 2>&1)
is "$out" "$A v1.2.0-alpha v1.2.0-beta.1 v1.2.0 v1.9.0 v1.10.0 v1.10.1-rc.1" "go list -m -versions $A"
for m in "$A v1.10.0" "$B2 v1.0.0-rc.10" "$C v0.0.0-20210101000000-123456789abc"; do
	out=$(go_env GOPROXY="$U" go list -m "${m% *}@latest" 2>&1)
	is "$out" "$m" "go list -m ${m% *}@latest"
done
# and builds what it picked
cat > main.go <<GO
package main

import (
	"fmt"

	"$C"
)

func main() { fmt.Println(p.Version) }
GO
go_env GOPROXY="$U" go get "$C@latest" >/dev/null 2>&1
ok $? "go get $C@latest"
out=$(go_env GOPROXY="$U" go run . 2>&1)
is "$out" "v0.0.0-20210101000000-123456789abc" "go run builds the pseudo-version @latest named"

done_testing
