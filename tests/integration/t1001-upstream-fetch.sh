#!/bin/sh
# The pull-through cache: an owner with an upstream GOPROXY serves public
# modules it lacks, fetched once over TLS (a test CA, SSL_CERT_FILE) from
# an nginx serving a file-based GOPROXY tree, validated and published as
# uploads are, then served from the store.  nginx's access log is the
# witness: private modules and the owner's own modules are never asked,
# an immutable file is never fetched twice, 20 concurrent misses fetch
# once; with the upstream down, what is stored is still served.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
. "$(dirname "$0")/lib-upstream.sh"
publish_up example.com/pub v1.0.0
publish_up example.com/pub v1.1.0
publish_up example.com/Caps v0.1.0
publish_up example.com/secret v1.0.0
publish_up example.com/mine v1.1.0
publish_up example.com/many v1.0.0
publish_up example.com/late v1.0.0
publish_up example.com/late v1.2.0
publish_up example.com/late v1.3.0-rc.1
# a module with no tag: its list is empty, its @latest the latest
# commit's pseudo-version (as proxy.golang.org answers for one)
PSEUDO=v0.0.0-20230506070809-abcdefabcdef
publish_up example.com/untagged $PSEUDO
: > "$UP/example.com/untagged/@v/list"
cp "$UP/example.com/untagged/@v/$PSEUDO.info" "$UP/example.com/untagged/@latest"

start_upstream
asked() { grep -c "$1" "$T/nginx/access.log" 2>/dev/null || true; }

R=$T/store
admin "$R" user add acme >/dev/null
TOKEN=$(admin "$R" token add acme)
admin "$R" upstream set acme "https://localhost:$NPORT" || bail "upstream set"
admin "$R" upstream private acme 'example.com/secret' || bail "upstream private"
make_module "$T/mine" example.com/mine pkg
pack example.com/mine v1.0.0 "$T/mine" "$T/mine.zip"
"$B/goreg-upload" -r "$R" acme "$T/mine.zip" 2>/dev/null || bail "upload mine"
start_httpd "$R" SSL_CERT_FILE="$T/tls/cert.pem"
G=$BASE/api/packages/acme/go

code=$(http "$G/example.com/pub/@v/v1.0.0.info")
is "$code" 200 "a miss of a public module: fetched and served"
[ "$code" = 200 ] || diag "$(tail -n 5 "$HTTPD_LOG")"
is "$(cat "$T/body")" '{"Version":"v1.0.0","Time":"2023-05-06T07:08:09Z"}' "with the upstream's time"
is "$(asked 'GET /example.com/pub/@v/v1.0.0.zip')" 1 "the upstream was asked for the zip once"
is "$(http "$G/example.com/pub/@v/v1.0.0.zip")" 200 "the zip is served"
cmp -s "$T/body" "$UP/example.com/pub/@v/v1.0.0.zip"
ok $? "byte for byte the upstream's"
is "$(http "$G/example.com/pub/@v/v1.0.0.mod")" 200 "the .mod"
is "$(asked 'GET /example.com/pub/@v/v1.0.0')" 2 "and nothing fetched twice (.info and .zip, once each)"
like "$(admin "$R" audit acme | grep upload | tail -n 1)" "upload acme example.com/pub v1.0.0 upstream:https://localhost:$NPORT" \
	"the audit log says it came from upstream"
is "$(http "$G/example.com/!caps/@v/v0.1.0.mod")" 200 "a module with capitals, !-encoded on both sides"

# goreg.cgi runs goreg-fetch on a miss too (the one beside it)
env -i PATH="$PATH" GOREG_ROOT="$R" SSL_CERT_FILE="$T/tls/cert.pem" GATEWAY_INTERFACE=CGI/1.1 \
	SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD=GET SCRIPT_NAME=/goreg.cgi \
	REQUEST_URI=/goreg.cgi/api/packages/acme/go/example.com/pub/@v/v1.1.0.mod \
	"$B/goreg.cgi" < /dev/null > "$T/cgi.out" 2> "$T/cgi.err"
like "$(head -n 1 "$T/cgi.out" | tr -d '\r')" '^Status: 200' "goreg.cgi: a miss fetched and served"
like "$(tr -d '\r' < "$T/cgi.out")" 'module example.com/pub' "the go.mod"
like "$(cat "$T/cgi.err")" '^fetched example.com/pub@v1.1.0$' "goreg-fetch's line in the web server's log"

# the go command, through goreg alone
go_env GOPROXY="$G" go mod download -json example.com/pub@v1.1.0 > "$T/dl.json" 2> "$T/dl.err"
ok $? "go mod download through goreg fetches from upstream ($(head -c 300 "$T/dl.err"))"
like "$(cat "$T/dl.json")" '"Version": "v1.1.0"' "the version go asked for"

# never asked upstream
before=$(wc -l < "$T/nginx/access.log")
is "$(http "$G/example.com/secret/@v/v1.0.0.info")" 404 "a private module: 404"
is "$(http "$G/example.com/secret/sub/@v/v1.0.0.zip")" 404 "below a private path: 404"
is "$(http "$G/example.com/mine/@v/v1.1.0.info")" 404 "another version of the owner's own module: 404"
is "$(http "$G/example.com/mine/@v/v1.0.0.info")" 200 "(its uploaded version is served)"
is "$(wc -l < "$T/nginx/access.log")" "$before" "nginx's log shows no request for any of them"
is "$(http "$G/example.com/nothere/@v/v1.0.0.info")" 404 "a module the upstream lacks: 404"

# 20 concurrent misses of one version: one fetch, the same bytes for all
i=0
cpids=
while [ $i -lt 20 ]; do
	curl -s --max-time 60 -o "$T/many.$i" -w '%{http_code}\n' "$G/example.com/many/@v/v1.0.0.zip" > "$T/many.st.$i" &
	cpids="$cpids $!"
	i=$((i + 1))
done
# shellcheck disable=SC2086
wait $cpids
is "$(cat "$T"/many.st.* | sort | uniq -c | tr -s ' ')" " 20 200" "20 concurrent misses: all 200"
is "$(sha256sum "$T"/many.[0-9]* | cut -d' ' -f1 | sort -u | wc -l)" 1 "all the same bytes"
is "$(asked 'GET /example.com/many/@v/v1.0.0.zip')" 1 "and the upstream was asked once"

# goreg-fetch by hand: a prefetch from go list -m all's lines
printf 'example.com/main\nexample.com/pub v1.1.0\nexample.com/Caps v0.1.0\nexample.com/nothere v1.0.0\n' |
	SSL_CERT_FILE=$T/tls/cert.pem "$B/goreg-fetch" -r "$R" acme - > "$T/pre.out" 2> "$T/pre.err"
is "$?" 1 "goreg-fetch of a list with a missing version: exit 1"
is "$(cat "$T/pre.out")" "present example.com/pub@v1.1.0
present example.com/Caps@v0.1.0
refused example.com/nothere@v1.0.0: not found upstream" "a line per version"
rm -rf "$T/store2"
admin "$T/store2" user add bob >/dev/null
admin "$T/store2" upstream set bob "https://localhost:$NPORT"
SSL_CERT_FILE=$T/tls/cert.pem "$B/goreg-fetch" -r "$T/store2" bob example.com/pub@v1.0.0 > "$T/pre.out" 2>&1
is "$?:$(cat "$T/pre.out")" "0:fetched example.com/pub@v1.0.0" "a prefetch into another store"
env -u SSL_CERT_FILE "$B/goreg-fetch" -r "$T/store2" bob example.com/pub@v1.1.0 > "$T/pre.out" 2>&1
rc=$?
is "$rc" 111 "without the test CA: the certificate is refused, exit 111"
like "$(cat "$T/pre.out")" '^failed example.com/pub@v1.1.0: .*(SSL|certificate)' "saying so"

# lists and @latest merge the upstream's versions with the stored ones
is "$(http "$G/example.com/pub/@v/list")" 200 "the list of an upstream module"
is "$(tr '\n' ' ' < "$T/body")" "v1.0.0 v1.1.0 " "its upstream versions"
is "$(asked 'GET /example.com/pub/@v/list')" 1 "the upstream's list was asked once"
http "$G/example.com/pub/@v/list" > /dev/null
is "$(asked 'GET /example.com/pub/@v/list')" 1 "and not again within GOREG_UPSTREAM_TTL"
is "$(http "$G/example.com/late/@latest")" 200 "@latest of a module never fetched"
is "$(cat "$T/body")" '{"Version":"v1.2.0","Time":"2023-05-06T07:08:09Z"}' \
	"the release go would pick, fetched (not the pre-release)"
go_env GOPROXY="$G" go list -m -versions example.com/late > "$T/vers" 2> "$T/vers.err"
is "$(cat "$T/vers")" "example.com/late v1.0.0 v1.2.0 v1.3.0-rc.1" "go list -m -versions through goreg alone"
# a module with no tag: @latest is the upstream's @latest (a pseudo-version
# the list never shows), fetched; the go command, finding the list empty,
# asks @latest and gets it
is "$(http "$G/example.com/untagged/@v/list")" 200 "the list of an untagged module"
is "$(cat "$T/body")" "" "  empty: a pseudo-version is never listed"
is "$(asked 'GET /example.com/untagged/@latest')" 1 "  the upstream's @latest was asked, its list being empty"
is "$(http "$G/example.com/untagged/@latest")" 200 "@latest of the untagged module"
like "$(cat "$T/body")" "\"Version\":\"$PSEUDO\"" "  the upstream's latest pseudo-version"
is "$(asked "GET /example.com/untagged/@v/$PSEUDO.zip")" 1 "  fetched and published"
go_env GOPROXY="$G" go list -m example.com/untagged@latest > "$T/lat" 2> "$T/lat.err"
is "$(cat "$T/lat")" "example.com/untagged $PSEUDO" "go list -m example.com/untagged@latest through goreg alone"
[ -s "$T/lat.err" ] && diag "$(head -c 300 "$T/lat.err")"
is "$(http "$G/example.com/secret/@v/list")" 404 "a private module's list: 404, not asked"
is "$(asked 'example.com/secret')" 0 "(nginx saw nothing of it)"

# the upstream down: what is stored is still served; a miss is a 502
kill "$npid"
wait "$npid" 2>/dev/null
is "$(http "$G/example.com/pub/@v/v1.0.0.zip")" 200 "upstream down: a stored version is still served"
is "$(http "$G/example.com/pub/@v/v1.2.0.info")" 502 "a miss with the upstream down: 502"
like "$(cat "$T/body")" 'upstream could not be reached' "saying so"
# a list past its TTL with the upstream down: the stored and last known
# versions, and a header that says the upstream did not answer
start_httpd "$R" SSL_CERT_FILE="$T/tls/cert.pem" GOREG_UPSTREAM_TTL=1
G=$BASE/api/packages/acme/go
sleep 1.2
curl -s -D "$T/hdr" -o "$T/body" "$G/example.com/pub/@v/list"
is "$(tr '\n' ' ' < "$T/body")" "v1.0.0 v1.1.0 " "upstream down: the list is still served"
like "$(tr -d '\r' < "$T/hdr")" 'X-Goreg-Upstream: unavailable' "with X-Goreg-Upstream: unavailable"
"$B/goreg-fsck" -r "$R" > "$T/fsck.out" 2>&1
ok $? "goreg-fsck: clean, the upstream list cache included ($(head -c 200 "$T/fsck.out"))"
# The front end waits for goreg-fetch until it ends, and no longer than
# GOREG_FETCH_TIMEOUT (its deadline) and 10 s of grace: one that hangs is
# killed (502, and a line in the log); one that ends at once is answered
# at once (its 1: not found)
printf '#!/bin/sh\necho $$ > "%s/hang.pid"\nexec sleep 60\n' "$T" > "$T/hang"
printf '#!/bin/sh\nexit 1\n' > "$T/gone"
chmod +x "$T/hang" "$T/gone"
printf 'GET /api/packages/acme/go/example.com/never/@v/v1.0.0.info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' > "$T/req"
GOREG_ROOT=$R GOREG_FETCH=$T/hang GOREG_FETCH_TIMEOUT=1 timeout 20 "$B/goreg-httpd" < "$T/req" > "$T/ans" 2> "$T/err"
like "$(head -n 1 "$T/ans")" '^HTTP/1.1 502 ' "a goreg-fetch that hangs: 502"
like "$(cat "$T/err")" 'goreg-fetch acme example.com/never@v1.0.0: killed after 11 s' "  and the log says it was killed after GOREG_FETCH_TIMEOUT and the grace"
kill -0 "$(cat "$T/hang.pid")" 2>/dev/null
ok $((! $?)) "  and it is gone"
GOREG_ROOT=$R GOREG_FETCH=$T/gone GOREG_FETCH_TIMEOUT=1 timeout 20 "$B/goreg-httpd" < "$T/req" > "$T/ans" 2> "$T/err"
like "$(head -n 1 "$T/ans")" '^HTTP/1.1 404 ' "a goreg-fetch that finds nothing: 404"
done_testing
