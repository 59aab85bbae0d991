/* The one lib/replace function the tdb sources need that musl lacks:
 * memset_s (C11 Annex K) as rep_memset_s, with its constraint checks.
 * explicit_bzero keeps the compiler from eliding the store. */
#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

int rep_memset_s(void *dest, size_t destsz, int ch, size_t count);

int rep_memset_s(void *dest, size_t destsz, int ch, size_t count)
{
	if (dest == NULL)
		return EINVAL;
	if (destsz > SIZE_MAX / 2 || count > destsz)
		return ERANGE;
	if (ch == 0)
		explicit_bzero(dest, count);
	else {
		volatile unsigned char *p = dest;
		while (count--)
			*p++ = (unsigned char)ch;
	}
	return 0;
}
