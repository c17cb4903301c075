/*
 * test_arena.c - the per-request arena (arena.h): alignment of small and
 * large allocations, chunks that fill up, the byte cap (an allocation past
 * it fails and leaves the arena usable), growing a small block into a
 * large one and a large one in place with its list mended, copies of
 * strings with embedded bytes, and release leaving an empty arena.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "arena.h"

#define ALIGNED(p) ((uintptr_t)(p) % _Alignof(max_align_t) == 0)

static void test_small_and_aligned(void **state)
{
	struct arena a;
	size_t sizes[] = {0, 1, 3, 7, 16, 17, 100, ARENA_LARGE_MIN, ARENA_LARGE_MIN + 1, 5000};
	unsigned char *p[sizeof(sizes) / sizeof(sizes[0])];
	size_t i, j;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(arena_used(&a), 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = arena_alloc(&a, sizes[i]);
		assert_non_null(p[i]);
		assert_true(ALIGNED(p[i]));
		memset(p[i], (int)i + 1, sizes[i]);
	}
	/* nothing overlaps: every block still holds its own byte */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (j = 0; j < sizes[i]; j++)
			assert_int_equal(p[i][j], i + 1);
	/* distinct pointers even for size 0 */
	assert_ptr_not_equal(p[0], p[1]);
	arena_release(&a);
	assert_int_equal(arena_used(&a), 0);
	assert_null(a.chunks);
	assert_null(a.large);
}

static void test_many_chunks(void **state)
{
	struct arena a;
	int i;
	unsigned *first = NULL, *p = NULL;

	(void)state;
	arena_init(&a, 0);
	for (i = 0; i < 10000; i++) {
		p = arena_alloc(&a, sizeof(*p) * 10);
		assert_non_null(p);
		p[0] = (unsigned)i;
		p[9] = (unsigned)i;
		if (!first)
			first = p;
	}
	assert_int_equal(first[0], 0);
	assert_int_equal(p[9], 9999);
	assert_true(arena_used(&a) >= 10000 * sizeof(*p) * 10);
	arena_release(&a);
}

static void test_cap(void **state)
{
	struct arena a;
	void *p;
	size_t used;

	(void)state;
	arena_init(&a, 64 * 1024);
	/* a block bigger than the cap is refused at once */
	assert_null(arena_alloc(&a, 65 * 1024));
	assert_int_equal(arena_used(&a), 0);
	/* fill up to the cap with large blocks */
	while ((p = arena_alloc(&a, 10000)) != NULL)
		memset(p, 1, 10000);
	used = arena_used(&a);
	assert_true(used <= 64 * 1024);
	assert_true(used > 50 * 1024);
	/* small ones too stop at the cap, and nothing was counted for the failures */
	while (arena_alloc(&a, 64) != NULL)
		;
	assert_true(arena_used(&a) <= 64 * 1024);
	/* an absurd size never wraps around */
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX - 8));
	assert_null(arena_strndup(&a, "x", SIZE_MAX));
	arena_release(&a);
	/* usable again after a release, with the same cap */
	assert_non_null(arena_alloc(&a, 60 * 1024));
	assert_null(arena_alloc(&a, 8 * 1024));
	arena_release(&a);
}

static void test_grow(void **state)
{
	struct arena a;
	unsigned char *p, *q, *other1, *other2;
	size_t n, i;

	(void)state;
	arena_init(&a, 1 << 20);
	/* NULL grows into a new block */
	p = arena_grow(&a, NULL, 0, 10);
	assert_non_null(p);
	memcpy(p, "0123456789", 10);
	/* a small block grows into a large one, contents kept */
	other1 = arena_alloc(&a, 3000);
	assert_non_null(other1);
	memset(other1, 0xA1, 3000);
	q = arena_grow(&a, p, 10, 2000);
	assert_non_null(q);
	assert_memory_equal(q, "0123456789", 10);
	other2 = arena_alloc(&a, 3000);
	assert_non_null(other2);
	memset(other2, 0xA2, 3000);
	/* the large block doubles in place several times; its neighbours
	 * in the list stay reachable and intact */
	for (n = 2000; n < 256 * 1024; n *= 2) {
		memset(q + 10, 0x55, n - 10);
		q = arena_grow(&a, q, n, n * 2);
		assert_non_null(q);
		assert_true(ALIGNED(q));
		assert_memory_equal(q, "0123456789", 10);
		for (i = 10; i < n; i++)
			assert_int_equal(q[i], 0x55);
	}
	for (i = 0; i < 3000; i++) {
		assert_int_equal(other1[i], 0xA1);
		assert_int_equal(other2[i], 0xA2);
	}
	/* shrinking is a no-op */
	assert_ptr_equal(arena_grow(&a, q, n, 100), q);
	/* growing past the cap fails and leaves the block as it was */
	assert_null(arena_grow(&a, q, n, 2 << 20));
	assert_memory_equal(q, "0123456789", 10);
	assert_true(arena_used(&a) <= 1 << 20);
	arena_release(&a);
	assert_null(a.large);
}

static void test_strndup(void **state)
{
	struct arena a;
	char *s;

	(void)state;
	arena_init(&a, 0);
	s = arena_strndup(&a, "黔A012018000123 and more", 16);
	assert_non_null(s);
	assert_string_equal(s, "黔A012018000123");
	s = arena_strndup(&a, "a\0b", 3);
	assert_non_null(s);
	assert_memory_equal(s, "a\0b\0", 4);
	s = arena_strndup(&a, "", 0);
	assert_non_null(s);
	assert_string_equal(s, "");
	s = arena_zalloc(&a, 5000);
	assert_non_null(s);
	assert_int_equal(s[0] | s[4999], 0);
	arena_release(&a);
	/* releasing an empty arena is fine */
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_small_and_aligned),
	    cmocka_unit_test(test_many_chunks),
	    cmocka_unit_test(test_cap),
	    cmocka_unit_test(test_grow),
	    cmocka_unit_test(test_strndup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
