#!/bin/sh
# Every man page example runs: each literal block of each EXAMPLES section
# of man/*.[1-9] (tests/integration/manex.pl extracts the commands) runs in
# an interactive bash, as a pasted example would (so a bare '!' meets
# history expansion), in a scratch directory holding a store, module
# sources and zips, with the server host in the examples
# (https://goreg.example) turned into a goreg-httpd this test started on
# 127.0.0.1, and /var/lib/goreg, /srv/ and /tmp/ into the scratch
# directory.  Every command must succeed.  A block that cannot run here
# (a server in the foreground, a configuration file, sudo, the network)
# carries '.\" example: skip REASON' in the page and is a TAP skip with
# that reason; '.\" example: needs COMMAND' skips it when COMMAND is
# missing.  Nothing may be written outside the scratch directory.
. "$(dirname "$0")/lib.sh"
command -v bash >/dev/null 2>&1 || skip_all "no bash"
command -v go >/dev/null 2>&1 || skip_all "no go command"

# the fixture: a store with alice (example.com/hello v1.0.0, v1.1.0,
# v1.2.0-rc.1, example.com/Hello v1.0.0) and acme (example.com/hello
# v1.0.0), alice's token; a work directory that is module
# example.com/Acme/m, with ./hello (example.com/hello), hello.zip (v1.0.0)
# and hello-v1.2.0.zip, srv/old and srv/goreg (copies of the store),
# srv/goproxy and ~/go's module cache (copies of alice's file tree)
FS=$T/fix-store
FW=$T/fix-work
admin "$FS" user add alice >/dev/null || bail "user add alice"
admin "$FS" user add acme >/dev/null || bail "user add acme"
TOKEN=$(admin "$FS" token add alice) || bail "token add"
mkdir -p "$FW/tmp" "$FW/srv" "$FW/home/go/pkg/mod/cache"
make_module "$FW/hello" example.com/hello
make_module "$T/Hello" example.com/Hello
printf 'module example.com/Acme/m\n\ngo 1.19\n' > "$FW/go.mod"
printf 'package m\n\n// Hi says hi.\nfunc Hi() string { return "hi" }\n' > "$FW/m.go"
for v in v1.0.0 v1.1.0 v1.2.0-rc.1 v1.2.0; do
	pack example.com/hello $v "$FW/hello" "$T/hello-$v.zip" || bail "pack $v"
done
pack example.com/Hello v1.0.0 "$T/Hello" "$T/Hello.zip" || bail "pack Hello"
for z in hello-v1.0.0 hello-v1.1.0 hello-v1.2.0-rc.1 Hello; do
	"$B/goreg-upload" -r "$FS" -u alice alice "$T/$z.zip" 2>/dev/null || bail "upload $z"
done
"$B/goreg-upload" -r "$FS" -u acme acme "$T/hello-v1.0.0.zip" 2>/dev/null || bail "upload acme"
cp "$T/hello-v1.0.0.zip" "$FW/hello.zip"
cp "$T/hello-v1.2.0.zip" "$FW/hello-v1.2.0.zip"
cp -a "$FS" "$FW/srv/old"
cp -a "$FS" "$FW/srv/goreg"
cp -a "$FS/alice" "$FW/srv/goproxy"
rm "$FW/srv/goproxy/index.tdb"
cp -a "$FW/srv/goproxy" "$FW/home/go/pkg/mod/cache/download"

R=$T/store
mkdir -p "$R"
start_httpd "$R"
W=$T/w
mkdir -p "$T/ex"
perl "$GOREG_TOP/tests/integration/manex.pl" "$T/ex" "$GOREG_TOP"/man/*.[1-9] || bail "manex.pl failed"

ls -A / > "$T/root-before"
ran=0
skipped=0
: > "$T/skips"
for s in $(cd "$T/ex" && ls *.sh | sort -t. -k1,1 -k3,3n); do
	ex=${s%.sh}
	page=${ex%.*}
	k=${ex##*.}
	mark=$(cat "$T/ex/$ex.mark")
	what="man/$page example $k"
	reason=
	case $mark in
	"skip "?*) reason=${mark#skip } ;;
	"needs "?*) command -v "${mark#needs }" >/dev/null 2>&1 || reason="${mark#needs } is not installed" ;;
	"") ;;
	*)
		ok 1 "$what: unknown marker '$mark'"
		continue
		;;
	esac
	if [ -n "$reason" ]; then
		_tap_n=$((_tap_n + 1))
		echo "ok $_tap_n # skip $what: $reason"
		skipped=$((skipped + 1))
		printf '%s: %s\n' "$what" "$reason" >> "$T/skips"
		continue
	fi
	# a fresh scratch directory and store for each page's first block
	if [ "$k" = 1 ] || [ ! -d "$W" ]; then
		chmod -R u+w "$W" 2>/dev/null
		rm -rf "$W" "$R"
		cp -a "$FW" "$W"
		if [ -e "$T/ex/$page.empty" ]; then mkdir -p "$R"; else cp -a "$FS" "$R"; fi
	fi
	# one pass: what is put in is not looked at again
	perl -pe 'BEGIN { ($b, $r, $w) = splice(@ARGV, 0, 3) }
		s{https://goreg\.example(?:\.com)?|/var/lib/goreg|/srv/|/tmp/}{
			$& =~ /^https/ ? $b : $& eq "/var/lib/goreg" ? $r : "$w$&"}ge' \
		"$BASE" "$R" "$W" "$T/ex/$s" > "$T/run.sh"
	(cd "$W" && env -i PATH="$B:$PATH" HOME="$W/home" GOREG_ROOT="$R" TOKEN="$TOKEN" \
		GOCACHE="$T/gocache" GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0 GOPROXY=off \
		bash --norc -i "$T/run.sh" < /dev/null > "$T/out" 2>&1)
	rc=$?
	ok $rc "$what runs ($(grep -c . "$T/ex/$s" | tr -d ' ') lines)"
	if [ $rc -ne 0 ]; then
		sed 's/^/#   | /' "$T/run.sh" | grep -v '__s=' | head -n 30
		grep -v 'terminal process group\|no job control' "$T/out" | sed 's/^/#   > /' | tail -n 15
	fi
	ran=$((ran + 1))
done
ls -A / > "$T/root-after"
cmp -s "$T/root-before" "$T/root-after"
ok $? "nothing written into /"
[ "$ran" -ge 30 ]
ok $? "at least 30 examples ran ($ran ran)"
diag "$ran examples ran, $skipped skipped:"
sed 's/^/#   /' "$T/skips"
done_testing
