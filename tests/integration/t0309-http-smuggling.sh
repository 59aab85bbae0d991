#!/bin/sh
# Request smuggling: framing that two HTTP parsers could read differently
# (RFC 9112 sections 2.2, 5.1, 5.2, 6.1, 6.3) is refused with 400 (501 for
# a transfer coding goreg lacks) and the connection closed, so whatever
# was hidden behind it is never read as a request.  Nothing is stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"

# Each case is a request whose framing is ambiguous, followed by the
# request a smuggler would hide in its body; a second status line would
# mean the hidden request was served.
HIDDEN="GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: t\r\n\r\n"
PUT="PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic $AUTH\r\n"
smuggle() { # smuggle STATUS DESCRIPTION REQUEST-BYTES
	raw "send:$3" wait:10 > "$T/out"
	rc=$?
	is "$(statuses < "$T/out")" "$1" "$2: $1, the hidden request not answered"
	grep -q '^Connection: close' "$T/out" && [ $rc -eq 0 ]
	ok $? "$2: Connection: close, and closed"
}
smuggle 400 "Content-Length and Transfer-Encoding" "${PUT}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n$HIDDEN"
smuggle 400 "Transfer-Encoding and Content-Length" "${PUT}Transfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n$HIDDEN"
smuggle 400 "two different Content-Lengths" "${PUT}Content-Length: 0\r\nContent-Length: 44\r\n\r\n$HIDDEN"
smuggle 400 "two equal Content-Lengths" "${PUT}Content-Length: 0\r\nContent-Length: 0\r\n\r\n$HIDDEN"
smuggle 400 "a Content-Length list" "${PUT}Content-Length: 0, 44\r\n\r\n$HIDDEN"
smuggle 400 "Content-Length with a sign" "${PUT}Content-Length: +0\r\n\r\n$HIDDEN"
smuggle 400 "Transfer-Encoding: identity" "${PUT}Transfer-Encoding: identity\r\n\r\n$HIDDEN"
smuggle 400 "Transfer-Encoding: xchunked" "${PUT}Transfer-Encoding: xchunked\r\n\r\n$HIDDEN"
smuggle 400 "Transfer-Encoding: chunked, identity" "${PUT}Transfer-Encoding: chunked, identity\r\n\r\n$HIDDEN"
smuggle 400 "chunked twice" "${PUT}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n$HIDDEN"
smuggle 400 "a control character before chunked" "${PUT}Transfer-Encoding: \x0bchunked\r\n\r\n0\r\n\r\n$HIDDEN"
smuggle 501 "Transfer-Encoding: gzip, chunked" "${PUT}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n$HIDDEN"
smuggle 400 "Transfer-Encoding in HTTP/1.0" "PUT /api/packages/acme/go/upload HTTP/1.0\r\nAuthorization: Basic $AUTH\r\nTransfer-Encoding: chunked\r\nConnection: keep-alive\r\n\r\n0\r\n\r\n$HIDDEN"
smuggle 400 "space before the colon" "${PUT}Transfer-Encoding : chunked\r\nContent-Length: 0\r\n\r\n$HIDDEN"
smuggle 400 "obs-fold" "${PUT}Content-Length: 0\r\nX-Fold: a\r\n Transfer-Encoding: chunked\r\n\r\n$HIDDEN"
smuggle 400 "whitespace before the first field" "PUT /api/packages/acme/go/upload HTTP/1.1\r\n Content-Length: 44\r\nHost: t\r\nAuthorization: Basic $AUTH\r\n\r\n$HIDDEN"
smuggle 400 "a bare LF ending a field" "${PUT}X: y\nContent-Length: 44\r\n\r\n$HIDDEN"
smuggle 400 "a bare CR inside a field" "${PUT}X: y\rContent-Length: 44\r\n\r\n$HIDDEN"
smuggle 400 "a NUL in a field" "${PUT}X: y\x00z\r\nContent-Length: 0\r\n\r\n$HIDDEN"
smuggle 400 "two Host fields" "GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n$HIDDEN"
smuggle 400 "bad chunk size" "${PUT}Transfer-Encoding: chunked\r\n\r\nzz\r\n\r\n$HIDDEN"
smuggle 400 "chunk size with junk" "${PUT}Transfer-Encoding: chunked\r\n\r\n0 x\r\n\r\n$HIDDEN"
smuggle 400 "chunk size with bare LF" "${PUT}Transfer-Encoding: chunked\r\n\r\n0\n\r\n$HIDDEN"
smuggle 400 "chunk size overflowing 64 bits" "${PUT}Transfer-Encoding: chunked\r\n\r\n10000000000000000000000000001\r\nA\r\n0\r\n\r\n$HIDDEN"
smuggle 400 "chunk size 0x-prefixed" "${PUT}Transfer-Encoding: chunked\r\n\r\n0x0\r\n\r\n$HIDDEN"

http "$U/$M/@v/list" >/dev/null
is "$(cat "$T/body")" v1.0.0 "nothing was stored"
spool_empty
ok $? "nothing left in the spool directory"
# the reason is said, on one line
raw "send:${PUT}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" wait:10 > "$T/out"
is "$(tr -d '\r' < "$T/out" | tail -n 1)" "both Content-Length and Transfer-Encoding" "400 says why"
done_testing
