/*
 * note.c - see note.h.  Parsing is a single pass over (pointer, length)
 * with every size bounded; cryptography is libsodium's.
 */
#include "note.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"

/* "— ": U+2014 EM DASH and a space. */
#define SIG_PREFIX     "\xe2\x80\x94 "
#define SIG_PREFIX_LEN 4
/* Key hash and Ed25519 signature, and their base64 (without NUL). */
#define SIG_BLOB_LEN (4 + NOTE_SIG_LEN)
#define SIG_B64_LEN  92
/* The decoded form of the longest base64 a note can hold. */
#define BLOB_MAX (NOTE_MAX / 4 * 3)

/*
 * Decode one UTF-8 sequence at s (len > 0 bytes available): its length
 * (1..4) and code point, or 0 when the bytes are not well-formed UTF-8
 * (overlong forms, surrogates and values above U+10FFFF are refused).
 */
static size_t utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* The white space of Unicode (Go's unicode.IsSpace, which the format follows). */
static int unicode_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0d) || c == 0x20 || c == 0x85 || c == 0xa0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f ||
	       c == 0x205f || c == 0x3000;
}

int note_name_valid(const char *name, size_t len)
{
	const unsigned char *s = (const unsigned char *)name;
	size_t i = 0, n;
	uint32_t c;

	if (!name || len == 0 || len > NOTE_NAME_MAX)
		return 0;
	while (i < len) {
		n = utf8_next(s + i, len - i, &c);
		if (n == 0 || c < 0x20 || c == 0x7f || c == '+' || unicode_space(c))
			return 0;
		i += n;
	}
	return 1;
}

/* 1 when text[0..len) is UTF-8 with no control character but "\n". */
static int text_valid(const char *text, size_t len, long *bad_line)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, n;
	uint32_t c;
	long line = 1;

	while (i < len) {
		n = utf8_next(s + i, len - i, &c);
		if (n == 0 || (c < 0x20 && c != '\n') || c == 0x7f) {
			*bad_line = line;
			return 0;
		}
		if (c == '\n')
			line++;
		i += n;
	}
	return 1;
}

uint32_t note_key_hash(const char *name, size_t name_len, const uint8_t pk[NOTE_PK_LEN])
{
	crypto_hash_sha256_state st;
	uint8_t h[crypto_hash_sha256_BYTES];
	const uint8_t sep[2] = {'\n', NOTE_ALG_ED25519};

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const uint8_t *)name, name_len);
	crypto_hash_sha256_update(&st, sep, sizeof(sep));
	crypto_hash_sha256_update(&st, pk, NOTE_PK_LEN);
	crypto_hash_sha256_final(&st, h);
	return (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 | (uint32_t)h[2] << 8 | h[3];
}

static int verifier_set(struct note_verifier *v, const char *name, size_t name_len,
                        const uint8_t pk[NOTE_PK_LEN], struct err *e)
{
	if (!note_name_valid(name, name_len)) {
		err_input(e, "密钥名称无效（须为 1 至 %d 字节、不含空白和“+”的 UTF-8）",
		          NOTE_NAME_MAX);
		return -1;
	}
	memcpy(v->name, name, name_len);
	v->name[name_len] = '\0';
	v->name_len = name_len;
	memcpy(v->pk, pk, NOTE_PK_LEN);
	v->hash = note_key_hash(name, name_len, pk);
	return 0;
}

int note_verifier_init(struct note_verifier *v, const char *name, const uint8_t pk[NOTE_PK_LEN],
                       struct err *e)
{
	return verifier_set(v, name, name ? strlen(name) : 0, pk, e);
}

size_t note_vkey_format(const struct note_verifier *v, char out[NOTE_VKEY_MAX + 1])
{
	uint8_t key[1 + NOTE_PK_LEN];
	char b64[sodium_base64_ENCODED_LEN(1 + NOTE_PK_LEN, sodium_base64_VARIANT_ORIGINAL)];
	int n;

	key[0] = NOTE_ALG_ED25519;
	memcpy(key + 1, v->pk, NOTE_PK_LEN);
	sodium_bin2base64(b64, sizeof(b64), key, sizeof(key), sodium_base64_VARIANT_ORIGINAL);
	n = snprintf(out, NOTE_VKEY_MAX + 1, "%s+%08lx+%s", v->name, (unsigned long)v->hash, b64);
	return n < 0 ? 0 : (size_t)n;
}

/* Strict base64 (padded, canonical) of s[0..len) into out; the decoded length, or -1. */
static long b64_read(const char *s, size_t len, uint8_t *out, size_t cap)
{
	size_t n = 0;

	return b64_decode(s, len, B64_STANDARD, out, cap, &n) == 0 ? (long)n : -1;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int note_vkey_parse(const char *s, size_t len, struct note_verifier *v, struct err *e)
{
	struct note_verifier w;
	const char *p1, *p2;
	uint8_t key[1 + NOTE_PK_LEN + 1];
	uint32_t hash = 0;
	size_t name_len, i;
	long n;
	int d;

	if (!s || len == 0 || len > NOTE_VKEY_MAX)
		return err_input(e, "验证密钥格式错误：应为“名称+哈希+公钥”");
	p1 = memchr(s, '+', len);
	if (!p1)
		return err_input(e, "验证密钥格式错误：应为“名称+哈希+公钥”");
	name_len = (size_t)(p1 - s);
	p2 = memchr(p1 + 1, '+', len - name_len - 1);
	if (!p2 || p2 - p1 - 1 != 8)
		return err_input(e, "验证密钥格式错误：密钥哈希应为 8 位十六进制数");
	for (i = 1; i <= 8; i++) {
		d = hex_digit(p1[i]);
		if (d < 0)
			return err_input(e, "验证密钥格式错误：密钥哈希应为 8 位十六进制数");
		hash = hash << 4 | (uint32_t)d;
	}
	n = b64_read(p2 + 1, len - (size_t)(p2 + 1 - s), key, sizeof(key));
	if (n != 1 + NOTE_PK_LEN || key[0] != NOTE_ALG_ED25519)
		return err_input(e, "验证密钥格式错误：公钥应为 base64 编码的 Ed25519 公钥");
	if (verifier_set(&w, s, name_len, key + 1, e) != 0)
		return -1;
	if (w.hash != hash)
		return err_input(e, "验证密钥的哈希与名称和公钥不符");
	*v = w;
	return 0;
}

/* Body rules shared by signing and opening: non-empty lines, each ending in "\n". */
static int body_valid(const char *body, size_t len, long *bad_line)
{
	size_t i;
	long line = 1;

	*bad_line = 1;
	if (len == 0 || body[len - 1] != '\n')
		return 0;
	if (!text_valid(body, len, bad_line))
		return 0;
	for (i = 0; i < len; i++) {
		if (body[i] != '\n')
			continue;
		if (i == 0 || body[i - 1] == '\n') {
			*bad_line = line;
			return 0;
		}
		line++;
	}
	return 1;
}

int note_sign_with(const char *body, size_t body_len, const char *key_name,
                   const uint8_t pk[NOTE_PK_LEN], note_sign_fn sign, void *ctx, char *out,
                   size_t cap, size_t *out_len, struct err *e)
{
	struct note_verifier v;
	uint8_t blob[SIG_BLOB_LEN];
	char b64[SIG_B64_LEN + 1];
	size_t need;
	long bad;

	if (sodium_init() < 0)
		return err_system(e, "libsodium 初始化失败");
	if (!body_valid(body, body_len, &bad))
		return err_input(e,
		                 "待签名的正文无效：每行须非空、以换行结束，且为不含控制字符的 "
		                 "UTF-8（第 %ld 行）",
		                 bad);
	if (note_verifier_init(&v, key_name, pk, e) != 0)
		return -1;
	need = body_len + 1 + SIG_PREFIX_LEN + v.name_len + 1 + SIG_B64_LEN + 1;
	if (need > NOTE_MAX)
		return err_input(e, "签名后的文本超过 %d 字节", NOTE_MAX);
	if (need + 1 > cap)
		return err_system(e, "签名文本的缓冲区太小");
	blob[0] = (uint8_t)(v.hash >> 24);
	blob[1] = (uint8_t)(v.hash >> 16);
	blob[2] = (uint8_t)(v.hash >> 8);
	blob[3] = (uint8_t)v.hash;
	if (sign(ctx, (const uint8_t *)body, body_len, blob + 4, e) != 0)
		return -1;
	sodium_bin2base64(b64, sizeof(b64), blob, sizeof(blob), sodium_base64_VARIANT_ORIGINAL);
	memcpy(out, body, body_len);
	snprintf(out + body_len, cap - body_len, "\n" SIG_PREFIX "%s %s\n", v.name, b64);
	*out_len = need;
	return 0;
}

/* A note_sign_fn over a libsodium secret key in memory (ctx). */
static int sign_with_sk(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[NOTE_SIG_LEN],
                        struct err *e)
{
	if (crypto_sign_detached(sig, NULL, msg, len, ctx) != 0)
		return err_system(e, "签名失败");
	return 0;
}

int note_sign(const char *body, size_t body_len, const char *key_name,
              const uint8_t sk[NOTE_SK_LEN], char *out, size_t cap, size_t *out_len, struct err *e)
{
	return note_sign_with(body, body_len, key_name, sk + 32, sign_with_sk, (void *)sk, out, cap,
	                      out_len, e);
}

int note_open(const char *text, size_t len, const struct note_verifier *v, size_t *body_len,
              struct err *e)
{
	static uint8_t dummy;
	uint8_t blob[BLOB_MAX];
	const char *p, *end, *nl, *sp;
	size_t blen = 0, i;
	long line, bad, n;
	int nsigs = 0, verified = 0;

	if (sodium_init() < 0)
		return err_system(e, "libsodium 初始化失败");
	if (!text)
		text = (const char *)&dummy;
	if (len > NOTE_MAX)
		return err_input(e, "签名文本超过 %d 字节", NOTE_MAX);
	if (!text_valid(text, len, &bad)) {
		err_input(e, "签名文本含有控制字符或不是有效的 UTF-8");
		err_at(e, bad, NULL, 0);
		return -1;
	}
	/* The body ends at the first blank line. */
	for (i = 0; i + 1 < len; i++)
		if (text[i] == '\n' && text[i + 1] == '\n')
			break;
	if (i + 1 >= len)
		return err_input(e, "签名文本缺少正文与签名之间的空行");
	blen = i + 1;
	if (!body_valid(text, blen, &bad)) {
		err_input(e, "签名文本的正文为空或含有空行");
		err_at(e, bad, NULL, 0);
		return -1;
	}
	line = 1;
	for (i = 0; i < blen; i++)
		line += text[i] == '\n';
	/* line is now the blank separator line; signatures follow it. */
	p = text + blen + 1;
	end = text + len;
	if (p == end)
		return err_input(e, "签名文本没有签名行");
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl) {
			err_input(e, "签名行没有以换行结束");
			err_at(e, line, NULL, 0);
			return -1;
		}
		if (++nsigs > NOTE_MAX_SIGS) {
			err_input(e, "签名行超过 %d 行", NOTE_MAX_SIGS);
			err_at(e, line, NULL, 0);
			return -1;
		}
		if (nl - p < SIG_PREFIX_LEN || memcmp(p, SIG_PREFIX, SIG_PREFIX_LEN) != 0) {
			err_input(e, "签名行应以“— ”开头");
			err_at(e, line, NULL, 0);
			return -1;
		}
		p += SIG_PREFIX_LEN;
		sp = memchr(p, ' ', (size_t)(nl - p));
		if (!sp || !note_name_valid(p, (size_t)(sp - p))) {
			err_input(e, "签名行的密钥名称无效");
			err_at(e, line, NULL, 0);
			return -1;
		}
		n = b64_read(sp + 1, (size_t)(nl - sp - 1), blob, sizeof(blob));
		if (n < 5) {
			err_input(e, "签名行的签名不是有效的 base64");
			err_at(e, line, NULL, 0);
			return -1;
		}
		if ((size_t)(sp - p) == v->name_len && memcmp(p, v->name, v->name_len) == 0 &&
		    ((uint32_t)blob[0] << 24 | (uint32_t)blob[1] << 16 | (uint32_t)blob[2] << 8 |
		     blob[3]) == v->hash) {
			if (verified) {
				err_input(e, "密钥 %s 的签名重复", v->name);
				err_at(e, line, NULL, 0);
				return -1;
			}
			if (n != SIG_BLOB_LEN ||
			    crypto_sign_verify_detached(blob + 4, (const uint8_t *)text, blen,
			                                v->pk) != 0) {
				err_input(e, "密钥 %s 的签名无效：文本被改动或签名是伪造的",
				          v->name);
				err_at(e, line, NULL, 0);
				return -1;
			}
			verified = 1;
		}
		p = nl + 1;
	}
	if (!verified)
		return err_input(e, "签名文本没有密钥 %s（%08lx）的签名", v->name,
		                 (unsigned long)v->hash);
	*body_len = blen;
	return 0;
}
