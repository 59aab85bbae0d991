/* A module's README from its zip, for the module page: the file
 * README.md (else README) at the module's root, as the go command's
 * module zip holds it (MODULE@VERSION/NAME). */
#ifndef GOREG_README_H
#define GOREG_README_H
#include <stddef.h>
#include <stdint.h>

/* From the zip at path: 1 with the file's bytes in *out (malloc'd,
 * NUL-terminated, length *len) and its name in *name; 1 with *out NULL
 * when it is larger than PAGE_README_MAX (its size in *len); 0 when the
 * zip has none; -1 when the zip cannot be read. */
int readme_read(const char *path, const char *module, const char *version, char **out, uint64_t *len,
                const char **name);

#endif
