/* lib/http, httpcond, httpwrite: the request-head parser, the body readers,
 * conditionals and ranges, and the reply writer, driven through a real
 * struct conn over a socketpair (the client's end is ours to write). */
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"
#include "http/field.h"
#include "http/http.h"
#include "tap.h"

static struct conn c;
static struct request rq;
static int peer = -1; /* the client's end */

/* A fresh connection whose client has sent bytes (and closed its sending
 * side when eof); returns http_read_request's answer. */
static int start(const void *bytes, size_t n, int eof)
{
	int sv[2];
	if (peer >= 0)
		close(peer), close(c.in);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	peer = sv[0];
	if (n && write(peer, bytes, n) != (ssize_t)n)
		abort();
	if (eof)
		shutdown(peer, SHUT_WR);
	conn_init(&c, sv[1], sv[1]);
	c.idle_secs = c.read_secs = 1;
	memset(&rq, 0, sizeof rq);
	return http_read_request(&c, &rq);
}

static int head(const char *s)
{
	return start(s, strlen(s), 1);
}

/* the whole body through rq.body, or -status */
static long long body(char *out, size_t outsz)
{
	size_t o = 0;
	http_body_attach(&c, &rq);
	for (;;) {
		int st = 0;
		ssize_t r = rq.body.read(rq.body.ctx, out + o, outsz - o - 1, &st);
		if (r == 0)
			break;
		if (r < 0)
			return -st;
		o += (size_t)r;
	}
	out[o] = 0;
	return (long long)o;
}

/* what the server wrote to the client, up to n bytes, waiting briefly */
static char *peer_read(void)
{
	static char b[65536];
	size_t o = 0;
	struct pollfd p = {.fd = peer, .events = POLLIN};
	while (o < sizeof b - 1 && poll(&p, 1, 100) > 0) {
		ssize_t r = read(peer, b + o, sizeof b - 1 - o);
		if (r <= 0)
			break;
		o += (size_t)r;
	}
	b[o] = 0;
	return b;
}

#define H(x) "GET / HTTP/1.1\r\nHost: h\r\n" x "\r\n"
#define PUT(x) "PUT /u HTTP/1.1\r\nHost: h\r\n" x "\r\n"

static void test_head(void)
{
	is_int(head("GET /api/x?y=1 HTTP/1.1\r\nHost: reg.example:8080\r\nUser-Agent: t\r\n\r\n"), 0, "simple GET");
	is_str(rq.method, "GET", "method");
	is_str(rq.target, "/api/x?y=1", "target as received");
	is_str(rq.path, "/api/x", "path without the query");
	is_str(rq.host, "reg.example:8080", "Host");
	is_int(rq.http_minor, 1, "HTTP/1.1");
	is_int(rq.keep_alive, 1, "HTTP/1.1 is persistent");
	is_int(rq.content_length, -1, "no Content-Length");
	is_int(head("\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), 0, "empty lines before the request-line are ignored");
	is_int(head("GET / HTTP/1.0\r\n\r\n"), 0, "HTTP/1.0 needs no Host");
	is_int(rq.keep_alive, 0, "HTTP/1.0 closes by default");
	is_int(head("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n"), 0, "HTTP/1.0 keep-alive");
	is_int(rq.keep_alive, 1, "HTTP/1.0 with Connection: keep-alive persists");
	is_int(head(H("Connection: foo, close\r\n")), 0, "Connection: close");
	is_int(rq.keep_alive, 0, "close in a Connection list ends the connection");
	is_int(head(H("X-Name: caf\xc3\xa9\r\n")), 0, "obs-text in a value is fine");
	is_int(head(H("Authorization: Basic YTpi\r\nPrivate-Token: t\r\nIf-None-Match: \"x\"\r\n"
	               "If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\nRange: bytes=1-\r\nIf-Range: \"x\"\r\n")),
	       0, "the fields goreg uses");
	is_str(rq.authorization, "Basic YTpi", "Authorization kept");
	is_str(rq.private_token, "t", "Private-Token kept");
	is_str(rq.if_none_match, "\"x\"", "If-None-Match kept");
	is_str(rq.range, "bytes=1-", "Range kept");
	is_str(rq.if_range, "\"x\"", "If-Range kept");
	is_str(rq.if_modified_since, "Sun, 06 Nov 1994 08:49:37 GMT", "If-Modified-Since kept");
	is_int(head("GET / HTTP/1.1\r\nhOsT:h\r\ncontent-length:0\r\n\r\n"), 0, "names are case-insensitive, OWS optional");
	is_int(rq.content_length, 0, "Content-Length: 0");

	/* line ends: CRLF only */
	is_int(head("GET / HTTP/1.1\nHost: h\n\n"), 400, "bare LF line ends: 400");
	is_int(head("GET / HTTP/1.1\r\nHost: h\n\r\n"), 400, "one bare LF among CRLFs: 400");
	is_int(head("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n"), 400, "bare CR: 400");
	is_int(head("\nGET / HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "a bare LF before the request-line: 400");
	ok(c.why && strstr(c.why, "bare LF"), "the reason says why: %s", c.why);

	/* request-line */
	is_int(head("GET / HTTP/2.0\r\nHost: h\r\n\r\n"), 505, "HTTP/2.0 over HTTP/1 framing: 505");
	is_int(head("GET / HTTP/1.1x\r\nHost: h\r\n\r\n"), 400, "malformed version: 400");
	is_int(head("GET / HTTP/1.1 \r\nHost: h\r\n\r\n"), 400, "trailing space: 400");
	is_int(head("GET  / HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "two spaces: 400");
	is_int(head("GET / HTTP/1.1\r\n\r\n"), 400, "HTTP/1.1 without Host: 400");
	is_int(head("GET * HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "asterisk-form: 400");
	/* absolute-form, which a server must take (RFC 9112 section 3.2.2):
	 * the path and query are the target, the authority is the host */
	is_int(head("GET http://reg.example:8080/a/b?q=1 HTTP/1.1\r\nHost: other\r\n\r\n"), 0, "absolute-form: taken");
	is_str(rq.target, "/a/b?q=1", "  its target is the path and query");
	is_str(rq.path, "/a/b", "  its path");
	is_str(rq.host, "reg.example:8080", "  its host is the authority's, not Host's");
	is_int(head("GET HTTPS://h HTTP/1.1\r\nHost: h\r\n\r\n"), 0, "absolute-form, the scheme in capitals, no path: taken");
	is_str(rq.target, "/", "  its target is /");
	is_int(head("GET http://h?x=1 HTTP/1.1\r\nHost: h\r\n\r\n"), 0, "absolute-form, a query and no path: taken");
	is_str(rq.target, "/?x=1", "  its target is / and the query");
	is_str(rq.path, "/", "  its path is /");
	is_int(head("GET http:///a HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "absolute-form with no host: 400");
	is_int(head("GET http://u@h/a HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "absolute-form with userinfo: 400");
	is_int(head("GET http://h/a HTTP/1.1\r\n\r\n"), 400, "absolute-form without Host, in HTTP/1.1: 400");
	is_int(head("GET ftp://h/a HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "another scheme: 400");
	is_int(head("GET http:/h/a HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "http: without the authority's slashes: 400");
	is_int(head("GET /a#b HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "a fragment in the target: 400");
	is_int(head("GET /a\x7f HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "DEL in the target: 400");
	is_int(head("GET /\xc3\xa9 HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "raw UTF-8 in the target: 400");
	is_int(head("FOO / HTTP/1.1\r\nHost: h\r\n\r\n"), 501, "unknown method: 501");
	is_int(head("get / HTTP/1.1\r\nHost: h\r\n\r\n"), 501, "methods are case-sensitive: 501");
	is_int(head("VERYLONGMETHODNAME / HTTP/1.1\r\nHost: h\r\n\r\n"), 501, "long method: 501");
	is_int(head("G@T / HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "a method that is not a token: 400");

	/* fields */
	is_int(head(H(" X: folded\r\n")), 400, "obs-fold (a line starting with SP): 400");
	is_int(head(H("X: a\r\n\tfolded\r\n")), 400, "obs-fold with HTAB: 400");
	is_int(head(H("Content-Length : 0\r\n")), 400, "space before the colon: 400");
	is_int(head(H(": v\r\n")), 400, "empty field name: 400");
	is_int(head(H("NoColon\r\n")), 400, "no colon: 400");
	is_int(head(H("X: a\x01b\r\n")), 400, "control character in a value: 400");
	is_int(head(H("X: a\x7f\r\n")), 400, "DEL in a value: 400");
	/* past a value's first words, which are tested eight bytes at once */
	is_int(head(H("X: abcdefghijklmnopq\x01r\r\n")), 400, "a control character after 16 bytes: 400");
	is_int(head(H("X: abcdefghijklmnopq\x7fr\r\n")), 400, "DEL after 16 bytes: 400");
	is_int(head(H("X: abcdefghijklmnopq\tr\xc3\xa9stuvwxyz\r\n")), 0, "HTAB and obs-text after 16 bytes are fine");
	is_int(head(H("X-Abcdefgh@: v\r\n")), 400, "a name with a byte that is no token: 400");
	is_int(head(H("X-Abcdefgh\xc3\xa9: v\r\n")), 400, "a name with a byte above ASCII: 400");
	is_int(head(H("!#$%&'*+-.^_`|~09azAZ: v\r\n")), 0, "a name of every kind of token byte");
	is_int(head(H("uSER-aGENT: u\r\n")), 0, "a kept field's name in any case");
	is_str(rq.user_agent, "u", "  is that field");
	is_int(head(H("User_Agent: u\r\n")), 0, "a name that differs in a byte other than a letter's case");
	is_str(rq.user_agent, "", "  is another field");
	is_int(head("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400, "two Host fields: 400");
	is_int(head("GET / HTTP/1.1\r\nHost: a b\r\n\r\n"), 400, "malformed Host: 400");
	is_int(head(H("Authorization: a\r\nAuthorization: b\r\n")), 400, "two Authorization fields: 400");
	is_int(head(H("Expect: 100-continue\r\n")), 0, "Expect without a body");
	is_int(rq.expect_continue, 0, "no 100 Continue owed without a body");
	is_int(head(H("Expect: something\r\n")), 417, "unknown expectation: 417");
	is_int(head("PUT /u HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"), 0, "HTTP/1.0 Expect");
	is_int(rq.expect_continue, 0, "an HTTP/1.0 100-continue expectation is ignored");
	is_int(head(PUT("Expect: 100-Continue\r\nContent-Length: 3\r\n")), 0, "Expect with a body");
	is_int(rq.expect_continue, 1, "100 Continue owed");

	/* a connection's next request starts empty: nothing of the one before */
	static const char two[] =
		"PUT /a?q HTTP/1.1\r\nHost: h\r\nAuthorization: x\r\nPrivate-Token: t\r\nIf-None-Match: \"e\"\r\n"
		"If-Modified-Since: d\r\nRange: bytes=1-\r\nIf-Range: \"e\"\r\nUser-Agent: u\r\n"
		"Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
		"GET /b HTTP/1.0\r\n\r\nGET /c HTTP/1.1\r\nHost: h\r\n\r\nGET /d\x7f?e HTTP/1.1\r\nHost: h\r\n\r\n";
	is_int(start(two, sizeof two - 1, 1), 0, "a request with every field kept");
	char sink[8];
	is_int(body(sink, sizeof sink), 0, "  its empty chunked body");
	http_body_drain(&c);
	is_int(http_read_request(&c, &rq), 0, "the next request on the connection");
	ok(!strcmp(rq.method, "GET") && !strcmp(rq.target, "/b") && !strcmp(rq.path, "/b") && !rq.host[0] &&
	   !rq.authorization[0] && !rq.private_token[0] && !rq.if_none_match[0] && !rq.if_modified_since[0] &&
	   !rq.range[0] && !rq.if_range[0] && !rq.user_agent[0] && rq.content_length == -1 && !rq.chunked &&
	   !rq.expect_continue && !rq.keep_alive && rq.http_minor == 0 && !rq.body.read,
	   "  has nothing of the request before");
	is_int(http_read_request(&c, &rq), 0, "and the next");
	is_int(http_read_request(&c, &rq), 400, "a target with DEL after it");
	is_str(rq.target, "", "  leaves no target of its own or of the one before");
	is_str(rq.path, "", "  nor a path");
}

static void test_framing(void)
{
	is_int(head(PUT("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")), 400, "CL and TE: 400");
	is_int(head(PUT("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n")), 400, "TE and CL: 400");
	is_int(head(PUT("Content-Length: 5\r\nContent-Length: 5\r\n")), 400, "two equal Content-Lengths: 400");
	is_int(head(PUT("Content-Length: 5, 5\r\n")), 400, "Content-Length list: 400");
	is_int(head(PUT("Content-Length: +5\r\n")), 400, "Content-Length with a sign: 400");
	is_int(head(PUT("Content-Length: 0x5\r\n")), 400, "hex Content-Length: 400");
	is_int(head(PUT("Content-Length:\r\n")), 400, "empty Content-Length: 400");
	is_int(head(PUT("Content-Length: 524288001\r\n")), 413, "Content-Length above the zip limit: 413");
	is_int(head(PUT("Content-Length: 99999999999999999999999999\r\n")), 413, "absurd Content-Length: 413");
	is_int(head(PUT("Content-Length: 524288000\r\n")), 0, "Content-Length at the zip limit");
	is_int(head(PUT("Transfer-Encoding: chunked\r\n")), 0, "chunked");
	is_int(rq.chunked, 1, "chunked noted");
	is_int(head(PUT("Transfer-Encoding:  Chunked \r\n")), 0, "chunked: case and OWS");
	is_int(head(PUT("Transfer-Encoding: gzip, chunked\r\n")), 501, "gzip, chunked: 501");
	is_int(head(PUT("Transfer-Encoding: chunked, gzip\r\n")), 400, "chunked not last: 400");
	is_int(head(PUT("Transfer-Encoding: identity\r\n")), 400, "identity: 400");
	is_int(head(PUT("Transfer-Encoding: xchunked\r\n")), 400, "xchunked: 400");
	is_int(head(PUT("Transfer-Encoding: chunked, chunked\r\n")), 400, "chunked twice in one field: 400");
	is_int(head(PUT("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n")), 400, "chunked in two fields: 400");
	is_int(head(PUT("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n")), 501, "two fields combine: gzip, chunked");
	is_int(head(PUT("Transfer-Encoding: \"chunked\"\r\n")), 400, "quoted coding: 400");
	is_int(head(PUT("Transfer-Encoding: chunked;x=1\r\n")), 400, "chunked with a parameter: 400");
	is_int(head(PUT("Transfer-Encoding:\r\n")), 400, "empty Transfer-Encoding: 400");
	is_int(head("PUT /u HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400, "TE in HTTP/1.0: 400");
}

static void test_limits(void)
{
	static char big[40000];
	/* request-line of exactly HTTP_LINE_MAX - 1 bytes is fine, one more is not */
	int n = snprintf(big, sizeof big, "GET /");
	size_t want = HTTP_LINE_MAX - 1 - strlen(" HTTP/1.1");
	while ((size_t)n < want)
		big[n++] = 'a';
	n += snprintf(big + n, sizeof big - (size_t)n, " HTTP/1.1\r\nHost: h\r\n\r\n");
	is_int(start(big, (size_t)n, 1), 0, "request-line of HTTP_LINE_MAX - 1 bytes");
	is_int(strlen(rq.target), want - 4, "the whole target kept");
	memmove(big + 6, big + 5, (size_t)n - 5);
	big[5] = 'a';
	is_int(start(big, (size_t)n + 1, 1), 414, "one byte more: 414");
	memset(big, 'a', sizeof big);
	memcpy(big, "GET /", 5);
	is_int(start(big, 20000, 0), 414, "a request-line without end: 414 before the buffer fills");

	n = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nHost: h\r\nX: ");
	while (n < 16384 + 20)
		big[n++] = 'v';
	n += snprintf(big + n, sizeof big - (size_t)n, "\r\n\r\n");
	is_int(start(big, (size_t)n, 1), 431, "header section over HTTP_HEADERS_MAX: 431");
	is_int(start(big, 30000, 0), 431, "an endless header section: 431");
	n = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nHost: h\r\n");
	for (int i = 0; i < HTTP_NHEADERS_MAX; i++)
		n += snprintf(big + n, sizeof big - (size_t)n, "X-%d: v\r\n", i);
	n += snprintf(big + n, sizeof big - (size_t)n, "\r\n");
	is_int(start(big, (size_t)n, 1), 431, "more than HTTP_NHEADERS_MAX fields: 431");
	n = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nHost: h\r\nAuthorization: ");
	while (n < 2000)
		big[n++] = 'a';
	n += snprintf(big + n, sizeof big - (size_t)n, "\r\n\r\n");
	is_int(start(big, (size_t)n, 1), 431, "Authorization longer than goreg holds: 431, not cut");
	n = snprintf(big, sizeof big, "GET / HTTP/1.1\r\nHost: h\r\nRange: bytes=0-1");
	for (int i = 0; i < 100; i++)
		n += snprintf(big + n, sizeof big - (size_t)n, ",%d-%d", i * 10, i * 10 + 1);
	n += snprintf(big + n, sizeof big - (size_t)n, "\r\n\r\n");
	is_int(start(big, (size_t)n, 1), 0, "a long Range is ignored");
	is_str(rq.range, "", "no range kept");

	/* ends and timeouts */
	is_int(start("", 0, 1), -1, "EOF before a request: clean end");
	is_int(start("\r\n", 2, 1), -1, "EOF after an empty line: clean end");
	is_int(start("GET / HT", 8, 1), 400, "EOF inside the head: 400");
	is_int(start("", 0, 0), -1, "idle timeout: clean end, no answer");
	is_int(start("GET / HTTP/1.1\r\nHost: h\r\n", 25, 0), 408, "a head that does not finish in time: 408");
}

static void test_bodies(void)
{
	char b[4096];
	static const char cl[] = "PUT /u HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
	                         "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
	is_int(start(cl, sizeof cl - 1, 1), 0, "Content-Length request");
	is_int(body(b, sizeof b), 5, "5 bytes of body");
	is_str(b, "hello", "the body");
	is_int(http_read_request(&c, &rq), 0, "the pipelined request after it");
	is_str(rq.path, "/next", "read from where the body ended");

	static const char ch[] = "PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
	                         "5\r\nhello\r\n6;ext=\"x y\" ; e2\r\n world\r\n000\r\nTrailer-Field: x\r\n\r\n"
	                         "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
	is_int(start(ch, sizeof ch - 1, 1), 0, "chunked request");
	is_int(body(b, sizeof b), 11, "11 bytes of chunked body");
	is_str(b, "hello world", "chunks joined, extensions and trailer dropped");
	is_int(http_read_request(&c, &rq), 0, "the pipelined request after the trailer");
	is_str(rq.path, "/next", "read from where the chunked body ended");

	static const struct { const char *chunks, *why; int status; } bad[] = {
		{"x\r\nhello\r\n0\r\n\r\n", "size not hex", 400},
		{"\r\n", "empty size line", 400},
		{"-5\r\nhello\r\n0\r\n\r\n", "negative size", 400},
		{"0x5\r\nhello\r\n0\r\n\r\n", "0x prefix", 400},
		{"5 garbage\r\nhello\r\n0\r\n\r\n", "junk after the size", 400},
		{" 5\r\nhello\r\n0\r\n\r\n", "space before the size", 400},
		{"5\nhello\n0\n\n", "bare LF", 400},
		{"5\r\nhelloXY0\r\n\r\n", "no CRLF after the data", 400},
		{"3\r\nhello\r\n0\r\n\r\n", "data longer than the size", 400},
		{"1000000000000000000\r\n", "size beyond 15 hex digits", 400},
		{"fffffffffffff\r\n", "size above the zip limit", 413},
		{"5\r\nhel", "EOF inside the data", 400},
		{"5\r\nhello\r\n0\r\nbad trailer\r\n\r\n", "malformed trailer", 400},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char req[512];
		int n = snprintf(req, sizeof req, "PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n%s",
		                 bad[i].chunks);
		start(req, (size_t)n, 1);
		is_int(body(b, sizeof b), -bad[i].status, "chunked, %s: %d", bad[i].why, bad[i].status);
		is_int(http_body_drain(&c), -1, "chunked, %s: the connection cannot go on", bad[i].why);
	}
	{
		static char req[8000];
		int n = snprintf(req, sizeof req, "PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;x=");
		while (n < 4000)
			req[n++] = 'a';
		n += snprintf(req + n, sizeof req - (size_t)n, "\r\nhello\r\n0\r\n\r\n");
		start(req, (size_t)n, 1);
		is_int(body(b, sizeof b), -400, "chunk extensions beyond HTTP_CHUNK_LINE_MAX: 400");
	}
	{
		/* found by tests/fuzz/fuzz-chunked.c: a chunk-size line of the
		 * largest size allowed was refused when a read ended between
		 * its CR and its LF */
		static char req[HTTP_CHUNK_LINE_MAX + 128];
		static const char rest[] = "\nhello\r\n0\r\n\r\n";
		int n = snprintf(req, sizeof req, "PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5;");
		memset(req + n, 'x', HTTP_CHUNK_LINE_MAX - 2);
		n += HTTP_CHUNK_LINE_MAX - 2;
		req[n++] = '\r';
		is_int(start(req, (size_t)n, 0), 0, "a chunk-size line of HTTP_CHUNK_LINE_MAX bytes, its LF not sent yet");
		if (write(peer, rest, sizeof rest - 1) != (ssize_t)(sizeof rest - 1))
			abort();
		is_int(body(b, sizeof b), 5, "  the body, once the LF comes");
	}
	{
		/* found by tests/fuzz/fuzz-chunked.c: "0\0..." ended the body */
		static const char req[] = "PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
		                          "5\r\nhello\r\n0\0junk\r\n\r\n";
		start(req, sizeof req - 1, 1);
		is_int(body(b, sizeof b), -400, "a NUL in a chunk-size line: 400");
	}
	start("PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", 62, 0);
	is_int(body(b, sizeof b), -408, "a chunked body that stops: 408");
	start("PUT /u HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nhel", 52, 0);
	is_int(body(b, sizeof b), -408, "a Content-Length body that stops: 408");

	/* 100-continue: owed until the body is read, never sent otherwise */
	static const char ex[] = "PUT /u HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n";
	is_int(start(ex, sizeof ex - 1, 0), 0, "Expect: 100-continue");
	http_body_attach(&c, &rq);
	is_str(peer_read(), "", "no 100 Continue before the body is wanted");
	if (write(peer, "hello", 5) != 5)
		abort();
	is_int(body(b, sizeof b), 5, "the body after 100 Continue");
	is_str(peer_read(), "HTTP/1.1 100 Continue\r\n\r\n", "100 Continue sent once the body was wanted");
	is_int(start(ex, sizeof ex - 1, 0), 0, "Expect: 100-continue, refused early");
	http_body_attach(&c, &rq);
	is_int(http_body_drain(&c), -1, "an unread body behind 100-continue: close");
	is_str(peer_read(), "", "and no 100 Continue");

	/* draining an unread body to keep the connection */
	static const char small[] = "PUT /u HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
	                            "GET /next HTTP/1.1\r\nHost: h\r\n\r\n";
	start(small, sizeof small - 1, 1);
	http_body_attach(&c, &rq);
	is_int(http_body_drain(&c), 0, "a small unread body is drained");
	is_int(http_read_request(&c, &rq), 0, "and the next request read");
	is_str(rq.path, "/next", "from the right place");
	start("PUT /u HTTP/1.1\r\nHost: h\r\nContent-Length: 5000000\r\n\r\nabc", 56, 0);
	http_body_attach(&c, &rq);
	is_int(http_body_drain(&c), -1, "a large unread body is not worth draining");
}

static int tmpfile_of(size_t n)
{
	char path[] = "/tmp/goreg-t-http.XXXXXX";
	int fd = mkstemp(path);
	unlink(path);
	for (size_t i = 0; i < n; i++) {
		char ch = (char)('a' + i % 26);
		if (write(fd, &ch, 1) != 1)
			abort();
	}
	return fd;
}

/* a 100-byte file reply as ops_zip makes it */
static void file_reply(struct reply *r)
{
	reply_init(r);
	r->status = 200;
	r->content_type = "application/zip";
	r->fd = tmpfile_of(100);
	r->file_len = r->file_size = 100;
	snprintf(r->etag, sizeof r->etag, "\"abc\"");
	r->last_modified = 784111777; /* Sun, 06 Nov 1994 08:49:37 GMT */
	r->cache_control = "public, max-age=31536000, immutable";
}

static int cond(const char *method, const char *inm, const char *ims, const char *range, const char *ifr,
                struct reply *r)
{
	memset(&rq, 0, sizeof rq);
	snprintf(rq.method, sizeof rq.method, "%s", method);
	snprintf(rq.if_none_match, sizeof rq.if_none_match, "%s", inm);
	snprintf(rq.if_modified_since, sizeof rq.if_modified_since, "%s", ims);
	snprintf(rq.range, sizeof rq.range, "%s", range);
	snprintf(rq.if_range, sizeof rq.if_range, "%s", ifr);
	file_reply(r);
	http_apply_conditionals(&rq, r);
	return r->status;
}

static void test_conditionals(void)
{
	struct reply r;
	const char *lm = "Sun, 06 Nov 1994 08:49:37 GMT";
	is_int(cond("GET", "\"abc\"", "", "", "", &r), 304, "If-None-Match matches: 304");
	is_int(r.fd, -1, "304 drops the file");
	ok(r.etag[0] && r.cache_control, "304 keeps ETag and Cache-Control");
	reply_free(&r);
	is_int(cond("HEAD", "\"x\", W/\"abc\"", "", "", "", &r), 304, "weak comparison in a list: 304");
	reply_free(&r);
	is_int(cond("GET", "*", "", "", "", &r), 304, "If-None-Match: *: 304");
	reply_free(&r);
	is_int(cond("GET", "\"abcd\"", "", "", "", &r), 200, "other entity-tag: 200");
	reply_free(&r);
	is_int(cond("GET", "abc", "", "", "", &r), 200, "unquoted: no match");
	reply_free(&r);
	is_int(cond("GET", "", lm, "", "", &r), 304, "If-Modified-Since equal: 304");
	reply_free(&r);
	is_int(cond("GET", "", "Mon, 07 Nov 1994 08:49:37 GMT", "", "", &r), 304, "If-Modified-Since later: 304");
	reply_free(&r);
	is_int(cond("GET", "", "Sat, 05 Nov 1994 08:49:37 GMT", "", "", &r), 200, "If-Modified-Since earlier: 200");
	reply_free(&r);
	is_int(cond("GET", "", "yesterday", "", "", &r), 200, "invalid date: 200");
	reply_free(&r);
	is_int(cond("GET", "", "Monday, 07-Nov-94 08:49:37 GMT", "", "", &r), 304, "If-Modified-Since later, rfc850-date: 304");
	reply_free(&r);
	is_int(cond("GET", "", "Sat Nov  5 08:49:37 1994", "", "", &r), 200, "If-Modified-Since earlier, asctime-date: 200");
	reply_free(&r);
	/* found by tests/fuzz/fuzz-cond.c: sscanf read these as dates after lm */
	static const char *const notdates[] = {
		"Mon, 07 Nov01994 08:49:37 GMT", "Mon,  7 Nov 1994 08:49:37 GMT", "Mon, 07 Nov 1994 +8:49:37 GMT",
		"Wed, 31 Feb 1995 08:49:37 GMT", "Xyz, 07 Nov 1994 08:49:37 GMT",
	};
	for (size_t i = 0; i < sizeof notdates / sizeof notdates[0]; i++) {
		is_int(cond("GET", "", notdates[i], "", "", &r), 200, "not an IMF-fixdate, ignored: %s", notdates[i]);
		reply_free(&r);
	}
	is_int(time_http_parse("Sat, 31 Dec 2016 23:59:60 GMT"), 1483228800, "a leap second is one past :59");
	/* the two obsolete forms a recipient must take too (RFC 9110 section
	 * 5.6.7), its example time in each */
	is_int(time_http_parse("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777, "IMF-fixdate");
	is_int(time_http_parse("Sunday, 06-Nov-94 08:49:37 GMT"), 784111777, "rfc850-date");
	is_int(time_http_parse("Sun Nov  6 08:49:37 1994"), 784111777, "asctime-date, a day of one digit");
	is_int(time_http_parse("Sun Nov 06 08:49:37 1994"), 784111777, "asctime-date, a day of two digits");
	is_int(time_http_parse("Tuesday, 31-Dec-30 00:00:00 GMT"), 1924905600, "rfc850-date: '30 is 2030, less than 50 years ahead");
	is_int(time_http_parse("Tuesday, 06-Nov-90 08:49:37 GMT"), 657881377, "rfc850-date: '90 is 1990, not 2090 (more than 50 years ahead)");
	static const char *const bad_dates[] = {
		"Sun, 06-Nov-94 08:49:37 GMT", "Sunday, 06 Nov 1994 08:49:37 GMT", "Sunday, 6-Nov-94 08:49:37 GMT",
		"Sunday, 06-Nov-1994 08:49:37 GMT", "Sundays, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994 ",
		"Sun Nov 6 08:49:37 1994", "Sun Nov  6 08:49:37 94", "sun Nov  6 08:49:37 1994", "Sun Nov  0 08:49:37 1994",
		"Sun Feb 30 08:49:37 1994", "Sun, 06 nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 UTC",
	};
	for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++)
		is_int(time_http_parse(bad_dates[i]), -1, "no HTTP-date: %s", bad_dates[i]);
	is_int(cond("GET", "\"other\"", lm, "", "", &r), 200, "If-None-Match wins over If-Modified-Since");
	reply_free(&r);
	is_int(cond("PUT", "\"abc\"", "", "", "", &r), 200, "only GET and HEAD turn into 304");
	reply_free(&r);

	is_int(cond("GET", "", "", "bytes=0-9", "", &r), 206, "bytes=0-9: 206");
	ok(r.file_off == 0 && r.file_len == 10, "first ten bytes");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=90-", "", &r), 206, "bytes=90-: 206");
	ok(r.file_off == 90 && r.file_len == 10, "from 90 to the end");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=95-1000", "", &r), 206, "last beyond the end: 206");
	ok(r.file_off == 95 && r.file_len == 5, "cut at the end");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=-5", "", &r), 206, "suffix: 206");
	ok(r.file_off == 95 && r.file_len == 5, "the last five bytes");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=-500", "", &r), 206, "suffix longer than the file: 206");
	ok(r.file_off == 0 && r.file_len == 100, "the whole file");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=100-", "", &r), 416, "first byte past the end: 416");
	is_int(r.file_size, 100, "416 knows the size for Content-Range");
	is_str(r.content_type, "text/plain; charset=utf-8", "416 has a text/plain body");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=5-2", "", &r), 200, "last before first: ignored, 200");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=0-1,5-6", "", &r), 200, "several ranges: whole file, 200");
	reply_free(&r);
	is_int(cond("GET", "", "", "items=0-1", "", &r), 200, "other unit: 200");
	reply_free(&r);
	is_int(cond("HEAD", "", "", "bytes=0-9", "", &r), 200, "HEAD ignores Range");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=10-", "\"abc\"", &r), 206, "If-Range with the entity-tag: 206");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=10-", "\"old\"", &r), 200, "If-Range with another entity-tag: 200");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=10-", "W/\"abc\"", &r), 200, "If-Range with a weak tag: 200");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=10-", lm, &r), 206, "If-Range with the date: 206");
	reply_free(&r);
	is_int(cond("GET", "", "", "bytes=10-", "Mon, 07 Nov 1994 08:49:37 GMT", &r), 200, "If-Range with another date: 200");
	reply_free(&r);

	off_t off, len;
	is_int(http_range("bytes=-0", 100, &off, &len), -2, "suffix of 0: unsatisfiable");
	is_int(http_range("bytes=0-", 0, &off, &len), -2, "empty file: unsatisfiable");
	is_int(http_range("bytes=+1-2", 100, &off, &len), -1, "sign: ignored");
	is_int(http_range("bytes= 1-2", 100, &off, &len), -1, "space: ignored");
	is_int(http_range("bytes=1-2x", 100, &off, &len), -1, "junk: ignored");
	is_int(http_range("bytes=-", 100, &off, &len), -1, "no numbers: ignored");
	is_int(http_range("BYTES=1-2", 100, &off, &len), 0, "the unit is case-insensitive");
	is_int(http_range("bytes=99999999999999999999999-", 100, &off, &len), -2, "huge first: unsatisfiable");
	is_int(http_range("bytes=1-99999999999999999999999", 100, &off, &len), 0, "huge last: to the end");
	ok(off == 1 && len == 99, "1 to 99");
	ok(http_etag_match("\"a\" , \"b\"", "\"b\""), "entity-tag list with spaces");
	ok(!http_etag_match("\"a\"", ""), "no entity-tag: no match");
}

/* the writer, into a pipe */
static char *written(const struct request *q, const struct reply *r, int cgi)
{
	static char b[65536];
	int p[2];
	if (pipe(p) < 0)
		abort();
	is_int(http_write_reply(p[1], q, r, cgi, 784111777, 1), 0, "reply written");
	close(p[1]);
	ssize_t n = read(p[0], b, sizeof b - 1);
	b[n > 0 ? n : 0] = 0;
	close(p[0]);
	return b;
}

static void test_writer(void)
{
	struct reply r;
	struct request q = {.method = "GET", .http_minor = 1, .keep_alive = 1};
	reply_init(&r);
	reply_error(&r, 404, "no such module");
	is_str(written(&q, &r, 0),
	       "HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: goreg\r\n"
	       "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 15\r\n\r\nno such module\n",
	       "an error: status line, Date, one line of text/plain");
	q.keep_alive = 0;
	ok(strstr(written(&q, &r, 0), "\r\nConnection: close\r\n") != NULL, "Connection: close when closing");
	q.keep_alive = 1;
	q.http_minor = 0;
	ok(strstr(written(&q, &r, 0), "\r\nConnection: keep-alive\r\n") != NULL, "keep-alive told to HTTP/1.0");
	q.http_minor = 1;
	is_str(written(&q, &r, 1),
	       "Status: 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 15\r\n\r\n"
	       "no such module\n",
	       "CGI: Status header, no Date, no Connection");
	strcpy(q.method, "HEAD");
	is_str(written(&q, &r, 0),
	       "HTTP/1.1 404 Not Found\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nServer: goreg\r\n"
	       "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 15\r\n\r\n",
	       "HEAD: the same head, no body");
	reply_free(&r);

	strcpy(q.method, "GET");
	strcpy(q.range, "bytes=10-14");
	file_reply(&r);
	http_apply_conditionals(&q, &r);
	char *w = written(&q, &r, 0);
	ok(strstr(w, "HTTP/1.1 206 Partial Content\r\n") == w, "206 status line");
	ok(strstr(w, "\r\nContent-Range: bytes 10-14/100\r\n") != NULL, "Content-Range");
	ok(strstr(w, "\r\nContent-Length: 5\r\n") != NULL, "Content-Length of the range");
	ok(strstr(w, "\r\nAccept-Ranges: bytes\r\n") != NULL, "Accept-Ranges");
	ok(strstr(w, "\r\nETag: \"abc\"\r\nLast-Modified: Sun, 06 Nov 1994 08:49:37 GMT\r\n") != NULL, "validators");
	ok(strstr(w, "\r\nCache-Control: public, max-age=31536000, immutable\r\n") != NULL, "Cache-Control");
	is_str(strstr(w, "\r\n\r\n"), "\r\n\r\nklmno", "the five bytes from the file");
	reply_free(&r);
	/* the same file's bytes kept in memory, no descriptor (a .mod from
	 * its record's copy): a file body all the same */
	static const char az[] = "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz"
	                         "abcdefghijklmnopqrstuv";
	_Static_assert(sizeof az - 1 == 100, "the 100 bytes of file_reply's file");
	file_reply(&r);
	close(r.fd);
	r.fd = -1;
	r.file_bytes = az;
	http_apply_conditionals(&q, &r);
	w = written(&q, &r, 0);
	ok(strstr(w, "HTTP/1.1 206 Partial Content\r\n") == w && strstr(w, "\r\nContent-Range: bytes 10-14/100\r\n") &&
	   strstr(w, "\r\nAccept-Ranges: bytes\r\n"), "bytes in memory as a file body: 206, Content-Range, Accept-Ranges");
	is_str(strstr(w, "\r\n\r\n"), "\r\n\r\nklmno", "  the five bytes from memory");
	q.range[0] = 0;
	file_reply(&r);
	close(r.fd);
	r.fd = -1;
	r.file_bytes = az;
	w = written(&q, &r, 0);
	ok(strstr(w, "HTTP/1.1 200 OK\r\n") == w && strstr(w, "\r\nContent-Length: 100\r\n") &&
	   strcmp(strstr(w, "\r\n\r\n") + 4, az) == 0, "  whole: 200, the 100 bytes");
	strcpy(q.if_none_match, "\"abc\"");
	http_apply_conditionals(&q, &r);
	ok(r.status == 304 && !reply_has_file(&r), "  304 drops it");
	q.if_none_match[0] = 0;
	reply_free(&r);
	strcpy(q.range, "bytes=100-");
	file_reply(&r);
	http_apply_conditionals(&q, &r);
	w = written(&q, &r, 0);
	ok(strstr(w, "HTTP/1.1 416 Range Not Satisfiable\r\n") == w, "416 status line");
	ok(strstr(w, "\r\nContent-Range: bytes */100\r\n") != NULL, "416 Content-Range");
	reply_free(&r);
	q.range[0] = 0;
	strcpy(q.if_none_match, "\"abc\"");
	file_reply(&r);
	http_apply_conditionals(&q, &r);
	w = written(&q, &r, 0);
	ok(strstr(w, "HTTP/1.1 304 Not Modified\r\n") == w, "304 status line");
	ok(!strstr(w, "Content-Length") && !strstr(w, "Content-Type"), "304: no Content-Length, no Content-Type");
	ok(strstr(w, "\r\nETag: \"abc\"\r\n") != NULL, "304 keeps the ETag");
	is_str(strstr(w, "\r\n\r\n"), "\r\n\r\n", "304: no body");
	reply_free(&r);
	reply_bytes(&r, 204, NULL, "", 0);
	w = written(&q, &r, 0);
	ok(!strstr(w, "Content-Length"), "204: no Content-Length");
	reply_free(&r);
}

/* the head s written one byte at a time by a child (the reads may
 * still join some): http_read_request's answer */
static int trickled(const char *s)
{
	int sv[2];
	if (peer >= 0)
		close(peer), close(c.in);
	peer = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	pid_t pid = fork();
	if (pid < 0)
		abort();
	if (pid == 0) {
		close(sv[1]);
		for (size_t i = 0; s[i]; i++) {
			if (write(sv[0], s + i, 1) != 1)
				_exit(1);
			usleep(1000);
		}
		shutdown(sv[0], SHUT_WR);
		_exit(0);
	}
	close(sv[0]);
	conn_init(&c, sv[1], sv[1]);
	c.idle_secs = c.read_secs = 5;
	memset(&rq, 0, sizeof rq);
	int r = http_read_request(&c, &rq);
	waitpid(pid, NULL, 0);
	close(sv[1]);
	c.in = -1;
	return r;
}

/* The head's end found the same way whether it comes at once or a byte
 * at a time (the scan stops at a CR that ends a read and resumes). */
static void test_trickle(void)
{
	static const char *const heads[] = {
		"GET /x?q HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nX:\ta\tb\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\r\nX: a\x01\x0b\x0c\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n",
		"GET / HTTP/1.1\r\nHost: h\n\r\n",
		"\r\n\r\nGET / HTTP/1.1\r\nHost: h\r\n\r\n",
		"GET / HTTP/1.1\r\n\r\r\n",
	};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		int whole = head(heads[i]);
		static char path[sizeof rq.path];
		memcpy(path, rq.path, sizeof path);
		int bytes = trickled(heads[i]);
		ok(bytes == whole && strcmp(rq.path, path) == 0, "head %zu a byte at a time: %d, as at once: %d",
		   i, bytes, whole);
	}
}

/* A byte below 0x20 anywhere in a field's value, each at every offset
 * of a long line (the head's end is looked for eight bytes at a time):
 * refused as what it is; obs-text and HTAB are fine. */
static void test_scan_words(void)
{
	static const unsigned char odd[] = {0x00, 0x01, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x1f, 0x7f, 0x80, 0xff};
	int bad = 0;
	for (size_t k = 0; k < sizeof odd; k++)
		for (size_t at = 0; at < 40; at++) {
			char h[200];
			int n = snprintf(h, sizeof h, "GET / HTTP/1.1\r\nHost: h\r\nX-Long: ");
			memset(h + n, 'a', 40);
			h[n + at] = (char)odd[k];
			n += 40;
			memcpy(h + n, "\r\n\r\n", 4);
			int want = odd[k] == 0x09 || odd[k] >= 0x80 ? 0 : 400;
			int got = start(h, (size_t)n + 4, 1);
			if (got != want)
				bad++, printf("# byte 0x%02x at %zu: %d\n", odd[k], at, got);
		}
	is_int(bad, 0, "a control byte at any offset of a long field value is refused");
}

/* Every byte at every offset of a long target (checked eight bytes at a
 * time while they are plain): refused unless visible ASCII other than
 * '#', and the path ending at the first '?'. */
static void test_target_words(void)
{
	int bad = 0;
	for (unsigned ch = 0; ch < 256; ch++)
		for (size_t at = 1; at < 68; at++) {
			char t[40], h[200];
			memset(t, 'a', 35);
			t[0] = '/';
			if (at >= 34)
				t[24] = '?'; /* a query in the fourth word */
			t[at % 34 + (at >= 34)] = (char)ch;
			static const char rest[] = " HTTP/1.1\r\nHost: h\r\n\r\n";
			memcpy(h, "GET ", 4);
			memcpy(h + 4, t, 35); /* the byte itself, NUL too */
			memcpy(h + 39, rest, sizeof rest - 1);
			int n = 39 + (int)sizeof rest - 1;
			int want = ch <= 0x20 || ch >= 0x7f || ch == '#' ? 400 : 0;
			int got = start(h, (size_t)n, 1);
			size_t pl = (size_t)(memchr(t, '?', 35) ? (char *)memchr(t, '?', 35) - t : 35);
			if (got != want || (!got && (memcmp(rq.target, t, 35) != 0 || rq.target[35] ||
			                             strlen(rq.path) != pl || memcmp(rq.path, t, pl) != 0)))
				bad++, printf("# byte 0x%02x at %zu: %d\n", ch, at, got);
		}
	is_int(bad, 0, "every byte at every offset of a long target, with a query or none: checked, copied, "
	               "its path found");
}

/* RFC 9110 section 5.6.2's tchar, from its grammar, not the parser's
 * table */
static int rfc_tchar(unsigned ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	       (ch && strchr("!#$%&'*+-.^_`|~", (int)ch));
}

/* Every byte in a field name (first, in its first word, past it, last), in
 * a method and in a transfer coding: a token byte is taken, any other
 * refused with 400, as RFC 9110 section 5.6.2 has it.  ':' ends a name,
 * ' ' a method, ',' a coding: not tried there. */
static void test_token_bytes(void)
{
	int bad = 0;
	for (unsigned ch = 0; ch < 256; ch++) {
		static const size_t at[] = {0, 3, 11, 15};
		for (size_t i = 0; ch != ':' && i < sizeof at / sizeof at[0]; i++) {
			char name[] = "X-Abcdefghijklmn", h[100];
			name[at[i]] = (char)ch;
			int n = snprintf(h, sizeof h, "GET / HTTP/1.1\r\nHost: h\r\n");
			memcpy(h + n, name, 16);
			n += 16;
			n += snprintf(h + n, sizeof h - (size_t)n, ": v\r\n\r\n");
			int want = rfc_tchar(ch) ? 0 : 400, got = start(h, (size_t)n, 1);
			if (got != want)
				bad++, printf("# name byte 0x%02x at %zu: %d\n", ch, at[i], got);
		}
		if (ch != ' ') {
			char h[100];
			int n = snprintf(h, sizeof h, "GE%cT / HTTP/1.1\r\nHost: h\r\n\r\n", ch ? (int)ch : 'x');
			h[2] = (char)ch;
			int want = rfc_tchar(ch) ? 501 : 400, got = start(h, (size_t)n, 1);
			if (got != want)
				bad++, printf("# method byte 0x%02x: %d\n", ch, got);
		}
		if (ch != ',') {
			char h[120];
			int n = snprintf(h, sizeof h, "PUT /u HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gz%cip, chunked\r\n\r\n",
			                 ch ? (int)ch : 'x');
			h[strstr(h, "gz") - h + 2] = (char)ch;
			/* a token: a coding goreg does not implement */
			int want = rfc_tchar(ch) ? 501 : 400, got = start(h, (size_t)n, 1);
			if (got != want)
				bad++, printf("# coding byte 0x%02x: %d\n", ch, got);
		}
	}
	is_int(bad, 0, "every byte in a field name, a method and a transfer coding: a token's or refused");
}

/* The fields that frame a request, named in any case, and names of the
 * same length and first letter that are other fields. */
static void test_framing_names(void)
{
	is_int(head(PUT("cONTENT-lENGTH: 5\r\n")), 0, "cONTENT-lENGTH");
	is_int((int)rq.content_length, 5, "  is Content-Length");
	is_int(head(PUT("Content-LengtH: 5\r\n")), 0, "Content-LengtH");
	is_int((int)rq.content_length, 5, "  is Content-Length");
	is_int(head(PUT("Content-Lengtx: 5\r\n")), 0, "Content-Lengtx");
	is_int((int)rq.content_length, -1, "  is another field");
	is_int(head(PUT("tRANSFER-eNCODING: chunked\r\n")), 0, "tRANSFER-eNCODING");
	is_int(rq.chunked, 1, "  is Transfer-Encoding");
	is_int(head(PUT("tRANSFER-eNCODING: chunked\r\nContent-Length: 5\r\n")), 400,
	       "  with Content-Length: 400");
	is_int(head(PUT("Transfer-Encodinx: chunked\r\n")), 0, "Transfer-Encodinx");
	is_int(rq.chunked, 0, "  is another field");
	is_int(head(H("cONNECTION: close\r\n")), 0, "cONNECTION");
	is_int(rq.keep_alive, 0, "  is Connection");
	is_int(head(H("Connectiox: close\r\n")), 0, "Connectiox");
	is_int(rq.keep_alive, 1, "  is another field");
	is_int(head(H("eXPECT: x\r\n")), 417, "eXPECT is Expect");
	is_int(head(H("Expecx: x\r\n")), 0, "Expecx is another field");
}

/* field_find as strncasecmp would answer it: each byte of each kept
 * field's name replaced by every other byte */
static void test_field_find(void)
{
	int bad = 0;
	for (size_t i = 0; i < field_ndefs; i++) {
		const struct field_def *f = &field_defs[i];
		char name[64];
		if (f->nlen >= sizeof name || field_find(f->name, f->nlen) != f)
			bad++, printf("# %s not found\n", f->name);
		for (size_t at = 0; at < f->nlen && f->nlen < sizeof name; at++)
			for (unsigned ch = 1; ch < 256; ch++) {
				memcpy(name, f->name, f->nlen);
				name[at] = (char)ch;
				const struct field_def *want = strncasecmp(name, f->name, f->nlen) == 0 ? f : NULL;
				if (field_find(name, f->nlen) != want)
					bad++, printf("# %s with 0x%02x at %zu\n", f->name, ch, at);
			}
	}
	is_int(bad, 0, "a kept field's name found in any case, and no other name for it");
}

/* A reply set up (again, after reply_free) is an empty one whatever was
 * in it: every byte before its two strings as a cleared reply's, so a
 * field added to the struct is cleared too (a pointer left from the
 * connection's request before would be followed), the strings empty. */
static void test_reply_init(void)
{
	struct reply r, want;
	memset(&want, 0, sizeof want);
	want.fd = -1;
	for (int fill = 0; fill < 2; fill++) {
		memset(&r, fill ? 0x5a : 0xa5, sizeof r);
		if (fill) {
			r.fd = -1;       /* nothing of ours to close or free */
			r.mem_kept = 1;
			reply_free(&r);
		} else
			reply_init(&r);
		ok(memcmp(&r, &want, offsetof(struct reply, etag)) == 0 && !r.etag[0] && !r.location[0],
		   "a reply from %s is an empty one", fill ? "reply_free" : "reply_init");
	}
}

int main(void)
{
	test_reply_init();
	test_head();
	test_trickle();
	test_scan_words();
	test_target_words();
	test_token_bytes();
	test_framing_names();
	test_field_find();
	test_framing();
	test_limits();
	test_bodies();
	test_conditionals();
	test_writer();
	return done_testing();
}
