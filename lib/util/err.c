/* err.c - see err.h */
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void err_clear(struct err *e)
{
	if (!e)
		return;
	e->kind = ERR_NONE;
	e->line = 0;
	e->column[0] = '\0';
	e->msg[0] = '\0';
}

static int err_vset(struct err *e, enum err_kind kind, const char *fmt, va_list ap)
{
	if (!e)
		return -1;
	e->kind = kind;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	return -1;
}

int err_input(struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, ERR_INPUT, fmt, ap);
	va_end(ap);
	return -1;
}

int err_system(struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, ERR_SYSTEM, fmt, ap);
	va_end(ap);
	return -1;
}

void err_at(struct err *e, long line, const char *column, size_t column_len)
{
	if (!e)
		return;
	if (line > 0)
		e->line = line;
	if (column) {
		if (column_len >= sizeof(e->column))
			column_len = sizeof(e->column) - 1;
		memcpy(e->column, column, column_len);
		e->column[column_len] = '\0';
	}
}

const char *err_format(const struct err *e, const char *file, char *out, size_t outlen)
{
	size_t n = 0;
	int w;

	if (outlen == 0)
		return out;
	out[0] = '\0';
#define APPEND(...)                                                                                \
	do {                                                                                       \
		w = snprintf(out + n, outlen - n, __VA_ARGS__);                                    \
		if (w < 0)                                                                         \
			return out;                                                                \
		n += (size_t)w;                                                                    \
		if (n >= outlen)                                                                   \
			return out;                                                                \
	} while (0)
	if (file && e->line > 0)
		APPEND("%s:%ld: ", file, e->line);
	else if (file)
		APPEND("%s: ", file);
	else if (e->line > 0)
		APPEND("第%ld行: ", e->line);
	if (e->column[0])
		APPEND("列“%s”: ", e->column);
	APPEND("%s", e->msg[0] ? e->msg : "未知错误");
#undef APPEND
	return out;
}

const char *err_errno_text(int en)
{
	switch (en) {
	case ENOENT:
		return "文件或目录不存在";
	case EACCES:
	case EPERM:
		return "权限不足";
	case EISDIR:
		return "是目录，不是文件";
	case ENOTDIR:
		return "路径中有一部分不是目录";
	case ENOSPC:
		return "磁盘空间不足";
	case EDQUOT:
		return "超出磁盘配额";
	case EEXIST:
		return "已存在";
	case EROFS:
		return "文件系统只读";
	case EMFILE:
	case ENFILE:
		return "打开的文件过多";
	case ENOMEM:
		return "内存不足";
	case EIO:
		return "输入输出错误（磁盘可能有故障）";
	case ENAMETOOLONG:
		return "文件名过长";
	case ELOOP:
		return "符号链接层次过多";
	case ENOTEMPTY:
		return "目录不为空";
	case EBUSY:
		return "设备或资源忙";
	case EFBIG:
		return "文件过大";
	case EINVAL:
		return "参数无效";
	case EILSEQ:
		return "无效的字符序列";
	case EWOULDBLOCK:
		return "资源被占用，请稍后再试";
	case EADDRINUSE:
		return "端口已被占用";
	case EADDRNOTAVAIL:
		return "本机没有这个地址";
	case ECONNREFUSED:
		return "连接被拒绝";
	case ETIMEDOUT:
		return "连接超时";
	case ENETUNREACH:
		return "网络不可达";
	case EPIPE:
		return "管道已关闭";
	case ENXIO:
		return "设备或地址不存在";
	default:
		return strerror(en);
	}
}
