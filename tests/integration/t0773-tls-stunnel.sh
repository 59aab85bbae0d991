#!/bin/sh
# TLS for the inetd form: stunnel with the shipped etc/stunnel/goreg.conf
# (this test's port, certificate, store and programs put in) runs one
# goreg-httpd per connection; curl uploads over https, and the go command
# with the token in .netrc downloads the private module.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"
for c in stunnel4 openssl go; do
	command -v "$c" >/dev/null 2>&1 || skip_all "no $c"
done
setup_store
make_cert
M=example.com/secret
for _try in 1 2 3 4 5; do
	SPORT=$(free_port)
	# the shipped file; as this test's user, not goreg
	sed -e '/^setuid = /d' -e '/^setgid = /d' \
		-e "s|^accept = 443$|accept = 127.0.0.1:$SPORT|" \
		-e "s|/etc/ssl/goreg/|$T/tls/|" \
		-e "s|/usr/local/bin/goreg-httpd|$B/goreg-httpd|" \
		-e "s|-r /var/lib/goreg|-r $R|" \
		"$GOREG_TOP/etc/stunnel/goreg.conf" > "$T/stunnel.conf"
	printf 'output = %s\n' "$T/stunnel.log" | cat - "$T/stunnel.conf" > "$T/s.conf"
	stunnel4 "$T/s.conf" >>"$T/stunnel.out" 2>&1 </dev/null &
	_spid=$!
	if wait_port "$SPORT" && kill -0 "$_spid" 2>/dev/null; then
		_pids="$_pids $_spid"
		break
	fi
	kill "$_spid" 2>/dev/null
done
kill -0 "$_spid" 2>/dev/null || bail "stunnel did not start: $(cat "$T/stunnel.out" "$T/stunnel.log" 2>/dev/null)"
U=https://127.0.0.1:$SPORT/api/packages/acme/go
code=$(http --cacert "$T/tls/cert.pem" --user "alice:$TOK_ALICE" --upload-file "$T/secret-v1.2.0.zip" "$U/upload")
is "$code" 201 "an upload over https through stunnel"
is "$(http --cacert "$T/tls/cert.pem" "$U/$M/@v/list")" 401 "anonymous: 401"
is "$(http --cacert "$T/tls/cert.pem" --user "bob:$TOK_BOB" "$U/$M/@v/list")" 200 "bob's token: 200"
is "$(tr '\n' ' ' < "$T/body")" "v1.0.0 v1.1.0 v1.2.0 " "  the versions"
is "$(admin "$R" audit acme | tail -n 1 | cut -d' ' -f2,3,7)" "alice upload 127.0.0.1" \
	"the audit log has the client's address from REMOTE_HOST"
go_netrc_download "$U" bob "$TOK_BOB" "$M@v1.2.0"
ok $? "go with .netrc over stunnel's TLS downloads the private module"
like "$GO_JSON" '"Sum": "h1:[A-Za-z0-9+/]{43}="' "  and hashes it"
grep -q "^127.0.0.1 \"GET /api/packages/acme/go/$M/@v/list HTTP/1.1\" 200 " "$T/stunnel.out"
ok $? "goreg-httpd's access log is stunnel's standard error, with the address"
done_testing
