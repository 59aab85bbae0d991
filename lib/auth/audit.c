#include "auth/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/store.h"
#include "base/util.h"

int audit_open(const struct store *st, struct audit *a, char *err, size_t errsz)
{
	char path[ROOT_PATH_MAX];
	a->fd = -1;
	a->created = 0;
	snprintf(a->root, sizeof a->root, "%s", st->root);
	if (fmt(path, sizeof path, "%s/" AUDIT_FILE, st->root) < 0)
		return ERR(500, "store path too long");
	if (mkdir_p(st->root, STORE_MODE_DIR) < 0)
		return ERR(500, "unable to create '%s': %s", st->root, strerror(errno));
	a->fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW);
	if (a->fd < 0 && errno == ENOENT) {
		/* a secret like goreg.tdb: the log names users and their addresses */
		a->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, STORE_MODE_SECRET);
		a->created = a->fd >= 0;
	}
	if (a->fd < 0)
		return ERR(500, "unable to open '%s': %s", path, strerror(errno));
	return 200;
}

void audit_close(struct audit *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
}

void audit_local_origin(char *out, size_t outsz)
{
	snprintf(out, outsz, "local:%u", (unsigned)getuid());
}

/* one field: "-" when empty, visible ASCII only, so the line always
 * splits into the same seven fields */
static int field(struct buf *b, const char *s, int last)
{
	if (!s || !*s)
		s = "-";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char c = *p > 0x20 && *p < 0x7f ? (char)*p : '?';
		if (buf_add(b, &c, 1) < 0)
			return -1;
	}
	return last ? 0 : buf_add(b, " ", 1);
}

int audit_format(char *out, size_t outsz, int64_t now, const char *user, const char *action,
                 const char *owner, const char *module, const char *version, const char *origin)
{
	char when[32];
	struct buf b = {0};
	time_rfc3339(now, when);
	int fail = field(&b, when, 0) || field(&b, user, 0) || field(&b, action, 0) ||
	           field(&b, owner, 0) || field(&b, module, 0) || field(&b, version, 0) ||
	           field(&b, origin, 1);
	int r = fail ? -1 : fmt(out, outsz, "%s", b.p);
	buf_free(&b);
	return r;
}

int audit_append(struct audit *a, int64_t now, const char *user, const char *action,
                 const char *owner, const char *module, const char *version, const char *origin,
                 char *err, size_t errsz)
{
	/* one write of one line: with O_APPEND, concurrent writers' lines do
	 * not interleave (each write lands whole at the end of the file) */
	char line[MODPATH_MAX + VERSION_MAX + 2 * OWNER_MAX + 256];
	int code = 200;
	if (audit_format(line, sizeof line - 1, now, user, action, owner, module, version, origin) < 0)
		code = ERR(500, "audit record too long");
	else {
		size_t n = strlen(line);
		line[n++] = '\n';
		if (write_all(a->fd, line, n) < 0 || fsync(a->fd) < 0)
			code = ERR(500, "unable to write '%s/" AUDIT_FILE "': %s", a->root, strerror(errno));
		else if (a->created && fsync_path(a->root) < 0)
			code = ERR(500, "unable to sync '%s': %s", a->root, strerror(errno));
	}
	audit_close(a);
	return code;
}

/* the 4th space-separated field of line equals owner */
static int owner_is(const char *line, const char *owner)
{
	const char *p = line;
	for (int i = 0; i < 3; i++) {
		p = strchr(p, ' ');
		if (!p)
			return 0;
		p++;
	}
	size_t n = strlen(owner);
	return strncmp(p, owner, n) == 0 && p[n] == ' ';
}

int audit_print(const struct store *st, const char *owner, FILE *out, char *err, size_t errsz)
{
	char path[ROOT_PATH_MAX];
	if (fmt(path, sizeof path, "%s/" AUDIT_FILE, st->root) < 0)
		return ERR(500, "store path too long");
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return errno == ENOENT ? 200 : ERR(500, "unable to open '%s': %s", path, strerror(errno));
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return ERR(500, "unable to read '%s': %s", path, strerror(errno));
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	errno = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		if (owner && !owner_is(line, owner))
			continue;
		if (fwrite(line, 1, (size_t)n, out) != (size_t)n)
			break;
	}
	int rerr = ferror(f), werr = ferror(out);
	free(line);
	fclose(f);
	if (rerr)
		return ERR(500, "unable to read '%s'", path);
	if (werr)
		return ERR(500, "unable to write the audit log out: %s", strerror(errno));
	return 200;
}
