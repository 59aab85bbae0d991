/* What the pages and /metrics list, read from the store as a caller may
 * see it: the owners a principal may read (auth_check, the API's rule),
 * every version record of an owner (an owner's modules with their
 * versions are store_owner_modules').  Functions with err return 200
 * or 500 with a reason. */
#ifndef GOREG_CATALOG_H
#define GOREG_CATALOG_H
#include <stddef.h>
#include "base/limits.h"

struct store;
struct principal;
struct verinfo;

struct cat_owner {
	char name[OWNER_MAX + 1];
	int private_;
};

/* The owners p may read, sorted by name (*o malloc'd, free()). */
int catalog_owners(const struct store *st, const struct principal *p, struct cat_owner **o, size_t *n,
                   char *err, size_t errsz);

/* Each version record of the owner (but those a delete has begun on),
 * handed to fn with its module path; a nonzero return stops the walk. */
typedef int catalog_fn(void *ctx, const char *owner, const char *module, const struct verinfo *vi);
int catalog_versions(const struct store *st, const char *owner, catalog_fn *fn, void *ctx, char *err,
                     size_t errsz);

/* The version go would pick as @latest among v (semver order,
 * go.dev/ref/mod#version-queries): the highest release, else the highest
 * pre-release, else the highest pseudo-version; NULL if n is 0. */
const char *catalog_latest(char **v, size_t n);

#endif
