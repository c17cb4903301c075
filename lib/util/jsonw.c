/* jsonw.c - JSON written straight into a buffer; see jsonw.h */
#include "jsonw.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

void jsonw_init(struct jsonw *w, size_t cap)
{
	w->buf = NULL;
	w->len = 0;
	w->cap = cap ? cap : 256;
	w->failed = 0;
}

static int reserve(struct jsonw *w, size_t more)
{
	size_t cap = w->cap;
	char *p;

	if (w->failed)
		return -1;
	if (w->buf && w->len + more + 1 <= w->cap)
		return 0;
	while (cap < w->len + more + 1)
		cap *= 2;
	p = realloc(w->buf, cap);
	if (!p) {
		w->failed = 1;
		return -1;
	}
	w->buf = p;
	w->cap = cap;
	return 0;
}

void jsonw_raw(struct jsonw *w, const char *s, size_t len)
{
	if (reserve(w, len) < 0)
		return;
	memcpy(w->buf + w->len, s, len);
	w->len += len;
}

size_t jsonw_escape(char *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t i, run;
	char *o = out;

	for (i = run = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		memcpy(o, s + run, i - run);
		o += i - run;
		run = i + 1;
		*o++ = '\\';
		switch (c) {
		case '"':
		case '\\':
			*o++ = (char)c;
			break;
		case '\b':
			*o++ = 'b';
			break;
		case '\f':
			*o++ = 'f';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		default:
			memcpy(o, "u00", 3);
			o[3] = hex[c >> 4];
			o[4] = hex[c & 15];
			o += 5;
		}
	}
	memcpy(o, s + run, n - run);
	o += n - run;
	return (size_t)(o - out);
}

void jsonw_string(struct jsonw *w, const char *s)
{
	size_t n;

	if (!s || !utf8_valid(s, n = strlen(s), NULL)) {
		w->failed = 1;
		return;
	}
	/* At most 6 bytes for each byte ("\u001F"), and the quotes. */
	if (reserve(w, n * JSONW_ESCAPE_MAX + 2) < 0)
		return;
	w->buf[w->len++] = '"';
	w->len += jsonw_escape(w->buf + w->len, s, n);
	w->buf[w->len++] = '"';
}

char *jsonw_finish(struct jsonw *w, size_t *len)
{
	char *p;

	if (w->failed || reserve(w, 0) < 0) {
		free(w->buf);
		w->buf = NULL;
		return NULL;
	}
	w->buf[w->len] = '\0';
	*len = w->len;
	p = w->buf;
	w->buf = NULL;
	return p;
}
