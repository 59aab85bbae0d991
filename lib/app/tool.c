#include "app/tool.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/auth.h"
#include "base/prog.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "app/ops.h"
#include "gomod/semver.h"
#include "store/store.h"
#include "base/util.h"


int tool_main(const char *name, enum op op, int argc, char **argv)
{
	prog_init(name);
	const struct op_def *def = ops_find(op);
	if (!def)
		die(2, "unknown operation");
	const char *root = store_default_root(), *uploader = "";
	struct modzip_want want = {NULL, NULL, 0, 0};
	int c;
	prog_help(argc, argv, def->synopsis);
	opterr = 0; /* usage_option says it, in our one-line format */
	/* -u, -m, -V and -R only mean something to goreg-upload */
	while ((c = getopt(argc, argv, op == OP_UPLOAD ? ":r:u:m:V:R" : ":r:")) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'u': uploader = optarg; break;
		case 'm': want.module = optarg; break;
		case 'V': want.version = optarg; break;
		case 'R': want.renamed = 1; break;
		default: usage_option(def->synopsis, c, argc, argv);
		}
	}
	if (!want.module != !want.version)
		die(2, "-m and -V go together");
	argc -= optind;
	argv += optind;
	int nargs = 1 + def->operands;
	/* goreg-list OWNER: the owner's listing (ops_packages) */
	if (op == OP_LIST && argc == 1) {
		def = ops_find(OP_PACKAGES);
		nargs = 1;
	}
	if (argc != nargs)
		usage(def->synopsis);
	const char *owner = argv[0];
	const char *why = store_check_owner(owner);
	if (why)
		die(1, "invalid owner '%s': %s", owner, why);
	/* the uploader is a user name, which is an owner name (goreg-admin
	 * user add); anything else, a newline above all, would break the
	 * key=value lines of the version record */
	if (*uploader && (why = store_check_owner(uploader)))
		die(1, "invalid uploader '%s': %s", uploader, why);
	if (op != OP_UPLOAD && nargs > 1) {
		if ((why = modpath_check(argv[1])))
			die(1, "invalid module path '%s': %s", argv[1], why);
		if (strlen(argv[1]) > MODPATH_MAX)
			die(1, "invalid module path '%s': too long", argv[1]);
		char hint[VERSION_MAX + 40];
		if (nargs == 3 && (!semver_is_module_canonical(argv[2]) || strlen(argv[2]) > VERSION_MAX))
			die(1, "invalid version '%s': not a canonical semantic version%s", argv[2],
			    semver_v_hint(argv[2], hint, sizeof hint));
	}
	struct store st;
	char err[MSG_MAX];
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	struct reply r;
	reply_init(&r);
	char origin[32];
	struct actor who = ops_local_actor(uploader, origin, sizeof origin);
	struct fd_body fb = {0};
	struct body_source bs;
	int64_t now = unix_now();
	struct op_args a = {
		.owner = owner,
		.module = op == OP_UPLOAD || nargs == 1 ? NULL : argv[1],
		.version = nargs == 3 ? argv[2] : NULL,
		.body = &bs,
		.declared_len = -1,
		.who = &who,
		.want = &want,
		.now = now,
		.published = now,
	};
	if (op == OP_UPLOAD && strcmp(argv[1], "-") != 0 && (fb.fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0)
		die(errno == ENOENT || errno == EACCES ? 1 : 111, "unable to open '%s': %s", argv[1],
		    strerror(errno));
	bs = fd_body_source(&fb);
	def->run(&st, &a, &r);
	if (r.status >= 300) {
		/* the reply body is already the one-line reason */
		die(ops_exit_code(r.status), "%.*s", (int)(r.mem_len ? r.mem_len - 1 : 0), r.mem ? r.mem : "");
	}
	int rc = 0;
	if (r.file_bytes) {
		if (write_all(1, r.file_bytes + r.file_off, (size_t)r.file_len) < 0)
			rc = -1;
	} else if (r.fd >= 0) {
		char b[IO_CHUNK];
		ssize_t n;
		while ((n = read(r.fd, b, sizeof b)) > 0)
			if (write_all(1, b, (size_t)n) < 0) {
				rc = -1;
				break;
			}
		if (n < 0)
			rc = -1;
	} else if (op == OP_UPLOAD || op == OP_DELETE) {
		/* what was done goes to stderr; stdout stays clean for scripts */
		if (r.mem_len)
			fprintf(stderr, "%s: %.*s", name, (int)r.mem_len, r.mem);
		/* published, but to an owner the HTTP interface does not know */
		struct owner_info oi;
		if (op == OP_UPLOAD && auth_owner_get(&st, owner, &oi, err, sizeof err) == 404)
			fprintf(stderr, "%s: note: '%s' has no account, so goreg-httpd and goreg.cgi do not serve it "
			        "until 'goreg-admin user add %s'\n", name, owner, owner);
	} else
		rc = write_all(1, r.mem, r.mem_len);
	reply_free(&r);
	if (rc < 0)
		die(111, "unable to write to stdout: %s", strerror(errno));
	return 0;
}
