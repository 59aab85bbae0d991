#include "tool.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "main.h"
#include "modpath.h"
#include "ops.h"
#include "semver.h"
#include "store.h"
#include "util.h"


static const char *synopsis(enum op op)
{
	switch (op) {
	case OP_UPLOAD: return "[-r root] [-u uploader] owner file.zip|-";
	case OP_LIST:
	case OP_LATEST: return "[-r root] owner module";
	default: return "[-r root] owner module version";
	}
}

int tool_main(const char *name, enum op op, int argc, char **argv)
{
	prog_init(name);
	const char *root = store_default_root(), *uploader = "";
	int c;
	/* -u only means something to goreg-upload */
	while ((c = getopt(argc, argv, op == OP_UPLOAD ? "r:u:" : "r:")) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'u': uploader = optarg; break;
		default: usage(synopsis(op));
		}
	}
	argc -= optind;
	argv += optind;
	int want = op == OP_UPLOAD || op == OP_LIST || op == OP_LATEST ? 2 : 3;
	if (argc != want)
		usage(synopsis(op));
	const char *owner = argv[0];
	const char *why = store_check_owner(owner);
	if (why)
		die(1, "invalid owner '%s': %s", owner, why);
	/* the uploader is a user name, which is an owner name (goreg-admin
	 * user add); anything else, a newline above all, would break the
	 * key=value lines of the version record */
	if (*uploader && (why = store_check_owner(uploader)))
		die(1, "invalid uploader '%s': %s", uploader, why);
	if (op != OP_UPLOAD) {
		if ((why = modpath_check(argv[1])))
			die(1, "invalid module path '%s': %s", argv[1], why);
		if (strlen(argv[1]) > MODPATH_MAX)
			die(1, "invalid module path '%s': too long", argv[1]);
		if (want == 3 && (!semver_is_module_canonical(argv[2]) || strlen(argv[2]) > VERSION_MAX))
			die(1, "invalid version '%s': not a canonical semantic version", argv[2]);
	}
	struct store st;
	char err[600];
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	struct reply r;
	reply_init(&r);
	switch (op) {
	case OP_UPLOAD: {
		struct fd_body fb = {0};
		if (strcmp(argv[1], "-") != 0 && (fb.fd = open(argv[1], O_RDONLY | O_CLOEXEC)) < 0)
			die(errno == ENOENT || errno == EACCES ? 1 : 111, "unable to open '%s': %s", argv[1],
			    strerror(errno));
		struct body_source bs = fd_body_source(&fb);
		ops_upload(&st, owner, &bs, -1, uploader, unix_now(), &r);
		break;
	}
	case OP_LIST: ops_list(&st, owner, argv[1], &r); break;
	case OP_LATEST: ops_latest(&st, owner, argv[1], &r); break;
	case OP_INFO: ops_info(&st, owner, argv[1], argv[2], &r); break;
	case OP_MOD: ops_mod(&st, owner, argv[1], argv[2], &r); break;
	case OP_ZIP: ops_zip(&st, owner, argv[1], argv[2], &r); break;
	case OP_DELETE: ops_delete(&st, owner, argv[1], argv[2], &r); break;
	default: die(2, "unknown operation");
	}
	if (r.status >= 300) {
		/* the reply body is already the one-line reason */
		die(ops_exit_code(r.status), "%.*s", (int)(r.mem_len ? r.mem_len - 1 : 0), r.mem ? r.mem : "");
	}
	int rc = 0;
	if (r.fd >= 0) {
		char b[65536];
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
	} else
		rc = write_all(1, r.mem, r.mem_len);
	reply_free(&r);
	if (rc < 0)
		die(111, "unable to write to stdout: %s", strerror(errno));
	return 0;
}
