#!/bin/sh
# A crash at any instant of an upload: goreg-upload is killed with SIGKILL
# at random instants of uploading a 2 MB zip, many times over.  After each
# kill, before any repair, no reader may see part of a version: the
# store's readers (goreg-info/-mod/-zip/-list, the code goreg-httpd serves
# with) and the file tree (GOPROXY=file://) each show the version whole or
# not at all.  Then goreg-fsck --repair, after which goreg-fsck is clean,
# every upload that exited 0 (the 201 of HTTP) is intact, and what
# goreg-httpd lists it serves whole.
#
# The random instants mostly land in spooling and validation; the steps
# of the publish itself are each hit in turn with the dev build's test hook
# (GOREG_STORE_CRASH=step makes the sanitizer build SIGKILL itself there),
# for uploads and for deletes, when the dev build is there.
. "$(dirname "$0")/lib.sh"

TRIALS=40
R=$T/store
admin "$R" user add acme >/dev/null
M=example.com/big
S=$T/src
make_module "$S" $M big
i=1
while [ $i -le 8 ]; do
	head -c 250000 /dev/urandom > "$S/data$i.bin"
	i=$((i + 1))
done
D=$R/acme/$M/@v

# zip VERSION: the module's zip for VERSION (made once)
zip_of() {
	zf=$T/z-${M##*/}-$1.zip
	[ -f "$zf" ] || pack $M "$1" "$S" "$zf" || bail "goreg-pack failed"
	echo "$zf"
}

# seen_as OWNER VERSION ZIP: 0 if every reader sees VERSION whole or not at all
seen() { seen_as acme "$@"; }
seen_as() {
	o=$1
	shift
	z=$2
	# the file tree: a version is there once its .info is
	if [ -e "$D/$1.info" ]; then
		[ -e "$D/$1.mod" ] && cmp -s "$D/$1.zip" "$z" || return 1
	fi
	"$B/goreg-zip" -r "$R" "$o" $M "$1" > "$T/got.zip" 2>/dev/null
	zrc=$?
	"$B/goreg-info" -r "$R" "$o" $M "$1" > /dev/null 2>&1
	irc=$?
	"$B/goreg-mod" -r "$R" "$o" $M "$1" > /dev/null 2>&1
	mrc=$?
	case $zrc$irc$mrc in
	000) cmp -s "$T/got.zip" "$z" || return 1 ;;
	111) ;;
	*) return 1 ;;
	esac
	# listed means servable
	if "$B/goreg-list" -r "$R" "$o" $M 2>/dev/null | grep -qx -- "$1"; then
		[ $zrc = 0 ] || return 1
	fi
	return 0
}

# one upload, timed, only to spread the kill instants over its length
z=$(zip_of v1.0.0)
t0=$(date +%s%N)
"$B/goreg-upload" -r "$R" acme "$z" 2>/dev/null
ok $? "a first upload (the version every trial must leave alone)"
t1=$(date +%s%N)
span=$(( (t1 - t0) / 1000000 * 3 / 2 + 5 ))
diag "an upload takes $(( (t1 - t0) / 1000000 )) ms here; killing within $span ms"

trial=1 n=1 bad=0 created=0 killed=0
: > "$T/created"
while [ $trial -le $TRIALS ]; do
	v=v1.1.$n
	z=$(zip_of $v)
	"$B/goreg-upload" -r "$R" acme "$z" 2>/dev/null &
	pid=$!
	ms=$(( $(od -An -N2 -tu2 /dev/urandom) % span ))
	sleep "$(printf '0.%03d' "$ms")"
	kill -KILL $pid 2>/dev/null
	{ wait $pid; } 2>/dev/null
	rc=$?
	if [ $rc = 0 ]; then
		created=$((created + 1))
		echo "$v $z" >> "$T/created"
	else
		killed=$((killed + 1))
	fi
	if ! seen $v "$z"; then
		bad=$((bad + 1))
		diag "trial $trial: $v is seen in part (upload exit $rc)"
	fi
	# a version whose .info made it is taken: the next trial takes the next
	[ $rc = 0 ] || [ -e "$D/$v.info" ] && n=$((n + 1))
	trial=$((trial + 1))
done
diag "$created uploads finished before the kill, $killed were killed"
is "$bad" 0 "after each of $TRIALS kills, no reader saw part of a version"

"$B/goreg-fsck" -r "$R" -a 0 > "$T/before" 2>&1
diag "goreg-fsck found $(wc -l < "$T/before" | tr -d ' ') things to repair, of them" \
	"$(grep -c 'not in acme/index.tdb' "$T/before") versions whole in the tree but not committed"
"$B/goreg-fsck" -r "$R" -a 0 --repair > "$T/repair" 2>&1
ok $? "goreg-fsck --repair: exit 0"
out=$("$B/goreg-fsck" -r "$R" -a 0 2>&1)
ok $? "then goreg-fsck: exit 0"
is "$out" "" "then goreg-fsck: nothing to report"
is "$(ls -A "$R/tmp")" "" "tmp/ is empty"

intact=0
while read -r v z; do
	"$B/goreg-zip" -r "$R" acme $M "$v" 2>/dev/null | cmp -s - "$z" && intact=$((intact + 1))
done < "$T/created"
is "$intact" "$created" "every upload that exited 0 is intact ($created)"
"$B/goreg-zip" -r "$R" acme $M v1.0.0 | cmp -s - "$(zip_of v1.0.0)"
ok $? "the first version is intact"

start_httpd "$R"
U=$BASE/api/packages/acme/go
http "$U/$M/@v/list" > /dev/null
whole=0 listed=0
for v in $(cat "$T/body"); do
	listed=$((listed + 1))
	[ "$(http "$U/$M/@v/$v.zip")" = 200 ] && cmp -s "$T/body" "$(zip_of "$v")" &&
		[ "$(http "$U/$M/@v/$v.info")" = 200 ] && [ "$(http "$U/$M/@v/$v.mod")" = 200 ] &&
		whole=$((whole + 1))
done
is "$whole" "$listed" "HTTP: each of the $listed listed versions is served whole"

# every step of a publish and of a delete, through the dev build's hook,
# on a small module of another owner (goreg-fsck OWNER checks that alone)
DEV=${GOREG_DEVDIR:-}/bin
if [ -x "$DEV/goreg-upload" ] && [ -x "$DEV/goreg-delete" ]; then
	M=example.com/small
	S=$T/small
	D=$R/hook/$M/@v
	make_module "$S" $M small
	mkdir -p "$R/hook"
	k=1
	for step in publish-locked publish-zip publish-mod publish-info publish-list publish-stored \
		publish-committed; do
		v=v1.2.$k
		z=$(zip_of $v)
		GOREG_STORE_CRASH=$step "$DEV/goreg-upload" -r "$R" hook "$z" 2>/dev/null
		is $? 137 "crash at $step: killed by SIGKILL"
		seen_as hook $v "$z"
		ok $? "  no reader sees part of $v"
		case $step in
		publish-info|publish-list|publish-stored)
			# the files are all in place, the record is not: the
			# upload again is refused, and says what to do
			"$B/goreg-upload" -r "$R" hook "$z" > /dev/null 2> "$T/again"
			like "$(cat "$T/again")" "already exists in the file tree but not in the index \(goreg-fsck --repair adopts it" \
				"  uploaded again before a repair: refused, naming goreg-fsck --repair"
			;;
		esac
		"$B/goreg-fsck" -r "$R" -a 0 --repair hook > /dev/null 2>&1
		out=$("$B/goreg-fsck" -r "$R" -a 0 hook 2>&1)
		ok $? "  goreg-fsck --repair, then goreg-fsck is clean"
		case $step in
		publish-locked|publish-zip|publish-mod) want=1 ;;
		*) want=0 ;;
		esac
		"$B/goreg-zip" -r "$R" hook $M $v 2>/dev/null | cmp -s - "$z"
		is $? $want "  then $v is $([ $want = 0 ] && echo whole || echo absent)"
		k=$((k + 1))
	done
	for step in delete-marked delete-info delete-files; do
		v=v1.2.$k
		z=$(zip_of $v)
		"$B/goreg-upload" -r "$R" hook "$z" 2>/dev/null
		GOREG_STORE_CRASH=$step "$DEV/goreg-delete" -r "$R" hook $M $v 2>/dev/null
		is $? 137 "crash at $step: killed by SIGKILL"
		seen_as hook $v "$z"
		ok $? "  no reader sees part of $v"
		"$B/goreg-list" -r "$R" hook $M 2>/dev/null | grep -qx -- $v
		is $? 1 "  nor lists it"
		"$B/goreg-fsck" -r "$R" -a 0 --repair hook > /dev/null 2>&1
		out=$("$B/goreg-fsck" -r "$R" -a 0 hook 2>&1)
		ok $? "  goreg-fsck --repair, then goreg-fsck is clean"
		"$B/goreg-info" -r "$R" hook $M $v > /dev/null 2>&1
		is $? 1 "  and $v is gone"
		"$B/goreg-upload" -r "$R" hook "$z" 2>/dev/null
		ok $? "  and can be uploaded again"
		k=$((k + 1))
	done
	"$B/goreg-fsck" -r "$R" -a 0 --repair > /dev/null 2>&1
	out=$("$B/goreg-fsck" -r "$R" -a 0 2>&1)
	ok $? "the whole store: goreg-fsck is clean"
else
	diag "no dev build in '${GOREG_DEVDIR:-}': the per-step crashes are left to t-store"
fi

done_testing
