/* CRC-32 by folding (Gopal et al., "Fast CRC Computation for Generic
 * Polynomials Using PCLMULQDQ Instruction", Intel, 2009): the data, its
 * first 32 bits XORed with the register, is held as four 128-bit lanes;
 * each next 64 bytes are added to the lanes multiplied (carry-less) by
 * x^(512+64) and x^512 modulo P, which keeps the whole congruent to the
 * data read so far; then the lanes fold into one with x^(128+64) and
 * x^128.  The 16 bytes left are congruent to everything before them, so
 * zlib's crc32 of them from a zero register, then of the tail, is the
 * CRC of the whole.  The constants are the paper's for the bit-reflected
 * polynomial 0x104C11DB7 (its k1..k4). */
#include "gomod/zipcrc.h"

#include <zlib.h>

#define FOLD_MIN 256 /* shorter data goes to zlib whole */

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

__attribute__((target("pclmul,sse2"))) static __m128i fold(__m128i x, __m128i k, __m128i next)
{
	return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00), _mm_clmulepi64_si128(x, k, 0x11)),
	                     next);
}

__attribute__((target("pclmul,sse2"))) static uint32_t crc_clmul(uint32_t crc, const unsigned char *p,
                                                                size_t n)
{
	const __m128i k4x = _mm_set_epi64x(0x1c6e41596LL, 0x154442bd4LL); /* k2, k1 */
	const __m128i k1x = _mm_set_epi64x(0x0ccaa009eLL, 0x1751997d0LL); /* k4, k3 */
	__m128i a = _mm_loadu_si128((const __m128i *)p), b = _mm_loadu_si128((const __m128i *)(p + 16)),
	        c = _mm_loadu_si128((const __m128i *)(p + 32)), d = _mm_loadu_si128((const __m128i *)(p + 48));
	unsigned char rest[16];

	/* zlib's register is the complement of its argument */
	a = _mm_xor_si128(a, _mm_cvtsi32_si128((int)~crc));
	for (p += 64, n -= 64; n >= 64; p += 64, n -= 64) {
		a = fold(a, k4x, _mm_loadu_si128((const __m128i *)p));
		b = fold(b, k4x, _mm_loadu_si128((const __m128i *)(p + 16)));
		c = fold(c, k4x, _mm_loadu_si128((const __m128i *)(p + 32)));
		d = fold(d, k4x, _mm_loadu_si128((const __m128i *)(p + 48)));
	}
	a = fold(fold(fold(a, k1x, b), k1x, c), k1x, d);
	for (; n >= 16; p += 16, n -= 16)
		a = fold(a, k1x, _mm_loadu_si128((const __m128i *)p));
	_mm_storeu_si128((__m128i *)rest, a);
	/* crc32(0xffffffff, ...) starts from a zero register */
	crc = (uint32_t)crc32(0xffffffffUL, rest, sizeof rest);
	return (uint32_t)crc32(crc, p, (uInt)n);
}

static int has_clmul(void)
{
	unsigned a, b, c, d;
	return __get_cpuid(1, &a, &b, &c, &d) && (c & bit_PCLMUL) && (d & bit_SSE2);
}
#endif

static int known = -1;

void zipcrc_portable(int on)
{
	known = on ? 0 : -1;
}

int zipcrc_accelerated(void)
{
	if (known < 0) {
		known = 0;
#if defined(__x86_64__)
		known = has_clmul();
#endif
	}
	return known;
}

uint32_t zipcrc_update(uint32_t crc, const unsigned char *p, size_t n)
{
#if defined(__x86_64__)
	if (n >= FOLD_MIN && zipcrc_accelerated())
		return crc_clmul(crc, p, n);
#endif
	/* zlib's length is an uInt: whole pieces of at most 1 GiB */
	for (; n > (1u << 30); p += 1u << 30, n -= 1u << 30)
		crc = (uint32_t)crc32(crc, p, 1u << 30);
	return (uint32_t)crc32(crc, p, (uInt)n);
}
