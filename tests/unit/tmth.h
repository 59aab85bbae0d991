/* For the unit tests of transparency logs: RFC 6962 section 2.1's
 * MTH(D[lo:hi]) over an array of record hashes, computed recursively on
 * its own, to check lib/sumdb/tlog.c's tiled computation against. */
#ifndef GOREG_TMTH_H
#define GOREG_TMTH_H
#include <stdint.h>
#include <string.h>

#include "sumdb/tlog.h"

static inline void tmth(unsigned char (*leaf)[TLOG_HASH], int64_t lo, int64_t hi, unsigned char out[TLOG_HASH])
{
	if (hi - lo == 1) {
		memcpy(out, leaf[lo], TLOG_HASH);
		return;
	}
	int64_t k = 1;
	while (k * 2 < hi - lo)
		k *= 2;
	unsigned char l[TLOG_HASH], r[TLOG_HASH];
	tmth(leaf, lo, lo + k, l);
	tmth(leaf, lo + k, hi, r);
	tlog_node_hash(l, r, out);
}

#endif
