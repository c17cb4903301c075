/*
 * trade.c - finding a trade by code, name or alias (see trade.h).
 *
 * The table lives in trade_data.c so that adding a locally numbered trade
 * touches data only.  Rosters are typed by hand, often with a Chinese input
 * method, so the comparison drops spaces of any width and treats full- and
 * half-width parentheses alike; everything else must match byte for byte.
 */
#include "trade.h"

#include <string.h>

/* Defined in trade_data.c. */
extern const struct trade trade_table[];
extern const size_t trade_table_len;

/* "作业" in UTF-8: emergency item names end with it, and people leave it off. */
static const char SUFFIX_ZUOYE[] = "\xe4\xbd\x9c\xe4\xb8\x9a";
#define SUFFIX_ZUOYE_LEN (sizeof(SUFFIX_ZUOYE) - 1)

/* Reads text as the matcher sees it; never looks at p[len] or beyond. */
struct cursor {
	const unsigned char *p;
	size_t len;
	size_t i;
};

/* Next significant byte, or -1 at the end. */
static int cursor_next(struct cursor *c)
{
	while (c->i < c->len) {
		const unsigned char *p = c->p + c->i;
		size_t left = c->len - c->i;

		if (p[0] == ' ' || p[0] == '\t') {
			c->i++;
			continue;
		}
		/* U+00A0 no-break space: spreadsheets paste it for a space. */
		if (left >= 2 && p[0] == 0xc2 && p[1] == 0xa0) {
			c->i += 2;
			continue;
		}
		/* U+3000 ideographic space. */
		if (left >= 3 && p[0] == 0xe3 && p[1] == 0x80 && p[2] == 0x80) {
			c->i += 3;
			continue;
		}
		/* U+FF08 / U+FF09 full-width parentheses. */
		if (left >= 3 && p[0] == 0xef && p[1] == 0xbc && (p[2] == 0x88 || p[2] == 0x89)) {
			c->i += 3;
			return p[2] == 0x88 ? '(' : ')';
		}
		c->i++;
		return p[0];
	}
	return -1;
}

static int same(const char *a, size_t alen, const char *b, size_t blen)
{
	struct cursor x = {(const unsigned char *)a, alen, 0};
	struct cursor y = {(const unsigned char *)b, blen, 0};

	for (;;) {
		int ca = cursor_next(&x);
		int cb = cursor_next(&y);

		if (ca != cb)
			return 0;
		if (ca < 0)
			return 1;
	}
}

/* 1 when s has nothing but spaces: such input names no trade. */
static int blank(const char *s, size_t len)
{
	struct cursor c = {(const unsigned char *)s, len, 0};

	return cursor_next(&c) < 0;
}

static int matches_code(const struct trade *t, const char *s, size_t len)
{
	size_t clen = strlen(t->code);

	if (same(s, len, t->code, clen))
		return 1;
	/* Construction codes are two digits, but "1" is commonly written for "01". */
	if (t->system == SYS_CONSTRUCTION && clen == 2 && t->code[0] == '0')
		return same(s, len, t->code + 1, 1);
	return 0;
}

static int matches_name(const struct trade *t, const char *s, size_t len)
{
	size_t nlen = strlen(t->name);

	if (same(s, len, t->name, nlen))
		return 1;
	if (nlen > SUFFIX_ZUOYE_LEN &&
	    memcmp(t->name + nlen - SUFFIX_ZUOYE_LEN, SUFFIX_ZUOYE, SUFFIX_ZUOYE_LEN) == 0)
		return same(s, len, t->name, nlen - SUFFIX_ZUOYE_LEN);
	return 0;
}

static int matches_alias(const struct trade *t, const char *s, size_t len)
{
	const char *a = t->aliases;

	if (!a)
		return 0;
	for (;;) {
		const char *bar = strchr(a, '|');
		size_t alen = bar ? (size_t)(bar - a) : strlen(a);

		if (alen > 0 && same(s, len, a, alen))
			return 1;
		if (!bar)
			return 0;
		a = bar + 1;
	}
}

static const struct trade *find_in(enum cert_system sys, const char *s, size_t len)
{
	for (size_t i = 0; i < trade_table_len; i++) {
		const struct trade *t = &trade_table[i];

		if (t->system != sys)
			continue;
		if (matches_code(t, s, len) || matches_name(t, s, len) || matches_alias(t, s, len))
			return t;
	}
	return NULL;
}

const struct trade *trade_find(enum cert_system sys, const char *s, size_t len)
{
	const struct trade *t;

	if (!s || blank(s, len))
		return NULL;
	switch (sys) {
	case SYS_CONSTRUCTION:
	case SYS_EMERGENCY:
		return find_in(sys, s, len);
	case SYS_NONE:
		t = find_in(SYS_CONSTRUCTION, s, len);
		return t ? t : find_in(SYS_EMERGENCY, s, len);
	}
	return NULL;
}

static const struct trade *by_code_in(enum cert_system sys, const char *code)
{
	for (size_t i = 0; i < trade_table_len; i++) {
		const struct trade *t = &trade_table[i];

		if (t->system == sys && strcmp(t->code, code) == 0)
			return t;
	}
	return NULL;
}

const struct trade *trade_by_code(enum cert_system sys, const char *code)
{
	const struct trade *t;

	if (!code)
		return NULL;
	switch (sys) {
	case SYS_CONSTRUCTION:
	case SYS_EMERGENCY:
		return by_code_in(sys, code);
	case SYS_NONE:
		t = by_code_in(SYS_CONSTRUCTION, code);
		return t ? t : by_code_in(SYS_EMERGENCY, code);
	}
	return NULL;
}

size_t trade_count(void)
{
	return trade_table_len;
}

const struct trade *trade_at(size_t i)
{
	return i < trade_table_len ? &trade_table[i] : NULL;
}

const char *cert_system_name(enum cert_system sys)
{
	switch (sys) {
	case SYS_CONSTRUCTION:
		return "住建";
	case SYS_EMERGENCY:
		return "应急管理";
	case SYS_NONE:
		break;
	}
	return "";
}
