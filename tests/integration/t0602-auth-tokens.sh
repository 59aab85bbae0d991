#!/bin/sh
# Tokens over HTTP, through both front ends: what goreg-admin prints and
# lists, bad, malformed, mismatched, expired and revoked tokens (401),
# read-only tokens (403 on writes, nothing changed), revocation taking
# effect on the very next request (on the same keep-alive connection too),
# and no token's plaintext anywhere in the store.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"

setup_store
P=/api/packages/acme/go/example.com/secret
PUB=/api/packages/pub/go/example.com/open

# ---- goreg-admin token add / list ----
out=$(admin "$R" token add bob --name "build box" 2>"$T/err")
ok $? "token add exits 0"
like "$out" '^goreg_[0-9a-f]{64}$' "token add prints the token alone, one line"
is "$(wc -c < "$T/err" | tr -d ' ')" 0 "  and nothing on stderr"
TOK_BOB2=$out
list=$(admin "$R" token list bob)
is "$(printf '%s\n' "$list" | wc -l | tr -d ' ')" 2 "token list bob: two tokens"
like "$list" '^[0-9a-f]{12} write [0-9T:-]+Z never build box$' "  id, scope, created, expiry, name"
case $list in *"${TOK_BOB2#goreg_}"*) r=1 ;; *) r=0 ;; esac
ok $r "  the list does not show the token"
like "$(admin "$R" token list alice)" ' read [0-9T:-]+Z never ci$' "alice's read-only token is listed as read"
admin "$R" token add nobody >/dev/null 2>&1
is $? 1 "token add for an unknown user exits 1"
admin "$R" token add bob --expires 0 >/dev/null 2>&1
is $? 2 "--expires 0 is a usage error"
admin "$R" token add bob --frobnicate >/dev/null 2>&1
is $? 2 "an unknown option is a usage error"

# expiry: tokens made at a pinned time, the server's clock pinned around it
NOW=1700000000
TOK_EXP=$(GOREG_NOW=$NOW admin "$R" token add bob --expires 1 --name short)
like "$(admin "$R" token list bob)" ' 2023-11-14T22:13:20Z 2023-11-15T22:13:20Z short$' "expiry is one day after creation"

start_httpd "$R" GOREG_NOW=$((NOW + 86399))
BASE_BEFORE=$BASE
start_httpd "$R" GOREG_NOW=$((NOW + 86400))
BASE_AFTER=$BASE
start_httpd "$R"

for FE in httpd cgi; do
	diag "front end: $FE"
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Bearer goreg_$(printf '%064d' 0)")
	is "$code" 401 "$FE: a well-formed unknown token is 401"
	is "$(hdr WWW-Authenticate)" 'Basic realm="goreg"' "$FE:   with the challenge"
	code=$(fetch $FE GET "$PUB/@v/list" "Authorization: Bearer goreg_$(printf '%064d' 0)")
	is "$code" 401 "$FE: a bad token is 401 even on a public owner"
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Bearer ${TOK_ALICE%?}")
	is "$code" 401 "$FE: a truncated token is 401"
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Basic $(b64 "alice:hunter2")")
	is "$code" 401 "$FE: a password is 401"
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Basic $(b64 "bob:$TOK_ALICE")")
	is "$code" 401 "$FE: Basic with another user's name and alice's token is 401"
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Basic !!notbase64")
	is "$code" 401 "$FE: malformed Basic is 401"
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Digest username=alice")
	is "$code" 401 "$FE: an unknown scheme is 401"
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Basic $(b64 "ALICE:$TOK_ALICE")")
	is "$code" 200 "$FE: the user name is case-insensitive"

	# expiry (the server's clock: one second before, then at expiry)
	if [ $FE = httpd ]; then
		BASE=$BASE_BEFORE
	else
		CGI_ENV=GOREG_NOW=$((NOW + 86399))
	fi
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Bearer $TOK_EXP")
	is "$code" 200 "$FE: a token one second before it expires is 200"
	if [ $FE = httpd ]; then
		BASE=$BASE_AFTER
	else
		CGI_ENV=GOREG_NOW=$((NOW + 86400))
	fi
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Bearer $TOK_EXP")
	is "$code" 401 "$FE: an expired token is 401"
	is "$(cat "$T/body")" "token expired" "$FE:   token expired"
	code=$(fetch $FE GET "$P/@v/list" "Authorization: Bearer $TOK_BOB")
	is "$code" 200 "$FE:   while a token without expiry still works then"
	if [ $FE = httpd ]; then
		start_httpd "$R"
	else
		CGI_ENV=
	fi

	# read-only tokens: reads yes, writes 403, nothing changed on disk
	code=$(fetch $FE GET "$P/@v/v1.0.0.zip" "Authorization: Bearer $TOK_ALICE_RO")
	is "$code" 200 "$FE: a read-only token reads"
	snapshot > "$T/before"
	code=$(BODY=$T/secret-v1.2.0.zip fetch $FE PUT /api/packages/acme/go/upload "Authorization: Bearer $TOK_ALICE_RO")
	is "$code" 403 "$FE: a read-only token uploading is 403"
	like "$(cat "$T/body")" 'read-only token' "$FE:   and says why"
	code=$(fetch $FE DELETE /api/v1/packages/acme/go/example.com%2Fsecret/v1.0.0 "Authorization: Bearer $TOK_ALICE_RO")
	is "$code" 403 "$FE: a read-only token deleting is 403"
	code=$(BODY=$T/secret-v1.2.0.zip fetch $FE PUT /api/packages/alice/go/upload "Private-Token: $TOK_ALICE_RO")
	is "$code" 403 "$FE: a read-only token uploading to its own namespace is 403"
	snapshot > "$T/after"
	cmp -s "$T/before" "$T/after"
	ok $? "$FE: the refused writes changed nothing under the store"

	# revocation: the next request already fails
	t=$(admin "$R" token add carol --name victim)
	code=$(fetch $FE GET "$PUB/@v/list" "Authorization: token $t")
	is "$code" 200 "$FE: a fresh token works"
	id=$(admin "$R" token list carol | awk '$NF == "victim" { print $1 }')
	admin "$R" token revoke carol "$id"
	ok $? "$FE: goreg-admin token revoke carol ID"
	code=$(fetch $FE GET "$PUB/@v/list" "Authorization: token $t")
	is "$code" 401 "$FE: the next request with it is 401"
	case $(admin "$R" token list carol) in *"$id"*) r=1 ;; *) r=0 ;; esac
	ok $r "$FE: the revoked token is gone from the list"
done

admin "$R" token revoke carol 0123456789ab 2>/dev/null
is $? 1 "revoking an unknown id exits 1"
id=$(admin "$R" token list bob | awk '$NF == "box" { print $1 }')
admin "$R" token revoke carol "$id" 2>/dev/null
is $? 1 "carol cannot revoke bob's token"

# revocation on one keep-alive connection: goreg-httpd serving a fifo,
# the token revoked between two requests on it
t=$(admin "$R" token add carol --name keepalive)
id=$(admin "$R" token list carol | awk '$NF == "keepalive" { print $1 }')
mkfifo "$T/in"
"$B/goreg-httpd" -r "$R" < "$T/in" > "$T/out" 2> "$T/conn.log" &
_pids="$_pids $!"
hpid=$!
exec 3> "$T/in"
req="GET $PUB/@v/list HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer $t\r\n\r\n"
printf %b "$req" >&3
i=0
while [ "$(grep -c '^HTTP/1.1 ' "$T/out")" -lt 1 ] && [ $i -lt 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
admin "$R" token revoke carol "$id"
printf %b "$req" >&3
exec 3>&-
wait "$hpid"
is "$(grep '^HTTP/1.1 ' "$T/out" | tr -d '\r' | tr '\n' ' ')" "HTTP/1.1 200 OK HTTP/1.1 401 Unauthorized " \
	"one connection: 200, revoke, then 401 on the next request"

# no token, used or not, revoked or not, is anywhere in the store: not in
# goreg.tdb, not in the audit log, not in any module's metadata
ALL="$TOK_ALICE $TOK_ALICE_RO $TOK_BOB $TOK_BOB2 $TOK_CAROL $TOK_PUB $TOK_EXP $t"
found=0
for tok in $ALL; do
	grep -rqaF -- "${tok#goreg_}" "$R" && found=1
done
is $found 0 "no token's plaintext in any file under the store"
diag "files searched: $(find "$R" -type f | wc -l | tr -d ' ')"
h=$(printf '%s' "$TOK_ALICE" | sha256sum | cut -d' ' -f1)
grep -qaF "$h" "$R/goreg.tdb"
ok $? "while the token's SHA-256 is in goreg.tdb (the search can find things)"
found=0
for tok in $ALL; do
	grep -qaF -- "${tok#goreg_}" "$HTTPD_LOG" "$T/cgi.err" "$T/conn.log" 2>/dev/null && found=1
done
is $found 0 "no token in the servers' logs either"

done_testing
