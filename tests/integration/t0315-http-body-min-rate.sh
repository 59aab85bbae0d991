#!/bin/sh
# A request body has a minimum average rate, not only a per-read deadline
# (GOREG_BODY_MIN_RATE bytes/s once GOREG_BODY_GRACE s are over; 200 B/s
# after 1 s here, and a read timeout of 10 s, so that the test takes
# seconds): a client that sends a byte every 0.25 s, each well within the
# read timeout, gets 408 once its average falls below the rate, from
# goreg-httpd (Content-Length and chunked bodies) and from goreg.cgi; a body
# above the rate is read whole; GOREG_BODY_MIN_RATE=0 turns the rule off.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
RATE="GOREG_READ_TIMEOUT=10 GOREG_BODY_MIN_RATE=200 GOREG_BODY_GRACE=1"
# shellcheck disable=SC2086
start_httpd "$R" $RATE
U=$BASE/api/packages/acme/go

# trickle PORT HEAD BODY PIECE GAP [WAIT]: send the head, then BODY PIECE
# bytes at a time, GAP seconds apart, until an answer starts; then read it
# until the server closes or WAIT (8) seconds pass.
# Prints the seconds until the answer began (or all was sent), then the answer.
trickle() {
	perl -e '
		use IO::Socket::INET; use IO::Select; use Time::HiRes qw(time);
		my ($port, $headf, $bodyf, $piece, $gap, $wait) = @ARGV;
		local $/; open my $h, "<", $headf or die; my $head = <$h>;
		open my $b, "<", $bodyf or die; my $body = <$b>;
		my $s = IO::Socket::INET->new("127.0.0.1:$port") or die "connect: $!\n";
		$SIG{PIPE} = "IGNORE";
		my $sel = IO::Select->new($s);
		my ($t0, $got, $when) = (time, "", undef);
		syswrite $s, $head;
		while (length $body) {
			if ($sel->can_read($gap)) { $when = time - $t0; last }
			syswrite $s, substr($body, 0, $piece, "");
		}
		$when //= time - $t0;
		my $end = time + ($wait // 8);
		while (time < $end && $sel->can_read($end - time)) {
			last unless sysread $s, my $buf, 65536;
			$got .= $buf;
		}
		printf "%.1f\n%s", $when, $got;
	' "$@"
}
printf 'PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic %s\r\nContent-Length: 1000\r\n\r\n' \
	"$AUTH" > "$T/head-cl"
printf 'PUT /api/packages/acme/go/upload HTTP/1.1\r\nHost: t\r\nAuthorization: Basic %s\r\nTransfer-Encoding: chunked\r\n\r\n' \
	"$AUTH" > "$T/head-ch"
now() { date +%s.%N; }
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
head -c 40 /dev/zero | tr '\0' x > "$T/xs"
perl -e 'print "1\r\nx\r\n" x 40' > "$T/chunks"

trickle "$PORT" "$T/head-cl" "$T/xs" 1 0.25 > "$T/out"
secs=$(head -n 1 "$T/out")
is "$(statuses < "$T/out")" 408 "a Content-Length body at 4 B/s: 408"
is "$(tr -d '\r' < "$T/out" | tail -n 1)" "request body too slow" "408 says why"
below "$secs" 5
ok $? "answered after ${secs} s: the grace second and a little, not the 10 s read timeout"
trickle "$PORT" "$T/head-ch" "$T/chunks" 6 0.25 > "$T/out"
is "$(statuses < "$T/out")" 408 "a chunked body at 4 B/s: 408"
secs=$(head -n 1 "$T/out")
below "$secs" 5
ok $? "answered after ${secs} s"
wait_log '"PUT /api/packages/acme/go/upload HTTP/1.1" 408' 2
ok $? "both logged as 408"

# above the rate: the zip in pieces of 150 bytes every 0.25 s, 600 B/s
len=$(wc -c < "$T/hello11.zip" | tr -d ' ')
sed "s/Content-Length: 1000/Connection: close\r\nContent-Length: $len/" "$T/head-cl" > "$T/head-zip"
trickle "$PORT" "$T/head-zip" "$T/hello11.zip" 150 0.25 > "$T/out"
is "$(statuses < "$T/out")" 201 "a $len-byte body at 600 B/s, longer than the grace period: 201"
is "$(http "$U/$M/@v/v1.1.0.zip")" 200 "and stored"
cmp -s "$T/body" "$T/hello11.zip"
ok $? "whole"
spool_empty
ok $? "the slow bodies left nothing in the spool directory"

# GOREG_BODY_MIN_RATE=0: only the per-read deadline is left
start_httpd "$R" GOREG_READ_TIMEOUT=10 GOREG_BODY_MIN_RATE=0 GOREG_BODY_GRACE=1
head -c 12 "$T/xs" > "$T/xs12"
trickle "$PORT" "$T/head-cl" "$T/xs12" 1 0.25 0.5 > "$T/out"
is "$(statuses < "$T/out")" "" "GOREG_BODY_MIN_RATE=0: the same body is not cut short"

# goreg.cgi: the body on a pipe, a byte every 0.25 s for 10 s
cgi_trickle() {
	n=0
	while [ $n -lt 40 ]; do
		sleep 0.25
		printf x || exit 0
		n=$((n + 1))
	done
}
s0=$(now)
# shellcheck disable=SC2086
cgi_trickle | env -i GOREG_ROOT="$R" $RATE GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD=PUT \
	REQUEST_URI=/api/packages/acme/go/upload CONTENT_LENGTH=1000 HTTP_AUTHORIZATION="Basic $AUTH" \
	"$B/goreg.cgi" > "$T/out" 2> "$T/err"
secs=$(awk -v a="$s0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
is "$(head -n 1 "$T/out" | tr -d '\r')" "Status: 408 Request Timeout" "goreg.cgi, a body at 4 B/s: 408"
is "$(tr -d '\r' < "$T/out" | tail -n 1)" "request body too slow" "saying why"
below "$secs" 5
ok $? "after $secs s, not 10"
pack example.com/hello v1.2.0 "$T/src" "$T/hello12.zip"
len=$(wc -c < "$T/hello12.zip" | tr -d ' ')
# shellcheck disable=SC2086
perl -e '$| = 1; local $/; my $z = <STDIN>; while (length $z) { print substr($z, 0, 150, ""); select undef, undef, undef, 0.25 }' \
	< "$T/hello12.zip" | env -i GOREG_ROOT="$R" $RATE GATEWAY_INTERFACE=CGI/1.1 SERVER_PROTOCOL=HTTP/1.1 REQUEST_METHOD=PUT \
	REQUEST_URI=/api/packages/acme/go/upload CONTENT_LENGTH="$len" HTTP_AUTHORIZATION="Basic $AUTH" \
	"$B/goreg.cgi" > "$T/out" 2> "$T/err"
is "$(head -n 1 "$T/out" | tr -d '\r')" "Status: 201 Created" "goreg.cgi, a body at 600 B/s: 201"
spool_empty
ok $? "nothing left in the spool directory"
done_testing
