#!/bin/sh
# An owner's listing, GET /api/v1/packages/OWNER (Gitea's package API:
# a JSON array, one object per version), through goreg-httpd, goreg.cgi
# run as CGI and goreg.cgi under lighttpd with etc/lighttpd/goreg.conf,
# and goreg-list OWNER: the JSON parsed by a strict parser (Perl's
# JSON::PP); a private owner's listing needs read access, and an unknown
# owner answers exactly as a private one; bad owner names and query
# parameters are refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-auth.sh"
perl -MJSON::PP -e1 2>/dev/null || skip_all "no JSON::PP"

setup_store
start_httpd "$R"
"$B/goreg-upload" -r "$R" -u pub pub "$T/secret-v1.2.0.zip" 2>/dev/null || bail "upload"

# jsonl FILE: the listing in FILE parsed strictly, one "name version
# created_at" line per object, or "invalid JSON: ..."
jsonl() {
	perl -MJSON::PP -e 'local $/; my $a = eval { JSON::PP->new->decode(<STDIN>) };
		if (!$a || ref $a ne "ARRAY") { print "invalid JSON: $@"; exit }
		for my $p (@$a) {
			my @k = sort keys %$p;
			print "$p->{name} $p->{version} $p->{type} ", ($p->{created_at} =~ /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/ ? "time" : "bad-time"), " ", scalar @k, "\n";
		}' < "$1"
}

PUB=$(printf '%s\n' "example.com/open v1.0.0 go time 4" "example.com/secret v1.2.0 go time 4")
ACME=$(printf '%s\n' "example.com/secret v1.0.0 go time 4" "example.com/secret v1.1.0 go time 4")
BEARER="Authorization: Bearer"
for FE in httpd cgi; do
	diag "front end: $FE"
	code=$(fetch $FE GET /api/v1/packages/pub)
	is "$code" 200 "$FE: anonymous GET /api/v1/packages/pub (public) is 200"
	is "$(hdr Content-Type)" application/json "$FE:   application/json"
	is "$(jsonl "$T/body")" "$PUB" "$FE:   every version, by module path, each with type, name, version, created_at"
	code=$(fetch $FE GET '/api/v1/packages/pub?type=go')
	is "$code $(jsonl "$T/body")" "200 $PUB" "$FE: ?type=go lists the same"
	code=$(fetch $FE GET '/api/v1/packages/pub?type=npm')
	is "$code $(cat "$T/body")" "200 []" "$FE: ?type=npm lists nothing"
	code=$(fetch $FE GET '/api/v1/packages/pub?q=OPEN&type=go')
	is "$code $(jsonl "$T/body")" "200 example.com/open v1.0.0 go time 4" "$FE: ?q=OPEN keeps the paths that hold it"
	code=$(fetch $FE GET '/api/v1/packages/pub?page=2')
	is "$code" 400 "$FE: an unknown query parameter is 400"
	like "$(cat "$T/body")" 'unknown or malformed query parameter "page=2" \(the listing takes type, q\)' "$FE:   naming it"
	code=$(fetch $FE GET '/api/v1/packages/pub?q=%zz')
	is "$code" 400 "$FE: malformed percent-encoding is 400"
	code=$(fetch $FE HEAD /api/v1/packages/pub)
	is "$code" 200 "$FE: HEAD is 200"
	code=$(fetch $FE PUT /api/v1/packages/pub)
	is "$code $(hdr Allow)" "405 GET, HEAD" "$FE: PUT is 405 with Allow: GET, HEAD"

	code=$(fetch $FE GET /api/v1/packages/acme "$BEARER $TOK_BOB")
	is "$code $(jsonl "$T/body")" "200 $ACME" "$FE: bob (read member) lists private acme"
	like "$(hdr Cache-Control)" '^private' "$FE:   Cache-Control: private"
	code=$(fetch $FE GET /api/v1/packages/acme "$BEARER $TOK_ALICE_RO")
	is "$code $(jsonl "$T/body")" "200 $ACME" "$FE: alice's read-only token lists it too"
	code=$(fetch $FE GET /api/v1/packages/alice "$BEARER $TOK_ALICE")
	is "$code $(cat "$T/body")" "200 []" "$FE: an owner without modules lists []"

	# private and unknown: the same answer, anonymous and not a member
	for who in "" "$BEARER $TOK_CAROL"; do
		name=anonymous
		[ -z "$who" ] || name=carol
		fetch $FE GET /api/v1/packages/acme ${who:+"$who"} > "$T/code1"
		cp "$T/body" "$T/body1"
		fetch $FE GET /api/v1/packages/nosuch ${who:+"$who"} > "$T/code2"
		c1=$(cat "$T/code1")
		is "$c1" "$([ -n "$who" ] && echo 404 || echo 401)" "$FE: $name: private acme is $c1"
		# the body names the owner asked for
		is "$(sed s/nosuch/acme/ "$T/body")" "$(cat "$T/body1")" \
			"$FE:   an unknown owner answers $(cat "$T/code2") with the same body"
		is "$(cat "$T/code2")" "$c1" "$FE:   and the same status"
		! grep -q secret "$T/body1"
		ok $? "$FE:   nothing of acme's modules in it"
	done

	for bad in '%2e%2e' 'a%2Fb' 'tmp' 'Bad!name' '%00'; do
		code=$(fetch $FE GET "/api/v1/packages/$bad")
		like "$code $(cat "$T/body")" '^(404 no such owner|400)' "$FE: owner '$bad' is refused ($code)"
	done
done

# goreg-list OWNER: the same bytes, straight on the store
"$B/goreg-list" -r "$R" pub > "$T/list.out"
ok $? "goreg-list pub exits 0"
fetch httpd GET /api/v1/packages/pub > /dev/null
cmp -s "$T/list.out" "$T/body"
ok $? "  and prints exactly what GET /api/v1/packages/pub answers"
"$B/goreg-list" -r "$R" nosuch > "$T/list.out"
is "$? $(cat "$T/list.out")" "0 []" "goreg-list of an owner with no index prints []"
"$B/goreg-list" -r "$R" 'Bad!' 2> "$T/err"
is "$?" 1 "goreg-list of an invalid owner name exits 1"
like "$(cat "$T/err")" "goreg-list: invalid owner 'Bad!'" "  saying so"
"$B/goreg-list" -r "$R" pub example.com/open > "$T/list.out"
is "$? $(cat "$T/list.out")" "0 v1.0.0" "goreg-list OWNER MODULE still lists a module's versions"

# goreg.cgi under lighttpd (etc/lighttpd/goreg.conf), over TLS
skip_unless_lighttpd_tls
make_cert
sed -e "s|/usr/local/bin/goreg.cgi|$B/goreg.cgi|" -e "s|/var/lib/goreg|$R|" \
	"$GOREG_TOP/etc/lighttpd/goreg.conf" > "$T/goreg.conf"
start_lighttpd_tls "include \"$T/goreg.conf\""
L=https://127.0.0.1:$LPORT
for p in pub acme nosuch; do
	for cred in "" "$TOK_BOB"; do
		want=$(curl -s -w ' %{http_code}' ${cred:+-H "$BEARER $cred"} "$BASE/api/v1/packages/$p")
		got=$(curl -s --cacert "$T/tls/cert.pem" -w ' %{http_code}' ${cred:+-H "$BEARER $cred"} \
			"$L/api/v1/packages/$p")
		is "$got" "$want" "lighttpd + goreg.cgi: $p${cred:+ (bob)}: the same status and body as goreg-httpd's (${want##* })"
	done
done
curl -s --cacert "$T/tls/cert.pem" -o "$T/body" -H "$BEARER $TOK_BOB" "$L/api/v1/packages/acme"
is "$(jsonl "$T/body")" "$ACME" "  and it parses"
done_testing
