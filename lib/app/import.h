/* goreg-import: load the module versions of a go command module cache
 * (GOMODCACHE/cache/download) or of any file-based GOPROXY tree
 * (ESCAPED-MODULE/@v/VERSION.{info,mod,zip}) into an owner of a store.
 * Every version goes through ops_upload(), the code path of an upload:
 * the same zip validation, h1: hashes, atomic publish and audit record.
 * goreg-import(8) documents the behaviour in full. */
#ifndef GOREG_IMPORT_H
#define GOREG_IMPORT_H
#include <stddef.h>
#include <stdint.h>

struct store;

struct import_opts {
	const char *owner;
	const char *uploader;           /* "" for none */
	int dry_run;                    /* validate and report, change nothing */
	char **patterns;                /* module path globs (import_match); none: all */
	size_t npatterns;
	int out_fd;                     /* where the per-version lines go */
};

struct import_counts {
	unsigned long imported;         /* with dry_run: would be imported */
	unsigned long existed;
	unsigned long invalid;
};

/* Import every version found under dir.  Returns 0 when each version was
 * imported or existed, 1 when some were invalid (each reported on out_fd
 * and counted), -1 on a system failure (the run stops; reason in err). */
int import_tree(const struct store *st, const char *dir, const struct import_opts *o,
                struct import_counts *c, char *err, size_t errsz);

/* import_match, import_parse_info and the time parsers */
#include "app/importinfo.h"

#endif
