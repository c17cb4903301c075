/*
 * trust.h - the public keys a verifier trusts, as it sees them.
 *
 * The root key (the city bureau) signs a trust list naming the issuing
 * keys, each with its validity period.  Offline verifiers pin the root's
 * public key and accept a credential only when its key id is on a trust
 * list the pinned root signed, and its signed issue time lies within that
 * key's period.  A key id is the first 8 bytes of SHA-256 of the public key.
 */
#ifndef OPCERT_TRUST_H
#define OPCERT_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define KID_LEN            8
#define TRUST_MAX_KEYS     64
#define TRUST_MAX_ISSUERS  64
#define TRUST_PK_MAX       65           /* Ed25519: 32; SM2 uncompressed point: 65 */
#define TRUST_SIG_MAX      64           /* Ed25519 signature bytes */
#define TRUST_LIST_MAX     (256 * 1024) /* bytes of a signed trust list file */
#define TRUST_LOG_NAME_MAX 128          /* the log key's name, NUL included */

enum sig_alg {
	ALG_NONE = 0,
	ALG_ED25519 = 1, /* COSE alg -8 (EdDSA) */
	ALG_SM2 = 2,     /* SM2 with SM3, issuing keys only: COSE alg -65537 (cose.h) */
};

struct trust_key {
	uint8_t kid[KID_LEN];
	enum sig_alg alg;
	uint8_t pk[TRUST_PK_MAX];
	size_t pk_len;
	int64_t not_before; /* unix seconds */
	int64_t not_after;  /* unix seconds; 0 = still current */
};

/* A short issuer code carried in credentials and the name it stands for. */
struct trust_issuer {
	char code[16];
	char name[256];
};

struct trust_list {
	int64_t issued_at; /* unix seconds */
	uint8_t root_kid[KID_LEN];
	uint8_t root_pk[32];
	struct trust_key keys[TRUST_MAX_KEYS];
	size_t nkeys;
	struct trust_issuer issuers[TRUST_MAX_ISSUERS];
	size_t nissuers;
	/* The key that signs transparency-log checkpoints (its period is unused). */
	struct trust_key log_key;
	char log_name[TRUST_LOG_NAME_MAX]; /* its C2SP signed-note key name */
};

/* First 8 bytes of SHA-256 of pk. */
void trust_kid(const uint8_t *pk, size_t pk_len, uint8_t kid[KID_LEN]);
/* The key with this id, or NULL. */
const struct trust_key *trust_find(const struct trust_list *tl, const uint8_t kid[KID_LEN]);
/* The issuer name for code, or NULL. */
const char *trust_issuer_name(const struct trust_list *tl, const char *code);
/* Lowercase hex of a key id into out (2 * KID_LEN + 1 bytes). */
char *trust_kid_hex(const uint8_t kid[KID_LEN], char *out);

/*
 * 1 when t lies within k's period: not_before <= t and (not_after == 0 or
 * t <= not_after; the end is inclusive, so a rotation in the same second
 * as a signature leaves that signature valid), else 0.
 */
int trust_key_valid_at(const struct trust_key *k, int64_t t);
/* 1 when name is usable as a C2SP signed-note key name here: 1..127 bytes of printable ASCII
 * other than space and '+'. */
int trust_log_name_ok(const char *name);

/*
 * The signed trust list (format in docs/CREDENTIAL.md):
 *   {"payload": B64URL(inner JSON), "kid": ROOT-KID-HEX, "alg": "Ed25519",
 *    "signature": B64URL(Ed25519 over the payload's decoded bytes)}
 * with the inner JSON
 *   {"version": 1, "issued_at": S, "root": {"kid", "alg", "pk"},
 *    "log_key": {"kid", "alg", "pk", "name"},
 *    "keys": [{"kid", "alg", "pk", "not_before", "not_after" (S or null)}],
 *    "issuers": [{"code", "name"}]}
 * base64url without padding, key ids in lowercase hex, times in unix seconds.
 * "alg" is "Ed25519" (32-byte pk) everywhere but an issuing key, which may
 * be "SM2" (pk: the 65-byte uncompressed point, sm2.h).
 */
/* The inner JSON of tl, compact: malloc'd, NUL-terminated, its length in *len; NULL on error. */
char *trust_payload_json(const struct trust_list *tl, size_t *len, struct err *e);
/* The signed file around a payload and the root's signature over it: malloc'd, NUL-terminated. */
char *trust_envelope_json(const char *payload, size_t len, const uint8_t root_kid[KID_LEN],
                          const uint8_t sig[TRUST_SIG_MAX], struct err *e);
/*
 * Parse and verify a signed trust list (text, len) into *out.  With a
 * pinned root public key (32 bytes) the envelope's kid must be that key's,
 * the signature must verify against it and the embedded root must equal it;
 * *pinned is set to 1.  With pinned_root NULL the embedded root is used and
 * *pinned is set to 0: the caller must say the list was not checked against
 * a pinned key.  Nothing of the payload is interpreted before the signature
 * has verified, but for the embedded root key in the unpinned case.  Input
 * errors for anything malformed, oversize (> TRUST_LIST_MAX), of an unknown
 * algorithm, with duplicate key ids or a signature that does not verify.
 */
int trust_parse(const char *text, size_t len, const uint8_t *pinned_root, struct trust_list *out,
                int *pinned, struct err *e);

#endif
