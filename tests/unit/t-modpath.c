/* lib/modpath: the vectors of golang.org/x/mod's module/module_test.go
 * (checkTests, checkPathTests, splitPathVersionTests, escapeTests,
 * badUnescape, TestMatchPathMajor), plus goreg's own: reasons, gopkg.in,
 * version escaping, Unicode file names and caller buffers.  Where a
 * vector is ours and not x/mod's, its expected value was checked against
 * golang.org/x/mod itself (Unicode 15 letters excepted: see below). */
#include <stdio.h>
#include <string.h>

#include "gomod/modpath.h"
#include "tap.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

/* module_test.go checkTests: module.Check(path, version). */
static const struct { const char *path, *version; int ok; } check_tests[] = {
	{"rsc.io/quote", "0.1.0", 0},
	{"rsc io/quote", "v1.0.0", 0},

	{"github.com/go-yaml/yaml", "v0.8.0", 1},
	{"github.com/go-yaml/yaml", "v1.0.0", 1},
	{"github.com/go-yaml/yaml", "v2.0.0", 0},
	{"github.com/go-yaml/yaml", "v2.1.5", 0},
	{"github.com/go-yaml/yaml", "v3.0.0", 0},

	{"github.com/go-yaml/yaml/v2", "v1.0.0", 0},
	{"github.com/go-yaml/yaml/v2", "v2.0.0", 1},
	{"github.com/go-yaml/yaml/v2", "v2.1.5", 1},
	{"github.com/go-yaml/yaml/v2", "v3.0.0", 0},

	{"gopkg.in/yaml.v0", "v0.8.0", 1},
	{"gopkg.in/yaml.v0", "v1.0.0", 0},
	{"gopkg.in/yaml.v0", "v2.0.0", 0},
	{"gopkg.in/yaml.v0", "v2.1.5", 0},
	{"gopkg.in/yaml.v0", "v3.0.0", 0},

	{"gopkg.in/yaml.v1", "v0.8.0", 0},
	{"gopkg.in/yaml.v1", "v1.0.0", 1},
	{"gopkg.in/yaml.v1", "v2.0.0", 0},
	{"gopkg.in/yaml.v1", "v2.1.5", 0},
	{"gopkg.in/yaml.v1", "v3.0.0", 0},

	/* .v1 means v1 only, but early vgo made v0 pseudo-versions for it */
	{"gopkg.in/check.v1", "v0.0.0", 0},
	{"gopkg.in/check.v1", "v0.0.0-20160102150405-abcdef123456", 1},

	{"gopkg.in/yaml.v2", "v1.0.0", 0},
	{"gopkg.in/yaml.v2", "v2.0.0", 1},
	{"gopkg.in/yaml.v2", "v2.1.5", 1},
	{"gopkg.in/yaml.v2", "v3.0.0", 0},

	{"rsc.io/quote", "v17.0.0", 0},
	{"rsc.io/quote", "v17.0.0+incompatible", 1},
};

/* module_test.go checkPathTests: CheckPath, CheckImportPath and
 * CheckFilePath of each path. */
static const struct { const char *path; int ok, import_ok, file_ok; } check_path_tests[] = {
	{"x.y/z", 1, 1, 1},
	{"x.y", 1, 1, 1},

	{"", 0, 0, 0},
	{"x.y/\xFF" "z", 0, 0, 0},
	{"/x.y/z", 0, 0, 0},
	{"x./z", 0, 0, 0},
	{".x/z", 0, 1, 1},
	{"-x/z", 0, 0, 1},
	{"x..y/z", 1, 1, 1},
	{"x.y/z/../../w", 0, 0, 0},
	{"x.y//z", 0, 0, 0},
	{"x.y/z//w", 0, 0, 0},
	{"x.y/z/", 0, 0, 0},

	{"x.y/z/v0", 0, 1, 1},
	{"x.y/z/v1", 0, 1, 1},
	{"x.y/z/v2", 1, 1, 1},
	{"x.y/z/v2.0", 0, 1, 1},
	{"X.y/z", 0, 1, 1},

	{"!x.y/z", 0, 0, 1},
	{"_x.y/z", 0, 1, 1},
	{"x.y!/z", 0, 0, 1},
	{"x.y\"/z", 0, 0, 0},
	{"x.y#/z", 0, 0, 1},
	{"x.y$/z", 0, 0, 1},
	{"x.y%/z", 0, 0, 1},
	{"x.y&/z", 0, 0, 1},
	{"x.y'/z", 0, 0, 0},
	{"x.y(/z", 0, 0, 1},
	{"x.y)/z", 0, 0, 1},
	{"x.y*/z", 0, 0, 0},
	{"x.y+/z", 0, 1, 1},
	{"x.y,/z", 0, 0, 1},
	{"x.y-/z", 1, 1, 1},
	{"x.y./zt", 0, 0, 0},
	{"x.y:/z", 0, 0, 0},
	{"x.y;/z", 0, 0, 0},
	{"x.y</z", 0, 0, 0},
	{"x.y=/z", 0, 0, 1},
	{"x.y>/z", 0, 0, 0},
	{"x.y?/z", 0, 0, 0},
	{"x.y@/z", 0, 0, 1},
	{"x.y[/z", 0, 0, 1},
	{"x.y\\/z", 0, 0, 0},
	{"x.y]/z", 0, 0, 1},
	{"x.y^/z", 0, 0, 1},
	{"x.y_/z", 0, 1, 1},
	{"x.y`/z", 0, 0, 0},
	{"x.y{/z", 0, 0, 1},
	{"x.y}/z", 0, 0, 1},
	{"x.y~/z", 0, 1, 1},
	{"x.y/z!", 0, 0, 1},
	{"x.y/z\"", 0, 0, 0},
	{"x.y/z#", 0, 0, 1},
	{"x.y/z$", 0, 0, 1},
	{"x.y/z%", 0, 0, 1},
	{"x.y/z&", 0, 0, 1},
	{"x.y/z'", 0, 0, 0},
	{"x.y/z(", 0, 0, 1},
	{"x.y/z)", 0, 0, 1},
	{"x.y/z*", 0, 0, 0},
	{"x.y/z++", 0, 1, 1},
	{"x.y/z,", 0, 0, 1},
	{"x.y/z-", 1, 1, 1},
	{"x.y/z.t", 1, 1, 1},
	{"x.y/z/t", 1, 1, 1},
	{"x.y/z:", 0, 0, 0},
	{"x.y/z;", 0, 0, 0},
	{"x.y/z<", 0, 0, 0},
	{"x.y/z=", 0, 0, 1},
	{"x.y/z>", 0, 0, 0},
	{"x.y/z?", 0, 0, 0},
	{"x.y/z@", 0, 0, 1},
	{"x.y/z[", 0, 0, 1},
	{"x.y/z\\", 0, 0, 0},
	{"x.y/z]", 0, 0, 1},
	{"x.y/z^", 0, 0, 1},
	{"x.y/z_", 1, 1, 1},
	{"x.y/z`", 0, 0, 0},
	{"x.y/z{", 0, 0, 1},
	{"x.y/z}", 0, 0, 1},
	{"x.y/z~", 1, 1, 1},
	{"x.y/x.foo", 1, 1, 1},
	{"x.y/aux.foo", 0, 0, 0},
	{"x.y/prn", 0, 0, 0},
	{"x.y/prn2", 1, 1, 1},
	{"x.y/com", 1, 1, 1},
	{"x.y/com1", 0, 0, 0},
	{"x.y/com1.txt", 0, 0, 0},
	{"x.y/calm1", 1, 1, 1},
	{"x.y/z~", 1, 1, 1},
	{"x.y/z~0", 0, 0, 1},
	{"x.y/z~09", 0, 0, 1},
	{"x.y/z09", 1, 1, 1},
	{"x.y/z09~", 1, 1, 1},
	{"x.y/z09~09z", 1, 1, 1},
	{"x.y/z09~09z~09", 0, 0, 1},
	{"github.com/!123/logrus", 0, 0, 1},

	/* non-ASCII is refused in module and import paths for now */
	{"github.com/user/unicode/испытание", 0, 0, 1},

	{"../x", 0, 0, 0},
	{"./y", 0, 0, 0},
	{"x:y", 0, 0, 0},
	{"\\temp\\foo", 0, 0, 0},
	{".gitignore", 0, 1, 1},
	{".github/ISSUE_TEMPLATE", 0, 1, 1},
	{"x☺y", 0, 0, 0},
};

/* module_test.go splitPathVersionTests: prefix and major suffix. */
static const struct { const char *prefix, *major; } split_tests[] = {
	{"x.y/z", ""},
	{"x.y/z", "/v2"},
	{"x.y/z", "/v3"},
	{"x.y/v", ""},
	{"gopkg.in/yaml", ".v0"},
	{"gopkg.in/yaml", ".v1"},
	{"gopkg.in/yaml", ".v2"},
	{"gopkg.in/yaml", ".v3"},
};

/* More SplitPathVersion vectors: rc, prefix length and suffix. */
static const struct { const char *path; int rc; size_t prefixlen; const char *major; } split_more[] = {
	{"x.y/z/v10", 0, 5, "/v10"},
	{"x.y/z/v2/v3", 0, 8, "/v3"},
	{"x.y/v2", 0, 3, "/v2"},
	{"x.y/zv2", 0, 7, ""},
	{"x.y/z/v05", -1, 9, ""},
	{"x.y/z/v2.1", -1, 10, ""},
	{"x.y/z/v1", -1, 8, ""},
	{"x.y/z/v0", -1, 8, ""},
	{"gopkg.in/yaml", -1, 13, ""},           /* every gopkg.in path ends in .vN */
	{"gopkg.in/yaml.v05", -1, 17, ""},
	{"gopkg.in/yaml.v0-unstable", -1, 25, ""},
	{"gopkg.in/yaml.v1-unstable", 0, 13, ".v1-unstable"},
	{"gopkg.in/user/yaml.v2", 0, 18, ".v2"},
};

/* module_test.go escapeTests: path and its escaped form ("" for same). */
static const struct { const char *path, *esc; } escape_tests[] = {
	{"ascii.com/abcdefghijklmnopqrstuvwxyz.-/~_0123456789", ""},
	{"github.com/GoogleCloudPlatform/omega", "github.com/!google!cloud!platform/omega"},
};

/* module_test.go badUnescape. */
static const char *const bad_unescape[] = {
	"github.com/GoogleCloudPlatform/omega",
	"github.com/!google!cloud!platform!/omega",
	"github.com/!0google!cloud!platform/omega",
	"github.com/!_google!cloud!platform/omega",
	"github.com/!!google!cloud!platform/omega",
	"",
};

/* module_test.go TestMatchPathMajor. */
static const struct { const char *v, *major; int want; } match_major[] = {
	{"v0.0.0", "", 1},
	{"v0.0.0", "/v2", 0},
	{"v0.0.0", ".v0", 1},
	{"v0.0.0-20190510104115-cbcb75029529", ".v1", 1},
	{"v1.0.0", "/v2", 0},
	{"v1.0.0", ".v1", 1},
	{"v1.0.0", ".v1-unstable", 1},
	{"v2.0.0+incompatible", "", 1},
	{"v2.0.0", "", 0},
	{"v2.0.0", "/v2", 1},
	{"v2.0.0", ".v2", 1},
};

/* EscapeVersion and UnescapeVersion: input, escaped ("" = error),
 * unescaped ("" = error). */
static const struct { const char *in, *esc, *unesc; } version_tests[] = {
	{"v1.0.0", "v1.0.0", "v1.0.0"},
	{"master", "master", "master"},
	{"v1.0.0-RC1", "v1.0.0-!r!c1", ""},          /* raw uppercase is not escaped form */
	{"v1.0.0-!r!c1", "", "v1.0.0-RC1"},          /* '!' is not allowed in a version */
	{"v1.0.0!", "", ""},
	{"v!", "", ""},
	{"v1/0", "", ""},                            /* a version is one file name */
	{"vé", "", ""},                              /* escaping is ASCII-only */
	{"..", "", ""},
	{"", "", ""},
	{"a b", "a b", "a b"},
};

/* CheckFilePath on Unicode (module.go fileNameOK: unicode.IsLetter) and on
 * malformed UTF-8 (checkPath: utf8.ValidString). */
static const struct { const char *path; int ok; const char *what; } file_tests[] = {
	{"testdata/日本語.txt", 1, "Lo letters"},
	{"é", 1, "U+00E9 Ll"},
	{"e\xCC\x81", 0, "U+0301 combining mark Mn"},
	{"ǅ", 1, "U+01C5 Lt"},
	{"ʰ", 1, "U+02B0 Lm"},
	{"ª", 1, "U+00AA Lo"},
	{"µ", 1, "U+00B5 Ll"},
	{"²", 0, "U+00B2 No"},
	{"٣", 0, "U+0663 Nd"},
	{"\xC2\xA0", 0, "U+00A0 Zs"},
	/* Unicode 15.0 letters: Go 1.21 and later accept them */
	{"\xF0\x91\xBC\x84", 1, "U+11F04 KAWI LETTER A (Unicode 15.0)"},
	{"\xF0\x9E\x80\xB0", 1, "U+1E030 MODIFIER LETTER CYRILLIC SMALL A (Unicode 15.0)"},
	{"\xC0\xAF", 0, "overlong '/'"},
	{"\xED\xA0\x80", 0, "surrogate U+D800"},
	{"\xF4\x90\x80\x80", 0, "above U+10FFFF"},
	{"\xE6\x97", 0, "truncated sequence"},
	{"x/CON.txt", 0, "CON with an extension"},
	{"x/conf", 1, "conf is not CON"},
	{"x/lpt0", 1, "LPT0 is not reserved"},
	{"x/LPT1", 0, "LPT1"},
	{"x/a~1", 1, "short-name look-alikes are fine in file names"},
	{"-x", 1, "a file name may start with a dash"},
};

/* modpath_match_patterns against x/mod's MatchPrefixPatterns: the lines of
 * tests/unit/matchprefix.txt (GLOBS, TARGET, 1 or 0), whose last column
 * t0711 checks against x/mod itself */
static void match_vectors(void)
{
	FILE *f = fopen("tests/unit/matchprefix.txt", "r");
	ok(f != NULL, "tests/unit/matchprefix.txt opens (the tests run from the top of the tree)");
	if (!f)
		return;
	char line[1024];
	int n = 0, bad = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\n")] = 0;
		char *t1 = strchr(line, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		if (!t2 || (t2[1] != '0' && t2[1] != '1')) {
			bad++;
			printf("# a malformed line: %s\n", line);
			continue;
		}
		*t1 = *t2 = 0;
		n++;
		if (modpath_match_patterns(line, t1 + 1) != t2[1] - '0') {
			bad++;
			printf("# patterns \"%s\", module \"%s\": x/mod says %c\n", line, t1 + 1, t2[1]);
		}
	}
	fclose(f);
	ok(n >= 100, "%d lines read", n);
	is_int(bad, 0, "modpath_match_patterns answers as x/mod's MatchPrefixPatterns on each");
}

int main(void)
{
	char buf[256];
	const char *why, *major;
	size_t i, prefixlen;
	int rc;

	for (i = 0; i < N(check_tests); i++)
		is_int(modpath_check_module(check_tests[i].path, check_tests[i].version) == NULL, check_tests[i].ok,
		       "modpath_check_module(%s, %s)", check_tests[i].path, check_tests[i].version);

	for (i = 0; i < N(check_path_tests); i++) {
		const char *p = check_path_tests[i].path;
		is_int(modpath_check(p) == NULL, check_path_tests[i].ok, "modpath_check(%s)", p);
		is_int(modpath_check_import(p) == NULL, check_path_tests[i].import_ok, "modpath_check_import(%s)", p);
		is_int(modpath_check_file(p) == NULL, check_path_tests[i].file_ok, "modpath_check_file(%s)", p);
		/* TestSplitPathVersion: prefix + major always adds up to path */
		modpath_split_major(p, &prefixlen, &major);
		ok(major == p + prefixlen && prefixlen + strlen(major) == strlen(p), "modpath_split_major(%s) adds up", p);
		if (!check_path_tests[i].ok) {
			/* TestEscapePath, TestUnescapePath: invalid paths */
			is_int(modpath_escape_path(p, buf, sizeof buf, NULL), -1, "modpath_escape_path(%s) fails", p);
			is_int(modpath_unescape_path(p, buf, sizeof buf, NULL), -1, "modpath_unescape_path(%s) fails", p);
		}
	}

	for (i = 0; i < N(split_tests); i++) {
		char path[64];
		snprintf(path, sizeof path, "%s%s", split_tests[i].prefix, split_tests[i].major);
		rc = modpath_split_major(path, &prefixlen, &major);
		is_int(rc, 0, "modpath_split_major(%s) ok", path);
		is_int(prefixlen, strlen(split_tests[i].prefix), "modpath_split_major(%s) prefix", path);
		is_str(major, split_tests[i].major, "modpath_split_major(%s) major", path);
	}
	for (i = 0; i < N(split_more); i++) {
		const char *p = split_more[i].path;
		rc = modpath_split_major(p, &prefixlen, &major);
		is_int(rc, split_more[i].rc, "modpath_split_major(%s) rc", p);
		is_int(prefixlen, split_more[i].prefixlen, "modpath_split_major(%s) prefix", p);
		is_str(major, split_more[i].major, "modpath_split_major(%s) major", p);
	}

	for (i = 0; i < N(escape_tests); i++) {
		const char *p = escape_tests[i].path;
		const char *esc = escape_tests[i].esc[0] ? escape_tests[i].esc : p;
		is_int(modpath_escape_path(p, buf, sizeof buf, NULL), 0, "modpath_escape_path(%s) ok", p);
		is_str(buf, esc, "modpath_escape_path(%s)", p);
		is_int(modpath_unescape_path(esc, buf, sizeof buf, NULL), 0, "modpath_unescape_path(%s) ok", esc);
		is_str(buf, p, "modpath_unescape_path(%s)", esc);
	}
	for (i = 0; i < N(bad_unescape); i++)
		is_int(modpath_unescape_path(bad_unescape[i], buf, sizeof buf, NULL), -1,
		       "modpath_unescape_path(%s) fails", bad_unescape[i]);

	for (i = 0; i < N(match_major); i++)
		is_int(modpath_check_major(match_major[i].v, match_major[i].major) == NULL, match_major[i].want,
		       "modpath_check_major(%s, %s)", match_major[i].v, match_major[i].major);

	for (i = 0; i < N(version_tests); i++) {
		const char *v = version_tests[i].in;
		rc = modpath_escape_version(v, buf, sizeof buf, NULL);
		is_str(rc == 0 ? buf : "", version_tests[i].esc, "modpath_escape_version(%s)", v);
		rc = modpath_unescape_version(v, buf, sizeof buf, NULL);
		is_str(rc == 0 ? buf : "", version_tests[i].unesc, "modpath_unescape_version(%s)", v);
	}
	/* the last version found valid is remembered: each one, after each
	 * other, still gets its own answer */
	int memo_bad = 0;
	for (i = 0; i < N(version_tests); i++)
		for (size_t j = 0; j < N(version_tests); j++) {
			size_t k[2] = {i, j};
			for (int t = 0; t < 2; t++) {
				const char *v = version_tests[k[t]].in;
				rc = modpath_escape_version(v, buf, sizeof buf, NULL);
				memo_bad += strcmp(rc == 0 ? buf : "", version_tests[k[t]].esc) != 0;
				rc = modpath_unescape_version(v, buf, sizeof buf, NULL);
				memo_bad += strcmp(rc == 0 ? buf : "", version_tests[k[t]].unesc) != 0;
			}
		}
	is_int(memo_bad, 0, "versions escaped and unescaped in every order of two");
	/* a path and a version with nothing to escape are copied whole, at
	 * every size round the one they need as the byte loop cuts them */
	int size_bad = 0;
	for (size_t sz = 0; sz < 24; sz++) {
		char out[24];
		size_bad += (modpath_escape_path("example.com/m", out, sz, NULL) == 0) != (sz >= 14);
		size_bad += (modpath_unescape_path("example.com/m", out, sz, NULL) == 0) != (sz >= 14);
		size_bad += (modpath_escape_version("v1.0.0", out, sz, NULL) == 0) != (sz >= 7);
		size_bad += (modpath_unescape_version("v1.0.0", out, sz, NULL) == 0) != (sz >= 7);
		size_bad += sz >= 7 && strcmp(out, "v1.0.0") != 0;
		size_bad += (modpath_escape_version("v1.0.0-A", out, sz, NULL) == 0) != (sz >= 10);
	}
	is_int(size_bad, 0, "plain paths and versions fit as the byte loop fits them");
	/* each byte in a version that is copied whole and in one that goes
	 * through the byte loop (an escape after it): the same answer */
	int byte_bad = 0;
	for (unsigned ch = 1; ch < 256; ch++) {
		char a[8] = {'v', (char)ch, 'x', 0}, b[8] = {'v', (char)ch, 'x', 'A', 0}, ea[16] = "", eb[16] = "";
		const char *wa = "", *wb = "";
		int ra = modpath_escape_version(a, ea, sizeof ea, &wa), rb = modpath_escape_version(b, eb, sizeof eb, &wb);
		size_t la = strlen(ea);
		byte_bad += ra != rb || strcmp(wa, wb) != 0 ||
		            (ra == 0 && (strncmp(ea, eb, la) != 0 || strcmp(eb + la, "!a") != 0));
		char c2[8] = {'v', (char)ch, 'x', '!', 'a', 0}, ua[16] = "", ub[16] = "";
		wa = wb = "";
		ra = modpath_unescape_version(a, ua, sizeof ua, &wa), rb = modpath_unescape_version(c2, ub, sizeof ub, &wb);
		la = strlen(ua);
		byte_bad += ra != rb || strcmp(wa, wb) != 0 ||
		            (ra == 0 && (strncmp(ua, ub, la) != 0 || strcmp(ub + la, "A") != 0));
	}
	is_int(byte_bad, 0, "every byte: the one-copy escaping answers as the byte loop");

	for (i = 0; i < N(file_tests); i++)
		is_int(modpath_check_file(file_tests[i].path) == NULL, file_tests[i].ok,
		       "modpath_check_file: %s", file_tests[i].what);
	is_int(modpath_check_import("x/a~1") == NULL, 0, "modpath_check_import refuses a short-name look-alike");
	is_int(modpath_check_import("-x") == NULL, 0, "modpath_check_import refuses a leading dash");

	/* Reasons: one line, lowercase, close to x/mod's wording */
	is_str(modpath_check(""), "empty string", "reason: empty");
	is_str(modpath_check("x.y/z@"), "invalid char '@'", "reason: '@'");
	is_str(modpath_check("x.y/z+"), "invalid char '+'", "reason: '+' in a module path");
	is_str(modpath_check_import("x.y/z\\"), "invalid char '\\\\'", "reason: backslash");
	is_str(modpath_check_file("x.y/a'b"), "invalid char '\\''", "reason: quote");
	is_str(modpath_check("x.y/é"), "invalid non-ascii char", "reason: non-ascii");
	is_str(modpath_check_file("x.y/a\tb"), "invalid control char", "reason: tab");
	is_str(modpath_check("x.y/\xFF"), "invalid utf-8", "reason: bad utf-8");
	is_str(modpath_check("xy/z"), "missing dot in first path element", "reason: no dot");
	is_str(modpath_check("X.y/z"), "uppercase letter in first path element", "reason: uppercase domain");
	is_str(modpath_check("x_y.z/w"), "invalid char '_' in first path element", "reason: '_' in domain");
	is_str(modpath_check("-x.y/z"), "leading dash", "reason: leading dash");
	is_str(modpath_check(".x.y/z"), "leading dot in path element", "reason: leading dot");
	is_str(modpath_check("x./z"), "trailing dot in path element", "reason: trailing dot");
	is_str(modpath_check("x.y/.."), "invalid path element of only dots", "reason: dot-dot");
	is_str(modpath_check("x.y//z"), "double slash", "reason: double slash");
	is_str(modpath_check("x.y/z/"), "trailing slash", "reason: trailing slash");
	is_str(modpath_check("/x.y"), "empty path element", "reason: leading slash");
	is_str(modpath_check("x.y/Com1.txt"), "reserved windows name as path element", "reason: windows name");
	is_str(modpath_check("x.y/z~09"), "trailing tilde and digits in path element", "reason: short name");
	is_str(modpath_check("x.y/z/v1"), "invalid major version suffix", "reason: /v1");
	is_str(modpath_check_module("x.y/z", "v1.2"), "version not canonical", "reason: v1.2 is not canonical");
	is_str(modpath_check_module("x.y/z", "v1.0.0+meta"), "version not canonical", "reason: build metadata");
	is_str(modpath_check_module("x.y/z", "1.0.0"), "not a semantic version", "reason: no v");
	ok(modpath_check_module("x.y/z", "v1.0.0-rc.1") == NULL, "a canonical pre-release is fine");
	ok(modpath_check_module("x.y/z/v2", "v2.0.0") == NULL, "v2 under /v2");
	ok(modpath_check_module("x.y/z", "v2.0.0") != NULL, "v2 without /v2");
	ok(modpath_check_major("v2.0.0", "") != NULL, "modpath_check_major gives a reason");

	why = NULL;
	modpath_unescape_path("github.com/!_google", buf, sizeof buf, &why);
	is_str(why, "'!' not followed by a lowercase letter", "unescape reason: '!_'");
	modpath_unescape_path("github.com/!", buf, sizeof buf, &why);
	is_str(why, "'!' not followed by a lowercase letter", "unescape reason: trailing '!'");
	modpath_unescape_path("github.com/Google", buf, sizeof buf, &why);
	is_str(why, "uppercase letter in escaped form", "unescape reason: raw uppercase");
	modpath_unescape_path("github.com/é", buf, sizeof buf, &why);
	is_str(why, "non-ascii char in escaped form", "unescape reason: non-ascii");
	modpath_unescape_path("github.com/!x/v1", buf, sizeof buf, &why);
	is_str(why, "invalid major version suffix", "unescape applies modpath_check");
	modpath_escape_path("x.y/z@", buf, sizeof buf, &why);
	is_str(why, "invalid char '@'", "escape applies modpath_check");

	/* Caller buffers: the exact size works, one byte less does not */
	{
		const char *p = "github.com/GoogleCloudPlatform/omega";
		const char *esc = "github.com/!google!cloud!platform/omega";
		size_t n = strlen(esc) + 1;
		is_int(modpath_escape_path(p, buf, n, NULL), 0, "escape into exactly %zu bytes", n);
		is_str(buf, esc, "escape into exactly %zu bytes gives the escaped path", n);
		is_int(modpath_escape_path(p, buf, n - 1, &why), -1, "escape into %zu bytes fails", n - 1);
		is_str(why, "output buffer too small", "escape reason: buffer");
		n = strlen(p) + 1;
		is_int(modpath_unescape_path(esc, buf, n, NULL), 0, "unescape into exactly %zu bytes", n);
		is_str(buf, p, "unescape into exactly %zu bytes gives the path", n);
		is_int(modpath_unescape_path(esc, buf, n - 1, &why), -1, "unescape into %zu bytes fails", n - 1);
		is_str(why, "output buffer too small", "unescape reason: buffer");
		is_int(modpath_escape_version("v1.0.0-RC1", buf, 13, NULL), 0, "escaped version in 13 bytes");
		is_int(modpath_escape_version("v1.0.0-RC1", buf, 12, NULL), -1, "escaped version not in 12 bytes");
		is_int(modpath_unescape_version("v1", buf, 0, NULL), -1, "nothing fits in 0 bytes");
	}

	match_vectors();
	return done_testing();
}
