/* Module zip validation (go.dev/ref/mod#zip-files): the checks the go
 * command makes on a module zip it downloads, so that goreg refuses what
 * `go mod download` would refuse and records the same h1: sums.  Sources:
 * golang.org/x/mod/zip checkZip and Unzip (names, sizes, declared vs actual
 * sizes), archive/zip (only methods store and deflate, CRC-32),
 * cmd/go/internal/modfetch (Hash1 over every entry through
 * dirhash.HashZip, the go.mod it synthesizes, +incompatible rules) and
 * golang.org/x/mod/modfile (the module directive).
 *
 * Two readers look at the archive.  Our own walk of the central directory
 * (zipcdir.c) sees the entry names byte for byte, as archive/zip does.
 * libzip, opened with ZIP_CHECKCONS, then checks local headers against the
 * central directory and decompresses with CRC checks; the two readers must
 * agree on every entry.  Entry data is streamed through a fixed buffer,
 * never held whole, except go.mod (at most MODZIP_MAX_GOMOD bytes).  The
 * other pieces: fold.c (case-fold collisions), gomod.c (go.mod), utf8.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sodium.h>
#include <zip.h>

#include "gomod/dirhash.h"
#include "gomod/fold.h"
#include "gomod/gomod.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"
#include "gomod/semver.h"
#include "base/utf8.h"
#include "base/util.h"
#include "gomod/zipcdir.h"

#define READ_BUF (64 * 1024)   /* entry data is read through this much */

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
	if (!semver_valid(mi->version))
		return errset(err, errsz, 1, "version %s: not a semantic version",
		            utf8_quote(mi->version, strlen(mi->version), q, sizeof q));
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
	char q[2 * QUOTE_MAX], q2[2 * QUOTE_MAX];
	if (z->n == 0) {
		if (strlen(want->module) > MODPATH_MAX || strlen(want->version) > VERSION_MAX)
			return errset(err, errsz, 1, "module path or version too long");
		strcpy(mi->module, want->module);
		strcpy(mi->version, want->version);
		return check_module_version(mi, want->module, strlen(want->module), err, errsz);
	}
	if (strcmp(mi->module, want->module) != 0 || strcmp(mi->version, want->version) != 0)
		return errset(err, errsz, 1, "the zip holds %s@%s, not %s@%s",
		            utf8_quote(mi->module, strlen(mi->module), q, sizeof q), mi->version,
		            utf8_quote(want->module, strlen(want->module), q2, sizeof q2), want->version);
	return 0;
}

/* Per-entry rules of x/mod/zip checkZip, in its order, plus what the zip
 * format allows archive/zip to read (go.dev/ref/mod#zip-files).  Sets
 * *gomod to the index of "<prefix>go.mod" or -1. */
static int check_names(struct zents *z, const struct modzip_want *want, struct modzip_info *mi, long *gomod,
                       char *err, size_t errsz)
{
	char prefix[MODPATH_MAX + VERSION_MAX + 3], q[2 * QUOTE_MAX], why[4 * QUOTE_MAX + 64];
	struct foldset ct = { NULL, 0, 0 };
	size_t plen, i;
	uint64_t total = 0;
	char *tmp = NULL;
	int rc = 0, root_seen = 0;

	*gomod = -1;
	int named = want && want->module && want->version;
	if (z->n == 0 && !named)
		return errset(err, errsz, 1, "zip has no entries, so no module@version/ prefix "
		            "(name the version: upload?module=M&version=V)");
	if (z->n && (rc = module_of(&z->e[0], mi, err, errsz)) != 0)
		return rc;
	if (named && (rc = module_wanted(z, want, mi, err, errsz)) != 0)
		return rc;
	plen = (size_t)snprintf(prefix, sizeof prefix, "%s@%s/", mi->module, mi->version);

	for (i = 0; i < z->n && rc == 0; i++) {
		struct zent *e = &z->e[i];
		const char *name, *base, *fwhy;
		size_t nlen;
		uint32_t type = e->made_by >> 8 == ZC_OS_UNIX || e->made_by >> 8 == ZC_OS_MACOSX
		                ? (e->xattr >> 16) & ZC_IFMT : 0;

		/* what the zip format lets archive/zip read as the go command does */
		if (memchr(e->name, '\0', e->namelen) != NULL)
			rc = errset(err, errsz, 1, "%s: nul byte in file name", QN);
		else if (e->flags & (ZC_FLAG_ENCRYPTED | ZC_FLAG_STRONG_ENCRYPT | ZC_FLAG_CDIR_ENCRYPTED))
			rc = errset(err, errsz, 1, "%s: encrypted entries are not allowed", QN);
		else if (e->method != ZIP_CM_STORE && e->method != ZIP_CM_DEFLATE)
			rc = errset(err, errsz, 1, "%s: compression method %u not allowed (only store and deflate)",
			          QN, e->method);
		else if (e->upath)
			rc = errset(err, errsz, 1, "%s: unicode path extra field not allowed (readers disagree on the name)", QN);
		else if (e->namelen < plen || memcmp(e->name, prefix, plen) != 0)
			rc = errset(err, errsz, 1, "%s: path does not have prefix \"%s\"", QN, prefix);
		/* "Symbolic links and other irregular files are not allowed"
		 * (x/mod/zip package doc).  checkZip never looks at modes, so the
		 * go command would unpack a link as a file holding its target;
		 * goreg refuses such zips rather than serve them. */
		else if (type == ZC_IFLNK)
			rc = errset(err, errsz, 1, "%s: symbolic link", QN);
		else if (type != 0 && type != (e->is_dir ? ZC_IFDIR : ZC_IFREG))
			rc = errset(err, errsz, 1, "%s: not a regular file or directory", QN);
		/* archive/zip's File.Open (since after Go 1.19) fails on a
		 * directory entry with a nonzero size; Go 1.19 hashed its data */
		else if (e->is_dir && e->usize != 0)
			rc = errset(err, errsz, 1, "%s: directory entry has data", QN);
		if (rc != 0)
			break;

		name = e->name + plen;
		nlen = e->namelen - plen;
		if (nlen == 0) {        /* the "<module>@<version>/" entry itself */
			if (root_seen++)
				rc = errset(err, errsz, 1, "%s: multiple entries for the module root", QN);
			continue;
		}
		if (e->is_dir)
			nlen--;
		free(tmp);
		if ((tmp = malloc(nlen + 1)) == NULL) {
			rc = errset(err, errsz, -1, "out of memory");
			break;
		}
		memcpy(tmp, name, nlen);
		tmp[nlen] = '\0';
		if (!path_is_clean(tmp, nlen)) {
			rc = errset(err, errsz, 1, "%s: file path is not clean", QN);
			break;
		}
		if ((fwhy = modpath_check_file(tmp)) != NULL) {
			rc = errset(err, errsz, 1, "%s: malformed file path: %s", QN, fwhy);
			break;
		}
		if ((rc = foldset_check(&ct, name, nlen, e->is_dir, e->is_dir, why, sizeof why)) != 0) {
			if (rc < 0)
				errset(err, errsz, -1, "out of memory");
			else
				errset(err, errsz, 1, "%s: %s", QN, why);
			break;
		}
		if (e->is_dir)
			continue;
		mi->nfiles++;
		base = strrchr(tmp, '/');
		base = base ? base + 1 : tmp;
		/* strings.EqualFold(base, "go.mod"): no non-ASCII rune folds to
		 * g, o, m, d or '.', so an ASCII comparison is exact */
		if (ascii_eq_fold(base, "go.mod")) {
			if (base != tmp) {
				rc = errset(err, errsz, 1, "%s: go.mod file not in module root directory", QN);
				break;
			}
			if (strcmp(tmp, "go.mod") != 0) {
				rc = errset(err, errsz, 1, "%s: go.mod files must have lowercase names", QN);
				break;
			}
			*gomod = (long)i;
		}
		if (e->usize > (uint64_t)MODZIP_MAX_UNZIPPED - total) {
			rc = errset(err, errsz, 1, "total uncompressed size of module contents too large "
			          "(max size is %lld bytes)", (long long)MODZIP_MAX_UNZIPPED);
			break;
		}
		total += e->usize;
		if (strcmp(tmp, "go.mod") == 0 && e->usize > (uint64_t)MODZIP_MAX_GOMOD)
			rc = errset(err, errsz, 1, "%s: go.mod file too large (max size is %lld bytes)",
			          QN, (long long)MODZIP_MAX_GOMOD);
		else if (strcmp(tmp, "LICENSE") == 0 && e->usize > (uint64_t)MODZIP_MAX_LICENSE)
			rc = errset(err, errsz, 1, "%s: LICENSE file too large (max size is %lld bytes)",
			          QN, (long long)MODZIP_MAX_LICENSE);
	}
	mi->unzipped = total;
	free(tmp);
	foldset_free(&ct);
	return rc;
}

/* libzip's messages start with a capital ("Not a zip archive"); ours do not */
static const char *lc(const char *msg, char *buf, size_t bufsz)
{
	snprintf(buf, bufsz, "%s", msg);
	if (buf[0] >= 'A' && buf[0] <= 'Z' && !(buf[1] >= 'A' && buf[1] <= 'Z'))
		buf[0] = (char)(buf[0] - 'A' + 'a');
	return buf;
}

static int zip_err_is_system(int ze)
{
	switch (ze) {
	case ZIP_ER_MEMORY: case ZIP_ER_OPEN: case ZIP_ER_READ: case ZIP_ER_SEEK:
	case ZIP_ER_TMPOPEN: case ZIP_ER_WRITE: case ZIP_ER_CLOSE: case ZIP_ER_INTERNAL:
		return 1;
	}
	return 0;
}

/* Read every entry through libzip, as HashZip and Unzip do: hash each with
 * SHA-256, count the bytes against the declared size (archive/zip's
 * checksumReader fails on the first byte too many, Unzip's LimitedReader
 * likewise), let libzip check CRC-32, keep go.mod. */
static int read_entries(int fd, struct zents *z, long gomod, struct modzip_info *mi,
                        char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX], m[256];
	unsigned char *buf = NULL;
	zip_t *za;
	zip_error_t ze;
	size_t i;
	int zerr = 0, rc = 0;

	/* the file checked by zipcdir_read, not whatever its name points at
	 * now: zip_fdopen takes the duplicate over when it succeeds */
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	if (dfd < 0)
		return errset(err, errsz, -1, "unable to read the zip: %s", strerror(errno));
	if ((za = zip_fdopen(dfd, ZIP_RDONLY | ZIP_CHECKCONS, &zerr)) == NULL) {
		close(dfd);
		zip_error_init_with_code(&ze, zerr);
		rc = errset(err, errsz, zip_err_is_system(zerr) ? -1 : 1, "not a valid zip file: %s",
		          lc(zip_error_strerror(&ze), m, sizeof m));
		zip_error_fini(&ze);
		return rc;
	}
	if (zip_get_num_entries(za, 0) != (zip_int64_t)z->n) {
		rc = errset(err, errsz, 1, "not a valid zip file: libzip reads %lld entries, the central directory has %zu",
		          (long long)zip_get_num_entries(za, 0), z->n);
		goto out;
	}
	if ((buf = malloc(READ_BUF)) == NULL) {
		rc = errset(err, errsz, -1, "out of memory");
		goto out;
	}
	for (i = 0; i < z->n && rc == 0; i++) {
		struct zent *e = &z->e[i];
		const char *lname = zip_get_name(za, i, ZIP_FL_ENC_RAW);
		crypto_hash_sha256_state st;
		zip_stat_t zs;
		zip_file_t *zf;
		uint64_t got = 0;

		if (lname == NULL || strcmp(lname, e->name) != 0) {
			rc = errset(err, errsz, 1, "%s: libzip reads a different name for this entry", QN);
			break;
		}
		if (zip_stat_index(za, i, 0, &zs) != 0 || !(zs.valid & ZIP_STAT_SIZE) || zs.size != e->usize) {
			rc = errset(err, errsz, 1, "%s: inconsistent sizes in zip headers", QN);
			break;
		}
		if ((zf = zip_fopen_index(za, i, 0)) == NULL) {
			int code = zip_error_code_zip(zip_get_error(za));
			rc = errset(err, errsz, zip_err_is_system(code) ? -1 : 1, "%s: cannot read entry: %s",
			          QN, lc(zip_strerror(za), m, sizeof m));
			break;
		}
		if ((long)i == gomod &&
		    (mi->gomod = malloc(e->usize ? (size_t)e->usize : 1)) == NULL) {
			zip_fclose(zf);
			rc = errset(err, errsz, -1, "out of memory");
			break;
		}
		crypto_hash_sha256_init(&st);
		for (;;) {
			zip_int64_t r = zip_fread(zf, buf, READ_BUF);
			if (r < 0) {
				int code = zip_error_code_zip(zip_file_get_error(zf));
				if (code == ZIP_ER_CRC)
					rc = errset(err, errsz, 1, "crc mismatch in %s", QN);
				else if (code == ZIP_ER_INCONS)
					rc = errset(err, errsz, 1, "uncompressed size of %s differs from declared size (%llu bytes)",
					          QN, (unsigned long long)e->usize);
				else
					rc = errset(err, errsz, zip_err_is_system(code) ? -1 : 1, "%s: cannot read entry: %s",
					          QN, lc(zip_file_strerror(zf), m, sizeof m));
				break;
			}
			if (r == 0) {
				if (got != e->usize)
					rc = errset(err, errsz, 1, "uncompressed size of %s differs from declared size (%llu bytes)",
					          QN, (unsigned long long)e->usize);
				break;
			}
			if ((uint64_t)r > e->usize - got) {
				rc = errset(err, errsz, 1, "uncompressed size of %s is larger than declared size (%llu bytes)",
				          QN, (unsigned long long)e->usize);
				break;
			}
			if ((long)i == gomod)
				memcpy(mi->gomod + got, buf, (size_t)r);
			got += (uint64_t)r;
			crypto_hash_sha256_update(&st, buf, (unsigned long long)r);
		}
		zip_fclose(zf);
		crypto_hash_sha256_final(&st, e->sha256);
		if ((long)i == gomod)
			mi->gomod_len = (size_t)got;
	}
out:
	free(buf);
	zip_discard(za);
	return rc;
}

int modzip_check(const char *zippath, struct modzip_info *mi, char *err, size_t errsz)
{
	return modzip_check_as(zippath, NULL, mi, err, errsz);
}

int modzip_check_as(const char *zippath, const struct modzip_want *want, struct modzip_info *mi,
                    char *err, size_t errsz)
{
	memset(mi, 0, sizeof *mi);
	/* a FIFO fails the regular-file check instead of blocking the open */
	int fd = open(zippath, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
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
	struct dirhash_file *df = NULL;
	struct stat sb;
	char q[2 * QUOTE_MAX], q2[2 * QUOTE_MAX], *path = NULL;
	long gomod = -1;
	size_t i;
	int rc;

	memset(mi, 0, sizeof *mi);
	if (errsz > 0)
		err[0] = '\0';
	if (fstat(fd, &sb) != 0)
		return errset(err, errsz, -1, "unable to stat '%s': %s", zippath, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return errset(err, errsz, 1, "not a valid zip file: not a regular file");
	/* x/mod/zip checkZip: MaxZipFile bounds the zip file itself */
	if (sb.st_size > MODZIP_MAX_ZIP)
		return errset(err, errsz, 1, "module zip file is too large (%lld bytes; limit is %lld bytes)",
		            (long long)sb.st_size, (long long)MODZIP_MAX_ZIP);
	rc = zipcdir_read(fd, (uint64_t)sb.st_size, &z, err, errsz);
	if (rc == 0)
		rc = check_names(&z, want, mi, &gomod, err, errsz);
	if (rc == 0)
		rc = read_entries(fd, &z, gomod, mi, err, errsz);
	if (rc != 0)
		goto out;

	/* cmd/go hashes the zip with dirhash.HashZip: every entry, directories
	 * and the root entry too, under its full name */
	if ((df = malloc((z.n ? z.n : 1) * sizeof df[0])) == NULL) {
		rc = errset(err, errsz, -1, "out of memory");
		goto out;
	}
	for (i = 0; i < z.n; i++) {
		df[i].name = z.e[i].name;
		memcpy(df[i].sha256, z.e[i].sha256, 32);
	}
	if (dirhash_h1(df, z.n, mi->h1_zip) != 0) {
		rc = errset(err, errsz, 1, "file name with a newline");
		goto out;
	}

	if (gomod >= 0) {
		if ((path = malloc(mi->gomod_len + 1)) == NULL) {
			rc = errset(err, errsz, -1, "out of memory");
			goto out;
		}
		if (gomod_module_path(mi->gomod, mi->gomod_len, path, mi->gomod_len + 1) != 0) {
			rc = errset(err, errsz, 1, "%s: go.mod has no valid module directive",
			          utf8_quote(z.e[gomod].name, z.e[gomod].namelen, q, sizeof q));
			goto out;
		}
		/* modload goModSummary: "module declares its path as"; but a
		 * renamed module's last version does so on purpose */
		if (strcmp(path, mi->module) != 0 && !(want && want->renamed)) {
			rc = errset(err, errsz, 1, "go.mod says module %s, zip is for %s "
			          "(the last version of a renamed module: upload with renamed=1)",
			          utf8_quote(path, strlen(path), q, sizeof q),
			          utf8_quote(mi->module, strlen(mi->module), q2, sizeof q2));
			goto out;
		}
	} else {
		if ((mi->gomod = gomod_legacy(mi->module, &mi->gomod_len)) == NULL) {
			rc = errset(err, errsz, -1, "out of memory");
			goto out;
		}
		mi->gomod_synth = 1;
	}

	/* cmd/go/internal/modfetch/coderepo.go checkCanonical: the go command
	 * never makes a +incompatible version whose major version the path
	 * allows ("+incompatible suffix not allowed: major version vN is
	 * compatible"), nor one for a module with a go.mod ("module contains a
	 * go.mod file, so module path must match major version"). */
	if (semver_is_incompatible(mi->version)) {
		char base[VERSION_MAX + 1], major[VERSION_MAX + 1];
		const char *pmajor;
		size_t prefixlen;

		memcpy(base, mi->version, strlen(mi->version) - strlen("+incompatible"));
		base[strlen(mi->version) - strlen("+incompatible")] = '\0';
		modpath_split_major(mi->module, &prefixlen, &pmajor);
		if (modpath_check_major(base, pmajor) == NULL) {
			semver_major(base, major, sizeof major);
			rc = errset(err, errsz, 1, "version %s: +incompatible suffix not allowed: "
			          "major version %s is compatible", mi->version, major);
			goto out;
		}
		if (!mi->gomod_synth) {
			rc = errset(err, errsz, 1, "version %s: module contains a go.mod file, "
			          "so module path must match major version", mi->version);
			goto out;
		}
	}
	dirhash_h1_gomod(mi->gomod, mi->gomod_len, mi->h1_mod);
out:
	free(path);
	free(df);
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
