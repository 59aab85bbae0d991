/* A local git repository, read through git the program (fork and exec,
 * no shell): its tags, a commit's tree and time, blobs.  git's plumbing
 * output formats (for-each-ref, rev-parse, ls-tree -z, cat-file --batch)
 * are stable; git is a run-time dependency of goreg-git alone. */
#ifndef GOREG_GITREPO_H
#define GOREG_GITREPO_H
#include <stddef.h>
#include <stdint.h>

#define GIT_OID_MAX 65          /* a SHA-256 object name in hex, and NUL */

struct gittag {
	const char *name;       /* below refs/tags/ */
	char commit[GIT_OID_MAX];       /* the commit it names, peeled; "" for none */
};

struct gitrepo {
	char *gitdir;           /* as given to git --git-dir */
	struct gittag *tags;
	size_t ntags;
	char *tagbuf;
};

enum gitent_kind { GITENT_FILE, GITENT_LINK, GITENT_OTHER };

struct gitent {
	const char *path;       /* from the repository's root, slash-separated */
	char oid[GIT_OID_MAX];
	enum gitent_kind kind;  /* a blob (100644, 100755), a symlink, a submodule */
	long long size;         /* a blob's, -1 for a submodule */
	const char *data;       /* after gitrepo_read */
};

struct gittree {
	char commit[GIT_OID_MAX];
	int64_t time;           /* the committer time, as the go command's RevInfo.Time */
	struct gitent *e;
	size_t n;
	char *buf;              /* ls-tree's output, which the paths point into */
	char **blobs;           /* gitrepo_read's buffers, which data points into */
	size_t nblobs;
};

/* Open dir (a repository's git directory, a bare repository, or a work
 * tree holding .git) and read its tags.  0; 1 not a repository; -1. */
int gitrepo_open(struct gitrepo *g, const char *dir, char *err, size_t errsz);
void gitrepo_close(struct gitrepo *g);

/* The tag named name, or NULL. */
const struct gittag *gitrepo_tag(const struct gitrepo *g, const char *name);

/* rev (a hash, a branch, anything git rev-parse takes) as a commit's full
 * hash into out.  0; 1 when rev names no commit; -1. */
int gitrepo_commit(const struct gitrepo *g, const char *rev, char *out, size_t outsz, char *err,
                   size_t errsz);

/* The names of the tags below refs/tags/ that are merged into commit
 * (reachable from it), as strings into a malloc'd buffer *buf, one a line.
 * 0, or -1. */
int gitrepo_merged(const struct gitrepo *g, const char *commit, char **buf, char *err, size_t errsz);

/* The whole tree of commit (ls-tree -r) and the commit's time.  0 or -1. */
int gitrepo_tree(const struct gitrepo *g, const char *commit, struct gittree *t, char *err, size_t errsz);
void gitrepo_tree_free(struct gittree *t);

/* The entry at path, or NULL. */
struct gitent *gitrepo_find(const struct gittree *t, const char *path);

/* Read the blobs of the n entries v (cat-file --batch) into t->blobs,
 * setting each entry's data.  0 or -1. */
int gitrepo_read(const struct gitrepo *g, struct gittree *t, struct gitent **v, size_t n, char *err,
                 size_t errsz);

#endif
