/* The store: module files plus tdb metadata under one root directory.
 * Layout and guarantees: goreg-store(5); the layers: lib/README.md.
 *
 *   ROOT/goreg.tdb                       accounts (see auth.h)
 *   ROOT/OWNER/index.tdb                 per-version metadata, version lists
 *   ROOT/OWNER/ESC-MODULE/@v/ESC-VER.{zip,mod,info}, ROOT/OWNER/ESC-MODULE/@v/list
 *   ROOT/tmp/                            spool for uploads, same filesystem
 *   ROOT/lost+found/                     what goreg-fsck --repair set aside
 *
 * The rules every function here keeps (goreg-store(5), GUARANTEES):
 *  - a version exists when its .info file and its index record both do,
 *    and the record is not marked deleting; its .zip and .mod are in place
 *    before its .info is (publish renames .zip, .mod, .info in that order)
 *    and the .info goes first on delete;
 *  - the index's transaction lock serialises every change to one owner
 *    (publish, delete, goreg-fsck), so of N racing uploads of one version
 *    exactly one finds it absent;
 *  - files are written whole in ROOT/tmp, fsync'd, and renamed into place;
 *    directories are fsync'd before the metadata commit that refers to them.
 *
 * Functions return an HTTP-like status (200, 201, 204, 404, 409, 500) and
 * fill err with a one-line reason when it is not 2xx. */
#ifndef GOREG_STORE_H
#define GOREG_STORE_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "base/limits.h"

struct tdb_context;
struct TDB_DATA;

/* Read handles a long-lived process (goreg-httpd, one connection) keeps
 * open between requests instead of opening them for each (cache.c).  A
 * kept handle is checked against its path's inode once per request
 * (store_cache_request), unless the kernel watches its names for the
 * process (store_cache_watch) and has reported nothing since; it is
 * dropped before the process opens the same file to write (tdb refuses
 * two opens of one file in a process). */
struct store_handle {
	struct tdb_context *db;
	dev_t dev;                      /* the open file's, noted when kept */
	ino_t ino;
	unsigned checked;               /* the request it was last found current in */
	int wd_file, wd_dir;            /* inotify watches on the file and its directory, or 0 */
	unsigned epoch;                 /* the cache's epoch when last found current */
};

/* A record as last fetched through a kept handle, and the handle's tdb
 * sequence number then (every goreg writer bumps it: TDB_SEQNUM): good
 * while the number is the same.  found 0 keeps an absence. */
struct store_rec {
	struct tdb_context *db;
	uint32_t seqnum;
	int found;
	size_t klen, vlen;
	unsigned char *key, *val;       /* malloc'd */
};

struct verinfo {
	char version[VERSION_MAX + 1];
	int64_t time;                   /* upload time, unix seconds */
	uint64_t zip_size;
	uint64_t mod_size;
	char zip_sha256[65];            /* hex */
	char h1_zip[H1_LEN + 1];
	char h1_mod[H1_LEN + 1];
	char uploader[OWNER_MAX + 1];
	char source[16];                /* where it came from: "" uploaded, "upstream" */
	int deleting;                   /* a delete has begun: not served, not listed */
	/* the record's copy of the go.mod (verinfo_gomod), as verinfo_decode
	 * found it: its escaped bytes at this offset of the record, 0 when
	 * the record has none */
	size_t gomod_at, gomod_len;
};

struct store_cache {
	struct store_handle accounts;   /* goreg.tdb */
	struct store_handle index;      /* OWNER/index.tdb of index_owner */
	char index_owner[OWNER_MAX + 1];
	unsigned request;               /* store_cache_request counts them */
	int last;                       /* the connection's last request: keep no records */
	struct store_rec rec[STORE_CACHE_RECS];
	unsigned next;                  /* the slot a new record takes */
	int watching;                   /* watch_fd is an inotify descriptor */
	int watch_fd;                   /* which raises SIGIO when it has a report */
	int root_wd;                    /* its watch on the store's root */
	unsigned epoch;                 /* moves each time the watches report */
	/* the version record kept in *decoded, as verinfo_decode made it
	 * (store_fetch_verinfo): good while that slot holds the same record,
	 * so NULL as soon as the slot is cleared */
	const struct store_rec *decoded;
	struct verinfo vi;
};

struct store {
	char root[STORE_ROOT_MAX];
	struct store_cache *cache;      /* NULL: open everything per use */
};

struct modzip_info;
struct buf;

/* Close the handles st->cache keeps, forget their records, and end its
 * watches. */
void store_cache_close(struct store *st);
/* A new request begins: each kept handle is checked again before use.
 * last: no request follows it (Connection: close), so no record is kept
 * (a kept one costs two reads of the sequence number). */
void store_cache_request(struct store_cache *c, int last);
/* h's handle if path still names its file (a stat, once per request),
 * else NULL with the handle dropped. */
struct tdb_context *store_cache_get(struct store_cache *c, struct store_handle *h, const char *path);
/* Is h's handle good for this request without its path: checked already,
 * or watched with nothing reported since?  (Callers then need not make
 * the path; 0 means ask store_cache_get.) */
int store_cache_valid(const struct store_cache *c, const struct store_handle *h);
/* Keep db (just opened from its path) in h. */
void store_cache_keep(struct store_cache *c, struct store_handle *h, struct tdb_context *db);
/* Have the kernel watch the names of the files c keeps (and root) and
 * say when one is replaced, renamed or removed, so that a kept handle
 * needs no stat per request: inotify, whose reports raise SIGIO (a
 * handler is installed).  A handle is watched from its second request
 * on; a name through a symbolic link is not watched.  Before the seccomp
 * filter; one such cache per process (the signal's flag is the
 * process's).  0, or -1 when it cannot (out of inotify instances, root a
 * symbolic link): every handle is then checked by a stat per request. */
int store_cache_watch(struct store_cache *c, const char *root);
/* Close h's handle, forgetting its records. */
void store_cache_drop(struct store_cache *c, struct store_handle *h);
/* tdb_fetch (a malloc'd copy the caller frees; dptr NULL when absent),
 * answered from st->cache's records when db is a kept handle and its
 * sequence number has not moved since the record was read: then without
 * a lock or a read of the record, whatever its chain. */
struct TDB_DATA store_fetch(const struct store *st, struct tdb_context *db, struct TDB_DATA key);
/* store_fetch, but a kept record is not copied: *owned 0 and the value is
 * the cache's, good until the next store call; *owned 1: the caller's to
 * free */
struct TDB_DATA store_fetch_ref(const struct store *st, struct tdb_context *db, struct TDB_DATA key, int *owned);
/* store_fetch_ref for a version's record (*val, *owned as it says),
 * decoded into vi: 0, or -1 for a record verinfo_decode refuses; 0 with
 * val->dptr NULL when there is none.  A kept record is decoded once while
 * it stays kept (a keep-alive connection asking for the same version
 * again), then copied. */
int store_fetch_verinfo(const struct store *st, struct tdb_context *db, struct TDB_DATA key,
                        struct TDB_DATA *val, int *owned, struct verinfo *vi);

/* The store is private (goreg-store(5)): nothing in it has a world bit,
 * nor a group write bit; a group (a static web server's) may read the
 * module files and walk the owner trees.  Secrets are the owner's alone.
 * These are the modes everything in the store is created with (and what
 * goreg-fsck holds an existing store to): */
#define STORE_MODE_FILE    0640     /* module files, lists, index.tdb */
#define STORE_MODE_SECRET  0600     /* goreg.tdb, audit.log, keys */
#define STORE_MODE_DIR     0750     /* ROOT, the owner trees */
#define STORE_MODE_PRIVDIR 0700     /* ROOT/tmp, ROOT/lost+found and below */

/* GOREG_ROOT or /var/lib/goreg */
const char *store_default_root(void);
int store_init(struct store *st, const char *root, char *err, size_t errsz);
/* Create ROOT and ROOT/tmp if missing (write paths call it). */
int store_prepare(struct store *st, char *err, size_t errsz);
/* Can a server use the store: its root a directory this process may read,
 * and ROOT/goreg.tdb, if there is one, readable?  200, or
 * 500 with the reason, which names the path: for the log, never for a
 * client (ops_hide_500). */
int store_check_root(const struct store *st, char *err, size_t errsz);
/* store_prepare as 0, or -1 with errno. */
int store_mkdirs(const struct store *st);

/* NULL if the store can hold the (valid) module path, else why not. */
const char *store_check_module(const char *module);

/* Owner names: [a-z0-9][a-z0-9._-]*, at most OWNER_MAX bytes.  NULL if ok. */
const char *store_check_owner(const char *owner);

/* Paths of a version's files: ext is "zip", "mod" or "info". */
int store_file_path(const struct store *st, const char *owner, const char *module,
                    const char *version, const char *ext, char *out, size_t outsz);
int store_tmp_path(const struct store *st, char *out, size_t outsz);  /* ROOT/tmp */

/* A new file ROOT/tmp/PREFIX.XXXXXX, mode STORE_MODE_FILE, with an open-file-description
 * lock on it (F_OFD_SETLK) for as long as the returned descriptor is open:
 * goreg-fsck leaves locked files in tmp/ alone, so a writer that keeps the
 * descriptor open until its file is renamed away cannot lose it to a
 * concurrent goreg-fsck --repair.  Returns the fd, or -1 with errno. */
int store_tmp_create(const struct store *st, const char *prefix, char *path, size_t pathsz);
/* 1 if some open file description other than fd's holds a lock on the
 * file, 0 if none, -1 with errno if that cannot be known. */
int store_tmp_locked(int fd);

/* A version's record, 404 unless the version exists (record and .info). */
int store_get(const struct store *st, const char *owner, const char *module,
              const char *version, struct verinfo *vi, char *err, size_t errsz);
/* store_get, and the go.mod the record keeps into mod[0, modsz): *modlen
 * its length, or -1 when the record keeps none (then it is the .mod
 * file's to say). */
int store_get_mod(const struct store *st, const char *owner, const char *module, const char *version,
                  struct verinfo *vi, char *mod, size_t modsz, long *modlen, char *err, size_t errsz);
/* Is there anything of the version for a delete to remove: a record,
 * also one a delete cut short left marked deleting, or a .info without a
 * record?  200, 404 or 500. */
int store_present(const struct store *st, const char *owner, const char *module,
                  const char *version, char *err, size_t errsz);
/* All versions of a module in semver order (malloc'd array of malloc'd
 * strings; free with store_list_free).  404 if the module has none. */
int store_versions(const struct store *st, const char *owner, const char *module,
                   char ***versions, size_t *n, char *err, size_t errsz);
void store_list_free(char **versions, size_t n);
/* The same versions as the record holds them, "VERSION\n" lines (*len
 * bytes at *data, the caller's to free if *owned, else goreg-httpd's kept
 * record, good until the next store call): no array of strings for a list
 * or @latest. */
int store_versions_raw(const struct store *st, const char *owner, const char *module, const char **data,
                       size_t *len, int *owned, char *err, size_t errsz);

/* An owner's modules, sorted by path, each with the versions of its
 * list record (semver order): the one walk of the index's list records
 * that goreg-admin owner modules, the HTTP listing, the pages and
 * /metrics share.  An owner with no index has none: 200; else 500. */
struct store_module {
	char *path;
	char **v;
	size_t nv;
};
int store_owner_modules(const struct store *st, const char *owner, struct store_module **m, size_t *n,
                        char *err, size_t errsz);
void store_owner_modules_free(struct store_module *m, size_t n);

/* The owner's tree locked against deletes: flock(2) on ROOT/OWNER (the
 * directory open now, checked to be the one the path names once locked).
 * 200 and *fd, 404 when there is no tree, 500.  A delete holds it from
 * start to end, so of racing deletes of a version one finds it. */
int store_owner_flock(const struct store *st, const char *owner, int *fd, char *err, size_t errsz);

/* The owner's locks, held by goreg-admin user delete from the count of
 * the owner's versions (*versions) to the end of store_owner_set_aside,
 * so that no publish or delete lands in between: the tree's flock (as a
 * delete takes it, first) and the index lock.  A publish that waited for
 * it finds the tree or the owner gone and is refused (409).  Either may
 * be absent (-1, NULL) when the owner has no tree or no index.  200 or
 * 500; store_owner_unlock lets go. */
struct store_owner_hold {
	int fd;
	struct tdb_context *db;
};
int store_owner_lock(const struct store *st, const char *owner, struct store_owner_hold *h, size_t *versions,
                     char *err, size_t errsz);
void store_owner_unlock(struct store_owner_hold *h);

/* Move ROOT/OWNER, all of it, to ROOT/lost+found/OWNER.deleted.NOW (its
 * path into dst): 200, 204 when there is no ROOT/OWNER, or 500. */
int store_owner_set_aside(const struct store *st, const char *owner, int64_t now, char *dst, size_t dstsz,
                          char *err, size_t errsz);

/* A copy of the store at st into dst (new, or an empty directory) while
 * it serves: goreg.tdb copied under its transaction lock, each owner's
 * tree under its index's (so no publish or delete is half in the copy),
 * audit.log to its last whole line, everything but tmp/; modes and times
 * kept, all fsync'd.  200; 409 when dst is not empty; 500.  backup.c. */
struct store_backup_counts {
	unsigned long owners, files;
	unsigned long long bytes;
};
int store_backup(const struct store *st, const char *dst, struct store_backup_counts *n, char *err,
                 size_t errsz);

/* Publish the validated zip at zippath (in ROOT/tmp; consumed on success)
 * as owner's mi->module@mi->version.  201, or 409 if it exists.  On input
 * vi->zip_sha256 holds the zip's SHA-256 (hex; computed as it was checked);
 * on output *vi is the stored record. */
typedef int store_owner_fn(const struct store *st, const char *owner);
/* still, when not NULL, says whether the owner still exists (the
 * accounts' word, which the store does not read): asked before the
 * owner's tree is made and again under its lock, so that an upload that
 * began before goreg-admin user delete cannot make the tree again after
 * it (409). */
int store_publish(const struct store *st, const char *owner, const char *zippath,
                  const struct modzip_info *mi, const char *uploader, int64_t now, store_owner_fn *still,
                  struct verinfo *vi, char *err, size_t errsz);
/* Remove a version: 204, or 404 if it does not exist. */
int store_delete(const struct store *st, const char *owner, const char *module,
                 const char *version, char *err, size_t errsz);

/* verinfo record <-> bytes (one "key=value\n" per field).  gomod, when
 * not NULL and at most STORE_GOMOD_KEPT_MAX bytes, is kept as the last
 * field, "gomod=" with '\\', newline and NUL escaped as "\\\\", "\\n" and
 * "\\0" (so a reader that does not know the field skips its one line);
 * the encoded record is a C string of at most VERINFO_ENCODED_MAX bytes
 * with its NUL. */
#define VERINFO_ENCODED_MAX (1024 + 2 * STORE_GOMOD_KEPT_MAX)
int verinfo_encode(const struct verinfo *vi, const char *gomod, size_t gomodlen, char *out, size_t outsz);
int verinfo_decode(const char *data, size_t len, struct verinfo *vi);
/* The go.mod the record data[0, len) (decoded into vi) keeps, into
 * out[0, outsz): its length, or -1 when the record keeps none, or a copy
 * that is not mod_size bytes or does not fit. */
long verinfo_gomod(const char *data, size_t len, const struct verinfo *vi, char *out, size_t outsz);

/* ---- the pieces goreg-fsck (fsck.h) shares with publish and delete ---- */

/* Open any of the store's tdb files the way store_index_open does (see
 * store.c: readers open read-write so that tdb takes its read locks, no
 * mmap; INDEX_READ falls back to O_RDONLY where the store is not
 * writable).  how is INDEX_READ, INDEX_WRITE or INDEX_CREATE; or
 * INDEX_READ_MAP, INDEX_READ with the file mapped, for goreg-httpd's
 * handles kept for a connection's next requests. */
struct tdb_context *store_tdb_open(const char *path, int hash_size, int how, mode_t mode);
/* Is db's open file the one path names now (not replaced meanwhile)? */
int store_same_file(struct tdb_context *db, const char *path);
/* Open OWNER/index.tdb.  INDEX_READ and INDEX_WRITE open an existing index
 * (errno ENOENT if there is none), INDEX_CREATE creates it if needed,
 * INDEX_READ_MAP opens it to read with the file mapped: for a handle
 * goreg-httpd keeps for a connection's next requests, and for a walk of
 * every record (tdb_traverse_read).  See store.c for why readers open it
 * read-write. */
enum { INDEX_READ, INDEX_WRITE, INDEX_CREATE, INDEX_READ_MAP };
struct tdb_context *store_index_open(const struct store *st, const char *owner, int how);
/* Open it INDEX_READ_MAP for a walk (closed with tdb_close), dropping the
 * connection's kept handle on an index first (tdb opens a file once per
 * process). */
struct tdb_context *store_index_scan(const struct store *st, const char *owner);
/* Open the index and start a transaction: the owner's lock.  When the
 * file was replaced while this process waited for the lock (goreg-fsck
 * --repair sets a corrupt index aside), it opens the new one.  NULL with
 * errno when it cannot. */
struct tdb_context *store_index_lock(const struct store *st, const char *owner, int how);
/* A read handle on the owner's index (the store's cached one when it
 * still is the file's), and its release.  NULL with errno. */
struct tdb_context *store_index_read(const struct store *st, const char *owner);
void store_index_read_done(const struct store *st, struct tdb_context *db);
/* Index keys: "v:MODULE@VERSION" holds a verinfo record, "l:MODULE" the
 * module's versions, '\n'-separated, in semver order; "u:MODULE" the
 * upstream's version list as last fetched (ulist.c), a cache. */
#define STORE_INDEX_FILE "index.tdb"   /* ROOT/OWNER/index.tdb */
#define STORE_KEY_VERSION "v:"
#define STORE_KEY_LIST "l:"
#define STORE_KEY_UPSTREAM "u:"
/* The key of a record into b (NUL-terminated): 0, or -1 out of memory. */
int store_key(struct buf *b, const char *kind, const char *module, const char *version);
/* '\n'-separated lines as an array (store_list_free): 0, or -1. */
int store_list_split(const char *data, size_t len, char ***out, size_t *n);
/* A module's version list record as an array (store_list_free); none: n 0. */
int store_get_list(struct tdb_context *db, const char *module, char ***v, size_t *n);
/* 1 if path exists (lstat), 0 if not, -1 with errno if that is unknown. */
int store_path_exists(const char *path);
/* Replace (n > 0) or delete (n == 0) a module's version list record. */
int store_put_list(struct tdb_context *db, const char *module, char **v, size_t n);
/* The .info bytes of a version: {"Version":"V","Time":"RFC 3339"}\n, and
 * their length; -1 when they do not fit (cut as fmt cuts). */
int store_info_format(const char *version, int64_t t, char *out, size_t outsz);
/* The @v/list bytes for versions v (semver order): pseudo-versions left out. */
int store_list_format(char **v, size_t n, struct buf *out);
/* Write dir/name atomically through a locked file in ROOT/tmp, then fsync
 * dir.  0, or -1 with errno. */
int store_write_file(const struct store *st, const char *dir, const char *name,
                     const void *data, size_t n);
/* Remove dir and its parents while they are empty, stopping below stop;
 * fsync the parent of the last one removed.  Never fails. */
void store_prune_dirs(const char *stop, const char *dir);

/* Test hook, in builds with GOREG_TEST_HOOKS only (the sanitizer build):
 * GOREG_STORE_CRASH=NAME kills the process (SIGKILL) when a publish or a
 * delete reaches the step NAME (see store.c; a no-op everywhere else). */
void store_crash_point(const char *name);

/* The upstream's version list of a module, as goreg-fetch last fetched
 * it (a cache, which goreg-fsck leaves alone and a rebuilt index drops):
 * *when the unix time it was fetched, the versions in semver order
 * (store_list_free).  200, 404 never fetched, 500. */
int store_ulist_get(const struct store *st, const char *owner, const char *module, int64_t *when,
                    char ***v, size_t *n, char *err, size_t errsz);
/* Record it: 200 or 500. */
int store_ulist_put(const struct store *st, const char *owner, const char *module, int64_t when,
                    char **v, size_t n, char *err, size_t errsz);

#endif
