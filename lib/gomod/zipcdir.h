/* A zip read as Go's archive/zip reads it (PKWARE APPNOTE.TXT 4.3), for
 * the module zip checks in modzip.c: the end record archive/zip picks, its
 * central directory with names byte for byte, where each entry's data
 * starts as archive/zip computes it (zipdata.h then reads the data).
 * Archives that another reader could read differently are refused
 * (zipcdir.c says which). */
#ifndef GOREG_ZIPCDIR_H
#define GOREG_ZIPCDIR_H
#include <stddef.h>
#include <stdint.h>

/* Fields of a central directory header that modzip.c looks at (APPNOTE
 * 4.4.2 version made by, 4.4.4 general purpose flags, 4.4.5 method,
 * 4.4.15 external attributes). */
#define ZC_FLAG_ENCRYPTED        0x0001u
#define ZC_FLAG_DESCRIPTOR       0x0008u
#define ZC_FLAG_STRONG_ENCRYPT   0x0040u
#define ZC_FLAG_CDIR_ENCRYPTED   0x2000u
#define ZC_METHOD_STORE    0
#define ZC_METHOD_DEFLATE  8
#define ZC_OS_UNIX    3   /* "version made by" upper byte; archive/zip also */
#define ZC_OS_MACOSX  19  /* reads Unix mode bits for these two */
#define ZC_IFMT  0170000u
#define ZC_IFREG 0100000u
#define ZC_IFDIR 0040000u
#define ZC_IFLNK 0120000u

struct zent {
	char *name;             /* raw central directory name + NUL */
	size_t namelen;
	uint64_t usize;         /* declared uncompressed size */
	uint64_t csize;         /* declared compressed size */
	uint64_t hoff;          /* where its local header starts */
	uint64_t doff;          /* where its data starts (archive/zip's findBodyOffset) */
	uint64_t end;           /* where its data and data descriptor end */
	uint32_t crc;           /* declared CRC-32 */
	uint32_t xattr;         /* external attributes */
	uint16_t made_by, flags, method;
	unsigned char upath;    /* has a Unicode Path extra field */
	unsigned char is_dir;   /* name ends in '/' */
	unsigned char sha256[32];       /* of the data, filled in by modzip.c */
};

struct zents {
	struct zent *e;
	size_t n;
};

/* Read the archive in the size-byte file open on fd into *z (start with
 * { NULL, 0 }): the end record, the central directory, every local
 * header.  Returns 0; 1 with a one-line reason in err if the file is not
 * a zip archive/zip would read, or one another reader could read
 * otherwise, or has more than MODZIP_MAX_FILES entries or a central
 * directory over MODZIP_MAX_CDIR bytes; -1 on a system error.  Free *z
 * with zipcdir_free whatever the result. */
int zipcdir_read(int fd, uint64_t size, struct zents *z, char *err, size_t errsz);
void zipcdir_free(struct zents *z);

/* Read exactly n bytes at off: 0, 1 if the file ends first, -1 on error
 * with errno. */
int zipcdir_read_at(int fd, void *buf, size_t n, uint64_t off);

/* A window on the file open on fd, for reads that mostly go forward (the
 * local headers, the entries' data: central directory order, which zip
 * writers make file order).  A read outside it at or after its start
 * reads cap bytes ahead; one before it, only what it asks for; and once
 * read-ahead has read `ahead` bytes, no read does: so no order of entries
 * makes it read much more than the file. */
struct zipwin {
	int fd;
	unsigned char *b;
	size_t cap, len;
	uint64_t off;           /* b holds the file's [off, off + len) */
	uint64_t ahead;         /* what read-ahead may still read */
};

/* -1 when out of memory (zipwin_free then does no harm) */
int zipwin_init(struct zipwin *w, int fd, size_t cap, uint64_t ahead);
void zipwin_free(struct zipwin *w);

/* n bytes (at most cap) at off: *p points at them in the window until
 * the next zipwin_get.  0, 1 if the file ends first, -1 on error with
 * errno. */
int zipwin_get(struct zipwin *w, uint64_t off, size_t n, const unsigned char **p);

#endif
