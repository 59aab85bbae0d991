#!/bin/sh
# The store is private: whatever writes it (goreg-admin, goreg-upload,
# goreg-httpd, goreg-import, goreg-delete, goreg-fsck --repair), under
# the usual umask 022 and even under umask 000, nothing in it has a world
# bit or a group write bit; files are 0640, directories 0750, goreg.tdb
# and audit.log 0600, tmp/ and lost+found/ 0700 (goreg-store(5)).
# goreg-fsck reports a mode more permissive than that rule as a finding,
# and --repair takes the extra bits away (keeping a directory's setgid
# bit, which gives a web server's group the new files).
. "$(dirname "$0")/lib.sh"

# modes ROOT: "MODE PATH" of everything below ROOT, sorted
modes() { (cd "$1" && find . -printf '%m %p\n' | LC_ALL=C sort -k2); }
# loose ROOT: what has a world bit, a group write bit, or a group bit
# where the rule has none (secrets, tmp/, lost+found/ and below)
loose() {
	find "$1" \( -perm /o=rwx -o -perm /g=w -o -type f -perm /g=x \
		-o \( -path "$1/goreg.tdb" -o -path "$1/audit.log" -o -path "$1/tmp" -o -path "$1/tmp/*" \
		      -o -path "$1/lost+found" -o -path "$1/lost+found/*" \) -perm /g=rwx \) -print
}

umask 022
R=$T/store
admin "$R" user add acme >/dev/null || bail "goreg-admin failed"
TOKEN=$(admin "$R" token add acme) || bail "goreg-admin token add failed"
M=example.com/modes
make_module "$T/src" $M modes
for v in v1.0.0 v1.1.0 v1.2.0 v1.3.0; do
	printf 'package modes\n\nconst Version = "%s"\n' $v > "$T/src/v.go"
	pack $M $v "$T/src" "$T/m-$v.zip" || bail "goreg-pack $v failed"
done

"$B/goreg-upload" -r "$R" acme "$T/m-v1.0.0.zip" 2>/dev/null
ok $? "goreg-upload publishes v1.0.0"
start_httpd "$R"
U=$BASE/api/packages/acme/go
code=$(http --user "acme:$TOKEN" --upload-file "$T/m-v1.1.0.zip" "$U/upload")
is "$code" 201 "goreg-httpd publishes v1.1.0"
code=$(http --user "acme:$TOKEN" --upload-file "$T/m-v1.2.0.zip" "$U/upload")
is "$code" 201 "and v1.2.0"
code=$(http --user "acme:$TOKEN" -X DELETE "$BASE/api/v1/packages/acme/go/example.com%2Fmodes/v1.2.0")
is "$code" 204 "goreg-httpd deletes v1.2.0"
# goreg-import brings a second owner, from the first one's tree
"$B/goreg-import" -r "$R" other "$R/acme" >/dev/null 2>&1
ok $? "goreg-import publishes a second owner"

modes "$R" | sed 's/^/# /'
is "$(loose "$R")" "" "umask 022: no world bit, no group write bit, no group bit on a secret"
is "$(find "$R" -type f ! -path "$R/goreg.tdb" ! -path "$R/audit.log" ! -perm 0640 -print)" "" \
	"every module file, list and index is 0640"
is "$(find "$R" -type d ! -path "$R/tmp" ! -perm 0750 -print)" "" "every directory but tmp/ is 0750"
is "$(stat -c %a "$R/goreg.tdb") $(stat -c %a "$R/audit.log") $(stat -c %a "$R/tmp")" "600 600 700" \
	"goreg.tdb and audit.log 0600, tmp/ 0700"
"$B/goreg-fsck" -r "$R" >"$T/fsck" 2>&1
is "$?" 0 "goreg-fsck finds nothing to say"

# umask 000: a umask takes bits away, never adds them
R0=$T/store0
(umask 000 && "$B/goreg-upload" -r "$R0" acme "$T/m-v1.0.0.zip" >/dev/null 2>&1 &&
	"$B/goreg-admin" -r "$R0" user add bob >/dev/null)
ok $? "umask 000: goreg-upload and goreg-admin"
is "$(loose "$R0")" "" "umask 000: still nothing loose"

# goreg-fsck: a mode more permissive than the rule is a finding
V=$R/acme/$M/@v
chmod 0644 "$V/v1.0.0.zip"
chmod 0660 "$V/v1.0.0.mod"
chmod 0755 "$R/acme/example.com"
chmod 0640 "$R/goreg.tdb"
chmod 0750 "$R/tmp"
chmod 0644 "$R/acme/index.tdb"
chmod 2755 "$V"
before=$(modes "$R")
"$B/goreg-fsck" -r "$R" >"$T/fsck" 2>&1
is "$?" 1 "goreg-fsck: exit 1, findings"
sed 's/^/# /' "$T/fsck"
is "$(grep -c . "$T/fsck")" 7 "one line for each loose mode"
like "$(cat "$T/fsck")" "^acme/$M/@v/v1.0.0.zip: mode 0644, more permissive than 0640$" "a world-readable zip"
like "$(cat "$T/fsck")" "^acme/$M/@v/v1.0.0.mod: mode 0660, more permissive than 0640$" "a group-writable .mod"
like "$(cat "$T/fsck")" "^acme/example.com: mode 0755, more permissive than 0750$" "a world-readable directory"
like "$(cat "$T/fsck")" "^goreg.tdb: mode 0640, more permissive than 0600$" "a group-readable goreg.tdb"
like "$(cat "$T/fsck")" "^tmp: mode 0750, more permissive than 0700$" "a group-readable tmp/"
like "$(cat "$T/fsck")" "^acme/index.tdb: mode 0644, more permissive than 0640$" "a world-readable index"
like "$(cat "$T/fsck")" "^acme/$M/@v: mode 2755, more permissive than 0750$" "a setgid directory with a world bit"
is "$(modes "$R")" "$before" "checking changed nothing"

"$B/goreg-fsck" -r "$R" --repair >"$T/fsck" 2>&1
is "$?" 0 "goreg-fsck --repair: exit 0, all repaired"
like "$(cat "$T/fsck")" "^acme/$M/@v/v1.0.0.zip: mode 0644, more permissive than 0640: mode set to 0640$" \
	"each line says what was done"
is "$(stat -c %a "$V/v1.0.0.zip") $(stat -c %a "$V/v1.0.0.mod") $(stat -c %a "$R/acme/example.com")" \
	"640 640 750" "files back to 0640, the directory to 0750"
is "$(stat -c %a "$R/goreg.tdb") $(stat -c %a "$R/tmp") $(stat -c %a "$R/acme/index.tdb")" "600 700 640" \
	"goreg.tdb 0600, tmp/ 0700, index.tdb 0640"
is "$(stat -c %a "$V")" 2750 "the setgid bit stays"
"$B/goreg-fsck" -r "$R" >"$T/fsck" 2>&1
is "$?" 0 "goreg-fsck afterwards: clean"
is "$(loose "$R")" "" "nothing loose"

# --repair rebuilding from the files, and lost+found, keep to the rule too
rm "$R/acme/index.tdb"
printf 'stray\n' > "$V/stray"
chmod 0644 "$V/stray"
"$B/goreg-fsck" -r "$R" --repair >"$T/fsck" 2>&1
is "$?" 0 "goreg-fsck --repair rebuilds a lost index"
is "$(grep -c ': mode 0' "$T/fsck")" 0 "a stray file set aside is not judged for its mode"
is "$(stat -c %a "$R/acme/index.tdb") $(stat -c %a "$R/lost+found")" "640 700" \
	"the new index is 0640, lost+found/ 0700"
is "$(stat -c %a "$R/lost+found/acme/$M/@v/stray")" 600 "what is set aside is the owner's alone"
is "$(loose "$R")" "" "nothing loose"
# only the owners named: the root is not looked at then
chmod 0755 "$R"
chmod 0644 "$V/v1.1.0.zip"
"$B/goreg-fsck" -r "$R" acme >"$T/fsck" 2>&1
is "$(cat "$T/fsck")" "acme/$M/@v/v1.1.0.zip: mode 0644, more permissive than 0640" \
	"with owners named, their trees only"
"$B/goreg-fsck" -r "$R" >"$T/fsck" 2>&1
like "$(cat "$T/fsck")" "^$R: mode 0755, more permissive than 0750$" "the root itself is judged, by its path"

done_testing
