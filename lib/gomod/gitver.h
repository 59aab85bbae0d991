/* The go command's versions of a version control repository's tags and
 * commits (go.dev/ref/mod, "Mapping versions to commits" and
 * "Pseudo-versions"; cmd/go/internal/modfetch coderepo.go and
 * golang.org/x/mod/module pseudo.go): pure rules, no repository access. */
#ifndef GOREG_GITVER_H
#define GOREG_GITVER_H
#include <stddef.h>
#include <stdint.h>

/* coderepo's tagToVersion: the version a tag names for a module whose tags
 * carry prefix ("" for a module at the repository root, "DIR/" for one in
 * DIR).  Returns 0 with the semver.Canonical form of the tag's version in
 * out (never "+incompatible": a tag does not say it) and *canonical set
 * when the tag is exactly that form (v1.2.3, not v1.2.3+meta); -1 when the
 * tag names no version (another prefix, a tag that looks like a
 * pseudo-version, not semver, only vX or vX.Y) or out is too small. */
int gitver_tag_version(const char *tag, const char *prefix, char *out, size_t outsz, int *canonical);

/* module.PathMajorPrefix: the major version a path's suffix (from
 * modpath_split_major: "/v2", ".v1", ".v1-unstable" or "") requires, "v2"
 * or "v1", or "" for none.  0, or -1 if out is too small or the suffix is
 * malformed. */
int gitver_major_prefix(const char *pathmajor, char *out, size_t outsz);

/* module.PseudoVersion: the pseudo-version of revision rev (its first 12
 * hex digits, as the go command shortens a git hash) committed at t (Unix
 * seconds, written in UTC as yyyymmddhhmmss) after base version older
 * ("" for none), for major ("" meaning v0).  The three forms:
 *   vX.0.0-yyyymmddhhmmss-abcdefabcdef          no base
 *   vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdefabcdef    base a release vX.Y.Z
 *   vX.Y.Z-pre.0.yyyymmddhhmmss-abcdefabcdef    base a pre-release vX.Y.Z-pre
 * older's build suffix (+incompatible) is kept.  0, or -1 if rev is not
 * 12 lowercase hex digits, t is out of range or out is too small. */
int gitver_pseudo(const char *major, const char *older, int64_t t, const char *rev, char *out,
                  size_t outsz);

#endif
