#!/bin/sh
# The pages wherever the front end is mounted, the checksum database on
# them, and refused writes in /metrics.
# - goreg.cgi under lighttpd, at the root as etc/lighttpd/goreg.conf maps
#   it (pages included) and mounted as /cgi-bin/goreg.cgi: every link and
#   form of the front, owner and module pages stays under the mount and
#   answers; the install line names the mount, and the go command runs it
#   as it is; signing in goes back below the mount.
# - An owner with its own checksum database: the module page shows each
#   version's record and GOSUMDB with the owner's key, in the install line
#   once an upstream checksum database lets it check public modules too,
#   else offered beside GONOSUMDB (the go command verifies with exactly
#   those lines); an owner without one gets GONOSUMDB.
# - The front page and /metrics walk the owners' indexes mapped (counted
#   in system calls when strace is at hand).
# - /metrics: the records of each owner's database, and refused writes per
#   owner, operation and status, shown only to callers who may read the
#   owner; a refusal for an unknown owner is shown to nobody.
# - Pages on one keep-alive connection, after API reads and again.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"
command -v lighttpd >/dev/null 2>&1 || skip_all "lighttpd is not installed"
command -v go >/dev/null 2>&1 || skip_all "no go command"

R=$T/store
admin "$R" user add pub >/dev/null && admin "$R" user add alice >/dev/null &&
	admin "$R" owner private alice >/dev/null || bail "goreg-admin failed"
TOK=$(admin "$R" token add alice) && PTOK=$(admin "$R" token add pub) &&
	RO=$(admin "$R" token add pub --read-only) || bail "goreg-admin token add failed"
make_module "$T/hello" example.com/hello
make_module "$T/secret" example.com/secret
for v in v1.0.0 v1.1.0 v1.2.0; do
	pack example.com/hello $v "$T/hello" "$T/hello-$v.zip" || bail "pack"
done
pack example.com/secret v1.0.0 "$T/secret" "$T/secret.zip" || bail "pack"
"$B/goreg-upload" -r "$R" pub "$T/hello-v1.0.0.zip" 2> /dev/null &&
	"$B/goreg-upload" -r "$R" pub "$T/hello-v1.1.0.zip" 2> /dev/null &&
	"$B/goreg-upload" -r "$R" alice "$T/secret.zip" 2> /dev/null || bail "upload failed"
KEY=$(admin "$R" sumdb init pub goreg.test) || bail "sumdb init failed"
"$B/goreg-upload" -r "$R" pub "$T/hello-v1.2.0.zip" 2> /dev/null || bail "upload failed"
start_httpd "$R"

# ---- lighttpd: the shipped configuration at the root, and a mount ----
start_lighttpd_cgi "$R"
MNT=/cgi-bin/goreg.cgi

# crawl NAME SERVER MOUNT [CURL-ARGS]: the front, owner and module pages
# under MOUNT answer 200, and every href and form action on them begins
# with MOUNT/ and answers (the sign-in link 401 without credentials, 303
# with them)
crawl() {
	_n=$1 _s=$2 _m=$3
	shift 3
	_bad= _links=0
	for _p in /-/ /-/owner/pub /-/module/pub/example.com/hello; do
		_c=$(http "$@" "$_s$_m$_p")
		[ "$_c" = 200 ] || _bad="$_bad $_p:$_c"
		grep -o '\(href\|action\)="[^"]*"' "$T/body" | sed 's/^[a-z]*="//; s/"$//' | sort -u > "$T/links"
		while read -r _h; do
			_links=$((_links + 1))
			case $_h in
			"$_m"/*) ;;
			*) _bad="$_bad outside:$_h"; continue ;;
			esac
			_c=$(http "$@" "$_s$_h")
			case $_h:$_c in
			*/-/login:401 | */-/login:303 | *:200) ;;
			*) _bad="$_bad $_h:$_c" ;;
			esac
		done < "$T/links"
	done
	[ -z "$_bad" ] && [ "$_links" -ge 9 ]
	ok $? "$_n: the pages and their $_links links stay under '$_m' and answer$_bad"
}
crawl "goreg-httpd at the root" "$BASE" ""
crawl "goreg.cgi at the root (etc/lighttpd)" "$L" ""
crawl "goreg.cgi mounted" "$L" "$MNT"
crawl "goreg.cgi mounted, signed in" "$L" "$MNT" --user "alice:$TOK"
is "$(http "$L/healthz")" 200 "etc/lighttpd maps /healthz"
is "$(http "$L/metrics")" 200 "and /metrics"
is "$(http "$L/")" 200 "and /"
is "$(http "$L$MNT/healthz")" 200 "mounted: /healthz"
is "$(http "$L/cgi-bin/goreg.cgi/-/owner/alice")" 401 "mounted: a private owner's page needs a login"
is "$(http --user "alice:$TOK" "$L$MNT/-/owner/alice")" 200 "  and shows with one"
is "$(http -D "$T/hdr.raw" --user "alice:$TOK" "$L$MNT/-/login")" 303 "mounted: signing in"
is "$(tr -d '\r' < "$T/hdr.raw" | sed -n 's/^Location: //Ip')" "$MNT/-/" "  goes back to the front page under the mount"
is "$(http "$L$MNT/api/packages/pub/go/example.com/hello/@v/list")" 200 "mounted: the API still answers"
# mapped onto /api (SCRIPT_NAME /api), the program answers the API alone
is "$(http "$L/api/metrics")" 404 "/api/metrics is no way around the server's mapping: 404"
is "$(http "$L/api/-/owner/pub")" 404 "  nor /api/-/owner/pub"
is "$(http "$L/api/healthz")" 404 "  nor /api/healthz"

# one connection for pages after API reads and pages again (a browser's
# reload): goreg-httpd keeps an index open between requests
urls=
for p in /-/owner/pub /-/owner/pub /api/packages/pub/go/example.com/hello/@v/v1.0.0.info /-/ /metrics \
	/-/module/pub/example.com/hello /-/module/pub/example.com/hello /-/search?q=hello /-/owner/pub; do
	urls="$urls -o /dev/null $BASE$p"
done
# shellcheck disable=SC2086
got=$(curl -sS --max-time 60 -w '%{http_code} %{num_connects}\n' $urls | awk '{ s = s $1 " "; c += $2 } END { print s c }')
is "$got" "200 200 200 200 200 200 200 200 200 1" "nine pages and reads on one keep-alive connection: all 200"

# the install line of a module page, as a shell would see it
install_line() {
	sed -n 's|.*<pre class="install"><code>\([^<]*\)</code>.*|\1|p' "$T/body" |
		sed 's/&amp;/\&/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&lt;/</g; s/&gt;/>/g'
}
# run_line NAME LINE: the go command, in a new module, with the line's
# settings (VAR=VALUE words, then the command), as a user would paste it
run_line() {
	rm -rf "$T/use" "$T/gopath/pkg/mod/cache/download/example.com" "$T/gopath/pkg/mod/example.com"
	mkdir -p "$T/use" && printf 'module example.com/use\n\ngo 1.19\n' > "$T/use/go.mod"
	(cd "$T/use" && eval "go_env GONOSUMDB= GOSUMDB=off $2") > "$T/go.out" 2>&1
	ok $? "$1: the go command runs the page's install line as it is ($(tail -n 2 "$T/go.out" | tr '\n' ' '))"
}

# ---- the checksum database on the pages ----
is "$(http "$BASE/-/module/pub/example.com/hello")" 200 "the module page of an owner with a database"
is "$(install_line)" "GOPROXY=$BASE/api/packages/pub/go GONOSUMDB=example.com/hello go get example.com/hello@v1.2.0" \
	"  without an upstream database, its install line still says GONOSUMDB (public dependencies)"
grep -qF "check them all with <code>GOSUMDB=$KEY</code> in place of GONOSUMDB" "$T/body"
ok $? "  and it offers GOSUMDB with the owner's key for modules whose dependencies are all here"
grep -q '<th>checksum database</th>' "$T/body" && grep -q '<td>record 0</td>' "$T/body" &&
	grep -q '<td>record 2</td>' "$T/body"
ok $? "  each version shows its record in the database"
run_line "GOSUMDB in place of GONOSUMDB" "$(install_line | sed "s| GONOSUMDB=example.com/hello | GOSUMDB=$KEY |")"
grep -q '^example.com/hello v1.2.0 h1:' "$T/use/go.sum" &&
	is "$(grep -c 'h1:' "$T/use/go.sum")" 2 "  go.sum has the lines the database logged"
# an upstream checksum database makes the owner's one whole
admin "$R" user add up > /dev/null && UPKEY=$(admin "$R" sumdb init up up.test) &&
	admin "$R" upstream sumdb pub "$UPKEY" http://127.0.0.1:9/ > /dev/null || bail "upstream sumdb failed"
is "$(http "$BASE/-/module/pub/example.com/hello")" 200 "with an upstream database"
line=$(install_line)
is "$line" "GOPROXY=$BASE/api/packages/pub/go GOSUMDB=$KEY go get example.com/hello@v1.2.0" \
	"  the install line gives GOSUMDB with the owner's key"
run_line "with GOSUMDB" "$line"
is "$(http --user "alice:$TOK" "$BASE/-/module/alice/example.com/secret")" 200 \
	"the module page of an owner without one"
is "$(install_line)" "GOPROXY=$BASE/api/packages/alice/go GONOSUMDB=example.com/secret go get example.com/secret@v1.0.0" \
	"  says GONOSUMDB"
grep -q 'checksum database</th>\|GOSUMDB' "$T/body"
ok $((!$?)) "  and neither records nor GOSUMDB"
is "$(http "$L$MNT/-/module/pub/example.com/hello")" 200 "mounted: the module page"
line=$(install_line)
is "$line" "GOPROXY=$L$MNT/api/packages/pub/go GOSUMDB=$KEY go get example.com/hello@v1.2.0" \
	"  its install line names the mount"
run_line "mounted" "$line"

# ---- the cost of a walk: each index is read mapped, not a pread(2) for
# each of its 10007 hash chains (20 000 for these two owners) ----
if command -v strace >/dev/null 2>&1; then
	for p in / /metrics; do
		env REQUEST_METHOD=GET REQUEST_URI=$p GOREG_ROOT="$R" GOREG_SECCOMP=0 \
			strace -f -c -o "$T/strace.out" "$B/goreg.cgi" > /dev/null 2>&1
		n=$(awk '$NF == "pread64" { print $4 }' "$T/strace.out")
		[ "${n:-0}" -lt 1000 ]
		ok $? "$p reads the indexes in ${n:-0} pread(2) calls, fewer than 1000"
	done
else
	echo "ok # SKIP no strace: the walk's system calls"
	echo "ok # SKIP no strace: the walk's system calls"
fi

# ---- /metrics: the databases and refused writes ----
BAD=$T/bad.zip
printf 'not a zip' > "$BAD"
is "$(http --user "pub:$PTOK" --upload-file "$BAD" "$BASE/api/packages/pub/go/upload")" 400 "a bad zip: 400"
is "$(http --user "pub:$PTOK" --upload-file "$T/hello-v1.0.0.zip" "$BASE/api/packages/pub/go/upload")" 409 \
	"a version there: 409"
is "$(http --user "pub:$RO" --upload-file "$T/hello-v1.0.0.zip" "$L/api/packages/pub/go/upload")" 403 \
	"a read-only token, through the CGI: 403"
is "$(http --upload-file "$BAD" "$BASE/api/packages/alice/go/upload")" 401 "no credentials for alice: 401"
is "$(http --user "pub:$PTOK" -X DELETE "$BASE/api/v1/packages/pub/go/example.com%2Fhello/v9.9.9")" 404 \
	"a delete of no version: 404"
is "$(http "$BASE/api/packages/pub/go/example.com/hello/@v/v9.9.9.info")" 404 "a read of no version: 404"
is "$(http --user "pub:$PTOK" --upload-file "$BAD" "$BASE/api/packages/nosuchowner/go/upload")" 404 \
	"a write to an unknown owner: 404"

is "$(http "$BASE/metrics")" 200 "metrics, anonymous"
perl "$GOREG_TOP/tests/integration/promcheck.pl" < "$T/body" > "$T/promcheck.out"
ok $? "  every line well formed $(head -n 3 "$T/promcheck.out" | tr '\n' ' ')"
grep '^goreg_refusals_total' "$T/body" | LC_ALL=C sort > "$T/got"
printf '%s\n' 'goreg_refusals_total{owner="pub",op="upload",code="400"} 1' \
	'goreg_refusals_total{owner="pub",op="upload",code="409"} 1' \
	'goreg_refusals_total{owner="pub",op="upload",code="403"} 1' \
	'goreg_refusals_total{owner="pub",op="delete",code="404"} 1' | LC_ALL=C sort > "$T/want"
diff "$T/want" "$T/got" > "$T/diff"
ok $? "  refused writes per owner, operation and status; reads are not counted"
sed 's/^/# /' "$T/diff"
grep -q 'alice' "$T/body"
ok $((!$?)) "  nothing of the private owner"
grep -q 'nosuchowner\|owner="-"' "$T/body"
ok $((!$?)) "  nor of the unknown one (its refusal is counted apart, and shown to nobody)"
grep -qx 'goreg_sumdb_records{owner="pub"} 3' "$T/body"
ok $? "  the records of pub's database"
is "$(http --user "alice:$TOK" "$BASE/metrics")" 200 "metrics, as alice"
grep -qx 'goreg_refusals_total{owner="alice",op="upload",code="401"} 1' "$T/body"
ok $? "  the private owner's refusals for a caller who may read it"
grep -qx 'goreg_sumdb_records{owner="alice"} 0' "$T/body"
ok $? "  and 0 records for an owner without a database"
done_testing
