/* goreg-admin: users, organisations, owners' visibility and tokens in
 * GOREG_ROOT/goreg.tdb.  See goreg-admin(8). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "main.h"
#include "store.h"

static const char synopsis[] =
	"[-r root] command ...\n"
	"  user add USER\n"
	"  org add ORG\n"
	"  org grant ORG USER read|write\n"
	"  owner private OWNER | owner public OWNER\n"
	"  token add USER [--read-only] [--name NAME] [--expires DAYS]\n"
	"  token list USER\n"
	"  token revoke USER TOKEN-ID";

static int done(int code, const char *err)
{
	if (code >= 300)
		die(code < 500 ? 1 : 111, "%s", err);
	return 0;
}

static int is(const char *a, const char *b)
{
	return strcmp(a, b) == 0;
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
	struct store st;
	char err[600];
	if (argc < 2)
		usage(synopsis);
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	int64_t now = unix_now();
	const char *what = argv[0], *verb = argv[1];

	if (is(what, "user") && is(verb, "add") && argc == 3)
		return done(auth_user_add(&st, argv[2], now, err, sizeof err), err);
	if (is(what, "org") && is(verb, "add") && argc == 3)
		return done(auth_org_add(&st, argv[2], now, err, sizeof err), err);
	if (is(what, "org") && is(verb, "grant") && argc == 5) {
		if (!is(argv[4], "read") && !is(argv[4], "write"))
			usage(synopsis);
		int acc = is(argv[4], "write") ? ACCESS_READ | ACCESS_WRITE : ACCESS_READ;
		return done(auth_org_grant(&st, argv[2], argv[3], acc, err, sizeof err), err);
	}
	if (is(what, "owner") && (is(verb, "private") || is(verb, "public")) && argc == 3)
		return done(auth_owner_set_private(&st, argv[2], is(verb, "private"), err, sizeof err), err);
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
				if (*e || days <= 0 || days > 36500)
					die(2, "invalid --expires '%s': expected days, 1 to 36500", argv[k]);
			} else
				usage(synopsis);
		}
		char token[TOKEN_LEN + 1], id[TOKEN_ID_LEN + 1];
		int code = auth_token_add(&st, argv[2], ro, name, days ? now + days * 86400 : 0, now, token, id,
		                          err, sizeof err);
		done(code, err);
		/* the token alone on stdout, shown this once */
		printf("%s\n", token);
		return fflush(stdout) == 0 ? 0 : 111;
	}
	if (is(what, "token") && is(verb, "list") && argc == 3) {
		char *out;
		done(auth_token_list(&st, argv[2], &out, err, sizeof err), err);
		fputs(out, stdout);
		free(out);
		return fflush(stdout) == 0 ? 0 : 111;
	}
	if (is(what, "token") && is(verb, "revoke") && argc == 4)
		return done(auth_token_revoke(&st, argv[2], argv[3], err, sizeof err), err);
	usage(synopsis);
}
