#!/bin/sh
# goreg-httpd and goreg.cgi limit themselves (goreg-httpd(8), goreg.cgi(8)):
# a running one has no_new_privs and the seccomp filter on (GOREG_SECCOMP=0
# turns the filter off), and its resource limits sized to the job: files
# and address space for the largest upload, CPU time of PROG_CPU_SECS for a
# request without a body and PROG_CPU_BODY_SECS for one with, set again at
# each request of a connection; with an upstream, no filter (goreg-fetch
# would inherit it).  What the filter refuses (EPERM, a log line)
# is tests/unit/t-prog.c's; that everything goreg does passes it is the
# whole HTTP test suite's, which runs with the filter on.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry

# the limits.h values the limits come from
val() { sed -n "s/^#define $1 *\\([0-9]*\\).*/\\1/p" "$GOREG_TOP/lib/base/limits.h"; }
CPU=$(val PROG_CPU_SECS)
BODY=$(val PROG_CPU_BODY_SECS)
CONN=$(val PROG_CPU_CONN_SECS)
GRACE=$(val PROG_CPU_GRACE_SECS)
FSIZE=$((2 * 500 * 1024 * 1024))
AS=$((8 * 64 * 1024 * 1024))
grep -q '^#define PROG_FSIZE_MAX *(2 \* MODZIP_MAX_ZIP)' "$GOREG_TOP/lib/base/limits.h" &&
	grep -q '^#define PROG_AS_MAX *(8 \* MODZIP_MAX_CDIR)' "$GOREG_TOP/lib/base/limits.h" &&
	grep -q '^#define MODZIP_MAX_ZIP *(500LL << 20)' "$GOREG_TOP/lib/base/limits.h" &&
	grep -q '^#define MODZIP_MAX_CDIR *(64LL << 20)' "$GOREG_TOP/lib/base/limits.h"
ok $? "limits.h still says what this test expects"

# child PID: the one child process of PID (a super-server's or a shell's), 5 s at most
child() {
	_i=0
	while [ $_i -lt 100 ]; do
		c=$(cat /proc/"$1"/task/*/children 2>/dev/null | tr -d ' ')
		[ -n "$c" ] && { echo "$c"; return 0; }
		sleep 0.05
		_i=$((_i + 1))
	done
	return 1
}
status() { sed -n "s/^$2:[[:space:]]*//p" /proc/"$1"/status; }
# limit PID NAME [WANT]: "soft hard" of a line of /proc/PID/limits (once it
# is WANT, if given, or 5 s have passed)
limit() {
	_i=0
	while :; do
		_l=$(grep "^Max $2 " /proc/"$1"/limits | awk '{ print $(NF-2), $(NF-1) }')
		[ -z "${3:-}" ] || [ "$_l" = "$3" ] || [ $_i -ge 100 ] || { sleep 0.05; _i=$((_i + 1)); continue; }
		echo "$_l"
		return
	done
}

start_httpd "$R"
sa=$_pid
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"
i=0
while [ $i -lt 100 ] && [ -n "$(cat /proc/"$sa"/task/*/children)" ]; do
	sleep 0.05 # (until the upload's goreg-httpd is gone)
	i=$((i + 1))
done
LIST="GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: t\r\n"
# a connection held open: a request answered, then a PUT whose body is late
PUT="PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic $AUTH\r\nContent-Length: 5\r\n\r\n"
raw "send:$LIST\r\n" head:5 sleep:2 "send:$PUT" sleep:3 "send:01234" head:5 \
	"send:${LIST}Connection: close\r\n\r\n" wait:5 > "$T/out" &
rp=$!
h=$(child "$sa")
ok $? "goreg-httpd started (pid $h)"
want="$((CPU + 1)) $((CONN + GRACE))"
is "$(limit "$h" 'cpu time' "$want")" "$want" \
	"RLIMIT_CPU after a GET: $CPU s more than used, within the connection's $CONN s"
is "$(status "$h" NoNewPrivs)" 1 "NoNewPrivs: 1"
is "$(status "$h" Seccomp)" 2 "Seccomp: 2 (a filter)"
is "$(limit "$h" 'file size')" "$FSIZE $FSIZE" "RLIMIT_FSIZE: the largest upload twice over"
is "$(limit "$h" 'address space')" "$AS $AS" "RLIMIT_AS: PROG_AS_MAX"
want="$((BODY + 1)) $((CONN + GRACE))"
is "$(limit "$h" 'cpu time' "$want")" "$want" "while a PUT's body comes: $BODY s"
wait $rp
is "$(statuses < "$T/out")" "200 400 200" "the connection's answers (the 5-byte body is no zip)"
like "$(grep -c refused "$HTTPD_LOG")" '^0$' "nothing refused by the filter"

start_httpd "$R" GOREG_SECCOMP=0
raw "send:$LIST\r\n" head:5 sleep:1.5 > /dev/null &
rp=$!
h=$(child "$_pid")
is "$(limit "$h" 'file size' "$FSIZE $FSIZE")" "$FSIZE $FSIZE" "GOREG_SECCOMP=0: still the limits"
is "$(status "$h" NoNewPrivs)" 1 "still NoNewPrivs"
is "$(status "$h" Seccomp)" 0 "but no filter"
wait $rp

# goreg.cgi, a PUT whose body is late: the limits of one upload
(sleep 2; printf 01234) | env -i GOREG_ROOT="$R" GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD=PUT \
	REQUEST_URI=/api/packages/acme/go/upload CONTENT_LENGTH=5 HTTP_AUTHORIZATION="Basic $AUTH" \
	"$B/goreg.cgi" > "$T/cgi.out" 2> "$T/cgi.err" &
c=$! # (a pipeline's last command: goreg.cgi, once env has run it)
want="$BODY $((BODY + GRACE))"
is "$(limit "$c" 'cpu time' "$want")" "$want" "goreg.cgi, an upload: RLIMIT_CPU $BODY s"
is "$(cat /proc/"$c"/comm)" goreg.cgi "goreg.cgi running"
is "$(status "$c" Seccomp)" 2 "goreg.cgi: Seccomp: 2"
is "$(status "$c" NoNewPrivs)" 1 "goreg.cgi: NoNewPrivs: 1"
is "$(limit "$c" 'address space')" "$AS $AS" "goreg.cgi: RLIMIT_AS"
wait $c
is "$(head -n 1 "$T/cgi.out" | tr -d '\r')" "Status: 400 Bad Request" "goreg.cgi answered"
is "$(cat "$T/cgi.err")" "" "and refused nothing"

# an owner with an upstream: a miss runs goreg-fetch, which would inherit
# the filter across execve and get no socket under it; so no filter then,
# and a GET has the budget of an upload (goreg-fetch inherits that too)
admin "$R" upstream set acme http://127.0.0.1:9/ || bail "goreg-admin upstream set failed"
start_httpd "$R"
raw "send:$LIST\r\n" head:5 sleep:1.5 > /dev/null &
rp=$!
h=$(child "$_pid")
want="$((BODY + 1)) $((CONN + GRACE))"
is "$(limit "$h" 'cpu time' "$want")" "$want" "an owner with an upstream: a GET gets $BODY s"
is "$(status "$h" NoNewPrivs)" 1 "NoNewPrivs: 1"
is "$(status "$h" Seccomp)" 0 "and no filter"
wait $rp
done_testing
