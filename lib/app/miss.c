#include "app/miss.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/prog.h"
#include "base/util.h"
#include "http/field.h"
#include "http/http.h"
#include "store/store.h"

/* The goreg-fetch beside this program, or NULL. */
static const char *beside(char *out, size_t outsz)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return NULL;
	self[n] = 0;
	char *slash = strrchr(self, '/');
	if (!slash)
		return NULL;
	*slash = 0;
	if (fmt(out, outsz, "%s/goreg-fetch", self) < 0 || access(out, X_OK) != 0)
		return NULL;
	return out;
}

static void child(const char *prog, char *const argv[], int secs)
{
	char t[16];
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	/* goreg-fetch ends its transfers by then (its deadline), so that
	 * the kill below never leaves a half-fetched spool file behind */
	snprintf(t, sizeof t, "%d", secs);
	if (setenv("GOREG_FETCH_TIMEOUT", t, 1) < 0)
		_exit(111);
	/* fd 1 is the client's connection in goreg-httpd and the CGI answer
	 * in goreg.cgi: nothing of the fetch may reach it.  Its line (fetched,
	 * present, refused or failed, and why) goes where ours go: the log. */
	if (null < 0 || dup2(null, 0) < 0 || dup2(2, 1) < 0)
		_exit(111);
	signal(SIGPIPE, SIG_DFL);
	if (strchr(prog, '/'))
		execv(prog, argv);
	else
		execvp(prog, argv);
	warnx_("unable to run '%s': %s", prog, strerror(errno));
	_exit(111);
}

/* The child's exit status, waiting at most secs, then killing it.  The
 * wait ends when the child does: a pidfd (Linux 5.3) is readable then,
 * where a sleep between polls of its status would add up to a tick to
 * every miss (a small module's fetch takes a few ticks); without one, a
 * 10 ms tick. */
static int wait_bounded(pid_t pid, int secs, const char *owner, const char *arg)
{
	int pfd = -1;
#ifdef SYS_pidfd_open
	pfd = (int)syscall(SYS_pidfd_open, pid, 0);
#endif
	int64_t end = conn_now_ms() + (int64_t)secs * 1000;
	int status, code;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid) {
			code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
			break;
		}
		if (r < 0 && errno != EINTR) {
			code = -1;
			break;
		}
		int64_t left = end - conn_now_ms();
		if (left <= 0) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			warnx_("goreg-fetch %s %s: killed after %d s", owner, arg, secs);
			code = -1;
			break;
		}
		if (pfd >= 0) {
			struct pollfd p = {pfd, POLLIN, 0};
			poll(&p, 1, left < 1000 ? (int)left : 1000);
		} else {
			struct timespec tick = {0, 10 * 1000 * 1000};
			nanosleep(&tick, NULL);
		}
	}
	if (pfd >= 0)
		close(pfd);
	return code;
}

/* goreg-fetch -r ROOT [FLAG [FLAGARG]] OWNER ARG, bounded */
static int run(const struct store *st, const char *owner, const char *arg, const char *flag, const char *flagarg)
{
	char path[PATH_MAX];
	const char *prog = getenv("GOREG_FETCH");
	if (!prog || !*prog)
		prog = beside(path, sizeof path);
	if (!prog)
		prog = "goreg-fetch";
	char *argv[9] = {"goreg-fetch", "-r", (char *)st->root};
	int n = 3;
	if (flag)
		argv[n++] = (char *)flag;
	if (flagarg)
		argv[n++] = (char *)flagarg;
	argv[n++] = (char *)owner;
	argv[n++] = (char *)arg;
	argv[n] = NULL;
	int secs = field_env_secs("GOREG_FETCH_TIMEOUT", MISS_FETCH_SECS);
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0)
		child(prog, argv, secs);
	/* goreg-fetch ends by its deadline; the kill is for one that hangs */
	return wait_bounded(pid, secs + MISS_FETCH_GRACE, owner, arg);
}

int miss_fetch(const struct store *st, const char *owner, const char *module, const char *version)
{
	char arg[MODPATH_MAX + VERSION_MAX + 2];
	snprintf(arg, sizeof arg, "%s@%s", module, version);
	return run(st, owner, arg, NULL, NULL);
}

int miss_list(const struct store *st, const char *owner, const char *module)
{
	return run(st, owner, module, "-l", NULL);
}

int miss_sumdb(const struct store *st, const char *owner, const char *name, const char *path)
{
	return run(st, owner, path, "-s", name);
}

int miss_sumlog(const struct store *st, const char *owner, const char *module, const char *version)
{
	char arg[MODPATH_MAX + VERSION_MAX + 2];
	snprintf(arg, sizeof arg, "%s@%s", module, version);
	return run(st, owner, arg, "-c", NULL);
}
