/*
 * fuzz_date.c - libFuzzer target for date_parse.  Beyond not crashing or
 * overflowing on arbitrary bytes, a date that parses must be a real date in
 * range, format back to text that parses to the same day, and survive
 * month/year arithmetic with amounts taken from the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[DATE_TEXT_MAX];
	int32_t day, again, later;
	int y, m, d, n = 0;
	size_t i;

	if (date_parse((const char *)data, size, &day) != 0)
		return 0;
	date_to_ymd(day, &y, &m, &d);
	if (!date_valid_ymd(y, m, d) || date_from_ymd(y, m, d) != day)
		abort();
	date_format(day, text);
	if (strlen(text) != 10)
		abort();
	if (date_parse(text, strlen(text), &again) != 0 || again != day)
		abort();

	/* An amount from the input, bounded so the result stays a date. */
	for (i = 0; i < size && i < 3; i++)
		n = n * 10 + data[i] % 10;
	n -= 500;
	later = date_add_months(day, n);
	if (later == DATE_NONE || date_add_months(later, -n) > day)
		abort();
	later = date_add_years(day, n);
	if (later == DATE_NONE || date_add_years(later, -n) > day)
		abort();
	if (date_add_months(day, 12 * n) != date_add_years(day, n))
		abort();
	return 0;
}
