#!/bin/sh
# The owner's own checksum database (go.dev/ref/mod#checksum-database):
# goreg-admin sumdb init makes the key and logs what the owner has; every
# publish adds the version's go.sum lines.  The go command, with goreg as
# its GOPROXY and GOSUMDB set to goreg's key (found through
# <proxy>/sumdb/NAME/supported, or with the URL given), GONOSUMDB and
# GOPRIVATE unset, downloads and verifies, also after the tree grew; a zip
# changed on disk afterwards is caught by it; a deleted version comes back
# only with its logged hashes.  Then x/mod's own sumdb client
# (tests/oracle/sumdbcheck) checks trees of 1 to 1000 records: every lookup
# against hashes of the served files, inclusion proofs, every full and
# partial tile, data tiles, consistency between successive tree heads.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
go_oracle sumdbcheck

setup_registry
upload_cli() { "$B/goreg-upload" -r "$R" acme "$1"; }
upload_cli "$T/hello.zip" > /dev/null || bail "upload"

# ---- set-up
admin "$R" sumdb key acme > "$T/out" 2>&1
is "$?" 1 "sumdb key before init: refused"
like "$(cat "$T/out")" "acme has no checksum database" "saying so"
admin "$R" sumdb init acme 'bad name' > "$T/out" 2>&1
is "$?" 1 "a name with a space is refused"
ok "$([ ! -e "$R/acme/@sumdb.tdb" ] && echo 0 || echo 1)" "and nothing is created"
admin "$R" sumdb init nobody goreg.test > "$T/out" 2>&1
is "$?" 1 "init for an owner with no account: refused"
VKEY=$(admin "$R" sumdb init acme goreg.test) || bail "sumdb init failed"
like "$VKEY" '^goreg\.test\+[0-9a-f]{8}\+[A-Za-z0-9+/]{44}$' "init prints the verifier key line"
is "$(admin "$R" sumdb key acme)" "$VKEY" "sumdb key prints it again"
admin "$R" sumdb init acme other > "$T/out" 2>&1
is "$?" 1 "a second init is refused"
is "$(stat -c %a "$R/acme/@sumdb.tdb")" 600 "the log (with the signer key) is the owner's alone"
ok "$(! grep -rqa 'PRIVATE+KEY' "$R/audit.log" && echo 0 || echo 1)" "the signer key is in no log"
like "$(admin "$R" sumdb verify acme)" '^acme: 1 records' "verify: the version published before init is logged"

start_httpd "$R"
U=$BASE/api/packages/acme/go
G=$U
is "$(http "$G/sumdb/goreg.test/supported")" 200 "sumdb/NAME/supported: 200"
is "$(http "$G/sumdb/other.name/supported")" 404 "another name: 404"
is "$(http "$G/sumdb/goreg.test/latest")" 200 "latest"
is "$(head -n 2 "$T/body" | tr '\n' ' ')" "go.sum database tree 1 " "a signed head of the 1-record tree"
is "$(http "$G/sumdb/goreg.test/lookup/example.com/hello@v1.0.0")" 200 "lookup"
is "$(sed -n 2p "$T/body" | cut -d' ' -f1,2)" "example.com/hello v1.0.0" "holds the version's go.sum lines"
is "$(http "$G/sumdb/goreg.test/lookup/example.com/hello@v9.0.0")" 404 "lookup of an unlogged version: 404"
is "$(http "$G/sumdb/goreg.test/lookup/example.com/hello")" 400 "lookup without @version: 400"
for q in hello@latest hello@v1.0 hello@v1.0.0+meta hello@1.0.0 hello@v1.0.0.1; do
	is "$(http "$G/sumdb/goreg.test/lookup/example.com/$q")" 400 "lookup of $q: 400, as x/mod's server (modVerRE)"
done
is "$(http "$G/sumdb/goreg.test/lookup/example.com/hello@v1.0.0-pre+incompatible")" 404 \
	"lookup of a version of that form not logged: 404"
is "$(http "$G/sumdb/goreg.test/tile/8/0/000.p/1")" 200 "the partial hash tile of the tree"
is "$(wc -c < "$T/body")" 32 "one hash of 32 bytes"
is "$(http "$G/sumdb/goreg.test/tile/8/0/000.p/2")" 404 "a tile beyond the tree: 404"
is "$(http "$G/sumdb/goreg.test/tile/8/0/000.p/01")" 400 "a tile path not in the canonical form: 400"
is "$(http "$G/sumdb/goreg.test/tile/8/data/000.p/1")" 200 "the data tile"
is "$(head -n 1 "$T/body")" 0 "record 0"

# ---- the go command
mkdir -p "$T/use"
printf 'module example.com/use\n\ngo 1.19\n' > "$T/use/go.mod"
printf 'package use\n\nimport _ "example.com/hello"\n' > "$T/use/use.go"
gosum() { # gosum GOSUMDB COMMAND...
	k=$1
	shift
	(cd "$T/use" && go_env GOPROXY="$G" GOSUMDB="$k" GONOSUMDB= GOPRIVATE= GOFLAGS=-mod=mod "$@")
}
gosum "$VKEY" go get example.com/hello@v1.0.0 > "$T/get.out" 2>&1
ok $? "go get verifies through goreg's own database, found through the proxy ($(tail -n 2 "$T/get.out" | tr '\n' ' '))"
grep "example.com/hello v1.0.0" "$T/use/go.sum" | sort > "$T/gosum"
http "$G/sumdb/goreg.test/lookup/example.com/hello@v1.0.0" > /dev/null
sed -n 2,3p "$T/body" | sort > "$T/logged"
ok "$(cmp -s "$T/gosum" "$T/logged" && echo 0 || echo 1)" "go.sum's lines are the logged ones"
upload "$T/hello11.zip" > /dev/null
gosum "$VKEY" go get example.com/hello@v1.1.0 > "$T/get.out" 2>&1
ok $? "after the tree grew, go checks its consistency and verifies the new version ($(tail -n 2 "$T/get.out" | tr '\n' ' '))"
rm -rf "$T/gopath/pkg/mod/cache/download/example.com" "$T/gopath/pkg/mod/cache/download/sumdb"
gosum "$VKEY $G/sumdb/goreg.test" go mod download -json example.com/hello@v1.1.0 > "$T/get.out" 2>&1
ok $? "GOSUMDB with the database's URL given verifies too"

# a zip changed on disk after publishing, to one of the same size (goreg
# itself serves no zip whose size is not the recorded one), and no go.sum
# to compare with: only the database can tell
make_module "$T/evil" example.com/hello
for a in 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59; do
	sed "s/= 42/= $a/" "$T/src/sub/sub.go" > "$T/evil/sub/sub.go"
	pack example.com/hello v1.1.0 "$T/evil" "$T/evil.zip" || bail "pack"
	[ "$(wc -c < "$T/evil.zip")" = "$(wc -c < "$T/hello11.zip")" ] && break
done
is "$(wc -c < "$T/evil.zip")" "$(wc -c < "$T/hello11.zip")" "(a changed zip of the same size)"
cp "$T/evil.zip" "$R/acme/example.com/hello/@v/v1.1.0.zip"
chmod -R u+w "$T/gopath/pkg/mod" && rm -rf "$T/gopath/pkg/mod" "$T/use/go.sum"
gosum "$VKEY" go mod download -json example.com/hello@v1.1.0 > "$T/evil.out" 2>&1
ok "$([ $? -ne 0 ] && echo 0 || echo 1)" "a zip changed on disk is refused by the go command"
like "$(cat "$T/evil.out")" 'SECURITY ERROR|checksum mismatch|verifying' "with a checksum error"

# a deleted version comes back only with the hashes the log keeps
is "$(http -X DELETE --user "acme:$TOKEN" "$BASE/api/v1/packages/acme/go/example.com%2Fhello/v1.1.0")" 204 "delete v1.1.0"
is "$(upload "$T/evil.zip")" 409 "re-publishing it with other content: 409"
like "$(cat "$T/body")" 'published before with other content' "saying why"
ok "$(spool_empty && echo 0 || echo 1)" "and nothing is left in the spool"
is "$(upload "$T/hello11.zip")" 201 "re-publishing the same content: 201"
like "$(admin "$R" sumdb verify acme)" '^acme: 2 records' "the log still has 2 records: nothing re-logged"
"$B/goreg-fsck" -r "$R" > "$T/fsck.out" 2>&1
ok $? "goreg-fsck: clean with the log ($(head -c 300 "$T/fsck.out"))"

# goreg-fsck --repair makes no version visible with hashes the log does
# not have: a zip changed on disk, and a version's files without its
# record (an upload killed before its log's commit), are set aside
D=$R/acme/example.com/hello/@v
cp "$T/evil.zip" "$D/v1.1.0.zip"
"$B/goreg-fsck" -r "$R" --repair > "$T/fsck.out" 2>&1
like "$(cat "$T/fsck.out")" 'v1.1.0.zip.*lost\+found.*other hashes' "fsck --repair: a zip unlike its logged hashes is set aside"
is "$(http "$U/example.com/hello/@v/v1.1.0.info")" 404 "  and not served"
admin "$R" user add other > /dev/null
pack example.com/hello v1.2.0 "$T/src" "$T/hello12.zip" || bail "pack"
"$B/goreg-upload" -r "$R" other "$T/hello12.zip" > /dev/null 2>&1 || bail "upload to other"
for e in zip mod info; do cp "$R/other/example.com/hello/@v/v1.2.0.$e" "$D/"; done
"$B/goreg-fsck" -r "$R" --repair > "$T/fsck.out" 2>&1
like "$(cat "$T/fsck.out")" 'v1.2.0.zip.*lost\+found.*no record' "fsck --repair: a version the log has no record of is set aside"
is "$(http "$U/example.com/hello/@v/v1.2.0.info")" 404 "  and not served"
"$B/goreg-fsck" -r "$R" > "$T/fsck.out" 2>&1
ok $? "goreg-fsck is clean after ($(head -c 300 "$T/fsck.out"))"
is "$(upload "$T/hello11.zip")" 201 "v1.1.0 published again with its logged content"
is "$(upload "$T/hello12.zip")" 201 "v1.2.0 published, and logged"
like "$(admin "$R" sumdb verify acme)" '^acme: 3 records' "the log has 3 records"
# an index lost: every version is rebuilt from its files, the log agreeing
mv "$R/acme/index.tdb" "$T/index.lost"
"$B/goreg-fsck" -r "$R" --repair > "$T/fsck.out" 2>&1
"$B/goreg-fsck" -r "$R" > "$T/fsck2.out" 2>&1
ok $? "the index lost, goreg-fsck --repair rebuilds it from the files ($(head -c 300 "$T/fsck2.out"))"
is "$("$B/goreg-list" -r "$R" acme example.com/hello | tr '\n' ' ')" "v1.0.0 v1.1.0 v1.2.0 " \
	"  with the 3 versions the log has records of"
# a log that lacks a version the index has (a log copied from elsewhere)
admin "$R" user add third > /dev/null
admin "$R" sumdb init third third.test > /dev/null || bail "init third"
cp "$R/third/@sumdb.tdb" "$R/other/@sumdb.tdb"
"$B/goreg-fsck" -r "$R" other > "$T/fsck.out" 2>&1
is "$?" 1 "goreg-fsck: a version missing from the owner's log is a problem"
like "$(cat "$T/fsck.out")" 'v1.2.0: the checksum database has no record' "  saying so"
rm -f "$R/other/@sumdb.tdb"

# a private owner's database is read with credentials only
admin "$R" owner private acme
is "$(http "$G/sumdb/goreg.test/latest")" 401 "private owner: latest needs credentials"
is "$(http --user "acme:$TOKEN" "$G/sumdb/goreg.test/latest")" 200 "and answers with them"
admin "$R" owner public acme

# ---- x/mod's client on trees of 1 to 1000 records
S=$T/oracle
mkdir -p "$S"
R2=$T/store2
admin "$R2" user add big > /dev/null
admin "$R2" sumdb init big big.test > "$T/vkey2" || bail "init"
V2=$(cat "$T/vkey2")
GOREG_ROOT=$R2 start_httpd "$R2"
G2=$BASE/api/packages/big/go
make_module "$T/m" example.com/m
n=0
bad=
for upto in ${SUMDB_SIZES:-1 2 3 4 7 8 9 255 256 257 258 511 512 513 700 1000}; do
	: > "$T/new"
	while [ $n -lt $upto ]; do
		v=v0.$((n / 100)).$((n % 100))
		pack example.com/m "$v" "$T/m" "$T/m.zip" && "$B/goreg-upload" -r "$R2" big "$T/m.zip" > /dev/null 2>&1 ||
			bail "upload $v"
		echo "example.com/m@$v" >> "$T/new"
		n=$((n + 1))
	done
	echo "example.com/m@v0.0.0" >> "$T/new"
	out=$("$T/sumdbcheck" "$G2/sumdb/big.test" "$V2" "$G2" "$S" < "$T/new" 2>&1)
	[ "$out" = "ok $upto" ] || bad="$bad $upto:$out"
done
is "$bad" "" "x/mod's client verifies every lookup, tile and tree head for tree sizes up to $n"
like "$(admin "$R2" sumdb verify big)" "^big: $n records" "goreg-admin sumdb verify: $n records"
done_testing
