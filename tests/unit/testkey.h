/*
 * testkey.h - a fixed data key (pii.h) for the tests that open a store:
 * the bytes are fixed so a failing case can be replayed, and the key is
 * attached exactly as the command line and the server attach theirs.
 */
#ifndef OPCERT_TESTKEY_H
#define OPCERT_TESTKEY_H

#include <string.h>

#include "pii.h"
#include "store.h"

/* Attach the test data key to st: 0, or -1 with err filled. */
static inline int testkey_attach(struct store *st, struct err *err)
{
	uint8_t bytes[PII_KEY_LEN];
	struct pii_key *k;
	int rc;

	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(0xa5 ^ i);
	k = pii_key_new(bytes, err);
	if (!k)
		return -1;
	rc = store_set_pii(st, k, err);
	pii_key_free(k);
	return rc;
}

#endif
