/* golang.org/x/mod/sumdb/dirhash Hash1 ("h1:"): SHA-256 over the lines
 * "<hex sha256 of file>  <name>\n" of all files sorted by name, base64. */
#ifndef GOREG_DIRHASH_H
#define GOREG_DIRHASH_H
#include <stddef.h>
#include "base/limits.h"

struct dirhash_file {
	const char *name;             /* as it appears in the hash: zip entry name */
	unsigned char sha256[32];
};

/* Sorts files by name in place and writes "h1:..." (H1_LEN chars + NUL). */
int dirhash_h1(struct dirhash_file *files, size_t n, char out[H1_LEN + 1]);
/* The go.sum "/go.mod" hash: Hash1 of the single file "go.mod". */
int dirhash_h1_gomod(const void *data, size_t len, char out[H1_LEN + 1]);

#endif
