#include "base/util.h"

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/limits.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

int buf_add(struct buf *b, const void *data, size_t n)
{
	if (n > SIZE_MAX - b->len - 1) {
		errno = ENOMEM;
		return -1;
	}
	if (grow(&b->p, &b->cap, b->len + n + 1, 1) < 0)
		return -1;
	if (n)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = 0;
	return 0;
}

int buf_puts(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int buf_printf(struct buf *b, const char *f, ...)
{
	va_list ap;
	char small[512];
	va_start(ap, f);
	int n = vsnprintf(small, sizeof small, f, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof small)
		return buf_add(b, small, (size_t)n);
	char *big = malloc((size_t)n + 1);
	if (!big)
		return -1;
	va_start(ap, f);
	vsnprintf(big, (size_t)n + 1, f, ap);
	va_end(ap);
	int r = buf_add(b, big, (size_t)n);
	free(big);
	return r;
}

void buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

int grow(void *arrp, size_t *cap, size_t need, size_t sz)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < need) {
		if (c > SIZE_MAX / 2) {
			errno = ENOMEM;
			return -1;
		}
		c *= 2;
	}
	if (c > SIZE_MAX / sz) {
		errno = ENOMEM;
		return -1;
	}
	/* arrp points at a T *; copied through memcpy, not read as a void * */
	void *old, *p;
	memcpy(&old, arrp, sizeof old);
	if (!(p = realloc(old, c * sz)))
		return -1;
	memcpy(arrp, &p, sizeof p);
	*cap = c;
	return 0;
}

int write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int read_file_at(int dirfd, const char *path, size_t max, char **out, size_t *len)
{
	/* not through a symbolic link, and without blocking on a FIFO (or a
	 * device) before fstat can tell it is no regular file */
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) < 0)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if ((uint64_t)st.st_size > max) {
		errno = EFBIG;
		goto fail;
	}
	char *p = malloc((size_t)st.st_size + 1);
	if (!p)
		goto fail;
	size_t got = 0;
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, p + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO;
			free(p);
			goto fail;
		}
		got += (size_t)r;
	}
	p[got] = 0;
	close(fd);
	*out = p;
	*len = got;
	return 0;
fail:;
	int e = errno;
	close(fd);
	errno = e;
	return -1;
}

int read_file(const char *path, size_t max, char **out, size_t *len)
{
	return read_file_at(AT_FDCWD, path, max, out, len);
}

/* openat with O_NOFOLLOW, whose failure on a symbolic link is ELOOP
 * also with O_DIRECTORY (Linux says ENOTDIR then, as for a file) */
static int openat_nofollow(int dirfd, const char *name, int flags)
{
	int fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	struct stat sb;
	if (fd < 0 && errno == ENOTDIR && (flags & O_DIRECTORY) &&
	    fstatat(dirfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(sb.st_mode))
		errno = ELOOP;
	return fd;
}

int open_beneath(int dirfd, const char *rel, int flags)
{
	int cur = dirfd;
	const char *p = rel;
	for (;;) {
		size_t n = strcspn(p, "/");
		char name[NAME_MAX + 1];
		int fd = -1;
		if (n == 0 || n > NAME_MAX) {
			errno = n ? ENAMETOOLONG : EINVAL;
		} else {
			memcpy(name, p, n);
			name[n] = 0;
			fd = openat_nofollow(cur, name, p[n] ? O_RDONLY | O_DIRECTORY : flags);
		}
		int e = errno;
		if (cur != dirfd)
			close(cur);
		errno = e;
		if (fd < 0 || !p[n])
			return fd;
		cur = fd;
		p += n + 1;
	}
}

int mkdir_p(const char *path, mode_t mode)
{
	char tmp[FILE_PATH_MAX];
	if (fmt(tmp, sizeof tmp, "%s", path) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return r;
}

int write_file_atomic(const char *tmpdir, const char *dir, const char *name,
                      const void *data, size_t n)
{
	char tmp[FILE_PATH_MAX], dst[FILE_PATH_MAX];
	if (fmt(tmp, sizeof tmp, "%s/w.XXXXXX", tmpdir) < 0 ||
	    fmt(dst, sizeof dst, "%s/%s", dir, name) < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* private by default: no world bit (goreg-store(5)) */
	if (fchmod(fd, 0640) < 0 || write_all(fd, data, n) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, dst) < 0)
		goto fail;
	return fsync_path(dir);
fail:;
	int e = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = e;
	return -1;
}

const char *find_byte(const char *p, int c, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const char *end = p + n;
#ifdef __SSE2__
	/* sixteen bytes at a time where every x86-64 has the instructions
	 * (a list record of thousands of versions is searched whole): the
	 * lowest set bit of the compare's mask is the first c; loads only of
	 * whole blocks inside the span */
	const __m128i c16 = _mm_set1_epi8((char)c);
	for (; end - p >= 16; p += 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), c16));
		if (m)
			return p + __builtin_ctz(m);
	}
#endif
	/* a word's first c is its lowest byte below 1 after the xor
	 * (word_bytes_below's lowest flag is exact), and the bytes are
	 * little-endian */
	const uint64_t cs = WORD_BYTES((unsigned char)c);
	for (; end - p >= 8; p += 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		uint64_t z = word_bytes_below(w ^ cs, 1);
		if (z)
			return p + __builtin_ctzll(z) / 8;
	}
	for (; p < end; p++)
		if (*p == (char)c)
			return p;
	return NULL;
#else
	return memchr(p, c, n);
#endif
}

static uint64_t word_at(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

void copy_cut(char *out, size_t outsz, const char *s, size_t n)
{
	if (n >= outsz)
		n = outsz - 1;
	memcpy(out, s, n);
	out[n] = 0;
}

int bytes_equal(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if (x[i] != y[i])
				return 0;
		return 1;
	}
	for (size_t i = 0; n - i > 8; i += 8)
		if (word_at(x + i) != word_at(y + i))
			return 0;
	/* the last eight bytes, overlapping the words before them */
	return word_at(x + n - 8) == word_at(y + n - 8);
}

void hex_encode(const unsigned char *in, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = 0;
}

/* The proleptic Gregorian date of day z since 1970-01-01 (z >= 0):
 * counted in 400-year eras of 146097 days from 0000-03-01, so that a leap
 * day is the last of its year.  The arithmetic is civil_from_days from
 * Howard Hinnant's "chrono-Compatible Low-Level Date Algorithms". */
static void civil_date(int64_t z, int *y, int *m, int *d)
{
	z += 719468; /* days from 0000-03-01 to 1970-01-01 */
	int64_t era = z / 146097, doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(era * 400 + yoe + (*m <= 2));
}

void time_rfc3339(int64_t t, char out[32])
{
	/* %Y-%m-%dT%H:%M:%SZ, without strftime's cost (goreg-httpd formats
	 * one per .info request) and, from 1970 to 9999, without gmtime's;
	 * years past 9999 as strftime would print */
	/* and the last one made kept: a connection's requests for one
	 * version's .info format its time again and again */
	static int64_t last_t;
	static char last[21];
	if (last[0] && t == last_t) {
		memcpy(out, last, sizeof last);
		return;
	}
	int part[6];
	if (t >= 0 && t < 253402300800) { /* 10000-01-01T00:00:00Z */
		civil_date(t / 86400, &part[0], &part[1], &part[2]);
		part[3] = (int)(t % 86400 / 3600);
		part[4] = (int)(t % 3600 / 60);
		part[5] = (int)(t % 60);
	} else {
		time_t tt = (time_t)t;
		struct tm tm;
		gmtime_r(&tt, &tm);
		int y = tm.tm_year + 1900;
		if (y < 0 || y > 9999) {
			strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
			return;
		}
		part[0] = y;
		part[1] = tm.tm_mon + 1;
		part[2] = tm.tm_mday;
		part[3] = tm.tm_hour;
		part[4] = tm.tm_min;
		part[5] = tm.tm_sec;
	}
	static const char sep[6] = "--T::Z";
	size_t o = 0;
	for (int i = 0; i < 6; i++) {
		int v = part[i];
		if (i == 0) {
			out[o++] = (char)('0' + v / 1000);
			out[o++] = (char)('0' + v / 100 % 10);
		}
		out[o++] = (char)('0' + v / 10 % 10);
		out[o++] = (char)('0' + v % 10);
		out[o++] = sep[i];
	}
	out[o] = 0;
	last_t = t;
	memcpy(last, out, sizeof last);
}

static const char wdays[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void time_http(int64_t t, char out[40])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	/* RFC 9110 section 5.6.7: IMF-fixdate, locale-independent names */
	snprintf(out, 40, "%s, %02d %s %04d %02d:%02d:%02d GMT", wdays[tm.tm_wday], tm.tm_mday,
	         months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* Does s have shape's form, byte for byte?  'a' a letter, '0' a digit,
 * '_' a space or a digit, anything else itself. */
static int date_shaped(const char *s, const char *shape)
{
	size_t n = strlen(shape);
	if (strlen(s) != n)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = shape[i], x = s[i];
		int digit = x >= '0' && x <= '9';
		if (c == '0' ? !digit : c == '_' ? !digit && x != ' ' : c == 'a' ? !((x | 0x20) >= 'a' && (x | 0x20) <= 'z') : x != c)
			return 0;
	}
	return 1;
}

/* The index of s's first three letters among names[0, n) (wdays,
 * months), or n */
static int name3_of(const char *s, const char names[][4], int n)
{
	int i;
	for (i = 0; i < n && strncmp(s, names[i], 3) != 0; i++)
		;
	return i;
}

/* Sunday ... Saturday, as rfc850-date spells the day: its length, or 0 */
static size_t long_wday(const char *s)
{
	static const char *const names[7] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday",
	                                     "Friday", "Saturday"};
	for (int i = 0; i < 7; i++) {
		size_t l = strlen(names[i]);
		if (strncmp(s, names[i], l) == 0 && s[l] == ',')
			return l;
	}
	return 0;
}

int64_t time_http_parse(const char *s)
{
	/* The three forms RFC 9110 section 5.6.7 has a recipient take, each
	 * byte for byte, names as spelt there:
	 *   IMF-fixdate   Sun, 06 Nov 1994 08:49:37 GMT
	 *   rfc850-date   Sunday, 06-Nov-94 08:49:37 GMT
	 *   asctime-date  Sun Nov  6 08:49:37 1994
	 * Anything else (a missing space, one digit where two go, a sign) is
	 * invalid, which makes a conditional request unconditional (section
	 * 13.1.3): always safe. */
	int m, d, y, h, mi, se;
	size_t wl;
	if (date_shaped(s, "aaa, 00 aaa 0000 00:00:00 GMT")) {
		if (name3_of(s, wdays, 7) == 7)
			return -1;
		m = name3_of(s + 8, months, 12);
		d = atoi(s + 5), y = atoi(s + 12), h = atoi(s + 17), mi = atoi(s + 20), se = atoi(s + 23);
	} else if ((wl = long_wday(s)) && date_shaped(s + wl, ", 00-aaa-00 00:00:00 GMT")) {
		const char *p = s + wl + 2;
		m = name3_of(p + 3, months, 12);
		d = atoi(p), h = atoi(p + 10), mi = atoi(p + 13), se = atoi(p + 16);
		/* two digits of year: the century that puts it no more than 50
		 * years ahead of now (section 5.6.7) */
		int now = 1970 + (int)(time(NULL) / 31556952);
		y = now - now % 100 + atoi(p + 7);
		if (y > now + 50)
			y -= 100;
	} else if (date_shaped(s, "aaa aaa _0 00:00:00 0000")) {
		if (name3_of(s, wdays, 7) == 7)
			return -1;
		m = name3_of(s + 4, months, 12);
		d = atoi(s + 8), h = atoi(s + 11), mi = atoi(s + 14), se = atoi(s + 17), y = atoi(s + 20);
	} else
		return -1;
	if (m == 12 || d < 1 || y < 1970 || h > 23 || mi > 59 || se > 60)
		return -1;
	/* second 60 is a leap second (section 5.6.7): one past :59 */
	struct tm tm = {.tm_year = y - 1900, .tm_mon = m, .tm_mday = d,
	                .tm_hour = h, .tm_min = mi, .tm_sec = se == 60 ? 59 : se};
	int64_t t = (int64_t)timegm(&tm);
	/* timegm moves 31 February into March: no such day */
	if (tm.tm_mday != d || tm.tm_mon != m)
		return -1;
	return t + (se == 60);
}

size_t fmt_num(char out[24], long long v)
{
	/* two digits per division, from the table of 00 to 99 */
	static const char pairs[] =
		"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
		"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
		"8081828384858687888990919293949596979899";
	char d[24];
	size_t k = sizeof d;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	for (; u >= 100; u /= 100) {
		k -= 2;
		memcpy(d + k, pairs + u % 100 * 2, 2);
	}
	if (u >= 10) {
		k -= 2;
		memcpy(d + k, pairs + u * 2, 2);
	} else
		d[--k] = (char)('0' + u);
	if (v < 0)
		d[--k] = '-';
	memcpy(out, d + k, sizeof d - k);
	out[sizeof d - k] = 0;
	return sizeof d - k;
}

/* A format whose only conversions are %s and %% (the paths and keys each
 * request makes are formatted so) is copied here, in one pass: musl's
 * printf costs several times more, and a request makes a dozen of these.
 * Any other conversion starts over with vsnprintf. */
static int vfmt(char *out, size_t outsz, const char *f, va_list args)
{
	va_list ap, again;
	va_copy(ap, args);
	va_copy(again, args);
	size_t n = 0;
	for (const char *p = f; *p;) {
		const char *s = p;
		size_t len;
		if (*p != '%') {
			const char *q = p + 1;
			while (*q && *q != '%')
				q++;
			len = (size_t)(q - p);
			p = q;
		} else if (p[1] == '%') {
			len = 1;
			p += 2;
		} else if (p[1] == 's') {
			if (!(s = va_arg(ap, const char *)))
				s = "(null)";
			len = strlen(s);
			p += 2;
		} else {
			int r = vsnprintf(out, outsz, f, again);
			va_end(again);
			va_end(ap);
			return (r < 0 || (size_t)r >= outsz) ? -1 : 0;
		}
		if (n < outsz)
			memcpy(out + n, s, len < outsz - n ? len : outsz - n);
		n += len;
	}
	va_end(again);
	va_end(ap);
	if (outsz)
		out[n < outsz ? n : outsz - 1] = 0;
	return n >= outsz ? -1 : 0;
}

int fmt(char *out, size_t outsz, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	int r = vfmt(out, outsz, f, ap);
	va_end(ap);
	return r;
}

const char *check_remembered(char *last, size_t cap, const char *s, const char *(*check)(const char *))
{
	if (s && last[0] && strcmp(s, last) == 0)
		return NULL;
	const char *why = check(s);
	size_t n;
	if (!why && s && (n = strlen(s)) < cap)
		memcpy(last, s, n + 1);
	return why;
}

/* through vfmt too: a reason made and then not shown (a read that falls
 * back to another way) costs little */
int errset(char *err, size_t errsz, int code, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vfmt(err, errsz, f, ap);
	va_end(ap);
	return code;
}

void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char **dir_names_at(int dirfd, size_t *n)
{
	*n = 0;
	/* fdopendir takes the descriptor over: give it its own */
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	/* a dup shares the position: read from the start */
	rewinddir(d);
	char **v = NULL;
	size_t cap = 0;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(d);
		if (!de) {
			if (errno)
				goto fail;
			break;
		}
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (grow(&v, &cap, *n + 2, sizeof *v) < 0 || !(v[*n] = strdup(de->d_name))) {
			errno = ENOMEM;
			goto fail;
		}
		(*n)++;
	}
	closedir(d);
	if (!v && !(v = calloc(1, sizeof *v)))
		return NULL;
	v[*n] = NULL;
	qsort(v, *n, sizeof *v, by_name);
	return v;
fail:;
	int e = errno;
	closedir(d);
	strv_free(v, *n);
	errno = e;
	return NULL;
}

char **dir_names(const char *dir, size_t *n)
{
	*n = 0;
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	char **v = dir_names_at(fd, n);
	int e = errno;
	close(fd);
	errno = e;
	return v;
}

int buf_json_string(struct buf *b, const char *s)
{
	int fail = buf_add(b, "\"", 1) < 0;
	for (const char *p = s; *p && !fail; p++) {
		size_t n = strcspn(p, "\"\\\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"
		                      "\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f");
		fail = buf_add(b, p, n) < 0;
		p += n;
		if (!*p || fail)
			break;
		unsigned char c = (unsigned char)*p;
		fail = c == '"' || c == '\\' ? buf_printf(b, "\\%c", c) < 0 : buf_printf(b, "\\u%04x", c) < 0;
	}
	return fail || buf_add(b, "\"", 1) < 0 ? -1 : 0;
}
