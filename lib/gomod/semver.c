/* Semantic versions with the go command's rules.  The grammar and order
 * are golang.org/x/mod/semver's (semver.org 2.0.0 plus a required 'v' and
 * the shorthands vMAJOR and vMAJOR.MINOR); pseudo-versions are
 * golang.org/x/mod/module IsPseudoVersion (go.dev/ref/mod#pseudo-versions).
 * Everything works on the caller's string: a parse records where each part
 * starts and how long it is, so nothing is copied or allocated. */
#include "gomod/semver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"

/* One parsed version.  Numbers are digit strings, never converted, because
 * x/mod accepts numbers of any length ("v1.2.99999999999999999" appears in
 * its pseudo-version tests) and orders them by length, then bytes. */
struct parsed {
	const char *major, *minor, *patch;
	size_t majorlen, minorlen, patchlen;
	const char *shortfill;  /* ".0.0" for v1, ".0" for v1.2, else "" */
	const char *pre;        /* "-rc.1" or "" (points into v) */
	const char *build;      /* "+meta" or "" (points into v) */
	size_t prelen, buildlen;
};

static int isdigit_(char c) { return c >= '0' && c <= '9'; }

/* semver.org item 9/10: identifiers are [0-9A-Za-z-]. */
static int isident(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || isdigit_(c) || c == '-';
}

/* A decimal without extra leading zeros (semver.org item 2).  Returns its
 * length, 0 if s does not start with a valid number. */
static size_t parse_int(const char *s)
{
	size_t i = 0;
	while (isdigit_(s[i]))
		i++;
	if (i > 1 && s[0] == '0')
		return 0;
	return i;
}

/* A numeric pre-release identifier must not have leading zeros
 * (semver.org item 9); alphanumeric ones like "0a" may. */
static int is_bad_num(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && isdigit_(s[i]))
		i++;
	return i == n && n > 1 && s[0] == '0';
}

/* Dot-separated non-empty identifiers after the leading '-' or '+', up to
 * stop (a '+' for pre-release, end of string for build).  Returns the
 * length including the leading sign, 0 if malformed. */
static size_t parse_idents(const char *s, int prerelease)
{
	size_t i = 1, start = 1;
	for (; s[i] != '\0' && !(prerelease && s[i] == '+'); i++) {
		if (s[i] == '.') {
			if (start == i || (prerelease && is_bad_num(s + start, i - start)))
				return 0;
			start = i + 1;
		} else if (!isident(s[i])) {
			return 0;
		}
	}
	if (start == i || (prerelease && is_bad_num(s + start, i - start)))
		return 0;
	return i;
}

/* semver parse: vMAJOR[.MINOR[.PATCH[-PRERELEASE][+BUILD]]]; the short
 * forms take no pre-release or build suffix. */
static int parse(const char *v, struct parsed *p)
{
	size_t n;

	if (v == NULL || v[0] != 'v')
		return 0;
	memset(p, 0, sizeof *p);
	p->pre = p->build = p->shortfill = "";
	v++;
	if ((n = parse_int(v)) == 0)
		return 0;
	p->major = v, p->majorlen = n, v += n;
	if (*v == '\0') {
		p->minor = p->patch = "0";
		p->minorlen = p->patchlen = 1;
		p->shortfill = ".0.0";
		return 1;
	}
	if (*v++ != '.' || (n = parse_int(v)) == 0)
		return 0;
	p->minor = v, p->minorlen = n, v += n;
	if (*v == '\0') {
		p->patch = "0";
		p->patchlen = 1;
		p->shortfill = ".0";
		return 1;
	}
	if (*v++ != '.' || (n = parse_int(v)) == 0)
		return 0;
	p->patch = v, p->patchlen = n, v += n;
	if (*v == '-') {
		if ((n = parse_idents(v, 1)) == 0)
			return 0;
		p->pre = v, p->prelen = n, v += n;
	}
	if (*v == '+') {
		if ((n = parse_idents(v, 0)) == 0)
			return 0;
		p->build = v, p->buildlen = n, v += n;
	}
	return *v == '\0';
}

/* Copy n bytes of s then tail into out as a C string. */
static int put(char *out, size_t outsz, const char *s, size_t n, const char *tail)
{
	size_t t = strlen(tail);
	if (out == NULL || outsz == 0)
		return -1;
	if (n + t + 1 > outsz) {
		out[0] = '\0';
		return -1;
	}
	memcpy(out, s, n);
	memcpy(out + n, tail, t + 1);
	return 0;
}

/* x/mod returns "" for an invalid version; so do we, and report -1. */
static int invalid(char *out, size_t outsz)
{
	if (out != NULL && outsz > 0)
		out[0] = '\0';
	return -1;
}

int semver_valid(const char *v)
{
	struct parsed p;
	return parse(v, &p);
}

/* semver.Canonical: fill in .MINOR/.PATCH, drop build metadata (all of it,
 * +incompatible too: module.CanonicalVersion is the form that keeps it). */
int semver_canonical(const char *v, char *out, size_t outsz)
{
	struct parsed p;
	if (!parse(v, &p))
		return invalid(out, outsz);
	return put(out, outsz, v, strlen(v) - p.buildlen, p.shortfill);
}

/* module.CanonicalVersion: semver.Canonical keeping "+incompatible". */
int semver_canonical_module(const char *v, char *out, size_t outsz)
{
	struct parsed p;
	if (!parse(v, &p))
		return invalid(out, outsz);
	return put(out, outsz, v, strlen(v) - p.buildlen,
	           semver_is_incompatible(v) ? "+incompatible" : p.shortfill);
}

int semver_is_module_canonical(const char *v)
{
	struct parsed p;
	return parse(v, &p) && p.shortfill[0] == '\0' && (p.buildlen == 0 || semver_is_incompatible(v));
}

int semver_is_canonical(const char *v)
{
	struct parsed p;
	return parse(v, &p) && p.buildlen == 0 && p.shortfill[0] == '\0';
}

int semver_major(const char *v, char *out, size_t outsz)
{
	struct parsed p;
	if (!parse(v, &p))
		return invalid(out, outsz);
	return put(out, outsz, v, 1 + p.majorlen, "");
}

int semver_prerelease(const char *v, char *out, size_t outsz)
{
	struct parsed p;
	if (!parse(v, &p))
		return invalid(out, outsz);
	return put(out, outsz, p.pre, p.prelen, "");
}

int semver_build(const char *v, char *out, size_t outsz)
{
	struct parsed p;
	if (!parse(v, &p))
		return invalid(out, outsz);
	return put(out, outsz, p.build, p.buildlen, "");
}

int semver_is_prerelease(const char *v)
{
	struct parsed p;
	return parse(v, &p) && p.prelen > 0;
}

int semver_is_incompatible(const char *v)
{
	struct parsed p;
	return parse(v, &p) && p.buildlen == 13 && memcmp(p.build, "+incompatible", 13) == 0;
}

/* Numbers carry no leading zeros, so the longer one is larger and equal
 * lengths compare bytewise. */
static int cmp_num(const char *x, size_t xn, const char *y, size_t yn)
{
	int c;
	if (xn != yn)
		return xn < yn ? -1 : 1;
	c = memcmp(x, y, xn);
	return (c > 0) - (c < 0);
}

static int all_digits(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!isdigit_(s[i]))
			return 0;
	return 1;
}

/* semver.org item 11: a pre-release sorts before the release; identifiers
 * compare left to right, numeric ones numerically and below alphanumeric
 * ones, which compare in ASCII order; a longer list wins a tie. */
static int cmp_pre(const char *x, size_t xn, const char *y, size_t yn)
{
	size_t i = 0, j = 0;

	if (xn == yn && memcmp(x, y, xn) == 0)
		return 0;
	if (xn == 0)
		return 1;
	if (yn == 0)
		return -1;
	while (i < xn && j < yn) {
		size_t a = ++i, b = ++j;   /* skip the '-' or '.' */
		size_t an, bn;
		while (i < xn && x[i] != '.')
			i++;
		while (j < yn && y[j] != '.')
			j++;
		an = i - a, bn = j - b;
		if (an != bn || memcmp(x + a, y + b, an) != 0) {
			int nx = all_digits(x + a, an), ny = all_digits(y + b, bn);
			size_t m = an < bn ? an : bn;
			int c;
			if (nx != ny)
				return nx ? -1 : 1;
			if (nx)
				return cmp_num(x + a, an, y + b, bn);
			c = memcmp(x + a, y + b, m);
			if (c != 0)
				return c < 0 ? -1 : 1;
			return an < bn ? -1 : 1;
		}
	}
	return i >= xn ? -1 : 1;
}

/* semver.Compare: invalid versions sort below every valid one and equal
 * to each other; build metadata is ignored. */
int semver_compare(const char *a, const char *b)
{
	struct parsed p, q;
	int okp = parse(a, &p), okq = parse(b, &q), c;

	if (!okp || !okq)
		return okp - okq;
	if ((c = cmp_num(p.major, p.majorlen, q.major, q.majorlen)) != 0)
		return c;
	if ((c = cmp_num(p.minor, p.minorlen, q.minor, q.minorlen)) != 0)
		return c;
	if ((c = cmp_num(p.patch, p.patchlen, q.patch, q.patchlen)) != 0)
		return c;
	return cmp_pre(p.pre, p.prelen, q.pre, q.prelen);
}

/* semver.Sort order (ByVersion): Compare, ties broken by the strings, so
 * the result is the same whatever order qsort sees equal versions in. */
int semver_qsort_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	int c = semver_compare(x, y);
	if (c != 0)
		return c;
	c = strcmp(x, y);
	return (c > 0) - (c < 0);
}

/* The length of a leading "v" digits "." digits "." digits "-" in s[0..n),
 * or 0.  The digit runs end at the delimiters, so there is one way to match,
 * and its '-' is the first in the version. */
static size_t vxyz_dash_len(const char *s, size_t n)
{
	size_t i = 1;
	int part;
	if (n == 0 || s[0] != 'v')
		return 0;
	for (part = 0; part < 3; part++) {
		size_t start = i;
		while (i < n && isdigit_(s[i]))
			i++;
		if (i == start || i >= n || s[i] != (part < 2 ? '.' : '-'))
			return 0;
		i++;
	}
	return i;
}

/* module.IsPseudoVersion: at least two dashes, a valid semver, and a match
 * for x/mod's pseudoVersionRE
 *   ^v[0-9]+\.(0\.0-|\d+\.\d+-([^+]*\.)?0\.)\d{14}-[A-Za-z0-9]+(\+build)?$
 * that is, the three forms of go.dev/ref/mod#pseudo-versions:
 *   vX.0.0-yyyymmddhhmmss-abcdef123456
 *   vX.Y.Z-pre.0.yyyymmddhhmmss-abcdef123456
 *   vX.Y.(Z+1)-0.yyyymmddhhmmss-abcdef123456
 * each optionally +build.  The regexp is matched from the right: the
 * revision has no '-', so it follows the last '-' before any '+'; the 14
 * digits come just before that '-', and what precedes them decides the
 * form.  The +build part is already checked by semver validity. */
int semver_is_pseudo(const char *v)
{
	struct parsed p;
	const char *dash, *s;
	size_t n, i, k, core, dashes = 0;

	if (!parse(v, &p))
		return 0;
	for (s = v; *s; s++)
		dashes += *s == '-';
	if (dashes < 2)
		return 0;
	core = strlen(v) - p.buildlen;       /* the first '+' starts the build */

	/* -[A-Za-z0-9]+$ : the revision */
	dash = NULL;
	for (i = core; i > 0; i--)
		if (v[i - 1] == '-') {
			dash = v + i - 1;
			break;
		}
	if (dash == NULL || (size_t)(dash - v) + 1 == core)
		return 0;
	for (s = dash + 1; s < v + core; s++)
		if (!isident(*s) || *s == '-')
			return 0;

	/* \d{14} : the UTC time stamp yyyymmddhhmmss */
	n = (size_t)(dash - v);
	if (n < 14 || !all_digits(v + n - 14, 14))
		return 0;
	n -= 14;                             /* v[0..n) is the prefix */

	/* v[0-9]+\.0\.0- : the form without a base version */
	if (n >= 5 && memcmp(v + n - 5, ".0.0-", 5) == 0) {
		for (i = 1; i < n - 5; i++)
			if (!isdigit_(v[i]))
				break;
		if (i == n - 5 && i > 1)
			return 1;
	}

	/* v[0-9]+\.\d+\.\d+-([^+]*\.)?0\. : the -pre.0. and -0. forms; [^+]*
	 * is anything here because the core has no '+'.  What is left after
	 * "0." is either exactly vX.Y.Z- or vX.Y.Z- then text ending in '.'. */
	if (n < 2 || memcmp(v + n - 2, "0.", 2) != 0)
		return 0;
	n -= 2;
	if ((k = vxyz_dash_len(v, n)) == 0)
		return 0;
	return n == k || v[n - 1] == '.';
}

/* go.dev/ref/mod#goproxy-protocol: @v/list lists releases and
 * pre-releases, and @latest prefers a release, then a pre-release, then a
 * pseudo-version.  An invalid v (callers should not pass one) counts as a
 * pre-release so it is never taken for a release. */
enum semver_class semver_classify(const char *v)
{
	if (semver_is_pseudo(v))
		return SEMVER_PSEUDO;
	if (!semver_valid(v) || semver_is_prerelease(v))
		return SEMVER_PRERELEASE;
	return SEMVER_RELEASE;
}

const char *semver_v_hint(const char *v, char *buf, size_t bufsz)
{
	char with_v[VERSION_MAX + 2];
	buf[0] = 0;
	if (v[0] != 'v' && strlen(v) < VERSION_MAX && snprintf(with_v, sizeof with_v, "v%s", v) > 0 &&
	    semver_is_module_canonical(with_v))
		snprintf(buf, bufsz, " (versions start with v: %s)", with_v);
	return buf;
}
