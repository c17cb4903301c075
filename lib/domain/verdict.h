/*
 * verdict.h - the verdict vocabulary (DOMAIN.md section 6) shared by the
 * CLI, the API, the pages and the reports.
 *
 * The enum is ordered from least to most serious, so a set of findings is a
 * bit mask and the verdict shown is its highest bit:
 * unofficial_link > forged > tampered > uncertified > mismatch >
 * duplicate_use > revoked > suspended > expired > review_overdue >
 * invalid_id > invalid_number > not_found > external > status_unknown > valid
 */
#ifndef OPCERT_VERDICT_H
#define OPCERT_VERDICT_H

enum verdict {
	V_VALID = 0,
	V_STATUS_UNKNOWN,
	V_EXTERNAL,
	V_NOT_FOUND,
	V_INVALID_NUMBER,
	V_INVALID_ID,
	V_REVIEW_OVERDUE,
	V_EXPIRED,
	V_SUSPENDED,
	V_REVOKED,
	V_DUPLICATE_USE,
	V_MISMATCH,
	V_UNCERTIFIED,
	V_TAMPERED,
	V_FORGED,
	V_UNOFFICIAL_LINK,
	V_COUNT
};

/* A set of findings: bit (1u << verdict).  V_VALID is never set in a mask;
 * the empty mask means valid. */
typedef unsigned verdict_mask;
#define VMASK(v) (1u << (v))

const char *verdict_code(enum verdict v);  /* "not_found" */
const char *verdict_label(enum verdict v); /* "查无此证" */
/* -1 when code is unknown. */
int verdict_from_code(const char *code);
/* Most serious finding of the mask; V_VALID for an empty mask. */
enum verdict verdict_of(verdict_mask m);
/*
 * Iterate the findings of m from most to least serious: start with
 * v = V_COUNT and call until it returns -1.
 *   for (int v = V_COUNT; (v = verdict_next(m, v)) >= 0;)
 */
int verdict_next(verdict_mask m, int v);

#endif
