/* lib/semver: the vectors of golang.org/x/mod's semver/semver_test.go and
 * module/pseudo_test.go, plus goreg's own (classification, buffers).
 * Where a vector is ours and not x/mod's, its expected value was checked
 * against golang.org/x/mod itself. */
#include <stdlib.h>
#include <string.h>

#include "gomod/semver.h"
#include "tap.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

/* golang.org/x/mod semver/semver_test.go "tests": in, Canonical(in).  The
 * valid versions are listed in increasing order, so Compare is checked on
 * every pair below exactly as TestCompare does. */
static const struct { const char *in, *out; } tests[] = {
	{"bad", ""},
	{"v1-alpha.beta.gamma", ""},
	{"v1-pre", ""},
	{"v1+meta", ""},
	{"v1-pre+meta", ""},
	{"v1.2-pre", ""},
	{"v1.2+meta", ""},
	{"v1.2-pre+meta", ""},
	{"v1.0.0-alpha", "v1.0.0-alpha"},
	{"v1.0.0-alpha.1", "v1.0.0-alpha.1"},
	{"v1.0.0-alpha.beta", "v1.0.0-alpha.beta"},
	{"v1.0.0-beta", "v1.0.0-beta"},
	{"v1.0.0-beta.2", "v1.0.0-beta.2"},
	{"v1.0.0-beta.11", "v1.0.0-beta.11"},
	{"v1.0.0-rc.1", "v1.0.0-rc.1"},
	{"v1", "v1.0.0"},
	{"v1.0", "v1.0.0"},
	{"v1.0.0", "v1.0.0"},
	{"v1.2", "v1.2.0"},
	{"v1.2.0", "v1.2.0"},
	{"v1.2.3-456", "v1.2.3-456"},
	{"v1.2.3-456.789", "v1.2.3-456.789"},
	{"v1.2.3-456-789", "v1.2.3-456-789"},
	{"v1.2.3-456a", "v1.2.3-456a"},
	{"v1.2.3-pre", "v1.2.3-pre"},
	{"v1.2.3-pre+meta", "v1.2.3-pre"},
	{"v1.2.3-pre.1", "v1.2.3-pre.1"},
	{"v1.2.3-zzz", "v1.2.3-zzz"},
	{"v1.2.3", "v1.2.3"},
	{"v1.2.3+meta", "v1.2.3"},
	{"v1.2.3+meta-pre", "v1.2.3"},
	{"v1.2.3+meta-pre.sha.256a", "v1.2.3"},
};

/* semver_test.go TestCompare, the explicit cases.  Numbers compare as
 * numbers (semver.org item 11; x/mod's compareInt orders by length, then
 * bytes), so v1.19 is above v1.2: one stored copy of this test says -1,
 * but x/mod itself (as vendored in Go 1.19) returns 1. */
static const struct { const char *v, *w; int r; } compares[] = {
	{"v1", "v1", 0},
	{"v2", "v1", 1},
	{"v1", "v2", -1},
	{"v1.19", "v1.2", 1},
	{"v1.2", "v1.19", -1},
	{"v1.10.0", "v1.9.0", 1},
};

/* golang.org/x/mod module/pseudo_test.go "pseudoTests": the pseudo-version
 * PseudoVersion makes from a base ("older"); TestIsPseudoVersion wants
 * every version to be a pseudo-version and no base to be one. */
static const struct { const char *older, *version; } pseudo_tests[] = {
	{"", "v0.0.0-20060102150405-hash"},
	{"", "v0.0.0-20060102150405-hash"},
	{"", "v1.0.0-20060102150405-hash"},
	{"", "v2.0.0-20060102150405-hash"},
	{"v0.0.0", "v0.0.1-0.20060102150405-hash"},
	{"v1.2.3", "v1.2.4-0.20060102150405-hash"},
	{"v1.2.99999999999999999", "v1.2.100000000000000000-0.20060102150405-hash"},
	{"v1.2.3-pre", "v1.2.3-pre.0.20060102150405-hash"},
	{"v1.3.0-pre", "v1.3.0-pre.0.20060102150405-hash"},
	{"v0.0.0--", "v0.0.0--.0.20060102150405-hash"},
	{"v1.0.0+metadata", "v1.0.1-0.20060102150405-hash+metadata"},
	{"v2.0.0+incompatible", "v2.0.1-0.20060102150405-hash+incompatible"},
	{"v2.3.0-pre+incompatible", "v2.3.0-pre.0.20060102150405-hash+incompatible"},
};

/* More IsPseudoVersion vectors: the inputs of pseudo_test.go
 * TestInvalidPseudoVersionBase (several are pseudo-versions by syntax,
 * only their base is bad), module_test.go's gopkg.in pseudo-versions, and
 * near misses of our own. */
static const struct { const char *v; int want; } pseudo_more[] = {
	{"v0.0.0", 0},
	{"v0.0.0-", 0},
	{"v0.0.0-0.20060102150405-hash", 1},
	{"v0.1.0-0.20060102150405-hash", 1},
	{"v1.0.0-0.20060102150405-hash", 1},
	{"v0.0.0-20060102150405-hash+incompatible", 1},
	{"v0.0.0-20060102150405-hash+metadata", 1},
	{"v0.0.0-20160102150405-abcdef123456", 1},
	{"v0.0.0-20190510104115-cbcb75029529", 1},
	{"v2.0.0-20060102150405-hash+incompatible", 1},
	{"v1.0.0-x.0.0.20060102150405-hash", 1},
	{"v1.2.3-20060102150405-hash", 0},        /* form (1) needs vX.0.0 */
	{"v0.0.0-2006010215040-hash", 0},         /* 13-digit time stamp */
	{"v0.0.0-200601021504051-hash", 0},       /* 15-digit time stamp */
	{"v0.0.0-20060102150405-", 0},            /* no revision */
	{"v0.0.0-20060102150405-abc_def", 0},     /* not semver */
	{"v1.0.0-pre.1.20060102150405-hash", 0},  /* ".1." is not ".0." */
	{"v1.0.0-pre0.20060102150405-hash", 0},
	{"v1.0.0-pre.0-20060102150405-hash", 0},
	{"v1.2.4-00.20060102150405-hash", 0},     /* leading zero: not semver */
	{"v1.2.3-rc.1", 0},
	{"v1.0-20060102150405-hash", 0},
	{"1.0.0-20060102150405-hash", 0},
	{"", 0},
};

int main(void)
{
	char buf[256];
	size_t i, j;

	for (i = 0; i < N(tests); i++) {
		const char *in = tests[i].in, *out = tests[i].out, *p;
		char want[64];

		is_int(semver_valid(in), out[0] != '\0', "semver_valid(%s)", in);
		is_int(semver_canonical(in, buf, sizeof buf), out[0] ? 0 : -1, "semver_canonical(%s) rc", in);
		is_str(buf, out, "semver_canonical(%s)", in);

		/* TestMajor: the canonical form up to its first dot */
		p = strchr(out, '.');
		snprintf(want, sizeof want, "%.*s", p ? (int)(p - out) : 0, out);
		semver_major(in, buf, sizeof buf);
		is_str(buf, want, "semver_major(%s)", in);

		/* TestPrerelease: the canonical form from its first dash */
		p = strchr(out, '-');
		semver_prerelease(in, buf, sizeof buf);
		is_str(buf, p ? p : "", "semver_prerelease(%s)", in);

		/* TestBuild: the input from its '+', if it is valid */
		p = out[0] ? strchr(in, '+') : NULL;
		semver_build(in, buf, sizeof buf);
		is_str(buf, p ? p : "", "semver_build(%s)", in);
	}

	/* TestCompare: equal canonical forms compare equal, else by position */
	for (i = 0; i < N(tests); i++)
		for (j = 0; j < N(tests); j++) {
			int want = strcmp(tests[i].out, tests[j].out) == 0 ? 0 : i < j ? -1 : 1;
			is_int(semver_compare(tests[i].in, tests[j].in), want,
			       "semver_compare(%s, %s)", tests[i].in, tests[j].in);
		}
	for (i = 0; i < N(compares); i++)
		is_int(semver_compare(compares[i].v, compares[i].w), compares[i].r,
		       "semver_compare(%s, %s)", compares[i].v, compares[i].w);

	/* TestSort: a shuffled list comes out in ByVersion order (Compare,
	 * then the strings).  A fixed shuffle keeps the test repeatable. */
	{
		const char *list[N(tests)];
		for (i = 0; i < N(tests); i++)
			list[i] = tests[(i * 7 + 3) % N(tests)].in;   /* 7 is prime to 32 */
		qsort(list, N(list), sizeof list[0], semver_qsort_cmp);
		for (i = 1; i < N(list); i++) {
			int c = semver_compare(list[i - 1], list[i]);
			ok(c < 0 || (c == 0 && strcmp(list[i - 1], list[i]) <= 0),
			   "sorted: %s before %s", list[i - 1], list[i]);
		}
	}

	/* TestIsPseudoVersion */
	for (i = 0; i < N(pseudo_tests); i++) {
		is_int(semver_is_pseudo(pseudo_tests[i].version), 1, "semver_is_pseudo(%s)", pseudo_tests[i].version);
		is_int(semver_is_pseudo(pseudo_tests[i].older), 0, "semver_is_pseudo(%s) base", pseudo_tests[i].older);
	}
	for (i = 0; i < N(pseudo_more); i++)
		is_int(semver_is_pseudo(pseudo_more[i].v), pseudo_more[i].want, "semver_is_pseudo(%s)", pseudo_more[i].v);

	/* Canonical forms: semver.Canonical drops all build metadata;
	 * module.CanonicalVersion keeps +incompatible (module/module.go). */
	ok(semver_is_canonical("v1.2.3"), "v1.2.3 is canonical");
	ok(semver_is_canonical("v1.2.3-pre.1"), "v1.2.3-pre.1 is canonical");
	ok(!semver_is_canonical("v1.2"), "v1.2 is not canonical");
	ok(!semver_is_canonical("v1.2.3+meta"), "v1.2.3+meta is not canonical");
	ok(!semver_is_canonical("v2.0.0+incompatible"), "v2.0.0+incompatible is not semver-canonical");
	ok(!semver_is_canonical("bad"), "bad is not canonical");
	semver_canonical("v2.0.0+incompatible", buf, sizeof buf);
	is_str(buf, "v2.0.0", "semver_canonical drops +incompatible");
	semver_canonical_module("v2.0.0+incompatible", buf, sizeof buf);
	is_str(buf, "v2.0.0+incompatible", "semver_canonical_module keeps +incompatible");
	semver_canonical_module("v2.0.0-pre+incompatible", buf, sizeof buf);
	is_str(buf, "v2.0.0-pre+incompatible", "semver_canonical_module keeps +incompatible after a pre-release");
	semver_canonical_module("v1.2.3+meta", buf, sizeof buf);
	is_str(buf, "v1.2.3", "semver_canonical_module drops other metadata");
	semver_canonical_module("v1.2", buf, sizeof buf);
	is_str(buf, "v1.2.0", "semver_canonical_module fills in the patch");
	is_int(semver_canonical_module("v1+incompatible", buf, sizeof buf), -1, "v1+incompatible is invalid");
	is_str(buf, "", "invalid gives an empty canonical module version");

	ok(semver_is_incompatible("v2.0.0+incompatible"), "v2.0.0+incompatible is +incompatible");
	ok(!semver_is_incompatible("v2.0.0+incompatible.1"), "+incompatible.1 is other metadata");
	ok(!semver_is_incompatible("v2.0.0"), "v2.0.0 is not +incompatible");
	ok(!semver_is_incompatible("v2+incompatible"), "invalid is not +incompatible");
	ok(semver_is_prerelease("v1.0.0-rc.1+meta"), "v1.0.0-rc.1+meta is a pre-release");
	ok(!semver_is_prerelease("v1.0.0+rc"), "v1.0.0+rc is not a pre-release");
	ok(!semver_is_prerelease("v1-rc"), "invalid is not a pre-release");

	/* Classes for @v/list and @latest (go.dev/ref/mod#goproxy-protocol) */
	is_int(semver_classify("v1.2.3"), SEMVER_RELEASE, "v1.2.3 is a release");
	is_int(semver_classify("v2.0.0+incompatible"), SEMVER_RELEASE, "v2.0.0+incompatible is a release");
	is_int(semver_classify("v1.2.3-rc.1"), SEMVER_PRERELEASE, "v1.2.3-rc.1 is a pre-release");
	is_int(semver_classify("v1.2.4-0.20060102150405-abcdef123456"), SEMVER_PSEUDO, "form (2) is a pseudo-version");
	is_int(semver_classify("v1.2.3-pre.0.20060102150405-abcdef123456"), SEMVER_PSEUDO, "form (3) is a pseudo-version");
	is_int(semver_classify("v0.0.0-20060102150405-abcdef123456"), SEMVER_PSEUDO, "form (1) is a pseudo-version");
	is_int(semver_classify("bad"), SEMVER_PRERELEASE, "an invalid version is never a release");

	/* Numbers of any length compare numerically, not as machine integers */
	is_int(semver_compare("v99999999999999999999.0.0", "v100000000000000000000.0.0"), -1, "huge majors compare by value");
	is_int(semver_compare("v1.0.0-99999999999999999999", "v1.0.0-100000000000000000000"), -1, "huge numeric pre-release identifiers compare by value");
	is_int(semver_compare("v1.0.0-9", "v1.0.0-a"), -1, "numeric identifiers sort below alphanumeric ones");
	is_int(semver_compare("v1.0.0-A", "v1.0.0-a"), -1, "alphanumeric identifiers compare in ASCII order");
	is_int(semver_compare("v1.0.0-a", "v1.0.0-a.0"), -1, "a longer identifier list wins a tie");
	is_int(semver_compare("", "bad"), 0, "invalid versions compare equal");
	is_int(semver_compare("bad", "v0.0.0"), -1, "invalid sorts below valid");

	/* qsort order with ties broken by the strings (semver.Sort) */
	{
		const char *list[] = {"v1.0.0+b", "v1.10.0", "bad", "v1.0.0", "v1.2.0-0.20060102150405-abcdef123456",
		                      "v1.0.0+a", "v1.2.0-rc.1", "v1.9.0", "", "v1.0.0-rc.1"};
		const char *want[] = {"", "bad", "v1.0.0-rc.1", "v1.0.0", "v1.0.0+a", "v1.0.0+b",
		                      "v1.2.0-0.20060102150405-abcdef123456", "v1.2.0-rc.1", "v1.9.0", "v1.10.0"};
		qsort(list, N(list), sizeof list[0], semver_qsort_cmp);
		for (i = 0; i < N(list); i++)
			is_str(list[i], want[i], "qsort position %zu", i);
	}

	/* Caller buffers: exactly big enough works, one byte less fails */
	is_int(semver_canonical("v1", buf, 7), 0, "v1.0.0 fits in 7 bytes");
	is_str(buf, "v1.0.0", "canonical of v1 in 7 bytes");
	is_int(semver_canonical("v1", buf, 6), -1, "v1.0.0 does not fit in 6 bytes");
	is_str(buf, "", "a failed canonical leaves an empty string");
	is_int(semver_major("v12.0.0", buf, 4), 0, "v12 fits in 4 bytes");
	is_int(semver_major("v12.0.0", buf, 3), -1, "v12 does not fit in 3 bytes");
	is_int(semver_build("v1.0.0+abc", buf, 5), 0, "+abc fits in 5 bytes");
	is_int(semver_prerelease("v1.0.0", buf, 1), 0, "an empty pre-release fits in 1 byte");
	is_str(buf, "", "no pre-release is empty");
	is_int(semver_prerelease("v1.0.0-rc", buf, 0), -1, "nothing fits in 0 bytes");
	ok(!semver_valid(NULL), "NULL is not a version");

	/* module.CanonicalVersion(v) == v: +incompatible is the one build
	 * suffix that survives (golang.org/x/mod/module CanonicalVersion) */
	{
		static const struct { const char *v; int want; } mc[] = {
			{"v1.2.3", 1}, {"v2.0.0+incompatible", 1}, {"v1.0.0-rc.1", 1},
			{"v2.0.0-rc.1+incompatible", 1}, {"v2+incompatible", 0}, {"v1.2", 0},
			{"v1.2.3+meta", 0}, {"v1.2.3+incompatible.x", 0}, {"1.2.3", 0}, {"", 0},
		};
		for (size_t k = 0; k < sizeof mc / sizeof mc[0]; k++)
			is_int(semver_is_module_canonical(mc[k].v), mc[k].want, "module-canonical '%s'", mc[k].v);
	}
	return done_testing();
}
