/*
 * test_status.c - the status rules of both certificate systems: validity
 * up to and including the valid-until date, the emergency 复审 and its
 * derived dates, the application windows and the construction 延期复核.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "status.h"

#define COUNT(a)   (sizeof(a) / sizeof((a)[0]))
#define D(y, m, d) date_from_ymd(y, m, d)
#define NONE       DATE_NONE

static struct cert make(enum cert_system sys, enum cert_status st, int32_t issued,
                        int32_t valid_until, int32_t review_due)
{
	struct cert c;

	memset(&c, 0, sizeof(c));
	c.system = sys;
	c.status = st;
	c.issued_on = issued;
	c.valid_until = valid_until;
	c.review_due = review_due;
	return c;
}

static void check_date(int32_t got, int32_t want, const char *what, size_t i)
{
	char g[DATE_TEXT_MAX] = "none", w[DATE_TEXT_MAX] = "none";

	if (got == want)
		return;
	if (got != NONE)
		date_format(got, g);
	if (want != NONE)
		date_format(want, w);
	fail_msg("case %zu: %s is %s, want %s", i, what, g, w);
}

static void test_review_due(void **state)
{
	struct {
		enum cert_system sys;
		int32_t issued, valid_until, review_due;
		int stretched;
		int32_t want;
	} cases[] = {
	    /* emergency, derived: issued + 3 years, + 6 when stretched */
	    {SYS_EMERGENCY, D(2018, 8, 9), D(2024, 8, 9), NONE, 0, D(2021, 8, 9)},
	    {SYS_EMERGENCY, D(2018, 8, 9), D(2024, 8, 9), NONE, 1, D(2024, 8, 9)},
	    {SYS_EMERGENCY, D(2016, 2, 29), D(2022, 2, 28), NONE, 0, D(2019, 2, 28)},
	    /* a recorded date wins, stretched or not */
	    {SYS_EMERGENCY, D(2018, 8, 9), D(2024, 8, 9), D(2022, 1, 1), 0, D(2022, 1, 1)},
	    {SYS_EMERGENCY, D(2018, 8, 9), D(2024, 8, 9), D(2022, 1, 1), 1, D(2022, 1, 1)},
	    /* nothing to derive from */
	    {SYS_EMERGENCY, NONE, D(2024, 8, 9), NONE, 0, NONE},
	    /* construction: the 延期复核 at expiry is not a review date */
	    {SYS_CONSTRUCTION, D(2018, 8, 9), D(2020, 8, 8), NONE, 0, NONE},
	    {SYS_CONSTRUCTION, D(2018, 8, 9), D(2020, 8, 8), NONE, 1, NONE},
	    {SYS_CONSTRUCTION, D(2018, 8, 9), D(2020, 8, 8), D(2019, 8, 9), 0, D(2019, 8, 9)},
	    {SYS_NONE, D(2018, 8, 9), D(2020, 8, 8), NONE, 0, NONE},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		struct cert c = make(cases[i].sys, CERT_VALID, cases[i].issued,
		                     cases[i].valid_until, cases[i].review_due);

		check_date(status_review_due(&c, cases[i].stretched), cases[i].want, "review due",
		           i);
	}
}

static void test_findings(void **state)
{
	struct {
		enum cert_system sys;
		enum cert_status st;
		int32_t issued, valid_until, review_due;
		int32_t today;
		verdict_mask want;
	} cases[] = {
	    /* construction: valid up to and including valid_until */
	    {SYS_CONSTRUCTION, CERT_VALID, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2018, 8, 9), 0},
	    {SYS_CONSTRUCTION, CERT_VALID, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2020, 8, 8), 0},
	    {SYS_CONSTRUCTION, CERT_VALID, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2020, 8, 9),
	     VMASK(V_EXPIRED)},
	    {SYS_CONSTRUCTION, CERT_VALID, D(2018, 8, 9), D(2020, 12, 31), NONE, D(2021, 1, 1),
	     VMASK(V_EXPIRED)},
	    /* construction derives no review, so never overdue before expiry */
	    {SYS_CONSTRUCTION, CERT_VALID, D(2010, 1, 1), D(2030, 1, 1), NONE, D(2029, 12, 31), 0},
	    /* status from the register */
	    {SYS_CONSTRUCTION, CERT_SUSPENDED, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2019, 1, 1),
	     VMASK(V_SUSPENDED)},
	    {SYS_CONSTRUCTION, CERT_REVOKED, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2019, 1, 1),
	     VMASK(V_REVOKED)},
	    /* several at once */
	    {SYS_CONSTRUCTION, CERT_REVOKED, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2020, 8, 9),
	     VMASK(V_REVOKED) | VMASK(V_EXPIRED)},
	    {SYS_CONSTRUCTION, CERT_SUSPENDED, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2021, 1, 1),
	     VMASK(V_SUSPENDED) | VMASK(V_EXPIRED)},
	    /* emergency: derived review issued + 3 years, overdue the day after */
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), NONE, D(2021, 8, 9), 0},
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), NONE, D(2021, 8, 10),
	     VMASK(V_REVIEW_OVERDUE)},
	    /* a recorded review date wins over the derived one */
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), D(2024, 8, 9), D(2021, 8, 10),
	     0},
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), D(2020, 3, 1), D(2020, 3, 1),
	     0},
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), D(2020, 3, 1), D(2020, 3, 2),
	     VMASK(V_REVIEW_OVERDUE)},
	    /* emergency expiry, with the review long overdue as well */
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), D(2024, 8, 9), D(2024, 8, 9),
	     0},
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), D(2024, 8, 9), D(2024, 8, 10),
	     VMASK(V_EXPIRED) | VMASK(V_REVIEW_OVERDUE)},
	    {SYS_EMERGENCY, CERT_REVOKED, D(2018, 8, 9), D(2024, 8, 9), NONE, D(2025, 1, 1),
	     VMASK(V_REVOKED) | VMASK(V_EXPIRED) | VMASK(V_REVIEW_OVERDUE)},
	    /* a record with no dates has nothing to expire */
	    {SYS_EMERGENCY, CERT_VALID, NONE, NONE, NONE, D(2030, 1, 1), 0},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		struct cert c = make(cases[i].sys, cases[i].st, cases[i].issued,
		                     cases[i].valid_until, cases[i].review_due);
		verdict_mask got = status_findings(&c, cases[i].today);

		if (got != cases[i].want)
			fail_msg("case %zu: findings 0x%x, want 0x%x", i, got, cases[i].want);
	}
}

static void test_window_opens(void **state)
{
	struct {
		enum cert_system sys;
		enum cert_status st;
		int32_t issued, valid_until, review_due;
		int32_t want;
	} cases[] = {
	    /* 延期复核: exactly 3 months before valid_until */
	    {SYS_CONSTRUCTION, CERT_VALID, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2020, 5, 8)},
	    {SYS_CONSTRUCTION, CERT_VALID, D(2018, 1, 1), D(2020, 1, 15), NONE, D(2019, 10, 15)},
	    {SYS_CONSTRUCTION, CERT_VALID, D(2018, 3, 1), D(2020, 5, 31), NONE, D(2020, 2, 29)},
	    {SYS_CONSTRUCTION, CERT_SUSPENDED, D(2018, 8, 9), D(2020, 8, 8), NONE, D(2020, 5, 8)},
	    {SYS_CONSTRUCTION, CERT_REVOKED, D(2018, 8, 9), D(2020, 8, 8), NONE, NONE},
	    {SYS_CONSTRUCTION, CERT_VALID, D(2018, 8, 9), NONE, NONE, NONE},
	    /* 复审: 60 days before the review date */
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), NONE, D(2021, 6, 10)},
	    {SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), D(2021, 3, 1),
	     D(2020, 12, 31)},
	    {SYS_EMERGENCY, CERT_REVOKED, D(2018, 8, 9), D(2024, 8, 9), NONE, NONE},
	    {SYS_EMERGENCY, CERT_VALID, NONE, D(2024, 8, 9), NONE, NONE},
	    {SYS_NONE, CERT_VALID, D(2018, 8, 9), D(2020, 8, 8), NONE, NONE},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		struct cert c = make(cases[i].sys, cases[i].st, cases[i].issued,
		                     cases[i].valid_until, cases[i].review_due);

		check_date(status_window_opens(&c), cases[i].want, "window opens", i);
	}
}

static void test_in_window(void **state)
{
	struct cert con = make(SYS_CONSTRUCTION, CERT_VALID, D(2018, 8, 9), D(2020, 8, 8), NONE);
	struct cert em = make(SYS_EMERGENCY, CERT_VALID, D(2018, 8, 9), D(2024, 8, 9), NONE);
	struct cert gone = make(SYS_CONSTRUCTION, CERT_REVOKED, D(2018, 8, 9), D(2020, 8, 8), NONE);
	struct {
		const struct cert *c;
		int32_t today;
		int want;
	} cases[] = {
	    {&con, D(2020, 5, 7), 0},
	    {&con, D(2020, 5, 8), 1},
	    {&con, D(2020, 7, 1), 1},
	    {&con, D(2020, 8, 8), 1},
	    {&con, D(2020, 8, 9), 0},
	    {&con, D(2018, 8, 9), 0},
	    /* emergency review falls due 2021-08-09; window opens 2021-06-10 */
	    {&em, D(2021, 6, 9), 0},
	    {&em, D(2021, 6, 10), 1},
	    {&em, D(2021, 8, 9), 1},
	    {&em, D(2021, 8, 10), 0},
	    {&gone, D(2020, 7, 1), 0},
	};

	(void)state;
	/* The window is 60 days long, the due date included. */
	assert_int_equal(status_review_due(&em, 0) - status_window_opens(&em),
	                 STATUS_REVIEW_WINDOW_DAYS);
	for (size_t i = 0; i < COUNT(cases); i++)
		if (status_in_window(cases[i].c, cases[i].today) != cases[i].want)
			fail_msg("case %zu: in window should be %d", i, cases[i].want);
}

static void test_after_renewal(void **state)
{
	struct {
		enum cert_system sys;
		int32_t valid_until;
		int32_t want;
	} cases[] = {
	    {SYS_CONSTRUCTION, D(2020, 8, 8), D(2022, 8, 8)},
	    {SYS_CONSTRUCTION, D(2019, 12, 31), D(2021, 12, 31)},
	    /* 2020-02-29 has no match two years on: the month's last day */
	    {SYS_CONSTRUCTION, D(2020, 2, 29), D(2022, 2, 28)},
	    {SYS_CONSTRUCTION, D(2022, 2, 28), D(2024, 2, 28)},
	    {SYS_CONSTRUCTION, NONE, NONE},
	    /* 复审 does not extend an emergency certificate */
	    {SYS_EMERGENCY, D(2024, 8, 9), D(2024, 8, 9)},
	    {SYS_EMERGENCY, NONE, NONE},
	    {SYS_NONE, D(2024, 8, 9), D(2024, 8, 9)},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		struct cert c =
		    make(cases[i].sys, CERT_VALID, D(2018, 8, 9), cases[i].valid_until, NONE);

		check_date(status_after_renewal(&c), cases[i].want, "renewed valid-until", i);
	}
}

/* A renewed construction certificate is valid again on the day after its
 * old expiry, and its next window opens 3 months before the new date. */
static void test_renewal_cycle(void **state)
{
	struct cert c = make(SYS_CONSTRUCTION, CERT_VALID, D(2018, 8, 9), D(2020, 8, 8), NONE);

	(void)state;
	assert_int_equal(status_findings(&c, D(2020, 8, 9)), VMASK(V_EXPIRED));
	c.valid_until = status_after_renewal(&c);
	assert_int_equal(status_findings(&c, D(2020, 8, 9)), 0);
	assert_int_equal(status_window_opens(&c), D(2022, 5, 8));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_review_due),    cmocka_unit_test(test_findings),
	    cmocka_unit_test(test_window_opens),  cmocka_unit_test(test_in_window),
	    cmocka_unit_test(test_after_renewal), cmocka_unit_test(test_renewal_cycle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
