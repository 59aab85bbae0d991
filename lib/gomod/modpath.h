/* Module paths, file paths and the '!' case-encoding of go.dev/ref/mod
 * (sections "Module paths", "Module zip files" and "GOPROXY protocol");
 * rules follow golang.org/x/mod/module.  Each check returns NULL when the
 * input is valid, else a static one-line reason (lowercase, no full stop). */
#ifndef GOREG_MODPATH_H
#define GOREG_MODPATH_H
#include <stddef.h>

const char *modpath_check(const char *path);        /* module.CheckPath */
const char *modpath_check_import(const char *path); /* module.CheckImportPath */
const char *modpath_check_file(const char *path);   /* module.CheckFilePath */

/* module.SplitPathVersion: *prefixlen gets the length of the path without
 * its major-version suffix, *major points into path at the suffix ("/v2",
 * ".v1" for gopkg.in, or "" ).  Returns 0, or -1 if the suffix is malformed
 * (then *prefixlen is the whole length and *major is ""). */
int modpath_split_major(const char *path, size_t *prefixlen, const char **major);

/* module.CheckPathMajor: does version agree with the path's major suffix? */
const char *modpath_check_major(const char *version, const char *major);

/* module.Check: path valid, version valid semver, major agrees; and, beyond
 * x/mod's Check, the version canonical as module.CanonicalVersion makes it
 * (v1.2.3 or v2.0.0+incompatible, not v1.2 nor v1.2.3+meta). */
const char *modpath_check_module(const char *path, const char *version);

/* '!' case-encoding.  All return 0 on success, -1 if the input is invalid
 * or out is too small (the reason is then in *why if why is not NULL).
 * escape_path/unescape_path also apply modpath_check to the decoded path;
 * the version forms apply the file-path element rules of module.EscapeVersion. */
int modpath_escape_path(const char *path, char *out, size_t outsz, const char **why);
int modpath_unescape_path(const char *esc, char *out, size_t outsz, const char **why);
int modpath_escape_version(const char *v, char *out, size_t outsz, const char **why);
int modpath_unescape_version(const char *esc, char *out, size_t outsz, const char **why);

/* GOPRIVATE's patterns (module.MatchPrefixPatterns): does a glob of n
 * elements (path.Match syntax, '*' not crossing '/') match the module
 * path's first n elements?  modpath_match_glob takes one glob of globlen
 * bytes (empty and trailing-slash globs as the go command treats them);
 * modpath_match_patterns a comma-separated list. */
int modpath_match_glob(const char *glob, size_t globlen, const char *module);
int modpath_match_patterns(const char *patterns, const char *module);

#endif
