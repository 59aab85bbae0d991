/* Conditional requests (RFC 9110 section 13) and byte ranges (section 14)
 * on a reply an operation produced: 200 may become 304, 206 or 416. */
#include "http/http.h"

#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/util.h"

static const char *ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

int http_etag_match(const char *list, const char *etag)
{
	if (!etag[0])
		return 0;
	const char *p = ows(list);
	/* "*" matches any current representation (RFC 9110 section 13.1.2) */
	if (p[0] == '*' && !*ows(p + 1))
		return 1;
	size_t el = strlen(etag);
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			return 0;
		/* weak comparison: the W/ prefix does not matter */
		if (p[0] == 'W' && p[1] == '/')
			p += 2;
		if (*p != '"')
			return 0; /* not an entity-tag list: no match, serve it */
		const char *q = strchr(p + 1, '"');
		if (!q)
			return 0;
		if ((size_t)(q + 1 - p) == el && memcmp(p, etag, el) == 0)
			return 1;
		p = ows(q + 1);
		if (*p && *p != ',')
			return 0;
	}
}

/* 1*DIGIT, saturating far above any file size; NULL without a digit */
static const char *number(const char *p, long long *v)
{
	const char *s = p;
	*v = 0;
	for (; *p >= '0' && *p <= '9'; p++)
		if (*v < (1LL << 56))
			*v = *v * 10 + (*p - '0');
	return p == s ? NULL : p;
}

/* ranges-specifier with one range-spec (RFC 9110 section 14.1.1):
 *   bytes=FIRST-LAST | bytes=FIRST- | bytes=-SUFFIX
 * Several ranges would need multipart/byteranges; the go command and curl
 * ask for one, so a list is ignored and the whole file served, which
 * section 14.2 allows. */
int http_range(const char *spec, off_t size, off_t *off, off_t *len)
{
	if (strncasecmp(spec, "bytes=", 6) != 0 || strchr(spec, ','))
		return -1;
	const char *p = spec + 6;
	long long first, last;
	if (*p == '-') {
		if (!(p = number(p + 1, &last)) || *p)
			return -1;
		/* a suffix of 0 bytes, or any range of an empty file, selects
		 * nothing: unsatisfiable */
		if (last == 0 || size == 0)
			return -2;
		if (last > size)
			last = size;
		*off = size - last;
		*len = last;
		return 0;
	}
	if (!(p = number(p, &first)) || *p++ != '-')
		return -1;
	last = size - 1;
	if (*p) {
		if (!(p = number(p, &last)) || *p || last < first)
			return -1;
	}
	if (first >= size)
		return -2;
	if (last >= size)
		last = size - 1;
	*off = first;
	*len = last - first + 1;
	return 0;
}

void http_apply_conditionals(const struct request *rq, struct reply *r)
{
	int get = strcmp(rq->method, "GET") == 0;
	if (r->status != 200 || !(get || strcmp(rq->method, "HEAD") == 0))
		return;
	/* RFC 9110 section 13.2.2: If-None-Match first; If-Modified-Since
	 * only without it */
	int not_modified = 0;
	if (rq->if_none_match[0])
		not_modified = http_etag_match(rq->if_none_match, r->etag);
	else if (rq->if_modified_since[0] && r->last_modified) {
		int64_t t = time_http_parse(rq->if_modified_since);
		not_modified = t >= 0 && r->last_modified <= t;
	}
	if (not_modified) {
		/* 304 keeps the validators and Cache-Control (section 15.4.5) */
		r->status = 304;
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		r->file_bytes = NULL;
		r->mem_len = 0;
		return;
	}
	/* Range is defined for GET only (section 14.2) */
	if (!get || !rq->range[0] || !reply_has_file(r))
		return;
	if (rq->if_range[0]) {
		/* the range only if the client's copy is this one: a strong
		 * entity-tag match, or exactly the Last-Modified date
		 * (section 13.1.5); otherwise the whole file */
		int same;
		if (rq->if_range[0] == '"')
			same = r->etag[0] && strcmp(rq->if_range, r->etag) == 0;
		else if (rq->if_range[0] == 'W' && rq->if_range[1] == '/')
			same = 0;
		else
			same = r->last_modified && time_http_parse(rq->if_range) == r->last_modified;
		if (!same)
			return;
	}
	off_t off, len, size = r->file_size;
	int pr = http_range(rq->range, size, &off, &len);
	if (pr == -1)
		return;
	if (pr == -2) {
		reply_error(r, 416, "range not satisfiable: the file has %lld bytes", (long long)size);
		r->file_size = size; /* for Content-Range: bytes * / size */
		return;
	}
	r->status = 206;
	r->file_off = off;
	r->file_len = len;
}
