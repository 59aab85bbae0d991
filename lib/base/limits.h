/* Every limit goreg enforces, in one place.  Sources are cited where a
 * limit is a protocol fact rather than our choice. */
#ifndef GOREG_LIMITS_H
#define GOREG_LIMITS_H

/* Module zip limits: golang.org/x/mod/zip MaxZipFile, MaxGoMod, MaxLICENSE. */
#define MODZIP_MAX_ZIP      (500LL << 20)   /* compressed size of a module zip */
#define MODZIP_MAX_UNZIPPED (500LL << 20)   /* total uncompressed size */
#define MODZIP_MAX_GOMOD    (16LL << 20)    /* go.mod */
#define MODZIP_MAX_LICENSE  (16LL << 20)    /* LICENSE */
#define MODZIP_MAX_FILES    100000          /* entries in one zip (our bound) */
/* Our bound on a zip's central directory, read into memory whole: room for
 * MODZIP_MAX_FILES entries with names and extra fields of ~600 bytes. */
#define MODZIP_MAX_CDIR     (64LL << 20)

/* Module paths and versions (our bounds; far above any real module). */
#define MODPATH_MAX   1024  /* unescaped module path, bytes */
#define VERSION_MAX   256   /* version string, bytes */
#define ESCAPED_MAX   (2 * MODPATH_MAX) /* '!'-escaping at most doubles a path */
#define OWNER_MAX     64    /* owner (namespace) name */

/* HTTP (tipidee/quark style: fixed caller buffers). */
#define HTTP_LINE_MAX     8192   /* request line -> 414 */
#define MOUNT_MAX         256    /* goreg.cgi's SCRIPT_NAME kept for the pages' links */
#define HTTP_HEADERS_MAX  16384  /* all header bytes -> 431 */
#define HTTP_NHEADERS_MAX 64     /* header fields -> 431 */
#define HTTP_IDLE_SECS    30     /* keep-alive idle timeout */
#define HTTP_READ_SECS    60     /* deadline for a request's head or a body chunk */
#define HTTP_WRITE_SECS   60     /* a write that makes no progress -> close */
#define HTTP_REPLY_HEAD_MAX 2048 /* a reply's head: its fields are bounded (reply.h) */
#define HTTP_LINGER_SECS  2      /* reading and dropping input after our last reply */
#define HTTP_DRAIN_MAX    (1 << 20) /* unread body bytes worth reading to keep a connection */
#define HTTP_CHUNK_LINE_MAX 1024 /* chunk-size line with extensions */
/* A request body arrives at this average rate at least, once the grace
 * period is over: by then a body must have sent HTTP_BODY_MIN_RATE bytes
 * for each second past HTTP_BODY_GRACE_SECS, else 408 (GOREG_BODY_MIN_RATE,
 * 0 for none, and GOREG_BODY_GRACE override them).  A per-read deadline
 * alone lets a client hold a process for ever with a byte a minute.  A
 * 500 MB upload at the minimum rate takes six days: it only sets a floor. */
#define HTTP_BODY_MIN_RATE   1024   /* bytes per second */
#define HTTP_BODY_GRACE_SECS 20
#define HTTP_BODY_RATE_MAX   (1 << 30) /* GOREG_BODY_MIN_RATE's ceiling */

/* dirhash: "h1:" + base64(32 bytes) = 3 + 44 */
#define H1_LEN 47

/* Timeouts an operator sets (GOREG_*_TIMEOUT): whole seconds, at most a day. */
#define DAY_SECS          86400
#define HTTP_TIMEOUT_MAX  DAY_SECS

/* What goreg-httpd and goreg.cgi allow themselves (setrlimit, prog.c),
 * from what the largest uploads took on x86-64 (2026-12): a 400 MB zip of
 * incompressible data 5 s of CPU time and a 3 MB peak; a zip at the
 * central directory's cap (100 000 entries, 62 MB of it) 11 s and a peak
 * of 275 MB of address space.  The CPU budget is set again at each
 * request, after its head: a request with a body gets PROG_CPU_BODY_SECS,
 * one without PROG_CPU_SECS, and goreg-httpd's connection ends (after its
 * reply) once its requests have used PROG_CPU_CONN_SECS in all. */
#define PROG_CPU_SECS       10
#define PROG_CPU_BODY_SECS  120
#define PROG_CPU_CONN_SECS  3600
/* SIGXCPU at the soft limit (a 500 and exit 111); SIGKILL this much later */
#define PROG_CPU_GRACE_SECS 5
/* the largest file they write is an upload's spool file; the audit log and
 * index.tdb files grow past it only with millions of changes (rotate
 * audit.log before it reaches this size) */
#define PROG_FSIZE_MAX      (2 * MODZIP_MAX_ZIP)
/* nearly twice the peak measured at the central directory cap */
#define PROG_AS_MAX         (8 * MODZIP_MAX_CDIR)

/* Messages: one line of reason, with a module path and a version quoted
 * in it (cut, never overflowing, past that). */
#define MSG_MAX           600
/* A program's error line on stderr: its name, what failed, and a message. */
#define ERR_LINE_MAX      (2 * MSG_MAX)

/* Paths in the store.  The root leaves STORE_NAME_ROOM of its buffer for
 * what goes below it, so ROOT/ and a file name of ours (goreg.tdb,
 * audit.log, tmp/u.XXXXXX) fit ROOT_PATH_MAX, and ROOT/OWNER/ and one of
 * ours (index.tdb) fit OWNER_PATH_MAX.  A version's file, ROOT/OWNER/
 * ESCAPED-MODULE/@v/ESCAPED-VERSION.ext, fits FILE_PATH_MAX; a name found
 * on disk below it (goreg-fsck: anybody's, up to NAME_MAX) fits
 * SCAN_PATH_MAX, with room for ROOT/lost+found/ in front. */
#define STORE_ROOT_MAX    1024
#define STORE_NAME_ROOM   256
#define ROOT_PATH_MAX     (STORE_ROOT_MAX + 76)
#define OWNER_PATH_MAX    (ROOT_PATH_MAX + OWNER_MAX + 36)
/* ROOT/OWNER/index.tdb, built from an owner directory of OWNER_PATH_MAX */
#define INDEX_PATH_MAX    (OWNER_PATH_MAX + sizeof "/index.tdb")
#define FILE_PATH_MAX     4096
#define SCAN_PATH_MAX     (FILE_PATH_MAX + 604)
_Static_assert(OWNER_PATH_MAX + ESCAPED_MAX + 4 + 2 * VERSION_MAX + 8 <= FILE_PATH_MAX,
               "a version's file path fits FILE_PATH_MAX");
_Static_assert(OWNER_PATH_MAX + ESCAPED_MAX + 4 + 255 + sizeof "/lost+found" <= SCAN_PATH_MAX,
               "lost+found paths fit SCAN_PATH_MAX");

/* Small files read whole.  A .info goreg writes, {"Version":..,"Time":..},
 * fits STORE_INFO_MAX.  One from elsewhere (goreg-import) may carry an
 * "Origin" object of a few hundred bytes from newer go commands: INFO_MAX
 * leaves room to spare.  A GOMODCACHE ziphash is one h1: line. */
#define STORE_INFO_MAX    (VERSION_MAX + 64)
#define INFO_MAX          (1 << 20)
#define ZIPHASH_MAX       4096
/* A module's version list file, read whole by goreg-fsck. */
#define LIST_FILE_MAX     (16 << 20)

/* goreg-httpd's records kept per connection (store_fetch): how many, and
 * the largest value kept (a version list of 10 000 versions is ~100 KB) */
#define STORE_CACHE_RECS    16
#define STORE_CACHE_VAL_MAX (1 << 20)

/* Reads and writes of bulk data (bodies, zips, copies). */
#define IO_CHUNK          65536
#define SMALL_FILE_MAX    16384 /* a file body sent with its head in one write */
/* A version's record keeps a copy of its go.mod up to this size (most are
 * a few hundred bytes), so that a .mod is served without opening a file;
 * a larger one is served from its file. */
#define STORE_GOMOD_KEPT_MAX SMALL_FILE_MAX
/* bytes of a request body one copy_file_range(2) moves into the spool file */
#define SPOOL_COPY        (8 << 20)

/* A URL path is split into at most this many segments: far more than a
 * base and a module path of MODPATH_MAX bytes in elements of 4 bytes. */
#define ROUTE_SEGS_MAX    256

/* An owner's upstream settings (goreg-admin upstream): a GOPROXY list or
 * a GOPRIVATE pattern list, one URL, a checksum database's verifier key
 * (its name, 8 hex digits and 44 base64 characters). */
#define UPSTREAM_LIST_MAX 2048
#define UPSTREAM_URL_MAX  1024
#define SUMDB_KEY_MAX     256
/* A path below {base}/sumdb/{name}/: lookup/MODULE@VERSION, escaped, is the
 * longest (go.dev/ref/mod#checksum-database). */
#define SUMDB_PATH_MAX    (8 + ESCAPED_MAX + 1 + 2 * VERSION_MAX)
/* A checksum database's answer: a lookup, a signed tree head, a tile of
 * 2^8 hashes of 32 bytes (golang.org/x/mod/sumdb/tlog) or of records. */
#define SUMDB_BODY_MAX    (1 << 20)
/* A cached "latest" (the signed tree head) is asked again after this. */
#define SUMDB_LATEST_TTL  60

/* A front end gives goreg-fetch this long for its transfers on a miss
 * (GOREG_FETCH_TIMEOUT overrides), and kills it only this much later:
 * goreg-fetch then ends on its own, its spool file removed. */
#define MISS_FETCH_SECS   120
#define MISS_FETCH_GRACE  10
/* An upstream's @v/list is asked again after this many seconds
 * (GOREG_UPSTREAM_TTL overrides); meanwhile the cached one is merged. */
#define UPSTREAM_LIST_TTL 60

/* The pages (lib/web): a module page shows its README up to this size,
 * and the front page this many of the latest uploads. */
#define PAGE_README_MAX   (256 * 1024)
#define PAGE_LATEST_MAX   20

/* A line of goreg-httpd's access and error log (to stderr). */
#define LOG_LINE_MAX      40000

#endif
