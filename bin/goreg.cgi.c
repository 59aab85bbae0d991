/* goreg.cgi: the registry as a CGI/1.1 program (RFC 3875), one request
 * per process, started by any CGI-capable web server.  See goreg.cgi(8). */
#include <stdio.h>

#include "cgi.h"
#include "http.h"
#include "main.h"
#include "ops.h"
#include "store.h"

int main(void)
{
	prog_init("goreg.cgi");
	struct store st;
	struct request rq;
	struct cgi_body cb;
	struct reply r;
	char err[600];
	reply_init(&r);
	int64_t now = unix_now();
	int status = cgi_read_request(&rq, &cb, 0);
	if (status)
		reply_error(&r, status, "%s", http_reason(status));
	else if (store_init(&st, store_default_root(), err, sizeof err) != 200)
		reply_error(&r, 500, "%s", err);
	else {
		ops_dispatch(&st, &rq, now, &r);
		http_apply_conditionals(&rq, &r);
	}
	if (r.status >= 500)
		warnx_("%s %s: %d %.*s", rq.method, rq.path, r.status, (int)(r.mem_len ? r.mem_len - 1 : 0),
		       r.mem ? r.mem : "");
	int rc = http_write_reply(1, &rq, &r, 1, now);
	reply_free(&r);
	return rc < 0 ? 111 : 0;
}
