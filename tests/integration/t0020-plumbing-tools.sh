#!/bin/sh
# The plumbing programs straight on a store, no server: goreg-upload, -list,
# -info, -mod, -zip, -latest and -delete.  Their stdout is exactly the body
# the matching HTTP request returns (checked against goreg.cgi run with the
# CGI variables set and no web server, git t5560 style); an error is one
# line "goreg-x: reason" on stderr with nothing on stdout; exit 0 success,
# 1 refused (not found, conflict, invalid input), 2 usage, 111 temporary.
. "$(dirname "$0")/lib.sh"

R=$T/store
unset GOREG_ROOT
# a fixed clock makes the .info bytes exact: 1700000000 is this instant
export GOREG_NOW=1700000000
NOW_RFC3339=2023-11-14T22:13:20Z

# run PROG ARGS...: stdout in $T/out, stderr in $T/err, exit status in $rc
run() {
	_p=$1
	shift
	"$B/$_p" "$@" >"$T/out" 2>"$T/err"
	rc=$?
}
out() { cat "$T/out"; }
err() { cat "$T/err"; }
stdout_empty() { [ ! -s "$T/out" ]; }
one_line() { [ "$(wc -l <"$T/err")" -eq 1 ]; }

# mkzip MODULE VERSION DIR OUT: goreg-pack if it is there, else zip(1)
mkzip() {
	if [ -x "$B/goreg-pack" ]; then
		"$B/goreg-pack" -o "$4" "$1" "$2" "$3"
	else
		rm -rf "$T/zipwork"
		mkdir -p "$T/zipwork/$1@$2"
		cp -R "$3/." "$T/zipwork/$1@$2/"
		(cd "$T/zipwork" && zip -qrD "$4" "$1@$2/")
	fi
}

# cgi_get PATH FILE: the body of goreg.cgi's answer to GET PATH into FILE,
# its status code in $cgi_status
cgi_get() {
	env -i GOREG_ROOT="$R" GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
		REQUEST_METHOD=GET SCRIPT_NAME=/goreg.cgi REQUEST_URI="/goreg.cgi$1" PATH_INFO="$1" \
		QUERY_STRING= "$B/goreg.cgi" >"$T/cgi"
	cgi_status=$(sed -n '1s/^Status: \([0-9]*\).*/\1/p' "$T/cgi")
	_len=$(sed -n '/^\r$/q; s/^Content-Length: \([0-9]*\)\r$/\1/p' "$T/cgi")
	tail -c "${_len:-0}" "$T/cgi" >"$2"
}

M=example.com/hello
make_module "$T/src" $M
# v1.10.0 after v1.2.0 (not lexical order), a pre-release above the highest
# release, and a pseudo-version between them
VERSIONS="v1.10.0 v1.10.1-0.20240102150405-abcdefabcdef v1.0.0 v1.2.0 v1.11.0-rc.1 v1.2.0-rc.1"
for v in $VERSIONS; do
	mkzip $M "$v" "$T/src" "$T/hello-$v.zip" || bail "cannot make the zip of $M@$v"
done

# ---- upload ----
for v in $VERSIONS; do
	run goreg-upload -r "$R" -u alice acme "$T/hello-$v.zip"
	# (acme has no account yet: the note that HTTP will not serve it is t0750's)
	is "$rc:$(err | head -n 1)" "0:goreg-upload: created $M@$v" "goreg-upload $M@$v: exit 0, what it did on stderr"
done
stdout_empty
ok $? "goreg-upload: stdout stays empty"
# the audit log (lib/auth/audit.h): TIME USER ACTION OWNER MODULE VERSION ORIGIN
UID_=$(id -u)
grep -qxF "$NOW_RFC3339 alice upload acme $M v1.10.0 local:$UID_" "$R/audit.log"
ok $? "the upload is in the audit log, with -u's user and a local origin"
is "$(grep -c " upload acme $M " "$R/audit.log")" 6 "one audit line per upload"

run goreg-upload -r "$R" acme "$T/hello-v1.0.0.zip"
is "$rc" 1 "uploading an existing version again exits 1"
is "$(err)" "goreg-upload: $M@v1.0.0 already exists" "...and says so on one line"
stdout_empty
ok $? "...with nothing on stdout"

# ---- list: semver order, no pseudo-versions ----
printf 'v1.0.0\nv1.2.0-rc.1\nv1.2.0\nv1.10.0\nv1.11.0-rc.1\n' >"$T/want"
run goreg-list -r "$R" acme $M
is "$rc" 0 "goreg-list exits 0"
cmp -s "$T/out" "$T/want"
ok $? "goreg-list: releases and pre-releases in semver order, no pseudo-version"
[ ! -s "$T/err" ]
ok $? "goreg-list: nothing on stderr"

# ---- info, mod, zip ----
run goreg-info -r "$R" acme $M v1.2.0
printf '{"Version":"v1.2.0","Time":"%s"}\n' "$NOW_RFC3339" >"$T/want"
cmp -s "$T/out" "$T/want"
ok $? "goreg-info prints the .info JSON and a newline"
is "$rc" 0 "goreg-info exits 0"

run goreg-mod -r "$R" acme $M v1.2.0
cmp -s "$T/out" "$T/src/go.mod"
ok $? "goreg-mod prints the module's go.mod byte for byte"
is "$rc" 0 "goreg-mod exits 0"

run goreg-zip -r "$R" acme $M v1.2.0
cmp -s "$T/out" "$T/hello-v1.2.0.zip"
ok $? "goreg-zip writes the uploaded zip byte for byte"
is "$rc" 0 "goreg-zip exits 0"

# ---- latest: highest release, else pre-release, else pseudo-version ----
run goreg-latest -r "$R" acme $M
is "$(out)" "{\"Version\":\"v1.10.0\",\"Time\":\"$NOW_RFC3339\"}" \
	"goreg-latest: the highest release, not a higher pre-release or pseudo-version"
is "$rc" 0 "goreg-latest exits 0"

make_module "$T/pre" example.com/pre
for v in v0.1.0-alpha.1 v0.1.1-0.20240102150405-abcdefabcdef v0.1.0-beta; do
	mkzip example.com/pre "$v" "$T/pre" "$T/pre-$v.zip" &&
		"$B/goreg-upload" -r "$R" acme "$T/pre-$v.zip" 2>/dev/null ||
		bail "cannot upload example.com/pre@$v"
done
run goreg-latest -r "$R" acme example.com/pre
like "$(out)" '^\{"Version":"v0\.1\.0-beta",' "goreg-latest: without releases, the highest pre-release, not a higher pseudo-version"

make_module "$T/pseudo" example.com/pseudo
for v in v0.0.0-20240301000000-abcdefabcdef v0.0.0-20240101000000-abcdefabcdef; do
	mkzip example.com/pseudo "$v" "$T/pseudo" "$T/pseudo-$v.zip" &&
		"$B/goreg-upload" -r "$R" acme "$T/pseudo-$v.zip" 2>/dev/null ||
		bail "cannot upload example.com/pseudo@$v"
done
run goreg-latest -r "$R" acme example.com/pseudo
like "$(out)" '^\{"Version":"v0\.0\.0-20240301000000-abcdefabcdef",' "goreg-latest: with only pseudo-versions, the highest one"
run goreg-list -r "$R" acme example.com/pseudo
is "$rc:$(wc -c <"$T/out")" "0:0" "goreg-list of a module with only pseudo-versions: empty, exit 0"

# ---- stdout is the HTTP body, byte for byte ----
admin "$R" user add acme >/dev/null 2>&1 || bail "goreg-admin user add acme failed"
G=/api/packages/acme/go
for c in "list $M|$M/@v/list" "info $M v1.2.0|$M/@v/v1.2.0.info" "mod $M v1.2.0|$M/@v/v1.2.0.mod" \
	"zip $M v1.2.0|$M/@v/v1.2.0.zip" "latest $M|$M/@latest" "latest example.com/pre|example.com/pre/@latest" \
	"list example.com/pseudo|example.com/pseudo/@v/list"; do
	args=${c%%|*}
	path=$G/${c#*|}
	# shellcheck disable=SC2086
	run "goreg-${args%% *}" -r "$R" acme ${args#* }
	cgi_get "$path" "$T/body"
	[ "$rc" = 0 ] && [ "$cgi_status" = 200 ] && cmp -s "$T/out" "$T/body"
	ok $? "goreg-${args%% *} prints the body of GET $path"
done

# ---- the store: -r, GOREG_ROOT, and - for stdin ----
GOREG_ROOT=$R "$B/goreg-list" acme $M >"$T/out" 2>/dev/null
ok $? "GOREG_ROOT names the store when -r is not given"
GOREG_ROOT=$T/elsewhere "$B/goreg-list" -r "$R" acme $M >"$T/out" 2>/dev/null
ok $? "-r wins over GOREG_ROOT"
make_module "$T/piped" example.com/piped
mkzip example.com/piped v1.0.0 "$T/piped" "$T/piped.zip"
cat "$T/piped.zip" | "$B/goreg-upload" -r "$R" acme - 2>"$T/err"
is "$?:$(err)" "0:goreg-upload: created example.com/piped@v1.0.0" "goreg-upload reads the zip from a pipe with -"
"$B/goreg-zip" -r "$R" acme example.com/piped v1.0.0 | cmp -s - "$T/piped.zip"
ok $? "...and stores it byte for byte"

# ---- refusals: exit 1, one line on stderr, nothing on stdout ----
# refuse PROG EXPECTED-STDERR-REGEX DESCRIPTION ARGS...
refuse() {
	_p=$1 _re=$2 _d=$3
	shift 3
	run "$_p" -r "$R" "$@"
	is "$rc" 1 "$_p $_d: exit 1"
	one_line && like "$(err)" "^$_p: $_re" "$_p $_d: one line on stderr"
	stdout_empty
	ok $? "$_p $_d: nothing on stdout"
}
refuse goreg-info "$M@v9\.9\.9: not found$" "unknown version" acme $M v9.9.9
refuse goreg-mod "$M@v9\.9\.9: not found$" "unknown version" acme $M v9.9.9
refuse goreg-zip "$M@v9\.9\.9: not found$" "unknown version" acme $M v9.9.9
refuse goreg-delete "$M@v9\.9\.9: not found$" "unknown version" acme $M v9.9.9
refuse goreg-list "example\.com/nothere: no such module$" "unknown module" acme example.com/nothere
refuse goreg-latest "example\.com/nothere: no such module$" "unknown module" acme example.com/nothere
refuse goreg-info "$M@v1\.0\.0: not found$" "unknown owner" nobody $M v1.0.0
refuse goreg-list "invalid module path 'example\.com/hello/': " "invalid module path" acme example.com/hello/
refuse goreg-info "invalid module path '-x\.example/y': " "invalid module path" -- acme -x.example/y v1.0.0
refuse goreg-zip "invalid version 'v1\.2': " "non-canonical version" acme $M v1.2
refuse goreg-mod "invalid version 'latest': " "a query, not a version" acme $M latest
refuse goreg-delete "invalid version 'v1\.2\.0\+meta': " "version with build metadata" acme $M v1.2.0+meta
refuse goreg-list "invalid owner 'Acme': " "owner with a capital" Acme $M
refuse goreg-upload "invalid owner '\.\.': " "owner '..'" .. "$T/hello-v1.0.0.zip"
refuse goreg-upload "unable to open '$T/missing\.zip': No such file or directory$" "missing file" acme "$T/missing.zip"
printf 'not a zip\n' >"$T/junk.zip"
refuse goreg-upload "not a valid zip file" "a file that is not a zip" acme "$T/junk.zip"
refuse goreg-upload "empty" "an empty body" acme - </dev/null
[ -z "$(ls -A "$R/tmp")" ]
ok $? "refused uploads leave nothing in the spool"
audit_lines=$(wc -l <"$R/audit.log")

# ---- usage errors: exit 2 ----
for p in goreg-upload goreg-list goreg-info goreg-mod goreg-zip goreg-latest goreg-delete; do
	run $p
	is "$rc" 2 "$p without arguments: exit 2"
	like "$(err)" "^usage: $p \[-r root\]" "$p without arguments: the synopsis on stderr"
	stdout_empty
	ok $? "$p without arguments: nothing on stdout"
	run $p -r "$R" -Z acme $M v1.0.0
	is "$rc" 2 "$p with an unknown option: exit 2"
done
run goreg-list -r "$R" acme $M v1.0.0
is "$rc" 2 "goreg-list with an extra argument: exit 2"
run goreg-info -r "$R" acme $M
is "$rc" 2 "goreg-info with a missing argument: exit 2"
run goreg-upload -r "$R" acme
is "$rc" 2 "goreg-upload without a file: exit 2"

# ---- temporary failures: exit 111 ----
run goreg-list -r /dev/null acme $M
is "$rc" 111 "a store root that is not a directory: exit 111"
one_line && like "$(err)" '^goreg-list: unable to open index of .acme.: Not a directory$' "...with the reason on one line"
if [ -w /dev/full ]; then
	"$B/goreg-zip" -r "$R" acme $M v1.2.0 >/dev/full 2>"$T/err"
	is "$?" 111 "goreg-zip onto a full device: exit 111"
	like "$(err)" '^goreg-zip: unable to write to stdout: ' "...and says so"
fi

# ---- delete, then the version is gone and can come back ----
run goreg-delete -r "$R" acme $M v1.2.0
is "$rc" 0 "goreg-delete exits 0"
[ ! -s "$T/out" ] && [ ! -s "$T/err" ]
ok $? "goreg-delete prints nothing"
is "$(wc -l <"$R/audit.log")" $((audit_lines + 1)) "refusals left no audit line, the delete one"
is "$(tail -n 1 "$R/audit.log")" "$NOW_RFC3339 - delete acme $M v1.2.0 local:$UID_" "the delete is in the audit log"
run goreg-info -r "$R" acme $M v1.2.0
is "$rc:$(err)" "1:goreg-info: $M@v1.2.0: not found" "the deleted version is not found"
ls "$R"/acme/$M/@v/v1.2.0.* >/dev/null 2>&1
[ $? -ne 0 ]
ok $? "its .info, .mod and .zip are gone from the store"
run goreg-list -r "$R" acme $M
is "$(out)" "$(printf 'v1.0.0\nv1.2.0-rc.1\nv1.10.0\nv1.11.0-rc.1')" "goreg-list no longer names it"
is "$(cat "$R/acme/$M/@v/list")" "$(out)" "the file tree's @v/list agrees"
run goreg-delete -r "$R" acme $M v1.2.0
is "$rc:$(err)" "1:goreg-delete: $M@v1.2.0: not found" "deleting it again: exit 1, not found"
GOREG_NOW=1700000100 "$B/goreg-upload" -r "$R" acme "$T/hello-v1.2.0.zip" 2>/dev/null
ok $? "the deleted version can be uploaded again"
run goreg-info -r "$R" acme $M v1.2.0
is "$(out)" '{"Version":"v1.2.0","Time":"2023-11-14T22:15:00Z"}' "...and its .info has the new upload time"

for v in v0.0.0-20240301000000-abcdefabcdef v0.0.0-20240101000000-abcdefabcdef; do
	"$B/goreg-delete" -r "$R" acme example.com/pseudo "$v" || bail "cannot delete example.com/pseudo@$v"
done
run goreg-latest -r "$R" acme example.com/pseudo
is "$rc" 1 "a module whose last version was deleted: goreg-latest exits 1"
[ ! -e "$R/acme/example.com/pseudo/@v/list" ]
ok $? "...and its @v/list file is gone"

# ---- versions and paths the go command uses ----
mkdir -p "$T/inc"
printf 'package inc\n' >"$T/inc/inc.go"
mkzip example.com/inc v2.0.0+incompatible "$T/inc" "$T/inc.zip" &&
	"$B/goreg-upload" -r "$R" acme "$T/inc.zip" 2>/dev/null
ok $? "goreg-upload takes a +incompatible version"
run goreg-info -r "$R" acme example.com/inc v2.0.0+incompatible
is "$rc:$(out)" "0:{\"Version\":\"v2.0.0+incompatible\",\"Time\":\"$NOW_RFC3339\"}" \
	"goreg-info finds a +incompatible version by its name"

make_module "$T/caps" example.com/CapsMod
mkzip example.com/CapsMod v1.0.0-RC.1 "$T/caps" "$T/caps.zip" &&
	"$B/goreg-upload" -r "$R" acme "$T/caps.zip" 2>/dev/null
ok $? "goreg-upload takes a module path and version with capitals"
run goreg-list -r "$R" acme example.com/CapsMod
is "$rc:$(out)" "0:v1.0.0-RC.1" "the programs take the plain path, capitals and all"
[ -f "$R/acme/example.com/!caps!mod/@v/v1.0.0-!r!c.1.zip" ]
ok $? "the store holds it under the !-encoded names"

# ---- the uploader is data, never structure ----
make_module "$T/up" example.com/up
mkzip example.com/up v1.0.0 "$T/up" "$T/up.zip"
nl='
'
"$B/goreg-upload" -r "$R" -u "bob${nl}broken" acme "$T/up.zip" >/dev/null 2>&1
urc=$?
"$B/goreg-info" -r "$R" acme example.com/up v1.0.0 >/dev/null 2>&1
irc=$?
[ "$urc:$irc" = 0:0 ] || [ "$urc:$irc" = 1:1 ]
ok $? "an uploader name with a newline is refused or stored harmlessly (upload $urc, info $irc)"

done_testing
