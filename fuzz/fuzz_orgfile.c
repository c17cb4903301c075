/*
 * fuzz_orgfile.c - the company and project list parsers over arbitrary
 * files: text decoding, header search and every field check of
 * orgfile_company_row() and orgfile_project_row().  The first byte picks
 * the kind of list.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "orgfile.h"
#include "tabfile.h"
#include "uscc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void companies(const char *p, size_t n)
{
	struct tabfile t;
	struct orgfile_company c;
	struct err err;

	err_clear(&err);
	if (tabfile_open_memory(&t, p, n, orgfile_company_columns, ORGFILE_C_COUNT, &err) == 0) {
		while (tabfile_next(&t, &err) == 1) {
			if (orgfile_company_row(&t, &c, &err) != 0)
				continue;
			/* A row that parses holds a valid code, a company kind and a name. */
			if (uscc_check(c.uscc, strlen(c.uscc), NULL) != USCC_OK || !c.name[0] ||
			    !c.district[0] || (c.kind != ORG_BUILDER && c.kind != ORG_SUPERVISOR))
				__builtin_trap();
		}
	}
	tabfile_close(&t);
}

static void projects(const char *p, size_t n)
{
	struct tabfile t;
	struct orgfile_project r;
	struct err err;

	err_clear(&err);
	if (tabfile_open_memory(&t, p, n, orgfile_project_columns, ORGFILE_P_COUNT, &err) == 0) {
		while (tabfile_next(&t, &err) == 1) {
			if (orgfile_project_row(&t, &r, &err) != 0)
				continue;
			if (uscc_check(r.builder, strlen(r.builder), NULL) != USCC_OK ||
			    (r.supervisor[0] &&
			     uscc_check(r.supervisor, strlen(r.supervisor), NULL) != USCC_OK) ||
			    !r.name[0] || !r.district[0] ||
			    (r.start_on != DATE_NONE && r.end_on != DATE_NONE &&
			     r.end_on < r.start_on))
				__builtin_trap();
		}
	}
	tabfile_close(&t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		projects((const char *)data + 1, size - 1);
	else
		companies((const char *)data + 1, size - 1);
	return 0;
}
