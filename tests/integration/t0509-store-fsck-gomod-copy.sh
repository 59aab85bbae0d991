#!/bin/sh
# goreg-fsck (the static binary, with its C library's qsort) names every
# record whose kept copy of the go.mod is not its own h1mod's, whatever the
# order it meets the record and the files of a version in, and --repair
# makes each copy the go.mod again; a record without a copy (an older
# goreg's) is no finding, and --repair gives it one (goreg-store(5),
# goreg-fsck(8)).
. "$(dirname "$0")/lib.sh"

R=$T/store
admin "$R" user add acme >/dev/null
command -v perl >/dev/null 2>&1 || skip_all "no perl"
n=0
for i in 1 2 3 4 5 6 7 8 9; do
	make_module "$T/m$i" example.com/copy$i
	for v in v1.0.0 v1.1.0; do
		pack example.com/copy$i $v "$T/m$i" "$T/m$i-$v.zip" || bail "goreg-pack failed"
		"$B/goreg-upload" -r "$R" acme "$T/m$i-$v.zip" 2>/dev/null && n=$((n + 1))
	done
done
is $n 18 "eighteen versions uploaded"
"$B/goreg-fsck" -r "$R" >/dev/null 2>&1
ok $? "goreg-fsck: clean"

# each record's copy changed in place, its length kept: "module" made
# "Module" (a tdb record's bytes are stored whole, and unchecked)
perl -0777 -pi -e 's/gomod=module example\.com/gomod=Module example.com/g' "$R/acme/index.tdb"
like "$("$B/goreg-mod" -r "$R" acme example.com/copy1 v1.0.0)" '^Module example.com/copy1' \
	"a .mod is the record's copy, damaged"
"$B/goreg-fsck" -r "$R" > "$T/out" 2>&1
is $? 1 "goreg-fsck: exit 1"
is "$(grep -c 'keeps a go.mod that is not its h1:' "$T/out")" 18 "  each of the eighteen damaged copies named"
"$B/goreg-fsck" -r "$R" --repair >/dev/null 2>&1
"$B/goreg-fsck" -r "$R" >/dev/null 2>&1
ok $? "after --repair: clean"
bad=0
for i in 1 2 3 4 5 6 7 8 9; do
	for v in v1.0.0 v1.1.0; do
		"$B/goreg-mod" -r "$R" acme example.com/copy$i $v | cmp -s - "$T/m$i/go.mod" || bad=$((bad + 1))
	done
done
is $bad 0 "  and every .mod is its go.mod again"

# records as an older goreg wrote them, without a copy (here the key made
# one this goreg does not know, its length kept): no finding; the .mod is
# the file's; --repair gives each its copy
perl -0777 -pi -e 's/\ngomod=module example\.com/\nxomod=module example.com/g' "$R/acme/index.tdb"
"$B/goreg-fsck" -r "$R" > "$T/out" 2>&1
ok $? "records without a copy: goreg-fsck clean"
is "$(wc -c < "$T/out" | tr -d ' ')" 0 "  and silent"
cp "$R/acme/example.com/copy1/@v/v1.0.0.mod" "$T/keep.mod"
printf 'module example.com/copy1 // from the file\n' > "$T/file.mod"
head -c "$(wc -c < "$T/keep.mod")" "$T/file.mod" > "$R/acme/example.com/copy1/@v/v1.0.0.mod"
like "$("$B/goreg-mod" -r "$R" acme example.com/copy1 v1.0.0)" '// from' "  a .mod is then the file's"
cp "$T/keep.mod" "$R/acme/example.com/copy1/@v/v1.0.0.mod"
"$B/goreg-fsck" -r "$R" --repair -v > "$T/out" 2> "$T/err"
ok $? "goreg-fsck --repair: exit 0"
is "$(cat "$T/out")" "acme/index.tdb: 18 records given a copy of their go.mod" "  18 records given a copy, said once for the owner"
like "$(cat "$T/err")" '0 problems found, 0 repaired, 18 records given a go.mod copy' "  -v counts them apart from problems"
head -c "$(wc -c < "$T/keep.mod")" "$T/file.mod" > "$R/acme/example.com/copy1/@v/v1.0.0.mod"
like "$("$B/goreg-mod" -r "$R" acme example.com/copy1 v1.0.0)" '^module example.com/copy1$' "  the .mod is the copy again"
cp "$T/keep.mod" "$R/acme/example.com/copy1/@v/v1.0.0.mod"
"$B/goreg-fsck" -r "$R" --repair > "$T/out" 2>&1
is "$(wc -c < "$T/out" | tr -d ' ')" 0 "a second --repair: nothing to do"
done_testing
