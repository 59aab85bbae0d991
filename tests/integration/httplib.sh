# Helpers for the HTTP front-end tests (t03NN-http-*, t04NN-cgi-*).
# Source after lib.sh.  Gives:
#   setup_registry   store $R with user/owner acme, write token $TOKEN, and
#                    module zips $T/hello.zip (example.com/hello v1.0.0) and
#                    $T/hello11.zip (v1.1.0), not uploaded
#   upload ZIP       PUT it to $U/upload with $TOKEN; prints the status
#   raw STEP...      tests/integration/rawhttp.pl on $PORT (see there)
#   raws STEP...     the same with one summary line per response
#   statuses         the status codes of a raw response stream on stdin
#   field NAME FILE  the value of a header field in a saved response head
#   spool_empty      no upload leftovers in $R/tmp
#   wait_log RE [N]  until $HTTPD_LOG has N (1) lines matching RE: goreg-httpd
#                    logs a request after answering it (5 s at most)
RAWHTTP="$GOREG_TOP/tests/integration/rawhttp.pl"

setup_registry() {
	R=$T/store
	admin "$R" user add acme >/dev/null || bail "goreg-admin user add failed"
	TOKEN=$(admin "$R" token add acme) || bail "goreg-admin token add failed"
	AUTH=$(printf 'acme:%s' "$TOKEN" | base64 -w0)
	make_module "$T/src" example.com/hello
	pack example.com/hello v1.0.0 "$T/src" "$T/hello.zip" || bail "goreg-pack failed"
	pack example.com/hello v1.1.0 "$T/src" "$T/hello11.zip" || bail "goreg-pack failed"
	M=example.com/hello
}

upload() {
	http --user "acme:$TOKEN" --upload-file "$1" "$U/upload"
}

raw() { perl "$RAWHTTP" "$PORT" "$@"; }
raws() { perl "$RAWHTTP" -s "$PORT" "$@"; }

statuses() {
	tr -d '\r' | grep -a -E '^HTTP/1\.[01] [0-9]{3}' | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'
}

field() {
	tr -d '\r' < "$2" | grep -i "^$1:" | head -n 1 | sed 's/^[^:]*: *//'
}

spool_empty() {
	[ -z "$(find "$R/tmp" -type f 2>/dev/null)" ]
}

wait_log() {
	_i=0
	while [ "$(grep -c -- "$1" "$HTTPD_LOG")" -lt "${2:-1}" ] && [ $_i -lt 100 ]; do
		sleep 0.05
		_i=$((_i + 1))
	done
	[ "$(grep -c -- "$1" "$HTTPD_LOG")" -ge "${2:-1}" ]
}
