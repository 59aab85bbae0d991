#!/bin/sh
# Exactly once: N uploads of one module version racing each other, each
# with different bytes, through goreg-httpd (curl, one connection each, so
# N goreg-httpd processes) and through goreg-upload (N processes on the
# store).  One wins with 201 (exit 0), the other N-1 get 409 (exit 1), and
# the store holds the winner's zip, whole.  goreg-fsck finds nothing.
. "$(dirname "$0")/lib.sh"

N=12
R=$T/store
M=example.com/race
admin "$R" user add acme >/dev/null
TOKEN=$(admin "$R" token add acme)

# N different zips of each version: the same module, a different file
i=1
while [ $i -le $N ]; do
	make_module "$T/src$i" $M race
	printf 'package race\n\n// Racer is who made this zip.\nconst Racer = %d\n' $i > "$T/src$i/racer.go"
	pack $M v1.0.0 "$T/src$i" "$T/h$i.zip" || bail "goreg-pack failed"
	pack $M v1.1.0 "$T/src$i" "$T/u$i.zip" || bail "goreg-pack failed"
	i=$((i + 1))
done

start_httpd "$R"
U=$BASE/api/packages/acme/go

# every racer waits for the starting gun, then goes
pids=""
i=1
while [ $i -le $N ]; do
	(
		while [ ! -e "$T/go" ]; do sleep 0.01; done
		curl -sS -o "$T/hbody$i" -w '%{http_code}' --user "acme:$TOKEN" \
			--upload-file "$T/h$i.zip" "$U/upload" > "$T/hcode$i"
	) &
	pids="$pids $!"
	i=$((i + 1))
done
touch "$T/go"
for p in $pids; do wait "$p"; done

n201=0 n409=0 winner=
i=1
while [ $i -le $N ]; do
	case $(cat "$T/hcode$i") in
	201) n201=$((n201 + 1)); winner=$i ;;
	409) n409=$((n409 + 1)) ;;
	esac
	i=$((i + 1))
done
is "$n201" 1 "HTTP: $N racing uploads of one version, exactly one 201"
is "$n409" $((N - 1)) "HTTP: and $((N - 1)) answers 409"
code=$(http "$U/$M/@v/v1.0.0.zip")
is "$code" 200 "HTTP: the version is served"
cmp -s "$T/body" "$T/h${winner:-0}.zip"
ok $? "HTTP: the zip served is the winner's, byte for byte"
code=$(http "$U/$M/@v/list")
is "$(cat "$T/body")" "v1.0.0" "HTTP: listed once"

# the same race on the store itself: N goreg-upload processes
rm -f "$T/go"
pids=""
i=1
while [ $i -le $N ]; do
	(
		while [ ! -e "$T/go" ]; do sleep 0.01; done
		"$B/goreg-upload" -r "$R" acme "$T/u$i.zip" 2> "$T/uerr$i"
		echo $? > "$T/urc$i"
	) &
	pids="$pids $!"
	i=$((i + 1))
done
touch "$T/go"
for p in $pids; do wait "$p"; done

n0=0 n1=0 winner= conflicts=0
i=1
while [ $i -le $N ]; do
	case $(cat "$T/urc$i") in
	0) n0=$((n0 + 1)); winner=$i ;;
	1) n1=$((n1 + 1)); grep -q 'already exists' "$T/uerr$i" && conflicts=$((conflicts + 1)) ;;
	esac
	i=$((i + 1))
done
is "$n0" 1 "goreg-upload: $N racing uploads, exactly one exits 0"
is "$n1" $((N - 1)) "goreg-upload: the other $((N - 1)) exit 1"
is "$conflicts" $((N - 1)) "goreg-upload: each saying the version already exists"
"$B/goreg-zip" -r "$R" acme $M v1.1.0 > "$T/got.zip"
cmp -s "$T/got.zip" "$T/u${winner:-0}.zip"
ok $? "goreg-upload: the stored zip is the winner's, byte for byte"
is "$("$B/goreg-list" -r "$R" acme $M)" "$(printf 'v1.0.0\nv1.1.0')" "both versions listed, once each"

out=$("$B/goreg-fsck" -r "$R" -a 0 2>&1)
ok $? "goreg-fsck: the store is consistent"
is "$out" "" "goreg-fsck: nothing to report (no leftovers of the losers in tmp/)"

done_testing
