/*
 * authhdr.c - credentials out of request headers (authhdr.h).
 */
#include "authhdr.h"

#include <string.h>
#include <strings.h>

/* A token as the library hands them out: URL-safe Base64 text that fits. */
static int token_ok(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len >= ACCOUNT_TOKEN_SIZE)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '_'))
			return 0;
	}
	return 1;
}

int authhdr_cookie(const char *header, const char *name, char out[ACCOUNT_TOKEN_SIZE])
{
	size_t nlen = strlen(name), n;
	const char *p = header, *v;

	while (p && *p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (strncmp(p, name, nlen) == 0 && p[nlen] == '=') {
			v = p + nlen + 1;
			n = strcspn(v, "; \t");
			if (!token_ok(v, n))
				return 0;
			memcpy(out, v, n);
			out[n] = '\0';
			return 1;
		}
		p = strchr(p, ';');
	}
	return 0;
}

int authhdr_bearer(const char *header, char out[ACCOUNT_TOKEN_SIZE])
{
	const char *v;
	size_t n;

	if (!header || strncasecmp(header, "Bearer ", 7) != 0)
		return 0;
	v = header + 7;
	while (*v == ' ')
		v++;
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	if (!token_ok(v, n))
		return 0;
	memcpy(out, v, n);
	out[n] = '\0';
	return 1;
}
