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

#define KID_LEN 8
#define TRUST_MAX_KEYS 64
#define TRUST_MAX_ISSUERS 64
#define TRUST_PK_MAX 65 /* Ed25519: 32; SM2 uncompressed point: 65 */

enum sig_alg {
	ALG_NONE = 0,
	ALG_ED25519 = 1, /* COSE alg -8 (EdDSA) */
	ALG_SM2 = 2,     /* SM2 with SM3 (optional) */
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
};

/* First 8 bytes of SHA-256 of pk. */
void trust_kid(const uint8_t *pk, size_t pk_len, uint8_t kid[KID_LEN]);
/* The key with this id, or NULL. */
const struct trust_key *trust_find(const struct trust_list *tl, const uint8_t kid[KID_LEN]);
/* The issuer name for code, or NULL. */
const char *trust_issuer_name(const struct trust_list *tl, const char *code);
/* Lowercase hex of a key id into out (2 * KID_LEN + 1 bytes). */
char *trust_kid_hex(const uint8_t kid[KID_LEN], char *out);

#endif
