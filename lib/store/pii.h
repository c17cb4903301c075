/*
 * pii.h - how personal data is kept at rest.
 *
 * ID numbers are sensitive personal information (PIPL), and an emergency-
 * management certificate number ("T" + the holder's ID number) contains
 * one.  Every byte of either that reaches the database passes through this
 * module, under the data key (keys.h, data.key in the key directory, never
 * in the database).  Seven subkeys are derived from it (crypto_kdf, context
 * "opcertPI"), one per use:
 *
 *   ID number, stored form    version byte 1 || nonce (24, random) ||
 *                             crypto_secretbox_easy(id)
 *   ID number, look-up index  keyed BLAKE2b-128 of the normalised ID (a
 *                             blind index: equal IDs, equal index; without
 *                             the key it says nothing)
 *   personal certificate      "T~" || base64url(siv (16) || secretbox(number))
 *   number                    where siv = keyed BLAKE2b-128 of the number and
 *                             the nonce is siv followed by 8 zero bytes: the
 *                             same number always seals to the same text, so
 *                             equality look-ups, UNIQUE and joins keep
 *                             working on the sealed column
 *   other bytes (a log event  version byte 1 || nonce (24, random) ||
 *   about such a number)      crypto_secretbox_easy(bytes)
 *   key check                 keyed BLAKE2b-128 of a fixed label, kept in the
 *                             database so a wrong data key is refused before
 *                             it writes anything
 *   probe tag                 keyed BLAKE2b-128 of a domain byte and a text
 *                             (probe.h: which certificate, which ID number
 *                             was tried), a key of its own so the probe
 *                             table joins nothing else in the database
 *
 * Version 0 (a tagged plaintext copy, written by earlier versions) is read
 * by pii_open_v0() only, for the migration (store_pii_migrate).
 *
 * A struct pii_key lives in sodium_malloc'd, read-only memory and is
 * reference-counted: the store that gets one (store_set_pii) takes a
 * reference, so the caller may free its own at once.  Thread-safe once made.
 */
#ifndef OPCERT_PII_H
#define OPCERT_PII_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "idnum.h"

#define PII_KEY_LEN       32 /* the data key */
#define PII_SEALED_MAX    96
#define PII_INDEX_MAX     32
#define PII_INDEX_LEN     16
#define PII_NUMBER_MAX    96 /* a sealed number's text, with its NUL */
#define PII_BLOB_OVERHEAD 41 /* version + nonce + MAC */
#define PII_CHECK_HEX     (2 * 16 + 1)

#define PII_VERSION 1 /* the stored form this module writes */

struct pii_key;

/* The subkeys of data_key; NULL and err filled when out of memory. */
struct pii_key *pii_key_new(const uint8_t data_key[PII_KEY_LEN], struct err *err);
/* Another reference to k (k itself). */
struct pii_key *pii_key_ref(struct pii_key *k);
/* Drop a reference; the last one wipes and frees.  NULL is fine. */
void pii_key_free(struct pii_key *k);
/* The key check value, lowercase hex (see above). */
void pii_key_check(const struct pii_key *k, char out[PII_CHECK_HEX]);

/* Stored form of a normalised ID number; returns its length. */
size_t pii_seal(const struct pii_key *k, const char *id, unsigned char out[PII_SEALED_MAX]);
/* Back to the ID number; -1 when the stored form is not one this key wrote
 * (another key, altered bytes, or version 0). */
int pii_open(const struct pii_key *k, const unsigned char *sealed, size_t len,
             char out[IDNUM_SIZE]);
/* Version 0 (a tagged plaintext copy): for the migration only. */
int pii_open_v0(const unsigned char *sealed, size_t len, char out[IDNUM_SIZE]);
/* The version byte of a stored form, -1 when empty. */
int pii_version(const unsigned char *sealed, size_t len);
/* Look-up key of a normalised ID number; returns its length (PII_INDEX_LEN). */
size_t pii_index(const struct pii_key *k, const char *id, unsigned char out[PII_INDEX_MAX]);

/* The probe tag of s (len bytes) in a domain (probe.h: one byte per kind
 * of thing tagged, so equal texts of different kinds never collide). */
void pii_probe_tag(const struct pii_key *k, uint8_t domain, const char *s, size_t len,
                   uint8_t out[PII_INDEX_LEN]);

/* 1 when a certificate number is personal (an emergency-management number:
 * it starts with "T"), else 0.  Construction numbers are not. */
int pii_number_personal(const char *number);
/* 1 when stored text is a sealed number ("T~..."). */
int pii_number_sealed(const char *stored, size_t len);
/* Sealed text of a personal number (NUL-terminated); returns its length,
 * 0 when the number is too long (over 31 bytes). */
size_t pii_number_seal(const struct pii_key *k, const char *number, char out[PII_NUMBER_MAX]);
/* Back to the number (NUL-terminated, at most size - 1 bytes); -1 when the
 * text is not one this key sealed. */
int pii_number_open(const struct pii_key *k, const char *sealed, size_t len, char *out,
                    size_t size);

/* Seal any bytes (random nonce): out needs len + PII_BLOB_OVERHEAD bytes;
 * returns the sealed length. */
size_t pii_blob_seal(const struct pii_key *k, const uint8_t *data, size_t len, uint8_t *out);
/* Open into out (cap bytes); 0 and *len, or -1 when not sealed by this key
 * or too long. */
int pii_blob_open(const struct pii_key *k, const uint8_t *sealed, size_t slen, uint8_t *out,
                  size_t cap, size_t *len);

/* How many times this thread has asked to open sealed data, by kind (failed
 * attempts included): for the tests that hold two paths of a check to the
 * same work (verify.c).  A thread-local count, cheap enough for every build. */
struct pii_opens {
	unsigned long id;     /* pii_open */
	unsigned long number; /* pii_number_open */
	unsigned long blob;   /* pii_blob_open */
};
void pii_opens_get(struct pii_opens *out);

#endif
