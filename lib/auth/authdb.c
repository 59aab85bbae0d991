/* goreg.tdb access shared by auth.c (accounts, rules) and token.c
 * (tokens, credentials). */
#include "auth/authdb.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/store.h"
#include "base/util.h"

struct tdb_context *adb_open(const struct store *st, int how)
{
	char path[ROOT_PATH_MAX];
	if (fmt(path, sizeof path, "%s/goreg.tdb", st->root) < 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	/* the first write makes the whole store skeleton, the spool tmp/
	 * included, so that later refused uploads leave no directory behind */
	if (how == INDEX_CREATE && store_mkdirs(st) < 0)
		return NULL;
	/* goreg.tdb is read like the indexes: with locks, so a token check
	 * never walks a hash chain a commit is rewriting */
	return store_tdb_open(path, 0, how, STORE_MODE_SECRET);
}

TDB_DATA adb_key(const char *s)
{
	return (TDB_DATA){(unsigned char *)s, strlen(s)};
}

/* v as a NUL-terminated malloc'd string, or NULL; v is freed if owned */
static char *take_str(TDB_DATA v, int owned)
{
	if (!v.dptr)
		return NULL;
	char *s = malloc(v.dsize + 1);
	if (s) {
		memcpy(s, v.dptr, v.dsize);
		s[v.dsize] = 0;
	}
	if (owned)
		free(v.dptr);
	return s;
}

char *adb_get(struct tdb_context *db, const char *key)
{
	return take_str(tdb_fetch(db, adb_key(key)), 1);
}

TDB_DATA adb_get_ref(const struct store *st, struct tdb_context *db, const char *key, int *owned)
{
	return store_fetch_ref(st, db, adb_key(key), owned);
}

char *adb_get_ro(const struct store *st, struct tdb_context *db, const char *key)
{
	/* a kept record copied once, into the string, not first out of
	 * the cache */
	int owned;
	TDB_DATA v = adb_get_ref(st, db, key, &owned);
	return take_str(v, owned);
}

const char *adb_rec_value(const char *rec, size_t len, const char *k, size_t kl, size_t *vl)
{
	const char *end = rec + len;
	for (const char *p = rec; p < end;) {
		const char *nl = find_byte(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		/* the '=' first: it rules out most lines without a compare */
		if (l > kl && p[kl] == '=' && bytes_equal(p, k, kl)) {
			*vl = l - kl - 1;
			return p + kl + 1;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return NULL;
}

int adb_rec_get_n(const char *rec, size_t len, const char *k, char *out, size_t outsz)
{
	size_t vl;
	const char *v = adb_rec_value(rec, len, k, strlen(k), &vl);
	if (!v || vl >= outsz)
		return -1;
	memcpy(out, v, vl);
	out[vl] = 0;
	return 0;
}

int adb_rec_get(const char *rec, const char *k, char *out, size_t outsz)
{
	return adb_rec_get_n(rec, strlen(rec), k, out, outsz);
}

int adb_put(struct tdb_context *db, const char *key, const char *val, int flag)
{
	return tdb_store(db, adb_key(key), adb_key(val), flag);
}

int adb_begin(const struct store *st, struct tdb_context **db, char *err, size_t errsz)
{
	/* tdb will not open a file twice in one process: a kept read
	 * handle goes before the write open */
	if (st->cache)
		store_cache_drop(st->cache, &st->cache->accounts);
	if (!(*db = adb_open(st, INDEX_CREATE)))
		return ERR(500, "unable to open '%s/goreg.tdb': %s", st->root, strerror(errno));
	if (tdb_transaction_start(*db) != 0) {
		ERR(500, "unable to start a transaction: %s", tdb_errorstr(*db));
		tdb_close(*db);
		return 500;
	}
	if (!tdb_exists(*db, adb_key(ADB_UPSTREAM_ANY)) && adb_upstream_mark(*db) < 0) {
		ERR(500, "unable to store: %s", tdb_errorstr(*db));
		tdb_transaction_cancel(*db);
		tdb_close(*db);
		return 500;
	}
	return 200;
}

static int upstream_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	(void)db;
	(void)val;
	if (!adb_has_prefix(key, ADB_UPSTREAM_PREFIX))
		return 0;
	*(int *)p = 1;
	return 1;       /* one is enough: stop */
}

int adb_upstream_mark(struct tdb_context *db)
{
	int any = 0;
	if (tdb_traverse(db, upstream_one, &any) < 0)
		return -1;
	return adb_put(db, ADB_UPSTREAM_ANY, any ? "1" : "0", TDB_REPLACE) == 0 ? 0 : -1;
}

/* The mark's one byte, '1' or '0'; -1 where it is missing; 0 for
 * anything else */
static int upstream_mark(const struct store *st, struct tdb_context *db)
{
	int owned;
	TDB_DATA v = adb_get_ref(st, db, ADB_UPSTREAM_ANY, &owned);
	int m = !v.dptr ? -1 : v.dsize == 1 ? v.dptr[0] : 0;
	if (owned)
		free(v.dptr);
	return m;
}

int adb_upstream_any(const struct store *st, struct tdb_context *db)
{
	int m = upstream_mark(st, db), any = m == '1';
	if (m < 0)
		tdb_traverse_read(db, upstream_one, &any); /* not yet marked */
	return any;
}

int adb_upstream_none(const struct store *st, struct tdb_context *db)
{
	return upstream_mark(st, db) == '0';
}

/* commit on 2xx, else cancel; a committed tdb transaction is on disk
 * (tdb fsyncs it) before this returns */
int adb_finish(struct tdb_context *db, int code, char *err, size_t errsz)
{
	if (code >= 200 && code < 300) {
		if (tdb_transaction_commit(db) != 0)
			code = ERR(500, "unable to commit: %s", tdb_errorstr(db));
	} else
		tdb_transaction_cancel(db);
	tdb_close(db);
	return code;
}

/* Open for reading; a store without goreg.tdb has no accounts: *db is
 * then NULL and the result 200. */
int adb_open_ro(const struct store *st, struct tdb_context **db, char *err, size_t errsz)
{
	struct store_cache *c = st->cache;
	if (c && c->accounts.db && store_cache_valid(c, &c->accounts)) {
		*db = c->accounts.db; /* its path not even made */
		return 200;
	}
	char path[ROOT_PATH_MAX];
	int named = c && fmt(path, sizeof path, "%s/goreg.tdb", st->root) == 0;
	if (named && c->accounts.db && (*db = store_cache_get(c, &c->accounts, path)))
		return 200; /* the kept handle: its path still names its file */
	if (c)
		store_cache_drop(c, &c->accounts);
	*db = adb_open(st, c && !c->last ? INDEX_READ_MAP : INDEX_READ);
	if (!*db && errno != ENOENT)
		return ERR(500, "unable to open '%s/goreg.tdb': %s", st->root, strerror(errno));
	if (*db && named)
		store_cache_keep(c, &c->accounts, *db);
	return 200;
}

void adb_close_ro(const struct store *st, struct tdb_context *db)
{
	if (db && !(st->cache && st->cache->accounts.db == db))
		tdb_close(db);
}

int adb_stored(char *err, size_t errsz, struct tdb_context *db)
{
	return ERR(500, "unable to store: %s", tdb_errorstr(db));
}


/* ---- listings ---- */


void adb_lines_add(struct adb_lines *l, const char *s)
{
	if (l->fail)
		return;
	if (grow(&l->v, &l->cap, l->n + 1, sizeof *l->v) < 0) {
		l->fail = 1;
		return;
	}
	if (!(l->v[l->n] = strdup(s)))
		l->fail = 1;
	else
		l->n++;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* sorted, each line after skip bytes (a sort key) + '\n', into *out */
int adb_lines_join(struct adb_lines *l, size_t skip, char **out, char *err, size_t errsz)
{
	struct buf b = {0};
	int fail = l->fail || buf_add(&b, "", 0) < 0;
	if (!fail && l->n)
		qsort(l->v, l->n, sizeof *l->v, cmp_str);
	for (size_t i = 0; i < l->n; i++) {
		if (!fail)
			fail = buf_printf(&b, "%s\n", l->v[i] + skip) < 0;
		free(l->v[i]);
	}
	free(l->v);
	if (fail) {
		buf_free(&b);
		return ERR(500, "out of memory");
	}
	*out = b.p;
	return 200;
}

int adb_list(const struct store *st, tdb_traverse_func one, char **out, char *err, size_t errsz)
{
	*out = NULL;
	struct tdb_context *db;
	int code = adb_open_ro(st, &db, err, errsz);
	if (code != 200)
		return code;
	struct adb_lines l = {0};
	if (db) {
		tdb_traverse_read(db, one, &l);
		adb_close_ro(st, db);
	}
	return adb_lines_join(&l, 0, out, err, errsz);
}

int adb_has_prefix(TDB_DATA key, const char *prefix)
{
	size_t pl = strlen(prefix);
	return key.dsize > pl && memcmp(key.dptr, prefix, pl) == 0;
}

/* a record's value as a string (NUL-terminated copy), or NULL */
char *adb_val_str(TDB_DATA v)
{
	char *s = malloc(v.dsize + 1);
	if (s) {
		memcpy(s, v.dptr, v.dsize);
		s[v.dsize] = 0;
	}
	return s;
}
