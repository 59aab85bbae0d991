/* A zip entry's data as archive/zip's File.Open and its checksumReader
 * read it (Go 1.19, reader.go): CompressedSize64 bytes from the data
 * offset, through the decompressor of the method (store, or
 * compress/flate's raw deflate), counted against UncompressedSize64 as
 * they come, the CRC-32 compared at the end.  zlib inflates; zipcrc.c
 * computes the CRC-32. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "base/utf8.h"
#include "base/util.h"
#include "gomod/zipcrc.h"
#include "gomod/zipdata.h"

#define DATA_BUF (256 * 1024)  /* entry data is read through this much */

#define BADZIP(...) errset(err, errsz, 1, "not a valid zip file: " __VA_ARGS__)
#define NAME(e, q) utf8_quote((e)->name, (e)->namelen, q, sizeof q)
#define ULL(x) ((unsigned long long)(x))

/* What a check reads every entry's data with: the buffers and the
 * inflate state made once (a module zip is mostly small entries, and
 * each allocation this size is an mmap and an munmap with musl) */
struct zipdata {
	struct zipwin in;       /* the compressed data, read ahead */
	unsigned char *out;
	z_stream zs;
	int zs_ready;           /* zs made: inflateReset, not inflateInit2 */
};

/* one entry on its way through */
struct zdata {
	struct zipdata *zd;
	const struct zent *e;
	uint64_t at, left;      /* compressed bytes still to read, and where */
	uint64_t got;           /* uncompressed bytes so far */
	uint32_t crc;
	zipdata_sink *sink;
	void *ctx;
};

/* the next piece of compressed data: *n bytes at *p */
static int data_in(struct zdata *d, const unsigned char **p, size_t *n, char *err, size_t errsz)
{
	int rc;

	*n = d->left < DATA_BUF ? (size_t)d->left : DATA_BUF;
	if ((rc = zipwin_get(&d->zd->in, d->at, *n, p)) != 0)
		return rc < 0 ? errset(err, errsz, -1, "read error: %s", strerror(errno))
		              : BADZIP("file shrank while read");
	d->at += *n;
	d->left -= *n;
	return 0;
}

/* uncompressed bytes: checksumReader fails on the first byte past the
 * declared size */
static int data_out(struct zdata *d, const unsigned char *p, size_t n, char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX];

	if (n > d->e->usize - d->got)
		return errset(err, errsz, 1, "uncompressed size of %s is larger than declared size (%llu bytes)",
		              NAME(d->e, q), ULL(d->e->usize));
	d->crc = zipcrc_update(d->crc, p, n);
	d->got += n;
	d->sink(d->ctx, p, n);
	return 0;
}

static int stored(struct zdata *d, char *err, size_t errsz)
{
	const unsigned char *p;
	size_t n;
	int rc = 0;

	while (d->left > 0 && rc == 0)
		if ((rc = data_in(d, &p, &n, err, errsz)) == 0)
			rc = data_out(d, p, n, err, errsz);
	return rc;
}

/* compress/flate reads raw deflate (RFC 1951) from exactly csize bytes:
 * a stream that needs more is an error (unexpected EOF); one that ends
 * before them leaves bytes archive/zip never reads, refused here. */
static int inflated(struct zdata *d, char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX];
	z_stream *zs = &d->zd->zs;
	const unsigned char *p;
	size_t n;
	int zr, rc = 0;

	if (d->zd->zs_ready ? inflateReset(zs) != Z_OK : inflateInit2(zs, -MAX_WBITS) != Z_OK)
		return errset(err, errsz, -1, "out of memory");
	d->zd->zs_ready = 1;
	zs->avail_in = 0;
	do {
		if (zs->avail_in == 0 && d->left > 0) {
			if ((rc = data_in(d, &p, &n, err, errsz)) != 0)
				break;
			/* zlib reads next_in, never writes it */
			zs->next_in = (Bytef *)p;
			zs->avail_in = (uInt)n;
		}
		zs->next_out = d->zd->out;
		zs->avail_out = DATA_BUF;
		zr = inflate(zs, Z_NO_FLUSH);
		if (zr == Z_MEM_ERROR)
			rc = errset(err, errsz, -1, "out of memory");
		else if (zr == Z_BUF_ERROR)
			rc = errset(err, errsz, 1, "%s: compressed data ends inside its deflate stream", NAME(d->e, q));
		else if (zr != Z_OK && zr != Z_STREAM_END)
			rc = errset(err, errsz, 1, "%s: invalid deflate data: %s", NAME(d->e, q), zs->msg ? zs->msg : "error");
		else
			rc = data_out(d, d->zd->out, DATA_BUF - zs->avail_out, err, errsz);
	} while (rc == 0 && zr != Z_STREAM_END);
	if (rc == 0 && zs->avail_in + d->left > 0)
		rc = BADZIP("%s: %llu bytes after the end of its deflate stream", NAME(d->e, q),
		            ULL(zs->avail_in + d->left));
	return rc;
}

struct zipdata *zipdata_new(int fd, uint64_t size)
{
	struct zipdata *zd = calloc(1, sizeof *zd);

	if (zd == NULL)
		return NULL;
	if (zipwin_init(&zd->in, fd, DATA_BUF, 2 * size) != 0 || (zd->out = malloc(DATA_BUF)) == NULL) {
		zipdata_free(zd);
		return NULL;
	}
	return zd;
}

void zipdata_free(struct zipdata *zd)
{
	if (zd == NULL)
		return;
	if (zd->zs_ready)
		inflateEnd(&zd->zs);
	zipwin_free(&zd->in);
	free(zd->out);
	free(zd);
}

int zipdata_read(struct zipdata *zd, const struct zent *e, zipdata_sink *sink, void *ctx, char *err, size_t errsz)
{
	struct zdata d = { zd, e, e->doff, e->csize, 0, 0, sink, ctx };
	char q[2 * QUOTE_MAX];
	int rc;

	if (e->method != ZC_METHOD_STORE && e->method != ZC_METHOD_DEFLATE)
		return errset(err, errsz, 1, "%s: compression method %u not allowed (only store and deflate)",
		              NAME(e, q), e->method);
	rc = e->method == ZC_METHOD_STORE ? stored(&d, err, errsz) : inflated(&d, err, errsz);
	if (rc == 0 && d.got != e->usize)
		rc = errset(err, errsz, 1, "uncompressed size of %s differs from declared size (%llu bytes)",
		            NAME(e, q), ULL(e->usize));
	/* archive/zip skips the check when the CRC-32 is zero and there is
	 * no data descriptor; goreg does not */
	if (rc == 0 && d.crc != e->crc)
		rc = errset(err, errsz, 1, "crc mismatch in %s", NAME(e, q));
	return rc;
}
