/* lib/cgi: the CGI/1.1 meta-variables (RFC 3875) into struct request, the
 * way Apache, nginx + fcgiwrap and lighttpd set them. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/cgi.h"
#include "tap.h"

static struct request rq;
static struct cgi_body cb;
static const char *why;

static const char *const vars[] = {
	"REQUEST_METHOD", "REQUEST_URI", "SCRIPT_NAME", "PATH_INFO", "QUERY_STRING", "CONTENT_LENGTH",
	"SERVER_PROTOCOL", "HTTP_AUTHORIZATION", "HTTP_TRANSFER_ENCODING", "HTTP_RANGE", "REMOTE_ADDR",
	"HTTP_USER_AGENT",
};

/* cgi("VAR=value", ..., NULL) with everything else unset */
static int cgi(const char *first, ...)
{
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		unsetenv(vars[i]);
	va_list ap;
	va_start(ap, first);
	for (const char *a = first; a; a = va_arg(ap, const char *))
		putenv((char *)a);
	va_end(ap);
	why = NULL;
	return cgi_read_request(&rq, &cb, 0, &why);
}

int main(void)
{
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/cgi-bin/goreg.cgi",
	           "REQUEST_URI=/cgi-bin/goreg.cgi/api/packages/acme/go/example.com/x/@v/list?a=b",
	           "PATH_INFO=/api/packages/acme/go/example.com/x/@v/list", "QUERY_STRING=a=b", NULL),
	       0, "CGI under /cgi-bin");
	is_str(rq.path, "/api/packages/acme/go/example.com/x/@v/list", "path after SCRIPT_NAME");
	is_str(rq.target, "/api/packages/acme/go/example.com/x/@v/list?a=b", "target with the query");
	is_int(rq.http_minor, 1, "HTTP/1.1 unless told otherwise");
	is_str(rq.mount, "/cgi-bin/goreg.cgi", "the mount is SCRIPT_NAME");

	is_int(cgi("REQUEST_METHOD=DELETE", "SCRIPT_NAME=/api",
	           "REQUEST_URI=/api/v1/packages/acme/go/example.com%2Fx/v1.0.0",
	           "PATH_INFO=/v1/packages/acme/go/example.com/x/v1.0.0", NULL),
	       0, "CGI mounted at /api (what follows SCRIPT_NAME is not a goreg URL)");
	is_str(rq.path, "/api/v1/packages/acme/go/example.com%2Fx/v1.0.0", "the raw REQUEST_URI path: %%2F kept");

	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/goreg",
	           "REQUEST_URI=/goreg/api/v4/projects/acme/packages/go/x.org/y/@latest", NULL),
	       0, "CGI mounted at /goreg");
	is_str(rq.path, "/api/v4/projects/acme/packages/go/x.org/y/@latest", "path after the mount");

	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/cgi-bin/goreg.cgi",
	           "PATH_INFO=/api/packages/acme/go/x.org/100%/@v/list", NULL),
	       0, "no REQUEST_URI: PATH_INFO");
	is_str(rq.path, "/api/packages/acme/go/x.org/100%25/@v/list", "PATH_INFO re-encoded (%% as %%25)");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/api", "PATH_INFO=/packages/acme/go/x.org/y/@v/list", NULL), 0,
	       "no REQUEST_URI, mounted at /api");
	is_str(rq.path, "/api/packages/acme/go/x.org/y/@v/list", "SCRIPT_NAME + PATH_INFO");

	/* the pages below a mount */
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/cgi-bin/goreg.cgi", "REQUEST_URI=/cgi-bin/goreg.cgi/-/owner/acme",
	           "PATH_INFO=/-/owner/acme", NULL), 0, "a page below the mount");
	is_str(rq.path, "/-/owner/acme", "  its path after SCRIPT_NAME");
	is_str(rq.mount, "/cgi-bin/goreg.cgi", "  and the mount for its links");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/cgi-bin/goreg.cgi", "REQUEST_URI=/cgi-bin/goreg.cgi/healthz", NULL),
	       0, "/healthz below the mount");
	is_str(rq.path, "/healthz", "  its path");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/cgi-bin/goreg.cgi", "PATH_INFO=/-/module/acme/x.org/y", NULL), 0,
	       "no REQUEST_URI: a page's PATH_INFO below a mount");
	is_str(rq.path, "/-/module/acme/x.org/y", "  is the path");
	is_str(rq.mount, "/cgi-bin/goreg.cgi", "  under the mount");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/-", "REQUEST_URI=/-/owner/acme", "PATH_INFO=/owner/acme", NULL), 0,
	       "mapped onto /- (etc/lighttpd): the whole path");
	is_str(rq.path, "/-/owner/acme", "  is the page's");
	is_str(rq.mount, "", "  at the root");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/api", "REQUEST_URI=/api/", NULL), 0, "/api/ alone");
	is_str(rq.path, "/api/", "  stays the API's path, not the front page");
	/* SCRIPT_NAMEs that are no mount: below a root path, or not a plain path */
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/api", "REQUEST_URI=/api/metrics", "PATH_INFO=/metrics", NULL), 0,
	       "mapped onto /api: /api/metrics");
	is_str(rq.path, "/api/metrics", "  is the API's path (404 there), not /metrics");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/api", "PATH_INFO=/-/owner/acme", NULL), 0,
	       "mapped onto /api, no REQUEST_URI: /api/-/owner/acme");
	is_str(rq.path, "/api/-/owner/acme", "  is the API's path, not a page");
	/* mapped onto /api (lighttpd's alias of /api), the program is no
	 * mount: /api/api/packages/... is not a second spelling of
	 * /api/packages/..., which a server's rules on that path would miss */
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/api", "REQUEST_URI=/api/api/packages/acme/go/x.org/y/@v/list",
	           "PATH_INFO=/api/packages/acme/go/x.org/y/@v/list", NULL), 0, "mapped onto /api: /api/api/packages/...");
	is_str(rq.path, "/api/api/packages/acme/go/x.org/y/@v/list", "  is routed whole (404), not as /api/packages/...");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/api", "PATH_INFO=/api/packages/acme/go/x.org/y/@v/list", NULL), 0,
	       "the same without REQUEST_URI");
	is_str(rq.path, "/api/api/packages/acme/go/x.org/y/@v/list", "  is SCRIPT_NAME and PATH_INFO, whole");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/-", "REQUEST_URI=/-/api/packages/acme/go/x.org/y/@v/list", NULL), 0,
	       "mapped onto /-: /-/api/packages/...");
	is_str(rq.path, "/-/api/packages/acme/go/x.org/y/@v/list", "  is routed whole");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=//evil.example", "REQUEST_URI=//evil.example/-/", NULL), 0,
	       "a SCRIPT_NAME of //host");
	is_str(rq.mount, "", "  is no mount (a link to another site)");
	is_str(rq.path, "//evil.example/-/", "  and the whole path is routed");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/\\evil.example", "PATH_INFO=/-/", NULL), 0,
	       "a SCRIPT_NAME of /\\host, no REQUEST_URI");
	is_str(rq.mount, "", "  is no mount");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/x/../y", "REQUEST_URI=/x/../y/api/packages/acme/go/x.org/y/@v/list",
	           NULL), 0, "a SCRIPT_NAME with a '..' segment");
	is_str(rq.path, "/api/packages/acme/go/x.org/y/@v/list", "  still has the API below it");
	is_str(rq.mount, "", "  but is no mount");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=x", "PATH_INFO=/-/", NULL), 400,
	       "a SCRIPT_NAME without '/' before a page's PATH_INFO: 400");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/a\001b", "REQUEST_URI=/a\001b/-/", NULL), 400,
	       "a SCRIPT_NAME with a control character is no mount: the whole path, refused");

	is_int(cgi("REQUEST_METHOD=GET", NULL), 400, "no path at all: 400");
	is_int(cgi("REQUEST_METHOD=GET", "REQUEST_URI=/a b", NULL), 400, "a space in REQUEST_URI: 400");
	/* found by tests/fuzz/fuzz-cgi.c: the path was "5api/packages/..." */
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=5api", "PATH_INFO=/packages/acme/go/x.org/y/@v/list", NULL), 400,
	       "a SCRIPT_NAME without its leading '/': 400, not a path without one");
	is_int(cgi("REQUEST_METHOD=GET", "SCRIPT_NAME=/api", "PATH_INFO=packages/acme/go/x.org/y/@v/list", NULL), 400,
	       "a PATH_INFO without its leading '/': 400");

	is_int(cgi("SCRIPT_NAME=/x", "REQUEST_URI=/x", NULL), 400, "no REQUEST_METHOD: 400");
	is_int(cgi("REQUEST_METHOD=FROB", "REQUEST_URI=/x", NULL), 501, "unknown method: 501, as goreg-httpd");
	is_int(cgi("REQUEST_METHOD=G T", "REQUEST_URI=/x", NULL), 400, "malformed method: 400");
	is_int(cgi("REQUEST_METHOD=GET", "REQUEST_URI=/x", "SERVER_PROTOCOL=HTTP/1.0", NULL), 0, "HTTP/1.0");
	is_int(rq.http_minor, 0, "HTTP/1.0 noted");

	is_int(cgi("REQUEST_METHOD=PUT", "REQUEST_URI=/x", "CONTENT_LENGTH=524288001", NULL), 413,
	       "CONTENT_LENGTH above the zip limit: 413 before reading");
	is_int(cgi("REQUEST_METHOD=PUT", "REQUEST_URI=/x", "CONTENT_LENGTH=12x", NULL), 400, "malformed CONTENT_LENGTH: 400");
	is_int(cgi("REQUEST_METHOD=PUT", "REQUEST_URI=/x", "CONTENT_LENGTH=3", NULL), 0, "CONTENT_LENGTH");
	is_int(rq.content_length, 3, "content_length");
	is_int(cgi("REQUEST_METHOD=PUT", "REQUEST_URI=/x", "HTTP_TRANSFER_ENCODING=chunked", NULL), 0,
	       "chunked body without CONTENT_LENGTH");
	ok(rq.chunked && cb.until_eof, "read until EOF");

	static char longauth[2100] = "HTTP_AUTHORIZATION=Basic ";
	memset(longauth + strlen(longauth), 'a', 2000);
	is_int(cgi("REQUEST_METHOD=GET", "REQUEST_URI=/x", longauth, NULL), 431, "Authorization too long: 431");
	/* found by tests/fuzz/fuzz-cgi.c: kept with its ESC, which
	 * goreg-httpd refuses on the wire */
	is_int(cgi("REQUEST_METHOD=GET", "REQUEST_URI=/x", "HTTP_USER_AGENT=S\033gi", NULL), 400,
	       "a control character in User-Agent: 400, as from goreg-httpd");
	is_int(cgi("REQUEST_METHOD=GET", "REQUEST_URI=/x", "HTTP_AUTHORIZATION=Bearer t", "REMOTE_ADDR=192.0.2.1", NULL), 0,
	       "Authorization");
	is_str(rq.authorization, "Bearer t", "HTTP_AUTHORIZATION kept");
	is_str(rq.remote_addr, "192.0.2.1", "REMOTE_ADDR kept");

	/* the body: CONTENT_LENGTH bytes from stdin */
	int p[2];
	if (pipe(p) < 0 || write(p[1], "hello", 5) != 5)
		abort();
	close(p[1]);
	dup2(p[0], 0);
	close(p[0]);
	cgi("REQUEST_METHOD=PUT", "REQUEST_URI=/x", "CONTENT_LENGTH=4", NULL);
	char b[16];
	int st = 0;
	ssize_t n = rq.body.read(rq.body.ctx, b, sizeof b, &st);
	is_int(n, 4, "CONTENT_LENGTH bytes, no more (RFC 3875 section 4.2)");
	is_int(rq.body.read(rq.body.ctx, b, sizeof b, &st), 0, "then the end");
	cb.remaining = 5;
	is_int(rq.body.read(rq.body.ctx, b, sizeof b, &st), 1, "one byte more when one more is promised");
	is_int(rq.body.read(rq.body.ctx, b, sizeof b, &st), -1, "a body shorter than CONTENT_LENGTH fails");
	is_int(st, 400, "with 400");
	return done_testing();
}
