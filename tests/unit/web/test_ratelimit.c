/*
 * test_ratelimit.c - the per-client token buckets (ratelimit.h): a burst
 * then refusals with the right Retry-After, refilling at the stated rate
 * and never beyond the burst, clients kept apart (keys that differ in one
 * byte or in length), bounded memory under a flood of new addresses (idle
 * clients forgotten first, then the oldest), a clock that goes backwards,
 * bad arguments, and many threads taking tokens at once without losing or
 * inventing one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <string.h>

#include "ratelimit.h"

static const unsigned char ip_a[4] = {203, 0, 113, 7};
static const unsigned char ip_b[4] = {203, 0, 113, 8};

static void test_burst_then_refuse(void **state)
{
	struct ratelimit *rl = ratelimit_new(60, 20, 1024);
	unsigned retry = 0;
	int i;

	(void)state;
	assert_non_null(rl);
	for (i = 0; i < 20; i++)
		assert_int_equal(ratelimit_take(rl, ip_a, 4, 1000, &retry), 1);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 1000, &retry), 0);
	/* 60 a minute: one token a second */
	assert_int_equal(retry, 1);
	/* another client is not affected */
	assert_int_equal(ratelimit_take(rl, ip_b, 4, 1000, &retry), 1);
	/* 999 ms later still nothing; at 1000 ms exactly one token */
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 1999, &retry), 0);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 2000, NULL), 1);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 2000, &retry), 0);
	/* after an hour the bucket is full again, but holds no more than the burst */
	for (i = 0; i < 20; i++)
		assert_int_equal(ratelimit_take(rl, ip_a, 4, 3600000, NULL), 1);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 3600000, NULL), 0);
	assert_int_equal(ratelimit_clients(rl), 2);
	ratelimit_free(rl);
}

static void test_retry_after(void **state)
{
	/* 6 a minute: a token every 10 s */
	struct ratelimit *rl = ratelimit_new(6, 1, 64);
	unsigned retry = 0;

	(void)state;
	assert_non_null(rl);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 0, &retry), 1);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 0, &retry), 0);
	assert_int_equal(retry, 10);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 2500, &retry), 0);
	assert_int_equal(retry, 8); /* 7.5 s rounded up */
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 9999, &retry), 0);
	assert_int_equal(retry, 1);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 10000, &retry), 1);
	ratelimit_free(rl);

	/* a slow rate: 1 a minute */
	rl = ratelimit_new(1, 1, 64);
	assert_non_null(rl);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 0, &retry), 1);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 1, &retry), 0);
	assert_int_equal(retry, 60);
	ratelimit_free(rl);
}

static void test_keys_apart(void **state)
{
	/* Room for many clients a shard: with one a shard, two keys that hash
	 * to the same shard would evict each other (one in 64 per pair). */
	struct ratelimit *rl = ratelimit_new(60, 1, 64 * 16);
	unsigned char v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1};
	unsigned char v6b[16];

	(void)state;
	assert_non_null(rl);
	memcpy(v6b, v6, 16);
	v6b[15] = 1;
	assert_int_equal(ratelimit_take(rl, v6, 16, 0, NULL), 1);
	assert_int_equal(ratelimit_take(rl, v6, 16, 0, NULL), 0);
	/* one byte differs: another client */
	assert_int_equal(ratelimit_take(rl, v6b, 16, 0, NULL), 1);
	/* the same first 8 bytes as a shorter key: another client */
	assert_int_equal(ratelimit_take(rl, v6, 8, 0, NULL), 1);
	assert_int_equal(ratelimit_take(rl, v6, 8, 0, NULL), 0);
	/* the first client is still refused */
	assert_int_equal(ratelimit_take(rl, v6, 16, 0, NULL), 0);
	assert_int_equal(ratelimit_clients(rl), 3);
	ratelimit_free(rl);
}

static void test_bounded_memory(void **state)
{
	struct ratelimit *rl = ratelimit_new(60, 5, 1000);
	size_t cap;
	uint32_t i;
	unsigned char key[4];

	(void)state;
	assert_non_null(rl);
	cap = ratelimit_capacity(rl);
	assert_true(cap >= 1000 && cap < 1100);
	/* 100 times as many addresses as it may track, all active at once */
	for (i = 0; i < 100000; i++) {
		memcpy(key, &i, 4);
		assert_int_equal(ratelimit_take(rl, key, 4, 5000 + i / 1000, NULL), 1);
		assert_true(ratelimit_clients(rl) <= cap);
	}
	assert_true(ratelimit_clients(rl) > cap / 2);
	/* a client still tracked keeps its count: address 99999 used 1 of 5 */
	i = 99999;
	memcpy(key, &i, 4);
	assert_int_equal(ratelimit_take(rl, key, 4, 5099, NULL), 1);
	assert_int_equal(ratelimit_take(rl, key, 4, 5099, NULL), 1);
	assert_int_equal(ratelimit_take(rl, key, 4, 5099, NULL), 1);
	assert_int_equal(ratelimit_take(rl, key, 4, 5099, NULL), 1);
	assert_int_equal(ratelimit_take(rl, key, 4, 5099, NULL), 0);
	/* much later every bucket has refilled: a new flood evicts idle ones */
	for (i = 200000; i < 202000; i++) {
		memcpy(key, &i, 4);
		assert_int_equal(ratelimit_take(rl, key, 4, 10000000, NULL), 1);
		assert_true(ratelimit_clients(rl) <= cap);
	}
	ratelimit_free(rl);
}

static void test_clock_backwards(void **state)
{
	struct ratelimit *rl = ratelimit_new(60, 2, 64);

	(void)state;
	assert_non_null(rl);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 100000, NULL), 1);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 100000, NULL), 1);
	/* time going back refills nothing */
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 0, NULL), 0);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 100999, NULL), 0);
	assert_int_equal(ratelimit_take(rl, ip_a, 4, 101000, NULL), 1);
	ratelimit_free(rl);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	assert_null(ratelimit_new(0, 20, 1000));
	assert_null(ratelimit_new(60, 0, 1000));
	assert_null(ratelimit_new(60, 20, 10));
	assert_null(ratelimit_new(2000000, 20, 1000));
	ratelimit_free(NULL);
}

struct worker {
	struct ratelimit *rl;
	int granted;
};

static void *hammer(void *arg)
{
	struct worker *w = arg;
	uint32_t i, k;
	unsigned char key[4];

	for (i = 0; i < 20000; i++) {
		k = i % 50;
		memcpy(key, &k, 4);
		w->granted += ratelimit_take(w->rl, key, 4, 0, NULL);
	}
	return NULL;
}

static void test_threads(void **state)
{
	struct ratelimit *rl = ratelimit_new(60, 10, 1000);
	struct worker w[8];
	pthread_t t[8];
	int i, total = 0;

	(void)state;
	assert_non_null(rl);
	for (i = 0; i < 8; i++) {
		w[i].rl = rl;
		w[i].granted = 0;
		assert_int_equal(pthread_create(&t[i], NULL, hammer, &w[i]), 0);
	}
	for (i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		total += w[i].granted;
	}
	/* 50 clients with 10 tokens each, and no time passes: exactly 500 */
	assert_int_equal(total, 500);
	assert_int_equal(ratelimit_clients(rl), 50);
	ratelimit_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_burst_then_refuse), cmocka_unit_test(test_retry_after),
	    cmocka_unit_test(test_keys_apart),        cmocka_unit_test(test_bounded_memory),
	    cmocka_unit_test(test_clock_backwards),   cmocka_unit_test(test_bad_arguments),
	    cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
