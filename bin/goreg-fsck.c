/* goreg-fsck: check the store against its metadata, and with --repair make
 * the metadata agree with the files.  See goreg-fsck(8). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/fsck.h"
#include "base/prog.h"
#include "store/store.h"

static const char synopsis[] = "[-r root] [--repair] [-a seconds] [-v] [owner ...]";

int main(int argc, char **argv)
{
	prog_init("goreg-fsck");
	static const struct option longopts[] = {
		{"repair", no_argument, NULL, 'R'},
		{"min-age", required_argument, NULL, 'a'},
		{"root", required_argument, NULL, 'r'},
		{"verbose", no_argument, NULL, 'v'},
		{NULL, 0, NULL, 0},
	};
	struct fsck_opts o = {.min_age = FSCK_TMP_MIN_AGE, .out = stdout};
	const char *root = store_default_root();
	int verbose = 0, c;
	prog_help(argc, argv, synopsis);
	opterr = 0; /* usage_option says it, in our one-line format */
	while ((c = getopt_long(argc, argv, ":a:r:v", longopts, NULL)) != -1) {
		switch (c) {
		case 'R': o.repair = 1; break;
		case 'r': root = optarg; break;
		case 'v': verbose = 1; break;
		case 'a': {
			char *end;
			errno = 0;
			long long a = strtoll(optarg, &end, 10);
			if (errno || end == optarg || *end || a < 0)
				usage(synopsis);
			o.min_age = a;
			break;
		}
		default: usage_option(synopsis, c, argc, argv);
		}
	}
	if (optind < argc) {
		o.owners = argv + optind;
		o.nowners = (size_t)(argc - optind);
	}
	o.now = unix_now();
	struct store st;
	struct fsck_counts n;
	char err[MSG_MAX];
	if (store_init(&st, root, err, sizeof err) != 200)
		die(111, "%s", err);
	int code = fsck_store(&st, &o, &n, err, sizeof err);
	if (fflush(stdout) != 0)
		die(111, "unable to write to stdout: %s", strerror(errno));
	if (code >= 500)
		die(111, "%s", err);
	if (code >= 400)
		die(1, "%s", err);
	if (verbose)
		warnx_("%lu owners, %lu versions, %lu problems found, %lu repaired, %lu records given a go.mod copy",
		       n.owners, n.versions, n.problems, n.repaired, n.gomod_copied);
	/* 0: the store is consistent now (nothing found, or all repaired) */
	return n.problems > n.repaired ? 1 : 0;
}
