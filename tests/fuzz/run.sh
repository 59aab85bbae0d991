#!/bin/sh
# Build the libFuzzer harnesses of tests/fuzz/ with clang (ASan + UBSan)
# against lib/, then run each for a while on its seed corpus.
#
#   tests/fuzz/run.sh [-t SECONDS] [-o DIR] [-b] [TARGET...]
#
# TARGETs: modzip gomod modpath http (default: all).  -t: seconds per
# target (default 60).  -o: build and work directory (default build/fuzz).
# -b: build only.  CC_FUZZ names the compiler (default clang; Debian 12:
# apt-get install clang).  The corpus grows in DIR/corpus/TARGET, crashes
# land in DIR/artifacts/TARGET/, logs in DIR/logs/TARGET.log; replay one
# with DIR/bin/fuzz-TARGET FILE.  Exit 0 if no target found anything, 1
# if one did, 2 if a target did not build (and none found anything).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/fuzz
secs=60
out=$top/build/fuzz
build_only=0
while getopts t:o:b opt; do
	case $opt in
	t) secs=$OPTARG ;;
	o) out=$OPTARG ;;
	b) build_only=1 ;;
	*) echo "usage: $0 [-t SECONDS] [-o DIR] [-b] [TARGET...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
mkdir -p "$out" && out=$(cd "$out" && pwd)
targets=${*:-modzip gomod modpath http}
cc=${CC_FUZZ:-clang}
command -v "$cc" >/dev/null 2>&1 || { echo "$0: no $cc (apt-get install clang)" >&2; exit 2; }

# the flags of mk/config.mk's dev build, with coverage for libFuzzer;
# -Werror left out: a warning only clang gives should not stop fuzzing
san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -Wall -Wextra -Wno-unused-parameter -g -O1 -fno-omit-frame-pointer $san"
libs="-lzip -ltdb -lsodium -lz"

mkdir -p "$out/obj" "$out/bin" "$out/logs"
# lib/ is shared work in progress: a file that does not compile is left
# out, and only the targets that need it fail to link
objs=""
for c in "$top"/lib/*/*.c; do
	o=$out/obj/$(basename "$(dirname "$c")")-$(basename "$c" .c).o
	rm -f "$o"
	# shellcheck disable=SC2086
	if "$cc" $cflags -fsanitize=fuzzer-no-link -I"$top/lib" -c "$c" -o "$o" 2> "$out/logs/build-$(basename "$c" .c).log"; then
		objs="$objs $o"
	else
		echo "$0: lib/$(basename "$c") does not compile (see $out/logs/build-$(basename "$c" .c).log)" >&2
	fi
done
rm -f "$out/libgoreg-fuzz.a"
# shellcheck disable=SC2086
ar rcs "$out/libgoreg-fuzz.a" $objs
built=""
broken=0
for t in $targets; do
	[ -f "$here/fuzz-$t.c" ] || { echo "$0: no target '$t'" >&2; exit 2; }
	rm -f "$out/bin/fuzz-$t"
	# shellcheck disable=SC2086
	if "$cc" $cflags -fsanitize=fuzzer -I"$top/lib" "$here/fuzz-$t.c" "$out/libgoreg-fuzz.a" $libs \
		-o "$out/bin/fuzz-$t" 2> "$out/logs/build-fuzz-$t.log"; then
		built="$built $t"
	else
		echo "$0: fuzz-$t does not build (see $out/logs/build-fuzz-$t.log)" >&2
		broken=1
	fi
done
[ "$build_only" -eq 1 ] && exit $((broken * 2))

# modzip's seeds are zips, made here rather than kept as binary files
seed_zips() {
	d=$1 s=$out/seedsrc
	command -v zip >/dev/null 2>&1 || { echo "$0: no zip(1): modzip starts from nothing" >&2; return 0; }
	rm -rf "$s" && mkdir -p "$d" "$s/example.com/m@v1.0.0/sub" "$s/example.com/Foo@v2.0.0+incompatible"
	printf 'module example.com/m\n\ngo 1.19\n' > "$s/example.com/m@v1.0.0/go.mod"
	printf 'package m\n' > "$s/example.com/m@v1.0.0/m.go"
	printf 'package sub\n\nconst Answer = 42\n' > "$s/example.com/m@v1.0.0/sub/sub.go"
	printf 'MIT\n' > "$s/example.com/m@v1.0.0/LICENSE"
	printf 'package foo\n' > "$s/example.com/Foo@v2.0.0+incompatible/foo.go"
	(cd "$s" && rm -f "$d"/*.zip &&
		zip -qrD "$d/deflate.zip" example.com/m@v1.0.0 &&
		zip -qr0 "$d/store-dirs.zip" example.com/m@v1.0.0 &&
		zip -qrD -fz "$d/zip64.zip" example.com/m@v1.0.0 &&
		zip -qrD "$d/nogomod.zip" "example.com/Foo@v2.0.0+incompatible" &&
		printf 'example.com/m@v1.0.0/go.mod\n' | zip -qD "$d/gomod-only.zip" -@)
}

mkdir -p "$out/seeds/modzip"
seed_zips "$out/seeds/modzip"
found=0
printf '%-8s %10s %8s %8s  %s\n' target execs cov corpus result
for t in $built; do
	corpus=$out/corpus/$t
	art=$out/artifacts/$t
	log=$out/logs/$t.log
	mkdir -p "$corpus" "$art"
	case $t in
	modzip) seeds=$out/seeds/modzip maxlen=16384 ;;
	http) seeds=$here/corpus/http maxlen=32768 ;;
	*) seeds=$here/corpus/$t maxlen=4096 ;;
	esac
	dict=""
	[ -f "$here/$t.dict" ] && dict=-dict=$here/$t.dict
	rc=0
	# the first directory collects new inputs; the seeds are only read
	"$out/bin/fuzz-$t" -max_total_time="$secs" -timeout=10 -max_len=$maxlen -print_final_stats=1 \
		-artifact_prefix="$art/" ${dict:+"$dict"} "$corpus" "$seeds" > "$log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
	n=$(find "$corpus" -type f | wc -l)
	crashes=$(find "$art" -type f | wc -l)
	if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
		found=1
		res="FOUND: exit $rc, $crashes artifact(s) in $art, see $log"
	else
		res=ok
	fi
	printf '%-8s %10s %8s %8s  %s\n' "$t" "${execs:-?}" "${cov:-?}" "$n" "$res"
done
[ "$found" -eq 0 ] && [ "$broken" -ne 0 ] && exit 2
exit $found
