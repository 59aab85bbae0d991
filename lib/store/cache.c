/* The read handles and records goreg-httpd keeps for one connection
 * (store.h, struct store_cache).  Two checks keep them honest at little
 * cost:
 * - A handle must still be the file its path names, so that a replaced
 *   file (goreg-fsck --repair rebuilding an index, a restored goreg.tdb,
 *   an owner's tree set aside) is opened anew.  The kernel watches the
 *   names (inotify: the file, its directory and the store's root) and
 *   raises SIGIO when one is renamed, replaced or removed; until it does,
 *   a handle is used as it is.  Then, or with no watches, a handle is
 *   compared with its path (one stat) at its first use in a request.
 * - A record is reused only while the handle's tdb sequence number is the
 *   one it was read under (one read of the mapped header), and every
 *   goreg writer opens with TDB_SEQNUM (store.c), so each committed change
 *   (a new version, a revoked token) moves it.  A version's record is
 *   decoded once while it stays kept: what it decodes to is dropped with
 *   the record (clear). */
#include "store/store.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <tdb.h>
#include <unistd.h>

#include "base/util.h"

/* Set by SIGIO: the watches have something to report. */
static volatile sig_atomic_t reported;

static void on_sigio(int sig)
{
	(void)sig;
	reported = 1;
}

/* Inode events that mean "this name may no longer be this file": the
 * file's link count changing (an unlink, a rename over it) and any name
 * of the file or of a directory above it moving or going.  Writes and
 * reads report nothing. */
#define WATCH_FILE (IN_ATTRIB | IN_MOVE_SELF | IN_DELETE_SELF)
#define WATCH_DIR  (IN_MOVE_SELF | IN_DELETE_SELF | IN_ONLYDIR | IN_DONT_FOLLOW)

int store_cache_watch(struct store_cache *c, const char *root)
{
	struct sigaction sa = {.sa_handler = on_sigio, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	int fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -1;
	/* the handler first: SIGIO's default is to end the process */
	if (sigaction(SIGIO, &sa, NULL) < 0 || fcntl(fd, F_SETOWN, getpid()) < 0 ||
	    fcntl(fd, F_SETFL, O_NONBLOCK | O_ASYNC) < 0 ||
	    (c->root_wd = inotify_add_watch(fd, root, WATCH_DIR)) < 0) {
		close(fd);
		return -1;
	}
	c->watch_fd = fd;
	c->watching = 1;
	return 0;
}

/* The watches end with their descriptor, closed first: no removal one
 * by one, and no report of the removals (a SIGIO as the process ends). */
static void end_watching(struct store_cache *c)
{
	if (c->watching) {
		close(c->watch_fd);
		c->watching = 0;
	}
}

/* Read what the watches reported, so that the descriptor signals again. */
static void drain(struct store_cache *c)
{
	char ev[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	for (;;) {
		ssize_t n = read(c->watch_fd, ev, sizeof ev);
		int lost = 0;
		for (ssize_t o = 0; n > 0 && o < n;) {
			const struct inotify_event *e = (const void *)(ev + o);
			/* the root moved or went (its watch now names another
			 * directory, or none), or reports were lost */
			if ((e->wd == c->root_wd && (e->mask & (IN_MOVE_SELF | IN_DELETE_SELF | IN_IGNORED))) ||
			    (e->mask & IN_Q_OVERFLOW))
				lost = 1;
			o += (ssize_t)(sizeof *e + e->len);
		}
		if (n > 0 && !lost)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		if (lost || (n < 0 && errno != EAGAIN))
			end_watching(c); /* never again trusted: a stat per request from now on */
		return;
	}
}

void store_cache_request(struct store_cache *c, int last)
{
	c->request++;
	c->last = last;
	if (reported && c->watching) {
		/* cleared before the read: a report after it signals anew */
		reported = 0;
		drain(c);
		c->epoch++;
	}
}

static void unwatch(struct store_cache *c, struct store_handle *h)
{
	if (c->watching) {
		if (h->wd_file > 0)
			inotify_rm_watch(c->watch_fd, h->wd_file);
		/* a file in the root has the root's watch as its directory's */
		if (h->wd_dir > 0 && h->wd_dir != c->root_wd)
			inotify_rm_watch(c->watch_fd, h->wd_dir);
	}
	h->wd_file = h->wd_dir = 0;
}

/* Watch path (the file of h, whose inode h notes) and its directory: 0 if
 * the watches are on h's very file, which no later change can escape. */
static int watch(struct store_cache *c, struct store_handle *h, const char *path)
{
	char dir[STORE_ROOT_MAX + OWNER_MAX + 2];
	const char *slash = strrchr(path, '/');
	size_t dl = slash ? (size_t)(slash - path) : 0;
	struct stat sb;
	if (!c->watching || !slash || dl >= sizeof dir)
		return -1;
	memcpy(dir, path, dl);
	dir[dl] = 0;
	if ((h->wd_dir = inotify_add_watch(c->watch_fd, dl ? dir : "/", WATCH_DIR)) < 0 ||
	    (h->wd_file = inotify_add_watch(c->watch_fd, path, WATCH_FILE)) < 0) {
		unwatch(c, h);
		return -1;
	}
	/* replaced before the watch was added: the watch is on the new file */
	if (lstat(path, &sb) != 0 || sb.st_dev != h->dev || sb.st_ino != h->ino) {
		unwatch(c, h);
		return -1;
	}
	return 0;
}

static void clear(struct store_cache *c, struct store_rec *r)
{
	if (c->decoded == r)
		c->decoded = NULL; /* decoded from what is now gone */
	free(r->key);
	free(r->val);
	memset(r, 0, sizeof *r);
}

static void forget(struct store_cache *c, struct tdb_context *db)
{
	for (size_t i = 0; i < STORE_CACHE_RECS; i++)
		if (c->rec[i].db == db)
			clear(c, &c->rec[i]);
}

void store_cache_drop(struct store_cache *c, struct store_handle *h)
{
	if (!h->db)
		return;
	forget(c, h->db);
	tdb_close(h->db);
	unwatch(c, h);
	memset(h, 0, sizeof *h);
}

void store_cache_close(struct store *st)
{
	struct store_cache *c = st->cache;
	if (!c)
		return;
	end_watching(c);
	store_cache_drop(c, &c->index);
	store_cache_drop(c, &c->accounts);
}

void store_cache_keep(struct store_cache *c, struct store_handle *h, struct tdb_context *db)
{
	struct stat sb;
	store_cache_drop(c, h);
	h->db = db;
	h->checked = c->request;
	if (c->last)
		return; /* never used past this request: its identity is not needed */
	if (fstat(tdb_fd(db), &sb) == 0) {
		h->dev = sb.st_dev;
		h->ino = sb.st_ino;
		/* the epoch now, as the watches are added: any report from here
		 * on moves the cache's epoch past it */
		h->epoch = c->epoch;
		/* watched from its second request on (store_cache_get): a
		 * connection that moves from owner to owner adds and removes
		 * no watches */
	} else
		h->checked = c->request - 1; /* unknown: checked (and dropped) at its next use */
}

int store_cache_valid(const struct store_cache *c, const struct store_handle *h)
{
	/* checked this request, or watched and nothing reported since */
	return h->db && (h->checked == c->request || (c->watching && h->wd_file > 0 && h->epoch == c->epoch));
}

struct tdb_context *store_cache_get(struct store_cache *c, struct store_handle *h, const char *path)
{
	if (!h->db || store_cache_valid(c, h))
		return h->db;
	if (c->watching && h->wd_file == 0 && !c->last) {
		/* used again, and more requests may follow: watched from now
		 * on (watch compares the name with the file once the watches
		 * are on); a name that cannot be watched (a symbolic link) is
		 * not tried again */
		h->epoch = c->epoch;
		if (watch(c, h, path) == 0) {
			h->checked = c->request;
			return h->db;
		}
		h->wd_file = -1;
	}
	struct stat sb;
	if (stat(path, &sb) == 0 && sb.st_dev == h->dev && sb.st_ino == h->ino) {
		h->checked = c->request;
		h->epoch = c->epoch;
		return h->db;
	}
	store_cache_drop(c, h);
	return NULL;
}

/* The slot holding key for db, else the next one to reuse. */
static struct store_rec *slot(struct store_cache *c, struct tdb_context *db, TDB_DATA key, int *hit)
{
	for (size_t i = 0; i < STORE_CACHE_RECS; i++) {
		struct store_rec *r = &c->rec[i];
		if (r->db == db && r->klen == key.dsize && bytes_equal(r->key, key.dptr, key.dsize)) {
			*hit = 1;
			return r;
		}
	}
	*hit = 0;
	return &c->rec[c->next++ % STORE_CACHE_RECS];
}

/* a kept record's value as tdb_fetch returns one: malloc'd, or NULL */
static TDB_DATA copy_of(TDB_DATA kept)
{
	TDB_DATA v = {NULL, 0};
	if (!kept.dptr || !(v.dptr = malloc(kept.dsize ? kept.dsize : 1)))
		return v;
	memcpy(v.dptr, kept.dptr, kept.dsize);
	v.dsize = kept.dsize;
	return v;
}

/* Keep v as key's record under seqnum in r (a record that cannot be kept
 * leaves r empty). */
static void keep(struct store_cache *c, struct store_rec *r, struct tdb_context *db, uint32_t seqnum,
                 TDB_DATA key, TDB_DATA v)
{
	clear(c, r);
	if (v.dsize > STORE_CACHE_VAL_MAX || !(r->key = malloc(key.dsize ? key.dsize : 1)) ||
	    !(r->val = malloc(v.dsize ? v.dsize : 1))) {
		clear(c, r);
		return;
	}
	memcpy(r->key, key.dptr, key.dsize);
	if (v.dptr)
		memcpy(r->val, v.dptr, v.dsize);
	r->db = db;
	r->seqnum = seqnum;
	r->found = v.dptr != NULL;
	r->klen = key.dsize;
	r->vlen = v.dsize;
}

/* store_fetch_ref, and in *kept the slot that now holds the value (NULL
 * when it is not kept) */
static TDB_DATA fetch_kept(const struct store *st, struct tdb_context *db, TDB_DATA key, int *owned,
                           struct store_rec **kept)
{
	struct store_cache *c = st->cache;
	*owned = 1;
	*kept = NULL;
	if (!c || c->last || (db != c->accounts.db && db != c->index.db))
		return tdb_fetch(db, key);
	uint32_t seq = (uint32_t)tdb_get_seqnum(db);
	int hit;
	struct store_rec *r = slot(c, db, key, &hit);
	if (hit && r->seqnum == seq) {
		*owned = 0;
		*kept = r;
		return (TDB_DATA){r->found ? r->val : NULL, r->found ? r->vlen : 0};
	}
	TDB_DATA v = tdb_fetch(db, key);
	/* kept only if no commit moved the number meanwhile: a record read
	 * across a commit (or a crashed one rolled back) is not kept */
	if ((v.dptr || tdb_error(db) == TDB_ERR_NOEXIST) && (uint32_t)tdb_get_seqnum(db) == seq) {
		keep(c, r, db, seq, key, v);
		*kept = r->db ? r : NULL;
	} else if (hit)
		clear(c, r);
	return v;
}

TDB_DATA store_fetch(const struct store *st, struct tdb_context *db, TDB_DATA key)
{
	int owned;
	TDB_DATA v = store_fetch_ref(st, db, key, &owned);
	return owned ? v : copy_of(v);
}

TDB_DATA store_fetch_ref(const struct store *st, struct tdb_context *db, TDB_DATA key, int *owned)
{
	struct store_rec *kept;
	return fetch_kept(st, db, key, owned, &kept);
}

int store_fetch_verinfo(const struct store *st, struct tdb_context *db, TDB_DATA key, TDB_DATA *val,
                        int *owned, struct verinfo *vi)
{
	struct store_rec *kept;
	struct store_cache *c = st->cache;
	*val = fetch_kept(st, db, key, owned, &kept);
	if (!val->dptr)
		return 0;
	if (kept && c->decoded == kept) {
		*vi = c->vi;
		return 0;
	}
	if (verinfo_decode((const char *)val->dptr, val->dsize, vi) < 0)
		return -1;
	if (kept) {
		c->vi = *vi;
		c->decoded = kept;
	}
	return 0;
}
