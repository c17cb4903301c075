/*
 * cose.c - COSE_Sign1 messages with EdDSA: building them with a signing
 * callback, and parsing them strictly.  Every byte here comes from a QR
 * code anyone can print, so the parser bounds every length, runs a small
 * well-formedness check of its own before libcbor allocates anything, and
 * accepts one shape only.  libcbor 0.8 refuses tag 18 when decoding, so
 * the tag byte is written and read here and libcbor sees the array only.
 */
#include "cose.h"

#include <stdlib.h>
#include <string.h>

#include <cbor.h>
#include <sodium.h>

#include "sm2.h"

#define COSE_MAX_DEPTH 4
#define HDR_ALG        1
#define HDR_CRIT       2
#define HDR_KID        4

static const char SIG1_CONTEXT[] = "Signature1";

/* ---- the pre-check ---------------------------------------------------- */

/* Read one head at p[*pos]: major type and argument, shortest form only. */
static int read_head(const uint8_t *p, size_t n, size_t *pos, unsigned *major, uint64_t *arg)
{
	uint8_t ib;
	unsigned ai, extra, i;
	uint64_t v = 0;

	if (*pos >= n)
		return -1;
	ib = p[(*pos)++];
	*major = ib >> 5;
	ai = ib & 0x1f;
	if (ai < 24) {
		*arg = ai;
		return 0;
	}
	switch (ai) {
	case 24:
		extra = 1;
		break;
	case 25:
		extra = 2;
		break;
	case 26:
		extra = 4;
		break;
	case 27:
		extra = 8;
		break;
	default:
		return -1; /* reserved, or an indefinite length */
	}
	if (n - *pos < extra)
		return -1;
	for (i = 0; i < extra; i++)
		v = (v << 8) | p[(*pos)++];
	/* shortest form: the value must need this many bytes */
	if ((extra == 1 && v < 24) || (extra == 2 && v <= 0xff) || (extra == 4 && v <= 0xffff) ||
	    (extra == 8 && v <= 0xffffffffu))
		return -1;
	*arg = v;
	return 0;
}

int cose_cbor_check(const uint8_t *p, size_t n, unsigned max_depth)
{
	uint64_t need[COSE_MAX_DEPTH + 1];
	size_t top = 1, pos = 0;
	unsigned major;
	uint64_t arg;

	if (!p || n == 0 || max_depth > COSE_MAX_DEPTH)
		return -1;
	need[0] = 1;
	while (top > 0) {
		if (need[top - 1] == 0) {
			top--;
			continue;
		}
		need[top - 1]--;
		if (read_head(p, n, &pos, &major, &arg) != 0)
			return -1;
		switch (major) {
		case 0: /* unsigned integer */
		case 1: /* negative integer */
			break;
		case 2: /* byte string */
		case 3: /* text string */
			if (arg > n - pos)
				return -1;
			pos += (size_t)arg;
			break;
		case 4: /* array: every element takes at least one byte */
		case 5: /* map: every key and value too */
			if (arg > n - pos || (major == 5 && arg > (n - pos) / 2))
				return -1;
			if (arg == 0)
				break;
			if (top > max_depth)
				return -1;
			need[top++] = major == 5 ? arg * 2 : arg;
			break;
		default: /* tags, floats, simple values */
			return -1;
		}
	}
	return pos == n ? 0 : -1;
}

/* ---- building ---------------------------------------------------------- */

/* An integer item in its shortest form. */
static cbor_item_t *build_int(int64_t v)
{
	uint64_t u = v >= 0 ? (uint64_t)v : (uint64_t)(-(v + 1));
	cbor_item_t *it;

	if (u <= 0xff)
		it = v >= 0 ? cbor_build_uint8((uint8_t)u) : cbor_build_negint8((uint8_t)u);
	else if (u <= 0xffff)
		it = v >= 0 ? cbor_build_uint16((uint16_t)u) : cbor_build_negint16((uint16_t)u);
	else if (u <= 0xffffffffu)
		it = v >= 0 ? cbor_build_uint32((uint32_t)u) : cbor_build_negint32((uint32_t)u);
	else
		it = v >= 0 ? cbor_build_uint64(u) : cbor_build_negint64(u);
	return it;
}

/* Add key: value to map, taking over both references (either may be NULL). */
static int map_put(cbor_item_t *map, cbor_item_t *key, cbor_item_t *value)
{
	int ok = key && value && cbor_map_add(map, (struct cbor_pair){.key = key, .value = value});

	if (key)
		cbor_decref(&key);
	if (value)
		cbor_decref(&value);
	return ok ? 0 : -1;
}

/* Append it to array, taking over its reference (it may be NULL). */
static int array_put(cbor_item_t *array, cbor_item_t *it)
{
	int ok = it && cbor_array_push(array, it);

	if (it)
		cbor_decref(&it);
	return ok ? 0 : -1;
}

/* Serialize item into a malloc'd buffer with room for `lead` bytes first. */
static int serialize(const cbor_item_t *item, size_t lead, uint8_t **out, size_t *out_len)
{
	unsigned char *buf = NULL;
	size_t cap = 0, len;
	uint8_t *res;

	len = cbor_serialize_alloc(item, &buf, &cap);
	if (len == 0) {
		free(buf);
		return -1;
	}
	res = malloc(lead + len);
	if (!res) {
		free(buf);
		return -1;
	}
	memcpy(res + lead, buf, len);
	free(buf);
	*out = res;
	*out_len = lead + len;
	return 0;
}

/* The protected header {1: alg, 4: kid}, keys in ascending order. */
static int protected_header(int64_t alg, const uint8_t kid[KID_LEN], uint8_t **out, size_t *out_len)
{
	cbor_item_t *map = cbor_new_definite_map(2);
	int rc = -1;

	if (!map)
		return -1;
	if (map_put(map, cbor_build_uint8(HDR_ALG), build_int(alg)) == 0 &&
	    map_put(map, cbor_build_uint8(HDR_KID), cbor_build_bytestring(kid, KID_LEN)) == 0)
		rc = serialize(map, 0, out, out_len);
	cbor_decref(&map);
	return rc;
}

/* A definite head of major type `major` for argument v, shortest form. */
static size_t put_head(uint8_t *p, unsigned major, uint64_t v)
{
	uint8_t mt = (uint8_t)(major << 5);
	size_t n, i;

	if (v < 24) {
		p[0] = (uint8_t)(mt | v);
		return 1;
	}
	if (v <= 0xff) {
		p[0] = mt | 24;
		n = 1;
	} else if (v <= 0xffff) {
		p[0] = mt | 25;
		n = 2;
	} else if (v <= 0xffffffffu) {
		p[0] = mt | 26;
		n = 4;
	} else {
		p[0] = mt | 27;
		n = 8;
	}
	for (i = 0; i < n; i++)
		p[1 + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return 1 + n;
}

int cose_sig_structure(const uint8_t *protected_hdr, size_t protected_len, const uint8_t *payload,
                       size_t payload_len, uint8_t **out, size_t *out_len, struct err *err)
{
	size_t ctx_len = sizeof(SIG1_CONTEXT) - 1, cap, o = 0;
	uint8_t *buf;

	if (protected_len > COSE_MSG_MAX || payload_len > COSE_MSG_MAX)
		return err_input(err, "COSE 签名结构过长");
	cap = 1 + 9 + ctx_len + 9 + protected_len + 1 + 9 + payload_len;
	buf = malloc(cap);
	if (!buf)
		return err_system(err, "内存不足");
	buf[o++] = 0x84;
	o += put_head(buf + o, 3, ctx_len);
	memcpy(buf + o, SIG1_CONTEXT, ctx_len);
	o += ctx_len;
	o += put_head(buf + o, 2, protected_len);
	if (protected_len)
		memcpy(buf + o, protected_hdr, protected_len);
	o += protected_len;
	buf[o++] = 0x40; /* external_aad: h'' */
	o += put_head(buf + o, 2, payload_len);
	if (payload_len)
		memcpy(buf + o, payload, payload_len);
	o += payload_len;
	*out = buf;
	*out_len = o;
	return 0;
}

int cose_sign1_encode(int64_t alg, const uint8_t kid[KID_LEN], const uint8_t *payload,
                      size_t payload_len, cose_sign_fn sign, void *ctx, uint8_t **out,
                      size_t *out_len, struct err *err)
{
	uint8_t *prot = NULL, *tbs = NULL, sig[COSE_SIG_MAX];
	size_t prot_len = 0, tbs_len = 0, sig_len = 0;
	cbor_item_t *arr = NULL;
	int rc = -1;

	*out = NULL;
	*out_len = 0;
	if (!payload || payload_len == 0 || payload_len > COSE_PAYLOAD_MAX)
		return err_input(err, "COSE 载荷长度不在 1..%d 字节之内", COSE_PAYLOAD_MAX);
	if (protected_header(alg, kid, &prot, &prot_len) != 0)
		return err_system(err, "内存不足");
	if (cose_sig_structure(prot, prot_len, payload, payload_len, &tbs, &tbs_len, err) != 0)
		goto done;
	if (sign(ctx, tbs, tbs_len, sig, &sig_len, err) != 0)
		goto done;
	if (sig_len == 0 || sig_len > COSE_SIG_MAX) {
		err_system(err, "签名长度异常");
		goto done;
	}
	arr = cbor_new_definite_array(4);
	if (!arr || array_put(arr, cbor_build_bytestring(prot, prot_len)) != 0 ||
	    array_put(arr, cbor_new_definite_map(0)) != 0 ||
	    array_put(arr, cbor_build_bytestring(payload, payload_len)) != 0 ||
	    array_put(arr, cbor_build_bytestring(sig, sig_len)) != 0 ||
	    serialize(arr, 1, out, out_len) != 0) {
		err_system(err, "内存不足");
		goto done;
	}
	(*out)[0] = COSE_TAG_SIGN1;
	rc = 0;
done:
	if (arr)
		cbor_decref(&arr);
	free(prot);
	free(tbs);
	sodium_memzero(sig, sizeof(sig));
	return rc;
}

struct ed25519_ctx {
	const uint8_t *sk;
};

static int sign_ed25519(void *ctx, const uint8_t *tbs, size_t tbs_len, uint8_t *sig,
                        size_t *sig_len, struct err *err)
{
	const struct ed25519_ctx *c = ctx;
	unsigned long long n = 0;

	if (crypto_sign_detached(sig, &n, tbs, tbs_len, c->sk) != 0 || n != crypto_sign_BYTES)
		return err_system(err, "Ed25519 签名失败");
	*sig_len = (size_t)n;
	return 0;
}

int cose_sign1_encode_ed25519(const uint8_t kid[KID_LEN], const uint8_t sk[64],
                              const uint8_t *payload, size_t payload_len, uint8_t **out,
                              size_t *out_len, struct err *err)
{
	struct ed25519_ctx ctx = {.sk = sk};

	if (sodium_init() < 0)
		return err_system(err, "libsodium 初始化失败");
	return cose_sign1_encode(COSE_ALG_EDDSA, kid, payload, payload_len, sign_ed25519, &ctx, out,
	                         out_len, err);
}

static int sign_sm2(void *ctx, const uint8_t *tbs, size_t tbs_len, uint8_t *sig, size_t *sig_len,
                    struct err *err)
{
	if (sm2_sign(ctx, tbs, tbs_len, sig, err) != 0)
		return -1;
	*sig_len = SM2_SIG_LEN;
	return 0;
}

int cose_sign1_encode_sm2(const uint8_t kid[KID_LEN], const uint8_t sk[32], const uint8_t *payload,
                          size_t payload_len, uint8_t **out, size_t *out_len, struct err *err)
{
	return cose_sign1_encode(COSE_ALG_SM2, kid, payload, payload_len, sign_sm2, (void *)sk, out,
	                         out_len, err);
}

/* ---- parsing ----------------------------------------------------------- */

/* A label or an alg value: an integer within int64_t. */
static int get_int(const cbor_item_t *it, int64_t *v)
{
	uint64_t u;

	if (cbor_isa_uint(it)) {
		u = cbor_get_int(it);
		if (u > INT64_MAX)
			return -1;
		*v = (int64_t)u;
		return 0;
	}
	if (cbor_isa_negint(it)) {
		u = cbor_get_int(it);
		if (u > INT64_MAX)
			return -1;
		*v = -1 - (int64_t)u;
		return 0;
	}
	return -1;
}

static int is_bstr(const cbor_item_t *it)
{
	return cbor_isa_bytestring(it) && cbor_bytestring_is_definite(it);
}

/* Parse the protected header into alg and kid. */
static int parse_protected(const uint8_t *p, size_t n, int64_t *alg, uint8_t kid[KID_LEN],
                           struct err *err)
{
	struct cbor_load_result res;
	cbor_item_t *map;
	struct cbor_pair *pairs;
	size_t i, count;
	int64_t label;
	int have_alg = 0, have_kid = 0, rc = -1;

	if (n == 0 || n > COSE_HDR_MAX || cose_cbor_check(p, n, 2) != 0)
		return err_input(err, "COSE 受保护头格式错误");
	map = cbor_load(p, n, &res);
	if (!map)
		return res.error.code == CBOR_ERR_MEMERROR
		           ? err_system(err, "内存不足")
		           : err_input(err, "COSE 受保护头格式错误");
	if (!cbor_isa_map(map) || res.read != n) {
		err_input(err, "COSE 受保护头不是映射");
		goto done;
	}
	count = cbor_map_size(map);
	pairs = cbor_map_handle(map);
	for (i = 0; i < count; i++) {
		if (get_int(pairs[i].key, &label) != 0)
			continue; /* a text label: not ours, not critical */
		if (label == HDR_CRIT) {
			err_input(err, "COSE 含不认识的关键头参数");
			goto done;
		} else if (label == HDR_ALG) {
			if (have_alg++ || get_int(pairs[i].value, alg) != 0) {
				err_input(err, "COSE 算法参数错误");
				goto done;
			}
		} else if (label == HDR_KID) {
			if (have_kid++ || !is_bstr(pairs[i].value) ||
			    cbor_bytestring_length(pairs[i].value) != KID_LEN) {
				err_input(err, "COSE 密钥标识错误");
				goto done;
			}
			memcpy(kid, cbor_bytestring_handle(pairs[i].value), KID_LEN);
		}
	}
	if (!have_alg || !have_kid) {
		err_input(err, "COSE 受保护头缺少算法或密钥标识");
		goto done;
	}
	rc = 0;
done:
	cbor_decref(&map);
	return rc;
}

/* The unprotected bucket: a map without alg, kid or crit. */
static int check_unprotected(const cbor_item_t *map, struct err *err)
{
	struct cbor_pair *pairs;
	size_t i, count;
	int64_t label;

	if (!cbor_isa_map(map))
		return err_input(err, "COSE 非保护头不是映射");
	count = cbor_map_size(map);
	pairs = cbor_map_handle(map);
	for (i = 0; i < count; i++) {
		if (get_int(pairs[i].key, &label) != 0)
			continue;
		if (label == HDR_ALG || label == HDR_KID || label == HDR_CRIT)
			return err_input(err, "COSE 非保护头含算法、密钥标识或关键头参数");
	}
	return 0;
}

void cose_sign1_free(struct cose_sign1 *m)
{
	if (!m)
		return;
	free(m->mem_);
	memset(m, 0, sizeof(*m));
}

int cose_sign1_decode(const uint8_t *msg, size_t len, struct cose_sign1 *out, struct err *err)
{
	struct cbor_load_result res;
	cbor_item_t *arr = NULL;
	cbor_item_t *prot, *unprot, *payload, *sig;
	size_t prot_len, payload_len, sig_len, tbs_len = 0;
	uint8_t *tbs = NULL, *mem, *p;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (!msg || len == 0 || len > COSE_MSG_MAX)
		return err_input(err, "COSE 消息长度不在 1..%d 字节之内", COSE_MSG_MAX);
	if (msg[0] == COSE_TAG_SIGN1) {
		msg++;
		len--;
	}
	if (len == 0 || msg[0] != 0x84 || cose_cbor_check(msg, len, COSE_MAX_DEPTH) != 0)
		return err_input(err, "不是 COSE_Sign1 消息");
	arr = cbor_load(msg, len, &res);
	if (!arr)
		return res.error.code == CBOR_ERR_MEMERROR ? err_system(err, "内存不足")
		                                           : err_input(err, "不是 COSE_Sign1 消息");
	if (res.read != len || !cbor_isa_array(arr) || cbor_array_size(arr) != 4) {
		err_input(err, "不是 COSE_Sign1 消息");
		goto done;
	}
	/* borrowed: arr owns them */
	prot = cbor_array_handle(arr)[0];
	unprot = cbor_array_handle(arr)[1];
	payload = cbor_array_handle(arr)[2];
	sig = cbor_array_handle(arr)[3];
	if (!is_bstr(prot) || !is_bstr(payload) || !is_bstr(sig)) {
		err_input(err, "COSE_Sign1 字段类型错误");
		goto done;
	}
	prot_len = cbor_bytestring_length(prot);
	payload_len = cbor_bytestring_length(payload);
	sig_len = cbor_bytestring_length(sig);
	if (payload_len == 0 || payload_len > COSE_PAYLOAD_MAX) {
		err_input(err, "COSE 载荷长度不在 1..%d 字节之内", COSE_PAYLOAD_MAX);
		goto done;
	}
	if (sig_len == 0 || sig_len > COSE_SIG_MAX) {
		err_input(err, "COSE 签名长度错误");
		goto done;
	}
	if (parse_protected(cbor_bytestring_handle(prot), prot_len, &out->alg, out->kid, err) !=
	        0 ||
	    check_unprotected(unprot, err) != 0)
		goto done;
	if (cose_sig_structure(cbor_bytestring_handle(prot), prot_len,
	                       cbor_bytestring_handle(payload), payload_len, &tbs, &tbs_len,
	                       err) != 0)
		goto done;
	mem = malloc(prot_len + payload_len + sig_len + tbs_len);
	if (!mem) {
		err_system(err, "内存不足");
		goto done;
	}
	p = mem;
	memcpy(p, cbor_bytestring_handle(prot), prot_len);
	out->protected_hdr = p;
	out->protected_len = prot_len;
	p += prot_len;
	memcpy(p, cbor_bytestring_handle(payload), payload_len);
	out->payload = p;
	out->payload_len = payload_len;
	p += payload_len;
	memcpy(p, cbor_bytestring_handle(sig), sig_len);
	out->signature = p;
	out->signature_len = sig_len;
	p += sig_len;
	memcpy(p, tbs, tbs_len);
	out->tbs = p;
	out->tbs_len = tbs_len;
	out->mem_ = mem;
	rc = 0;
done:
	free(tbs);
	cbor_decref(&arr);
	if (rc != 0) {
		struct err keep = *err;

		cose_sign1_free(out);
		*err = keep;
	}
	return rc;
}

int cose_sign1_verify_ed25519(const struct cose_sign1 *m, const uint8_t pk[32])
{
	if (!m || !m->mem_ || m->alg != COSE_ALG_EDDSA || m->signature_len != crypto_sign_BYTES)
		return 0;
	if (sodium_init() < 0)
		return 0;
	return crypto_sign_verify_detached(m->signature, m->tbs, m->tbs_len, pk) == 0;
}

int cose_sign1_verify_sm2(const struct cose_sign1 *m, const uint8_t *pk, size_t pk_len)
{
	if (!m || !m->mem_ || m->alg != COSE_ALG_SM2 || m->signature_len != SM2_SIG_LEN)
		return 0;
	return sm2_verify(pk, pk_len, m->tbs, m->tbs_len, m->signature, m->signature_len);
}
