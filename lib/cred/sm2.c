/*
 * sm2.c - SM2 with SM3 through OpenSSL 3's EVP interface (sm2.h).
 */
#include "sm2.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>

#define SM2_DER_MAX 80 /* SEQUENCE of two INTEGERs of at most 33 bytes */

/* The curve, or NULL when OpenSSL lacks it. */
static EC_GROUP *sm2_group(void)
{
	return EC_GROUP_new_by_curve_name(NID_sm2);
}

/* d as a BIGNUM when 1 <= d <= n - 2 (GB/T 32918.1), else NULL. */
static BIGNUM *scalar(const EC_GROUP *g, const uint8_t sk[SM2_SK_LEN])
{
	/* secure: OpenSSL copies it into parameters kept apart and wiped when freed */
	BIGNUM *d = BN_secure_new();
	BIGNUM *max = BN_dup(EC_GROUP_get0_order(g));
	int ok = d && BN_bin2bn(sk, SM2_SK_LEN, d) && max && BN_sub_word(max, 2) &&
	         !BN_is_zero(d) && BN_cmp(d, max) <= 0;

	BN_free(max);
	if (!ok) {
		BN_clear_free(d);
		return NULL;
	}
	return d;
}

static int point_of(const EC_GROUP *g, const BIGNUM *d, uint8_t pk[SM2_PK_LEN])
{
	EC_POINT *p = EC_POINT_new(g);
	int ok = p && EC_POINT_mul(g, p, d, NULL, NULL, NULL) &&
	         EC_POINT_point2oct(g, p, POINT_CONVERSION_UNCOMPRESSED, pk, SM2_PK_LEN, NULL) ==
	             SM2_PK_LEN;

	EC_POINT_free(p);
	return ok ? 0 : -1;
}

int sm2_public(const uint8_t sk[SM2_SK_LEN], uint8_t pk[SM2_PK_LEN], struct err *e)
{
	EC_GROUP *g = sm2_group();
	BIGNUM *d;
	int rc;

	if (!g)
		return err_system(e, "OpenSSL 不支持 SM2 曲线");
	d = scalar(g, sk);
	if (!d) {
		EC_GROUP_free(g);
		return err_input(e, "SM2 私钥无效");
	}
	rc = point_of(g, d, pk);
	BN_clear_free(d);
	EC_GROUP_free(g);
	return rc == 0 ? 0 : err_system(e, "SM2 公钥计算失败");
}

int sm2_keygen(uint8_t sk[SM2_SK_LEN], uint8_t pk[SM2_PK_LEN], struct err *e)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "SM2");
	BIGNUM *d = NULL;
	int ok;

	if (!key)
		return err_system(e, "SM2 密钥生成失败");
	ok = EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_PRIV_KEY, &d) &&
	     BN_bn2binpad(d, sk, SM2_SK_LEN) == SM2_SK_LEN;
	BN_clear_free(d);
	EVP_PKEY_free(key);
	if (!ok || sm2_public(sk, pk, e) != 0) {
		OPENSSL_cleanse(sk, SM2_SK_LEN);
		return err_system(e, "SM2 密钥生成失败");
	}
	return 0;
}

/* An EVP_PKEY of the SM2 type from a public point and, when d is given, the private scalar. */
static EVP_PKEY *make_key(const uint8_t *pk, size_t pk_len, const BIGNUM *d)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	if (!b || !OSSL_PARAM_BLD_push_utf8_string(b, OSSL_PKEY_PARAM_GROUP_NAME, "SM2", 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(b, OSSL_PKEY_PARAM_PUB_KEY, pk, pk_len) ||
	    (d && !OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_PRIV_KEY, d)))
		goto done;
	params = OSSL_PARAM_BLD_to_param(b);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "SM2", NULL);
	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, d ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params) <= 0)
		key = NULL;
done:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	return key;
}

/* A digest-sign or -verify context for key with SM3 and the default ID. */
static EVP_MD_CTX *md_ctx(EVP_PKEY *key, int sign)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	if (!m)
		return NULL;
	ok = sign ? EVP_DigestSignInit_ex(m, &pctx, "SM3", NULL, NULL, key, NULL)
	          : EVP_DigestVerifyInit_ex(m, &pctx, "SM3", NULL, NULL, key, NULL);
	if (ok <= 0 || !pctx || EVP_PKEY_CTX_set1_id(pctx, SM2_ID, strlen(SM2_ID)) <= 0) {
		EVP_MD_CTX_free(m);
		return NULL;
	}
	return m;
}

int sm2_sign(const uint8_t sk[SM2_SK_LEN], const uint8_t *msg, size_t len, uint8_t sig[SM2_SIG_LEN],
             struct err *e)
{
	EC_GROUP *g = sm2_group();
	BIGNUM *d = NULL;
	uint8_t pk[SM2_PK_LEN], der[SM2_DER_MAX];
	size_t der_len = sizeof(der);
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *m = NULL;
	int rc = -1;

	if (!g)
		return err_system(e, "OpenSSL 不支持 SM2 曲线");
	d = scalar(g, sk);
	if (!d) {
		err_input(e, "SM2 私钥无效");
		goto done;
	}
	if (point_of(g, d, pk) != 0 || !(key = make_key(pk, sizeof(pk), d)) ||
	    !(m = md_ctx(key, 1)) || EVP_DigestSign(m, der, &der_len, msg, len) <= 0) {
		err_system(e, "SM2 签名失败");
		goto done;
	}
	rc = sm2_sig_from_der(der, der_len, sig, e);
done:
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(key);
	BN_clear_free(d);
	EC_GROUP_free(g);
	OPENSSL_cleanse(der, sizeof(der));
	return rc;
}

int sm2_verify(const uint8_t *pk, size_t pk_len, const uint8_t *msg, size_t len, const uint8_t *sig,
               size_t sig_len)
{
	uint8_t der[SM2_DER_MAX];
	size_t der_len = 0;
	EVP_PKEY *key = NULL;
	EVP_MD_CTX *m = NULL;
	struct err e;
	int ok = 0;

	if (!pk || !sig || (!msg && len) || pk_len != SM2_PK_LEN || pk[0] != 0x04 ||
	    sig_len != SM2_SIG_LEN)
		return 0;
	if (sm2_sig_to_der(sig, der, sizeof(der), &der_len, &e) != 0)
		return 0;
	key = make_key(pk, pk_len, NULL);
	if (key && (m = md_ctx(key, 0)))
		ok = EVP_DigestVerify(m, der, der_len, msg ? msg : (const uint8_t *)"", len) == 1;
	EVP_MD_CTX_free(m);
	EVP_PKEY_free(key);
	return ok;
}

int sm2_sig_from_der(const uint8_t *der, size_t der_len, uint8_t sig[SM2_SIG_LEN], struct err *e)
{
	const unsigned char *p = der;
	ECDSA_SIG *s = NULL;
	const BIGNUM *r, *sv;
	unsigned char *back = NULL;
	int n, ok = 0;

	if (!der || der_len == 0 || der_len > SM2_DER_MAX)
		return err_input(e, "SM2 签名格式错误");
	s = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (s && p == der + der_len) {
		ECDSA_SIG_get0(s, &r, &sv);
		/* strict DER: the encoding must be the one OpenSSL writes back */
		n = i2d_ECDSA_SIG(s, &back);
		ok = n == (int)der_len && memcmp(back, der, der_len) == 0 && !BN_is_zero(r) &&
		     !BN_is_zero(sv) && !BN_is_negative(r) && !BN_is_negative(sv) &&
		     BN_bn2binpad(r, sig, 32) == 32 && BN_bn2binpad(sv, sig + 32, 32) == 32;
		OPENSSL_free(back);
	}
	ECDSA_SIG_free(s);
	return ok ? 0 : err_input(e, "SM2 签名格式错误");
}

int sm2_sig_to_der(const uint8_t sig[SM2_SIG_LEN], uint8_t *der, size_t cap, size_t *der_len,
                   struct err *e)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, NULL), *sv = BN_bin2bn(sig + 32, 32, NULL);
	unsigned char *p = der;
	int n;

	if (!s || !r || !sv) {
		ECDSA_SIG_free(s);
		BN_free(r);
		BN_free(sv);
		return err_system(e, "内存不足");
	}
	if (BN_is_zero(r) || BN_is_zero(sv) || !ECDSA_SIG_set0(s, r, sv)) {
		ECDSA_SIG_free(s);
		BN_free(r);
		BN_free(sv);
		return err_input(e, "SM2 签名格式错误");
	}
	n = i2d_ECDSA_SIG(s, NULL);
	if (n <= 0 || (size_t)n > cap) {
		ECDSA_SIG_free(s);
		return err_input(e, "SM2 签名格式错误");
	}
	n = i2d_ECDSA_SIG(s, &p);
	ECDSA_SIG_free(s);
	if (n <= 0)
		return err_system(e, "SM2 签名编码失败");
	*der_len = (size_t)n;
	return 0;
}
