/* Module zip validation (go.dev/ref/mod#zip-files): the checks the go
 * command makes on a module zip it downloads, so that goreg refuses what
 * `go mod download` would refuse and records the same h1: sums.  Sources:
 * golang.org/x/mod/zip checkZip and Unzip (names, sizes, declared vs actual
 * sizes), archive/zip (only methods store and deflate, CRC-32),
 * cmd/go/internal/modfetch (Hash1 over every entry through
 * dirhash.HashZip, the go.mod it synthesizes, +incompatible rules) and
 * golang.org/x/mod/modfile (the module directive).
 *
 * Two readers look at the archive.  Our own walk of the central directory
 * sees the entry names byte for byte, as archive/zip does: libzip turns a
 * NUL inside a name into a space and prefers an Info-ZIP Unicode Path extra
 * field (0x7075) to the name, and either would make us check and hash a
 * name other than the one the go command uses.  libzip, opened with
 * ZIP_CHECKCONS, then checks local headers against the central directory
 * and decompresses with CRC checks; the two readers must agree on every
 * entry.  Entry data is streamed through a fixed buffer, never held whole,
 * except go.mod (at most MODZIP_MAX_GOMOD bytes). */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include <zip.h>

#include "dirhash.h"
#include "modpath.h"
#include "modzip.h"
#include "semver.h"

#define READ_BUF (64 * 1024)   /* entry data is read through this much */
#define QUOTE_MAX 300          /* bytes of a name quoted in a message */

/* Zip format constants (PKWARE APPNOTE.TXT 4.3, 4.4). */
#define SIG_CDIR    0x02014b50u
#define SIG_EOCD    0x06054b50u
#define SIG_EOCD64  0x06064b50u
#define SIG_LOC64   0x07064b50u
#define EOCD_LEN    22
#define LOC64_LEN   20
#define EOCD64_LEN  56
#define CDIR_LEN    46
#define LOCAL_LEN   30
#define FLAG_ENCRYPTED        0x0001u
#define FLAG_STRONG_ENCRYPT   0x0040u
#define FLAG_CDIR_ENCRYPTED   0x2000u
#define EXTRA_ZIP64     0x0001u
#define EXTRA_UNI_PATH  0x7075u
#define OS_UNIX    3   /* "version made by" upper byte; archive/zip also */
#define OS_MACOSX  19  /* reads Unix mode bits for these two */
#define UNIX_IFMT  0170000u
#define UNIX_IFREG 0100000u
#define UNIX_IFDIR 0040000u
#define UNIX_IFLNK 0120000u

struct ent {
	char *name;             /* raw central directory name + NUL */
	size_t namelen;
	uint64_t usize;         /* declared uncompressed size */
	uint32_t xattr;         /* external attributes */
	uint16_t made_by, flags, method;
	unsigned char upath;    /* has a Unicode Path extra field */
	unsigned char is_dir;   /* name ends in '/' */
	unsigned char sha256[32];
};

struct ents {
	struct ent *e;
	size_t n;
};

static int fail(char *err, size_t errsz, int rc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(char *err, size_t errsz, int rc, const char *fmt, ...)
{
	va_list ap;

	if (errsz > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return rc;
}

/* ---- UTF-8 and Unicode ---------------------------------------------- */

/* Decode one rune as Go's utf8.DecodeRune does: an invalid or truncated
 * sequence, an overlong form or a surrogate gives U+FFFD of length 1. */
static uint32_t dec_rune(const unsigned char *s, size_t n, size_t *len)
{
	uint32_t c, min;
	size_t k, i;

	*len = 1;
	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80)
		return c;
	if (c >= 0xC2 && c <= 0xDF)
		k = 2, c &= 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		k = 3, c &= 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		k = 4, c &= 0x07, min = 0x10000;
	else
		return 0xFFFD;
	if (k > n)
		return 0xFFFD;
	for (i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0xFFFD;
		c = c << 6 | (s[i] & 0x3Fu);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0xFFFD;
	*len = k;
	return c;
}

static size_t enc_rune(uint32_t r, unsigned char *out)
{
	if (r < 0x80) {
		out[0] = (unsigned char)r;
		return 1;
	}
	if (r < 0x800) {
		out[0] = (unsigned char)(0xC0 | r >> 6);
		out[1] = (unsigned char)(0x80 | (r & 0x3F));
		return 2;
	}
	if (r < 0x10000) {
		out[0] = (unsigned char)(0xE0 | r >> 12);
		out[1] = (unsigned char)(0x80 | (r >> 6 & 0x3F));
		out[2] = (unsigned char)(0x80 | (r & 0x3F));
		return 3;
	}
	out[0] = (unsigned char)(0xF0 | r >> 18);
	out[1] = (unsigned char)(0x80 | (r >> 12 & 0x3F));
	out[2] = (unsigned char)(0x80 | (r >> 6 & 0x3F));
	out[3] = (unsigned char)(0x80 | (r & 0x3F));
	return 4;
}

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

static uint32_t fold_rune(uint32_t r)
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
static char *str_to_fold(const char *s, size_t n, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char *out = malloc(3 * n + 1); /* U+FFFD for a byte: 3 bytes */
	size_t i = 0, o = 0, len;

	if (out == NULL)
		return NULL;
	while (i < n) {
		uint32_t r = dec_rune(u + i, n - i, &len);
		o += enc_rune(fold_rune(r), out + o);
		i += len;
	}
	out[o] = '\0';
	*outlen = o;
	return (char *)out;
}

/* unicode.IsPrint for the go.mod lexer and modfile.MustQuote, exact for
 * ASCII.  Beyond ASCII, Go's answer needs the whole Unicode category
 * table; we list the separators and the controls, format characters and
 * private-use areas that are assigned, and take every other rune (also
 * unassigned ones, which Go calls unprintable) as printable. */
static int is_print(uint32_t r)
{
	static const uint32_t nonprint[][2] = {
		{0x0080, 0x00A0}, {0x00AD, 0x00AD}, {0x0600, 0x0605}, {0x061C, 0x061C},
		{0x06DD, 0x06DD}, {0x070F, 0x070F}, {0x08E2, 0x08E2}, {0x1680, 0x1680},
		{0x180E, 0x180E}, {0x2000, 0x200F}, {0x2028, 0x202F}, {0x205F, 0x2064},
		{0x2066, 0x206F}, {0x3000, 0x3000}, {0xD800, 0xF8FF}, {0xFEFF, 0xFEFF},
		{0xFFF9, 0xFFFB}, {0xFFFE, 0xFFFF}, {0x110BD, 0x110BD}, {0x110CD, 0x110CD},
		{0x13430, 0x13438}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A}, {0xE0001, 0xE0001},
		{0xE0020, 0xE007F}, {0xF0000, 0x10FFFF},
	};
	size_t i;

	if (r < 0x80)
		return r >= 0x20 && r < 0x7F;
	for (i = 0; i < sizeof nonprint / sizeof nonprint[0]; i++)
		if (r >= nonprint[i][0] && r <= nonprint[i][1])
			return 0;
	return 1;
}

/* Quote s[0:n] for a one-line message: Go %q style escapes for controls,
 * quotes and bytes that are not UTF-8; long names are cut with "...". */
static const char *quote(const char *s, size_t n, char *buf, size_t bufsz)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, len;

	buf[o++] = '"';
	/* one step writes at most 12 bytes; 5 more close the string */
	while (i < n && o + 20 < bufsz) {
		uint32_t r = dec_rune(u + i, n - i, &len);
		unsigned char c = u[i];
		if (i >= QUOTE_MAX) {
			memcpy(buf + o, "...", 3);
			o += 3;
			i = n;
			break;
		}
		if (c == '"' || c == '\\') {
			buf[o++] = '\\';
			buf[o++] = (char)c;
		} else if (c == '\n' || c == '\t' || c == '\r') {
			buf[o++] = '\\';
			buf[o++] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
		} else if ((r == 0xFFFD && len == 1 && c >= 0x80) || !is_print(r)) {
			size_t k;
			for (k = 0; k < len; k++) {
				buf[o++] = '\\';
				buf[o++] = 'x';
				buf[o++] = hex[u[i + k] >> 4];
				buf[o++] = hex[u[i + k] & 15];
			}
		} else {
			memcpy(buf + o, u + i, len);
			o += len;
		}
		i += len;
	}
	if (i < n) {
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/* ---- name rules -------------------------------------------------------- */

/* Whether path.Clean(p) == p in Go: no empty, "." or trailing elements,
 * ".." only as leading elements of a relative path. */
static int path_is_clean(const char *p, size_t n)
{
	size_t i, start;
	int rooted, named = 0;

	if (n == 0)
		return 0;
	if (n == 1 && (p[0] == '.' || p[0] == '/'))
		return 1;
	if (p[n - 1] == '/')
		return 0;
	rooted = p[0] == '/';
	for (i = rooted; i <= n; i++) {
		for (start = i; i < n && p[i] != '/'; i++)
			;
		if (i == start)
			return 0;
		if (i - start == 1 && p[start] == '.')
			return 0;
		if (i - start == 2 && p[start] == '.' && p[start + 1] == '.') {
			if (rooted || named)
				return 0;
		} else {
			named = 1;
		}
	}
	return 1;
}

/* x/mod/zip's collisionChecker: a map from strToFold(path) to the path and
 * whether it is a directory, filled with every entry and all its parent
 * directories.  Open addressing, keys owned by the table, paths pointing
 * into the entry names. */
struct cslot {
	char *fold;
	size_t foldlen;
	const char *path;
	size_t pathlen;
	unsigned char is_dir, explicit_dir;
};

struct ctab {
	struct cslot *s;
	size_t cap, n;
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

static struct cslot *ctab_find(struct ctab *t, const char *fold, size_t len)
{
	size_t i = (size_t)fnv1a(fold, len) & (t->cap - 1);

	while (t->s[i].fold != NULL &&
	       (t->s[i].foldlen != len || memcmp(t->s[i].fold, fold, len) != 0))
		i = (i + 1) & (t->cap - 1);
	return &t->s[i];
}

static int ctab_grow(struct ctab *t)
{
	struct ctab nt;
	size_t i;

	nt.cap = t->cap ? 2 * t->cap : 256;
	nt.n = t->n;
	if ((nt.s = calloc(nt.cap, sizeof nt.s[0])) == NULL)
		return -1;
	for (i = 0; i < t->cap; i++)
		if (t->s[i].fold != NULL)
			*ctab_find(&nt, t->s[i].fold, t->s[i].foldlen) = t->s[i];
	free(t->s);
	*t = nt;
	return 0;
}

static void ctab_free(struct ctab *t)
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
static int ctab_check(struct ctab *t, const char *p, size_t n, int is_dir, int explicit_dir,
                      char *why, size_t whysz)
{
	char q1[2 * QUOTE_MAX], q2[2 * QUOTE_MAX];

	for (;;) {
		struct cslot *s;
		size_t flen;
		char *fold;

		if ((t->n + 1) * 2 > t->cap && ctab_grow(t) != 0)
			return -1;
		if ((fold = str_to_fold(p, n, &flen)) == NULL)
			return -1;
		s = ctab_find(t, fold, flen);
		if (s->fold != NULL) {
			free(fold);
			if (s->pathlen != n || memcmp(s->path, p, n) != 0)
				return fail(why, whysz, 1, "case-insensitive file name collision: %s and %s",
				            quote(s->path, s->pathlen, q1, sizeof q1),
				            quote(p, n, q2, sizeof q2));
			if (is_dir != s->is_dir)
				return fail(why, whysz, 1, "entry %s is both a file and a directory",
				            quote(p, n, q1, sizeof q1));
			if (!is_dir)
				return fail(why, whysz, 1, "multiple entries for file %s",
				            quote(p, n, q1, sizeof q1));
			if (explicit_dir && s->explicit_dir)
				return fail(why, whysz, 1, "multiple entries for directory %s",
				            quote(p, n, q1, sizeof q1));
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

/* ---- the central directory, as archive/zip reads it -------------------- */

static uint16_t le16(const unsigned char *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t le64(const unsigned char *b)
{
	return (uint64_t)le32(b) | (uint64_t)le32(b + 4) << 32;
}

/* Read exactly n bytes at off: 0, 1 if the file ends first, -1 on error. */
static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	unsigned char *b = buf;

	while (n > 0) {
		ssize_t r = pread(fd, b, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		b += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

static void ents_free(struct ents *z)
{
	size_t i;

	for (i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	z->e = NULL;
	z->n = 0;
}

#define BADZIP(...) fail(err, errsz, 1, "not a valid zip file: " __VA_ARGS__)

/* archive/zip readDirectoryEnd and readDirectoryHeader: find the end
 * record (the last signature whose comment fits, in the last 65 KiB),
 * follow the zip64 locator when a field is saturated, then read every
 * central directory header, taking sizes from the zip64 extra field. */
static int scan_cdir(int fd, uint64_t size, struct ents *z, char *err, size_t errsz)
{
	unsigned char *tail = NULL, *cd = NULL, loc[LOC64_LEN], e64[EOCD64_LEN];
	size_t tlen = size < 65 * 1024 ? (size_t)size : 65 * 1024, i, p;
	uint64_t eocd, end, recs, cdsize, cdoff;
	int rc, found = 0;
	char q[2 * QUOTE_MAX];

	if (tlen < EOCD_LEN)
		return BADZIP("too short to be a zip (%zu bytes)", tlen);
	if ((tail = malloc(tlen)) == NULL)
		return fail(err, errsz, -1, "out of memory");
	if ((rc = read_at(fd, tail, tlen, size - tlen)) != 0) {
		free(tail);
		return rc < 0 ? fail(err, errsz, -1, "read error: %s", strerror(errno))
		              : BADZIP("file shrank while read");
	}
	for (i = tlen - EOCD_LEN + 1; i-- > 0;)
		if (le32(tail + i) == SIG_EOCD && i + EOCD_LEN + le16(tail + i + 20) <= tlen) {
			found = 1;
			break;
		}
	if (!found) {
		free(tail);
		return BADZIP("no end of central directory record");
	}
	eocd = end = size - tlen + i;
	recs = le16(tail + i + 10);
	cdsize = le32(tail + i + 12);
	cdoff = le32(tail + i + 16);
	/* archive/zip compares the size with 0xffff, not 0xffffffff; follow it */
	if (recs == 0xffff || cdsize == 0xffff || cdoff == 0xffffffff) {
		if (eocd >= LOC64_LEN) {
			if ((rc = read_at(fd, loc, sizeof loc, eocd - LOC64_LEN)) < 0)
				goto ioerr;
			if (rc == 0 && le32(loc) == SIG_LOC64 && le32(loc + 4) == 0 && le32(loc + 16) == 1) {
				end = le64(loc + 8);
				if (end > size || size - end < EOCD64_LEN || read_at(fd, e64, sizeof e64, end) != 0 ||
				    le32(e64) != SIG_EOCD64) {
					free(tail);
					return BADZIP("bad zip64 end of central directory record");
				}
				recs = le64(e64 + 32);
				cdsize = le64(e64 + 40);
				cdoff = le64(e64 + 48);
			}
		}
	}
	free(tail);
	tail = NULL;
	/* Data before the archive (archive/zip's baseOffset) is not allowed:
	 * the central directory must end where the end record begins. */
	if (cdoff > end || cdsize != end - cdoff)
		return BADZIP("central directory is not where the end record says");
	if (recs > MODZIP_MAX_FILES)
		return fail(err, errsz, 1, "too many entries in zip (%llu; limit is %d)",
		            (unsigned long long)recs, MODZIP_MAX_FILES);
	if (recs > cdsize / CDIR_LEN)
		return BADZIP("central directory too small for %llu entries", (unsigned long long)recs);
	if (cdsize > MODZIP_MAX_CDIR)
		return fail(err, errsz, 1, "zip central directory too large (%llu bytes; limit is %lld bytes)",
		            (unsigned long long)cdsize, (long long)MODZIP_MAX_CDIR);
	if ((cd = malloc(cdsize ? (size_t)cdsize : 1)) == NULL ||
	    (recs && (z->e = calloc((size_t)recs, sizeof z->e[0])) == NULL)) {
		free(cd);
		return fail(err, errsz, -1, "out of memory");
	}
	if ((rc = read_at(fd, cd, (size_t)cdsize, cdoff)) != 0) {
		free(cd);
		return rc < 0 ? fail(err, errsz, -1, "read error: %s", strerror(errno))
		              : BADZIP("truncated central directory");
	}
	for (p = 0; z->n < recs; z->n++) {
		struct ent *e = &z->e[z->n];
		const unsigned char *h = cd + p, *x, *xend;
		size_t nlen, xlen, clen;
		int need_u, need_c, need_off;

		if (cdsize - p < CDIR_LEN || le32(h) != SIG_CDIR) {
			free(cd);
			return BADZIP("bad central directory header for entry %zu", z->n);
		}
		nlen = le16(h + 28);
		xlen = le16(h + 30);
		clen = le16(h + 32);
		if (cdsize - p - CDIR_LEN < nlen + xlen + clen) {
			free(cd);
			return BADZIP("central directory header for entry %zu overruns", z->n);
		}
		e->made_by = le16(h + 4);
		e->flags = le16(h + 8);
		e->method = le16(h + 10);
		e->usize = le32(h + 24);
		e->xattr = le32(h + 38);
		need_u = le32(h + 24) == 0xffffffffu;
		need_c = le32(h + 20) == 0xffffffffu;
		need_off = le32(h + 42) == 0xffffffffu;
		if ((e->name = malloc(nlen + 1)) == NULL) {
			free(cd);
			return fail(err, errsz, -1, "out of memory");
		}
		memcpy(e->name, h + CDIR_LEN, nlen);
		e->name[nlen] = '\0';
		e->namelen = nlen;
		e->is_dir = nlen > 0 && e->name[nlen - 1] == '/';
		for (x = h + CDIR_LEN + nlen, xend = x + xlen; xend - x >= 4;) {
			unsigned tag = le16(x), fsz = le16(x + 2);
			const unsigned char *f = x + 4;
			if ((size_t)(xend - f) < fsz)
				break;
			x = f + fsz;
			if (tag == EXTRA_UNI_PATH) {
				e->upath = 1;
			} else if (tag == EXTRA_ZIP64) {
				if (need_u) {
					if (x - f < 8)
						goto bad64;
					e->usize = le64(f);
					f += 8;
					need_u = 0;
				}
				if (need_c) {
					if (x - f < 8)
						goto bad64;
					f += 8;
					need_c = 0;
				}
				if (need_off) {
					if (x - f < 8)
						goto bad64;
					need_off = 0;
				}
			}
		}
		if (need_c || need_off)
			goto bad64;
		p += CDIR_LEN + nlen + xlen + clen;
		continue;
bad64:
		free(cd);
		z->n++;         /* so that ents_free frees this name too */
		return BADZIP("%s: bad zip64 extra field", quote(e->name, e->namelen, q, sizeof q));
	}
	free(cd);
	return 0;
ioerr:
	free(tail);
	return fail(err, errsz, -1, "read error: %s", strerror(errno));
}

/* ---- go.mod ------------------------------------------------------------- */

/* The module directive as modfile.ParseLax reads it: cmd/go parses a
 * dependency's go.mod with ParseLax and requires its module path to be the
 * one asked for (modload goModSummary).  The lexer and statement grammar
 * follow modfile/read.go: "//" comments, C-style comments refused, strings in "" or
 * `` (one line), punctuation ( ) [ ] { } , and identifiers of printable
 * non-space runes; "verb (" starts a block that ")" ends.  parseString
 * (modfile/rule.go) then takes the one argument: a "..." string through
 * strconv.Unquote, or a bare word without quote characters; a `...` word
 * is refused there.  Any lexical or block error, a repeated module
 * directive or a wrong argument count fails the whole parse, as in Go. */

enum { TK_EOF = -1, TK_EOLCOMMENT = -2, TK_IDENT = -3, TK_STRING = -4, TK_COMMENT = -5 };

struct tk {
	int kind;
	size_t off, len;
};

struct gm {
	const unsigned char *s;
	size_t n, pos;
	struct tk la;           /* lookahead */
	int have_module, module_bad;
	struct tk mod;          /* the module path token */
};

static int ident_rune(uint32_t r)
{
	switch (r) {
	case ' ': case '(': case ')': case '[': case ']': case '{': case '}': case ',':
		return 0;
	}
	return is_print(r);     /* printable and not a space, as Go's isIdent */
}

static int gm_lex(struct gm *g)
{
	struct tk *t = &g->la;
	size_t len;
	uint32_t r;

	while (g->pos < g->n) {
		unsigned char c = g->s[g->pos];
		if (c == ' ' || c == '\t' || c == '\r') {
			g->pos++;
			continue;
		}
		if (c == '/' && g->pos + 1 < g->n && g->s[g->pos + 1] == '/') {
			size_t j = g->pos;
			int suffix = 0;
			while (j > 0 && g->s[j - 1] != '\n') {
				j--;
				if (g->s[j] != ' ' && g->s[j] != '\t' && g->s[j] != '\r')
					suffix = 1;
			}
			t->off = g->pos;
			while (g->pos < g->n && g->s[g->pos++] != '\n')
				;
			t->kind = suffix ? TK_EOLCOMMENT : TK_COMMENT;
			t->len = g->pos - t->off;
			return 0;
		}
		if (c == '/' && g->pos + 1 < g->n && g->s[g->pos + 1] == '*')
			return -1;
		break;
	}
	t->off = g->pos;
	t->len = 0;
	if (g->pos >= g->n) {
		t->kind = TK_EOF;
		return 0;
	}
	switch (g->s[g->pos]) {
	case '\n': case '(': case ')': case '[': case ']': case '{': case '}': case ',':
		t->kind = g->s[g->pos++];
		t->len = 1;
		return 0;
	case '"': case '`': {
		unsigned char quote = g->s[g->pos++];
		for (;;) {
			unsigned char c;
			if (g->pos >= g->n || g->s[g->pos] == '\n')
				return -1;
			c = g->s[g->pos++];
			if (c == quote)
				break;
			if (c == '\\' && quote != '`') {
				if (g->pos >= g->n)
					return -1;
				g->pos++;
			}
		}
		t->kind = TK_STRING;
		t->len = g->pos - t->off;
		return 0;
	}
	}
	r = dec_rune(g->s + g->pos, g->n - g->pos, &len);
	if (!ident_rune(r))
		return -1;
	while (g->pos < g->n) {
		r = dec_rune(g->s + g->pos, g->n - g->pos, &len);
		if (!ident_rune(r))
			break;
		if (g->s[g->pos] == '/' && g->pos + 1 < g->n) {
			if (g->s[g->pos + 1] == '/')
				break;
			if (g->s[g->pos + 1] == '*')
				return -1;
		}
		g->pos += len;
	}
	t->kind = TK_IDENT;
	t->len = g->pos - t->off;
	return 0;
}

static int gm_next(struct gm *g, struct tk *out)
{
	if (out != NULL)
		*out = g->la;
	return gm_lex(g);
}

static int is_eol(int kind)
{
	return kind == TK_EOF || kind == TK_EOLCOMMENT || kind == '\n';
}

static int is_module_verb(const struct gm *g, const struct tk *t)
{
	return t->len == 6 && memcmp(g->s + t->off, "module", 6) == 0;
}

/* File.add for "module" (modfile/rule.go), args[0] and the count */
static void gm_module(struct gm *g, const struct tk *arg, size_t nargs)
{
	if (g->have_module) {
		g->module_bad = 1;      /* "repeated module statement" */
		return;
	}
	g->have_module = 1;
	if (nargs != 1)
		g->module_bad = 1;      /* "usage: module module/path" */
	else
		g->mod = *arg;
}

static int gm_block(struct gm *g, int is_module)
{
	struct tk first, t;
	size_t n;

	for (;;) {
		switch (g->la.kind) {
		case TK_EOLCOMMENT: case '\n': case TK_COMMENT:
			if (gm_next(g, NULL))
				return -1;
			break;
		case TK_EOF:
			return -1;      /* unterminated block */
		case ')':
			if (gm_next(g, NULL))
				return -1;
			if (!is_eol(g->la.kind))
				return -1;  /* expected newline after closing paren */
			return gm_next(g, NULL);
		default:
			if (gm_next(g, &first))
				return -1;
			for (n = 1;; n++) {
				if (gm_next(g, &t))
					return -1;
				if (is_eol(t.kind))
					break;
			}
			if (is_module)
				gm_module(g, &first, n);
		}
	}
}

static int gm_stmt(struct gm *g)
{
	struct tk verb, arg = { 0, 0, 0 }, t, rp;
	size_t ntok = 1;

	if (gm_next(g, &verb))
		return -1;
	for (;;) {
		if (gm_next(g, &t))
			return -1;
		if (is_eol(t.kind)) {
			if (is_module_verb(g, &verb))
				gm_module(g, &arg, ntok - 1);
			return 0;
		}
		if (t.kind == '(') {
			if (is_eol(g->la.kind))
				/* ParseLax ignores blocks with more than one leading token */
				return gm_block(g, ntok == 1 && is_module_verb(g, &verb));
			if (g->la.kind == ')') {
				if (gm_next(g, &rp))
					return -1;
				if (is_eol(g->la.kind))
					return gm_next(g, NULL);        /* empty block */
				if (ntok++ == 1)
					arg = t;
				ntok++;
				continue;
			}
		}
		if (ntok++ == 1)
			arg = t;
	}
}

/* strconv.Unquote of a "..." token into out; -1 on a syntax error. */
static int unquote(const unsigned char *in, size_t n, char *out, size_t outsz)
{
	size_t i, o = 0, len, k, nd;
	uint32_t v;

	if (n < 2 || in[0] != '"' || in[n - 1] != '"')
		return -1;
	for (i = 1; i < n - 1;) {
		unsigned char tmp[4];
		const unsigned char *src = in + i;
		size_t sl;
		int raw = 0;    /* a byte value, not a rune */
		uint32_t r;

		if (in[i] == '\n' || in[i] == '"')
			return -1;
		if (in[i] != '\\') {
			r = dec_rune(in + i, n - 1 - i, &len);
			if (r == 0xFFFD && len == 1 && in[i] >= 0x80) {
				sl = enc_rune(0xFFFD, tmp);     /* invalid UTF-8 becomes U+FFFD */
				src = tmp;
			} else {
				sl = len;
			}
			i += len;
		} else {
			if (i + 1 >= n - 1)
				return -1;
			switch (in[i + 1]) {
			case 'a': v = 7; break;
			case 'b': v = 8; break;
			case 'f': v = 12; break;
			case 'n': v = 10; break;
			case 'r': v = 13; break;
			case 't': v = 9; break;
			case 'v': v = 11; break;
			case '\\': v = '\\'; break;
			case '"': v = '"'; break;
			case 'x': case 'u': case 'U':
				nd = in[i + 1] == 'x' ? 2 : in[i + 1] == 'u' ? 4 : 8;
				if (i + 2 + nd > n - 1)
					return -1;
				for (v = 0, k = 0; k < nd; k++) {
					unsigned char c = in[i + 2 + k];
					int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
					      : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
					if (d < 0)
						return -1;
					v = v << 4 | (uint32_t)d;
				}
				if (nd == 2)
					raw = 1;
				else if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
					return -1;
				i += nd;
				break;
			case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7':
				if (i + 4 > n - 1)
					return -1;
				for (v = 0, k = 1; k <= 3; k++) {
					unsigned char c = in[i + k];
					if (c < '0' || c > '7')
						return -1;
					v = v << 3 | (uint32_t)(c - '0');
				}
				if (v > 255)
					return -1;
				raw = 1;
				i += 2;
				break;
			default:
				return -1;
			}
			i += 2;
			if (raw || v < 0x80) {
				tmp[0] = (unsigned char)v;
				sl = 1;
			} else {
				sl = enc_rune(v, tmp);
			}
			src = tmp;
		}
		if (o + sl >= outsz)
			return -1;
		memcpy(out + o, src, sl);
		o += sl;
	}
	out[o] = '\0';
	return 0;
}

int gomod_module_path(const char *data, size_t len, char *out, size_t outsz)
{
	struct gm g;
	const unsigned char *a;
	size_t i;

	if (outsz == 0)
		return -1;
	memset(&g, 0, sizeof g);
	g.s = (const unsigned char *)data;
	g.n = len;
	if (gm_lex(&g))
		return -1;
	for (;;) {
		switch (g.la.kind) {
		case '\n': case TK_COMMENT:
			if (gm_next(&g, NULL))
				return -1;
			continue;
		case TK_EOF:
			break;
		default:
			if (gm_stmt(&g))
				return -1;
			continue;
		}
		break;
	}
	if (!g.have_module || g.module_bad)
		return -1;
	a = g.s + g.mod.off;
	if (g.mod.len > 0 && a[0] == '"') {
		if (unquote(a, g.mod.len, out, outsz))
			return -1;
	} else {
		for (i = 0; i < g.mod.len; i++)
			if (a[i] == '"' || a[i] == '\'' || a[i] == '`')
				return -1;  /* "unquoted string cannot contain quote" */
		if (g.mod.len >= outsz)
			return -1;
		memcpy(out, a, g.mod.len);
		out[g.mod.len] = '\0';
	}
	/* goModSummary: an empty path is a "missing module line" */
	return out[0] == '\0' ? -1 : 0;
}

/* modfetch.LegacyGoMod: "module " + modfile.AutoQuote(path) + "\n", the
 * go.mod the go command uses for a module without one. */
static char *legacy_gomod(const char *path, size_t *lenp)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)path;
	size_t n = strlen(path), i, o, len;
	int must = n == 0 || strstr(path, "//") != NULL || strstr(path, "/*") != NULL;
	char *out;

	/* modfile.MustQuote */
	for (i = 0; i < n && !must; i += len) {
		uint32_t r = dec_rune(u + i, n - i, &len);
		switch (r) {
		case ' ': case '"': case '\'': case '`':
			must = 1;
			break;
		case '(': case ')': case '[': case ']': case '{': case '}': case ',':
			must = n > 1;
			break;
		default:
			must = !is_print(r);
		}
	}
	if ((out = malloc(sizeof "module \"\"\n" + 4 * n)) == NULL)
		return NULL;
	memcpy(out, "module ", 7);
	o = 7;
	if (!must) {
		memcpy(out + o, path, n);
		o += n;
	} else {
		/* strconv.Quote; module paths that pass module.CheckPath never
		 * need it, so only the ASCII escapes are spelled out */
		out[o++] = '"';
		for (i = 0; i < n; i++) {
			unsigned char c = u[i];
			if (c == '"' || c == '\\') {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (c >= 0x20 && c != 0x7F) {
				out[o++] = (char)c;
			} else {
				out[o++] = '\\';
				out[o++] = 'x';
				out[o++] = hex[c >> 4];
				out[o++] = hex[c & 15];
			}
		}
		out[o++] = '"';
	}
	out[o++] = '\n';
	out[o] = '\0';
	*lenp = o;
	return out;
}

/* ---- the checks ---------------------------------------------------------- */

/* the current entry's name, quoted for a message (only on failure) */
#define QN quote(e->name, e->namelen, q, sizeof q)

/* module.CanonicalVersion: semver.Canonical, keeping "+incompatible". */
static int canonical_version(const char *v, char *out, size_t outsz)
{
	if (semver_canonical(v, out, outsz) != 0)
		return -1;
	if (semver_is_incompatible(v)) {
		if (strlen(out) + sizeof "+incompatible" > outsz)
			return -1;
		strcat(out, "+incompatible");
	}
	return 0;
}

/* s equals lower (all lowercase ASCII) ignoring ASCII case; unlike
 * strcasecmp, whatever the locale */
static int ascii_eq_fold(const char *s, const char *lower)
{
	for (; *s && *lower; s++, lower++)
		if ((*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s) != *lower)
			return 0;
	return *s == *lower;
}

/* Module path and version from the first entry, "<module>@<version>/...".
 * The first '@' splits them (module.CheckPath allows no '@' in a path),
 * the first '/' after it ends the version. */
static int module_of(const struct ent *e0, struct modzip_info *mi, char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX], canon[VERSION_MAX + 32];
	const char *at, *slash, *why;

	at = memchr(e0->name, '@', e0->namelen);
	slash = at ? memchr(at, '/', e0->namelen - (size_t)(at - e0->name)) : NULL;
	if (at == NULL || slash == NULL || at == e0->name || slash == at + 1)
		return fail(err, errsz, 1, "%s: first entry is not under a module@version/ prefix",
		            quote(e0->name, e0->namelen, q, sizeof q));
	if ((size_t)(at - e0->name) > MODPATH_MAX || (size_t)(slash - at - 1) > VERSION_MAX)
		return fail(err, errsz, 1, "%s: module path or version too long",
		            quote(e0->name, e0->namelen, q, sizeof q));
	memcpy(mi->module, e0->name, (size_t)(at - e0->name));
	mi->module[at - e0->name] = '\0';
	memcpy(mi->version, at + 1, (size_t)(slash - at - 1));
	mi->version[slash - at - 1] = '\0';
	/* x/mod/zip checkZip: the version must be canonical, then module.Check */
	if (!semver_valid(mi->version))
		return fail(err, errsz, 1, "version %s: not a semantic version",
		            quote(mi->version, strlen(mi->version), q, sizeof q));
	if (canonical_version(mi->version, canon, sizeof canon) != 0 || strcmp(canon, mi->version) != 0)
		return fail(err, errsz, 1, "version %s is not canonical (should be \"%s\")",
		            quote(mi->version, strlen(mi->version), q, sizeof q), canon);
	if ((why = modpath_check_module(mi->module, mi->version)) != NULL)
		return fail(err, errsz, 1, "invalid module %s: %s",
		            quote(e0->name, (size_t)(slash - e0->name), q, sizeof q), why);
	return 0;
}

/* Per-entry rules of x/mod/zip checkZip, in its order, plus what the zip
 * format allows archive/zip to read (go.dev/ref/mod#zip-files).  Sets
 * *gomod to the index of "<prefix>go.mod" or -1. */
static int check_names(struct ents *z, struct modzip_info *mi, long *gomod, char *err, size_t errsz)
{
	char prefix[MODPATH_MAX + VERSION_MAX + 3], q[2 * QUOTE_MAX], why[4 * QUOTE_MAX + 64];
	struct ctab ct = { NULL, 0, 0 };
	size_t plen, i;
	uint64_t total = 0;
	char *tmp = NULL;
	int rc = 0, root_seen = 0;

	*gomod = -1;
	if (z->n == 0)
		return fail(err, errsz, 1, "zip has no entries, so no module@version/ prefix");
	if ((rc = module_of(&z->e[0], mi, err, errsz)) != 0)
		return rc;
	plen = (size_t)snprintf(prefix, sizeof prefix, "%s@%s/", mi->module, mi->version);

	for (i = 0; i < z->n && rc == 0; i++) {
		struct ent *e = &z->e[i];
		const char *name, *base, *fwhy;
		size_t nlen;
		uint32_t type = e->made_by >> 8 == OS_UNIX || e->made_by >> 8 == OS_MACOSX
		                ? (e->xattr >> 16) & UNIX_IFMT : 0;

		/* what the zip format lets archive/zip read as the go command does */
		if (memchr(e->name, '\0', e->namelen) != NULL)
			rc = fail(err, errsz, 1, "%s: nul byte in file name", QN);
		else if (e->flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPT | FLAG_CDIR_ENCRYPTED))
			rc = fail(err, errsz, 1, "%s: encrypted entries are not allowed", QN);
		else if (e->method != ZIP_CM_STORE && e->method != ZIP_CM_DEFLATE)
			rc = fail(err, errsz, 1, "%s: compression method %u not allowed (only store and deflate)",
			          QN, e->method);
		else if (e->upath)
			rc = fail(err, errsz, 1, "%s: unicode path extra field not allowed (readers disagree on the name)", QN);
		else if (e->namelen < plen || memcmp(e->name, prefix, plen) != 0)
			rc = fail(err, errsz, 1, "%s: path does not have prefix \"%s\"", QN, prefix);
		/* "Symbolic links and other irregular files are not allowed"
		 * (x/mod/zip package doc).  checkZip never looks at modes, so the
		 * go command would unpack a link as a file holding its target;
		 * goreg refuses such zips rather than serve them. */
		else if (type == UNIX_IFLNK)
			rc = fail(err, errsz, 1, "%s: symbolic link", QN);
		else if (type != 0 && type != (e->is_dir ? UNIX_IFDIR : UNIX_IFREG))
			rc = fail(err, errsz, 1, "%s: not a regular file or directory", QN);
		/* archive/zip's File.Open (since after Go 1.19) fails on a
		 * directory entry with a nonzero size; Go 1.19 hashed its data */
		else if (e->is_dir && e->usize != 0)
			rc = fail(err, errsz, 1, "%s: directory entry has data", QN);
		if (rc != 0)
			break;

		name = e->name + plen;
		nlen = e->namelen - plen;
		if (nlen == 0) {        /* the "<module>@<version>/" entry itself */
			if (root_seen++)
				rc = fail(err, errsz, 1, "%s: multiple entries for the module root", QN);
			continue;
		}
		if (e->is_dir)
			nlen--;
		free(tmp);
		if ((tmp = malloc(nlen + 1)) == NULL) {
			rc = fail(err, errsz, -1, "out of memory");
			break;
		}
		memcpy(tmp, name, nlen);
		tmp[nlen] = '\0';
		if (!path_is_clean(tmp, nlen)) {
			rc = fail(err, errsz, 1, "%s: file path is not clean", QN);
			break;
		}
		if ((fwhy = modpath_check_file(tmp)) != NULL) {
			rc = fail(err, errsz, 1, "%s: malformed file path: %s", QN, fwhy);
			break;
		}
		if ((rc = ctab_check(&ct, name, nlen, e->is_dir, e->is_dir, why, sizeof why)) != 0) {
			if (rc < 0)
				fail(err, errsz, -1, "out of memory");
			else
				fail(err, errsz, 1, "%s: %s", QN, why);
			break;
		}
		if (e->is_dir)
			continue;
		mi->nfiles++;
		base = strrchr(tmp, '/');
		base = base ? base + 1 : tmp;
		/* strings.EqualFold(base, "go.mod"): no non-ASCII rune folds to
		 * g, o, m, d or '.', so an ASCII comparison is exact */
		if (ascii_eq_fold(base, "go.mod")) {
			if (base != tmp) {
				rc = fail(err, errsz, 1, "%s: go.mod file not in module root directory", QN);
				break;
			}
			if (strcmp(tmp, "go.mod") != 0) {
				rc = fail(err, errsz, 1, "%s: go.mod files must have lowercase names", QN);
				break;
			}
			*gomod = (long)i;
		}
		if (e->usize > (uint64_t)MODZIP_MAX_UNZIPPED - total) {
			rc = fail(err, errsz, 1, "total uncompressed size of module contents too large "
			          "(max size is %lld bytes)", (long long)MODZIP_MAX_UNZIPPED);
			break;
		}
		total += e->usize;
		if (strcmp(tmp, "go.mod") == 0 && e->usize > (uint64_t)MODZIP_MAX_GOMOD)
			rc = fail(err, errsz, 1, "%s: go.mod file too large (max size is %lld bytes)",
			          QN, (long long)MODZIP_MAX_GOMOD);
		else if (strcmp(tmp, "LICENSE") == 0 && e->usize > (uint64_t)MODZIP_MAX_LICENSE)
			rc = fail(err, errsz, 1, "%s: LICENSE file too large (max size is %lld bytes)",
			          QN, (long long)MODZIP_MAX_LICENSE);
	}
	mi->unzipped = total;
	free(tmp);
	ctab_free(&ct);
	return rc;
}

/* libzip's messages start with a capital ("Not a zip archive"); ours do not */
static const char *lc(const char *msg, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s", msg);
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

static int zip_err_is_system(int ze)
{
	switch (ze) {
	case ZIP_ER_MEMORY: case ZIP_ER_OPEN: case ZIP_ER_READ: case ZIP_ER_SEEK:
	case ZIP_ER_TMPOPEN: case ZIP_ER_WRITE: case ZIP_ER_CLOSE: case ZIP_ER_INTERNAL:
		return 1;
	}
	return 0;
}

/* Read every entry through libzip, as HashZip and Unzip do: hash each with
 * SHA-256, count the bytes against the declared size (archive/zip's
 * checksumReader fails on the first byte too many, Unzip's LimitedReader
 * likewise), let libzip check CRC-32, keep go.mod. */
static int read_entries(const char *zippath, struct ents *z, long gomod, struct modzip_info *mi,
                        char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX], m[256];
	unsigned char *buf = NULL;
	zip_t *za;
	zip_error_t ze;
	size_t i;
	int zerr = 0, rc = 0;

	if ((za = zip_open(zippath, ZIP_RDONLY | ZIP_CHECKCONS, &zerr)) == NULL) {
		zip_error_init_with_code(&ze, zerr);
		rc = fail(err, errsz, zip_err_is_system(zerr) ? -1 : 1, "not a valid zip file: %s",
		          lc(zip_error_strerror(&ze), m, sizeof m));
		zip_error_fini(&ze);
		return rc;
	}
	if (zip_get_num_entries(za, 0) != (zip_int64_t)z->n) {
		rc = fail(err, errsz, 1, "not a valid zip file: libzip reads %lld entries, the central directory has %zu",
		          (long long)zip_get_num_entries(za, 0), z->n);
		goto out;
	}
	if ((buf = malloc(READ_BUF)) == NULL) {
		rc = fail(err, errsz, -1, "out of memory");
		goto out;
	}
	for (i = 0; i < z->n && rc == 0; i++) {
		struct ent *e = &z->e[i];
		const char *lname = zip_get_name(za, i, ZIP_FL_ENC_RAW);
		crypto_hash_sha256_state st;
		zip_stat_t zs;
		zip_file_t *zf;
		uint64_t got = 0;

		if (lname == NULL || strcmp(lname, e->name) != 0) {
			rc = fail(err, errsz, 1, "%s: libzip reads a different name for this entry", QN);
			break;
		}
		if (zip_stat_index(za, i, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE) || zs.size != e->usize) {
			rc = fail(err, errsz, 1, "%s: inconsistent sizes in zip headers", QN);
			break;
		}
		if ((zf = zip_fopen_index(za, i, 0)) == NULL) {
			int code = zip_error_code_zip(zip_get_error(za));
			rc = fail(err, errsz, zip_err_is_system(code) ? -1 : 1, "%s: cannot read entry: %s",
			          QN, lc(zip_strerror(za), m, sizeof m));
			break;
		}
		if ((long)i == gomod &&
		    (mi->gomod = malloc(e->usize ? (size_t)e->usize : 1)) == NULL) {
			zip_fclose(zf);
			rc = fail(err, errsz, -1, "out of memory");
			break;
		}
		crypto_hash_sha256_init(&st);
		for (;;) {
			zip_int64_t r = zip_fread(zf, buf, READ_BUF);
			if (r < 0) {
				int code = zip_error_code_zip(zip_file_get_error(zf));
				if (code == ZIP_ER_CRC)
					rc = fail(err, errsz, 1, "crc mismatch in %s", QN);
				else if (code == ZIP_ER_INCONS)
					rc = fail(err, errsz, 1, "uncompressed size of %s differs from declared size (%llu bytes)",
					          QN, (unsigned long long)e->usize);
				else
					rc = fail(err, errsz, zip_err_is_system(code) ? -1 : 1, "%s: cannot read entry: %s",
					          QN, lc(zip_file_strerror(zf), m, sizeof m));
				break;
			}
			if (r == 0) {
				if (got != e->usize)
					rc = fail(err, errsz, 1, "uncompressed size of %s differs from declared size (%llu bytes)",
					          QN, (unsigned long long)e->usize);
				break;
			}
			if ((uint64_t)r > e->usize - got) {
				rc = fail(err, errsz, 1, "uncompressed size of %s is larger than declared size (%llu bytes)",
				          QN, (unsigned long long)e->usize);
				break;
			}
			if ((long)i == gomod)
				memcpy(mi->gomod + got, buf, (size_t)r);
			got += (uint64_t)r;
			crypto_hash_sha256_update(&st, buf, (unsigned long long)r);
		}
		zip_fclose(zf);
		crypto_hash_sha256_final(&st, e->sha256);
		if ((long)i == gomod)
			mi->gomod_len = (size_t)got;
	}
out:
	free(buf);
	zip_discard(za);
	return rc;
}

int modzip_check(const char *zippath, struct modzip_info *mi, char *err, size_t errsz)
{
	struct ents z = { NULL, 0 };
	struct dirhash_file *df = NULL;
	struct stat sb;
	char q[2 * QUOTE_MAX], q2[2 * QUOTE_MAX], *path = NULL;
	long gomod = -1;
	size_t i;
	int fd, rc;

	memset(mi, 0, sizeof *mi);
	if (errsz > 0)
		err[0] = '\0';
	if ((fd = open(zippath, O_RDONLY | O_CLOEXEC)) < 0)
		return fail(err, errsz, -1, "unable to open '%s': %s", zippath, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		rc = fail(err, errsz, -1, "unable to stat '%s': %s", zippath, strerror(errno));
		close(fd);
		return rc;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return fail(err, errsz, 1, "not a valid zip file: not a regular file");
	}
	/* x/mod/zip checkZip: MaxZipFile bounds the zip file itself */
	if (sb.st_size > MODZIP_MAX_ZIP) {
		close(fd);
		return fail(err, errsz, 1, "module zip file is too large (%lld bytes; limit is %lld bytes)",
		            (long long)sb.st_size, (long long)MODZIP_MAX_ZIP);
	}
	rc = scan_cdir(fd, (uint64_t)sb.st_size, &z, err, errsz);
	close(fd);
	if (rc == 0)
		rc = check_names(&z, mi, &gomod, err, errsz);
	if (rc == 0)
		rc = read_entries(zippath, &z, gomod, mi, err, errsz);
	if (rc != 0)
		goto out;

	/* cmd/go hashes the zip with dirhash.HashZip: every entry, directories
	 * and the root entry too, under its full name */
	if ((df = malloc((z.n ? z.n : 1) * sizeof df[0])) == NULL) {
		rc = fail(err, errsz, -1, "out of memory");
		goto out;
	}
	for (i = 0; i < z.n; i++) {
		df[i].name = z.e[i].name;
		memcpy(df[i].sha256, z.e[i].sha256, 32);
	}
	if (dirhash_h1(df, z.n, mi->h1_zip) != 0) {
		rc = fail(err, errsz, 1, "file name with a newline");
		goto out;
	}

	if (gomod >= 0) {
		if ((path = malloc(mi->gomod_len + 1)) == NULL) {
			rc = fail(err, errsz, -1, "out of memory");
			goto out;
		}
		if (gomod_module_path(mi->gomod, mi->gomod_len, path, mi->gomod_len + 1) != 0) {
			rc = fail(err, errsz, 1, "%s: go.mod has no valid module directive",
			          quote(z.e[gomod].name, z.e[gomod].namelen, q, sizeof q));
			goto out;
		}
		/* modload goModSummary: "module declares its path as" */
		if (strcmp(path, mi->module) != 0) {
			rc = fail(err, errsz, 1, "go.mod says module %s, zip is for %s",
			          quote(path, strlen(path), q, sizeof q),
			          quote(mi->module, strlen(mi->module), q2, sizeof q2));
			goto out;
		}
	} else {
		if ((mi->gomod = legacy_gomod(mi->module, &mi->gomod_len)) == NULL) {
			rc = fail(err, errsz, -1, "out of memory");
			goto out;
		}
		mi->gomod_synth = 1;
	}

	/* cmd/go/internal/modfetch/coderepo.go checkCanonical: the go command
	 * never makes a +incompatible version whose major version the path
	 * allows ("+incompatible suffix not allowed: major version vN is
	 * compatible"), nor one for a module with a go.mod ("module contains a
	 * go.mod file, so module path must match major version"). */
	if (semver_is_incompatible(mi->version)) {
		char base[VERSION_MAX + 1], major[VERSION_MAX + 1];
		const char *pmajor;
		size_t prefixlen;

		memcpy(base, mi->version, strlen(mi->version) - strlen("+incompatible"));
		base[strlen(mi->version) - strlen("+incompatible")] = '\0';
		modpath_split_major(mi->module, &prefixlen, &pmajor);
		if (modpath_check_major(base, pmajor) == NULL) {
			semver_major(base, major, sizeof major);
			rc = fail(err, errsz, 1, "version %s: +incompatible suffix not allowed: "
			          "major version %s is compatible", mi->version, major);
			goto out;
		}
		if (!mi->gomod_synth) {
			rc = fail(err, errsz, 1, "version %s: module contains a go.mod file, "
			          "so module path must match major version", mi->version);
			goto out;
		}
	}
	dirhash_h1_gomod(mi->gomod, mi->gomod_len, mi->h1_mod);
out:
	free(path);
	free(df);
	ents_free(&z);
	if (rc != 0)
		modzip_info_free(mi);
	return rc;
}

void modzip_info_free(struct modzip_info *mi)
{
	free(mi->gomod);
	mi->gomod = NULL;
	mi->gomod_len = 0;
}
