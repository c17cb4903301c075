/*
 * date.c - calendar arithmetic and the lenient date parser used for every
 * date that comes from users: roster cells typed or pasted in Excel, command
 * line options and API fields.  Dates are kept as day numbers so comparisons
 * and validity windows are plain integer arithmetic; the conversions use
 * the days-from-civil / civil-from-days algorithms so nothing depends on the
 * C library's time zone database, which is often missing or wrong on the
 * small servers this runs on.
 */
#include "date.h"

#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "text.h"

/* Ideographic space U+3000, which Chinese input methods type for a space. */
#define IDEO_SPACE_0 0xe3
#define IDEO_SPACE_1 0x80
#define IDEO_SPACE_2 0x80

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_ideo_space(const unsigned char *p, size_t avail)
{
	return avail >= 3 && p[0] == IDEO_SPACE_0 && p[1] == IDEO_SPACE_1 && p[2] == IDEO_SPACE_2;
}

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const unsigned char dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

/* Floor division: C truncates toward zero, the calendar needs floor. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/*
 * Howard Hinnant's days_from_civil.  64-bit throughout so callers adding
 * large year or month counts cannot overflow before the range check.
 */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

int date_valid_ymd(int y, int m, int d)
{
	return date_valid_ymd_from(DATE_MIN_YEAR, y, m, d);
}

int date_valid_ymd_from(int min_year, int y, int m, int d)
{
	if (y < min_year || y > DATE_MAX_YEAR)
		return 0;
	if (m < 1 || m > 12)
		return 0;
	return d >= 1 && d <= days_in_month(y, m);
}

int32_t date_from_ymd(int y, int m, int d)
{
	if (m < 1 || m > 12)
		return DATE_NONE;
	return (int32_t)days_from_civil(y, m, d);
}

void date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int64_t yy;

	if (day == DATE_NONE) {
		*y = *m = *d = 0;
		return;
	}
	/* Every int32 day maps to a year of about +-5.9 million: fits an int. */
	civil_from_days(day, &yy, m, d);
	*y = (int)yy;
}

char *date_format(int32_t day, char *out)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	/* Four year digits only: anything else would not fit DATE_TEXT_MAX. */
	if (day == DATE_NONE || y < 0 || y > 9999) {
		out[0] = '\0';
		return out;
	}
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
	return out;
}

/* Build a day number from a possibly far-off year, or DATE_NONE when the
 * result does not fit. */
static int32_t clamp_to_day(int64_t y, int m, int d)
{
	int64_t z;
	int dim;

	/* Years beyond this cannot be represented as int32 day numbers anyway,
	 * and bounding them keeps the arithmetic below far from overflow. */
	if (y < -6000000 || y > 6000000)
		return DATE_NONE;
	dim = days_in_month(y, m);
	if (d > dim)
		d = dim;
	z = days_from_civil(y, m, d);
	if (z <= INT32_MIN || z > INT32_MAX)
		return DATE_NONE;
	return (int32_t)z;
}

int32_t date_add_years(int32_t day, int years)
{
	int64_t y;
	int m, d;

	if (day == DATE_NONE)
		return DATE_NONE;
	civil_from_days(day, &y, &m, &d);
	return clamp_to_day(y + years, m, d);
}

int32_t date_add_months(int32_t day, int months)
{
	int64_t y, total;
	int m, d;

	if (day == DATE_NONE)
		return DATE_NONE;
	civil_from_days(day, &y, &m, &d);
	total = y * 12 + (m - 1) + months;
	y = floor_div(total, 12);
	m = (int)(total - y * 12) + 1;
	return clamp_to_day(y, m, d);
}

int64_t date_now_seconds(void)
{
	return (int64_t)time(NULL);
}

void date_time_china(int64_t t, char out[DATE_TIME_TEXT_MAX])
{
	time_t s = (time_t)(t + 8 * 3600);
	struct tm tm;

	if (!gmtime_r(&s, &tm) || strftime(out, DATE_TIME_TEXT_MAX, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, DATE_TIME_TEXT_MAX, "%" PRId64, t);
}

int32_t date_today_china(void)
{
	return (int32_t)floor_div(date_now_seconds() + 8 * 3600, 86400);
}

/*
 * A small cursor over the input so no helper can read past len.
 */
struct cur {
	const unsigned char *p;
	size_t n;
};

static int peek(const struct cur *c)
{
	return c->n ? c->p[0] : -1;
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* Read between min and max digits (max <= 9, so no overflow). */
static int take_digits(struct cur *c, int min, int max, int *val)
{
	int k = 0, v = 0;

	while (k < max && c->n && is_digit(c->p[0])) {
		v = v * 10 + (c->p[0] - '0');
		c->p++;
		c->n--;
		k++;
	}
	if (k < min)
		return -1;
	/* More digits than allowed: the field is too long, not just finished. */
	if (c->n && is_digit(c->p[0]))
		return -1;
	*val = v;
	return k;
}

static int take_bytes(struct cur *c, const char *lit, size_t litlen)
{
	size_t i;

	if (c->n < litlen)
		return -1;
	for (i = 0; i < litlen; i++)
		if (c->p[i] != (unsigned char)lit[i])
			return -1;
	c->p += litlen;
	c->n -= litlen;
	return 0;
}

static void skip_spaces(struct cur *c)
{
	for (;;) {
		if (c->n && is_ascii_space(c->p[0])) {
			c->p++;
			c->n--;
		} else if (is_ideo_space(c->p, c->n)) {
			c->p += 3;
			c->n -= 3;
		} else {
			return;
		}
	}
}

/*
 * The time of day Excel appends when a cell is formatted as date and time:
 * "0:00", "00:00:00", optionally with fractional seconds.  It is checked
 * for sanity and then ignored: certificates are valid for whole days.
 */
static int take_time(struct cur *c)
{
	int h, mi, se;

	if (take_digits(c, 1, 2, &h) < 0 || h > 23)
		return -1;
	if (take_bytes(c, ":", 1) < 0)
		return -1;
	if (take_digits(c, 2, 2, &mi) < 0 || mi > 59)
		return -1;
	if (peek(c) != ':')
		return 0;
	c->p++;
	c->n--;
	if (take_digits(c, 2, 2, &se) < 0 || se > 59)
		return -1;
	if (peek(c) == '.') {
		c->p++;
		c->n--;
		if (take_digits(c, 1, 9, &se) < 0)
			return -1;
	}
	return 0;
}

static const char NIAN[] = "年";
static const char YUE[] = "月";
static const char RI[] = "日";

int date_parse(const char *s, size_t len, int32_t *out)
{
	struct cur c;
	int y, m, d, sep;

	if (!s)
		return -1;
	text_trim(&s, &len);
	c.p = (const unsigned char *)s;
	c.n = len;

	if (take_digits(&c, 4, 8, &y) < 0)
		return -1;
	if (c.p - (const unsigned char *)s == 8) {
		/* 20180809 */
		d = y % 100;
		m = y / 100 % 100;
		y /= 10000;
	} else if (c.p - (const unsigned char *)s != 4) {
		return -1;
	} else if (take_bytes(&c, NIAN, 3) == 0) {
		skip_spaces(&c);
		if (take_digits(&c, 1, 2, &m) < 0)
			return -1;
		skip_spaces(&c);
		if (take_bytes(&c, YUE, 3) < 0)
			return -1;
		skip_spaces(&c);
		if (take_digits(&c, 1, 2, &d) < 0)
			return -1;
		skip_spaces(&c);
		if (take_bytes(&c, RI, 3) < 0)
			return -1;
	} else {
		sep = peek(&c);
		if (sep != '-' && sep != '/' && sep != '.')
			return -1;
		c.p++;
		c.n--;
		if (take_digits(&c, 1, 2, &m) < 0)
			return -1;
		/* Mixed separators ("2018-8/9") are more likely a typo than a date. */
		if (peek(&c) != sep)
			return -1;
		c.p++;
		c.n--;
		if (take_digits(&c, 1, 2, &d) < 0)
			return -1;
	}

	if (c.n) {
		/* Only a time of day may follow, after at least one space. */
		struct cur before = c;

		skip_spaces(&c);
		if (c.p == before.p)
			return -1;
		if (take_time(&c) < 0 || c.n)
			return -1;
	}

	if (!date_valid_ymd(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}
