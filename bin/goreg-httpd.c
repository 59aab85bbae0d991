/* goreg-httpd: the registry over HTTP/1.1 on stdin/stdout, one connection
 * per process, started by a super-server (systemd Accept=yes, inetd,
 * xinetd, s6/ucspi tcpserver, stunnel exec).  See goreg-httpd(8). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "http/http.h"
#include "base/prog.h"
#include "base/util.h"
#include "app/ops.h"
#include "web/web.h"
#include "store/store.h"
#include "upstream/upstream.h"

/* Only what an IP address (v4, v6, v6 with a zone) is made of, so that
 * nothing odd from the environment reaches the log. */
static int addr_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= 64)
		return 0;
	return strspn(s, "0123456789abcdefABCDEF.:%") == n;
}

/* Remote address: UCSPI tcpserver and s6 (TCPREMOTEIP), systemd Accept=yes
 * (REMOTE_ADDR), stunnel exec (REMOTE_HOST), else ask the socket. */
static void remote_addr(char *out, size_t outsz)
{
	static const char *const vars[] = {"TCPREMOTEIP", "REMOTE_ADDR", "REMOTE_HOST"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *e = getenv(vars[i]);
		if (e && addr_ok(e)) {
			snprintf(out, outsz, "%s", e);
			return;
		}
	}
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	snprintf(out, outsz, "-");
	if (getpeername(0, (struct sockaddr *)&ss, &sl) < 0)
		return;
	if (ss.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, out, (socklen_t)outsz);
	else if (ss.ss_family == AF_INET6) {
		struct in6_addr *a = &((struct sockaddr_in6 *)&ss)->sin6_addr;
		/* a dual-stack socket reports IPv4 clients as ::ffff:a.b.c.d */
		if (IN6_IS_ADDR_V4MAPPED(a))
			inet_ntop(AF_INET, &a->s6_addr[12], out, (socklen_t)outsz);
		else
			inet_ntop(AF_INET6, a, out, (socklen_t)outsz);
	} else if (ss.ss_family == AF_UNIX)
		snprintf(out, outsz, "unix");
}

/* inetd and xinetd (and systemd with StandardError=inherit) make fd 2 the
 * connection itself: a log line there would land in the client's
 * response.  Then the log goes to syslog(3) and fd 2 to /dev/null. */
static int use_syslog;

static void log_setup(void)
{
	struct stat a, b;
	if (fstat(0, &a) < 0 || fstat(2, &b) < 0 || !S_ISSOCK(b.st_mode) || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return;
	int fd = open("/dev/null", O_WRONLY);
	if (fd >= 0) {
		dup2(fd, 2);
		if (fd != 2)
			close(fd);
	}
	/* connected now: once the seccomp filter is on, no socket can be made */
	openlog("goreg-httpd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
	use_syslog = 1;
}

/* One write(2) per line: the lines (up to PIPE_BUF bytes) of the many
 * processes sharing one log pipe do not interleave.  line[0, n) is
 * NUL-terminated, with room after it for the newline. */
static void log_write(int prio, char *line, size_t n)
{
	if (use_syslog) {
		syslog(prio, "%s", line);
		return;
	}
	line[n++] = '\n';
	if (write(2, line, n) < 0) {
		/* nowhere left to report it */
	}
}

static void log_line(int prio, const char *line)
{
	if (use_syslog) {
		syslog(prio, "%s", line);
		return;
	}
	char buf[LOG_LINE_MAX];
	size_t n = strlen(line);
	if (n > sizeof buf - 1)
		n = sizeof buf - 1;
	memcpy(buf, line, n);
	buf[n] = 0;
	log_write(prio, buf, n);
}

/* s[0, n) added at line + *o, as much as fits before the byte kept for
 * the newline and the one for the NUL */
static void add(char *line, size_t sz, size_t *o, const char *s, size_t n)
{
	if (n > sz - 2 - *o)
		n = sz - 2 - *o;
	memcpy(line + *o, s, n);
	*o += n;
}

/* One line per request: remote address, request line, status, body bytes
 * sent, process id and the request's number on this connection (one
 * process serves one connection).  The target is printed as received
 * (visible ASCII only reaches here) with '"' and '\' escaped.  The line
 * is put together in place, without printf's number conversions or
 * fmt's: a keep-alive request's own work is little more than this. */
static char pid_s[24];

static void access_log(const struct request *rq, const struct reply *r, const char *why, unsigned seq)
{
	long long n = reply_has_file(r) ? (long long)r->file_len : (long long)r->mem_len;
	if (strcmp(rq->method, "HEAD") == 0 || r->status == 304 || r->status == 204)
		n = 0;
	/* the request line quoted takes up to REQ_MAX - 1 bytes */
	enum { REQ_MAX = sizeof rq->target * 4 + 40 };
	char line[sizeof rq->target * 4 + 200];
	size_t o = 0;
	const char *addr = rq->remote_addr[0] ? rq->remote_addr : "-";
	add(line, sizeof line, &o, addr, strlen(addr));
	add(line, sizeof line, &o, " \"", 2);
	size_t req = o;
	if (rq->method[0]) {
		static const char hex[] = "0123456789abcdef";
		add(line, sizeof line, &o, rq->method, strlen(rq->method));
		line[o++] = ' ';
		/* runs without '"' or '\' copied whole, up to 8 bytes short
		 * of REQ_MAX (an escape takes 4); most targets have neither,
		 * and are one run, found by memchr */
		const char *p = rq->target;
		size_t tl = strlen(p);
		if (!memchr(p, '"', tl) && !memchr(p, '\\', tl) && o - req + tl + 8 < REQ_MAX) {
			memcpy(line + o, p, tl);
			o += tl;
			p += tl;
		}
		while (*p && o - req + 8 < REQ_MAX) {
			size_t k = 0;
			while (p[k] && p[k] != '"' && p[k] != '\\')
				k++;
			if (k > REQ_MAX - 8 - (o - req))
				k = REQ_MAX - 8 - (o - req);
			memcpy(line + o, p, k);
			o += k;
			p += k;
			if (!*p || o - req + 8 >= REQ_MAX)
				break;
			line[o] = '\\';
			line[o + 1] = 'x';
			line[o + 2] = hex[(unsigned char)*p >> 4];
			line[o + 3] = hex[*p & 15];
			o += 4;
			p++;
		}
		char minor[24], ver[40] = " HTTP/1.";
		size_t vl = 8 + fmt_num(minor, rq->http_minor);
		memcpy(ver + 8, minor, vl - 8);
		/* cut as the request line's REQ_MAX cuts it */
		add(line, sizeof line, &o, ver, vl < REQ_MAX - 1 - (o - req) ? vl : REQ_MAX - 1 - (o - req));
	} else
		add(line, sizeof line, &o, "-", 1);
	char num[24];
	add(line, sizeof line, &o, "\" ", 2);
	add(line, sizeof line, &o, num, fmt_num(num, r->status));
	add(line, sizeof line, &o, " ", 1);
	add(line, sizeof line, &o, num, fmt_num(num, n));
	add(line, sizeof line, &o, " pid=", 5);
	add(line, sizeof line, &o, pid_s, strlen(pid_s));
	add(line, sizeof line, &o, " req=", 5);
	add(line, sizeof line, &o, num, fmt_num(num, (long long)seq));
	line[o] = 0;
	log_write(LOG_INFO, line, o);
	/* a server-side failure also says what failed (the reply's one
	 * line, or for a 500 the reason the client was not shown) */
	if (r->status >= 500 && (*why || r->mem_len > 1)) {
		snprintf(line, sizeof line, "goreg-httpd: %s %s: %d %.*s", rq->method[0] ? rq->method : "-",
		         rq->path[0] ? rq->path : "-", r->status, *why ? (int)strlen(why) : (int)(r->mem_len - 1),
		         *why ? why : r->mem);
		log_line(LOG_ERR, line);
	}
}

/* The limits of goreg-httpd(8), for a connection: files and memory as for
 * its largest request, CPU time per request (prog_cpu_budget) within a
 * bound for the connection; then the seccomp filter, before the first
 * byte from the client is read, unless a miss may run goreg-fetch (the
 * filter would pass on to it and refuse it its sockets).  A failure is
 * logged, and the connection served all the same. */
static void limit_self(int fetches)
{
	static const struct prog_limits lim = {PROG_CPU_SECS, PROG_CPU_CONN_SECS, PROG_FSIZE_MAX,
	                                       PROG_AS_MAX};
	char line[ERR_LINE_MAX];
	if (prog_limit(&lim) < 0) {
		snprintf(line, sizeof line, "goreg-httpd: unable to set resource limits: %s", strerror(errno));
		log_line(LOG_ERR, line);
	}
	if (prog_seccomp(!fetches) < 0) {
		snprintf(line, sizeof line, "goreg-httpd: unable to install the seccomp filter: %s",
		         strerror(errno));
		log_line(LOG_ERR, line);
	}
}

/* The filter's own line went to fd 2; with syslog, fd 2 is /dev/null. */
static void log_refused(void)
{
	static unsigned seen;
	int nr;
	unsigned n = prog_seccomp_refused(&nr);
	if (!use_syslog || n == seen)
		return;
	char line[200];
	snprintf(line, sizeof line, "goreg-httpd: system call %d: refused by the seccomp filter (%u in all)",
	         nr, n);
	log_line(LOG_ERR, line);
	seen = n;
}

/* Sent if the CPU limit ends a request before its reply is under way. */
#define CPU_LIMIT_MSG "CPU time limit for a request reached\n"
static const char cpu_limit_reply[] =
	"HTTP/1.1 500 Internal Server Error\r\nContent-Type: text/plain; charset=utf-8\r\n"
	"Content-Length: 37\r\nConnection: close\r\n\r\n" CPU_LIMIT_MSG;
_Static_assert(sizeof CPU_LIMIT_MSG - 1 == 37, "Content-Length of cpu_limit_reply");

int main(int argc, char **argv)
{
	prog_init("goreg-httpd");
	const char *root = store_default_root();
	int c;
	prog_help(argc, argv, "[-r root]");
	opterr = 0; /* usage_option says it, in our one-line format */
	while ((c = getopt(argc, argv, ":r:")) != -1) {
		if (c == 'r')
			root = optarg;
		else
			usage_option("[-r root]", c, argc, argv);
	}
	if (optind != argc)
		usage("[-r root]");
	log_setup();
	fmt_num(pid_s, (long long)getpid());
	struct store st;
	struct store_cache cache = {0};
	char err[MSG_MAX];
	int st_init = store_init(&st, root, err, sizeof err) == 200;
	int st_ok = st_init && store_check_root(&st, err, sizeof err) == 200;
	if (!st_ok) {
		/* said once at start; each request then gets a 500 */
		char line[ERR_LINE_MAX];
		snprintf(line, sizeof line, "goreg-httpd: %s", err);
		log_line(LOG_ERR, line);
	}
	/* one connection, many requests: keep goreg.tdb open between them,
	 * and have the kernel say when a kept file's name changes (else a
	 * stat of each per request) */
	st.cache = &cache;
	if (st_ok)
		store_cache_watch(&cache, st.root);

	static struct conn conn;
	static struct request rq;
	conn_init(&conn, 0, 1);
	remote_addr(rq.remote_addr, sizeof rq.remote_addr);
	/* with an upstream, any GET may do an upload's work (in goreg-fetch,
	 * which inherits the budget) */
	int fetches = st_ok && upstream_any(&st);
	limit_self(fetches);
	for (unsigned seq = 1;; seq++) {
		struct reply r;
		reply_init(&r);
		int status = http_read_request(&conn, &rq);
		if (status < 0)
			break; /* the client closed, or idled out: nothing to answer */
		store_cache_request(&cache, !rq.keep_alive);
		int big = fetches || (status == 0 && (rq.content_length > 0 || rq.chunked));
		if (prog_cpu_budget(big ? PROG_CPU_BODY_SECS : PROG_CPU_SECS) > 0)
			rq.keep_alive = 0; /* the connection's CPU time is spent */
		prog_last_words(cpu_limit_reply);
		int64_t now = unix_now();
		if (status > 0) {
			reply_error(&r, status, "%s", conn.why ? conn.why : http_reason(status));
			rq.keep_alive = 0;
		} else if (!st_ok && !(st_init && strcmp(rq.path, "/healthz") == 0)) {   /* /healthz: 503 itself */
			/* never die silently: a complete 500 first */
			reply_error(&r, 500, "%s", err);
			rq.keep_alive = 0;
		} else {
			http_body_attach(&conn, &rq);
			web_dispatch(&st, &rq, now, &r);
			http_apply_conditionals(&rq, &r);
			if (http_body_drain(&conn) < 0)
				rq.keep_alive = 0;
		}
		prog_last_words(NULL);
		char why[MSG_MAX];
		ops_hide_500(&r, why, sizeof why);
		int wr = http_write_reply(1, &rq, &r, 0, now, conn.write_secs);
		access_log(&rq, &r, why, seq);
		log_refused();
		reply_free(&r);
		if (wr < 0)
			break;
		if (!rq.keep_alive) {
			http_linger_close(&conn);
			break;
		}
	}
	store_cache_close(&st);
	return 0;
}
