/*
 * cred.h - the signed credential: what the QR code on a certificate
 * carries, and how a verifier checks it offline.
 *
 * Pipeline: claims (deterministic CBOR map) -> COSE_Sign1 signed by an
 * issuing key (kid = its key id) -> zlib -> Base45 -> "OC1:" prefix.
 * Printed as the URL https://HOST/v#OC1:... so a phone camera opens the
 * genuine verifier.  The format is written down in docs/CREDENTIAL.md.
 *
 * Verifying never interprets a field of the payload before its signature
 * has verified against a key of the trust list.
 */
#ifndef OPCERT_CRED_H
#define OPCERT_CRED_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "err.h"
#include "trust.h"

struct keys_signer;

#define CRED_PREFIX      "OC1:"
#define CRED_VERSION     1
#define CRED_TEXT_MAX    4096  /* payload text, prefix included */
#define CRED_COSE_MAX    4096  /* inflated COSE bytes: the cap against zip bombs */
#define CRED_SCAN_MAX    16384 /* whatever a scanner read (a URL, percent-encoded) */
#define CRED_HOST_MAX    255   /* host[:port] */
#define CRED_SALT_LEN    16
#define CRED_HASH_LEN    16
#define CRED_NAME_SIZE   CERT_NAME_SIZE
#define CRED_TRADE_SIZE  8
#define CRED_ISSUER_SIZE 16

/* The signed fields.  Strings are UTF-8 and NUL-terminated. */
struct cred_claims {
	int version;                        /* 0: CRED_VERSION */
	char number[CERTNO_SIZE];           /* 1: as printed; T numbers masked (certno_mask) */
	char name[CRED_NAME_SIZE];          /* 2 */
	enum gender gender;                 /* 3: GENDER_MALE or GENDER_FEMALE */
	char id_masked[IDNUM_SIZE];         /* 4: idnum_mask of the holder's ID number */
	uint8_t id_salt[CRED_SALT_LEN];     /* 5: random per credential */
	uint8_t id_hash[CRED_HASH_LEN];     /* 6: SHA-256(salt || 18-char ID)[0..15] */
	char trade[CRED_TRADE_SIZE];        /* 7: canonical trade code */
	int32_t issued_on;                  /* 8: day number */
	int32_t valid_until;                /* 9: day number */
	int32_t review_due;                 /* 10: day number; DATE_NONE = not encoded */
	char issuer_code[CRED_ISSUER_SIZE]; /* 11: short issuer code, e.g. "I1" */
	int has_photo;                      /* 12 is encoded only when set */
	uint8_t photo_hash[CRED_HASH_LEN];  /* 12: cred_photo_hash of the photo file */
	uint32_t status_index;              /* 13: index in the revocation status list */
	int64_t iat;                        /* 14: signed issue time, unix seconds, >= 0 */
};

/* Empty claims: version 1, review_due DATE_NONE, no photo. */
void cred_claims_init(struct cred_claims *c);

/*
 * Set id_masked, id_salt and id_hash from the holder's ID number (id,
 * normalised by idnum_check; it must have 18 characters).  salt NULL draws
 * a random salt.  Returns 0, or -1 (ERR_INPUT) when id is no ID number.
 */
int cred_set_id(struct cred_claims *c, const char *id, const uint8_t salt[CRED_SALT_LEN],
                struct err *err);

/*
 * Claims for a register record: the number (masked when it is a T number,
 * which embeds the ID), name, gender (from the ID number when the record
 * has none), masked ID with a salted hash (salt NULL = random), trade and
 * dates, plus the issuer code, status-list index and issue time given.
 * No photo: set has_photo and photo_hash afterwards.  Returns 0 or -1.
 */
int cred_claims_from_cert(struct cred_claims *c, const struct cert *rec, const char *issuer_code,
                          uint32_t status_index, int64_t iat, const uint8_t salt[CRED_SALT_LEN],
                          struct err *err);

/* Photo hash: the first 16 bytes of SHA-256 of the image file as stored. */
void cred_photo_hash(const uint8_t *data, size_t len, uint8_t out[CRED_HASH_LEN]);

/*
 * 1 when the ID number an inspector reads off the ID card shown (len
 * bytes; spaces and lowercase x tolerated) is the one the credential was
 * issued to, else 0.  Only meaningful on claims from a verified credential.
 */
int cred_id_matches(const struct cred_claims *c, const char *id_text, size_t len);

/*
 * The claims as deterministic CBOR into a malloc'd *out (what gets
 * signed).  Returns 0, or -1 when a field is out of range (ERR_INPUT).
 */
int cred_claims_encode(const struct cred_claims *c, uint8_t **out, size_t *out_len,
                       struct err *err);

/*
 * Sign claims with an issuing key's signer (keys.h) and write the payload
 * "OC1:..." into a malloc'd *out: COSE alg and key id are the signer's
 * key's.  Returns 0 or -1.  This is how the register issues.
 */
int cred_sign(const struct cred_claims *c, struct keys_signer *s, char **out, struct err *err);

/*
 * The same with a secret key in the caller's memory, for fixed test keys
 * and known-answer vectors: sk of algorithm alg (ALG_ED25519: 64 bytes,
 * libsodium form; ALG_SM2: the 32-byte scalar, sm2.h) whose key id is kid
 * (checked against sk's public half).
 */
int cred_encode(const struct cred_claims *c, enum sig_alg alg, const uint8_t kid[KID_LEN],
                const uint8_t *sk, char **out, struct err *err);

/* The transport steps alone: COSE bytes -> zlib -> Base45 -> "OC1:...". */
int cred_wrap_cose(const uint8_t *cose, size_t len, char **out, struct err *err);

enum cred_result {
	CRED_OK = 0,
	CRED_MALFORMED,       /* not OC1, bad Base45/zlib/COSE, over a cap, bad claims */
	CRED_UNKNOWN_KEY,     /* kid not in the trust list */
	CRED_BAD_SIGNATURE,   /* signature does not verify under the named key */
	CRED_KEY_NOT_CURRENT, /* signed issue time outside the key's period */
	CRED_UNSUPPORTED_ALG, /* an algorithm this verifier cannot check (neither EdDSA nor SM2) */
};

/* "ok", "malformed", "unknown_key", "bad_signature", "key_not_current",
 * "unsupported_alg". */
const char *cred_result_code(enum cred_result r);
/* The same in Chinese, for messages. */
const char *cred_result_label(enum cred_result r);

struct cred_check {
	enum cred_result result;
	char reason[160]; /* what failed, in Chinese; "" when OK */
	int have_kid;     /* the header could be read */
	uint8_t kid[KID_LEN];
	int64_t alg_id;              /* COSE alg from the header */
	const struct trust_key *key; /* the trust-list key named by kid, or NULL */
	int have_iat;                /* the signature verified and the claims parsed */
	int64_t iat;
	int have_claims; /* set only when result == CRED_OK */
	struct cred_claims claims;
};

/*
 * Verify a payload (len bytes, "OC1:" prefix optional, trimmed by
 * text_trim's rule (text.h), at most CRED_TEXT_MAX characters) against tl.
 * Returns 0 with out->result set (every forgery is a result, not an
 * error), or -1 on a system failure (out of memory).
 */
int cred_verify(const char *text, size_t len, const struct trust_list *tl, struct cred_check *out,
                struct err *err);

/* The same from the inflated COSE bytes (at most CRED_COSE_MAX). */
int cred_verify_cose(const uint8_t *cose, size_t len, const struct trust_list *tl,
                     struct cred_check *out, struct err *err);

/* ---- the URL form -------------------------------------------------------- */

/*
 * 0 when host is a usable official host: "name[:port]" with a DNS name or
 * an IPv4 address (letters, digits, '-', '.'), port 1..65535.  Else -1
 * (ERR_INPUT).
 */
int cred_host_check(const char *host, struct err *err);

/* "https://" , or "http://" when host is localhost or 127.0.0.1 (any port). */
const char *cred_url_scheme(const char *host);

/*
 * "https://HOST/v#OC1:..." into a malloc'd *out: the host lowercased, the
 * payload with space written %20 and '%' written %25.  Returns 0 or -1.
 */
int cred_url(const char *official_host, const char *payload, char **out, struct err *err);

/* The two QR segments of the URL form. */
struct cred_qr_segments {
	char *prefix; /* byte mode: "https://HOST/v#" */
	char *rest;   /* alphanumeric mode: the payload, percent-encoded */
};
int cred_qr_segments(const char *official_host, const char *payload, struct cred_qr_segments *out,
                     struct err *err);
void cred_qr_segments_free(struct cred_qr_segments *s);

/* Data bits of a byte segment of prefix_len bytes followed by an
 * alphanumeric segment of rest_len characters in a QR code of version v. */
size_t cred_qr_bits(size_t prefix_len, size_t rest_len, int version);
/* The smallest QR version (1..40) holding them at error correction level
 * M, or 0 when none does. */
int cred_qr_version_m(size_t prefix_len, size_t rest_len);

enum cred_link_kind {
	CRED_LINK_PAYLOAD = 0, /* a bare payload (or text that is no URL) */
	CRED_LINK_OFFICIAL,    /* the official verifier's URL: payload decoded */
	CRED_LINK_UNOFFICIAL,  /* any other URL: not decoded at all */
};

struct cred_link {
	enum cred_link_kind kind;
	/* PAYLOAD and OFFICIAL: the payload text, NUL-terminated; longer than
	 * CRED_TEXT_MAX is cut at CRED_TEXT_MAX + 1 (which cred_verify refuses) */
	char payload[CRED_TEXT_MAX + 2];
	size_t payload_len;
	/* UNOFFICIAL: the host[:port] the URL leads to (after any userinfo),
	 * control and non-ASCII bytes written '?', "" when it has none */
	char host[CRED_HOST_MAX + 1];
};

/*
 * Classify what a scanner read (len bytes; trimmed by text_trim's rule)
 * against the official host: a URL is official only when its scheme is
 * cred_url_scheme(official_host), it has no userinfo, its host[:port] is
 * official_host (case-insensitively) and its path is exactly "/v" followed
 * by the fragment.  Returns 0, or -1 (ERR_INPUT) when official_host is
 * unusable or the text is longer than CRED_SCAN_MAX.
 */
int cred_link_classify(const char *scanned, size_t len, const char *official_host,
                       struct cred_link *out, struct err *err);

#endif
