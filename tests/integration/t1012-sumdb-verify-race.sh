#!/bin/sh
# goreg-admin sumdb verify while versions are published: each publish
# adds a record, its hashes and a new signed tree head in one commit, and
# verify reads the log as one moment of it (a transaction of the log), so
# it never reports a sound log as broken.  Then publishes at once.
. "$(dirname "$0")/lib.sh"

N=40
R=$T/store
admin "$R" user add acme > /dev/null
admin "$R" sumdb init acme race.test > /dev/null || bail "sumdb init"
make_module "$T/m" example.com/m
i=0
while [ $i -lt $N ]; do
	pack example.com/m "v0.1.$i" "$T/m" "$T/m$i.zip" || bail "pack"
	i=$((i + 1))
done
(
	i=0
	while [ $i -lt $N ]; do
		"$B/goreg-upload" -r "$R" acme "$T/m$i.zip" > /dev/null 2>&1 || echo "upload $i" >> "$T/bad"
		i=$((i + 1))
	done
	touch "$T/done"
) &
upl=$!
runs=0
: > "$T/verify"
while [ ! -e "$T/done" ]; do
	admin "$R" sumdb verify acme >> "$T/verify" 2>&1 || echo "FAILED" >> "$T/verify"
	runs=$((runs + 1))
done
wait $upl
ok "$([ ! -e "$T/bad" ] && echo 0 || echo 1)" "$N uploads"
is "$(grep -c FAILED "$T/verify")" 0 "$runs verifies during them: none fails ($(grep -v ' records, every' "$T/verify" | head -n 2 | tr '\n' ' '))"
like "$(admin "$R" sumdb verify acme)" "^acme: $N records" "then $N records"

# publishes at once: each record lands, under an id of its own
pids=
i=0
while [ $i -lt 12 ]; do
	pack example.com/m "v0.2.$i" "$T/m" "$T/p$i.zip" || bail "pack"
	i=$((i + 1))
done
i=0
while [ $i -lt 12 ]; do
	("$B/goreg-upload" -r "$R" acme "$T/p$i.zip" > /dev/null 2>&1 || echo "upload $i" >> "$T/bad2") &
	pids="$pids $!"
	i=$((i + 1))
done
wait $pids
ok "$([ ! -e "$T/bad2" ] && echo 0 || echo 1)" "12 uploads at once"
like "$(admin "$R" sumdb verify acme)" "^acme: $((N + 12)) records" "  $((N + 12)) records, each with its own id"
done_testing
