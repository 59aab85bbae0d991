#!/bin/sh
# The deployment as goreg(7) tells it, end to end on this machine:
# make install; the shipped units pass systemd-analyze verify; the
# sysusers.d and tmpfiles.d files make the goreg user and a private
# /var/lib/goreg (here under a scratch root); goreg-admin run as root
# refuses that store and says to run it as goreg; the service's ExecStart
# runs as goreg (as systemd would: its environment, its umask, one
# process per connection, on loopback as goreg.socket listens); nginx with
# the shipped etc/nginx/goreg-tls.conf ends TLS in front of it; and the go
# command, with the token in .netrc and SSL_CERT_FILE, downloads a
# private module.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"
[ "$(id -u)" -eq 0 ] || skip_all "needs root (a second user for the server)"
for c in setpriv nginx openssl systemd-sysusers systemd-tmpfiles systemd-socket-activate go; do
	command -v "$c" >/dev/null 2>&1 || skip_all "no $c"
done
chmod 711 "$T"

P=$T/p
make -s -C "$GOREG_TOP" install O="${GOREG_O:-}" PREFIX="$P" >"$T/out" 2>&1
ok $? "make install PREFIX=$P"
for f in lib/systemd/system/goreg.socket lib/systemd/system/goreg@.service lib/sysusers.d/goreg.conf \
	lib/tmpfiles.d/goreg.conf; do
	test -f "$P/$f"
	ok $? "$f installed"
done
sock=$P/lib/systemd/system/goreg.socket
svc=$P/lib/systemd/system/goreg@.service
is "$(grep '^ListenStream=' "$sock")" "ListenStream=127.0.0.1:8080" "the socket listens on loopback"
is "$(grep '^#ListenStream=' "$sock")" "#ListenStream=8080" "every address one '#' away"
is "$(sed -n 's/^ExecStart=//p' "$svc")" "$P/bin/goreg-httpd -r /var/lib/goreg" "ExecStart names the installed program"
if command -v systemd-analyze >/dev/null 2>&1; then
	out=$(MANPATH=$P/share/man systemd-analyze verify "$sock" "$svc" 2>&1)
	is "$?:$out" "0:" "systemd-analyze verify passes on the installed units"
fi

# the user and the store, in a scratch root
mkdir -p "$T/root/etc"
systemd-sysusers --root="$T/root" "$P/lib/sysusers.d/goreg.conf" >/dev/null 2>&1
ok $? "systemd-sysusers makes the goreg user"
uid=$(awk -F: '$1 == "goreg" { print $3 }' "$T/root/etc/passwd")
gid=$(awk -F: '$1 == "goreg" { print $4 }' "$T/root/etc/passwd")
like "$uid:$gid" '^[1-9][0-9]*:[1-9][0-9]*$' "a system uid and gid"
is "$(awk -F: '$1 == "goreg" { print $6 }' "$T/root/etc/passwd")" /var/lib/goreg "its home is the store"
systemd-tmpfiles --root="$T/root" --create "$P/lib/tmpfiles.d/goreg.conf" >/dev/null 2>&1
ok $? "systemd-tmpfiles makes the store"
S=$T/root/var/lib/goreg
is "$(stat -c '%a %u:%g' "$S")" "750 $uid:$gid" "private to goreg"

# root's goreg-admin is refused; goreg's works
"$P/bin/goreg-admin" -r "$S" user add alice 2>"$T/err"
is "$?" 1 "goreg-admin as root on goreg's store: refused"
# the scratch root's goreg has no name on this machine: its uid is named
like "$(cat "$T/err")" "^goreg-admin: store '$S' belongs to (.* \(uid $uid\)|uid $uid), not to (root \(uid 0\)|uid 0): run (goreg-admin as that user|'sudo -u [a-z_-]+ goreg-admin \.\.\.'), or pass --other-user-ok$" \
	"saying how to run it"
is "$(ls -A "$S")" "" "and nothing was made"
as_goreg() { setpriv --reuid="$uid" --regid="$gid" --clear-groups "$@"; }
as_goreg "$P/bin/goreg-admin" -r "$S" user add alice >/dev/null &&
	as_goreg "$P/bin/goreg-admin" -r "$S" org add acme >/dev/null &&
	as_goreg "$P/bin/goreg-admin" -r "$S" org grant acme alice write &&
	as_goreg "$P/bin/goreg-admin" -r "$S" owner private acme
ok $? "goreg-admin as goreg: a private organisation with a writer"
TOK=$(as_goreg "$P/bin/goreg-admin" -r "$S" token add alice)
M=example.com/secret
make_module "$T/src" "$M" secret
"$P/bin/goreg-pack" -o "$T/v1.zip" "$M" v1.0.0 "$T/src" && chmod 644 "$T/v1.zip"

# ExecStart as systemd would run it: as goreg, with the unit's environment
# and umask, one process per connection on loopback
set -- $(sed -n 's/^Environment=//p' "$svc")
n=$#
for e in "$@"; do set -- "$@" -E "$e"; done
shift "$n"
exec_start=$(sed -n 's/^ExecStart=//p' "$svc" | sed "s|/var/lib/goreg|$S|")
for _try in 1 2 3 4 5; do
	PORT=$(free_port)
	# shellcheck disable=SC2086
	(umask 027; exec systemd-socket-activate --inetd -a -l "127.0.0.1:$PORT" "$@" \
		setpriv --reuid="$uid" --regid="$gid" --clear-groups $exec_start) >>"$T/httpd.log" 2>&1 &
	_pid=$!
	if wait_port "$PORT" && kill -0 "$_pid" 2>/dev/null; then
		_pids="$_pids $_pid"
		break
	fi
	kill "$_pid" 2>/dev/null
done

# nginx: the shipped TLS server block, with this test's certificate and ports
make_cert
nginx_server() {
	sed -n '/^server {$/,/^}$/p' "$GOREG_TOP/etc/nginx/goreg-tls.conf" | sed '1d;$d' | sed \
		-e "s|listen 443 ssl;|listen 127.0.0.1:$NPORT ssl;|" \
		-e "s|/etc/ssl/goreg/|$T/tls/|" \
		-e "s|http://127.0.0.1:8080|http://127.0.0.1:$PORT|"
}
start_nginx
U=https://127.0.0.1:$NPORT/api/packages/acme/go
code=$(http --cacert "$T/tls/cert.pem" --user "alice:$TOK" --upload-file "$T/v1.zip" "$U/upload")
is "$code" 201 "an upload over https, through nginx, to goreg-httpd as goreg"
is "$(stat -c '%u %a' "$S/acme/example.com/secret/@v/v1.0.0.zip")" "$uid 640" "the server's files are goreg's, 0640"
is "$(http --cacert "$T/tls/cert.pem" "$U/$M/@v/list")" 401 "anonymous: 401"

go_netrc_download "$U" alice "$TOK" "$M@v1.0.0"
ok $? "the go command downloads the private module with .netrc over TLS"
like "$GO_JSON" '"Sum": "h1:[A-Za-z0-9+/]{43}="' "  and hashes it"
grep -q "$M/@v/v1.0.0.zip HTTP/1.1\" 200" "$T/httpd.log"
ok $? "(goreg-httpd served it: its access log has it)"
done_testing
