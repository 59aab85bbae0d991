#!/bin/sh
# Pipelining (RFC 9112 section 9.3.2): requests sent back to back on one
# connection, before any answer, are answered in order; a request body
# between them is consumed exactly, whatever its framing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"
P=/api/packages/acme/go/$M
G() { printf 'GET %s HTTP/1.1\\r\\nHost: t\\r\\n\\r\\n' "$1"; }

out=$(raws "send:$(G $P/@v/list)$(G $P/@v/v1.0.0.mod)$(G /api/packages/acme/go/example.com/nothere/@v/list)$(G $P/@v/v1.0.0.info)$(G $P/@latest)GET $P/@v/list HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10)
ok $? "six pipelined requests in one write, the last with Connection: close: the server closes"
is "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ')" "200 200 404 200 200 200 " "six answers, in order"
is "$(printf '%s\n' "$out" | sed -n 1p)" '200 v1.0.0\n' "1st: the list"
is "$(printf '%s\n' "$out" | sed -n 2p)" '200 module example.com/hello\n\ngo 1.19\n' "2nd: the go.mod"
like "$(printf '%s\n' "$out" | sed -n 3p)" '^404 .*nothere' "3rd: the 404 for the unknown module"
like "$(printf '%s\n' "$out" | sed -n 4p)" '^200 \{"Version":"v1.0.0",' "4th: the .info"
like "$(printf '%s\n' "$out" | sed -n 5p)" '^200 \{"Version":"v1.0.0",' "5th: @latest"
is "$(printf '%s\n' "$out" | sed -n 6p)" '200 v1.0.0\n' "6th: the list again"

# the same, one byte per write
set --
for b in $(printf 'GET %s HTTP/1.1\r\nHost: t\r\n\r\nGET %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' "$P/@v/list" "$P/@v/v1.0.0.mod" | od -An -tx1); do
	set -- "$@" "send:\\x$b"
done
out=$(raws "$@" wait:10)
is "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ')" "200 200 " "two requests sent a byte at a time: two answers"

# a PUT with a Content-Length body between GETs
len=$(wc -c < "$T/hello11.zip")
out=$(raws "send:$(G $P/@v/list)PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic $AUTH\r\nContent-Length: $len\r\n\r\n" \
	"sendfile:$T/hello11.zip" "send:$(G $P/@v/list)GET $P/@v/v1.1.0.info HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10)
is "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ')" "200 201 200 200 " "GET, PUT with a body, GET, GET: answered in order"
is "$(printf '%s\n' "$out" | sed -n 1p)" '200 v1.0.0\n' "the GET before the PUT does not see v1.1.0"
is "$(printf '%s\n' "$out" | sed -n 3p)" '200 v1.0.0\nv1.1.0\n' "the GET after it does"

# a chunked body between GETs, in chunks of 1000 bytes with extensions
admin "$R" user add bob >/dev/null
BOBAUTH=$(printf 'bob:%s' "$(admin "$R" token add bob)" | base64 -w0)
perl -e 'local $/; my $d = <STDIN>; while (length $d) { my $c = substr($d, 0, 1000, ""); printf "%x;n=v\r\n%s\r\n", length $c, $c } print "0\r\nX-Trailer: 1\r\n\r\n"' \
	< "$T/hello.zip" > "$T/chunked"
B=/api/packages/bob/go/$M
out=$(raws "send:PUT /api/packages/bob/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic $BOBAUTH\r\nTransfer-Encoding: chunked\r\n\r\n" \
	"sendfile:$T/chunked" "send:$(G $B/@v/list)GET $B/@v/v1.0.0.zip HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10)
is "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ')" "201 200 200 " "chunked PUT, GET, GET: answered in order"
curl -s -o "$T/got.zip" "$BASE$B/@v/v1.0.0.zip"
cmp -s "$T/got.zip" "$T/hello.zip"
ok $? "the chunked upload stored the zip byte for byte"

# HEAD answers carry no body: the next status line follows the empty line
raw "send:HEAD $P/@v/v1.0.0.zip HTTP/1.1\r\nHost: t\r\n\r\n$(G $P/@v/list)HEAD $P/@v/list HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" "200 200 200" "HEAD, GET, HEAD pipelined"
perl -0777 -ne 'exit(/\AHTTP\/1\.1 200 OK\r\n.*?\r\n\r\nHTTP\/1\.1 200 OK\r\n.*?\r\n\r\nv1\.0\.0\nv1\.1\.0\nHTTP\/1\.1 200 OK\r\n.*?\r\n\r\n\z/s ? 0 : 1)' "$T/out"
ok $? "no body after either HEAD, exactly the list after the GET"
done_testing
