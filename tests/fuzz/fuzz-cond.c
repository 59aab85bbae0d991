/* libFuzzer harness: conditional requests and ranges (lib/http/cond.c
 * http_etag_match, http_range, http_apply_conditionals) and the HTTP date
 * parser (lib/base/util.c time_http_parse).  Input lines: If-None-Match,
 * the reply's ETag, Range, If-Range, If-Modified-Since, the file size and
 * its Last-Modified time (decimal), the method.  Each parser is checked
 * against a model written here from RFC 9110:
 *   - If-None-Match (section 13.1.2): "*" matches any entity-tag; a
 *     well-formed list of entity-tags matches a strong ETag exactly when
 *     one of them has its opaque-tag (weak comparison); no list matches
 *     an empty ETag, and nothing matches that the list does not contain;
 *   - Range (section 14.1.1, one range; goreg ignores lists): the same
 *     answer as the model's, and a satisfiable range lies inside the
 *     file and is not empty;
 *   - HTTP-date (section 5.6.7): exactly the IMF-fixdates, with a day
 *     that exists and a time of day up to 23:59:60, from 1970 on, are
 *     valid, to the second timegm gives; time_http's own dates read back;
 *   - http_apply_conditionals leaves 200, 206, 304 or 416, never a
 *     range for HEAD or a method other than GET, closes the file of a 304
 *     or 416, and a 206 lies inside the file. */
#define FUZZ_NAME "cond"
#include "fuzz.h"

#include <fcntl.h>
#include <strings.h>
#include <time.h>

#include "base/util.h"
#include "http/http.h"

/* etagc = %x21 / %x23-7E / obs-text */
static int etagc(unsigned char c)
{
	return c == 0x21 || (c >= 0x23 && c != 0x7f);
}

/* entity-tag = [ W/ ] DQUOTE *etagc DQUOTE at p: its end, or NULL */
static const char *entity_tag(const char *p, const char **opaque)
{
	if (p[0] == 'W' && p[1] == '/')
		p += 2;
	if (*p != '"')
		return NULL;
	*opaque = p;
	for (p++; etagc((unsigned char)*p); p++)
		;
	return *p == '"' ? p + 1 : NULL;
}

static const char *skip_ows(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* The model: 1 match, 0 none, -1 the list is not well-formed. */
static int inm_model(const char *list, const char *etag)
{
	const char *p = skip_ows(list), *op, *end = entity_tag(etag, &op);
	int strong = end != NULL && *end == '\0' && etag[0] == '"', match = 0, n = 0;
	if (p[0] == '*' && *skip_ows(p + 1) == '\0')
		return etag[0] != '\0';
	for (;;) {
		/* #rule: empty elements are allowed (section 5.6.1) */
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (*p == '\0')
			return n ? match && strong : -1;
		const char *e = entity_tag(p, &op);
		if (e == NULL)
			return -1;
		n++;
		match |= (size_t)(e - op) == strlen(etag) && memcmp(op, etag, (size_t)(e - op)) == 0;
		p = skip_ows(e);
		if (*p != '\0' && *p != ',')
			return -1;
	}
}

static void check_inm(const char *list, const char *etag)
{
	int m = http_etag_match(list, etag), want = inm_model(list, etag);
	CHECK(m == 0 || m == 1, "http_etag_match returned neither 0 nor 1", list);
	CHECK(etag[0] != '\0' || m == 0, "an empty ETag matched", list);
	CHECK(!m || strstr(list, etag) != NULL || strchr(list, '*') != NULL, "a match the list does not contain", list);
	const char *op, *end = entity_tag(etag, &op);
	if (want >= 0 && end != NULL && *end == '\0' && etag[0] == '"')
		CHECK(m == want, "If-None-Match does not answer as the model", list);
}

/* 1*DIGIT, saturating far above any file: NULL without a digit */
static const char *num(const char *p, long long *v)
{
	const char *s = p;
	for (*v = 0; *p >= '0' && *p <= '9'; p++)
		*v = *v < (1LL << 58) ? *v * 10 + (*p - '0') : *v;
	return p == s ? NULL : p;
}

static int range_model(const char *spec, long long size, long long *off, long long *len)
{
	long long a, b;
	const char *p;
	if (strncasecmp(spec, "bytes=", 6) != 0 || strchr(spec, ',') != NULL)
		return -1;
	spec += 6;
	if (spec[0] == '-') {
		if ((p = num(spec + 1, &b)) == NULL || *p)
			return -1;
		if (b == 0 || size == 0)
			return -2;
		*len = b < size ? b : size;
		*off = size - *len;
		return 0;
	}
	if ((p = num(spec, &a)) == NULL || *p++ != '-')
		return -1;
	b = -1;
	if (*p && ((p = num(p, &b)) == NULL || *p || b < a))
		return -1;
	if (a >= size)
		return -2;
	if (b < 0 || b >= size)
		b = size - 1;
	*off = a;
	*len = b - a + 1;
	return 0;
}

/* http_range stops counting at 2^56, far above any file: numbers of 17
 * digits or more are only checked for the invariants, since their order
 * among themselves is then not kept. */
static void check_range(const char *spec, long long size)
{
	off_t off = -1, len = -1;
	long long moff = -1, mlen = -1;
	int r = http_range(spec, size, &off, &len), want = range_model(spec, size, &moff, &mlen), run = 0, huge = 0;
	for (const char *p = spec; *p; p++)
		huge |= (run = isdigit((unsigned char)*p) ? run + 1 : 0) > 16;
	CHECK(r >= -2 && r <= 0, "http_range returned something else", spec);
	CHECK(huge || r == want, "Range does not answer as the model", spec);
	if (r == 0) {
		CHECK(huge || (off == moff && len == mlen), "Range selects other bytes than the model", spec);
		CHECK(off >= 0 && len >= 1 && off + len <= size, "a satisfiable range outside the file", spec);
	}
}

static int days_in(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return dm[m] + (m == 1 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
}

/* The model of IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT", byte for
 * byte, the fields in range. */
static int64_t date_model(const char *s)
{
	static const char *const days = "Mon,Tue,Wed,Thu,Fri,Sat,Sun,", *const months =
	    "JanFebMarAprMayJunJulAugSepOctNovDec";
	static const char shape[] = "ddd, 00 mmm 0000 00:00:00 GMT";
	if (strlen(s) != sizeof shape - 1)
		return -1;
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == '0' ? !isdigit((unsigned char)s[i]) : islower((unsigned char)shape[i]) ? 0 : s[i] != shape[i])
			return -1;
	char d[5] = {s[0], s[1], s[2], ',', 0}, m[4] = {s[8], s[9], s[10], 0};
	const char *dp = strstr(days, d), *mp = strstr(months, m);
	if (dp == NULL || (dp - days) % 4 != 0 || mp == NULL || (mp - months) % 3 != 0)
		return -1;
	struct tm tm = {.tm_mday = atoi(s + 5), .tm_mon = (int)(mp - months) / 3, .tm_year = atoi(s + 12) - 1900,
	                .tm_hour = atoi(s + 17), .tm_min = atoi(s + 20), .tm_sec = atoi(s + 23)};
	if (tm.tm_year < 70 || tm.tm_mday < 1 || tm.tm_mday > days_in(tm.tm_year + 1900, tm.tm_mon) ||
	    tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	return (int64_t)timegm(&tm);
}

static void check_date(const char *s, long long t)
{
	char back[40];
	char why[128];
	int64_t got = time_http_parse(s), want = date_model(s);
	snprintf(why, sizeof why, "%s: %lld, model %lld", s, (long long)got, (long long)want);
	CHECK(got == want, "an HTTP-date read otherwise than the model", why);
	t %= 253402300800LL; /* up to 9999-12-31T23:59:59Z */
	time_http(t, back);
	CHECK(time_http_parse(back) == t, "time_http's own date does not read back", back);
}

static void check_apply(char **l, long long size, long long lm)
{
	struct request rq;
	struct reply r;
	memset(&rq, 0, sizeof rq);
	reply_init(&r);
	snprintf(rq.method, sizeof rq.method, "%s", l[7]);
	snprintf(rq.if_none_match, sizeof rq.if_none_match, "%s", l[0]);
	snprintf(rq.range, sizeof rq.range, "%s", l[2]);
	snprintf(rq.if_range, sizeof rq.if_range, "%s", l[3]);
	snprintf(rq.if_modified_since, sizeof rq.if_modified_since, "%s", l[4]);
	snprintf(r.etag, sizeof r.etag, "%s", l[1]);
	r.status = 200;
	r.last_modified = lm;
	r.file_size = r.file_len = size;
	/* the file open, or its bytes in memory (a .mod from its record),
	 * by the size's lowest bit */
	static const char bytes[1] = "";
	if (size & 1)
		r.file_bytes = bytes;
	else if ((r.fd = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		fuzz_die("setup", "/dev/null");
	int get = strcmp(rq.method, "GET") == 0, head = strcmp(rq.method, "HEAD") == 0;
	http_apply_conditionals(&rq, &r);
	CHECK(r.status == 200 || r.status == 206 || r.status == 304 || r.status == 416, "a status cond.c does not make",
	      rq.method);
	CHECK(get || head || r.status == 200, "a conditional answer to a method other than GET and HEAD", rq.method);
	CHECK(get || r.status != 206, "a range for HEAD", rq.range);
	CHECK((r.status != 304 && r.status != 416) || !reply_has_file(&r), "the file of a 304 or 416 is left", rq.range);
	CHECK(r.status != 206 || (r.file_off >= 0 && r.file_len >= 1 && r.file_off + r.file_len <= size),
	      "a 206 outside the file", rq.range);
	reply_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *l[8], *copy;
	int n;
	if (size > 4096 || (n = fuzz_lines(data, size, l, 8, &copy)) < 0)
		return 0;
	for (int i = n; i < 8; i++)
		l[i] = "";
	/* sizes below 2^56 bytes: http_range saturates there, far above any file */
	long long fsize = strtoll(l[5], NULL, 10) & ((1LL << 56) - 1), lm = strtoll(l[6], NULL, 10);
	check_inm(l[0], l[1]);
	check_range(l[2], fsize);
	check_date(l[4], lm & ((1LL << 56) - 1));
	check_date(l[3], fsize);
	check_apply(l, fsize, lm);
	free(copy);
	return 0;
}
