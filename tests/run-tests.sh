#!/bin/sh
# The test run behind `make check`: C unit tests (sanitizer build) and the
# integration tests (static release binaries, real sockets, real servers,
# the real go command), all under one prove run so it ends with prove's
# summary line.  GOREG_TESTS=unit|integration narrows it; arguments name
# particular test files instead.  PROVE_FLAGS (e.g. -v) go to prove.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
export GOREG_TOP="$top"
export GOREG_BIN="${GOREG_BIN:-$top/bin}"
export GOREG_DEVDIR="${GOREG_DEVDIR:-$top/build/dev}"
if [ $# -eq 0 ]; then
	case ${GOREG_TESTS:-all} in
	unit) set -- "$GOREG_DEVDIR"/tests/*.t ;;
	integration) set -- tests/integration/t*.sh ;;
	*) set -- "$GOREG_DEVDIR"/tests/*.t tests/integration/t*.sh ;;
	esac
fi
# ASan: leaks are errors, and a report aborts the test that caused it
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# shellcheck disable=SC2086
exec prove ${PROVE_FLAGS:-} "$@"
