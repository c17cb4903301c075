/*
 * idnum.h - resident ID numbers (GB 11643-1999), exactly as DOMAIN.md
 * section 3 defines validity: 18 characters, 17 digits then a digit or X
 * (lowercase x accepted), a known province code, a real calendar date not in
 * the future, and the right check character.
 */
#ifndef OPCERT_IDNUM_H
#define OPCERT_IDNUM_H

#include <stddef.h>
#include <stdint.h>

#include "text.h"

#define IDNUM_LEN  18
#define IDNUM_SIZE 19 /* with the NUL */
/* The earliest birth year taken: validity asks only for a real date not in
 * the future (DOMAIN section 3), so this is earlier than DATE_MIN_YEAR,
 * which bounds the dates users type. */
#define IDNUM_MIN_YEAR 1800

enum idnum_error {
	IDNUM_OK = 0,
	IDNUM_EMPTY,    /* nothing given */
	IDNUM_LENGTH,   /* not 18 characters */
	IDNUM_CHARS,    /* not 17 digits + digit/X */
	IDNUM_PROVINCE, /* first two digits are no province code */
	IDNUM_DATE,     /* no such calendar date */
	IDNUM_FUTURE,   /* birth date after today */
	IDNUM_CHECK,    /* wrong check character */
};

/*
 * Check s (len bytes, surrounding ASCII and full-width spaces ignored)
 * against today.  On IDNUM_OK and whenever s had 18 characters the
 * normalised form (uppercase X) is written to out when out is not NULL;
 * otherwise out is set to "".
 */
enum idnum_error idnum_check(const char *s, size_t len, int32_t today, char out[IDNUM_SIZE]);

/* Reason in Chinese, e.g. "校验码错误". */
const char *idnum_reason(enum idnum_error e);
/*
 * For IDNUM_CHARS: the first character of s (trimmed as idnum_check trims)
 * that may not stand where it stands, named in name (text_refused_char);
 * returns its position counted from 1, or 0.
 */
size_t idnum_refused_char(const char *s, size_t len, char name[TEXT_CHAR_NAME_SIZE]);
/* Short English code, e.g. "check". */
const char *idnum_error_code(enum idnum_error e);

/* Check character for the first 17 digits (which must be digits). */
char idnum_check_char(const char *first17);

/* 1 male, 2 female, from the sequence digit of a normalised 18-char number. */
int idnum_gender(const char *id);
/* Birth date of a normalised 18-char number whose date is valid. */
int32_t idnum_birth(const char *id);

/*
 * 1 when s looks like an ID number that Excel turned into a number:
 * scientific notation ("5.20102E+17"), a trailing ".0", or 18 digits ending
 * in 000 whose check character is wrong (digits beyond the 15th lost).
 */
int idnum_excel_mangled(const char *s, size_t len);

/* Public mask: first 6, eight '*', last 4 ("520102********123X"). */
void idnum_mask(const char *id, char out[IDNUM_SIZE]);

#endif
