/*
 * lifecycle.h - what happens to a certificate after it is registered:
 * renewal (延期复核 / 复审 passed), suspension (暂扣), reinstatement,
 * revocation (注销 / 吊销) and the correction of a register typo (更正).
 *
 * Every operation is one transaction that changes the row, appends exactly
 * one event to the transparency log (ledger.h) carrying the new row's hash,
 * points the row at that event (ledger_index) and records the change with
 * personal data masked (store_cert_update), and enters the same change in
 * the audit trail (trail.h) as done by who (NULL: actor_cli()).  Any error
 * rolls all of it back.
 *
 * A row that no longer matches the event that last recorded it (changed
 * behind the system's back) or that was never recorded is refused: an
 * operation on it would record the tampered row as genuine.
 *
 * Times are unix seconds and "today" a day number (date.h), both from the
 * caller.  Functions follow err.h: 0 / -1; an unknown number, a refused
 * operation and a bad value are input errors.
 */
#ifndef OPCERT_LIFECYCLE_H
#define OPCERT_LIFECYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "err.h"
#include "store.h"

struct actor;

#define LIFECYCLE_REASON_MAX 600 /* bytes of a reason (UTF-8) */

/* What an operation did: the row before and after, and the log entry. */
struct lifecycle_result {
	struct cert before;
	struct cert after;
	int64_t index; /* the log entry recorded */
};

/*
 * 延期复核 / 复审 passed: valid_until becomes new_valid_until (never earlier
 * than it was, never before today) and, when new_review_due is not
 * DATE_NONE, review_due becomes it (never earlier than it was).  Refused for
 * a revoked certificate and when nothing would change.
 */
int lifecycle_renew(struct store *st, const struct actor *who, const char *number,
                    int32_t new_valid_until, int32_t new_review_due, int32_t today, int64_t now,
                    struct lifecycle_result *out, struct err *err);

/* 暂扣: reason required; refused when revoked or already suspended. */
int lifecycle_suspend(struct store *st, const struct actor *who, const char *number,
                      const char *reason, int64_t now, struct lifecycle_result *out,
                      struct err *err);

/* Lift a suspension (only a suspended certificate); reason may be NULL. */
int lifecycle_reinstate(struct store *st, const struct actor *who, const char *number,
                        const char *reason, int64_t now, struct lifecycle_result *out,
                        struct err *err);

/* 注销 / 吊销: reason required; refused when already revoked. */
int lifecycle_revoke(struct store *st, const struct actor *who, const char *number,
                     const char *reason, int64_t now, struct lifecycle_result *out,
                     struct err *err);

/*
 * Correct one field.  field is one of name, gender, id_number, trade,
 * issuer, issued_on, valid_until, review_due, training_institution; value
 * is parsed as an import would (idnum_check against today, gender_parse,
 * trade_find, date_parse; "" or "无" clears review_due and
 * training_institution).  The row stays consistent: the gender must agree
 * with the ID number (correcting the ID number sets the gender it encodes),
 * an emergency-management number's embedded ID number cannot be corrected
 * away, a construction trade must agree with the number, and valid_until and
 * review_due may not fall before issued_on.  Reason required; a correction
 * that changes nothing is refused.
 */
int lifecycle_amend(struct store *st, const struct actor *who, const char *number,
                    const char *field, const char *value, const char *reason, int32_t today,
                    int64_t now, struct lifecycle_result *out, struct err *err);

/* The field names lifecycle_amend accepts, NULL-terminated. */
extern const char *const lifecycle_amend_fields[];
/* Chinese label of an amendable field ("姓名"), or "" when unknown. */
const char *lifecycle_field_label(const char *field);

/*
 * For a register created before the log existed: every certificate whose
 * ledger_index is -1 gets one LEDGER_MIGRATE event with its row hash, in
 * one transaction.  *count (may be NULL) receives the number recorded.
 */
int lifecycle_backfill(struct store *st, int64_t now, long *count, struct err *err);

#endif
