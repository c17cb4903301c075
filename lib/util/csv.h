/*
 * csv.h - a CSV reader over UTF-8 text in memory (RFC 4180 plus what Excel
 * writes): comma, tab or semicolon separated (sniffed from the first line),
 * quoted fields with "" escapes and embedded line breaks, CRLF or LF,
 * unquoted surrounding spaces trimmed.  Every record and field is capped, so
 * a hostile file cannot make the reader allocate without bound.
 *
 * Fields point into the text or into the reader's scratch buffer and stay
 * valid until the next csv_next() call.
 */
#ifndef OPCERT_CSV_H
#define OPCERT_CSV_H

#include <stddef.h>

#include "err.h"

#define CSV_MAX_RECORD_DEFAULT (64 * 1024) /* bytes in one record */
#define CSV_MAX_FIELDS_DEFAULT 256

struct csv_field {
	const char *p;
	size_t len;
};

struct csv_reader {
	const char *data;
	size_t len;
	size_t pos;
	char delim;
	long line;      /* physical line where the current record starts, 1-based */
	long next_line; /* physical line where the next record starts */
	size_t max_record;
	size_t max_fields;
	struct csv_field *fields;
	size_t nfields;
	size_t fields_cap;
	char *scratch; /* unescaped copies of quoted fields */
	size_t scratch_cap;
};

/* No allocation; caps may be changed after init. */
void csv_init(struct csv_reader *r, const char *data, size_t len);
void csv_release(struct csv_reader *r);
/* Returns 1 when a record was read into r->fields, 0 at the end of the
 * data, -1 on error (unterminated quote, record or field count over its cap,
 * text after a closing quote); err->line names the line. */
int csv_next(struct csv_reader *r, struct err *err);
/* 1 when every field of the current record is empty. */
int csv_blank(const struct csv_reader *r);
/* The delimiter the first line suggests: '\t' or ';' when it holds some and
 * no comma, else ','. */
char csv_sniff(const char *data, size_t len);

/*
 * Header mapping.  A column spec names a column by aliases separated by '|'
 * ("证书编号|number").  A header cell matches an alias when they are equal
 * after removing spaces, folding full-width parentheses and slashes to
 * ASCII and ASCII case.  Unknown header cells are ignored.
 */
struct csv_column {
	const char *names;
	int required;
};

/*
 * Map the current record as a header: index[i] is the field index of
 * columns[i], or -1 when absent.  Returns the number of required columns
 * missing (0 = a complete header), or -1 with err set when a column appears
 * twice.
 */
int csv_map_header(const struct csv_reader *r, const struct csv_column *columns, size_t ncolumns,
                   int *index, struct err *err);
/* 1 when header cell (p, len) matches spec names. */
int csv_header_matches(const char *names, const char *p, size_t len);

#endif
