/*
 * cose.h - COSE_Sign1 (RFC 9052) messages: the signed envelope of a
 * credential.
 *
 * A message is tag 18 (the byte 0xD2) followed by the array
 * [protected, unprotected, payload, signature] where protected is a byte
 * string holding the deterministic CBOR map {1: alg, 4: kid}, unprotected
 * is {}, and the signature covers the Sig_structure
 * ["Signature1", protected, h'', payload].  The decoder returns the
 * payload as opaque bytes: nothing in it is looked at here, and callers
 * must not look at it before the signature has verified.
 */
#ifndef OPCERT_COSE_H
#define OPCERT_COSE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "trust.h"

#define COSE_ALG_EDDSA (-8) /* EdDSA (Ed25519 here) */
/* SM2 with SM3, default ID, signature r || s (sm2.h).  COSE has no IANA
 * value for it: this project's own, from the private-use range (< -65536). */
#define COSE_ALG_SM2   (-65537)
#define COSE_TAG_SIGN1 0xD2 /* tag 18 in one byte */

#define COSE_MSG_MAX     8192 /* largest message the decoder accepts */
#define COSE_HDR_MAX     64   /* largest protected header */
#define COSE_SIG_MAX     132  /* largest signature of any algorithm */
#define COSE_PAYLOAD_MAX 4096 /* largest payload either way */

/*
 * Produces the signature over tbs (the Sig_structure): writes at most
 * COSE_SIG_MAX bytes to sig and their number to *sig_len.  Returns 0, or
 * -1 after filling err.
 */
typedef int (*cose_sign_fn)(void *ctx, const uint8_t *tbs, size_t tbs_len, uint8_t *sig,
                            size_t *sig_len, struct err *err);

/*
 * Build a tagged COSE_Sign1 message with protected header {1: alg, 4: kid}
 * over payload (1..COSE_PAYLOAD_MAX bytes), signing through sign(ctx, ...).
 * *out is malloc'd; the caller frees it.  Returns 0 or -1.
 */
int cose_sign1_encode(int64_t alg, const uint8_t kid[KID_LEN], const uint8_t *payload,
                      size_t payload_len, cose_sign_fn sign, void *ctx, uint8_t **out,
                      size_t *out_len, struct err *err);

/* The same with EdDSA and a 64-byte libsodium Ed25519 secret key. */
int cose_sign1_encode_ed25519(const uint8_t kid[KID_LEN], const uint8_t sk[64],
                              const uint8_t *payload, size_t payload_len, uint8_t **out,
                              size_t *out_len, struct err *err);

/* The same with SM2 and its 32-byte private scalar (sm2.h). */
int cose_sign1_encode_sm2(const uint8_t kid[KID_LEN], const uint8_t sk[32], const uint8_t *payload,
                          size_t payload_len, uint8_t **out, size_t *out_len, struct err *err);

/* A decoded message.  Every pointer points into one allocation owned by
 * the struct; cose_sign1_free() releases it. */
struct cose_sign1 {
	int64_t alg;                  /* header 1 */
	uint8_t kid[KID_LEN];         /* header 4 */
	const uint8_t *protected_hdr; /* the protected header bytes as sent */
	size_t protected_len;
	const uint8_t *payload; /* opaque until the signature verified */
	size_t payload_len;
	const uint8_t *signature;
	size_t signature_len;
	const uint8_t *tbs; /* the Sig_structure: what the signature covers */
	size_t tbs_len;
	uint8_t *mem_; /* the allocation */
};

/*
 * Parse msg (at most COSE_MSG_MAX bytes): tag 18 or an untagged array,
 * definite lengths and shortest-form heads only, no trailing bytes, a
 * protected header with alg and an 8-byte kid, no critical headers (none
 * is understood), alg and kid only in the protected bucket, an embedded
 * payload and a signature of 1..COSE_SIG_MAX bytes.  Returns 0 and fills
 * out, or -1 (ERR_INPUT: not such a message; ERR_SYSTEM: out of memory),
 * leaving out empty.
 */
int cose_sign1_decode(const uint8_t *msg, size_t len, struct cose_sign1 *out, struct err *err);
void cose_sign1_free(struct cose_sign1 *m);

/* 1 when m is EdDSA and its signature verifies under the 32-byte Ed25519
 * public key pk, else 0. */
int cose_sign1_verify_ed25519(const struct cose_sign1 *m, const uint8_t pk[32]);
/* 1 when m is COSE_ALG_SM2 and its 64-byte signature verifies under the
 * SM2 public key pk (the 65-byte uncompressed point), else 0. */
int cose_sign1_verify_sm2(const struct cose_sign1 *m, const uint8_t *pk, size_t pk_len);

/*
 * The Sig_structure ["Signature1", protected, h'', payload], encoded
 * deterministically into a malloc'd *out.  Returns 0 or -1.
 */
int cose_sig_structure(const uint8_t *protected_hdr, size_t protected_len, const uint8_t *payload,
                       size_t payload_len, uint8_t **out, size_t *out_len, struct err *err);

/*
 * The bounded pre-check every CBOR input passes before libcbor sees it:
 * exactly one data item filling all n bytes, built only of integers, byte
 * and text strings, arrays and maps (no tags, floats or simple values),
 * with definite lengths, shortest-form heads, lengths that fit in what
 * remains of the input and nesting no deeper than max_depth containers.
 * Returns 0 when p passes, -1 when it does not.
 */
int cose_cbor_check(const uint8_t *p, size_t n, unsigned max_depth);

#endif
