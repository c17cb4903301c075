/*
 * test_err.c - unit tests for lib/util/err.c: what err_errno_text says for
 * the system errors users meet (Chinese, every one), strerror's text for a
 * rare value, and err_format with and without a file, line and column.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
	int en;
	const char *text;
} known[] = {
    {ENOENT, "文件或目录不存在"}, {EACCES, "权限不足"},
    {EPERM, "权限不足"},          {ENOSPC, "磁盘空间不足"},
    {EEXIST, "已存在"},           {EROFS, "文件系统只读"},
    {EMFILE, "打开的文件过多"},   {ENOMEM, "内存不足"},
    {EADDRINUSE, "端口已被占用"}, {EADDRNOTAVAIL, "本机没有这个地址"},
};

/* Whether s holds a byte above 0x7f (a Chinese character, in UTF-8). */
static int has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s > 0x7f)
			return 1;
	return 0;
}

static void test_known(void **state)
{
	static const int common[] = {
	    EISDIR, ENOTDIR, ENFILE, EIO,    ENAMETOOLONG, ELOOP,     ENOTEMPTY,   EBUSY, EFBIG,
	    EDQUOT, EINVAL,  EILSEQ, EAGAIN, ECONNREFUSED, ETIMEDOUT, ENETUNREACH, EPIPE, ENXIO};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(known); i++)
		assert_string_equal(err_errno_text(known[i].en), known[i].text);
	for (i = 0; i < COUNT(common); i++) {
		assert_true(has_non_ascii(err_errno_text(common[i])));
		assert_string_not_equal(err_errno_text(common[i]), strerror(common[i]));
	}
}

static void test_fallback(void **state)
{
	(void)state;
	assert_string_equal(err_errno_text(EPROTONOSUPPORT), strerror(EPROTONOSUPPORT));
	assert_string_equal(err_errno_text(0), strerror(0));
}

static void test_format(void **state)
{
	struct err e;
	char buf[600];

	(void)state;
	err_clear(&e);
	assert_int_equal(err_input(&e, "无法打开文件：%s", err_errno_text(ENOENT)), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_string_equal(err_format(&e, NULL, buf, sizeof(buf)),
	                    "无法打开文件：文件或目录不存在");
	err_at(&e, 3, "姓名", strlen("姓名"));
	assert_non_null(strstr(err_format(&e, "a.csv", buf, sizeof(buf)), "a.csv:3"));
	assert_non_null(strstr(buf, "姓名"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_known),
	    cmocka_unit_test(test_fallback),
	    cmocka_unit_test(test_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
