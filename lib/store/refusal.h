/* Refused writes, counted: ROOT/refusals.tdb holds, for each owner that
 * exists, operation and HTTP status, how many write requests (uploads,
 * deletes) were refused, for /metrics.  Reads are never counted: a read
 * writes nothing.  The counts are approximate by design: a count is added
 * in a transaction without fsync, and a crash of the machine may lose the
 * last ones; nothing else depends on them (goreg-admin backup leaves them
 * out), and no module file or index record is touched by a refusal. */
#ifndef GOREG_REFUSAL_H
#define GOREG_REFUSAL_H
#include <stddef.h>
#include <stdint.h>

#define REFUSAL_FILE "refusals.tdb"

struct store;

/* Add one to owner's count of op (the operation's tool name without
 * "goreg-": "upload", "delete") refused with status; owner NULL for an
 * owner that does not exist, counted alike under "-" (never shown), so
 * that the work, and its time, do not tell the two apart.  Best effort:
 * a counter that cannot be written is not an error of the request. */
void store_refusal_add(const struct store *st, const char *owner, const char *op, int status);

/* Drop every count of owner (a deleted user's), so that a new owner of
 * the name starts with none.  Best effort, as counting is. */
void store_refusal_forget(const struct store *st, const char *owner);

/* Each count: fn returns nonzero to stop.  200, or 500. */
typedef int store_refusal_fn(void *ctx, const char *owner, const char *op, int status, uint64_t n);
int store_refusals(const struct store *st, store_refusal_fn *fn, void *ctx, char *err, size_t errsz);

#endif
