#include "web/metrics.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "store/refusal.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "base/util.h"
#include "web/catalog.h"

/* Each owner's index opens (an owner without modules has none). */
static int indexes_open(const struct store *st, char *owners, char *err, size_t errsz)
{
	for (char *l = owners, *nl; l && *l; l = nl ? nl + 1 : NULL) {
		nl = strchr(l, '\n');
		if (nl)
			*nl = 0;
		l[strcspn(l, " ")] = 0;
		if (store_check_owner(l))
			continue;
		struct tdb_context *db = store_index_read(st, l);
		if (db)
			store_index_read_done(st, db);
		else if (errno != ENOENT)
			return ERR(503, "index of '%s' unreadable: %s", l, strerror(errno));
	}
	return 200;
}

/* Paths stay out of the reasons: /healthz answers anybody. */
int metrics_health(const struct store *st, char *err, size_t errsz)
{
	char path[ROOT_PATH_MAX], *owners;
	int fd = open(st->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return ERR(503, "store root unreadable: %s", strerror(errno));
	close(fd);
	if (fmt(path, sizeof path, "%s/goreg.tdb", st->root) < 0)
		return ERR(503, "store root too long");
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return ERR(503, "accounts database unreadable: %s", strerror(errno));
	close(fd);
	if (auth_owner_list(st, &owners, err, errsz) != 200)
		return ERR(503, "accounts database unreadable");
	int code = indexes_open(st, owners, err, errsz);
	free(owners);
	return code;
}

/* per owner, one value of each family (fams[] below) */
enum { F_MODULES, F_VERSIONS, F_BYTES, F_UPLOADS, F_DELETES, F_LAST, F_SUMDB, F_N };
struct ostat {
	uint64_t v[F_N];
};

static int count_version(void *ctx, const char *owner, const char *module, const struct verinfo *vi)
{
	struct ostat *s = ctx;
	s->v[F_VERSIONS]++;
	s->v[F_BYTES] += vi->zip_size + vi->mod_size;
	if (vi->time > 0 && (uint64_t)vi->time > s->v[F_LAST])
		s->v[F_LAST] = (uint64_t)vi->time;
	return 0;
}

static int by_name(const void *key, const void *o)
{
	return strcmp(key, ((const struct cat_owner *)o)->name);
}

/* uploads and deletes per owner, from the audit log's lines
 * "TIME USER ACTION OWNER MODULE VERSION ORIGIN" (audit.h) */
static int count_audit(const struct store *st, const struct cat_owner *o, size_t n, struct ostat *s,
                       char *err, size_t errsz)
{
	char path[ROOT_PATH_MAX], action[16], owner[OWNER_MAX + 2];
	if (fmt(path, sizeof path, "%s/" AUDIT_FILE, st->root) < 0)
		return ERR(500, "store path too long");
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 200 : ERR(500, "unable to open '%s': %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		if (sscanf(line, "%*s %*s %15s %65s", action, owner) != 2)
			continue;
		const struct cat_owner *c = bsearch(owner, o, n, sizeof *o, by_name);
		if (c && strcmp(action, "upload") == 0)
			s[c - o].v[F_UPLOADS]++;
		else if (c && strcmp(action, "delete") == 0)
			s[c - o].v[F_DELETES]++;
	}
	int bad = ferror(f);
	free(line);
	fclose(f);
	return bad ? ERR(500, "unable to read '%s'", path) : 200;
}

static const struct {
	const char *name, *type, *help;
} fams[F_N] = {
	[F_MODULES] = {"goreg_modules", "gauge", "Modules stored, per owner."},
	[F_VERSIONS] = {"goreg_versions", "gauge", "Versions stored, per owner."},
	[F_BYTES] = {"goreg_stored_bytes", "gauge", "Bytes of module zips and go.mod files stored, per owner."},
	[F_UPLOADS] = {"goreg_uploads_total", "counter", "Uploads in the audit log, per owner."},
	[F_DELETES] = {"goreg_deletes_total", "counter", "Deletes in the audit log, per owner."},
	[F_LAST] = {"goreg_last_publish_timestamp_seconds", "gauge",
	            "Publish time of the owner's newest version (unix seconds, 0 for none)."},
	[F_SUMDB] = {"goreg_sumdb_records", "gauge",
	             "Records in the owner's own checksum database (0 for none)."},
};

/* the refused writes of the owners shown, as they come from refusals.tdb */
struct refusals {
	const struct cat_owner *o;
	size_t n;
	struct buf *out;
	int fail;
};

static int refusal_one(void *ctx, const char *owner, const char *op, int status, uint64_t n)
{
	struct refusals *rf = ctx;
	if (bsearch(owner, rf->o, rf->n, sizeof *rf->o, by_name))
		rf->fail |= buf_printf(rf->out, "goreg_refusals_total{owner=\"%s\",op=\"%s\",code=\"%d\"} %llu\n",
		                       owner, op, status, (unsigned long long)n) < 0;
	return rf->fail;
}

static int refusals(const struct store *st, const struct cat_owner *o, size_t n, struct buf *out, char *err,
                    size_t errsz)
{
	struct refusals rf = {o, n, out, 0};
	rf.fail = buf_printf(out, "# HELP goreg_refusals_total Write requests refused, per owner, operation and "
	                          "HTTP status.\n# TYPE goreg_refusals_total counter\n") < 0;
	/* counts that cannot be read are left out, not the other families */
	char why[MSG_MAX];
	store_refusals(st, refusal_one, &rf, why, sizeof why);
	return rf.fail ? ERR(500, "out of memory") : 200;
}

/* the size of the owner's own checksum database, 0 for none */
static uint64_t sumdb_records(const struct store *st, const char *owner)
{
	struct sumlog l;
	char why[MSG_MAX];
	int64_t n = 0;
	if (sumlog_open(st, owner, 0, &l, why, sizeof why) == 200)
		n = sumlog_size(&l);
	sumlog_close(&l);
	return n > 0 ? (uint64_t)n : 0;
}

static int exposition(struct buf *out, const struct cat_owner *o, size_t n, const struct ostat *s)
{
	int fail = buf_printf(out, "# HELP goreg_owners Owners the caller may read.\n# TYPE goreg_owners gauge\n"
	                           "goreg_owners %zu\n", n) < 0;
	for (size_t f = 0; f < F_N; f++) {
		fail |= buf_printf(out, "# HELP %s %s\n# TYPE %s %s\n", fams[f].name, fams[f].help, fams[f].name,
		                   fams[f].type) < 0;
		for (size_t i = 0; i < n; i++)
			fail |= buf_printf(out, "%s{owner=\"%s\"} %llu\n", fams[f].name, o[i].name,
			                   (unsigned long long)s[i].v[f]) < 0;
	}
	return fail ? -1 : 0;
}

int metrics_text(const struct store *st, const struct principal *p, struct buf *out, char *err,
                 size_t errsz)
{
	struct cat_owner *o;
	size_t n;
	int code = catalog_owners(st, p, &o, &n, err, errsz);
	if (code != 200)
		return code;
	struct ostat *s = calloc(n + 1, sizeof *s);
	if (!s)
		code = ERR(500, "out of memory");
	for (size_t i = 0; i < n && code == 200; i++) {
		struct store_module *m;
		size_t nm;
		code = store_owner_modules(st, o[i].name, &m, &nm, err, errsz);
		if (code == 200)
			store_owner_modules_free(m, nm);
		s[i].v[F_MODULES] = nm;
		if (code == 200)
			code = catalog_versions(st, o[i].name, count_version, &s[i], err, errsz);
		s[i].v[F_SUMDB] = sumdb_records(st, o[i].name);
	}
	if (code == 200)
		code = count_audit(st, o, n, s, err, errsz);
	if (code == 200 && exposition(out, o, n, s) < 0)
		code = ERR(500, "out of memory");
	if (code == 200)
		code = refusals(st, o, n, out, err, errsz);
	free(s);
	free(o);
	return code;
}
