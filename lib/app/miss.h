/* A front end's miss: goreg-httpd and goreg.cgi run goreg-fetch (the only
 * program that links an HTTP client) for a version an owner with an
 * upstream lacks, wait a bounded time, then serve what it published. */
#ifndef GOREG_MISS_H
#define GOREG_MISS_H

struct store;

/* Run goreg-fetch -r ROOT OWNER MODULE@VERSION: the program next to the
 * running one, else goreg-fetch in PATH (GOREG_FETCH names another), its
 * lines and errors to our standard error (the log), killed after GOREG_FETCH_TIMEOUT
 * seconds (MISS_FETCH_SECS by default).  Returns its exit status, or -1
 * when it could not run or was killed. */
int miss_fetch(const struct store *st, const char *owner, const char *module, const char *version);
/* The same for goreg-fetch -l OWNER MODULE: refresh the upstream list. */
int miss_list(const struct store *st, const char *owner, const char *module);
/* The same for goreg-fetch -s OWNER NAME PATH: a checksum database's answer. */
int miss_sumdb(const struct store *st, const char *owner, const char *name, const char *path);
/* The same for goreg-fetch -c OWNER MODULE@VERSION: the version's go.sum
 * lines, verified in the upstream checksum database, into the owner's own. */
int miss_sumlog(const struct store *st, const char *owner, const char *module, const char *version);

#endif
