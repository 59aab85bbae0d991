/* Signed notes (golang.org/x/mod/sumdb/note: NewVerifier, NewSigner,
 * GenerateKey, Sign, Open), with libsodium's Ed25519 and SHA-256. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "base/util.h"
#include "base/utf8.h"
#include "sumdb/note.h"

#define ALG_ED25519 1
/* "— " : U+2014 EM DASH and a space, the start of a signature line */
static const char sig_prefix[] = "\xe2\x80\x94 ";

const char *note_name_check(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > NOTE_NAME_MAX)
		return "a name of 1 to 128 characters";
	if (strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		return "a name of letters, digits, '.', '_' and '-' only";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "a name other than . and ..";
	return NULL;
}

uint32_t note_key_hash(const char *name, size_t namelen, const unsigned char key33[33])
{
	crypto_hash_sha256_state h;
	unsigned char sum[32];
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const unsigned char *)name, namelen);
	crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_update(&h, key33, 33);
	crypto_hash_sha256_final(&h, sum);
	return (uint32_t)sum[0] << 24 | (uint32_t)sum[1] << 16 | (uint32_t)sum[2] << 8 | sum[3];
}

/* NAME+HASH+KEY33 at s: the name (note.isValidName: not empty, no space
 * and no '+'), the hash's 8 hex digits, base64 of 33 bytes whose first is
 * the algorithm. */
static const char *split_key(const char *s, struct note_key *k, unsigned char key33[33])
{
	const char *p1 = strchr(s, '+');
	const char *p2 = p1 ? strchr(p1 + 1, '+') : NULL;
	if (!p1 || !p2 || p1 == s)
		return "expected NAME+HASH+KEY";
	size_t nl = (size_t)(p1 - s);
	if (nl > NOTE_NAME_MAX)
		return "name too long";
	for (size_t i = 0; i < nl; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == 0x7f)
			return "a name with a space or control character";
	if (p2 - p1 - 1 != 8)
		return "the hash is not 8 hex digits";
	/* hex digits in either case, as note.NewVerifier's strconv.ParseUint
	 * (base 16) takes them */
	uint32_t hash = 0;
	for (const char *h = p1 + 1; h < p2; h++) {
		int c = *h | 0x20;
		int v = *h >= '0' && *h <= '9' ? *h - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (v < 0)
			return "the hash is not 8 hex digits";
		hash = hash << 4 | (uint32_t)v;
	}
	size_t rl;
	if (sodium_base642bin(key33, 33, p2 + 1, strlen(p2 + 1), NULL, &rl, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 || rl != 33)
		return "the key is not base64 of 33 bytes";
	if (key33[0] != ALG_ED25519)
		return "not an Ed25519 key (its first byte is not 1)";
	memcpy(k->name, s, nl);
	k->name[nl] = 0;
	k->hash = hash;
	return NULL;
}

const char *note_verifier_parse(const char *vkey, struct note_key *k)
{
	unsigned char key33[33];
	memset(k, 0, sizeof *k);
	const char *why = split_key(vkey, k, key33);
	if (why)
		return why;
	if (note_key_hash(k->name, strlen(k->name), key33) != k->hash)
		return "the hash does not match the name and key";
	memcpy(k->pub, key33 + 1, 32);
	return NULL;
}

const char *note_signer_parse(const char *skey, struct note_key *k)
{
	unsigned char seed33[33], pub33[33];
	memset(k, 0, sizeof *k);
	if (strncmp(skey, "PRIVATE+KEY+", 12) != 0)
		return "a signer key starts PRIVATE+KEY+";
	const char *why = split_key(skey + 12, k, seed33);
	if (why)
		return why;
	/* note.NewSigner: the hash is that of the public key the seed gives */
	crypto_sign_seed_keypair(pub33 + 1, k->sk, seed33 + 1);
	sodium_memzero(seed33, sizeof seed33);
	pub33[0] = ALG_ED25519;
	if (note_key_hash(k->name, strlen(k->name), pub33) != k->hash) {
		sodium_memzero(k->sk, sizeof k->sk);
		return "the hash does not match the name and key";
	}
	memcpy(k->pub, pub33 + 1, 32);
	k->signer = 1;
	return NULL;
}

static void format_key(const char *prefix, const char *name, uint32_t hash, const unsigned char key32[32],
                       char out[NOTE_KEY_MAX + 1])
{
	unsigned char key33[33];
	char b64[64];
	key33[0] = ALG_ED25519;
	memcpy(key33 + 1, key32, 32);
	sodium_bin2base64(b64, sizeof b64, key33, 33, sodium_base64_VARIANT_ORIGINAL);
	sodium_memzero(key33, sizeof key33);
	snprintf(out, NOTE_KEY_MAX + 1, "%s%s+%08x+%s", prefix, name, (unsigned)hash, b64);
	sodium_memzero(b64, sizeof b64);
}

void note_verifier_format(const struct note_key *k, char vkey[NOTE_KEY_MAX + 1])
{
	format_key("", k->name, k->hash, k->pub, vkey);
}

int note_generate(const char *name, char skey[NOTE_KEY_MAX + 1], char vkey[NOTE_KEY_MAX + 1])
{
	unsigned char pub33[33], sk[64];
	if (note_name_check(name) || sodium_init() < 0)
		return -1;
	crypto_sign_keypair(pub33 + 1, sk);
	pub33[0] = ALG_ED25519;
	uint32_t hash = note_key_hash(name, strlen(name), pub33);
	format_key("PRIVATE+KEY+", name, hash, sk, skey);     /* sk's first 32 bytes: the seed */
	format_key("", name, hash, pub33 + 1, vkey);
	sodium_memzero(sk, sizeof sk);
	return 0;
}

/* note.Open's and note.Sign's rule for the text: UTF-8 (Go's), no control
 * characters but '\n', and a final '\n'. */
static int text_ok(const char *s, size_t n)
{
	if (n == 0 || s[n - 1] != '\n' || !utf8_valid(s, n))
		return 0;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 && s[i] != '\n')
			return 0;
	return 1;
}

const char *note_sign(const struct note_key *k, const char *text, size_t len, struct buf *out)
{
	unsigned char sig[4 + crypto_sign_BYTES];
	char b64[sizeof sig * 4 / 3 + 4];
	if (!k->signer)
		return "not a signer key";
	if (!text_ok(text, len))
		return "malformed note text";
	sig[0] = k->hash >> 24, sig[1] = k->hash >> 16, sig[2] = k->hash >> 8, sig[3] = k->hash;
	crypto_sign_detached(sig + 4, NULL, (const unsigned char *)text, len, k->sk);
	sodium_bin2base64(b64, sizeof b64, sig, sizeof sig, sodium_base64_VARIANT_ORIGINAL);
	if (buf_add(out, text, len) < 0 || buf_printf(out, "\n%s%s %s\n", sig_prefix, k->name, b64) < 0)
		return "out of memory";
	return NULL;
}

/* note.isValidName: not empty, no '+', no unicode.IsSpace (the text is
 * UTF-8 already, with no control character but '\n') */
static int name_ok(const char *s, size_t n)
{
	static const uint32_t spaces[] = {0x85, 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000};
	size_t l;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i += l) {
		uint32_t r = utf8_decode((const unsigned char *)s + i, n - i, &l);
		if (r == ' ' || r == '+' || (r >= 0x2000 && r <= 0x200a))
			return 0;
		for (size_t j = 0; j < sizeof spaces / sizeof *spaces; j++)
			if (r == spaces[j])
				return 0;
	}
	return 1;
}

/* One signature line (without its '\n'), of any signer: note.Open's
 * syntax (a name, a space, base64 of at least 5 bytes); then is it k's,
 * and does it verify? */
static int sig_line(const char *line, size_t n, const char *text, size_t textlen, const struct note_key *k,
                    const char **why)
{
	size_t pl = sizeof sig_prefix - 1;
	if (n < pl || memcmp(line, sig_prefix, pl) != 0) {
		*why = "malformed note: a line after the text is no signature";
		return 0;
	}
	line += pl, n -= pl;
	const char *sp = memchr(line, ' ', n);
	size_t nl = sp ? (size_t)(sp - line) : n, bl = sp ? n - nl - 1 : 0, rl = 0;
	unsigned char *raw = bl ? malloc(bl) : NULL;
	if (!name_ok(line, nl) || !raw ||
	    sodium_base642bin(raw, bl, sp + 1, bl, NULL, &rl, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 || rl < 5) {
		free(raw);
		*why = "malformed note: a signature line is malformed";
		return 0;
	}
	uint32_t h = (uint32_t)raw[0] << 24 | (uint32_t)raw[1] << 16 | (uint32_t)raw[2] << 8 | raw[3];
	int mine = nl == strlen(k->name) && memcmp(line, k->name, nl) == 0 && h == k->hash;
	/* another signer's, or the same name with another key: let be */
	int good = mine && rl == 4 + crypto_sign_BYTES &&
	           crypto_sign_verify_detached(raw + 4, (const unsigned char *)text, textlen, k->pub) == 0;
	free(raw);
	if (mine && !good)
		*why = "the note's signature does not verify";
	return good;
}

const char *note_open(const char *msg, size_t len, const struct note_key *k, size_t *textlen)
{
	/* the text ends at the last "\n\n"; the signatures follow, each a line */
	size_t split = 0;
	int found = 0;
	for (size_t i = len; i >= 2; i--)
		if (msg[i - 2] == '\n' && msg[i - 1] == '\n') {
			split = i - 1;
			found = 1;
			break;
		}
	if (!found || !utf8_valid(msg, len) || msg[len - 1] != '\n')
		return "malformed note";
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)msg[i] < 0x20 && msg[i] != '\n')
			return "malformed note";
	const char *why = NULL;
	int ok = 0, count = 0;
	for (size_t i = split + 1; i < len;) {
		const char *nlp = memchr(msg + i, '\n', len - i);
		size_t n = (size_t)(nlp - (msg + i));
		if (++count > 100)
			return "malformed note: too many signatures";
		ok |= sig_line(msg + i, n, msg, split, k, &why);
		if (why)
			return why;
		i += n + 1;
	}
	if (!ok)
		return "the note is not signed by the key";
	*textlen = split;
	return NULL;
}
