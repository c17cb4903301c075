/*
 * jsonw.h - a JSON text written straight into a growing buffer, for hot
 * answers whose shape is fixed (the public verify route).  The bytes are
 * exactly those jansson's json_dumps writes with JSON_COMPACT |
 * JSON_PRESERVE_ORDER for the same object: no spaces; in strings '"' and
 * '\' escaped with a backslash, \b \f \n \r \t by name, every other byte
 * below 0x20 as \u00XX (upper-case hex); '/', DEL and everything
 * non-ASCII as they are.  A string that is not valid UTF-8 (which
 * json_string refuses) fails the writer, as does running out of memory:
 * the caller then builds the answer some other way.
 */
#ifndef OPCERT_JSONW_H
#define OPCERT_JSONW_H

#include <stddef.h>

struct jsonw {
	char *buf;
	size_t len, cap;
	int failed;
};

/* An empty writer with room for about cap bytes (allocated on first use). */
void jsonw_init(struct jsonw *w, size_t cap);
/* s[0..len) as it is: punctuation and keys already in JSON. */
void jsonw_raw(struct jsonw *w, const char *s, size_t len);
/* A literal as it is (a string constant). */
#define jsonw_lit(w, s) jsonw_raw((w), (s), sizeof(s) - 1)
/* s as a JSON string; NULL or invalid UTF-8 fails the writer. */
void jsonw_string(struct jsonw *w, const char *s);
/* The body of s[0..n) as a JSON string without its quotes, escaped as
 * above, into out, which has room for n * JSONW_ESCAPE_MAX bytes; the
 * bytes written.  (Other writers of JSON text share it; it does not check
 * UTF-8.) */
#define JSONW_ESCAPE_MAX 6 /* "\u001F" */
size_t jsonw_escape(char *out, const char *s, size_t n);
/* The text (malloc'd, NUL-terminated, length in *len), or NULL when the
 * writer failed (its buffer is freed either way). */
char *jsonw_finish(struct jsonw *w, size_t *len);

#endif
