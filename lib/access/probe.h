/*
 * probe.h - the probe limit: how many ID numbers anyone may try against
 * the register, so that no answer becomes a way to recover a full ID
 * number.
 *
 * The threat.  A masked ID number ("520181********0897", idnum_mask) keeps
 * the area code and the check character: about 2,000 birth dates remain.
 * Every route that compares a presented ID number with the register's
 * answers whether they match (a roster's mismatched_fields, a worker's
 * verdict), so trying every candidate finds the real one; a right guess
 * also makes a registration that unlocks the full ID number legitimately.
 * An emergency-management number ("T" + the ID number) is the same thing
 * in another form: whether such a number is in the register says whether
 * the ID number inside it is right.
 *
 * The rule.  A subject (a signed-in account, "account:LOGIN"; the public,
 * "address:ADDR", IPv6 taken by its /64) that tried, within the last
 * PROBE_WINDOW seconds, ID numbers for one certificate that turned out not
 * to be the register's (misses) is refused for that certificate when
 *
 *     |misses  ∪  the ID numbers the request presents for it|  >  PROBE_LIMIT
 *
 * so three wrong tries are answered, then every other ID number for that
 * certificate is refused, a right one too, until the window passes or a
 * city administrator clears it (one of the three again is still answered:
 * it tells nothing new).  Whether a request is
 * refused depends only on what it presents and on misses earlier answers
 * already revealed, never on whether its own ID number matches: the
 * refusal tells nothing.  For an emergency-management number the
 * "certificate" is its mask and the "ID number" the number itself, and a
 * number the register does not hold (for the public check: any answer
 * that says so) is the miss.  Claims without an ID number and absent
 * construction certificates are never counted (there is nothing to
 * learn).  A roster that presents one certificate with more than
 * PROBE_ROSTER_IDS distinct ID numbers is refused whole, whatever the
 * register holds.
 *
 * Who applies it: every HTTP route that compares a presented ID number or
 * looks up a presented emergency-management number (the roster check,
 * registering workers one by one or from a roster, the public check, a
 * register record); the command line is the local operator and exempt.
 * A decision that records misses is made again inside the write
 * transaction that records them (probe_apply), so two requests at once
 * cannot both slip under the limit; a request with nothing to record may
 * be admitted from a read snapshot (probe_admit), which costs one query
 * when the subject has no rows at all.
 *
 * Storage (store_probe.h) holds keyed hashes (pii_probe_tag) of the
 * certificate and of what was tried, never either in clear; the time is
 * always the caller's `now`.  Every refusal is recorded (a row, and an
 * audit-trail entry "probe.refused" naming the certificate masked: every
 * one for an account, the first in the window for an address, so the
 * public cannot fill the trail).
 */
#ifndef OPCERT_PROBE_H
#define OPCERT_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "certno.h"
#include "err.h"
#include "store.h"
#include "store_probe.h"
#include "trail.h"

struct pii_key;
struct vresult;

#define PROBE_LIMIT        3                    /* distinct misses answered per certificate */
#define PROBE_WINDOW       ((int64_t)24 * 3600) /* seconds a miss counts */
#define PROBE_ROSTER_IDS   2 /* distinct ID numbers one roster may present for a certificate */
#define PROBE_SUBJECT_SIZE STORE_PROBE_SUBJECT_SIZE
#define PROBE_KEY_LEN      STORE_PROBE_KEY_LEN
#define PROBE_NAMED_MAX    8  /* certificates a refusal names */
#define PROBE_ROWS_MAX     32 /* rows a refusal names */

/* "account:LOGIN" for a signed-in principal. */
void probe_subject_account(const char *login, char out[PROBE_SUBJECT_SIZE]);
/* "address:ADDR" for the public: IPv4 as it is (also when mapped into
 * IPv6), IPv6 by its /64 ("address:2001:db8:1:2::/64"); text that is no
 * address as it is. */
void probe_subject_address(const char *addr, char out[PROBE_SUBJECT_SIZE]);
/* A subject as typed ("account:LOGIN", "address:ADDR"), normalised as
 * above; an input error when it is neither. */
int probe_subject_parse(const char *text, char out[PROBE_SUBJECT_SIZE], struct err *err);

/* One thing a request tried: an ID number for a certificate, or an
 * emergency-management number for its mask.  Keyed hashes only. */
struct probe_try {
	uint8_t cert[PROBE_KEY_LEN];
	uint8_t guess[PROBE_KEY_LEN];
	char masked[CERTNO_SIZE]; /* the certificate as a refusal names it */
	long row;                 /* the roster row, 0 when none */
	int by_number;            /* an emergency-management number tried for its mask */
	int miss;                 /* the answer shows the guess is wrong */
};

/* What one request tried.  Starts zeroed (probe_set_init). */
struct probe_set {
	struct probe_try *v;
	size_t n, cap;
};

void probe_set_init(struct probe_set *s);
void probe_set_release(struct probe_set *s);

/*
 * Add what one verified claim tried: id_number as presented (NULL or "":
 * none) against the certificate r names, and, for an emergency-management
 * number, the number against its mask.  absent: the answer says the
 * number is not in the register (the public check also answers so for a
 * wrong name); otherwise pass !r->found.  Claims without a well-formed
 * number add nothing.  k is the data key (the store's: st->pii).
 */
int probe_set_add(struct probe_set *s, const struct pii_key *k, const struct vresult *r,
                  const char *id_number, int32_t today, long row, int absent, struct err *err);
/* The same for a number looked up without an ID number (a register
 * record, the public check): only an emergency-management number adds a
 * try; absent as above. */
int probe_set_add_number(struct probe_set *s, const struct pii_key *k, const char *number, long row,
                         int absent, struct err *err);
/* 1 when any try of s is a miss (the request has something to record). */
int probe_set_has_miss(const struct probe_set *s);

enum probe_reason {
	PROBE_ADMITTED = 0,
	PROBE_REFUSED_ROSTER, /* more than PROBE_ROSTER_IDS ID numbers for a certificate */
	PROBE_REFUSED_LIMIT,  /* past PROBE_LIMIT */
};

struct probe_refusal {
	enum probe_reason reason;
	uint8_t cert[PROBE_KEY_LEN]; /* the first certificate refused */
	char numbers[PROBE_NAMED_MAX][CERTNO_SIZE];
	size_t nnumbers, numbers_total;
	long rows[PROBE_ROWS_MAX]; /* ascending; 0 never */
	size_t nrows, rows_total;
	int64_t
	    retry_after; /* seconds until waiting lets the request through (the window at most) */
};

/* What a request checked by the limit carries through a library call
 * (worker.h): the subject (NULL: exempt, the command line) and, after a
 * refusal, why. */
struct probe_guard {
	const char *subject;
	struct probe_refusal refusal;
};

/* The roster rule: 1 and out filled when a certificate has more than
 * PROBE_ROSTER_IDS distinct ID numbers in s, else 0.  Reorders s. */
int probe_roster_check(struct probe_set *s, struct probe_refusal *out);

/* The limit, from what st shows now: 1 refused (out filled), 0 admitted,
 * -1 error.  Reorders s.  A request with misses to record must be decided
 * again by probe_apply. */
int probe_admit(struct store *st, const char *subject, struct probe_set *s, int64_t now,
                struct probe_refusal *out, struct err *err);

/*
 * Inside the caller's write transaction: the limit decided again, then the
 * misses recorded (and rows older than the window pruned), or the refusal
 * recorded (probe_refusal_record).  1 refused, 0 admitted, -1 error.
 */
int probe_apply(struct store *st, const struct actor *who, const char *subject, struct probe_set *s,
                int64_t now, struct probe_refusal *out, struct err *err);
/* probe_apply in a short write transaction of its own. */
int probe_settle(struct store *st, const struct actor *who, const char *subject,
                 struct probe_set *s, int64_t now, struct probe_refusal *out, struct err *err);

/* Inside the caller's write transaction: record a refusal (a row and the
 * audit-trail entry "probe.refused", see above). */
int probe_refusal_record(struct store *st, const struct actor *who, const char *subject,
                         const struct probe_refusal *r, int64_t now, struct err *err);
/* probe_refusal_record in a write transaction of its own. */
int probe_refuse(struct store *st, const struct actor *who, const char *subject,
                 const struct probe_refusal *r, int64_t now, struct err *err);

/* The refusal as an input error (its Chinese message names the
 * certificates, masked, and the rows); returns -1. */
int probe_refusal_err(const struct probe_refusal *r, struct err *err);
/* "probe_limit" / "probe_roster". */
const char *probe_reason_code(enum probe_reason r);

/* Per subject, the rows of the window (store_probe_summary; at_limit
 * counts certificates with PROBE_LIMIT misses), newest first. */
int probe_each(struct store *st, int64_t now, store_probe_fn fn, void *arg, struct err *err);

/*
 * A city administrator clears a subject's rows (of one certificate when
 * number is given: its ID numbers and, for an emergency-management
 * number, its mask), in a transaction of its own recorded in the audit
 * trail ("probe.clear").  *cleared: rows deleted (may be NULL).
 */
int probe_clear(struct store *st, const struct actor *who, const char *subject, const char *number,
                int64_t now, long *cleared, struct err *err);

#endif
