/* lib/gomod/zipcrc.c: the same CRC-32 as zlib's crc32, with the
 * carry-less multiply and without, for every length around the fold
 * boundaries, at unaligned starts, continued from any register, whole and
 * in pieces; and the check value of the CRC catalogue's CRC-32/ISO-HDLC. */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include <zlib.h>

#include "tap.h"
#include "gomod/zipcrc.h"

static unsigned char data[70000];

/* 1 if data[off, off + n) continued from crc is zlib's, whole and in pieces of step */
static int same(size_t off, size_t n, uint32_t crc, size_t step)
{
	uint32_t want = (uint32_t)crc32(crc, data + off, (uInt)n), parts = crc;
	for (size_t o = 0; o < n; o += step)
		parts = zipcrc_update(parts, data + off + o, n - o < step ? n - o : step);
	return zipcrc_update(crc, data + off, n) == want && parts == want;
}

static void lengths(const char *how)
{
	int bad = 0;
	for (size_t n = 0; n <= 1100; n++)
		bad += !same(n % 16, n, randombytes_random(), n < 600 ? n + 1 : 300 + n % 401);
	ok(bad == 0, "%s: lengths 0-1100, unaligned, from random registers, whole and in pieces (%d differ)", how,
	   bad);
	ok(same(3, sizeof data - 3, 0, 65536) && same(0, sizeof data, 0xffffffffu, 4099),
	   "%s: 70000 bytes in pieces of 64 KiB and of 4099", how);
	ok(zipcrc_update(0, (const unsigned char *)"123456789", 9) == 0xcbf43926u,
	   "%s: CRC-32 of \"123456789\" is 0xcbf43926", how);
	static unsigned char zeros[4096];
	ok(zipcrc_update(0, zeros, sizeof zeros) == (uint32_t)crc32(0, zeros, sizeof zeros),
	   "%s: 4096 zero bytes", how);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	randombytes_buf(data, sizeof data);
	printf("# carry-less multiply %s\n", zipcrc_accelerated() ? "used" : "not available");
	lengths(zipcrc_accelerated() ? "carry-less multiply" : "portable (no carry-less multiply here)");
	zipcrc_portable(1);
	lengths("zlib");
	return done_testing();
}
