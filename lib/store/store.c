/* The store (store.h, goreg-store(5)): its layout, the files of tmp/, the
 * per-owner index and its records, and the read side.  The two writers,
 * publish and delete, and their crash-safety protocol are in publish.c. */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <tdb.h>

#include "gomod/modpath.h"
#include "gomod/semver.h"
#include "base/util.h"

/* Buckets of a new index.  tdb's default, 131, makes lookups walk long
 * chains in an owner with many versions: open+fetch+close measured 596 us
 * at 100 000 records with 131 buckets, 26 us with 10007 (40 KB of table). */
#define INDEX_HASH_SIZE 10007

/* GOREG_TEST_HOOKS: defined by the dev (sanitizer) build only, which is
 * the one the crash tests drive; release binaries have no hook. */

void store_crash_point(const char *name)
{
#ifdef GOREG_TEST_HOOKS
	const char *e = getenv("GOREG_STORE_CRASH");
	if (e && strcmp(e, name) == 0)
		raise(SIGKILL);
#else
	(void)name;
#endif
}

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
	if (n == 0 || n >= sizeof st->root - STORE_NAME_ROOM)
		return ERR(500, "store root '%s' is empty or too long", root);
	memcpy(st->root, root, n);
	st->root[n] = 0;
	st->cache = NULL;
	return 200;
}

/* One path of the store a server must be able to use: root (a directory,
 * searchable and readable) or ROOT/goreg.tdb (readable: a store the
 * server may only read is served, store_tdb_open), each when it exists. */
static int check_path(const char *path, int dir, char *err, size_t errsz)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && !dir)
			return 200;
		if (errno == ENOENT)
			return ERR(500, "store '%s' does not exist (set GOREG_ROOT or -r, or create it with "
			           "goreg-admin, see goreg-admin(8))", path);
		return ERR(500, "store '%s' is unusable: %s", path, strerror(errno));
	}
	if (dir && !S_ISDIR(sb.st_mode))
		return ERR(500, "store '%s' is not a directory", path);
	if (faccessat(AT_FDCWD, path, dir ? R_OK | X_OK : R_OK, AT_EACCESS) != 0)
		return ERR(500, "store '%s' is not readable by uid %u: %s (it belongs to uid %u: give it to the "
		           "server's user, or run the server as its owner)", path, (unsigned)geteuid(), strerror(errno),
		           (unsigned)sb.st_uid);
	return 200;
}

int store_check_root(const struct store *st, char *err, size_t errsz)
{
	char path[ROOT_PATH_MAX];
	int code = check_path(st->root, 1, err, errsz);
	if (code != 200)
		return code;
	if (fmt(path, sizeof path, "%s/goreg.tdb", st->root) < 0)
		return ERR(500, "store root '%s' too long", st->root);
	return check_path(path, 0, err, errsz);
}

int store_mkdirs(const struct store *st)
{
	char tmp[ROOT_PATH_MAX];
	if (store_tmp_path(st, tmp, sizeof tmp) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir_p(st->root, STORE_MODE_DIR) < 0 || (mkdir(tmp, STORE_MODE_PRIVDIR) < 0 && errno != EEXIST))
		return -1;
	return 0;
}

int store_prepare(struct store *st, char *err, size_t errsz)
{
	if (store_mkdirs(st) < 0)
		return ERR(500, "unable to create '%s/tmp': %s", st->root, strerror(errno));
	return 200;
}

static const char *check_owner(const char *owner)
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
	/* the store's own entries are no owner trees ("lost+found" cannot
	 * be an owner name anyway) */
	static const char *const reserved[] = {"tmp", "goreg.tdb", "audit.log", "refusals.tdb"};
	for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
		if (strcmp(owner, reserved[i]) == 0)
			return "owner name is reserved";
	return NULL;
}

/* A request checks its owner as the route decodes it and again as its
 * access is decided: the last name found valid is remembered. */
const char *store_check_owner(const char *owner)
{
	static char last[OWNER_MAX + 1];
	return check_remembered(last, sizeof last, owner, check_owner);
}

const char *store_check_module(const char *module)
{
	/* ROOT/OWNER/index.tdb is the owner's index: a module whose first
	 * path element is "index.tdb" (a valid Go path) has no place in the
	 * owner's tree.  First elements are lowercase (module.CheckPath), so
	 * the escaped and plain forms agree. */
	size_t fe = strcspn(module, "/");
	if (fe == strlen(STORE_INDEX_FILE) && memcmp(module, STORE_INDEX_FILE, fe) == 0)
		return "the module path " STORE_INDEX_FILE " is reserved by the store";
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

int store_file_path(const struct store *st, const char *owner, const char *module,
                    const char *version, const char *ext, char *out, size_t outsz)
{
	char em[ESCAPED_MAX + 1], ev[2 * VERSION_MAX + 1];
	if (escape_both(module, version, em, sizeof em, ev, sizeof ev) < 0)
		return -1;
	/* copied in place, not through fmt's pass over a format: a request
	 * for a version names one of its files; fmt cuts what does not fit */
	size_t rl = strlen(st->root), ol = strlen(owner), ml = strlen(em), vl = strlen(ev), xl = strlen(ext);
	/* the separators and the NUL */
	if (rl + ol + ml + vl + xl + sizeof "/" "/" "/@v/" "." > outsz)
		return fmt(out, outsz, "%s/%s/%s/@v/%s.%s", st->root, owner, em, ev, ext);
	char *o = out;
	memcpy(o, st->root, rl);
	o += rl;
	*o++ = '/';
	memcpy(o, owner, ol);
	o += ol;
	*o++ = '/';
	memcpy(o, em, ml);
	o += ml;
	memcpy(o, "/@v/", 4);
	o += 4;
	memcpy(o, ev, vl);
	o += vl;
	*o++ = '.';
	memcpy(o, ext, xl + 1);
	return 0;
}

int store_tmp_path(const struct store *st, char *out, size_t outsz)
{
	return fmt(out, outsz, "%s/tmp", st->root);
}

static int ofd_lock(int fd, short type, int cmd)
{
	struct flock fl = {.l_type = type, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
	return fcntl(fd, cmd, &fl) < 0 ? -1 : fl.l_type;
}

int store_tmp_create(const struct store *st, const char *prefix, char *path, size_t pathsz)
{
	char tmp[ROOT_PATH_MAX];
	store_tmp_path(st, tmp, sizeof tmp);
	if (fmt(path, pathsz, "%s/%s.XXXXXX", tmp, prefix) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkostemp(path, O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* a store whose tmp/ is gone: make it again */
		if (store_mkdirs(st) < 0)
			return -1;
		fmt(path, pathsz, "%s/%s.XXXXXX", tmp, prefix);
		fd = mkostemp(path, O_CLOEXEC);
	}
	if (fd < 0)
		return -1;
	/* Open-file-description locks belong to this descriptor alone: unlike
	 * POSIX record locks, closing some other fd of ours (tdb, libzip) on
	 * the same file cannot drop them.  A kernel without them (before
	 * Linux 3.15) gets no lock; goreg-fsck's age rule still applies. */
	if (fchmod(fd, STORE_MODE_FILE) < 0 || (ofd_lock(fd, F_WRLCK, F_OFD_SETLK) < 0 && errno != EINVAL)) {
		int e = errno;
		close(fd);
		unlink(path);
		errno = e;
		return -1;
	}
	return fd;
}

int store_tmp_locked(int fd)
{
	int t = ofd_lock(fd, F_WRLCK, F_OFD_GETLK);
	return t < 0 ? -1 : t != F_UNLCK;
}

/* Why readers open the index read-write: tdb turns all locking off for a
 * database opened O_RDONLY ("read only databases don't do locking",
 * tdb_open_ex), so such a reader walks hash chains while a commit rewrites
 * them.  Measured here, readers polling records that a writer kept
 * replacing in transactions: O_RDONLY opens saw records missing (~1 lookup
 * in 8), torn records and failed opens; O_RDWR opens saw none.  Opened
 * read-write, a lookup takes a read lock on its hash chain only (a commit
 * waits for it, and it for a commit); the one exclusive lock is tdb's
 * open lock, held for the open itself, which keeps an open from reading a
 * half-written header.  A first lock after a crash mid-commit also rolls
 * the commit back from tdb's recovery area.  Only a store the process may
 * not write (read-only media, another user) is read O_RDONLY.
 *
 * TDB_SEQNUM: every change moves the file's sequence number, which
 * tells goreg-httpd's kept records (cache.c) from stale ones.
 *
 * TDB_NOMMAP: a process looks up one or two records and exits, and
 * mapping the file is the larger cost: open+fetch+close measured 18.6 us
 * without mmap against 44 us with it on a 1000-version index, 26 against
 * 121 us on a 60 MB one.  INDEX_READ_MAP maps it where that pays: a walk
 * of every record (store_index_scan: the pages, /metrics) reads each of
 * the 10007 hash chains' heads, one pread(2) each without the map, 10 000
 * system calls for an index of ten versions (mapped, the front page of
 * 100 owners took 60 times less); and a handle goreg-httpd keeps for a
 * connection's next requests reads the sequence number of each request
 * (cache.c) from the map, not with a pread(2). */
struct tdb_context *store_tdb_open(const char *path, int hash_size, int how, mode_t mode)
{
	int fl = O_RDWR | O_CLOEXEC | (how == INDEX_CREATE ? O_CREAT : 0);
	int tf = how == INDEX_READ_MAP ? TDB_SEQNUM : TDB_NOMMAP | TDB_SEQNUM;
	struct tdb_context *db = tdb_open(path, hash_size, tf, fl, mode);
	if (!db && (how == INDEX_READ || how == INDEX_READ_MAP) && (errno == EACCES || errno == EROFS))
		db = tdb_open(path, 0, tf, O_RDONLY | O_CLOEXEC, 0);
	return db;
}

struct tdb_context *store_index_open(const struct store *st, const char *owner, int how)
{
	char path[OWNER_PATH_MAX];
	if (fmt(path, sizeof path, "%s/%s/" STORE_INDEX_FILE, st->root, owner) < 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return store_tdb_open(path, INDEX_HASH_SIZE, how, STORE_MODE_FILE);
}

int store_same_file(struct tdb_context *db, const char *path)
{
	struct stat a, b;
	return fstat(tdb_fd(db), &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static void drop_index(const struct store *st)
{
	if (st->cache)
		store_cache_drop(st->cache, &st->cache->index);
}

/* A read handle on owner's index, the cached one when it still is. */
struct tdb_context *store_index_read(const struct store *st, const char *owner)
{
	struct store_cache *c = st->cache;
	int kept = c && c->index.db && strcmp(c->index_owner, owner) == 0;
	if (kept && store_cache_valid(c, &c->index))
		return c->index.db; /* its path not even made */
	char path[OWNER_PATH_MAX];
	int named = c && fmt(path, sizeof path, "%s/%s/" STORE_INDEX_FILE, st->root, owner) == 0;
	if (named && kept && store_cache_get(c, &c->index, path))
		return c->index.db;
	drop_index(st);
	struct tdb_context *db = store_index_open(st, owner, c && !c->last ? INDEX_READ_MAP : INDEX_READ);
	if (db && named) {
		store_cache_keep(c, &c->index, db);
		snprintf(c->index_owner, sizeof c->index_owner, "%s", owner);
	}
	return db;
}

/* A mapped handle on owner's index for a walk: tdb opens a file once per
 * process, so the connection's kept handle on an index goes first. */
struct tdb_context *store_index_scan(const struct store *st, const char *owner)
{
	drop_index(st);
	return store_index_open(st, owner, INDEX_READ_MAP);
}

void store_index_read_done(const struct store *st, struct tdb_context *db)
{
	if (!(st->cache && st->cache->index.db == db))
		tdb_close(db);
}

struct tdb_context *store_index_lock(const struct store *st, const char *owner, int how)
{
	drop_index(st);
	char path[OWNER_PATH_MAX];
	if (fmt(path, sizeof path, "%s/%s/" STORE_INDEX_FILE, st->root, owner) < 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	for (int tries = 0; tries < 5; tries++) {
		struct tdb_context *db = store_index_open(st, owner, how);
		if (!db)
			return NULL;
		if (tdb_transaction_start(db) != 0) {
			/* not EIO: that is tdb_open's "not a tdb file" */
			tdb_close(db);
			errno = ENOLCK;
			return NULL;
		}
		if (store_same_file(db, path))
			return db;
		tdb_transaction_cancel(db);
		tdb_close(db);
	}
	errno = EAGAIN;
	return NULL;
}

/* kind, module and "@version" (when there is one) at out, which has room
 * for them and a NUL: the key's length */
static size_t key_put(char *out, const char *kind, size_t kl, const char *module, size_t ml,
                      const char *version, size_t vl)
{
	memcpy(out, kind, kl);
	memcpy(out + kl, module, ml);
	size_t n = kl + ml;
	if (version) {
		out[n++] = '@';
		memcpy(out + n, version, vl);
		n += vl;
	}
	out[n] = 0;
	return n;
}

int store_key(struct buf *b, const char *kind, const char *module, const char *version)
{
	size_t kl = strlen(kind), ml = strlen(module), vl = version ? strlen(version) : 0;
	b->len = 0;
	/* room for all of it at once: one allocation per key */
	if (grow(&b->p, &b->cap, kl + ml + (version ? 1 + vl : 0) + 1, 1) < 0)
		return -1;
	b->len = key_put(b->p, kind, kl, module, ml, version, vl);
	return 0;
}

static TDB_DATA key_of(struct buf *b, const char *kind, const char *module, const char *version)
{
	if (store_key(b, kind, module, version) < 0)
		return (TDB_DATA){NULL, 0};
	return (TDB_DATA){(unsigned char *)b->p, b->len};
}

/* A key of a request's own module and version (never longer than their
 * limits) made on the stack, in kb[KEY_ROOM]: no allocation per request;
 * a longer one in k (buf_free it).  kind[0, kl) a STORE_KEY_ prefix. */
#define KEY_ROOM (sizeof STORE_KEY_VERSION + MODPATH_MAX + 1 + VERSION_MAX)
static TDB_DATA request_key(char *kb, struct buf *k, const char *kind, size_t kl, const char *module,
                            const char *version)
{
	size_t ml = strlen(module), vl = version ? strlen(version) : 0;
	if (kl < sizeof STORE_KEY_VERSION && ml <= MODPATH_MAX && vl <= VERSION_MAX)
		return (TDB_DATA){(unsigned char *)kb, key_put(kb, kind, kl, module, ml, version, vl)};
	return key_of(k, kind, module, version);
}

int verinfo_encode(const struct verinfo *vi, const char *gomod, size_t gomodlen, char *out, size_t outsz)
{
	if (fmt(out, outsz,
	        "version=%s\ntime=%lld\nzip_size=%llu\nmod_size=%llu\nzip_sha256=%s\nh1=%s\nh1mod=%s\nuploader=%s\n"
	        "%s%s%s%s",
	        vi->version, (long long)vi->time, (unsigned long long)vi->zip_size,
	        (unsigned long long)vi->mod_size, vi->zip_sha256, vi->h1_zip, vi->h1_mod, vi->uploader,
	        vi->source[0] ? "source=" : "", vi->source, vi->source[0] ? "\n" : "",
	        vi->deleting ? "deleting=1\n" : "") < 0)
		return -1;
	if (!gomod || gomodlen > STORE_GOMOD_KEPT_MAX)
		return 0;
	size_t o = strlen(out);
	/* "gomod=", each byte escaped at most twice its size, "\n", NUL */
	if (outsz - o < 6 + 2 * gomodlen + 2)
		return -1;
	memcpy(out + o, "gomod=", 6);
	o += 6;
	for (size_t i = 0; i < gomodlen; i++) {
		char c = gomod[i];
		if (c == '\\' || c == '\n' || c == 0) {
			out[o++] = '\\';
			c = c == '\n' ? 'n' : c == 0 ? '0' : '\\';
		}
		out[o++] = c;
	}
	out[o++] = '\n';
	out[o] = 0;
	return 0;
}

long verinfo_gomod(const char *data, size_t len, const struct verinfo *vi, char *out, size_t outsz)
{
	if (!vi->gomod_at || vi->gomod_at > len || vi->gomod_len > len - vi->gomod_at ||
	    vi->mod_size > outsz)
		return -1;
	const char *p = data + vi->gomod_at, *end = p + vi->gomod_len;
	size_t o = 0;
	while (p < end) {
		/* the runs between escapes copied whole */
		const char *bs = memchr(p, '\\', (size_t)(end - p));
		size_t run = (size_t)((bs ? bs : end) - p);
		if (run > vi->mod_size - o)
			return -1;
		memcpy(out + o, p, run);
		o += run;
		p += run;
		if (!bs)
			break;
		if (end - p < 2 || o == vi->mod_size || (p[1] != '\\' && p[1] != 'n' && p[1] != '0'))
			return -1;
		out[o++] = p[1] == 'n' ? '\n' : p[1] == '0' ? 0 : '\\';
		p += 2;
	}
	return o == vi->mod_size ? (long)o : -1;
}

/* A number as verinfo_encode writes one, from the value's first 31
 * bytes (strtoll's value for those digits; musl's strtoll is a scanf
 * underneath, and a request reads three) */
static long long decimal(const char *s, size_t n)
{
	if (n > 31)
		n = 31;
	const char *end = s + n;
	int neg = s < end && *s == '-';
	unsigned long long v = 0;
	for (s += neg; s < end && *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned long long)(*s - '0');
	return (long long)(neg ? 0ULL - v : v);
}

/* memcmp(a, b, n) == 0 for a key's few bytes, without a call */
static int same(const char *a, const char *b, size_t n)
{
	while (n && *a == *b)
		a++, b++, n--;
	return n == 0;
}

/* One pass over each line: the key up to its '=', told apart by its
 * length and first byte, then the value up to the newline. */
int verinfo_decode(const char *data, size_t len, struct verinfo *vi)
{
	memset(vi, 0, sizeof *vi);
	const char *p = data, *end = data + len;
	int seen = 0;
	while (p < end) {
		const char *eq = p;
		while (eq < end && *eq != '=' && *eq != '\n')
			eq++;
		if (eq == end || *eq != '=')
			return -1;
		const char *v = eq + 1, *nl = find_byte(v, '\n', (size_t)(end - v));
		if (!nl)
			return -1;
		size_t kl = (size_t)(eq - p), vl = (size_t)(nl - v);
#define KEY(s) (kl == sizeof(s) - 1 && same(p + 1, (s) + 1, kl - 1))
		switch (kl ? *p : 0) {
		case 'v':
			if (KEY("version"))
				copy_cut(vi->version, sizeof vi->version, v, vl), seen |= 1;
			break;
		case 't':
			if (KEY("time"))
				vi->time = decimal(v, vl), seen |= 2;
			break;
		case 'z':
			if (KEY("zip_size"))
				vi->zip_size = (uint64_t)decimal(v, vl);
			else if (KEY("zip_sha256"))
				copy_cut(vi->zip_sha256, sizeof vi->zip_sha256, v, vl);
			break;
		case 'm':
			if (KEY("mod_size"))
				vi->mod_size = (uint64_t)decimal(v, vl);
			break;
		case 'g':
			/* the last field when there (verinfo_encode) */
			if (KEY("gomod"))
				vi->gomod_at = (size_t)(v - data), vi->gomod_len = vl;
			break;
		case 'h':
			if (KEY("h1"))
				copy_cut(vi->h1_zip, sizeof vi->h1_zip, v, vl);
			else if (KEY("h1mod"))
				copy_cut(vi->h1_mod, sizeof vi->h1_mod, v, vl);
			break;
		case 's':
			if (KEY("source"))
				copy_cut(vi->source, sizeof vi->source, v, vl);
			break;
		case 'u':
			if (KEY("uploader"))
				copy_cut(vi->uploader, sizeof vi->uploader, v, vl);
			break;
		case 'd':
			if (KEY("deleting"))
				vi->deleting = vl > 0 && v[0] == '1';
			break;
		}
#undef KEY
		p = nl + 1;
	}
	return seen == 3 ? 0 : -1;
}

int store_info_format(const char *version, int64_t t, char *out, size_t outsz)
{
	static const char a[] = "{\"Version\":\"", b[] = "\",\"Time\":\"", c[] = "\"}\n";
	char ts[32];
	time_rfc3339(t, ts);
	size_t vl = strlen(version), tl = strlen(ts);
	/* copied in place (each .info request makes one); fmt cuts what
	 * does not fit */
	if (sizeof a - 1 + vl + sizeof b - 1 + tl + sizeof c > outsz)
		return fmt(out, outsz, "%s%s%s%s%s", a, version, b, ts, c);
	char *o = out;
	memcpy(o, a, sizeof a - 1);
	o += sizeof a - 1;
	memcpy(o, version, vl);
	o += vl;
	memcpy(o, b, sizeof b - 1);
	o += sizeof b - 1;
	memcpy(o, ts, tl);
	memcpy(o + tl, c, sizeof c);
	return (int)(o + tl + sizeof c - 1 - out);
}

int store_path_exists(const char *path)
{
	struct stat sb;
	return lstat(path, &sb) == 0 ? 1 : errno == ENOENT ? 0 : -1;
}

/* The version's record as it is, deleting or not: 200, 404 or 500; and
 * when mod is not NULL, the go.mod it keeps (store_get_mod). */
static int fetch_record(const struct store *st, const char *owner, const char *module,
                        const char *version, struct verinfo *vi, char *mod, size_t modsz, long *modlen,
                        char *err, size_t errsz)
{
	struct tdb_context *db = store_index_read(st, owner);
	if (!db) {
		if (errno == ENOENT)
			return ERR(404, "%s@%s: not found", module, version);
		return ERR(500, "unable to open index of '%s': %s", owner, strerror(errno));
	}
	char kb[KEY_ROOM];
	struct buf k = {0};
	TDB_DATA key = request_key(kb, &k, STORE_KEY_VERSION, sizeof STORE_KEY_VERSION - 1, module, version);
	/* the kept record itself, not a copy: its go.mod read before the
	 * next store call */
	int owned = 0, r = 0;
	TDB_DATA val = {NULL, 0};
	if (key.dptr)
		r = store_fetch_verinfo(st, db, key, &val, &owned, vi);
	buf_free(&k);
	if (mod)
		*modlen = val.dptr && r == 0 ? verinfo_gomod((const char *)val.dptr, val.dsize, vi, mod, modsz) : -1;
	if (owned)
		free(val.dptr);
	store_index_read_done(st, db);
	if (!val.dptr)
		return ERR(404, "%s@%s: not found", module, version);
	if (r < 0)
		return ERR(500, "%s@%s: corrupt metadata record", module, version);
	return 200;
}

/* Does the version's .info exist?  200, 404 or 500. */
static int info_exists(const struct store *st, const char *owner, const char *module,
                       const char *version, char *err, size_t errsz)
{
	char info[FILE_PATH_MAX];
	if (store_file_path(st, owner, module, version, "info", info, sizeof info) < 0)
		return ERR(404, "%s@%s: not found", module, version);
	switch (store_path_exists(info)) {
	case 1: return 200;
	case 0: return ERR(404, "%s@%s: not found", module, version);
	default: return ERR(500, "unable to look at '%s': %s", info, strerror(errno));
	}
}

int store_get_mod(const struct store *st, const char *owner, const char *module, const char *version,
                  struct verinfo *vi, char *mod, size_t modsz, long *modlen, char *err, size_t errsz)
{
	if (modlen)
		*modlen = -1;
	int code = fetch_record(st, owner, module, version, vi, mod, modsz, modlen, err, errsz);
	if (code != 200)
		return code;
	if (vi->deleting)
		return ERR(404, "%s@%s: not found", module, version);
	/* a record without its .info: a version the file tree no longer has */
	return info_exists(st, owner, module, version, err, errsz);
}

int store_get(const struct store *st, const char *owner, const char *module,
              const char *version, struct verinfo *vi, char *err, size_t errsz)
{
	return store_get_mod(st, owner, module, version, vi, NULL, 0, NULL, err, errsz);
}

int store_present(const struct store *st, const char *owner, const char *module,
                  const char *version, char *err, size_t errsz)
{
	struct verinfo vi;
	int code = fetch_record(st, owner, module, version, &vi, NULL, 0, NULL, err, errsz);
	return code == 404 ? info_exists(st, owner, module, version, err, errsz) : code;
}

void store_list_free(char **v, size_t n)
{
	strv_free(v, n);
}

/* A list record is the versions joined by '\n', kept in semver order. */
int store_list_split(const char *data, size_t len, char ***out, size_t *n)
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
		/* lines of a dozen bytes: find_byte's word at a time, and the
		 * copy made without strndup's second look for a NUL */
		const char *nl = find_byte(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (l) {
			if (!(v[k] = malloc(l + 1))) {
				store_list_free(v, k);
				return -1;
			}
			memcpy(v[k], p, l);
			v[k++][l] = 0;
		}
		p += l + 1;
	}
	*out = v;
	*n = k;
	return 0;
}

/* a module's list record, through st's kept records when st is not NULL */
static TDB_DATA list_record(const struct store *st, struct tdb_context *db, const char *module)
{
	struct buf k = {0};
	TDB_DATA key = key_of(&k, STORE_KEY_LIST, module, NULL);
	TDB_DATA val = !key.dptr ? (TDB_DATA){NULL, 0} : st ? store_fetch(st, db, key) : tdb_fetch(db, key);
	buf_free(&k);
	return val;
}

/* store_get_list, through st's kept records when st is not NULL */
static int get_list(const struct store *st, struct tdb_context *db, const char *module, char ***v, size_t *n)
{
	TDB_DATA val = list_record(st, db, module);
	int r = store_list_split(val.dptr ? (const char *)val.dptr : "", val.dptr ? val.dsize : 0, v, n);
	free(val.dptr);
	return r;
}

int store_get_list(struct tdb_context *db, const char *module, char ***v, size_t *n)
{
	return get_list(NULL, db, module, v, n);
}

int store_versions(const struct store *st, const char *owner, const char *module,
                   char ***versions, size_t *n, char *err, size_t errsz)
{
	*versions = NULL;
	*n = 0;
	struct tdb_context *db = store_index_read(st, owner);
	if (!db) {
		if (errno == ENOENT)
			return ERR(404, "%s: no such module", module);
		return ERR(500, "unable to open index of '%s': %s", owner, strerror(errno));
	}
	int r = get_list(st, db, module, versions, n);
	store_index_read_done(st, db);
	if (r < 0)
		return ERR(500, "out of memory");
	if (*n == 0) {
		store_list_free(*versions, 0);
		*versions = NULL;
		return ERR(404, "%s: no such module", module);
	}
	return 200;
}

int store_versions_raw(const struct store *st, const char *owner, const char *module, const char **data,
                       size_t *len, int *owned, char *err, size_t errsz)
{
	*data = NULL;
	*len = 0;
	*owned = 0;
	struct tdb_context *db = store_index_read(st, owner);
	if (!db) {
		if (errno == ENOENT)
			return ERR(404, "%s: no such module", module);
		return ERR(500, "unable to open index of '%s': %s", owner, strerror(errno));
	}
	char kb[KEY_ROOM];
	struct buf k = {0};
	TDB_DATA key = request_key(kb, &k, STORE_KEY_LIST, sizeof STORE_KEY_LIST - 1, module, NULL);
	TDB_DATA val = key.dptr ? store_fetch_ref(st, db, key, owned) : (TDB_DATA){NULL, 0};
	buf_free(&k);
	store_index_read_done(st, db);
	size_t i = 0;
	while (val.dptr && i < val.dsize && val.dptr[i] == '\n')
		i++;
	if (!val.dptr || i == val.dsize) {
		if (*owned)
			free(val.dptr);
		*owned = 0;
		return ERR(404, "%s: no such module", module);
	}
	*data = (const char *)val.dptr;
	*len = val.dsize;
	return 200;
}

static int join_list(char **v, size_t n, struct buf *out, int public_only)
{
	/* the room for every line first, then each copied in: one
	 * allocation for a list of 10 000 versions, not one per line */
	size_t need = 1;
	for (size_t i = 0; i < n; i++)
		need += strlen(v[i]) + 1;
	out->len = 0;
	if (grow(&out->p, &out->cap, need, 1) < 0)
		return -1;
	char *o = out->p;
	for (size_t i = 0; i < n; i++) {
		/* the file-tree @v/list, like the HTTP one, leaves out
		 * pseudo-versions (go.dev/ref/mod#goproxy-protocol), which
		 * all have a '-' */
		size_t l = strlen(v[i]);
		if (public_only && memchr(v[i], '-', l) && semver_classify(v[i]) == SEMVER_PSEUDO)
			continue;
		memcpy(o, v[i], l);
		o[l] = '\n';
		o += l + 1;
	}
	*o = 0;
	out->len = (size_t)(o - out->p);
	return 0;
}

int store_list_format(char **v, size_t n, struct buf *out)
{
	return join_list(v, n, out, 1);
}

int store_put_list(struct tdb_context *db, const char *module, char **v, size_t n)
{
	struct buf k = {0}, val = {0};
	int r = -1;
	TDB_DATA key = key_of(&k, STORE_KEY_LIST, module, NULL);
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

int store_write_file(const struct store *st, const char *dir, const char *name,
                     const void *data, size_t n)
{
	char tmp[OWNER_PATH_MAX], dst[FILE_PATH_MAX];
	if (fmt(dst, sizeof dst, "%s/%s", dir, name) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = store_tmp_create(st, "w", tmp, sizeof tmp);
	if (fd < 0)
		return -1;
	/* the descriptor, and with it the lock, stays open until the rename */
	if (write_all(fd, data, n) < 0 || fsync(fd) < 0 || rename(tmp, dst) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return -1;
	}
	close(fd);
	return fsync_path(dir);
}

void store_prune_dirs(const char *stop, const char *dir)
{
	char p[FILE_PATH_MAX];
	if (fmt(p, sizeof p, "%s", dir) < 0)
		return;
	size_t sl = strlen(stop);
	int removed = 0;
	while (strlen(p) > sl && strncmp(p, stop, sl) == 0 && p[sl] == '/' && rmdir(p) == 0) {
		removed = 1;
		*strrchr(p, '/') = 0;
	}
	if (removed)
		fsync_path(p);
}

