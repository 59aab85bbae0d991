#!/bin/sh
# Limits of the request head and body, each with its own status, a
# one-line reason and the connection closed: 414 request-line, 431 header
# section (size, count, one field), 413 body above the 500 MiB zip limit
# answered on the head alone, before any of the body is read.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"

long=$(head -c 9000 /dev/zero | tr '\0' a)
code=$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' "$U/$long/@v/list")
is "$code" 414 "a 9000-byte request-line: 414"
is "$(field Connection "$T/h")" close "414 closes the connection"
is "$(cat "$T/b")" "request line too long" "414 says why, on one line"
code=$(curl -s -o /dev/null -w '%{http_code}' "$U/$M/@v/list?$(head -c 8000 /dev/zero | tr '\0' a)")
is "$code" 200 "an 8000-byte request-line (a long query) is within the limit: 200"

code=$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' -H "X-Big: $(head -c 17000 /dev/zero | tr '\0' b)" "$U/$M/@v/list")
is "$code" 431 "a 17000-byte header field: 431"
is "$(field Connection "$T/h")" close "431 closes the connection"
is "$(cat "$T/b")" "request header section too large" "431 says why"
set --
for i in $(seq 1 70); do set -- "$@" -H "X-H$i: $i"; done
code=$(curl -s -o "$T/b" -w '%{http_code}' "$@" "$U/$M/@v/list")
is "$code" 431 "70 header fields: 431"
is "$(cat "$T/b")" "too many header fields" "431 says why"
code=$(curl -s -o "$T/b" -w '%{http_code}' -H "Authorization: Bearer $long" "$U/$M/@v/list")
is "$code" 431 "an Authorization longer than goreg holds: 431, not cut"
code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 15000 /dev/zero | tr '\0' b)" "$U/$M/@v/list")
is "$code" 200 "a 15000-byte header field is within the limit: 200"

# 413 on the head alone: the client sends no body and still gets it
PUT="PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic $AUTH\r\n"
raw "send:${PUT}Content-Length: 524288001\r\n\r\n" wait:10 > "$T/out"
ok $? "Content-Length 524288001 without a body: the server answers and closes"
is "$(statuses < "$T/out")" 413 "413 at once"
grep -q '^Connection: close' "$T/out"
ok $? "413 closes the connection"
raw "send:${PUT}Content-Length: 99999999999999999999999\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 413 "an absurd Content-Length: 413"
raw "send:PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nContent-Length: 600000000\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 413 "413 comes before authentication (no credentials)"
# curl sending a body the server refuses: the answer still arrives intact
code=$(head -c 300000 /dev/zero | curl -s -o "$T/b" -w '%{http_code}' -H 'Content-Length: 600000000' --user "acme:$TOKEN" \
	-H 'Expect:' --data-binary @- -X PUT "$U/upload")
is "$code" 413 "curl streaming a body announced too large: 413 reaches it"
is "$(cat "$T/b")" "request body too large" "413 says why"
raw "send:${PUT}Content-Length: 524288000\r\n\r\nPK" shut wait:10 > "$T/out"
is "$(statuses < "$T/out")" 400 "exactly the limit is accepted (then 400: the body ends early)"
spool_empty
ok $? "nothing left in the spool directory"
http "$U/$M/@v/list" >/dev/null
is "$(cat "$T/body")" v1.0.0 "nothing new stored"
done_testing
