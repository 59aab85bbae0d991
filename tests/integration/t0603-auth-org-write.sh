#!/bin/sh
# Writes over HTTP, through both front ends: upload and delete need a
# write token of a member with write (or the namespace's own user); a
# read member gets 403, a non-member of a private org 404, nobody 401, and
# a refused write changes nothing.  Every write records its uploader in
# the version metadata and an audit record that goreg-admin audit prints.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"

setup_store
start_httpd "$R"
UP=/api/packages/acme/go/upload

is "$(admin "$T/empty" audit; echo "rc=$?")" "rc=0" "goreg-admin audit on a store without a log: nothing, exit 0"
is "$(admin "$R" org members acme)" "$(printf 'alice write\nbob read')" "org members acme"

# refused: nothing on disk changes, no audit record is added
refused() { # refused FE WANT-STATUS DESCRIPTION METHOD PATH [HEADER]
	_fe=$1 _want=$2 _d=$3
	shift 3
	snapshot > "$T/before"
	_code=$(fetch "$_fe" "$@")
	is "$_code" "$_want" "$_fe: $_d: $_want"
	snapshot > "$T/after"
	cmp -s "$T/before" "$T/after"
	ok $? "$_fe:   nothing changed under the store (audit log included)"
}

for FE in httpd cgi; do
	diag "front end: $FE"
	M=example.com/w-$FE
	make_module "$T/src-$FE" "$M"
	pack "$M" v1.0.0 "$T/src-$FE" "$T/$FE-1.zip" || bail "pack"
	pack "$M" v1.1.0 "$T/src-$FE" "$T/$FE-2.zip" || bail "pack"
	DEL=/api/v1/packages/acme/go/$(printf '%s' "$M" | sed 's,/,%2F,g')/v1.0.0

	BODY=$T/$FE-1.zip refused $FE 401 "anonymous upload" PUT $UP
	is "$(hdr WWW-Authenticate)" 'Basic realm="goreg"' "$FE:   with the challenge"
	BODY=$T/$FE-1.zip refused $FE 404 "non-member upload to a private org" PUT $UP "Authorization: Bearer $TOK_CAROL"
	BODY=$T/$FE-1.zip refused $FE 404 "upload to an owner that does not exist" PUT /api/packages/nobody/go/upload "Authorization: Bearer $TOK_CAROL"
	BODY=$T/$FE-1.zip refused $FE 403 "read member upload" PUT $UP "Authorization: Bearer $TOK_BOB"
	BODY=$T/$FE-1.zip refused $FE 403 "write member with a read-only token" PUT $UP "Authorization: Bearer $TOK_ALICE_RO"
	BODY=$T/$FE-1.zip refused $FE 403 "upload to another user's public namespace" PUT /api/packages/pub/go/upload "Authorization: Bearer $TOK_CAROL"
	BODY=$T/$FE-1.zip refused $FE 401 "upload with a bad token" PUT $UP "Authorization: Bearer goreg_$(printf '%064d' 0)"

	code=$(BODY=$T/$FE-1.zip fetch $FE PUT $UP "Authorization: Basic $(b64 "alice:$TOK_ALICE")")
	is "$code" 201 "$FE: write member upload: 201"
	code=$(fetch $FE GET "/api/packages/acme/go/$M/@v/list" "Private-Token: $TOK_BOB")
	is "$(cat "$T/body")" v1.0.0 "$FE:   a read member sees it"
	code=$(BODY=$T/$FE-1.zip fetch $FE PUT $UP "Authorization: Bearer $TOK_ALICE")
	is "$code" 409 "$FE: the same version again: 409"

	# a grant changes what a member may do from the next request on
	admin "$R" org grant acme bob write
	code=$(BODY=$T/$FE-2.zip fetch $FE PUT $UP "Authorization: token $TOK_BOB")
	is "$code" 201 "$FE: bob, granted write, uploads: 201"
	admin "$R" org grant acme bob read
	grep -qa "uploader=bob" "$R/acme/index.tdb"
	ok $? "$FE: the version metadata names bob as its uploader"

	code=$(BODY=$T/$FE-1.zip fetch $FE PUT /api/packages/alice/go/upload "Authorization: Bearer $TOK_ALICE")
	is "$code" 201 "$FE: alice uploads to her own namespace: 201"

	refused $FE 401 "anonymous delete" DELETE "$DEL"
	refused $FE 404 "non-member delete in a private org" DELETE "$DEL" "Authorization: Bearer $TOK_CAROL"
	refused $FE 403 "read member delete" DELETE "$DEL" "Authorization: Bearer $TOK_BOB"
	refused $FE 403 "delete with a read-only token" DELETE "$DEL" "Authorization: Bearer $TOK_ALICE_RO"
	code=$(fetch $FE DELETE "$DEL" "Authorization: Bearer $TOK_ALICE")
	is "$code" 204 "$FE: write member delete: 204"
	code=$(fetch $FE GET "/api/packages/acme/go/$M/@v/v1.0.0.info" "Authorization: Bearer $TOK_ALICE")
	is "$code" 404 "$FE:   the version is gone"
	code=$(fetch $FE DELETE "$DEL" "Authorization: Bearer $TOK_ALICE")
	is "$code" 404 "$FE:   deleting it again: 404"
done

grep -qa "uploader=alice" "$R/alice/index.tdb"
ok $? "uploads over HTTP name the token's user as uploader"

# the audit log: who, what, where from; refused writes left no trace
admin "$R" audit > "$T/audit"
ok $? "goreg-admin audit exits 0"
TS='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z'
has() { grep -Eq -- "$1" "$T/audit"; ok $? "$2"; }
for FE in httpd cgi; do
	addr=127.0.0.1
	[ $FE = cgi ] && addr=$CGI_ADDR
	M=example.com/w-$FE
	has "^$TS alice upload acme $M v1.0.0 $addr\$" "$FE: audit: alice uploaded $M v1.0.0 from $addr"
	has "^$TS bob upload acme $M v1.1.0 $addr\$" "$FE: audit: bob uploaded v1.1.0"
	has "^$TS alice upload alice $M v1.0.0 $addr\$" "$FE: audit: alice uploaded to her namespace"
	has "^$TS alice delete acme $M v1.0.0 $addr\$" "$FE: audit: alice deleted v1.0.0"
	is "$(grep -c " $M " "$T/audit")" 4 "$FE: four writes of $M, four records"
done
uid=$(id -u)
has "^$TS - org-grant acme bob write local:$uid\$" "audit: goreg-admin's grants, from local:UID"
has "^$TS - token-add alice [0-9a-f]{12} read local:$uid\$" "audit: token-add with id and scope"
has "^$TS - owner-private acme - - local:$uid\$" "audit: owner-private"
has "^$TS alice upload acme example.com/secret v1.0.0 local:$uid\$" "audit: goreg-upload -u alice"
is "$(awk 'NF != 7' "$T/audit" | wc -l | tr -d ' ')" 0 "every record has seven fields"
admin "$R" audit acme > "$T/audit-acme"
is "$(awk '$4 != "acme"' "$T/audit-acme" | wc -l | tr -d ' ')" 0 "goreg-admin audit acme: only acme's records"
is "$(wc -l < "$T/audit-acme" | tr -d ' ')" "$(awk '$4 == "acme"' "$T/audit" | wc -l | tr -d ' ')" "  all of them"
is "$(stat -c %a "$R/audit.log")" 600 "the audit log is mode 600"

# no unaudited changes: with a log that cannot be opened (a directory in
# its place), writes are refused before anything changes
mv "$R/audit.log" "$T/audit.saved"
mkdir "$R/audit.log"
pack example.com/w-httpd v1.2.0 "$T/src-httpd" "$T/httpd-3.zip" || bail "pack"
for FE in httpd cgi; do
	BODY=$T/httpd-3.zip refused $FE 500 "upload while the audit log cannot be opened" PUT $UP "Authorization: Bearer $TOK_ALICE"
	refused $FE 500 "delete while the audit log cannot be opened" DELETE \
		/api/v1/packages/acme/go/example.com%2Fw-httpd/v1.1.0 "Authorization: Bearer $TOK_ALICE"
done
code=$(fetch httpd GET /api/packages/acme/go/example.com/w-httpd/@v/list "Authorization: Bearer $TOK_ALICE")
is "$(cat "$T/body")" "v1.1.0" "  the module's versions are as they were"
snapshot > "$T/before"
admin "$R" user add dave 2>/dev/null
is $? 111 "goreg-admin user add while the audit log cannot be opened: exit 111"
snapshot > "$T/after"
cmp -s "$T/before" "$T/after"
ok $? "  and nothing changed"
is "$(admin "$R" owner list | grep -c '^dave ')" 0 "  no user dave"
rmdir "$R/audit.log"
mv "$T/audit.saved" "$R/audit.log"

done_testing
