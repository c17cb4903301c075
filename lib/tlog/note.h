/*
 * note.h - signed notes in the C2SP signed-note format (https://c2sp.org/signed-note),
 * the envelope of the transparency log's checkpoints, with Ed25519 keys.
 *
 * A signed note is a body, a blank line and one or more signature lines:
 *
 *     <body line>\n ... <body line>\n
 *     \n
 *     — <key name> <base64(4-byte key hash || signature)>\n
 *
 * The dash is U+2014 EM DASH followed by one space.  The signature is
 * Ed25519 over the body bytes exactly (every line with its newline, not the
 * blank separator line).  The key hash of an Ed25519 key is the first 4
 * bytes, read big-endian, of SHA-256(key name || "\n" || 0x01 || public key).
 * A verifier key string, which auditors pin, is
 * "<name>+<8 hex digits of key hash>+<base64(0x01 || public key)>".
 *
 * What this implementation accepts (stricter than the format allows):
 * - a whole note of at most NOTE_MAX bytes, valid UTF-8, with no ASCII
 *   control character other than "\n";
 * - a body of at least one line, each non-empty and ending in "\n" (a body
 *   never contains a blank line, so the first blank line ends it);
 * - at least one and at most NOTE_MAX_SIGS signature lines, each exactly
 *   "— NAME BASE64\n" with a valid key name and strict base64 (padded, no
 *   stray bits) of at least 5 bytes; no blank or other line after them.
 * Signatures by other keys (other names, or the same name with another key
 * hash) are skipped: witnesses may cosign.  A line that names the pinned
 * key's name and hash must carry a 64-byte signature that verifies; the
 * same key signing twice is refused.
 *
 * Key names: 1..NOTE_NAME_MAX bytes of UTF-8 with no Unicode space, no
 * control character and no "+".  Names are C strings (they come from the
 * program's configuration); everything parsed from outside is
 * (pointer, length) and never needs a NUL.
 *
 * Functions follow err.h (0 / -1); every rejection is ERR_INPUT.
 */
#ifndef OPCERT_NOTE_H
#define OPCERT_NOTE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define NOTE_MAX         4096 /* bytes in a whole signed note */
#define NOTE_MAX_SIGS    100  /* signature lines in a note */
#define NOTE_NAME_MAX    255  /* bytes in a key name */
#define NOTE_PK_LEN      32   /* Ed25519 public key */
#define NOTE_SK_LEN      64   /* libsodium Ed25519 secret key: seed || public key */
#define NOTE_SIG_LEN     64   /* Ed25519 signature */
#define NOTE_ALG_ED25519 1    /* signature type byte of Ed25519 keys */
/* Longest verifier key string, without its NUL. */
#define NOTE_VKEY_MAX (NOTE_NAME_MAX + 1 + 8 + 1 + 44)

/* A key a note is checked against: what a verifier key string holds. */
struct note_verifier {
	char name[NOTE_NAME_MAX + 1];
	size_t name_len;
	uint32_t hash;
	uint8_t pk[NOTE_PK_LEN];
};

/* 1 when name[0..len) is a valid key name, else 0. */
int note_name_valid(const char *name, size_t len);

/* The C2SP key hash of an Ed25519 key: SHA-256(name || "\n" || 0x01 || pk)[0..4), big-endian. */
uint32_t note_key_hash(const char *name, size_t name_len, const uint8_t pk[NOTE_PK_LEN]);

/* Fill v from a key name (C string) and an Ed25519 public key. */
int note_verifier_init(struct note_verifier *v, const char *name, const uint8_t pk[NOTE_PK_LEN],
                       struct err *e);

/*
 * Write v's verifier key string "<name>+<hash hex>+<base64(0x01||pk)>" into
 * out with a NUL; returns its length.  The hex is lowercase.
 */
size_t note_vkey_format(const struct note_verifier *v, char out[NOTE_VKEY_MAX + 1]);

/*
 * Parse a verifier key string (exactly; no surrounding white space).  The
 * hash may be upper- or lowercase hex and must match the name and key.  v
 * is written only on success.
 */
int note_vkey_parse(const char *s, size_t len, struct note_verifier *v, struct err *e);

/*
 * Sign body[0..body_len) (non-empty lines, each ending in "\n") with the
 * Ed25519 secret key sk under key_name, writing the whole note with a NUL
 * into out (cap bytes; NOTE_MAX + 1 always suffices) and its length, without
 * the NUL, into *out_len.  The public key is taken from sk (libsodium's
 * layout: seed || public key).  sk is neither copied nor kept.
 */
int note_sign(const char *body, size_t body_len, const char *key_name,
              const uint8_t sk[NOTE_SK_LEN], char *out, size_t cap, size_t *out_len, struct err *e);

/*
 * The same with the signature made elsewhere: sign(ctx, ...) writes the
 * Ed25519 signature of msg[0..len) by the key whose public half is pk into
 * sig (returns 0, or -1 after filling e).  The key store signs checkpoints
 * this way, through its signer (keys.h), so the log key stays in keys.c.
 */
typedef int (*note_sign_fn)(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[NOTE_SIG_LEN],
                            struct err *e);
int note_sign_with(const char *body, size_t body_len, const char *key_name,
                   const uint8_t pk[NOTE_PK_LEN], note_sign_fn sign, void *ctx, char *out,
                   size_t cap, size_t *out_len, struct err *e);

/*
 * Check text[0..len) as a signed note (every rule above) carrying a valid
 * signature by v.  On success *body_len is the length of the body, which
 * starts at text and ends with its last "\n".  Error lines (e->line) count
 * the note's lines from 1.
 */
int note_open(const char *text, size_t len, const struct note_verifier *v, size_t *body_len,
              struct err *e);

#endif
