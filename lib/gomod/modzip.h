/* Module zip validation (go.dev/ref/mod#zip-files, golang.org/x/mod/zip)
 * and go.mod handling.  The zip is read as Go's archive/zip reads it
 * (zipcdir.h, zipdata.h), one entry at a time; only the central directory
 * and go.mod are held in memory. */
#ifndef GOREG_MODZIP_H
#define GOREG_MODZIP_H
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"

struct modzip_info {
	char module[MODPATH_MAX + 1];   /* from the entries' common prefix, unescaped */
	char version[VERSION_MAX + 1];
	char *gomod;                    /* malloc'd go.mod bytes (synthesized if absent) */
	size_t gomod_len;
	int gomod_synth;                /* 1 if the zip had no root go.mod */
	char h1_zip[H1_LEN + 1];        /* dirhash Hash1 of the zip, as go.sum has it */
	char h1_mod[H1_LEN + 1];        /* Hash1 of go.mod, go.sum's "/go.mod" line */
	uint64_t nfiles;
	uint64_t unzipped;              /* total uncompressed bytes */
	unsigned char file_sha256[32];  /* the whole file's, if modzip_want asked */
};

/* Validate the module zip in the file zippath.  On success fills *mi and
 * returns 0.  On an invalid zip returns 1 and writes a one-line reason
 * naming the broken rule into err.  On a system failure (out of memory,
 * I/O error) returns -1 with the reason in err.  On return != 0, *mi holds
 * nothing to free. */
int modzip_check(const char *zippath, struct modzip_info *mi, char *err, size_t errsz);

/* What the uploader says the zip is.  module and version (both or
 * neither) name the version: required for a zip with no entries, which
 * x/mod's CheckZip and the go command accept (the go.mod is then
 * synthesised); otherwise the entries' prefix must agree.  renamed accepts
 * a go.mod that declares another module path: a renamed module's last
 * version keeps its old path so that the go command can read its retract
 * and "// Deprecated:" lines (go.dev/ref/mod#go-mod-file-module-deprecation). */
struct modzip_want {
	const char *module, *version;   /* NULL: from the entries */
	int renamed;
	int file_sha256;                /* 1: the file's SHA-256 into modzip_info */
};
/* modzip_check with what the uploader says; want may be NULL. */
int modzip_check_as(const char *zippath, const struct modzip_want *want, struct modzip_info *mi,
                    char *err, size_t errsz);
/* modzip_check_as for the file open as fd (left open; its offset is
 * moved), named zippath in messages: what is checked is that file,
 * whatever its name points at meanwhile. */
int modzip_check_fd(int fd, const char *zippath, const struct modzip_want *want, struct modzip_info *mi,
                    char *err, size_t errsz);
void modzip_info_free(struct modzip_info *mi);
/* dirhash.HashZip of the zip at zippath, its entries read again as
 * archive/zip reads them and hashed, none of modzip_check's rules
 * applied: 0 with the h1: hash in out, 1 with a reason in err (not a zip
 * archive/zip reads alike), -1 on a system error. */
int modzip_hash(const char *zippath, char out[H1_LEN + 1], char *err, size_t errsz);

/* gomod_module_path(), part of this API since before gomod.h existed */
#include "gomod/gomod.h"

#endif
