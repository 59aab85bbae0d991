/* goreg.cgi: the registry as a CGI/1.1 program (RFC 3875), one request
 * per process, started by any CGI-capable web server.  See goreg.cgi(8). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/cgi.h"
#include "http/field.h"
#include "http/http.h"
#include "base/prog.h"
#include "base/util.h"
#include "app/ops.h"
#include "web/web.h"
#include "store/store.h"
#include "upstream/upstream.h"

/* The limits of goreg.cgi(8), for one request: at first those of an
 * upload, then a smaller CPU budget once the request turns out to have no
 * body (and no miss can run goreg-fetch); the seccomp filter before
 * anything of the request is read, unless a miss may run goreg-fetch (the
 * filter would pass on to it and refuse it its sockets).  A failure goes
 * to the web server's error log, and the request is served. */
static void limit_self(int fetches)
{
	static const struct prog_limits lim = {PROG_CPU_BODY_SECS, PROG_CPU_BODY_SECS, PROG_FSIZE_MAX,
	                                       PROG_AS_MAX};
	if (prog_limit(&lim) < 0)
		warnx_("unable to set resource limits: %s", strerror(errno));
	if (prog_seccomp(!fetches) < 0)
		warnx_("unable to install the seccomp filter: %s", strerror(errno));
	prog_last_words("Status: 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
	                "CPU time limit for a request reached\n");
}

#define SYNOPSIS "(no arguments: a CGI/1.1 program, run by a web server; see goreg.cgi(8))"

/* Run by hand (no GATEWAY_INTERFACE): --help, or what is wrong.  A web
 * server may pass arguments (an ISINDEX query, RFC 3875 section 4.4):
 * those are ignored. */
static void args(int argc, char **argv)
{
	if (argc < 2 || getenv("GATEWAY_INTERFACE"))
		return;
	prog_help(argc, argv, SYNOPSIS);
	if (argv[1][0] == '-')
		warnx_("unknown option: %s", argv[1]);
	usage(SYNOPSIS);
}

int main(int argc, char **argv)
{
	prog_init("goreg.cgi");
	args(argc, argv);
	struct store st;
	static struct request rq;
	struct cgi_body cb;
	struct reply r;
	char err[MSG_MAX];
	const char *why = NULL;
	int st_init = store_init(&st, store_default_root(), err, sizeof err) == 200;
	int st_ok = st_init && store_check_root(&st, err, sizeof err) == 200;
	/* the web server's error log says it before anything else */
	if (!st_ok)
		warnx_("%s", err);
	int fetches = st_ok && upstream_any(&st);
	limit_self(fetches);
	reply_init(&r);
	int64_t now = unix_now();
	int status = cgi_read_request(&rq, &cb, 0, &why);
	if (status == 0 && rq.content_length <= 0 && !rq.chunked && !fetches)
		prog_cpu_budget(PROG_CPU_SECS);
	if (status)
		reply_error(&r, status, "%s", why ? why : http_reason(status));
	else if (!st_ok && !(st_init && strcmp(rq.path, "/healthz") == 0))   /* /healthz says 503 itself */
		reply_error(&r, 500, "%s", err);
	else {
		web_dispatch(&st, &rq, now, &r);
		http_apply_conditionals(&rq, &r);
	}
	/* the web server's error log gets what failed on our side; the
	 * client, for a 500, a line that names none of our paths */
	char logged[MSG_MAX];
	ops_hide_500(&r, logged, sizeof logged);
	if (r.status >= 500 && !*logged)
		fmt(logged, sizeof logged, "%.*s", (int)(r.mem_len ? r.mem_len - 1 : 0), r.mem ? r.mem : "");
	if (r.status >= 500)
		warnx_("%s %s: %d %s", rq.method[0] ? rq.method : "-", rq.path[0] ? rq.path : "-", r.status,
		       logged);
	prog_last_words(NULL);
	int rc = http_write_reply(1, &rq, &r, 1, now, field_env_secs("GOREG_WRITE_TIMEOUT", HTTP_WRITE_SECS));
	reply_free(&r);
	return rc < 0 ? 111 : 0;
}
