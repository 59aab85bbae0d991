/* The owner's own checksum database over HTTP: {base}/sumdb/NAME/…
 * when NAME is its name (go.dev/ref/mod#checksum-database; the answers
 * golang.org/x/mod/sumdb/server.go gives). */
#ifndef GOREG_APP_SUMDB_H
#define GOREG_APP_SUMDB_H
#include "app/ops.h"

/* Answer a->sumdb_path from the owner's log if the owner has one named
 * a->sumdb_name: 1 answered, 0 not (the name may be the upstream's). */
int sumdb_serve(const struct store *st, const struct op_args *a, struct reply *r);

#endif
