#include "web/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/utf8.h"

int html_escape(struct buf *b, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0; /* bytes p[i-run, i) pass as they are */
	while (i < n) {
		const char *ref = NULL;
		size_t len = 1;
		switch (p[i]) {
		case '&': ref = "&amp;"; break;
		case '<': ref = "&lt;"; break;
		case '>': ref = "&gt;"; break;
		case '"': ref = "&quot;"; break;
		case '\'': ref = "&#39;"; break;
		case '\t': case '\n': case '\r': break;
		default:
			if (p[i] < 0x20 || p[i] == 0x7f)
				ref = "\xef\xbf\xbd";
			else if (p[i] >= 0x80 && utf8_decode(p + i, n - i, &len) == 0xfffd && len == 1)
				ref = "\xef\xbf\xbd"; /* not UTF-8 (a real U+FFFD is 3 bytes long) */
		}
		if (!ref) {
			i += len;
			run += len;
			continue;
		}
		if (buf_add(b, p + i - run, run) < 0 || buf_puts(b, ref) < 0)
			return -1;
		i++;
		run = 0;
	}
	return buf_add(b, p + i - run, run);
}

void html_raw(struct html *h, const char *markup)
{
	h->fail |= !h->fail && buf_puts(&h->b, markup) < 0;
}

void html_fmt(struct html *h, const char *f, ...)
{
	char tmp[256];
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(tmp, sizeof tmp, f, ap);
	va_end(ap);
	h->fail |= n < 0 || (size_t)n >= sizeof tmp;
	html_raw(h, tmp);
}

void html_textn(struct html *h, const char *s, size_t n)
{
	h->fail |= !h->fail && html_escape(&h->b, s, n) < 0;
}

void html_text(struct html *h, const char *s)
{
	html_textn(h, s, strlen(s));
}

void html_url(struct html *h, const char *s)
{
	static const char keep[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/";
	for (const unsigned char *p = (const unsigned char *)s; *p && !h->fail; p++)
		h->fail |= (strchr(keep, *p) ? buf_add(&h->b, p, 1) : buf_printf(&h->b, "%%%02X", *p)) < 0;
}
