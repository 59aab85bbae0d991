# Helpers for the upstream tests (t10NN-upstream-*), source after lib.sh:
# an upstream GOPROXY, a file-based tree $UP served over TLS by nginx.
#   publish_up MODULE VERSION [TAG]  a version into $UP (goreg-pack's zip,
#                                    its go.mod, an .info, the list)
#   start_upstream                   nginx on https://localhost:$NPORT for
#                                    $UP; $T/tls/cert.pem is its CA
#   tamper_up                        $UP's example.com/pub v1.1.0 zip made
#                                    another (after publish_up of it), the
#                                    genuine tree kept in $T/genuine
#   use_pub                          a module $T/use importing
#                                    example.com/pub, and gosum CMD...: the
#                                    go command there with GOPROXY=$G and
#                                    GOSUMDB=$VKEY (GONOSUMDB, GOPRIVATE unset)
#   start_sumdb                      x/mod's test checksum database
#                                    sum.test for $T/genuine on port $SPORT,
#                                    its verifier key in $UPKEY
# The certificate is for the name localhost: mbedTLS 2 (goreg-fetch's TLS)
# matches host names, not IP addresses (goreg-fetch(8)).
command -v nginx >/dev/null 2>&1 || skip_all "nginx is not installed"
command -v openssl >/dev/null 2>&1 || skip_all "no openssl"
[ -x "$B/goreg-fetch" ] || bail "no goreg-fetch in $B"
mkdir -p "$T/tls"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-addext subjectAltName=DNS:localhost -keyout "$T/tls/key.pem" -out "$T/tls/cert.pem" >/dev/null 2>&1 ||
	bail "openssl req failed"
UP=$T/up

publish_up() {
	_d=$T/src-$(echo "$1@$2" | tr '/@' '__')
	make_module "$_d" "$1" pkg
	[ -n "${3:-}" ] && printf '// %s\n' "$3" >> "$_d/pkg.go"
	_esc=$(printf '%s' "$1" | sed 's/[A-Z]/!&/g' | tr 'A-Z' 'a-z')
	mkdir -p "$UP/$_esc/@v"
	pack "$1" "$2" "$_d" "$UP/$_esc/@v/$2.zip" || bail "goreg-pack $1 $2"
	cp "$_d/go.mod" "$UP/$_esc/@v/$2.mod"
	printf '{"Version":"%s","Time":"2023-05-06T07:08:09Z"}\n' "$2" > "$UP/$_esc/@v/$2.info"
	echo "$2" >> "$UP/$_esc/@v/list"
}

nginx_server() {
	printf '%s\n' "listen 127.0.0.1:$NPORT ssl;" "ssl_certificate $T/tls/cert.pem;" \
		"ssl_certificate_key $T/tls/key.pem;" "root $UP;"
}

start_upstream() {
	mkdir -p "$UP"
	start_nginx
	npid=$_npid
}

tamper_up() {
	cp -R "$UP" "$T/genuine"
	make_module "$T/evil" example.com/pub pkg
	printf '// evil\n' >> "$T/evil/pkg.go"
	pack example.com/pub v1.1.0 "$T/evil" "$UP/example.com/pub/@v/v1.1.0.zip" || bail "goreg-pack"
}

start_sumdb() {
	go_oracle sumdb
	SPORT=$(free_port)
	"$T/sumdb" sum.test "$T/genuine" "$SPORT" > "$T/sumdb.out" 2> "$T/sumdb.err" &
	_pids="$_pids $!"
	wait_port "$SPORT" || bail "the test checksum database did not start ($(cat "$T/sumdb.err"))"
	UPKEY=$(head -n 1 "$T/sumdb.out")
}

use_pub() {
	mkdir -p "$T/use"
	printf 'module example.com/use\n\ngo 1.19\n' > "$T/use/go.mod"
	printf 'package use\n\nimport _ "example.com/pub"\n' > "$T/use/use.go"
}

gosum() { (cd "$T/use" && go_env GOPROXY="$G" GOSUMDB="$VKEY" GONOSUMDB= GOPRIVATE= GOFLAGS=-mod=mod "$@"); }
