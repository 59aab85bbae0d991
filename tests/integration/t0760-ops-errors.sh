#!/bin/sh
# Errors that say what to do.  Every program names an option it does not
# know and prints its usage; --help (and -h) print the usage on stdout and
# exit 0.  A store that is missing or that the server's user cannot read
# is a 500 with a generic body (no server path reaches a client), its
# reason in the log, and said once when goreg-httpd or goreg.cgi starts;
# not the 401 "authentication required" of a store with no accounts.
# A version without its v is named with its v by the tools too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"

for p in goreg-httpd goreg-admin goreg-upload goreg-list goreg-info goreg-mod goreg-zip goreg-latest \
	goreg-delete goreg-pack goreg-import goreg-fsck goreg-fetch goreg-git; do
	out=$("$B/$p" --help 2>"$T/err"); rc=$?
	is "$rc $(cat "$T/err")" "0 " "$p --help: exit 0, nothing on stderr"
	like "$out" "^usage: $p " "$p --help: the usage on stdout"
	out=$("$B/$p" -h 2>/dev/null); rc=$?
	like "$rc $out" "^0 usage: $p " "$p -h: the same"
	"$B/$p" --bogus >"$T/out" 2>"$T/err"; rc=$?
	is "$rc $(head -n 1 "$T/err")" "2 $p: unknown option: --bogus" "$p --bogus: exit 2, the option named"
	like "$(sed -n 2p "$T/err")" "^usage: $p " "$p --bogus: then the usage"
	is "$(wc -c < "$T/out" | tr -d ' ')" 0 "$p --bogus: nothing on stdout"
done
"$B/goreg-list" -x acme m >/dev/null 2>"$T/err"
is "$(head -n 1 "$T/err")" "goreg-list: unknown option: -x" "a short option is named too"
"$B/goreg-fsck" --root >/dev/null 2>"$T/err"
is "$(head -n 1 "$T/err")" "goreg-fsck: option --root needs an argument" "a missing argument is said"
"$B/goreg-admin" user add alice --bogus >/dev/null 2>"$T/err"
is "$(head -n 1 "$T/err")" "goreg-admin: unknown option: --bogus" "goreg-admin names an option after its command"
"$B/goreg-admin" frob >/dev/null 2>"$T/err"
is "$(head -n 1 "$T/err")" "goreg-admin: unknown command: frob" "and a command it does not know"
"$B/goreg-admin" user frob >/dev/null 2>"$T/err"
is "$(head -n 1 "$T/err")" "goreg-admin: unknown command: user frob" "and a subcommand it does not know"
"$B/goreg-admin" user add --help >"$T/out" 2>&1
like "$(cat "$T/out")" "^usage: goreg-admin " "goreg-admin's subcommands take --help"
out=$(env -u GATEWAY_INTERFACE "$B/goreg.cgi" --help); rc=$?
like "$rc $out" "^0 usage: goreg.cgi " "goreg.cgi --help, run by hand: the usage, exit 0"
env -u GATEWAY_INTERFACE "$B/goreg.cgi" --bogus >/dev/null 2>"$T/err"; rc=$?
is "$rc $(head -n 1 "$T/err")" "2 goreg.cgi: unknown option: --bogus" "goreg.cgi --bogus, run by hand"

setup_registry
"$B/goreg-info" -r "$R" acme "$M" 1.0.0 2>"$T/err"
is "$(cat "$T/err")" "goreg-info: invalid version '1.0.0': not a canonical semantic version (versions start with v: v1.0.0)" \
	"goreg-info: a version without its v is named with it"
"$B/goreg-upload" -r "$R" -m "$M" -V 1.0.0 acme "$T/hello.zip" 2>"$T/err"
is "$(cat "$T/err")" 'goreg-upload: the zip holds "example.com/hello"@v1.0.0, not "example.com/hello"@1.0.0 (versions start with v: v1.0.0)' \
	"goreg-upload -V: the same hint"
# a zip with no entries: the end record alone
printf 'PK\005\006\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0' > "$T/empty.zip"
"$B/goreg-upload" -r "$R" -m "$M" -V 1.0.0 acme "$T/empty.zip" 2>"$T/err"
like "$(cat "$T/err")" "version \"1.0.0\": not a semantic version \(versions start with v: v1.0.0\)" \
	"and for a zip with no entries"

# a missing store: 500, a body without the path, the reason in the log
start_httpd "$T/nowhere"
is "$(http "$BASE/api/packages/acme/go/$M/@v/list")" 500 "goreg-httpd on a missing store: 500, not 401"
is "$(cat "$T/body")" "internal server error (the server's log says what failed)" "a generic body"
wait_log "500 GET" >/dev/null
like "$(cat "$HTTPD_LOG")" "goreg-httpd: store '$T/nowhere' does not exist \(set GOREG_ROOT or -r" \
	"the log says why, at start"
like "$(grep ': 500 store' "$HTTPD_LOG")" "GET /api/packages/acme/go/$M/@v/list: 500 store '$T/nowhere' does not exist" \
	"and with the request"

cgi() {
	env -i GOREG_ROOT="$1" GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD=GET \
		REQUEST_URI=/api/packages/acme/go/$M/@v/list "$B/goreg.cgi" </dev/null >"$T/out" 2>"$T/err"
}
cgi "$T/nowhere"
like "$(head -n 1 "$T/out")" "^Status: 500" "goreg.cgi on a missing store: 500"
ok "$(grep -c "$T" "$T/out")" "no server path in the reply"
like "$(head -n 1 "$T/err")" "^goreg.cgi: store '$T/nowhere' does not exist" "the web server's error log says why"

# a store the server's user cannot read: goreg-httpd as nobody
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	chmod 711 "$T"
	chmod 700 "$R"
	printf 'GET /api/packages/acme/go/%s/@v/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$M" |
		setpriv --reuid=65534 --regid=65534 --clear-groups "$B/goreg-httpd" -r "$R" >"$T/out" 2>"$T/err"
	like "$(head -n 1 "$T/out")" "^HTTP/1.1 500 " "a store the server's user cannot read: 500"
	ok "$(grep -c "$T" "$T/out")" "no server path in the reply"
	like "$(head -n 1 "$T/err")" "^goreg-httpd: store '$R' is not readable by uid 65534: Permission denied \(it belongs to uid 0" \
		"the log names the store, the user and its owner"
	chmod 755 "$R"
	chmod 600 "$R/goreg.tdb"
	printf 'GET /api/packages/acme/go/%s/@v/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$M" |
		setpriv --reuid=65534 --regid=65534 --clear-groups "$B/goreg-httpd" -r "$R" >"$T/out" 2>"$T/err"
	like "$(head -n 1 "$T/out")" "^HTTP/1.1 500 " "a goreg.tdb the server's user cannot read: 500"
	like "$(head -n 1 "$T/err")" "^goreg-httpd: store '$R/goreg.tdb' is not readable by uid 65534" \
		"the log says which file"
	# readable but not writable: served (a read-only deployment)
	"$B/goreg-upload" -r "$R" acme "$T/hello.zip" 2>/dev/null
	chmod -R a+rX "$R"
	printf 'GET /api/packages/acme/go/%s/@v/list HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' "$M" |
		setpriv --reuid=65534 --regid=65534 --clear-groups "$B/goreg-httpd" -r "$R" >"$T/out" 2>"$T/err"
	like "$(head -n 1 "$T/out")" "^HTTP/1.1 200 " "a store the server's user may only read: served"
	chmod -R go-rwx "$R"
	chmod 750 "$R"
else
	diag "not root or no setpriv: the unreadable store is not tried"
fi

# a store with no accounts yet is not an error: 401, as before
mkdir "$T/empty"
cgi "$T/empty"
like "$(head -n 1 "$T/out")" "^Status: 401" "an empty store: 401 (no accounts yet)"
done_testing
