#!/bin/sh
# goreg-admin backup DIR copies a store while it serves and takes
# uploads: the copy is goreg-fsck clean, holds every version acknowledged
# before the backup began (and only versions the store has, byte for
# byte), and, restored, is served with the accounts it had, the owner's
# checksum database (@sumdb.tdb, appended by every upload) verifying and
# logging exactly the versions the copy holds.  The recipe of goreg(7),
# Backup.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
admin "$R" owner private acme
VKEY=$(admin "$R" sumdb init acme goreg.test) || bail "sumdb init"
start_httpd "$R"
U=$BASE/api/packages/acme/go
N=30
i=1
while [ $i -le $N ]; do
	pack "$M" "v1.0.$i" "$T/src" "$T/z$i.zip" || bail "pack"
	i=$((i + 1))
done

# uploads over HTTP, each acknowledged one noted after its 201
: > "$T/acked"
(
	i=1
	while [ $i -le $N ]; do
		[ "$(upload "$T/z$i.zip")" = 201 ] && echo "v1.0.$i" >> "$T/acked"
		i=$((i + 1))
	done
) &
up=$!
n=0
while [ "$(wc -l < "$T/acked")" -lt 5 ] && [ $n -lt 300 ]; do
	sleep 0.05
	n=$((n + 1))
done
cp "$T/acked" "$T/acked-before"
admin "$R" backup "$T/backup" 2>"$T/err"
is "$?" 0 "goreg-admin backup while uploads run: done"
like "$(cat "$T/err")" "^goreg-admin: backed up 1 owners, [0-9]+ files, [0-9]+ bytes into $T/backup$" "saying what it copied"
wait "$up"
is "$(wc -l < "$T/acked" | tr -d ' ')" "$N" "(all $N uploads acknowledged in the end)"
diag "$(wc -l < "$T/acked-before" | tr -d ' ') acknowledged before the backup began"

out=$("$B/goreg-fsck" -r "$T/backup" 2>&1)
is "$?:$out" "0:" "goreg-fsck: the copy is clean"
"$B/goreg-list" -r "$T/backup" acme "$M" > "$T/in-backup"
missing=$(sort "$T/acked-before" | comm -23 - "$(sort "$T/in-backup" > "$T/ib"; echo "$T/ib")")
is "$missing" "" "every version acknowledged before the backup is in it"
bad=0
while read -r v; do
	cmp -s "$R/acme/$M/@v/$v.zip" "$T/backup/acme/$M/@v/$v.zip" || bad=$((bad + 1))
done < "$T/in-backup"
is "$bad" 0 "each of its $(wc -l < "$T/in-backup" | tr -d ' ') versions is the store's, byte for byte"
is "$(stat -c '%a' "$T/backup" "$T/backup/goreg.tdb" "$T/backup/acme/index.tdb" | tr '\n' ' ')" "750 600 640 " \
	"the store's modes"
is "$(tail -c 1 "$T/backup/audit.log" | od -An -c | tr -d ' ')" '\n' "the audit log ends with a whole record"
admin "$R" backup "$T/backup" 2>"$T/err"
is "$?:$(cat "$T/err")" "1:goreg-admin: '$T/backup' is not empty: back up into a new or an empty directory" \
	"a second backup into it: refused"

# restore: the copy put in place of a lost store, and served
cp -a "$T/backup" "$T/restored"
R2=$T/restored
start_httpd "$R2"
is "$(http "$BASE/api/packages/acme/go/$M/@v/list")" 401 "restored: private acme is still private"
is "$(http --user "acme:$TOKEN" "$BASE/api/packages/acme/go/$M/@v/list")" 200 "the old token reads it"
sort "$T/body" > "$T/listed"
cmp -s "$T/listed" "$T/ib"
ok $? "the list is what the backup holds"
v=$(head -n 1 "$T/acked-before")
is "$(http --user "acme:$TOKEN" "$BASE/api/packages/acme/go/$M/@v/$v.zip")" 200 "a version acknowledged before: served"
cmp -s "$T/body" "$T/z${v##*.}.zip"
ok $? "  the zip uploaded"
# the checksum database copied with the index, under the same lock
out=$(admin "$R2" sumdb verify acme 2>&1)
is "$?" 0 "restored: goreg-admin sumdb verify acme passes ($out)"
like "$out" "^acme: $(wc -l < "$T/ib" | tr -d ' ') records, " "  its records are the copy's versions, one each"
is "$(admin "$R2" sumdb key acme)" "$VKEY" "  with the key it had"
is "$(http --user "acme:$TOKEN" "$BASE/api/packages/acme/go/sumdb/goreg.test/lookup/$M@$v")" 200 \
	"  and serves a version's record"
grep -q "^$M $v/go.mod h1:" "$T/body"
ok $? "  (its go.sum lines)"
is "$(http --user "acme:$TOKEN" --upload-file "$T/z$N.zip" "$BASE/api/packages/acme/go/upload")" \
	"$(grep -qx "v1.0.$N" "$T/ib" && echo 409 || echo 201)" "and it takes uploads again"

# a restore keeps an owner's own checksum database when it survived
# (goreg(7)): a log never goes back, so what a go command saw of it stays
# true; a version lost with the restore is logged already and comes back
# with that record, not a new one under another id
R3=$T/restored3
cp -a "$T/backup" "$R3"
cp -p "$R/acme/@sumdb.tdb" "$R3/acme/@sumdb.tdb"
out=$("$B/goreg-fsck" -r "$R3" 2>&1)
is "$?:$out" "0:" "restored with the store's own log: goreg-fsck is clean"
like "$(admin "$R3" sumdb verify acme)" "^acme: $N records" "  the log keeps all $N records"
lost=$(sort "$T/acked" | comm -23 - "$T/ib" | head -n 1)
if [ -n "$lost" ]; then
	"$B/goreg-upload" -r "$R3" acme "$T/z${lost##*.}.zip" > /dev/null 2>&1
	ok $? "  $lost, lost with the restore, is uploaded again"
	like "$(admin "$R3" sumdb verify acme)" "^acme: $N records" "  with its logged record: still $N records"
else
	ok 1 "  (every version is in the backup: none to upload again)"
	ok 1 "  (idem)"
fi
done_testing
