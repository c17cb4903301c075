/*
 * idnum.c - the GB 11643-1999 resident ID number checks that are the first
 * line of defence against forged certificates: a fake card very often
 * carries an ID number that could not exist.  Validity is exactly what
 * DOMAIN.md section 3 says and nothing more (no county list, no age
 * rules).  The module also recognises the ways Excel destroys ID numbers
 * typed into a numeric cell, so a roster row can say "Excel ate this
 * number" instead of accusing the worker of a fake ID, and it produces the
 * public mask, because an ID number is personal information under PIPL.
 */
#include "idnum.h"

#include <string.h>

#include "date.h"
#include "text.h"

static int is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int province_ok(int code)
{
	return (code >= 11 && code <= 15) || (code >= 21 && code <= 23) ||
	       (code >= 31 && code <= 37) || (code >= 41 && code <= 46) ||
	       (code >= 50 && code <= 54) || (code >= 61 && code <= 65) || code == 71 ||
	       code == 81 || code == 82;
}

/* A birth date: a real calendar date from IDNUM_MIN_YEAR on. */
static int birth_valid(int y, int m, int d)
{
	return date_valid_ymd_from(IDNUM_MIN_YEAR, y, m, d);
}

static int digits_value(const char *p, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++)
		v = v * 10 + (p[i] - '0');
	return v;
}

char idnum_check_char(const char *first17)
{
	static const unsigned char w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const char chk[] = "10X98765432";
	unsigned sum = 0;
	int i;

	for (i = 0; i < 17; i++) {
		if (!is_digit((unsigned char)first17[i]))
			return '\0';
		sum += (unsigned)(first17[i] - '0') * w[i];
	}
	return chk[sum % 11];
}

enum idnum_error idnum_check(const char *s, size_t len, int32_t today, char out[IDNUM_SIZE])
{
	char id[IDNUM_SIZE];
	const unsigned char *p;
	int i, y, m, d;

	if (out)
		out[0] = '\0';
	if (!s)
		return IDNUM_EMPTY;
	text_trim(&s, &len);
	if (len == 0)
		return IDNUM_EMPTY;
	p = (const unsigned char *)s;
	/* Characters, not bytes: a number typed with full-width digits is 18
	 * characters with bad characters, not a number of the wrong length. */
	if (len != IDNUM_LEN)
		return text_chars(s, len) == IDNUM_LEN ? IDNUM_CHARS : IDNUM_LENGTH;

	for (i = 0; i < IDNUM_LEN; i++)
		id[i] = (char)(p[i] >= 'a' && p[i] <= 'z' ? p[i] - 'a' + 'A' : p[i]);
	id[IDNUM_LEN] = '\0';
	if (out)
		memcpy(out, id, IDNUM_SIZE);

	for (i = 0; i < 17; i++)
		if (!is_digit((unsigned char)id[i]))
			return IDNUM_CHARS;
	if (!is_digit((unsigned char)id[17]) && id[17] != 'X')
		return IDNUM_CHARS;
	if (!province_ok(digits_value(id, 2)))
		return IDNUM_PROVINCE;
	y = digits_value(id + 6, 4);
	m = digits_value(id + 10, 2);
	d = digits_value(id + 12, 2);
	if (!birth_valid(y, m, d))
		return IDNUM_DATE;
	if (today != DATE_NONE && date_from_ymd(y, m, d) > today)
		return IDNUM_FUTURE;
	if (idnum_check_char(id) != id[17])
		return IDNUM_CHECK;
	return IDNUM_OK;
}

const char *idnum_reason(enum idnum_error e)
{
	switch (e) {
	case IDNUM_OK:
		return "有效";
	case IDNUM_EMPTY:
		return "未填写";
	case IDNUM_LENGTH:
		return "长度不是18位";
	case IDNUM_CHARS:
		return "含有非法字符";
	case IDNUM_PROVINCE:
		return "省份代码无效";
	case IDNUM_DATE:
		return "出生日期无效";
	case IDNUM_FUTURE:
		return "出生日期晚于今天";
	case IDNUM_CHECK:
		return "校验码错误";
	}
	return "未知错误";
}

/* 17 digits, then a digit or X (x) */
static int id_char_allowed(unsigned char c, size_t index)
{
	return is_digit(c) || (index == IDNUM_LEN - 1 && (c == 'X' || c == 'x'));
}

size_t idnum_refused_char(const char *s, size_t len, char name[TEXT_CHAR_NAME_SIZE])
{
	name[0] = '\0';
	if (!s)
		return 0;
	text_trim(&s, &len);
	return text_refused_char(s, len, id_char_allowed, name);
}

const char *idnum_error_code(enum idnum_error e)
{
	switch (e) {
	case IDNUM_OK:
		return "ok";
	case IDNUM_EMPTY:
		return "empty";
	case IDNUM_LENGTH:
		return "length";
	case IDNUM_CHARS:
		return "chars";
	case IDNUM_PROVINCE:
		return "province";
	case IDNUM_DATE:
		return "date";
	case IDNUM_FUTURE:
		return "future";
	case IDNUM_CHECK:
		return "check";
	}
	return "unknown";
}

/* Length of id up to limit, without reading past a NUL. */
static size_t bounded_len(const char *id, size_t limit)
{
	size_t n = 0;

	while (n < limit && id[n])
		n++;
	return n;
}

int idnum_gender(const char *id)
{
	unsigned char c;

	if (!id || bounded_len(id, 17) < 17)
		return 0;
	c = (unsigned char)id[16];
	if (!is_digit(c))
		return 0;
	return (c - '0') % 2 ? 1 : 2;
}

int32_t idnum_birth(const char *id)
{
	int i, y, m, d;

	if (!id || bounded_len(id, 14) < 14)
		return DATE_NONE;
	for (i = 6; i < 14; i++)
		if (!is_digit((unsigned char)id[i]))
			return DATE_NONE;
	y = digits_value(id + 6, 4);
	m = digits_value(id + 10, 2);
	d = digits_value(id + 12, 2);
	if (!birth_valid(y, m, d))
		return DATE_NONE;
	return date_from_ymd(y, m, d);
}

/* Count the leading ASCII digits of p[0..n), at most limit + 1. */
static size_t count_digits(const unsigned char *p, size_t n, size_t limit)
{
	size_t k = 0;

	while (k < n && k <= limit && is_digit(p[k]))
		k++;
	return k;
}

int idnum_excel_mangled(const char *s, size_t len)
{
	const unsigned char *p;
	size_t k, i, e;

	if (!s)
		return 0;
	text_trim(&s, &len);
	p = (const unsigned char *)s;

	/*
	 * Scientific notation, as a General-formatted cell shows a big
	 * number: "5.20102E+17" or "5.20102199001011E+17".  An 18-digit
	 * number always has exponent 17.
	 */
	if (len >= 5 && is_digit(p[0]) && p[0] != '0') {
		i = 1;
		if (i < len && p[i] == '.') {
			i++;
			k = count_digits(p + i, len - i, 20);
			if (k == 0 || k > 20)
				goto not_sci;
			i += k;
		}
		if (i < len && (p[i] == 'E' || p[i] == 'e')) {
			i++;
			if (i < len && p[i] == '+')
				i++;
			e = count_digits(p + i, len - i, 2);
			if (e == 2 && i + 2 == len && p[i] == '1' && p[i + 1] == '7')
				return 1;
		}
	}
not_sci:
	/*
	 * A number written back as text with a decimal part: "...234.0".
	 * Excel keeps 15 significant digits, so 15 to 18 digits are plausible.
	 */
	k = count_digits(p, len, IDNUM_LEN);
	if (k >= 15 && k <= IDNUM_LEN && k + 1 < len && p[k] == '.') {
		for (i = k + 1; i < len; i++)
			if (p[i] != '0')
				break;
		if (i == len)
			return 1;
	}
	/*
	 * 18 digits whose last three became 000 when Excel rounded to 15
	 * significant digits.  A genuine number can end in 000, so only a
	 * wrong check character makes it suspicious.
	 */
	if (len == IDNUM_LEN && k == IDNUM_LEN && p[15] == '0' && p[16] == '0' && p[17] == '0')
		return idnum_check_char(s) != '0';
	return 0;
}

void idnum_mask(const char *id, char out[IDNUM_SIZE])
{
	size_t n, i;
	int ascii = 1;

	n = id ? bounded_len(id, IDNUM_LEN + 1) : 0;
	for (i = 0; i < n && i < IDNUM_LEN; i++)
		if ((unsigned char)id[i] >= 0x80)
			ascii = 0;
	if (n != IDNUM_LEN || !ascii) {
		/*
		 * Not an ID number we can mask by position (and showing part of
		 * a multi-byte character would be broken UTF-8): hide it all.
		 */
		if (n > IDNUM_LEN)
			n = IDNUM_LEN;
		memset(out, '*', n);
		out[n] = '\0';
		return;
	}
	for (i = 0; i < IDNUM_LEN; i++) {
		unsigned char c = (unsigned char)id[i];

		if (i >= 6 && i < 14)
			out[i] = '*';
		else
			out[i] = (char)(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
	}
	out[IDNUM_LEN] = '\0';
}
