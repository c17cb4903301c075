/*
 * test_trade.c - the trade table and its look-up: every trade by code,
 * name and alias, the forms people actually write, and the cases that must
 * find nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "trade.h"

/*
 * Look s up through an exact-size heap copy, so that any read past len
 * lands outside the allocation and the address sanitizer reports it.
 */
static const struct trade *find_exact(enum cert_system sys, const char *s, size_t len)
{
	char *copy = malloc(len ? len : 1);
	const struct trade *t;

	assert_non_null(copy);
	memcpy(copy, s, len);
	t = trade_find(sys, copy, len);
	free(copy);
	return t;
}

static const struct trade *find(enum cert_system sys, const char *s)
{
	return find_exact(sys, s, strlen(s));
}

static void check_found(enum cert_system sys, const char *s, enum cert_system want_sys,
                        const char *want_code)
{
	const struct trade *t = find(sys, s);

	if (!want_code) {
		if (t)
			fail_msg("\"%s\" (sys %d) should find nothing, found %s", s, (int)sys,
			         t->code);
		return;
	}
	if (!t)
		fail_msg("\"%s\" (sys %d) should find %s, found nothing", s, (int)sys, want_code);
	assert_int_equal(t->system, want_sys);
	assert_string_equal(t->code, want_code);
}

static void test_every_trade_by_code_and_name(void **state)
{
	(void)state;
	assert_true(trade_count() > 0);
	for (size_t i = 0; i < trade_count(); i++) {
		const struct trade *t = trade_at(i);

		assert_non_null(t);
		assert_true(t->system == SYS_CONSTRUCTION || t->system == SYS_EMERGENCY);
		assert_non_null(t->code);
		assert_non_null(t->name);
		assert_ptr_equal(find(t->system, t->code), t);
		assert_ptr_equal(find(t->system, t->name), t);
		/* Codes and names are distinct across systems too, so SYS_NONE finds each. */
		assert_ptr_equal(find(SYS_NONE, t->code), t);
		assert_ptr_equal(find(SYS_NONE, t->name), t);
		if (t->system == SYS_EMERGENCY)
			assert_non_null(t->category);
		else
			assert_null(t->category);
	}
	assert_null(trade_at(trade_count()));
}

static void test_every_alias(void **state)
{
	(void)state;
	for (size_t i = 0; i < trade_count(); i++) {
		const struct trade *t = trade_at(i);
		const char *a = t->aliases;

		while (a && *a) {
			const char *bar = strchr(a, '|');
			size_t len = bar ? (size_t)(bar - a) : strlen(a);

			assert_true(len > 0);
			if (find_exact(t->system, a, len) != t)
				fail_msg("alias \"%.*s\" does not find %s", (int)len, a, t->code);
			a = bar ? bar + 1 : a + len;
		}
	}
}

/* Emergency names are also written without the trailing 作业. */
static void test_emergency_names_without_suffix(void **state)
{
	static const char suffix[] = "作业";
	size_t slen = strlen(suffix);

	(void)state;
	for (size_t i = 0; i < trade_count(); i++) {
		const struct trade *t = trade_at(i);
		size_t len = strlen(t->name);

		if (t->system != SYS_EMERGENCY)
			continue;
		assert_true(len > slen);
		assert_memory_equal(t->name + len - slen, suffix, slen);
		assert_ptr_equal(find_exact(SYS_EMERGENCY, t->name, len - slen), t);
		assert_ptr_equal(find_exact(SYS_NONE, t->name, len - slen), t);
	}
}

/* A key as the look-up compares it: spaces dropped, parentheses half-width. */
struct key {
	const struct trade *t;
	char text[160];
};

static void key_set(struct key *k, const struct trade *t, const char *s, size_t len)
{
	size_t n = 0;

	k->t = t;
	for (size_t i = 0; i < len;) {
		const unsigned char *p = (const unsigned char *)s + i;

		if (p[0] == ' ') {
			i++;
		} else if (len - i >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0) {
			i += 3;
		} else if (len - i >= 3 && memcmp(p, "（", 3) == 0) {
			k->text[n++] = '(';
			i += 3;
		} else if (len - i >= 3 && memcmp(p, "）", 3) == 0) {
			k->text[n++] = ')';
			i += 3;
		} else {
			k->text[n++] = (char)p[0];
			i++;
		}
		assert_true(n < sizeof(k->text));
	}
	k->text[n] = '\0';
}

/*
 * Every code, short code, name, name without 作业 and alias of every trade,
 * of both systems: no two trades may share one, or the table order would
 * silently decide which trade a roster means.
 */
static void test_keys_unique(void **state)
{
	static struct key keys[1024];
	size_t n = 0;

	(void)state;
	for (size_t i = 0; i < trade_count(); i++) {
		const struct trade *t = trade_at(i);
		size_t len = strlen(t->name);
		const char *a = t->aliases;

		assert_ptr_equal(trade_by_code(t->system, t->code), t);
		assert_true(n + 4 < sizeof(keys) / sizeof(keys[0]));
		key_set(&keys[n++], t, t->code, strlen(t->code));
		if (t->system == SYS_CONSTRUCTION && t->code[0] == '0')
			key_set(&keys[n++], t, t->code + 1, strlen(t->code + 1));
		key_set(&keys[n++], t, t->name, len);
		if (t->system == SYS_EMERGENCY)
			key_set(&keys[n++], t, t->name, len - strlen("作业"));
		while (a && *a) {
			const char *bar = strchr(a, '|');
			size_t alen = bar ? (size_t)(bar - a) : strlen(a);

			assert_true(n < sizeof(keys) / sizeof(keys[0]));
			key_set(&keys[n++], t, a, alen);
			a = bar ? bar + 1 : a + alen;
		}
	}
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (keys[i].t != keys[j].t && strcmp(keys[i].text, keys[j].text) == 0)
				fail_msg("\"%s\" names both %s and %s", keys[i].text,
				         keys[i].t->code, keys[j].t->code);
}

static void test_cases(void **state)
{
	static const struct {
		enum cert_system sys;
		const char *s;
		enum cert_system want_sys;
		const char *want; /* NULL: nothing */
	} cases[] = {
	    /* codes, with and without the leading zero */
	    {SYS_CONSTRUCTION, "01", SYS_CONSTRUCTION, "01"},
	    {SYS_CONSTRUCTION, "1", SYS_CONSTRUCTION, "01"},
	    {SYS_CONSTRUCTION, "9", SYS_CONSTRUCTION, "09"},
	    {SYS_NONE, "4", SYS_CONSTRUCTION, "04"},
	    {SYS_CONSTRUCTION, "10", SYS_CONSTRUCTION, "10"},
	    {SYS_CONSTRUCTION, "11", SYS_CONSTRUCTION, "11"},
	    {SYS_CONSTRUCTION, " 05 ", SYS_CONSTRUCTION, "05"},
	    {SYS_EMERGENCY, "2.1", SYS_EMERGENCY, "2.1"},
	    {SYS_EMERGENCY, "5.10", SYS_EMERGENCY, "5.10"},
	    {SYS_NONE, "9.16", SYS_EMERGENCY, "9.16"},
	    {SYS_NONE, "10.5", SYS_EMERGENCY, "10.5"},
	    /* names and aliases */
	    {SYS_CONSTRUCTION, "建筑电工", SYS_CONSTRUCTION, "01"},
	    {SYS_CONSTRUCTION, "电工", SYS_CONSTRUCTION, "01"},
	    {SYS_NONE, "电工", SYS_CONSTRUCTION, "01"},
	    {SYS_CONSTRUCTION, "信号工", SYS_CONSTRUCTION, "04"},
	    {SYS_CONSTRUCTION, "司索工", SYS_CONSTRUCTION, "04"},
	    {SYS_CONSTRUCTION, "信号司索工", SYS_CONSTRUCTION, "04"},
	    {SYS_CONSTRUCTION, "塔吊司机", SYS_CONSTRUCTION, "05"},
	    {SYS_CONSTRUCTION, "施工升降机司机", SYS_CONSTRUCTION, "06"},
	    {SYS_CONSTRUCTION, "物料提升机司机", SYS_CONSTRUCTION, "07"},
	    {SYS_CONSTRUCTION, "塔吊安装拆卸工", SYS_CONSTRUCTION, "08"},
	    {SYS_CONSTRUCTION, "吊篮安装拆卸工", SYS_CONSTRUCTION, "11"},
	    {SYS_EMERGENCY, "低压电工", SYS_EMERGENCY, "1.2"},
	    {SYS_EMERGENCY, "低压电工作业", SYS_EMERGENCY, "1.2"},
	    {SYS_NONE, "高压电工", SYS_EMERGENCY, "1.1"},
	    {SYS_EMERGENCY, "熔化焊接与热切割", SYS_EMERGENCY, "2.1"},
	    {SYS_EMERGENCY, "焊工", SYS_EMERGENCY, "2.1"},
	    {SYS_EMERGENCY, "登高架设", SYS_EMERGENCY, "3.1"},
	    {SYS_EMERGENCY, "高处安装、维护、拆除作业", SYS_EMERGENCY, "3.2"},
	    {SYS_EMERGENCY, "高处安装维护拆除", SYS_EMERGENCY, "3.2"},
	    {SYS_EMERGENCY, "司钻", SYS_EMERGENCY, "7.1"},
	    {SYS_EMERGENCY, "煤气作业", SYS_EMERGENCY, "8.1"},
	    /* parentheses of either width, spaces of any width */
	    {SYS_CONSTRUCTION, "建筑架子工(普通脚手架)", SYS_CONSTRUCTION, "02"},
	    {SYS_CONSTRUCTION, "建筑架子工（附着升降脚手架）", SYS_CONSTRUCTION, "03"},
	    {SYS_CONSTRUCTION, "建筑架子工(附着升降脚手架）", SYS_CONSTRUCTION, "03"},
	    {SYS_NONE, "建筑起重机械司机 （塔式起重机）", SYS_CONSTRUCTION, "05"},
	    {SYS_CONSTRUCTION, "建筑起重机械安装拆卸工 (施工升降机)", SYS_CONSTRUCTION, "09"},
	    {SYS_CONSTRUCTION, "\xe3\x80\x80建筑电工\xe3\x80\x80", SYS_CONSTRUCTION, "01"},
	    {SYS_EMERGENCY, " 低 压\xe3\x80\x80电 工 ", SYS_EMERGENCY, "1.2"},
	    {SYS_EMERGENCY, "\t低压电工\xc2\xa0", SYS_EMERGENCY, "1.2"},
	    {SYS_EMERGENCY, "煤矿采煤机(掘进机)操作", SYS_EMERGENCY, "5.7"},
	    {SYS_EMERGENCY, "裂解（裂化）工艺", SYS_EMERGENCY, "9.6"},
	    /* wrong system */
	    {SYS_EMERGENCY, "建筑电工", SYS_NONE, NULL},
	    {SYS_EMERGENCY, "电工", SYS_NONE, NULL},
	    {SYS_EMERGENCY, "01", SYS_NONE, NULL},
	    {SYS_EMERGENCY, "1", SYS_NONE, NULL},
	    {SYS_EMERGENCY, "塔吊司机", SYS_NONE, NULL},
	    {SYS_CONSTRUCTION, "低压电工", SYS_NONE, NULL},
	    {SYS_CONSTRUCTION, "1.2", SYS_NONE, NULL},
	    {SYS_CONSTRUCTION, "焊工", SYS_NONE, NULL},
	    /* unknown or ambiguous */
	    {SYS_NONE, "", SYS_NONE, NULL},
	    {SYS_NONE, " \xe3\x80\x80 ", SYS_NONE, NULL},
	    {SYS_NONE, "架子工", SYS_NONE, NULL},
	    {SYS_NONE, "提升机司机", SYS_NONE, NULL},
	    {SYS_NONE, "0", SYS_NONE, NULL},
	    {SYS_NONE, "00", SYS_NONE, NULL},
	    {SYS_NONE, "001", SYS_NONE, NULL},
	    {SYS_NONE, "12", SYS_NONE, NULL},
	    {SYS_NONE, "99", SYS_NONE, NULL},
	    {SYS_NONE, "1.4", SYS_NONE, NULL},
	    {SYS_NONE, "11.1", SYS_NONE, NULL},
	    {SYS_NONE, "电工作业", SYS_NONE, NULL},
	    {SYS_NONE, "建筑电", SYS_NONE, NULL},
	    {SYS_NONE, "建筑电工人", SYS_NONE, NULL},
	    {SYS_NONE, "作业", SYS_NONE, NULL},
	    {SYS_NONE, "低压电工作", SYS_NONE, NULL},
	    {SYS_NONE, "建筑架子工[普通脚手架]", SYS_NONE, NULL},
	    {(enum cert_system)7, "01", SYS_NONE, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_found(cases[i].sys, cases[i].s, cases[i].want_sys, cases[i].want);
}

/* Only len bytes count: what follows in memory is not part of the input. */
static void test_length_bounds(void **state)
{
	static const char s[] = "建筑电工作业";
	const struct trade *t;

	(void)state;
	t = trade_find(SYS_CONSTRUCTION, s, strlen("建筑电工"));
	assert_non_null(t);
	assert_string_equal(t->code, "01");
	assert_null(trade_find(SYS_CONSTRUCTION, "012", 3));
	t = trade_find(SYS_CONSTRUCTION, "012", 2);
	assert_non_null(t);
	assert_string_equal(t->code, "01");
	assert_null(trade_find(SYS_NONE, NULL, 0));
	assert_null(trade_find(SYS_NONE, "01", 0));
	/* A truncated multi-byte space or parenthesis is just bytes that match nothing. */
	assert_null(find_exact(SYS_CONSTRUCTION, "01\xe3\x80", 4));
	assert_null(find_exact(SYS_CONSTRUCTION, "01\xef\xbc", 4));
}

static void test_by_code(void **state)
{
	static const struct {
		enum cert_system sys;
		const char *code;
		const char *want_name; /* NULL: nothing */
	} cases[] = {
	    {SYS_CONSTRUCTION, "01", "建筑电工"},
	    {SYS_CONSTRUCTION, "11", "高处作业吊篮安装拆卸工"},
	    {SYS_NONE, "04", "建筑起重信号司索工"},
	    {SYS_EMERGENCY, "1.2", "低压电工作业"},
	    {SYS_NONE, "2.1", "熔化焊接与热切割作业"},
	    {SYS_CONSTRUCTION, "1", NULL},
	    {SYS_CONSTRUCTION, "2.1", NULL},
	    {SYS_EMERGENCY, "01", NULL},
	    {SYS_NONE, " 01", NULL},
	    {SYS_NONE, "建筑电工", NULL},
	    {SYS_NONE, "", NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct trade *t = trade_by_code(cases[i].sys, cases[i].code);

		if (!cases[i].want_name) {
			assert_null(t);
			continue;
		}
		assert_non_null(t);
		assert_string_equal(t->name, cases[i].want_name);
	}
	assert_null(trade_by_code(SYS_NONE, NULL));
}

static void test_categories(void **state)
{
	static const struct {
		const char *code;
		const char *category;
	} cases[] = {
	    {"1.3", "电工作业"},           {"2.3", "焊接与热切割作业"},
	    {"3.1", "高处作业"},           {"4.2", "制冷与空调作业"},
	    {"5.1", "煤矿安全作业"},       {"6.8", "金属非金属矿山安全作业"},
	    {"7.1", "石油天然气安全作业"}, {"8.1", "冶金（有色）生产安全作业"},
	    {"9.1", "危险化学品安全作业"}, {"10.1", "烟花爆竹安全作业"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct trade *t = trade_by_code(SYS_EMERGENCY, cases[i].code);

		assert_non_null(t);
		assert_string_equal(t->category, cases[i].category);
	}
}

static void test_system_names(void **state)
{
	(void)state;
	assert_string_equal(cert_system_name(SYS_CONSTRUCTION), "住建");
	assert_string_equal(cert_system_name(SYS_EMERGENCY), "应急管理");
	assert_string_equal(cert_system_name(SYS_NONE), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_trade_by_code_and_name),
	    cmocka_unit_test(test_every_alias),
	    cmocka_unit_test(test_emergency_names_without_suffix),
	    cmocka_unit_test(test_keys_unique),
	    cmocka_unit_test(test_cases),
	    cmocka_unit_test(test_length_bounds),
	    cmocka_unit_test(test_by_code),
	    cmocka_unit_test(test_categories),
	    cmocka_unit_test(test_system_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
