#include "app/ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "base/limits.h"
#include "base/prog.h"
#include "gomod/modzip.h"
#include "http/field.h"
#include "app/route.h"
#include "app/fetch.h"
#include "app/miss.h"
#include "app/sumdb.h"
#include "upstream/upstream.h"
#include "gomod/semver.h"
#include "store/refusal.h"
#include "store/store.h"
#include "base/util.h"
#include "base/utf8.h"

/* RFC 9111: the versioned files never change once published */
#define CACHE_IMMUTABLE_PUBLIC "public, max-age=31536000, immutable"
#define CACHE_IMMUTABLE_PRIVATE "private, max-age=31536000, immutable"
#define CACHE_SHORT_PUBLIC "public, max-age=60"
#define CACHE_SHORT_PRIVATE "private, max-age=60"

int ops_exit_code(int status)
{
	if (status < 400)
		return 0;
	return status < 500 ? 1 : 111;
}

void ops_hide_500(struct reply *r, char *why, size_t whysz)
{
	why[0] = 0;
	if (r->status != 500 || !r->mem || !r->mem_len)
		return;
	fmt(why, whysz, "%.*s", (int)(r->mem_len - 1), r->mem);
	reply_error(r, 500, "internal server error (the server's log says what failed)");
}

/* The module's versions in semver order, or -1 with the reply filled. */
static void upstream_miss(const struct store *st, const struct op_def *def, const struct op_args *a,
                          struct reply *r);

/* The upstream's versions of the module, for a front end whose owner may
 * ask for it: the cached list while it is fresh, else refreshed by
 * goreg-fetch -l; when that fails, the stale one, and *stale set.  0 with
 * the versions (store_list_free), or -1 with none. */
static int upstream_versions(const struct store *st, const struct op_args *a, char ***u, size_t *un,
                             int *stale)
{
	struct upstream up;
	char err[MSG_MAX];
	int64_t when = 0;
	if (fetch_eligible(st, a->owner, a->module, &up, err, sizeof err) != 200)
		return -1;
	int code = store_ulist_get(st, a->owner, a->module, &when, u, un, err, sizeof err);
	int ttl = field_env_secs("GOREG_UPSTREAM_TTL", UPSTREAM_LIST_TTL);
	if (code == 200 && a->now >= when && a->now - when < ttl)
		return 0;
	int rc = miss_list(st, a->owner, a->module);
	if (rc == 0 || rc == 1) {
		/* refreshed, or the upstream has no such module (any more) */
		if (code == 200)
			store_list_free(*u, *un);
		if (rc == 1)
			return -1;
		return store_ulist_get(st, a->owner, a->module, &when, u, un, err, sizeof err) == 200 ? 0 : -1;
	}
	*stale = 1;
	return code == 200 ? 0 : -1;
}

/* v[0, n) and u[0, un), each in semver order, into v: merged, no repeats. */
static int merge_versions(char ***v, size_t *n, char **u, size_t un)
{
	char **m = malloc((*n + un + 1) * sizeof *m);
	if (!m)
		return -1;
	size_t i = 0, j = 0, k = 0;
	while (i < *n || j < un) {
		int c = i == *n ? 1 : j == un ? -1 : semver_compare((*v)[i], u[j]);
		if (c <= 0)
			m[k++] = (*v)[i++];
		if (c >= 0) {
			if (c == 0)
				free(u[j++]);
			else
				m[k++] = u[j++];
		}
	}
	free(*v);
	free(u);
	*v = m;
	*n = k;
	return 0;
}

/* The module's versions in semver order, with a front end's upstream's;
 * or -1 with the reply filled. */
static int versions(const struct store *st, const struct op_args *a, char ***v, size_t *n,
                    struct reply *r)
{
	char err[MSG_MAX];
	int code = store_versions(st, a->owner, a->module, v, n, err, sizeof err);
	if (code == 500)
		return reply_error(r, code, "%s", err), -1;
	char **u;
	size_t un;
	int stale = 0;
	if (a->upstream && upstream_versions(st, a, &u, &un, &stale) == 0 && merge_versions(v, n, u, un) < 0) {
		store_list_free(*v, *n);
		store_list_free(u, un);
		return reply_error(r, 500, "out of memory"), -1;
	}
	if (*n == 0) {
		store_list_free(*v, 0);
		return reply_error(r, 404, "%s", err), -1;
	}
	r->upstream_stale = stale;
	return 0;
}

/* The module's list record ("VERSION\n" lines in semver order, the last
 * one ended too), when no upstream's list merges in (the owner has no
 * upstream, or the module is private); else 0 and the caller takes
 * versions().  2 with a record the caller frees, 1 with one kept
 * (store_fetch_ref), -1 with the reply filled. */
static int raw_versions(const struct store *st, const struct op_args *a, char **data, size_t *len,
                        struct reply *r)
{
	char err[MSG_MAX];
	struct upstream up;
	/* most stores have no upstream: asked first, so that no reason for
	 * fetch_eligible's 404 is made per request and thrown away */
	if (a->upstream && !upstream_none(st) && fetch_eligible(st, a->owner, a->module, &up, err, sizeof err) == 200)
		return 0;
	const char *rec;
	int owned;
	int code = store_versions_raw(st, a->owner, a->module, &rec, len, &owned, err, sizeof err);
	if (code != 200)
		return reply_error(r, code, "%s", err), -1;
	*data = (char *)rec;
	if (rec[*len - 1] != '\n') {
		char *d = owned ? realloc((char *)rec, *len + 1) : malloc(*len + 1);
		if (!d) {
			if (owned)
				free((char *)rec);
			return reply_error(r, 500, "out of memory"), -1;
		}
		if (!owned)
			memcpy(d, rec, *len);
		d[(*len)++] = '\n';
		*data = d;
		owned = 1;
	}
	return owned ? 2 : 1;
}

/* Is the record's line p[0, l) a pseudo-version?  A line longer than any
 * version is none either. */
static int line_is_pseudo(const char *p, size_t l)
{
	char line[VERSION_MAX + 1];
	if (l >= sizeof line)
		return 0;
	copy_cut(line, sizeof line, p, l);
	return semver_classify(line) == SEMVER_PSEUDO;
}

/* The list's body from the record data[0, len) (lines each ended), which
 * is the caller's to free if owned, else kept until the reply is written
 * (raw_versions): the record less its pseudo-versions.  Only a line with
 * a '-' can be one (go.dev/ref/mod#pseudo-versions).  A record with none,
 * most of them, is the body itself, not copied (a list of thousands of
 * versions spends most of its time in a copy); else the runs between
 * them are copied into a buffer kept for the next request, which saves a
 * large one's page faults. */
static void list_raw(char *data, size_t len, int owned, struct reply *r)
{
	static char *o;
	static size_t cap;
	size_t out = 0, run = 0, at = 0;
	int cut = 0;
	const char *dash;
	while (at < len && (dash = find_byte(data + at, '-', len - at))) {
		const char *nl = memrchr(data + at, '\n', (size_t)(dash - (data + at)));
		size_t ls = nl ? (size_t)(nl + 1 - data) : at;
		size_t le = (size_t)(find_byte(dash, '\n', len - (size_t)(dash - data)) - data) + 1;
		if (line_is_pseudo(data + ls, le - 1 - ls)) {
			if (!cut) {
				if (len > cap) {
					char *p = realloc(o, len);
					if (!p) {
						if (owned)
							free(data);
						reply_error(r, 500, "out of memory");
						return;
					}
					o = p;
					cap = len;
				}
				cut = 1;
			}
			memcpy(o + out, data + run, ls - run);
			out += ls - run;
			run = le;
		}
		at = le;
	}
	if (!cut) {
		if (owned)
			reply_take(r, 200, "text/plain; charset=utf-8", data, len);
		else
			reply_keep(r, 200, "text/plain; charset=utf-8", data, len);
		return;
	}
	memcpy(o + out, data + run, len - run);
	out += len - run;
	if (owned)
		free(data);
	reply_keep(r, 200, "text/plain; charset=utf-8", o, out);
}

void ops_list(const struct store *st, const struct op_args *a, struct reply *r)
{
	char **v, *data;
	size_t n, len;
	int raw = raw_versions(st, a, &data, &len, r);
	if (raw < 0)
		return;
	if (raw) {
		list_raw(data, len, raw == 2, r);
		return;
	}
	if (versions(st, a, &v, &n, r) < 0)
		return;
	/* releases and pre-releases, no pseudo-versions, in semver order
	 * (go.dev/ref/mod#goproxy-protocol: "$base/$module/@v/list"), as the
	 * file tree's @v/list has them */
	struct buf b = {0};
	int fail = store_list_format(v, n, &b) < 0;
	store_list_free(v, n);
	if (fail) {
		buf_free(&b);
		reply_error(r, 500, "out of memory");
		return;
	}
	reply_take(r, 200, "text/plain; charset=utf-8", b.p, b.len);
}

/* Strong validators from the content: the zip's SHA-256, the go.mod's
 * h1: hash, the .info's upload time; immutable, as versions are. */
/* ETag: "DIGEST", put together in place (no fmt per request); a
 * digest of the record, at most n bytes, always fits */
static void etag_quoted(struct reply *r, const char *digest, size_t n)
{
	_Static_assert(sizeof r->etag >= sizeof((struct verinfo *)0)->zip_sha256 + 2 &&
	               sizeof r->etag >= sizeof((struct verinfo *)0)->h1_mod + 2, "a quoted digest fits");
	n = strnlen(digest, n);
	r->etag[0] = '"';
	memcpy(r->etag + 1, digest, n);
	r->etag[n + 1] = '"';
	r->etag[n + 2] = 0;
}

static void set_validators(struct reply *r, const char *ext, const struct verinfo *vi)
{
	r->last_modified = vi->time;
	if (strcmp(ext, "zip") == 0)
		etag_quoted(r, vi->zip_sha256, sizeof vi->zip_sha256 - 1);
	else if (strcmp(ext, "mod") == 0)
		etag_quoted(r, vi->h1_mod, sizeof vi->h1_mod - 1);
	else {
		/* "iTIME-HASH16", quoted, put together in place: the time's
		 * 24 bytes of room and the hash's first 16 digits fit */
		_Static_assert(sizeof r->etag >= 2 + 24 + 1 + 16 + 2, "the .info's ETag fits");
		char *e = r->etag;
		*e++ = '"';
		*e++ = 'i';
		e += fmt_num(e, (long long)vi->time);
		*e++ = '-';
		size_t k = strnlen(vi->zip_sha256, 16);
		memcpy(e, vi->zip_sha256, k);
		e += k;
		*e++ = '"';
		*e = 0;
	}
	r->cache_control = CACHE_IMMUTABLE_PUBLIC;
}

/* Serve one of a version's files. */
static void serve_file(const struct store *st, const char *owner, const char *module,
                       const char *version, const char *ext, const char *ctype, struct reply *r)
{
	char err[MSG_MAX], path[FILE_PATH_MAX];
	struct verinfo vi;
	/* a small file is read whole into small (below); a go.mod the
	 * record keeps is copied there from the record, and no file is
	 * opened: the body and its validators are one record's, as a
	 * .info's are */
	static char small[SMALL_FILE_MAX + 1];
	int mod = strcmp(ext, "mod") == 0;
	long kept = -1;
	int code = store_get_mod(st, owner, module, version, &vi, mod ? small : NULL, sizeof small, &kept, err,
	                         sizeof err);
	if (code != 200) {
		reply_error(r, code, "%s", err);
		return;
	}
	if (kept >= 0) {
		reply_file(r, ctype, -1, small, kept);
		set_validators(r, ext, &vi);
		return;
	}
	if (strcmp(ext, "info") == 0) {
		/* the .info bytes come from the record (publish wrote the file
		 * with the same function): the body and its validators are one
		 * record's, even when a delete and a new upload of the version
		 * run between store_get and here */
		/* kept where it is made, not copied into a malloc'd body: a
		 * reply is written before the next one is made */
		static char info[STORE_INFO_MAX];
		int il = store_info_format(version, vi.time, info, sizeof info);
		if (il < 0) {
			reply_error(r, 500, "out of memory");
			return;
		}
		reply_keep(r, 200, ctype, info, (size_t)il);
		set_validators(r, ext, &vi);
		return;
	}
	if (store_file_path(st, owner, module, version, ext, path, sizeof path) < 0) {
		reply_error(r, 404, "%s@%s: not found", module, version);
		return;
	}
	/* openat: musl's open() follows O_CLOEXEC with an fcntl(F_SETFD) for
	 * kernels before 2.6.23, a system call per file served */
	int fd = openat(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	/* A delete and a new upload of the version between store_get and
	 * open would pair the new file with the old record's validators:
	 * a file whose size is not the record's is not this record's file.
	 * A small file is read whole here, one byte more than the record
	 * says, which tells its size without an fstat; it then leaves with
	 * its head in one write. */
	uint64_t want = mod ? vi.mod_size : vi.zip_size;
	struct stat sb;
	ssize_t got = -1;
	if (fd >= 0 && want < sizeof small) {
		got = pread(fd, small, (size_t)want + 1, 0);
		sb.st_size = got;
	} else if (fd >= 0) {
		got = fstat(fd, &sb);
	}
	if (got < 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		/* metadata without the file: a delete is in flight, or the store
		 * needs goreg-fsck; either way this version is not servable */
		if (e == ENOENT)
			reply_error(r, 404, "%s@%s: not found", module, version);
		else
			reply_error(r, 500, "unable to open '%s': %s", path, strerror(e));
		return;
	}
	if ((uint64_t)sb.st_size != want) {
		close(fd);
		reply_error(r, 404, "%s@%s: not found", module, version);
		return;
	}
	reply_file(r, ctype, fd, want < sizeof small ? small : NULL, sb.st_size);
	set_validators(r, ext, &vi);
}

void ops_info(const struct store *st, const struct op_args *a, struct reply *r)
{
	serve_file(st, a->owner, a->module, a->version, "info", "application/json", r);
}

void ops_mod(const struct store *st, const struct op_args *a, struct reply *r)
{
	serve_file(st, a->owner, a->module, a->version, "mod", "text/plain; charset=utf-8", r);
}

void ops_zip(const struct store *st, const struct op_args *a, struct reply *r)
{
	serve_file(st, a->owner, a->module, a->version, "zip", "application/zip", r);
}

void ops_latest(const struct store *st, const struct op_args *a, struct reply *r)
{
	char **v = NULL, *data = NULL;
	size_t n = 0, len = 0;
	int raw = raw_versions(st, a, &data, &len, r);
	if (raw < 0 || (!raw && versions(st, a, &v, &n, r) < 0))
		return;
	/* The version go would pick (go.dev/ref/mod#version-queries, "latest"):
	 * the highest release, else the highest pre-release, else the highest
	 * pseudo-version.  The versions are in semver order, so scan from the
	 * top: the first release found ends it, which with a record of
	 * thousands is mostly the first line looked at. */
	char pick[SEMVER_PSEUDO + 1][VERSION_MAX + 1] = {"", "", ""}, top[VERSION_MAX + 1] = "", line[VERSION_MAX + 1];
	for (size_t i = raw ? len : n, end = i; i-- > 0 && !pick[SEMVER_RELEASE][0];) {
		const char *p = v ? v[i] : line;
		if (!v) {
			/* the record's line data[i, end), found from its end */
			if (data[i] == '\n' || (i > 0 && data[i - 1] != '\n')) {
				end = data[i] == '\n' ? i : end;
				continue;
			}
			copy_cut(line, sizeof line, data + i, end - i);
		}
		enum semver_class c = semver_classify(p);
		if (!pick[c][0])
			copy_cut(pick[c], sizeof pick[c], p, strlen(p));
		if (!top[0])
			copy_cut(top, sizeof top, p, strlen(p));
	}
	const char *ver = pick[SEMVER_RELEASE][0] ? pick[SEMVER_RELEASE]
	                : pick[SEMVER_PRERELEASE][0] ? pick[SEMVER_PRERELEASE]
	                : pick[SEMVER_PSEUDO][0] ? pick[SEMVER_PSEUDO] : top;
	if (raw == 2)
		free(data);
	store_list_free(v, n);
	struct op_args info = *a;
	info.version = ver;
	ops_info(st, &info, r);
	if (r->status == 404 && a->upstream)
		upstream_miss(st, ops_find(OP_INFO), &info, r);
	if (r->status == 200) {
		/* @latest moves: no strong validator, a short freshness */
		r->etag[0] = 0;
		r->last_modified = 0;
		r->cache_control = CACHE_SHORT_PUBLIC;
	}
}

/* The change is made and cannot be taken back: a record that cannot be
 * written is reported where the server logs errors, and the client still
 * learns what happened. */
static void audit_done(struct audit *au, int64_t now, const struct actor *who, const char *action,
                       const char *owner, const char *module, const char *version)
{
	char err[MSG_MAX];
	if (audit_append(au, now, who->user, action, owner, module, version, who->origin, err,
	                 sizeof err) != 200)
		warnx_("%s %s %s@%s done but not audited: %s", action, owner, module, version, err);
}

/* Spool the body into ROOT/tmp.  Returns the open, locked spool file (the
 * caller closes it once the file is published or removed), or -1 with the
 * reply filled.  Its writeback is started once it is whole, to run while
 * the zip is checked; store_publish syncs it. */
static int spool(const struct store *st, const struct body_source *body, long long declared,
                 char *path, size_t pathsz, struct reply *r)
{
	/* locked until the spool file is renamed away or removed, so that a
	 * concurrent goreg-fsck --repair never takes it for a leftover */
	int fd = store_tmp_create(st, "u", path, pathsz);
	if (fd < 0)
		return reply_error(r, errno == ENOSPC ? 503 : 500, "unable to create a spool file in '%s/tmp': %s",
		                   st->root, strerror(errno)), -1;
	static char chunk[IO_CHUNK];
	long long total = 0;
	int copy = body->copy != NULL;
	/* hints, each refusal harmless: the blocks reserved at once (no
	 * delayed allocation page by page), and below the writeback started,
	 * so that the fsync after the check has little left to wait for */
	long long expect = declared > 0 ? declared : body->size;
	if (expect > 0 && expect <= MODZIP_MAX_ZIP)
		fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, expect);
	for (;;) {
		int status = 500;
		/* never much past the limit: at most one byte over */
		long long room = MODZIP_MAX_ZIP + 1 - total;
		ssize_t got = copy ? body->copy(body->ctx, fd, room < SPOOL_COPY ? (size_t)room : SPOOL_COPY, &status)
		                   : -2;
		if (got == -2) {
			copy = 0;
			if ((got = body->read(body->ctx, chunk, sizeof chunk, &status)) > 0 &&
			    write_all(fd, chunk, (size_t)got) < 0)
				goto wfail;
		}
		if (got == 0)
			break;
		if (got < 0 && copy && errno == ENOSPC)
			goto wfail;
		if (got < 0) {
			reply_error(r, status, status == 413 ? "module zip larger than %lld bytes"
			                      : status == 408 ? "request body too slow"
			                      : "unable to read the request body",
			            (long long)MODZIP_MAX_ZIP);
			goto fail;
		}
		total += got;
		if (total > MODZIP_MAX_ZIP) {
			reply_error(r, 413, "module zip larger than %lld bytes", (long long)MODZIP_MAX_ZIP);
			goto fail;
		}
	}
	if (declared >= 0 && total != declared) {
		reply_error(r, 400, "request body is %lld bytes, Content-Length said %lld", total, declared);
		goto fail;
	}
	if (total == 0) {
		reply_error(r, 400, "empty request body: expected a module zip");
		goto fail;
	}
	sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	return fd;
wfail:
	reply_error(r, errno == ENOSPC ? 503 : 500, "unable to write '%s': %s", path, strerror(errno));
fail:
	close(fd);
	unlink(path);
	return -1;
}

/* store_publish's question: does the owner still have its account? */
static int owner_known(const struct store *st, const char *owner)
{
	struct owner_info oi;
	char err[MSG_MAX];
	return auth_owner_get(st, owner, &oi, err, sizeof err) == 200;
}

void ops_upload(const struct store *st, const struct op_args *a, struct reply *r)
{
	char path[OWNER_PATH_MAX], err[MSG_MAX];
	struct verinfo vi;
	memset(&vi, 0, sizeof vi);
	/* an owner with an account when the upload began must still have it
	 * when the version lands (a tool may also publish into an owner that
	 * has none yet: goreg-import, goreg-upload on a new store) */
	int known = owner_known(st, a->owner);
	if (a->source)
		snprintf(vi.source, sizeof vi.source, "%s", a->source);
	if (a->declared_len > MODZIP_MAX_ZIP) {
		reply_error(r, 413, "module zip larger than %lld bytes", (long long)MODZIP_MAX_ZIP);
		return;
	}
	int sfd = spool(st, a->body, a->declared_len, path, sizeof path, r);
	if (sfd < 0)
		return;
	/* the zip's SHA-256 (its ETag) is read with the entries, which is
	 * faster than hashing it as it comes (sha256_update2) */
	struct modzip_want want = {NULL, NULL, 0, 1};
	if (a->want) {
		want = *a->want;
		want.file_sha256 = 1;
	}
	struct modzip_info mi;
	int v = modzip_check_as(path, &want, &mi, err, sizeof err);
	if (v == 0)
		hex_encode(mi.file_sha256, 32, vi.zip_sha256);
	const char *why = v == 0 ? store_check_module(mi.module) : NULL;
	if (why) {
		fmt(err, sizeof err, "%.400s: %s", mi.module, why);
		modzip_info_free(&mi);
		v = 1;
	}
	if (v != 0) {
		unlink(path);
		close(sfd);
		reply_error(r, v > 0 ? 400 : 500, "%s", err);
		return;
	}
	/* No unaudited changes: the log is opened before the store changes.
	 * Not earlier: a refused upload must leave the store as it was, and
	 * opening may create the log. */
	struct audit au;
	if (audit_open(st, &au, err, sizeof err) != 200) {
		unlink(path);
		close(sfd);
		modzip_info_free(&mi);
		reply_error(r, 500, "%s", err);
		return;
	}
	int code = store_publish(st, a->owner, path, &mi, a->who->user, a->published, known ? owner_known : NULL,
	                         &vi, err, sizeof err);
	if (code == 201) {
		char msg[MODPATH_MAX + VERSION_MAX + 64];
		snprintf(msg, sizeof msg, "created %s@%s\n", mi.module, mi.version);
		reply_bytes(r, 201, "text/plain; charset=utf-8", msg, strlen(msg));
		audit_done(&au, a->now, a->who, "upload", a->owner, mi.module, mi.version);
	} else {
		audit_close(&au);
		/* the spool file was not consumed: ours to remove */
		unlink(path);
		reply_error(r, code, "%s", err);
	}
	/* the lock goes only now: published (renamed away) or removed */
	close(sfd);
	modzip_info_free(&mi);
}

void ops_delete(const struct store *st, const struct op_args *a, struct reply *r)
{
	char err[MSG_MAX];
	struct audit au;
	/* an absent version is refused before the audit log is opened (which
	 * may create it): a refusal leaves the store as it was.  A version a
	 * crashed delete left half-removed is present: deleting it again
	 * finishes the job. */
	int code = store_present(st, a->owner, a->module, a->version, err, sizeof err);
	if (code != 200) {
		reply_error(r, code, "%s", err);
		return;
	}
	if (audit_open(st, &au, err, sizeof err) != 200) {
		reply_error(r, 500, "%s", err);
		return;
	}
	code = store_delete(st, a->owner, a->module, a->version, err, sizeof err);
	if (code == 204) {
		reply_bytes(r, 204, NULL, "", 0);
		audit_done(&au, a->now, a->who, "delete", a->owner, a->module, a->version);
		return;
	}
	audit_close(&au);
	reply_error(r, code, "%s", err);
}

/* Is p one of the checksum database's paths (go.dev/ref/mod#checksum-database)? */
static int sumdb_path_ok(const char *p)
{
	return strcmp(p, "latest") == 0 || strncmp(p, "lookup/", 7) == 0 || strncmp(p, "tile/", 5) == 0;
}

/* The owner's own checksum database (sumdb.c) if that is the name; else
 * the proxied one: "supported" when the owner has one of
 * that name, the rest from the cache, fetched by goreg-fetch -s on a miss
 * (and "latest" again once older than SUMDB_LATEST_TTL).  A latest the
 * upstream cannot refresh is served stale, saying so. */
void ops_sumdb(const struct store *st, const struct op_args *a, struct reply *r)
{
	char err[MSG_MAX], path[FILE_PATH_MAX];
	const char *p = a->sumdb_path;
	int supported = strcmp(p, "supported") == 0;
	struct upstream u;
	if (sumdb_serve(st, a, r))
		return;
	if (fetch_sumdb_cache(st, a->owner, a->sumdb_name, p, &u, path, sizeof path, err, sizeof err) < 0) {
		reply_error(r, 404, "%s", err);
		return;
	}
	if (!supported && !sumdb_path_ok(p)) {
		reply_error(r, 404, "not found");
		return;
	}
	if (supported) {
		reply_bytes(r, 200, "text/plain; charset=utf-8", "", 0);
		return;
	}
	int latest = strcmp(p, "latest") == 0;
	struct stat sb;
	int have = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	int fresh = have && (!latest || (a->now >= sb.st_mtime && a->now - sb.st_mtime < SUMDB_LATEST_TTL));
	if (!fresh && a->upstream) {
		int rc = miss_sumdb(st, a->owner, a->sumdb_name, p);
		if (rc == 1 && !have) {
			reply_error(r, 404, "%s: not found", p);
			return;
		}
		r->upstream_stale = rc != 0;
		have = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	}
	int fd = have ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW) : -1;
	if (fd < 0 || fstat(fd, &sb) < 0) {
		if (fd >= 0)
			close(fd);
		reply_error(r, a->upstream ? 502 : 404, "%s: the checksum database could not be reached", p);
		return;
	}
	reply_file(r, strncmp(p, "tile/", 5) == 0 ? "application/octet-stream" : "text/plain; charset=utf-8", fd,
	           NULL, sb.st_size);
	/* tiles and lookups never change (x/mod/sumdb/server.go); latest does */
	r->cache_control = latest ? CACHE_SHORT_PUBLIC : CACHE_IMMUTABLE_PUBLIC;
}

struct actor ops_local_actor(const char *user, char *origin, size_t originsz)
{
	audit_local_origin(origin, originsz);
	return (struct actor){user, origin};
}

/* The operations as data: ops_dispatch and the plumbing tools both run
 * an entry of this table.  The router (route.c) finds the op from the URL
 * and checks the method against the entry's methods. */
static const struct op_def table[] = {
	{OP_LIST, "goreg-list", "GET, HEAD", ACCESS_READ, 1, "[-r root] owner [module]", ops_list},
	{OP_INFO, "goreg-info", "GET, HEAD", ACCESS_READ, 2, "[-r root] owner module version", ops_info},
	{OP_MOD, "goreg-mod", "GET, HEAD", ACCESS_READ, 2, "[-r root] owner module version", ops_mod},
	{OP_ZIP, "goreg-zip", "GET, HEAD", ACCESS_READ, 2, "[-r root] owner module version", ops_zip},
	{OP_LATEST, "goreg-latest", "GET, HEAD", ACCESS_READ, 1, "[-r root] owner module", ops_latest},
	{OP_UPLOAD, "goreg-upload", "PUT", ACCESS_WRITE, 1,
	 "[-r root] [-u uploader] [-m module -V version] [-R] owner file.zip|-", ops_upload},
	{OP_DELETE, "goreg-delete", "DELETE", ACCESS_WRITE, 2, "[-r root] owner module version", ops_delete},
	{OP_SUMDB, NULL, "GET, HEAD", ACCESS_READ, 0, NULL, ops_sumdb},
	/* goreg-list with no module */
	{OP_PACKAGES, "goreg-list", "GET, HEAD", ACCESS_READ, 0, "[-r root] owner [module]", ops_packages},
};

int ops_method_allowed(const struct op_def *def, const char *method)
{
	size_t n = strlen(method);
	for (const char *m = def->methods; *m;) {
		size_t l = strcspn(m, ",");
		if (l == n && memcmp(m, method, n) == 0)
			return 1;
		m += l;
		m += strspn(m, ", ");
	}
	return 0;
}

const struct op_def *ops_find(enum op op)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].op == op)
			return &table[i];
	return NULL;
}

/* One parameter of a request's query (RFC 3986 section 3.4), its value
 * percent-decoded: pr is pct_decode's result, val "" unless it is 0. */
struct qparam {
	const char *name;
	size_t nl, l;
	int pr;
	char val[MODPATH_MAX + 1];
};

/* The parameter at *q, which then moves past it; 0 at the query's end. */
static int query_next(const char **q, struct qparam *p)
{
	if (!*q || !**q)
		return 0;
	p->name = *q;
	p->l = strcspn(*q, "&");
	const char *eq = memchr(*q, '=', p->l);
	p->nl = eq ? (size_t)(eq - *q) : p->l;
	const char *v = eq ? eq + 1 : *q + p->l;
	if ((p->pr = pct_decode(v, (size_t)(*q + p->l - v), p->val, sizeof p->val)) != 0)
		p->val[0] = 0;
	*q += p->l;
	*q += **q == '&';
	return 1;
}

static int query_is(const struct qparam *p, const char *name)
{
	return p->nl == strlen(name) && memcmp(p->name, name, p->nl) == 0;
}

/* A parameter a request does not take is refused rather than ignored, so
 * that a misspelt one is not silently without effect: 400 naming it. */
static int query_refuse(const struct qparam *p, const char *takes, char *err, size_t errsz)
{
	char qbuf[2 * QUOTE_MAX];
	if (p->pr == PCT_MALFORMED)
		return ERR(400, "malformed percent-encoding in the query");
	return ERR(400, "unknown or malformed query parameter %s (%s)", utf8_quote(p->name, p->l, qbuf, sizeof qbuf),
	           takes);
}

/* PUT .../upload?module=M&version=V&renamed=1 (each optional, module and
 * version together).  200, or 400. */
static int upload_query(const char *query, struct modzip_want *want, char *qmod, char *qver, char *err,
                        size_t errsz)
{
	struct qparam p;
	while (query_next(&query, &p)) {
		if (query_is(&p, "module") && p.pr == 0) {
			strcpy(qmod, p.val);
			want->module = qmod;
		} else if (query_is(&p, "version") && p.pr == 0 && strlen(p.val) <= VERSION_MAX) {
			strcpy(qver, p.val);
			want->version = qver;
		} else if (query_is(&p, "renamed") && (strcmp(p.val, "1") == 0 || strcmp(p.val, "0") == 0)) {
			want->renamed = p.val[0] == '1';
		} else if (p.l)
			return query_refuse(&p, "upload takes module, version, renamed=1", err, errsz);
	}
	if (!want->module != !want->version)
		return ERR(400, "module and version go together in the query");
	return 200;
}

/* A page or limit: 1 to a million. */
static int query_count(const struct qparam *p, long *out)
{
	char *end;
	long v = strtol(p->val, &end, 10);
	if (p->pr || !p->val[0] || *end || v < 1 || v > 1000000)
		return -1;
	*out = v;
	return 0;
}

/* GET /api/v1/packages/{owner}[?type=go][&q=TEXT][&page=P&limit=N], and
 * goreg-list OWNER: the owner's versions as Gitea's package API lists an
 * owner's packages, a JSON array of objects with the fields of its
 * Package that goreg has (type, name, version, created_at), by module
 * path, then in semver order.  q keeps the modules whose path holds it
 * (ASCII case ignored); a type other than go (or "", every type) lists
 * nothing; limit takes N at most, from the (P-1)*N-th on (P 1 without
 * page), as Gitea pages; without limit, all of them. */
void ops_packages(const struct store *st, const struct op_args *a, struct reply *r)
{
	char err[MSG_MAX], q[sizeof ((struct qparam *)0)->val] = "";
	const char *query = a->query;
	int go = 1, code = 200;
	long page = 1, limit = -1;
	struct qparam p;
	while (code == 200 && query_next(&query, &p)) {
		if (query_is(&p, "type") && p.pr == 0)
			go = strcmp(p.val, "go") == 0 || !p.val[0];
		else if (query_is(&p, "q") && p.pr == 0)
			strcpy(q, p.val);
		else if ((query_is(&p, "page") && query_count(&p, &page) == 0) ||
		         (query_is(&p, "limit") && query_count(&p, &limit) == 0))
			;
		else if (p.l)
			code = query_refuse(&p, "the listing takes type, q, page, limit", err, sizeof err);
	}
	struct store_module *m = NULL;
	size_t n = 0;
	if (code == 200)
		code = store_owner_modules(st, a->owner, &m, &n, err, sizeof err);
	struct buf b = {0};
	int fail = buf_add(&b, "[", 1) < 0;
	const char *sep = "";
	long skip = limit > 0 ? (page - 1) * limit : 0, left = limit;
	for (size_t i = 0; i < n && go && !fail && code == 200 && left != 0; i++)
		for (size_t j = 0; j < m[i].nv && strcasestr(m[i].path, q) && !fail && left != 0; j++) {
			struct verinfo vi;
			char t[32];
			/* a version a delete has begun on is gone already: 404 */
			if ((code = store_get(st, a->owner, m[i].path, m[i].v[j], &vi, err, sizeof err)) == 404) {
				code = 200;
				continue;
			}
			if (code != 200)
				break;
			if (skip > 0) {
				skip--;
				continue;
			}
			time_rfc3339(vi.time, t);
			fail = buf_printf(&b, "%s\n{\"type\":\"go\",\"name\":", sep) < 0 ||
			       buf_json_string(&b, m[i].path) < 0 || buf_add(&b, ",\"version\":", 11) < 0 ||
			       buf_json_string(&b, m[i].v[j]) < 0 ||
			       buf_printf(&b, ",\"created_at\":\"%s\"}", t) < 0;
			sep = ",";
			left -= left > 0;
		}
	store_owner_modules_free(m, n);
	if (code != 200)
		reply_error(r, code, "%s", err);
	else if (fail || buf_add(&b, "]\n", 2) < 0 || reply_bytes(r, 200, "application/json", b.p, b.len) < 0)
		reply_error(r, 500, "out of memory");
	buf_free(&b);
}

/* A version the owner lacks: fetched from its upstream, when it has one
 * and may ask it for this module (fetch_eligible), then served. */
static void upstream_miss(const struct store *st, const struct op_def *def, const struct op_args *a,
                          struct reply *r)
{
	struct upstream u;
	char err[MSG_MAX];
	if (fetch_eligible(st, a->owner, a->module, &u, err, sizeof err) != 200)
		return;
	int rc = miss_fetch(st, a->owner, a->module, a->version);
	if (rc != 0) {
		if (rc != 1) {
			reply_free(r);
			reply_init(r);
			reply_error(r, 502, "%s@%s: the upstream could not be reached", a->module, a->version);
		}
		return;
	}
	reply_free(r);
	reply_init(r);
	def->run(st, a, r);
}

/* A write refused with a 4xx is counted for /metrics (refusal.h), under
 * its owner when it exists, else alike under none: the counts shown, and
 * the work done, say nothing about which owners exist. */
static void count_refusal(const struct store *st, const struct op_def *def, const char *owner,
                          const struct reply *r)
{
	if (r->status < 400 || r->status >= 500 || def->access != ACCESS_WRITE || !owner[0])
		return;
	store_refusal_add(st, owner_known(st, owner) ? owner : NULL, def->tool + strlen("goreg-"), r->status);
}

/* The route's op, run once credentials and the owner are checked. */
static void dispatch(const struct store *st, const struct request *rq, int64_t now, const struct route *rt,
                     const struct op_def *def, struct reply *r)
{
	char err[MSG_MAX];
	struct principal who;
	struct owner_info oi;
	int code = auth_identify(st, rq, now, &who, err, sizeof err);
	if (code == 200)
		code = auth_check(st, &who, rt->owner, def->access, &oi, err, sizeof err);
	if (code != 200) {
		reply_error(r, code, "%s", err);
		r->www_authenticate = code == 401;
		return;
	}
	struct actor actor = {who.user, rq->remote_addr[0] ? rq->remote_addr : "-"};
	char qmod[MODPATH_MAX + 1], qver[VERSION_MAX + 1];
	struct modzip_want want = {NULL, NULL, 0, 0};
	const char *query = strchr(rq->target, '?');
	query = query ? query + 1 : NULL;
	if (rt->op == OP_UPLOAD && (code = upload_query(query, &want, qmod, qver, err, sizeof err)) != 200) {
		reply_error(r, code, "%s", err);
		return;
	}
	struct op_args a = {
		.owner = rt->owner,
		.module = rt->module,
		.version = rt->version,
		.body = &rq->body,
		.declared_len = rq->chunked ? -1 : rq->content_length,
		.who = &actor,
		.want = &want,
		.now = now,
		.published = now,
		.upstream = 1,
		.sumdb_name = rt->sumdb_name,
		.sumdb_path = rt->sumdb_path,
		.query = query,
	};
	def->run(st, &a, r);
	if (r->status == 404 && (rt->op == OP_INFO || rt->op == OP_MOD || rt->op == OP_ZIP))
		upstream_miss(st, def, &a, r);
	if (r->status < 300 && def->access == ACCESS_READ) {
		/* RFC 9111 section 5.2.2.7: caches shared between users must not
		 * keep a private owner's files */
		if (!r->cache_control)
			r->cache_control = oi.private_ ? CACHE_SHORT_PRIVATE : CACHE_SHORT_PUBLIC;
		else if (oi.private_)
			r->cache_control = strcmp(r->cache_control, CACHE_SHORT_PUBLIC) == 0 ? CACHE_SHORT_PRIVATE
			                                                                      : CACHE_IMMUTABLE_PRIVATE;
	}
}

void ops_dispatch(const struct store *st, const struct request *rq, int64_t now, struct reply *r)
{
	char err[MSG_MAX];
	struct route rt;
	int code = route_match(rq->method, rq->path, &rt, err, sizeof err);
	if (code != 200) {
		reply_error(r, code, "%s", err);
		if (code == 405)
			r->allow = rt.allow;
		return;
	}
	/* The order matters for privacy: the route depends on the URL alone,
	 * and credentials and the owner are checked before the store is
	 * looked at, so a refusal never depends on which modules exist. */
	const struct op_def *def = ops_find(rt.op);
	if (!def || !def->run) {
		reply_error(r, 404, "not found");
		return;
	}
	dispatch(st, rq, now, &rt, def, r);
	count_refusal(st, def, rt.owner, r);
}
