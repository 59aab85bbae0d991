/* HTML output for the pages: text escaped for element content and quoted
 * attribute values alike (HTML Living Standard 13.1.2.6, 13.1.4: '&', '<',
 * '>', '"', '\'' as character references), and module paths made into
 * URL paths.  Everything a page shows from the store or the request goes
 * through html_text or html_url; html_raw and html_fmt are for the
 * page's own markup and numbers. */
#ifndef GOREG_HTML_H
#define GOREG_HTML_H
#include <stddef.h>
#include "base/util.h"

/* Append s[0:n] escaped: the five characters above as references; C0
 * controls but tab, newline and carriage return, DEL, and bytes that are
 * not UTF-8 (utf8.DecodeRune's U+FFFD) as U+FFFD, so a page is always
 * valid UTF-8 and nothing from the store can open or close an element or
 * an attribute.  0, or -1 out of memory. */
int html_escape(struct buf *b, const char *s, size_t n);

/* The page being written; fail is set once anything did not fit in
 * memory, and everything after is dropped. */
struct html {
	struct buf b;
	int fail;
};

void html_raw(struct html *h, const char *markup);
void html_fmt(struct html *h, const char *f, ...) __attribute__((format(printf, 2, 3)));
void html_text(struct html *h, const char *s);
void html_textn(struct html *h, const char *s, size_t n);
/* s as a URL path (RFC 3986 section 3.3): unreserved characters and '/'
 * as they are, every other byte percent-encoded; safe in a quoted
 * attribute as it is. */
void html_url(struct html *h, const char *s);

#endif
