#!/bin/sh
# Build the static musl dependencies of goreg's release build from Debian's
# own source packages: zlib, libzip, libsodium, and tdb (out of the samba
# source package, whose lib/tdb is what Debian ships as libtdb).
#
# Usage: build-deps.sh CACHE
# Prints the install prefix (CACHE/musl-<versions>) on stdout.  Everything is
# keyed by the source package versions, so a second run is a no-op and a new
# Debian version builds beside the old one.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
CC_MUSL=${CC_MUSL:-musl-gcc}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

versions=$("$here/fetch-src.sh" "$cache" zlib libzip libsodium samba)
ver() { echo "$versions" | sed -n "s/^$1 //p"; }
# Upstream version: drop the epoch and the Debian revision.
upver() { ver "$1" | sed 's/^[0-9]*://; s/-[^-]*$//; s/+dfsg$//; s/\.dfsg$//'; }
key=$(echo "$versions" | awk '{printf "%s%s-%s", (NR > 1 ? "_" : ""), $1, $2}' | tr ':+~' '...')
# The recipe itself is part of the key: a changed config.h rebuilds.
key=$key-$(cat "$0" "$here/tdb-config.h" "$here/tdb-replace.c" | cksum | cut -d' ' -f1)
prefix=$cache/musl-$key
if [ -f "$prefix/.done" ]; then
	echo "$prefix"
	exit 0
fi

src=$cache/src
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$prefix/include" "$prefix/lib"
log=$work/log

# Unpack orig tarball + Debian patches (quilt series, applied with patch -p1).
# The files of the version fetch-src.sh chose, not any other the cache holds.
unpack() { # pkg
	pkg=$1
	v=$(ver "$pkg" | sed 's/^[0-9]*://')
	orig=$(ls "$src/${pkg}_${v%-*}".orig.tar.* | head -n 1)
	deb=$(ls "$src/${pkg}_$v".debian.tar.* | head -n 1)
	mkdir -p "$work/$pkg"
	tar -xf "$orig" -C "$work/$pkg" --strip-components=1
	tar -xf "$deb" -C "$work/$pkg"
	if [ -f "$work/$pkg/debian/patches/series" ]; then
		sed 's/#.*//' "$work/$pkg/debian/patches/series" | while read -r p rest; do
			[ -n "$p" ] || continue
			(cd "$work/$pkg" && patch -s -p1 < "debian/patches/$p")
		done
	fi
}

echo "build-deps: zlib $(ver zlib)" >&2
unpack zlib
(cd "$work/zlib" && CC=$CC_MUSL CFLAGS="-O2 -ffunction-sections -fdata-sections" \
	./configure --static --prefix="$prefix" && make -j"$JOBS" libz.a && make install) > "$log" 2>&1 \
	|| { cat "$log" >&2; exit 1; }

echo "build-deps: libzip $(ver libzip)" >&2
unpack libzip
mkdir -p "$work/libzip/b"
(cd "$work/libzip/b" && cmake .. -DCMAKE_C_COMPILER="$CC_MUSL" -DCMAKE_BUILD_TYPE=Release \
	-DCMAKE_C_FLAGS="-ffunction-sections -fdata-sections" \
	-DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_INSTALL_LIBDIR=lib -DBUILD_SHARED_LIBS=OFF \
	-DENABLE_BZIP2=OFF -DENABLE_LZMA=OFF -DENABLE_ZSTD=OFF -DENABLE_COMMONCRYPTO=OFF \
	-DENABLE_GNUTLS=OFF -DENABLE_OPENSSL=OFF -DENABLE_MBEDTLS=OFF -DENABLE_WINDOWS_CRYPTO=OFF \
	-DBUILD_TOOLS=OFF -DBUILD_REGRESS=OFF -DBUILD_EXAMPLES=OFF -DBUILD_DOC=OFF \
	-DZLIB_INCLUDE_DIR="$prefix/include" -DZLIB_LIBRARY="$prefix/lib/libz.a" \
	&& make -j"$JOBS" && make install) > "$log" 2>&1 || { cat "$log" >&2; exit 1; }

echo "build-deps: libsodium $(ver libsodium)" >&2
unpack libsodium
# Debian's orig tarball has no configure script: make it.
(cd "$work/libsodium" && ./autogen.sh -s && CC=$CC_MUSL CFLAGS="-O2 -ffunction-sections -fdata-sections" \
	./configure --prefix="$prefix" --disable-shared --enable-static --disable-pie \
	&& make -j"$JOBS" && make install) > "$log" 2>&1 || { cat "$log" >&2; exit 1; }

echo "build-deps: tdb from samba $(ver samba)" >&2
# Only lib/tdb and lib/replace are needed out of the 18 MB samba tarball;
# of Debian's samba patches only those touching them apply.
v=$(ver samba | sed 's/^[0-9]*://')
orig=$(ls "$src/samba_${v%-*}".orig.tar.* | head -n 1)
deb=$(ls "$src/samba_$v".debian.tar.* | head -n 1)
mkdir -p "$work/samba"
tar -xf "$orig" -C "$work/samba" --strip-components=1 --wildcards '*/lib/tdb/*' '*/lib/replace/*'
tar -xf "$deb" -C "$work/samba" debian/patches
sed 's/#.*//' "$work/samba/debian/patches/series" | while read -r p rest; do
	[ -n "$p" ] || continue
	f=$work/samba/debian/patches/$p
	# apply a patch only when every file it touches is under lib/tdb or lib/replace
	if grep -q '^+++ ' "$f" && ! grep '^+++ ' "$f" | grep -qv -e ' b/lib/tdb/' -e ' b/lib/replace/'; then
		(cd "$work/samba" && patch -s -p1 < "$f")
	fi
done
t=$work/samba/lib/tdb
mkdir -p "$work/tdbo"
cp "$here/tdb-config.h" "$work/tdbo/config.h"
for c in "$t"/common/*.c "$here/tdb-replace.c"; do
	$CC_MUSL -O2 -ffunction-sections -fdata-sections -D_GNU_SOURCE -D__STDC_WANT_LIB_EXT1__=1 \
		-I"$work/tdbo" -I"$work/samba/lib/replace" -I"$t/include" -I"$t" \
		-c "$c" -o "$work/tdbo/$(basename "$c" .c).o" 2> "$log" || { cat "$log" >&2; exit 1; }
done
ar rcs "$prefix/lib/libtdb.a" "$work"/tdbo/*.o
cp "$t/include/tdb.h" "$prefix/include/"

echo "$versions" > "$prefix/versions"
: > "$prefix/.done"
echo "$prefix"
