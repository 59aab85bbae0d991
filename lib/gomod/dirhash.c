/* dirhash Hash1, the "h1:" hashes of go.sum (golang.org/x/mod/sumdb/dirhash).
 *
 * Hash1 is the SHA-256 of a summary that has one line per file,
 * "<lowercase hex SHA-256 of the content>  <name>\n", lines ordered by
 * name as Go's sort.Strings orders them (bytewise), encoded as standard
 * base64 with padding after "h1:".  Names containing a newline are refused,
 * as Hash1 refuses them: the summary could not be parsed back otherwise.
 *
 * The SHA-256 is base/sha256.c's (SHA extensions when the CPU has them:
 * a summary has a line per file); libsodium's base64 holds no state that
 * sodium_init() sets up, so these functions do not need it to have run. */
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "base/sha256.h"
#include "gomod/dirhash.h"

static int by_name(const void *a, const void *b)
{
	const struct dirhash_file *x = a, *y = b;

	/* strcmp compares as unsigned char: the byte order of sort.Strings. */
	return strcmp(x->name, y->name);
}

static void to_h1(const unsigned char sum[32], char out[H1_LEN + 1])
{
	memcpy(out, "h1:", 3);
	sodium_bin2base64(out + 3, H1_LEN + 1 - 3, sum, 32, sodium_base64_VARIANT_ORIGINAL);
}

int dirhash_h1(struct dirhash_file *files, size_t n, char out[H1_LEN + 1])
{
	static const char hexdig[] = "0123456789abcdef";
	struct sha256 st;
	unsigned char sum[32];
	char hex[64 + 2];
	size_t i, j;

	for (i = 0; i < n; i++)
		if (strchr(files[i].name, '\n') != NULL)
			return -1;
	if (n > 1)
		qsort(files, n, sizeof files[0], by_name);

	sha256_init(&st);
	for (i = 0; i < n; i++) {
		for (j = 0; j < 32; j++) {
			hex[2 * j] = hexdig[files[i].sha256[j] >> 4];
			hex[2 * j + 1] = hexdig[files[i].sha256[j] & 15];
		}
		hex[64] = ' ';
		hex[65] = ' ';
		sha256_update(&st, hex, sizeof hex);
		sha256_update(&st, files[i].name, strlen(files[i].name));
		sha256_update(&st, "\n", 1);
	}
	sha256_final(&st, sum);
	to_h1(sum, out);
	return 0;
}

int dirhash_h1_gomod(const void *data, size_t len, char out[H1_LEN + 1])
{
	/* cmd/go's modfetch hashes a go.mod as the one-file tree {"go.mod"}. */
	struct dirhash_file f = { .name = "go.mod" };
	struct sha256 st;

	sha256_init(&st);
	sha256_update(&st, len ? data : (const void *)"", len);
	sha256_final(&st, f.sha256);
	return dirhash_h1(&f, 1, out);
}
