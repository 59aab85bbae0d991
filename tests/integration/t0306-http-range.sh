#!/bin/sh
# Byte ranges on .zip (RFC 9110 section 14): 206 with Content-Range, so an
# interrupted download resumes (curl -C -); If-Range; 416 past the end.
# The same on a small zip and go.mod (read whole before their head is
# written, or the go.mod from its record's copy), and a file whose size is
# not its record's is no version's.
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

# a small zip (under 16 KB: read whole, with one byte more, before its
# head is written) and a go.mod take ranges alike
is "$(upload "$T/hello.zip")" 201 "a small module uploaded"
SZ=$U/$M/@v/v1.0.0.zip
ssize=$(wc -c < "$T/hello.zip" | tr -d ' ')
is "$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' -r 10-29 "$SZ")" 206 "a small zip, bytes=10-29: 206"
is "$(field Content-Range "$T/h")" "bytes 10-29/$ssize" "its Content-Range"
tail -c +11 "$T/hello.zip" | head -c 20 | cmp -s - "$T/b"
ok $? "its bytes 10 to 29"
is "$(curl -s -o "$T/b" -w '%{http_code}' "$SZ")" 200 "the small zip whole: 200"
cmp -s "$T/hello.zip" "$T/b"
ok $? "every byte"
is "$(curl -s -o "$T/b" -w '%{http_code}' -r 7- "$U/$M/@v/v1.0.0.mod")" 206 "a go.mod, bytes=7-: 206"
tail -c +8 "$T/src/go.mod" | cmp -s - "$T/b"
ok $? "the go.mod from byte 7"

# a file whose size is not its record's (a delete and an upload racing a
# read, or a hand that changed the store): 404, for small and large files,
# one byte more or less
SF=$R/acme/$M/@v/v1.0.0
BF=$R/acme/example.com/big/@v/v1.0.0
cp "$SF.zip" "$T/keep.zip"
printf x >> "$SF.zip"
is "$(curl -s -o /dev/null -w '%{http_code}' "$SZ")" 404 "a small zip one byte longer than its record: 404"
head -c $((ssize - 1)) "$T/keep.zip" > "$SF.zip"
is "$(curl -s -o /dev/null -w '%{http_code}' "$SZ")" 404 "one byte shorter: 404"
cp "$T/keep.zip" "$SF.zip"
is "$(curl -s -o /dev/null -w '%{http_code}' "$SZ")" 200 "the zip back: 200"
printf x >> "$BF.zip"
is "$(curl -s -o /dev/null -w '%{http_code}' "$Z")" 404 "a 1.5 MB zip one byte longer: 404"

# a go.mod of up to 16 KB is served from the copy its record keeps, not
# from the file: a .mod file changed by hand does not change it (goreg-fsck
# says so), and ranges, HEAD and validators work on it as on a file
cp "$SF.mod" "$T/keep.mod"
printf '\n' >> "$SF.mod"
is "$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' "$U/$M/@v/v1.0.0.mod")" 200 \
   "a .mod file one byte longer: the .mod is still served, 200"
cmp -s "$T/keep.mod" "$T/b"
ok $? "  the record's copy, byte for byte the go.mod uploaded"
is "$(field Accept-Ranges "$T/h")" bytes "  Accept-Ranges: bytes"
metag=$(field ETag "$T/h")
is "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $metag" "$U/$M/@v/v1.0.0.mod")" 304 \
   "  If-None-Match its ETag: 304"
is "$(curl -s -o /dev/null -w '%{http_code}' -r 0-3 -H "If-Range: $metag" "$U/$M/@v/v1.0.0.mod")" 206 \
   "  If-Range its ETag: 206"
is "$(curl -s -o "$T/b" -w '%{http_code}' -r 100000- "$U/$M/@v/v1.0.0.mod")" 416 "  a range past its end: 416"
is "$(curl -s -I -o /dev/null -w '%{http_code} %{size_download}' "$U/$M/@v/v1.0.0.mod")" "200 0" "  HEAD: 200, no body"
cp "$T/keep.mod" "$SF.mod"

# a larger go.mod is served from its file, which must be the record's size
make_module "$T/wide" example.com/wide
awk 'BEGIN { for (i = 0; i < 400; i++) printf "// a go.mod of more than 16 KB, line %03d .........................\n", i }' \
	>> "$T/wide/go.mod"
pack example.com/wide v1.0.0 "$T/wide" "$T/wide.zip"
is "$(upload "$T/wide.zip")" 201 "a module with a go.mod of $(wc -c < "$T/wide/go.mod" | tr -d ' ') bytes"
WF=$R/acme/example.com/wide/@v/v1.0.0
is "$(curl -s -o "$T/b" -w '%{http_code}' "$U/example.com/wide/@v/v1.0.0.mod")" 200 "  its .mod: 200"
cmp -s "$T/wide/go.mod" "$T/b"
ok $? "  byte for byte"
is "$(curl -s -o "$T/b" -w '%{http_code}' -r 17000-17009 "$U/example.com/wide/@v/v1.0.0.mod")" 206 "  bytes=17000-17009: 206"
tail -c +17001 "$T/wide/go.mod" | head -c 10 | cmp -s - "$T/b"
ok $? "  those ten bytes"
printf '\n' >> "$WF.mod"
is "$(curl -s -o /dev/null -w '%{http_code}' "$U/example.com/wide/@v/v1.0.0.mod")" 404 "  its file one byte longer: 404"
done_testing
