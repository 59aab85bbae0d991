/* The connection (deadlines on every wait) and the request-head parser of
 * goreg-httpd (RFC 9112 sections 2-6); bodies are in body.c. */
#include "http/http.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "http/field.h"

int http_nonblock(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	if (!(fl & O_NONBLOCK) != !on && fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK) < 0)
		return -1;
	return (fl & O_NONBLOCK) != 0;
}

void conn_init(struct conn *c, int in, int out)
{
	memset(c, 0, sizeof *c);
	c->in = in;
	c->out = out;
	c->idle_secs = field_env_secs("GOREG_IDLE_TIMEOUT", HTTP_IDLE_SECS);
	c->read_secs = field_env_secs("GOREG_READ_TIMEOUT", HTTP_READ_SECS);
	c->write_secs = field_env_secs("GOREG_WRITE_TIMEOUT", HTTP_WRITE_SECS);
	c->body_max = MODZIP_MAX_ZIP;
	http_body_rate_init(&c->rate);
	c->chunk_state = 2;
	/* Every wait has a deadline, so that a client that stops sending or
	 * reading cannot hold the process.  On a socket the wait for a
	 * request's first byte is a blocking read that SO_RCVTIMEO ends after
	 * the idle timeout (a keep-alive request then costs no poll(2)), and
	 * the writers never block on a socket (write.c).  Other descriptors
	 * (pipes) are made non-blocking, and every wait on them is a poll. */
	struct timeval idle = {.tv_sec = c->idle_secs};
	c->blocking = setsockopt(in, SOL_SOCKET, SO_RCVTIMEO, &idle, sizeof idle) == 0;
	http_nonblock(in, !c->blocking);
	/* replies leave in one write, or corked with MSG_MORE ahead of a
	 * sendfile: waiting for the peer's delayed ACK only adds latency */
	int one = 1;
	if (setsockopt(out, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0 && errno == ENOTSOCK &&
	    out != in)
		http_nonblock(out, 1); /* not a socket (else not TCP: no Nagle to turn off) */
}

int64_t conn_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int conn_wait_in(struct conn *c, int64_t deadline)
{
	for (;;) {
		int64_t left = deadline - conn_now_ms();
		if (left <= 0)
			return 0;
		struct pollfd p = {.fd = c->in, .events = POLLIN};
		int r = poll(&p, 1, (int)(left > 60000 ? 60000 : left));
		if (r < 0 && errno != EINTR)
			return -1;
		if (r > 0)
			return 1;
	}
}

/* Make room at the end of the buffer: -1 if there is none. */
static int conn_room(struct conn *c)
{
	if (c->start == c->end)
		c->start = c->end = 0;
	else if (c->end == sizeof c->buf) {
		memmove(c->buf, c->buf + c->start, c->end - c->start);
		c->end -= c->start;
		c->start = 0;
	}
	return c->end == sizeof c->buf ? -1 : 0; /* callers keep less; never -1 */
}

ssize_t conn_fill(struct conn *c, int64_t deadline)
{
	if (conn_room(c) < 0)
		return -1;
	for (;;) {
		int w = conn_wait_in(c, deadline);
		if (w <= 0)
			return w == 0 ? -2 : -1;
		ssize_t n = read(c->in, c->buf + c->end, sizeof c->buf - c->end);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n > 0)
			c->end += (size_t)n;
		return n < 0 ? -1 : n;
	}
}

/* The wait for a request's first byte (the idle timeout), as conn_fill.
 * On a blocking socket it is the read itself, which SO_RCVTIMEO ends
 * after idle_secs; a signal (the store's SIGIO) ends it early, and the
 * rest of the wait is a poll. */
static ssize_t conn_fill_idle(struct conn *c, int64_t deadline)
{
	if (!c->blocking)
		return conn_fill(c, deadline);
	if (conn_room(c) < 0)
		return -1;
	ssize_t n = read(c->in, c->buf + c->end, sizeof c->buf - c->end);
	if (n < 0 && errno == EINTR)
		return conn_fill(c, deadline);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return -2;
	if (n > 0)
		c->end += (size_t)n;
	return n < 0 ? -1 : n;
}

static int fail(struct conn *c, int status, const char *why)
{
	c->why = why;
	return status;
}

/* RFC 9110 section 5.6.2 token characters: one load per byte of each
 * field name */
static const unsigned char tchar[256] = {
	['0' ... '9'] = 1, ['A' ... 'Z'] = 1, ['a' ... 'z'] = 1,
	['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1,
	['-'] = 1, ['.'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1, ['~'] = 1,
};

/* Is p[0, end) all token characters? */
static int all_tchar(const char *p, const char *end)
{
	for (; p < end; p++)
		if (!tchar[(unsigned char)*p])
			return 0;
	return 1;
}

int http_method_known(const char *m)
{
	static const char *const known[] = {"GET", "HEAD", "PUT", "DELETE", "POST",
	                                    "OPTIONS", "PATCH", "TRACE", "CONNECT"};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcmp(m, known[i]) == 0)
			return 1;
	return 0;
}

/* Tests of the eight bytes of a word at once, exact as to whether one of
 * them is so (not as to which): one below n (n <= 128), one above n
 * (n < 128), one equal to c. */
static int has_below(uint64_t w, unsigned n)
{
	return word_bytes_below(w, n) != 0;
}

static int has_above(uint64_t w, unsigned n)
{
	return (((w + WORD_BYTES(127 - n)) | w) & WORD_BYTES(0x80)) != 0;
}

static int has_byte(uint64_t w, unsigned c)
{
	return has_below(w ^ WORD_BYTES(c), 1);
}

/*
 * Find the end of the request head in buf[start, end), resuming at c->scan.
 * Lines end in CRLF.  A bare LF or a bare CR is an error: RFC 9112 section
 * 2.2 lets a recipient accept a bare LF, but goreg does not, because two
 * parsers that disagree on where a line ends are what request smuggling
 * exploits.  Returns 1 with *hlen set, 0 when more bytes are needed, or an
 * error status: 400, 414 (request-line longer than HTTP_LINE_MAX - 1
 * bytes), 431 (header section longer than HTTP_HEADERS_MAX bytes).
 */
static int scan_head(struct conn *c, size_t *hlen)
{
	const char *b = c->buf + c->start;
	size_t n = c->end - c->start;
	for (size_t i = c->scan; i < n; i++) {
		/* past the bytes above CR (most of a head): eight at a time
		 * while none of them is below 0x0e, then to the first that is
		 * (word_bytes_below's lowest flag is exact; one compare each
		 * where the bytes are not little-endian) */
		for (uint64_t w, z; n - i >= 8; i += 8) {
			memcpy(&w, b + i, 8);
			if ((z = word_bytes_below(w, 0x0e))) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				i += (size_t)__builtin_ctzll(z) / 8;
#endif
				break;
			}
		}
		while (i < n && (unsigned char)b[i] > '\r')
			i++;
		if (i == n)
			break;
		if (b[i] == '\r') {
			if (i + 1 == n) {
				c->scan = i; /* see what follows first */
				goto more;
			}
			if (b[i + 1] != '\n')
				return fail(c, 400, "bare CR in the request head");
			continue;
		}
		if (b[i] != '\n')
			continue;
		if (i == 0 || b[i - 1] != '\r')
			return fail(c, 400, "bare LF in the request head: lines end in CRLF");
		if (!c->line1) {
			if (i - 1 > HTTP_LINE_MAX - 1)
				return fail(c, 414, "request line too long");
			c->line1 = i + 1;
		} else {
			if (i + 1 - c->line1 > HTTP_HEADERS_MAX)
				return fail(c, 431, "request header section too large");
			if (i + 1 - c->linestart == 2) {
				*hlen = i + 1;
				return 1;
			}
		}
		c->linestart = i + 1;
	}
	c->scan = n;
more:
	if (!c->line1 && n > HTTP_LINE_MAX + 1)
		return fail(c, 414, "request line too long");
	if (c->line1 && n - c->line1 > HTTP_HEADERS_MAX)
		return fail(c, 431, "request header section too large");
	return 0;
}

/* Is tok one of the elements of a comma-separated list (RFC 9110 section
 * 5.6.1), ignoring case? */
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

/* Transfer-Encoding (RFC 9112 section 6.1): a list of codings, of which
 * goreg implements only chunked.  te[0] counts chunked, te[1] other
 * codings, te[2] is whether the last coding so far is chunked. */
static int transfer_coding(struct conn *c, const char *v, size_t n, int te[3])
{
	const char *p = v, *end = v + n;
	while (p < end) {
		const char *s = p;
		while (p < end && *p != ',')
			p++;
		const char *e = p++;
		while (s < e && (*s == ' ' || *s == '\t'))
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (s == e)
			continue; /* empty list elements do not count */
		if (!all_tchar(s, e))
			return fail(c, 400, "malformed Transfer-Encoding");
		int ch = e - s == 7 && strncasecmp(s, "chunked", 7) == 0;
		te[ch ? 0 : 1]++;
		te[2] = ch;
	}
	return 0;
}

/* Host (RFC 9110 section 7.2): uri-host [ ":" port ], possibly empty */
static int host_ok(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ch = (unsigned char)v[i];
		/* letters, digits, '.', '-' and ':', nearly every host, at once */
		if ((unsigned)((ch | 0x20) - 'a') < 26 || (unsigned)(ch - '0') < 10 || ch == '.' || ch == '-' ||
		    ch == ':')
			continue;
		if (!(tchar[ch] || ch == ':' || ch == '[' || ch == ']' || ch == '(' || ch == ')' ||
		      ch == ',' || ch == ';' || ch == '=') ||
		    ch == '^' || ch == '`' || ch == '|' || ch == '#')
			return 0;
	}
	return 1;
}

/* An absolute-form target (RFC 9112 section 3.2.2), "http://" or
 * "https://" (the scheme in any case), then an authority: its length, with
 * the authority (host and port, what a Host field holds) at *auth; else 0. */
static size_t absolute_form(const char *t, size_t n, const char **auth)
{
	size_t sl = n > 7 && strncasecmp(t, "http://", 7) == 0 ? 7 : n > 8 && strncasecmp(t, "https://", 8) == 0 ? 8 : 0;
	if (!sl)
		return 0;
	size_t e = sl;
	while (e < n && t[e] != '/' && t[e] != '?')
		e++;
	*auth = t + sl;
	return e;
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112
 * section 3), the line h[0, ll); an absolute-form target's authority is
 * copied into auth[sizeof rq->host], else auth[0] is 0 */
static int parse_request_line(struct conn *c, char *h, size_t ll, struct request *rq, char *auth)
{
	char *sp1 = (char *)find_byte(h, ' ', ll);
	if (!sp1 || sp1 == h)
		return fail(c, 400, "malformed request line");
	if (!all_tchar(h, sp1))
		return fail(c, 400, "malformed request method");
	if ((size_t)(sp1 - h) >= sizeof rq->method)
		return fail(c, 501, "request method not implemented");
	memcpy(rq->method, h, (size_t)(sp1 - h));
	char *tgt = sp1 + 1, *lend = h + ll;
	char *sp2 = (char *)find_byte(tgt, ' ', (size_t)(lend - tgt));
	if (!sp2 || sp2 == tgt)
		return fail(c, 400, "malformed request line");
	/* A server must take absolute-form too, and then its authority, not
	 * Host, names the host (RFC 9112 sections 3.2.2 and 7.2); what
	 * follows it is the origin-form's path and query, "/" for an empty
	 * path (RFC 3986 section 6.2.3), written over the authority's last
	 * byte once it is copied */
	const char *a;
	size_t al = absolute_form(tgt, (size_t)(sp2 - tgt), &a);
	auth[0] = 0;
	if (al) {
		size_t hl = al - (size_t)(a - tgt);
		if (hl == 0 || hl >= sizeof rq->host || !host_ok(a, hl))
			return fail(c, 400, "malformed authority in the request target");
		memcpy(auth, a, hl);
		auth[hl] = 0;
		tgt += al;
		if (tgt == sp2 || *tgt == '?')
			*--tgt = '/';
	}
	/* checked, copied and its path's end found in one pass: eight bytes
	 * at a time while none is out of range, '#' or '?', then one each */
	size_t tl = (size_t)(sp2 - tgt), pl = tl, i = 0;
	for (uint64_t w; tl - i >= 8; i += 8) {
		memcpy(&w, tgt + i, 8);
		if (has_below(w, 0x21) || has_above(w, 0x7e) || has_byte(w, '#') || has_byte(w, '?'))
			break;
		memcpy(rq->target + i, &w, 8);
	}
	for (; i < tl; i++) {
		unsigned char ch = (unsigned char)tgt[i];
		if (ch <= 0x20 || ch >= 0x7f || ch == '#') {
			rq->target[0] = 0;
			return fail(c, 400, "invalid character in the request target");
		}
		if (ch == '?' && pl == tl)
			pl = i;
		rq->target[i] = (char)ch;
	}
	/* origin-form only (RFC 9112 section 3.2.1): absolute-form is for
	 * proxies, asterisk-form for OPTIONS *, authority-form for CONNECT */
	if (tgt[0] != '/') {
		rq->target[0] = 0;
		return fail(c, 400, "request target must be a path");
	}
	rq->target[tl] = 0;
	memcpy(rq->path, rq->target, pl);
	rq->path[pl] = 0;
	const char *ver = sp2 + 1;
	if (lend - ver != 8 || memcmp(ver, "HTTP/", 5) != 0 || ver[5] < '0' || ver[5] > '9' ||
	    ver[6] != '.' || ver[7] < '0' || ver[7] > '9')
		return fail(c, 400, "malformed HTTP version");
	rq->http_minor = ver[7] - '0';
	if (ver[5] != '1')
		return fail(c, 505, "only HTTP/1.x is served");
	if (!http_method_known(rq->method))
		return fail(c, 501, "request method not implemented");
	rq->keep_alive = rq->http_minor >= 1;
	return 0;
}

/* What the field lines said about framing, checked once all are read. */
struct framing {
	unsigned seen;          /* field_defs entries seen, by index */
	int cl, tenc;           /* Content-Length, Transfer-Encoding seen */
	int te[3];              /* transfer_coding's counts */
	int expect;
};

/* One field line: name ":" OWS value OWS (RFC 9112 section 5), the
 * fields with framing meaning by hand, the kept ones by field_defs. */
static int parse_field(struct conn *c, char *p, size_t l, struct request *rq, struct framing *fr)
{
	int r;
	if (p[0] == ' ' || p[0] == '\t')
		return fail(c, 400, "obsolete line folding in the request head");
	char *colon = (char *)find_byte(p, ':', l);
	if (!colon || colon == p)
		return fail(c, 400, "malformed header field");
	if (!all_tchar(p, colon))
		return fail(c, 400, "malformed header field name");
	size_t nlen = (size_t)(colon - p);
	char *v = colon + 1, *ve = p + l;
	while (v < ve && (*v == ' ' || *v == '\t'))
		v++;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	size_t vlen = (size_t)(ve - v);
	/* field-value: VCHAR, obs-text, SP, HTAB (RFC 9110 section 5.5); the
	 * words without a byte below SP or a DEL passed whole */
	size_t i = 0;
	for (uint64_t w; vlen - i >= 8; i += 8) {
		memcpy(&w, v + i, 8);
		if (has_below(w, 0x20) || has_byte(w, 0x7f))
			break;
	}
	for (; i < vlen; i++) {
		unsigned char ch = (unsigned char)v[i];
		if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
			return fail(c, 400, "control character in a header field");
	}
/* the first letters compared first: most names differ there */
#define NAME(s) (nlen == sizeof(s) - 1 && (p[0] | 0x20) == (s[0] | 0x20) && strncasecmp(p, s, nlen) == 0)
	if (NAME("Content-Length")) {
		if (fr->cl)
			return fail(c, 400, "repeated Content-Length");
		fr->cl = 1;
		/* 1*DIGIT; "5, 5" is refused too */
		if (field_length(v, vlen, c->body_max, &rq->content_length) < 0)
			return fail(c, 400, "malformed Content-Length");
	} else if (NAME("Transfer-Encoding")) {
		fr->tenc = 1;
		if ((r = transfer_coding(c, v, vlen, fr->te)))
			return r;
	} else if (NAME("Connection")) {
		if (has_token(v, vlen, "close"))
			rq->keep_alive = 0;
		else if (rq->http_minor == 0 && has_token(v, vlen, "keep-alive"))
			rq->keep_alive = 1;
	} else if (NAME("Expect")) {
		/* RFC 9110 section 10.1.1: the only expectation is
		 * 100-continue, to be ignored from an HTTP/1.0 client */
		if (!(vlen == 12 && strncasecmp(v, "100-continue", 12) == 0))
			return fail(c, 417, "unsupported expectation");
		fr->expect = rq->http_minor >= 1;
	} else {
		const struct field_def *f = field_find(p, nlen);
		if (!f)
			return 0;
		/* a Range goreg cannot hold is one it may ignore, as if absent */
		if (f->keep == FIELD_OR_IGNORE && vlen >= f->size)
			return 0;
		int host = f->off == offsetof(struct request, host);
		unsigned bit = 1u << (f - field_defs);
		if (f->unique && (fr->seen & bit))
			return fail(c, 400, host ? "repeated Host" : "repeated header field");
		fr->seen |= bit;
		if (host && !host_ok(v, vlen))
			return fail(c, 400, "malformed Host");
		const char *why;
		if ((r = field_store(f, rq, v, vlen, &why)))
			return fail(c, r, why);
	}
#undef NAME
	return 0;
}

/*
 * Parse a complete head h[0, hlen) (every line ends in CRLF, checked by
 * scan_head; line1 is where the field lines start) into rq.  States:
 *   request-line   method SP request-target SP HTTP-version   (RFC 9112 3)
 *   field lines    name ":" OWS value OWS, until the empty line (RFC 9112 5)
 *   framing        checked once all fields are known          (RFC 9112 6)
 * Framing that two parsers could read differently is refused with 400 and
 * the connection closed: Content-Length together with Transfer-Encoding,
 * Content-Length twice or as a list, a Transfer-Encoding whose last coding
 * is not chunked or that has chunked twice, Transfer-Encoding in HTTP/1.0,
 * obs-fold (RFC 9112 section 5.2), whitespace before a colon (section 5.1).
 */
static int parse_head(struct conn *c, char *h, size_t hlen, size_t line1, struct request *rq)
{
	char auth[sizeof rq->host];
	int r = parse_request_line(c, h, line1 - 2, rq, auth);
	if (r)
		return r;
	struct framing fr = {0};
	int nfields = 0;
	char *p = h + line1, *end = h + hlen - 2;
	while (p < end) {
		char *e = (char *)find_byte(p, '\r', (size_t)(end - p)); /* scan_head: CRLF */
		if (++nfields > HTTP_NHEADERS_MAX)
			return fail(c, 431, "too many header fields");
		if ((r = parse_field(c, p, (size_t)(e - p), rq, &fr)))
			return r;
		p = e + 2;
	}
	/* RFC 9112 section 3.2: an HTTP/1.1 request carries exactly one Host */
	static unsigned host_bit; /* its field_defs entry's, found once */
	if (!host_bit)
		host_bit = 1u << (field_find("Host", 4) - field_defs);
	if (rq->http_minor >= 1 && !(fr.seen & host_bit))
		return fail(c, 400, "missing Host");
	if (auth[0])
		copy_cut(rq->host, sizeof rq->host, auth, strlen(auth));
	if (fr.tenc) {
		/* RFC 9112 section 6.3 items 3 and 4, section 6.1 */
		if (fr.cl)
			return fail(c, 400, "both Content-Length and Transfer-Encoding");
		if (rq->http_minor == 0)
			return fail(c, 400, "Transfer-Encoding in an HTTP/1.0 request");
		if (!fr.te[2] || fr.te[0] != 1)
			return fail(c, 400, "Transfer-Encoding must end in chunked, once");
		if (fr.te[1])
			return fail(c, 501, "transfer coding not implemented");
		rq->chunked = 1;
	}
	if (rq->content_length > c->body_max)
		return fail(c, 413, "request body too large");
	rq->expect_continue = fr.expect && (rq->chunked || rq->content_length > 0);
	return 0;
}

int http_read_request(struct conn *c, struct request *rq)
{
	/* Every field empty, but not by clearing the whole (20 KB, most of
	 * it the target and the path: the largest single cost of a
	 * keep-alive request): the strings are emptied, and the parser (and
	 * field_store) ends what it copies into them with a NUL; the
	 * numbers zeroed; remote_addr is the connection's, kept. */
	memset(rq->method, 0, sizeof rq->method);
	rq->target[0] = rq->path[0] = rq->mount[0] = 0;
	rq->http_minor = rq->keep_alive = rq->chunked = rq->expect_continue = 0;
	for (size_t i = 0; i < field_ndefs; i++)
		((char *)rq + field_defs[i].off)[0] = 0;
	memset(&rq->body, 0, sizeof rq->body);
	rq->content_length = -1;
	c->why = NULL;
	c->chunked = 0;
	c->chunk_state = 2;
	c->remaining = 0;
	c->body_error = 0;
	c->send_continue = 0;
	c->scan = c->line1 = c->linestart = 0;

	/* The idle timeout runs until the first byte, then the read timeout
	 * covers the whole head: a client that trickles it in is cut off. */
	int64_t deadline = conn_now_ms() + (int64_t)c->idle_secs * 1000;
	int got = 0, started = 0;
	size_t hlen;
	for (;;) {
		if (!got && c->start < c->end) {
			got = 1;
			deadline = conn_now_ms() + (int64_t)c->read_secs * 1000;
		}
		/* RFC 9112 section 2.2: empty lines before a request-line are
		 * ignored (some clients send CRLF after a body) */
		while (!started && c->end - c->start >= 2 && c->buf[c->start] == '\r' &&
		       c->buf[c->start + 1] == '\n')
			c->start += 2;
		if (c->start < c->end && !(c->end - c->start == 1 && c->buf[c->start] == '\r'))
			started = 1;
		int s = scan_head(c, &hlen);
		if (s == 1)
			break;
		if (s > 1)
			return s;
		ssize_t n = got ? conn_fill(c, deadline) : conn_fill_idle(c, deadline);
		if (n == -2)
			return started ? fail(c, 408, "request head too slow") : -1;
		if (n <= 0)
			return started ? fail(c, 400, "connection closed inside the request head") : -1;
	}
	char *h = c->buf + c->start;
	c->start += hlen;
	return parse_head(c, h, hlen, c->line1, rq);
}
