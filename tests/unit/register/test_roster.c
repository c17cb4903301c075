/*
 * test_roster.c - verifying a site roster as a whole (roster.h):
 * duplicate_use for every row that claims a number shared by different
 * people, row and line numbers, a form's title rows and totals, workers
 * without a certificate, input errors that stop the run before any row is
 * reported, the summary in the terms of the 附件1 form and the lawful rate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "roster.h"
#include "store.h"
#include "lifecycle.h"
#include "verify.h"
#include "fixture.h"
#include "testdata.h"

#define COUNT(a)   (sizeof(a) / sizeof((a)[0]))
#define D(y, m, d) date_from_ymd(y, m, d)
#define NONE       DATE_NONE
#define M(v)       VMASK(V_##v)

#define C1 "黔A012018000001"     /* 张三 */
#define C2 "黔A022018000002"     /* 李四, suspended */
#define C4 "黔A012017000004"     /* 赵六, expired on 2019-06-01 */
#define C6 "T520111197806150066" /* 周八 */

#define ID1 "52010219850312001X"
#define ID2 "520102198503120028"
#define ID4 "520103199001010049"
#define ID5 "520111197806150058"
#define ID6 "520111197806150066"
#define IDM "520112199211200074" /* 钱九, not in the register */
#define IDW "520112199211200082" /* 吴十 */

#define HDR "序号,姓名,性别,身份证号码,特种作业岗位/工种,证书编号,发证机关,有效期至,项目名称,备注\n"

static struct store *g_store;

static void assert_near(double got, double want)
{
	double d = got - want;

	if (d < -1e-9 || d > 1e-9)
		fail_msg("%.12f, want %.12f", got, want);
}

static struct cert make_cert(const char *number, enum cert_system sys, const char *name,
                             enum gender g, const char *id, const char *trade, int32_t issued,
                             int32_t valid_until, enum cert_status status)
{
	return test_cert(number, sys, name, g, id, trade,
	                 sys == SYS_EMERGENCY ? "贵阳市应急管理局" : "贵阳市住房和城乡建设局",
	                 issued, valid_until, NONE, status);
}

static int setup(void **state)
{
	struct err err;
	struct cert certs[4];
	size_t i;

	(void)state;
	certs[0] = make_cert(C1, SYS_CONSTRUCTION, "张三", GENDER_MALE, ID1, "01", D(2018, 8, 9),
	                     D(2020, 8, 8), CERT_VALID);
	certs[1] = make_cert(C2, SYS_CONSTRUCTION, "李四", GENDER_FEMALE, ID2, "02", D(2018, 8, 9),
	                     D(2020, 8, 8), CERT_SUSPENDED);
	certs[2] = make_cert(C4, SYS_CONSTRUCTION, "赵六", GENDER_FEMALE, ID4, "01", D(2017, 6, 1),
	                     D(2019, 5, 31), CERT_VALID);
	certs[3] = make_cert(C6, SYS_EMERGENCY, "周八", GENDER_FEMALE, ID6, "1.2", D(2018, 3, 1),
	                     D(2024, 2, 29), CERT_VALID);
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

struct got_row {
	long row, line;
	enum verdict verdict;
	verdict_mask findings;
	unsigned mismatched;
	char number[64];
	char project[CERT_TEXT_SIZE];
};

struct got {
	size_t n;
	struct got_row rows[32];
	size_t stop_after; /* 0 = never stop */
};

static int collect(const struct roster_result *r, void *arg, struct err *err)
{
	struct got *g = arg;
	struct got_row *w;

	if (g->n >= COUNT(g->rows))
		return err_system(err, "too many rows");
	w = &g->rows[g->n++];
	w->row = r->row;
	w->line = r->line;
	w->verdict = r->v.verdict;
	w->findings = r->v.findings;
	w->mismatched = r->v.mismatched;
	snprintf(w->number, sizeof(w->number), "%s", r->v.number);
	snprintf(w->project, sizeof(w->project), "%s", r->project);
	if (g->stop_after && g->n == g->stop_after)
		return err_input(err, "stopped");
	return 0;
}

static int run(const char *text, struct got *g, struct roster_summary *sum, struct err *err)
{
	struct verifier v;

	memset(g, 0, sizeof(*g));
	memset(sum, 0x55, sizeof(*sum));
	memset(err, 0, sizeof(*err));
	assert_int_equal(verifier_init(&v, g_store, D(2019, 6, 1), err), 0);
	return roster_verify_memory(text, strlen(text), &v, collect, g, sum, err);
}

static void run_ok(const char *text, struct got *g, struct roster_summary *sum)
{
	struct err err;

	if (run(text, g, sum, &err) != 0)
		fail_msg("roster failed: line %ld column %s: %s", err.line, err.column, err.msg);
	assert_int_equal(sum->rows, (long)g->n);
}

struct want_row {
	long row, line;
	enum verdict verdict;
	verdict_mask findings;
	unsigned mismatched;
};

static void check_rows(const struct got *g, const struct want_row *w, size_t n)
{
	size_t i;

	if (g->n != n)
		fail_msg("%zu rows reported, want %zu", g->n, n);
	for (i = 0; i < n; i++) {
		const struct got_row *r = &g->rows[i];

		if (r->row != w[i].row || r->line != w[i].line)
			fail_msg("result %zu: row %ld line %ld, want row %ld line %ld", i, r->row,
			         r->line, w[i].row, w[i].line);
		if (r->verdict != w[i].verdict)
			fail_msg("row %ld: verdict %s, want %s", r->row, verdict_code(r->verdict),
			         verdict_code(w[i].verdict));
		if (r->findings != w[i].findings)
			fail_msg("row %ld: findings 0x%x, want 0x%x", r->row, r->findings,
			         w[i].findings);
		if (r->mismatched != w[i].mismatched)
			fail_msg("row %ld: mismatched 0x%x, want 0x%x", r->row, r->mismatched,
			         w[i].mismatched);
	}
}

static void test_duplicate_use(void **state)
{
	/* C1 held by 张三 and claimed by 李四 too; an external number claimed
	 * by two people, once in lowercase; 周八 alone on C6 */
	static const char roster[] = HDR "1,张三,男," ID1 ",建筑电工," C1 ",,,项目A,\n"
	                                 "2,周八,女," ID6 ",低压电工作业," C6 ",,,项目A,\n"
	                                 "3,李四,女," ID2 ",建筑电工," C1 ",,,项目B,\n"
	                                 "4,钱九,男," IDM ",建筑电工,川A012018000001,,,项目B,\n"
	                                 "5,吴十,女," IDW ",建筑电工,川a012018000001,,,项目B,\n";
	const struct want_row want[] = {
	    {1, 2, V_DUPLICATE_USE, M(DUPLICATE_USE), 0},
	    {2, 3, V_VALID, 0, 0},
	    {3, 4, V_MISMATCH, M(MISMATCH) | M(DUPLICATE_USE),
	     FIELD_NAME | FIELD_ID | FIELD_GENDER},
	    {4, 5, V_DUPLICATE_USE, M(DUPLICATE_USE) | M(EXTERNAL), 0},
	    {5, 6, V_DUPLICATE_USE, M(DUPLICATE_USE) | M(EXTERNAL), 0},
	};
	struct got g;
	struct roster_summary sum;

	(void)state;
	run_ok(roster, &g, &sum);
	check_rows(&g, want, COUNT(want));
	assert_string_equal(g.rows[0].project, "项目A");
	assert_string_equal(g.rows[2].project, "项目B");
	assert_string_equal(g.rows[4].number, "川A012018000001");
	assert_int_equal(sum.by_verdict[V_DUPLICATE_USE], 3);
	assert_int_equal(sum.by_verdict[V_MISMATCH], 1);
	assert_int_equal(sum.by_verdict[V_VALID], 1);
}

/* One person on two rows (two posts, or written twice) is no duplicate. */
static void test_same_person_twice(void **state)
{
	static const char roster[] = HDR "1,张三,男," ID1 ",建筑电工," C1 ",,,项目A,\n"
	                                 "2,张三,男,52010219850312001x,建筑电工," C1 ",,,项目B,\n"
	                                 "3,张三,男," ID1 ",建筑电工,黔a012018000001,,,项目C,\n"
	                                 "4,周八,女," ID6 ",低压电工作业," C6 ",,,项目A,\n";
	const struct want_row want[] = {
	    {1, 2, V_VALID, 0, 0},
	    {2, 3, V_VALID, 0, 0},
	    {3, 4, V_VALID, 0, 0},
	    {4, 5, V_VALID, 0, 0},
	};
	struct got g;
	struct roster_summary sum;

	(void)state;
	run_ok(roster, &g, &sum);
	check_rows(&g, want, COUNT(want));
}

static void test_rows_and_lines(void **state)
{
	/* blank rows count as rows but give no result */
	static const char roster[] = "姓名,身份证号码,证书编号\n"
	                             "张三," ID1 "," C1 "\n"
	                             "\n"
	                             "李四," ID2 "," C2 "\n"
	                             ",,\n"
	                             "周八," ID6 "," C6 "\n";
	const struct want_row want[] = {
	    {1, 2, V_VALID, 0, 0},
	    {3, 4, V_SUSPENDED, M(SUSPENDED), 0},
	    {5, 6, V_VALID, 0, 0},
	};
	/* CRLF and a quoted field spanning two lines */
	static const char crlf[] = "姓名,身份证号码,证书编号,备注\r\n"
	                           "张三," ID1 "," C1 ",\"第一行\r\n第二行\"\r\n"
	                           "\r\n"
	                           "周八," ID6 "," C6 ",\r\n";
	const struct want_row want_crlf[] = {
	    {1, 2, V_VALID, 0, 0},
	    {3, 5, V_VALID, 0, 0},
	};
	struct got g;
	struct roster_summary sum;

	(void)state;
	run_ok(roster, &g, &sum);
	check_rows(&g, want, COUNT(want));
	assert_int_equal(sum.rows, 3);
	run_ok(crlf, &g, &sum);
	check_rows(&g, want_crlf, COUNT(want_crlf));
}

static void test_form_layout(void **state)
{
	/* the 附件1 form: a title and the 填报单位 lines above the header,
	 * totals and notes below the rows */
	static const char roster[] =
	    "施工单位特种作业人员持证情况自查登记表,,,,,,,,,\n"
	    "填报单位（盖章）：贵州某某建设有限公司,,,统一社会信用代码,91350100M000100Y43,,,,,\n"
	    "项目名称：某某小区,,,,项目所在区（市、县）：云岩区,,,,,\n" HDR "1,张三,男," ID1
	    ",建筑电工," C1 ",贵阳市住建局,2020-08-08,某某小区,\n"
	    "2,钱九,男," IDM ",建筑电工,无,,,某某小区,\n"
	    "小计,,,,,,,,,\n"
	    "3,周八,女," ID6 ",低压电工作业," C6 ",,,某某小区,\n"
	    "4,吴十,女," IDW ",建筑电工,/,,,某某小区,\n"
	    "5,钱九,男," IDM ",建筑电工,暂无,,,某某小区,\n"
	    "合计,5人,,,,,,,,\n"
	    "填表说明：1. 证书编号为空表示无证,,,,,,,,,\n";
	const struct want_row want[] = {
	    {1, 5, V_VALID, 0, 0},
	    {2, 6, V_UNCERTIFIED, M(UNCERTIFIED), 0},
	    {4, 8, V_VALID, 0, 0},
	    {5, 9, V_UNCERTIFIED, M(UNCERTIFIED), 0},
	    {6, 10, V_UNCERTIFIED, M(UNCERTIFIED), 0},
	};
	struct got g;
	struct roster_summary sum;

	(void)state;
	run_ok(roster, &g, &sum);
	check_rows(&g, want, COUNT(want));
	assert_int_equal(sum.rows, 5);
	assert_int_equal(sum.totals.uncertified, 3);
	assert_int_equal(sum.totals.checked, 2);
	/* a worker without a certificate shows no number */
	assert_string_equal(g.rows[1].number, "");
}

static void test_input_errors(void **state)
{
	static const struct {
		const char *what;
		const char *bad_row; /* the 3rd data row, line 4 */
		const char *column;
		const char *msg_part;
	} cases[] = {
	    {"missing name", "3,,男," IDW ",建筑电工," C4 ",,,,\n", "姓名", NULL},
	    {"missing ID", "3,吴十,女,,建筑电工," C4 ",,,,\n", "身份证号码", NULL},
	    {"Excel ID", "3,吴十,女,5.20112E+17,建筑电工," C4 ",,,,\n", "身份证号码", "文本"},
	    {"Excel ID with lost digits", "3,吴十,女,520112199211200000,建筑电工," C4 ",,,,\n",
	     "身份证号码", "文本"},
	    {"impossible date", "3,吴十,女," IDW ",建筑电工," C4 ",,2019-02-30,,\n", "有效期至",
	     NULL},
	    {"not a date", "3,吴十,女," IDW ",建筑电工," C4 ",,明年,,\n", "有效期至", NULL},
	    {"unknown gender", "3,吴十,未知," IDW ",建筑电工," C4 ",,,,\n", "性别", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		char text[2048];
		struct got g;
		struct roster_summary sum;
		struct err err;

		snprintf(text, sizeof(text), "%s%s%s%s%s", HDR,
		         "1,张三,男," ID1 ",建筑电工," C1 ",,,,\n",
		         "2,李四,女," ID2 ",建筑电工," C2 ",,,,\n", cases[i].bad_row,
		         "4,周八,女," ID6 ",低压电工作业," C6 ",,,,\n");
		if (run(text, &g, &sum, &err) != -1)
			fail_msg("%s: accepted", cases[i].what);
		assert_int_equal(err.kind, ERR_INPUT);
		if (err.line != 4)
			fail_msg("%s: line %ld, want 4 (%s)", cases[i].what, err.line, err.msg);
		if (strcmp(err.column, cases[i].column) != 0)
			fail_msg("%s: column \"%s\", want \"%s\"", cases[i].what, err.column,
			         cases[i].column);
		if (cases[i].msg_part && !strstr(err.msg, cases[i].msg_part))
			fail_msg("%s: message \"%s\" lacks \"%s\"", cases[i].what, err.msg,
			         cases[i].msg_part);
		/* nothing was reported for the rows before the bad one */
		if (g.n != 0)
			fail_msg("%s: %zu rows reported before the error", cases[i].what, g.n);
	}
}

static void test_missing_column(void **state)
{
	static const char *const rosters[] = {
	    "序号,姓名,性别,工种,证书编号\n1,张三,男,建筑电工," C1 "\n",
	    "序号,身份证号码,性别,工种,证书编号\n1," ID1 ",男,建筑电工," C1 "\n",
	};
	static const char *const missing[] = {"身份证号码", "姓名"};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(rosters); i++) {
		struct got g;
		struct roster_summary sum;
		struct err err;

		assert_int_equal(run(rosters[i], &g, &sum, &err), -1);
		assert_int_equal(err.kind, ERR_INPUT);
		if (!strstr(err.msg, missing[i]))
			fail_msg("message \"%s\" does not name %s", err.msg, missing[i]);
		assert_int_equal(g.n, 0);
	}
}

/* A callback that fails stops the run with its error. */
static void test_callback_stops(void **state)
{
	static const char roster[] = HDR "1,张三,男," ID1 ",建筑电工," C1 ",,,,\n"
	                                 "2,李四,女," ID2 ",建筑电工," C2 ",,,,\n"
	                                 "3,周八,女," ID6 ",低压电工作业," C6 ",,,,\n";
	struct verifier v;
	struct got g;
	struct roster_summary sum;
	struct err err;

	(void)state;
	memset(&g, 0, sizeof(g));
	memset(&err, 0, sizeof(err));
	g.stop_after = 2;
	assert_int_equal(verifier_init(&v, g_store, D(2019, 6, 1), &err), 0);
	assert_int_equal(roster_verify_memory(roster, strlen(roster), &v, collect, &g, &sum, &err),
	                 -1);
	assert_int_equal(g.n, 2);
	assert_string_equal(err.msg, "stopped");
	/* the store is usable afterwards */
	run_ok(roster, &g, &sum);
	assert_int_equal(g.n, 3);
}

static void test_summary(void **state)
{
	static const char roster[] = HDR "1,张三,男," ID1 ",建筑电工," C1 ",,,,\n"
	                                 "2,周八,女," ID6 ",低压电工作业," C6 ",,,,\n"
	                                 "3,钱九,男," IDM ",建筑电工,无,,,,\n"
	                                 "4,钱九,男," IDM ",建筑电工,黔A012018999999,,,,\n"
	                                 "5,李五,女," ID2 ",建筑架子工（普通脚手架）," C2 ",,,,\n"
	                                 "6,赵六,女," ID4 ",建筑电工," C4 ",,,,\n"
	                                 "7,孙七,男," ID5 ",熔化焊接与热切割作业,ABC123,,,,\n"
	                                 "8,钱九,男," IDM ",建筑电工,川A012018000001,,,,\n"
	                                 "9,李四,女," ID2 ",建筑架子工（普通脚手架）," C2 ",,,,\n";
	const struct want_row want[] = {
	    {1, 2, V_VALID, 0, 0},
	    {2, 3, V_VALID, 0, 0},
	    {3, 4, V_UNCERTIFIED, M(UNCERTIFIED), 0},
	    {4, 5, V_NOT_FOUND, M(NOT_FOUND), 0},
	    {5, 6, V_MISMATCH, M(MISMATCH) | M(SUSPENDED), FIELD_NAME},
	    {6, 7, V_EXPIRED, M(EXPIRED), 0},
	    {7, 8, V_INVALID_NUMBER, M(INVALID_NUMBER), 0},
	    {8, 9, V_EXTERNAL, M(EXTERNAL), 0},
	    {9, 10, V_SUSPENDED, M(SUSPENDED), 0},
	};
	struct got g;
	struct roster_summary sum;
	long total = 0;
	int v;

	(void)state;
	run_ok(roster, &g, &sum);
	check_rows(&g, want, COUNT(want));
	assert_int_equal(sum.rows, 9);
	/* DOMAIN section 5: 查验证书 counts every row with a number; 持证上岗
	 * only the valid ones; 其中假证 not_found, mismatch and invalid_number;
	 * expired and suspended 证书失效; external without a manual check 待核实 */
	assert_int_equal(sum.totals.workers, 9);
	assert_int_equal(sum.totals.checked, 8);
	assert_int_equal(sum.totals.certified, 2);
	assert_int_equal(sum.totals.uncertified, 1);
	assert_int_equal(sum.totals.fake, 3);
	assert_int_equal(sum.totals.lent, 0);
	assert_int_equal(sum.totals.lapsed, 2);
	assert_int_equal(sum.totals.with_fake, 3);
	assert_int_equal(sum.totals.pending, 1);
	assert_int_equal(sum.by_verdict[V_VALID], 2);
	assert_int_equal(sum.by_verdict[V_UNCERTIFIED], 1);
	assert_int_equal(sum.by_verdict[V_NOT_FOUND], 1);
	assert_int_equal(sum.by_verdict[V_MISMATCH], 1);
	assert_int_equal(sum.by_verdict[V_EXPIRED], 1);
	assert_int_equal(sum.by_verdict[V_INVALID_NUMBER], 1);
	assert_int_equal(sum.by_verdict[V_EXTERNAL], 1);
	assert_int_equal(sum.by_verdict[V_SUSPENDED], 1);
	for (v = 0; v < V_COUNT; v++)
		total += sum.by_verdict[v];
	assert_int_equal(total, 9);
	assert_near(tally_lawful_rate(&sum.totals), 22.2);
}

static void test_lawful_rate(void **state)
{
	static const char all_valid[] = HDR "1,张三,男," ID1 ",建筑电工," C1 ",,,,\n"
	                                    "2,周八,女," ID6 ",低压电工作业," C6 ",,,,\n";
	static const char none_valid[] = HDR "1,钱九,男," IDM ",建筑电工,,,,,\n";
	static const char empty[] = HDR;
	struct got g;
	struct roster_summary sum;
	struct tally zero;

	(void)state;
	run_ok(all_valid, &g, &sum);
	assert_near(tally_lawful_rate(&sum.totals), 100.0);
	run_ok(none_valid, &g, &sum);
	assert_int_equal(sum.totals.uncertified, 1);
	assert_near(tally_lawful_rate(&sum.totals), 0.0);
	run_ok(empty, &g, &sum);
	assert_int_equal(sum.rows, 0);
	assert_near(tally_lawful_rate(&sum.totals), TALLY_RATE_NONE);
	memset(&zero, 0, sizeof(zero));
	zero.workers = 3;
	zero.certified = 2;
	assert_near(tally_lawful_rate(&zero), 66.7); /* one decimal */
}

/* The file reader gives the same results as the one in memory. */
static void test_file(void **state)
{
	static const char roster[] = HDR "1,张三,男," ID1 ",建筑电工," C1 ",,,,\n"
	                                 "2,李四,女," ID2 ",建筑电工," C1 ",,,,\n"
	                                 "\n"
	                                 "3,钱九,男," IDM ",建筑电工,,,,,\n";
	char path[] = "/tmp/opcert-roster-XXXXXX";
	struct got g, gf;
	struct roster_summary sum, sumf;
	struct verifier v;
	struct err err;
	int fd;
	size_t i;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, roster, strlen(roster)), (ssize_t)strlen(roster));
	close(fd);
	run_ok(roster, &g, &sum);
	memset(&gf, 0, sizeof(gf));
	memset(&err, 0, sizeof(err));
	assert_int_equal(verifier_init(&v, g_store, D(2019, 6, 1), &err), 0);
	assert_int_equal(roster_verify_file(path, &v, collect, &gf, &sumf, &err), 0);
	unlink(path);
	assert_int_equal(gf.n, 3);
	assert_int_equal(gf.n, g.n);
	for (i = 0; i < g.n; i++) {
		assert_int_equal(gf.rows[i].row, g.rows[i].row);
		assert_int_equal(gf.rows[i].line, g.rows[i].line);
		assert_int_equal(gf.rows[i].verdict, g.rows[i].verdict);
		assert_int_equal(gf.rows[i].findings, g.rows[i].findings);
	}
	assert_memory_equal(&sumf, &sum, sizeof(sum));
	assert_int_equal(gf.rows[0].verdict, V_DUPLICATE_USE);

	/* a missing file is an error, not a crash */
	memset(&err, 0, sizeof(err));
	assert_int_equal(roster_verify_file(path, &v, collect, &gf, &sumf, &err), -1);
	assert_int_not_equal(err.kind, ERR_NONE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_duplicate_use),  cmocka_unit_test(test_same_person_twice),
	    cmocka_unit_test(test_rows_and_lines), cmocka_unit_test(test_form_layout),
	    cmocka_unit_test(test_input_errors),   cmocka_unit_test(test_missing_column),
	    cmocka_unit_test(test_callback_stops), cmocka_unit_test(test_summary),
	    cmocka_unit_test(test_lawful_rate),    cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
