/* The one request structure every front end fills (goreg-httpd from the
 * wire, goreg.cgi from the CGI/1.1 environment, the command-line tools from
 * argv), and the reply every operation produces. */
#ifndef GOREG_REQUEST_H
#define GOREG_REQUEST_H
#include <stdint.h>
#include <sys/types.h>
#include "limits.h"

/* Where a request body comes from: read() semantics (>0 bytes, 0 at the
 * end of the body, -1 on error with *status set to the HTTP status to
 * answer: 400 bad framing, 408 too slow, 413 too large, 500 I/O). */
struct body_source {
	ssize_t (*read)(void *ctx, void *buf, size_t n, int *status);
	void *ctx;
};

/* A body read from a file descriptor to its end (the plumbing tools,
 * goreg-import); a read error answers 500. */
struct fd_body {
	int fd;
};
struct body_source fd_body_source(struct fd_body *fb);

struct request {
	char method[16];
	char target[HTTP_LINE_MAX];     /* raw request-target: path and query */
	char path[HTTP_LINE_MAX];       /* target without the query, not decoded */
	int http_minor;                 /* HTTP/1.x; 0 for HTTP/1.0 */
	int keep_alive;                 /* connection may be reused after this one */

	long long content_length;       /* -1 if absent */
	int chunked;                    /* Transfer-Encoding: chunked */
	int expect_continue;

	char authorization[1024];
	char private_token[512];
	char if_none_match[512];
	char if_modified_since[64];
	char range[128];
	char if_range[128];
	char host[256];
	char user_agent[256];
	char remote_addr[64];

	struct body_source body;
};

/* A reply: status, headers the operation knows about, and a body that is
 * either bytes in memory or a range of an open file (sent with sendfile). */
struct reply {
	int status;
	const char *content_type;
	char *mem;                      /* malloc'd body; freed by reply_free */
	size_t mem_len;
	int fd;                         /* file body when >= 0 */
	off_t file_off;
	off_t file_len;
	off_t file_size;                /* whole file (for Content-Range) */
	char etag[80];                  /* with quotes, or "" */
	int64_t last_modified;          /* 0 if none */
	const char *cache_control;      /* NULL for none */
	const char *allow;              /* for 405 */
	int www_authenticate;           /* add WWW-Authenticate: Basic realm="goreg" */
	char location[512];
};

void reply_init(struct reply *r);
void reply_free(struct reply *r);
/* Error reply: status and a one-line text/plain body (newline added). */
int reply_error(struct reply *r, int status, const char *f, ...) __attribute__((format(printf, 3, 4)));
/* Memory body: takes a copy. */
int reply_bytes(struct reply *r, int status, const char *ctype, const void *data, size_t n);
const char *http_reason(int status);

#endif
