#!/bin/sh
# The configuration snippets of goreg(7) are the shipped files of etc/
# without their comments ('#' or, for stunnel, ';' lines), so the page and
# the files cannot disagree.
. "$(dirname "$0")/lib.sh"
cd "$GOREG_TOP" || bail "no source tree"

# snippet FILE: the literal block that follows the paragraph naming FILE
snippet() {
	awk -v f="$1" '
		index($0, "Pq Pa " f) { want = 1 }
		want && /^\.Bd -literal/ { on = 1; next }
		on && /^\.Ed$/ { exit }
		on { print }' man/goreg.7
}
for f in etc/lighttpd/goreg.conf etc/nginx/goreg.conf etc/nginx/goreg-tls.conf etc/stunnel/goreg.conf; do
	grep -v '^[#;]' "$f" > "$T/want"
	snippet "$f" > "$T/got"
	test -s "$T/got"
	ok $? "goreg(7) has a snippet for $f"
	diff "$T/want" "$T/got" > "$T/diff"
	ok $? "goreg(7)'s snippet is $f without its comments"
	sed 's/^/# /' "$T/diff"
done
# the socket on loopback, as goreg(7) says
grep -q '^ListenStream=127\.0\.0\.1:8080$' etc/goreg.socket
ok $? "etc/goreg.socket listens on 127.0.0.1:8080"
grep -q 'The socket listens on 127.0.0.1:8080' man/goreg.7
ok $? "and goreg(7) says so"
done_testing
