/*
 * test_lifecycle.c - renewal, suspension, reinstatement, revocation and
 * correction (lifecycle.h): each operation and each refusal; every success
 * appends exactly one event of the right kind carrying the new row's hash,
 * points the row at it, keeps ledger_check_row passing and records the
 * change with the ID number masked; every refusal and every failure leaves
 * the log, the row and the change records as they were; rows changed
 * behind the system's back are refused; backfill of a register that
 * predates the log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert.h"
#include "date.h"
#include "idnum.h"
#include "import.h"
#include "ledger.h"
#include "lifecycle.h"
#include "store.h"
#include "fixture.h"

#define D(y, m, d) date_from_ymd(y, m, d)
#define NOW        ((int64_t)1700000000)

/* The storage's table names, for changing the file behind the system's back. */
#define SQL_LOG_ENTRIES "log_entry"
#define SQL_LOG_STATE   "log_state"

#define NA "黔A012023000001"     /* construction, valid, male */
#define NB "黔A022023000002"     /* construction, suspended, female */
#define NC "T520111197806150058" /* emergency management, valid, male */
#define ND "T11010519491231002X" /* emergency management, revoked, female */

static const char register_csv[] =
    "证书编号,姓名,性别,身份证号码,工种,发证机关,发证日期,有效期至,复审日期,状态,培训机构\n" NA
    ",张三,男,52010219850312001X,建筑电工,贵阳市住房和城乡建设局,2023-08-09,2025-08-08,,"
    "有效,贵州省建设职业培训中心\n" NB
    ",李四,女,520102198503120028,02,贵阳市住房和城乡建设局,2023-08-09,2025-08-08,,暂扣,\n" NC
    ",王五,男,520111197806150058,2.1,贵阳市应急管理局,2022-01-10,2028-01-09,2025-01-10,"
    "有效,\n" ND ",赵六,女,11010519491231002X,3.1,北京市应急管理局,2020-01-10,2026-01-09,,注销,\n";

struct fixture {
	struct fixture_dir tmp;
	struct store *st;
	int32_t today;
};

static void sql(const struct fixture *f, const char *text)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(f->tmp.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("SQL failed: %s: %s", text, msg ? msg : "?");
	sqlite3_close(db);
}

static long sql_count(const struct fixture *f, const char *query)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	long n = -1;

	assert_int_equal(sqlite3_open(f->tmp.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, query, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/* The newest change record, malloc'd. */
static char *last_change(const struct fixture *f)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	char *text = NULL;

	assert_int_equal(sqlite3_open(f->tmp.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT change FROM certificate_change ORDER BY id DESC"
	                                    " LIMIT 1",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		text = strdup((const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_non_null(text);
	return text;
}

static long changes(const struct fixture *f)
{
	return sql_count(f, "SELECT count(*) FROM certificate_change");
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct import_options o;
	struct import_stats stats;
	struct err err;
	char path[FIXTURE_FILE_SIZE];
	FILE *fp;

	if (!f || fixture_dir_make(&f->tmp, "life") != 0) {
		free(f);
		return -1;
	}
	snprintf(path, sizeof(path), "%s/register.csv", f->tmp.path);
	fp = fopen(path, "wb");
	if (!fp ||
	    fwrite(register_csv, 1, sizeof(register_csv) - 1, fp) != sizeof(register_csv) - 1 ||
	    fclose(fp) != 0)
		return -1;
	f->today = D(2024, 1, 1);
	memset(&err, 0, sizeof(err));
	if (fixture_store(f->tmp.db, &f->st) != 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.today = f->today;
	o.now = NOW - 1000;
	o.source = "register.csv";
	if (import_register(f->st, path, &o, &stats, &err) < 0) {
		fprintf(stderr, "import: %s\n", err.msg);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	store_close(f->st);
	rc = fixture_dir_remove(&f->tmp);
	free(f);
	return rc;
}

static int64_t log_size(struct store *st)
{
	struct ledger l;
	struct err err;

	memset(&err, 0, sizeof(err));
	if (ledger_open(&l, st, &err) < 0)
		fail_msg("ledger_open: %s", err.msg);
	return ledger_size(&l);
}

static struct cert get_cert(struct store *st, const char *number)
{
	struct cert c;
	struct err err;

	memset(&err, 0, sizeof(err));
	if (store_cert_get(st, number, &c, &err) != 1)
		fail_msg("%s not in the register", number);
	return c;
}

/*
 * The event at index: a canonical event of kind about the row as it is
 * stored now, with detail (NULL = none); the row points at it and passes
 * ledger_check_row.
 */
static void check_recorded(struct store *st, int64_t index, enum ledger_kind kind,
                           const char *number, const char *detail)
{
	struct store_log_entry e;
	struct ledger_event ev;
	struct cert c = get_cert(st, number);
	struct err err;
	char num[CERTNO_SIZE], det[STORE_LOG_DATA_MAX];
	uint8_t hash[32];

	memset(&err, 0, sizeof(err));
	assert_int_equal(store_log_get(st, index, &e, &err), 1);
	tlog_leaf_hash(e.data, e.len, hash);
	assert_memory_equal(hash, e.leaf, 32);
	assert_int_equal(ledger_decode(e.data, e.len, &ev, num, sizeof(num), det, sizeof(det)), 0);
	assert_int_equal(ev.kind, kind);
	assert_int_equal(ev.time, NOW);
	assert_non_null(ev.number);
	assert_string_equal(ev.number, number);
	assert_string_equal(e.number, number);
	assert_true(ev.has_row);
	ledger_row_hash(&c, hash);
	assert_memory_equal(hash, ev.row_hash, 32);
	if (detail) {
		assert_non_null(ev.detail);
		assert_string_equal(ev.detail, detail);
	} else {
		assert_null(ev.detail);
	}
	assert_int_equal(c.ledger_index, index);
	assert_int_equal(ledger_check_row(st, &c, &err), 0);
}

/* A refusal: an input error whose message contains part; nothing written. */
#define REFUSED(f, call, part)                                                                     \
	do {                                                                                       \
		int64_t size_before = log_size((f)->st);                                           \
		long changes_before = changes(f);                                                  \
		struct err err_;                                                                   \
		struct lifecycle_result res_;                                                      \
		memset(&err_, 0, sizeof(err_));                                                    \
		if ((call(&res_, &err_)) != -1)                                                    \
			fail_msg("%s: not refused", #call);                                        \
		assert_int_equal(err_.kind, ERR_INPUT);                                            \
		if (!strstr(err_.msg, (part)))                                                     \
			fail_msg("%s: message \"%s\" lacks \"%s\"", #call, err_.msg, (part));      \
		assert_int_equal(res_.index, -1);                                                  \
		assert_int_equal(log_size((f)->st), size_before);                                  \
		assert_int_equal(changes(f), changes_before);                                      \
	} while (0)

typedef int (*op_fn)(struct lifecycle_result *r, struct err *e);

/* An operation that must succeed; returns its result. */
static struct lifecycle_result done(op_fn call, const char *name)
{
	struct lifecycle_result r;
	struct err err;

	memset(&err, 0, sizeof(err));
	if (call(&r, &err) != 0)
		fail_msg("%s: %s", name, err.msg);
	return r;
}
#define DONE(call) done(call, #call)

/* --- renew --- */

static struct fixture *F; /* the fixture of the running test, for the call wrappers */

static int renew_a_2027(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, NA, D(2027, 8, 8), DATE_NONE, F->today, NOW, r, e);
}

static void test_renew(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;
	struct err err;
	int64_t n0 = log_size(f->st);
	long c0 = changes(f);
	struct cert c;
	char *change;

	F = f;
	memset(&err, 0, sizeof(err));
	assert_int_equal(
	    lifecycle_renew(f->st, NULL, NA, D(2027, 8, 8), DATE_NONE, f->today, NOW, &r, &err), 0);
	assert_int_equal(r.index, n0);
	assert_int_equal(r.before.valid_until, D(2025, 8, 8));
	assert_int_equal(r.after.valid_until, D(2027, 8, 8));
	assert_int_equal(log_size(f->st), n0 + 1);
	c = get_cert(f->st, NA);
	assert_int_equal(c.valid_until, D(2027, 8, 8));
	assert_int_equal(c.review_due, DATE_NONE);
	assert_int_equal(c.status, CERT_VALID);
	check_recorded(f->st, n0, LEDGER_RENEW, NA, NULL);
	assert_int_equal(changes(f), c0 + 1);
	change = last_change(f);
	assert_non_null(strstr(change, "\"action\":\"renew\""));
	assert_non_null(strstr(change, "\"valid_until\":[\"2025-08-08\",\"2027-08-08\"]"));
	free(change);

	/* 复审 passed: the review date moves, the validity stays. */
	assert_int_equal(
	    lifecycle_renew(f->st, NULL, NC, D(2028, 1, 9), D(2028, 1, 8), f->today, NOW, &r, &err),
	    0);
	assert_int_equal(r.index, n0 + 1);
	c = get_cert(f->st, NC);
	assert_int_equal(c.valid_until, D(2028, 1, 9));
	assert_int_equal(c.review_due, D(2028, 1, 8));
	check_recorded(f->st, n0 + 1, LEDGER_RENEW, NC, NULL);
}

static int renew_backwards(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, NA, D(2025, 1, 1), DATE_NONE, F->today, NOW, r, e);
}

static int renew_same(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, NA, D(2025, 8, 8), DATE_NONE, F->today, NOW, r, e);
}

static int renew_past(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, NA, D(2029, 1, 1), DATE_NONE, D(2030, 1, 1), NOW, r, e);
}

static int renew_review_backwards(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, NC, D(2028, 1, 9), D(2024, 6, 1), F->today, NOW, r, e);
}

static int renew_revoked(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, ND, D(2030, 1, 1), DATE_NONE, F->today, NOW, r, e);
}

static int renew_unknown(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, "黔A012023999999", D(2030, 1, 1), DATE_NONE, F->today,
	                       NOW, r, e);
}

static int renew_malformed(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, "ABC123", D(2030, 1, 1), DATE_NONE, F->today, NOW, r,
	                       e);
}

static int renew_lowercase(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_renew(F->st, NULL, " t520111197806150058 ", D(2030, 1, 1), DATE_NONE,
	                       F->today, NOW, r, e);
}

static void test_renew_refused(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;

	F = f;
	REFUSED(f, renew_backwards, "早于现有的 2025-08-08");
	REFUSED(f, renew_same, "没有改变");
	REFUSED(f, renew_past, "已经过去");
	REFUSED(f, renew_review_backwards, "新的复审日期 2024-06-01 早于现有的 2025-01-10");
	REFUSED(f, renew_revoked, "已注销");
	REFUSED(f, renew_unknown, "登记库中没有证书 黔A012023999999");
	REFUSED(f, renew_malformed, "格式无效");
	/* A number is found however it is typed. */
	r = DONE(renew_lowercase);
	assert_string_equal(r.after.number, NC);
	r = DONE(renew_a_2027);
	assert_int_equal(r.after.valid_until, D(2027, 8, 8));
}

/* --- suspend, reinstate, revoke --- */

static int suspend_a_null(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_suspend(F->st, NULL, NA, NULL, NOW, r, e);
}

static int suspend_a_blank(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_suspend(F->st, NULL, NA, " \t　", NOW, r, e);
}

static int suspend_a_control(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_suspend(F->st, NULL, NA, "违规\001操作", NOW, r, e);
}

static int suspend_a_long(struct lifecycle_result *r, struct err *e)
{
	static char text[LIFECYCLE_REASON_MAX + 2];

	memset(text, 'x', sizeof(text) - 1);
	return lifecycle_suspend(F->st, NULL, NA, text, NOW, r, e);
}

static int suspend_a(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_suspend(F->st, NULL, NA, " 违规操作，现场检查发现 ", NOW, r, e);
}

static int suspend_d(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_suspend(F->st, NULL, ND, "违规", NOW, r, e);
}

static int reinstate_a(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_reinstate(F->st, NULL, NA, NULL, NOW, r, e);
}

static int reinstate_b(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_reinstate(F->st, NULL, NB, "复查合格", NOW, r, e);
}

static int reinstate_c(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_reinstate(F->st, NULL, NC, NULL, NOW, r, e);
}

static int reinstate_d(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_reinstate(F->st, NULL, ND, NULL, NOW, r, e);
}

static void test_suspend_reinstate(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;
	char *change;

	F = f;
	REFUSED(f, suspend_a_null, "原因不能为空");
	REFUSED(f, suspend_a_blank, "原因不能为空");
	REFUSED(f, suspend_a_control, "控制字符");
	REFUSED(f, suspend_a_long, "过长");
	r = DONE(suspend_a);
	assert_int_equal(r.before.status, CERT_VALID);
	assert_int_equal(r.after.status, CERT_SUSPENDED);
	assert_int_equal(get_cert(f->st, NA).status, CERT_SUSPENDED);
	check_recorded(f->st, r.index, LEDGER_SUSPEND, NA, "违规操作，现场检查发现");
	change = last_change(f);
	assert_non_null(strstr(change, "\"action\":\"suspend\""));
	assert_non_null(strstr(change, "\"reason\":\"违规操作，现场检查发现\""));
	assert_non_null(strstr(change, "\"status\":[\"valid\",\"suspended\"]"));
	free(change);
	REFUSED(f, suspend_a, "已处于暂扣状态");
	REFUSED(f, suspend_d, "已注销");

	REFUSED(f, reinstate_c, "未被暂扣");
	REFUSED(f, reinstate_d, "未被暂扣");
	r = DONE(reinstate_a);
	assert_int_equal(r.after.status, CERT_VALID);
	check_recorded(f->st, r.index, LEDGER_REINSTATE, NA, NULL);
	REFUSED(f, reinstate_a, "未被暂扣");
	r = DONE(reinstate_b);
	check_recorded(f->st, r.index, LEDGER_REINSTATE, NB, "复查合格");
}

static int revoke_a_null(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_revoke(F->st, NULL, NA, NULL, NOW, r, e);
}

static int revoke_a(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_revoke(F->st, NULL, NA, "伪造材料取得", NOW, r, e);
}

static int revoke_b(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_revoke(F->st, NULL, NB, "本人申请注销", NOW, r, e);
}

static void test_revoke(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;

	F = f;
	REFUSED(f, revoke_a_null, "原因不能为空");
	r = DONE(revoke_a);
	assert_int_equal(r.after.status, CERT_REVOKED);
	check_recorded(f->st, r.index, LEDGER_REVOKE, NA, "伪造材料取得");
	REFUSED(f, revoke_a, "已注销");
	REFUSED(f, renew_a_2027, "已注销");
	REFUSED(f, suspend_a, "已注销");
	REFUSED(f, reinstate_a, "未被暂扣");
	/* A suspended certificate can be revoked. */
	r = DONE(revoke_b);
	assert_int_equal(r.before.status, CERT_SUSPENDED);
	check_recorded(f->st, r.index, LEDGER_REVOKE, NB, "本人申请注销");
}

/* --- amend --- */

static const char *amend_number, *amend_field, *amend_value, *amend_reason;

static int amend(struct lifecycle_result *r, struct err *e)
{
	return lifecycle_amend(F->st, NULL, amend_number, amend_field, amend_value, amend_reason,
	                       F->today, NOW, r, e);
}

static void set_amend(const char *number, const char *field, const char *value)
{
	amend_number = number;
	amend_field = field;
	amend_value = value;
	amend_reason = "录入错误";
}

/* Amend and check the event and the field's new value through check. */
static struct lifecycle_result amend_ok(struct fixture *f, const char *number, const char *field,
                                        const char *value)
{
	struct lifecycle_result r;
	char detail[128];

	set_amend(number, field, value);
	r = DONE(amend);
	snprintf(detail, sizeof(detail), "%s: 录入错误", field);
	check_recorded(f->st, r.index, LEDGER_AMEND, number, detail);
	return r;
}

static void amend_refused(struct fixture *f, const char *number, const char *field,
                          const char *value, const char *part)
{
	set_amend(number, field, value);
	REFUSED(f, amend, part);
}

static void test_amend_text(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;
	char *change, code[16];
	struct err err;

	F = f;
	amend_refused(f, NA, "number", "黔A012023000009", "可更正的项");
	amend_refused(f, NA, "status", "注销", "可更正的项");
	set_amend(NA, "name", "张叁");
	amend_reason = "";
	REFUSED(f, amend, "原因不能为空");

	r = amend_ok(f, NA, "name", " 张叁 ");
	assert_string_equal(r.after.name, "张叁");
	assert_string_equal(get_cert(f->st, NA).name, "张叁");
	change = last_change(f);
	assert_non_null(strstr(change, "\"action\":\"amend\""));
	assert_non_null(strstr(change, "\"field\":\"name\""));
	assert_non_null(strstr(change, "\"name\":[\"张三\",\"张叁\"]"));
	free(change);
	amend_refused(f, NA, "name", "张叁", "没有任何改动");
	amend_refused(f, NA, "name", "", "姓名不能为空");
	amend_refused(f, NA, "name", "张\n叁", "控制字符");

	r = amend_ok(f, NA, "issuer", "贵阳市住建局");
	assert_string_equal(r.after.issuer, "贵阳市住建局");
	/* an issuer new to the register gets its code, as at import */
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_issuer_code(f->st, "贵阳市住建局", 0, code, &err), 1);
	r = amend_ok(f, NA, "training_institution", "");
	assert_string_equal(r.after.training_institution, "");
	amend_refused(f, NA, "training_institution", "", "没有任何改动");
	amend_refused(f, NA, "issuer", "", "发证机关不能为空");
}

static void test_amend_identity(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;
	char male[IDNUM_SIZE];
	char *change;

	F = f;
	amend_refused(f, NA, "gender", "女", "性别与身份证号不符");
	amend_refused(f, NA, "gender", "男", "没有任何改动");
	amend_refused(f, NA, "gender", "未知", "无法识别");
	amend_refused(f, NA, "id_number", "520102198503120029", "校验码");
	amend_refused(f, NA, "id_number", "5.20102E+17", "Excel");
	amend_refused(f, NA, "id_number", "52010219850312001x", "没有任何改动");

	/* Another male ID: the gender stays. */
	snprintf(male, sizeof(male), "52010219850312003");
	male[17] = idnum_check_char(male);
	male[18] = '\0';
	r = amend_ok(f, NA, "id_number", male);
	assert_string_equal(r.after.id_number, male);
	assert_int_equal(r.after.gender, GENDER_MALE);
	change = last_change(f);
	assert_null(strstr(change, male));
	assert_null(strstr(change, "52010219850312001X"));
	assert_non_null(strstr(change, "\"id_number\":[\"520102********001X\""));
	free(change);

	/* A female ID: the gender follows the sequence digit. */
	r = amend_ok(f, NA, "id_number", "520102198503120028");
	assert_int_equal(r.after.gender, GENDER_FEMALE);
	assert_int_equal(get_cert(f->st, NA).gender, GENDER_FEMALE);
	change = last_change(f);
	assert_non_null(strstr(change, "\"gender\":[\"男\",\"女\"]"));
	free(change);

	/* An emergency-management number carries the holder's ID. */
	amend_refused(f, NC, "id_number", "520102198503120028", "应急管理证书的编号");
	amend_refused(f, NC, "gender", "女", "性别与身份证号不符");
}

static void test_amend_trade_dates(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;

	F = f;
	amend_refused(f, NA, "trade", "02", "与证书编号中的工种代码（01）不一致");
	amend_refused(f, NA, "trade", "建筑电工", "没有任何改动");
	amend_refused(f, NA, "trade", "焊工大师", "不在");
	amend_refused(f, NC, "trade", "01", "不在应急管理工种表中");
	r = amend_ok(f, NC, "trade", "压力焊作业");
	assert_string_equal(r.after.trade, "2.2");

	amend_refused(f, NA, "valid_until", "2020-01-01", "有效期至早于发证日期");
	amend_refused(f, NA, "valid_until", "2024-02-30", "有效期至“2024-02-30”无效");
	r = amend_ok(f, NA, "valid_until", "2025年8月9日");
	assert_int_equal(r.after.valid_until, D(2025, 8, 9));
	amend_refused(f, NA, "issued_on", "2024-06-01", "发证日期晚于今天");
	amend_refused(f, NA, "issued_on", "2023/8/9", "没有任何改动");
	r = amend_ok(f, NA, "issued_on", "2023/8/10");
	assert_int_equal(r.after.issued_on, D(2023, 8, 10));

	amend_refused(f, NC, "review_due", "2021-01-01", "复审日期早于发证日期");
	r = amend_ok(f, NC, "review_due", "");
	assert_int_equal(r.after.review_due, DATE_NONE);
	assert_int_equal(get_cert(f->st, NC).review_due, DATE_NONE);
	amend_refused(f, NC, "review_due", "无", "没有任何改动");
	r = amend_ok(f, NC, "review_due", "2025-01-11");
	assert_int_equal(r.after.review_due, D(2025, 1, 11));
	/* Corrections are allowed on any status, revoked included. */
	r = amend_ok(f, ND, "name", "赵陆");
	assert_int_equal(r.after.status, CERT_REVOKED);
}

/* --- failures, tampering, backfill --- */

static void test_rollback_on_error(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;
	struct err err;
	int64_t n0 = log_size(f->st);
	long c0 = changes(f);
	struct cert before = get_cert(f->st, NA), after;

	F = f;
	/* The row update fails after the event was appended. */
	sql(f, "CREATE TRIGGER block BEFORE UPDATE ON certificate"
	       " BEGIN SELECT RAISE(ABORT, 'blocked'); END");
	memset(&err, 0, sizeof(err));
	assert_int_equal(lifecycle_suspend(f->st, NULL, NA, "违规", NOW, &r, &err), -1);
	assert_int_equal(err.kind, ERR_SYSTEM);
	assert_int_equal(r.index, -1);
	assert_int_equal(log_size(f->st), n0);
	assert_int_equal(store_log_get(f->st, n0, &(struct store_log_entry){0}, &err), 0);
	assert_int_equal(sql_count(f, "SELECT count(*) FROM " SQL_LOG_ENTRIES), n0);
	assert_int_equal(changes(f), c0);
	after = get_cert(f->st, NA);
	assert_int_equal(after.status, CERT_VALID);
	assert_int_equal(after.ledger_index, before.ledger_index);

	sql(f, "DROP TRIGGER block");
	r = DONE(suspend_a);
	assert_int_equal(r.index, n0);
	check_recorded(f->st, n0, LEDGER_SUSPEND, NA, "违规操作，现场检查发现");
}

static void test_tampered_refused(void **state)
{
	struct fixture *f = *state;

	F = f;
	sql(f, "UPDATE certificate SET name = '张冒' WHERE number = '" NA "'");
	REFUSED(f, renew_a_2027, "与透明日志第 0 条记录的不一致");
	REFUSED(f, suspend_a, "opcert log verify");
	sql(f, "UPDATE certificate SET ledger_index = NULL WHERE number = '" NB "'");
	REFUSED(f, reinstate_b, "opcert log backfill");
}

static int check_each(void *arg, const struct cert *c)
{
	struct store *st = arg;
	struct err err;

	memset(&err, 0, sizeof(err));
	assert_true(c->ledger_index >= 0);
	assert_int_equal(ledger_check_row(st, c, &err), 0);
	return 0;
}

static void test_backfill(void **state)
{
	struct fixture *f = *state;
	struct lifecycle_result r;
	struct err err;
	long count = -1, c0;
	int64_t i;
	struct store_log_entry e;
	struct ledger_event ev;
	char num[CERTNO_SIZE], det[STORE_LOG_DATA_MAX];

	F = f;
	/* A register as it was before the log existed. */
	sql(f, "UPDATE certificate SET ledger_index = NULL;"
	       "DELETE FROM " SQL_LOG_ENTRIES ";"
	       "DELETE FROM " SQL_LOG_STATE);
	assert_int_equal(log_size(f->st), 0);
	REFUSED(f, renew_a_2027, "opcert log backfill");
	c0 = changes(f);
	memset(&err, 0, sizeof(err));
	assert_int_equal(lifecycle_backfill(f->st, NOW, &count, &err), 0);
	assert_int_equal(count, 4);
	assert_int_equal(log_size(f->st), 4);
	assert_int_equal(changes(f), c0);
	for (i = 0; i < 4; i++) {
		assert_int_equal(store_log_get(f->st, i, &e, &err), 1);
		assert_int_equal(
		    ledger_decode(e.data, e.len, &ev, num, sizeof(num), det, sizeof(det)), 0);
		assert_int_equal(ev.kind, LEDGER_MIGRATE);
		assert_int_equal(get_cert(f->st, num).ledger_index, i);
	}
	assert_int_equal(store_cert_each(f->st, check_each, f->st, &err), 0);
	/* Once is enough. */
	assert_int_equal(lifecycle_backfill(f->st, NOW, &count, &err), 0);
	assert_int_equal(count, 0);
	assert_int_equal(log_size(f->st), 4);
	/* And the register works on from there. */
	r = DONE(renew_a_2027);
	assert_int_equal(r.index, 4);
	check_recorded(f->st, 4, LEDGER_RENEW, NA, NULL);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_renew),
	    T(test_renew_refused),
	    T(test_suspend_reinstate),
	    T(test_revoke),
	    T(test_amend_text),
	    T(test_amend_identity),
	    T(test_amend_trade_dates),
	    T(test_rollback_on_error),
	    T(test_tampered_refused),
	    T(test_backfill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
