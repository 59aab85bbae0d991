/* Semantic versions as the go command uses them: golang.org/x/mod/semver
 * (a leading 'v', shorthands v1 and v1.2 valid but not canonical, build
 * metadata ignored in comparison) and pseudo-versions from
 * golang.org/x/mod/module (go.dev/ref/mod#pseudo-versions). */
#ifndef GOREG_SEMVER_H
#define GOREG_SEMVER_H
#include <stddef.h>

int semver_valid(const char *v);                     /* semver.IsValid */
/* semver.Canonical into out; returns 0, or -1 if invalid or out too small.
 * An invalid v yields "" like x/mod. */
int semver_canonical(const char *v, char *out, size_t outsz);
/* module.CanonicalVersion: like semver_canonical but keeps "+incompatible". */
int semver_canonical_module(const char *v, char *out, size_t outsz);
int semver_is_canonical(const char *v);              /* Canonical(v) == v, v valid */
/* module.CanonicalVersion(v) == v: canonical, where "+incompatible" is the
 * one build suffix kept (go.dev/ref/mod#incompatible-versions).  The form
 * of every version goreg stores, serves and accepts as an argument. */
int semver_is_module_canonical(const char *v);
/* For a version written without its 'v' ("1.4.0"): " (versions start
 * with v: v1.4.0)" in buf; for anything else "". */
const char *semver_v_hint(const char *v, char *buf, size_t bufsz);
int semver_compare(const char *a, const char *b);    /* semver.Compare: -1, 0, 1 */
/* semver.Major ("v2"), Prerelease ("-rc.1"), Build ("+meta") into out;
 * 0, or -1 (out "") if v is invalid or out too small. */
int semver_major(const char *v, char *out, size_t outsz);
int semver_prerelease(const char *v, char *out, size_t outsz);
int semver_build(const char *v, char *out, size_t outsz);
int semver_is_prerelease(const char *v);             /* has a pre-release part */
int semver_is_incompatible(const char *v);           /* build is exactly +incompatible */

int semver_is_pseudo(const char *v);                 /* module.IsPseudoVersion */

/* Version classes for @v/list and @latest (go.dev/ref/mod#goproxy-protocol):
 * a release has no pre-release part; a pre-release is not a pseudo-version.
 * v should be valid; an invalid v is classed SEMVER_PRERELEASE. */
enum semver_class { SEMVER_RELEASE, SEMVER_PRERELEASE, SEMVER_PSEUDO };
enum semver_class semver_classify(const char *v);

/* qsort comparator for an array of char * (semver_compare order, ties
 * broken by strcmp: semver.Sort's ByVersion). */
int semver_qsort_cmp(const void *a, const void *b);

#endif
