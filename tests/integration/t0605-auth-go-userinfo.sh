#!/bin/sh
# The real go command fetches a private module from goreg-httpd with the
# credentials in the GOPROXY URL, user:token@host (Basic on the wire),
# under both URL layouts; and is refused without them, with a wrong token,
# with a non-member's, and after revocation.
#
# The go command will not send URL credentials over plain http ("refusing
# to pass credentials to insecure URL", cmd/go/internal/web), so TLS is
# terminated in front of goreg-httpd, as a deployment would: lighttpd's
# mod_sockproxy passes the decrypted bytes through, goreg-httpd speaks
# HTTP.  The plain-http refusal is checked too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"

command -v go >/dev/null 2>&1 || skip_all "no go command"
skip_unless_lighttpd_tls
[ -f "$LIGHTTPD_MODDIR/mod_sockproxy.so" ] || skip_all "no lighttpd mod_sockproxy"

setup_store
start_httpd "$R"
make_cert
# (no HTTP/2 over ALPN: the bytes go to goreg-httpd untouched, and it
# speaks HTTP/1.1)
start_lighttpd_tls 'server.modules = ("mod_openssl", "mod_sockproxy")' \
	'server.feature-flags = ("server.h2proto" => "disable")' \
	"sockproxy.server = ( \"\" => ( ( \"host\" => \"127.0.0.1\", \"port\" => $PORT ) ) )"
HP=127.0.0.1:$LPORT
M=example.com/secret

mkdir -p "$T/app"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
cat > main.go <<'GO'
package main

import (
	"fmt"

	"example.com/secret"
	"example.com/secret/sub"
)

func main() { fmt.Println(secret.Hello(), sub.Answer) }
GO

gorun() { # gorun GOPROXY ARGS...: the go command against one proxy URL
	_p=$1
	shift
	go_env GOPROXY="$_p" GONOSUMDB=$M SSL_CERT_FILE="$T/tls/cert.pem" "$@"
}

code=$(http --cacert "$T/tls/cert.pem" "https://alice:$TOK_ALICE@$HP/api/packages/acme/go/$M/@v/list")
is "$code" 200 "curl through the TLS proxy to goreg-httpd, user:token@: 200"

out=$(gorun "http://alice:$TOK_ALICE@127.0.0.1:$PORT/api/packages/acme/go" go mod download -json "$M@v1.0.0" 2>&1)
like "$out" 'refusing to pass credentials to insecure URL' "go itself refuses user:token@ in a plain http GOPROXY"

out=$(gorun "https://$HP/api/packages/acme/go" go mod download -json "$M@v1.0.0" 2>&1)
r=$?
ok $((r == 0)) "go without credentials fails"
like "$out" '401 Unauthorized' "  with the 401"

out=$(gorun "https://alice:goreg_$(printf '%064d' 0)@$HP/api/packages/acme/go" go mod download -json "$M@v1.0.0" 2>&1)
r=$?
ok $((r == 0)) "go with a wrong token in the URL fails"
like "$out" '401 Unauthorized' "  with the 401"

out=$(gorun "https://carol:$TOK_CAROL@$HP/api/packages/acme/go" go mod download -json "$M@v1.0.0" 2>&1)
r=$?
ok $((r == 0)) "go with a non-member's token fails"
like "$out" '404 Not Found' "  with a 404, as if acme did not exist"

U="https://alice:$TOK_ALICE_RO@$HP/api/packages/acme/go"
json=$(gorun "$U" go mod download -json "$M@v1.0.0" 2>&1)
ok $? "go mod download with user:token@ (a read-only token) in GOPROXY"
sum=$(printf '%s\n' "$json" | sed -n 's/.*"Sum": "\(h1:[^"]*\)".*/\1/p')
like "$sum" '^h1:[A-Za-z0-9+/]{43}=$' "  go computed the zip's hash"
out=$(gorun "$U" go list -m -versions $M 2>&1)
is "$out" "$M v1.0.0 v1.1.0" "go list -m -versions"
out=$(gorun "$U" go list -m "$M@latest" 2>&1)
is "$out" "$M v1.1.0" "go resolves @latest"
gorun "$U" go get "$M@v1.0.0" >/dev/null 2>&1
ok $? "go get $M@v1.0.0"
grep -qxF "$M v1.0.0 $sum" go.sum
ok $? "go.sum holds the hash"
out=$(gorun "$U" go run . 2>&1)
is "$out" "hello from $M 42" "a program using the private module builds and runs"

# the GitLab layout, the token as user name with an empty password
U2="https://$TOK_BOB:@$HP/api/v4/projects/acme/packages/go"
go_env go clean -modcache >/dev/null 2>&1
out=$(gorun "$U2" go mod download -json "$M@v1.1.0" 2>&1)
ok $? "GitLab layout, token:@ in GOPROXY"

# revoked: the next fetch is refused
id=$(admin "$R" token list bob | awk '{ print $1; exit }')
admin "$R" token revoke bob "$id"
go_env go clean -modcache >/dev/null 2>&1
out=$(gorun "$U2" go mod download -json "$M@v1.1.0" 2>&1)
r=$?
ok $((r == 0)) "the revoked token fails"
like "$out" '401 Unauthorized' "  with the 401"

# the go command's requests were all authenticated Basic ones: the
# server's log has 200s for them and no token in it
grep -q '"GET /api/packages/acme/go/example.com/secret/@v/v1.0.0.zip HTTP/1.1" 200' "$HTTPD_LOG"
ok $? "goreg-httpd served the zip to the go command"
grep -qF "${TOK_ALICE_RO#goreg_}" "$HTTPD_LOG"
ok $((! $?)) "the token is not in goreg-httpd's log"

done_testing
