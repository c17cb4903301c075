/*
 * test_sm2.c - unit tests for lib/cred/sm2.c: key generation and the public
 * point, sign/verify round trips, tampered messages, wrong keys, malformed
 * keys and signatures, the DER conversion, and interoperability with the
 * openssl command line in both directions (skipped when it is missing).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "sm2.h"
#include "fixture.h"

static const uint8_t MSG[] = "opcert SM2 test message";

static void test_keygen_public(void **state)
{
	uint8_t sk[SM2_SK_LEN], pk[SM2_PK_LEN], pk2[SM2_PK_LEN], sk2[SM2_SK_LEN], pk3[SM2_PK_LEN];
	struct err e;

	(void)state;
	assert_int_equal(sm2_keygen(sk, pk, &e), 0);
	assert_int_equal(pk[0], 0x04);
	assert_int_equal(sm2_public(sk, pk2, &e), 0);
	assert_memory_equal(pk, pk2, SM2_PK_LEN);
	assert_int_equal(sm2_keygen(sk2, pk3, &e), 0);
	assert_memory_not_equal(sk, sk2, SM2_SK_LEN);
	assert_memory_not_equal(pk, pk3, SM2_PK_LEN);

	/* zero, n - 1 and all-ones are no private keys */
	memset(sk2, 0, sizeof(sk2));
	assert_int_equal(sm2_public(sk2, pk2, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	memset(sk2, 0xff, sizeof(sk2));
	assert_int_equal(sm2_public(sk2, pk2, &e), -1);
	assert_int_equal(sm2_sign(sk2, MSG, sizeof(MSG), pk2, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
}

static void test_round_trip(void **state)
{
	uint8_t sk[SM2_SK_LEN], pk[SM2_PK_LEN], sk2[SM2_SK_LEN], pk2[SM2_PK_LEN];
	uint8_t sig[SM2_SIG_LEN], sig2[SM2_SIG_LEN], msg[sizeof(MSG)];
	struct err e;

	(void)state;
	assert_int_equal(sm2_keygen(sk, pk, &e), 0);
	assert_int_equal(sm2_sign(sk, MSG, sizeof(MSG), sig, &e), 0);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), sig, SM2_SIG_LEN), 1);
	/* randomised: a second signature differs and verifies too */
	assert_int_equal(sm2_sign(sk, MSG, sizeof(MSG), sig2, &e), 0);
	assert_memory_not_equal(sig, sig2, SM2_SIG_LEN);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), sig2, SM2_SIG_LEN), 1);
	/* the empty message */
	assert_int_equal(sm2_sign(sk, NULL, 0, sig2, &e), 0);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, NULL, 0, sig2, SM2_SIG_LEN), 1);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), sig2, SM2_SIG_LEN), 0);

	/* every flipped bit of the message or the signature fails */
	for (size_t i = 0; i < sizeof(MSG) * 8; i += 7) {
		memcpy(msg, MSG, sizeof(MSG));
		msg[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_equal(sm2_verify(pk, SM2_PK_LEN, msg, sizeof(msg), sig, SM2_SIG_LEN), 0);
	}
	for (size_t i = 0; i < SM2_SIG_LEN * 8; i += 5) {
		memcpy(sig2, sig, SM2_SIG_LEN);
		sig2[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), sig2, SM2_SIG_LEN),
		                 0);
	}
	/* another key */
	assert_int_equal(sm2_keygen(sk2, pk2, &e), 0);
	assert_int_equal(sm2_verify(pk2, SM2_PK_LEN, MSG, sizeof(MSG), sig, SM2_SIG_LEN), 0);
}

static void test_malformed(void **state)
{
	uint8_t sk[SM2_SK_LEN], pk[SM2_PK_LEN], bad[SM2_PK_LEN], sig[SM2_SIG_LEN], s2[SM2_SIG_LEN];
	uint8_t der[80];
	size_t n;
	struct err e;

	(void)state;
	assert_int_equal(sm2_keygen(sk, pk, &e), 0);
	assert_int_equal(sm2_sign(sk, MSG, sizeof(MSG), sig, &e), 0);
	/* wrong lengths */
	assert_int_equal(sm2_verify(pk, 64, MSG, sizeof(MSG), sig, SM2_SIG_LEN), 0);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), sig, 63), 0);
	assert_int_equal(sm2_verify(NULL, SM2_PK_LEN, MSG, sizeof(MSG), sig, SM2_SIG_LEN), 0);
	/* a point off the curve, a compressed-form prefix, all zeros */
	memcpy(bad, pk, SM2_PK_LEN);
	bad[64] ^= 1;
	assert_int_equal(sm2_verify(bad, SM2_PK_LEN, MSG, sizeof(MSG), sig, SM2_SIG_LEN), 0);
	memcpy(bad, pk, SM2_PK_LEN);
	bad[0] = 0x02;
	assert_int_equal(sm2_verify(bad, SM2_PK_LEN, MSG, sizeof(MSG), sig, SM2_SIG_LEN), 0);
	memset(bad, 0, sizeof(bad));
	bad[0] = 0x04;
	assert_int_equal(sm2_verify(bad, SM2_PK_LEN, MSG, sizeof(MSG), sig, SM2_SIG_LEN), 0);
	/* r = 0, s = 0, r = s = all ones (above the order) */
	memcpy(s2, sig, SM2_SIG_LEN);
	memset(s2, 0, 32);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), s2, SM2_SIG_LEN), 0);
	memcpy(s2, sig, SM2_SIG_LEN);
	memset(s2 + 32, 0, 32);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), s2, SM2_SIG_LEN), 0);
	memset(s2, 0xff, SM2_SIG_LEN);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), s2, SM2_SIG_LEN), 0);

	/* DER both ways, and DER that is not strict */
	assert_int_equal(sm2_sig_to_der(sig, der, sizeof(der), &n, &e), 0);
	assert_int_equal(sm2_sig_from_der(der, n, s2, &e), 0);
	assert_memory_equal(sig, s2, SM2_SIG_LEN);
	assert_int_equal(sm2_sig_from_der(der, n - 1, s2, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	der[n] = 0;
	assert_int_equal(sm2_sig_from_der(der, n + 1, s2, &e), -1);
	{
		/* INTEGER 0 and a long-form length */
		static const uint8_t zero[] = {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x01};
		static const uint8_t longlen[] = {0x30, 0x81, 0x06, 0x02, 0x01,
		                                  0x01, 0x02, 0x01, 0x01};
		static const uint8_t neg[] = {0x30, 0x06, 0x02, 0x01, 0x81, 0x02, 0x01, 0x01};
		static const uint8_t big[] = {0x30, 0x26, 0x02, 0x21, 0x01, 1, 1, 1,    1,    1,
		                              1,    1,    1,    1,    1,    1, 1, 1,    1,    1,
		                              1,    1,    1,    1,    1,    1, 1, 1,    1,    1,
		                              1,    1,    1,    1,    1,    1, 1, 0x02, 0x01, 0x01};
		assert_int_equal(sm2_sig_from_der(zero, sizeof(zero), s2, &e), -1);
		assert_int_equal(sm2_sig_from_der(longlen, sizeof(longlen), s2, &e), -1);
		assert_int_equal(sm2_sig_from_der(neg, sizeof(neg), s2, &e), -1);
		assert_int_equal(sm2_sig_from_der(big, sizeof(big), s2, &e), -1);
		assert_int_equal(sm2_sig_from_der(der, 0, s2, &e), -1);
	}
}

/* ---- interoperability with the openssl command line ------------------- */

static int have_openssl(void)
{
	return system("openssl version >/dev/null 2>&1") == 0;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static size_t read_file(const char *path, uint8_t *p, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(p, 1, cap, f);
	fclose(f);
	return n;
}

/* Write our key pair as PEM files the openssl tool reads. */
static void write_pem(const uint8_t sk[SM2_SK_LEN], const uint8_t pk[SM2_PK_LEN], const char *priv,
                      const char *pub)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	BIGNUM *d = BN_bin2bn(sk, SM2_SK_LEN, NULL);
	OSSL_PARAM *params;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
	EVP_PKEY *key = NULL;
	FILE *f;

	assert_true(OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0));
	assert_true(OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pk, SM2_PK_LEN));
	assert_true(OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d));
	params = OSSL_PARAM_BLD_to_param(b);
	assert_true(EVP_PKEY_fromdata_init(ctx) > 0);
	assert_true(EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) > 0);
	f = fopen(priv, "w");
	assert_non_null(f);
	assert_true(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL));
	fclose(f);
	f = fopen(pub, "w");
	assert_non_null(f);
	assert_true(PEM_write_PUBKEY(f, key));
	fclose(f);
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	BN_free(d);
}

static void test_openssl_cli(void **state)
{
	char cmd[1024], path[4][FIXTURE_PATH_SIZE + 8];
	struct fixture_dir dir;
	uint8_t sk[SM2_SK_LEN], pk[SM2_PK_LEN], sig[SM2_SIG_LEN], der[128];
	size_t n;
	struct err e;

	(void)state;
	if (!have_openssl())
		skip();
	assert_int_equal(fixture_dir_make(&dir, "sm2"), 0);
	assert_int_equal(fixture_dir_file(&dir, "k.pem", path[0], sizeof(path[0])), 0);
	assert_int_equal(fixture_dir_file(&dir, "p.pem", path[1], sizeof(path[1])), 0);
	assert_int_equal(fixture_dir_file(&dir, "msg", path[2], sizeof(path[2])), 0);
	assert_int_equal(fixture_dir_file(&dir, "sig", path[3], sizeof(path[3])), 0);
	assert_int_equal(sm2_keygen(sk, pk, &e), 0);
	write_pem(sk, pk, path[0], path[1]);
	write_file(path[2], MSG, sizeof(MSG));

	/* ours -> openssl */
	assert_int_equal(sm2_sign(sk, MSG, sizeof(MSG), sig, &e), 0);
	assert_int_equal(sm2_sig_to_der(sig, der, sizeof(der), &n, &e), 0);
	write_file(path[3], der, n);
	snprintf(cmd, sizeof(cmd),
	         "openssl pkeyutl -verify -pubin -inkey %s -rawin -digest sm3 -pkeyopt "
	         "distid:" SM2_ID " -in %s -sigfile %s >/dev/null 2>&1",
	         path[1], path[2], path[3]);
	assert_int_equal(system(cmd), 0);
	/* the check can fail: a signature of another message does not verify there */
	assert_int_equal(sm2_sign(sk, MSG, sizeof(MSG) - 1, sig, &e), 0);
	assert_int_equal(sm2_sig_to_der(sig, der, sizeof(der), &n, &e), 0);
	write_file(path[3], der, n);
	assert_int_not_equal(system(cmd), 0);

	/* openssl -> ours */
	snprintf(cmd, sizeof(cmd),
	         "openssl dgst -sm3 -sign %s -sigopt distid:" SM2_ID " -out %s %s >/dev/null 2>&1",
	         path[0], path[3], path[2]);
	for (int i = 0; i < 8; i++) {
		assert_int_equal(system(cmd), 0);
		n = read_file(path[3], der, sizeof(der));
		assert_int_equal(sm2_sig_from_der(der, n, sig, &e), 0);
		assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG), sig, SM2_SIG_LEN), 1);
		assert_int_equal(sm2_verify(pk, SM2_PK_LEN, MSG, sizeof(MSG) - 1, sig, SM2_SIG_LEN),
		                 0);
	}
	assert_int_equal(fixture_dir_remove(&dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keygen_public),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_openssl_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
