#include "http/reply.h"

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/limits.h"

/* The fields before the strings cleared, the strings emptied: not the
 * whole struct (some 700 bytes) twice a request (its start and
 * reply_free); a field added before them is cleared too. */
_Static_assert(offsetof(struct reply, location) == offsetof(struct reply, etag) + sizeof ((struct reply *)0)->etag &&
               offsetof(struct reply, location) + sizeof ((struct reply *)0)->location == sizeof(struct reply),
               "struct reply ends in etag and location");
void reply_init(struct reply *r)
{
	memset(r, 0, offsetof(struct reply, etag));
	r->fd = -1;
	r->etag[0] = r->location[0] = 0;
}

void reply_free(struct reply *r)
{
	if (!r->mem_kept)
		free(r->mem);
	if (r->fd >= 0)
		close(r->fd);
	reply_init(r);
}

int reply_bytes(struct reply *r, int status, const char *ctype, const void *data, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (!p)
		return -1;
	memcpy(p, data, n);
	reply_take(r, status, ctype, p, n);
	return 0;
}

void reply_take(struct reply *r, int status, const char *ctype, char *p, size_t n)
{
	if (!r->mem_kept)
		free(r->mem);
	r->mem_kept = 0;
	r->mem = p;
	r->mem_len = n;
	r->status = status;
	r->content_type = ctype;
}

void reply_keep(struct reply *r, int status, const char *ctype, char *p, size_t n)
{
	reply_take(r, status, ctype, p, n);
	r->mem_kept = 1;
}

void reply_file(struct reply *r, const char *ctype, int fd, const char *bytes, off_t size)
{
	r->status = 200;
	r->content_type = ctype;
	r->fd = fd;
	r->file_bytes = bytes;
	r->file_off = 0;
	r->file_len = r->file_size = size;
}

int reply_error(struct reply *r, int status, const char *f, ...)
{
	char msg[MSG_MAX];
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(msg, sizeof msg - 1, f, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof msg - 2)
		n = (int)sizeof msg - 2;
	/* one line: a stray newline in a reason would split it */
	for (int i = 0; i < n; i++)
		if (msg[i] == '\n' || msg[i] == '\r')
			msg[i] = ' ';
	msg[n++] = '\n';
	if (r->fd >= 0) {
		close(r->fd);
		r->fd = -1;
	}
	r->file_bytes = NULL;
	r->etag[0] = 0;
	r->last_modified = 0;
	r->cache_control = NULL;
	return reply_bytes(r, status, "text/plain; charset=utf-8", msg, (size_t)n);
}

const char *http_reason(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 206: return "Partial Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 408: return "Request Timeout";
	case 409: return "Conflict";
	case 411: return "Length Required";
	case 412: return "Precondition Failed";
	case 413: return "Content Too Large";
	case 414: return "URI Too Long";
	case 416: return "Range Not Satisfiable";
	case 417: return "Expectation Failed";
	case 431: return "Request Header Fields Too Large";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	case 505: return "HTTP Version Not Supported";
	default: return status < 500 ? "Bad Request" : "Internal Server Error";
	}
}
