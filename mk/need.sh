#!/bin/sh
# need.sh GROUP...: make sure the Debian packages that mk/packages lists for
# these groups are here, before make builds or tests anything.  A package
# counts as present when its probe is (a command in PATH, or a file).
# Missing ones are installed with apt-get (as root, or through sudo when it
# needs no password), saying which and why; otherwise, or when
# GOREG_NO_INSTALL=1, it stops with one line that names the command to run.
# Exit 0 when all are present, 1 when some are still missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
list=${GOREG_PACKAGES:-$here/packages}
[ $# -gt 0 ] || set -- build

missing=
why=
for group in "$@"; do
	while read -r g pkg probe; do
		case $g in '#'*|'') continue ;; esac
		[ "$g" = "$group" ] || continue
		case $probe in
		/*) [ -e "$probe" ] && continue ;;
		*) command -v "$probe" >/dev/null 2>&1 && continue ;;
		esac
		case " $missing " in *" $pkg "*) continue ;; esac
		missing="$missing $pkg"
		why="$why $probe"
	done < "$list"
done
[ -n "$missing" ] || exit 0
missing=${missing# }

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo="sudo "
else
	sudo=no
fi
if [ "${GOREG_NO_INSTALL:-0}" = 1 ] || [ "$sudo" = no ]; then
	echo "goreg: missing Debian packages (for$why); run: sudo apt-get install $missing" >&2
	exit 1
fi

echo "goreg: installing Debian packages for make $*: $missing (missing:$why)" >&2
export DEBIAN_FRONTEND=noninteractive
# A fresh machine's package lists may be absent or stale: update first.
${sudo}apt-get update -q >/dev/null 2>&1 || true
if ! ${sudo}apt-get install -y -q --no-install-recommends $missing >/dev/null; then
	echo "goreg: apt-get install failed; run: sudo apt-get update && sudo apt-get install $missing" >&2
	exit 1
fi
# Installed but still not found (a PATH without it, say): say so, once.
GOREG_NO_INSTALL=1 exec "$0" "$@"
