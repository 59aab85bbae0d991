#!/bin/sh
# goreg.cgi under lighttpd's mod_cgi, configured by etc/lighttpd/goreg.conf
# (straight at /api) and mounted as /cgi-bin/goreg.cgi: the same route table, the same
# status codes and bodies as goreg-httpd on the same store, uploads through
# the CGI (chunked too), and the go command using it as its GOPROXY.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
command -v lighttpd >/dev/null 2>&1 || skip_all "lighttpd is not installed"
setup_registry
start_httpd "$R"

start_lighttpd_cgi "$R"
ROOTS="$BASE $L $L/cgi-bin/goreg.cgi"

# The CGI writes the upload; both see it
code=$(http --user "acme:$TOKEN" --upload-file "$T/hello.zip" "$L/api/packages/acme/go/upload")
is "$code" 201 "upload through lighttpd + goreg.cgi (root mount): 201"
is "$(http "$BASE/api/packages/acme/go/$M/@v/list")" 200 "goreg-httpd sees it"
code=$(http --user "acme:$TOKEN" -H 'Transfer-Encoding: chunked' --upload-file "$T/hello11.zip" \
	"$L/cgi-bin/goreg.cgi/api/packages/acme/go/upload")
is "$code" 201 "chunked upload through lighttpd + goreg.cgi (/cgi-bin mount): 201"
curl -s -o "$T/got.zip" "$BASE/api/packages/acme/go/$M/@v/v1.1.0.zip"
cmp -s "$T/got.zip" "$T/hello11.zip"
ok $? "stored byte for byte"

# same request, same answer, whichever front end
same() { # same DESCRIPTION PATH CURL-ARGS...
	what=$1
	p=$2
	shift 2
	want=
	for root in $ROOTS; do
		: > "$T/b"
		code=$(curl -s -o "$T/b" -w '%{http_code}' "$@" "$root$p")
		got="$code $(sha256sum < "$T/b" | cut -c1-16)"
		if [ -z "$want" ]; then
			want=$got
			wantbody=$(head -c 60 "$T/b" | tr -cd '[:print:]')
		fi
		is "$got" "$want" "$what: $root: $code, the same body as goreg-httpd's"
	done
	diag "$what: $want $wantbody"
}
P=/api/packages/acme/go/$M
same "list" "$P/@v/list"
same ".info" "$P/@v/v1.0.0.info"
same ".mod" "$P/@v/v1.1.0.mod"
same ".zip" "$P/@v/v1.0.0.zip"
same "@latest" "$P/@latest"
same "GitLab layout" "/api/v4/projects/acme/packages/go/$M/@v/list"
same "GitLab layout, id percent-encoded" "/api/v4/projects/%61cme/packages/go/$M/@latest"
same "unknown module" "/api/packages/acme/go/example.com/nothere/@v/list"
same "unknown version" "$P/@v/v9.9.9.info"
same "not a canonical version" "$P/@v/master.info"
same "sumdb" "/api/packages/acme/go/sumdb/sum.golang.org/supported"
same "unknown owner" "/api/packages/nobody/go/$M/@v/list"
same "no route" "/api/packages/acme/nothing"
# goreg.cgi mapped onto /api is no mount: /api/api/packages/... is no
# second spelling of /api/packages/... (a 404, as goreg-httpd answers)
same "the API's path below /api again" "/api$P/@v/list"
same "malformed escape" "/api/packages/acme/go/example.com/h%zzllo/@v/list"
same "wrong method" "$P/@v/list" -X DELETE
same "If-None-Match: *" "$P/@v/v1.0.0.zip" -H 'If-None-Match: *'
same "If-Modified-Since" "$P/@v/v1.0.0.zip" -H 'If-Modified-Since: Fri, 31 Dec 2100 23:59:59 GMT'
same "Range" "$P/@v/v1.0.0.zip" -r 10-99
same "Range past the end" "$P/@v/v1.0.0.zip" -r 99999-
for root in $ROOTS; do
	code=$(curl -s -I -D "$T/h" -o /dev/null -w '%{http_code}' "$root$P/@v/v1.0.0.zip")
	is "$code $(field Content-Length "$T/h")" "200 $(wc -c < "$T/hello.zip" | tr -d ' ')" "HEAD .zip: $root: 200 with the zip's Content-Length"
done
same "upload without credentials" "/api/packages/acme/go/upload" --upload-file "$T/hello.zip"
same "upload with a wrong token" "/api/packages/acme/go/upload" --user acme:wrong --upload-file "$T/hello.zip"
same "upload of an existing version" "/api/packages/acme/go/upload" --user "acme:$TOKEN" --upload-file "$T/hello.zip"
printf 'not a zip' > "$T/junk"
same "upload of junk" "/api/packages/acme/go/upload" --user "acme:$TOKEN" --upload-file "$T/junk"
same "Private-Token" "$P/@v/list" -H "Private-Token: $TOKEN"
same "DELETE without credentials" "/api/v1/packages/acme/go/example.com%2Fhello/v1.1.0" -X DELETE
same "DELETE of an absent version" "/api/v1/packages/acme/go/example.com%2Fhello/v7.0.0" --user "acme:$TOKEN" -X DELETE

# DELETE through the root mount: the module's %2F survives (REQUEST_URI)
code=$(http --user "acme:$TOKEN" -X DELETE "$L/api/v1/packages/acme/go/example.com%2Fhello/v1.1.0")
is "$code" 204 "DELETE through lighttpd + goreg.cgi: 204"
is "$(http "$BASE$P/@v/v1.1.0.info")" 404 "goreg-httpd sees it gone"
spool_empty
ok $? "nothing left in the spool directory"

# the go command through the CGI
mkdir -p "$T/app"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
json=$(go_env GOPROXY="$L/api/packages/acme/go" go mod download -json "$M@v1.0.0" 2>&1)
ok $? "go mod download through lighttpd + goreg.cgi"
like "$json" '"Sum": "h1:' "go computed the module's hash"
out=$(go_env GOPROXY="$L/cgi-bin/goreg.cgi/api/v4/projects/acme/packages/go" go list -m -versions "$M" 2>&1)
is "$out" "$M v1.0.0" "go list -m -versions through the /cgi-bin mount, GitLab layout"
grep -q 'goreg.cgi' "$T/lighttpd.err"
ok $((!$?)) "goreg.cgi wrote nothing to lighttpd's error log"
done_testing
