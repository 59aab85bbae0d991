/* Signed notes and tiled logs against golang.org/x/mod/sumdb's own test
 * vectors (note/note_test.go, tlog/note_test.go, tlog/tlog_test.go), and
 * the log's hashes against RFC 6962's definition computed the slow way. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <tdb.h>

#include "base/util.h"
#include "sumdb/note.h"
#include "sumdb/tlog.h"
#include "store/sumlog.h"
#include "tap.h"
#include "tmth.h"
#include "tstore.h"

static const char peter_v[] = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
static const char peter_s[] = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
static const char text[] = "If you think cryptography is the answer to your problem,\n"
                           "then you don't know what your problem is.\n";
static const char peter_sig[] = "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
static const char enoch_sig[] = "\xe2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

static void notes(void)
{
	struct note_key v, s;
	char line[NOTE_KEY_MAX + 1];
	is_str(note_verifier_parse(peter_v, &v), NULL, "TestNewVerifier's key parses");
	is_str(v.name, "PeterNeumann", "its name");
	is_int(v.hash, 0xc74f20a3, "its hash");
	note_verifier_format(&v, line);
	is_str(line, peter_v, "and formats back");
	is_str(note_signer_parse(peter_s, &s), NULL, "TestNewSigner's key parses");
	ok(memcmp(s.pub, v.pub, 32) == 0, "the signer's public key is the verifier's");
	char bad[sizeof peter_v];
	memcpy(bad, peter_v, sizeof bad);
	bad[13] = 'd';
	ok(note_verifier_parse(bad, &v) != NULL, "a wrong hash is refused");
	ok(note_verifier_parse("PeterNeumann+c74f20a3", &v) != NULL, "a key without its key is refused");
	/* note.NewVerifier reads the hash with strconv.ParseUint(hash, 16, 32):
	 * capitals too; a sign or a ninth digit not */
	char upper[sizeof peter_v];
	memcpy(upper, peter_v, sizeof upper);
	memcpy(upper + 13, "C74F20A3", 8);
	is_str(note_verifier_parse(upper, &v), NULL, "a hash in capitals parses, as in Go");
	is_int(v.hash, 0xc74f20a3, "  to the same hash");
	memcpy(upper + 13, "+74f20a3", 8);
	ok(note_verifier_parse(upper, &v) != NULL, "a hash with a sign is refused");
	memcpy(upper + 13, "g74f20a3", 8);
	ok(note_verifier_parse(upper, &v) != NULL, "a hash with a non-hex digit is refused");
	note_verifier_parse(peter_v, &v);

	struct buf out = {0};
	is_str(note_sign(&s, text, strlen(text), &out), NULL, "TestSign signs");
	buf_add(&out, "", 1);
	char want[1024];
	snprintf(want, sizeof want, "%s\n%s", text, peter_sig);
	is_str(out.p, want, "exactly TestSign's signed note");
	buf_free(&out);
	ok(note_sign(&s, "no newline", 10, &out) != NULL, "text without its final newline is not signed");
	ok(note_sign(&v, text, strlen(text), &out) != NULL, "a verifier key does not sign");

	size_t tl = 0;
	snprintf(want, sizeof want, "%s\n%s%s", text, peter_sig, enoch_sig);
	is_str(note_open(want, strlen(want), &v, &tl), NULL, "TestOpen: Peter's signature verifies, Enoch's is let be");
	is_int(tl, strlen(text), "the text is what was signed");
	snprintf(want, sizeof want, "%s\n%s", text, enoch_sig);
	ok(note_open(want, strlen(want), &v, &tl) != NULL, "a note signed by someone else only is refused");
	snprintf(want, sizeof want, "%s\n%s", text, peter_sig);
	want[3] = 'X';
	ok(note_open(want, strlen(want), &v, &tl) != NULL, "a changed text is refused");
	snprintf(want, sizeof want, "%s%s", text, peter_sig);
	ok(note_open(want, strlen(want), &v, &tl) != NULL, "a note without the blank line is refused");
	/* note.Open refuses a malformed signature line of any signer, known
	 * or not (TestOpen's badMsgs, and its other rules) */
	static const char *const bad_lines[] = {
		"\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n",
		"\xe2\x80\x94 EnochRoot !!!!\n",
		"\xe2\x80\x94 EnochRoot AAAA\n",
		"\xe2\x80\x94 Enoch+Root rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n",
		"\xe2\x80\x94 Enoch\xc2\xa0Root rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n",
		"\xe2\x80\x94 EnochRoot\n",
		"\xe2\x80\x94  rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n",
	};
	for (size_t i = 0; i < sizeof bad_lines / sizeof *bad_lines; i++) {
		snprintf(want, sizeof want, "%s\n%s%s", text, peter_sig, bad_lines[i]);
		ok(note_open(want, strlen(want), &v, &tl) != NULL, "a note with malformed signature line %zu is refused", i);
	}
	/* a longer signature of another algorithm, by another key: let be */
	snprintf(want, sizeof want, "%s\n%s\xe2\x80\x94 Other %s\n", text, peter_sig,
	         "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	is_str(note_open(want, strlen(want), &v, &tl), NULL, "an unknown signer's long signature is let be");

	char sk[NOTE_KEY_MAX + 1], vk[NOTE_KEY_MAX + 1];
	struct note_key g, gv;
	is_int(note_generate("goreg.test", sk, vk), 0, "a new key pair");
	is_str(note_signer_parse(sk, &g), NULL, "its signer key parses");
	is_str(note_verifier_parse(vk, &gv), NULL, "its verifier key parses");
	note_sign(&g, text, strlen(text), &out);
	is_str(note_open(out.p, out.len, &gv, &tl), NULL, "what it signs, its verifier opens");
	buf_free(&out);
	ok(note_generate("bad name", sk, vk) < 0, "a name with a space makes no key");
}

static void trees(void)
{
	unsigned char h[TLOG_HASH], h2[TLOG_HASH];
	struct buf out = {0};
	int64_t n;
	tlog_record_hash("hello world", 11, h);
	tlog_tree_format(123456789012LL, h, &out);
	buf_add(&out, "", 1);
	is_str(out.p, "go.sum database tree\n123456789012\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",
	       "TestFormatTree's golden tree");
	ok(tlog_tree_parse(out.p, out.len - 1, &n, h2) == 0 && n == 123456789012LL && !memcmp(h, h2, 32),
	   "TestParseTree parses it back");
	ok(tlog_tree_parse("go.sum database tree\n0123\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n", 66, &n, h2) < 0,
	   "a size with a leading zero is refused");
	buf_free(&out);
	ok(tlog_record_ok("a b h1:x\na b/go.mod h1:y\n", 25), "go.sum lines are record text");
	ok(!tlog_record_ok("a\n\nb\n", 5), "a blank line is not");
	ok(!tlog_record_ok("a\tb\n", 4), "a tab is not");
	ok(!tlog_record_ok("ab", 2), "text without a final newline is not");
}

static const struct {
	const char *path;
	struct tlog_tile t;     /* h 0: refused */
} tile_paths[] = {
	/* tlog_test.go's tilePaths */
	{"tile/4/0/001", {4, 0, 1, 16}},
	{"tile/4/0/001.p/5", {4, 0, 1, 5}},
	{"tile/3/5/x123/x456/078", {3, 5, 123456078, 8}},
	{"tile/3/5/x123/x456/078.p/2", {3, 5, 123456078, 2}},
	{"tile/1/0/x003/x057/500", {1, 0, 3057500, 2}},
	{"tile/3/5/123/456/078", {0}},
	{"tile/3/-1/123/456/078", {0}},
	{"tile/1/data/x003/x057/500", {1, -1, 3057500, 2}},
	/* and a few more a server must refuse */
	{"tile/8/0/001.p/256", {0}},
	{"tile/8/0/001.p/0", {0}},
	{"tile/8/0/1", {0}},
	{"tile/8/0/x000/001", {0}},
	{"tile/31/0/000", {0}},
};

static void tiles(void)
{
	for (size_t i = 0; i < sizeof tile_paths / sizeof *tile_paths; i++) {
		struct tlog_tile t;
		int rc = tlog_tile_parse(tile_paths[i].path, &t);
		if (!tile_paths[i].t.h) {
			ok(rc < 0, "%s is refused", tile_paths[i].path);
			continue;
		}
		ok(rc == 0 && t.h == tile_paths[i].t.h && t.l == tile_paths[i].t.l && t.n == tile_paths[i].t.n &&
		   t.w == tile_paths[i].t.w, "%s parses", tile_paths[i].path);
		char p[128];
		tlog_tile_path(&tile_paths[i].t, p, sizeof p);
		is_str(p, tile_paths[i].path, "and formats back");
	}
}

/* An in-memory log: hashes by (level, index). */
#define MAXN 1100
static unsigned char stored[12][MAXN][TLOG_HASH];
static unsigned char leaf[MAXN][TLOG_HASH];

static int get(void *ctx, int level, int64_t i, unsigned char out[TLOG_HASH])
{
	(void)ctx;
	if (level >= 12 || i >= MAXN)
		return -1;
	memcpy(out, stored[level][i], TLOG_HASH);
	return 0;
}

static int put(void *ctx, int level, int64_t i, const unsigned char h[TLOG_HASH])
{
	(void)ctx;
	if (level >= 12 || i >= MAXN)
		return -1;
	memcpy(stored[level][i], h, TLOG_HASH);
	return 0;
}

/* Hashes read through tiles of height 2 built from the stored hashes, as
 * a client sees them for a tree of tree_n records. */
static int64_t tree_n;
static int get_tiled(void *ctx, int level, int64_t i, unsigned char out[TLOG_HASH])
{
	(void)ctx;
	struct tlog_tile t;
	unsigned char data[4 * TLOG_HASH];
	tlog_tile_for(2, tree_n, level, i, &t);
	for (int j = 0; j < t.w; j++)
		get(NULL, t.l * 2, (t.n << 2) + j, data + j * TLOG_HASH);
	return tlog_tile_hash(&t, data, level, i, out);
}

static void logs(void)
{
	int bad_root = 0, bad_incl = 0, bad_tiled = 0, bad_wrong = 0;
	for (int64_t n = 0; n < 1000; n++) {
		char rec[64];
		snprintf(rec, sizeof rec, "example.com/m%lld v1.0.0 h1:x\n", (long long)n);
		tlog_record_hash(rec, strlen(rec), leaf[n]);
		if (tlog_append(get, put, NULL, n, leaf[n]) < 0)
			bad_root++;
		unsigned char want[TLOG_HASH], got[TLOG_HASH];
		tmth(leaf, 0, n + 1, want);
		if (tlog_tree_hash(get, NULL, n + 1, -1, NULL, got) < 0 || memcmp(got, want, TLOG_HASH))
			bad_root++;
		tree_n = n + 1;
		if (tlog_tree_hash(get_tiled, NULL, n + 1, -1, NULL, got) < 0 || memcmp(got, want, TLOG_HASH))
			bad_tiled++;
		for (int64_t i = n < 40 ? 0 : n - 3; i <= n; i++) {
			if (tlog_tree_hash(get_tiled, NULL, n + 1, i, leaf[i], got) < 0 || memcmp(got, want, TLOG_HASH))
				bad_incl++;
			if (tlog_tree_hash(get_tiled, NULL, n + 1, i, leaf[(i + 1) % (n + 1)], got) == 0 && n > 0 &&
			    !memcmp(got, want, TLOG_HASH))
				bad_wrong++;
		}
	}
	is_int(bad_root, 0, "trees of 1 to 1000 records hash as RFC 6962 says");
	is_int(bad_tiled, 0, "and the same through tiles of the width each tree gives");
	is_int(bad_incl, 0, "each record's inclusion proof through tiles gives the tree's hash");
	is_int(bad_wrong, 0, "another record in its place does not");
}

/* The owner's log, in a store */
static void stored_log(void)
{
	char dir[64], root[128], err[600], vkey[NOTE_KEY_MAX + 1], cmd[200];
	struct store st;
	struct sumlog l;
	struct buf out = {0};
	tstore_make("t-sumdb", dir, sizeof dir, root, sizeof root, &st, "acme");
	is_int(sumlog_create(&st, "acme", "t.test", vkey, err, sizeof err), 201,
	       "a log is made for an owner with no version");
	is_int(sumlog_open(&st, "acme", 0, &l, err, sizeof err), 200, "and opened");
	/* numbers a tile path allows, whose first index is past int64_t */
	static const struct tlog_tile far[] = {
		{.h = 30, .l = 0, .n = 1LL << 40, .w = 1 << 30},
		{.h = 8, .l = -1, .n = INT64_MAX >> 4, .w = 256},
		{.h = 1, .l = 62, .n = INT64_MAX / 1000, .w = 1},
	};
	for (size_t i = 0; i < sizeof far / sizeof *far; i++)
		is_int(sumlog_tile(&l, &far[i], &out, err, sizeof err), 404, "tile %zu, far beyond the tree: 404", i);
	sumlog_close(&l);
	buf_free(&out);

	/* a verifier key line longer than any (a damaged log): not one */
	char path[200], longkey[NOTE_KEY_MAX + 50];
	snprintf(path, sizeof path, "%s/acme/" SUMLOG_FILE, root);
	memset(longkey, 'a', sizeof longkey);
	struct tdb_context *db = tdb_open(path, 0, TDB_NOMMAP, O_RDWR, 0);
	TDB_DATA k = {(unsigned char *)"vkey", 4}, v = {(unsigned char *)longkey, sizeof longkey};
	ok(db && tdb_store(db, k, v, TDB_REPLACE) == 0, "(a key line too long stored)");
	if (db)
		tdb_close(db);
	memset(vkey, 0, sizeof vkey);
	is_int(sumlog_open(&st, "acme", 0, &l, err, sizeof err), 200, "the log opens");
	is_int(sumlog_vkey(&l, vkey, err, sizeof err), 500, "its verifier key is refused");
	sumlog_close(&l);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# unable to remove %s\n", dir);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	notes();
	trees();
	tiles();
	logs();
	stored_log();
	done_testing();
}
