/*
 * fuzz_uscc.c - the unified social credit code parser on arbitrary bytes:
 * an accepted code re-checks to itself, and a refused character is named
 * exactly when the reason is a bad character.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "uscc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[USCC_SIZE], again[USCC_SIZE], name[TEXT_CHAR_NAME_SIZE];
	enum uscc_error e = uscc_check((const char *)data, size, out);
	size_t at = uscc_refused_char((const char *)data, size, name);

	if (e == USCC_OK) {
		if (uscc_check(out, strlen(out), again) != USCC_OK || strcmp(out, again) != 0)
			__builtin_trap();
	}
	if (at > size || (at == 0) != (name[0] == '\0') || strlen(name) >= sizeof(name))
		__builtin_trap();
	if (e != USCC_LENGTH && (e == USCC_CHARS) != (at != 0))
		__builtin_trap();
	return 0;
}
