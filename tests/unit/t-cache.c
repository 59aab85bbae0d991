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

/* the next request's handle on path: the kept one, or a new one kept */
static struct tdb_context *use(struct store_cache *c, int *reopened)
{
	store_cache_request(c, 0);
	struct tdb_context *db = store_cache_get(c, &c->index, path);
	*reopened = !db;
	if (!db) {
		if (!(db = tdb_open(path, 0, TDB_DEFAULT, O_RDONLY, 0)))
			bail("tdb_open");
		store_cache_keep(c, &c->index, db, path);
	}
	return db;
}

static char *value(struct tdb_context *db)
{
	static char v[16];
	TDB_DATA d = tdb_fetch(db, (TDB_DATA){(unsigned char *)"k", 1});
	snprintf(v, sizeof v, "%.*s", d.dptr ? (int)d.dsize : 0, d.dptr ? (char *)d.dptr : "");
	free(d.dptr);
	return v;
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
	if (watching)
		ok(c.index.wd_file > 0 && c.index.wd_dir > 0, "%s: its name and its directory are watched", how);
	else
		ok(c.index.wd_file == 0, "%s: nothing is watched", how);

	db = use(&c, &re);
	ok(!re, "%s: unchanged: the kept handle", how);
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

	store_cache_drop(&c, &c.index);
	ok(c.index.db == NULL && c.index.wd_file == 0, "%s: dropped: closed and unwatched", how);
	if (c.watching)
		close(c.watch_fd);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s' && mkdir '%s'", gone, owner, owner);
	if (system(cmd) != 0)
		bail("clean up");
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
	char cmd[100];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	if (system(cmd) != 0)
		bail("rm");
	return done_testing();
}
