/* Tiled transparency logs, as golang.org/x/mod/sumdb/tlog defines them
 * for the Go checksum database (go.dev/ref/mod#checksum-database).
 *
 * Hashes are RFC 6962's: a record's is SHA-256(0x00 || record), a node's
 * SHA-256(0x01 || left || right).  The hash at (level L, index i) is that
 * of the complete subtree over records [i * 2^L, (i+1) * 2^L); a tree of N
 * records hashes as RFC 6962 section 2.1 (its largest complete subtree on
 * the left).  A tile of height H at tile level TL, number TN and width W
 * holds W hashes of level TL*H, indices TN*2^H to TN*2^H+W-1, 32 bytes
 * each; a data tile (TL = -1) the records themselves. */
#ifndef GOREG_TLOG_H
#define GOREG_TLOG_H
#include <stddef.h>
#include <stdint.h>

#define TLOG_HASH 32
/* The tile height the go command uses (sumdb/client.go, tileHeight). */
#define TLOG_TILE_H 8
/* A record: go.sum's two lines for a module version, with room to spare. */
#define TLOG_RECORD_MAX 4096

void tlog_record_hash(const void *rec, size_t n, unsigned char out[TLOG_HASH]);
void tlog_node_hash(const unsigned char l[TLOG_HASH], const unsigned char r[TLOG_HASH],
                    unsigned char out[TLOG_HASH]);

/* Where hashes come from and go: 0, or -1 with errno. */
typedef int tlog_get_fn(void *ctx, int level, int64_t index, unsigned char out[TLOG_HASH]);
typedef int tlog_put_fn(void *ctx, int level, int64_t index, const unsigned char h[TLOG_HASH]);

/* Store the hashes record n (0-based, the tree has n records) adds: its
 * own at level 0 and each complete subtree it completes.  0, or -1. */
int tlog_append(tlog_get_fn *get, tlog_put_fn *put, void *ctx, int64_t n,
                const unsigned char rec[TLOG_HASH]);
/* The hash of the tree of n records (n > 0).  With 0 <= i < n, record
 * i's hash is taken as rec instead of read: the result equals the signed
 * tree hash only if rec is in the tree at i (an inclusion proof whose
 * sibling hashes get reads).  0, or -1. */
int tlog_tree_hash(tlog_get_fn *get, void *ctx, int64_t n, int64_t i, const unsigned char *rec,
                   unsigned char out[TLOG_HASH]);

struct tlog_tile {
	int h;                  /* height, 1..30 */
	int l;                  /* tile level; -1 for record data */
	int64_t n;              /* number within the level */
	int w;                  /* width, 1..2^h (2^h: a full tile) */
};
/* "tile/H/L/NNN[.p/W]" with N in groups "x123/x456/789" (tlog.Tile.Path;
 * a path that Path would not give back is refused).  0, or -1. */
int tlog_tile_parse(const char *path, struct tlog_tile *t);
/* Its path, into out (at least 64 bytes). */
void tlog_tile_path(const struct tlog_tile *t, char *out, size_t outsz);
/* The tile a tree of n records needs for the hash at (level, index), at
 * the width the tree gives it (the go command asks exactly for that). */
void tlog_tile_for(int h, int64_t n, int level, int64_t index, struct tlog_tile *t);
/* That hash, from the tile's data (t->w * 32 bytes).  0, or -1 if the
 * tile does not hold it. */
int tlog_tile_hash(const struct tlog_tile *t, const unsigned char *data, int level, int64_t index,
                   unsigned char out[TLOG_HASH]);

/* tlog.FormatRecord's rule for record text: UTF-8, no control character
 * but '\n', no blank line, a final '\n'. */
int tlog_record_ok(const char *text, size_t n);

struct buf;
/* "go.sum database tree\nN\nBASE64\n" (tlog.FormatTree) into out. */
int tlog_tree_format(int64_t n, const unsigned char hash[TLOG_HASH], struct buf *out);
/* tlog.ParseTree: 0, or -1 if malformed. */
int tlog_tree_parse(const char *text, size_t len, int64_t *n, unsigned char hash[TLOG_HASH]);

#endif
