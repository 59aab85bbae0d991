/* The operations, independent of transport: goreg-httpd, goreg.cgi and
 * the command-line tools all end up here.  Each fills a struct reply whose
 * status is the HTTP status; the tools map it to an exit code. */
#ifndef GOREG_OPS_H
#define GOREG_OPS_H
#include <stdint.h>
#include "request.h"

struct store;
struct principal;

/* Route, authenticate, authorise and run one HTTP request. */
void ops_dispatch(const struct store *st, const struct request *rq, int64_t now, struct reply *r);

/* The operations themselves; owner, module and version are decoded. */
void ops_list(const struct store *st, const char *owner, const char *module, struct reply *r);
void ops_info(const struct store *st, const char *owner, const char *module, const char *version,
              struct reply *r);
void ops_mod(const struct store *st, const char *owner, const char *module, const char *version,
             struct reply *r);
void ops_zip(const struct store *st, const char *owner, const char *module, const char *version,
             struct reply *r);
void ops_latest(const struct store *st, const char *owner, const char *module, struct reply *r);
/* Who makes a change: the registry user ("" for none; recorded as the
 * uploader of a version) and where the change came from (the client's
 * address, or "local:UID"), for the audit log (audit.h). */
struct actor {
	const char *user;
	const char *origin;
};

/* Upload a module zip read from body (at most MODZIP_MAX_ZIP bytes;
 * declared_len is the announced size or -1).  Every successful upload and
 * delete appends an audit record; when the audit log cannot be opened the
 * change is refused with 500 before anything is touched. */
void ops_upload_as(const struct store *st, const char *owner, const struct body_source *body,
                   long long declared_len, const struct actor *who, int64_t now, struct reply *r);
void ops_delete_as(const struct store *st, const char *owner, const char *module, const char *version,
                   const struct actor *who, int64_t now, struct reply *r);
/* The same for the command-line tools: origin "local:UID", and for
 * ops_delete the current time. */
void ops_upload(const struct store *st, const char *owner, const struct body_source *body,
                long long declared_len, const char *uploader, int64_t now, struct reply *r);
void ops_delete(const struct store *st, const char *owner, const char *module, const char *version,
                struct reply *r);
/* goreg-import: an upload whose version keeps the time it has elsewhere
 * (published, the .info Time of the tree it comes from); the audit
 * record gets now, the time of the change. */
void ops_upload_dated(const struct store *st, const char *owner, const struct body_source *body,
                      long long declared_len, const char *uploader, int64_t now, int64_t published,
                      struct reply *r);

/* Exit code of a command-line tool for a reply status (DESIGN.md):
 * 2xx/304 -> 0, 4xx -> 1, 5xx -> 111. */
int ops_exit_code(int status);

#endif
