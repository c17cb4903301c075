/*
 * test_strmap.c - the string-keyed hash table (strmap.h): insertion and
 * look-up, the created flag, growth through many resizes with every key and
 * its caller data kept, keys that differ only in their last byte (or by an
 * embedded NUL), the empty key, and releasing maps that hold nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "strmap.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static struct strmap_entry *put(struct strmap *m, const char *key, size_t len, int *created)
{
	struct strmap_entry *e = strmap_put(m, key, len, created);

	assert_non_null(e);
	return e;
}

static void test_put_get(void **state)
{
	static const struct {
		const char *key;
		long value;
	} cases[] = {
	    {"黔A012018000001", 2},
	    {"黔A012018000002", 3},
	    {"T52010219850312001X", 4},
	    {"川A052017000123", 5},
	    {"a", 6},
	    {"ab", 7},
	    {"abc", 8},
	};
	struct strmap m;
	size_t i;

	(void)state;
	strmap_init(&m);
	assert_null(strmap_get(&m, "a", 1));
	for (i = 0; i < COUNT(cases); i++) {
		int created = -1;
		struct strmap_entry *e = put(&m, cases[i].key, strlen(cases[i].key), &created);

		assert_int_equal(created, 1);
		/* a new entry is zeroed but for its key */
		assert_int_equal(e->value, 0);
		assert_int_equal(e->flags, 0);
		assert_int_equal(e->aux[0], '\0');
		assert_int_equal(e->len, strlen(cases[i].key));
		assert_memory_equal(e->key, cases[i].key, e->len);
		assert_int_equal(e->key[e->len], '\0');
		/* the key is the map's own copy */
		assert_ptr_not_equal(e->key, cases[i].key);
		e->value = cases[i].value;
		snprintf(e->aux, sizeof(e->aux), "aux%zu", i);
		e->flags = (int)i + 1;
	}
	assert_int_equal(m.count, COUNT(cases));
	for (i = 0; i < COUNT(cases); i++) {
		char aux[24];
		struct strmap_entry *e = strmap_get(&m, cases[i].key, strlen(cases[i].key));

		assert_non_null(e);
		assert_int_equal(e->value, cases[i].value);
		snprintf(aux, sizeof(aux), "aux%zu", i);
		assert_string_equal(e->aux, aux);
		assert_int_equal(e->flags, (int)i + 1);
	}
	/* absent keys, including prefixes and extensions of present ones */
	assert_null(strmap_get(&m, "abcd", 4));
	assert_null(strmap_get(&m, "b", 1));
	assert_null(strmap_get(&m, "黔A01201800000", strlen("黔A01201800000")));
	/* the length, not the NUL, ends a key */
	assert_non_null(strmap_get(&m, "abcd", 2));
	assert_int_equal(strmap_get(&m, "abcd", 2)->value, 7);
	strmap_release(&m);
}

static void test_created_flag(void **state)
{
	struct strmap m;
	struct strmap_entry *e;
	int created = -1;

	(void)state;
	strmap_init(&m);
	e = put(&m, "黔A012018000001", strlen("黔A012018000001"), &created);
	assert_int_equal(created, 1);
	e->value = 42;
	memcpy(e->aux, "52010219850312001X", 19);
	e->flags = 1;

	/* a second put finds the same entry untouched */
	created = -1;
	e = put(&m, "黔A012018000001", strlen("黔A012018000001"), &created);
	assert_int_equal(created, 0);
	assert_int_equal(e->value, 42);
	assert_string_equal(e->aux, "52010219850312001X");
	assert_int_equal(e->flags, 1);
	assert_int_equal(m.count, 1);

	/* a key built in another buffer is the same key */
	{
		char buf[32];

		snprintf(buf, sizeof(buf), "%s%s", "黔A01", "2018000001");
		created = -1;
		e = put(&m, buf, strlen(buf), &created);
		assert_int_equal(created, 0);
		assert_int_equal(e->value, 42);
	}
	strmap_release(&m);
}

static void make_key(char *buf, size_t size, long i)
{
	snprintf(buf, size, "黔A%02ld%04ld%06ld", i % 11 + 1, 2000 + i % 20, i);
}

/* 200,000 keys take the table from 1,024 slots through eight doublings. */
static void test_growth(void **state)
{
	enum { N = 200000 };
	struct strmap m;
	char key[64];
	long i;

	(void)state;
	strmap_init(&m);
	for (i = 0; i < N; i++) {
		int created = -1;
		struct strmap_entry *e;

		make_key(key, sizeof(key), i);
		e = put(&m, key, strlen(key), &created);
		if (created != 1)
			fail_msg("key %ld (%s) not created", i, key);
		e->value = i * 3 + 1;
		snprintf(e->aux, sizeof(e->aux), "%ld", i);
		e->flags = (int)(i & 7);
	}
	assert_int_equal(m.count, N);
	/* at most half full, a power of two */
	assert_true(m.cap >= 2 * (size_t)N);
	assert_int_equal(m.cap & (m.cap - 1), 0);

	for (i = 0; i < N; i++) {
		char aux[24];
		struct strmap_entry *e;

		make_key(key, sizeof(key), i);
		e = strmap_get(&m, key, strlen(key));
		if (!e)
			fail_msg("key %ld (%s) lost", i, key);
		if (e->value != i * 3 + 1 || e->flags != (int)(i & 7))
			fail_msg("key %ld: value %ld flags %d", i, e->value, e->flags);
		snprintf(aux, sizeof(aux), "%ld", i);
		assert_string_equal(e->aux, aux);
		assert_int_equal(e->len, strlen(key));
		assert_memory_equal(e->key, key, e->len);
	}
	/* putting them again creates nothing */
	for (i = 0; i < N; i += 997) {
		int created = -1;

		make_key(key, sizeof(key), i);
		assert_int_equal(put(&m, key, strlen(key), &created)->value, i * 3 + 1);
		assert_int_equal(created, 0);
	}
	assert_int_equal(m.count, N);
	/* and keys never put are absent */
	for (i = N; i < N + 1000; i++) {
		make_key(key, sizeof(key), i);
		assert_null(strmap_get(&m, key, strlen(key)));
	}
	strmap_release(&m);
	assert_int_equal(m.count, 0);
	assert_null(m.slots);
	assert_null(m.chunks);
}

/* Keys that share everything but the last byte, and keys with NUL bytes
 * inside, are distinct keys. */
static void test_last_byte(void **state)
{
	struct strmap m;
	char key[32];
	int b;

	(void)state;
	strmap_init(&m);
	for (b = 0; b < 256; b++) {
		int created = -1;
		struct strmap_entry *e;

		memcpy(key, "黔A01201800000", 15);
		key[15] = (char)b;
		e = put(&m, key, 16, &created);
		if (created != 1)
			fail_msg("last byte %d collides with an earlier key", b);
		e->value = b;
	}
	assert_int_equal(m.count, 256);
	for (b = 0; b < 256; b++) {
		struct strmap_entry *e;

		memcpy(key, "黔A01201800000", 15);
		key[15] = (char)b;
		e = strmap_get(&m, key, 16);
		assert_non_null(e);
		assert_int_equal(e->value, b);
	}
	/* the 15-byte common prefix itself was never put */
	assert_null(strmap_get(&m, key, 15));
	strmap_release(&m);

	strmap_init(&m);
	{
		int created = -1;

		put(&m, "a\0b", 3, &created)->value = 1;
		assert_int_equal(created, 1);
		put(&m, "a\0c", 3, &created)->value = 2;
		assert_int_equal(created, 1);
		put(&m, "a", 1, &created)->value = 3;
		assert_int_equal(created, 1);
		assert_int_equal(strmap_get(&m, "a\0b", 3)->value, 1);
		assert_int_equal(strmap_get(&m, "a\0c", 3)->value, 2);
		assert_int_equal(strmap_get(&m, "a", 1)->value, 3);
		assert_null(strmap_get(&m, "a\0d", 3));
		assert_int_equal(m.count, 3);
	}
	strmap_release(&m);
}

static void test_empty_key(void **state)
{
	struct strmap m;
	struct strmap_entry *e;
	int created = -1;

	(void)state;
	strmap_init(&m);
	assert_null(strmap_get(&m, "", 0));
	e = put(&m, "", 0, &created);
	assert_int_equal(created, 1);
	assert_non_null(e->key);
	assert_int_equal(e->len, 0);
	assert_string_equal(e->key, "");
	e->value = 9;

	e = put(&m, "x", 1, &created);
	assert_int_equal(created, 1);
	e->value = 10;

	e = strmap_get(&m, "", 0);
	assert_non_null(e);
	assert_int_equal(e->value, 9);
	e = put(&m, "", 0, &created);
	assert_int_equal(created, 0);
	assert_int_equal(e->value, 9);
	assert_int_equal(m.count, 2);
	strmap_release(&m);
}

static void test_release_empty(void **state)
{
	struct strmap m;

	(void)state;
	/* never used */
	strmap_init(&m);
	assert_null(strmap_get(&m, "x", 1));
	assert_int_equal(m.count, 0);
	strmap_release(&m);
	/* released twice: the map is back to its initial state */
	strmap_release(&m);
	assert_null(m.slots);
	assert_null(m.chunks);
	assert_int_equal(m.cap, 0);
	/* NULL is accepted */
	strmap_release(NULL);

	/* usable again after a release */
	{
		int created = -1;

		put(&m, "again", 5, &created)->value = 5;
		assert_int_equal(created, 1);
		assert_int_equal(strmap_get(&m, "again", 5)->value, 5);
		strmap_release(&m);
		assert_null(strmap_get(&m, "again", 5));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_put_get),   cmocka_unit_test(test_created_flag),
	    cmocka_unit_test(test_growth),    cmocka_unit_test(test_last_byte),
	    cmocka_unit_test(test_empty_key), cmocka_unit_test(test_release_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
