/* libFuzzer harness: modzip_check on arbitrary bytes as an uploaded zip.
 * Properties beyond "no crash, no sanitizer report": an invalid upload is
 * refused as invalid (1, answered 400), never as a system failure (-1,
 * answered 500, a bug Gitea has had); the reason is one
 * line; an accepted zip has a valid module@version, h1: sums of the right
 * shape and a go.mod whose module directive names the module.  The input
 * lives in a memfd reached by its /proc path: libzip opens zips by name. */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
	modzip_info_free(&mi);
	return 0;
}
