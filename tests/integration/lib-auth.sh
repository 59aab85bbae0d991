# Helpers shared by the t06NN-auth-*.sh tests (source after lib.sh).
#
# fetch FE METHOD PATH [HEADER...]: one request through a front end, FE is
#   "httpd" (curl to $BASE, a goreg-httpd from start_httpd) or "cgi"
#   (bin/goreg.cgi run directly with the CGI/1.1 variables a web server
#   would set, git t5560-style: RFC 3875 section 4.1).  HEADER is
#   "Name: value".  Prints the status; the header block, CRs and the Date
#   line removed, goes to $T/hdr, the body to $T/body.  $BODY, if set,
#   names a file sent as the request body.  The CGI sees GOREG_ROOT=$R,
#   REMOTE_ADDR=$CGI_ADDR (192.0.2.7 unless set) and $CGI_ENV (V=X words).
# b64 STRING: base64 of STRING (for Basic credentials by hand).
# go_netrc_download BASE USER TOKEN MODULE@VERSION: the go command with a
#   .netrc and $T/tls/cert.pem downloads it ($GO_JSON; see below).
# make_cert: a self-signed certificate for 127.0.0.1 in $T/tls/cert.pem
#   (key in $T/tls/key.pem); go checks the IP SAN, not the CN.
# start_lighttpd_tls CONFIG...: lighttpd with TLS on a free 127.0.0.1 port
#   ($LPORT), the given config lines added; stopped at exit.
# setup_store: $R with the cast of these tests (below), tokens in
#   $TOK_ALICE (write), $TOK_ALICE_RO (read-only), $TOK_BOB, $TOK_CAROL,
#   and $TOK_PUB, modules uploaded with goreg-upload.

CGI_ADDR=${CGI_ADDR:-192.0.2.7}

b64() { printf '%s' "$1" | base64 -w0; }

# split_cgi OUT: a CGI reply (header block, empty line, body) into
# $T/hdr and $T/body
split_cgi() {
	perl -e 'local $/; binmode STDIN; my $all = <STDIN>;
		my ($h, $b) = split(/\r\n\r\n/, $all, 2);
		open(my $H, ">", $ARGV[0]) or die; print $H "$h\n";
		open(my $B, ">", $ARGV[1]) or die; binmode $B; print $B (defined $b ? $b : "");' \
		"$T/hdr.raw" "$T/body" < "$1"
}

norm_hdr() { tr -d '\r' < "$T/hdr.raw" | grep -v '^Date: ' > "$T/hdr"; }

fetch() {
	_fe=$1 _m=$2 _p=$3
	shift 3
	if [ "$_fe" = httpd ]; then
		set -- "$@" END
		while [ "$1" != END ]; do
			set -- "$@" -H "$1"
			shift
		done
		shift
		if [ "$_m" = HEAD ]; then
			set -- "$@" --head
		elif [ -n "${BODY:-}" ]; then
			set -- "$@" -X "$_m" --data-binary "@$BODY" -H 'Content-Type: application/zip'
		else
			set -- "$@" -X "$_m"
		fi
		curl -sS -D "$T/hdr.raw" -o "$T/body" -w '%{http_code}' "$@" "$BASE$_p"
		norm_hdr
		return
	fi
	# CGI: each header becomes HTTP_NAME (RFC 3875 section 4.1.18)
	set -- "$@" END
	while [ "$1" != END ]; do
		_n=$(printf '%s' "${1%%:*}" | tr 'a-z-' 'A-Z_')
		_v=${1#*: }
		set -- "$@" "HTTP_$_n=$_v"
		shift
	done
	shift
	_in=/dev/null
	if [ -n "${BODY:-}" ]; then
		_in=$BODY
		set -- "$@" CONTENT_LENGTH="$(wc -c < "$BODY" | tr -d ' ')" CONTENT_TYPE=application/zip
	fi
	# shellcheck disable=SC2086
	env -i PATH="$PATH" GOREG_ROOT="$R" GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 \
		SERVER_NAME=127.0.0.1 SERVER_PORT=80 REQUEST_METHOD="$_m" SCRIPT_NAME=/goreg.cgi \
		REQUEST_URI="/goreg.cgi$_p" PATH_INFO="${_p%%\?*}" QUERY_STRING="$(cgi_query "$_p")" \
		REMOTE_ADDR="$CGI_ADDR" ${CGI_ENV:-} "$@" \
		"$B/goreg.cgi" < "$_in" > "$T/cgi.out" 2>> "$T/cgi.err"
	split_cgi "$T/cgi.out"
	norm_hdr
	sed -n 's/^Status: \([0-9][0-9][0-9]\).*/\1/p' "$T/hdr"
}

# cgi_query PATH: the query of PATH, after its '?' ("" for none)
cgi_query() { case $1 in *\?*) printf '%s' "${1#*\?}" ;; esac; }

# hdr NAME: the value of header NAME in $T/hdr
hdr() { sed -n "s/^$1: //Ip" "$T/hdr" | head -n 1; }

# The cast: user alice (write member of the private org acme), bob (read
# member), carol (no member), pub (a public user namespace).  Modules:
# acme's example.com/secret v1.0.0 and v1.1.0, pub's example.com/open v1.0.0.
setup_store() {
	R=$T/store
	for u in alice bob carol pub; do
		admin "$R" user add "$u" || bail "user add $u"
	done
	admin "$R" org add acme || bail "org add acme"
	admin "$R" org grant acme alice write || bail "grant alice"
	admin "$R" org grant acme bob read || bail "grant bob"
	admin "$R" owner private acme || bail "owner private acme"
	TOK_ALICE=$(admin "$R" token add alice --name "alice laptop") || bail "token alice"
	TOK_ALICE_RO=$(admin "$R" token add alice --read-only --name ci) || bail "token alice ro"
	TOK_BOB=$(admin "$R" token add bob) || bail "token bob"
	TOK_CAROL=$(admin "$R" token add carol) || bail "token carol"
	TOK_PUB=$(admin "$R" token add pub) || bail "token pub"
	make_module "$T/src-secret" example.com/secret secret
	pack example.com/secret v1.0.0 "$T/src-secret" "$T/secret-v1.0.0.zip" || bail "pack secret"
	pack example.com/secret v1.1.0 "$T/src-secret" "$T/secret-v1.1.0.zip" || bail "pack secret"
	pack example.com/secret v1.2.0 "$T/src-secret" "$T/secret-v1.2.0.zip" || bail "pack secret"
	make_module "$T/src-open" example.com/open open
	pack example.com/open v1.0.0 "$T/src-open" "$T/open-v1.0.0.zip" || bail "pack open"
	"$B/goreg-upload" -r "$R" -u alice acme "$T/secret-v1.0.0.zip" 2>/dev/null || bail "upload"
	"$B/goreg-upload" -r "$R" -u alice acme "$T/secret-v1.1.0.zip" 2>/dev/null || bail "upload"
	"$B/goreg-upload" -r "$R" -u pub pub "$T/open-v1.0.0.zip" 2>/dev/null || bail "upload"
}

# snapshot: the store's files and their hashes (lib.sh's store_snap)
snapshot() { store_snap; }

LIGHTTPD_MODDIR=/usr/lib/lighttpd

# skip_unless_lighttpd_tls: skip the test without lighttpd, its TLS module
# or openssl
skip_unless_lighttpd_tls() {
	command -v lighttpd >/dev/null 2>&1 || skip_all "no lighttpd"
	command -v openssl >/dev/null 2>&1 || skip_all "no openssl"
	[ -f "$LIGHTTPD_MODDIR/mod_openssl.so" ] || skip_all "no lighttpd mod_openssl"
}

make_cert() {
	mkdir -p "$T/tls"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
		-addext subjectAltName=IP:127.0.0.1 \
		-keyout "$T/tls/key.pem" -out "$T/tls/cert.pem" >/dev/null 2>&1 || bail "openssl req failed"
}

start_lighttpd_tls() {
	mkdir -p "$T/www"
	for _try in 1 2 3 4 5; do
		LPORT=$(free_port)
		{
			printf '%s\n' \
				"server.document-root = \"$T/www\"" \
				"server.bind = \"127.0.0.1\"" \
				"server.port = $LPORT" \
				"server.errorlog = \"$T/lighttpd-error.log\"" \
				"ssl.engine = \"enable\"" \
				"ssl.pemfile = \"$T/tls/cert.pem\"" \
				"ssl.privkey = \"$T/tls/key.pem\""
			printf '%s\n' "$@"
		} > "$T/lighttpd.conf"
		lighttpd -D -m "$LIGHTTPD_MODDIR" -f "$T/lighttpd.conf" >>"$T/lighttpd.out" 2>&1 &
		_lpid=$!
		if wait_port "$LPORT" && kill -0 "$_lpid" 2>/dev/null; then
			_pids="$_pids $_lpid"
			return 0
		fi
		kill "$_lpid" 2>/dev/null
		wait "$_lpid" 2>/dev/null
	done
	cat "$T/lighttpd.out" "$T/lighttpd-error.log" >&2
	bail "could not start lighttpd"
}

# go_netrc_download BASE USER TOKEN MODULE@VERSION: the go command, in a new
# module in $T/app, its ~/.netrc ($T/home) holding USER and TOKEN for
# 127.0.0.1, trusting $T/tls/cert.pem, downloads MODULE@VERSION from
# GOPROXY BASE; its -json output in $GO_JSON, its status returned
go_netrc_download() {
	mkdir -p "$T/home" "$T/app"
	printf 'machine 127.0.0.1\nlogin %s\npassword %s\n' "$2" "$3" > "$T/home/.netrc"
	chmod 600 "$T/home/.netrc"
	(cd "$T/app" && go_env go mod init example.com/app >/dev/null 2>&1)
	GO_JSON=$(cd "$T/app" && go_env GOPROXY="$1" SSL_CERT_FILE="$T/tls/cert.pem" GONOSUMDB="${4%@*}" \
		go mod download -json "$4" 2>&1)
}
