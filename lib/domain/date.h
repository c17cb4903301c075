/*
 * date.h - calendar dates as day numbers.
 *
 * A date is an int32_t counting days since 1970-01-01 in the proleptic
 * Gregorian calendar (negative before).  DATE_NONE marks an absent date.
 * "Today" is the date in China (UTC+8, no daylight saving) unless the caller
 * fixes it.
 */
#ifndef OPCERT_DATE_H
#define OPCERT_DATE_H

#include <stddef.h>
#include <stdint.h>

#define DATE_NONE     INT32_MIN
#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2199

/* 1 when y-m-d is a real calendar date within DATE_MIN_YEAR..DATE_MAX_YEAR. */
int date_valid_ymd(int y, int m, int d);
/* 1 when y-m-d is a real calendar date within min_year..DATE_MAX_YEAR: for
 * the one caller whose dates start earlier (birth dates in ID numbers). */
int date_valid_ymd_from(int min_year, int y, int m, int d);
/* Day number of y-m-d; the date must be valid. */
int32_t date_from_ymd(int y, int m, int d);
void date_to_ymd(int32_t day, int *y, int *m, int *d);

/*
 * Parse a date as Chinese Excel users write it: 2018-08-09, 2018/8/9,
 * 2018.8.9, 2018年8月9日, 20180809; surrounding spaces and a trailing time of
 * day that Excel adds ("2018/8/9 0:00", "2018-08-09 00:00:00") are accepted.
 * Returns 0 and sets *out, or -1 when s is not a real date in range.
 * s need not be NUL-terminated.
 */
int date_parse(const char *s, size_t len, int32_t *out);

/* Write YYYY-MM-DD and a NUL into out (at least DATE_TEXT_MAX bytes). */
#define DATE_TEXT_MAX 11
char *date_format(int32_t day, char *out);

/* Same day n years/months later; a day that does not exist is clamped to the
 * month's last day (2020-02-29 + 1 year = 2021-02-28). */
int32_t date_add_years(int32_t day, int years);
int32_t date_add_months(int32_t day, int months);

/* Today's date in China (Asia/Shanghai, UTC+8). */
int32_t date_today_china(void);

/* Now, in unix seconds: the one clock behind every recorded time (trail
 * entries, log events, sessions, checkpoints). */
int64_t date_now_seconds(void);

/* Unix seconds t as the time in China (UTC+8, no daylight saving),
 * "YYYY-MM-DD HH:MM:SS", into out (DATE_TIME_TEXT_MAX bytes); the bare
 * number of seconds when t is out of range. */
#define DATE_TIME_TEXT_MAX 32
void date_time_china(int64_t t, char out[DATE_TIME_TEXT_MAX]);

#endif
