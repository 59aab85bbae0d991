#!/bin/sh
# Fetch a Debian source package's files with a private apt configuration
# derived from the machine's own apt sources: the system apt configuration
# is read, never modified.  Usage: fetch-src.sh CACHE PKG...  Files land in
# CACHE/src; "PKG VERSION" lines are printed for each package.
set -eu
cache=$1; shift
apt=$cache/apt
mkdir -p "$apt/parts" "$apt/lists/partial" "$apt/archives/partial" "$cache/src"
# One fetch at a time: make -j builds two prefixes at once (build-deps.sh,
# build-curl.sh), other work trees share the cache, and apt runs unlocked.
exec 9> "$apt/fetch.lock"
flock 9

# deb-src entries: the deb822 .sources files with Types: deb -> deb-src, and
# one-line "deb URI ..." entries of sources.list turned into "deb-src".
if [ ! -s "$apt/parts/goreg.sources" ] && [ ! -s "$apt/parts/goreg.list" ]; then
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		sed 's/^Types:.*/Types: deb-src/' "$f"
		echo
	done > "$apt/parts/goreg.sources"
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n 's/^[[:space:]]*deb[[:space:]]/deb-src /p' "$f"
	done > "$apt/parts/goreg.list"
fi

opts="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$apt/parts
 -o Dir::State::Lists=$apt/lists -o Dir::Cache::Archives=$apt/archives
 -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache= -o APT::Get::Only-Source=true
 -o Debug::NoLocking=true -o APT::Sandbox::User=root"
if [ ! -f "$apt/updated" ]; then
	# shellcheck disable=SC2086
	apt-get -q $opts update >&2
	: > "$apt/updated"
fi
# The newest version first; a mirror that lists a source package but
# cannot serve its files (a security suite's sources, seen answering 404)
# falls back to the next version down, so the build is never stuck on one
# archive's gap.  Each version is fetched into its own folder, whole or not
# at all.
for p in "$@"; do
	# shellcheck disable=SC2086
	vs=$(apt-cache $opts showsrc "$p" | sed -n 's/^Version: //p' | sort -uVr)
	[ -n "$vs" ] || { echo "fetch-src.sh: no source package '$p'" >&2; exit 1; }
	got=
	for v in $vs; do
		if [ -f "$cache/src/$p-$v.fetched" ]; then got=$v; break; fi
		# a version that failed before is not asked for again (delete
		# the .unavailable file to retry)
		[ -f "$cache/src/$p-$v.unavailable" ] && continue
		# shellcheck disable=SC2086
		if (cd "$cache/src" && apt-get -q $opts source --download-only "$p=$v" >"$cache/src/$p.log" 2>&1); then
			: > "$cache/src/$p-$v.fetched"
			got=$v
			break
		fi
		: > "$cache/src/$p-$v.unavailable"
		echo "fetch-src.sh: $p $v could not be downloaded (see $cache/src/$p.log); trying an older version" >&2
	done
	[ -n "$got" ] || { echo "fetch-src.sh: no version of '$p' could be downloaded" >&2; exit 1; }
	echo "$p $got"
done
