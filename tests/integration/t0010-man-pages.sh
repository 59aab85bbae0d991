#!/bin/sh
# Every program has a man page, and every page passes `mandoc -Tlint -W
# warning` (STYLE.md: an mdoc page per program, lint clean, with its exit
# codes documented).
. "$(dirname "$0")/lib.sh"

command -v mandoc >/dev/null 2>&1 || bail "mandoc is needed (Debian package mandoc)"
cd "$GOREG_TOP" || bail "no source tree at $GOREG_TOP"

# the program list is data in mk/config.mk; let make read it, continuation
# lines and all (a clean make: not the flags of a `make check` above us)
programs=$(printf 'include mk/config.mk\nprint-programs:\n\t@echo $(PROGRAMS)\n' |
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory -f - print-programs)
[ -n "$programs" ] || bail "no PROGRAMS in mk/config.mk"

for p in $programs; do
	page=
	for s in 1 8; do
		[ -f "man/$p.$s" ] && page=man/$p.$s
	done
	[ -n "$page" ]
	ok $? "$p has a man page (man/$p.1 or man/$p.8)"
	if [ -n "$page" ]; then
		grep -q '^\.Sh EXIT STATUS$' "$page"
		ok $? "$page documents the exit status"
	fi
done

for page in man/*.[1-9]; do
	[ -f "$page" ] || continue
	out=$(mandoc -Tlint -W warning "$page" 2>&1)
	rc=$?
	[ $rc -eq 0 ] && [ -z "$out" ]
	ok $? "$page is mandoc -Tlint -W warning clean"
	[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/# /'
done

done_testing
