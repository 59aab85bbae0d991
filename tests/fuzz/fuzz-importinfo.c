/* libFuzzer harness: goreg-import's readers (lib/app/importinfo.c) of a
 * .info file (import_parse_info), an RFC 3339 time (import_parse_time)
 * and a pseudo-version's time (import_pseudo_time).  The whole input is
 * the .info; its first line is also the time and the pseudo-version.
 * Properties:
 *   - on valid JSON (RFC 8259), the reader agrees with an oracle written
 *     here: read or refused alike, the same Version and Time, byte for
 *     byte and to their whole length (nothing cut at an escaped NUL, no
 *     other member taken for ours);
 *   - a .info read gives strings that fit their buffers, refused with
 *     buffers one byte too small, and written back as JSON they read back
 *     the same;
 *   - a time read is at or after 1970; the same instant written in UTC
 *     (time_rfc3339) reads back to it; the fields, as glibc's timegm
 *     counts them less the offset, give it too;
 *   - a pseudo-version's time is that of its 14 digits, and only a
 *     pseudo-version has one. */
#define FUZZ_NAME "importinfo"
#include "fuzz.h"

#include <time.h>

#include "app/importinfo.h"
#include "base/util.h"
#include "gomod/semver.h"

#define VSZ 300
#define TSZ 100

/* The oracle: RFC 8259 on its own, strict where the reader is lenient
 * (numbers), with the reader's documented choices: \u escapes of
 * non-ASCII characters read as '?', nesting deeper than 64 refused, and
 * -1 when any Version or Time member is not a string, does not fit or
 * holds a NUL.
 * Only where the oracle finds valid JSON are the two compared. */
struct jo {
	const char *p, *e;
};

struct oans {
	char v[VSZ], t[TSZ];
	size_t vlen, tlen;
	int refused;            /* a Version or Time not a string, or too long */
};

static void ows(struct jo *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int at(const struct jo *j, char c)
{
	return j->p < j->e && *j->p == c;
}

/* A string, decoded into out[0, cap) (as much as fits); *len its whole
 * decoded length. */
static int ostr(struct jo *j, char *out, size_t cap, size_t *len)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	size_t n = 0;
	if (!at(j, '"'))
		return -1;
	for (j->p++;; n++) {
		if (j->p >= j->e)
			return -1;
		unsigned char c = (unsigned char)*j->p++;
		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			const char *q;
			if (j->p >= j->e)
				return -1;
			c = (unsigned char)*j->p++;
			if (c == 'u') {
				unsigned u = 0;
				for (int i = 0; i < 4; i++, j->p++) {
					if (j->p >= j->e || !isxdigit((unsigned char)*j->p))
						return -1;
					u = u * 16 + (unsigned)(isdigit((unsigned char)*j->p) ? *j->p - '0'
					                                                     : tolower(*j->p) - 'a' + 10);
				}
				c = u < 0x80 ? (unsigned char)u : '?';
			} else if (c != 0 && (q = strchr(from, c)) != NULL) {
				c = (unsigned char)to[q - from];
			} else {
				return -1;
			}
		}
		if (n < cap)
			out[n] = (char)c;
	}
	*len = n;
	return 0;
}

static int digits1(struct jo *j)
{
	if (j->p >= j->e || !isdigit((unsigned char)*j->p))
		return -1;
	while (j->p < j->e && isdigit((unsigned char)*j->p))
		j->p++;
	return 0;
}

/* -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static int onum(struct jo *j)
{
	if (at(j, '-'))
		j->p++;
	if (at(j, '0'))
		j->p++;
	else if (digits1(j))
		return -1;
	if (at(j, '.') && (j->p++, digits1(j)))
		return -1;
	if (at(j, 'e') || at(j, 'E')) {
		j->p++;
		if (at(j, '+') || at(j, '-'))
			j->p++;
		if (digits1(j))
			return -1;
	}
	return 0;
}

static int oval(struct jo *j, int depth)
{
	static const char *const lits[] = {"true", "false", "null"};
	size_t n;
	ows(j);
	if (j->p >= j->e || depth > 64)
		return -1;
	if (*j->p == '"')
		return ostr(j, NULL, 0, &n);
	if (*j->p == '{' || *j->p == '[') {
		char close = *j->p == '{' ? '}' : ']';
		j->p++;
		ows(j);
		if (at(j, close)) {
			j->p++;
			return 0;
		}
		for (;;) {
			if (close == '}') {
				ows(j);
				if (ostr(j, NULL, 0, &n))
					return -1;
				ows(j);
				if (!at(j, ':'))
					return -1;
				j->p++;
			}
			if (oval(j, depth + 1))
				return -1;
			ows(j);
			if (at(j, ',')) {
				j->p++;
				continue;
			}
			if (!at(j, close))
				return -1;
			j->p++;
			return 0;
		}
	}
	for (size_t i = 0; i < 3; i++) {
		n = strlen(lits[i]);
		if ((size_t)(j->e - j->p) >= n && memcmp(j->p, lits[i], n) == 0) {
			j->p += n;
			return 0;
		}
	}
	return onum(j);
}

/* One member of the top-level object: ours decoded, others skipped. */
static int omember(struct jo *j, struct oans *a)
{
	char key[16];
	size_t klen, len;
	ows(j);
	if (ostr(j, key, sizeof key, &klen))
		return -1;
	ows(j);
	if (!at(j, ':'))
		return -1;
	j->p++;
	ows(j);
	int ver = klen == 7 && memcmp(key, "Version", 7) == 0, tim = klen == 4 && memcmp(key, "Time", 4) == 0;
	if (!(ver || tim) || !at(j, '"')) {
		a->refused |= ver || tim;
		return oval(j, 0);
	}
	char *out = ver ? a->v : a->t;
	size_t cap = ver ? VSZ : TSZ;
	if (ostr(j, out, cap, &len))
		return -1;
	if (len >= cap || memchr(out, '\0', len) != NULL)
		a->refused = 1;
	else
		out[len] = '\0';
	*(ver ? &a->vlen : &a->tlen) = len;
	return 0;
}

static int oinfo(const char *d, size_t n, struct oans *a)
{
	struct jo j = {d, d + n};
	memset(a, 0, sizeof *a);
	ows(&j);
	if (!at(&j, '{'))
		return -1;
	j.p++;
	ows(&j);
	if (at(&j, '}'))
		j.p++;
	else
		for (;;) {
			if (omember(&j, a))
				return -1;
			ows(&j);
			if (at(&j, ',')) {
				j.p++;
				continue;
			}
			if (!at(&j, '}'))
				return -1;
			j.p++;
			break;
		}
	ows(&j);
	return j.p == j.e ? 0 : -1;
}

/* s as a JSON string (RFC 8259 section 7), every byte below 0x20 and
 * above 0x7e as \u00XX (the reader turns \u escapes of non-ASCII into
 * '?', so only ASCII goes through this) */
static char *json_str(char *o, const char *s)
{
	*o++ = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			o += sprintf(o, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			o += sprintf(o, "\\u%04x", *p);
		else
			*o++ = (char)*p;
	}
	*o++ = '"';
	return o;
}

static void check_info(const uint8_t *data, size_t size)
{
	static struct oans a;
	char v[VSZ], t[TSZ], v2[VSZ], t2[TSZ], json[6 * (VSZ + TSZ) + 64];
	int r = import_parse_info((const char *)data, size, v, sizeof v, t, sizeof t);
	if (oinfo((const char *)data, size, &a) == 0) {
		CHECK(r == (a.refused ? -1 : 0), r ? "valid JSON refused" : "valid JSON read though a member is not "
		      "a string or too long", a.v);
		if (r == 0)
			CHECK(strlen(v) == a.vlen && memcmp(v, a.v, a.vlen) == 0 && strlen(t) == a.tlen &&
			      memcmp(t, a.t, a.tlen) == 0, "the members read are not the oracle's", v);
	}
	if (r != 0)
		return;
	size_t lv = strlen(v), lt = strlen(t);
	CHECK(lv < VSZ && lt < TSZ, "a member longer than its buffer", v);
	if (lv > 0 || lt > 0)
		CHECK(import_parse_info((const char *)data, size, v2, lv ? lv : 1, t2, lt ? lt : 1) == -1,
		      "a member read into a buffer too small for it", v);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p > 0x7e)
			return; /* raw UTF-8 from the file: json_str would make it '?' */
	for (const unsigned char *p = (const unsigned char *)t; *p; p++)
		if (*p > 0x7e)
			return;
	char *o = json;
	o = stpcpy(o, "{\"Version\":");
	o = json_str(o, v);
	o = stpcpy(o, ",\"Time\":");
	o = json_str(o, t);
	strcpy(o, "}");
	CHECK(import_parse_info(json, strlen(json), v2, sizeof v2, t2, sizeof t2) == 0 && strcmp(v, v2) == 0 &&
	      strcmp(t, t2) == 0, "a .info written back does not read back", json);
}

static void check_time(const char *s)
{
	int64_t t, back;
	char utc[32];
	if (import_parse_time(s, &t) != 0)
		return;
	CHECK(t >= 0, "a time before 1970", s);
	time_rfc3339(t, utc);
	CHECK(import_parse_time(utc, &back) == 0 && back == t, "the same time in UTC does not read back", utc);
	/* the oracle: glibc's timegm on the fields, less the offset */
	struct tm tm = {0};
	int oh = 0, om = 0;
	char sign = 'Z';
	const char *off = s + 19;
	while (*off == '.' || isdigit((unsigned char)*off))
		off++;
	if (sscanf(s, "%4d-%2d-%2d%*c%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
	           &tm.tm_sec) != 6)
		fuzz_die("accepted, yet sscanf finds no date and time", s);
	if (*off == '+' || *off == '-')
		sscanf(off, "%c%2d:%2d", &sign, &oh, &om);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	int64_t want = (int64_t)timegm(&tm) - (sign == '-' ? -1 : sign == '+' ? 1 : 0) * (oh * 3600 + om * 60);
	CHECK(want == t, "the time is not what timegm makes of its fields", s);
	/* timegm normalises what is out of range (31 February, second 60) */
	CHECK(tm.tm_year == atoi(s) - 1900 && tm.tm_mon == atoi(s + 5) - 1 && tm.tm_mday == atoi(s + 8) &&
	      tm.tm_hour == atoi(s + 11) && tm.tm_min == atoi(s + 14) && tm.tm_sec == atoi(s + 17),
	      "a field out of range was accepted", s);
}

static void check_pseudo(const char *v)
{
	int64_t t;
	char stamp[16];
	if (import_pseudo_time(v, &t) != 0)
		return;
	CHECK(semver_is_pseudo(v) && t >= 0, "a time for what is not a pseudo-version", v);
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
	size_t core = strcspn(v, "+"), dash = core;
	while (dash > 0 && v[dash - 1] != '-')
		dash--;
	CHECK(dash >= 15 && strncmp(v + dash - 15, stamp, 14) == 0, "the time is not the 14 digits", v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char line[512];
	check_info(data, size);
	size_t n = 0;
	while (n < size && n < sizeof line - 1 && data[n] != '\n' && data[n] != '\0')
		n++;
	memcpy(line, data, n);
	line[n] = '\0';
	check_time(line);
	check_pseudo(line);
	return 0;
}
