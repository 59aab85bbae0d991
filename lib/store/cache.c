/* The read handles and records goreg-httpd keeps for one connection
 * (store.h, struct store_cache).  Two checks keep them honest at little
 * cost: a handle is compared with the file its path names (one stat) at
 * its first use in each request, so a replaced file (goreg-fsck --repair
 * rebuilding an index) is opened anew; a record is reused only while the
 * handle's tdb sequence number is the one it was read under (one read of
 * the header), and every goreg writer opens with TDB_SEQNUM (store.c), so
 * each committed change (a new version, a revoked token) moves it. */
#include "store/store.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tdb.h>

void store_cache_request(struct store_cache *c, int last)
{
	c->request++;
	c->last = last;
}

static void clear(struct store_rec *r)
{
	free(r->key);
	free(r->val);
	memset(r, 0, sizeof *r);
}

static void forget(struct store_cache *c, struct tdb_context *db)
{
	for (size_t i = 0; i < STORE_CACHE_RECS; i++)
		if (c->rec[i].db == db)
			clear(&c->rec[i]);
}

void store_cache_drop(struct store_cache *c, struct store_handle *h)
{
	if (!h->db)
		return;
	forget(c, h->db);
	tdb_close(h->db);
	memset(h, 0, sizeof *h);
}

void store_cache_keep(struct store_cache *c, struct store_handle *h, struct tdb_context *db)
{
	struct stat sb;
	store_cache_drop(c, h);
	h->db = db;
	h->checked = c->request;
	if (c->last)
		return; /* never used past this request: its identity is not needed */
	if (fstat(tdb_fd(db), &sb) == 0) {
		h->dev = sb.st_dev;
		h->ino = sb.st_ino;
	} else
		h->checked = c->request - 1; /* unknown: checked (and dropped) at its next use */
}

struct tdb_context *store_cache_get(struct store_cache *c, struct store_handle *h, const char *path)
{
	if (!h->db || h->checked == c->request)
		return h->db;
	struct stat sb;
	if (stat(path, &sb) == 0 && sb.st_dev == h->dev && sb.st_ino == h->ino) {
		h->checked = c->request;
		return h->db;
	}
	store_cache_drop(c, h);
	return NULL;
}

/* The slot holding key for db, else the next one to reuse. */
static struct store_rec *slot(struct store_cache *c, struct tdb_context *db, TDB_DATA key, int *hit)
{
	for (size_t i = 0; i < STORE_CACHE_RECS; i++) {
		struct store_rec *r = &c->rec[i];
		if (r->db == db && r->klen == key.dsize && memcmp(r->key, key.dptr, key.dsize) == 0) {
			*hit = 1;
			return r;
		}
	}
	*hit = 0;
	return &c->rec[c->next++ % STORE_CACHE_RECS];
}

/* a kept record's value as tdb_fetch returns one: malloc'd, or NULL */
static TDB_DATA copy_of(TDB_DATA kept)
{
	TDB_DATA v = {NULL, 0};
	if (!kept.dptr || !(v.dptr = malloc(kept.dsize ? kept.dsize : 1)))
		return v;
	memcpy(v.dptr, kept.dptr, kept.dsize);
	v.dsize = kept.dsize;
	return v;
}

/* Keep v as key's record under seqnum in r (a record that cannot be kept
 * leaves r empty). */
static void keep(struct store_rec *r, struct tdb_context *db, uint32_t seqnum, TDB_DATA key, TDB_DATA v)
{
	clear(r);
	if (v.dsize > STORE_CACHE_VAL_MAX || !(r->key = malloc(key.dsize ? key.dsize : 1)) ||
	    !(r->val = malloc(v.dsize ? v.dsize : 1))) {
		clear(r);
		return;
	}
	memcpy(r->key, key.dptr, key.dsize);
	if (v.dptr)
		memcpy(r->val, v.dptr, v.dsize);
	r->db = db;
	r->seqnum = seqnum;
	r->found = v.dptr != NULL;
	r->klen = key.dsize;
	r->vlen = v.dsize;
}

TDB_DATA store_fetch(const struct store *st, struct tdb_context *db, TDB_DATA key)
{
	int owned;
	TDB_DATA v = store_fetch_ref(st, db, key, &owned);
	return owned ? v : copy_of(v);
}

TDB_DATA store_fetch_ref(const struct store *st, struct tdb_context *db, TDB_DATA key, int *owned)
{
	struct store_cache *c = st->cache;
	*owned = 1;
	if (!c || c->last || (db != c->accounts.db && db != c->index.db))
		return tdb_fetch(db, key);
	uint32_t seq = (uint32_t)tdb_get_seqnum(db);
	int hit;
	struct store_rec *r = slot(c, db, key, &hit);
	if (hit && r->seqnum == seq) {
		*owned = 0;
		return (TDB_DATA){r->found ? r->val : NULL, r->found ? r->vlen : 0};
	}
	TDB_DATA v = tdb_fetch(db, key);
	/* kept only if no commit moved the number meanwhile: a record read
	 * across a commit (or a crashed one rolled back) is not kept */
	if ((v.dptr || tdb_error(db) == TDB_ERR_NOEXIST) && (uint32_t)tdb_get_seqnum(db) == seq)
		keep(r, db, seq, key, v);
	else if (hit)
		clear(r);
	return v;
}
