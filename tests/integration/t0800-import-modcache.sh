#!/bin/sh
# goreg-import loads a module cache the real go command filled: a module
# path with capitals, a release, a pre-release, a pseudo-version and a
# +incompatible version without go.mod.  The go command then gets through
# goreg-httpd on the new store the same go.sum lines and the same .info
# times as from the source; -n and a second import change nothing.
. "$(dirname "$0")/lib.sh"

command -v go >/dev/null 2>&1 || skip_all "no go command"

# a tree's names and the SHA-256 of its files: equal snapshots, no change
snapshot() {
	(cd "$1" && find . | LC_ALL=C sort && find . -type f -exec sha256sum {} + | LC_ALL=C sort)
}

# the source: a goreg owner tree, a file-based GOPROXY, with versions
# published at known times
S=$T/src-store
H=example.com/Hello
P=example.com/pseudo/v2
PV=v2.0.0-20200102030405-abcdefabcdef
make_module "$T/hello" $H hello
pack $H v1.0.0 "$T/hello" "$T/h100.zip" || bail "goreg-pack failed"
printf 'package hello\n\n// Version is the version.\nconst Version = "1.1"\n' > "$T/hello/v.go"
pack $H v1.1.0 "$T/hello" "$T/h110.zip" || bail "goreg-pack failed"
pack $H v1.2.0-rc.1 "$T/hello" "$T/h120rc.zip" || bail "goreg-pack failed"
make_module "$T/pseudo" $P pseudo
pack $P $PV "$T/pseudo" "$T/pseudo.zip" || bail "goreg-pack failed"
# a module from before modules: no go.mod, a v2 tag, so +incompatible
mkdir -p "$T/old"
printf 'package old\n\n// Old is old.\nconst Old = "old"\n' > "$T/old/old.go"
pack example.com/old v2.0.0+incompatible "$T/old" "$T/old.zip" || bail "goreg-pack failed"
t=1600000000
for z in h100 h120rc h110 pseudo old; do
	t=$((t + 100))
	GOREG_NOW=$t "$B/goreg-upload" -r "$S" acme "$T/$z.zip" 2>/dev/null || bail "goreg-upload $z failed"
done

# the go command fills its module cache from it
mkdir -p "$T/app1"
cd "$T/app1" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
for mv in $H@v1.0.0 $H@v1.2.0-rc.1 $P@$PV example.com/old@v2.0.0+incompatible; do
	go_env GOPROXY="file://$S/acme" go get "$mv" >/dev/null 2>&1
	ok $? "go get $mv from the source"
done
# only the .info and .mod of this one: the cache keeps versions without zip
go_env GOPROXY="file://$S/acme" go list -m $H@v1.1.0 >/dev/null 2>&1
C=$T/gopath/pkg/mod
[ -f "$C/cache/download/example.com/!hello/@v/v1.1.0.info" ] &&
	[ ! -f "$C/cache/download/example.com/!hello/@v/v1.1.0.zip" ]
ok $? "the cache has v1.1.0's .info but not its zip"
[ -f "$C/cache/download/example.com/old/@v/v2.0.0+incompatible.zip" ]
ok $? "the cache has the +incompatible zip"

D=$T/store
admin "$D" user add acme >/dev/null 2>&1 || bail "goreg-admin user add failed"
before=$(snapshot "$D")

# -n: checks and says, changes nothing
out=$("$B/goreg-import" -n -r "$D" acme "$C" 2>"$T/err")
is $? 0 "goreg-import -n exits 0"
is "$out" "import $H@v1.0.0
import $H@v1.2.0-rc.1
import example.com/old@v2.0.0+incompatible
import $P@$PV" "-n lists what it would import, in module then semver order, not v1.1.0"
is "$(cat "$T/err")" "goreg-import: 4 to import, 0 existed, 0 invalid (dry run: nothing changed)" "-n summary on stderr"
is "$(snapshot "$D")" "$before" "-n changed nothing in the store"

# the import, at a clock far from the versions' times
out=$(GOREG_NOW=1700000000 "$B/goreg-import" -u acme -r "$D" acme "$C" 2>"$T/err")
is $? 0 "goreg-import exits 0"
is "$out" "imported $H@v1.0.0
imported $H@v1.2.0-rc.1
imported example.com/old@v2.0.0+incompatible
imported $P@$PV" "one line per imported version"
is "$(cat "$T/err")" "goreg-import: 4 imported, 0 existed, 0 invalid" "summary on stderr"

is "$("$B/goreg-list" -r "$D" acme $H)" "v1.0.0
v1.2.0-rc.1" "goreg-list: the versions that had a zip"
for mv in "$H v1.0.0" "$H v1.2.0-rc.1" "example.com/old v2.0.0+incompatible" "$P $PV"; do
	set -- $mv
	e=$(printf '%s' "$1" | sed 's/[A-Z]/!&/g' | tr 'A-Z' 'a-z')
	t_src=$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$C/cache/download/$e/@v/$2.info")
	t_dst=$("$B/goreg-info" -r "$D" acme "$1" "$2" | sed -n 's/.*"Time":"\([^"]*\)".*/\1/p')
	is "$t_dst" "$t_src" "$1@$2 keeps the .info Time of the source ($t_src)"
	cmp -s "$S/acme/$e/@v/$2.zip" "$D/acme/$e/@v/$2.zip"
	ok $? "$1@$2: the zip is byte for byte the source's"
done
grep -q "^2023-11-14T22:13:20Z acme upload acme example.com/old v2.0.0+incompatible local:" "$D/audit.log"
ok $? "the audit log records the imports as uploads by acme"

# the go command through goreg-httpd on the new store, from an empty cache
start_httpd "$D"
U=$BASE/api/packages/acme/go
for mv in "$H v1.0.0" "$H v1.2.0-rc.1" "example.com/old v2.0.0+incompatible" "$P $PV"; do
	set -- $mv
	e=$(printf '%s' "$1" | sed 's/[A-Z]/!&/g' | tr 'A-Z' 'a-z')
	code=$(http "$U/$e/@v/$2.info")
	is "$code:$(cat "$T/body")" "200:$(cat "$S/acme/$e/@v/$2.info")" "GET $1@$2.info: the source's .info"
done
code=$(http "$U/$P/@latest")
is "$code:$(cat "$T/body")" "200:$(cat "$S/acme/$P/@v/$PV.info")" "@latest of the pseudo-version module: its original time"

mkdir -p "$T/app2"
cp "$T/app1/go.mod" "$T/app2/go.mod"
cd "$T/app2" || bail "no app dir"
for mv in $H@v1.0.0 $H@v1.2.0-rc.1 $P@$PV example.com/old@v2.0.0+incompatible; do
	go_env GOMODCACHE="$T/mod2" GOPROXY="$U" go get "$mv" >/dev/null 2>&1
	ok $? "go get $mv through goreg-httpd on the imported store"
done
[ -s "$T/app2/go.sum" ] && cmp -s "$T/app1/go.sum" "$T/app2/go.sum"
ok $? "go.sum is line for line the one from the source"
[ "$(wc -l < "$T/app2/go.sum")" -eq 8 ]
ok $? "go.sum has the 8 lines of 4 versions"
out=$(go_env GOMODCACHE="$T/mod2" GOPROXY="$U" go mod verify 2>&1)
is "$out" "all modules verified" "go mod verify"
out=$(go_env GOMODCACHE="$T/mod2" GOPROXY="$U" go list -m -versions $H 2>&1)
is "$out" "$H v1.0.0 v1.2.0-rc.1" "go list -m -versions"
chmod -R u+w "$T/mod2"

# again: everything exists, nothing changes
before=$(snapshot "$D")
out=$("$B/goreg-import" -r "$D" acme "$C" 2>"$T/err")
is $? 0 "a second import exits 0"
is "$out" "exists $H@v1.0.0
exists $H@v1.2.0-rc.1
exists example.com/old@v2.0.0+incompatible
exists $P@$PV" "and reports every version as existing"
is "$(cat "$T/err")" "goreg-import: 0 imported, 4 existed, 0 invalid" "summary of the second import"
is "$(snapshot "$D")" "$before" "the second import changed nothing in the store"

# DIR may also be the cache/download directory itself, or a GOPATH
for d in "$C/cache/download" "$T/gopath"; do
	out=$("$B/goreg-import" -n -r "$D" acme "$d" 2>/dev/null)
	is "$(printf '%s\n' "$out" | grep -c '^exists ')" 4 "${d#$T/} given: the same four versions"
done

done_testing
