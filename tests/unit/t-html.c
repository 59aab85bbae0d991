/* lib/web/html.c: the one escaping writer every page goes through. */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "web/html.h"

/* s escaped by html_textn, as a new string */
static char *esc(const char *s, size_t n)
{
	struct html h = {{0}, 0};
	html_raw(&h, "");
	html_textn(&h, s, n);
	return h.fail ? NULL : h.b.p;
}

static void is_esc(const char *in, const char *want, const char *what)
{
	char *got = esc(in, strlen(in));
	is_str(got, want, "%s", what);
	free(got);
}

static void url(const char *in, const char *want, const char *what)
{
	struct html h = {{0}, 0};
	html_raw(&h, "");
	html_url(&h, in);
	is_str(h.b.p, want, "%s", what);
	buf_free(&h.b);
}

int main(void)
{
	is_esc("example.com/hello", "example.com/hello", "a module path passes as it is");
	is_esc("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;", "no element can open");
	is_esc("\"><img src=x onerror=alert(1)>", "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
	       "no double-quoted attribute can close");
	is_esc("' onmouseover='x", "&#39; onmouseover=&#39;x", "no single-quoted attribute can close");
	is_esc("a & b &amp;", "a &amp; b &amp;amp;", "'&' always becomes a reference, also before a name");
	is_esc("[x](javascript:alert(1))", "[x](javascript:alert(1))", "a javascript: link in text is only text");
	is_esc("tab\there\nline\r\n", "tab\there\nline\r\n", "tab, newline, carriage return kept");
	is_esc("bell\a esc\x1b del\x7f", "bell\xef\xbf\xbd esc\xef\xbf\xbd del\xef\xbf\xbd",
	       "other controls and DEL become U+FFFD");
	is_esc("caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d", "caf\xc3\xa9 \xe2\x80\x9cq\xe2\x80\x9d", "UTF-8 kept");
	is_esc("bad \xff\xfe end \xc3", "bad \xef\xbf\xbd\xef\xbf\xbd end \xef\xbf\xbd",
	       "bytes that are not UTF-8 become U+FFFD, also a truncated sequence at the end");
	is_esc("\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd", "a surrogate is not UTF-8");
	is_esc("\xef\xbf\xbd", "\xef\xbf\xbd", "a real U+FFFD stays one");
	char *got = esc("a\0<b", 4);
	is_str(got, "a\xef\xbf\xbd&lt;b", "a NUL byte becomes U+FFFD, the text goes on");
	free(got);
	is_esc("", "", "empty stays empty");

	url("example.com/hello", "example.com/hello", "a module path is its own URL path");
	url("github.com/Azure/a~b_c-d.e", "github.com/Azure/a~b_c-d.e", "unreserved characters kept");
	url("a b\"<>?#%&'", "a%20b%22%3C%3E%3F%23%25%26%27", "anything else percent-encoded");
	url("\xc3\xa9", "%C3%A9", "non-ASCII bytes percent-encoded");

	struct html h = {{0}, 0};
	html_fmt(&h, "<td>%d</td>", 42);
	html_text(&h, "<x>");
	is_str(h.b.p, "<td>42</td>&lt;x&gt;", "markup and numbers raw, text escaped, in order");
	buf_free(&h.b);
	return done_testing();
}
