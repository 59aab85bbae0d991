/* goreg-git: module versions from a local git repository's tags and
 * commits, as the go command maps them (go.dev/ref/mod "Mapping versions
 * to commits", "Module directories within a repository",
 * "Pseudo-versions", "Compatibility with non-module repositories"),
 * packed from the committed tree and published through the upload path
 * (ops_upload), recorded with source "git". */
#ifndef GOREG_GIT_H
#define GOREG_GIT_H
#include <stdio.h>

struct store;

struct git_opts {
	const char *prog;       /* for the error lines on err */
	const char *owner;
	const char *module;     /* -m: the module path, or NULL for go.mod's */
	const char *uploader;   /* "" for none */
};

/* Publish the versions refs name (nrefs of them; every semantic version
 * tag when nrefs is 0) from the repository at gitdir: a line per version
 * on out ("published M@V", "present M@V", "refused M@V: reason"), a line
 * on err for a ref that names no version.  Every ref is resolved before
 * anything is published: a bad ref publishes nothing.  Returns the exit
 * code: 0, 1 (something refused), 111 (a temporary failure). */
int git_publish(const struct store *st, const char *gitdir, const struct git_opts *o,
                char *const *refs, int nrefs, FILE *out, FILE *err);

#endif
