#!/bin/sh
# goreg-fsck (the static binary, with its C library's qsort) names every
# record whose kept copy of the go.mod is not its own h1mod's, whatever the
# order it meets the record and the files of a version in, and --repair
# makes each copy the go.mod again (goreg-store(5), goreg-fsck(8)).
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
done_testing
