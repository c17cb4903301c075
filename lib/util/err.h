/*
 * err.h - the one result convention of the library.
 *
 * Every fallible function returns 0 on success and -1 on failure, after
 * filling the caller's struct err.  Functions that answer a question return
 * 1/0 and document it.  An error is either an input error (the caller gave
 * bad data: the CLI exits 2, the server answers 4xx) or a system error (I/O,
 * database, memory: exit 3, 5xx).  Errors about a file carry the line and
 * the column header so the message can name them.
 */
#ifndef OPCERT_ERR_H
#define OPCERT_ERR_H

#include <stddef.h>

enum err_kind {
	ERR_NONE = 0,
	ERR_INPUT,  /* bad data from the caller */
	ERR_SYSTEM, /* I/O, database, out of memory */
};

struct err {
	enum err_kind kind;
	long line;       /* 1-based physical line in the input, 0 = none */
	char column[64]; /* column header as written in the file, "" = none */
	char msg[448];   /* what failed, in Chinese for users, no full stop */
};

#if defined(__GNUC__)
#define ERR_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define ERR_PRINTF(a, b)
#endif

void err_clear(struct err *e);
/* Fill e as an input error; returns -1 so callers can `return err_input(...)`. */
int err_input(struct err *e, const char *fmt, ...) ERR_PRINTF(2, 3);
int err_system(struct err *e, const char *fmt, ...) ERR_PRINTF(2, 3);
/* Attach a location to an error already filled (either may be 0 / NULL). */
void err_at(struct err *e, long line, const char *column, size_t column_len);
/*
 * Render "FILE:LINE: 列“COLUMN”: MESSAGE" (parts that are absent are left
 * out) into out.  file may be NULL.  Returns out.
 */
const char *err_format(const struct err *e, const char *file, char *out, size_t outlen);
/*
 * What errno value en means, in Chinese for the common ones (a missing
 * file, no permission, a full disk, a busy port...), else strerror's text.
 * Every message that names a system error uses this, never strerror.
 */
const char *err_errno_text(int en);

#endif
