/*
 * test_date.c - unit tests for lib/domain/date.c: every date format users type or
 * Excel produces, impossible dates, leap-year rules, month and year
 * arithmetic with clamping, day-number round trips over the whole
 * supported range against an independent day-by-day walk, and the China
 * "today" against the system clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "date.h"

struct parse_case {
	const char *in;
	int ok;
	int y, m, d;
};

static const struct parse_case parse_cases[] = {
    /* accepted formats */
    {"2018-08-09", 1, 2018, 8, 9},
    {"2018-8-9", 1, 2018, 8, 9},
    {"2018/8/9", 1, 2018, 8, 9},
    {"2018/08/09", 1, 2018, 8, 9},
    {"2018.8.9", 1, 2018, 8, 9},
    {"2018.08.09", 1, 2018, 8, 9},
    {"2018年8月9日", 1, 2018, 8, 9},
    {"2018年08月09日", 1, 2018, 8, 9},
    {"2018年 8月 9日", 1, 2018, 8, 9},
    {"20180809", 1, 2018, 8, 9},
    {"2018/8/9 0:00", 1, 2018, 8, 9},
    {"2018/8/9 23:59", 1, 2018, 8, 9},
    {"2018-08-09 00:00:00", 1, 2018, 8, 9},
    {"2018-08-09 12:34:56.789", 1, 2018, 8, 9},
    {"2018年8月9日 0:00", 1, 2018, 8, 9},
    {"20180809 00:00:00", 1, 2018, 8, 9},
    {"  2018-08-09  ", 1, 2018, 8, 9},
    {"\t2018/8/9\r\n", 1, 2018, 8, 9},
    {"\xe3\x80\x80"
     "2018-08-09\xe3\x80\x80",
     1, 2018, 8, 9},
    {" 2018/8/9 0:00 ", 1, 2018, 8, 9},
    {"2018-12-31", 1, 2018, 12, 31},
    {"2018-01-01", 1, 2018, 1, 1},
    {"1900-01-01", 1, 1900, 1, 1},
    {"2199-12-31", 1, 2199, 12, 31},
    /* leap years */
    {"2000-02-29", 1, 2000, 2, 29},
    {"2024-02-29", 1, 2024, 2, 29},
    {"2020/2/29", 1, 2020, 2, 29},
    {"1900-02-29", 0, 0, 0, 0},
    {"2100-02-29", 0, 0, 0, 0},
    {"2019-02-29", 0, 0, 0, 0},
    {"2023-02-29", 0, 0, 0, 0},
    /* impossible dates */
    {"2018-13-01", 0, 0, 0, 0},
    {"2018-00-10", 0, 0, 0, 0},
    {"2018-01-00", 0, 0, 0, 0},
    {"2018-04-31", 0, 0, 0, 0},
    {"2018-01-32", 0, 0, 0, 0},
    {"20181301", 0, 0, 0, 0},
    {"2018年2月30日", 0, 0, 0, 0},
    /* years out of range */
    {"1899-12-31", 0, 0, 0, 0},
    {"2200-01-01", 0, 0, 0, 0},
    {"0000-01-01", 0, 0, 0, 0},
    {"9999-12-31", 0, 0, 0, 0},
    {"18990101", 0, 0, 0, 0},
    /* malformed */
    {"", 0, 0, 0, 0},
    {"   ", 0, 0, 0, 0},
    {"garbage", 0, 0, 0, 0},
    {"2018", 0, 0, 0, 0},
    {"2018-08", 0, 0, 0, 0},
    {"2018-08-", 0, 0, 0, 0},
    {"-08-09", 0, 0, 0, 0},
    {"18-08-09", 0, 0, 0, 0},
    {"02018-08-09", 0, 0, 0, 0},
    {"2018-008-09", 0, 0, 0, 0},
    {"2018-08-009", 0, 0, 0, 0},
    {"2018-08/09", 0, 0, 0, 0},
    {"2018_08_09", 0, 0, 0, 0},
    {"2018-08-09x", 0, 0, 0, 0},
    {"2018-08-09 junk", 0, 0, 0, 0},
    {"2018-08-090:00", 0, 0, 0, 0},
    {"2018-08-09 24:00", 0, 0, 0, 0},
    {"2018-08-09 0:60", 0, 0, 0, 0},
    {"2018-08-09 0:00:60", 0, 0, 0, 0},
    {"2018-08-09 0:0", 0, 0, 0, 0},
    {"2018-08-09 0:00:", 0, 0, 0, 0},
    {"2018-08-09 0:00 x", 0, 0, 0, 0},
    {"2018年8月9", 0, 0, 0, 0},
    {"2018年8月9号", 0, 0, 0, 0},
    {"2018809", 0, 0, 0, 0},
    {"201808091", 0, 0, 0, 0},
    {"2018-+8-9", 0, 0, 0, 0},
    {"2018 08 09", 0, 0, 0, 0},
    {"99999999999999999999999999-01-01", 0, 0, 0, 0},
    {"2018-99999999999999999999-01", 0, 0, 0, 0},
    {"2018-08-09 99999999999999999999:00", 0, 0, 0, 0},
    {"４０１８-08-09", 0, 0, 0, 0},
};

static void test_parse_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		int32_t day = 12345;
		int rc = date_parse(c->in, strlen(c->in), &day);
		int y, m, d;

		if (c->ok) {
			if (rc != 0)
				fail_msg("case %zu \"%s\": rejected", i, c->in);
			date_to_ymd(day, &y, &m, &d);
			if (y != c->y || m != c->m || d != c->d)
				fail_msg("case %zu \"%s\": got %d-%d-%d", i, c->in, y, m, d);
		} else {
			if (rc != -1)
				fail_msg("case %zu \"%s\": accepted", i, c->in);
			/* A failed parse leaves *out alone. */
			assert_int_equal(day, 12345);
		}
	}
}

/* The parser must honour len and never look for a NUL. */
static void test_parse_not_nul_terminated(void **state)
{
	const char buf[] = "2018-08-09 00:00:00XXXX";
	char exact[10];
	int32_t day;

	(void)state;
	assert_int_equal(date_parse(buf, 10, &day), 0);
	assert_int_equal(day, 17752);
	assert_int_equal(date_parse(buf, 19, &day), 0);
	assert_int_equal(day, 17752);
	assert_int_equal(date_parse(buf, 20, &day), -1);
	assert_int_equal(date_parse(buf, 9, &day), -1);
	assert_int_equal(date_parse(buf, 0, &day), -1);
	memcpy(exact, "2018-08-09", 10);
	assert_int_equal(date_parse(exact, sizeof(exact), &day), 0);
	assert_int_equal(day, 17752);
	assert_int_equal(date_parse(NULL, 0, &day), -1);
}

struct ymd_case {
	int y, m, d;
	int valid;
	int32_t day; /* checked when valid */
};

static const struct ymd_case ymd_cases[] = {
    {1970, 1, 1, 1, 0},       {1969, 12, 31, 1, -1},   {1900, 1, 1, 1, -25567},
    {2018, 8, 9, 1, 17752},   {2000, 2, 29, 1, 11016}, {2024, 2, 29, 1, 19782},
    {2199, 12, 31, 1, 84005}, {1900, 2, 29, 0, 0},     {2100, 2, 29, 0, 0},
    {2019, 2, 29, 0, 0},      {1899, 12, 31, 0, 0},    {2200, 1, 1, 0, 0},
    {2018, 0, 1, 0, 0},       {2018, 13, 1, 0, 0},     {2018, 1, 0, 0, 0},
    {2018, 6, 31, 0, 0},      {-2018, 1, 1, 0, 0},
};

static void test_ymd_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ymd_cases) / sizeof(ymd_cases[0]); i++) {
		const struct ymd_case *c = &ymd_cases[i];

		if (date_valid_ymd(c->y, c->m, c->d) != c->valid)
			fail_msg("case %zu %d-%d-%d: valid != %d", i, c->y, c->m, c->d, c->valid);
		if (c->valid && date_from_ymd(c->y, c->m, c->d) != c->day)
			fail_msg("case %zu %d-%d-%d: day %d, want %d", i, c->y, c->m, c->d,
			         (int)date_from_ymd(c->y, c->m, c->d), (int)c->day);
	}
}

static int ref_leap(int y)
{
	if (y % 400 == 0)
		return 1;
	if (y % 100 == 0)
		return 0;
	return y % 4 == 0;
}

static int ref_dim(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && ref_leap(y) ? 29 : dim[m - 1];
}

/* Walk every day of the range one by one and compare both directions. */
static void test_round_trip_whole_range(void **state)
{
	int y = DATE_MIN_YEAR, m = 1, d = 1;
	int32_t day = -25567;
	char text[DATE_TEXT_MAX], want[48];
	int gy, gm, gd;
	int32_t back;

	(void)state;
	for (;;) {
		assert_true(date_valid_ymd(y, m, d));
		if (date_from_ymd(y, m, d) != day)
			fail_msg("%d-%d-%d: day %d, want %d", y, m, d, (int)date_from_ymd(y, m, d),
			         (int)day);
		date_to_ymd(day, &gy, &gm, &gd);
		if (gy != y || gm != m || gd != d)
			fail_msg("day %d: %d-%d-%d, want %d-%d-%d", (int)day, gy, gm, gd, y, m, d);
		date_format(day, text);
		snprintf(want, sizeof(want), "%04d-%02d-%02d", y, m, d);
		assert_string_equal(text, want);
		assert_int_equal(date_parse(text, strlen(text), &back), 0);
		assert_int_equal(back, day);
		if (y == DATE_MAX_YEAR && m == 12 && d == 31)
			break;
		day++;
		if (++d > ref_dim(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	assert_int_equal(day, 84005);
}

static void test_to_ymd_extremes(void **state)
{
	int y, m, d;
	char text[DATE_TEXT_MAX];

	(void)state;
	date_to_ymd(INT32_MAX, &y, &m, &d);
	assert_true(y > 5000000);
	assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	date_to_ymd(INT32_MIN + 1, &y, &m, &d);
	assert_true(y < -5000000);
	assert_true(m >= 1 && m <= 12 && d >= 1 && d <= 31);
	date_to_ymd(DATE_NONE, &y, &m, &d);
	assert_int_equal(y, 0);
	/* Dates that do not fit four year digits format as "". */
	assert_string_equal(date_format(INT32_MAX, text), "");
	assert_string_equal(date_format(DATE_NONE, text), "");
	assert_string_equal(date_format(INT32_MIN + 1, text), "");
	assert_string_equal(date_format(0, text), "1970-01-01");
}

struct add_case {
	const char *from;
	int years;  /* used when months == 0 */
	int months; /* used when nonzero */
	const char *want;
};

static const struct add_case add_cases[] = {
    {"2018-08-09", 2, 0, "2020-08-09"},   {"2018-08-09", -2, 0, "2016-08-09"},
    {"2018-08-09", 6, 0, "2024-08-09"},   {"2018-08-09", 0, 0, "2018-08-09"},
    {"2020-02-29", 1, 0, "2021-02-28"},   {"2020-02-29", 4, 0, "2024-02-29"},
    {"2020-02-29", -1, 0, "2019-02-28"},  {"2000-02-29", 100, 0, "2100-02-28"},
    {"2000-02-29", 400, 0, "2400-02-29"}, {"2018-08-09", 0, 3, "2018-11-09"},
    {"2018-08-09", 0, 5, "2019-01-09"},   {"2018-08-09", 0, -8, "2017-12-09"},
    {"2018-08-09", 0, -7, "2018-01-09"},  {"2018-08-09", 0, 24, "2020-08-09"},
    {"2018-01-31", 0, 1, "2018-02-28"},   {"2020-01-31", 0, 1, "2020-02-29"},
    {"2018-03-31", 0, 1, "2018-04-30"},   {"2018-03-31", 0, -1, "2018-02-28"},
    {"2018-05-31", 0, -3, "2018-02-28"},  {"2018-12-31", 0, 2, "2019-02-28"},
    {"2018-10-31", 0, 11, "2019-09-30"},  {"1900-01-01", 0, -1, "1899-12-01"},
};

static void test_add_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(add_cases) / sizeof(add_cases[0]); i++) {
		const struct add_case *c = &add_cases[i];
		int32_t from, got;
		int y, m, d;
		char text[48];

		assert_int_equal(date_parse(c->from, strlen(c->from), &from), 0);
		if (c->months)
			got = date_add_months(from, c->months);
		else
			got = date_add_years(from, c->years);
		/* Results may leave the parser's range, so format by hand. */
		date_to_ymd(got, &y, &m, &d);
		snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m, d);
		if (strcmp(text, c->want) != 0)
			fail_msg("case %zu %s %+d%s: got %s, want %s", i, c->from,
			         c->months ? c->months : c->years, c->months ? "m" : "y", text,
			         c->want);
	}
}

static void test_add_extremes(void **state)
{
	int32_t day = 17752;

	(void)state;
	assert_int_equal(date_add_years(DATE_NONE, 1), DATE_NONE);
	assert_int_equal(date_add_months(DATE_NONE, 1), DATE_NONE);
	/* Results that leave the int32 day range are DATE_NONE, never UB. */
	assert_int_equal(date_add_years(day, INT32_MAX), DATE_NONE);
	assert_int_equal(date_add_years(day, INT32_MIN), DATE_NONE);
	assert_int_equal(date_add_months(day, INT32_MAX), DATE_NONE);
	assert_int_equal(date_add_months(day, INT32_MIN), DATE_NONE);
	assert_int_equal(date_add_years(INT32_MAX, 1), DATE_NONE);
	assert_int_equal(date_add_months(INT32_MIN + 1, -1), DATE_NONE);
	/* 12 months = 1 year, including the leap-day clamp. */
	assert_int_equal(date_add_months(day, 12), date_add_years(day, 1));
	assert_int_equal(date_add_months(date_from_ymd(2020, 2, 29), 12),
	                 date_add_years(date_from_ymd(2020, 2, 29), 1));
}

static int32_t utc_day(time_t t)
{
	int64_t s = (int64_t)t;

	return (int32_t)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

static void test_today_china(void **state)
{
	time_t before, after;
	int32_t today, u;
	struct tm tm;
	time_t shifted;
	int y, m, d;

	(void)state;
	before = time(NULL);
	today = date_today_china();
	after = time(NULL);
	u = utc_day(before);
	assert_true(today >= u - 1 && today <= utc_day(after) + 1);
	/* China is ahead of UTC, never behind it. */
	assert_true(today >= u);

	date_to_ymd(today, &y, &m, &d);
	assert_true(date_valid_ymd(y, m, d));
	if (before == after) {
		shifted = before + 8 * 3600;
		assert_non_null(gmtime_r(&shifted, &tm));
		assert_int_equal(y, tm.tm_year + 1900);
		assert_int_equal(m, tm.tm_mon + 1);
		assert_int_equal(d, tm.tm_mday);
	}
}

/* The time in China, as the trail, the log and the probe lists print it. */
static void test_time_china(void **state)
{
	char out[DATE_TIME_TEXT_MAX];

	(void)state;
	date_time_china(0, out);
	assert_string_equal(out, "1970-01-01 08:00:00");
	date_time_china(1780000000, out); /* 2026-05-28 20:26:40 UTC */
	assert_string_equal(out, "2026-05-29 04:26:40");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_table),     cmocka_unit_test(test_parse_not_nul_terminated),
	    cmocka_unit_test(test_ymd_table),       cmocka_unit_test(test_round_trip_whole_range),
	    cmocka_unit_test(test_to_ymd_extremes), cmocka_unit_test(test_add_table),
	    cmocka_unit_test(test_add_extremes),    cmocka_unit_test(test_today_china),
	    cmocka_unit_test(test_time_china),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
