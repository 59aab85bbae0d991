/* The reply writer shared by goreg-httpd (an HTTP/1.1 status line) and
 * goreg.cgi (a CGI "Status:" header block, RFC 3875 section 6.3). */
#include "http/http.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
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

/* send() with MSG_MORE when a file body follows, so the head and the
 * first bytes of the file leave in one segment; write() on a pipe.  On a
 * non-blocking socket (conn_init) each step that makes no progress waits
 * at most secs: a client that stops reading is dropped. */
static int send_all(int fd, const char *p, size_t n, int more, int secs)
{
	int sock = 1;
	while (n) {
		ssize_t w = sock ? send(fd, p, n, MSG_NOSIGNAL | (more ? MSG_MORE : 0)) : write(fd, p, n);
		if (w < 0 && errno == ENOTSOCK && sock) {
			sock = 0;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			if (wait_out(fd, secs) < 0)
				return -1;
			continue;
		}
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int send_file(int fd, int in, off_t off, off_t left, int secs)
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

int http_write_continue(int fd, int write_secs)
{
	static const char msg[] = "HTTP/1.1 100 Continue\r\n\r\n";
	return send_all(fd, msg, sizeof msg - 1, 0, write_secs);
}

int http_write_reply(int fd, const struct request *rq, const struct reply *r, int cgi, int64_t now,
                     int write_secs)
{
	struct buf h = {0};
	char date[40];
	/* no body, and no Content-Length, in 1xx, 204 (RFC 9110 section
	 * 8.6) and 304 (section 15.4.5) */
	int bodyless = r->status == 204 || r->status == 304 || r->status < 200;
	int file = r->fd >= 0;
	long long clen = file ? (long long)r->file_len : (long long)r->mem_len;
	if (cgi)
		buf_printf(&h, "Status: %d %s\r\n", r->status, http_reason(r->status));
	else {
		time_http(now, date);
		buf_printf(&h, "HTTP/1.1 %d %s\r\nDate: %s\r\nServer: goreg\r\n", r->status,
		           http_reason(r->status), date);
	}
	if (!bodyless) {
		if (r->content_type)
			buf_printf(&h, "Content-Type: %s\r\n", r->content_type);
		buf_printf(&h, "Content-Length: %lld\r\n", clen);
	}
	if (r->etag[0])
		buf_printf(&h, "ETag: %s\r\n", r->etag);
	if (r->last_modified) {
		time_http(r->last_modified, date);
		buf_printf(&h, "Last-Modified: %s\r\n", date);
	}
	if (r->cache_control)
		buf_printf(&h, "Cache-Control: %s\r\n", r->cache_control);
	/* ranges are served on file bodies (RFC 9110 section 14.3) */
	if (file || r->status == 416)
		buf_printf(&h, "Accept-Ranges: bytes\r\n");
	if (r->status == 206)
		buf_printf(&h, "Content-Range: bytes %lld-%lld/%lld\r\n", (long long)r->file_off,
		           (long long)(r->file_off + r->file_len - 1), (long long)r->file_size);
	else if (r->status == 416)
		buf_printf(&h, "Content-Range: bytes */%lld\r\n", (long long)r->file_size);
	if (r->allow)
		buf_printf(&h, "Allow: %s\r\n", r->allow);
	if (r->www_authenticate)
		buf_printf(&h, "WWW-Authenticate: Basic realm=\"goreg\"\r\n");
	if (r->location[0])
		buf_printf(&h, "Location: %s\r\n", r->location);
	if (r->upstream_stale)
		buf_printf(&h, "X-Goreg-Upstream: unavailable\r\n");
	if (r->headers)
		buf_puts(&h, r->headers);
	/* RFC 9112 section 9.6 close; section 9.3 an HTTP/1.0 client keeps
	 * the connection only when told so */
	if (!cgi && !rq->keep_alive)
		buf_printf(&h, "Connection: close\r\n");
	else if (!cgi && rq->http_minor == 0)
		buf_printf(&h, "Connection: keep-alive\r\n");
	if (buf_puts(&h, "\r\n") < 0) {
		buf_free(&h);
		return -1;
	}
	int body = !bodyless && strcmp(rq->method, "HEAD") != 0 && clen > 0;
	int rc;
	if (body && !file)
		rc = buf_add(&h, r->mem, r->mem_len) < 0 ? -1 : send_all(fd, h.p, h.len, 0, write_secs);
	else
		rc = send_all(fd, h.p, h.len, body && file, write_secs);
	buf_free(&h);
	if (rc < 0 || !body || !file)
		return rc;
	return send_file(fd, r->fd, r->file_off, r->file_len, write_secs);
}
