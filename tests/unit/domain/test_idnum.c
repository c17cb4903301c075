/*
 * test_idnum.c - unit tests for lib/domain/idnum.c: every reason an ID number is
 * refused, the province table of DOMAIN.md section 3, birth dates against
 * a fixed "today", gender, the public mask and the detection of numbers
 * that Excel turned into floating point.  Valid test numbers are built
 * with a check character computed here independently of the library.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"
#include "idnum.h"

/*
 * Independent check character: the weights of GB 11643 are 2^(17-i) mod 11,
 * and the check value is (12 - S mod 11) mod 11 with 10 written as X.
 */
static char ref_check(const char *first17)
{
	int s = 0, w = 1, i;
	int v;

	for (i = 16; i >= 0; i--) {
		w = (w * 2) % 11;
		s += (first17[i] - '0') * w;
	}
	v = (12 - s % 11) % 11;
	return v == 10 ? 'X' : (char)('0' + v);
}

static char ref_wrong(const char *first17)
{
	char c = ref_check(first17);

	return c == '1' ? '2' : '1';
}

/*
 * Replace the placeholder '?' with the right check character for the 17
 * digits before it and '!' with a wrong one.
 */
static const char *resolve(const char *in, char *buf, size_t size)
{
	size_t i, n = strlen(in);

	assert_true(n < size);
	memcpy(buf, in, n + 1);
	for (i = 0; i < n; i++) {
		if (buf[i] != '?' && buf[i] != '!')
			continue;
		assert_true(i >= 17);
		buf[i] = buf[i] == '?' ? ref_check(buf + i - 17) : ref_wrong(buf + i - 17);
	}
	return buf;
}

enum today_kind { T_FIXED, T_NONE };

struct check_case {
	const char *in;
	enum today_kind today;
	enum idnum_error want;
	const char *out; /* expected normalised form; "" when none */
};

#define FS "\xe3\x80\x80" /* full-width space */

static const struct check_case check_cases[] = {
    /* valid */
    {"11010519491231002X", T_FIXED, IDNUM_OK, "11010519491231002X"},
    {"11010519491231002x", T_FIXED, IDNUM_OK, "11010519491231002X"},
    {"  11010519491231002X\t", T_FIXED, IDNUM_OK, "11010519491231002X"},
    {FS "11010519491231002x" FS " ", T_FIXED, IDNUM_OK, "11010519491231002X"},
    {"52010219900101123?", T_FIXED, IDNUM_OK, "52010219900101123?"},
    {"52011419850615002?", T_FIXED, IDNUM_OK, "52011419850615002?"},
    {"52010219000101001?", T_FIXED, IDNUM_OK, "52010219000101001?"},
    {"52010220000229001?", T_FIXED, IDNUM_OK, "52010220000229001?"},
    {"52010220240229001?", T_FIXED, IDNUM_OK, "52010220240229001?"},
    {"52010220240601001?", T_FIXED, IDNUM_OK, "52010220240601001?"},
    /* birth years from 1800: a real date not in the future is all DOMAIN asks */
    {"52010218991231123?", T_FIXED, IDNUM_OK, "52010218991231123?"},
    {"52010218000101001?", T_FIXED, IDNUM_OK, "52010218000101001?"},
    {"52010218960229002?", T_FIXED, IDNUM_OK, "52010218960229002?"},
    {"52010219900108100?", T_FIXED, IDNUM_OK, "520102199001081000"},
    /* empty */
    {"", T_FIXED, IDNUM_EMPTY, ""},
    {"   ", T_FIXED, IDNUM_EMPTY, ""},
    {FS FS, T_FIXED, IDNUM_EMPTY, ""},
    /* length */
    {"1101051949123100", T_FIXED, IDNUM_LENGTH, ""},
    {"11010519491231002", T_FIXED, IDNUM_LENGTH, ""},
    {"11010519491231002X1", T_FIXED, IDNUM_LENGTH, ""},
    {"110105491231002", T_FIXED, IDNUM_LENGTH, ""},
    {"X", T_FIXED, IDNUM_LENGTH, ""},
    {"11010519491231002X 11010519491231002X", T_FIXED, IDNUM_LENGTH, ""},
    /* characters */
    {"11010519491231002Y", T_FIXED, IDNUM_CHARS, "11010519491231002Y"},
    {"1101051949123100X2", T_FIXED, IDNUM_CHARS, "1101051949123100X2"},
    {"X10105194912310022", T_FIXED, IDNUM_CHARS, "X10105194912310022"},
    {"11010519491231 02X", T_FIXED, IDNUM_CHARS, "11010519491231 02X"},
    {"110105-1949123100X", T_FIXED, IDNUM_CHARS, "110105-1949123100X"},
    {"11010519491231002a", T_FIXED, IDNUM_CHARS, "11010519491231002A"},
    {"1.10105194912E+017", T_FIXED, IDNUM_CHARS, "1.10105194912E+017"},
    /* 18 digits and a stray byte: 19 characters, as the refused one is counted */
    {"520102199001201560\xb3", T_FIXED, IDNUM_LENGTH, ""},
    /* 18 full-width characters: bad characters, not a bad length */
    {"１１０１０５１９４９１２３１００２Ｘ", T_FIXED, IDNUM_CHARS, ""},
    /* province (each with a correct check character) */
    {"16010219900101123?", T_FIXED, IDNUM_PROVINCE, "16010219900101123?"},
    {"20010219900101123?", T_FIXED, IDNUM_PROVINCE, "20010219900101123?"},
    {"99010219900101123?", T_FIXED, IDNUM_PROVINCE, "99010219900101123?"},
    {"00000019900101123?", T_FIXED, IDNUM_PROVINCE, "00000019900101123?"},
    /* calendar date */
    {"52010219900230123?", T_FIXED, IDNUM_DATE, "52010219900230123?"},
    {"52010219901301123?", T_FIXED, IDNUM_DATE, "52010219901301123?"},
    {"52010219900001123?", T_FIXED, IDNUM_DATE, "52010219900001123?"},
    {"52010219900100123?", T_FIXED, IDNUM_DATE, "52010219900100123?"},
    {"52010219900431123?", T_FIXED, IDNUM_DATE, "52010219900431123?"},
    {"52010217991231123?", T_FIXED, IDNUM_DATE, "52010217991231123?"},
    {"52010218000229123?", T_FIXED, IDNUM_DATE, "52010218000229123?"},
    {"52010219000229123?", T_FIXED, IDNUM_DATE, "52010219000229123?"},
    {"52010220230229123?", T_FIXED, IDNUM_DATE, "52010220230229123?"},
    {"52010222000101123?", T_FIXED, IDNUM_DATE, "52010222000101123?"},
    {"52010200000101123?", T_FIXED, IDNUM_DATE, "52010200000101123?"},
    /* future relative to today = 2024-06-01 */
    {"52010220240602001?", T_FIXED, IDNUM_FUTURE, "52010220240602001?"},
    {"52010220250101001?", T_FIXED, IDNUM_FUTURE, "52010220250101001?"},
    {"52010221500101001?", T_FIXED, IDNUM_FUTURE, "52010221500101001?"},
    /* without a today there is no future check */
    {"52010221500101001?", T_NONE, IDNUM_OK, "52010221500101001?"},
    {"52010222000101001?", T_NONE, IDNUM_DATE, "52010222000101001?"},
    /* check character */
    {"11010519491231002!", T_FIXED, IDNUM_CHECK, "11010519491231002!"},
    {"110105194912310021", T_FIXED, IDNUM_CHECK, "110105194912310021"},
    {"52010219900101123!", T_FIXED, IDNUM_CHECK, "52010219900101123!"},
    {"520102199001011000", T_FIXED, IDNUM_CHECK, "520102199001011000"},
    /* the first failing rule wins */
    {"99010219900230123!", T_FIXED, IDNUM_PROVINCE, "99010219900230123!"},
    {"52010219900230123!", T_FIXED, IDNUM_DATE, "52010219900230123!"},
    {"52010220300101123!", T_FIXED, IDNUM_FUTURE, "52010220300101123!"},
};

static int32_t fixed_today(void)
{
	return date_from_ymd(2024, 6, 1);
}

static void test_check_table(void **state)
{
	size_t i;

	(void)state;
	assert_int_equal(fixed_today(), 19875);
	for (i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		const struct check_case *c = &check_cases[i];
		char in[128], want_out[128], out[IDNUM_SIZE];
		enum idnum_error got;
		size_t n;

		resolve(c->in, in, sizeof(in));
		resolve(c->out, want_out, sizeof(want_out));
		n = strlen(in);
		memset(out, '#', sizeof(out));
		got = idnum_check(in, n, c->today == T_FIXED ? fixed_today() : DATE_NONE, out);
		if (got != c->want)
			fail_msg("case %zu \"%s\": %s, want %s", i, in, idnum_error_code(got),
			         idnum_error_code(c->want));
		if (strcmp(out, want_out) != 0)
			fail_msg("case %zu \"%s\": out \"%s\", want \"%s\"", i, in, out, want_out);
		/* out may be NULL */
		assert_int_equal(
		    idnum_check(in, n, c->today == T_FIXED ? fixed_today() : DATE_NONE, NULL),
		    c->want);
	}
}

static void test_check_not_nul_terminated(void **state)
{
	const char buf[] = "11010519491231002X99999";
	char out[IDNUM_SIZE];

	(void)state;
	assert_int_equal(idnum_check(buf, 18, fixed_today(), out), IDNUM_OK);
	assert_string_equal(out, "11010519491231002X");
	assert_int_equal(idnum_check(buf, 19, fixed_today(), out), IDNUM_LENGTH);
	assert_string_equal(out, "");
	assert_int_equal(idnum_check(buf, 0, fixed_today(), out), IDNUM_EMPTY);
	assert_int_equal(idnum_check(NULL, 0, fixed_today(), out), IDNUM_EMPTY);
}

/* Every two-digit prefix: exactly DOMAIN.md's provinces pass. */
static void test_provinces(void **state)
{
	static const int valid[] = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34,
	                            35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
	                            53, 54, 61, 62, 63, 64, 65, 71, 81, 82};
	int code;
	size_t i;

	(void)state;
	for (code = 0; code < 100; code++) {
		char id[IDNUM_SIZE];
		int want = 0;
		enum idnum_error got;

		for (i = 0; i < sizeof(valid) / sizeof(valid[0]); i++)
			if (valid[i] == code)
				want = 1;
		snprintf(id, sizeof(id), "%02d010219800101123", code);
		id[17] = ref_check(id);
		id[18] = '\0';
		got = idnum_check(id, IDNUM_LEN, fixed_today(), NULL);
		if (want && got != IDNUM_OK)
			fail_msg("province %02d refused: %s", code, idnum_error_code(got));
		if (!want && got != IDNUM_PROVINCE)
			fail_msg("province %02d: %s, want province", code, idnum_error_code(got));
	}
}

struct text_case {
	enum idnum_error e;
	const char *code;
	const char *reason;
};

static const struct text_case text_cases[] = {
    {IDNUM_OK, "ok", "有效"},
    {IDNUM_EMPTY, "empty", "未填写"},
    {IDNUM_LENGTH, "length", "长度不是18位"},
    {IDNUM_CHARS, "chars", "含有非法字符"},
    {IDNUM_PROVINCE, "province", "省份代码无效"},
    {IDNUM_DATE, "date", "出生日期无效"},
    {IDNUM_FUTURE, "future", "出生日期晚于今天"},
    {IDNUM_CHECK, "check", "校验码错误"},
};

static void test_reason_texts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++) {
		assert_string_equal(idnum_error_code(text_cases[i].e), text_cases[i].code);
		assert_string_equal(idnum_reason(text_cases[i].e), text_cases[i].reason);
	}
	assert_non_null(idnum_reason((enum idnum_error)99));
	assert_non_null(idnum_error_code((enum idnum_error)99));
}

static void test_check_char(void **state)
{
	static const char *bodies[] = {
	    "11010519491231002", "52010219900101123", "52010219900108100",
	    "00000000000000000", "99999999999999999", "12345678901234567",
	};
	size_t i;
	int k;

	(void)state;
	assert_int_equal(idnum_check_char("11010519491231002"), 'X');
	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++)
		assert_int_equal(idnum_check_char(bodies[i]), ref_check(bodies[i]));
	/* All eleven check values occur. */
	for (k = 0; k < 100; k++) {
		char body[18];

		snprintf(body, sizeof(body), "5201021990010112%d", k % 10);
		body[15] = (char)('0' + k / 10);
		assert_int_equal(idnum_check_char(body), ref_check(body));
	}
	/* A non-digit is refused without reading on. */
	assert_int_equal(idnum_check_char("1101051949"), '\0');
}

static void test_gender_and_birth(void **state)
{
	int k;

	(void)state;
	assert_int_equal(idnum_gender("11010519491231002X"), 2);
	assert_int_equal(idnum_birth("11010519491231002X"), date_from_ymd(1949, 12, 31));
	for (k = 0; k < 10; k++) {
		char id[IDNUM_SIZE];

		snprintf(id, sizeof(id), "5201021990010112%d", k);
		id[17] = ref_check(id);
		id[18] = '\0';
		assert_int_equal(idnum_check(id, IDNUM_LEN, fixed_today(), NULL), IDNUM_OK);
		assert_int_equal(idnum_gender(id), k % 2 ? 1 : 2);
		assert_int_equal(idnum_birth(id), date_from_ymd(1990, 1, 1));
	}
	assert_int_equal(idnum_birth("52010219000101001X"), date_from_ymd(1900, 1, 1));
	assert_int_equal(idnum_birth("52010218991231123X"), date_from_ymd(1899, 12, 31));
	assert_int_equal(idnum_birth("52010218000101001X"), date_from_ymd(1800, 1, 1));
	assert_int_equal(idnum_birth("52010217991231001X"), DATE_NONE);
	assert_int_equal(idnum_birth("52010220240229001X"), date_from_ymd(2024, 2, 29));
	/* Degenerate input gives "unknown", never a crash. */
	assert_int_equal(idnum_gender(""), 0);
	assert_int_equal(idnum_gender("5201021990"), 0);
	assert_int_equal(idnum_birth(""), DATE_NONE);
	assert_int_equal(idnum_birth("52010219900230123X"), DATE_NONE);
	assert_int_equal(idnum_birth("520102ABCDEFGH123X"), DATE_NONE);
}

/* An 1800s birth date is a date like any other: the day number, and its text. */
static void test_birth_1800s(void **state)
{
	char id[IDNUM_SIZE], text[DATE_TEXT_MAX];

	(void)state;
	memcpy(id, "52010218000101001", 17);
	id[17] = ref_check(id);
	id[18] = '\0';
	assert_int_equal(idnum_check(id, IDNUM_LEN, fixed_today(), NULL), IDNUM_OK);
	assert_int_equal(idnum_birth(id), -62091);
	assert_string_equal(date_format(idnum_birth(id), text), "1800-01-01");
	assert_int_equal(idnum_gender(id), 1);
	/* the shared date rules keep their bounds */
	assert_false(date_valid_ymd(1899, 12, 31));
	assert_int_equal(date_parse("1899-12-31", 10, &(int32_t){0}), -1);
}

struct refused_case {
	const char *in;
	size_t at;
	const char *name;
};

static const struct refused_case refused_cases[] = {
    {"11010519491231002Y", 18, "“Y”"},
    {"1101051949123100X2", 17, "“X”"},
    {"X10105194912310022", 1, "“X”"},
    {"  11010519491231 02X", 15, "“ ”"},
    {"11010519491231002x", 0, ""},
    {"52010219800101001\xef\xbc\x90", 18, "“０”"},
    {"１１０１０５１９４９１２３１００２Ｘ", 1, "“１”"},
    {"1101051949123\t002X", 14, "U+0009"},
    {"110105194912310\xff"
     "2X",
     16, "0xFF"},
};

static void test_refused_char(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(refused_cases) / sizeof(refused_cases[0]); i++) {
		const struct refused_case *c = &refused_cases[i];
		char name[TEXT_CHAR_NAME_SIZE];

		if (idnum_refused_char(c->in, strlen(c->in), name) != c->at)
			fail_msg("case %zu \"%s\": not at %zu", i, c->in, c->at);
		assert_string_equal(name, c->name);
	}
}

struct mask_case {
	const char *in;
	const char *want;
};

static const struct mask_case mask_cases[] = {
    {"52010219900101123X", "520102********123X"},
    {"52010219900101123x", "520102********123X"},
    {"11010519491231002X", "110105********002X"},
    {"520102199001081000", "520102********1000"},
    {"", ""},
    {"12345", "*****"},
    {"5201021990010112345", "******************"},
    /* 18 bytes but not ASCII: positions would split characters */
    {"黔黔012018000123", "******************"},
};

static void test_mask(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(mask_cases) / sizeof(mask_cases[0]); i++) {
		char out[IDNUM_SIZE];

		idnum_mask(mask_cases[i].in, out);
		if (strcmp(out, mask_cases[i].want) != 0)
			fail_msg("mask \"%s\": \"%s\", want \"%s\"", mask_cases[i].in, out,
			         mask_cases[i].want);
	}
}

struct mangled_case {
	const char *in;
	int want;
};

static const struct mangled_case mangled_cases[] = {
    /* scientific notation */
    {"5.20102E+17", 1},
    {"5.20102199001011E+17", 1},
    {"5.20102e+17", 1},
    {"5.20102E17", 1},
    {"5E+17", 1},
    {" 5.20102E+17 ", 1},
    {FS "1.10105E+17" FS, 1},
    {"5.20102E+16", 0},
    {"5.20102E+170", 0},
    {"5.20102E+1", 0},
    {"5.20102E+", 0},
    {"5.E+17", 0},
    {"0.5E+17", 0},
    {"E+17", 0},
    {"-5.20102E+17", 0},
    {"5.20102E+17x", 0},
    /* a decimal part */
    {"520102199001011234.0", 1},
    {"520102199001011234.00", 1},
    {"52010219900101123.0", 1},
    {"520102199001011.0", 1},
    {"520102199001011234.", 0},
    {"520102199001011234.5", 0},
    {"520102199001011234.01", 0},
    {"5201021990010.0", 0},
    {"5201021990010112345.0", 0},
    {"52010219900101123X.0", 0},
    /* last three digits lost */
    {"520102199001011000", 1},
    {"110105194912310000", 1},
    /* valid numbers are never mangled, not even when they end in 000 */
    {"520102199001081000", 0},
    {"11010519491231002X", 0},
    {"52010219900101000X", 0},
    /* plain wrong numbers are not Excel's fault */
    {"520102199001011001", 0},
    {"520102199001011234", 0},
    {"", 0},
    {"abc", 0},
    {"000", 0},
};

static void test_excel_mangled(void **state)
{
	size_t i;
	char id[IDNUM_SIZE];

	(void)state;
	for (i = 0; i < sizeof(mangled_cases) / sizeof(mangled_cases[0]); i++) {
		const struct mangled_case *c = &mangled_cases[i];

		if (idnum_excel_mangled(c->in, strlen(c->in)) != c->want)
			fail_msg("case %zu \"%s\": want %d", i, c->in, c->want);
	}
	/* The valid numbers above really are valid. */
	assert_int_equal(idnum_check("520102199001081000", IDNUM_LEN, fixed_today(), NULL),
	                 IDNUM_OK);
	memcpy(id, "52010219900101000", 17);
	id[17] = ref_check(id);
	id[18] = '\0';
	assert_string_equal(id, "52010219900101000X");
	assert_int_equal(idnum_check(id, IDNUM_LEN, fixed_today(), NULL), IDNUM_OK);
	/* Length is honoured. */
	assert_int_equal(idnum_excel_mangled("5.20102E+17999", 11), 1);
	assert_int_equal(idnum_excel_mangled("5.20102E+17", 10), 0);
	assert_int_equal(idnum_excel_mangled(NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_check_table), cmocka_unit_test(test_check_not_nul_terminated),
	    cmocka_unit_test(test_provinces),   cmocka_unit_test(test_reason_texts),
	    cmocka_unit_test(test_check_char),  cmocka_unit_test(test_gender_and_birth),
	    cmocka_unit_test(test_mask),        cmocka_unit_test(test_excel_mangled),
	    cmocka_unit_test(test_birth_1800s), cmocka_unit_test(test_refused_char),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
