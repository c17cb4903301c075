/*
 * pii.c - stored form of ID numbers, version 0.
 *
 * Version 0 keeps the number itself behind a one-byte version tag, so that
 * a later version (secretbox ciphertext, keyed BLAKE2b index) can tell old
 * rows apart and migrate them.  See pii.h for why this is the only place
 * that knows.
 */
#include "pii.h"

#include <string.h>

#define PII_V0 0x00

size_t pii_seal(const char *id, unsigned char out[PII_SEALED_MAX])
{
	size_t n = strnlen(id, IDNUM_LEN);

	out[0] = PII_V0;
	memcpy(out + 1, id, n);
	return n + 1;
}

int pii_open(const unsigned char *sealed, size_t len, char out[IDNUM_SIZE])
{
	if (len < 1 || len > IDNUM_LEN + 1 || sealed[0] != PII_V0)
		return -1;
	memcpy(out, sealed + 1, len - 1);
	out[len - 1] = '\0';
	return 0;
}

size_t pii_index(const char *id, unsigned char out[PII_INDEX_MAX])
{
	size_t n = strnlen(id, IDNUM_LEN);

	memcpy(out, id, n);
	return n;
}
