/* SHA-256 (FIPS 180-4) for the bulk hashing of uploads: the CPU's SHA
 * extensions where it has them (x86-64 SHA-NI), else portable C.  Same
 * digests as libsodium's crypto_hash_sha256, which the rest of goreg
 * keeps using for small inputs. */
#ifndef GOREG_SHA256_H
#define GOREG_SHA256_H
#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t len;                   /* bytes hashed so far */
	unsigned char buf[64];          /* a partial block, len % 64 bytes */
};

void sha256_init(struct sha256 *s);
void sha256_update(struct sha256 *s, const void *data, size_t n);
/* sha256_update(a, pa, n) and sha256_update(b, pb, n), the two
 * interleaved where the SHA extensions are used: faster than one after
 * the other */
void sha256_update2(struct sha256 *a, const void *pa, struct sha256 *b, const void *pb, size_t n);
void sha256_final(struct sha256 *s, unsigned char out[32]);
/* 1 if the SHA extensions are used; GOREG_SHA256=portable turns them
 * off, and so does sha256_portable(1) (the unit tests check both). */
int sha256_accelerated(void);
void sha256_portable(int on);

#endif
