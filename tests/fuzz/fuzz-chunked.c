/* libFuzzer harness: request bodies, chunked or with a Content-Length
 * (lib/http/body.c), read from goreg-httpd's connection over a memfd
 * whose reads the harness cuts short, so that framing lines and chunk
 * data end anywhere in a read.  Each run is compared with a reference
 * decoder written here from RFC 9112 section 7.1 over the whole input:
 *   - the same outcome: the whole body, or the same error status
 *     (400 bad framing, 413 over the body limit, 431 trailer too large);
 *   - the same bytes delivered, whatever the read sizes (on an error, a
 *     prefix of them: the last chunk's may be held back);
 *   - on success, the connection stands just after the body (the next
 *     request starts there), and http_body_drain agrees.
 * Stricter than RFC 9112 where goreg is: CRLF only, no CR or NUL inside a
 * framing line, at most 15 significant hex digits, a trailer line has a
 * ':' and no leading whitespace.
 *
 * Input: two control bytes, then the stream.
 *   byte 0: bit 0 Expect: 100-continue; bits 1-2 the body limit
 *           (limits[]); bit 3 Content-Length instead of chunked, the
 *           length in the next two bytes (little-endian); bit 4 drain
 *           the body (http_body_drain) instead of reading it.
 *   byte 1: low nibble the largest read(2) (cuts[], 0: no cut), high
 *           nibble the caller's buffer size (bufs[]). */
#define FUZZ_NAME "chunked"
#include "fuzz.h"

#include <fcntl.h>
#include <sanitizer/asan_interface.h>
#include <sys/syscall.h>

#include "base/limits.h"
#include "http/http.h"

static int cut_fd = -1;
static size_t cut_max;

/* read(2) for the whole program: this one replaces the libc symbol (and
 * ASan's interceptor, which is weak), so reads of the input come back
 * at most cut_max bytes long.  The check the interceptor made, that the
 * whole buffer is the caller's, is made here. */
ssize_t read(int fd, void *buf, size_t n)
{
	if (n > 0 && __asan_region_is_poisoned(buf, n) != NULL)
		fuzz_die("read(2) into memory that is not the caller's", "");
	if (fd == cut_fd && cut_max > 0 && n > cut_max)
		n = cut_max;
	return syscall(SYS_read, fd, buf, n);
}

static const size_t cuts[16] = {0, 1, 2, 3, 4, 5, 7, 8, 13, 64, 100, 255, 1024, 1025, 1026, 4096};
static const size_t bufs[16] = {1, 2, 3, 5, 7, 8, 13, 16, 64, 100, 512, 1000, 2048, 4096, 16384, 65536};
static const long long limits[4] = {MODZIP_MAX_ZIP, 0, 10, 1000};

/* What the reference decoder makes of the stream s[0, n). */
struct ref {
	int status;             /* 0: the whole body */
	size_t consumed;        /* on success: where the body ends */
	unsigned char *out;     /* the body bytes delivered before the end or the error */
	size_t outlen;
};

/* A framing line at *pos, at most max bytes before its CRLF: 0 with
 * [*pos, *pos + *len) its content and *pos past the CRLF, else 400. */
static int ref_line(const unsigned char *s, size_t n, size_t *pos, size_t max, size_t *len)
{
	const unsigned char *lf = memchr(s + *pos, '\n', n - *pos);
	if (lf == NULL)
		return 400; /* the input ends inside the line */
	size_t l = (size_t)(lf - (s + *pos));
	if (l == 0 || lf[-1] != '\r' || l - 1 > max || memchr(s + *pos, '\r', l - 1) ||
	    memchr(s + *pos, '\0', l - 1))
		return 400;
	*len = l - 1;
	*pos += l + 1;
	return 0;
}

/* chunk-size [ chunk-ext ]: -1 if malformed.  Extensions are not
 * parsed, only kept free of control characters but HTAB. */
static long long ref_size(const unsigned char *s, size_t l)
{
	size_t i = 0;
	long long v = 0;
	int sig = 0;
	for (; i < l && isxdigit(s[i]); i++) {
		int d = isdigit(s[i]) ? s[i] - '0' : tolower(s[i]) - 'a' + 10;
		if ((v != 0 || d != 0) && ++sig > 15)
			return -1;
		v = v * 16 + d;
	}
	if (i == 0)
		return -1;
	while (i < l && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i < l && s[i] != ';')
		return -1;
	for (; i < l; i++)
		if (s[i] < 0x20 && s[i] != '\t')
			return -1;
	return v;
}

/* trailer-section: field lines up to an empty one */
static int ref_trailers(const unsigned char *s, size_t n, size_t *pos)
{
	size_t total = 0, l;
	for (;;) {
		size_t at = *pos;
		if (ref_line(s, n, pos, HTTP_HEADERS_MAX, &l))
			return 400;
		if (l == 0)
			return 0;
		total += l + 2;
		if (total > HTTP_HEADERS_MAX)
			return 431;
		if (s[at] == ' ' || s[at] == '\t' || memchr(s + at, ':', l) == NULL)
			return 400;
	}
}

static void ref_chunked(const unsigned char *s, size_t n, long long max, struct ref *r)
{
	size_t pos = 0, l;
	for (;;) {
		if ((r->status = ref_line(s, n, &pos, HTTP_CHUNK_LINE_MAX, &l)))
			return;
		long long sz = ref_size(s + pos - l - 2, l);
		if (sz < 0) {
			r->status = 400;
			return;
		}
		if (sz == 0) {
			if ((r->status = ref_trailers(s, n, &pos)) == 0)
				r->consumed = pos;
			return;
		}
		if (sz > max - (long long)r->outlen) {
			r->status = 413;
			return;
		}
		size_t have = n - pos < (size_t)sz ? n - pos : (size_t)sz;
		memcpy(r->out + r->outlen, s + pos, have);
		r->outlen += have;
		pos += have;
		if (have < (size_t)sz || ref_line(s, n, &pos, 2, &l) || l != 0) {
			r->status = 400;
			return;
		}
	}
}

static void ref_length(const unsigned char *s, size_t n, long long len, struct ref *r)
{
	r->outlen = n < (size_t)len ? n : (size_t)len;
	memcpy(r->out, s, r->outlen);
	r->status = r->outlen < (size_t)len ? 400 : 0;
	r->consumed = r->outlen;
}

/* How far the connection has read into the body: what it took from the
 * fd minus what is still buffered. */
static size_t conn_consumed(const struct conn *c)
{
	off_t at = lseek(c->in, 0, SEEK_CUR);
	if (at < 0)
		fuzz_die("setup", "lseek");
	return (size_t)at - (c->end - c->start);
}

static void compare(const struct conn *c, const struct ref *r, int status, const unsigned char *got,
                    size_t gotlen)
{
	char why[96];
	snprintf(why, sizeof why, "status %d, reference %d; %zu bytes, reference %zu", status, r->status,
	         gotlen, r->outlen);
	CHECK(status == r->status, "the outcome differs from the reference decoder's", why);
	/* on an error, the bytes of the chunk whose framing is bad may be
	 * held back: what came is a prefix of what the reference gives */
	if (got != NULL)
		CHECK((status == 0 ? gotlen == r->outlen : gotlen <= r->outlen) && memcmp(got, r->out, gotlen) == 0,
		      "the body differs from the reference decoder's", why);
	if (status == 0) {
		snprintf(why, sizeof why, "at %zu, reference %zu", conn_consumed(c), r->consumed);
		CHECK(conn_consumed(c) == r->consumed, "the body does not end where the reference says", why);
	}
}

static void run(struct conn *c, struct request *rq, size_t bufsz, int drain, const struct ref *r)
{
	static unsigned char got[65536 + 1], buf[65536];
	size_t gotlen = 0;
	int status = 0;
	http_body_attach(c, rq);
	if (drain) {
		int d = http_body_drain(c);
		/* the drain gives up on a body that waits for 100 Continue */
		int want = rq->expect_continue ? -1 : r->status == 0 ? 0 : -1;
		CHECK(d == want, "http_body_drain disagrees with the reference decoder", d ? "-1" : "0");
		if (d == 0)
			compare(c, r, 0, NULL, 0);
		return;
	}
	for (;;) {
		ssize_t k = rq->body.read(rq->body.ctx, buf, bufsz, &status);
		if (k == 0) {
			status = 0;
			break;
		}
		if (k < 0)
			break;
		CHECK((size_t)k <= bufsz && gotlen + (size_t)k < sizeof got, "read more than asked", "");
		memcpy(got + gotlen, buf, (size_t)k);
		gotlen += (size_t)k;
	}
	compare(c, r, status, got, gotlen);
	/* after the end or an error, the body stays ended or failed */
	int again = 0;
	ssize_t k = rq->body.read(rq->body.ctx, buf, bufsz, &again);
	CHECK(status == 0 ? k == 0 : (k == -1 && again == status), "a body read after the end changed its mind", "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct conn c;
	static struct request rq;
	static unsigned char refout[65536];
	static int out = -1;
	if (size < 2 || size > sizeof refout)
		return 0;
	int flags = data[0];
	size_t hdr = 2;
	long long len = -1;
	if (flags & 8) {
		if (size < 4)
			return 0;
		len = data[2] | data[3] << 8;
		hdr = 4;
	}
	if (out < 0 && (out = open("/dev/null", O_WRONLY | O_CLOEXEC)) < 0)
		fuzz_die("setup", "/dev/null");
	int in = fuzz_memfd(data + hdr, size - hdr);
	conn_init(&c, in, out);
	c.body_max = limits[(flags >> 1) & 3];
	memset(&rq, 0, sizeof rq);
	rq.content_length = len;
	rq.chunked = len < 0;
	rq.expect_continue = flags & 1;

	struct ref r = {.out = refout};
	if (len < 0)
		ref_chunked(data + hdr, size - hdr, c.body_max, &r);
	else
		ref_length(data + hdr, size - hdr, len, &r);
	cut_fd = in;
	cut_max = cuts[data[1] & 15];
	run(&c, &rq, bufs[data[1] >> 4], flags & 16, &r);
	cut_fd = -1;
	return 0;
}
