#!/bin/sh
# The test run behind `make check`: C unit tests (sanitizer build) and the
# integration tests (static release binaries, real sockets, real servers,
# the real go command), all under one prove run so it ends with prove's
# summary line.  GOREG_TESTS=unit|integration narrows it; extra arguments
# are passed to prove (e.g. -v).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
set --
case ${GOREG_TESTS:-all} in
unit) set -- build/dev/tests/*.t ;;
integration) set -- tests/integration/t*.sh ;;
*) set -- build/dev/tests/*.t tests/integration/t*.sh ;;
esac
export GOREG_TOP="$top"
export GOREG_BIN="${GOREG_BIN:-$top/bin}"
export GOREG_DEVBIN="${GOREG_DEVBIN:-$top/build/dev/bin}"
# ASan: leaks are errors, and a report aborts the test that caused it
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
exec prove ${PROVE_FLAGS:-} "$@"
