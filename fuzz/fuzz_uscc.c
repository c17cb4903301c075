/*
 * fuzz_uscc.c - the unified social credit code parser on arbitrary bytes:
 * an accepted code re-checks to itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "uscc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[USCC_SIZE], again[USCC_SIZE];

	if (uscc_check((const char *)data, size, out) == USCC_OK) {
		if (uscc_check(out, strlen(out), again) != USCC_OK || strcmp(out, again) != 0)
			__builtin_trap();
	}
	return 0;
}
