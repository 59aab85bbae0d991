/* A zip entry's data as Go's archive/zip File.Open reads it, from an
 * archive zipcdir_read has read. */
#ifndef GOREG_ZIPDATA_H
#define GOREG_ZIPDATA_H
#include <stddef.h>
#include <stdint.h>
#include "gomod/zipcdir.h"

/* A reader of entries' data from the size-byte file open on fd (left
 * open), its buffers and inflate state made once for all of them, the
 * file read ahead (zipwin_get); NULL when out of memory.
 * zipdata_free(NULL) does nothing. */
struct zipdata;
struct zipdata *zipdata_new(int fd, uint64_t size);
void zipdata_free(struct zipdata *zd);

/* Entry e's data, uncompressed, handed to sink in pieces: e->csize bytes
 * at e->doff, stored or deflated, exactly e->usize bytes out, the CRC-32
 * checked.  Returns 0; 1 with a one-line reason in err if the data is not
 * what its headers say; -1 on a system error. */
typedef void zipdata_sink(void *ctx, const unsigned char *p, size_t n);
int zipdata_read(struct zipdata *zd, const struct zent *e, zipdata_sink *sink, void *ctx, char *err, size_t errsz);

#endif
