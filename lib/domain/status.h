/*
 * status.h - the status rules of both certificate systems.
 *
 * Construction (建质〔2008〕75号): valid 2 years; 延期复核 is applied for
 * within the 3 months before expiry and, when passed, extends validity by 2
 * years.  Emergency management (安监总局令第30号): valid 6 years; 复审 every
 * 3 years, applied for in the 60 days before it falls due; a holder with 10+
 * years of lawful work in the trade may have the review stretched to every 6
 * years.  A certificate is valid up to and including its valid-until date.
 */
#ifndef OPCERT_STATUS_H
#define OPCERT_STATUS_H

#include <stdint.h>

#include "cert.h"
#include "verdict.h"

#define STATUS_CONSTRUCTION_YEARS               2
#define STATUS_EMERGENCY_YEARS                  6
#define STATUS_EMERGENCY_REVIEW_YEARS           3
#define STATUS_EMERGENCY_STRETCHED_REVIEW_YEARS 6
#define STATUS_RENEWAL_WINDOW_MONTHS            3  /* 延期复核: 3 months before expiry */
#define STATUS_REVIEW_WINDOW_DAYS               60 /* 复审: 60 days before it falls due */

/*
 * The review date that applies to c: its recorded review_due when present;
 * otherwise, for an emergency-management certificate, issued_on + 3 years
 * (+ 6 years when stretched); for construction none (DATE_NONE): its review
 * is the 延期复核 at expiry.
 */
int32_t status_review_due(const struct cert *c, int stretched);

/* Findings from the register state alone, on day today: V_REVOKED,
 * V_SUSPENDED, V_EXPIRED (today > valid_until), V_REVIEW_OVERDUE
 * (today > effective review date). */
verdict_mask status_findings(const struct cert *c, int32_t today);

/* First day on which the 延期复核 (construction) or 复审 (emergency)
 * application may be made; DATE_NONE when there is no upcoming one. */
int32_t status_window_opens(const struct cert *c);
/* 1 when today is inside that window and the certificate is not yet past
 * the date the window leads up to. */
int status_in_window(const struct cert *c, int32_t today);

/* New valid-until after a passed 延期复核 (construction: +2 years from the
 * old valid-until); emergency: unchanged (复审 does not extend validity). */
int32_t status_after_renewal(const struct cert *c);

#endif
