#!/bin/sh
# goreg-pack reads each file it packs through one descriptor opened
# without following a symbolic link, and checks that it is the regular
# file the walk saw: a file or directory swapped for a link, or a file
# swapped for a FIFO or resized, between the walk and the read, fails the
# pack with one line naming it, and nothing is written, so the link's
# target (a file the packer may read, its owner may not) is never packed.
# The instant is made deterministic by the sanitizer build's hook
# GOREG_PACK_WALKED, a command run after the walk and before any read.
. "$(dirname "$0")/lib.sh"

DEV=${GOREG_DEVDIR:-}/bin
[ -x "$DEV/goreg-pack" ] || skip_all "no sanitizer build (make dev)"
M=example.com/race
S=$T/src
O=$T/outside
mkdir -p "$O/dir"
# the secrets have the sizes of the files they replace, so a pack that
# reads "as many bytes as walked" through a link gets all of them
secret() { # secret FILE-IN-TREE TARGET
	n=$(wc -c < "$1")
	head -c "$n" /dev/zero | tr '\0' 'S' > "$2"
	printf 'SECRET' | dd of="$2" conv=notrunc 2>/dev/null
}

fresh() {
	rm -rf "$S"
	make_module "$S" $M race
}

# packs MODULE-DIR HOOK: run the sanitizer build's goreg-pack with HOOK
# after its walk; sets rc, err; the zip goes to $T/out.zip
packs() {
	rm -f "$T/out.zip"
	GOREG_PACK_WALKED=$1 timeout 30 "$DEV/goreg-pack" -o "$T/out.zip" $M v1.0.0 "$S" 2>"$T/err"
	rc=$?
	err=$(cat "$T/err")
}

# no_secret: neither out.zip nor any file beside it holds SECRET
no_secret() {
	if [ -f "$T/out.zip" ]; then
		! unzip -p "$T/out.zip" 2>/dev/null | grep -q SECRET
		return
	fi
	! ls -a "$T" | grep -q '^\.out\.zip\.'
}

# nothing moved: the pack matches the release build's, byte for byte
fresh
pack $M v1.0.0 "$S" "$T/want.zip" || bail "goreg-pack failed"
packs true
is "$rc" 0 "a hook that changes nothing: the pack succeeds"
cmp -s "$T/want.zip" "$T/out.zip"
ok $? "and makes the same zip as before, byte for byte"

# a file swapped for a link to a file outside the tree
fresh
secret "$S/race.go" "$O/secret.go"
packs "rm '$S/race.go' && ln -s '$O/secret.go' '$S/race.go'"
is "$rc" 111 "a file swapped for a link: the pack fails (111: a retry walks the new tree)"
is "$err" "goreg-pack: unable to read '$S/race.go': a symbolic link, not followed (the tree changed while packing)" \
	"one line naming the file"
test ! -e "$T/out.zip"
ok $? "no zip written"
no_secret
ok $? "the link's target is packed nowhere"

# the same to standard output: nothing at all is written
fresh
GOREG_PACK_WALKED="rm '$S/race.go' && ln -s '$O/secret.go' '$S/race.go'" \
	timeout 30 "$DEV/goreg-pack" $M v1.0.0 "$S" > "$T/stdout.zip" 2>/dev/null
is "$?" 111 "to standard output: fails as well"
is "$(wc -c < "$T/stdout.zip" | tr -d ' ')" 0 "and writes nothing"

# a directory swapped for a link to a directory outside the tree
fresh
secret "$S/sub/sub.go" "$O/dir/sub.go"
packs "mv '$S/sub' '$T/sub.away' && ln -s '$O/dir' '$S/sub'"
is "$rc" 111 "a directory swapped for a link: the pack fails"
is "$err" "goreg-pack: unable to read '$S/sub/sub.go': a symbolic link, not followed (the tree changed while packing)" \
	"one line naming the file below it"
no_secret
ok $? "nothing from behind the link is packed"
rm -rf "$T/sub.away"

# a file swapped for a FIFO: no wait for a writer that never comes
fresh
packs "rm '$S/LICENSE' && mkfifo '$S/LICENSE'"
is "$rc" 111 "a file swapped for a FIFO: the pack fails at once"
is "$err" "goreg-pack: unable to read '$S/LICENSE': not a regular file (the tree changed while packing)" \
	"one line naming it"

# a file that grew after the walk
fresh
packs "printf '// more\n' >> '$S/race.go'"
is "$rc" 111 "a file resized after the walk: the pack fails"
is "$err" "goreg-pack: unable to read '$S/race.go': replaced or resized since the walk (the tree changed while packing)" \
	"one line naming it"
test ! -e "$T/out.zip"
ok $? "no zip written"

done_testing
