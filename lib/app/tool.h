/* The plumbing programs goreg-upload, -list, -info, -mod, -zip, -latest
 * and -delete: one operation straight on the store, the protocol's bytes
 * on stdout, errors as one line on stderr, exit 0/1/2/111. */
#ifndef GOREG_TOOL_H
#define GOREG_TOOL_H
#include "app/route.h"

int tool_main(const char *name, enum op op, int argc, char **argv);

#endif
