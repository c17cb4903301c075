/* tabfile.c - see tabfile.h */
#include "tabfile.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int find_header(struct tabfile *t, struct err *err)
{
	int best_missing = -1, rc, missing;
	long seen = 0;
	char names[256];
	size_t i, n = 0;
	int best_index[TABFILE_MAX_COLUMNS];

	while ((rc = csv_next(&t->csv, err)) == 1) {
		if (csv_blank(&t->csv))
			continue;
		missing = csv_map_header(&t->csv, t->columns, t->ncolumns, t->index, err);
		if (missing < 0) {
			err_at(err, t->csv.line, NULL, 0);
			return -1;
		}
		if (missing == 0) {
			t->header_line = t->csv.line;
			t->row = 0;
			return 0;
		}
		if (best_missing < 0 || missing < best_missing) {
			best_missing = missing;
			memcpy(best_index, t->index, sizeof(best_index));
		}
		if (++seen >= TABFILE_HEADER_SEARCH)
			break;
	}
	if (rc < 0)
		return -1;
	if (best_missing < 0)
		return err_input(err, "文件为空，没有表头");
	names[0] = '\0';
	for (i = 0; i < t->ncolumns; i++) {
		const char *p;
		size_t len;

		if (!t->columns[i].required || best_index[i] >= 0)
			continue;
		tabfile_column_name(t, i, &p, &len);
		n += (size_t)snprintf(names + n, n < sizeof(names) ? sizeof(names) - n : 0,
		                      "%s%.*s", n ? "、" : "", (int)len, p);
		if (n >= sizeof(names))
			break;
	}
	return err_input(err, "缺少必需的列：%s（表头须在前%d行内）", names, TABFILE_HEADER_SEARCH);
}

static int start(struct tabfile *t, const struct csv_column *columns, size_t ncolumns,
                 struct err *err)
{
	size_t i;

	t->have_text = 1;
	t->columns = columns;
	t->ncolumns = ncolumns;
	for (i = 0; i < TABFILE_MAX_COLUMNS; i++)
		t->index[i] = -1;
	if (ncolumns > TABFILE_MAX_COLUMNS)
		return err_system(err, "列定义过多");
	csv_init(&t->csv, t->text.data, t->text.len);
	t->csv.delim = csv_sniff(t->text.data, t->text.len);
	return find_header(t, err);
}

int tabfile_open(struct tabfile *t, const char *path, const struct csv_column *columns,
                 size_t ncolumns, struct err *err)
{
	memset(t, 0, sizeof(*t));
	if (text_load(path, TEXT_MAX_DEFAULT, &t->text, err) < 0)
		return -1;
	return start(t, columns, ncolumns, err);
}

int tabfile_open_memory(struct tabfile *t, const char *data, size_t len,
                        const struct csv_column *columns, size_t ncolumns, struct err *err)
{
	memset(t, 0, sizeof(*t));
	if (text_from_memory(data, len, &t->text, err) < 0)
		return -1;
	return start(t, columns, ncolumns, err);
}

void tabfile_rewind(struct tabfile *t)
{
	struct err ignored;
	long header = t->header_line;

	csv_release(&t->csv);
	csv_init(&t->csv, t->text.data, t->text.len);
	t->csv.delim = csv_sniff(t->text.data, t->text.len);
	/* Skip to just past the header line found by open. */
	while (csv_next(&t->csv, &ignored) == 1 && t->csv.line < header)
		;
	t->row = 0;
}

int tabfile_next(struct tabfile *t, struct err *err)
{
	int rc;

	while ((rc = csv_next(&t->csv, err)) == 1) {
		t->row++;
		if (!csv_blank(&t->csv))
			return 1;
	}
	return rc;
}

void tabfile_field(const struct tabfile *t, size_t col, const char **p, size_t *len)
{
	int i = col < t->ncolumns ? t->index[col] : -1;

	*p = "";
	*len = 0;
	if (i < 0 || (size_t)i >= t->csv.nfields)
		return;
	*p = t->csv.fields[i].p;
	*len = t->csv.fields[i].len;
	text_trim(p, len);
}

long tabfile_line(const struct tabfile *t)
{
	return t->csv.line;
}

void tabfile_column_name(const struct tabfile *t, size_t col, const char **p, size_t *len)
{
	const char *names = t->columns[col].names;
	const char *bar = strchr(names, '|');

	*p = names;
	*len = bar ? (size_t)(bar - names) : strlen(names);
}

int tabfile_error(const struct tabfile *t, size_t col, struct err *err, const char *fmt, ...)
{
	va_list ap;
	const char *name;
	size_t len;

	if (!err)
		return -1;
	err->kind = ERR_INPUT;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	tabfile_column_name(t, col, &name, &len);
	err_at(err, tabfile_line(t), name, len);
	return -1;
}

void tabfile_close(struct tabfile *t)
{
	if (!t || !t->have_text)
		return;
	csv_release(&t->csv);
	text_release(&t->text);
	t->have_text = 0;
}
