/*
 * contract_probe.c - the storage contract of the probe limit's tries
 * (store_probe.h): misses and refusals written and read back by subject,
 * certificate and time; the same miss again kept once at its later time;
 * the window's lower edge; pruning and clearing; the per-subject summary
 * with its order and its count of certificates at a limit; read-only
 * opening.  The keys are opaque bytes to the store (probe.h makes them).
 */
#include "contract.h"

#include "store_probe.h"

/* A 16-byte key filled with b. */
static void key16(uint8_t out[STORE_PROBE_KEY_LEN], uint8_t b)
{
	memset(out, b, STORE_PROBE_KEY_LEN);
}

struct miss_seen {
	struct store_probe_miss m[16];
	size_t n;
	int stop; /* returned after the first miss when not 0 */
};

static int walk_miss(void *arg, const struct store_probe_miss *m)
{
	struct miss_seen *s = arg;

	if (s->n < COUNT(s->m))
		s->m[s->n] = *m;
	s->n++;
	return s->stop;
}

struct summary_seen {
	struct store_probe_summary s[8];
	size_t n;
};

static int walk_summary(void *arg, const struct store_probe_summary *s)
{
	struct summary_seen *w = arg;

	if (w->n < COUNT(w->s))
		w->s[w->n] = *s;
	w->n++;
	return 0;
}

static void test_probe_misses(void **state)
{
	struct contract *c = *state;
	uint8_t cert_a[STORE_PROBE_KEY_LEN], cert_b[STORE_PROBE_KEY_LEN];
	uint8_t g1[STORE_PROBE_KEY_LEN], g2[STORE_PROBE_KEY_LEN], g3[STORE_PROBE_KEY_LEN];
	struct miss_seen seen;
	struct store *other;
	struct err err;
	long n = -1;

	key16(cert_a, 0xa1);
	key16(cert_b, 0xb2);
	key16(g1, 1);
	key16(g2, 2);
	key16(g3, 3);
	/* nothing yet */
	CHECK(0, store_probe_any(c->st, "account:p.builder", 0, clr(&err)));
	memset(&seen, 0, sizeof(seen));
	CHECK(0,
	      store_probe_misses(c->st, "account:p.builder", NULL, 0, walk_miss, &seen, clr(&err)));
	assert_int_equal(seen.n, 0);

	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_a, g1, NOW, clr(&err)));
	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_a, g2, NOW + 5, clr(&err)));
	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_b, g3, NOW + 2, clr(&err)));
	/* the same miss again: one row, at the later time (an earlier one moves nothing) */
	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_a, g1, NOW + 9, clr(&err)));
	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_a, g1, NOW + 1, clr(&err)));
	/* another subject's miss is its own */
	CHECK(0, store_probe_add(c->st, "address:2001:db8::", cert_a, g1, NOW, clr(&err)));

	other = contract_open_keyed(c, STORE_READONLY);
	CHECK(1, store_probe_any(other, "account:p.builder", NOW, clr(&err)));
	CHECK(1, store_probe_any(other, "account:p.builder", NOW + 9, clr(&err)));
	CHECK(0, store_probe_any(other, "account:p.builder", NOW + 10, clr(&err)));
	CHECK(0, store_probe_any(other, "account:nobody", 0, clr(&err)));

	/* one certificate's misses, oldest first */
	memset(&seen, 0, sizeof(seen));
	CHECK(0, store_probe_misses(other, "account:p.builder", cert_a, 0, walk_miss, &seen,
	                            clr(&err)));
	assert_int_equal(seen.n, 2);
	assert_memory_equal(seen.m[0].guess, g2, STORE_PROBE_KEY_LEN);
	assert_int_equal(seen.m[0].at, NOW + 5);
	assert_memory_equal(seen.m[1].guess, g1, STORE_PROBE_KEY_LEN);
	assert_int_equal(seen.m[1].at, NOW + 9);
	assert_memory_equal(seen.m[1].cert, cert_a, STORE_PROBE_KEY_LEN);
	/* the window's lower edge is inclusive */
	memset(&seen, 0, sizeof(seen));
	CHECK(0, store_probe_misses(other, "account:p.builder", cert_a, NOW + 9, walk_miss, &seen,
	                            clr(&err)));
	assert_int_equal(seen.n, 1);
	/* every certificate's, grouped by certificate */
	memset(&seen, 0, sizeof(seen));
	CHECK(0,
	      store_probe_misses(other, "account:p.builder", NULL, 0, walk_miss, &seen, clr(&err)));
	assert_int_equal(seen.n, 3);
	assert_memory_equal(seen.m[0].cert, cert_a, STORE_PROBE_KEY_LEN);
	assert_memory_equal(seen.m[1].cert, cert_a, STORE_PROBE_KEY_LEN);
	assert_memory_equal(seen.m[2].cert, cert_b, STORE_PROBE_KEY_LEN);
	/* a non-zero answer stops the walk and is returned */
	memset(&seen, 0, sizeof(seen));
	seen.stop = 4;
	CHECK(4,
	      store_probe_misses(other, "account:p.builder", NULL, 0, walk_miss, &seen, clr(&err)));
	assert_int_equal(seen.n, 1);
	CHECK(0, store_probe_refusals(other, "account:p.builder", 0, &n, clr(&err)));
	assert_int_equal(n, 0);
	/* a read-only store writes nothing */
	REFUSED(ERR_SYSTEM,
	        store_probe_add(other, "account:p.builder", cert_b, g1, NOW, clr(&err)));
	store_close(other);
}

static void test_probe_refusals_prune_clear(void **state)
{
	struct contract *c = *state;
	uint8_t cert_a[STORE_PROBE_KEY_LEN], cert_b[STORE_PROBE_KEY_LEN], g[STORE_PROBE_KEY_LEN];
	struct miss_seen seen;
	struct err err;
	long n = -1;

	key16(cert_a, 0xa1);
	key16(cert_b, 0xb2);
	/* refusals are rows with no guess: each one counts */
	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_a, NULL, NOW, clr(&err)));
	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_a, NULL, NOW, clr(&err)));
	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_b, NULL, NOW + 3, clr(&err)));
	CHECK(0, store_probe_refusals(c->st, "account:p.builder", 0, &n, clr(&err)));
	assert_int_equal(n, 3);
	CHECK(0, store_probe_refusals(c->st, "account:p.builder", NOW + 1, &n, clr(&err)));
	assert_int_equal(n, 1);
	/* a refusal is not a miss */
	memset(&seen, 0, sizeof(seen));
	CHECK(0,
	      store_probe_misses(c->st, "account:p.builder", NULL, 0, walk_miss, &seen, clr(&err)));
	assert_int_equal(seen.n, 0);
	for (uint8_t i = 1; i <= 4; i++) {
		key16(g, i);
		CHECK(0, store_probe_add(c->st, "account:p.builder", i < 4 ? cert_a : cert_b, g,
		                         NOW + i, clr(&err)));
		CHECK(0, store_probe_add(c->st, "account:other", cert_a, g, NOW + i, clr(&err)));
	}
	/* prune: every row older than the time given, of every subject */
	CHECK(0, store_probe_prune(c->st, NOW + 2, clr(&err)));
	CHECK(0, store_probe_refusals(c->st, "account:p.builder", 0, &n, clr(&err)));
	assert_int_equal(n, 1);
	memset(&seen, 0, sizeof(seen));
	CHECK(0, store_probe_misses(c->st, "account:other", NULL, 0, walk_miss, &seen, clr(&err)));
	assert_int_equal(seen.n, 3);
	/* clear one certificate of one subject, then the whole subject */
	CHECK(0, store_probe_clear(c->st, "account:p.builder", cert_a, &n, clr(&err)));
	assert_int_equal(n, 2);
	memset(&seen, 0, sizeof(seen));
	CHECK(0,
	      store_probe_misses(c->st, "account:p.builder", NULL, 0, walk_miss, &seen, clr(&err)));
	assert_int_equal(seen.n, 1);
	assert_memory_equal(seen.m[0].cert, cert_b, STORE_PROBE_KEY_LEN);
	CHECK(0, store_probe_clear(c->st, "account:p.builder", NULL, &n, clr(&err)));
	assert_int_equal(n, 2);
	CHECK(0, store_probe_any(c->st, "account:p.builder", 0, clr(&err)));
	CHECK(1, store_probe_any(c->st, "account:other", 0, clr(&err)));
	CHECK(0, store_probe_clear(c->st, "account:nobody", NULL, &n, clr(&err)));
	assert_int_equal(n, 0);
	/* in a transaction rolled back, nothing stays */
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	CHECK(0, store_probe_add(c->st, "account:p.builder", cert_a, g, NOW, clr(&err)));
	store_rollback(c->st);
	CHECK(0, store_probe_any(c->st, "account:p.builder", 0, clr(&err)));
}

static void test_probe_each(void **state)
{
	struct contract *c = *state;
	uint8_t cert[3][STORE_PROBE_KEY_LEN], g[STORE_PROBE_KEY_LEN];
	struct summary_seen w;
	struct err err;

	for (uint8_t i = 0; i < 3; i++)
		key16(cert[i], (uint8_t)(0xc0 + i));
	/* account:a: three misses on cert 0, one on cert 1, one refusal; latest NOW + 20 */
	for (uint8_t i = 1; i <= 3; i++) {
		key16(g, i);
		CHECK(0, store_probe_add(c->st, "account:a", cert[0], g, NOW + i, clr(&err)));
	}
	CHECK(0, store_probe_add(c->st, "account:a", cert[1], g, NOW + 4, clr(&err)));
	CHECK(0, store_probe_add(c->st, "account:a", cert[0], NULL, NOW + 20, clr(&err)));
	/* address:b: one miss on cert 2, latest NOW + 30 */
	CHECK(0, store_probe_add(c->st, "address:b", cert[2], g, NOW + 30, clr(&err)));

	memset(&w, 0, sizeof(w));
	CHECK(0, store_probe_each(c->st, 0, 3, walk_summary, &w, clr(&err)));
	assert_int_equal(w.n, 2);
	/* newest first */
	assert_string_equal(w.s[0].subject, "address:b");
	assert_int_equal(w.s[0].certificates, 1);
	assert_int_equal(w.s[0].misses, 1);
	assert_int_equal(w.s[0].refusals, 0);
	assert_int_equal(w.s[0].at_limit, 0);
	assert_int_equal(w.s[0].last, NOW + 30);
	assert_string_equal(w.s[1].subject, "account:a");
	assert_int_equal(w.s[1].certificates, 2);
	assert_int_equal(w.s[1].misses, 4);
	assert_int_equal(w.s[1].refusals, 1);
	assert_int_equal(w.s[1].at_limit, 1);
	assert_int_equal(w.s[1].last, NOW + 20);
	/* another limit, another count at it */
	memset(&w, 0, sizeof(w));
	CHECK(0, store_probe_each(c->st, 0, 1, walk_summary, &w, clr(&err)));
	assert_int_equal(w.s[1].at_limit, 2);
	/* a window: only what is at or after since */
	memset(&w, 0, sizeof(w));
	CHECK(0, store_probe_each(c->st, NOW + 3, 3, walk_summary, &w, clr(&err)));
	assert_int_equal(w.n, 2);
	assert_int_equal(w.s[1].misses, 2);
	assert_int_equal(w.s[1].at_limit, 0);
	memset(&w, 0, sizeof(w));
	CHECK(0, store_probe_each(c->st, NOW + 31, 3, walk_summary, &w, clr(&err)));
	assert_int_equal(w.n, 0);
}

static const struct CMUnitTest tests[] = {
    CONTRACT_CASE(test_probe_misses),
    CONTRACT_CASE(test_probe_refusals_prune_clear),
    CONTRACT_CASE(test_probe_each),
};

int contract_run_probe(void)
{
	return cmocka_run_group_tests_name("probe", tests, NULL, NULL);
}
