/* goreg-import's parsers: module path patterns (GOPRIVATE's
 * module.MatchPrefixPatterns), RFC 3339 times, .info JSON, and
 * module.PseudoVersionTime. */
#include <stdint.h>
#include <string.h>

#include "app/import.h"
#include "tap.h"

static int64_t tm(const char *s)
{
	int64_t t = -2;
	if (import_parse_time(s, &t) < 0)
		return -1;
	return t;
}

static int info(const char *json, char *v, char *t)
{
	return import_parse_info(json, strlen(json), v, 64, t, 64);
}

int main(void)
{
	char *p1[] = {"example.com/x*"};
	char *p2[] = {"*.corp.example.com,rsc.io/private"};
	char *p3[] = {"example.com/a/", "golang.org"};
	char *p4[] = {"example.com/[!b]*"};
	char *p5[] = {"example.com/[^b]*"};

	ok(import_match(NULL, 0, "anything.com/m"), "no patterns: every module");
	ok(import_match(p1, 1, "example.com/xy"), "a glob matches a path");
	ok(import_match(p1, 1, "example.com/xy/z"), "a glob matches leading elements of a longer path");
	ok(!import_match(p1, 1, "example.com/y"), "a glob does not match another path");
	ok(!import_match(p1, 1, "example.com"), "a path shorter than the glob does not match");
	ok(!import_match(p1, 1, "example.org/xy"), "the first element counts too");
	ok(import_match(p2, 1, "git.corp.example.com/team/m"), "comma-separated globs, the first");
	ok(import_match(p2, 1, "rsc.io/private/quote"), "comma-separated globs, the second");
	ok(!import_match(p2, 1, "rsc.io/privateer"), "a glob matches whole elements, not a string prefix");
	ok(!import_match(p2, 1, "corp.example.com/m"), "'*' matches one element, not none");
	ok(import_match(p3, 2, "example.com/a/b"), "a trailing slash on a glob is ignored");
	ok(import_match(p3, 2, "golang.org/x/mod"), "any of several pattern arguments");
	ok(!import_match(p3, 2, "example.com/ab"), "nor a partial element");
	/* path.Match has no '!' negation, as fnmatch has: [!b] is '!' or 'b' */
	ok(!import_match(p4, 1, "example.com/abc"), "[!b] is a class of '!' and 'b', not a negation");
	ok(import_match(p4, 1, "example.com/bcd"), "  which 'b' is in");
	ok(import_match(p5, 1, "example.com/abc") && !import_match(p5, 1, "example.com/bcd"),
	   "negated character classes in path.Match's [^...] form");

	is_int(tm("1970-01-01T00:00:00Z"), 0, "the epoch");
	is_int(tm("2020-09-13T12:26:40Z"), 1600000000, "a time the go command writes");
	is_int(tm("2020-09-13T12:26:40.123456789Z"), 1600000000, "fractional seconds are dropped");
	is_int(tm("2020-09-13T14:26:40+02:00"), 1600000000, "a positive offset");
	is_int(tm("2020-09-13T07:56:40-04:30"), 1600000000, "a negative offset");
	is_int(tm("2020-09-13t12:26:40z"), 1600000000, "lower-case t and z (RFC 3339 section 5.6 NOTE)");
	is_int(tm("2000-02-29T00:00:00Z"), 951782400, "a leap day in a year divisible by 400");
	is_int(tm("2100-03-01T00:00:00Z"), 4107542400, "the day after February of a year that is not leap");
	is_int(tm("9999-12-31T23:59:59Z"), 253402300799, "the last second RFC 3339 can write");
	is_int(tm("2100-02-29T00:00:00Z"), -1, "no 29 February in 2100");
	is_int(tm("2021-02-29T00:00:00Z"), -1, "nor in 2021");
	is_int(tm("2020-13-01T00:00:00Z"), -1, "month 13");
	is_int(tm("2020-01-01T24:00:00Z"), -1, "hour 24");
	is_int(tm("2016-12-31T23:59:60Z"), -1, "a leap second, as Go's time.Parse refuses it");
	is_int(tm("2020-01-01T00:00:00"), -1, "no offset");
	is_int(tm("2020-01-01 00:00:00Z"), -1, "a space for T");
	is_int(tm("2020-01-01T00:00:00.Z"), -1, "a dot without digits");
	is_int(tm("2020-01-01T00:00:00+0100"), -1, "an offset without a colon");
	is_int(tm("2020-01-01T00:00:00Zjunk"), -1, "trailing bytes");
	is_int(tm("1969-12-31T23:59:59Z"), -1, "before 1970");
	is_int(tm("1970-01-01T00:30:00+01:00"), -1, "before 1970 once the offset is applied");
	is_int(tm(""), -1, "empty");

	char v[64], t[64];
	is_int(info("{\"Version\":\"v1.0.0\",\"Time\":\"2020-09-13T12:26:40Z\"}", v, t), 0, "a plain .info");
	is_str(v, "v1.0.0", "its Version");
	is_str(t, "2020-09-13T12:26:40Z", "its Time");
	is_int(info(" {\n \"Origin\": {\"VCS\": \"git\", \"Hash\": \"abc\", \"Ref\": null, \"N\": [1, -2.5e3, true, false, {}]},"
	            " \"Time\" : \"2021-01-01T00:00:00Z\", \"Version\": \"v1.2.3\\u002dpre\" }\n", v, t),
	       0, "a newer go command's .info with an Origin object");
	is_str(v, "v1.2.3-pre", "its Version, \\u escape decoded");
	is_str(t, "2021-01-01T00:00:00Z", "its Time");
	is_int(info("{}", v, t), 0, "an empty object");
	is_str(v, "", "no Version");
	is_str(t, "", "no Time");
	is_int(info("{\"Version\":\"v1\",\"Version\":\"v2\"}", v, t), 0, "a repeated member");
	is_str(v, "v2", "the last one wins, as with encoding/json");
	is_int(info("{\"AVeryLongMemberNameIndeed\":1,\"Version\":\"v1.0.0\"}", v, t), 0, "long names of other members");
	is_str(v, "v1.0.0", "do not hide ours");
	is_int(info("{\"Version\":1}", v, t), -1, "a Version that is not a string");
	is_int(info("{\"Version\":\"v1\"", v, t), -1, "an unterminated object");
	is_int(info("{\"Version\":\"v1\"} x", v, t), -1, "trailing bytes");
	is_int(info("{\"Version\":\"v1\",}", v, t), -1, "a trailing comma");
	is_int(info("[\"v1\"]", v, t), -1, "an array");
	is_int(info("{\"Time\":\"a\nb\"}", v, t), -1, "a control character in a string");
	is_int(info("{\"x\":nul}", v, t), -1, "a misspelt literal");
	is_int(info("{\"x\":\"\\uZZZZ\"}", v, t), -1, "a bad \\u escape");
	/* found by tests/fuzz/fuzz-importinfo.c: \u0000 cut the string short */
	is_int(info("{\"Version\":\"v1.0.0\\u0000x\"}", v, t), -1, "a NUL in Version: refused, not cut to v1.0.0");
	is_int(info("{\"Time\":\"2020-09-13T12:26:40Z\\u0000\"}", v, t), -1, "a NUL in Time: refused");
	is_int(info("{\"Version\":\"v1.0.0\",\"Version\\u0000\":\"v9.0.0\"}", v, t), 0,
	       "a member named Version and a NUL");
	is_str(v, "v1.0.0", "  is not Version");
	is_int(info("{\"x\":\"\\u0000\",\"Version\":\"v1.0.0\"}", v, t), 0, "a NUL in another member is fine");
	is_int(info("{\"Version\":\"v1.0.0-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}", v, t),
	       -1, "a Version longer than the buffer");
	char deep[300];
	memset(deep, '[', sizeof deep);
	memcpy(deep, "{\"x\":", 5);
	deep[sizeof deep - 1] = 0;
	is_int(info(deep, v, t), -1, "nesting beyond the bound");

	int64_t pt = -1;
	is_int(import_pseudo_time("v0.0.0-20200102030405-abcdefabcdef", &pt), 0, "vX.0.0 pseudo-version");
	is_int(pt, 1577934245, "its time");
	is_int(import_pseudo_time("v1.2.4-0.20191109021931-daa7c04131f5", &pt), 0, "vX.Y.(Z+1)-0. form");
	is_int(pt, 1573265971, "its time");
	is_int(import_pseudo_time("v1.2.3-pre.0.20191109021931-daa7c04131f5+incompatible", &pt), 0,
	       "-pre.0. form with +incompatible");
	is_int(pt, 1573265971, "its time");
	is_int(import_pseudo_time("v1.2.3", &pt), -1, "a release is not a pseudo-version");
	is_int(import_pseudo_time("v0.0.0-20201302030405-abcdefabcdef", &pt), -1, "month 13 in the stamp");

	return done_testing();
}
