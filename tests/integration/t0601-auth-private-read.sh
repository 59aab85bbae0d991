#!/bin/sh
# A private owner's modules over HTTP, through both front ends
# (goreg-httpd and goreg.cgi): list, .info, .mod, .zip and @latest answer
# 401 with WWW-Authenticate to anonymous callers and 200 with every
# accepted form of credentials, under both URL layouts; the 401 (and a
# non-member's 404) is byte for byte the same whether or not the module or
# even the owner exists; private replies are Cache-Control: private.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"

setup_store
start_httpd "$R"
ZIP=$T/secret-v1.0.0.zip

GITEA=/api/packages/acme/go
GITLAB=/api/v4/projects/acme/packages/go
M=example.com/secret
ENDPOINTS="$M/@v/list $M/@v/v1.0.0.info $M/@v/v1.0.0.mod $M/@v/v1.0.0.zip $M/@latest"

# the credential forms: Gitea's and GitLab's conventions
creds() {
	printf '%s\n' \
		"Authorization: Basic $(b64 "alice:$TOK_ALICE")" \
		"Authorization: Basic $(b64 "$TOK_ALICE:")" \
		"Authorization: Basic $(b64 "$TOK_ALICE:x-oauth-basic")" \
		"Authorization: token $TOK_ALICE" \
		"Authorization: Bearer $TOK_ALICE" \
		"Private-Token: $TOK_ALICE"
}
# a readable name for a credential form in test descriptions
form() { printf '%s' "$1" | sed -e "s/$TOK_ALICE/TOKEN/" -e 's/Basic [A-Za-z0-9+\/=]*/Basic …/'; }

for FE in httpd cgi; do
	diag "front end: $FE"
	for base in $GITEA $GITLAB; do
		for e in $ENDPOINTS; do
			code=$(fetch $FE GET "$base/$e")
			is "$code" 401 "$FE: anonymous GET $base/$e is 401"
			is "$(hdr WWW-Authenticate)" 'Basic realm="goreg"' "$FE:   with WWW-Authenticate: Basic realm=\"goreg\""
		done
	done
	code=$(fetch $FE HEAD "$GITEA/$M/@v/v1.0.0.zip")
	is "$code" 401 "$FE: anonymous HEAD of the zip is 401"

	creds > "$T/creds"
	while IFS= read -r c; do
		for e in $ENDPOINTS; do
			code=$(fetch $FE GET "$GITEA/$e" "$c")
			is "$code" 200 "$FE: $(form "$c"): GET $e is 200"
			like "$(hdr Cache-Control)" '^private' "$FE:   Cache-Control is private"
		done
		code=$(fetch $FE GET "$GITLAB/$M/@v/v1.0.0.zip" "$c")
		is "$code" 200 "$FE: $(form "$c"): GET the zip under the GitLab base is 200"
		cmp -s "$T/body" "$ZIP"
		ok $? "$FE:   and it is the uploaded zip"
	done < "$T/creds"

	code=$(fetch $FE GET "$GITEA/$M/@v/list" "Authorization: Bearer $TOK_ALICE")
	is "$(cat "$T/body")" "$(printf 'v1.0.0\nv1.1.0')" "$FE: the list is the private module's versions"
	code=$(fetch $FE GET "$GITEA/$M/@latest" "Authorization: Bearer $TOK_ALICE")
	like "$(cat "$T/body")" '"Version":"v1.1.0"' "$FE: @latest is v1.1.0"
	code=$(fetch $FE GET "$GITEA/$M/@v/v1.0.0.zip" "Authorization: Bearer $TOK_BOB")
	is "$code" 200 "$FE: a read member reads the private org"

	# a 401 says nothing about what exists: an existing module, a missing
	# module, a missing version, and an owner that does not exist at all
	for e in "@v/list" "@v/v1.0.0.info" "@v/v1.0.0.zip" "@latest"; do
		fetch $FE GET "$GITEA/$M/$e" > "$T/c1"
		cat "$T/hdr" "$T/body" > "$T/a1"
		fetch $FE GET "$GITEA/example.com/nothere/$e" > "$T/c2"
		cat "$T/hdr" "$T/body" > "$T/a2"
		fetch $FE GET "/api/packages/nobody/go/$M/$e" > "$T/c3"
		cat "$T/hdr" "$T/body" > "$T/a3"
		is "$(cat "$T/c1") $(cat "$T/c2") $(cat "$T/c3")" "401 401 401" "$FE: $e: existing, missing module, missing owner: 401"
		cmp -s "$T/a1" "$T/a2"
		ok $? "$FE: $e: 401 headers and body identical for existing and missing modules"
		cmp -s "$T/a1" "$T/a3"
		ok $? "$FE: $e: and for an owner that does not exist"
	done
	fetch $FE GET "$GITEA/$M/@v/v9.9.9.info" >/dev/null
	cat "$T/hdr" "$T/body" > "$T/a2"
	cmp -s "$T/a1" "$T/a2"
	ok $? "$FE: 401 identical for a missing version"
	fetch $FE GET "$GITEA/$M/@v/v1.0.0.info" "Authorization: Bearer goreg_$(printf '%064d' 0)" > "$T/c1"
	cat "$T/hdr" "$T/body" > "$T/a1"
	fetch $FE GET "$GITEA/example.com/nothere/@v/v1.0.0.info" "Authorization: Bearer goreg_$(printf '%064d' 0)" > "$T/c2"
	cat "$T/hdr" "$T/body" > "$T/a2"
	is "$(cat "$T/c1")" 401 "$FE: a bad token is 401"
	cmp -s "$T/a1" "$T/a2"
	ok $? "$FE: bad-token 401 identical for existing and missing modules"

	# someone with a valid token but no membership: 404 alike for an
	# existing module, a missing one, and a missing owner
	fetch $FE GET "$GITEA/$M/@v/v1.0.0.info" "Authorization: Bearer $TOK_CAROL" > "$T/c1"
	cat "$T/hdr" "$T/body" > "$T/a1"
	fetch $FE GET "$GITEA/example.com/nothere/@v/v1.0.0.info" "Authorization: Bearer $TOK_CAROL" > "$T/c2"
	cat "$T/hdr" "$T/body" > "$T/a2"
	fetch $FE GET "/api/packages/nobody/go/$M/@v/v1.0.0.info" "Authorization: Bearer $TOK_CAROL" > "$T/c3"
	# the name differs, and with it the Content-Length
	sed -e 's/nobody/acme/g' -e '/^Content-Length: /d' "$T/hdr" "$T/body" > "$T/a3"
	is "$(cat "$T/c1") $(cat "$T/c2") $(cat "$T/c3")" "404 404 404" "$FE: non-member: 404 for existing, missing module, missing owner"
	cmp -s "$T/a1" "$T/a2"
	ok $? "$FE: non-member 404 identical for existing and missing modules"
	sed -e '/^Content-Length: /d' "$T/a1" > "$T/a1n"
	cmp -s "$T/a1n" "$T/a3"
	ok $? "$FE: and for a missing owner (but for its name)"
	like "$(cat "$T/body")" "^no such owner 'nobody'$" "$FE:   it says only: no such owner"

	# a public owner: anonymous reads, shared caches welcome
	code=$(fetch $FE GET "/api/packages/pub/go/example.com/open/@v/v1.0.0.zip")
	is "$code" 200 "$FE: public owner: anonymous zip is 200"
	like "$(hdr Cache-Control)" '^public' "$FE:   Cache-Control is public"
	code=$(fetch $FE GET "/api/packages/pub/go/example.com/open/@v/list")
	is "$code" 200 "$FE: public owner: anonymous list is 200"
	code=$(fetch $FE GET "/api/packages/pub/go/example.com/nothere/@v/list")
	is "$code" 404 "$FE: public owner: a missing module is 404 (go falls through)"
	code=$(fetch $FE GET "/api/packages/pub/go/example.com/open/@v/list" "Authorization: Bearer $TOK_CAROL")
	is "$code" 200 "$FE: public owner: another user's token reads it"
done

# the real client forms: curl's --user and user:token@ in the URL
code=$(http --user "alice:$TOK_ALICE" "$BASE$GITEA/$M/@v/v1.0.0.mod")
is "$code" 200 "curl --user alice:TOKEN is 200"
code=$(http "http://alice:$TOK_ALICE@127.0.0.1:$PORT$GITEA/$M/@v/v1.0.0.mod")
is "$code" 200 "user:token@ in the URL is 200"
is "$(cat "$T/body")" "$(cat "$T/src-secret/go.mod")" "  and it is the go.mod"

done_testing
