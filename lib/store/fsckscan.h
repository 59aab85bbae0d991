/* goreg-fsck's scan of one owner (fsck.c does the judging): what the index
 * and the tree hold, as one sorted list of versions and one of modules,
 * and the helpers both halves share.  Internal to fsck.c and fsckscan.c,
 * but for the two structs that fsck.h passes on. */
#ifndef GOREG_FSCKSCAN_H
#define GOREG_FSCKSCAN_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "store/store.h"

/* What fsck_store is asked to do, and what it found (fsck.h). */
struct fsck_opts {
	int repair;
	int64_t now;                    /* unix seconds, for the age rule */
	int64_t min_age;                /* seconds; FSCK_TMP_MIN_AGE by default */
	FILE *out;                      /* one line per inconsistency */
	char *const *owners;            /* NULL: every owner, and tmp/ */
	size_t nowners;
};

struct fsck_counts {
	unsigned long owners, versions; /* looked at */
	unsigned long problems;         /* inconsistencies found */
	unsigned long repaired;         /* of them, repaired */
	unsigned long gomod_copied;     /* records given a copy of their go.mod (repair) */
};


enum { F_INFO = 1, F_MOD = 2, F_ZIP = 4 };

struct item {                   /* one module version, from the index and/or the tree */
	char *module, *version;
	int has_rec, rec_bad;
	int rec_gomod_bad;          /* the record keeps a go.mod that is not its h1_mod's */
	struct verinfo rec;
	unsigned files;             /* F_* present in @v */
};

struct modent {                 /* one module's version lists */
	char *module;
	char *lrec;                 /* the index's list record, NUL-terminated */
	int has_lrec, has_lfile;
};

struct upload {                 /* who uploaded a version, from audit.log */
	char *key;                  /* MODULE@VERSION */
	char *user;
	size_t seq;
};

struct fsck_ctx {
	const struct store *st;
	const struct fsck_opts *o;
	struct fsck_counts *c;
	char *err;
	size_t errsz;
	int failed;                 /* a system failure: err says which */
	/* the owner being checked */
	const char *owner;
	char ownerdir[1200];
	struct tdb_context *db;     /* in a transaction; NULL if no index */
	struct sumlog *log;         /* the owner's checksum database; NULL if none */
	struct item *items;
	size_t nitems, capitems;
	struct modent *mods;
	size_t nmods, capmods;
	char **badkeys;
	size_t nbadkeys;
	struct upload *ups;
	size_t nups;
	int ups_loaded;
};

/* path below the store root, for the report */
const char *fsck_rel(const struct fsck_ctx *x, const char *abs);
/* a system failure: the reason into x->err; returns -1 */
int fsck_fail(struct fsck_ctx *x, const char *f, ...) __attribute__((format(printf, 2, 3)));
/* One inconsistency, one line: "PATH: what was found[: what repair did]".
 * rc is the repair's outcome: 1 not attempted (checking only), 0 done,
 * -1 failed with errno. */
void fsck_found(struct fsck_ctx *x, int rc, const char *done, const char *f, ...)
	__attribute__((format(printf, 4, 5)));
int fsck_exists(const char *p);
int fsck_remove_synced(const char *p);                   /* unlink + sync dir */
int fsck_lost_found(struct fsck_ctx *x, const char *abs);    /* move under ROOT/lost+found */
/* The mode of abs (sb: its lstat) against rule, one of the STORE_MODE_s:
 * a group or world bit the rule does not have is a finding, and repair
 * takes it away (through a descriptor of the same file, never through a
 * symbolic link; the setgid bit of a directory stays).  A symbolic link
 * has no mode to judge. */
void fsck_mode(struct fsck_ctx *x, const char *abs, const struct stat *sb, mode_t rule);
/* Read x->db (if any) and x->ownerdir into x->items and x->mods, sorted
 * by module and version, one entry each: 0, or -1 (x->err says why). */
int fsck_scan(struct fsck_ctx *x);
/* The uploader of module@version by audit.log's last upload line, or "". */
const char *fsck_uploader(struct fsck_ctx *x, const char *module, const char *version);
void fsck_owner_free(struct fsck_ctx *x);

#endif
