/* libFuzzer harness: semantic versions and pseudo-versions
 * (lib/gomod/semver.c), on three versions a, b, c, one a line.  The
 * properties are golang.org/x/mod/semver's and module's:
 *   - canonical(v) exists exactly for a valid v, is canonical, is a fixed
 *     point (canonical(canonical(v)) == canonical(v)) and compares equal
 *     to v; the same for module.CanonicalVersion, which keeps
 *     "+incompatible"; Major, Prerelease and Build are the pieces of v;
 *   - Compare is a total preorder: compare(v, v) == 0, antisymmetric on
 *     every pair, transitive on the triple (for <=, and so for ==), and
 *     blind to build metadata (compare(v, w) == compare of their
 *     canonical forms); semver_qsort_cmp sorts the triple;
 *   - a pseudo-version is valid semver, a pre-release and classed
 *     SEMVER_PSEUDO; and module.PseudoVersion's three forms, built here
 *     from a (the base, "" for none), b's major and c (digits for the
 *     time, letters and digits for the revision), are pseudo-versions
 *     above their base, whose time import_pseudo_time reads back. */
#define FUZZ_NAME "semver"
#include "fuzz.h"

#include <time.h>

#include "app/importinfo.h"
#include "base/limits.h"
#include "gomod/semver.h"

#define VMAX 1024

static void one(const char *v)
{
	char c[VMAX + 32], c2[VMAX + 32], m[VMAX + 32], maj[VMAX + 32], pre[VMAX + 32], bld[VMAX + 32];
	int valid = semver_valid(v);

	CHECK(semver_compare(v, v) == 0, "compare(v, v) != 0", v);
	if (!valid) {
		CHECK(semver_canonical(v, c, sizeof c) == -1 && c[0] == '\0', "an invalid version has a canonical form", v);
		CHECK(!semver_is_pseudo(v) && !semver_is_canonical(v) && !semver_is_module_canonical(v) &&
		      !semver_is_incompatible(v) && semver_classify(v) == SEMVER_PRERELEASE,
		      "an invalid version has properties", v);
		CHECK(semver_major(v, maj, sizeof maj) == -1 && maj[0] == '\0', "an invalid version has a major", v);
		return;
	}
	CHECK(semver_canonical(v, c, sizeof c) == 0, "a valid version has no canonical form", v);
	CHECK(semver_valid(c) && semver_is_canonical(c) && semver_is_module_canonical(c),
	      "the canonical form is not canonical", c);
	CHECK(semver_canonical(c, c2, sizeof c2) == 0 && strcmp(c, c2) == 0, "canonical is not a fixed point", v);
	CHECK(semver_compare(v, c) == 0 && semver_compare(c, v) == 0, "v and canonical(v) differ in order", v);
	CHECK(semver_is_canonical(v) == (strcmp(v, c) == 0), "is_canonical(v) is not canonical(v) == v", v);

	CHECK(semver_canonical_module(v, m, sizeof m) == 0 && semver_is_module_canonical(m),
	      "module.CanonicalVersion is not module-canonical", v);
	CHECK(semver_canonical_module(m, c2, sizeof c2) == 0 && strcmp(m, c2) == 0,
	      "module.CanonicalVersion is not a fixed point", v);
	CHECK(semver_is_module_canonical(v) == (strcmp(v, m) == 0),
	      "is_module_canonical(v) is not CanonicalVersion(v) == v", v);
	CHECK(semver_compare(v, m) == 0, "v and CanonicalVersion(v) differ in order", v);

	/* Major is a prefix of the canonical form, before a '.'; the
	 * canonical form ends in Prerelease; v ends in Build */
	CHECK(semver_major(v, maj, sizeof maj) == 0 && semver_prerelease(v, pre, sizeof pre) == 0 &&
	      semver_build(v, bld, sizeof bld) == 0, "a valid version has no major, pre-release or build", v);
	size_t lm = strlen(maj), lp = strlen(pre), lb = strlen(bld), lc = strlen(c), lv = strlen(v);
	CHECK(strncmp(c, maj, lm) == 0 && c[lm] == '.', "Major is not the start of the version", v);
	CHECK(lp < lc && strcmp(c + lc - lp, pre) == 0 && (lp == 0 || pre[0] == '-'),
	      "Prerelease is not the end of the canonical form", v);
	CHECK(lb < lv && strcmp(v + lv - lb, bld) == 0 && (lb == 0 || bld[0] == '+'), "Build is not the end of v", v);
	CHECK(semver_is_prerelease(v) == (lp > 0), "is_prerelease disagrees with Prerelease", v);
	CHECK(semver_is_incompatible(v) == (strcmp(bld, "+incompatible") == 0),
	      "is_incompatible disagrees with Build", v);

	if (semver_is_pseudo(v))
		CHECK(semver_is_prerelease(v) && semver_classify(v) == SEMVER_PSEUDO,
		      "a pseudo-version is not a pre-release classed pseudo", v);
	else
		CHECK(semver_classify(v) == (lp ? SEMVER_PRERELEASE : SEMVER_RELEASE), "classify is wrong", v);
}

/* decimal string + 1, in place (x/mod's incDecimal); s has room for one
 * more digit */
static void inc_decimal(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && s[i - 1] == '9')
		s[--i] = '0';
	if (i > 0) {
		s[i - 1]++;
	} else {
		memmove(s + 1, s, n + 1);
		s[0] = '1';
	}
}

/* module.PseudoVersion(major, older, t, rev), with the time already as its
 * 14 digits: vMAJOR.0.0-T-REV without a base; base.0.T-REV for a
 * pre-release base; vX.Y.(Z+1)-0.T-REV otherwise; the base's build
 * suffix kept. */
static void pseudo(const char *major, const char *older, const char *stamp, const char *rev, char *out)
{
	char c[VMAX + 32], bld[VMAX + 32];
	if (semver_canonical(older, c, sizeof c) != 0) {
		sprintf(out, "%s.0.0-%s-%s", major, stamp, rev);
		return;
	}
	semver_build(older, bld, sizeof bld);
	if (semver_is_prerelease(c)) {
		sprintf(out, "%s.0.%s-%s%s", c, stamp, rev, bld);
		return;
	}
	char *patch = strrchr(c, '.') + 1;
	inc_decimal(patch);
	sprintf(out, "%s-0.%s-%s%s", c, stamp, rev, bld);
}

static void pseudo_check(const char *a, const char *b, const char *c)
{
	char major[VMAX + 32] = "v0", stamp[15], rev[VMAX + 1], pv[4 * VMAX];
	size_t ns = 0, nr = 0;
	if (semver_major(b, major, sizeof major) != 0)
		strcpy(major, "v0");
	for (const char *p = c; *p; p++) {
		if (isdigit((unsigned char)*p) && ns < 14)
			stamp[ns++] = *p;
		if (isalnum((unsigned char)*p) && (*p & 0x80) == 0)
			rev[nr++] = *p;
	}
	while (ns < 14)
		stamp[ns++] = '0';
	stamp[14] = '\0';
	if (nr == 0)
		rev[nr++] = 'a';
	rev[nr] = '\0';
	pseudo(major, a, stamp, rev, pv);
	CHECK(semver_valid(pv) && semver_is_pseudo(pv), "module.PseudoVersion's form is not a pseudo-version", pv);
	CHECK(!semver_valid(a) || semver_compare(pv, a) > 0, "a pseudo-version is not above its base", pv);
	int64_t t;
	if (import_pseudo_time(pv, &t) == 0) {
		char back[32];
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		strftime(back, sizeof back, "%Y%m%d%H%M%S", &tm);
		CHECK(strcmp(back, stamp) == 0, "the pseudo-version's time does not read back", pv);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *l[3], *copy;
	int n;

	if (size > 3 * VMAX || (n = fuzz_lines(data, size, l, 3, &copy)) < 0)
		return 0;
	for (int i = n; i < 3; i++)
		l[i] = "";
	if (strlen(l[0]) > VMAX || strlen(l[1]) > VMAX || strlen(l[2]) > VMAX) {
		free(copy);
		return 0;
	}
	for (int i = 0; i < 3; i++)
		one(l[i]);
	for (int i = 0; i < 3; i++) {
		const char *x = l[i], *y = l[(i + 1) % 3], *z = l[(i + 2) % 3];
		int xy = semver_compare(x, y), yz = semver_compare(y, z), xz = semver_compare(x, z);
		CHECK(xy == -semver_compare(y, x) && xy >= -1 && xy <= 1, "compare is not antisymmetric", x);
		if (xy <= 0 && yz <= 0)
			CHECK(xz <= 0, "compare is not transitive", x);
		char cx[VMAX + 32], cy[VMAX + 32];
		if (semver_canonical(x, cx, sizeof cx) == 0 && semver_canonical(y, cy, sizeof cy) == 0)
			CHECK(semver_compare(cx, cy) == xy, "build metadata changes the order", x);
	}
	char *s[3] = {l[0], l[1], l[2]};
	qsort(s, 3, sizeof s[0], semver_qsort_cmp);
	CHECK(semver_qsort_cmp(&s[0], &s[1]) <= 0 && semver_qsort_cmp(&s[1], &s[2]) <= 0 &&
	      semver_qsort_cmp(&s[0], &s[2]) <= 0, "semver_qsort_cmp does not sort", s[0]);
	pseudo_check(l[0], l[1], l[2]);
	free(copy);
	return 0;
}
