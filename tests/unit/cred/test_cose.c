/*
 * test_cose.c - unit tests for lib/cred/cose.c: the exact bytes of the
 * protected header and the Sig_structure, signing and verifying with
 * Ed25519, tagged and untagged messages, and a table of malformed messages
 * the decoder must refuse (trailing bytes, truncation, wrong types,
 * indefinite and non-shortest lengths, critical headers, nesting and
 * allocation bombs), plus the CBOR pre-check on its own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "cose.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (hex[0] && hex[1]) {
		if (hex[0] == ' ') {
			hex++;
			continue;
		}
		assert_true(n < cap);
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

static const uint8_t KID[KID_LEN] = {1, 2, 3, 4, 5, 6, 7, 8};

struct keypair {
	uint8_t pk[32];
	uint8_t sk[64];
};

static void keypair_from(uint8_t first, struct keypair *kp)
{
	uint8_t seed[32];
	size_t i;

	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(first + i);
	assert_int_equal(crypto_sign_seed_keypair(kp->pk, kp->sk, seed), 0);
	sodium_memzero(seed, sizeof(seed));
}

static void test_layout(void **state)
{
	struct keypair kp;
	uint8_t *msg = NULL, *tbs = NULL;
	size_t len = 0, tbs_len = 0;
	struct err err;
	/* 0xD2, array(4), bstr(13) {1: -8, 4: h'0102..08'}, {}, bstr(3) "abc", bstr(64) */
	static const char head[] = "d2 84 4d a2 01 27 04 48 0102030405060708 a0 43 616263 5840";
	/* ["Signature1", protected, h'', "abc"] */
	static const char sig_structure[] = "84 6a 5369676e617475726531 4d a2 01 27 04 48 "
	                                    "0102030405060708 40 43 616263";
	uint8_t want[128];
	size_t want_len;

	(void)state;
	keypair_from(0, &kp);
	assert_int_equal(
	    cose_sign1_encode_ed25519(KID, kp.sk, (const uint8_t *)"abc", 3, &msg, &len, &err), 0);
	want_len = unhex(head, want, sizeof(want));
	assert_int_equal(len, want_len + 64);
	assert_memory_equal(msg, want, want_len);

	want_len = unhex(sig_structure, want, sizeof(want));
	assert_int_equal(
	    cose_sig_structure(msg + 3, 13, (const uint8_t *)"abc", 3, &tbs, &tbs_len, &err), 0);
	assert_int_equal(tbs_len, want_len);
	assert_memory_equal(tbs, want, want_len);
	/* the signature is Ed25519 over exactly that */
	assert_int_equal(crypto_sign_verify_detached(msg + len - 64, tbs, tbs_len, kp.pk), 0);
	free(tbs);
	free(msg);
	sodium_memzero(&kp, sizeof(kp));
}

static void test_round_trip(void **state)
{
	struct keypair kp, other;
	uint8_t payload[COSE_PAYLOAD_MAX];
	uint8_t *msg = NULL;
	size_t len = 0, sizes[] = {1, 23, 24, 255, 256, 1000, COSE_PAYLOAD_MAX}, i;
	struct cose_sign1 m;
	struct err err;

	(void)state;
	keypair_from(0, &kp);
	keypair_from(100, &other);
	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 31);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(
		    cose_sign1_encode_ed25519(KID, kp.sk, payload, sizes[i], &msg, &len, &err), 0);
		/* tagged */
		assert_int_equal(cose_sign1_decode(msg, len, &m, &err), 0);
		assert_int_equal(m.alg, COSE_ALG_EDDSA);
		assert_memory_equal(m.kid, KID, KID_LEN);
		assert_int_equal(m.payload_len, sizes[i]);
		assert_memory_equal(m.payload, payload, sizes[i]);
		assert_int_equal(m.signature_len, 64);
		assert_int_equal(cose_sign1_verify_ed25519(&m, kp.pk), 1);
		assert_int_equal(cose_sign1_verify_ed25519(&m, other.pk), 0);
		cose_sign1_free(&m);
		/* untagged */
		assert_int_equal(cose_sign1_decode(msg + 1, len - 1, &m, &err), 0);
		assert_int_equal(cose_sign1_verify_ed25519(&m, kp.pk), 1);
		cose_sign1_free(&m);
		/* one flipped bit anywhere: refused or no longer verifying */
		if (sizes[i] <= 256) {
			size_t pos;

			for (pos = 0; pos < len; pos++) {
				msg[pos] ^= 0x01;
				if (cose_sign1_decode(msg, len, &m, &err) == 0) {
					if (cose_sign1_verify_ed25519(&m, kp.pk))
						fail_msg("size %zu: flipped byte %zu verifies",
						         sizes[i], pos);
					cose_sign1_free(&m);
				}
				msg[pos] ^= 0x01;
			}
		}
		free(msg);
	}
	assert_int_equal(cose_sign1_encode_ed25519(KID, kp.sk, payload, 0, &msg, &len, &err), -1);
	assert_int_equal(
	    cose_sign1_encode_ed25519(KID, kp.sk, payload, COSE_PAYLOAD_MAX + 1, &msg, &len, &err),
	    -1);
	sodium_memzero(&kp, sizeof(kp));
	sodium_memzero(&other, sizeof(other));
}

/* ---- malformed messages ---------------------------------------------------- */

#define PROT  "4d a2 01 27 04 48 0102030405060708 "
#define Z16   "00000000000000000000000000000000"
#define SIG64 "5840 " Z16 Z16 Z16 Z16
#define PAY   "43 616263 "

struct bad_case {
	const char *name;
	const char *hex;
};

static const struct bad_case bad_cases[] = {
    {"trailing byte", "d2 84 " PROT "a0 " PAY SIG64 "00"},
    {"array of 3", "d2 83 " PROT "a0 " PAY},
    {"array of 5", "d2 85 " PROT "a0 " PAY SIG64 "40"},
    {"not an array", "d2 a0"},
    {"tag 17", "d1 84 " PROT "a0 " PAY SIG64},
    {"tag 18 in two bytes", "d8 12 84 " PROT "a0 " PAY SIG64},
    {"tag 18 twice", "d2 d2 84 " PROT "a0 " PAY SIG64},
    {"indefinite array", "d2 9f " PROT "a0 " PAY SIG64 "ff"},
    {"indefinite payload", "d2 84 " PROT "a0 5f 43 616263 ff " SIG64},
    {"indefinite unprotected", "d2 84 " PROT "bf ff " PAY SIG64},
    {"non-shortest payload length", "d2 84 " PROT "a0 58 03 616263 " SIG64},
    {"non-shortest array head", "d2 98 04 " PROT "a0 " PAY SIG64},
    {"non-shortest alg", "d2 84 4e a2 01 38 07 04 48 0102030405060708 a0 " PAY SIG64},
    {"protected is a map", "d2 84 a2 01 27 04 48 0102030405060708 a0 " PAY SIG64},
    {"protected empty", "d2 84 40 a0 " PAY SIG64},
    {"protected not a map", "d2 84 43 83 01 02 a0 " PAY SIG64},
    {"protected trailing byte", "d2 84 4e a2 01 27 04 48 0102030405060708 00 a0 " PAY SIG64},
    {"no alg", "d2 84 4b a1 04 48 0102030405060708 a0 " PAY SIG64},
    {"no kid", "d2 84 43 a1 01 27 a0 " PAY SIG64},
    {"kid 7 bytes", "d2 84 4c a2 01 27 04 47 01020304050607 a0 " PAY SIG64},
    {"kid 9 bytes", "d2 84 4e a2 01 27 04 49 010203040506070809 a0 " PAY SIG64},
    {"kid is text", "d2 84 4d a2 01 27 04 68 3031323334353637 a0 " PAY SIG64},
    {"alg is text", "d2 84 52 a2 01 65 45 64 44 53 41 04 48 0102030405060708 a0 " PAY SIG64},
    {"alg twice", "d2 84 4f a3 01 27 01 27 04 48 0102030405060708 a0 " PAY SIG64},
    {"critical header", "d2 84 51 a3 01 27 02 81 18 63 04 48 0102030405060708 a0 " PAY SIG64},
    {"critical header empty", "d2 84 4f a3 01 27 02 80 04 48 0102030405060708 a0 " PAY SIG64},
    {"kid unprotected", "d2 84 " PROT "a1 04 48 0102030405060708 " PAY SIG64},
    {"alg unprotected", "d2 84 " PROT "a1 01 27 " PAY SIG64},
    {"crit unprotected", "d2 84 " PROT "a1 02 81 18 63 " PAY SIG64},
    {"unprotected not a map", "d2 84 " PROT "80 " PAY SIG64},
    {"unprotected float", "d2 84 " PROT "a1 18 63 f9 3c00 " PAY SIG64},
    {"unprotected tag", "d2 84 " PROT "a1 18 63 c1 00 " PAY SIG64},
    {"payload nil (detached)", "d2 84 " PROT "a0 f6 " SIG64},
    {"payload empty", "d2 84 " PROT "a0 40 " SIG64},
    {"payload is text", "d2 84 " PROT "a0 63 616263 " SIG64},
    {"signature empty", "d2 84 " PROT "a0 " PAY "40"},
    {"signature is an array", "d2 84 " PROT "a0 " PAY "80"},
    {"nesting bomb", "d2 84 " PROT "a1 18 63 81 81 81 81 81 81 81 81 00 " PAY SIG64},
    {"huge array count", "d2 84 " PROT "a1 18 63 9b ffffffffffffffff " PAY SIG64},
    {"huge map count", "d2 84 " PROT "a1 18 63 bb 7fffffffffffffff " PAY SIG64},
    {"huge bstr length", "d2 84 " PROT "a0 5b ffffffffffffffff " SIG64},
    {"length past the end", "d2 84 " PROT "a0 58 ff 616263 " SIG64},
    {"reserved head", "d2 84 " PROT "a0 5c 616263 " SIG64},
    {"empty", ""},
    {"only the tag", "d2"},
};

static void test_bad_messages(void **state)
{
	uint8_t msg[512];
	size_t i, len;
	struct cose_sign1 m;
	struct err err;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		len = unhex(bad_cases[i].hex, msg, sizeof(msg));
		err_clear(&err);
		if (cose_sign1_decode(msg, len, &m, &err) == 0) {
			cose_sign1_free(&m);
			fail_msg("%s: decoded", bad_cases[i].name);
		}
		if (err.kind != ERR_INPUT)
			fail_msg("%s: not an input error", bad_cases[i].name);
		assert_null(m.mem_);
	}
}

/* What the decoder must accept that is not what we write. */
static const struct bad_case good_cases[] = {
    {"untagged", "84 " PROT "a0 " PAY SIG64},
    {"unknown non-critical headers", "d2 84 50 a3 01 27 04 48 0102030405060708 18 63 00 "
                                     "a1 18 64 61 78 " PAY SIG64},
    {"text label", "d2 84 " PROT "a1 61 78 01 " PAY SIG64},
    {"other alg", "d2 84 "
                  "4d a2 01 26 04 48 0102030405060708 "
                  "a0 " PAY SIG64},
};

static void test_good_messages(void **state)
{
	uint8_t msg[512];
	size_t i, len;
	struct cose_sign1 m;
	struct err err;
	static const uint8_t zero_pk[32];

	(void)state;
	for (i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		len = unhex(good_cases[i].hex, msg, sizeof(msg));
		if (cose_sign1_decode(msg, len, &m, &err) != 0)
			fail_msg("%s: %s", good_cases[i].name, err.msg);
		assert_memory_equal(m.kid, KID, KID_LEN);
		assert_int_equal(m.payload_len, 3);
		/* all-zero signatures never verify */
		assert_int_equal(cose_sign1_verify_ed25519(&m, zero_pk), 0);
		if (strcmp(good_cases[i].name, "other alg") == 0)
			assert_int_equal(m.alg, -7);
		cose_sign1_free(&m);
	}
}

static void test_truncated(void **state)
{
	struct keypair kp;
	uint8_t *msg = NULL;
	size_t len = 0, n;
	struct cose_sign1 m;
	struct err err;

	(void)state;
	keypair_from(0, &kp);
	assert_int_equal(
	    cose_sign1_encode_ed25519(KID, kp.sk, (const uint8_t *)"payload", 7, &msg, &len, &err),
	    0);
	for (n = 0; n < len; n++) {
		if (cose_sign1_decode(msg, n, &m, &err) == 0)
			fail_msg("prefix of %zu bytes decoded", n);
	}
	assert_int_equal(cose_sign1_decode(msg, len, &m, &err), 0);
	cose_sign1_free(&m);
	free(msg);
	sodium_memzero(&kp, sizeof(kp));
}

static void test_oversized(void **state)
{
	uint8_t *msg = calloc(1, COSE_MSG_MAX + 1);
	struct cose_sign1 m;
	struct err err;

	(void)state;
	assert_non_null(msg);
	msg[0] = 0x84;
	assert_int_equal(cose_sign1_decode(msg, COSE_MSG_MAX + 1, &m, &err), -1);
	free(msg);
}

static int sign_fail(void *ctx, const uint8_t *tbs, size_t tbs_len, uint8_t *sig, size_t *sig_len,
                     struct err *err)
{
	(void)ctx;
	(void)tbs;
	(void)tbs_len;
	(void)sig;
	(void)sig_len;
	return err_system(err, "signer down");
}

static int sign_oversized(void *ctx, const uint8_t *tbs, size_t tbs_len, uint8_t *sig,
                          size_t *sig_len, struct err *err)
{
	(void)ctx;
	(void)tbs;
	(void)tbs_len;
	(void)err;
	memset(sig, 0, COSE_SIG_MAX);
	*sig_len = COSE_SIG_MAX + 1;
	return 0;
}

static void test_sign_callback_errors(void **state)
{
	uint8_t *msg = NULL;
	size_t len = 0;
	struct err err;

	(void)state;
	assert_int_equal(cose_sign1_encode(COSE_ALG_EDDSA, KID, (const uint8_t *)"x", 1, sign_fail,
	                                   NULL, &msg, &len, &err),
	                 -1);
	assert_string_equal(err.msg, "signer down");
	assert_null(msg);
	assert_int_equal(cose_sign1_encode(COSE_ALG_EDDSA, KID, (const uint8_t *)"x", 1,
	                                   sign_oversized, NULL, &msg, &len, &err),
	                 -1);
	assert_null(msg);
}

struct check_case {
	const char *hex;
	unsigned depth;
	int want;
};

static const struct check_case check_cases[] = {
    {"00", 0, 0},
    {"17", 0, 0},
    {"1818", 0, 0},
    {"1817", 0, -1}, /* 23 in two bytes */
    {"190100", 0, 0},
    {"1900ff", 0, -1}, /* non-shortest */
    {"1a00010000", 0, 0},
    {"1a0000ffff", 0, -1},
    {"1b0000000100000000", 0, 0},
    {"1b00000000ffffffff", 0, -1},
    {"20", 0, 0},
    {"3818", 0, 0},
    {"40", 0, 0},
    {"60", 0, 0},
    {"6161", 0, 0},
    {"62 61", 0, -1}, /* short text */
    {"80", 0, 0},     /* empty array needs no depth */
    {"8100", 0, -1},
    {"8100", 1, 0},
    {"818100", 1, -1},
    {"818100", 2, 0},
    {"a0", 0, 0},
    {"a10000", 1, 0},
    {"a100", 1, -1}, /* key without a value */
    {"0000", 0, -1}, /* two items */
    {"f4", 0, -1},   /* false */
    {"f6", 0, -1},   /* null */
    {"fb3ff0000000000000", 0, -1},
    {"c000", 0, -1},
    {"9f ff", 1, -1},
    {"5f ff", 0, -1},
    {"1c", 0, -1},
    {"", 0, -1},
    {"81 00", 5, -1}, /* depth beyond the supported maximum */
};

static void test_cbor_check(void **state)
{
	uint8_t buf[64];
	size_t i, n;

	(void)state;
	for (i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++) {
		n = unhex(check_cases[i].hex, buf, sizeof(buf));
		if (cose_cbor_check(buf, n, check_cases[i].depth) != check_cases[i].want)
			fail_msg("check \"%s\" depth %u: want %d", check_cases[i].hex,
			         check_cases[i].depth, check_cases[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_bad_messages),
	    cmocka_unit_test(test_good_messages),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_oversized),
	    cmocka_unit_test(test_sign_callback_errors),
	    cmocka_unit_test(test_cbor_check),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
