#!/bin/sh
# Delete, as Gitea documents it: DELETE /api/v1/packages/OWNER/go/MODULE/VERSION
# (module percent-encoded as one segment) with a write token answers 204;
# the version then answers 404 (.info, .mod, .zip), leaves the list and
# the file tree, and can be uploaded again.  A second delete answers 404;
# anonymous and read-only credentials change nothing.  goreg-delete does
# the same on the store.
. "$(dirname "$0")/lib.sh"

R=$T/store
M=example.com/del
admin "$R" user add acme >/dev/null
TOKEN=$(admin "$R" token add acme)
RO=$(admin "$R" token add acme --read-only)
make_module "$T/src" $M del
pack $M v1.0.0 "$T/src" "$T/v100.zip" || bail "goreg-pack failed"
pack $M v1.1.0 "$T/src" "$T/v110.zip" || bail "goreg-pack failed"
printf 'package del\n\n// Again marks the second upload.\nconst Again = true\n' > "$T/src/again.go"
pack $M v1.0.0 "$T/src" "$T/v100b.zip" || bail "goreg-pack failed"

start_httpd "$R"
U=$BASE/api/packages/acme/go
DEL=$BASE/api/v1/packages/acme/go/example.com%2Fdel
n=0
for z in v100 v110; do
	[ "$(http --user "acme:$TOKEN" --upload-file "$T/$z.zip" "$U/upload")" = 201 ] && n=$((n + 1))
done
is $n 2 "two versions uploaded"

code=$(http -X DELETE "$DEL/v1.0.0")
is "$code" 401 "DELETE without credentials: 401"
code=$(http -X DELETE -H "Authorization: token $RO" "$DEL/v1.0.0")
is "$code" 403 "DELETE with a read-only token: 403"
code=$(http "$U/$M/@v/v1.0.0.zip")
is "$code" 200 "  the version is still served"

code=$(http -X DELETE -H "Authorization: token $TOKEN" "$DEL/v1.0.0")
is "$code" 204 "DELETE with a write token: 204"
for e in info mod zip; do
	code=$(http "$U/$M/@v/v1.0.0.$e")
	is "$code" 404 "  then .$e: 404"
done
code=$(http "$U/$M/@v/list")
is "$(cat "$T/body")" "v1.1.0" "  the list has the other version only"
code=$(http "$U/$M/@latest")
like "$(cat "$T/body")" '"Version":"v1.1.0"' "  @latest is the other version"
[ ! -e "$R/acme/$M/@v/v1.0.0.info" ] && [ ! -e "$R/acme/$M/@v/v1.0.0.zip" ] &&
	[ ! -e "$R/acme/$M/@v/v1.0.0.mod" ]
ok $? "  its files are gone from the tree"
is "$(cat "$R/acme/$M/@v/list")" "v1.1.0" "  and from the tree's @v/list"
code=$(http -X DELETE -H "Authorization: token $TOKEN" "$DEL/v1.0.0")
is "$code" 404 "DELETE again: 404"
code=$(http -X DELETE -H "Authorization: token $TOKEN" "$BASE/api/v1/packages/acme/go/example.com%2Fnone/v1.0.0")
is "$code" 404 "DELETE of an unknown module: 404"

code=$(http --user "acme:$TOKEN" --upload-file "$T/v100b.zip" "$U/upload")
is "$code" 201 "the deleted version can be uploaded again: 201"
code=$(http "$U/$M/@v/v1.0.0.zip")
cmp -s "$T/body" "$T/v100b.zip"
ok $? "  and the new zip is served"
code=$(http "$U/$M/@v/list")
is "$(cat "$T/body")" "$(printf 'v1.0.0\nv1.1.0')" "  and listed"

# goreg-delete, straight on the store
"$B/goreg-delete" -r "$R" acme $M v1.1.0 2>/dev/null
is $? 0 "goreg-delete: exit 0"
"$B/goreg-info" -r "$R" acme $M v1.1.0 >/dev/null 2>&1
is $? 1 "  then goreg-info: exit 1 (not found)"
code=$(http "$U/$M/@v/v1.1.0.info")
is "$code" 404 "  and HTTP: 404"
"$B/goreg-delete" -r "$R" acme $M v1.1.0 2>"$T/err"
is $? 1 "goreg-delete again: exit 1"
like "$(cat "$T/err")" '^goreg-delete: .*not found' "  saying it is not found"
"$B/goreg-upload" -r "$R" acme "$T/v110.zip" 2>/dev/null
is $? 0 "goreg-upload of it again: exit 0"

# the last version of a module takes its directories along
"$B/goreg-delete" -r "$R" acme $M v1.0.0 2>/dev/null && "$B/goreg-delete" -r "$R" acme $M v1.1.0 2>/dev/null
ok $? "both versions deleted"
[ ! -e "$R/acme/example.com" ]
ok $? "  the module's directories went with them"
code=$(http "$U/$M/@v/list")
is "$code" 404 "  list: 404"

out=$("$B/goreg-fsck" -r "$R" -a 0 2>&1)
is "$?$out" 0 "goreg-fsck: clean"
grep -c ' delete acme ' "$R/audit.log" > "$T/n"
is "$(cat "$T/n")" 4 "every delete is in the audit log"

done_testing
