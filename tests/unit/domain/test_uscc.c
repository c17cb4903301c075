/*
 * test_uscc.c - unified social credit codes: the worked example of
 * DOMAIN.md section 3, every failure reason, normalisation, and check
 * characters recomputed by an independent implementation of the rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "uscc.h"

/* The rule written out again, by a different route (powers of 3 mod 31). */
static char reference_check(const char *first17)
{
	static const char a[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	long sum = 0, w = 1;
	int i;

	for (i = 0; i < 17; i++) {
		sum += (long)(strchr(a, first17[i]) - a) * w;
		w = w * 3 % 31;
	}
	return a[(31 - sum % 31) % 31];
}

static void test_worked_example(void **state)
{
	char out[USCC_SIZE];

	(void)state;
	assert_int_equal(uscc_check_char("91350100M000100Y4"), '3');
	assert_int_equal(uscc_check("91350100M000100Y43", 18, out), USCC_OK);
	assert_string_equal(out, "91350100M000100Y43");
	assert_int_equal(uscc_check("91350100M000100Y4Z", 18, out), USCC_CHARS);
	assert_int_equal(uscc_check("91350100M000100Y44", 18, out), USCC_CHECK);
	assert_string_equal(out, "");
}

static void test_cases(void **state)
{
	static const struct {
		const char *in;
		enum uscc_error want;
		const char *norm;
	} cases[] = {
	    {"91350100M000100Y43", USCC_OK, "91350100M000100Y43"},
	    {"91350100m000100y43", USCC_OK, "91350100M000100Y43"},
	    {"  91350100M000100Y43 ", USCC_OK, "91350100M000100Y43"},
	    {"\xe3\x80\x80"
	     "91350100M000100Y43",
	     USCC_OK, "91350100M000100Y43"},
	    /* text_trim's rule: every ASCII white space, U+3000, both ends */
	    {"\xe3\x80\x80"
	     "91350100M000100Y43\t",
	     USCC_OK, "91350100M000100Y43"},
	    {"\f\xe3\x80\x80 91350100m000100y43\r\n", USCC_OK, "91350100M000100Y43"},
	    {"\v91350100M000100Y43\xe3\x80\x80\v", USCC_OK, "91350100M000100Y43"},
	    {"\xc2\xa0"
	     "91350100M000100Y43",
	     USCC_LENGTH, ""}, /* U+00A0 is not trimmed */
	    {"", USCC_EMPTY, ""},
	    {"   ", USCC_EMPTY, ""},
	    {"91350100M000100Y4", USCC_LENGTH, ""},
	    {"91350100M000100Y433", USCC_LENGTH, ""},
	    {"91350100I000100Y43", USCC_CHARS, ""},
	    {"91350100O000100Y43", USCC_CHARS, ""},
	    {"91350100-000100Y43", USCC_CHARS, ""},
	    {"91350100i000100Y43", USCC_CHARS, ""},
	    /* 18 characters with a full-width one: a bad character, not a bad length */
	    {"125270\xef\xbc\x90"
	     "039LA1N14C9",
	     USCC_CHARS, ""},
	    {"\xef\xbc\x99"
	     "1350100M000100Y43",
	     USCC_CHARS, ""},
	    {"91350100M000100Y4\xef\xbc\x93\xef\xbc\x93", USCC_LENGTH, ""},
	    {"913501A0M000100Y43", USCC_REGION, ""},
	    {"91350100M000100Y42", USCC_CHECK, ""},
	};
	char out[USCC_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(uscc_check(cases[i].in, strlen(cases[i].in), out), cases[i].want);
		assert_string_equal(out, cases[i].norm);
		assert_true(strlen(uscc_reason(cases[i].want)) > 0);
	}
}

/* The character refused is named with its place, as check-id names it. */
static void test_refused_char(void **state)
{
	static const struct {
		const char *in;
		size_t at;
		const char *name;
	} cases[] = {
	    {"125270\xef\xbc\x90"
	     "039LA1N14C9",
	     7, "“０”"},
	    {"91350100I000100Y43", 9, "“I”"},
	    {"91350100o000100Y43", 9, "“o”"},
	    {"91350100M000100Y4Z", 18, "“Z”"},
	    {"9135010S", 8, "“S”"},
	    {" \xe3\x80\x80"
	     "9V",
	     2, "“V”"},
	    {"913501\x01", 7, "U+0001"},
	    {"913\xe0", 4, "0xE0"},
	    {"91350100m000100y43", 0, ""},
	};
	char name[TEXT_CHAR_NAME_SIZE];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (uscc_refused_char(cases[i].in, strlen(cases[i].in), name) != cases[i].at)
			fail_msg("case %zu \"%s\": not at %zu", i, cases[i].in, cases[i].at);
		assert_string_equal(name, cases[i].name);
	}
}

/* Every code built with the reference check character is accepted; every
 * other last character is refused. */
static void test_against_reference(void **state)
{
	static const char a[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	char code[USCC_SIZE];
	uint32_t x = 12345;
	int n, i;

	(void)state;
	for (n = 0; n < 2000; n++) {
		for (i = 0; i < 17; i++) {
			x = x * 1103515245u + 12345u;
			code[i] =
			    (i >= 2 && i < 8) ? (char)('0' + (x >> 16) % 10) : a[(x >> 16) % 31];
		}
		code[17] = reference_check(code);
		code[18] = '\0';
		assert_int_equal(uscc_check(code, 18, NULL), USCC_OK);
		for (i = 0; i < 31; i++) {
			if (a[i] == code[17])
				continue;
			code[17] = a[i];
			assert_int_equal(uscc_check(code, 18, NULL), USCC_CHECK);
			code[17] = reference_check(code);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_worked_example),
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_refused_char),
	    cmocka_unit_test(test_against_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
