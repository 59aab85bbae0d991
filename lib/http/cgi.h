/* CGI/1.1 (RFC 3875): the meta-variables into the same struct request
 * goreg-httpd builds from the wire. */
#ifndef GOREG_CGI_H
#define GOREG_CGI_H
#include "http/http.h"
#include "http/request.h"

struct cgi_body {
	int fd;
	long long remaining;            /* CONTENT_LENGTH bytes left */
	int until_eof;                  /* no CONTENT_LENGTH, chunked: read to EOF */
	long long total, max;
	int read_secs;
	struct body_rate rate;
};

/* Fill rq from the environment; the body is read from fd (stdin).
 * Returns 0, or an HTTP status to answer (400, 413, 414, 431, 501) with
 * a one-line reason in *why.  The path routed is the request's raw path
 * from REQUEST_URI, after SCRIPT_NAME when what follows it is one of
 * goreg's root paths ("/api/...", "/-/...", "/healthz", "/metrics":
 * the program is mounted at SCRIPT_NAME, kept in rq->mount for the
 * pages' links when it is fit to be one); without REQUEST_URI, PATH_INFO when it begins with
 * "/api/" or, after a SCRIPT_NAME, is another root path, else
 * SCRIPT_NAME + PATH_INFO. */
int cgi_read_request(struct request *rq, struct cgi_body *cb, int fd, const char **why);

#endif
