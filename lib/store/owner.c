/* An owner's modules as a whole (store.h): what goreg-admin owner
 * modules, the HTTP listing, the pages and /metrics list, and what is
 * counted before a user is deleted. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <tdb.h>
#include <unistd.h>

#include "base/util.h"

struct modules_ctx {
	struct store_module *m;
	size_t n, cap;
	int fail;
};

/* "l:MODULE" -> the module and its list record's versions, in order */
static int modules_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct modules_ctx *c = p;
	size_t kl = strlen(STORE_KEY_LIST);
	(void)db;
	if (key.dsize <= kl || memcmp(key.dptr, STORE_KEY_LIST, kl) != 0)
		return 0;
	struct store_module m = {0};
	if (grow(&c->m, &c->cap, c->n + 1, sizeof *c->m) < 0 || !(m.path = strndup((const char *)key.dptr + kl,
	    key.dsize - kl)) || store_list_split((const char *)val.dptr, val.dsize, &m.v, &m.nv) < 0) {
		free(m.path);
		c->fail = 1;
		return -1;
	}
	c->m[c->n++] = m;
	return 0;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct store_module *)a)->path, ((const struct store_module *)b)->path);
}

int store_owner_modules(const struct store *st, const char *owner, struct store_module **m, size_t *n,
                        char *err, size_t errsz)
{
	*m = NULL;
	*n = 0;
	struct tdb_context *db = store_index_scan(st, owner);
	if (!db && errno != ENOENT)
		return ERR(500, "unable to open '%s/%s/" STORE_INDEX_FILE "': %s", st->root, owner, strerror(errno));
	struct modules_ctx c = {0};
	if (db) {
		if (tdb_traverse_read(db, modules_one, &c) < 0 && !c.fail)
			c.fail = 2;
		tdb_close(db);
	}
	if (c.fail) {
		store_owner_modules_free(c.m, c.n);
		return ERR(500, "unable to read the index of '%s'%s", owner, c.fail == 2 ? "" : ": out of memory");
	}
	if (c.n)
		qsort(c.m, c.n, sizeof *c.m, by_path);
	*m = c.m;
	*n = c.n;
	return 200;
}

int store_owner_flock(const struct store *st, const char *owner, int *fd, char *err, size_t errsz)
{
	char dir[OWNER_PATH_MAX];
	struct stat a, b;
	*fd = -1;
	if (fmt(dir, sizeof dir, "%s/%s", st->root, owner) < 0)
		return ERR(404, "no such owner");
	/* a tree set aside and made again meanwhile: the new one's lock */
	for (int tries = 0; tries < 8; tries++) {
		int d = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (d < 0)
			return errno == ENOENT ? ERR(404, "no tree for '%s'", owner)
			                       : ERR(500, "unable to open '%s': %s", dir, strerror(errno));
		int rc;
		while ((rc = flock(d, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (rc < 0) {
			rc = ERR(500, "unable to lock '%s': %s", dir, strerror(errno));
			close(d);
			return rc;
		}
		if (fstat(d, &a) == 0 && stat(dir, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
			*fd = d;
			return 200;
		}
		close(d);
	}
	return ERR(500, "'%s' keeps being replaced", dir);
}

int store_owner_lock(const struct store *st, const char *owner, struct store_owner_hold *h, size_t *versions,
                     char *err, size_t errsz)
{
	*versions = 0;
	h->db = NULL;
	int code = store_owner_flock(st, owner, &h->fd, err, errsz);
	if (code == 404)
		return 200;
	if (code != 200)
		return code;
	if (!(h->db = store_index_lock(st, owner, INDEX_WRITE))) {
		if (errno == ENOENT)
			return 200;
		code = ERR(500, "unable to lock the index of '%s': %s", owner, strerror(errno));
		store_owner_unlock(h);
		return code;
	}
	struct modules_ctx c = {0};
	if (tdb_traverse_read(h->db, modules_one, &c) < 0 && !c.fail)
		c.fail = 2;
	for (size_t i = 0; i < c.n; i++)
		*versions += c.m[i].nv;
	store_owner_modules_free(c.m, c.n);
	if (c.fail) {
		store_owner_unlock(h);
		return ERR(500, "unable to read the index of '%s'%s", owner, c.fail == 2 ? "" : ": out of memory");
	}
	return 200;
}

void store_owner_unlock(struct store_owner_hold *h)
{
	if (h->db) {
		tdb_transaction_cancel(h->db);
		tdb_close(h->db);
	}
	if (h->fd >= 0)
		close(h->fd);
	h->db = NULL;
	h->fd = -1;
}

void store_owner_modules_free(struct store_module *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].path);
		store_list_free(m[i].v, m[i].nv);
	}
	free(m);
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
