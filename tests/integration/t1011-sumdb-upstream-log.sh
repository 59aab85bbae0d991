#!/bin/sh
# Public modules through goreg's own checksum database: an owner with an
# upstream GOPROXY, an upstream checksum database (x/mod's
# sumdb.NewTestServer, tests/oracle/sumdb) and its own log.  A lookup of a
# version goreg has not logged fetches the upstream's record, verifies it
# there (signed tree head with the configured key, inclusion proof
# through the tiles, consistency with the tree verified before) and adds
# it to goreg's log; so the go command, with GOSUMDB set to goreg's key
# alone, verifies public modules too.  A tampered upstream zip is now
# refused by goreg itself and never stored; an upstream database signed
# with another key is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
. "$(dirname "$0")/lib-upstream.sh"
go_oracle sumdb
publish_up example.com/pub v1.0.0
publish_up example.com/pub v1.1.0
publish_up example.com/other v0.1.0
tamper_up
start_upstream
start_sumdb

R=$T/store
admin "$R" user add acme > /dev/null
admin "$R" upstream set acme "https://localhost:$NPORT" || bail "upstream set"
admin "$R" upstream sumdb acme "$UPKEY" "http://127.0.0.1:$SPORT" || bail "upstream sumdb"
VKEY=$(admin "$R" sumdb init acme goreg.test) || bail "sumdb init"
start_httpd "$R" SSL_CERT_FILE="$T/tls/cert.pem"
G=$BASE/api/packages/acme/go

# the lookup itself
is "$(http "$G/sumdb/goreg.test/lookup/example.com/other@v0.1.0")" 200 \
	"a lookup of a public version not yet logged: fetched, verified upstream, logged"
grep "example.com/other v0.1.0" "$T/body" > "$T/ours"
curl -sS "http://127.0.0.1:$SPORT/lookup/example.com/other@v0.1.0" | grep "example.com/other v0.1.0" > "$T/theirs"
ok "$(cmp -s "$T/ours" "$T/theirs" && [ -s "$T/ours" ] && echo 0 || echo 1)" "with the upstream database's lines"
like "$(admin "$R" sumdb verify acme)" '^acme: 1 records' "goreg's log has the record"
ok "$([ -s "$R/acme/@sumdb/sum.test/verified" ] && echo 0 || echo 1)" "the verified upstream tree head is kept"
is "$(http "$G/example.com/other/@v/v0.1.0.info")" 200 "then the pull-through publish of the version checks out"
like "$(admin "$R" sumdb verify acme)" '^acme: 1 records' "and adds no second record"
is "$(http "$G/sumdb/goreg.test/lookup/example.com/nosuch@v1.0.0")" 404 "a version the upstream database lacks: 404"
# a version the upstream proxy has and the upstream database does not
# know: nothing confirms its hashes, so it is not fetched (the go command
# refuses such a version too)
publish_up example.com/fab v0.1.0
is "$(http "$G/example.com/fab/@v/v0.1.0.info")" 404 "a version the upstream database does not know: not fetched"
ok "$([ ! -e "$R/acme/example.com/fab/@v/v0.1.0.zip" ] && echo 0 || echo 1)" "nothing of it is in the store"
like "$(admin "$R" sumdb verify acme)" '^acme: 1 records' "nor in the log"
"$B/goreg-fetch" -r "$R" acme example.com/fab@v0.1.0 > "$T/fab.out" 2>&1
is "$?" 1 "goreg-fetch: refused"
like "$(cat "$T/fab.out")" 'not in the upstream checksum database' "saying why"

# the go command: goreg is its proxy and its only checksum database
use_pub
gosum go get example.com/pub@v1.0.0 > "$T/get.out" 2>&1
ok $? "go get of a public module verifies through goreg's own database ($(tail -n 2 "$T/get.out" | tr '\n' ' '))"
like "$(cat "$T/use/go.sum")" 'example.com/pub v1.0.0 h1:' "go.sum has the line"
curl -sS "http://127.0.0.1:$SPORT/lookup/example.com/pub@v1.0.0" | grep '^example.com/pub v1.0.0 ' > "$T/theirs"
grep '^example.com/pub v1.0.0 ' "$T/use/go.sum" > "$T/gosum"
ok "$(cmp -s "$T/gosum" "$T/theirs" && echo 0 || echo 1)" "the same lines as the upstream database's"

gosum go get example.com/pub@v1.1.0 > "$T/evil.out" 2>&1
ok "$([ $? -ne 0 ] && echo 0 || echo 1)" "the tampered upstream v1.1.0 fails"
is "$(http "$G/example.com/pub/@v/v1.1.0.info")" 502 "goreg refuses to store it: its hashes are not the database's"
grep -q 'SECURITY: the upstream.s example.com/pub@v1.1.0 does not have the hashes' "$HTTPD_LOG"
ok $? "the log says why"
ok "$([ ! -e "$R/acme/example.com/pub/@v/v1.1.0.zip" ] && echo 0 || echo 1)" "nothing of it is in the store"
ok "$(spool_empty && echo 0 || echo 1)" "nor in the spool"

# an upstream database that does not verify: another key of the same name
admin "$T/scratch" user add x > /dev/null
OTHER=$(admin "$T/scratch" sumdb init x sum.test)
admin "$R" user add beta > /dev/null
admin "$R" upstream set beta "https://localhost:$NPORT" || bail "upstream set"
admin "$R" upstream sumdb beta "$OTHER" "http://127.0.0.1:$SPORT" || bail "upstream sumdb"
admin "$R" sumdb init beta beta.test > /dev/null || bail "sumdb init"
"$B/goreg-fetch" -r "$R" -c beta example.com/other@v0.1.0 > "$T/c.out" 2>&1
is "$?" 111 "goreg-fetch -c: an upstream signature that does not verify is a failure"
like "$(cat "$T/c.out")" 'SECURITY: the upstream checksum database sum.test: its signed tree head' "a security failure"
like "$(admin "$R" sumdb verify beta)" '^beta: 0 records' "nothing is logged"
"$B/goreg-fetch" -r "$R" beta example.com/other@v0.1.0 > "$T/f.out" 2>&1
ok "$([ $? -ne 0 ] && echo 0 || echo 1)" "and the version is not fetched ($(cat "$T/f.out"))"
"$B/goreg-fetch" -r "$R" -c acme example.com/other@v0.1.0 > "$T/c.out" 2>&1
is "$(cat "$T/c.out")" "present example.com/other@v0.1.0" "goreg-fetch -c on a logged version: present"

"$B/goreg-fsck" -r "$R" > "$T/fsck.out" 2>&1
ok $? "goreg-fsck: clean ($(head -c 300 "$T/fsck.out"))"
done_testing
