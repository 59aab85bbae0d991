/* SHA-256 as FIPS 180-4 defines it (sections 4.1.2, 4.2.2, 5.3.3, 6.2),
 * one 64-byte block at a time: in portable C, or with the x86 SHA
 * extensions (SHA256RNDS2 does two rounds on the state held as ABEF and
 * CDGH; SHA256MSG1 and SHA256MSG2 compute the message schedule), chosen
 * once by CPUID (leaf 7 EBX bit 29; SSSE3 and SSE4.1 for the shuffles). */
#include "base/sha256.h"

#include <stdlib.h>
#include <string.h>

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* FIPS 180-4 6.2.2 step 3, one round t with a..h at v[a]..v[h] */
#define ROUND(v, a, b, c, d, e, f, g, h, t) do { \
	uint32_t t1 = v[h] + (ROR(v[e], 6) ^ ROR(v[e], 11) ^ ROR(v[e], 25)) + \
	              ((v[e] & v[f]) ^ (~v[e] & v[g])) + K[t] + w[t]; \
	uint32_t t2 = (ROR(v[a], 2) ^ ROR(v[a], 13) ^ ROR(v[a], 22)) + \
	              ((v[a] & v[b]) ^ (v[a] & v[c]) ^ (v[b] & v[c])); \
	v[d] += t1; \
	v[h] = t1 + t2; \
} while (0)

static void blocks_c(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	for (; nblocks--; p += 64) {
		uint32_t w[64], v[8];
		for (int t = 0; t < 16; t++)
			w[t] = be32(p + 4 * t);
		for (int t = 16; t < 64; t++) {
			uint32_t s0 = ROR(w[t - 15], 7) ^ ROR(w[t - 15], 18) ^ (w[t - 15] >> 3);
			uint32_t s1 = ROR(w[t - 2], 17) ^ ROR(w[t - 2], 19) ^ (w[t - 2] >> 10);
			w[t] = w[t - 16] + s0 + w[t - 7] + s1;
		}
		memcpy(v, h, sizeof v);
		/* the eight working variables rotate one place a round: eight
		 * rounds at a time with the names rotated instead (moving them
		 * cost a memmove call a round at -Os, 100 times the SHA-NI time) */
		for (int t = 0; t < 64; t += 8) {
			ROUND(v, 0, 1, 2, 3, 4, 5, 6, 7, t);
			ROUND(v, 7, 0, 1, 2, 3, 4, 5, 6, t + 1);
			ROUND(v, 6, 7, 0, 1, 2, 3, 4, 5, t + 2);
			ROUND(v, 5, 6, 7, 0, 1, 2, 3, 4, t + 3);
			ROUND(v, 4, 5, 6, 7, 0, 1, 2, 3, t + 4);
			ROUND(v, 3, 4, 5, 6, 7, 0, 1, 2, t + 5);
			ROUND(v, 2, 3, 4, 5, 6, 7, 0, 1, t + 6);
			ROUND(v, 1, 2, 3, 4, 5, 6, 7, 0, t + 7);
		}
		for (int i = 0; i < 8; i++)
			h[i] += v[i];
	}
}

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

#define SHA_NI __attribute__((target("sha,ssse3,sse4.1")))

/* h[0..7] = A..H into ABEF and CDGH (A, C in the top word) */
SHA_NI static inline void ni_load(const uint32_t h[8], __m128i *abef, __m128i *cdgh)
{
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)h), 0xB1);   /* B A D C */
	__m128i u = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(h + 4)), 0x1B); /* H G F E */
	*abef = _mm_alignr_epi8(t, u, 8);                                             /* F E B A */
	*cdgh = _mm_blend_epi16(u, t, 0xF0);                                          /* H G D C */
}

SHA_NI static inline void ni_store(uint32_t h[8], __m128i abef, __m128i cdgh)
{
	__m128i t = _mm_shuffle_epi32(abef, 0x1B); /* A B E F */
	cdgh = _mm_shuffle_epi32(cdgh, 0xB1);      /* G H C D */
	_mm_storeu_si128((__m128i *)h, _mm_blend_epi16(t, cdgh, 0xF0));
	_mm_storeu_si128((__m128i *)(h + 4), _mm_alignr_epi8(cdgh, t, 8));
}

/* rounds 4i..4i+3 of block p: W[4i..4i+3] into w[i & 3] (from the
 * groups 4, 3, 2 and 1 back once i >= 4), then two SHA256RNDS2 */
SHA_NI __attribute__((always_inline)) static inline void ni_quad(int i, const unsigned char *p, __m128i w[4],
                                                                __m128i *abef, __m128i *cdgh)
{
	/* each 32-bit word of the block is big-endian */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i m;
	if (i < 4)
		m = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + 16 * i)), bswap);
	else {
		m = _mm_sha256msg1_epu32(w[i & 3], w[(i + 1) & 3]);
		m = _mm_add_epi32(m, _mm_alignr_epi8(w[(i + 3) & 3], w[(i + 2) & 3], 4));
		m = _mm_sha256msg2_epu32(m, w[(i + 3) & 3]);
	}
	w[i & 3] = m;
	__m128i wk = _mm_add_epi32(m, _mm_loadu_si128((const __m128i *)(K + 4 * i)));
	*cdgh = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
	*abef = _mm_sha256rnds2_epu32(*abef, *cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

/* The loops are unrolled, so that w[] stays in registers under -Os (the
 * loop kept: 1.3 GB/s against 1.9 unrolled, on one EPYC). */
SHA_NI static void blocks_ni(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
	__m128i abef, cdgh;
	ni_load(h, &abef, &cdgh);
	for (; nblocks--; p += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh, w[4];
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++)
			ni_quad(i, p, w, &abef, &cdgh);
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}
	ni_store(h, abef, cdgh);
}

/* Two independent messages at once: one message's rounds wait for the
 * previous round's result, so the other's fill the gaps (2.9 GB/s of the
 * two together against 1.9 one after the other, on the same EPYC). */
SHA_NI static void blocks_ni2(uint32_t h[8], const unsigned char *p, uint32_t g[8], const unsigned char *q,
                              size_t nblocks)
{
	__m128i abef, cdgh, abef2, cdgh2;
	ni_load(h, &abef, &cdgh);
	ni_load(g, &abef2, &cdgh2);
	for (; nblocks--; p += 64, q += 64) {
		__m128i abef0 = abef, cdgh0 = cdgh, abef20 = abef2, cdgh20 = cdgh2, w[4], x[4];
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			ni_quad(i, p, w, &abef, &cdgh);
			ni_quad(i, q, x, &abef2, &cdgh2);
		}
		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
		abef2 = _mm_add_epi32(abef2, abef20);
		cdgh2 = _mm_add_epi32(cdgh2, cdgh20);
	}
	ni_store(h, abef, cdgh);
	ni_store(g, abef2, cdgh2);
}

static int has_sha_ni(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) || !(c & bit_SSE4_1))
		return 0;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
}
#endif

static int known = -1;

void sha256_portable(int on)
{
	known = on ? 0 : -1;
}

int sha256_accelerated(void)
{
	if (known < 0) {
		const char *e = getenv("GOREG_SHA256");
		known = 0;
#if defined(__x86_64__)
		known = !(e && strcmp(e, "portable") == 0) && has_sha_ni();
#else
		(void)e;
#endif
	}
	return known;
}

static void blocks(uint32_t h[8], const unsigned char *p, size_t nblocks)
{
#if defined(__x86_64__)
	if (sha256_accelerated()) {
		blocks_ni(h, p, nblocks);
		return;
	}
#endif
	blocks_c(h, p, nblocks);
}

void sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memcpy(s->h, iv, sizeof iv);
	s->len = 0;
}

void sha256_update(struct sha256 *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t have = (size_t)(s->len % 64);
	s->len += n;
	if (have) {
		size_t k = 64 - have < n ? 64 - have : n;
		memcpy(s->buf + have, p, k);
		p += k;
		n -= k;
		if (have + k < 64)
			return;
		blocks(s->h, s->buf, 1);
	}
	blocks(s->h, p, n / 64);
	memcpy(s->buf, p + n / 64 * 64, n % 64);
}

void sha256_update2(struct sha256 *a, const void *pa, struct sha256 *b, const void *pb, size_t n)
{
	const unsigned char *p = pa, *q = pb;
	/* each first completes the block it has begun */
	size_t ka = (size_t)((64 - a->len % 64) % 64), kb = (size_t)((64 - b->len % 64) % 64);
	size_t k = ka > kb ? ka : kb, nb = n > k ? (n - k) / 64 : 0;
#if defined(__x86_64__)
	if (nb > 0 && sha256_accelerated()) {
		sha256_update(a, p, ka);
		sha256_update(b, q, kb);
		blocks_ni2(a->h, p + ka, b->h, q + kb, nb);
		a->len += nb * 64;
		b->len += nb * 64;
		sha256_update(a, p + ka + nb * 64, n - ka - nb * 64);
		sha256_update(b, q + kb + nb * 64, n - kb - nb * 64);
		return;
	}
#endif
	sha256_update(a, p, n);
	sha256_update(b, q, n);
}

void sha256_final(struct sha256 *s, unsigned char out[32])
{
	uint64_t bits = s->len * 8;
	size_t have = (size_t)(s->len % 64);
	s->buf[have++] = 0x80;
	if (have > 56) {
		memset(s->buf + have, 0, 64 - have);
		blocks(s->h, s->buf, 1);
		have = 0;
	}
	memset(s->buf + have, 0, 56 - have);
	for (int i = 0; i < 8; i++)
		s->buf[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	blocks(s->h, s->buf, 1);
	for (int i = 0; i < 8; i++) {
		out[4 * i] = (unsigned char)(s->h[i] >> 24);
		out[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
		out[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
		out[4 * i + 3] = (unsigned char)s->h[i];
	}
}
