#!/bin/sh
# The pages, in a real browser: headless Chromium (Debian's chromium)
# loads the front page, an owner's page, a module's page and a search of
# a test store served by goreg-httpd, and the DOM it builds shows the
# versions (newest first, semver order), the retracted and deprecated
# marks, the install line (which the go command then runs as it is) and
# the README; hostile text from go.mod, README and the query stays text
# (no script or img element, the characters shown literally).  Screenshots
# of the three pages go to build/test-logs/t1200-web-pages/.  Then with
# curl, through both front ends: a private owner's pages need a login
# (401 with WWW-Authenticate, alike for an unknown owner), lists show only
# what the caller may read, the security headers, conditional GET and
# HEAD, /healthz (200, 503 for a store without readable metadata) and
# /metrics (a strict parser of the text format, promtool when installed).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"
command -v chromium >/dev/null 2>&1 || skip_all "chromium is not installed (Debian package chromium)"

LOGDIR=$GOREG_TOP/${GOREG_O:-build}/test-logs/t1200-web-pages
mkdir -p "$LOGDIR" || bail "cannot create $LOGDIR"

# ---- the store: public owner pub, private owner alice ----
R=$T/store
admin "$R" user add pub >/dev/null && admin "$R" user add alice >/dev/null &&
	admin "$R" owner private alice >/dev/null || bail "goreg-admin failed"
TOK=$(admin "$R" token add alice) || bail "goreg-admin token add failed"
HOSTILE_README='<script>alert(1)</script> "><img src=x onerror=alert(1)> [x](javascript:alert(1))'

mkdir -p "$T/hello" "$T/old" "$T/secret"
cat > "$T/hello/go.mod" <<'EOF'
module example.com/hello

go 1.19

retract (
	// broken "><img src=x onerror=alert(1)> <script>alert(2)</script>
	v1.0.0
	[v1.1.0-beta.1, v1.1.0-beta.9] // early pre-releases
)
EOF
printf 'package hello\n\n// Hello greets.\nfunc Hello() string { return "hello" }\n' > "$T/hello/hello.go"
printf '# hello\n\n%s\n' "$HOSTILE_README" > "$T/hello/README.md"
printf '// Deprecated: use example.com/hello <script>alert(3)</script>\nmodule example.com/old\n\ngo 1.19\n' \
	> "$T/old/go.mod"
printf 'package old\n' > "$T/old/old.go"
printf 'module example.com/secret\n\ngo 1.19\n' > "$T/secret/go.mod"
printf 'package secret\n' > "$T/secret/secret.go"

# upload OWNER DIR MODULE VERSION TIME
put() {
	"$B/goreg-pack" -o "$T/z.zip" "$3" "$4" "$2" &&
		GOREG_NOW=$5 "$B/goreg-upload" -r "$R" -u "$1" "$1" "$T/z.zip" 2>/dev/null ||
		bail "upload of $3@$4 failed"
}
put pub "$T/hello" example.com/hello v1.0.0 1700000000
put pub "$T/hello" example.com/hello v1.1.0-beta.1 1700000100
put pub "$T/hello" example.com/hello v1.1.0 1700000200
put pub "$T/hello" example.com/hello v1.2.0-rc.1 1700000300
put pub "$T/old" example.com/old v0.1.0 1700000400
put alice "$T/secret" example.com/secret v1.0.0 1700000500
mkdir -p "$T/caps" && printf 'module example.com/Odd~Name_x\n\ngo 1.19\n' > "$T/caps/go.mod" &&
	printf 'package odd\n' > "$T/caps/odd.go"
put alice "$T/caps" example.com/Odd~Name_x v0.0.1 1700000600
# a version published from a git tag by goreg-git (its time: the commit's)
mkdir -p "$T/repo" && (
		cd "$T/repo" && export HOME="$T" GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.com \
			GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.com GIT_AUTHOR_DATE=2023-11-14T22:30:00Z \
			GIT_COMMITTER_DATE=2023-11-14T22:30:00Z &&
		git init -q && printf 'module example.com/fromgit\n\ngo 1.19\n' > go.mod &&
		printf 'package fromgit\n' > f.go && git add -A && git commit -qm one && git tag v0.2.0
	) && "$B/goreg-git" -r "$R" -u pub pub "$T/repo" v0.2.0 > /dev/null || bail "goreg-git failed"
start_httpd "$R"

# ---- in the browser ----
# dom NAME PATH: the DOM Chromium builds for the page, in $T/NAME.html
dom() {
	timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run \
		--user-data-dir="$T/chromium" --dump-dom "$BASE$2" > "$T/$1.html" 2>>"$T/chromium.log"
}
# shot NAME PATH: a screenshot of the page into the log directory
shot() {
	rm -f "$LOGDIR/$1.png"
	timeout 60 chromium --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
		--user-data-dir="$T/chromium" --window-size=1200,900 --screenshot="$LOGDIR/$1.png" "$BASE$2" \
		>>"$T/chromium.log" 2>&1
	[ -s "$LOGDIR/$1.png" ] && [ "$(head -c 8 "$LOGDIR/$1.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]
}
# inert NAME: no element a page's text could have made.  Chromium's
# serialisation escapes '<' and '>' in text and attribute values alike,
# so every '<' left opens a real tag.
inert() {
	perl -ne 'while (/<([a-zA-Z][^\s>\/]*)([^>]*)>/g) {
		my ($t, $a) = (lc $1, $2);
		$bad++, print STDERR "bad element: <$t$a>\n" if $t =~ /^(script|img|iframe|object|embed|svg|math)$/;
		# name="value" pairs: a value holds no double quote (it is &quot;)
		while ($a =~ /\s([^\s="]+)(?:="([^"]*)")?/g) {
			my ($n, $v) = (lc $1, defined $2 ? $2 : "");
			$bad++, print STDERR "bad attribute: <$t$a>\n"
				if $n =~ /^on/ || ($n =~ /^(href|src|action)$/ && $v =~ /^\s*javascript:/i);
		}
	} END { exit($bad ? 1 : 0) }' "$T/$1.html"
	ok $? "$1: no script, img, iframe or object element, no handler attribute, no javascript: URL"
}
has() { grep -qF -- "$2" "$T/$1.html"; }
# versions NAME: the versions of the module page's table, in page order
versions() {
	perl -ne 'print "$1 " while m{<tr><td><code>(v[^<]*)</code>}g' "$T/$1.html" | sed 's/ $//'
}

dom index / || bail "chromium could not load the front page (see $T/chromium.log)"
has index '<a href="/-/owner/pub">pub</a>'
ok $? "front page: lists the public owner"
has index 'alice'
ok "$((1 - $?))" "front page: an anonymous caller sees nothing of the private owner"
has index 'example.com/secret'
ok "$((1 - $?))" "front page: nor its module among the latest uploads"
is "$(perl -ne 'print "$1 " while m{<td>(v[0-9][^<]*)</td>}g' "$T/index.html" | sed 's/ $//')" \
	"v0.2.0 v0.1.0 v1.2.0-rc.1 v1.1.0 v1.1.0-beta.1 v1.0.0" "front page: the latest uploads, newest first"
has index '<form action="/-/search" method="get"'
ok $? "front page: a search form (GET)"
has index '<meta name="viewport" content="width=device-width, initial-scale=1">'
ok $? "front page: a viewport for phones"

dom owner /-/owner/pub || bail "chromium could not load the owner page"
has owner '<a href="/-/module/pub/example.com/hello">example.com/hello</a></td><td>v1.1.0</td>'
ok $? "owner page: each module with its latest version (the highest release)"
has owner '<time datetime="2023-11-14T22:16:40Z">'
ok $? "owner page: and that version's time"
has owner 'example.com/old'
ok $? "owner page: every module of the owner"

dom module /-/module/pub/example.com/hello || bail "chromium could not load the module page"
is "$(versions module)" "v1.2.0-rc.1 v1.1.0 v1.1.0-beta.1 v1.0.0" "module page: versions newest first, in semver order"
LINE="GOPROXY=$BASE/api/packages/pub/go GONOSUMDB=example.com/hello go get example.com/hello@v1.1.0"
has module "$LINE"
ok $? "module page: the install line for this server"
is "$(grep -c 'class="mark retracted"' "$T/module.html")" 2 "module page: two versions marked retracted"
like "$(grep -A1 '<code>v1.1.0-beta.1</code>' "$T/module.html" | tr '\n' ' ')" 'retracted.*early pre-releases' \
	"module page: a retracted pre-release, in a range, with its rationale"
has module 'uploaded by pub'
ok $? "module page: where each version came from"
has module 'h1:'
ok $? "module page: the h1: hashes"
has module '&lt;script&gt;alert(1)&lt;/script&gt; "&gt;&lt;img src=x onerror=alert(1)&gt; [x](javascript:alert(1))'
ok $? "module page: the README's hostile text shown literally"
has module 'broken "&gt;&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt;'
ok $? "module page: so is go.mod's, in the rationale and in the go.mod shown"
inert module

dom git /-/module/pub/example.com/fromgit || bail "chromium could not load the git module's page"
has git 'published from git by pub'
ok $? "module page: a version published from a git tag says so"
dom old /-/module/pub/example.com/old || bail "chromium could not load the deprecated module's page"
has old 'Deprecated:</strong> use example.com/hello &lt;script&gt;alert(3)&lt;/script&gt;'
ok $? "deprecated module: the deprecation message, as text"
inert old
# the page shows the go.mod the proxy serves: the record's copy, not a
# .mod file changed by hand
OLDMOD=$R/pub/example.com/old/@v/v0.1.0.mod
cp "$OLDMOD" "$T/old.mod.keep"
printf 'module example.com/old\n\ngo 1.19\n' > "$OLDMOD"
dom old2 /-/module/pub/example.com/old || bail "chromium could not load the deprecated module's page again"
has old2 'Deprecated:</strong> use example.com/hello'
ok $? "deprecated module: still so with its .mod file changed by hand (the page reads the record's copy)"
# a record without a copy (an older goreg's; here its key made one this
# goreg does not know, the record's length kept): the page reads the file
cp "$R/pub/index.tdb" "$T/pub-index.keep"
perl -0777 -pi -e 's/\ngomod=(\/\/ Deprecated: use example\.com\/hello)/\nxomod=$1/' "$R/pub/index.tdb"
dom old3 /-/module/pub/example.com/old || bail "chromium could not load the deprecated module's page a third time"
has old3 'Deprecated:'
[ $? -ne 0 ]
ok $? "deprecated module: with no copy in its record, the page reads the .mod file (no longer deprecated)"
cp "$T/old.mod.keep" "$OLDMOD"
dom old4 /-/module/pub/example.com/old || bail "chromium could not load the deprecated module's page a fourth time"
has old4 'Deprecated:</strong> use example.com/hello'
ok $? "  and the file back: deprecated again"
cp "$T/pub-index.keep" "$R/pub/index.tdb"

dom search '/-/search?q=%22%3E%3Cimg+src%3Dx+onerror%3Dalert(1)%3E'
has search 'value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"'
ok $? "search: a hostile query is given back as text in the field"
inert search
dom search2 '/-/search?q=HELLO'
has search2 '<a href="/-/module/pub/example.com/hello">example.com/hello</a>'
ok $? "search: a substring of a module path finds it, case ignored"
has search2 'example.com/old'
ok "$((1 - $?))" "search: and only what holds it"

for p in "index /" "owner /-/owner/pub" "module /-/module/pub/example.com/hello"; do
	shot $p
	ok $? "screenshot of the ${p%% *} page: $LOGDIR/${p%% *}.png"
done

# the install line, as the page shows it, run by the go command
mkdir -p "$T/app"
printf 'module app\n\ngo 1.19\n' > "$T/app/go.mod"
line=$(perl -ne 'print "$1\n" if m{<code>(GOPROXY=[^<]*)</code>}' "$T/module.html" | head -n 1)
(cd "$T/app" && go_env sh -c "$line" > "$T/goget.log" 2>&1)
ok $? "the page's install line works: $line"
grep -q 'example.com/hello v1.1.0' "$T/app/go.mod"
ok $? "  and go.mod requires example.com/hello v1.1.0"

# ---- with curl, through both front ends ----
# the CGI as a web server that routes the site's paths to it passes them
# (etc/: REQUEST_URI is the raw path, as for /api/)
page() {
	_p=$3
	CGI_ENV="REQUEST_URI=${_p%%\?*} QUERY_STRING=$(printf '%s' "$_p" | sed -n 's/^[^?]*?//p') ${CGI_ENV:-}" \
		fetch "$@"
}
BASIC="Authorization: Basic $(b64 "alice:$TOK")"
for FE in httpd cgi; do
	code=$(page $FE GET /-/owner/alice)
	is "$code" 401 "$FE: a private owner's page needs a login"
	is "$(hdr WWW-Authenticate)" 'Basic realm="goreg"' "$FE:   the browser is asked for one"
	cp "$T/body" "$T/body.private"
	code=$(page $FE GET /-/owner/nosuchowner)
	is "$code" 401 "$FE: an unknown owner's page answers the same"
	cmp -s "$T/body" "$T/body.private"
	ok $? "$FE:   with the same body"
	is "$(page $FE GET /-/module/alice/example.com/secret)" 401 "$FE: so does a private module's page"
	is "$(page $FE GET /-/owner/alice "$BASIC")" 200 "$FE: with credentials, the private owner's page"
	grep -q 'example.com/secret' "$T/body"
	ok $? "$FE:   lists its module"
	href=$(sed -n 's|.*<a href="\(/-/module/alice/[^"]*Odd[^"]*\)">.*|\1|p' "$T/body" | head -n 1)
	is "$href" "/-/module/alice/example.com/Odd~Name_x" "$FE:   links a module path with capitals and '~' as it is"
	is "$(page $FE GET "$href" "$BASIC")" 200 "$FE:   and the link leads to its page"
	is "$(page $FE GET /-/module/alice/example.com/secret "$BASIC")" 200 "$FE: and the module's page"
	grep -q 'machine [^ ]* login alice password TOKEN' "$T/body"
	ok $? "$FE:   says how the go command logs in (.netrc)"
	is "$(page $FE GET / "$BASIC")" 200 "$FE: the front page with credentials"
	grep -q 'href="/-/owner/alice"' "$T/body"
	ok $? "$FE:   lists the private owner too"
	is "$(page $FE GET /-/login)" 401 "$FE: /-/login asks for credentials"
	is "$(page $FE GET /-/login "$BASIC")" 303 "$FE: and, given them, goes back"
	is "$(hdr Location)" "/-/" "$FE:   to the front page below /-/"
	is "$(page $FE GET /-/owner/pub "Authorization: Bearer goreg_$(printf '%064d' 0)")" 401 \
		"$FE: a bad token is refused, not ignored"

	code=$(page $FE GET /-/module/pub/example.com/hello)
	is "$code" 200 "$FE: the module page"
	is "$(hdr Content-Type)" "text/html; charset=utf-8" "$FE:   is HTML"
	is "$(hdr Content-Security-Policy)" \
		"default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" \
		"$FE:   with a strict Content-Security-Policy"
	is "$(hdr X-Content-Type-Options)" nosniff "$FE:   and nosniff"
	etag=$(hdr ETag)
	like "$etag" '^"p[0-9a-f]{32}"$' "$FE:   and an ETag"
	is "$(page $FE GET /-/module/pub/example.com/hello "If-None-Match: $etag")" 304 \
		"$FE: If-None-Match with it: 304"
	is "$(page $FE HEAD /-/module/pub/example.com/hello)" 200 "$FE: HEAD: 200"
	is "$(hdr ETag)" "$etag" "$FE:   with the same ETag"
	is "$(page $FE POST /-/owner/pub)" 405 "$FE: POST on a page: 405"
	is "$(hdr Allow)" "GET, HEAD" "$FE:   Allow: GET, HEAD"
	is "$(page $FE GET /-/module/pub/example.com/nothere)" 404 "$FE: an unknown module: 404"
	is "$(page $FE GET /-/nothing)" 404 "$FE: an unknown page under /-/: 404"
	is "$(page $FE GET /-/style.css)" 200 "$FE: the stylesheet"
	is "$(hdr Content-Type)" "text/css; charset=utf-8" "$FE:   is CSS"
	is "$(page $FE GET /api/packages/pub/go/example.com/hello/@v/list)" 200 "$FE: the API is still there"
	is "$(cat "$T/body")" "$(printf 'v1.0.0\nv1.1.0-beta.1\nv1.1.0\nv1.2.0-rc.1')" "$FE:   and answers as before"
done
# HEAD on the wire: the head alone, its Content-Length the page's
printf 'HEAD /-/owner/pub HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
	GOREG_ROOT=$R "$B/goreg-httpd" 2>/dev/null > "$T/head.out"
page httpd GET /-/owner/pub > /dev/null
is "$(tr -d '\r' < "$T/head.out" | sed -n 's/^Content-Length: //p')" "$(wc -c < "$T/body" | tr -d ' ')" \
	"httpd: HEAD announces the page's length"
is "$(perl -0777 -ne 'print length((split /\r\n\r\n/, $_, 2)[1])' "$T/head.out")" 0 "httpd:   and sends no body"
page httpd GET /-/owner/pub > /dev/null && cp "$T/body" "$T/owner.httpd"
page cgi GET /-/owner/pub > /dev/null
cmp -s "$T/body" "$T/owner.httpd"
ok $? "both front ends serve the same owner page"
# base_is ENV WANT DESC: the install line's base the CGI makes with ENV
base_is() {
	CGI_ENV=$1 page cgi GET /-/module/pub/example.com/hello > /dev/null
	grep -qF "GOPROXY=$2/api/packages/pub/go " "$T/body"
	ok $? "cgi: $3"
}
base_is "HTTPS=on HTTP_HOST=reg.example SERVER_PORT=443" https://reg.example "HTTPS=on and the Host make the install line's base"
base_is "HTTPS=on HTTP_HOST=reg.example SERVER_PORT=8443" https://reg.example:8443 \
	"a Host without its port gets SERVER_PORT's, when not the scheme's"
base_is "HTTP_HOST=reg.example:8080 SERVER_PORT=80" http://reg.example:8080 "a Host with a port keeps it"
base_is "GOREG_BASE_URL=https://goreg.example/sub/" https://goreg.example/sub "GOREG_BASE_URL overrides it"

# ---- /healthz ----
is "$(page httpd GET /healthz)" 200 "healthz: 200"
is "$(cat "$T/body")" ok "healthz:   ok"
is "$(page httpd HEAD /healthz)" 200 "healthz: HEAD 200"
mv "$R/goreg.tdb" "$R/goreg.tdb.away"
is "$(page httpd GET /healthz)" 503 "healthz: no accounts database: 503"
like "$(cat "$T/body")" '^accounts database unreadable: No such file or directory$' "healthz:   saying why, in one line"
printf 'not a tdb file at all, not at all, not at all, not at all\n' > "$R/goreg.tdb"
is "$(page httpd GET /healthz)" 503 "healthz: a corrupt accounts database: 503"
is "$(wc -l < "$T/body" | tr -d ' ')" 1 "healthz:   one line"
mv "$R/goreg.tdb.away" "$R/goreg.tdb"
is "$(page httpd GET /healthz)" 200 "healthz: 200 again once it is back"
R_SAVE=$R
R=$T/nostore
is "$(page cgi GET /healthz)" 503 "healthz (cgi): a missing store: 503"
like "$(cat "$T/body")" '^store root unreadable: No such file or directory$' "healthz (cgi):   saying so"
R=$R_SAVE

# ---- /metrics ----
is "$(page httpd GET /metrics)" 200 "metrics: 200"
like "$(hdr Content-Type)" '^text/plain; version=0.0.4' "metrics:   the text format's content type"
perl "$GOREG_TOP/tests/integration/promcheck.pl" < "$T/body" > "$T/promcheck.out"
ok $? "metrics:   every line well formed $(head -n 3 "$T/promcheck.out" | tr '\n' ' ')"
if command -v promtool >/dev/null 2>&1; then
	promtool check metrics < "$T/body" > "$T/promtool.out" 2>&1
	ok $? "metrics:   promtool check metrics agrees"
fi
grep -qx 'goreg_versions{owner="pub"} 6' "$T/body"
ok $? "metrics:   versions per owner"
grep -qx 'goreg_modules{owner="pub"} 3' "$T/body"
ok $? "metrics:   modules per owner"
grep -qx 'goreg_uploads_total{owner="pub"} 6' "$T/body"
ok $? "metrics:   uploads per owner, from the audit log"
grep -qx 'goreg_last_publish_timestamp_seconds{owner="pub"} 1700001000' "$T/body"
ok $? "metrics:   the last publish time"
grep -q 'alice' "$T/body"
ok "$((1 - $?))" "metrics:   nothing of the private owner for an anonymous caller"
"$B/goreg-delete" -r "$R" pub example.com/hello v1.2.0-rc.1 2>/dev/null
page httpd GET /metrics "$BASIC" > /dev/null
grep -qx 'goreg_deletes_total{owner="pub"} 1' "$T/body" && grep -qx 'goreg_versions{owner="pub"} 5' "$T/body"
ok $? "metrics: a delete is counted and the version gone"
grep -qx 'goreg_versions{owner="alice"} 2' "$T/body"
ok $? "metrics:   the private owner's series for a caller who may read it"
done_testing
