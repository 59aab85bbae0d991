/* libFuzzer harness: goreg.cgi's request reader (lib/http/cgi.c
 * cgi_read_request) on a CGI/1.1 environment (RFC 3875 section 4.1) and
 * a body on stdin, both from the input:
 *   NAME=VALUE lines set REQUEST_METHOD, REQUEST_URI, SCRIPT_NAME,
 *   PATH_INFO, QUERY_STRING, CONTENT_LENGTH, SERVER_PROTOCOL, REMOTE_ADDR
 *   and HTTP_* variables (others are ignored; each run starts from none
 *   of them); FUZZ_BODY_MAX=N lowers the body limit after the call, to
 *   reach 413 without 500 MB; after the first empty line comes the body.
 * Properties:
 *   - the answer is 0 or a status cgi.h documents, with a one-line reason;
 *   - a request taken has a known method, a path that begins with '/' and
 *     holds nothing goreg-httpd refuses in a request-target, the query
 *     after '?', the header fields of field_defs[] as their variables say
 *     (or cut, or ignored, as the table says) and free of control
 *     characters, as goreg-httpd keeps them;
 *   - the path is REQUEST_URI's, or what follows SCRIPT_NAME in it; without
 *     REQUEST_URI, percent-decoding the path gives back PATH_INFO (or
 *     SCRIPT_NAME + PATH_INFO);
 *   - the router answers the path with 200, 400, 404 or 405;
 *   - the body is exactly CONTENT_LENGTH bytes, 400 if stdin ends first,
 *     413 past the limit, or stdin to its end for a chunked request. */
#define FUZZ_NAME "cgi"
#include "fuzz.h"

#include "app/route.h"
#include "http/cgi.h"
#include "http/field.h"
#include "http/http.h"

static const char *const fixed[] = {"REQUEST_METHOD", "REQUEST_URI", "SCRIPT_NAME", "PATH_INFO",
                                    "QUERY_STRING", "CONTENT_LENGTH", "SERVER_PROTOCOL",
                                    "REMOTE_ADDR"};
#define NFIXED (sizeof fixed / sizeof fixed[0])

static const char *var(const char *name)
{
	const char *v = getenv(name);
	return v ? v : "";
}

/* Unset every variable a run may have set: the fixed ones and HTTP_*. */
static void clear_env(void)
{
	extern char **environ;
	char name[256];
	for (size_t i = 0; i < NFIXED; i++)
		unsetenv(fixed[i]);
	for (size_t i = 0; environ[i] != NULL;) {
		const char *eq = strchr(environ[i], '=');
		size_t n = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
		if (strncmp(environ[i], "HTTP_", 5) == 0 && n < sizeof name) {
			memcpy(name, environ[i], n);
			name[n] = '\0';
			unsetenv(name);
			i = 0;
		} else {
			i++;
		}
	}
}

static int wanted(const char *name, size_t n)
{
	for (size_t i = 0; i < NFIXED; i++)
		if (strlen(fixed[i]) == n && memcmp(fixed[i], name, n) == 0)
			return 1;
	if (n <= 5 || strncmp(name, "HTTP_", 5) != 0)
		return 0;
	for (size_t i = 5; i < n; i++)
		if (!isupper((unsigned char)name[i]) && !isdigit((unsigned char)name[i]) && name[i] != '_')
			return 0;
	return 1;
}

/* Set the variables of the lines before the first empty one; returns the
 * offset of the body and sets *body_max (-1 if not given). */
static size_t set_env(const char *s, size_t size, long long *body_max)
{
	size_t p = 0;
	char buf[HTTP_LINE_MAX * 2];
	*body_max = -1;
	while (p < size) {
		const char *nl = memchr(s + p, '\n', size - p);
		size_t l = nl ? (size_t)(nl - (s + p)) : size - p;
		const char *eq = memchr(s + p, '=', l);
		if (l == 0)
			return p + 1;
		if (eq != NULL && l < sizeof buf) {
			size_t n = (size_t)(eq - (s + p));
			memcpy(buf, s + p, l);
			buf[l] = '\0';
			buf[n] = '\0';
			if (strcmp(buf, "FUZZ_BODY_MAX") == 0)
				*body_max = strtoll(buf + n + 1, NULL, 10);
			else if (wanted(buf, n))
				setenv(buf, buf + n + 1, 1);
		}
		p += l + 1;
	}
	return size;
}

static void check_fields(const struct request *rq)
{
	for (size_t i = 0; i < field_ndefs; i++) {
		const struct field_def *f = &field_defs[i];
		const char *v = var(f->cgi), *kept = (const char *)rq + f->off;
		size_t n = strlen(v);
		if (n >= f->size && f->keep == FIELD_OR_IGNORE)
			CHECK(kept[0] == '\0', "a field too long to keep is kept", f->cgi);
		else if (n >= f->size && f->keep == FIELD_CUT)
			CHECK(strlen(kept) == f->size - 1 && strncmp(kept, v, f->size - 1) == 0,
			      "a field to cut is not its variable cut", f->cgi);
		else
			CHECK(strcmp(kept, v) == 0, "a field is not its variable", f->cgi);
		CHECK(!fuzz_has_ctl(kept), "a kept field holds a control character goreg-httpd refuses", f->cgi);
	}
}

/* goreg's root paths, as goreg.cgi(8) lists them */
static int model_root(const char *p, size_t n)
{
	return (n >= 5 && strncmp(p, "/api/", 5) == 0) || (n >= 3 && strncmp(p, "/-/", 3) == 0) ||
	       (n == 8 && strncmp(p, "/healthz", 8) == 0) || (n == 8 && strncmp(p, "/metrics", 8) == 0);
}

/* SCRIPT_NAME is one of the root paths or below one: never a mount, and
 * nothing of the path is taken for what follows one (goreg.cgi(8)) */
static int model_onto(const char *script)
{
	static const char *const roots[] = {"/api", "/-", "/healthz", "/metrics"};
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		size_t r = strlen(roots[i]);
		if (strncmp(script, roots[i], r) == 0 && (script[r] == 0 || script[r] == '/'))
			return 1;
	}
	return 0;
}

/* A mount is SCRIPT_NAME, a plain path a link can begin with: '/', no
 * "//", no '\\', '%', control or space, no "." or ".." segment, not
 * below /api, /-, /healthz or /metrics. */
static void check_mount(const struct request *rq, const char *script)
{
	const char *m = rq->mount;
	if (!m[0])
		return;
	CHECK(strcmp(m, script) == 0, "a mount that is not SCRIPT_NAME", m);
	CHECK(m[0] == '/' && !strstr(m, "//") && !strpbrk(m, "\\%\"<> ") && !strstr(m, "/./") &&
	          !strstr(m, "/../"),
	      "a mount that is no plain path", m);
	size_t n = strlen(m);
	CHECK(!(n >= 2 && strcmp(m + n - 2, "/.") == 0) && !(n >= 3 && strcmp(m + n - 3, "/..") == 0),
	      "a mount ending in a dot segment", m);
	for (const unsigned char *p = (const unsigned char *)m; *p; p++)
		CHECK(*p > 0x20 && *p < 0x7f, "a control character or a byte above 0x7e in the mount", m);
	static const char *const roots[] = {"/api", "/-", "/healthz", "/metrics"};
	for (size_t i = 0; i < sizeof roots / sizeof roots[0]; i++) {
		size_t r = strlen(roots[i]);
		CHECK(!(strncmp(m, roots[i], r) == 0 && (m[r] == 0 || m[r] == '/')), "a mount below a root path", m);
	}
}

static void check_path(const struct request *rq)
{
	const char *uri = getenv("REQUEST_URI"), *script = var("SCRIPT_NAME"), *pinfo = var("PATH_INFO");
	const char *q = var("QUERY_STRING");
	char want[HTTP_LINE_MAX * 2], dec[HTTP_LINE_MAX];
	CHECK(rq->path[0] == '/', "the path does not begin with '/'", rq->path);
	for (const unsigned char *p = (const unsigned char *)rq->path; *p; p++)
		CHECK(*p > 0x20 && *p < 0x7f && *p != '#', "a byte in the path goreg-httpd refuses", rq->path);
	snprintf(want, sizeof want, "%s%s%s", rq->path, q[0] ? "?" : "", q);
	CHECK(strcmp(rq->target, want) == 0, "the target is not path?QUERY_STRING", rq->target);
	if (uri != NULL && uri[0] == '/') {
		size_t ul = strcspn(uri, "?"), pl = strlen(rq->path), sl = strlen(script);
		int whole = pl == ul && strncmp(rq->path, uri, ul) == 0;
		int after = sl > 0 && !model_onto(script) && pl + sl == ul && strncmp(uri, script, sl) == 0 &&
		            strncmp(uri + sl, rq->path, pl) == 0 &&
		            (strncmp(rq->path, "/api/", 5) == 0 || (rq->mount[0] && model_root(rq->path, pl)));
		CHECK(whole || after, "the path is neither REQUEST_URI's nor what follows SCRIPT_NAME", rq->path);
		CHECK(!rq->mount[0] || after, "a mount, and the path is not what follows it", rq->mount);
	}
	check_mount(rq, script);
	if (uri != NULL && uri[0] == '/')
		return;
	CHECK(pct_decode(rq->path, strlen(rq->path), dec, sizeof dec) == 0, "the path does not decode", rq->path);
	if (!model_onto(script) && (strncmp(pinfo, "/api/", 5) == 0 || (rq->mount[0] && model_root(pinfo, strlen(pinfo)))))
		snprintf(want, sizeof want, "%s", pinfo);
	else
		snprintf(want, sizeof want, "%s%s", script, pinfo);
	CHECK(strcmp(dec, want) == 0, "the decoded path is not PATH_INFO (or SCRIPT_NAME + PATH_INFO)", rq->path);
}

/* The body: CONTENT_LENGTH bytes, or stdin to its end when chunked. */
static void check_body(struct request *rq, struct cgi_body *cb, size_t have, long long max)
{
	static char buf[4096];
	long long total = 0, want = rq->chunked ? (long long)have : rq->content_length;
	int status = 0;
	ssize_t r;
	if (want < 0)
		want = 0; /* neither: the operation reads nothing (fd_body is not used) */
	if (max >= 0)
		cb->max = max;
	while ((r = rq->body.read(rq->body.ctx, buf, sizeof buf, &status)) > 0)
		total += r;
	if (r == 0) {
		CHECK(total == want && total <= cb->max, "a body of another length than announced", "");
		return;
	}
	if (status == 413) {
		CHECK(cb->total > cb->max, "413 within the body limit", "");
		return;
	}
	CHECK(status == 400 && !rq->chunked && have < (size_t)rq->content_length && total == (long long)have,
	      "a body error other than 400 for a short body or 413", "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct request rq;
	struct cgi_body cb;
	struct route rt;
	const char *why = NULL;
	char err[MSG_MAX];
	long long body_max;

	if (memchr(data, '\0', size) != NULL)
		return 0; /* no environment variable holds a NUL */
	clear_env();
	size_t body = set_env((const char *)data, size, &body_max);
	int fd = fuzz_memfd(data + body, size - body);
	int st = cgi_read_request(&rq, &cb, fd, &why);
	if (st != 0) {
		CHECK(st == 400 || st == 413 || st == 414 || st == 431 || st == 501,
		      "a status cgi.h does not document", why);
		CHECK(why != NULL && why[0] != '\0' && !fuzz_has_ctl(why), "the reason is missing or not one line",
		      why);
		return 0;
	}
	CHECK(http_method_known(rq.method) && strcmp(rq.method, var("REQUEST_METHOD")) == 0,
	      "the method is not REQUEST_METHOD, or not a known one", rq.method);
	check_path(&rq);
	check_fields(&rq);
	const char *cl = var("CONTENT_LENGTH");
	if (cl[0])
		CHECK(rq.content_length == strtoll(cl, NULL, 10) && !rq.chunked, "content_length is not CONTENT_LENGTH",
		      cl);
	else
		CHECK(rq.content_length == -1 && rq.chunked == (strcasestr(var("HTTP_TRANSFER_ENCODING"), "chunked") != NULL),
		      "no CONTENT_LENGTH, yet a length, or chunked wrongly", var("HTTP_TRANSFER_ENCODING"));
	st = route_match(rq.method, rq.path, &rt, err, sizeof err);
	CHECK(st == 200 || st == 400 || st == 404 || st == 405, "a status route_match does not document", rq.path);
	check_body(&rq, &cb, size - body, body_max);
	return 0;
}
