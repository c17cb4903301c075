/*
 * fuzz_checkpoint.c - libFuzzer target for the signed-note and checkpoint
 * parsers and for verifier key strings.  The input is tried as a signed
 * checkpoint (checked against a fixed test key), as a bare checkpoint body
 * and as a verifier key.  Whatever parses must be canonical: it formats
 * back to the same bytes, and a checkpoint that verifies re-signs to a note
 * containing the very signature line that was accepted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "note.h"
#include "tlog.h"

#define KEY_NAME "opcert.example/log"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t pk[32], sk[64];
static struct note_verifier verifier;

static void init(void)
{
	static int done;
	uint8_t seed[32];
	struct err e;
	int i;

	if (done)
		return;
	if (sodium_init() < 0)
		abort();
	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	crypto_sign_seed_keypair(pk, sk, seed);
	if (note_verifier_init(&verifier, KEY_NAME, pk, &e) != 0)
		abort();
	done = 1;
}

static int contains(const uint8_t *hay, size_t hlen, const char *needle, size_t nlen)
{
	size_t i;

	for (i = 0; i + nlen <= hlen; i++)
		if (memcmp(hay + i, needle, nlen) == 0)
			return 1;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	char out[NOTE_MAX + 1], vk[NOTE_VKEY_MAX + 1];
	struct tlog_checkpoint cp;
	struct note_verifier v;
	struct err e;
	size_t len, blen;
	const char *sig;

	init();

	/* A signed checkpoint. */
	err_clear(&e);
	if (tlog_checkpoint_open(text, size, &verifier, &cp, &e) == 0) {
		if (note_open(text, size, &verifier, &blen, &e) != 0)
			abort();
		if (tlog_checkpoint_body(&cp, out, sizeof(out), &len, &e) != 0 || len != blen ||
		    memcmp(out, data, len) != 0)
			abort();
		if (tlog_checkpoint_sign(&cp, KEY_NAME, sk, out, sizeof(out), &len, &e) != 0)
			abort();
		sig = out + blen + 1; /* our signature line */
		if (!contains(data + blen + 1, size - blen - 1, sig, len - blen - 1))
			abort();
	} else if (e.kind != ERR_INPUT || !e.msg[0]) {
		abort();
	}

	/* A bare checkpoint body. */
	if (tlog_checkpoint_parse_body(text, size, &cp, &e) == 0) {
		if (tlog_checkpoint_body(&cp, out, sizeof(out), &len, &e) != 0 || len != size ||
		    memcmp(out, data, size) != 0)
			abort();
	}

	/* A verifier key: formats back the same up to the case of the hex digits. */
	if (note_vkey_parse(text, size, &v, &e) == 0) {
		len = note_vkey_format(&v, vk);
		if (len != size || strncasecmp(vk, text, size) != 0)
			abort();
	}
	return 0;
}
