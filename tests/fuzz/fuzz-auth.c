/* libFuzzer harness: credentials (lib/auth/token.c auth_request_token and
 * auth_identify) from the header fields Authorization (the first line)
 * and Private-Token (the second), against a store with one user, alice,
 * and three tokens: "@T@" in the input stands for her write token, "@R@"
 * for her read-only one, "@X@" for an expired one.  A first line
 * "Basic64 REST" is sent as "Basic " and the base64 of REST, so the
 * fuzzer works on what Basic carries.  Properties:
 *   - auth_request_token answers 0 exactly when neither field is set,
 *     else 1 or -1; a token found is not empty and fits, a Basic user-id
 *     has no ':'; Private-Token wins and is taken whole; "token T" and
 *     "Bearer T" give T; Basic gives what libsodium's own base64 decoder
 *     makes of it (user-id:password, or the token alone as the user-id
 *     with an empty or "x-oauth-basic" password);
 *   - auth_identify answers 200 or 401, never 500: 200 anonymous exactly
 *     without credentials, 200 as alice exactly for one of her unexpired
 *     tokens (with her name, in any case, or none, as the Basic user-id),
 *     with the scope of that token. */
#define FUZZ_NAME "auth"
#include "fuzz.h"

#include <ftw.h>
#include <sodium.h>
#include <strings.h>

#include "auth/auth.h"
#include "http/request.h"
#include "store/store.h"

/* the buffers auth_identify reads credentials into */
#define TOKSZ 512
#define USERSZ 256

static const int64_t now = 1700000000;
static struct store st;
static char root[64], tok_w[TOKEN_LEN + 1], tok_r[TOKEN_LEN + 1], tok_x[TOKEN_LEN + 1];

static int rm_one(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	return remove(path);
}

static void cleanup(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void setup(void)
{
	char err[MSG_MAX], id[TOKEN_ID_LEN + 1];
	const char *tmp = getenv("TMPDIR");
	snprintf(root, sizeof root, "%s/fuzz-auth.XXXXXX", tmp && strlen(tmp) < 40 ? tmp : "/tmp");
	if (mkdtemp(root) == NULL || store_init(&st, root, err, sizeof err) != 200 ||
	    store_prepare(&st, err, sizeof err) != 200)
		fuzz_die("setup", root);
	atexit(cleanup);
	if (auth_user_add(&st, "alice", now, err, sizeof err) != 201 ||
	    auth_token_add(&st, "alice", 0, "w", 0, now, tok_w, id, err, sizeof err) != 201 ||
	    auth_token_add(&st, "alice", 1, "r", 0, now, tok_r, id, err, sizeof err) != 201 ||
	    auth_token_add(&st, "alice", 0, "x", now - 1, now - 100, tok_x, id, err, sizeof err) != 201)
		fuzz_die("setup", err);
}

/* s with the placeholders replaced; -1 if it does not fit n bytes */
static int expand(const char *s, char *out, size_t n)
{
	size_t o = 0;
	while (*s) {
		const char *t = strncmp(s, "@T@", 3) == 0 ? tok_w : strncmp(s, "@R@", 3) == 0 ? tok_r
		              : strncmp(s, "@X@", 3) == 0 ? tok_x : NULL;
		size_t l = t ? strlen(t) : 1;
		if (o + l >= n)
			return -1;
		memcpy(out + o, t ? t : s, l);
		o += l;
		s += t ? 3 : 1;
	}
	out[o] = '\0';
	return 0;
}

/* What Basic's credentials should give, from libsodium's decoder: 0
 * with the expected return value, user and token; -1 if libsodium does
 * not decode it (then only the shape is checked). */
static int basic_model(const char *b64, int *want, char *user, char *tok)
{
	unsigned char dec[1024];
	size_t n;
	/* libsodium 1.0.18 decodes some bytes above 0x7f as if they were
	 * base64 characters: only the alphabet goes to it */
	if (strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != strlen(b64) ||
	    sodium_base642bin(dec, sizeof dec - 1, b64, strlen(b64), NULL, &n, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 || n == 0)
		return -1;
	dec[n] = '\0';
	char *colon = strchr((char *)dec, ':');
	*want = -1;
	user[0] = tok[0] = '\0';
	if (strlen((char *)dec) != n || colon == NULL)
		return 0;
	*colon = '\0';
	const char *pw = colon + 1;
	if (*pw && strcmp(pw, "x-oauth-basic") != 0) {
		strcpy(user, (char *)dec);
		strcpy(tok, pw);
	} else {
		strcpy(tok, (char *)dec);
	}
	*want = tok[0] && strlen(tok) < TOKSZ && strlen(user) < USERSZ ? 1 : -1;
	return 0;
}

static void check_parse(const struct request *rq, int r, const char *tok, const char *user)
{
	char mu[1024], mt[1024];
	int want;
	CHECK(r >= -1 && r <= 1, "auth_request_token returned something else", tok);
	CHECK((r == 0) == (!rq->authorization[0] && !rq->private_token[0]), "0 is not 'no credentials'", tok);
	if (r == 1)
		CHECK(tok[0] != '\0' && strchr(user, ':') == NULL, "a token found is empty, or a user-id holds ':'", tok);
	if (rq->private_token[0]) {
		CHECK(r == 1 && strcmp(tok, rq->private_token) == 0 && !user[0], "Private-Token is not taken whole", tok);
		return;
	}
	const char *a = rq->authorization, *sp = strchr(a, ' ');
	if (sp == NULL)
		return;
	size_t sl = (size_t)(sp - a);
	while (*sp == ' ')
		sp++;
	if ((sl == 5 && strncasecmp(a, "token", 5) == 0) || (sl == 6 && strncasecmp(a, "bearer", 6) == 0))
		CHECK(*sp && strlen(sp) < TOKSZ ? r == 1 && strcmp(tok, sp) == 0 : r == -1,
		      "token or Bearer does not give the token", a);
	else if (sl == 5 && strncasecmp(a, "basic", 5) == 0 && basic_model(sp, &want, mu, mt) == 0)
		CHECK(r == want && (r != 1 || (strcmp(tok, mt) == 0 && strcmp(user, mu) == 0)),
		      "Basic does not give what libsodium decodes", a);
}

static void check_identify(const struct request *rq, int r, const char *tok, const char *user)
{
	struct principal p;
	char err[MSG_MAX], lower[256];
	int st2 = auth_identify(&st, rq, now, &p, err, sizeof err);
	CHECK(st2 == 200 || st2 == 401, "auth_identify answered neither 200 nor 401", err);
	CHECK(st2 != 401 || (err[0] && !fuzz_has_ctl(err)), "a 401 reason missing or not one line", err);
	size_t i;
	for (i = 0; user[i] && i < sizeof lower - 1; i++)
		lower[i] = (char)tolower((unsigned char)user[i]);
	lower[i] = '\0';
	int known = r == 1 && (strcmp(tok, tok_w) == 0 || strcmp(tok, tok_r) == 0) &&
	            (!user[0] || strcmp(lower, "alice") == 0);
	if (r == 0)
		CHECK(st2 == 200 && !p.presented && !p.user[0], "no credentials, yet not anonymous", "");
	else if (known)
		CHECK(st2 == 200 && p.presented && strcmp(p.user, "alice") == 0 &&
		      p.scope == (strcmp(tok, tok_w) == 0 ? (ACCESS_READ | ACCESS_WRITE) : ACCESS_READ),
		      "one of alice's tokens is not alice with its scope", tok);
	else
		CHECK(st2 == 401 && p.presented, "credentials that are not a valid token were accepted", tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct request rq;
	char *l[2], *copy, a[2048], tok[TOKSZ], user[USERSZ];
	int n;

	if (root[0] == '\0')
		setup();
	if (size > 4096 || (n = fuzz_lines(data, size, l, 2, &copy)) < 0)
		return 0;
	memset(&rq, 0, sizeof rq);
	/* what does not fit is refused with 431 before credentials are read */
	if (expand(l[0], a, sizeof a) != 0 || (n > 1 && expand(l[1], rq.private_token, sizeof rq.private_token) != 0)) {
		free(copy);
		return 0;
	}
	free(copy);
	if (strncmp(a, "Basic64 ", 8) == 0) {
		size_t len = strlen(a + 8);
		if (sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL) + 6 > sizeof rq.authorization)
			return 0;
		memcpy(rq.authorization, "Basic ", 6);
		sodium_bin2base64(rq.authorization + 6, sizeof rq.authorization - 6, (const unsigned char *)a + 8, len,
		                  sodium_base64_VARIANT_ORIGINAL);
	} else if (strlen(a) < sizeof rq.authorization) {
		strcpy(rq.authorization, a);
	} else {
		return 0;
	}
	int r = auth_request_token(&rq, tok, sizeof tok, user, sizeof user);
	check_parse(&rq, r, tok, user);
	check_identify(&rq, r, tok, user);
	return 0;
}
