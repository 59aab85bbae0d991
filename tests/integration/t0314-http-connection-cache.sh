#!/bin/sh
# goreg-httpd keeps goreg.tdb and the owner's index.tdb open across the
# requests of one connection.  What other processes do between two of
# them must show in the second: a new version uploaded meanwhile, an
# index replaced by goreg-fsck --repair, a token revoked, an owner made
# private, goreg.tdb restored by a rename, an owner's tree set aside.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"

setup_registry
start_httpd "$R"
U=$BASE/api/packages/acme/go
is "$(upload "$T/hello.zip")" 201 "v1.0.0 uploaded"
ID=$(admin "$R" token list acme | awk 'NR == 1 { print $1 }')

get="GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $AUTH\r\n\r\n"
# four requests 3 s apart; each change is made once the server has logged
# the answer before it (not after a fixed sleep: a loaded machine may
# take more than a second to start the server)
raws "send:$get" "head:5" "sleep:3" "send:$get" "head:5" "sleep:3" "send:$get" "head:5" \
	"sleep:3" "send:$get" "head:5" "shut" "wait:5" > "$T/out" &
rp=$!
LIST="GET /api/packages/acme/go/$M/@v/list"
n0=$(grep -c -- "$LIST" "$HTTPD_LOG")
wait_log "$LIST" $((n0 + 1)) || diag "no 1st answer logged"
# between the 1st and 2nd request: a new version, from another process
"$B/goreg-upload" -r "$R" acme "$T/hello11.zip" 2>/dev/null
wait_log "$LIST" $((n0 + 2)) || diag "no 2nd answer logged"
# between the 2nd and 3rd: the index is deleted and rebuilt from the files
# (a new file: the kept handle points at the old one)
rm -f "$R/acme/index.tdb"
"$B/goreg-fsck" -r "$R" --repair >/dev/null 2>&1
"$B/goreg-delete" -r "$R" acme "$M" v1.0.0 2>/dev/null
wait_log "$LIST" $((n0 + 3)) || diag "no 3rd answer logged"
# between the 3rd and 4th: the token is revoked
admin "$R" token revoke acme "$ID"
wait "$rp"
lines=$(wc -l < "$T/out")
is "$lines" 4 "four answers on one connection"
is "$(sed -n 1p "$T/out")" '200 v1.0.0\n' "1st: the list as it was"
is "$(sed -n 2p "$T/out")" '200 v1.0.0\nv1.1.0\n' "2nd: the version another process uploaded meanwhile"
is "$(sed -n 3p "$T/out")" '200 v1.1.0\n' "3rd: the rebuilt index (a new file), with the delete made in it"
like "$(sed -n 4p "$T/out")" '^401 ' "4th: the token revoked meanwhile is refused"

# goreg-httpd keeps the records it read (the owner's, the version's) for
# the next request while goreg.tdb's and the index's sequence numbers
# stay: an owner made private between two anonymous requests, and the
# kept owner record must not answer the second
anon="GET /api/packages/acme/go/$M/@v/v1.1.0.info HTTP/1.1\r\nHost: x\r\n\r\n"
raws "send:$anon" "head:5" "send:$anon" "head:5" "sleep:3" "send:$anon" "head:5" "shut" "wait:5" > "$T/out" &
rp=$!
INFO="GET /api/packages/acme/go/$M/@v/v1.1.0.info"
n0=$(grep -c -- "$INFO" "$HTTPD_LOG")
wait_log "$INFO" $((n0 + 2)) || diag "no 2nd answer logged"
admin "$R" owner private acme
wait "$rp"
is "$(wc -l < "$T/out")" 3 "three answers on one connection"
like "$(sed -n 1p "$T/out")" '^200 ' "1st: the public owner's .info, read anonymously"
like "$(sed -n 2p "$T/out")" '^200 ' "2nd: the same, from the kept records"
like "$(sed -n 3p "$T/out")" '^401 ' "3rd: the owner made private meanwhile: authentication required"

# Files replaced by a rename, as a restore does, and an owner's tree set
# aside and made again: the kept handles still name the old files (whose
# sequence numbers do not move), and the next request must read the new
# ones.  goreg-httpd learns of it from the kernel (inotify), not from a
# stat of each file per request.
TOKEN2=$(admin "$R" token add acme) || bail "token add"
ID2=$(admin "$R" token list acme | awk 'NR == 1 { print $1 }')
AUTH2=$(printf 'acme:%s' "$TOKEN2" | base64 -w0)
pack example.com/hello v1.2.0 "$T/src" "$T/hello12.zip" || bail "goreg-pack failed"
get2="GET /api/packages/acme/go/$M/@v/list HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $AUTH2\r\n\r\n"
raws "send:$get2" "head:5" "sleep:3" "send:$get2" "head:5" "sleep:3" "send:$get2" "head:5" \
	"sleep:3" "send:$get2" "head:5" "shut" "wait:5" > "$T/out" &
rp=$!
n0=$(grep -c -- "$LIST" "$HTTPD_LOG")
wait_log "$LIST" $((n0 + 1)) || diag "no 1st answer logged"
cp -p "$R/goreg.tdb" "$T/saved.tdb"
admin "$R" token revoke acme "$ID2"
wait_log "$LIST" $((n0 + 2)) || diag "no 2nd answer logged"
mv "$T/saved.tdb" "$R/goreg.tdb"
wait_log "$LIST" $((n0 + 3)) || diag "no 3rd answer logged"
mv "$R/acme" "$R/acme.aside"
cp -a "$R/acme.aside" "$R/acme"
"$B/goreg-upload" -r "$R" acme "$T/hello12.zip" 2>/dev/null
wait "$rp"
is "$(wc -l < "$T/out")" 4 "four answers on one connection"
is "$(sed -n 1p "$T/out")" '200 v1.1.0\n' "1st: the list"
like "$(sed -n 2p "$T/out")" '^401 ' "2nd: the token revoked meanwhile is refused"
is "$(sed -n 3p "$T/out")" '200 v1.1.0\n' "3rd: goreg.tdb restored by a rename from a copy made before the revoke: the token is good again"
is "$(sed -n 4p "$T/out")" '200 v1.1.0\nv1.2.0\n' "4th: the owner's tree set aside and copied back, a version uploaded into the copy: the copy's list"
rm -rf "$R/acme.aside"

# A list is its record, less any pseudo-version: the record itself (not a
# copy) when it holds none, else a copy that leaves them out.  Both on one
# connection, from the record read by the first request and kept for the
# others, with other answers between them.
pack example.com/hello v1.3.0-rc.1 "$T/src" "$T/rc.zip" || bail "goreg-pack failed"
pack example.com/hello v0.0.0-20200101000000-abcdefabcdef "$T/src" "$T/pseudo.zip" || bail "goreg-pack failed"
make_module "$T/src2" example.com/plain
pack example.com/plain v1.0.0 "$T/src2" "$T/plain.zip" || bail "goreg-pack failed"
for z in rc pseudo plain; do "$B/goreg-upload" -r "$R" acme "$T/$z.zip" >/dev/null 2>&1 || bail "upload $z"; done
: > "$T/reqs"
for m in $M example.com/plain $M example.com/plain $M; do
	printf "GET /api/packages/acme/go/$m/@v/list HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $AUTH2\r\n\r\n" >> "$T/reqs"
	printf "GET /api/packages/acme/go/$m/@v/list HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $AUTH2\r\n\r\n" >> "$T/reqs"
	printf "GET /api/packages/acme/go/$M/@v/v1.1.0.info HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $AUTH2\r\n\r\n" >> "$T/reqs"
done
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >> "$T/reqs"
GOREG_ROOT=$R "$B/goreg-httpd" < "$T/reqs" 2>/dev/null | tr -d '\r' > "$T/replies"
is "$(grep -c '^HTTP/1.1 200 ' "$T/replies")" 16 "16 answers on one connection, all 200"
is "$(grep -c '^v1.1.0$' "$T/replies")" 6 "v1.1.0 in each of the six lists of $M"
is "$(grep -c '^v1.3.0-rc.1$' "$T/replies")" 6 "  and the pre-release (a '-' that is no pseudo-version)"
is "$(grep -c '^v0.0.0-' "$T/replies")" 0 "  and never the pseudo-version"
is "$(grep -c '^v1.0.0$' "$T/replies")" 4 "v1.0.0 in each of the four lists of example.com/plain"
is "$(awk '/^v/ { n++ } END { print n }' "$T/replies")" $((6 * 3 + 4)) "no other line: lists of three and of one version"

# 50 requests on one connection look at the kept files' names only when
# they are first kept, not once per request (each request's lstat is the
# .info's, which the version needs)
if command -v strace >/dev/null 2>&1; then
	one="GET /api/packages/acme/go/$M/@v/v1.1.0.info HTTP/1.1\r\nHost: x\r\nAuthorization: Basic $AUTH2\r\n\r\n"
	: > "$T/reqs"
	for i in $(seq 50); do printf "$one" >> "$T/reqs"; done
	printf 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >> "$T/reqs"
	GOREG_ROOT=$R strace -f -c -o "$T/strace.out" "$B/goreg-httpd" < "$T/reqs" > "$T/replies" 2>/dev/null
	is "$(tr -d '\r' < "$T/replies" | grep -c '^HTTP/1.1 200 ')" 51 "strace: 51 answers, all 200"
	stats=$(awk '$NF ~ /^(stat|newfstatat|statx|fstatat64)$/ { n += $4 } END { print n + 0 }' "$T/strace.out")
	[ "$stats" -le 10 ]
	ok $? "strace: $stats stat calls for 51 requests (the kept files are watched, not looked at per request)"
	# a .mod comes from the copy its version's record keeps: no file is
	# opened for it (only the kept files, once)
	sed 's/\.info /.mod /' "$T/reqs" > "$T/reqs.mod"
	GOREG_ROOT=$R strace -f -c -o "$T/strace.mod" "$B/goreg-httpd" < "$T/reqs.mod" > "$T/replies" 2>/dev/null
	is "$(tr -d '\r' < "$T/replies" | grep -c '^HTTP/1.1 200 ')" 51 "strace: 51 answers to .mod requests, all 200"
	tr -d '\r' < "$T/replies" | grep -q '^module '
	ok $? "  with the go.mod in them"
	opens=$(awk '$NF ~ /^(open|openat)$/ { n += $4 } END { print n + 0 }' "$T/strace.mod")
	[ "$opens" -le 6 ]
	ok $? "strace: $opens opens for 50 .mod requests (the go.mod is the record's copy)"
	# one request at a time over a socket: each waits for its first byte
	# in the read itself (the kernel keeps the idle timeout), no poll
	GOREG_ROOT=$R perl -MSocket -e '
		my ($req, $n, @cmd) = @ARGV;
		$req =~ s/\\r/\r/g; $req =~ s/\\n/\n/g;
		socketpair(my $c, my $s, AF_UNIX, SOCK_STREAM, 0) or die "socketpair: $!";
		my $pid = fork // die;
		if (!$pid) { close $c; open STDIN, "<&", $s; open STDOUT, ">&", $s; exec @cmd; exit 127 }
		close $s;
		my $ok = 0;
		for (1 .. $n) {
			syswrite $c, $req;
			my $got = "";
			while ($got !~ /\r\n\r\n/ || length($got) < index($got, "\r\n\r\n") + 4 + ($got =~ /Content-Length: (\d+)/i)[0]) {
				sysread($c, $got, 65536, length $got) > 0 or last;
			}
			$ok++ if $got =~ m{^HTTP/1.1 200 };
		}
		close $c; waitpid $pid, 0; print "$ok\n";
	' "$one" 50 strace -f -c -o "$T/strace2.out" "$B/goreg-httpd" > "$T/n" 2>/dev/null
	is "$(cat "$T/n")" 50 "strace over a socket: 50 answers, all 200"
	polls=$(awk '$NF ~ /^(poll|ppoll|select|pselect6)$/ { n += $4 } END { print n + 0 }' "$T/strace2.out")
	[ "$polls" -le 2 ]
	ok $? "strace over a socket: $polls polls for 50 requests (the idle wait is the read)"
else
	for i in 1 2 3 4 5 6 7; do echo "ok # SKIP no strace"; done
fi
done_testing
