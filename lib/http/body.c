/* Request bodies for goreg-httpd: Content-Length and chunked (RFC 9112
 * sections 6 and 7), 100-continue, draining what an operation left unread,
 * and the lingering close. */
#include "http/http.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/field.h"

void http_body_rate_init(struct body_rate *br)
{
	br->min_rate = HTTP_BODY_MIN_RATE;
	const char *e = getenv("GOREG_BODY_MIN_RATE");
	if (e && *e) {
		char *end;
		errno = 0;
		long long v = strtoll(e, &end, 10);
		if (!errno && !*end && v >= 0 && v <= HTTP_BODY_RATE_MAX)
			br->min_rate = v;
	}
	br->grace_ms = (int64_t)field_env_secs("GOREG_BODY_GRACE", HTTP_BODY_GRACE_SECS) * 1000;
	br->start_ms = 0;
}

/* Apache's mod_reqtimeout has the same rule (MinRate): the time allowed
 * grows by one second for every min_rate bytes received. */
int64_t http_body_deadline(struct body_rate *br, long long got, int read_secs)
{
	int64_t now = conn_now_ms();
	if (br->start_ms == 0)
		br->start_ms = now;
	int64_t dl = now + (int64_t)read_secs * 1000;
	if (br->min_rate > 0) {
		int64_t owed = br->start_ms + br->grace_ms + (int64_t)got * 1000 / br->min_rate;
		if (owed < dl)
			dl = owed;
	}
	return dl > now ? dl : now + 1;
}

/* Body bytes: first what is buffered, then straight from the input into
 * the caller's buffer (a large upload does not pass through ours). */
static ssize_t conn_read(struct conn *c, void *buf, size_t n, int *status)
{
	if (c->start < c->end) {
		size_t have = c->end - c->start;
		if (n > have)
			n = have;
		memcpy(buf, c->buf + c->start, n);
		c->start += n;
		return (ssize_t)n;
	}
	for (;;) {
		int w = conn_wait_in(c, http_body_deadline(&c->rate, c->body_total, c->read_secs));
		if (w <= 0) {
			*status = w == 0 ? 408 : 400;
			return -1;
		}
		ssize_t r = read(c->in, buf, n);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r > 0)
			return r;
		*status = 400; /* the client closed inside the body */
		return -1;
	}
}

/* One CRLF-terminated line of chunked framing, at most max bytes: returns
 * its length and sets *line (NUL-terminated, in the buffer), or -1. */
static ssize_t frame_line(struct conn *c, size_t max, char **line, int *status)
{
	for (;;) {
		char *b = c->buf + c->start;
		size_t n = c->end - c->start;
		char *nl = memchr(b, '\n', n);
		if (nl) {
			size_t l = (size_t)(nl - b);
			/* strict CRLF here too: lenient chunk parsing is the
			 * classic smuggling vector; and no NUL, which would end
			 * the line early for chunk_size ("0\0junk" read as 0) */
			if (l == 0 || l > max + 1 || b[l - 1] != '\r' || memchr(b, '\r', l - 1) ||
			    memchr(b, '\0', l - 1)) {
				*status = 400;
				return -1;
			}
			b[l - 1] = 0;
			c->start += l + 1;
			*line = b;
			return (ssize_t)(l - 1);
		}
		/* max bytes and the CR may be here without the LF yet */
		if (n > max + 1) {
			*status = 400;
			return -1;
		}
		ssize_t r = conn_fill(c, http_body_deadline(&c->rate, c->body_total, c->read_secs));
		if (r <= 0) {
			*status = r == -2 ? 408 : 400;
			return -1;
		}
	}
}

/* chunk-size [ chunk-ext ] (RFC 9112 section 7.1): hex digits, then
 * nothing or BWS ";" and extensions (ignored).  -1 if malformed. */
static long long chunk_size(const char *s)
{
	long long sz = 0;
	int sig = 0;
	const char *p = s;
	for (; *p; p++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0'
		      : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
		      : *p >= 'A' && *p <= 'F' ? *p - 'A' + 10 : -1;
		if (d < 0)
			break;
		if ((sz || d) && ++sig > 15)
			return -1; /* beyond any body we accept; no overflow */
		sz = sz * 16 + d;
	}
	if (p == s)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p && *p != ';')
		return -1;
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return -1;
	return sz;
}

static ssize_t body_read(void *ctx, void *buf, size_t n, int *status)
{
	struct conn *c = ctx;
	if (c->body_error) {
		*status = c->body_error;
		return -1;
	}
	if (c->chunk_state == 2 && c->remaining == 0)
		return 0;
	if (c->send_continue) {
		/* the client holds the body back until it sees this (RFC 9110
		 * section 10.1.1); sent only once the body is wanted, so an
		 * early refusal (401, 413, ...) goes out without it */
		c->send_continue = 0;
		if (http_write_continue(c->out, c->write_secs) < 0) {
			*status = 500;
			goto bad;
		}
	}
	if (c->rate.start_ms == 0)
		c->rate.start_ms = conn_now_ms();
	char *line;
	if (c->chunk_state == 0) {
		if (frame_line(c, HTTP_CHUNK_LINE_MAX, &line, status) < 0)
			goto bad;
		long long sz = chunk_size(line);
		if (sz < 0)
			goto bad400;
		if (sz == 0) {
			/* the trailer section: field lines until an empty one,
			 * read and dropped (RFC 9112 section 7.1.2) */
			size_t total = 0;
			ssize_t l;
			while ((l = frame_line(c, HTTP_HEADERS_MAX, &line, status)) != 0) {
				if (l < 0)
					goto bad;
				total += (size_t)l + 2;
				if (total > HTTP_HEADERS_MAX || line[0] == ' ' || line[0] == '\t' ||
				    !strchr(line, ':')) {
					*status = total > HTTP_HEADERS_MAX ? 431 : 400;
					goto bad;
				}
			}
			c->chunk_state = 2;
			return 0;
		}
		if (sz > c->body_max - c->body_total) {
			*status = 413;
			goto bad;
		}
		c->remaining = sz;
		c->chunk_state = 1;
	}
	if ((long long)n > c->remaining)
		n = (size_t)c->remaining;
	ssize_t got = conn_read(c, buf, n, status);
	if (got < 0)
		goto bad;
	c->remaining -= got;
	c->body_total += got;
	if (c->chunk_state == 1 && c->remaining == 0) {
		ssize_t l = frame_line(c, 2, &line, status);
		if (l < 0)
			goto bad;
		if (l != 0)
			goto bad400;
		c->chunk_state = 0;
	}
	return got;
bad400:
	*status = 400;
bad:
	c->body_error = *status;
	return -1;
}

void http_body_attach(struct conn *c, struct request *rq)
{
	c->body_total = 0;
	c->body_error = 0;
	c->chunked = rq->chunked;
	c->send_continue = rq->expect_continue;
	c->chunk_state = rq->chunked ? 0 : 2;
	c->rate.start_ms = 0;
	c->remaining = !rq->chunked && rq->content_length > 0 ? rq->content_length : 0;
	rq->body.read = body_read;
	rq->body.ctx = c;
}

int http_body_drain(struct conn *c)
{
	char sink[16384];
	int status;
	if (c->body_error)
		return -1;
	/* A client that waits for 100 Continue may send the body anyway after
	 * a while, or not: the framing of what follows is unknowable, so the
	 * connection ends (RFC 9110 section 10.1.1). */
	if (c->send_continue)
		return -1;
	if (!c->chunked && c->remaining > HTTP_DRAIN_MAX)
		return -1;
	long long before = c->body_total;
	for (;;) {
		ssize_t r = body_read(c, sink, sizeof sink, &status);
		if (r == 0)
			return 0;
		if (r < 0 || c->body_total - before > HTTP_DRAIN_MAX)
			return -1;
	}
}

void http_linger_close(struct conn *c)
{
	if (shutdown(c->out, SHUT_WR) < 0)
		return; /* not a socket: nothing can reset it */
	char sink[FILE_PATH_MAX];
	int64_t deadline = conn_now_ms() + HTTP_LINGER_SECS * 1000;
	while (conn_wait_in(c, deadline) > 0) {
		ssize_t n = read(c->in, sink, sizeof sink);
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			return;
	}
}
