#include "base/prog.h"

#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "base/limits.h"

static const char *progname = "goreg";

void prog_init(const char *name)
{
	progname = name;
	/* a program started with a closed fd 0-2 would otherwise open a store
	 * file onto it and then write a log line into that file */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(111);
	signal(SIGPIPE, SIG_IGN);
}

const char *prog_name(void)
{
	return progname;
}

static void vwarn(const char *f, va_list ap)
{
	char line[ERR_LINE_MAX];
	int n = snprintf(line, sizeof line, "%s: ", progname);
	vsnprintf(line + n, sizeof line - (size_t)n - 1, f, ap);
	size_t l = 0;
	while (line[l])
		l++;
	/* exactly one line, whatever the reason contained */
	while (l && line[l - 1] == '\n')
		l--;
	for (size_t i = 0; i < l; i++)
		if (line[i] == '\n')
			line[i] = ' ';
	line[l++] = '\n';
	if (write(2, line, l) < 0) {
		/* nowhere left to report it */
	}
}

void warnx_(const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vwarn(f, ap);
	va_end(ap);
}

void die(int code, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vwarn(f, ap);
	va_end(ap);
	exit(code);
}

void usage(const char *synopsis)
{
	fprintf(stderr, "usage: %s %s\n", progname, synopsis);
	exit(2);
}

int64_t unix_now(void)
{
	/* GOREG_NOW pins the clock for reproducible tests.  Only a plain
	 * positive number counts: anything else, a typo above all, must not
	 * stop the clock at 0, where no token would ever expire. */
	const char *e = getenv("GOREG_NOW");
	if (e && *e) {
		char *end;
		long long t = strtoll(e, &end, 10);
		if (*end == 0 && t > 0)
			return t;
	}
	return (int64_t)time(NULL);
}
