/*
 * verify.h - checking what a worker presents against the register.
 *
 * A claim is what is written on a card or a roster row.  verify_claim()
 * collects every finding (verdict.h) and names the presented fields that
 * differ from the register; the verdict is the most serious finding.  The
 * rules (DOMAIN.md section 6 and the core issue):
 *  - no number: uncertified;
 *  - an ID number that fails GB 11643, or a stated gender that disagrees
 *    with its sequence digit: invalid_id;
 *  - a number of no known format: invalid_number;
 *  - an emergency-management T number whose embedded ID differs from the
 *    presented ID: mismatch on id_number, in the register or not;
 *  - a number in the register: mismatch for each presented field that
 *    differs (empty fields are not compared), plus the status findings;
 *  - a well-formed construction number with a prefix this register holds
 *    but absent: not_found; any other absent number: external.
 * duplicate_use needs the whole roster and is added by roster_verify().
 *
 * A number the register does not hold costs what one it holds does: the
 * public check answers an absent number exactly as a present one asked
 * with another name, and its time must not tell them apart either, or it
 * would tell whether an ID number (a T number embeds one) holds a
 * certificate.  So verify_claim() works through a decoy in place of the
 * missing row, every step of a present number, and throws the results
 * away: a row of the number's kind that store_cert_seek() found in the same
 * search and read and unsealed the same way, or, when the register has
 * none, the fixed record of struct verify_decoy; then the comparison with
 * the claim, the status rules, the log entry that recorded the row (read,
 * unsealed, decoded, its row hash compared) and the message.
 */
#ifndef OPCERT_VERIFY_H
#define OPCERT_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "err.h"
#include "pii.h"
#include "store.h"
#include "verdict.h"

/* Presented fields that can differ from the register. */
enum field {
	FIELD_NAME = 1 << 0,
	FIELD_ID = 1 << 1,
	FIELD_GENDER = 1 << 2,
	FIELD_TRADE = 1 << 3,
	FIELD_VALID_UNTIL = 1 << 4,
	FIELD_ISSUER = 1 << 5,
};
#define FIELD_COUNT 6

const char *field_code(int bit);  /* "id_number" */
const char *field_label(int bit); /* "身份证号码" */

/* What is presented.  Strings are NUL-terminated; NULL or "" = not given. */
struct claim {
	const char *number;
	const char *name;
	const char *id_number;
	enum gender gender;
	const char *trade;
	const char *issuer;
	int32_t valid_until; /* DATE_NONE = not given */
};

#define VERIFY_MAX_PREFIXES 64

/* The record an absent number is checked against when store_cert_seek()
 * has no row for it: a T number's row and the log event that recorded it,
 * sealed as the database keeps them, under the store's data key. */
struct verify_decoy {
	const struct pii_key *key; /* sealed under; NULL: not made yet */
	struct cert cert;
	char number[PII_NUMBER_MAX];
	unsigned char id[PII_SEALED_MAX];
	size_t id_len;
	uint8_t event[STORE_LOG_DATA_MAX];
	size_t event_len;
	uint8_t sealed_event[STORE_LOG_DATA_MAX + PII_BLOB_OVERHEAD];
	size_t sealed_len;
};

struct verifier {
	struct store *store;
	int32_t today;
	char prefixes[VERIFY_MAX_PREFIXES][STORE_PREFIX_SIZE];
	size_t nprefixes;
	struct verify_decoy decoy;
};

int verifier_init(struct verifier *v, struct store *st, int32_t today, struct err *err);

struct vresult {
	verdict_mask findings;
	unsigned mismatched; /* enum field bits */
	enum verdict verdict;
	char number[64]; /* as presented, normalised when well-formed */
	char name[CERT_NAME_SIZE];
	int found; /* the number is in the register: cert holds its record */
	struct cert cert;
	const char *id_reason; /* why the ID is invalid, or NULL */
	char message[640];
};

int verify_claim(struct verifier *v, const struct claim *c, struct vresult *r, struct err *err);
/* Add a finding after the fact (duplicate_use) and recompute verdict and
 * message. */
void verify_add_finding(struct verifier *v, struct vresult *r, enum verdict finding);

#endif
