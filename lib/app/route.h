/* The URL grammar.  Three bases are matched by their literal segments
 * (Gitea's /api/packages/{owner}/go, GitLab's /api/v4/projects/{id}/
 * packages/go, Gitea's package API /api/v1/packages/{owner}/go, and
 * its listing /api/v1/packages/{owner}), then
 * below a GOPROXY base the protocol's endings: {module}/@v/list,
 * {module}/@v/{version}.info|.mod|.zip, {module}/@latest, upload, sumdb/.
 * The op found names an entry of the operations table (ops.h), whose
 * methods decide 405.  Paths are split into segments, each percent-decoded
 * on its own, then the module path and version are '!'-decoded
 * (go.dev/ref/mod#goproxy-protocol). */
#ifndef GOREG_ROUTE_H
#define GOREG_ROUTE_H
#include <stddef.h>
#include "base/limits.h"

enum op {
	OP_NONE,
	OP_LIST,        /* GET {base}/{module}/@v/list */
	OP_INFO,        /* GET {base}/{module}/@v/{version}.info */
	OP_MOD,         /* GET {base}/{module}/@v/{version}.mod */
	OP_ZIP,         /* GET {base}/{module}/@v/{version}.zip */
	OP_LATEST,      /* GET {base}/{module}/@latest */
	OP_SUMDB,       /* GET {base}/sumdb/{name}/...: the proxied checksum database */
	OP_UPLOAD,      /* PUT /api/packages/{owner}/go/upload (also under the GitLab base) */
	OP_DELETE,      /* DELETE /api/v1/packages/{owner}/go/{module}/{version} */
	OP_PACKAGES,    /* GET /api/v1/packages/{owner}: the owner's versions, JSON */
};

struct route {
	enum op op;
	char owner[OWNER_MAX + 1];
	char module[MODPATH_MAX + 1];
	char version[VERSION_MAX + 1];
	/* OP_SUMDB: the database's name and the path below it ("supported",
	 * "latest", "lookup/M@V", "tile/H/L/N[.p/W]"), as sent */
	char sumdb_name[SUMDB_KEY_MAX + 1];
	char sumdb_path[SUMDB_PATH_MAX + 1];
	const char *allow;              /* methods allowed, for 405 */
	/* (route_match sets each field itself, not clearing the struct: a new
	 * one is set there too) */
};

/* Returns 200 with *rt filled, or 400/404/405 with a reason in err. */
int route_match(const char *method, const char *path, struct route *rt, char *err, size_t errsz);

/* Percent-decode one path segment (RFC 3986 section 2.1).  0, or
 * PCT_MALFORMED (a bad escape or "%00": 400) or PCT_TOO_LONG (the output
 * does not fit: no such name can exist, 404). */
#define PCT_MALFORMED (-1)
#define PCT_TOO_LONG (-2)
int pct_decode(const char *in, size_t n, char *out, size_t outsz);

#endif
