/*
 * uscc.h - unified social credit codes of organisations (统一社会信用代码,
 * GB 32100-2015), as DOMAIN.md section 3 defines them: 18 characters from
 * 0123456789ABCDEFGHJKLMNPQRTUWXY (no I, O, S, V, Z), a 6-digit region code
 * in places 3-8, and a check character: S = sum of the first 17 values
 * weighted 3^(i-1) mod 31, check value 31 - (S mod 31) with 31 written 0.
 */
#ifndef OPCERT_USCC_H
#define OPCERT_USCC_H

#include <stddef.h>

#include "text.h"

#define USCC_LEN  18
#define USCC_SIZE 19

enum uscc_error {
	USCC_OK = 0,
	USCC_EMPTY,
	USCC_LENGTH, /* not 18 characters */
	USCC_CHARS,  /* a character outside the alphabet */
	USCC_REGION, /* places 3-8 are not digits */
	USCC_CHECK,  /* wrong check character */
};

/*
 * Check s (len bytes; trimmed by text_trim's rule (text.h),
 * lowercase letters accepted).  On USCC_OK the normalised code (uppercase)
 * is written to out when out is not NULL; otherwise out is set to "".
 */
enum uscc_error uscc_check(const char *s, size_t len, char out[USCC_SIZE]);
/* Reason in Chinese, e.g. "校验码错误". */
const char *uscc_reason(enum uscc_error e);
/*
 * For USCC_CHARS: the first character of s (trimmed as uscc_check trims)
 * outside the alphabet, named in name (text_refused_char); returns its
 * position counted from 1, or 0.
 */
size_t uscc_refused_char(const char *s, size_t len, char name[TEXT_CHAR_NAME_SIZE]);
/* The check character for 17 characters of the alphabet, or '\0'. */
char uscc_check_char(const char *first17);

#endif
