/*
 * statuslist.c - see statuslist.h.  The payload is verified before any of
 * its fields is read; the bitstring is inflated into a buffer of exactly
 * the announced size and no more.
 */
#include "statuslist.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "b64.h"
#include "keys.h"
#include "sm2.h"

#define ENVELOPE_MAX (8u << 20)

uint32_t statuslist_size_for(uint64_t credentials)
{
	uint64_t n = STATUSLIST_MIN_ENTRIES;

	while (n < 2 * credentials && n < STATUSLIST_MAX_ENTRIES)
		n *= 2;
	return (uint32_t)n;
}

int statuslist_init(struct statuslist *sl, uint32_t size, int64_t issued_at, struct err *err)
{
	memset(sl, 0, sizeof(*sl));
	if (size == 0 || size > STATUSLIST_MAX_ENTRIES || size % 4)
		return err_input(err, "状态列表大小无效");
	sl->bits = calloc(size / 4, 1);
	if (!sl->bits)
		return err_system(err, "内存不足");
	sl->size = size;
	sl->issued_at = issued_at;
	return 0;
}

void statuslist_release(struct statuslist *sl)
{
	if (!sl)
		return;
	free(sl->bits);
	sl->bits = NULL;
	sl->size = 0;
}

void statuslist_set(struct statuslist *sl, uint32_t slot, enum cert_status status)
{
	unsigned shift = 2 * (slot % 4);

	if (slot >= sl->size)
		return;
	sl->bits[slot / 4] =
	    (uint8_t)((sl->bits[slot / 4] & ~(3u << shift)) | ((unsigned)status & 3u) << shift);
}

enum cert_status statuslist_get(const struct statuslist *sl, uint32_t slot)
{
	unsigned v;

	if (slot >= sl->size)
		return CERT_VALID;
	v = (sl->bits[slot / 4] >> (2 * (slot % 4))) & 3u;
	return v == 1 ? CERT_SUSPENDED : v == 2 ? CERT_REVOKED : CERT_VALID;
}

static char *b64url(const uint8_t *p, size_t n)
{
	size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *s = malloc(len);

	if (s)
		sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return s;
}

/* Decode base64url into a malloc'd buffer of at most max bytes. */
static uint8_t *unb64url(const char *s, size_t max, size_t *n)
{
	size_t slen = strlen(s), cap = slen / 4 * 3 + 3;
	uint8_t *p;

	if (cap > max + 3)
		return NULL;
	p = malloc(cap ? cap : 1);
	if (!p)
		return NULL;
	if (b64_decode(s, slen, B64_URLSAFE, p, cap, n) != 0 || *n > max) {
		free(p);
		return NULL;
	}
	return p;
}

int statuslist_export(const struct statuslist *sl, struct keys_signer *s, char **json,
                      struct err *err)
{
	const struct keys_info *ki = keys_signer_info(s);
	enum sig_alg alg = ki->alg;
	uLongf zlen = compressBound(sl->size / 4);
	uint8_t *z = malloc(zlen), sig[KEYS_SIG_LEN]; /* Ed25519, or SM2's r || s */
	char *bits = NULL, *payload = NULL, *payload_b64 = NULL, *sig_b64 = NULL, kidhex[17];
	json_t *inner = NULL, *outer = NULL;
	int ret = -1;

	*json = NULL;
	if (ki->role != KEYS_ISSUING) {
		free(z);
		return err_input(err, "状态列表只能用签发密钥签名");
	}
	if (alg != ALG_ED25519 && alg != ALG_SM2) {
		free(z);
		return err_input(err, "状态列表的签名算法不受支持");
	}
	if (!z || compress2(z, &zlen, sl->bits, sl->size / 4, 9) != Z_OK) {
		err_system(err, "压缩状态列表失败");
		goto out;
	}
	bits = b64url(z, zlen);
	inner = json_pack("{s:i, s:s, s:I, s:I, s:s}", "version", 1, "type", "opcert-status",
	                  "issued_at", (json_int_t)sl->issued_at, "size", (json_int_t)sl->size,
	                  "bits", bits ? bits : "");
	payload = inner ? json_dumps(inner, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (!bits || !payload) {
		err_system(err, "内存不足");
		goto out;
	}
	if (keys_signer_sign(s, (const uint8_t *)payload, strlen(payload), sig, NULL, err) != 0)
		goto out;
	payload_b64 = b64url((const uint8_t *)payload, strlen(payload));
	sig_b64 = b64url(sig, sizeof(sig));
	sodium_bin2hex(kidhex, sizeof(kidhex), ki->kid, KID_LEN);
	outer = json_pack("{s:s, s:s, s:s, s:s}", "payload", payload_b64 ? payload_b64 : "", "kid",
	                  kidhex, "alg", alg == ALG_SM2 ? "SM2" : "Ed25519", "signature",
	                  sig_b64 ? sig_b64 : "");
	*json = outer ? json_dumps(outer, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
	if (!payload_b64 || !sig_b64 || !*json) {
		err_system(err, "内存不足");
		goto out;
	}
	ret = 0;
out:
	free(z);
	free(bits);
	free(payload);
	free(payload_b64);
	free(sig_b64);
	json_decref(inner);
	json_decref(outer);
	return ret;
}

int statuslist_parse(const char *json, size_t len, const struct trust_list *tl,
                     struct statuslist *out, struct err *err)
{
	json_t *outer = NULL, *inner = NULL;
	json_error_t jerr;
	const char *payload_b64, *kidhex, *alg, *sig_b64, *bits_b64, *type;
	uint8_t kid[KID_LEN], *payload = NULL, *sig = NULL, *z = NULL;
	size_t payload_len, sig_len, kid_len, z_len;
	json_int_t version, issued_at, size;
	const struct trust_key *key;
	uLongf raw_len;
	int ret = -1;

	memset(out, 0, sizeof(*out));
	if (len > ENVELOPE_MAX)
		return err_input(err, "状态列表文件过大");
	outer = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!outer || json_unpack(outer, "{s:s, s:s, s:s, s:s}", "payload", &payload_b64, "kid",
	                          &kidhex, "alg", &alg, "signature", &sig_b64) != 0) {
		err_input(err, "不是有效的状态列表文件");
		goto out;
	}
	if (strcmp(alg, "Ed25519") != 0 && strcmp(alg, "SM2") != 0) {
		err_input(err, "状态列表的签名算法“%s”不受支持", alg);
		goto out;
	}
	if (sodium_hex2bin(kid, sizeof(kid), kidhex, strlen(kidhex), NULL, &kid_len, NULL) != 0 ||
	    kid_len != KID_LEN || strlen(kidhex) != 2 * KID_LEN) {
		err_input(err, "状态列表的密钥标识无效");
		goto out;
	}
	key = trust_find(tl, kid);
	if (!key) {
		err_input(err, "状态列表由不在信任列表中的密钥签名");
		goto out;
	}
	if (key->alg != (strcmp(alg, "SM2") == 0 ? ALG_SM2 : ALG_ED25519)) {
		err_input(err, "状态列表的签名算法与签名密钥不符");
		goto out;
	}
	payload = unb64url(payload_b64, ENVELOPE_MAX, &payload_len);
	sig = unb64url(sig_b64, 128, &sig_len);
	if (!payload || !sig ||
	    (key->alg == ALG_SM2
	         ? !sm2_verify(key->pk, key->pk_len, payload, payload_len, sig, sig_len)
	         : (sig_len != crypto_sign_BYTES || key->pk_len != crypto_sign_PUBLICKEYBYTES ||
	            crypto_sign_verify_detached(sig, payload, payload_len, key->pk) != 0))) {
		err_input(err, "状态列表签名无效");
		goto out;
	}
	/* Verified: only now read what it says. */
	inner = json_loadb((const char *)payload, payload_len, JSON_REJECT_DUPLICATES, &jerr);
	if (!inner ||
	    json_unpack(inner, "{s:I, s:s, s:I, s:I, s:s}", "version", &version, "type", &type,
	                "issued_at", &issued_at, "size", &size, "bits", &bits_b64) != 0 ||
	    version != 1 || strcmp(type, "opcert-status") != 0) {
		err_input(err, "状态列表内容无效");
		goto out;
	}
	if (issued_at < key->not_before || (key->not_after && issued_at > key->not_after)) {
		err_input(err, "状态列表的签名时间不在签名密钥的有效期内");
		goto out;
	}
	if (size <= 0 || size > STATUSLIST_MAX_ENTRIES || size % 4) {
		err_input(err, "状态列表大小无效");
		goto out;
	}
	if (statuslist_init(out, (uint32_t)size, issued_at, err) < 0)
		goto out;
	z = unb64url(bits_b64, ENVELOPE_MAX, &z_len);
	raw_len = out->size / 4;
	if (!z || uncompress(out->bits, &raw_len, z, z_len) != Z_OK || raw_len != out->size / 4) {
		statuslist_release(out);
		err_input(err, "状态列表数据无效");
		goto out;
	}
	memcpy(out->kid, kid, KID_LEN);
	ret = 0;
out:
	free(payload);
	free(sig);
	free(z);
	json_decref(outer);
	json_decref(inner);
	return ret;
}
