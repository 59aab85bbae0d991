#!/bin/sh
# Every invalid module zip is refused over HTTP with 400 and a one-line
# text/plain reason naming the broken rule, and leaves the store byte for
# byte as it was: the files, goreg.tdb and index.tdb included (
# go.dev/ref/mod#zip-files, golang.org/x/mod/zip checkZip).  The broken
# zips are made here with zip(1), printf and dd; the unit tests in
# tests/unit/t-modzip.c cover each rule in more detail (NUL bytes in names,
# Unicode Path extra fields, zip64, sizes over 500 MiB).
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

R=$T/store
admin "$R" user add acme
TOKEN=$(admin "$R" token add acme) || bail "no token"

# snap: every file of the store with its SHA-256 (lib.sh)
snap() { store_snap; }

# upload FILE: PUT it; CODE and CTYPE set, the body in $T/body
upload() {
	out=$(curl -sS -o "$T/body" -w '%{http_code} %{content_type}' --user "acme:$TOKEN" \
		--upload-file "$1" "$U/upload")
	CODE=${out%% *}
	CTYPE=${out#* }
}

# refused LABEL ZIP REGEX: 400, one line of text/plain matching REGEX,
# nothing changed on disk
refused() {
	before=$(snap)
	upload "$2"
	is "$CODE" 400 "$1: 400"
	like "$CTYPE" '^text/plain' "$1: text/plain"
	last=$(tail -c 1 "$T/body" | od -An -tx1 | tr -d ' ')
	[ "$(wc -l < "$T/body")" -eq 1 ] && [ "$last" = 0a ]
	ok $? "$1: the body is one line"
	like "$(cat "$T/body")" "$3" "$1: the reason names the rule"
	after=$(snap)
	is "$after" "$before" "$1: the store is byte for byte unchanged"
}

# tree NAME: a fresh directory to lay out zip entries in, printed
tree() {
	mkdir -p "$T/trees/$1"
	echo "$T/trees/$1"
}

# zipit DIR OUT [ZIP-OPTIONS...]: zip DIR's contents, paths relative to DIR,
# in the order find lists them (sorted), without directory entries
zipit() {
	d=$1 out=$2
	shift 2
	(cd "$d" && find . ! -type d | sed 's|^\./||' | sort | zip -qD "$@" "$out" -@)
}

# patch_str FILE FROM TO: overwrite every FROM with TO (same length);
# prints how many were changed
patch_str() {
	n=0
	for off in $(grep -obaF -- "$2" "$1" | cut -d: -f1); do
		printf '%s' "$3" | dd of="$1" bs=1 seek="$off" conv=notrunc status=none
		n=$((n + 1))
	done
	echo "$n"
}

# patch_hdr FILE SIG OFFSET BYTES: write BYTES (printf format) at OFFSET
# into every header with signature SIG (local: '\003\004', central:
# '\001\002'; PKWARE APPNOTE.TXT 4.3.7, 4.3.12); prints how many
patch_hdr() {
	n=0
	# shellcheck disable=SC2059
	for off in $(grep -obaF -- "$(printf "PK$2")" "$1" | cut -d: -f1); do
		# shellcheck disable=SC2059
		printf "$4" | dd of="$1" bs=1 seek=$((off + $3)) conv=notrunc status=none
		n=$((n + 1))
	done
	echo "$n"
}

M=example.com/m

# a module that uploads fine, so that the store has files, an index.tdb
# and an audit log before the refusals
make_module "$T/src" $M
if [ -x "$B/goreg-pack" ]; then
	"$B/goreg-pack" -o "$T/good.zip" $M v1.0.0 "$T/src"
else
	mkdir -p "$T/g" && cp -R "$T/src" "$T/g/$M@v1.0.0" && (cd "$T/g" && zip -qrD ../good.zip "$M@v1.0.0/")
fi
ok $? "a valid module zip"

start_httpd "$R"
U=$BASE/api/packages/acme/go

# --- before the first upload: a refusal must not even start a store
before=$(snap)
printf 'this is not a zip file\n' > "$T/garbage"
upload "$T/garbage"
is "$CODE" 400 "garbage on a store with no uploads yet: 400"
is "$(snap)" "$before" "garbage on a store with no uploads yet: no file written (audit log)"

upload "$T/good.zip"
is "$CODE" 201 "the valid zip is accepted"
[ -f "$R/acme/index.tdb" ]
ok $? "the store has an index.tdb to keep unchanged"

# --- not zips
refused "garbage bytes" "$T/garbage" 'not a valid zip file'
: > "$T/empty"
refused "empty body" "$T/empty" 'empty request body'
head -c $(($(wc -c < "$T/good.zip") / 2)) "$T/good.zip" > "$T/trunc.zip"
refused "truncated zip" "$T/trunc.zip" 'not a valid zip file'

# --- the module@version/ prefix and the version
d=$(tree noprefix)
mkdir -p "$d/$M" && echo 'package m' > "$d/$M/a.go"
zipit "$d" "$T/noprefix.zip"
refused "no module@version/ prefix" "$T/noprefix.zip" 'module@version/ prefix'

d=$(tree mixed)
mkdir -p "$d/$M@v1.0.1" "$d/example.com/n@v1.0.1"
echo 'package m' > "$d/$M@v1.0.1/a.go"
echo 'package n' > "$d/example.com/n@v1.0.1/b.go"
zipit "$d" "$T/mixed.zip"
refused "mixed prefixes" "$T/mixed.zip" "\"example.com/n@v1.0.1/b.go\": path does not have prefix \"$M@v1.0.1/\""

d=$(tree noncanon)
mkdir -p "$d/$M@v1.1" && echo 'package m' > "$d/$M@v1.1/a.go"
zipit "$d" "$T/noncanon.zip"
refused "non-canonical version" "$T/noncanon.zip" 'version "v1.1" is not canonical \(should be "v1.1.0"\)'

d=$(tree notsemver)
mkdir -p "$d/$M@master" && echo 'package m' > "$d/$M@master/a.go"
zipit "$d" "$T/notsemver.zip"
refused "not a semantic version" "$T/notsemver.zip" 'not a semantic version'

d=$(tree v2v1)
mkdir -p "$d/$M/v2@v1.0.0" && echo 'package m' > "$d/$M/v2@v1.0.0/a.go"
zipit "$d" "$T/v2v1.zip"
refused "/v2 path with a v1 version" "$T/v2v1.zip" 'invalid module .*major'

d=$(tree v1v2)
mkdir -p "$d/$M@v2.0.0" && printf 'module %s\n' $M > "$d/$M@v2.0.0/go.mod"
zipit "$d" "$T/v1v2.zip"
refused "v2 version without /v2 path" "$T/v1v2.zip" 'invalid module .*major'

d=$(tree incompat)
mkdir -p "$d/$M@v2.0.0+incompatible"
printf 'module %s\n' $M > "$d/$M@v2.0.0+incompatible/go.mod"
echo 'package m' > "$d/$M@v2.0.0+incompatible/a.go"
zipit "$d" "$T/incompat.zip"
refused "+incompatible with a go.mod" "$T/incompat.zip" 'module contains a go.mod file'

# --- names
P=$M@v1.0.1
d=$(tree dup)
mkdir -p "$d/$P" && echo 'package m' > "$d/$P/a.go" && echo 'package m' > "$d/$P/b.go"
zipit "$d" "$T/dup.zip" -0
is "$(patch_str "$T/dup.zip" "$P/b.go" "$P/a.go")" 2 "renamed b.go to a.go in both headers"
refused "duplicate entry" "$T/dup.zip" 'multiple entries for file "a.go"'

d=$(tree fold)
mkdir -p "$d/$P" && echo 'package m' > "$d/$P/a.go" && echo 'package m' > "$d/$P/A.go"
zipit "$d" "$T/fold.zip"
refused "case-fold collision" "$T/fold.zip" 'case-insensitive file name collision: "A.go" and "a.go"'

d=$(tree foldk)
# U+212A KELVIN SIGN folds to k (unicode.SimpleFold)
mkdir -p "$d/$P" && echo 'package m' > "$d/$P/k.go" && echo 'package m' > "$d/$P/$(printf '\342\204\252').go"
zipit "$d" "$T/foldk.zip"
refused "case-fold collision beyond ASCII (Kelvin sign)" "$T/foldk.zip" 'case-insensitive file name collision'

d=$(tree subgomod)
mkdir -p "$d/$P/sub"
printf 'module %s\n' $M > "$d/$P/go.mod"
printf 'module %s/sub\n' $M > "$d/$P/sub/go.mod"
zipit "$d" "$T/subgomod.zip"
refused "go.mod in a subdirectory" "$T/subgomod.zip" '"[^"]*/sub/go.mod": go.mod file not in module root directory'

d=$(tree upgomod)
mkdir -p "$d/$P" && printf 'module %s\n' $M > "$d/$P/GO.MOD"
zipit "$d" "$T/upgomod.zip"
refused "GO.MOD spelled in capitals" "$T/upgomod.zip" 'go.mod files must have lowercase names'

d=$(tree othermod)
mkdir -p "$d/$P" && printf 'module example.com/other\n\ngo 1.19\n' > "$d/$P/go.mod"
zipit "$d" "$T/othermod.zip"
refused "go.mod module line differs from the zip's path" "$T/othermod.zip" \
	'go.mod says module "example.com/other", zip is for "example.com/m"'

d=$(tree nomodline)
mkdir -p "$d/$P" && printf 'go 1.19\n' > "$d/$P/go.mod"
zipit "$d" "$T/nomodline.zip"
refused "go.mod without a module line" "$T/nomodline.zip" 'go.mod has no valid module directive'

# Go reads the path "example.com/m\x00z", which is not the zip's; a C
# string would stop at the NUL (found by tests/fuzz/fuzz-gomod.c)
d=$(tree nulmod)
mkdir -p "$d/$P" && printf 'module "%s\\x00z"\n' $M > "$d/$P/go.mod"
zipit "$d" "$T/nulmod.zip"
refused "go.mod whose quoted path hides a NUL" "$T/nulmod.zip" 'go.mod has no valid module directive'

d=$(tree dotdot)
mkdir -p "$d/$P/a/XX" && echo 'package m' > "$d/$P/a/XX/b.go"
zipit "$d" "$T/dotdot.zip"
is "$(patch_str "$T/dotdot.zip" "a/XX/b.go" "a/../b.go")" 2 "made a ../ path in both headers"
refused "../ in a path" "$T/dotdot.zip" '"[^"]*a/\.\./b\.go": file path is not clean'

d=$(tree escape)
mkdir -p "$d/$P/XX" && echo 'package m' > "$d/$P/XX/b.go"
zipit "$d" "$T/escape.zip"
patch_str "$T/escape.zip" "$P/XX/b.go" "$P/../b.go" >/dev/null
refused "a path leaving the module" "$T/escape.zip" '"[^"]*/\.\./b\.go": malformed file path'

d=$(tree colon)
mkdir -p "$d/$P" && echo 'package m' > "$d/$P/a:b.go"
zipit "$d" "$T/colon.zip"
refused "a name Windows cannot hold" "$T/colon.zip" 'malformed file path'

d=$(tree symlink)
mkdir -p "$d/$P" && echo 'package m' > "$d/$P/a.go" && ln -s a.go "$d/$P/link.go"
zipit "$d" "$T/symlink.zip" -y
refused "symlink entry" "$T/symlink.zip" '"[^"]*link.go": symbolic link'

# --- the archive format
d=$(tree method)
mkdir -p "$d/$P" && echo 'package m' > "$d/$P/a.go"
zipit "$d" "$T/method.zip"
is "$(patch_hdr "$T/method.zip" '\003\004' 8 '\014\000')" 1 "set the local header's method to 12 (bzip2)"
is "$(patch_hdr "$T/method.zip" '\001\002' 10 '\014\000')" 1 "set the central header's method to 12 (bzip2)"
refused "compression method bzip2" "$T/method.zip" 'compression method 12 not allowed'

d=$(tree crypt)
mkdir -p "$d/$P" && echo 'package m' > "$d/$P/a.go"
zipit "$d" "$T/crypt.zip" -P secret
refused "encrypted entry" "$T/crypt.zip" 'encrypted entries are not allowed'

d=$(tree crc)
mkdir -p "$d/$P" && printf 'package m // hello crc world\n' > "$d/$P/a.go"
zipit "$d" "$T/crc.zip" -0
is "$(patch_str "$T/crc.zip" "hello crc" "hellO crc")" 1 "flipped a byte of stored data"
refused "CRC corruption" "$T/crc.zip" 'crc mismatch in "[^"]*a.go"'

d=$(tree size)
mkdir -p "$d/$P"
i=0
while [ $i -lt 100 ]; do echo "// line $i of a file that deflates well"; i=$((i + 1)); done > "$d/$P/big.go"
zipit "$d" "$T/size.zip" -9
patch_hdr "$T/size.zip" '\003\004' 22 '\012\000\000\000' >/dev/null
is "$(patch_hdr "$T/size.zip" '\001\002' 24 '\012\000\000\000')" 1 "declared size set to 10 bytes"
refused "declared size smaller than the data" "$T/size.zip" 'larger than declared size \(10 bytes\)'

d=$(tree biggomod)
mkdir -p "$d/$P"
{ printf 'module %s\n' $M; yes '// padding to make go.mod larger than 16 MiB' | head -c 16777216; } > "$d/$P/go.mod"
zipit "$d" "$T/biggomod.zip"
refused "go.mod over 16 MiB" "$T/biggomod.zip" 'go.mod file too large \(max size is 16777216 bytes\)'

# after all that, the registry still holds exactly the one version
code=$(http "$U/$M/@v/list")
is "$code $(cat "$T/body")" "200 v1.0.0" "the list still holds only v1.0.0"
is "$(find "$R/tmp" -mindepth 1 2>/dev/null)" "" "no spool file left in tmp/"

done_testing
