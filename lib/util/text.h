/*
 * text.h - loading text files as Chinese Windows users produce them.
 *
 * Input may be UTF-8 with or without BOM, GBK/GB18030 (what Excel writes by
 * default on Chinese Windows), or UTF-16 with BOM (Excel's "Unicode text").
 * Everything is converted to UTF-8 without BOM in memory.  A file that holds
 * NUL bytes (outside UTF-16) is binary and refused; a file that is neither
 * valid UTF-8 nor valid GB18030 is refused naming the first bad line.
 */
#ifndef OPCERT_TEXT_H
#define OPCERT_TEXT_H

#include <stddef.h>

#include "err.h"

enum text_encoding {
	TEXT_UTF8 = 0,
	TEXT_UTF8_BOM,
	TEXT_GB18030,
	TEXT_UTF16LE,
	TEXT_UTF16BE,
};

struct text {
	char *data; /* UTF-8, NUL-terminated, owned */
	size_t len; /* without the NUL */
	enum text_encoding encoding;
};

#define TEXT_MAX_DEFAULT ((size_t)1 << 30) /* 1 GiB */

/* Read path (at most max bytes, else an input error) and convert. */
int text_load(const char *path, size_t max, struct text *out, struct err *err);
/* Same for bytes already in memory (the server's request bodies, fuzzing). */
int text_from_memory(const char *p, size_t len, struct text *out, struct err *err);
void text_release(struct text *t);

const char *text_encoding_name(enum text_encoding e); /* "UTF-8", "GB18030" */

/* 1 when s[0..len) is valid UTF-8 (no overlongs, no surrogates); when not,
 * *bad (if not NULL) is set to the offset of the first bad byte. */
int utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * The trim rule of every field, wherever it is typed (files, forms,
 * arguments, scans): ASCII white space (space, \t, \n, \v, \f, \r) and
 * U+3000 (the ideographic space Chinese input methods type for a space)
 * are removed from both ends, repeatedly, in any mix; nothing else is (not
 * U+00A0, not the other Unicode spaces, nothing inside).  Adjusts *s and
 * *len; the bytes are not touched.
 */
void text_trim(const char **s, size_t *len);

/* Characters in s[0..len), each byte that starts no UTF-8 character
 * counting as one (as text_refused_char counts them). */
size_t text_chars(const char *s, size_t len);

/* Room for what text_refused_char names: “ + 4 bytes + ” and a NUL. */
#define TEXT_CHAR_NAME_SIZE 16

/*
 * The first character of s[0..len) that allowed() refuses, for messages
 * such as 含有非法字符“０”（第7位）.  allowed() sees each character's first
 * byte (0x80 or more for every non-ASCII character) and its index counted in
 * characters from 0.  The character is named in name: itself in quotes
 * (“０”), U+0009 for a control character, 0xFF for a byte that starts no
 * UTF-8 character.  Returns its position counted from 1, or 0 (name "")
 * when allowed() takes every character.
 */
size_t text_refused_char(const char *s, size_t len, int (*allowed)(unsigned char c, size_t index),
                         char name[TEXT_CHAR_NAME_SIZE]);

#endif
