#include "auth.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/types.h>
#include <sodium.h>
#include <tdb.h>

#include "request.h"
#include "store.h"
#include "util.h"


static struct tdb_context *db_open(const struct store *st, int write)
{
	char path[1100];
	if (fmt(path, sizeof path, "%s/goreg.tdb", st->root) < 0) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (write && mkdir_p(st->root, 0755) < 0)
		return NULL;
	return tdb_open(path, 0, TDB_DEFAULT, write ? O_RDWR | O_CREAT | O_CLOEXEC : O_RDONLY | O_CLOEXEC,
	                0600);
}

static TDB_DATA K(const char *s)
{
	return (TDB_DATA){(unsigned char *)s, strlen(s)};
}

/* fetch key into a NUL-terminated malloc'd string, or NULL */
static char *get(struct tdb_context *db, const char *key)
{
	TDB_DATA v = tdb_fetch(db, K(key));
	if (!v.dptr)
		return NULL;
	char *s = malloc(v.dsize + 1);
	if (s) {
		memcpy(s, v.dptr, v.dsize);
		s[v.dsize] = 0;
	}
	free(v.dptr);
	return s;
}

/* value of "k=" line in a record */
static int rec_get(const char *rec, const char *k, char *out, size_t outsz)
{
	size_t kl = strlen(k);
	for (const char *p = rec; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t l = nl ? (size_t)(nl - p) : strlen(p);
		if (l > kl && memcmp(p, k, kl) == 0 && p[kl] == '=') {
			size_t vl = l - kl - 1;
			if (vl >= outsz)
				return -1;
			memcpy(out, p + kl + 1, vl);
			out[vl] = 0;
			return 0;
		}
		p = nl ? nl + 1 : NULL;
	}
	return -1;
}

static int put(struct tdb_context *db, const char *key, const char *val, int flag)
{
	return tdb_store(db, K(key), K(val), flag);
}

static int begin(const struct store *st, struct tdb_context **db, char *err, size_t errsz)
{
	if (!(*db = db_open(st, 1)))
		return ERR(500, "unable to open '%s/goreg.tdb': %s", st->root, strerror(errno));
	if (tdb_transaction_start(*db) != 0) {
		ERR(500, "unable to start a transaction: %s", tdb_errorstr(*db));
		tdb_close(*db);
		return 500;
	}
	return 200;
}

static int finish(struct tdb_context *db, int code, char *err, size_t errsz)
{
	if (code >= 200 && code < 300) {
		if (tdb_transaction_commit(db) != 0)
			code = ERR(500, "unable to commit: %s", tdb_errorstr(db));
	} else
		tdb_transaction_cancel(db);
	tdb_close(db);
	return code;
}

static int owner_add(const struct store *st, const char *name, const char *kind, int64_t now,
                     char *err, size_t errsz)
{
	const char *why = store_check_owner(name);
	if (why)
		return ERR(400, "invalid name '%s': %s", name, why);
	struct tdb_context *db;
	int code = begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[OWNER_MAX + 16], val[128];
	snprintf(key, sizeof key, "owner:%s", name);
	if (tdb_exists(db, K(key))) {
		code = ERR(409, "'%s' already exists", name);
		return finish(db, code, err, errsz);
	}
	snprintf(val, sizeof val, "visibility=public\nkind=%s\ncreated=%lld\n", kind, (long long)now);
	code = put(db, key, val, TDB_INSERT) == 0 ? 201 : ERR(500, "unable to store: %s", tdb_errorstr(db));
	if (code == 201 && strcmp(kind, "user") == 0) {
		snprintf(key, sizeof key, "user:%s", name);
		snprintf(val, sizeof val, "created=%lld\n", (long long)now);
		if (put(db, key, val, TDB_INSERT) != 0)
			code = ERR(500, "unable to store: %s", tdb_errorstr(db));
	}
	return finish(db, code, err, errsz);
}

int auth_user_add(const struct store *st, const char *user, int64_t now, char *err, size_t errsz)
{
	return owner_add(st, user, "user", now, err, errsz);
}

int auth_org_add(const struct store *st, const char *org, int64_t now, char *err, size_t errsz)
{
	return owner_add(st, org, "org", now, err, errsz);
}

int auth_owner_get(const struct store *st, const char *owner, struct owner_info *oi,
                   char *err, size_t errsz)
{
	memset(oi, 0, sizeof *oi);
	if (store_check_owner(owner))
		return ERR(404, "no such owner '%s'", owner);
	struct tdb_context *db = db_open(st, 0);
	if (!db) {
		if (errno == ENOENT)
			return ERR(404, "no such owner '%s'", owner);
		return ERR(500, "unable to open '%s/goreg.tdb': %s", st->root, strerror(errno));
	}
	char key[OWNER_MAX + 16], v[32];
	snprintf(key, sizeof key, "owner:%s", owner);
	char *rec = get(db, key);
	tdb_close(db);
	if (!rec)
		return ERR(404, "no such owner '%s'", owner);
	oi->exists = 1;
	oi->private_ = rec_get(rec, "visibility", v, sizeof v) == 0 && strcmp(v, "private") == 0;
	oi->is_org = rec_get(rec, "kind", v, sizeof v) == 0 && strcmp(v, "org") == 0;
	free(rec);
	return 200;
}

int auth_owner_set_private(const struct store *st, const char *owner, int private_,
                           char *err, size_t errsz)
{
	struct tdb_context *db;
	int code = begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[OWNER_MAX + 16], kind[16] = "user", created[32] = "0", val[128];
	snprintf(key, sizeof key, "owner:%s", owner);
	char *rec = get(db, key);
	if (!rec)
		return finish(db, ERR(404, "no such owner '%s'", owner), err, errsz);
	rec_get(rec, "kind", kind, sizeof kind);
	rec_get(rec, "created", created, sizeof created);
	free(rec);
	snprintf(val, sizeof val, "visibility=%s\nkind=%s\ncreated=%s\n", private_ ? "private" : "public",
	         kind, created);
	code = put(db, key, val, TDB_REPLACE) == 0 ? 200 : ERR(500, "unable to store: %s", tdb_errorstr(db));
	return finish(db, code, err, errsz);
}

int auth_org_grant(const struct store *st, const char *org, const char *user, int access,
                   char *err, size_t errsz)
{
	struct tdb_context *db;
	int code = begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[2 * OWNER_MAX + 16], v[32];
	snprintf(key, sizeof key, "owner:%s", org);
	char *rec = get(db, key);
	int is_org = rec && rec_get(rec, "kind", v, sizeof v) == 0 && strcmp(v, "org") == 0;
	free(rec);
	if (!is_org)
		return finish(db, ERR(404, "no such organisation '%s'", org), err, errsz);
	snprintf(key, sizeof key, "user:%s", user);
	if (!tdb_exists(db, K(key)))
		return finish(db, ERR(404, "no such user '%s'", user), err, errsz);
	snprintf(key, sizeof key, "member:%s:%s", org, user);
	code = put(db, key, access & ACCESS_WRITE ? "write" : "read", TDB_REPLACE) == 0
	               ? 200
	               : ERR(500, "unable to store: %s", tdb_errorstr(db));
	return finish(db, code, err, errsz);
}

static void token_hash(const char *token, char hex[65])
{
	unsigned char h[32];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	hex_encode(h, 32, hex);
}

int auth_token_add(const struct store *st, const char *user, int read_only, const char *name,
                   int64_t expires, int64_t now, char *token_out, char *id_out,
                   char *err, size_t errsz)
{
	unsigned char raw[32];
	size_t got = 0;
	while (got < sizeof raw) {
		ssize_t r = getrandom(raw + got, sizeof raw - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return ERR(500, "getrandom: %s", strerror(errno));
		}
		got += (size_t)r;
	}
	char hex[65], th[65];
	hex_encode(raw, sizeof raw, hex);
	sodium_memzero(raw, sizeof raw);
	snprintf(token_out, TOKEN_LEN + 1, TOKEN_PREFIX "%s", hex);
	sodium_memzero(hex, sizeof hex);
	token_hash(token_out, th);
	/* the id is derived from the hash, never from the token's own digits */
	memcpy(id_out, th, TOKEN_ID_LEN);
	id_out[TOKEN_ID_LEN] = 0;

	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return ERR(400, "token name must not contain control characters");
	struct tdb_context *db;
	int code = begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[2 * OWNER_MAX + 80], val[600];
	snprintf(key, sizeof key, "user:%s", user);
	if (!tdb_exists(db, K(key)))
		return finish(db, ERR(404, "no such user '%s'", user), err, errsz);
	snprintf(key, sizeof key, "token:%s", th);
	snprintf(val, sizeof val, "user=%s\nscope=%s\nid=%s\nname=%.200s\nexpires=%lld\ncreated=%lld\n", user,
	         read_only ? "read" : "write", id_out, name, (long long)expires, (long long)now);
	if (put(db, key, val, TDB_INSERT) != 0)
		return finish(db, ERR(500, "unable to store: %s", tdb_errorstr(db)), err, errsz);
	snprintf(key, sizeof key, "tokid:%s:%s", user, id_out);
	if (put(db, key, th, TDB_INSERT) != 0)
		return finish(db, ERR(500, "unable to store: %s", tdb_errorstr(db)), err, errsz);
	return finish(db, 201, err, errsz);
}

struct list_ctx {
	const struct store *st;
	struct tdb_context *db;
	char prefix[OWNER_MAX + 16];
	struct buf out;
	int fail;
};

static int list_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct list_ctx *c = p;
	size_t pl = strlen(c->prefix);
	if (key.dsize <= pl || memcmp(key.dptr, c->prefix, pl) != 0 || val.dsize != 64)
		return 0;
	char k[80];
	snprintf(k, sizeof k, "token:%.64s", (const char *)val.dptr);
	char *rec = get(db, k);
	if (!rec)
		return 0;
	char id[32] = "", scope[16] = "", exp[32] = "0", name[256] = "";
	rec_get(rec, "id", id, sizeof id);
	rec_get(rec, "scope", scope, sizeof scope);
	rec_get(rec, "expires", exp, sizeof exp);
	rec_get(rec, "name", name, sizeof name);
	free(rec);
	char when[32] = "never";
	if (strtoll(exp, NULL, 10) > 0)
		time_rfc3339(strtoll(exp, NULL, 10), when);
	if (buf_printf(&c->out, "%s %s %s %s\n", id, scope, when, name) < 0)
		c->fail = 1;
	return 0;
}

int auth_token_list(const struct store *st, const char *user, char **out, char *err, size_t errsz)
{
	*out = NULL;
	struct tdb_context *db = db_open(st, 0);
	if (!db)
		return ERR(errno == ENOENT ? 404 : 500, "unable to open '%s/goreg.tdb': %s", st->root,
		           strerror(errno));
	char key[OWNER_MAX + 16];
	snprintf(key, sizeof key, "user:%s", user);
	if (!tdb_exists(db, K(key))) {
		tdb_close(db);
		return ERR(404, "no such user '%s'", user);
	}
	struct list_ctx c = {.st = st, .db = db};
	snprintf(c.prefix, sizeof c.prefix, "tokid:%s:", user);
	buf_add(&c.out, "", 0);
	tdb_traverse_read(db, list_one, &c);
	tdb_close(db);
	if (c.fail || !c.out.p) {
		buf_free(&c.out);
		return ERR(500, "out of memory");
	}
	*out = c.out.p;
	return 200;
}

int auth_token_revoke(const struct store *st, const char *user, const char *id,
                      char *err, size_t errsz)
{
	struct tdb_context *db;
	int code = begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[2 * OWNER_MAX + 80];
	snprintf(key, sizeof key, "tokid:%s:%s", user, id);
	char *th = get(db, key);
	if (!th)
		return finish(db, ERR(404, "no token '%s' for user '%s'", id, user), err, errsz);
	char tk[80];
	snprintf(tk, sizeof tk, "token:%.64s", th);
	free(th);
	if (tdb_delete(db, K(key)) != 0 || (tdb_delete(db, K(tk)) != 0 && tdb_error(db) != TDB_ERR_NOEXIST))
		return finish(db, ERR(500, "unable to delete: %s", tdb_errorstr(db)), err, errsz);
	return finish(db, 200, err, errsz);
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/* RFC 4648 section 4 base64 with padding; -1 on malformed input */
static int b64dec(const char *in, char *out, size_t outsz)
{
	size_t n = strlen(in), o = 0;
	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		for (int j = 0; j < 4; j++) {
			v[j] = in[i + j] == '=' && i + 4 == n && j >= 2 ? -2 : b64val((unsigned char)in[i + j]);
			if (v[j] == -1 || (j == 3 && v[2] == -2 && v[3] != -2))
				return -1;
		}
		unsigned x = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)(v[2] < 0 ? 0 : v[2]) << 6 |
		             (unsigned)(v[3] < 0 ? 0 : v[3]);
		int k = v[2] == -2 ? 1 : v[3] == -2 ? 2 : 3;
		for (int j = 0; j < k; j++) {
			if (o + 1 >= outsz)
				return -1;
			out[o++] = (char)(x >> (16 - 8 * j));
		}
	}
	out[o] = 0;
	if (strlen(out) != o) /* NUL inside credentials */
		return -1;
	return 0;
}

int auth_request_token(const struct request *rq, char *out, size_t outsz, char *user, size_t usersz)
{
	const char *a = rq->authorization;
	user[0] = 0;
	if (rq->private_token[0])
		return fmt(out, outsz, "%s", rq->private_token) == 0 ? 1 : -1;
	if (!a[0])
		return 0;
	const char *sp = strchr(a, ' ');
	if (!sp)
		return -1;
	size_t sl = (size_t)(sp - a);
	while (*sp == ' ')
		sp++;
	/* auth-scheme is case-insensitive (RFC 9110 section 11.1) */
	if ((sl == 5 && strncasecmp(a, "token", 5) == 0) || (sl == 6 && strncasecmp(a, "bearer", 6) == 0))
		return fmt(out, outsz, "%s", sp) == 0 ? 1 : -1;
	if (sl == 5 && strncasecmp(a, "basic", 5) == 0) {
		char dec[1024];
		if (b64dec(sp, dec, sizeof dec) < 0)
			return -1;
		char *colon = strchr(dec, ':');
		if (!colon)
			return -1;
		*colon = 0;
		const char *pw = colon + 1;
		/* user:token, or the token as user with an empty password or
		 * "x-oauth-basic" (GitHub/Gitea convention) */
		if (*pw && strcmp(pw, "x-oauth-basic") != 0) {
			if (fmt(user, usersz, "%s", dec) < 0)
				return -1;
			return fmt(out, outsz, "%s", pw) == 0 ? 1 : -1;
		}
		return fmt(out, outsz, "%s", dec) == 0 ? 1 : -1;
	}
	return -1;
}

int auth_identify(const struct store *st, const struct request *rq, int64_t now,
                  struct principal *p, char *err, size_t errsz)
{
	memset(p, 0, sizeof *p);
	char token[512], user[256];
	int r = auth_request_token(rq, token, sizeof token, user, sizeof user);
	if (r == 0)
		return 200;
	p->presented = 1;
	if (r < 0)
		return ERR(401, "malformed credentials");
	char th[65], key[80];
	token_hash(token, th);
	sodium_memzero(token, sizeof token);
	snprintf(key, sizeof key, "token:%s", th);
	struct tdb_context *db = db_open(st, 0);
	if (!db)
		return ERR(errno == ENOENT ? 401 : 500, "invalid credentials");
	char *rec = get(db, key);
	tdb_close(db);
	if (!rec)
		return ERR(401, "invalid credentials");
	char tuser[OWNER_MAX + 1] = "", scope[16] = "", exp[32] = "0";
	rec_get(rec, "user", tuser, sizeof tuser);
	rec_get(rec, "scope", scope, sizeof scope);
	rec_get(rec, "expires", exp, sizeof exp);
	free(rec);
	long long e = strtoll(exp, NULL, 10);
	if (e > 0 && now >= e)
		return ERR(401, "token expired");
	/* Basic user:token must name the token's own user */
	if (user[0] && strcmp(user, tuser) != 0)
		return ERR(401, "invalid credentials");
	snprintf(p->user, sizeof p->user, "%s", tuser);
	p->scope = strcmp(scope, "write") == 0 ? ACCESS_READ | ACCESS_WRITE : ACCESS_READ;
	return 200;
}

int auth_check(const struct store *st, const struct principal *p, const char *owner,
               int access, struct owner_info *oi, char *err, size_t errsz)
{
	int code = auth_owner_get(st, owner, oi, err, errsz);
	if (code != 200) {
		/* unknown owner: reads are 404 (go falls through to the next
		 * proxy); writes by nobody are 401 first */
		if (code == 404 && access == ACCESS_WRITE && !p->user[0])
			return ERR(401, "authentication required");
		return code;
	}
	if (access == ACCESS_READ && !oi->private_)
		return 200;
	if (!p->user[0])
		return ERR(401, "authentication required");
	int may = 0;
	if (strcmp(p->user, owner) == 0)
		may = ACCESS_READ | ACCESS_WRITE;
	else if (oi->is_org) {
		struct tdb_context *db = db_open(st, 0);
		if (db) {
			char key[2 * OWNER_MAX + 16];
			snprintf(key, sizeof key, "member:%s:%s", owner, p->user);
			char *m = get(db, key);
			tdb_close(db);
			if (m)
				may = strcmp(m, "write") == 0 ? ACCESS_READ | ACCESS_WRITE : ACCESS_READ;
			free(m);
		}
	}
	may &= p->scope;
	if (!(may & access))
		return ERR(403, "%s may not %s '%s'", p->user, access == ACCESS_WRITE ? "write to" : "read",
		           owner);
	return 200;
}
