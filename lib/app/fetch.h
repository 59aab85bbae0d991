/* The pull-through cache: a version an owner lacks, fetched from the
 * owner's upstream GOPROXY list (upstream.h), checked and published as an
 * upload is, recorded as coming from upstream.  The HTTP client is not
 * here: goreg-fetch, the one program that links one, hands it in as a
 * struct fetch_client, so lib/ stays free of it and the logic testable. */
#ifndef GOREG_FETCH_H
#define GOREG_FETCH_H
#include <stddef.h>
#include <stdint.h>

struct store;
struct upstream;

/* GET url.  The body goes to fd (a spool file) or, when fd < 0, into
 * *mem (malloc'd, NUL-terminated, *memlen bytes), at most max bytes.
 * Returns the HTTP status; 0 when no answer came (the reason in err); -1
 * when the body is longer than max (nothing is kept). */
struct fetch_client {
	int (*get)(void *ctx, const char *url, int fd, char **mem, size_t *memlen, long long max, char *err,
	           size_t errsz);
	void *ctx;
};

/* May the owner's module be asked upstream?  200 when the owner has an
 * upstream list (u filled), the path matches none of its private
 * patterns, and the owner has no version of it, nor of a module path it
 * is below, that was uploaded (a public module can neither shadow nor
 * join a private one); else 404 with the reason, or 500. */
int fetch_eligible(const struct store *st, const char *owner, const char *module, struct upstream *u,
                   char *err, size_t errsz);

/* Fetch module@version into the owner's store: 201 fetched and published,
 * 200 already there (also when a concurrent fetch of the same version
 * published it: one fetch for many misses), 404 not upstream or not
 * eligible, 400 the upstream's files are refused (the reason in err), 502
 * the upstream failed, 500 a local failure.  now is the audit record's
 * time; the version keeps the upstream .info's Time. */
int fetch_version(const struct store *st, const char *owner, const char *module, const char *version,
                  const struct fetch_client *c, int64_t now, char *err, size_t errsz);

/* Refresh the upstream's version list of module (its @v/list, the
 * canonical versions in it) in the owner's cache (store_ulist_put): 200
 * fetched (an empty list too), 404 no entry has the module or it is not
 * eligible, 502 the upstream failed, 500. */
int fetch_list(const struct store *st, const char *owner, const char *module, const struct fetch_client *c,
               int64_t now, char *err, size_t errsz);

/* The owner's proxied checksum database (goreg-admin upstream sumdb):
 * where its answer to path is cached, ROOT/OWNER/@sumdb/NAME/PATH ('@'
 * is in no module path, so no module's files can be there); u gets the
 * owner's upstream settings.  0, or -1 when the owner proxies no database
 * of that name (err says so). */
int fetch_sumdb_cache(const struct store *st, const char *owner, const char *name, const char *path,
                      struct upstream *u, char *out, size_t outsz, char *err, size_t errsz);
/* Fetch path (latest, lookup/M@V, tile/...) from the upstream database
 * into that cache: 200, 404 the database has no such thing, the owner
 * proxies no such database, or M is not eligible (fetch_eligible's test
 * of the path: never named to the upstream), 502 the upstream failed,
 * 500. */
int fetch_sumdb(const struct store *st, const char *owner, const char *name, const char *path,
                const struct fetch_client *c, char *err, size_t errsz);

/* A version's go.sum lines from the owner's upstream checksum database,
 * verified there (fetchsum.c: the signed tree head with the configured
 * key, the record's inclusion proof, the tree's consistency with the one
 * verified before) into text: 200; 404 not eligible (fetch_eligible), no
 * upstream database, or not in it; 502 it failed or did not verify
 * (err begins "SECURITY:" for a proof that failed); 500. */
struct buf;
int fetch_sum_lines(const struct store *st, const char *owner, const char *module, const char *version,
                    const struct fetch_client *c, struct buf *text, char *err, size_t errsz);
/* Add those lines to the owner's own checksum database (store/sumlog.h):
 * 201 added, 200 it has the version already, 404 no own database or
 * as fetch_sum_lines, 409 it holds other lines for the version, 502, 500. */
int fetch_sum_log(const struct store *st, const char *owner, const char *module, const char *version,
                  const struct fetch_client *c, char *err, size_t errsz);

#endif
