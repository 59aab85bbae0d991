#!/bin/sh
# The libcurl + mbedTLS prefix (mk/build-curl.sh) links into a static,
# stripped program of at most 1.5 MB (tests/integration/curl-get.c, one
# GET), which fetches over https from an nginx that this test starts with
# a certificate signed by a CA made here, checks that certificate (refused
# without the CA, with another CA, or for a name it does not carry), speaks
# plain http, and honours http_proxy, HTTPS_PROXY and NO_PROXY.
. "$(dirname "$0")/lib.sh"
command -v nginx >/dev/null 2>&1 || skip_all "nginx is not installed"
command -v openssl >/dev/null 2>&1 || skip_all "openssl is not installed"

G=${GOREG_CURL_GET:-$GOREG_TOP/${GOREG_O:-build}/release/tests/curl-get}
[ -x "$G" ] || bail "no $G: run it through make check or make check-integration"

# ---- the program ----
desc=$(file -b "$G")
like "$desc" 'statically linked' "curl-get is statically linked"
like "$desc" ', stripped' "curl-get is stripped"
size=$(stat -c %s "$G")
[ "$size" -le 1572864 ]
ok $? "curl-get is $size bytes (at most 1.5 MB)"
v=$(env -i "$G" -V)
ok $? "curl-get -V runs in an empty environment"
like "$v" '^libcurl/[0-9.]+ mbedTLS/[0-9.]+$' "libcurl over mbedTLS, no zlib, IDN or HTTP/2 ($(echo "$v" | head -n 1))"
is "$(echo "$v" | sed -n 's/^protocols: //p')" "http https" "  and only HTTP and HTTPS"
grep -aq /etc/ssl/certs/ca-certificates.crt "$G"
ok $? "  Debian's CA bundle is the default CA file"

# ---- a CA, a certificate for localhost signed by it, and another CA ----
# (a name, not 127.0.0.1: mbedTLS 2.28 matches dNSName entries only, never
# an iPAddress one)
mkdir -p "$T/tls" "$T/www"
cd "$T/tls" || bail "no $T/tls"
for ca in ca other; do
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=goreg test $ca" \
		-keyout "$ca.key" -out "$ca.pem" >/dev/null 2>&1 || bail "openssl req ($ca) failed"
done
openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout key.pem -out req.pem >/dev/null 2>&1 \
	|| bail "openssl req (server) failed"
printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n' > ext.cnf
openssl x509 -req -in req.pem -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
	-extfile ext.cnf -out cert.pem >/dev/null 2>&1 || bail "openssl x509 -req failed"
cd "$T" || bail "no $T"

echo "hello over $$" > "$T/www/hello.txt"
head -c 300000 /dev/urandom > "$T/www/big.bin"

# ---- nginx: TLS on $SPORT, plain http on $PPORT ----
nginx_server() {
	printf '%s\n' "listen 127.0.0.1:$NPORT ssl;" "listen 127.0.0.1:$NPORT2;" \
		"ssl_certificate $T/tls/cert.pem;" "ssl_certificate_key $T/tls/key.pem;" "root $T/www;"
}
start_nginx
SPORT=$NPORT
PPORT=$NPORT2
S=https://localhost:$SPORT
P=http://127.0.0.1:$PPORT

# get URL [ENV=VALUE...]: curl-get with only the given environment;
# body in $T/out, error line in $T/err
get() {
	_u=$1
	shift
	env -i "$@" "$G" "$_u" > "$T/out" 2> "$T/err"
}
# the error line, for the descriptions
err() { cat "$T/err"; }

# ---- https ----
get "$S/hello.txt" SSL_CERT_FILE="$T/tls/ca.pem"
ok $? "https with SSL_CERT_FILE naming the test CA"
is "$(cat "$T/out")" "hello over $$" "  the body"
get "$S/big.bin" SSL_CERT_FILE="$T/tls/ca.pem"
ok $? "https, a 300 KB body"
cmp -s "$T/out" "$T/www/big.bin"
ok $? "  byte for byte"

get "$S/hello.txt"
ok $((! $?)) "https without the test CA is refused (the default bundle does not trust it)"
like "$(err)" '^curl-get: GET https://localhost:[0-9]+/hello\.txt: .*certificate' "  a certificate error ($(err))"
is "$(wc -c < "$T/out")" 0 "  and no body"
get "$S/hello.txt" SSL_CERT_FILE="$T/tls/other.pem"
ok $((! $?)) "https with another CA is refused"
like "$(err)" 'certificate' "  a certificate error"
get "https://127.0.0.1:$SPORT/hello.txt" SSL_CERT_FILE="$T/tls/ca.pem"
ok $((! $?)) "https to a name the certificate does not carry (127.0.0.1) is refused"
like "$(err)" '^curl-get: GET https://127\.0\.0\.1:[0-9]+/hello\.txt: .*certificate' "  a certificate error, not a failed connection"

# ---- plain http, names resolved (in libcurl's resolver thread) ----
get "$P/hello.txt"
ok $? "http://127.0.0.1"
is "$(cat "$T/out")" "hello over $$" "  the body"
get "http://localhost:$PPORT/hello.txt"
ok $? "http://localhost (a name resolved by the static program)"
get "$P/nothere"
ok $((! $?)) "a 404 fails"
is "$(cat "$T/err")" "curl-get: GET $P/nothere: HTTP status 404" "  with the status in the error line"

# ---- proxies from the environment ----
# nginx serves an absolute-form request for an unknown host from its one
# server: a name that cannot resolve arrives only through the proxy
get http://goreg-test.invalid/hello.txt http_proxy="$P"
ok $? "http_proxy: http://goreg-test.invalid reached through the proxy"
is "$(cat "$T/out")" "hello over $$" "  the body"
grep -q '"GET http://goreg-test.invalid/hello.txt HTTP/1.1"' "$T/nginx/access.log"
ok $? "  the proxy saw the absolute-form request"
get http://goreg-test.invalid/hello.txt http_proxy="$P" NO_PROXY=goreg-test.invalid
ok $((! $?)) "NO_PROXY: the same request goes direct (and the name does not resolve)"
like "$(err)" 'resolve host' "  ($(err))"

# a CONNECT proxy for HTTPS_PROXY: logs the request line, tunnels to
# 127.0.0.1 at the port asked for; its port lands in $T/proxy.port
perl -MIO::Socket::INET -MIO::Select -e '
	my $l = IO::Socket::INET->new(LocalAddr => "127.0.0.1", LocalPort => 0, Listen => 5, ReuseAddr => 1) or die "listen: $!";
	open(my $lg, ">>", $ARGV[1]) or die; $lg->autoflush(1);
	open(my $pf, ">", "$ARGV[0].tmp") or die; print $pf $l->sockport, "\n"; close $pf;
	rename("$ARGV[0].tmp", $ARGV[0]) or die;
	while (my $c = $l->accept) {
		my $req = "";
		while ($req !~ /\r\n\r\n/) { sysread($c, $req, 4096, length $req) or last; }
		my ($line) = $req =~ /^([^\r\n]*)/; print $lg "$line\n";
		my ($port) = $line =~ /^CONNECT [^ ]+:(\d+) HTTP\/1\.[01]$/;
		my $u = $port && IO::Socket::INET->new(PeerAddr => "127.0.0.1", PeerPort => $port);
		if (!$u) { syswrite($c, "HTTP/1.1 502 Bad Gateway\r\n\r\n"); close $c; next; }
		syswrite($c, "HTTP/1.1 200 Connection established\r\n\r\n");
		my $s = IO::Select->new($c, $u);
		LOOP: while (my @r = $s->can_read(10)) {
			for my $h (@r) {
				my $n = sysread($h, my $b, 65536);
				last LOOP unless $n;
				syswrite($h == $c ? $u : $c, $b);
			}
		}
		close $u; close $c;
	}' "$T/proxy.port" "$T/proxy.log" 2>"$T/proxy.err" &
_pids="$_pids $!"
i=0
while [ ! -s "$T/proxy.port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$T/proxy.port" ] || bail "the CONNECT proxy did not start (see $T/proxy.err)"
X=http://127.0.0.1:$(cat "$T/proxy.port")

get "$S/hello.txt" HTTPS_PROXY="$X" SSL_CERT_FILE="$T/tls/ca.pem"
ok $? "HTTPS_PROXY: https through a CONNECT proxy"
is "$(cat "$T/out")" "hello over $$" "  the body"
is "$(cat "$T/proxy.log")" "CONNECT localhost:$SPORT HTTP/1.1" "  the proxy tunnelled it"
get "$S/hello.txt" HTTPS_PROXY="$X"
ok $((! $?)) "  the certificate is still checked through the tunnel"
like "$(err)" 'certificate' "  a certificate error"
: > "$T/proxy.log"
get "$S/hello.txt" HTTPS_PROXY="$X" NO_PROXY=localhost SSL_CERT_FILE="$T/tls/ca.pem"
ok $? "NO_PROXY=localhost: https direct"
is "$(cat "$T/proxy.log")" "" "  the proxy saw nothing"

done_testing
