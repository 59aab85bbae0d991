/* An owner's checksum database: a tiled log of the go.sum lines of every
 * version the owner ever published, signed with the owner's key
 * (go.dev/ref/mod#checksum-database; the formats are in sumdb/).
 *
 * It lives in ROOT/OWNER/@sumdb.tdb (mode 0600: it holds the signer key;
 * '@' is in no module path, so the name is outside the GOPROXY tree):
 *   "skey", "vkey"   the signer and verifier key lines
 *   "n"              the number of records, decimal
 *   "r:ID"           record ID's text: "M V h1:…\nM V/go.mod h1:…\n"
 *   "k:M@V"          the ID of M@V's record
 *   "h:LEVEL:INDEX"  the 32-byte hash of each complete subtree
 *   "note"           the signed tree head of all n records (none while n is 0)
 * Records are only ever added: a delete leaves the version's record, and
 * the tiles a client saw are recomputed from hashes that never change.
 * A publish adds its record, under the owner's index lock, in a
 * transaction of this file committed just before the index's: a crash
 * between the two leaves a record of a version nobody can see, as a
 * delete does, never a visible version without its record. */
#ifndef GOREG_SUMLOG_H
#define GOREG_SUMLOG_H
#include <stddef.h>
#include <stdint.h>

#include "sumdb/note.h"
#include "sumdb/tlog.h"

#define SUMLOG_FILE "@sumdb.tdb"

struct store;
struct buf;
struct sumlog {
	struct tdb_context *db;
	struct note_key key;            /* the signer key once sumlog_begin ran */
	int in_txn;
};

/* Create the owner's log named name, with a new key, and log every
 * version the owner has (oldest first).  201 and the verifier key line,
 * 409 if the owner has a log, 400 for a bad name, 500. */
int sumlog_create(const struct store *st, const char *owner, const char *name, char vkey[NOTE_KEY_MAX + 1],
                  char *err, size_t errsz);
/* Open the owner's log (write: to add to it).  200, 404 if the owner has
 * none, 500. */
int sumlog_open(const struct store *st, const char *owner, int write, struct sumlog *l, char *err, size_t errsz);
void sumlog_close(struct sumlog *l);
/* Its verifier key line: 200 or 500. */
int sumlog_vkey(struct sumlog *l, char vkey[NOTE_KEY_MAX + 1], char *err, size_t errsz);

/* Readers: the number of records, or -1 when unreadable; the ID of
 * M@V's record: >= 0, -1 not logged, -2 unreadable. */
int64_t sumlog_size(struct sumlog *l);
int64_t sumlog_id(struct sumlog *l, const char *module, const char *version);

/* go.sum's lines for a version: the record text. */
int sumlog_record(const char *module, const char *version, const char *h1_zip, const char *h1_mod,
                  struct buf *out);
/* Writers: a transaction (the log's lock), then what is there for M@V
 * (200 and its record into text, or 404), then add a record, then commit
 * (or cancel; sumlog_close cancels what is open). */
int sumlog_begin(struct sumlog *l, char *err, size_t errsz);
int sumlog_find(struct sumlog *l, const char *module, const char *version, struct buf *text, char *err,
                size_t errsz);
int sumlog_add(struct sumlog *l, const char *module, const char *version, const char *text, size_t len,
               char *err, size_t errsz);
/* What the log holds for M@V against the record text[0, len): 200 that
 * very record, 409 another (err not set: the caller says why), 404 none,
 * 500 (err set). */
int sumlog_compare(struct sumlog *l, const char *module, const char *version, const char *text, size_t len,
                   char *err, size_t errsz);
int sumlog_commit(struct sumlog *l, char *err, size_t errsz);

/* The protocol's answers (sumdb/server.go): the signed tree head; a
 * lookup ("ID\nTEXT\n" then the signed tree head); a tile of hashes or
 * of records ("ID\nTEXT\n" each) within the signed tree.  200, 404
 * (nothing signed yet, not logged, beyond the tree), 500. */
int sumlog_latest(struct sumlog *l, struct buf *out, char *err, size_t errsz);
int sumlog_lookup(struct sumlog *l, const char *module, const char *version, struct buf *out, char *err,
                  size_t errsz);
int sumlog_tile(struct sumlog *l, const struct tlog_tile *t, struct buf *out, char *err, size_t errsz);

/* Recompute the whole tree from the records and check every stored hash,
 * every lookup key and the signed tree head, in a transaction of the log
 * (publishes wait).  200 and *n the records, or 500 with what is wrong. */
int sumlog_verify(struct sumlog *l, int64_t *n, char *err, size_t errsz);

#endif
