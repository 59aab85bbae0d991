/* goreg-fsck's checks and repairs (fsck.h, goreg-fsck(8)). */
#include "store/fsck.h"
#include "store/fsckscan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include <tdb.h>

#include "gomod/dirhash.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "gomod/semver.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "base/util.h"
#include "base/limits.h"

static int sha256_file(const char *path, char hex[65], uint64_t *size, int64_t *mtime)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat sb;
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return -1;
	}
	*size = (uint64_t)sb.st_size;
	*mtime = (int64_t)sb.st_mtime;
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	static unsigned char b[IO_CHUNK];
	ssize_t n;
	while ((n = read(fd, b, sizeof b)) > 0)
		crypto_hash_sha256_update(&h, b, (size_t)n);
	int e = errno;
	close(fd);
	if (n < 0) {
		errno = e;
		return -1;
	}
	unsigned char sum[32];
	crypto_hash_sha256_final(&h, sum);
	hex_encode(sum, 32, hex);
	return 0;
}

int64_t fsck_info_time(const char *data, size_t len)
{
	char b[512];
	if (len >= sizeof b)
		return -1;
	memcpy(b, data, len);
	b[len] = 0;
	const char *p = strstr(b, "\"Time\":\"");
	if (!p)
		return -1;
	p += 8;
	int y, mo, d, h, mi, s, n = 0;
	if (sscanf(p, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 || n != 19)
		return -1;
	p += n;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	/* the go command writes and reads UTC, "Z" (go.dev/ref/mod#goproxy-protocol
	 * shows the .info Time as RFC 3339; time.Time's JSON form) */
	if (p[0] != 'Z' || p[1] != '"')
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d,
	                .tm_hour = h, .tm_min = mi, .tm_sec = s};
	return (int64_t)timegm(&tm);
}

/* ---- the checks ---- */

static int put_rec(struct fsck_ctx *x, const char *module, const struct verinfo *vi, const char *gomod,
                   size_t gomodlen)
{
	char k[MODPATH_MAX + VERSION_MAX + 8];
	static char v[VERINFO_ENCODED_MAX];
	snprintf(k, sizeof k, STORE_KEY_VERSION "%s@%s", module, vi->version);
	if (verinfo_encode(vi, gomod, gomodlen, v, sizeof v) < 0 ||
	    tdb_store(x->db, (TDB_DATA){(unsigned char *)k, strlen(k)},
	              (TDB_DATA){(unsigned char *)v, strlen(v)}, TDB_REPLACE) != 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static int del_rec(struct fsck_ctx *x, const struct item *it)
{
	char k[MODPATH_MAX + VERSION_MAX + 8];
	snprintf(k, sizeof k, STORE_KEY_VERSION "%s@%s", it->module, it->version);
	if (tdb_delete(x->db, (TDB_DATA){(unsigned char *)k, strlen(k)}) != 0 &&
	    tdb_error(x->db) != TDB_ERR_NOEXIST) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* Set the whole version aside: files to lost+found, record removed. */
static int drop_version(struct fsck_ctx *x, const struct item *it, char path[3][FILE_PATH_MAX])
{
	/* the .info first, as a delete does */
	static const unsigned bits[3] = {F_INFO, F_MOD, F_ZIP};
	for (int i = 0; i < 3; i++)
		if ((it->files & bits[i]) && fsck_lost_found(x, path[i]) < 0)
			return -1;
	return it->has_rec && x->db ? del_rec(x, it) : 0;
}

/* With a checksum database, a version is served only with the hashes it
 * logs (the go command checks them, and a record never changes): NULL,
 * or why not.  An unreadable log is check_sumlog's to report. */
static const char *log_differs(struct fsck_ctx *x, const char *module, const char *version, const char *h1_zip,
                               const char *h1_mod)
{
	struct buf want = {0};
	char why[MSG_MAX];
	/* a record that cannot be made is none the log holds */
	int code = !x->log ? 500 : sumlog_record(module, version, h1_zip, h1_mod, &want) < 0 ? 409
	         : sumlog_compare(x->log, module, version, want.p, want.len, why, sizeof why);
	buf_free(&want);
	return code == 404 ? "the checksum database has no record of it"
	     : code == 409 ? "the checksum database logs other hashes for it" : NULL;
}

#define NOTE_MAX 6

/* One version: 1 if it exists after the check (for the lists), 0 if not,
 * -1 on a system failure. */
static int check_version(struct fsck_ctx *x, struct item *it)
{
	static const char *const ext[3] = {"info", "mod", "zip"};
	char path[3][FILE_PATH_MAX];
	for (int i = 0; i < 3; i++)
		if (store_file_path(x->st, x->owner, it->module, it->version, ext[i], path[i],
		                    sizeof path[i]) < 0)
			return fsck_fail(x, "%s@%s: path too long", it->module, it->version);
	int repair = x->o->repair;
	if (it->has_rec && !it->rec_bad && it->rec.deleting) {
		/* marked by the first step of a delete: the second never ran */
		int rc = 1;
		if (repair) {
			rc = 0;
			for (int i = 0; i < 3 && rc == 0; i++)
				rc = fsck_remove_synced(path[i]);
			if (rc == 0 && x->db)
				rc = del_rec(x, it);
		}
		fsck_found(x, rc, "delete completed", "%s/index.tdb: %s@%s: a delete cut short", x->owner, it->module,
		      it->version);
		return 0;
	}
	if (!(it->files & F_INFO)) {
		/* an upload cut short before its .info, or a delete after it */
		for (int i = 1; i < 3; i++)
			if (it->files & (i == 1 ? F_MOD : F_ZIP))
				fsck_found(x, repair ? fsck_remove_synced(path[i]) : 1, "removed",
				      "%s: no .info beside it (an upload or a delete cut short)", fsck_rel(x, path[i]));
		if (it->has_rec)
			fsck_found(x, repair && x->db ? del_rec(x, it) : 1, "record removed",
			      "%s: missing, but %s/index.tdb has %s@%s", fsck_rel(x, path[0]), x->owner,
			      it->module, it->version);
		return 0;
	}
	if (!(it->files & F_ZIP)) {
		fsck_found(x, repair ? drop_version(x, it, path) : 1, "version set aside in lost+found",
		      "%s: missing", fsck_rel(x, path[2]));
		return 0;
	}

	/* .info and .zip: compare with the record */
	char sha[65], *info = NULL, *mod = NULL;
	size_t infolen = 0, modlen = 0;
	uint64_t zsize;
	int64_t zmtime;
	if (sha256_file(path[2], sha, &zsize, &zmtime) < 0)
		return fsck_fail(x, "unable to read '%s': %s", path[2], strerror(errno));
	if (read_file(path[0], STORE_INFO_MAX, &info, &infolen) < 0 && errno != EFBIG)
		return fsck_fail(x, "unable to read '%s': %s", path[0], strerror(errno));
	if ((it->files & F_MOD) && read_file(path[1], MODZIP_MAX_GOMOD, &mod, &modlen) < 0 && errno != EFBIG) {
		free(info);
		return fsck_fail(x, "unable to read '%s': %s", path[1], strerror(errno));
	}
	char note[NOTE_MAX][700];
	int nn = 0;
#define NOTE(...) snprintf(note[nn++], sizeof note[0], __VA_ARGS__)
	const struct verinfo *r = it->has_rec && !it->rec_bad ? &it->rec : NULL;
	if (!it->has_rec)
		NOTE("%s: not in %s/index.tdb", fsck_rel(x, path[2]), x->owner);
	else if (!r)
		NOTE("%s/index.tdb: the record of %s@%s is unreadable", x->owner, it->module, it->version);
	else {
		char want[STORE_INFO_MAX], h1[H1_LEN + 1];
		if (zsize != r->zip_size)
			NOTE("%s: %llu bytes, index.tdb says %llu", fsck_rel(x, path[2]), (unsigned long long)zsize,
			     (unsigned long long)r->zip_size);
		else if (strcmp(sha, r->zip_sha256) != 0)
			NOTE("%s: SHA-256 %s, index.tdb says %s", fsck_rel(x, path[2]), sha, r->zip_sha256);
		if (!mod)
			NOTE("%s: missing", fsck_rel(x, path[1]));
		else if (modlen != r->mod_size || dirhash_h1_gomod(mod, modlen, h1) < 0 ||
		         strcmp(h1, r->h1_mod) != 0)
			NOTE("%s: differs from index.tdb (%zu bytes, %s)", fsck_rel(x, path[1]), modlen,
			     dirhash_h1_gomod(mod, modlen, h1) == 0 ? h1 : "?");
		if (it->rec_gomod_bad)
			NOTE("%s/index.tdb: the record of %s@%s keeps a go.mod that is not its %s", x->owner, it->module,
			     it->version, r->h1_mod);
		store_info_format(it->version, r->time, want, sizeof want);
		if (!info || strlen(want) != infolen || memcmp(want, info, infolen) != 0)
			NOTE("%s: differs from index.tdb", fsck_rel(x, path[0]));
		const char *d = nn ? NULL : log_differs(x, it->module, it->version, r->h1_zip, r->h1_mod);
		if (d)
			NOTE("%s/index.tdb: %s@%s: %s", x->owner, it->module, it->version, d);
	}
#undef NOTE
	int present = 1;
	/* a sound record an older goreg wrote keeps no copy of the go.mod
	 * (the .mod is then served from its file): repair gives it one, the
	 * .mod's bytes, which match its h1mod here; not a problem */
	if (!nn && repair && r && !r->gomod_at && mod && modlen <= STORE_GOMOD_KEPT_MAX && x->db) {
		if (put_rec(x, it->module, r, mod, modlen) < 0) {
			free(info);
			free(mod);
			return fsck_fail(x, "unable to store the record of %s@%s: %s", it->module, it->version,
			                 strerror(errno));
		}
		x->c->gomod_copied++;
	}
	if (nn && !repair) {
		for (int i = 0; i < nn; i++)
			fsck_found(x, 1, NULL, "%s", note[i]);
	} else if (nn) {
		/* the tree is the truth: validate the zip as an upload would,
		 * then make the record (and .mod and .info) from it */
		struct modzip_info mi;
		char why[MSG_MAX], done[800];
		const char *d;
		/* as accepted: the version its path names, which an empty zip
		 * needs, and a go.mod that may name another path (renamed) */
		struct modzip_want as = {it->module, it->version, 1, 0};
		int rc = 0, v = modzip_check_as(path[2], &as, &mi, why, sizeof why);
		if (v < 0) {
			rc = -1;
			errno = EIO;
			present = r != NULL;
		} else if (v > 0 || strcmp(mi.module, it->module) != 0 || strcmp(mi.version, it->version) != 0) {
			if (v == 0) {
				snprintf(why, sizeof why, "the zip holds %.200s@%.200s", mi.module, mi.version);
				modzip_info_free(&mi);
			}
			rc = drop_version(x, it, path);
			snprintf(done, sizeof done, "version set aside in lost+found: invalid module zip: %s", why);
			present = 0;
		} else if ((d = log_differs(x, it->module, it->version, mi.h1_zip, mi.h1_mod)) != NULL) {
			modzip_info_free(&mi);
			rc = drop_version(x, it, path);
			snprintf(done, sizeof done, "version set aside in lost+found: %s (publish a new version)", d);
			present = 0;
		} else {
			struct verinfo nv;
			memset(&nv, 0, sizeof nv);
			snprintf(nv.version, sizeof nv.version, "%s", it->version);
			nv.time = info ? fsck_info_time(info, infolen) : -1;
			if (nv.time < 0)
				nv.time = r ? r->time : zmtime;
			nv.zip_size = zsize;
			memcpy(nv.zip_sha256, sha, sizeof nv.zip_sha256);
			nv.mod_size = mi.gomod_len;
			memcpy(nv.h1_zip, mi.h1_zip, sizeof nv.h1_zip);
			memcpy(nv.h1_mod, mi.h1_mod, sizeof nv.h1_mod);
			snprintf(nv.uploader, sizeof nv.uploader, "%s",
			         r ? r->uploader : fsck_uploader(x, it->module, it->version));
			/* where it came from is the record's alone to say (an
			 * owner's own module is never asked upstream for) */
			if (r)
				memcpy(nv.source, r->source, sizeof nv.source);
			char want[STORE_INFO_MAX], dir[FILE_PATH_MAX];
			store_info_format(it->version, nv.time, want, sizeof want);
			snprintf(dir, sizeof dir, "%s", path[0]);
			*strrchr(dir, '/') = 0;
			/* .mod and .info before the record, as a publish does */
			if (!mod || modlen != mi.gomod_len || memcmp(mod, mi.gomod, modlen) != 0)
				rc = store_write_file(x->st, dir, strrchr(path[1], '/') + 1, mi.gomod, mi.gomod_len);
			if (rc == 0 && (strlen(want) != infolen || memcmp(want, info, infolen) != 0))
				rc = store_write_file(x->st, dir, strrchr(path[0], '/') + 1, want, strlen(want));
			if (rc == 0)
				rc = x->db ? put_rec(x, it->module, &nv, mi.gomod, mi.gomod_len) : (errno = ENOENT, -1);
			modzip_info_free(&mi);
			snprintf(done, sizeof done, "rebuilt from the files");
			present = rc == 0 || r != NULL;
		}
		for (int i = 0; i < nn; i++) {
			if (v < 0)
				fprintf(x->o->out, "%s: not repaired: %s\n", note[i], why), x->c->problems++;
			else
				fsck_found(x, rc, done, "%s", note[i]);
		}
	}
	free(info);
	free(mod);
	return present;
}

/* One module's versions and lists. */
static int check_module(struct fsck_ctx *x, const char *module, struct item *its, size_t n,
                        const struct modent *m)
{
	char **have = calloc(n + 1, sizeof *have);
	size_t nh = 0;
	if (!have)
		return fsck_fail(x, "out of memory");
	for (size_t i = 0; i < n; i++) {
		int p = check_version(x, &its[i]);
		if (p < 0) {
			free(have);
			return -1;
		}
		if (p)
			have[nh++] = its[i].version;
	}
	x->c->versions += nh;
	qsort(have, nh, sizeof *have, semver_qsort_cmp);
	int repair = x->o->repair, r = 0;
	/* the index's list: every version, semver order */
	struct buf want = {0}, file = {0};
	for (size_t i = 0; i < nh; i++)
		if (buf_printf(&want, "%s\n", have[i]) < 0)
			r = fsck_fail(x, "out of memory");
	const char *lrec = m && m->has_lrec ? m->lrec : NULL;
	if (r == 0 && (lrec ? strcmp(lrec, want.p ? want.p : "") != 0 : nh > 0) && (x->db || nh))
		fsck_found(x, repair && x->db ? (store_put_list(x->db, module, have, nh) == 0 ? 0 : (errno = EIO, -1)) : 1,
		      "rewritten", "%s/index.tdb: the version list of %s %s", x->owner, module,
		      lrec ? "differs from its versions" : "is missing");
	/* the file tree's @v/list */
	char em[ESCAPED_MAX + 1], vdir[FILE_PATH_MAX], lpath[FILE_PATH_MAX + 8];
	if (r == 0 && modpath_escape_path(module, em, sizeof em, NULL) == 0 &&
	    fmt(vdir, sizeof vdir, "%s/%s/@v", x->ownerdir, em) == 0) {
		snprintf(lpath, sizeof lpath, "%s/list", vdir);
		if (store_list_format(have, nh, &file) < 0)
			r = fsck_fail(x, "out of memory");
		char *cur = NULL;
		size_t curlen = 0;
		int has = m && m->has_lfile;
		if (r == 0 && has && read_file(lpath, LIST_FILE_MAX, &cur, &curlen) < 0 && errno != EFBIG)
			r = fsck_fail(x, "unable to read '%s': %s", lpath, strerror(errno));
		if (r == 0 && nh == 0 && has)
			fsck_found(x, repair ? fsck_remove_synced(lpath) : 1, "removed",
			      "%s: lists versions that do not exist", fsck_rel(x, lpath));
		else if (r == 0 && nh > 0 && (!has || !cur || curlen != file.len || memcmp(cur, file.p, curlen) != 0))
			fsck_found(x, repair ? store_write_file(x->st, vdir, "list", file.p, file.len) : 1, "rewritten",
			      "%s: %s", fsck_rel(x, lpath), has ? "differs from the versions" : "missing");
		free(cur);
		if (r == 0 && repair && nh == 0)
			store_prune_dirs(x->ownerdir, vdir);
	}
	buf_free(&want);
	buf_free(&file);
	free(have);
	return r;
}

/* Open the owner's index for the check, in a transaction (the owner's
 * lock).  x->db stays NULL when there is no usable index (checking) or
 * on a system failure (x->failed). */
static void open_index(struct fsck_ctx *x)
{
	char ipath[INDEX_PATH_MAX];
	snprintf(ipath, sizeof ipath, "%s/index.tdb", x->ownerdir);
	int had = fsck_exists(ipath), repair = x->o->repair;
	x->db = store_index_lock(x->st, x->owner, repair ? INDEX_CREATE : INDEX_WRITE);
	if (!x->db && had && errno == EIO) {
		/* tdb_open's errno for a file that is no tdb: set it aside,
		 * start a new one */
		char why[200];
		snprintf(why, sizeof why, "%s", strerror(errno));
		int rc = repair ? fsck_lost_found(x, ipath) : 1;
		fsck_found(x, rc, "set aside in lost+found, rebuilt from the files", "%s/index.tdb: unreadable (%s)",
		      x->owner, why);
		if (rc == 0)
			x->db = store_index_lock(x->st, x->owner, INDEX_CREATE);
	} else if (x->db && tdb_check(x->db, NULL, NULL) != 0) {
		int rc = 1;
		if (repair) {
			tdb_transaction_cancel(x->db);
			tdb_close(x->db);
			x->db = NULL;
			if ((rc = fsck_lost_found(x, ipath)) == 0)
				x->db = store_index_lock(x->st, x->owner, INDEX_CREATE);
		} else {
			tdb_transaction_cancel(x->db);
			tdb_close(x->db);
			x->db = NULL;
		}
		fsck_found(x, rc, "set aside in lost+found, rebuilt from the files", "%s/index.tdb: corrupt",
		      x->owner);
	}
	if (!x->db && !x->failed && (repair || (errno != ENOENT && errno != EIO)))
		fsck_fail(x, "unable to lock the index of '%s': %s", x->owner, strerror(errno));
}

static int check_owner(struct fsck_ctx *x, const char *owner)
{
	x->owner = owner;
	unsigned long copied = x->c->gomod_copied;
	snprintf(x->ownerdir, sizeof x->ownerdir, "%s/%s", x->st->root, owner);
	x->c->owners++;
	struct stat sb;
	if (lstat(x->ownerdir, &sb) == 0)
		fsck_mode(x, x->ownerdir, &sb, STORE_MODE_DIR);
	char ipath[INDEX_PATH_MAX];
	snprintf(ipath, sizeof ipath, "%s/index.tdb", x->ownerdir);
	int had = fsck_exists(ipath);
	open_index(x);
	if (x->failed)
		return -1;
	struct sumlog log;
	char why[MSG_MAX];
	/* read under the index's lock: no publish adds to it meanwhile */
	x->log = sumlog_open(x->st, owner, 0, &log, why, sizeof why) == 200 ? &log : NULL;
	if (fsck_scan(x) == 0) {
		if (!had && (x->nitems || x->nmods))
			fsck_found(x, x->o->repair ? (x->db ? 0 : -1) : 1, "created", "%s/index.tdb: missing", owner);
		for (size_t i = 0; i < x->nbadkeys; i++) {
			TDB_DATA k = {(unsigned char *)x->badkeys[i], strlen(x->badkeys[i])};
			fsck_found(x, x->o->repair ? (tdb_delete(x->db, k) == 0 ? 0 : (errno = EIO, -1)) : 1, "removed",
			      "%s/index.tdb: the record '%s' is not the store's", owner, x->badkeys[i]);
		}
	}
	/* module by module: items and mods are both sorted by module */
	size_t i = 0, j = 0;
	while (!x->failed && (i < x->nitems || j < x->nmods)) {
		const char *mod = i < x->nitems ? x->items[i].module : x->mods[j].module;
		if (j < x->nmods && strcmp(x->mods[j].module, mod) < 0)
			mod = x->mods[j].module;
		size_t e = i;
		while (e < x->nitems && strcmp(x->items[e].module, mod) == 0)
			e++;
		const struct modent *m = j < x->nmods && strcmp(x->mods[j].module, mod) == 0 ? &x->mods[j++] : NULL;
		check_module(x, mod, x->items + i, e - i, m);
		i = e;
	}
	if ((copied = x->c->gomod_copied - copied) && !x->failed)
		fprintf(x->o->out, "%s/index.tdb: %lu records given a copy of their go.mod\n", owner, copied);
	if (x->db) {
		/* checking only changes nothing: cancel */
		if (!x->failed && x->o->repair) {
			if (tdb_transaction_commit(x->db) != 0)
				fsck_fail(x, "unable to commit '%s': %s", ipath, tdb_errorstr(x->db));
		} else
			tdb_transaction_cancel(x->db);
		tdb_close(x->db);
		x->db = NULL;
	}
	sumlog_close(&log);
	x->log = NULL;
	fsck_owner_free(x);
	return x->failed ? -1 : 0;
}

static int check_tmp(struct fsck_ctx *x)
{
	char tmp[OWNER_PATH_MAX];
	store_tmp_path(x->st, tmp, sizeof tmp);
	size_t n;
	char **names = dir_names(tmp, &n);
	if (!names)
		return errno == ENOENT ? 0 : fsck_fail(x, "unable to read '%s': %s", tmp, strerror(errno));
	for (size_t i = 0; i < n; i++) {
		char p[OWNER_PATH_MAX];
		if (fmt(p, sizeof p, "%s/%s", tmp, names[i]) < 0)
			continue;
		struct stat sb;
		if (lstat(p, &sb) < 0)
			continue;           /* gone meanwhile: its writer renamed it */
		int fd = open(p, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		int locked = fd >= 0 ? store_tmp_locked(fd) : 0;
		if (fd >= 0)
			close(fd);
		long long age = (long long)(x->o->now - (int64_t)sb.st_mtime);
		if (locked == 1 || age < x->o->min_age)
			continue;           /* a writer may still be at work */
		int rc = 1;
		if (x->o->repair) {
			rc = S_ISDIR(sb.st_mode) ? rmdir(p) : unlink(p);
			if (rc == 0)
				fsync_path(tmp);
		}
		fsck_found(x, rc, "removed", "tmp/%s: leftover, last modified %lld s ago", names[i], age);
	}
	store_list_free(names, n);
	return 0;
}

/* The modes of ROOT and of what lies in it but the owner trees (which
 * check_owner judges): goreg.tdb and audit.log are secrets, tmp/ and
 * lost+found/ private, and what is below those two is not looked at. */
static void check_root_modes(struct fsck_ctx *x, char **names, size_t n)
{
	struct stat sb;
	if (lstat(x->st->root, &sb) == 0)
		fsck_mode(x, x->st->root, &sb, STORE_MODE_DIR);
	for (size_t i = 0; i < n; i++) {
		char p[OWNER_PATH_MAX];
		if (fmt(p, sizeof p, "%s/%s", x->st->root, names[i]) < 0 || lstat(p, &sb) < 0)
			continue;
		const char *s = names[i];
		if (!store_check_owner(s) && S_ISDIR(sb.st_mode))
			continue;
		mode_t rule = S_ISDIR(sb.st_mode) ? STORE_MODE_DIR : STORE_MODE_FILE;
		if (strcmp(s, "goreg.tdb") == 0 || strcmp(s, "audit.log") == 0)
			rule = STORE_MODE_SECRET;
		else if (strcmp(s, "tmp") == 0 || strcmp(s, "lost+found") == 0)
			rule = STORE_MODE_PRIVDIR;
		fsck_mode(x, p, &sb, rule);
	}
}

int fsck_store(const struct store *st, const struct fsck_opts *o, struct fsck_counts *c,
               char *err, size_t errsz)
{
	struct fsck_ctx x = {.st = st, .o = o, .c = c, .err = err, .errsz = errsz};
	memset(c, 0, sizeof *c);
	struct stat sb;
	if (stat(st->root, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return ERR(500, "unable to open the store '%s': %s", st->root,
		           errno ? strerror(errno) : "not a directory");
	if (o->owners) {
		for (size_t i = 0; i < o->nowners; i++) {
			char d[OWNER_PATH_MAX];
			const char *why = store_check_owner(o->owners[i]);
			if (why)
				return ERR(404, "invalid owner '%s': %s", o->owners[i], why);
			snprintf(d, sizeof d, "%s/%s", st->root, o->owners[i]);
			if (stat(d, &sb) < 0 || !S_ISDIR(sb.st_mode))
				return ERR(404, "no owner '%s' in '%s'", o->owners[i], st->root);
		}
		for (size_t i = 0; i < o->nowners; i++)
			if (check_owner(&x, o->owners[i]) < 0)
				return 500;
		return 200;
	}
	size_t n;
	char **names = dir_names(st->root, &n);
	if (!names)
		return ERR(500, "unable to read '%s': %s", st->root, strerror(errno));
	check_root_modes(&x, names, n);
	int r = 0;
	for (size_t i = 0; i < n && r == 0; i++) {
		char d[OWNER_PATH_MAX];
		/* owners are the directories with owner names; tmp/, lost+found/,
		 * goreg.tdb and the rest of ROOT are not owner trees */
		if (store_check_owner(names[i]) || fmt(d, sizeof d, "%s/%s", st->root, names[i]) < 0 ||
		    lstat(d, &sb) < 0 || !S_ISDIR(sb.st_mode))
			continue;
		r = check_owner(&x, names[i]);
	}
	store_list_free(names, n);
	if (r == 0)
		r = check_tmp(&x);
	return r < 0 ? 500 : 200;
}
