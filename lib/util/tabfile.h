/*
 * tabfile.h - a table in a CSV file as users hand it in: any encoding
 * text.h knows, a header somewhere in the first rows (a form may carry a
 * title and its 填报单位 lines above it), columns in any order and known by
 * several names, unknown columns ignored, blank rows skipped.
 */
#ifndef OPCERT_TABFILE_H
#define OPCERT_TABFILE_H

#include <stddef.h>

#include "csv.h"
#include "err.h"
#include "text.h"

#define TABFILE_MAX_COLUMNS   32
#define TABFILE_HEADER_SEARCH 10 /* the header must be within the first rows */

struct tabfile {
	struct text text;
	struct csv_reader csv;
	const struct csv_column *columns;
	size_t ncolumns;
	int index[TABFILE_MAX_COLUMNS]; /* field index of each column, -1 = absent */
	long header_line;
	long row; /* data row, 1 for the first after the header, blank rows counted */
	int have_text;
};

/* Load path and find its header.  The text is released by tabfile_close
 * even when opening fails. */
int tabfile_open(struct tabfile *t, const char *path, const struct csv_column *columns,
                 size_t ncolumns, struct err *err);
/* Same over bytes in memory (copied and converted). */
int tabfile_open_memory(struct tabfile *t, const char *data, size_t len,
                        const struct csv_column *columns, size_t ncolumns, struct err *err);
/* Start again at the first data row. */
void tabfile_rewind(struct tabfile *t);
/* 1 when a non-blank data row was read, 0 at the end, -1 on error. */
int tabfile_next(struct tabfile *t, struct err *err);
/* Column col of the current row, trimmed; len 0 when absent or empty. */
void tabfile_field(const struct tabfile *t, size_t col, const char **p, size_t *len);
/* Physical line of the current row. */
long tabfile_line(const struct tabfile *t);
/* The column's first name ("证书编号"), for messages. */
void tabfile_column_name(const struct tabfile *t, size_t col, const char **p, size_t *len);
/* Fill err as an input error about column col of the current row. */
int tabfile_error(const struct tabfile *t, size_t col, struct err *err, const char *fmt, ...)
    ERR_PRINTF(4, 5);
void tabfile_close(struct tabfile *t);

#endif
