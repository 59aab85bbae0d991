/* libFuzzer harness: the router (lib/app/route.c route_match) with its
 * percent-decoding and '!'-decoding, on "METHOD PATH" (no space: GET and
 * the whole input as the path).  Properties:
 *   - the answer is 200, 400, 404 or 405; a refusal has a reason with no
 *     control character (decoded input is quoted, never echoed raw), and
 *     405 says which methods are allowed;
 *   - a 200 names an operation; its owner is a valid owner name, all
 *     lowercase; its module passes modpath_check (no "." or ".." element,
 *     nothing the store cannot escape); its version, where the operation
 *     has one, is a canonical module version, and is empty otherwise;
 *   - escaping the decoded module and version ('!'-encoding, then
 *     percent-encoding every byte that is not unreserved) and routing that
 *     under the Gitea or GitLab base gives back the same operation, owner,
 *     module and version. */
#define FUZZ_NAME "route"
#include "fuzz.h"

#include "app/route.h"
#include "gomod/modpath.h"
#include "gomod/semver.h"
#include "store/store.h"

/* Percent-encode s (RFC 3986 section 2.1) but its unreserved bytes, and
 * '/' unless slash is 0. */
static char *pct(char *o, const char *s, int slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-._~", *p) || (slash && *p == '/')) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	*o = '\0';
	return o;
}

static void check_names(const struct route *rt)
{
	char esc[ESCAPED_MAX + 1];
	CHECK(rt->op != OP_NONE, "200 without an operation", rt->module);
	CHECK(store_check_owner(rt->owner) == NULL, "200 with an invalid owner", rt->owner);
	for (const char *c = rt->owner; *c; c++)
		CHECK(!isupper((unsigned char)*c), "200 with an owner not in lowercase", rt->owner);
	int has_version = rt->op == OP_INFO || rt->op == OP_MOD || rt->op == OP_ZIP || rt->op == OP_DELETE;
	if (rt->op == OP_UPLOAD || rt->op == OP_PACKAGES) {
		CHECK(rt->module[0] == '\0', "upload or listing with a module", rt->module);
	} else {
		CHECK(modpath_check(rt->module) == NULL, "200 with an invalid module path", rt->module);
		CHECK(strcmp(rt->module, "..") != 0 && strncmp(rt->module, "../", 3) != 0 &&
		      strstr(rt->module, "/../") == NULL && strstr(rt->module, "/./") == NULL &&
		      rt->module[0] != '.' && rt->module[0] != '/',
		      "200 with a module path that climbs", rt->module);
		CHECK(modpath_escape_path(rt->module, esc, sizeof esc, NULL) == 0,
		      "200 with a module path the store cannot escape", rt->module);
	}
	if (has_version)
		CHECK(semver_is_module_canonical(rt->version), "200 with a version that is not canonical", rt->version);
	else
		CHECK(rt->version[0] == '\0', "a version for an operation without one", rt->version);
}

/* The path of rt's operation, from its decoded names. */
static void rebuild(const struct route *rt, int gitlab, char *path)
{
	char em[ESCAPED_MAX + 1], ev[2 * VERSION_MAX + 1];
	char *o = path;
	if (modpath_escape_path(rt->module, em, sizeof em, NULL) != 0)
		em[0] = '\0';
	if (modpath_escape_version(rt->version, ev, sizeof ev, NULL) != 0)
		ev[0] = '\0';
	if (rt->op == OP_PACKAGES) {
		sprintf(o, "/api/v1/packages/%s", rt->owner);
		return;
	}
	if (rt->op == OP_DELETE) {
		o += sprintf(o, "/api/v1/packages/%s/go/", rt->owner);
		o = pct(o, em, 0);
		*o++ = '/';
		pct(o, ev, 0);
		return;
	}
	o += sprintf(o, gitlab ? "/api/v4/projects/%s/packages/go/" : "/api/packages/%s/go/", rt->owner);
	if (rt->op == OP_UPLOAD) {
		strcpy(o, "upload");
		return;
	}
	o = pct(o, em, 1);
	switch (rt->op) {
	case OP_LIST: strcpy(o, "/@v/list"); break;
	case OP_LATEST: strcpy(o, "/@latest"); break;
	default:
		o = pct(stpcpy(o, "/@v/"), ev, 0);
		strcpy(o, rt->op == OP_INFO ? ".info" : rt->op == OP_MOD ? ".mod" : ".zip");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char in[HTTP_LINE_MAX + 1], path[3 * (ESCAPED_MAX + 2 * VERSION_MAX) + 256];
	struct route rt, back;
	char err[MSG_MAX], err2[MSG_MAX];
	const char *method = "GET", *p = in;

	if (size > HTTP_LINE_MAX || memchr(data, '\0', size) != NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	char *sp = strchr(in, ' ');
	if (sp != NULL) {
		*sp = '\0';
		method = in;
		p = sp + 1;
	}
	int st = route_match(method, p, &rt, err, sizeof err);
	CHECK(st == 200 || st == 400 || st == 404 || st == 405, "a status route.h does not document", p);
	if (st != 200) {
		CHECK(err[0] != '\0' && !fuzz_has_ctl(err), "a reason missing, or with a control character", err);
		CHECK(st != 405 || (rt.allow != NULL && rt.allow[0] != '\0'), "405 without the methods allowed", p);
		return 0;
	}
	if (rt.op == OP_SUMDB) {
		/* a checksum database's path is passed on as sent: only the
		 * protocol's characters, no climbing out of the cache */
		CHECK(rt.module[0] == '\0' && rt.version[0] == '\0', "sumdb with a module", rt.module);
		CHECK(rt.sumdb_name[0] != '\0' && strcmp(rt.sumdb_name, "..") != 0 && strcmp(rt.sumdb_name, ".") != 0 &&
		      strchr(rt.sumdb_name, '/') == NULL && !fuzz_has_ctl(rt.sumdb_path),
		      "a sumdb name that is no file name", rt.sumdb_name);
		for (const char *q = rt.sumdb_path;;) {
			size_t l = strcspn(q, "/");
			CHECK(l > 0 && !(l == 1 && q[0] == '.') && !(l == 2 && q[0] == '.' && q[1] == '.'),
			      "a sumdb path that could climb", rt.sumdb_path);
			if (!q[l])
				break;
			q += l + 1;
		}
		return 0;
	}
	check_names(&rt);
	rebuild(&rt, size & 1, path);
	st = route_match(method, path, &back, err2, sizeof err2);
	CHECK(st == 200, "the escaped names do not route", path);
	CHECK(back.op == rt.op && strcmp(back.owner, rt.owner) == 0 && strcmp(back.module, rt.module) == 0 &&
	      strcmp(back.version, rt.version) == 0, "the escaped names route elsewhere", path);
	return 0;
}
