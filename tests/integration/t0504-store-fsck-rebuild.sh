#!/bin/sh
# The index is derived data: with every OWNER/index.tdb deleted, goreg-fsck
# reports each version the tree has and the index lacks (exit 1), and
# goreg-fsck --repair rebuilds the index from the files so that list,
# .info, .mod, .zip and @latest answer over HTTP byte for byte as before,
# and the go command installs from it again.  Also: goreg-fsck names a zip
# whose bytes changed, and --repair sets the version aside in lost+found.
. "$(dirname "$0")/lib.sh"

R=$T/store
admin "$R" user add acme >/dev/null
admin "$R" user add bolt >/dev/null
TA=$(admin "$R" token add acme)
TB=$(admin "$R" token add bolt)

make_module "$T/a" example.com/a
make_module "$T/b" example.com/b
for v in v1.0.0 v1.1.0 v1.2.0-rc.1 v0.0.0-20240101000000-0123456789ab; do
	pack example.com/a $v "$T/a" "$T/a-$v.zip" || bail "goreg-pack failed"
done
pack example.com/b v0.1.0 "$T/b" "$T/b-v0.1.0.zip" || bail "goreg-pack failed"
pack example.com/b v0.2.0 "$T/b" "$T/b-v0.2.0.zip" || bail "goreg-pack failed"

start_httpd "$R"
A=$BASE/api/packages/acme/go
n=0
for z in "$T"/a-*.zip; do
	[ "$(http --user "acme:$TA" --upload-file "$z" "$A/upload")" = 201 ] && n=$((n + 1))
done
for z in "$T"/b-*.zip; do
	[ "$(http --user "bolt:$TB" --upload-file "$z" "$BASE/api/packages/bolt/go/upload")" = 201 ] && n=$((n + 1))
done
is $n 6 "six versions uploaded to two owners over HTTP"

# snapshot SUFFIX: every answer the protocol gives, into $T/snap.SUFFIX
snapshot() {
	: > "$T/snap.$1"
	for u in "$A/example.com/a/@v/list" "$A/example.com/a/@latest" \
		"$BASE/api/packages/bolt/go/example.com/b/@v/list"; do
		printf '%s %s\n' "$(http "$u")" "$u" >> "$T/snap.$1"
		cat "$T/body" >> "$T/snap.$1"
	done
	for v in v1.0.0 v1.1.0 v1.2.0-rc.1 v0.0.0-20240101000000-0123456789ab; do
		for e in info mod zip; do
			printf '%s %s\n' "$(http "$A/example.com/a/@v/$v.$e")" "$v.$e" >> "$T/snap.$1"
			sha256sum < "$T/body" >> "$T/snap.$1"
		done
	done
}
snapshot before
is "$(grep -c '^200 ' "$T/snap.before")" 15 "every answer is 200 to start with"

rm -f "$R/acme/index.tdb" "$R/bolt/index.tdb"
code=$(http "$A/example.com/a/@v/list")
is "$code" 404 "without its index the owner lists nothing"
code=$(http "$A/example.com/a/@v/v1.0.0.zip")
is "$code" 404 "and serves nothing"

"$B/goreg-fsck" -r "$R" > "$T/fsck" 2>&1
is $? 1 "goreg-fsck: exit 1"
is "$(grep -c ': not in .*/index.tdb$' "$T/fsck")" 6 "goreg-fsck: one line per version without its record"
grep -qx 'acme/index.tdb: missing' "$T/fsck" && grep -qx 'bolt/index.tdb: missing' "$T/fsck"
ok $? "goreg-fsck: and one per missing index"

"$B/goreg-fsck" -r "$R" --repair > "$T/repair" 2>&1
is $? 0 "goreg-fsck --repair: exit 0"
is "$(grep -c ': rebuilt from the files$' "$T/repair")" 6 "goreg-fsck --repair: six records rebuilt"
out=$("$B/goreg-fsck" -r "$R" 2>&1)
is $? 0 "goreg-fsck afterwards: exit 0"
is "$out" "" "goreg-fsck afterwards: nothing to report"

snapshot after
cmp -s "$T/snap.before" "$T/snap.after"
ok $? "list, @latest, .info, .mod and .zip answer as before, byte for byte"
diff "$T/snap.before" "$T/snap.after" | sed 's/^/# /' | head -n 20

if command -v go >/dev/null 2>&1; then
	mkdir -p "$T/app"
	cd "$T/app" || bail "no app dir"
	go_env go mod init example.com/app >/dev/null 2>&1
	out=$(go_env GOPROXY="$A" GONOSUMDB=example.com/a go list -m -versions example.com/a 2>&1)
	is "$out" "example.com/a v1.0.0 v1.1.0 v1.2.0-rc.1" "go list -m -versions over HTTP after the rebuild"
	go_env GOPROXY="$A" GONOSUMDB=example.com/a go mod download example.com/a@v1.1.0 >/dev/null 2>&1
	ok $? "go mod download over HTTP after the rebuild"
	cd "$T" || bail "no $T"
fi

# a zip whose bytes changed on disk
zp=$R/acme/example.com/a/@v/v1.0.0.zip
printf 'garbage' | dd of="$zp" bs=1 seek=200 conv=notrunc 2>/dev/null
"$B/goreg-fsck" -r "$R" > "$T/fsck" 2>&1
is $? 1 "a changed zip: goreg-fsck exit 1"
like "$(cat "$T/fsck")" '^acme/example.com/a/@v/v1.0.0.zip: SHA-256 [0-9a-f]{64}, index.tdb says [0-9a-f]{64}$' \
	"goreg-fsck names the file and both hashes"
"$B/goreg-fsck" -r "$R" --repair > "$T/repair" 2>&1
is $? 0 "goreg-fsck --repair: exit 0"
like "$(cat "$T/repair")" 'version set aside in lost\+found: invalid module zip' "the invalid zip is set aside"
[ -f "$R/lost+found/acme/example.com/a/@v/v1.0.0.zip" ]
ok $? "into lost+found, not deleted"
code=$(http "$A/example.com/a/@v/v1.0.0.info")
is "$code" 404 "the version is no longer served"
code=$(http "$A/example.com/a/@v/list")
is "$(cat "$T/body")" "$(printf 'v1.1.0\nv1.2.0-rc.1')" "nor listed"
out=$("$B/goreg-fsck" -r "$R" 2>&1)
is "$?$out" "0" "goreg-fsck afterwards: clean"

done_testing
