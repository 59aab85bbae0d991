#include "gomod/modfile.h"

#include <stdlib.h>
#include <string.h>

#include "gomod/semver.h"
#include "base/util.h"

/* One line of a go.mod split into its code and its "//" comment (outside
 * a quoted string), each without surrounding space. */
struct mline {
	const char *code, *cmt;
	size_t codelen, cmtlen;
	int has_cmt;
};

static int is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s))
		(*s)++, (*n)--;
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static void split_line(const char *p, size_t n, struct mline *l)
{
	size_t i = 0;
	char q = 0;
	for (; i < n; i++) {
		if (q) {
			if (p[i] == '\\' && q == '"' && i + 1 < n)
				i++;
			else if (p[i] == q)
				q = 0;
		} else if (p[i] == '"' || p[i] == '`')
			q = p[i];
		else if (p[i] == '/' && i + 1 < n && p[i + 1] == '/')
			break;
	}
	l->code = p;
	l->codelen = i;
	trim(&l->code, &l->codelen);
	l->has_cmt = i < n;
	l->cmt = i < n ? p + i + 2 : p + n;
	l->cmtlen = i < n ? n - i - 2 : 0;
	trim(&l->cmt, &l->cmtlen);
}

/* a version token, unquoted, into out if it is a valid semantic version */
static int version_tok(const char *s, size_t n, char *out)
{
	trim(&s, &n);
	if (n >= 2 && (s[0] == '"' || s[0] == '`') && s[n - 1] == s[0])
		s++, n -= 2;
	if (n == 0 || n > VERSION_MAX)
		return -1;
	memcpy(out, s, n);
	out[n] = 0;
	return semver_valid(out) ? 0 : -1;
}

/* "v1.0.0" or "[v1.0.0, v1.2.0]" */
static int version_or_range(const char *s, size_t n, struct modfile_retract *r)
{
	if (n && s[0] == '[') {
		const char *comma = memchr(s, ',', n);
		if (!comma || s[n - 1] != ']')
			return -1;
		if (version_tok(s + 1, (size_t)(comma - s - 1), r->lo) < 0 ||
		    version_tok(comma + 1, (size_t)(s + n - 1 - comma - 1), r->hi) < 0)
			return -1;
		return semver_compare(r->lo, r->hi) <= 0 ? 0 : -1;
	}
	if (version_tok(s, n, r->lo) < 0)
		return -1;
	strcpy(r->hi, r->lo);
	return 0;
}

/* the comments a directive has: the whole-line comments just before it,
 * then its own, one per line (parseDirectiveComment) */
static char *directive_comment(const struct buf *before, int nbefore, const struct mline *l)
{
	struct buf b = {0};
	if (buf_add(&b, "", 0) < 0 || (nbefore && buf_add(&b, before->p, before->len) < 0) ||
	    (l->has_cmt && ((nbefore && buf_add(&b, "\n", 1) < 0) || buf_add(&b, l->cmt, l->cmtlen) < 0))) {
		buf_free(&b);
		return NULL;
	}
	return b.p;
}

/* (?s)(?:^|\n\n)Deprecated: *(.*?)(?:$|\n\n): a paragraph that starts
 * with the word, at the text's start or after any "\n\n" */
static int deprecation(const char *text, char **out)
{
	static const char word[] = "Deprecated:";
	for (size_t i = 0; text[i]; i++) {
		int start = i == 0 || (i >= 2 && text[i - 1] == '\n' && text[i - 2] == '\n');
		if (!start || strncmp(text + i, word, sizeof word - 1) != 0)
			continue;
		const char *p = text + i + sizeof word - 1;
		while (*p == ' ')
			p++;
		const char *end = strstr(p, "\n\n");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (!(*out = malloc(n + 1)))
			return -1;
		memcpy(*out, p, n);
		(*out)[n] = 0;
		return 0;
	}
	return 0;
}

static int add_retract(struct modfile_notes *m, const struct mline *l, const struct buf *before,
                       int nbefore, size_t *cap)
{
	struct modfile_retract r;
	if (version_or_range(l->code, l->codelen, &r) < 0)
		return 0;
	if (!(r.why = directive_comment(before, nbefore, l)))
		return -1;
	if (grow(&m->r, cap, m->n + 1, sizeof *m->r) < 0) {
		free(r.why);
		return -1;
	}
	m->r[m->n++] = r;
	return 0;
}

/* A code line: a directive, or a line inside a retract block.  *block
 * says whether the line is in one. */
static int directive(struct modfile_notes *m, struct mline *l, const struct buf *before, int nbefore,
                     int *block, size_t *cap)
{
	if (*block) {
		if (l->codelen == 1 && l->code[0] == ')')
			*block = 0;
		else
			return add_retract(m, l, before, nbefore, cap);
		return 0;
	}
	size_t w = 0;
	while (w < l->codelen && !is_space((unsigned char)l->code[w]) && l->code[w] != '(')
		w++;
	if (w == 7 && memcmp(l->code, "retract", 7) == 0) {
		l->code += w;
		l->codelen -= w;
		trim(&l->code, &l->codelen);
		if (l->codelen == 1 && l->code[0] == '(')
			*block = 1;
		else
			return add_retract(m, l, before, nbefore, cap);
	} else if (w == 6 && memcmp(l->code, "module", 6) == 0 && !m->deprecated) {
		char *text = directive_comment(before, nbefore, l);
		int r = text ? deprecation(text, &m->deprecated) : -1;
		free(text);
		return r;
	}
	return 0;
}

int modfile_notes(const char *data, size_t len, struct modfile_notes *m)
{
	memset(m, 0, sizeof *m);
	struct buf before = {0};
	size_t cap = 0;
	int block = 0, fail = 0, nbefore = 0;
	for (const char *p = data, *end = data + len; p < end && !fail;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct mline l;
		split_line(p, n, &l);
		p += n + 1;
		if (!l.codelen && l.has_cmt) {
			/* a whole-line comment: kept for the directive after it */
			fail = (nbefore++ && buf_add(&before, "\n", 1) < 0) || buf_add(&before, l.cmt, l.cmtlen) < 0;
			continue;
		}
		if (l.codelen)
			fail = directive(m, &l, &before, nbefore, &block, &cap) < 0;
		/* a blank line parts comments from what follows */
		before.len = 0;
		nbefore = 0;
	}
	buf_free(&before);
	if (fail)
		modfile_notes_free(m);
	return fail ? -1 : 0;
}

void modfile_notes_free(struct modfile_notes *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->r[i].why);
	free(m->r);
	free(m->deprecated);
	memset(m, 0, sizeof *m);
}

const struct modfile_retract *modfile_retracted(const struct modfile_notes *m, const char *v)
{
	for (size_t i = 0; i < m->n; i++)
		if (semver_compare(m->r[i].lo, v) <= 0 && semver_compare(v, m->r[i].hi) <= 0)
			return &m->r[i];
	return NULL;
}
