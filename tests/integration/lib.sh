# Shared helpers for the integration tests (TAP producers in sh).
# Source it first:  . "$(dirname "$0")/lib.sh"
#
# Gives: a scratch dir $T (removed at exit), $B (release binaries), TAP
# functions, a goreg-httpd under systemd-socket-activate on a free
# 127.0.0.1 port, module source trees, and a go command environment that
# touches nothing outside $T.
set -u
GOREG_TOP=${GOREG_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
B=${GOREG_BIN:-$GOREG_TOP/bin}
T=$(mktemp -d "${TMPDIR:-/tmp}/goreg-test.XXXXXX")
_tap_n=0
_tap_fail=0
_pids=""

cleanup() {
	for p in $_pids; do
		kill "$p" 2>/dev/null
	done
	for p in $_pids; do
		wait "$p" 2>/dev/null
	done
	# the go module cache is read-only on purpose
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

ok() { # ok CONDITION-EXIT-STATUS DESCRIPTION  (use: cmd; ok $? "desc")
	_tap_n=$((_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_tap_n - $2"
	else
		echo "not ok $_tap_n - $2"
		_tap_fail=$((_tap_fail + 1))
	fi
}

is() { # is GOT WANT DESCRIPTION
	_tap_n=$((_tap_n + 1))
	if [ "$1" = "$2" ]; then
		echo "ok $_tap_n - $3"
	else
		echo "not ok $_tap_n - $3"
		printf '#          got: %s\n#     expected: %s\n' "$1" "$2" | head -n 20
		_tap_fail=$((_tap_fail + 1))
	fi
}

like() { # like GOT EXTENDED-REGEX DESCRIPTION
	_tap_n=$((_tap_n + 1))
	if printf '%s' "$1" | grep -Eq -- "$2"; then
		echo "ok $_tap_n - $3"
	else
		echo "not ok $_tap_n - $3"
		printf '#          got: %s\n#  should match: %s\n' "$1" "$2" | head -n 20
		_tap_fail=$((_tap_fail + 1))
	fi
}

diag() { printf '# %s\n' "$*"; }

skip_all() { echo "1..0 # SKIP $*"; exit 0; }

bail() { echo "Bail out! $*"; exit 1; }

done_testing() {
	echo "1..$_tap_n"
	[ "$_tap_fail" -eq 0 ]
	exit $?
}

# free_port: a TCP port on 127.0.0.1 that no socket uses now, below the
# kernel's range for the local ends of outgoing connections
# (ip_local_port_range), where one of the tests' own connections could
# take the port between this check and the server's bind
free_port() {
	lo=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null)
	[ "${lo:-0}" -ge 12000 ] 2>/dev/null || lo=50000
	while :; do
		p=$(( (($$ * 7919) + $(od -An -N2 -tu2 /dev/urandom)) % (lo - 10000) + 10000 ))
		if ! ss -Htan "sport = :$p" 2>/dev/null | grep -q .; then
			echo "$p"
			return
		fi
	done
}

wait_port() { # wait_port PORT: until something accepts there (5 s)
	i=0
	while [ $i -lt 100 ]; do
		if ss -Htln "sport = :$1" 2>/dev/null | grep -q .; then
			return 0
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# start_httpd ROOT [ENV=VALUE...]: goreg-httpd under systemd-socket-activate
# (one process per connection, --inetd: the socket is stdin/stdout).
# Sets PORT, BASE (http://127.0.0.1:PORT) and HTTPD_LOG.
start_httpd() {
	root=$1
	shift
	HTTPD_LOG=$T/httpd.log
	# "-E NAME=VALUE" for each setting, values kept whole (spaces and all)
	n=$#
	for e in "$@" "GOREG_ROOT=$root"; do
		set -- "$@" -E "$e"
	done
	shift "$n"
	for _try in 1 2 3 4 5; do
		PORT=$(free_port)
		systemd-socket-activate --inetd -a -l "127.0.0.1:$PORT" "$@" "$B/goreg-httpd" \
			>>"$HTTPD_LOG" 2>&1 &
		_pid=$!
		if wait_port "$PORT" && kill -0 "$_pid" 2>/dev/null; then
			_pids="$_pids $_pid"
			BASE=http://127.0.0.1:$PORT
			return 0
		fi
		kill "$_pid" 2>/dev/null
		wait "$_pid" 2>/dev/null
	done
	bail "could not start goreg-httpd (see $HTTPD_LOG)"
}

# racer OUT CMD...: CMD in the background, started when the starting gun
# ($T/go, made by fire) goes off, its standard output to OUT; its pid is
# added to $racers.  fire: the gun, then wait for every racer.
racer() {
	_out=$1
	shift
	(
		while [ ! -e "$T/go" ]; do sleep 0.01; done
		"$@" > "$_out"
	) &
	racers="${racers:-} $!"
}
fire() {
	touch "$T/go"
	for _p in ${racers:-}; do wait "$_p"; done
	racers=
	rm -f "$T/go"
}

# make_module DIR MODULE [PACKAGE-NAME]: a tiny module source tree
make_module() {
	mkdir -p "$1/sub"
	printf 'module %s\n\ngo 1.19\n' "$2" > "$1/go.mod"
	pkg=${3:-hello}
	cat > "$1/$pkg.go" <<GO
// Package $pkg is a test module for goreg.
package $pkg

// Hello greets.
func Hello() string { return "hello from $2" }
GO
	cat > "$1/sub/sub.go" <<GO
package sub

// Answer is the answer.
const Answer = 42
GO
	printf 'MIT-style test licence\n' > "$1/LICENSE"
}

# pack MODULE VERSION DIR OUT: a module zip made by goreg-pack
pack() {
	"$B/goreg-pack" -o "$4" "$1" "$2" "$3"
}

# go_env: run the go command hermetically inside $T
go_env() {
	mkdir -p "$T/gopath" "$T/gocache" "$T/home"
	env HOME="$T/home" GOPATH="$T/gopath" GOMODCACHE="$T/gopath/pkg/mod" GOCACHE="$T/gocache" \
		GOENV=off GOFLAGS=-mod=mod GO111MODULE=on GOTOOLCHAIN=local GONOSUMDB='*' \
		GOPRIVATE= GONOPROXY= GOINSECURE= CGO_ENABLED=0 "$@"
}

# go_oracle NAME: build tests/oracle/NAME (GOPATH mode, Debian's x/mod)
# into $T/NAME; skips the test without the go command or x/mod
go_oracle() {
	command -v go >/dev/null 2>&1 || skip_all "no go command"
	[ -d /usr/share/gocode/src/golang.org/x/mod/sumdb ] || skip_all "no golang-golang-x-mod-dev"
	(cd "$GOREG_TOP" && env HOME="$T/home" GOCACHE="$T/gocache" GOPATH="$T/oracle-gopath:/usr/share/gocode" \
		GO111MODULE=off GOFLAGS= GOTOOLCHAIN=local CGO_ENABLED=0 go build -o "$T/$1" "./tests/oracle/$1") ||
		bail "could not build tests/oracle/$1"
}

# store_snap: every file under $R with its SHA-256, in a stable order, to
# show that a refused request changed nothing on disk; but refusals.tdb,
# the counts of refused writes for /metrics: the one file a refused
# request writes (goreg-store(5); t0021 and t1201 check the counts)
store_snap() {
	(cd "$R" && find . -type f ! -path ./refusals.tdb -print0 | LC_ALL=C sort -z | xargs -0 -r sha256sum)
}

# admin ROOT ARGS...: goreg-admin on a store
admin() {
	r=$1
	shift
	"$B/goreg-admin" -r "$r" "$@"
}

# http_status: curl's status code for a request, body to $T/body
http() {
	# a hung server fails the test instead of stalling the run
	curl -sS --max-time 60 -o "$T/body" -w '%{http_code}' "$@"
}

# start_nginx: nginx in the foreground (one process, stopped at exit) on
# two free 127.0.0.1 ports, NPORT and NPORT2; the test defines
# nginx_server, which prints the lines of the one server block and may
# listen on either port (nginx opens all before it answers on any).
# Its files, error.log and access.log among them, are under $T/nginx.
start_nginx() {
	mkdir -p "$T/nginx/tmp"
	for _try in 1 2 3 4 5; do
		NPORT=$(free_port)
		NPORT2=$(free_port)
		[ "$NPORT" != "$NPORT2" ] || continue
		{
			cat <<CONF
daemon off;
master_process off;
pid $T/nginx/nginx.pid;
error_log $T/nginx/error.log;
events { worker_connections 64; }
http {
	access_log $T/nginx/access.log;
	client_body_temp_path $T/nginx/tmp/body;
	fastcgi_temp_path $T/nginx/tmp/fastcgi;
	proxy_temp_path $T/nginx/tmp/proxy;
	uwsgi_temp_path $T/nginx/tmp/uwsgi;
	scgi_temp_path $T/nginx/tmp/scgi;
	server {
CONF
			nginx_server | sed 's/^/\t\t/'
			printf '\t}\n}\n'
		} > "$T/nginx/nginx.conf"
		nginx -p "$T/nginx" -e "$T/nginx/error.log" -c "$T/nginx/nginx.conf" </dev/null >>"$T/nginx/error.log" 2>&1 &
		_npid=$!
		if wait_port "$NPORT" && kill -0 "$_npid" 2>/dev/null; then
			_pids="$_pids $_npid"
			return 0
		fi
		kill "$_npid" 2>/dev/null
		wait "$_npid" 2>/dev/null
	done
	bail "could not start nginx (see $T/nginx/error.log)"
}

# start_lighttpd_cgi ROOT: lighttpd (stopped at exit) on a free 127.0.0.1
# port with goreg.cgi on store ROOT, configured as etc/lighttpd/goreg.conf
# ships it (the root's /api/, pages and operators' paths) and mounted as
# /cgi-bin/goreg.cgi too; sets LPORT and L (its URL)
start_lighttpd_cgi() {
	mkdir -p "$T/www" "$T/cgi-bin"
	cp "$B/goreg.cgi" "$T/cgi-bin/goreg.cgi"
	sed -e "s|/usr/local/bin/goreg.cgi|$T/cgi-bin/goreg.cgi|g" -e "s|/var/lib/goreg|$1|" \
		"$GOREG_TOP/etc/lighttpd/goreg.conf" > "$T/goreg.conf"
	for _try in 1 2 3 4 5; do
		LPORT=$(free_port)
		cat > "$T/lighttpd.conf" <<CONF
server.document-root = "$T/www"
server.bind = "127.0.0.1"
server.port = $LPORT
server.errorlog = "$T/lighttpd.err"
include "$T/goreg.conf"
alias.url += ("/cgi-bin/" => "$T/cgi-bin/")
\$HTTP["url"] =~ "^/cgi-bin/" {
	cgi.assign = (".cgi" => "")
	setenv.add-environment = ("GOREG_ROOT" => "$1")
}
CONF
		lighttpd -D -f "$T/lighttpd.conf" 2>>"$T/lighttpd.err" &
		_lpid=$!
		if wait_port "$LPORT" && kill -0 $_lpid 2>/dev/null; then
			_pids="$_pids $_lpid"
			L=http://127.0.0.1:$LPORT
			return 0
		fi
		kill $_lpid 2>/dev/null
		wait $_lpid 2>/dev/null
	done
	bail "could not start lighttpd (see $T/lighttpd.err)"
}
