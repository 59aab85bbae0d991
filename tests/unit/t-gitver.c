/* lib/gomod/gitver: the pseudo-version vectors of golang.org/x/mod's
 * module/pseudo_test.go (with a 12-hex-digit revision for its "hash"), and
 * the tag rules of cmd/go's coderepo.go tagToVersion. */
#include <string.h>

#include "gomod/gitver.h"
#include "tap.h"

#define N(a) (sizeof (a) / sizeof (a)[0])
#define REV "abcdefabcdef"
#define T2006 1136214245LL      /* 2006-01-02T15:04:05Z, pseudo_test.go's pseudoTime */

static const struct { const char *major, *older, *want; } pseudo[] = {
	{"", "", "v0.0.0-20060102150405-" REV},
	{"v0", "", "v0.0.0-20060102150405-" REV},
	{"v1", "", "v1.0.0-20060102150405-" REV},
	{"v2", "", "v2.0.0-20060102150405-" REV},
	{"unused", "v0.0.0", "v0.0.1-0.20060102150405-" REV},
	{"unused", "v1.2.3", "v1.2.4-0.20060102150405-" REV},
	{"unused", "v1.2.99999999999999999", "v1.2.100000000000000000-0.20060102150405-" REV},
	{"unused", "v1.2.3-pre", "v1.2.3-pre.0.20060102150405-" REV},
	{"unused", "v1.3.0-pre", "v1.3.0-pre.0.20060102150405-" REV},
	{"unused", "v0.0.0--", "v0.0.0--.0.20060102150405-" REV},
	{"unused", "v1.0.0+metadata", "v1.0.1-0.20060102150405-" REV "+metadata"},
	{"unused", "v2.0.0+incompatible", "v2.0.1-0.20060102150405-" REV "+incompatible"},
	{"unused", "v2.3.0-pre+incompatible", "v2.3.0-pre.0.20060102150405-" REV "+incompatible"},
	/* ours: a carry through every digit, and a non-canonical base */
	{"", "v1.9.99", "v1.9.100-0.20060102150405-" REV},
	{"", "v1.2", "v1.2.1-0.20060102150405-" REV},
};

/* tag, prefix: version ("" for none), canonical */
static const struct { const char *tag, *prefix, *want; int canon; } tags[] = {
	{"v1.2.3", "", "v1.2.3", 1},
	{"v1.2.3-rc.1", "", "v1.2.3-rc.1", 1},
	{"v2.0.0", "", "v2.0.0", 1},
	{"v1.2.3+meta", "", "v1.2.3", 0},
	{"v2.0.0+incompatible", "", "v2.0.0", 0},
	{"v1.2", "", "", 0},
	{"v1", "", "", 0},
	{"1.2.3", "", "", 0},
	{"release-1", "", "", 0},
	{"sub/v1.0.0", "sub/", "v1.0.0", 1},
	{"sub/v1.0.0", "", "", 0},
	{"v1.0.0", "sub/", "", 0},
	{"a/b/v0.1.0-pre", "a/b/", "v0.1.0-pre", 1},
	/* looks like a pseudo-version: ignored */
	{"v0.0.0-20060102150405-abcdefabcdef", "", "", 0},
	{"v1.2.4-0.20060102150405-abcdefabcdef", "", "", 0},
	/* the go command asks that of the whole tag: with a prefix it passes */
	{"sub/v0.0.0-20060102150405-abcdefabcdef", "sub/", "v0.0.0-20060102150405-abcdefabcdef", 1},
};

int main(void)
{
	char out[256];
	for (size_t i = 0; i < N(pseudo); i++) {
		is_int(gitver_pseudo(pseudo[i].major, pseudo[i].older, T2006, REV, out, sizeof out), 0,
		       "pseudo %s %s", pseudo[i].major, pseudo[i].older);
		is_str(out, pseudo[i].want, "pseudo %s %s", pseudo[i].major, pseudo[i].older);
	}
	is_int(gitver_pseudo("", "", T2006, "abcdef", out, sizeof out), -1, "a short revision is refused");
	is_int(gitver_pseudo("", "", T2006, "ABCDEFABCDEF", out, sizeof out), -1, "upper-case hex is refused");
	is_int(gitver_pseudo("", "v1.0.0", T2006, REV, out, 20), -1, "a small buffer is refused");
	is_int(gitver_pseudo("", "", 0, REV, out, sizeof out), 0, "the epoch");
	is_str(out, "v0.0.0-19700101000000-" REV, "the epoch in UTC");

	for (size_t i = 0; i < N(tags); i++) {
		int canon = -1;
		int rc = gitver_tag_version(tags[i].tag, tags[i].prefix, out, sizeof out, &canon);
		is_int(rc, *tags[i].want ? 0 : -1, "tag %s prefix '%s'", tags[i].tag, tags[i].prefix);
		is_str(out, tags[i].want, "tag %s prefix '%s' version", tags[i].tag, tags[i].prefix);
		is_int(canon, tags[i].canon, "tag %s prefix '%s' canonical", tags[i].tag, tags[i].prefix);
	}

	static const struct { const char *in, *want; } majors[] = {
		{"", ""}, {"/v2", "v2"}, {"/v10", "v10"}, {".v1", "v1"}, {".v1-unstable", "v1"},
	};
	for (size_t i = 0; i < N(majors); i++) {
		is_int(gitver_major_prefix(majors[i].in, out, sizeof out), 0, "major prefix '%s'", majors[i].in);
		is_str(out, majors[i].want, "major prefix '%s'", majors[i].in);
	}
	is_int(gitver_major_prefix("v2", out, sizeof out), -1, "a suffix without its separator");
	is_int(gitver_major_prefix("/v2.1", out, sizeof out), -1, "a suffix that is no major");
	return done_testing();
}
