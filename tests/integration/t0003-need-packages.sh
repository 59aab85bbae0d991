#!/bin/sh
# The README's two commands do their own set-up: make first checks the
# Debian packages that mk/packages lists (mk/need.sh) and installs what is
# missing, or stops with one line naming the command to run -- never a
# compiler error half-way through a dependency build.  make run takes PORT=
# and says so when the port is taken.
. "$(dirname "$0")/lib.sh"
top=$GOREG_TOP

# A PATH with every command of this machine but musl-gcc.
mkdir -p "$T/path"
for d in /usr/local/bin /usr/bin /bin /usr/sbin /sbin; do
	for f in "$d"/*; do
		n=${f##*/}
		[ "$n" = musl-gcc ] && continue
		[ -e "$T/path/$n" ] || ln -s "$f" "$T/path/$n"
	done
done
nomusl=$T/path

mk_out=$(cd "$top" && GOREG_NO_INSTALL=1 PATH=$nomusl \
	make --no-print-directory O="$T/out" 2>&1 >/dev/null)
rc=$?
ok "$([ $rc -ne 0 ] && echo 0 || echo 1)" "make without musl-gcc fails (rc $rc)"
line=$(printf '%s\n' "$mk_out" | grep '^goreg:')
is "$(printf '%s\n' "$line" | wc -l)" 1 "one line from the check"
like "$line" '^goreg: missing Debian packages \(for musl-gcc\); run: sudo apt-get install musl-tools$' \
	"it names the package and the exact command"
is "$(printf '%s\n' "$mk_out" | grep -v '^goreg:' | grep -v '^make.*need-build.*Error')" "" \
	"nothing else but make's own stop line"
ok "$([ ! -e "$T/out/release/deps" ] && [ ! -e "$T/out/bin" ] && echo 0 || echo 1)" \
	"nothing was built"

# need.sh on a list of its own: present packages pass silently; missing
# ones are named with the command to run, all on one line.
cat > "$T/pk" <<LIST
# comment
build  coreutils      ls
build  no-such-pkg-a  /nonexistent/goreg-a
check  no-such-pkg-b  goreg-no-such-command
bench  coreutils      /bin/ls
LIST
out=$(GOREG_PACKAGES=$T/pk "$top/mk/need.sh" bench 2>&1)
rc=$?
is "$rc:$out" "0:" "present packages: exit 0, silent"
out=$(GOREG_NO_INSTALL=1 GOREG_PACKAGES=$T/pk "$top/mk/need.sh" build check 2>&1)
rc=$?
is "$rc" 1 "missing packages: exit 1"
is "$out" "goreg: missing Debian packages (for /nonexistent/goreg-a goreg-no-such-command); run: sudo apt-get install no-such-pkg-a no-such-pkg-b" \
	"both missing packages on one line"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1 && ! command -v sudo >/dev/null 2>&1; then
	chmod a+x "$T" && chmod a+r "$T/pk"
	out=$(GOREG_PACKAGES=$T/pk setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$top/mk/need.sh" build 2>&1)
	is "$out" "goreg: missing Debian packages (for /nonexistent/goreg-a); run: sudo apt-get install no-such-pkg-a" \
		"a user who cannot install is told what to run"
fi

# Every package list line names a package Debian has (apt-cache knows it).
# (one apt-cache call: each costs about a second)
pkgs=$(awk '!/^#/ && NF == 3 {print $2}' "$top/mk/packages" | sort -u)
# shellcheck disable=SC2086
known=$(apt-cache policy $pkgs 2>/dev/null | awk '/^[^ ]/ {p = $1} /Candidate: [^(]/ {print p}' |
	tr -d : | sort -u)
is "$(echo $known)" "$(echo $pkgs)" "every package in mk/packages exists in Debian"

# make run: PORT= picks the port; a taken port is named, with the way out.
like "$(cd "$top" && make -n --no-print-directory run PORT=18123 2>/dev/null | grep run-demo)" \
	'GOREG_ADDR=127\.0\.0\.1:18123 ' "make run PORT=18123 serves on 127.0.0.1:18123"
p=$(free_port)
systemd-socket-activate -l "127.0.0.1:$p" /bin/true >/dev/null 2>&1 &
_pids="$_pids $!"
wait_port "$p" || bail "no listener on $p"
out=$(GOREG_ROOT=$T/demo GOREG_ADDR=127.0.0.1:$p "$top/mk/run-demo.sh" 2>&1)
rc=$?
is "$rc:$out" "1:make run: port $p is in use; pick another: make run PORT=$((p + 1))" \
	"a taken port is named, with the way out"
ok "$([ ! -e "$T/demo" ] && echo 0 || echo 1)" "and no demo store was made"
done_testing
