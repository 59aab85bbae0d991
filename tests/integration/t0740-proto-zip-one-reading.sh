#!/bin/sh
# goreg reads a module zip as the go command does, or refuses it.  For
# every zip goreg accepts here (made by goreg-pack, by x/mod's own
# CreateFromDir, by zip(1) with the options people use, the fuzz seeds of
# tests/fuzz/run.sh, and zipcraft.pl's hand-laid ones) the h1: goreg
# records in the owner's index.tdb is the one x/mod's dirhash.HashZip
# computes, and x/mod's CheckZip accepts the zip; every zip two zip readers
# could read differently is refused over HTTP with 400 and its reason, the
# store unchanged.  The oracle is tests/oracle/h1zip, built here against
# Debian's golang-golang-x-mod-dev.
#
# The attack this holds off: two-eocd.zip has two central directories,
# each with an end record, naming the same files with the same sizes.
# Go's archive/zip reads the second, libzip the first; goreg used to check
# names and sizes with its own reader and hash the data through libzip, so
# it accepted the zip and recorded the h1 of files the go command never
# unpacks.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

command -v go >/dev/null 2>&1 || skip_all "no go command"
[ -f /usr/share/gocode/src/golang.org/x/mod/zip/zip.go ] || skip_all "no golang-golang-x-mod-dev"
mkdir -p "$T/oracle-gopath" "$T/gocache" "$T/home"
(cd "$GOREG_TOP" && env HOME="$T/home" GOCACHE="$T/gocache" GOPATH="$T/oracle-gopath:/usr/share/gocode" \
	GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=0 go build -o "$T/h1zip" ./tests/oracle/h1zip) ||
	bail "the oracle does not build"
Z=$T/zips
mkdir -p "$Z"
perl "$GOREG_TOP/tests/integration/zipcraft.pl" "$Z" > "$T/manifest" || bail "zipcraft.pl failed"

R=$T/store
echo 0 > "$T/owners"
# goreg_h1 ZIP: upload ZIP to a fresh owner with goreg-upload; print the
# h1: of its record in index.tdb, or "refused: REASON" (it runs in a
# subshell: the owner count is kept in a file)
goreg_h1() {
	n=$(($(cat "$T/owners") + 1))
	echo "$n" > "$T/owners"
	admin "$R" user add "o$n" >/dev/null || bail "no owner o$n"
	if out=$("$B/goreg-upload" -r "$R" "o$n" "$1" 2>&1 >/dev/null); then
		grep -a -o 'h1=h1:[A-Za-z0-9+/]*=' "$R/o$n/index.tdb" | sed 's/^h1=//'
	else
		echo "refused: ${out#goreg-upload: }"
	fi
}

# oracle ZIP: the oracle's two lines, "h1 ..." and "check ..."
oracle() {
	"$T/h1zip" "$1" 2>&1
}

# same LABEL ZIP: goreg accepts ZIP and records HashZip's h1; CheckZip
# accepts it too
same() {
	o=$(oracle "$2")
	is "$(printf '%s\n' "$o" | sed -n 's/^check //p')" ok "$1: x/mod's CheckZip accepts it"
	is "$(goreg_h1 "$2")" "$(printf '%s\n' "$o" | sed -n 's/^h1 //p')" "$1: goreg records the h1: HashZip computes"
}

# --- zips made by the tools
M=example.com/m
make_module "$T/src" $M
"$B/goreg-pack" -o "$Z/pack.zip" $M v1.0.0 "$T/src" || bail "goreg-pack failed"
same "goreg-pack" "$Z/pack.zip"
"$T/h1zip" -c "$Z/go.zip" $M v1.0.0 "$T/src" || bail "CreateFromDir failed"
same "x/mod CreateFromDir (the go command's own zip)" "$Z/go.zip"

mkdir -p "$T/tree/example.com" && cp -R "$T/src" "$T/tree/$M@v1.0.0"
for opts in "-qrD" "-qr" "-qr0" "-qrD -9" "-qrD -fz" "-qr -fz" "-qrD -X"; do
	f=$Z/zip$(echo "$opts" | tr -d ' ').zip
	# shellcheck disable=SC2086
	(cd "$T/tree" && zip $opts "$f" "$M@v1.0.0") || bail "zip $opts failed"
	same "zip $opts" "$f"
done
# written to a pipe, zip(1) puts sizes and CRC-32s in data descriptors
(cd "$T/tree" && zip -qrD - "$M@v1.0.0" | cat > "$Z/zip-pipe.zip") || bail "zip to a pipe failed"
same "zip -qrD to a pipe (data descriptors)" "$Z/zip-pipe.zip"
(cd "$T/tree" && zip -qr - "$M@v1.0.0" | cat > "$Z/zip-pipe-dirs.zip") || bail "zip to a pipe failed"
same "zip -qr to a pipe (data descriptors, directory entries)" "$Z/zip-pipe-dirs.zip"

# the modzip fuzz seeds, as tests/fuzz/seeds.sh makes them
s=$T/seedsrc
mkdir -p "$s/$M@v1.0.0/sub" "$s/example.com/Foo@v2.0.0+incompatible"
printf 'module example.com/m\n\ngo 1.19\n' > "$s/$M@v1.0.0/go.mod"
printf 'package m\n' > "$s/$M@v1.0.0/m.go"
printf 'package sub\n\nconst Answer = 42\n' > "$s/$M@v1.0.0/sub/sub.go"
printf 'MIT\n' > "$s/$M@v1.0.0/LICENSE"
printf 'package foo\n' > "$s/example.com/Foo@v2.0.0+incompatible/foo.go"
(cd "$s" &&
	zip -qrD "$Z/seed-deflate.zip" $M@v1.0.0 &&
	zip -qr0 "$Z/seed-store-dirs.zip" $M@v1.0.0 &&
	zip -qrD -fz "$Z/seed-zip64.zip" $M@v1.0.0 &&
	zip -qrD "$Z/seed-nogomod.zip" "example.com/Foo@v2.0.0+incompatible" &&
	printf '%s\n' "$M@v1.0.0/go.mod" | zip -qD "$Z/seed-gomod-only.zip" -@) || bail "the fuzz seeds"
for f in deflate store-dirs zip64 nogomod gomod-only; do
	same "fuzz seed $f.zip" "$Z/seed-$f.zip"
done

# zipcraft.pl's layouts that writers make
awk -F '\t' '$2 == "accept" { print $1 }' "$T/manifest" > "$T/accept"
while read -r f; do
	same "zipcraft $f" "$Z/$f"
done < "$T/accept"

# --- the zips two readers could read differently: 400, nothing written
admin "$R" user add acme >/dev/null
TOKEN=$(admin "$R" token add acme) || bail "no token"
start_httpd "$R"
U=$BASE/api/packages/acme/go
snap() { store_snap; }
refused() { # refused ZIP REASON
	before=$(snap)
	code=$(curl -sS -o "$T/body" -w '%{http_code}' --user "acme:$TOKEN" --upload-file "$Z/$1" "$U/upload")
	is "$code" 400 "$1: 400"
	is "$(wc -l < "$T/body" | tr -d ' ')" 1 "$1: a one-line reason"
	grep -qF -- "$2" "$T/body"
	r=$?
	ok $r "$1: the reason says: $2"
	[ $r -eq 0 ] || diag "reason: $(cat "$T/body")"
	is "$(snap)" "$before" "$1: the store is unchanged"
	diag "$1 for the go command: $(oracle "$Z/$1" | tr '\n' ' ')"
}
awk -F '\t' '$2 == "refuse"' "$T/manifest" > "$T/refuse"
while IFS="$(printf '\t')" read -r f _ reason; do
	refused "$f" "$reason"
done < "$T/refuse"
is "$(grep -c . "$T/refuse")" "$(grep -c refuse "$T/manifest")" "every refusal zipcraft.pl wrote was tried"

# --- the attack, step by step
go_attack=$(oracle "$Z/two-eocd.zip" | sed -n 's/^h1 //p')
go_half=$(oracle "$Z/two-eocd-go.zip" | sed -n 's/^h1 //p')
lz_half=$(goreg_h1 "$Z/two-eocd-libzip.zip")
is "$go_attack" "$go_half" "two-eocd.zip: archive/zip reads the second central directory"
like "$lz_half" '^h1:' "the first central directory alone is a valid module zip"
[ "$lz_half" != "$go_attack" ]
ok $? "  whose h1 ($lz_half), what goreg recorded before, is not the go command's ($go_attack)"
code=$(curl -sS -o "$T/body" -w '%{http_code}' --user "acme:$TOKEN" --upload-file "$Z/two-eocd.zip" "$U/upload")
is "$code $(cat "$T/body")" \
	"400 not a valid zip file: more than one end of central directory record (at 464 and 630)" \
	"two-eocd.zip is refused: 400 and the two records' offsets"
is "$(http "$U/$M/@v/list")" 404 "nothing was published for acme"

done_testing
