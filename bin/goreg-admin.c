/* goreg-admin: users, organisations, owners' visibility and tokens in
 * GOREG_ROOT/goreg.tdb, and the audit log.  See goreg-admin(8). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "base/prog.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "upstream/upstream.h"

static const char synopsis[] =
	"[-r root] command ...\n"
	"  user add USER\n"
	"  org add ORG\n"
	"  org grant ORG USER read|write\n"
	"  org revoke ORG USER\n"
	"  org members ORG\n"
	"  owner private OWNER | owner public OWNER\n"
	"  owner list\n"
	"  token add USER [--read-only] [--name NAME] [--expires DAYS]\n"
	"  token list USER\n"
	"  token revoke USER TOKEN-ID\n"
	"  audit [OWNER]\n"
	"  upstream set OWNER LIST | upstream show OWNER | upstream clear OWNER\n"
	"  upstream private OWNER PATTERNS\n"
	"  upstream sumdb OWNER NAME+HASH+KEY URL\n"
	"  sumdb init OWNER NAME | sumdb key OWNER | sumdb verify OWNER";

static struct store st;
static struct audit au;
static char err[MSG_MAX];

static int is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
}

static void check(int code)
{
	if (code >= 300)
		die(code < 500 ? 1 : 111, "%s", err);
}

/* Every change is audited; the log is opened before the change so a
 * store whose log cannot be written is left untouched. */
static void audit_begin(void)
{
	check(audit_open(&st, &au, err, sizeof err));
}

static int audit_end(int code, int64_t now, const char *action, const char *owner, const char *object,
                     const char *detail)
{
	if (code >= 300) {
		audit_close(&au);
		check(code);
	}
	char origin[32];
	audit_local_origin(origin, sizeof origin);
	if (audit_append(&au, now, "", action, owner, object, detail, origin, err, sizeof err) != 200)
		die(111, "%s done, but not audited: %s", action, err);
	return 0;
}

/* out is filled by the call that returned code: callers make the call
 * first (argument evaluation order is unspecified) */
static int print(int code, char *out)
{
	check(code);
	fputs(out, stdout);
	free(out);
	return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
}

/* goreg-admin upstream ...: an owner's upstream GOPROXY list, private
 * patterns and checksum database (upstream.h). */
static int upstream_cmd(int argc, char **argv, int64_t now)
{
	const char *verb = argc > 1 ? argv[1] : "";
	if (is(verb, "show") && argc == 3) {
		struct upstream u;
		check(upstream_get(&st, argv[2], &u, err, sizeof err));
		if (!*u.proxy && !*u.private_ && !*u.sumdb_key)
			die(1, "'%s' has no upstream", argv[2]);
		printf("%s\n", *u.proxy ? u.proxy : "off");
		if (*u.private_)
			printf("private %s\n", u.private_);
		if (*u.sumdb_key)
			printf("sumdb %s %s\n", u.sumdb_key, u.sumdb_url);
		return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
	}
	int code;
	if (is(verb, "set") && argc == 4) {
		audit_begin();
		code = upstream_set_proxy(&st, argv[2], argv[3], err, sizeof err);
		return audit_end(code, now, "upstream-set", argv[2], "", argv[3]);
	}
	if (is(verb, "private") && argc == 4) {
		audit_begin();
		code = upstream_set_private(&st, argv[2], argv[3], err, sizeof err);
		return audit_end(code, now, "upstream-private", argv[2], "", argv[3]);
	}
	if (is(verb, "sumdb") && argc == 5) {
		audit_begin();
		code = upstream_set_sumdb(&st, argv[2], argv[3], argv[4], err, sizeof err);
		return audit_end(code, now, "upstream-sumdb", argv[2], argv[3], argv[4]);
	}
	if (is(verb, "clear") && argc == 3) {
		audit_begin();
		code = upstream_clear(&st, argv[2], err, sizeof err);
		return audit_end(code, now, "upstream-clear", argv[2], "", "");
	}
	usage(synopsis);
}

/* goreg-admin sumdb ...: the owner's own checksum database (sumlog.h). */
static int sumdb_cmd(int argc, char **argv, int64_t now)
{
	const char *verb = argc > 1 ? argv[1] : "";
	char vkey[NOTE_KEY_MAX + 1];
	struct sumlog l;
	if (is(verb, "init") && argc == 4) {
		struct owner_info oi;
		check(auth_owner_get(&st, argv[2], &oi, err, sizeof err));
		audit_begin();
		audit_end(sumlog_create(&st, argv[2], argv[3], vkey, err, sizeof err), now, "sumdb-init", argv[2],
		          argv[3], vkey);
	} else if (is(verb, "key") && argc == 3) {
		check(sumlog_open(&st, argv[2], 0, &l, err, sizeof err));
		int code = sumlog_vkey(&l, vkey, err, sizeof err);
		sumlog_close(&l);
		check(code);
	} else if (is(verb, "verify") && argc == 3) {
		int64_t n = 0;
		check(sumlog_open(&st, argv[2], 0, &l, err, sizeof err));
		int code = sumlog_verify(&l, &n, err, sizeof err);
		sumlog_close(&l);
		if (code != 200)
			die(1, "the checksum database of '%s' does not verify: %s", argv[2], err);
		printf("%s: %lld records, every hash and the signed tree head verify\n", argv[2], (long long)n);
		return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
	} else
		usage(synopsis);
	/* the verifier key line, for GOSUMDB */
	printf("%s\n", vkey);
	return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
}

int main(int argc, char **argv)
{
	prog_init("goreg-admin");
	const char *root = store_default_root();
	int i = 1;
	if (argc > 2 && is(argv[1], "-r")) {
		root = argv[2];
		i = 3;
	}
	argc -= i;
	argv += i;
	if (argc < 1)
		usage(synopsis);
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	int64_t now = unix_now();
	const char *what = argv[0], *verb = argc > 1 ? argv[1] : "";

	if (is(what, "audit") && argc <= 2) {
		check(audit_print(&st, argc == 2 ? argv[1] : NULL, stdout, err, sizeof err));
		return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
	}
	if (is(what, "user") && is(verb, "add") && argc == 3) {
		audit_begin();
		return audit_end(auth_user_add(&st, argv[2], now, err, sizeof err), now, "user-add", argv[2], "",
		                 "");
	}
	if (is(what, "org") && is(verb, "add") && argc == 3) {
		audit_begin();
		return audit_end(auth_org_add(&st, argv[2], now, err, sizeof err), now, "org-add", argv[2], "", "");
	}
	if (is(what, "org") && is(verb, "grant") && argc == 5) {
		if (!is(argv[4], "read") && !is(argv[4], "write"))
			usage(synopsis);
		int acc = is(argv[4], "write") ? ACCESS_READ | ACCESS_WRITE : ACCESS_READ;
		audit_begin();
		return audit_end(auth_org_grant(&st, argv[2], argv[3], acc, err, sizeof err), now, "org-grant",
		                 argv[2], argv[3], argv[4]);
	}
	if (is(what, "org") && is(verb, "revoke") && argc == 4) {
		audit_begin();
		return audit_end(auth_org_revoke(&st, argv[2], argv[3], err, sizeof err), now, "org-revoke",
		                 argv[2], argv[3], "");
	}
	if (is(what, "org") && is(verb, "members") && argc == 3) {
		char *out;
		int code = auth_org_members(&st, argv[2], &out, err, sizeof err);
		return print(code, out);
	}
	if (is(what, "owner") && (is(verb, "private") || is(verb, "public")) && argc == 3) {
		audit_begin();
		return audit_end(auth_owner_set_private(&st, argv[2], is(verb, "private"), err, sizeof err), now,
		                 is(verb, "private") ? "owner-private" : "owner-public", argv[2], "", "");
	}
	if (is(what, "owner") && is(verb, "list") && argc == 2) {
		char *out;
		int code = auth_owner_list(&st, &out, err, sizeof err);
		return print(code, out);
	}
	if (is(what, "token") && is(verb, "add") && argc >= 3) {
		int ro = 0;
		const char *name = "";
		long long days = 0;
		for (int k = 3; k < argc; k++) {
			if (is(argv[k], "--read-only"))
				ro = 1;
			else if (is(argv[k], "--name") && k + 1 < argc)
				name = argv[++k];
			else if (is(argv[k], "--expires") && k + 1 < argc) {
				char *e;
				days = strtoll(argv[++k], &e, 10);
				if (*e || e == argv[k] || days <= 0 || days > 36500)
					die(2, "invalid --expires '%s': expected a number of days, 1 to 36500", argv[k]);
			} else
				usage(synopsis);
		}
		char token[TOKEN_LEN + 1], id[TOKEN_ID_LEN + 1];
		audit_begin();
		audit_end(auth_token_add(&st, argv[2], ro, name, days ? now + days * DAY_SECS : 0, now, token, id, err,
		                         sizeof err),
		          now, "token-add", argv[2], id, ro ? "read" : "write");
		/* the token alone on stdout, shown this once; it is stored
		 * nowhere, only its hash is */
		printf("%s\n", token);
		return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
	}
	if (is(what, "token") && is(verb, "list") && argc == 3) {
		char *out;
		int code = auth_token_list(&st, argv[2], &out, err, sizeof err);
		return print(code, out);
	}
	if (is(what, "token") && is(verb, "revoke") && argc == 4) {
		audit_begin();
		return audit_end(auth_token_revoke(&st, argv[2], argv[3], err, sizeof err), now, "token-revoke",
		                 argv[2], argv[3], "");
	}
	if (is(what, "upstream"))
		return upstream_cmd(argc, argv, now);
	if (is(what, "sumdb"))
		return sumdb_cmd(argc, argv, now);
	usage(synopsis);
}
