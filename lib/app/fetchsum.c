/* A public module's go.sum lines for the owner's own checksum database,
 * verified in the upstream checksum database first (fetch.h): the signed
 * tree head with the configured verifier key, the record's inclusion in
 * that tree through the database's tiles, and that tree's consistency
 * with the last one verified here (what the go command checks itself,
 * golang.org/x/mod/sumdb/client.go). */
#include "app/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/types.h>
#include <unistd.h>
#include <tdb.h>

#include "base/util.h"
#include "gomod/modpath.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "sumdb/note.h"
#include "sumdb/tlog.h"
#include "upstream/upstream.h"

/* The upstream database as the verification reads it: its answers come
 * through the owner's cache (fetch_sumdb), fetched when missing. */
struct updb {
	const struct store *st;
	const char *owner;
	const struct fetch_client *c;
	struct note_key key;
	int64_t n;                      /* the tree hashes are read for */
	struct buf seen;                /* the cache files read, each ended by a NUL */
	int unreachable;                /* a fetch failed: nothing known to be wrong */
	char *err;
	size_t errsz;
};

/* The cached answer to path, fetched if missing (always for latest). */
static int updb_read(struct updb *d, const char *path, int fresh, char **data, size_t *len)
{
	char cache[FILE_PATH_MAX];
	struct upstream u;
	char *err = d->err;
	size_t errsz = d->errsz;
	if (fetch_sumdb_cache(d->st, d->owner, d->key.name, path, &u, cache, sizeof cache, err, errsz) < 0)
		return 404;
	/* read again when a run that did not verify removed it meanwhile */
	for (int tries = 0; tries < 2; tries++, fresh = 1) {
		if (fresh || access(cache, F_OK) != 0) {
			int code = fetch_sumdb(d->st, d->owner, d->key.name, path, d->c, err, errsz);
			d->unreachable |= code != 200;
			if (code != 200)
				return code;
		}
		if (read_file(cache, SUMDB_BODY_MAX, data, len) == 0)
			return buf_add(&d->seen, cache, strlen(cache) + 1) < 0 ? ERR(500, "out of memory") : 200;
		if (errno != ENOENT)
			break;
	}
	return ERR(500, "unable to read '%s': %s", cache, strerror(errno));
}

/* After a run that did not verify (not one that could not reach the
 * database), the cache keeps nothing it read: one wrong answer (a tile, a
 * lookup) would otherwise fail every later run, and be served on to the
 * go command; the next run asks again.  The go command's client, too,
 * keeps only the tiles it verified. */
static void updb_forget(struct updb *d)
{
	for (size_t i = 0; i < d->seen.len; i += strlen(d->seen.p + i) + 1)
		unlink(d->seen.p + i);
}

/* Does a full tile hash to the hash its parent tile holds for it?  The
 * database's tiles are taken only so: the tiles the tree's own hash is
 * computed from are the partial ones at the right edge (updb_tree_ok
 * checks them), and every full tile hangs below one of them.  Without
 * it a database could serve one history where a consistency check reads
 * and another where an inclusion proof reads (tlog.TileHashReader checks
 * the same).  0, or -1 with d->err set. */
static int updb_hash(void *ctx, int level, int64_t index, unsigned char out[TLOG_HASH]);

static int updb_tile_ok(struct updb *d, const struct tlog_tile *t, const unsigned char *data, const char *path)
{
	unsigned char l[TLOG_HASH], r[TLOG_HASH], mine[TLOG_HASH], parent[TLOG_HASH];
	int top = t->l * t->h + t->h - 1;
	if (t->w != 1 << t->h)
		return 0;
	if (tlog_tile_hash(t, data, top, 2 * t->n, l) < 0 || tlog_tile_hash(t, data, top, 2 * t->n + 1, r) < 0 ||
	    updb_hash(d, top + 1, t->n, parent) < 0)
		return -1;
	tlog_node_hash(l, r, mine);
	if (memcmp(mine, parent, TLOG_HASH) == 0)
		return 0;
	return errset(d->err, d->errsz, -1, "SECURITY: the upstream checksum database %s: its %s does not hash to "
	              "the hash its parent tile holds for it", d->key.name, path);
}

/* tlog_get_fn: a hash of the tree of d->n records, from its tile */
static int updb_hash(void *ctx, int level, int64_t index, unsigned char out[TLOG_HASH])
{
	struct updb *d = ctx;
	struct tlog_tile t;
	char path[128], *data = NULL;
	size_t len;
	tlog_tile_for(TLOG_TILE_H, d->n, level, index, &t);
	tlog_tile_path(&t, path, sizeof path);
	int code = updb_read(d, path, 0, &data, &len);
	int rc = code == 200 && len == (size_t)t.w * TLOG_HASH &&
	         tlog_tile_hash(&t, (unsigned char *)data, level, index, out) == 0 ? 0 : -1;
	if (code == 200 && rc < 0)
		errset(d->err, d->errsz, 502, "%s: not a tile of %d hashes", path, t.w);
	if (rc == 0)
		rc = updb_tile_ok(d, &t, (unsigned char *)data, path);
	free(data);
	return rc;
}

/* Do the tiles of the tree of n records hash to its signed root?  Then
 * its partial tiles are the tree's, and through them (updb_tile_ok) the
 * full ones.  200 or 502. */
static int updb_tree_ok(struct updb *d, int64_t n, const unsigned char root[TLOG_HASH])
{
	unsigned char h[TLOG_HASH];
	d->n = n;
	if (tlog_tree_hash(updb_hash, d, n, -1, NULL, h) < 0)
		return 502;
	if (memcmp(h, root, TLOG_HASH) != 0)
		return errset(d->err, d->errsz, 502, "SECURITY: the upstream checksum database %s: its tiles do not "
		              "hash to its signed tree of %lld records", d->key.name, (long long)n);
	return 200;
}

/* A signed tree head: signed by the key, parsed.  200 or 502. */
static int updb_tree(struct updb *d, const char *note, size_t len, int64_t *n, unsigned char root[TLOG_HASH])
{
	size_t tl;
	const char *why = note_open(note, len, &d->key, &tl);
	if (!why && tlog_tree_parse(note, tl, n, root) < 0)
		why = "not a tree head";
	return why ? errset(d->err, d->errsz, 502, "SECURITY: the upstream checksum database %s: its signed tree "
	                    "head: %s", d->key.name, why) : 200;
}

/* The directory of path, locked (flock) for this process: its fd, or -1
 * with errno.  Concurrent runs each check their tree against the one
 * verified before and keep theirs when larger: unserialised, a smaller
 * one written last would step the verified tree back. */
static int lock_dir(const char *path)
{
	char dir[FILE_PATH_MAX];
	snprintf(dir, sizeof dir, "%s", path);
	*strrchr(dir, '/') = 0;
	if (mkdir_p(dir, STORE_MODE_DIR) < 0)
		return -1;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc;
	while ((rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
		;
	if (rc < 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* The tree (n, root) and the one verified before (kept as "verified" in
 * the cache: not a protocol path) must be one the other's prefix: the
 * smaller one's hash computed from the larger one's tiles.  Then the
 * larger one is kept; all of it under lock_dir. */
static int updb_consistent(struct updb *d, const char *note, size_t len, int64_t n,
                           const unsigned char root[TLOG_HASH])
{
	char cache[FILE_PATH_MAX], *old = NULL;
	size_t ol;
	struct upstream u;
	int64_t m;
	unsigned char oroot[TLOG_HASH], h[TLOG_HASH];
	if (fetch_sumdb_cache(d->st, d->owner, d->key.name, "verified", &u, cache, sizeof cache, d->err, d->errsz) < 0)
		return 404;
	int lk = lock_dir(cache);
	if (lk < 0)
		return errset(d->err, d->errsz, 500, "unable to lock '%s': %s", cache, strerror(errno));
	int have = read_file(cache, SUMDB_BODY_MAX, &old, &ol) == 0;
	int code = have ? updb_tree(d, old, ol, &m, oroot) : 200;
	if (code == 200 && have)
		code = m > n ? updb_tree_ok(d, m, oroot) : updb_tree_ok(d, n, root);
	if (code == 200 && have) {
		if (tlog_tree_hash(updb_hash, d, m < n ? m : n, -1, NULL, h) < 0)
			code = 502;
		else if (memcmp(h, m < n ? oroot : root, TLOG_HASH) != 0)
			code = errset(d->err, d->errsz, 502, "SECURITY: the upstream checksum database %s: its tree of "
			              "%lld records is not consistent with the tree of %lld verified before",
			              d->key.name, (long long)n, (long long)m);
	}
	free(old);
	char *slash = strrchr(cache, '/');
	*slash = 0;
	if (code == 200 && (!have || n > m) && store_write_file(d->st, cache, slash + 1, note, len) < 0)
		code = errset(d->err, d->errsz, 500, "unable to keep '%s/verified': %s", cache, strerror(errno));
	close(lk);
	return code;
}

/* Is text exactly "M V h1:…\nM V/go.mod h1:…\n"? */
static int lines_are(const char *text, const char *module, const char *version)
{
	const char *p = text;
	for (int i = 0; i < 2; i++) {
		size_t ml = strlen(module), vl = strlen(version);
		if (strncmp(p, module, ml) || p[ml] != ' ' || strncmp(p + ml + 1, version, vl))
			return 0;
		p += ml + 1 + vl;
		if (i == 1) {
			if (strncmp(p, "/go.mod", 7))
				return 0;
			p += 7;
		}
		if (strncmp(p, " h1:", 4))
			return 0;
		p += 4 + strcspn(p + 4, " \n");
		if (*p++ != '\n')
			return 0;
	}
	return *p == 0;
}

/* lookup/M@V: "ID\nTEXT\n" then the signed tree head; TEXT must be
 * exactly M@V's two go.sum lines. */
static int updb_lookup(struct updb *d, const char *module, const char *version, struct buf *text)
{
	char em[ESCAPED_MAX + 1], ev[2 * VERSION_MAX + 1], path[SUMDB_PATH_MAX], *data = NULL;
	size_t len;
	int64_t n, id;
	unsigned char root[TLOG_HASH], leaf[TLOG_HASH];
	char *err = d->err;
	size_t errsz = d->errsz;
	if (modpath_escape_path(module, em, sizeof em, NULL) < 0 ||
	    modpath_escape_version(version, ev, sizeof ev, NULL) < 0 ||
	    fmt(path, sizeof path, "lookup/%s@%s", em, ev) < 0)
		return ERR(404, "%s@%s: cannot be escaped", module, version);
	int code = updb_read(d, path, 0, &data, &len);
	char *nl = code == 200 ? memchr(data, '\n', len) : NULL, *end = nl ? strstr(nl + 1, "\n\n") : NULL;
	if (code == 200 && (!end || sscanf(data, "%lld", (long long *)&id) != 1 || id < 0))
		code = ERR(502, "the upstream checksum database's lookup of %s@%s is malformed", module, version);
	if (code == 200 && (code = updb_tree(d, end + 2, len - (size_t)(end + 2 - data), &n, root)) == 200) {
		text->len = 0;
		if (buf_add(text, nl + 1, (size_t)(end + 1 - (nl + 1))) < 0 || buf_add(text, "", 1) < 0)
			code = ERR(500, "out of memory");
		else if (text->len--, !lines_are(text->p, module, version))
			code = ERR(502, "the upstream checksum database's record %lld is not %s@%s's", (long long)id,
			           module, version);
	}
	if (code == 200) {
		tlog_record_hash(text->p, text->len, leaf);
		d->n = n;
		unsigned char got[TLOG_HASH];
		if (id >= n || tlog_tree_hash(updb_hash, d, n, id, leaf, got) < 0 || memcmp(got, root, TLOG_HASH))
			code = ERR(502, "SECURITY: the upstream checksum database %s: the record of %s@%s is not in its "
			           "signed tree", d->key.name, module, version);
	}
	if (code == 200)
		code = updb_consistent(d, end + 2, len - (size_t)(end + 2 - data), n, root);
	free(data);
	return code;
}

int fetch_sum_lines(const struct store *st, const char *owner, const char *module, const char *version,
                    const struct fetch_client *c, struct buf *text, char *err, size_t errsz)
{
	struct upstream u;
	struct updb d = {.st = st, .owner = owner, .c = c, .err = err, .errsz = errsz};
	int code = fetch_eligible(st, owner, module, &u, err, errsz);
	if (code != 200)
		return code;
	if (!*u.sumdb_key)
		return ERR(404, "%s has no upstream checksum database", owner);
	const char *why = note_verifier_parse(u.sumdb_key, &d.key);
	if (why)
		return ERR(500, "the upstream checksum database's key: %s", why);
	code = updb_lookup(&d, module, version, text);
	if (code == 502 && !d.unreachable)
		updb_forget(&d);
	buf_free(&d.seen);
	return code;
}

/* Add the verified lines under the owner's index lock, as a publish does:
 * every change to the owner (and goreg-admin backup's copy of it) is
 * serialised by that lock; the log looked at again under it. */
static int log_locked(const struct store *st, const char *owner, struct sumlog *l, const char *module,
                      const char *version, const struct buf *text, char *err, size_t errsz)
{
	struct tdb_context *idx = store_index_lock(st, owner, INDEX_CREATE);
	if (!idx)
		return ERR(500, "unable to lock the index of '%s': %s", owner, strerror(errno));
	int code = sumlog_begin(l, err, errsz);
	if (code == 200)
		code = sumlog_compare(l, module, version, text->p, text->len, err, errsz);
	if (code == 409)
		ERR(409, "%s@%s: the log has other hashes than the upstream database", module, version);
	else if (code == 404 && (code = sumlog_add(l, module, version, text->p, text->len, err, errsz)) == 200 &&
	         (code = sumlog_commit(l, err, errsz)) == 200)
		code = 201;
	sumlog_close(l);
	tdb_transaction_cancel(idx);
	tdb_close(idx);
	return code;
}

int fetch_sum_log(const struct store *st, const char *owner, const char *module, const char *version,
                  const struct fetch_client *c, char *err, size_t errsz)
{
	struct sumlog l;
	struct buf text = {0}, old = {0};
	int code = sumlog_open(st, owner, 1, &l, err, errsz);
	if (code == 200 && (code = sumlog_find(&l, module, version, &old, err, errsz)) == 404 &&
	    (code = fetch_sum_lines(st, owner, module, version, c, &text, err, errsz)) == 200)
		code = log_locked(st, owner, &l, module, version, &text, err, errsz);
	sumlog_close(&l);
	buf_free(&text);
	buf_free(&old);
	return code;
}
