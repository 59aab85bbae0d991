#!/bin/sh
# Expect: 100-continue (RFC 9110 section 10.1.1): the interim 100 is sent
# only when the body is wanted; a request refused on its head (401, 404,
# 413) gets the final answer alone and never 100 Continue.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go

# curl sends Expect by itself for bodies above 1 MiB
make_module "$T/big" example.com/big
head -c 1500000 /dev/urandom > "$T/big/blob.bin"
pack example.com/big v1.0.0 "$T/big" "$T/big.zip"
code=$(curl -sS -v -o "$T/body" -w '%{http_code}' --user "acme:$TOKEN" --upload-file "$T/big.zip" "$U/upload" 2>"$T/curl.err")
is "$code" 201 "a 1.5 MB upload with curl: 201"
grep -q '^> Expect: 100-continue' "$T/curl.err"
ok $? "curl asked for 100-continue"
grep -q '^< HTTP/1.1 100 Continue' "$T/curl.err"
ok $? "goreg-httpd answered 100 Continue before the body"
curl -s -o "$T/got.zip" "$U/example.com/big/@v/v1.0.0.zip"
cmp -s "$T/got.zip" "$T/big.zip"
ok $? "stored byte for byte"

code=$(curl -sS -v -o "$T/body" -w '%{http_code}' -H 'Expect: 100-continue' --user "acme:$TOKEN" \
	--upload-file "$T/hello.zip" "$U/upload" 2>"$T/curl.err")
is "$code" 201 "a small upload with Expect forced: 201"
grep -q '^< HTTP/1.1 100 Continue' "$T/curl.err"
ok $? "with 100 Continue"
code=$(curl -sS -v -o "$T/body" -w '%{http_code}' -H 'Expect: 100-continue' --user "acme:wrong" \
	--upload-file "$T/hello11.zip" "$U/upload" 2>"$T/curl.err")
is "$code" 401 "Expect with a wrong token: 401"
grep -q '^< HTTP/1.1 100 Continue' "$T/curl.err"
ok $((!$?)) "and no 100 Continue"

# by hand: the client holds the body back and reads what comes
len=$(wc -c < "$T/hello11.zip")
PUT="PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
raw "send:${PUT}Content-Length: $len\r\n\r\n" head:10 > "$T/out"
is "$(statuses < "$T/out")" 401 "no credentials: the first thing sent is the final 401"
grep -q '^Connection: close' "$T/out"
ok $? "401 to a client holding its body back closes the connection"
raw "send:${PUT}Authorization: Basic $AUTH\r\nContent-Length: 600000000\r\n\r\n" head:10 > "$T/out"
is "$(statuses < "$T/out")" 413 "Content-Length above the zip limit: the final 413, no 100"
raw "send:PUT /api/packages/acme/go/nowhere HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nAuthorization: Basic $AUTH\r\nContent-Length: $len\r\n\r\n" head:10 > "$T/out"
is "$(statuses < "$T/out")" 404 "a PUT to no route: the final 404, no 100"
raw "send:${PUT}Authorization: Basic $AUTH\r\nContent-Length: $len\r\nConnection: close\r\n\r\n" head:10 "sendfile:$T/hello11.zip" wait:5 > "$T/out"
is "$(statuses < "$T/out")" "100 201" "with credentials: 100 Continue, then (after the body) 201"
raw "send:${PUT}Authorization: Basic $AUTH\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n" head:10 "send:5\r\nhello\r\n0\r\n\r\n" wait:5 > "$T/out"
is "$(statuses < "$T/out")" "100 400" "chunked with Expect: 100 Continue, then 400 for a body that is no zip"
raw "send:PUT /api/packages/acme/go/upload HTTP/1.0\r\nExpect: 100-continue\r\nAuthorization: Basic $AUTH\r\nContent-Length: 5\r\n\r\nhello" wait:5 > "$T/out"
is "$(statuses < "$T/out")" 400 "HTTP/1.0 with Expect: ignored (no 100), the body read"
raw "send:${PUT}Authorization: Basic $AUTH\r\nContent-Length: $len\r\nExpect: 200-ok\r\n\r\n" wait:5 > "$T/out"
is "$(statuses < "$T/out")" 417 "an unknown expectation: 417"
spool_empty
ok $? "nothing left in the spool directory"
done_testing
