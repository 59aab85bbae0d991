/* Refused writes, counted for /metrics: see refusal.h. */
#include "store/refusal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tdb.h>

#include "base/util.h"
#include "store/store.h"

static int refusal_path(const struct store *st, char *out, size_t outsz)
{
	return fmt(out, outsz, "%s/" REFUSAL_FILE, st->root);
}

/* "OWNER OP STATUS": the key; its value is the count, 8 bytes, host
 * order.  Each count is added in a transaction (a process killed half-way
 * leaves the file whole), without fsync (TDB_NOSYNC: a count may be lost
 * to a crash of the machine, nothing else). */
void store_refusal_add(const struct store *st, const char *owner, const char *op, int status)
{
	char path[ROOT_PATH_MAX], k[OWNER_MAX + 40];
	int kn = snprintf(k, sizeof k, "%s %s %d", owner ? owner : "-", op, status);
	if (refusal_path(st, path, sizeof path) < 0 || kn < 0 || (size_t)kn >= sizeof k)
		return;
	struct tdb_context *db = store_tdb_open(path, 0, INDEX_CREATE, STORE_MODE_FILE);
	if (!db)
		return;
	tdb_add_flags(db, TDB_NOSYNC);
	TDB_DATA key = {(unsigned char *)k, (size_t)kn};
	if (tdb_transaction_start(db) == 0) {
		uint64_t n = 0;
		TDB_DATA v = tdb_fetch(db, key);
		if (v.dptr && v.dsize == sizeof n)
			memcpy(&n, v.dptr, sizeof n);
		free(v.dptr);
		n++;
		if (tdb_store(db, key, (TDB_DATA){(unsigned char *)&n, sizeof n}, TDB_REPLACE) == 0)
			tdb_transaction_commit(db);
		else
			tdb_transaction_cancel(db);
	}
	tdb_close(db);
}

/* the keys of one owner's counts, "OWNER ", dropped in the traversal */
static int drop_owner(struct tdb_context *db, TDB_DATA k, TDB_DATA v, void *arg)
{
	const char *prefix = arg;
	size_t pl = strlen(prefix);
	(void)v;
	if (k.dsize > pl && memcmp(k.dptr, prefix, pl) == 0)
		tdb_delete(db, k);
	return 0;
}

void store_refusal_forget(const struct store *st, const char *owner)
{
	char path[ROOT_PATH_MAX], prefix[OWNER_MAX + 2];
	if (refusal_path(st, path, sizeof path) < 0 || fmt(prefix, sizeof prefix, "%s ", owner) < 0)
		return;
	struct tdb_context *db = store_tdb_open(path, 0, INDEX_WRITE, STORE_MODE_FILE);
	if (!db)
		return;
	if (tdb_transaction_start(db) == 0) {
		if (tdb_traverse(db, drop_owner, prefix) >= 0)
			tdb_transaction_commit(db);
		else
			tdb_transaction_cancel(db);
	}
	tdb_close(db);
}

struct walk {
	store_refusal_fn *fn;
	void *ctx;
};

static int one(struct tdb_context *db, TDB_DATA k, TDB_DATA v, void *arg)
{
	struct walk *w = arg;
	char key[OWNER_MAX + 40], owner[OWNER_MAX + 1], op[24];
	int status;
	uint64_t n;
	if (k.dsize >= sizeof key || v.dsize != sizeof n)
		return 0;
	memcpy(key, k.dptr, k.dsize);
	key[k.dsize] = 0;
	memcpy(&n, v.dptr, sizeof n);
	if (sscanf(key, "%64s %23s %d", owner, op, &status) != 3 || store_check_owner(owner))
		return 0;
	return w->fn(w->ctx, owner, op, status, n) != 0;
}

int store_refusals(const struct store *st, store_refusal_fn *fn, void *ctx, char *err, size_t errsz)
{
	char path[ROOT_PATH_MAX];
	if (refusal_path(st, path, sizeof path) < 0)
		return ERR(500, "store path too long");
	struct tdb_context *db = store_tdb_open(path, 0, INDEX_READ, STORE_MODE_FILE);
	if (!db)
		return errno == ENOENT ? 200 : ERR(500, "unable to open '%s': %s", path, strerror(errno));
	struct walk w = {fn, ctx};
	int rc = tdb_traverse_read(db, one, &w);
	tdb_close(db);
	return rc < 0 ? ERR(500, "unable to read '%s'", path) : 200;
}
