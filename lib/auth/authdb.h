/* goreg.tdb for lib/auth/auth.c and lib/auth/token.c only: opening it, records as
 * "k=v\n" lines, transactions, sorted listings.  Record layout: auth.h.
 * Functions with err return an HTTP-like status and a reason (ERR). */
#ifndef GOREG_AUTHDB_H
#define GOREG_AUTHDB_H
#include <stddef.h>
#include <sys/types.h>
#include <tdb.h>

struct store;

/* ROOT/goreg.tdb, opened as store_tdb_open's how says: INDEX_CREATE
 * creates it 0600 if missing */
struct tdb_context *adb_open(const struct store *st, int how);
/* Read-only; a store without goreg.tdb has no accounts: *db is then NULL
 * and the result 200. */
int adb_open_ro(const struct store *st, struct tdb_context **db, char *err, size_t errsz);
/* Close what adb_open_ro gave, unless the store's cache keeps it. */
void adb_close_ro(const struct store *st, struct tdb_context *db);
/* Open read-write and start a transaction: 200 or 500. */
int adb_begin(const struct store *st, struct tdb_context **db, char *err, size_t errsz);
/* Whether any owner has an upstream record ("upstream:OWNER", upstream.c)
 * is kept in one record, so that a front end learns it at its start with
 * one lookup instead of a walk over goreg.tdb: ADB_UPSTREAM_ANY holds "1"
 * or "0".  adb_upstream_mark sets it from the records, in the write
 * transaction db (adb_begin does when it is missing, upstream.c after each
 * change): 0, or -1.  adb_upstream_any reads it (through the store's kept
 * records), 1 or 0; where it is missing (goreg.tdb not written since goreg
 * kept it) from the records. */
#define ADB_UPSTREAM_PREFIX "upstream:"
#define ADB_UPSTREAM_ANY "upstream-any"
int adb_upstream_mark(struct tdb_context *db);
int adb_upstream_any(const struct store *st, struct tdb_context *db);
/* 1 when the mark says no owner has one (through the store's kept records,
 * for readers): 0 also where it is missing */
int adb_upstream_none(const struct store *st, struct tdb_context *db);
/* Commit on 2xx, else cancel; closes db.  Returns code, or 500 if the
 * commit failed. */
int adb_finish(struct tdb_context *db, int code, char *err, size_t errsz);

TDB_DATA adb_key(const char *s);
/* the value of key as a NUL-terminated malloc'd string, or NULL */
char *adb_get(struct tdb_context *db, const char *key);
/* The same through the store's kept records (store_fetch), for readers */
char *adb_get_ro(const struct store *st, struct tdb_context *db, const char *key);
/* The value itself, not copied (store_fetch_ref): *owned 1 when it is the
 * caller's to free; else good until the next store call */
TDB_DATA adb_get_ref(const struct store *st, struct tdb_context *db, const char *key, int *owned);
int adb_put(struct tdb_context *db, const char *key, const char *val, int flag);
/* 500 "unable to store: <tdb error>" */
int adb_stored(char *err, size_t errsz, struct tdb_context *db);
/* the value of the "k=" line of a record; -1 if absent or too long */
int adb_rec_get(const char *rec, const char *k, char *out, size_t outsz);
/* the same in rec[0, len), with no NUL in it */
int adb_rec_get_n(const char *rec, size_t len, const char *k, char *out, size_t outsz);
/* the value of the first "k=" line of rec[0, len) with one (k is kl
 * bytes), in place: *vl bytes, not ended; NULL if none */
const char *adb_rec_value(const char *rec, size_t len, const char *k, size_t kl, size_t *vl);
int adb_has_prefix(TDB_DATA key, const char *prefix);
/* a record's value as a NUL-terminated malloc'd string, or NULL */
char *adb_val_str(TDB_DATA v);

/* Listing lines collected during a traversal, then sorted and joined. */
struct adb_lines {
	char **v;
	size_t n, cap;
	int fail;
};
void adb_lines_add(struct adb_lines *l, const char *s);
/* sorted, each line from byte skip on (what precedes is a sort key) and
 * '\n'-terminated, into *out (malloc'd); frees the lines.  200 or 500. */
int adb_lines_join(struct adb_lines *l, size_t skip, char **out, char *err, size_t errsz);
/* The lines one adds (its last argument is the struct adb_lines) in a
 * read-only traversal of goreg.tdb, sorted and joined into *out: 200 or
 * 500; a store without goreg.tdb has none. */
int adb_list(const struct store *st, tdb_traverse_func one, char **out, char *err, size_t errsz);

#endif
