/* The owner's checksum database in ROOT/OWNER/@sumdb.tdb (sumlog.h). */
#include "store/sumlog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include <tdb.h>

#include "base/util.h"
#include "gomod/dirhash.h"
#include "gomod/modzip.h"
#include "store/store.h"

#define SUMLOG_HASH_SIZE 1031

static TDB_DATA key_of(const char *s)
{
	return (TDB_DATA){(unsigned char *)s, strlen(s)};
}

/* A value into out (NUL-terminated, replacing what it held): 1, 0 absent,
 * -1 out of memory. */
static int get(struct tdb_context *db, const char *k, struct buf *out)
{
	TDB_DATA v = tdb_fetch(db, key_of(k));
	if (!v.dptr)
		return 0;
	out->len = 0;
	int rc = buf_add(out, v.dptr, v.dsize) == 0 && buf_add(out, "", 1) == 0 ? 1 : -1;
	out->len -= rc > 0;
	free(v.dptr);
	return rc;
}

static int put(struct tdb_context *db, const char *k, const void *v, size_t n, int flag)
{
	return tdb_store(db, key_of(k), (TDB_DATA){(unsigned char *)v, n}, flag);
}

/* The number of records, or -1 when unreadable. */
static int64_t size_of(struct tdb_context *db)
{
	struct buf b = {0};
	int rc = get(db, "n", &b);
	char *end = NULL;
	long long n = rc > 0 ? strtoll(b.p, &end, 10) : 0;
	if (rc < 0 || (rc > 0 && (*end || n < 0)))
		n = -1;
	buf_free(&b);
	return n;
}

static int hash_get(void *ctx, int level, int64_t i, unsigned char out[TLOG_HASH])
{
	char k[48];
	snprintf(k, sizeof k, "h:%d:%lld", level, (long long)i);
	TDB_DATA v = tdb_fetch(ctx, key_of(k));
	int ok = v.dptr && v.dsize == TLOG_HASH;
	if (ok)
		memcpy(out, v.dptr, TLOG_HASH);
	free(v.dptr);
	errno = ok ? 0 : EILSEQ;
	return ok ? 0 : -1;
}

static int hash_put(void *ctx, int level, int64_t i, const unsigned char h[TLOG_HASH])
{
	char k[48];
	snprintf(k, sizeof k, "h:%d:%lld", level, (long long)i);
	return put(ctx, k, h, TLOG_HASH, TDB_INSERT) == 0 ? 0 : -1;
}

static int log_path(const struct store *st, const char *owner, char *out, size_t outsz)
{
	return fmt(out, outsz, "%s/%s/" SUMLOG_FILE, st->root, owner);
}

int sumlog_open(const struct store *st, const char *owner, int write, struct sumlog *l, char *err, size_t errsz)
{
	char path[OWNER_PATH_MAX];
	memset(l, 0, sizeof *l);
	if (log_path(st, owner, path, sizeof path) < 0)
		return ERR(500, "owner name too long");
	int have = store_path_exists(path);
	if (have <= 0)
		return have == 0 ? ERR(404, "%s has no checksum database", owner)
		                 : ERR(500, "unable to look at '%s': %s", path, strerror(errno));
	l->db = store_tdb_open(path, 0, write ? INDEX_WRITE : INDEX_READ, STORE_MODE_SECRET);
	if (!l->db)
		return ERR(500, "unable to open '%s': %s", path, strerror(errno));
	return 200;
}

void sumlog_close(struct sumlog *l)
{
	if (l->in_txn)
		tdb_transaction_cancel(l->db);
	l->in_txn = 0;
	if (l->db)
		tdb_close(l->db);
	l->db = NULL;
	sodium_memzero(&l->key, sizeof l->key);
}

int sumlog_vkey(struct sumlog *l, char vkey[NOTE_KEY_MAX + 1], char *err, size_t errsz)
{
	struct buf b = {0};
	int rc = get(l->db, "vkey", &b);
	int ok = rc > 0 && b.len <= NOTE_KEY_MAX;       /* longer: not a key line, and no room */
	if (ok)
		memcpy(vkey, b.p, b.len + 1);
	buf_free(&b);
	return ok ? 200 : ERR(500, "the checksum database has no verifier key");
}

int sumlog_record(const char *module, const char *version, const char *h1_zip, const char *h1_mod,
                  struct buf *out)
{
	return buf_printf(out, "%s %s %s\n%s %s/go.mod %s\n", module, version, h1_zip, module, version, h1_mod);
}

int sumlog_begin(struct sumlog *l, char *err, size_t errsz)
{
	struct buf b = {0};
	if (tdb_transaction_start(l->db) != 0)
		return ERR(500, "unable to lock the checksum database: %s", tdb_errorstr(l->db));
	l->in_txn = 1;
	int rc = get(l->db, "skey", &b);
	const char *why = rc > 0 ? note_signer_parse(b.p, &l->key) : "it has no signer key";
	if (b.p)
		sodium_memzero(b.p, b.len);
	buf_free(&b);
	if (why)
		return ERR(500, "the checksum database's key: %s", why);
	return 200;
}

static int lookup_key(const char *module, const char *version, char *k, size_t ksz)
{
	return fmt(k, ksz, "k:%s@%s", module, version);
}

/* The ID of M@V's record: >= 0, -1 none, -2 unreadable. */
static int64_t find_id(struct tdb_context *db, const char *module, const char *version)
{
	char k[8 + MODPATH_MAX + VERSION_MAX];
	struct buf b = {0};
	if (lookup_key(module, version, k, sizeof k) < 0)
		return -1;
	int rc = get(db, k, &b);
	char *end = NULL;
	long long id = rc > 0 ? strtoll(b.p, &end, 10) : -1;
	if (rc < 0 || (rc > 0 && (*end || id < 0)))
		id = -2;
	buf_free(&b);
	return id;
}

int64_t sumlog_size(struct sumlog *l)
{
	return size_of(l->db);
}

int64_t sumlog_id(struct sumlog *l, const char *module, const char *version)
{
	return find_id(l->db, module, version);
}

static int record_text(struct tdb_context *db, int64_t id, struct buf *text)
{
	char k[32];
	snprintf(k, sizeof k, "r:%lld", (long long)id);
	return get(db, k, text);
}

int sumlog_find(struct sumlog *l, const char *module, const char *version, struct buf *text, char *err,
                size_t errsz)
{
	int64_t id = find_id(l->db, module, version);
	if (id == -1)
		return 404;
	if (id < 0 || record_text(l->db, id, text) <= 0)
		return ERR(500, "the checksum database's record of %s@%s is unreadable", module, version);
	return 200;
}

int sumlog_compare(struct sumlog *l, const char *module, const char *version, const char *text, size_t len,
                   char *err, size_t errsz)
{
	struct buf old = {0};
	int code = sumlog_find(l, module, version, &old, err, errsz);
	if (code == 200 && (old.len != len || memcmp(old.p, text, len) != 0))
		code = 409;
	buf_free(&old);
	return code;
}

/* Sign the tree of n records and keep it as "note". */
static int sign_tree(struct sumlog *l, int64_t n, char *err, size_t errsz)
{
	unsigned char root[TLOG_HASH];
	struct buf t = {0}, note = {0};
	const char *why = NULL;
	if (tlog_tree_hash(hash_get, l->db, n, -1, NULL, root) < 0)
		why = "a hash is missing";
	else if (tlog_tree_format(n, root, &t) < 0)
		why = "out of memory";
	else
		why = note_sign(&l->key, t.p, t.len, &note);
	if (!why && put(l->db, "note", note.p, note.len, TDB_REPLACE) != 0)
		why = tdb_errorstr(l->db);
	buf_free(&t);
	buf_free(&note);
	return why ? ERR(500, "unable to sign the checksum database's tree: %s", why) : 200;
}

/* Add a record, unsigned: 200 and *size the records now, 400, 500. */
static int add_record(struct sumlog *l, const char *module, const char *version, const char *text, size_t len,
                      int64_t *size, char *err, size_t errsz)
{
	char k[8 + MODPATH_MAX + VERSION_MAX], id[32];
	unsigned char h[TLOG_HASH];
	int64_t n = size_of(l->db);
	if (n < 0)
		return ERR(500, "the checksum database's size is unreadable");
	if (!tlog_record_ok(text, len) || len > TLOG_RECORD_MAX)
		return ERR(400, "%s@%s: not a record the checksum database can hold", module, version);
	if (lookup_key(module, version, k, sizeof k) < 0)
		return ERR(400, "%s@%s: too long", module, version);
	snprintf(id, sizeof id, "r:%lld", (long long)n);
	tlog_record_hash(text, len, h);
	if (put(l->db, id, text, len, TDB_INSERT) != 0 || put(l->db, k, id + 2, strlen(id + 2), TDB_INSERT) != 0 ||
	    tlog_append(hash_get, hash_put, l->db, n, h) < 0)
		return ERR(500, "unable to add to the checksum database: %s", tdb_errorstr(l->db));
	snprintf(id, sizeof id, "%lld", (long long)n + 1);
	if (put(l->db, "n", id, strlen(id), TDB_REPLACE) != 0)
		return ERR(500, "unable to add to the checksum database: %s", tdb_errorstr(l->db));
	*size = n + 1;
	return 200;
}

int sumlog_add(struct sumlog *l, const char *module, const char *version, const char *text, size_t len,
               char *err, size_t errsz)
{
	int64_t n = 0;
	int code = add_record(l, module, version, text, len, &n, err, errsz);
	return code == 200 ? sign_tree(l, n, err, errsz) : code;
}

int sumlog_commit(struct sumlog *l, char *err, size_t errsz)
{
	l->in_txn = 0;
	if (tdb_transaction_commit(l->db) != 0)
		return ERR(500, "unable to commit the checksum database: %s", tdb_errorstr(l->db));
	return 200;
}

int sumlog_latest(struct sumlog *l, struct buf *out, char *err, size_t errsz)
{
	/* an empty tree is never signed: there is nothing to look up in it */
	int rc = get(l->db, "note", out);
	if (rc < 0)
		return ERR(500, "out of memory");
	return rc ? 200 : ERR(404, "the checksum database is empty");
}

int sumlog_lookup(struct sumlog *l, const char *module, const char *version, struct buf *out, char *err,
                  size_t errsz)
{
	struct buf text = {0}, note = {0};
	int64_t id = find_id(l->db, module, version);
	int code = 200;
	if (id == -1)
		code = ERR(404, "%s@%s: not in the checksum database", module, version);
	else if (id < 0 || record_text(l->db, id, &text) <= 0 || get(l->db, "note", &note) <= 0)
		code = ERR(500, "the checksum database's record of %s@%s is unreadable", module, version);
	else if (buf_printf(out, "%lld\n%s\n", (long long)id, text.p) < 0 || buf_add(out, note.p, note.len) < 0)
		code = ERR(500, "out of memory");
	buf_free(&text);
	buf_free(&note);
	return code;
}

/* A data tile: records "ID\nTEXT\n" each (sumdb/server.go, tlog.FormatRecord). */
static int data_tile(struct sumlog *l, int64_t first, int w, struct buf *out, char *err, size_t errsz)
{
	struct buf text = {0};
	int code = 200;
	for (int64_t i = first; i < first + w && code == 200; i++)
		if (record_text(l->db, i, &text) <= 0)
			code = ERR(500, "the checksum database's record %lld is unreadable", (long long)i);
		else if (buf_printf(out, "%lld\n%s\n", (long long)i, text.p) < 0)
			code = ERR(500, "out of memory");
	buf_free(&text);
	return code;
}

int sumlog_tile(struct sumlog *l, const struct tlog_tile *t, struct buf *out, char *err, size_t errsz)
{
	int64_t n = size_of(l->db);
	if (n < 0)
		return ERR(500, "the checksum database's size is unreadable");
	int level = t->l < 0 ? 0 : t->l * t->h;
	int64_t have = level < 63 ? n >> level : 0;     /* hashes at the tile's level */
	/* any number a path may hold: the shift only once it fits */
	if (t->n > (INT64_MAX >> t->h) - 1 || (t->n << t->h) + t->w > have)
		return ERR(404, "beyond the checksum database's tree");
	int64_t first = t->n << t->h;
	if (t->l < 0)
		return data_tile(l, first, t->w, out, err, errsz);
	unsigned char h[TLOG_HASH];
	for (int64_t i = first; i < first + t->w; i++)
		if (hash_get(l->db, level, i, h) < 0 || buf_add(out, h, TLOG_HASH) < 0)
			return ERR(500, "the checksum database's hash %d:%lld is unreadable", level, (long long)i);
	return 200;
}

static int hash_check(void *ctx, int level, int64_t i, const unsigned char h[TLOG_HASH])
{
	unsigned char s[TLOG_HASH];
	return hash_get(ctx, level, i, s) == 0 && memcmp(s, h, TLOG_HASH) == 0 ? 0 : -1;
}

static int count_keys(struct tdb_context *db, TDB_DATA k, TDB_DATA v, void *arg)
{
	(void)db, (void)v;
	*(int64_t *)arg += k.dsize > 2 && memcmp(k.dptr, "k:", 2) == 0;
	return 0;
}

/* Record i: its text is record text, its hashes are the stored ones, and
 * its module@version's lookup key names it. */
static int verify_record(struct sumlog *l, int64_t i, struct buf *text, char *err, size_t errsz)
{
	unsigned char h[TLOG_HASH];
	if (record_text(l->db, i, text) <= 0 || !tlog_record_ok(text->p, text->len))
		return ERR(500, "record %lld is missing or malformed", (long long)i);
	tlog_record_hash(text->p, text->len, h);
	if (tlog_append(hash_get, hash_check, l->db, i, h) < 0)
		return ERR(500, "record %lld: a stored hash is not the record's", (long long)i);
	char *sp = strchr(text->p, ' '), *sp2 = sp ? strchr(sp + 1, ' ') : NULL;
	if (!sp2)
		return ERR(500, "record %lld is no go.sum line", (long long)i);
	*sp = *sp2 = 0;
	int64_t id = find_id(l->db, text->p, sp + 1);
	if (id != i)
		return ERR(500, "record %lld: the lookup of %s@%s gives %lld", (long long)i, text->p, sp + 1,
		           (long long)id);
	return 200;
}

/* The signed tree head: signed by the log's key, of n records, with the
 * hash the records give. */
static int verify_note(struct sumlog *l, int64_t n, char *err, size_t errsz)
{
	struct buf b = {0};
	struct note_key vk;
	unsigned char root[TLOG_HASH], th[TLOG_HASH];
	int64_t tn = -1;
	size_t tl = 0;
	const char *why = NULL;
	int rc = get(l->db, "vkey", &b);
	if (rc <= 0 || (why = note_verifier_parse(b.p, &vk)) != NULL)
		why = why ? why : "no verifier key";
	else if ((rc = get(l->db, "note", &b)) < 0 || (rc == 0) != (n == 0))
		why = n ? "no signed tree head" : "an empty tree is signed";
	else if (n && (why = note_open(b.p, b.len, &vk, &tl)) == NULL) {
		if (tlog_tree_parse(b.p, tl, &tn, th) < 0 || tn != n)
			why = "the signed tree head is not of all the records";
		else if (tlog_tree_hash(hash_get, l->db, n, -1, NULL, root) < 0 || memcmp(root, th, TLOG_HASH))
			why = "the signed tree hash is not the records'";
	}
	buf_free(&b);
	return why ? ERR(500, "%s", why) : 200;
}

int sumlog_verify(struct sumlog *l, int64_t *n, char *err, size_t errsz)
{
	struct buf text = {0};
	/* one moment of the log: a transaction, never committed, is its
	 * lock, so a publish's commit waits until all is read */
	*n = 0;
	if (tdb_transaction_start(l->db) != 0)
		return ERR(500, "unable to lock it: %s", tdb_errorstr(l->db));
	int64_t size = size_of(l->db), keys = 0;
	int code = size < 0 ? ERR(500, "the size is unreadable") : 200;
	for (int64_t i = 0; i < size && code == 200; i++)
		code = verify_record(l, i, &text, err, errsz);
	buf_free(&text);
	if (code == 200 && (tdb_traverse(l->db, count_keys, &keys) < 0 || keys != size))
		code = ERR(500, "%lld lookup keys for %lld records", (long long)keys, (long long)size);
	if (code == 200)
		code = verify_note(l, size, err, errsz);
	tdb_transaction_cancel(l->db);
	*n = size;
	return code;
}

/* ---- sumlog_create ---- */

struct ver {
	int64_t time;
	char *module;
	struct verinfo vi;
};

struct vers {
	struct ver *v;
	size_t n, cap;
	const struct store *st;
	const char *owner;
};

static int collect(struct tdb_context *db, TDB_DATA k, TDB_DATA v, void *arg)
{
	struct vers *vs = arg;
	size_t pl = strlen(STORE_KEY_VERSION);
	if (k.dsize <= pl || memcmp(k.dptr, STORE_KEY_VERSION, pl) != 0)
		return 0;
	struct ver x = {0};
	const char *at = memchr(k.dptr, '@', k.dsize);
	if (!at || verinfo_decode((const char *)v.dptr, v.dsize, &x.vi) < 0 || x.vi.deleting)
		return 0;
	if (!(x.module = strndup((const char *)k.dptr + pl, (size_t)(at - (const char *)k.dptr) - pl)))
		return -1;
	char info[FILE_PATH_MAX];
	if (store_file_path(vs->st, vs->owner, x.module, x.vi.version, "info", info, sizeof info) < 0 ||
	    store_path_exists(info) != 1) {
		free(x.module);
		return 0;                       /* not a version that exists */
	}
	x.time = x.vi.time;
	if (grow(&vs->v, &vs->cap, vs->n + 1, sizeof *vs->v) < 0) {
		free(x.module);
		return -1;
	}
	vs->v[vs->n++] = x;
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct ver *x = a, *y = b;
	int c = strcmp(x->module, y->module);
	return x->time != y->time ? (x->time < y->time ? -1 : 1) : c ? c : strcmp(x->vi.version, y->vi.version);
}

/* The new log, in tmp/: keys and a record of every version in vs. */
static int fill_log(struct sumlog *l, const char *name, const struct vers *vs, char vkey[NOTE_KEY_MAX + 1],
                    char *err, size_t errsz)
{
	char skey[NOTE_KEY_MAX + 1];
	struct buf rec = {0};
	if (note_generate(name, skey, vkey) < 0 || note_signer_parse(skey, &l->key) != NULL)
		return ERR(500, "unable to make a key");
	int code = tdb_transaction_start(l->db) == 0 ? 200 : ERR(500, "unable to write: %s", tdb_errorstr(l->db));
	if (code == 200 && (put(l->db, "skey", skey, strlen(skey), TDB_INSERT) != 0 ||
	                    put(l->db, "vkey", vkey, strlen(vkey), TDB_INSERT) != 0 ||
	                    put(l->db, "n", "0", 1, TDB_INSERT) != 0))
		code = ERR(500, "unable to write: %s", tdb_errorstr(l->db));
	sodium_memzero(skey, sizeof skey);
	int64_t n = 0;
	for (size_t i = 0; i < vs->n && code == 200; i++) {
		const struct ver *x = &vs->v[i];
		rec.len = 0;
		if (sumlog_record(x->module, x->vi.version, x->vi.h1_zip, x->vi.h1_mod, &rec) < 0)
			code = ERR(500, "out of memory");
		else
			code = add_record(l, x->module, x->vi.version, rec.p, rec.len, &n, err, errsz);
	}
	buf_free(&rec);
	/* one signed head, of all the records (an empty tree is never signed) */
	if (code == 200 && n > 0)
		code = sign_tree(l, n, err, errsz);
	if (code == 200 && tdb_transaction_commit(l->db) != 0)
		code = ERR(500, "unable to commit: %s", tdb_errorstr(l->db));
	return code;
}

/* The hashes a log keeps forever are the files' own, as the go command
 * hashes what it downloads: each version's zip and .mod hashed again and
 * compared with its record, which is all a publish logs from, and which a
 * damaged index could hold wrong where no other check would see it
 * (goreg-fsck compares a zip with its record's SHA-256).  200, or 500
 * naming the version. */
static int check_hashes(const struct store *st, const char *owner, const struct vers *vs, char *err,
                        size_t errsz)
{
	for (size_t i = 0; i < vs->n; i++) {
		const struct ver *x = &vs->v[i];
		char zip[FILE_PATH_MAX], modp[FILE_PATH_MAX], why[MSG_MAX], h1[H1_LEN + 1], *mod = NULL;
		size_t modlen = 0;
		if (store_file_path(st, owner, x->module, x->vi.version, "zip", zip, sizeof zip) < 0 ||
		    store_file_path(st, owner, x->module, x->vi.version, "mod", modp, sizeof modp) < 0)
			return ERR(500, "%s@%s: path too long", x->module, x->vi.version);
		int v = modzip_hash(zip, h1, why, sizeof why);
		if (v != 0)
			return ERR(500, "%s@%s: %s: %s (goreg-fsck --repair)", x->module, x->vi.version,
			           v < 0 ? "its zip cannot be read" : "its zip is no zip the go command reads", why);
		if (strcmp(h1, x->vi.h1_zip) != 0)
			return ERR(500, "%s@%s: its zip hashes to %s, its record says %s (a damaged record: delete "
			           "the version and upload its zip again)", x->module, x->vi.version, h1, x->vi.h1_zip);
		if (read_file(modp, MODZIP_MAX_GOMOD, &mod, &modlen) < 0)
			return ERR(500, "unable to read '%s': %s (goreg-fsck --repair)", modp, strerror(errno));
		int mod_ok = dirhash_h1_gomod(mod, modlen, h1) == 0;
		free(mod);
		if (!mod_ok || strcmp(h1, x->vi.h1_mod) != 0)
			return ERR(500, "%s@%s: its .mod hashes to %s, its record says %s (goreg-fsck --repair)",
			           x->module, x->vi.version, mod_ok ? h1 : "?", x->vi.h1_mod);
	}
	return 200;
}

static void vers_free(struct vers *vs)
{
	for (size_t i = 0; i < vs->n; i++)
		free(vs->v[i].module);
	free(vs->v);
}

/* Under the owner's lock: the log made whole in tmp/, then renamed in.
 * The file in tmp/ is locked (store_tmp_create) against goreg-fsck, and
 * nobody else knows it, so tdb opens it without locks of its own (they
 * would wait for that lock). */
static int create_locked(const struct store *st, const char *owner, struct tdb_context *idx, const char *name,
                         char vkey[NOTE_KEY_MAX + 1], char *err, size_t errsz)
{
	char path[OWNER_PATH_MAX], tmp[OWNER_PATH_MAX];
	struct vers vs = {.st = st, .owner = owner};
	struct sumlog l = {0};
	if (log_path(st, owner, path, sizeof path) < 0)
		return ERR(400, "owner name too long");
	int have = store_path_exists(path);
	if (have != 0)
		return have > 0 ? ERR(409, "%s has a checksum database already (goreg-admin sumdb key %s prints "
		                           "its key)", owner, owner)
		                : ERR(500, "unable to look at '%s': %s", path, strerror(errno));
	if (tdb_traverse(idx, collect, &vs) < 0) {
		vers_free(&vs);
		return ERR(500, "unable to read the index of '%s'", owner);
	}
	if (vs.n)                       /* qsort wants an array, even of none */
		qsort(vs.v, vs.n, sizeof *vs.v, by_time);
	int code = check_hashes(st, owner, &vs, err, errsz);
	if (code != 200) {
		vers_free(&vs);
		return code;
	}
	int fd = store_tmp_create(st, "sumdb", tmp, sizeof tmp);
	code = 500;
	if (fd < 0 || fchmod(fd, STORE_MODE_SECRET) < 0)
		ERR(500, "unable to create a file in '%s/tmp': %s", st->root, strerror(errno));
	else if (!(l.db = tdb_open(tmp, SUMLOG_HASH_SIZE, TDB_NOMMAP | TDB_NOLOCK, O_RDWR | O_CREAT | O_CLOEXEC,
	                          STORE_MODE_SECRET)))
		ERR(500, "unable to make '%s' a tdb: %s", tmp, strerror(errno));
	else if ((code = fill_log(&l, name, &vs, vkey, err, errsz)) == 200)
		code = rename(tmp, path) == 0 ? 201 : ERR(500, "unable to rename into '%s': %s", path, strerror(errno));
	if (code != 201 && fd >= 0)
		unlink(tmp);
	if (fd >= 0)
		close(fd);
	sumlog_close(&l);
	if (code == 201) {
		*strrchr(path, '/') = 0;
		if (fsync_path(path) < 0)
			code = ERR(500, "unable to sync '%s': %s", path, strerror(errno));
	}
	vers_free(&vs);
	return code;
}

int sumlog_create(const struct store *st, const char *owner, const char *name, char vkey[NOTE_KEY_MAX + 1],
                  char *err, size_t errsz)
{
	char dir[OWNER_PATH_MAX];
	const char *why = note_name_check(name);
	if (why)
		return ERR(400, "%s: %s", name, why);
	if (fmt(dir, sizeof dir, "%s/%s", st->root, owner) < 0)
		return ERR(400, "owner name too long");
	if (mkdir(dir, STORE_MODE_DIR) < 0 && errno != EEXIST)
		return ERR(500, "unable to create '%s': %s", dir, strerror(errno));
	struct tdb_context *idx = store_index_lock(st, owner, INDEX_CREATE);
	if (!idx)
		return ERR(500, "unable to lock the index of '%s': %s", owner, strerror(errno));
	int code = create_locked(st, owner, idx, name, vkey, err, errsz);
	tdb_transaction_cancel(idx);
	tdb_close(idx);
	return code;
}
