/*
 * fuzz_register.c - the register row parser over arbitrary files: text
 * decoding, header search and every field check of regfile_row().
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "date.h"
#include "regfile.h"
#include "tabfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tabfile t;
	struct cert c;
	struct err err;
	int32_t today = date_from_ymd(2026, 6, 30);

	err_clear(&err);
	if (tabfile_open_memory(&t, (const char *)data, size, regfile_columns, regfile_ncolumns,
	                        &err) == 0) {
		while (tabfile_next(&t, &err) == 1) {
			if (regfile_row(&t, today, &c, &err) == 0) {
				/* A row that parses must be self-consistent. */
				if (c.valid_until < c.issued_on || !c.number[0] || !c.name[0] ||
				    strlen(c.id_number) != 18)
					__builtin_trap();
			}
		}
	}
	tabfile_close(&t);
	return 0;
}
