/*
 * fuzz_idnum.c - libFuzzer target for the ID number checks.  Arbitrary
 * bytes must never crash or read past the given length; an accepted number
 * must be normalised, re-check as valid, yield a gender and a birth date
 * not after "today", mask to 18 characters, and never be taken for an
 * Excel-mangled value.  A refused character is named exactly when the
 * reason is a bad character (a number of the wrong length may hold some).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "idnum.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	int32_t today = date_from_ymd(2024, 6, 1);
	char out[IDNUM_SIZE], again[IDNUM_SIZE], mask[IDNUM_SIZE], name[TEXT_CHAR_NAME_SIZE];
	enum idnum_error e, e2;
	int32_t birth;
	size_t at;

	(void)idnum_excel_mangled(s, size);
	e = idnum_check(s, size, today, out);
	if (!idnum_reason(e) || !idnum_error_code(e))
		abort();
	at = idnum_refused_char(s, size, name);
	if (at > size || (at == 0) != (name[0] == '\0') || strlen(name) >= sizeof(name))
		abort();
	if (e != IDNUM_LENGTH && (e == IDNUM_CHARS) != (at != 0))
		abort();
	if (e == IDNUM_CHARS && at > IDNUM_LEN)
		abort();
	/* Without a today, only the future check can change its mind. */
	e2 = idnum_check(s, size, DATE_NONE, NULL);
	if (e2 != e && !(e == IDNUM_FUTURE && (e2 == IDNUM_OK || e2 == IDNUM_CHECK)))
		abort();
	if (e != IDNUM_OK) {
		if (strlen(out) > IDNUM_LEN)
			abort();
		return 0;
	}
	if (strlen(out) != IDNUM_LEN || strchr(out, 'x'))
		abort();
	if (idnum_check(out, IDNUM_LEN, today, again) != IDNUM_OK || strcmp(out, again) != 0)
		abort();
	if (idnum_check_char(out) != out[17])
		abort();
	if (idnum_gender(out) != 1 && idnum_gender(out) != 2)
		abort();
	birth = idnum_birth(out);
	if (birth == DATE_NONE || birth > today || birth < date_from_ymd(IDNUM_MIN_YEAR, 1, 1))
		abort();
	idnum_mask(out, mask);
	if (strlen(mask) != IDNUM_LEN || memcmp(mask + 6, "********", 8) != 0 ||
	    memcmp(mask, out, 6) != 0 || memcmp(mask + 14, out + 14, 4) != 0)
		abort();
	if (idnum_excel_mangled(out, IDNUM_LEN))
		abort();
	return 0;
}
