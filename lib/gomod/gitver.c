#include "gomod/gitver.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gomod/semver.h"
#include "base/limits.h"

int gitver_tag_version(const char *tag, const char *prefix, char *out, size_t outsz, int *canonical)
{
	size_t pl = strlen(prefix);
	*canonical = 0;
	if (outsz)
		out[0] = '\0';
	if (strncmp(tag, prefix, pl) != 0)
		return -1;
	const char *trimmed = tag + pl;
	/* "Tags that look like pseudo-versions would be confusing": the go
	 * command asks this of the whole tag, prefix included */
	if (semver_is_pseudo(tag))
		return -1;
	/* semver.Canonical, not module's: a tag's "+incompatible" is not kept */
	if (semver_canonical(trimmed, out, outsz) != 0 || out[0] == '\0')
		return -1;
	/* vX and vX.Y are valid semver, but incomplete as a tag */
	if (strncmp(trimmed, out, strlen(out)) != 0) {
		out[0] = '\0';
		return -1;
	}
	*canonical = strcmp(trimmed, out) == 0;
	return 0;
}

int gitver_major_prefix(const char *pathmajor, char *out, size_t outsz)
{
	char m[VERSION_MAX], maj[VERSION_MAX];
	size_t n = strlen(pathmajor);
	if (n == 0)
		return snprintf(out, outsz, "%s", "") < (int)outsz ? 0 : -1;
	if (pathmajor[0] != '/' && pathmajor[0] != '.')
		return -1;
	/* gopkg.in/yaml.v1-unstable is major v1 */
	if (pathmajor[0] == '.' && n > 9 && strcmp(pathmajor + n - 9, "-unstable") == 0)
		n -= 9;
	if (n - 1 >= sizeof m)
		return -1;
	memcpy(m, pathmajor + 1, n - 1);
	m[n - 1] = '\0';
	if (semver_major(m, maj, sizeof maj) != 0 || strcmp(m, maj) != 0)
		return -1;
	return snprintf(out, outsz, "%s", m) < (int)outsz ? 0 : -1;
}

/* incDecimal: the decimal string d plus one, into out */
static int inc_decimal(const char *d, size_t n, char *out, size_t outsz)
{
	if (n + 2 > outsz)
		return -1;
	memcpy(out + 1, d, n);
	out[n + 1] = '\0';
	size_t i = n;
	while (i > 0 && out[i] == '9')
		out[i--] = '0';
	if (i == 0) {
		out[0] = '1';
		return 0;
	}
	out[i]++;
	memmove(out, out + 1, n + 1);
	return 0;
}

int gitver_pseudo(const char *major, const char *older, int64_t t, const char *rev, char *out,
                  size_t outsz)
{
	char seg[64], build[VERSION_MAX], base[VERSION_MAX], patch[VERSION_MAX];
	struct tm tm;
	time_t tt = (time_t)t;
	if (strlen(rev) != 12 || strspn(rev, "0123456789abcdef") != 12)
		return -1;
	/* PseudoVersionTimestampFormat "20060102150405", in UTC */
	if (t < 0 || gmtime_r(&tt, &tm) == NULL || tm.tm_year + 1900 > 9999)
		return -1;
	snprintf(seg, sizeof seg, "%04d%02d%02d%02d%02d%02d-%s", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rev);
	if (!major || !*major)
		major = "v0";
	if (semver_build(older, build, sizeof build) != 0)
		build[0] = '\0';
	if (semver_canonical(older, base, sizeof base) != 0 || base[0] == '\0')
		return snprintf(out, outsz, "%s.0.0-%s", major, seg) < (int)outsz ? 0 : -1;
	if (semver_is_prerelease(base))
		return snprintf(out, outsz, "%s.0.%s%s", base, seg, build) < (int)outsz ? 0 : -1;
	/* vX.Y.Z: the patch number plus one */
	const char *dot = strrchr(base, '.');
	if (!dot || inc_decimal(dot + 1, strlen(dot + 1), patch, sizeof patch) != 0)
		return -1;
	return snprintf(out, outsz, "%.*s%s-0.%s%s", (int)(dot + 1 - base), base, patch, seg, build) <
	       (int)outsz ? 0 : -1;
}
