/* Unicode simple case folding for file names, and x/mod/zip's
 * collisionChecker over it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gomod/fold.h"
#include "base/utf8.h"
#include "base/util.h"

/* x/mod/zip strToFold maps each rune to the smallest rune of its
 * unicode.SimpleFold orbit, then A-Z to a-z, so that two paths collide
 * exactly when strings.EqualFold says they are equal.  This table holds
 * every rune that mapping changes, as runs {lo, hi, stride, delta}: each
 * rune lo, lo+stride, ... hi maps to itself plus delta.  Generated from
 * Unicode 13.0.0, the version of Go 1.19's unicode package, by calling
 * unicode.SimpleFold for every rune (1414 runes in 205 runs). */
static const struct {
	uint32_t lo, hi;
	uint8_t stride;
	int32_t delta;
} fold_tab[] = {
	{0x0041,0x005A,1,32}, {0x00E0,0x00F6,1,-32}, {0x00F8,0x00FE,1,-32}, {0x0101,0x012F,2,-1},
	{0x0133,0x0137,2,-1}, {0x013A,0x0148,2,-1}, {0x014B,0x0177,2,-1}, {0x0178,0x0178,1,-121},
	{0x017A,0x017E,2,-1}, {0x017F,0x017F,1,-268}, {0x0183,0x0185,2,-1}, {0x0188,0x0188,1,-1},
	{0x018C,0x018C,1,-1}, {0x0192,0x0192,1,-1}, {0x0199,0x0199,1,-1}, {0x01A1,0x01A5,2,-1},
	{0x01A8,0x01A8,1,-1}, {0x01AD,0x01AD,1,-1}, {0x01B0,0x01B0,1,-1}, {0x01B4,0x01B6,2,-1},
	{0x01B9,0x01B9,1,-1}, {0x01BD,0x01BD,1,-1}, {0x01C5,0x01C5,1,-1}, {0x01C6,0x01C6,1,-2},
	{0x01C8,0x01C8,1,-1}, {0x01C9,0x01C9,1,-2}, {0x01CB,0x01CB,1,-1}, {0x01CC,0x01CC,1,-2},
	{0x01CE,0x01DC,2,-1}, {0x01DD,0x01DD,1,-79}, {0x01DF,0x01EF,2,-1}, {0x01F2,0x01F2,1,-1},
	{0x01F3,0x01F3,1,-2}, {0x01F5,0x01F5,1,-1}, {0x01F6,0x01F6,1,-97}, {0x01F7,0x01F7,1,-56},
	{0x01F9,0x021F,2,-1}, {0x0220,0x0220,1,-130}, {0x0223,0x0233,2,-1}, {0x023C,0x023C,1,-1},
	{0x023D,0x023D,1,-163}, {0x0242,0x0242,1,-1}, {0x0243,0x0243,1,-195}, {0x0247,0x024F,2,-1},
	{0x0253,0x0253,1,-210}, {0x0254,0x0254,1,-206}, {0x0256,0x0257,1,-205}, {0x0259,0x0259,1,-202},
	{0x025B,0x025B,1,-203}, {0x0260,0x0260,1,-205}, {0x0263,0x0263,1,-207}, {0x0268,0x0268,1,-209},
	{0x0269,0x0269,1,-211}, {0x026F,0x026F,1,-211}, {0x0272,0x0272,1,-213}, {0x0275,0x0275,1,-214},
	{0x0280,0x0280,1,-218}, {0x0283,0x0283,1,-218}, {0x0288,0x0288,1,-218}, {0x0289,0x0289,1,-69},
	{0x028A,0x028B,1,-217}, {0x028C,0x028C,1,-71}, {0x0292,0x0292,1,-219}, {0x0371,0x0373,2,-1},
	{0x0377,0x0377,1,-1}, {0x0399,0x0399,1,-84}, {0x039C,0x039C,1,-743}, {0x03AC,0x03AC,1,-38},
	{0x03AD,0x03AF,1,-37}, {0x03B1,0x03B8,1,-32}, {0x03B9,0x03B9,1,-116}, {0x03BA,0x03BB,1,-32},
	{0x03BC,0x03BC,1,-775}, {0x03BD,0x03C1,1,-32}, {0x03C2,0x03C2,1,-31}, {0x03C3,0x03CB,1,-32},
	{0x03CC,0x03CC,1,-64}, {0x03CD,0x03CE,1,-63}, {0x03D0,0x03D0,1,-62}, {0x03D1,0x03D1,1,-57},
	{0x03D5,0x03D5,1,-47}, {0x03D6,0x03D6,1,-54}, {0x03D7,0x03D7,1,-8}, {0x03D9,0x03EF,2,-1},
	{0x03F0,0x03F0,1,-86}, {0x03F1,0x03F1,1,-80}, {0x03F3,0x03F3,1,-116}, {0x03F4,0x03F4,1,-92},
	{0x03F5,0x03F5,1,-96}, {0x03F8,0x03F8,1,-1}, {0x03F9,0x03F9,1,-7}, {0x03FB,0x03FB,1,-1},
	{0x03FD,0x03FF,1,-130}, {0x0430,0x044F,1,-32}, {0x0450,0x045F,1,-80}, {0x0461,0x0481,2,-1},
	{0x048B,0x04BF,2,-1}, {0x04C2,0x04CE,2,-1}, {0x04CF,0x04CF,1,-15}, {0x04D1,0x052F,2,-1},
	{0x0561,0x0586,1,-48}, {0x13F8,0x13FD,1,-8}, {0x1C80,0x1C80,1,-6254}, {0x1C81,0x1C81,1,-6253},
	{0x1C82,0x1C82,1,-6244}, {0x1C83,0x1C84,1,-6242}, {0x1C85,0x1C85,1,-6243}, {0x1C86,0x1C86,1,-6236},
	{0x1C87,0x1C87,1,-6181}, {0x1C90,0x1CBA,1,-3008}, {0x1CBD,0x1CBF,1,-3008}, {0x1E01,0x1E95,2,-1},
	{0x1E9B,0x1E9B,1,-59}, {0x1E9E,0x1E9E,1,-7615}, {0x1EA1,0x1EFF,2,-1}, {0x1F08,0x1F0F,1,-8},
	{0x1F18,0x1F1D,1,-8}, {0x1F28,0x1F2F,1,-8}, {0x1F38,0x1F3F,1,-8}, {0x1F48,0x1F4D,1,-8},
	{0x1F59,0x1F5F,2,-8}, {0x1F68,0x1F6F,1,-8}, {0x1F88,0x1F8F,1,-8}, {0x1F98,0x1F9F,1,-8},
	{0x1FA8,0x1FAF,1,-8}, {0x1FB8,0x1FB9,1,-8}, {0x1FBA,0x1FBB,1,-74}, {0x1FBC,0x1FBC,1,-9},
	{0x1FBE,0x1FBE,1,-7289}, {0x1FC8,0x1FCB,1,-86}, {0x1FCC,0x1FCC,1,-9}, {0x1FD8,0x1FD9,1,-8},
	{0x1FDA,0x1FDB,1,-100}, {0x1FE8,0x1FE9,1,-8}, {0x1FEA,0x1FEB,1,-112}, {0x1FEC,0x1FEC,1,-7},
	{0x1FF8,0x1FF9,1,-128}, {0x1FFA,0x1FFB,1,-126}, {0x1FFC,0x1FFC,1,-9}, {0x2126,0x2126,1,-7549},
	{0x212A,0x212A,1,-8383}, {0x212B,0x212B,1,-8294}, {0x214E,0x214E,1,-28}, {0x2170,0x217F,1,-16},
	{0x2184,0x2184,1,-1}, {0x24D0,0x24E9,1,-26}, {0x2C30,0x2C5E,1,-48}, {0x2C61,0x2C61,1,-1},
	{0x2C62,0x2C62,1,-10743}, {0x2C63,0x2C63,1,-3814}, {0x2C64,0x2C64,1,-10727}, {0x2C65,0x2C65,1,-10795},
	{0x2C66,0x2C66,1,-10792}, {0x2C68,0x2C6C,2,-1}, {0x2C6D,0x2C6D,1,-10780}, {0x2C6E,0x2C6E,1,-10749},
	{0x2C6F,0x2C6F,1,-10783}, {0x2C70,0x2C70,1,-10782}, {0x2C73,0x2C73,1,-1}, {0x2C76,0x2C76,1,-1},
	{0x2C7E,0x2C7F,1,-10815}, {0x2C81,0x2CE3,2,-1}, {0x2CEC,0x2CEE,2,-1}, {0x2CF3,0x2CF3,1,-1},
	{0x2D00,0x2D25,1,-7264}, {0x2D27,0x2D27,1,-7264}, {0x2D2D,0x2D2D,1,-7264}, {0xA641,0xA649,2,-1},
	{0xA64A,0xA64A,1,-35266}, {0xA64B,0xA64B,1,-35267}, {0xA64D,0xA66D,2,-1}, {0xA681,0xA69B,2,-1},
	{0xA723,0xA72F,2,-1}, {0xA733,0xA76F,2,-1}, {0xA77A,0xA77C,2,-1}, {0xA77D,0xA77D,1,-35332},
	{0xA77F,0xA787,2,-1}, {0xA78C,0xA78C,1,-1}, {0xA78D,0xA78D,1,-42280}, {0xA791,0xA793,2,-1},
	{0xA797,0xA7A9,2,-1}, {0xA7AA,0xA7AA,1,-42308}, {0xA7AB,0xA7AB,1,-42319}, {0xA7AC,0xA7AC,1,-42315},
	{0xA7AD,0xA7AD,1,-42305}, {0xA7AE,0xA7AE,1,-42308}, {0xA7B0,0xA7B0,1,-42258}, {0xA7B1,0xA7B1,1,-42282},
	{0xA7B2,0xA7B2,1,-42261}, {0xA7B5,0xA7BF,2,-1}, {0xA7C3,0xA7C3,1,-1}, {0xA7C4,0xA7C4,1,-48},
	{0xA7C5,0xA7C5,1,-42307}, {0xA7C6,0xA7C6,1,-35384}, {0xA7C8,0xA7CA,2,-1}, {0xA7F6,0xA7F6,1,-1},
	{0xAB53,0xAB53,1,-928}, {0xAB70,0xABBF,1,-38864}, {0xFF41,0xFF5A,1,-32}, {0x10428,0x1044F,1,-40},
	{0x104D8,0x104FB,1,-40}, {0x10CC0,0x10CF2,1,-64}, {0x118C0,0x118DF,1,-32}, {0x16E60,0x16E7F,1,-32},
	{0x1E922,0x1E943,1,-34},
};

uint32_t fold_rune(uint32_t r)
{
	size_t lo = 0, hi = sizeof fold_tab / sizeof fold_tab[0];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r < fold_tab[mid].lo)
			hi = mid;
		else if (r > fold_tab[mid].hi)
			lo = mid + 1;
		else
			return (r - fold_tab[mid].lo) % fold_tab[mid].stride == 0
			       ? (uint32_t)((int32_t)r + fold_tab[mid].delta) : r;
	}
	return r;
}

/* strToFold of s[0:n] into a new string (length in *outlen). */
char *fold_str(const char *s, size_t n, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char *out = malloc(3 * n + 1); /* U+FFFD for a byte: 3 bytes */
	size_t i = 0, o = 0, len;

	if (out == NULL)
		return NULL;
	while (i < n) {
		uint32_t r = utf8_decode(u + i, n - i, &len);
		o += utf8_encode(fold_rune(r), out + o);
		i += len;
	}
	out[o] = '\0';
	*outlen = o;
	return (char *)out;
}

/* x/mod/zip's collisionChecker: a map from strToFold(path) to the path and
 * whether it is a directory, filled with every entry and all its parent
 * directories.  Open addressing, keys owned by the table, paths pointing
 * into the entry names. */
struct foldslot {
	char *fold;
	size_t foldlen;
	const char *path;
	size_t pathlen;
	unsigned char is_dir, explicit_dir;
};

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037u;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211u;
	}
	return h;
}

static struct foldslot *foldset_find(struct foldset *t, const char *fold, size_t len)
{
	size_t i = (size_t)fnv1a(fold, len) & (t->cap - 1);

	while (t->s[i].fold != NULL &&
	       (t->s[i].foldlen != len || memcmp(t->s[i].fold, fold, len) != 0))
		i = (i + 1) & (t->cap - 1);
	return &t->s[i];
}

static int foldset_grow(struct foldset *t)
{
	struct foldset nt;
	size_t i;

	nt.cap = t->cap ? 2 * t->cap : 256;
	nt.n = t->n;
	if ((nt.s = calloc(nt.cap, sizeof nt.s[0])) == NULL)
		return -1;
	for (i = 0; i < t->cap; i++)
		if (t->s[i].fold != NULL)
			*foldset_find(&nt, t->s[i].fold, t->s[i].foldlen) = t->s[i];
	free(t->s);
	*t = nt;
	return 0;
}

void foldset_free(struct foldset *t)
{
	size_t i;

	for (i = 0; i < t->cap; i++)
		free(t->s[i].fold);
	free(t->s);
}

/* collisionChecker.check for p[0:n] and, as directories, its parents.
 * Returns 0, 1 with the reason in why, or -1 when out of memory.  We add
 * one rule: a directory may have only one entry of its own (the go command
 * accepts repeats, but ZIP_CHECKCONS refuses any repeated name). */
int foldset_check(struct foldset *t, const char *p, size_t n, int is_dir, int explicit_dir,
                  char *why, size_t whysz)
{
	char q1[2 * QUOTE_MAX], q2[2 * QUOTE_MAX];

	for (;;) {
		struct foldslot *s;
		size_t flen;
		char *fold;

		if ((t->n + 1) * 2 > t->cap && foldset_grow(t) != 0)
			return -1;
		if ((fold = fold_str(p, n, &flen)) == NULL)
			return -1;
		s = foldset_find(t, fold, flen);
		if (s->fold != NULL) {
			free(fold);
			if (s->pathlen != n || memcmp(s->path, p, n) != 0)
				return errset(why, whysz, 1, "case-insensitive file name collision: %s and %s",
				            utf8_quote(s->path, s->pathlen, q1, sizeof q1),
				            utf8_quote(p, n, q2, sizeof q2));
			if (is_dir != s->is_dir)
				return errset(why, whysz, 1, "entry %s is both a file and a directory",
				            utf8_quote(p, n, q1, sizeof q1));
			if (!is_dir)
				return errset(why, whysz, 1, "multiple entries for file %s",
				            utf8_quote(p, n, q1, sizeof q1));
			if (explicit_dir && s->explicit_dir)
				return errset(why, whysz, 1, "multiple entries for directory %s",
				            utf8_quote(p, n, q1, sizeof q1));
			s->explicit_dir |= (unsigned char)explicit_dir;
		} else {
			s->fold = fold;
			s->foldlen = flen;
			s->path = p;
			s->pathlen = n;
			s->is_dir = (unsigned char)is_dir;
			s->explicit_dir = (unsigned char)explicit_dir;
			t->n++;
		}
		/* path.Dir of a clean relative path: up to the last slash */
		while (n > 0 && p[n - 1] != '/')
			n--;
		if (n == 0)
			return 0;
		n--;
		is_dir = 1;
		explicit_dir = 0;
	}
}
