/* The reply every operation produces and every front end writes: a status,
 * the headers the operation knows about, and a body (reply.c). */
#ifndef GOREG_REPLY_H
#define GOREG_REPLY_H
#include <stdint.h>
#include <sys/types.h>

/* A reply: status, headers the operation knows about, and a body that is
 * either bytes in memory or a range of an open file (sent with sendfile).
 * (reply_init clears every field before etag and empties the two strings,
 * which stay last: a new field goes before them.) */
struct reply {
	int status;
	const char *content_type;
	char *mem;                      /* malloc'd body; freed by reply_free */
	size_t mem_len;
	int mem_kept;                   /* mem is not the reply's (reply_keep) */
	int fd;                         /* file body when >= 0 */
	off_t file_off;
	off_t file_len;
	off_t file_size;                /* whole file (for Content-Range) */
	const char *file_bytes;         /* the whole file, read already (small files), or NULL;
	                                 * with fd -1, a file body kept in memory (a .mod from
	                                 * its record) */
	int64_t last_modified;          /* 0 if none */
	const char *cache_control;      /* NULL for none */
	const char *allow;              /* for 405 */
	int www_authenticate;           /* add WWW-Authenticate: Basic realm="goreg" */
	int upstream_stale;             /* the upstream failed: X-Goreg-Upstream: unavailable */
	const char *headers;            /* more header lines, each ending in CRLF, or NULL */
	char etag[80];                  /* with quotes, or "" */
	char location[512];
};

/* Is the body a file (ranges apply), open or read already? */
static inline int reply_has_file(const struct reply *r)
{
	return r->fd >= 0 || r->file_bytes;
}
void reply_init(struct reply *r);
void reply_free(struct reply *r);
/* Error reply: status and a one-line text/plain body (newline added). */
int reply_error(struct reply *r, int status, const char *f, ...) __attribute__((format(printf, 3, 4)));
/* Memory body: takes a copy. */
int reply_bytes(struct reply *r, int status, const char *ctype, const void *data, size_t n);
/* Memory body: takes p itself (malloc'd, freed with the reply). */
void reply_take(struct reply *r, int status, const char *ctype, char *p, size_t n);
/* Memory body: p itself, which stays the caller's and must outlive the
 * reply's writing. */
void reply_keep(struct reply *r, int status, const char *ctype, char *p, size_t n);
/* 200 with a whole file of size bytes as its body: fd open on it (closed
 * with the reply), or -1; bytes, the file read already (which must
 * outlive the reply's writing), or NULL.  One of them. */
void reply_file(struct reply *r, const char *ctype, int fd, const char *bytes, off_t size);
const char *http_reason(int status);

#endif
