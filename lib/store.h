/* The store: module files plus tdb metadata under one root directory.
 * Layout and guarantees: man/goreg-store.5 and DESIGN.md.
 *
 *   ROOT/goreg.tdb                       accounts (see auth.h)
 *   ROOT/OWNER/index.tdb                 per-version metadata, version lists
 *   ROOT/OWNER/ESC-MODULE/@v/ESC-VER.{zip,mod,info}, ROOT/OWNER/ESC-MODULE/@v/list
 *   ROOT/tmp/                            spool for uploads, same filesystem
 *
 * Functions return an HTTP-like status (200, 201, 204, 404, 409, 500) and
 * fill err with a one-line reason when it is not 2xx. */
#ifndef GOREG_STORE_H
#define GOREG_STORE_H
#include <stddef.h>
#include <stdint.h>
#include "limits.h"

struct store {
	char root[1024];
};

struct verinfo {
	char version[VERSION_MAX + 1];
	int64_t time;                   /* upload time, unix seconds */
	uint64_t zip_size;
	uint64_t mod_size;
	char zip_sha256[65];            /* hex */
	char h1_zip[H1_LEN + 1];
	char h1_mod[H1_LEN + 1];
	char uploader[OWNER_MAX + 1];
};

struct modzip_info;

/* GOREG_ROOT or /var/lib/goreg */
const char *store_default_root(void);
int store_init(struct store *st, const char *root, char *err, size_t errsz);
/* Create ROOT and ROOT/tmp if missing (write paths call it). */
int store_prepare(struct store *st, char *err, size_t errsz);

/* Owner names: [a-z0-9][a-z0-9._-]*, at most OWNER_MAX bytes.  NULL if ok. */
const char *store_check_owner(const char *owner);

/* Paths of a version's files: ext is "zip", "mod" or "info". */
int store_file_path(const struct store *st, const char *owner, const char *module,
                    const char *version, const char *ext, char *out, size_t outsz);
int store_tmp_path(const struct store *st, char *out, size_t outsz);  /* ROOT/tmp */

int store_get(const struct store *st, const char *owner, const char *module,
              const char *version, struct verinfo *vi, char *err, size_t errsz);
/* All versions of a module in semver order (malloc'd array of malloc'd
 * strings; free with store_list_free).  404 if the module has none. */
int store_versions(const struct store *st, const char *owner, const char *module,
                   char ***versions, size_t *n, char *err, size_t errsz);
void store_list_free(char **versions, size_t n);

/* Publish the validated zip at zippath (in ROOT/tmp; consumed on success)
 * as owner's mi->module@mi->version.  201, or 409 if it exists.  On input
 * vi->zip_sha256 holds the zip's SHA-256 (hex; computed while spooling);
 * on output *vi is the stored record. */
int store_publish(const struct store *st, const char *owner, const char *zippath,
                  const struct modzip_info *mi, const char *uploader, int64_t now,
                  struct verinfo *vi, char *err, size_t errsz);
int store_delete(const struct store *st, const char *owner, const char *module,
                 const char *version, char *err, size_t errsz);

/* verinfo record <-> bytes (one "key=value\n" per field). */
int verinfo_encode(const struct verinfo *vi, char *out, size_t outsz);
int verinfo_decode(const char *data, size_t len, struct verinfo *vi);

#endif
