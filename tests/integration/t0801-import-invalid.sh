#!/bin/sh
# goreg-import reports each bad version of a file-based GOPROXY tree as
# invalid, imports the rest, exits 1, and leaves the bad ones out of the
# store: a corrupt zip, a zip filed under another version, a .mod that is
# not the zip's go.mod, a .ziphash or .info that disagrees, a version that
# exists with other content, names that do not decode.  Files that are not
# zips (.lock, temporaries, .info without a zip) are no versions at all.
. "$(dirname "$0")/lib.sh"

snapshot() {
	(cd "$1" && find . | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}

S=$T/src-store
H=example.com/Hello
make_module "$T/hello" $H hello
for v in v1.0.0 v1.1.0 v1.2.0 v1.2.0-rc.1 v1.3.0 v1.4.0 v1.5.0; do
	printf 'package hello\n\nconst Version = "%s"\n' $v > "$T/hello/v.go"
	pack $H $v "$T/hello" "$T/h-$v.zip" || bail "goreg-pack $v failed"
	"$B/goreg-upload" -r "$S" acme "$T/h-$v.zip" 2>/dev/null || bail "goreg-upload $v failed"
done
make_module "$T/good" example.com/good good
pack example.com/good v1.0.0 "$T/good" "$T/good.zip" || bail "goreg-pack failed"
"$B/goreg-upload" -r "$S" acme "$T/good.zip" 2>/dev/null || bail "goreg-upload failed"
mkdir -p "$T/old"
printf 'package old\n' > "$T/old/old.go"
pack example.com/old v2.0.0+incompatible "$T/old" "$T/old.zip" || bail "goreg-pack failed"
"$B/goreg-upload" -r "$S" acme "$T/old.zip" 2>/dev/null || bail "goreg-upload failed"

# a file-based GOPROXY tree made from the store's, then broken in places
G=$T/proxy
cp -R "$S/acme" "$G"
rm -f "$G/index.tdb"
V=$G/example.com/!hello/@v
head -c 300 "$T/h-v1.0.0.zip" > "$V/v1.0.0.zip"                # corrupt
cp "$T/h-v1.2.0-rc.1.zip" "$V/v1.1.0.zip"                      # another version's zip
printf 'require example.com/x v1.0.0\n' >> "$V/v1.2.0.mod"     # .mod not the zip's
printf 'h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n' > "$V/v1.3.0.ziphash"
printf '{"Version":"v1.4.0","Time":"yesterday"}\n' > "$V/v1.4.0.info"
printf '{"Version":"v1.4.1","Time":"2020-01-01T00:00:00Z"}\n' > "$V/v1.5.0.info"
printf 'module example.com/old // not what go makes up\n' > "$G/example.com/old/@v/v2.0.0+incompatible.mod"
cp "$T/h-v1.0.0.zip" "$V/v1.6.zip"                              # not canonical
mkdir -p "$G/example.com/Bad/@v"                                # not '!'-escaped
cp "$T/good.zip" "$G/example.com/Bad/@v/v1.0.0.zip"
# what the go command's cache also holds: none of these is a version
: > "$V/v1.0.0.lock"
cp "$T/h-v1.0.0.zip" "$V/v1.0.0.zip123456.tmp"
cp "$T/h-v1.0.0.zip" "$V/v1.7.0.zip.partial"
printf '{"Version":"v1.8.0","Time":"2020-01-01T00:00:00Z"}\n' > "$V/v1.8.0.info"

D=$T/store
# v1.2.0-rc.1 is there already, with other content
"$B/goreg-upload" -r "$D" acme "$T/h-v1.2.0.zip" >/dev/null 2>&1
printf 'package hello\n\nconst Version = "other"\n' > "$T/hello/v.go"
pack $H v1.2.0-rc.1 "$T/hello" "$T/other.zip" || bail "goreg-pack failed"
"$B/goreg-upload" -r "$D" acme "$T/other.zip" 2>/dev/null || bail "goreg-upload failed"
before=$(snapshot "$D")

out=$("$B/goreg-import" -n -r "$D" acme "$G" 2>"$T/err")
is $? 1 "-n with invalid versions exits 1"
is "$(snapshot "$D")" "$before" "-n changed nothing"

out=$("$B/goreg-import" -r "$D" acme "$G" 2>"$T/err")
is $? 1 "exit 1: some versions were invalid"
printf '%s\n' "$out" | sed 's/^/# /'
is "$(printf '%s\n' "$out" | grep -c .)" 11 "eleven lines: one per version, one for the bad directory"
like "$out" "^invalid example.com/Bad/@v: " "a module directory that does not decode"
like "$out" "^invalid $H@v1.0.0: not a valid zip file" "the corrupt zip"
like "$out" "^invalid $H@v1.1.0: the zip holds \"$H\"@v1.2.0-rc.1, not \"$H\"@v1.1.0$" "a zip filed under another version"
like "$out" "^invalid $H@v1.2.0: v1.2.0.mod differs from the zip's go.mod$" "a .mod that is not the zip's go.mod"
like "$out" "^invalid $H@v1.2.0-rc.1: exists with other content \(h1:" "a version that exists with other content"
like "$out" "^invalid $H@v1.3.0: v1.3.0.ziphash does not match the zip's hash h1:" "a .ziphash that disagrees"
like "$out" "^invalid $H@v1.4.0: v1.4.0.info: Time yesterday is not an RFC 3339 time" "an .info with a bad Time"
like "$out" "^invalid $H@v1.5.0: v1.5.0.info is for version v1.4.1$" "an .info for another version"
like "$out" "^invalid $H@v1.6: not a canonical semantic version$" "a version that is not canonical"
like "$out" "^invalid example.com/old@v2.0.0\+incompatible: v2.0.0\+incompatible.mod differs from the go.mod the go command makes up" \
	"a zip without go.mod whose .mod is not the made-up one"
like "$out" "^imported example.com/good@v1.0.0$" "the good version is imported all the same"
is "$(cat "$T/err")" "goreg-import: 1 imported, 0 existed, 10 invalid" "the summary counts them"

is "$("$B/goreg-list" -r "$D" acme $H)" "v1.2.0-rc.1
v1.2.0" "none of the invalid versions is in the store"
"$B/goreg-zip" -r "$D" acme $H v1.2.0-rc.1 | cmp -s - "$T/other.zip"
ok $? "the version that existed keeps its own content"
"$B/goreg-info" -r "$D" acme example.com/good v1.0.0 >/dev/null 2>&1
ok $? "the good version is there"
[ "$(ls "$D/tmp" | wc -l)" -eq 0 ]
ok $? "nothing left behind in the spool"

# again: the same reports, nothing changes
before=$(snapshot "$D")
"$B/goreg-import" -r "$D" acme "$G" >/dev/null 2>"$T/err"
is $? 1 "a second run exits 1 again"
is "$(cat "$T/err")" "goreg-import: 0 imported, 1 existed, 10 invalid" "and finds the good version there"
is "$(snapshot "$D")" "$before" "the second run changed nothing"

# the command line
"$B/goreg-import" >/dev/null 2>"$T/err"
is $? 2 "no arguments: usage, exit 2"
like "$(cat "$T/err")" "^usage: goreg-import " "the synopsis"
"$B/goreg-import" -x -r "$D" acme "$G" >/dev/null 2>&1
is $? 2 "an unknown option: exit 2"
"$B/goreg-import" -r "$D" Acme "$G" >/dev/null 2>"$T/err"
is $? 1 "an invalid owner: exit 1"
like "$(cat "$T/err")" "^goreg-import: invalid owner 'Acme'" "says so"
"$B/goreg-import" -r "$D" acme "$T/nothere" >/dev/null 2>"$T/err"
is $? 1 "a missing directory: exit 1"
is "$(cat "$T/err")" "goreg-import: unable to open '$T/nothere': No such file or directory" "says so"
"$B/goreg-import" -u 'a b' -r "$D" acme "$G" >/dev/null 2>&1
is $? 1 "an invalid uploader: exit 1"
# a store that cannot be written: a system failure, 111, and the run stops
: > "$T/file"
out=$("$B/goreg-import" -r "$T/file/store" acme "$G" example.com/good 2>"$T/err")
is $? 111 "a store under a regular file: exit 111"
is "$out" "" "no version reported"
like "$(head -n 1 "$T/err")" "^goreg-import: example.com/good@v1.0.0: .*Not a directory" "the failure names the version"

done_testing
