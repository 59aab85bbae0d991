/* goreg-fsck: the store's files against its metadata (goreg-fsck(8)).
 *
 * The tree is the truth and the index is derived from it: a version exists
 * when its .info and .zip are in place and the zip is a valid module zip
 * of that module and version.  Checking compares every index record with
 * the files (sizes, SHA-256 of the zip, h1: of the go.mod, the .info
 * bytes), every version list (record and @v/list file) with the versions,
 * and looks for leftovers in tmp/.  Repair makes the index and the lists
 * agree with the tree: it rebuilds records from the files (each zip
 * validated again with modzip_check), removes what an interrupted upload
 * or delete left, and moves what it cannot use (an invalid zip, a file it
 * does not know) to ROOT/lost+found/ instead of deleting it.
 *
 * Each owner is checked inside a transaction of its index, so a check
 * never races a publish or a delete of that owner (they wait for it). */
#ifndef GOREG_FSCK_H
#define GOREG_FSCK_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store/fsckscan.h"

struct store;

/* An entry of ROOT/tmp is a leftover when no open file description holds
 * a lock on it (store_tmp_create's writers keep one until the rename) and
 * it has not been modified for min_age seconds: writers that do not lock
 * (a spool written by an older goreg, or one now between creating its
 * file and locking it) write at least once a minute while they spool
 * (HTTP_READ_SECS), then validate and publish within minutes. */
#define FSCK_TMP_MIN_AGE (15 * 60)

/* Check (and with o->repair, repair) the store.  Returns 200 when the
 * whole store was looked at (the findings are in *c and on o->out), or
 * 500 with the reason in err when a system failure stopped it. */
int fsck_store(const struct store *st, const struct fsck_opts *o, struct fsck_counts *c,
               char *err, size_t errsz);

/* The Time of a .info file ({"Version":..,"Time":"RFC 3339"}): unix
 * seconds, or -1 if there is none that parses.  Exposed for the tests. */
int64_t fsck_info_time(const char *data, size_t len);

#endif
