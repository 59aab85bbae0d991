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

static int is_dir(const char *path)
{
	/* symbolic links are not followed: no loops, and nothing outside the
	 * tree is imported by accident */
	struct stat sb;
	return lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Walk path (whose first rootlen bytes are the root and a '/'), adding
 * every directory that holds an @v directory. */
static int walk(char *path, size_t len, size_t rootlen, struct walk *w, char *err, size_t errsz)
{
	size_t n;
	char **names = dir_names(path, &n);
	if (!names) {
		if (errno == ENOENT)   /* gone since we listed its parent */
			return 0;
		return ERR(-1, "unable to read directory '%s': %s", path, strerror(errno));
	}
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *name = names[i];
		size_t nl = strlen(name);
		if (len + 1 + nl >= rootlen + WALK_MAX)
			continue;    /* deeper than any escaped module path */
		path[len] = '/';
		memcpy(path + len + 1, name, nl + 1);
		if (!is_dir(path)) {
			path[len] = 0;
			continue;
		}
		if (strcmp(name, "@v") == 0) {
			path[len] = 0;
			/* the root's own @v has no module path: reported as "" */
			if (walk_add(w, len >= rootlen ? path + rootlen : "") < 0)
				rc = ERR(-1, "out of memory");
			continue;
		}
		rc = walk(path, len + 1 + nl, rootlen, w, err, errsz);
		path[len] = 0;
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


/* Read vdir/ESC.ext into *data; 1 if there is no such file, 0 if read,
 * -1 with the reason in why (a system failure when *sys is set). */
static int read_side(const char *vdir, const char *esc, const char *ext, size_t max, char **data,
                     size_t *len, char *why, size_t whysz, int *sys)
{
	char p[IMPORT_PATH_MAX];
	*data = NULL;
	if (fmt(p, sizeof p, "%s/%s.%s", vdir, esc, ext) < 0)
		return errset(why, whysz, -1, "%s.%s: path too long", esc, ext);
	if (read_file(p, max, data, len) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	if (errno == EFBIG || errno == EINVAL)
		return errset(why, whysz, -1, "%s.%s: %s", esc, ext,
		              errno == EFBIG ? "too large" : "not a regular file");
	*sys = 1;
	return errset(why, whysz, -1, "unable to read '%s': %s", p, strerror(errno));
}

/* The version's time: the source's .info Time, else the time a
 * pseudo-version encodes, else now.  Checks what the .info says. */
static int version_time(const char *vdir, const char *esc, const char *version, int64_t *t, char *why,
                        size_t whysz, int *sys)
{
	char *data;
	size_t len;
	int rc = read_side(vdir, esc, "info", INFO_MAX, &data, &len, why, whysz, sys);
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

static enum result import_version(const struct store *st, const struct import_opts *o,
                                  const char *module, const char *vdir, const char *esc,
                                  const char *version, char *why, size_t whysz)
{
	char zip[IMPORT_PATH_MAX], err[MSG_MAX];
	struct modzip_info mi;
	int sys = 0;
	enum result res = R_INVALID;

	if (fmt(zip, sizeof zip, "%s/%s.zip", vdir, esc) < 0)
		return errset(why, whysz, R_INVALID, "path too long");
	/* the tree names the version, so a zip with no entries (as the go
	 * command makes for an empty module) and a renamed module's last
	 * version, whose go.mod keeps its old path, are what they say */
	struct modzip_want want = {module, version, 1};
	int v = modzip_check_as(zip, &want, &mi, err, sizeof err);
	if (v != 0)
		return errset(why, whysz, v > 0 ? R_INVALID : R_FAIL, "%s", err);
	/* the zip names its module and version in every entry: they must be
	 * the ones the tree files it under, or a client asking for this
	 * version would get another */
	if (strcmp(mi.module, module) != 0 || strcmp(mi.version, version) != 0) {
		errset(why, whysz, 0, "%s.zip holds %s@%s", esc, mi.module, mi.version);
		goto out;
	}
	/* The .mod the tree serves must be the one goreg will serve, the
	 * zip's go.mod (or the one the go command makes up for a zip without
	 * one, cmd/go/internal/modfetch): else go.sum's /go.mod line of a
	 * client that had the version from the source would no longer match. */
	char *mod;
	size_t modlen;
	int rc = read_side(vdir, esc, "mod", MODZIP_MAX_GOMOD, &mod, &modlen, why, whysz, &sys);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		int same = modlen == mi.gomod_len && memcmp(mod, mi.gomod, modlen) == 0;
		free(mod);
		if (!same) {
			errset(why, whysz, 0, "%s.mod differs from the %s", esc,
			       mi.gomod_synth ? "go.mod the go command makes up for a zip without one"
			                      : "zip's go.mod");
			goto out;
		}
	}
	/* the go command's cache keeps the h1: hash it checked against go.sum
	 * (cmd/go/internal/modfetch, VERSION.ziphash) */
	char *zh;
	size_t zhlen;
	rc = read_side(vdir, esc, "ziphash", ZIPHASH_MAX, &zh, &zhlen, why, whysz, &sys);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		while (zhlen && (zh[zhlen - 1] == '\n' || zh[zhlen - 1] == '\r' || zh[zhlen - 1] == ' '))
			zh[--zhlen] = 0;
		int same = strcmp(zh, mi.h1_zip) == 0;
		free(zh);
		if (!same) {
			errset(why, whysz, 0, "%s.ziphash does not match the zip's hash %s", esc, mi.h1_zip);
			goto out;
		}
	}
	int64_t t;
	if (version_time(vdir, esc, version, &t, why, whysz, &sys) < 0)
		goto out;

	struct verinfo vi;
	rc = store_get(st, o->owner, module, version, &vi, err, sizeof err);
	if (rc == 200) {
		if (strcmp(vi.h1_zip, mi.h1_zip) != 0) {
			errset(why, whysz, 0, "exists with other content (%s in the store, %s here)", vi.h1_zip,
			       mi.h1_zip);
			goto out;
		}
		res = R_EXISTS;
		goto out;
	}
	if (rc != 404) {
		res = errset(why, whysz, R_FAIL, "%s", err);
		goto out;
	}
	if (o->dry_run) {
		res = R_IMPORTED;
		goto out;
	}

	struct fd_body fb;
	if ((fb.fd = open(zip, O_RDONLY | O_CLOEXEC)) < 0) {
		res = errset(why, whysz, R_FAIL, "unable to open '%s': %s", zip, strerror(errno));
		goto out;
	}
	struct body_source bs = fd_body_source(&fb);
	struct reply r;
	reply_init(&r);
	/* the publish time is the version's original one (see version_time):
	 * @latest among pseudo-versions and a reader of .info see what the
	 * source showed */
	char origin[32];
	struct actor who = ops_local_actor(o->uploader, origin, sizeof origin);
	struct op_args a = {
		.owner = o->owner, .body = &bs, .declared_len = -1, .who = &who, .want = &want,
		.now = unix_now(), .published = t,
	};
	ops_upload(st, &a, &r);
	close(fb.fd);
	if (r.status == 201) {
		res = R_IMPORTED;
	} else if (r.status == 409) {
		res = R_EXISTS;     /* published meanwhile by someone else */
	} else {
		res = r.status >= 500 ? R_FAIL : R_INVALID;
		errset(why, whysz, 0, "%.*s", (int)(r.mem_len ? r.mem_len - 1 : 0), r.mem ? r.mem : "");
	}
	reply_free(&r);
	if (res == R_IMPORTED || res == R_EXISTS) {
		/* the zip was read twice (checked here, then by the upload):
		 * make sure what the store holds is what was checked */
		rc = store_get(st, o->owner, module, version, &vi, err, sizeof err);
		if (rc != 200)
			res = errset(why, whysz, R_FAIL, "%s", err);
		else if (strcmp(vi.h1_zip, mi.h1_zip) != 0) {
			errset(why, whysz, 0, "%s: the store holds %s, the zip checked was %s",
			       res == R_IMPORTED ? "changed while importing" : "exists with other content",
			       vi.h1_zip, mi.h1_zip);
			res = R_INVALID;
		}
	}
out:
	if (sys)
		res = R_FAIL;
	modzip_info_free(&mi);
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
static int list_versions(const char *vdir, struct verent **out, size_t *n, char *err, size_t errsz)
{
	*out = NULL;
	*n = 0;
	size_t nnames;
	char **names = dir_names(vdir, &nnames);
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

static int import_module(const struct store *st, const struct import_opts *o, const char *root,
                         const struct modent *m, struct import_counts *c, char *err, size_t errsz)
{
	char vdir[IMPORT_PATH_MAX];
	if (fmt(vdir, sizeof vdir, "%s%s%s/@v", root, m->esc[0] ? "/" : "", m->esc) < 0)
		return ERR(-1, "path too long: '%s/%s'", root, m->esc);
	struct verent *v;
	size_t n;
	if (list_versions(vdir, &v, &n, err, errsz) < 0)
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
		switch (import_version(st, o, m->path, vdir, v[i].esc, v[i].v, why, sizeof why)) {
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

int import_tree(const struct store *st, const char *dir, const struct import_opts *o,
                struct import_counts *c, char *err, size_t errsz)
{
	char root[FILE_PATH_MAX + WALK_MAX], path[sizeof root];
	struct stat sb;
	memset(c, 0, sizeof *c);
	/* a GOMODCACHE: its cache/download is the file-based GOPROXY tree
	 * (go.dev/ref/mod#module-cache); a GOPATH has it in pkg/mod */
	static const char *const sub[] = {"/cache/download", "/pkg/mod/cache/download", ""};
	for (size_t i = 0; i < sizeof sub / sizeof sub[0]; i++) {
		if (fmt(root, FILE_PATH_MAX, "%s%s", dir, sub[i]) < 0)
			return ERR(-1, "path too long: '%s'", dir);
		if (stat(root, &sb) == 0 && S_ISDIR(sb.st_mode))
			break;
	}
	size_t rootlen = strlen(root);
	while (rootlen > 1 && root[rootlen - 1] == '/')
		root[--rootlen] = 0;
	memcpy(path, root, rootlen + 1);

	struct walk w = {0};
	/* the root itself may be one module's directory (it has @v), which
	 * has no module path: walk() reports it under "" */
	if (walk(path, rootlen, rootlen + 1, &w, err, errsz) < 0) {
		walk_free(&w);
		return -1;
	}
	if (w.n)
		qsort(w.m, w.n, sizeof *w.m, modent_cmp);
	int rc = 0;
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
		rc = import_module(st, o, root, m, c, err, errsz);
	}
	walk_free(&w);
	if (rc < 0)
		return -1;
	return c->invalid ? 1 : 0;
}
