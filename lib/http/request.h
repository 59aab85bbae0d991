/* The one request structure every front end fills (goreg-httpd from the
 * wire, goreg.cgi from the CGI/1.1 environment, the command-line tools from
 * argv); the reply every operation produces is in reply.h. */
#ifndef GOREG_REQUEST_H
#define GOREG_REQUEST_H
#include <stdint.h>
#include <sys/types.h>
#include "base/limits.h"
#include "http/reply.h"

/* Where a request body comes from: read() semantics (>0 bytes, 0 at the
 * end of the body, -1 on error with *status set to the HTTP status to
 * answer: 400 bad framing, 408 too slow, 413 too large, 500 I/O). */
struct body_source {
	ssize_t (*read)(void *ctx, void *buf, size_t n, int *status);
	void *ctx;
	/* NULL, or up to n bytes of the body straight into the file open
	 * as out, as read() does otherwise; -2: not this way, use read */
	ssize_t (*copy)(void *ctx, int out, size_t n, int *status);
	/* the bytes the body should have when known beforehand (a regular
	 * file's), a hint for the spool file; 0: not known */
	long long size;
};

/* A body read from a file descriptor to its end (the plumbing tools,
 * goreg-import); a read error answers 500. */
struct fd_body {
	int fd;
};
struct body_source fd_body_source(struct fd_body *fb);

/* (http_read_request empties each field by hand: a new one is emptied
 * there too) */
struct request {
	char method[16];
	char target[HTTP_LINE_MAX];     /* raw request-target: path and query */
	char path[HTTP_LINE_MAX];       /* target without the query, not decoded */
	char mount[MOUNT_MAX];          /* where the front end is mounted: what goreg.cgi
	                                   took off the path (SCRIPT_NAME), "" at the root */
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

#endif
