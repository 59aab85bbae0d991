/* The upstream list cache (store.h): "u:MODULE" in the owner's index,
 * "TIME\nVERSION\n..." */
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tdb.h>

#include "base/util.h"

int store_ulist_get(const struct store *st, const char *owner, const char *module, int64_t *when,
                    char ***v, size_t *n, char *err, size_t errsz)
{
	*v = NULL;
	*n = 0;
	struct tdb_context *db = store_index_read(st, owner);
	if (!db)
		return errno == ENOENT ? ERR(404, "%s: never fetched", module)
		                       : ERR(500, "unable to open the index of '%s': %s", owner, strerror(errno));
	struct buf k = {0};
	int code = 404;
	if (store_key(&k, STORE_KEY_UPSTREAM, module, NULL) == 0) {
		TDB_DATA val = tdb_fetch(db, (TDB_DATA){(unsigned char *)k.p, k.len});
		if (val.dptr) {
			char **all;
			size_t m;
			code = store_list_split((const char *)val.dptr, val.dsize, &all, &m) < 0 ? 500 : 200;
			if (code == 200 && m == 0)
				code = 404;     /* not a record of ours */
			if (code == 200) {
				*when = strtoll(all[0], NULL, 10);
				free(all[0]);
				memmove(all, all + 1, (m - 1) * sizeof *all);
				*v = all;
				*n = m - 1;
			} else if (code == 404)
				store_list_free(all, m);
			free(val.dptr);
		}
	} else
		code = 500;
	buf_free(&k);
	store_index_read_done(st, db);
	if (code == 500)
		return ERR(500, "out of memory");
	return code == 404 ? ERR(404, "%s: never fetched", module) : 200;
}

int store_ulist_put(const struct store *st, const char *owner, const char *module, int64_t when,
                    char **v, size_t n, char *err, size_t errsz)
{
	char dir[OWNER_PATH_MAX];
	if (fmt(dir, sizeof dir, "%s/%s", st->root, owner) < 0)
		return ERR(500, "owner path too long");
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		return ERR(500, "unable to create '%s': %s", dir, strerror(errno));
	struct tdb_context *db = store_index_lock(st, owner, INDEX_CREATE);
	if (!db)
		return ERR(500, "unable to lock the index of '%s': %s", owner, strerror(errno));
	struct buf k = {0}, val = {0};
	int fail = store_key(&k, STORE_KEY_UPSTREAM, module, NULL) < 0 ||
	           buf_printf(&val, "%lld\n", (long long)when) < 0;
	for (size_t i = 0; i < n && !fail; i++)
		fail = buf_printf(&val, "%s\n", v[i]) < 0;
	int code = 200;
	if (fail || tdb_store(db, (TDB_DATA){(unsigned char *)k.p, k.len},
	                      (TDB_DATA){(unsigned char *)val.p, val.len}, TDB_REPLACE) != 0) {
		code = fail ? ERR(500, "out of memory")
		            : ERR(500, "unable to store the upstream list: %s", tdb_errorstr(db));
		tdb_transaction_cancel(db);
	} else if (tdb_transaction_commit(db) != 0)     /* rolled back by tdb */
		code = ERR(500, "unable to commit the upstream list: %s", tdb_errorstr(db));
	tdb_close(db);
	buf_free(&k);
	buf_free(&val);
	return code;
}
