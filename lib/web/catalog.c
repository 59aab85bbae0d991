#include "web/catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <tdb.h>

#include "auth/auth.h"
#include "gomod/semver.h"
#include "store/store.h"
#include "base/util.h"

int catalog_owners(const struct store *st, const struct principal *p, struct cat_owner **o, size_t *n,
                   char *err, size_t errsz)
{
	char *lines;
	size_t cap = 0;
	*o = NULL;
	*n = 0;
	int code = auth_owner_list(st, &lines, err, errsz);
	if (code != 200)
		return code;
	/* "NAME user|org public|private" lines, sorted */
	for (char *l = lines, *nl; l && *l; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		struct cat_owner c;
		struct owner_info oi;
		char why[MSG_MAX];
		size_t len = strcspn(l, " ");
		if (len == 0 || len > OWNER_MAX)
			continue;
		memcpy(c.name, l, len);
		c.name[len] = 0;
		if (auth_check(st, p, c.name, ACCESS_READ, &oi, why, sizeof why) != 200)
			continue;
		c.private_ = oi.private_;
		if (grow(o, &cap, *n + 1, sizeof **o) < 0) {
			free(lines);
			free(*o);
			*o = NULL;
			*n = 0;
			return ERR(500, "out of memory");
		}
		(*o)[(*n)++] = c;
	}
	free(lines);
	return 200;
}

struct walk {
	const char *owner;
	catalog_fn *fn;
	void *ctx;
};

static int version_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *ctx)
{
	struct walk *w = ctx;
	size_t pl = strlen(STORE_KEY_VERSION);
	char module[MODPATH_MAX + 1];
	struct verinfo vi;
	if (key.dsize <= pl || memcmp(key.dptr, STORE_KEY_VERSION, pl) != 0)
		return 0;
	/* "v:MODULE@VERSION": a module path has no '@' */
	const char *k = (const char *)key.dptr + pl, *at = memchr(k, '@', key.dsize - pl);
	if (!at || (size_t)(at - k) > MODPATH_MAX || verinfo_decode((const char *)val.dptr, val.dsize, &vi) < 0 ||
	    vi.deleting)
		return 0;
	memcpy(module, k, (size_t)(at - k));
	module[at - k] = 0;
	return w->fn(w->ctx, w->owner, module, &vi) ? -1 : 0;
}

int catalog_versions(const struct store *st, const char *owner, catalog_fn *fn, void *ctx, char *err,
                     size_t errsz)
{
	struct walk w = {owner, fn, ctx};
	struct tdb_context *db = store_index_scan(st, owner);
	if (!db)
		return errno == ENOENT ? 200 : ERR(500, "unable to open index of '%s': %s", owner, strerror(errno));
	tdb_traverse_read(db, version_one, &w);
	tdb_close(db);
	return 200;
}

const char *catalog_latest(char **v, size_t n)
{
	for (int want = SEMVER_RELEASE; want <= SEMVER_PSEUDO; want++)
		for (size_t i = n; i-- > 0;)
			if ((int)semver_classify(v[i]) == want)
				return v[i];
	return n ? v[n - 1] : NULL;
}
