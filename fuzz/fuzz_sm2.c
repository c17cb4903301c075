/*
 * fuzz_sm2.c - libFuzzer target for the SM2 signature and key decoding
 * (sm2.h).  The input is tried as a DER signature (what parses must encode
 * back to the same bytes), and split into a public key, a signature and a
 * message for sm2_verify, which must answer 0 or 1 and never crash.  A
 * fixed key's genuine signature, changed by the input, must not verify
 * unless unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sm2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t pk[SM2_PK_LEN], good[SM2_SIG_LEN];
static const uint8_t MSG[] = "fuzz";

static void init(void)
{
	static int done;
	uint8_t sk[SM2_SK_LEN];
	struct err e;
	int i;

	if (done)
		return;
	for (i = 0; i < SM2_SK_LEN; i++)
		sk[i] = (uint8_t)(i + 1);
	if (sm2_public(sk, pk, &e) != 0 || sm2_sign(sk, MSG, sizeof(MSG), good, &e) != 0)
		abort();
	done = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sig[SM2_SIG_LEN], der[96], mixed[SM2_SIG_LEN];
	size_t n = 0, i;
	struct err e;
	int r;

	init();
	/* DER: strict, so what parses encodes back to the same bytes */
	if (sm2_sig_from_der(data, size, sig, &e) == 0) {
		if (sm2_sig_to_der(sig, der, sizeof(der), &n, &e) != 0 || n != size ||
		    memcmp(der, data, size) != 0)
			abort();
	}
	/* public key, signature, message */
	if (size >= SM2_PK_LEN + SM2_SIG_LEN) {
		r = sm2_verify(data, SM2_PK_LEN, data + SM2_PK_LEN + SM2_SIG_LEN,
		               size - SM2_PK_LEN - SM2_SIG_LEN, data + SM2_PK_LEN, SM2_SIG_LEN);
		if (r != 0 && r != 1)
			abort();
	}
	/* the genuine signature XOR the input: verifies only when unchanged */
	memcpy(mixed, good, sizeof(mixed));
	for (i = 0; i < size && i < SM2_SIG_LEN; i++)
		mixed[i] ^= data[i];
	r = sm2_verify(pk, sizeof(pk), MSG, sizeof(MSG), mixed, sizeof(mixed));
	if (r != (memcmp(mixed, good, sizeof(mixed)) == 0))
		abort();
	return 0;
}
