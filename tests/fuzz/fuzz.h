/* What the harnesses of tests/fuzz/ share: the abort on a property
 * violation, a memfd holding the input, and the input cut into lines.
 * Each harness defines FUZZ_NAME before including this. */
#ifndef GOREG_FUZZ_H
#define GOREG_FUZZ_H
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define FUZZ_UNUSED __attribute__((unused))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property does not hold: say which, with the string involved made
 * printable, and abort, which libFuzzer turns into a crash file. */
static FUZZ_UNUSED void fuzz_die(const char *what, const char *s)
{
	fprintf(stderr, "fuzz-%s: %s: \"", FUZZ_NAME, what);
	for (const unsigned char *p = (const unsigned char *)(s ? s : "(null)"); *p; p++)
		fprintf(stderr, isprint(*p) && *p != '\\' ? "%c" : "\\x%02x", *p);
	fprintf(stderr, "\"\n");
	abort();
}

#define CHECK(cond, what, s) do { if (!(cond)) fuzz_die((what), (s)); } while (0)

/* Does s hold a control character other than HTAB (RFC 9110 section
 * 5.5)?  Header fields, reasons and other lines that reach a client or a
 * log must not. */
static FUZZ_UNUSED int fuzz_has_ctl(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f)
			return 1;
	return 0;
}

/* The input as the whole content of a memfd, its offset at 0: what a
 * client sent before it shut down its side, or a file on disk. */
static FUZZ_UNUSED int fuzz_memfd(const uint8_t *data, size_t size)
{
	static int fd = -1;
	if (fd < 0 && (fd = memfd_create("fuzz-" FUZZ_NAME, MFD_CLOEXEC)) < 0)
		fuzz_die("setup", "memfd_create");
	if (ftruncate(fd, 0) != 0 || (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size) ||
	    lseek(fd, 0, SEEK_SET) != 0)
		fuzz_die("setup", "writing the input to the memfd");
	return fd;
}

/* The input cut at each '\n' into at most max NUL-terminated lines, in
 * one malloc'd copy (free *copy).  Returns the number of lines, or -1 if
 * the input holds a NUL (no C string can). */
static FUZZ_UNUSED int fuzz_lines(const uint8_t *data, size_t size, char **line, int max, char **copy)
{
	int n = 0;
	*copy = NULL;
	if (memchr(data, '\0', size) != NULL || (*copy = malloc(size + 1)) == NULL)
		return -1;
	memcpy(*copy, data, size);
	(*copy)[size] = '\0';
	for (char *p = *copy; n < max; n++) {
		line[n] = p;
		if ((p = strchr(p, '\n')) == NULL)
			return n + 1;
		*p++ = '\0';
	}
	return n;
}

#endif
