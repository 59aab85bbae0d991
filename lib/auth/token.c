/* Tokens and credentials: the token half of auth.h (making, listing,
 * revoking tokens; reading credentials off a request; who is asking). */
#include "auth/auth.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/types.h>
#include <sodium.h>
#include <tdb.h>

#include "auth/authdb.h"
#include "http/request.h"
#include "store/store.h"
#include "base/util.h"

/* ---- tokens ---- */

/* SHA-256 of the token; the id is the start of its hex form, so it is
 * derived from the hash, never from the token's own digits */
static void token_hash(const char *token, unsigned char h[32], char id[TOKEN_ID_LEN + 1])
{
	char hex[65];
	crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
	hex_encode(h, 32, hex);
	memcpy(id, hex, TOKEN_ID_LEN);
	id[TOKEN_ID_LEN] = 0;
}

static int well_formed_token(const char *t)
{
	if (strlen(t) != TOKEN_LEN || strncmp(t, TOKEN_PREFIX, 6) != 0)
		return 0;
	for (const char *p = t + 6; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return 0;
	return 1;
}

static int random_bytes(unsigned char *raw, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = getrandom(raw + got, n - got, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)r;
	}
	return 0;
}

int auth_token_add(const struct store *st, const char *user, int read_only, const char *name,
                   int64_t expires, int64_t now, char *token_out, char *id_out,
                   char *err, size_t errsz)
{
	token_out[0] = id_out[0] = 0;
	if (strlen(name) > TOKEN_NAME_MAX)
		return ERR(400, "token name longer than %d bytes", TOKEN_NAME_MAX);
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return ERR(400, "token name must not contain control characters");
	if (store_check_owner(user))
		return ERR(404, "no such user '%s'", user);
	struct tdb_context *db;
	int code = adb_begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[OWNER_MAX + 80], val[TOKEN_NAME_MAX + 300];
	snprintf(key, sizeof key, "user:%s", user);
	if (!tdb_exists(db, adb_key(key)))
		return adb_finish(db, ERR(404, "no such user '%s'", user), err, errsz);
	/* an id taken already (a 48-bit collision): draw another token */
	for (int attempt = 0;; attempt++) {
		unsigned char raw[32], h[32];
		char hex[65], hhex[65];
		if (attempt == 8)
			return adb_finish(db, ERR(500, "unable to draw an unused token id"), err, errsz);
		if (random_bytes(raw, sizeof raw) < 0)
			return adb_finish(db, ERR(500, "getrandom: %s", strerror(errno)), err, errsz);
		hex_encode(raw, sizeof raw, hex);
		sodium_memzero(raw, sizeof raw);
		snprintf(token_out, TOKEN_LEN + 1, TOKEN_PREFIX "%s", hex);
		sodium_memzero(hex, sizeof hex);
		token_hash(token_out, h, id_out);
		hex_encode(h, 32, hhex);
		snprintf(key, sizeof key, "token:%s", id_out);
		if (tdb_exists(db, adb_key(key)))
			continue;
		snprintf(val, sizeof val, "user=%s\nscope=%s\nhash=%s\nname=%s\nexpires=%lld\ncreated=%lld\n",
		         user, read_only ? "read" : "write", hhex, name, (long long)expires, (long long)now);
		code = adb_put(db, key, val, TDB_INSERT) == 0 ? 201 : adb_stored(err, errsz, db);
		break;
	}
	code = adb_finish(db, code, err, errsz);
	if (code != 201) {
		sodium_memzero(token_out, TOKEN_LEN + 1);
		id_out[0] = 0;
	}
	return code;
}

struct tokens_ctx {
	struct adb_lines l;
	const char *user;
};

static int tokens_one(struct tdb_context *db, TDB_DATA key, TDB_DATA val, void *p)
{
	struct tokens_ctx *c = p;
	if (!adb_has_prefix(key, "token:") || key.dsize != 6 + TOKEN_ID_LEN)
		return 0;
	char *rec = adb_val_str(val);
	if (!rec) {
		c->l.fail = 1;
		return -1;
	}
	char user[OWNER_MAX + 1] = "", scope[16] = "?", exp[32] = "0", created[32] = "0",
	     name[TOKEN_NAME_MAX + 1] = "";
	adb_rec_get(rec, "user", user, sizeof user);
	adb_rec_get(rec, "scope", scope, sizeof scope);
	adb_rec_get(rec, "expires", exp, sizeof exp);
	adb_rec_get(rec, "created", created, sizeof created);
	adb_rec_get(rec, "name", name, sizeof name);
	free(rec);
	if (strcmp(user, c->user) != 0)
		return 0;
	char when[32] = "never", made[32];
	long long e = strtoll(exp, NULL, 10), t = strtoll(created, NULL, 10);
	if (e > 0)
		time_rfc3339(e, when);
	time_rfc3339(t, made);
	/* the sort key (creation time, id) goes first, then is skipped */
	char line[TOKEN_NAME_MAX + 200];
	snprintf(line, sizeof line, "%020lld %.*s %.*s %s %s %s %s", t, TOKEN_ID_LEN, (const char *)key.dptr + 6,
	         TOKEN_ID_LEN, (const char *)key.dptr + 6, scope, made, when, name);
	adb_lines_add(&c->l, line);
	return 0;
}

int auth_token_list(const struct store *st, const char *user, char **out, char *err, size_t errsz)
{
	*out = NULL;
	if (store_check_owner(user))
		return ERR(404, "no such user '%s'", user);
	struct tdb_context *db;
	int code = adb_open_ro(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[OWNER_MAX + 16];
	snprintf(key, sizeof key, "user:%s", user);
	if (!db || !tdb_exists(db, adb_key(key))) {
		if (db)
			adb_close_ro(st, db);
		return ERR(404, "no such user '%s'", user);
	}
	struct tokens_ctx c = {.user = user};
	tdb_traverse_read(db, tokens_one, &c);
	adb_close_ro(st, db);
	return adb_lines_join(&c.l, 20 + 1 + TOKEN_ID_LEN + 1, out, err, errsz);
}

int auth_token_revoke(const struct store *st, const char *user, const char *id,
                      char *err, size_t errsz)
{
	if (strlen(id) != TOKEN_ID_LEN || strspn(id, "0123456789abcdef") != TOKEN_ID_LEN)
		return ERR(404, "no token '%s' for user '%s'", id, user);
	struct tdb_context *db;
	int code = adb_begin(st, &db, err, errsz);
	if (code != 200)
		return code;
	char key[64], tuser[OWNER_MAX + 1] = "";
	snprintf(key, sizeof key, "token:%s", id);
	char *rec = adb_get(db, key);
	if (rec)
		adb_rec_get(rec, "user", tuser, sizeof tuser);
	free(rec);
	/* another user's token is as absent as a missing one */
	if (!rec || strcmp(tuser, user) != 0)
		return adb_finish(db, ERR(404, "no token '%s' for user '%s'", id, user), err, errsz);
	if (tdb_delete(db, adb_key(key)) != 0)
		return adb_finish(db, ERR(500, "unable to delete: %s", tdb_errorstr(db)), err, errsz);
	return adb_finish(db, 200, err, errsz);
}

/* ---- credentials ---- */

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
	out[0] = 0;
	/* GitLab's header */
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
	/* auth-scheme is case-insensitive (RFC 9110 section 11.1);
	 * "token T" is Gitea's and GitHub's, "Bearer T" RFC 6750's */
	if ((sl == 5 && strncasecmp(a, "token", 5) == 0) || (sl == 6 && strncasecmp(a, "bearer", 6) == 0))
		return *sp && fmt(out, outsz, "%s", sp) == 0 ? 1 : -1;
	if (sl == 5 && strncasecmp(a, "basic", 5) == 0) {
		/* RFC 7617: base64 of user-id ":" password */
		char dec[1024];
		int r = -1;
		if (b64dec(sp, dec, sizeof dec) == 0) {
			char *colon = strchr(dec, ':');
			if (colon) {
				*colon = 0;
				const char *pw = colon + 1;
				/* user:token, or the token as the user with an empty
				 * password or "x-oauth-basic" (GitHub's and Gitea's
				 * convention for tokens in URLs) */
				if (*pw && strcmp(pw, "x-oauth-basic") != 0)
					r = fmt(user, usersz, "%s", dec) == 0 && fmt(out, outsz, "%s", pw) == 0 ? 1 : -1;
				else /* ":" alone carries no token */
					r = dec[0] && fmt(out, outsz, "%s", dec) == 0 ? 1 : -1;
			}
		}
		sodium_memzero(dec, sizeof dec);
		return r;
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
	if (r < 0 || !well_formed_token(token)) {
		sodium_memzero(token, sizeof token);
		return ERR(401, "invalid credentials");
	}
	unsigned char h[32], want[32];
	char id[TOKEN_ID_LEN + 1], key[64];
	token_hash(token, h, id);
	sodium_memzero(token, sizeof token);
	snprintf(key, sizeof key, "token:%s", id);
	struct tdb_context *db;
	int code = adb_open_ro(st, &db, err, errsz);
	if (code != 200)
		return code;
	if (!db)
		return ERR(401, "invalid credentials");
	char *rec = adb_get_ro(st, db, key);
	adb_close_ro(st, db);
	if (!rec)
		return ERR(401, "invalid credentials");
	char tuser[OWNER_MAX + 1] = "", scope[16] = "", exp[32] = "0", hhex[80] = "";
	adb_rec_get(rec, "user", tuser, sizeof tuser);
	adb_rec_get(rec, "scope", scope, sizeof scope);
	adb_rec_get(rec, "expires", exp, sizeof exp);
	adb_rec_get(rec, "hash", hhex, sizeof hhex);
	free(rec);
	size_t wl = 0;
	/* the record was found by 48 bits of the hash; all 256 must match,
	 * compared in constant time */
	if (strlen(hhex) != 64 || sodium_hex2bin(want, sizeof want, hhex, 64, NULL, &wl, NULL) != 0 ||
	    wl != sizeof want || sodium_memcmp(want, h, sizeof h) != 0)
		return ERR(401, "invalid credentials");
	long long e = strtoll(exp, NULL, 10);
	if (e > 0 && now >= e)
		return ERR(401, "token expired");
	/* Basic user:token must name the token's own user (user names are
	 * case-insensitive, like owners in URLs) */
	for (char *c = user; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (user[0] && strcmp(user, tuser) != 0)
		return ERR(401, "invalid credentials");
	snprintf(p->user, sizeof p->user, "%s", tuser);
	snprintf(p->token_id, sizeof p->token_id, "%s", id);
	p->scope = strcmp(scope, "write") == 0 ? ACCESS_READ | ACCESS_WRITE : ACCESS_READ;
	return 200;
}

