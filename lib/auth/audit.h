/* The audit log: ROOT/audit.log, one line per change to the store, in
 * the order the changes were made.  Format (goreg-admin(8), AUDIT LOG):
 *
 *   TIME USER ACTION OWNER MODULE VERSION ORIGIN
 *
 * seven fields separated by one space; TIME is RFC 3339 UTC; a field that
 * does not apply is "-"; no field contains a space or a control character
 * (anything outside visible ASCII is written as '?').  ORIGIN is the HTTP
 * client's address, or "local:UID" for a command run on the store.
 *
 * A writer opens the log before it changes anything (so a store whose log
 * cannot be written refuses changes instead of making unaudited ones),
 * then appends the line with one write(2) on an O_APPEND descriptor and
 * fsyncs it.  Nothing ever rewrites or truncates the file. */
#ifndef GOREG_AUDIT_H
#define GOREG_AUDIT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/limits.h"

struct store;

#define AUDIT_FILE "audit.log"

struct audit {
	int fd;
	int created;                    /* the file is new: fsync its directory too */
	char root[STORE_ROOT_MAX];
};

/* Open (creating if needed) ROOT/audit.log for appending: 200 or 500. */
int audit_open(const struct store *st, struct audit *a, char *err, size_t errsz);
/* Append one record and fsync it; closes a.  200 or 500. */
int audit_append(struct audit *a, int64_t now, const char *user, const char *action,
                 const char *owner, const char *module, const char *version, const char *origin,
                 char *err, size_t errsz);
void audit_close(struct audit *a);

/* "local:UID" for the process's real uid. */
void audit_local_origin(char *out, size_t outsz);

/* Format one record (without the newline) into out: 0, or -1 if it does
 * not fit.  Exposed for the unit tests. */
int audit_format(char *out, size_t outsz, int64_t now, const char *user, const char *action,
                 const char *owner, const char *module, const char *version, const char *origin);

/* Copy the log to out, only the records of owner when owner is not NULL.
 * A store without a log has an empty one.  200 or 500. */
int audit_print(const struct store *st, const char *owner, FILE *out, char *err, size_t errsz);

#endif
