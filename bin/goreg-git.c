/* goreg-git: publish module versions from a local git repository's tags
 * and commits; see goreg-git(1). */
#include <stdio.h>
#include <unistd.h>

#include "app/git.h"
#include "base/limits.h"
#include "base/prog.h"
#include "store/store.h"

#define SYNOPSIS "[-r root] [-m module] [-u uploader] owner gitdir [ref ...]"

int main(int argc, char **argv)
{
	struct git_opts o = {.prog = "goreg-git", .uploader = ""};
	const char *root = store_default_root(), *why;
	int c;

	prog_init("goreg-git");
	prog_help(argc, argv, SYNOPSIS);
	opterr = 0; /* usage_option says it, in our one-line format */
	while ((c = getopt(argc, argv, ":r:m:u:")) != -1) {
		switch (c) {
		case 'r': root = optarg; break;
		case 'm': o.module = optarg; break;
		case 'u': o.uploader = optarg; break;
		default: usage_option(SYNOPSIS, c, argc, argv);
		}
	}
	if (argc - optind < 2)
		usage(SYNOPSIS);
	o.owner = argv[optind];
	if ((why = store_check_owner(o.owner)))
		die(1, "invalid owner '%s': %s", o.owner, why);
	if (*o.uploader && (why = store_check_owner(o.uploader)))
		die(1, "invalid uploader '%s': %s", o.uploader, why);
	struct store st;
	char err[MSG_MAX];
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	int rc = git_publish(&st, argv[optind + 1], &o, argv + optind + 2, argc - optind - 2, stdout, stderr);
	if (fflush(stdout) != 0)
		die(111, "unable to write to stdout");
	return rc;
}
