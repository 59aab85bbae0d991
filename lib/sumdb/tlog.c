/* Tiled transparency logs (golang.org/x/mod/sumdb/tlog: tlog.go, tile.go,
 * note.go), with libsodium's SHA-256. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "base/util.h"
#include "base/utf8.h"
#include "sumdb/tlog.h"

void tlog_record_hash(const void *rec, size_t n, unsigned char out[TLOG_HASH])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)"\0", 1);
	crypto_hash_sha256_update(&h, rec, n);
	crypto_hash_sha256_final(&h, out);
}

void tlog_node_hash(const unsigned char l[TLOG_HASH], const unsigned char r[TLOG_HASH],
                    unsigned char out[TLOG_HASH])
{
	unsigned char b[1 + 2 * TLOG_HASH];
	b[0] = 1;
	memcpy(b + 1, l, TLOG_HASH);
	memcpy(b + 1 + TLOG_HASH, r, TLOG_HASH);
	crypto_hash_sha256(out, b, sizeof b);
}

int tlog_append(tlog_get_fn *get, tlog_put_fn *put, void *ctx, int64_t n,
                const unsigned char rec[TLOG_HASH])
{
	unsigned char h[TLOG_HASH], left[TLOG_HASH];
	memcpy(h, rec, TLOG_HASH);
	if (put(ctx, 0, n, h) < 0)
		return -1;
	/* record n completes one subtree per trailing 1 bit of n */
	for (int level = 0; n & 1; level++, n >>= 1) {
		if (get(ctx, level, n - 1, left) < 0)
			return -1;
		tlog_node_hash(left, h, h);
		if (put(ctx, level + 1, n >> 1, h) < 0)
			return -1;
	}
	return 0;
}

/* The hash over records [lo, hi), hi > lo: a complete aligned subtree is
 * read (unless it holds record i, then it is computed down to rec);
 * otherwise split where RFC 6962 splits, at the largest power of two
 * below the size. */
static int range_hash(tlog_get_fn *get, void *ctx, int64_t lo, int64_t hi, int64_t i,
                      const unsigned char *rec, unsigned char out[TLOG_HASH])
{
	int64_t size = hi - lo;
	if (size == 1 && lo == i) {
		memcpy(out, rec, TLOG_HASH);
		return 0;
	}
	int complete = (size & (size - 1)) == 0 && (lo & (size - 1)) == 0;
	if (complete && !(lo <= i && i < hi)) {
		int level = __builtin_ctzll((unsigned long long)size);
		return get(ctx, level, lo >> level, out);
	}
	int64_t k = 1;
	while (k * 2 < size)
		k *= 2;
	unsigned char l[TLOG_HASH], r[TLOG_HASH];
	if (range_hash(get, ctx, lo, lo + k, i, rec, l) < 0 || range_hash(get, ctx, lo + k, hi, i, rec, r) < 0)
		return -1;
	tlog_node_hash(l, r, out);
	return 0;
}

int tlog_tree_hash(tlog_get_fn *get, void *ctx, int64_t n, int64_t i, const unsigned char *rec,
                   unsigned char out[TLOG_HASH])
{
	if (n <= 0 || (rec && (i < 0 || i >= n))) {
		errno = EINVAL;
		return -1;
	}
	return range_hash(get, ctx, 0, n, rec ? i : -1, rec, out);
}

/* tile.go's Path: the number in groups of three digits, all but the last
 * prefixed "x"; ".p/W" for a partial tile. */
void tlog_tile_path(const struct tlog_tile *t, char *out, size_t outsz)
{
	int g[8], k = 0;                /* the groups, last first: 2^63 has 7 */
	int64_t n = t->n;
	do {
		g[k++] = (int)(n % 1000);
		n /= 1000;
	} while (n > 0 && k < 8);
	int o = snprintf(out, outsz, "tile/%d/", t->h);
	o += t->l < 0 ? snprintf(out + o, outsz - (size_t)o, "data") : snprintf(out + o, outsz - (size_t)o, "%d", t->l);
	while (k-- > 0)
		o += snprintf(out + o, outsz - (size_t)o, k ? "/x%03d" : "/%03d", g[k]);
	if (t->w != 1 << t->h)
		snprintf(out + o, outsz - (size_t)o, ".p/%d", t->w);
}

/* A decimal number of at most max, no sign, at s ending at one of stop. */
static int decimal(const char **s, const char *stop, long long max, long long *v)
{
	const char *p = *s;
	long long x = 0;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		x = x * 10 + (*p - '0');
		if (x > max)
			return -1;
	}
	if (!strchr(stop, *p))
		return -1;
	*s = p;
	*v = x;
	return 0;
}

int tlog_tile_parse(const char *path, struct tlog_tile *t)
{
	const char *p = path;
	long long h, l = -1, g;
	if (strncmp(p, "tile/", 5) != 0)
		return -1;
	p += 5;
	if (decimal(&p, "/", 30, &h) < 0 || h < 1)
		return -1;
	p++;
	if (strncmp(p, "data/", 5) == 0)
		p += 5;
	else if (decimal(&p, "/", 63, &l) < 0)
		return -1;
	else
		p++;
	int64_t n = 0;
	while (*p == 'x') {
		p++;
		if (decimal(&p, "/", 999, &g) < 0 || n > INT64_MAX / 1000 - 1)
			return -1;
		n = n * 1000 + g;
		p++;
	}
	if (decimal(&p, ".", 999, &g) < 0)
		return -1;
	n = n * 1000 + g;
	long long w = 1LL << h;
	if (*p == '.') {
		if (strncmp(p, ".p/", 3) != 0)
			return -1;
		p += 3;
		if (decimal(&p, "", w - 1, &w) < 0 || w < 1)
			return -1;
	}
	*t = (struct tlog_tile){.h = (int)h, .l = (int)l, .n = n, .w = (int)w};
	char back[128];
	tlog_tile_path(t, back, sizeof back);
	return strcmp(back, path) == 0 ? 0 : -1;
}

void tlog_tile_for(int h, int64_t n, int level, int64_t index, struct tlog_tile *t)
{
	int tl = level / h, r = level % h;
	int64_t count = n >> (tl * h);          /* hashes the tree has at the tile's level */
	int64_t first = index << r;             /* the first of them under (level, index) */
	t->h = h;
	t->l = tl;
	t->n = first >> h;
	int64_t w = count - (t->n << h);
	t->w = w > (1 << h) ? 1 << h : (int)w;
}

static void tile_subtree(const unsigned char *d, int64_t count, unsigned char out[TLOG_HASH])
{
	if (count == 1) {
		memcpy(out, d, TLOG_HASH);
		return;
	}
	unsigned char l[TLOG_HASH], r[TLOG_HASH];
	tile_subtree(d, count / 2, l);
	tile_subtree(d + count / 2 * TLOG_HASH, count / 2, r);
	tlog_node_hash(l, r, out);
}

int tlog_tile_hash(const struct tlog_tile *t, const unsigned char *data, int level, int64_t index,
                   unsigned char out[TLOG_HASH])
{
	if (t->l < 0 || level / t->h != t->l)
		return -1;
	int r = level % t->h;
	int64_t first = (index << r) - (t->n << t->h);
	if (first < 0 || first + (1LL << r) > t->w)
		return -1;
	tile_subtree(data + first * TLOG_HASH, 1LL << r, out);
	return 0;
}

int tlog_record_ok(const char *text, size_t n)
{
	if (n == 0 || text[n - 1] != '\n' || !utf8_valid(text, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if ((unsigned char)text[i] < 0x20 && text[i] != '\n')
			return 0;
		if (text[i] == '\n' && i + 1 < n && text[i + 1] == '\n')
			return 0;
	}
	return 1;
}

int tlog_tree_format(int64_t n, const unsigned char hash[TLOG_HASH], struct buf *out)
{
	char b64[64];
	sodium_bin2base64(b64, sizeof b64, hash, TLOG_HASH, sodium_base64_VARIANT_ORIGINAL);
	return buf_printf(out, "go.sum database tree\n%lld\n%s\n", (long long)n, b64);
}

int tlog_tree_parse(const char *text, size_t len, int64_t *n, unsigned char hash[TLOG_HASH])
{
	static const char prefix[] = "go.sum database tree\n";
	size_t pl = sizeof prefix - 1;
	if (len < pl || memcmp(text, prefix, pl) != 0 || len > 1000000)
		return -1;
	const char *p = text + pl, *end = text + len;
	const char *nl = memchr(p, '\n', (size_t)(end - p));
	long long v = 0;
	/* strconv.FormatInt(n) == line: digits, no leading zero but "0" */
	if (!nl || nl == p || (*p == '0' && nl - p > 1))
		return -1;
	for (const char *q = p; q < nl; q++) {
		if (*q < '0' || *q > '9' || v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*q - '0');
	}
	p = nl + 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	size_t bl;
	if (!nl || sodium_base642bin(hash, TLOG_HASH, p, (size_t)(nl - p), NULL, &bl, NULL,
	                             sodium_base64_VARIANT_ORIGINAL) != 0 || bl != TLOG_HASH)
		return -1;
	*n = v;
	return 0;
}
