/* store_backup (store.h): a copy of a store that is serving, each tdb file
 * copied while its transaction lock is held, so that no commit lands
 * half in the copy: goreg.tdb under its own lock, and each owner's whole
 * tree under its index's lock (publish and delete change an owner's
 * files only while they hold it).  Modes and times are kept. */
#include "store/refusal.h"
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <tdb.h>
#include <unistd.h>

#include "base/util.h"

struct bk {
	const struct store *st;
	const char *dst;
	struct store_backup_counts *n;
	char *err;
	size_t errsz;
};

/* Copy one regular file, its mode and times; a file that is gone by now
 * is skipped (tmp/ files of a writer are not copied at all). */
static int copy_file(struct bk *b, const char *src, const char *dst, int audit_log)
{
	char *err = b->err;
	size_t errsz = b->errsz;
	int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (in < 0)
		return errno == ENOENT ? 0 : ERR(-1, "unable to open '%s': %s", src, strerror(errno));
	struct stat sb;
	if (fstat(in, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(in);
		return 0;
	}
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, sb.st_mode & 0777);
	if (out < 0) {
		close(in);
		return ERR(-1, "unable to create '%s': %s", dst, strerror(errno));
	}
	char buf[IO_CHUNK];
	ssize_t r;
	off_t len = 0, last_nl = 0;
	while ((r = read(in, buf, sizeof buf)) > 0) {
		for (ssize_t i = 0; i < r; i++)
			if (buf[i] == '\n')
				last_nl = len + i + 1;
		len += r;
		if (write_all(out, buf, (size_t)r) < 0)
			break;
	}
	/* the audit log's records are whole lines: not one half-appended */
	int bad = r != 0 || (audit_log && ftruncate(out, last_nl) != 0);
	struct timespec ts[2] = {sb.st_atim, sb.st_mtim};
	bad = bad || fchmod(out, sb.st_mode & 0777) != 0 || futimens(out, ts) != 0 || fsync(out) != 0;
	int e = errno;
	close(in);
	if (close(out) != 0 || bad)
		return ERR(-1, "unable to copy '%s' to '%s': %s", src, dst, strerror(bad ? e : errno));
	b->n->files++;
	b->n->bytes += (unsigned long long)len;
	return 0;
}

static int copy_tree(struct bk *b, const char *src, const char *dst, const char *skip);

/* One entry of a tree: a directory (recursively), a regular file, or
 * nothing (another kind of file is no part of a store). */
static int copy_entry(struct bk *b, const char *src, const char *dst, const char *skip)
{
	char *err = b->err;
	size_t errsz = b->errsz;
	struct stat sb;
	if (lstat(src, &sb) != 0)
		return errno == ENOENT ? 0 : ERR(-1, "unable to look at '%s': %s", src, strerror(errno));
	if (S_ISREG(sb.st_mode))
		return copy_file(b, src, dst, 0);
	if (!S_ISDIR(sb.st_mode))
		return 0;
	if (mkdir(dst, sb.st_mode & 0777) != 0 || chmod(dst, sb.st_mode & 0777) != 0)
		return ERR(-1, "unable to create '%s': %s", dst, strerror(errno));
	return copy_tree(b, src, dst, skip);
}

/* Every entry of directory src into dst (made), but the one named skip. */
static int copy_tree(struct bk *b, const char *src, const char *dst, const char *skip)
{
	char *err = b->err;
	size_t errsz = b->errsz;
	size_t n;
	char **names = dir_names(src, &n);
	if (!names)
		return errno == ENOENT ? 0 : ERR(-1, "unable to read '%s': %s", src, strerror(errno));
	int rc = 0;
	char s[SCAN_PATH_MAX], d[SCAN_PATH_MAX];
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (skip && strcmp(names[i], skip) == 0)
			continue;
		if (fmt(s, sizeof s, "%s/%s", src, names[i]) < 0 || fmt(d, sizeof d, "%s/%s", dst, names[i]) < 0)
			rc = ERR(-1, "path too long below '%s'", src);
		else
			rc = copy_entry(b, s, d, NULL);
	}
	strv_free(names, n);
	if (rc == 0 && fsync_path(dst) != 0)
		rc = ERR(-1, "unable to sync '%s': %s", dst, strerror(errno));
	return rc;
}

/* A tdb file's bytes, taken while this process holds its transaction
 * lock (db), and then what else is below its directory (owner trees). */
static int copy_locked(struct bk *b, struct tdb_context *db, const char *src_dir, const char *dst_dir,
                       const char *name, int tree)
{
	char s[SCAN_PATH_MAX], d[SCAN_PATH_MAX];
	int rc = 0;
	if (tree)
		rc = copy_entry(b, src_dir, dst_dir, name);
	if (rc == 0 && (fmt(s, sizeof s, "%s/%s", src_dir, name) < 0 || fmt(d, sizeof d, "%s/%s", dst_dir, name) < 0))
		rc = errset(b->err, b->errsz, -1, "path too long below '%s'", src_dir);
	if (rc == 0)
		rc = copy_file(b, s, d, 0);
	tdb_transaction_cancel(db);
	tdb_close(db);
	return rc;
}

/* ROOT/goreg.tdb, under its lock */
static int copy_accounts(struct bk *b)
{
	char *err = b->err;
	size_t errsz = b->errsz;
	char path[ROOT_PATH_MAX];
	if (fmt(path, sizeof path, "%s/goreg.tdb", b->st->root) < 0)
		return ERR(-1, "store root too long");
	struct tdb_context *db = store_tdb_open(path, 0, INDEX_WRITE, STORE_MODE_SECRET);
	if (!db)
		return errno == ENOENT ? 0 : ERR(-1, "unable to open '%s': %s", path, strerror(errno));
	if (tdb_transaction_start(db) != 0) {
		tdb_close(db);
		return ERR(-1, "unable to lock '%s': %s", path, strerror(ENOLCK));
	}
	return copy_locked(b, db, b->st->root, b->dst, "goreg.tdb", 0);
}

/* ROOT/OWNER, all of it, under the owner's lock (or without one, for a
 * directory that has no index) */
static int copy_owner(struct bk *b, const char *owner)
{
	char *err = b->err;
	size_t errsz = b->errsz;
	char s[OWNER_PATH_MAX], d[SCAN_PATH_MAX];
	if (fmt(s, sizeof s, "%s/%s", b->st->root, owner) < 0 || fmt(d, sizeof d, "%s/%s", b->dst, owner) < 0)
		return ERR(-1, "path too long for owner '%s'", owner);
	struct tdb_context *db = store_index_lock(b->st, owner, INDEX_WRITE);
	if (!db && errno != ENOENT)
		return ERR(-1, "unable to lock the index of '%s': %s", owner, strerror(errno));
	b->n->owners++;
	if (!db)
		return copy_entry(b, s, d, NULL);
	return copy_locked(b, db, s, d, STORE_INDEX_FILE, 1);
}

static int copy_top(struct bk *b)
{
	char *err = b->err;
	size_t errsz = b->errsz;
	size_t n;
	char **names = dir_names(b->st->root, &n);
	if (!names)
		return ERR(-1, "unable to read '%s': %s", b->st->root, strerror(errno));
	int rc = copy_accounts(b);
	char s[SCAN_PATH_MAX], d[SCAN_PATH_MAX];
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *x = names[i];
		/* tmp/ holds only what writers are in the middle of; the
		 * refusal counts are not worth a lock (they start again) */
		if (strcmp(x, "tmp") == 0 || strcmp(x, "goreg.tdb") == 0 || strcmp(x, REFUSAL_FILE) == 0)
			continue;
		if (fmt(s, sizeof s, "%s/%s", b->st->root, x) < 0 || fmt(d, sizeof d, "%s/%s", b->dst, x) < 0) {
			rc = ERR(-1, "path too long below '%s'", b->st->root);
			break;
		}
		struct stat sb;
		if (lstat(s, &sb) == 0 && S_ISDIR(sb.st_mode) && !store_check_owner(x))
			rc = copy_owner(b, x);
		else if (strcmp(x, "audit.log") == 0)
			rc = copy_file(b, s, d, 1);
		else
			rc = copy_entry(b, s, d, NULL);
	}
	strv_free(names, n);
	return rc;
}

int store_backup(const struct store *st, const char *dst, struct store_backup_counts *n, char *err,
                 size_t errsz)
{
	memset(n, 0, sizeof *n);
	struct stat sb;
	if (stat(st->root, &sb) != 0)
		return ERR(500, "unable to open '%s': %s", st->root, strerror(errno));
	size_t k = 0;
	char **names = dir_names(dst, &k);
	if (names)
		strv_free(names, k);
	if (names && k)
		return ERR(409, "'%s' is not empty: back up into a new or an empty directory", dst);
	if (!names && (errno != ENOENT || mkdir(dst, sb.st_mode & 0777) != 0))
		return ERR(500, "unable to create '%s': %s", dst, strerror(errno));
	char tmp[SCAN_PATH_MAX];
	if (chmod(dst, sb.st_mode & 0777) != 0 || fmt(tmp, sizeof tmp, "%s/tmp", dst) < 0 ||
	    mkdir(tmp, STORE_MODE_PRIVDIR) != 0)
		return ERR(500, "unable to prepare '%s': %s", dst, strerror(errno));
	struct bk b = {st, dst, n, err, errsz};
	if (copy_top(&b) != 0)
		return 500;
	if (fsync_path(dst) != 0)
		return ERR(500, "unable to sync '%s': %s", dst, strerror(errno));
	return 200;
}
