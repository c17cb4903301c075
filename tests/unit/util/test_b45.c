/*
 * test_b45.c - unit tests for lib/util/b45.c: the RFC 9285 examples both ways,
 * every invalid input the decoder must refuse (characters outside the
 * alphabet, group values out of range, impossible lengths, a small output
 * buffer), and round trips of every byte value and length.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "b45.h"

struct vector {
	const char *bytes;
	size_t len;
	const char *text;
};

/* RFC 9285 sections 4.3 to 4.5, plus the edges of the alphabet. */
static const struct vector vectors[] = {
    {"AB", 2, "BB8"},
    {"Hello!!", 7, "%69 VD92EX0"},
    {"base-45", 7, "UJCLQE7W581"},
    {"ietf!", 5, "QED8WEX0"},
    {"", 0, ""},
    {"\x00", 1, "00"},
    {"\xff", 1, "U5"},
    {"\xff\xff", 2, "FGW"},
    {"\x00\x00", 2, "000"},
};

static void test_vectors(void **state)
{
	size_t i, n, outlen;
	char text[64];
	uint8_t bytes[64];

	(void)state;
	for (i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
		const struct vector *v = &vectors[i];

		n = v->len;
		assert_int_equal(b45_encoded_len(n), strlen(v->text));
		assert_int_equal(b45_encode((const uint8_t *)v->bytes, n, text, sizeof(text)), 0);
		if (strcmp(text, v->text) != 0)
			fail_msg("encode #%zu: \"%s\", want \"%s\"", i, text, v->text);
		assert_int_equal(
		    b45_decode(v->text, strlen(v->text), bytes, sizeof(bytes), &outlen), 0);
		assert_int_equal(outlen, n);
		assert_memory_equal(bytes, v->bytes, n);
	}
}

static const char *const invalid[] = {
    "GGW",          /* 65536 + ... > 65535 */
    "ZZZ",          /* far over */
    "U6",           /* final pair 256 > 255 */
    "::",           /* final pair 44 + 44*45 */
    "A",            /* length 3k + 1 */
    "BB8A",         /* length 3k + 1 */
    "bb8",          /* lowercase is not in the alphabet */
    "BB#",          /* '#' is not in the alphabet */
    "B\0008",       /* NUL */
    "BB8\n",        /* a newline counts */
    "\xe4\xb8\x80", /* a UTF-8 character */
};

static void test_invalid(void **state)
{
	size_t i, outlen = 99, len;
	uint8_t out[16];

	(void)state;
	for (i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		len = i == 8 ? 3 : strlen(invalid[i]);
		if (b45_decode(invalid[i], len, out, sizeof(out), &outlen) != -1)
			fail_msg("\"%s\" decoded", invalid[i]);
		assert_int_equal(outlen, 0);
	}
}

static void test_small_buffers(void **state)
{
	char text[4];
	uint8_t out[2];
	size_t outlen;

	(void)state;
	/* "AB" needs 3 characters and a NUL */
	assert_int_equal(b45_encode((const uint8_t *)"AB", 2, text, 3), -1);
	assert_int_equal(b45_encode((const uint8_t *)"AB", 2, text, 4), 0);
	/* "Hello!!" is 7 bytes */
	assert_int_equal(b45_decode("%69 VD92EX0", 11, out, sizeof(out), &outlen), -1);
	assert_int_equal(b45_decode("BB8", 3, out, 1, &outlen), -1);
	assert_int_equal(b45_decode("BB8", 3, out, 2, &outlen), 0);
	assert_int_equal(b45_decoded_len(3), 2);
	assert_int_equal(b45_decoded_len(5), 3);
	assert_int_equal(b45_decoded_len(2), 1);
}

/* The decoder must not read past len: "BB8" then garbage beyond. */
static void test_not_nul_terminated(void **state)
{
	uint8_t out[4];
	size_t outlen;

	(void)state;
	assert_int_equal(b45_decode("BB8GGW", 3, out, sizeof(out), &outlen), 0);
	assert_int_equal(outlen, 2);
	assert_memory_equal(out, "AB", 2);
}

static void test_round_trip(void **state)
{
	uint8_t in[300], back[300];
	char text[460];
	size_t n, i, outlen;

	(void)state;
	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 3);
	in[0] = 0xff;
	in[1] = 0xff;
	for (n = 0; n <= sizeof(in); n++) {
		assert_int_equal(b45_encode(in, n, text, sizeof(text)), 0);
		assert_int_equal(strlen(text), b45_encoded_len(n));
		for (i = 0; text[i]; i++)
			assert_true(b45_is_char(text[i]));
		assert_int_equal(b45_decode(text, strlen(text), back, sizeof(back), &outlen), 0);
		assert_int_equal(outlen, n);
		if (n)
			assert_memory_equal(in, back, n);
	}
	/* every two-byte value */
	for (i = 0; i < 65536; i++) {
		uint8_t two[2] = {(uint8_t)(i >> 8), (uint8_t)i};

		assert_int_equal(b45_encode(two, 2, text, sizeof(text)), 0);
		assert_int_equal(b45_decode(text, 3, back, 2, &outlen), 0);
		assert_memory_equal(two, back, 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),       cmocka_unit_test(test_invalid),
	    cmocka_unit_test(test_small_buffers), cmocka_unit_test(test_not_nul_terminated),
	    cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
