#!/bin/sh
# Validators and conditional GET (RFC 9110 sections 8.8 and 13): a strong
# ETag from the content's hash and Last-Modified on .info/.mod/.zip;
# If-None-Match and If-Modified-Since answer 304 with no body.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"
Z=$U/$M/@v/v1.0.0.zip

curl -s -D "$T/h" -o /dev/null "$Z"
etag=$(field ETag "$T/h")
lm=$(field Last-Modified "$T/h")
is "$etag" "\"$(sha256sum < "$T/hello.zip" | cut -d' ' -f1)\"" ".zip ETag: the zip's SHA-256, strong (no W/)"
like "$lm" '^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$' \
	".zip Last-Modified is an IMF-fixdate"

c304() { # c304 URL HEADER...: status, and whether a body came
	u=$1
	shift
	for h in "$@"; do set -- "$@" -H "$h"; shift; done
	: > "$T/cb"
	curl -s -D "$T/ch" -o "$T/cb" -w '%{http_code}' "$@" "$u"
}
is "$(c304 "$Z" "If-None-Match: $etag")" 304 "If-None-Match with the ETag: 304"
is "$(wc -c < "$T/cb")" 0 "304 has no body"
is "$(field ETag "$T/ch")" "$etag" "304 repeats the ETag"
is "$(field Cache-Control "$T/ch")" "public, max-age=31536000, immutable" "304 repeats Cache-Control"
is "$(field Content-Length "$T/ch")" "" "304 has no Content-Length"
like "$(field Date "$T/ch")" 'GMT$' "304 has a Date"
is "$(c304 "$Z" "If-None-Match: \"nope\", $etag")" 304 "the ETag in a list: 304"
is "$(c304 "$Z" "If-None-Match: W/$etag")" 304 "weak comparison (W/): 304"
is "$(c304 "$Z" "If-None-Match: *")" 304 "If-None-Match: *: 304"
is "$(c304 "$Z" 'If-None-Match: "0123"')" 200 "another ETag: 200"
cmp -s "$T/cb" "$T/hello.zip"
ok $? "with the whole zip"
is "$(c304 "$Z" "If-Modified-Since: $lm")" 304 "If-Modified-Since: Last-Modified: 304"
is "$(c304 "$Z" "If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT")" 304 "If-Modified-Since later: 304"
is "$(c304 "$Z" "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT")" 200 "If-Modified-Since earlier: 200"
is "$(c304 "$Z" "If-Modified-Since: yesterday")" 200 "If-Modified-Since not a date: 200"
is "$(c304 "$Z" 'If-None-Match: "0123"' "If-Modified-Since: $lm")" 200 "If-None-Match decides over If-Modified-Since"
code=$(curl -s -I -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$Z")
is "$code" 304 "HEAD with If-None-Match: 304"
code=$(curl -s -o /dev/null -w '%{http_code}' -z "$lm" "$Z")
is "$code" 304 "curl -z (If-Modified-Since): 304"

for ext in info mod; do
	curl -s -D "$T/h" -o /dev/null "$U/$M/@v/v1.0.0.$ext"
	e=$(field ETag "$T/h")
	like "$e" '^"[^"]+"$' ".$ext has a strong ETag"
	is "$(c304 "$U/$M/@v/v1.0.0.$ext" "If-None-Match: $e")" 304 ".$ext: If-None-Match: 304"
done
curl -s -D "$T/h" -o /dev/null "$U/$M/@v/list"
is "$(field ETag "$T/h")" "" "list changes with every upload: no ETag"
is "$(c304 "$U/$M/@v/list" "If-None-Match: *")" 200 "list: If-None-Match without an ETag is no match"
is "$(c304 "$U/example.com/nothere/@v/list" "If-None-Match: *")" 404 "404 stays 404"
done_testing
