/*
 * fuzz_csv.c - libFuzzer target for text decoding and the CSV reader.
 *
 * Bytes go through text_from_memory() and then csv_next() until the end or
 * an error, with small caps so that the caps themselves get exercised.  The
 * first record is also mapped as a header.  Checked on the way: the text is
 * NUL-terminated valid UTF-8 without NULs, every field lies inside the text
 * or the scratch buffer, the caps hold, and line numbers never decrease.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct csv_column columns[] = {
    {"证书编号|number", 1},
    {"姓名|name", 1},
    {"特种作业岗位/工种", 0},
    {"复审(延期复核)日期", 0},
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

/* 1 when [p, p + len) lies inside [base, base + n). */
static int inside(const char *p, size_t len, const char *base, size_t n)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;

	return base && a >= b && a - b <= n && len <= n - (a - b);
}

static void check_record(const struct csv_reader *r, const struct text *t)
{
	size_t i;

	if (r->nfields == 0 || r->nfields > r->max_fields || r->scratch_cap > r->max_record)
		abort();
	for (i = 0; i < r->nfields; i++) {
		const struct csv_field *f = &r->fields[i];

		if (f->len > r->max_record)
			abort();
		if (!inside(f->p, f->len, t->data, t->len) &&
		    !inside(f->p, f->len, r->scratch, r->scratch_cap))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct text t;
	struct csv_reader r;
	struct err e;
	int index[NCOLUMNS];
	long last = 0;
	int rc, first = 1;

	err_clear(&e);
	if (text_from_memory((const char *)data, size, &t, &e) != 0) {
		if (e.kind != ERR_INPUT || t.data)
			abort();
		return 0;
	}
	if (t.data[t.len] != '\0' || memchr(t.data, '\0', t.len) ||
	    !utf8_valid(t.data, t.len, NULL))
		abort();
	csv_init(&r, t.data, t.len);
	r.max_record = 512;
	r.max_fields = 8;
	while ((rc = csv_next(&r, &e)) == 1) {
		if (r.line < last || r.line < 1 || r.next_line < r.line || r.pos > r.len)
			abort();
		last = r.line;
		check_record(&r, &t);
		if (first) {
			int missing = csv_map_header(&r, columns, NCOLUMNS, index, &e);

			if (missing > (int)NCOLUMNS || (missing < 0 && e.kind != ERR_INPUT))
				abort();
			first = 0;
		}
	}
	if (rc == -1 && (e.kind != ERR_INPUT || e.line < last || e.line < 1))
		abort();
	csv_release(&r);
	text_release(&t);
	return 0;
}
