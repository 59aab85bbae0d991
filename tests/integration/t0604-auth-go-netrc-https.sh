#!/bin/sh
# The real go command fetches a private module over HTTPS with the token
# in ~/.netrc (it sends netrc credentials only over https: go.dev/ref/mod,
# "Passing credentials to private proxies").  TLS ends in lighttpd, with a
# test certificate made here, and lighttpd runs goreg.cgi through mod_cgi:
# so this also shows Authorization reaching the CGI as HTTP_AUTHORIZATION.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"

command -v go >/dev/null 2>&1 || skip_all "no go command"
skip_unless_lighttpd_tls

setup_store
make_cert
mkdir -p "$T/www"
cp "$B/goreg.cgi" "$T/www/goreg.cgi"

# lighttpd: TLS, the goreg URLs rewritten onto goreg.cgi (PATH_INFO is the
# goreg path), the store in the CGI's environment
start_lighttpd_tls \
	'server.modules = ("mod_openssl", "mod_setenv", "mod_rewrite", "mod_cgi", "mod_accesslog")' \
	"accesslog.filename = \"$T/lighttpd-access.log\"" \
	"setenv.add-environment = (\"GOREG_ROOT\" => \"$R\")" \
	'url.rewrite-once = ("^(/api/.*)$" => "/goreg.cgi$1")' \
	'cgi.assign = (".cgi" => "")'
U=https://127.0.0.1:$LPORT/api/packages/acme/go
M=example.com/secret

# through lighttpd with curl first
code=$(http --cacert "$T/tls/cert.pem" "$U/$M/@v/list")
is "$code" 401 "https, anonymous: 401"
code=$(curl -sS --cacert "$T/tls/cert.pem" -D - -o /dev/null "$U/$M/@v/list" | tr -d '\r' | sed -n 's/^WWW-Authenticate: //Ip')
is "$code" 'Basic realm="goreg"' "  the challenge passes through lighttpd"
code=$(http --cacert "$T/tls/cert.pem" --user "bob:$TOK_BOB" "$U/$M/@v/list")
is "$code" 200 "https, Basic bob:token: 200 (Authorization reached the CGI)"
is "$(cat "$T/body")" "$(printf 'v1.0.0\nv1.1.0')" "  the versions"
code=$(http --cacert "$T/tls/cert.pem" -H "Private-Token: $TOK_BOB" "$U/$M/@v/v1.1.0.zip")
is "$code" 200 "https, Private-Token: 200"
cmp -s "$T/body" "$T/secret-v1.1.0.zip"
ok $? "  the zip"

mkdir -p "$T/app" "$T/home"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
cat > main.go <<'GO'
package main

import (
	"fmt"

	"example.com/secret"
)

func main() { fmt.Println(secret.Hello()) }
GO
# the go command against goreg behind lighttpd, trusting the test cert
gorun() { go_env GOPROXY="$U" SSL_CERT_FILE="$T/tls/cert.pem" GONOSUMDB="$M" "$@"; }

# without credentials the go command is refused
out=$(gorun env NETRC="$T/no-netrc" go mod download -json "$M@v1.1.0" 2>&1)
r=$?
ok $((r == 0)) "go without credentials fails"
like "$out" '401 Unauthorized' "  with the 401"

# ~/.netrc (go_env's HOME is $T/home)
printf 'machine 127.0.0.1\nlogin bob\npassword %s\n' "$TOK_BOB" > "$T/home/.netrc"
chmod 600 "$T/home/.netrc"
json=$(gorun go mod download -json "$M@v1.1.0" 2>&1)
ok $? "go mod download with ~/.netrc over https"
like "$json" '"Sum": "h1:[A-Za-z0-9+/]{43}="' "  go computed the module's hash"
out=$(gorun go list -m -versions "$M" 2>&1)
is "$out" "$M v1.0.0 v1.1.0" "go list -m -versions"
out=$(gorun go list -m "$M@latest" 2>&1)
is "$out" "$M v1.1.0" "go resolves @latest"
gorun go get "$M@v1.1.0" >/dev/null 2>&1
ok $? "go get $M@v1.1.0"
out=$(gorun go run . 2>&1)
is "$out" "hello from $M" "a program using the private module builds and runs"

# the owner's own checksum database is read with the same credentials:
# GOSUMDB is goreg's key, GONOSUMDB and GOPRIVATE unset
VKEY=$(admin "$R" sumdb init acme goreg.test) || bail "sumdb init"
go_env go clean -modcache >/dev/null 2>&1
out=$(cd "$T/home" && go_env GOPROXY="$U" SSL_CERT_FILE="$T/tls/cert.pem" GOSUMDB="$VKEY" GONOSUMDB= GOPRIVATE= \
	go mod download -json "$M@v1.0.0" 2>&1)
ok $? "go verifies the private module in goreg's database, read with ~/.netrc ($(echo "$out" | grep -i error | head -c 200))"
[ -s "$T/gopath/pkg/mod/cache/download/sumdb/goreg.test/lookup/example.com/secret@v1.0.0" ]
ok $? "  (the go command looked the version up in goreg's database: its cache has the lookup)"
out=$(cd "$T/home" && go_env GOPROXY="$U" SSL_CERT_FILE="$T/tls/cert.pem" GOSUMDB="$VKEY" GONOSUMDB= GOPRIVATE= \
	NETRC="$T/no-netrc" go mod download -json "$M@v1.1.0" 2>&1)
ok $(($? == 0)) "without credentials neither the module nor its database is readable"

# revoked: a clean module cache and the same netrc are refused again
id=$(admin "$R" token list bob | awk '{ print $1; exit }')
admin "$R" token revoke bob "$id"
go_env go clean -modcache >/dev/null 2>&1
out=$(gorun go mod download -json "$M@v1.0.0" 2>&1)
r=$?
ok $((r == 0)) "after token revoke, go with the same ~/.netrc fails"
like "$out" '401 Unauthorized' "  with the 401"

grep -q ' 401 \| 200 ' "$T/lighttpd-access.log"
ok $? "(lighttpd served the requests: its access log has them)"

done_testing
