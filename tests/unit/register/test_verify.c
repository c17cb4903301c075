/*
 * test_verify.c - the verification rules (verify.h) against a small
 * register: valid, uncertified, invalid_id, invalid_number, the T number's
 * embedded ID, mismatch per field and the folding of names and issuers,
 * not_found against external, expiry on and after valid_until, suspension,
 * revocation, overdue review, combined findings and the precedence of
 * DOMAIN.md section 6, duplicate_use added afterwards, the messages, and
 * that an absent number makes the store calls and unsealing of a present
 * one asked with a wrong name (counted through the store's table of
 * functions and pii_opens_get).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "idnum.h"
#include "pii.h"
#include "store.h"
#include "store_backend.h" /* to count the calls the store makes of its backend */
#include "text.h"
#include "lifecycle.h"
#include "verify.h"
#include "fixture.h"
#include "testdata.h"

#define COUNT(a)   (sizeof(a) / sizeof((a)[0]))
#define D(y, m, d) date_from_ymd(y, m, d)
#define NONE       DATE_NONE
#define M(v)       VMASK(V_##v)

#define C1 "黔A012018000001"     /* valid until 2020-08-08 */
#define C2 "黔A022018000002"     /* suspended */
#define C3 "黔A052018000003"     /* revoked */
#define C4 "黔A012017000004"     /* valid until 2019-05-31 */
#define C5 "T520111197806150058" /* review due 2019-01-10 */
#define C6 "T520111197806150066" /* review derived: 2021-03-01 */
#define C7 "黔A112018000007"     /* issuer written short in the register */
#define C8 "黔A012016000008"     /* recorded as male with a female ID */

#define ID1 "52010219850312001X" /* 张三, male */
#define ID2 "520102198503120028" /* 李四, female */
#define ID3 "520103199001010030" /* 王五, male */
#define ID4 "520103199001010049" /* 赵六, female */
#define ID5 "520111197806150058" /* 孙七, male */
#define ID6 "520111197806150066" /* 周八, female */
#define ID7 "520112199211200082" /* 阿依古丽·买买提, female */
#define IDM "520112199211200074" /* someone not in the register, male */
#define BAD "520102198503120011" /* ID1 with a wrong check character */

#define ISSUER  "贵阳市住房和城乡建设局"
#define EISSUER "贵阳市应急管理局"

/* DOMAIN.md section 6, most serious first. */
static const enum verdict domain_order[] = {
    V_UNOFFICIAL_LINK, V_FORGED,         V_TAMPERED,  V_UNCERTIFIED, V_MISMATCH,
    V_DUPLICATE_USE,   V_REVOKED,        V_SUSPENDED, V_EXPIRED,     V_REVIEW_OVERDUE,
    V_INVALID_ID,      V_INVALID_NUMBER, V_NOT_FOUND, V_EXTERNAL,    V_STATUS_UNKNOWN,
};

static enum verdict most_serious(verdict_mask m)
{
	size_t i;

	for (i = 0; i < COUNT(domain_order); i++)
		if (m & VMASK(domain_order[i]))
			return domain_order[i];
	return V_VALID;
}

static struct store *g_store;
static int32_t g_today;

static int setup(void **state)
{
	struct err err;
	struct cert certs[8];
	size_t i;

	(void)state;
	g_today = D(2019, 6, 1);
	certs[0] = test_cert(C1, SYS_CONSTRUCTION, "张三", GENDER_MALE, ID1, "01", ISSUER,
	                     D(2018, 8, 9), D(2020, 8, 8), NONE, CERT_VALID);
	certs[1] = test_cert(C2, SYS_CONSTRUCTION, "李四", GENDER_FEMALE, ID2, "02", ISSUER,
	                     D(2018, 8, 9), D(2020, 8, 8), NONE, CERT_SUSPENDED);
	certs[2] = test_cert(C3, SYS_CONSTRUCTION, "王五", GENDER_MALE, ID3, "05", ISSUER,
	                     D(2018, 8, 9), D(2020, 8, 8), NONE, CERT_REVOKED);
	certs[3] = test_cert(C4, SYS_CONSTRUCTION, "赵六", GENDER_FEMALE, ID4, "01", ISSUER,
	                     D(2017, 6, 1), D(2019, 5, 31), NONE, CERT_VALID);
	certs[4] = test_cert(C5, SYS_EMERGENCY, "孙七", GENDER_MALE, ID5, "2.1", EISSUER,
	                     D(2016, 1, 10), D(2022, 1, 9), D(2019, 1, 10), CERT_VALID);
	certs[5] = test_cert(C6, SYS_EMERGENCY, "周八", GENDER_FEMALE, ID6, "1.2", EISSUER,
	                     D(2018, 3, 1), D(2024, 2, 29), NONE, CERT_VALID);
	certs[6] = test_cert(C7, SYS_CONSTRUCTION, "阿依古丽·买买提", GENDER_FEMALE, ID7, "11",
	                     "贵阳市住建局", D(2018, 8, 9), D(2020, 8, 8), NONE, CERT_VALID);
	/* a register row the import would refuse, for precedence only:
	 * invalid_id without mismatch, next to expired and review_overdue */
	certs[7] = test_cert(C8, SYS_CONSTRUCTION, "吴十", GENDER_MALE, ID7, "01", ISSUER,
	                     D(2016, 1, 1), D(2018, 1, 1), D(2017, 1, 1), CERT_VALID);
	memset(&err, 0, sizeof(err));
	if (fixture_store(":memory:", &g_store) != 0)
		return -1;
	for (i = 0; i < COUNT(certs); i++) {
		certs[i].ledger_index = -1; /* not yet in the log */
		if (store_cert_insert(g_store, &certs[i], &err) != 0)
			return -1;
	}
	/* Record the rows in the transparency log, as an import would. */
	if (lifecycle_backfill(g_store, 1546300800, NULL, &err) < 0)
		return -1;
	return store_prefix_add(g_store, "黔A", &err);
}

static int teardown(void **state)
{
	(void)state;
	store_close(g_store);
	return 0;
}

/* At least one CJK ideograph in valid UTF-8. */
static int has_chinese(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!utf8_valid(s, strlen(s), NULL))
		return 0;
	for (; *p; p++) {
		if ((p[0] & 0xf0) == 0xe0 && p[1] && p[2]) {
			unsigned cp = ((unsigned)(p[0] & 0x0f) << 12) |
			              ((unsigned)(p[1] & 0x3f) << 6) | (unsigned)(p[2] & 0x3f);

			if (cp >= 0x4e00 && cp <= 0x9fff)
				return 1;
		}
	}
	return 0;
}

static void check_message(const struct vresult *r, const char *what)
{
	int b;

	if (!r->message[0] || !has_chinese(r->message))
		fail_msg("%s: message \"%s\" is not Chinese text", what, r->message);
	/* a mismatch says which fields */
	if (r->verdict == V_MISMATCH) {
		for (b = 1; b < (1 << FIELD_COUNT); b <<= 1) {
			if ((r->mismatched & (unsigned)b) && !strstr(r->message, field_label(b)))
				fail_msg("%s: message \"%s\" does not name %s", what, r->message,
				         field_label(b));
		}
	}
}

static void mask_text(verdict_mask m, char *out, size_t size)
{
	size_t n = 0;
	int v;

	out[0] = '\0';
	for (v = V_COUNT; (v = verdict_next(m, v)) >= 0;)
		n += (size_t)snprintf(out + n, n < size ? size - n : 0, "%s%s", n ? "," : "",
		                      verdict_code((enum verdict)v));
}

struct vcase {
	const char *what;
	const char *number, *name, *id;
	enum gender gender;
	const char *trade, *issuer;
	int32_t valid_until;
	int32_t today; /* 0 = the default day, 2019-06-01 */
	enum verdict verdict;
	verdict_mask findings;
	unsigned mismatched;
};

static void run_case(const struct vcase *c, struct vresult *r)
{
	struct verifier v;
	struct claim cl;
	struct err err;
	char got[256], want[256];

	memset(&err, 0, sizeof(err));
	assert_int_equal(verifier_init(&v, g_store, c->today ? c->today : g_today, &err), 0);
	memset(&cl, 0, sizeof(cl));
	cl.number = c->number;
	cl.name = c->name;
	cl.id_number = c->id;
	cl.gender = c->gender;
	cl.trade = c->trade;
	cl.issuer = c->issuer;
	cl.valid_until = c->valid_until;
	if (verify_claim(&v, &cl, r, &err) != 0)
		fail_msg("%s: verify_claim failed: %s", c->what, err.msg);
	if (r->findings != c->findings) {
		mask_text(r->findings, got, sizeof(got));
		mask_text(c->findings, want, sizeof(want));
		fail_msg("%s: findings [%s], want [%s]", c->what, got, want);
	}
	if (r->verdict != c->verdict)
		fail_msg("%s: verdict %s, want %s", c->what, verdict_code(r->verdict),
		         verdict_code(c->verdict));
	if (r->verdict != most_serious(r->findings))
		fail_msg("%s: verdict %s is not the most serious finding", c->what,
		         verdict_code(r->verdict));
	if (r->mismatched != c->mismatched)
		fail_msg("%s: mismatched 0x%x, want 0x%x", c->what, r->mismatched, c->mismatched);
	check_message(r, c->what);
}

#define GN GENDER_NONE
#define GM GENDER_MALE
#define GF GENDER_FEMALE

static void test_valid(void **state)
{
	struct vcase cases[] = {
	    {"every field", C1, "张三", ID1, GM, "01", ISSUER, D(2020, 8, 8), 0, V_VALID, 0, 0},
	    {"number and name", C1, "张三", NULL, GN, NULL, NULL, NONE, 0, V_VALID, 0, 0},
	    {"number alone", C1, NULL, NULL, GN, NULL, NULL, NONE, 0, V_VALID, 0, 0},
	    {"empty strings are not compared", C1, "", "", GN, "", "", NONE, 0, V_VALID, 0, 0},
	    {"lowercase letters", "黔a012018000001", "张三", "52010219850312001x", GM, NULL, NULL,
	     NONE, 0, V_VALID, 0, 0},
	    {"spaces around the number", " 黔A012018000001 ", "张三", NULL, GN, NULL, NULL, NONE, 0,
	     V_VALID, 0, 0},
	    {"trade 1 for 01", C1, "张三", NULL, GN, "1", NULL, NONE, 0, V_VALID, 0, 0},
	    {"trade by name", C1, "张三", NULL, GN, "建筑电工", NULL, NONE, 0, V_VALID, 0, 0},
	    {"trade by alias", C1, "张三", NULL, GN, "电工", NULL, NONE, 0, V_VALID, 0, 0},
	    {"issuer short form", C1, "张三", NULL, GN, NULL, "贵阳市住建局", NONE, 0, V_VALID, 0,
	     0},
	    {"issuer long form, register short", C7, "阿依古丽·买买提", ID7, GF, "11", ISSUER, NONE,
	     0, V_VALID, 0, 0},
	    {"name with a space", C1, "张 三", NULL, GN, NULL, NULL, NONE, 0, V_VALID, 0, 0},
	    {"name with an ideographic space", C1, "张\xe3\x80\x80三", NULL, GN, NULL, NULL, NONE,
	     0, V_VALID, 0, 0},
	    {"name with surrounding spaces", C1, "  张三 ", NULL, GN, NULL, NULL, NONE, 0, V_VALID,
	     0, 0},
	    {"spaces around a middle dot", C7, "阿依古丽 · 买买提", NULL, GN, NULL, NULL, NONE, 0,
	     V_VALID, 0, 0},
	    {"emergency, every field", C6, "周八", ID6, GF, "1.2", EISSUER, D(2024, 2, 29), 0,
	     V_VALID, 0, 0},
	    {"emergency trade by name", C6, "周八", ID6, GF, "低压电工作业", NULL, NONE, 0, V_VALID,
	     0, 0},
	    {"valid on its last day", C4, "赵六", ID4, GF, NULL, NULL, NONE, D(2019, 5, 31),
	     V_VALID, 0, 0},
	    {"valid on its last day (2)", C1, "张三", NULL, GN, NULL, NULL, NONE, D(2020, 8, 8),
	     V_VALID, 0, 0},
	    {"review on its due day", C5, "孙七", ID5, GM, NULL, NULL, NONE, D(2019, 1, 10),
	     V_VALID, 0, 0},
	};
	struct vresult r;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		run_case(&cases[i], &r);
		assert_int_equal(r.found, 1);
	}
	/* the result carries the normalised number and the register's record */
	run_case(&cases[4], &r);
	assert_string_equal(r.number, C1);
	assert_string_equal(r.name, "张三");
	assert_string_equal(r.cert.number, C1);
	assert_string_equal(r.cert.id_number, ID1);
	assert_null(r.id_reason);
}

static void test_uncertified_and_invalid(void **state)
{
	struct vcase cases[] = {
	    /* no number */
	    {"no number", "", "张三", ID1, GM, NULL, NULL, NONE, 0, V_UNCERTIFIED, M(UNCERTIFIED),
	     0},
	    {"NULL number", NULL, "张三", ID1, GN, NULL, NULL, NONE, 0, V_UNCERTIFIED,
	     M(UNCERTIFIED), 0},
	    {"no number, bad ID", "", "张三", BAD, GN, NULL, NULL, NONE, 0, V_UNCERTIFIED,
	     M(UNCERTIFIED) | M(INVALID_ID), 0},
	    /* invalid_id */
	    {"bad check character, external number", "川A012018000001", "张三", BAD, GN, NULL, NULL,
	     NONE, 0, V_INVALID_ID, M(INVALID_ID) | M(EXTERNAL), 0},
	    {"gender disagrees with ID, absent number", "黔A012018999999", "张三", ID1, GF, NULL,
	     NULL, NONE, 0, V_INVALID_ID, M(INVALID_ID) | M(NOT_FOUND), 0},
	    {"short ID, absent number", "黔A012018999999", "张三", "5201021985", GN, NULL, NULL,
	     NONE, 0, V_INVALID_ID, M(INVALID_ID) | M(NOT_FOUND), 0},
	    {"future birth date", "川A012018000001", "张三", "520103202501010031", GN, NULL, NULL,
	     NONE, 0, V_INVALID_ID, M(INVALID_ID) | M(EXTERNAL), 0},
	    {"no province", "川A012018000001", "张三", "990102198503120015", GN, NULL, NULL, NONE,
	     0, V_INVALID_ID, M(INVALID_ID) | M(EXTERNAL), 0},
	    {"bad check character, registered number", C1, "张三", BAD, GN, NULL, NULL, NONE, 0,
	     V_MISMATCH, M(INVALID_ID) | M(MISMATCH), FIELD_ID},
	    {"gender disagrees with ID, registered number", C1, "张三", ID1, GF, NULL, NULL, NONE,
	     0, V_MISMATCH, M(INVALID_ID) | M(MISMATCH), FIELD_GENDER},
	    /* invalid_number */
	    {"no format", "ABC123", "张三", ID1, GM, NULL, NULL, NONE, 0, V_INVALID_NUMBER,
	     M(INVALID_NUMBER), 0},
	    {"trade 00", "黔A002018000001", "张三", ID1, GM, NULL, NULL, NONE, 0, V_INVALID_NUMBER,
	     M(INVALID_NUMBER), 0},
	    {"13 characters", "黔A01201800001", "张三", NULL, GN, NULL, NULL, NONE, 0,
	     V_INVALID_NUMBER, M(INVALID_NUMBER), 0},
	    {"15 characters", "黔A0120180000011", "张三", NULL, GN, NULL, NULL, NONE, 0,
	     V_INVALID_NUMBER, M(INVALID_NUMBER), 0},
	    {"T and 17 digits", "T52010219850312001", "张三", NULL, GN, NULL, NULL, NONE, 0,
	     V_INVALID_NUMBER, M(INVALID_NUMBER), 0},
	    {"T and a bad ID", "T" BAD, "张三", NULL, GN, NULL, NULL, NONE, 0, V_INVALID_NUMBER,
	     M(INVALID_NUMBER), 0},
	    {"bad number and bad ID", "ABC123", "张三", BAD, GN, NULL, NULL, NONE, 0, V_INVALID_ID,
	     M(INVALID_ID) | M(INVALID_NUMBER), 0},
	};
	struct vresult r;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		run_case(&cases[i], &r);
		if (r.findings & M(INVALID_ID))
			assert_non_null(r.id_reason);
		else
			assert_null(r.id_reason);
	}
	/* an unparsable number is kept as presented */
	run_case(&cases[10], &r);
	assert_string_equal(r.number, "ABC123");
	assert_int_equal(r.found, 0);
}

static void test_emergency_embedded_id(void **state)
{
	struct vcase cases[] = {
	    {"registered, another ID", C6, "周八", ID7, GN, NULL, NULL, NONE, 0, V_MISMATCH,
	     M(MISMATCH), FIELD_ID},
	    {"registered, matching ID", C6, "周八", ID6, GN, NULL, NULL, NONE, 0, V_VALID, 0, 0},
	    {"not registered, another ID", "T" IDM, "钱九", ID3, GN, NULL, NULL, NONE, 0,
	     V_MISMATCH, M(MISMATCH) | M(EXTERNAL), FIELD_ID},
	    {"not registered, matching ID", "T" IDM, "钱九", IDM, GN, NULL, NULL, NONE, 0,
	     V_EXTERNAL, M(EXTERNAL), 0},
	    {"not registered, lowercase x", "T52010219850312001x", "张三", "52010219850312001x", GN,
	     NULL, NULL, NONE, 0, V_EXTERNAL, M(EXTERNAL), 0},
	    {"not registered, no ID", "T" IDM, "钱九", NULL, GN, NULL, NULL, NONE, 0, V_EXTERNAL,
	     M(EXTERNAL), 0},
	};
	struct vresult r;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++)
		run_case(&cases[i], &r);
	/* an emergency number that is not held points to the official portal */
	run_case(&cases[3], &r);
	assert_int_equal(r.found, 0);
	if (!strstr(r.message, "cx.mem.gov.cn"))
		fail_msg("message \"%s\" does not name cx.mem.gov.cn", r.message);
}

static void test_mismatch(void **state)
{
	struct vcase cases[] = {
	    {"name", C1, "李四", ID1, GM, "01", ISSUER, D(2020, 8, 8), 0, V_MISMATCH, M(MISMATCH),
	     FIELD_NAME},
	    {"id_number", C1, "张三", ID3, GM, "01", ISSUER, D(2020, 8, 8), 0, V_MISMATCH,
	     M(MISMATCH), FIELD_ID},
	    {"gender", C1, "张三", NULL, GF, NULL, NULL, NONE, 0, V_MISMATCH, M(MISMATCH),
	     FIELD_GENDER},
	    {"trade by code", C1, "张三", NULL, GN, "02", NULL, NONE, 0, V_MISMATCH, M(MISMATCH),
	     FIELD_TRADE},
	    {"trade by code without zero", C1, "张三", NULL, GN, "2", NULL, NONE, 0, V_MISMATCH,
	     M(MISMATCH), FIELD_TRADE},
	    {"trade by name", C1, "张三", NULL, GN, "建筑架子工（普通脚手架）", NULL, NONE, 0,
	     V_MISMATCH, M(MISMATCH), FIELD_TRADE},
	    {"unknown trade", C1, "张三", NULL, GN, "厨师", NULL, NONE, 0, V_MISMATCH, M(MISMATCH),
	     FIELD_TRADE},
	    {"emergency trade", C6, "周八", NULL, GN, "2.1", NULL, NONE, 0, V_MISMATCH, M(MISMATCH),
	     FIELD_TRADE},
	    {"valid_until", C1, "张三", NULL, GN, NULL, NULL, D(2020, 8, 9), 0, V_MISMATCH,
	     M(MISMATCH), FIELD_VALID_UNTIL},
	    {"issuer", C1, "张三", NULL, GN, NULL, "四川省住房和城乡建设厅", NONE, 0, V_MISMATCH,
	     M(MISMATCH), FIELD_ISSUER},
	    {"name differs by a character", C7, "阿依古丽·买买", NULL, GN, NULL, NULL, NONE, 0,
	     V_MISMATCH, M(MISMATCH), FIELD_NAME},
	    {"several", C1, "李四", ID1, GM, "05", "贵州省住建厅", D(2021, 8, 8), 0, V_MISMATCH,
	     M(MISMATCH), FIELD_NAME | FIELD_TRADE | FIELD_ISSUER | FIELD_VALID_UNTIL},
	    {"all six", C1, "李四", ID2, GF, "02", "贵州省住建厅", D(2021, 8, 8), 0, V_MISMATCH,
	     M(MISMATCH),
	     FIELD_NAME | FIELD_ID | FIELD_GENDER | FIELD_TRADE | FIELD_ISSUER | FIELD_VALID_UNTIL},
	};
	struct vresult r;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		run_case(&cases[i], &r);
		assert_int_equal(r.found, 1);
	}
}

static void test_register_state(void **state)
{
	struct vcase cases[] = {
	    {"absent, prefix held", "黔A012018999999", "张三", ID1, GM, NULL, NULL, NONE, 0,
	     V_NOT_FOUND, M(NOT_FOUND), 0},
	    {"absent, lowercase prefix held", "黔a012018999999", "张三", NULL, GN, NULL, NULL, NONE,
	     0, V_NOT_FOUND, M(NOT_FOUND), 0},
	    {"another province", "川A012018000001", "张三", ID1, GM, NULL, NULL, NONE, 0,
	     V_EXTERNAL, M(EXTERNAL), 0},
	    {"another city", "黔B012018000001", "张三", ID1, GM, NULL, NULL, NONE, 0, V_EXTERNAL,
	     M(EXTERNAL), 0},
	    {"expired the day after", C4, "赵六", ID4, GF, NULL, NULL, NONE, D(2019, 6, 1),
	     V_EXPIRED, M(EXPIRED), 0},
	    {"expired long after", C1, "张三", NULL, GN, NULL, NULL, NONE, D(2020, 8, 9), V_EXPIRED,
	     M(EXPIRED), 0},
	    {"suspended", C2, "李四", ID2, GF, "02", NULL, NONE, 0, V_SUSPENDED, M(SUSPENDED), 0},
	    {"revoked", C3, "王五", ID3, GM, "05", NULL, NONE, 0, V_REVOKED, M(REVOKED), 0},
	    {"review overdue", C5, "孙七", ID5, GM, "2.1", EISSUER, NONE, 0, V_REVIEW_OVERDUE,
	     M(REVIEW_OVERDUE), 0},
	    {"review overdue the day after", C5, "孙七", NULL, GN, NULL, NULL, NONE, D(2019, 1, 11),
	     V_REVIEW_OVERDUE, M(REVIEW_OVERDUE), 0},
	    {"derived review overdue", C6, "周八", NULL, GN, NULL, NULL, NONE, D(2021, 3, 2),
	     V_REVIEW_OVERDUE, M(REVIEW_OVERDUE), 0},
	    {"derived review on its day", C6, "周八", NULL, GN, NULL, NULL, NONE, D(2021, 3, 1),
	     V_VALID, 0, 0},
	};
	struct vresult r;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++)
		run_case(&cases[i], &r);
}

/* Several findings at once: all kept, the verdict the most serious. */
static void test_combined(void **state)
{
	struct vcase cases[] = {
	    {"revoked and a name mismatch", C3, "张三", ID3, GM, NULL, NULL, NONE, 0, V_MISMATCH,
	     M(REVOKED) | M(MISMATCH), FIELD_NAME},
	    {"revoked and expired", C3, "王五", NULL, GN, NULL, NULL, NONE, D(2020, 8, 9),
	     V_REVOKED, M(REVOKED) | M(EXPIRED), 0},
	    {"suspended and expired", C2, "李四", NULL, GN, NULL, NULL, NONE, D(2020, 8, 9),
	     V_SUSPENDED, M(SUSPENDED) | M(EXPIRED), 0},
	    {"expired and review overdue", C5, "孙七", NULL, GN, NULL, NULL, NONE, D(2022, 1, 10),
	     V_EXPIRED, M(EXPIRED) | M(REVIEW_OVERDUE), 0},
	    {"review overdue and a name mismatch", C5, "孙八", NULL, GN, NULL, NULL, NONE, 0,
	     V_MISMATCH, M(MISMATCH) | M(REVIEW_OVERDUE), FIELD_NAME},
	    {"suspended, bad ID", C2, "李四", "520102198503120021", GN, NULL, NULL, NONE, 0,
	     V_MISMATCH, M(MISMATCH) | M(SUSPENDED) | M(INVALID_ID), FIELD_ID},
	    {"expired, gender differs", C4, "赵六", NULL, GM, NULL, NULL, NONE, 0, V_MISMATCH,
	     M(MISMATCH) | M(EXPIRED), FIELD_GENDER},
	    {"revoked, gender disagrees with its ID", C3, "王五", ID3, GF, NULL, NULL, NONE, 0,
	     V_MISMATCH, M(MISMATCH) | M(REVOKED) | M(INVALID_ID), FIELD_GENDER},
	    {"review overdue above invalid_id", C8, "吴十", ID7, GM, NULL, NULL, NONE,
	     D(2017, 6, 1), V_REVIEW_OVERDUE, M(REVIEW_OVERDUE) | M(INVALID_ID), 0},
	    {"expired above review overdue and invalid_id", C8, "吴十", ID7, GM, NULL, NULL, NONE,
	     0, V_EXPIRED, M(EXPIRED) | M(REVIEW_OVERDUE) | M(INVALID_ID), 0},
	    {"invalid_id alone on a registered number", C8, "吴十", ID7, GM, NULL, NULL, NONE,
	     D(2016, 6, 1), V_INVALID_ID, M(INVALID_ID), 0},
	    {"revoked, expired, name and trade", C3, "王六", NULL, GN, "建筑电工", NULL, NONE,
	     D(2021, 1, 1), V_MISMATCH, M(MISMATCH) | M(REVOKED) | M(EXPIRED),
	     FIELD_NAME | FIELD_TRADE},
	};
	struct vresult r;
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++)
		run_case(&cases[i], &r);
}

static void test_add_duplicate(void **state)
{
	struct vcase cases[] = {
	    {"valid", C1, "张三", ID1, GM, NULL, NULL, NONE, 0, V_VALID, 0, 0},
	    {"revoked", C3, "王五", ID3, GM, NULL, NULL, NONE, 0, V_REVOKED, M(REVOKED), 0},
	    {"expired", C4, "赵六", ID4, GF, NULL, NULL, NONE, 0, V_EXPIRED, M(EXPIRED), 0},
	    {"mismatch", C1, "李四", ID2, GN, NULL, NULL, NONE, 0, V_MISMATCH, M(MISMATCH),
	     FIELD_NAME | FIELD_ID},
	    {"not found", "黔A012018999999", "张三", ID1, GM, NULL, NULL, NONE, 0, V_NOT_FOUND,
	     M(NOT_FOUND), 0},
	    {"external", "川A012018000001", "张三", ID1, GM, NULL, NULL, NONE, 0, V_EXTERNAL,
	     M(EXTERNAL), 0},
	};
	struct verifier v;
	struct err err;
	struct vresult r;
	char before[sizeof(r.message)], once[sizeof(r.message)];
	size_t i;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(verifier_init(&v, g_store, g_today, &err), 0);
	for (i = 0; i < COUNT(cases); i++) {
		verdict_mask want = cases[i].findings | M(DUPLICATE_USE);

		run_case(&cases[i], &r);
		memcpy(before, r.message, sizeof(before));
		verify_add_finding(&v, &r, V_DUPLICATE_USE);
		assert_int_equal(r.findings, want);
		assert_int_equal(r.verdict, most_serious(want));
		assert_int_equal(r.mismatched, cases[i].mismatched);
		if (strcmp(r.message, before) == 0)
			fail_msg("%s: message unchanged: %s", cases[i].what, r.message);
		check_message(&r, cases[i].what);
		/* adding it again changes nothing */
		memcpy(once, r.message, sizeof(once));
		verify_add_finding(&v, &r, V_DUPLICATE_USE);
		assert_int_equal(r.findings, want);
		assert_string_equal(r.message, once);
	}
	/* the verdicts DOMAIN section 6 orders around duplicate_use */
	run_case(&cases[0], &r);
	verify_add_finding(&v, &r, V_DUPLICATE_USE);
	assert_int_equal(r.verdict, V_DUPLICATE_USE);
	run_case(&cases[1], &r);
	verify_add_finding(&v, &r, V_DUPLICATE_USE);
	assert_int_equal(r.verdict, V_DUPLICATE_USE);
	run_case(&cases[3], &r);
	verify_add_finding(&v, &r, V_DUPLICATE_USE);
	assert_int_equal(r.verdict, V_MISMATCH);
}

/* Every verdict verify_claim can reach has its own Chinese message. */
static void test_messages(void **state)
{
	struct vcase cases[] = {
	    {"valid", C1, "张三", NULL, GN, NULL, NULL, NONE, 0, V_VALID, 0, 0},
	    {"uncertified", "", "张三", NULL, GN, NULL, NULL, NONE, 0, V_UNCERTIFIED,
	     M(UNCERTIFIED), 0},
	    {"mismatch", C1, "李四", NULL, GN, NULL, NULL, NONE, 0, V_MISMATCH, M(MISMATCH),
	     FIELD_NAME},
	    {"revoked", C3, "王五", NULL, GN, NULL, NULL, NONE, 0, V_REVOKED, M(REVOKED), 0},
	    {"suspended", C2, "李四", NULL, GN, NULL, NULL, NONE, 0, V_SUSPENDED, M(SUSPENDED), 0},
	    {"expired", C4, "赵六", NULL, GN, NULL, NULL, NONE, 0, V_EXPIRED, M(EXPIRED), 0},
	    {"review_overdue", C5, "孙七", NULL, GN, NULL, NULL, NONE, 0, V_REVIEW_OVERDUE,
	     M(REVIEW_OVERDUE), 0},
	    {"invalid_id", "川A012018000001", "张三", BAD, GN, NULL, NULL, NONE, 0, V_INVALID_ID,
	     M(INVALID_ID) | M(EXTERNAL), 0},
	    {"invalid_number", "ABC", "张三", NULL, GN, NULL, NULL, NONE, 0, V_INVALID_NUMBER,
	     M(INVALID_NUMBER), 0},
	    {"not_found", "黔A012018999999", "张三", NULL, GN, NULL, NULL, NONE, 0, V_NOT_FOUND,
	     M(NOT_FOUND), 0},
	    {"external", "川A012018000001", "张三", NULL, GN, NULL, NULL, NONE, 0, V_EXTERNAL,
	     M(EXTERNAL), 0},
	};
	char seen[COUNT(cases)][sizeof(((struct vresult *)0)->message)];
	struct vresult r;
	size_t i, k;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		run_case(&cases[i], &r);
		memcpy(seen[i], r.message, sizeof(seen[i]));
		/* one verdict's message is not another's */
		for (k = 0; k < i; k++)
			if (strcmp(seen[k], seen[i]) == 0)
				fail_msg("%s and %s share the message %s", cases[k].what,
				         cases[i].what, seen[i]);
	}
}

/* ---- An absent number costs what a present one does ---- */

/* What one check did: its store calls, counted through the store's own
 * table of functions, and the sealed values it opened. */
struct work {
	unsigned long cert_get, cert_seek, log_get;
	struct pii_opens opens;
};

static const struct store_backend *real_backend;
static struct work counted;

static int count_cert_get(struct store *st, const char *number, struct store_cert_row *out,
                          struct err *err)
{
	counted.cert_get++;
	return real_backend->cert_get(st, number, out, err);
}

static int count_cert_seek(struct store *st, const char *number, const char *upper,
                           const int64_t draws[3], struct store_cert_row *out, struct err *err)
{
	counted.cert_seek++;
	return real_backend->cert_seek(st, number, upper, draws, out, err);
}

static int count_log_get(struct store *st, int64_t index, struct store_log_row *out,
                         struct err *err)
{
	counted.log_get++;
	return real_backend->log_get(st, index, out, err);
}

/* The work of checking number under name in st; the verdict must be want,
 * and a result without a record must carry none (not the stand-in's). */
static struct work work_of(struct store *st, const char *number, const char *name,
                           enum verdict want)
{
	struct store_backend counting = *st->backend;
	struct pii_opens before;
	struct verifier v;
	struct claim c;
	struct vresult r;
	struct cert none;
	struct err err;
	struct work w;
	int rc;

	memset(&err, 0, sizeof(err));
	assert_int_equal(verifier_init(&v, st, g_today, &err), 0);
	memset(&c, 0, sizeof(c));
	c.number = number;
	c.name = name;
	c.gender = GENDER_NONE;
	c.valid_until = DATE_NONE;
	real_backend = st->backend;
	counting.cert_get = count_cert_get;
	counting.cert_seek = count_cert_seek;
	counting.log_get = count_log_get;
	memset(&counted, 0, sizeof(counted));
	st->backend = &counting;
	pii_opens_get(&before);
	rc = verify_claim(&v, &c, &r, &err);
	pii_opens_get(&counted.opens);
	st->backend = real_backend;
	if (rc != 0)
		fail_msg("%s: verify_claim failed: %s", number, err.msg);
	w = counted;
	w.opens.id -= before.id;
	w.opens.number -= before.number;
	w.opens.blob -= before.blob;
	if (r.verdict != want)
		fail_msg("%s: verdict %s, expected %s", number, verdict_code(r.verdict),
		         verdict_code(want));
	memset(&none, 0, sizeof(none));
	if (!r.found && memcmp(&r.cert, &none, sizeof(none)) != 0)
		fail_msg("%s: an absent number's result holds a record (%s)", number, r.cert.name);
	return w;
}

static void assert_same_work(const char *what, const struct work *present,
                             const struct work *absent)
{
	if (present->cert_get != absent->cert_get || present->cert_seek != absent->cert_seek ||
	    present->log_get != absent->log_get || present->opens.id != absent->opens.id ||
	    present->opens.number != absent->opens.number ||
	    present->opens.blob != absent->opens.blob)
		fail_msg(
		    "%s: present with a wrong name: cert_get %lu, cert_seek %lu, log_get %lu, "
		    "opened %lu ID, %lu number, %lu blob; absent: cert_get %lu, cert_seek %lu, "
		    "log_get %lu, opened %lu ID, %lu number, %lu blob",
		    what, present->cert_get, present->cert_seek, present->log_get,
		    present->opens.id, present->opens.number, present->opens.blob, absent->cert_get,
		    absent->cert_seek, absent->log_get, absent->opens.id, absent->opens.number,
		    absent->opens.blob);
}

/* "T" + an ID number no row has: body17 and its check character. */
static void t_number(const char *body17, char out[1 + IDNUM_SIZE])
{
	snprintf(out, 1 + IDNUM_SIZE, "T%s%c", body17, idnum_check_char(body17));
}

static void test_absent_same_work(void **state)
{
	/* Construction numbers with a prefix the register holds: before, among
	 * and after its rows. */
	static const char *const absent_c[] = {"黔A012015000001", "黔A012017000005",
	                                       "黔A012018999999", "黔A992025000001"};
	/* T numbers: their sealed forms fall before, between and after the
	 * register's two, so that some have a row that follows and some none. */
	static const char *const absent_t[] = {
	    "52011219921120007", "52010219850312010", "52010319900101011", "52011119780615004",
	    "52011119780615007", "52011219921120009", "52010219850312012", "52010319900101013",
	};
	struct work present, absent;
	struct store *empty;
	struct cert row;
	struct err err;
	char number[1 + IDNUM_SIZE];
	int seen[3] = {0, 0, 0}, rc;
	size_t i;

	(void)state;
	memset(&err, 0, sizeof(err));
	present = work_of(g_store, C1, "李四", V_MISMATCH);
	assert_true(present.log_get > 0 && present.opens.id > 0); /* the row was read and checked */
	for (i = 0; i < COUNT(absent_c); i++) {
		absent = work_of(g_store, absent_c[i], "李四", V_NOT_FOUND);
		assert_same_work(absent_c[i], &present, &absent);
	}
	/* another register's prefix: external, and the same work too */
	absent = work_of(g_store, "川A012018000001", "李四", V_EXTERNAL);
	assert_same_work("川A012018000001", &present, &absent);

	present = work_of(g_store, C5, "周八", V_MISMATCH);
	assert_true(present.opens.number > 0 && present.opens.blob > 0);
	for (i = 0; i < COUNT(absent_t); i++) {
		t_number(absent_t[i], number);
		absent = work_of(g_store, number, "周八", V_EXTERNAL);
		assert_same_work(number, &present, &absent);
		/* which way the stand-in was found: a row or the fixed record */
		assert_int_equal(store_begin(g_store, STORE_TXN_READ, &err), 0);
		rc = store_cert_seek(g_store, number, &row, &err);
		store_rollback(g_store);
		assert_in_range(rc, 0, 2);
		seen[rc]++;
	}
	if (!seen[0] || !seen[2])
		fail_msg("the absent T numbers took a following row %d times and the fixed record "
		         "%d times: each way should be tried",
		         seen[2], seen[0]);

	/* A register with no row of the number's kind: the fixed record, still
	 * the same work. */
	assert_int_equal(fixture_store(":memory:", &empty), 0);
	assert_int_equal(store_prefix_add(empty, "黔A", &err), 0);
	t_number(absent_t[0], number);
	absent = work_of(empty, number, "周八", V_EXTERNAL);
	assert_same_work("T, an empty register", &present, &absent);
	present = work_of(g_store, C1, "李四", V_MISMATCH);
	absent = work_of(empty, absent_c[0], "李四", V_NOT_FOUND);
	assert_same_work("construction, an empty register", &present, &absent);

	/* Rows of one kind in a long run, as one import makes them: a
	 * construction number's draw looks at a bounded number of rows, then
	 * takes the fixed record; the same work still. */
	for (i = 0; i < 60; i++) {
		struct cert t;
		char body[18];

		snprintf(body, sizeof(body), "52010219900101%03zu", i);
		t_number(body, number);
		t = test_cert(number, SYS_EMERGENCY, "某人", GENDER_MALE, number + 1, "1.1",
		              EISSUER, D(2018, 3, 1), D(2024, 2, 29), NONE, CERT_VALID);
		t.ledger_index = -1;
		assert_int_equal(store_cert_insert(empty, &t, &err), 0);
	}
	assert_int_equal(lifecycle_backfill(empty, 1546300800, NULL, &err), 0);
	for (i = 0; i < COUNT(absent_c); i++) {
		absent = work_of(empty, absent_c[i], "李四", V_NOT_FOUND);
		assert_same_work("construction, a register of T rows", &present, &absent);
	}
	store_close(empty);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid),
	    cmocka_unit_test(test_uncertified_and_invalid),
	    cmocka_unit_test(test_emergency_embedded_id),
	    cmocka_unit_test(test_mismatch),
	    cmocka_unit_test(test_register_state),
	    cmocka_unit_test(test_combined),
	    cmocka_unit_test(test_add_duplicate),
	    cmocka_unit_test(test_messages),
	    cmocka_unit_test(test_absent_same_work),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
