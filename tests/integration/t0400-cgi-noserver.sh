#!/bin/sh
# goreg.cgi with no web server at all (git's t5560 way): the CGI/1.1
# meta-variables set by hand (RFC 3875 section 4.1), the body on stdin,
# the "Status:" header block checked (section 6.3).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry

# cgi VAR=VALUE...: run goreg.cgi with only these variables (and the store),
# stdin from $T/in; the output in $T/out, its head in $T/h, body in $T/b
: > "$T/in"
cgi() {
	env -i GOREG_ROOT="$R" GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 "$@" "$B/goreg.cgi" < "$T/in" > "$T/out" 2>"$T/err"
	: > "$T/h"
	: > "$T/b"
	perl -0777 -e '$_ = <STDIN>; /\A(.*?\r\n)\r\n(.*)\z/s or exit 1; open H, ">", $ARGV[0]; print H $1; open B, ">", $ARGV[1]; print B $2' \
		"$T/h" "$T/b" < "$T/out"
	sed -n '1s/^Status: \([0-9]*\).*/\1/p' "$T/h" | tr -d '\r'
}
S=/cgi-bin/goreg.cgi
P=/api/packages/acme/go/$M

cp "$T/hello.zip" "$T/in"
len=$(wc -c < "$T/in" | tr -d ' ')
is "$(cgi REQUEST_METHOD=PUT SCRIPT_NAME=$S PATH_INFO=/api/packages/acme/go/upload REQUEST_URI=$S/api/packages/acme/go/upload \
	CONTENT_LENGTH="$len" CONTENT_TYPE=application/zip HTTP_AUTHORIZATION="Basic $AUTH")" 201 "PUT upload through the CGI: 201"
is "$(cat "$T/b")" "created example.com/hello@v1.0.0" "the answer's body"
: > "$T/in"
is "$(cgi REQUEST_METHOD=GET SCRIPT_NAME=$S PATH_INFO=$P/@v/list REQUEST_URI=$S$P/@v/list)" 200 "GET list: 200"
is "$(cat "$T/b")" v1.0.0 "the list"
is "$(field Content-Type "$T/h")" "text/plain; charset=utf-8" "Content-Type"
is "$(field Content-Length "$T/h")" 7 "Content-Length"
grep -qi '^Date:\|^Connection:' "$T/h"
ok $((!$?)) "no Date or Connection: the web server's business"
is "$(cgi REQUEST_METHOD=GET SCRIPT_NAME=$S PATH_INFO=$P/@v/v1.0.0.zip)" 200 "GET .zip with PATH_INFO only: 200"
cmp -s "$T/b" "$T/hello.zip"
ok $? "the zip, byte for byte"
is "$(cgi REQUEST_METHOD=GET REQUEST_URI=$P/@v/v1.0.0.zip)" 200 "REQUEST_URI only: 200"
is "$(cgi REQUEST_METHOD=GET SCRIPT_NAME=/api PATH_INFO=/packages/acme/go/$M/@v/list)" 200 "mounted at /api: SCRIPT_NAME + PATH_INFO"
is "$(cgi REQUEST_METHOD=HEAD SCRIPT_NAME=$S PATH_INFO=$P/@v/v1.0.0.zip)" 200 "HEAD .zip: 200"
is "$(wc -c < "$T/b" | tr -d ' ')" 0 "HEAD: no body"
is "$(field Content-Length "$T/h")" "$(wc -c < "$T/hello.zip" | tr -d ' ')" "HEAD: Content-Length of the zip"
etag=$(cgi REQUEST_METHOD=GET REQUEST_URI=$P/@v/v1.0.0.zip >/dev/null; field ETag "$T/h")
is "$(cgi REQUEST_METHOD=GET REQUEST_URI=$P/@v/v1.0.0.zip HTTP_IF_NONE_MATCH="$etag")" 304 "If-None-Match: 304"
is "$(cgi REQUEST_METHOD=GET REQUEST_URI=$P/@v/v1.0.0.zip HTTP_RANGE=bytes=0-9)" 206 "Range: 206"
is "$(field Content-Range "$T/h")" "bytes 0-9/$len" "Content-Range"
head -c 10 "$T/hello.zip" | cmp -s - "$T/b"
ok $? "the first ten bytes"
is "$(cgi REQUEST_METHOD=GET REQUEST_URI=$P/@v/v1.0.0.zip HTTP_RANGE=bytes=99999-)" 416 "Range past the end: 416"

is "$(cgi REQUEST_METHOD=GET REQUEST_URI=/api/packages/acme/go/example.com/nothere/@v/list)" 404 "unknown module: 404"
is "$(wc -l < "$T/b" | tr -d ' ')" 1 "one line"
is "$(cgi REQUEST_METHOD=DELETE REQUEST_URI=$P/@v/list)" 405 "DELETE on list: 405"
is "$(field Allow "$T/h")" "GET, HEAD" "with Allow"
is "$(cgi REQUEST_METHOD=FROB REQUEST_URI=$P/@v/list)" 501 "unknown method: 501"
is "$(cgi REQUEST_URI=$P/@v/list)" 400 "no REQUEST_METHOD: 400"
is "$(cgi REQUEST_METHOD=GET)" 400 "no path at all: 400"
is "$(cgi REQUEST_METHOD=PUT REQUEST_URI=/api/packages/acme/go/upload CONTENT_LENGTH=600000000 HTTP_AUTHORIZATION="Basic $AUTH")" 413 \
	"CONTENT_LENGTH above the zip limit: 413"
is "$(cgi REQUEST_METHOD=PUT REQUEST_URI=/api/packages/acme/go/upload HTTP_AUTHORIZATION="Basic $AUTH")" 400 "PUT with no body: 400"
is "$(cgi REQUEST_METHOD=PUT REQUEST_URI=/api/packages/acme/go/upload CONTENT_LENGTH=5)" 401 "PUT without credentials: 401"
is "$(field WWW-Authenticate "$T/h")" 'Basic realm="goreg"' "with WWW-Authenticate"
# a body shorter than CONTENT_LENGTH promised
head -c 100 "$T/hello11.zip" > "$T/in"
is "$(cgi REQUEST_METHOD=PUT REQUEST_URI=/api/packages/acme/go/upload CONTENT_LENGTH=5000 HTTP_AUTHORIZATION="Basic $AUTH")" 400 \
	"a body shorter than CONTENT_LENGTH: 400"
# chunked from a server that streams it without CONTENT_LENGTH (Apache)
cp "$T/hello11.zip" "$T/in"
is "$(cgi REQUEST_METHOD=PUT REQUEST_URI=/api/packages/acme/go/upload HTTP_TRANSFER_ENCODING=chunked HTTP_AUTHORIZATION="Basic $AUTH")" 201 \
	"no CONTENT_LENGTH, HTTP_TRANSFER_ENCODING chunked: read to EOF, 201"
: > "$T/in"
is "$(cgi REQUEST_METHOD=DELETE REQUEST_URI=/api/v1/packages/acme/go/example.com%2Fhello/v1.1.0 PATH_INFO=/api/v1/packages/acme/go/example.com/hello/v1.1.0 \
	HTTP_PRIVATE_TOKEN="$TOKEN")" 204 "DELETE with %2F kept in REQUEST_URI, Private-Token: 204"
spool_empty
ok $? "nothing left in the spool directory"
is "$(cgi REQUEST_METHOD=GET REQUEST_URI=$P/@v/list GOREG_ROOT="$T/in")" 500 "a store that is a file: 500"
like "$(cat "$T/err")" '^goreg.cgi: GET .*: 500 ' "and a line in the web server's error log"
done_testing
