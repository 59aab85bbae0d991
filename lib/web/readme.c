#include "web/readme.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gomod/zipcdir.h"
#include "gomod/zipdata.h"
#include "base/limits.h"
#include "base/util.h"

static void sink(void *ctx, const unsigned char *p, size_t n)
{
	struct buf *b = ctx;
	if (buf_add(b, p, n) < 0) {
		/* the length check below sees the short read */
	}
}

static const struct zent *find(const struct zents *z, const char *module, const char *version,
                               const char **name)
{
	static const char *const names[] = {"README.md", "README"};
	char want[MODPATH_MAX + VERSION_MAX + 16];
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		snprintf(want, sizeof want, "%s@%s/%s", module, version, names[k]);
		for (size_t i = 0; i < z->n; i++)
			if (!z->e[i].is_dir && strcmp(z->e[i].name, want) == 0) {
				*name = names[k];
				return &z->e[i];
			}
	}
	return NULL;
}

int readme_read(const char *path, const char *module, const char *version, char **out, uint64_t *len,
                const char **name)
{
	*out = NULL;
	*len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	struct zents z = {NULL, 0};
	char err[MSG_MAX];
	int rc = zipcdir_read(fd, (uint64_t)sb.st_size, &z, err, sizeof err) == 0 ? 0 : -1;
	const struct zent *e = rc == 0 ? find(&z, module, version, name) : NULL;
	if (e) {
		rc = 1;
		*len = e->usize;
		struct buf b = {0};
		struct zipdata *zd = e->usize <= PAGE_README_MAX ? zipdata_new(fd, (uint64_t)sb.st_size) : NULL;
		if (zd && buf_add(&b, "", 0) == 0 && zipdata_read(zd, e, sink, &b, err, sizeof err) == 0 &&
		    b.len == e->usize)
			*out = b.p;
		else
			buf_free(&b);
		zipdata_free(zd);
		if (!*out && e->usize <= PAGE_README_MAX)
			rc = -1;
	}
	zipcdir_free(&z);
	close(fd);
	return rc;
}
