/* go.mod: the module directive, read as the go command reads a
 * dependency's go.mod, and the go.mod synthesized for a module zip
 * without one. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gomod/gomod.h"
#include "base/utf8.h"

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
	return rune_is_print(r);     /* printable and not a space, as Go's isIdent */
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
	r = utf8_decode(g->s + g->pos, g->n - g->pos, &len);
	if (!ident_rune(r))
		return -1;
	while (g->pos < g->n) {
		r = utf8_decode(g->s + g->pos, g->n - g->pos, &len);
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

/* strconv.Unquote of a "..." token into out; -1 on a syntax error, and
 * -1 for a NUL byte, raw or escaped (\x00, \000, \u0000): Go reads the
 * path with the NUL in it, which no module path equals (module.CheckPath
 * allows no NUL), while a C string would end there and "example.com/m\x00z"
 * would pass for example.com/m (found by tests/fuzz/fuzz-gomod.c; the go
 * command then refused the module: "module declares its path as"). */
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
			r = utf8_decode(in + i, n - 1 - i, &len);
			if (r == 0xFFFD && len == 1 && in[i] >= 0x80) {
				sl = utf8_encode(0xFFFD, tmp);     /* invalid UTF-8 becomes U+FFFD */
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
				sl = utf8_encode(v, tmp);
			}
			src = tmp;
		}
		if (o + sl >= outsz || memchr(src, '\0', sl) != NULL)
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
char *gomod_legacy(const char *path, size_t *lenp)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)path;
	size_t n = strlen(path), i, o, len;
	int must = n == 0 || strstr(path, "//") != NULL || strstr(path, "/*") != NULL;
	char *out;

	/* modfile.MustQuote */
	for (i = 0; i < n && !must; i += len) {
		uint32_t r = utf8_decode(u + i, n - i, &len);
		switch (r) {
		case ' ': case '"': case '\'': case '`':
			must = 1;
			break;
		case '(': case ')': case '[': case ']': case '{': case '}': case ',':
			must = n > 1;
			break;
		default:
			must = !rune_is_print(r);
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
		/* strconv.Quote; module paths that pass module.CheckPath are
		 * ASCII and never need it, so only the ASCII escapes are spelled
		 * out, Go's short forms first */
		static const char shortesc[] = "\a\b\f\n\r\t\v", shortlet[] = "abfnrtv";
		out[o++] = '"';
		for (i = 0; i < n; i++) {
			unsigned char c = u[i];
			const char *se = c != 0 ? strchr(shortesc, c) : NULL;
			if (c == '"' || c == '\\') {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (se != NULL) {
				out[o++] = '\\';
				out[o++] = shortlet[se - shortesc];
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
