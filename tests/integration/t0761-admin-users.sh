#!/bin/sh
# goreg-admin user list, user delete (refused while the owner has
# versions; --force sets its directory aside; tokens, memberships and
# the owner go in one step, audited), owner modules, and the refusal to
# change a store that belongs to another user.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/httplib.sh"
setup_registry
admin "$R" user add alice >/dev/null
admin "$R" user add bob >/dev/null
admin "$R" org add team >/dev/null
admin "$R" org grant team alice write
ATOK=$(admin "$R" token add alice)
admin "$R" token add alice --read-only >/dev/null
is "$(admin "$R" user list | tr '\n' ' ')" "acme alice bob " "user list: the users, sorted, no organisation"
is "$(admin "$R" owner modules alice)" "" "owner modules: nothing for an owner without modules"

"$B/goreg-upload" -r "$R" alice "$T/hello11.zip" 2>/dev/null
"$B/goreg-upload" -r "$R" alice "$T/hello.zip" 2>/dev/null
make_module "$T/src2" example.com/aaa
pack example.com/aaa v0.1.0 "$T/src2" "$T/aaa.zip"
"$B/goreg-upload" -r "$R" alice "$T/aaa.zip" 2>/dev/null
is "$(admin "$R" owner modules alice)" "example.com/aaa v0.1.0
example.com/hello v1.0.0 v1.1.0" "owner modules: one line a module, its versions in order"
admin "$R" owner modules 'Bad!' 2>"$T/err"
is "$?:$(cat "$T/err")" "1:goreg-admin: no such owner 'Bad!'" "owner modules of an invalid name: refused"

cp "$R/goreg.tdb" "$T/before.tdb"
admin "$R" user delete alice 2>"$T/err"
is "$?" 1 "user delete of a user with versions: refused"
is "$(cat "$T/err")" "goreg-admin: 'alice' still has 3 versions (goreg-admin owner modules alice): delete them, or pass --force to set them aside" \
	"saying what to do"
cmp -s "$R/goreg.tdb" "$T/before.tdb"
ok $? "and goreg.tdb is unchanged"
admin "$R" user delete alice --bogus 2>"$T/err"
is "$?:$(head -n 1 "$T/err")" "2:goreg-admin: unknown option: --bogus" "user delete names a bad option"

start_httpd "$R"
is "$(http --user "alice:$ATOK" "$BASE/api/packages/alice/go/example.com/hello/@v/list")" 200 "alice's token reads before"
GOREG_NOW=1800000000 admin "$R" user delete alice --force 2>"$T/err"
is "$?" 0 "user delete --force: done"
is "$(cat "$T/err")" "goreg-admin: deleted user 'alice': 2 tokens revoked, 1 memberships removed, its files set aside in $R/lost+found/alice.deleted.1800000000 (3 versions)" \
	"saying what went where"
is "$(admin "$R" user list | tr '\n' ' ')" "acme bob " "gone from the list"
is "$(admin "$R" token list alice 2>&1)" "goreg-admin: no such user 'alice'" "its tokens with it"
is "$(admin "$R" org members team)" "" "and its membership"
is "$(admin "$R" owner list | grep -c alice)" 0 "and its owner"
is "$(http --user "alice:$ATOK" "$BASE/api/packages/alice/go/example.com/hello/@v/list")" 401 "its token: 401"
is "$(http "$BASE/api/packages/alice/go/example.com/hello/@v/list")" 401 "its modules are not served"
is "$(admin "$R" audit alice | tail -n 1 | cut -d' ' -f2-)" \
	"- user-delete alice - tokens=2,memberships=1,versions=3,set-aside=lost+found/alice.deleted.1800000000 local:0" \
	"audited, with what went"
test -d "$R/lost+found/alice.deleted.1800000000" && ! test -e "$R/alice"
ok $? "the owner's directory is in lost+found"
"$B/goreg-fsck" -r "$R" >"$T/fsck" 2>&1
is "$?:$(cat "$T/fsck")" "0:" "goreg-fsck: clean"
admin "$R" user add alice >/dev/null
is "$(admin "$R" owner modules alice)" "" "a new alice starts empty"
"$B/goreg-import" -r "$R" alice "$R/lost+found/alice.deleted.1800000000" >/dev/null 2>"$T/err"
is "$?:$(cat "$T/err")" "0:goreg-import: 3 imported, 0 existed, 0 invalid" "the set-aside modules import back"
is "$(admin "$R" owner modules alice | tr '\n' ' ')" "example.com/aaa v0.1.0 example.com/hello v1.0.0 v1.1.0 " "all of them"
admin "$R" user delete bob
is "$?:$(admin "$R" user list | tr '\n' ' ')" "0:acme alice " "a user without versions is deleted without --force"
admin "$R" user delete bob 2>"$T/err"
is "$?:$(cat "$T/err")" "1:goreg-admin: no such user 'bob'" "an unknown user: refused"
admin "$R" user delete team 2>"$T/err"
is "$?:$(cat "$T/err")" "1:goreg-admin: no such user 'team'" "an organisation is not a user"

# a store that belongs to another user
chown -R 65534:65534 "$R"
cp "$R/goreg.tdb" "$T/before.tdb"
admin "$R" user add carol 2>"$T/err"
is "$?" 1 "root changing a store of uid 65534: refused"
like "$(cat "$T/err")" "^goreg-admin: store '$R' belongs to [a-z]+ \(uid 65534\), not to root \(uid 0\): run 'sudo -u [a-z]+ goreg-admin ...', or pass --other-user-ok$" \
	"naming the user to run it as"
cmp -s "$R/goreg.tdb" "$T/before.tdb"
ok $? "nothing changed"
for c in "token add acme" "org grant team acme read" "owner private acme" "upstream clear acme" "user delete acme"; do
	# shellcheck disable=SC2086
	admin "$R" $c >/dev/null 2>&1
	is "$?" 1 "$c: refused as well"
done
is "$(admin "$R" user list | tr '\n' ' ')" "acme alice " "reading needs no option"
"$B/goreg-admin" -r "$R" --other-user-ok user add carol
is "$?" 0 "--other-user-ok: done"
chown -R 0:0 "$R"
done_testing
