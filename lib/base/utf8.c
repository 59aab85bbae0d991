/* UTF-8 decoding and encoding with Go's rules (unicode/utf8), the
 * unicode.IsPrint the go.mod lexer and modfile.MustQuote need, and the
 * quoting of names in messages. */
#include <stdint.h>
#include <string.h>

#include "base/utf8.h"

/* Decode one rune as Go's utf8.DecodeRune does: an invalid or truncated
 * sequence, an overlong form or a surrogate gives U+FFFD of length 1. */
uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *len)
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

size_t utf8_encode(uint32_t r, unsigned char *out)
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

/* unicode.IsPrint for the go.mod lexer and modfile.MustQuote, exact for
 * ASCII.  Beyond ASCII, Go's answer needs the whole Unicode category
 * table; we list the separators and the controls, format characters and
 * private-use areas that are assigned, and take every other rune (also
 * unassigned ones, which Go calls unprintable) as printable. */
int rune_is_print(uint32_t r)
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
const char *utf8_quote(const char *s, size_t n, char *buf, size_t bufsz)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, o = 0, len;

	buf[o++] = '"';
	/* one step writes at most 12 bytes; 5 more close the string */
	while (i < n && o + 20 < bufsz) {
		uint32_t r = utf8_decode(u + i, n - i, &len);
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
		} else if ((r == 0xFFFD && len == 1 && c >= 0x80) || !rune_is_print(r)) {
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

int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0, l; i < n; i += l)
		if (utf8_decode(p + i, n - i, &l) == 0xFFFD && l == 1)
			return 0;
	return 1;
}
