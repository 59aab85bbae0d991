/* For the unit tests that run operations on a store of their own: the
 * store, with one owner, in a new directory below /tmp; what an operation
 * left in its spool; whether two files hold the same bytes. */
#ifndef GOREG_TSTORE_H
#define GOREG_TSTORE_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/auth.h"
#include "base/util.h"
#include "store/store.h"

/* dir becomes /tmp/NAME.XXXXXX, made; root DIR/store, st the store in it
 * with the account owner; a failure bails out */
static inline void tstore_make(const char *name, char *dir, size_t dirsz, char *root, size_t rootsz,
                               struct store *st, const char *owner)
{
	char err[600];
	snprintf(dir, dirsz, "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(dir)) {
		printf("Bail out! mkdtemp\n");
		exit(1);
	}
	snprintf(root, rootsz, "%s/store", dir);
	if (store_init(st, root, err, sizeof err) != 200 || auth_user_add(st, owner, 1, err, sizeof err) != 201) {
		printf("Bail out! store: %s\n", err);
		exit(1);
	}
}

/* how many files in ROOT/tmp have names beginning with prefix */
static inline size_t tstore_spooled(const char *root, const char *prefix)
{
	char tmp[512];
	size_t n, k = 0;
	snprintf(tmp, sizeof tmp, "%s/tmp", root);
	char **left = dir_names(tmp, &n);
	for (size_t i = 0; i < n; i++)
		k += strncmp(left[i], prefix, strlen(prefix)) == 0;
	strv_free(left, n);
	return k;
}

/* 1 if the files at a and b hold the same bytes, else 0 */
static inline int tstore_same_file(const char *a, const char *b)
{
	char *x, *y;
	size_t xl, yl;
	if (read_file(a, 1 << 24, &x, &xl) < 0)
		return 0;
	if (read_file(b, 1 << 24, &y, &yl) < 0) {
		free(x);
		return 0;
	}
	int same = xl == yl && memcmp(x, y, xl) == 0;
	free(x);
	free(y);
	return same;
}

#endif
