#!/bin/sh
# The access log: one line per request on stderr, with the remote address
# from the super-server (TCPREMOTEIP from UCSPI tcpserver, REMOTE_ADDR from
# systemd Accept=yes) or from the socket; and when stderr is the
# connection itself (inetd, xinetd), nothing of the log reaches the client.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"
logged() { grep -c '^[^ ]* "[^"]*" [0-9]\{3\} [0-9]* pid=[0-9]* req=[0-9]*$' "$HTTPD_LOG"; }

wait_log '"PUT /api/packages/acme/go/upload HTTP/1.1" 201 '
n=$(logged)
curl -s -o /dev/null -o /dev/null -o /dev/null -o /dev/null "$U/$M/@v/list" "$U/$M/@v/v1.0.0.zip" \
	"$U/example.com/nothere/@v/list" "$U/$M/@v/list?x=%22quoted%22"
curl -s -o /dev/null -I "$U/$M/@v/v1.0.0.zip"
wait_log ' pid=' $((n + 5))
is "$(( $(logged) - n ))" 5 "five requests, five log lines"
zipsize=$(wc -c < "$T/hello.zip" | tr -d ' ')
grep -q "^127\.0\.0\.1 \"GET /api/packages/acme/go/$M/@v/v1.0.0.zip HTTP/1.1\" 200 $zipsize pid=[0-9]* req=2\$" "$HTTPD_LOG"
ok $? "remote address, request line, status, bytes, pid and request number"
grep -q "\"GET /api/packages/acme/go/example.com/nothere/@v/list HTTP/1.1\" 404 " "$HTTPD_LOG"
ok $? "a 404 is logged"
grep -q "\"HEAD /api/packages/acme/go/$M/@v/v1.0.0.zip HTTP/1.1\" 200 0 pid=" "$HTTPD_LOG"
ok $? "HEAD logs 0 body bytes"
grep -q '@v/list?x=%22quoted%22 HTTP/1.1" 200' "$HTTPD_LOG"
ok $? "the target as received"
raw "send:GET /a\"b HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10 > /dev/null
wait_log '"GET /a\\x22b HTTP/1.1" 404'
ok $? "a quote in the target is escaped in the log"
# a long target of quotes, backslashes and runs between them, escaped
# byte for byte
perl -e 'print "GET /q", q{ab"c\d} x 1300, q{"\\}, " HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"' \
	> "$T/longreq"
raw "sendfile:$T/longreq" wait:10 > /dev/null
wait_log '"GET /qab\\x22c\\x5cd'
perl -e '$t = "/q" . (q{ab"c\d} x 1300) . q{"\\}; $t =~ s/(["\\])/sprintf("\\x%02x", ord $1)/ge;
	print "\"GET $t HTTP/1.1\" 404 "' > "$T/longwant"
grep -q -F -f "$T/longwant" "$HTTPD_LOG"
ok $? "a long target with quotes and backslashes is escaped whole"
raw "send:BAD\r\n\r\n" wait:10 > /dev/null
wait_log '^127\.0\.0\.1 "-" 400 [0-9]* pid='
ok $? "a request-line that does not parse is logged as \"-\""

# the address from the super-server's environment
start_httpd "$R" TCPREMOTEIP=192.0.2.7
curl -s -o /dev/null "$BASE/api/packages/acme/go/$M/@v/list"
wait_log '^192\.0\.2\.7 "GET '
ok $? "TCPREMOTEIP (UCSPI) is the remote address"
start_httpd "$R" REMOTE_ADDR=2001:db8::9
curl -s -o /dev/null "$BASE/api/packages/acme/go/$M/@v/list"
wait_log '^2001:db8::9 "GET '
ok $? "REMOTE_ADDR (systemd Accept=yes) is the remote address"
start_httpd "$R" TCPREMOTEIP=198.51.100.1 REMOTE_ADDR=203.0.113.1
curl -s -o /dev/null "$BASE/api/packages/acme/go/$M/@v/list"
wait_log '^198\.51\.100\.1 "GET '
ok $? "TCPREMOTEIP wins over REMOTE_ADDR"
start_httpd "$R" 'REMOTE_ADDR=1.2.3.4"/evil'
before=$(grep -c '^127\.0\.0\.1 "GET ' "$HTTPD_LOG")
curl -s -o /dev/null "$BASE/api/packages/acme/go/$M/@v/list"
wait_log '^127\.0\.0\.1 "GET ' $((before + 1))
is "$(grep -c '^127\.0\.0\.1 "GET ' "$HTTPD_LOG")" $((before + 1)) "a REMOTE_ADDR that is no address is ignored: the socket's peer"

# inetd style: fd 2 is the connection; the log must not reach the client
mkdir -p "$T/wrap"
for f in "$B"/*; do ln -s "$f" "$T/wrap/"; done
rm "$T/wrap/goreg-httpd"
printf '#!/bin/sh\nexec 2>&1\nexec %s/goreg-httpd "$@"\n' "$B" > "$T/wrap/goreg-httpd"
chmod +x "$T/wrap/goreg-httpd"
B=$T/wrap start_httpd "$R"
raw "send:GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: t\r\n\r\nGET /nothere HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" "200 404" "stderr = the socket: answers as usual"
grep -q 'pid=' "$T/out"
ok $((!$?)) "and no log line among them"
done_testing
