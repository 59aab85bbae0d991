/* The central directory of a zip, as Go's archive/zip reads it.  modzip.c
 * walks it itself rather than through libzip because libzip turns a NUL
 * inside a name into a space and prefers an Info-ZIP Unicode Path extra
 * field (0x7075) to the name, and either would make us check and hash a
 * name other than the one the go command uses. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/utf8.h"
#include "base/util.h"
#include "gomod/zipcdir.h"

/* Zip format constants (PKWARE APPNOTE.TXT 4.3, 4.4). */
#define SIG_CDIR    0x02014b50u
#define SIG_EOCD    0x06054b50u
#define SIG_EOCD64  0x06064b50u
#define SIG_LOC64   0x07064b50u
#define EOCD_LEN    22
#define LOC64_LEN   20
#define EOCD64_LEN  56
#define CDIR_LEN    46
#define EXTRA_ZIP64     0x0001u
#define EXTRA_UNI_PATH  0x7075u

static uint16_t le16(const unsigned char *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t le64(const unsigned char *b)
{
	return (uint64_t)le32(b) | (uint64_t)le32(b + 4) << 32;
}

/* Read exactly n bytes at off: 0, 1 if the file ends first, -1 on error. */
static int read_at(int fd, void *buf, size_t n, uint64_t off)
{
	unsigned char *b = buf;

	while (n > 0) {
		ssize_t r = pread(fd, b, n, (off_t)off);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		b += r;
		n -= (size_t)r;
		off += (uint64_t)r;
	}
	return 0;
}

void zipcdir_free(struct zents *z)
{
	size_t i;

	for (i = 0; i < z->n; i++)
		free(z->e[i].name);
	free(z->e);
	z->e = NULL;
	z->n = 0;
}

#define BADZIP(...) errset(err, errsz, 1, "not a valid zip file: " __VA_ARGS__)

/* archive/zip readDirectoryEnd and readDirectoryHeader: find the end
 * record (the last signature whose comment fits, in the last 65 KiB),
 * follow the zip64 locator when a field is saturated, then read every
 * central directory header, taking sizes from the zip64 extra field. */
int zipcdir_read(int fd, uint64_t size, struct zents *z, char *err, size_t errsz)
{
	unsigned char *tail = NULL, *cd = NULL, loc[LOC64_LEN], e64[EOCD64_LEN];
	size_t tlen = size < 65 * 1024 ? (size_t)size : 65 * 1024, i, p;
	uint64_t eocd, end, recs, cdsize, cdoff;
	int rc, found = 0;
	char q[2 * QUOTE_MAX];

	if (tlen < EOCD_LEN)
		return BADZIP("too short to be a zip (%zu bytes)", tlen);
	if ((tail = malloc(tlen)) == NULL)
		return errset(err, errsz, -1, "out of memory");
	if ((rc = read_at(fd, tail, tlen, size - tlen)) != 0) {
		free(tail);
		return rc < 0 ? errset(err, errsz, -1, "read error: %s", strerror(errno))
		              : BADZIP("file shrank while read");
	}
	for (i = tlen - EOCD_LEN + 1; i-- > 0;)
		if (le32(tail + i) == SIG_EOCD && i + EOCD_LEN + le16(tail + i + 20) <= tlen) {
			found = 1;
			break;
		}
	if (!found) {
		free(tail);
		return BADZIP("no end of central directory record");
	}
	eocd = end = size - tlen + i;
	recs = le16(tail + i + 10);
	cdsize = le32(tail + i + 12);
	cdoff = le32(tail + i + 16);
	/* archive/zip compares the size with 0xffff, not 0xffffffff; follow it */
	if (recs == 0xffff || cdsize == 0xffff || cdoff == 0xffffffff) {
		if (eocd >= LOC64_LEN) {
			if ((rc = read_at(fd, loc, sizeof loc, eocd - LOC64_LEN)) < 0)
				goto ioerr;
			if (rc == 0 && le32(loc) == SIG_LOC64 && le32(loc + 4) == 0 && le32(loc + 16) == 1) {
				end = le64(loc + 8);
				if (end > size || size - end < EOCD64_LEN || read_at(fd, e64, sizeof e64, end) != 0 ||
				    le32(e64) != SIG_EOCD64) {
					free(tail);
					return BADZIP("bad zip64 end of central directory record");
				}
				recs = le64(e64 + 32);
				cdsize = le64(e64 + 40);
				cdoff = le64(e64 + 48);
			}
		}
	}
	free(tail);
	tail = NULL;
	/* Data before the archive (archive/zip's baseOffset) is not allowed:
	 * the central directory must end where the end record begins. */
	if (cdoff > end || cdsize != end - cdoff)
		return BADZIP("central directory is not where the end record says");
	if (recs > MODZIP_MAX_FILES)
		return errset(err, errsz, 1, "too many entries in zip (%llu; limit is %d)",
		            (unsigned long long)recs, MODZIP_MAX_FILES);
	if (recs > cdsize / CDIR_LEN)
		return BADZIP("central directory too small for %llu entries", (unsigned long long)recs);
	if (cdsize > MODZIP_MAX_CDIR)
		return errset(err, errsz, 1, "zip central directory too large (%llu bytes; limit is %lld bytes)",
		            (unsigned long long)cdsize, (long long)MODZIP_MAX_CDIR);
	if ((cd = malloc(cdsize ? (size_t)cdsize : 1)) == NULL ||
	    (recs && (z->e = calloc((size_t)recs, sizeof z->e[0])) == NULL)) {
		free(cd);
		return errset(err, errsz, -1, "out of memory");
	}
	if ((rc = read_at(fd, cd, (size_t)cdsize, cdoff)) != 0) {
		free(cd);
		return rc < 0 ? errset(err, errsz, -1, "read error: %s", strerror(errno))
		              : BADZIP("truncated central directory");
	}
	for (p = 0; z->n < recs; z->n++) {
		struct zent *e = &z->e[z->n];
		const unsigned char *h = cd + p, *x, *xend;
		size_t nlen, xlen, clen;
		int need_u, need_c, need_off;

		if (cdsize - p < CDIR_LEN || le32(h) != SIG_CDIR) {
			free(cd);
			return BADZIP("bad central directory header for entry %zu", z->n);
		}
		nlen = le16(h + 28);
		xlen = le16(h + 30);
		clen = le16(h + 32);
		if (cdsize - p - CDIR_LEN < nlen + xlen + clen) {
			free(cd);
			return BADZIP("central directory header for entry %zu overruns", z->n);
		}
		e->made_by = le16(h + 4);
		e->flags = le16(h + 8);
		e->method = le16(h + 10);
		e->usize = le32(h + 24);
		e->xattr = le32(h + 38);
		need_u = le32(h + 24) == 0xffffffffu;
		need_c = le32(h + 20) == 0xffffffffu;
		need_off = le32(h + 42) == 0xffffffffu;
		if ((e->name = malloc(nlen + 1)) == NULL) {
			free(cd);
			return errset(err, errsz, -1, "out of memory");
		}
		memcpy(e->name, h + CDIR_LEN, nlen);
		e->name[nlen] = '\0';
		e->namelen = nlen;
		e->is_dir = nlen > 0 && e->name[nlen - 1] == '/';
		for (x = h + CDIR_LEN + nlen, xend = x + xlen; xend - x >= 4;) {
			unsigned tag = le16(x), fsz = le16(x + 2);
			const unsigned char *f = x + 4;
			if ((size_t)(xend - f) < fsz)
				break;
			x = f + fsz;
			if (tag == EXTRA_UNI_PATH) {
				e->upath = 1;
			} else if (tag == EXTRA_ZIP64) {
				if (need_u) {
					if (x - f < 8)
						goto bad64;
					e->usize = le64(f);
					f += 8;
					need_u = 0;
				}
				if (need_c) {
					if (x - f < 8)
						goto bad64;
					f += 8;
					need_c = 0;
				}
				if (need_off) {
					if (x - f < 8)
						goto bad64;
					need_off = 0;
				}
			}
		}
		if (need_c || need_off)
			goto bad64;
		p += CDIR_LEN + nlen + xlen + clen;
		continue;
bad64:
		free(cd);
		z->n++;         /* so that zipcdir_free frees this name too */
		return BADZIP("%s: bad zip64 extra field", utf8_quote(e->name, e->namelen, q, sizeof q));
	}
	free(cd);
	return 0;
ioerr:
	free(tail);
	return errset(err, errsz, -1, "read error: %s", strerror(errno));
}
