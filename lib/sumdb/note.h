/* Signed notes and their Ed25519 keys, as golang.org/x/mod/sumdb/note
 * defines them: the checksum database signs its tree heads with them.
 *
 *   verifier key  NAME+HASH+base64(0x01 || 32-byte public key)
 *   signer key    PRIVATE+KEY+NAME+HASH+base64(0x01 || 32-byte seed)
 *   HASH          8 lowercase hex digits: the first 4 bytes (big-endian)
 *                 of SHA-256(NAME || "\n" || 0x01 || public key)
 *   signed note   TEXT "\n" then lines "— NAME base64(HASH4 || sig)\n"
 *                 (U+2014, a space), sig = Ed25519 over TEXT
 *
 * TEXT is valid UTF-8 without control characters but '\n' and ends in
 * '\n'.  The functions return NULL, or why not in a short phrase. */
#ifndef GOREG_NOTE_H
#define GOREG_NOTE_H
#include <stddef.h>
#include <stdint.h>

/* note.isValidName accepts more (anything without a space or '+'); the
 * names goreg makes are also one URL path segment and a host-like word. */
#define NOTE_NAME_MAX 128
/* The longest key line: PRIVATE+KEY+ NAME + 8 hex + 44 base64 + 3 '+' */
#define NOTE_KEY_MAX (12 + NOTE_NAME_MAX + 8 + 44 + 8)

struct note_key {
	char name[NOTE_NAME_MAX + 1];
	uint32_t hash;
	unsigned char pub[32];
	unsigned char sk[64];           /* libsodium's secret key (seed || pub); signers only */
	int signer;
};

/* Is name one goreg may give a database: [A-Za-z0-9._-], not empty, not
 * "." or "..", at most NOTE_NAME_MAX bytes. */
const char *note_name_check(const char *name);
/* The key hash of a name and an (0x01 || public key). */
uint32_t note_key_hash(const char *name, size_t namelen, const unsigned char key33[33]);
/* Parse a verifier key line (note.NewVerifier's rules). */
const char *note_verifier_parse(const char *vkey, struct note_key *k);
/* Parse a signer key line (note.NewSigner's rules). */
const char *note_signer_parse(const char *skey, struct note_key *k);
/* A new key pair for name: both lines (note.GenerateKey).  0, or -1. */
int note_generate(const char *name, char skey[NOTE_KEY_MAX + 1], char vkey[NOTE_KEY_MAX + 1]);
/* The verifier key line of a parsed key. */
void note_verifier_format(const struct note_key *k, char vkey[NOTE_KEY_MAX + 1]);

struct buf;
/* Append the note text, signed by k, to out (note.Sign with one signer).
 * NULL, or why not (text malformed, out of memory). */
const char *note_sign(const struct note_key *k, const char *text, size_t len, struct buf *out);
/* Check msg is a note signed by k (other well-formed signatures are let
 * be, as note.Open lets unknown verifiers be; a malformed one of anyone
 * is refused, as there); *textlen is the text's length.  NULL if it is. */
const char *note_open(const char *msg, size_t len, const struct note_key *k, size_t *textlen);

#endif
