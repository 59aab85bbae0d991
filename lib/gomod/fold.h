/* Case folding as golang.org/x/mod/zip compares file names, and its
 * collisionChecker (go.dev/ref/mod#zip-path-size-constraints: "no two
 * files may have paths that are equal under Unicode case folding"). */
#ifndef GOREG_FOLD_H
#define GOREG_FOLD_H
#include <stddef.h>
#include <stdint.h>

/* strToFold for one rune: the smallest rune of its unicode.SimpleFold
 * orbit, A-Z to a-z. */
uint32_t fold_rune(uint32_t r);
/* strToFold of s[0:n] as a new malloc'd string, length in *outlen; NULL
 * when out of memory. */
char *fold_str(const char *s, size_t n, size_t *outlen);

/* The set of folded paths seen so far; start with { NULL, 0, 0 }.  The
 * paths added are not copied and must outlive the set. */
struct foldslot;
struct foldset {
	struct foldslot *s;
	size_t cap, n;
};
/* Add the path p[0:n] (a file, or a directory if is_dir; explicit_dir
 * when the zip has an entry of its own for it) and all its parent
 * directories.  Returns 0; 1 with a one-line reason in why when it
 * collides with a path already added (case-fold collision, file vs
 * directory, repeated entry); -1 when out of memory. */
int foldset_check(struct foldset *t, const char *p, size_t n, int is_dir, int explicit_dir,
                  char *why, size_t whysz);
void foldset_free(struct foldset *t);

#endif
