/* Module zip creation from a directory: golang.org/x/mod/zip CreateFromDir
 * (zip/zip.go: listFilesInDir, checkFiles, Create), written anew for goreg.
 * The rules cited below are that file's, and go.dev/ref/mod#zip-files. */
#include "gomod/modpack.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "gomod/fold.h"
#include "base/limits.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "base/util.h"

#define QMAX 200        /* bytes of a path quoted in a message */

struct file {
	char *rel;      /* slash-separated path below dir, as in the zip */
	int64_t size;   /* the walk's: what the checks counted */
	dev_t dev;      /* the walk's, to know the file read is the one */
	ino_t ino;      /* the checks were made on */
	const void *data;       /* from a list (modpack_create_list): the bytes */
	int irregular;          /* from a list: a symbolic link or the like */
	int valid;
};

struct pack {
	const char *module, *version;
	char *root;     /* dir without trailing slashes */
	int rootfd;     /* dir, open: everything below is opened from it */
	struct file *f;
	size_t n, cap;
	size_t nvalid;
	char *err;
	size_t errsz;
	zip_error_t zerr;               /* a file source's error, for libzip */
	char readerr[2 * QMAX + 200];   /* and for the user: the first one */
};

/* 'p', shortened to QMAX bytes, for one-line messages */
static const char *quoted(const char *p, size_t n, char *buf, size_t bufsz)
{
	if (n > QMAX)
		snprintf(buf, bufsz, "'%.*s...'", QMAX, p);
	else
		snprintf(buf, bufsz, "'%.*s'", (int)n, p);
	return buf;
}

static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 2);

	if (s == NULL)
		return NULL;
	memcpy(s, a, la);
	s[la] = '/';
	memcpy(s + la + 1, b, lb + 1);
	return s;
}

int modpack_is_vendored(const char *p)
{
	size_t i;

	if (strncmp(p, "vendor/", 7) == 0)
		i = 7;
	else if (strstr(p, "/vendor/") != NULL)
		/* x/mod keeps the offset that should be j+8 at 8: changing it
		 * would change module checksums (golang.org/issue/31562) */
		i = 8;
	else
		return 0;
	return strchr(p + i, '/') != NULL;
}

static int add_file(struct pack *pk, char *rel, const struct stat *st)
{
	char *err = pk->err;
	size_t errsz = pk->errsz;

	/* a memory bound: the limit proper applies to the files kept */
	if (pk->n >= 2 * (size_t)MODZIP_MAX_FILES)
		return ERR(1, "too many files in '%s' (max %d in a module)", pk->root, MODZIP_MAX_FILES);
	if (grow(&pk->f, &pk->cap, pk->n + 1, sizeof *pk->f) < 0)
		return ERR(-1, "out of memory");
	pk->f[pk->n] = (struct file){
		.rel = rel, .size = (int64_t)st->st_size, .dev = st->st_dev, .ino = st->st_ino,
	};
	pk->n++;
	return 0;
}

/* One entry of a directory the walk reads, open as dfd: skipped, walked
 * into, or a file added. */
static int walk_entry(struct pack *pk, int dfd, const char *name, char *crel);

/* listFilesInDir: what filepath.Walk(dir) hands on to checkFiles, for the
 * directory open as dfd, at rel below dir ("" for the root, which is
 * never skipped).  Each directory is opened from its parent's descriptor
 * without following a link, so a directory swapped for a link while the
 * walk runs is not walked into. */
static int walk(struct pack *pk, int dfd, const char *rel)
{
	char *err = pk->err;
	size_t errsz = pk->errsz, nv;
	/* sorted by name, byte order, as filepath.Walk reads each directory */
	char **v = dir_names_at(dfd, &nv);
	int rc = 0;

	if (v == NULL)
		return ERR(-1, "unable to read directory '%s%s%s': %s", pk->root, *rel ? "/" : "", rel,
		           strerror(errno));
	for (size_t i = 0; i < nv && rc == 0; i++) {
		char *crel = *rel ? join(rel, v[i]) : strdup(v[i]);
		if (crel == NULL)
			rc = ERR(-1, "out of memory");
		else
			rc = walk_entry(pk, dfd, v[i], crel);
	}
	strv_free(v, nv);
	return rc;
}

static int walk_entry(struct pack *pk, int dfd, const char *name, char *crel)
{
	char *err = pk->err;
	size_t errsz = pk->errsz;
	struct stat st, gst;
	int rc = 0, cfd;

	/* Walk uses Lstat: a symbolic link is never followed */
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		rc = ERR(-1, "unable to stat '%s/%s': %s", pk->root, crel, strerror(errno));
	} else if (modpack_is_vendored(crel)) {
		/* files of vendored packages are omitted; every path below
		 * a vendored one is vendored too, so skip the subtree */
	} else if (S_ISDIR(st.st_mode)) {
		/* VCS directories at any depth ("fossil repos are regular
		 * files with arbitrary names", so not those) */
		if (strcmp(name, ".bzr") == 0 || strcmp(name, ".git") == 0 ||
		    strcmp(name, ".hg") == 0 || strcmp(name, ".svn") == 0) {
			/* omitted */
		} else if ((cfd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_NONBLOCK |
		                                    O_CLOEXEC)) < 0) {
			rc = ERR(-1, "unable to open directory '%s/%s': %s", pk->root, crel, strerror(errno));
		} else {
			/* a directory with its own go.mod is another module */
			if (fstatat(cfd, "go.mod", &gst, AT_SYMLINK_NOFOLLOW) != 0 || S_ISDIR(gst.st_mode))
				rc = walk(pk, cfd, crel);
			close(cfd);
		}
	} else if (S_ISREG(st.st_mode)) {
		/* irregular files (symbolic links mostly) are omitted */
		if ((rc = add_file(pk, crel, &st)) == 0)
			crel = NULL;
	}
	free(crel);
	return rc;
}

/* checkFiles: mark the files that go in, refuse as Create would.  As in
 * x/mod, a size error outranks an invalid file, and of the invalid files
 * the first in walk order is reported. */
static int check_files(struct pack *pk)
{
	char *err = pk->err, q[QMAX + 8], why[2 * QMAX + 100], first[3 * QMAX + 200] = "";
	size_t errsz = pk->errsz, i, j, ngm = 0;
	/* collisionChecker, with the Unicode simple folding upload uses */
	struct foldset ct = { NULL, 0, 0 };
	int64_t left = MODZIP_MAX_UNZIPPED;
	struct { const char *p; size_t len; } *gm = NULL;
	int rc = 0, too_big = 0;

	/* haveGoMod: a directory holding a go.mod in any letter case is
	 * another module, also when the walk did not skip it ("sub/GO.MOD") */
	for (i = 0; i < pk->n; i++) {
		const char *b = strrchr(pk->f[i].rel, '/');
		if (b && strcasecmp(b + 1, "go.mod") == 0 && !pk->f[i].irregular)
			ngm++;
	}
	if (ngm && (gm = malloc(ngm * sizeof *gm)) == NULL)
		return ERR(-1, "out of memory");
	for (i = 0, ngm = 0; i < pk->n; i++) {
		const char *b = strrchr(pk->f[i].rel, '/');
		if (b && strcasecmp(b + 1, "go.mod") == 0 && !pk->f[i].irregular) {
			gm[ngm].p = pk->f[i].rel;
			gm[ngm++].len = (size_t)(b - pk->f[i].rel);
		}
	}

	pk->nvalid = 0;
	for (i = 0; i < pk->n; i++) {
		struct file *f = &pk->f[i];
		const char *p = f->rel, *fwhy;
		size_t plen = strlen(p);
		int omit = 0;

		/* isVendoredPackage (the walk skipped them already; a list
		 * has them), then inSubmodule: files in another module */
		omit = modpack_is_vendored(p);
		for (j = 0; j < ngm && !omit; j++)
			omit = plen > gm[j].len && p[gm[j].len] == '/' && memcmp(p, gm[j].p, gm[j].len) == 0;
		/* "inserted by 'hg archive' and is always omitted" */
		if (omit || strcmp(p, ".hg_archival.txt") == 0)
			continue;

		why[0] = '\0';
		if ((fwhy = modpath_check_file(p)) != NULL) {
			snprintf(why, sizeof why, "malformed file path: %s", fwhy);
		} else if (strcasecmp(p, "go.mod") == 0 && strcmp(p, "go.mod") != 0) {
			snprintf(why, sizeof why, "go.mod files must have lowercase names");
		} else if ((rc = foldset_check(&ct, p, plen, 0, 0, why, sizeof why)) < 0) {
			rc = ERR(-1, "out of memory");
			break;
		} else if (rc == 0 && f->irregular) {
			/* a symbolic link is omitted, after the path and collision
			 * checks (golang.org/issue/27093) */
			continue;
		} else if (rc == 0) {
			/* the total counts files refused below for their own size */
			if (f->size >= 0 && f->size <= left)
				left -= f->size;
			else
				too_big = 1;
			if (strcmp(p, "go.mod") == 0 && f->size > MODZIP_MAX_GOMOD)
				snprintf(why, sizeof why, "go.mod file too large (max size is %lld bytes)",
				         (long long)MODZIP_MAX_GOMOD);
			else if (strcmp(p, "LICENSE") == 0 && f->size > MODZIP_MAX_LICENSE)
				snprintf(why, sizeof why, "LICENSE file too large (max size is %lld bytes)",
				         (long long)MODZIP_MAX_LICENSE);
		}
		rc = 0;
		if (why[0] != '\0') {
			if (first[0] == '\0')
				snprintf(first, sizeof first, "invalid file %s: %s",
				         quoted(p, plen, q, sizeof q), why);
			continue;
		}
		f->valid = 1;
		pk->nvalid++;
	}
	free(gm);
	foldset_free(&ct);
	if (rc != 0)
		return rc;
	if (too_big)
		return ERR(1, "module source tree too large (max size is %lld bytes)",
		           (long long)MODZIP_MAX_UNZIPPED);
	if (first[0] != '\0')
		return ERR(1, "%s", first);
	if (pk->nvalid > MODZIP_MAX_FILES)
		return ERR(1, "too many files in '%s' (%zu, max %d in a module)",
		           pk->root, pk->nvalid, MODZIP_MAX_FILES);
	/* x/mod would write an empty zip; goreg's upload refuses one, and so
	 * does the go command's extraction of a module with no files at all */
	if (pk->nvalid == 0)
		return ERR(1, "no files to pack in '%s'", pk->root);
	return 0;
}

/* ---- reading the files: a libzip source per file ----------------------
 *
 * libzip reads the entries' data only in zip_close, one file after the
 * other.  Each file is opened then, once, from the root's descriptor
 * without following a symbolic link anywhere on its path, and O_NONBLOCK
 * (a FIFO fails at once instead of waiting for a writer); it must be the
 * regular file the walk saw (device, inode, size), and it is read from
 * that descriptor, never more than the walk's size (Create's
 * LimitedReader), streamed through libzip's buffer.  Else zip_close fails,
 * and pk->readerr names the file. */
struct src {
	struct pack *pk;
	const struct file *f;
	int fd;
	uint64_t left;
	const unsigned char *mem;       /* a listed file's bytes still to read */
};

/* The source's failure: the first reason kept for the user, the error
 * for libzip.  Always -1. */
static zip_int64_t src_fail(struct src *s, int ze, int sys, const char *why, int changed)
{
	struct pack *pk = s->pk;
	if (pk->readerr[0] == '\0')
		snprintf(pk->readerr, sizeof pk->readerr, "unable to read '%s/%s': %s%s", pk->root, s->f->rel, why,
		         changed ? " (the tree changed while packing)" : "");
	zip_error_set(&pk->zerr, ze, sys);
	return -1;
}

static zip_int64_t src_open(struct src *s)
{
	struct stat st;
	if (s->f->data || s->pk->rootfd < 0) {
		s->mem = s->f->data;
		s->left = (uint64_t)s->f->size;
		return 0;
	}
	if (s->fd >= 0)
		close(s->fd);
	s->fd = open_beneath(s->pk->rootfd, s->f->rel, O_RDONLY | O_NONBLOCK);
	if (s->fd < 0)
		return src_fail(s, ZIP_ER_OPEN, errno,
		                errno == ELOOP ? "a symbolic link, not followed" : strerror(errno),
		                errno == ELOOP || errno == ENOTDIR);
	if (fstat(s->fd, &st) != 0)
		return src_fail(s, ZIP_ER_OPEN, errno, strerror(errno), 0);
	if (!S_ISREG(st.st_mode))
		return src_fail(s, ZIP_ER_OPEN, EINVAL, "not a regular file", 1);
	if (st.st_dev != s->f->dev || st.st_ino != s->f->ino || (int64_t)st.st_size != s->f->size)
		return src_fail(s, ZIP_ER_OPEN, EINVAL, "replaced or resized since the walk", 1);
	s->left = (uint64_t)s->f->size;
	return 0;
}

static zip_int64_t src_read(struct src *s, void *data, zip_uint64_t len)
{
	size_t n = len < s->left ? (size_t)len : (size_t)s->left;
	ssize_t r;
	if (n == 0)
		return 0;
	if (s->mem) {
		memcpy(data, s->mem, n);
		s->mem += n;
		s->left -= n;
		return (zip_int64_t)n;
	}
	while ((r = read(s->fd, data, n)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return src_fail(s, ZIP_ER_READ, errno, strerror(errno), 0);
	if (r == 0)
		return src_fail(s, ZIP_ER_READ, EIO, "replaced or resized since the walk", 1);
	s->left -= (uint64_t)r;
	return r;
}

static zip_int64_t src_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd)
{
	struct src *s = ud;
	zip_stat_t *st;

	switch (cmd) {
	case ZIP_SOURCE_SUPPORTS:
		return ZIP_SOURCE_SUPPORTS_READABLE;
	case ZIP_SOURCE_OPEN:
		return src_open(s);
	case ZIP_SOURCE_READ:
		return src_read(s, data, len);
	case ZIP_SOURCE_CLOSE:
	case ZIP_SOURCE_FREE:
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		return 0;
	case ZIP_SOURCE_STAT:
		/* the size only: the entry's time and attributes are set below */
		if ((st = ZIP_SOURCE_GET_ARGS(zip_stat_t, data, len, &s->pk->zerr)) == NULL)
			return -1;
		zip_stat_init(st);
		st->size = (zip_uint64_t)s->f->size;
		st->valid |= ZIP_STAT_SIZE;
		return sizeof *st;
	case ZIP_SOURCE_ERROR:
		return zip_error_to_data(&s->pk->zerr, data, len);
	default:
		zip_error_set(&s->pk->zerr, ZIP_ER_OPNOTSUPP, 0);
		return -1;
	}
}

/* Create: the kept files into a new zip at path (an existing temp file,
 * replaced).  Entries are "<module>@<version>/<path>", deflated, in walk
 * order, without directory entries.  x/mod writes through archive/zip's
 * Writer.Create, which leaves the creator system MS-DOS with no attributes
 * (so do we) and the MS-DOS date and time zero.  Zero is no valid date
 * (month 0, day 0) and libzip turns it into one through the local time
 * zone, so we write the earliest valid date, 1980-01-01 00:00:00, which
 * comes through unchanged in every zone.  The go command ignores both. */
#define DOS_DATE_1980_01_01 ((0 << 9) | (1 << 5) | 1)
#define DOS_TIME_MIDNIGHT 0
static int add_entry(struct pack *pk, zip_t *za, struct src *s, const char *name)
{
	char *err = pk->err;
	size_t errsz = pk->errsz;
	zip_source_t *src;
	zip_int64_t idx;

	if ((src = zip_source_function(za, src_cb, s)) == NULL)
		return ERR(-1, "unable to add '%s/%s': %s", pk->root, s->f->rel, zip_strerror(za));
	if ((idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
		zip_source_free(src);
		return ERR(-1, "unable to add '%s/%s': %s", pk->root, s->f->rel, zip_strerror(za));
	}
	if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 0) != 0 ||
	    zip_file_set_dostime(za, (zip_uint64_t)idx, DOS_TIME_MIDNIGHT, DOS_DATE_1980_01_01, 0) != 0 ||
	    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_DOS, 0) != 0)
		return ERR(-1, "unable to add '%s/%s': %s", pk->root, s->f->rel, zip_strerror(za));
	return 0;
}

static int write_zip(struct pack *pk, const char *path)
{
	char *err = pk->err, *name = NULL;
	size_t errsz = pk->errsz, plen, cap = 0, ns = 0;
	struct src *srcs;
	zip_t *za;
	int ze, rc = 0;

	/* one source a file, alive until zip_close or zip_discard is done */
	if ((srcs = calloc(pk->nvalid ? pk->nvalid : 1, sizeof *srcs)) == NULL)
		return ERR(-1, "out of memory");
	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze)) == NULL) {
		zip_error_t e;
		zip_error_init_with_code(&e, ze);
		rc = ERR(-1, "unable to create zip '%s': %s", path, zip_error_strerror(&e));
		zip_error_fini(&e);
		free(srcs);
		return rc;
	}
	plen = strlen(pk->module) + 1 + strlen(pk->version) + 1;
	for (size_t i = 0; i < pk->n && rc == 0; i++) {
		const struct file *f = &pk->f[i];
		size_t need = plen + strlen(f->rel) + 1;

		if (!f->valid)
			continue;
		if (need > cap) {
			char *nn = realloc(name, need);
			if (nn == NULL) {
				rc = ERR(-1, "out of memory");
				break;
			}
			name = nn;
			cap = need;
		}
		snprintf(name, need, "%s@%s/%s", pk->module, pk->version, f->rel);
		srcs[ns] = (struct src){.pk = pk, .f = f, .fd = -1};
		rc = add_entry(pk, za, &srcs[ns++], name);
	}
	free(name);
	if (rc == 0 && zip_close(za) != 0) {
		if (pk->readerr[0])
			rc = ERR(-1, "%s", pk->readerr);
		else
			rc = ERR(-1, "unable to write zip '%s': %s", path, zip_strerror(za));
	} else if (rc == 0) {
		za = NULL;
	}
	if (za)
		zip_discard(za);
	free(srcs);
	return rc;
}

/* The finished zip against every rule goreg's upload applies (modzip.h),
 * go.mod's module directive and +incompatible among them: what goreg-pack
 * makes, upload accepts. */
static int gate(struct pack *pk, const char *path)
{
	char *err = pk->err, why[1024];
	size_t errsz = pk->errsz;
	struct modzip_info mi;
	int rc = modzip_check(path, &mi, why, sizeof why);

	if (rc == 0)
		modzip_info_free(&mi);
	else if (rc > 0)
		ERR(rc, "invalid module zip: %s", why);
	else
		ERR(rc, "%s", why);
	return rc;
}

static void pack_free(struct pack *pk)
{
	for (size_t i = 0; i < pk->n; i++)
		free(pk->f[i].rel);
	free(pk->f);
	free(pk->root);
	if (pk->rootfd >= 0)
		close(pk->rootfd);
	zip_error_fini(&pk->zerr);
}

/* The start of every pack: the fields, and Create's module check (the
 * version canonical, the path valid, the major agreeing). */
static int prepare_start(struct pack *pk, const char *module, const char *version, char *err, size_t errsz)
{
	const char *why;

	memset(pk, 0, sizeof *pk);
	pk->rootfd = -1;
	zip_error_init(&pk->zerr);
	pk->module = module;
	pk->version = version;
	pk->err = err;
	pk->errsz = errsz;
	if (errsz > 0)
		err[0] = '\0';
	if ((why = modpath_check_module(module, version)) != NULL)
		return ERR(1, "invalid module '%s@%s': %s", module, version, why);
	return 0;
}

/* Module check, walk and checkFiles: everything before a byte is written. */
static int prepare(struct pack *pk, const char *module, const char *version, const char *dir,
                   char *err, size_t errsz)
{
	size_t n;
	int rc = prepare_start(pk, module, version, err, errsz);

	if (rc != 0)
		return rc;
	if ((pk->root = strdup(dir)) == NULL)
		return ERR(-1, "out of memory");
	for (n = strlen(pk->root); n > 1 && pk->root[n - 1] == '/'; n--)
		pk->root[n - 1] = '\0';
	/* unlike filepath.Walk we follow a symbolic link given as dir itself */
	if ((pk->rootfd = open(pk->root, O_RDONLY | O_DIRECTORY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return ERR(errno == ENOENT || errno == ENOTDIR || errno == ELOOP || errno == ENAMETOOLONG ? 1 : -1,
		           "unable to open directory '%s': %s", dir, strerror(errno));
	rc = walk(pk, pk->rootfd, "");
	if (rc == 0)
		rc = check_files(pk);
	return rc;
}

/* Module check and checkFiles on a list, in the list's order (Create's:
 * it takes the files in the order given). */
static int prepare_list(struct pack *pk, const char *module, const char *version,
                        const struct modpack_entry *e, size_t n, char *err, size_t errsz)
{
	int rc = prepare_start(pk, module, version, err, errsz);

	if (rc != 0)
		return rc;
	if (asprintf(&pk->root, "%s@%s", module, version) < 0) {
		pk->root = NULL;
		return ERR(-1, "out of memory");
	}
	if (n > 2 * (size_t)MODZIP_MAX_FILES)
		return ERR(1, "too many files in '%s' (max %d in a module)", pk->root, MODZIP_MAX_FILES);
	if ((pk->f = calloc(n ? n : 1, sizeof *pk->f)) == NULL)
		return ERR(-1, "out of memory");
	pk->cap = n;
	for (size_t i = 0; i < n; i++, pk->n++) {
		if ((pk->f[i].rel = strdup(e[i].path)) == NULL)
			return ERR(-1, "out of memory");
		pk->f[i].size = e[i].size;
		pk->f[i].data = e[i].data;
		pk->f[i].irregular = e[i].irregular;
	}
	return check_files(pk);
}

/* Test hook, in builds with GOREG_TEST_HOOKS only (the sanitizer build):
 * GOREG_PACK_WALKED=COMMAND runs the shell command COMMAND once the tree
 * is walked and checked, before any file of it is read, so that a test
 * can change the tree at that instant.  A no-op everywhere else. */
static void walked_hook(void)
{
#ifdef GOREG_TEST_HOOKS
	const char *cmd = getenv("GOREG_PACK_WALKED");
	if (cmd && *cmd && system(cmd) != 0)
		fprintf(stderr, "GOREG_PACK_WALKED: the command failed\n");
#endif
}

/* write_zip into a new temp file from template tmp (mkstemp's), then gate */
static int build(struct pack *pk, char *tmp)
{
	char *err = pk->err;
	size_t errsz = pk->errsz;
	int fd, rc;

	walked_hook();
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
		const char *s = strrchr(tmp, '/');
		return ERR(-1, "unable to create a temporary file in '%.*s': %s",
		           s ? (int)(s - tmp) : 1, s ? tmp : ".", strerror(errno));
	}
	close(fd);
	rc = write_zip(pk, tmp);
	if (rc == 0)
		rc = gate(pk, tmp);
	if (rc != 0)
		unlink(tmp);
	return rc;
}

int modpack_create(const char *module, const char *version, const char *dir,
                   const char *out, char *err, size_t errsz)
{
	struct pack pk;
	const char *slash = strrchr(out, '/');
	char *tmp = NULL, *odir = NULL;
	mode_t um;
	int rc;

	if ((rc = prepare(&pk, module, version, dir, err, errsz)) != 0)
		goto out;
	/* the temp file beside out, so that rename is atomic */
	if (slash == NULL)
		odir = strdup(".");
	else if (slash == out)
		odir = strdup("/");
	else
		odir = strndup(out, (size_t)(slash - out));
	if (odir == NULL || asprintf(&tmp, "%.*s.%s.XXXXXX", slash ? (int)(slash - out + 1) : 0,
	                             out, slash ? slash + 1 : out) < 0) {
		tmp = NULL;
		rc = ERR(-1, "out of memory");
		goto out;
	}
	if ((rc = build(&pk, tmp)) != 0)
		goto out;
	um = umask(022);
	umask(um);
	if (chmod(tmp, 0666 & ~um) != 0 || fsync_path(tmp) != 0) {
		rc = ERR(-1, "unable to write '%s': %s", tmp, strerror(errno));
		unlink(tmp);
	} else if (rename(tmp, out) != 0) {
		rc = ERR(-1, "unable to rename '%s' to '%s': %s", tmp, out, strerror(errno));
		unlink(tmp);
	} else if (fsync_path(odir) != 0) {
		rc = ERR(-1, "unable to sync directory '%s': %s", odir, strerror(errno));
	}
out:
	free(tmp);
	free(odir);
	pack_free(&pk);
	return rc;
}

/* build into a temp file under $TMPDIR, then copy it to fd: fd gets a
 * whole zip or nothing */
static int build_fd(struct pack *pk, int fd)
{
	char *err = pk->err;
	size_t errsz = pk->errsz;
	const char *td = getenv("TMPDIR");
	char *tmp = NULL, b[IO_CHUNK];
	ssize_t r;
	int in, rc;

	if (asprintf(&tmp, "%s/goreg-pack.XXXXXX", td && *td ? td : "/tmp") < 0)
		return ERR(-1, "out of memory");
	if ((rc = build(pk, tmp)) != 0)
		goto out;
	if ((in = open(tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		rc = ERR(-1, "unable to open '%s': %s", tmp, strerror(errno));
		unlink(tmp);
		goto out;
	}
	unlink(tmp);
	while ((r = read(in, b, sizeof b)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = ERR(-1, "unable to read '%s': %s", tmp, strerror(errno));
			break;
		}
		if (write_all(fd, b, (size_t)r) != 0) {
			rc = ERR(-1, "unable to write the zip: %s", strerror(errno));
			break;
		}
	}
	close(in);
out:
	free(tmp);
	return rc;
}

int modpack_create_fd(const char *module, const char *version, const char *dir,
                      int fd, char *err, size_t errsz)
{
	struct pack pk;
	int rc = prepare(&pk, module, version, dir, err, errsz);

	if (rc == 0)
		rc = build_fd(&pk, fd);
	pack_free(&pk);
	return rc;
}

int modpack_select(const char *module, const char *version, struct modpack_entry *e, size_t n,
                   char *err, size_t errsz)
{
	struct pack pk;
	int rc = prepare_list(&pk, module, version, e, n, err, errsz);

	for (size_t i = 0; i < n; i++)
		e[i].keep = rc == 0 && pk.f[i].valid;
	pack_free(&pk);
	return rc;
}

int modpack_create_list_fd(const char *module, const char *version, const struct modpack_entry *e,
                           size_t n, int fd, char *err, size_t errsz)
{
	struct pack pk;
	int rc = prepare_list(&pk, module, version, e, n, err, errsz);

	for (size_t i = 0; rc == 0 && i < n; i++)
		if (pk.f[i].valid && pk.f[i].data == NULL && pk.f[i].size > 0)
			rc = ERR(-1, "no data for '%s'", e[i].path);
	if (rc == 0)
		rc = build_fd(&pk, fd);
	pack_free(&pk);
	return rc;
}
