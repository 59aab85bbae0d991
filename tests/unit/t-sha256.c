/* lib/base/sha256.c: the same digests as libsodium's SHA-256, with the SHA
 * extensions and without, for every length around the block and padding
 * boundaries, fed whole and in uneven pieces; two messages at once
 * (sha256_update2) from every offset within a block; and the FIPS 180-4
 * example. */
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "tap.h"
#include "base/sha256.h"

/* 1 if data[0, n) hashes as libsodium hashes it, whole and in pieces of step */
static int same(const unsigned char *data, size_t n, size_t step)
{
	unsigned char want[32], whole[32], parts[32];
	crypto_hash_sha256(want, data, n);
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, data, n);
	sha256_final(&s, whole);
	sha256_init(&s);
	for (size_t o = 0; o < n; o += step)
		sha256_update(&s, data + o, n - o < step ? n - o : step);
	sha256_final(&s, parts);
	return memcmp(want, whole, 32) == 0 && memcmp(want, parts, 32) == 0;
}

/* two messages hashed together, b begun with lead bytes of its own, in
 * pieces of step: each as libsodium hashes it */
static int same2(const unsigned char *data, size_t n, size_t lead, size_t step)
{
	unsigned char want[2][32], got[2][32];
	const unsigned char *other = data + 1000;
	crypto_hash_sha256_state ls;
	crypto_hash_sha256(want[0], data, n);
	crypto_hash_sha256_init(&ls);
	crypto_hash_sha256_update(&ls, other, lead);
	crypto_hash_sha256_update(&ls, other + lead, n);
	crypto_hash_sha256_final(&ls, want[1]);
	struct sha256 a, b;
	sha256_init(&a);
	sha256_init(&b);
	sha256_update(&b, other, lead);
	for (size_t o = 0; o < n; o += step)
		sha256_update2(&a, data + o, &b, other + lead + o, n - o < step ? n - o : step);
	sha256_final(&a, got[0]);
	sha256_final(&b, got[1]);
	return memcmp(want, got, sizeof want) == 0;
}

static void lengths(const char *how)
{
	static unsigned char data[4096];
	randombytes_buf(data, sizeof data);
	int bad = 0;
	for (size_t n = 0; n <= 300; n++)
		bad += !same(data, n, 1 + n % 67);
	ok(bad == 0, "%s: lengths 0-300, whole and in pieces (%d differ)", how, bad);
	ok(same(data, sizeof data, 1000), "%s: 4096 bytes in pieces of 1000", how);
	bad = 0;
	for (size_t lead = 0; lead <= 130; lead++)
		for (size_t n = 0; n <= 2900; n += 97 + lead)
			bad += !same2(data, n, lead, n % 3 ? 4096 : 1 + (n + lead) % 700);
	ok(bad == 0, "%s: two messages at once, from every offset in a block, in pieces (%d differ)", how, bad);
	unsigned char out[32];
	struct sha256 s;
	sha256_init(&s);
	sha256_update(&s, "abc", 3);
	sha256_final(&s, out);
	static const unsigned char abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	ok(memcmp(out, abc, 32) == 0, "%s: SHA-256(\"abc\") is FIPS 180-4's example", how);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	printf("# SHA extensions %s\n", sha256_accelerated() ? "used" : "not available");
	lengths(sha256_accelerated() ? "SHA extensions" : "portable (no SHA extensions here)");
	sha256_portable(1);
	lengths("portable");
	return done_testing();
}
