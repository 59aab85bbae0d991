#!/bin/sh
# HTTP versions and connection management (RFC 9112 sections 2.3, 9.3):
# HTTP/1.0 closes unless it asks for keep-alive, HTTP/1.1 persists unless
# told Connection: close; other versions get 505; methods goreg does not
# know get 501, known ones on the wrong route 405 with Allow.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"
L=/api/packages/acme/go/$M/@v/list

code=$(curl -s --http1.0 -D "$T/h" -o "$T/b" -w '%{http_code}' "$U/$M/@v/list")
is "$code" 200 "curl --http1.0: 200"
is "$(cat "$T/b")" v1.0.0 "the list"
is "$(field Connection "$T/h")" close "HTTP/1.0: Connection: close"
head -n 1 "$T/h" | grep -q '^HTTP/1.1 200 OK'
ok $? "answered with HTTP/1.1 in the status line (RFC 9110 section 6.2)"
raw "send:GET $L HTTP/1.0\r\n\r\nGET $L HTTP/1.0\r\n\r\n" wait:10 > "$T/out"
ok $? "HTTP/1.0 without keep-alive: closed after one answer"
is "$(statuses < "$T/out")" 200 "one answer"
raw "send:GET $L HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET $L HTTP/1.0\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" "200 200" "HTTP/1.0 with Connection: keep-alive: the next request is answered"
grep -q '^Connection: keep-alive' "$T/out"
ok $? "and told Connection: keep-alive"
raw "send:GET $L HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET $L HTTP/1.1\r\nHost: t\r\n\r\n" wait:10 > "$T/out"
ok $? "HTTP/1.1 Connection: close: closed"
is "$(statuses < "$T/out")" 200 "after one answer"
raw "send:GET $L HTTP/1.1\r\nHost: t\r\nConnection: keep-alive, Close\r\n\r\n" wait:10 > "$T/out"
ok $? "close in a Connection list, any case: closed"
is "$(statuses < "$T/out")" 200 "after one answer"

raw "send:GET $L HTTP/2.0\r\nHost: t\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 505 "HTTP/2.0 in an HTTP/1 request-line: 505"
raw "send:PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 400 "the HTTP/2 preface: 400"
raw "send:GET $L\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 400 "an HTTP/0.9 request: 400"
raw "send:GET $L HTTP/1.1\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 400 "HTTP/1.1 without Host: 400"
is "$(tr -d '\r' < "$T/out" | tail -n 1)" "missing Host" "400 says why"
raw "send:GET http://t$L HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 200 "absolute-form target (RFC 9112 section 3.2.2, a server must take it): 200"
is "$(tr -d '\r' < "$T/out" | tail -n 1)" "v1.0.0" "  with the list of its path"
raw "send:GET http://t HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 200 "absolute-form with no path: the front page, as for /"
raw "send:GET http://u@t$L HTTP/1.1\r\nHost: t\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 400 "absolute-form with userinfo: 400"

code=$(curl -s -o "$T/b" -w '%{http_code}' -X FROB "$U/$M/@v/list")
is "$code" 501 "an unknown method: 501"
is "$(cat "$T/b")" "request method not implemented" "501 says why"
curl -s -D "$T/h" -o /dev/null -X POST "$U/$M/@v/list"
head -n 1 "$T/h" | grep -q '^HTTP/1.1 405 '
ok $? "POST on a read route: 405"
is "$(field Allow "$T/h")" "GET, HEAD" "405 Allow: GET, HEAD"
curl -s -D "$T/h" -o /dev/null "$U/upload"
is "$(field Allow "$T/h")" "PUT" "GET on upload: 405 Allow: PUT"
curl -s -D "$T/h" -o /dev/null -X OPTIONS "$U/$M/@v/list"
head -n 1 "$T/h" | grep -q '^HTTP/1.1 405 '
ok $? "OPTIONS: 405 with Allow"
done_testing
