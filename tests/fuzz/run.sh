#!/bin/sh
# Build the libFuzzer harnesses of tests/fuzz/ with clang (ASan + UBSan)
# against lib/, replay each one's regression inputs, then fuzz each for a
# while from its seeds.
#
#   tests/fuzz/run.sh [-t SECONDS] [-o DIR] [-b] [-T] [TARGET...]
#
# TARGETs: the NAME of each tests/fuzz/fuzz-NAME.c (default: all).  -t:
# seconds per target (default 60; 0 replays the seeds only).  -o: build and work directory
# (default build/fuzz).  -b: build only.  -T: TAP output, one test per
# target (what `make check` runs).  CC_FUZZ names the compiler (default
# clang; Debian 12: apt-get install clang).  The corpus grows in
# DIR/corpus/TARGET, crashes land in DIR/artifacts/TARGET/, logs in
# DIR/logs/TARGET.log; replay one with DIR/bin/fuzz-TARGET FILE.  Exit 0
# if no target found anything, 1 if one did, 2 if a target did not build
# (and none found anything).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/fuzz
secs=60
out=$top/build/fuzz
build_only=0
tap=0
while getopts t:o:bT opt; do
	case $opt in
	t) secs=$OPTARG ;;
	o) out=$OPTARG ;;
	b) build_only=1 ;;
	T) tap=1 ;;
	*) echo "usage: $0 [-t SECONDS] [-o DIR] [-b] [-T] [TARGET...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
mkdir -p "$out" && out=$(cd "$out" && pwd)
all=$(for f in "$here"/fuzz-*.c; do f=${f##*/fuzz-}; echo "${f%.c}"; done)
targets=${*:-$all}
for t in $targets; do
	[ -f "$here/fuzz-$t.c" ] || { echo "$0: no target '$t'" >&2; exit 2; }
done
cc=${CC_FUZZ:-clang}
command -v "$cc" >/dev/null 2>&1 || { echo "$0: no $cc (apt-get install clang)" >&2; exit 2; }

# the flags of mk/config.mk's dev build, with coverage for libFuzzer;
# -Werror left out: a warning only clang gives should not stop fuzzing
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Wall -Wextra -Wno-unused-parameter -g -O1 -fno-omit-frame-pointer $san"
libs="-lzip -ltdb -lsodium -lz"

mkdir -p "$out/obj" "$out/bin" "$out/logs"
jobs=${FUZZ_JOBS:-2}
# lib/ is shared work in progress: a file that does not compile is left
# out, and only the targets that need it fail to link.  An object newer
# than its source, every header and this script is kept.  FUZZ_JOBS
# (2) compilers run at once.
i=0
for c in "$top"/lib/*/*.c; do
	o=$out/obj/$(basename "$(dirname "$c")")-$(basename "$c" .c).o
	if [ -n "$(find "$o" -newer "$c" -newer "$0" 2>/dev/null)" ] &&
		[ -z "$(find "$top/lib" -name '*.h' -newer "$o" | head -n 1)" ]; then
		continue
	fi
	rm -f "$o"
	# shellcheck disable=SC2086
	"$cc" $cflags -fsanitize=fuzzer-no-link -I"$top/lib" -c "$c" -o "$o" \
		2> "$out/logs/build-$(basename "$c" .c).log" &
	i=$((i + 1))
	[ $((i % jobs)) -eq 0 ] && wait
done
wait
objs=""
for c in "$top"/lib/*/*.c; do
	o=$out/obj/$(basename "$(dirname "$c")")-$(basename "$c" .c).o
	if [ -f "$o" ]; then
		objs="$objs $o"
	else
		echo "$0: lib/$(basename "$c") does not compile (see $out/logs/build-$(basename "$c" .c).log)" >&2
	fi
done
rm -f "$out/libgoreg-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$out/libgoreg-fuzz.a" $objs
i=0
for t in $targets; do
	rm -f "$out/bin/fuzz-$t"
	# shellcheck disable=SC2086
	"$cc" $cflags -Werror=implicit-function-declaration -fsanitize=fuzzer -I"$top/lib" "$here/fuzz-$t.c" \
		"$out/libgoreg-fuzz.a" $libs -o "$out/bin/fuzz-$t" 2> "$out/logs/build-fuzz-$t.log" &
	i=$((i + 1))
	[ $((i % jobs)) -eq 0 ] && wait
done
wait
broken=""
for t in $targets; do
	if [ ! -x "$out/bin/fuzz-$t" ]; then
		echo "$0: fuzz-$t does not build (see $out/logs/build-fuzz-$t.log)" >&2
		broken="$broken $t"
	fi
done
if [ "$build_only" -eq 1 ]; then
	[ -z "$broken" ] && exit 0
	exit 2
fi

"$here/seeds.sh" "$out/seeds" "$out/regress"

# the longest input worth trying, per target
maxlen() {
	case $1 in
	chunked|zipcdir) echo 65536 ;;
	http) echo 32768 ;;
	modzip|cgi) echo 16384 ;;
	route|importinfo) echo 8192 ;;
	*) echo 4096 ;;
	esac
}

# one line of a file made readable: printable ASCII kept, the rest \xNN
escaped() {
	head -c 300 "$1" | od -An -v -tx1 | tr -s ' \n' '  ' | perl -ne '
		for (split) { my $c = hex; print $c >= 0x20 && $c < 0x7f && $c != 0x5c ? chr $c : sprintf "\\x%02x", $c }'
}

# what went wrong, in one line: the harness's own message, else the
# sanitizer's summary, else libFuzzer's deadly signal
finding() {
	grep -m 1 -E '^fuzz-[a-z]+: |^SUMMARY: |^==[0-9]+==ERROR' "$1" | cut -c 1-200 || echo "see $1"
}

# -t 0: each seed once, no fuzzing (libFuzzer's max_total_time=0 is no limit)
limit=-max_total_time=$secs
[ "$secs" -eq 0 ] && limit=-runs=0
n=0
found=0
report() { # report OK|NOT DESCRIPTION
	n=$((n + 1))
	if [ "$tap" -eq 1 ]; then
		[ "$1" = OK ] && echo "ok $n - $2" || echo "not ok $n - $2"
	else
		echo "$2"
	fi
}

[ "$tap" -eq 1 ] || printf '%-10s %10s %8s %8s  %s\n' target execs cov corpus result
for t in $targets; do
	case " $broken " in
	*" $t "*) report NOT "fuzz-$t does not build (see $out/logs/build-fuzz-$t.log)"; found=1; continue ;;
	esac
	bin=$out/bin/fuzz-$t
	corpus=$out/corpus/$t
	art=$out/artifacts/$t
	log=$out/logs/$t.log
	mkdir -p "$corpus" "$art"
	rm -f "$art"/*
	# the regression inputs first, each once: a finding must stay fixed
	nreg=$(find "$out/regress/$t" -type f | wc -l)
	if [ "$nreg" -gt 0 ] && ! "$bin" "$out/regress/$t"/* > "$log" 2>&1; then
		bad=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
		report NOT "fuzz-$t: a regression input fails again: ${bad:-?}: $(finding "$log")"
		[ "$tap" -eq 1 ] && [ -n "$bad" ] && echo "# input: $(escaped "$bad")"
		found=1
		continue
	fi
	# semver and zipcdir speak the tokens of modpath and modzip
	case $t in semver) d=modpath ;; zipcdir) d=modzip ;; *) d=$t ;; esac
	dict=""
	[ -f "$here/$d.dict" ] && dict=-dict=$here/$d.dict
	rc=0
	# the first directory collects new inputs; seeds and regressions are only read
	"$bin" "$limit" -timeout=10 -max_len="$(maxlen "$t")" -print_final_stats=1 \
		-artifact_prefix="$art/" ${dict:+"$dict"} "$corpus" "$out/seeds/$t" "$out/regress/$t" > "$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
	size=$(find "$corpus" -type f | wc -l)
	crash=$(find "$art" -type f | head -n 1)
	if [ "$rc" -ne 0 ] || [ -n "$crash" ]; then
		found=1
		if [ "$tap" -eq 1 ]; then
			report NOT "fuzz-$t: ${crash:-exit $rc}: $(finding "$log")"
			[ -n "$crash" ] && echo "# input: $(escaped "$crash")"
			echo "# replay: $bin ${crash:-}; log: $log"
		else
			printf '%-10s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${cov:-?}" "$size" \
				"FOUND: exit $rc, ${crash:-no artifact}, see $log"
		fi
	elif [ "$tap" -eq 1 ]; then
		how="in $secs s"
		[ "$secs" -eq 0 ] && how="(seeds and corpus once)"
		report OK "fuzz-$t: ${execs:-?} executions $how, coverage ${cov:-?}, corpus $size, $nreg regression inputs replayed"
	else
		printf '%-10s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${cov:-?}" "$size" ok
	fi
done
[ "$tap" -eq 1 ] && echo "1..$n"
[ "$found" -eq 0 ] && [ -n "$broken" ] && exit 2
exit $found
