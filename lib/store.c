#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <tdb.h>

#include "modpath.h"
#include "modzip.h"
#include "semver.h"
#include "util.h"


const char *store_default_root(void)
{
	const char *r = getenv("GOREG_ROOT");
	return r && *r ? r : "/var/lib/goreg";
}

int store_init(struct store *st, const char *root, char *err, size_t errsz)
{
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n == 0 || n >= sizeof st->root - 256)
		return ERR(500, "store root '%s' is empty or too long", root);
	memcpy(st->root, root, n);
	st->root[n] = 0;
	return 200;
}

int store_prepare(struct store *st, char *err, size_t errsz)
{
	char tmp[1100];
	snprintf(tmp, sizeof tmp, "%s/tmp", st->root);
	if (mkdir_p(tmp, 0755) < 0)
		return ERR(500, "unable to create '%s': %s", tmp, strerror(errno));
	return 200;
}

const char *store_check_owner(const char *owner)
{
	size_t n = strlen(owner);
	if (n == 0)
		return "empty owner name";
	if (n > OWNER_MAX)
		return "owner name too long";
	for (size_t i = 0; i < n; i++) {
		char c = owner[i];
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		/* '.', '-' and '_' inside, never first: no ".", "..", hidden dirs */
		if (i > 0 && (c == '.' || c == '-' || c == '_'))
			continue;
		return "owner name must be [a-z0-9][a-z0-9._-]*";
	}
	/* "tmp" is the spool directory, not an owner tree */
	if (strcmp(owner, "tmp") == 0)
		return "owner name 'tmp' is reserved";
	return NULL;
}

static int escape_both(const char *module, const char *version, char *em, size_t emsz,
                       char *ev, size_t evsz)
{
	if (modpath_escape_path(module, em, emsz, NULL) < 0)
		return -1;
	if (version && modpath_escape_version(version, ev, evsz, NULL) < 0)
		return -1;
	return 0;
}

static int module_dir(const struct store *st, const char *owner, const char *module,
                      char *out, size_t outsz)
{
	char em[ESCAPED_MAX + 1];
	if (escape_both(module, NULL, em, sizeof em, NULL, 0) < 0)
		return -1;
	return fmt(out, outsz, "%s/%s/%s/@v", st->root, owner, em);
}

int store_file_path(const struct store *st, const char *owner, const char *module,
                    const char *version, const char *ext, char *out, size_t outsz)
{
	char em[ESCAPED_MAX + 1], ev[2 * VERSION_MAX + 1];
	if (escape_both(module, version, em, sizeof em, ev, sizeof ev) < 0)
		return -1;
	return fmt(out, outsz, "%s/%s/%s/@v/%s.%s", st->root, owner, em, ev, ext);
}

int store_tmp_path(const struct store *st, char *out, size_t outsz)
{
	return fmt(out, outsz, "%s/tmp", st->root);
}

static int index_path(const struct store *st, const char *owner, char *out, size_t outsz)
{
	return fmt(out, outsz, "%s/%s/index.tdb", st->root, owner);
}

/* Readers open the index read-only: tdb then takes only read locks, so a
 * reader never blocks another reader and never writes. */
static struct tdb_context *index_open(const struct store *st, const char *owner, int write)
{
	char path[1200];
	if (index_path(st, owner, path, sizeof path) < 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return tdb_open(path, 0, TDB_DEFAULT, write ? O_RDWR | O_CREAT | O_CLOEXEC : O_RDONLY | O_CLOEXEC,
	                0644);
}

static TDB_DATA key_of(struct buf *b, const char *kind, const char *module, const char *version)
{
	b->len = 0;
	if (buf_printf(b, "%s:%s%s%s", kind, module, version ? "@" : "", version ? version : "") < 0)
		return (TDB_DATA){NULL, 0};
	return (TDB_DATA){(unsigned char *)b->p, b->len};
}

int verinfo_encode(const struct verinfo *vi, char *out, size_t outsz)
{
	return fmt(out, outsz,
	           "version=%s\ntime=%lld\nzip_size=%llu\nmod_size=%llu\nzip_sha256=%s\nh1=%s\nh1mod=%s\nuploader=%s\n",
	           vi->version, (long long)vi->time, (unsigned long long)vi->zip_size,
	           (unsigned long long)vi->mod_size, vi->zip_sha256, vi->h1_zip, vi->h1_mod, vi->uploader);
}

static void field(const char *val, size_t n, char *out, size_t outsz)
{
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, val, n);
	out[n] = 0;
}

int verinfo_decode(const char *data, size_t len, struct verinfo *vi)
{
	memset(vi, 0, sizeof *vi);
	const char *p = data, *end = data + len;
	int seen = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return -1;
		const char *eq = memchr(p, '=', (size_t)(nl - p));
		if (!eq)
			return -1;
		size_t kl = (size_t)(eq - p), vl = (size_t)(nl - eq - 1);
		const char *v = eq + 1;
		char num[32];
		field(v, vl, num, sizeof num);
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(p, s, kl) == 0)
		if (KEY("version"))
			field(v, vl, vi->version, sizeof vi->version), seen |= 1;
		else if (KEY("time"))
			vi->time = strtoll(num, NULL, 10), seen |= 2;
		else if (KEY("zip_size"))
			vi->zip_size = strtoull(num, NULL, 10);
		else if (KEY("mod_size"))
			vi->mod_size = strtoull(num, NULL, 10);
		else if (KEY("zip_sha256"))
			field(v, vl, vi->zip_sha256, sizeof vi->zip_sha256);
		else if (KEY("h1"))
			field(v, vl, vi->h1_zip, sizeof vi->h1_zip);
		else if (KEY("h1mod"))
			field(v, vl, vi->h1_mod, sizeof vi->h1_mod);
		else if (KEY("uploader"))
			field(v, vl, vi->uploader, sizeof vi->uploader);
#undef KEY
		p = nl + 1;
	}
	return seen == 3 ? 0 : -1;
}

int store_get(const struct store *st, const char *owner, const char *module,
              const char *version, struct verinfo *vi, char *err, size_t errsz)
{
	struct tdb_context *db = index_open(st, owner, 0);
	if (!db) {
		if (errno == ENOENT)
			return ERR(404, "%s@%s: not found", module, version);
		return ERR(500, "unable to open index of '%s': %s", owner, strerror(errno));
	}
	struct buf k = {0};
	TDB_DATA key = key_of(&k, "v", module, version);
	TDB_DATA val = key.dptr ? tdb_fetch(db, key) : (TDB_DATA){NULL, 0};
	buf_free(&k);
	tdb_close(db);
	if (!val.dptr)
		return ERR(404, "%s@%s: not found", module, version);
	int r = verinfo_decode((const char *)val.dptr, val.dsize, vi);
	free(val.dptr);
	if (r < 0)
		return ERR(500, "%s@%s: corrupt metadata record", module, version);
	return 200;
}

void store_list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A list record is the versions joined by '\n', kept in semver order. */
static int split_list(const char *data, size_t len, char ***out, size_t *n)
{
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += data[i] == '\n';
	char **v = calloc(cap, sizeof *v);
	if (!v)
		return -1;
	size_t k = 0;
	const char *p = data, *end = data + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (l) {
			if (!(v[k] = strndup(p, l))) {
				store_list_free(v, k);
				return -1;
			}
			k++;
		}
		p += l + 1;
	}
	*out = v;
	*n = k;
	return 0;
}

static int fetch_list(struct tdb_context *db, const char *module, char ***v, size_t *n)
{
	struct buf k = {0};
	TDB_DATA key = key_of(&k, "l", module, NULL);
	TDB_DATA val = key.dptr ? tdb_fetch(db, key) : (TDB_DATA){NULL, 0};
	buf_free(&k);
	int r = split_list(val.dptr ? (const char *)val.dptr : "", val.dptr ? val.dsize : 0, v, n);
	free(val.dptr);
	return r;
}

int store_versions(const struct store *st, const char *owner, const char *module,
                   char ***versions, size_t *n, char *err, size_t errsz)
{
	*versions = NULL;
	*n = 0;
	struct tdb_context *db = index_open(st, owner, 0);
	if (!db) {
		if (errno == ENOENT)
			return ERR(404, "%s: no such module", module);
		return ERR(500, "unable to open index of '%s': %s", owner, strerror(errno));
	}
	int r = fetch_list(db, module, versions, n);
	tdb_close(db);
	if (r < 0)
		return ERR(500, "out of memory");
	if (*n == 0) {
		store_list_free(*versions, 0);
		*versions = NULL;
		return ERR(404, "%s: no such module", module);
	}
	return 200;
}

static int join_list(char **v, size_t n, struct buf *out, int public_only)
{
	out->len = 0;
	if (buf_add(out, "", 0) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* the file-tree @v/list, like the HTTP one, leaves out
		 * pseudo-versions (go.dev/ref/mod#goproxy-protocol) */
		if (public_only && semver_classify(v[i]) == SEMVER_PSEUDO)
			continue;
		if (buf_printf(out, "%s\n", v[i]) < 0)
			return -1;
	}
	return 0;
}

/* fsync every directory from dir up to and including the store root, so
 * that directories a publish created survive a crash with their entries. */
static int fsync_up(const struct store *st, const char *dir)
{
	char p[4096];
	if (fmt(p, sizeof p, "%s", dir) < 0)
		return -1;
	size_t rl = strlen(st->root);
	for (;;) {
		if (fsync_path(p) < 0)
			return -1;
		if (strlen(p) <= rl)
			return 0;
		char *s = strrchr(p, '/');
		if (!s || (size_t)(s - p) < rl)
			return 0;
		*s = 0;
	}
}

static int store_list_record(struct tdb_context *db, const char *module, char **v, size_t n)
{
	struct buf k = {0}, val = {0};
	int r = -1;
	TDB_DATA key = key_of(&k, "l", module, NULL);
	if (!key.dptr || join_list(v, n, &val, 0) < 0)
		goto out;
	if (n == 0)
		r = tdb_delete(db, key) == 0 || tdb_error(db) == TDB_ERR_NOEXIST ? 0 : -1;
	else
		r = tdb_store(db, key, (TDB_DATA){(unsigned char *)val.p, val.len}, TDB_REPLACE);
out:
	buf_free(&k);
	buf_free(&val);
	return r;
}

static int write_list_file(const struct store *st, const char *dir, char **v, size_t n)
{
	char tmp[1100];
	struct buf b = {0};
	store_tmp_path(st, tmp, sizeof tmp);
	if (join_list(v, n, &b, 1) < 0)
		return -1;
	int r = write_file_atomic(tmp, dir, "list", b.p, b.len);
	buf_free(&b);
	return r;
}

int store_publish(const struct store *st, const char *owner, const char *zippath,
                  const struct modzip_info *mi, const char *uploader, int64_t now,
                  struct verinfo *vi, char *err, size_t errsz)
{
	char dir[2048], ownerdir[1200], tmpdir[1100], path[3][2400], tmpf[2][1200];
	static const char *const ext[3] = {"mod", "info", "zip"};
	char em[ESCAPED_MAX + 1], ev[2 * VERSION_MAX + 1];
	int code = 500, renamed = 0;
	struct tdb_context *db = NULL;
	char **list = NULL;
	size_t nlist = 0;
	tmpf[0][0] = tmpf[1][0] = 0;

	if (escape_both(mi->module, mi->version, em, sizeof em, ev, sizeof ev) < 0)
		return ERR(400, "%s@%s: cannot be escaped", mi->module, mi->version);
	if (fmt(ownerdir, sizeof ownerdir, "%s/%s", st->root, owner) < 0 ||
	    fmt(dir, sizeof dir, "%s/%s/@v", ownerdir, em) < 0)
		return ERR(400, "module path too long");
	for (int i = 0; i < 3; i++)
		if (fmt(path[i], sizeof path[i], "%s/%s.%s", dir, ev, ext[i]) < 0)
			return ERR(400, "module path too long");
	store_tmp_path(st, tmpdir, sizeof tmpdir);

	/* the record, and the .info bytes the protocol serves */
	struct verinfo rec = *vi;
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
	char t[32], info[VERSION_MAX + 64];
	time_rfc3339(now, t);
	snprintf(info, sizeof info, "{\"Version\":\"%s\",\"Time\":\"%s\"}\n", mi->version, t);

	/* 1. the small files, complete and fsync'd, in tmp/ */
	const void *data[2] = {mi->gomod, info};
	size_t len[2] = {mi->gomod_len, strlen(info)};
	for (int i = 0; i < 2; i++) {
		snprintf(tmpf[i], sizeof tmpf[i], "%s/p.XXXXXX", tmpdir);
		int fd = mkostemp(tmpf[i], O_CLOEXEC);
		if (fd < 0) {
			tmpf[i][0] = 0;
			snprintf(err, errsz, "unable to create a file in '%s': %s", tmpdir, strerror(errno));
			goto out;
		}
		int bad = fchmod(fd, 0644) < 0 || write_all(fd, data[i], len[i]) < 0 || fsync(fd) < 0;
		bad |= close(fd) < 0;
		if (bad) {
			snprintf(err, errsz, "unable to write '%s': %s", tmpf[i], strerror(errno));
			goto out;
		}
	}
	if (mkdir_p(dir, 0755) < 0) {
		snprintf(err, errsz, "unable to create '%s': %s", dir, strerror(errno));
		goto out;
	}

	/* 2. the transaction lock serialises all publishers of this owner:
	 * of N racing uploads of one version exactly one sees it absent. */
	if (!(db = index_open(st, owner, 1))) {
		snprintf(err, errsz, "unable to open index of '%s': %s", owner, strerror(errno));
		goto out;
	}
	if (tdb_transaction_start(db) != 0) {
		snprintf(err, errsz, "unable to start a transaction: %s", tdb_errorstr(db));
		goto out;
	}
	struct buf k = {0};
	TDB_DATA key = key_of(&k, "v", mi->module, mi->version);
	if (!key.dptr) {
		snprintf(err, errsz, "out of memory");
		goto cancel;
	}
	if (tdb_exists(db, key)) {
		code = 409;
		snprintf(err, errsz, "%s@%s already exists", mi->module, mi->version);
		goto cancel;
	}
	if (fetch_list(db, mi->module, &list, &nlist) < 0) {
		snprintf(err, errsz, "out of memory");
		goto cancel;
	}
	char **nl = realloc(list, (nlist + 1) * sizeof *nl);
	if (!nl || !(nl[nlist] = strdup(mi->version))) {
		if (nl)
			list = nl;
		snprintf(err, errsz, "out of memory");
		goto cancel;
	}
	list = nl;
	nlist++;
	qsort(list, nlist, sizeof *list, semver_qsort_cmp);

	/* 3. files into place: .mod and .info first, the .zip last */
	const char *src[3] = {tmpf[0], tmpf[1], zippath};
	for (int i = 0; i < 3; i++) {
		if (rename(src[i], path[i]) < 0) {
			snprintf(err, errsz, "unable to rename into '%s': %s", path[i], strerror(errno));
			goto cancel;
		}
		if (i < 2)
			tmpf[i][0] = 0;
		renamed = i + 1;
	}
	if (write_list_file(st, dir, list, nlist) < 0 || fsync_up(st, dir) < 0) {
		snprintf(err, errsz, "unable to write '%s/list': %s", dir, strerror(errno));
		goto cancel;
	}

	/* 4. metadata; the commit (fsync'd by tdb) makes the version visible */
	char recbuf[1024];
	if (verinfo_encode(&rec, recbuf, sizeof recbuf) < 0 ||
	    tdb_store(db, key, (TDB_DATA){(unsigned char *)recbuf, strlen(recbuf)}, TDB_INSERT) != 0 ||
	    store_list_record(db, mi->module, list, nlist) != 0) {
		snprintf(err, errsz, "unable to store metadata: %s", tdb_errorstr(db));
		goto cancel;
	}
	if (tdb_transaction_commit(db) != 0) {
		snprintf(err, errsz, "unable to commit metadata: %s", tdb_errorstr(db));
		goto unplace;
	}
	buf_free(&k);
	*vi = rec;
	code = 201;
	goto out;

cancel:
	tdb_transaction_cancel(db);
unplace:
	buf_free(&k);
	/* a failed publish leaves nothing visible: take back what was placed
	 * (the zip goes back to the spool so the caller's cleanup finds it) */
	if (renamed == 3)
		rename(path[2], zippath);
	for (int i = 0; i < renamed && i < 2; i++)
		unlink(path[i]);
	if (renamed && code != 409) {
		store_list_free(list, nlist);
		list = NULL;
		nlist = 0;
		if (db && fetch_list(db, mi->module, &list, &nlist) == 0)
			write_list_file(st, dir, list, nlist);
	}
out:
	for (int i = 0; i < 2; i++)
		if (tmpf[i][0])
			unlink(tmpf[i]);
	store_list_free(list, nlist);
	if (db)
		tdb_close(db);
	return code;
}

int store_delete(const struct store *st, const char *owner, const char *module,
                 const char *version, char *err, size_t errsz)
{
	char dir[2048], path[2400];
	static const char *const ext[3] = {"info", "mod", "zip"};
	if (module_dir(st, owner, module, dir, sizeof dir) < 0)
		return ERR(404, "%s@%s: not found", module, version);
	struct tdb_context *db = index_open(st, owner, 1);
	if (!db) {
		if (errno == ENOENT)
			return ERR(404, "%s@%s: not found", module, version);
		return ERR(500, "unable to open index of '%s': %s", owner, strerror(errno));
	}
	int code = 500;
	char **list = NULL;
	size_t n = 0;
	struct buf k = {0};
	if (tdb_transaction_start(db) != 0) {
		snprintf(err, errsz, "unable to start a transaction: %s", tdb_errorstr(db));
		goto out;
	}
	TDB_DATA key = key_of(&k, "v", module, version);
	if (!key.dptr || !tdb_exists(db, key)) {
		code = 404;
		snprintf(err, errsz, "%s@%s: not found", module, version);
		goto cancel;
	}
	if (fetch_list(db, module, &list, &n) < 0)
		goto cancel;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(list[i], version) == 0)
			free(list[i]);
		else
			list[j++] = list[i];
	}
	n = j;
	if (tdb_delete(db, key) != 0 || store_list_record(db, module, list, n) != 0) {
		snprintf(err, errsz, "unable to update metadata: %s", tdb_errorstr(db));
		goto cancel;
	}
	/* Files go while the transaction lock is held, so a re-upload of the
	 * same version cannot slip in between and lose its files to us.
	 * The .info first: without it the file-tree proxy no longer lists it. */
	for (int i = 0; i < 3; i++) {
		if (store_file_path(st, owner, module, version, ext[i], path, sizeof path) == 0 &&
		    unlink(path) < 0 && errno != ENOENT) {
			snprintf(err, errsz, "unable to remove '%s': %s", path, strerror(errno));
			goto cancel;
		}
	}
	if ((n ? write_list_file(st, dir, list, n) : (unlink(strcat(dir, "/list")), 0)) < 0 ||
	    fsync_up(st, n ? dir : st->root) < 0) {
		snprintf(err, errsz, "unable to update the version list: %s", strerror(errno));
		goto cancel;
	}
	if (tdb_transaction_commit(db) != 0) {
		snprintf(err, errsz, "unable to commit metadata: %s", tdb_errorstr(db));
		goto out;
	}
	code = 204;
	goto out;
cancel:
	tdb_transaction_cancel(db);
out:
	buf_free(&k);
	store_list_free(list, n);
	tdb_close(db);
	return code;
}
