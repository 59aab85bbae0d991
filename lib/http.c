#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/sendfile.h>
#include <time.h>
#include <unistd.h>

#include "util.h"

void conn_init(struct conn *c, int in, int out)
{
	memset(c, 0, sizeof *c);
	c->in = in;
	c->out = out;
	c->idle_secs = HTTP_IDLE_SECS;
	c->read_secs = HTTP_READ_SECS;
	const char *e = getenv("GOREG_IDLE_TIMEOUT");
	if (e && atoi(e) > 0)
		c->idle_secs = atoi(e);
	e = getenv("GOREG_READ_TIMEOUT");
	if (e && atoi(e) > 0)
		c->read_secs = atoi(e);
}

static int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Read more bytes into the buffer before the deadline (ms, monotonic).
 * Returns bytes read, 0 on EOF, -1 on error, -2 on timeout. */
static ssize_t fill(struct conn *c, int64_t deadline)
{
	if (c->start > 0 && c->start == c->end)
		c->start = c->end = 0;
	if (c->end == sizeof c->buf) {
		if (c->start == 0)
			return -3; /* buffer full */
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	for (;;) {
		int64_t left = deadline - now_ms();
		if (left <= 0)
			return -2;
		struct pollfd p = {.fd = c->in, .events = POLLIN};
		int r = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			continue;
		ssize_t n = read(c->in, c->buf + c->end, sizeof c->buf - c->end);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n > 0)
			c->end += (size_t)n;
		return n;
	}
}

/* Find the end of the head ("\r\n\r\n", or bare "\n\n" which RFC 9112
 * section 2.2 lets a recipient accept) in buf[start, end). */
static char *head_end(struct conn *c, size_t *len)
{
	for (size_t i = c->start; i < c->end; i++) {
		if (c->buf[i] != '\n')
			continue;
		size_t j = i + 1;
		if (j < c->end && c->buf[j] == '\n') {
			*len = j + 1 - c->start;
			return c->buf + j + 1;
		}
		if (j + 1 < c->end && c->buf[j] == '\r' && c->buf[j + 1] == '\n') {
			*len = j + 2 - c->start;
			return c->buf + j + 2;
		}
	}
	return NULL;
}

static int is_tchar(int ch)
{
	/* RFC 9110 section 5.6.2 token characters */
	return isalnum(ch) || (ch && strchr("!#$%&'*+-.^_`|~", ch));
}

static void copy_field(char *dst, size_t dstsz, const char *v, size_t n)
{
	if (n >= dstsz)
		n = dstsz - 1;
	memcpy(dst, v, n);
	dst[n] = 0;
}

/* Does a comma-separated header value contain the token (case-insensitive)? */
static int has_token(const char *v, size_t n, const char *tok)
{
	size_t tl = strlen(tok);
	const char *p = v, *end = v + n;
	while (p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		const char *s = p;
		while (p < end && *p != ',')
			p++;
		const char *e = p;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - s) == tl && strncasecmp(s, tok, tl) == 0)
			return 1;
	}
	return 0;
}

/*
 * Request head parser (RFC 9112 sections 2-6).  States, one line at a time:
 *   request-line:  METHOD SP request-target SP HTTP/1.x CRLF
 *   field lines:   name ":" OWS value OWS CRLF, until an empty line
 * Framing is checked after the last field: both Content-Length and
 * Transfer-Encoding, repeated Content-Length, or a Transfer-Encoding other
 * than "chunked" alone are refused (RFC 9112 section 6.3; request
 * smuggling), and the connection is closed.
 */
static int parse_head(char *h, size_t len, struct request *rq)
{
	char *end = h + len;
	char *nl = memchr(h, '\n', len);
	size_t ll = (size_t)(nl - h);
	if (ll && h[ll - 1] == '\r')
		ll--;
	if (ll > HTTP_LINE_MAX - 1)
		return 414;
	/* request-line */
	char *sp1 = memchr(h, ' ', ll);
	if (!sp1 || sp1 == h || (size_t)(sp1 - h) >= sizeof rq->method)
		return sp1 && sp1 != h ? 501 : 400;
	for (char *p = h; p < sp1; p++)
		if (!is_tchar((unsigned char)*p))
			return 400;
	memcpy(rq->method, h, (size_t)(sp1 - h));
	rq->method[sp1 - h] = 0;
	char *tgt = sp1 + 1, *lend = h + ll;
	char *sp2 = memchr(tgt, ' ', (size_t)(lend - tgt));
	if (!sp2 || sp2 == tgt)
		return 400;
	size_t vl = (size_t)(lend - sp2 - 1);
	const char *ver = sp2 + 1;
	if (vl != 8 || memcmp(ver, "HTTP/", 5) != 0 || !isdigit((unsigned char)ver[5]) || ver[6] != '.' ||
	    !isdigit((unsigned char)ver[7]))
		return 400;
	if (ver[5] != '1')
		return 505;
	rq->http_minor = ver[7] - '0';
	size_t tl = (size_t)(sp2 - tgt);
	if (tl >= sizeof rq->target)
		return 414;
	for (size_t i = 0; i < tl; i++)
		if ((unsigned char)tgt[i] <= 0x20 || (unsigned char)tgt[i] >= 0x7f)
			return 400;
	memcpy(rq->target, tgt, tl);
	rq->target[tl] = 0;
	/* origin-form only (RFC 9112 section 3.2.1); absolute-form is for proxies */
	if (rq->target[0] != '/')
		return 400;
	size_t pl = strcspn(rq->target, "?#");
	memcpy(rq->path, rq->target, pl);
	rq->path[pl] = 0;

	rq->keep_alive = rq->http_minor >= 1;
	rq->content_length = -1;
	int ncl = 0, nte = 0, nfields = 0, nhost = 0;
	char *p = nl + 1;
	while (p < end) {
		char *e = memchr(p, '\n', (size_t)(end - p));
		size_t l = (size_t)(e - p);
		if (l && p[l - 1] == '\r')
			l--;
		if (l == 0)
			break;
		if (++nfields > HTTP_NHEADERS_MAX)
			return 431;
		/* no obs-fold (RFC 9112 section 5.2), no space before the colon */
		char *colon = memchr(p, ':', l);
		if (p[0] == ' ' || p[0] == '\t' || !colon || colon == p)
			return 400;
		for (char *q = p; q < colon; q++)
			if (!is_tchar((unsigned char)*q))
				return 400;
		size_t nlen = (size_t)(colon - p);
		char *v = colon + 1, *ve = p + l;
		while (v < ve && (*v == ' ' || *v == '\t'))
			v++;
		while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
			ve--;
		size_t vlen = (size_t)(ve - v);
		for (size_t i = 0; i < vlen; i++)
			if ((unsigned char)v[i] < 0x20 && v[i] != '\t')
				return 400;
#define NAME(s) (nlen == sizeof(s) - 1 && strncasecmp(p, s, nlen) == 0)
		if (NAME("Content-Length")) {
			ncl++;
			if (vlen == 0 || vlen > 18)
				return vlen ? 413 : 400;
			long long cl = 0;
			for (size_t i = 0; i < vlen; i++) {
				if (!isdigit((unsigned char)v[i]))
					return 400;
				cl = cl * 10 + (v[i] - '0');
			}
			rq->content_length = cl;
		} else if (NAME("Transfer-Encoding")) {
			nte++;
			if (!(vlen == 7 && strncasecmp(v, "chunked", 7) == 0))
				return 501;
			rq->chunked = 1;
		} else if (NAME("Connection")) {
			if (has_token(v, vlen, "close"))
				rq->keep_alive = 0;
			else if (has_token(v, vlen, "keep-alive") && rq->http_minor == 0)
				rq->keep_alive = 1;
		} else if (NAME("Expect")) {
			if (!(vlen == 12 && strncasecmp(v, "100-continue", 12) == 0))
				return 417;
			rq->expect_continue = 1;
		} else if (NAME("Host")) {
			nhost++;
			copy_field(rq->host, sizeof rq->host, v, vlen);
		} else if (NAME("Authorization"))
			copy_field(rq->authorization, sizeof rq->authorization, v, vlen);
		else if (NAME("Private-Token"))
			copy_field(rq->private_token, sizeof rq->private_token, v, vlen);
		else if (NAME("If-None-Match"))
			copy_field(rq->if_none_match, sizeof rq->if_none_match, v, vlen);
		else if (NAME("If-Modified-Since"))
			copy_field(rq->if_modified_since, sizeof rq->if_modified_since, v, vlen);
		else if (NAME("Range"))
			copy_field(rq->range, sizeof rq->range, v, vlen);
		else if (NAME("If-Range"))
			copy_field(rq->if_range, sizeof rq->if_range, v, vlen);
		else if (NAME("User-Agent"))
			copy_field(rq->user_agent, sizeof rq->user_agent, v, vlen);
#undef NAME
		p = e + 1;
	}
	/* RFC 9112 section 3.2: HTTP/1.1 requests carry exactly one Host */
	if (rq->http_minor >= 1 && nhost != 1)
		return 400;
	if (ncl > 1 || nte > 1 || (ncl && nte))
		return 400;
	if (rq->chunked && rq->http_minor == 0)
		return 400;
	return 0;
}

int http_read_request(struct conn *c, struct request *rq)
{
	char remote[sizeof rq->remote_addr];
	memcpy(remote, rq->remote_addr, sizeof remote);
	memset(rq, 0, sizeof *rq);
	memcpy(rq->remote_addr, remote, sizeof remote);
	rq->content_length = -1;
	c->remaining = 0;
	c->chunk_state = 2;
	c->body_error = 0;

	/* idle timeout until the first byte, then the read deadline for the head */
	int64_t deadline = now_ms() + (int64_t)c->idle_secs * 1000;
	int started = 0;
	size_t hlen;
	for (;;) {
		/* RFC 9112 section 2.2: ignore empty lines before a request-line */
		while (c->start < c->end && (c->buf[c->start] == '\r' || c->buf[c->start] == '\n') && !started)
			c->start++;
		if (c->start < c->end && !started) {
			started = 1;
			deadline = now_ms() + (int64_t)c->read_secs * 1000;
		}
		if (head_end(c, &hlen))
			break;
		size_t have = c->end - c->start;
		const char *nl = memchr(c->buf + c->start, '\n', have);
		if (!nl && have > HTTP_LINE_MAX)
			return 414;
		if (have > HTTP_HEADERS_MAX + HTTP_LINE_MAX - 1)
			return 431;
		ssize_t n = fill(c, deadline);
		if (n == 0 || n == -1)
			return started ? 400 : -1;
		if (n == -2)
			return started ? 408 : -1;
		if (n == -3)
			return 431;
	}
	char *h = c->buf + c->start;
	c->start += hlen;
	size_t first = (size_t)((char *)memchr(h, '\n', hlen) - h);
	if (hlen - first > HTTP_HEADERS_MAX)
		return 431;
	return parse_head(h, hlen, rq);
}

/* body reader: Content-Length or chunked, from the connection buffer */
static ssize_t take(struct conn *c, void *buf, size_t n, int *status)
{
	if (c->start == c->end) {
		ssize_t r = fill(c, now_ms() + (int64_t)c->read_secs * 1000);
		if (r <= 0) {
			*status = r == -2 ? 408 : 400;
			c->body_error = 1;
			return -1;
		}
	}
	size_t have = c->end - c->start;
	if (n > have)
		n = have;
	memcpy(buf, c->buf + c->start, n);
	c->start += n;
	return (ssize_t)n;
}

/* one line of chunked framing (size line or the CRLF after data) */
static int chunk_line(struct conn *c, char *line, size_t linesz, int *status)
{
	size_t o = 0;
	for (;;) {
		char ch;
		if (take(c, &ch, 1, status) < 0)
			return -1;
		if (ch == '\n')
			break;
		if (o + 1 >= linesz) {
			*status = 400;
			return -1;
		}
		line[o++] = ch;
	}
	if (o && line[o - 1] == '\r')
		o--;
	line[o] = 0;
	return 0;
}

static ssize_t body_read(void *ctx, void *buf, size_t n, int *status)
{
	struct conn *c = ctx;
	if (c->body_error) {
		*status = 400;
		return -1;
	}
	if (c->chunk_state == 2 && c->remaining == 0)
		return 0;
	if (c->send_continue) {
		/* the client waits for this before sending the body (RFC 9110
		 * section 10.1.1); it is sent only once we want the body */
		c->send_continue = 0;
		if (http_write_continue(c->out) < 0) {
			*status = 500;
			goto bad;
		}
		c->continue_sent = 1;
	}
	if (c->chunk_state == 0) {
		/* chunk-size [ chunk-ext ] CRLF (RFC 9112 section 7.1) */
		char line[256];
		if (chunk_line(c, line, sizeof line, status) < 0)
			goto bad;
		char *p = line;
		long long sz = 0;
		int digits = 0;
		while (isxdigit((unsigned char)*p)) {
			if (++digits > 15)
				goto bad400;
			sz = sz * 16 + (isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10));
			p++;
		}
		if (!digits || (*p && *p != ';' && *p != ' ' && *p != '\t'))
			goto bad400;
		if (sz == 0) {
			/* trailer section: lines until an empty one */
			for (;;) {
				if (chunk_line(c, line, sizeof line, status) < 0)
					goto bad;
				if (!line[0])
					break;
			}
			c->chunk_state = 2;
			c->remaining = 0;
			return 0;
		}
		if (c->body_total + sz > c->body_max) {
			*status = 413;
			goto bad;
		}
		c->remaining = sz;
		c->chunk_state = 1;
	}
	if ((long long)n > c->remaining)
		n = (size_t)c->remaining;
	ssize_t got = take(c, buf, n, status);
	if (got < 0)
		goto bad;
	c->remaining -= got;
	c->body_total += got;
	if (c->chunk_state == 1 && c->remaining == 0) {
		char line[8];
		if (chunk_line(c, line, sizeof line, status) < 0)
			goto bad;
		if (line[0])
			goto bad400;
		c->chunk_state = 0;
	}
	return got;
bad400:
	*status = 400;
bad:
	c->body_error = 1;
	return -1;
}

void http_body_attach(struct conn *c, struct request *rq, long long max)
{
	c->body_total = 0;
	c->body_max = max;
	c->send_continue = rq->expect_continue;
	c->continue_sent = 0;
	if (rq->chunked) {
		c->chunk_state = 0;
		c->remaining = 0;
	} else {
		c->chunk_state = 2;
		c->remaining = rq->content_length > 0 ? rq->content_length : 0;
	}
	rq->body.read = body_read;
	rq->body.ctx = c;
}

int http_body_drain(struct conn *c)
{
	static char sink[16384];
	int status;
	if (c->body_error)
		return -1;
	/* a client that still waits for 100 Continue sends no body: the
	 * final status answers it (RFC 9110 section 10.1.1), nothing to drain */
	if (c->send_continue) {
		c->send_continue = 0;
		c->chunk_state = 2;
		c->remaining = 0;
		return -1;
	}
	/* a large unread body is not worth reading just to keep the connection */
	if (c->chunk_state == 2 && c->remaining > (1 << 20))
		return -1;
	for (int i = 0; i < 1024; i++) {
		ssize_t r = body_read(c, sink, sizeof sink, &status);
		if (r == 0)
			return 0;
		if (r < 0)
			return -1;
	}
	return -1;
}

/* Does an If-None-Match list match the etag (weak comparison, RFC 9110
 * section 13.1.2)? */
static int etag_match(const char *list, const char *etag)
{
	if (!etag[0])
		return 0;
	if (strcmp(list, "*") == 0)
		return 1;
	size_t el = strlen(etag);
	const char *p = list;
	while (*p) {
		while (*p == ' ' || *p == ',' || *p == '\t')
			p++;
		if (strncmp(p, "W/", 2) == 0)
			p += 2;
		if (strncmp(p, etag, el) == 0 && (p[el] == 0 || p[el] == ',' || p[el] == ' ' || p[el] == '\t'))
			return 1;
		while (*p && *p != ',')
			p++;
	}
	return 0;
}

/* bytes=FIRST-LAST | bytes=FIRST- | bytes=-SUFFIX; one range only */
static int parse_range(const char *s, off_t size, off_t *off, off_t *len)
{
	if (strncasecmp(s, "bytes=", 6) != 0)
		return -1;
	s += 6;
	if (strchr(s, ','))
		return -1; /* multiple ranges: serve the whole file */
	char *e;
	if (*s == '-') {
		long long suf = strtoll(s + 1, &e, 10);
		if (*e || e == s + 1 || suf <= 0)
			return suf == 0 && !*e && e != s + 1 ? -2 : -1;
		if (suf > size)
			suf = size;
		*off = size - suf;
		*len = suf;
		return size ? 0 : -2;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	long long first = strtoll(s, &e, 10), last = size - 1;
	if (*e != '-')
		return -1;
	if (e[1]) {
		char *e2;
		if (!isdigit((unsigned char)e[1]))
			return -1;
		last = strtoll(e + 1, &e2, 10);
		if (*e2 || last < first)
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
	if (r->status != 200 || (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0))
		return;
	/* RFC 9110 section 13.2.2: If-None-Match wins over If-Modified-Since */
	int not_modified = 0;
	if (rq->if_none_match[0])
		not_modified = etag_match(rq->if_none_match, r->etag);
	else if (rq->if_modified_since[0] && r->last_modified) {
		int64_t t = time_http_parse(rq->if_modified_since);
		not_modified = t >= 0 && r->last_modified <= t;
	}
	if (not_modified) {
		r->status = 304;
		if (r->fd >= 0)
			close(r->fd);
		r->fd = -1;
		r->mem_len = 0;
		return;
	}
	if (!rq->range[0] || r->fd < 0 || strcmp(rq->method, "GET") != 0)
		return;
	if (rq->if_range[0]) {
		/* If-Range with an entity-tag needs a strong match; with a date,
		 * the exact Last-Modified (RFC 9110 section 13.1.5) */
		int ok;
		if (rq->if_range[0] == '"')
			ok = r->etag[0] && strcmp(rq->if_range, r->etag) == 0;
		else
			ok = r->last_modified && time_http_parse(rq->if_range) == r->last_modified;
		if (!ok)
			return;
	}
	off_t off, len;
	int pr = parse_range(rq->range, r->file_size, &off, &len);
	if (pr == -1)
		return;
	if (pr == -2) {
		close(r->fd);
		r->fd = -1;
		r->status = 416;
		return;
	}
	r->status = 206;
	r->file_off = off;
	r->file_len = len;
}

int http_write_continue(int fd)
{
	static const char msg[] = "HTTP/1.1 100 Continue\r\n\r\n";
	return write_all(fd, msg, sizeof msg - 1);
}

int http_write_reply(int fd, const struct request *rq, const struct reply *r, int cgi, int64_t now)
{
	struct buf h = {0};
	char date[40];
	int bodyless = r->status == 204 || r->status == 304 || (r->status >= 100 && r->status < 200);
	long long clen = r->fd >= 0 ? (long long)r->file_len : (long long)r->mem_len;
	if (r->status == 416 || r->status == 304)
		clen = 0;
	if (cgi)
		buf_printf(&h, "Status: %d %s\r\n", r->status, http_reason(r->status));
	else {
		time_http(now, date);
		buf_printf(&h, "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: goreg\r\n", r->status, http_reason(r->status),
		           date);
	}
	if (r->content_type && !bodyless)
		buf_printf(&h, "Content-Type: %s\r\n", r->content_type);
	if (!bodyless)
		buf_printf(&h, "Content-Length: %lld\r\n", clen);
	if (r->etag[0])
		buf_printf(&h, "ETag: %s\r\n", r->etag);
	if (r->last_modified) {
		time_http(r->last_modified, date);
		buf_printf(&h, "Last-Modified: %s\r\n", date);
	}
	if (r->cache_control)
		buf_printf(&h, "Cache-Control: %s\r\n", r->cache_control);
	if (r->fd >= 0 || r->status == 416) {
		buf_printf(&h, "Accept-Ranges: bytes\r\n");
		if (r->status == 206)
			buf_printf(&h, "Content-Range: bytes %lld-%lld/%lld\r\n", (long long)r->file_off,
			           (long long)(r->file_off + r->file_len - 1), (long long)r->file_size);
		else if (r->status == 416)
			buf_printf(&h, "Content-Range: bytes */%lld\r\n", (long long)r->file_size);
	}
	if (r->allow)
		buf_printf(&h, "Allow: %s\r\n", r->allow);
	if (r->www_authenticate)
		buf_printf(&h, "WWW-Authenticate: Basic realm=\"goreg\"\r\n");
	if (!cgi)
		buf_printf(&h, "Connection: %s\r\n", rq->keep_alive ? "keep-alive" : "close");
	if (buf_puts(&h, "\r\n") < 0) {
		buf_free(&h);
		return -1;
	}
	int head = strcmp(rq->method, "HEAD") == 0;
	int rc = 0;
	if (bodyless || head || clen == 0 || r->fd >= 0) {
		rc = write_all(fd, h.p, h.len);
	} else {
		rc = buf_add(&h, r->mem, r->mem_len) < 0 ? -1 : write_all(fd, h.p, h.len);
	}
	buf_free(&h);
	if (rc < 0 || bodyless || head || r->fd < 0 || r->status == 416)
		return rc;
	off_t off = r->file_off;
	off_t left = r->file_len;
	while (left > 0) {
		ssize_t n = sendfile(fd, r->fd, &off, (size_t)(left > (1 << 30) ? (1 << 30) : left));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* the output is not something sendfile can write to */
			char b[65536];
			ssize_t rd = pread(r->fd, b, (size_t)(left < (off_t)sizeof b ? left : (off_t)sizeof b), off);
			if (rd <= 0 || write_all(fd, b, (size_t)rd) < 0)
				return -1;
			off += rd;
			left -= rd;
			continue;
		}
		if (n <= 0)
			return -1;
		left -= n;
	}
	return 0;
}
