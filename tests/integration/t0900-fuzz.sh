#!/bin/sh
# The libFuzzer harnesses of tests/fuzz/, briefly: each one replays its
# regression inputs (tests/fuzz/regress/) and then fuzzes from its seeds
# for GOREG_FUZZ_SECS seconds (make check: FUZZ_CHECK_SECS, 12 s, so that
# with the build all take under four minutes); one test per harness, with
# the executions run, or the crash file and its input when a property or
# a sanitizer stops it.  `make fuzz` runs them longer.  The build, corpora
# and findings stay in ${GOREG_O:-build}/fuzz-check.
. "$(dirname "$0")/lib.sh"
command -v "${CC_FUZZ:-clang}" >/dev/null 2>&1 || skip_all "no ${CC_FUZZ:-clang} (apt-get install clang)"
secs=${GOREG_FUZZ_SECS:-12}
case $secs in
''|*[!0-9]*) bail "GOREG_FUZZ_SECS must be whole seconds, not '$secs'" ;;
esac
out=${GOREG_O:-$GOREG_TOP/build}/fuzz-check
"$GOREG_TOP/tests/fuzz/run.sh" -T -t "$secs" -o "$out"
