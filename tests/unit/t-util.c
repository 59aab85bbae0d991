/* lib/base/util.c: the doubling array behind every growing list in lib/,
 * and the readers that never follow a symbolic link nor wait on a FIFO. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "base/util.h"

static char dir[64];

static const char *at(const char *rel)
{
	static char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, rel);
	return p;
}

static void put(const char *rel, const char *data)
{
	FILE *f = fopen(at(rel), "w");
	if (!f || fputs(data, f) < 0 || fclose(f) != 0) {
		printf("Bail out! unable to write %s\n", at(rel));
		exit(1);
	}
}

/* a tree: a/b/f (regular), a/l -> a/b (link to a directory), a/fl -> a/b/f
 * (link to a file), a/p (FIFO), outside it out/secret */
static void make_tree(void)
{
	snprintf(dir, sizeof dir, "%s", "/tmp/goreg-t-util.XXXXXX");
	if (!mkdtemp(dir) || mkdir(at("a"), 0700) || mkdir(at("a/b"), 0700) || mkdir(at("out"), 0700)) {
		printf("Bail out! unable to make the tree\n");
		exit(1);
	}
	put("a/b/f", "inside");
	put("out/secret", "secret");
	char target[256];
	snprintf(target, sizeof target, "%s", at("out"));
	if (symlink(target, at("a/l")) || symlink("b/f", at("a/fl")) || mkfifo(at("a/p"), 0600)) {
		printf("Bail out! unable to make the links\n");
		exit(1);
	}
}

static void nofollow(void)
{
	make_tree();
	int d = open(dir, O_RDONLY | O_DIRECTORY);
	char *data = NULL;
	size_t len;
	int fd = open_beneath(d, "a/b/f", O_RDONLY);
	ok(fd >= 0, "open_beneath opens a file two directories down");
	if (fd >= 0)
		close(fd);
	errno = 0;
	is_int(open_beneath(d, "a/l/secret", O_RDONLY), -1, "not through a link to a directory on the way");
	is_int(errno, ELOOP, "  ELOOP");
	errno = 0;
	is_int(open_beneath(d, "a/l", O_RDONLY | O_DIRECTORY), -1, "nor a link to a directory at the end");
	is_int(errno, ELOOP, "  ELOOP, with O_DIRECTORY too");
	errno = 0;
	is_int(open_beneath(d, "a/fl", O_RDONLY), -1, "nor a link to a file");
	is_int(errno, ELOOP, "  ELOOP");
	errno = 0;
	is_int(open_beneath(d, "a/b/f/x", O_RDONLY), -1, "a file on the way");
	is_int(errno, ENOTDIR, "  ENOTDIR");
	errno = 0;
	is_int(open_beneath(d, "a//b/f", O_RDONLY), -1, "an empty component");
	is_int(errno, EINVAL, "  EINVAL");

	is_int(read_file_at(d, "a/b/f", 100, &data, &len), 0, "read_file_at reads a regular file");
	ok(data && len == 6 && strcmp(data, "inside") == 0, "  its bytes");
	free(data);
	errno = 0;
	is_int(read_file(at("a/fl"), 100, &data, &len), -1, "read_file refuses a link to a file");
	is_int(errno, ELOOP, "  ELOOP");
	/* the FIFO has no writer: an open without O_NONBLOCK would block */
	errno = 0;
	is_int(read_file(at("a/p"), 100, &data, &len), -1, "and a FIFO, without waiting for a writer");
	is_int(errno, EINVAL, "  EINVAL: not a regular file");
	errno = 0;
	is_int(read_file(at("a/b/f"), 3, &data, &len), -1, "a file larger than max");
	is_int(errno, EFBIG, "  EFBIG");

	int a = open(at("a"), O_RDONLY | O_DIRECTORY);
	size_t n;
	char **names = dir_names_at(a, &n);
	ok(names && n == 4 && strcmp(names[0], "b") == 0 && strcmp(names[3], "p") == 0,
	   "dir_names_at lists a directory, sorted");
	strv_free(names, n);
	names = dir_names_at(a, &n);
	ok(names && n == 4, "twice on one descriptor: from the start again");
	strv_free(names, n);
	close(a);
	close(d);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("# unable to remove %s\n", dir);
}

/* RFC 8259 section 7: '"', '\\' and U+0000..U+001F escaped, the rest as is */
static void json_strings(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"example.com/hello", "\"example.com/hello\""},
		{"", "\"\""},
		{"a\"b\\c", "\"a\\\"b\\\\c\""},
		{"\x01\n\x1f\x7f", "\"\\u0001\\u000a\\u001f\x7f\""},
		{"caf\xc3\xa9 <x>", "\"caf\xc3\xa9 <x>\""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct buf b = {0};
		ok(buf_json_string(&b, cases[i].in) == 0 && b.len == strlen(cases[i].want) &&
		       memcmp(b.p, cases[i].want, b.len) == 0,
		   "buf_json_string case %zu", i);
		buf_free(&b);
	}
}

/* time_rfc3339 from 1970 to 9999 by its own calendar arithmetic: the
 * text gmtime_r and strftime make, on the days that matter (leap days,
 * centuries, the ends of the range) and on many others. */
static void rfc3339(void)
{
	static const int64_t at[] = {
		0, 59, 86399, 86400, 951782400 /* 2000-02-29 */, 951868799, 951868800, 4107456000 /* 2100-02-28 */,
		4107542400, 68169600 /* 1972-02-29 */, 1577934245, 253402300799, 253402300800, -1, -86401,
		253402300799 - 86400 * 366,
	};
	int bad = 0;
	uint64_t r = 88172645463325252ULL;
	for (size_t i = 0; i < sizeof at / sizeof at[0] + 200000; i++) {
		int64_t t;
		if (i < sizeof at / sizeof at[0])
			t = at[i];
		else {
			r ^= r << 13, r ^= r >> 7, r ^= r << 17; /* xorshift64 */
			t = (int64_t)(r % 253402300800ULL);
		}
		char got[32], want[64];
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%SZ", &tm);
		time_rfc3339(t, got);
		if (strcmp(got, want) != 0 && bad++ < 5)
			printf("# %lld: %s, not %s\n", (long long)t, got, want);
		/* asked again at once: from the one it keeps */
		memset(got, 'x', sizeof got);
		time_rfc3339(t, got);
		if (strcmp(got, want) != 0 && bad++ < 5)
			printf("# %lld again: %s, not %s\n", (long long)t, got, want);
	}
	is_int(bad, 0, "time_rfc3339 writes what gmtime_r and strftime write, asked once or twice");
	char a[32], b[32];
	time_rfc3339(0, a);
	time_rfc3339(253402300800 + 86400, b); /* past 9999: strftime's, not kept */
	time_rfc3339(86400, b);
	time_rfc3339(0, a);
	is_str(a, "1970-01-01T00:00:00Z", "time_rfc3339: another time between two asks of one");
	time_rfc3339(253402300800 + 86400, b);
	time_rfc3339(86400, a);
	is_str(a, "1970-01-02T00:00:00Z", "  and after a year past 9999");
}

/* find_byte answers as memchr: each byte value sought in spans of every
 * length up to 72 (one to four 16-byte blocks and the words and bytes
 * after them), at every offset of a buffer (so every alignment), with
 * it at every place or nowhere, among bytes that differ from it by one
 * bit (the zero-byte test's neighbours) and by their high bit. */
static void find_bytes(void)
{
	static const unsigned char seek[] = {0x00, 0x01, '\n', '\r', ' ', ':', 0x7f, 0x80, 0xfe, 0xff};
	int bad = 0;
	for (size_t k = 0; k < sizeof seek; k++) {
		unsigned char c = seek[k], buf[96];
		for (size_t i = 0; i < sizeof buf; i++)
			buf[i] = (unsigned char)(i % 3 == 0 ? c ^ 1 : i % 3 == 1 ? c ^ 0x80 : c + 0x10);
		for (size_t off = 0; off < 16; off++)
			for (size_t n = 0; n <= 72; n++)
				for (size_t at = 0; at <= n; at++) {
					unsigned char b[96];
					memcpy(b, buf, sizeof b);
					if (at < n)
						b[off + at] = c;
					if (at + 1 < n)
						b[off + n - 1] = c; /* a second one after it */
					const char *p = (const char *)b + off;
					bad += find_byte(p, (char)c, n) != memchr(p, c, n);
				}
	}
	is_int(bad, 0, "find_byte answers as memchr");
}

/* find_byte reads nothing past its span: spans that end where their heap
 * block ends (as a tdb record's data does, with no NUL after it), from
 * every start, the byte absent so that the whole span is read; ASan
 * aborts on a load that reaches past the block. */
static void find_byte_ends(void)
{
	int bad = 0;
	for (size_t len = 1; len <= 72; len++) {
		char *b = malloc(len);
		if (!b) {
			bad++;
			continue;
		}
		memset(b, 'a', len);
		for (size_t off = 0; off <= len; off++)
			bad += find_byte(b + off, '\n', len - off) != NULL;
		b[len - 1] = '\n';
		for (size_t off = 0; off < len; off++)
			bad += find_byte(b + off, '\n', len - off) != b + len - 1;
		free(b);
	}
	is_int(bad, 0, "find_byte reads no byte past a span that ends a heap block");
}

/* bytes_equal answers as memcmp(...) == 0: spans of every length up to
 * 40 at every offset, equal, or with one byte differing (by one bit, by
 * its high bit) at each place; and spans that end where their heap blocks
 * end, which ASan watches for a load past them. */
static void same_bytes_all(void)
{
	int bad = 0;
	unsigned char a[64], b[64];
	for (size_t i = 0; i < sizeof a; i++)
		a[i] = (unsigned char)(i * 37 + 5);
	for (size_t off = 0; off < 8; off++)
		for (size_t n = 0; n <= 40; n++)
			for (size_t at = 0; at <= n; at++)
				for (unsigned flip = 0x01; flip <= 0x80; flip <<= 7) {
					memcpy(b, a, sizeof b);
					if (at < n)
						b[off + at] ^= (unsigned char)flip;
					bad += bytes_equal(a + off, b + off, n) != (memcmp(a + off, b + off, n) == 0);
				}
	for (size_t n = 1; n <= 40; n++) {
		char *x = malloc(n), *y = malloc(n);
		if (x && y) {
			memset(x, 'k', n);
			memset(y, 'k', n);
			bad += !bytes_equal(x, y, n);
			y[n - 1] = 'K';
			bad += bytes_equal(x, y, n);
		}
		free(x);
		free(y);
	}
	is_int(bad, 0, "bytes_equal answers as memcmp == 0");
}

/* copy_cut: the bytes that fit, always ended; none read past n */
static void cut_copies(void)
{
	char out[5];
	copy_cut(out, sizeof out, "abc", 3);
	is_str(out, "abc", "copy_cut copies a span that fits");
	copy_cut(out, sizeof out, "abcdefgh", 8);
	is_str(out, "abcd", "copy_cut cuts a longer span to the room less its end");
	copy_cut(out, sizeof out, "wxyz", 2);
	is_str(out, "wx", "copy_cut copies n bytes, not to the string's end");
	copy_cut(out, 1, "abc", 3);
	is_str(out, "", "copy_cut into one byte of room leaves an empty string");
	char *heap = malloc(3);
	if (heap) {
		memcpy(heap, "pqr", 3); /* not a string: ASan sees a read past it */
		copy_cut(out, sizeof out, heap, 3);
		is_str(out, "pqr", "copy_cut reads only the n bytes of an unended span");
	}
	free(heap);
}

/* check_remembered: the check asked again only for another string, a
 * refused one, one too long to keep, or NULL */
static int asked;
static const char *no_x(const char *s)
{
	asked++;
	return !s || strchr(s, 'x') ? "has an x" : NULL;
}

static void remembered(void)
{
	char last[6] = "";
	asked = 0;
	ok(!check_remembered(last, sizeof last, "abc", no_x) && !check_remembered(last, sizeof last, "abc", no_x) &&
	   asked == 1, "check_remembered: a valid string asked once");
	ok(check_remembered(last, sizeof last, "axc", no_x) && check_remembered(last, sizeof last, "axc", no_x) &&
	   asked == 3, "  a refused one every time");
	ok(!check_remembered(last, sizeof last, "abc", no_x) && asked == 3, "  and the valid one still kept");
	ok(!check_remembered(last, sizeof last, "abcdef", no_x) && !check_remembered(last, sizeof last, "abcdef", no_x) &&
	   asked == 5, "  one too long to keep asked each time");
	ok(check_remembered(last, sizeof last, NULL, no_x) && asked == 6, "  NULL goes to the check");
	ok(!check_remembered(last, sizeof last, "ab", no_x) && !check_remembered(last, sizeof last, "abc", no_x) &&
	   asked == 8, "  only the last one is kept");
}

/* fmt does %s-only formats itself: the same text, NUL and truncation as
 * snprintf's, and any other conversion through snprintf */
static void formats(void)
{
	static const char *const args[] = {"example.com/hello", "", "v1.0.0", "a%sb", "0123456789abcdef"};
	char got[64], want[64], small[8], want_small[8];
	int bad = 0, bad_small = 0;
	for (size_t i = 0; i < 5; i++)
		for (size_t j = 0; j < 5; j++) {
			int r = fmt(got, sizeof got, "%s/%s/@v/%%%s.info", args[i], args[j], args[(i + j) % 5]);
			snprintf(want, sizeof want, "%s/%s/@v/%%%s.info", args[i], args[j], args[(i + j) % 5]);
			bad += r != (strlen(want) < sizeof got - 1 ? 0 : -1) || strcmp(got, want) != 0;
			r = fmt(small, sizeof small, "%s:%s", args[i], args[j]);
			snprintf(want_small, sizeof want_small, "%s:%s", args[i], args[j]);
			size_t need = strlen(args[i]) + 1 + strlen(args[j]);
			bad_small += r != (need < sizeof small ? 0 : -1) || strcmp(small, want_small) != 0;
		}
	is_int(bad, 0, "fmt: %%s formats as snprintf writes them");
	is_int(bad_small, 0, "fmt: cut as snprintf cuts, and -1 when cut");
	const char *volatile none = NULL; /* (not known to be NULL where it is used) */
	ok(fmt(got, sizeof got, "%s", none) == 0 && strcmp(got, "(null)") == 0, "fmt: a NULL %%s");
	ok(fmt(got, sizeof got, "owner:%s", "acme") == 0 && strcmp(got, "owner:acme") == 0, "fmt: literal then %%s");
	ok(fmt(got, sizeof got, "%d-%.3s-%s", 42, "abcdef", "x") == 0 && strcmp(got, "42-abc-x") == 0,
	   "fmt: other conversions through snprintf");
	ok(fmt(got, sizeof got, "%s/%%/%s-%d", "ab", "cd", 5) == 0 && strcmp(got, "ab/%/cd-5") == 0,
	   "fmt: a conversion after %%s ones: snprintf from the first argument");
	ok(fmt(got, 4, "%s%%%s-%u", "ab", "cd", 5u) == -1 && strcmp(got, "ab%") == 0, "  cut as snprintf cuts");
	ok(fmt(got, 10, "%s", "0123456789") == -1 && strcmp(got, "012345678") == 0, "fmt: one byte too long");
	ok(fmt(got, sizeof got, "100%%") == 0 && strcmp(got, "100%") == 0, "fmt: %%%%");
	/* errset formats as fmt does: the reason snprintf would write, cut
	 * alike, and the code given back */
	int bad_err = 0;
	for (size_t i = 0; i < 5; i++)
		for (size_t sz = 1; sz < 24; sz++) {
			char e[24] = "", w[24];
			const char *volatile tail = ": not found (no upstream)";
			bad_err += errset(e, sz, 404, "%s%s", args[i], tail) != 404;
			snprintf(w, sz, "%s%s", args[i], tail);
			bad_err += strcmp(e, w) != 0;
			bad_err += errset(e, sz, 500, "%s@%s: %d", args[i], args[4 - i], (int)sz) != 500;
			snprintf(w, sz, "%s@%s: %d", args[i], args[4 - i], (int)sz);
			bad_err += strcmp(e, w) != 0;
		}
	is_int(bad_err, 0, "errset: the reason snprintf writes, cut alike, and the code");
	char n[24];
	static const long long nums[] = {0, 7, -7, 1000000, 9223372036854775807LL, -9223372036854775807LL - 1};
	int badn = 0;
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		snprintf(want, sizeof want, "%lld", nums[i]);
		badn += fmt_num(n, nums[i]) != strlen(want) || strcmp(n, want) != 0;
	}
	/* every number of digits, its ends and round them, and 0 to 1000 */
	for (long long p10 = 1;; p10 *= 10) {
		for (long long x = p10 - 2; x <= p10 + 1; x++)
			for (int sign = -1; sign <= 1; sign += 2) {
				snprintf(want, sizeof want, "%lld", sign * x);
				badn += fmt_num(n, sign * x) != strlen(want) || strcmp(n, want) != 0;
			}
		if (p10 > 9223372036854775807LL / 10)
			break;
	}
	for (long long x = 0; x <= 1000; x++) {
		snprintf(want, sizeof want, "%lld", x);
		badn += fmt_num(n, x) != strlen(want) || strcmp(n, want) != 0;
	}
	is_int(badn, 0, "fmt_num: as %%lld writes, from LLONG_MIN to LLONG_MAX");
}

int main(void)
{
	nofollow();
	json_strings();
	formats();
	remembered();
	rfc3339();
	find_bytes();
	find_byte_ends();
	same_bytes_all();
	cut_copies();
	int *v = NULL;
	size_t cap = 0;
	is_int(grow(&v, &cap, 1, sizeof *v), 0, "first element: room made");
	ok(v != NULL && cap >= 1, "array allocated, capacity %zu", cap);
	size_t first = cap;
	is_int(grow(&v, &cap, first, sizeof *v), 0, "need == capacity: nothing to do");
	is_int(cap, first, "capacity unchanged");
	for (int i = 0; i < 1000; i++) {
		if (grow(&v, &cap, (size_t)i + 1, sizeof *v) < 0)
			break;
		v[i] = i;
	}
	ok(cap >= 1000, "grown to %zu for 1000 elements", cap);
	int same = 1;
	for (int i = 0; i < 1000; i++)
		same &= v[i] == i;
	ok(same, "elements kept across reallocations");
	int *keep = v;
	size_t kcap = cap;
	errno = 0;
	is_int(grow(&v, &cap, SIZE_MAX / 2, sizeof *v), -1, "an impossible size is refused");
	is_int(errno, ENOMEM, "with ENOMEM");
	ok(v == keep && cap == kcap, "and the array is left as it was");
	free(v);

	struct buf b = {0};
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "%d,", i);
	ok(b.len > 0 && b.p[b.len] == 0 && strncmp(b.p, "0,1,2,", 6) == 0, "buf grows through grow()");
	is_int(strlen(b.p), b.len, "buf stays NUL-terminated");
	buf_free(&b);
	return done_testing();
}
