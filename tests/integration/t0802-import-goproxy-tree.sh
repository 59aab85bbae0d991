#!/bin/sh
# An owner directory of a goreg store is a file-based GOPROXY tree:
# goreg-import copies one store's owner into another, a few modules at a
# time by GOPRIVATE-style patterns, and the new owner's tree comes out
# byte for byte the old one (the .info times kept).
. "$(dirname "$0")/lib.sh"

S=$T/old-store
n=0
for m in example.com/Hello example.com/a/b example.com/a/b/v2 example.org/x golang.org/x/thing; do
	d=$T/src/$n
	make_module "$d" $m
	case $m in */v2) vs="v2.0.0 v2.1.0-beta.1" ;; *) vs="v0.1.0 v1.0.0" ;; esac
	for v in $vs; do
		printf 'package hello\n\nconst Version = "%s"\n' $v > "$d/v.go"
		pack $m $v "$d" "$T/z.zip" || bail "goreg-pack $m $v failed"
		n=$((n + 1))
		GOREG_NOW=$((1500000000 + n * 3600)) "$B/goreg-upload" -r "$S" acme "$T/z.zip" 2>/dev/null ||
			bail "goreg-upload $m $v failed"
	done
done

D=$T/new-store
out=$("$B/goreg-import" -r "$D" acme "$S/acme" 'example.com/*' 2>"$T/err")
is $? 0 "import with the pattern example.com/*"
is "$out" "imported example.com/Hello@v0.1.0
imported example.com/Hello@v1.0.0
imported example.com/a/b@v0.1.0
imported example.com/a/b@v1.0.0
imported example.com/a/b/v2@v2.0.0
imported example.com/a/b/v2@v2.1.0-beta.1" "a glob matches leading path elements: example.com's modules, none else"

out=$("$B/goreg-import" -r "$D" acme "$S/acme" 'example.org' 'golang.org/x,nothing.example/*' 2>"$T/err")
is $? 0 "import with two pattern arguments, one holding two globs"
is "$out" "imported example.org/x@v0.1.0
imported example.org/x@v1.0.0
imported golang.org/x/thing@v0.1.0
imported golang.org/x/thing@v1.0.0" "the modules below example.org and golang.org/x"
is "$(cat "$T/err")" "goreg-import: 4 imported, 0 existed, 0 invalid" "the summary"

out=$("$B/goreg-import" -r "$D" acme "$S/acme" 'example.com/H*' 2>/dev/null)
is "$out" "exists example.com/Hello@v0.1.0
exists example.com/Hello@v1.0.0" "a glob is matched against the decoded path (capitals)"
out=$("$B/goreg-import" -r "$D" acme "$S/acme" 'example.com/a' 2>"$T/err")
is "$(printf '%s\n' "$out" | grep -c '^exists example.com/a/b')" 4 "example.com/a matches example.com/a/b and its /v2"
out=$("$B/goreg-import" -r "$D" acme "$S/acme" 'nomatch.example' 2>"$T/err")
is "$?:$out" "0:" "a pattern matching nothing: nothing to do, exit 0"
is "$(cat "$T/err")" "goreg-import: 0 imported, 0 existed, 0 invalid" "and says so"

# the trees are the same, file by file, but for the index
diff -r -x index.tdb "$S/acme" "$D/acme" >"$T/diff" 2>&1
ok $? "the new owner's tree is byte for byte the old one"
sed 's/^/# /' "$T/diff" | head -n 20
for m in example.com/Hello example.com/a/b/v2 golang.org/x/thing; do
	is "$("$B/goreg-list" -r "$D" acme $m)" "$("$B/goreg-list" -r "$S" acme $m)" "goreg-list $m: the same versions"
	is "$("$B/goreg-latest" -r "$D" acme $m)" "$("$B/goreg-latest" -r "$S" acme $m)" "goreg-latest $m: the same"
done

# a tree without .info files: a pseudo-version gets the time it encodes,
# a release the current time
PV=v0.0.0-20191109021931-daa7c04131f5
make_module "$T/nt" example.com/notime
pack example.com/notime $PV "$T/nt" "$T/nt1.zip" || bail "goreg-pack failed"
pack example.com/notime v0.1.0 "$T/nt" "$T/nt2.zip" || bail "goreg-pack failed"
mkdir -p "$T/notime/example.com/notime/@v"
cp "$T/nt1.zip" "$T/notime/example.com/notime/@v/$PV.zip"
cp "$T/nt2.zip" "$T/notime/example.com/notime/@v/v0.1.0.zip"
GOREG_NOW=1700000000 "$B/goreg-import" -r "$D" acme "$T/notime" >/dev/null 2>&1
ok $? "import of zips without .info or .mod"
is "$("$B/goreg-info" -r "$D" acme example.com/notime $PV)" \
	"{\"Version\":\"$PV\",\"Time\":\"2019-11-09T02:19:31Z\"}" "a pseudo-version without .info: the time it encodes"
is "$("$B/goreg-info" -r "$D" acme example.com/notime v0.1.0)" \
	'{"Version":"v0.1.0","Time":"2023-11-14T22:13:20Z"}' "a release without .info: the time of the import"

# an empty directory holds no versions
mkdir -p "$T/empty"
out=$("$B/goreg-import" -n -r "$D" acme "$T/empty" 2>"$T/err")
is "$?:$out" "0:" "an empty tree: nothing to do"

# a tree whose root is one module's directory: its @v has no module path
out=$("$B/goreg-import" -n -r "$D" acme "$S/acme/example.org/x" 2>/dev/null)
is "$?" 1 "the root's own @v directory: exit 1"
like "$out" "^invalid @v: " "reported as a directory without a module path"

done_testing
