/*
 * test_b64.c - unit tests for lib/util/b64.c: RFC 4648 examples in both
 * alphabets, the texts the strict check refuses (bytes above 0x7f, which
 * libsodium 1.0.18 alone would read as "/", the other alphabet, padding in
 * the wrong place or where none belongs, impossible lengths, stray bits),
 * a short output buffer, and round trips of every length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "b64.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct vector {
	enum b64_variant v;
	const char *text;
	const char *bytes;
};

/* RFC 4648 section 10, and the two characters where the alphabets differ. */
static const struct vector vectors[] = {
    {B64_STANDARD, "Zg==", "f"},
    {B64_STANDARD, "Zm8=", "fo"},
    {B64_STANDARD, "Zm9v", "foo"},
    {B64_STANDARD, "Zm9vYg==", "foob"},
    {B64_STANDARD, "Zm9vYmE=", "fooba"},
    {B64_STANDARD, "Zm9vYmFy", "foobar"},
    {B64_STANDARD, "+/+/", "\xfb\xff\xbf"},
    {B64_URLSAFE, "Zg", "f"},
    {B64_URLSAFE, "Zm8", "fo"},
    {B64_URLSAFE, "Zm9vYmFy", "foobar"},
    {B64_URLSAFE, "-_-_", "\xfb\xff\xbf"},
};

static void test_vectors(void **state)
{
	uint8_t out[16];
	size_t i, n;

	(void)state;
	for (i = 0; i < COUNT(vectors); i++) {
		const struct vector *t = &vectors[i];

		assert_int_equal(b64_valid(t->text, strlen(t->text), t->v), 1);
		if (b64_decode(t->text, strlen(t->text), t->v, out, sizeof(out), &n) != 0)
			fail_msg("#%zu \"%s\" refused", i, t->text);
		assert_int_equal(n, strlen(t->bytes));
		assert_memory_equal(out, t->bytes, n);
	}
}

static const struct vector invalid[] = {
    {B64_STANDARD, "", NULL},
    {B64_STANDARD, "Zm9\xff", NULL}, /* libsodium alone reads 0xff as "/" */
    {B64_STANDARD, "Zm9\xaf", NULL},
    {B64_STANDARD, "-_-_", NULL}, /* the URL-safe alphabet */
    {B64_STANDARD, "Zm9", NULL},  /* padding missing */
    {B64_STANDARD, "Zg=", NULL},
    {B64_STANDARD, "Z===", NULL},     /* too much padding */
    {B64_STANDARD, "Zg==Zg==", NULL}, /* padding inside */
    {B64_STANDARD, "Zh==", NULL},     /* stray bits after the last byte */
    {B64_STANDARD, "Zm 9v", NULL},
    {B64_URLSAFE, "", NULL},
    {B64_URLSAFE, "Zm9\xff", NULL},
    {B64_URLSAFE, "Zm9\xdf", NULL},
    {B64_URLSAFE, "+/+/", NULL},  /* the standard alphabet */
    {B64_URLSAFE, "Zg==", NULL},  /* no padding in this form */
    {B64_URLSAFE, "Zm9vY", NULL}, /* 4k + 1 characters */
    {B64_URLSAFE, "Zh", NULL},    /* stray bits */
};

static void test_invalid(void **state)
{
	uint8_t out[16];
	size_t i, n = 99;

	(void)state;
	for (i = 0; i < COUNT(invalid); i++) {
		const struct vector *t = &invalid[i];
		size_t len = strlen(t->text);

		if (b64_decode(t->text, len, t->v, out, sizeof(out), &n) != -1)
			fail_msg("#%zu \"%s\" accepted", i, t->text);
		assert_int_equal(n, 0);
	}
	/* only the characters before the stray bits or the last one decide validity */
	assert_int_equal(b64_valid("Zh==", 4, B64_STANDARD), 1);
	assert_int_equal(b64_valid("Zm9\xff", 4, B64_STANDARD), 0);
	assert_int_equal(b64_valid(NULL, 4, B64_STANDARD), 0);
}

static void test_small_buffer_and_length(void **state)
{
	uint8_t out[8];
	size_t n;

	(void)state;
	assert_int_equal(b64_decode("Zm9vYmFy", 8, B64_STANDARD, out, 5, &n), -1);
	assert_int_equal(b64_decode("Zm9vYmFy", 8, B64_STANDARD, out, 6, &n), 0);
	assert_int_equal(n, 6);
	/* the length given counts, not a NUL: "Zm9vYmFy" read as its first 4 */
	assert_int_equal(b64_decode("Zm9vYmFy", 4, B64_URLSAFE, out, sizeof(out), &n), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(out, "foo", 3);
}

static void test_round_trip(void **state)
{
	uint8_t bytes[64], out[64];
	char text[100];
	size_t len, n;
	int v;

	(void)state;
	for (len = 1; len <= sizeof(bytes); len++) {
		randombytes_buf(bytes, len);
		for (v = 0; v < 2; v++) {
			enum b64_variant var = v ? B64_URLSAFE : B64_STANDARD;

			sodium_bin2base64(text, sizeof(text), bytes, len,
			                  v ? sodium_base64_VARIANT_URLSAFE_NO_PADDING
			                    : sodium_base64_VARIANT_ORIGINAL);
			assert_int_equal(b64_decode(text, strlen(text), var, out, sizeof(out), &n),
			                 0);
			assert_int_equal(n, len);
			assert_memory_equal(out, bytes, len);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_small_buffer_and_length),
	    cmocka_unit_test(test_round_trip),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
