/* The reply writer shared by goreg-httpd (an HTTP/1.1 status line) and
 * goreg.cgi (a CGI "Status:" header block, RFC 3875 section 6.3). */
#include "http/http.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "base/util.h"

/* Wait until fd takes more bytes, at most secs (0: no deadline; a
 * blocking pipe never gets here).  0 ready, -1 timed out or failed. */
static int wait_out(int fd, int secs)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	for (;;) {
		int r = poll(&p, 1, secs > 0 ? secs * 1000 : -1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r > 0)
			return 0;
		errno = r == 0 ? ETIMEDOUT : errno;
		return -1;
	}
}

/* Is fd a socket?  Asked once per descriptor (the connection's never
 * changes kind): send() then, write() on a pipe. */
static int is_socket(int fd)
{
	static int known_fd = -1, known;
	if (fd != known_fd) {
		struct stat sb;
		known = fstat(fd, &sb) == 0 && S_ISSOCK(sb.st_mode);
		known_fd = fd;
	}
	return known;
}

/* Write iov[0, n) whole: one writev(2), or on a socket one sendmsg(2)
 * that never blocks (MSG_DONTWAIT: goreg-httpd's socket is a blocking
 * one, for its read timeout), in the usual case; more sends with MSG_MORE,
 * so that the head and the first bytes of a file body leave in one
 * segment.  On a socket or a non-blocking fd (conn_init) each step that
 * makes no progress waits at most secs: a client that stops reading is
 * dropped. */
static int write_iov(int fd, struct iovec *iov, int n, int more, int secs)
{
	int sock = is_socket(fd);
	int flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0);
	while (n > 0) {
		struct msghdr m = {.msg_iov = iov, .msg_iovlen = (size_t)n};
		ssize_t w = sock ? sendmsg(fd, &m, flags) : writev(fd, iov, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			if (wait_out(fd, secs) < 0)
				return -1;
			continue;
		}
		if (w < 0)
			return -1;
		for (; n > 0 && (size_t)w >= iov->iov_len; iov++, n--)
			w -= (ssize_t)iov->iov_len;
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + w;
			iov->iov_len -= (size_t)w;
		}
	}
	return 0;
}

static int send_all(int fd, const char *p, size_t n, int more, int secs)
{
	struct iovec v = {(void *)p, n};
	return write_iov(fd, &v, 1, more, secs);
}

static int send_file_nb(int fd, int in, off_t off, off_t left, int secs)
{
	while (left > 0) {
		ssize_t n = sendfile(fd, in, &off, (size_t)(left > (1 << 30) ? (1 << 30) : left));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			if (wait_out(fd, secs) < 0)
				return -1;
			continue;
		}
		if (n < 0 && (errno == EINVAL || errno == ENOSYS)) {
			/* an output sendfile cannot write to */
			char b[IO_CHUNK];
			ssize_t rd = pread(in, b, (size_t)(left < (off_t)sizeof b ? left : (off_t)sizeof b), off);
			if (rd <= 0 || send_all(fd, b, (size_t)rd, 0, secs) < 0)
				return -1;
			off += rd;
			left -= rd;
			continue;
		}
		if (n <= 0)
			return -1; /* 0: the file shrank under us */
		left -= n;
	}
	return 0;
}

/* Send the file's bytes [off, off + left) to fd.  sendfile(2) has no
 * MSG_DONTWAIT: a blocking socket is made non-blocking while it runs. */
static int send_file(int fd, int in, off_t off, off_t left, int secs)
{
	int was = is_socket(fd) ? http_nonblock(fd, 1) : 1;
	int rc = send_file_nb(fd, in, off, left, secs);
	if (was == 0)
		http_nonblock(fd, 0);
	return rc;
}

int http_write_continue(int fd, int write_secs)
{
	static const char msg[] = "HTTP/1.1 100 Continue\r\n\r\n";
	return send_all(fd, msg, sizeof msg - 1, 0, write_secs);
}

/* The reply's head, built in place: its fields are bounded (reply.h),
 * so it fits HTTP_REPLY_HEAD_MAX; over is set if it ever does not. */
struct head {
	char p[HTTP_REPLY_HEAD_MAX];
	size_t len;
	int over;
};

static void put(struct head *h, const char *s, size_t n)
{
	if (n > sizeof h->p - h->len) {
		h->over = 1;
		return;
	}
	memcpy(h->p + h->len, s, n);
	h->len += n;
}

static void puts_(struct head *h, const char *s)
{
	put(h, s, strlen(s));
}

static void put_num(struct head *h, long long v)
{
	char d[24];
	put(h, d, fmt_num(d, v));
}

/* s a string literal: its length known when compiled, no strlen */
#define PUT_LIT(h, s) put((h), "" s, sizeof(s) - 1)

/* name value CRLF, name[0, nl), value[0, vl) */
static void field_line(struct head *h, const char *name, size_t nl, const char *value, size_t vl)
{
	put(h, name, nl);
	put(h, value, vl);
	put(h, "\r\n", 2);
}

/* name a string literal; value a string, or one of length vl */
#define FIELD(h, name, value) FIELD_N(h, name, value, strlen(value))
#define FIELD_N(h, name, value, vl) field_line((h), "" name, sizeof(name) - 1, (value), (vl))

/* An HTTP date and its length in *len, the last two asked for kept: Date
 * changes once a second, and Last-Modified is most often the one before. */
static const char *http_date(int64_t t, size_t *len)
{
	static int64_t when[2] = {-1, -1};
	static char text[2][40];
	static size_t tl[2];
	static int next;
	int i = when[0] == t ? 0 : when[1] == t ? 1 : -1;
	if (i < 0) {
		i = next;
		next ^= 1;
		time_http(t, text[i]);
		when[i] = t;
		tl[i] = strlen(text[i]);
	}
	*len = tl[i];
	return text[i];
}

/* The status line (or CGI Status:) and the fields the reply has. */
static void build_head(struct head *h, const struct request *rq, const struct reply *r, int cgi,
                       int64_t now, int bodyless, long long clen)
{
	if (cgi)
		PUT_LIT(h, "Status: ");
	else
		PUT_LIT(h, "HTTP/1.1 ");
	put_num(h, r->status);
	put(h, " ", 1);
	puts_(h, http_reason(r->status));
	put(h, "\r\n", 2);
	size_t dl;
	const char *d;
	if (!cgi) {
		d = http_date(now, &dl);
		FIELD_N(h, "Date: ", d, dl);
		PUT_LIT(h, "Server: goreg\r\n");
	}
	if (!bodyless) {
		if (r->content_type)
			FIELD(h, "Content-Type: ", r->content_type);
		PUT_LIT(h, "Content-Length: ");
		put_num(h, clen);
		put(h, "\r\n", 2);
	}
	if (r->etag[0])
		FIELD(h, "ETag: ", r->etag);
	if (r->last_modified) {
		d = http_date(r->last_modified, &dl);
		FIELD_N(h, "Last-Modified: ", d, dl);
	}
	if (r->cache_control)
		FIELD(h, "Cache-Control: ", r->cache_control);
	/* ranges are served on file bodies (RFC 9110 section 14.3) */
	if (reply_has_file(r) || r->status == 416)
		PUT_LIT(h, "Accept-Ranges: bytes\r\n");
	if (r->status == 206 || r->status == 416) {
		PUT_LIT(h, "Content-Range: bytes ");
		if (r->status == 206) {
			put_num(h, (long long)r->file_off);
			put(h, "-", 1);
			put_num(h, (long long)(r->file_off + r->file_len - 1));
		} else
			put(h, "*", 1);
		put(h, "/", 1);
		put_num(h, (long long)r->file_size);
		put(h, "\r\n", 2);
	}
	if (r->allow)
		FIELD(h, "Allow: ", r->allow);
	if (r->www_authenticate)
		PUT_LIT(h, "WWW-Authenticate: Basic realm=\"goreg\"\r\n");
	if (r->location[0])
		FIELD(h, "Location: ", r->location);
	if (r->upstream_stale)
		PUT_LIT(h, "X-Goreg-Upstream: unavailable\r\n");
	if (r->headers)
		puts_(h, r->headers);
	/* RFC 9112 section 9.6 close; section 9.3 an HTTP/1.0 client keeps
	 * the connection only when told so */
	if (!cgi && !rq->keep_alive)
		PUT_LIT(h, "Connection: close\r\n");
	else if (!cgi && rq->http_minor == 0)
		PUT_LIT(h, "Connection: keep-alive\r\n");
	put(h, "\r\n", 2);
}

int http_write_reply(int fd, const struct request *rq, const struct reply *r, int cgi, int64_t now,
                     int write_secs)
{
	/* no body, and no Content-Length, in 1xx, 204 (RFC 9110 section
	 * 8.6) and 304 (section 15.4.5) */
	int bodyless = r->status == 204 || r->status == 304 || r->status < 200;
	int file = reply_has_file(r);
	long long clen = file ? (long long)r->file_len : (long long)r->mem_len;
	static struct head h;
	h.len = 0;
	h.over = 0;
	build_head(&h, rq, r, cgi, now, bodyless, clen);
	if (h.over) {
		errno = EMSGSIZE;
		return -1;
	}
	int body = !bodyless && strcmp(rq->method, "HEAD") != 0 && clen > 0;
	if (!file || !body) {
		/* head and body in one write */
		struct iovec v[2] = {{h.p, h.len}, {r->mem, body ? r->mem_len : 0}};
		return write_iov(fd, v, body ? 2 : 1, 0, write_secs);
	}
	/* a small file (a go.mod, most .info-sized zips) with its head in
	 * one write, as nginx does: one segment, no sendfile set-up */
	static char small[SMALL_FILE_MAX];
	const char *bytes = r->file_bytes ? r->file_bytes + r->file_off : small;
	if (r->file_bytes || (r->file_len <= (off_t)sizeof small &&
	                      pread(r->fd, small, (size_t)r->file_len, r->file_off) == (ssize_t)r->file_len)) {
		struct iovec v[2] = {{h.p, h.len}, {(void *)bytes, (size_t)r->file_len}};
		return write_iov(fd, v, 2, 0, write_secs);
	}
	if (send_all(fd, h.p, h.len, 1, write_secs) < 0)
		return -1;
	return send_file(fd, r->fd, r->file_off, r->file_len, write_secs);
}
