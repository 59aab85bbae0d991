/* goreg-import's readers of what it finds in a tree: module path
 * patterns, .info JSON and times (importinfo.c); exposed for the tests. */
#ifndef GOREG_IMPORTINFO_H
#define GOREG_IMPORTINFO_H
#include <stddef.h>
#include <stdint.h>

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
 * or a wanted member is not a string, does not fit or holds a NUL. */
int import_parse_info(const char *data, size_t len, char *version, size_t versionsz, char *time,
                      size_t timesz);

/* The time a pseudo-version encodes (module.PseudoVersionTime): 0, or -1
 * if v is not a pseudo-version. */
int import_pseudo_time(const char *v, int64_t *t);

#endif
