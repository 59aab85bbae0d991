/* HTTP/1.1 (RFC 9110, RFC 9112) for goreg-httpd: a buffered connection
 * with a deadline on every read, the request-head parser, Content-Length
 * and chunked body readers, and the reply writer shared with goreg.cgi. */
#ifndef GOREG_HTTP_H
#define GOREG_HTTP_H
#include <stddef.h>
#include <stdint.h>
#include "request.h"

struct conn {
	int in, out;
	char buf[HTTP_HEADERS_MAX + HTTP_LINE_MAX];
	size_t start, end;              /* unread bytes are buf[start, end) */
	int idle_secs, read_secs;
	/* body state of the current request */
	long long remaining;            /* Content-Length bytes left, or chunk bytes left */
	int chunk_state;                /* 0 size line next, 1 in data, 2 done */
	int body_error;                 /* a body read failed: close after replying */
	long long body_total;
	long long body_max;
	int send_continue;               /* 100 Continue owed before the first body read */
	int continue_sent;
};

void conn_init(struct conn *c, int in, int out);

/* Read and parse one request head.  Returns 0 with *rq filled; -1 when the
 * client closed (or idled out) cleanly between requests; otherwise the
 * HTTP status to answer before closing (400, 408, 414, 431, 501, 505). */
int http_read_request(struct conn *c, struct request *rq);

/* Make rq->body read this request's body from c (limit: max bytes). */
void http_body_attach(struct conn *c, struct request *rq, long long max);
/* Discard what is left of the body so the next request can be read;
 * -1 if that is not possible (then close the connection). */
int http_body_drain(struct conn *c);

/* Conditional requests (RFC 9110 section 13) and ranges (section 14) on a
 * 200 reply: may turn it into 304, 206 or 416. */
void http_apply_conditionals(const struct request *rq, struct reply *r);

/* Write the reply.  cgi != 0 writes a CGI "Status:" header block
 * (RFC 3875 section 6.3) instead of an HTTP/1.1 status line. */
int http_write_reply(int fd, const struct request *rq, const struct reply *r, int cgi, int64_t now);

/* Write "HTTP/1.1 100 Continue" (RFC 9110 section 10.1.1). */
int http_write_continue(int fd);

#endif
