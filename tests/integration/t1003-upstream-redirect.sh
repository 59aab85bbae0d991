#!/bin/sh
# goreg-fetch and an upstream's redirects, as the go command takes them
# (cmd/go/internal/web): followed from https to https, never from https
# down to plain http, where the answer can be changed on the way and the
# .netrc credentials would be sent in the clear; and credentials go over
# https only.  nginx serves the
# upstream tree over TLS on $NPORT and in plain HTTP on $NPORT2, and
# redirects /down/ from one to the other; its access log names the user
# of each request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-upstream.sh"
publish_up example.com/pub v1.0.0
publish_up example.com/pub v1.1.0

nginx_server() {
	printf '%s\n' "listen 127.0.0.1:$NPORT ssl;" "listen 127.0.0.1:$NPORT2;" "ssl_certificate $T/tls/cert.pem;" \
		"ssl_certificate_key $T/tls/key.pem;" "root $UP;" \
		"location /down/ { rewrite ^/down/(.*)\$ http://localhost:$NPORT2/\$1 redirect; }" \
		"location /again/ { rewrite ^/again/(.*)\$ https://localhost:$NPORT/\$1 redirect; }"
}
start_upstream

R=$T/store
admin "$R" user add acme > /dev/null
mkdir -p "$T/home"
printf 'machine localhost login fetcher password secret\n' > "$T/home/.netrc"
chmod 600 "$T/home/.netrc"
fetch() { HOME="$T/home" SSL_CERT_FILE="$T/tls/cert.pem" "$B/goreg-fetch" -r "$R" acme "$@"; }

admin "$R" upstream set acme "https://localhost:$NPORT/again" || bail "upstream set"
fetch example.com/pub@v1.0.0 > "$T/out" 2>&1
is "$?" 0 "a redirect from https to https is followed ($(cat "$T/out"))"

admin "$R" upstream set acme "https://localhost:$NPORT/down" || bail "upstream set"
: > "$T/nginx/access.log"
fetch example.com/pub@v1.1.0 > "$T/out" 2>&1
is "$?" 111 "a redirect from https down to http is not followed"
like "$(cat "$T/out")" '^failed example.com/pub@v1.1.0: .*https to http' "saying so"
is "$(grep -c ' /example.com/pub/@v/v1.1.0' "$T/nginx/access.log")" 0 "nothing was asked over plain http"
ok "$([ ! -e "$R/acme/example.com/pub/@v/v1.1.0.zip" ] && echo 0 || echo 1)" "nothing is stored"

# credentials go over https only: an upstream named by a plain http URL
# is asked without them, as the go command asks it
admin "$R" upstream set acme "https://localhost:$NPORT" || bail "upstream set"
: > "$T/nginx/access.log"
fetch example.com/pub@v1.1.0 > /dev/null 2>&1
like "$(grep 'v1.1.0.info' "$T/nginx/access.log")" '^127.0.0.1 - fetcher ' "(over https the .netrc's user is sent)"
admin "$R" upstream set acme "http://localhost:$NPORT2" || bail "upstream set"
"$B/goreg-delete" -r "$R" acme example.com/pub v1.0.0 > /dev/null || bail "goreg-delete"
: > "$T/nginx/access.log"
fetch example.com/pub@v1.0.0 > "$T/out" 2>&1
is "$?" 0 "a plain http upstream ($(cat "$T/out"))"
like "$(grep 'v1.0.0.info' "$T/nginx/access.log")" '^127.0.0.1 - - ' "is asked without the .netrc's credentials"
done_testing
