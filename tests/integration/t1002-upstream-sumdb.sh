#!/bin/sh
# The checksum-database proxy (go.dev/ref/mod#checksum-database, "proxying
# a checksum database"): an owner with an upstream database answers
# sumdb/NAME/supported, and passes lookup, latest and tiles through from
# it, cached.  The go command, with goreg as its only GOPROXY and GOSUMDB
# set to the database's key alone, finds the database through goreg and
# verifies public modules with it; a tampered upstream zip is stored by
# goreg (it is a valid zip) but refused by the go command, with a
# security error.  The database is x/mod's sumdb.NewTestServer, computing
# go.sum lines from the genuine files.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
. "$(dirname "$0")/lib-upstream.sh"
go_oracle sumdb
publish_up example.com/pub v1.0.0
publish_up example.com/pub v1.1.0
# in the database too, but never to be asked about there
publish_up corp.example/secret v1.0.0
publish_up example.com/own v1.0.0
# the database answers from the genuine tree; nginx will serve a tampered
# v1.1.0 zip of the same module and version
tamper_up
start_upstream
start_sumdb
VKEY=$UPKEY

R=$T/store
admin "$R" user add acme >/dev/null
admin "$R" upstream set acme "https://localhost:$NPORT" || bail "upstream set"
admin "$R" upstream sumdb acme "$VKEY" "http://127.0.0.1:$SPORT" || bail "upstream sumdb"
start_httpd "$R" SSL_CERT_FILE="$T/tls/cert.pem"
G=$BASE/api/packages/acme/go

is "$(http "$G/sumdb/sum.test/supported")" 200 "sumdb/NAME/supported: 200 for the proxied database"
is "$(http "$G/sumdb/sum.golang.org/supported")" 404 "another name: 404 (the go command falls back)"
is "$(http "$G/sumdb/sum.test/latest")" 200 "latest, passed through"
like "$(head -n 1 "$T/body")" '^go.sum database tree$' "a signed tree head"

# module paths never asked upstream (goreg-fetch(8)): the owner's private
# patterns, and the modules it uploaded itself; the database has both
admin "$R" upstream private acme 'corp.example' || bail "upstream private"
is "$(http "$G/sumdb/sum.test/lookup/corp.example/secret@v1.0.0")" 404 \
	"a private module's lookup is not passed to the upstream database"
"$B/goreg-upload" -r "$R" acme "$UP/example.com/own/@v/v1.0.0.zip" > /dev/null || bail "goreg-upload"
is "$(http "$G/sumdb/sum.test/lookup/example.com/own@v1.0.0")" 404 "nor one of a module the owner uploaded"
"$B/goreg-fetch" -r "$R" -s sum.test acme lookup/corp.example/secret@v1.0.0 > "$T/s.out" 2>&1
is "$?" 1 "goreg-fetch -s refuses it"
like "$(cat "$T/s.out")" 'private: never asked upstream' "saying why"

# the go command: goreg is its only proxy, GOSUMDB is the key alone
use_pub
gosum go get example.com/pub@v1.0.0 > "$T/get.out" 2>&1
ok $? "go get verifies a public module through goreg's proxied database ($(tail -n 3 "$T/get.out" | tr '\n' ' '))"
like "$(cat "$T/use/go.sum")" 'example.com/pub v1.0.0 h1:' "go.sum holds its lines"
ok "$([ -s "$R/acme/@sumdb/sum.test/lookup/example.com/pub@v1.0.0" ] && echo 0 || echo 1)" \
	"the lookup is cached in the owner's @sumdb"
gosum go mod download -json example.com/pub@v1.0.0 > /dev/null 2>&1
ok $? "a second download verifies again"

gosum go get example.com/pub@v1.1.0 > "$T/evil.out" 2>&1
rc=$?
ok "$([ $rc -ne 0 ] && echo 0 || echo 1)" "the tampered v1.1.0 is refused by the go command"
like "$(cat "$T/evil.out")" 'SECURITY ERROR|checksum mismatch' "with a security error"
is "$(http "$G/example.com/pub/@v/v1.1.0.info")" 200 \
	"(goreg stored it: a valid zip; the database it proxies is what catches it)"

# the store stays clean: the cache is no part of the GOPROXY tree
"$B/goreg-fsck" -r "$R" > "$T/fsck.out" 2>&1
ok $? "goreg-fsck: clean with the @sumdb cache ($(head -c 200 "$T/fsck.out"))"
is "$(http "$G/sumdb/sum.test/lookup/../../../goreg.tdb")" 404 "no path out of the cache"
is "$(http "$G/sumdb/sum.test/badpath")" 404 "a path the protocol does not have: 404"
done_testing
