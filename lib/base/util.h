/* Small helpers shared by lib/: whole reads and writes, atomic files,
 * a growable buffer, hex.  None of them exits or prints. */
#ifndef GOREG_UTIL_H
#define GOREG_UTIL_H
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct buf {
	char *p;
	size_t len, cap;
};
int buf_add(struct buf *b, const void *data, size_t n);     /* 0 or -1 (ENOMEM) */
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* s as a JSON string, quotes included (RFC 8259 section 7: '"', '\\' and
 * the control characters escaped): 0 or -1 (ENOMEM). */
int buf_json_string(struct buf *b, const char *s);
void buf_free(struct buf *b);

int write_all(int fd, const void *data, size_t n);          /* 0, or -1 with errno */
/* Read a whole regular file of at most max bytes into *out (NUL-terminated,
 * malloc'd).  Returns 0, or -1 with errno: EFBIG if larger than max,
 * ELOOP if path names a symbolic link (never followed), EINVAL if it
 * names no regular file (a FIFO is never waited on). */
int read_file(const char *path, size_t max, char **out, size_t *len);
/* The same, path relative to the directory open as dirfd (openat). */
int read_file_at(int dirfd, const char *path, size_t max, char **out, size_t *len);
/* openat(dirfd, rel, flags) without following a symbolic link anywhere
 * in rel: every directory on the way is opened with O_NOFOLLOW, and the
 * last component too (a link there, or on the way: ELOOP; a file on the
 * way: ENOTDIR).  rel is relative, '/'-separated, without empty
 * components.  The fd (O_CLOEXEC added), or -1 with errno. */
int open_beneath(int dirfd, const char *rel, int flags);

int mkdir_p(const char *path, mode_t mode);                /* like mkdir -p */
int fsync_path(const char *path);                           /* open + fsync (dirs too) */
/* Write data to dir/name atomically: a temp file in tmpdir (same filesystem),
 * fsync, rename, fsync dir.  0, or -1 with errno. */
int write_file_atomic(const char *tmpdir, const char *dir, const char *name,
                      const void *data, size_t n);

/* Room for need elements of size sz in the doubling array *(T **)arrp of
 * capacity *cap.  0, or -1 (ENOMEM) with the array and *cap unchanged. */
int grow(void *arrp, size_t *cap, size_t need, size_t sz);

/* Eight bytes of a word tested at once ("Determine if a word has a byte
 * less than n", Sean Anderson's Bit Twiddling Hacks): the high bit of each
 * byte of w below n (n <= 128) set, zero when there is none.  A flag above
 * the lowest one may be false (a borrow), so the lowest flag is exact, and
 * so is "is there one". */
#define WORD_BYTES(x) (0x0101010101010101ULL * (x))
static inline uint64_t word_bytes_below(uint64_t w, unsigned n)
{
	return (w - WORD_BYTES(n)) & ~w & WORD_BYTES(0x80);
}

/* memchr(p, c, n) for the short spans a request parses (its head's
 * lines, a record's): eight bytes at a time from p on, with no
 * byte-by-byte start to an aligned address */
const char *find_byte(const char *p, int c, size_t n);
/* memcmp(a, b, n) == 0 for the short keys a request compares (a kept
 * record's, a path segment's): eight bytes at a time, where musl's
 * memcmp goes a byte at a time */
int bytes_equal(const void *a, const void *b, size_t n);
/* The n bytes at s into out[outsz] as a string, cut to the outsz - 1
 * that fit (outsz > 0): a field of a record, a line of a list */
void copy_cut(char *out, size_t outsz, const char *s, size_t n);

void hex_encode(const unsigned char *in, size_t n, char *out); /* out: 2n+1 */
/* RFC 3339 UTC with seconds: 2006-01-02T15:04:05Z */
void time_rfc3339(int64_t t, char out[32]);
/* RFC 9110 IMF-fixdate */
void time_http(int64_t t, char out[40]);
int64_t time_http_parse(const char *s);                     /* -1 if invalid */

/* snprintf that reports truncation: 0, or -1 if it did not fit.  A
 * format whose only conversion is %s is done without printf. */
int fmt(char *out, size_t outsz, const char *f, ...) __attribute__((format(printf, 3, 4)));
/* v in decimal, NUL-terminated: its length (at most 20) */
size_t fmt_num(char out[24], long long v);

/* check(s), for a check whose answer depends on the string alone and is
 * asked again of the same one (a request checks its owner, module path
 * and version as the route decodes them and again as the store names its
 * files and keys): the last string found valid is kept in last[cap] and
 * passes at once. */
const char *check_remembered(char *last, size_t cap, const char *s, const char *(*check)(const char *));

/* Write a one-line reason into err and return code: the error convention
 * of store, auth and route functions (used through their ERR macro). */
int errset(char *err, size_t errsz, int code, const char *f, ...) __attribute__((format(printf, 4, 5)));
#define ERR(code, ...) errset(err, errsz, (code), __VA_ARGS__)

/* The names in dir but "." and "..", sorted bytewise, NULL-terminated;
 * free with strv_free.  NULL with errno and *n 0 on failure (readdir's
 * too). */
char **dir_names(const char *dir, size_t *n);
/* The same for the directory open as dirfd (left open, read from its
 * start). */
char **dir_names_at(int dirfd, size_t *n);
/* Free n strings and the array holding them. */
void strv_free(char **v, size_t n);

#endif
