/*
 * b45.c - Base45 (RFC 9285) encoding and strict decoding.  The decoder
 * runs on whatever a scanner read, so it refuses anything that is not the
 * canonical encoding of some bytes: characters outside the alphabet, group
 * values out of range and impossible lengths.
 */
#include "b45.h"

static const char ALPHABET[45] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

/* Value of each character, -1 outside the alphabet. */
static int b45_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	switch (c) {
	case ' ':
		return 36;
	case '$':
		return 37;
	case '%':
		return 38;
	case '*':
		return 39;
	case '+':
		return 40;
	case '-':
		return 41;
	case '.':
		return 42;
	case '/':
		return 43;
	case ':':
		return 44;
	default:
		return -1;
	}
}

int b45_is_char(char c)
{
	return b45_value((unsigned char)c) >= 0;
}

size_t b45_encoded_len(size_t n)
{
	return n / 2 * 3 + (n % 2) * 2;
}

size_t b45_decoded_len(size_t len)
{
	return len / 3 * 2 + (len % 3 == 2 ? 1 : 0);
}

int b45_encode(const uint8_t *in, size_t n, char *out, size_t outsize)
{
	size_t i, o = 0;
	unsigned v;

	if (n > (((size_t)-1) - 1) / 2 || outsize < b45_encoded_len(n) + 1)
		return -1;
	for (i = 0; i + 1 < n; i += 2) {
		v = (unsigned)in[i] * 256u + in[i + 1];
		out[o++] = ALPHABET[v % 45];
		v /= 45;
		out[o++] = ALPHABET[v % 45];
		out[o++] = ALPHABET[v / 45];
	}
	if (i < n) {
		v = in[i];
		out[o++] = ALPHABET[v % 45];
		out[o++] = ALPHABET[v / 45];
	}
	out[o] = '\0';
	return 0;
}

int b45_decode(const char *in, size_t len, uint8_t *out, size_t outsize, size_t *outlen)
{
	size_t i, o = 0;
	int c, d, e;
	unsigned long v;

	*outlen = 0;
	if (len % 3 == 1 || b45_decoded_len(len) > outsize)
		return -1;
	for (i = 0; i < len; i += 3) {
		c = b45_value((unsigned char)in[i]);
		d = b45_value((unsigned char)in[i + 1]);
		if (c < 0 || d < 0)
			return -1;
		v = (unsigned long)c + (unsigned long)d * 45;
		if (i + 2 < len) {
			e = b45_value((unsigned char)in[i + 2]);
			if (e < 0)
				return -1;
			v += (unsigned long)e * 45 * 45;
			if (v > 65535)
				return -1;
			out[o++] = (uint8_t)(v >> 8);
			out[o++] = (uint8_t)(v & 0xff);
		} else {
			if (v > 255)
				return -1;
			out[o++] = (uint8_t)v;
		}
	}
	*outlen = o;
	return 0;
}
