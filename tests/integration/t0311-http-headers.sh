#!/bin/sh
# The fields every answer carries: Date (RFC 9110 section 6.6.1) always;
# Content-Length always but on 204 and 304; errors as one line of
# text/plain; charset=utf-8 (what the go command shows); Cache-Control
# immutable on versioned files, short on list/@latest, private for a
# private owner; 405 with Allow, 401 with WWW-Authenticate.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"
IMF='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT$'

# check WANT-STATUS DESCRIPTION CURL-ARGS...: one request, its fields checked
check() {
	want=$1
	what=$2
	shift 2
	: > "$T/b"
	code=$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' "$@")
	is "$code" "$want" "$what: $want"
	is "$(grep -ci '^Date:' "$T/h")" 1 "$what: one Date"
	like "$(field Date "$T/h")" "$IMF" "$what: Date is an IMF-fixdate"
	case $want in
	204 | 304) is "$(field Content-Length "$T/h")" "" "$what: no Content-Length on $want" ;;
	*) is "$(field Content-Length "$T/h")" "$(wc -c < "$T/b" | tr -d ' ')" "$what: Content-Length is the body's length" ;;
	esac
	case $want in
	4?? | 5??)
		is "$(field Content-Type "$T/h")" "text/plain; charset=utf-8" "$what: text/plain; charset=utf-8"
		is "$(wc -l < "$T/b" | tr -d ' ')/$(tail -c 1 "$T/b" | od -An -c | tr -d ' ')" '1/\n' "$what: one line, ending in a newline"
		like "$(cat "$T/b")" '^[^ ].*[^ ]$' "$what: saying something ($(cat "$T/b"))"
		;;
	esac
}
check 200 "list" "$U/$M/@v/list"
check 200 ".info" "$U/$M/@v/v1.0.0.info"
check 200 ".zip" "$U/$M/@v/v1.0.0.zip"
check 201 "upload" --user "acme:$TOKEN" --upload-file "$T/hello11.zip" "$U/upload"
check 206 "range" -r 0-9 "$U/$M/@v/v1.0.0.zip"
check 304 "If-None-Match" -H 'If-None-Match: *' "$U/$M/@v/v1.0.0.zip"
check 204 "delete" --user "acme:$TOKEN" -X DELETE "$BASE/api/v1/packages/acme/go/example.com%2Fhello/v1.1.0"
check 400 "malformed escape" "$U/example.com/h%zzello/@v/list"
check 401 "wrong token" --user "acme:nope" --upload-file "$T/hello11.zip" "$U/upload"
check 404 "unknown module" "$U/example.com/nothere/@v/list"
check 404 "sumdb" "$U/sumdb/sum.golang.org/supported"
check 405 "method" -X DELETE "$U/$M/@v/list"
check 409 "existing version" --user "acme:$TOKEN" --upload-file "$T/hello.zip" "$U/upload"
check 413 "too large" --user "acme:$TOKEN" -H 'Content-Length: 600000000' -H 'Expect: 100-continue' -X PUT --data-binary x "$U/upload"
check 414 "long line" "$U/$(head -c 9000 /dev/zero | tr '\0' a)"
check 416 "range past the end" -r 999999- "$U/$M/@v/v1.0.0.zip"
check 431 "huge field" -H "X: $(head -c 17000 /dev/zero | tr '\0' a)" "$U/$M/@v/list"
check 501 "unknown method" -X FROB "$U/$M/@v/list"
raw "send:GET / HTTP/3.0\r\nHost: t\r\n\r\n" wait:10 > "$T/out"
grep -q '^Date: ' "$T/out"
ok $? "505 has a Date too"

cc() { curl -s -D "$T/h" -o /dev/null "$@"; field Cache-Control "$T/h"; }
IMM="public, max-age=31536000, immutable"
is "$(cc "$U/$M/@v/v1.0.0.info")" "$IMM" ".info: $IMM"
is "$(cc "$U/$M/@v/v1.0.0.mod")" "$IMM" ".mod: $IMM"
is "$(cc "$U/$M/@v/v1.0.0.zip")" "$IMM" ".zip: $IMM"
is "$(cc "$U/$M/@v/list")" "public, max-age=60" "list: public, max-age=60"
is "$(cc "$U/$M/@latest")" "public, max-age=60" "@latest: public, max-age=60"
is "$(cc "$U/example.com/nothere/@v/list")" "" "404: no Cache-Control"
admin "$R" owner private acme
is "$(cc --user "acme:$TOKEN" "$U/$M/@v/v1.0.0.zip")" "private, max-age=31536000, immutable" "private owner's .zip: private"
is "$(cc --user "acme:$TOKEN" "$U/$M/@v/list")" "private, max-age=60" "private owner's list: private"
curl -s -D "$T/h" -o /dev/null "$U/$M/@v/list"
is "$(field WWW-Authenticate "$T/h")" 'Basic realm="goreg"' "private owner, no credentials: WWW-Authenticate"
done_testing
