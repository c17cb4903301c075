/*
 * fuzz_proof.c - libFuzzer target for proof text and proof verification.
 *
 * Input: 1 byte of flags, two 64-bit numbers (little-endian) used as index
 * or sizes, two 32-byte hashes, then proof text.  Short inputs are padded
 * with zeros.  Beyond not crashing or looping on any sizes up to 2^64 - 1:
 * parsed proof text formats back to the same bytes; in a real tree of up to
 * 100 entries a proof the target generates verifies, and a fuzzed proof that
 * verifies must be exactly that proof; generation with arbitrary numbers
 * over a source of 100 entries fails cleanly or yields a proof that verifies.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tlog.h"

#define HEAD  (1 + 8 + 8 + 2 * TLOG_HASH_LEN)
#define NTREE 100

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t leaves[NTREE][TLOG_HASH_LEN];
static uint8_t roots[NTREE + 1][TLOG_HASH_LEN];

static int leaf(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN])
{
	(void)ctx;
	if (index >= NTREE)
		return -1;
	memcpy(out, leaves[index], TLOG_HASH_LEN);
	return 0;
}

static void init(void)
{
	static int done;
	struct tlog_frontier f;
	uint8_t b;
	int i;

	if (done)
		return;
	tlog_frontier_init(&f);
	tlog_frontier_root(&f, roots[0]);
	for (i = 0; i < NTREE; i++) {
		b = (uint8_t)i;
		tlog_leaf_hash(&b, 1, leaves[i]);
		if (tlog_frontier_append(&f, leaves[i], NULL) != 0)
			abort();
		tlog_frontier_root(&f, roots[i + 1]);
	}
	done = 1;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int same(const struct tlog_proof *a, const struct tlog_proof *b)
{
	return a->len == b->len && memcmp(a->hash, b->hash, a->len * TLOG_HASH_LEN) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t head[HEAD] = {0};
	char out[TLOG_PROOF_TEXT_MAX + 1];
	struct tlog_proof p, g;
	struct err e;
	uint64_t a, b, n, m;
	const uint8_t *h1, *h2;
	size_t len;

	init();
	memcpy(head, data, size < HEAD ? size : HEAD);
	a = get64(head + 1);
	b = get64(head + 9);
	h1 = head + 17;
	h2 = head + 17 + TLOG_HASH_LEN;
	if (head[0] & 1) {
		/* Small numbers make interesting shapes more likely. */
		a &= 0xff;
		b &= 0xff;
	}

	if (tlog_proof_parse(size > HEAD ? (const char *)data + HEAD : NULL,
	                     size > HEAD ? size - HEAD : 0, &p, &e) != 0) {
		if (e.kind != ERR_INPUT)
			abort();
		p.len = 0;
	} else {
		if (tlog_proof_format(&p, out, sizeof(out), &len, &e) != 0 ||
		    len != (size > HEAD ? size - HEAD : 0) || memcmp(out, data + HEAD, len) != 0)
			abort();
	}

	/* Arbitrary statements: must simply terminate. */
	(void)tlog_verify_inclusion(h1, a, b, &p, h2);
	(void)tlog_verify_consistency(a, b, h1, h2, &p);

	/* A real tree. */
	n = 1 + b % NTREE;
	m = a % n;
	if (tlog_prove_inclusion(m, n, leaf, NULL, &g, &e) != 0 ||
	    !tlog_verify_inclusion(leaves[m], m, n, &g, roots[n]))
		abort();
	if (tlog_verify_inclusion(leaves[m], m, n, &p, roots[n]) && !same(&p, &g))
		abort();
	m = a % (n + 1);
	if (tlog_prove_consistency(m, n, leaf, NULL, &g, &e) != 0 ||
	    !tlog_verify_consistency(m, n, roots[m], roots[n], &g))
		abort();
	if (tlog_verify_consistency(m, n, roots[m], roots[n], &p) && !same(&p, &g))
		abort();

	/* Generation with arbitrary numbers over a source of NTREE leaves. */
	if (tlog_prove_inclusion(a, b, leaf, NULL, &g, &e) == 0) {
		/* The proven entry itself is never read: NTREE of NTREE + 1 succeeds. */
		if (b > NTREE + 1 || (b == NTREE + 1 && a != NTREE))
			abort();
		if (b <= NTREE && !tlog_verify_inclusion(leaves[a], a, b, &g, roots[b]))
			abort();
	} else if (a < b && b <= NTREE) {
		abort();
	}
	if (tlog_prove_consistency(a, b, leaf, NULL, &g, &e) == 0) {
		if (a <= NTREE && b <= NTREE &&
		    !tlog_verify_consistency(a, b, roots[a], roots[b], &g))
			abort();
		if (b > NTREE && a != 0 && a != b)
			abort();
	} else if (a <= b && b <= NTREE) {
		abort();
	}
	return 0;
}
