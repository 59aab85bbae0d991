#include "app/git.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app/gitrepo.h"
#include "app/ops.h"
#include "base/limits.h"
#include "base/prog.h"
#include "base/util.h"
#include "gomod/gitver.h"
#include "gomod/gomod.h"
#include "gomod/modpack.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "gomod/semver.h"
#include "store/store.h"

/* One version to publish: what a ref resolved to. */
struct target {
	const char *ref;
	char commit[GIT_OID_MAX];
	char module[MODPATH_MAX + 1];
	char version[VERSION_MAX + 1];
	char codedir[FILE_PATH_MAX];    /* the tags' directory: "" or "DIR" */
	char dir[FILE_PATH_MAX];        /* the module's files: codedir, or codedir/vN */
	const char *pathmajor;          /* into module: "/v2", ".v1" or "" */
	int64_t time;
};

/* Results of one step: go on, refused (the reason in err), failed. */
enum { OK = 0, REFUSED = 1, FAILED = -1 };

static void join(char *out, size_t outsz, const char *dir, const char *name)
{
	fmt(out, outsz, "%s%s%s", dir, *dir ? "/" : "", name);
}

/* The module path of the go.mod at path in t: OK with it in mod (or ""
 * when there is none), REFUSED when it does not parse, FAILED. */
static int gomod_at(const struct gitrepo *g, struct gittree *t, const char *path, char *mod,
                    size_t modsz, char *err, size_t errsz)
{
	struct gitent *e = gitrepo_find(t, path);
	mod[0] = '\0';
	if (!e || e->kind != GITENT_FILE)
		return OK;
	if (e->size > MODZIP_MAX_GOMOD)
		return errset(err, errsz, REFUSED, "%s: go.mod too large", path);
	if (!e->data && gitrepo_read(g, t, &e, 1, err, errsz) < 0)
		return FAILED;
	if (gomod_module_path(e->data, (size_t)e->size, mod, modsz) < 0)
		return errset(err, errsz, REFUSED, "%s at %.12s: no valid module directive", path, t->commit);
	return OK;
}

/* coderepo's canUseIncompatible: a version vN (N >= 2) of a module whose
 * path has no /vN is v.N+incompatible when the repository is no module at
 * that commit: no go.mod at its root, nor a vN/go.mod for v's major
 * (go.dev/ref/mod "Compatibility with non-module repositories"). */
static int has_blob(const struct gittree *t, const char *path)
{
	const struct gitent *e = gitrepo_find(t, path);
	return e && e->kind != GITENT_OTHER;
}

static int can_incompatible(const struct target *tg, const struct gittree *t, const char *v)
{
	char maj[VERSION_MAX], p[VERSION_MAX + 8];
	if (*tg->codedir || *tg->pathmajor || has_blob(t, "go.mod"))
		return 0;
	if (v && *v && semver_major(v, maj, sizeof maj) == 0) {
		fmt(p, sizeof p, "%s/go.mod", maj);
		if (has_blob(t, p))
			return 0;
	}
	return 1;
}

static int major_ok(const struct target *tg, const char *v)
{
	return modpath_check_major(v, tg->pathmajor) == NULL;
}

/* coderepo's checkCanonical: v as the module's version, "+incompatible"
 * added where the repository allows it, into tg->version. */
static int check_canonical(struct target *tg, const struct gittree *t, const char *v, char *err,
                           size_t errsz)
{
	char maj[VERSION_MAX];
	int incompatible = !major_ok(tg, v) && can_incompatible(tg, t, v);
	if (major_ok(tg, v) || incompatible)
		return fmt(tg->version, sizeof tg->version, "%s%s", v, incompatible ? "+incompatible" : "") < 0
		       ? errset(err, errsz, REFUSED, "version too long") : OK;
	if (*tg->pathmajor)
		return errset(err, errsz, REFUSED, "%s@%s: module path includes a major version suffix, so major "
		              "version must match", tg->module, v);
	semver_major(v, maj, sizeof maj);
	return errset(err, errsz, REFUSED, "%s@%s: module contains a go.mod file, so module path must match "
	              "major version (\"%s/%s\")", tg->module, v, tg->module, maj);
}

/* The module path against the tags' directory: the go command finds the
 * module in DIR only when DIR is its path's last elements (before /vN),
 * go.dev/ref/mod "Module directories within a repository". */
static int path_fits_dir(const char *module, const char *codedir)
{
	size_t pl, dl = strlen(codedir);
	const char *major;
	if (dl == 0)
		return 1;
	modpath_split_major(module, &pl, &major);
	return pl > dl && module[pl - dl - 1] == '/' && strncmp(module + pl - dl, codedir, dl) == 0;
}

/* coderepo's findDir for a known module path: a "major subdirectory"
 * codedir/vN/go.mod first, then codedir/go.mod, else a repository
 * without go.mod (at its root only, and without a /vN). */
static int find_dir(const struct gitrepo *g, struct gittree *t, struct target *tg, char *err, size_t errsz)
{
	char p[FILE_PATH_MAX], mod[MODPATH_MAX + 1];
	size_t pl;
	int rc;
	modpath_split_major(tg->module, &pl, &tg->pathmajor);
	if (!path_fits_dir(tg->module, tg->codedir))
		return errset(err, errsz, REFUSED, "module path %s does not end in /%s, the directory its tags name",
		              tg->module, tg->codedir);
	if (tg->pathmajor[0] == '/') {
		join(tg->dir, sizeof tg->dir, tg->codedir, tg->pathmajor + 1);
		join(p, sizeof p, tg->dir, "go.mod");
		if ((rc = gomod_at(g, t, p, mod, sizeof mod, err, errsz)) != OK)
			return rc;
		if (strcmp(mod, tg->module) == 0)
			return OK;
	}
	fmt(tg->dir, sizeof tg->dir, "%s", tg->codedir);
	join(p, sizeof p, tg->dir, "go.mod");
	if ((rc = gomod_at(g, t, p, mod, sizeof mod, err, errsz)) != OK)
		return rc;
	if (strcmp(mod, tg->module) == 0)
		return OK;
	if (*mod)
		return errset(err, errsz, REFUSED, "%s at %.12s declares module %s, not %s", p, t->commit, mod,
		              tg->module);
	if (*tg->codedir || *tg->pathmajor)
		return errset(err, errsz, REFUSED, "no go.mod for %s in %s at %.12s", tg->module,
		              *tg->codedir ? tg->codedir : "the repository's root", t->commit);
	return OK;
}

/* The module a tag in codedir names without -m: from codedir/vN/go.mod
 * for a vN tag (N >= 2) whose path ends in /vN, else codedir/go.mod. */
static int module_of_tag(const struct gitrepo *g, struct gittree *t, struct target *tg, const char *v,
                         char *err, size_t errsz)
{
	char maj[VERSION_MAX], d[FILE_PATH_MAX], p[FILE_PATH_MAX], mod[MODPATH_MAX + 1];
	const char *pm;
	size_t pl;
	int rc;
	semver_major(v, maj, sizeof maj);
	if (strcmp(maj, "v0") != 0 && strcmp(maj, "v1") != 0) {
		join(d, sizeof d, tg->codedir, maj);
		join(p, sizeof p, d, "go.mod");
		if ((rc = gomod_at(g, t, p, mod, sizeof mod, err, errsz)) != OK)
			return rc;
		if (*mod && modpath_split_major(mod, &pl, &pm) == 0 && pm[0] == '/' && strcmp(pm + 1, maj) == 0)
			return fmt(tg->module, sizeof tg->module, "%s", mod) < 0 ? REFUSED : OK;
	}
	join(p, sizeof p, tg->codedir, "go.mod");
	if ((rc = gomod_at(g, t, p, mod, sizeof mod, err, errsz)) != OK)
		return rc;
	if (!*mod)
		return errset(err, errsz, REFUSED, "no go.mod in %s at %.12s: name the module with -m",
		              *tg->codedir ? tg->codedir : "the repository's root", t->commit);
	return fmt(tg->module, sizeof tg->module, "%s", mod) < 0 ? REFUSED : OK;
}

/* A tag DIR/vX.Y.Z (or vX.Y.Z) as the go command reads it. */
static int resolve_tag(const struct gitrepo *g, struct gittree *t, struct target *tg, const char *tag,
                       const char *module, char *err, size_t errsz)
{
	char v[VERSION_MAX + 1], prefix[FILE_PATH_MAX];
	const char *slash = strrchr(tag, '/');
	int canon, rc;
	fmt(tg->codedir, sizeof tg->codedir, "%.*s", slash ? (int)(slash - tag) : 0, tag);
	fmt(prefix, sizeof prefix, "%.*s", slash ? (int)(slash + 1 - tag) : 0, tag);
	if (gitver_tag_version(tag, prefix, v, sizeof v, &canon) != 0 || !canon)
		return errset(err, errsz, REFUSED, "tag %s is not [DIR/]vX.Y.Z[-pre], a canonical semantic version", tag);
	if (module)
		rc = fmt(tg->module, sizeof tg->module, "%s", module) < 0 ? REFUSED : OK;
	else
		rc = module_of_tag(g, t, tg, v, err, errsz);
	if (rc == OK)
		rc = find_dir(g, t, tg, err, errsz);
	if (rc == OK)
		rc = check_canonical(tg, t, v, err, errsz);
	return rc;
}

/* With -m, the tags' directory of a commit's module: where a go.mod
 * declaring it is (less a major subdirectory's vN), "" when none does. */
static int codedir_of(const struct gitrepo *g, struct gittree *t, struct target *tg, char *err, size_t errsz)
{
	char mod[MODPATH_MAX + 1], d[FILE_PATH_MAX];
	size_t pl;
	const char *pm;
	modpath_split_major(tg->module, &pl, &pm);
	tg->codedir[0] = '\0';
	/* every go.mod read at once: one git cat-file, not one per module */
	struct gitent **v = calloc(t->n + 1, sizeof *v);
	size_t k = 0;
	if (!v)
		return errset(err, errsz, FAILED, "out of memory");
	for (size_t i = 0; i < t->n; i++) {
		const char *p = t->e[i].path, *b = strrchr(p, '/');
		if (strcmp(b ? b + 1 : p, "go.mod") == 0 && t->e[i].kind == GITENT_FILE && !t->e[i].data &&
		    t->e[i].size <= MODZIP_MAX_GOMOD)
			v[k++] = &t->e[i];
	}
	int rd = gitrepo_read(g, t, v, k, err, errsz);
	free(v);
	if (rd < 0)
		return FAILED;
	for (size_t i = 0; i < t->n; i++) {
		const char *p = t->e[i].path, *b = strrchr(p, '/');
		if (strcmp(b ? b + 1 : p, "go.mod") != 0 || t->e[i].kind != GITENT_FILE)
			continue;
		int rc = gomod_at(g, t, p, mod, sizeof mod, err, errsz);
		if (rc == FAILED)
			return rc;
		if (rc != OK || strcmp(mod, tg->module) != 0)
			continue;
		fmt(d, sizeof d, "%.*s", b ? (int)(b - p) : 0, p);
		/* a major subdirectory: DIR/v2/go.mod is module DIR's v2 */
		const char *last = strrchr(d, '/');
		last = last ? last + 1 : d;
		if (pm[0] == '/' && strcmp(last, pm + 1) == 0) {
			char up[FILE_PATH_MAX];
			fmt(up, sizeof up, "%.*s", last > d ? (int)(last - 1 - d) : 0, d);
			if (path_fits_dir(tg->module, up))
				return fmt(tg->codedir, sizeof tg->codedir, "%s", up) < 0 ? REFUSED : OK;
		}
		if (path_fits_dir(tg->module, d))
			return fmt(tg->codedir, sizeof tg->codedir, "%s", d) < 0 ? REFUSED : OK;
	}
	return OK;
}

/* RecentTag: the highest tag of the module reachable from the commit
 * that allowed() takes, as the base of a pseudo-version, into base. */
static int recent_tag(const struct gitrepo *g, const struct gittree *t, const struct target *tg,
                      const char *prefix, char *base, size_t basesz, char *err, size_t errsz)
{
	char *buf, v[VERSION_MAX + 1], hi[VERSION_MAX + 1] = "";
	size_t pl = strlen(prefix);
	int canon;
	if (gitrepo_merged(g, t->commit, &buf, err, errsz) < 0)
		return FAILED;
	for (char *line = buf, *nl; *line; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		*nl = '\0';
		if (gitver_tag_version(line, prefix, v, sizeof v, &canon) != 0)
			continue;
		if (!major_ok(tg, v) && !can_incompatible(tg, t, v))
			continue;
		if (strlen(line + pl) < sizeof hi && semver_compare(line + pl, hi) > 0)
			strcpy(hi, line + pl);
	}
	free(buf);
	base[0] = '\0';
	if (*hi) {
		char tag[FILE_PATH_MAX];
		fmt(tag, sizeof tag, "%s%s", prefix, hi);
		gitver_tag_version(tag, prefix, base, basesz, &canon);
	}
	return OK;
}

/* A commit's version as coderepo's convert makes it: the highest
 * canonical tag of the module on the commit itself, else a pseudo-version
 * after the highest tag reachable from it. */
static int commit_version(const struct gitrepo *g, const struct gittree *t, struct target *tg, char *err,
                          size_t errsz)
{
	char prefix[FILE_PATH_MAX], v[VERSION_MAX + 1], hi[VERSION_MAX + 1] = "", base[VERSION_MAX + 1];
	char major[VERSION_MAX], rev[13], pseudo[VERSION_MAX + 1];
	int canon;
	fmt(prefix, sizeof prefix, "%s%s", tg->codedir, *tg->codedir ? "/" : "");
	for (size_t i = 0; i < g->ntags; i++) {
		if (strcmp(g->tags[i].commit, t->commit) != 0 ||
		    gitver_tag_version(g->tags[i].name, prefix, v, sizeof v, &canon) != 0 || !canon)
			continue;
		if (semver_compare(hi, v) < 0 && (major_ok(tg, v) || can_incompatible(tg, t, v)))
			strcpy(hi, v);
	}
	if (*hi)
		return check_canonical(tg, t, hi, err, errsz);
	if (recent_tag(g, t, tg, prefix, base, sizeof base, err, errsz) != OK)
		return FAILED;
	memcpy(rev, t->commit, 12);
	rev[12] = '\0';
	if (gitver_major_prefix(tg->pathmajor, major, sizeof major) != 0 ||
	    gitver_pseudo(major, base, t->time, rev, pseudo, sizeof pseudo) != 0)
		return errset(err, errsz, REFUSED, "no pseudo-version for %s at %.12s", tg->module, t->commit);
	return check_canonical(tg, t, pseudo, err, errsz);
}

/* A commit (a hash, a branch): the module at the root (go.mod's), or the
 * one -m names wherever its go.mod is. */
static int resolve_commit(const struct gitrepo *g, struct gittree *t, struct target *tg, const char *module,
                          char *err, size_t errsz)
{
	char mod[MODPATH_MAX + 1];
	int rc;
	if (module) {
		if (fmt(tg->module, sizeof tg->module, "%s", module) < 0)
			return errset(err, errsz, REFUSED, "module path too long");
		rc = codedir_of(g, t, tg, err, errsz);
	} else {
		tg->codedir[0] = '\0';
		rc = gomod_at(g, t, "go.mod", mod, sizeof mod, err, errsz);
		if (rc == OK && !*mod)
			return errset(err, errsz, REFUSED, "no go.mod at the root of %s: name the module with -m", tg->ref);
		if (rc == OK)
			fmt(tg->module, sizeof tg->module, "%s", mod);
	}
	if (rc == OK)
		rc = find_dir(g, t, tg, err, errsz);
	if (rc == OK)
		rc = commit_version(g, t, tg, err, errsz);
	return rc;
}

/* A ref: a tag when refs/tags/REF exists (a semantic version tag, or
 * refused; "refs/tags/" may be written), else any commit git rev-parse
 * finds.  The tree is t's. */
static int resolve(const struct gitrepo *g, struct gittree *t, struct target *tg, const char *ref,
                   const char *module, char *err, size_t errsz)
{
	if (strncmp(ref, "refs/tags/", 10) == 0 && gitrepo_tag(g, ref + 10))
		ref += 10;
	const struct gittag *tag = gitrepo_tag(g, ref);
	char commit[GIT_OID_MAX];
	const char *why;
	int rc;
	memset(tg, 0, sizeof *tg);
	memset(t, 0, sizeof *t);
	tg->ref = ref;
	tg->pathmajor = "";
	if (tag && !tag->commit[0])
		return errset(err, errsz, REFUSED, "tag %s names no commit", ref);
	if (tag)
		memcpy(commit, tag->commit, sizeof commit);
	else if ((rc = gitrepo_commit(g, ref, commit, sizeof commit, err, errsz)) != 0)
		return rc > 0 ? REFUSED : FAILED;
	if (module && (why = modpath_check(module)))
		return errset(err, errsz, REFUSED, "invalid module path '%s': %s", module, why);
	if (gitrepo_tree(g, commit, t, err, errsz) < 0)
		return FAILED;
	fmt(tg->commit, sizeof tg->commit, "%s", commit);
	tg->time = t->time;
	rc = tag ? resolve_tag(g, t, tg, ref, module, err, errsz) : resolve_commit(g, t, tg, module, err, errsz);
	if (rc == OK && (why = modpath_check_module(tg->module, tg->version)))
		return errset(err, errsz, REFUSED, "%s@%s: %s", tg->module, tg->version, why);
	return rc;
}

/* The module's files in the tree, as the go command's Zip takes them
 * from git archive: the blobs below tg->dir (a symbolic link as an
 * irregular entry, which the packer omits; a submodule is no file), and
 * for a module in a subdirectory without a LICENSE, the repository
 * root's LICENSE.  *v gets the entries' tree entries, for reading. */
static int list_files(const struct gittree *t, const struct target *tg, struct modpack_entry **pe,
                      struct gitent ***pv, size_t *pn, char *err, size_t errsz)
{
	size_t dl = strlen(tg->dir), n = 0;
	struct modpack_entry *e = calloc(t->n + 1, sizeof *e);
	struct gitent **v = calloc(t->n + 1, sizeof *v);
	int license = 0;
	*pe = e;
	*pv = v;
	if (!e || !v)
		return errset(err, errsz, FAILED, "out of memory");
	for (size_t i = 0; i < t->n; i++) {
		struct gitent *g = &t->e[i];
		if (g->kind == GITENT_OTHER || (dl && (strncmp(g->path, tg->dir, dl) != 0 || g->path[dl] != '/')))
			continue;
		e[n] = (struct modpack_entry){.path = g->path + (dl ? dl + 1 : 0), .size = g->size,
		                              .irregular = g->kind == GITENT_LINK};
		license |= strcmp(e[n].path, "LICENSE") == 0;
		v[n++] = g;
	}
	struct gitent *root = dl && !license ? gitrepo_find(t, "LICENSE") : NULL;
	if (root && root->kind != GITENT_OTHER) {
		/* read as a file (git cat-file blob): a link's target text */
		e[n] = (struct modpack_entry){.path = "LICENSE", .size = root->size};
		v[n++] = root;
	}
	*pn = n;
	return OK;
}

/* The zip of tg into the open temp file fd: listed, checked (checkFiles),
 * the kept blobs read, packed. */
static int pack(const struct gitrepo *g, struct gittree *t, const struct target *tg, int fd, char *err,
                size_t errsz)
{
	struct modpack_entry *e;
	struct gitent **src, **rd = NULL;
	size_t n = 0, k = 0;
	int rc = list_files(t, tg, &e, &src, &n, err, errsz);
	if (rc == OK && (rc = modpack_select(tg->module, tg->version, e, n, err, errsz)) == OK) {
		if ((rd = calloc(n + 1, sizeof *rd)) == NULL)
			rc = errset(err, errsz, FAILED, "out of memory");
		for (size_t i = 0; rd && i < n; i++)
			if (e[i].keep && !src[i]->data)
				rd[k++] = src[i];
		if (rc == OK && gitrepo_read(g, t, rd, k, err, errsz) < 0)
			rc = FAILED;
	}
	if (rc == OK) {
		for (size_t i = 0; i < n; i++)
			e[i].data = src[i]->data;
		rc = modpack_create_list_fd(tg->module, tg->version, e, n, fd, err, errsz);
	}
	free(e);
	free(src);
	free(rd);
	return rc;
}

/* The store's copy of tg against h1 (the zip packed now): "present", or
 * refused when the tag moved since it was published. */
static int compare_stored(const struct store *st, const struct git_opts *o, const struct target *tg,
                          const char *h1, FILE *out)
{
	struct verinfo vi;
	char err[MSG_MAX];
	int code = store_get(st, o->owner, tg->module, tg->version, &vi, err, sizeof err);
	if (code != 200) {
		fprintf(out, "refused %s@%s: %s\n", tg->module, tg->version, err);
		return code >= 500 ? FAILED : REFUSED;
	}
	if (strcmp(vi.h1_zip, h1) == 0) {
		fprintf(out, "present %s@%s\n", tg->module, tg->version);
		return OK;
	}
	fprintf(out, "refused %s@%s: already published with other content (%s), %s now gives %s: a moved "
	        "tag is not published again\n", tg->module, tg->version, vi.h1_zip, tg->ref, h1);
	return REFUSED;
}

/* Upload the zip open as fd through ops_upload, the path every upload
 * takes (its checks, the store, the audit log), then say what happened. */
static int upload(const struct store *st, const struct git_opts *o, const struct target *tg, int fd,
                  const char *h1, FILE *out)
{
	char origin[40], local[32];
	struct actor who = ops_local_actor(o->uploader, local, sizeof local);
	fmt(origin, sizeof origin, "git:%s", local);
	who.origin = origin;
	struct modzip_want want = {tg->module, tg->version, 0, 0};
	struct fd_body fb = {.fd = fd};
	struct body_source bs = fd_body_source(&fb);
	struct op_args a = {
		.owner = o->owner, .body = &bs, .declared_len = -1, .who = &who, .want = &want,
		.source = "git", .now = unix_now(), .published = tg->time,
	};
	struct reply r;
	reply_init(&r);
	ops_upload(st, &a, &r);
	int rc = OK;
	if (r.status == 201)
		fprintf(out, "published %s@%s\n", tg->module, tg->version);
	else if (r.status == 409)
		rc = compare_stored(st, o, tg, h1, out);
	else {
		fprintf(out, "refused %s@%s: %.*s\n", tg->module, tg->version,
		        (int)(r.mem_len ? r.mem_len - 1 : 0), r.mem ? r.mem : "");
		rc = r.status >= 500 ? FAILED : REFUSED;
	}
	reply_free(&r);
	return rc;
}

/* Pack one resolved version into a temp file, then present, moved or
 * uploaded. */
static int publish_one(const struct store *st, const struct gitrepo *g, struct gittree *t,
                       const struct git_opts *o, const struct target *tg, FILE *out)
{
	char err[MSG_MAX], tmp[ROOT_PATH_MAX];
	struct modzip_info mi;
	struct verinfo vi;
	int fd = -1, rc;
	if ((fd = store_tmp_create(st, "git", tmp, sizeof tmp)) < 0) {
		fprintf(out, "refused %s@%s: unable to create a temporary file in the store: %s\n", tg->module,
		        tg->version, strerror(errno));
		return FAILED;
	}
	unlink(tmp);
	rc = pack(g, t, tg, fd, err, sizeof err);
	if (rc == OK && (rc = modzip_check_fd(fd, "the zip made", NULL, &mi, err, sizeof err)) == OK) {
		if (store_get(st, o->owner, tg->module, tg->version, &vi, err, sizeof err) == 200)
			rc = compare_stored(st, o, tg, mi.h1_zip, out);
		else if (lseek(fd, 0, SEEK_SET) < 0)
			rc = errset(err, sizeof err, FAILED, "unable to read the zip made: %s", strerror(errno));
		else
			rc = upload(st, o, tg, fd, mi.h1_zip, out);
		modzip_info_free(&mi);
	} else if (rc != OK) {
		fprintf(out, "refused %s@%s: %s\n", tg->module, tg->version, err);
	}
	close(fd);
	return rc;
}

/* Without refs: every tag that names a canonical semantic version for
 * some directory; with -m, only those of that module. */
static int all_tags(const struct gitrepo *g, char ***refs, size_t *n)
{
	char v[VERSION_MAX + 1], prefix[FILE_PATH_MAX];
	int canon;
	*refs = calloc(g->ntags + 1, sizeof **refs);
	*n = 0;
	if (!*refs)
		return -1;
	for (size_t i = 0; i < g->ntags; i++) {
		const char *name = g->tags[i].name, *slash = strrchr(name, '/');
		fmt(prefix, sizeof prefix, "%.*s", slash ? (int)(slash + 1 - name) : 0, name);
		if (gitver_tag_version(name, prefix, v, sizeof v, &canon) == 0 && canon)
			(*refs)[(*n)++] = (char *)name;
	}
	return 0;
}

static int worse(int a, int b)
{
	return a == FAILED || b == FAILED ? FAILED : a == REFUSED || b == REFUSED ? REFUSED : OK;
}

/* Resolve every ref first (a bad one: a line on errf, nothing published),
 * then publish them one by one. */
static int run(const struct store *st, const struct gitrepo *g, const struct git_opts *o, char **refs,
               size_t n, int listed, FILE *out, FILE *errf)
{
	struct target *tg = calloc(n + 1, sizeof *tg);
	int *use = calloc(n + 1, sizeof *use), rc = OK;
	char err[MSG_MAX];
	if (!tg || !use) {
		free(tg);
		free(use);
		fprintf(errf, "%s: out of memory\n", o->prog);
		return FAILED;
	}
	for (size_t i = 0; i < n; i++) {
		struct gittree t;
		int r = resolve(g, &t, &tg[i], refs[i], o->module, err, sizeof err);
		gitrepo_tree_free(&t);
		/* a listed tag that is not -m's module's (another directory's,
		 * another go.mod's) is not ours to publish nor to refuse */
		if (listed && o->module && r == REFUSED)
			continue;
		if (r != OK)
			fprintf(errf, "%s: unable to publish '%s': %s\n", o->prog, refs[i], err);
		use[i] = r == OK;
		rc = worse(rc, r);
	}
	for (size_t i = 0; i < n && (rc == OK || listed); i++) {
		struct gittree t;
		if (!use[i])
			continue;
		int r = gitrepo_tree(g, tg[i].commit, &t, err, sizeof err);
		if (r < 0)
			fprintf(out, "refused %s@%s: %s\n", tg[i].module, tg[i].version, err);
		else
			r = publish_one(st, g, &t, o, &tg[i], out);
		fflush(out);
		gitrepo_tree_free(&t);
		rc = worse(rc, r);
	}
	free(tg);
	free(use);
	return rc;
}

int git_publish(const struct store *st, const char *gitdir, const struct git_opts *o,
                char *const *refs, int nrefs, FILE *out, FILE *errf)
{
	struct gitrepo g;
	char err[MSG_MAX], **list = NULL;
	size_t n = (size_t)nrefs;
	const char *why;
	if (o->module && (why = modpath_check(o->module))) {
		fprintf(errf, "%s: invalid module path '%s': %s\n", o->prog, o->module, why);
		return 1;
	}
	int rc = gitrepo_open(&g, gitdir, err, sizeof err);
	if (rc != 0) {
		fprintf(errf, "%s: %s\n", o->prog, err);
		gitrepo_close(&g);
		return rc > 0 ? 1 : 111;
	}
	if (nrefs == 0 && all_tags(&g, &list, &n) < 0) {
		fprintf(errf, "%s: out of memory\n", o->prog);
		gitrepo_close(&g);
		return 111;
	}
	rc = run(st, &g, o, nrefs ? (char **)refs : list, n, nrefs == 0, out, errf);
	free(list);
	gitrepo_close(&g);
	return rc == OK ? 0 : rc == REFUSED ? 1 : 111;
}
