/*
 * test_tally.c - the counting rules of DOMAIN.md section 5 (tally.h): every
 * verdict's class, the manual check of an external certificate, the post
 * finding, the derived totals, the rate's rounding and the JSON's keys in
 * the rules' order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "tally.h"

static const struct {
	enum verdict verdict;
	enum tally_manual manual;
	int post_mismatch;
	enum tally_class want;
} cases[] = {
    {V_VALID, TALLY_MANUAL_NONE, 0, TALLY_CERTIFIED},
    /* a genuine, valid card that does not cover the post: no certificate for it */
    {V_VALID, TALLY_MANUAL_NONE, 1, TALLY_UNCERTIFIED},
    {V_EXTERNAL, TALLY_MANUAL_NONE, 0, TALLY_PENDING},
    {V_EXTERNAL, TALLY_MANUAL_MATCH, 0, TALLY_CERTIFIED},
    {V_EXTERNAL, TALLY_MANUAL_MATCH, 1, TALLY_UNCERTIFIED},
    {V_EXTERNAL, TALLY_MANUAL_NOT_FOUND, 0, TALLY_FAKE},
    {V_EXTERNAL, TALLY_MANUAL_DIFFERS, 0, TALLY_FAKE},
    {V_UNOFFICIAL_LINK, TALLY_MANUAL_NONE, 0, TALLY_FAKE},
    {V_FORGED, TALLY_MANUAL_NONE, 0, TALLY_FAKE},
    {V_MISMATCH, TALLY_MANUAL_NONE, 0, TALLY_FAKE},
    {V_NOT_FOUND, TALLY_MANUAL_NONE, 0, TALLY_FAKE},
    {V_INVALID_NUMBER, TALLY_MANUAL_NONE, 0, TALLY_FAKE},
    {V_DUPLICATE_USE, TALLY_MANUAL_NONE, 0, TALLY_LENT},
    {V_EXPIRED, TALLY_MANUAL_NONE, 0, TALLY_LAPSED},
    {V_REVIEW_OVERDUE, TALLY_MANUAL_NONE, 0, TALLY_LAPSED},
    {V_REVOKED, TALLY_MANUAL_NONE, 0, TALLY_LAPSED},
    {V_SUSPENDED, TALLY_MANUAL_NONE, 0, TALLY_LAPSED},
    {V_UNCERTIFIED, TALLY_MANUAL_NONE, 0, TALLY_UNCERTIFIED},
    {V_STATUS_UNKNOWN, TALLY_MANUAL_NONE, 0, TALLY_PENDING},
    {V_TAMPERED, TALLY_MANUAL_NONE, 0, TALLY_PENDING},
    {V_INVALID_ID, TALLY_MANUAL_NONE, 0, TALLY_PENDING},
    /* the post finding is about a genuine, valid card only */
    {V_EXPIRED, TALLY_MANUAL_NONE, 1, TALLY_LAPSED},
    {V_MISMATCH, TALLY_MANUAL_NONE, 1, TALLY_FAKE},
};

static void test_classes(void **state)
{
	int seen[V_COUNT] = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tally_row r = {cases[i].verdict, cases[i].manual, cases[i].post_mismatch};

		if (tally_classify(&r) != cases[i].want)
			fail_msg(
			    "case %zu (%s): class %s, want %s", i, verdict_code(cases[i].verdict),
			    tally_class_code(tally_classify(&r)), tally_class_code(cases[i].want));
		seen[cases[i].verdict] = 1;
	}
	/* every verdict of the vocabulary has a class */
	for (int v = 0; v < V_COUNT; v++)
		if (!seen[v])
			fail_msg("verdict %s has no case", verdict_code((enum verdict)v));
	assert_string_equal(tally_class_label(TALLY_LENT), "转借/冒用");
	assert_string_equal(tally_class_code(TALLY_PENDING), "pending");
}

static void test_totals(void **state)
{
	struct tally t;

	(void)state;
	memset(&t, 0, sizeof(t));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tally_row r = {cases[i].verdict, cases[i].manual, cases[i].post_mismatch};

		tally_add(&t, &r);
	}
	assert_int_equal(t.workers, 23);
	/* every row but the one without a number presents a certificate */
	assert_int_equal(t.checked, 22);
	assert_int_equal(t.certified, 2);
	assert_int_equal(t.fake, 8);
	assert_int_equal(t.lent, 1);
	assert_int_equal(t.lapsed, 5);
	assert_int_equal(t.uncertified, 3);
	assert_int_equal(t.with_fake, 9);
	assert_int_equal(t.pending, 4);
	/* the classes add up to the workers */
	assert_int_equal(t.certified + t.fake + t.lent + t.lapsed + t.uncertified + t.pending,
	                 t.workers);
	/* 2 / 23 = 8.695...% */
	assert_true(tally_lawful_rate(&t) > 8.69 && tally_lawful_rate(&t) < 8.71);
}

static void test_rate(void **state)
{
	struct tally t;

	(void)state;
	memset(&t, 0, sizeof(t));
	assert_true(tally_lawful_rate(&t) == TALLY_RATE_NONE);
	t.workers = 3;
	t.certified = 3;
	assert_true(tally_lawful_rate(&t) == 100.0);
	t.certified = 2;
	assert_true(tally_lawful_rate(&t) > 66.69 && tally_lawful_rate(&t) < 66.71);
	t.workers = 8;
	t.certified = 1; /* 12.5 rounds to one decimal as it is */
	assert_true(tally_lawful_rate(&t) > 12.49 && tally_lawful_rate(&t) < 12.51);
}

static void test_json(void **state)
{
	static const char *const keys[] = {"posts",     "workers", "certified",  "checked",
	                                   "fake",      "lent",    "lapsed",     "uncertified",
	                                   "with_fake", "pending", "lawful_rate"};
	struct tally t;
	json_t *o;
	const char *key;
	json_t *value;
	size_t i = 0;
	char *text;

	(void)state;
	memset(&t, 0, sizeof(t));
	o = tally_json(&t);
	assert_non_null(o);
	assert_true(json_is_null(json_object_get(o, "lawful_rate")));
	json_decref(o);
	t.posts = 4;
	t.workers = 2;
	t.certified = 1;
	t.checked = 2;
	t.fake = 1;
	t.with_fake = 1;
	o = tally_json(&t);
	assert_non_null(o);
	json_object_foreach(o, key, value)
	{
		assert_true(i < sizeof(keys) / sizeof(keys[0]));
		assert_string_equal(key, keys[i]);
		i++;
	}
	assert_int_equal(i, sizeof(keys) / sizeof(keys[0]));
	text = json_dumps(o, JSON_COMPACT);
	assert_non_null(text);
	assert_string_equal(text, "{\"posts\":4,\"workers\":2,\"certified\":1,\"checked\":2,"
	                          "\"fake\":1,\"lent\":0,\"lapsed\":0,\"uncertified\":0,"
	                          "\"with_fake\":1,\"pending\":0,\"lawful_rate\":50.0}");
	free(text);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classes),
	    cmocka_unit_test(test_totals),
	    cmocka_unit_test(test_rate),
	    cmocka_unit_test(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
