#!/bin/sh
# Make the seed corpora of the fuzz harnesses from the tests' own
# fixtures, and the regression inputs from their text form, so that no
# binary file is kept in the repository:
#
#   tests/fuzz/seeds.sh SEEDDIR REGRESSDIR
#
# SEEDDIR/TARGET/ gets the seeds of each target: the hand-written ones of
# tests/fuzz/corpus/TARGET/, and inputs made from the requests and
# answers of the golden transcript (tests/integration/golden/routes.txt),
# the string vectors of the unit tests (t-semver.c, t-import.c, t-cgi.c,
# t-auth.c), the chunk shapes of t0302-http-chunked.sh and zips made with
# zip(1) like those the tests pack.  REGRESSDIR/TARGET/ gets one file per
# input of tests/fuzz/regress/TARGET.txt (see tests/fuzz/README).
set -eu
[ $# -eq 2 ] || { echo "usage: $0 SEEDDIR REGRESSDIR" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/fuzz
seeds=$1
regress=$2
golden=$top/tests/integration/golden/routes.txt
unit=$top/tests/unit
rm -rf "$seeds" "$regress"
mkdir -p "$seeds" "$regress"
for t in "$here"/fuzz-*.c; do
	t=${t##*/fuzz-}
	t=${t%.c}
	mkdir -p "$seeds/$t" "$regress/$t"
	[ -d "$here/corpus/$t" ] && cp "$here/corpus/$t"/* "$seeds/$t/"
done

# C string literals of a unit test, unescaped, one a line (newlines in
# them as \n: callers that need them unescape again)
literals() {
	perl -ne 'while (/"((?:[^"\\]|\\.)*)"/g) { print "$1\n" }' "$1"
}

# The requests of the golden transcript, their placeholders made
# concrete: a block's "> " lines are the request line, then fields.
# Prints one request a record, fields separated by \001, records by \n.
golden_requests() {
	perl -ne '
		BEGIN { %sub = ("\@PUB\@" => "goreg_" . ("ab" x 32), "\@PRIV\@" => "goreg_" . ("cd" x 32),
		                "\@OTHER\@" => "goreg_" . ("ef" x 32), "\@PUB_RO\@" => "goreg_" . ("01" x 32),
		                "\@BASIC_PUB\@" => "YWxpY2U6Z29yZWdfYWJj", "\@BASIC_PRIV\@" => "Ym9iOmdvcmVnX2Nk",
		                "\@ETAG\@" => "\"h1:RslnPMa/nR3RpskRbvoDBlr6/b2RhFS0EEnq72RQTo0=\"",
		                "\@BIGFIELD\@" => "x" x 64) }
		sub flush { print join("\001", @r), "\n" if @r; @r = () }
		if (/^=== (\w+):/) { flush(); $keep = $1 eq "httpd"; next }
		if ($keep && /^> (.*)$/) { my $l = $1; $l =~ s{(\@[A-Z_]+\@)}{$sub{$1} // $1}ge; push @r, $l }
		END { flush() }
	' "$golden"
}

# ---- http, route, cgi, auth, cond: from the golden requests ----
golden_requests | perl -e '
	my ($dir) = @ARGV;
	my $n = 0;
	sub put { my ($t, $data) = @_; open my $f, ">", sprintf("%s/%s/g%03d", $dir, $t, $n) or die; print $f $data; close $f }
	while (<STDIN>) {
		chomp;
		my ($line, @fields) = split /\001/;
		next unless $line =~ /^(\S+) (\S+)/;
		my ($m, $p) = ($1, $2);
		$n++;
		my %h; my $body = 0;
		for (@fields) { if (/^\[body: .*, (\d+) bytes\]/) { $body = $1 } elsif (/^([^:]+): ?(.*)$/) { $h{lc $1} = $2 } }
		my $head = "$m $p HTTP/1.1\r\nHost: t\r\n" . join("", map { "$_\r\n" } grep { !/^\[/ } @fields);
		put("http", $head . ($body ? "Content-Length: $body\r\n\r\n" . ("z" x $body) : "\r\n"));
		put("route", "$m $p");
		my ($q) = $p =~ /\?(.*)/;
		my $env = "REQUEST_METHOD=$m\nREQUEST_URI=$p\n" . ($q ? "QUERY_STRING=$q\n" : "") .
			($body ? "CONTENT_LENGTH=$body\n" : "");
		for (sort keys %h) { (my $v = uc $_) =~ tr/-/_/; $env .= "HTTP_$v=$h{$_}\n" }
		put("cgi", $env . ($body ? "\n" . ("z" x $body) : ""));
		if (exists $h{authorization} || exists $h{"private-token"}) {
			my $a = $h{authorization} // "";
			$a =~ s/^Basic YWxpY2U6Z29yZWdfYWJj$/Basic64 alice:\@T\@/;
			$a =~ s/^Basic Ym9iOmdvcmVnX2Nk$/Basic64 bob:\@R\@/;
			$a =~ s/goreg_(ab){32}/\@T\@/; $a =~ s/goreg_(cd){32}/\@X\@/; $a =~ s/goreg_(01){32}/\@R\@/;
			my $pt = $h{"private-token"} // "";
			$pt =~ s/goreg_(ab){32}/\@T\@/; $pt =~ s/goreg_(cd){32}/\@X\@/;
			put("auth", "$a\n$pt");
		}
		if (grep { exists $h{$_} } ("if-none-match", "range", "if-range", "if-modified-since")) {
			my $etag = "\"h1:RslnPMa/nR3RpskRbvoDBlr6/b2RhFS0EEnq72RQTo0=\"";
			put("cond", join("\n", $h{"if-none-match"} // "", $etag, $h{range} // "", $h{"if-range"} // "",
				$h{"if-modified-since"} // "", 803, 1700000000, $m));
		}
	}
' "$seeds"

# ---- cgi: the environments of t-cgi.c, one cgi(...) call a seed ----
perl -e '
	my ($src, $dir) = @ARGV;
	local $/; open my $f, "<", $src or die; my $s = <$f>;
	my $n = 0;
	while ($s =~ /\bcgi\(((?:"(?:[^"\\]|\\.)*"\s*,\s*|\w+\s*,\s*)+)NULL\)/g) {
		my @v = $1 =~ /"((?:[^"\\]|\\.)*)"/g;
		next unless @v;
		open my $o, ">", sprintf("%s/cgi/u%03d", $dir, ++$n) or die;
		print $o join("\n", @v), "\n";
	}
' "$unit/t-cgi.c" "$seeds"

# ---- auth: the Basic credentials and schemes of t-auth.c ----
# (each_line PREFIX FORMAT: every line of stdin into a seed, through printf)
each_line() {
	n=0
	while IFS= read -r l; do
		n=$((n + 1))
		# shellcheck disable=SC2059
		printf "$2" "$l" > "$1$n"
	done
}
perl -ne 'print "$1\n" while /basic\(&rq, "((?:[^"\\]|\\.)*)"\)/g' "$unit/t-auth.c" |
	each_line "$seeds/auth/u" 'Basic64 %s\n'
perl -ne 'print "$1\n" while /rq\.authorization, "([^"%]*)"\)/g' "$unit/t-auth.c" | grep . |
	each_line "$seeds/auth/s" '%s\n'
printf 'Basic64 alice:@T@\n' > "$seeds/auth/basic-token"
printf 'Basic64 @R@:x-oauth-basic\n' > "$seeds/auth/basic-ro"
printf '\n@T@\n' > "$seeds/auth/private-token"
printf 'Bearer @X@\n' > "$seeds/auth/expired"

# ---- semver: the versions of t-semver.c, three a seed ----
literals "$unit/t-semver.c" | grep -E '^(v|$|bad|1\.)' | awk -v d="$seeds/semver" '
	{ v[NR % 3] = $0 }
	NR % 3 == 0 { f = sprintf("%s/u%03d", d, NR / 3); printf "%s\n%s\n%s", v[1], v[2], v[0] > f; close(f) }'

# ---- importinfo: the .info, times and pseudo-versions of t-import.c and the transcript ----
literals "$unit/t-import.c" | grep -E '^( ?\{|[0-9]{4}-|v[0-9])' | sed 's/\\"/"/g' |
	each_line "$seeds/importinfo/u" '%b'
grep -h '^{"Version"' "$golden" | sort -u | each_line "$seeds/importinfo/g" '%s'

# ---- cond: dates the transcript answers with, and Content-Ranges as Range ----
grep -h '^Last-Modified: ' "$golden" | sort -u | sed 's/^Last-Modified: \(.*\)/\1\\n\1/' |
	each_line "$seeds/cond/d" '\n""\n\n%b\n803\n1700000000\nGET'
grep -h '^Content-Range: bytes [0-9]' "$golden" | sort -u |
	sed 's/^Content-Range: bytes \([0-9]*-[0-9]*\)\/\([0-9]*\)/\1\\n\\n\\n\2/' |
	each_line "$seeds/cond/r" '\n""\nbytes=%b\n0\nGET'

# ---- chunked: a .mod of the transcript in t0302's chunk shapes ----
# control bytes: see fuzz-chunked.c
payload=$(sed -n '/^module example.com\/hello/,/^go /p' "$golden" | head -n 3)
perl -e '
	my ($dir, $d) = @ARGV;
	my @shapes = ([1, "", ""], [3, " ; ext=\"a;b\"", "X-Checksum: none\r\nX-More: 1\r\n"], [7, ";x", ""], [4000, "", ""]);
	my $n = 0;
	for my $s (@shapes) {
		my ($size, $ext, $trailer) = @$s;
		my $body = ""; my $rest = $d; my $k = $size;
		while (length $rest) { my $c = substr($rest, 0, $k, ""); $body .= sprintf("%X%s\r\n%s\r\n", length $c, $ext, $c); $k = $k * 3 % 4001 || 1 }
		$body .= "0000\r\n$trailer\r\n";
		for my $ctl ("\x00\x00", "\x00\x11", "\x01\x9c", "\x10\x0d", "\x04\xe6") {
			open my $f, ">", sprintf("%s/chunked/c%02d", $dir, ++$n) or die;
			print $f $ctl, $body, "GET / HTTP/1.1\r\n\r\n";
		}
	}
	# t0302s bad chunk sizes, and a Content-Length body
	for my $bad ("zz", "-64", "0x64", "64 garbage", " 64", "10000000000000000", "64\n", "5\r\nhello\r\n0\r\nbad trailer\r\n\r\n") {
		open my $f, ">", sprintf("%s/chunked/b%02d", $dir, ++$n) or die;
		print $f "\x00\x00", $bad, "\r\n", $d;
	}
	# a chunk-size line as long as HTTP_CHUNK_LINE_MAX (1024) allows, in
	# reads of 1025 and 1024 bytes (t-http.c tries one far beyond it)
	for my $cut ("\xdd", "\xdc") {
		open my $f, ">", sprintf("%s/chunked/l%02d", $dir, ++$n) or die;
		print $f "\x00$cut", "5;", "x" x 1022, "\r\nhello\r\n0\r\n\r\n";
	}
	open my $f, ">", "$dir/chunked/length" or die;
	print $f "\x08\x00", pack("v", length $d), $d;
' "$seeds" "$payload"

# ---- modzip, zipcdir: zips like those the tests pack ----
if command -v zip >/dev/null 2>&1; then
	s=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-seeds.XXXXXX")
	mkdir -p "$s/example.com/m@v1.0.0/sub" "$s/example.com/Foo@v2.0.0+incompatible"
	printf 'module example.com/m\n\ngo 1.19\n' > "$s/example.com/m@v1.0.0/go.mod"
	printf 'package m\n' > "$s/example.com/m@v1.0.0/m.go"
	printf 'package sub\n\nconst Answer = 42\n' > "$s/example.com/m@v1.0.0/sub/sub.go"
	printf 'MIT\n' > "$s/example.com/m@v1.0.0/LICENSE"
	printf 'package foo\n' > "$s/example.com/Foo@v2.0.0+incompatible/foo.go"
	# the same bytes every time: fixed times, no extra fields
	find "$s" -exec touch -t 202001020304.05 {} +
	(cd "$s" && export TZ=UTC ZIPOPT=-X &&
		zip -qrD "$seeds/modzip/deflate.zip" example.com/m@v1.0.0 &&
		zip -qr0 "$seeds/modzip/store-dirs.zip" example.com/m@v1.0.0 &&
		zip -qrD -fz "$seeds/modzip/zip64.zip" example.com/m@v1.0.0 &&
		zip -qrD "$seeds/modzip/nogomod.zip" "example.com/Foo@v2.0.0+incompatible" &&
		printf 'example.com/m@v1.0.0/go.mod\n' | zip -qD "$seeds/modzip/gomod-only.zip" -@)
	rm -rf "$s"
	cp "$seeds/modzip"/*.zip "$seeds/zipcdir/"
else
	echo "$0: no zip(1): modzip and zipcdir start from nothing" >&2
fi

# ---- the regression inputs: one escaped input a line, '#' comments ----
for f in "$here"/regress/*.txt; do
	[ -f "$f" ] || continue
	t=${f##*/}
	t=${t%.txt}
	mkdir -p "$regress/$t"
	perl -ne '
		BEGIN { $dir = shift @ARGV; $n = 0 }
		next if /^#/ || /^$/;
		chomp;
		s/\\(x([0-9a-fA-F]{2})|[nrt0\\])/defined $2 ? chr(hex $2) : {n => "\n", r => "\r", t => "\t", 0 => "\0", "\\" => "\\"}->{$1}/ge;
		open my $o, ">", sprintf("%s/%03d", $dir, ++$n) or die "$dir: $!";
		print $o $_;
		close $o;
	' "$regress/$t" "$f"
done
