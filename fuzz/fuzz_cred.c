/*
 * fuzz_cred.c - libFuzzer target for signed credentials.  The first byte
 * chooses what the rest is:
 *   0  payload text, through the whole path (Base45, zlib, COSE, claims);
 *   1  the inflated COSE bytes, straight into the COSE parser;
 *   2  claims CBOR, signed here with the trusted test key so that the
 *      claims parser (reachable only after a good signature) is reached;
 *   3  what a scanner read, through the URL classifier and on.
 * What decodes as COSE is re-signed and must decode again.
 * The trust list holds an Ed25519 and an SM2 key.
 * Nothing may crash, leak or read out of bounds, and what is accepted must
 * be canonical: claims that verify re-encode to exactly the signed bytes,
 * Base45 that decodes re-encodes to the same text, and a URL is official
 * only when it starts with the official scheme and host.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "b45.h"
#include "cose.h"
#include "cred.h"
#include "sm2.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OFFICIAL "verify.example.gov.cn"

static struct trust_list trust;
static uint8_t sk[64];
static uint8_t kid[KID_LEN];

static void init(void)
{
	static int done;
	uint8_t seed[32], pk[32], h[32];
	size_t i;

	if (done)
		return;
	if (sodium_init() < 0)
		abort();
	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)i; /* the key of tests/data/cred/kat.txt */
	crypto_sign_seed_keypair(pk, sk, seed);
	crypto_hash_sha256(h, pk, sizeof(pk));
	memcpy(kid, h, KID_LEN);
	memcpy(trust.keys[0].kid, kid, KID_LEN);
	trust.keys[0].alg = ALG_ED25519;
	memcpy(trust.keys[0].pk, pk, 32);
	trust.keys[0].pk_len = 32;
	trust.keys[0].not_before = 1700000000;
	trust.keys[0].not_after = 1800000000;
	/* the SM2 key of tests/data/cred/sm2.txt (scalar 00 01 ... 1f) */
	{
		struct err e;

		if (sm2_public(seed, trust.keys[1].pk, &e) != 0)
			abort();
	}
	trust.keys[1].alg = ALG_SM2;
	trust.keys[1].pk_len = SM2_PK_LEN;
	trust_kid(trust.keys[1].pk, SM2_PK_LEN, trust.keys[1].kid);
	trust.keys[1].not_before = 1700000000;
	trust.nkeys = 2;
	done = 1;
}

static void check_result(const struct cred_check *chk)
{
	if (chk->result > CRED_UNSUPPORTED_ALG)
		abort();
	if (chk->have_claims != (chk->result == CRED_OK))
		abort();
	if (chk->result == CRED_OK) {
		uint8_t *again = NULL;
		size_t len = 0;
		struct err err;

		if (!chk->have_iat || !chk->have_kid || !chk->key ||
		    cred_claims_encode(&chk->claims, &again, &len, &err) != 0)
			abort();
		free(again);
		(void)cred_id_matches(&chk->claims, "520102199003071236", 18);
	}
}

static void fuzz_text(const uint8_t *data, size_t size)
{
	struct cred_check chk;
	struct err err;
	uint8_t bytes[CRED_TEXT_MAX];
	char text[CRED_TEXT_MAX + 1];
	size_t n;

	if (cred_verify((const char *)data, size, &trust, &chk, &err) != 0)
		abort();
	check_result(&chk);
	/* Base45: what decodes re-encodes to the same text */
	if (size <= CRED_TEXT_MAX &&
	    b45_decode((const char *)data, size, bytes, sizeof(bytes), &n) == 0) {
		if (b45_encode(bytes, n, text, sizeof(text)) != 0 || strlen(text) != size ||
		    memcmp(text, data, size) != 0)
			abort();
	}
}

static void fuzz_cose(const uint8_t *data, size_t size)
{
	struct cose_sign1 m;
	struct cred_check chk;
	struct err err;

	if (cose_sign1_decode(data, size, &m, &err) == 0) {
		uint8_t *again = NULL;
		size_t len = 0;

		if (m.payload_len == 0 || m.payload_len > COSE_PAYLOAD_MAX ||
		    m.signature_len == 0 || m.signature_len > COSE_SIG_MAX || !m.tbs)
			abort();
		if (cose_sign1_encode_ed25519(m.kid, sk, m.payload, m.payload_len, &again, &len,
		                              &err) != 0)
			abort();
		cose_sign1_free(&m);
		if (cose_sign1_decode(again, len, &m, &err) != 0)
			abort();
		cose_sign1_free(&m);
		free(again);
	} else if (err.kind != ERR_INPUT) {
		abort();
	}
	if (size <= CRED_COSE_MAX) {
		if (cred_verify_cose(data, size, &trust, &chk, &err) != 0)
			abort();
		check_result(&chk);
	}
}

static void fuzz_claims(const uint8_t *data, size_t size)
{
	struct cred_check chk;
	struct err err;
	uint8_t *cose = NULL, *again = NULL;
	size_t cose_len = 0, len = 0;

	if (size == 0 || size > 1024)
		return;
	if (cose_sign1_encode_ed25519(kid, sk, data, size, &cose, &cose_len, &err) != 0)
		abort();
	if (cred_verify_cose(cose, cose_len, &trust, &chk, &err) != 0)
		abort();
	check_result(&chk);
	if (chk.result == CRED_OK || chk.result == CRED_KEY_NOT_CURRENT) {
		if (!chk.have_iat)
			abort();
	}
	if (chk.result == CRED_OK) {
		/* one encoding only: the claims are exactly the signed bytes */
		if (cred_claims_encode(&chk.claims, &again, &len, &err) != 0 || len != size ||
		    memcmp(again, data, size) != 0)
			abort();
		free(again);
	}
	free(cose);
}

static int starts_nocase(const char *s, size_t n, const char *prefix)
{
	size_t i, p = strlen(prefix);

	if (n < p)
		return 0;
	for (i = 0; i < p; i++) {
		char a = s[i], b = prefix[i];

		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return 0;
	}
	return 1;
}

static void fuzz_link(const uint8_t *data, size_t size)
{
	static struct cred_link link, back;
	struct cred_check chk;
	struct err err;
	const char *s = (const char *)data;
	size_t i;
	char *url = NULL;

	if (cred_link_classify(s, size, OFFICIAL, &link, &err) != 0) {
		if (size <= CRED_SCAN_MAX)
			abort();
		return;
	}
	if (strlen(link.host) > CRED_HOST_MAX)
		abort();
	for (i = 0; link.host[i]; i++)
		if ((unsigned char)link.host[i] < 0x20 || (unsigned char)link.host[i] >= 0x7f)
			abort();
	if (link.kind == CRED_LINK_UNOFFICIAL) {
		if (link.payload_len != 0)
			abort();
		return;
	}
	if (link.kind == CRED_LINK_OFFICIAL) {
		/* the link is read after the one trim rule of every field */
		text_trim(&s, &size);
		if (!starts_nocase(s, size, "https://" OFFICIAL "/v#"))
			abort();
	}
	if (link.payload_len > CRED_TEXT_MAX + 1)
		abort();
	if (cred_verify(link.payload, link.payload_len, &trust, &chk, &err) != 0)
		abort();
	check_result(&chk);
	/* a payload that can be printed comes back the same through its URL */
	if (cred_url(OFFICIAL, link.payload, &url, &err) == 0) {
		if (cred_link_classify(url, strlen(url), OFFICIAL, &back, &err) != 0 ||
		    back.kind != CRED_LINK_OFFICIAL || strcmp(back.payload, link.payload) != 0)
			abort();
		free(url);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	if (size == 0)
		return 0;
	switch (data[0] & 3) {
	case 0:
		fuzz_text(data + 1, size - 1);
		break;
	case 1:
		fuzz_cose(data + 1, size - 1);
		break;
	case 2:
		fuzz_claims(data + 1, size - 1);
		break;
	default:
		fuzz_link(data + 1, size - 1);
		break;
	}
	return 0;
}
