/* file.c - reading a whole file with a cap; see file.h */
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)64 * 1024)

/* n bytes as people say it: "64 KB", "1 GB", "1.5 MB", "100 字节". */
static void size_text(size_t n, char *out, size_t outlen)
{
	static const char *const units[] = {"GB", "MB", "KB"};
	static const size_t scale[] = {(size_t)1 << 30, (size_t)1 << 20, (size_t)1 << 10};
	size_t i;

	for (i = 0; i < 3; i++) {
		if (n < scale[i])
			continue;
		if (n % scale[i] == 0)
			snprintf(out, outlen, "%zu %s", n / scale[i], units[i]);
		else
			snprintf(out, outlen, "%.1f %s", (double)n / (double)scale[i], units[i]);
		return;
	}
	snprintf(out, outlen, "%zu 字节", n);
}

static int too_big(const char *path, size_t max, struct err *err)
{
	char size[32];

	size_text(max, size, sizeof(size));
	return err_input(err, "文件“%s”过大（超过%s）", path, size);
}

int file_load(const char *path, size_t max, char **data, size_t *len, struct err *err)
{
	struct stat st;
	char probe[8192];
	char *buf = NULL;
	size_t n = 0, cap;
	int fd, rc = -1;

	*data = NULL;
	*len = 0;
	/* Keeps every size computation below clear of overflow. */
	if (max > SIZE_MAX / 4)
		max = SIZE_MAX / 4;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		/* A file the user named wrongly is their input error, not ours. */
		if (errno == ENOENT || errno == EACCES || errno == ENOTDIR || errno == ELOOP ||
		    errno == ENAMETOOLONG)
			return err_input(err, "无法打开文件“%s”：%s", path, err_errno_text(errno));
		return err_system(err, "无法打开文件“%s”：%s", path, err_errno_text(errno));
	}
	if (fstat(fd, &st) != 0) {
		err_system(err, "无法读取文件“%s”：%s", path, err_errno_text(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		err_input(err, "“%s”是目录，不是文件", path);
		goto out;
	}
	if (S_ISREG(st.st_mode) && st.st_size > 0) {
		if ((uintmax_t)st.st_size > max) {
			too_big(path, max, err);
			goto out;
		}
		cap = (size_t)st.st_size + 1;
	} else {
		/* A pipe or a device: no size known, read in chunks. */
		cap = READ_CHUNK < max + 1 ? READ_CHUNK : max + 1;
	}
	buf = malloc(cap);
	if (!buf) {
		err_system(err, "内存不足");
		goto out;
	}
	/*
	 * Invariant: cap <= max + 1, one byte always kept for the NUL.  Once
	 * the buffer is full, read into a small probe so a regular file whose
	 * size was right costs no reallocation; only real extra data grows it.
	 */
	for (;;) {
		char *dst = n + 1 < cap ? buf + n : probe;
		size_t room = n + 1 < cap ? cap - 1 - n : sizeof(probe);
		ssize_t got = read(fd, dst, room);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			err_system(err, "读取文件“%s”失败：%s", path, err_errno_text(errno));
			goto out;
		}
		if (got == 0)
			break;
		if (dst == probe) {
			size_t newcap = cap * 2;
			char *nb;

			if (n + (size_t)got > max) {
				too_big(path, max, err);
				goto out;
			}
			if (newcap > max + 1)
				newcap = max + 1;
			if (newcap < n + (size_t)got + 1)
				newcap = n + (size_t)got + 1;
			nb = realloc(buf, newcap);
			if (!nb) {
				err_system(err, "内存不足");
				goto out;
			}
			buf = nb;
			cap = newcap;
			memcpy(buf + n, probe, (size_t)got);
		}
		n += (size_t)got;
	}
	buf[n] = '\0';
	*data = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	close(fd);
	free(buf);
	return rc;
}
