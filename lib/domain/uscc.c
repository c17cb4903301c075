/*
 * uscc.c - see uscc.h.  Companies are identified by this code in the
 * campaign's forms; a mistyped one must be caught before it files a
 * self-inspection form under another company's name.
 */
#include "uscc.h"

#include <string.h>

#include "text.h"

static const char alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const int weights[17] = {1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

static int value_of(char c)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	if (c == '\0')
		return -1;
	p = strchr(alphabet, c);
	return p ? (int)(p - alphabet) : -1;
}

char uscc_check_char(const char *first17)
{
	int sum = 0, i, v;

	for (i = 0; i < 17; i++) {
		v = value_of(first17[i]);
		if (v < 0)
			return '\0';
		sum += v * weights[i];
	}
	v = 31 - sum % 31;
	return alphabet[v == 31 ? 0 : v];
}

enum uscc_error uscc_check(const char *s, size_t len, char out[USCC_SIZE])
{
	char code[USCC_SIZE];
	size_t i;

	if (out)
		out[0] = '\0';
	text_trim(&s, &len);
	if (len == 0)
		return USCC_EMPTY;
	/* Characters, not bytes: a full-width digit makes a wrong character,
	 * not a wrong length. */
	if (len != USCC_LEN)
		return text_chars(s, len) == USCC_LEN ? USCC_CHARS : USCC_LENGTH;
	for (i = 0; i < USCC_LEN; i++) {
		int v = value_of(s[i]);

		if (v < 0)
			return USCC_CHARS;
		code[i] = alphabet[v];
	}
	code[USCC_LEN] = '\0';
	for (i = 2; i < 8; i++)
		if (code[i] < '0' || code[i] > '9')
			return USCC_REGION;
	if (uscc_check_char(code) != code[17])
		return USCC_CHECK;
	if (out)
		memcpy(out, code, USCC_SIZE);
	return USCC_OK;
}

static int uscc_char_allowed(unsigned char c, size_t index)
{
	(void)index;
	return value_of((char)c) >= 0;
}

size_t uscc_refused_char(const char *s, size_t len, char name[TEXT_CHAR_NAME_SIZE])
{
	name[0] = '\0';
	if (!s)
		return 0;
	text_trim(&s, &len);
	return text_refused_char(s, len, uscc_char_allowed, name);
}

const char *uscc_reason(enum uscc_error e)
{
	switch (e) {
	case USCC_OK:
		return "有效";
	case USCC_EMPTY:
		return "未填写";
	case USCC_LENGTH:
		return "长度不是18位";
	case USCC_CHARS:
		return "含有非法字符（不使用 I、O、S、V、Z）";
	case USCC_REGION:
		return "第3至8位行政区划码应为数字";
	case USCC_CHECK:
		return "校验码错误";
	}
	return "";
}
