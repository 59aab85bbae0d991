#!/bin/sh
# Byte ranges on .zip (RFC 9110 section 14): 206 with Content-Range, so an
# interrupted download resumes (curl -C -); If-Range; 416 past the end.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
make_module "$T/big" example.com/big
head -c 1500000 /dev/urandom > "$T/big/blob.bin"
pack example.com/big v1.0.0 "$T/big" "$T/big.zip"
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/big.zip")" 201 "a 1.5 MB module uploaded"
Z=$U/example.com/big/@v/v1.0.0.zip
size=$(wc -c < "$T/big.zip" | tr -d ' ')

rng() { curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' "$@" "$Z"; }
is "$(rng -r 0-99)" 206 "Range: bytes=0-99: 206"
is "$(field Content-Range "$T/h")" "bytes 0-99/$size" "Content-Range: bytes 0-99/size"
is "$(field Content-Length "$T/h")" 100 "Content-Length: 100"
head -c 100 "$T/big.zip" | cmp -s - "$T/b"
ok $? "the first 100 bytes"
is "$(rng -r 1000-)" 206 "bytes=1000-: 206"
tail -c +1001 "$T/big.zip" | cmp -s - "$T/b"
ok $? "from byte 1000 to the end"
is "$(rng -r -500)" 206 "bytes=-500: 206"
is "$(field Content-Range "$T/h")" "bytes $((size - 500))-$((size - 1))/$size" "the last 500 bytes' Content-Range"
tail -c 500 "$T/big.zip" | cmp -s - "$T/b"
ok $? "the last 500 bytes"
is "$(rng -r 5-4000000)" 206 "last past the end: 206"
tail -c +6 "$T/big.zip" | cmp -s - "$T/b"
ok $? "cut at the end"
is "$(field Accept-Ranges "$T/h")" bytes "Accept-Ranges: bytes"

is "$(rng -r "$size-")" 416 "first byte past the end: 416"
is "$(field Content-Range "$T/h")" "bytes */$size" "416: Content-Range: bytes */size"
is "$(field Content-Type "$T/h")" "text/plain; charset=utf-8" "416: a text/plain body"
is "$(wc -l < "$T/b" | tr -d ' ')" 1 "416: of one line"
is "$(rng -r 0-1,5-6)" 200 "several ranges: the whole zip, 200"
cmp -s "$T/b" "$T/big.zip"
ok $? "whole"
is "$(rng -r 9-3)" 200 "an invalid range: ignored, 200"
code=$(curl -s -I -o /dev/null -w '%{http_code}' -r 0-99 "$Z")
is "$code" 200 "HEAD ignores Range: 200"

etag=$(curl -s -I "$Z" | tr -d '\r' | sed -n 's/^ETag: //p')
lm=$(curl -s -I "$Z" | tr -d '\r' | sed -n 's/^Last-Modified: //p')
is "$(rng -r 10-19 -H "If-Range: $etag")" 206 "If-Range with the current ETag: 206"
is "$(rng -r 10-19 -H 'If-Range: "0ld"')" 200 "If-Range with an old ETag: the whole zip, 200"
cmp -s "$T/b" "$T/big.zip"
ok $? "whole"
is "$(rng -r 10-19 -H "If-Range: $lm")" 206 "If-Range with the Last-Modified date: 206"

# resuming: a first part, then curl -C - fetches the rest
curl -s -r 0-123456 -o "$T/part" "$Z"
is "$(wc -c < "$T/part" | tr -d ' ')" 123457 "a first part of 123457 bytes"
code=$(curl -s -C - -o "$T/part" -w '%{http_code}' "$Z")
is "$code" 206 "curl -C - asks for the rest: 206"
cmp -s "$T/part" "$T/big.zip"
ok $? "the resumed download is byte for byte the zip"
# a download cut off anywhere (here after 777777 bytes) resumes the same way
curl -s -o "$T/cut" "$Z"
head -c 777777 "$T/cut" > "$T/cut2"
code=$(curl -s -C - -o "$T/cut2" -w '%{http_code}' "$Z")
is "$code" 206 "resumed after 777777 bytes: 206"
cmp -s "$T/cut2" "$T/big.zip"
ok $? "byte for byte the zip"
code=$(curl -s -C - -o "$T/cut2" -w '%{http_code}' "$Z")
is "$code" 416 "resuming a complete file: 416"
cmp -s "$T/cut2" "$T/big.zip"
ok $? "and the file stays whole"
done_testing
