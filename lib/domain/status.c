/*
 * status.c - the status rules of both certificate systems (see status.h).
 *
 * Dates are day numbers, so "after" is a plain comparison; DATE_NONE is
 * INT32_MIN and must never reach date arithmetic, hence the explicit checks.
 */
#include "status.h"

#include "date.h"

int32_t status_review_due(const struct cert *c, int stretched)
{
	if (c->review_due != DATE_NONE)
		return c->review_due;
	if (c->system == SYS_EMERGENCY && c->issued_on != DATE_NONE)
		return date_add_years(c->issued_on, stretched
		                                        ? STATUS_EMERGENCY_STRETCHED_REVIEW_YEARS
		                                        : STATUS_EMERGENCY_REVIEW_YEARS);
	return DATE_NONE;
}

verdict_mask status_findings(const struct cert *c, int32_t today)
{
	verdict_mask m = 0;
	/*
	 * The register state alone cannot tell whether a holder was granted
	 * the stretched review, so the ordinary 3-year rule applies unless
	 * the register records the due date itself.
	 */
	int32_t due = status_review_due(c, 0);

	if (c->status == CERT_REVOKED)
		m |= VMASK(V_REVOKED);
	else if (c->status == CERT_SUSPENDED)
		m |= VMASK(V_SUSPENDED);
	if (c->valid_until != DATE_NONE && today > c->valid_until)
		m |= VMASK(V_EXPIRED);
	if (due != DATE_NONE && today > due)
		m |= VMASK(V_REVIEW_OVERDUE);
	return m;
}

/* The date an application window leads up to: expiry for the construction
 * 延期复核, the review date for the emergency 复审. */
static int32_t window_target(const struct cert *c)
{
	switch (c->system) {
	case SYS_CONSTRUCTION:
		return c->valid_until;
	case SYS_EMERGENCY:
		return status_review_due(c, 0);
	case SYS_NONE:
		break;
	}
	return DATE_NONE;
}

int32_t status_window_opens(const struct cert *c)
{
	int32_t target;

	/* A withdrawn certificate cannot be renewed or reviewed. */
	if (c->status == CERT_REVOKED)
		return DATE_NONE;
	target = window_target(c);
	if (target == DATE_NONE)
		return DATE_NONE;
	if (c->system == SYS_CONSTRUCTION)
		return date_add_months(target, -STATUS_RENEWAL_WINDOW_MONTHS);
	return target - STATUS_REVIEW_WINDOW_DAYS;
}

int status_in_window(const struct cert *c, int32_t today)
{
	int32_t opens = status_window_opens(c);

	if (opens == DATE_NONE)
		return 0;
	return today >= opens && today <= window_target(c);
}

int32_t status_after_renewal(const struct cert *c)
{
	if (c->system != SYS_CONSTRUCTION || c->valid_until == DATE_NONE)
		return c->valid_until;
	return date_add_years(c->valid_until, STATUS_CONSTRUCTION_YEARS);
}
