#!/bin/sh
# make install PREFIX= DESTDIR= puts programs, man pages and example
# configs where they belong, and nothing outside DESTDIR.
. "$(dirname "$0")/lib.sh"

D=$T/dest
# RELBIN: install what this test run is testing
make -s -C "$GOREG_TOP" install O="${GOREG_O:-}" DESTDIR="$D" PREFIX=/opt/goreg >"$T/out" 2>&1
ok $? "make install DESTDIR=... PREFIX=/opt/goreg"
programs=$(sed -n '/^PROGRAMS/,/^$/p' "$GOREG_TOP/mk/config.mk" | sed 's/^PROGRAMS *=//; s/\\//g' | tr -s ' \n' '\n' | grep .)
for p in $programs; do
	[ -x "$D/opt/goreg/bin/$p" ]
	ok $? "bin/$p installed"
done
for m in "$GOREG_TOP"/man/*.[1-8]; do
	n=$(basename "$m")
	s=${n##*.}
	cmp -s "$m" "$D/opt/goreg/share/man/man$s/$n"
	ok $? "man page $n installed in man$s"
done
[ -d "$D/opt/goreg/share/doc/goreg/etc" ]
ok $? "example configs installed under share/doc/goreg/etc"
outside=$(find "$D" -mindepth 1 -maxdepth 1 ! -name opt)
is "$outside" "" "nothing installed outside PREFIX"
done_testing
