/*
 * test_tlog.c - the transparency log's core: RFC 9162 hashing against the
 * Certificate Transparency reference vectors and a naive recursive
 * reference written here from the RFC's definitions; the frontier; every
 * inclusion and consistency proof of small trees, and their failure under
 * any change; proof text; signed checkpoints and notes (with the Go
 * sumdb/note vector and checked-in vectors under tests/data/tlog/); verifier
 * keys; and the cost of proofs at 1,000,000 entries.
 */
#include <setjmp.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "note.h"
#include "tlog.h"
#include "fixture.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define NLEAVES  1000
#define SMALL    64 /* every proof of every tree up to this size is checked */

static uint8_t leaves[NLEAVES][TLOG_HASH_LEN];

/* ---- helpers ---- */

static void unhex(const char *s, uint8_t *out, size_t n)
{
	size_t i;
	unsigned v;

	assert_int_equal(strlen(s), 2 * n);
	for (i = 0; i < n; i++) {
		assert_int_equal(sscanf(s + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
}

static void assert_hash_hex(const uint8_t h[TLOG_HASH_LEN], const char *hex)
{
	uint8_t want[TLOG_HASH_LEN];

	unhex(hex, want, sizeof(want));
	assert_memory_equal(h, want, TLOG_HASH_LEN);
}

static void flip(uint8_t *h, unsigned bit)
{
	h[bit / 8] ^= (uint8_t)(1u << (bit % 8));
}

/*
 * Bits to flip in a hash: all 256 in trees of up to 8 leaves; in larger
 * ones 8, one in every fourth byte, shifted by salt so that the pairs
 * (index, size) together cover every byte and bit.
 */
static unsigned flip_bits(uint64_t n, unsigned i, unsigned salt, unsigned *bit)
{
	if (n <= 8) {
		*bit = i;
		return i < 256;
	}
	*bit = (i * 4 + salt % 4) * 8 + (i + salt) % 8;
	return i < 8;
}

/* Leaves read from an array; counts reads so tests can bound them. */
struct arr {
	const uint8_t (*h)[TLOG_HASH_LEN];
	uint64_t n;
	uint64_t reads;
};

static int arr_leaf(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN])
{
	struct arr *a = ctx;

	if (index >= a->n)
		return -1;
	memcpy(out, a->h[index], TLOG_HASH_LEN);
	a->reads++;
	return 0;
}

/* ---- the reference: RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 written recursively ---- */

static void ref_node(const uint8_t *l, const uint8_t *r, uint8_t *out)
{
	crypto_hash_sha256_state st;
	const uint8_t one = 1;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &one, 1);
	crypto_hash_sha256_update(&st, l, TLOG_HASH_LEN);
	crypto_hash_sha256_update(&st, r, TLOG_HASH_LEN);
	crypto_hash_sha256_final(&st, out);
}

static uint64_t ref_split(uint64_t n)
{
	uint64_t k = 1;

	while (2 * k < n)
		k *= 2;
	return k;
}

static void ref_mth(const uint8_t (*d)[TLOG_HASH_LEN], uint64_t n, uint8_t *out)
{
	uint8_t l[TLOG_HASH_LEN], r[TLOG_HASH_LEN];
	uint64_t k;

	if (n == 0) {
		crypto_hash_sha256(out, (const uint8_t *)"", 0);
		return;
	}
	if (n == 1) {
		memcpy(out, d[0], TLOG_HASH_LEN);
		return;
	}
	k = ref_split(n);
	ref_mth(d, k, l);
	ref_mth(d + k, n - k, r);
	ref_node(l, r, out);
}

static void ref_path(uint64_t m, const uint8_t (*d)[TLOG_HASH_LEN], uint64_t n,
                     struct tlog_proof *p)
{
	uint64_t k;

	if (n <= 1)
		return;
	k = ref_split(n);
	if (m < k) {
		ref_path(m, d, k, p);
		ref_mth(d + k, n - k, p->hash[p->len++]);
	} else {
		ref_path(m - k, d + k, n - k, p);
		ref_mth(d, k, p->hash[p->len++]);
	}
}

static void ref_subproof(uint64_t m, const uint8_t (*d)[TLOG_HASH_LEN], uint64_t n, int b,
                         struct tlog_proof *p)
{
	uint64_t k;

	if (m == n) {
		if (!b)
			ref_mth(d, m, p->hash[p->len++]);
		return;
	}
	k = ref_split(n);
	if (m <= k) {
		ref_subproof(m, d, k, b, p);
		ref_mth(d + k, n - k, p->hash[p->len++]);
	} else {
		ref_subproof(m - k, d + k, n - k, 0, p);
		ref_mth(d, k, p->hash[p->len++]);
	}
}

static void ref_consistency(uint64_t m, const uint8_t (*d)[TLOG_HASH_LEN], uint64_t n,
                            struct tlog_proof *p)
{
	p->len = 0;
	if (m > 0 && m < n)
		ref_subproof(m, d, n, 1, p);
}

/* Reference roots of the first n leaves, n <= REF_ROOTS (filled once by setup). */
#define REF_ROOTS (2 * SMALL + 8)
static uint8_t ref_roots[REF_ROOTS + 1][TLOG_HASH_LEN];

static const uint8_t *ref_root(uint64_t n)
{
	assert_true(n <= REF_ROOTS);
	return ref_roots[n];
}

static int proof_equal(const struct tlog_proof *a, const struct tlog_proof *b)
{
	return a->len == b->len && memcmp(a->hash, b->hash, a->len * TLOG_HASH_LEN) == 0;
}

static int setup(void **state)
{
	char data[32];
	int i, n;

	(void)state;
	if (sodium_init() < 0)
		return -1;
	for (i = 0; i < NLEAVES; i++) {
		n = snprintf(data, sizeof(data), "entry %d", i);
		tlog_leaf_hash(data, (size_t)n, leaves[i]);
	}
	for (i = 0; i <= REF_ROOTS; i++)
		ref_mth(leaves, (uint64_t)i, ref_roots[i]);
	return 0;
}

/* ---- the Certificate Transparency reference vectors (RFC 6962 test data) ---- */

static const struct {
	const char *data;
	size_t len;
} ct_leaves[8] = {
    {"", 0},
    {"\x00", 1},
    {"\x10", 1},
    {"\x20\x21", 2},
    {"\x30\x31", 2},
    {"\x40\x41\x42\x43", 4},
    {"\x50\x51\x52\x53\x54\x55\x56\x57", 8},
    {"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f", 16},
};

static const char *const ct_roots[9] = {
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

static uint8_t ct_hashes[8][TLOG_HASH_LEN];

static void ct_setup(void)
{
	size_t i;

	for (i = 0; i < 8; i++)
		tlog_leaf_hash(ct_leaves[i].data, ct_leaves[i].len, ct_hashes[i]);
}

static void test_hash_kat(void **state)
{
	uint8_t h[TLOG_HASH_LEN], a[TLOG_HASH_LEN], b[TLOG_HASH_LEN];

	(void)state;
	tlog_empty_root(h);
	assert_hash_hex(h, ct_roots[0]);
	tlog_leaf_hash("", 0, h);
	assert_hash_hex(h, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
	tlog_leaf_hash(NULL, 0, h);
	assert_hash_hex(h, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
	tlog_leaf_hash("\x00", 1, h);
	assert_hash_hex(h, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7");
	tlog_leaf_hash("", 0, a);
	tlog_leaf_hash("\x00", 1, b);
	tlog_node_hash(a, b, h);
	assert_hash_hex(h, ct_roots[2]);
	/* Output aliasing an input. */
	tlog_node_hash(a, b, a);
	assert_hash_hex(a, ct_roots[2]);
	/* Domain separation: a leaf of 64 bytes is not the node of its halves. */
	{
		uint8_t two[2 * TLOG_HASH_LEN];

		tlog_leaf_hash("", 0, a);
		memcpy(two, a, TLOG_HASH_LEN);
		memcpy(two + TLOG_HASH_LEN, b, TLOG_HASH_LEN);
		tlog_leaf_hash(two, sizeof(two), h);
		tlog_node_hash(a, b, a);
		assert_memory_not_equal(h, a, TLOG_HASH_LEN);
	}
}

static void test_ct_roots(void **state)
{
	struct arr a = {ct_hashes, 8, 0};
	struct tlog_frontier f;
	struct err e;
	uint8_t h[TLOG_HASH_LEN];
	uint64_t n;

	(void)state;
	ct_setup();
	tlog_frontier_init(&f);
	for (n = 0; n <= 8; n++) {
		assert_int_equal(tlog_root(n, arr_leaf, &a, h, &e), 0);
		assert_hash_hex(h, ct_roots[n]);
		tlog_frontier_root(&f, h);
		assert_hash_hex(h, ct_roots[n]);
		if (n < 8)
			assert_int_equal(tlog_frontier_append(&f, ct_hashes[n], &e), 0);
	}
}

static void test_ct_inclusion(void **state)
{
	static const struct {
		uint64_t m, n;
		const char *path[3];
	} cases[] = {
	    {0, 1, {NULL}},
	    {0,
	     8,
	     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	    {5,
	     8,
	     {"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	    {2, 3, {"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
	    {1,
	     5,
	     {"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	};
	struct arr a = {ct_hashes, 8, 0};
	struct tlog_proof p, want;
	struct err e;
	uint8_t root[TLOG_HASH_LEN];
	size_t i, j;

	(void)state;
	ct_setup();
	for (i = 0; i < COUNT(cases); i++) {
		uint64_t m = cases[i].m, n = cases[i].n;

		want.len = 0;
		for (j = 0; j < 3 && cases[i].path[j]; j++)
			unhex(cases[i].path[j], want.hash[want.len++], TLOG_HASH_LEN);
		assert_int_equal(tlog_prove_inclusion(m, n, arr_leaf, &a, &p, &e), 0);
		assert_true(proof_equal(&p, &want));
		unhex(ct_roots[n], root, sizeof(root));
		assert_int_equal(tlog_verify_inclusion(ct_hashes[m], m, n, &p, root), 1);
		/* The corruptions of the transparency-dev test data, with the original root. */
		assert_int_equal(tlog_verify_inclusion(ct_hashes[m], m - 1, n, &p, root), 0);
		assert_int_equal(tlog_verify_inclusion(ct_hashes[m], m + 1, n, &p, root), 0);
		assert_int_equal(tlog_verify_inclusion(ct_hashes[m], m ^ 2, n, &p, root), 0);
		assert_int_equal(tlog_verify_inclusion(ct_hashes[m], m, n * 2, &p, root), 0);
		assert_int_equal(tlog_verify_inclusion(ct_hashes[m], m, n / 2, &p, root), 0);
	}
}

static void test_ct_consistency(void **state)
{
	static const struct {
		uint64_t m, n;
		const char *path[3];
	} cases[] = {
	    {1, 1, {NULL}},
	    {1,
	     8,
	     {"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	      "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	      "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	    {6,
	     8,
	     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	      "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	    {2,
	     5,
	     {"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	      "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	    {6,
	     7,
	     {"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	      "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	};
	struct arr a = {ct_hashes, 8, 0};
	struct tlog_proof p, want;
	struct err e;
	uint8_t r1[TLOG_HASH_LEN], r2[TLOG_HASH_LEN];
	size_t i, j;

	(void)state;
	ct_setup();
	for (i = 0; i < COUNT(cases); i++) {
		uint64_t m = cases[i].m, n = cases[i].n;

		want.len = 0;
		for (j = 0; j < 3 && cases[i].path[j]; j++)
			unhex(cases[i].path[j], want.hash[want.len++], TLOG_HASH_LEN);
		assert_int_equal(tlog_prove_consistency(m, n, arr_leaf, &a, &p, &e), 0);
		assert_true(proof_equal(&p, &want));
		unhex(ct_roots[m], r1, sizeof(r1));
		unhex(ct_roots[n], r2, sizeof(r2));
		assert_int_equal(tlog_verify_consistency(m, n, r1, r2, &p), 1);
		if (m == n)
			continue;
		/* The corruptions of the transparency-dev test data, with the original roots. */
		assert_int_equal(tlog_verify_consistency(m - 1, n, r1, r2, &p), 0);
		assert_int_equal(tlog_verify_consistency(m + 1, n, r1, r2, &p), 0);
		assert_int_equal(tlog_verify_consistency(m ^ 2, n, r1, r2, &p), 0);
		assert_int_equal(tlog_verify_consistency(m, n * 2, r1, r2, &p), 0);
		assert_int_equal(tlog_verify_consistency(m, n / 2, r1, r2, &p), 0);
		assert_int_equal(tlog_verify_consistency(m, n, r2, r1, &p), 0);
	}
}

/* ---- roots and the frontier ---- */

static void test_roots_reference(void **state)
{
	struct arr a = {leaves, NLEAVES, 0};
	uint8_t got[TLOG_HASH_LEN], want[TLOG_HASH_LEN];
	struct err e;
	uint64_t n;

	(void)state;
	for (n = 0; n <= SMALL; n++) {
		ref_mth(leaves, n, want);
		a.reads = 0;
		assert_int_equal(tlog_root(n, arr_leaf, &a, got, &e), 0);
		assert_memory_equal(got, want, TLOG_HASH_LEN);
		assert_int_equal(a.reads, n);
	}
	/* A failing leaf source is a system error naming the entry. */
	a.n = 10;
	assert_int_equal(tlog_root(11, arr_leaf, &a, got, &e), -1);
	assert_int_equal(e.kind, ERR_SYSTEM);
	assert_non_null(strstr(e.msg, "10"));
}

static void test_frontier(void **state)
{
	struct arr a = {leaves, NLEAVES, 0};
	struct tlog_frontier f, g;
	uint8_t buf[TLOG_FRONTIER_MAX_BYTES], bad[TLOG_FRONTIER_MAX_BYTES];
	uint8_t got[TLOG_HASH_LEN], want[TLOG_HASH_LEN];
	struct err e;
	size_t len;
	uint64_t n;

	(void)state;
	tlog_frontier_init(&f);
	for (n = 0; n <= NLEAVES; n++) {
		assert_int_equal(tlog_frontier_size(&f), n);
		ref_mth(leaves, n, want);
		tlog_frontier_root(&f, got);
		assert_memory_equal(got, want, TLOG_HASH_LEN);

		len = tlog_frontier_serialize(&f, buf);
		assert_true(len <= TLOG_FRONTIER_MAX_BYTES);
		assert_int_equal(tlog_frontier_deserialize(&g, buf, len, &e), 0);
		assert_int_equal(tlog_frontier_size(&g), n);
		tlog_frontier_root(&g, got);
		assert_memory_equal(got, want, TLOG_HASH_LEN);
		/* One byte short or long, or another version, is refused. */
		assert_int_equal(tlog_frontier_deserialize(&g, buf, len - 1, &e), -1);
		assert_int_equal(e.kind, ERR_INPUT);
		memcpy(bad, buf, len);
		bad[len] = 0;
		assert_int_equal(tlog_frontier_deserialize(&g, bad, len + 1, &e), -1);
		bad[0] = 2;
		assert_int_equal(tlog_frontier_deserialize(&g, bad, len, &e), -1);

		if (n % 97 == 0 || n == NLEAVES) {
			assert_int_equal(tlog_frontier_rebuild(&g, n, arr_leaf, &a, &e), 0);
			assert_int_equal(tlog_frontier_size(&g), n);
			assert_int_equal(tlog_frontier_serialize(&g, bad), len);
			assert_memory_equal(bad, buf, len);
		}
		if (n < NLEAVES) {
			/* Continue from the deserialised copy every other step. */
			if (n % 2 == 0)
				assert_int_equal(tlog_frontier_deserialize(&f, buf, len, &e), 0);
			assert_int_equal(tlog_frontier_append(&f, leaves[n], &e), 0);
		}
	}
	/* The serialised form of 5 leaves: version, size, 2 hashes (4 and 1 leaves). */
	tlog_frontier_init(&f);
	for (n = 0; n < 5; n++)
		assert_int_equal(tlog_frontier_append(&f, leaves[n], &e), 0);
	len = tlog_frontier_serialize(&f, buf);
	assert_int_equal(len, 9 + 2 * TLOG_HASH_LEN);
	assert_int_equal(buf[0], 1);
	assert_int_equal(buf[8], 5);
	ref_mth(leaves, 4, want);
	assert_memory_equal(buf + 9, want, TLOG_HASH_LEN);
	assert_memory_equal(buf + 9 + TLOG_HASH_LEN, leaves[4], TLOG_HASH_LEN);
	assert_int_equal(tlog_frontier_deserialize(&g, buf, 0, &e), -1);

	/* The largest tree: 2^64 - 1 leaves, 64 subtrees; one more is refused. */
	memset(buf, 0xff, sizeof(buf));
	buf[0] = 1;
	assert_int_equal(tlog_frontier_deserialize(&g, buf, TLOG_FRONTIER_MAX_BYTES, &e), 0);
	assert_true(tlog_frontier_size(&g) == UINT64_MAX);
	tlog_frontier_root(&g, got);
	assert_int_equal(tlog_frontier_append(&g, leaves[0], &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_int_equal(tlog_frontier_serialize(&g, bad), TLOG_FRONTIER_MAX_BYTES);
	assert_memory_equal(bad, buf, TLOG_FRONTIER_MAX_BYTES);
}

/* ---- inclusion proofs ---- */

static void test_inclusion_all(void **state)
{
	struct arr a = {leaves, NLEAVES, 0};
	struct tlog_proof p, want, q;
	uint8_t root[TLOG_HASH_LEN], h[TLOG_HASH_LEN], r2[TLOG_HASH_LEN];
	struct err e;
	uint64_t m, n, m2, i;
	unsigned bit, k;
	size_t j;

	(void)state;
	for (n = 1; n <= SMALL; n++) {
		memcpy(root, ref_root(n), TLOG_HASH_LEN);
		for (m = 0; m < n; m++) {
			a.reads = 0;
			assert_int_equal(tlog_prove_inclusion(m, n, arr_leaf, &a, &p, &e), 0);
			assert_true(a.reads < n);
			want.len = 0;
			ref_path(m, leaves, n, &want);
			assert_true(proof_equal(&p, &want));
			assert_int_equal(tlog_verify_inclusion(leaves[m], m, n, &p, root), 1);

			for (k = 0; flip_bits(n, k, (unsigned)m, &bit); k++) {
				memcpy(h, leaves[m], TLOG_HASH_LEN);
				flip(h, bit);
				assert_int_equal(tlog_verify_inclusion(h, m, n, &p, root), 0);
				memcpy(h, root, TLOG_HASH_LEN);
				flip(h, bit);
				assert_int_equal(tlog_verify_inclusion(leaves[m], m, n, &p, h), 0);
				for (j = 0; j < p.len; j++) {
					q = p;
					flip(q.hash[j], bit);
					assert_int_equal(
					    tlog_verify_inclusion(leaves[m], m, n, &q, root), 0);
				}
			}
			/* Missing, extra and reordered elements. */
			if (p.len > 0) {
				q = p;
				q.len--;
				assert_int_equal(tlog_verify_inclusion(leaves[m], m, n, &q, root),
				                 0);
				q = p;
				memmove(q.hash[1], q.hash[0], p.len * TLOG_HASH_LEN);
				q.len++;
				assert_int_equal(tlog_verify_inclusion(leaves[m], m, n, &q, root),
				                 0);
			}
			q = p;
			memcpy(q.hash[q.len++], root, TLOG_HASH_LEN);
			assert_int_equal(tlog_verify_inclusion(leaves[m], m, n, &q, root), 0);
			if (p.len > 1) {
				q = p;
				memcpy(q.hash[0], p.hash[1], TLOG_HASH_LEN);
				memcpy(q.hash[1], p.hash[0], TLOG_HASH_LEN);
				assert_int_equal(tlog_verify_inclusion(leaves[m], m, n, &q, root),
				                 0);
			}
			/* The leaf claimed at any other index of the same tree. */
			for (m2 = 0; m2 < n + 2; m2++)
				if (m2 != m)
					assert_int_equal(
					    tlog_verify_inclusion(leaves[m], m2, n, &p, root), 0);
			assert_int_equal(tlog_verify_inclusion(leaves[m], m, m, &p, root), 0);
			assert_int_equal(tlog_verify_inclusion(leaves[m], UINT64_MAX, n, &p, root),
			                 0);
			/*
			 * Other sizes.  A size travels with its root in a signed
			 * checkpoint, so the proof is put against the true root
			 * of that size: it must fail unless it is also that size's
			 * proof (the proof of entry 2 of 3 is the proof of entry
			 * 1 of 2 of another tree; only the pair binds).
			 */
			{
				const uint64_t sizes[] = {n - 1, n + 1, 2 * n, n / 2, n + 7};

				for (i = 0; i < COUNT(sizes); i++) {
					uint64_t n2 = sizes[i];

					if (n2 == n)
						continue;
					memcpy(r2, ref_root(n2), TLOG_HASH_LEN);
					if (m >= n2) {
						assert_int_equal(
						    tlog_verify_inclusion(leaves[m], m, n2, &p, r2),
						    0);
						continue;
					}
					want.len = 0;
					ref_path(m, leaves, n2, &want);
					assert_int_equal(
					    tlog_verify_inclusion(leaves[m], m, n2, &p, r2),
					    proof_equal(&p, &want));
				}
			}
		}
	}
	/* Out of range. */
	assert_int_equal(tlog_prove_inclusion(0, 0, arr_leaf, &a, &p, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	assert_int_equal(tlog_prove_inclusion(5, 5, arr_leaf, &a, &p, &e), -1);
	p.len = 0;
	assert_int_equal(tlog_verify_inclusion(leaves[0], 0, 0, &p, root), 0);
	p.len = TLOG_PROOF_MAX + 1;
	assert_int_equal(tlog_verify_inclusion(leaves[0], 0, 1, &p, root), 0);
}

/* ---- consistency proofs ---- */

static void test_consistency_all(void **state)
{
	struct arr a = {leaves, NLEAVES, 0};
	struct tlog_proof p, want, q;
	uint8_t r1[TLOG_HASH_LEN], r2[TLOG_HASH_LEN], h[TLOG_HASH_LEN], empty[TLOG_HASH_LEN];
	uint8_t s1[TLOG_HASH_LEN], s2[TLOG_HASH_LEN];
	struct err e;
	uint64_t m, n, i;
	unsigned bit, k;
	size_t j;

	(void)state;
	tlog_empty_root(empty);
	for (n = 0; n <= SMALL; n++) {
		memcpy(r2, ref_root(n), TLOG_HASH_LEN);
		for (m = 0; m <= n; m++) {
			memcpy(r1, ref_root(m), TLOG_HASH_LEN);
			a.reads = 0;
			assert_int_equal(tlog_prove_consistency(m, n, arr_leaf, &a, &p, &e), 0);
			assert_true(a.reads <= n);
			ref_consistency(m, leaves, n, &want);
			assert_true(proof_equal(&p, &want));
			assert_int_equal(tlog_verify_consistency(m, n, r1, r2, &p), 1);

			if (m == 0 || m == n) {
				/* RFC 9162: the proof is empty; a non-empty one is refused. */
				assert_int_equal(p.len, 0);
				q = p;
				memcpy(q.hash[q.len++], r2, TLOG_HASH_LEN);
				assert_int_equal(tlog_verify_consistency(m, n, r1, r2, &q), 0);
				if (m == n && n > 0) {
					memcpy(h, r2, TLOG_HASH_LEN);
					flip(h, 0);
					assert_int_equal(tlog_verify_consistency(m, n, r1, h, &p),
					                 0);
				}
				if (m == 0) {
					/* Only the empty tree's root is the root of size 0. */
					memcpy(h, empty, TLOG_HASH_LEN);
					flip(h, 7);
					assert_int_equal(tlog_verify_consistency(0, n, h, r2, &p),
					                 0);
				}
				continue;
			}
			assert_true(p.len > 0);
			for (k = 0; flip_bits(n, k, (unsigned)m, &bit); k++) {
				memcpy(h, r1, TLOG_HASH_LEN);
				flip(h, bit);
				assert_int_equal(tlog_verify_consistency(m, n, h, r2, &p), 0);
				memcpy(h, r2, TLOG_HASH_LEN);
				flip(h, bit);
				assert_int_equal(tlog_verify_consistency(m, n, r1, h, &p), 0);
				for (j = 0; j < p.len; j++) {
					q = p;
					flip(q.hash[j], bit);
					assert_int_equal(tlog_verify_consistency(m, n, r1, r2, &q),
					                 0);
				}
			}
			/* Empty, truncated, extended, prefixed proofs; swapped roots. */
			q = p;
			q.len = 0;
			assert_int_equal(tlog_verify_consistency(m, n, r1, r2, &q), 0);
			q = p;
			q.len--;
			assert_int_equal(tlog_verify_consistency(m, n, r1, r2, &q), 0);
			q = p;
			memcpy(q.hash[q.len++], r1, TLOG_HASH_LEN);
			assert_int_equal(tlog_verify_consistency(m, n, r1, r2, &q), 0);
			q = p;
			memmove(q.hash[1], q.hash[0], p.len * TLOG_HASH_LEN);
			memcpy(q.hash[0], r1, TLOG_HASH_LEN);
			q.len++;
			assert_int_equal(tlog_verify_consistency(m, n, r1, r2, &q), 0);
			assert_int_equal(tlog_verify_consistency(m, n, r2, r1, &p), 0);
			assert_int_equal(tlog_verify_consistency(n, m, r1, r2, &p), 0);
			/*
			 * Other sizes, against the true roots of those sizes (see
			 * test_inclusion_all): fails unless it is their proof too.
			 */
			{
				const uint64_t sizes[][2] = {
				    {m - 1, n}, {m + 1, n},     {m ^ 2, n},     {m, n - 1},
				    {m, n + 1}, {m, 2 * n},     {m, n / 2},     {m - 1, n - 1},
				    {0, n},     {m + 1, n + 1}, {m / 2, n / 2}, {2 * m, 2 * n},
				};

				for (i = 0; i < COUNT(sizes); i++) {
					uint64_t m2 = sizes[i][0], n2 = sizes[i][1];

					if (m2 == m && n2 == n)
						continue;
					memcpy(s1, ref_root(m2 <= n2 ? m2 : 0), TLOG_HASH_LEN);
					memcpy(s2, ref_root(n2), TLOG_HASH_LEN);
					if (m2 > n2) {
						assert_int_equal(
						    tlog_verify_consistency(m2, n2, s1, s2, &p), 0);
						continue;
					}
					ref_consistency(m2, leaves, n2, &want);
					assert_int_equal(
					    tlog_verify_consistency(m2, n2, s1, s2, &p),
					    proof_equal(&p, &want));
				}
			}
		}
	}
	/* Edge cases of RFC 9162 and sizes far out of range. */
	p.len = 0;
	assert_int_equal(tlog_verify_consistency(0, 0, empty, empty, &p), 1);
	assert_int_equal(tlog_verify_consistency(0, 0, r1, r1, &p), 1);
	assert_int_equal(tlog_verify_consistency(0, 0, r1, r2, &p), memcmp(r1, r2, 32) == 0);
	assert_int_equal(tlog_verify_consistency(0, UINT64_MAX, empty, r2, &p), 1);
	assert_int_equal(tlog_verify_consistency(1, 0, r1, r2, &p), 0);
	assert_int_equal(tlog_verify_consistency(UINT64_MAX, UINT64_MAX, r1, r1, &p), 1);
	assert_int_equal(tlog_verify_consistency(UINT64_MAX - 1, UINT64_MAX, r1, r1, &p), 0);
	p.len = TLOG_PROOF_MAX + 1;
	assert_int_equal(tlog_verify_consistency(3, 5, r1, r2, &p), 0);
	assert_int_equal(tlog_prove_consistency(6, 5, arr_leaf, &a, &p, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
}

/* Proof lengths at the limits of 64-bit sizes, with a source of constant leaves. */
static int const_leaf(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN])
{
	(void)ctx;
	(void)index;
	memset(out, 0x5a, TLOG_HASH_LEN);
	return 0;
}

static void test_proof_bounds(void **state)
{
	struct tlog_proof p;
	uint8_t h[TLOG_HASH_LEN];
	unsigned i;

	(void)state;
	/* Verifying with huge sizes is bounded by the proof: no long loops. */
	memset(&p, 0, sizeof(p));
	memset(h, 1, sizeof(h));
	for (i = 0; i <= TLOG_PROOF_MAX; i++) {
		p.len = i;
		assert_int_equal(tlog_verify_inclusion(h, UINT64_MAX - 1, UINT64_MAX, &p, h), 0);
		assert_int_equal(tlog_verify_inclusion(h, 0, UINT64_MAX, &p, h), 0);
		assert_int_equal(tlog_verify_consistency(UINT64_MAX - 1, UINT64_MAX, h, h, &p), 0);
		assert_int_equal(tlog_verify_consistency(1, UINT64_MAX, h, h, &p), 0);
		assert_int_equal(tlog_verify_consistency((uint64_t)1 << 63, UINT64_MAX, h, h, &p),
		                 0);
	}
	/* A proof in a tree of 2^16 entries is 16 hashes long; a failing source stops it. */
	assert_int_equal(tlog_prove_inclusion(12345, (uint64_t)1 << 16, const_leaf, NULL, &p, NULL),
	                 0);
	assert_int_equal(p.len, 16);
	{
		struct arr a = {leaves, 10, 0};
		struct err e;

		assert_int_equal(tlog_prove_inclusion(3, UINT64_MAX, arr_leaf, &a, &p, &e), -1);
		assert_int_equal(e.kind, ERR_SYSTEM);
		assert_int_equal(tlog_prove_consistency(3, UINT64_MAX, arr_leaf, &a, &p, &e), -1);
		assert_int_equal(
		    tlog_prove_consistency((uint64_t)1 << 62, UINT64_MAX, arr_leaf, &a, &p, &e),
		    -1);
	}
}

/* ---- proof text ---- */

static void test_proof_text(void **state)
{
	static const char *const bad[] = {
	    "\n",
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=",       /* no newline */
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\r\n",   /* CRLF */
	    " bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n",    /* leading space */
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0= \n",    /* trailing space */
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n\n",   /* blank line */
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB1=\n",     /* stray bits */
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0\n",      /* no padding */
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0==\n",    /* extra padding */
	    "bjQLnP-zepicpUTmu3gKLHiQHT-zNzh2hRGjBhevoB0=\n",     /* URL alphabet */
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoA==\n",     /* 31 bytes */
	    "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0AAAA=\n", /* 35 bytes */
	    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d\n", /* hex */
	    "\x85jQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n", /* a byte libsodium takes for "/"
	                                                          */
	};
	char text[TLOG_PROOF_TEXT_MAX + 64], out[TLOG_PROOF_TEXT_MAX + 1];
	struct tlog_proof p, q;
	struct err e;
	size_t i, len, olen;

	(void)state;
	/* Round trips of 0..TLOG_PROOF_MAX hashes. */
	for (i = 0; i <= TLOG_PROOF_MAX; i++) {
		p.len = i;
		memcpy(p.hash, leaves, i * TLOG_HASH_LEN);
		assert_int_equal(tlog_proof_format(&p, out, sizeof(out), &olen, &e), 0);
		assert_int_equal(olen, i * (TLOG_HASH_B64LEN + 1));
		assert_int_equal(strlen(out), olen);
		assert_int_equal(tlog_proof_parse(out, olen, &q, &e), 0);
		assert_true(proof_equal(&p, &q));
	}
	/* The first leaf of the CT vectors, as text. */
	assert_int_equal(tlog_proof_parse(bad[1], strlen(bad[1]), &q, &e), -1);
	memcpy(text, bad[1], 44);
	text[44] = '\n';
	assert_int_equal(tlog_proof_parse(text, 45, &q, &e), 0);
	assert_int_equal(q.len, 1);
	assert_hash_hex(q.hash[0],
	                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
	/* Malformed: each after a good first line, so the error names line 2. */
	for (i = 0; i < COUNT(bad); i++) {
		len = strlen(bad[i]);
		assert_int_equal(tlog_proof_parse(bad[i], len, &q, &e), -1);
		assert_int_equal(e.kind, ERR_INPUT);
		memcpy(text, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=\n", 45);
		memcpy(text + 45, bad[i], len);
		assert_int_equal(tlog_proof_parse(text, 45 + len, &q, &e), -1);
		assert_int_equal(e.line, i == 5 ? 3 : 2);
		assert_int_equal(q.len, 0);
	}
	/* One hash too many; an embedded NUL. */
	p.len = TLOG_PROOF_MAX;
	memcpy(p.hash, leaves, sizeof(p.hash));
	assert_int_equal(tlog_proof_format(&p, out, sizeof(out), &olen, &e), 0);
	memcpy(text, out, olen);
	memcpy(text + olen, out, 45);
	assert_int_equal(tlog_proof_parse(text, olen + 45, &q, &e), -1);
	memcpy(text, out, 45);
	text[10] = '\0';
	assert_int_equal(tlog_proof_parse(text, 45, &q, &e), -1);
	/* Formatting into a buffer too small is a system error, not a crash. */
	p.len = 2;
	assert_int_equal(tlog_proof_format(&p, out, 90, &olen, &e), -1);
	assert_int_equal(e.kind, ERR_SYSTEM);
	assert_int_equal(tlog_proof_format(&p, out, 91, &olen, &e), 0);
	/* Hash text on its own. */
	assert_int_equal(tlog_hash_parse(bad[1], 44, q.hash[0], &e), 0);
	tlog_hash_format(q.hash[0], out);
	assert_string_equal(out, "bjQLnP+zepicpUTmu3gKLHiQHT+zNzh2hRGjBhevoB0=");
	assert_int_equal(tlog_hash_parse(bad[1], 43, q.hash[0], &e), -1);
	assert_int_equal(tlog_hash_parse(NULL, 0, q.hash[0], &e), -1);
}

/* ---- notes and checkpoints ---- */

#define KEY_NAME "opcert.example/log"

/* The test key: Ed25519 from the seed 00 01 02 ... 1f. */
static void test_key(uint8_t pk[32], uint8_t sk[64])
{
	uint8_t seed[32];
	int i;

	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t)i;
	crypto_sign_seed_keypair(pk, sk, seed);
}

static size_t read_data(const char *name, char *out, size_t cap)
{
	char path[4200];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/tlog/%s", fixture_data_dir(), name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	n = fread(out, 1, cap - 1, f);
	fclose(f);
	out[n] = '\0';
	return n;
}

static void test_note_go_vector(void **state)
{
	/* The example of Go's golang.org/x/mod/sumdb/note package. */
	static const char skey64[] = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
	static const char vkey[] =
	    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
	static const char text[] = "If you think cryptography is the answer to your problem,\n"
	                           "then you don't know what your problem is.\n";
	static const char signed_note[] =
	    "If you think cryptography is the answer to your problem,\n"
	    "then you don't know what your problem is.\n"
	    "\n"
	    "\xe2\x80\x94 PeterNeumann "
	    "x08go/ZJkuBS9UG/"
	    "SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
	uint8_t raw[33], pk[32], sk[64];
	struct note_verifier v, w;
	char out[NOTE_MAX + 1], vk[NOTE_VKEY_MAX + 1], *tampered;
	size_t n, blen;
	struct err e;

	(void)state;
	assert_int_equal(sodium_base642bin(raw, sizeof(raw), skey64, strlen(skey64), NULL, &n, NULL,
	                                   sodium_base64_VARIANT_ORIGINAL),
	                 0);
	assert_int_equal(n, 33);
	assert_int_equal(raw[0], 1);
	crypto_sign_seed_keypair(pk, sk, raw + 1);

	assert_int_equal(note_vkey_parse(vkey, strlen(vkey), &v, &e), 0);
	assert_string_equal(v.name, "PeterNeumann");
	assert_true(v.hash == 0xc74f20a3u);
	assert_memory_equal(v.pk, pk, 32);
	assert_true(note_key_hash("PeterNeumann", 12, pk) == 0xc74f20a3u);
	assert_int_equal(note_verifier_init(&w, "PeterNeumann", pk, &e), 0);
	assert_int_equal(note_vkey_format(&w, vk), strlen(vkey));
	assert_string_equal(vk, vkey);

	assert_int_equal(
	    note_sign(text, strlen(text), "PeterNeumann", sk, out, sizeof(out), &n, &e), 0);
	assert_int_equal(n, strlen(signed_note));
	assert_string_equal(out, signed_note);
	assert_int_equal(note_open(signed_note, strlen(signed_note), &v, &blen, &e), 0);
	assert_int_equal(blen, strlen(text));

	tampered = strdup(signed_note);
	assert_non_null(tampered);
	tampered[strstr(tampered, "cryptography") - tampered + 11] = 'Y';
	assert_int_equal(note_open(tampered, strlen(tampered), &v, &blen, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	free(tampered);
}

static void make_checkpoint(struct tlog_checkpoint *cp, uint64_t size, const uint8_t *root)
{
	memset(cp, 0, sizeof(*cp));
	strcpy(cp->origin, KEY_NAME);
	cp->size = size;
	memcpy(cp->root, root, TLOG_HASH_LEN);
}

/* The checked-in vectors: the CT tree of 8 entries, its checkpoint and two proofs. */
static void test_checked_in_vectors(void **state)
{
	struct arr a = {ct_hashes, 8, 0};
	char want[NOTE_MAX + 1], got[NOTE_MAX + 1], vk[NOTE_VKEY_MAX + 1];
	uint8_t pk[32], sk[64], root[TLOG_HASH_LEN];
	struct tlog_checkpoint cp, back;
	struct note_verifier v;
	struct tlog_proof p, q;
	struct err e;
	size_t wlen, glen;

	(void)state;
	ct_setup();
	test_key(pk, sk);
	assert_int_equal(note_verifier_init(&v, KEY_NAME, pk, &e), 0);

	wlen = read_data("test.vkey", want, sizeof(want));
	assert_true(wlen > 0 && want[wlen - 1] == '\n');
	note_vkey_format(&v, vk);
	assert_int_equal(strlen(vk), wlen - 1);
	assert_memory_equal(vk, want, wlen - 1);

	assert_int_equal(tlog_root(8, arr_leaf, &a, root, &e), 0);
	make_checkpoint(&cp, 8, root);
	assert_int_equal(tlog_checkpoint_sign(&cp, KEY_NAME, sk, got, sizeof(got), &glen, &e), 0);
	wlen = read_data("ct8.checkpoint", want, sizeof(want));
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	assert_int_equal(tlog_checkpoint_open(want, wlen, &v, &back, &e), 0);
	assert_string_equal(back.origin, KEY_NAME);
	assert_true(back.size == 8);
	assert_hash_hex(back.root, ct_roots[8]);

	assert_int_equal(tlog_prove_inclusion(5, 8, arr_leaf, &a, &p, &e), 0);
	assert_int_equal(tlog_proof_format(&p, got, sizeof(got), &glen, &e), 0);
	wlen = read_data("ct8-inclusion-5.proof", want, sizeof(want));
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	assert_int_equal(tlog_proof_parse(want, wlen, &q, &e), 0);
	assert_int_equal(tlog_verify_inclusion(ct_hashes[5], 5, 8, &q, back.root), 1);

	assert_int_equal(tlog_prove_consistency(6, 8, arr_leaf, &a, &p, &e), 0);
	assert_int_equal(tlog_proof_format(&p, got, sizeof(got), &glen, &e), 0);
	wlen = read_data("ct8-consistency-6.proof", want, sizeof(want));
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, wlen);
	assert_int_equal(tlog_proof_parse(want, wlen, &q, &e), 0);
	unhex(ct_roots[6], root, sizeof(root));
	assert_int_equal(tlog_verify_consistency(6, 8, root, back.root, &q), 1);
}

static void test_checkpoint_round_trip(void **state)
{
	static const uint64_t sizes[] = {0, 1, 9, 10, 1000000, UINT64_MAX};
	uint8_t pk[32], sk[64], pk2[32], sk2[64];
	struct tlog_checkpoint cp, back;
	struct note_verifier v;
	char text[NOTE_MAX + 1], body[NOTE_MAX + 1];
	size_t i, len, blen;
	struct err e;

	(void)state;
	test_key(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	assert_int_equal(note_verifier_init(&v, KEY_NAME, pk, &e), 0);
	for (i = 0; i < COUNT(sizes); i++) {
		make_checkpoint(&cp, sizes[i], leaves[i]);
		assert_int_equal(
		    tlog_checkpoint_sign(&cp, KEY_NAME, sk, text, sizeof(text), &len, &e), 0);
		assert_int_equal(strlen(text), len);
		assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), 0);
		assert_string_equal(back.origin, cp.origin);
		assert_true(back.size == cp.size);
		assert_memory_equal(back.root, cp.root, TLOG_HASH_LEN);
		assert_int_equal(tlog_checkpoint_body(&cp, body, sizeof(body), &blen, &e), 0);
		assert_memory_equal(text, body, blen);
		assert_int_equal(tlog_checkpoint_parse_body(body, blen, &back, &e), 0);
		assert_true(back.size == cp.size);
	}
	assert_non_null(strstr(text, "\n18446744073709551615\n"));

	/* Origins: valid and not. */
	make_checkpoint(&cp, 1, leaves[0]);
	strcpy(cp.origin, "has space");
	assert_int_equal(tlog_checkpoint_sign(&cp, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
	strcpy(cp.origin, "a+b");
	assert_int_equal(tlog_checkpoint_sign(&cp, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
	cp.origin[0] = '\0';
	assert_int_equal(tlog_checkpoint_sign(&cp, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
	memset(cp.origin, 'o', TLOG_ORIGIN_MAX);
	cp.origin[TLOG_ORIGIN_MAX] = '\0';
	assert_int_equal(tlog_checkpoint_sign(&cp, KEY_NAME, sk, text, sizeof(text), &len, &e), 0);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), 0);
	assert_int_equal(strlen(back.origin), TLOG_ORIGIN_MAX);
	/* Key names. */
	make_checkpoint(&cp, 1, leaves[0]);
	assert_int_equal(tlog_checkpoint_sign(&cp, "bad name", sk, text, sizeof(text), &len, &e),
	                 -1);
	assert_int_equal(tlog_checkpoint_sign(&cp, "a+b", sk, text, sizeof(text), &len, &e), -1);
	assert_int_equal(tlog_checkpoint_sign(&cp, "", sk, text, sizeof(text), &len, &e), -1);
	assert_int_equal(
	    tlog_checkpoint_sign(&cp, "日志\xe3\x80\x80key", sk, text, sizeof(text), &len, &e), -1);
	assert_int_equal(tlog_checkpoint_sign(&cp, "住建局/日志", sk, text, sizeof(text), &len, &e),
	                 0);
	/* A buffer too small. */
	assert_int_equal(tlog_checkpoint_sign(&cp, KEY_NAME, sk, text, 100, &len, &e), -1);
	assert_int_equal(e.kind, ERR_SYSTEM);
}

/* Sign an arbitrary body with the test key: bodies the parser must refuse even when signed. */
static size_t sign_body(const char *body, const uint8_t *sk, char *out)
{
	size_t len;
	struct err e;

	if (note_sign(body, strlen(body), KEY_NAME, sk, out, NOTE_MAX + 1, &len, &e) != 0)
		fail_msg("note_sign: %s", e.msg);
	return len;
}

/* Well-formed cosignature lines of 75 and 27 bytes. */
#define COSIG60                                                                                    \
	"\xe2\x80\x94 w.example "                                                                  \
	"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n"
#define COSIG12 "\xe2\x80\x94 w.example AAAAAAAAAAAA\n"

static void test_checkpoint_forged(void **state)
{
	/* Bodies that are well signed but not checkpoints. */
	static const char *const bad_bodies[] = {
	    KEY_NAME "\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n00\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n+8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n-8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n 8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n8 \nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n0x8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n8.0\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n18446744073709551616\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n99999999999999999999\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n８\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg\n",
	    KEY_NAME "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyh=\n",
	    KEY_NAME "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQw==\n",
	    KEY_NAME "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQygAAAA=\n",
	    KEY_NAME "\n8\n5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n",
	    KEY_NAME "\n8\nXcnaeacGWamtVZy3Ad7Zoqudgj\xc3\xa9L0lgz+Nw7/RgQyg=\n",
	    KEY_NAME "\n8\n",
	    KEY_NAME "\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nextension line\n",
	    "opcert example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    "opcert+example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	    "住建局\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n",
	};
	uint8_t pk[32], sk[64], pk2[32], sk2[64];
	struct tlog_checkpoint cp, back;
	struct note_verifier v, v2, vname;
	char good[NOTE_MAX + 1], text[2 * NOTE_MAX], other[NOTE_MAX + 1], *sig;
	size_t glen, len, olen, i, blen;
	struct err e;
	uint8_t root[TLOG_HASH_LEN];

	(void)state;
	test_key(pk, sk);
	crypto_sign_keypair(pk2, sk2);
	assert_int_equal(note_verifier_init(&v, KEY_NAME, pk, &e), 0);
	assert_int_equal(note_verifier_init(&v2, KEY_NAME, pk2, &e), 0);
	assert_int_equal(note_verifier_init(&vname, "opcert.example/log2", pk, &e), 0);
	unhex(ct_roots[8], root, sizeof(root));
	make_checkpoint(&cp, 8, root);
	assert_int_equal(tlog_checkpoint_sign(&cp, KEY_NAME, sk, good, sizeof(good), &glen, &e), 0);
	assert_int_equal(tlog_checkpoint_open(good, glen, &v, &back, &e), 0);
	blen = strstr(good, "\n\n") - good + 1;

	/* Any byte of the body changed, one bit at a time. */
	for (i = 0; i < blen; i++) {
		unsigned bit;

		for (bit = 0; bit < 8; bit++) {
			memcpy(text, good, glen);
			text[i] = (char)(text[i] ^ (1 << bit));
			assert_int_equal(tlog_checkpoint_open(text, glen, &v, &back, &e), -1);
			assert_int_equal(e.kind, ERR_INPUT);
		}
	}
	/* Any byte of the signature line changed. */
	for (i = blen + 1; i + 1 < glen; i++) {
		memcpy(text, good, glen);
		text[i] = text[i] == 'A' ? 'B' : 'A';
		assert_int_equal(tlog_checkpoint_open(text, glen, &v, &back, &e), -1);
	}
	/* Wrong key, wrong key name. */
	assert_int_equal(tlog_checkpoint_open(good, glen, &v2, &back, &e), -1);
	assert_non_null(strstr(e.msg, KEY_NAME));
	assert_int_equal(tlog_checkpoint_open(good, glen, &vname, &back, &e), -1);
	/* Signed by another key under our name: the key hash differs, so it is not ours. */
	assert_int_equal(tlog_checkpoint_sign(&cp, KEY_NAME, sk2, other, sizeof(other), &olen, &e),
	                 0);
	assert_int_equal(tlog_checkpoint_open(other, olen, &v, &back, &e), -1);
	/* Our key hash with another key's signature: a forgery. */
	memcpy(text, good, glen);
	sig = strstr(other, "\xe2\x80\x94 ");
	memcpy(text + blen + 1, sig, olen - (size_t)(sig - other) + 1);
	{
		/* Replace the base64 blob's key hash by ours: re-encode. */
		uint8_t blob[68], ours[68];
		char *sp = strrchr(text, ' ');
		size_t n;

		assert_int_equal(sodium_base642bin(blob, sizeof(blob), sp + 1, 92, NULL, &n, NULL,
		                                   sodium_base64_VARIANT_ORIGINAL),
		                 0);
		sp = strrchr(good, ' ');
		assert_int_equal(sodium_base642bin(ours, sizeof(ours), sp + 1, 92, NULL, &n, NULL,
		                                   sodium_base64_VARIANT_ORIGINAL),
		                 0);
		memcpy(blob, ours, 4);
		sp = strrchr(text, ' ');
		sodium_bin2base64(sp + 1, 93, blob, 68, sodium_base64_VARIANT_ORIGINAL);
		sp[93] = '\n';
		assert_int_equal(tlog_checkpoint_open(text, glen, &v, &back, &e), -1);
		assert_non_null(strstr(e.msg, "无效"));
	}
	/* Signature line missing; the blank line missing; body only. */
	assert_int_equal(tlog_checkpoint_open(good, blen + 1, &v, &back, &e), -1);
	assert_int_equal(tlog_checkpoint_open(good, blen, &v, &back, &e), -1);
	memcpy(text, good, blen);
	memcpy(text + blen, good + blen + 1, glen - blen - 1);
	assert_int_equal(tlog_checkpoint_open(text, glen - 1, &v, &back, &e), -1);
	/* Last newline missing. */
	assert_int_equal(tlog_checkpoint_open(good, glen - 1, &v, &back, &e), -1);
	/* Extra lines: after the signatures, a blank one, between body and signatures. */
	len = (size_t)snprintf(text, sizeof(text), "%sextra\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	len = (size_t)snprintf(text, sizeof(text), "%s\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	len = (size_t)snprintf(text, sizeof(text), "%.*s\n%s", (int)blen, good, good + blen);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	len = (size_t)snprintf(text, sizeof(text), "%.*s\xe2\x80\x94 x AAAAAAAA\n%s", (int)blen,
	                       good, good + blen);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	/* CRLF line ends. */
	len = 0;
	for (i = 0; i < glen; i++) {
		if (good[i] == '\n')
			text[len++] = '\r';
		text[len++] = good[i];
	}
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	/* Our key signing twice. */
	len = (size_t)snprintf(text, sizeof(text), "%s%s", good, good + blen + 1);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	/* A witness's cosignature is skipped, before or after ours. */
	len = (size_t)snprintf(text, sizeof(text), "%s%s", good, strstr(other, "\xe2\x80\x94 "));
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), 0);
	len = (size_t)snprintf(text, sizeof(text), "%.*s\n%s%s", (int)blen, good,
	                       strstr(other, "\xe2\x80\x94 "), good + blen + 1);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), 0);
	assert_true(back.size == 8);
	/* ... also of another algorithm and length, but it must be well-formed. */
	len =
	    (size_t)snprintf(text, sizeof(text), "%s\xe2\x80\x94 witness.example AAAAAAAA\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), 0);
	len = (size_t)snprintf(text, sizeof(text), "%s\xe2\x80\x94 witness.example AAAA\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	len =
	    (size_t)snprintf(text, sizeof(text), "%s\xe2\x80\x94 witness.example AAAAAAA\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	len =
	    (size_t)snprintf(text, sizeof(text), "%s\xe2\x80\x94 witness example AAAAAAAA\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	len = (size_t)snprintf(text, sizeof(text), "%s\xe2\x80\x94  AAAAAAAA\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	len = (size_t)snprintf(text, sizeof(text), "%s- witness.example AAAAAAAA\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	len =
	    (size_t)snprintf(text, sizeof(text), "%s\xe2\x80\x94witness.example AAAAAAAA\n", good);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	/* Oversize: padded with cosignatures up to 4 KiB, then past it. */
	len = (size_t)snprintf(text, sizeof(text), "%s", good);
	while (len + 75 <= NOTE_MAX)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", COSIG60);
	assert_true(len <= NOTE_MAX && len + 75 > NOTE_MAX);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), 0);
	len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", COSIG60);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	assert_non_null(strstr(e.msg, "4096"));
	/* At most NOTE_MAX_SIGS signature lines, ours included. */
	len = (size_t)snprintf(text, sizeof(text), "%s", good);
	for (i = 1; i < NOTE_MAX_SIGS; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", COSIG12);
	assert_true(len <= NOTE_MAX);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), 0);
	len += (size_t)snprintf(text + len, sizeof(text) - len, "%s", COSIG12);
	assert_true(len <= NOTE_MAX);
	assert_int_equal(tlog_checkpoint_open(text, len, &v, &back, &e), -1);
	/* Control characters and invalid UTF-8 anywhere. */
	memcpy(text, good, glen);
	text[glen - 2] = '\t';
	assert_int_equal(tlog_checkpoint_open(text, glen, &v, &back, &e), -1);
	memcpy(text, good, glen);
	text[blen + 1] = '\x80';
	assert_int_equal(tlog_checkpoint_open(text, glen, &v, &back, &e), -1);
	assert_int_equal(tlog_checkpoint_open(NULL, 0, &v, &back, &e), -1);
	assert_int_equal(tlog_checkpoint_open("", 0, &v, &back, &e), -1);

	/* Malformed bodies, even when properly signed, are refused (and the note itself opens). */
	for (i = 0; i < COUNT(bad_bodies); i++) {
		size_t n = sign_body(bad_bodies[i], sk, text), bl;

		assert_int_equal(note_open(text, n, &v, &bl, &e), 0);
		if (tlog_checkpoint_open(text, n, &v, &back, &e) != -1)
			fail_msg("accepted body %zu: %s", i, bad_bodies[i]);
		assert_int_equal(e.kind, ERR_INPUT);
		assert_true(e.line >= 1 && e.line <= 4);
	}
	/* Bodies a note cannot have. */
	assert_int_equal(note_sign("", 0, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
	assert_int_equal(note_sign("a", 1, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
	assert_int_equal(note_sign("a\n\nb\n", 5, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
	assert_int_equal(note_sign("\na\n", 3, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
	assert_int_equal(note_sign("a\tb\n", 4, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
	assert_int_equal(note_sign("\xff\n", 2, KEY_NAME, sk, text, sizeof(text), &len, &e), -1);
}

static void test_vkey(void **state)
{
	static const char *const bad[] = {
	    "",
	    "PeterNeumann",
	    "PeterNeumann+c74f20a3",
	    "PeterNeumann+c74f20a3+",
	    "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  /* hash */
	    "PeterNeuman+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",   /* name */
	    "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",   /* 7 digits */
	    "PeterNeumann+c74f20a30+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", /* 9 digits */
	    "PeterNeumann+c74f20g3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  /* not hex */
	    "PeterNeumann+c74f20a3+Ahpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  /* alg 2 */
	    "PeterNeumann+c74f20a3+Apc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",   /* 43 chars */
	    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T=",  /* 32 bytes */
	    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW ", /* space */
	    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW\n",
	    " PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	    "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	    "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	    "PeterNeumann+c74f20a3+AQ==",
	    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq\xafLDE4izWy10TW", /* 0xaf for /
	                                                                              */
	};
	static const size_t lens[] = {1, 2, 3, 7, 8, 100, 254, NOTE_NAME_MAX, NOTE_NAME_MAX + 1};
	struct note_verifier v, w;
	char out[NOTE_VKEY_MAX + 1], name[NOTE_NAME_MAX + 2];
	uint8_t pk[32], sk[64];
	struct err e;
	size_t i, n, len;

	(void)state;
	for (i = 0; i < COUNT(bad); i++) {
		if (note_vkey_parse(bad[i], strlen(bad[i]), &v, &e) != -1)
			fail_msg("accepted verifier key %zu: %s", i, bad[i]);
		assert_int_equal(e.kind, ERR_INPUT);
	}
	assert_int_equal(
	    note_vkey_parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
	                    66, &v, &e),
	    0);
	/* Round trips, with names up to the limit; one byte longer is refused. */
	test_key(pk, sk);
	for (i = 0; i < COUNT(lens); i++) {
		n = lens[i];
		memset(name, 'n', sizeof(name));
		name[n] = '\0';
		if (n > NOTE_NAME_MAX) {
			assert_int_equal(note_verifier_init(&v, name, pk, &e), -1);
			continue;
		}
		assert_int_equal(note_verifier_init(&v, name, pk, &e), 0);
		len = note_vkey_format(&v, out);
		assert_int_equal(len, strlen(out));
		assert_int_equal(note_vkey_parse(out, strlen(out), &w, &e), 0);
		assert_string_equal(w.name, name);
		assert_true(w.hash == v.hash);
		assert_memory_equal(w.pk, pk, 32);
	}
	memset(name, 'n', sizeof(name));
	name[NOTE_NAME_MAX] = '\0';
	assert_int_equal(note_verifier_init(&v, name, pk, &e), 0);
	len = note_vkey_format(&v, out);
	assert_int_equal(len, NOTE_VKEY_MAX);
	assert_int_equal(strlen(out), NOTE_VKEY_MAX);
	/* UTF-8 names; Unicode spaces and malformed UTF-8 are refused. */
	assert_int_equal(note_name_valid("住建局", strlen("住建局")), 1);
	assert_int_equal(note_name_valid("a\xc2\xa0"
	                                 "b",
	                                 4),
	                 0);
	assert_int_equal(note_name_valid("a\xe2\x80\x83"
	                                 "b",
	                                 5),
	                 0);
	assert_int_equal(note_name_valid("\xc0\xaf", 2), 0);
	assert_int_equal(note_name_valid("\xed\xa0\x80", 3), 0);
	assert_int_equal(note_name_valid("\xe4\xbd", 2), 0);
	assert_int_equal(note_name_valid("a\x7f", 2), 0);
	assert_int_equal(note_name_valid(NULL, 0), 0);
}

/* ---- proofs at 1,000,000 entries ---- */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_million(void **state)
{
	const uint64_t n = 1000000, m = 123456, old = 999999 - 299998;
	uint8_t(*big)[TLOG_HASH_LEN] = malloc(n * TLOG_HASH_LEN);
	struct arr a = {NULL, n, 0};
	struct tlog_frontier f;
	struct tlog_proof p;
	uint8_t root[TLOG_HASH_LEN], r1[TLOG_HASH_LEN];
	struct err e;
	double t0, t_inc, t_cons, t_app;
	uint64_t i, reads_inc, reads_cons;

	(void)state;
	assert_non_null(big);
	a.h = (const uint8_t(*)[TLOG_HASH_LEN])big;
	for (i = 0; i < n; i++) {
		uint8_t le[8];
		int k;

		for (k = 0; k < 8; k++)
			le[k] = (uint8_t)(i >> (8 * k));
		tlog_leaf_hash(le, sizeof(le), big[i]);
	}
	t0 = now();
	tlog_frontier_init(&f);
	for (i = 0; i < n; i++) {
		if (i == old)
			tlog_frontier_root(&f, r1);
		assert_int_equal(tlog_frontier_append(&f, big[i], &e), 0);
	}
	tlog_frontier_root(&f, root);
	t_app = now() - t0;

	a.reads = 0;
	t0 = now();
	assert_int_equal(tlog_prove_inclusion(m, n, arr_leaf, &a, &p, &e), 0);
	t_inc = now() - t0;
	reads_inc = a.reads;
	assert_true(reads_inc < n);
	assert_int_equal(p.len, 20);
	assert_int_equal(tlog_verify_inclusion(big[m], m, n, &p, root), 1);

	a.reads = 0;
	t0 = now();
	assert_int_equal(tlog_prove_consistency(old, n, arr_leaf, &a, &p, &e), 0);
	t_cons = now() - t0;
	reads_cons = a.reads;
	assert_true(reads_cons <= n);
	assert_int_equal(tlog_verify_consistency(old, n, r1, root, &p), 1);

	print_message("1,000,000 entries: appending all %.3f s (%.2f us each)\n", t_app,
	              t_app * 1e6 / (double)n);
	print_message("inclusion proof of %" PRIu64 ": %.3f s, %" PRIu64 " leaves read\n", m, t_inc,
	              reads_inc);
	print_message("consistency proof %" PRIu64 " -> %" PRIu64 ": %.3f s, %" PRIu64
	              " leaves read, %zu hashes\n",
	              old, n, t_cons, reads_cons, p.len);
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash_kat),
	    cmocka_unit_test(test_ct_roots),
	    cmocka_unit_test(test_ct_inclusion),
	    cmocka_unit_test(test_ct_consistency),
	    cmocka_unit_test(test_roots_reference),
	    cmocka_unit_test(test_frontier),
	    cmocka_unit_test(test_inclusion_all),
	    cmocka_unit_test(test_consistency_all),
	    cmocka_unit_test(test_proof_bounds),
	    cmocka_unit_test(test_proof_text),
	    cmocka_unit_test(test_note_go_vector),
	    cmocka_unit_test(test_checked_in_vectors),
	    cmocka_unit_test(test_checkpoint_round_trip),
	    cmocka_unit_test(test_checkpoint_forged),
	    cmocka_unit_test(test_vkey),
	    cmocka_unit_test(test_million),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
