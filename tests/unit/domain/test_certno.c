/*
 * test_certno.c - unit tests for lib/domain/certno.c: construction numbers of
 * every province and the ways they can be malformed, emergency-management
 * numbers ("T" + ID number) with the ID rules applied, normalisation of
 * case and spaces, and the public mask that hides the ID digits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "certno.h"

/* Independent GB 11643 check character (weights 2^(17-i) mod 11). */
static char ref_check(const char *first17)
{
	int s = 0, w = 1, i, v;

	for (i = 16; i >= 0; i--) {
		w = (w * 2) % 11;
		s += (first17[i] - '0') * w;
	}
	v = (12 - s % 11) % 11;
	return v == 10 ? 'X' : (char)('0' + v);
}

/* '?' becomes the right check character for the 17 digits before it, '!'
 * a wrong one. */
static const char *resolve(const char *in, char *buf, size_t size)
{
	size_t i, n = strlen(in);
	char c;

	assert_true(n < size);
	memcpy(buf, in, n + 1);
	for (i = 0; i < n; i++) {
		if (buf[i] != '?' && buf[i] != '!')
			continue;
		assert_true(i >= 17);
		c = ref_check(buf + i - 17);
		buf[i] = buf[i] == '?' ? c : (c == '1' ? '2' : '1');
	}
	return buf;
}

#define FS "\xe3\x80\x80" /* full-width space */

struct parse_case {
	const char *in;
	enum cert_system sys; /* SYS_NONE: must be refused */
	const char *text;
	/* construction */
	const char *prefix;
	const char *province;
	char city;
	const char *trade;
	int year;
	long serial;
	/* emergency */
	const char *id;
};

static const struct parse_case parse_cases[] = {
    /* construction, valid */
    {"黔A012018000123", SYS_CONSTRUCTION, "黔A012018000123", "黔A", "黔", 'A', "01", 2018, 123, ""},
    {"黔a012018000123", SYS_CONSTRUCTION, "黔A012018000123", "黔A", "黔", 'A', "01", 2018, 123, ""},
    {"  黔A012018000123\t", SYS_CONSTRUCTION, "黔A012018000123", "黔A", "黔", 'A', "01", 2018, 123,
     ""},
    {FS "黔A012018000123" FS, SYS_CONSTRUCTION, "黔A012018000123", "黔A", "黔", 'A', "01", 2018,
     123, ""},
    {"川A052020000001", SYS_CONSTRUCTION, "川A052020000001", "川A", "川", 'A', "05", 2020, 1, ""},
    {"京B111990999999", SYS_CONSTRUCTION, "京B111990999999", "京B", "京", 'B', "11", 1990, 999999,
     ""},
    {"新z992099000010", SYS_CONSTRUCTION, "新Z992099000010", "新Z", "新", 'Z', "99", 2099, 10, ""},
    {"黔J122023045678", SYS_CONSTRUCTION, "黔J122023045678", "黔J", "黔", 'J', "12", 2023, 45678,
     ""},
    /* construction, invalid */
    {"", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"   ", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A01201800012", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A0120180001234", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A12018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"港A012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"台A012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"中A012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A002018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A012018000000", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A011989000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A012100000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A01201800012X", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A0A2018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A01201８000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔1012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔Ａ012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔黔012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A 012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"黔A-01-2018-000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"QA012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"GZA012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"QQQA012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"A012018000123", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"\xe9\xbb\x94", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"\xe9\xbb"
     "A012018000123X",
     SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    /* emergency management, valid */
    {"T11010519491231002X", SYS_EMERGENCY, "T11010519491231002X", "", "", 0, "", 0, 0,
     "11010519491231002X"},
    {"t11010519491231002x", SYS_EMERGENCY, "T11010519491231002X", "", "", 0, "", 0, 0,
     "11010519491231002X"},
    {" T52010219900101123? ", SYS_EMERGENCY, "T52010219900101123?", "", "", 0, "", 0, 0,
     "52010219900101123?"},
    {FS "T52011419850615002?" FS, SYS_EMERGENCY, "T52011419850615002?", "", "", 0, "", 0, 0,
     "52011419850615002?"},
    /* no "today" in a number: a birth date after today does not matter */
    {"T52010221500101001?", SYS_EMERGENCY, "T52010221500101001?", "", "", 0, "", 0, 0,
     "52010221500101001?"},
    /* emergency management, invalid */
    {"T11010519491231002!", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"T110105194912310021", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"T11010519491231002", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"T11010519491231002X1", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"T 11010519491231002X", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"T11010519491231002X ", SYS_EMERGENCY, "T11010519491231002X", "", "", 0, "", 0, 0,
     "11010519491231002X"},
    {"T16010219900101123?", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"T52010219900230123?", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    /* an ID number may say 1800 to 1899 (DOMAIN section 3 asks only for a real date) */
    {"T52010218991231123?", SYS_EMERGENCY, "T52010218991231123?", "", "", 0, "", 0, 0,
     "52010218991231123?"},
    {"T52010217991231123?", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"T11010519491231002Y", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"11010519491231002X", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"TT1010519491231002X", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"X11010519491231002X", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
    {"T", SYS_NONE, NULL, NULL, NULL, 0, NULL, 0, 0, NULL},
};

static void check_fields(size_t i, const char *in, const struct parse_case *c,
                         const struct certno *got)
{
	char text[64], id[64];

	resolve(c->text, text, sizeof(text));
	resolve(c->id, id, sizeof(id));
	if (got->system != c->sys)
		fail_msg("case %zu \"%s\": system %d, want %d", i, in, got->system, c->sys);
	if (strcmp(got->text, text) != 0)
		fail_msg("case %zu \"%s\": text \"%s\", want \"%s\"", i, in, got->text, text);
	assert_string_equal(got->prefix, c->prefix);
	assert_string_equal(got->province, c->province);
	assert_int_equal(got->city, c->city);
	assert_string_equal(got->trade, c->trade);
	assert_int_equal(got->year, c->year);
	assert_int_equal(got->serial, c->serial);
	assert_string_equal(got->id, id);
}

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		char in[128];
		struct certno got, again;
		int rc;

		resolve(c->in, in, sizeof(in));
		memset(&got, 0x5a, sizeof(got));
		rc = certno_parse(in, strlen(in), &got);
		if (c->sys == SYS_NONE) {
			if (rc != -1)
				fail_msg("case %zu \"%s\": accepted as \"%s\"", i, in, got.text);
			assert_int_equal(got.system, SYS_NONE);
			continue;
		}
		if (rc != 0)
			fail_msg("case %zu \"%s\": refused", i, in);
		check_fields(i, in, c, &got);
		/* The normalised text is itself a number parsing to the same. */
		assert_int_equal(certno_parse(got.text, strlen(got.text), &again), 0);
		check_fields(i, in, c, &again);
	}
}

static void test_every_province(void **state)
{
	static const char provinces[] =
	    "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川黔滇藏陕甘青宁新";
	size_t i, count = 0;

	(void)state;
	for (i = 0; i + 3 <= sizeof(provinces) - 1; i += 3) {
		char in[32];
		struct certno got;

		memcpy(in, provinces + i, 3);
		memcpy(in + 3, "C062019000042", 14);
		assert_int_equal(certno_parse(in, strlen(in), &got), 0);
		assert_int_equal(got.system, SYS_CONSTRUCTION);
		assert_memory_equal(got.province, provinces + i, 3);
		assert_int_equal(got.province[3], '\0');
		assert_int_equal(got.city, 'C');
		assert_string_equal(got.trade, "06");
		assert_int_equal(got.year, 2019);
		assert_int_equal(got.serial, 42);
		count++;
	}
	assert_int_equal(count, 31);
}

static void test_parse_not_nul_terminated(void **state)
{
	const char buf[] = "黔A012018000123999";
	const char tbuf[] = "T11010519491231002X1";
	struct certno got;

	(void)state;
	assert_int_equal(certno_parse(buf, 16, &got), 0);
	assert_string_equal(got.text, "黔A012018000123");
	assert_int_equal(certno_parse(buf, 17, &got), -1);
	assert_int_equal(certno_parse(buf, 15, &got), -1);
	assert_int_equal(certno_parse(tbuf, 19, &got), 0);
	assert_string_equal(got.id, "11010519491231002X");
	assert_int_equal(certno_parse(tbuf, 20, &got), -1);
	assert_int_equal(certno_parse(tbuf, 0, &got), -1);
	assert_int_equal(certno_parse(NULL, 0, &got), -1);
	assert_int_equal(got.system, SYS_NONE);
}

struct mask_case {
	const char *in;
	const char *want;
};

static const struct mask_case mask_cases[] = {
    {"T52010219900101123X", "T520102********123X"},
    {"t52010219900101123x", "T520102********123X"},
    {"T11010519491231002X", "T110105********002X"},
    {" T11010519491231002X ", "T110105********002X"},
    /* a mistyped ID number still identifies its holder */
    {"T110105194912310021", "T110105********0021"},
    {"T黔黔012018000123", "T******************"},
    {"黔A012018000123", "黔A012018000123"},
    {" 黔A012018000123 ", "黔A012018000123"},
    {"川A052020000001", "川A052020000001"},
    {"", ""},
    {"garbage", "garbage"},
    {"0123456789012345678901234567890123456789", "0123456789012345678901234567890"},
    /* truncation never splits a UTF-8 character */
    {"黔黔黔黔黔黔黔黔黔黔黔", "黔黔黔黔黔黔黔黔黔黔"},
};

static void test_mask(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(mask_cases) / sizeof(mask_cases[0]); i++) {
		char out[CERTNO_SIZE];

		certno_mask(mask_cases[i].in, out);
		if (strcmp(out, mask_cases[i].want) != 0)
			fail_msg("mask \"%s\": \"%s\", want \"%s\"", mask_cases[i].in, out,
			         mask_cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),
	    cmocka_unit_test(test_every_province),
	    cmocka_unit_test(test_parse_not_nul_terminated),
	    cmocka_unit_test(test_mask),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
