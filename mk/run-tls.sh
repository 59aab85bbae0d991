#!/bin/sh
# run-tls.sh ROOT ADDR TOKEN: the https half of `make run TLS=1` (see
# run-demo.sh).  The CA and the certificate are made once in
# $GOREG_TLS_DIR and kept; nginx runs the server block of
# etc/nginx/goreg-tls.conf with them, on ADDR, in front of goreg-httpd
# on a unix socket, until Ctrl-C.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
root=$1 addr=$2 token=$3 key=$4
tls=${GOREG_TLS_DIR:?}
bin=$top/bin
for c in openssl nginx; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "make run TLS=1: $c not found (Debian package: $c)" >&2
		exit 1
	}
done
mkdir -p "$tls/tmp"
chmod 700 "$tls"
if [ ! -s "$tls/cert.pem" ]; then
	openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=goreg make run CA" \
		-keyout "$tls/ca.key" -out "$tls/ca.pem" 2>/dev/null
	openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout "$tls/key.pem" \
		-out "$tls/cert.csr" 2>/dev/null
	printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$tls/ext"
	openssl x509 -req -in "$tls/cert.csr" -CA "$tls/ca.pem" -CAkey "$tls/ca.key" -CAcreateserial \
		-days 30 -extfile "$tls/ext" -out "$tls/cert.pem" 2>/dev/null
fi
sock=$tls/goreg.sock
rm -f "$sock"
# the shipped server block, with this run's address, certificate and socket
{
	cat <<CONF
daemon off;
master_process off;
pid $tls/nginx.pid;
error_log $tls/error.log;
events { worker_connections 64; }
http {
	access_log $tls/access.log;
	client_body_temp_path $tls/tmp/body;
	proxy_temp_path $tls/tmp/proxy;
	fastcgi_temp_path $tls/tmp/fastcgi;
	uwsgi_temp_path $tls/tmp/uwsgi;
	scgi_temp_path $tls/tmp/scgi;
CONF
	sed -n '/^server {$/,/^}$/p' "$top/etc/nginx/goreg-tls.conf" | sed \
		-e "s|listen 443 ssl;|listen $addr ssl;|" \
		-e "s|/etc/ssl/goreg/|$tls/|" \
		-e "s|http://127.0.0.1:8080|http://unix:$sock:|"
	echo '}'
} > "$tls/nginx.conf"

systemd-socket-activate --inetd -a -l "$sock" -E GOREG_ROOT="$root" "$bin/goreg-httpd" &
backend=$!
trap 'kill $backend 2>/dev/null' EXIT
trap 'exit 0' INT TERM HUP
base=https://$addr/api/packages/demo/go
host=${addr%:*}
cat <<MSG
goreg demo registry over https
  store:   $root
  serving: https://$addr/  (Ctrl-C to stop)
  CA:      $tls/ca.pem  (a throwaway CA, trusted by nothing else)

Publish a module (make its zip with goreg-pack):
  $bin/goreg-pack -o /tmp/hello.zip example.com/hello v1.0.0 ./path/to/hello
  curl --cacert $tls/ca.pem --user demo:$token --upload-file /tmp/hello.zip $base/upload

Make it private, and give the go command the token in ~/.netrc:
  $bin/goreg-admin -r $root owner private demo
  printf 'machine $host login demo password $token\n' >> ~/.netrc

Use it from the go command, which checks what it downloads in demo's own checksum database:
  SSL_CERT_FILE=$tls/ca.pem GOPROXY=$base GOSUMDB=$key GOFLAGS=-mod=mod go mod download -json example.com/hello@v1.0.0

MSG
nginx -p "$tls" -e "$tls/error.log" -c "$tls/nginx.conf" </dev/null
