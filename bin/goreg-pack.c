/* goreg-pack: make a module zip from a source directory; see goreg-pack(1). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/prog.h"
#include "gomod/modpack.h"

#define SYNOPSIS "[-o out.zip] module version dir"

int main(int argc, char **argv)
{
	const char *out = NULL;
	char err[1024];
	int c, rc;

	prog_init("goreg-pack");
	prog_help(argc, argv, SYNOPSIS);
	opterr = 0; /* usage_option says it, in our one-line format */
	while ((c = getopt(argc, argv, ":o:")) != -1) {
		if (c == 'o')
			out = optarg;
		else
			usage_option(SYNOPSIS, c, argc, argv);
	}
	if (argc - optind != 3)
		usage(SYNOPSIS);
	if (out == NULL || strcmp(out, "-") == 0) {
		/* a zip is binary: not onto a terminal by mistake */
		if (isatty(1))
			die(2, "refusing to write a zip to a terminal: use -o or a redirection");
		rc = modpack_create_fd(argv[optind], argv[optind + 1], argv[optind + 2], 1, err, sizeof err);
	} else {
		rc = modpack_create(argv[optind], argv[optind + 1], argv[optind + 2], out, err, sizeof err);
	}
	if (rc != 0)
		die(rc > 0 ? 1 : 111, "%s", err);
	return 0;
}
