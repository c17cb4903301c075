/*
 * test_verdict.c - the verdict vocabulary: codes and labels exactly as
 * DOMAIN.md section 6 writes them, and the precedence that picks the verdict
 * shown for a row with several findings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "verdict.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	enum verdict v;
	const char *code;
	const char *label;
} vocabulary[] = {
    {V_VALID, "valid", "有效"},
    {V_UNCERTIFIED, "uncertified", "无证"},
    {V_NOT_FOUND, "not_found", "查无此证"},
    {V_MISMATCH, "mismatch", "信息不符"},
    {V_EXPIRED, "expired", "已过期"},
    {V_REVIEW_OVERDUE, "review_overdue", "逾期未复审"},
    {V_REVOKED, "revoked", "已注销/吊销"},
    {V_SUSPENDED, "suspended", "暂扣"},
    {V_INVALID_ID, "invalid_id", "身份证号码无效"},
    {V_INVALID_NUMBER, "invalid_number", "证书编号无效"},
    {V_DUPLICATE_USE, "duplicate_use", "疑似转借/冒用"},
    {V_EXTERNAL, "external", "需外部核验"},
    {V_FORGED, "forged", "签名无效（伪造）"},
    {V_TAMPERED, "tampered", "登记记录被篡改"},
    {V_STATUS_UNKNOWN, "status_unknown", "状态未知"},
    {V_UNOFFICIAL_LINK, "unofficial_link", "非官方查询链接"},
};

/* DOMAIN.md section 6, most serious first, written as codes on purpose so
 * that the test does not lean on the enum order it is checking. */
static const char *const precedence[] = {
    "unofficial_link", "forged",         "tampered",       "uncertified",
    "mismatch",        "duplicate_use",  "revoked",        "suspended",
    "expired",         "review_overdue", "invalid_id",     "invalid_number",
    "not_found",       "external",       "status_unknown", "valid",
};

static enum verdict by_code(const char *code)
{
	int v = verdict_from_code(code);

	if (v < 0)
		fail_msg("unknown code %s", code);
	return (enum verdict)v;
}

static void test_vocabulary(void **state)
{
	(void)state;
	assert_int_equal(COUNT(vocabulary), V_COUNT);
	for (size_t i = 0; i < COUNT(vocabulary); i++) {
		assert_string_equal(verdict_code(vocabulary[i].v), vocabulary[i].code);
		assert_string_equal(verdict_label(vocabulary[i].v), vocabulary[i].label);
		assert_int_equal(verdict_from_code(vocabulary[i].code), vocabulary[i].v);
	}
	for (int v = 0; v < V_COUNT; v++)
		assert_int_equal(verdict_from_code(verdict_code((enum verdict)v)), v);
}

static void test_unknown(void **state)
{
	static const char *const bad[] = {
	    "", "Valid", "VALID", "valid ", "有效", "notfound", "not-found", "unknown",
	};

	(void)state;
	for (size_t i = 0; i < COUNT(bad); i++)
		assert_int_equal(verdict_from_code(bad[i]), -1);
	assert_int_equal(verdict_from_code(NULL), -1);
	assert_string_equal(verdict_code(V_COUNT), "");
	assert_string_equal(verdict_label(V_COUNT), "");
	assert_string_equal(verdict_code((enum verdict) - 1), "");
}

/* Every pair of the precedence list, both ways round. */
static void test_precedence_pairs(void **state)
{
	(void)state;
	assert_int_equal(COUNT(precedence), V_COUNT);
	for (size_t i = 0; i < COUNT(precedence); i++) {
		enum verdict hi = by_code(precedence[i]);

		for (size_t j = i + 1; j < COUNT(precedence); j++) {
			enum verdict lo = by_code(precedence[j]);
			/* valid is the empty set, never a bit of its own */
			verdict_mask lo_bit = lo == V_VALID ? 0 : VMASK(lo);

			if (verdict_of(VMASK(hi) | lo_bit) != hi)
				fail_msg("%s should outrank %s", precedence[i], precedence[j]);
		}
		if (hi != V_VALID)
			assert_int_equal(verdict_of(VMASK(hi)), hi);
	}
}

static void test_verdict_of(void **state)
{
	static const struct {
		verdict_mask m;
		enum verdict want;
	} cases[] = {
	    {0, V_VALID},
	    {VMASK(V_VALID), V_VALID},
	    {VMASK(V_EXPIRED) | VMASK(V_REVIEW_OVERDUE), V_EXPIRED},
	    {VMASK(V_REVOKED) | VMASK(V_EXPIRED), V_REVOKED},
	    {VMASK(V_NOT_FOUND) | VMASK(V_INVALID_ID), V_INVALID_ID},
	    {VMASK(V_EXTERNAL) | VMASK(V_STATUS_UNKNOWN), V_EXTERNAL},
	    {VMASK(V_MISMATCH) | VMASK(V_DUPLICATE_USE) | VMASK(V_SUSPENDED), V_MISMATCH},
	    {(1u << V_COUNT) - 1, V_UNOFFICIAL_LINK},
	    {~0u, V_UNOFFICIAL_LINK},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++)
		assert_int_equal(verdict_of(cases[i].m), cases[i].want);
}

/* Iterating every finding visits them in the precedence order of DOMAIN. */
static void test_next_order(void **state)
{
	verdict_mask all = 0;
	size_t k = 0;

	(void)state;
	for (int v = V_VALID + 1; v < V_COUNT; v++)
		all |= VMASK(v);
	for (int v = V_COUNT; (v = verdict_next(all, v)) >= 0;) {
		assert_true(k < COUNT(precedence) - 1);
		assert_string_equal(verdict_code((enum verdict)v), precedence[k]);
		k++;
	}
	assert_int_equal(k, COUNT(precedence) - 1); /* all but valid */
}

static void test_next_cases(void **state)
{
	static const struct {
		verdict_mask m;
		int want[4]; /* terminated by -1 */
	} cases[] = {
	    {0, {-1}},
	    {VMASK(V_VALID), {-1}},
	    {VMASK(V_EXPIRED), {V_EXPIRED, -1}},
	    {VMASK(V_REVOKED) | VMASK(V_EXPIRED) | VMASK(V_REVIEW_OVERDUE),
	     {V_REVOKED, V_EXPIRED, V_REVIEW_OVERDUE, -1}},
	    {VMASK(V_STATUS_UNKNOWN) | VMASK(V_UNOFFICIAL_LINK),
	     {V_UNOFFICIAL_LINK, V_STATUS_UNKNOWN, -1}},
	    /* bits beyond the vocabulary are ignored */
	    {VMASK(V_COUNT) | VMASK(V_NOT_FOUND), {V_NOT_FOUND, -1}},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		size_t k = 0;

		for (int v = V_COUNT; (v = verdict_next(cases[i].m, v)) >= 0; k++) {
			assert_true(k < 3);
			assert_int_equal(v, cases[i].want[k]);
		}
		assert_int_equal(cases[i].want[k], -1);
	}
	/* Starting below a finding skips it; starting at 0 or below ends at once. */
	assert_int_equal(verdict_next(VMASK(V_EXPIRED) | VMASK(V_NOT_FOUND), V_EXPIRED),
	                 V_NOT_FOUND);
	assert_int_equal(verdict_next(~0u, V_VALID), -1);
	assert_int_equal(verdict_next(~0u, -5), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vocabulary),       cmocka_unit_test(test_unknown),
	    cmocka_unit_test(test_precedence_pairs), cmocka_unit_test(test_verdict_of),
	    cmocka_unit_test(test_next_order),       cmocka_unit_test(test_next_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
