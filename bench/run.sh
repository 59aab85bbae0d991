#!/bin/sh
# make bench: goreg side by side with its peers, one run, one machine, one
# store, loopback; prints a table of ratios and writes it to
# bench/results.md (BENCH_OUT to write elsewhere).  Bounded: about 5
# minutes (BENCH_SECS per wrk run, BENCH_ROUNDS rounds of each pair), and
# the cost growth below.
#
# Peers, each serving the same per-owner tree of the store:
#   goreg   goreg-httpd under systemd-socket-activate (a process per connection)
#   nginx   the tree as static files (every answer checked to be 200)
#   floor   a fixed-response C program under the same activator (built here)
#   go      Go's net/http FileServer (a tiny program, GOPATH mode)
#   x/mod   CheckZip + HashZip of golang.org/x/mod for an upload's checks
#           (100 MB zips of random bytes and of Go source; a zip of 5000
#           small Go files)
# Then the cost growth: a module with 10, 1000 and 10 000 versions (@v/list,
# @latest, one more upload), an owner with 10 and 10 000 modules
# (BENCH_CURVE=N for another largest size; 0 leaves it out; it adds about
# three minutes).
# Rates are from wrk -t1 -c8: compare ratios in one run, never absolute
# numbers across runs or machines.  Needs the bench packages of
# mk/packages (make bench-deps).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=${GOREG_BIN:-$top/bin}
OUT=${BENCH_OUT:-$top/bench/results.md}
SECS=${BENCH_SECS:-4}
ROUNDS=${BENCH_ROUNDS:-2}
for t in wrk /usr/bin/time systemd-socket-activate nginx go strace cc curl; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: needs $t (make bench-deps)" >&2; exit 1; }
done
XMOD=/usr/share/gocode/src/golang.org/x/mod/zip/zip.go
[ -f "$XMOD" ] || { echo "bench: needs $XMOD (make bench-deps)" >&2; exit 1; }
T=$(mktemp -d /tmp/goreg-bench.XXXXXX)
chmod 755 "$T"
pids=
trap 'for p in $pids; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT
R=$T/store
base=$((20000 + $$ % 20000))
P_GOREG=$base P_NGINX=$((base + 1)) P_FLOOR=$((base + 2)) P_GO=$((base + 3)) P_UP=$((base + 4))
P_NGLOG=$((base + 6))
note() { printf '%s\n' "$*" >&2; }

# ---- the store: several owners, a few hundred versions, zips of 1 KB and 100 MB ----
make_store() {
	note "bench: making the store"
	for o in bench alpha beta gamma; do "$B/goreg-admin" -r "$R" user add $o; done
	mkdir -p "$T/src/small" "$T/src/big"
	printf 'module example.com/small\n' > "$T/src/small/go.mod"
	head -c 700 /dev/urandom | od -An -tx1 | tr -d ' \n' | sed 's/^/package small\n\/\/ /' > "$T/src/small/small.go"
	printf 'module example.com/big\n' > "$T/src/big/go.mod"
	printf 'package big\n' > "$T/src/big/big.go"
	head -c $((100 << 20)) /dev/urandom > "$T/src/big/blob.bin"
	"$B/goreg-pack" -o "$T/big.zip" example.com/big v1.0.0 "$T/src/big"
	for o in bench alpha beta gamma; do
		for m in 1 2 3; do
			mkdir -p "$T/src/m$m"
			printf 'module example.com/m%s\n' $m > "$T/src/m$m/go.mod"
			printf 'package m%s\n' $m > "$T/src/m$m/m.go"
			for v in $(seq 0 19); do
				"$B/goreg-pack" -o "$T/z.zip" example.com/m$m v1.$v.0 "$T/src/m$m"
				"$B/goreg-upload" -r "$R" $o "$T/z.zip" 2>/dev/null
			done
		done
	done
	"$B/goreg-pack" -o "$T/small.zip" example.com/small v1.0.0 "$T/src/small"
	"$B/goreg-upload" -r "$R" bench "$T/small.zip" 2>/dev/null
	"$B/goreg-upload" -r "$R" bench "$T/big.zip" 2>/dev/null
}

# ---- the peers ----
start_goreg() {
	systemd-socket-activate --inetd -a -l 127.0.0.1:$P_GOREG -E GOREG_ROOT="$R" "$B/goreg-httpd" 2>/dev/null &
	pids="$pids $!"
	echo "$P_GOREG $!" >> "$T/servers"
}

start_nginx() {
	mkdir -p "$T/nginx/tmp"
	cat > "$T/nginx/nginx.conf" <<CONF
daemon off; worker_processes auto; user $(id -un) $(id -gn);
pid $T/nginx/pid; error_log $T/nginx/error.log;
events { worker_connections 256; }
http { access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  client_body_temp_path $T/nginx/tmp; proxy_temp_path $T/nginx/tmp;
  fastcgi_temp_path $T/nginx/tmp; uwsgi_temp_path $T/nginx/tmp; scgi_temp_path $T/nginx/tmp;
  server { listen 127.0.0.1:$P_NGINX; location /api/packages/bench/go/ { alias $R/bench/; } }
  server { listen 127.0.0.1:$P_NGLOG; access_log /dev/null;
    location /api/packages/bench/go/ { alias $R/bench/; } }
  server { listen 127.0.0.1:$P_UP; root $T/up; } }
CONF
	nginx -p "$T/nginx" -c "$T/nginx/nginx.conf" </dev/null >/dev/null 2>&1 &
	pids="$pids $!"
	printf '%s\n' "$P_NGINX $!" "$P_NGLOG $!" >> "$T/servers"
}

# The floor: what a process under the activator costs with no work at
# all: read a request head, write a fixed .info-sized answer, repeat.
start_floor() {
	cat > "$T/floor.c" <<'C'
#include <string.h>
#include <unistd.h>
static const char rep[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 51\r\n\r\n"
	"{\"Version\":\"v1.0.0\",\"Time\":\"2026-01-01T00:00:00Z\"}\n";
static const char repc[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 51\r\n"
	"Connection: close\r\n\r\n{\"Version\":\"v1.0.0\",\"Time\":\"2026-01-01T00:00:00Z\"}\n";
int main(void)
{
	char b[16384];
	size_t n = 0;
	for (;;) {
		ssize_t r = read(0, b + n, sizeof b - 1 - n);
		if (r <= 0)
			return 0;
		n += (size_t)r;
		b[n] = 0;
		char *e;
		while ((e = strstr(b, "\r\n\r\n"))) {
			int close_ = strstr(b, "Connection: close") && strstr(b, "Connection: close") < e;
			if (close_ ? write(1, repc, sizeof repc - 1) < 0 : write(1, rep, sizeof rep - 1) < 0)
				return 0;
			if (close_)
				return 0;
			n -= (size_t)(e + 4 - b);
			memmove(b, e + 4, n + 1);
		}
	}
}
C
	cc -O2 -o "$T/floor" "$T/floor.c"
	systemd-socket-activate --inetd -a -l 127.0.0.1:$P_FLOOR "$T/floor" 2>/dev/null &
	pids="$pids $!"
	echo "$P_FLOOR $!" >> "$T/servers"
}

start_go() {
	mkdir -p "$T/gopath/src/fileserver"
	cat > "$T/gopath/src/fileserver/main.go" <<GO
package main

import (
	"log"
	"net/http"
)

func main() {
	fs := http.StripPrefix("/api/packages/bench/go/", http.FileServer(http.Dir("$R/bench")))
	log.Fatal(http.ListenAndServe("127.0.0.1:$P_GO", fs))
}
GO
	(cd "$T/gopath/src/fileserver" && GO111MODULE=off GOPATH="$T/gopath" go build -o "$T/fileserver" .)
	"$T/fileserver" 2>/dev/null &
	pids="$pids $!"
	echo "$P_GO $!" >> "$T/servers"
}

# ---- measuring ----
U=/api/packages/bench/go/example.com
INFO=$U/small/@v/v1.0.0.info MOD=$U/small/@v/v1.0.0.mod ZIP=$U/small/@v/v1.0.0.zip
LIST=$U/m1/@v/list LATEST=$U/m1/@latest BIGZIP=$U/big/@v/v1.0.0.zip

# must answer 200, or the peer is not doing the work
check200() {
	c=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1$2")
	[ "$c" = 200 ] || { note "bench: 127.0.0.1:$1$2 answered $c, not 200"; exit 1; }
}

# The CPU time (user and system, in clock ticks) the server on port $1 has
# used: its first process's own, that of the children it has waited for
# (goreg-httpd under the activator), and that of its live children (nginx's
# workers, connections still open).  From /proc/PID/stat (proc(5): fields
# 4 ppid, 14-17 utime, stime, cutime, cstime).
HZ=$(getconf CLK_TCK)
server_ticks() {
	sp=$(awk -v p="$1" '$1 == p { print $2 }' "$T/servers")
	cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$sp" '{
		pid = $1
		sub(/^.*\) /, "")      # after "pid (comm) ", field 1 is field 3
		if (pid == root) t += $12 + $13 + $14 + $15
		else if ($2 == root) t += $12 + $13
	} END { print t + 0 }'
}

# wrk rate (req/s) of port $1 path $2, extra wrk args after; fails on a
# non-2xx answer.  The server's CPU time per request (µs) goes to $T/cpu.
rate() {
	port=$1 path=$2
	shift 2
	check200 "$port" "$path"
	c0=$(server_ticks "$port")
	out=$(wrk -t1 -c8 -d${SECS}s "$@" "http://127.0.0.1:$port$path")
	sleep 0.3 # the connections' processes end and are waited for
	c1=$(server_ticks "$port")
	if printf '%s\n' "$out" | grep -q 'Non-2xx'; then
		note "bench: $port$path: $(printf '%s\n' "$out" | grep Non-2xx)"
		exit 1
	fi
	n=$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')
	echo "scale=2; ($c1 - $c0) * 1000000 / $HZ / $n" | bc > "$T/cpu"
	printf '%s\n' "$out" | awk '/Requests\/sec/ { printf "%d", $2 }'
}

# a / b to two decimals
ratio() {
	printf '%.2f' "$(echo "scale=4; $1 / $2" | bc)"
}

ROWS=$T/rows
: > "$ROWS"
# row: what, goreg's rate, peer name, peer's rate, ratio|target, and the
# servers' CPU per request (or -)
row() {
	printf '%s|%s|%s|%s|%s|%s\n' "$1" "$2" "$3" "$4" "$5" "${6:--}" >> "$ROWS"
}

# the mean of the rounds' rates and the range of their ratios to a peer
# compare WHAT PATH TARGET PEERNAME PEERPORT [wrk args]
compare() {
	what=$1 path=$2 target=$3 pname=$4 pport=$5
	shift 5
	g=0 p=0 lo= hi= gc=0 pc=0
	for i in $(seq 1 "$ROUNDS"); do
		a=$(rate $P_GOREG "$path" "$@")
		gc=$(echo "$gc + $(cat "$T/cpu")" | bc)
		b=$(rate "$pport" "$path" "$@")
		pc=$(echo "$pc + $(cat "$T/cpu")" | bc)
		g=$((g + a)) p=$((p + b))
		r=$(ratio "$a" "$b")
		[ -z "$lo" ] || [ "$(echo "$r < $lo" | bc)" = 1 ] && lo=$r
		[ -z "$hi" ] || [ "$(echo "$r > $hi" | bc)" = 1 ] && hi=$r
	done
	rng=$lo
	[ "$lo" = "$hi" ] || rng="$lo–$hi"
	cpu="$(printf '%.1f / %.1f' "$(echo "scale=2; $gc / $ROUNDS" | bc)" "$(echo "scale=2; $pc / $ROUNDS" | bc)")"
	row "$what" $((g / ROUNDS)) "$pname" $((p / ROUNDS)) "$rng|$target" "$cpu"
	note "bench: $what: goreg $((g / ROUNDS)) req/s, $pname $((p / ROUNDS)) req/s, ratio $rng; server CPU µs/request $cpu"
}

# seconds to download path $3 from port $1 and from port $2, the best of 7
# each, taken in turns (a download lasts tens of ms: a lone one is noise)
fetch_secs() {
	b1= b2=
	for i in 1 2 3 4 5 6 7; do
		for p in $1 $2; do
			t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$p$3")
			[ "${t% *}" = 200 ] || { note "bench: $p$3 answered ${t% *}"; exit 1; }
			t=${t#* }
			if [ "$p" = "$1" ]; then
				[ -z "$b1" ] || [ "$(echo "$t < $b1" | bc)" = 1 ] && b1=$t
			else
				[ -z "$b2" ] || [ "$(echo "$t < $b2" | bc)" = 1 ] && b2=$t
			fi
		done
	done
	echo "$b1 $b2"
}

# system calls per request of goreg-httpd: n requests of path (the .info
# unless given), keep-alive (one connection) or one connection each;
# prints calls/request and the top calls
syscalls() {
	mode=$1 n=$2 what=${3:-$INFO} dir=$T/strace-$1-$(basename "${3:-$INFO}")
	mkdir -p "$dir"
	port=$((base + 10))
	printf '#!/bin/sh\nexec strace -c -o %s/$$ %s/goreg-httpd\n' "$dir" "$B" > "$T/strace-wrap"
	chmod +x "$T/strace-wrap"
	systemd-socket-activate --inetd -a -l 127.0.0.1:$port -E GOREG_ROOT="$R" "$T/strace-wrap" 2>/dev/null &
	sp=$!
	sleep 0.5
	if [ "$mode" = keepalive ]; then
		set --
		for i in $(seq 1 "$n"); do set -- "$@" -o /dev/null "http://127.0.0.1:$port$what"; done
		curl -s "$@"
	else
		for i in $(seq 1 "$n"); do curl -s -o /dev/null -H 'Connection: close' "http://127.0.0.1:$port$what"; done
	fi
	sleep 0.5
	kill $sp
	wait $sp 2>/dev/null || true
	cat "$dir"/* | awk -v n="$n" '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { c[$NF] += $4; t += $4 }
		END { printf "%.1f", t / n; k = 0
		      while (k < 5) { m = ""; for (s in c) if (m == "" || c[s] > c[m]) m = s
		                      if (m == "") break; printf "%s %s %.1f", (k ? "," : ":"), m, c[m] / n; delete c[m]; k++ } }'
}

# ---- uploads: goreg-upload (spool, hash, check, publish) vs x/mod's checks ----
build_xmod() {
	mkdir -p "$T/gopath/src/xmodcheck"
	cat > "$T/gopath/src/xmodcheck/main.go" <<'GO'
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/module"
	"golang.org/x/mod/sumdb/dirhash"
	"golang.org/x/mod/zip"
)

func main() {
	m := module.Version{Path: os.Args[2], Version: os.Args[3]}
	if _, err := zip.CheckZip(m, os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	h, err := dirhash.HashZip(os.Args[1], dirhash.Hash1)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(h)
}
GO
	(cd "$T/gopath/src/xmodcheck" && GO111MODULE=off GOPATH="/usr/share/gocode:$T/gopath" go build -o "$T/xmodcheck" .)
}

# wall seconds (to the millisecond: GNU time's %e has two decimals, too
# few for a check of a fifth of a second) and peak RSS (KiB) of a
# command: "secs kib"
timed() {
	t0=$(date +%s%N)
	/usr/bin/time -f '%M' -o "$T/time" "$@" >/dev/null 2>&1 || { note "bench: $* failed"; exit 1; }
	t1=$(date +%s%N)
	printf '%d.%03d %s\n' $(((t1 - t0) / 1000000000)) $(((t1 - t0) / 1000000 % 1000)) "$(cat "$T/time")"
}

# upload_row WHAT ZIP MODULE: goreg-upload of ZIP against x/mod's checks of
# it, the best of 3 each; sets grss to goreg's peak RSS.  goreg-upload
# copies ZIP into the spool (its blocks reserved first, its writeback
# started once copied), checks and hashes it while the disk writes, then
# fsyncs it and publishes: the time is all of that, x/mod's only the
# checks and the hash
upload_row() {
	u_what=$1 u_zip=$2 u_mod=$3
	gbest= xbest= grss=
	for i in 1 2 3; do
		r2=$T/up$i
		"$B/goreg-admin" -r "$r2" user add bench
		set -- $(timed "$B/goreg-upload" -r "$r2" bench "$u_zip")
		[ -z "$gbest" ] || [ "$(echo "$1 < $gbest" | bc)" = 1 ] && gbest=$1 grss=$2
		rm -rf "$r2"
		set -- $(timed "$T/xmodcheck" "$u_zip" "$u_mod" v1.0.0)
		[ -z "$xbest" ] || [ "$(echo "$1 < $xbest" | bc)" = 1 ] && xbest=$1
	done
	row "$u_what" "$gbest" "x/mod CheckZip+HashZip" "$xbest" "$(ratio "$xbest" "$gbest")|≥ 1.5"
	note "bench: $u_what: goreg $gbest s ($grss KiB peak), x/mod $xbest s"
}

upload_rows() {
	build_xmod
	upload_row "upload of a 100 MB zip of random bytes (s, best of 3; goreg-upload spools, hashes, checks, publishes)" \
		"$T/big.zip" example.com/big
	UPLOAD_RSS=$grss
	# 100 MB of Go source in one file, which deflate compresses to about
	# a quarter: inflating is then most of the work
	mkdir -p "$T/src/text"
	printf 'module example.com/text\n' > "$T/src/text/go.mod"
	find -L "$(go env GOROOT)/src" -name '*.go' -type f -size -200k | head -n 3000 | xargs cat > "$T/text.go"
	[ -s "$T/text.go" ] || { note "bench: no Go source in $(go env GOROOT)/src"; exit 1; }
	: > "$T/src/text/all.txt"
	while [ "$(stat -c %s "$T/src/text/all.txt")" -lt $((100 << 20)) ]; do cat "$T/text.go" >> "$T/src/text/all.txt"; done
	"$B/goreg-pack" -o "$T/text.zip" example.com/text v1.0.0 "$T/src/text"
	upload_row "upload of a 100 MB zip of Go source, $(($(stat -c %s "$T/text.zip") >> 20)) MB compressed (s, best of 3)" \
		"$T/text.zip" example.com/text
	# what modules are made of: many small files.  5000 Go files of 1 to
	# 8 KB (cut from the same source at line ends) in 40 directories:
	# the cost per entry (its headers, buffers, inflate state) counts here
	# (not src/many: the cost-growth curve packs that one 10 000 times)
	mkdir -p "$T/src/files"
	printf 'module example.com/files\n\ngo 1.19\n' > "$T/src/files/go.mod"
	for d in $(seq -w 0 39); do mkdir "$T/src/files/d$d"; done
	awk -v dir="$T/src/files" 'function next_file() {
			want = 1024 + int(rand() * 7168); have = 0
			name = sprintf("%s/d%02d/f%04d.go", dir, f % 40, f)
			printf "package d%02d\n\n", f % 40 > name
		}
		BEGIN { srand(1); f = 0; next_file() }
		{ print > name; have += length($0) + 1 }
		have >= want { close(name); if (++f == 5000) exit; next_file() }' "$T/text.go" "$T/text.go"
	"$B/goreg-pack" -o "$T/files.zip" example.com/files v1.0.0 "$T/src/files"
	upload_row "upload of a zip of 5000 Go files of 1–8 KB, $(($(stat -c %s "$T/files.zip") >> 20)) MB compressed (s, best of 3)" \
		"$T/files.zip" example.com/files
}

# ---- the pull-through cache: a cold miss (goreg-fetch: fetch, check,
# publish, then serve) against a plain download of the same 10 MB zips
# from the upstream (nginx) ----
make_upstream() {
	mkdir -p "$T/src/mid" "$T/up/example.com/mid/@v"
	printf 'module example.com/mid\n' > "$T/src/mid/go.mod"
	printf 'package mid\n' > "$T/src/mid/mid.go"
	head -c $((10 << 20)) /dev/urandom > "$T/src/mid/blob.bin"
	for v in 1 2 3 4 5; do
		"$B/goreg-pack" -o "$T/up/example.com/mid/@v/v1.0.$v.zip" example.com/mid v1.0.$v "$T/src/mid"
		printf '{"Version":"v1.0.%s","Time":"2023-01-01T00:00:00Z"}' "$v" > "$T/up/example.com/mid/@v/v1.0.$v.info"
	done
	# a store of its own: an owner with an upstream turns the seccomp
	# filter off for every connection (goreg-httpd(8)), not to be measured
	"$B/goreg-admin" -r "$T/ustore" user add mirror
	"$B/goreg-admin" -r "$T/ustore" upstream set mirror "http://127.0.0.1:$P_UP"
	systemd-socket-activate --inetd -a -l 127.0.0.1:$((base + 5)) -E GOREG_ROOT="$T/ustore" "$B/goreg-httpd" \
		2>/dev/null &
	pids="$pids $!"
	sleep 0.5
}

upstream_row() {
	plain=0 miss=0
	for v in 1 2 3 4 5; do
		t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$P_UP/example.com/mid/@v/v1.0.$v.zip")
		[ "${t% *}" = 200 ] || { note "bench: the upstream answered ${t% *}"; exit 1; }
		plain=$(echo "$plain + ${t#* }" | bc -l)
		t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' \
			"http://127.0.0.1:$((base + 5))/api/packages/mirror/go/example.com/mid/@v/v1.0.$v.zip")
		[ "${t% *}" = 200 ] || { note "bench: goreg answered ${t% *} to a miss"; exit 1; }
		miss=$(echo "$miss + ${t#* }" | bc -l)
	done
	row "upstream cold miss, 5 × 10 MB zip (s)" "$(printf %.3f "$miss")" "plain download" \
		"$(printf %.3f "$plain")" "$(ratio "$plain" "$miss")|-"
}

# ---- cost growth: one module with 10, 1000 and CURVE versions; an owner
# with 10 and CURVE modules (goreg against itself at 10, and nginx serving
# the same @v/list file) ----
CURVE=${BENCH_CURVE:-10000}
CSECS=$(( (SECS + 1) / 2 ))
CURVE_ROWS=$T/curve
: > "$CURVE_ROWS"

# publish example.com/many v1.I.0 for I in [$1, $2) (owner bench), or with
# $3 = wide, example.com/wI v1.0.0 (owner wide)
grow() {
	i=$1
	while [ "$i" -lt "$2" ]; do
		if [ "${3:-}" = wide ]; then
			mkdir -p "$T/src/w"
			printf 'module example.com/w%s\n' "$i" > "$T/src/w/go.mod"
			printf 'package w\n' > "$T/src/w/w.go"
			"$B/goreg-pack" -o "$T/c.zip" example.com/w$i v1.0.0 "$T/src/w"
			"$B/goreg-upload" -r "$R" wide "$T/c.zip" >/dev/null 2>&1
		else
			"$B/goreg-pack" -o "$T/c.zip" example.com/many v1.$i.0 "$T/src/many"
			"$B/goreg-upload" -r "$R" bench "$T/c.zip" >/dev/null 2>&1
		fi || { note "bench: publishing $i (${3:-}) failed"; exit 1; }
		i=$((i + 1))
	done
}

# milliseconds of one more publish (goreg-upload, a process), the best of 3,
# at size $2: versions v1.(1000000+I).0 of example.com/many, or modules
# example.com/xI (owner wide)
one_more_ms() {
	best=
	# what the bulk publishing before left unwritten is not this one's
	# cost: its fsyncs would wait for it
	sync
	for k in 1 2 3; do
		c=$(($2 * 10 + k))
		if [ "$1" = wide ]; then
			printf 'module example.com/x%s\n' "$c" > "$T/src/w/go.mod"
			"$B/goreg-pack" -o "$T/m.zip" example.com/x$c v1.0.0 "$T/src/w"
		else
			"$B/goreg-pack" -o "$T/m.zip" example.com/many v1.$((1000000 + c)).0 "$T/src/many"
		fi
		s=$(date +%s%N)
		"$B/goreg-upload" -r "$R" "$1" "$T/m.zip" >/dev/null 2>&1 || { note "bench: one more ($1) failed"; exit 1; }
		e=$(date +%s%N)
		ms=$(( (e - s) / 100000 ))
		[ -z "$best" ] || [ "$ms" -lt "$best" ] && best=$ms
	done
	printf '%d.%d' $((best / 10)) $((best % 10))
}

curve_versions() {
	mkdir -p "$T/src/many"
	printf 'module example.com/many\n' > "$T/src/many/go.mod"
	printf 'package many\n' > "$T/src/many/many.go"
	have=0
	for n in 10 1000 "$CURVE"; do
		[ "$n" -gt "$have" ] || continue
		note "bench: a module with $n versions"
		grow "$have" "$n"
		have=$n
		l=$(rate $P_GOREG "$U/many/@v/list" -d${CSECS}s)
		ln=$(rate $P_NGINX "$U/many/@v/list" -d${CSECS}s)
		la=$(rate $P_GOREG "$U/many/@latest" -d${CSECS}s)
		printf 'versions|%s|%s|%s|%s|%s|%s\n' "$n" "$l" "$ln" "$(ratio "$l" "$ln")" "$la" "$(one_more_ms bench "$n")" \
			>> "$CURVE_ROWS"
	done
}

curve_modules() {
	"$B/goreg-admin" -r "$R" user add wide
	W=/api/packages/wide/go/example.com
	have=0
	for n in 10 "$CURVE"; do
		[ "$n" -gt "$have" ] || continue
		note "bench: an owner with $n modules"
		grow "$have" "$n" wide
		have=$n
		i=$(rate $P_GOREG "$W/w0/@v/v1.0.0.info" -d${CSECS}s)
		l=$(rate $P_GOREG "$W/w0/@v/list" -d${CSECS}s)
		printf 'modules|%s|%s|%s|%s\n' "$n" "$i" "$l" "$(one_more_ms wide "$n")" >> "$CURVE_ROWS"
	done
}

make_store
start_goreg
start_nginx
start_floor
start_go
sleep 1
note "bench: keep-alive (wrk -t1 -c8 -d${SECS}s, $ROUNDS rounds)"
compare "keep-alive GET .info" "$INFO" "≥ 1.0" nginx $P_NGINX
compare "keep-alive GET .mod" "$MOD" "≥ 1.0" nginx $P_NGINX
compare "keep-alive GET @v/list" "$LIST" "≥ 1.0" nginx $P_NGINX
compare "keep-alive GET .zip (1 KB)" "$ZIP" "≥ 1.0" nginx $P_NGINX
# goreg-httpd writes an access-log line per request (here to /dev/null);
# the nginx above writes none: the same nginx with its log, for scale
compare "keep-alive GET .info" "$INFO" "-" "nginx, access log on" $P_NGLOG
compare "keep-alive GET .info" "$INFO" "≥ 2" "Go FileServer" $P_GO
compare "keep-alive GET .info" "$INFO" "≥ 0.9" floor $P_FLOOR
compare "keep-alive GET @latest" "$LATEST" "-" floor $P_FLOOR
note "bench: a new connection per request"
compare "new connection per GET .info" "$INFO" "≥ 0.9" floor $P_FLOOR -H 'Connection: close'
compare "new connection per GET .info" "$INFO" "-" nginx $P_NGINX -H 'Connection: close'
note "bench: 100 MB .zip download"
gn=$(fetch_secs $P_GOREG $P_NGINX "$BIGZIP")
g=${gn% *} n=${gn#* }
row "100 MB .zip download (s, best of 7, in turns)" "$(printf %.3f "$g")" nginx "$(printf %.3f "$n")" "$(ratio "$n" "$g")|≥ 0.95"
note "bench: uploads"
upload_rows
if [ -x "$B/goreg-fetch" ]; then
	note "bench: upstream cold miss"
	# its server started here, not in a subshell, so that the exit trap
	# knows its pid and stops it
	if make_upstream; then
		(upstream_row) || note "bench: the upstream cold miss failed: left out"
	else
		note "bench: the upstream cold miss failed: left out"
	fi
fi
if [ "$CURVE" -gt 10 ]; then
	note "bench: cost growth (up to $CURVE versions, $CURVE modules)"
	curve_versions
	curve_modules
fi
note "bench: system calls"
SC_KA=$(syscalls keepalive 200)
SC_MOD=$(syscalls keepalive 200 "$MOD")
SC_ZIP=$(syscalls keepalive 200 "$ZIP")
SC_NC=$(syscalls close 50)

{
	echo "# goreg benchmark results"
	echo
	echo "Written by \`make bench\` (bench/run.sh) on $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores,"
	echo "$(uname -sr), loopback, other work possibly running: compare the ratios, which come from one"
	echo "run, not the absolute numbers.  Rates are wrk -t1 -c8 over ${SECS} s, the mean of $ROUNDS rounds;"
	echo "the ratio is goreg's rate over the peer's (for times, the peer's over goreg's), its range over"
	echo "the rounds.  nginx and Go's FileServer serve the same owner tree as static files.  The last"
	echo "column is each server's CPU time (user and system, from /proc) per request in µs, goreg's and"
	echo "the peer's: with wrk on the same two cores it is steadier than the rates, and tells the cost."
	echo
	echo "| what | goreg | peer | peer's | ratio | target | server CPU µs/request |"
	echo "|---|---|---|---|---|---|---|"
	awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$ROWS"
	echo
	echo "| goreg-httpd, per request (a .info unless said) | |"
	echo "|---|---|"
	echo "| system calls, keep-alive (strace -c, 200 on one connection) | ${SC_KA} |"
	echo "| system calls, one connection per request (50, whole process) | ${SC_NC} |"
	echo "| system calls per .mod, keep-alive (its go.mod from the record's copy) | ${SC_MOD} |"
	echo "| system calls per .zip of 1 KB, keep-alive | ${SC_ZIP} |"
	echo "| peak RSS of goreg-upload, 100 MB zip (GNU time) | ${UPLOAD_RSS} KiB |"
	echo
	if [ -s "$CURVE_ROWS" ]; then
		echo "Cost growth (keep-alive rates over ${CSECS} s, one round; one more publish is a goreg-upload"
		echo "process, the best of 3, in ms):"
		echo
		echo "| versions of one module | @v/list | nginx, same file | ratio | @latest | one more version (ms) |"
		echo "|---|---|---|---|---|---|"
		awk -F'|' '$1 == "versions" { printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6, $7 }' "$CURVE_ROWS"
		echo
		echo "| modules of one owner | .info | @v/list | one more module (ms) |"
		echo "|---|---|---|---|"
		awk -F'|' '$1 == "modules" { printf "| %s | %s | %s | %s |\n", $2, $3, $4, $5 }' "$CURVE_ROWS"
		echo
	fi
	echo "| binary | bytes |"
	echo "|---|---|"
	for p in goreg-httpd goreg.cgi goreg-upload goreg-admin goreg-fetch; do
		echo "| $p | $(stat -c %s "$B/$p") |"
	done
} > "$T/results.md"
cat "$T/results.md"
cp "$T/results.md" "$OUT"
note "bench: written to $OUT"
