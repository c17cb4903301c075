/*
 * test_file.c - unit tests for lib/util/file.c, the one capped whole-file
 * loader: exact reads (NUL-terminated, NUL bytes inside kept), the cap at
 * and just under the file's size, an empty file, pipes read in chunks past
 * the first one and stopped at the cap, and the input errors that name the
 * file (missing, a directory, too big).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "file.h"

static char tmpl[64];

/* A temporary file holding data[0..len); its path in a static buffer. */
static const char *temp_file(const void *data, size_t len)
{
	int fd;

	snprintf(tmpl, sizeof(tmpl), "/tmp/opcert-test-file-XXXXXX");
	fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return tmpl;
}

static void test_regular(void **state)
{
	static const char bytes[] = "a\0b\nc";
	const char *path = temp_file(bytes, 5);
	char *data = NULL, want[160];
	size_t len = 99;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(file_load(path, 5, &data, &len, &e), 0);
	assert_int_equal(len, 5);
	assert_memory_equal(data, bytes, 5);
	assert_int_equal(data[5], '\0');
	free(data);

	/* one byte under the size: refused, naming the file */
	assert_int_equal(file_load(path, 4, &data, &len, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	snprintf(want, sizeof(want), "文件“%s”过大（超过4 字节）", path);
	assert_string_equal(e.msg, want);
	assert_null(data);
	assert_int_equal(len, 0);
	unlink(path);

	path = temp_file("", 0);
	assert_int_equal(file_load(path, 0, &data, &len, &e), 0);
	assert_int_equal(len, 0);
	assert_string_equal(data, "");
	free(data);
	unlink(path);
}

static void test_refused(void **state)
{
	char *data = NULL;
	size_t len;
	struct err e;

	(void)state;
	err_clear(&e);
	assert_int_equal(file_load("/nonexistent/opcert/cp.txt", 100, &data, &len, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "“/nonexistent/opcert/cp.txt”"));
	assert_null(data);

	err_clear(&e);
	assert_int_equal(file_load("/tmp", 100, &data, &len, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_non_null(strstr(e.msg, "“/tmp”是目录"));
	assert_null(data);
}

/* A pipe has no size: chunks of 64 KB, grown up to the cap and no further. */
static void test_pipe(void **state)
{
	size_t n = 100000, i;
	char *body = malloc(n), *data = NULL, path[32];
	size_t len;
	struct err e;
	int fds[2];
	pid_t pid;

	(void)state;
	assert_non_null(body);
	for (i = 0; i < n; i++)
		body[i] = (char)('a' + i % 26);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			if (write(fds[1], body, n) != (ssize_t)n)
				_exit(1);
			_exit(0);
		}
		close(fds[1]);
		snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
		err_clear(&e);
		if (i == 0) {
			assert_int_equal(file_load(path, n, &data, &len, &e), 0);
			assert_int_equal(len, n);
			assert_memory_equal(data, body, n);
			free(data);
		} else {
			assert_int_equal(file_load(path, n - 1, &data, &len, &e), -1);
			assert_int_equal(e.kind, ERR_INPUT);
			assert_non_null(strstr(e.msg, "过大"));
			assert_null(data);
		}
		close(fds[0]);
		waitpid(pid, NULL, 0);
	}
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_regular),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_pipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
