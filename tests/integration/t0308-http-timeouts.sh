#!/bin/sh
# Timeouts (GOREG_READ_TIMEOUT, GOREG_IDLE_TIMEOUT, GOREG_WRITE_TIMEOUT set
# to 1 s here so the test runs fast): a client that sends its head or body
# too slowly gets 408 and the connection closed; one that stops reading
# its answer is cut off; an idle one is closed without an answer.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
make_module "$T/big" example.com/big
head -c 12000000 /dev/urandom > "$T/big/blob.bin"
pack example.com/big v1.0.0 "$T/big" "$T/big.zip"
make_module "$T/mid" example.com/mid
head -c 12000 /dev/urandom > "$T/mid/blob.bin"
pack example.com/mid v1.0.0 "$T/mid" "$T/mid.zip"
start_httpd "$R" GOREG_READ_TIMEOUT=1 GOREG_IDLE_TIMEOUT=1 GOREG_WRITE_TIMEOUT=1
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"
is "$(upload "$T/big.zip")" 201 "a 12 MB module uploaded"
is "$(upload "$T/mid.zip")" 201 "a 12 KB module uploaded"

# slowloris: header lines trickling in, each well within a read timeout,
# the head as a whole not
set -- "send:GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\n"
for i in $(seq 1 12); do set -- "$@" sleep:0.25 "send:X-Slow-$i: 1\r\n"; done
raw "$@" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 408 "a head trickling in a line every 0.25 s: 408"
grep -q '^Connection: close' "$T/out"
ok $? "408: Connection: close"
raw "send:GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: t\r\n" wait:10 > "$T/out"
ok $? "a head that stops: the server closes"
is "$(statuses < "$T/out")" 408 "with 408"
is "$(tr -d '\r' < "$T/out" | tail -n 1)" "request head too slow" "408 says why"

# a body that stops coming
len=$(wc -c < "$T/hello11.zip")
head -c 100 "$T/hello11.zip" > "$T/part"
PUT="PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic $AUTH\r\n"
raw "send:${PUT}Content-Length: $len\r\n\r\n" "sendfile:$T/part" wait:10 > "$T/out"
ok $? "a Content-Length body that stops: the server closes"
is "$(statuses < "$T/out")" 408 "with 408"
raw "send:${PUT}Transfer-Encoding: chunked\r\n\r\n100\r\n" "sendfile:$T/part" wait:10 > "$T/out"
is "$(statuses < "$T/out")" 408 "a chunked body that stops: 408"
http "$U/$M/@v/list" >/dev/null
is "$(cat "$T/body")" v1.0.0 "nothing stored from the slow bodies"
spool_empty
ok $? "nothing left in the spool directory"

# idle: closed without a word
raw wait:10 > "$T/out"
ok $? "a connection with no request: closed"
is "$(wc -c < "$T/out" | tr -d ' ')" 0 "without an answer"

# a client that asks for 12 MB and reads nothing: the write gives up
RAWHTTP_RCVBUF=4096 raw "send:GET /api/packages/acme/go/example.com/big/@v/v1.0.0.zip HTTP/1.1\r\nHost: t\r\n\r\n" sleep:3 wait:5 > "$T/out" &
rpid=$!
i=0
while [ $i -lt 30 ] && ! grep -q 'big/@v/v1.0.0.zip HTTP/1.1" 200' "$HTTPD_LOG"; do
	sleep 0.1
	i=$((i + 1))
done
kill -0 $rpid 2>/dev/null
ok $? "the client is still there, not reading ..."
grep -q 'big/@v/v1.0.0.zip HTTP/1.1" 200' "$HTTPD_LOG"
ok $? "... when goreg-httpd has given up writing and logged the request"
wait $rpid
got=$(wc -c < "$T/out" | tr -d ' ')
ok $((got >= 12000000)) "the client got a cut answer ($got bytes)"

# the same with answers small enough to leave with their head in one
# write (not sendfile): 1000 pipelined GETs of a 12 KB zip, 12 MB of
# answers, and a client that reads none for 3 s.  goreg-httpd's socket
# is a blocking one (its idle wait is a read the kernel times out), so
# only a write that cannot block gives up after the write timeout.
RAWHTTP_RCVBUF=4096 raw "repeat:1000:GET /api/packages/acme/go/example.com/mid/@v/v1.0.0.zip HTTP/1.1\r\nHost: t\r\n\r\n" \
	sleep:3 wait:5 > "$T/out"
n=$(grep -a -o 'HTTP/1.1 200 OK' "$T/out" | wc -l | tr -d ' ')
ok $((n >= 1000)) "the client did not get all 1000 answers ($n)"
done_testing
