/* For operators: /healthz and /metrics (goreg(7), OPERATORS). */
#ifndef GOREG_METRICS_H
#define GOREG_METRICS_H
#include <stddef.h>

struct store;
struct principal;
struct buf;

/* Can the store be served: its root a readable directory, goreg.tdb
 * there and readable to its end, each owner's index.tdb openable?  200,
 * or 503 with the first thing that failed in err. */
int metrics_health(const struct store *st, char *err, size_t errsz);

/* The Prometheus text exposition format (version 0.0.4) into out, for
 * the owners p may read (catalog_owners): per owner its modules,
 * versions, bytes stored, last publish time (from the index records),
 * uploads and deletes (counted in ROOT/audit.log, which the writers keep
 * anyway: no write per read).  200 or 500. */
int metrics_text(const struct store *st, const struct principal *p, struct buf *out, char *err,
                 size_t errsz);

#endif
