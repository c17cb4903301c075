/* err.c - see err.h */
#include "err.h"

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
