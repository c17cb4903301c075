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
#include <unistd.h>

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
			return err_input(err, "无法写入文件“%s”：%s", path, err_errno_text(errno));
		return err_system(err, "无法写入文件“%s”：%s", path, err_errno_text(errno));
	}
	if (write_all(fd, b->data, b->len) != 0) {
		err_system(err, "写入文件“%s”失败：%s", path, err_errno_text(errno));
		close(fd);
		return -1;
	}
	if (close(fd) != 0)
		return err_system(err, "写入文件“%s”失败：%s", path, err_errno_text(errno));
	return 0;
}
