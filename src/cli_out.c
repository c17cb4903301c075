/*
 * cli_out.c - output helpers the commands share (cli.h): aligned tables
 * and JSON documents on standard output.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "vout.h"

int cli_table_row(struct cli_table *t, const char *const *cells)
{
	size_t i;

	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **p = realloc(t->cells, cap * t->ncols * sizeof(*p));

		if (!p)
			return -1;
		t->cells = p;
		t->cap = cap;
	}
	for (i = 0; i < t->ncols; i++) {
		char *c = strdup(cells[i] ? cells[i] : "");
		size_t w;

		if (!c)
			return -1;
		t->cells[t->nrows * t->ncols + i] = c;
		w = vout_width(c);
		if (w > t->width[i])
			t->width[i] = w;
	}
	t->nrows++;
	return 0;
}

void cli_table_print(const struct cli_table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t i = 0; i < t->ncols; i++) {
			const char *c = t->cells[r * t->ncols + i];

			fputs(c, stdout);
			if (i + 1 < t->ncols)
				for (size_t w = vout_width(c); w < t->width[i] + 2; w++)
					putchar(' ');
		}
		putchar('\n');
	}
}

void cli_table_free(struct cli_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}

int cli_print_json(json_t *j)
{
	int rc;

	if (!j)
		return -1;
	rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(j);
	return rc;
}
