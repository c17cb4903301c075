/*
 * text.c - loading text files and converting them to UTF-8 (see text.h).
 *
 * Detection order: a BOM decides (UTF-8, UTF-16LE, UTF-16BE); otherwise
 * valid UTF-8 is taken as is and anything else is tried as GB18030, which
 * is a superset of the GBK that Excel writes on Chinese Windows.  Plain
 * GBK text is almost never valid UTF-8, so trying UTF-8 first is safe.
 */
#include "text.h"

#include "file.h"

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MSG_NOMEM     "内存不足"
#define MSG_BINARY    "二进制文件，不是CSV文本"
#define MSG_UNKNOWN   "文件编码无法识别：既不是UTF-8也不是GBK/GB18030"
#define MSG_BAD_UTF8  "文件以UTF-8标记（BOM）开头，但含有无效的UTF-8字节"
#define MSG_BAD_UTF16 "文件以UTF-16标记（BOM）开头，但含有无效的UTF-16字符"

/*
 * Physical lines ended in p[0..n): LF, CRLF and a lone CR each end one, the
 * same rule the CSV reader counts by, so error lines agree with it.
 */
static long count_lines(const char *p, size_t n)
{
	long lines = 0;
	const char *end = p + n;

	while (p < end) {
		const char *lf = memchr(p, '\n', (size_t)(end - p));
		const char *stop = lf ? lf : end;
		const char *cr = p;

		/* A CR is rare; only look for one inside the current line. */
		while ((cr = memchr(cr, '\r', (size_t)(stop - cr))) != NULL) {
			if (cr + 1 < stop || !lf)
				lines++;
			cr++;
		}
		if (!lf)
			break;
		lines++;
		p = lf + 1;
	}
	return lines;
}

int utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned c = p[i];
		unsigned lo = 0x80, hi = 0xBF;
		size_t need;

		if (c < 0x80) {
			/* ASCII fast path: most of a roster is digits and Latin. */
			i++;
			while (i + 16 <= len) {
				uint64_t a, b;

				memcpy(&a, p + i, 8);
				memcpy(&b, p + i + 8, 8);
				if ((a | b) & UINT64_C(0x8080808080808080))
					break;
				i += 16;
			}
			while (i < len && p[i] < 0x80)
				i++;
			continue;
		}
		if (c < 0xC2) {
			goto bad; /* continuation byte or overlong 2-byte lead */
		} else if (c < 0xE0) {
			need = 1;
		} else if (c < 0xF0) {
			need = 2;
			if (c == 0xE0)
				lo = 0xA0; /* overlong */
			else if (c == 0xED)
				hi = 0x9F; /* UTF-16 surrogates */
		} else if (c < 0xF5) {
			need = 3;
			if (c == 0xF0)
				lo = 0x90; /* overlong */
			else if (c == 0xF4)
				hi = 0x8F; /* beyond U+10FFFF */
		} else {
			goto bad;
		}
		if (len - i <= need)
			goto bad; /* truncated */
		if (p[i + 1] < lo || p[i + 1] > hi)
			goto bad;
		if (need >= 2 && (p[i + 2] & 0xC0) != 0x80)
			goto bad;
		if (need == 3 && (p[i + 3] & 0xC0) != 0x80)
			goto bad;
		i += need + 1;
	}
	return 1;
bad:
	if (bad)
		*bad = i;
	return 0;
}

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

void text_trim(const char **s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)*s;
	size_t n = *len;

	for (;;) {
		if (n >= 1 && is_ascii_space(p[0])) {
			p++;
			n--;
		} else if (n >= 3 && p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 3;
			n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (n >= 1 && is_ascii_space(p[n - 1]))
			n--;
		else if (n >= 3 && p[n - 3] == 0xE3 && p[n - 2] == 0x80 && p[n - 1] == 0x80)
			n -= 3;
		else
			break;
	}
	*s = (const char *)p;
	*len = n;
}

/* Bytes of the UTF-8 character at p[0..avail), or 0 when none starts there. */
static size_t utf8_char_size(const unsigned char *p, size_t avail)
{
	size_t size = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;

	if (p[0] < 0x80)
		return 1;
	return size <= avail && utf8_valid((const char *)p, size, NULL) ? size : 0;
}

size_t text_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n = 0, size;

	for (; i < len; i += size ? size : 1, n++)
		size = utf8_char_size(p + i, len - i);
	return n;
}

size_t text_refused_char(const char *s, size_t len, int (*allowed)(unsigned char c, size_t index),
                         char name[TEXT_CHAR_NAME_SIZE])
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, index = 0, size;

	name[0] = '\0';
	for (; i < len; i += size ? size : 1, index++) {
		size = utf8_char_size(p + i, len - i);
		if (allowed(p[i], index))
			continue;
		if (!size)
			snprintf(name, TEXT_CHAR_NAME_SIZE, "0x%02X", p[i]);
		else if (p[i] < 0x20 || p[i] == 0x7f)
			snprintf(name, TEXT_CHAR_NAME_SIZE, "U+%04X", p[i]);
		else
			snprintf(name, TEXT_CHAR_NAME_SIZE, "“%.*s”", (int)size, s + i);
		return index + 1;
	}
	return 0;
}

const char *text_encoding_name(enum text_encoding e)
{
	switch (e) {
	case TEXT_UTF8:
		return "UTF-8";
	case TEXT_UTF8_BOM:
		return "UTF-8 BOM";
	case TEXT_GB18030:
		return "GB18030";
	case TEXT_UTF16LE:
		return "UTF-16LE";
	case TEXT_UTF16BE:
		return "UTF-16BE";
	}
	return "?";
}

void text_release(struct text *t)
{
	if (!t)
		return;
	free(t->data);
	t->data = NULL;
	t->len = 0;
	t->encoding = TEXT_UTF8;
}

/*
 * Convert in[0..inlen) from `from` to UTF-8 into a new NUL-terminated
 * buffer.  Returns 0 on success, 1 when the input is not valid in `from`
 * (*bad = offset where conversion stopped), -1 on a system error.
 */
static int convert(const char *from, const char *in, size_t inlen, char **out, size_t *outlen,
                   size_t *bad, struct err *err)
{
	iconv_t cd;
	char *buf = NULL, *o, *inp = (char *)in;
	size_t cap, oleft, inleft = inlen;
	int rc = -1;

	cd = iconv_open("UTF-8", from);
	if (cd == (iconv_t)-1)
		return err_system(err, "无法转换字符编码%s：%s", from, err_errno_text(errno));
	/* GB18030 and UTF-16 never grow by more than half in UTF-8. */
	cap = inlen + inlen / 2 + 16;
	buf = malloc(cap);
	if (!buf) {
		err_system(err, MSG_NOMEM);
		goto out;
	}
	o = buf;
	oleft = cap - 1;
	while (inleft > 0) {
		if (iconv(cd, &inp, &inleft, &o, &oleft) != (size_t)-1)
			break;
		if (errno == E2BIG) {
			size_t used = (size_t)(o - buf);
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				err_system(err, MSG_NOMEM);
				goto out;
			}
			buf = nb;
			cap *= 2;
			o = buf + used;
			oleft = cap - 1 - used;
		} else if (errno == EILSEQ || errno == EINVAL) {
			*bad = (size_t)(inp - in);
			rc = 1;
			goto out;
		} else {
			err_system(err, "字符编码转换失败：%s", err_errno_text(errno));
			goto out;
		}
	}
	*o = '\0';
	*outlen = (size_t)(o - buf);
	*out = buf;
	buf = NULL;
	rc = 0;
out:
	free(buf);
	iconv_close(cd);
	return rc;
}

/* The line (1-based) of byte offset off in UTF-16 text u[0..n). */
static long utf16_line(const unsigned char *u, size_t n, size_t off, int big_endian)
{
	long lines = 0;
	size_t i;

	if (off > n)
		off = n;
	for (i = 0; i + 1 < off; i += 2) {
		unsigned unit = big_endian ? (unsigned)(u[i] << 8 | u[i + 1])
		                           : (unsigned)(u[i + 1] << 8 | u[i]);
		unsigned next = 0;

		if (i + 3 < n)
			next = big_endian ? (unsigned)(u[i + 2] << 8 | u[i + 3])
			                  : (unsigned)(u[i + 3] << 8 | u[i + 2]);
		if (unit == '\n' || (unit == '\r' && next != '\n'))
			lines++;
	}
	return lines + 1;
}

/*
 * Decode p[0..len) into out.  When adopt is not NULL, p points into adopt,
 * a malloc'd buffer with room for len + 1 bytes from p; it is reused for
 * UTF-8 input (saving a copy of a large file) and freed otherwise.
 */
static int decode(const char *p, size_t len, char *adopt, struct text *out, struct err *err)
{
	const unsigned char *u = (const unsigned char *)p;
	enum text_encoding enc = TEXT_UTF8;
	size_t bad = 0, gbad = 0, n;
	const char *nul;
	char *conv = NULL;
	int rc = -1, c;

	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		int be = u[0] == 0xFE;

		enc = be ? TEXT_UTF16BE : TEXT_UTF16LE;
		c = convert(be ? "UTF-16BE" : "UTF-16LE", p + 2, len - 2, &conv, &n, &bad, err);
		if (c < 0)
			goto out;
		if (c > 0) {
			err_input(err, MSG_BAD_UTF16);
			err_at(err, utf16_line(u + 2, len - 2, bad, be), NULL, 0);
			goto out;
		}
		/* U+0000 is as binary in UTF-16 as a NUL byte is elsewhere. */
		nul = memchr(conv, '\0', n);
		if (nul) {
			err_input(err, MSG_BINARY);
			err_at(err, count_lines(conv, (size_t)(nul - conv)) + 1, NULL, 0);
			goto out;
		}
		if (!utf8_valid(conv, n, &bad)) {
			err_input(err, MSG_BAD_UTF16);
			err_at(err, count_lines(conv, bad) + 1, NULL, 0);
			goto out;
		}
		goto done;
	}
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		enc = TEXT_UTF8_BOM;
		p += 3;
		len -= 3;
	}
	nul = memchr(p, '\0', len);
	if (nul) {
		err_input(err, MSG_BINARY);
		err_at(err, count_lines(p, (size_t)(nul - p)) + 1, NULL, 0);
		goto out;
	}
	if (utf8_valid(p, len, &bad)) {
		if (adopt) {
			if (p != adopt)
				memmove(adopt, p, len);
			conv = adopt;
			adopt = NULL;
		} else {
			conv = malloc(len + 1);
			if (!conv) {
				err_system(err, MSG_NOMEM);
				goto out;
			}
			if (len)
				memcpy(conv, p, len);
		}
		conv[len] = '\0';
		n = len;
		goto done;
	}
	if (enc == TEXT_UTF8_BOM) {
		err_input(err, MSG_BAD_UTF8);
		err_at(err, count_lines(p, bad) + 1, NULL, 0);
		goto out;
	}
	enc = TEXT_GB18030;
	c = convert("GB18030", p, len, &conv, &n, &gbad, err);
	if (c < 0)
		goto out;
	if (c > 0) {
		/*
		 * Neither decodes.  Name the place where the encoding that got
		 * further stopped: that is the file's encoding, damaged there.
		 */
		if (gbad > bad)
			bad = gbad;
		err_input(err, MSG_UNKNOWN);
		err_at(err, count_lines(p, bad) + 1, NULL, 0);
		goto out;
	}
done:
	out->data = conv;
	out->len = n;
	out->encoding = enc;
	conv = NULL;
	rc = 0;
out:
	free(conv);
	free(adopt);
	return rc;
}

int text_from_memory(const char *p, size_t len, struct text *out, struct err *err)
{
	out->data = NULL;
	out->len = 0;
	out->encoding = TEXT_UTF8;
	if (!p)
		len = 0;
	return decode(len ? p : "", len, NULL, out, err);
}

int text_load(const char *path, size_t max, struct text *out, struct err *err)
{
	char *buf = NULL;
	size_t len = 0;

	out->data = NULL;
	out->len = 0;
	out->encoding = TEXT_UTF8;
	if (file_load(path, max, &buf, &len, err) < 0)
		return -1;
	return decode(buf, len, buf, out, err); /* decode takes buf */
}
