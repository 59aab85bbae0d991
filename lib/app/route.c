#include "app/route.h"
#include "app/ops.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "gomod/modpath.h"
#include "gomod/semver.h"
#include "store/store.h"
#include "base/utf8.h"
#include "base/util.h"

/* Decoded input goes into error messages Go-quoted (utf8_quote), so a
 * "%1b" in a URL never echoes a control byte back to the client. */
#define Q(s) utf8_quote((s), strlen(s), qbuf, sizeof qbuf)

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

int pct_decode(const char *in, size_t n, char *out, size_t outsz)
{
	/* nothing escaped, as in most segments: one copy */
	if (n < outsz && !find_byte(in, '%', n)) {
		memcpy(out, in, n);
		out[n] = 0;
		return 0;
	}
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)in[i];
		if (c == '%') {
			int h, l;
			if (i + 2 >= n || (h = hexval((unsigned char)in[i + 1])) < 0 ||
			    (l = hexval((unsigned char)in[i + 2])) < 0)
				return PCT_MALFORMED;
			c = h << 4 | l;
			if (c == 0)
				return PCT_MALFORMED;
			i += 2;
		}
		if (o + 1 >= outsz)
			return PCT_TOO_LONG;
		out[o++] = (char)c;
	}
	out[o] = 0;
	return 0;
}

struct segs {
	const char *s[ROUTE_SEGS_MAX];
	size_t l[ROUTE_SEGS_MAX];
	size_t n;
};

/* One pass over the path, no strchr and strlen per segment: a keep-alive
 * request's routing is mostly this and the literal segments' compares. */
static int split(const char *path, struct segs *sg)
{
	sg->n = 0;
	if (path[0] != '/')
		return -1;
	const char *p = path + 1, *q = p;
	for (;; q++) {
		if (*q && *q != '/')
			continue;
		if (sg->n == ROUTE_SEGS_MAX)
			return -1;
		sg->s[sg->n] = p;
		sg->l[sg->n++] = (size_t)(q - p);
		if (!*q)
			return 0;
		p = q + 1;
	}
}

static int seg_is_n(const struct segs *sg, size_t i, const char *lit, size_t n)
{
	return i < sg->n && sg->l[i] == n && bytes_equal(sg->s[i], lit, n);
}

/* lit a string literal: its length known at compile time */
#define seg_is(sg, i, lit) seg_is_n((sg), (i), "" lit, sizeof(lit) - 1)

static int decode_owner(const struct segs *sg, size_t i, struct route *rt, char *err, size_t errsz)
{
	char tmp[OWNER_MAX * 3 + 1], qbuf[2 * QUOTE_MAX];
	if (pct_decode(sg->s[i], sg->l[i], tmp, sizeof tmp) < 0)
		return ERR(404, "no such owner");
	/* owners are case-insensitive, like Gitea's user names (ASCII
	 * letters, as tolower's C locale has them, without its call) */
	for (char *c = tmp; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	if (store_check_owner(tmp) || strlen(tmp) > OWNER_MAX)
		return ERR(404, "no such owner %s", Q(tmp));
	strcpy(rt->owner, tmp);
	return 200;
}

/* segments [from, to) joined with '/', each percent-decoded, then
 * '!'-decoded as a module path */
static int decode_module(const struct segs *sg, size_t from, size_t to, struct route *rt,
                         char *err, size_t errsz)
{
	char esc[ESCAPED_MAX + 1], qbuf[2 * QUOTE_MAX];
	size_t o = 0;
	if (from >= to)
		return ERR(404, "missing module path");
	for (size_t i = from; i < to; i++) {
		if (o + 1 >= sizeof esc)
			return ERR(404, "module path too long");
		if (i > from)
			esc[o++] = '/';
		int pr = pct_decode(sg->s[i], sg->l[i], esc + o, sizeof esc - o);
		if (pr == PCT_TOO_LONG)
			return ERR(404, "module path too long");
		if (pr < 0)
			return ERR(400, "malformed percent-encoding in module path");
		o += strlen(esc + o);
	}
	const char *why = NULL;
	if (modpath_unescape_path(esc, rt->module, sizeof rt->module, &why) < 0) {
		rt->module[0] = 0; /* not left part written */
		return ERR(404, "invalid module path %s: %s", Q(esc), why ? why : "too long");
	}
	return 200;
}

static int decode_version(const char *s, size_t n, struct route *rt, char *err, size_t errsz)
{
	char esc[2 * VERSION_MAX + 1], qbuf[2 * QUOTE_MAX];
	const char *why = NULL;
	int pr = pct_decode(s, n, esc, sizeof esc);
	if (pr == PCT_TOO_LONG)
		return ERR(404, "version too long");
	if (pr < 0)
		return ERR(400, "malformed percent-encoding in version");
	if (modpath_unescape_version(esc, rt->version, sizeof rt->version, &why) < 0) {
		rt->version[0] = 0;
		return ERR(404, "invalid version %s: %s", Q(esc), why ? why : "too long");
	}
	/* goreg stores only canonical semantic versions; a query like
	 * "master" or "v1" is not a version it can have (404 lets go fall
	 * through to the next GOPROXY entry) */
	if (semver_is_module_canonical(rt->version))
		return 200;
	/* "1.4.0" for "v1.4.0": the go command never asks for it, a person
	 * with curl does */
	char v[VERSION_MAX + 2];
	snprintf(v, sizeof v, "v%s", rt->version);
	if (rt->version[0] != 'v' && semver_is_module_canonical(v))
		return ERR(404, "%s: not a canonical version (versions start with v: %s)", rt->version, v);
	return ERR(404, "%s: not a canonical version", rt->version);
}

/* The methods op answers come from the operations table: set Allow for a
 * 405 and say whether method is one of them. */
static int allowed(enum op op, const char *method, struct route *rt)
{
	const struct op_def *def = ops_find(op);
	rt->allow = def->methods;
	return ops_method_allowed(def, method);
}

/* {base}/sumdb/{name}/{path}: the name as a verifier key's name may be
 * (no '+', no space), the path in the characters the protocol's paths use
 * ('!'-escaped module paths and versions, tile numbers), taken as sent:
 * it is passed on to the upstream database, never decoded */
static int match_sumdb(const struct segs *sg, size_t b, struct route *rt, char *err, size_t errsz)
{
	static const char ok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!@+";
	if (sg->n < b + 2 || sg->l[b] > SUMDB_KEY_MAX || memchr(sg->s[b], '+', sg->l[b]))
		return ERR(404, "not found");
	size_t o = 0;
	for (size_t i = b + 1; i < sg->n; i++) {
		if (strspn(sg->s[i], ok) < sg->l[i] || o + sg->l[i] + 1 > sizeof rt->sumdb_path)
			return ERR(404, "not found");
		if (i > b + 1)
			rt->sumdb_path[o++] = '/';
		memcpy(rt->sumdb_path + o, sg->s[i], sg->l[i]);
		o += sg->l[i];
	}
	rt->sumdb_path[o] = 0;
	if (strspn(sg->s[b], ok) < sg->l[b])
		return ERR(404, "not found");
	memcpy(rt->sumdb_name, sg->s[b], sg->l[b]);
	rt->sumdb_name[sg->l[b]] = 0;
	rt->op = OP_SUMDB;
	return 200;
}

/* below a GOPROXY base: sg->s[b..] */
static int match_proxy(const char *method, const struct segs *sg, size_t b, struct route *rt,
                       char *err, size_t errsz)
{
	size_t n = sg->n;
	if (seg_is(sg, b, "upload") && n == b + 1) {
		if (!allowed(OP_UPLOAD, method, rt))
			return ERR(405, "method not allowed");
		rt->op = OP_UPLOAD;
		return 200;
	}
	if (seg_is(sg, b, "sumdb")) {
		if (!allowed(OP_SUMDB, method, rt))
			return ERR(405, "method not allowed");
		return match_sumdb(sg, b + 1, rt, err, errsz);
	}
	enum op op = OP_NONE;
	size_t modend = 0;
	if (n >= b + 2 && seg_is(sg, n - 1, "@latest")) {
		op = OP_LATEST;
		modend = n - 1;
	} else if (n >= b + 3 && seg_is(sg, n - 2, "@v")) {
		modend = n - 2;
		const char *last = sg->s[n - 1];
		size_t ll = sg->l[n - 1];
		static const struct { const char *ext; enum op op; } exts[] = {
			{".info", OP_INFO}, {".mod", OP_MOD}, {".zip", OP_ZIP}};
		if (seg_is(sg, n - 1, "list"))
			op = OP_LIST;
		else
			for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
				size_t el = strlen(exts[i].ext);
				if (ll > el && memcmp(last + ll - el, exts[i].ext, el) == 0) {
					op = exts[i].op;
					int c = decode_version(last, ll - el, rt, err, errsz);
					if (c != 200)
						return c;
					break;
				}
			}
	}
	if (op == OP_NONE)
		return ERR(404, "not found");
	if (!allowed(op, method, rt))
		return ERR(405, "method not allowed");
	int c = decode_module(sg, b, modend, rt, err, errsz);
	if (c != 200)
		return c;
	rt->op = op;
	return 200;
}

/* A 404 for a URL that looks like a mistake users make, with the way out:
 * a GOPROXY base without its /go, a DELETE whose module path was not sent
 * as one percent-encoded segment. */
static int not_found_hint(const char *method, const struct segs *sg, char *err, size_t errsz)
{
	if (seg_is(sg, 0, "api") && seg_is(sg, 1, "v1") && seg_is(sg, 2, "packages") && sg->n > 7 &&
	    seg_is(sg, 4, "go") && strcmp(method, "DELETE") == 0)
		return ERR(404, "not found (the module path is one segment: percent-encode its slashes, "
		                "as in example.com%%2Fhello)");
	if (seg_is(sg, 0, "api") && seg_is(sg, 1, "packages") && sg->n >= 4 && !seg_is(sg, 3, "go"))
		return ERR(404, "not found (a GOPROXY base is /api/packages/OWNER/go)");
	if (seg_is(sg, 0, "api") && seg_is(sg, 1, "v4") && seg_is(sg, 2, "projects") && sg->n >= 5 &&
	    !(seg_is(sg, 4, "packages") && seg_is(sg, 5, "go")))
		return ERR(404, "not found (a GOPROXY base is /api/v4/projects/ID/packages/go)");
	return ERR(404, "not found");
}

int route_match(const char *method, const char *path, struct route *rt, char *err, size_t errsz)
{
	struct segs sg;
	/* the strings empty, not the whole struct (some 4 kB) cleared */
	rt->op = OP_NONE;
	rt->owner[0] = rt->module[0] = rt->version[0] = rt->sumdb_name[0] = rt->sumdb_path[0] = 0;
	rt->allow = NULL;
	if (split(path, &sg) < 0)
		return ERR(404, "not found");
	/* no empty, "." or ".." segments anywhere: nothing can name a path
	 * outside the store, and there is one spelling of every URL */
	for (size_t i = 0; i < sg.n; i++)
		if (sg.l[i] == 0 || (sg.s[i][0] == '.' && (sg.l[i] == 1 || (sg.l[i] == 2 && sg.s[i][1] == '.'))))
			return ERR(404, "not found");

	/* Gitea: /api/packages/{owner}/go/... */
	if (seg_is(&sg, 0, "api") && seg_is(&sg, 1, "packages") && sg.n >= 5 && seg_is(&sg, 3, "go")) {
		int c = decode_owner(&sg, 2, rt, err, errsz);
		return c != 200 ? c : match_proxy(method, &sg, 4, rt, err, errsz);
	}
	/* GitLab: /api/v4/projects/{id}/packages/go/... ({id} is the owner) */
	if (seg_is(&sg, 0, "api") && seg_is(&sg, 1, "v4") && seg_is(&sg, 2, "projects") && sg.n >= 7 &&
	    seg_is(&sg, 4, "packages") && seg_is(&sg, 5, "go")) {
		int c = decode_owner(&sg, 3, rt, err, errsz);
		return c != 200 ? c : match_proxy(method, &sg, 6, rt, err, errsz);
	}
	/* Gitea's package API: DELETE /api/v1/packages/{owner}/go/{module}/{version},
	 * the module percent-encoded as one segment; '!'-encoded or plain */
	if (seg_is(&sg, 0, "api") && seg_is(&sg, 1, "v1") && seg_is(&sg, 2, "packages") && sg.n == 7 &&
	    seg_is(&sg, 4, "go")) {
		if (!allowed(OP_DELETE, method, rt))
			return ERR(405, "method not allowed");
		int c = decode_owner(&sg, 3, rt, err, errsz);
		if (c != 200)
			return c;
		char mod[ESCAPED_MAX + 1], qbuf[2 * QUOTE_MAX];
		int pr = pct_decode(sg.s[5], sg.l[5], mod, sizeof mod);
		if (pr == PCT_TOO_LONG)
			return ERR(404, "module path too long");
		if (pr < 0)
			return ERR(400, "malformed percent-encoding in module path");
		if (modpath_unescape_path(mod, rt->module, sizeof rt->module, NULL) < 0) {
			const char *why = modpath_check(mod);
			if (why || strlen(mod) > MODPATH_MAX)
				return ERR(404, "invalid module path %s: %s", Q(mod), why ? why : "too long");
			strcpy(rt->module, mod);
		}
		c = decode_version(sg.s[6], sg.l[6], rt, err, errsz);
		if (c != 200) {
			/* a plain version with capitals ("v1.0.0-RC") is fine here */
			char v[VERSION_MAX + 1];
			if (pct_decode(sg.s[6], sg.l[6], v, sizeof v) < 0 || !semver_is_module_canonical(v))
				return c;
			strcpy(rt->version, v);
		}
		rt->op = OP_DELETE;
		return 200;
	}
	/* Gitea's package API: GET /api/v1/packages/{owner}, the owner's
	 * packages; below /api/v1, so no owner name can collide with it */
	if (seg_is(&sg, 0, "api") && seg_is(&sg, 1, "v1") && seg_is(&sg, 2, "packages") && sg.n == 4) {
		if (!allowed(OP_PACKAGES, method, rt))
			return ERR(405, "method not allowed");
		int c = decode_owner(&sg, 3, rt, err, errsz);
		if (c == 200)
			rt->op = OP_PACKAGES;
		return c;
	}
	return not_found_hint(method, &sg, err, errsz);
}
