#include "http/field.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/limits.h"

#define F(n, c, m, k, u) \
	{n, sizeof n - 1, c, offsetof(struct request, m), sizeof(((struct request *)0)->m), k, u}
const struct field_def field_defs[] = {
	F("Host", "HTTP_HOST", host, FIELD_WHOLE, 1),
	F("Authorization", "HTTP_AUTHORIZATION", authorization, FIELD_WHOLE, 1),
	F("Private-Token", "HTTP_PRIVATE_TOKEN", private_token, FIELD_WHOLE, 1),
	F("If-None-Match", "HTTP_IF_NONE_MATCH", if_none_match, FIELD_WHOLE, 1),
	F("If-Modified-Since", "HTTP_IF_MODIFIED_SINCE", if_modified_since, FIELD_WHOLE, 1),
	F("Range", "HTTP_RANGE", range, FIELD_OR_IGNORE, 1),
	F("If-Range", "HTTP_IF_RANGE", if_range, FIELD_WHOLE, 1),
	F("User-Agent", "HTTP_USER_AGENT", user_agent, FIELD_CUT, 0),
};
#undef F
const size_t field_ndefs = sizeof field_defs / sizeof field_defs[0];

/* strncasecmp(a, b, n) == 0, without its call of tolower per byte: the
 * bytes equal, or letters that differ in case alone */
static int same_name(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x != y && ((x | 0x20) != (y | 0x20) || (x | 0x20) - 'a' >= 26))
			return 0;
	}
	return 1;
}

const struct field_def *field_find(const char *name, size_t n)
{
	for (size_t i = 0; i < field_ndefs; i++)
		if (field_defs[i].nlen == n && same_name(field_defs[i].name, name, n))
			return &field_defs[i];
	return NULL;
}

int field_store(const struct field_def *f, struct request *rq, const char *v, size_t n, const char **why)
{
	char *dst = (char *)rq + f->off;
	if (n >= f->size) {
		switch (f->keep) {
		case FIELD_WHOLE:
			*why = "header field value too long";
			return 431;
		case FIELD_OR_IGNORE:
			return 0;
		case FIELD_CUT:
			n = f->size - 1;
			break;
		}
	}
	memcpy(dst, v, n);
	dst[n] = 0;
	return 0;
}

int field_length(const char *v, size_t n, long long max, long long *out)
{
	if (n == 0)
		return -1;
	long long x = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		if (x <= max)
			x = x * 10 + (v[i] - '0');
	}
	*out = x > max ? max + 1 : x;
	return 0;
}

int field_env_secs(const char *name, int dflt)
{
	const char *e = getenv(name);
	if (!e || !*e)
		return dflt;
	char *end;
	errno = 0;
	long v = strtol(e, &end, 10);
	if (errno || *end || v < 1 || v > HTTP_TIMEOUT_MAX)
		return dflt;
	return (int)v;
}
