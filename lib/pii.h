/*
 * pii.h - how personal data is kept at rest.
 *
 * ID numbers are sensitive personal information (PIPL).  Every byte of one
 * that reaches the database passes through this module: pii_seal() turns it
 * into the stored form and pii_open() back, and pii_index() gives the key
 * the database looks it up by.  Nothing else knows the stored form, so
 * moving from the present form (version 0: a tagged copy) to encryption
 * with a keyed-hash blind index changes this module and a migration only.
 */
#ifndef OPCERT_PII_H
#define OPCERT_PII_H

#include <stddef.h>

#include "idnum.h"

#define PII_SEALED_MAX 96
#define PII_INDEX_MAX  32

/* Stored form of a normalised ID number; returns its length. */
size_t pii_seal(const char *id, unsigned char out[PII_SEALED_MAX]);
/* Back to the ID number; -1 when the stored form is not one we wrote. */
int pii_open(const unsigned char *sealed, size_t len, char out[IDNUM_SIZE]);
/* Look-up key of a normalised ID number; returns its length. */
size_t pii_index(const char *id, unsigned char out[PII_INDEX_MAX]);

#endif
