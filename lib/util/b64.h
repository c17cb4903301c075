/*
 * b64.h - Base64 (RFC 4648) read strictly: the one check every decoder of
 * base64 text goes through (signed notes, checkpoints and proofs in the
 * standard alphabet with padding; keys.json, the trust and status lists and
 * sealed numbers in the URL-safe alphabet without padding).
 *
 * Why a check of its own: libsodium 1.0.18 decodes a byte above 0x7f as if
 * it were "/" (or "_"), so without it two texts would decode to the same
 * bytes and a signed or sealed value would have more than one written form.
 * libsodium does the decoding and refuses stray bits after the last byte.
 * (Base45, the credentials' QR text, is b45.h.)
 */
#ifndef OPCERT_B64_H
#define OPCERT_B64_H

#include <stddef.h>
#include <stdint.h>

enum b64_variant {
	B64_STANDARD, /* A-Z a-z 0-9 + /, padded with "=" to a multiple of 4 */
	B64_URLSAFE,  /* A-Z a-z 0-9 - _, no padding */
};

/*
 * 1 when s[0..len) is non-empty base64 of variant v: only the alphabet's
 * characters; standard: a multiple of 4 characters, "=" only as the last
 * one or two; URL-safe: no "=" and a length that is not 4k + 1.  Else 0.
 */
int b64_valid(const char *s, size_t len, enum b64_variant v);

/*
 * Decode s[0..len) (b64_valid, no stray bits, every character used) into
 * out (cap bytes); *n receives the decoded length.  Returns 0, or -1 when
 * the text is not valid or decodes to more than cap bytes.
 */
int b64_decode(const char *s, size_t len, enum b64_variant v, uint8_t *out, size_t cap, size_t *n);

#endif
