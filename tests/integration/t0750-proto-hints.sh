#!/bin/sh
# Refusals name the way out where users trip: a version without its v, a
# GOPROXY base without /go (Gitea's and GitLab's), a DELETE whose module
# path was not sent as one percent-encoded segment, and goreg-upload into
# an owner that has no account (published, but not served over HTTP).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "a version uploaded"
is "$(http "$U/$M/@v/1.0.0.info")" 404 "a version without its v: 404"
is "$(cat "$T/body")" "1.0.0: not a canonical version (versions start with v: v1.0.0)" "naming the right one"
is "$(http "$U/$M/@v/master.info")" 404 "a branch name: 404"
is "$(cat "$T/body")" "master: not a canonical version" "without a hint that does not fit"
is "$(http "$BASE/api/packages/acme/$M/@v/list")" 404 "a base without /go: 404"
is "$(cat "$T/body")" "not found (a GOPROXY base is /api/packages/OWNER/go)" "saying what a base is"
is "$(http "$BASE/api/v4/projects/acme/$M/@v/list")" 404 "GitLab's base without packages/go: 404"
is "$(cat "$T/body")" "not found (a GOPROXY base is /api/v4/projects/ID/packages/go)" "saying what a base is"
is "$(http --user "acme:$TOKEN" -X DELETE "$BASE/api/v1/packages/acme/go/$M/v1.0.0")" 404 \
	"a DELETE with the module's slashes unescaped: 404"
like "$(cat "$T/body")" 'percent-encode its slashes, as in example.com%2Fhello' "saying how to send it"
is "$(http "$U/$M/@v/v1.0.0.info")" 200 "and nothing was deleted"
is "$(http "$BASE/nothing/here")" 404 "an unrelated path: 404"
is "$(cat "$T/body")" "not found" "plainly"

"$B/goreg-upload" -r "$R" nobody "$T/hello.zip" 2> "$T/err"
is "$?" 0 "goreg-upload into an owner without an account: published"
like "$(cat "$T/err")" "note: 'nobody' has no account, so goreg-httpd and goreg.cgi do not serve it until 'goreg-admin user add nobody'" \
	"with a note saying it will not be served, and what to run"
"$B/goreg-upload" -r "$R" acme "$T/hello11.zip" 2> "$T/err"
is "$(cat "$T/err")" "goreg-upload: created example.com/hello@v1.1.0" "no note for an owner with an account"
done_testing
