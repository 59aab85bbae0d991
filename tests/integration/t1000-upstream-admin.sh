#!/bin/sh
# goreg-admin upstream: an owner's upstream GOPROXY list, the module paths
# never asked upstream, and the checksum database it proxies; stored in
# goreg.tdb, shown back, audited, and checked on the way in: what the go
# command would not take, or what goreg will not do (direct: no version
# control tools; credentials in URLs), is refused with the reason and
# changes nothing.
. "$(dirname "$0")/lib.sh"
R=$T/store
admin "$R" user add acme >/dev/null || bail "user add"
# the go command's default GOSUMDB key (cmd/go/internal/modfetch/key.go)
SUMKEY='sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8'

admin "$R" upstream show acme > "$T/out" 2> "$T/err"
is "$?:$(cat "$T/err")" "1:goreg-admin: 'acme' has no upstream" "no upstream at first: exit 1, said"
admin "$R" upstream set acme 'https://proxy.example,https://b.example/go|http://c.example:8080/x/'
ok $? "upstream set with , and | and a port"
is "$(admin "$R" upstream show acme)" 'https://proxy.example,https://b.example/go|http://c.example:8080/x/' \
	"upstream show prints the list as given"
admin "$R" upstream private acme 'corp.example,*.internal.example/*,git.example/[a-c]*'
ok $? "upstream private"
admin "$R" upstream sumdb acme "$SUMKEY" https://sum.example
ok $? "upstream sumdb with the go command's own key"
is "$(admin "$R" upstream show acme | sed -n '2,3p' | tr '\n' '|')" \
	"private corp.example,*.internal.example/*,git.example/[a-c]*|sumdb $SUMKEY https://sum.example|" \
	"show prints the patterns and the checksum database"
admin "$R" upstream set acme off
is "$(admin "$R" upstream show acme | head -n 1)" off "off is a list"

before=$(cd "$R" && sha256sum goreg.tdb audit.log)
refuse() { # refuse WHAT EXPECTED-REASON ARGS...
	what=$1 want=$2
	shift 2
	admin "$R" upstream "$@" > "$T/out" 2> "$T/err"
	rc=$?
	is "$rc" 1 "$what: exit 1"
	like "$(cat "$T/err")" "$want" "$what: says why"
}
refuse "direct" 'goreg never runs a version control tool' set acme 'https://p.example,direct'
refuse "noproxy" 'goreg never runs a version control tool' set acme noproxy
refuse "off in a list" '"off" stands alone' set acme 'https://p.example,off'
refuse "ftp" 'not an http:// or https:// URL' set acme 'ftp://p.example'
refuse "file" 'not an http:// or https:// URL' set acme 'file:///srv/proxy'
refuse "credentials in the URL" 'credentials \(give them in .netrc' set acme 'https://u:p@p.example'
refuse "an empty entry" 'an empty entry' set acme 'https://p.example,,https://q.example'
refuse "a space" 'space' set acme 'https://p.example/a b'
refuse "no host" 'without a host' set acme 'https:///x'
refuse "an unknown owner" "no such owner 'nobody'" set nobody 'https://p.example'
refuse "an unclosed [" "'\\[' without its '\\]'" private acme 'a.example/[ab'
refuse "a key with a wrong hash" 'hash does not match' sumdb acme \
	'sum.golang.org+033de0af+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8' https://sum.example
refuse "a key of another length" 'base64 of 33 bytes' sumdb acme 'sum.golang.org+033de0ae+AAAA' https://sum.example
refuse "a key without a name" 'NAME\+HASH\+KEY' sumdb acme '+033de0ae+Ac4z' https://sum.example
refuse "a list as the database URL" 'one URL, not a list' sumdb acme "$SUMKEY" 'https://a.example,https://b.example'
# a URL goreg would keep cut short (1024 bytes at most), asking elsewhere
long=https://p.example/$(printf '%01100d' 0)
refuse "a URL too long" 'a URL too long' set acme "https://q.example,$long"
refuse "a database URL too long" 'a URL too long' sumdb acme "$SUMKEY" "$long"
admin "$R" upstream set acme > /dev/null 2>&1
is "$?" 2 "upstream set without a list: usage, exit 2"
is "$(cd "$R" && sha256sum goreg.tdb audit.log)" "$before" "the refusals changed nothing"

# every change is in the audit log
admin "$R" audit acme > "$T/audit"
is "$(awk '{print $3}' "$T/audit" | grep '^upstream' | tr '\n' ' ')" \
	"upstream-set upstream-private upstream-sumdb upstream-set " "each change audited"

admin "$R" upstream clear acme
ok $? "upstream clear"
admin "$R" upstream show acme > /dev/null 2>&1
is "$?" 1 "nothing left to show"
admin "$R" upstream clear acme 2> "$T/err"
is "$?:$(cat "$T/err")" "1:goreg-admin: 'acme' has no upstream" "clearing twice: exit 1"
done_testing
