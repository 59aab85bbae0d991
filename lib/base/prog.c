#include "base/prog.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
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
	/* past RLIMIT_FSIZE a write fails with EFBIG, reported like any
	 * other write error, instead of killing the process */
	signal(SIGXFSZ, SIG_IGN);
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

void prog_help(int argc, char **argv, const char *synopsis)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--help") != 0 && (i != 1 || strcmp(argv[i], "-h") != 0))
			continue;
		printf("usage: %s %s\n", progname, synopsis);
		exit(fflush(stdout) == 0 ? 0 : 111);
	}
}

/* The long option getopt refused, if it was one.  getopt_long is done
 * with it (argv[optind - 1]; optopt 0 for an unknown one, its letter for
 * a missing argument, which only the last element can lack); getopt
 * stops at its second '-' (optopt '-', argv[optind]). */
static const char *long_arg(int c, int argc, char **argv)
{
	int i = c == '?' && optopt == '-' ? optind : optind - 1;
	if (c == '?' && optopt != 0 && optopt != '-')
		return NULL;
	if (i > 0 && i < argc && strncmp(argv[i], "--", 2) == 0 && argv[i][2])
		return argv[i];
	return NULL;
}

void usage_option(const char *synopsis, int c, int argc, char **argv)
{
	/* a long option is named as written (getopt_long leaves optopt 0
	 * or the option's short letter; getopt, '-') */
	const char *arg = long_arg(c, argc, argv);
	int long_ = arg != NULL;
	if (c == ':' && long_)
		warnx_("option %s needs an argument", arg);
	else if (c == ':')
		warnx_("option -%c needs an argument", optopt);
	else if (long_)
		warnx_("unknown option: %s", arg);
	else
		warnx_("unknown option: -%c", optopt);
	usage(synopsis);
}

int64_t unix_now(void)
{
	/* GOREG_NOW pins the clock for reproducible tests.  Only a plain
	 * positive number counts: anything else, a typo above all, must not
	 * stop the clock at 0, where no token would ever expire. */
	/* The environment does not change: read once (a connection asks per
	 * request). */
	static int64_t pinned = -1;
	if (pinned < 0) {
		const char *e = getenv("GOREG_NOW");
		pinned = 0;
		if (e && *e) {
			char *end;
			long long t = strtoll(e, &end, 10);
			if (*end == 0 && t > 0)
				pinned = t;
		}
	}
	return pinned ? pinned : (int64_t)time(NULL);
}

/* Async-signal-safe pieces of a line, for the signal handlers below. */
static size_t put_str(char *b, size_t n, size_t max, const char *s)
{
	while (*s && n < max)
		b[n++] = *s++;
	return n;
}

static size_t put_num(char *b, size_t n, size_t max, unsigned long v)
{
	char d[24];
	size_t k = 0;
	do
		d[k++] = (char)('0' + v % 10);
	while ((v /= 10) && k < sizeof d);
	while (k && n < max)
		b[n++] = d[--k];
	return n;
}

static void put_line(const char *what, unsigned long num, const char *why)
{
	char line[ERR_LINE_MAX];
	size_t n = 0, max = sizeof line - 1;
	n = put_str(line, n, max, progname);
	n = put_str(line, n, max, ": ");
	n = put_str(line, n, max, what);
	n = put_num(line, n, max, num);
	n = put_str(line, n, max, why);
	line[n++] = '\n';
	if (write(2, line, n) < 0) {
		/* nowhere left to report it */
	}
}

/* ---- resource limits ---- */

static rlim_t cpu_hard, cpu_max;    /* RLIMIT_CPU's hard limit; the soft one's ceiling */
static volatile sig_atomic_t cpu_budget;
static const char *volatile last_words;

/* At the soft CPU limit: a line for the log, a complete 500 for the peer
 * if no reply is under way (prog_last_words), then the end. */
static void on_sigxcpu(int sig)
{
	(void)sig;
	put_line("CPU time limit of ", (unsigned long)cpu_budget, " s for a request reached: exiting");
	const char *w = last_words;
	/* never blocking on a socket (goreg-httpd's is a blocking one): a
	 * peer that stopped reading must not keep the process */
	if (w && send(1, w, strlen(w), MSG_DONTWAIT | MSG_NOSIGNAL) < 0 && errno == ENOTSOCK &&
	    write(1, w, strlen(w)) < 0) {
		/* the peer is gone */
	}
	_exit(111);
}

/* Lower a limit to at most soft/hard; never above what was inherited. */
static int lower(int res, rlim_t soft, rlim_t hard)
{
	struct rlimit rl;
	if (getrlimit(res, &rl) < 0)
		return -1;
	if (hard > rl.rlim_max)
		hard = rl.rlim_max;
	rl.rlim_cur = soft < hard ? soft : hard;
	rl.rlim_max = hard;
	return setrlimit(res, &rl);
}

int prog_limit(const struct prog_limits *l)
{
	struct sigaction sa = {.sa_handler = on_sigxcpu};
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGXCPU, &sa, NULL) < 0)
		return -1;
	cpu_budget = l->cpu_secs;
	if (lower(RLIMIT_CPU, (rlim_t)l->cpu_secs, (rlim_t)l->cpu_max_secs + PROG_CPU_GRACE_SECS) < 0 ||
	    lower(RLIMIT_FSIZE, (rlim_t)l->fsize, (rlim_t)l->fsize) < 0)
		return -1;
#ifndef __SANITIZE_ADDRESS__
	/* (the sanitizer build's shadow memory alone reserves terabytes) */
	if (lower(RLIMIT_AS, (rlim_t)l->as, (rlim_t)l->as) < 0)
		return -1;
#endif
	struct rlimit rl;
	if (getrlimit(RLIMIT_CPU, &rl) < 0)
		return -1;
	cpu_hard = rl.rlim_max;
	cpu_max = cpu_hard > 2 * PROG_CPU_GRACE_SECS ? cpu_hard - PROG_CPU_GRACE_SECS : cpu_hard;
	return 0;
}

/* The monotonic clock (no system call: the vDSO's) in ns. */
static int64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int prog_cpu_budget(int secs)
{
	/* The soft limit depends on the whole seconds of CPU time used.  A
	 * single thread uses CPU time no faster than the clock runs, so
	 * while less time has passed since the last look than was left of
	 * that CPU second, the limit in force is still the one to set: no
	 * system call for it (keep-alive requests mostly find it so). */
	static int64_t then_mono, then_left;
	static int then_secs = -1, then_cut;
	int64_t now = mono_ns();
	if (secs == then_secs && now - then_mono < then_left)
		return then_cut;
	struct timespec ts;
	if (cpu_hard == 0 || clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) < 0)
		return -1;
	/* RLIMIT_CPU counts whole seconds of the process's life */
	rlim_t soft = (rlim_t)ts.tv_sec + 1 + (rlim_t)secs;
	int cut = soft > cpu_max;
	struct rlimit rl = {cut ? cpu_max : soft, cpu_hard};
	cpu_budget = secs;
	static rlim_t set;
	if (rl.rlim_cur != set && setrlimit(RLIMIT_CPU, &rl) < 0)
		return -1;
	set = rl.rlim_cur;
	then_mono = now;
	then_left = 1000000000 - ts.tv_nsec;
	then_secs = secs;
	then_cut = cut;
	return cut;
}

void prog_last_words(const char *reply)
{
	last_words = reply;
}

/* ---- the seccomp filter ---- */

static volatile sig_atomic_t sc_refused, sc_last;

unsigned prog_seccomp_refused(int *last)
{
	if (last)
		*last = sc_last;
	return (unsigned)sc_refused;
}

#if defined(__x86_64__)
/* Classic BPF and seccomp, as the kernel's UAPI defines them
 * (linux/filter.h, linux/seccomp.h, linux/audit.h): musl's headers do not
 * carry them, and no library is linked for them. */
struct sc_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};
struct sc_prog {
	unsigned short len;
	const struct sc_insn *filter;
};
enum {
	SC_LD = 0x20,   /* BPF_LD | BPF_W | BPF_ABS: a 32-bit word of seccomp_data */
	SC_JEQ = 0x15,  /* BPF_JMP | BPF_JEQ | BPF_K */
	SC_JGE = 0x35,  /* BPF_JMP | BPF_JGE | BPF_K */
	SC_JSET = 0x45, /* BPF_JMP | BPF_JSET | BPF_K */
	SC_RET = 0x06,  /* BPF_RET | BPF_K */
};
#define SC_MODE_FILTER      2
#define SC_RET_KILL_PROCESS 0x80000000u
#define SC_RET_TRAP         0x00030000u
#define SC_RET_ALLOW        0x7fff0000u
#define SC_ARCH_X86_64      0xc000003eu /* EM_X86_64, 64-bit, little-endian */
#define SC_X32_BIT          0x40000000u /* x32 ABI numbers: same arch, other meanings */
/* struct seccomp_data: nr, arch, instruction_pointer, args[6]; a 64-bit
 * argument's low half comes first on a little-endian machine */
#define SC_NR        0
#define SC_ARCH      4
#define SC_ARG_LO(i) (16 + 8 * (i))
#define SC_ARG_HI(i) (20 + 8 * (i))
#define SC_PROT_EXEC 4

/* The system calls goreg-httpd and goreg.cgi make once they serve, as
 * static musl binaries (strace -f over the HTTP tests), and a few a newer
 * libc makes for the same functions; goreg-httpd(8) says why each is
 * there.  Everything else is refused with EPERM and logged.  Two more are
 * checked on their arguments (sc_build): mmap, never PROT_EXEC, and
 * prlimit64 on this process only. */
static const uint32_t sc_allowed[] = {
	/* the connection, the log, open files */
	SYS_read, SYS_readv, SYS_write, SYS_writev, SYS_pread64, SYS_pwrite64, SYS_lseek,
	SYS_sendfile, SYS_sendto, SYS_sendmsg, SYS_poll, SYS_ppoll, SYS_close, SYS_fstat,
	SYS_setsockopt, SYS_getpeername, SYS_shutdown,
	SYS_connect, /* syslog(3) reconnecting its socket; no new socket can be made */
	/* the store: tdb's locks and writes, the crash-safe publish;
	 * sync_file_range: an upload's spool file written back as it fills */
	SYS_fcntl, SYS_flock, SYS_fsync, SYS_fdatasync, SYS_sync_file_range, SYS_ftruncate, SYS_fallocate,
	SYS_fchmod,
	SYS_open, SYS_openat, SYS_stat, SYS_lstat, SYS_newfstatat, SYS_statx,
	SYS_mkdir, SYS_rename, SYS_unlink, SYS_rmdir, SYS_utimensat,
	/* the watches on the kept files' names (store/cache.c), on the
	 * descriptor made before the filter */
	SYS_inotify_add_watch, SYS_inotify_rm_watch,
	/* memory (mmap is checked below); msync: tdb's commit of a write
	 * through a file it has mapped (goreg.tdb kept by goreg-httpd) */
	SYS_brk, SYS_munmap, SYS_mremap, SYS_madvise, SYS_msync,
	/* time, CPU time, signals, the end */
	SYS_clock_gettime, SYS_getpid, SYS_rt_sigaction, SYS_rt_sigprocmask,
	SYS_rt_sigreturn, SYS_exit, SYS_exit_group,
#ifdef __SANITIZE_ADDRESS__
	/* the sanitizer build's runtime, around a signal handler */
	SYS_gettid, SYS_sigaltstack,
#endif
	/* Running goreg-fetch on a miss (app/miss.c) is this one line: finding
	 * it, the fork, the exec, the bounded wait.  But the filter is
	 * inherited across execve and can only be narrowed, so goreg-fetch's
	 * own calls (socket, connect, ...) would have to pass here too: the
	 * front ends rather go without the filter when an owner of the store
	 * has an upstream (upstream_any), and a miss can happen. */
	/* SYS_readlink, SYS_access, SYS_fork, SYS_dup2, SYS_execve, SYS_wait4, SYS_kill, SYS_nanosleep, */
};
#define SC_N (sizeof sc_allowed / sizeof sc_allowed[0])
#define SC_MAX (SC_N + 24)
_Static_assert(SC_N < 250, "allow-list jumps fit a BPF jump offset");

/* The filter: the architecture (another one's numbers mean other calls:
 * kill), x32 numbers (kill), mmap and prlimit64 on their arguments, the
 * allow-list, and a trap for the rest. */
static size_t sc_build(struct sc_insn *f)
{
	size_t n = 0;
#define I(c, t, e, v) (f[n++] = (struct sc_insn){(c), (t), (e), (uint32_t)(v)})
	I(SC_LD, 0, 0, SC_ARCH);
	I(SC_JEQ, 1, 0, SC_ARCH_X86_64);
	I(SC_RET, 0, 0, SC_RET_KILL_PROCESS);
	I(SC_LD, 0, 0, SC_NR);
	I(SC_JGE, 0, 1, SC_X32_BIT);
	I(SC_RET, 0, 0, SC_RET_KILL_PROCESS);
	I(SC_JEQ, 0, 4, SYS_mmap);
	I(SC_LD, 0, 0, SC_ARG_LO(2));
	I(SC_JSET, 0, 1, SC_PROT_EXEC);
	I(SC_RET, 0, 0, SC_RET_TRAP);
	I(SC_RET, 0, 0, SC_RET_ALLOW);
	I(SC_JEQ, 0, 6, SYS_prlimit64);
	I(SC_LD, 0, 0, SC_ARG_LO(0));
	I(SC_JEQ, 0, 2, 0);
	I(SC_LD, 0, 0, SC_ARG_HI(0));
	I(SC_JEQ, 1, 0, 0);
	I(SC_RET, 0, 0, SC_RET_TRAP);
	I(SC_RET, 0, 0, SC_RET_ALLOW);
	for (size_t i = 0; i < SC_N; i++)
		I(SC_JEQ, SC_N - i, 0, sc_allowed[i]); /* to the ALLOW after the TRAP */
	I(SC_RET, 0, 0, SC_RET_TRAP);
	I(SC_RET, 0, 0, SC_RET_ALLOW);
#undef I
	return n;
}

/* A refused call: it returns -EPERM to its caller, and the log says which. */
static void on_sigsys(int sig, siginfo_t *si, void *uctx)
{
	(void)sig;
	int saved = errno;
	ucontext_t *uc = uctx;
	uc->uc_mcontext.gregs[REG_RAX] = -EPERM;
	sc_refused++;
	sc_last = si->si_syscall;
	put_line("system call ", (unsigned long)si->si_syscall, ": refused by the seccomp filter");
	errno = saved;
}

static int sc_install(void)
{
	struct sigaction sa = {.sa_sigaction = on_sigsys, .sa_flags = SA_SIGINFO};
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSYS, &sa, NULL) < 0)
		return -1;
	struct sc_insn f[SC_MAX];
	struct sc_prog p = {(unsigned short)sc_build(f), f};
	return prctl(PR_SET_SECCOMP, SC_MODE_FILTER, &p, 0, 0);
}
#else
/* The allow-list names x86-64's calls; elsewhere there is no filter. */
static int sc_install(void)
{
	return 0;
}
#endif

int prog_seccomp(int filter)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	if (!filter)
		return 0;
#ifdef __SANITIZE_ADDRESS__
	/* the sanitizer build's leak check at exit takes threads and ptrace,
	 * which the filter refuses: there it is on only when asked for */
	int on = 0;
#else
	int on = 1;
#endif
	const char *e = getenv("GOREG_SECCOMP");
	if (e && *e)
		on = strcmp(e, "0") != 0;
	return on ? sc_install() : 0;
}
