/* lib/app/ops.c's spool of an upload: the size a file body announces
 * (fd_body_source), and the hints the spool gives the kernel with it (the
 * blocks reserved, the writeback started early), which must change
 * nothing but speed: the spool keeps the size of what came, not of what
 * was announced, and an upload succeeds the same when the kernel refuses
 * both (a seccomp filter here; a file system without them elsewhere). */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/ops.h"
#include "base/util.h"
#include "gomod/modpack.h"
#include "store/store.h"
#include "tap.h"
#include "tstore.h"

static char dir[64], root[128], err[600];
static struct store st;

static void put(const char *path, const char *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, data, n) < 0 || close(fd) < 0) {
		printf("Bail out! %s\n", path);
		exit(1);
	}
}

/* example.com/s@version's zip, with a file of n bytes in it */
static const char *mkzip(const char *version, size_t n, char *zip, size_t zipsz)
{
	char src[128], p[192];
	snprintf(src, sizeof src, "%s/src-%s", dir, version);
	mkdir(src, 0755);
	snprintf(p, sizeof p, "%s/go.mod", src);
	put(p, "module example.com/s\n", 21);
	char *blob = malloc(n);
	for (size_t i = 0; i < n; i++)
		blob[i] = (char)(i * 2654435761u >> 13);
	snprintf(p, sizeof p, "%s/blob.bin", src);
	put(p, blob, n);
	free(blob);
	snprintf(zip, zipsz, "%s/%s.zip", dir, version);
	if (modpack_create("example.com/s", version, src, zip, err, sizeof err) != 0) {
		printf("Bail out! modpack: %s\n", err);
		exit(1);
	}
	return zip;
}

/* ops_upload of the body: its status */
static int upload(struct body_source *bs)
{
	struct actor who = {"acme", "test"};
	struct op_args a = {.owner = "acme", .body = bs, .declared_len = -1, .who = &who, .now = 1, .published = 1};
	struct reply r;
	reply_init(&r);
	ops_upload(&st, &a, &r);
	int code = r.status;
	reply_free(&r);
	return code;
}

/* Is the published version's zip the file at want, byte for byte? */
static int published_as(const char *version, const char *want)
{
	char p[512];
	return store_file_path(&st, "acme", "example.com/s", version, "zip", p, sizeof p) == 0 &&
	       tstore_same_file(p, want);
}

/* fallocate(2) and sync_file_range(2) refused with EPERM, the rest allowed */
static int refuse_hints(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 0, 4),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_fallocate, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_sync_file_range, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof f / sizeof f[0], f};
	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0
	       ? -1 : 0;
}

/* In a child, the hints refused: uploads of a file and of a pipe still
 * publish.  Exit 0, or the number of the first check that failed. */
static int refused(const char *zip, const char *zip2)
{
	if (refuse_hints() < 0)
		return 1;
	char probe[128];
	snprintf(probe, sizeof probe, "%s/probe", dir);
	int pf = open(probe, O_RDWR | O_CREAT, 0600);
	errno = 0;
	if (pf < 0 || fallocate(pf, FALLOC_FL_KEEP_SIZE, 0, 4096) == 0 || errno != EPERM ||
	    sync_file_range(pf, 0, 0, SYNC_FILE_RANGE_WRITE) == 0)
		return 2;
	close(pf);
	struct fd_body fb = {open(zip, O_RDONLY)};
	struct body_source bs = fd_body_source(&fb);
	if (fb.fd < 0 || upload(&bs) != 201 || !published_as("v1.0.1", zip))
		return 3;
	close(fb.fd);
	/* a pipe: no size known, read and written */
	int pp[2];
	if (pipe(pp) < 0)
		return 4;
	pid_t w = fork();
	if (w == 0) {
		char *data;
		size_t n;
		close(pp[0]);
		_exit(read_file(zip2, 1 << 24, &data, &n) == 0 && write_all(pp[1], data, n) == 0 ? 0 : 1);
	}
	close(pp[1]);
	fb.fd = pp[0];
	bs = fd_body_source(&fb);
	int code = upload(&bs);
	close(pp[0]);
	int ws = -1;
	waitpid(w, &ws, 0);
	if (bs.size != 0 || code != 201 || ws != 0 || !published_as("v1.0.2", zip2))
		return 5;
	return 0;
}

int main(void)
{
	tstore_make("t-spool", dir, sizeof dir, root, sizeof root, &st, "acme");
	char zip0[128], zip1[128], zip2[128];
	mkzip("v1.0.0", 3 << 20, zip0, sizeof zip0);
	mkzip("v1.0.1", 100000, zip1, sizeof zip1);
	mkzip("v1.0.2", 5000, zip2, sizeof zip2);
	struct stat sb;
	if (stat(zip0, &sb) < 0)
		return 1;

	/* the size a file body announces: what is left of it from its offset */
	struct fd_body fb = {open(zip0, O_RDONLY)};
	struct body_source bs = fd_body_source(&fb);
	is_int(bs.size, sb.st_size, "a file announces its size");
	lseek(fb.fd, 10, SEEK_SET);
	is_int(fd_body_source(&fb).size, sb.st_size - 10, "from its offset on");
	lseek(fb.fd, 0, SEEK_SET);

	/* more announced than comes: the blocks reserved for the rest do not
	 * make the spool, nor the published zip, any longer */
	bs.size = sb.st_size + (1 << 20);
	is_int(upload(&bs), 201, "a file announcing 1 MiB more than it has: published");
	close(fb.fd);
	ok(published_as("v1.0.0", zip0), "as the bytes that came, no longer");

	fflush(stdout);
	pid_t p = fork();
	if (p == 0)
		_exit(refused(zip1, zip2));
	int ws = -1;
	waitpid(p, &ws, 0);
	is_int(WIFEXITED(ws) ? WEXITSTATUS(ws) : -1, 0,
	       "fallocate and sync_file_range refused: uploads of a file and of a pipe publish all the same");

	is_int(tstore_spooled(root, "u."), 0, "no spool file left behind");

	char cmd[100];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return done_testing();
}
