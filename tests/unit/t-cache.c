/* lib/store/cache.c: a handle kept across requests is dropped at the next
 * request once its name no longer names its file (replaced by a rename,
 * unlinked, its directory or the root moved away), and kept otherwise;
 * with the kernel's watches (inotify, SIGIO) and with the stat per request
 * that stands in when there are none.  (A file written in place keeps
 * its handle: t0314, with another process writing.) */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <tdb.h>
#include <unistd.h>

#include "tap.h"
#include "store/store.h"

static char root[64], owner[96], path[128], other[128];

static void bail(const char *what)
{
	printf("Bail out! %s\n", what);
	exit(1);
}

/* a tdb file at p holding v under "k" */
static void make(const char *p, const char *v)
{
	struct tdb_context *db = tdb_open(p, 0, TDB_DEFAULT, O_RDWR | O_CREAT | O_TRUNC, 0600);
	TDB_DATA k = {(unsigned char *)"k", 1}, d = {(unsigned char *)v, strlen(v)};
	if (!db || tdb_store(db, k, d, TDB_REPLACE) != 0)
		bail("tdb_store");
	tdb_close(db);
}

/* store_cache_valid's answers: yes, and yes for a handle then reopened */
static int said_valid, said_valid_stale;

/* the next request's handle on p: the kept one, or a new one kept */
static struct tdb_context *use_at(struct store_cache *c, const char *p, int *reopened)
{
	store_cache_request(c, 0);
	int valid = store_cache_valid(c, &c->index);
	struct tdb_context *db = store_cache_get(c, &c->index, p);
	said_valid += valid;
	said_valid_stale += valid && !db;
	*reopened = !db;
	if (!db) {
		if (!(db = tdb_open(p, 0, TDB_DEFAULT, O_RDONLY, 0)))
			bail("tdb_open");
		store_cache_keep(c, &c->index, db);
	}
	return db;
}

static struct tdb_context *use(struct store_cache *c, int *reopened)
{
	return use_at(c, path, reopened);
}

static char *value(struct tdb_context *db)
{
	static char v[16];
	TDB_DATA d = tdb_fetch(db, (TDB_DATA){(unsigned char *)"k", 1});
	snprintf(v, sizeof v, "%.*s", d.dptr ? (int)d.dsize : 0, d.dptr ? (char *)d.dptr : "");
	free(d.dptr);
	return v;
}

/* the cache's handles closed and its watches ended, as at a connection's end */
static void done_with(struct store_cache *c)
{
	struct store st = {.cache = c};
	store_cache_close(&st);
	ok(c->index.db == NULL && c->accounts.db == NULL && !c->watching, "cache closed: no handle, no watch");
}

static void run(int watching)
{
	const char *how = watching ? "watched" : "stat per request";
	char gone[160];
	int re;
	struct store_cache c = {0};
	make(path, "1");
	if (watching)
		ok(store_cache_watch(&c, root) == 0 && c.watching, "%s: the watches are set up", how);
	struct tdb_context *db = use(&c, &re);
	ok(re && strcmp(value(db), "1") == 0, "%s: first request opens the file", how);
	ok(c.index.wd_file == 0, "%s: nothing is watched for one request", how);

	db = use(&c, &re);
	ok(!re, "%s: unchanged: the kept handle", how);
	if (watching)
		ok(c.index.wd_file > 0 && c.index.wd_dir > 0, "%s: used again: its name and its directory are watched",
		   how);
	else
		ok(c.index.wd_file == 0, "%s: nothing is watched", how);
	db = use(&c, &re);
	ok(!re, "%s: unchanged again: the kept handle", how);
	chmod(path, 0640);
	db = use(&c, &re);
	ok(!re, "%s: a mode changed: still the kept handle", how);

	make(other, "2");
	rename(other, path);
	db = use(&c, &re);
	ok(re && strcmp(value(db), "2") == 0, "%s: replaced by a rename: the new file is opened", how);
	db = use(&c, &re);
	ok(!re, "%s: then kept again", how);

	/* the owner's directory set aside and a new one made, as goreg-admin
	 * user delete and a restore do */
	snprintf(gone, sizeof gone, "%s.gone", owner);
	if (rename(owner, gone) != 0 || mkdir(owner, 0700) != 0)
		bail("rename owner");
	make(path, "3");
	db = use(&c, &re);
	ok(re && strcmp(value(db), "3") == 0, "%s: the directory moved away: the file in the new one is opened", how);

	unlink(path);
	make(path, "4");
	db = use(&c, &re);
	ok(re && strcmp(value(db), "4") == 0, "%s: unlinked and made again: the new file is opened", how);

	is_int(said_valid_stale, 0, "%s: store_cache_valid never vouched for a handle its name no longer had", how);
	if (watching)
		ok(said_valid > 0, "%s: and vouched for the watched ones (%d requests) without their path", how,
		   said_valid);
	else
		is_int(said_valid, 0, "%s: and never without a stat", how);
	said_valid = said_valid_stale = 0;
	store_cache_drop(&c, &c.index);
	ok(c.index.db == NULL && c.index.wd_file == 0, "%s: dropped: closed and unwatched", how);
	done_with(&c);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' && mkdir '%s'", gone, owner, owner);
	if (system(cmd) != 0)
		bail("clean up");
}


/* Review: names the watches cannot see.  The stat per request compared the
 * whole path with the kept file; the watches are on the file, its
 * directory and the root as they were resolved when added. */
static void sh(const char *cmd)
{
	if (system(cmd) != 0)
		bail(cmd);
}

static void unseen(int watching)
{
	const char *how = watching ? "watched" : "stat per request";
	char base[64], link_root[96], p[160], cmd[800];
	int re;
	struct tdb_context *db;
	snprintf(base, sizeof base, "/tmp/t-cache-rev.XXXXXX");
	if (!mkdtemp(base))
		bail("mkdtemp");

	/* 1. the root is a symlink (an operator's snapshot switch), flipped
	 * by renaming a new symlink over it */
	snprintf(cmd, sizeof cmd, "mkdir -p %s/a/acme %s/b/acme && ln -s a %s/root", base, base, base);
	sh(cmd);
	snprintf(link_root, sizeof link_root, "%s/root", base);
	snprintf(p, sizeof p, "%s/acme/index.tdb", link_root);
	snprintf(cmd, sizeof cmd, "%s/a/acme/index.tdb", base);
	make(cmd, "A");
	snprintf(cmd, sizeof cmd, "%s/b/acme/index.tdb", base);
	make(cmd, "B");
	struct store_cache c = {0};
	if (watching)
		store_cache_watch(&c, link_root); /* may refuse a symlink: then a stat per request */
	db = use_at(&c, p, &re);
	ok(strcmp(value(db), "A") == 0, "%s: symlinked root: the first file", how);
	snprintf(cmd, sizeof cmd, "ln -s b %s/root.new && mv -T %s/root.new %s/root", base, base, base);
	sh(cmd);
	db = use_at(&c, p, &re);
	ok(re && strcmp(value(db), "B") == 0, "%s: symlinked root switched: the file it names now (got %s)", how,
	   value(db));
	done_with(&c);

	/* 2. the root moved aside twice (a restore, then undoing it): after
	 * the first, root_wd watches the old directory */
	snprintf(cmd, sizeof cmd, "rm -rf %s/* && mkdir -p %s/r/acme", base, base);
	sh(cmd);
	char r[96];
	snprintf(r, sizeof r, "%s/r", base);
	snprintf(p, sizeof p, "%s/acme/index.tdb", r);
	make(p, "1");
	struct store_cache d = {0};
	if (watching && store_cache_watch(&d, r) != 0)
		bail("store_cache_watch");
	db = use_at(&d, p, &re);
	snprintf(cmd, sizeof cmd, "mv %s/r %s/r.lost && mkdir -p %s/r/acme", base, base, base);
	sh(cmd);
	make(p, "2");
	db = use_at(&d, p, &re);
	ok(re && strcmp(value(db), "2") == 0, "%s: root moved aside once: the new store's file", how);
	db = use_at(&d, p, &re);
	/* the operator removes the old store; then a second restore */
	snprintf(cmd, sizeof cmd, "rm -rf %s/r.lost", base);
	sh(cmd);
	db = use_at(&d, p, &re);
	ok(strcmp(value(db), "2") == 0, "%s: the old store removed: still the new store's file", how);
	snprintf(cmd, sizeof cmd, "mv %s/r %s/r.2 && mkdir -p %s/r/acme", base, base, base);
	sh(cmd);
	make(p, "3");
	db = use_at(&d, p, &re);
	ok(re && strcmp(value(db), "3") == 0, "%s: root moved aside again: the file it names now (got %s)", how,
	   value(db));
	done_with(&d);
	snprintf(cmd, sizeof cmd, "rm -rf %s", base);
	sh(cmd);
}

int main(void)
{
	snprintf(root, sizeof root, "/tmp/t-cache.XXXXXX");
	if (!mkdtemp(root))
		bail("mkdtemp");
	snprintf(owner, sizeof owner, "%s/acme", root);
	snprintf(path, sizeof path, "%s/index.tdb", owner);
	snprintf(other, sizeof other, "%s/index.new", owner);
	if (mkdir(owner, 0700) != 0)
		bail("mkdir");
	run(0);
	run(1);
	unseen(0);
	unseen(1);
	char cmd[100];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		bail("rm");
	return done_testing();
}
