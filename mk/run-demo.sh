#!/bin/sh
# `make run`: a demo registry from the checkout.  Creates the store
# $GOREG_ROOT (owner "demo" with a write token, kept in the store as
# demo.token so the next run reuses it, and its own checksum database) and serves it on $GOREG_ADDR with
# systemd-socket-activate, one goreg-httpd per connection, until Ctrl-C.
# With GOREG_TLS=1 (make run TLS=1) it serves https instead: a throwaway
# CA and a certificate for 127.0.0.1 and localhost in $GOREG_TLS_DIR (made
# once, kept), nginx in front with the shipped etc/nginx/goreg-tls.conf,
# goreg-httpd behind it on a unix socket.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
root=${GOREG_ROOT:?}
addr=${GOREG_ADDR:-127.0.0.1:8080}
bin=$top/bin

command -v systemd-socket-activate >/dev/null 2>&1 || {
	echo "run-demo: systemd-socket-activate not found (Debian package: systemd)" >&2
	exit 1
}
port=${addr##*:}
if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
	echo "make run: port $port is in use; pick another: make run PORT=$((port + 1))" >&2
	exit 1
fi
mkdir -p "$root"
if [ ! -s "$root/demo.token" ]; then
	"$bin/goreg-admin" -r "$root" user add demo 2>/dev/null || true
	umask 077
	"$bin/goreg-admin" -r "$root" token add demo --name make-run > "$root/demo.token.new"
	mv "$root/demo.token.new" "$root/demo.token"
fi
token=$(cat "$root/demo.token")
# the demo owner's own checksum database, so that the go command checks
# its modules (GOSUMDB) instead of being told not to (GONOSUMDB)
key=$("$bin/goreg-admin" -r "$root" sumdb key demo 2>/dev/null) ||
	key=$("$bin/goreg-admin" -r "$root" sumdb init demo goreg.demo)
base=http://$addr/api/packages/demo/go
[ "${GOREG_TLS:-}" = 1 ] && exec "$top/mk/run-tls.sh" "$root" "$addr" "$token" "$key"

cat <<MSG
goreg demo registry
  store:   $root
  serving: http://$addr/  (Ctrl-C to stop)
  browse:  http://$addr/  (in a browser; sign in as demo, with the token of the curl line below)

Publish a module (make its zip with goreg-pack):
  $bin/goreg-pack -o /tmp/hello.zip example.com/hello v1.0.0 ./path/to/hello
  curl --user demo:$token --upload-file /tmp/hello.zip $base/upload

Use it from the go command, which checks what it downloads in demo's own checksum database:
  GOPROXY=$base GOSUMDB=$key GOFLAGS=-mod=mod go mod download -json example.com/hello@v1.0.0

MSG
exec systemd-socket-activate --inetd -a -l "$addr" -E GOREG_ROOT="$root" "$bin/goreg-httpd"
