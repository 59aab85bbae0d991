/* Unit tests for lib/auth/auth.c and lib/auth/audit.c: credential parsing, tokens
 * (storage, expiry, revocation, scope), the access rules, audit records. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <sodium.h>
#include <tdb.h>

#include "auth/audit.h"
#include "auth/auth.h"
#include "auth/authdb.h"
#include "http/request.h"
#include "store/store.h"
#include "base/util.h"
#include "tap.h"

static char err[600];

static void basic(struct request *rq, const char *userpass)
{
	char b64[800];
	sodium_bin2base64(b64, sizeof b64, (const unsigned char *)userpass, strlen(userpass),
	                  sodium_base64_VARIANT_ORIGINAL);
	snprintf(rq->authorization, sizeof rq->authorization, "Basic %s", b64);
}

static void rq_reset(struct request *rq)
{
	memset(rq, 0, sizeof *rq);
}

static void test_parse(void)
{
	struct request rq;
	char tok[512], user[256];

	rq_reset(&rq);
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 0, "no credentials: 0");

	basic(&rq, "alice:goreg_abc");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 1, "Basic user:token");
	is_str(tok, "goreg_abc", "  token is the password");
	is_str(user, "alice", "  user is the user-id");

	basic(&rq, "goreg_abc:");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 1, "Basic token with empty password");
	is_str(tok, "goreg_abc", "  token is the user-id");
	is_str(user, "", "  no user");

	basic(&rq, "goreg_abc:x-oauth-basic");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 1, "Basic token:x-oauth-basic");
	is_str(tok, "goreg_abc", "  token is the user-id");
	is_str(user, "", "  no user");

	basic(&rq, ":goreg_abc");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 1, "Basic with an empty user-id");
	is_str(tok, "goreg_abc", "  token is the password");

	/* found by tests/fuzz/fuzz-auth.c: these gave 1 with an empty token */
	basic(&rq, ":");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), -1, "Basic ':' carries no token: malformed");
	basic(&rq, ":x-oauth-basic");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), -1,
	       "Basic ':x-oauth-basic' carries no token: malformed");

	snprintf(rq.authorization, sizeof rq.authorization, "token goreg_abc");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 1, "Authorization: token T");
	is_str(tok, "goreg_abc", "  token");
	snprintf(rq.authorization, sizeof rq.authorization, "Bearer goreg_abc");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 1, "Authorization: Bearer T");
	is_str(tok, "goreg_abc", "  token");
	snprintf(rq.authorization, sizeof rq.authorization, "bEaReR goreg_abc");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 1, "scheme is case-insensitive");

	snprintf(rq.authorization, sizeof rq.authorization, "Bearer ");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), -1, "empty Bearer: malformed");
	snprintf(rq.authorization, sizeof rq.authorization, "Basic !!!!");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), -1, "bad base64: malformed");
	basic(&rq, "no-colon");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), -1, "Basic without ':': malformed");
	snprintf(rq.authorization, sizeof rq.authorization, "Digest username=x");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), -1, "unknown scheme: malformed");
	snprintf(rq.authorization, sizeof rq.authorization, "Basic");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), -1, "scheme alone: malformed");
	snprintf(rq.authorization, sizeof rq.authorization, "Basic YQBiOmM=");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), -1, "NUL inside Basic: malformed");

	rq_reset(&rq);
	snprintf(rq.private_token, sizeof rq.private_token, "goreg_abc");
	is_int(auth_request_token(&rq, tok, sizeof tok, user, sizeof user), 1, "Private-Token: T");
	is_str(tok, "goreg_abc", "  token");
}

/* does file path contain needle anywhere */
static int file_has(const char *path, const char *needle)
{
	char *data;
	size_t len;
	if (read_file(path, 64 << 20, &data, &len) < 0)
		return -1;
	int found = memmem(data, len, needle, strlen(needle)) != NULL;
	free(data);
	return found;
}

/* set the last hex digit of token id's stored hash to *c, and return the
 * one it replaced in *c */
static int swap_hash_digit(const struct store *st, const char *id, char *c)
{
	char key[64], path[1200];
	snprintf(key, sizeof key, "token:%s", id);
	snprintf(path, sizeof path, "%s/goreg.tdb", st->root);
	struct tdb_context *db = tdb_open(path, 0, TDB_DEFAULT, O_RDWR, 0600);
	if (!db)
		return -1;
	TDB_DATA k = {(unsigned char *)key, strlen(key)};
	TDB_DATA v = tdb_fetch(db, k);
	char *hp = v.dptr ? memmem(v.dptr, v.dsize, "hash=", 5) : NULL;
	int r = -1;
	if (hp && hp + 5 + 64 <= (char *)v.dptr + v.dsize) {
		char old = hp[5 + 63];
		hp[5 + 63] = *c;
		*c = old;
		r = tdb_store(db, k, v, TDB_REPLACE);
	}
	free(v.dptr);
	tdb_close(db);
	return r;
}

static int identify(const struct store *st, const char *authz, int64_t now, struct principal *p)
{
	struct request rq;
	rq_reset(&rq);
	snprintf(rq.authorization, sizeof rq.authorization, "%s", authz);
	return auth_identify(st, &rq, now, p, err, sizeof err);
}

static void test_tokens(const struct store *st)
{
	struct principal p;
	char tok[TOKEN_LEN + 1], id[TOKEN_ID_LEN + 1], ro[TOKEN_LEN + 1], roid[TOKEN_ID_LEN + 1];
	char exp[TOKEN_LEN + 1], expid[TOKEN_ID_LEN + 1], a[600], path[1200];
	const int64_t now = 1700000000;

	is_int(auth_user_add(st, "alice", now, err, sizeof err), 201, "user add alice");
	is_int(auth_user_add(st, "alice", now, err, sizeof err), 409, "user add alice again: 409");
	is_int(auth_user_add(st, "Alice", now, err, sizeof err), 400, "capitals: 400");
	is_int(auth_user_add(st, "goreg.tdb", now, err, sizeof err), 400, "the store's own file name: 400");
	is_int(auth_user_add(st, AUDIT_FILE, now, err, sizeof err), 400, "the audit log's name: 400");
	is_int(auth_user_add(st, "tmp", now, err, sizeof err), 400, "the spool dir's name: 400");
	is_int(auth_user_add(st, "bob", now, err, sizeof err), 201, "user add bob");

	is_int(auth_token_add(st, "alice", 0, "laptop", 0, now, tok, id, err, sizeof err), 201, "token add");
	ok(strlen(tok) == TOKEN_LEN && strncmp(tok, "goreg_", 6) == 0 &&
	           strspn(tok + 6, "0123456789abcdef") == 64,
	   "token is goreg_ and 64 hex digits");
	is_int(strlen(id), TOKEN_ID_LEN, "id has %d digits", TOKEN_ID_LEN);
	ok(strstr(tok, id) == NULL, "the id is not part of the token");
	is_int(auth_token_add(st, "alice", 1, "ci", 0, now, ro, roid, err, sizeof err), 201, "read-only token add");
	is_int(auth_token_add(st, "alice", 0, "", now + 100, now, exp, expid, err, sizeof err), 201,
	       "expiring token add");
	ok(strcmp(tok, ro) != 0 && strcmp(tok, exp) != 0, "tokens differ");
	is_int(auth_token_add(st, "nobody", 0, "", 0, now, a, a + 100, err, sizeof err), 404,
	       "token for an unknown user: 404");
	is_int(auth_token_add(st, "alice", 0, "a\nb", 0, now, a, a + 100, err, sizeof err), 400,
	       "control character in the name: 400");

	snprintf(path, sizeof path, "%s/goreg.tdb", st->root);
	is_int(file_has(path, tok), 0, "plaintext token is not in goreg.tdb");
	is_int(file_has(path, tok + 6), 0, "nor its hex digits");
	unsigned char h[32];
	char hh[65];
	crypto_hash_sha256(h, (unsigned char *)tok, strlen(tok));
	hex_encode(h, 32, hh);
	is_int(file_has(path, hh), 1, "its SHA-256 is");

	snprintf(a, sizeof a, "Bearer %s", tok);
	is_int(identify(st, a, now, &p), 200, "Bearer token: 200");
	is_str(p.user, "alice", "  is alice");
	is_int(p.scope, ACCESS_READ | ACCESS_WRITE, "  with write scope");
	is_str(p.token_id, id, "  and the token's id");
	struct request rq;
	rq_reset(&rq);
	snprintf(a, sizeof a, "alice:%s", tok);
	basic(&rq, a);
	is_int(auth_identify(st, &rq, now, &p, err, sizeof err), 200, "Basic alice:token: 200");
	snprintf(a, sizeof a, "ALICE:%s", tok);
	basic(&rq, a);
	is_int(auth_identify(st, &rq, now, &p, err, sizeof err), 200, "user name is case-insensitive");
	snprintf(a, sizeof a, "bob:%s", tok);
	basic(&rq, a);
	is_int(auth_identify(st, &rq, now, &p, err, sizeof err), 401, "Basic with another user's name: 401");
	is_str(p.user, "", "  and nobody");

	snprintf(a, sizeof a, "token %s", tok);
	a[strlen(a) - 1] ^= 1;
	is_int(identify(st, a, now, &p), 401, "token with one digit changed: 401");
	is_str(err, "invalid credentials", "  invalid credentials");
	snprintf(a, sizeof a, "token %.*s", TOKEN_LEN - 1, tok);
	is_int(identify(st, a, now, &p), 401, "truncated token: 401");
	is_int(identify(st, "token hunter2", now, &p), 401, "a password: 401");
	is_int(identify(st, "Negotiate abc", now, &p), 401, "unknown scheme: 401");

	/* the record is found by the id (48 bits of the hash); every bit of
	 * the stored hash must still match: change its last digit in the record
	 * (tdb allows one open per process: closed before identify) */
	char orig = 'x', other;
	ok(swap_hash_digit(st, id, &orig) == 0 && strchr("0123456789abcdef", orig),
	   "the token record has its hash");
	other = orig == '0' ? '1' : '0';
	swap_hash_digit(st, id, &other);
	snprintf(a, sizeof a, "Bearer %s", tok);
	is_int(identify(st, a, now, &p), 401, "id matches, last hash digit does not: 401");
	ok(swap_hash_digit(st, id, &orig) == 0, "hash restored");
	is_int(identify(st, a, now, &p), 200, "  and the token works again");

	snprintf(a, sizeof a, "token %s", ro);
	is_int(identify(st, a, now, &p), 200, "read-only token: 200");
	is_int(p.scope, ACCESS_READ, "  read scope only");

	snprintf(a, sizeof a, "token %s", exp);
	is_int(identify(st, a, now + 99, &p), 200, "expiring token a second before expiry: 200");
	is_int(identify(st, a, now + 100, &p), 401, "at expiry: 401");
	is_str(err, "token expired", "  token expired");

	char *out;
	is_int(auth_token_list(st, "alice", &out, err, sizeof err), 200, "token list");
	/* one creation time for all three: ordered by id */
	char l[3][200], want[700] = "";
	snprintf(l[0], sizeof l[0], "%s write 2023-11-14T22:13:20Z never laptop\n", id);
	snprintf(l[1], sizeof l[1], "%s read 2023-11-14T22:13:20Z never ci\n", roid);
	snprintf(l[2], sizeof l[2], "%s write 2023-11-14T22:13:20Z 2023-11-14T22:15:00Z \n", expid);
	qsort(l, 3, sizeof l[0], (int (*)(const void *, const void *))strcmp);
	for (int i = 0; i < 3; i++)
		strcat(want, l[i]);
	is_str(out, want, "token list: id, scope, created, expiry, name");
	ok(strstr(out, tok + 6) == NULL && strstr(out, hh) == NULL, "token list shows neither token nor hash");
	free(out);
	is_int(auth_token_list(st, "bob", &out, err, sizeof err), 200, "token list of a user without tokens");
	is_str(out, "", "  is empty");
	free(out);

	is_int(auth_token_revoke(st, "bob", id, err, sizeof err), 404, "bob cannot revoke alice's token");
	is_int(auth_token_revoke(st, "alice", "nothex", err, sizeof err), 404, "revoke a malformed id: 404");
	is_int(auth_token_revoke(st, "alice", id, err, sizeof err), 200, "alice's token revoked");
	snprintf(a, sizeof a, "Bearer %s", tok);
	is_int(identify(st, a, now, &p), 401, "revoked token: 401");
	is_int(auth_token_revoke(st, "alice", id, err, sizeof err), 404, "revoking it again: 404");
	snprintf(a, sizeof a, "Bearer %s", ro);
	is_int(identify(st, a, now, &p), 200, "the other tokens still work");
}

static struct principal who(const char *user, int scope)
{
	struct principal p;
	memset(&p, 0, sizeof p);
	snprintf(p.user, sizeof p.user, "%s", user);
	p.scope = scope;
	return p;
}

static void test_rules(const struct store *st, const struct store *empty)
{
	const int64_t now = 1700000000;
	const int RW = ACCESS_READ | ACCESS_WRITE;
	struct owner_info oi;
	struct principal anon = who("", 0), alice = who("alice", RW), alice_ro = who("alice", ACCESS_READ),
	                 bob = who("bob", RW), carol = who("carol", RW);
	char e1[600], e2[600];

	is_int(auth_user_add(st, "carol", now, err, sizeof err), 201, "user add carol");
	is_int(auth_org_add(st, "acme", now, err, sizeof err), 201, "org add acme");
	is_int(auth_org_add(st, "alice", now, err, sizeof err), 409, "an org cannot take a user's name");
	is_int(auth_org_grant(st, "acme", "alice", RW, err, sizeof err), 200, "grant alice write on acme");
	is_int(auth_org_grant(st, "acme", "bob", ACCESS_READ, err, sizeof err), 200, "grant bob read on acme");
	is_int(auth_org_grant(st, "acme", "nobody", ACCESS_READ, err, sizeof err), 404, "grant to no user: 404");
	is_int(auth_org_grant(st, "alice", "bob", ACCESS_READ, err, sizeof err), 404,
	       "a user's namespace is not an org: 404");
	char *out;
	is_int(auth_org_members(st, "acme", &out, err, sizeof err), 200, "org members");
	is_str(out, "alice write\nbob read\n", "  alice write, bob read");
	free(out);

	/* public owners */
	is_int(auth_check(st, &anon, "acme", ACCESS_READ, &oi, err, sizeof err), 200, "public: anonymous read");
	ok(oi.exists && oi.is_org && !oi.private_, "  owner info: public org");
	is_int(auth_check(st, &anon, "acme", ACCESS_WRITE, &oi, err, sizeof err), 401, "public: anonymous write 401");
	is_int(auth_check(st, &carol, "acme", ACCESS_WRITE, &oi, err, sizeof err), 403,
	       "public: non-member write 403");
	is_int(auth_check(st, &bob, "acme", ACCESS_WRITE, &oi, err, sizeof err), 403, "public: reader write 403");
	is_int(auth_check(st, &alice, "acme", ACCESS_WRITE, &oi, err, sizeof err), 200, "public: writer write 200");
	is_int(auth_check(st, &alice_ro, "acme", ACCESS_WRITE, &oi, err, sizeof err), 403,
	       "public: writer with a read-only token 403");
	is_int(auth_check(st, &alice, "alice", ACCESS_WRITE, &oi, err, sizeof err), 200, "own namespace: write 200");
	is_int(auth_check(st, &bob, "alice", ACCESS_WRITE, &oi, err, sizeof err), 403,
	       "another user's namespace: write 403");

	/* private owners */
	is_int(auth_owner_set_private(st, "acme", 1, err, sizeof err), 200, "acme private");
	is_int(auth_owner_set_private(st, "alice", 1, err, sizeof err), 200, "alice private");
	is_int(auth_owner_set_private(st, "nobody", 1, err, sizeof err), 404, "unknown owner private: 404");
	is_int(auth_check(st, &anon, "acme", ACCESS_READ, &oi, err, sizeof err), 401, "private: anonymous read 401");
	ok(oi.private_, "  owner info: private");
	is_int(auth_check(st, &bob, "acme", ACCESS_READ, &oi, err, sizeof err), 200, "private: reader read 200");
	is_int(auth_check(st, &bob, "acme", ACCESS_WRITE, &oi, err, sizeof err), 403, "private: reader write 403");
	is_int(auth_check(st, &alice, "acme", ACCESS_WRITE, &oi, err, sizeof err), 200, "private: writer write 200");
	is_int(auth_check(st, &alice_ro, "acme", ACCESS_READ, &oi, err, sizeof err), 200,
	       "private: read-only token read 200");
	is_int(auth_check(st, &alice_ro, "acme", ACCESS_WRITE, &oi, err, sizeof err), 403,
	       "private: read-only token write 403");
	is_int(auth_check(st, &carol, "acme", ACCESS_READ, &oi, err, sizeof err), 404,
	       "private: non-member read 404");
	is_int(auth_check(st, &carol, "acme", ACCESS_WRITE, &oi, err, sizeof err), 404,
	       "private: non-member write 404");
	is_int(auth_check(st, &bob, "alice", ACCESS_READ, &oi, err, sizeof err), 404,
	       "private user namespace: another user 404");

	/* an unknown owner answers exactly like a private one */
	struct { const struct principal *p; int access; const char *what; } cases[] = {
		{&anon, ACCESS_READ, "anonymous read"}, {&anon, ACCESS_WRITE, "anonymous write"},
		{&carol, ACCESS_READ, "non-member read"}, {&carol, ACCESS_WRITE, "non-member write"}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int c1 = auth_check(st, cases[i].p, "acme", cases[i].access, &oi, e1, sizeof e1);
		int c2 = auth_check(empty, cases[i].p, "acme", cases[i].access, &oi, e2, sizeof e2);
		ok(c1 == c2 && strcmp(e1, e2) == 0, "%s: private and unknown owner answer alike (%d '%s' / %d '%s')",
		   cases[i].what, c1, e1, c2, e2);
	}
	is_int(auth_check(st, &alice, "nobody", ACCESS_READ, &oi, err, sizeof err), 404,
	       "unknown owner, authenticated: 404");
	is_int(auth_check(st, &anon, "Not-An-Owner", ACCESS_READ, &oi, err, sizeof err), 401,
	       "invalid owner name, anonymous: 401");

	is_int(auth_org_revoke(st, "acme", "bob", err, sizeof err), 200, "revoke bob from acme");
	is_int(auth_check(st, &bob, "acme", ACCESS_READ, &oi, err, sizeof err), 404, "bob no longer reads acme");
	is_int(auth_org_revoke(st, "acme", "bob", err, sizeof err), 404, "revoke again: 404");
	is_int(auth_org_grant(st, "acme", "alice", ACCESS_READ, err, sizeof err), 200, "alice down to read");
	is_int(auth_check(st, &alice, "acme", ACCESS_WRITE, &oi, err, sizeof err), 403, "  alice write 403");

	is_int(auth_owner_list(st, &out, err, sizeof err), 200, "owner list");
	is_str(out, "acme org private\nalice user private\nbob user public\ncarol user public\n",
	       "  names, kinds, visibility, sorted");
	free(out);
	is_int(auth_owner_set_private(st, "acme", 0, err, sizeof err), 200, "acme public again");
	is_int(auth_check(st, &anon, "acme", ACCESS_READ, &oi, err, sizeof err), 200, "  anonymous read 200");
}

static void test_audit(const struct store *st)
{
	char line[2000];
	is_int(audit_format(line, sizeof line, 1700000000, "alice", "upload", "acme", "example.com/m", "v1.0.0",
	                    "127.0.0.1"),
	       0, "audit_format");
	is_str(line, "2023-11-14T22:13:20Z alice upload acme example.com/m v1.0.0 127.0.0.1", "  seven fields");
	audit_format(line, sizeof line, 0, "", "delete", "acme", "m", "", "a b\tc\nd");
	is_str(line, "1970-01-01T00:00:00Z - delete acme m - a?b?c?d", "  '-' for empty, '?' for blanks");
	is_int(audit_format(line, 20, 0, "a", "b", "c", "d", "e", "f"), -1, "  too long: -1");

	char path[1200];
	snprintf(path, sizeof path, "%s/" AUDIT_FILE, st->root);
	unlink(path);
	struct audit a;
	is_int(audit_open(st, &a, err, sizeof err), 200, "audit_open creates the log");
	is_int(audit_append(&a, 1700000000, "alice", "upload", "acme", "example.com/m", "v1.0.0", "10.0.0.1",
	                    err, sizeof err),
	       200, "append");
	is_int(audit_open(st, &a, err, sizeof err), 200, "audit_open again");
	is_int(audit_append(&a, 1700000001, "bob", "delete", "other", "example.com/n", "v2.0.0", "10.0.0.2", err,
	                    sizeof err),
	       200, "append a second record");
	struct stat sb;
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600, "the log is mode 0600");

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	is_int(audit_print(st, NULL, f, err, sizeof err), 200, "audit_print");
	fclose(f);
	is_str(buf, "2023-11-14T22:13:20Z alice upload acme example.com/m v1.0.0 10.0.0.1\n"
	            "2023-11-14T22:13:21Z bob delete other example.com/n v2.0.0 10.0.0.2\n",
	       "  both records, in order");
	free(buf);
	f = open_memstream(&buf, &len);
	is_int(audit_print(st, "other", f, err, sizeof err), 200, "audit_print for one owner");
	fclose(f);
	is_str(buf, "2023-11-14T22:13:21Z bob delete other example.com/n v2.0.0 10.0.0.2\n", "  its record only");
	free(buf);
	f = open_memstream(&buf, &len);
	is_int(audit_print(st, "acm", f, err, sizeof err), 200, "audit_print for a prefix of an owner");
	fclose(f);
	is_str(buf, "", "  matches nothing");
	free(buf);
}

/* adb_rec_get as it was before it looked at the '=' first: the one-pass
 * form must give the same answers. */
static int ref_rec_get(const char *rec, const char *k, char *out, size_t outsz)
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

static void test_rec_get(void)
{
	static const char *const recs[] = {
		"kind=user\nvisibility=private\ncreated=1\n", "kind=org", "kinder=x\nkind=y", "kind\nkind=\n",
		"=x\n\nkind==\nvisibility=public", "", "\n\n", "kind=0123456789abcdef\n", "visibility",
		"kind=a\nkind=b\n", "kin=d\nkind", "x=1\nkind=last",
	};
	static const char *const keys[] = {"kind", "visibility", "created", "k", "kinder", ""};
	int bad = 0;
	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++)
		for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++)
			for (size_t sz = 1; sz < 20; sz += 9) {
				char a[32] = "?", b[32] = "?";
				int ra = adb_rec_get(recs[i], keys[j], a, sz), rb = ref_rec_get(recs[i], keys[j], b, sz);
				bad += ra != rb || strcmp(a, b) != 0;
			}
	is_int(bad, 0, "adb_rec_get agrees with the line-by-line form on odd records");
	/* a record's bytes as tdb keeps them: no NUL after them */
	static const char bytes[] = {'k', 'i', 'n', 'd', '=', 'o', 'r', 'g', '\n', 'x', '=', '1'};
	char v[8] = "";
	ok(adb_rec_get_n(bytes, 8, "kind", v, sizeof v) == 0 && strcmp(v, "org") == 0 &&
	   adb_rec_get_n(bytes, sizeof bytes, "x", v, sizeof v) == 0 && strcmp(v, "1") == 0 &&
	   adb_rec_get_n(bytes, 7, "kind", v, sizeof v) == 0 && strcmp(v, "or") == 0 &&
	   adb_rec_get_n(bytes, 11, "x", v, sizeof v) == 0 && strcmp(v, "") == 0 &&
	   adb_rec_get_n(bytes, 10, "x", v, sizeof v) < 0, "adb_rec_get_n reads no byte past the record's length");
}

/* An owner's record read in one pass, as adb_rec_get reads each key:
 * records written by hand, with keys repeated (the first counts), values
 * that begin or end like "private" and "org", lines that only look like
 * the keys, a last line without its newline, a NUL inside. */
static void test_owner_records(const struct store *st)
{
	static const struct { const char *rec; size_t len; } recs[] = {
#define R(s) {s, sizeof s - 1}
		R("kind=org\nvisibility=private\n"), R("visibility=private\nkind=org"), R("kind=user\nvisibility=public\n"),
		R("visibility=public\nvisibility=private\nkind=user\nkind=org\n"),
		R("visibility=private\nvisibility=public\nkind=org\nkind=user\n"), R("visibility=privatex\nkind=orgs\n"),
		R("visibility=privat\nkind=or\n"), R("xvisibility=private\nxkind=org\n"), R("visibility private\nkind org\n"),
		R("visibility==private\nkind==org\n"), R("created=1\nkind=org\ncreated=2\nvisibility=private"), R(""),
		R("\n\n"), R("kind=\nvisibility=\n"), R("kind=org\r\nvisibility=private\r\n"),
		R("visibility=private-and-a-value-longer-than-32-bytes\nkind=org\n"), R("kind=org\0\nvisibility=private\n"),
#undef R
	};
	char path[1200];
	snprintf(path, sizeof path, "%s/goreg.tdb", st->root);
	struct principal anon = who("", 0);
	int bad = 0;
	for (size_t i = 0; i < sizeof recs / sizeof recs[0]; i++) {
		struct tdb_context *db = tdb_open(path, 0, TDB_DEFAULT, O_RDWR, 0600);
		TDB_DATA k = {(unsigned char *)"owner:odd", 9}, v = {(unsigned char *)recs[i].rec, recs[i].len};
		if (!db || tdb_store(db, k, v, TDB_REPLACE) != 0) {
			bad++;
			if (db)
				tdb_close(db);
			continue;
		}
		tdb_close(db);
		/* what the record's text (up to a NUL) says, key by key */
		char text[200], val[32];
		snprintf(text, sizeof text, "%s", recs[i].rec);
		int priv = adb_rec_get(text, "visibility", val, sizeof val) == 0 && strcmp(val, "private") == 0;
		int org = adb_rec_get(text, "kind", val, sizeof val) == 0 && strcmp(val, "org") == 0;
		struct owner_info a, b;
		int ga = auth_owner_get(st, "odd", &a, err, sizeof err);
		auth_check(st, &anon, "odd", ACCESS_READ, &b, err, sizeof err);
		if (ga != 200 || !a.exists || a.private_ != priv || a.is_org != org || !b.exists || b.private_ != priv ||
		    b.is_org != org) {
			bad++;
			printf("# record %zu: private %d org %d, read as %d %d and %d %d\n", i, priv, org, a.private_,
			       a.is_org, b.private_, b.is_org);
		}
	}
	is_int(bad, 0, "owner records read as adb_rec_get reads them");
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	test_rec_get();
	char dir[] = "/tmp/t-auth.XXXXXX", root[100], eroot[100];
	if (!mkdtemp(dir))
		return 1;
	snprintf(root, sizeof root, "%s/store", dir);
	snprintf(eroot, sizeof eroot, "%s/empty", dir);
	struct store st, empty;
	store_init(&st, root, err, sizeof err);
	store_init(&empty, eroot, err, sizeof err);

	test_parse();
	test_tokens(&st);
	test_rules(&st, &empty);
	test_audit(&st);
	test_owner_records(&st);

	char cmd[200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ok(system(cmd) == 0, "scratch directory removed");
	return done_testing();
}
