#!/bin/sh
# Chunked request bodies (RFC 9112 section 7.1): curl's own chunked
# upload, hand-made chunks with extensions and trailers, and bad chunking,
# which is answered 400 (or 413) and closes the connection with nothing
# stored.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go

code=$(curl -sS -o "$T/body" -w '%{http_code}' -v --user "acme:$TOKEN" -H 'Transfer-Encoding: chunked' \
	--upload-file "$T/hello.zip" "$U/upload" 2>"$T/curl.err")
is "$code" 201 "curl -H 'Transfer-Encoding: chunked' --upload-file: 201"
grep -qi '^> Transfer-Encoding: chunked' "$T/curl.err"
ok $? "curl did send it chunked"
curl -s -o "$T/got.zip" "$U/$M/@v/v1.0.0.zip"
cmp -s "$T/got.zip" "$T/hello.zip"
ok $? "the stored zip is byte for byte the upload"
# from a pipe: curl cannot know the length and chunks by itself
code=$(cat "$T/hello11.zip" | curl -sS -o "$T/body" -w '%{http_code}' --user "acme:$TOKEN" --upload-file - "$U/upload")
is "$code" 201 "curl --upload-file - (chunked from a pipe): 201"
curl -s -o "$T/got.zip" "$U/$M/@v/v1.1.0.zip"
cmp -s "$T/got.zip" "$T/hello11.zip"
ok $? "that zip too is stored byte for byte"

# hand-made chunks: 1-byte to 4000-byte chunks, extensions, a trailer
make_module "$T/src2" example.com/chunky
pack example.com/chunky v1.0.0 "$T/src2" "$T/chunky.zip"
perl -e 'local $/; my $d = <STDIN>; my $n = 1; while (length $d) { my $c = substr($d, 0, $n, ""); printf "%X ; ext=\"a;b\"\r\n%s\r\n", length $c, $c; $n = $n * 3 % 4001 }
	print "0000\r\nX-Checksum: none\r\nX-More: 1\r\n\r\n"' < "$T/chunky.zip" > "$T/chunked"
HEAD="PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic $AUTH\r\nTransfer-Encoding: chunked\r\n"
out=$(raws "send:$HEAD\r\n" "sendfile:$T/chunked" "send:GET /api/packages/acme/go/example.com/chunky/@v/list HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10)
is "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ')" "201 200 " "odd-sized chunks, extensions, trailer: 201, and the connection goes on"
curl -s -o "$T/got.zip" "$U/example.com/chunky/@v/v1.0.0.zip"
cmp -s "$T/got.zip" "$T/chunky.zip"
ok $? "reassembled byte for byte"

# bad chunking: 400 and close, nothing stored, nothing left in the spool
make_module "$T/src3" example.com/bad
pack example.com/bad v1.0.0 "$T/src3" "$T/bad.zip"
len=$(wc -c < "$T/bad.zip")
hex=$(printf '%x' "$len")
head -c 100 "$T/bad.zip" > "$T/first100"
for c in "zz|not hex" "-$hex|negative" "0x$hex|0x prefix" "$hex garbage|junk after the size" \
	" $hex|space before the size" "10000000000000000|more than 15 hex digits"; do
	size=${c%%|*}
	why=${c#*|}
	raw "send:$HEAD\r\n$size\r\n" "sendfile:$T/bad.zip" "send:\r\n0\r\n\r\nGET /api/packages/acme/go/example.com/bad/@v/list HTTP/1.1\r\nHost: t\r\n\r\n" wait:10 > "$T/out"
	is "$(statuses < "$T/out")" 400 "chunk size $why: 400, and the request after it is not answered"
	grep -q '^Connection: close' "$T/out"
	ok $? "chunk size $why: Connection: close"
done
raw "send:$HEAD\r\n64\r\n" "sendfile:$T/first100" "send:XX0\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 400 "chunk data longer than its size: 400"
raw "send:$HEAD\r\n64\n" "sendfile:$T/first100" "send:\n0\n\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 400 "chunk lines with bare LF: 400"
raw "send:$HEAD\r\n64\r\n" "sendfile:$T/first100" "send:\r\n0\r\nbad trailer\r\n\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 400 "malformed trailer field: 400"
raw "send:$HEAD\r\n20000001\r\n" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 413 "a chunk that would pass the 500 MiB zip limit: 413 before its data"
grep -q '^Connection: close' "$T/out"
ok $? "413: Connection: close"
code=$(http "$U/example.com/bad/@v/list")
is "$code" 404 "none of these stored anything"
spool_empty
ok $? "and nothing is left in the spool directory"
done_testing
