/*
 * trust.c - key ids, look-ups in a trust list, and the signed trust list
 * file: writing its payload and envelope, and parsing and verifying it
 * (see trust.h).  The parser is strict: exactly the members the format
 * names, Ed25519 for the root, the log key and the envelope (issuing keys
 * may be SM2 too, with their 65-byte point), lowercase hex key ids, unpadded base64url, every key
 * id checked against its public key, no duplicate key ids or issuer codes,
 * and the signature verified before the payload is read.
 */
#include "trust.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "b64.h"

#define ED25519_PK 32
#define SM2_PK     65
#define JS_INT_MAX 9007199254740991LL /* 2^53 - 1: what JavaScript holds exactly */

void trust_kid(const uint8_t *pk, size_t pk_len, uint8_t kid[KID_LEN])
{
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, pk, pk_len);
	memcpy(kid, h, KID_LEN);
}

const struct trust_key *trust_find(const struct trust_list *tl, const uint8_t kid[KID_LEN])
{
	size_t i;

	for (i = 0; i < tl->nkeys && i < TRUST_MAX_KEYS; i++)
		if (memcmp(tl->keys[i].kid, kid, KID_LEN) == 0)
			return &tl->keys[i];
	return NULL;
}

const char *trust_issuer_name(const struct trust_list *tl, const char *code)
{
	size_t i;

	if (!code)
		return NULL;
	for (i = 0; i < tl->nissuers && i < TRUST_MAX_ISSUERS; i++)
		if (strcmp(tl->issuers[i].code, code) == 0)
			return tl->issuers[i].name;
	return NULL;
}

char *trust_kid_hex(const uint8_t kid[KID_LEN], char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < KID_LEN; i++) {
		out[2 * i] = digits[kid[i] >> 4];
		out[2 * i + 1] = digits[kid[i] & 15];
	}
	out[2 * KID_LEN] = '\0';
	return out;
}

int trust_key_valid_at(const struct trust_key *k, int64_t t)
{
	if (t < k->not_before)
		return 0;
	return k->not_after == 0 || t <= k->not_after;
}

int trust_log_name_ok(const char *name)
{
	size_t i;

	if (!name || !name[0])
		return 0;
	for (i = 0; name[i]; i++) {
		unsigned char c = (unsigned char)name[i];

		if (i + 1 >= TRUST_LOG_NAME_MAX || c <= 0x20 || c >= 0x7f || c == '+')
			return 0;
	}
	return 1;
}

/* ---- writing ---- */

static json_t *b64_value(const uint8_t *p, size_t n)
{
	char buf[sodium_base64_ENCODED_LEN(TRUST_PK_MAX, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	if (n > TRUST_PK_MAX)
		return NULL;
	sodium_bin2base64(buf, sizeof(buf), p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return json_string(buf);
}

static json_t *key_object(const struct trust_key *k, int with_period)
{
	char hex[2 * KID_LEN + 1];
	json_t *o;

	if (!(k->alg == ALG_ED25519 && k->pk_len == ED25519_PK) &&
	    !(with_period && k->alg == ALG_SM2 && k->pk_len == SM2_PK))
		return NULL;
	o = json_pack("{s:s, s:s, s:o}", "kid", trust_kid_hex(k->kid, hex), "alg",
	              k->alg == ALG_SM2 ? "SM2" : "Ed25519", "pk", b64_value(k->pk, k->pk_len));
	if (o && with_period &&
	    (json_object_set_new(o, "not_before", json_integer(k->not_before)) != 0 ||
	     json_object_set_new(o, "not_after",
	                         k->not_after ? json_integer(k->not_after) : json_null()) != 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

char *trust_payload_json(const struct trust_list *tl, size_t *len, struct err *e)
{
	char hex[2 * KID_LEN + 1];
	json_t *root = NULL, *keys = NULL, *issuers = NULL, *logk = NULL, *top = NULL;
	char *out = NULL;
	size_t i;

	if (tl->nkeys > TRUST_MAX_KEYS || tl->nissuers > TRUST_MAX_ISSUERS) {
		err_input(e, "信任列表的密钥或签发机关过多");
		return NULL;
	}
	if (!trust_log_name_ok(tl->log_name)) {
		err_input(e, "日志密钥名称无效");
		return NULL;
	}
	root = json_pack("{s:s, s:s, s:o}", "kid", trust_kid_hex(tl->root_kid, hex), "alg",
	                 "Ed25519", "pk", b64_value(tl->root_pk, sizeof(tl->root_pk)));
	logk = key_object(&tl->log_key, 0);
	keys = json_array();
	issuers = json_array();
	if (!root || !logk || !keys || !issuers)
		goto fail;
	if (json_object_set_new(logk, "name", json_string(tl->log_name)) != 0)
		goto fail;
	for (i = 0; i < tl->nkeys; i++) {
		json_t *k = key_object(&tl->keys[i], 1);

		if (!k || json_array_append_new(keys, k) != 0)
			goto fail;
	}
	for (i = 0; i < tl->nissuers; i++) {
		const struct trust_issuer *is = &tl->issuers[i];
		json_t *s;

		if (!memchr(is->code, '\0', sizeof(is->code)) ||
		    !memchr(is->name, '\0', sizeof(is->name)))
			goto fail;
		s = json_pack("{s:s, s:s}", "code", is->code, "name", is->name);
		if (!s || json_array_append_new(issuers, s) != 0) {
			err_input(e, "签发机关“%s”的名称不是有效的 UTF-8", is->code);
			json_decref(s);
			goto out;
		}
	}
	top = json_pack("{s:i, s:I, s:O, s:O, s:O, s:O}", "version", 1, "issued_at",
	                (json_int_t)tl->issued_at, "root", root, "log_key", logk, "keys", keys,
	                "issuers", issuers);
	if (!top)
		goto fail;
	out = json_dumps(top, JSON_COMPACT);
	if (!out)
		goto fail;
	*len = strlen(out);
	goto out;
fail:
	err_input(e, "无法生成信任列表：密钥或签发机关数据无效");
out:
	json_decref(top);
	json_decref(root);
	json_decref(logk);
	json_decref(keys);
	json_decref(issuers);
	return out;
}

char *trust_envelope_json(const char *payload, size_t len, const uint8_t root_kid[KID_LEN],
                          const uint8_t sig[TRUST_SIG_MAX], struct err *e)
{
	char hex[2 * KID_LEN + 1];
	char sigb[sodium_base64_ENCODED_LEN(TRUST_SIG_MAX,
	                                    sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	size_t blen = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	char *pb, *text, *out = NULL;
	json_t *top;

	if (len > TRUST_LIST_MAX) {
		err_input(e, "信任列表过大（%zu 字节，上限 %d 字节）", len, TRUST_LIST_MAX);
		return NULL;
	}
	pb = malloc(blen);
	if (!pb) {
		err_system(e, "内存不足");
		return NULL;
	}
	sodium_bin2base64(pb, blen, (const unsigned char *)payload, len,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_bin2base64(sigb, sizeof(sigb), sig, TRUST_SIG_MAX,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	top = json_pack("{s:s, s:s, s:s, s:s}", "payload", pb, "kid", trust_kid_hex(root_kid, hex),
	                "alg", "Ed25519", "signature", sigb);
	free(pb);
	text = top ? json_dumps(top, JSON_INDENT(2)) : NULL;
	json_decref(top);
	if (text) {
		size_t n = strlen(text);

		out = malloc(n + 2);
		if (out) {
			memcpy(out, text, n);
			memcpy(out + n, "\n", 2); /* a text file ends with a newline */
		}
		free(text);
	}
	if (!out) {
		err_system(e, "内存不足");
		return NULL;
	}
	if (strlen(out) + 1 > TRUST_LIST_MAX) {
		free(out);
		err_input(e, "信任列表过大（上限 %d 字节）", TRUST_LIST_MAX);
		return NULL;
	}
	return out;
}

/* ---- parsing ---- */

/* o must be an object whose members are exactly names[0..n). */
static int exact_members(const json_t *o, const char *const *names, size_t n, const char *what,
                         struct err *e)
{
	size_t i;

	if (!json_is_object(o))
		return err_input(e, "信任列表格式错误：%s 不是对象", what);
	for (i = 0; i < n; i++)
		if (!json_object_get(o, names[i]))
			return err_input(e, "信任列表格式错误：%s 缺少“%s”", what, names[i]);
	if (json_object_size(o) != n)
		return err_input(e, "信任列表格式错误：%s 含有未知字段", what);
	return 0;
}

static int get_hex_kid(const json_t *v, uint8_t kid[KID_LEN], const char *what, struct err *e)
{
	const char *s = json_string_value(v);
	size_t i;

	if (!s || json_string_length(v) != 2 * KID_LEN)
		return err_input(e, "信任列表格式错误：%s 的 kid 不是 16 位十六进制", what);
	for (i = 0; i < 2 * KID_LEN; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			return err_input(e, "信任列表格式错误：%s 的 kid 不是小写十六进制", what);
		if (i % 2 == 0)
			kid[i / 2] = (uint8_t)(d << 4);
		else
			kid[i / 2] |= (uint8_t)d;
	}
	return 0;
}

/* Decode unpadded base64url of exactly want bytes. */
static int get_b64(const json_t *v, uint8_t *out, size_t want, const char *what, struct err *e)
{
	const char *s = json_string_value(v);
	size_t n = 0;

	if (!s || json_string_length(v) !=
	              sodium_base64_ENCODED_LEN(want, sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1)
		return err_input(e, "信任列表格式错误：%s 长度不对", what);
	if (b64_decode(s, json_string_length(v), B64_URLSAFE, out, want, &n) != 0 || n != want)
		return err_input(e, "信任列表格式错误：%s 不是有效的 base64url", what);
	return 0;
}

static int get_time(const json_t *v, int64_t *t, const char *what, struct err *e)
{
	json_int_t x;

	if (!json_is_integer(v))
		return err_input(e, "信任列表格式错误：%s 不是整数", what);
	x = json_integer_value(v);
	if (x < 0 || x > JS_INT_MAX)
		return err_input(e, "信任列表格式错误：%s 超出范围", what);
	*t = (int64_t)x;
	return 0;
}

/* "Ed25519", or "SM2" when sm2 allows it: the algorithm, or -1. */
static int get_alg(const json_t *v, int sm2, enum sig_alg *alg, const char *what, struct err *e)
{
	const char *s = json_string_value(v);

	if (s && strcmp(s, "Ed25519") == 0 && json_string_length(v) == 7)
		*alg = ALG_ED25519;
	else if (sm2 && s && strcmp(s, "SM2") == 0 && json_string_length(v) == 3)
		*alg = ALG_SM2;
	else
		return err_input(e, "信任列表中 %s 的算法“%s”不受支持", what, s ? s : "?");
	return 0;
}

/* A key object: kid, alg (SM2 only when sm2), pk, the kid checked against the key. */
static int get_key(const json_t *o, int sm2, struct trust_key *k, const char *what, struct err *e)
{
	uint8_t want[KID_LEN];
	enum sig_alg alg = ALG_NONE;

	if (get_alg(json_object_get(o, "alg"), sm2, &alg, what, e) != 0 ||
	    get_hex_kid(json_object_get(o, "kid"), k->kid, what, e) != 0 ||
	    get_b64(json_object_get(o, "pk"), k->pk, alg == ALG_SM2 ? SM2_PK : ED25519_PK, what,
	            e) != 0)
		return -1;
	k->alg = alg;
	k->pk_len = alg == ALG_SM2 ? SM2_PK : ED25519_PK;
	trust_kid(k->pk, k->pk_len, want);
	if (memcmp(want, k->kid, KID_LEN) != 0)
		return err_input(e, "信任列表中 %s 的 kid 与其公钥不符", what);
	return 0;
}

static int kid_seen(const struct trust_list *tl, const uint8_t kid[KID_LEN], size_t upto)
{
	size_t i;

	if (memcmp(kid, tl->root_kid, KID_LEN) == 0 || memcmp(kid, tl->log_key.kid, KID_LEN) == 0)
		return 1;
	for (i = 0; i < upto; i++)
		if (memcmp(kid, tl->keys[i].kid, KID_LEN) == 0)
			return 1;
	return 0;
}

static int parse_payload(const json_t *p, struct trust_list *tl, struct err *e)
{
	static const char *const top_names[] = {"version", "issued_at", "root",
	                                        "log_key", "keys",      "issuers"};
	static const char *const root_names[] = {"kid", "alg", "pk"};
	static const char *const log_names[] = {"kid", "alg", "pk", "name"};
	static const char *const key_names[] = {"kid", "alg", "pk", "not_before", "not_after"};
	static const char *const iss_names[] = {"code", "name"};
	const json_t *v, *arr;
	struct trust_key rk;
	char what[48];
	size_t i, j;

	if (exact_members(p, top_names, 6, "信任列表", e) != 0)
		return -1;
	v = json_object_get(p, "version");
	if (!json_is_integer(v) || json_integer_value(v) != 1)
		return err_input(e, "信任列表版本不受支持（只支持 1）");
	if (get_time(json_object_get(p, "issued_at"), &tl->issued_at, "issued_at", e) != 0)
		return -1;

	v = json_object_get(p, "root");
	if (exact_members(v, root_names, 3, "root", e) != 0 || get_key(v, 0, &rk, "root", e) != 0)
		return -1;
	memcpy(tl->root_kid, rk.kid, KID_LEN);
	memcpy(tl->root_pk, rk.pk, ED25519_PK);

	v = json_object_get(p, "log_key");
	if (exact_members(v, log_names, 4, "log_key", e) != 0 ||
	    get_key(v, 0, &tl->log_key, "log_key", e) != 0)
		return -1;
	if (memcmp(tl->log_key.kid, tl->root_kid, KID_LEN) == 0)
		return err_input(e, "信任列表中的 kid 重复");
	{
		const json_t *nm = json_object_get(v, "name");
		const char *s = json_string_value(nm);

		if (!s || strlen(s) != json_string_length(nm) || !trust_log_name_ok(s))
			return err_input(e, "信任列表格式错误：日志密钥名称无效");
		memcpy(tl->log_name, s, strlen(s) + 1);
	}

	arr = json_object_get(p, "keys");
	if (!json_is_array(arr))
		return err_input(e, "信任列表格式错误：keys 不是数组");
	if (json_array_size(arr) > TRUST_MAX_KEYS)
		return err_input(e, "信任列表中的密钥过多（上限 %d）", TRUST_MAX_KEYS);
	for (i = 0; i < json_array_size(arr); i++) {
		struct trust_key *k = &tl->keys[i];
		const json_t *na;

		v = json_array_get(arr, i);
		snprintf(what, sizeof(what), "keys[%zu]", i);
		if (exact_members(v, key_names, 5, what, e) != 0 ||
		    get_key(v, 1, k, what, e) != 0 ||
		    get_time(json_object_get(v, "not_before"), &k->not_before, what, e) != 0)
			return -1;
		na = json_object_get(v, "not_after");
		if (json_is_null(na))
			k->not_after = 0;
		else if (get_time(na, &k->not_after, what, e) != 0)
			return -1;
		else if (k->not_after == 0 || k->not_after < k->not_before)
			return err_input(e, "信任列表中 %s 的有效期无效", what);
		if (kid_seen(tl, k->kid, i))
			return err_input(e, "信任列表中的 kid 重复");
	}
	tl->nkeys = i;

	arr = json_object_get(p, "issuers");
	if (!json_is_array(arr))
		return err_input(e, "信任列表格式错误：issuers 不是数组");
	if (json_array_size(arr) > TRUST_MAX_ISSUERS)
		return err_input(e, "信任列表中的签发机关过多（上限 %d）", TRUST_MAX_ISSUERS);
	for (i = 0; i < json_array_size(arr); i++) {
		struct trust_issuer *is = &tl->issuers[i];
		const json_t *c, *n;

		v = json_array_get(arr, i);
		snprintf(what, sizeof(what), "issuers[%zu]", i);
		if (exact_members(v, iss_names, 2, what, e) != 0)
			return -1;
		c = json_object_get(v, "code");
		n = json_object_get(v, "name");
		if (!json_is_string(c) || !json_is_string(n) || json_string_length(c) == 0 ||
		    json_string_length(c) >= sizeof(is->code) || json_string_length(n) == 0 ||
		    json_string_length(n) >= sizeof(is->name) ||
		    strlen(json_string_value(c)) != json_string_length(c) ||
		    strlen(json_string_value(n)) != json_string_length(n))
			return err_input(e, "信任列表中 %s 的代码或名称无效", what);
		memcpy(is->code, json_string_value(c), json_string_length(c) + 1);
		memcpy(is->name, json_string_value(n), json_string_length(n) + 1);
		for (j = 0; j < i; j++)
			if (strcmp(tl->issuers[j].code, is->code) == 0)
				return err_input(e, "信任列表中的签发机关代码“%s”重复", is->code);
	}
	tl->nissuers = i;
	return 0;
}

int trust_parse(const char *text, size_t len, const uint8_t *pinned_root, struct trust_list *out,
                int *pinned, struct err *e)
{
	static const char *const env_names[] = {"payload", "kid", "alg", "signature"};
	json_error_t jerr;
	json_t *env = NULL, *pj = NULL;
	uint8_t kid[KID_LEN], want[KID_LEN], sig[TRUST_SIG_MAX], pk[ED25519_PK];
	uint8_t *payload = NULL;
	const json_t *pv;
	enum sig_alg env_alg = ALG_NONE;
	size_t plen = 0, maxp;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (pinned)
		*pinned = 0;
	if (sodium_init() < 0)
		return err_system(e, "libsodium 初始化失败");
	if (len > TRUST_LIST_MAX)
		return err_input(e, "信任列表过大（%zu 字节，上限 %d 字节）", len, TRUST_LIST_MAX);
	env = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!env) {
		err_input(e, "信任列表不是有效的 JSON：%s", jerr.text);
		err_at(e, jerr.line, NULL, 0);
		return -1;
	}
	if (exact_members(env, env_names, 4, "信任列表文件", e) != 0 ||
	    get_alg(json_object_get(env, "alg"), 0, &env_alg, "签名", e) != 0 ||
	    get_hex_kid(json_object_get(env, "kid"), kid, "签名", e) != 0 ||
	    get_b64(json_object_get(env, "signature"), sig, TRUST_SIG_MAX, "签名", e) != 0)
		goto out;
	pv = json_object_get(env, "payload");
	if (!json_is_string(pv) || json_string_length(pv) == 0) {
		err_input(e, "信任列表格式错误：payload 不是字符串");
		goto out;
	}
	maxp = json_string_length(pv) / 4 * 3 + 3;
	payload = malloc(maxp + 1);
	if (!payload) {
		err_system(e, "内存不足");
		goto out;
	}
	if (b64_decode(json_string_value(pv), json_string_length(pv), B64_URLSAFE, payload, maxp,
	               &plen) != 0) {
		err_input(e, "信任列表格式错误：payload 不是有效的 base64url");
		goto out;
	}
	payload[plen] = '\0';

	if (pinned_root) {
		memcpy(pk, pinned_root, ED25519_PK);
	} else {
		/* Unpinned: the embedded root is the only field read before verifying. */
		const json_t *r;

		pj = json_loadb((const char *)payload, plen, JSON_REJECT_DUPLICATES, &jerr);
		r = pj ? json_object_get(pj, "root") : NULL;
		if (!json_is_object(r)) {
			err_input(e, "信任列表格式错误：找不到根公钥");
			goto out;
		}
		if (get_b64(json_object_get(r, "pk"), pk, ED25519_PK, "root", e) != 0)
			goto out;
		json_decref(pj);
		pj = NULL;
	}
	trust_kid(pk, ED25519_PK, want);
	if (memcmp(want, kid, KID_LEN) != 0) {
		err_input(e, pinned_root ? "信任列表的 kid 与固定的根密钥不符"
		                         : "信任列表的 kid 与其根公钥不符");
		goto out;
	}
	if (crypto_sign_verify_detached(sig, payload, plen, pk) != 0) {
		err_input(e, "信任列表签名无效：内容被改动，或不是由该根密钥签发");
		goto out;
	}

	pj = json_loadb((const char *)payload, plen, JSON_REJECT_DUPLICATES, &jerr);
	if (!pj) {
		err_input(e, "信任列表内容不是有效的 JSON：%s", jerr.text);
		goto out;
	}
	if (parse_payload(pj, out, e) != 0)
		goto out;
	if (memcmp(out->root_pk, pk, ED25519_PK) != 0) {
		err_input(e, "信任列表中的根公钥与签名所用的根密钥不符");
		goto out;
	}
	if (pinned)
		*pinned = pinned_root != NULL;
	rc = 0;
out:
	if (rc != 0)
		memset(out, 0, sizeof(*out));
	free(payload);
	json_decref(pj);
	json_decref(env);
	return rc;
}
