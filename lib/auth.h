/* Accounts in ROOT/goreg.tdb: users, owners (namespaces), memberships,
 * tokens.  Tokens are 32 random bytes (getrandom(2)), shown once as
 * "goreg_" + 64 hex digits, stored only as their SHA-256.
 *
 * Records (key -> value, values are "k=v\n" lines):
 *   owner:NAME              visibility=public|private, kind=user|org
 *   user:NAME               created=T
 *   member:ORG:USER         read|write
 *   token:SHA256HEX         user=, scope=read|write, id=, name=, expires=, created=
 *   tokid:USER:ID           SHA256HEX  (to list and revoke by id)
 *
 * Functions return an HTTP-like status and a one-line reason in err. */
#ifndef GOREG_AUTH_H
#define GOREG_AUTH_H
#include <stddef.h>
#include <stdint.h>
#include "limits.h"

struct store;
struct request;

#define TOKEN_PREFIX "goreg_"
#define TOKEN_LEN (6 + 64)
#define TOKEN_ID_LEN 12

enum { ACCESS_READ = 1, ACCESS_WRITE = 2 };

struct principal {
	char user[OWNER_MAX + 1];       /* "" when anonymous */
	int scope;                      /* ACCESS_READ or ACCESS_READ|ACCESS_WRITE */
	int presented;                  /* credentials were sent */
};

struct owner_info {
	int exists;
	int private_;
	int is_org;
};

int auth_user_add(const struct store *st, const char *user, int64_t now, char *err, size_t errsz);
int auth_org_add(const struct store *st, const char *org, int64_t now, char *err, size_t errsz);
int auth_org_grant(const struct store *st, const char *org, const char *user, int access,
                   char *err, size_t errsz);
int auth_owner_set_private(const struct store *st, const char *owner, int private_,
                           char *err, size_t errsz);
int auth_owner_get(const struct store *st, const char *owner, struct owner_info *oi,
                   char *err, size_t errsz);
/* New token; token_out gets the plaintext (TOKEN_LEN+1), id_out its id. */
int auth_token_add(const struct store *st, const char *user, int read_only, const char *name,
                   int64_t expires, int64_t now, char *token_out, char *id_out,
                   char *err, size_t errsz);
/* One line per token: "ID SCOPE EXPIRES NAME". */
int auth_token_list(const struct store *st, const char *user, char **out, char *err, size_t errsz);
int auth_token_revoke(const struct store *st, const char *user, const char *id,
                      char *err, size_t errsz);

/* Who is asking: 200 (anonymous or valid token), 401 (credentials sent
 * but bad, revoked or expired). */
int auth_identify(const struct store *st, const struct request *rq, int64_t now,
                  struct principal *p, char *err, size_t errsz);
/* May p do `access` on owner?  200, 401 (needs credentials), 403, 404
 * (no such owner). */
int auth_check(const struct store *st, const struct principal *p, const char *owner,
               int access, struct owner_info *oi, char *err, size_t errsz);

/* Extract a token from the request's credentials, or NULL. */
int auth_request_token(const struct request *rq, char *out, size_t outsz, char *user, size_t usersz);

#endif
