#include "http/cgi.h"

#include <errno.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "http/field.h"
#include "http/http.h"
#include "base/limits.h"
#include "base/util.h"

static const char *env(const char *name)
{
	const char *v = getenv(name);
	return v ? v : "";
}

/* Control characters are refused in a kept field, as goreg-httpd refuses
 * them on the wire (RFC 9110 section 5.5). */
static int has_ctl(const char *v)
{
	for (; *v; v++)
		if (((unsigned char)*v < 0x20 && *v != '\t') || *v == 0x7f)
			return 1;
	return 0;
}

static ssize_t cgi_read(void *ctx, void *buf, size_t n, int *status)
{
	struct cgi_body *cb = ctx;
	if (!cb->until_eof) {
		if (cb->remaining <= 0)
			return 0;
		if ((long long)n > cb->remaining)
			n = (size_t)cb->remaining;
	}
	for (;;) {
		/* the web server feeds the body; still, every read has a
		 * deadline, and the body a minimum rate (a server that streams
		 * it, Apache's mod_cgi, passes a slow client's pace on) */
		struct pollfd p = {.fd = cb->fd, .events = POLLIN};
		int64_t wait = http_body_deadline(&cb->rate, cb->total, cb->read_secs) - conn_now_ms();
		int pr = poll(&p, 1, wait > 0 ? (int)wait : 0);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr == 0) {
			*status = 408;
			return -1;
		}
		ssize_t r = read(cb->fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0 && cb->until_eof)
			return 0;
		if (r <= 0) {
			/* the server promised CONTENT_LENGTH bytes (RFC 3875 4.2) */
			*status = 400;
			return -1;
		}
		cb->remaining -= r;
		cb->total += r;
		if (cb->total > cb->max) {
			*status = 413;
			return -1;
		}
		return r;
	}
}

/* The paths goreg answers at its root: the API's (every layout's base
 * begins with /api/), the pages' and the operators' (goreg(7); the front
 * page is also "/-/", and "/" alone is left out: under a SCRIPT_NAME of
 * /api it is the API's path "/api/").  After a SCRIPT_NAME, such a path
 * is the one routed: the program is mounted there.  Otherwise the whole
 * path is (the program mapped onto /api). */
static int root_path(const char *p, size_t n)
{
	static const char *const exact[] = {"/healthz", "/metrics"};
	if ((n >= 5 && memcmp(p, "/api/", 5) == 0) || (n >= 3 && memcmp(p, "/-/", 3) == 0))
		return 1;
	for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
		if (n == strlen(exact[i]) && memcmp(p, exact[i], n) == 0)
			return 1;
	return 0;
}

/* Is SCRIPT_NAME one of the root paths, or below one?  Mapped onto the
 * API's own paths, the program is no mount: what follows it is not a
 * path of goreg's (/api/api/packages/... is no second spelling of
 * /api/packages/..., which a server's rules on the one would miss). */
static int onto_root(const char *script, size_t sl)
{
	static const char *const roots[] = {"/api", "/-", "/healthz", "/metrics"};
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		size_t n = strlen(roots[i]);
		if (sl >= n && memcmp(script, roots[i], n) == 0 && (script[n] == 0 || script[n] == '/'))
			return 1;
	}
	return 0;
}

/* A SCRIPT_NAME fit to be the mount of the pages' links and redirects:
 * it begins with '/', fits, and is a plain path (RFC 3986 section 3.3:
 * segments of unreserved and sub-delims characters, ':' and '@'; no
 * percent-encoding, no empty, "." or ".." segment, so no "//host" or
 * "/\host" a browser would take for another site).  One onto a root
 * path is none either (cgi_path asks onto_root first: mapped onto /api,
 * the program must not answer /api/metrics or /api/-/; a server that
 * shows only /api shows only the API). */
static int mount_ok(const char *script, size_t sl)
{
	if (!sl || sl >= MOUNT_MAX || script[0] != '/' || script[sl - 1] == '/')
		return 0;
	for (size_t i = 0; i < sl; i++) {
		unsigned char c = (unsigned char)script[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("-._~!$&'()*+,;=:@/", c)))
			return 0;
		if (c == '/') {
			size_t n = strcspn(script + i + 1, "/");
			if (n == 0 || (n == 1 && script[i + 1] == '.') || (n == 2 && !strncmp(script + i + 1, "..", 2)))
				return 0;
		}
	}
	return 1;
}

static int api_path(const char *p, size_t n)
{
	return n >= 5 && memcmp(p, "/api/", 5) == 0;
}

/* Without REQUEST_URI: a decoded PATH_INFO, percent-encoded again (all
 * but unreserved characters and '/') so that the router's decoding gives
 * it back unchanged. */
static int encode_path(char *out, size_t outsz, const char *a, const char *b)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	const char *parts[2] = {a, b};
	for (int i = 0; i < 2; i++)
		for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
			int plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			            (*p >= '0' && *p <= '9') || strchr("-._~/!@", *p);
			if (o + 4 > outsz)
				return -1;
			if (plain)
				out[o++] = (char)*p;
			else {
				out[o++] = '%';
				out[o++] = hex[*p >> 4];
				out[o++] = hex[*p & 15];
			}
		}
	out[o] = 0;
	return 0;
}

/* The request path, still percent-encoded: see cgi.h. */
static int cgi_path(char *out, size_t outsz, char *mount, const char **why)
{
	const char *uri = getenv("REQUEST_URI"), *script = env("SCRIPT_NAME"), *pinfo = env("PATH_INFO");
	size_t sl = strlen(script);
	int onto = onto_root(script, sl), m = !onto && mount_ok(script, sl);
	*why = "request target too long";
	mount[0] = 0;
	if (uri && uri[0] == '/') {
		/* REQUEST_URI (Apache, nginx, lighttpd) is the raw target: a
		 * "%2F" inside a segment is still one */
		size_t ul = strcspn(uri, "?");
		const char *p = uri;
		if (sl && !onto && ul > sl && strncmp(uri, script, sl) == 0 && uri[sl] == '/' &&
		    (api_path(uri + sl, ul - sl) || (m && root_path(uri + sl, ul - sl)))) {
			p = uri + sl;
			if (m)
				memcpy(mount, script, sl + 1);
		}
		size_t pl = ul - (size_t)(p - uri);
		if (pl >= outsz)
			return 414;
		for (size_t i = 0; i < pl; i++)
			if ((unsigned char)p[i] <= 0x20 || (unsigned char)p[i] >= 0x7f || p[i] == '#') {
				*why = "invalid character in the request target";
				return 400;
			}
		memcpy(out, p, pl);
		out[pl] = 0;
		return 0;
	}
	if (!onto && (api_path(pinfo, strlen(pinfo)) || (m && root_path(pinfo, strlen(pinfo))))) {
		if (m)
			memcpy(mount, script, sl + 1);
		return encode_path(out, outsz, pinfo, "") < 0 ? 414 : 0;
	}
	/* each is empty or begins with '/' (RFC 3875 sections 4.1.5 and
	 * 4.1.13): SCRIPT_NAME "x" would make a path without its '/' */
	if ((script[0] && script[0] != '/') || (pinfo[0] && pinfo[0] != '/')) {
		*why = "SCRIPT_NAME or PATH_INFO does not begin with '/'";
		return 400;
	}
	if (script[0] || pinfo[0])
		return encode_path(out, outsz, script, pinfo) < 0 ? 414 : 0;
	*why = "no request path (REQUEST_URI, SCRIPT_NAME, PATH_INFO)";
	return 400;
}

int cgi_read_request(struct request *rq, struct cgi_body *cb, int fd, const char **why)
{
	memset(rq, 0, sizeof *rq);
	memset(cb, 0, sizeof *cb);
	rq->content_length = -1;
	cb->fd = fd;
	cb->max = MODZIP_MAX_ZIP;
	cb->read_secs = field_env_secs("GOREG_READ_TIMEOUT", HTTP_READ_SECS);
	http_body_rate_init(&cb->rate);
	rq->body.read = cgi_read;
	rq->body.ctx = cb;

	const char *m = env("REQUEST_METHOD");
	size_t ml = strlen(m);
	if (ml == 0 || strspn(m, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-.^_`|~") != ml) {
		*why = "malformed request method";
		return 400;
	}
	if (ml >= sizeof rq->method || !http_method_known(m)) {
		*why = "request method not implemented";
		return 501;
	}
	memcpy(rq->method, m, ml + 1);
	rq->http_minor = strcmp(env("SERVER_PROTOCOL"), "HTTP/1.0") == 0 ? 0 : 1;

	int s = cgi_path(rq->path, sizeof rq->path, rq->mount, why);
	if (s)
		return s;
	const char *q = env("QUERY_STRING");
	if (fmt(rq->target, sizeof rq->target, "%s%s%s", rq->path, q[0] ? "?" : "", q) < 0) {
		*why = "request target too long";
		return 414;
	}

	/* the fields goreg-httpd keeps, from their meta-variables */
	for (size_t i = 0; i < field_ndefs; i++) {
		const struct field_def *f = &field_defs[i];
		const char *v = env(f->cgi);
		size_t n = strlen(v);
		if (f->keep == FIELD_OR_IGNORE && n >= f->size)
			continue;
		if (has_ctl(v)) {
			*why = "control character in a header field";
			return 400;
		}
		if ((s = field_store(f, rq, v, n, why)))
			return s;
	}
	snprintf(rq->remote_addr, sizeof rq->remote_addr, "%s", env("REMOTE_ADDR"));

	/* CONTENT_LENGTH (RFC 3875 section 4.1.2); a server that streams a
	 * chunked body without it (Apache's mod_cgi) ends it with EOF */
	const char *cl = env("CONTENT_LENGTH");
	if (cl[0]) {
		long long n;
		if (field_length(cl, strlen(cl), cb->max, &n) < 0) {
			*why = "malformed CONTENT_LENGTH";
			return 400;
		}
		if (n > cb->max) {
			*why = "request body too large";
			return 413;
		}
		rq->content_length = n;
		cb->remaining = n;
	} else if (strcasestr(env("HTTP_TRANSFER_ENCODING"), "chunked")) {
		rq->chunked = 1;
		cb->until_eof = 1;
	}
	return 0;
}
