/* lib/app/route.c: percent-decoding and the URL grammar, in the forms
 * whose matching was made cheaper (segments split in one pass and told by
 * their lengths, unescaped segments copied whole, owners lower-cased by
 * hand). */
#include <stdio.h>
#include <string.h>

#include "app/route.h"
#include "tap.h"

/* pct_decode with no '%' copies the segment whole: the answers of the
 * byte loop (escaped forms go through it), at every size round the one
 * the text needs */
static void test_pct(void)
{
	static const char *const in[] = {"", "a", "example.com", "v1.0.0", "%41", "a%2Fb", "%4", "%00", "x%zz"};
	static const char *const want[] = {"", "a", "example.com", "v1.0.0", "A", "a/b", NULL, NULL, NULL};
	int bad = 0;
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
		for (size_t sz = 1; sz < 16; sz++) {
			char out[16];
			int r = pct_decode(in[i], strlen(in[i]), out, sz);
			if (!want[i])
				bad += r != PCT_MALFORMED && r != PCT_TOO_LONG;
			else if (strlen(want[i]) < sz)
				bad += r != 0 || strcmp(out, want[i]) != 0;
			else
				bad += r != PCT_TOO_LONG;
		}
	is_int(bad, 0, "pct_decode: copied, decoded or refused as it must be at every size");
	char out[8];
	is_int(pct_decode("abc", 3, out, 4), 0, "three bytes in four");
	is_int(pct_decode("abc", 3, out, 3), PCT_TOO_LONG, "not in three");
	is_int(pct_decode("%4", 2, out, 8), PCT_MALFORMED, "a cut escape is malformed");
}

static int route(const char *method, const char *path, struct route *rt)
{
	char err[256];
	return route_match(method, path, rt, err, sizeof err);
}

static void test_routes(void)
{
	struct route rt;
	is_int(route("GET", "/api/packages/Acme/go/example.com/m/@v/v1.0.0.info", &rt), 200, ".info");
	ok(rt.op == OP_INFO && !strcmp(rt.owner, "acme") && !strcmp(rt.module, "example.com/m") &&
	   !strcmp(rt.version, "v1.0.0") && !rt.sumdb_name[0] && !rt.sumdb_path[0],
	   "  owner lower-cased, module and version; the rest empty");
	is_int(route("GET", "/api/packages/acme/go/example.com/!m/@v/v1.0.0-!r!c.mod", &rt), 200, ".mod, escaped");
	ok(rt.op == OP_MOD && !strcmp(rt.module, "example.com/M") && !strcmp(rt.version, "v1.0.0-RC"), "  unescaped");
	is_int(route("GET", "/api/packages/acme/go/example.com%2Fm/@v/list", &rt), 200, "a percent-encoded slash");
	ok(rt.op == OP_LIST && !strcmp(rt.module, "example.com/m"), "  decoded in the module path");
	is_int(route("GET", "/api/v4/projects/ACME/packages/go/example.com/m/@latest", &rt), 200, "GitLab @latest");
	ok(rt.op == OP_LATEST && !strcmp(rt.owner, "acme"), "  its owner lower-cased");
	static const char *const no[] = {
		"/api/packages/acme/go/example.com/m/@v/./v1.0.0.info",
		"/api/packages/acme/go/example.com/../@v/v1.0.0.info",
		"/api/packages/acme/go/example.com//m/@v/list",
		"/api/packages/acme/go/example.com/m/@v/list/",
		"/api/packages/acme/go/x/@v/list",
		"/api/packages/acme/go/example.com/m/@v/v1.0.0.txt",
		"/api/package/acme/go/example.com/m/@v/list",
		"/api/packages/acme/goo/example.com/m/@v/list",
		"/apix/packages/acme/go/example.com/m/@v/list",
		"api/packages/acme/go/example.com/m/@v/list",
		"/",
		"",
	};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		ok(route("GET", no[i], &rt) == 404, "404: %s", no[i]);
	is_int(route("GET", "/api/packages/acme/go/example.com/.../@v/list", &rt), 404, "\"...\" is a segment, not a module");
	is_int(route("GET", "/api/packages/acme/go/example.com/m/@v/.x.info", &rt), 404, "a version with a leading dot");
	is_int(route("PUT", "/api/packages/acme/go/example.com/m/@v/v1.0.0.info", &rt), 405, "PUT on a .info: 405");
	ok(rt.allow != NULL, "  with the methods allowed");
	is_int(route("PUT", "/api/packages/acme/go/upload", &rt), 200, "upload");
	ok(rt.op == OP_UPLOAD && !rt.module[0] && !rt.version[0], "  with no module or version");
	/* a refused module path or version is not left part written: the
	 * route's strings stay strings a caller may print */
	memset(&rt, 'x', sizeof rt);
	is_int(route("GET", "/api/packages/acme/go/example.com/m\xff/@v/list", &rt), 404, "a module path with 0xff");
	ok(memchr(rt.module, 0, sizeof rt.module) != NULL, "  its module field still a string");
	memset(&rt, 'x', sizeof rt);
	is_int(route("GET", "/api/packages/acme/go/example.com/m/@v/v1.0.0-\xff.info", &rt), 404, "a version with 0xff");
	ok(memchr(rt.version, 0, sizeof rt.version) != NULL, "  its version field still a string");
	is_int(route("GET", "/api/packages/acme/go/sumdb/sum.golang.org/supported", &rt), 200, "sumdb");
	ok(rt.op == OP_SUMDB && !strcmp(rt.sumdb_name, "sum.golang.org") && !strcmp(rt.sumdb_path, "supported"),
	   "  name and path");
}

int main(void)
{
	test_pct();
	test_routes();
	return done_testing();
}
