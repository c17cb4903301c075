/*
 * statuslist.h - the signed revocation status list.
 *
 * Two bits per entry (0 valid, 1 suspended, 2 revoked), one entry per
 * credential at a random, unguessable slot chosen when its first
 * credential is issued.  The list has at least 131,072 entries and at
 * least twice as many as there are credentials, so a verifier who fetches
 * it learns nothing about which certificate it is checking (herd privacy,
 * as the W3C Bitstring Status List).  Entry i is bits 2*(i%4)..2*(i%4)+1
 * of byte i/4 (least significant first).
 *
 * Signed form (JSON, the same envelope as the trust list):
 *   {"payload": base64url(JSON), "kid": hex, "alg": "Ed25519" | "SM2",
 *    "signature": base64url(the signature over the decoded payload bytes:
 *    Ed25519, or SM2 with SM3 as r || s, sm2.h)}
 * with payload {"version": 1, "type": "opcert-status", "issued_at": unix
 * seconds, "size": entries, "bits": base64url(zlib(bitstring))}.
 * It is signed by an issuing key on the trust list.
 */
#ifndef OPCERT_STATUSLIST_H
#define OPCERT_STATUSLIST_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "err.h"
#include "trust.h"

struct keys_signer;

#define STATUSLIST_MIN_ENTRIES 131072u
#define STATUSLIST_MAX_ENTRIES (1u << 26)

struct statuslist {
	uint8_t *bits;
	uint32_t size; /* entries */
	int64_t issued_at;
	uint8_t kid[KID_LEN]; /* the key that signed it (parsed lists) */
};

/* Entries a list needs for this many credentials. */
uint32_t statuslist_size_for(uint64_t credentials);
int statuslist_init(struct statuslist *sl, uint32_t size, int64_t issued_at, struct err *err);
void statuslist_release(struct statuslist *sl);
void statuslist_set(struct statuslist *sl, uint32_t slot, enum cert_status status);
/* The status at slot; CERT_VALID for slots beyond the list. */
enum cert_status statuslist_get(const struct statuslist *sl, uint32_t slot);

/* Sign with an issuing key's signer (keys.h): Ed25519 or SM2, its key id
 * and algorithm named in the envelope; the JSON into a malloc'd *json. */
int statuslist_export(const struct statuslist *sl, struct keys_signer *s, char **json,
                      struct err *err);
/* Parse and verify against a trust list (the signing key must be on it
 * and current at issued_at). */
int statuslist_parse(const char *json, size_t len, const struct trust_list *tl,
                     struct statuslist *out, struct err *err);

#endif
