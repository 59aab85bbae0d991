#!/bin/sh
# (review of ka20) goreg-httpd with -r naming a symlink, switched between
# two requests of one connection to a copy of the store in which the
# token was revoked: the second request must be refused, as it was when
# each kept file's name was compared with a stat per request.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"

setup_registry
"$B/goreg-upload" -r "$R" acme "$T/hello.zip" 2>/dev/null || bail "upload"
ID=$(admin "$R" token list acme | awk 'NR == 1 { print $1 }')
cp -a "$R" "$T/storeB"
admin "$T/storeB" token revoke acme "$ID" || bail "revoke"
ln -s store "$T/cur"
start_httpd "$T/cur"
get="GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $AUTH\r\n\r\n"
raws "send:$get" "head:5" "sleep:3" "send:$get" "head:5" "shut" "wait:5" > "$T/out" &
rp=$!
LIST="GET /api/packages/acme/go/$M/@v/list"
wait_log "$LIST" 1 || diag "no 1st answer logged"
ln -s storeB "$T/cur.new" && mv -T "$T/cur.new" "$T/cur"
wait "$rp"
is "$(wc -l < "$T/out")" 2 "two answers on one connection"
like "$(sed -n 1p "$T/out")" '^200 ' "1st: the token is good in the store the symlink names"
like "$(sed -n 2p "$T/out")" '^401 ' "2nd: the symlink switched to a store without the token: refused"
done_testing
