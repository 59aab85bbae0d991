#!/bin/sh
# The systemd units that make install DESTDIR=... installs pass
# systemd-analyze verify as installed: PREFIX /usr/local, whose
# lib/systemd/system is on systemd's unit path, verified with --root=DESTDIR
# (the machine's own system units copied in, for the targets they name),
# so ExecStart is looked for where make install put goreg-httpd and the
# Documentation= man page where it put the pages.  Exit 0 and not a word:
# systemd-analyze only warns, with exit 0, about an unknown key.
. "$(dirname "$0")/lib.sh"
command -v systemd-analyze >/dev/null 2>&1 || skip_all "systemd-analyze is not installed (Debian package systemd)"
# the units' Documentation= is checked with man(1), when there is one
MAN=
command -v man >/dev/null 2>&1 || { MAN=--man=no; diag "no man command: Documentation= not checked"; }

D=$T/dest
make -s -C "$GOREG_TOP" install O="${GOREG_O:-}" DESTDIR="$D" PREFIX=/usr/local >"$T/out" 2>&1
ok $? "make install DESTDIR=... PREFIX=/usr/local"
U=/usr/local/lib/systemd/system
for u in goreg.socket goreg@.service; do
	test -f "$D$U/$u"
	ok $? "$U/$u installed"
done
is "$(sed -n 's/^ExecStart=//p' "$D$U/goreg@.service")" "/usr/local/bin/goreg-httpd -r /var/lib/goreg" \
	"ExecStart names the installed goreg-httpd"
sys=
for d in /usr/lib/systemd/system /lib/systemd/system; do
	[ -f "$d/sysinit.target" ] && sys=$d && break
done
[ -n "$sys" ] || skip_all "no system units (sysinit.target) on this machine"
mkdir -p "$D/usr/lib/systemd"
cp -R "$sys" "$D/usr/lib/systemd/system" || bail "could not copy $sys"
out=$(MANPATH=$D/usr/local/share/man systemd-analyze verify $MAN --root="$D" goreg.socket goreg@.service 2>&1)
is "$?:$out" "0:" "systemd-analyze verify --root=DESTDIR goreg.socket goreg@.service: clean"

# it would say so: a unit naming a program that is not there fails
sed 's|/goreg-httpd |/goreg-nothere |' "$D$U/goreg@.service" > "$T/svc" && cp "$T/svc" "$D$U/goreg@.service"
out=$(MANPATH=$D/usr/local/share/man systemd-analyze verify $MAN --root="$D" goreg.socket goreg@.service 2>&1)
like "$?:$out" "^[1-9][0-9]*:.*goreg-nothere is not executable" "  (an ExecStart that is not installed fails it)"
done_testing
