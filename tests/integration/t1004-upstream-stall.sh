#!/bin/sh
# An upstream that stalls: a front end waits GOREG_FETCH_TIMEOUT seconds
# for goreg-fetch, which gives its transfers no longer than that, so it
# ends on its own, with its spool file removed, before the front end
# would kill it; nothing half-fetched is left in ROOT/tmp.  nginx sends
# the .info and the zip at 1 KB/s.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
. "$(dirname "$0")/lib-upstream.sh"
publish_up example.com/slow v1.0.0
make_module "$T/big" example.com/slow pkg
head -c 65536 /dev/urandom | od -An -tx1 > "$T/big/data.txt"
pack example.com/slow v1.0.0 "$T/big" "$UP/example.com/slow/@v/v1.0.0.zip" || bail "goreg-pack"
# an .info that takes two of the three seconds: the zip has one left
printf '{"Version":"v1.0.0",%2048s"Time":"2023-05-06T07:08:09Z"}\n' '' > "$UP/example.com/slow/@v/v1.0.0.info"

nginx_server() {
	printf '%s\n' "listen 127.0.0.1:$NPORT ssl;" "ssl_certificate $T/tls/cert.pem;" \
		"ssl_certificate_key $T/tls/key.pem;" "root $UP;" "limit_rate 1k;"
}
start_upstream

R=$T/store
admin "$R" user add acme > /dev/null
admin "$R" upstream set acme "https://localhost:$NPORT" || bail "upstream set"
start_httpd "$R" SSL_CERT_FILE="$T/tls/cert.pem" GOREG_FETCH_TIMEOUT=3
G=$BASE/api/packages/acme/go

is "$(http "$G/example.com/slow/@v/v1.0.0.info")" 502 "a zip the upstream sends too slowly: 502"
grep -q 'killed after' "$HTTPD_LOG"
ok "$([ $? -ne 0 ] && echo 0 || echo 1)" "goreg-fetch ended on its own ($(grep goreg-fetch "$HTTPD_LOG" | tail -n 1))"
ok "$(spool_empty && echo 0 || echo 1)" "nothing of the fetch is left in the spool ($(ls "$R/tmp"))"
ok "$([ ! -e "$R/acme/example.com/slow/@v/v1.0.0.zip" ] && echo 0 || echo 1)" "nothing is stored"
done_testing
