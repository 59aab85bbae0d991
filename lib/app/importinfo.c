/* goreg-import's readers of what a GOPROXY tree holds: module path
 * patterns, RFC 3339 times, the .info JSON, pseudo-version times. */
#include "app/importinfo.h"

#include <string.h>

#include "base/limits.h"
#include "gomod/modpath.h"
#include "gomod/semver.h"

/* ---------------------------------------------------------------- */
/* module path patterns */

int import_match(char *const *patterns, size_t n, const char *module)
{
	if (n == 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		const char *p = patterns[i];
		for (;;) {
			const char *comma = strchr(p, ',');
			size_t len = comma ? (size_t)(comma - p) : strlen(p);
			if (modpath_match_glob(p, len, module))
				return 1;
			if (!comma)
				break;
			p = comma + 1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------- */
/* times */

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar:
 * count from 1 March of year 0 so that the leap day ends a year. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	if (m <= 2)
		y--;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;                          /* [0, 399] */
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  /* [0, 146096] */
	return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int civil_time(int y, int mo, int d, int h, int mi, int s, int64_t *t)
{
	/* Go's time.Parse refuses a 60th second: so do we */
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || s > 59)
		return -1;
	*t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	return 0;
}

/* RFC 3339 section 5.6:
 *   full-date "T" partial-time time-offset
 *   YYYY-MM-DD T HH:MM:SS [.fraction] (Z | (+|-)HH:MM)
 * with "T" and "Z" in either case (section 5.6, NOTE). */
int import_parse_time(const char *s, int64_t *t)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	if (strlen(s) < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
	    digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	const char *p = s + 19;
	if (*p == '.') {
		if (p[1] < '0' || p[1] > '9')
			return -1;
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	}
	int sign = 0;
	if ((*p == 'Z' || *p == 'z') && p[1] == 0)
		sign = 0;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 && !digits(p + 1, 2, &oh) && p[3] == ':' &&
	         !digits(p + 4, 2, &om) && oh <= 23 && om <= 59)
		sign = *p == '+' ? 1 : -1;
	else
		return -1;
	int64_t v;
	if (civil_time(y, mo, d, h, mi, sec, &v) < 0)
		return -1;
	/* local time = UTC + offset */
	v -= sign * (oh * 3600 + om * 60);
	if (v < 0)
		return -1;
	*t = v;
	return 0;
}

/* module.PseudoVersionTime: the 14 digits yyyymmddhhmmss just before the
 * revision, which follows the last '-' before any "+build". */
int import_pseudo_time(const char *v, int64_t *t)
{
	if (!semver_is_pseudo(v))
		return -1;
	size_t core = strcspn(v, "+");
	size_t dash = core;
	while (dash > 0 && v[dash - 1] != '-')
		dash--;
	if (dash < 15)
		return -1;
	const char *s = v + dash - 15;
	int y, mo, d, h, mi, sec;
	if (digits(s, 4, &y) || digits(s + 4, 2, &mo) || digits(s + 6, 2, &d) || digits(s + 8, 2, &h) ||
	    digits(s + 10, 2, &mi) || digits(s + 12, 2, &sec))
		return -1;
	return civil_time(y, mo, d, h, mi, sec, t) < 0 || *t < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- */
/* .info: just enough JSON (RFC 8259) to find two top-level strings */

static const char *json_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int hexval(char h)
{
	return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10
	     : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
}

/* A string at *pp: decoded into out (when out is not NULL) if it fits
 * and holds no NUL; \u escapes of non-ASCII characters become '?'
 * (Version and Time are ASCII; anything else in them is refused later
 * anyway). */
static int json_string(const char **pp, const char *e, char *out, size_t outsz)
{
	const char *p = *pp;
	size_t n = 0;
	if (p >= e || *p++ != '"')
		return -1;
	for (;;) {
		if (p >= e)
			return -1;
		unsigned char c = (unsigned char)*p++;
		if (c == '"')
			break;
		if (c < 0x20)
			return -1;
		if (c == '\\') {
			if (p >= e)
				return -1;
			c = (unsigned char)*p++;
			switch (c) {
			case '"': case '\\': case '/': break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u': {
				unsigned u = 0;
				for (int i = 0; i < 4; i++, p++) {
					int h = p < e ? hexval(*p) : -1;
					if (h < 0)
						return -1;
					u = u * 16 + (unsigned)h;
				}
				c = u < 0x80 ? (unsigned char)u : '?';
				/* a NUL would end the C string early:
				 * "v1.0.0\u0000x" must not read as v1.0.0 */
				if (c == 0 && out)
					return -1;
				break;
			}
			default: return -1;
			}
		}
		if (out) {
			if (n + 1 >= outsz)
				return -1;
			out[n++] = (char)c;
		}
	}
	if (out)
		out[n] = 0;
	*pp = p;
	return 0;
}

/* Skip any JSON value; depth bounds the recursion. */
static int json_skip(const char **pp, const char *e, int depth)
{
	const char *p = json_ws(*pp, e);
	if (p >= e || depth > 64)
		return -1;
	if (*p == '"') {
		if (json_string(&p, e, NULL, 0) < 0)
			return -1;
	} else if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		p = json_ws(p + 1, e);
		if (p < e && *p == close)
			p++;
		else
			for (;;) {
				if (close == '}') {
					if (json_string(&p, e, NULL, 0) < 0)
						return -1;
					p = json_ws(p, e);
					if (p >= e || *p++ != ':')
						return -1;
				}
				if (json_skip(&p, e, depth + 1) < 0)
					return -1;
				p = json_ws(p, e);
				if (p < e && *p == ',') {
					p = json_ws(p + 1, e);
					continue;
				}
				if (p < e && *p == close) {
					p++;
					break;
				}
				return -1;
			}
	} else {
		/* number, true, false, null: a run of their characters */
		const char *s = p;
		while (p < e && (strchr("+-.0123456789eE", *p) || (*p >= 'a' && *p <= 'z')))
			p++;
		size_t n = (size_t)(p - s);
		if (n == 0 || (*s >= 'a' && *s <= 'z' && !((n == 4 && !memcmp(s, "true", 4)) ||
		                                          (n == 5 && !memcmp(s, "false", 5)) ||
		                                          (n == 4 && !memcmp(s, "null", 4)))))
			return -1;
	}
	*pp = p;
	return 0;
}

int import_parse_info(const char *data, size_t len, char *version, size_t versionsz, char *time,
                      size_t timesz)
{
	const char *p = data, *e = data + len;
	char key[16];
	version[0] = time[0] = 0;
	p = json_ws(p, e);
	if (p >= e || *p++ != '{')
		return -1;
	p = json_ws(p, e);
	if (p < e && *p == '}')
		p++;
	else
		for (;;) {
			const char *k = p;
			/* a key longer than ours is none of ours: skip it as a string */
			if (json_string(&p, e, key, sizeof key) < 0) {
				p = k;
				key[0] = 0;
				if (json_string(&p, e, NULL, 0) < 0)
					return -1;
			}
			p = json_ws(p, e);
			if (p >= e || *p++ != ':')
				return -1;
			p = json_ws(p, e);
			/* duplicate members: the last one wins, as with Go's encoding/json */
			if (strcmp(key, "Version") == 0) {
				if (json_string(&p, e, version, versionsz) < 0)
					return -1;
			} else if (strcmp(key, "Time") == 0) {
				if (json_string(&p, e, time, timesz) < 0)
					return -1;
			} else if (json_skip(&p, e, 0) < 0)
				return -1;
			p = json_ws(p, e);
			if (p < e && *p == ',') {
				p = json_ws(p + 1, e);
				continue;
			}
			if (p < e && *p == '}') {
				p++;
				break;
			}
			return -1;
		}
	return json_ws(p, e) == e ? 0 : -1;
}
