/* Module zip creation from a directory: golang.org/x/mod/zip CreateFromDir
 * (zip/zip.go: listFilesInDir, checkFiles, Create), written anew for goreg.
 * The rules cited below are that file's, and go.dev/ref/mod#zip-files. */
#include "gomod/modpack.h"

#include <dirent.h>
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
	int64_t size;   /* from lstat at walk time */
	int valid;
};

struct pack {
	const char *module, *version;
	char *root;     /* dir without trailing slashes */
	struct file *f;
	size_t n, cap;
	size_t nvalid;
	char *err;
	size_t errsz;
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

static int cmp_name(const void *a, const void *b)
{
	/* filepath.Walk reads each directory sorted by name, byte order */
	return strcmp(*(char *const *)a, *(char *const *)b);
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

static int add_file(struct pack *pk, char *rel, int64_t size)
{
	char *err = pk->err;
	size_t errsz = pk->errsz;

	/* a memory bound: the limit proper applies to the files kept */
	if (pk->n >= 2 * (size_t)MODZIP_MAX_FILES)
		return ERR(1, "too many files in '%s' (max %d in a module)", pk->root, MODZIP_MAX_FILES);
	if (grow(&pk->f, &pk->cap, pk->n + 1, sizeof *pk->f) < 0)
		return ERR(-1, "out of memory");
	pk->f[pk->n].rel = rel;
	pk->f[pk->n].size = size;
	pk->f[pk->n].valid = 0;
	pk->n++;
	return 0;
}

/* listFilesInDir: what filepath.Walk(dir) hands on to checkFiles.  rel is
 * "" for the root, which is never skipped. */
static int walk(struct pack *pk, const char *rel)
{
	char *err = pk->err, *abs;
	size_t errsz = pk->errsz, nv = 0, cv = 0, i;
	char **v = NULL;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	abs = *rel ? join(pk->root, rel) : strdup(pk->root);
	if (abs == NULL)
		return ERR(-1, "out of memory");
	if ((d = opendir(abs)) == NULL) {
		rc = ERR(-1, "unable to open directory '%s': %s", abs, strerror(errno));
		free(abs);
		return rc;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0)
				rc = ERR(-1, "unable to read directory '%s': %s", abs, strerror(errno));
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (nv == cv) {
			size_t c = cv ? 2 * cv : 32;
			char **nvv = realloc(v, c * sizeof *v);
			if (nvv == NULL) {
				rc = ERR(-1, "out of memory");
				break;
			}
			v = nvv;
			cv = c;
		}
		if ((v[nv] = strdup(de->d_name)) == NULL) {
			rc = ERR(-1, "out of memory");
			break;
		}
		nv++;
	}
	closedir(d);
	if (rc == 0 && nv > 1)
		qsort(v, nv, sizeof *v, cmp_name);

	for (i = 0; i < nv && rc == 0; i++) {
		char *crel = *rel ? join(rel, v[i]) : strdup(v[i]);
		char *cabs = crel ? join(pk->root, crel) : NULL, *gomod = NULL;
		struct stat st, gst;

		if (cabs == NULL) {
			free(crel);
			rc = ERR(-1, "out of memory");
			break;
		}
		/* Walk uses Lstat: a symbolic link is never followed */
		if (lstat(cabs, &st) != 0) {
			rc = ERR(-1, "unable to stat '%s': %s", cabs, strerror(errno));
		} else if (modpack_is_vendored(crel)) {
			/* files of vendored packages are omitted; every path below
			 * a vendored one is vendored too, so skip the subtree */
		} else if (S_ISDIR(st.st_mode)) {
			/* VCS directories at any depth ("fossil repos are regular
			 * files with arbitrary names", so not those) */
			if (strcmp(v[i], ".bzr") == 0 || strcmp(v[i], ".git") == 0 ||
			    strcmp(v[i], ".hg") == 0 || strcmp(v[i], ".svn") == 0) {
				/* omitted */
			} else if ((gomod = join(cabs, "go.mod")) == NULL) {
				rc = ERR(-1, "out of memory");
			} else if (lstat(gomod, &gst) == 0 && !S_ISDIR(gst.st_mode)) {
				/* a directory with its own go.mod is another module */
			} else {
				rc = walk(pk, crel);
			}
		} else if (S_ISREG(st.st_mode)) {
			/* irregular files (symbolic links mostly) are omitted */
			if ((rc = add_file(pk, crel, (int64_t)st.st_size)) == 0)
				crel = NULL;
		}
		free(gomod);
		free(cabs);
		free(crel);
	}
	for (i = 0; i < nv; i++)
		free(v[i]);
	free(v);
	free(abs);
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
		if (b && strcasecmp(b + 1, "go.mod") == 0)
			ngm++;
	}
	if (ngm && (gm = malloc(ngm * sizeof *gm)) == NULL)
		return ERR(-1, "out of memory");
	for (i = 0, ngm = 0; i < pk->n; i++) {
		const char *b = strrchr(pk->f[i].rel, '/');
		if (b && strcasecmp(b + 1, "go.mod") == 0) {
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

		/* inSubmodule: files in another module are omitted */
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
static int write_zip(struct pack *pk, const char *path)
{
	char *err = pk->err, *name = NULL, *abs = NULL;
	size_t errsz = pk->errsz, plen, i, cap = 0;
	zip_t *za;
	int ze, rc = 0;

	if ((za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze)) == NULL) {
		zip_error_t e;
		zip_error_init_with_code(&e, ze);
		rc = ERR(-1, "unable to create zip '%s': %s", path, zip_error_strerror(&e));
		zip_error_fini(&e);
		return rc;
	}
	plen = strlen(pk->module) + 1 + strlen(pk->version) + 1;
	for (i = 0; i < pk->n && rc == 0; i++) {
		struct file *f = &pk->f[i];
		size_t need = plen + strlen(f->rel) + 1;
		zip_source_t *src;
		zip_int64_t idx;

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
		free(abs);
		if ((abs = join(pk->root, f->rel)) == NULL) {
			rc = ERR(-1, "out of memory");
			break;
		}
		/* libzip opens the file only in zip_close, whose error would
		 * not name it: say now which file cannot be read */
		if (access(abs, R_OK) != 0) {
			rc = ERR(-1, "unable to read '%s': %s", abs, strerror(errno));
			break;
		}
		/* the size checked above bounds what is read (Create's
		 * LimitedReader) */
		if ((src = zip_source_file(za, abs, 0, f->size > 0 ? f->size : -1)) == NULL) {
			rc = ERR(-1, "unable to add '%s': %s", abs, zip_strerror(za));
			break;
		}
		if ((idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8)) < 0) {
			zip_source_free(src);
			rc = ERR(-1, "unable to add '%s': %s", abs, zip_strerror(za));
			break;
		}
		if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 0) != 0 ||
		    zip_file_set_dostime(za, (zip_uint64_t)idx, DOS_TIME_MIDNIGHT, DOS_DATE_1980_01_01, 0) != 0 ||
		    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0, ZIP_OPSYS_DOS, 0) != 0)
			rc = ERR(-1, "unable to add '%s': %s", abs, zip_strerror(za));
	}
	free(name);
	free(abs);
	if (rc != 0) {
		zip_discard(za);
		return rc;
	}
	if (zip_close(za) != 0) {
		rc = ERR(-1, "unable to write zip '%s': %s", path, zip_strerror(za));
		zip_discard(za);
	}
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
}

/* Module check, walk and checkFiles: everything before a byte is written. */
static int prepare(struct pack *pk, const char *module, const char *version, const char *dir,
                   char *err, size_t errsz)
{
	const char *why;
	struct stat st;
	size_t n;

	memset(pk, 0, sizeof *pk);
	pk->module = module;
	pk->version = version;
	pk->err = err;
	pk->errsz = errsz;
	if (errsz > 0)
		err[0] = '\0';
	/* Create: the version canonical, the path valid, the major agreeing */
	if ((why = modpath_check_module(module, version)) != NULL)
		return ERR(1, "invalid module '%s@%s': %s", module, version, why);
	if ((pk->root = strdup(dir)) == NULL)
		return ERR(-1, "out of memory");
	for (n = strlen(pk->root); n > 1 && pk->root[n - 1] == '/'; n--)
		pk->root[n - 1] = '\0';
	/* unlike filepath.Walk we follow a symbolic link given as dir itself */
	if (stat(pk->root, &st) != 0)
		return ERR(errno == ENOENT || errno == ENOTDIR || errno == ELOOP || errno == ENAMETOOLONG ? 1 : -1,
		           "unable to open directory '%s': %s", dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return ERR(1, "unable to open directory '%s': %s", dir, strerror(ENOTDIR));
	int rc = walk(pk, "");
	if (rc == 0)
		rc = check_files(pk);
	return rc;
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

int modpack_create_fd(const char *module, const char *version, const char *dir,
                      int fd, char *err, size_t errsz)
{
	struct pack pk;
	const char *td = getenv("TMPDIR");
	char *tmp = NULL, b[IO_CHUNK];
	ssize_t r;
	int in, rc;

	if ((rc = prepare(&pk, module, version, dir, err, errsz)) != 0)
		goto out;
	if (asprintf(&tmp, "%s/goreg-pack.XXXXXX", td && *td ? td : "/tmp") < 0) {
		tmp = NULL;
		rc = ERR(-1, "out of memory");
		goto out;
	}
	if ((rc = build(&pk, tmp)) != 0)
		goto out;
	if ((in = open(tmp, O_RDONLY | O_CLOEXEC)) < 0) {
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
	pack_free(&pk);
	return rc;
}
