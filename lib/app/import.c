#include "app/import.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/prog.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "app/ops.h"
#include "http/request.h"
#include "gomod/semver.h"
#include "store/store.h"
#include "base/util.h"

/* An escaped module path is at most ESCAPED_MAX bytes: no @v directory
 * can be deeper than that below the tree's root. */
#define WALK_MAX (ESCAPED_MAX + 1)
/* A version's files: the root (under FILE_PATH_MAX bytes), the escaped module
 * path, "/@v/", the escaped version and an extension. */
#define IMPORT_PATH_MAX (FILE_PATH_MAX + WALK_MAX + 2 * VERSION_MAX + 32)

/* ---------------------------------------------------------------- */
/* finding the @v directories */

struct modent {
	char *esc;                      /* escaped module path, relative to the root */
	char *path;                     /* decoded, or NULL if esc does not decode */
	const char *why;                /* why it does not */
};

struct walk {
	struct modent *m;
	size_t n, cap;
};

static int walk_add(struct walk *w, const char *rel)
{
	if (grow(&w->m, &w->cap, w->n + 1, sizeof *w->m) < 0)
		return -1;
	struct modent *e = &w->m[w->n];
	memset(e, 0, sizeof *e);
	if ((e->esc = strdup(rel)) == NULL)
		return -1;
	w->n++;
	char out[MODPATH_MAX + 1];
	if (modpath_unescape_path(rel, out, sizeof out, &e->why) == 0) {
		if ((e->path = strdup(out)) == NULL)
			return -1;
	} else if (!e->why)
		e->why = "module path too long";
	return 0;
}

static void walk_free(struct walk *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->m[i].esc);
		free(w->m[i].path);
	}
	free(w->m);
}

/* Walk the directory open as dfd, root/rel (rel: len bytes, "" for the
 * root itself), adding every directory that holds an @v directory.
 * Directories are opened from their parent's descriptor without
 * following symbolic links: no loops, and nothing outside the tree is
 * imported, also when the tree changes during the walk. */
static int walk(int dfd, const char *root, char *rel, size_t len, struct walk *w, char *err,
                size_t errsz)
{
	size_t n;
	char **names = dir_names_at(dfd, &n);
	if (!names)
		return ERR(-1, "unable to read directory '%s%s%s': %s", root, len ? "/" : "", rel,
		           strerror(errno));
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *name = names[i];
		size_t nl = strlen(name), at = len ? len + 1 : 0;
		struct stat sb;
		if (at + nl > ESCAPED_MAX)
			continue;    /* deeper than any escaped module path */
		if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(sb.st_mode))
			continue;
		if (strcmp(name, "@v") == 0) {
			/* the root's own @v has no module path: reported as "" */
			if (walk_add(w, rel) < 0)
				rc = ERR(-1, "out of memory");
			continue;
		}
		if (len)
			rel[len] = '/';
		memcpy(rel + at, name, nl + 1);
		int cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (cfd >= 0) {
			rc = walk(cfd, root, rel, at + nl, w, err, errsz);
			close(cfd);
		} else if (errno != ENOENT && errno != ENOTDIR && errno != ELOOP) {
			/* (those: gone, or no directory any more since fstatat) */
			rc = ERR(-1, "unable to open directory '%s/%s': %s", root, rel, strerror(errno));
		}
		rel[len] = 0;
	}
	strv_free(names, n);
	return rc;
}

static int modent_cmp(const void *a, const void *b)
{
	const struct modent *x = a, *y = b;
	return strcmp(x->path ? x->path : x->esc, y->path ? y->path : y->esc);
}

/* ---------------------------------------------------------------- */
/* one version */

enum result { R_IMPORTED, R_EXISTS, R_INVALID, R_FAIL };


/* Why the file ESC.ext of a tree is refused, for errno from opening or
 * reading it; NULL when errno is a system failure. */
static const char *refusal(int e)
{
	switch (e) {
	case ELOOP:
		return "a symbolic link, not a regular file";
	case EINVAL:
		return "not a regular file";
	case EFBIG:
		return "too large";
	}
	return NULL;
}

/* Read ESC.ext of the @v directory open as vfd (vdir: its path, for
 * messages) into *data; 1 if there is no such file, 0 if read, -1 with
 * the reason in why (a system failure when *sys is set).  Never through
 * a symbolic link, never blocked by a FIFO (read_file_at). */
static int read_side(int vfd, const char *vdir, const char *esc, const char *ext, size_t max,
                     char **data, size_t *len, char *why, size_t whysz, int *sys)
{
	char name[IMPORT_PATH_MAX];
	*data = NULL;
	if (fmt(name, sizeof name, "%s.%s", esc, ext) < 0)
		return errset(why, whysz, -1, "%s.%s: path too long", esc, ext);
	if (read_file_at(vfd, name, max, data, len) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	const char *r = refusal(errno);
	if (r)
		return errset(why, whysz, -1, "%s: %s", name, r);
	*sys = 1;
	return errset(why, whysz, -1, "unable to read '%s/%s': %s", vdir, name, strerror(errno));
}

/* The version's time: the source's .info Time, else the time a
 * pseudo-version encodes, else now.  Checks what the .info says. */
static int version_time(int vfd, const char *vdir, const char *esc, const char *version, int64_t *t,
                        char *why, size_t whysz, int *sys)
{
	char *data;
	size_t len;
	int rc = read_side(vfd, vdir, esc, "info", INFO_MAX, &data, &len, why, whysz, sys);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		char iv[VERSION_MAX + 1], it[64];
		int bad = import_parse_info(data, len, iv, sizeof iv, it, sizeof it);
		free(data);
		if (bad)
			return errset(why, whysz, -1, "%s.info: not a JSON object with string Version and Time", esc);
		if (iv[0] && strcmp(iv, version) != 0)
			return errset(why, whysz, -1, "%s.info is for version %s", esc, iv);
		if (it[0]) {
			if (import_parse_time(it, t) < 0)
				return errset(why, whysz, -1, "%s.info: Time %s is not an RFC 3339 time after 1970",
				              esc, it);
			return 0;
		}
	}
	if (import_pseudo_time(version, t) == 0)
		return 0;
	*t = unix_now();
	return 0;
}

/* The version's place in the tree: its @v directory, open as vfd, and
 * the escaped version that names its files. */
struct vsrc {
	int vfd;
	const char *vdir;               /* vfd's path, for messages */
	const char *esc;
};

/* Open ESC.zip: the fd, or -1 with the reason in why (a system failure
 * when *sys is set).  O_NONBLOCK: a FIFO fails fstat's test at once
 * instead of blocking the open. */
static int open_zip(const struct vsrc *src, char *why, size_t whysz, int *sys)
{
	char name[IMPORT_PATH_MAX];
	if (fmt(name, sizeof name, "%s.zip", src->esc) < 0)
		return errset(why, whysz, -1, "%s.zip: path too long", src->esc);
	int fd = openat(src->vfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	struct stat sb;
	if (fd >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode))
		return fd;
	int e = fd < 0 ? errno : fstat(fd, &sb) < 0 ? errno : EINVAL;
	if (fd >= 0)
		close(fd);
	const char *r = refusal(e);
	if (r)
		return errset(why, whysz, -1, "%s: %s", name, r);
	*sys = 1;
	return errset(why, whysz, -1, "unable to open '%s/%s': %s", src->vdir, name, strerror(e));
}

/* What the tree says beside the zip: .mod, .ziphash, .info.  0, or -1
 * with the reason in why (*sys set for a system failure); *t gets the
 * version's time. */
static int check_sides(const struct vsrc *src, const struct modzip_info *mi, const char *version,
                       int64_t *t, char *why, size_t whysz, int *sys)
{
	const char *esc = src->esc;
	/* The .mod the tree serves must be the one goreg will serve, the
	 * zip's go.mod (or the one the go command makes up for a zip without
	 * one, cmd/go/internal/modfetch): else go.sum's /go.mod line of a
	 * client that had the version from the source would no longer match. */
	char *mod;
	size_t modlen;
	int rc = read_side(src->vfd, src->vdir, esc, "mod", MODZIP_MAX_GOMOD, &mod, &modlen, why, whysz, sys);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		int same = modlen == mi->gomod_len && memcmp(mod, mi->gomod, modlen) == 0;
		free(mod);
		if (!same)
			return errset(why, whysz, -1, "%s.mod differs from the %s", esc,
			              mi->gomod_synth ? "go.mod the go command makes up for a zip without one"
			                              : "zip's go.mod");
	}
	/* the go command's cache keeps the h1: hash it checked against go.sum
	 * (cmd/go/internal/modfetch, VERSION.ziphash) */
	char *zh;
	size_t zhlen;
	rc = read_side(src->vfd, src->vdir, esc, "ziphash", ZIPHASH_MAX, &zh, &zhlen, why, whysz, sys);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		while (zhlen && (zh[zhlen - 1] == '\n' || zh[zhlen - 1] == '\r' || zh[zhlen - 1] == ' '))
			zh[--zhlen] = 0;
		int same = strcmp(zh, mi->h1_zip) == 0;
		free(zh);
		if (!same)
			return errset(why, whysz, -1, "%s.ziphash does not match the zip's hash %s", esc, mi->h1_zip);
	}
	return version_time(src->vfd, src->vdir, esc, version, t, why, whysz, sys);
}

/* Publish the zip open as fd (checked as mi) through ops_upload, then
 * make sure the store holds what was checked. */
static enum result publish(const struct store *st, const struct import_opts *o, int fd,
                           const struct modzip_info *mi, int64_t t, char *why, size_t whysz)
{
	if (lseek(fd, 0, SEEK_SET) < 0)
		return errset(why, whysz, R_FAIL, "unable to read the zip: %s", strerror(errno));
	struct fd_body fb = {.fd = fd};
	struct body_source bs = fd_body_source(&fb);
	struct reply r;
	reply_init(&r);
	/* the publish time is the version's original one (see version_time):
	 * @latest among pseudo-versions and a reader of .info see what the
	 * source showed */
	char origin[32], err[MSG_MAX];
	struct actor who = ops_local_actor(o->uploader, origin, sizeof origin);
	/* the version the tree files it under (which mi is, checked), as
	 * import_version checked it */
	struct modzip_want want = {mi->module, mi->version, 1, 0};
	struct op_args a = {
		.owner = o->owner, .body = &bs, .declared_len = -1, .who = &who, .want = &want,
		.now = unix_now(), .published = t,
	};
	ops_upload(st, &a, &r);
	enum result res;
	if (r.status == 201) {
		res = R_IMPORTED;
	} else if (r.status == 409) {
		res = R_EXISTS;     /* published meanwhile by someone else */
	} else {
		res = r.status >= 500 ? R_FAIL : R_INVALID;
		errset(why, whysz, 0, "%.*s", (int)(r.mem_len ? r.mem_len - 1 : 0), r.mem ? r.mem : "");
	}
	reply_free(&r);
	if (res != R_IMPORTED && res != R_EXISTS)
		return res;
	/* the zip was read twice (checked here, then by the upload): make
	 * sure what the store holds is what was checked */
	struct verinfo vi;
	int rc = store_get(st, o->owner, mi->module, mi->version, &vi, err, sizeof err);
	if (rc != 200)
		return errset(why, whysz, R_FAIL, "%s", err);
	if (strcmp(vi.h1_zip, mi->h1_zip) != 0)
		return errset(why, whysz, R_INVALID, "%s: the store holds %s, the zip checked was %s",
		              res == R_IMPORTED ? "changed while importing" : "exists with other content",
		              vi.h1_zip, mi->h1_zip);
	return res;
}

/* Check one version of the tree and publish it unless it exists. */
static enum result import_checked(const struct store *st, const struct import_opts *o, int fd,
                                  const struct vsrc *src, const struct modzip_info *mi,
                                  const char *module, const char *version, char *why, size_t whysz)
{
	char err[MSG_MAX];
	int sys = 0;
	/* the zip names its module and version in every entry: they must be
	 * the ones the tree files it under, or a client asking for this
	 * version would get another */
	if (strcmp(mi->module, module) != 0 || strcmp(mi->version, version) != 0)
		return errset(why, whysz, R_INVALID, "%s.zip holds %s@%s", src->esc, mi->module, mi->version);
	int64_t t;
	if (check_sides(src, mi, version, &t, why, whysz, &sys) < 0)
		return sys ? R_FAIL : R_INVALID;
	struct verinfo vi;
	int rc = store_get(st, o->owner, module, version, &vi, err, sizeof err);
	if (rc == 200) {
		if (strcmp(vi.h1_zip, mi->h1_zip) != 0)
			return errset(why, whysz, R_INVALID, "exists with other content (%s in the store, %s here)",
			              vi.h1_zip, mi->h1_zip);
		return R_EXISTS;
	}
	if (rc != 404)
		return errset(why, whysz, R_FAIL, "%s", err);
	if (o->dry_run)
		return R_IMPORTED;
	return publish(st, o, fd, mi, t, why, whysz);
}

/* One version: its zip opened once, without following a link, checked
 * and published from that descriptor. */
static enum result import_version(const struct store *st, const struct import_opts *o,
                                  const char *module, const struct vsrc *src, const char *version,
                                  char *why, size_t whysz)
{
	char zip[IMPORT_PATH_MAX], err[MSG_MAX];
	struct modzip_info mi;
	int sys = 0;
	if (fmt(zip, sizeof zip, "%s/%s.zip", src->vdir, src->esc) < 0)
		return errset(why, whysz, R_INVALID, "path too long");
	int fd = open_zip(src, why, whysz, &sys);
	if (fd < 0)
		return sys ? R_FAIL : R_INVALID;
	/* the tree names the version, so a zip with no entries (as the go
	 * command makes for an empty module) and a renamed module's last
	 * version, whose go.mod keeps its old path, are what they say */
	struct modzip_want want = {module, version, 1, 0};
	int v = modzip_check_fd(fd, zip, &want, &mi, err, sizeof err);
	enum result res;
	if (v != 0) {
		res = errset(why, whysz, v > 0 ? R_INVALID : R_FAIL, "%s", err);
	} else {
		res = import_checked(st, o, fd, src, &mi, module, version, why, whysz);
		modzip_info_free(&mi);
	}
	close(fd);
	return res;
}

/* ---------------------------------------------------------------- */
/* the run */

/* One output line; a subject that came from a file name is written with
 * its control bytes as '?', so that a line is always one line. */
static int say(const struct import_opts *o, const char *what, const char *subject, const char *why)
{
	struct buf b = {0};
	int rc = buf_printf(&b, "%s ", what);
	size_t at = b.len;
	rc |= buf_puts(&b, subject);
	for (size_t i = at; rc == 0 && i < b.len; i++)
		if ((unsigned char)b.p[i] < 0x20 || b.p[i] == 0x7f)
			b.p[i] = '?';
	if (why)
		rc |= buf_printf(&b, ": %s", why);
	rc |= buf_add(&b, "\n", 1);
	if (rc == 0)
		rc = write_all(o->out_fd, b.p, b.len);
	buf_free(&b);
	return rc;
}

struct verent {
	char *esc;
	char v[VERSION_MAX + 1];        /* "" if esc does not decode */
	const char *why;
};

static int verent_cmp(const void *a, const void *b)
{
	const struct verent *x = a, *y = b;
	if (x->v[0] && y->v[0])
		return semver_compare(x->v, y->v);
	if (x->v[0] || y->v[0])
		return x->v[0] ? 1 : -1;
	return strcmp(x->esc, y->esc);
}

/* The versions of one @v directory: every VERSION.zip.  The go command's
 * cache also keeps .info and .mod files of versions whose zip it never
 * fetched, and .lock and temporary files: those have no .zip name. */
static int list_versions(int vfd, const char *vdir, struct verent **out, size_t *n, char *err,
                         size_t errsz)
{
	*out = NULL;
	*n = 0;
	size_t nnames;
	char **names = dir_names_at(vfd, &nnames);
	if (!names)
		return ERR(-1, "unable to read directory '%s': %s", vdir, strerror(errno));
	size_t cap = 0;
	int rc = 0;
	for (size_t i = 0; i < nnames && rc == 0; i++) {
		size_t nl = strlen(names[i]);
		if (nl <= 4 || strcmp(names[i] + nl - 4, ".zip") != 0)
			continue;
		if (grow(out, &cap, *n + 1, sizeof **out) < 0) {
			rc = ERR(-1, "out of memory");
			break;
		}
		struct verent *e = &(*out)[*n];
		memset(e, 0, sizeof *e);
		if ((e->esc = strndup(names[i], nl - 4)) == NULL) {
			rc = ERR(-1, "out of memory");
			break;
		}
		(*n)++;
		if (modpath_unescape_version(e->esc, e->v, sizeof e->v, &e->why) != 0) {
			e->v[0] = 0;
			if (!e->why)
				e->why = "version too long";
		} else if (!semver_is_module_canonical(e->v)) {
			e->v[0] = 0;
			e->why = "not a canonical semantic version";
		}
	}
	strv_free(names, nnames);
	if (rc == 0 && *n)
		qsort(*out, *n, sizeof **out, verent_cmp);
	return rc;
}

static void versions_free(struct verent *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].esc);
	free(v);
}

/* A directory of the tree that cannot be read without following a
 * symbolic link (it changed since the walk, or is the cache/download of
 * a module cache): one "invalid" line. */
static int say_linked(const struct import_opts *o, struct import_counts *c, const char *subject)
{
	c->invalid++;
	return say(o, "invalid", subject, "a symbolic link on its path, not followed");
}

static int import_versions(const struct store *st, const struct import_opts *o, const struct modent *m,
                           int vfd, const char *vdir, struct import_counts *c, char *err, size_t errsz)
{
	struct verent *v;
	size_t n;
	if (list_versions(vfd, vdir, &v, &n, err, errsz) < 0)
		return -1;
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char subject[MODPATH_MAX + VERSION_MAX + 2], why[OWNER_PATH_MAX];
		if (!v[i].v[0]) {
			snprintf(subject, sizeof subject, "%s@%s", m->path, v[i].esc);
			c->invalid++;
			rc = say(o, "invalid", subject, v[i].why);
			continue;
		}
		snprintf(subject, sizeof subject, "%s@%s", m->path, v[i].v);
		why[0] = 0;
		struct vsrc src = {.vfd = vfd, .vdir = vdir, .esc = v[i].esc};
		switch (import_version(st, o, m->path, &src, v[i].v, why, sizeof why)) {
		case R_IMPORTED:
			c->imported++;
			rc = say(o, o->dry_run ? "import" : "imported", subject, NULL);
			break;
		case R_EXISTS:
			c->existed++;
			rc = say(o, "exists", subject, NULL);
			break;
		case R_INVALID:
			c->invalid++;
			rc = say(o, "invalid", subject, why);
			break;
		case R_FAIL:
			versions_free(v, n);
			return ERR(-1, "%s: %s", subject, why);
		}
	}
	versions_free(v, n);
	if (rc < 0)
		return ERR(-1, "unable to write the report: %s", strerror(errno));
	return 0;
}

/* One module: its @v directory opened from the tree's root (open as
 * rfd) without following a symbolic link on the way. */
static int import_module(const struct store *st, const struct import_opts *o, int rfd, const char *root,
                         const struct modent *m, struct import_counts *c, char *err, size_t errsz)
{
	char vrel[WALK_MAX + 4], vdir[IMPORT_PATH_MAX];
	if (fmt(vrel, sizeof vrel, "%s%s@v", m->esc, m->esc[0] ? "/" : "") < 0 ||
	    fmt(vdir, sizeof vdir, "%s/%s", root, vrel) < 0)
		return ERR(-1, "path too long: '%s/%s'", root, m->esc);
	int vfd = open_beneath(rfd, vrel, O_RDONLY | O_DIRECTORY | O_NONBLOCK);
	if (vfd < 0) {
		if (errno == ENOENT)
			return 0;       /* gone since the walk */
		if (errno == ELOOP || errno == ENOTDIR)
			return say_linked(o, c, vrel) < 0 ? ERR(-1, "unable to write the report: %s", strerror(errno)) : 0;
		return ERR(-1, "unable to open directory '%s': %s", vdir, strerror(errno));
	}
	int rc = import_versions(st, o, m, vfd, vdir, c, err, errsz);
	close(vfd);
	return rc;
}

/* The tree's root, open as *rfd and named in root: dir's cache/download
 * (a GOMODCACHE), its pkg/mod/cache/download (a GOPATH), else dir
 * itself (go.dev/ref/mod#module-cache).  dir is followed if it is a
 * symbolic link, as the operator names it; nothing below it is.  0; 1
 * when a candidate is there only through a symbolic link (reported);
 * -1 on a failure. */
static int open_root(const struct import_opts *o, const char *dir, char *root, size_t rootsz, int *rfd,
                     struct import_counts *c, char *err, size_t errsz)
{
	static const char *const sub[] = {"cache/download", "pkg/mod/cache/download"};
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC);
	if (dfd < 0)
		return ERR(-1, "unable to open directory '%s': %s", dir, strerror(errno));
	size_t dl = strlen(dir);
	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		int fd = open_beneath(dfd, sub[i], O_RDONLY | O_DIRECTORY | O_NONBLOCK);
		if (fd < 0 && (errno == ENOENT || errno == ENOTDIR))
			continue;
		int e = errno;
		close(dfd);
		if (fd < 0 && e == ELOOP)
			return say_linked(o, c, sub[i]) < 0 ? ERR(-1, "unable to write the report: %s", strerror(errno)) : 1;
		if (fd < 0)
			return ERR(-1, "unable to open directory '%.*s/%s': %s", (int)dl, dir, sub[i], strerror(e));
		*rfd = fd;
		return fmt(root, rootsz, "%.*s/%s", (int)dl, dir, sub[i]) < 0 ? ERR(-1, "path too long: '%s'", dir) : 0;
	}
	*rfd = dfd;
	return fmt(root, rootsz, "%.*s", (int)dl, dir) < 0 ? ERR(-1, "path too long: '%s'", dir) : 0;
}

int import_tree(const struct store *st, const char *dir, const struct import_opts *o,
                struct import_counts *c, char *err, size_t errsz)
{
	char root[FILE_PATH_MAX], rel[WALK_MAX] = "";
	int rfd = -1;
	memset(c, 0, sizeof *c);
	int rc = open_root(o, dir, root, sizeof root, &rfd, c, err, errsz);
	if (rc != 0) {
		if (rfd >= 0)
			close(rfd);
		return rc;
	}
	struct walk w = {0};
	/* the root itself may be one module's directory (it has @v), which
	 * has no module path: walk() reports it under "" */
	if (walk(rfd, root, rel, 0, &w, err, errsz) < 0) {
		walk_free(&w);
		close(rfd);
		return -1;
	}
	if (w.n)
		qsort(w.m, w.n, sizeof *w.m, modent_cmp);
	for (size_t i = 0; i < w.n && rc == 0; i++) {
		const struct modent *m = &w.m[i];
		if (!m->path) {
			/* a module path we cannot know matches no pattern */
			if (o->npatterns)
				continue;
			char subject[ESCAPED_MAX + 8];
			snprintf(subject, sizeof subject, "%s%s@v", m->esc, m->esc[0] ? "/" : "");
			c->invalid++;
			if (say(o, "invalid", subject, m->why) < 0)
				rc = ERR(-1, "unable to write the report: %s", strerror(errno));
			continue;
		}
		if (!import_match(o->patterns, o->npatterns, m->path))
			continue;
		rc = import_module(st, o, rfd, root, m, c, err, errsz);
	}
	walk_free(&w);
	close(rfd);
	if (rc < 0)
		return -1;
	return c->invalid ? 1 : 0;
}
