/* Unit tests for lib/store/store.c and lib/store/fsck.c: publish, get, versions and
 * delete; exactly-once publishing under racing processes; readers racing
 * writers; a crash (SIGKILL, through the dev build's GOREG_STORE_CRASH
 * hook) at every step of a publish and a delete, each followed by what
 * readers see and by goreg-fsck --repair; and every inconsistency fsck
 * knows, made by hand, found and repaired.  Zips are made with modpack
 * (goreg-pack's library) in a mkdtemp directory. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include <tdb.h>

#include "store/fsck.h"
#include "gomod/modpack.h"
#include "gomod/modzip.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "base/util.h"
#include "tap.h"
#include "tstore.h"

static char dir[64], root[128], err[600];
static struct store st;
static int nzip;

static void bail(const char *what)
{
	printf("Bail out! %s: %s (%s)\n", what, strerror(errno), err);
	exit(1);
}

static void put(const char *path, const char *data)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, strlen(data)) < 0 || close(fd) < 0)
		bail(path);
}

/* A module zip of module@version whose a.go says tag; returns its path. */
static char *mkzip(const char *module, const char *version, const char *tag)
{
	char src[128], p[256], *out = malloc(128);
	snprintf(src, sizeof src, "%s/src%d", dir, ++nzip);
	if (!out || mkdir(src, 0755) < 0)
		bail("mkdir");
	snprintf(p, sizeof p, "%s/go.mod", src);
	char gomod[300];
	snprintf(gomod, sizeof gomod, "module %s\n\ngo 1.19\n", module);
	put(p, gomod);
	snprintf(p, sizeof p, "%s/a.go", src);
	char code[300];
	snprintf(code, sizeof code, "package a\n\n// Tag is %s.\nconst Tag = \"%s\"\n", tag, tag);
	put(p, code);
	snprintf(out, 128, "%s/%d.zip", dir, nzip);
	if (modpack_create(module, version, src, out, err, sizeof err) != 0)
		bail("modpack_create");
	return out;
}


static int exists(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0;
}

static const char *fpath(const char *owner, const char *module, const char *version, const char *ext)
{
	static char p[4][4096];
	static int i;
	i = (i + 1) % 4;
	if (store_file_path(&st, owner, module, version, ext, p[i], sizeof p[i]) < 0)
		bail("store_file_path");
	return p[i];
}

/* What an upload does (ops.c): spool into ROOT/tmp hashing, validate,
 * publish.  Returns store_publish's status. */
/* A publish as an upload (source "") or goreg-fetch ("upstream") makes it */
static int publish_from(const char *owner, const char *zip, const char *uploader, const char *source)
{
	char spool[1200], *data;
	size_t len;
	int fd = store_tmp_create(&st, "u", spool, sizeof spool);
	if (fd < 0 || read_file(zip, 1 << 24, &data, &len) < 0 || write_all(fd, data, len) < 0 || fsync(fd) < 0)
		bail("spool");
	struct verinfo vi;
	memset(&vi, 0, sizeof vi);
	snprintf(vi.source, sizeof vi.source, "%s", source);
	unsigned char sum[32];
	crypto_hash_sha256(sum, (unsigned char *)data, len);
	hex_encode(sum, 32, vi.zip_sha256);
	free(data);
	struct modzip_info mi;
	if (modzip_check(spool, &mi, err, sizeof err) != 0)
		bail("modzip_check");
	int code = store_publish(&st, owner, spool, &mi, uploader, (int64_t)time(NULL), NULL, &vi, err, sizeof err);
	if (code != 201)
		unlink(spool);
	close(fd);
	modzip_info_free(&mi);
	return code;
}

static int publish(const char *owner, const char *zip, const char *uploader)
{
	return publish_from(owner, zip, uploader, "");
}

/* What the two kinds of readers see of a version: 1 all of it (and the zip
 * is want's bytes), 0 none of it, -1 a part (or other bytes). */
static int http_view(const char *owner, const char *module, const char *version, const char *want)
{
	struct verinfo vi;
	int g = store_get(&st, owner, module, version, &vi, err, sizeof err);
	if (g == 404)
		return 0;
	return g == 200 && exists(fpath(owner, module, version, "mod")) &&
	       tstore_same_file(fpath(owner, module, version, "zip"), want) ? 1 : -1;
}

static int tree_view(const char *owner, const char *module, const char *version, const char *want)
{
	/* the go command's file proxy asks for the .info first */
	if (!exists(fpath(owner, module, version, "info")))
		return 0;
	return exists(fpath(owner, module, version, "mod")) &&
	       tstore_same_file(fpath(owner, module, version, "zip"), want) ? 1 : -1;
}

static char *fsck_out;

static struct fsck_counts fsck(int repair, int64_t min_age, char *const *owners, size_t n)
{
	size_t sz;
	free(fsck_out);
	FILE *f = open_memstream(&fsck_out, &sz);
	struct fsck_opts o = {.repair = repair, .now = (int64_t)time(NULL), .min_age = min_age,
	                      .out = f, .owners = owners, .nowners = n};
	struct fsck_counts c;
	int code = fsck_store(&st, &o, &c, err, sizeof err);
	fclose(f);
	if (code != 200) {
		printf("# fsck: %d %s\n", code, err);
		c.problems = 999;
	}
	return c;
}

static int found(const char *needle)
{
	return fsck_out && strstr(fsck_out, needle) != NULL;
}

static void show(void)
{
	if (fsck_out && *fsck_out)
		for (char *s = fsck_out, *e; *s; s = e + 1) {
			e = strchr(s, '\n');
			if (!e)
				break;
			printf("#   %.*s\n", (int)(e - s), s);
		}
}

/* verinfo_decode as it was before its one-pass form: a memchr for each
 * line's newline and '=', every value copied into a number buffer, the
 * keys compared in turn.  The one-pass decoder must agree with it. */
static void ref_field(const char *val, size_t n, char *out, size_t outsz)
{
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, val, n);
	out[n] = 0;
}

static long long ref_decimal(const char *s)
{
	int neg = *s == '-';
	unsigned long long v = 0;
	for (s += neg; *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (unsigned long long)(*s - '0');
	return (long long)(neg ? 0ULL - v : v);
}

static int ref_verinfo_decode(const char *data, size_t len, struct verinfo *vi)
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
		ref_field(v, vl, num, sizeof num);
#define KEY(s) (kl == sizeof(s) - 1 && memcmp(p, s, kl) == 0)
		if (KEY("version"))
			ref_field(v, vl, vi->version, sizeof vi->version), seen |= 1;
		else if (KEY("time"))
			vi->time = ref_decimal(num), seen |= 2;
		else if (KEY("zip_size"))
			vi->zip_size = (uint64_t)ref_decimal(num);
		else if (KEY("mod_size"))
			vi->mod_size = (uint64_t)ref_decimal(num);
		else if (KEY("zip_sha256"))
			ref_field(v, vl, vi->zip_sha256, sizeof vi->zip_sha256);
		else if (KEY("h1"))
			ref_field(v, vl, vi->h1_zip, sizeof vi->h1_zip);
		else if (KEY("source"))
			ref_field(v, vl, vi->source, sizeof vi->source);
		else if (KEY("h1mod"))
			ref_field(v, vl, vi->h1_mod, sizeof vi->h1_mod);
		else if (KEY("uploader"))
			ref_field(v, vl, vi->uploader, sizeof vi->uploader);
		else if (KEY("deleting"))
			vi->deleting = num[0] == '1';
		else if (KEY("gomod"))
			vi->gomod_at = (size_t)(v - data), vi->gomod_len = vl;
#undef KEY
		p = nl + 1;
	}
	return seen == 3 ? 0 : -1;
}

static int decode_agrees(const char *data, size_t len)
{
	struct verinfo a, b;
	int ra = verinfo_decode(data, len, &a), rb = ref_verinfo_decode(data, len, &b);
	return ra == rb && memcmp(&a, &b, sizeof a) == 0;
}

static void test_verinfo_decode(void)
{
	static const char *const cases[] = {
		"version=v1.0.0\ntime=1700000000\n",
		"version=v1.0.0\ntime=1700000000",
		"version=v1.0.0\ntime1700000000\n",
		"=x\nversion=v1\ntime=1\n",
		"version=v1=2\ntime=-42\nzip_size=-\nmod_size=\n",
		"version=\ntime=12345678901234567890123456789012345678901234567890\n",
		"version=v1\ntime=-99999999999999999999999999999999999\n",
		"version=v1\ntime=0012x34\nzip_size=18446744073709551615\nmod_size=18446744073709551616\n",
		"version=v1\ntime=1\nh1=a\nh1mod=b\nh1mo=c\nh=d\nh1modx=e\n",
		"version=v1\ntime=1\nsource=upstream-and-a-good-deal-longer-than-sixteen\n",
		"version=v1\ntime=1\ndeleting=1\ndeleting=0\n",
		"version=v1\ntime=1\ndeleting=\n",
		"version=v1\ntime=1\ndeleting=10\nuploader=bob\nuploader=\n",
		"vers=v1\nversio=v2\nversionx=v3\ntim=1\ntimes=2\n",
		"zip_sha256=abc\nzip_size=7\nzip=1\nversion=v1\ntime=1\n",
		"\n",
		"=\n",
		"version=v1\n\ntime=1\n",
		"",
	};
	int bad = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		bad += !decode_agrees(cases[i], strlen(cases[i]));
	ok(!bad, "verinfo_decode agrees with the per-key decoder on odd records");
	char nul[] = "version=v1\0x\ntime=1\0002\nuploader=a\0b\n";
	ok(decode_agrees(nul, sizeof nul - 1), "  also with NUL bytes in values");
	char big[600];
	memset(big, '7', sizeof big);
	memcpy(big, "version=", 8);
	big[300] = '\n';
	memcpy(big + 301, "time=", 5);
	big[sizeof big - 1] = '\n';
	ok(decode_agrees(big, sizeof big), "  and with values longer than their fields");
	/* records of the encoder, each byte of them changed in turn to one of
	 * the bytes that matter */
	struct verinfo a = {.version = "v1.2.3", .time = 1700000000, .zip_size = 123, .mod_size = 45,
	                    .zip_sha256 = "ab", .h1_zip = "h1:x", .h1_mod = "h1:y", .uploader = "bob",
	                    .source = "upstream", .deleting = 1};
	char rec[1024];
	/* with a kept go.mod, escapes and all */
	static const char gm[] = "module x\\y\n\0go\r\n";
	a.mod_size = sizeof gm - 1;
	verinfo_encode(&a, gm, sizeof gm - 1, rec, sizeof rec);
	size_t n = strlen(rec);
	static const char subst[] = "=\n-019hv\0";
	bad = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sizeof subst - 1 + 1; j++) {
			char m[1024], g[64];
			memcpy(m, rec, n);
			m[i] = subst[j];
			bad += !decode_agrees(m, n);
			bad += !decode_agrees(m, i + 1);
			/* the copy of a changed record: mod_size bytes, or none
			 * (and never a byte read or written outside; ASan) */
			struct verinfo x;
			const size_t lens[2] = {n, i + 1};
			for (int l = 0; l < 2; l++)
				if (verinfo_decode(m, lens[l], &x) == 0) {
					long k = verinfo_gomod(m, lens[l], &x, g, sizeof g);
					bad += k >= 0 && (uint64_t)k != x.mod_size;
				}
		}
	ok(!bad, "  and on every one-byte change of an encoded record and its prefixes");
}

/* store_file_path: ROOT/OWNER/ESC-MODULE/@v/ESC-VERSION.EXT, and in every
 * buffer too small for it fmt's answer (-1) and its cut */
static void test_file_path(void)
{
	struct store s = {.cache = NULL};
	snprintf(s.root, sizeof s.root, "/r");
	char p[64], want[64];
	is_int(store_file_path(&s, "acme", "example.com/Big", "v1.0.0-RC", "info", p, sizeof p), 0,
	       "store_file_path: 0");
	is_str(p, "/r/acme/example.com/!big/@v/v1.0.0-!r!c.info", "  the escaped names");
	size_t n = strlen(p);
	int bad = 0;
	for (size_t sz = 1; sz <= n + 1; sz++) {
		memset(p, 'x', sizeof p);
		int r = store_file_path(&s, "acme", "example.com/Big", "v1.0.0-RC", "info", p, sz);
		snprintf(want, sz, "/r/acme/example.com/!big/@v/v1.0.0-!r!c.info");
		bad += r != (sz == n + 1 ? 0 : -1) || strcmp(p, want) != 0 || p[sz] != 'x';
	}
	is_int(bad, 0, "  cut as fmt cuts in each smaller buffer, nothing past it written");
}

static void test_names(void)
{
	ok(store_check_owner("acme") == NULL, "owner acme");
	ok(store_check_owner("a.b-c_d9") == NULL, "owner a.b-c_d9");
	ok(store_check_owner("") != NULL, "empty owner refused");
	ok(store_check_owner("tmp") != NULL, "tmp is reserved");
	ok(store_check_owner("lost+found") != NULL, "lost+found cannot be an owner");
	ok(store_check_owner(".hidden") != NULL, "leading dot refused");
	ok(store_check_owner("Acme") != NULL, "upper case refused");
	char big[80];
	memset(big, 'a', 65);
	big[65] = 0;
	ok(store_check_owner(big) != NULL, "65 bytes refused");
	/* the last valid name is remembered: each, after each other, still
	 * gets its own answer */
	static const struct { const char *name; int ok; } owners[] = {
		{"acme", 1}, {"acme.", 1}, {"Acme", 0}, {"", 0}, {"tmp", 0}, {"tmpx", 1}, {"acm", 1}, {"-x", 0}, {"a_b", 1},
	};
	int order_bad = 0;
	for (size_t i = 0; i < sizeof owners / sizeof owners[0]; i++)
		for (size_t j = 0; j < sizeof owners / sizeof owners[0]; j++)
			order_bad += (store_check_owner(owners[i].name) == NULL) != owners[i].ok ||
			             (store_check_owner(owners[j].name) == NULL) != owners[j].ok;
	order_bad += store_check_owner(big) == NULL;
	is_int(order_bad, 0, "owner names checked in every order of two");

	struct verinfo a = {.version = "v1.2.3", .time = 1700000000, .zip_size = 123, .mod_size = 45,
	                    .zip_sha256 = "ab", .h1_zip = "h1:x", .h1_mod = "h1:y", .uploader = "bob"}, b;
	char buf[1024];
	ok(verinfo_encode(&a, NULL, 0, buf, sizeof buf) == 0 && verinfo_decode(buf, strlen(buf), &b) == 0 &&
	   memcmp(&a, &b, sizeof a) == 0, "verinfo round trip");
	ok(verinfo_decode("zip_size=1\n", 11, &b) < 0, "a record without version and time is refused");
	/* a kept go.mod: every byte back, the record one line per field and
	 * a C string; a reader that does not know the field skips its line */
	{
		char gm[600], got[700], *rec = malloc(VERINFO_ENCODED_MAX);
		for (size_t i = 0; i < sizeof gm; i++)
			gm[i] = (char)(i * 7 % 256);
		struct verinfo c = a, d;
		c.mod_size = sizeof gm;
		ok(rec && verinfo_encode(&c, gm, sizeof gm, rec, VERINFO_ENCODED_MAX) == 0 &&
		   verinfo_decode(rec, strlen(rec), &d) == 0 && d.gomod_at > 0 &&
		   verinfo_gomod(rec, strlen(rec), &d, got, sizeof got) == (long)sizeof gm &&
		   memcmp(got, gm, sizeof gm) == 0, "a kept go.mod of all 256 byte values comes back whole");
		size_t lines = 0;
		for (const char *q = rec; *q; q++)
			lines += *q == '\n';
		is_int(lines, 9, "  in the record's ninth line, after eight fields");
		char *g = strstr(rec, "gomod=");
		struct verinfo e;
		ok(g && (*g = 0, verinfo_decode(rec, strlen(rec), &e) == 0) && e.gomod_at == 0 &&
		   (d.gomod_at = d.gomod_len = 0, memcmp(&d, &e, sizeof d) == 0),
		   "  the other fields are the same without that line");
		is_int(verinfo_gomod(rec, strlen(rec), &e, got, sizeof got), -1, "  and without it, no copy");
		c.mod_size = sizeof gm - 1;
		ok(verinfo_encode(&c, gm, sizeof gm, rec, VERINFO_ENCODED_MAX) == 0 &&
		   verinfo_decode(rec, strlen(rec), &d) == 0 &&
		   verinfo_gomod(rec, strlen(rec), &d, got, sizeof got) == -1, "  a copy that is not mod_size bytes is none");
		c.mod_size = sizeof gm;
		ok(verinfo_gomod(rec, strlen(rec), &d, got, 100) == -1, "  nor one larger than the room for it");
		c.mod_size = 0;
		ok(verinfo_encode(&c, "", 0, rec, VERINFO_ENCODED_MAX) == 0 && strstr(rec, "gomod=\n") &&
		   verinfo_decode(rec, strlen(rec), &d) == 0 && verinfo_gomod(rec, strlen(rec), &d, got, sizeof got) == 0,
		   "  an empty go.mod is kept too");
		char *many = calloc(1, STORE_GOMOD_KEPT_MAX + 1);
		memset(many, '\n', STORE_GOMOD_KEPT_MAX);
		c.mod_size = STORE_GOMOD_KEPT_MAX;
		ok(many && verinfo_encode(&c, many, STORE_GOMOD_KEPT_MAX, rec, VERINFO_ENCODED_MAX) == 0 &&
		   verinfo_decode(rec, strlen(rec), &d) == 0 && d.gomod_len == 2 * STORE_GOMOD_KEPT_MAX,
		   "  one of STORE_GOMOD_KEPT_MAX newlines fits the record, escaped");
		c.mod_size = STORE_GOMOD_KEPT_MAX + 1;
		ok(verinfo_encode(&c, many, STORE_GOMOD_KEPT_MAX + 1, rec, VERINFO_ENCODED_MAX) == 0 &&
		   !strstr(rec, "gomod="), "  a larger one is not kept");
		ok(verinfo_encode(&c, gm, sizeof gm, rec, 300) < 0, "  and a record that does not fit is refused");
		static const char *const broken[] = {"gomod=ab\\\n", "gomod=a\\x\n", "gomod=abc\n"};
		for (size_t i = 0; i < 3; i++) {
			c.mod_size = 2;
			verinfo_encode(&c, NULL, 0, rec, VERINFO_ENCODED_MAX);
			strcat(rec, broken[i]);
			ok(verinfo_decode(rec, strlen(rec), &d) == 0 && verinfo_gomod(rec, strlen(rec), &d, got, sizeof got) == -1,
			   "  a broken copy is none: %s", broken[i]);
		}
		free(many);
		free(rec);
	}
	a.deleting = 1;
	ok(verinfo_encode(&a, NULL, 0, buf, sizeof buf) == 0 && strstr(buf, "deleting=1\n") &&
	   verinfo_decode(buf, strlen(buf), &b) == 0 && b.deleting == 1, "  the deleting mark too");

	const char *info = "{\"Version\":\"v1.0.0\",\"Time\":\"2020-01-02T03:04:05Z\"}\n";
	is_int(fsck_info_time(info, strlen(info)), 1577934245, ".info Time parsed");
	info = "{\"Version\":\"v1.0.0\",\"Time\":\"2020-01-02T03:04:05.123456Z\"}";
	is_int(fsck_info_time(info, strlen(info)), 1577934245, ".info Time with fractional seconds");
	info = "{\"Version\":\"v1.0.0\",\"Time\":\"2020-01-02T03:04:05+01:00\"}";
	is_int(fsck_info_time(info, strlen(info)), -1, "a Time not in UTC is refused");
	is_int(fsck_info_time("{}", 2), -1, "no Time");
	char out[100];
	static const char want1[] = "{\"Version\":\"v1.0.0\",\"Time\":\"2020-01-02T03:04:05Z\"}\n";
	ok(store_info_format("v1.0.0", 1577934245, out, sizeof out) == (int)sizeof want1 - 1 && strcmp(out, want1) == 0,
	   ".info bytes, and their length");
	/* at every size round the one it needs, as snprintf writes it */
	int cut_bad = 0;
	for (size_t sz = 1; sz < sizeof out; sz++) {
		char want[100];
		int n = snprintf(want, sz, "{\"Version\":\"%s\",\"Time\":\"%s\"}\n", "v1.0.0-rc.1", "2020-01-02T03:04:05Z");
		int r = store_info_format("v1.0.0-rc.1", 1577934245, out, sz);
		cut_bad += r != ((size_t)n < sz ? n : -1) || strcmp(out, want) != 0;
	}
	is_int(cut_bad, 0, "  cut as snprintf cuts, -1 when cut, else the length");
}

static void test_publish(void)
{
	const char *m = "example.com/pub";
	char *z1 = mkzip(m, "v1.0.0", "one"), *z1b = mkzip(m, "v1.0.0", "other");
	char *z2 = mkzip(m, "v1.1.0-rc.1", "rc"), *z3 = mkzip(m, "v0.0.0-20200101000000-abcdefabcdef", "ps");
	is_int(publish("acme", z1, "alice"), 201, "publish v1.0.0: 201");
	struct verinfo vi;
	is_int(store_get(&st, "acme", m, "v1.0.0", &vi, err, sizeof err), 200, "get: 200");
	struct stat sb;
	stat(z1, &sb);
	is_int(vi.zip_size, sb.st_size, "  record holds the zip size");
	is_str(vi.uploader, "alice", "  and the uploader");
	ok(tstore_same_file(fpath("acme", m, "v1.0.0", "zip"), z1), "  .zip is the uploaded zip");
	is_int(publish("acme", z1, "bob"), 409, "the same zip again: 409");
	is_int(publish("acme", z1b, "bob"), 409, "another zip of the same version: 409");
	ok(tstore_same_file(fpath("acme", m, "v1.0.0", "zip"), z1), "  the first zip stays");
	is_int(publish("acme", z3, ""), 201, "a pseudo-version: 201");
	is_int(publish("acme", z2, ""), 201, "a pre-release: 201");
	char **v;
	size_t n;
	is_int(store_versions(&st, "acme", m, &v, &n, err, sizeof err), 200, "versions: 200");
	ok(n == 3 && strcmp(v[0], "v0.0.0-20200101000000-abcdefabcdef") == 0 && strcmp(v[1], "v1.0.0") == 0 &&
	   strcmp(v[2], "v1.1.0-rc.1") == 0, "  all three, semver order");
	store_list_free(v, n);
	char *list;
	size_t ll;
	char lp[4096];
	snprintf(lp, sizeof lp, "%s", fpath("acme", m, "v1.0.0", "zip"));
	strcpy(strrchr(lp, '/'), "/list");
	ok(read_file(lp, 4096, &list, &ll) == 0 && strcmp(list, "v1.0.0\nv1.1.0-rc.1\n") == 0,
	   "@v/list file: no pseudo-version");
	free(list);
	struct fsck_counts c = fsck(0, FSCK_TMP_MIN_AGE, NULL, 0);
	is_int(c.problems, 0, "fsck: clean");
	show();
	is_int(c.versions, 3, "fsck: 3 versions");

	is_int(store_delete(&st, "acme", m, "v1.1.0-rc.1", err, sizeof err), 204, "delete: 204");
	is_int(store_get(&st, "acme", m, "v1.1.0-rc.1", &vi, err, sizeof err), 404, "  then get: 404");
	ok(!exists(fpath("acme", m, "v1.1.0-rc.1", "zip")) && !exists(fpath("acme", m, "v1.1.0-rc.1", "mod")) &&
	   !exists(fpath("acme", m, "v1.1.0-rc.1", "info")), "  its files are gone");
	is_int(store_delete(&st, "acme", m, "v1.1.0-rc.1", err, sizeof err), 404, "  delete again: 404");
	ok(read_file(lp, 4096, &list, &ll) == 0 && strcmp(list, "v1.0.0\n") == 0, "  @v/list updated");
	free(list);
	is_int(publish("acme", z2, ""), 201, "  uploaded again: 201");
	is_int(store_delete(&st, "acme", m, "v1.1.0-rc.1", err, sizeof err), 204, "delete all three");
	is_int(store_delete(&st, "acme", m, "v1.0.0", err, sizeof err), 204, "  (2)");
	is_int(store_delete(&st, "acme", m, "v0.0.0-20200101000000-abcdefabcdef", err, sizeof err), 204, "  (3)");
	is_int(store_versions(&st, "acme", m, &v, &n, err, sizeof err), 404, "  versions: 404");
	char mdir[300];
	snprintf(mdir, sizeof mdir, "%s/acme/example.com", root);
	ok(!exists(mdir), "  the module's directories went with its last version");
	is_int(publish("acme", z1b, ""), 201, "  and it can be uploaded anew");
	c = fsck(0, FSCK_TMP_MIN_AGE, NULL, 0);
	is_int(c.problems, 0, "fsck: clean");
	show();
	free(z1), free(z1b), free(z2), free(z3);
}

/* Race n processes: child i runs fn(i) once all are started; returns the
 * children's exit statuses in st_out. */
static void race(int n, int (*fn)(int), int *st_out)
{
	int go[2];
	pid_t pid[32];
	if (pipe(go) < 0)
		bail("pipe");
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		if ((pid[i] = fork()) == 0) {
			char b;
			close(go[1]);
			if (read(go[0], &b, 1) < 0)
				_exit(99);
			_exit(fn(i));
		}
	}
	close(go[0]);
	close(go[1]);   /* everyone's read returns now */
	for (int i = 0; i < n; i++) {
		int s;
		waitpid(pid[i], &s, 0);
		st_out[i] = WIFEXITED(s) ? WEXITSTATUS(s) : 100 + WTERMSIG(s);
	}
}

static char *rz[16];

static int race_same(int i)
{
	int c = publish("race", rz[i], "");
	return c == 201 ? 0 : c == 409 ? 1 : 2;
}

static int race_versions(int i)
{
	return publish("race", rz[i], "") == 201 ? 0 : 2;
}

static void test_races(void)
{
	const char *m = "example.com/race";
	enum { N = 12 };
	int res[N];
	for (int i = 0; i < N; i++) {
		char tag[32];
		snprintf(tag, sizeof tag, "racer%d", i);
		rz[i] = mkzip(m, "v1.0.0", tag);
	}
	race(N, race_same, res);
	int c201 = 0, c409 = 0, winner = -1;
	for (int i = 0; i < N; i++) {
		if (res[i] == 0)
			c201++, winner = i;
		else if (res[i] == 1)
			c409++;
	}
	is_int(c201, 1, "%d racing uploads of one version: exactly one 201", N);
	is_int(c409, N - 1, "  and %d 409", N - 1);
	ok(winner >= 0 && tstore_same_file(fpath("race", m, "v1.0.0", "zip"), rz[winner]), "  the stored zip is the winner's, whole");
	is_int(http_view("race", m, "v1.0.0", winner >= 0 ? rz[winner] : ""), 1, "  and readers see it");
	for (int i = 0; i < N; i++)
		free(rz[i]);

	for (int i = 0; i < N; i++) {
		char v[32];
		snprintf(v, sizeof v, "v1.%d.0", i + 1);
		rz[i] = mkzip(m, v, v);
	}
	race(N, race_versions, res);
	int all = 1;
	for (int i = 0; i < N; i++)
		all &= res[i] == 0;
	ok(all, "%d racing uploads of different versions: all 201", N);
	char **v;
	size_t n;
	store_versions(&st, "race", m, &v, &n, err, sizeof err);
	is_int(n, N + 1, "  the version list has them all");
	store_list_free(v, n);
	for (int i = 0; i < N; i++)
		free(rz[i]);
	struct fsck_counts c = fsck(0, FSCK_TMP_MIN_AGE, NULL, 0);
	is_int(c.problems, 0, "  fsck: clean");
	show();
}

/* Readers never see a committed version vanish or a record torn while
 * writers commit: the regression test of opening the index O_RDONLY,
 * which in tdb means without any locks. */
static char *wz[24];

static int reader(void)
{
	int bad = 0;
	for (int k = 0; k < 400; k++) {
		struct verinfo vi;
		char **v;
		size_t n;
		if (store_get(&st, "rw", "example.com/rw", "v1.0.0", &vi, err, sizeof err) != 200 ||
		    strcmp(vi.uploader, "first") != 0)
			bad++;
		if (store_versions(&st, "rw", "example.com/rw", &v, &n, err, sizeof err) != 200)
			bad++;
		else {
			bad += n < 1 || strcmp(v[0], "v1.0.0") != 0;
			store_list_free(v, n);
		}
	}
	return bad > 250 ? 250 : bad;
}

static int rw(int i)
{
	if (i < 2)
		return reader();
	for (int k = 0; k < 12; k++)
		if (publish("rw", wz[(i - 2) * 12 + k], "w") != 201)
			return 1;
	return 0;
}

static void test_readers(void)
{
	char *first = mkzip("example.com/rw", "v1.0.0", "first");
	is_int(publish("rw", first, "first"), 201, "readers vs writers: the version read");
	for (int i = 0; i < 24; i++) {
		char v[32];
		snprintf(v, sizeof v, "v1.%d.0", i + 1);
		/* another module too: commits rewrite records all over the file */
		wz[i] = mkzip(i % 2 ? "example.com/rw" : "example.com/rw2", v, v);
	}
	int res[4];
	race(4, rw, res);
	is_int(res[0] + res[1], 0, "  readers never missed the committed version (2 x 400 lookups)");
	is_int(res[2] + res[3], 0, "  while two writers published 24 versions");
	for (int i = 0; i < 24; i++)
		free(wz[i]);
	free(first);
}

/* Run fn in a child that GOREG_STORE_CRASH kills at point: 1 if it died so. */
static int crash(const char *point, int (*fn)(const char *, const char *), const char *owner, const char *arg)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("GOREG_STORE_CRASH", point, 1);
		fn(owner, arg);
		_exit(0);
	}
	int s;
	waitpid(pid, &s, 0);
	return WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL;
}

static int do_publish(const char *owner, const char *zip)
{
	return publish(owner, zip, "crash");
}

static int do_delete(const char *owner, const char *version)
{
	return store_delete(&st, owner, "example.com/crash", version, err, sizeof err);
}

static void test_crash_publish(void)
{
	static const struct {
		const char *point;
		int after;              /* the version exists after repair */
	} pts[] = {
		{"publish-locked", 0}, {"publish-zip", 0}, {"publish-mod", 0}, {"publish-info", 1},
		{"publish-list", 1}, {"publish-stored", 1}, {"publish-committed", 1},
	};
	const char *m = "example.com/crash";
	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		char owner[32], *z = mkzip(m, "v1.0.0", pts[i].point), *z0 = mkzip(m, "v0.9.0", "before");
		snprintf(owner, sizeof owner, "crash%zu", i);
		is_int(publish(owner, z0, "earlier"), 201, "%s: an earlier version", pts[i].point);
		ok(crash(pts[i].point, do_publish, owner, z), "  the upload was killed there");
		int h = http_view(owner, m, "v1.0.0", z), t = tree_view(owner, m, "v1.0.0", z);
		ok(h >= 0, "  HTTP readers see all of the version or nothing (%d)", h);
		ok(t >= 0, "  file-tree readers see all of it or nothing (%d)", t);
		ok(h == 0 || t == 1, "  what HTTP serves, the tree has");
		fsck(1, 0, NULL, 0);
		struct fsck_counts c = fsck(0, 0, NULL, 0);
		is_int(c.problems, 0, "  after fsck --repair, fsck is clean");
		show();
		is_int(http_view(owner, m, "v1.0.0", z), pts[i].after, "  HTTP: the version %s", pts[i].after ? "whole" : "absent");
		is_int(tree_view(owner, m, "v1.0.0", z), pts[i].after, "  tree: the same");
		is_int(http_view(owner, m, "v0.9.0", z0), 1, "  the earlier version is intact");
		is_int(publish(owner, z, ""), pts[i].after ? 409 : 201, "  uploading it again: %d", pts[i].after ? 409 : 201);
		free(z);
		free(z0);
	}
}

static void test_crash_delete(void)
{
	static const char *const pts[] = {"delete-marked", "delete-info", "delete-files"};
	const char *m = "example.com/crash";
	for (size_t i = 0; i < 3; i++) {
		char owner[32], *z = mkzip(m, "v1.0.0", pts[i]), *z1 = mkzip(m, "v1.1.0", "stays");
		snprintf(owner, sizeof owner, "dcrash%zu", i);
		publish(owner, z, "");
		publish(owner, z1, "");
		ok(crash(pts[i], do_delete, owner, "v1.0.0"), "%s: the delete was killed there", pts[i]);
		is_int(http_view(owner, m, "v1.0.0", z), 0, "  HTTP readers see nothing of it");
		ok(tree_view(owner, m, "v1.0.0", z) >= 0, "  file-tree readers see all of it or nothing");
		char **v;
		size_t n;
		store_versions(&st, owner, m, &v, &n, err, sizeof err);
		ok(n == 1 && strcmp(v[0], "v1.1.0") == 0, "  it is not listed");
		store_list_free(v, n);
		struct fsck_counts c = fsck(0, 0, NULL, 0);
		ok(c.problems > 0, "  fsck sees what is left");
		fsck(1, 0, NULL, 0);
		c = fsck(0, 0, NULL, 0);
		is_int(c.problems, 0, "  after fsck --repair, fsck is clean");
		show();
		is_int(tree_view(owner, m, "v1.0.0", z), 0, "  and gone from the tree");
		store_versions(&st, owner, m, &v, &n, err, sizeof err);
		ok(n == 1 && strcmp(v[0], "v1.1.0") == 0, "  the list has only the other version");
		store_list_free(v, n);
		is_int(http_view(owner, m, "v1.1.0", z1), 1, "  which is intact");
		is_int(publish(owner, z, ""), 201, "  the deleted version can be uploaded again");
		free(z);
		free(z1);
	}
}

/* A delete cut short needs no goreg-fsck before the version is uploaded
 * again, nor before another delete of it. */
static void test_crash_delete_heal(void)
{
	const char *m = "example.com/crash";
	char *z = mkzip(m, "v1.5.0", "heal"), *z2 = mkzip(m, "v1.5.0", "healed");
	publish("heal", z, "");
	ok(crash("delete-marked", do_delete, "heal", "v1.5.0"), "a delete killed between its two steps");
	is_int(publish("heal", z2, ""), 201, "  uploading the version again finishes it: 201");
	is_int(http_view("heal", m, "v1.5.0", z2), 1, "  the new zip is served");
	is_int(tree_view("heal", m, "v1.5.0", z2), 1, "  and in the tree");
	ok(crash("delete-info", do_delete, "heal", "v1.5.0"), "a delete killed after the .info went");
	is_int(store_delete(&st, "heal", m, "v1.5.0", err, sizeof err), 204, "  deleting again finishes it: 204");
	is_int(store_delete(&st, "heal", m, "v1.5.0", err, sizeof err), 404, "  then 404");
	struct fsck_counts c = fsck(0, 0, NULL, 0);
	is_int(c.problems, 0, "  and fsck is clean");
	show();
	free(z);
	free(z2);
}

static int64_t file_time(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 ? (int64_t)sb.st_mtime : -1;
}

static void age(const char *p, int64_t secs)
{
	struct timespec ts[2] = {{time(NULL) - secs, 0}, {time(NULL) - secs, 0}};
	utimensat(AT_FDCWD, p, ts, 0);
}

static void test_fsck_tmp(void)
{
	char old[1200], fresh[1200], held[1200];
	int fd = store_tmp_create(&st, "u", old, sizeof old);
	close(fd);
	age(old, 3600);
	fd = store_tmp_create(&st, "u", fresh, sizeof fresh);
	close(fd);
	int hfd = store_tmp_create(&st, "u", held, sizeof held);
	age(held, 3600);
	struct fsck_counts c = fsck(0, FSCK_TMP_MIN_AGE, NULL, 0);
	is_int(c.problems, 1, "tmp/: one leftover");
	ok(found(strrchr(old, '/') + 1) && found("leftover"), "  the old unlocked file");
	c = fsck(0, 0, NULL, 0);
	is_int(c.problems, 2, "  with -a 0 the fresh one too, never the locked one");
	ok(!found(strrchr(held, '/') + 1), "  (the locked one is an upload at work)");
	c = fsck(1, FSCK_TMP_MIN_AGE, NULL, 0);
	ok(c.problems == 1 && c.repaired == 1 && !exists(old) && exists(fresh), "  --repair removes the old one only");
	close(hfd);
	c = fsck(0, 0, NULL, 0);
	is_int(c.problems, 2, "  unlocked, the other is a leftover too");
	fsck(1, 0, NULL, 0);
	ok(!exists(fresh) && !exists(held), "  and goes");
}

/* In the record of module@version: the last byte of the first "at" made c,
 * or with c 0 the record cut before "at".  1 when done. */
static int edit_record(const char *owner, const char *module, const char *version, const char *at, char c)
{
	struct tdb_context *db = store_index_open(&st, owner, INDEX_WRITE);
	char k[300];
	snprintf(k, sizeof k, STORE_KEY_VERSION "%s@%s", module, version);
	TDB_DATA key = {(unsigned char *)k, strlen(k)};
	TDB_DATA v = db ? tdb_fetch(db, key) : (TDB_DATA){NULL, 0};
	char *g = v.dptr ? memmem(v.dptr, v.dsize, at, strlen(at)) : NULL;
	if (g && c)
		g[strlen(at) - 1] = c;
	else if (g)
		v.dsize = (size_t)(g - (char *)v.dptr);
	int done = g && tdb_store(db, key, v, TDB_REPLACE) == 0;
	free(v.dptr);
	if (db)
		tdb_close(db);
	return done;
}

/* A version list record: split into lines, joined back, and the public
 * @v/list without pseudo-versions */
static void test_lists(void)
{
	static const char rec[] = "v1.0.0\n\nv1.1.0\nv0.0.0-20200101000000-abcdefabcdef\nv2.0.0-rc.1";
	char **v;
	size_t n;
	ok(store_list_split(rec, sizeof rec - 1, &v, &n) == 0 && n == 4 && strcmp(v[0], "v1.0.0") == 0 &&
	   strcmp(v[1], "v1.1.0") == 0 && strcmp(v[3], "v2.0.0-rc.1") == 0,
	   "list split: four lines, the empty one left out, the last without its newline");
	struct buf b = {0};
	ok(store_list_format(v, n, &b) == 0 && strcmp(b.p, "v1.0.0\nv1.1.0\nv2.0.0-rc.1\n") == 0 && b.len == strlen(b.p),
	   "  the public list: the pseudo-version left out, the pre-release kept");
	store_list_free(v, n);
	ok(store_list_format(NULL, 0, &b) == 0 && b.len == 0 && b.p[0] == 0, "  an empty list: empty");
	/* 16 bytes and the NUL: room counted one short would be a new
	 * buffer's first 16 bytes, and the sanitizer build sees the NUL
	 * written past them */
	struct buf exact = {0};
	ok(store_list_split("v1.0.0\nv1.100.0", 15, &v, &n) == 0 && n == 2 && store_list_format(v, n, &exact) == 0 &&
	   exact.len == 16 && strcmp(exact.p, "v1.0.0\nv1.100.0\n") == 0, "  a list of 16 bytes and its NUL");
	store_list_free(v, n);
	buf_free(&exact);
	/* 10 000 lines, one allocation for the joined list */
	struct buf big = {0};
	for (int i = 0; i < 10000; i++)
		buf_printf(&big, "v1.%d.0\n", i);
	ok(store_list_split(big.p, big.len, &v, &n) == 0 && n == 10000 && store_list_format(v, n, &b) == 0 &&
	   b.len == big.len && memcmp(b.p, big.p, big.len) == 0, "  10 000 versions split and joined back whole");
	store_list_free(v, n);
	buf_free(&big);
	buf_free(&b);
}

/* The record's own copy of the go.mod: what a .mod is served from */
static void test_gomod_kept(void)
{
	const char *m = "example.com/kept";
	char *o[] = {"kept"};
	char *z = mkzip(m, "v1.0.0", "k");
	publish("kept", z, "kim");
	struct verinfo vi;
	static char mod[SMALL_FILE_MAX + 1];
	long n = -2;
	char *file;
	size_t flen;
	is_int(store_get_mod(&st, "kept", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err), 200,
	       "kept go.mod: store_get_mod 200");
	ok(read_file(fpath("kept", m, "v1.0.0", "mod"), 1 << 20, &file, &flen) == 0 && n == (long)flen &&
	   memcmp(mod, file, flen) == 0, "  the published record keeps the .mod file's bytes");
	is_int(store_get_mod(&st, "kept", m, "v9.0.0", &vi, mod, sizeof mod, &n, err, sizeof err), 404,
	       "  an unknown version: 404");

	/* the copy changed in the record, its length kept */
	ok(edit_record("kept", m, "v1.0.0", "gomod=m", 'M'), "  the record's copy changed to Module");
	store_get_mod(&st, "kept", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err);
	ok(n == (long)flen && mod[0] == 'M', "  a .mod is the record's copy, not the file");
	struct fsck_counts c = fsck(0, 0, o, 1);
	ok(found("kept/index.tdb: the record of example.com/kept@v1.0.0 keeps a go.mod that is not its h1:"),
	   "  goreg-fsck: a copy that is not the record's h1mod");
	is_int(c.problems, 1, "  one problem");
	c = fsck(1, 0, o, 1);
	is_int(c.repaired, 1, "  --repair rebuilds the record from the files");
	c = fsck(0, 0, o, 1);
	is_int(c.problems, 0, "  then fsck is clean");
	store_get_mod(&st, "kept", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err);
	ok(n == (long)flen && memcmp(mod, file, flen) == 0, "  and the copy is the file's again");

	/* a record without a copy, as goreg wrote them before: the file's */
	struct verinfo v0;
	store_get(&st, "kept", m, "v1.0.0", &v0, err, sizeof err);
	ok(edit_record("kept", m, "v1.0.0", "gomod=", 0), "a record without the gomod line");
	n = -2;
	is_int(store_get_mod(&st, "kept", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err), 200,
	       "  still served: 200");
	is_int(n, -1, "  keeping no copy: the file's to say");
	c = fsck(0, 0, o, 1);
	is_int(c.problems, 0, "  and no problem for goreg-fsck");
	ok(c.gomod_copied == 0 && store_get_mod(&st, "kept", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err) == 200 &&
	   n == -1, "  which, checking, adds no copy");
	c = fsck(1, 0, o, 1);
	ok(c.problems == 0 && c.gomod_copied == 1, "  --repair gives the record its copy, not counted a problem");
	ok(found("kept/index.tdb: 1 records given a copy of their go.mod"), "  and says so for the owner");
	store_get_mod(&st, "kept", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err);
	ok(n == (long)flen && memcmp(mod, file, flen) == 0, "  the .mod file's bytes");
	is_str(vi.uploader, "kim", "  the record's other fields kept");
	ok(strcmp(vi.version, v0.version) == 0 && vi.time == v0.time && vi.zip_size == v0.zip_size &&
	   vi.mod_size == v0.mod_size && strcmp(vi.zip_sha256, v0.zip_sha256) == 0 &&
	   strcmp(vi.h1_zip, v0.h1_zip) == 0 && strcmp(vi.h1_mod, v0.h1_mod) == 0 &&
	   strcmp(vi.source, v0.source) == 0 && !vi.deleting,
	   "  every one: version, time, sizes, hashes, source");
	c = fsck(1, 0, o, 1);
	is_int(c.gomod_copied, 0, "  a second --repair has nothing to add");
	free(file);
	free(z);

	/* a version goreg-fetch brought from upstream stays one when
	 * --repair rebuilds its record: its source is what tells an owner's
	 * own modules from those it may ask upstream for (fetch.c) */
	const char *mu = "example.com/keptup";
	z = mkzip(mu, "v1.0.0", "u");
	is_int(publish_from("kept", z, "", "upstream"), 201, "a version from upstream");
	ok(edit_record("kept", mu, "v1.0.0", "gomod=m", 'M'), "  its record's copy changed");
	c = fsck(1, 0, o, 1);
	is_int(c.repaired, 1, "  --repair rebuilds the record");
	is_int(store_get(&st, "kept", mu, "v1.0.0", &vi, err, sizeof err), 200, "  served");
	is_str(vi.source, "upstream", "  and still from upstream");
	ok(edit_record("kept", mu, "v1.0.0", "gomod=", 0), "  its record without a copy");
	c = fsck(1, 0, o, 1);
	ok(c.problems == 0 && c.gomod_copied == 1, "  --repair gives it one");
	n = -2;
	ok(store_get_mod(&st, "kept", mu, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err) == 200 && n >= 0,
	   "  kept in the record");
	is_str(vi.source, "upstream", "  which still says from upstream");
	free(z);
}

/* Another process rewrites module@version's record with its "from" line
 * replaced by "to" (of another length: the lines after it move) and
 * commits: 1 when done. */
static int reline_elsewhere(struct store *kept, const char *owner, const char *module, const char *version,
                            const char *from, const char *to)
{
	pid_t p = fork();
	if (p == 0) {
		store_cache_close(kept); /* this process's copy of the handle */
		struct tdb_context *db = store_index_open(&st, owner, INDEX_WRITE);
		char k[300], nv[8192];
		snprintf(k, sizeof k, STORE_KEY_VERSION "%s@%s", module, version);
		TDB_DATA key = {(unsigned char *)k, strlen(k)};
		TDB_DATA v = db ? tdb_fetch(db, key) : (TDB_DATA){NULL, 0};
		size_t fl = strlen(from), tl = strlen(to);
		char *g = v.dptr ? memmem(v.dptr, v.dsize, from, fl) : NULL;
		if (!g || v.dsize - fl + tl > sizeof nv)
			_exit(1);
		size_t at = (size_t)(g - (char *)v.dptr);
		memcpy(nv, v.dptr, at);
		memcpy(nv + at, to, tl);
		memcpy(nv + at + tl, g + fl, v.dsize - at - fl);
		TDB_DATA n = {(unsigned char *)nv, v.dsize - fl + tl};
		_exit(tdb_store(db, key, n, TDB_REPLACE) == 0 && tdb_close(db) == 0 ? 0 : 1);
	}
	int status = -1;
	waitpid(p, &status, 0);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* Another process changes a byte of module@version's record (the last of
 * at, to c) and commits: 1 when done. */
static int edit_elsewhere(struct store *kept, const char *owner, const char *module, const char *version,
                          const char *at, char c)
{
	char to[64];
	snprintf(to, sizeof to, "%s", at);
	to[strlen(to) - 1] = c;
	return reline_elsewhere(kept, owner, module, version, at, to);
}

/* A keep-alive connection's kept record, decoded once
 * (store_fetch_verinfo): the next request after another process's commit
 * sees the change, and a slot given to another record takes its decoding
 * along. */
static void test_decoded_kept(void)
{
	const char *m = "example.com/dec";
	char *z1 = mkzip(m, "v1.0.0", "a"), *z2 = mkzip(m, "v1.1.0", "b");
	if (publish("dec", z1, "dora") != 201 || publish("dec", z2, "dora") != 201)
		bail("publish");
	struct store kept = st;
	struct store_cache c = {0};
	kept.cache = &c;
	struct verinfo vi;
	store_cache_request(&c, 0);
	is_int(store_get(&kept, "dec", m, "v1.0.0", &vi, err, sizeof err), 200, "kept: get 200");
	ok(c.decoded != NULL && strcmp(c.vi.version, "v1.0.0") == 0, "  its record kept decoded");
	snprintf(c.vi.source, sizeof c.vi.source, "marked");
	store_cache_request(&c, 0);
	memset(&vi, 0, sizeof vi);
	is_int(store_get(&kept, "dec", m, "v1.0.0", &vi, err, sizeof err), 200, "  the next request: 200");
	is_str(vi.source, "marked", "  answered from the decoding kept, not decoded again");

	ok(edit_elsewhere(&kept, "dec", m, "v1.0.0", "uploader=d", 'D'), "another process edits the record");
	store_cache_request(&c, 0);
	is_int(store_get(&kept, "dec", m, "v1.0.0", &vi, err, sizeof err), 200, "  the next request: 200");
	is_str(vi.uploader, "Dora", "  sees the change");
	is_str(vi.source, "", "  decoded anew");

	/* absent versions kept until the next record kept takes v1.0.0's
	 * slot: v1.1.0's */
	char v[32];
	for (int i = 0; c.decoded && i < STORE_CACHE_RECS && c.next % STORE_CACHE_RECS != (unsigned)(c.decoded - c.rec); i++) {
		snprintf(v, sizeof v, "v0.0.%d", i);
		store_get(&kept, "dec", m, v, &vi, err, sizeof err);
	}
	ok(c.decoded && c.next % STORE_CACHE_RECS == (unsigned)(c.decoded - c.rec), "  v1.0.0's slot is the next to take");
	is_int(store_get(&kept, "dec", m, "v1.1.0", &vi, err, sizeof err), 200, "v1.1.0 in that slot: 200");
	is_str(vi.version, "v1.1.0", "  its own record's");
	store_cache_close(&kept);
	free(z1);
	free(z2);
}

/* A .mod on a keep-alive connection is its record's copy of the go.mod,
 * read at the offsets decoded from that very record: kept and decoded
 * once, then the record rewritten by another process with its gomod line
 * moved, and the next .mod still the file's bytes (not the bytes at the
 * old offsets of the new record). */
static void test_decoded_gomod(void)
{
	const char *m = "example.com/decmod";
	char *z = mkzip(m, "v1.0.0", "g"), *z2 = mkzip(m, "v1.1.0", "h");
	if (publish("decmod", z, "dora") != 201 || publish("decmod", z2, "dora") != 201)
		bail("publish");
	char *file;
	size_t flen;
	if (read_file(fpath("decmod", m, "v1.0.0", "mod"), 1 << 20, &file, &flen) != 0)
		bail("read .mod");
	struct store kept = st;
	struct store_cache c = {0};
	kept.cache = &c;
	struct verinfo vi;
	static char mod[SMALL_FILE_MAX + 1];
	long n = -2;
	for (int i = 0; i < 2; i++) {
		store_cache_request(&c, 0);
		memset(mod, 0, sizeof mod);
		is_int(store_get_mod(&kept, "decmod", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err), 200,
		       "kept connection, request %d: .mod 200", i + 1);
		ok(n == (long)flen && memcmp(mod, file, flen) == 0, "  the record's copy, the file's bytes");
	}
	ok(c.decoded != NULL, "  its record kept decoded");
	/* two versions asked in turn: each kept in its own slot, and each
	 * answered with its own decoding */
	for (int i = 0; i < 4; i++) {
		const char *v = i % 2 ? "v1.0.0" : "v1.1.0";
		store_cache_request(&c, 0);
		is_int(store_get_mod(&kept, "decmod", m, v, &vi, mod, sizeof mod, &n, err, sizeof err), 200,
		       "%s after the other: .mod 200", v);
		is_str(vi.version, v, "  its own record's");
	}
	ok(reline_elsewhere(&kept, "decmod", m, "v1.0.0", "uploader=dora\n", "uploader=dorothea\n"),
	   "another process rewrites the record, its gomod line 4 bytes on");
	store_cache_request(&c, 0);
	memset(mod, 0, sizeof mod);
	is_int(store_get_mod(&kept, "decmod", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err), 200,
	       "  the next request: .mod 200");
	is_str(vi.uploader, "dorothea", "  the record as rewritten");
	ok(n == (long)flen && memcmp(mod, file, flen) == 0, "  its copy read where it now is: the file's bytes");
	store_cache_request(&c, 0);
	memset(mod, 0, sizeof mod);
	store_get_mod(&kept, "decmod", m, "v1.0.0", &vi, mod, sizeof mod, &n, err, sizeof err);
	ok(c.decoded != NULL && n == (long)flen && memcmp(mod, file, flen) == 0,
	   "  and again from the record kept decoded");
	store_cache_close(&kept);
	free(file);
	free(z);
	free(z2);
}

static void test_fsck_damage(void)
{
	const char *m = "example.com/dmg";
	char *o[] = {"dmg"};
	char *z[5];
	for (int i = 0; i < 5; i++) {
		char v[32];
		snprintf(v, sizeof v, "v1.%d.0", i);
		z[i] = mkzip(m, v, v);
		publish("dmg", z[i], "dora");
	}
	struct fsck_counts c = fsck(0, 0, o, 1);
	is_int(c.problems, 0, "damage: a clean owner to start");

	/* v1.0.0: bytes of the zip flipped: the zip no longer validates */
	char *data;
	size_t len;
	read_file(z[0], 1 << 20, &data, &len);
	data[len / 3] ^= 0x55;
	data[len / 3 + 1] ^= 0x55;
	int fd = open(fpath("dmg", m, "v1.0.0", "zip"), O_WRONLY);
	write_all(fd, data, len);
	close(fd);
	free(data);
	/* v1.1.0: replaced by another valid zip of the same version */
	char *other = mkzip(m, "v1.1.0", "replacement");
	read_file(other, 1 << 20, &data, &len);
	put(fpath("dmg", m, "v1.1.0", "zip"), "");
	fd = open(fpath("dmg", m, "v1.1.0", "zip"), O_WRONLY);
	write_all(fd, data, len);
	close(fd);
	free(data);
	/* v1.2.0: its .mod gone; v1.3.0: its .info rewritten */
	char *mod;
	read_file(fpath("dmg", m, "v1.2.0", "mod"), 4096, &mod, &len);
	unlink(fpath("dmg", m, "v1.2.0", "mod"));
	put(fpath("dmg", m, "v1.3.0", "info"), "{\"Version\":\"v1.3.0\",\"Time\":\"2001-02-03T04:05:06Z\"}\n");
	/* the list file, and a stranger */
	char lp[4200], junk[4200];
	snprintf(lp, sizeof lp, "%s", fpath("dmg", m, "v1.0.0", "zip"));
	strcpy(strrchr(lp, '/'), "/list");
	put(lp, "v9.9.9\n");
	snprintf(junk, sizeof junk, "%s", lp);
	strcpy(strrchr(junk, '/'), "/notes.txt");
	put(junk, "hello\n");

	c = fsck(0, 0, o, 1);
	ok(found("dmg/example.com/dmg/@v/v1.0.0.zip: SHA-256"), "a flipped byte: SHA-256 mismatch");
	ok(found("dmg/example.com/dmg/@v/v1.1.0.zip: "), "a replaced zip: mismatch");
	ok(found("dmg/example.com/dmg/@v/v1.2.0.mod: missing"), "a missing .mod");
	ok(found("dmg/example.com/dmg/@v/v1.3.0.info: differs from index.tdb"), "a changed .info");
	ok(found("dmg/example.com/dmg/@v/list: differs"), "a wrong @v/list");
	ok(found("dmg/example.com/dmg/@v/notes.txt: not part of the store"), "a stranger in @v");
	is_int(c.problems, 6, "six problems, one line each");
	ok(c.repaired == 0 && exists(junk), "checking changes nothing");

	c = fsck(1, 0, o, 1);
	is_int(c.repaired, c.problems, "--repair repairs all %lu", c.problems);
	c = fsck(0, 0, o, 1);
	is_int(c.problems, 0, "  then fsck is clean");
	show();
	char lf[4400];
	snprintf(lf, sizeof lf, "%s/lost+found/dmg/example.com/dmg/@v/v1.0.0.zip", root);
	ok(exists(lf) && !exists(fpath("dmg", m, "v1.0.0", "info")), "  the invalid zip's version is set aside in lost+found");
	is_int(http_view("dmg", m, "v1.0.0", z[0]), 0, "  and no longer served");
	is_int(http_view("dmg", m, "v1.1.0", other), 1, "  the replacement zip is adopted");
	struct verinfo vi;
	store_get(&st, "dmg", m, "v1.1.0", &vi, err, sizeof err);
	struct stat sb;
	stat(other, &sb);
	is_int(vi.zip_size, sb.st_size, "  with its size in the record");
	is_str(vi.uploader, "dora", "  and the uploader kept");
	char *mod2;
	size_t len2;
	ok(read_file(fpath("dmg", m, "v1.2.0", "mod"), 4096, &mod2, &len2) == 0 && len2 == len &&
	   memcmp(mod, mod2, len) == 0, "  the .mod is made again from the zip");
	free(mod);
	free(mod2);
	store_get(&st, "dmg", m, "v1.3.0", &vi, err, sizeof err);
	is_int(vi.time, 981173106, "  the .info's time is the truth");
	snprintf(lf, sizeof lf, "%s/lost+found/dmg/example.com/dmg/@v/notes.txt", root);
	ok(exists(lf) && !exists(junk), "  the stranger moved to lost+found");
	free(other);

	/* records: one lost, one foreign key, one garbled */
	struct tdb_context *db = store_index_lock(&st, "dmg", INDEX_WRITE);
	const char *k1 = "v:example.com/dmg@v1.4.0", *k2 = "zzz", *k3 = "v:example.com/dmg@v1.2.0";
	tdb_delete(db, (TDB_DATA){(unsigned char *)k1, strlen(k1)});
	tdb_store(db, (TDB_DATA){(unsigned char *)k2, 3}, (TDB_DATA){(unsigned char *)"x", 1}, TDB_REPLACE);
	tdb_store(db, (TDB_DATA){(unsigned char *)k3, strlen(k3)}, (TDB_DATA){(unsigned char *)"junk", 4}, TDB_REPLACE);
	tdb_transaction_commit(db);
	tdb_close(db);
	char audit[300];
	snprintf(audit, sizeof audit, "%s/audit.log", root);
	put(audit, "2020-01-01T00:00:00Z erin upload dmg example.com/dmg v1.4.0 local:0\n"
	           "2020-01-01T00:00:01Z frank upload other example.com/dmg v1.4.0 local:0\n");
	c = fsck(0, 0, o, 1);
	ok(found("v1.4.0.zip: not in dmg/index.tdb"), "a lost record");
	ok(found("the record 'zzz' is not the store's"), "a foreign record");
	ok(found("the record of example.com/dmg@v1.2.0 is unreadable"), "a garbled record");
	is_int(store_get(&st, "dmg", m, "v1.4.0", &vi, err, sizeof err), 404, "  a version without its record is not served");
	c = fsck(1, 0, o, 1);
	c = fsck(0, 0, o, 1);
	is_int(c.problems, 0, "  --repair, then clean");
	is_int(store_get(&st, "dmg", m, "v1.4.0", &vi, err, sizeof err), 200, "  the lost record is back");
	is_str(vi.uploader, "erin", "  with its uploader from audit.log");
	ok(tstore_same_file(fpath("dmg", m, "v1.4.0", "zip"), z[4]), "  and the zip untouched");

	/* the whole index: garbage, then gone */
	char ip[300];
	snprintf(ip, sizeof ip, "%s/dmg/index.tdb", root);
	put(ip, "this is not a tdb file, not even close to one; a disk ate it\n");
	c = fsck(0, 0, o, 1);
	ok(found("dmg/index.tdb: unreadable"), "a garbage index is reported");
	fsck(1, 0, o, 1);
	c = fsck(0, 0, o, 1);
	is_int(c.problems, 0, "  and rebuilt by --repair");
	unlink(ip);
	c = fsck(0, 0, o, 1);
	ok(found("dmg/index.tdb: missing"), "a missing index is reported");
	char **v;
	size_t n;
	is_int(store_versions(&st, "dmg", m, &v, &n, err, sizeof err), 404, "  (no versions are listed meanwhile)");
	fsck(1, 0, o, 1);
	c = fsck(0, 0, o, 1);
	is_int(c.problems, 0, "  and rebuilt by --repair");
	store_versions(&st, "dmg", m, &v, &n, err, sizeof err);
	ok(n == 4 && strcmp(v[0], "v1.1.0") == 0 && strcmp(v[3], "v1.4.0") == 0, "  every version is listed again");
	store_list_free(v, n);
	int all = 1;
	for (int i = 2; i < 5; i++) {
		char ver[32];
		snprintf(ver, sizeof ver, "v1.%d.0", i);
		all &= http_view("dmg", m, ver, z[i]) == 1 && file_time(fpath("dmg", m, ver, "zip")) > 0;
	}
	ok(all, "  and served whole");
	for (int i = 0; i < 5; i++)
		free(z[i]);
}

/* store_owner_modules: every module of an owner with its versions, by
 * path; store_owner_lock counts them under the owner's lock, which is
 * held while the tree is set aside (t0508 races uploads against it) */
static void test_owner_modules(void)
{
	char *a = mkzip("example.com/own/b", "v1.1.0", "x"), *b = mkzip("example.com/own/b", "v1.0.0", "x");
	char *c = mkzip("example.com/own", "v0.1.0", "x");
	struct store_module *m;
	size_t n, versions;
	is_int(store_owner_modules(&st, "nobody", &m, &n, err, sizeof err), 200, "modules of an owner without index: 200");
	is_int(n, 0, "  none");
	store_owner_modules_free(m, n);
	if (publish("own", a, "") != 201 || publish("own", b, "") != 201 || publish("own", c, "") != 201)
		bail("publish own");
	is_int(store_owner_modules(&st, "own", &m, &n, err, sizeof err), 200, "modules: 200");
	ok(n == 2 && strcmp(m[0].path, "example.com/own") == 0 && strcmp(m[1].path, "example.com/own/b") == 0,
	   "  both, by path");
	ok(n == 2 && m[0].nv == 1 && m[1].nv == 2 && strcmp(m[1].v[0], "v1.0.0") == 0 &&
	   strcmp(m[1].v[1], "v1.1.0") == 0, "  each with its versions in semver order");
	store_owner_modules_free(m, n);
	struct store_owner_hold h;
	is_int(store_owner_lock(&st, "own", &h, &versions, err, sizeof err), 200, "owner lock: 200");
	ok(h.db != NULL && h.fd >= 0 && versions == 3, "  held (the tree's flock and the index), counting 3 versions");
	int fd2;
	char tree[1100];
	snprintf(tree, sizeof tree, "%s/own", st.root);
	int other = open(tree, O_RDONLY | O_DIRECTORY);
	ok(other >= 0 && flock(other, LOCK_EX | LOCK_NB) < 0 && errno == EWOULDBLOCK,
	   "  another descriptor cannot take the tree's flock meanwhile");
	if (other >= 0)
		close(other);
	char moved[600];
	is_int(store_owner_set_aside(&st, "own", 1, moved, sizeof moved, err, sizeof err), 200,
	       "the tree set aside under it");
	store_owner_unlock(&h);
	ok(h.fd == -1 && h.db == NULL, "  let go");
	is_int(store_owner_flock(&st, "own", &fd2, err, sizeof err), 404, "no tree: the flock is 404");
	is_int(store_owner_lock(&st, "gone", &h, &versions, err, sizeof err), 200, "lock of an owner without a tree: 200");
	ok(h.db == NULL && h.fd == -1 && versions == 0, "  nothing held, nothing counted");
	free(a);
	free(b);
	free(c);
}

/* A checksum database is started from the store's versions, and what it
 * logs is kept forever: each version's hashes are its files', so a record
 * whose h1: a damaged index holds wrong (no other check compares it) stops
 * the start, naming the version, and no log is made; the sound record
 * back, the log is made. */
static void set_h1(const char *owner, const char *key, const char *field, const char *h1, char *saved,
                   size_t *savedlen)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s/index.tdb", root, owner);
	struct tdb_context *db = tdb_open(path, 0, TDB_NOMMAP, O_RDWR, 0);
	TDB_DATA k = {(unsigned char *)key, strlen(key)};
	TDB_DATA v = db ? tdb_fetch(db, k) : (TDB_DATA){NULL, 0};
	struct verinfo vi;
	char rec[VERINFO_ENCODED_MAX];
	if (!v.dptr || v.dsize > VERINFO_ENCODED_MAX || verinfo_decode((char *)v.dptr, v.dsize, &vi) < 0)
		bail("the record to damage");
	if (saved) {
		memcpy(saved, v.dptr, v.dsize);
		*savedlen = v.dsize;
	}
	snprintf(strcmp(field, "zip") == 0 ? vi.h1_zip : vi.h1_mod, sizeof vi.h1_zip, "%s", h1);
	if (verinfo_encode(&vi, NULL, 0, rec, sizeof rec) < 0 ||
	    tdb_store(db, k, (TDB_DATA){(unsigned char *)rec, strlen(rec)}, TDB_REPLACE) != 0)
		bail("damage the record");
	free(v.dptr);
	tdb_close(db);
}

static void put_rec_back(const char *owner, const char *key, const char *saved, size_t len)
{
	char path[1200];
	snprintf(path, sizeof path, "%s/%s/index.tdb", root, owner);
	struct tdb_context *db = tdb_open(path, 0, TDB_NOMMAP, O_RDWR, 0);
	TDB_DATA k = {(unsigned char *)key, strlen(key)};
	if (!db || tdb_store(db, k, (TDB_DATA){(unsigned char *)saved, len}, TDB_REPLACE) != 0)
		bail("put the record back");
	tdb_close(db);
}

static void test_sumlog_hashes(void)
{
	const char *m = "example.com/logged", *key = "v:example.com/logged@v1.0.0";
	const char *other = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
	char *z = mkzip(m, "v1.0.0", "logged"), vkey[NOTE_KEY_MAX + 1], saved[VERINFO_ENCODED_MAX], logp[1200];
	size_t savedlen = 0;
	snprintf(logp, sizeof logp, "%s/lg/" SUMLOG_FILE, root);
	is_int(publish("lg", z, "bob"), 201, "sumdb start: a version published");
	set_h1("lg", key, "zip", other, saved, &savedlen);
	is_int(sumlog_create(&st, "lg", "t.test", vkey, err, sizeof err), 500,
	       "a record whose zip h1: is not its zip's: the log is not started");
	ok(strstr(err, "example.com/logged@v1.0.0: its zip hashes to h1:") && strstr(err, other),
	   "  the error names the version and both hashes: %s", err);
	ok(!exists(logp), "  and no log is made");
	put_rec_back("lg", key, saved, savedlen);
	set_h1("lg", key, "mod", other, NULL, NULL);
	is_int(sumlog_create(&st, "lg", "t.test", vkey, err, sizeof err), 500,
	       "a record whose go.mod h1: is not its .mod's: the log is not started");
	ok(strstr(err, "its .mod hashes to h1:") != NULL, "  the error says so: %s", err);
	ok(!exists(logp), "  and no log is made");
	put_rec_back("lg", key, saved, savedlen);
	is_int(sumlog_create(&st, "lg", "t.test", vkey, err, sizeof err), 201, "the sound record back: the log is made");
	ok(exists(logp), "  its file in place");
	free(z);
}

int main(void)
{
	snprintf(dir, sizeof dir, "%s/t-store.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir) || sodium_init() < 0)
		bail("mkdtemp");
	snprintf(root, sizeof root, "%s/root", dir);
	if (store_init(&st, root, err, sizeof err) != 200 || store_prepare(&st, err, sizeof err) != 200)
		bail("store_init");
	test_names();
	test_file_path();
	test_verinfo_decode();
	test_publish();
	test_owner_modules();
	test_races();
	test_readers();
	test_crash_publish();
	test_crash_delete();
	test_crash_delete_heal();
	test_fsck_tmp();
	test_fsck_damage();
	test_gomod_kept();
	test_lists();
	test_decoded_kept();
	test_decoded_gomod();
	test_sumlog_hashes();
	free(fsck_out);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", dir);
	return done_testing();
}
