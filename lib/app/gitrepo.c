#include "app/gitrepo.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/util.h"

/* What git may print for one command: a tree listing or the blobs of a
 * module, with room for cat-file's header lines. */
#define GIT_OUT_MAX (MODZIP_MAX_UNZIPPED + (64LL << 20))
#define GIT_ERR_KEEP 300        /* bytes of git's stderr kept for a message */

struct run {
	struct buf out;
	char errtext[GIT_ERR_KEEP + 1];
	size_t errlen;
};

static void child(const char *gitdir, const char *const *args, int in, int out, int errfd)
{
	char *argv[16];
	char gd[FILE_PATH_MAX + 16];
	size_t n = 0;
	if (fmt(gd, sizeof gd, "--git-dir=%s", gitdir) < 0)
		_exit(127);
	argv[n++] = "git";
	argv[n++] = gd;
	for (; *args && n < sizeof argv / sizeof *argv - 1; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(errfd, 2) < 0)
		_exit(127);
	/* the hook's GIT_DIR and the like must not choose another repository
	 * than --git-dir does */
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	signal(SIGPIPE, SIG_DFL);
	execvp("git", argv);
	_exit(127);
}

/* Read the child's stdout (at most GIT_OUT_MAX bytes) and stderr (the
 * first GIT_ERR_KEEP bytes kept) until both end.  0, or -1 with errno. */
static int drain(int ofd, int efd, struct run *r)
{
	struct pollfd p[2] = {{ofd, POLLIN, 0}, {efd, POLLIN, 0}};
	char b[IO_CHUNK];
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < 2; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			ssize_t n = read(p[i].fd, b, sizeof b);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				p[i].fd = -1;
				continue;
			}
			if (i == 0) {
				if (r->out.len + (size_t)n > (size_t)GIT_OUT_MAX) {
					errno = EFBIG;
					return -1;
				}
				if (buf_add(&r->out, b, (size_t)n) < 0)
					return -1;
			} else if (r->errlen < GIT_ERR_KEEP) {
				size_t k = (size_t)n < GIT_ERR_KEEP - r->errlen ? (size_t)n : GIT_ERR_KEEP - r->errlen;
				memcpy(r->errtext + r->errlen, b, k);
				r->errlen += k;
			}
		}
	}
	return 0;
}

/* git --git-dir=GITDIR ARGS, stdin from in (or /dev/null when in < 0),
 * stdout into r->out.  Returns git's exit status (a one-line message from
 * its stderr in err when it is not 0), or -1 when git could not be run. */
static int git_run(const char *gitdir, const char *const *args, int in, struct run *r, char *err,
                   size_t errsz)
{
	int op[2] = {-1, -1}, ep[2] = {-1, -1}, null = -1, st, saved;
	memset(r, 0, sizeof *r);
	if (in < 0 && (null = in = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return errset(err, errsz, -1, "unable to open /dev/null: %s", strerror(errno));
	if (pipe2(op, O_CLOEXEC) < 0 || pipe2(ep, O_CLOEXEC) < 0) {
		saved = errno;
		goto fail;
	}
	pid_t pid = fork();
	if (pid < 0) {
		saved = errno;
		goto fail;
	}
	if (pid == 0)
		child(gitdir, args, in, op[1], ep[1]);
	close(op[1]);
	close(ep[1]);
	op[1] = ep[1] = -1;
	int rc = drain(op[0], ep[0], r);
	saved = errno;
	if (rc < 0)
		kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	close(op[0]);
	close(ep[0]);
	if (null >= 0)
		close(null);
	if (rc < 0) {
		buf_free(&r->out);
		return errset(err, errsz, -1, "unable to read what git %s printed: %s", args[0], strerror(saved));
	}
	if (WIFEXITED(st) && WEXITSTATUS(st) == 127)
		return errset(err, errsz, -1, "unable to run git: not found or not executable");
	if (!WIFEXITED(st))
		return errset(err, errsz, -1, "git %s was killed by signal %d", args[0], WTERMSIG(st));
	if (WEXITSTATUS(st) != 0) {
		/* git's first line, without its "fatal: " */
		r->errtext[r->errlen] = '\0';
		char *m = r->errtext, *nl = strchr(m, '\n');
		if (nl)
			*nl = '\0';
		if (strncmp(m, "fatal: ", 7) == 0 || strncmp(m, "error: ", 7) == 0)
			m += 7;
		fmt(err, errsz, "git %s failed: %s", args[0], *m ? m : "no message");
	}
	return WEXITSTATUS(st);
fail:
	for (int i = 0; i < 2; i++) {
		if (op[i] >= 0)
			close(op[i]);
		if (ep[i] >= 0)
			close(ep[i]);
	}
	if (null >= 0)
		close(null);
	return errset(err, errsz, -1, "unable to run git: %s", strerror(saved));
}

/* The NUL-terminated output of a git command that must succeed: 0, or -1
 * (a non-zero exit is a failure too). */
static int git_out(const char *gitdir, const char *const *args, int in, char **out, size_t *len,
                   char *err, size_t errsz)
{
	struct run r;
	int rc = git_run(gitdir, args, in, &r, err, errsz);
	if (rc != 0 || buf_add(&r.out, "", 1) < 0) {
		buf_free(&r.out);
		return rc > 0 ? -1 : errset(err, errsz, -1, "%s", rc < 0 ? err : "out of memory");
	}
	*out = r.out.p;
	if (len)
		*len = r.out.len - 1;
	return 0;
}

static int is_hex(const char *s, size_t n)
{
	return n >= 40 && n < GIT_OID_MAX && strspn(s, "0123456789abcdef") == n;
}

/* for-each-ref's lines "OID TYPE PEELED PEELEDTYPE NAME", NAME below
 * refs/tags/: a tag names the commit it is, or the one its tag object
 * points at */
static int read_tags(struct gitrepo *g, char *err, size_t errsz)
{
	static const char *const args[] = {"for-each-ref",
		"--format=%(objectname) %(objecttype) %(*objectname) %(*objecttype) %(refname)",
		"refs/tags/", NULL};
	if (git_out(g->gitdir, args, -1, &g->tagbuf, NULL, err, errsz) < 0)
		return -1;
	size_t cap = 0;
	for (char *line = g->tagbuf, *nl; *line; line = nl + 1) {
		if ((nl = strchr(line, '\n')) == NULL)
			break;
		*nl = '\0';
		/* five fields; the name, last, has no space (git check-ref-format) */
		char *f[5] = {line, NULL, NULL, NULL, NULL};
		for (int i = 1; i < 5 && f[i - 1]; i++) {
			char *sp = strchr(f[i - 1], ' ');
			if (sp) {
				*sp = '\0';
				f[i] = sp + 1;
			}
		}
		if (!f[4] || strncmp(f[4], "refs/tags/", 10) != 0)
			continue;
		if (grow(&g->tags, &cap, g->ntags + 1, sizeof *g->tags) < 0)
			return errset(err, errsz, -1, "out of memory");
		struct gittag *t = &g->tags[g->ntags++];
		t->name = f[4] + 10;
		t->commit[0] = '\0';
		const char *c = strcmp(f[1], "commit") == 0 ? f[0] : strcmp(f[3], "commit") == 0 ? f[2] : "";
		if (is_hex(c, strlen(c)))
			memcpy(t->commit, c, strlen(c) + 1);
	}
	return 0;
}

int gitrepo_open(struct gitrepo *g, const char *dir, char *err, size_t errsz)
{
	struct stat st;
	memset(g, 0, sizeof *g);
	if (stat(dir, &st) != 0)
		return errset(err, errsz, errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 1 : -1,
		              "not a git repository: '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errset(err, errsz, 1, "not a git repository: '%s': not a directory", dir);
	/* a work tree: its .git (a directory, or a file naming one) */
	char dotgit[FILE_PATH_MAX];
	if (fmt(dotgit, sizeof dotgit, "%s/.git", dir) < 0)
		return errset(err, errsz, 1, "not a git repository: '%s': path too long", dir);
	g->gitdir = strdup(lstat(dotgit, &st) == 0 ? dotgit : dir);
	if (!g->gitdir)
		return errset(err, errsz, -1, "out of memory");
	static const char *const check[] = {"rev-parse", "--git-dir", NULL};
	struct run r;
	int rc = git_run(g->gitdir, check, -1, &r, err, errsz);
	buf_free(&r.out);
	if (rc != 0)
		return rc < 0 ? -1 : errset(err, errsz, 1, "not a git repository: '%s'", dir);
	return read_tags(g, err, errsz);
}

void gitrepo_close(struct gitrepo *g)
{
	free(g->gitdir);
	free(g->tags);
	free(g->tagbuf);
	memset(g, 0, sizeof *g);
}

const struct gittag *gitrepo_tag(const struct gitrepo *g, const char *name)
{
	for (size_t i = 0; i < g->ntags; i++)
		if (strcmp(g->tags[i].name, name) == 0)
			return &g->tags[i];
	return NULL;
}

int gitrepo_commit(const struct gitrepo *g, const char *rev, char *out, size_t outsz, char *err,
                   size_t errsz)
{
	char spec[FILE_PATH_MAX];
	if (fmt(spec, sizeof spec, "%s^{commit}", rev) < 0)
		return errset(err, errsz, 1, "no such commit '%s'", rev);
	const char *const args[] = {"rev-parse", "--verify", "--quiet", "--end-of-options", spec, NULL};
	struct run r;
	int rc = git_run(g->gitdir, args, -1, &r, err, errsz);
	if (rc < 0)
		return -1;
	size_t n = r.out.len;
	while (n && r.out.p[n - 1] == '\n')
		n--;
	if (rc != 0 || !is_hex(r.out.p, n) || n >= outsz) {
		buf_free(&r.out);
		return errset(err, errsz, 1, "no such commit '%s'", rev);
	}
	memcpy(out, r.out.p, n);
	out[n] = '\0';
	buf_free(&r.out);
	return 0;
}

int gitrepo_merged(const struct gitrepo *g, const char *commit, char **buf, char *err, size_t errsz)
{
	const char *const args[] = {"for-each-ref", "--format=%(refname:strip=2)", "--merged", commit,
		"refs/tags/", NULL};
	return git_out(g->gitdir, args, -1, buf, NULL, err, errsz);
}

/* one line of ls-tree -r -l -z: "MODE TYPE OID SIZE\tPATH" */
static int tree_line(struct gitent *e, char *line)
{
	char *tab = strchr(line, '\t'), *mode = line, *type, *oid, *size;
	if (!tab)
		return -1;
	*tab = '\0';
	e->path = tab + 1;
	if (!(type = strchr(mode, ' ')) || (*type++ = '\0', !(oid = strchr(type, ' '))))
		return -1;
	*oid++ = '\0';
	if (!(size = strchr(oid, ' ')))
		return -1;
	*size++ = '\0';
	while (*size == ' ')
		size++;
	if (!is_hex(oid, strlen(oid)))
		return -1;
	memcpy(e->oid, oid, strlen(oid) + 1);
	e->size = *size == '-' ? -1 : strtoll(size, NULL, 10);
	e->kind = strcmp(type, "blob") != 0 ? GITENT_OTHER
	        : strcmp(mode, "120000") == 0 ? GITENT_LINK
	        : strcmp(mode, "100644") == 0 || strcmp(mode, "100755") == 0 ? GITENT_FILE : GITENT_OTHER;
	e->data = NULL;
	return 0;
}

/* the commit's committer time, as the go command reads it (git log %ct) */
static int commit_time(const struct gitrepo *g, struct gittree *t, char *err, size_t errsz)
{
	const char *const args[] = {"log", "-n1", "--format=%ct", t->commit, "--", NULL};
	char *out;
	if (git_out(g->gitdir, args, -1, &out, NULL, err, errsz) < 0)
		return -1;
	char *end;
	t->time = strtoll(out, &end, 10);
	int bad = end == out || (*end != '\n' && *end != '\0');
	free(out);
	return bad ? errset(err, errsz, -1, "git log printed no commit time for %s", t->commit) : 0;
}

int gitrepo_tree(const struct gitrepo *g, const char *commit, struct gittree *t, char *err, size_t errsz)
{
	memset(t, 0, sizeof *t);
	if (fmt(t->commit, sizeof t->commit, "%s", commit) < 0)
		return errset(err, errsz, -1, "bad commit '%s'", commit);
	if (commit_time(g, t, err, errsz) < 0)
		return -1;
	const char *const args[] = {"ls-tree", "-r", "-l", "-z", "--full-tree", commit, NULL};
	size_t len, cap = 0;
	if (git_out(g->gitdir, args, -1, &t->buf, &len, err, errsz) < 0)
		return -1;
	for (size_t off = 0; off < len;) {
		char *line = t->buf + off;
		size_t l = strlen(line);
		off += l + 1;
		if (t->n >= 4 * (size_t)MODZIP_MAX_FILES)
			return errset(err, errsz, -1, "too many files in the tree of %s", commit);
		if (grow(&t->e, &cap, t->n + 1, sizeof *t->e) < 0)
			return errset(err, errsz, -1, "out of memory");
		if (tree_line(&t->e[t->n], line) < 0)
			return errset(err, errsz, -1, "unexpected git ls-tree output for %s", commit);
		t->n++;
	}
	return 0;
}

void gitrepo_tree_free(struct gittree *t)
{
	free(t->e);
	free(t->buf);
	for (size_t i = 0; i < t->nblobs; i++)
		free(t->blobs[i]);
	free(t->blobs);
	memset(t, 0, sizeof *t);
}

struct gitent *gitrepo_find(const struct gittree *t, const char *path)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->e[i].path, path) == 0)
			return &t->e[i];
	return NULL;
}

/* cat-file --batch's answers "OID TYPE SIZE\nDATA\n", in the order asked */
static int batch_parse(struct gitent **v, size_t n, char *out, size_t len, char *err, size_t errsz)
{
	size_t off = 0;
	for (size_t i = 0; i < n; i++) {
		char *nl = memchr(out + off, '\n', len - off);
		if (!nl)
			return errset(err, errsz, -1, "git cat-file: short output");
		*nl = '\0';
		char *sp = strrchr(out + off, ' ');
		long long sz = sp ? strtoll(sp + 1, NULL, 10) : -1;
		if (sz != v[i]->size || (size_t)(nl + 1 - out) + (size_t)sz + 1 > len)
			return errset(err, errsz, -1, "git cat-file: unexpected answer for %s: '%.100s'",
			              v[i]->path, out + off);
		v[i]->data = nl + 1;
		off = (size_t)(nl + 1 - out) + (size_t)sz + 1;
	}
	return 0;
}

int gitrepo_read(const struct gitrepo *g, struct gittree *t, struct gitent **v, size_t n, char *err,
                 size_t errsz)
{
	if (n == 0)
		return 0;
	/* the names asked go in through an unlinked temp file: no pipe to
	 * fill both ways */
	const char *td = getenv("TMPDIR");
	char tmp[FILE_PATH_MAX];
	if (fmt(tmp, sizeof tmp, "%s/goreg-git.XXXXXX", td && *td ? td : "/tmp") < 0)
		return errset(err, errsz, -1, "TMPDIR too long");
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return errset(err, errsz, -1, "unable to create a temporary file '%s': %s", tmp, strerror(errno));
	unlink(tmp);
	struct buf names = {0};
	for (size_t i = 0; i < n; i++)
		if (buf_printf(&names, "%s\n", v[i]->oid) < 0) {
			buf_free(&names);
			close(fd);
			return errset(err, errsz, -1, "out of memory");
		}
	int rc = write_all(fd, names.p, names.len) < 0 || lseek(fd, 0, SEEK_SET) < 0 ? -1 : 0;
	buf_free(&names);
	if (rc < 0) {
		close(fd);
		return errset(err, errsz, -1, "unable to write '%s': %s", tmp, strerror(errno));
	}
	static const char *const args[] = {"cat-file", "--batch", NULL};
	char *out;
	size_t len;
	rc = git_out(g->gitdir, args, fd, &out, &len, err, errsz);
	close(fd);
	if (rc < 0)
		return -1;
	if (grow(&t->blobs, &(size_t){t->nblobs}, t->nblobs + 1, sizeof *t->blobs) < 0) {
		free(out);
		return errset(err, errsz, -1, "out of memory");
	}
	t->blobs[t->nblobs++] = out;
	return batch_parse(v, n, out, len, err, errsz);
}
