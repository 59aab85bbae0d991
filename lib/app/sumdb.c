/* The owner's own checksum database over HTTP (sumdb.h, store/sumlog.h). */
#include "app/sumdb.h"

#include <string.h>

#include "base/util.h"
#include "app/miss.h"
#include "gomod/modpath.h"
#include "http/reply.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "upstream/upstream.h"

#define TEXT "text/plain; charset=UTF-8"

/* server.go's modVerRE for the escaped version:
 * v[0-9]+\.[0-9]+\.[0-9]+(-[^@]*)?(\+incompatible)? (no '@' is in it) */
static int version_form(const char *v)
{
	if (*v++ != 'v')
		return 0;
	for (int i = 0; i < 3; i++) {
		if (*v < '0' || *v > '9')
			return 0;
		while (*v >= '0' && *v <= '9')
			v++;
		if (i < 2 && *v++ != '.')
			return 0;
	}
	return *v == 0 || *v == '-' || strcmp(v, "+incompatible") == 0;
}

/* lookup/ESC-MODULE@ESC-VERSION (server.go's modVerRE, then the escapes) */
static int lookup(struct sumlog *l, const struct store *st, const char *owner, int upstream, const char *p,
                  struct buf *out, char *err, size_t errsz)
{
	char esc[SUMDB_PATH_MAX], module[MODPATH_MAX + 1], version[VERSION_MAX + 1];
	const char *why = NULL;
	const char *at = strchr(p, '@');
	if (!at || at == p || strchr(at + 1, '@') || !version_form(at + 1) || (size_t)(at - p) >= sizeof esc)
		return ERR(400, "invalid module@version syntax");
	memcpy(esc, p, (size_t)(at - p));
	esc[at - p] = 0;
	if (modpath_unescape_path(esc, module, sizeof module, &why) < 0 ||
	    modpath_unescape_version(at + 1, version, sizeof version, &why) < 0)
		return ERR(400, "%s: %s", p, why ? why : "invalid");
	int code = sumlog_lookup(l, module, version, out, err, errsz);
	/* a public module goreg has not logged: from the upstream database,
	 * verified there (goreg-fetch -c), then from the log */
	struct upstream u;
	char e2[MSG_MAX];
	if (code == 404 && upstream && upstream_get(st, owner, &u, e2, sizeof e2) == 200 && *u.sumdb_key &&
	    miss_sumlog(st, owner, module, version) == 0)
		code = sumlog_lookup(l, module, version, out, err, errsz);
	return code;
}

static int answer(struct sumlog *l, const struct store *st, const struct op_args *a, struct reply *r, char *err,
                  size_t errsz)
{
	struct buf out = {0};
	struct tlog_tile t;
	int code;
	const char *ctype = TEXT, *p = a->sumdb_path;
	if (strcmp(p, "supported") == 0)
		code = 200;
	else if (strcmp(p, "latest") == 0)
		code = sumlog_latest(l, &out, err, errsz);
	else if (strncmp(p, "lookup/", 7) == 0)
		code = lookup(l, st, a->owner, a->upstream, p + 7, &out, err, errsz);
	else if (strncmp(p, "tile/", 5) == 0 && tlog_tile_parse(p, &t) == 0) {
		code = sumlog_tile(l, &t, &out, err, errsz);
		/* a tile, full or partial, never changes: the records never do */
		r->cache_control = "public, max-age=31536000, immutable";
		ctype = t.l < 0 ? TEXT : "application/octet-stream";
	} else
		code = ERR(strncmp(p, "tile/", 5) == 0 ? 400 : 404, "%s", strncmp(p, "tile/", 5) == 0 ?
		           "invalid tile syntax" : "not found");
	if (code == 200)
		reply_bytes(r, 200, ctype, out.p ? out.p : "", out.len);
	buf_free(&out);
	return code;
}

int sumdb_serve(const struct store *st, const struct op_args *a, struct reply *r)
{
	char err[MSG_MAX], vkey[NOTE_KEY_MAX + 1];
	struct sumlog l;
	struct note_key k;
	int code = sumlog_open(st, a->owner, 0, &l, err, sizeof err);
	if (code == 404)
		return 0;
	if (code == 200 && (code = sumlog_vkey(&l, vkey, err, sizeof err)) == 200 &&
	    (note_verifier_parse(vkey, &k) != NULL || strcmp(k.name, a->sumdb_name) != 0)) {
		sumlog_close(&l);
		return 0;
	}
	if (code == 200)
		code = answer(&l, st, a, r, err, sizeof err);
	sumlog_close(&l);
	if (code != 200) {
		r->cache_control = NULL;
		reply_error(r, code, "%s", err);
	}
	return 1;
}
