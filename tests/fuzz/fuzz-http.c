/* libFuzzer harness: goreg-httpd's request reading (lib/http/http.c) on an
 * arbitrary byte stream from the client, as goreg-httpd's loop drives it:
 * read a head, route it (lib/app/route.c), read the body (Content-Length or
 * chunked), drain, next request.  The stream is a memfd, so reads see the
 * data then end of file, as from a client that sent everything and shut
 * down its side.  Properties: an error status is one goreg documents, the
 * reason is one line, the router answers 200/400/404/405 with a reason,
 * and a Content-Length body yields exactly its length. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "http/http.h"
#include "app/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *s)
{
	fprintf(stderr, "fuzz-http: %s: %s\n", what, s ? s : "(null)");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conn c;
	static struct request rq;
	static struct route rt;
	static int in = -1, out = -1;
	char err[600], buf[4096];
	int i;

	if (in < 0) {
		if ((in = memfd_create("fuzz-http", MFD_CLOEXEC)) < 0 ||
		    (out = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
			die("setup", "memfd_create or /dev/null");
	}
	if (ftruncate(in, 0) != 0 || (size > 0 && pwrite(in, data, size, 0) != (ssize_t)size) ||
	    lseek(in, 0, SEEK_SET) != 0)
		die("setup", "writing the input");
	memset(&rq, 0, sizeof rq);
	conn_init(&c, in, out);
	for (i = 0; i < 100; i++) {
		int st = http_read_request(&c, &rq);
		if (st < 0)
			break;
		if (st > 0) {
			switch (st) {
			case 400: case 408: case 413: case 414: case 417: case 431: case 501: case 505:
				break;
			default:
				die("undocumented status from http_read_request", c.why);
			}
			if (c.why == NULL || c.why[0] == '\0' || strchr(c.why, '\n') != NULL)
				die("reason missing or not one line", c.why);
			break;
		}
		if (rq.method[0] == '\0' || rq.content_length < -1)
			die("parsed head without a method or with a negative length", rq.target);
		st = route_match(rq.method, rq.path, &rt, err, sizeof err);
		if (st != 200 && st != 400 && st != 404 && st != 405)
			die("undocumented status from route_match", rq.path);
		/* not "one line": route's reasons quote the decoded path, %0a
		 * included, and reply_error makes the line (found by this
		 * harness, reported to route.c's owner) */
		if (st != 200 && err[0] == '\0')
			die("route reason missing", rq.path);
		http_body_attach(&c, &rq);
		{
			long long total = 0;
			ssize_t r;
			int bst = 0;
			while ((r = rq.body.read(rq.body.ctx, buf, sizeof buf, &bst)) > 0)
				total += r;
			if (r == 0 && !rq.chunked && rq.content_length >= 0 && total != rq.content_length)
				die("a Content-Length body of another length", rq.target);
			if (r < 0 && (bst < 400 || bst > 599))
				die("body error without an error status", rq.target);
		}
		if (http_body_drain(&c) < 0 || !rq.keep_alive)
			break;
	}
	return 0;
}
