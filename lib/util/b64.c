/* b64.c - strict Base64 over libsodium; see b64.h */
#include "b64.h"

#include <sodium.h>

static int alpha_num(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int b64_valid(const char *s, size_t len, enum b64_variant v)
{
	size_t i, pad = 0;
	char c62 = v == B64_URLSAFE ? '-' : '+', c63 = v == B64_URLSAFE ? '_' : '/';

	if (!s || len == 0)
		return 0;
	if (v == B64_URLSAFE) {
		if (len % 4 == 1)
			return 0;
	} else {
		if (len % 4 != 0)
			return 0;
		if (s[len - 1] == '=')
			pad = s[len - 2] == '=' ? 2 : 1;
	}
	for (i = 0; i < len - pad; i++)
		if (!alpha_num(s[i]) && s[i] != c62 && s[i] != c63)
			return 0;
	return 1;
}

int b64_decode(const char *s, size_t len, enum b64_variant v, uint8_t *out, size_t cap, size_t *n)
{
	*n = 0;
	if (!b64_valid(s, len, v))
		return -1;
	if (sodium_base642bin(out, cap, s, len, NULL, n, NULL,
	                      v == B64_URLSAFE ? sodium_base64_VARIANT_URLSAFE_NO_PADDING
	                                       : sodium_base64_VARIANT_ORIGINAL) != 0) {
		*n = 0;
		return -1;
	}
	return 0;
}
