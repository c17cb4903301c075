/*
 * cred.c - signed credentials: claims in deterministic CBOR, signed as a
 * COSE_Sign1, deflated, Base45-encoded and prefixed "OC1:"; verification
 * against a trust list; the URL form printed in the QR code and the
 * classifier that tells the official verifier's URL from any other.
 *
 * Threat model: whoever prints a QR code controls every byte of it and the
 * website it points to.  So every length is capped before work is done
 * (text, Base45, inflated size), the claims parser is reachable only after
 * the signature verified, and a URL that is not exactly the official
 * verifier's is never decoded.
 */
#include "cred.h"

#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <sodium.h>
#include <zlib.h>

#include "b45.h"
#include "cose.h"
#include "date.h"
#include "keys.h"
#include "sm2.h"
#include "text.h"

enum claim_key {
	K_VERSION = 0,
	K_NUMBER = 1,
	K_NAME = 2,
	K_GENDER = 3,
	K_ID_MASKED = 4,
	K_ID_SALT = 5,
	K_ID_HASH = 6,
	K_TRADE = 7,
	K_ISSUED_ON = 8,
	K_VALID_UNTIL = 9,
	K_REVIEW_DUE = 10,
	K_ISSUER = 11,
	K_PHOTO_HASH = 12,
	K_STATUS_INDEX = 13,
	K_IAT = 14,
	K_COUNT = 15,
};

/* Keys every credential carries (10 and 12 are optional). */
#define REQUIRED_KEYS (0x7fffu & ~((1u << K_REVIEW_DUE) | (1u << K_PHOTO_HASH)))

#define PREFIX_LEN (sizeof(CRED_PREFIX) - 1)

/* ---- field checks ------------------------------------------------------ */

/* Well-formed UTF-8 without control characters. */
static int utf8_clean(const unsigned char *s, size_t n)
{
	size_t i = 0, k, more;
	uint32_t cp, min;

	while (i < n) {
		unsigned char c = s[i];

		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			more = 1;
			cp = c & 0x1f;
			min = 0x80;
		} else if (c >= 0xe0 && c <= 0xef) {
			more = 2;
			cp = c & 0x0f;
			min = 0x800;
		} else if (c >= 0xf0 && c <= 0xf4) {
			more = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else {
			return 0;
		}
		if (n - i - 1 < more)
			return 0;
		for (k = 1; k <= more; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += more + 1;
	}
	return 1;
}

/* A NUL-terminated text field of 1..size-1 clean UTF-8 bytes. */
static int text_ok(const char *s, size_t size)
{
	size_t n = strnlen(s, size);

	return n > 0 && n < size && utf8_clean((const unsigned char *)s, n);
}

/* 1..size-1 printable ASCII characters other than space. */
static int token_ok(const char *s, size_t size)
{
	size_t i, n = strnlen(s, size);

	if (n == 0 || n >= size)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			return 0;
	return 1;
}

/* Eighteen characters of digits, X and '*'. */
static int masked_id_ok(const char *s)
{
	size_t i;

	if (strnlen(s, IDNUM_SIZE) != IDNUM_LEN)
		return 0;
	for (i = 0; i < IDNUM_LEN; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || s[i] == 'X' || s[i] == '*'))
			return 0;
	return 1;
}

static int day_ok(int32_t day)
{
	return day >= date_from_ymd(DATE_MIN_YEAR, 1, 1) &&
	       day <= date_from_ymd(DATE_MAX_YEAR, 12, 31);
}

static int claims_check(const struct cred_claims *c, struct err *err)
{
	if (c->version != CRED_VERSION)
		return err_input(err, "凭证版本 %d 不受支持", c->version);
	if (!text_ok(c->number, sizeof(c->number)))
		return err_input(err, "凭证的证书编号为空、过长或含非法字符");
	if (!text_ok(c->name, sizeof(c->name)))
		return err_input(err, "凭证的姓名为空、过长或含非法字符");
	if (c->gender != GENDER_MALE && c->gender != GENDER_FEMALE)
		return err_input(err, "凭证的性别无效");
	if (!masked_id_ok(c->id_masked))
		return err_input(err, "凭证的脱敏身份证号格式错误");
	if (!token_ok(c->trade, sizeof(c->trade)))
		return err_input(err, "凭证的工种代码为空、过长或含非法字符");
	if (!day_ok(c->issued_on) || !day_ok(c->valid_until))
		return err_input(err, "凭证的发证日期或有效期无效");
	if (c->review_due != DATE_NONE && !day_ok(c->review_due))
		return err_input(err, "凭证的复审日期无效");
	if (!token_ok(c->issuer_code, sizeof(c->issuer_code)))
		return err_input(err, "凭证的发证机关代码为空、过长或含非法字符");
	if (c->iat < 0)
		return err_input(err, "凭证的签发时间无效");
	return 0;
}

/* ---- claims: encoding ---------------------------------------------------- */

static cbor_item_t *build_uint(uint64_t u)
{
	if (u <= 0xff)
		return cbor_build_uint8((uint8_t)u);
	if (u <= 0xffff)
		return cbor_build_uint16((uint16_t)u);
	if (u <= 0xffffffffu)
		return cbor_build_uint32((uint32_t)u);
	return cbor_build_uint64(u);
}

/* A day number: unsigned, or negative before 1970, in shortest form. */
static cbor_item_t *build_day(int32_t day)
{
	uint32_t u;

	if (day >= 0)
		return build_uint((uint64_t)day);
	u = (uint32_t)(-(int64_t)day - 1);
	if (u <= 0xff)
		return cbor_build_negint8((uint8_t)u);
	if (u <= 0xffff)
		return cbor_build_negint16((uint16_t)u);
	return cbor_build_negint32(u);
}

static cbor_item_t *build_text(const char *s)
{
	return cbor_build_stringn(s, strlen(s));
}

/* Add key: value, taking over value's reference (value may be NULL). */
static int put(cbor_item_t *map, unsigned key, cbor_item_t *value)
{
	cbor_item_t *k = cbor_build_uint8((uint8_t)key);
	int ok = k && value && cbor_map_add(map, (struct cbor_pair){.key = k, .value = value});

	if (k)
		cbor_decref(&k);
	if (value)
		cbor_decref(&value);
	return ok ? 0 : -1;
}

int cred_claims_encode(const struct cred_claims *c, uint8_t **out, size_t *out_len, struct err *err)
{
	cbor_item_t *map;
	unsigned char *buf = NULL;
	size_t n = 13, cap = 0, len;
	int ok;

	*out = NULL;
	*out_len = 0;
	if (claims_check(c, err) != 0)
		return -1;
	if (c->review_due != DATE_NONE)
		n++;
	if (c->has_photo)
		n++;
	map = cbor_new_definite_map(n);
	if (!map)
		return err_system(err, "内存不足");
	/* ascending keys: the deterministic order */
	ok =
	    put(map, K_VERSION, build_uint((uint64_t)c->version)) == 0 &&
	    put(map, K_NUMBER, build_text(c->number)) == 0 &&
	    put(map, K_NAME, build_text(c->name)) == 0 &&
	    put(map, K_GENDER, build_uint((uint64_t)c->gender)) == 0 &&
	    put(map, K_ID_MASKED, build_text(c->id_masked)) == 0 &&
	    put(map, K_ID_SALT, cbor_build_bytestring(c->id_salt, CRED_SALT_LEN)) == 0 &&
	    put(map, K_ID_HASH, cbor_build_bytestring(c->id_hash, CRED_HASH_LEN)) == 0 &&
	    put(map, K_TRADE, build_text(c->trade)) == 0 &&
	    put(map, K_ISSUED_ON, build_day(c->issued_on)) == 0 &&
	    put(map, K_VALID_UNTIL, build_day(c->valid_until)) == 0 &&
	    (c->review_due == DATE_NONE || put(map, K_REVIEW_DUE, build_day(c->review_due)) == 0) &&
	    put(map, K_ISSUER, build_text(c->issuer_code)) == 0 &&
	    (!c->has_photo ||
	     put(map, K_PHOTO_HASH, cbor_build_bytestring(c->photo_hash, CRED_HASH_LEN)) == 0) &&
	    put(map, K_STATUS_INDEX, build_uint(c->status_index)) == 0 &&
	    put(map, K_IAT, build_uint((uint64_t)c->iat)) == 0;
	len = ok ? cbor_serialize_alloc(map, &buf, &cap) : 0;
	cbor_decref(&map);
	if (len == 0) {
		free(buf);
		return err_system(err, "内存不足");
	}
	*out = buf;
	*out_len = len;
	return 0;
}

/* ---- claims: building them ---------------------------------------------- */

void cred_claims_init(struct cred_claims *c)
{
	memset(c, 0, sizeof(*c));
	c->version = CRED_VERSION;
	c->issued_on = DATE_NONE;
	c->valid_until = DATE_NONE;
	c->review_due = DATE_NONE;
}

static void id_hash(const uint8_t salt[CRED_SALT_LEN], const char id[IDNUM_LEN],
                    uint8_t out[CRED_HASH_LEN])
{
	crypto_hash_sha256_state st;
	uint8_t full[crypto_hash_sha256_BYTES];

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, salt, CRED_SALT_LEN);
	crypto_hash_sha256_update(&st, (const unsigned char *)id, IDNUM_LEN);
	crypto_hash_sha256_final(&st, full);
	memcpy(out, full, CRED_HASH_LEN);
	sodium_memzero(full, sizeof(full));
	sodium_memzero(&st, sizeof(st));
}

int cred_set_id(struct cred_claims *c, const char *id, const uint8_t salt[CRED_SALT_LEN],
                struct err *err)
{
	char norm[IDNUM_SIZE];

	if (sodium_init() < 0)
		return err_system(err, "libsodium 初始化失败");
	if (!id)
		return err_input(err, "缺少身份证号码");
	idnum_check(id, strlen(id), DATE_NONE, norm);
	if (strlen(norm) != IDNUM_LEN)
		return err_input(err, "身份证号码不是 18 位");
	if (salt)
		memcpy(c->id_salt, salt, CRED_SALT_LEN);
	else
		randombytes_buf(c->id_salt, CRED_SALT_LEN);
	id_hash(c->id_salt, norm, c->id_hash);
	idnum_mask(norm, c->id_masked);
	sodium_memzero(norm, sizeof(norm));
	return 0;
}

int cred_claims_from_cert(struct cred_claims *c, const struct cert *rec, const char *issuer_code,
                          uint32_t status_index, int64_t iat, const uint8_t salt[CRED_SALT_LEN],
                          struct err *err)
{
	cred_claims_init(c);
	/* A T number embeds the full ID number: only its mask is public. */
	certno_mask(rec->number, c->number);
	memcpy(c->name, rec->name, sizeof(c->name));
	c->name[sizeof(c->name) - 1] = '\0';
	if (cred_set_id(c, rec->id_number, salt, err) != 0)
		return -1;
	c->gender =
	    rec->gender != GENDER_NONE ? rec->gender : (enum gender)idnum_gender(rec->id_number);
	memcpy(c->trade, rec->trade, sizeof(c->trade));
	c->trade[sizeof(c->trade) - 1] = '\0';
	c->issued_on = rec->issued_on;
	c->valid_until = rec->valid_until;
	c->review_due = rec->review_due;
	if (!issuer_code || strlen(issuer_code) >= sizeof(c->issuer_code))
		return err_input(err, "发证机关代码为空或过长");
	memcpy(c->issuer_code, issuer_code, strlen(issuer_code) + 1);
	c->status_index = status_index;
	c->iat = iat;
	return claims_check(c, err);
}

void cred_photo_hash(const uint8_t *data, size_t len, uint8_t out[CRED_HASH_LEN])
{
	uint8_t full[crypto_hash_sha256_BYTES];

	/* SHA-256 needs no sodium_init() */
	crypto_hash_sha256(full, data, len);
	memcpy(out, full, CRED_HASH_LEN);
}

int cred_id_matches(const struct cred_claims *c, const char *id_text, size_t len)
{
	char norm[IDNUM_SIZE];
	uint8_t h[CRED_HASH_LEN];
	int same;

	if (!c || !id_text || len > 64)
		return 0;
	idnum_check(id_text, len, DATE_NONE, norm);
	if (strlen(norm) != IDNUM_LEN)
		return 0;
	id_hash(c->id_salt, norm, h);
	same = sodium_memcmp(h, c->id_hash, CRED_HASH_LEN) == 0;
	sodium_memzero(norm, sizeof(norm));
	return same;
}

/* ---- issuing ------------------------------------------------------------- */

int cred_wrap_cose(const uint8_t *cose, size_t len, char **out, struct err *err)
{
	uLongf zlen;
	uint8_t *z;
	size_t tlen;
	char *text;

	*out = NULL;
	if (!cose || len == 0 || len > CRED_COSE_MAX)
		return err_input(err, "COSE 消息长度不在 1..%d 字节之内", CRED_COSE_MAX);
	zlen = compressBound((uLong)len);
	z = malloc(zlen);
	if (!z)
		return err_system(err, "内存不足");
	if (compress2(z, &zlen, cose, (uLong)len, 9) != Z_OK) {
		free(z);
		return err_system(err, "zlib 压缩失败");
	}
	tlen = PREFIX_LEN + b45_encoded_len(zlen);
	text = malloc(tlen + 1);
	if (!text) {
		free(z);
		return err_system(err, "内存不足");
	}
	memcpy(text, CRED_PREFIX, PREFIX_LEN);
	b45_encode(z, zlen, text + PREFIX_LEN, tlen + 1 - PREFIX_LEN);
	free(z);
	*out = text;
	return 0;
}

/* Makes the COSE_Sign1 message of the claims' bytes into a malloc'd *cose. */
typedef int (*cose_maker)(void *arg, const uint8_t *claims, size_t len, uint8_t **cose,
                          size_t *cose_len, struct err *err);

/* The claims encoded, signed through make(arg) and wrapped into "OC1:...". */
static int encode_signed(const struct cred_claims *c, cose_maker make, void *arg, char **out,
                         struct err *err)
{
	uint8_t *claims = NULL, *cose = NULL;
	size_t claims_len = 0, cose_len = 0;
	int rc = -1;

	if (cred_claims_encode(c, &claims, &claims_len, err) != 0)
		return -1;
	if (make(arg, claims, claims_len, &cose, &cose_len, err) != 0)
		goto done;
	if (cose_len > CRED_COSE_MAX) {
		err_input(err, "凭证过长");
		goto done;
	}
	if (cred_wrap_cose(cose, cose_len, out, err) != 0)
		goto done;
	if (strlen(*out) > CRED_TEXT_MAX) {
		free(*out);
		*out = NULL;
		err_input(err, "凭证过长");
		goto done;
	}
	rc = 0;
done:
	free(claims);
	free(cose);
	return rc;
}

struct key_in_memory {
	enum sig_alg alg;
	const uint8_t *kid, *sk;
};

static int make_with_key(void *arg, const uint8_t *claims, size_t len, uint8_t **cose,
                         size_t *cose_len, struct err *err)
{
	const struct key_in_memory *k = arg;

	return k->alg == ALG_SM2
	           ? cose_sign1_encode_sm2(k->kid, k->sk, claims, len, cose, cose_len, err)
	           : cose_sign1_encode_ed25519(k->kid, k->sk, claims, len, cose, cose_len, err);
}

int cred_encode(const struct cred_claims *c, enum sig_alg alg, const uint8_t kid[KID_LEN],
                const uint8_t *sk, char **out, struct err *err)
{
	struct key_in_memory k = {alg, kid, sk};
	uint8_t pk_hash[crypto_hash_sha256_BYTES];

	*out = NULL;
	if (sodium_init() < 0)
		return err_system(err, "libsodium 初始化失败");
	if (alg != ALG_ED25519 && alg != ALG_SM2)
		return err_input(err, "凭证签名算法不受支持");
	if (!sk || !kid)
		return err_input(err, "缺少签名密钥");
	if (alg == ALG_SM2) {
		uint8_t pk[SM2_PK_LEN];

		if (sm2_public(sk, pk, err) != 0)
			return -1;
		crypto_hash_sha256(pk_hash, pk, sizeof(pk));
	} else {
		/* libsodium's secret key ends with its public key */
		crypto_hash_sha256(pk_hash, sk + 32, 32);
	}
	/* the kid must be the id of the signing key */
	if (memcmp(pk_hash, kid, KID_LEN) != 0)
		return err_input(err, "密钥标识与签名密钥不符");
	return encode_signed(c, make_with_key, &k, out, err);
}

/* A cose_sign_fn over a key store signer. */
static int sign_by_signer(void *ctx, const uint8_t *tbs, size_t tbs_len, uint8_t *sig,
                          size_t *sig_len, struct err *err)
{
	return keys_signer_sign(ctx, tbs, tbs_len, sig, sig_len, err);
}

static int make_with_signer(void *arg, const uint8_t *claims, size_t len, uint8_t **cose,
                            size_t *cose_len, struct err *err)
{
	const struct keys_info *ki = keys_signer_info(arg);

	return cose_sign1_encode(ki->alg == ALG_SM2 ? COSE_ALG_SM2 : COSE_ALG_EDDSA, ki->kid,
	                         claims, len, sign_by_signer, arg, cose, cose_len, err);
}

int cred_sign(const struct cred_claims *c, struct keys_signer *s, char **out, struct err *err)
{
	const struct keys_info *ki = keys_signer_info(s);

	*out = NULL;
	if (ki->role != KEYS_ISSUING)
		return err_input(err, "凭证只能用签发密钥签名");
	if (ki->alg != ALG_ED25519 && ki->alg != ALG_SM2)
		return err_input(err, "凭证签名算法不受支持");
	return encode_signed(c, make_with_signer, s, out, err);
}

/* ---- verifying ----------------------------------------------------------- */

const char *cred_result_code(enum cred_result r)
{
	switch (r) {
	case CRED_OK:
		return "ok";
	case CRED_MALFORMED:
		return "malformed";
	case CRED_UNKNOWN_KEY:
		return "unknown_key";
	case CRED_BAD_SIGNATURE:
		return "bad_signature";
	case CRED_KEY_NOT_CURRENT:
		return "key_not_current";
	case CRED_UNSUPPORTED_ALG:
		return "unsupported_alg";
	}
	return "malformed";
}

const char *cred_result_label(enum cred_result r)
{
	switch (r) {
	case CRED_OK:
		return "签名有效";
	case CRED_MALFORMED:
		return "凭证格式错误";
	case CRED_UNKNOWN_KEY:
		return "签名密钥不在信任列表中";
	case CRED_BAD_SIGNATURE:
		return "签名无效";
	case CRED_KEY_NOT_CURRENT:
		return "签发时间不在密钥有效期内";
	case CRED_UNSUPPORTED_ALG:
		return "签名算法不受支持";
	}
	return "凭证格式错误";
}

static int finish(struct cred_check *out, enum cred_result r, const char *reason)
{
	size_t n = strlen(reason);

	if (n >= sizeof(out->reason)) {
		/* cut before a UTF-8 continuation byte, never inside a character */
		n = sizeof(out->reason) - 1;
		while (n > 0 && ((unsigned char)reason[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(out->reason, reason, n);
	out->reason[n] = '\0';
	out->result = r;
	return 0;
}

/* Read a text field of a verified payload into dst. */
static int get_text(const cbor_item_t *it, char *dst, size_t size)
{
	size_t n;

	if (!cbor_isa_string(it) || !cbor_string_is_definite(it))
		return -1;
	n = cbor_string_length(it);
	if (n == 0 || n >= size || memchr(cbor_string_handle(it), '\0', n))
		return -1;
	memcpy(dst, cbor_string_handle(it), n);
	dst[n] = '\0';
	return 0;
}

static int get_bytes16(const cbor_item_t *it, uint8_t dst[16])
{
	if (!cbor_isa_bytestring(it) || !cbor_bytestring_is_definite(it) ||
	    cbor_bytestring_length(it) != 16)
		return -1;
	memcpy(dst, cbor_bytestring_handle(it), 16);
	return 0;
}

static int get_uint(const cbor_item_t *it, uint64_t max, uint64_t *v)
{
	if (!cbor_isa_uint(it) || cbor_get_int(it) > max)
		return -1;
	*v = cbor_get_int(it);
	return 0;
}

static int get_day(const cbor_item_t *it, int32_t *day)
{
	uint64_t u;

	if (cbor_isa_uint(it)) {
		u = cbor_get_int(it);
		if (u > INT32_MAX)
			return -1;
		*day = (int32_t)u;
	} else if (cbor_isa_negint(it)) {
		u = cbor_get_int(it);
		if (u > INT32_MAX - 1)
			return -1;
		*day = -1 - (int32_t)u;
	} else {
		return -1;
	}
	return day_ok(*day) ? 0 : -1;
}

static int get_field(const struct cbor_pair *pair, unsigned key, struct cred_claims *c)
{
	const cbor_item_t *v = pair->value;
	uint64_t u;

	switch (key) {
	case K_VERSION:
		if (get_uint(v, CRED_VERSION, &u) != 0)
			return -1;
		c->version = (int)u;
		return 0;
	case K_NUMBER:
		return get_text(v, c->number, sizeof(c->number));
	case K_NAME:
		return get_text(v, c->name, sizeof(c->name));
	case K_GENDER:
		if (get_uint(v, GENDER_FEMALE, &u) != 0)
			return -1;
		c->gender = (enum gender)u;
		return 0;
	case K_ID_MASKED:
		return get_text(v, c->id_masked, sizeof(c->id_masked));
	case K_ID_SALT:
		return get_bytes16(v, c->id_salt);
	case K_ID_HASH:
		return get_bytes16(v, c->id_hash);
	case K_TRADE:
		return get_text(v, c->trade, sizeof(c->trade));
	case K_ISSUED_ON:
		return get_day(v, &c->issued_on);
	case K_VALID_UNTIL:
		return get_day(v, &c->valid_until);
	case K_REVIEW_DUE:
		return get_day(v, &c->review_due);
	case K_ISSUER:
		return get_text(v, c->issuer_code, sizeof(c->issuer_code));
	case K_PHOTO_HASH:
		c->has_photo = 1;
		return get_bytes16(v, c->photo_hash);
	case K_STATUS_INDEX:
		if (get_uint(v, UINT32_MAX, &u) != 0)
			return -1;
		c->status_index = (uint32_t)u;
		return 0;
	case K_IAT:
		if (get_uint(v, INT64_MAX, &u) != 0)
			return -1;
		c->iat = (int64_t)u;
		return 0;
	default:
		return -1;
	}
}

/*
 * The claims of a payload whose signature has verified.  Only
 * check_signed() calls this, after crypto_sign_verify_detached succeeded:
 * nothing else in this file reads a payload.  The parse is strict, so
 * that the claims have one encoding only and re-encode to exactly the bytes
 * that were signed: the pre-check allows shortest forms and definite
 * lengths only, keys must ascend strictly, every value has exactly one type
 * and no text may hold a NUL (fuzz/fuzz_cred.c holds the parser to this).
 * Returns 0, 1 when the claims are malformed, -1 when out of memory.
 */
static int parse_verified_claims(const uint8_t *p, size_t n, struct cred_claims *c)
{
	struct cbor_load_result res;
	cbor_item_t *map;
	struct cbor_pair *pairs;
	size_t i, count;
	unsigned seen = 0;
	uint64_t key;
	int64_t prev = -1;
	struct err e;
	int rc = 1;

	cred_claims_init(c);
	if (cose_cbor_check(p, n, 1) != 0)
		return 1;
	map = cbor_load(p, n, &res);
	if (!map)
		return res.error.code == CBOR_ERR_MEMERROR ? -1 : 1;
	if (res.read != n || !cbor_isa_map(map) || !cbor_map_is_definite(map))
		goto done;
	count = cbor_map_size(map);
	pairs = cbor_map_handle(map);
	for (i = 0; i < count; i++) {
		/* ascending keys, each at most once */
		if (get_uint(pairs[i].key, K_COUNT - 1, &key) != 0 || (int64_t)key <= prev)
			goto done;
		prev = (int64_t)key;
		seen |= 1u << key;
		if (get_field(&pairs[i], (unsigned)key, c) != 0)
			goto done;
	}
	if ((seen & REQUIRED_KEYS) != REQUIRED_KEYS || claims_check(c, &e) != 0)
		goto done;
	rc = 0;
done:
	cbor_decref(&map);
	if (rc != 0)
		cred_claims_init(c);
	return rc;
}

/* Signature, then claims, then the key's period. */
static int check_signed(const struct cose_sign1 *m, const struct trust_key *key,
                        struct cred_check *out)
{
	struct cred_claims c;
	int rc, ok;

	/* a credential whose algorithm is not its key's is forged, whatever it verifies against */
	if (m->alg == COSE_ALG_EDDSA && key->alg == ALG_ED25519 &&
	    key->pk_len == crypto_sign_PUBLICKEYBYTES)
		ok = cose_sign1_verify_ed25519(m, key->pk);
	else if (m->alg == COSE_ALG_SM2 && key->alg == ALG_SM2 && key->pk_len == SM2_PK_LEN)
		ok = cose_sign1_verify_sm2(m, key->pk, key->pk_len);
	else
		return finish(out, CRED_BAD_SIGNATURE, "密钥的算法与凭证不符");
	if (!ok)
		return finish(out, CRED_BAD_SIGNATURE, "签名无效");
	/* from here on the payload is the issuer's */
	rc = parse_verified_claims(m->payload, m->payload_len, &c);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return finish(out, CRED_MALFORMED, "签名有效但内容格式错误");
	out->have_iat = 1;
	out->iat = c.iat;
	if (!trust_key_valid_at(key, c.iat))
		return finish(out, CRED_KEY_NOT_CURRENT, "签发时间不在签名密钥的有效期内");
	out->claims = c;
	out->have_claims = 1;
	return finish(out, CRED_OK, "");
}

int cred_verify_cose(const uint8_t *cose, size_t len, const struct trust_list *tl,
                     struct cred_check *out, struct err *err)
{
	struct cose_sign1 m;
	struct err e;
	int rc;

	memset(out, 0, sizeof(*out));
	cred_claims_init(&out->claims);
	if (sodium_init() < 0)
		return err_system(err, "libsodium 初始化失败");
	if (!cose || len == 0 || len > CRED_COSE_MAX)
		return finish(out, CRED_MALFORMED, "COSE 消息为空或过长");
	if (cose_sign1_decode(cose, len, &m, &e) != 0) {
		if (e.kind == ERR_SYSTEM) {
			*err = e;
			return -1;
		}
		return finish(out, CRED_MALFORMED, e.msg);
	}
	out->have_kid = 1;
	memcpy(out->kid, m.kid, KID_LEN);
	out->alg_id = m.alg;
	out->key = tl ? trust_find(tl, m.kid) : NULL;
	if (m.alg != COSE_ALG_EDDSA && m.alg != COSE_ALG_SM2)
		rc = finish(out, CRED_UNSUPPORTED_ALG, "签名算法不受支持");
	else if (!out->key)
		rc = finish(out, CRED_UNKNOWN_KEY, "签名密钥不在信任列表中");
	else if (check_signed(&m, out->key, out) != 0)
		rc = err_system(err, "内存不足");
	else
		rc = 0;
	cose_sign1_free(&m);
	return rc;
}

/* Inflate a zlib stream into at most cap bytes: 0, 1 when it is no zlib
 * stream, is followed by other bytes or inflates to more than cap, -1
 * when out of memory. */
static int inflate_capped(const uint8_t *in, size_t n, uint8_t *out, size_t cap, size_t *out_len)
{
	z_stream zs;
	int zrc;

	memset(&zs, 0, sizeof(zs));
	zrc = inflateInit(&zs);
	if (zrc != Z_OK)
		return zrc == Z_MEM_ERROR ? -1 : 1;
	zs.next_in = (Bytef *)(uintptr_t)in;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	zrc = inflate(&zs, Z_FINISH);
	*out_len = cap - zs.avail_out;
	inflateEnd(&zs);
	if (zrc == Z_MEM_ERROR)
		return -1;
	return zrc == Z_STREAM_END && zs.avail_in == 0 ? 0 : 1;
}

int cred_verify(const char *text, size_t len, const struct trust_list *tl, struct cred_check *out,
                struct err *err)
{
	uint8_t z[CRED_TEXT_MAX], cose[CRED_COSE_MAX];
	size_t zlen = 0, cose_len = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	cred_claims_init(&out->claims);
	if (!text)
		return finish(out, CRED_MALFORMED, "凭证为空");
	if (len > CRED_TEXT_MAX + 64)
		return finish(out, CRED_MALFORMED, "凭证过长");
	text_trim(&text, &len);
	if (len > CRED_TEXT_MAX)
		return finish(out, CRED_MALFORMED, "凭证过长");
	if (len >= PREFIX_LEN && memcmp(text, CRED_PREFIX, PREFIX_LEN) == 0) {
		text += PREFIX_LEN;
		len -= PREFIX_LEN;
	}
	if (len == 0)
		return finish(out, CRED_MALFORMED, "凭证为空");
	if (b45_decode(text, len, z, sizeof(z), &zlen) != 0)
		return finish(out, CRED_MALFORMED, "不是 OC1 凭证（Base45 解码失败）");
	rc = inflate_capped(z, zlen, cose, sizeof(cose), &cose_len);
	if (rc < 0)
		return err_system(err, "内存不足");
	if (rc > 0)
		return finish(out, CRED_MALFORMED, "解压失败或解压后超过 4096 字节");
	return cred_verify_cose(cose, cose_len, tl, out, err);
}

/* ---- the URL form -------------------------------------------------------- */

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static int same_nocase(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return 0;
	for (i = 0; i < alen; i++)
		if (lower(a[i]) != lower(b[i]))
			return 0;
	return 1;
}

int cred_host_check(const char *host, struct err *err)
{
	size_t n, name_len, i, label = 0;
	const char *colon;
	long port = 0;

	if (!host || (n = strnlen(host, CRED_HOST_MAX + 1)) == 0 || n > CRED_HOST_MAX)
		return err_input(err, "官方核验地址为空或过长");
	colon = strchr(host, ':');
	name_len = colon ? (size_t)(colon - host) : n;
	if (name_len == 0 || name_len > 253)
		return err_input(err, "官方核验地址“%s”的主机名无效", host);
	for (i = 0; i < name_len; i++) {
		char c = host[i];

		if (c == '.') {
			if (label == 0 || host[i - 1] == '-')
				return err_input(err, "官方核验地址“%s”的主机名无效", host);
			label = 0;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		           (c >= '0' && c <= '9') || (c == '-' && label > 0)) {
			if (++label > 63)
				return err_input(err, "官方核验地址“%s”的主机名无效", host);
		} else {
			return err_input(err, "官方核验地址“%s”的主机名无效", host);
		}
	}
	if (label == 0 || host[name_len - 1] == '-')
		return err_input(err, "官方核验地址“%s”的主机名无效", host);
	if (colon) {
		const char *p = colon + 1;

		if (*p == '\0' || *p == '0' || strlen(p) > 5)
			return err_input(err, "官方核验地址“%s”的端口无效", host);
		for (; *p; p++) {
			if (*p < '0' || *p > '9')
				return err_input(err, "官方核验地址“%s”的端口无效", host);
			port = port * 10 + (*p - '0');
		}
		if (port < 1 || port > 65535)
			return err_input(err, "官方核验地址“%s”的端口无效", host);
	}
	return 0;
}

const char *cred_url_scheme(const char *host)
{
	size_t n;
	const char *colon;

	if (!host)
		return "https://";
	colon = strchr(host, ':');
	n = colon ? (size_t)(colon - host) : strlen(host);
	if (same_nocase(host, n, "localhost", 9) || same_nocase(host, n, "127.0.0.1", 9))
		return "http://";
	return "https://";
}

void cred_qr_segments_free(struct cred_qr_segments *s)
{
	if (!s)
		return;
	free(s->prefix);
	free(s->rest);
	s->prefix = NULL;
	s->rest = NULL;
}

int cred_qr_segments(const char *official_host, const char *payload, struct cred_qr_segments *out,
                     struct err *err)
{
	const char *scheme;
	size_t i, n, hlen, o = 0;

	out->prefix = NULL;
	out->rest = NULL;
	if (cred_host_check(official_host, err) != 0)
		return -1;
	if (!payload || (n = strnlen(payload, CRED_TEXT_MAX + 1)) > CRED_TEXT_MAX ||
	    n <= PREFIX_LEN || memcmp(payload, CRED_PREFIX, PREFIX_LEN) != 0)
		return err_input(err, "不是 OC1 凭证");
	for (i = 0; i < n; i++)
		if (!b45_is_char(payload[i]))
			return err_input(err, "凭证含 Base45 以外的字符");
	scheme = cred_url_scheme(official_host);
	hlen = strlen(official_host);
	out->prefix = malloc(strlen(scheme) + hlen + 4);
	out->rest = malloc(3 * n + 1);
	if (!out->prefix || !out->rest) {
		cred_qr_segments_free(out);
		return err_system(err, "内存不足");
	}
	strcpy(out->prefix, scheme);
	o = strlen(scheme);
	for (i = 0; i < hlen; i++)
		out->prefix[o++] = lower(official_host[i]);
	memcpy(out->prefix + o, "/v#", 4);
	for (i = 0, o = 0; i < n; i++) {
		if (payload[i] == ' ' || payload[i] == '%') {
			out->rest[o++] = '%';
			out->rest[o++] = '2';
			out->rest[o++] = payload[i] == ' ' ? '0' : '5';
		} else {
			out->rest[o++] = payload[i];
		}
	}
	out->rest[o] = '\0';
	return 0;
}

int cred_url(const char *official_host, const char *payload, char **out, struct err *err)
{
	struct cred_qr_segments seg;
	size_t a, b;

	*out = NULL;
	if (cred_qr_segments(official_host, payload, &seg, err) != 0)
		return -1;
	a = strlen(seg.prefix);
	b = strlen(seg.rest);
	*out = malloc(a + b + 1);
	if (!*out) {
		cred_qr_segments_free(&seg);
		return err_system(err, "内存不足");
	}
	memcpy(*out, seg.prefix, a);
	memcpy(*out + a, seg.rest, b + 1);
	cred_qr_segments_free(&seg);
	return 0;
}

/* Data codewords at error correction level M, versions 1..40 (ISO/IEC
 * 18004 table 7). */
static const unsigned short QR_M_CODEWORDS[40] = {
    16,   28,   44,   64,   86,   108,  124,  154,  182,  216,  254,  290,  334,  365,
    415,  453,  507,  563,  627,  669,  714,  782,  860,  914,  1000, 1062, 1128, 1193,
    1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914, 1992, 2102, 2216, 2334,
};

size_t cred_qr_bits(size_t prefix_len, size_t rest_len, int version)
{
	size_t byte_count_bits = version <= 9 ? 8 : 16;
	size_t alnum_count_bits = version <= 9 ? 9 : version <= 26 ? 11 : 13;

	return 4 + byte_count_bits + 8 * prefix_len + 4 + alnum_count_bits + 11 * (rest_len / 2) +
	       6 * (rest_len % 2);
}

int cred_qr_version_m(size_t prefix_len, size_t rest_len)
{
	int v;

	for (v = 1; v <= 40; v++) {
		size_t max_byte = v <= 9 ? 255 : 65535, max_alnum = v <= 9    ? 511
		                                                    : v <= 26 ? 2047
		                                                              : 8191;

		if (prefix_len > max_byte || rest_len > max_alnum)
			continue;
		if (cred_qr_bits(prefix_len, rest_len, v) <= (size_t)QR_M_CODEWORDS[v - 1] * 8)
			return v;
	}
	return 0;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void set_payload(struct cred_link *out, const char *s, size_t n, int percent)
{
	size_t i, o = 0;
	int hi, lo;

	for (i = 0; i < n && o < CRED_TEXT_MAX + 1; i++) {
		if (percent && s[i] == '%' && n - i >= 3 && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			out->payload[o++] = (char)(hi * 16 + lo);
			i += 2;
		} else {
			out->payload[o++] = s[i];
		}
	}
	out->payload[o] = '\0';
	out->payload_len = o;
}

static void set_host(struct cred_link *out, const char *s, size_t n)
{
	size_t i;

	if (n > CRED_HOST_MAX)
		n = CRED_HOST_MAX;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		out->host[i] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
	}
	out->host[n] = '\0';
}

/* Length of the end of the authority (or of a scheme-less host) in s. */
static size_t authority_len(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '/' || s[i] == '?' || s[i] == '#' || s[i] == '\\')
			break;
	return i;
}

/* Length of a URI scheme ("https") followed by ':' at the start of s, or 0. */
static size_t scheme_len(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return 0;
	for (i = 1; i < n; i++) {
		char c = s[i];

		if (c == ':')
			return i;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '-' || c == '.'))
			return 0;
	}
	return 0;
}

int cred_link_classify(const char *scanned, size_t len, const char *official_host,
                       struct cred_link *out, struct err *err)
{
	const char *s = scanned, *rest, *auth, *host, *want;
	size_t slen, rest_len, auth_len, host_len, want_len, i;

	memset(out, 0, sizeof(*out));
	if (cred_host_check(official_host, err) != 0)
		return -1;
	if (!scanned || len > CRED_SCAN_MAX)
		return err_input(err, "扫描内容为空或超过 %d 字节", CRED_SCAN_MAX);
	text_trim(&s, &len);
	slen = scheme_len(s, len);
	if (slen == 0 || same_nocase(s, slen, "OC1", 3)) {
		/* Not a URL.  Something with a fragment still is a link, to a
		 * host nobody official named. */
		if (memchr(s, '#', len) &&
		    !(len >= PREFIX_LEN && memcmp(s, CRED_PREFIX, PREFIX_LEN) == 0)) {
			out->kind = CRED_LINK_UNOFFICIAL;
			set_host(out, s, authority_len(s, len));
			return 0;
		}
		out->kind = CRED_LINK_PAYLOAD;
		set_payload(out, s, len, 0);
		return 0;
	}
	out->kind = CRED_LINK_UNOFFICIAL;
	rest = s + slen + 1;
	rest_len = len - slen - 1;
	if (rest_len < 2 || rest[0] != '/' || rest[1] != '/') {
		/* no authority ("weixin:...", "host:port/..."): name what there is */
		set_host(out, s, authority_len(s, len));
		return 0;
	}
	auth = rest + 2;
	auth_len = authority_len(auth, rest_len - 2);
	host = auth;
	host_len = auth_len;
	for (i = 0; i < auth_len; i++)
		if (auth[i] == '@') {
			host = auth + i + 1;
			host_len = auth_len - i - 1;
		}
	set_host(out, host, host_len);

	want = cred_url_scheme(official_host);
	want_len = strlen(want) - 3; /* without "://" */
	if (!same_nocase(s, slen, want, want_len) || host != auth ||
	    !same_nocase(auth, auth_len, official_host, strlen(official_host)))
		return 0;
	rest = auth + auth_len;
	rest_len = (size_t)(s + len - rest);
	if (rest_len < 3 || memcmp(rest, "/v#", 3) != 0)
		return 0;
	out->kind = CRED_LINK_OFFICIAL;
	out->host[0] = '\0';
	set_payload(out, rest + 3, rest_len - 3, 1);
	return 0;
}
