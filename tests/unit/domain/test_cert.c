/*
 * test_cert.c - parsing and labelling a record's status and a holder's
 * gender as registers and rosters write them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cert.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Parse through an exact-size heap copy so a read past len is caught. */
static int status_of(const char *s)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, s, len);
	r = cert_status_parse(copy, len);
	free(copy);
	return r;
}

static enum gender gender_of(const char *s)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	enum gender g;

	assert_non_null(copy);
	memcpy(copy, s, len);
	g = gender_parse(copy, len);
	free(copy);
	return g;
}

static void test_status_parse(void **state)
{
	static const struct {
		const char *s;
		int want;
	} cases[] = {
	    {"有效", CERT_VALID},
	    {"暂扣", CERT_SUSPENDED},
	    {"注销", CERT_REVOKED},
	    {"吊销", CERT_REVOKED},
	    {"撤销", CERT_REVOKED},
	    {"valid", CERT_VALID},
	    {"Valid", CERT_VALID},
	    {"SUSPENDED", CERT_SUSPENDED},
	    {"revoked", CERT_REVOKED},
	    {" 有效 ", CERT_VALID},
	    {"\xe3\x80\x80暂扣\xe3\x80\x80", CERT_SUSPENDED},
	    {"\t吊销\r\n", CERT_REVOKED},
	    {"", -1},
	    {"  ", -1},
	    {"\xe3\x80\x80", -1},
	    {"无效", -1},
	    {"有", -1},
	    {"有效期", -1},
	    {"有 效", -1},
	    {"expired", -1},
	    {"validx", -1},
	    {"\xe3\x80", -1},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++)
		if (status_of(cases[i].s) != cases[i].want)
			fail_msg("\"%s\": got %d, want %d", cases[i].s, status_of(cases[i].s),
			         cases[i].want);
	assert_int_equal(cert_status_parse(NULL, 0), -1);
	assert_int_equal(cert_status_parse("有效期", strlen("有效")), CERT_VALID);
}

static void test_status_labels(void **state)
{
	static const struct {
		enum cert_status s;
		const char *label;
		const char *code;
	} cases[] = {
	    {CERT_VALID, "有效", "valid"},
	    {CERT_SUSPENDED, "暂扣", "suspended"},
	    {CERT_REVOKED, "注销", "revoked"},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++) {
		assert_string_equal(cert_status_label(cases[i].s), cases[i].label);
		assert_string_equal(cert_status_code(cases[i].s), cases[i].code);
		/* Both words parse back to the status. */
		assert_int_equal(status_of(cases[i].label), cases[i].s);
		assert_int_equal(status_of(cases[i].code), cases[i].s);
	}
	assert_string_equal(cert_status_label((enum cert_status)9), "");
	assert_string_equal(cert_status_code((enum cert_status)9), "");
}

static void test_gender_parse(void **state)
{
	static const struct {
		const char *s;
		enum gender want;
	} cases[] = {
	    {"男", GENDER_MALE},
	    {"女", GENDER_FEMALE},
	    {"男性", GENDER_MALE},
	    {"女性", GENDER_FEMALE},
	    {"M", GENDER_MALE},
	    {"m", GENDER_MALE},
	    {"F", GENDER_FEMALE},
	    {"f", GENDER_FEMALE},
	    {"male", GENDER_MALE},
	    {"Male", GENDER_MALE},
	    {"MALE", GENDER_MALE},
	    {"female", GENDER_FEMALE},
	    {"FeMale", GENDER_FEMALE},
	    {" 男 ", GENDER_MALE},
	    {"\xe3\x80\x80女\xe3\x80\x80", GENDER_FEMALE},
	    {"\t女性\n", GENDER_FEMALE},
	    {"", GENDER_NONE},
	    {" ", GENDER_NONE},
	    {"未知", GENDER_NONE},
	    {"男女", GENDER_NONE},
	    {"男 性", GENDER_NONE},
	    {"x", GENDER_NONE},
	    {"ma", GENDER_NONE},
	    {"females", GENDER_NONE},
	    {"1", GENDER_NONE},
	};

	(void)state;
	for (size_t i = 0; i < COUNT(cases); i++)
		if (gender_of(cases[i].s) != cases[i].want)
			fail_msg("\"%s\": got %d, want %d", cases[i].s, (int)gender_of(cases[i].s),
			         (int)cases[i].want);
	assert_int_equal(gender_parse(NULL, 0), GENDER_NONE);
	assert_int_equal(gender_parse("female", 1), GENDER_FEMALE);
}

static void test_gender_labels(void **state)
{
	(void)state;
	assert_string_equal(gender_label(GENDER_MALE), "男");
	assert_string_equal(gender_label(GENDER_FEMALE), "女");
	assert_string_equal(gender_label(GENDER_NONE), "");
	assert_int_equal(gender_of(gender_label(GENDER_MALE)), GENDER_MALE);
	assert_int_equal(gender_of(gender_label(GENDER_FEMALE)), GENDER_FEMALE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_status_parse),
	    cmocka_unit_test(test_status_labels),
	    cmocka_unit_test(test_gender_parse),
	    cmocka_unit_test(test_gender_labels),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
