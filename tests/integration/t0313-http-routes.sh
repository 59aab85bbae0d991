#!/bin/sh
# The route table over HTTP: Gitea's layout /api/packages/{owner}/go and
# GitLab's /api/v4/projects/{id}/packages/go give the same answers; upload
# under both; DELETE /api/v1/packages/{owner}/go/{module}/{version};
# sumdb 404; '!'-case-encoding and percent-decoding; nothing can name a
# path outside the store.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
G=$BASE/api/packages/acme/go
L=$BASE/api/v4/projects/acme/packages/go
U=$G
is "$(upload "$T/hello.zip")" 201 "upload under the Gitea layout: 201"
code=$(http --user "acme:$TOKEN" --upload-file "$T/hello11.zip" "$L/upload")
is "$code" 201 "upload under the GitLab layout: 201"

for p in "$M/@v/list" "$M/@v/v1.0.0.info" "$M/@v/v1.1.0.mod" "$M/@v/v1.0.0.zip" "$M/@latest" \
	example.com/nothere/@v/list "$M/@v/v9.0.0.info" sumdb/sum.golang.org/supported; do
	a=$(curl -s -w ' %{http_code}' "$G/$p" | sha256sum)
	b=$(curl -s -w ' %{http_code}' "$L/$p" | sha256sum)
	is "$b" "$a" "GitLab layout = Gitea layout: $p"
done
is "$(http "$G/sumdb/sum.golang.org/supported")" 404 "sumdb/{name}/supported: 404"
is "$(http "$BASE/api/v4/projects/%61cme/packages/go/$M/@v/list")" 200 "a percent-encoded GitLab id: 200"
is "$(cat "$T/body")" "$(printf 'v1.0.0\nv1.1.0')" "the same owner"
is "$(http "$BASE/api/packages/ACME/go/$M/@v/list")" 200 "owner names are case-insensitive"
is "$(http "$G/example.com/%68ello/@v/list")" 200 "percent-encoded module path: 200"

# '!'-case-encoding (go.dev/ref/mod#goproxy-protocol)
make_module "$T/up" example.com/Upper upper
pack example.com/Upper v1.0.0-RC.1 "$T/up" "$T/up.zip" || bail "goreg-pack failed"
is "$(upload "$T/up.zip")" 201 "a module with capitals uploaded"
is "$(http "$G/example.com/!upper/@v/list")" 200 "example.com/!upper/@v/list: 200"
is "$(cat "$T/body")" v1.0.0-RC.1 "the version as uploaded"
is "$(http "$G/example.com/!upper/@v/v1.0.0-!r!c.1.info")" 200 "!-encoded version: 200"
is "$(http "$G/example.com/Upper/@v/list")" 404 "capitals not !-encoded: 404"

# DELETE, module percent-encoded as one segment
D=$BASE/api/v1/packages/acme/go
is "$(http --user "acme:$TOKEN" -X DELETE "$D/example.com%2Fhello/v1.1.0")" 204 "DELETE: 204"
is "$(http "$G/$M/@v/v1.1.0.info")" 404 "the version is gone"
is "$(http --user "acme:$TOKEN" -X DELETE "$D/example.com%2Fhello/v1.1.0")" 404 "DELETE again: 404"
is "$(http -X DELETE "$D/example.com%2Fhello/v1.0.0")" 401 "DELETE without credentials: 401"
is "$(http --user "acme:$TOKEN" "$D/example.com%2Fhello/v1.0.0")" 405 "GET on the DELETE route: 405"

# nothing outside the store
for p in "../../../../etc/passwd" "$M/@v/../../../../../etc/passwd" "%2e%2e/%2e%2e/etc/passwd/@v/list" \
	"$M/@v/..%2f..%2fgoreg.tdb.info" "$M/@v/%2e%2e.info" "example.com/./hello/@v/list" "example.com//hello/@v/list"; do
	code=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$G/$p")
	case $code in 400 | 404) r=0 ;; *) r=1 ;; esac
	ok $r "$p: $code"
done
code=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' "$BASE/api/packages/../go/$M/@v/list")
ok "$(case $code in 400 | 404) echo 0 ;; *) echo 1 ;; esac)" "an owner of '..': $code"
is "$(http "$G/example.com/h%zzello/@v/list")" 400 "a malformed escape: 400"
is "$(http "$G/example.com/h%00ello/@v/list")" 400 "an escaped NUL: 400"
is "$(http "$G/example.com/hello%/@v/list")" 400 "a truncated escape: 400"
is "$(http "$BASE/api/packages/tmp/go/$M/@v/list")" 404 "the spool directory is no owner: 404"
long=$(head -c 3000 /dev/zero | tr '\0' a)
is "$(http "$G/example.com/$long/@v/list")" 404 "a module path longer than any can be: 404, not 400"
is "$(http "$G/example.com/%61$long/@v/list")" 404 "the same with an escape in it: 404"
done_testing
