/* libFuzzer harness: the zip central directory reader
 * (lib/gomod/zipcdir.c zipcdir_read) on arbitrary bytes as a file.
 * Properties beyond "no crash, no leak":
 *   - the answer is 0 or 1 (refused as not a zip archive/zip reads),
 *     never -1 (a system error: the file is a memfd that reads fine), and
 *     a refusal has a one-line reason;
 *   - an accepted directory has at most MODZIP_MAX_FILES entries, fits in
 *     the file with their names (46 bytes a header, APPNOTE 4.3.12), each
 *     name NUL-terminated at namelen, is_dir exactly when it ends in '/';
 *   - the answer does not depend on the entries' data, which
 *     zipcdir_read leaves to its caller: in a zip whose local headers
 *     (APPNOTE 4.3.7) follow one another from byte 0 to the central
 *     directory, each with its sizes, replacing every data byte with 'x'
 *     (which makes no signature) gives the same entries. */
#define FUZZ_NAME "zipcdir"
#include "fuzz.h"

#include "base/limits.h"
#include "gomod/zipcdir.h"

static void check(const struct zents *z, size_t size)
{
	size_t hdrs = 0;
	CHECK(z->n <= MODZIP_MAX_FILES, "more entries than the limit", "");
	for (size_t i = 0; i < z->n; i++) {
		const struct zent *e = &z->e[i];
		CHECK(e->name != NULL && e->name[e->namelen] == '\0', "a name not NUL-terminated", "");
		CHECK(e->is_dir == (e->namelen > 0 && e->name[e->namelen - 1] == '/'), "is_dir is wrong", e->name);
		hdrs += 46 + e->namelen;
	}
	CHECK(hdrs <= size, "the entries do not fit in the file", "");
}

/* Same entries, names, sizes and attributes? */
static int same(const struct zents *a, const struct zents *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++) {
		const struct zent *x = &a->e[i], *y = &b->e[i];
		if (x->namelen != y->namelen || memcmp(x->name, y->name, x->namelen) != 0 || x->usize != y->usize ||
		    x->xattr != y->xattr || x->made_by != y->made_by || x->flags != y->flags ||
		    x->method != y->method || x->upath != y->upath)
			return 0;
	}
	return 1;
}

static unsigned le16(const uint8_t *b)
{
	return b[0] | b[1] << 8;
}

/* Replace the data of each entry with 'x', walking the local headers from
 * byte 0; 0 unless they lead to the first central directory header, each
 * with its compressed size (no data descriptor, no zip64) and some data. */
static int blank_data(uint8_t *b, size_t size)
{
	size_t p = 0, blanked = 0;
	while (p + 30 <= size && memcmp(b + p, "PK\3\4", 4) == 0) {
		size_t cs = le16(b + p + 18) | (size_t)le16(b + p + 20) << 16;
		size_t d = p + 30 + le16(b + p + 26) + le16(b + p + 28);
		if ((le16(b + p + 6) & 8) || cs == 0xffffffffu || d > size || cs > size - d)
			return 0;
		memset(b + d, 'x', cs);
		blanked += cs;
		p = d + cs;
	}
	return blanked > 0 && p + 4 <= size && memcmp(b + p, "PK\1\2", 4) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct zents z = {NULL, 0}, z2 = {NULL, 0};
	char err[MSG_MAX], err2[MSG_MAX];
	static uint8_t copy[1 << 17];

	if (size > sizeof copy)
		return 0;
	int fd = fuzz_memfd(data, size);
	int rc = zipcdir_read(fd, size, &z, err, sizeof err);
	CHECK(rc == 0 || rc == 1, "a system error on a file that reads fine", err);
	if (rc == 1) {
		CHECK(err[0] != '\0' && !fuzz_has_ctl(err), "a reason missing or not one line", err);
		zipcdir_free(&z);
		return 0;
	}
	check(&z, size);
	memcpy(copy, data, size);
	if (blank_data(copy, size)) {
		fd = fuzz_memfd(copy, size);
		rc = zipcdir_read(fd, size, &z2, err2, sizeof err2);
		CHECK(rc == 0 && same(&z, &z2), "entry data changes the central directory read", err2);
	}
	zipcdir_free(&z);
	zipcdir_free(&z2);
	return 0;
}
