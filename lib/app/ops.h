/* The operations, independent of transport: goreg-httpd, goreg.cgi and
 * the command-line tools all end up here, through one table (ops_table):
 * each entry names the operation, the HTTP methods it answers, the access
 * it needs, the plumbing tool that runs it, and its handler.  A handler
 * fills a struct reply whose status is the HTTP status; the tools map it
 * to an exit code. */
#ifndef GOREG_OPS_H
#define GOREG_OPS_H
#include <stdint.h>

#include "app/route.h"
#include "http/request.h"

struct store;
struct modzip_want;

/* Who makes a change: the registry user ("" for none; recorded as the
 * uploader of a version) and where the change came from (the client's
 * address, or "local:UID"), for the audit log (audit.h). */
struct actor {
	const char *user;
	const char *origin;
};

/* What an operation is asked: the owner, module and version (decoded;
 * NULL where the operation has none), and for the changes the body, who
 * makes them and when.  now is the time of the change (the audit record);
 * published is the time an uploaded version gets (its record and .info):
 * equal to now but for goreg-import, which keeps a version's time. */
struct op_args {
	const char *owner, *module, *version;
	const struct body_source *body; /* upload: the zip, at most MODZIP_MAX_ZIP bytes */
	long long declared_len;         /* upload: the announced size, or -1 */
	const struct actor *who;        /* upload, delete */
	const struct modzip_want *want; /* upload: the version named, renamed=1; or NULL */
	const char *source;             /* upload: recorded as where it came from; NULL: uploaded */
	int upstream;                   /* reads: a front end's, which may ask the owner's upstream */
	const char *sumdb_name, *sumdb_path; /* OP_SUMDB: route.h */
	const char *query;              /* the request's query after '?', or NULL */
	int64_t now, published;
};

typedef void op_handler(const struct store *st, const struct op_args *a, struct reply *r);

struct op_def {
	enum op op;
	const char *tool;               /* the plumbing program, goreg-NAME */
	const char *methods;            /* HTTP methods, as Allow lists them */
	int access;                     /* ACCESS_READ or ACCESS_WRITE (auth.h) */
	int operands;                   /* the tool's operands after OWNER */
	const char *synopsis;           /* the tool's usage */
	op_handler *run;
};

/* Is method one of def->methods? */
int ops_method_allowed(const struct op_def *def, const char *method);

/* The entry of op, or NULL (OP_NONE).  An entry without a handler (run
 * NULL) is routed but answered by the router. */
const struct op_def *ops_find(enum op op);

/* Route, authenticate, authorise and run one HTTP request. */
void ops_dispatch(const struct store *st, const struct request *rq, int64_t now, struct reply *r);

/* The handlers.  Every successful upload and delete appends an audit
 * record; when the audit log cannot be opened the change is refused with
 * 500 before anything is touched. */
op_handler ops_list, ops_info, ops_mod, ops_zip, ops_latest, ops_upload, ops_delete, ops_sumdb, ops_packages;

/* An actor for a change made on this machine: origin "local:UID", which
 * goes into origin (at least 32 bytes). */
struct actor ops_local_actor(const char *user, char *origin, size_t originsz);

/* A 500's reason names what failed on the server, its paths among them:
 * the front ends log it (copied into why, "" for any other reply) and
 * send the client a generic line instead. */
void ops_hide_500(struct reply *r, char *why, size_t whysz);

/* Exit code of a command-line tool for a reply status (goreg(7)):
 * 2xx/304 -> 0, 4xx -> 1, 5xx -> 111. */
int ops_exit_code(int status);

#endif
