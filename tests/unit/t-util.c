/* lib/base/util.c: the doubling array behind every growing list in lib/. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "base/util.h"

int main(void)
{
	int *v = NULL;
	size_t cap = 0;
	is_int(grow(&v, &cap, 1, sizeof *v), 0, "first element: room made");
	ok(v != NULL && cap >= 1, "array allocated, capacity %zu", cap);
	size_t first = cap;
	is_int(grow(&v, &cap, first, sizeof *v), 0, "need == capacity: nothing to do");
	is_int(cap, first, "capacity unchanged");
	for (int i = 0; i < 1000; i++) {
		if (grow(&v, &cap, (size_t)i + 1, sizeof *v) < 0)
			break;
		v[i] = i;
	}
	ok(cap >= 1000, "grown to %zu for 1000 elements", cap);
	int same = 1;
	for (int i = 0; i < 1000; i++)
		same &= v[i] == i;
	ok(same, "elements kept across reallocations");
	int *keep = v;
	size_t kcap = cap;
	errno = 0;
	is_int(grow(&v, &cap, SIZE_MAX / 2, sizeof *v), -1, "an impossible size is refused");
	is_int(errno, ENOMEM, "with ENOMEM");
	ok(v == keep && cap == kcap, "and the array is left as it was");
	free(v);

	struct buf b = {0};
	for (int i = 0; i < 100; i++)
		buf_printf(&b, "%d,", i);
	ok(b.len > 0 && b.p[b.len] == 0 && strncmp(b.p, "0,1,2,", 6) == 0, "buf grows through grow()");
	is_int(strlen(b.p), b.len, "buf stays NUL-terminated");
	buf_free(&b);
	return done_testing();
}
