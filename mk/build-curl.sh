#!/bin/sh
# Build libcurl against mbedTLS, both static with musl, from Debian's own
# curl and mbedtls source packages, for the one program that makes outbound
# HTTPS requests (CURL_PROGRAMS in mk/config.mk).  A prefix of its own
# beside build-deps.sh's: the other programs never see these headers or
# libraries, and a change here never rebuilds zlib, libzip, libsodium, tdb.
#
# Usage: build-curl.sh CACHE
# Prints the install prefix, CACHE/curl-<version>_mbedtls-<version>-<recipe
# checksum>, on stdout.  A second run is a no-op; a new Debian version
# builds beside the old one.  The prefix appears whole (renamed into
# place) or not at all.
#
# libcurl speaks HTTP/1.1 and HTTPS only: no other protocol, no HTTP/2, no
# cookies, HSTS or alt-svc caches, no IDN, PSL or NTLM/Digest.  No zlib:
# a Go module proxy serves .zip files, already compressed, and .info/.mod
# /list answers of a few hundred bytes, so Accept-Encoding would buy
# nothing, and leaving zlib out keeps this prefix independent of the other.
# Certificates are checked against /etc/ssl/certs/ca-certificates.crt unless
# the program names another file (CURLOPT_CAINFO); the proxy variables
# (http_proxy, HTTPS_PROXY, NO_PROXY) are read from the environment as
# libcurl does by default.  DNS runs in a thread (musl has pthreads), so a
# connect timeout covers name resolution too.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)
CC_MUSL=${CC_MUSL:-musl-gcc}
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

versions=$("$here/fetch-src.sh" "$cache" curl mbedtls)
ver() { echo "$versions" | sed -n "s/^$1 //p"; }
key=$(echo "$versions" | awk '{printf "%s%s-%s", (NR > 1 ? "_" : ""), $1, $2}' | tr ':+~' '...')
# The recipe is part of the key: changed flags build a new prefix.
prefix=$cache/$key-$(cksum < "$0" | cut -d' ' -f1)
if [ -f "$prefix/.done" ]; then
	echo "$prefix"
	exit 0
fi

src=$cache/src
work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
log=$work/log
# installed under $stage$prefix, renamed to $prefix when complete
stage=$work/stage
mkdir -p "$work/pkgconfig"

run() { # run DIR CMD...: in DIR, output to the log, shown only on failure
	d=$1
	shift
	(cd "$d" && "$@") > "$log" 2>&1 || { cat "$log" >&2; echo "build-curl.sh: $*: failed" >&2; exit 1; }
}

# Orig tarball + Debian's quilt series, applied with patch -p1.  curl's
# series ends with the patches that make its GnuTLS and NSS flavours;
# Debian's rules take them off again for libcurl4 (the OpenSSL one), and
# so does this: the series is read up to the line that says so.
unpack() { # pkg
	pkg=$1
	v=$(ver "$pkg" | sed 's/^[0-9]*://')
	for orig in "$src/${pkg}_${v%-*}".orig.tar.*; do
		case $orig in *.asc) ;; *) break ;; esac
	done
	for deb in "$src/${pkg}_$v".debian.tar.*; do break; done
	mkdir -p "$work/$pkg"
	tar -xf "$orig" -C "$work/$pkg" --strip-components=1
	tar -xf "$deb" -C "$work/$pkg"
	series=$work/$pkg/debian/patches/series
	[ -f "$series" ] || return 0
	sed -e '/^# Do not add patches below/,$d' -e 's/#.*//' "$series" | while read -r p rest; do
		[ -n "$p" ] || continue
		(cd "$work/$pkg" && patch -s -p1 < "debian/patches/$p")
	done
}

# mbedTLS with its default configuration, as Debian builds it with CMake,
# without programs or tests.  2.28 speaks TLS 1.2, not 1.3, and matches a
# host name against the certificate's dNSName entries only: an upstream
# named by IP address does not verify.
build_mbedtls() {
	echo "build-curl: mbedtls $(ver mbedtls)" >&2
	unpack mbedtls
	mkdir -p "$work/mbedtls/b"
	run "$work/mbedtls/b" cmake .. -DCMAKE_C_COMPILER="$CC_MUSL" -DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_C_FLAGS="-ffunction-sections -fdata-sections" \
		-DCMAKE_INSTALL_PREFIX="$prefix" -DLIB_INSTALL_DIR=lib \
		-DUSE_STATIC_MBEDTLS_LIBRARY=ON -DUSE_SHARED_MBEDTLS_LIBRARY=OFF \
		-DENABLE_PROGRAMS=OFF -DENABLE_TESTING=OFF
	run "$work/mbedtls/b" make -j"$JOBS"
	run "$work/mbedtls/b" make install DESTDIR="$stage"
}

# The configure flags: HTTP and HTTPS over mbedTLS, nothing else.
CURL_FLAGS="--disable-shared --enable-static --disable-dependency-tracking
 --without-zlib --without-brotli --without-zstd --without-libidn2 --without-libpsl
 --without-nghttp2 --without-ngtcp2 --without-nghttp3 --without-quiche --without-msh3
 --without-hyper --without-librtmp --without-libssh2 --without-libssh --without-wolfssh
 --without-libgsasl
 --disable-ftp --disable-file --disable-ldap --disable-ldaps --disable-rtsp --disable-dict
 --disable-telnet --disable-tftp --disable-pop3 --disable-imap --disable-smtp --disable-gopher
 --disable-mqtt --disable-smb --disable-websockets
 --disable-ntlm --disable-ntlm-wb --disable-crypto-auth --disable-tls-srp
 --disable-cookies --disable-alt-svc --disable-hsts --disable-doh --disable-mime
 --disable-unix-sockets --disable-progress-meter --disable-get-easy-options
 --disable-manual --disable-libcurl-option
 --with-ca-bundle=/etc/ssl/certs/ca-certificates.crt --without-ca-path --without-ca-fallback
 --enable-threaded-resolver
 --without-zsh-functions-dir --without-fish-functions-dir"

build_curl() {
	echo "build-curl: curl $(ver curl)" >&2
	unpack curl
	c=$work/curl
	# Debian's patches touch configure.ac and Makefile.am: regenerate, as
	# its rules do, and keep the ltmain.sh it patched.
	cp "$c/ltmain.sh" "$work/ltmain.sh"
	run "$c" autoreconf -fi
	cp "$work/ltmain.sh" "$c/ltmain.sh"
	# only what this prefix holds: no pkg-config file of the host's
	# shellcheck disable=SC2086
	run "$c" env CC="$CC_MUSL" CFLAGS="-O2 -ffunction-sections -fdata-sections" CPPFLAGS= LDFLAGS= LIBS= \
		PKG_CONFIG_LIBDIR="$work/pkgconfig" PKG_CONFIG_PATH= \
		./configure --prefix="$prefix" --with-mbedtls="$stage$prefix" $CURL_FLAGS
	grep -q '^#define USE_MBEDTLS 1' "$c/lib/curl_config.h" \
		|| { echo "build-curl.sh: configure did not choose mbedTLS" >&2; exit 1; }
	# the library and its headers; not the curl tool
	run "$c" make -j"$JOBS" -C lib
	run "$c" make -C lib install DESTDIR="$stage"
	run "$c" make -C include install DESTDIR="$stage"
	rm -f "$stage$prefix"/lib/*.la
}

build_mbedtls
build_curl
echo "$versions" > "$stage$prefix/versions"
# shellcheck disable=SC2086
printf '%s\n' $CURL_FLAGS > "$stage$prefix/configure-flags"
: > "$stage$prefix/.done"
# another build of the same key may have finished first: then use that one
mv -T "$stage$prefix" "$prefix" 2>/dev/null || [ -f "$prefix/.done" ] \
	|| { echo "build-curl.sh: cannot install $prefix" >&2; exit 1; }
echo "$prefix"
