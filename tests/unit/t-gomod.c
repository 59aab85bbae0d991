/* gomod_module_path (the module directive as modfile.ParseLax reads it)
 * and gomod_legacy (modfetch.LegacyGoMod).  Expected paths were checked
 * against `go mod edit -json` (go1.19.8), whose module directive rules are
 * ParseLax's; expected go.mod texts are what modfile.AutoQuote and
 * strconv.Quote make. */
#include <stdlib.h>
#include <string.h>

#include "gomod/gomod.h"
#include "tap.h"

#define N(a) (sizeof (a) / sizeof (a)[0])

static void test_module_path(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "module example.com/m\n", "example.com/m" },
		{ "// c\nmodule  example.com/m // t\n\ngo 1.19\n", "example.com/m" },
		{ "module \"example.com/m\"\n", "example.com/m" },
		{ "module \"example.com/\\x6d\"\n", "example.com/m" },
		{ "module \"example.com/\\u006d\"\n", "example.com/m" },
		{ "module \"example.com/\\155\"\n", "example.com/m" },
		{ "module (\n\texample.com/m\n)\n", "example.com/m" },
		{ "module example.com/m", "example.com/m" },
		{ "module\texample.com/m\r\n", "example.com/m" },
		{ "go 1.19\nrequire (\n\tx.org/y v1.0.0\n)\nmodule example.com/m\n", "example.com/m" },
		{ "module example.com/Foo/Bar\n", "example.com/Foo/Bar" },
		{ "module \"a b\"\n", "a b" },      /* quoted: any path, checked later */
		{ "\n\n// only comments first\n\nmodule x\n", "x" },
		{ "module `example.com/m`\n", NULL },    /* unquoted string cannot contain quote */
		{ "go 1.19\n", NULL },
		{ "", NULL },
		{ "module a\nmodule b\n", NULL },        /* repeated module statement */
		{ "module a b\n", NULL },                /* usage: module module/path */
		{ "module\n", NULL },
		{ "module example.com/m\n/* c */\n", NULL },
		{ "module \"unterminated\n", NULL },
		{ "module example.com/m\nrequire (\n", NULL },  /* unterminated block */
		{ "\xef\xbb\xbfmodule example.com/m\n", NULL }, /* U+FEFF is no identifier rune */
		{ "module \"\"\n", NULL },               /* missing module line */
		{ "module x'y\n", NULL },
		{ "module ( example.com/m )\n", NULL },
		{ "module (\n)\n", NULL },
		{ "module example.com/m\x01\n", NULL },
		{ "module \"a\\qb\"\n", NULL },
		{ "module \"a\\x6\"\n", NULL },
		{ "module \"a\\400\"\n", NULL },         /* octal escape over 255 */
		{ "module \"a\\ud800\"\n", NULL },       /* a surrogate */
		{ "module example.com/m\xc2\xa0\n", NULL },
		{ "module foo (\n\texample.com/m\n)\n", NULL },  /* a block with two leading tokens is ignored */
		/* Go reads these paths with a NUL inside, which equal no module
		 * path; a C string would end at the NUL (tests/fuzz/fuzz-gomod.c
		 * found the first; the go command refused such a module:
		 * "module declares its path as: example.com/m z") */
		{ "module \"example.com/m\\x00z\"\n", NULL },
		{ "module \"example.com/m\\000z\"\n", NULL },
		{ "module \"example.com/m\\u0000\"\n", NULL },
		{ "module \"example.com/m\\U00000000\"\n", NULL },
	};
	static const char rawnul[] = "module \"example.com/m\0z\"\n";
	char out[64];
	size_t i;

	for (i = 0; i < N(cases); i++) {
		int rc = gomod_module_path(cases[i].in, strlen(cases[i].in), out, sizeof out);
		if (cases[i].want) {
			is_int(rc, 0, "case %zu accepted", i);
			is_str(out, cases[i].want, "case %zu path", i);
		} else {
			is_int(rc, -1, "case %zu refused", i);
		}
	}
	is_int(gomod_module_path(rawnul, sizeof rawnul - 1, out, sizeof out), -1, "a raw NUL inside the quoted path");
	is_int(gomod_module_path("module example.com/m\n", 21, out, 5), -1, "out too small (bare)");
	is_int(gomod_module_path("module \"example.com/m\"\n", 23, out, 5), -1, "out too small (quoted)");
	is_int(gomod_module_path("module abcd\n", 12, out, 5), 0, "out just large enough");
	is_int(gomod_module_path("module example.com/m\n", 21, out, 0), -1, "out of size 0");
	/* a length, not a string: bytes after len are not read */
	is_int(gomod_module_path("module example.com/m\nmodule x\n", 21, out, sizeof out), 0, "only len bytes are parsed");
	is_str(out, "example.com/m", "only len bytes are parsed: path");
}

static void test_legacy(void)
{
	static const struct {
		const char *path, *want;
	} cases[] = {
		{ "example.com/m", "module example.com/m\n" },
		{ "example.com/Foo/Bar", "module example.com/Foo/Bar\n" },
		{ "gopkg.in/yaml.v3", "module gopkg.in/yaml.v3\n" },
		{ "", "module \"\"\n" },
		{ "a b", "module \"a b\"\n" },
		{ "a//b", "module \"a//b\"\n" },
		{ "a/*b", "module \"a/*b\"\n" },
		{ "a(b", "module \"a(b\"\n" },
		{ "(", "module (\n" },                 /* one punctuation rune alone is not quoted */
		{ "a\"b", "module \"a\\\"b\"\n" },
		{ "a'b", "module \"a'b\"\n" },
		{ "a\\b", "module a\\b\n" },           /* a backslash alone needs no quotes */
		{ "a\tb", "module \"a\\tb\"\n" },
		{ "a\x01" "b", "module \"a\\x01b\"\n" },
		{ "a\x7f", "module \"a\\x7f\"\n" },
	};
	size_t i, n;

	for (i = 0; i < N(cases); i++) {
		char *g = gomod_legacy(cases[i].path, &n);
		ok(g != NULL && n == strlen(g), "legacy %zu: made, length right", i);
		is_str(g, cases[i].want, "legacy %zu: text", i);
		free(g);
	}
	/* the synthesized go.mod reads back as its module */
	{
		char out[64];
		char *g = gomod_legacy("example.com/a b", &n);
		is_int(gomod_module_path(g, n, out, sizeof out), 0, "quoted legacy go.mod parses");
		is_str(out, "example.com/a b", "quoted legacy go.mod names the module");
		free(g);
	}
}

int main(void)
{
	test_module_path();
	test_legacy();
	return done_testing();
}
