/* An owner's modules as a whole (store.h): what goreg-admin owner
 * modules lists, and counts before a user is deleted. */
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <tdb.h>

#include "base/util.h"

struct modules_ctx {
	char **v;
	size_t n, cap;
	size_t versions;
	int fail;
};

/* "l:MODULE" -> "MODULE V1 V2 ..." (the record's versions, in order) */
static int modules_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct modules_ctx *c = p;
	size_t kl = strlen(STORE_KEY_LIST);
	if (key.dsize <= kl || memcmp(key.dptr, STORE_KEY_LIST, kl) != 0)
		return 0;
	struct buf b = {0};
	int fail = buf_add(&b, key.dptr + kl, key.dsize - kl) < 0;
	size_t n = val.dsize;
	while (n && val.dptr[n - 1] == '\n')
		n--;
	fail = fail || (n && buf_add(&b, " ", 1) < 0);
	for (size_t i = 0; i < n && !fail; i++)
		fail = buf_add(&b, val.dptr[i] == '\n' ? " " : (const char *)val.dptr + i, 1) < 0;
	for (size_t i = 0; i < n; i++)
		c->versions += val.dptr[i] == '\n' || i + 1 == n;
	if (fail || buf_add(&b, "", 1) < 0 || grow(&c->v, &c->cap, c->n + 1, sizeof *c->v) < 0) {
		buf_free(&b);
		c->fail = 1;
		return -1;
	}
	c->v[c->n++] = b.p;
	return 0;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int store_owner_modules(const struct store *st, const char *owner, char **out, size_t *versions, char *err,
                        size_t errsz)
{
	*out = NULL;
	*versions = 0;
	struct tdb_context *db = store_index_scan(st, owner);
	if (!db && errno != ENOENT)
		return ERR(500, "unable to open '%s/%s/" STORE_INDEX_FILE "': %s", st->root, owner, strerror(errno));
	struct modules_ctx c = {0};
	if (db) {
		if (tdb_traverse_read(db, modules_one, &c) < 0 && !c.fail)
			c.fail = 2;
		tdb_close(db);
	}
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, cmp_line);
	struct buf b = {0};
	int fail = c.fail || buf_add(&b, "", 0) < 0;
	for (size_t i = 0; i < c.n; i++) {
		if (!fail)
			fail = buf_printf(&b, "%s\n", c.v[i]) < 0;
		free(c.v[i]);
	}
	free(c.v);
	if (fail) {
		buf_free(&b);
		return ERR(500, "unable to read the index of '%s'%s", owner, c.fail == 2 ? "" : ": out of memory");
	}
	*out = b.p;
	*versions = c.versions;
	return 200;
}

int store_owner_set_aside(const struct store *st, const char *owner, int64_t now, char *dst, size_t dstsz,
                          char *err, size_t errsz)
{
	char src[OWNER_PATH_MAX], dir[ROOT_PATH_MAX];
	dst[0] = 0;
	if (fmt(src, sizeof src, "%s/%s", st->root, owner) < 0 || fmt(dir, sizeof dir, "%s/lost+found", st->root) < 0)
		return ERR(500, "store root '%s' too long", st->root);
	int e = store_path_exists(src);
	if (e <= 0)
		return e == 0 ? 204 : ERR(500, "unable to look at '%s': %s", src, strerror(errno));
	if (mkdir_p(dir, STORE_MODE_PRIVDIR) < 0)
		return ERR(500, "unable to create '%s': %s", dir, strerror(errno));
	/* OWNER.deleted.TIME, or with .N after it should that exist */
	for (int i = 0;; i++) {
		int n = i ? snprintf(dst, dstsz, "%s/%s.deleted.%lld.%d", dir, owner, (long long)now, i)
		          : snprintf(dst, dstsz, "%s/%s.deleted.%lld", dir, owner, (long long)now);
		if (n < 0 || (size_t)n >= dstsz)
			return ERR(500, "path too long in '%s'", dir);
		if ((e = store_path_exists(dst)) == 0)
			break;
		if (e < 0)
			return ERR(500, "unable to look at '%s': %s", dst, strerror(errno));
	}
	if (rename(src, dst) < 0)
		return ERR(500, "unable to move '%s' to '%s': %s", src, dst, strerror(errno));
	fsync_path(dir);
	fsync_path(st->root);
	return 200;
}
