/* The store's two writers (store.h, goreg-store(5)).
 *
 * Publish, in this order, so that a crash at any instant leaves either the
 * whole version or nothing that a reader accepts:
 *   1. .mod and .info written whole in ROOT/tmp, and they and the .zip
 *      the caller spooled there fsync'd;
 *   2. the owner's index transaction starts: its lock serialises every
 *      publisher, deleter and goreg-fsck of the owner;
 *   3. absent?  (no record with a .info; a .info without a record, left by
 *      a crash or a lost index, also counts as present: 409, never an
 *      overwrite of a version someone may have fetched; a record marked
 *      deleting is a delete cut short, finished here first);
 *   4. rename .zip, .mod, then .info: the file-tree GOPROXY sees a version
 *      only once its .info exists, and by then its .zip and .mod do;
 *   5. @v/list rewritten, @v and any new directory fsync'd;
 *   6. record and version list stored; when the owner keeps a checksum
 *      database (sumlog.h), the version's go.sum lines added to it and
 *      that committed (a version published before must have the lines
 *      logged then: 409 otherwise, checked at 3); then the index's
 *      transaction committed (tdb fsyncs): the HTTP side sees the version
 *      from here on.
 * store_get answers only for a version with both its record and its .info,
 * so between 4 and 6, or after a crash there, HTTP readers see nothing;
 * goreg-fsck --repair then adopts the whole version the tree holds, or,
 * when the owner's checksum database does not log it as the tree holds
 * it, sets it aside in lost+found.
 *
 * Delete, in two transactions of the same lock:
 *   1. the record marked deleting and the version dropped from the version
 *      list, committed: the HTTP side no longer lists nor serves it;
 *   2. @v/list rewritten, the .info removed (the file tree no longer has
 *      the version), then .mod and .zip, @v fsync'd, the record removed,
 *      committed.
 * A crash between or during them leaves a record marked deleting, which
 * nobody serves or lists, and which the next publish of that version,
 * delete of it, or goreg-fsck --repair completes.  (Had the files gone
 * before the one commit, a crash would leave the version listed but not
 * servable; had the record gone first, goreg-fsck could not tell a
 * deleted version from a lost record and would bring it back.) */
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tdb.h>

#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "gomod/semver.h"
#include "base/util.h"
#include "store/sumlog.h"

static TDB_DATA key_of(struct buf *b, const char *module, const char *version)
{
	if (store_key(b, STORE_KEY_VERSION, module, version) < 0)
		return (TDB_DATA){NULL, 0};
	return (TDB_DATA){(unsigned char *)b->p, b->len};
}

/* The version list file of the file-tree GOPROXY; removed with the last version. */
static int write_list_file(const struct store *st, const char *dir, char **v, size_t n)
{
	if (n == 0) {
		char p[FILE_PATH_MAX];
		if (fmt(p, sizeof p, "%s/list", dir) < 0 || (unlink(p) < 0 && errno != ENOENT))
			return -1;
		return fsync_path(dir);
	}
	struct buf b = {0};
	if (store_list_format(v, n, &b) < 0)
		return -1;
	int r = store_write_file(st, dir, "list", b.p, b.len);
	buf_free(&b);
	return r;
}

/* mkdir below base each missing component of sub; fsync every directory
 * whose entries changed, so the new ones survive a crash (ext4 and others
 * do not promise that a rename into a new directory is durable until the
 * directory's parent is synced). */
static int mkdirs_synced(const char *base, const char *sub)
{
	char p[FILE_PATH_MAX];
	if (fmt(p, sizeof p, "%s/%s", base, sub) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	size_t bl = strlen(base);
	for (char *s = p + bl + 1;; s++) {
		if (*s != '/' && *s != 0)
			continue;
		char c = *s;
		*s = 0;
		if (mkdir(p, STORE_MODE_DIR) == 0) {
			/* the new entry lives in the parent: sync the parent */
			char *slash = strrchr(p, '/');
			*slash = 0;
			int r = fsync_path(p);
			*slash = '/';
			if (r < 0)
				return -1;
		} else if (errno != EEXIST) {
			return -1;
		}
		*s = c;
		if (!c)
			break;
	}
	return 0;
}

/* The record under key: 1 and *vi, 0 if there is none, -1 if it is corrupt. */
static int fetch_rec(struct tdb_context *db, TDB_DATA key, struct verinfo *vi)
{
	TDB_DATA val = tdb_fetch(db, key);
	if (!val.dptr)
		return 0;
	int r = verinfo_decode((const char *)val.dptr, val.dsize, vi);
	free(val.dptr);
	return r < 0 ? -1 : 1;
}

/* Remove a version's files in the order given (the .info first), then
 * sync their directory.  0, or -1 with errno. */
static int unlink_version(const char *const path[3], const char *dir)
{
	for (int i = 0; i < 3; i++) {
		if (unlink(path[i]) < 0 && errno != ENOENT)
			return -1;
		if (i == 0)
			store_crash_point("delete-info");
	}
	if (fsync_path(dir) < 0 && errno != ENOENT)
		return -1;
	return 0;
}

/* One publish in progress: what its steps share, and what pub_unplace
 * and pub_end undo.  The steps are the numbered ones above; each returns
 * 0, or -1 with p->err filled. */
struct pub {
	const struct store *st;
	const char *owner, *zippath;
	const struct modzip_info *mi;
	store_owner_fn *still;          /* does the owner still exist? (NULL: not asked) */
	char *err;
	size_t errsz;
	char dir[FILE_PATH_MAX], sub[ESCAPED_MAX + 8], ownerdir[OWNER_PATH_MAX];
	char path[3][FILE_PATH_MAX];    /* the .zip, .mod and .info in place */
	char tmpf[2][OWNER_PATH_MAX];   /* the .mod and .info in tmp/ */
	int tfd[2];                     /* open (and locked) until renamed */
	int placed;                     /* files renamed into place so far */
	int in_txn, replace;
	struct tdb_context *db;
	char **list, **newlist;         /* the version list before and after */
	size_t nlist, nnew;
	struct buf k;
	TDB_DATA key;
	struct verinfo rec;             /* the version's record */
	struct sumlog log;              /* the owner's checksum database, if any */
	struct buf logrec;              /* the version's record in it */
	int has_log, logged;
	char info[STORE_INFO_MAX];      /* and the .info bytes the protocol serves */
};

#define PERR(code, ...) errset(p->err, p->errsz, (code), __VA_ARGS__)

/* Where the version's files go: 200, or 400 for a module path or
 * version the store cannot hold. */
static int pub_paths(struct pub *p)
{
	static const char *const ext[3] = {"zip", "mod", "info"};
	const struct modzip_info *mi = p->mi;
	char *err = p->err;
	size_t errsz = p->errsz;
	char em[ESCAPED_MAX + 1], ev[2 * VERSION_MAX + 1];
	if (modpath_escape_path(mi->module, em, sizeof em, NULL) < 0 ||
	    modpath_escape_version(mi->version, ev, sizeof ev, NULL) < 0)
		return ERR(400, "%s@%s: cannot be escaped", mi->module, mi->version);
	const char *why = store_check_module(mi->module);
	if (why)
		return ERR(400, "%s: %s", mi->module, why);
	if (fmt(p->ownerdir, sizeof p->ownerdir, "%s/%s", p->st->root, p->owner) < 0 ||
	    fmt(p->sub, sizeof p->sub, "%s/@v", em) < 0 ||
	    fmt(p->dir, sizeof p->dir, "%s/%s", p->ownerdir, p->sub) < 0)
		return ERR(400, "module path too long");
	for (int i = 0; i < 3; i++)
		if (fmt(p->path[i], sizeof p->path[i], "%s/%s.%s", p->dir, ev, ext[i]) < 0)
			return ERR(400, "module path too long");
	return 200;
}

/* The record and the .info, from the validated zip and the caller's
 * fields (vi: zip_sha256) */
static int pub_record(struct pub *p, const struct verinfo *vi, const char *uploader, int64_t now)
{
	const struct modzip_info *mi = p->mi;
	struct verinfo *rec = &p->rec;
	*rec = *vi;
	rec->deleting = 0;
	snprintf(rec->version, sizeof rec->version, "%s", mi->version);
	rec->time = now;
	rec->mod_size = mi->gomod_len;
	memcpy(rec->h1_zip, mi->h1_zip, sizeof rec->h1_zip);
	memcpy(rec->h1_mod, mi->h1_mod, sizeof rec->h1_mod);
	snprintf(rec->uploader, sizeof rec->uploader, "%s", uploader ? uploader : "");
	struct stat zst;
	if (stat(p->zippath, &zst) < 0)
		return PERR(-1, "unable to stat '%s': %s", p->zippath, strerror(errno));
	rec->zip_size = (uint64_t)zst.st_size;
	store_info_format(mi->version, now, p->info, sizeof p->info);
	return 0;
}

/* 1. the zip synced; the small files, complete and fsync'd, in tmp/;
 * their descriptors (and locks) stay open until they are renamed into
 * place */
static int pub_spool_small(struct pub *p)
{
	if (fsync_path(p->zippath) < 0)
		return PERR(-1, "unable to sync '%s': %s", p->zippath, strerror(errno));
	const void *data[2] = {p->mi->gomod, p->info};
	size_t len[2] = {p->mi->gomod_len, strlen(p->info)};
	for (int i = 0; i < 2; i++) {
		p->tfd[i] = store_tmp_create(p->st, "p", p->tmpf[i], sizeof p->tmpf[i]);
		if (p->tfd[i] < 0) {
			p->tmpf[i][0] = 0;
			return PERR(-1, "unable to create a file in '%s/tmp': %s", p->st->root, strerror(errno));
		}
		if (write_all(p->tfd[i], data[i], len[i]) < 0 || fsync(p->tfd[i]) < 0)
			return PERR(-1, "unable to write '%s': %s", p->tmpf[i], strerror(errno));
	}
	return 0;
}

/* the owner deleted while this upload ran: 409 */
static int pub_gone(struct pub *p)
{
	return PERR(409, "'%s' was deleted while this upload ran: not published", p->owner);
}

/* 2. the owner directory (it holds the lock), then the lock; an owner
 * deleted meanwhile gets no tree again (store_publish's still) */
static int pub_lock(struct pub *p)
{
	if (p->still && !p->still(p->st, p->owner))
		return pub_gone(p);
	if (mkdir(p->ownerdir, STORE_MODE_DIR) == 0) {
		if (fsync_path(p->st->root) < 0)
			return PERR(-1, "unable to sync '%s': %s", p->st->root, strerror(errno));
	} else if (errno != EEXIST)
		return PERR(-1, "unable to create '%s': %s", p->ownerdir, strerror(errno));
	char ipath[INDEX_PATH_MAX];
	snprintf(ipath, sizeof ipath, "%s/index.tdb", p->ownerdir);
	int fresh = store_path_exists(ipath) == 0;
	if (!(p->db = store_index_lock(p->st, p->owner, INDEX_CREATE))) {
		/* the owner's tree went while this waited for its lock:
		 * goreg-admin user delete set it aside */
		if (errno == ENOENT)
			return pub_gone(p);
		return PERR(-1, "unable to lock the index of '%s': %s", p->owner, strerror(errno));
	}
	p->in_txn = 1;
	if (p->still && !p->still(p->st, p->owner))
		return pub_gone(p);
	if (fresh && fsync_path(p->ownerdir) < 0)
		return PERR(-1, "unable to sync '%s': %s", p->ownerdir, strerror(errno));
	store_crash_point("publish-locked");
	return 0;
}

/* 3. exactly once: 200 to go on, 409 when the version exists, 500 */
static int pub_once(struct pub *p)
{
	const struct modzip_info *mi = p->mi;
	p->key = key_of(&p->k, mi->module, mi->version);
	if (!p->key.dptr)
		return PERR(500, "out of memory");
	struct verinfo old;
	int have_rec = fetch_rec(p->db, p->key, &old), have_info = store_path_exists(p->path[2]);
	if (have_rec > 0 && old.deleting) {
		/* a delete cut short, or between its two commits: finish it
		 * (its second step finds the record replaced and leaves the
		 * files alone), the .info first */
		const char *gone[3] = {p->path[2], p->path[1], p->path[0]};
		if (unlink_version(gone, p->dir) < 0)
			return PERR(500, "unable to remove the deleted %s@%s: %s", mi->module, mi->version,
			            strerror(errno));
		have_info = 0;
	}
	if (have_info < 0)
		return PERR(500, "unable to look at '%s': %s", p->path[2], strerror(errno));
	if (have_info) {
		if (have_rec)
			return PERR(409, "%s@%s already exists", mi->module, mi->version);
		return PERR(409, "%s@%s already exists in the file tree but not in the index "
		            "(goreg-fsck --repair adopts it, or sets it aside in lost+found when the owner's "
		            "checksum database does not log it: then upload it again)", mi->module, mi->version);
	}
	/* a record without a .info (finished above, or damage): replaced */
	p->replace = have_rec != 0;
	if (store_get_list(p->db, mi->module, &p->list, &p->nlist) < 0 ||
	    !(p->newlist = calloc(p->nlist + 1, sizeof *p->newlist)))
		return PERR(500, "out of memory");
	int listed = 0;
	for (size_t i = 0; i < p->nlist; i++) {
		p->newlist[p->nnew++] = p->list[i];
		listed |= strcmp(p->list[i], mi->version) == 0;
	}
	if (!listed) {
		/* into its place in the list's semver order, looked for from
		 * the top, where a new version mostly goes (a sort was
		 * O(n log n) comparisons of thousands of versions) */
		size_t at = p->nnew;
		while (at > 0 && semver_compare(p->newlist[at - 1], mi->version) > 0)
			at--;
		memmove(p->newlist + at + 1, p->newlist + at, (p->nnew - at) * sizeof *p->newlist);
		p->newlist[at] = (char *)mi->version;
		p->nnew++;
	}
	return 200;
}

/* 3, continued: with a checksum database, a version it logged before
 * (published, then deleted) comes back only with the same hashes */
static int pub_logged(struct pub *p)
{
	const struct modzip_info *mi = p->mi;
	int code = sumlog_open(p->st, p->owner, 1, &p->log, p->err, p->errsz);
	if (code == 404)
		return 200;
	p->has_log = code == 200;
	if (code != 200 || (code = sumlog_begin(&p->log, p->err, p->errsz)) != 200)
		return code;
	if (sumlog_record(mi->module, mi->version, mi->h1_zip, mi->h1_mod, &p->logrec) < 0)
		return PERR(500, "out of memory");
	code = sumlog_compare(&p->log, mi->module, mi->version, p->logrec.p, p->logrec.len, p->err, p->errsz);
	if (code == 409)
		PERR(409, "%s@%s was published before with other content (the checksum database keeps its "
		     "hashes forever: publish a new version)", mi->module, mi->version);
	p->logged = code == 200;
	return code == 404 ? 200 : code;
}

/* 4. files into place: .zip, .mod, and last the .info; 5. the file
 * tree's list; @v synced: the renames are durable before the commit that
 * makes them visible over HTTP */
static int pub_place(struct pub *p)
{
	static const char *const crash_after[3] = {"publish-zip", "publish-mod", "publish-info"};
	if (mkdirs_synced(p->ownerdir, p->sub) < 0)
		return PERR(-1, "unable to create '%s': %s", p->dir, strerror(errno));
	const char *src[3] = {p->zippath, p->tmpf[0], p->tmpf[1]};
	for (int i = 0; i < 3; i++) {
		if (rename(src[i], p->path[i]) < 0)
			return PERR(-1, "unable to rename into '%s': %s", p->path[i], strerror(errno));
		p->placed = i + 1;
		store_crash_point(crash_after[i]);
	}
	if (write_list_file(p->st, p->dir, p->newlist, p->nnew) < 0)
		return PERR(-1, "unable to write '%s/list': %s", p->dir, strerror(errno));
	store_crash_point("publish-list");
	return 0;
}

/* 6. metadata; the commit (fsync'd by tdb) makes the version visible */
static int pub_commit(struct pub *p)
{
	char recbuf[VERINFO_ENCODED_MAX];
	if (verinfo_encode(&p->rec, p->mi->gomod, p->mi->gomod_len, recbuf, sizeof recbuf) < 0 ||
	    tdb_store(p->db, p->key, (TDB_DATA){(unsigned char *)recbuf, strlen(recbuf)},
	              p->replace ? TDB_REPLACE : TDB_INSERT) != 0 ||
	    store_put_list(p->db, p->mi->module, p->newlist, p->nnew) != 0)
		return PERR(-1, "unable to store metadata: %s", tdb_errorstr(p->db));
	store_crash_point("publish-stored");
	if (p->has_log && !p->logged &&
	    (sumlog_add(&p->log, p->mi->module, p->mi->version, p->logrec.p, p->logrec.len, p->err, p->errsz) != 200 ||
	     sumlog_commit(&p->log, p->err, p->errsz) != 200))
		return -1;
	store_crash_point("publish-logged");
	p->in_txn = 0;
	if (tdb_transaction_commit(p->db) != 0)
		/* tdb has rolled the transaction back */
		return PERR(-1, "unable to commit metadata: %s", tdb_errorstr(p->db));
	store_crash_point("publish-committed");
	return 0;
}

/* A failed publish leaves nothing visible: the .info goes first, the zip
 * back to the spool (the caller's cleanup finds it there). */
static void pub_unplace(struct pub *p)
{
	if (p->placed >= 3)
		unlink(p->path[2]);
	if (p->placed >= 2)
		unlink(p->path[1]);
	if (p->placed >= 1)
		rename(p->path[0], p->zippath);
	if (p->placed)
		write_list_file(p->st, p->dir, p->list, p->nlist);
}

static void pub_end(struct pub *p)
{
	if (p->in_txn)
		tdb_transaction_cancel(p->db);
	for (int i = 0; i < 2; i++) {
		if (p->tfd[i] >= 0)
			close(p->tfd[i]);
		/* a renamed one's name is free again: another writer may have it */
		if (p->tmpf[i][0] && p->placed < i + 2)
			unlink(p->tmpf[i]);
	}
	buf_free(&p->k);
	buf_free(&p->logrec);
	sumlog_close(&p->log);
	free(p->newlist);
	store_list_free(p->list, p->nlist);
	if (p->db)
		tdb_close(p->db);
}

int store_publish(const struct store *st, const char *owner, const char *zippath,
                  const struct modzip_info *mi, const char *uploader, int64_t now, store_owner_fn *still,
                  struct verinfo *vi, char *err, size_t errsz)
{
	struct pub p = {.st = st, .owner = owner, .zippath = zippath, .mi = mi, .still = still, .err = err,
	                .errsz = errsz, .tfd = {-1, -1}};
	int code = pub_paths(&p);
	if (code != 200)
		return code;
	if (pub_record(&p, vi, uploader, now) < 0)
		return 500;
	code = 500;
	int lk = -1;
	if (pub_spool_small(&p) == 0 && (lk = pub_lock(&p)) == 0 && (code = pub_once(&p)) == 200 &&
	    (code = pub_logged(&p)) == 200) {
		if (pub_place(&p) == 0 && pub_commit(&p) == 0) {
			*vi = p.rec;
			code = 201;
		} else {
			pub_unplace(&p);
			code = 500;
		}
	}
	pub_end(&p);
	return lk > 0 ? lk : code;
}

/* One delete in progress (the steps above): 0, or -1 with d->err
 * filled; 1 when step 1 finds the delete finished by someone else. */
struct del {
	const struct store *st;
	const char *owner, *module, *version;
	char *err;
	size_t errsz;
	char dir[FILE_PATH_MAX], path[3][FILE_PATH_MAX]; /* .info .mod .zip */
	struct tdb_context *db;
	int in_txn;
	char **list;                    /* the version list without it */
	size_t n;
	struct buf k;
	TDB_DATA key;
	struct verinfo vi;
};

#define DERR(code, ...) errset(d->err, d->errsz, (code), __VA_ARGS__)

/* The version list without the version. */
static int del_list(struct del *d)
{
	store_list_free(d->list, d->n);
	d->list = NULL;
	d->n = 0;
	if (store_get_list(d->db, d->module, &d->list, &d->n) < 0)
		return DERR(-1, "out of memory");
	size_t j = 0;
	for (size_t i = 0; i < d->n; i++) {
		if (strcmp(d->list[i], d->version) == 0)
			free(d->list[i]);
		else
			d->list[j++] = d->list[i];
	}
	d->n = j;
	return 0;
}

/* 1. marked deleting, out of the version list, committed: gone for
 * HTTP; then the lock again for step 2 */
static int del_mark(struct del *d, int have_rec)
{
	char recbuf[VERINFO_ENCODED_MAX];
	if (have_rec <= 0) {
		memset(&d->vi, 0, sizeof d->vi);
		snprintf(d->vi.version, sizeof d->vi.version, "%s", d->version);
	}
	d->vi.deleting = 1;
	/* marked, the record need not keep the go.mod: it is not served */
	if (verinfo_encode(&d->vi, NULL, 0, recbuf, sizeof recbuf) < 0 ||
	    tdb_store(d->db, d->key, (TDB_DATA){(unsigned char *)recbuf, strlen(recbuf)}, TDB_REPLACE) != 0 ||
	    store_put_list(d->db, d->module, d->list, d->n) != 0)
		return DERR(-1, "unable to update metadata: %s", tdb_errorstr(d->db));
	d->in_txn = 0;
	if (tdb_transaction_commit(d->db) != 0)
		return DERR(-1, "unable to commit metadata: %s", tdb_errorstr(d->db));
	store_crash_point("delete-marked");
	tdb_close(d->db);
	if (!(d->db = store_index_lock(d->st, d->owner, INDEX_WRITE)))
		return DERR(-1, "unable to lock the index of '%s': %s", d->owner, strerror(errno));
	d->in_txn = 1;
	/* meanwhile a publish or goreg-fsck may have finished the delete
	 * (and a publish put the version back): then it is done */
	if (fetch_rec(d->db, d->key, &d->vi) <= 0 || !d->vi.deleting)
		return 1;
	return del_list(d);
}

/* 2. the files: the list, the .info, the rest; then the record */
static int del_files(struct del *d)
{
	const char *gone[3] = {d->path[0], d->path[1], d->path[2]};
	if (write_list_file(d->st, d->dir, d->list, d->n) < 0 && errno != ENOENT)
		return DERR(-1, "unable to update '%s/list': %s", d->dir, strerror(errno));
	if (unlink_version(gone, d->dir) < 0)
		return DERR(-1, "unable to remove %s@%s: %s", d->module, d->version, strerror(errno));
	store_crash_point("delete-files");
	if (tdb_delete(d->db, d->key) != 0)
		return DERR(-1, "unable to update metadata: %s", tdb_errorstr(d->db));
	/* a module's last version takes its directories with it (under the
	 * lock: publishers create them under it) */
	if (d->n == 0) {
		char ownerdir[OWNER_PATH_MAX];
		snprintf(ownerdir, sizeof ownerdir, "%s/%s", d->st->root, d->owner);
		store_prune_dirs(ownerdir, d->dir);
	}
	d->in_txn = 0;
	if (tdb_transaction_commit(d->db) != 0)
		return DERR(-1, "unable to commit metadata: %s", tdb_errorstr(d->db));
	return 0;
}

/* 204, 404, or 500 after the steps that could run; see del_*. */
static int del_run(struct del *d)
{
	d->key = key_of(&d->k, d->module, d->version);
	if (!d->key.dptr)
		return DERR(500, "out of memory");
	int have_rec = fetch_rec(d->db, d->key, &d->vi), have_info = store_path_exists(d->path[0]);
	if (have_info < 0)
		return DERR(500, "unable to look at '%s': %s", d->path[0], strerror(errno));
	/* Nothing a reader could see: 404.  A version the tree has and the
	 * index lost is deleted all the same: that is what was asked. */
	if (!have_rec && !have_info)
		return DERR(404, "%s@%s: not found", d->module, d->version);
	if (del_list(d) < 0)
		return 500;
	if (have_rec <= 0 || !d->vi.deleting) {
		int r = del_mark(d, have_rec);
		if (r != 0)
			return r > 0 ? 204 : 500;
	}
	return del_files(d) < 0 ? 500 : 204;
}

int store_delete(const struct store *st, const char *owner, const char *module,
                 const char *version, char *err, size_t errsz)
{
	static const char *const ext[3] = {"info", "mod", "zip"};
	struct del d = {.st = st, .owner = owner, .module = module, .version = version, .err = err,
	                .errsz = errsz};
	for (int i = 0; i < 3; i++)
		if (store_file_path(st, owner, module, version, ext[i], d.path[i], sizeof d.path[i]) < 0)
			return ERR(404, "%s@%s: not found", module, version);
	snprintf(d.dir, sizeof d.dir, "%s", d.path[0]);
	*strrchr(d.dir, '/') = 0;
	/* One delete of the owner at a time, from start to end: the index
	 * lock is let go between the two steps, and a second delete of the
	 * version that took it there would find the record marked, finish
	 * the delete and answer 204 as the first one does.  Under this lock a
	 * marked record is a delete that died, which a delete finishes (204);
	 * a delete that waited finds the version gone (404). */
	int lfd, code = store_owner_flock(st, owner, &lfd, err, errsz);
	if (code == 404)
		return ERR(404, "%s@%s: not found", module, version);
	if (code != 200)
		return code;
	if (!(d.db = store_index_lock(st, owner, INDEX_WRITE))) {
		code = errno == ENOENT ? ERR(404, "%s@%s: not found", module, version)
		       : ERR(500, "unable to lock the index of '%s': %s", owner, strerror(errno));
		close(lfd);
		return code;
	}
	d.in_txn = 1;
	code = del_run(&d);
	if (d.db && d.in_txn)
		tdb_transaction_cancel(d.db);
	buf_free(&d.k);
	store_list_free(d.list, d.n);
	if (d.db)
		tdb_close(d.db);
	close(lfd);
	return code;
}
