#!/bin/sh
# Golden transcript of the HTTP interface: every route and every error
# class, through both front ends, compared byte for byte with
# tests/integration/golden/routes.txt.
#
# What the golden file is for: it pins down every answer goreg gives today
# (status line, header fields, body, exit status) so that a refactor of
# lib/ that is meant to change nothing can be shown to change nothing.  The
# test builds a fixed store (GOREG_NOW pinned for every program, so every
# time in it is fixed), then sends a fixed list of raw requests, one at a
# time, to goreg-httpd (the raw request on stdin, one connection on
# stdin/stdout, no network) and to goreg.cgi (the CGI/1.1 variables set by
# hand, as t0400-cgi-noserver.sh does), each front end on a fresh copy of
# the same store, so the uploads and deletes in the list meet the same
# store in the same order.  Each answer is a section "=== FRONT-END: NAME":
# the request (tokens and long strings shown as @PLACEHOLDERS@, never their
# values), then the answer with its Date line dropped, token ids (which
# change with the tokens) written as @ID_NAME@, a zip (or any other
# non-text) body replaced by its length and SHA-256, and the program's exit
# status.  One TAP assertion per request per front end, so a failure names
# the request and shows the diff; then one for the whole file (a request
# added, removed or moved).
#
# When a change of behaviour is deliberate, rewrite the golden file, read
# the difference and commit it with the change that made it:
#
#   GOREG_GOLDEN_UPDATE=1 prove tests/integration/t0330-http-golden.sh
#   git diff tests/integration/golden/routes.txt
#
# Every line of that diff must be a change you meant.  To add a request,
# add an "rq" line below (names are unique), update, and read its sections.
# Never update the file to make a refactor pass.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"

GOLDEN=$GOREG_TOP/tests/integration/golden/routes.txt
UPDATE=${GOREG_GOLDEN_UPDATE:-}
NOW=1700000000 # 2023-11-14T22:13:20Z
GOREG_NOW=$NOW
export GOREG_NOW T B

# ---- the driver: all the requests through one front end ----
cat > "$T/drive.pl" <<'PERL'
# drive.pl FE REQUESTS GOLDEN OUT RESULTS
# Runs each request of REQUESTS (one a line: NAME, PROTOCOL, METHOD,
# TARGET, BODYFILE, HEADER..., tab-separated) through front end FE (httpd or cgi)
# on the store $ENV{R}.  In TARGET and the headers, @NAME@ is replaced by
# $ENV{X_NAME} (tokens, long strings), @ETAG@ by the ETag of the last answer
# that had one.  Appends each section to OUT; writes to RESULTS one line
# "ok DESCRIPTION" or "not ok DESCRIPTION" per request, the latter followed
# by "# " lines of diff -u against the same section of GOLDEN (unless
# $ENV{UPDATE} is set: then nothing is compared).
use strict;
use warnings;
use Digest::SHA qw(sha256_hex);

my ($fe, $requests, $golden, $outfile, $resultsfile) = @ARGV;
my $T = $ENV{T};
my $last_etag;

sub slurp {
	my $f = shift;
	open(my $fh, '<', $f) or return undef;
	binmode $fh;
	local $/;
	my $d = <$fh>;
	return defined $d ? $d : '';
}
sub spit {
	my ($f, $d) = @_;
	open(my $fh, '>', $f) or die "drive.pl: $f: $!\n";
	binmode $fh;
	print $fh $d;
	close $fh or die "drive.pl: $f: $!\n";
}
sub placeholder {
	my $n = shift;
	if ($n eq 'ETAG') {
		die "drive.pl: no ETag seen yet\n" unless defined $last_etag;
		return $last_etag;
	}
	die "drive.pl: unknown placeholder \@$n\@\n" unless defined $ENV{"X_$n"};
	return $ENV{"X_$n"};
}
sub expand { my $s = shift; $s =~ s/\@([A-Z0-9_]+)\@/placeholder($1)/ge; return $s }

# one request; returns its section
sub run {
	my ($name, $proto, $method, $target, $bodyfile, @hdrs) = @_;
	my $body;
	if ($bodyfile ne '') {
		$body = slurp($bodyfile);
		die "drive.pl: $bodyfile: $!\n" unless defined $body;
	}
	my $xtarget = expand($target);
	my @xhdrs = map { expand($_) } @hdrs;
	my $has_cl = grep { /^Content-Length:/i } @xhdrs;

	my $out = "=== $fe: $name\n> $method $target" . ($proto eq 'HTTP/1.1' ? '' : " $proto") . "\n";
	$out .= "> $_\n" for @hdrs;
	if (defined $body) {
		(my $base = $bodyfile) =~ s{.*/}{};
		$out .= sprintf "> [body: %s, %d bytes]\n", $base, length $body;
	}

	my %env = (
		PATH => '/usr/bin:/bin',
		GOREG_ROOT => $ENV{R},
		GOREG_NOW => $ENV{GOREG_NOW},
		REMOTE_ADDR => '192.0.2.7',
	);
	my ($prog, $in);
	if ($fe eq 'httpd') {
		$prog = "$ENV{B}/goreg-httpd";
		my $req = "$method $xtarget $proto\r\nHost: goreg.test\r\n";
		$req .= "$_\r\n" for @xhdrs;
		$req .= "Connection: close\r\n";
		$req .= "Content-Length: " . length($body) . "\r\n" if defined $body && !$has_cl;
		$req .= "\r\n";
		$req .= $body if defined $body;
		$in = "$T/req";
		spit($in, $req);
	} else {
		# mounted at /cgi-bin/goreg.cgi, as a web server runs it:
		# REQUEST_URI raw, PATH_INFO decoded (left out when it would hold
		# a NUL, which no web server passes on), each header as HTTP_NAME
		$prog = "$ENV{B}/goreg.cgi";
		my $script = '/cgi-bin/goreg.cgi';
		my ($path, $query) = split(/\?/, $xtarget, 2);
		(my $pi = $path) =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
		%env = (%env,
			GATEWAY_INTERFACE => 'CGI/1.1',
			SERVER_PROTOCOL => $proto,
			SERVER_NAME => 'goreg.test',
			SERVER_PORT => '80',
			REQUEST_METHOD => $method,
			SCRIPT_NAME => $script,
			REQUEST_URI => $script . $xtarget,
			QUERY_STRING => defined $query ? $query : '',
			HTTP_HOST => 'goreg.test',
		);
		$env{PATH_INFO} = $pi unless $pi =~ /\0/;
		for my $h (@xhdrs) {
			my ($n, $v) = $h =~ /^([^:]+):\s*(.*)$/s or die "drive.pl: bad header $h\n";
			if (lc $n eq 'content-length') { $env{CONTENT_LENGTH} = $v; next }
			if (lc $n eq 'content-type') { $env{CONTENT_TYPE} = $v; next }
			(my $e = uc $n) =~ tr/-/_/;
			$env{"HTTP_$e"} = $v;
		}
		$env{CONTENT_LENGTH} = length $body if defined $body && !defined $env{CONTENT_LENGTH};
		$in = defined $body ? $bodyfile : '/dev/null';
	}

	my $pid = fork;
	die "drive.pl: fork: $!\n" unless defined $pid;
	if (!$pid) {
		open(STDIN, '<', $in) or die "drive.pl: $in: $!\n";
		open(STDOUT, '>', "$T/resp") or die "drive.pl: $T/resp: $!\n";
		open(STDERR, '>', "$T/resp.err") or die "drive.pl: $T/resp.err: $!\n";
		%ENV = %env;
		exec { $prog } $prog or exit 127;
	}
	my $killed = 0;
	local $SIG{ALRM} = sub { $killed = 1; kill 'KILL', $pid };
	alarm 20;
	waitpid($pid, 0);
	alarm 0;
	my $status = $killed ? 'killed after 20 s' : $? & 127 ? 'signal ' . ($? & 127) : 'exit status ' . ($? >> 8);

	my $raw = slurp("$T/resp");
	$raw = '' unless defined $raw;
	my ($head, $rbody) = split(/\r\n\r\n/, $raw, 2);
	$head = '' unless defined $head;
	if (!defined $rbody) {
		$rbody = '';
		$out .= "[no end of the header section]\n";
	}
	# Date is the only field that changes from run to run (and is pinned
	# by GOREG_NOW anyway); everything else is kept
	my @lines = grep { !/^Date:/i } split(/\r\n/, $head, -1);
	$out .= "$_\n" for @lines;
	$out .= "\n";
	for (@lines) { $last_etag = $1 if /^ETag:\s*(.*)$/i }
	my $zip = grep { /^Content-Type:\s*application\/zip/i } @lines;
	if (length $rbody && ($zip || $rbody =~ /[^\t\n\x20-\x7e]/)) {
		$out .= sprintf "[body: %d bytes, sha256 %s]\n", length $rbody, sha256_hex($rbody);
	} elsif (length $rbody) {
		$out .= $rbody;
		$out .= "\n[no newline at end of body]\n" unless $rbody =~ /\n\z/;
	}
	$out .= "[$status]\n\n";
	for my $id (qw(ID_PUB ID_PUB_RO ID_PRIV ID_OTHER)) {
		$out =~ s/\Q$ENV{$id}\E/\@$id\@/g if $ENV{$id};
	}
	return $out;
}

# the golden file's sections, by their first line
my %want;
if (!$ENV{UPDATE}) {
	my $g = slurp($golden);
	if (defined $g) {
		for my $s (split(/^(?==== )/m, $g)) {
			my ($h) = $s =~ /\A(.*)\n/;
			$want{$h} = $s if defined $h;
		}
	}
}

open(my $OUT, '>>', $outfile) or die "drive.pl: $outfile: $!\n";
open(my $RES, '>', $resultsfile) or die "drive.pl: $resultsfile: $!\n";
binmode $OUT;
open(my $REQ, '<', $requests) or die "drive.pl: $requests: $!\n";
my %seen;
while (my $line = <$REQ>) {
	chomp $line;
	my @f = split(/\t/, $line, -1);
	die "drive.pl: request name used twice: $f[0]\n" if $seen{$f[0]}++;
	my $sec = run(@f);
	print $OUT $sec;
	my $h = "=== $fe: $f[0]";
	if ($ENV{UPDATE}) {
		print $RES "ok $fe: $f[0]: recorded\n";
	} elsif (defined $want{$h} && $want{$h} eq $sec) {
		print $RES "ok $fe: $f[0]\n";
	} else {
		print $RES "not ok $fe: $f[0]: the answer differs from the golden file\n";
		spit("$T/want", defined $want{$h} ? $want{$h} : '');
		spit("$T/got", $sec);
		my @d = `diff -u "$T/want" "$T/got"`;
		splice(@d, 0, 2);
		print $RES "# $_" for grep { defined } @d[0 .. ($#d < 39 ? $#d : 39)];
	}
}
close $OUT or die "drive.pl: $outfile: $!\n";
close $RES or die "drive.pl: $resultsfile: $!\n";
PERL

# ---- the fixed store ----
# zips are made once (goreg-pack is reproducible); each front end gets a
# store of its own, built the same way, so both see the same history
Z=$T/zips
mkdir -p "$Z"
make_module "$T/src/hello" example.com/hello hello
make_module "$T/src/hello2" example.com/hello/v2 hello
make_module "$T/src/kit" github.com/Azure/Go-Kit kit
make_module "$T/src/secret" example.com/secret secret
make_module "$T/src/teamlib" example.com/teamlib teamlib
make_module "$T/src/inc" example.com/inc inc
rm "$T/src/inc/go.mod" # a +incompatible version has no go.mod
for v in v1.0.0 v1.1.0 v1.2.0-beta.1 v0.0.0-20231114221320-abcdefabcdef v1.3.0 v1.4.0; do
	pack example.com/hello "$v" "$T/src/hello" "$Z/hello-$v.zip" || bail "goreg-pack hello $v"
done
pack example.com/hello/v2 v2.0.0 "$T/src/hello2" "$Z/hello2-v2.0.0.zip" || bail "goreg-pack hello/v2"
pack github.com/Azure/Go-Kit v1.0.0-RC.1 "$T/src/kit" "$Z/kit-v1.0.0-RC.1.zip" || bail "goreg-pack kit"
pack github.com/Azure/Go-Kit v1.0.0 "$T/src/kit" "$Z/kit-v1.0.0.zip" || bail "goreg-pack kit"
pack example.com/inc v2.0.0+incompatible "$T/src/inc" "$Z/inc-v2.0.0+incompatible.zip" || bail "goreg-pack inc"
pack example.com/secret v1.0.0 "$T/src/secret" "$Z/secret-v1.0.0.zip" || bail "goreg-pack secret"
pack example.com/secret v1.1.0 "$T/src/secret" "$Z/secret-v1.1.0.zip" || bail "goreg-pack secret"
pack example.com/teamlib v0.1.0 "$T/src/teamlib" "$Z/teamlib-v0.1.0.zip" || bail "goreg-pack teamlib"
pack example.com/teamlib v0.2.0 "$T/src/teamlib" "$Z/teamlib-v0.2.0.zip" || bail "goreg-pack teamlib"
make_module "$T/src/query" example.com/query query
pack example.com/query v1.0.0 "$T/src/query" "$Z/query-v1.0.0.zip" || bail "goreg-pack query"
pack example.com/query v1.1.0 "$T/src/query" "$Z/query-v1.1.0.zip" || bail "goreg-pack query"
# a renamed module's last version: its go.mod names the new path (goreg-pack
# refuses to make it, so zip(1) does, with fixed times)
command -v zip >/dev/null 2>&1 || skip_all "no zip(1)"
mkdir -p "$T/renamed/example.com/oldname@v1.0.0"
printf 'module example.com/newname\n\ngo 1.19\n' > "$T/renamed/example.com/oldname@v1.0.0/go.mod"
printf 'package oldname\n' > "$T/renamed/example.com/oldname@v1.0.0/oldname.go"
find "$T/renamed" -exec touch -d @$NOW {} +
(cd "$T/renamed" && TZ=UTC zip -qXD "$Z/renamed-v1.0.0.zip" example.com/oldname@v1.0.0/go.mod \
	example.com/oldname@v1.0.0/oldname.go) || bail "zip failed"
printf 'this is not a zip\n' > "$Z/not-a-zip.txt"
# an empty zip (an end of central directory record alone): it needs
# ?module=&version= to name the version
printf 'PK\005\006\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000' > "$Z/empty.zip"
: > "$Z/nothing"

# owners: pub (a public user), priv (a private user), team (a public
# organisation other may write to); other, a user with no right on pub or
# priv
build_store() {
	R=$1
	for u in pub priv other; do
		admin "$R" user add "$u" >/dev/null || bail "user add $u"
	done
	admin "$R" owner private priv >/dev/null || bail "owner private priv"
	admin "$R" org add team >/dev/null || bail "org add team"
	admin "$R" org grant team other write >/dev/null || bail "org grant"
	TOK_PUB=$(admin "$R" token add pub --name golden) || bail "token pub"
	TOK_PUB_RO=$(admin "$R" token add pub --read-only --name golden-ro) || bail "token pub ro"
	TOK_PRIV=$(admin "$R" token add priv --name golden) || bail "token priv"
	TOK_OTHER=$(admin "$R" token add other --name golden) || bail "token other"
	# a token's id (the first 12 digits of its hash) shows in some answers:
	# it changes with the token, so the transcript has @ID_NAME@ instead
	ID_PUB=$(admin "$R" token list pub | awk '$NF == "golden" { print $1 }')
	ID_PUB_RO=$(admin "$R" token list pub | awk '$NF == "golden-ro" { print $1 }')
	ID_PRIV=$(admin "$R" token list priv | awk '$NF == "golden" { print $1 }')
	ID_OTHER=$(admin "$R" token list other | awk '$NF == "golden" { print $1 }')
	for _id in "$ID_PUB" "$ID_PUB_RO" "$ID_PRIV" "$ID_OTHER"; do
		[ -n "$_id" ] || bail "goreg-admin token list"
	done
	export ID_PUB ID_PUB_RO ID_PRIV ID_OTHER
	for z in hello-v1.0.0 hello-v1.1.0 hello-v1.2.0-beta.1 hello-v0.0.0-20231114221320-abcdefabcdef \
		hello2-v2.0.0 kit-v1.0.0-RC.1 kit-v1.0.0 inc-v2.0.0+incompatible; do
		"$B/goreg-upload" -r "$R" -u pub pub "$Z/$z.zip" 2>/dev/null || bail "goreg-upload $z"
	done
	"$B/goreg-upload" -r "$R" -u priv priv "$Z/secret-v1.0.0.zip" 2>/dev/null || bail "goreg-upload secret"
	"$B/goreg-upload" -r "$R" -u other team "$Z/teamlib-v0.1.0.zip" 2>/dev/null || bail "goreg-upload teamlib"
	X_PUB=$TOK_PUB
	X_PUB_RO=$TOK_PUB_RO
	X_PRIV=$TOK_PRIV
	X_OTHER=$TOK_OTHER
	X_BASIC_PUB=$(printf 'pub:%s' "$TOK_PUB" | base64 -w0)
	X_BASIC_PRIV=$(printf 'priv:%s' "$TOK_PRIV" | base64 -w0)
	X_BASIC_PRIV_TOKUSER=$(printf '%s:' "$TOK_PRIV" | base64 -w0)
	X_BASIC_PRIV_OAUTH=$(printf '%s:x-oauth-basic' "$TOK_PRIV" | base64 -w0)
	X_BASIC_PRIV_PASSWORD=$(printf 'priv:hunter2' | base64 -w0)
	export R X_PUB X_PUB_RO X_PRIV X_OTHER X_BASIC_PUB X_BASIC_PRIV X_BASIC_PRIV_TOKUSER \
		X_BASIC_PRIV_OAUTH X_BASIC_PRIV_PASSWORD
	SECRETS="$SECRETS $TOK_PUB $TOK_PUB_RO $TOK_PRIV $TOK_OTHER $X_BASIC_PUB $X_BASIC_PRIV"
	SECRETS="$SECRETS $X_BASIC_PRIV_TOKUSER $X_BASIC_PRIV_OAUTH"
	IDS="$IDS $ID_PUB $ID_PUB_RO $ID_PRIV $ID_OTHER"
}
SECRETS=
IDS=
X_LONGPATH=$(head -c 9000 /dev/zero | tr '\0' a)
X_PATH3000=$(head -c 3000 /dev/zero | tr '\0' a)
X_BIGFIELD=$(head -c 17000 /dev/zero | tr '\0' b)
X_LONGTOKEN=$(head -c 1100 /dev/zero | tr '\0' c)
X_ZEROTOKEN=goreg_$(printf '%064d' 0)
export X_LONGPATH X_PATH3000 X_BIGFIELD X_LONGTOKEN X_ZEROTOKEN

# ---- the requests, in order ----
# rq [-p PROTOCOL] [-b BODYFILE] NAME METHOD TARGET [HEADER...]: add a
# request to the list (PROTOCOL: HTTP/1.1 unless given; for goreg.cgi it
# is SERVER_PROTOCOL).  Host and "Connection: close" are added for
# goreg-httpd, and Content-Length for a body unless given.  Tokens only as
# placeholders: @PUB@ (pub's write token), @PUB_RO@ (pub's read-only
# token), @PRIV@, @OTHER@, @BASIC_PUB@ (pub:token in base64), @BASIC_PRIV@
# and its other forms.  Names say what is asked, with the status expected
# when both front ends must give it; the golden file says what is answered.
: > "$T/requests"
rq() {
	_body=
	_proto=HTTP/1.1
	if [ "$1" = -p ]; then
		_proto=$2
		shift 2
	fi
	if [ "$1" = -b ]; then
		_body=$2
		shift 2
	fi
	_name=$1 _method=$2 _target=$3
	shift 3
	{
		printf '%s\t%s\t%s\t%s\t%s' "$_name" "$_proto" "$_method" "$_target" "$_body"
		for _h in "$@"; do
			printf '\t%s' "$_h"
		done
		printf '\n'
	} >> "$T/requests"
}

G=/api/packages/pub/go
L=/api/v4/projects/pub/packages/go
D=/api/v1/packages/pub/go
P=/api/packages/priv/go
H=example.com/hello
K='github.com/!azure/!go-!kit'

# -- the GOPROXY routes, Gitea's base, then GitLab's --
rq gitea-list GET "$G/$H/@v/list"
rq gitea-info GET "$G/$H/@v/v1.0.0.info"
rq gitea-mod GET "$G/$H/@v/v1.0.0.mod"
rq gitea-zip GET "$G/$H/@v/v1.0.0.zip"
rq gitea-latest GET "$G/$H/@latest"
rq gitlab-list GET "$L/$H/@v/list"
rq gitlab-info GET "$L/$H/@v/v1.0.0.info"
rq gitlab-mod GET "$L/$H/@v/v1.0.0.mod"
rq gitlab-zip GET "$L/$H/@v/v1.0.0.zip"
rq gitlab-latest GET "$L/$H/@latest"
rq gitlab-id-percent-encoded GET "/api/v4/projects/%70ub/packages/go/$H/@v/list"
rq owner-upper-case GET "/api/packages/PUB/go/$H/@v/list"
rq module-percent-encoded GET "$G/example.com/%68ello/@v/list"
rq pre-release-info GET "$G/$H/@v/v1.2.0-beta.1.info"
rq pre-release-zip GET "$G/$H/@v/v1.2.0-beta.1.zip"
rq pseudo-version-info GET "$G/$H/@v/v0.0.0-20231114221320-abcdefabcdef.info"
rq pseudo-version-mod GET "$G/$H/@v/v0.0.0-20231114221320-abcdefabcdef.mod"
rq major-v2-list GET "$G/$H/v2/@v/list"
rq major-v2-latest GET "$L/$H/v2/@latest"
rq capitals-list GET "$G/$K/@v/list"
rq capitals-info-pre-release GET "$G/$K/@v/v1.0.0-!r!c.1.info"
rq capitals-mod GET "$L/$K/@v/v1.0.0.mod"
rq capitals-zip GET "$G/$K/@v/v1.0.0.zip"
rq capitals-latest GET "$G/$K/@latest"
rq capitals-not-encoded-404 GET "$G/github.com/Azure/Go-Kit/@v/list"
rq capitals-version-not-encoded-404 GET "$G/$K/@v/v1.0.0-RC.1.info"
rq incompatible-list GET "$G/example.com/inc/@v/list"
rq incompatible-info GET "$G/example.com/inc/@v/v2.0.0+incompatible.info"
rq incompatible-mod GET "$G/example.com/inc/@v/v2.0.0+incompatible.mod"
rq incompatible-plus-escaped-zip GET "$G/example.com/inc/@v/v2.0.0%2Bincompatible.zip"
rq incompatible-latest GET "$G/example.com/inc/@latest"
rq org-list GET "/api/packages/team/go/example.com/teamlib/@v/list"
rq org-zip GET "/api/v4/projects/team/packages/go/example.com/teamlib/@v/v0.1.0.zip"

# -- checksum database --
rq sumdb-supported-gitea GET "$G/sumdb/sum.golang.org/supported"
rq sumdb-supported-gitlab GET "$L/sumdb/sum.golang.org/supported"
rq sumdb-lookup GET "$G/sumdb/sum.golang.org/lookup/$H@v1.0.0"
rq sumdb-latest-head HEAD "$G/sumdb/sum.golang.org/latest"
rq sumdb-post-405 POST "$G/sumdb/sum.golang.org/supported"

# -- HEAD --
rq head-list HEAD "$G/$H/@v/list"
rq head-info HEAD "$G/$H/@v/v1.0.0.info"
rq head-mod HEAD "$G/$H/@v/v1.0.0.mod"
rq head-latest HEAD "$L/$H/@latest"
rq head-missing-version-404 HEAD "$G/$H/@v/v9.9.9.zip"
rq head-zip-with-range HEAD "$G/$H/@v/v1.0.0.zip" "Range: bytes=0-9"
rq head-zip HEAD "$G/$H/@v/v1.0.0.zip"

# -- conditional requests (@ETAG@: the zip's ETag from head-zip) --
rq if-none-match-zip-304 GET "$G/$H/@v/v1.0.0.zip" 'If-None-Match: @ETAG@'
rq if-none-match-list-304 GET "$G/$H/@v/v1.0.0.zip" 'If-None-Match: "x", W/@ETAG@'
rq if-none-match-star-304 GET "$G/$H/@v/v1.0.0.zip" 'If-None-Match: *'
rq head-if-none-match-304 HEAD "$G/$H/@v/v1.0.0.zip" 'If-None-Match: @ETAG@'
rq if-none-match-other-200 GET "$G/$H/@v/v1.0.0.mod" 'If-None-Match: "not-it"'
rq if-modified-since-304 GET "$G/$H/@v/v1.0.0.mod" 'If-Modified-Since: Tue, 14 Nov 2023 22:13:20 GMT'
rq if-modified-since-older-200 GET "$G/$H/@v/v1.0.0.mod" 'If-Modified-Since: Mon, 13 Nov 2023 22:13:20 GMT'
rq if-modified-since-malformed-200 GET "$G/$H/@v/v1.0.0.mod" 'If-Modified-Since: yesterday'
rq info-etag GET "$G/$H/@v/v1.1.0.info"
rq if-none-match-info-304 GET "$G/$H/@v/v1.1.0.info" 'If-None-Match: @ETAG@'
rq if-none-match-latest GET "$G/$H/@latest" 'If-None-Match: *'
rq if-none-match-list GET "$G/$H/@v/list" 'If-None-Match: *'

# -- ranges --
rq zip-etag GET "$G/$H/@v/v1.1.0.zip"
rq range-206 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=0-9"
rq range-suffix-206 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=-22"
rq range-open-206 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=100-"
rq range-past-end-416 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=99999-"
rq range-suffix-zero-416 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=-0"
rq range-several-200 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=0-1,5-6"
rq range-other-unit-200 GET "$G/$H/@v/v1.1.0.zip" "Range: lines=0-1"
rq if-range-etag-206 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=0-9" 'If-Range: @ETAG@'
rq if-range-other-200 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=0-9" 'If-Range: "not-it"'
rq if-range-date-206 GET "$G/$H/@v/v1.1.0.zip" "Range: bytes=0-9" 'If-Range: Tue, 14 Nov 2023 22:13:20 GMT'
rq range-mod-206 GET "$G/$H/@v/v1.1.0.mod" "Range: bytes=0-5"
rq range-info GET "$G/$H/@v/v1.1.0.info" "Range: bytes=0-5"
rq range-list GET "$G/$H/@v/list" "Range: bytes=0-5"

# -- 400: malformed escapes --
rq escape-malformed-400 GET "$G/example.com/h%zzello/@v/list"
rq escape-nul-400 GET "$G/example.com/h%00ello/@v/list"
rq escape-truncated-400 GET "$G/example.com/hello%/@v/list"
rq escape-in-version-400 GET "$G/$H/@v/v1.0.%zz.info"
rq escape-in-owner GET "/api/packages/p%zzub/go/$H/@v/list"

# -- 404 --
rq unknown-module-404 GET "$G/example.com/nothere/@v/list"
rq unknown-module-latest-404 GET "$G/example.com/nothere/@latest"
rq unknown-version-info-404 GET "$G/$H/@v/v9.9.9.info"
rq unknown-version-mod-404 GET "$L/$H/@v/v9.9.9.mod"
rq unknown-version-zip-404 GET "$G/$H/@v/v9.9.9.zip"
rq non-canonical-version-404 GET "$G/$H/@v/v1.0.info"
rq branch-name-version-404 GET "$G/$H/@v/master.info"
rq invalid-module-path-404 GET "$G/-example.com/hello/@v/list"
rq unknown-suffix-404 GET "$G/$H/@v/v1.0.0.tar"
rq no-module-path-404 GET "$G/@v/list"
rq dot-segment-404 GET "$G/example.com/./hello/@v/list"
rq empty-segment-404 GET "$G/example.com//hello/@v/list"
rq spool-dir-no-owner-404 GET "/api/packages/tmp/go/$H/@v/list"
rq module-path-too-long-404 GET "$G/example.com/@PATH3000@/@v/list"
rq root-index GET /
rq healthz GET /healthz
rq metrics GET /metrics
# the pages: the CGI here is mounted at /cgi-bin/goreg.cgi, and serves
# them below the mount, links and all (goreg.cgi(8))
rq page-owner GET /-/owner/pub
rq page-module GET "/-/module/pub/$H"
rq page-module-head HEAD "/-/module/pub/$H"
rq page-private-owner-401 GET /-/owner/priv
rq page-private-module-basic GET /-/module/priv/example.com/secret "Authorization: Basic @BASIC_PRIV@"
rq page-style GET /-/style.css
rq page-post-405 POST /-/owner/pub
rq page-unknown-404 GET /-/nothing
rq api-unknown-404 GET /api/v2/packages/pub/go/$H/@v/list
# an owner's listing, Gitea's shape
rq listing GET /api/v1/packages/pub
rq listing-query GET "/api/v1/packages/pub?type=go&q=HELLO&page=2&limit=1"
rq listing-private-401 GET /api/v1/packages/priv
rq listing-unknown-owner-401 GET /api/v1/packages/nosuchowner
rq listing-bad-param-400 GET "/api/v1/packages/pub?sort=name"
rq listing-head HEAD /api/v1/packages/pub

# -- 405, with Allow --
rq delete-on-list-405 DELETE "$G/$H/@v/list"
rq put-on-info-405 PUT "$G/$H/@v/v1.0.0.info"
rq post-on-latest-405 POST "$L/$H/@latest"
rq get-on-upload-405 GET "$G/upload"
rq post-on-upload-405 POST "$L/upload"
rq get-on-delete-route-405 GET "$D/example.com%2Fhello/v1.0.0"
rq put-on-delete-route-405 PUT "$D/example.com%2Fhello/v1.0.0" "Authorization: Bearer @PUB@"
rq put-on-non-canonical-info PUT "$G/$H/@v/master.info"
rq post-on-unknown-suffix POST "$G/$H/@v/v1.0.0.tar"
rq unknown-method-501 FROB "$G/$H/@v/list"
rq expect-other-than-100-continue GET "$G/$H/@v/list" "Expect: something-else"
rq -p HTTP/1.0 http-1.0-list GET "$G/$H/@v/list"
rq -p HTTP/2.0 http-2.0-request GET "$G/$H/@v/list"

# -- limits --
rq request-line-414 GET "$G/example.com/@LONGPATH@/@v/list"
rq header-field-17000-bytes GET "$G/$H/@v/list" "X-Big: @BIGFIELD@"
rq authorization-431 GET "$G/$H/@v/list" "Authorization: Bearer @LONGTOKEN@"

# -- credentials: private owner, unknown owner, bad tokens --
rq private-anonymous-list-401 GET "$P/example.com/secret/@v/list"
rq private-anonymous-zip-gitlab-401 GET "/api/v4/projects/priv/packages/go/example.com/secret/@v/v1.0.0.zip"
rq private-anonymous-missing-module-401 GET "$P/example.com/nothere/@latest"
rq private-anonymous-head-401 HEAD "$P/example.com/secret/@v/v1.0.0.info"
rq private-bearer-list-200 GET "$P/example.com/secret/@v/list" "Authorization: Bearer @PRIV@"
rq private-basic-zip-200 GET "$P/example.com/secret/@v/v1.0.0.zip" "Authorization: Basic @BASIC_PRIV@"
rq private-basic-token-user-info-200 GET "$P/example.com/secret/@v/v1.0.0.info" "Authorization: Basic @BASIC_PRIV_TOKUSER@"
rq private-basic-oauth-mod-200 GET "$P/example.com/secret/@v/v1.0.0.mod" "Authorization: Basic @BASIC_PRIV_OAUTH@"
rq private-token-scheme-latest-200 GET "$P/example.com/secret/@latest" "Authorization: token @PRIV@"
rq private-private-token-gitlab-200 GET "/api/v4/projects/priv/packages/go/example.com/secret/@v/list" "Private-Token: @PRIV@"
rq private-missing-module-with-token-404 GET "$P/example.com/nothere/@v/list" "Authorization: Bearer @PRIV@"
rq private-non-member-404 GET "$P/example.com/secret/@v/list" "Authorization: Bearer @OTHER@"
rq private-password-401 GET "$P/example.com/secret/@v/list" "Authorization: Basic @BASIC_PRIV_PASSWORD@"
rq unknown-owner-anonymous-401 GET "/api/packages/nobody/go/$H/@v/list"
rq unknown-owner-gitlab-anonymous-401 GET "/api/v4/projects/nobody/packages/go/$H/@latest"
rq unknown-owner-with-token-404 GET "/api/packages/nobody/go/$H/@v/list" "Authorization: Bearer @OTHER@"
rq unknown-token-on-public-401 GET "$G/$H/@v/list" "Authorization: Bearer @ZEROTOKEN@"
rq unknown-scheme-401 GET "$G/$H/@v/list" "Authorization: Digest username=pub"
rq public-with-other-token-200 GET "$G/$H/@v/list" "Private-Token: @OTHER@"

# -- uploads (they change the store: order matters) --
rq -b "$Z/hello-v1.3.0.zip" upload-anonymous-401 PUT "$G/upload"
rq -b "$Z/hello-v1.3.0.zip" upload-read-only-403 PUT "$G/upload" "Authorization: Bearer @PUB_RO@"
rq -b "$Z/hello-v1.3.0.zip" upload-not-owner-403 PUT "$G/upload" "Authorization: Bearer @OTHER@"
rq -b "$Z/hello-v1.3.0.zip" upload-unknown-owner-404 PUT "/api/packages/nobody/go/upload" "Authorization: Bearer @PUB@"
rq -b "$Z/hello-v1.3.0.zip" upload-unknown-owner-anonymous-401 PUT "/api/packages/nobody/go/upload"
rq -b "$Z/not-a-zip.txt" upload-bad-zip-400 PUT "$G/upload" "Authorization: Basic @BASIC_PUB@"
rq -b "$Z/nothing" upload-empty-body-400 PUT "$G/upload" "Authorization: Basic @BASIC_PUB@"
rq -b "$Z/empty.zip" upload-empty-zip-no-query-400 PUT "$G/upload" "Authorization: Bearer @PUB@"
rq upload-too-large-413 PUT "$G/upload" "Authorization: Bearer @PUB@" "Content-Length: 524288001"
rq upload-too-large-anonymous-413 PUT "$G/upload" "Content-Length: 600000000"
rq -b "$Z/hello-v1.3.0.zip" upload-gitea-201 PUT "$G/upload" "Authorization: Basic @BASIC_PUB@" "Content-Type: application/zip"
rq -b "$Z/hello-v1.3.0.zip" upload-again-409 PUT "$G/upload" "Authorization: Basic @BASIC_PUB@"
rq -b "$Z/hello-v1.0.0.zip" upload-existing-gitlab-409 PUT "$L/upload" "Private-Token: @PUB@"
rq -b "$Z/hello-v1.4.0.zip" upload-gitlab-201 PUT "$L/upload" "Private-Token: @PUB@"
rq -b "$Z/teamlib-v0.2.0.zip" upload-org-member-201 PUT "/api/packages/team/go/upload" "Authorization: token @OTHER@"
rq -b "$Z/teamlib-v0.2.0.zip" upload-org-non-member-403 PUT "/api/packages/team/go/upload" "Authorization: token @PUB@"
# ?module=&version= and ?renamed=1 (goreg(7), the upload route)
rq -b "$Z/query-v1.1.0.zip" upload-query-agrees PUT "$G/upload?module=example.com/query&version=v1.1.0" \
	"Authorization: Bearer @PUB@"
rq -b "$Z/query-v1.0.0.zip" upload-query-version-disagrees PUT "$G/upload?module=example.com/query&version=v1.0.1" \
	"Authorization: Bearer @PUB@"
rq -b "$Z/empty.zip" upload-empty-zip-query PUT "$G/upload?module=example.com/empty&version=v1.0.0" "Authorization: Bearer @PUB@"
rq -b "$Z/renamed-v1.0.0.zip" upload-renamed-module-400 PUT "$G/upload" "Authorization: Bearer @PUB@"
rq -b "$Z/renamed-v1.0.0.zip" upload-renamed-module-flag PUT "$G/upload?renamed=1" "Authorization: Bearer @PUB@"
rq -b "$Z/secret-v1.1.0.zip" upload-private-201 PUT "$P/upload" "Authorization: Bearer @PRIV@"
rq after-upload-list GET "$G/$H/@v/list"
rq after-upload-latest GET "$G/$H/@latest"
rq after-upload-info GET "$L/$H/@v/v1.3.0.info"
rq after-upload-zip GET "$G/$H/@v/v1.4.0.zip"
rq after-upload-org-list GET "/api/packages/team/go/example.com/teamlib/@v/list"
rq after-upload-query-list GET "$G/example.com/query/@v/list"
rq after-upload-empty-list GET "$G/example.com/empty/@v/list"
rq after-upload-empty-mod GET "$G/example.com/empty/@v/v1.0.0.mod"
rq after-upload-empty-zip GET "$G/example.com/empty/@v/v1.0.0.zip"
rq after-upload-renamed-list GET "$G/example.com/oldname/@v/list"
rq after-upload-renamed-mod GET "$G/example.com/oldname/@v/v1.0.0.mod"
rq after-upload-private-latest GET "$P/example.com/secret/@latest" "Authorization: Bearer @PRIV@"

# -- deletes --
rq delete-anonymous-401 DELETE "$D/example.com%2Fhello/v1.4.0"
rq delete-read-only-403 DELETE "$D/example.com%2Fhello/v1.4.0" "Authorization: Bearer @PUB_RO@"
rq delete-not-owner-403 DELETE "$D/example.com%2Fhello/v1.4.0" "Authorization: Bearer @OTHER@"
rq delete-204 DELETE "$D/example.com%2Fhello/v1.4.0" "Authorization: Bearer @PUB@"
rq delete-again-404 DELETE "$D/example.com%2Fhello/v1.4.0" "Authorization: Bearer @PUB@"
rq delete-unknown-module-404 DELETE "$D/example.com%2Fnothere/v1.0.0" "Authorization: Bearer @PUB@"
rq delete-capitals-204 DELETE "$D/github.com%2F!azure%2F!go-!kit/v1.0.0-RC.1" "Private-Token: @PUB@"
rq delete-plain-capitals-204 DELETE "$D/github.com%2FAzure%2FGo-Kit/v1.0.0" "Private-Token: @PUB@"
rq delete-bad-escape-400 DELETE "$D/example.com%zzhello/v1.0.0" "Authorization: Bearer @PUB@"
rq delete-bad-version-404 DELETE "$D/example.com%2Fhello/latest" "Authorization: Bearer @PUB@"
rq delete-unknown-owner-401 DELETE "/api/v1/packages/nobody/go/example.com%2Fhello/v1.0.0"
rq delete-private-204 DELETE "/api/v1/packages/priv/go/example.com%2Fsecret/v1.1.0" "Authorization: Basic @BASIC_PRIV@"
rq after-delete-info-404 GET "$G/$H/@v/v1.4.0.info"
rq after-delete-list GET "$G/$H/@v/list"
rq after-delete-latest GET "$L/$H/@latest"
rq after-delete-capitals-list GET "$G/$K/@v/list"
rq after-delete-capitals-latest GET "$G/$K/@latest"

# ---- both front ends, each on its own copy of the store ----
[ -n "$UPDATE" ] || [ -f "$GOLDEN" ] || bail "no $GOLDEN: make it with GOREG_GOLDEN_UPDATE=1"
: > "$T/fresh"
for FE in httpd cgi; do
	build_store "$T/store-$FE"
	UPDATE=$UPDATE perl "$T/drive.pl" "$FE" "$T/requests" "$GOLDEN" "$T/fresh" "$T/results" ||
		bail "drive.pl failed ($FE)"
	while IFS= read -r line; do
		case $line in
		'ok '*) ok 0 "${line#ok }" ;;
		'not ok '*) ok 1 "${line#not ok }" ;;
		*) printf '%s\n' "$line" ;;
		esac
	done < "$T/results"
done

# ---- the whole file, and what must never be in it ----
found=0
for s in $SECRETS; do
	grep -qF -- "$s" "$T/fresh" && found=$((found + 1))
done
is "$found" 0 "no token (nor its Basic encoding) in the transcript"
found=0
for s in $IDS; do
	grep -qF -- "$s" "$T/fresh" && found=$((found + 1))
done
is "$found" 0 "no token id in the transcript (they change from run to run)"
grep -qF -- "$T" "$T/fresh"
ok $((!$?)) "no scratch directory path in the transcript"
grep -q 'goreg-test\.' "$T/fresh"
ok $((!$?)) "no temporary path of any test run in the transcript"

if [ -n "$UPDATE" ]; then
	mkdir -p "$(dirname "$GOLDEN")"
	cp "$T/fresh" "$GOLDEN"
	ok $? "golden file rewritten: tests/integration/golden/routes.txt ($(grep -c '^=== ' "$GOLDEN") sections)"
elif cmp -s "$GOLDEN" "$T/fresh"; then
	ok 0 "the whole transcript equals the golden file"
else
	ok 1 "the whole transcript equals the golden file (a request added, removed or moved?)"
	diff -u "$GOLDEN" "$T/fresh" 2>&1 | sed -e '1,2d' -e 's/^/# /' | head -n 40
fi
done_testing
