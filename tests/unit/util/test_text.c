/*
 * test_text.c - encoding detection and conversion, UTF-8 validation,
 * trimming, and loading files and pipes (text.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "text.h"

/* A byte string literal and its length, NULs included. */
#define BYTES(s) s, sizeof(s) - 1

/* "证书编号,姓名" as GBK: 证 D6A4 书 CAE9 编 B1E0 号 BAC5 姓 D0D5 名 C3FB. */
#define GBK_HEADER "\xd6\xa4\xca\xe9\xb1\xe0\xba\xc5,\xd0\xd5\xc3\xfb"

struct decode_case {
	const char *name;
	const char *in;
	size_t len;
	int rc;
	enum text_encoding enc; /* when rc == 0 */
	const char *out;        /* when rc == 0 */
	long line;              /* when rc != 0 */
	const char *msg;        /* substring of the message, when rc != 0 */
};

static const struct decode_case decode_cases[] = {
    {"utf8", BYTES("证书编号,姓名\n"), 0, TEXT_UTF8, "证书编号,姓名\n", 0, NULL},
    {"utf8 bom", BYTES("\xef\xbb\xbf证书编号,姓名\n"), 0, TEXT_UTF8_BOM, "证书编号,姓名\n", 0,
     NULL},
    {"gbk", BYTES(GBK_HEADER "\r\n"), 0, TEXT_GB18030, "证书编号,姓名\r\n", 0, NULL},
    {"gb18030 four-byte", BYTES("\x81\x30\x81\x30"), 0, TEXT_GB18030, "\xc2\x80", 0, NULL},
    {"utf16le",
     BYTES("\xff\xfe"
           "A\0,\0\xc1\x8b\n\0"),
     0, TEXT_UTF16LE, "A,证\n", 0, NULL},
    {"utf16be",
     BYTES("\xfe\xff"
           "\0A\x8b\xc1"),
     0, TEXT_UTF16BE, "A证", 0, NULL},
    {"utf16le surrogate pair", BYTES("\xff\xfe\x3d\xd8\x00\xde"), 0, TEXT_UTF16LE,
     "\xf0\x9f\x98\x80", 0, NULL},
    {"empty", BYTES(""), 0, TEXT_UTF8, "", 0, NULL},
    {"bom only", BYTES("\xef\xbb\xbf"), 0, TEXT_UTF8_BOM, "", 0, NULL},
    {"nul", BYTES("a,b\nc\0d\n"), -1, 0, NULL, 2, "二进制文件"},
    {"nul after bom", BYTES("\xef\xbb\xbf\0"), -1, 0, NULL, 1, "二进制文件"},
    {"neither encoding", BYTES("a\nb\r\nc\xff\n"), -1, 0, NULL, 3, "文件编码无法识别"},
    {"neither, lone cr", BYTES("a\rb\r\n\xff"), -1, 0, NULL, 3, "文件编码无法识别"},
    /* UTF-8 that is damaged on line 3 fails as GB18030 already on line 1:
     * the line where UTF-8 stopped is the useful one. */
    {"damaged utf8", BYTES("证\n证\n\xff\n"), -1, 0, NULL, 3, "文件编码无法识别"},
    {"damaged gbk", BYTES(GBK_HEADER "\n" GBK_HEADER "\n\xd6\xff\n"), -1, 0, NULL, 3,
     "文件编码无法识别"},
    {"bad utf8 after bom",
     BYTES("\xef\xbb\xbf"
           "a\n\xff"),
     -1, 0, NULL, 2, "UTF-8"},
    {"utf16le odd length",
     BYTES("\xff\xfe"
           "A\0\n\0B"),
     -1, 0, NULL, 2, "UTF-16"},
    {"utf16le lone surrogate",
     BYTES("\xff\xfe\x00\xd8"
           "A\0"),
     -1, 0, NULL, 1, "UTF-16"},
    {"utf16le nul",
     BYTES("\xff\xfe"
           "A\0\n\0\0\0"),
     -1, 0, NULL, 2, "二进制文件"},
};

static void test_decode(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(decode_cases) / sizeof(decode_cases[0]); i++) {
		const struct decode_case *c = &decode_cases[i];
		struct text t;
		struct err e;
		int rc;

		err_clear(&e);
		rc = text_from_memory(c->in, c->len, &t, &e);
		if (rc != c->rc)
			fail_msg("%s: rc %d, want %d (%s)", c->name, rc, c->rc, e.msg);
		if (rc == 0) {
			if (t.encoding != c->enc)
				fail_msg("%s: encoding %s", c->name,
				         text_encoding_name(t.encoding));
			if (t.len != strlen(c->out) || memcmp(t.data, c->out, t.len) != 0)
				fail_msg("%s: converted text differs", c->name);
			assert_int_equal(t.data[t.len], '\0');
		} else {
			assert_null(t.data);
			if (e.kind != ERR_INPUT)
				fail_msg("%s: not an input error", c->name);
			if (e.line != c->line)
				fail_msg("%s: line %ld, want %ld", c->name, e.line, c->line);
			if (!strstr(e.msg, c->msg))
				fail_msg("%s: message \"%s\"", c->name, e.msg);
		}
		text_release(&t);
	}
}

struct valid_case {
	const char *s;
	size_t len;
	int valid;
	size_t bad;
};

static const struct valid_case valid_cases[] = {
    {BYTES(""), 1, 0},
    {BYTES("plain ascii, and some more of it to pass the fast path"), 1, 0},
    {BYTES("证书编号"), 1, 0},
    {BYTES("\xc2\x80\xdf\xbf"), 1, 0},
    {BYTES("\xed\x9f\xbf"), 1, 0},     /* U+D7FF, just below the surrogates */
    {BYTES("\xee\x80\x80"), 1, 0},     /* U+E000, just above */
    {BYTES("\xf0\x9f\x98\x80"), 1, 0}, /* U+1F600 */
    {BYTES("\xf4\x8f\xbf\xbf"), 1, 0}, /* U+10FFFF */
    {BYTES("\xc0\x80"), 0, 0},         /* overlong NUL */
    {BYTES("\xc1\xbf"), 0, 0},         /* overlong */
    {BYTES("\xe0\x9f\xbf"), 0, 0},     /* overlong */
    {BYTES("\xf0\x8f\xbf\xbf"), 0, 0}, /* overlong */
    {BYTES("ab\xed\xa0\x80"), 0, 2},   /* surrogate U+D800 */
    {BYTES("\xed\xbf\xbf"), 0, 0},     /* surrogate U+DFFF */
    {BYTES("\xf4\x90\x80\x80"), 0, 0}, /* U+110000 */
    {BYTES("\xf5\x80\x80\x80"), 0, 0}, /* no such lead byte */
    {BYTES("\xff"), 0, 0},
    {BYTES("x\x80"), 0, 1},       /* lone continuation */
    {BYTES("abc\xe8\xaf"), 0, 3}, /* truncated at the end */
    {BYTES("\xe8\xaf"
           "x"),
     0, 0},                        /* truncated by ASCII */
    {BYTES("\xf0\x9f\x98"), 0, 0}, /* truncated 4-byte */
    {BYTES("0123456789abcdef0123456789abcdef01234\x80xyz"), 0, 37},
    {BYTES("0123456789abcdef证0123456789abcdef\xe8"), 0, 35},
};

static void test_utf8_valid(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(valid_cases) / sizeof(valid_cases[0]); i++) {
		const struct valid_case *c = &valid_cases[i];
		size_t bad = 12345;
		int v = utf8_valid(c->s, c->len, &bad);

		if (v != c->valid)
			fail_msg("case %zu: valid %d, want %d", i, v, c->valid);
		if (!v && bad != c->bad)
			fail_msg("case %zu: bad %zu, want %zu", i, bad, c->bad);
		assert_int_equal(utf8_valid(c->s, c->len, NULL), c->valid);
	}
}

struct trim_case {
	const char *in;
	const char *out;
};

static const struct trim_case trim_cases[] = {
    {"", ""},
    {"abc", "abc"},
    {"  abc \t", "abc"},
    {"\r\n\t \v\f", ""},
    {"a b", "a b"},
    {"\xe3\x80\x80姓名\xe3\x80\x80 ", "姓名"},
    {" \xe3\x80\x80 \xe3\x80\x80张　三\xe3\x80\x80", "张　三"},
    {"\xe3\x80", "\xe3\x80"}, /* half an ideographic space stays */
    {"\xe3\x80\x80", ""},
    /* any mix of the seven, repeatedly, at both ends */
    {"\v\xe3\x80\x80\f a \r\xe3\x80\x80\n", "a"},
    {"\xe3\x80\x80"
     "张三\t",
     "张三"},
    /* nothing inside, and no other space: U+00A0, U+2003 stay */
    {"a\xe3\x80\x80\tb", "a\xe3\x80\x80\tb"},
    {"\xc2\xa0"
     "a"
     "\xc2\xa0",
     "\xc2\xa0"
     "a"
     "\xc2\xa0"},
    {"\xe2\x80\x83"
     "a",
     "\xe2\x80\x83"
     "a"},
};

static void test_trim(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(trim_cases) / sizeof(trim_cases[0]); i++) {
		const char *s = trim_cases[i].in;
		size_t len = strlen(s);

		text_trim(&s, &len);
		if (len != strlen(trim_cases[i].out) || memcmp(s, trim_cases[i].out, len) != 0)
			fail_msg("case %zu: got \"%.*s\"", i, (int)len, s);
	}
}

/* Write p[0..len) to a new temporary file; returns its path (static). */
static const char *temp_file(const char *p, size_t len)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/opcert-test-text-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, p, len), (ssize_t)len);
	close(fd);
	return path;
}

static void test_load_file(void **state)
{
	static const char gbk[] = GBK_HEADER "\r\n\xd5\xc5\xc8\xfd,1\r\n"; /* 张三 */
	struct text t;
	struct err e;
	const char *path;

	(void)state;
	path = temp_file(gbk, sizeof(gbk) - 1);
	err_clear(&e);
	assert_int_equal(text_load(path, TEXT_MAX_DEFAULT, &t, &e), 0);
	assert_int_equal(t.encoding, TEXT_GB18030);
	assert_string_equal(t.data, "证书编号,姓名\r\n张三,1\r\n");
	assert_int_equal(t.len, strlen(t.data));
	text_release(&t);

	/* Exactly at the limit is fine; one byte below it is not. */
	assert_int_equal(text_load(path, sizeof(gbk) - 1, &t, &e), 0);
	text_release(&t);
	assert_int_equal(text_load(path, sizeof(gbk) - 2, &t, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "”过大（超过"));
	assert_null(t.data);
	unlink(path);

	path = temp_file("\xef\xbb\xbf"
	                 "a,b\n",
	                 7);
	assert_int_equal(text_load(path, (size_t)100 << 20, &t, &e), 0);
	assert_int_equal(t.encoding, TEXT_UTF8_BOM);
	assert_string_equal(t.data, "a,b\n");
	text_release(&t);
	unlink(path);

	path = temp_file("", 0);
	assert_int_equal(text_load(path, 10, &t, &e), 0);
	assert_int_equal(t.len, 0);
	assert_string_equal(t.data, "");
	text_release(&t);
	unlink(path);
}

static void test_load_big_file(void **state)
{
	size_t n = 3 * 1024 * 1024 + 17, i;
	char *buf = malloc(n);
	const char *path;
	char want[256];
	struct text t;
	struct err e;

	(void)state;
	assert_non_null(buf);
	for (i = 0; i < n; i++)
		buf[i] = i % 100 == 99 ? '\n' : (char)('a' + i % 26);
	path = temp_file(buf, n);
	assert_int_equal(text_load(path, TEXT_MAX_DEFAULT, &t, &e), 0);
	assert_int_equal(t.len, n);
	assert_memory_equal(t.data, buf, n);
	text_release(&t);

	assert_int_equal(text_load(path, (size_t)1 << 20, &t, &e), -1);
	snprintf(want, sizeof(want), "文件“%s”过大（超过1 MB）", path);
	assert_string_equal(e.msg, want);
	unlink(path);
	free(buf);
}

static void test_load_missing(void **state)
{
	struct text t;
	struct err e;

	(void)state;
	err_clear(&e);
	/* A file the user named wrongly is an input error (exit 2), not ours. */
	assert_int_equal(text_load("/nonexistent/opcert/roster.csv", 100, &t, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "/nonexistent/opcert/roster.csv"));
	assert_null(t.data);
	text_release(&t);
	text_release(NULL);

	/* So is a directory given where a file belongs. */
	err_clear(&e);
	assert_int_equal(text_load("/tmp", 100, &t, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "目录"));
	assert_null(t.data);
}

/* Pipes have no size: they are read in chunks up to the limit. */
static void test_load_pipe(void **state)
{
	static const char body[] = "证书编号,姓名\n黔A012018000123,张三\n";
	char path[32], want[128];
	int fds[2];
	struct text t;
	struct err e;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], body, sizeof(body) - 1), (ssize_t)(sizeof(body) - 1));
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	assert_int_equal(text_load(path, 1000, &t, &e), 0);
	assert_string_equal(t.data, body);
	text_release(&t);
	close(fds[0]);

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], body, sizeof(body) - 1), (ssize_t)(sizeof(body) - 1));
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	assert_int_equal(text_load(path, 20, &t, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	snprintf(want, sizeof(want), "文件“%s”过大（超过20 字节）", path);
	assert_string_equal(e.msg, want);
	close(fds[0]);
}

static void test_encoding_names(void **state)
{
	(void)state;
	assert_string_equal(text_encoding_name(TEXT_UTF8), "UTF-8");
	assert_string_equal(text_encoding_name(TEXT_GB18030), "GB18030");
	assert_string_equal(text_encoding_name(TEXT_UTF16LE), "UTF-16LE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_decode),        cmocka_unit_test(test_utf8_valid),
	    cmocka_unit_test(test_trim),          cmocka_unit_test(test_load_file),
	    cmocka_unit_test(test_load_big_file), cmocka_unit_test(test_load_missing),
	    cmocka_unit_test(test_load_pipe),     cmocka_unit_test(test_encoding_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
