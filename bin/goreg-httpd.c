/* goreg-httpd: the registry over HTTP/1.1 on stdin/stdout, one connection
 * per process, started by a super-server (systemd Accept=yes, inetd,
 * s6/ucspi tcpserver).  See goreg-httpd(8). */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http.h"
#include "main.h"
#include "ops.h"
#include "store.h"

/* Remote address: UCSPI (TCPREMOTEIP), systemd/inetd-style REMOTE_ADDR,
 * else ask the socket itself. */
static void remote_addr(char *out, size_t outsz)
{
	const char *e = getenv("TCPREMOTEIP");
	if (!e || !*e)
		e = getenv("REMOTE_ADDR");
	if (e && *e) {
		snprintf(out, outsz, "%s", e);
		return;
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	snprintf(out, outsz, "-");
	if (getpeername(0, (struct sockaddr *)&ss, &sl) < 0)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, (socklen_t)outsz);
	else if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, out, (socklen_t)outsz);
	else if (ss.ss_family == AF_UNIX)
		snprintf(out, outsz, "unix");
}

static void access_log(const struct request *rq, const struct reply *r)
{
	long long n = r->fd >= 0 ? (long long)r->file_len : (long long)r->mem_len;
	if (strcmp(rq->method, "HEAD") == 0 || r->status == 304 || r->status == 204)
		n = 0;
	/* one line per request, journald/syslog friendly; the target is
	 * printed as received (only visible ASCII reaches here) */
	fprintf(stderr, "%s \"%s %s HTTP/1.%d\" %d %lld\n", rq->remote_addr[0] ? rq->remote_addr : "-",
	        rq->method[0] ? rq->method : "-", rq->target[0] ? rq->target : "-", rq->http_minor, r->status, n);
}

int main(int argc, char **argv)
{
	prog_init("goreg-httpd");
	const char *root = store_default_root();
	int c;
	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c == 'r')
			root = optarg;
		else
			usage("[-r root]");
	}
	if (optind != argc)
		usage("[-r root]");
	setvbuf(stderr, NULL, _IOLBF, 0);
	struct store st;
	char err[600];
	int st_ok = store_init(&st, root, err, sizeof err) == 200;

	static struct conn conn;
	static struct request rq;
	conn_init(&conn, 0, 1);
	remote_addr(rq.remote_addr, sizeof rq.remote_addr);
	for (;;) {
		struct reply r;
		reply_init(&r);
		int status = http_read_request(&conn, &rq);
		if (status < 0)
			break;
		int64_t now = unix_now();
		if (status > 0) {
			reply_error(&r, status, "%s", http_reason(status));
			rq.keep_alive = 0;
		} else if (!st_ok) {
			/* never die silently: a complete 500 first */
			reply_error(&r, 500, "%s", err);
			rq.keep_alive = 0;
		} else {
			http_body_attach(&conn, &rq, MODZIP_MAX_ZIP);
			ops_dispatch(&st, &rq, now, &r);
			http_apply_conditionals(&rq, &r);
			if (http_body_drain(&conn) < 0)
				rq.keep_alive = 0;
		}
		int wr = http_write_reply(1, &rq, &r, 0, now);
		access_log(&rq, &r);
		reply_free(&r);
		if (wr < 0 || !rq.keep_alive)
			break;
	}
	return 0;
}
