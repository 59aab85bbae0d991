/* UTF-8 as Go's unicode/utf8 reads it, unicode.IsPrint, and the quoting
 * of untrusted names in one-line messages.  Shared by the module zip
 * checks (modzip, fold) and the go.mod reader (gomod). */
#ifndef GOREG_UTF8_H
#define GOREG_UTF8_H
#include <stddef.h>
#include <stdint.h>

#define QUOTE_MAX 300   /* bytes of a name quoted in a message */

/* utf8.DecodeRune: an invalid or truncated sequence, an overlong form or
 * a surrogate gives U+FFFD of length 1; *len is always >= 1 (n > 0). */
uint32_t utf8_decode(const unsigned char *s, size_t n, size_t *len);
/* utf8.Valid: no sequence above decodes as U+FFFD of length 1. */
int utf8_valid(const char *s, size_t n);
/* Write r as UTF-8 into out (room for 4 bytes); returns the length. */
size_t utf8_encode(uint32_t r, unsigned char *out);
/* unicode.IsPrint, exact for ASCII, see utf8.c for the rest */
int rune_is_print(uint32_t r);
/* Go %q-style quoting of s[0:n] into buf (2 * QUOTE_MAX bytes is enough
 * for any name: long ones are cut with "..."); returns buf. */
const char *utf8_quote(const char *s, size_t n, char *buf, size_t bufsz);

#endif
