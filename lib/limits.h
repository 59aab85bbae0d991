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

/* Module paths and versions (our bounds; far above any real module). */
#define MODPATH_MAX   1024  /* unescaped module path, bytes */
#define VERSION_MAX   256   /* version string, bytes */
#define ESCAPED_MAX   (2 * MODPATH_MAX) /* '!'-escaping at most doubles a path */
#define OWNER_MAX     64    /* owner (namespace) name */

/* HTTP (tipidee/quark style: fixed caller buffers). */
#define HTTP_LINE_MAX     8192   /* request line -> 414 */
#define HTTP_HEADERS_MAX  16384  /* all header bytes -> 431 */
#define HTTP_NHEADERS_MAX 64     /* header fields -> 431 */
#define HTTP_IDLE_SECS    30     /* keep-alive idle timeout */
#define HTTP_READ_SECS    60     /* deadline for a request's head or a body chunk */
#define HTTP_WRITE_SECS   60     /* a write that makes no progress -> close */
#define HTTP_LINGER_SECS  2      /* reading and dropping input after our last reply */
#define HTTP_DRAIN_MAX    (1 << 20) /* unread body bytes worth reading to keep a connection */
#define HTTP_CHUNK_LINE_MAX 1024 /* chunk-size line with extensions */

/* dirhash: "h1:" + base64(32 bytes) = 3 + 44 */
#define H1_LEN 47

#endif
