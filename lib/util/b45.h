/*
 * b45.h - Base45 (RFC 9285), the text encoding of signed credentials.
 *
 * Base45 writes every two bytes as three characters of the QR code's
 * alphanumeric set (0-9 A-Z space $ % * + - . / :), so a credential fits
 * the denser alphanumeric mode of a QR code.  A trailing single byte
 * becomes two characters.
 */
#ifndef OPCERT_B45_H
#define OPCERT_B45_H

#include <stddef.h>
#include <stdint.h>

/* Characters (without the NUL) that n bytes encode to. */
size_t b45_encoded_len(size_t n);
/* Largest number of bytes len characters can decode to. */
size_t b45_decoded_len(size_t len);

/*
 * Encode n bytes into out as a NUL-terminated string.  outsize must be at
 * least b45_encoded_len(n) + 1.  Returns 0, or -1 when out is too small.
 */
int b45_encode(const uint8_t *in, size_t n, char *out, size_t outsize);

/*
 * Decode len characters (in need not be NUL-terminated) into out.
 * Returns 0 and sets *outlen, or -1 on any character outside the alphabet,
 * a group whose value is too large ("GGW" > 65535, a final pair > 255), a
 * length of the form 3k + 1, or an out buffer that is too small.
 */
int b45_decode(const char *in, size_t len, uint8_t *out, size_t outsize, size_t *outlen);

/* 1 when c is one of the 45 characters of the alphabet. */
int b45_is_char(char c);

#endif
