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

/* ---- pieces exposed for the unit tests ---- */

/* Does module path match one of the patterns?  Each pattern is a glob in
 * Go's path.Match syntax that matches a leading run of path elements, as
 * GOPRIVATE's patterns do (golang.org/x/mod/module.MatchPrefixPatterns):
 * "example.com/x*" matches example.com/xy and example.com/xy/z; a pattern may
 * hold several comma-separated globs.  No patterns: everything matches. */
int import_match(char *const *patterns, size_t n, const char *module);

/* RFC 3339 date-time (section 5.6; what Go's time.Time marshals to JSON)
 * to Unix seconds, fractional seconds dropped.  0, or -1 if malformed or
 * before 1970. */
int import_parse_time(const char *s, int64_t *t);

/* The top-level "Version" and "Time" strings of a .info JSON object
 * (go.dev/ref/mod#goproxy-protocol); other members are skipped.  version
 * and time get "" when absent.  0, or -1 if data is not one JSON object
 * or a wanted member is not a string or does not fit. */
int import_parse_info(const char *data, size_t len, char *version, size_t versionsz, char *time,
                      size_t timesz);

/* The time a pseudo-version encodes (module.PseudoVersionTime): 0, or -1
 * if v is not a pseudo-version. */
int import_pseudo_time(const char *v, int64_t *t);

#endif
