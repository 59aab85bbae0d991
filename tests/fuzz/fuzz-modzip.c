/* libFuzzer harness: modzip_check on arbitrary bytes as an uploaded zip.
 * Properties beyond "no crash, no sanitizer report": an invalid upload is
 * refused as invalid (1, answered 400), never as a system failure (-1,
 * answered 500, a bug Gitea has had); the reason is one
 * line; an accepted zip has a valid module@version, h1: sums of the right
 * shape and a go.mod whose module directive names the module.  The input
 * lives in a memfd reached by its /proc path: modzip_check opens zips by
 * name.
 *
 * The differential, when GOREG_FUZZ_ORACLE names the oracle built from
 * tests/oracle/h1zip (built as t0740-proto-zip-one-reading.sh builds it):
 * every accepted input is written to a file in TMPDIR and the oracle run
 * on it; goreg's h1: must be x/mod's dirhash.HashZip of the same file
 * (what the go command records) and x/mod's CheckZip must accept it, or
 * the harness aborts.  Without the variable the harness needs no Go. */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gomod/gomod.h"
#include "base/limits.h"
#include "gomod/modpath.h"
#include "gomod/modzip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fd = -1;
static char path[64];

static void die(const char *what, const char *err)
{
	fprintf(stderr, "fuzz-modzip: %s: %s\n", what, err);
	abort();
}

extern char **environ;

/* The oracle's output on the input (its "h1 ..." and "check ..." lines),
 * written to a file it can open. */
static void run_oracle(const char *oracle, const uint8_t *data, size_t size, const struct modzip_info *mi,
                       char *out, size_t outsz)
{
	static char zip[4096];
	char *argv[] = { (char *)oracle, zip, (char *)mi->module, (char *)mi->version, NULL };
	posix_spawn_file_actions_t fa;
	size_t got = 0;
	ssize_t r;
	int zfd, p[2], status;
	pid_t pid;

	if (zip[0] == '\0')
		snprintf(zip, sizeof zip, "%s/fuzz-modzip-%ld.zip", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		         (long)getpid());
	if ((zfd = open(zip, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    (size > 0 && write(zfd, data, size) != (ssize_t)size) || close(zfd) != 0)
		die("writing the input for the oracle", zip);
	if (pipe2(p, O_CLOEXEC) != 0 || posix_spawn_file_actions_init(&fa) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, p[1], 1) != 0 ||
	    posix_spawn(&pid, oracle, &fa, NULL, argv, environ) != 0)
		die("running the oracle", oracle);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	/* libFuzzer's timer signals interrupt both */
	while (got + 1 < outsz && ((r = read(p[0], out + got, outsz - 1 - got)) > 0 || (r < 0 && errno == EINTR)))
		got += r > 0 ? (size_t)r : 0;
	out[got] = '\0';
	close(p[0]);
	while ((r = waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r != pid || !WIFEXITED(status) || WEXITSTATUS(status) == 2)
		die("the oracle failed", out);
	unlink(zip);
}

/* goreg accepted the input: the go command must read it alike */
static void differential(const char *oracle, const uint8_t *data, size_t size, const struct modzip_info *mi)
{
	char out[8192], want[H1_LEN + 8];

	run_oracle(oracle, data, size, mi, out, sizeof out);
	snprintf(want, sizeof want, "h1 %s\n", mi->h1_zip);
	if (strncmp(out, want, strlen(want)) != 0)
		die("goreg's h1: is not the go command's", out);
	if (strstr(out, "\ncheck ok\n") == NULL)
		die("accepted a zip x/mod's CheckZip refuses", out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *oracle = getenv("GOREG_FUZZ_ORACLE");
	struct modzip_info mi;
	char err[1024], back[MODPATH_MAX + 1];
	int rc;

	if (fd < 0) {
		if ((fd = memfd_create("fuzz-modzip", MFD_CLOEXEC)) < 0)
			die("memfd_create", "failed");
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		die("writing the input", "failed");

	rc = modzip_check(path, &mi, err, sizeof err);
	if (rc == -1)
		die("invalid input taken for a system failure (would answer 500)", err);
	if (rc != 0 && rc != 1)
		die("unexpected return value", err);
	if (strchr(err, '\n') != NULL)
		die("reason is not one line", err);
	if (rc == 1) {
		if (err[0] == '\0')
			die("refused without a reason", "(empty)");
		if (mi.gomod != NULL)
			die("refusal left memory to free", err);
		return 0;
	}
	if (modpath_check_module(mi.module, mi.version) != NULL)
		die("accepted an invalid module@version", mi.module);
	if (strlen(mi.h1_zip) != H1_LEN || strncmp(mi.h1_zip, "h1:", 3) != 0 ||
	    strlen(mi.h1_mod) != H1_LEN || strncmp(mi.h1_mod, "h1:", 3) != 0)
		die("malformed h1: sum", mi.h1_zip);
	if (mi.gomod == NULL)
		die("accepted without a go.mod", mi.module);
	if (gomod_module_path(mi.gomod, mi.gomod_len, back, sizeof back) != 0 || strcmp(back, mi.module) != 0)
		die("go.mod (given or synthesized) does not name the module", mi.module);
	if (oracle != NULL && oracle[0] != '\0')
		differential(oracle, data, size, &mi);
	modzip_info_free(&mi);
	return 0;
}
