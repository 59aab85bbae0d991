#!/bin/sh
# Deletes racing: N DELETEs of one version at once (goreg-httpd, one
# process each, and goreg-delete) answer 204 (exit 0) exactly once and
# 404 (exit 1) the N-1 others, round after round; and goreg-admin user
# delete --force racing goreg-upload into the same owner: every upload
# either landed before (its version in the tree set aside, whole) or
# after (in a new tree), or was refused saying the owner was deleted, and
# goreg-fsck finds both trees clean; an HTTP upload still sending its
# body when its owner is deleted is refused, and makes no tree again.
. "$(dirname "$0")/lib.sh"

N=12
ROUNDS=4
R=$T/store
M=example.com/race
admin "$R" user add acme >/dev/null
TOKEN=$(admin "$R" token add acme)
make_module "$T/src" $M race
pack $M v1.0.0 "$T/src" "$T/race.zip" || bail "goreg-pack failed"
start_httpd "$R"
D=$BASE/api/v1/packages/acme/go/example.com%2Frace/v1.0.0

# race HOW ROUND: N deleters at once; their statuses (HTTP) or exit
# codes (goreg-delete) in $T/HOW.ROUND.I
del_http() { curl -sS -o /dev/null -w '%{http_code}\n' --user "acme:$TOKEN" -X DELETE "$D"; }
del_tool() {
	"$B/goreg-delete" -r "$R" acme $M v1.0.0 2>/dev/null
	echo $?
}
race() {
	i=1
	while [ $i -le $N ]; do
		racer "$T/$1.$2.$i" "del_$1"
		i=$((i + 1))
	done
	fire
}

for how in http tool; do
	r=1
	while [ $r -le $ROUNDS ]; do
		"$B/goreg-upload" -r "$R" acme "$T/race.zip" 2>/dev/null || bail "upload round $r"
		race $how $r
		got=$(cat "$T/$how.$r".* | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')
		if [ $how = http ]; then want="204×1 404×$((N - 1)) "; else want="0×1 1×$((N - 1)) "; fi
		is "$got" "$want" "$how round $r: $N deletes of one version at once: one succeeds, the others find it gone"
		r=$((r + 1))
	done
done
"$B/goreg-info" -r "$R" acme $M v1.0.0 >/dev/null 2>&1
is "$?" 1 "the version is gone"
out=$("$B/goreg-fsck" -r "$R" 2>&1)
is "$?$out" 0 "goreg-fsck finds nothing"

# user delete --force against uploads: three uploaders, each publishing
# its own versions one after the other while the owner is deleted
K=40
for u in 1 2 3; do
	for k in $(seq 1 $K); do
		pack $M "v0.$u.$k" "$T/src" "$T/z$u.$k.zip" || bail "goreg-pack failed"
	done
done
"$B/goreg-upload" -r "$R" acme "$T/race.zip" 2>/dev/null || bail "upload"
upload_all() {
	for k in $(seq 1 $K); do
		"$B/goreg-upload" -r "$R" acme "$T/z$1.$k.zip" 2>"$T/up.$1.$k.err"
		echo $? > "$T/up.$1.$k"
	done
}
for u in 1 2 3; do
	racer /dev/null upload_all $u
done
del_owner() {
	sleep 0.1
	admin "$R" user delete acme --force 2>"$T/del.err"
	echo $?
}
racer "$T/del.rc" del_owner
fire
is "$(cat "$T/del.rc")" 0 "user delete --force while uploads run"
aside=$(ls -d "$R"/lost+found/acme.deleted.* 2>/dev/null)
[ -d "$aside" ]
ok $? "the owner's tree is set aside"
# the set-aside tree as the only owner of a store of its own
mkdir -m 750 "$T/aside"
cp -a "$aside" "$T/aside/acme"
out=$("$B/goreg-fsck" -r "$T/aside" 2>&1)
is "$?$out" 0 "goreg-fsck finds the set-aside tree clean"
out=$("$B/goreg-fsck" -r "$R" 2>&1)
is "$?$out" 0 "goreg-fsck finds the store clean"
before=0 after=0 refused=0 bad=
for u in 1 2 3; do
	for k in $(seq 1 $K); do
		v=v0.$u.$k
		rc=$(cat "$T/up.$u.$k")
		in_aside=0 in_new=0
		"$B/goreg-info" -r "$T/aside" acme $M $v >/dev/null 2>&1 && in_aside=1
		"$B/goreg-info" -r "$R" acme $M $v >/dev/null 2>&1 && in_new=1
		case "$rc $in_aside $in_new" in
		"0 1 0") before=$((before + 1)) ;;
		"0 0 1") after=$((after + 1)) ;;
		"1 0 0")
			if grep -q "'acme' was deleted while this upload ran: not published" "$T/up.$u.$k.err"; then
				refused=$((refused + 1))
			else
				bad="$bad $v:refused:$(cat "$T/up.$u.$k.err")"
			fi
			;;
		*) bad="$bad $v:exit=$rc,aside=$in_aside,new=$in_new" ;;
		esac
	done
done
is "$bad" "" "every upload landed whole before the delete or after it, or was refused saying why"
diag "uploads: $before before the delete (set aside), $after after it, $refused refused while waiting"
[ $before -ge 1 ]
ok $? "some landed before the delete (in the set-aside tree)"

# an upload over HTTP still sending its body when the owner is deleted:
# it must not make the owner's tree again (409, nothing under ROOT/slow)
admin "$R" user add slow >/dev/null && STOK=$(admin "$R" token add slow) || bail "user add slow"
mkdir -p "$T/big" && printf 'module example.com/big\n\ngo 1.19\n' > "$T/big/go.mod" &&
	head -c 3000000 /dev/urandom > "$T/big/data.bin" && pack example.com/big v1.0.0 "$T/big" "$T/big.zip" ||
	bail "big zip"
curl -sS -o "$T/slow.body" -w '%{http_code}' --limit-rate 1M --user "slow:$STOK" --upload-file "$T/big.zip" \
	"$BASE/api/packages/slow/go/upload" > "$T/slow.code" &
cpid=$!
sleep 1
admin "$R" user delete slow --force 2>/dev/null
wait $cpid
is "$(cat "$T/slow.code")" 409 "an upload under way when its owner is deleted: 409"
like "$(cat "$T/slow.body")" "'slow' was deleted while this upload ran: not published" "  saying why"
[ ! -e "$R/slow" ]
ok $? "  and the owner's tree is not made again"
done_testing
