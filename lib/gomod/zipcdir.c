/* A zip archive as Go's archive/zip (Go 1.19, reader.go) reads it, so
 * that every byte goreg checks and hashes is one the go command reads:
 * readDirectoryEnd (the end record: the last signature in the last 65 KiB
 * whose comment fits; the zip64 end record when a field is saturated and
 * the locator names disk 0 of 1), readDirectoryHeader (the central
 * directory, sizes and offsets from the first zip64 extra field), File.Open
 * (the data at the local header's offset plus 30 plus the LOCAL header's
 * name and extra lengths, CompressedSize64 bytes, stored or deflated,
 * exactly UncompressedSize64 bytes out, the CRC-32 of the central directory
 * checked, with the data descriptor's when there is one).
 *
 * goreg reads nothing through libzip: it would pick its own end record
 * among several (the first it can parse; when two parse, the one whose
 * entries span more bytes), its zip_stat gives no data offset to compare
 * with ours, and it turns a NUL in a name into a space and prefers an
 * Info-ZIP Unicode Path extra field (0x7075) to the name.
 *
 * Beyond what archive/zip refuses, an archive another reader could read
 * otherwise is refused: a second end record signature that a reader could
 * take, or one anywhere from the central directory on; bytes after the end
 * record; a zip64 locator archive/zip does not follow, or a zip64 end
 * record that disagrees with the end record; data before the archive
 * (archive/zip's baseOffset, which Go 1.19 allows); a central directory
 * with bytes after its last header; local headers whose name, method,
 * flags, sizes or CRC-32 differ from the central directory's; entries that
 * are not laid out back to back from the first byte to the central
 * directory (overlapping data, gaps, data running into the directory); a
 * data descriptor whose CRC-32 or sizes differ; a deflate stream shorter
 * or longer than its compressed size. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/utf8.h"
#include "base/util.h"
#include "gomod/zipcdir.h"

/* Zip format constants (PKWARE APPNOTE.TXT 4.3, 4.4, 4.5). */
#define SIG_LOCAL   0x04034b50u
#define SIG_CDIR    0x02014b50u
#define SIG_DESC    0x08074b50u
#define SIG_EOCD    0x06054b50u
#define SIG_EOCD64  0x06064b50u
#define SIG_LOC64   0x07064b50u
#define LOCAL_LEN   30
#define CDIR_LEN    46
#define EOCD_LEN    22
#define LOC64_LEN   20
#define EOCD64_LEN  56
#define EXTRA_ZIP64     0x0001u
#define EXTRA_UNI_PATH  0x7075u
#define SAT16 0xffffu
#define SAT32 0xffffffffu
/* archive/zip readDirectoryEnd looks in the last 1 KiB, then in the last
 * 65 KiB; either way it takes the last signature that fits */
#define EOCD_SEARCH (65 * 1024)

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

/* At least min and at most max bytes at off into b, *got of them: 0; 1
 * if the file ends first; -1 on error with errno.  A regular file reads
 * short only at its end: one pread, or none for min 0. */
static int read_some(int fd, unsigned char *b, size_t min, size_t max, uint64_t off, size_t *got)
{
	*got = 0;
	while (*got < min) {
		ssize_t r = pread(fd, b + *got, max - *got, (off_t)(off + *got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 1;
		*got += (size_t)r;
	}
	return 0;
}

int zipcdir_read_at(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got;

	return read_some(fd, buf, n, n, off, &got);
}

int zipwin_init(struct zipwin *w, int fd, size_t cap, uint64_t ahead)
{
	*w = (struct zipwin){ .fd = fd, .cap = cap, .ahead = ahead };
	return (w->b = malloc(cap)) == NULL ? -1 : 0;
}

void zipwin_free(struct zipwin *w)
{
	free(w->b);
	w->b = NULL;
}

int zipwin_get(struct zipwin *w, uint64_t off, size_t n, const unsigned char **p)
{
	int ahead = off >= w->off && w->ahead > 0;
	size_t got;
	int rc;

	if (off >= w->off && n <= w->len && off - w->off <= w->len - n) {
		*p = w->b + (off - w->off);
		return 0;
	}
	if (n > w->cap) {
		errno = EINVAL;
		return -1;
	}
	w->len = 0;
	if ((rc = read_some(w->fd, w->b, n, ahead ? w->cap : n, off, &got)) != 0)
		return rc;
	if (ahead)
		w->ahead -= got < w->ahead ? got : w->ahead;
	w->off = off;
	w->len = got;
	*p = w->b;
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
#define NAME(e, q) utf8_quote((e)->name, (e)->namelen, q, sizeof q)
#define ULL(x) ((unsigned long long)(x))

/* a read_at result as the answer: a read error, or a file that shrank */
static int read_failed(int rc, char *err, size_t errsz)
{
	return rc < 0 ? errset(err, errsz, -1, "read error: %s", strerror(errno)) : BADZIP("file shrank while read");
}

/* The end of the file and what archive/zip makes of it. */
struct tail {
	unsigned char *b;       /* the last len bytes of the file */
	size_t len;
	uint64_t off;           /* where b starts */
	uint64_t eocd;          /* the end record archive/zip takes */
	uint64_t end;           /* where the central directory must end: the zip64 end record, else eocd */
	uint64_t recs, cdsize, cdoff;
};

/* readDirectoryEnd, findSignatureInBlock: the last end record signature
 * in the last 65 KiB whose record and comment fit in the file. */
static int end_record(int fd, uint64_t size, struct tail *t, char *err, size_t errsz)
{
	const unsigned char *r;
	size_t i, after;
	int rc, found = 0;

	t->len = size < EOCD_SEARCH ? (size_t)size : EOCD_SEARCH;
	t->off = size - t->len;
	if (t->len < EOCD_LEN)
		return BADZIP("too short to be a zip (%zu bytes)", t->len);
	if ((t->b = malloc(t->len)) == NULL)
		return errset(err, errsz, -1, "out of memory");
	if ((rc = zipcdir_read_at(fd, t->b, t->len, t->off)) != 0)
		return read_failed(rc, err, errsz);
	for (i = t->len - EOCD_LEN + 1; !found && i-- > 0;)
		found = le32(t->b + i) == SIG_EOCD && i + EOCD_LEN + le16(t->b + i + 20) <= t->len;
	if (!found)
		return BADZIP("no end of central directory record");
	r = t->b + i;
	t->eocd = t->end = t->off + i;
	t->recs = le16(r + 10);
	t->cdsize = le32(r + 12);
	t->cdoff = le32(r + 16);
	/* archive/zip reads up to the comment's end and no further; another
	 * reader may look for an end record in what follows */
	if ((after = t->len - i - EOCD_LEN - le16(r + 20)) != 0)
		return BADZIP("%zu bytes after the end of central directory record", after);
	/* archive/zip ignores the disk numbers and this disk's entry count;
	 * libzip refuses an archive whose counts differ */
	if (le16(r + 4) != 0 || le16(r + 6) != 0)
		return BADZIP("the end record names another disk");
	if (le16(r + 8) != t->recs)
		return BADZIP("entry counts in the end record disagree (%u and %llu)", le16(r + 8), ULL(t->recs));
	return 0;
}

/* The zip64 end record has nothing after it but its locator and the end
 * record, names no other disk, and agrees with every field the end record
 * does not saturate. */
static int zip64_agrees(const unsigned char *r, uint64_t at, const struct tail *t, char *err, size_t errsz)
{
	if (at + EOCD64_LEN + LOC64_LEN != t->eocd || le64(r + 4) != EOCD64_LEN - 12)
		return BADZIP("zip64 end record is not right before its locator");
	if (le32(r + 16) != 0 || le32(r + 20) != 0 || le64(r + 24) != le64(r + 32))
		return BADZIP("zip64 end record names another disk");
	if ((t->recs != SAT16 && t->recs != le64(r + 32)) || (t->cdsize != SAT32 && t->cdsize != le64(r + 40)) ||
	    (t->cdoff != SAT32 && t->cdoff != le64(r + 48)))
		return BADZIP("zip64 end record disagrees with the end record");
	return 0;
}

/* readDirectoryEnd, findDirectory64End, readDirectory64End: archive/zip
 * reads a zip64 end record only when the end record saturates a field
 * (it compares the directory's size with 0xffff, not 0xffffffff; so do
 * we) and the locator before the end record names disk 0 of 1 at an
 * offset that is not negative as an int64.  libzip follows any locator
 * signature there, so one archive/zip passes over is refused. */
static int zip64_end(int fd, uint64_t size, struct tail *t, char *err, size_t errsz)
{
	unsigned char loc[LOC64_LEN], r[EOCD64_LEN];
	int saturated = t->recs == SAT16 || t->cdsize == SAT16 || t->cdoff == SAT32;
	uint64_t at;
	int rc;

	if (t->eocd < LOC64_LEN)
		return 0;
	if ((rc = zipcdir_read_at(fd, loc, sizeof loc, t->eocd - LOC64_LEN)) != 0)
		return read_failed(rc, err, errsz);
	if (le32(loc) != SIG_LOC64)
		return 0;
	at = le64(loc + 8);
	if (!saturated || le32(loc + 4) != 0 || le32(loc + 16) != 1 || at > INT64_MAX)
		return BADZIP("zip64 end of central directory locator that archive/zip does not read");
	if (at > size || size - at < EOCD64_LEN)
		return BADZIP("bad zip64 end of central directory record");
	if ((rc = zipcdir_read_at(fd, r, sizeof r, at)) != 0)
		return read_failed(rc, err, errsz);
	if (le32(r) != SIG_EOCD64)
		return BADZIP("bad zip64 end of central directory record");
	if ((rc = zip64_agrees(r, at, t, err, errsz)) != 0)
		return rc;
	t->end = at;
	t->recs = le64(r + 32);
	t->cdsize = le64(r + 40);
	t->cdoff = le64(r + 48);
	return 0;
}

/* archive/zip's baseOffset is where the end record says the directory
 * ends less where it is: Go 1.19 reads an archive with data before it
 * (a self-extracting zip) by moving every offset; goreg refuses one. */
static int cdir_bounds(const struct tail *t, char *err, size_t errsz)
{
	if (t->cdsize > t->end || t->end - t->cdsize < t->cdoff)
		return BADZIP("central directory is not where the end record says");
	if (t->end - t->cdsize > t->cdoff)
		return BADZIP("%llu bytes of data before the archive", ULL(t->end - t->cdsize - t->cdoff));
	if (t->recs > MODZIP_MAX_FILES)
		return errset(err, errsz, 1, "too many entries in zip (%llu; limit is %d)", ULL(t->recs),
		              MODZIP_MAX_FILES);
	if (t->recs > t->cdsize / CDIR_LEN)
		return BADZIP("central directory too small for %llu entries", ULL(t->recs));
	if (t->cdsize > MODZIP_MAX_CDIR)
		return errset(err, errsz, 1, "zip central directory too large (%llu bytes; limit is %lld bytes)",
		              ULL(t->cdsize), (long long)MODZIP_MAX_CDIR);
	return 0;
}

/* Any other end record a reader could take.  archive/zip takes the last
 * signature whose comment fits, libzip the first it can parse, Python's
 * zipfile the last signature: so another signature whose record and
 * comment fit is refused, and any from the central directory on.  (A
 * module with a stored zip among its last 65 KiB is refused too.) */
static int stray_ends(const struct tail *t, char *err, size_t errsz)
{
	size_t i;

	for (i = 0; i + 4 <= t->len; i++) {
		uint64_t at = t->off + i;
		if (le32(t->b + i) != SIG_EOCD || at == t->eocd)
			continue;
		if (at >= t->cdoff)
			return BADZIP("end of central directory signature after the central directory (at %llu)", ULL(at));
		if (i + EOCD_LEN <= t->len && i + EOCD_LEN + le16(t->b + i + 20) <= t->len)
			return BADZIP("more than one end of central directory record (at %llu and %llu)", ULL(at),
			              ULL(t->eocd));
	}
	return 0;
}

/* The next extra field in [*x, xend) (APPNOTE 4.5.1): its tag and its
 * data [*f, *fend); 0 at the end, or at a field that overruns, where
 * archive/zip stops too. */
static int next_extra(const unsigned char **x, const unsigned char *xend, unsigned *tag,
                      const unsigned char **f, const unsigned char **fend)
{
	size_t fsz;

	if (xend - *x < 4)
		return 0;
	*tag = le16(*x);
	fsz = le16(*x + 2);
	if ((size_t)(xend - *x - 4) < fsz)
		return 0;
	*f = *x + 4;
	*fend = *x = *f + fsz;
	return 1;
}

/* A value the header saturates, from the zip64 field at *f (fend its
 * end), if still needed: 0, or -1 if the field is too short. */
static int zip64_value(const unsigned char **f, const unsigned char *fend, int *need, uint64_t *v)
{
	if (!*need)
		return 0;
	*need = 0;
	if (fend - *f < 8)
		return -1;
	*v = le64(*f);
	*f += 8;
	return 0;
}

/* readDirectoryHeader's extra fields: sizes and the offset saturated in
 * the header come from the first zip64 field, in that order, and one too
 * short for them is an error (ErrFormat). */
static int cdir_extra(struct zent *e, const unsigned char *x, size_t xlen, const unsigned char *h,
                      char *err, size_t errsz)
{
	const unsigned char *xend = x + xlen;
	int need_u = le32(h + 24) == SAT32, need_c = le32(h + 20) == SAT32, need_off = le32(h + 42) == SAT32;
	const unsigned char *f, *fend;
	char q[2 * QUOTE_MAX];
	unsigned tag;

	while (next_extra(&x, xend, &tag, &f, &fend)) {
		if (tag == EXTRA_UNI_PATH)
			e->upath = 1;
		if (tag != EXTRA_ZIP64)
			continue;
		if (zip64_value(&f, fend, &need_u, &e->usize) != 0 || zip64_value(&f, fend, &need_c, &e->csize) != 0 ||
		    zip64_value(&f, fend, &need_off, &e->hoff) != 0)
			goto bad;
	}
	if (!need_c && !need_off)
		return 0;
bad:
	return BADZIP("%s: bad zip64 extra field", NAME(e, q));
}

/* One central directory header at h, avail bytes left; *used is its size. */
static int cdir_header(const unsigned char *h, size_t avail, struct zent *e, size_t idx, size_t *used,
                       char *err, size_t errsz)
{
	size_t nlen, xlen, clen;

	if (avail < CDIR_LEN || le32(h) != SIG_CDIR)
		return BADZIP("bad central directory header for entry %zu", idx);
	nlen = le16(h + 28);
	xlen = le16(h + 30);
	clen = le16(h + 32);
	if (avail - CDIR_LEN < nlen + xlen + clen)
		return BADZIP("central directory header for entry %zu overruns", idx);
	e->made_by = le16(h + 4);
	e->flags = le16(h + 8);
	e->method = le16(h + 10);
	e->crc = le32(h + 16);
	e->csize = le32(h + 20);
	e->usize = le32(h + 24);
	e->xattr = le32(h + 38);
	e->hoff = le32(h + 42);
	if ((e->name = malloc(nlen + 1)) == NULL)
		return errset(err, errsz, -1, "out of memory");
	memcpy(e->name, h + CDIR_LEN, nlen);
	e->name[nlen] = '\0';
	e->namelen = nlen;
	e->is_dir = nlen > 0 && e->name[nlen - 1] == '/';
	*used = CDIR_LEN + nlen + xlen + clen;
	return cdir_extra(e, h + CDIR_LEN + nlen, xlen, h, err, errsz);
}

/* Every header of the central directory, which they fill exactly:
 * archive/zip reads headers until one has no signature, so bytes after
 * the last could be read as more entries. */
static int cdir_read(int fd, const struct tail *t, struct zents *z, char *err, size_t errsz)
{
	unsigned char *cd;
	size_t i, p = 0, used = 0;
	int rc = 0;

	if ((cd = malloc(t->cdsize ? (size_t)t->cdsize : 1)) == NULL ||
	    (t->recs && (z->e = calloc((size_t)t->recs, sizeof z->e[0])) == NULL)) {
		free(cd);
		return errset(err, errsz, -1, "out of memory");
	}
	if ((rc = zipcdir_read_at(fd, cd, (size_t)t->cdsize, t->cdoff)) != 0)
		rc = rc < 0 ? read_failed(rc, err, errsz) : BADZIP("truncated central directory");
	for (i = 0; i < t->recs && rc == 0; i++, p += used) {
		rc = cdir_header(cd + p, (size_t)t->cdsize - p, &z->e[i], i, &used, err, errsz);
		if (z->e[i].name != NULL)
			z->n = i + 1;
	}
	if (rc == 0 && p != t->cdsize)
		rc = BADZIP("central directory has %llu bytes after its last header", ULL(t->cdsize - p));
	free(cd);
	return rc;
}

/* With a data descriptor a writer may leave a local field zero (APPNOTE
 * 4.4.4, bit 3); zip(1) writing to a pipe keeps the uncompressed size. */
static int same(uint64_t local, uint64_t central, int dd)
{
	return local == central || (dd && local == 0);
}

/* The fields of local header h (its extra field x) archive/zip does not
 * read but libzip and streaming readers do: they must say what the
 * central directory header says.  Saturated sizes come from the zip64
 * extra field, uncompressed size first (APPNOTE 4.5.3). */
static int local_fields(const struct zent *e, const unsigned char *h, const unsigned char *x, size_t xlen,
                        char *err, size_t errsz)
{
	uint16_t flags = le16(h + 6), method = le16(h + 8);
	uint64_t crc = le32(h + 14), cs = le32(h + 18), us = le32(h + 22);
	const unsigned char *xend = x + xlen, *f, *fend;
	int dd = (flags & ZC_FLAG_DESCRIPTOR) != 0;
	unsigned tag;
	char q[2 * QUOTE_MAX];

	if (flags & (ZC_FLAG_ENCRYPTED | ZC_FLAG_STRONG_ENCRYPT))
		return errset(err, errsz, 1, "%s: encrypted entries are not allowed", NAME(e, q));
	if ((flags ^ e->flags) & ZC_FLAG_DESCRIPTOR)
		return BADZIP("%s: data descriptor flag differs between its local and central headers", NAME(e, q));
	if (method != e->method)
		return BADZIP("%s: compression method %u in its local header, %u in the central directory",
		              NAME(e, q), method, e->method);
	while (next_extra(&x, xend, &tag, &f, &fend)) {
		if (tag == EXTRA_UNI_PATH)
			return errset(err, errsz, 1, "%s: unicode path extra field not allowed "
			              "(readers disagree on the name)", NAME(e, q));
		if (tag == EXTRA_ZIP64 && us == SAT32 && fend - f >= 8)
			us = le64(f), f += 8;
		if (tag == EXTRA_ZIP64 && cs == SAT32 && fend - f >= 8)
			cs = le64(f);
	}
	if (!same(crc, e->crc, dd) || !same(cs, e->csize, dd) || !same(us, e->usize, dd))
		return BADZIP("%s: sizes or crc in its local header differ from its central directory header",
		              NAME(e, q));
	return 0;
}

/* archive/zip reads a data descriptor's CRC-32 after the data, with or
 * without its signature (APPNOTE 4.3.9.3), and compares it with the
 * central directory's; a streaming reader takes its sizes, 4 or 8 bytes
 * each, so they must match too.  Sets e->end past it. */
static int descriptor(struct zipwin *w, struct zent *e, uint64_t cdoff, char *err, size_t errsz)
{
	const unsigned char *d;
	uint64_t at = e->doff + e->csize;
	size_t n = cdoff - at < 24 ? (size_t)(cdoff - at) : 24, b;
	char q[2 * QUOTE_MAX];
	int rc;

	if ((rc = zipwin_get(w, at, n, &d)) != 0)
		return read_failed(rc, err, errsz);
	b = n >= 4 && le32(d) == SIG_DESC ? 4 : 0;
	if (n >= b + 12 && le32(d + b) == e->crc && le32(d + b + 4) == e->csize && le32(d + b + 8) == e->usize)
		e->end = at + b + 12;
	else if (n >= b + 20 && le32(d + b) == e->crc && le64(d + b + 4) == e->csize && le64(d + b + 12) == e->usize)
		e->end = at + b + 20;
	else
		return BADZIP("%s: crc or sizes in its data descriptor differ from its central directory header",
		              NAME(e, q));
	return 0;
}

/* File.findBodyOffset: the data starts after the local header's name and
 * extra field, with the LOCAL header's lengths; w holds a local header
 * with the longest name and extra field. */
static int local_header(struct zipwin *w, struct zent *e, uint64_t cdoff, char *err, size_t errsz)
{
	char q[2 * QUOTE_MAX], q2[2 * QUOTE_MAX];
	const unsigned char *h;
	size_t nlen, xlen;
	int rc;

	if (e->hoff > cdoff || cdoff - e->hoff < LOCAL_LEN)
		return BADZIP("%s: local header is not before the central directory", NAME(e, q));
	if ((rc = zipwin_get(w, e->hoff, LOCAL_LEN, &h)) != 0)
		return read_failed(rc, err, errsz);
	if (le32(h) != SIG_LOCAL)
		return BADZIP("%s: bad local header", NAME(e, q));
	nlen = le16(h + 26);
	xlen = le16(h + 28);
	if (cdoff - e->hoff - LOCAL_LEN < nlen + xlen)
		return BADZIP("%s: local header runs into the central directory", NAME(e, q));
	if ((rc = zipwin_get(w, e->hoff, LOCAL_LEN + nlen + xlen, &h)) != 0)
		return read_failed(rc, err, errsz);
	if (nlen != e->namelen || memcmp(h + LOCAL_LEN, e->name, nlen) != 0)
		return BADZIP("%s: local header names %s", NAME(e, q),
		              utf8_quote((const char *)h + LOCAL_LEN, nlen, q2, sizeof q2));
	if ((rc = local_fields(e, h, h + LOCAL_LEN + nlen, xlen, err, errsz)) != 0)
		return rc;
	e->doff = e->hoff + LOCAL_LEN + nlen + xlen;
	if (e->csize > cdoff - e->doff)
		return BADZIP("%s: data runs into the central directory", NAME(e, q));
	e->end = e->doff + e->csize;
	return e->flags & ZC_FLAG_DESCRIPTOR ? descriptor(w, e, cdoff, err, errsz) : 0;
}

static int by_offset(const void *a, const void *b)
{
	const struct zent *x = *(const struct zent *const *)a, *y = *(const struct zent *const *)b;

	return x->hoff < y->hoff ? -1 : x->hoff > y->hoff;
}

/* Entries back to back from the first byte to the central directory, as
 * zip writers lay them: no data two entries share, no bytes a streaming
 * reader could take for another entry. */
static int layout(const struct zents *z, uint64_t cdoff, char *err, size_t errsz)
{
	const struct zent **by, *prev = NULL;
	char q[2 * QUOTE_MAX], q2[2 * QUOTE_MAX];
	uint64_t at = 0;
	size_t i;
	int rc = 0;

	if ((by = malloc((z->n ? z->n : 1) * sizeof *by)) == NULL)
		return errset(err, errsz, -1, "out of memory");
	for (i = 0; i < z->n; i++)
		by[i] = &z->e[i];
	qsort(by, z->n, sizeof *by, by_offset);
	for (i = 0; i < z->n && rc == 0; prev = by[i], at = by[i]->end, i++) {
		if (by[i]->hoff < at)
			rc = BADZIP("%s overlaps %s", NAME(by[i], q), NAME(prev, q2));
		else if (by[i]->hoff > at && prev == NULL)
			rc = BADZIP("%llu bytes before the first entry belong to no entry", ULL(by[i]->hoff));
		else if (by[i]->hoff > at)
			rc = BADZIP("%llu bytes before entry %s belong to no entry", ULL(by[i]->hoff - at), NAME(by[i], q));
	}
	if (rc == 0 && at != cdoff)
		rc = BADZIP("%llu bytes before the central directory belong to no entry", ULL(cdoff - at));
	free(by);
	return rc;
}

/* Every local header, through a window (zipwin_get) of what zip writers
 * put between two: the headers of a zip of small files in a few reads */
static int locals(int fd, struct zents *z, uint64_t cdoff, char *err, size_t errsz)
{
	struct zipwin w;
	size_t i;
	int rc = 0;

	if (zipwin_init(&w, fd, LOCAL_LEN + 2 * 0xffff, 2 * cdoff) != 0)
		return errset(err, errsz, -1, "out of memory");
	for (i = 0; i < z->n && rc == 0; i++)
		rc = local_header(&w, &z->e[i], cdoff, err, errsz);
	zipwin_free(&w);
	return rc == 0 ? layout(z, cdoff, err, errsz) : rc;
}

int zipcdir_read(int fd, uint64_t size, struct zents *z, char *err, size_t errsz)
{
	struct tail t = { NULL, 0, 0, 0, 0, 0, 0, 0 };
	int rc;

	rc = end_record(fd, size, &t, err, errsz);
	if (rc == 0)
		rc = zip64_end(fd, size, &t, err, errsz);
	if (rc == 0)
		rc = cdir_bounds(&t, err, errsz);
	if (rc == 0)
		rc = stray_ends(&t, err, errsz);
	free(t.b);
	if (rc == 0)
		rc = cdir_read(fd, &t, z, err, errsz);
	if (rc == 0)
		rc = locals(fd, z, t.cdoff, err, errsz);
	return rc;
}
