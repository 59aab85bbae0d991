#!/bin/sh
# A refused upload or delete leaves the store exactly as it was: not even
# an empty audit.log appears (the log is opened only once a change is
# certain to be attempted).  Over HTTP, the one thing a refused write adds
# to is its count for /metrics in refusals.tdb (goreg-store(5)): the rest
# stays byte for byte, and the counts are what was refused.
. "$(dirname "$0")/lib.sh"

R=$T/store
admin "$R" user add acme
rm -f "$R/audit.log"
snap() {
	(cd "$R" && find . ! -path ./refusals.tdb -print | sort &&
		find . -type f ! -path ./refusals.tdb -print0 | sort -z | xargs -0 sha256sum)
}
before=$(snap)

printf 'not a zip' > "$T/garbage.zip"
"$B/goreg-upload" -r "$R" acme "$T/garbage.zip" 2>"$T/err"
is "$?" 1 "garbage upload refused with exit 1"
[ ! -e "$R/audit.log" ]
ok $? "no audit.log created by a refused upload"
"$B/goreg-delete" -r "$R" acme example.com/none v1.0.0 2>"$T/err"
is "$?" 1 "delete of an absent version refused with exit 1"
[ ! -e "$R/audit.log" ]
ok $? "no audit.log created by a refused delete"
is "$(snap)" "$before" "the store is byte for byte unchanged"
for name in tmp goreg.tdb audit.log refusals.tdb; do
	"$B/goreg-upload" -r "$R" "$name" "$T/garbage.zip" 2>"$T/err"
	is "$?" 1 "the store's own entry '$name' is no owner for goreg-upload"
	like "$(cat "$T/err")" "reserved" "and the reason says it is reserved"
done
is "$(snap)" "$before" "the store is unchanged after uploads to reserved names"
[ ! -e "$R/refusals.tdb" ]
ok $? "the tools count no refusal (only HTTP requests are counted)"

start_httpd "$R"
TOKEN=$(admin "$R" token add acme)
rm -f "$R/audit.log"
before=$(snap)
code=$(http --user "acme:$TOKEN" --upload-file "$T/garbage.zip" "$BASE/api/packages/acme/go/upload")
is "$code" 400 "garbage upload over HTTP answers 400"
code=$(http --user "acme:$TOKEN" -X DELETE "$BASE/api/v1/packages/acme/go/example.com%2Fnone/v1.0.0")
is "$code" 404 "DELETE of an absent version answers 404"
is "$(snap)" "$before" "the store is byte for byte unchanged after HTTP refusals"

# "index.tdb" is a valid module path, and the name of the owner's index
make_module "$T/it" index.tdb/x
pack index.tdb/x v1.0.0 "$T/it" "$T/it.zip"
code=$(http --user "acme:$TOKEN" --upload-file "$T/it.zip" "$BASE/api/packages/acme/go/upload")
is "$code" 400 "a module under index.tdb/ is refused with 400, not a 500 to retry"
like "$(cat "$T/body")" "reserved" "and the reason says the path is reserved"
is "$(snap)" "$before" "the store is unchanged after it"
code=$(http --user "acme:$TOKEN" "$BASE/metrics")
grep '^goreg_refusals_total' "$T/body" | LC_ALL=C sort > "$T/refusals"
is "$(cat "$T/refusals")" "$(printf '%s\n' 'goreg_refusals_total{owner="acme",op="delete",code="404"} 1' \
	'goreg_refusals_total{owner="acme",op="upload",code="400"} 2' | LC_ALL=C sort)" "the refusals are counted for /metrics"
code=$(http "$BASE/api/packages/acme/go/index.tdb/x/@v/list")
is "$code" 404 "reading it answers 404"

# the counts are the owner's: a user deleted and a new one of the name
# made, the new one has none
admin "$R" user delete acme 2>/dev/null
ok $? "goreg-admin user delete acme"
admin "$R" user add acme >/dev/null
TOKEN=$(admin "$R" token add acme)
code=$(http --user "acme:$TOKEN" "$BASE/metrics")
is "$code" 200 "/metrics for the new acme"
is "$(grep -c '^goreg_refusals_total{owner="acme"' "$T/body")" 0 "  counts no refusal of the deleted acme"
done_testing
