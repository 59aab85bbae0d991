/* Startup shared by every program (git's common-main.c): make sure fds
 * 0-2 are open, ignore SIGPIPE (a closed peer is an EPIPE, not a silent
 * death) and SIGXFSZ (a file past RLIMIT_FSIZE is an EFBIG), remember the
 * program name for error messages.  The programs that serve untrusted
 * peers (goreg-httpd, goreg.cgi) then limit themselves: prog_limit,
 * prog_seccomp. */
#ifndef GOREG_MAIN_H
#define GOREG_MAIN_H
#include <stdint.h>

void prog_init(const char *name);
const char *prog_name(void);
/* "goreg-x: what failed: reason" on stderr (one line). */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* warnx_ then exit with code. */
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "usage: goreg-x SYNOPSIS" on stderr, exit 2. */
_Noreturn void usage(const char *synopsis);
/* --help anywhere before "--", or -h first: "usage: ..." on stdout,
 * exit 0.  Called before the options are parsed. */
void prog_help(int argc, char **argv, const char *synopsis);
/* getopt's answer c ('?' or, with an optstring starting with ':', ':')
 * for an option it refused (opterr = 0): names the option ("unknown
 * option: --bogus"), then usage. */
_Noreturn void usage_option(const char *synopsis, int c, int argc, char **argv);
int64_t unix_now(void);

/* Resource limits (setrlimit), each lowered, never raised past what the
 * process inherited.  RLIMIT_CPU's soft limit is cpu_secs, its hard limit
 * cpu_max_secs + PROG_CPU_GRACE_SECS; at the soft limit the process writes
 * a log line and its last words (prog_last_words) and exits 111.  Not
 * RLIMIT_AS in the sanitizer build.  0, or -1 with errno. */
struct prog_limits {
	int cpu_secs;
	int cpu_max_secs;
	long long fsize; /* RLIMIT_FSIZE: the largest file it may write */
	long long as;    /* RLIMIT_AS */
};
int prog_limit(const struct prog_limits *l);
/* A new CPU budget: secs more from now, within cpu_max_secs.  1 if that
 * ceiling cut it short (the caller ends its connection after this
 * request), 0, or -1 with errno (also before prog_limit). */
int prog_cpu_budget(int secs);
/* What the peer gets if the CPU limit ends the process (a complete error
 * reply); NULL once the real reply is under way. */
void prog_last_words(const char *reply);

/* PR_SET_NO_NEW_PRIVS, then, if filter and unless GOREG_SECCOMP=0, the
 * seccomp filter of goreg-httpd(8) (on x86-64; elsewhere none): a call
 * outside its allow-list fails with EPERM and writes a line to fd 2.  In
 * the sanitizer build only with GOREG_SECCOMP set (and not 0).  0, or -1
 * with errno. */
int prog_seccomp(int filter);
/* How many calls the filter refused so far; *last: the last one's number. */
unsigned prog_seccomp_refused(int *last);

#endif
