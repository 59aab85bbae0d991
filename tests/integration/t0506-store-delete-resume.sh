#!/bin/sh
# A delete killed between its two steps is finished by deleting again
# (goreg-delete and HTTP DELETE): the version is not left half-removed in
# the file tree, where a file:// GOPROXY or a CDN would go on serving it.
. "$(dirname "$0")/lib.sh"

DEV=${GOREG_DEVDIR:-}/bin
[ -x "$DEV/goreg-delete" ] || skip_all "no dev build with the crash hook in '${GOREG_DEVDIR:-}'"
R=$T/store
admin "$R" user add acme
TOKEN=$(admin "$R" token add acme)
make_module "$T/src" example.com/hello
pack example.com/hello v1.0.0 "$T/src" "$T/a.zip"
pack example.com/hello v1.1.0 "$T/src" "$T/b.zip"
V=$R/acme/example.com/hello/@v

for how in tool http; do
	for z in "$T/a.zip" "$T/b.zip"; do
		"$B/goreg-upload" -r "$R" acme "$z" 2>/dev/null
	done
	for step in delete-marked delete-info delete-files; do
		GOREG_STORE_CRASH=$step "$DEV/goreg-delete" -r "$R" acme example.com/hello v1.0.0 2>/dev/null
		is "$?" 137 "$how/$step: the first delete is killed at '$step'"
		"$B/goreg-info" -r "$R" acme example.com/hello v1.0.0 >/dev/null 2>&1
		is "$?" 1 "$how/$step: the version is no longer served"
		if [ "$how" = tool ]; then
			"$B/goreg-delete" -r "$R" acme example.com/hello v1.0.0 2>"$T/err"
			is "$?" 0 "$how/$step: deleting again succeeds ($(cat "$T/err"))"
		else
			[ -n "${BASE:-}" ] || start_httpd "$R"
			code=$(http --user "acme:$TOKEN" -X DELETE "$BASE/api/v1/packages/acme/go/example.com%2Fhello/v1.0.0")
			is "$code" 204 "$how/$step: DELETE again answers 204"
		fi
		left=$(ls "$V" | grep -c '^v1\.0\.0\.' || true)
		is "$left" 0 "$how/$step: no file of v1.0.0 is left in the tree"
		is "$(cat "$V/list")" "v1.1.0" "$how/$step: the tree's list no longer has v1.0.0"
		"$B/goreg-delete" -r "$R" acme example.com/hello v1.0.0 2>/dev/null
		is "$?" 1 "$how/$step: a third delete finds nothing (exit 1)"
		"$B/goreg-upload" -r "$R" acme "$T/a.zip" 2>/dev/null
		is "$?" 0 "$how/$step: the version can be uploaded again"
	done
	"$B/goreg-delete" -r "$R" acme example.com/hello v1.0.0 2>/dev/null
	"$B/goreg-delete" -r "$R" acme example.com/hello v1.1.0 2>/dev/null
done
done_testing
