/*
 * test_trust.c - key ids and trust lists (trust.h): key id vectors, look-ups,
 * validity periods, log key names; the signed trust list written from a
 * struct and from a key store and read back with the pinned root; and every
 * way a list must be refused: signed by another root, a changed byte, a
 * swapped kid, oversize, unknown algorithms, malformed base64 or hex, extra
 * or missing members, duplicate key ids, bad periods, an embedded root that
 * is not the pinned one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys.h"
#include "trust.h"
#include "fixture.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define T0       1735689600

struct kp {
	uint8_t pk[32];
	uint8_t sk[64];
	uint8_t kid[KID_LEN];
	char hex[2 * KID_LEN + 1];
	char b64[44];
};

static struct kp ROOT, OTHER, ISS1, ISS2, LOGK;

static void kp_make(struct kp *k, unsigned char fill)
{
	uint8_t seed[32];

	memset(seed, fill, sizeof(seed));
	crypto_sign_seed_keypair(k->pk, k->sk, seed);
	trust_kid(k->pk, 32, k->kid);
	trust_kid_hex(k->kid, k->hex);
	sodium_bin2base64(k->b64, sizeof(k->b64), k->pk, 32,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static void set_key(struct trust_key *t, const struct kp *k, int64_t nb, int64_t na)
{
	memset(t, 0, sizeof(*t));
	memcpy(t->kid, k->kid, KID_LEN);
	t->alg = ALG_ED25519;
	memcpy(t->pk, k->pk, 32);
	t->pk_len = 32;
	t->not_before = nb;
	t->not_after = na;
}

static struct trust_list *base_list(void)
{
	struct trust_list *tl = calloc(1, sizeof(*tl));

	assert_non_null(tl);
	tl->issued_at = T0 + 7200;
	memcpy(tl->root_kid, ROOT.kid, KID_LEN);
	memcpy(tl->root_pk, ROOT.pk, 32);
	set_key(&tl->log_key, &LOGK, 0, 0);
	strcpy(tl->log_name, "gy.example/opcert-log");
	set_key(&tl->keys[0], &ISS1, T0, T0 + 3600);
	set_key(&tl->keys[1], &ISS2, T0 + 3600, 0);
	tl->nkeys = 2;
	strcpy(tl->issuers[0].code, "I1");
	strcpy(tl->issuers[0].name, "贵阳市住房和城乡建设局");
	strcpy(tl->issuers[1].code, "I2");
	strcpy(tl->issuers[1].name, "贵州省住房和城乡建设厅");
	tl->nissuers = 2;
	return tl;
}

/* An envelope around payload, signed by signer, naming kid (NULL: the signer's). */
static char *sign_env(const char *payload, size_t len, const struct kp *signer, const uint8_t *kid)
{
	uint8_t sig[64];
	struct err e;
	char *out;

	crypto_sign_detached(sig, NULL, (const uint8_t *)payload, len, signer->sk);
	err_clear(&e);
	out = trust_envelope_json(payload, len, kid ? kid : signer->kid, sig, &e);
	if (!out)
		fail_msg("envelope: %s", e.msg);
	return out;
}

static char *good_payload(size_t *len)
{
	struct trust_list *tl = base_list();
	struct err e;
	char *p;

	err_clear(&e);
	p = trust_payload_json(tl, len, &e);
	if (!p)
		fail_msg("payload: %s", e.msg);
	free(tl);
	return p;
}

static int parse(const char *text, size_t len, const uint8_t *pin, struct trust_list *out,
                 int *pinned, struct err *e)
{
	err_clear(e);
	return trust_parse(text, len, pin, out, pinned, e);
}

static void expect_refused(const char *what, const char *text, size_t len, const uint8_t *pin,
                           const char *part)
{
	struct trust_list *tl = malloc(sizeof(*tl));
	struct err e;
	int pinned = -1;

	assert_non_null(tl);
	if (parse(text, len, pin, tl, &pinned, &e) == 0)
		fail_msg("%s: accepted", what);
	if (e.kind != ERR_INPUT)
		fail_msg("%s: error kind %d (%s)", what, (int)e.kind, e.msg);
	if (part && !strstr(e.msg, part))
		fail_msg("%s: message \"%s\" lacks \"%s\"", what, e.msg, part);
	assert_int_equal(tl->nkeys, 0); /* nothing half-filled is left */
	assert_int_equal(pinned, 0);
	free(tl);
}

/* ---- key ids, look-ups, periods, names ---- */

static void test_kid(void **state)
{
	static const struct {
		const char *data;
		size_t len;
		const char *hex;
	} cases[] = {
	    /* SHA-256("abc") = ba7816bf8f01cfea 414140de5dae2223 ... */
	    {"abc", 3, "ba7816bf8f01cfea"},
	    /* SHA-256 of 32 zero bytes = 66687aadf862bd77 6c8fc18b8e9f8e20 ... */
	    {"\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 32,
	     "66687aadf862bd77"},
	    /* SHA-256("") = e3b0c44298fc1c14 ... */
	    {"", 0, "e3b0c44298fc1c14"},
	};
	size_t c;

	(void)state;
	for (c = 0; c < COUNT(cases); c++) {
		uint8_t kid[KID_LEN];
		char hex[2 * KID_LEN + 1];

		memset(hex, 'x', sizeof(hex));
		trust_kid((const uint8_t *)cases[c].data, cases[c].len, kid);
		assert_ptr_equal(trust_kid_hex(kid, hex), hex);
		assert_string_equal(hex, cases[c].hex);
	}
}

static void test_find_and_names(void **state)
{
	struct trust_list *tl = base_list();
	static const struct {
		const char *code;
		const char *name;
	} names[] = {
	    {"I1", "贵阳市住房和城乡建设局"},
	    {"I2", "贵州省住房和城乡建设厅"},
	    {"I3", NULL},
	    {"", NULL},
	    {"i1", NULL},
	};
	size_t c;

	(void)state;
	assert_ptr_equal(trust_find(tl, ISS1.kid), &tl->keys[0]);
	assert_ptr_equal(trust_find(tl, ISS2.kid), &tl->keys[1]);
	assert_null(trust_find(tl, ROOT.kid)); /* the root signs lists, not credentials */
	assert_null(trust_find(tl, LOGK.kid));
	for (c = 0; c < COUNT(names); c++) {
		const char *n = trust_issuer_name(tl, names[c].code);

		if (names[c].name)
			assert_string_equal(n, names[c].name);
		else
			assert_null(n);
	}
	assert_null(trust_issuer_name(tl, NULL));
	free(tl);
}

static void test_valid_at(void **state)
{
	static const struct {
		int64_t nb, na, t;
		int want;
	} cases[] = {
	    {100, 200, 99, 0},  {100, 200, 100, 1}, {100, 200, 150, 1}, {100, 200, 200, 1},
	    {100, 200, 201, 0}, {100, 0, 99, 0},    {100, 0, 100, 1},   {100, 0, INT64_MAX, 1},
	    {100, 100, 100, 1}, {100, 100, 101, 0},
	};
	size_t c;

	(void)state;
	for (c = 0; c < COUNT(cases); c++) {
		struct trust_key k;

		set_key(&k, &ISS1, cases[c].nb, cases[c].na);
		assert_int_equal(trust_key_valid_at(&k, cases[c].t), cases[c].want);
	}
}

static void test_log_name_ok(void **state)
{
	static const struct {
		const char *name;
		int ok;
	} cases[] = {
	    {"opcert-log-0123456789abcdef", 1},
	    {"gy.example.cn/log", 1},
	    {"~!@#$%^&*()", 1},
	    {"", 0},
	    {"a b", 0},
	    {"a+b", 0},
	    {"tab\there", 0},
	    {"贵阳", 0},
	    {"x\x7f", 0},
	};
	char longname[TRUST_LOG_NAME_MAX + 1];
	size_t c;

	(void)state;
	for (c = 0; c < COUNT(cases); c++)
		assert_int_equal(trust_log_name_ok(cases[c].name), cases[c].ok);
	assert_int_equal(trust_log_name_ok(NULL), 0);
	memset(longname, 'a', sizeof(longname));
	longname[TRUST_LOG_NAME_MAX - 1] = '\0';
	assert_int_equal(trust_log_name_ok(longname), 1); /* 127 bytes */
	longname[TRUST_LOG_NAME_MAX - 1] = 'a';
	longname[TRUST_LOG_NAME_MAX] = '\0';
	assert_int_equal(trust_log_name_ok(longname), 0); /* 128 bytes */
}

/* ---- round trip ---- */

static void test_round_trip(void **state)
{
	struct trust_list *want = base_list(), *got = malloc(sizeof(*got));
	size_t len = 0, i;
	char *payload = good_payload(&len), *text;
	struct err e;
	int pinned = -1, pass;

	(void)state;
	assert_non_null(got);
	text = sign_env(payload, len, &ROOT, NULL);
	for (pass = 0; pass < 2; pass++) {
		if (parse(text, strlen(text), pass ? NULL : ROOT.pk, got, &pinned, &e) != 0)
			fail_msg("parse: %s", e.msg);
		assert_int_equal(pinned, pass ? 0 : 1);
		assert_int_equal(got->issued_at, want->issued_at);
		assert_memory_equal(got->root_kid, ROOT.kid, KID_LEN);
		assert_memory_equal(got->root_pk, ROOT.pk, 32);
		assert_memory_equal(got->log_key.kid, LOGK.kid, KID_LEN);
		assert_memory_equal(got->log_key.pk, LOGK.pk, 32);
		assert_int_equal(got->log_key.alg, ALG_ED25519);
		assert_string_equal(got->log_name, want->log_name);
		assert_int_equal(got->nkeys, want->nkeys);
		for (i = 0; i < want->nkeys; i++) {
			assert_memory_equal(got->keys[i].kid, want->keys[i].kid, KID_LEN);
			assert_int_equal(got->keys[i].alg, ALG_ED25519);
			assert_int_equal(got->keys[i].pk_len, 32);
			assert_memory_equal(got->keys[i].pk, want->keys[i].pk, 32);
			assert_int_equal(got->keys[i].not_before, want->keys[i].not_before);
			assert_int_equal(got->keys[i].not_after, want->keys[i].not_after);
		}
		assert_int_equal(got->nissuers, want->nissuers);
		for (i = 0; i < want->nissuers; i++) {
			assert_string_equal(got->issuers[i].code, want->issuers[i].code);
			assert_string_equal(got->issuers[i].name, want->issuers[i].name);
		}
	}
	/* the payload is the documented compact JSON, UTF-8 as is */
	assert_non_null(strstr(payload, "\"keys\":[{\"kid\":\""));
	assert_non_null(strstr(payload, "\"not_after\":null}"));
	assert_non_null(strstr(payload, "\"name\":\"贵阳市住房和城乡建设局\""));
	assert_int_equal(strncmp(payload, "{\"version\":1,\"issued_at\":", 25), 0);
	free(text);
	free(payload);
	free(want);
	free(got);
}

/* ---- refused envelopes ---- */

enum env_edit {
	ED_NONE,
	ED_SET,      /* set member to a string */
	ED_SET_INT,  /* set member to an integer */
	ED_DEL,      /* delete member */
	ED_PAYLOAD,  /* flip one byte of the decoded payload, keep the signature */
	ED_B64CHAR,  /* change one character of the base64 payload */
	ED_OVERSIZE, /* pad the file beyond TRUST_LIST_MAX */
	ED_RAW,      /* the text is value */
};

static char *edit_env(const char *good, enum env_edit ed, const char *member, const char *value)
{
	json_error_t jerr;
	json_t *o;
	char *out;

	if (ed == ED_RAW)
		return strdup(value);
	if (ed == ED_OVERSIZE) {
		size_t n = strlen(good);

		out = malloc(TRUST_LIST_MAX + 2);
		assert_non_null(out);
		memcpy(out, good, n);
		memset(out + n, ' ', TRUST_LIST_MAX + 1 - n);
		out[TRUST_LIST_MAX + 1] = '\0';
		return out;
	}
	o = json_loads(good, 0, &jerr);
	assert_non_null(o);
	if (ed == ED_SET)
		json_object_set_new(o, member, json_string(value));
	else if (ed == ED_SET_INT)
		json_object_set_new(o, member, json_integer(7));
	else if (ed == ED_DEL)
		json_object_del(o, member);
	else if (ed == ED_PAYLOAD || ed == ED_B64CHAR) {
		const char *b = json_string_value(json_object_get(o, "payload"));
		size_t bl = strlen(b), n = 0;
		char *copy = strdup(b);
		unsigned char *raw = malloc(bl);

		assert_non_null(copy);
		assert_non_null(raw);
		if (ed == ED_B64CHAR) {
			copy[bl / 2] = copy[bl / 2] == 'A' ? 'B' : 'A';
		} else {
			char *re = malloc(bl + 8);

			assert_non_null(re);
			assert_int_equal(
			    sodium_base642bin(raw, bl, b, bl, NULL, &n, NULL,
			                      sodium_base64_VARIANT_URLSAFE_NO_PADDING),
			    0);
			/* "贵阳市" → "贵阳币": one byte of the issuer name */
			{
				unsigned char *hit = NULL;
				size_t i;

				for (i = 0; i + 9 <= n && !hit; i++)
					if (memcmp(raw + i, "贵阳市", 9) == 0)
						hit = raw + i + 8;
				assert_non_null(hit);
				*hit ^= 0x01;
			}
			sodium_bin2base64(re, bl + 8, raw, n,
			                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
			free(copy);
			copy = re;
		}
		json_object_set_new(o, "payload", json_string(copy));
		free(copy);
		free(raw);
	}
	out = json_dumps(o, JSON_INDENT(2));
	json_decref(o);
	assert_non_null(out);
	return out;
}

static void test_envelope_refused(void **state)
{
	static const struct {
		const char *what;
		enum env_edit ed;
		const char *member;
		const char *value;
		const char *msg;
	} cases[] = {
	    {"changed byte in the payload", ED_PAYLOAD, NULL, NULL, "签名无效"},
	    {"changed base64 character", ED_B64CHAR, NULL, NULL, NULL},
	    {"kid of an issuing key", ED_SET, "kid", "@ISS1", "kid"},
	    {"kid of another root", ED_SET, "kid", "@OTHER", "kid"},
	    {"oversize", ED_OVERSIZE, NULL, NULL, "过大"},
	    {"alg ES256", ED_SET, "alg", "ES256", "不受支持"},
	    {"alg lowercase", ED_SET, "alg", "ed25519", "不受支持"},
	    {"alg SM2", ED_SET, "alg", "SM2", "不受支持"},
	    {"alg not a string", ED_SET_INT, "alg", NULL, "不受支持"},
	    {"kid uppercase", ED_SET, "kid", "@UPPER", "十六进制"},
	    {"kid too short", ED_SET, "kid", "0123", "十六进制"},
	    {"kid not hex", ED_SET, "kid", "0123456789abcdeg", "十六进制"},
	    {"signature short", ED_SET, "signature", "AAAA", "长度不对"},
	    {"signature padded", ED_SET, "signature", "@SIGPAD", NULL},
	    {"signature std base64", ED_SET, "signature", "@SIGSTD", "base64url"},
	    {"payload padded", ED_SET, "payload", "@PAYPAD", "base64url"},
	    {"payload std base64", ED_SET, "payload", "ab+/", "base64url"},
	    {"payload empty", ED_SET, "payload", "", NULL},
	    {"payload not JSON", ED_SET, "payload", "bm90IGpzb24", NULL},
	    {"extra member", ED_SET, "comment", "x", "未知字段"},
	    {"no signature", ED_DEL, "signature", NULL, "缺少"},
	    {"no payload", ED_DEL, "payload", NULL, "缺少"},
	    {"not JSON", ED_RAW, NULL, "not json", "JSON"},
	    {"empty", ED_RAW, NULL, "", "JSON"},
	    {"an array", ED_RAW, NULL, "[]", "不是对象"},
	    {"duplicate members", ED_RAW, NULL,
	     "{\"payload\":\"e30\",\"kid\":\"0000000000000000\",\"kid\":\"0000000000000000\","
	     "\"alg\":\"Ed25519\",\"signature\":\"x\"}",
	     "JSON"},
	};
	size_t len = 0, c;
	char *payload = good_payload(&len);
	char *good = sign_env(payload, len, &ROOT, NULL);
	char upper[17], sigpad[100], sigstd[100], paypad[8];

	(void)state;
	{
		json_t *o = json_loads(good, 0, NULL);
		const char *s = json_string_value(json_object_get(o, "signature"));
		size_t i;

		snprintf(sigpad, sizeof(sigpad), "%s==", s);
		snprintf(sigstd, sizeof(sigstd), "%s", s);
		for (i = 0; sigstd[i]; i++)
			if (sigstd[i] == '-' || sigstd[i] == '_')
				break;
		if (!sigstd[i]) /* make sure a standard-alphabet character is there */
			i = 0;
		sigstd[i] = '+';
		json_decref(o);
		for (i = 0; i < 16; i++)
			upper[i] = (char)(ROOT.hex[i] >= 'a' ? ROOT.hex[i] - 32 : ROOT.hex[i]);
		upper[16] = '\0';
		if (strcmp(upper, ROOT.hex) == 0) /* all digits: make one letter */
			upper[0] = 'A';
		strcpy(paypad, "e30=");
	}
	for (c = 0; c < COUNT(cases); c++) {
		const char *v = cases[c].value;
		char *text;

		if (v && strcmp(v, "@ISS1") == 0)
			v = ISS1.hex;
		else if (v && strcmp(v, "@OTHER") == 0)
			v = OTHER.hex;
		else if (v && strcmp(v, "@UPPER") == 0)
			v = upper;
		else if (v && strcmp(v, "@SIGPAD") == 0)
			v = sigpad;
		else if (v && strcmp(v, "@SIGSTD") == 0)
			v = sigstd;
		else if (v && strcmp(v, "@PAYPAD") == 0)
			v = paypad;
		text = edit_env(good, cases[c].ed, cases[c].member, v);
		expect_refused(cases[c].what, text, strlen(text), ROOT.pk, cases[c].msg);
		expect_refused(cases[c].what, text, strlen(text), NULL, NULL);
		free(text);
	}
	free(good);

	/* signed by a different root: refused against the pinned root, however it is named */
	good = sign_env(payload, len, &OTHER, NULL);
	expect_refused("other root, own kid", good, strlen(good), ROOT.pk, "固定的根密钥");
	free(good);
	good = sign_env(payload, len, &OTHER, ROOT.kid);
	expect_refused("other root, root's kid", good, strlen(good), ROOT.pk, "签名无效");
	expect_refused("other root, root's kid, unpinned", good, strlen(good), NULL, "签名无效");
	free(good);
	free(payload);
}

/* The embedded root must be the pinned one, even when the pinned root signed the list. */
static void test_embedded_root_must_match(void **state)
{
	struct trust_list *tl = base_list();
	size_t len = 0;
	struct err e;
	char *payload, *text;
	int pinned = -1;

	(void)state;
	memcpy(tl->root_kid, OTHER.kid, KID_LEN);
	memcpy(tl->root_pk, OTHER.pk, 32);
	err_clear(&e);
	payload = trust_payload_json(tl, &len, &e);
	assert_non_null(payload);
	text = sign_env(payload, len, &ROOT, NULL);
	expect_refused("embedded root differs", text, strlen(text), ROOT.pk, "根公钥");
	/* unpinned, the embedded root did not sign it */
	expect_refused("embedded root differs, unpinned", text, strlen(text), NULL, "kid");
	free(text);
	/* signed by the embedded root and unpinned: accepted, reported unpinned */
	text = sign_env(payload, len, &OTHER, NULL);
	assert_int_equal(parse(text, strlen(text), NULL, tl, &pinned, &e), 0);
	assert_int_equal(pinned, 0);
	free(text);
	free(payload);
	free(tl);
}

/* ---- refused payloads, correctly signed ---- */

static char *subst(const char *tmpl)
{
	static const struct {
		const char *tok;
		const struct kp *k;
		int pk;
	} toks[] = {
	    {"{RK}", &ROOT, 0},  {"{RP}", &ROOT, 1},  {"{LK}", &LOGK, 0}, {"{LP}", &LOGK, 1},
	    {"{1K}", &ISS1, 0},  {"{1P}", &ISS1, 1},  {"{2K}", &ISS2, 0}, {"{2P}", &ISS2, 1},
	    {"{OK}", &OTHER, 0}, {"{OP}", &OTHER, 1},
	};
	size_t cap = strlen(tmpl) * 12 + 1, n = 0, i;
	char *out = malloc(cap);
	const char *p = tmpl;

	assert_non_null(out);
	while (*p) {
		for (i = 0; i < COUNT(toks); i++)
			if (strncmp(p, toks[i].tok, 4) == 0)
				break;
		if (i < COUNT(toks)) {
			const char *v = toks[i].pk ? toks[i].k->b64 : toks[i].k->hex;

			memcpy(out + n, v, strlen(v));
			n += strlen(v);
			p += 4;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

#define ROOTJ "\"root\":{\"kid\":\"{RK}\",\"alg\":\"Ed25519\",\"pk\":\"{RP}\"}"
#define LOGJ                                                                                       \
	"\"log_key\":{\"kid\":\"{LK}\",\"alg\":\"Ed25519\",\"pk\":\"{LP}\",\"name\":\"gy/log\"}"
#define K1J                                                                                        \
	"{\"kid\":\"{1K}\",\"alg\":\"Ed25519\",\"pk\":\"{1P}\",\"not_before\":100,\"not_after\":"  \
	"200}"
#define K2J                                                                                        \
	"{\"kid\":\"{2K}\",\"alg\":\"Ed25519\",\"pk\":\"{2P}\",\"not_before\":200,\"not_after\":"  \
	"null}"
#define ISJ  "\"issuers\":[{\"code\":\"I1\",\"name\":\"贵阳市住房和城乡建设局\"}]"
#define HEAD "{\"version\":1,\"issued_at\":300,"

static void test_payload_refused(void **state)
{
	static const struct {
		const char *what;
		const char *tmpl;
		const char *msg; /* NULL: accepted */
	} cases[] = {
	    {"the template itself", HEAD ROOTJ "," LOGJ ",\"keys\":[" K1J "," K2J "]," ISJ "}",
	     NULL},
	    {"no keys, no issuers", HEAD ROOTJ "," LOGJ ",\"keys\":[],\"issuers\":[]}", NULL},
	    {"version 2",
	     "{\"version\":2,\"issued_at\":300," ROOTJ "," LOGJ ",\"keys\":[]," ISJ "}", "版本"},
	    {"version string",
	     "{\"version\":\"1\",\"issued_at\":300," ROOTJ "," LOGJ ",\"keys\":[]," ISJ "}",
	     "版本"},
	    {"issued_at negative",
	     "{\"version\":1,\"issued_at\":-1," ROOTJ "," LOGJ ",\"keys\":[]," ISJ "}",
	     "issued_at"},
	    {"issued_at real",
	     "{\"version\":1,\"issued_at\":300.5," ROOTJ "," LOGJ ",\"keys\":[]," ISJ "}",
	     "issued_at"},
	    {"issued_at beyond 2^53",
	     "{\"version\":1,\"issued_at\":9007199254740992," ROOTJ "," LOGJ ",\"keys\":[]," ISJ
	     "}",
	     "issued_at"},
	    {"key alg SM2 with an Ed25519-sized key",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[{\"kid\":\"{1K}\",\"alg\":\"SM2\",\"pk\":\"{1P}\",\"not_before\":1,"
	     "\"not_after\":null}]," ISJ "}",
	     "长度不对"},
	    {"log alg SM2",
	     HEAD ROOTJ ",\"log_key\":{\"kid\":\"{LK}\",\"alg\":\"SM2\",\"pk\":\"{LP}\","
	                "\"name\":\"gy/log\"},\"keys\":[]," ISJ "}",
	     "不受支持"},
	    {"log alg unknown",
	     HEAD ROOTJ ",\"log_key\":{\"kid\":\"{LK}\",\"alg\":\"Ed448\",\"pk\":\"{LP}\","
	                "\"name\":\"gy/log\"},\"keys\":[]," ISJ "}",
	     "不受支持"},
	    {"duplicate kid", HEAD ROOTJ "," LOGJ ",\"keys\":[" K1J "," K1J "]," ISJ "}", "重复"},
	    {"root as an issuing key",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[{\"kid\":\"{RK}\",\"alg\":\"Ed25519\",\"pk\":\"{RP}\",\"not_before\":1,"
	     "\"not_after\":null}]," ISJ "}",
	     "重复"},
	    {"log key as root",
	     HEAD ROOTJ
	     ",\"log_key\":{\"kid\":\"{RK}\",\"alg\":\"Ed25519\",\"pk\":\"{RP}\",\"name\":\"x\"},"
	     "\"keys\":[]," ISJ "}",
	     "重复"},
	    {"kid of another key",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[{\"kid\":\"{2K}\",\"alg\":\"Ed25519\",\"pk\":\"{1P}\",\"not_before\":1,"
	     "\"not_after\":null}]," ISJ "}",
	     "不符"},
	    {"not_after before not_before",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[{\"kid\":\"{1K}\",\"alg\":\"Ed25519\",\"pk\":\"{1P}\",\"not_before\":5,"
	     "\"not_after\":4}]," ISJ "}",
	     "有效期"},
	    {"not_after zero",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[{\"kid\":\"{1K}\",\"alg\":\"Ed25519\",\"pk\":\"{1P}\",\"not_before\":0,"
	     "\"not_after\":0}]," ISJ "}",
	     "有效期"},
	    {"not_before missing",
	     HEAD ROOTJ "," LOGJ ",\"keys\":[{\"kid\":\"{1K}\",\"alg\":\"Ed25519\",\"pk\":\"{1P}\","
	                "\"not_after\":null}]," ISJ "}",
	     "缺少"},
	    {"unknown member in a key",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[{\"kid\":\"{1K}\",\"alg\":\"Ed25519\",\"pk\":\"{1P}\",\"not_before\":1,"
	     "\"not_after\":null,\"x\":1}]," ISJ "}",
	     "未知字段"},
	    {"unknown top member", HEAD ROOTJ "," LOGJ ",\"keys\":[]," ISJ ",\"x\":1}", "未知字段"},
	    {"no log key", HEAD ROOTJ ",\"keys\":[]," ISJ "}", "缺少"},
	    {"pk padded",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[{\"kid\":\"{1K}\",\"alg\":\"Ed25519\",\"pk\":\"{1P}=\",\"not_before\":1,"
	     "\"not_after\":null}]," ISJ "}",
	     "长度不对"},
	    {"pk short",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[{\"kid\":\"{1K}\",\"alg\":\"Ed25519\",\"pk\":\"AAAA\",\"not_before\":1,"
	     "\"not_after\":null}]," ISJ "}",
	     "长度不对"},
	    {"log name with a space",
	     HEAD ROOTJ
	     ",\"log_key\":{\"kid\":\"{LK}\",\"alg\":\"Ed25519\",\"pk\":\"{LP}\",\"name\":\"a b\"},"
	     "\"keys\":[]," ISJ "}",
	     "名称无效"},
	    {"duplicate issuer code",
	     HEAD ROOTJ
	     "," LOGJ
	     ",\"keys\":[],\"issuers\":[{\"code\":\"I1\",\"name\":\"甲\"},{\"code\":\"I1\","
	     "\"name\":\"乙\"}]}",
	     "重复"},
	    {"issuer code too long",
	     HEAD ROOTJ
	     "," LOGJ ",\"keys\":[],\"issuers\":[{\"code\":\"0123456789abcdef\",\"name\":\"甲\"}]}",
	     "无效"},
	    {"issuer name empty",
	     HEAD ROOTJ "," LOGJ ",\"keys\":[],\"issuers\":[{\"code\":\"I1\",\"name\":\"\"}]}",
	     "无效"},
	    {"issuer name with NUL",
	     HEAD ROOTJ "," LOGJ
	                ",\"keys\":[],\"issuers\":[{\"code\":\"I1\",\"name\":\"a\\u0000b\"}]}",
	     "JSON"},
	    {"duplicate JSON member", HEAD ROOTJ "," ROOTJ "," LOGJ ",\"keys\":[]," ISJ "}",
	     "JSON"},
	    {"keys not an array", HEAD ROOTJ "," LOGJ ",\"keys\":{}," ISJ "}", "数组"},
	};
	struct trust_list *tl = malloc(sizeof(*tl));
	size_t c;

	(void)state;
	assert_non_null(tl);
	for (c = 0; c < COUNT(cases); c++) {
		char *payload = subst(cases[c].tmpl);
		char *text = sign_env(payload, strlen(payload), &ROOT, NULL);
		struct err e;
		int pinned = -1;

		if (!cases[c].msg) {
			if (parse(text, strlen(text), ROOT.pk, tl, &pinned, &e) != 0)
				fail_msg("%s: %s", cases[c].what, e.msg);
			assert_int_equal(pinned, 1);
		} else {
			expect_refused(cases[c].what, text, strlen(text), ROOT.pk, cases[c].msg);
		}
		free(text);
		free(payload);
	}
	free(tl);
}

/* 64 issuing keys fit; a 65th is refused on both sides. */
static void test_key_count_limit(void **state)
{
	struct trust_list *tl = base_list(), *got = malloc(sizeof(*got));
	size_t len = 0, i;
	struct err e;
	char *payload, *text;
	int pinned;

	(void)state;
	assert_non_null(got);
	for (i = 0; i < TRUST_MAX_KEYS; i++) {
		struct kp k;

		kp_make(&k, (unsigned char)(0x40 + i));
		set_key(&tl->keys[i], &k, (int64_t)i, (int64_t)i + 1);
	}
	tl->nkeys = TRUST_MAX_KEYS;
	err_clear(&e);
	payload = trust_payload_json(tl, &len, &e);
	assert_non_null(payload);
	text = sign_env(payload, len, &ROOT, NULL);
	assert_int_equal(parse(text, strlen(text), ROOT.pk, got, &pinned, &e), 0);
	assert_int_equal(got->nkeys, TRUST_MAX_KEYS);
	free(text);
	{
		/* one more entry spliced into the JSON */
		char *at = strstr(payload, "\"keys\":[") + 8;
		char extra[256], *big;
		size_t n;

		snprintf(extra, sizeof(extra),
		         "{\"kid\":\"%s\",\"alg\":\"Ed25519\",\"pk\":\"%s\",\"not_before\":1,"
		         "\"not_after\":null},",
		         ISS1.hex, ISS1.b64);
		n = strlen(payload) + strlen(extra) + 1;
		big = malloc(n);
		assert_non_null(big);
		memcpy(big, payload, (size_t)(at - payload));
		strcpy(big + (at - payload), extra);
		strcat(big, at);
		text = sign_env(big, strlen(big), &ROOT, NULL);
		expect_refused("65 keys", text, strlen(text), ROOT.pk, "过多");
		free(text);
		free(big);
	}
	tl->nkeys = TRUST_MAX_KEYS + 1;
	assert_null(trust_payload_json(tl, &len, &e));
	free(payload);
	free(tl);
	free(got);
}

static void test_payload_json_refuses(void **state)
{
	static const struct {
		const char *what;
		int field;
	} cases[] = {
	    {"log name with a space", 0},   {"issuing key of no algorithm", 1},
	    {"issuing key of 33 bytes", 2}, {"issuer code not terminated", 3},
	    {"issuer name not UTF-8", 4},
	};
	size_t c, len;

	(void)state;
	for (c = 0; c < COUNT(cases); c++) {
		struct trust_list *tl = base_list();
		struct err e;

		switch (cases[c].field) {
		case 0:
			strcpy(tl->log_name, "a b");
			break;
		case 1:
			tl->keys[0].alg = ALG_NONE;
			break;
		case 2:
			tl->keys[0].pk_len = 33;
			break;
		case 3:
			memset(tl->issuers[0].code, 'A', sizeof(tl->issuers[0].code));
			break;
		default:
			strcpy(tl->issuers[0].name, "\xff\xfe");
			break;
		}
		err_clear(&e);
		if (trust_payload_json(tl, &len, &e))
			fail_msg("%s: written", cases[c].what);
		assert_int_equal(e.kind, ERR_INPUT);
		free(tl);
	}
}

/* ---- from a key store ---- */

static void test_export_from_store(void **state)
{
	static const struct keys_options fast = {
	    crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, "gy.example/log", ALG_NONE};
	static const struct trust_issuer issuers[] = {
	    {"I1", "贵阳市住房和城乡建设局"},
	    {"I2", "贵州省住房和城乡建设厅"},
	};
	static const struct trust_issuer dup[] = {{"I1", "甲"}, {"I1", "乙"}};
	static const struct trust_issuer empty[] = {{"", "甲"}};
	struct fixture_dir tmp;
	char dir[FIXTURE_PATH_SIZE + 8];
	struct trust_list *tl = malloc(sizeof(*tl));
	const struct keys_info *ki;
	struct keys *ks;
	struct err e;
	char *text;
	int pinned = -1;
	size_t n;

	(void)state;
	assert_non_null(tl);
	assert_int_equal(fixture_dir_make(&tmp, "trust"), 0);
	assert_int_equal(fixture_dir_file(&tmp, "keys", dir, sizeof(dir)), 0);
	err_clear(&e);
	assert_int_equal(keys_init(dir, NULL, &fast, T0, &e), 3);
	ks = keys_open(dir, NULL, &fast, &e);
	assert_non_null(ks);
	assert_int_equal(keys_rotate(ks, ALG_NONE, T0 + 60, NULL, &e), 0);
	text = keys_trust_export(ks, issuers, COUNT(issuers), T0 + 120, &e);
	if (!text)
		fail_msg("export: %s", e.msg);
	assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');

	if (parse(text, strlen(text), keys_get(ks, KEYS_ROOT)->pk, tl, &pinned, &e) != 0)
		fail_msg("parse: %s", e.msg);
	assert_int_equal(pinned, 1);
	assert_int_equal(tl->issued_at, T0 + 120);
	assert_memory_equal(tl->root_pk, keys_get(ks, KEYS_ROOT)->pk, 32);
	assert_memory_equal(tl->log_key.pk, keys_get(ks, KEYS_LOG)->pk, 32);
	assert_string_equal(tl->log_name, "gy.example/log");
	ki = keys_list(ks, &n);
	assert_int_equal(n, 4);
	assert_int_equal(tl->nkeys, 2);
	assert_memory_equal(tl->keys[0].kid, ki[2].kid, KID_LEN);
	assert_int_equal(tl->keys[0].not_after, T0 + 60);
	assert_memory_equal(tl->keys[1].kid, ki[3].kid, KID_LEN);
	assert_int_equal(tl->keys[1].not_after, 0);
	assert_int_equal(tl->nissuers, 2);
	assert_string_equal(trust_issuer_name(tl, "I2"), "贵州省住房和城乡建设厅");

	/* another database's root, and the store's own issuing key, are not this root */
	expect_refused("pinned to another root", text, strlen(text), OTHER.pk, "固定的根密钥");
	expect_refused("pinned to an issuing key", text, strlen(text),
	               keys_get(ks, KEYS_ISSUING)->pk, "固定的根密钥");
	free(text);

	/* bad issuers from the caller */
	assert_null(keys_trust_export(ks, dup, COUNT(dup), T0, &e));
	assert_int_equal(e.kind, ERR_INPUT);
	assert_null(keys_trust_export(ks, empty, COUNT(empty), T0, &e));
	assert_int_equal(e.kind, ERR_INPUT);

	/* an SM2 issuing key is listed with its algorithm and 65-byte point; a rotation
	 * without an algorithm keeps it */
	assert_int_equal(keys_rotate(ks, ALG_SM2, T0 + 90, NULL, &e), 0);
	assert_int_equal(keys_rotate(ks, ALG_NONE, T0 + 100, NULL, &e), 0);
	text = keys_trust_export(ks, issuers, COUNT(issuers), T0 + 120, &e);
	if (!text)
		fail_msg("export: %s", e.msg);
	assert_non_null(strstr(text, "\"alg\": \"Ed25519\""));
	if (parse(text, strlen(text), keys_get(ks, KEYS_ROOT)->pk, tl, &pinned, &e) != 0)
		fail_msg("parse: %s", e.msg);
	free(text);
	assert_int_equal(tl->nkeys, 4);
	assert_int_equal(tl->keys[1].alg, ALG_ED25519);
	assert_int_equal(tl->keys[1].not_after, T0 + 90);
	assert_int_equal(tl->keys[2].alg, ALG_SM2);
	assert_int_equal(tl->keys[2].pk_len, 65);
	assert_int_equal(tl->keys[2].not_after, T0 + 100);
	assert_int_equal(tl->keys[3].alg, ALG_SM2);
	assert_int_equal(tl->keys[3].pk_len, 65);
	assert_int_equal(tl->keys[3].pk[0], 0x04);
	assert_memory_equal(tl->keys[3].pk, keys_get(ks, KEYS_ISSUING)->pk, 65);
	assert_memory_equal(tl->keys[3].kid, keys_get(ks, KEYS_ISSUING)->kid, KID_LEN);
	{
		uint8_t want[KID_LEN];

		trust_kid(tl->keys[3].pk, 65, want);
		assert_memory_equal(want, tl->keys[3].kid, KID_LEN);
	}
	/* the root and the log key stay Ed25519 */
	assert_int_equal(tl->log_key.alg, ALG_ED25519);

	keys_close(ks);
	assert_int_equal(fixture_dir_remove(&tmp), 0);
	free(tl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kid),
	    cmocka_unit_test(test_find_and_names),
	    cmocka_unit_test(test_valid_at),
	    cmocka_unit_test(test_log_name_ok),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_envelope_refused),
	    cmocka_unit_test(test_embedded_root_must_match),
	    cmocka_unit_test(test_payload_refused),
	    cmocka_unit_test(test_key_count_limit),
	    cmocka_unit_test(test_payload_json_refuses),
	    cmocka_unit_test(test_export_from_store),
	};

	if (sodium_init() < 0)
		return 1;
	kp_make(&ROOT, 0x01);
	kp_make(&OTHER, 0x02);
	kp_make(&ISS1, 0x03);
	kp_make(&ISS2, 0x04);
	kp_make(&LOGK, 0x05);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
