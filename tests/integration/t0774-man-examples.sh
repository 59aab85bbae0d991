#!/bin/sh
# Man page examples run as printed, in a scratch directory, by an
# interactive bash (which expands a bare '!' from its history, as a pasted
# example meets it): goreg-pack(1)'s file-based GOPROXY tree writes only
# below its directory, and the go command downloads from the tree it made.
. "$(dirname "$0")/lib.sh"
command -v bash >/dev/null 2>&1 || skip_all "no bash"

# example PAGE N: the commands of the Nth literal block of PAGE's EXAMPLES
# ('$ ' prompts taken off, mdoc's \e made a backslash)
example() {
	awk -v n="$2" '
		/^\.Sh / { ex = ($0 == ".Sh EXAMPLES") }
		ex && /^\.Bd -literal/ { k++; on = (k == n); next }
		/^\.Ed$/ { on = 0 }
		on' "$GOREG_TOP/man/$1" | sed -e 's/^\$ //' -e 's/\\e/\\/g'
}

W=$T/work
mkdir -p "$W" "$T/home"
printf 'module example.com/Acme/m\n\ngo 1.19\n' > "$W/go.mod"
printf 'package m\n\n// Hi says hi.\nfunc Hi() string { return "hi" }\n' > "$W/m.go"
# set -u first: should an example lose a variable again, its lines fail
# instead of writing into / (as the unquoted '!acme' once did)
{ echo 'set -u'; example goreg-pack.1 3; } > "$T/ex.sh"
like "$(cat "$T/ex.sh")" "goreg-pack -o" "goreg-pack(1)'s third example is the GOPROXY tree"
ls -A / > "$T/root-before"
(cd "$W" && env -i PATH="$B:$PATH" HOME="$T/home" bash --norc -i < "$T/ex.sh" >"$T/out" 2>&1)
ls -A / > "$T/root-after"
cmp -s "$T/root-before" "$T/root-after"
ok $? "nothing written into /"
d='proxy/example.com/!acme/m/@v'
is "$(cd "$W/$d" 2>/dev/null && ls | tr '\n' ' ')" "list v1.4.0.info v1.4.0.mod v1.4.0.zip " \
	"the version's files are in $d, below the scratch directory"
command -v go >/dev/null 2>&1 || { done_testing; }
mkdir -p "$T/app"
cd "$T/app" || bail "no app dir"
go_env go mod init example.com/app >/dev/null 2>&1
json=$(go_env GOPROXY="file://$W/proxy" GONOSUMDB='example.com/*' GOFLAGS=-mod=mod \
	go mod download -json example.com/Acme/m@v1.4.0 2>&1)
ok $? "the go command downloads from the tree the example made"
like "$json" '"Sum": "h1:[A-Za-z0-9+/]{43}="' "  and hashes it"
done_testing
