#include "cgi.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "limits.h"
#include "util.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v ? v : "";
}

static void set(char *dst, size_t dstsz, const char *name)
{
	snprintf(dst, dstsz, "%s", env(name));
}

static ssize_t cgi_read(void *ctx, void *buf, size_t n, int *status)
{
	struct cgi_body *cb = ctx;
	if (cb->remaining <= 0)
		return 0;
	if ((long long)n > cb->remaining)
		n = (size_t)cb->remaining;
	for (;;) {
		ssize_t r = read(cb->fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			/* the server promised CONTENT_LENGTH bytes (RFC 3875 4.2) */
			*status = 400;
			return -1;
		}
		cb->remaining -= r;
		return r;
	}
}

int cgi_read_request(struct request *rq, struct cgi_body *cb, int fd)
{
	memset(rq, 0, sizeof *rq);
	rq->content_length = -1;
	rq->keep_alive = 0;
	set(rq->method, sizeof rq->method, "REQUEST_METHOD");
	if (!rq->method[0])
		return 400;
	const char *proto = env("SERVER_PROTOCOL");
	rq->http_minor = strcmp(proto, "HTTP/1.0") == 0 ? 0 : 1;

	/* The path: PATH_INFO when the server splits it off SCRIPT_NAME (the
	 * usual "/cgi-bin/goreg.cgi/api/packages/..." mount), else the path of
	 * REQUEST_URI (servers that hand the whole URL to one script).  The
	 * raw, still percent-encoded path is preferred: PATH_INFO is decoded
	 * by the server, which would merge a "%2F" into a separator. */
	const char *uri = env("REQUEST_URI"), *script = env("SCRIPT_NAME"), *pinfo = env("PATH_INFO");
	char path[HTTP_LINE_MAX];
	size_t ul = strcspn(uri, "?#");
	size_t sl = strlen(script);
	if (ul >= sizeof path)
		return 414;
	if (uri[0] == '/' && sl && ul >= sl && strncmp(uri, script, sl) == 0 &&
	    (uri[sl] == '/' || uri[sl] == '?' || uri[sl] == 0)) {
		memcpy(path, uri + sl, ul - sl);
		path[ul - sl] = 0;
	} else if (pinfo[0]) {
		if (snprintf(path, sizeof path, "%s", pinfo) >= (int)sizeof path)
			return 414;
	} else if (uri[0] == '/') {
		memcpy(path, uri, ul);
		path[ul] = 0;
	} else
		return 400;
	if (!path[0])
		strcpy(path, "/");
	snprintf(rq->path, sizeof rq->path, "%s", path);
	const char *q = env("QUERY_STRING");
	if (fmt(rq->target, sizeof rq->target, "%s%s%s", path, q[0] ? "?" : "", q) < 0)
		return 414;

	set(rq->authorization, sizeof rq->authorization, "HTTP_AUTHORIZATION");
	set(rq->private_token, sizeof rq->private_token, "HTTP_PRIVATE_TOKEN");
	set(rq->if_none_match, sizeof rq->if_none_match, "HTTP_IF_NONE_MATCH");
	set(rq->if_modified_since, sizeof rq->if_modified_since, "HTTP_IF_MODIFIED_SINCE");
	set(rq->range, sizeof rq->range, "HTTP_RANGE");
	set(rq->if_range, sizeof rq->if_range, "HTTP_IF_RANGE");
	set(rq->host, sizeof rq->host, "HTTP_HOST");
	set(rq->user_agent, sizeof rq->user_agent, "HTTP_USER_AGENT");
	set(rq->remote_addr, sizeof rq->remote_addr, "REMOTE_ADDR");

	const char *cl = env("CONTENT_LENGTH");
	cb->fd = fd;
	cb->remaining = 0;
	if (cl[0]) {
		long long n = 0;
		for (const char *p = cl; *p; p++) {
			if (!isdigit((unsigned char)*p))
				return 400;
			if (p - cl > 17)
				return 413;
			n = n * 10 + (*p - '0');
		}
		rq->content_length = n;
		cb->remaining = n;
	}
	rq->body.read = cgi_read;
	rq->body.ctx = cb;
	return 0;
}
