/* Startup shared by every program (git's common-main.c): make sure fds
 * 0-2 are open, ignore SIGPIPE (a closed peer is an EPIPE, not a silent
 * death), remember the program name for error messages. */
#ifndef GOREG_MAIN_H
#define GOREG_MAIN_H
#include <stdint.h>

void prog_init(const char *name);
const char *prog_name(void);
/* "goreg-x: what failed: reason" on stderr (one line). */
void warnx_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* warnx_ then exit with code. */
_Noreturn void die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void usage(const char *synopsis);
int64_t unix_now(void);

#endif
