#!/bin/sh
# The release build: every program is a static, stripped binary of at most
# 400 KB (goreg-fetch, the one that links libcurl + mbedTLS: 1.5 MB), and
# runs with no dynamic loader at all.
. "$(dirname "$0")/lib.sh"

programs=$(sed -n '/^PROGRAMS/,/^$/p' "$GOREG_TOP/mk/config.mk" | sed 's/^PROGRAMS *=//; s/\\//g' | tr -s ' \n' '\n' | grep .)
curl_programs=$(sed -n 's/^CURL_PROGRAMS *= *//p' "$GOREG_TOP/mk/config.mk")
for p in $programs; do
	f=$B/$p
	[ -x "$f" ]
	ok $? "$p is built"
	desc=$(file -b "$f")
	like "$desc" 'statically linked' "$p is statically linked"
	like "$desc" ', stripped' "$p is stripped"
	size=$(stat -c %s "$f")
	case " $curl_programs " in
	*" $p "*) max=1572864 maxs="1.5 MB" ;;
	*) max=409600 maxs="400 KB" ;;
	esac
	[ "$size" -le "$max" ]
	ok $? "$p is $size bytes (at most $maxs)"
done
# no PT_INTERP: the kernel runs it without ld.so
out=$(env -i "$B/goreg-admin" 2>&1)
is "$?" 2 "goreg-admin runs in an empty environment (usage: exit 2)"
like "$out" '^usage: goreg-admin' "and prints its usage"
done_testing
