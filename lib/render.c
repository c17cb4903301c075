/*
 * render.c - what the render modules share: output buffers, writing them to
 * files and reading image files whole (see render.h).
 */
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)64 * 1024)

void render_buf_release(struct render_buf *b)
{
	if (!b)
		return;
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

int render_buf_append(struct render_buf *b, const void *p, size_t n)
{
	if (n > b->cap - b->len) {
		size_t cap = b->cap ? b->cap : 4096;
		unsigned char *nb;

		while (n > cap - b->len) {
			if (cap > SIZE_MAX / 2)
				return -1;
			cap *= 2;
		}
		nb = realloc(b->data, cap);
		if (!nb)
			return -1;
		b->data = nb;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return 0;
}

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int render_buf_save(const struct render_buf *b, const char *path, struct err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		if (errno == ENOENT || errno == EACCES || errno == ENOTDIR || errno == EISDIR ||
		    errno == ELOOP || errno == ENAMETOOLONG)
			return err_input(err, "无法写入文件“%s”：%s", path, strerror(errno));
		return err_system(err, "无法写入文件“%s”：%s", path, strerror(errno));
	}
	if (write_all(fd, b->data, b->len) != 0) {
		err_system(err, "写入文件“%s”失败：%s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (close(fd) != 0)
		return err_system(err, "写入文件“%s”失败：%s", path, strerror(errno));
	return 0;
}

int render_file_load(const char *path, size_t max, unsigned char **data, size_t *len,
                     struct err *err)
{
	struct stat st;
	unsigned char *buf = NULL;
	size_t n = 0, cap;
	int fd;

	*data = NULL;
	*len = 0;
	if (max > SIZE_MAX / 2)
		max = SIZE_MAX / 2;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT || errno == EACCES || errno == ENOTDIR || errno == ELOOP ||
		    errno == ENAMETOOLONG)
			return err_input(err, "无法打开文件“%s”：%s", path, strerror(errno));
		return err_system(err, "无法打开文件“%s”：%s", path, strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		err_system(err, "无法读取文件“%s”：%s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		err_input(err, "“%s”是目录，不是文件", path);
		goto fail;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max)
		goto too_big;
	cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : READ_CHUNK;
	buf = malloc(cap);
	if (!buf) {
		err_system(err, "内存不足");
		goto fail;
	}
	for (;;) {
		ssize_t got;

		if (n == cap) {
			unsigned char *nb;

			if (n > max)
				goto too_big;
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			nb = realloc(buf, cap);
			if (!nb) {
				err_system(err, "内存不足");
				goto fail;
			}
			buf = nb;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			err_system(err, "读取文件“%s”失败：%s", path, strerror(errno));
			goto fail;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	if (n > max)
		goto too_big;
	close(fd);
	*data = buf;
	*len = n;
	return 0;
too_big:
	if (max >= (size_t)1 << 20)
		err_input(err, "文件过大（超过 %zu MB）", max >> 20);
	else
		err_input(err, "文件过大（超过 %zu KB）", max >> 10);
fail:
	free(buf);
	close(fd);
	return -1;
}
