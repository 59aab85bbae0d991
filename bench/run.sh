#!/bin/sh
# make bench: goreg's speed and memory targets, measured on loopback.
# Needs wrk and GNU time (Debian packages wrk, time).  Numbers go to stdout
# and bench/results.txt is NOT written: paste them into the issue notes.
#
# Targets: keep-alive .info requests through
# systemd-socket-activate within reach of nginx on a static file (it did
# 95 000 req/s on this kind of machine, a fixed-response program 84 000);
# one process per connection >= 2 000 req/s; uploading a 100 MiB zip keeps
# peak RSS under 8 MiB (the zip is streamed to disk and validated entry by
# entry, never held in memory).
#
# Measured 2026-11-23 (2 cores, loopback, other work running): keep-alive
# .info 17 100 req/s, small .zip 15 000 req/s; a new connection per
# request 960-1 430 req/s; 100 MiB upload 1.0-1.2 s at 444-488 KiB peak
# RSS; 1000 goreg-info runs 0.32-0.42 s.  The keep-alive gap to the target
# is tdb's locking (fcntl) and chain reads, about 27 system calls a request.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
B=${GOREG_BIN:-$top/bin}
for t in wrk /usr/bin/time systemd-socket-activate; do
	command -v "$t" >/dev/null 2>&1 || { echo "bench: needs $t (apt-get install wrk time systemd)" >&2; exit 1; }
done
T=$(mktemp -d /tmp/goreg-bench.XXXXXX)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$T"' EXIT
R=$T/store
"$B/goreg-admin" -r "$R" user add bench
TOKEN=$("$B/goreg-admin" -r "$R" token add bench)

# a module with one small file and one with 100 MiB of incompressible data
mkdir -p "$T/small" "$T/big"
printf 'module example.com/small\n' > "$T/small/go.mod"
printf 'package small\n' > "$T/small/small.go"
printf 'module example.com/big\n' > "$T/big/go.mod"
printf 'package big\n' > "$T/big/big.go"
head -c $((100 << 20)) /dev/urandom > "$T/big/blob.bin"
"$B/goreg-pack" -o "$T/small.zip" example.com/small v1.0.0 "$T/small"
"$B/goreg-pack" -o "$T/big.zip" example.com/big v1.0.0 "$T/big"

port=$((20000 + $$ % 20000))
systemd-socket-activate --inetd -a -l 127.0.0.1:$port -E GOREG_ROOT="$R" "$B/goreg-httpd" 2>/dev/null &
pid=$!
sleep 0.5
U=http://127.0.0.1:$port/api/packages/bench/go
curl -sf -u "bench:$TOKEN" --upload-file "$T/small.zip" "$U/upload" >/dev/null

echo "== keep-alive: GET .info, 2 threads, 8 connections, 10 s"
wrk -t2 -c8 -d10s "$U/example.com/small/@v/v1.0.0.info" | grep -E 'Requests/sec|Latency'
echo "== keep-alive: GET .zip (small), 2 threads, 8 connections, 10 s"
wrk -t2 -c8 -d10s "$U/example.com/small/@v/v1.0.0.zip" | grep -E 'Requests/sec|Latency'
echo "== new connection per request: GET .info, 2 threads, 8 connections, 10 s"
wrk -t2 -c8 -d10s -H 'Connection: close' "$U/example.com/small/@v/v1.0.0.info" | grep -E 'Requests/sec|Latency'

echo "== upload of a 100 MiB module zip: wall time and peak RSS of goreg-upload (same code path as httpd)"
/usr/bin/time -f 'elapsed %e s, peak RSS %M KiB' "$B/goreg-upload" -r "$R" bench "$T/big.zip" 2>&1 | tail -n 1
echo "== plumbing: goreg-info process start-to-exit, 1000 runs"
/usr/bin/time -f 'elapsed %e s for 1000 runs' sh -c "i=0; while [ \$i -lt 1000 ]; do '$B/goreg-info' -r '$R' bench example.com/small v1.0.0 >/dev/null; i=\$((i+1)); done" 2>&1 | tail -n 1
echo "== upstream: a cold miss (goreg-fetch: fetch + validate + publish, then serve) vs curl of the same 10 MiB zip from the upstream"
if command -v nginx >/dev/null 2>&1; then
	UPT=$T/up
	mkdir -p "$T/mid" "$T/nginx/tmp"
	printf 'module example.com/mid\n' > "$T/mid/go.mod"
	printf 'package mid\n' > "$T/mid/mid.go"
	head -c $((10 << 20)) /dev/urandom > "$T/mid/blob.bin"
	mkdir -p "$UPT/example.com/mid/@v"
	for v in 1 2 3 4 5; do
		"$B/goreg-pack" -o "$UPT/example.com/mid/@v/v1.0.$v.zip" example.com/mid v1.0.$v "$T/mid"
		printf '{"Version":"v1.0.%s","Time":"2023-01-01T00:00:00Z"}' "$v" > "$UPT/example.com/mid/@v/v1.0.$v.info"
	done
	np=$((port + 1))
	cat > "$T/nginx/nginx.conf" <<CONF
daemon off; master_process off; pid $T/nginx/pid; error_log $T/nginx/error.log;
events { worker_connections 64; }
http { access_log off; client_body_temp_path $T/nginx/tmp; proxy_temp_path $T/nginx/tmp;
  fastcgi_temp_path $T/nginx/tmp; uwsgi_temp_path $T/nginx/tmp; scgi_temp_path $T/nginx/tmp;
  server { listen 127.0.0.1:$np; root $UPT; } }
CONF
	nginx -p "$T/nginx" -c "$T/nginx/nginx.conf" </dev/null >/dev/null 2>&1 &
	npid=$!
	sleep 0.5
	"$B/goreg-admin" -r "$R" upstream set bench "http://127.0.0.1:$np"
	plain=0 miss=0
	for v in 1 2 3 4 5; do
		t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "http://127.0.0.1:$np/example.com/mid/@v/v1.0.$v.zip")
		[ "${t% *}" = 200 ] || { echo "bench: upstream answered ${t% *}" >&2; exit 1; }
		plain=$(echo "$plain + ${t#* }" | bc -l)
		t=$(curl -s -o /dev/null -w '%{http_code} %{time_total}' "$U/example.com/mid/@v/v1.0.$v.zip")
		[ "${t% *}" = 200 ] || { echo "bench: goreg answered ${t% *} to a miss" >&2; exit 1; }
		miss=$(echo "$miss + ${t#* }" | bc -l)
	done
	kill $npid 2>/dev/null
	printf 'plain curl %.3f s, goreg cold miss %.3f s (5 versions), ratio %.1f\n' "$plain" "$miss" \
		"$(echo "$miss / $plain" | bc -l)"
else
	echo "(nginx not installed: skipped)"
fi
echo "== binary sizes (bytes)"
for p in goreg-httpd goreg.cgi goreg-upload goreg-admin goreg-fetch; do printf '%-14s %s\n' "$p" "$(stat -c %s "$B/$p")"; done
