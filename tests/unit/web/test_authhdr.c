/*
 * test_authhdr.c - credentials out of request headers: the session cookie
 * among others, the bearer token in any case of the scheme, and every
 * malformed form read as no credentials.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "authhdr.h"

#define NAME "opcert_session"

static void test_cookie(void **state)
{
	static const struct {
		const char *header;
		const char *token; /* NULL: none */
	} cases[] = {
	    {"opcert_session=abc", "abc"},
	    {"a=1; opcert_session=Zm9v_-9; b=2", "Zm9v_-9"},
	    {"a=1;opcert_session=x", "x"},
	    {"  opcert_session=tok\t", "tok"},
	    {"xopcert_session=abc", NULL},    /* another cookie's name ends with ours */
	    {"opcert_sessionx=abc", NULL},    /* a longer name */
	    {"opcert_session=", NULL},        /* empty */
	    {"opcert_session=a+b", NULL},     /* not URL-safe Base64 */
	    {"opcert_session=\"abc\"", NULL}, /* quoted */
	    {"a=opcert_session=abc", NULL},   /* inside another cookie's value */
	    {"", NULL},
	};
	char tok[ACCOUNT_TOKEN_SIZE], longer[ACCOUNT_TOKEN_SIZE + 32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = authhdr_cookie(cases[i].header, NAME, tok);

		assert_int_equal(rc, cases[i].token != NULL);
		if (cases[i].token)
			assert_string_equal(tok, cases[i].token);
	}
	assert_int_equal(authhdr_cookie(NULL, NAME, tok), 0);
	/* A token one byte too long for the buffer is refused, not cut. */
	memcpy(longer, NAME "=", sizeof(NAME));
	memset(longer + sizeof(NAME), 'a', ACCOUNT_TOKEN_SIZE);
	longer[sizeof(NAME) + ACCOUNT_TOKEN_SIZE] = '\0';
	assert_int_equal(authhdr_cookie(longer, NAME, tok), 0);
	longer[sizeof(NAME) + ACCOUNT_TOKEN_SIZE - 1] = '\0';
	assert_int_equal(authhdr_cookie(longer, NAME, tok), 1);
	assert_int_equal(strlen(tok), ACCOUNT_TOKEN_SIZE - 1);
}

static void test_bearer(void **state)
{
	char tok[ACCOUNT_TOKEN_SIZE];

	(void)state;
	assert_int_equal(authhdr_bearer("Bearer oct_abc", tok), 1);
	assert_string_equal(tok, "oct_abc");
	assert_int_equal(authhdr_bearer("bearer   oct_abc \t", tok), 1);
	assert_string_equal(tok, "oct_abc");
	assert_int_equal(authhdr_bearer("Basic dXNlcjpwYXNz", tok), 0);
	assert_int_equal(authhdr_bearer("Bearer ", tok), 0);
	assert_int_equal(authhdr_bearer("Bearer a b", tok), 0);
	assert_int_equal(authhdr_bearer("Beareroct_abc", tok), 0);
	assert_int_equal(authhdr_bearer(NULL, tok), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cookie),
	    cmocka_unit_test(test_bearer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
