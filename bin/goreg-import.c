/* goreg-import: load a module cache or a file-based GOPROXY tree into a
 * store; see goreg-import(8). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app/import.h"
#include "base/prog.h"
#include "store/store.h"

#define SYNOPSIS "[-n] [-r root] [-u uploader] owner dir [pattern ...]"

static void summary(const struct import_counts *c, int dry_run)
{
	fprintf(stderr, "%s: %lu %s, %lu existed, %lu invalid%s\n", prog_name(), c->imported,
	        dry_run ? "to import" : "imported", c->existed, c->invalid,
	        dry_run ? " (dry run: nothing changed)" : "");
}

int main(int argc, char **argv)
{
	prog_init("goreg-import");
	const char *root = store_default_root();
	struct import_opts o = {.uploader = "", .out_fd = 1};
	int c;
	prog_help(argc, argv, SYNOPSIS);
	opterr = 0; /* usage_option says it, in our one-line format */
	while ((c = getopt(argc, argv, ":nr:u:")) != -1) {
		switch (c) {
		case 'n': o.dry_run = 1; break;
		case 'r': root = optarg; break;
		case 'u': o.uploader = optarg; break;
		default: usage_option(SYNOPSIS, c, argc, argv);
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage(SYNOPSIS);
	o.owner = argv[0];
	const char *dir = argv[1];
	o.patterns = argv + 2;
	o.npatterns = (size_t)argc - 2;

	const char *why = store_check_owner(o.owner);
	if (why)
		die(1, "invalid owner '%s': %s", o.owner, why);
	/* a user name, as for goreg-upload -u */
	if (*o.uploader && (why = store_check_owner(o.uploader)))
		die(1, "invalid uploader '%s': %s", o.uploader, why);
	struct stat sb;
	if (stat(dir, &sb) != 0)
		die(errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 1 : 111, "unable to open '%s': %s",
		    dir, strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		die(1, "unable to open '%s': %s", dir, strerror(ENOTDIR));

	struct store st;
	char err[1400];
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	struct import_counts n;
	int rc = import_tree(&st, dir, &o, &n, err, sizeof err);
	if (rc < 0) {
		warnx_("%s", err);
		summary(&n, o.dry_run);
		return 111;
	}
	summary(&n, o.dry_run);
	return rc;
}
