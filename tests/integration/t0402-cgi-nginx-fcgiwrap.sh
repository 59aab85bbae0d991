#!/bin/sh
# goreg.cgi behind nginx + fcgiwrap (FastCGI to CGI), configured by
# etc/nginx/goreg.conf: the same answers as
# goreg-httpd, uploads (chunked too) and a DELETE whose module keeps its
# %2F, which only REQUEST_URI carries; the pages, /healthz and /metrics.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
command -v nginx >/dev/null 2>&1 || skip_all "nginx is not installed"
command -v fcgiwrap >/dev/null 2>&1 || skip_all "fcgiwrap is not installed"
setup_registry
start_httpd "$R"

# one process (no -c: nothing forked that the cleanup would miss), and
# no inherited stdout: the TAP stream must end when the test does
fcgiwrap -s "unix:$T/fcgi.sock" </dev/null >"$T/fcgiwrap.err" 2>&1 &
_pids="$_pids $!" # lib.sh's cleanup stops it
i=0
while [ ! -S "$T/fcgi.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
[ -S "$T/fcgi.sock" ] || bail "fcgiwrap did not start"

mkdir -p "$T/nginx/tmp"
cp /etc/nginx/fastcgi_params "$T/nginx/"
# the example configuration shipped in etc/, pointed at this test's files
sed -e "s|/usr/local/bin/goreg.cgi|$B/goreg.cgi|" -e "s|/var/lib/goreg|$R|" -e "s|unix:/run/fcgiwrap.socket|unix:$T/fcgi.sock|" \
	"$GOREG_TOP/etc/nginx/goreg.conf" > "$T/nginx/goreg.conf"
nginx_server() {
	printf '%s\n' "listen 127.0.0.1:$NPORT;" "include $T/nginx/goreg.conf;"
}
start_nginx
N=http://127.0.0.1:$NPORT

code=$(http --user "acme:$TOKEN" --upload-file "$T/hello.zip" "$N/api/packages/acme/go/upload")
is "$code" 201 "upload through nginx + fcgiwrap + goreg.cgi: 201"
code=$(http --user "acme:$TOKEN" -H 'Transfer-Encoding: chunked' --upload-file "$T/hello11.zip" "$N/api/packages/acme/go/upload")
is "$code" 201 "chunked upload: 201"
curl -s -o "$T/got.zip" "$BASE/api/packages/acme/go/$M/@v/v1.1.0.zip"
cmp -s "$T/got.zip" "$T/hello11.zip"
ok $? "stored byte for byte"

# same_as_httpd "WHAT|PATH"...: nginx answers each as goreg-httpd does
same_as_httpd() {
	for c in "$@"; do
		what=${c%%|*}
		p=${c#*|}
		a=$(curl -s -w ' %{http_code}' "$BASE$p" | sha256sum)
		b=$(curl -s -w ' %{http_code}' "$N$p" | sha256sum)
		is "$b" "$a" "$what: the same status and body as goreg-httpd"
	done
}
P=/api/packages/acme/go/$M
same_as_httpd "list|$P/@v/list" ".info|$P/@v/v1.0.0.info" ".zip|$P/@v/v1.0.0.zip" "@latest|$P/@latest" \
	"GitLab layout|/api/v4/projects/acme/packages/go/$M/@v/list" "unknown module|/api/packages/acme/go/example.com/nothere/@v/list" \
	"sumdb|/api/packages/acme/go/sumdb/sum.golang.org/supported"
# nginx answers a malformed escape itself, with its own page
is "$(http "$N/api/packages/acme/go/example.com/h%zzllo/@v/list")" 400 "malformed escape: 400"
is "$(http -H 'If-None-Match: *' "$N$P/@v/v1.0.0.zip")" 304 "If-None-Match: 304"
is "$(http -r 0-9 "$N$P/@v/v1.0.0.zip")" 206 "Range: 206"
head -c 10 "$T/hello.zip" | cmp -s - "$T/body"
ok $? "the first ten bytes"
is "$(http --user "acme:wrong" --upload-file "$T/hello.zip" "$N/api/packages/acme/go/upload")" 401 "a wrong token: 401 (Authorization reaches the CGI)"
is "$(http --user "acme:$TOKEN" -X DELETE "$N/api/v1/packages/acme/go/example.com%2Fhello/v1.1.0")" 204 "DELETE with %2F: 204"
is "$(http "$BASE$P/@v/v1.1.0.info")" 404 "gone for goreg-httpd too"
spool_empty
ok $? "nothing left in the spool directory"

# the pages and the operators' paths through the same configuration
same_as_httpd "front page|/" "owner page|/-/owner/acme" "stylesheet|/-/style.css" "health|/healthz" "metrics|/metrics"
is "$(http "$N/-/module/acme/$M")" 200 "module page: 200"
grep -qF "GOPROXY=$N/api/packages/acme/go GONOSUMDB=$M go get $M@v1.0.0" "$T/body"
ok $? "  with this server's install line"; grep GOPROXY "$T/body" | sed "s/^/# /"
done_testing
