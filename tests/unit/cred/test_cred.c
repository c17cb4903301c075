/*
 * test_cred.c - unit tests for lib/cred/cred.c: the known-answer vectors of
 * tests/data/cred/kat.txt re-derived byte for byte; round trips; every
 * forgery failing with its own result (a changed character or byte, a key
 * outside the trust list, another key claiming a trusted kid, claims
 * changed without re-signing, truncation, an issue time outside the key's
 * period, an inflate bomb, malformed claims under a good signature); the
 * URL form, its QR segments and sizes, and the link classifier.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>
#include <zlib.h>

#include "b45.h"
#include "cose.h"
#include "cred.h"
#include "date.h"
#include "sm2.h"
#include "fixture.h"

/* ---- helpers --------------------------------------------------------------- */

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	unsigned v;

	while (hex[0] && hex[1]) {
		if (hex[0] == ' ') {
			hex++;
			continue;
		}
		assert_true(n < cap);
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

static char *tohex(const uint8_t *p, size_t n)
{
	char *s = malloc(2 * n + 1);
	size_t i;

	assert_non_null(s);
	for (i = 0; i < n; i++)
		snprintf(s + 2 * i, 3, "%02x", p[i]);
	s[2 * n] = '\0';
	return s;
}

struct key {
	uint8_t pk[32];
	uint8_t sk[64];
	uint8_t kid[KID_LEN];
};

static void key_from_seed(const uint8_t seed[32], struct key *k)
{
	uint8_t h[32];

	assert_int_equal(crypto_sign_seed_keypair(k->pk, k->sk, seed), 0);
	crypto_hash_sha256(h, k->pk, sizeof(k->pk));
	memcpy(k->kid, h, KID_LEN);
}

static void key_from_byte(uint8_t first, struct key *k)
{
	uint8_t seed[32];
	size_t i;

	for (i = 0; i < sizeof(seed); i++)
		seed[i] = (uint8_t)(first + i);
	key_from_seed(seed, k);
	sodium_memzero(seed, sizeof(seed));
}

static struct key issuer, other;
static struct trust_list trust;

#define NOT_BEFORE 1700000000
#define IAT        1710460800
#define HOST       "verify.example.gov.cn"

static void trust_add(struct trust_list *tl, const struct key *k, enum sig_alg alg,
                      int64_t not_before, int64_t not_after)
{
	struct trust_key *t = &tl->keys[tl->nkeys++];

	memcpy(t->kid, k->kid, KID_LEN);
	t->alg = alg;
	memcpy(t->pk, k->pk, 32);
	t->pk_len = 32;
	t->not_before = not_before;
	t->not_after = not_after;
}

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0)
		return -1;
	key_from_byte(0x00, &issuer);
	key_from_byte(0x40, &other);
	memset(&trust, 0, sizeof(trust));
	trust_add(&trust, &issuer, ALG_ED25519, NOT_BEFORE, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	sodium_memzero(&issuer, sizeof(issuer));
	sodium_memzero(&other, sizeof(other));
	return 0;
}

static const uint8_t SALT[CRED_SALT_LEN] = {0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
                                            0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae, 0xaf};

/* Typical claims: a construction certificate, a 3-character name. */
static void sample_claims(struct cred_claims *c, int photo)
{
	struct err err;

	cred_claims_init(c);
	strcpy(c->number, "黔A012024000123");
	strcpy(c->name, "王建国");
	c->gender = GENDER_MALE;
	assert_int_equal(cred_set_id(c, "520102199003071236", SALT, &err), 0);
	strcpy(c->trade, "01");
	c->issued_on = date_from_ymd(2024, 3, 15);
	c->valid_until = date_from_ymd(2030, 3, 14);
	c->review_due = date_from_ymd(2026, 3, 15);
	strcpy(c->issuer_code, "I1");
	c->status_index = 87654;
	c->iat = IAT;
	if (photo) {
		c->has_photo = 1;
		cred_photo_hash((const uint8_t *)"photo", 5, c->photo_hash);
	}
}

static void assert_claims_equal(const struct cred_claims *a, const struct cred_claims *b)
{
	assert_int_equal(a->version, b->version);
	assert_string_equal(a->number, b->number);
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->gender, b->gender);
	assert_string_equal(a->id_masked, b->id_masked);
	assert_memory_equal(a->id_salt, b->id_salt, CRED_SALT_LEN);
	assert_memory_equal(a->id_hash, b->id_hash, CRED_HASH_LEN);
	assert_string_equal(a->trade, b->trade);
	assert_int_equal(a->issued_on, b->issued_on);
	assert_int_equal(a->valid_until, b->valid_until);
	assert_int_equal(a->review_due, b->review_due);
	assert_string_equal(a->issuer_code, b->issuer_code);
	assert_int_equal(a->has_photo, b->has_photo);
	if (a->has_photo)
		assert_memory_equal(a->photo_hash, b->photo_hash, CRED_HASH_LEN);
	assert_int_equal(a->status_index, b->status_index);
	assert_int_equal(a->iat, b->iat);
}

static char *issue(const struct cred_claims *c, const struct key *k)
{
	char *text = NULL;
	struct err err;

	if (cred_encode(c, ALG_ED25519, k->kid, k->sk, &text, &err) != 0)
		fail_msg("cred_encode: %s", err.msg);
	return text;
}

static enum cred_result verify_text(const char *text, size_t len, const struct trust_list *tl,
                                    struct cred_check *chk)
{
	struct err err;

	if (cred_verify(text, len, tl, chk, &err) != 0)
		fail_msg("cred_verify: %s", err.msg);
	if (chk->result != CRED_OK)
		assert_int_equal(chk->have_claims, 0);
	return chk->result;
}

static enum cred_result verify_cose_wrapped(const uint8_t *cose, size_t len,
                                            const struct trust_list *tl, struct cred_check *chk)
{
	char *text = NULL;
	struct err err;
	enum cred_result r;

	assert_int_equal(cred_wrap_cose(cose, len, &text, &err), 0);
	r = verify_text(text, strlen(text), tl, chk);
	free(text);
	return r;
}

/* The COSE bytes inside a payload text. */
static size_t unwrap(const char *text, uint8_t *cose, size_t cap)
{
	uint8_t z[CRED_TEXT_MAX];
	size_t zlen;
	uLongf n = cap;

	assert_int_equal(strncmp(text, CRED_PREFIX, 4), 0);
	assert_int_equal(b45_decode(text + 4, strlen(text) - 4, z, sizeof(z), &zlen), 0);
	assert_int_equal(uncompress(cose, &n, z, zlen), Z_OK);
	return n;
}

/* ---- known-answer vectors ---------------------------------------------------- */

#define KAT_MAX_VECTORS 8
#define KAT_MAX_KEYS    40

struct kat_kv {
	char key[32];
	char *val;
};

struct kat_vector {
	char name[64];
	struct kat_kv kv[KAT_MAX_KEYS];
	size_t n;
};

static struct kat_vector kat[KAT_MAX_VECTORS];
static size_t kat_n;

/* Load tests/data/cred/NAME into kat[]. */
static void kat_load_file(const char *name)
{
	char path[4200], line[8192];
	FILE *f;

	snprintf(path, sizeof(path), "%s/cred/%s", fixture_data_dir(), name);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (set OPCERT_TESTDATA)", path);
	kat_n = 0;
	while (fgets(line, sizeof(line), f)) {
		char *eq, *end;
		struct kat_vector *v;

		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		if (line[0] == '[') {
			assert_true(kat_n < KAT_MAX_VECTORS);
			v = &kat[kat_n++];
			v->n = 0;
			assert_true(strlen(line) < sizeof(v->name));
			memcpy(v->name, line, strlen(line) + 1);
			continue;
		}
		assert_true(kat_n > 0);
		v = &kat[kat_n - 1];
		eq = strstr(line, " = ");
		assert_non_null(eq);
		assert_true(v->n < KAT_MAX_KEYS);
		*eq = '\0';
		assert_true(strlen(line) < sizeof(v->kv[v->n].key));
		memcpy(v->kv[v->n].key, line, strlen(line) + 1);
		end = eq + 3;
		v->kv[v->n].val = strdup(end);
		assert_non_null(v->kv[v->n].val);
		v->n++;
	}
	fclose(f);
}

static void kat_free(void)
{
	size_t i, j;

	for (i = 0; i < kat_n; i++)
		for (j = 0; j < kat[i].n; j++)
			free(kat[i].kv[j].val);
	kat_n = 0;
}

static const char *kat_get(const struct kat_vector *v, const char *key)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->kv[i].key, key) == 0)
			return v->kv[i].val;
	return NULL;
}

static const char *kat_need(const struct kat_vector *v, const char *key)
{
	const char *s = kat_get(v, key);

	if (!s)
		fail_msg("%s: no %s", v->name, key);
	return s;
}

static int32_t kat_date(const struct kat_vector *v, const char *key)
{
	const char *s = kat_need(v, key);
	int32_t d;

	if (strcmp(s, "none") == 0)
		return DATE_NONE;
	assert_int_equal(date_parse(s, strlen(s), &d), 0);
	return d;
}

/* Compare a derived value with the file; print it when the file lacks it. */
static int kat_expect(const struct kat_vector *v, const char *key, const char *got)
{
	const char *want = kat_get(v, key);

	if (!want) {
		print_message("%s missing: %s = %s\n", v->name, key, got);
		return 1;
	}
	if (strcmp(want, got) != 0) {
		print_message("%s: %s differs\n  file: %s\n  now:  %s\n", v->name, key, want, got);
		return 1;
	}
	return 0;
}

static int kat_expect_hex(const struct kat_vector *v, const char *key, const uint8_t *p, size_t n)
{
	char *h = tohex(p, n);
	int bad = kat_expect(v, key, h);

	free(h);
	return bad;
}

static int kat_expect_num(const struct kat_vector *v, const char *key, long long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", n);
	return kat_expect(v, key, buf);
}

static void test_kat(void **state)
{
	size_t i, len;
	int bad = 0;

	(void)state;
	kat_load_file("kat.txt");
	assert_true(kat_n >= 2);
	for (i = 0; i < kat_n; i++) {
		const struct kat_vector *v = &kat[i];
		uint8_t seed[32], salt[CRED_SALT_LEN], cose[CRED_COSE_MAX], inner[CRED_COSE_MAX];
		uint8_t *claims_cbor = NULL, *cose2 = NULL;
		size_t claims_len = 0, cose_len = 0, inner_len;
		struct key k;
		struct cert rec;
		struct cred_claims c;
		struct cred_check chk;
		struct cred_qr_segments seg;
		struct cred_link link;
		struct trust_list tl;
		char *payload = NULL, *url = NULL, *wrapped = NULL;
		struct err err;
		const char *ph;

		assert_int_equal(unhex(kat_need(v, "seed"), seed, sizeof(seed)), 32);
		assert_int_equal(unhex(kat_need(v, "salt"), salt, sizeof(salt)), CRED_SALT_LEN);
		key_from_seed(seed, &k);
		bad |= kat_expect_hex(v, "pk", k.pk, 32);
		bad |= kat_expect_hex(v, "kid", k.kid, KID_LEN);

		memset(&rec, 0, sizeof(rec));
		snprintf(rec.number, sizeof(rec.number), "%s", kat_need(v, "number"));
		snprintf(rec.name, sizeof(rec.name), "%s", kat_need(v, "name"));
		rec.gender = (enum gender)atoi(kat_need(v, "gender"));
		snprintf(rec.id_number, sizeof(rec.id_number), "%s", kat_need(v, "id"));
		snprintf(rec.trade, sizeof(rec.trade), "%s", kat_need(v, "trade"));
		rec.issued_on = kat_date(v, "issued_on");
		rec.valid_until = kat_date(v, "valid_until");
		rec.review_due = kat_date(v, "review_due");
		if (cred_claims_from_cert(&c, &rec, kat_need(v, "issuer"),
		                          (uint32_t)strtoul(kat_need(v, "status_index"), NULL, 10),
		                          strtoll(kat_need(v, "iat"), NULL, 10), salt, &err) != 0)
			fail_msg("%s: %s", v->name, err.msg);
		ph = kat_need(v, "photo_hash");
		if (strcmp(ph, "none") != 0) {
			c.has_photo = 1;
			assert_int_equal(unhex(ph, c.photo_hash, CRED_HASH_LEN), CRED_HASH_LEN);
		}
		bad |= kat_expect(v, "claims.number", c.number);
		bad |= kat_expect(v, "claims.id_masked", c.id_masked);
		bad |= kat_expect_hex(v, "claims.id_hash", c.id_hash, CRED_HASH_LEN);

		assert_int_equal(cred_claims_encode(&c, &claims_cbor, &claims_len, &err), 0);
		bad |= kat_expect_hex(v, "claims_cbor", claims_cbor, claims_len);
		assert_int_equal(cose_sign1_encode_ed25519(k.kid, k.sk, claims_cbor, claims_len,
		                                           &cose2, &cose_len, &err),
		                 0);
		assert_true(cose_len <= sizeof(cose));
		memcpy(cose, cose2, cose_len);
		free(cose2);
		bad |= kat_expect_hex(v, "cose", cose, cose_len);
		bad |= kat_expect_hex(v, "signature", cose + cose_len - 64, 64);

		payload = issue(&c, &k);
		bad |= kat_expect(v, "payload", payload);
		/* the payload carries exactly those COSE bytes */
		inner_len = unwrap(payload, inner, sizeof(inner));
		assert_int_equal(inner_len, cose_len);
		assert_memory_equal(inner, cose, cose_len);
		assert_int_equal(cred_wrap_cose(cose, cose_len, &wrapped, &err), 0);
		assert_string_equal(wrapped, payload);

		assert_int_equal(cred_url(kat_need(v, "host"), payload, &url, &err), 0);
		bad |= kat_expect(v, "url", url);
		assert_int_equal(cred_qr_segments(kat_need(v, "host"), payload, &seg, &err), 0);
		len = strlen(seg.rest);
		bad |= kat_expect_num(v, "qr.prefix_bytes", (long long)strlen(seg.prefix));
		bad |= kat_expect_num(v, "qr.alnum_chars", (long long)len);
		bad |=
		    kat_expect_num(v, "qr.version_m", cred_qr_version_m(strlen(seg.prefix), len));
		cred_qr_segments_free(&seg);

		/* the file's own payload verifies, through its URL too */
		memset(&tl, 0, sizeof(tl));
		trust_add(&tl, &k, ALG_ED25519, NOT_BEFORE, 0);
		assert_int_equal(
		    cred_link_classify(url, strlen(url), kat_need(v, "host"), &link, &err), 0);
		assert_int_equal(link.kind, CRED_LINK_OFFICIAL);
		assert_string_equal(link.payload, payload);
		assert_int_equal(verify_text(link.payload, link.payload_len, &tl, &chk), CRED_OK);
		assert_claims_equal(&chk.claims, &c);
		assert_memory_equal(chk.kid, k.kid, KID_LEN);
		assert_int_equal(cred_id_matches(&chk.claims, kat_need(v, "id"), 18), 1);
		if (kat_get(v, "payload")) {
			const char *p = kat_get(v, "payload");

			assert_int_equal(verify_text(p, strlen(p), &tl, &chk), CRED_OK);
		}

		free(claims_cbor);
		free(payload);
		free(wrapped);
		free(url);
		sodium_memzero(&k, sizeof(k));
		sodium_memzero(seed, sizeof(seed));
	}
	kat_free();
	if (bad)
		fail_msg("known-answer vectors differ (see above)");
}

/* ---- round trips ------------------------------------------------------------- */

static void test_round_trip(void **state)
{
	struct cred_claims c, variants[6];
	struct cred_check chk;
	struct err err;
	char *text;
	size_t i;

	(void)state;
	sample_claims(&variants[0], 0);
	sample_claims(&variants[1], 1);
	sample_claims(&variants[2], 0);
	variants[2].review_due = DATE_NONE;
	variants[2].gender = GENDER_FEMALE;
	/* the extremes of every range */
	sample_claims(&variants[3], 1);
	variants[3].issued_on = date_from_ymd(1900, 1, 1);
	variants[3].valid_until = date_from_ymd(2199, 12, 31);
	variants[3].review_due = date_from_ymd(1969, 12, 31);
	variants[3].status_index = UINT32_MAX;
	variants[3].iat = IAT;
	memset(variants[3].name, 0, sizeof(variants[3].name));
	for (i = 0; i + 3 < sizeof(variants[3].name); i += 3)
		memcpy(variants[3].name + i, "黔", 3);
	strcpy(variants[3].trade, "1234567");
	strcpy(variants[3].issuer_code, "ISSUER-CODE-15c");
	/* a T number from a register record: masked */
	{
		struct cert rec;

		memset(&rec, 0, sizeof(rec));
		strcpy(rec.number, "T52010319881124204X");
		strcpy(rec.name, "李秀英");
		strcpy(rec.id_number, "52010319881124204X");
		strcpy(rec.trade, "2.1");
		rec.issued_on = date_from_ymd(2024, 6, 1);
		rec.valid_until = date_from_ymd(2030, 5, 31);
		rec.review_due = DATE_NONE;
		assert_int_equal(
		    cred_claims_from_cert(&variants[4], &rec, "I2", 5, IAT, NULL, &err), 0);
		assert_string_equal(variants[4].number, "T520103********204X");
		assert_string_equal(variants[4].id_masked, "520103********204X");
		assert_int_equal(variants[4].gender, GENDER_FEMALE); /* from the ID number */
	}
	sample_claims(&variants[5], 0);
	variants[5].status_index = 0;
	variants[5].iat = NOT_BEFORE;
	variants[5].valid_until = variants[5].issued_on;

	for (i = 0; i < sizeof(variants) / sizeof(variants[0]); i++) {
		text = issue(&variants[i], &issuer);
		assert_true(strlen(text) <= CRED_TEXT_MAX);
		assert_int_equal(verify_text(text, strlen(text), &trust, &chk), CRED_OK);
		assert_claims_equal(&chk.claims, &variants[i]);
		assert_int_equal(chk.have_iat, 1);
		assert_int_equal(chk.iat, variants[i].iat);
		assert_ptr_equal(chk.key, &trust.keys[0]);
		/* without the prefix, with surrounding whitespace */
		assert_int_equal(verify_text(text + 4, strlen(text) - 4, &trust, &chk), CRED_OK);
		{
			char spaced[CRED_TEXT_MAX + 8];

			snprintf(spaced, sizeof(spaced), "  %s\r\n", text);
			assert_int_equal(verify_text(spaced, strlen(spaced), &trust, &chk),
			                 CRED_OK);
			/* text_trim's rule: U+3000 too (a Chinese input method's space) */
			snprintf(spaced, sizeof(spaced), "\xe3\x80\x80%s\t", text);
			assert_int_equal(verify_text(spaced, strlen(spaced), &trust, &chk),
			                 CRED_OK);
			assert_claims_equal(&chk.claims, &variants[i]);
		}
		free(text);
	}
	/* claims the encoder refuses */
	sample_claims(&c, 0);
	c.gender = GENDER_NONE;
	assert_int_equal(cred_encode(&c, ALG_ED25519, issuer.kid, issuer.sk, &text, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	sample_claims(&c, 0);
	strcpy(c.name, "a\tb");
	assert_int_equal(cred_encode(&c, ALG_ED25519, issuer.kid, issuer.sk, &text, &err), -1);
	sample_claims(&c, 0);
	c.name[0] = '\0';
	assert_int_equal(cred_encode(&c, ALG_ED25519, issuer.kid, issuer.sk, &text, &err), -1);
	sample_claims(&c, 0);
	c.issued_on = DATE_NONE;
	assert_int_equal(cred_encode(&c, ALG_ED25519, issuer.kid, issuer.sk, &text, &err), -1);
	sample_claims(&c, 0);
	c.iat = -1;
	assert_int_equal(cred_encode(&c, ALG_ED25519, issuer.kid, issuer.sk, &text, &err), -1);
	sample_claims(&c, 0);
	strcpy(c.name, "\xe9\xbb"); /* a cut UTF-8 character */
	assert_int_equal(cred_encode(&c, ALG_ED25519, issuer.kid, issuer.sk, &text, &err), -1);
	sample_claims(&c, 0);
	assert_int_equal(cred_encode(&c, ALG_SM2, issuer.kid, issuer.sk, &text, &err), -1);
	/* a kid that is not the signing key's */
	assert_int_equal(cred_encode(&c, ALG_ED25519, issuer.kid, other.sk, &text, &err), -1);
	assert_null(text);
}

static void test_id_matches(void **state)
{
	struct cred_claims c;
	struct cred_check chk;
	struct err err;
	char *text;
	static const struct {
		const char *id;
		int want;
	} cases[] = {
	    {"520102199003071236", 1},
	    {" 520102199003071236 ", 1},
	    {"520102199003071236\xe3\x80\x80", 1}, /* full-width space */
	    {"520102199003071237", 0},
	    {"520102199003071244", 0},
	    {"52010219900307123", 0},
	    {"", 0},
	    {"5201021990030712361", 0},
	};
	size_t i;

	(void)state;
	sample_claims(&c, 0);
	text = issue(&c, &issuer);
	assert_int_equal(verify_text(text, strlen(text), &trust, &chk), CRED_OK);
	assert_string_equal(chk.claims.id_masked, "520102********1236");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (cred_id_matches(&chk.claims, cases[i].id, strlen(cases[i].id)) != cases[i].want)
			fail_msg("id \"%s\": want %d", cases[i].id, cases[i].want);
	free(text);

	/* lowercase x is the same ID */
	assert_int_equal(cred_set_id(&c, "52010319881124204X", NULL, &err), 0);
	assert_int_equal(cred_id_matches(&c, "52010319881124204x", 18), 1);
	/* random salts differ, so equal IDs give unrelated hashes */
	{
		struct cred_claims d = c;

		assert_int_equal(cred_set_id(&d, "52010319881124204X", NULL, &err), 0);
		assert_memory_not_equal(c.id_salt, d.id_salt, CRED_SALT_LEN);
		assert_memory_not_equal(c.id_hash, d.id_hash, CRED_HASH_LEN);
	}
}

/* ---- forgeries -------------------------------------------------------------- */

static const char B45_ALPHABET[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static void test_changed_character(void **state)
{
	struct cred_claims c;
	struct cred_check chk;
	char *text;
	size_t pos, len, counts[6] = {0};
	enum cred_result r;

	(void)state;
	sample_claims(&c, 0);
	text = issue(&c, &issuer);
	len = strlen(text);
	/* every position, each replaced by the next character of the alphabet */
	for (pos = 0; pos < len; pos++) {
		char was = text[pos];
		const char *at = strchr(B45_ALPHABET, was);

		text[pos] = at && at[1] ? at[1] : '0';
		r = verify_text(text, len, &trust, &chk);
		if (r == CRED_OK)
			fail_msg("changed character %zu still verifies", pos);
		counts[r]++;
		text[pos] = was;
	}
	/* a few positions spelled out */
	{
		static const size_t positions[] = {0, 3, 4, 10, 100, 200};

		for (pos = 0; pos < sizeof(positions) / sizeof(positions[0]); pos++) {
			size_t p = positions[pos];
			char was = text[p];

			text[p] = was == 'A' ? 'B' : 'A';
			r = verify_text(text, len, &trust, &chk);
			assert_int_equal(r, CRED_MALFORMED);
			text[p] = was;
		}
	}
	print_message("changed characters (%zu): malformed %zu, bad signature %zu\n", len,
	              counts[CRED_MALFORMED], counts[CRED_BAD_SIGNATURE]);
	assert_int_equal(verify_text(text, len, &trust, &chk), CRED_OK);
	free(text);
}

/* One byte changed inside the COSE message, re-compressed so zlib's
 * checksum cannot be what catches it. */
static void test_changed_cose_byte(void **state)
{
	struct cred_claims c;
	struct cred_check chk;
	uint8_t cose[CRED_COSE_MAX];
	size_t len, pos, payload_at, sig_at, kid_at = 8;
	char *text;
	enum cred_result r;

	(void)state;
	sample_claims(&c, 1);
	text = issue(&c, &issuer);
	len = unwrap(text, cose, sizeof(cose));
	free(text);
	/* d2 84 4d {a2 01 27 04 48 <kid>} a0 58/59 <len> payload 58 40 <64> */
	sig_at = len - 64;
	payload_at = 1 + 1 + 1 + 13 + 1 + (cose[17] == 0x58 ? 2 : 3);
	assert_true(cose[17] == 0x58 || cose[17] == 0x59);
	for (pos = 0; pos < len; pos++) {
		cose[pos] ^= 0x20;
		r = verify_cose_wrapped(cose, len, &trust, &chk);
		cose[pos] ^= 0x20;
		if (r == CRED_OK)
			fail_msg("changed byte %zu still verifies", pos);
		if (pos >= kid_at && pos < kid_at + KID_LEN)
			assert_int_equal(r, CRED_UNKNOWN_KEY);
		else if ((pos >= payload_at && pos < sig_at - 2) || pos >= sig_at)
			if (r != CRED_BAD_SIGNATURE)
				fail_msg("byte %zu: %s, want bad_signature", pos,
				         cred_result_code(r));
	}
	assert_int_equal(verify_cose_wrapped(cose, len, &trust, &chk), CRED_OK);
	{
		struct err err;

		assert_int_equal(cred_verify_cose(cose, len, &trust, &chk, &err), 0);
	}
	assert_int_equal(chk.result, CRED_OK);
}

static void test_other_keys(void **state)
{
	struct cred_claims c;
	struct cred_check chk;
	uint8_t *claims = NULL, *cose = NULL;
	size_t claims_len, cose_len;
	struct trust_list tl;
	struct err err;
	char *text;

	(void)state;
	sample_claims(&c, 0);
	/* signed by a key of another database */
	text = issue(&c, &other);
	assert_int_equal(verify_text(text, strlen(text), &trust, &chk), CRED_UNKNOWN_KEY);
	assert_int_equal(chk.have_kid, 1);
	assert_memory_equal(chk.kid, other.kid, KID_LEN);
	assert_null(chk.key);
	assert_int_equal(chk.have_iat, 0);
	free(text);

	/* signed by another key that claims the trusted kid */
	assert_int_equal(cred_claims_encode(&c, &claims, &claims_len, &err), 0);
	assert_int_equal(cose_sign1_encode_ed25519(issuer.kid, other.sk, claims, claims_len, &cose,
	                                           &cose_len, &err),
	                 0);
	assert_int_equal(verify_cose_wrapped(cose, cose_len, &trust, &chk), CRED_BAD_SIGNATURE);
	assert_ptr_equal(chk.key, &trust.keys[0]);
	assert_int_equal(chk.have_iat, 0);
	free(cose);

	/* an empty trust list knows no key */
	memset(&tl, 0, sizeof(tl));
	text = issue(&c, &issuer);
	assert_int_equal(verify_text(text, strlen(text), &tl, &chk), CRED_UNKNOWN_KEY);
	assert_int_equal(verify_text(text, strlen(text), NULL, &chk), CRED_UNKNOWN_KEY);
	/* the trusted kid listed with another algorithm */
	memset(&tl, 0, sizeof(tl));
	trust_add(&tl, &issuer, ALG_SM2, NOT_BEFORE, 0);
	assert_int_equal(verify_text(text, strlen(text), &tl, &chk), CRED_BAD_SIGNATURE);
	/* the trusted kid listed with another key's public key */
	memset(&tl, 0, sizeof(tl));
	trust_add(&tl, &other, ALG_ED25519, NOT_BEFORE, 0);
	memcpy(tl.keys[0].kid, issuer.kid, KID_LEN);
	assert_int_equal(verify_text(text, strlen(text), &tl, &chk), CRED_BAD_SIGNATURE);
	free(text);
	free(claims);
}

/* Signs with a signature made earlier: claims changed, signature kept. */
static int sign_replay(void *ctx, const uint8_t *tbs, size_t tbs_len, uint8_t *sig, size_t *sig_len,
                       struct err *err)
{
	(void)tbs;
	(void)tbs_len;
	(void)err;
	memcpy(sig, ctx, 64);
	*sig_len = 64;
	return 0;
}

static void test_claims_changed_without_signing(void **state)
{
	struct cred_claims c, changed;
	struct cred_check chk;
	uint8_t cose[CRED_COSE_MAX], sig[64];
	uint8_t *claims = NULL, *forged = NULL;
	size_t len, claims_len, forged_len, i;
	struct err err;
	char *text;

	(void)state;
	sample_claims(&c, 0);
	text = issue(&c, &issuer);
	len = unwrap(text, cose, sizeof(cose));
	free(text);
	memcpy(sig, cose + len - 64, 64);
	for (i = 0; i < 4; i++) {
		changed = c;
		if (i == 0)
			changed.valid_until = date_from_ymd(2040, 1, 1);
		else if (i == 1)
			strcpy(changed.name, "李四");
		else if (i == 2)
			strcpy(changed.trade, "02");
		else
			changed.review_due = DATE_NONE;
		assert_int_equal(cred_claims_encode(&changed, &claims, &claims_len, &err), 0);
		assert_int_equal(cose_sign1_encode(COSE_ALG_EDDSA, issuer.kid, claims, claims_len,
		                                   sign_replay, sig, &forged, &forged_len, &err),
		                 0);
		assert_int_equal(verify_cose_wrapped(forged, forged_len, &trust, &chk),
		                 CRED_BAD_SIGNATURE);
		free(claims);
		free(forged);
	}
	/* the same machinery with the claims left alone does verify */
	assert_int_equal(cred_claims_encode(&c, &claims, &claims_len, &err), 0);
	assert_int_equal(cose_sign1_encode(COSE_ALG_EDDSA, issuer.kid, claims, claims_len,
	                                   sign_replay, sig, &forged, &forged_len, &err),
	                 0);
	assert_int_equal(verify_cose_wrapped(forged, forged_len, &trust, &chk), CRED_OK);
	free(claims);
	free(forged);
}

static void test_truncated(void **state)
{
	struct cred_claims c;
	struct cred_check chk;
	uint8_t cose[CRED_COSE_MAX];
	size_t n, len;
	char *text;

	(void)state;
	sample_claims(&c, 1);
	text = issue(&c, &issuer);
	len = strlen(text);
	for (n = 0; n < len; n++)
		if (verify_text(text, n, &trust, &chk) != CRED_MALFORMED)
			fail_msg("prefix of %zu characters: %s", n, cred_result_code(chk.result));
	len = unwrap(text, cose, sizeof(cose));
	for (n = 0; n < len; n++)
		if (verify_cose_wrapped(cose, n == 0 ? 1 : n, &trust, &chk) != CRED_MALFORMED)
			fail_msg("COSE prefix of %zu bytes: %s", n, cred_result_code(chk.result));
	free(text);
}

static void test_key_period(void **state)
{
	static const struct {
		int64_t not_before, not_after;
		enum cred_result want;
	} cases[] = {
	    {NOT_BEFORE, 0, CRED_OK},
	    {IAT, IAT, CRED_OK},                         /* both ends inclusive */
	    {NOT_BEFORE, IAT - 1, CRED_KEY_NOT_CURRENT}, /* signed after retirement */
	    {IAT + 1, 0, CRED_KEY_NOT_CURRENT},          /* signed before the key existed */
	    {IAT + 1, IAT + 100, CRED_KEY_NOT_CURRENT},
	};
	struct cred_claims c;
	struct cred_check chk;
	struct trust_list tl;
	char *text;
	size_t i;

	(void)state;
	sample_claims(&c, 0);
	text = issue(&c, &issuer);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&tl, 0, sizeof(tl));
		trust_add(&tl, &other, ALG_ED25519, 0, 0);
		trust_add(&tl, &issuer, ALG_ED25519, cases[i].not_before, cases[i].not_after);
		assert_int_equal(verify_text(text, strlen(text), &tl, &chk), cases[i].want);
		assert_int_equal(chk.have_iat, 1);
		assert_int_equal(chk.iat, IAT);
		assert_ptr_equal(chk.key, &tl.keys[1]);
	}
	free(text);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void test_inflate_bomb(void **state)
{
	size_t big = 1u << 20, n;
	uint8_t *zeros = calloc(1, big), *z;
	uLongf zlen = compressBound((uLong)big);
	char *text;
	struct cred_check chk;
	double t0, ms;

	(void)state;
	assert_non_null(zeros);
	z = malloc(zlen);
	assert_non_null(z);
	assert_int_equal(compress2(z, &zlen, zeros, (uLong)big, 9), Z_OK);
	n = 4 + b45_encoded_len(zlen);
	assert_true(n <= CRED_TEXT_MAX); /* it gets past the text cap */
	text = malloc(n + 1);
	assert_non_null(text);
	memcpy(text, "OC1:", 4);
	assert_int_equal(b45_encode(z, zlen, text + 4, n - 3), 0);
	t0 = now_ms();
	assert_int_equal(verify_text(text, n, &trust, &chk), CRED_MALFORMED);
	ms = now_ms() - t0;
	print_message("inflate bomb: %lu compressed bytes, %zu characters, refused in %.3f ms\n",
	              (unsigned long)zlen, n, ms);
	assert_true(ms < 100.0);
	free(text);
	free(z);
	free(zeros);
}

static int sign_ed25519_as(void *ctx, const uint8_t *tbs, size_t tbs_len, uint8_t *sig,
                           size_t *sig_len, struct err *err)
{
	const struct key *k = ctx;

	(void)err;
	crypto_sign_detached(sig, NULL, tbs, tbs_len, k->sk);
	*sig_len = 64;
	return 0;
}

static void test_unsupported_alg(void **state)
{
	struct cred_claims c;
	struct cred_check chk;
	uint8_t *claims = NULL, *cose = NULL;
	size_t claims_len, cose_len;
	struct err err;

	(void)state;
	sample_claims(&c, 0);
	assert_int_equal(cred_claims_encode(&c, &claims, &claims_len, &err), 0);
	/* ES256 (-7) and a private-use value */
	assert_int_equal(cose_sign1_encode(-7, issuer.kid, claims, claims_len, sign_ed25519_as,
	                                   &issuer, &cose, &cose_len, &err),
	                 0);
	assert_int_equal(verify_cose_wrapped(cose, cose_len, &trust, &chk), CRED_UNSUPPORTED_ALG);
	assert_int_equal(chk.alg_id, -7);
	free(cose);
	assert_int_equal(cose_sign1_encode(-70000, issuer.kid, claims, claims_len, sign_ed25519_as,
	                                   &issuer, &cose, &cose_len, &err),
	                 0);
	assert_int_equal(verify_cose_wrapped(cose, cose_len, &trust, &chk), CRED_UNSUPPORTED_ALG);
	free(cose);
	free(claims);
}

/* ---- SM2 credentials ------------------------------------------------------- */

static void test_sm2(void **state)
{
	static const uint8_t hdr_head[] = {0xa2, 0x01, 0x3a, 0x00, 0x01, 0x00, 0x00, 0x04, 0x48};
	uint8_t sk[SM2_SK_LEN], pk[SM2_PK_LEN], kid[KID_LEN], cose[CRED_COSE_MAX],
	    bad[CRED_COSE_MAX];
	uint8_t *claims = NULL, *c2 = NULL;
	size_t cose_len, claims_len, c2_len, i;
	struct cred_claims c;
	struct cred_check chk;
	struct trust_list tl;
	struct cose_sign1 m;
	struct err err;
	char *text = NULL;

	(void)state;
	sample_claims(&c, 1);
	assert_int_equal(sm2_keygen(sk, pk, &err), 0);
	trust_kid(pk, SM2_PK_LEN, kid);
	tl = trust;
	tl.keys[tl.nkeys].alg = ALG_SM2;
	memcpy(tl.keys[tl.nkeys].kid, kid, KID_LEN);
	memcpy(tl.keys[tl.nkeys].pk, pk, SM2_PK_LEN);
	tl.keys[tl.nkeys].pk_len = SM2_PK_LEN;
	tl.keys[tl.nkeys].not_before = NOT_BEFORE;
	tl.nkeys++;

	/* a kid that is not the key's is refused when signing */
	assert_int_equal(cred_encode(&c, ALG_SM2, issuer.kid, sk, &text, &err), -1);
	assert_null(text);
	if (cred_encode(&c, ALG_SM2, kid, sk, &text, &err) != 0)
		fail_msg("cred_encode SM2: %s", err.msg);
	assert_int_equal(verify_text(text, strlen(text), &tl, &chk), CRED_OK);
	assert_int_equal(chk.alg_id, COSE_ALG_SM2);
	assert_memory_equal(chk.kid, kid, KID_LEN);
	assert_ptr_equal(chk.key, &tl.keys[1]);
	assert_claims_equal(&chk.claims, &c);
	/* the protected header {1: -65537, 4: kid} and a 64-byte r || s */
	cose_len = unwrap(text, cose, sizeof(cose));
	assert_int_equal(cose_sign1_decode(cose, cose_len, &m, &err), 0);
	assert_int_equal(m.alg, COSE_ALG_SM2);
	assert_int_equal(m.protected_len, sizeof(hdr_head) + KID_LEN);
	assert_memory_equal(m.protected_hdr, hdr_head, sizeof(hdr_head));
	assert_int_equal(m.signature_len, 64);
	assert_int_equal(sm2_verify(pk, SM2_PK_LEN, m.tbs, m.tbs_len, m.signature, 64), 1);
	cose_sign1_free(&m);
	/* a trust list without the key */
	assert_int_equal(verify_text(text, strlen(text), &trust, &chk), CRED_UNKNOWN_KEY);

	/* every changed byte of the COSE message fails */
	for (i = 0; i < cose_len; i++) {
		memcpy(bad, cose, cose_len);
		bad[i] ^= 0x01;
		assert_int_not_equal(verify_cose_wrapped(bad, cose_len, &tl, &chk), CRED_OK);
		assert_int_equal(chk.have_claims, 0);
	}
	/* the same bytes with the key listed as Ed25519, or with another SM2 point */
	tl.keys[1].alg = ALG_ED25519;
	assert_int_equal(verify_text(text, strlen(text), &tl, &chk), CRED_BAD_SIGNATURE);
	tl.keys[1].alg = ALG_SM2;
	{
		uint8_t sk2[SM2_SK_LEN];

		assert_int_equal(sm2_keygen(sk2, tl.keys[1].pk, &err), 0);
		assert_int_equal(verify_text(text, strlen(text), &tl, &chk), CRED_BAD_SIGNATURE);
		memcpy(tl.keys[1].pk, pk, SM2_PK_LEN);
		sodium_memzero(sk2, sizeof(sk2));
	}
	free(text);

	/* an algorithm that is not its key's: EdDSA under the SM2 kid, SM2 under an Ed25519 kid */
	assert_int_equal(cred_claims_encode(&c, &claims, &claims_len, &err), 0);
	assert_int_equal(cose_sign1_encode(COSE_ALG_EDDSA, kid, claims, claims_len, sign_ed25519_as,
	                                   &issuer, &c2, &c2_len, &err),
	                 0);
	assert_int_equal(verify_cose_wrapped(c2, c2_len, &tl, &chk), CRED_BAD_SIGNATURE);
	free(c2);
	assert_int_equal(
	    cose_sign1_encode_sm2(issuer.kid, sk, claims, claims_len, &c2, &c2_len, &err), 0);
	assert_int_equal(verify_cose_wrapped(c2, c2_len, &tl, &chk), CRED_BAD_SIGNATURE);
	free(c2);
	/* a signature of the wrong length under the SM2 alg */
	assert_int_equal(cose_sign1_encode(COSE_ALG_SM2, kid, claims, claims_len, sign_ed25519_as,
	                                   &issuer, &c2, &c2_len, &err),
	                 0);
	assert_int_equal(verify_cose_wrapped(c2, c2_len, &tl, &chk), CRED_BAD_SIGNATURE);
	free(c2);
	free(claims);
	sodium_memzero(sk, sizeof(sk));
}

/* The SM2 vector of tests/data/cred/sm2.txt. */
static void test_sm2_vector(void **state)
{
	uint8_t sk[SM2_SK_LEN], pk[SM2_PK_LEN], kid[KID_LEN], want[CRED_COSE_MAX];
	uint8_t cose[CRED_COSE_MAX], *again = NULL;
	size_t cose_len, n, again_len = 0;
	const struct kat_vector *v;
	struct cose_sign1 m;
	struct cred_check chk;
	struct trust_list tl;
	const char *payload;
	struct err err;
	int bad = 0;

	(void)state;
	kat_load_file("sm2.txt");
	assert_int_equal(kat_n, 1);
	v = &kat[0];
	assert_int_equal(unhex(kat_need(v, "scalar"), sk, sizeof(sk)), SM2_SK_LEN);
	assert_int_equal(sm2_public(sk, pk, &err), 0);
	trust_kid(pk, SM2_PK_LEN, kid);
	bad |= kat_expect_hex(v, "pk", pk, SM2_PK_LEN);
	bad |= kat_expect_hex(v, "kid", kid, KID_LEN);
	payload = kat_need(v, "payload");
	cose_len = unwrap(payload, cose, sizeof(cose));
	bad |= kat_expect_hex(v, "cose", cose, cose_len);
	assert_int_equal(cose_sign1_decode(cose, cose_len, &m, &err), 0);
	bad |= kat_expect_hex(v, "protected", m.protected_hdr, m.protected_len);
	bad |= kat_expect_hex(v, "claims_cbor", m.payload, m.payload_len);
	bad |= kat_expect_hex(v, "signature", m.signature, m.signature_len);
	assert_int_equal(cose_sign1_verify_sm2(&m, pk, SM2_PK_LEN), 1);
	assert_int_equal(cose_sign1_verify_ed25519(&m, pk + 1), 0);
	cose_sign1_free(&m);

	memset(&tl, 0, sizeof(tl));
	memcpy(tl.keys[0].kid, kid, KID_LEN);
	tl.keys[0].alg = ALG_SM2;
	memcpy(tl.keys[0].pk, pk, SM2_PK_LEN);
	tl.keys[0].pk_len = SM2_PK_LEN;
	tl.keys[0].not_before = NOT_BEFORE;
	tl.nkeys = 1;
	assert_int_equal(verify_text(payload, strlen(payload), &tl, &chk), CRED_OK);
	assert_int_equal(chk.alg_id, COSE_ALG_SM2);
	assert_string_equal(chk.claims.number, kat_need(v, "number"));
	bad |= kat_expect_num(v, "iat", chk.claims.iat);
	assert_int_equal(cred_claims_encode(&chk.claims, &again, &again_len, &err), 0);
	n = unhex(kat_need(v, "claims_cbor"), want, sizeof(want));
	assert_int_equal(again_len, n);
	assert_memory_equal(again, want, n);
	free(again);
	/* listed as Ed25519 under the same kid: forged */
	tl.keys[0].alg = ALG_ED25519;
	assert_int_equal(verify_text(payload, strlen(payload), &tl, &chk), CRED_BAD_SIGNATURE);
	sodium_memzero(sk, sizeof(sk));
	kat_free();
	if (bad)
		fail_msg("the SM2 vector disagrees with tests/data/cred/sm2.txt");
}

/* ---- malformed claims under a good signature --------------------------------- */

struct ent {
	int key;       /* -1: the raw key in s_key */
	char type;     /* 'u' unsigned, 'n' negative, 't' text, 'b' hex bytes, 'x' raw hex */
	const char *s; /* text, hex */
	long long i;   /* number */
	const char *s_key;
};

static const struct ent base_claims[] = {
    {0, 'u', NULL, 1, NULL},
    {1, 't', "黔A012024000123", 0, NULL},
    {2, 't', "王建国", 0, NULL},
    {3, 'u', NULL, 1, NULL},
    {4, 't', "520102********1236", 0, NULL},
    {5, 'b', "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf", 0, NULL},
    {6, 'b', "000102030405060708090a0b0c0d0e0f", 0, NULL},
    {7, 't', "01", 0, NULL},
    {8, 'u', NULL, 19797, NULL},
    {9, 'u', NULL, 21987, NULL},
    {10, 'u', NULL, 20527, NULL},
    {11, 't', "I1", 0, NULL},
    {13, 'u', NULL, 87654, NULL},
    {14, 'u', NULL, IAT, NULL},
};

#define NBASE (sizeof(base_claims) / sizeof(base_claims[0]))

enum op { OP_NONE, OP_DROP, OP_SET, OP_ADD, OP_MOVE_END, OP_RAW, OP_TRAIL };

struct claims_case {
	const char *name;
	enum op op;
	int key;
	struct ent e;
	enum cred_result want;
};

static const struct claims_case claims_cases[] = {
    {"baseline", OP_NONE, 0, {0}, CRED_OK},
    {"photo hash added",
     OP_ADD,
     0,
     {12, 'b', "00112233445566778899aabbccddeeff", 0, NULL},
     CRED_OK},
    {"no version", OP_DROP, 0, {0}, CRED_MALFORMED},
    {"no number", OP_DROP, 1, {0}, CRED_MALFORMED},
    {"no name", OP_DROP, 2, {0}, CRED_MALFORMED},
    {"no gender", OP_DROP, 3, {0}, CRED_MALFORMED},
    {"no masked id", OP_DROP, 4, {0}, CRED_MALFORMED},
    {"no salt", OP_DROP, 5, {0}, CRED_MALFORMED},
    {"no id hash", OP_DROP, 6, {0}, CRED_MALFORMED},
    {"no trade", OP_DROP, 7, {0}, CRED_MALFORMED},
    {"no issue date", OP_DROP, 8, {0}, CRED_MALFORMED},
    {"no valid-until", OP_DROP, 9, {0}, CRED_MALFORMED},
    {"no review date (optional)", OP_DROP, 10, {0}, CRED_OK},
    {"no issuer", OP_DROP, 11, {0}, CRED_MALFORMED},
    {"no status index", OP_DROP, 13, {0}, CRED_MALFORMED},
    {"no iat", OP_DROP, 14, {0}, CRED_MALFORMED},
    {"version 2", OP_SET, 0, {0, 'u', NULL, 2, NULL}, CRED_MALFORMED},
    {"version 0", OP_SET, 0, {0, 'u', NULL, 0, NULL}, CRED_MALFORMED},
    {"gender 0", OP_SET, 3, {3, 'u', NULL, 0, NULL}, CRED_MALFORMED},
    {"gender 3", OP_SET, 3, {3, 'u', NULL, 3, NULL}, CRED_MALFORMED},
    {"gender as text", OP_SET, 3, {3, 't', "1", 0, NULL}, CRED_MALFORMED},
    {"gender not shortest", OP_SET, 3, {3, 'x', "1801", 0, NULL}, CRED_MALFORMED},
    {"number empty", OP_SET, 1, {1, 't', "", 0, NULL}, CRED_MALFORMED},
    {"number as bytes", OP_SET, 1, {1, 'b', "3031", 0, NULL}, CRED_MALFORMED},
    {"number too long",
     OP_SET,
     1,
     {1, 't', "0123456789012345678901234567890123", 0, NULL},
     CRED_MALFORMED},
    {"name with a control character", OP_SET, 2, {2, 't', "王\x01国", 0, NULL}, CRED_MALFORMED},
    {"name with a NUL", OP_SET, 2, {2, 'x', "64e78e8b00", 0, NULL}, CRED_MALFORMED},
    {"name not UTF-8", OP_SET, 2, {2, 't', "\xff\xfe", 0, NULL}, CRED_MALFORMED},
    {"name surrogate", OP_SET, 2, {2, 't', "\xed\xa0\x80", 0, NULL}, CRED_MALFORMED},
    {"name overlong", OP_SET, 2, {2, 't', "\xc0\xaf", 0, NULL}, CRED_MALFORMED},
    {"name length not shortest",
     OP_SET,
     2,
     {2, 'x', "7809e78e8be5bbbae59bbd", 0, NULL},
     CRED_MALFORMED},
    {"name indefinite", OP_SET, 2, {2, 'x', "7f63e78e8b66e5bbbae59bbdff", 0, NULL}, CRED_MALFORMED},
    {"masked id 17", OP_SET, 4, {4, 't', "520102********123", 0, NULL}, CRED_MALFORMED},
    {"masked id letters", OP_SET, 4, {4, 't', "520102abcdefgh1236", 0, NULL}, CRED_MALFORMED},
    {"salt 15 bytes",
     OP_SET,
     5,
     {5, 'b', "a0a1a2a3a4a5a6a7a8a9aaabacadae", 0, NULL},
     CRED_MALFORMED},
    {"id hash 17 bytes",
     OP_SET,
     6,
     {6, 'b', "000102030405060708090a0b0c0d0e0f10", 0, NULL},
     CRED_MALFORMED},
    {"trade with a space", OP_SET, 7, {7, 't', "0 1", 0, NULL}, CRED_MALFORMED},
    {"trade in an array", OP_SET, 7, {7, 'x', "81623031", 0, NULL}, CRED_MALFORMED},
    {"issue date 1899-12-31", OP_SET, 8, {8, 'n', NULL, -25568, NULL}, CRED_MALFORMED},
    {"issue date 1900-01-01", OP_SET, 8, {8, 'n', NULL, -25567, NULL}, CRED_OK},
    {"valid-until 2200-01-01", OP_SET, 9, {9, 'u', NULL, 84006, NULL}, CRED_MALFORMED},
    {"valid-until beyond int32", OP_SET, 9, {9, 'u', NULL, 2147483648LL, NULL}, CRED_MALFORMED},
    {"review date as text", OP_SET, 10, {10, 't', "2026-03-15", 0, NULL}, CRED_MALFORMED},
    {"review date float", OP_SET, 10, {10, 'x', "fa46a05e00", 0, NULL}, CRED_MALFORMED},
    {"issuer 16 characters", OP_SET, 11, {11, 't', "ISSUER-CODE-16ch", 0, NULL}, CRED_MALFORMED},
    {"issuer with a space", OP_SET, 11, {11, 't', "I 1", 0, NULL}, CRED_MALFORMED},
    {"photo hash 15 bytes",
     OP_ADD,
     0,
     {12, 'b', "00112233445566778899aabbccddee", 0, NULL},
     CRED_MALFORMED},
    {"status index 2^32", OP_SET, 13, {13, 'u', NULL, 4294967296LL, NULL}, CRED_MALFORMED},
    {"status index negative", OP_SET, 13, {13, 'n', NULL, -1, NULL}, CRED_MALFORMED},
    {"iat negative", OP_SET, 14, {14, 'n', NULL, -5, NULL}, CRED_MALFORMED},
    {"iat null", OP_SET, 14, {14, 'x', "f6", 0, NULL}, CRED_MALFORMED},
    {"unknown key 15", OP_ADD, 0, {15, 'u', NULL, 0, NULL}, CRED_MALFORMED},
    {"unknown key 100", OP_ADD, 0, {100, 'u', NULL, 0, NULL}, CRED_MALFORMED},
    {"text key", OP_ADD, 0, {-1, 'u', NULL, 0, "6178"}, CRED_MALFORMED},
    {"negative key", OP_ADD, 0, {-1, 'u', NULL, 0, "20"}, CRED_MALFORMED},
    {"duplicate key", OP_ADD, 0, {2, 't', "李四", 0, NULL}, CRED_MALFORMED},
    {"keys out of order", OP_MOVE_END, 1, {0}, CRED_MALFORMED},
    {"key not shortest", OP_ADD, 0, {-1, 'u', NULL, 0, "180f"}, CRED_MALFORMED},
    {"trailing byte", OP_TRAIL, 0, {0, 'x', "00", 0, NULL}, CRED_MALFORMED},
    {"an array", OP_RAW, 0, {0, 'x', "8101", 0, NULL}, CRED_MALFORMED},
    {"empty map", OP_RAW, 0, {0, 'x', "a0", 0, NULL}, CRED_MALFORMED},
    {"a text", OP_RAW, 0, {0, 'x', "6161", 0, NULL}, CRED_MALFORMED},
    {"tagged map", OP_RAW, 0, {0, 'x', "d818a0", 0, NULL}, CRED_MALFORMED},
};

static size_t put_head(uint8_t *p, unsigned major, uint64_t v)
{
	uint8_t mt = (uint8_t)(major << 5);
	size_t n, i;

	if (v < 24) {
		p[0] = (uint8_t)(mt | v);
		return 1;
	}
	n = v <= 0xff ? 1 : v <= 0xffff ? 2 : v <= 0xffffffffu ? 4 : 8;
	p[0] = (uint8_t)(mt | (n == 1 ? 24 : n == 2 ? 25 : n == 4 ? 26 : 27));
	for (i = 0; i < n; i++)
		p[1 + i] = (uint8_t)(v >> (8 * (n - 1 - i)));
	return 1 + n;
}

static size_t put_ent(uint8_t *p, const struct ent *e)
{
	size_t o = 0, n;

	if (e->key >= 0)
		o += put_head(p, 0, (uint64_t)e->key);
	else
		o += unhex(e->s_key, p, 16);
	switch (e->type) {
	case 'u':
		o += put_head(p + o, 0, (uint64_t)e->i);
		break;
	case 'n':
		o += put_head(p + o, 1, (uint64_t)(-1 - e->i));
		break;
	case 't':
		n = strlen(e->s);
		o += put_head(p + o, 3, n);
		memcpy(p + o, e->s, n);
		o += n;
		break;
	case 'b':
		n = strlen(e->s) / 2;
		o += put_head(p + o, 2, n);
		o += unhex(e->s, p + o, n);
		break;
	case 'x':
		o += unhex(e->s, p + o, 64);
		break;
	}
	return o;
}

static size_t build_claims(const struct claims_case *cc, uint8_t *out)
{
	const struct ent *list[NBASE + 1];
	size_t n = 0, i, o;

	if (cc->op == OP_RAW)
		return unhex(cc->e.s, out, 64);
	for (i = 0; i < NBASE; i++) {
		if ((cc->op == OP_DROP || cc->op == OP_MOVE_END) && base_claims[i].key == cc->key)
			continue;
		if (cc->op == OP_SET && base_claims[i].key == cc->key)
			list[n++] = &cc->e;
		else
			list[n++] = &base_claims[i];
	}
	if (cc->op == OP_ADD) {
		/* in key order when it is a key we know, else last */
		size_t at = n;

		for (i = 0; cc->e.key >= 0 && cc->e.key != 2 && i < n; i++)
			if (list[i]->key > cc->e.key) {
				at = i;
				break;
			}
		memmove(&list[at + 1], &list[at], (n - at) * sizeof(list[0]));
		list[at] = &cc->e;
		n++;
	}
	if (cc->op == OP_MOVE_END)
		for (i = 0; i < NBASE; i++)
			if (base_claims[i].key == cc->key)
				list[n++] = &base_claims[i];
	o = put_head(out, 5, n);
	for (i = 0; i < n; i++)
		o += put_ent(out + o, list[i]);
	if (cc->op == OP_TRAIL)
		o += unhex(cc->e.s, out + o, 16);
	return o;
}

static void test_malformed_claims_signed(void **state)
{
	uint8_t claims[1024], *cose = NULL;
	size_t i, len, cose_len;
	struct cred_check chk;
	struct err err;
	enum cred_result r;

	(void)state;
	for (i = 0; i < sizeof(claims_cases) / sizeof(claims_cases[0]); i++) {
		const struct claims_case *cc = &claims_cases[i];

		len = build_claims(cc, claims);
		assert_int_equal(cose_sign1_encode_ed25519(issuer.kid, issuer.sk, claims, len,
		                                           &cose, &cose_len, &err),
		                 0);
		r = verify_cose_wrapped(cose, cose_len, &trust, &chk);
		if (r != cc->want)
			fail_msg("%s: %s, want %s", cc->name, cred_result_code(r),
			         cred_result_code(cc->want));
		if (r == CRED_OK) {
			assert_int_equal(chk.have_claims, 1);
			assert_string_equal(chk.claims.name, "王建国");
		} else {
			assert_int_equal(chk.have_iat, 0);
			/* nothing of a malformed payload leaks out */
			assert_string_equal(chk.claims.name, "");
		}
		free(cose);
	}
}

static void test_not_a_credential(void **state)
{
	static const char *const texts[] = {
	    "",
	    "   ",
	    "OC1:",
	    "OC1: ",
	    "HC1:6BFOXN%TS3DH0YOJ58S S-W5HDC *M0II5XHC9B5G2+$N",
	    "oc1:BB8",
	    "OC1:bb8",
	    "OC1:BB8", /* Base45 of "AB": no zlib stream */
	    "OC1:A",   /* 3k + 1 characters */
	    "OC1:GGW", /* group value out of range */
	    "OC1:%69 VD92EX0",
	    "OC1:\xe4\xb8\x80\xe4\xb8\x80",
	    "https://verify.example.gov.cn/v#OC1:BB8", /* a URL is the classifier's job */
	};
	struct cred_check chk;
	char *big;
	size_t i;
	struct cred_claims c;
	char *text, *padded;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		if (verify_text(texts[i], strlen(texts[i]), &trust, &chk) != CRED_MALFORMED)
			fail_msg("\"%s\": %s", texts[i], cred_result_code(chk.result));
	assert_int_equal(verify_text(NULL, 0, &trust, &chk), CRED_MALFORMED);
	/* the text cap */
	big = malloc(CRED_TEXT_MAX + 2);
	assert_non_null(big);
	memset(big, '0', CRED_TEXT_MAX + 1);
	big[CRED_TEXT_MAX + 1] = '\0';
	assert_int_equal(verify_text(big, CRED_TEXT_MAX + 1, &trust, &chk), CRED_MALFORMED);
	free(big);
	/* a genuine payload with a byte appended to the zlib stream */
	sample_claims(&c, 0);
	text = issue(&c, &issuer);
	{
		uint8_t z[CRED_TEXT_MAX];
		size_t zlen, n;

		assert_int_equal(b45_decode(text + 4, strlen(text) - 4, z, sizeof(z), &zlen), 0);
		z[zlen++] = 0;
		n = 4 + b45_encoded_len(zlen);
		padded = malloc(n + 1);
		assert_non_null(padded);
		memcpy(padded, "OC1:", 4);
		assert_int_equal(b45_encode(z, zlen, padded + 4, n - 3), 0);
		assert_int_equal(verify_text(padded, n, &trust, &chk), CRED_MALFORMED);
		free(padded);
	}
	/* and with a byte appended to the COSE message */
	{
		uint8_t cose[CRED_COSE_MAX];
		size_t n = unwrap(text, cose, sizeof(cose) - 1);

		cose[n] = 0;
		assert_int_equal(verify_cose_wrapped(cose, n + 1, &trust, &chk), CRED_MALFORMED);
		/* untagged is accepted */
		assert_int_equal(verify_cose_wrapped(cose + 1, n - 1, &trust, &chk), CRED_OK);
	}
	free(text);
	assert_string_equal(cred_result_code(CRED_KEY_NOT_CURRENT), "key_not_current");
	assert_string_equal(cred_result_code(CRED_UNSUPPORTED_ALG), "unsupported_alg");
	assert_string_equal(cred_result_label(CRED_BAD_SIGNATURE), "签名无效");
}

/* ---- the URL form ------------------------------------------------------------ */

static void test_hosts(void **state)
{
	static const struct {
		const char *host;
		int ok;
		const char *scheme;
	} cases[] = {
	    {"verify.example.gov.cn", 1, "https://"},
	    {"Verify.Example.GOV.cn", 1, "https://"},
	    {"localhost", 1, "http://"},
	    {"LOCALHOST:8080", 1, "http://"},
	    {"127.0.0.1", 1, "http://"},
	    {"127.0.0.1:65535", 1, "http://"},
	    {"127.0.0.2", 1, "https://"},
	    {"localhost.evil.com", 1, "https://"},
	    {"a", 1, "https://"},
	    {"xn--fiqs8s.cn", 1, "https://"},
	    {"", 0, NULL},
	    {"a b", 0, NULL},
	    {"-a.com", 0, NULL},
	    {"a-.com", 0, NULL},
	    {"a..com", 0, NULL},
	    {".a.com", 0, NULL},
	    {"a.com.", 0, NULL},
	    {"a.com:0", 0, NULL},
	    {"a.com:08", 0, NULL},
	    {"a.com:65536", 0, NULL},
	    {"a.com:", 0, NULL},
	    {"a.com:1:2", 0, NULL},
	    {"[::1]", 0, NULL},
	    {"user@a.com", 0, NULL},
	    {"a.com/x", 0, NULL},
	    {"https://a.com", 0, NULL},
	    {"a_b.com", 0, NULL},
	    {"中国.cn", 0, NULL},
	};
	struct err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = cred_host_check(cases[i].host, &err);

		if ((rc == 0) != cases[i].ok)
			fail_msg("host \"%s\": %d", cases[i].host, rc);
		if (cases[i].ok)
			assert_string_equal(cred_url_scheme(cases[i].host), cases[i].scheme);
	}
	assert_int_equal(cred_host_check(NULL, &err), -1);
}

static void test_url(void **state)
{
	static const struct {
		const char *host, *payload, *want;
	} cases[] = {
	    {"verify.example.gov.cn", "OC1:ABC", "https://verify.example.gov.cn/v#OC1:ABC"},
	    {"Verify.Example.Gov.CN", "OC1:ABC", "https://verify.example.gov.cn/v#OC1:ABC"},
	    {"localhost:8080", "OC1:ABC", "http://localhost:8080/v#OC1:ABC"},
	    {"127.0.0.1", "OC1:ABC", "http://127.0.0.1/v#OC1:ABC"},
	    {"a.cn", "OC1:A B%C", "https://a.cn/v#OC1:A%20B%25C"},
	    {"a.cn", "OC1:$*+-./:", "https://a.cn/v#OC1:$*+-./:"},
	    {"a.cn", "OC1:  %%", "https://a.cn/v#OC1:%20%20%25%25"},
	};
	static const struct {
		const char *host, *payload;
	} bad[] = {
	    {"a.cn", "ABC"},     {"a.cn", "OC1:"},      {"a.cn", "OC1:abc"}, {"a.cn", "OC1:A#B"},
	    {"a.cn", "HC1:ABC"}, {"bad host", "OC1:A"}, {"a.cn", NULL},
	};
	struct cred_qr_segments seg;
	struct cred_link link;
	struct err err;
	char *url;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(cred_url(cases[i].host, cases[i].payload, &url, &err), 0);
		assert_string_equal(url, cases[i].want);
		/* and back */
		assert_int_equal(cred_link_classify(url, strlen(url), cases[i].host, &link, &err),
		                 0);
		assert_int_equal(link.kind, CRED_LINK_OFFICIAL);
		assert_string_equal(link.payload, cases[i].payload);
		assert_int_equal(cred_qr_segments(cases[i].host, cases[i].payload, &seg, &err), 0);
		assert_int_equal(strlen(seg.prefix) + strlen(seg.rest), strlen(url));
		assert_memory_equal(url, seg.prefix, strlen(seg.prefix));
		assert_string_equal(url + strlen(seg.prefix), seg.rest);
		cred_qr_segments_free(&seg);
		free(url);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		url = (char *)"x";
		if (cred_url(bad[i].host, bad[i].payload, &url, &err) != -1)
			fail_msg("url \"%s\" \"%s\" built", bad[i].host,
			         bad[i].payload ? bad[i].payload : "(null)");
		assert_null(url);
	}
}

struct link_case {
	const char *official;
	const char *scanned;
	enum cred_link_kind kind;
	const char *want; /* payload, or host for UNOFFICIAL */
};

#define OFF "verify.example.gov.cn"

static const struct link_case link_cases[] = {
    {OFF, "OC1:ABC", CRED_LINK_PAYLOAD, "OC1:ABC"},
    {OFF, "  OC1:ABC\r\n", CRED_LINK_PAYLOAD, "OC1:ABC"},
    {OFF, "\xe3\x80\x80OC1:ABC\t", CRED_LINK_PAYLOAD, "OC1:ABC"},
    {OFF, "\xe3\x80\x80https://verify.example.gov.cn/v#OC1:ABC\xe3\x80\x80\r\n", CRED_LINK_OFFICIAL,
     "OC1:ABC"},
    {OFF, "\xe3\x80\x80https://evil.com/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "evil.com"},
    {OFF, "OC1:A%20B", CRED_LINK_PAYLOAD, "OC1:A%20B"}, /* bare: nothing decoded */
    {OFF, "ABC", CRED_LINK_PAYLOAD, "ABC"},
    {OFF, "https://verify.example.gov.cn/v#OC1:ABC", CRED_LINK_OFFICIAL, "OC1:ABC"},
    {OFF, "https://verify.example.gov.cn/v#OC1:A%20B%25C", CRED_LINK_OFFICIAL, "OC1:A B%C"},
    {OFF, "https://verify.example.gov.cn/v#OC1:A%2", CRED_LINK_OFFICIAL, "OC1:A%2"},
    {OFF, "HTTPS://VERIFY.EXAMPLE.GOV.CN/v#OC1:ABC", CRED_LINK_OFFICIAL, "OC1:ABC"},
    {OFF, " https://verify.example.gov.cn/v#OC1:ABC\n", CRED_LINK_OFFICIAL, "OC1:ABC"},
    {OFF, "https://verify.example.gov.cn/v#", CRED_LINK_OFFICIAL, ""},
    /* look-alike hosts */
    {OFF, "https://verify.example.gov.cn.evil.com/v#OC1:ABC", CRED_LINK_UNOFFICIAL,
     "verify.example.gov.cn.evil.com"},
    {OFF, "https://verify.example.gov.cn@evil.com/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "evil.com"},
    {OFF, "https://verify.example.gov.cn:443@evil.com/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "evil.com"},
    {OFF, "https://user:pw@verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL,
     "verify.example.gov.cn"},
    {OFF, "https://verify.example.gov.cn:8443/v#OC1:ABC", CRED_LINK_UNOFFICIAL,
     "verify.example.gov.cn:8443"},
    {OFF, "https://verify.example.gov.cn:443/v#OC1:ABC", CRED_LINK_UNOFFICIAL,
     "verify.example.gov.cn:443"},
    {OFF, "https://verify.example.gov.cn./v#OC1:ABC", CRED_LINK_UNOFFICIAL,
     "verify.example.gov.cn."},
    {OFF, "https://verify-example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "verify-example.gov.cn"},
    {OFF, "https://evil.com/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "evil.com"},
    {OFF, "https://evil.com/v#OC1:A%20B", CRED_LINK_UNOFFICIAL, "evil.com"},
    {OFF, "https://evil.com\\@verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "evil.com"},
    {OFF, "https://evil.com?@verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "evil.com"},
    {OFF, "https://evil.com#@verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "evil.com"},
    {OFF, "https://evil.com\x01x/v#", CRED_LINK_UNOFFICIAL, "evil.com?x"},
    {OFF, "https://\xe5\xae\x98\xe6\x96\xb9.cn/v#OC1:A", CRED_LINK_UNOFFICIAL, "??????.cn"},
    /* right host, wrong everything else */
    {OFF, "http://verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "verify.example.gov.cn"},
    {OFF, "ftp://verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "verify.example.gov.cn"},
    {OFF, "https://verify.example.gov.cn/V#OC1:ABC", CRED_LINK_UNOFFICIAL, "verify.example.gov.cn"},
    {OFF, "https://verify.example.gov.cn/x#OC1:ABC", CRED_LINK_UNOFFICIAL, "verify.example.gov.cn"},
    {OFF, "https://verify.example.gov.cn/v/#OC1:ABC", CRED_LINK_UNOFFICIAL,
     "verify.example.gov.cn"},
    {OFF, "https://verify.example.gov.cn/v?x=1#OC1:ABC", CRED_LINK_UNOFFICIAL,
     "verify.example.gov.cn"},
    {OFF, "https://verify.example.gov.cn/v", CRED_LINK_UNOFFICIAL, "verify.example.gov.cn"},
    {OFF, "https://verify.example.gov.cn", CRED_LINK_UNOFFICIAL, "verify.example.gov.cn"},
    {OFF, "https:verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL,
     "https:verify.example.gov.cn"},
    {OFF, "https:\\\\verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "https:"},
    {OFF, "https:///verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, ""},
    /* no URL at all, or other schemes */
    {OFF, "www.evil.com/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "www.evil.com"},
    {OFF, "verify.example.gov.cn/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "verify.example.gov.cn"},
    {OFF, "evil.com:8080/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "evil.com:8080"},
    {OFF, "weixin://dl/business/?t=abc", CRED_LINK_UNOFFICIAL, "dl"},
    {OFF, "javascript:alert(1)", CRED_LINK_UNOFFICIAL, "javascript:alert(1)"},
    /* a local verifier: http, exact port */
    {"localhost:8080", "http://localhost:8080/v#OC1:ABC", CRED_LINK_OFFICIAL, "OC1:ABC"},
    {"localhost:8080", "http://LocalHost:8080/v#OC1:ABC", CRED_LINK_OFFICIAL, "OC1:ABC"},
    {"localhost:8080", "https://localhost:8080/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "localhost:8080"},
    {"localhost:8080", "http://localhost/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "localhost"},
    {"localhost:8080", "http://localhost:8081/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "localhost:8081"},
    {"127.0.0.1", "http://127.0.0.1/v#OC1:ABC", CRED_LINK_OFFICIAL, "OC1:ABC"},
    {"127.0.0.1", "http://127.0.0.1:80/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "127.0.0.1:80"},
    {"127.0.0.1", "http://127.1/v#OC1:ABC", CRED_LINK_UNOFFICIAL, "127.1"},
};

static void test_classify(void **state)
{
	struct cred_link link;
	struct err err;
	size_t i;
	char *big;

	(void)state;
	for (i = 0; i < sizeof(link_cases) / sizeof(link_cases[0]); i++) {
		const struct link_case *lc = &link_cases[i];
		const char *got;

		if (cred_link_classify(lc->scanned, strlen(lc->scanned), lc->official, &link,
		                       &err) != 0)
			fail_msg("\"%s\": %s", lc->scanned, err.msg);
		got = lc->kind == CRED_LINK_UNOFFICIAL ? link.host : link.payload;
		if (link.kind != lc->kind || strcmp(got, lc->want) != 0)
			fail_msg("\"%s\": kind %d \"%s\", want %d \"%s\"", lc->scanned, link.kind,
			         got, lc->kind, lc->want);
		if (lc->kind == CRED_LINK_UNOFFICIAL)
			assert_int_equal(link.payload_len, 0);
		else
			assert_int_equal(link.payload_len, strlen(link.payload));
	}
	assert_int_equal(cred_link_classify("OC1:A", 5, "bad host", &link, &err), -1);
	assert_int_equal(cred_link_classify(NULL, 0, OFF, &link, &err), -1);
	big = malloc(CRED_SCAN_MAX + 1);
	assert_non_null(big);
	memset(big, 'A', CRED_SCAN_MAX + 1);
	assert_int_equal(cred_link_classify(big, CRED_SCAN_MAX + 1, OFF, &link, &err), -1);
	/* a long official URL is cut just past the payload cap */
	memcpy(big, "https://" OFF "/v#OC1:", strlen("https://" OFF "/v#OC1:"));
	assert_int_equal(cred_link_classify(big, CRED_SCAN_MAX, OFF, &link, &err), 0);
	assert_int_equal(link.kind, CRED_LINK_OFFICIAL);
	assert_int_equal(link.payload_len, CRED_TEXT_MAX + 1);
	assert_int_equal(strlen(link.payload), CRED_TEXT_MAX + 1);
	free(big);
}

/* The QR size of the URL form of typical credentials. */
static void test_qr_size(void **state)
{
	static const char *const hosts[] = {HOST, "zjj.example.gov.cn", "localhost:8080"};
	struct cred_qr_segments seg;
	struct cred_claims c;
	struct err err;
	char *text, *url;
	size_t h, photo, i;

	(void)state;
	for (photo = 0; photo <= 1; photo++) {
		sample_claims(&c, (int)photo);
		text = issue(&c, &issuer);
		for (h = 0; h < sizeof(hosts) / sizeof(hosts[0]); h++) {
			size_t pl, rl;
			int v;

			assert_int_equal(cred_qr_segments(hosts[h], text, &seg, &err), 0);
			assert_int_equal(cred_url(hosts[h], text, &url, &err), 0);
			pl = strlen(seg.prefix);
			rl = strlen(seg.rest);
			for (i = 0; i < rl; i++)
				assert_non_null(strchr(B45_ALPHABET, seg.rest[i]));
			v = cred_qr_version_m(pl, rl);
			print_message("%s photo, host %s: payload %zu chars, URL %zu chars "
			              "(byte %zu + alnum %zu) = %zu data bits, version %d-M "
			              "(v13-M holds 2672, uses %zu)\n",
			              photo ? "with" : "no", hosts[h], strlen(text), strlen(url),
			              pl, rl, cred_qr_bits(pl, rl, v), v, cred_qr_bits(pl, rl, 13));
			assert_true(v >= 1 && v <= 13);
			assert_true(cred_qr_bits(pl, rl, 13) <= 2672);
			cred_qr_segments_free(&seg);
			free(url);
		}
		free(text);
	}
	/* the capacity table at its edges */
	assert_int_equal(cred_qr_bits(0, 0, 1), 4 + 8 + 4 + 9);
	assert_int_equal(cred_qr_bits(10, 3, 10), 4 + 16 + 80 + 4 + 11 + 11 + 6);
	assert_int_equal(cred_qr_version_m(0, 1), 1);
	/* 2672 bits at v13: 4+16+8p + 4+11 + 11*(r/2) */
	assert_int_equal(cred_qr_version_m(31, 434), 13);
	assert_int_equal(cred_qr_version_m(31, 435), 14);
	assert_int_equal(cred_qr_version_m(100000, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_kat),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_id_matches),
	    cmocka_unit_test(test_changed_character),
	    cmocka_unit_test(test_changed_cose_byte),
	    cmocka_unit_test(test_other_keys),
	    cmocka_unit_test(test_sm2),
	    cmocka_unit_test(test_sm2_vector),
	    cmocka_unit_test(test_claims_changed_without_signing),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_key_period),
	    cmocka_unit_test(test_inflate_bomb),
	    cmocka_unit_test(test_unsupported_alg),
	    cmocka_unit_test(test_malformed_claims_signed),
	    cmocka_unit_test(test_not_a_credential),
	    cmocka_unit_test(test_hosts),
	    cmocka_unit_test(test_url),
	    cmocka_unit_test(test_classify),
	    cmocka_unit_test(test_qr_size),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
