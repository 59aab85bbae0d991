#!/bin/sh
# lib/ is one folder per layer, and a layer includes only itself and the
# layers below it (lib/README.md): base < http < gomod < sumdb < store <
# auth < upstream < app < web.  No source lies outside a layer folder.
. "$(dirname "$0")/lib.sh"
cd "$GOREG_TOP/lib" || bail "no lib/"
layers="base http gomod sumdb store auth upstream app web"
rank() { # rank LAYER: its place in $layers, or 0 if it is none
	i=1
	for l in $layers; do
		[ "$l" = "$1" ] && { echo $i; return; }
		i=$((i + 1))
	done
	echo 0
}
is "$(ls -p | grep -v / | grep -v '^README.md$' | tr '\n' ' ')" "" "no file directly in lib/ but its README"
for d in */; do
	d=${d%/}
	r=$(rank "$d")
	ok "$([ "$r" -gt 0 ] && echo 0 || echo 1)" "lib/$d is a known layer"
	bad=
	for f in "$d"/*.[ch]; do
		for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
			case $inc in
			*/*) ir=$(rank "${inc%%/*}") ;;
			*) bad="$bad $f:$inc(no layer)"; continue ;;
			esac
			[ "$ir" -gt 0 ] && [ "$ir" -le "$r" ] || bad="$bad $f:$inc"
			[ -f "$inc" ] || bad="$bad $f:$inc(missing)"
		done
	done
	is "$bad" "" "lib/$d includes only its own layer and those below"
done
# each header names the prefix of what it declares: a .c file defines
# what the header of its name declares, or is a part of its folder's API
for f in */*.c; do
	h=${f%.c}.h
	[ -f "$h" ] || continue
	grep -q "^#include \"$h\"" "$f"
	ok $? "$f includes its own header"
done
done_testing
