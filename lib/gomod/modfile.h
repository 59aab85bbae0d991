/* What a go.mod says about its module's versions, as the go command reads
 * it from the latest version (go.dev/ref/mod#go-mod-file-retract and
 * #go-mod-file-module-deprecation; golang.org/x/mod/modfile rule.go,
 * parseDeprecation and parseDirectiveComment): the retract directives,
 * single versions and [low, high] ranges, alone or in a block, with their
 * rationale; and the deprecation message of the module directive. */
#ifndef GOREG_MODFILE_H
#define GOREG_MODFILE_H
#include <stddef.h>
#include "base/limits.h"

struct modfile_retract {
	char lo[VERSION_MAX + 1], hi[VERSION_MAX + 1];  /* equal for one version */
	char *why;              /* the rationale (the directive's comments), or "" */
};

struct modfile_notes {
	char *deprecated;       /* the message after "Deprecated:", or NULL */
	struct modfile_retract *r;
	size_t n;
};

/* Read the notes of data[0:len] into *m (zeroed first; free with
 * modfile_notes_free).  Lines that do not parse are passed over, as the
 * go command's lax reading of a dependency's go.mod does.  0, or -1 out
 * of memory. */
int modfile_notes(const char *data, size_t len, struct modfile_notes *m);
void modfile_notes_free(struct modfile_notes *m);
/* The retraction covering version v, or NULL. */
const struct modfile_retract *modfile_retracted(const struct modfile_notes *m, const char *v);

#endif
