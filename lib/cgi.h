/* CGI/1.1 (RFC 3875): the meta-variables into the same struct request
 * goreg-httpd builds from the wire. */
#ifndef GOREG_CGI_H
#define GOREG_CGI_H
#include "request.h"

struct cgi_body {
	int fd;
	long long remaining;
};

/* Fill rq from the environment; the body is read from fd (stdin).
 * Returns 0, or an HTTP status (400, 411, 413, 414) to answer. */
int cgi_read_request(struct request *rq, struct cgi_body *cb, int fd);

#endif
