/* lib/app/fetchsum.c: a version's go.sum lines verified in the upstream
 * checksum database, here a fake one served from memory whose logs are
 * built in the test.  An honest tree head is verified and kept; then the
 * database, with its own key, signs a forked tree that rewrote a record
 * the verified tree holds, and serves tiles that show the old history
 * where the consistency check reads and the new one where the inclusion
 * proof reads.  The go command's client authenticates every tile against
 * the signed tree (tlog.TileHashReader) and refuses it; so must goreg. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app/fetch.h"
#include "auth/auth.h"
#include "base/util.h"
#include "store/store.h"
#include "sumdb/note.h"
#include "sumdb/tlog.h"
#include "upstream/upstream.h"
#include "tap.h"
#include "tmth.h"
#include "tstore.h"

#define DB "https://sum.example"
#define OLD 300                 /* the honest tree verified first */
#define NEW 600                 /* the forked tree */
#define FORKED 260              /* the record the fork rewrote: < OLD */

static char dir[64], root[128], err[600];
static struct store st;
static struct note_key signer;

static void bail(const char *why)
{
	printf("Bail out! %s\n", why);
	exit(1);
}

/* the fake database: path -> body */
struct answer { char path[128]; struct buf body; };
static struct answer answers[32];
static int nanswers;

static struct buf *answer(const char *path)
{
	struct answer *a = &answers[nanswers++];
	snprintf(a->path, sizeof a->path, "%s", path);
	return &a->body;
}

/* A request for hold_path says so in the file waiting, then waits up to
 * two seconds for the file done: another process's turn in between. */
static const char *hold_path;
static char waiting[128], done[128];

static void hold(void)
{
	struct timespec tick = {0, 10 * 1000 * 1000};
	close(open(waiting, O_WRONLY | O_CREAT, 0600));
	for (int i = 0; i < 200 && access(done, F_OK) != 0; i++)
		nanosleep(&tick, NULL);
}

static int fake_get(void *ctx, const char *url, int fd, char **mem, size_t *memlen, long long max, char *e,
                    size_t esz)
{
	if (hold_path && strcmp(url + strlen(DB) + 1, hold_path) == 0)
		hold();
	if (strncmp(url, DB "/", strlen(DB) + 1) != 0)
		return errset(e, esz, 0, "%s: connection refused", url);
	for (int i = nanswers - 1; i >= 0; i--)
		if (strcmp(answers[i].path, url + strlen(DB) + 1) == 0) {
			if (fd < 0 || (long long)answers[i].body.len > max)
				return -1;
			write_all(fd, answers[i].body.p, answers[i].body.len);
			return 200;
		}
	return 404;
}

static const struct fetch_client client = {fake_get, NULL};

static const char *record(int64_t i, int forked, char *out, size_t outsz)
{
	if (i == 10)
		snprintf(out, outsz, "example.com/a v1.0.0 h1:aaaa=\nexample.com/a v1.0.0/go.mod h1:bbbb=\n");
	else if (i == 550)
		snprintf(out, outsz, "example.com/b v1.0.0 h1:cccc=\nexample.com/b v1.0.0/go.mod h1:dddd=\n");
	else if (i == 519)
		snprintf(out, outsz, "example.com/c v1.0.0 h1:eeee=\nexample.com/c v1.0.0/go.mod h1:ffff=\n");
	else
		snprintf(out, outsz, "%s %lld\n", forked && i == FORKED ? "forked" : "record", (long long)i);
	return out;
}

/* "tile/8/L/NNN[.p/W]" with hashes [first, first + w) of a level */
static void tile(int l, int64_t n, int w, unsigned char (*h)[TLOG_HASH])
{
	struct tlog_tile t = {TLOG_TILE_H, l, n, w};
	char path[128];
	tlog_tile_path(&t, path, sizeof path);
	buf_add(answer(path), h[n << TLOG_TILE_H], (size_t)w * TLOG_HASH);
}

/* The signed tree head of the first n leaves, appended to b. */
static void tree_head(int64_t n, unsigned char (*leaf)[TLOG_HASH], struct buf *b)
{
	unsigned char top[TLOG_HASH];
	struct buf text = {0};
	tmth(leaf, 0, n, top);
	tlog_tree_format(n, top, &text);
	if (note_sign(&signer, text.p, text.len, b) != NULL)
		bail("note_sign");
	buf_free(&text);
}

/* lookup/M@V of record id in a tree of n leaves */
static void lookup(const char *path, int64_t id, int64_t n, unsigned char (*leaf)[TLOG_HASH], int forked)
{
	char rec[256];
	struct buf *b = answer(path);
	buf_printf(b, "%lld\n%s\n", (long long)id, record(id, forked, rec, sizeof rec));
	tree_head(n, leaf, b);
}

int main(void)
{
	static unsigned char honest[NEW][TLOG_HASH], forked[NEW][TLOG_HASH], l8h[2][TLOG_HASH], l8f[2][TLOG_HASH];
	char rec[256], sk[NOTE_KEY_MAX + 1], vk[NOTE_KEY_MAX + 1];
	for (int64_t i = 0; i < NEW; i++) {
		record(i, 0, rec, sizeof rec);
		tlog_record_hash(rec, strlen(rec), honest[i]);
		record(i, 1, rec, sizeof rec);
		tlog_record_hash(rec, strlen(rec), forked[i]);
	}
	for (int i = 0; i < 2; i++) {
		tmth(honest, i * 256, (i + 1) * 256, l8h[i]);
		tmth(forked, i * 256, (i + 1) * 256, l8f[i]);
	}
	tstore_make("t-fetchsum", dir, sizeof dir, root, sizeof root, &st, "acme");
	if (note_generate("sum.example", sk, vk) < 0 || note_signer_parse(sk, &signer) != NULL)
		bail("note_generate");
	is_int(auth_user_add(&st, "beta", 1, err, sizeof err), 201, "a second owner");
	const char *owners[2] = {"acme", "beta"};
	for (int i = 0; i < 2; i++) {
		is_int(upstream_set_proxy(&st, owners[i], "https://proxy.example", err, sizeof err), 200, "an upstream");
		is_int(upstream_set_sumdb(&st, owners[i], vk, DB, err, sizeof err), 200, "and its checksum database");
	}

	/* the honest tree of OLD records */
	tile(0, 0, 256, honest);
	tile(0, 1, OLD - 256, honest);
	tile(1, 0, 1, l8h);
	lookup("lookup/example.com/a@v1.0.0", 10, OLD, honest, 0);
	struct buf text = {0};
	for (int i = 0; i < 2; i++)
		is_int(fetch_sum_lines(&st, owners[i], "example.com/a", "v1.0.0", &client, &text, err, sizeof err), 200,
		       "%s: an honest lookup verifies (%s)", owners[i], err);
	/* beta: the honest tree grown to NEW records verifies against it */
	tile(0, 1, 256, honest);
	tile(0, 2, NEW - 512, honest);
	tile(1, 0, 2, l8h);
	lookup("lookup/example.com/b@v1.0.0", 550, NEW, honest, 0);
	is_int(fetch_sum_lines(&st, "beta", "example.com/b", "v1.0.0", &client, &text, err, sizeof err), 200,
	       "the honest tree grown, through full tiles: consistent (%s)", err);

	/* gamma: two runs at once.  One verifies a tree of 520 against the
	 * 300 verified before; while it reads a tile for that, the other
	 * keeps the tree of NEW as verified, as a run that checked it would.
	 * The first must not then step the verified tree back to 520: the
	 * check and the keeping are one at a time, under a lock on the
	 * database's directory in the cache. */
	is_int(auth_user_add(&st, "gamma", 1, err, sizeof err), 201, "a third owner");
	upstream_set_proxy(&st, "gamma", "https://proxy.example", err, sizeof err);
	upstream_set_sumdb(&st, "gamma", vk, DB, err, sizeof err);
	is_int(fetch_sum_lines(&st, "gamma", "example.com/a", "v1.0.0", &client, &text, err, sizeof err), 200,
	       "gamma verifies the tree of %d (%s)", OLD, err);
	tile(0, 2, 520 - 512, honest);
	lookup("lookup/example.com/c@v1.0.0", 519, 520, honest, 0);
	char gdir[300];
	snprintf(gdir, sizeof gdir, "%s/gamma/@sumdb/sum.example", root);
	snprintf(waiting, sizeof waiting, "%s/waiting", dir);
	snprintf(done, sizeof done, "%s/done", dir);
	struct buf newest = {0};
	tree_head(NEW, honest, &newest);
	pid_t other = fork();
	if (other == 0) {
		struct timespec tick = {0, 10 * 1000 * 1000};
		while (access(waiting, F_OK) != 0)
			nanosleep(&tick, NULL);
		int lk = open(gdir, O_RDONLY | O_DIRECTORY);
		if (lk < 0 || flock(lk, LOCK_EX) < 0 || store_write_file(&st, gdir, "verified", newest.p, newest.len) < 0)
			_exit(1);
		close(open(done, O_WRONLY | O_CREAT, 0600));
		_exit(0);
	}
	hold_path = "tile/8/0/001";
	is_int(fetch_sum_lines(&st, "gamma", "example.com/c", "v1.0.0", &client, &text, err, sizeof err), 200,
	       "the tree of 520 verifies (%s)", err);
	hold_path = NULL;
	int status = -1;
	waitpid(other, &status, 0);
	is_int(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0, "the other run kept the tree of %d", NEW);
	char gverified[400], *gv = NULL;
	size_t gvlen = 0;
	snprintf(gverified, sizeof gverified, "%s/verified", gdir);
	ok(read_file(gverified, 1 << 16, &gv, &gvlen) == 0 && gvlen == newest.len && memcmp(gv, newest.p, gvlen) == 0,
	   "the verified tree is still the larger one");
	free(gv);
	buf_free(&newest);
	char verified[300];
	snprintf(verified, sizeof verified, "%s/acme/@sumdb/sum.example/verified", root);
	char *v0 = NULL;
	size_t v0len;
	ok(read_file(verified, 1 << 16, &v0, &v0len) == 0, "its tree head is kept as verified");

	/* the fork: tiles of NEW records whose level-0 tile 1 is the honest
	 * one (the verified tree's hash computes from it) while the level-1
	 * tile holds the forked hash of those records (the inclusion proof
	 * and the forked tree head compute from it) */
	tile(0, 1, 256, honest);
	tile(0, 2, NEW - 512, forked);
	memcpy(l8f[0], l8h[0], TLOG_HASH);
	tile(1, 0, 2, l8f);
	lookup("lookup/example.com/b@v1.0.0", 550, NEW, forked, 1);
	is_int(fetch_sum_lines(&st, "acme", "example.com/b", "v1.0.0", &client, &text, err, sizeof err), 502,
	       "a forked tree whose tiles do not hash to one another: refused");
	ok(strncmp(err, "SECURITY:", 9) == 0, "as a security failure (%s)", err);
	char *v1 = NULL;
	size_t v1len;
	ok(read_file(verified, 1 << 16, &v1, &v1len) == 0 && v1len == v0len && memcmp(v0, v1, v0len) == 0,
	   "the verified tree head is still the honest one");
	free(v0);
	free(v1);
	/* what did not verify is not kept: the database answering right
	 * again, the version verifies (the go command too keeps only the
	 * tiles it verified) */
	tile(0, 2, NEW - 512, honest);
	tile(1, 0, 2, l8h);
	lookup("lookup/example.com/b@v1.0.0", 550, NEW, honest, 0);
	is_int(fetch_sum_lines(&st, "acme", "example.com/b", "v1.0.0", &client, &text, err, sizeof err), 200,
	       "once the database answers right again, the version verifies (%s)", err);
	buf_free(&text);
	for (int i = 0; i < nanswers; i++)
		buf_free(&answers[i].body);

	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return done_testing();
}
