/* Accounts in ROOT/goreg.tdb: users, owners (namespaces), memberships,
 * tokens.  Tokens are 32 random bytes (getrandom(2)), shown once as
 * "goreg_" + 64 hex digits, stored only as their SHA-256.
 *
 * Records (key -> value; values are "k=v\n" lines unless said otherwise):
 *   owner:NAME              visibility=public|private, kind=user|org, created=T
 *   user:NAME               created=T
 *   member:ORG:USER         "read" or "write" (the bare word)
 *   token:ID                user=, scope=read|write, hash=SHA256HEX, name=, expires=T|0, created=T
 *
 * A token's ID is the first TOKEN_ID_LEN hex digits of its SHA-256: the
 * record is found by the ID, then the whole stored hash is compared with
 * the presented token's in constant time (sodium_memcmp).  The ID is not
 * a secret (goreg-admin token list shows it); the hash is never printed.
 *
 * Implemented by auth.c (accounts, access rules) and token.c (tokens,
 * credentials).  Functions return an HTTP-like status and a one-line
 * reason in err. */
#ifndef GOREG_AUTH_H
#define GOREG_AUTH_H
#include <stddef.h>
#include <stdint.h>
#include "base/limits.h"

struct store;
struct request;

#define TOKEN_PREFIX "goreg_"
#define TOKEN_LEN (6 + 64)
#define TOKEN_ID_LEN 12
#define TOKEN_NAME_MAX 200

enum { ACCESS_READ = 1, ACCESS_WRITE = 2 };

struct principal {
	char user[OWNER_MAX + 1];       /* "" when anonymous */
	int scope;                      /* ACCESS_READ or ACCESS_READ|ACCESS_WRITE */
	int presented;                  /* credentials were sent */
	char token_id[TOKEN_ID_LEN + 1];
};

struct owner_info {
	int exists;
	int private_;
	int is_org;
};

int auth_user_add(const struct store *st, const char *user, int64_t now, char *err, size_t errsz);
int auth_org_add(const struct store *st, const char *org, int64_t now, char *err, size_t errsz);
/* access is ACCESS_READ or ACCESS_READ|ACCESS_WRITE; replaces a grant. */
int auth_org_grant(const struct store *st, const char *org, const char *user, int access,
                   char *err, size_t errsz);
int auth_org_revoke(const struct store *st, const char *org, const char *user, char *err, size_t errsz);
/* "USER read|write" lines, sorted. */
int auth_org_members(const struct store *st, const char *org, char **out, char *err, size_t errsz);
int auth_owner_set_private(const struct store *st, const char *owner, int private_,
                           char *err, size_t errsz);
int auth_owner_get(const struct store *st, const char *owner, struct owner_info *oi,
                   char *err, size_t errsz);
/* The users' names, one a line, sorted. */
int auth_user_list(const struct store *st, char **out, char *err, size_t errsz);
/* Delete user's account in one transaction: its user and owner records,
 * its tokens (*tokens of them) and its memberships (*orgs).  204 or 404.
 * The owner's modules are the caller's (goreg-admin(8)). */
int auth_user_delete(const struct store *st, const char *user, size_t *tokens, size_t *orgs, char *err,
                     size_t errsz);
/* "NAME user|org public|private" lines, sorted. */
int auth_owner_list(const struct store *st, char **out, char *err, size_t errsz);

/* New token (201); token_out gets the plaintext (TOKEN_LEN+1 bytes),
 * id_out its id (TOKEN_ID_LEN+1).  expires is a unix time, 0 for never. */
int auth_token_add(const struct store *st, const char *user, int read_only, const char *name,
                   int64_t expires, int64_t now, char *token_out, char *id_out,
                   char *err, size_t errsz);
/* One line per token, oldest first: "ID SCOPE CREATED EXPIRES NAME" with
 * RFC 3339 times, EXPIRES "never" for none. */
int auth_token_list(const struct store *st, const char *user, char **out, char *err, size_t errsz);
int auth_token_revoke(const struct store *st, const char *user, const char *id,
                      char *err, size_t errsz);

/* Who is asking: 200 (anonymous, or a valid token), 401 (credentials sent
 * but malformed, unknown, revoked or expired), 500. */
int auth_identify(const struct store *st, const struct request *rq, int64_t now,
                  struct principal *p, char *err, size_t errsz);
/* May p do `access` on owner?  200; 401 anonymous where credentials are
 * needed; 403 a visible owner p may not write to, or a read-only token;
 * 404 an owner p cannot see.  An unknown owner and a private owner p is
 * not a member of answer alike, so owner names do not leak: 401 to
 * anonymous callers, 404 to authenticated ones. */
int auth_check(const struct store *st, const struct principal *p, const char *owner,
               int access, struct owner_info *oi, char *err, size_t errsz);

/* The token in the request's credentials: 1 found (user gets the Basic
 * user name when one was sent with the token, else ""), 0 no credentials,
 * -1 malformed. */
int auth_request_token(const struct request *rq, char *out, size_t outsz, char *user, size_t usersz);

#endif
