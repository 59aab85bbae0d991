/* goreg-fsck's scan of one owner, and its shared helpers (fsckscan.h). */
#include "store/fsckscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tdb.h>

#include "gomod/dirhash.h"
#include "gomod/modpath.h"
#include "store/store.h"
#include "store/sumlog.h"
#include "base/util.h"

const char *fsck_rel(const struct fsck_ctx *x, const char *abs)
{
	size_t n = strlen(x->st->root);
	return strncmp(abs, x->st->root, n) == 0 && abs[n] == '/' ? abs + n + 1 : abs;
}

int fsck_fail(struct fsck_ctx *x, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(x->err, x->errsz, f, ap);
	va_end(ap);
	x->failed = 1;
	return -1;
}

/* One inconsistency, one line: "PATH: what was found[: what repair did]".
 * rc is the repair's outcome: 1 not attempted (checking only), 0 done,
 * -1 failed with errno. */
void fsck_found(struct fsck_ctx *x, int rc, const char *done, const char *f, ...)
{
	int e = errno;
	char line[2048];
	va_list ap;
	va_start(ap, f);
	vsnprintf(line, sizeof line, f, ap);
	va_end(ap);
	/* one line whatever a name holds */
	for (char *p = line; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	x->c->problems++;
	if (rc == 0) {
		x->c->repaired++;
		fprintf(x->o->out, "%s: %s\n", line, done);
	} else if (rc < 0)
		fprintf(x->o->out, "%s: not repaired: %s\n", line, strerror(e));
	else
		fprintf(x->o->out, "%s\n", line);
}

/* ---- small file helpers ---- */

int fsck_exists(const char *p)
{
	struct stat sb;
	return lstat(p, &sb) == 0;
}

static void sync_parent(const char *p)
{
	char d[SCAN_PATH_MAX];
	if (fmt(d, sizeof d, "%s", p) < 0)
		return;
	char *s = strrchr(d, '/');
	if (s) {
		*s = 0;
		fsync_path(d);
	}
}

int fsck_remove_synced(const char *p)
{
	if (unlink(p) < 0 && errno != ENOENT)
		return -1;
	sync_parent(p);
	return 0;
}

/* chmod abs to mode through a descriptor: only if abs is still the file
 * sb describes, never through a symbolic link.  0, or -1 with errno. */
static int chmod_same(const char *abs, const struct stat *sb, mode_t mode)
{
	int fd = open(abs, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat now;
	int rc = fstat(fd, &now);
	if (rc == 0 && (now.st_dev != sb->st_dev || now.st_ino != sb->st_ino)) {
		errno = ESTALE;     /* replaced meanwhile: judged again next run */
		rc = -1;
	}
	if (rc == 0)
		rc = fchmod(fd, mode);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Move abs to ROOT/lost+found/<its path below ROOT>, never over anything;
 * what is set aside is the owner's alone (its group and world bits go). */
int fsck_lost_found(struct fsck_ctx *x, const char *abs)
{
	char dst[SCAN_PATH_MAX], cand[SCAN_PATH_MAX + 100], dir[SCAN_PATH_MAX];
	if (fmt(dst, sizeof dst, "%s/lost+found/%s", x->st->root, fsck_rel(x, abs)) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	snprintf(dir, sizeof dir, "%s", dst);
	*strrchr(dir, '/') = 0;
	if (mkdir_p(dir, STORE_MODE_PRIVDIR) < 0)
		return -1;
	snprintf(cand, sizeof cand, "%s", dst);
	for (int i = 1; fsck_exists(cand); i++)
		snprintf(cand, sizeof cand, "%s.%d", dst, i);
	if (rename(abs, cand) < 0)
		return -1;
	struct stat sb;
	if (lstat(cand, &sb) == 0 && !S_ISLNK(sb.st_mode) && (sb.st_mode & 077))
		chmod_same(cand, &sb, sb.st_mode & 0700);
	fsync_path(dir);
	sync_parent(abs);
	return 0;
}

/* ---- modes ---- */

void fsck_mode(struct fsck_ctx *x, const char *abs, const struct stat *sb, mode_t rule)
{
	if (S_ISLNK(sb->st_mode))
		return;
	mode_t mode = sb->st_mode & 07777, excess = mode & 077 & ~(rule & 077);
	if (!excess)
		return;
	char done[64];
	snprintf(done, sizeof done, "mode set to %04o", (unsigned)(mode & ~excess));
	fsck_found(x, x->o->repair ? chmod_same(abs, sb, mode & ~excess) : 1, done,
	           "%s: mode %04o, more permissive than %04o", fsck_rel(x, abs), (unsigned)mode, (unsigned)rule);
}

/* ---- collecting what the index and the tree hold ---- */

static struct item *add_item(struct fsck_ctx *x, const char *module, const char *version)
{
	if (grow(&x->items, &x->capitems, x->nitems + 1, sizeof *x->items) < 0)
		return NULL;
	struct item *it = &x->items[x->nitems];
	memset(it, 0, sizeof *it);
	it->module = strdup(module);
	it->version = strdup(version);
	if (!it->module || !it->version) {
		free(it->module);
		free(it->version);
		return NULL;
	}
	x->nitems++;
	return it;
}

static struct modent *add_mod(struct fsck_ctx *x, const char *module)
{
	if (grow(&x->mods, &x->capmods, x->nmods + 1, sizeof *x->mods) < 0)
		return NULL;
	struct modent *m = &x->mods[x->nmods];
	memset(m, 0, sizeof *m);
	if (!(m->module = strdup(module)))
		return NULL;
	x->nmods++;
	return m;
}

/* Is the go.mod a record keeps the one its h1_mod names? */
static int gomod_kept_ok(const char *data, size_t len, const struct verinfo *vi)
{
	static char mod[STORE_GOMOD_KEPT_MAX];
	char h1[H1_LEN + 1];
	long n = verinfo_gomod(data, len, vi, mod, sizeof mod);
	return n >= 0 && dirhash_h1_gomod(mod, (size_t)n, h1) == 0 && strcmp(h1, vi->h1_mod) == 0;
}

static int collect(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct fsck_ctx *x = p;
	char k[MODPATH_MAX + VERSION_MAX + 8];
	const size_t vl = strlen(STORE_KEY_VERSION), ll = strlen(STORE_KEY_LIST);
	int bad = key.dsize >= sizeof k || memchr(key.dptr, 0, key.dsize) != NULL;
	if (!bad) {
		memcpy(k, key.dptr, key.dsize);
		k[key.dsize] = 0;
	}
	if (!bad && strncmp(k, STORE_KEY_VERSION, vl) == 0) {
		char *at = strchr(k + vl, '@');
		if (at) {
			*at = 0;
			if (modpath_check_module(k + vl, at + 1) == NULL) {
				struct item *it = add_item(x, k + vl, at + 1);
				if (!it)
					return fsck_fail(x, "out of memory");
				it->has_rec = 1;
				it->rec_bad = verinfo_decode((const char *)val.dptr, val.dsize, &it->rec) < 0 ||
				              strcmp(it->rec.version, at + 1) != 0;
				it->rec_gomod_bad = !it->rec_bad && it->rec.gomod_at &&
				                    !gomod_kept_ok((const char *)val.dptr, val.dsize, &it->rec);
				return 0;
			}
		}
		bad = 1;
	} else if (!bad && strncmp(k, STORE_KEY_UPSTREAM, strlen(STORE_KEY_UPSTREAM)) == 0 &&
	           modpath_check(k + strlen(STORE_KEY_UPSTREAM)) == NULL) {
		return 0;       /* the upstream list cache: nothing to check */
	} else if (!bad && strncmp(k, STORE_KEY_LIST, ll) == 0 && modpath_check(k + ll) == NULL) {
		struct modent *m = add_mod(x, k + ll);
		if (!m || !(m->lrec = strndup((const char *)val.dptr, val.dsize)))
			return fsck_fail(x, "out of memory");
		m->has_lrec = 1;
		return 0;
	}
	bad = 1;
	char **nb = realloc(x->badkeys, (x->nbadkeys + 1) * sizeof *nb);
	if (!nb)
		return fsck_fail(x, "out of memory");
	x->badkeys = nb;
	if (!(nb[x->nbadkeys] = strndup((const char *)key.dptr, key.dsize)))
		return fsck_fail(x, "out of memory");
	x->nbadkeys++;
	return 0;
}


static void unexpected(struct fsck_ctx *x, const char *abs, const char *what)
{
	fsck_found(x, x->o->repair ? fsck_lost_found(x, abs) : 1, "moved to lost+found", "%s: %s", fsck_rel(x, abs), what);
}

/* The names in directory abs, or NULL when x->err says why. */
static char **names_in(struct fsck_ctx *x, const char *abs, size_t *n)
{
	char **names = dir_names(abs, n);
	if (!names)
		fsck_fail(x, "unable to read '%s': %s", abs, strerror(errno));
	return names;
}

/* One module's @v directory: its files become items. */
static int scan_vdir(struct fsck_ctx *x, const char *abs, const char *escmod)
{
	char module[MODPATH_MAX + 1];
	const char *why = "no module path";
	if (!*escmod || modpath_unescape_path(escmod, module, sizeof module, &why) < 0) {
		char what[300];
		snprintf(what, sizeof what, "not the @v directory of a module (%s)", why);
		unexpected(x, abs, what);
		return 0;
	}
	size_t n;
	char **names = names_in(x, abs, &n);
	int r = names ? 0 : -1;
	for (size_t i = 0; i < n && r == 0; i++) {
		char p[SCAN_PATH_MAX];
		if (fmt(p, sizeof p, "%s/%s", abs, names[i]) < 0)
			continue;
		struct stat sb;
		if (lstat(p, &sb) < 0) {
			r = fsck_fail(x, "unable to look at '%s': %s", p, strerror(errno));
			break;
		}
		if (S_ISREG(sb.st_mode) && strcmp(names[i], "list") == 0) {
			fsck_mode(x, p, &sb, STORE_MODE_FILE);
			struct modent *m = add_mod(x, module);
			if (!m)
				r = fsck_fail(x, "out of memory");
			else
				m->has_lfile = 1;
			continue;
		}
		char *dot = strrchr(names[i], '.');
		unsigned bit = 0;
		if (dot && S_ISREG(sb.st_mode))
			bit = strcmp(dot, ".info") == 0 ? F_INFO : strcmp(dot, ".mod") == 0 ? F_MOD
			    : strcmp(dot, ".zip") == 0 ? F_ZIP : 0;
		char version[VERSION_MAX + 1];
		if (bit) {
			*dot = 0;
			if (modpath_unescape_version(names[i], version, sizeof version, NULL) < 0 ||
			    modpath_check_module(module, version) != NULL)
				bit = 0;
			*dot = '.';
		}
		if (!bit) {
			unexpected(x, p, "not part of the store");
			continue;
		}
		fsck_mode(x, p, &sb, STORE_MODE_FILE);
		struct item *it = add_item(x, module, version);
		if (!it)
			r = fsck_fail(x, "out of memory");
		else
			it->files = bit;
	}
	store_list_free(names, n);
	return r;
}

/* The owner's checksum database: every record, hash, lookup key and the
 * signed tree head (sumlog_verify).  Nothing repairs it: it is
 * append-only, what clients saw of it must stay; a backup restores it. */
static void check_sumlog(struct fsck_ctx *x)
{
	struct sumlog l;
	char why[MSG_MAX];
	int64_t n;
	/* tdb opens a file once per process: the one check_owner opened */
	int code = x->log ? 200 : sumlog_open(x->st, x->owner, 0, &l, why, sizeof why);
	if (code == 200)
		code = sumlog_verify(x->log ? x->log : &l, &n, why, sizeof why);
	if (!x->log)
		sumlog_close(&l);
	if (code != 200)
		fsck_found(x, 1, "", "%s/" SUMLOG_FILE ": %s (not repaired: a checksum database is only ever "
		           "appended to; restore it from a backup)", x->owner, why);
}

/* The owner's tree below abs (relpath sub, "" at the top). */
static int walk(struct fsck_ctx *x, const char *abs, const char *sub)
{
	size_t n;
	char **names = names_in(x, abs, &n);
	int r = names ? 0 : -1;
	for (size_t i = 0; i < n && r == 0; i++) {
		char p[SCAN_PATH_MAX], s[SCAN_PATH_MAX];
		if (fmt(p, sizeof p, "%s/%s", abs, names[i]) < 0 ||
		    fmt(s, sizeof s, "%s%s%s", sub, *sub ? "/" : "", names[i]) < 0) {
			r = fsck_fail(x, "path too long below '%s'", abs);
			break;
		}
		struct stat sb;
		if (lstat(p, &sb) < 0) {
			r = fsck_fail(x, "unable to look at '%s': %s", p, strerror(errno));
			break;
		}
		if (!*sub && strcmp(names[i], "index.tdb") == 0) {
			/* the index: opened and judged by fsck.c but for its mode */
			if (S_ISREG(sb.st_mode))
				fsck_mode(x, p, &sb, STORE_MODE_FILE);
			continue;
		}
		if (!*sub && strcmp(names[i], SUMLOG_FILE) == 0 && S_ISREG(sb.st_mode)) {
			fsck_mode(x, p, &sb, STORE_MODE_SECRET);
			check_sumlog(x);
			continue;
		}
		if (!S_ISDIR(sb.st_mode)) {
			unexpected(x, p, "not part of the store");
			continue;
		}
		fsck_mode(x, p, &sb, STORE_MODE_DIR);
		/* the proxied checksum database's cache ('@' is in no module
		 * path): not part of the GOPROXY tree, nothing to check */
		if (!*sub && strcmp(names[i], "@sumdb") == 0)
			continue;
		if (strcmp(names[i], "@v") == 0)
			r = scan_vdir(x, p, sub);
		else
			r = walk(x, p, s);
	}
	store_list_free(names, n);
	return r;
}

static int item_cmp(const void *a, const void *b)
{
	const struct item *p = a, *q = b;
	int c = strcmp(p->module, q->module);
	return c ? c : strcmp(p->version, q->version);
}

static int mod_cmp(const void *a, const void *b)
{
	return strcmp(((const struct modent *)a)->module, ((const struct modent *)b)->module);
}

/* Sort, and fold the entries of one version (or module) into one. */
static void merge(struct fsck_ctx *x)
{
	if (x->nitems)
		qsort(x->items, x->nitems, sizeof *x->items, item_cmp);
	size_t j = 0;
	for (size_t i = 0; i < x->nitems; i++) {
		if (j && item_cmp(&x->items[j - 1], &x->items[i]) == 0) {
			struct item *d = &x->items[j - 1], *s = &x->items[i];
			d->files |= s->files;
			if (s->has_rec) {
				d->has_rec = 1;
				d->rec_bad = s->rec_bad;
				d->rec_gomod_bad = s->rec_gomod_bad;
				d->rec = s->rec;
			}
			free(s->module);
			free(s->version);
		} else
			x->items[j++] = x->items[i];
	}
	x->nitems = j;
	if (x->nmods)
		qsort(x->mods, x->nmods, sizeof *x->mods, mod_cmp);
	j = 0;
	for (size_t i = 0; i < x->nmods; i++) {
		if (j && mod_cmp(&x->mods[j - 1], &x->mods[i]) == 0) {
			struct modent *d = &x->mods[j - 1], *s = &x->mods[i];
			d->has_lfile |= s->has_lfile;
			if (s->has_lrec) {
				free(d->lrec);
				d->lrec = s->lrec;
				d->has_lrec = 1;
			} else
				free(s->lrec);
			free(s->module);
		} else
			x->mods[j++] = x->mods[i];
	}
	x->nmods = j;
}

/* ---- who uploaded: the audit log's last "upload" line for the version ---- */

static int upload_cmp(const void *a, const void *b)
{
	const struct upload *p = a, *q = b;
	int c = strcmp(p->key, q->key);
	return c ? c : (p->seq > q->seq) - (p->seq < q->seq);
}

static void load_uploads(struct fsck_ctx *x)
{
	x->ups_loaded = 1;
	char path[OWNER_PATH_MAX];
	snprintf(path, sizeof path, "%s/audit.log", x->st->root);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	char *line = NULL;
	size_t cap = 0, seq = 0;
	ssize_t len;
	while ((len = getline(&line, &cap, f)) > 0) {
		/* TIME USER ACTION OWNER MODULE VERSION ORIGIN (audit.h) */
		char *fld[7], *save = NULL;
		int n = 0;
		if (line[len - 1] == '\n')
			line[len - 1] = 0;
		for (char *t = strtok_r(line, " ", &save); t && n < 7; t = strtok_r(NULL, " ", &save))
			fld[n++] = t;
		if (n != 7 || strcmp(fld[2], "upload") != 0 || strcmp(fld[3], x->owner) != 0)
			continue;
		struct upload *nu = realloc(x->ups, (x->nups + 1) * sizeof *nu);
		if (!nu)
			break;
		x->ups = nu;
		struct buf k = {0};
		if (buf_printf(&k, "%s@%s", fld[4], fld[5]) < 0)
			break;
		nu[x->nups].key = k.p;
		nu[x->nups].user = strdup(strcmp(fld[1], "-") == 0 ? "" : fld[1]);
		nu[x->nups].seq = seq++;
		if (!nu[x->nups].user) {
			free(k.p);
			break;
		}
		x->nups++;
	}
	free(line);
	fclose(f);
	if (x->nups)
		qsort(x->ups, x->nups, sizeof *x->ups, upload_cmp);
}

const char *fsck_uploader(struct fsck_ctx *x, const char *module, const char *version)
{
	if (!x->ups_loaded)
		load_uploads(x);
	struct buf k = {0};
	if (buf_printf(&k, "%s@%s", module, version) < 0)
		return "";
	const char *who = "";
	/* the last upload wins: an earlier one was deleted since */
	size_t lo = 0, hi = x->nups;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(x->ups[mid].key, k.p) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo > 0 && strcmp(x->ups[lo - 1].key, k.p) == 0)
		who = x->ups[lo - 1].user;
	buf_free(&k);
	return who;
}

int fsck_scan(struct fsck_ctx *x)
{
	if (x->db && tdb_traverse(x->db, collect, x) < 0 && !x->failed)
		fsck_fail(x, "unable to read '%s/index.tdb': %s", x->ownerdir, tdb_errorstr(x->db));
	if (!x->failed)
		walk(x, x->ownerdir, "");
	if (x->failed)
		return -1;
	merge(x);
	return 0;
}

void fsck_owner_free(struct fsck_ctx *x)
{
	for (size_t i = 0; i < x->nitems; i++) {
		free(x->items[i].module);
		free(x->items[i].version);
	}
	free(x->items);
	for (size_t i = 0; i < x->nmods; i++) {
		free(x->mods[i].module);
		free(x->mods[i].lrec);
	}
	free(x->mods);
	store_list_free(x->badkeys, x->nbadkeys);
	for (size_t i = 0; i < x->nups; i++) {
		free(x->ups[i].key);
		free(x->ups[i].user);
	}
	free(x->ups);
	x->items = NULL;
	x->mods = NULL;
	x->badkeys = NULL;
	x->ups = NULL;
	x->nitems = x->capitems = x->nmods = x->capmods = x->nbadkeys = x->nups = 0;
	x->ups_loaded = 0;
}

