/* HTTP/1.1 (RFC 9110, RFC 9112) for goreg-httpd and goreg.cgi: a buffered
 * connection with a deadline on every read and write (http.c), the
 * request-head parser and the Content-Length and chunked body readers
 * (http.c), conditional requests and ranges (cond.c), and the reply
 * writer shared with goreg.cgi (write.c). */
#ifndef GOREG_HTTP_H
#define GOREG_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include "http/request.h"

/* A request body's minimum average rate: by start_ms + grace_ms +
 * got / min_rate it must have sent more than got bytes (HTTP_BODY_MIN_RATE,
 * HTTP_BODY_GRACE_SECS; GOREG_BODY_MIN_RATE, 0 for none, GOREG_BODY_GRACE).
 * The clock starts when the body is first wanted. */
struct body_rate {
	long long min_rate;             /* bytes per second; 0: none */
	int64_t grace_ms;
	int64_t start_ms;               /* 0: not yet */
};
void http_body_rate_init(struct body_rate *br);
/* The deadline (conn_now_ms's clock) for more of a body that has sent got
 * bytes: the earlier of the rate's and read_secs from now, and never
 * quite now, so that bytes already waiting are still taken. */
int64_t http_body_deadline(struct body_rate *br, long long got, int read_secs);

/* Limits are in limits.h; an operator overrides the timeouts by
 * environment (conn_init). */
struct conn {
	int in, out;
	/* a request-line, the header section, and the CRLF ending each */
	char buf[HTTP_LINE_MAX + HTTP_HEADERS_MAX + 4];
	size_t start, end;              /* unread bytes are buf[start, end) */
	int idle_secs, read_secs, write_secs;
	int blocking;                   /* in is a socket whose idle timeout the kernel keeps */
	long long body_max;             /* larger bodies: 413 (default MODZIP_MAX_ZIP) */
	const char *why;                /* one-line reason for the last error status */
	/* head scanner, offsets from start */
	size_t scan, line1, linestart;
	/* body of the current request */
	int chunked;
	int chunk_state;                /* 0 size line next, 1 in chunk data, 2 done */
	long long remaining;            /* Content-Length or chunk bytes left */
	long long body_total;
	int body_error;                 /* status of a failed body read, else 0 */
	int send_continue;              /* 100 Continue owed before the first body read */
	struct body_rate rate;
};

/* Set up c on in/out.  Timeouts come from HTTP_IDLE_SECS, HTTP_READ_SECS and
 * HTTP_WRITE_SECS, or GOREG_IDLE_TIMEOUT, GOREG_READ_TIMEOUT and
 * GOREG_WRITE_TIMEOUT (whole seconds, 1-86400).  A socket in waits for
 * a request's first byte in a blocking read that the kernel ends after the
 * idle timeout (SO_RCVTIMEO); other waits are polls with a deadline, on
 * descriptors made non-blocking where they are no socket (sockets are
 * written to without blocking: write.c).  On a TCP socket Nagle's
 * algorithm is turned off. */
void conn_init(struct conn *c, int in, int out);
/* Set (on) or clear fd's O_NONBLOCK: was it set before (-1: failed)? */
int http_nonblock(int fd, int on);

/* The connection's input, shared by http.c and body.c: the monotonic
 * clock in ms; wait until the input is readable or the deadline passes
 * (1 readable, 0 timed out, -1 error); read what is there into the buffer
 * (bytes read, 0 at EOF, -1 error, -2 timed out). */
int64_t conn_now_ms(void);
int conn_wait_in(struct conn *c, int64_t deadline);
ssize_t conn_fill(struct conn *c, int64_t deadline);

/* Read and parse one request head.  Returns 0 with *rq filled; -1 when the
 * client closed or stayed idle between requests (nothing to answer);
 * otherwise the status to answer before closing (400, 408, 413, 414, 417,
 * 431, 501, 505), with a one-line reason in c->why.  rq->remote_addr is
 * kept from the previous call. */
int http_read_request(struct conn *c, struct request *rq);

/* Make rq->body read this request's body from c. */
void http_body_attach(struct conn *c, struct request *rq);
/* Discard what is left of the body so the next request can be read;
 * -1 if that is not possible or not worth it (then close the connection). */
int http_body_drain(struct conn *c);
/* Close in stages (RFC 9112 section 9.6): stop sending, then read and drop
 * what the client still sends for a moment, so that our last reply is not
 * lost to a TCP reset. */
void http_linger_close(struct conn *c);

/* Is m a method goreg knows of (RFC 9110 section 9)?  Others get 501. */
int http_method_known(const char *m);

/* Conditional requests (RFC 9110 section 13) and ranges (section 14) on a
 * 200 reply: may turn it into 304, 206 or 416 (cond.c). */
void http_apply_conditionals(const struct request *rq, struct reply *r);
/* Does the If-None-Match list match etag (weak comparison)? */
int http_etag_match(const char *list, const char *etag);
/* One byte range of a size-byte representation: 0 with *off and *len set,
 * -1 to ignore the Range field (serve it all), -2 unsatisfiable (416). */
int http_range(const char *spec, off_t size, off_t *off, off_t *len);

/* Write the reply (write.c).  cgi != 0 writes a CGI "Status:" header
 * block (RFC 3875 section 6.3) instead of a status line and leaves Date and
 * Connection to the web server; otherwise "Connection: close" is sent
 * when rq->keep_alive is 0 (and "keep-alive" to a persistent HTTP/1.0
 * client).  HEAD gets the headers of GET and no body.  On a non-blocking
 * fd, a write that makes no progress for write_secs fails (0: no limit). */
int http_write_reply(int fd, const struct request *rq, const struct reply *r, int cgi, int64_t now,
                     int write_secs);
/* Write "HTTP/1.1 100 Continue" (RFC 9110 section 15.2.1). */
int http_write_continue(int fd, int write_secs);

#endif
