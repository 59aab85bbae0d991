/* Request bodies that are not read from an HTTP connection: a file
 * descriptor read to its end (the plumbing tools, goreg-import). */
#include "http/request.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

static ssize_t fd_read(void *ctx, void *buf, size_t n, int *status)
{
	struct fd_body *b = ctx;
	for (;;) {
		ssize_t r = read(b->fd, buf, n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			*status = 500;
		return r;
	}
}

/* copy_file_range(2): a regular file's bytes move in the kernel, never
 * through a buffer of ours; anything else (a pipe, another file
 * system on an old kernel) is read */
static ssize_t fd_copy(void *ctx, int out, size_t n, int *status)
{
	struct fd_body *b = ctx;
	for (;;) {
		ssize_t r = copy_file_range(b->fd, NULL, out, NULL, n, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ||
		              errno == EBADF || errno == EPERM))
			return -2;
		if (r < 0)
			*status = 500;
		return r;
	}
}

struct body_source fd_body_source(struct fd_body *fb)
{
	struct stat sb;
	off_t at = lseek(fb->fd, 0, SEEK_CUR);
	long long size = fstat(fb->fd, &sb) == 0 && S_ISREG(sb.st_mode) && at >= 0 && sb.st_size > at
	                 ? (long long)(sb.st_size - at) : 0;
	return (struct body_source){fd_read, fb, fd_copy, size};
}
