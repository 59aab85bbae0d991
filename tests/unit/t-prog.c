/* lib/base/prog.c: the limits goreg-httpd and goreg.cgi set on themselves
 * (setrlimit) and their seccomp filter.  Each case runs in a child, which
 * reports by its exit status: the limits and the filter last for a
 * process's life.  The children end with _exit, as the sanitizers' leak
 * check at exit would itself be refused by the filter. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "base/limits.h"
#include "base/prog.h"

static char dir[] = "/tmp/t-prog.XXXXXX";

/* Run f in a child with fd 1 and fd 2 going to files; its wait status. */
static int child(int (*f)(void), const char *out, const char *err)
{
	fflush(stdout);
	pid_t p = fork();
	if (p == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(99);
		_exit(f());
	}
	int st = -1;
	waitpid(p, &st, 0);
	return st;
}

static void slurp(const char *path, char *buf, size_t n)
{
	buf[0] = 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	ssize_t r = read(fd, buf, n - 1);
	buf[r > 0 ? r : 0] = 0;
	close(fd);
}

/* Under the filter: each refused call fails with EPERM, the allowed ones
 * still work.  Exit 0, or the number of the first check that failed. */
static int filtered(void)
{
	prog_init("t-prog");
	setenv("GOREG_SECCOMP", "1", 1); /* (off by default in this build) */
	if (prog_seccomp(1) < 0)
		return 1;
	errno = 0;
	if (socket(AF_INET, SOCK_STREAM, 0) >= 0 || errno != EPERM)
		return 2;
	char *const argv[] = {"/bin/true", NULL};
	errno = 0;
	if (syscall(SYS_execve, "/bin/true", argv, argv + 1) >= 0 || errno != EPERM)
		return 3;
	errno = 0;
	if (mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) != MAP_FAILED ||
	    errno != EPERM)
		return 4;
	struct rlimit rl = {10, 10};
	errno = 0;
	if (syscall(SYS_prlimit64, 1, RLIMIT_NOFILE, &rl, NULL) >= 0 || errno != EPERM)
		return 5;
	/* what a request takes: files, memory, time, its own limits */
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	void *m = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct timespec ts;
	if (fd < 0 || m == MAP_FAILED || clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0 ||
	    getrlimit(RLIMIT_CPU, &rl) < 0 || setrlimit(RLIMIT_CPU, &rl) < 0)
		return 6;
	int last;
	if (prog_seccomp_refused(&last) != 4 || last != SYS_prlimit64)
		return 7;
	return 0;
}

static int filter_off(void)
{
	prog_init("t-prog");
	setenv("GOREG_SECCOMP", "0", 1);
	if (prog_seccomp(1) < 0)
		return 1;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	return s >= 0 ? 0 : 2;
}

/* An x32 system call number is no mistake to forgive: the process ends. */
static int x32_call(void)
{
	prog_init("t-prog");
	setenv("GOREG_SECCOMP", "1", 1);
	if (prog_seccomp(1) < 0)
		return 1;
	syscall(SYS_getpid | 0x40000000);
	return 2;
}

/* The soft CPU limit: a line on fd 2, the last words on fd 1, exit 111. */
static int spin(void)
{
	prog_init("t-prog");
	static const struct prog_limits l = {1, 3, 1 << 20, 1LL << 40};
	if (prog_limit(&l) < 0)
		return 1;
	prog_last_words("Status: 500\r\n\r\nCPU\n");
	for (volatile unsigned long i = 0;; i++) {
	}
}

/* The same on a blocking socket whose peer reads nothing and whose send
 * buffer is full (goreg-httpd's connection, a client that stopped
 * reading): the last words must not block the exit. */
static int spin_stuck(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 || dup2(sv[0], 1) < 0)
		return 1;
	static char fill[4096];
	int fl = fcntl(1, F_GETFL);
	fcntl(1, F_SETFL, fl | O_NONBLOCK);
	while (write(1, fill, sizeof fill) > 0) {
	}
	fcntl(1, F_SETFL, fl);
	return spin();
}

/* The budget renewed at each request: never past the process's bound. */
static int budget(void)
{
	prog_init("t-prog");
	if (prog_cpu_budget(5) != -1)
		return 1; /* not before prog_limit */
	static const struct prog_limits l = {2, 100, 1 << 20, 1LL << 40};
	struct rlimit rl;
	if (prog_limit(&l) < 0 || getrlimit(RLIMIT_CPU, &rl) < 0)
		return 2;
	if (rl.rlim_cur != 2 || rl.rlim_max != 100 + PROG_CPU_GRACE_SECS)
		return 3;
	if (prog_cpu_budget(10) != 0 || getrlimit(RLIMIT_CPU, &rl) < 0 || rl.rlim_cur != 11)
		return 4;
	if (prog_cpu_budget(200) != 1 || getrlimit(RLIMIT_CPU, &rl) < 0 || rl.rlim_cur != 100)
		return 5;
	/* a lower hard limit inherited stays: limits only go down */
	rl.rlim_cur = rl.rlim_max = 50;
	if (setrlimit(RLIMIT_CPU, &rl) < 0 || prog_limit(&l) < 0 || getrlimit(RLIMIT_CPU, &rl) < 0)
		return 6;
	return rl.rlim_max == 50 && rl.rlim_cur == 2 ? 0 : 7;
}

/* Past RLIMIT_FSIZE a write fails with EFBIG; the process lives on. */
static int fsize(void)
{
	prog_init("t-prog");
	static const struct prog_limits l = {10, 10, 4096, 1LL << 40};
	if (prog_limit(&l) < 0)
		return 1;
	char path[64], block[3000] = {0};
	snprintf(path, sizeof path, "%s/big", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, block, sizeof block) != (ssize_t)sizeof block)
		return 2;
	ssize_t w = write(fd, block, sizeof block);
	if (w != 4096 - (ssize_t)sizeof block)
		return 3; /* a short write up to the limit */
	errno = 0;
	return write(fd, block, 1) < 0 && errno == EFBIG ? 0 : 4;
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	char out[256], err[256], buf[512];
	snprintf(out, sizeof out, "%s/out", dir);
	snprintf(err, sizeof err, "%s/err", dir);

	int st = child(filtered, out, err);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "under the filter: socket, execve, mmap PROT_EXEC, prlimit64 of another process fail with EPERM; "
	   "files, memory, clocks, own limits work (exit %d)", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	slurp(err, buf, sizeof buf);
	char want[128];
	snprintf(want, sizeof want, "t-prog: system call %d: refused by the seccomp filter\n", SYS_socket);
	ok(strncmp(buf, want, strlen(want)) == 0, "each refusal is logged on fd 2, naming the call");
	int lines = 0;
	for (char *p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	if (!is_int(lines, 4, "one line per refused call"))
		for (char *p = buf, *nl; (nl = strchr(p, '\n')); p = nl + 1)
			printf("# %.*s\n", (int)(nl - p), p);

	st = child(filter_off, out, err);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0, "GOREG_SECCOMP=0: no filter, socket() works");

	st = child(x32_call, out, err);
	ok(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS, "an x32 system call number kills the process");

	time_t t0 = time(NULL);
	st = child(spin, out, err);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 111, "past the soft CPU limit: exit 111 (status %d, %lld s)", st,
	   (long long)(time(NULL) - t0));
	slurp(out, buf, sizeof buf);
	is_str(buf, "Status: 500\r\n\r\nCPU\n", "and the peer gets the last words");
	slurp(err, buf, sizeof buf);
	is_str(buf, "t-prog: CPU time limit of 1 s for a request reached: exiting\n", "and the log a line");

	/* a child that hangs is killed after 10 s: that is the failure */
	pid_t sp = fork();
	if (sp == 0) {
		int e = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		_exit(e < 0 || dup2(e, 2) < 0 ? 99 : spin_stuck());
	}
	st = -1;
	pid_t w = 0;
	for (int i = 0; i < 100 && (w = waitpid(sp, &st, WNOHANG)) == 0; i++)
		usleep(100000);
	if (w == 0) {
		kill(sp, SIGKILL);
		waitpid(sp, &st, 0);
	}
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 111,
	   "past the soft CPU limit with fd 1 a full socket: still exit 111, the last words not waited on (status %d)",
	   st);

	st = child(budget, out, err);
	is_int(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0,
	       "CPU budget: renewed from the time used, capped below the hard limit, which only goes down");

	st = child(fsize, out, err);
	is_int(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0, "RLIMIT_FSIZE: EFBIG past it, no SIGXFSZ death");

	unlink(out);
	unlink(err);
	snprintf(buf, sizeof buf, "%s/big", dir);
	unlink(buf);
	rmdir(dir);
	return done_testing();
}
