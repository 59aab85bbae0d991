/* CRC-32 of zip entries (the polynomial 0x04C11DB7, bit-reflected, as
 * zlib's crc32 and Go's hash/crc32.IEEE compute it), with the CPU's
 * carry-less multiply where it has one. */
#ifndef GOREG_ZIPCRC_H
#define GOREG_ZIPCRC_H
#include <stddef.h>
#include <stdint.h>

/* crc continued over p[0, n), as zlib's crc32(crc, p, n) */
uint32_t zipcrc_update(uint32_t crc, const unsigned char *p, size_t n);
/* 1 if the carry-less multiply is used; zipcrc_portable(1) turns it off
 * (the unit tests check both) */
int zipcrc_accelerated(void);
void zipcrc_portable(int on);

#endif
