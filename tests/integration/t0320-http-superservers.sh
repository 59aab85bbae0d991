#!/bin/sh
# goreg-httpd under the classic super-servers, each started from the
# example config in etc/ (so the configs are tested, not just shipped):
#   (a) ucspi-tcp's tcpserver through etc/tcpserver/run: TCPREMOTEIP in the
#       access log, which goes to tcpserver's log, not to the client;
#   (b) xinetd -dontfork with etc/xinetd.d/goreg;
#   (c) inetd (openbsd-inetd or inetutils-inetd) -d with etc/inetd.conf.
# Under (x)inetd standard error is the connection itself, so goreg-httpd
# must log to syslog: every response stream must be clean HTTP/1.1
# (RFC 9112 section 6: a message is framed by its Content-Length; a stray
# log line would be read as the start of the next response).
# A sub-case whose package is not installed is skipped.  The Debian
# packages ucspi-tcp and xinetd install together; xinetd conflicts with
# openbsd-inetd and inetutils-inetd (all provide inet-superserver), so
# GOREG_INETD may name an inetd binary that is not installed as a package.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
ETC=$GOREG_TOP/etc

make_module "$T/src" example.com/hello
pack example.com/hello v1.0.0 "$T/src" "$T/hello.zip" || bail "goreg-pack failed"
M=example.com/hello
ME=$(id -un)
MYGROUP=$(id -gn)

# new_store NAME: a store $R of its own per server, user acme, token $TOKEN
new_store() {
	R=$T/$1
	admin "$R" user add acme >/dev/null || bail "goreg-admin user add failed"
	TOKEN=$(admin "$R" token add acme) || bail "goreg-admin token add failed"
}

# skip N REASON: N skipped tests, to keep the plan the same on every machine
skip() {
	_k=0
	while [ $_k -lt "$1" ]; do
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # skip $2"
		_k=$((_k + 1))
	done
}

# start_super NAME LOG CMD...: run a super-server in the background once
# its config names $PORT (the CMD is re-evaluated per try: a port found
# free can be taken before the server binds it).  Stopped at exit by
# lib.sh's cleanup.
start_super() {
	_name=$1
	_log=$2
	shift 2
	for _try in 1 2 3 4 5; do
		PORT=$(free_port)
		"$_name"_config
		"$@" >>"$_log" 2>&1 &
		_pid=$!
		if wait_port "$PORT" && kill -0 "$_pid" 2>/dev/null; then
			_pids="$_pids $_pid"
			BASE=http://127.0.0.1:$PORT
			U=$BASE/api/packages/acme/go
			return 0
		fi
		kill "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
	done
	bail "could not start $_name (see $_log)"
}

# exercise NAME: the same checks against whatever serves $BASE (8 tests)
NTESTS=8
exercise() {
	is "$(upload "$T/hello.zip")" 201 "$1: PUT upload with curl answers 201"
	# three URLs in one curl call: one connection, kept alive
	curl -sS --max-time 60 -w '%{http_code} %{num_connects}\n' \
		-o "$T/list" -o "$T/info" -o "$T/zip" \
		"$U/$M/@v/list" "$U/$M/@v/v1.0.0.info" "$U/$M/@v/v1.0.0.zip" > "$T/w"
	is "$(tr '\n' ' ' < "$T/w")" "200 1 200 0 200 0 " "$1: list, info and zip on one kept-alive connection"
	is "$(cat "$T/list")" v1.0.0 "$1: list"
	like "$(cat "$T/info")" '^\{"Version":"v1.0.0","Time":"[0-9T:Z-]{20}"\}$' "$1: info"
	cmp -s "$T/zip" "$T/hello.zip"
	ok $? "$1: the zip is the one uploaded"
	# pipelined: a 200, a 404 and a request-line that does not parse (400,
	# then close): each is logged, and none of the log may reach the client
	raws "send:GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: t\r\n\r\nGET /nothere HTTP/1.1\r\nHost: t\r\n\r\nBAD\r\n\r\n" \
		wait:20 > "$T/summary"
	is "$(cut -d' ' -f1 "$T/summary" | tr '\n' ' ')" "200 404 400 " "$1: three pipelined responses, framed"
	is "$(head -n 1 "$T/summary")" '200 v1.0.0\n' "$1: the first is the list, framed by its Content-Length"
	raw "send:GET /api/packages/acme/go/$M/@v/v1.0.0.info HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" \
		wait:20 > "$T/out"
	# after the head exactly the .info body, then the server's close
	sed '1,/^\r$/d' "$T/out" > "$T/outbody"
	! grep -q 'pid=' "$T/out" && ! grep -q junk: "$T/summary" && cmp -s "$T/outbody" "$T/info"
	ok $? "$1: nothing but HTTP in the responses (no access log line)"
}

# (a) ucspi-tcp tcpserver, through etc/tcpserver/run on 127.0.0.1
tcpserver_config() {
	sed -e "s|0\.0\.0\.0 8080|127.0.0.1 $PORT|" \
		-e "s|/usr/local/bin/|$B/|" -e "s|/var/lib/goreg|$R|" \
		-e 's/(id -\([ug]\) goreg)/(id -\1)/g' \
		"$ETC/tcpserver/run" > "$T/tcpserver-run"
	chmod +x "$T/tcpserver-run"
}
if command -v tcpserver >/dev/null 2>&1; then
	new_store tcpserver
	HTTPD_LOG=$T/tcpserver.log
	start_super tcpserver "$HTTPD_LOG" "$T/tcpserver-run"
	grep -q -- '-H -R -l0' "$T/tcpserver-run"
	ok $? "tcpserver: the run script does no DNS or ident lookups (-H -R -l0)"
	exercise tcpserver
	wait_log '^127\.0\.0\.1 "-" 400 [0-9]* pid=' &&
		wait_log "^127\\.0\\.0\\.1 \"GET /api/packages/acme/go/$M/@v/list HTTP/1.1\" 200 7 pid=[0-9]* req=1\$"
	ok $? "tcpserver: the access log goes to tcpserver's log, with TCPREMOTEIP"
else
	skip $((NTESTS + 2)) "tcpserver (Debian package ucspi-tcp) not installed"
fi

# (b) xinetd in the foreground, with etc/xinetd.d/goreg
xinetd_config() {
	sed -e "s|^\([[:space:]]*port[[:space:]]*=\).*|\1 $PORT\n\tbind\t\t= 127.0.0.1|" \
		-e "s|^\([[:space:]]*user[[:space:]]*=\).*|\1 $ME|" \
		-e "s|^\([[:space:]]*group[[:space:]]*=\).*|\1 $MYGROUP|" \
		-e "s|/usr/local/bin/|$B/|" -e "s|/var/lib/goreg|$R|" \
		-e "s|^\([[:space:]]*env[[:space:]]*=.*\)|\1 GOREG_ROOT=$R|" \
		"$ETC/xinetd.d/goreg" > "$T/xinetd.conf"
}
XINETD=$(command -v xinetd || { [ -x /usr/sbin/xinetd ] && echo /usr/sbin/xinetd; })
if [ -n "$XINETD" ]; then
	new_store xinetd
	start_super xinetd "$T/xinetd.log" "$XINETD" -dontfork -f "$T/xinetd.conf" \
		-pidfile "$T/xinetd.pid" -filelog "$T/xinetd.log"
	grep -q "^[[:space:]]*server_args[[:space:]]*= -r $R\$" "$T/xinetd.conf"
	ok $? "xinetd: the generated config names the store"
	exercise xinetd
else
	skip $((NTESTS + 1)) "xinetd (Debian package xinetd) not installed"
fi

# (c) inetd -d (debug: stays in the foreground), with the line of etc/inetd.conf
inetd_config() {
	# fields: service socket-type protocol wait user server argv...
	grep -v '^#' "$ETC/inetd.conf" | grep . |
		awk -v a="127.0.0.1:$PORT" -v u="$ME" -v b="$B" -v r="$R" \
			'{ $1 = a; $5 = u; sub("^/usr/local/bin", b, $6); sub("^/var/lib/goreg$", r, $NF); print }' \
		> "$T/inetd.conf"
}
INETD=${GOREG_INETD:-$(command -v inetd || { [ -x /usr/sbin/inetd ] && echo /usr/sbin/inetd; })}
if [ -n "$INETD" ]; then
	new_store inetd
	start_super inetd "$T/inetd.log" "$INETD" -d "$T/inetd.conf"
	grep -q "^127\.0\.0\.1:$PORT stream tcp nowait\.400 $ME $B/goreg-httpd goreg-httpd -r $R\$" "$T/inetd.conf"
	ok $? "inetd: the generated line keeps the example's fields"
	exercise inetd
else
	skip $((NTESTS + 1)) "inetd (Debian package openbsd-inetd or inetutils-inetd) not installed"
fi
done_testing
