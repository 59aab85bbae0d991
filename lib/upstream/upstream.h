/* An owner's upstream: where goreg fetches the public modules the owner
 * lacks (a GOPROXY list), the module paths never asked upstream (GOPRIVATE
 * patterns), and the checksum database it proxies.  Kept in goreg.tdb as
 * the record "upstream:OWNER"; set with goreg-admin upstream (goreg-admin(8)).
 * Functions with err return an HTTP-like status and a one-line reason. */
#ifndef GOREG_UPSTREAM_H
#define GOREG_UPSTREAM_H
#include <stddef.h>

#include "base/limits.h"

struct store;

struct upstream {
	char proxy[UPSTREAM_LIST_MAX + 1];     /* GOPROXY syntax; "" for none */
	char private_[UPSTREAM_LIST_MAX + 1];  /* GOPRIVATE syntax; "" for none */
	char sumdb_key[SUMDB_KEY_MAX + 1];     /* NAME+HASH+KEY; "" for none */
	char sumdb_url[UPSTREAM_URL_MAX + 1];
};

/* The owner's settings (all "" when it has none): 200, 404 no such
 * owner, 500. */
int upstream_get(const struct store *st, const char *owner, struct upstream *u, char *err, size_t errsz);

/* Each replaces one setting of an existing owner (404 if none), after
 * checking it (400 with the reason); "" clears it.  200 or 500. */
int upstream_set_proxy(const struct store *st, const char *owner, const char *list, char *err, size_t errsz);
int upstream_set_private(const struct store *st, const char *owner, const char *patterns, char *err,
                         size_t errsz);
int upstream_set_sumdb(const struct store *st, const char *owner, const char *key, const char *url,
                       char *err, size_t errsz);
/* All of them: 200, or 404 when the owner has none. */
int upstream_clear(const struct store *st, const char *owner, char *err, size_t errsz);

/* Does any owner of the store have an upstream list or database?  The
 * front ends then run goreg-fetch on a miss, which their seccomp filter
 * would not let them do (it is inherited across execve).  1 or 0 (also
 * when goreg.tdb cannot be read). */
int upstream_any(const struct store *st);
/* The same asked on each request, for readers: 1 only when goreg.tdb's
 * mark says no owner has one (one kept record, no walk); 0 when one may. */
int upstream_none(const struct store *st);

/* Checks, NULL when fine or the reason.  A list is GOPROXY's syntax
 * (go.dev/ref/mod#goproxy-protocol): http(s) URLs separated by ',' (the
 * next is tried after a 404 or 410) or '|' (after any error), or "off";
 * "direct" and "noproxy" are refused (goreg never runs a version control
 * tool).  Patterns are GOPRIVATE's: comma-separated path.Match globs. */
const char *upstream_check_list(const char *list);
const char *upstream_check_patterns(const char *patterns);
/* A verifier key NAME+HASH+KEY (golang.org/x/mod/sumdb/note): the name
 * (no '+', space or newline), 8 hex digits, and base64 of 33 bytes whose
 * first is 1 (Ed25519); the name goes into name (SUMDB_KEY_MAX + 1). */
const char *upstream_check_sumdb_key(const char *key, char *name, size_t namesz);

/* The next entry of a GOPROXY list from *p on: its URL (without a
 * trailing '/') into url, and in *any whether a failure falls through to
 * the entry after it on any error ('|') rather than only on 404 and 410
 * (','); "off" gives "off".  1, or 0 at the end of the list. */
int upstream_next(const char **p, char *url, size_t urlsz, int *any);

#endif
