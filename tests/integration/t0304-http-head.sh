#!/bin/sh
# HEAD (RFC 9110 section 9.3.2) wherever GET works: the same status and
# header fields as GET (Content-Length included), no body.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"

for p in "$M/@v/list" "$M/@v/v1.0.0.info" "$M/@v/v1.0.0.mod" "$M/@v/v1.0.0.zip" "$M/@latest" \
	example.com/nothere/@v/list "$M/@v/v9.9.9.zip" sumdb/sum.golang.org/supported upload; do
	curl -s -D "$T/get.h" -o "$T/get.b" "$U/$p"
	curl -s -I -o "$T/head.h" "$U/$p"
	grep -v '^Date:' "$T/get.h" > "$T/get.hh"
	grep -v '^Date:' "$T/head.h" > "$T/head.hh"
	cmp -s "$T/get.hh" "$T/head.hh"
	ok $? "HEAD $p: the head of GET $p"
	is "$(field Content-Length "$T/head.h")" "$(wc -c < "$T/get.b" | tr -d ' ')" "HEAD $p: Content-Length is GET's body length"
done
# and nothing after the head: the next response follows at once
raw "send:HEAD /api/packages/acme/go/$M/@v/v1.0.0.zip HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" wait:10 > "$T/out"
ok $? "HEAD .zip: the server closes when told"
perl -0777 -ne 'exit(/\r\n\r\n\z/ ? 0 : 1)' "$T/out"
ok $? "HEAD .zip: nothing after the empty line"
grep -q '^Content-Length: [1-9]' "$T/out"
ok $? "HEAD .zip: but Content-Length of the zip"
code=$(curl -s -o /dev/null -w '%{http_code}' -I -H "Authorization: Basic $AUTH" "$U/upload")
is "$code" 405 "HEAD on upload: 405"
curl -s -I -o "$T/head.h" -H "Authorization: Basic $AUTH" "$U/upload"
is "$(field Allow "$T/head.h")" PUT "with Allow: PUT"
done_testing
