#include "app/fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>

#include "app/importinfo.h"
#include "app/ops.h"
#include "base/limits.h"
#include "base/util.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "gomod/semver.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "upstream/upstream.h"

/* Has the owner a version of module that it did not fetch from upstream?
 * 1, 0, or -1 (500, the reason in err). */
static int uploaded(const struct store *st, const char *owner, const char *module, char *err, size_t errsz)
{
	char **v;
	size_t n;
	int code = store_versions(st, owner, module, &v, &n, err, errsz);
	if (code != 200)
		return code == 404 ? 0 : -1;
	int own = 0;
	for (size_t i = 0; i < n && !own; i++) {
		struct verinfo vi;
		char e[MSG_MAX];
		if (store_get(st, owner, module, v[i], &vi, e, sizeof e) == 200)
			own = strcmp(vi.source, "upstream") != 0;
	}
	store_list_free(v, n);
	return own;
}

/* fetch_eligible's test of the module path itself, for an owner whose
 * settings u are read: 200, 404 with the reason, or 500.  A path below
 * one of the owner's own modules (its /v2, a nested module) is the
 * owner's too, as a private pattern covers the paths below it: the go
 * command asks for every prefix of a package's path. */
static int not_private(const struct store *st, const char *owner, const char *module, const struct upstream *u,
                       char *err, size_t errsz)
{
	if (*u->private_ && modpath_match_patterns(u->private_, module))
		return ERR(404, "%s: not found (private: never asked upstream)", module);
	char prefix[MODPATH_MAX + 1];
	if (fmt(prefix, sizeof prefix, "%s", module) < 0)
		return ERR(404, "%s: not found (too long)", module);
	for (char *slash;;) {
		int own = uploaded(st, owner, prefix, err, errsz);
		if (own < 0)
			return 500;
		if (own && strcmp(prefix, module) == 0)
			return ERR(404, "%s: not found (the owner's own module: never asked upstream)", module);
		if (own)
			return ERR(404, "%s: not found (below the owner's own module %s: never asked upstream)", module,
			           prefix);
		if (!(slash = strrchr(prefix, '/')))
			return 200;
		*slash = 0;
	}
}

int fetch_eligible(const struct store *st, const char *owner, const char *module, struct upstream *u,
                   char *err, size_t errsz)
{
	/* most stores have no upstream at all: goreg.tdb's mark says so in
	 * one lookup, before the owner's record is read (a list or @latest
	 * asks on every request) */
	if (upstream_none(st)) {
		u->proxy[0] = u->private_[0] = u->sumdb_key[0] = u->sumdb_url[0] = 0;
		return ERR(404, "%s: not found (no upstream)", module);
	}
	int code = upstream_get(st, owner, u, err, errsz);
	if (code != 200)
		return code;
	if (!*u->proxy || strcmp(u->proxy, "off") == 0)
		return ERR(404, "%s: not found (no upstream)", module);
	return not_private(st, owner, module, u, err, errsz);
}

/* One fetch of a version at a time: a lock file in ROOT/tmp named for
 * the owner, module and version (path, at least ROOT_PATH_MAX bytes),
 * held until the version is published or the fetch gave up; the holder
 * removes it (fetch_unlock), so a waiter that then gets the lock of the
 * removed file opens the name again.  Returns its fd, or -1 with errno. */
static int fetch_lock(const struct store *st, const char *owner, const char *module, const char *version,
                      char *path)
{
	unsigned char sum[32];
	char hex[65];
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	const char *parts[3] = {owner, module, version};
	for (int i = 0; i < 3; i++)
		crypto_hash_sha256_update(&h, (const unsigned char *)parts[i], strlen(parts[i]) + 1);
	crypto_hash_sha256_final(&h, sum);
	hex_encode(sum, 16, hex);
	if (fmt(path, ROOT_PATH_MAX, "%s/tmp/fetch.%s", st->root, hex) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (;;) {
		struct stat a, b;
		int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd < 0)
			return -1;
		int rc;
		while ((rc = flock(fd, LOCK_EX)) < 0 && errno == EINTR)
			;
		if (rc == 0 && fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
			return fd;
		int e = errno;
		close(fd);
		if (rc < 0) {
			errno = e;
			return -1;
		}
	}
}

static void fetch_unlock(const char *path, int fd)
{
	unlink(path);
	close(fd);
}

/* The time an upstream's .info gives the version (it must be this
 * version's: go.dev/ref/mod#goproxy-protocol), else 0. */
static int info_time(const char *data, size_t len, const char *version, int64_t *t)
{
	char v[VERSION_MAX + 1], tm[64];
	*t = 0;
	if (import_parse_info(data, len, v, sizeof v, tm, sizeof tm) < 0 || strcmp(v, version) != 0)
		return -1;
	if (*tm && import_parse_time(tm, t) < 0)
		*t = 0;
	return 0;
}

/* Publish the zip in spool (fd zfd) as module@version from upstream url. */
static int publish(const struct store *st, const char *owner, const char *module, const char *version,
                   const char *url, int zfd, int64_t published, int64_t now, char *err, size_t errsz)
{
	if (lseek(zfd, 0, SEEK_SET) < 0)
		return ERR(500, "unable to rewind the spool file: %s", strerror(errno));
	struct fd_body fb = {zfd};
	struct body_source bs = fd_body_source(&fb);
	char origin[UPSTREAM_URL_MAX + 16];
	snprintf(origin, sizeof origin, "upstream:%s", url);
	struct actor who = {"", origin};
	/* what the go command accepts from a proxy: also a renamed module's
	 * last version, whose go.mod names its new path */
	struct modzip_want want = {module, version, 1, 0};
	struct op_args a = {
		.owner = owner, .body = &bs, .declared_len = -1, .who = &who, .want = &want,
		.source = "upstream", .now = now, .published = published ? published : now,
	};
	struct reply r;
	reply_init(&r);
	ops_upload(st, &a, &r);
	int code = r.status;
	if (code >= 300)
		ERR(code, "%.*s", (int)(r.mem_len ? r.mem_len - 1 : 0), r.mem ? r.mem : "");
	reply_free(&r);
	/* a 409 is the version there already, or else the owner's checksum
	 * database holding other hashes for it */
	struct verinfo vi;
	char e2[MSG_MAX];
	if (code == 409 && store_get(st, owner, module, version, &vi, e2, sizeof e2) == 200)
		code = 200;
	else if (code == 409)
		code = ERR(502, "SECURITY: the upstream's %s@%s does not have the hashes the checksum database "
		           "holds for it: not stored", module, version);
	return code;
}

/* Try one upstream base url: 201/200 done, 404 or 410 not there, another
 * status or 0 a failure; err says what. */
static int try_base(const struct store *st, const char *owner, const char *module, const char *version,
                    const char *base, const struct fetch_client *c, int64_t now, char *err, size_t errsz)
{
	char em[ESCAPED_MAX + 1], ev[2 * VERSION_MAX + 1], url[UPSTREAM_URL_MAX + ESCAPED_MAX + 2 * VERSION_MAX + 16];
	if (modpath_escape_path(module, em, sizeof em, NULL) < 0 ||
	    modpath_escape_version(version, ev, sizeof ev, NULL) < 0)
		return ERR(404, "%s@%s: cannot be escaped", module, version);
	char *info = NULL;
	size_t infolen = 0;
	snprintf(url, sizeof url, "%s/%s/@v/%s.info", base, em, ev);
	int s = c->get(c->ctx, url, -1, &info, &infolen, INFO_MAX, err, errsz);
	int64_t t = 0;
	if (s == 200 && info_time(info, infolen, version, &t) < 0)
		s = ERR(400, "%s: not the .info of %s", url, version);
	free(info);
	if (s != 200)
		return s < 0 ? ERR(400, "%s: larger than %d bytes", url, INFO_MAX) : s;
	char spool[OWNER_PATH_MAX];
	int zfd = store_tmp_create(st, "f", spool, sizeof spool);
	if (zfd < 0)
		return ERR(500, "unable to create a spool file in '%s/tmp': %s", st->root, strerror(errno));
	snprintf(url, sizeof url, "%s/%s/@v/%s.zip", base, em, ev);
	s = c->get(c->ctx, url, zfd, NULL, NULL, MODZIP_MAX_ZIP, err, errsz);
	if (s < 0)
		s = ERR(400, "%s: larger than %lld bytes", url, (long long)MODZIP_MAX_ZIP);
	else if (s == 200)
		s = publish(st, owner, module, version, base, zfd, t, now, err, errsz);
	/* published: renamed away; else ours to remove */
	unlink(spool);
	close(zfd);
	return s;
}

/* GOPROXY's list (go.dev/ref/mod#goproxy-protocol): each entry of u's
 * list in turn until one answers (200 or 201); after ',' the next entry
 * is tried on 404 and 410 only, after '|' on any failure.  The first
 * failure that is not "not found" is the answer, as the go command
 * reports it (400 and 500 as they are, any other as 502); all of them not
 * there is a 404. */
static int each_upstream(const struct upstream *u, int (*try)(void *ctx, const char *base, char *err, size_t errsz),
                         void *ctx, char *err, size_t errsz)
{
	const char *p = u->proxy;
	char base[UPSTREAM_URL_MAX + 1], first[MSG_MAX] = "";
	int any, bad = 0;
	while (upstream_next(&p, base, sizeof base, &any)) {
		int code = try(ctx, base, err, errsz);
		if (code == 200 || code == 201)
			return code;
		if (code == 404 || code == 410)
			continue;
		if (!bad) {
			bad = code == 400 || code == 500 ? code : 502;
			snprintf(first, sizeof first, "%s", err);
		}
		if (!any)
			break;
	}
	return bad ? ERR(bad, "%s", first) : ERR(404, "not found upstream");
}

/* One version from one upstream base (try_base), for each_upstream. */
struct version_try {
	const struct store *st;
	const char *owner, *module, *version;
	const struct fetch_client *c;
	int64_t now;
};

static int try_version(void *ctx, const char *base, char *err, size_t errsz)
{
	const struct version_try *t = ctx;
	return try_base(t->st, t->owner, t->module, t->version, base, t->c, t->now, err, errsz);
}

/* Does the owner keep its own checksum database? */
static int own_sumdb(const struct store *st, const char *owner)
{
	struct sumlog l;
	char e[MSG_MAX];
	int code = sumlog_open(st, owner, 0, &l, e, sizeof e);
	if (code == 200)
		sumlog_close(&l);
	return code != 404;
}

/* With an own checksum database and an upstream one, the version's lines
 * are logged from the verified upstream database before its files are
 * fetched, so the publish checks the files against them.  0 to go on
 * (also when there is nothing to verify against), else the failure.  A
 * version the upstream database does not have is not fetched: its own
 * database would vouch for hashes nothing confirmed, where the go
 * command, asking the upstream database itself, would refuse it. */
static int fetch_logged(const struct store *st, const char *owner, const struct upstream *u, const char *module,
                        const char *version, const struct fetch_client *c, char *err, size_t errsz)
{
	int code = fetch_sum_log(st, owner, module, version, c, err, errsz);
	if (code == 404 && *u->sumdb_key && own_sumdb(st, owner)) {
		char why[MSG_MAX];
		snprintf(why, sizeof why, "%s", err);
		return ERR(404, "%s@%s: not in the upstream checksum database (%s): not fetched", module, version, why);
	}
	return code == 200 || code == 201 || code == 404 ? 0 : code;
}

int fetch_version(const struct store *st, const char *owner, const char *module, const char *version,
                  const struct fetch_client *c, int64_t now, char *err, size_t errsz)
{
	struct upstream u;
	struct verinfo vi;
	int code = fetch_eligible(st, owner, module, &u, err, errsz);
	if (code != 200)
		return code;
	if (!semver_is_module_canonical(version))
		return ERR(404, "%s@%s: not a canonical version", module, version);
	char lpath[ROOT_PATH_MAX];
	int lfd = fetch_lock(st, owner, module, version, lpath);
	if (lfd < 0)
		return ERR(500, "unable to lock the fetch of %s@%s: %s", module, version, strerror(errno));
	code = store_get(st, owner, module, version, &vi, err, errsz);
	if (code == 404 && (code = fetch_logged(st, owner, &u, module, version, c, err, errsz)) == 0) {
		struct version_try t = {st, owner, module, version, c, now};
		code = each_upstream(&u, try_version, &t, err, errsz);
	}
	fetch_unlock(lpath, lfd);
	return code;
}

/* The canonical versions of an @v/list body, sorted. */
static int parse_list(char *data, size_t len, char ***v, size_t *n)
{
	if (store_list_split(data, len, v, n) < 0)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		char *s = (*v)[i];
		s[strcspn(s, " \t\r")] = 0;   /* "v1.0.0 time" lines of old proxies */
		if (strlen(s) <= VERSION_MAX && semver_is_module_canonical(s))
			(*v)[k++] = s;
		else
			free(s);
	}
	*n = k;
	qsort(*v, *n, sizeof **v, semver_qsort_cmp);
	return 0;
}

/* One module's @v/list from one upstream base, for each_upstream: the
 * body of the first that has it. */
struct list_try {
	const struct fetch_client *c;
	char em[ESCAPED_MAX + 1];
	char *body;
	size_t len;
};

static int try_list(void *ctx, const char *base, char *err, size_t errsz)
{
	struct list_try *t = ctx;
	char url[UPSTREAM_URL_MAX + ESCAPED_MAX + 16];
	snprintf(url, sizeof url, "%s/%s/@v/list", base, t->em);
	int s = t->c->get(t->c->ctx, url, -1, &t->body, &t->len, LIST_FILE_MAX, err, errsz);
	if (s != 200) {
		free(t->body);
		t->body = NULL;
	}
	return s < 0 ? ERR(502, "the list is too large") : s == 0 ? 502 : s;
}

/* A module's @latest from one upstream base, for each_upstream: the
 * version of the first .info that names a canonical one. */
static int try_latest(void *ctx, const char *base, char *err, size_t errsz)
{
	struct list_try *t = ctx;
	char url[UPSTREAM_URL_MAX + ESCAPED_MAX + 16], v[VERSION_MAX + 1], tm[64];
	snprintf(url, sizeof url, "%s/%s/@latest", base, t->em);
	int s = t->c->get(t->c->ctx, url, -1, &t->body, &t->len, INFO_MAX, err, errsz);
	if (s == 200 && (import_parse_info(t->body, t->len, v, sizeof v, tm, sizeof tm) < 0 ||
	                 !semver_is_module_canonical(v)))
		s = ERR(502, "%s: no canonical version in it", url);
	if (s == 200) {
		/* the body is now that version, as a list of one */
		size_t vl = strlen(v);
		memcpy(t->body, v, vl);
		t->len = vl;
	} else {
		free(t->body);
		t->body = NULL;
	}
	return s < 0 ? ERR(502, "%s: larger than %d bytes", url, INFO_MAX) : s == 0 ? 502 : s;
}

int fetch_list(const struct store *st, const char *owner, const char *module, const struct fetch_client *c,
               int64_t now, char *err, size_t errsz)
{
	struct upstream u;
	int code = fetch_eligible(st, owner, module, &u, err, errsz);
	if (code != 200)
		return code;
	struct list_try t = {.c = c};
	if (modpath_escape_path(module, t.em, sizeof t.em, NULL) < 0)
		return ERR(404, "%s: cannot be escaped", module);
	if ((code = each_upstream(&u, try_list, &t, err, errsz)) != 200)
		return code;
	char **v;
	size_t n;
	if (parse_list(t.body, t.len, &v, &n) < 0)
		return free(t.body), ERR(500, "out of memory");
	if (n == 0) {
		/* no tagged version: the go command then asks @latest, which an
		 * upstream answers with the latest commit's pseudo-version
		 * (go.dev/ref/mod#goproxy-protocol, "$base/$module/@latest");
		 * kept as the list, it is what @latest picks here (pseudo-versions
		 * are never in an @v/list answer), and it is refreshed with it */
		store_list_free(v, n);
		v = NULL;
		free(t.body);
		t.body = NULL;
		char why[MSG_MAX];
		if (each_upstream(&u, try_latest, &t, why, sizeof why) == 200 && parse_list(t.body, t.len, &v, &n) < 0)
			return free(t.body), ERR(500, "out of memory");
	}
	code = store_ulist_put(st, owner, module, now, v, n, err, errsz);
	store_list_free(v, n);
	free(t.body);
	return code;
}

int fetch_sumdb_cache(const struct store *st, const char *owner, const char *name, const char *path,
                      struct upstream *u, char *out, size_t outsz, char *err, size_t errsz)
{
	char have[SUMDB_KEY_MAX + 1];
	if (upstream_get(st, owner, u, err, errsz) != 200 || !*u->sumdb_key ||
	    upstream_check_sumdb_key(u->sumdb_key, have, sizeof have) != NULL || strcmp(have, name) != 0)
		return errset(err, errsz, -1, "no checksum database %s here", name);
	if (fmt(out, outsz, "%s/%s/@sumdb/%s/%s", st->root, owner, name, path) < 0)
		return errset(err, errsz, -1, "path too long");
	return 0;
}

/* A lookup names a module: one the owner may not ask upstream about
 * (fetch_eligible) is not asked the upstream database either, or its
 * path would reach it.  200 for that and every other path, else 404 with
 * the reason, or 500. */
static int lookup_allowed(const struct store *st, const char *owner, const char *path, const struct upstream *u,
                          char *err, size_t errsz)
{
	char esc[SUMDB_PATH_MAX], module[MODPATH_MAX + 1];
	if (strncmp(path, "lookup/", 7) != 0)
		return 200;
	if (fmt(esc, sizeof esc, "%s", path + 7) < 0)
		return ERR(404, "%s: not found", path);
	char *at = strrchr(esc, '@');
	if (at)
		*at = 0;
	if (!at || modpath_unescape_path(esc, module, sizeof module, NULL) < 0)
		return ERR(404, "%s: not a lookup of a module path", path);
	return not_private(st, owner, module, u, err, errsz);
}

int fetch_sumdb(const struct store *st, const char *owner, const char *name, const char *path,
                const struct fetch_client *c, char *err, size_t errsz)
{
	struct upstream u;
	char cache[FILE_PATH_MAX], url[UPSTREAM_URL_MAX + SUMDB_PATH_MAX + 2], spool[OWNER_PATH_MAX];
	if (fetch_sumdb_cache(st, owner, name, path, &u, cache, sizeof cache, err, errsz) < 0)
		return 404;
	int code = lookup_allowed(st, owner, path, &u, err, errsz);
	if (code != 200)
		return code;
	size_t ul = strlen(u.sumdb_url);
	while (ul > 0 && u.sumdb_url[ul - 1] == '/')
		ul--;
	snprintf(url, sizeof url, "%.*s/%s", (int)ul, u.sumdb_url, path);
	int fd = store_tmp_create(st, "s", spool, sizeof spool);
	if (fd < 0)
		return ERR(500, "unable to create a spool file in '%s/tmp': %s", st->root, strerror(errno));
	int s = c->get(c->ctx, url, fd, NULL, NULL, SUMDB_BODY_MAX, err, errsz);
	char *slash = strrchr(cache, '/');
	if (s == 200) {
		*slash = 0;
		code = mkdir_p(cache, STORE_MODE_DIR) == 0 && (*slash = '/', fsync(fd) == 0 && rename(spool, cache) == 0)
		       ? 200 : ERR(500, "unable to keep '%s': %s", cache, strerror(errno));
		*slash = '/';
	} else if (s == 404 || s == 410)
		code = ERR(404, "%s: not found", url);
	else
		code = s < 0 ? ERR(502, "%s: larger than %d bytes", url, SUMDB_BODY_MAX) : ERR(502, "%s", err);
	if (code != 200)
		unlink(spool);
	close(fd);
	return code;
}
