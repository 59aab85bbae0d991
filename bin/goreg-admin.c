/* goreg-admin: users, organisations, owners' visibility and tokens in
 * GOREG_ROOT/goreg.tdb, and the audit log.  See goreg-admin(8). */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "base/prog.h"
#include "store/refusal.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "upstream/upstream.h"

static const char synopsis[] =
	"[-r root] [--other-user-ok] command ...\n"
	"  user add USER | user list | user delete USER [--force]\n"
	"  org add ORG\n"
	"  org grant ORG USER read|write\n"
	"  org revoke ORG USER\n"
	"  org members ORG\n"
	"  owner private OWNER | owner public OWNER\n"
	"  owner list | owner modules OWNER\n"
	"  token add USER [--read-only] [--name NAME] [--expires DAYS]\n"
	"  token list USER\n"
	"  token revoke USER TOKEN-ID\n"
	"  audit [OWNER]\n"
	"  backup DIR\n"
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

_Noreturn static void bad_usage(int argc, char **argv);

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
	bad_usage(argc, argv);
}

/* What is wrong with a command line no command matched: an option
 * nobody knows, a command nobody knows, or the arguments. */
_Noreturn static void bad_usage(int argc, char **argv)
{
	static const char *const known[] = {"--read-only", "--name", "--expires", "--force"};
	static const char *const cmds[] = {"user", "org", "owner", "token", "audit", "upstream", "backup"};
	for (int k = 0; k < argc; k++) {
		int ok = argv[k][0] != '-' || (k > 0 && (is(argv[k - 1], "--name") || is(argv[k - 1], "--expires")));
		for (size_t j = 0; j < sizeof known / sizeof *known && !ok; j++)
			ok = is(argv[k], known[j]);
		if (!ok) {
			warnx_("unknown option: %s", argv[k]);
			usage(synopsis);
		}
	}
	int cmd = 0;
	for (size_t j = 0; argc > 0 && j < sizeof cmds / sizeof *cmds; j++)
		cmd |= is(argv[0], cmds[j]);
	static const char *const verbs[] = {"add", "list", "delete", "grant", "revoke", "members", "private",
	                                    "public", "modules", "set", "show", "clear", "sumdb"};
	int verb = 0;
	for (size_t j = 0; argc > 1 && j < sizeof verbs / sizeof *verbs; j++)
		verb |= is(argv[1], verbs[j]);
	if (argc > 0 && !cmd)
		warnx_("unknown command: %s", argv[0]);
	else if (argc > 1 && !verb && !is(argv[0], "audit") && !is(argv[0], "backup"))
		warnx_("unknown command: %s %s", argv[0], argv[1]);
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
		bad_usage(argc, argv);
	/* the verifier key line, for GOSUMDB */
	printf("%s\n", vkey);
	return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
}

/* The commands that change the store, against those that only read it. */
static int changes(const char *what, const char *verb)
{
	static const char *const reads[] = {"list", "members", "show", "modules", "key", "verify"};
	if (is(what, "audit") || is(what, "backup"))
		return 0;
	for (size_t j = 0; j < sizeof reads / sizeof *reads; j++)
		if (is(verb, reads[j]))
			return 0;
	return 1;
}

/* A store's files belong to the user the server runs as: changed by
 * another user (root above all), they would be left unreadable to it. */
static void check_store_user(const char *root)
{
	struct stat sb;
	if (stat(root, &sb) != 0 || sb.st_uid == geteuid())
		return;
	struct passwd *pw = getpwuid(sb.st_uid);
	char them[64], me[64];
	snprintf(them, sizeof them, "%s", pw ? pw->pw_name : "");
	pw = getpwuid(geteuid());
	snprintf(me, sizeof me, "%s", pw ? pw->pw_name : "");
	if (*them)
		die(1, "store '%s' belongs to %s (uid %u), not to %s (uid %u): run 'sudo -u %s goreg-admin ...', "
		    "or pass --other-user-ok", root, them, (unsigned)sb.st_uid, *me ? me : "you", (unsigned)geteuid(),
		    them);
	die(1, "store '%s' belongs to uid %u, not to uid %u: run goreg-admin as that user, or pass "
	    "--other-user-ok", root, (unsigned)sb.st_uid, (unsigned)geteuid());
}

/* goreg-admin user delete USER [--force]: refused while the owner holds
 * versions, unless forced; then the account (user, owner, tokens,
 * memberships, upstream settings) goes, and ROOT/USER is set aside in
 * lost+found.  See goreg-admin(8). */
static int user_delete(int argc, char **argv, int64_t now)
{
	const char *user = argv[2];
	int force = argc == 4 && is(argv[3], "--force");
	if (argc == 4 && !force)
		bad_usage(argc, argv);
	if (store_check_owner(user))
		die(1, "no such user '%s'", user);
	char moved[ROOT_PATH_MAX + OWNER_MAX + 64], detail[ROOT_PATH_MAX + OWNER_MAX + 128];
	size_t versions, tokens, orgs;
	/* held to the end (the process's exit lets go on every die) */
	struct store_owner_hold lock;
	check(store_owner_lock(&st, user, &lock, &versions, err, sizeof err));
	if (versions && !force)
		die(1, "'%s' still has %zu version%s (goreg-admin owner modules %s): delete them, or pass --force "
		    "to set them aside", user, versions, versions == 1 ? "" : "s", user);
	audit_begin();
	int code = auth_user_delete(&st, user, &tokens, &orgs, err, sizeof err);
	if (code == 204 && upstream_clear(&st, user, err, sizeof err) >= 500)
		warnx_("deleted '%s', but its upstream settings stay: %s", user, err);
	/* a new owner of the name starts with no refused writes counted */
	if (code == 204)
		store_refusal_forget(&st, user);
	if (code == 204 && (code = store_owner_set_aside(&st, user, now, moved, sizeof moved, err, sizeof err)) >= 300)
		die(111, "deleted '%s', not audited, and its modules stay: %s (move it away before 'user add %s')", user,
		    err, user);
	/* the audit record's detail is one word */
	const char *rel = *moved ? moved + strlen(st.root) + 1 : "";
	snprintf(detail, sizeof detail, "tokens=%zu,memberships=%zu,versions=%zu%s%s", tokens, orgs, versions,
	         *rel ? ",set-aside=" : "", rel);
	audit_end(code >= 300 ? code : 204, now, "user-delete", user, "", detail);
	fprintf(stderr, "goreg-admin: deleted user '%s': %zu tokens revoked, %zu memberships removed", user, tokens,
	        orgs);
	if (*rel)
		fprintf(stderr, ", its files set aside in %s (%zu versions)", moved, versions);
	fputc('\n', stderr);
	store_owner_unlock(&lock);
	return 0;
}

/* goreg-admin user ... and owner ...; -1 for a command line that is
 * neither */
static int user_owner_cmd(int argc, char **argv, int64_t now)
{
	const char *what = argv[0], *verb = argc > 1 ? argv[1] : "";
	if (is(what, "user") && is(verb, "add") && argc == 3) {
		audit_begin();
		return audit_end(auth_user_add(&st, argv[2], now, err, sizeof err), now, "user-add", argv[2], "",
		                 "");
	}
	if (is(what, "user") && is(verb, "list") && argc == 2) {
		char *out;
		int code = auth_user_list(&st, &out, err, sizeof err);
		return print(code, out);
	}
	if (is(what, "user") && is(verb, "delete") && (argc == 3 || argc == 4))
		return user_delete(argc, argv, now);
	if (is(what, "owner") && is(verb, "modules") && argc == 3) {
		struct store_module *m;
		size_t n;
		if (store_check_owner(argv[2]))
			die(1, "no such owner '%s'", argv[2]);
		check(store_owner_modules(&st, argv[2], &m, &n, err, sizeof err));
		/* "MODULE V1 V2 ...", one line each */
		for (size_t i = 0; i < n; i++) {
			fputs(m[i].path, stdout);
			for (size_t j = 0; j < m[i].nv; j++)
				printf(" %s", m[i].v[j]);
			putchar('\n');
		}
		store_owner_modules_free(m, n);
		return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
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
	return -1;
}

/* goreg-admin token add USER [--read-only] [--name NAME] [--expires DAYS] */
static int token_add(int argc, char **argv, int64_t now)
{
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
			bad_usage(argc, argv);
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

int main(int argc, char **argv)
{
	prog_init("goreg-admin");
	prog_help(argc, argv, synopsis);
	const char *root = store_default_root();
	int i = 1, other_ok = 0;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (is(argv[i], "-r") && i + 1 < argc)
			root = argv[++i];
		else if (is(argv[i], "--other-user-ok"))
			other_ok = 1;
		else if (is(argv[i], "-r")) {
			warnx_("option -r needs an argument");
			usage(synopsis);
		} else
			bad_usage(argc - i, argv + i);
	}
	argc -= i;
	argv += i;
	if (argc < 1)
		usage(synopsis);
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	int64_t now = unix_now();
	const char *what = argv[0], *verb = argc > 1 ? argv[1] : "";
	if (!other_ok && changes(what, verb))
		check_store_user(st.root);

	if (is(what, "audit") && argc <= 2) {
		check(audit_print(&st, argc == 2 ? argv[1] : NULL, stdout, err, sizeof err));
		return fflush(stdout) == 0 ? 0 : (die(111, "unable to write to stdout"), 111);
	}
	if (is(what, "backup") && argc == 2) {
		struct store_backup_counts n;
		check(store_backup(&st, argv[1], &n, err, sizeof err));
		fprintf(stderr, "goreg-admin: backed up %lu owners, %lu files, %llu bytes into %s\n", n.owners, n.files,
		        n.bytes, argv[1]);
		return 0;
	}
	int rc = user_owner_cmd(argc, argv, now);
	if (rc >= 0)
		return rc;
	if (is(what, "token") && is(verb, "add") && argc >= 3)
		return token_add(argc, argv, now);
	if (is(what, "org") && is(verb, "add") && argc == 3) {
		audit_begin();
		return audit_end(auth_org_add(&st, argv[2], now, err, sizeof err), now, "org-add", argv[2], "", "");
	}
	if (is(what, "org") && is(verb, "grant") && argc == 5) {
		if (!is(argv[4], "read") && !is(argv[4], "write"))
			bad_usage(argc, argv);
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
	bad_usage(argc, argv);
}
