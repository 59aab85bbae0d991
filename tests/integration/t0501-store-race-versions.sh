#!/bin/sh
# Racing uploads of different versions all succeed: N versions at once
# through goreg-httpd (curl) and N more at once through goreg-upload, half
# of them of a second module of the same owner (one index, one lock).
# Every upload gets 201 / exit 0, the version lists show them all in semver
# order (HTTP and the file tree's @v/list), and goreg-fsck finds nothing.
. "$(dirname "$0")/lib.sh"

N=10
R=$T/store
admin "$R" user add acme >/dev/null
TOKEN=$(admin "$R" token add acme)

make_module "$T/a" example.com/a
make_module "$T/b" example.com/b
i=1
while [ $i -le $N ]; do
	pack example.com/a "v1.$i.0" "$T/a" "$T/a$i.zip" || bail "goreg-pack failed"
	pack example.com/b "v0.$i.0" "$T/b" "$T/b$i.zip" || bail "goreg-pack failed"
	pack example.com/a "v1.$i.1" "$T/a" "$T/c$i.zip" || bail "goreg-pack failed"
	i=$((i + 1))
done

start_httpd "$R"
U=$BASE/api/packages/acme/go

pids=""
i=1
while [ $i -le $N ]; do
	for z in a b; do
		(
			while [ ! -e "$T/go" ]; do sleep 0.01; done
			curl -sS -o /dev/null -w '%{http_code}' --user "acme:$TOKEN" \
				--upload-file "$T/$z$i.zip" "$U/upload" > "$T/code.$z$i"
		) &
		pids="$pids $!"
	done
	(
		while [ ! -e "$T/go" ]; do sleep 0.01; done
		"$B/goreg-upload" -r "$R" acme "$T/c$i.zip" 2>/dev/null
		echo $? > "$T/rc.c$i"
	) &
	pids="$pids $!"
	i=$((i + 1))
done
touch "$T/go"
for p in $pids; do wait "$p"; done

good=0
i=1
while [ $i -le $N ]; do
	[ "$(cat "$T/code.a$i")" = 201 ] && good=$((good + 1))
	[ "$(cat "$T/code.b$i")" = 201 ] && good=$((good + 1))
	[ "$(cat "$T/rc.c$i")" = 0 ] && good=$((good + 1))
	i=$((i + 1))
done
is "$good" $((3 * N)) "$((3 * N)) racing uploads of different versions all succeed"

want_a=$(i=1; while [ $i -le $N ]; do echo "v1.$i.0"; echo "v1.$i.1"; i=$((i + 1)); done |
	sort -t. -k1,1 -k2,2n -k3,3n)
code=$(http "$U/example.com/a/@v/list")
is "$code" 200 "HTTP list of example.com/a"
got=$(sort -t. -k1,1 -k2,2n -k3,3n "$T/body")
is "$got" "$want_a" "it has all $((2 * N)) versions"
sort -c -t. -k1,1 -k2,2n -k3,3n "$T/body" 2>/dev/null
ok $? "in semver order"
code=$(http "$U/example.com/b/@v/list")
is "$(wc -l < "$T/body" | tr -d ' ')" "$N" "HTTP list of example.com/b has all $N versions"
is "$(cat "$R/acme/example.com/b/@v/list")" "$(cat "$T/body")" "the file tree's @v/list says the same"
is "$("$B/goreg-list" -r "$R" acme example.com/a)" "$(cat "$R/acme/example.com/a/@v/list")" \
	"goreg-list and the file tree agree for example.com/a"

out=$("$B/goreg-fsck" -r "$R" -a 0 -v 2>"$T/fsck.err")
ok $? "goreg-fsck: consistent"
is "$out" "" "goreg-fsck: nothing to report"
like "$(cat "$T/fsck.err")" "1 owners, $((3 * N)) versions, 0 problems" "goreg-fsck -v counts every version"

done_testing
