/*
 * pii.c - stored forms of personal data (pii.h), version 1: libsodium
 * secretbox under subkeys of the data key, a keyed-BLAKE2b blind index,
 * and a deterministic (synthetic-nonce) sealing of emergency-management
 * certificate numbers.
 *
 * Threat model: someone who obtains the database files (a copied disk, a
 * backup, a leaked -wal) but not the key directory learns no ID number and
 * no emergency-management number from them; equal numbers do show as equal
 * (that is what lets the database look them up), nothing more.  Someone who
 * can write the database cannot make a sealed value open to a chosen ID
 * without the key (every form is authenticated).  Someone who runs code as
 * the server's user is not defended against: the key is in its memory.
 */
#include "pii.h"

#include <sodium.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"

#define PII_V0 0x00
#define PII_V1 0x01

#define KDF_CONTEXT "opcertPI"
#define SUBKEY_LEN  32
#define SIV_LEN     16

enum subkey {
	SK_ID_BOX = 0,
	SK_ID_INDEX = 1,
	SK_NUMBER_BOX = 2,
	SK_NUMBER_SIV = 3,
	SK_BLOB_BOX = 4,
	SK_CHECK = 5,
	SK_PROBE = 6,
	SK_COUNT
};

struct pii_key {
	atomic_int refs;
	unsigned char *sub; /* SK_COUNT subkeys; sodium_malloc'd, read-only */
};

#define SUB(k, i) ((k)->sub + (size_t)(i)*SUBKEY_LEN)

static _Thread_local struct pii_opens opens;

void pii_opens_get(struct pii_opens *out)
{
	*out = opens;
}

struct pii_key *pii_key_new(const uint8_t data_key[PII_KEY_LEN], struct err *err)
{
	struct pii_key *k = calloc(1, sizeof(*k));
	int i;

	if (!k || sodium_init() < 0 || !(k->sub = sodium_malloc(SK_COUNT * SUBKEY_LEN))) {
		free(k);
		err_system(err, "无法分配受保护的内存");
		return NULL;
	}
	for (i = 0; i < SK_COUNT; i++)
		crypto_kdf_derive_from_key(SUB(k, i), SUBKEY_LEN, (uint64_t)i + 1, KDF_CONTEXT,
		                           data_key);
	sodium_mprotect_readonly(k->sub);
	atomic_init(&k->refs, 1);
	return k;
}

struct pii_key *pii_key_ref(struct pii_key *k)
{
	atomic_fetch_add(&k->refs, 1);
	return k;
}

void pii_key_free(struct pii_key *k)
{
	if (!k || atomic_fetch_sub(&k->refs, 1) != 1)
		return;
	sodium_free(k->sub); /* wipes */
	free(k);
}

void pii_key_check(const struct pii_key *k, char out[PII_CHECK_HEX])
{
	static const char label[] = "opcert data key check v1";
	uint8_t h[16];

	crypto_generichash(h, sizeof(h), (const uint8_t *)label, sizeof(label) - 1,
	                   SUB(k, SK_CHECK), SUBKEY_LEN);
	sodium_bin2hex(out, PII_CHECK_HEX, h, sizeof(h));
}

/* ---- ID numbers ---- */

size_t pii_seal(const struct pii_key *k, const char *id, unsigned char out[PII_SEALED_MAX])
{
	size_t n = strnlen(id, IDNUM_LEN);
	unsigned char *nonce = out + 1;

	out[0] = PII_V1;
	randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, (const unsigned char *)id, n,
	                      nonce, SUB(k, SK_ID_BOX));
	return 1 + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
}

int pii_open(const struct pii_key *k, const unsigned char *sealed, size_t len, char out[IDNUM_SIZE])
{
	const size_t over = 1 + crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	size_t n;

	opens.id++;
	if (!sealed || len < over || len > over + IDNUM_LEN || sealed[0] != PII_V1)
		return -1;
	n = len - over;
	if (crypto_secretbox_open_easy(
	        (unsigned char *)out, sealed + 1 + crypto_secretbox_NONCEBYTES,
	        len - 1 - crypto_secretbox_NONCEBYTES, sealed + 1, SUB(k, SK_ID_BOX)) != 0 ||
	    memchr(out, '\0', n)) {
		sodium_memzero(out, IDNUM_SIZE);
		out[0] = '\0';
		return -1;
	}
	out[n] = '\0';
	return 0;
}

int pii_open_v0(const unsigned char *sealed, size_t len, char out[IDNUM_SIZE])
{
	if (!sealed || len < 1 || len > IDNUM_LEN + 1 || sealed[0] != PII_V0)
		return -1;
	memcpy(out, sealed + 1, len - 1);
	out[len - 1] = '\0';
	return 0;
}

int pii_version(const unsigned char *sealed, size_t len)
{
	return sealed && len ? sealed[0] : -1;
}

size_t pii_index(const struct pii_key *k, const char *id, unsigned char out[PII_INDEX_MAX])
{
	crypto_generichash(out, PII_INDEX_LEN, (const unsigned char *)id, strnlen(id, IDNUM_LEN),
	                   SUB(k, SK_ID_INDEX), SUBKEY_LEN);
	return PII_INDEX_LEN;
}

void pii_probe_tag(const struct pii_key *k, uint8_t domain, const char *s, size_t len,
                   uint8_t out[PII_INDEX_LEN])
{
	crypto_generichash_state h;

	crypto_generichash_init(&h, SUB(k, SK_PROBE), SUBKEY_LEN, PII_INDEX_LEN);
	crypto_generichash_update(&h, &domain, 1);
	crypto_generichash_update(&h, (const unsigned char *)s, len);
	crypto_generichash_final(&h, out, PII_INDEX_LEN);
	sodium_memzero(&h, sizeof(h));
}

/* ---- emergency-management certificate numbers ---- */

#define NUMBER_PLAIN_MAX 31
#define NUMBER_BIN_MAX   (SIV_LEN + crypto_secretbox_MACBYTES + NUMBER_PLAIN_MAX)

int pii_number_personal(const char *number)
{
	return number && number[0] == 'T';
}

int pii_number_sealed(const char *stored, size_t len)
{
	return stored && len >= 2 && stored[0] == 'T' && stored[1] == '~';
}

static void number_siv(const struct pii_key *k, const char *number, size_t n,
                       unsigned char siv[SIV_LEN])
{
	crypto_generichash(siv, SIV_LEN, (const unsigned char *)number, n, SUB(k, SK_NUMBER_SIV),
	                   SUBKEY_LEN);
}

size_t pii_number_seal(const struct pii_key *k, const char *number, char out[PII_NUMBER_MAX])
{
	unsigned char bin[NUMBER_BIN_MAX], nonce[crypto_secretbox_NONCEBYTES] = {0};
	size_t n = strlen(number), blen;

	if (n > NUMBER_PLAIN_MAX) {
		out[0] = '\0';
		return 0;
	}
	number_siv(k, number, n, bin);
	memcpy(nonce, bin, SIV_LEN);
	crypto_secretbox_easy(bin + SIV_LEN, (const unsigned char *)number, n, nonce,
	                      SUB(k, SK_NUMBER_BOX));
	blen = SIV_LEN + crypto_secretbox_MACBYTES + n;
	out[0] = 'T';
	out[1] = '~';
	sodium_bin2base64(out + 2, PII_NUMBER_MAX - 2, bin, blen,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return strlen(out);
}

int pii_number_open(const struct pii_key *k, const char *sealed, size_t len, char *out, size_t size)
{
	unsigned char bin[NUMBER_BIN_MAX + 3], nonce[crypto_secretbox_NONCEBYTES] = {0};
	unsigned char plain[NUMBER_PLAIN_MAX + 1], siv[SIV_LEN];
	size_t blen = 0, n;

	opens.number++;
	if (size)
		out[0] = '\0';
	if (!pii_number_sealed(sealed, len) ||
	    b64_decode(sealed + 2, len - 2, B64_URLSAFE, bin, sizeof(bin), &blen) != 0 ||
	    blen < SIV_LEN + crypto_secretbox_MACBYTES || blen > NUMBER_BIN_MAX)
		return -1;
	n = blen - SIV_LEN - crypto_secretbox_MACBYTES;
	memcpy(nonce, bin, SIV_LEN);
	if (crypto_secretbox_open_easy(plain, bin + SIV_LEN, blen - SIV_LEN, nonce,
	                               SUB(k, SK_NUMBER_BOX)) != 0)
		return -1;
	number_siv(k, (const char *)plain, n, siv);
	/* Only the one text this key makes for the number (one stored form per
	 * number, or UNIQUE would not mean what it says). */
	if (sodium_memcmp(siv, bin, SIV_LEN) != 0 || memchr(plain, '\0', n) || n + 1 > size ||
	    !pii_number_personal((const char *)plain)) {
		sodium_memzero(plain, sizeof(plain));
		return -1;
	}
	memcpy(out, plain, n);
	out[n] = '\0';
	sodium_memzero(plain, sizeof(plain));
	return 0;
}

/* ---- other bytes ---- */

size_t pii_blob_seal(const struct pii_key *k, const uint8_t *data, size_t len, uint8_t *out)
{
	out[0] = PII_V1;
	randombytes_buf(out + 1, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(out + 1 + crypto_secretbox_NONCEBYTES, data, len, out + 1,
	                      SUB(k, SK_BLOB_BOX));
	return len + PII_BLOB_OVERHEAD;
}

int pii_blob_open(const struct pii_key *k, const uint8_t *sealed, size_t slen, uint8_t *out,
                  size_t cap, size_t *len)
{
	opens.blob++;
	*len = 0;
	if (!sealed || slen < PII_BLOB_OVERHEAD || sealed[0] != PII_V1 ||
	    slen - PII_BLOB_OVERHEAD > cap)
		return -1;
	if (crypto_secretbox_open_easy(out, sealed + 1 + crypto_secretbox_NONCEBYTES,
	                               slen - 1 - crypto_secretbox_NONCEBYTES, sealed + 1,
	                               SUB(k, SK_BLOB_BOX)) != 0)
		return -1;
	*len = slen - PII_BLOB_OVERHEAD;
	return 0;
}
