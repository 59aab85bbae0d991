/* go.mod as the go command reads a dependency's go.mod: the module
 * directive (golang.org/x/mod/modfile), and the go.mod it makes up for a
 * module without one (cmd/go/internal/modfetch). */
#ifndef GOREG_GOMOD_H
#define GOREG_GOMOD_H
#include <stddef.h>

/* The module path of a go.mod as the go command reads a dependency's
 * go.mod (golang.org/x/mod/modfile.ParseLax, modload's goModSummary): the
 * "module" directive, bare or "quoted", with // comments, also inside a
 * "module ( ... )" block.  Returns 0 and the path in out, or -1 if the
 * directive is missing, empty, repeated or malformed, if the path holds a
 * NUL byte, if the file does not lex as a go.mod, or if out is too small.
 * A `backquoted` path is refused, as ParseLax refuses it (only
 * modfile.ModulePath, cmd/go's quick look at a VCS checkout, accepts it). */
int gomod_module_path(const char *data, size_t len, char *out, size_t outsz);

/* modfetch.LegacyGoMod: "module PATH\n", PATH quoted if it must be; a new
 * malloc'd NUL-terminated string, length in *lenp; NULL when out of memory. */
char *gomod_legacy(const char *path, size_t *lenp);

#endif
