/* lib/gomod/modfile.c: retractions and the deprecation a go.mod states
 * (go.dev/ref/mod#go-mod-file-retract, #go-mod-file-module-deprecation). */
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "gomod/modfile.h"

static void notes(const char *gomod, struct modfile_notes *m)
{
	if (modfile_notes(gomod, strlen(gomod), m) < 0) {
		printf("Bail out! modfile_notes failed\n");
		exit(1);
	}
}

static const char *why(const struct modfile_notes *m, const char *v)
{
	const struct modfile_retract *r = modfile_retracted(m, v);
	return r ? r->why : NULL;
}

static void retractions(void)
{
	struct modfile_notes m;
	notes("module example.com/m\n\ngo 1.19\n\n"
	      "// one bad tag\nretract v1.0.0\n"
	      "retract [v1.1.0, v1.1.5] // a range\n"
	      "retract (\n"
	      "\t// the block's first\n\tv0.9.0\n"
	      "\t[v2.0.0-alpha, v2.0.0-beta] // pre-releases\n"
	      "\t\"v0.8.0\"\n"
	      "\tnot-a-version\n"
	      ")\n"
	      "require example.com/retract v1.0.0 // retract v3.0.0\n",
	      &m);
	is_int(m.n, 5, "five retractions read (a malformed version passed over)");
	is_str(why(&m, "v1.0.0"), "one bad tag", "a comment before a directive is its rationale");
	is_str(why(&m, "v1.1.0"), "a range", "a range covers its low end, with the suffix comment");
	is_str(why(&m, "v1.1.3"), "a range", "a range covers what lies inside");
	is_str(why(&m, "v1.1.5"), "a range", "a range covers its high end");
	ok(!modfile_retracted(&m, "v1.1.6"), "a range ends at its high end");
	ok(!modfile_retracted(&m, "v1.0.1"), "a single version covers only itself");
	is_str(why(&m, "v0.9.0"), "the block's first", "inside a block, the comment before a line");
	is_str(why(&m, "v2.0.0-alpha.2"), "pre-releases", "a pre-release range");
	ok(!modfile_retracted(&m, "v2.0.0"), "the release after a pre-release range is not in it");
	is_str(why(&m, "v0.8.0"), "", "a quoted version; no comment, an empty rationale");
	ok(!modfile_retracted(&m, "v3.0.0"), "words in another directive's comment are no directive");
	ok(!m.deprecated, "no deprecation");
	modfile_notes_free(&m);
}

static void deprecations(void)
{
	struct modfile_notes m;
	notes("// Deprecated: use example.com/n instead.\nmodule example.com/m\n", &m);
	is_str(m.deprecated, "use example.com/n instead.", "a comment before the module directive");
	modfile_notes_free(&m);

	notes("module example.com/m // Deprecated: gone\n", &m);
	is_str(m.deprecated, "gone", "a comment on the module line");
	modfile_notes_free(&m);

	notes("// Package m does things.\n//\n// Deprecated: old.\n// Really.\n//\n// More text.\nmodule example.com/m\n",
	      &m);
	is_str(m.deprecated, "old.\nReally.", "a paragraph of its own, up to the next blank comment line");
	modfile_notes_free(&m);

	notes("// This is not Deprecated: at all\nmodule example.com/m\n", &m);
	ok(!m.deprecated, "\"Deprecated:\" inside a paragraph is not a deprecation");
	modfile_notes_free(&m);

	notes("// Deprecated: far away\n\nmodule example.com/m\n", &m);
	ok(!m.deprecated, "a comment parted from the directive by a blank line is not its own");
	modfile_notes_free(&m);

	notes("//\n// Deprecated: x\nmodule example.com/m\n", &m);
	ok(!m.deprecated, "after one empty comment line the word is not at a paragraph's start");
	modfile_notes_free(&m);

	notes("// Deprecated: <script>alert(1)</script>\nmodule example.com/m\nretract v1.0.0 // \"><img>\n", &m);
	is_str(m.deprecated, "<script>alert(1)</script>", "the message is kept as written (pages escape it)");
	is_str(why(&m, "v1.0.0"), "\"><img>", "the rationale too");
	modfile_notes_free(&m);

	notes("", &m);
	ok(!m.deprecated && m.n == 0, "an empty go.mod says nothing");
	modfile_notes_free(&m);
}

int main(void)
{
	retractions();
	deprecations();
	return done_testing();
}
