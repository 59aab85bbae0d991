/* Module zip validation (go.dev/ref/mod#zip-files): the checks the go
 * command makes on a module zip it downloads, so that goreg refuses what
 * `go mod download` would refuse and records the same h1: sums.  Sources:
 * golang.org/x/mod/zip checkZip and Unzip (names, sizes, declared vs actual
 * sizes), archive/zip (only methods store and deflate, CRC-32),
 * cmd/go/internal/modfetch (Hash1 over every entry through
 * dirhash.HashZip, the go.mod it synthesizes, +incompatible rules) and
 * golang.org/x/mod/modfile (the module directive).
 *
 * One reader looks at the archive, and reads it as archive/zip does:
 * zipcdir.c finds the entries (names byte for byte, the data where the go
 * command reads it) and refuses an archive another reader could read
 * otherwise; zipdata.c decompresses each entry with CRC checks.  Entry
 * data is streamed through a fixed buffer, never held whole, except go.mod
 * (at most MODZIP_MAX_GOMOD bytes).  The other pieces: fold.c (case-fold
 * collisions), gomod.c (go.mod), utf8.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gomod/dirhash.h"
#include "gomod/fold.h"
#include "gomod/gomod.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "gomod/semver.h"
#include "base/sha256.h"
#include "base/utf8.h"
#include "base/util.h"
#include "gomod/zipcdir.h"
#include "gomod/zipdata.h"

/* ---- name rules -------------------------------------------------------- */

/* Whether path.Clean(p) == p in Go: no empty, "." or trailing elements,
 * ".." only as leading elements of a relative path. */
static int path_is_clean(const char *p, size_t n)
{
	size_t i, start;
	int rooted, named = 0;

	if (n == 0)
		return 0;
	if (n == 1 && (p[0] == '.' || p[0] == '/'))
		return 1;
	if (p[n - 1] == '/')
		return 0;
	rooted = p[0] == '/';
	for (i = rooted; i <= n; i++) {
		for (start = i; i < n && p[i] != '/'; i++)
			;
		if (i == start)
			return 0;
		if (i - start == 1 && p[start] == '.')
			return 0;
		if (i - start == 2 && p[start] == '.' && p[start + 1] == '.') {
			if (rooted || named)
				return 0;
		} else {
			named = 1;
		}
	}
	return 1;
}

/* ---- the checks ---------------------------------------------------------- */

/* the current entry's name, quoted for a message (only on failure) */
#define QN utf8_quote(e->name, e->namelen, q, sizeof q)

/* module.CanonicalVersion: semver.Canonical, keeping "+incompatible". */
static int canonical_version(const char *v, char *out, size_t outsz)
{
	if (semver_canonical(v, out, outsz) != 0)
		return -1;
	if (semver_is_incompatible(v)) {
		if (strlen(out) + sizeof "+incompatible" > outsz)
			return -1;
		strcat(out, "+incompatible");
	}
	return 0;
}

/* s equals lower (all lowercase ASCII) ignoring ASCII case; unlike
 * strcasecmp, whatever the locale */
static int ascii_eq_fold(const char *s, const char *lower)
{
	for (; *s && *lower; s++, lower++)
		if ((*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s) != *lower)
			return 0;
	return *s == *lower;
}

/* x/mod/zip checkZip: the version must be canonical, then module.Check;
 * name is what the message quotes for an invalid module. */
static int check_module_version(const struct modzip_info *mi, const char *name, size_t namelen,
                                char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX], canon[VERSION_MAX + 32];
	const char *why;
	char hint[VERSION_MAX + 40];
	if (!semver_valid(mi->version))
		return errset(err, errsz, 1, "version %s: not a semantic version%s",
		            utf8_quote(mi->version, strlen(mi->version), q, sizeof q),
		            semver_v_hint(mi->version, hint, sizeof hint));
	if (canonical_version(mi->version, canon, sizeof canon) != 0 || strcmp(canon, mi->version) != 0)
		return errset(err, errsz, 1, "version %s is not canonical (should be \"%s\")",
		            utf8_quote(mi->version, strlen(mi->version), q, sizeof q), canon);
	if ((why = modpath_check_module(mi->module, mi->version)) != NULL)
		return errset(err, errsz, 1, "invalid module %s: %s", utf8_quote(name, namelen, q, sizeof q), why);
	return 0;
}

/* Module path and version from the first entry, "<module>@<version>/...".
 * The first '@' splits them (module.CheckPath allows no '@' in a path),
 * the first '/' after it ends the version. */
static int module_of(const struct zent *e0, struct modzip_info *mi, char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX];
	const char *at, *slash;

	at = memchr(e0->name, '@', e0->namelen);
	slash = at ? memchr(at, '/', e0->namelen - (size_t)(at - e0->name)) : NULL;
	if (at == NULL || slash == NULL || at == e0->name || slash == at + 1)
		return errset(err, errsz, 1, "%s: first entry is not under a module@version/ prefix "
		            "(make the zip with goreg-pack, not zip -r)",
		            utf8_quote(e0->name, e0->namelen, q, sizeof q));
	if ((size_t)(at - e0->name) > MODPATH_MAX || (size_t)(slash - at - 1) > VERSION_MAX)
		return errset(err, errsz, 1, "%s: module path or version too long",
		            utf8_quote(e0->name, e0->namelen, q, sizeof q));
	memcpy(mi->module, e0->name, (size_t)(at - e0->name));
	mi->module[at - e0->name] = '\0';
	memcpy(mi->version, at + 1, (size_t)(slash - at - 1));
	mi->version[slash - at - 1] = '\0';
	return check_module_version(mi, e0->name, (size_t)(slash - e0->name), err, errsz);
}

/* The version the uploader names: checked as the entries' prefix would
 * be, and equal to it when there are entries. */
static int module_wanted(const struct zents *z, const struct modzip_want *want, struct modzip_info *mi,
                         char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX], q2[2 * QUOTE_MAX], hint[VERSION_MAX + 40];
	if (z->n == 0) {
		if (strlen(want->module) > MODPATH_MAX || strlen(want->version) > VERSION_MAX)
			return errset(err, errsz, 1, "module path or version too long");
		strcpy(mi->module, want->module);
		strcpy(mi->version, want->version);
		return check_module_version(mi, want->module, strlen(want->module), err, errsz);
	}
	if (strcmp(mi->module, want->module) != 0 || strcmp(mi->version, want->version) != 0)
		return errset(err, errsz, 1, "the zip holds %s@%s, not %s@%s%s",
		            utf8_quote(mi->module, strlen(mi->module), q, sizeof q), mi->version,
		            utf8_quote(want->module, strlen(want->module), q2, sizeof q2), want->version,
		            semver_v_hint(want->version, hint, sizeof hint));
	return 0;
}

/* What the zip format lets archive/zip read as the go command does, and
 * the module@version/ prefix (x/mod/zip checkZip). */
static int entry_format(const struct zent *e, const char *prefix, size_t plen, char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX];
	uint32_t type = e->made_by >> 8 == ZC_OS_UNIX || e->made_by >> 8 == ZC_OS_MACOSX
	                ? (e->xattr >> 16) & ZC_IFMT : 0;

	if (memchr(e->name, '\0', e->namelen) != NULL)
		return errset(err, errsz, 1, "%s: nul byte in file name", QN);
	if (e->flags & (ZC_FLAG_ENCRYPTED | ZC_FLAG_STRONG_ENCRYPT | ZC_FLAG_CDIR_ENCRYPTED))
		return errset(err, errsz, 1, "%s: encrypted entries are not allowed", QN);
	if (e->method != ZC_METHOD_STORE && e->method != ZC_METHOD_DEFLATE)
		return errset(err, errsz, 1, "%s: compression method %u not allowed (only store and deflate)",
		              QN, e->method);
	if (e->upath)
		return errset(err, errsz, 1, "%s: unicode path extra field not allowed (readers disagree on the name)", QN);
	if (e->namelen < plen || memcmp(e->name, prefix, plen) != 0)
		return errset(err, errsz, 1, "%s: path does not have prefix \"%s\"", QN, prefix);
	/* "Symbolic links and other irregular files are not allowed" (x/mod/zip
	 * package doc).  checkZip never looks at modes, so the go command would
	 * unpack a link as a file holding its target; goreg refuses such zips
	 * rather than serve them. */
	if (type == ZC_IFLNK)
		return errset(err, errsz, 1, "%s: symbolic link", QN);
	if (type != 0 && type != (e->is_dir ? ZC_IFDIR : ZC_IFREG))
		return errset(err, errsz, 1, "%s: not a regular file or directory", QN);
	/* archive/zip's File.Open (since after Go 1.19) fails on a directory
	 * entry with a nonzero size; Go 1.19 hashed its data */
	if (e->is_dir && e->usize != 0)
		return errset(err, errsz, 1, "%s: directory entry has data", QN);
	return 0;
}

/* The name below the prefix (name, nlen: without a directory's trailing
 * '/'): clean, a valid file path, no case-fold collision with another
 * (x/mod/zip checkZip).  *tmp becomes a NUL-terminated copy. */
static int entry_path(const struct zent *e, const char *name, size_t nlen, struct foldset *ct, char **tmp,
                      char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX], why[4 * QUOTE_MAX + 64];
	const char *fwhy;
	int rc;

	free(*tmp);
	if ((*tmp = malloc(nlen + 1)) == NULL)
		return errset(err, errsz, -1, "out of memory");
	memcpy(*tmp, name, nlen);
	(*tmp)[nlen] = '\0';
	if (!path_is_clean(*tmp, nlen))
		return errset(err, errsz, 1, "%s: file path is not clean", QN);
	if ((fwhy = modpath_check_file(*tmp)) != NULL)
		return errset(err, errsz, 1, "%s: malformed file path: %s", QN, fwhy);
	if ((rc = foldset_check(ct, name, nlen, e->is_dir, e->is_dir, why, sizeof why)) < 0)
		return errset(err, errsz, -1, "out of memory");
	if (rc > 0)
		return errset(err, errsz, 1, "%s: %s", QN, why);
	return 0;
}

/* A file (path below the prefix): go.mod only at the root and in
 * lowercase, then the size limits of x/mod/zip.  *is_gomod: it is the
 * module's go.mod. */
static int entry_file(const struct zent *e, const char *path, uint64_t *total, int *is_gomod,
                      char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX];
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	*is_gomod = 0;
	/* strings.EqualFold(base, "go.mod"): no non-ASCII rune folds to g, o,
	 * m, d or '.', so an ASCII comparison is exact */
	if (ascii_eq_fold(base, "go.mod")) {
		if (base != path)
			return errset(err, errsz, 1, "%s: go.mod file not in module root directory", QN);
		if (strcmp(path, "go.mod") != 0)
			return errset(err, errsz, 1, "%s: go.mod files must have lowercase names", QN);
		*is_gomod = 1;
	}
	if (e->usize > (uint64_t)MODZIP_MAX_UNZIPPED - *total)
		return errset(err, errsz, 1, "total uncompressed size of module contents too large "
		              "(max size is %lld bytes)", (long long)MODZIP_MAX_UNZIPPED);
	*total += e->usize;
	if (*is_gomod && e->usize > (uint64_t)MODZIP_MAX_GOMOD)
		return errset(err, errsz, 1, "%s: go.mod file too large (max size is %lld bytes)",
		              QN, (long long)MODZIP_MAX_GOMOD);
	if (strcmp(path, "LICENSE") == 0 && e->usize > (uint64_t)MODZIP_MAX_LICENSE)
		return errset(err, errsz, 1, "%s: LICENSE file too large (max size is %lld bytes)",
		              QN, (long long)MODZIP_MAX_LICENSE);
	return 0;
}

/* The module and version: from the first entry, from the uploader, or
 * both and equal.  Writes "<module>@<version>/" into prefix. */
static int names_module(const struct zents *z, const struct modzip_want *want, struct modzip_info *mi,
                        char *prefix, size_t prefixsz, char *err, size_t errsz)
{
	int named = want && want->module && want->version, rc;

	if (z->n == 0 && !named)
		return errset(err, errsz, 1, "zip has no entries, so no module@version/ prefix "
		              "(name the version: upload?module=M&version=V)");
	if (z->n && (rc = module_of(&z->e[0], mi, err, errsz)) != 0)
		return rc;
	if (named && (rc = module_wanted(z, want, mi, err, errsz)) != 0)
		return rc;
	snprintf(prefix, prefixsz, "%s@%s/", mi->module, mi->version);
	return 0;
}

/* Per-entry rules of x/mod/zip checkZip, in its order, plus what the zip
 * format allows archive/zip to read (go.dev/ref/mod#zip-files).  Sets
 * *gomod to the index of "<prefix>go.mod" or -1. */
static int check_names(struct zents *z, const struct modzip_want *want, struct modzip_info *mi, long *gomod,
                       char *err, size_t errsz)
{
	char prefix[MODPATH_MAX + VERSION_MAX + 3], q[2 * QUOTE_MAX];
	struct foldset ct = { NULL, 0, 0 };
	size_t plen, i;
	uint64_t total = 0;
	char *tmp = NULL;
	int rc, root_seen = 0, is_gomod;

	*gomod = -1;
	if ((rc = names_module(z, want, mi, prefix, sizeof prefix, err, errsz)) != 0)
		return rc;
	plen = strlen(prefix);
	for (i = 0; i < z->n && rc == 0; i++) {
		struct zent *e = &z->e[i];
		size_t nlen = e->namelen - plen;

		if ((rc = entry_format(e, prefix, plen, err, errsz)) != 0)
			break;
		if (nlen == 0) {        /* the "<module>@<version>/" entry itself */
			if (root_seen++)
				rc = errset(err, errsz, 1, "%s: multiple entries for the module root", QN);
			continue;
		}
		rc = entry_path(e, e->name + plen, nlen - e->is_dir, &ct, &tmp, err, errsz);
		if (rc != 0 || e->is_dir)
			continue;
		mi->nfiles++;
		if ((rc = entry_file(e, tmp, &total, &is_gomod, err, errsz)) == 0 && is_gomod)
			*gomod = (long)i;
	}
	mi->unzipped = total;
	free(tmp);
	foldset_free(&ct);
	return rc;
}

/* ---- the data ------------------------------------------------------------ */

/* The whole file's SHA-256 when asked for (modzip_want.file_sha256): the
 * file read once more in order, hashed together with the entries' data
 * as it comes (sha256_update2), the rest at the end. */
struct follow {
	int fd;
	uint64_t at, size;      /* the next offset to read; the file's size */
	unsigned char *buf;
	size_t off, len;        /* read, not yet hashed: buf[off, len) */
	int rc;                 /* a failed read's zipcdir_read_at result */
	struct sha256 st;
};

#define FOLLOW_BUF (256 * 1024)

/* how many bytes of the file are read and not hashed, reading on */
static size_t follow_avail(struct follow *f)
{
	if (f->off == f->len && f->rc == 0 && f->at < f->size) {
		size_t n = f->size - f->at < FOLLOW_BUF ? (size_t)(f->size - f->at) : FOLLOW_BUF;
		if ((f->rc = zipcdir_read_at(f->fd, f->buf, n, f->at)) != 0)
			return 0;
		f->at += n;
		f->off = 0;
		f->len = n;
	}
	return f->len - f->off;
}

/* One entry's data on its way through: its SHA-256, and go.mod kept. */
struct piece {
	struct sha256 st;
	unsigned char *keep;    /* NULL, or room for the declared size */
	size_t kept;
	struct follow *file;    /* NULL, or the whole file's hash */
};

static void take(void *ctx, const unsigned char *p, size_t n)
{
	struct piece *pc = ctx;
	size_t k;

	if (pc->keep != NULL) {
		memcpy(pc->keep + pc->kept, p, n);
		pc->kept += n;
	}
	for (; pc->file && n > 0 && (k = follow_avail(pc->file)) > 0; p += k, n -= k) {
		if (k > n)
			k = n;
		sha256_update2(&pc->st, p, &pc->file->st, pc->file->buf + pc->file->off, k);
		pc->file->off += k;
	}
	sha256_update(&pc->st, p, n);
}

/* Read every entry as HashZip and Unzip do (zipdata.c: archive/zip's
 * File.Open): hash each with SHA-256, keep go.mod. */
static int read_entries(int fd, uint64_t size, struct zents *z, long gomod, struct follow *file,
                        struct modzip_info *mi, char *err, size_t errsz)
{
	struct zipdata *zd = zipdata_new(fd, size);
	size_t i;
	int rc = 0;

	if (zd == NULL)
		return errset(err, errsz, -1, "out of memory");
	for (i = 0; i < z->n && rc == 0; i++) {
		struct zent *e = &z->e[i];
		struct piece pc = { .keep = NULL, .kept = 0, .file = file };

		/* zipdata.c hands on no more than the declared size, which
		 * check_names held to MODZIP_MAX_GOMOD for go.mod */
		if ((long)i == gomod && (mi->gomod = malloc(e->usize ? (size_t)e->usize : 1)) == NULL) {
			rc = errset(err, errsz, -1, "out of memory");
			break;
		}
		if ((long)i == gomod)
			pc.keep = (unsigned char *)mi->gomod;
		sha256_init(&pc.st);
		rc = zipdata_read(zd, e, take, &pc, err, errsz);
		sha256_final(&pc.st, e->sha256);
		if ((long)i == gomod)
			mi->gomod_len = pc.kept;
	}
	zipdata_free(zd);
	return rc;
}

/* the whole file's hash: what the entries left */
static int follow_end(struct follow *f, struct modzip_info *mi, char *err, size_t errsz)
{
	size_t n;

	while ((n = follow_avail(f)) > 0) {
		sha256_update(&f->st, f->buf + f->off, n);
		f->off += n;
	}
	if (f->rc != 0)
		return f->rc < 0 ? errset(err, errsz, -1, "read error: %s", strerror(errno))
		                 : errset(err, errsz, 1, "not a valid zip file: file shrank while read");
	sha256_final(&f->st, mi->file_sha256);
	return 0;
}

/* ---- the whole zip --------------------------------------------------------- */

/* Open zippath: a regular file no larger than x/mod/zip's MaxZipFile. */
/* The zip open as fd: a regular file within x/mod/zip's MaxZipFile. */
static int zip_size(int fd, const char *zippath, uint64_t *size, char *err, size_t errsz)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return errset(err, errsz, -1, "unable to stat '%s': %s", zippath, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return errset(err, errsz, 1, "not a valid zip file: not a regular file");
	if (sb.st_size > MODZIP_MAX_ZIP)
		return errset(err, errsz, 1, "module zip file is too large (%lld bytes; limit is %lld bytes)",
		            (long long)sb.st_size, (long long)MODZIP_MAX_ZIP);
	*size = (uint64_t)sb.st_size;
	return 0;
}

/* cmd/go hashes the zip with dirhash.HashZip: every entry, directories and
 * the root entry too, under its full name. */
static int hash_zip(const struct zents *z, struct modzip_info *mi, char *err, size_t errsz)
{
	struct dirhash_file *df;
	size_t i;
	int rc = 0;

	if ((df = malloc((z->n ? z->n : 1) * sizeof df[0])) == NULL)
		return errset(err, errsz, -1, "out of memory");
	for (i = 0; i < z->n; i++) {
		df[i].name = z->e[i].name;
		memcpy(df[i].sha256, z->e[i].sha256, 32);
	}
	if (dirhash_h1(df, z->n, mi->h1_zip) != 0)
		rc = errset(err, errsz, 1, "file name with a newline");
	free(df);
	return rc;
}

static void sha_sink(void *ctx, const unsigned char *p, size_t n)
{
	sha256_update(ctx, p, n);
}

int modzip_hash(const char *zippath, char out[H1_LEN + 1], char *err, size_t errsz)
{
	int fd = open(zippath, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errset(err, errsz, -1, "unable to open '%s': %s", zippath, strerror(errno));
	uint64_t size = 0;
	struct zents z = {NULL, 0};
	struct zipdata *zd = NULL;
	int rc = zip_size(fd, zippath, &size, err, errsz);
	if (rc == 0)
		rc = zipcdir_read(fd, size, &z, err, errsz);
	if (rc == 0 && !(zd = zipdata_new(fd, size)))
		rc = errset(err, errsz, -1, "out of memory");
	for (size_t i = 0; rc == 0 && i < z.n; i++) {
		struct sha256 st;
		sha256_init(&st);
		rc = zipdata_read(zd, &z.e[i], sha_sink, &st, err, errsz);
		sha256_final(&st, z.e[i].sha256);
	}
	zipdata_free(zd);
	struct modzip_info mi;
	memset(&mi, 0, sizeof mi);
	if (rc == 0 && (rc = hash_zip(&z, &mi, err, errsz)) == 0)
		memcpy(out, mi.h1_zip, H1_LEN + 1);
	zipcdir_free(&z);
	close(fd);
	return rc;
}

/* The go.mod's module directive names the module (modload goModSummary:
 * "module declares its path as"), but a renamed module's last version
 * does so on purpose; without a go.mod, the one cmd/go synthesizes. */
static int check_gomod(const struct zents *z, long gomod, const struct modzip_want *want,
                       struct modzip_info *mi, char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX], q2[2 * QUOTE_MAX], *path;
	int rc = 0;

	if (gomod < 0) {
		if ((mi->gomod = gomod_legacy(mi->module, &mi->gomod_len)) == NULL)
			return errset(err, errsz, -1, "out of memory");
		mi->gomod_synth = 1;
		return 0;
	}
	if ((path = malloc(mi->gomod_len + 1)) == NULL)
		return errset(err, errsz, -1, "out of memory");
	if (gomod_module_path(mi->gomod, mi->gomod_len, path, mi->gomod_len + 1) != 0)
		rc = errset(err, errsz, 1, "%s: go.mod has no valid module directive",
		            utf8_quote(z->e[gomod].name, z->e[gomod].namelen, q, sizeof q));
	else if (strcmp(path, mi->module) != 0 && !(want && want->renamed))
		rc = errset(err, errsz, 1, "go.mod says module %s, zip is for %s "
		            "(the last version of a renamed module: upload with renamed=1)",
		            utf8_quote(path, strlen(path), q, sizeof q),
		            utf8_quote(mi->module, strlen(mi->module), q2, sizeof q2));
	free(path);
	return rc;
}

/* cmd/go/internal/modfetch/coderepo.go checkCanonical: the go command
 * never makes a +incompatible version whose major version the path allows
 * ("+incompatible suffix not allowed: major version vN is compatible"),
 * nor one for a module with a go.mod ("module contains a go.mod file, so
 * module path must match major version"). */
static int check_incompatible(const struct modzip_info *mi, char *err, size_t errsz)
{
	char base[VERSION_MAX + 1], major[VERSION_MAX + 1];
	size_t blen = strlen(mi->version) - strlen("+incompatible"), prefixlen;
	const char *pmajor;

	if (!semver_is_incompatible(mi->version))
		return 0;
	memcpy(base, mi->version, blen);
	base[blen] = '\0';
	modpath_split_major(mi->module, &prefixlen, &pmajor);
	if (modpath_check_major(base, pmajor) == NULL) {
		semver_major(base, major, sizeof major);
		return errset(err, errsz, 1, "version %s: +incompatible suffix not allowed: "
		              "major version %s is compatible", mi->version, major);
	}
	if (!mi->gomod_synth)
		return errset(err, errsz, 1, "version %s: module contains a go.mod file, "
		              "so module path must match major version", mi->version);
	return 0;
}

int modzip_check(const char *zippath, struct modzip_info *mi, char *err, size_t errsz)
{
	return modzip_check_as(zippath, NULL, mi, err, errsz);
}

int modzip_check_as(const char *zippath, const struct modzip_want *want, struct modzip_info *mi,
                    char *err, size_t errsz)
{
	/* O_NONBLOCK: a FIFO put in the zip's place does not hang the open;
	 * zip_size then refuses it as not a regular file */
	int fd = open(zippath, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	memset(mi, 0, sizeof *mi);
	if (fd < 0)
		return errset(err, errsz, -1, "unable to open '%s': %s", zippath, strerror(errno));
	int rc = modzip_check_fd(fd, zippath, want, mi, err, errsz);
	close(fd);
	return rc;
}

int modzip_check_fd(int fd, const char *zippath, const struct modzip_want *want, struct modzip_info *mi,
                    char *err, size_t errsz)
{
	struct zents z = { NULL, 0 };
	struct follow file = { .fd = fd };
	uint64_t size = 0;
	long gomod = -1;
	int rc;

	memset(mi, 0, sizeof *mi);
	if (errsz > 0)
		err[0] = '\0';
	rc = zip_size(fd, zippath, &size, err, errsz);
	if (rc == 0)
		rc = zipcdir_read(fd, size, &z, err, errsz);
	if (rc == 0)
		rc = check_names(&z, want, mi, &gomod, err, errsz);
	if (rc == 0 && want && want->file_sha256 && (file.buf = malloc(FOLLOW_BUF)) == NULL)
		rc = errset(err, errsz, -1, "out of memory");
	sha256_init(&file.st);
	file.size = size;
	if (rc == 0)
		rc = read_entries(fd, size, &z, gomod, file.buf ? &file : NULL, mi, err, errsz);
	if (rc == 0 && file.buf)
		rc = follow_end(&file, mi, err, errsz);
	free(file.buf);
	if (rc == 0)
		rc = hash_zip(&z, mi, err, errsz);
	if (rc == 0)
		rc = check_gomod(&z, gomod, want, mi, err, errsz);
	if (rc == 0)
		rc = check_incompatible(mi, err, errsz);
	if (rc == 0)
		dirhash_h1_gomod(mi->gomod, mi->gomod_len, mi->h1_mod);
	zipcdir_free(&z);
	if (rc != 0)
		modzip_info_free(mi);
	return rc;
}

void modzip_info_free(struct modzip_info *mi)
{
	free(mi->gomod);
	mi->gomod = NULL;
	mi->gomod_len = 0;
}
