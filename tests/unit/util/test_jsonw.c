/*
 * test_jsonw.c - JSON written straight into a buffer is byte for byte what
 * jansson writes (JSON_COMPACT | JSON_PRESERVE_ORDER) for the same object,
 * for every byte below 0x80, for text in Chinese, and for the verify
 * answer's shape; strings jansson refuses (not UTF-8) fail the writer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonw.h"

#define FLAGS (JSON_COMPACT | JSON_PRESERVE_ORDER)

/* {"k": s} by both; jansson's refusal must be the writer's failure. */
static void same_as_jansson(const char *s)
{
	json_t *str = json_string(s), *o;
	struct jsonw w;
	char *mine, *theirs;
	size_t len;

	jsonw_init(&w, 8);
	jsonw_lit(&w, "{\"k\":");
	jsonw_string(&w, s);
	jsonw_lit(&w, "}");
	mine = jsonw_finish(&w, &len);
	if (!str) {
		assert_null(mine);
		return;
	}
	o = json_pack("{s:o}", "k", str);
	theirs = json_dumps(o, FLAGS);
	json_decref(o);
	assert_non_null(theirs);
	assert_non_null(mine);
	assert_int_equal(len, strlen(mine));
	assert_string_equal(mine, theirs);
	free(mine);
	free(theirs);
}

static void every_ascii_byte(void **state)
{
	char s[8];
	int c;

	(void)state;
	for (c = 1; c < 0x80; c++) {
		snprintf(s, sizeof(s), "a%cb", c);
		same_as_jansson(s);
		snprintf(s, sizeof(s), "%c", c);
		same_as_jansson(s);
	}
}

static void text(void **state)
{
	static const char *const cases[] = {
	    "",
	    "查无此证或信息不符",
	    "黔A012022000001",
	    "T520112********9564",
	    "证书已过期（有效期至2024-05-27）",
	    "\"引号\" \\反斜杠\\ /斜杠/ \t\n\r\b\f\x01\x1f\x7f",
	    "\xe2\x80\xa8\xe2\x80\xa9 \xf0\x9f\x98\x80 \xef\xbb\xbf",
	    "\"\"\"\\\\\\",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_as_jansson(cases[i]);
}

static void not_utf8(void **state)
{
	static const char *const cases[] = {
	    "\xff",
	    "a\x80",
	    "\xc3\x28",
	    "\xc0\xaf",
	    "\xe0\x80\xaf",
	    "\xed\xa0\x80",
	    "\xed\xbf\xbf",
	    "\xf4\x90\x80\x80",
	    "\xf8\x88\x80\x80\x80",
	    "\xe4\xb8",
	};
	size_t i;
	struct jsonw w;
	size_t len;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		same_as_jansson(cases[i]);
	jsonw_init(&w, 0);
	jsonw_string(&w, NULL);
	assert_null(jsonw_finish(&w, &len));
}

/* The verify answer's shape, long enough to make the buffer grow. */
static void answer(void **state)
{
	json_t *o = json_pack("{s:s,s:s,s:s}", "verdict", "valid", "label", "有效", "message",
	                      "证书有效"),
	       *c = json_pack("{s:s,s:s}", "number", "黔A012022000001", "name", "袁\"宁\\");
	struct jsonw w;
	char *mine, *theirs;
	size_t len;
	int i;

	(void)state;
	json_object_set_new(c, "id_masked", json_string("520113********7233"));
	json_object_set_new(o, "certificate", c);
	theirs = json_dumps(o, FLAGS);
	json_decref(o);
	for (i = 0; i < 2; i++) {
		jsonw_init(&w, i ? 1 : 4096);
		jsonw_lit(&w, "{\"verdict\":");
		jsonw_string(&w, "valid");
		jsonw_lit(&w, ",\"label\":");
		jsonw_string(&w, "有效");
		jsonw_lit(&w, ",\"message\":");
		jsonw_string(&w, "证书有效");
		jsonw_lit(&w, ",\"certificate\":{\"number\":");
		jsonw_string(&w, "黔A012022000001");
		jsonw_lit(&w, ",\"name\":");
		jsonw_string(&w, "袁\"宁\\");
		jsonw_lit(&w, ",\"id_masked\":");
		jsonw_string(&w, "520113********7233");
		jsonw_lit(&w, "}}");
		mine = jsonw_finish(&w, &len);
		assert_non_null(mine);
		assert_int_equal(len, strlen(theirs));
		assert_string_equal(mine, theirs);
		free(mine);
	}
	free(theirs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_ascii_byte),
	    cmocka_unit_test(text),
	    cmocka_unit_test(not_utf8),
	    cmocka_unit_test(answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
