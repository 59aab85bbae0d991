/* The store's two writers (store.h, goreg-store(5)).
 *
 * Publish, in this order, so that a crash at any instant leaves either the
 * whole version or nothing that a reader accepts:
 *   1. .mod and .info written whole in ROOT/tmp and fsync'd (the .zip
 *      already is: the caller spooled it there);
 *   2. the owner's index transaction starts: its lock serialises every
 *      publisher, deleter and goreg-fsck of the owner;
 *   3. absent?  (no record with a .info; a .info without a record, left by
 *      a crash or a lost index, also counts as present: 409, never an
 *      overwrite of a version someone may have fetched; a record marked
 *      deleting is a delete cut short, finished here first);
 *   4. rename .zip, .mod, then .info: the file-tree GOPROXY sees a version
 *      only once its .info exists, and by then its .zip and .mod do;
 *   5. @v/list rewritten, @v and any new directory fsync'd;
 *   6. record and version list stored, transaction committed (tdb fsyncs):
 *      the HTTP side sees the version from here on.
 * store_get answers only for a version with both its record and its .info,
 * so between 4 and 6, or after a crash there, HTTP readers see nothing;
 * goreg-fsck --repair then adopts the whole version the tree holds.
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
#include <sys/stat.h>
#include <unistd.h>
#include <tdb.h>

#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "gomod/semver.h"
#include "base/util.h"

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
		if (mkdir(p, 0755) == 0) {
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

int store_publish(const struct store *st, const char *owner, const char *zippath,
                  const struct modzip_info *mi, const char *uploader, int64_t now,
                  struct verinfo *vi, char *err, size_t errsz)
{
	char dir[FILE_PATH_MAX], sub[ESCAPED_MAX + 8], ownerdir[OWNER_PATH_MAX], path[3][FILE_PATH_MAX], tmpf[2][OWNER_PATH_MAX];
	static const char *const ext[3] = {"zip", "mod", "info"};
	static const char *const crash_after[3] = {"publish-zip", "publish-mod", "publish-info"};
	char em[ESCAPED_MAX + 1], ev[2 * VERSION_MAX + 1];
	int code = 500, placed = 0, tfd[2] = {-1, -1}, in_txn = 0, replace = 0;
	struct tdb_context *db = NULL;
	char **list = NULL, **newlist = NULL;
	size_t nlist = 0, nnew = 0;
	struct buf k = {0};
	tmpf[0][0] = tmpf[1][0] = 0;

	if (modpath_escape_path(mi->module, em, sizeof em, NULL) < 0 ||
	    modpath_escape_version(mi->version, ev, sizeof ev, NULL) < 0)
		return ERR(400, "%s@%s: cannot be escaped", mi->module, mi->version);
	const char *why = store_check_module(mi->module);
	if (why)
		return ERR(400, "%s: %s", mi->module, why);
	if (fmt(ownerdir, sizeof ownerdir, "%s/%s", st->root, owner) < 0 ||
	    fmt(sub, sizeof sub, "%s/@v", em) < 0 || fmt(dir, sizeof dir, "%s/%s", ownerdir, sub) < 0)
		return ERR(400, "module path too long");
	for (int i = 0; i < 3; i++)
		if (fmt(path[i], sizeof path[i], "%s/%s.%s", dir, ev, ext[i]) < 0)
			return ERR(400, "module path too long");

	/* the record, and the .info bytes the protocol serves */
	struct verinfo rec = *vi;
	rec.deleting = 0;
	snprintf(rec.version, sizeof rec.version, "%s", mi->version);
	rec.time = now;
	rec.mod_size = mi->gomod_len;
	memcpy(rec.h1_zip, mi->h1_zip, sizeof rec.h1_zip);
	memcpy(rec.h1_mod, mi->h1_mod, sizeof rec.h1_mod);
	snprintf(rec.uploader, sizeof rec.uploader, "%s", uploader ? uploader : "");
	struct stat zst;
	if (stat(zippath, &zst) < 0)
		return ERR(500, "unable to stat '%s': %s", zippath, strerror(errno));
	rec.zip_size = (uint64_t)zst.st_size;
	char info[STORE_INFO_MAX];
	store_info_format(mi->version, now, info, sizeof info);

	/* 1. the small files, complete and fsync'd, in tmp/; their descriptors
	 * (and locks) stay open until they are renamed into place */
	const void *data[2] = {mi->gomod, info};
	size_t len[2] = {mi->gomod_len, strlen(info)};
	for (int i = 0; i < 2; i++) {
		tfd[i] = store_tmp_create(st, "p", tmpf[i], sizeof tmpf[i]);
		if (tfd[i] < 0) {
			tmpf[i][0] = 0;
			snprintf(err, errsz, "unable to create a file in '%s/tmp': %s", st->root, strerror(errno));
			goto out;
		}
		if (write_all(tfd[i], data[i], len[i]) < 0 || fsync(tfd[i]) < 0) {
			snprintf(err, errsz, "unable to write '%s': %s", tmpf[i], strerror(errno));
			goto out;
		}
	}

	/* 2. the owner directory (it holds the lock), then the lock */
	if (mkdir(ownerdir, 0755) == 0) {
		if (fsync_path(st->root) < 0) {
			snprintf(err, errsz, "unable to sync '%s': %s", st->root, strerror(errno));
			goto out;
		}
	} else if (errno != EEXIST) {
		snprintf(err, errsz, "unable to create '%s': %s", ownerdir, strerror(errno));
		goto out;
	}
	char ipath[INDEX_PATH_MAX];
	snprintf(ipath, sizeof ipath, "%s/index.tdb", ownerdir);
	int fresh = store_path_exists(ipath) == 0;
	if (!(db = store_index_lock(st, owner, INDEX_CREATE))) {
		snprintf(err, errsz, "unable to lock the index of '%s': %s", owner, strerror(errno));
		goto out;
	}
	in_txn = 1;
	if (fresh && fsync_path(ownerdir) < 0) {
		snprintf(err, errsz, "unable to sync '%s': %s", ownerdir, strerror(errno));
		goto out;
	}
	store_crash_point("publish-locked");

	/* 3. exactly once */
	TDB_DATA key = key_of(&k, mi->module, mi->version);
	if (!key.dptr) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	struct verinfo old;
	int have_rec = fetch_rec(db, key, &old), have_info = store_path_exists(path[2]);
	if (have_rec > 0 && old.deleting) {
		/* a delete cut short, or between its two commits: finish it
		 * (its second step finds the record replaced and leaves the
		 * files alone), the .info first */
		const char *gone[3] = {path[2], path[1], path[0]};
		if (unlink_version(gone, dir) < 0) {
			snprintf(err, errsz, "unable to remove the deleted %s@%s: %s", mi->module, mi->version,
			         strerror(errno));
			goto out;
		}
		have_info = 0;
	}
	if (have_info < 0) {
		snprintf(err, errsz, "unable to look at '%s': %s", path[2], strerror(errno));
		goto out;
	}
	if (have_info) {
		code = 409;
		if (have_rec)
			snprintf(err, errsz, "%s@%s already exists", mi->module, mi->version);
		else
			snprintf(err, errsz, "%s@%s already exists in the file tree but not in the index "
			         "(goreg-fsck --repair adopts it)", mi->module, mi->version);
		goto out;
	}
	/* a record without a .info (finished above, or damage): replaced */
	replace = have_rec != 0;
	if (store_get_list(db, mi->module, &list, &nlist) < 0 || !(newlist = calloc(nlist + 1, sizeof *newlist))) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	int listed = 0;
	for (size_t i = 0; i < nlist; i++) {
		newlist[nnew++] = list[i];
		listed |= strcmp(list[i], mi->version) == 0;
	}
	if (!listed) {
		newlist[nnew++] = (char *)mi->version;
		qsort(newlist, nnew, sizeof *newlist, semver_qsort_cmp);
	}

	/* 4. files into place: .zip, .mod, and last the .info */
	if (mkdirs_synced(ownerdir, sub) < 0) {
		snprintf(err, errsz, "unable to create '%s': %s", dir, strerror(errno));
		goto out;
	}
	const char *src[3] = {zippath, tmpf[0], tmpf[1]};
	for (int i = 0; i < 3; i++) {
		if (rename(src[i], path[i]) < 0) {
			snprintf(err, errsz, "unable to rename into '%s': %s", path[i], strerror(errno));
			goto unplace;
		}
		placed = i + 1;
		store_crash_point(crash_after[i]);
	}
	/* 5. the file tree's list; @v synced: the renames are durable
	 * before the commit that makes them visible over HTTP */
	if (write_list_file(st, dir, newlist, nnew) < 0) {
		snprintf(err, errsz, "unable to write '%s/list': %s", dir, strerror(errno));
		goto unplace;
	}
	store_crash_point("publish-list");

	/* 6. metadata; the commit (fsync'd by tdb) makes the version visible */
	char recbuf[1024];
	if (verinfo_encode(&rec, recbuf, sizeof recbuf) < 0 ||
	    tdb_store(db, key, (TDB_DATA){(unsigned char *)recbuf, strlen(recbuf)},
	              replace ? TDB_REPLACE : TDB_INSERT) != 0 ||
	    store_put_list(db, mi->module, newlist, nnew) != 0) {
		snprintf(err, errsz, "unable to store metadata: %s", tdb_errorstr(db));
		goto unplace;
	}
	store_crash_point("publish-stored");
	in_txn = 0;
	if (tdb_transaction_commit(db) != 0) {
		/* tdb has rolled the transaction back */
		snprintf(err, errsz, "unable to commit metadata: %s", tdb_errorstr(db));
		goto unplace;
	}
	store_crash_point("publish-committed");
	*vi = rec;
	code = 201;
	goto out;

unplace:
	/* a failed publish leaves nothing visible: the .info goes first, the
	 * zip back to the spool (the caller's cleanup finds it there) */
	if (placed >= 3)
		unlink(path[2]);
	if (placed >= 2)
		unlink(path[1]);
	if (placed >= 1)
		rename(path[0], zippath);
	if (placed)
		write_list_file(st, dir, list, nlist);
out:
	if (in_txn)
		tdb_transaction_cancel(db);
	for (int i = 0; i < 2; i++) {
		if (tfd[i] >= 0)
			close(tfd[i]);
		/* a renamed one's name is free again: another writer may have it */
		if (tmpf[i][0] && placed < i + 2)
			unlink(tmpf[i]);
	}
	buf_free(&k);
	free(newlist);
	store_list_free(list, nlist);
	if (db)
		tdb_close(db);
	return code;
}

int store_delete(const struct store *st, const char *owner, const char *module,
                 const char *version, char *err, size_t errsz)
{
	char dir[FILE_PATH_MAX], ownerdir[OWNER_PATH_MAX], path[3][FILE_PATH_MAX];
	static const char *const ext[3] = {"info", "mod", "zip"};
	for (int i = 0; i < 3; i++)
		if (store_file_path(st, owner, module, version, ext[i], path[i], sizeof path[i]) < 0)
			return ERR(404, "%s@%s: not found", module, version);
	snprintf(dir, sizeof dir, "%s", path[0]);
	*strrchr(dir, '/') = 0;
	snprintf(ownerdir, sizeof ownerdir, "%s/%s", st->root, owner);
	struct tdb_context *db = store_index_lock(st, owner, INDEX_WRITE);
	if (!db) {
		if (errno == ENOENT)
			return ERR(404, "%s@%s: not found", module, version);
		return ERR(500, "unable to lock the index of '%s': %s", owner, strerror(errno));
	}
	int code = 500, in_txn = 1;
	char **list = NULL;
	size_t n = 0;
	struct buf k = {0};
	struct verinfo vi;
	TDB_DATA key = key_of(&k, module, version);
	if (!key.dptr) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	int have_rec = fetch_rec(db, key, &vi), have_info = store_path_exists(path[0]);
	if (have_info < 0) {
		snprintf(err, errsz, "unable to look at '%s': %s", path[0], strerror(errno));
		goto out;
	}
	/* Nothing a reader could see: 404.  A version the tree has and the
	 * index lost is deleted all the same: that is what was asked. */
	if (!have_rec && !have_info) {
		code = 404;
		snprintf(err, errsz, "%s@%s: not found", module, version);
		goto out;
	}
	if (store_get_list(db, module, &list, &n) < 0) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i], version) == 0)
			free(list[i]);
		else
			list[j++] = list[i];
	}
	n = j;

	/* 1. marked deleting, out of the version list: gone for HTTP */
	if (have_rec <= 0 || !vi.deleting) {
		char recbuf[1024];
		if (have_rec <= 0) {
			memset(&vi, 0, sizeof vi);
			snprintf(vi.version, sizeof vi.version, "%s", version);
		}
		vi.deleting = 1;
		if (verinfo_encode(&vi, recbuf, sizeof recbuf) < 0 ||
		    tdb_store(db, key, (TDB_DATA){(unsigned char *)recbuf, strlen(recbuf)}, TDB_REPLACE) != 0 ||
		    store_put_list(db, module, list, n) != 0) {
			snprintf(err, errsz, "unable to update metadata: %s", tdb_errorstr(db));
			goto out;
		}
		in_txn = 0;
		if (tdb_transaction_commit(db) != 0) {
			snprintf(err, errsz, "unable to commit metadata: %s", tdb_errorstr(db));
			goto out;
		}
		store_crash_point("delete-marked");
		tdb_close(db);
		if (!(db = store_index_lock(st, owner, INDEX_WRITE))) {
			snprintf(err, errsz, "unable to lock the index of '%s': %s", owner, strerror(errno));
			goto out;
		}
		in_txn = 1;
		/* meanwhile a publish or goreg-fsck may have finished the delete
		 * (and a publish put the version back): then it is done */
		if (fetch_rec(db, key, &vi) <= 0 || !vi.deleting) {
			code = 204;
			goto out;
		}
		store_list_free(list, n);
		list = NULL;
		n = 0;
		if (store_get_list(db, module, &list, &n) < 0) {
			snprintf(err, errsz, "out of memory");
			goto out;
		}
	}

	/* 2. the files: the list, the .info, the rest; then the record */
	const char *gone[3] = {path[0], path[1], path[2]};
	if (write_list_file(st, dir, list, n) < 0 && errno != ENOENT) {
		snprintf(err, errsz, "unable to update '%s/list': %s", dir, strerror(errno));
		goto out;
	}
	if (unlink_version(gone, dir) < 0) {
		snprintf(err, errsz, "unable to remove %s@%s: %s", module, version, strerror(errno));
		goto out;
	}
	store_crash_point("delete-files");
	if (tdb_delete(db, key) != 0) {
		snprintf(err, errsz, "unable to update metadata: %s", tdb_errorstr(db));
		goto out;
	}
	/* a module's last version takes its directories with it (under the
	 * lock: publishers create them under it) */
	if (n == 0)
		store_prune_dirs(ownerdir, dir);
	in_txn = 0;
	if (tdb_transaction_commit(db) != 0) {
		snprintf(err, errsz, "unable to commit metadata: %s", tdb_errorstr(db));
		goto out;
	}
	code = 204;
out:
	if (db && in_txn)
		tdb_transaction_cancel(db);
	buf_free(&k);
	store_list_free(list, n);
	if (db)
		tdb_close(db);
	return code;
}
