/*
 * fuzz_authhdr.c - the Cookie and Authorization header readers on
 * arbitrary bytes: whatever comes out is a well-formed token found in the
 * header.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "authhdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_token(const char *header, const char *tok)
{
	size_t n = strlen(tok), i;

	if (n == 0 || n >= ACCOUNT_TOKEN_SIZE || !strstr(header, tok))
		__builtin_trap();
	for (i = 0; i < n; i++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_",
		            tok[i]))
			__builtin_trap();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char tok[ACCOUNT_TOKEN_SIZE];
	char *h = malloc(size + 1);

	if (!h)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';
	if (authhdr_cookie(h, "opcert_session", tok))
		check_token(h, tok);
	if (authhdr_bearer(h, tok))
		check_token(h, tok);
	free(h);
	return 0;
}
