/* libFuzzer harness: gomod_module_path, the go.mod lexer and module
 * directive parser (modfile.ParseLax rules), on arbitrary bytes.
 * Properties: a path found is non-empty, NUL-free and fits the buffer;
 * a too-small buffer is refused, never overrun (ASan watches); and for a
 * valid module path p, the go.mod the go command would synthesize
 * (gomod_legacy) parses back to p, and so does "module p" with p quoted. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gomod/gomod.h"
#include "base/limits.h"
#include "gomod/modpath.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *s)
{
	fprintf(stderr, "fuzz-gomod: %s: \"%s\"\n", what, s);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[MODPATH_MAX + 1], small[8], back[MODPATH_MAX + 1], quoted[MODPATH_MAX + 32];
	char *copy, *legacy;
	size_t n;
	int rc;

	/* the parser gets a length, not a string: no NUL after the data */
	if ((copy = malloc(size ? size : 1)) == NULL)
		return 0;
	memcpy(copy, data, size);
	rc = gomod_module_path(copy, size, out, sizeof out);
	if (rc != 0 && rc != -1)
		die("unexpected return value", "");
	if (rc == 0) {
		n = strlen(out);
		if (n == 0 || n >= sizeof out)
			die("empty or overlong path", out);
		if (gomod_module_path(copy, size, small, sizeof small) != (n < sizeof small ? 0 : -1))
			die("a small buffer changes the answer", out);
		if (modpath_check(out) == NULL) {
			if ((legacy = gomod_legacy(out, &n)) == NULL)
				die("gomod_legacy failed", out);
			if (gomod_module_path(legacy, n, back, sizeof back) != 0 || strcmp(back, out) != 0)
				die("the synthesized go.mod does not parse back", out);
			free(legacy);
			snprintf(quoted, sizeof quoted, "// q\nmodule \"%s\" // c\n", out);
			if (gomod_module_path(quoted, strlen(quoted), back, sizeof back) != 0 || strcmp(back, out) != 0)
				die("the quoted module directive does not parse back", out);
		}
	} else {
		gomod_module_path(copy, size, small, sizeof small);
	}
	free(copy);
	return 0;
}
