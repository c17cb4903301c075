/*
 * test_worker.c - workers registered on projects (worker.h) over a real
 * SQLite store with the test data key: registration checks the card
 * against the register and keeps the verdict, refuses a bad ID number or a
 * repeat, flags a certificate already on another running project; the
 * roster import is all or nothing with line and column, counts repeats as
 * unchanged and finds projects by name; and who may see a full ID number
 * because of a registration (the district, the builder, never a
 * registration that presented another ID number, a worker who left or a
 * finished project), and who may read a register record at all (every
 * record for the city, the districts and the auditor; a company the holders
 * it registered with their own ID number on a project it builds or
 * supervises that is not closed; a training institution those it trained).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "date.h"
#include "lifecycle.h"
#include "org.h"
#include "store.h"
#include "trail.h"
#include "worker.h"
#include "fixture.h"
#include "testdata.h"

#define D(y, m, d) date_from_ymd(y, m, d)
#define NOW        1560000000 /* 2019-06-08 */
#define TODAY      D(2019, 6, 8)

#define C1  "黔A012018000001"     /* 张三 */
#define C2  "黔A022018000002"     /* 李四 */
#define C6  "T520111197806150066" /* 周八 */
#define ID1 "52010219850312001X"
#define ID2 "520102198503120028"
#define ID6 "520111197806150066"
#define IDX "520112199211200074" /* not in the register */
#define CX  "黔A012018999999"    /* not in the register */

#define INST1 "贵阳建设职业培训学校" /* where C1's holder trained */
#define INST2 "黔中安全技术培训中心" /* C2's; C6 names none */

struct fixture {
	struct fixture_dir tmp;
	struct store *st;
	struct actor who;
	char builder[USCC_SIZE], builder2[USCC_SIZE], supervisor[USCC_SIZE];
	struct org b, b2, s;
	struct project p1, p2, p3; /* 云岩区 by b; 南明区 by b2; 云岩区 by b2 */
};

static struct cert make_cert(const char *number, enum cert_system sys, const char *name,
                             enum gender g, const char *id, const char *trade)
{
	struct cert c = test_cert(
	    number, sys, name, g, id, trade,
	    sys == SYS_EMERGENCY ? "贵阳市应急管理局" : "贵阳市住房和城乡建设局", D(2018, 8, 9),
	    sys == SYS_EMERGENCY ? D(2024, 8, 8) : D(2020, 8, 8), DATE_NONE, CERT_VALID);

	c.ledger_index = -1;
	return c;
}

static int add_company(struct fixture *f, const char *uscc, const char *name, const char *kind,
                       struct org *out)
{
	struct err err;
	struct org_input in = {.uscc = uscc, .kind = kind, .name = name, .district = "云岩区"};

	return org_company_add(f->st, &f->who, &in, NOW, out, &err);
}

static int add_project(struct fixture *f, const char *name, const char *district,
                       const char *builder, const char *supervisor, struct project *out)
{
	struct err err;
	struct project_input in = {
	    .name = name, .district = district, .builder = builder, .supervisor = supervisor};

	return org_project_add(f->st, &f->who, &in, TODAY, NOW, out, &err);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct cert certs[3];
	struct err err;
	size_t i;

	if (!f || fixture_dir_make(&f->tmp, "worker") != 0 ||
	    fixture_store(":memory:", &f->st) != 0)
		return -1;
	memset(&err, 0, sizeof(err));
	actor_cli(&f->who);
	certs[0] = make_cert(C1, SYS_CONSTRUCTION, "张三", GENDER_MALE, ID1, "01");
	certs[1] = make_cert(C2, SYS_CONSTRUCTION, "李四", GENDER_FEMALE, ID2, "02");
	certs[2] = make_cert(C6, SYS_EMERGENCY, "周八", GENDER_FEMALE, ID6, "1.2");
	snprintf(certs[0].training_institution, sizeof(certs[0].training_institution), "%s", INST1);
	snprintf(certs[1].training_institution, sizeof(certs[1].training_institution), "%s", INST2);
	for (i = 0; i < 3; i++)
		if (store_cert_insert(f->st, &certs[i], &err) != 0)
			return -1;
	if (lifecycle_backfill(f->st, NOW, NULL, &err) < 0 ||
	    store_prefix_add(f->st, "黔A", &err) < 0)
		return -1;
	test_uscc("91520103MA6WKR001", f->builder);
	test_uscc("91520102MA6WKR002", f->builder2);
	test_uscc("91520115MA6WKR003", f->supervisor);
	if (add_company(f, f->builder, "云岩测试建设有限公司", "builder", &f->b) < 0 ||
	    add_company(f, f->builder2, "南明测试建设有限公司", "builder", &f->b2) < 0 ||
	    add_company(f, f->supervisor, "测试监理有限公司", "supervisor", &f->s) < 0 ||
	    add_project(f, "云岩一号项目", "云岩区", f->builder, f->supervisor, &f->p1) < 0 ||
	    add_project(f, "南明二号项目", "南明区", f->builder2, NULL, &f->p2) < 0 ||
	    add_project(f, "云岩三号项目", "云岩区", f->builder2, NULL, &f->p3) < 0)
		return -1;
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

static int add(struct fixture *f, int64_t project, const char *number, const char *name,
               const char *id, struct worker *out, struct err *err)
{
	struct worker_input in = {.number = number, .name = name, .id_number = id};

	memset(err, 0, sizeof(*err));
	return worker_add(f->st, &f->who, project, &in, TODAY, NOW, NULL, out, err);
}

static int count_fn(void *arg, const struct worker *w)
{
	(void)w;
	(*(int *)arg)++;
	return 0;
}

static int count(struct fixture *f, int64_t project, int all)
{
	struct err err;
	int n = 0;

	assert_int_equal(worker_each(f->st, project, all, count_fn, &n, &err), 0);
	return n;
}

static int trail_count_fn(void *arg, const struct store_trail_entry *e)
{
	if (strncmp(e->action, "worker.", 7) == 0)
		(*(int *)arg)++;
	return 0;
}

static int trail_workers(struct fixture *f)
{
	struct trail_filter tf = {NULL, INT64_MIN};
	struct err err;
	int n = 0;

	assert_int_equal(trail_each(f->st, &tf, trail_count_fn, &n, &err), 0);
	return n;
}

static void test_add_verdicts(void **state)
{
	struct fixture *f = *state;
	struct worker w, back;
	struct err err;

	assert_int_equal(add(f, f->p1.id, C1, "张三", ID1, &w, &err), 0);
	assert_true(w.id > 0);
	assert_int_equal(w.verdict, V_VALID);
	assert_string_equal(w.post, "建筑电工"); /* from the register */
	assert_int_equal(w.gender, GENDER_MALE);
	assert_int_equal(worker_get(f->st, w.id, &back, &err), 1);
	assert_string_equal(back.number, C1);
	assert_string_equal(back.id_number, ID1);
	assert_string_equal(back.name, "张三");
	assert_int_equal(back.verdict, V_VALID);
	assert_int_equal(back.checked_on, TODAY);
	assert_int_equal(back.removed_at, 0);

	/* another name: a mismatch, registered all the same */
	assert_int_equal(add(f, f->p1.id, C2, "王五", ID2, &w, &err), 0);
	assert_int_equal(w.verdict, V_MISMATCH);
	/* no certificate: uncertified */
	assert_int_equal(add(f, f->p1.id, "", "钱九", IDX, &w, &err), 0);
	assert_int_equal(w.verdict, V_UNCERTIFIED);
	assert_string_equal(w.number, "");
	/* an emergency-management number, read back as it was given */
	assert_int_equal(add(f, f->p1.id, C6, "周八", ID6, &w, &err), 0);
	assert_int_equal(w.verdict, V_VALID);
	assert_int_equal(worker_get(f->st, w.id, &back, &err), 1);
	assert_string_equal(back.number, C6);
	/* a number of no known format is a finding */
	assert_int_equal(add(f, f->p1.id, "ABC-123", "钱九", IDX, &w, &err), 0);
	assert_int_equal(w.verdict, V_INVALID_NUMBER);
	assert_int_equal(count(f, f->p1.id, 0), 5);
	assert_int_equal(trail_workers(f), 5);
}

static void test_add_refused(void **state)
{
	struct fixture *f = *state;
	struct worker w;
	struct err err;
	struct worker_input in = {.number = C1, .name = "张三", .id_number = ID1, .gender = "女"};
	struct project done;

	assert_int_equal(add(f, f->p1.id, C1, "张三", "52010219850312001Y", &w, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_non_null(strstr(err.msg, "身份证号码"));
	assert_int_equal(add(f, f->p1.id, C1, "张三", "520102198503120011", &w, &err), -1);
	assert_non_null(strstr(err.msg, "校验码"));
	assert_int_equal(add(f, f->p1.id, C1, "", ID1, &w, &err), -1);
	assert_non_null(strstr(err.msg, "姓名"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(worker_add(f->st, &f->who, f->p1.id, &in, TODAY, NOW, NULL, &w, &err), -1);
	assert_non_null(strstr(err.msg, "性别"));
	assert_int_equal(add(f, 9999, C1, "张三", ID1, &w, &err), -1);
	assert_non_null(strstr(err.msg, "不存在"));
	/* the same person and number twice */
	assert_int_equal(add(f, f->p1.id, C1, "张三", ID1, &w, &err), 0);
	assert_int_equal(add(f, f->p1.id, C1, "张三", ID1, &w, &err), -1);
	assert_non_null(strstr(err.msg, "已登记"));
	/* a finished project takes nobody */
	assert_int_equal(org_project_change(f->st, &f->who, f->p3.id,
	                                    &(struct project_input){.state = "completed"}, NOW,
	                                    &done, &err),
	                 0);
	assert_int_equal(add(f, f->p3.id, C2, "李四", ID2, &w, &err), -1);
	assert_non_null(strstr(err.msg, "竣工"));
	assert_int_equal(count(f, f->p1.id, 1) + count(f, f->p3.id, 1), 1);
	assert_int_equal(trail_workers(f), 1);
}

static void test_duplicate_use(void **state)
{
	struct fixture *f = *state;
	struct worker w1, w2, w3;
	struct err err;

	assert_int_equal(add(f, f->p1.id, C1, "张三", ID1, &w1, &err), 0);
	assert_int_equal(w1.verdict, V_VALID);
	/* the same card on another running project */
	assert_int_equal(add(f, f->p2.id, C1, "张三", ID1, &w2, &err), 0);
	assert_int_equal(w2.verdict, V_DUPLICATE_USE);
	/* after both leave, a third site is no longer a duplicate */
	assert_int_equal(worker_remove(f->st, &f->who, w1.id, NOW + 1, NULL, &err), 0);
	assert_int_equal(worker_remove(f->st, &f->who, w2.id, NOW + 2, &w2, &err), 0);
	assert_true(w2.removed_at == NOW + 2);
	assert_int_equal(worker_remove(f->st, &f->who, w2.id, NOW + 3, NULL, &err), -1);
	assert_non_null(strstr(err.msg, "已离开"));
	assert_int_equal(add(f, f->p3.id, C1, "张三", ID1, &w3, &err), 0);
	assert_int_equal(w3.verdict, V_VALID);
	assert_int_equal(count(f, f->p1.id, 0), 0);
	assert_int_equal(count(f, f->p1.id, 1), 1);
}

static struct principal who_is(enum role r, int64_t org, int64_t district)
{
	struct principal p;

	memset(&p, 0, sizeof(p));
	p.role = r;
	p.org = org;
	p.district = district;
	return p;
}

static void test_full_id(void **state)
{
	struct fixture *f = *state;
	struct principal city = who_is(ROLE_CITY_OFFICER, 1, 0);
	struct principal yunyan = who_is(ROLE_DISTRICT_OFFICER, f->p1.district, f->p1.district);
	struct principal nanming = who_is(ROLE_DISTRICT_OFFICER, f->p2.district, f->p2.district);
	struct principal builder = who_is(ROLE_COMPANY_USER, f->b.id, f->b.district);
	struct principal builder2 = who_is(ROLE_COMPANY_USER, f->b2.id, f->b2.district);
	struct principal super = who_is(ROLE_COMPANY_USER, f->s.id, f->s.district);
	struct principal auditor = who_is(ROLE_AUDITOR, 0, 0);
	struct principal trainer = who_is(ROLE_TRAINING_USER, 1, 0);
	struct worker w, wrong;
	struct project done;
	struct err err;

	assert_int_equal(worker_sees_full_id(f->st, &city, C1, &err), 1);
	assert_int_equal(worker_sees_full_id(f->st, &yunyan, C1, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &builder, C1, &err), 0);
	/* a registration that presented another ID number vouches for nothing */
	assert_int_equal(add(f, f->p1.id, C1, "张三", IDX, &wrong, &err), 0);
	assert_int_equal(wrong.verdict, V_MISMATCH);
	assert_int_equal(worker_sees_full_id(f->st, &yunyan, C1, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &builder, C1, &err), 0);
	/* the register's own ID number on p1 (云岩区, built by b) */
	assert_int_equal(add(f, f->p1.id, C1, "张三", ID1, &w, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &yunyan, C1, &err), 1);
	assert_int_equal(worker_sees_full_id(f->st, &builder, C1, &err), 1);
	assert_int_equal(worker_sees_full_id(f->st, &nanming, C1, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &builder2, C1, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &super, C1, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &auditor, C1, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &trainer, C1, &err), 0);
	/* only that certificate */
	assert_int_equal(worker_sees_full_id(f->st, &yunyan, C2, &err), 0);
	/* an emergency-management number, sealed in both tables, joins */
	assert_int_equal(add(f, f->p1.id, C6, "周八", ID6, &w, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &builder, C6, &err), 1);
	/* a finished project vouches no more */
	assert_int_equal(org_project_change(f->st, &f->who, f->p1.id,
	                                    &(struct project_input){.state = "completed"}, NOW,
	                                    &done, &err),
	                 0);
	assert_int_equal(worker_sees_full_id(f->st, &yunyan, C1, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &builder, C6, &err), 0);
	/* nor does a worker who left a running one */
	assert_int_equal(add(f, f->p2.id, C2, "李四", ID2, &w, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &nanming, C2, &err), 1);
	assert_int_equal(worker_sees_full_id(f->st, &builder2, C2, &err), 1);
	assert_int_equal(worker_remove(f->st, &f->who, w.id, NOW, NULL, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &nanming, C2, &err), 0);
	assert_int_equal(worker_sees_full_id(f->st, &builder2, C2, &err), 0);
}

static void test_sees_record(void **state)
{
	struct fixture *f = *state;
	struct principal city = who_is(ROLE_CITY_OFFICER, 1, 0);
	struct principal nanming = who_is(ROLE_DISTRICT_OFFICER, f->p2.district, f->p2.district);
	struct principal auditor = who_is(ROLE_AUDITOR, 0, 0);
	struct principal builder = who_is(ROLE_COMPANY_USER, f->b.id, f->b.district);
	struct principal builder2 = who_is(ROLE_COMPANY_USER, f->b2.id, f->b2.district);
	struct principal super = who_is(ROLE_COMPANY_USER, f->s.id, f->s.district);
	struct principal nobody = who_is(ROLE_PUBLIC, 0, 0);
	struct principal trainer, trainer2, trainer0 = who_is(ROLE_TRAINING_USER, 0, 0);
	struct org_input in1 = {.name = INST1, .district = "云岩区"};
	struct org_input in2 = {.name = INST2, .district = "南明区"};
	struct org i1, i2, renamed;
	struct project done;
	struct worker w, wrong;
	struct err err;

	assert_int_equal(org_institution_add(f->st, &f->who, &in1, NOW, &i1, &err), 0);
	assert_int_equal(org_institution_add(f->st, &f->who, &in2, NOW, &i2, &err), 0);
	trainer = who_is(ROLE_TRAINING_USER, i1.id, i1.district);
	trainer2 = who_is(ROLE_TRAINING_USER, i2.id, i2.district);

	/* the city, every district officer and the auditor read every record
	 * (a missing number is the caller's to answer) */
	assert_int_equal(worker_sees_record(f->st, &city, C1, &err), 1);
	assert_int_equal(worker_sees_record(f->st, &nanming, C1, &err), 1);
	assert_int_equal(worker_sees_record(f->st, &auditor, C2, &err), 1);
	assert_int_equal(worker_sees_record(f->st, &city, CX, &err), 1);
	/* a company nothing before it registers the holder; nobody else at all */
	assert_int_equal(worker_sees_record(f->st, &builder, C1, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &super, C1, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &nobody, C1, &err), 0);
	assert_int_equal(worker_sees_record(f->st, NULL, C1, &err), 0);
	/* a training institution the records that name it */
	assert_int_equal(worker_sees_record(f->st, &trainer, C1, &err), 1);
	assert_int_equal(worker_sees_record(f->st, &trainer, C2, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &trainer2, C2, &err), 1);
	assert_int_equal(worker_sees_record(f->st, &trainer2, C1, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &trainer, C6, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &trainer, CX, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &trainer0, C1, &err), 0);
	/* an account whose organisation is not an institution */
	trainer0.org = f->b.id;
	assert_int_equal(worker_sees_record(f->st, &trainer0, C1, &err), 0);

	/* a registration that presented another ID number opens nothing:
	 * registering numbers would otherwise walk the register */
	assert_int_equal(add(f, f->p1.id, C1, "张三", IDX, &wrong, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &builder, C1, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &super, C1, &err), 0);
	/* the register's own ID number on p1 (built by b, supervised by s) */
	assert_int_equal(add(f, f->p1.id, C1, "张三", ID1, &w, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &builder, C1, &err), 1);
	assert_int_equal(worker_sees_record(f->st, &super, C1, &err), 1);
	assert_int_equal(worker_sees_record(f->st, &builder2, C1, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &builder, C2, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &builder, CX, &err), 0);
	/* an emergency-management number, sealed in both tables, joins */
	assert_int_equal(add(f, f->p1.id, C6, "周八", ID6, &w, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &super, C6, &err), 1);
	/* a completed project keeps its workers' records open; a closed one not */
	assert_int_equal(org_project_change(f->st, &f->who, f->p1.id,
	                                    &(struct project_input){.state = "completed"}, NOW,
	                                    &done, &err),
	                 0);
	assert_int_equal(worker_sees_record(f->st, &builder, C1, &err), 1);
	assert_int_equal(worker_sees_record(f->st, &super, C6, &err), 1);
	assert_int_equal(org_project_change(f->st, &f->who, f->p1.id,
	                                    &(struct project_input){.state = "closed"}, NOW, &done,
	                                    &err),
	                 0);
	assert_int_equal(worker_sees_record(f->st, &builder, C1, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &super, C6, &err), 0);
	/* a worker who left counts no more */
	assert_int_equal(add(f, f->p2.id, C2, "李四", ID2, &w, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &builder2, C2, &err), 1);
	assert_int_equal(worker_remove(f->st, &f->who, w.id, NOW, NULL, &err), 0);
	assert_int_equal(worker_sees_record(f->st, &builder2, C2, &err), 0);
	/* the institution's name as registered now, not as it was */
	assert_int_equal(org_institution_change(f->st, &f->who, INST1,
	                                        &(struct org_input){.name = "贵阳建设技工学校"},
	                                        NOW, &renamed, &err),
	                 0);
	assert_int_equal(worker_sees_record(f->st, &trainer, C1, &err), 0);
}

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
}

static void test_import(void **state)
{
	struct fixture *f = *state;
	struct worker_import_stats s;
	struct err err;
	char path[FIXTURE_FILE_SIZE];

	snprintf(path, sizeof(path), "%s/w.csv", f->tmp.path);
	write_file(path, "姓名,性别,身份证号码,工种,证书编号,项目名称\n"
	                 "张三,男," ID1 ",01," C1 ",\n"
	                 "王五,女," ID2 ",02," C2 ",\n"
	                 "钱九,男," IDX ",建筑电工,无,\n");
	memset(&err, 0, sizeof(err));
	assert_int_equal(worker_import(f->st, &f->who, f->p1.id, path, TODAY, NOW, &s, &err), 0);
	assert_int_equal(s.rows, 3);
	assert_int_equal(s.inserted, 3);
	assert_int_equal(s.unchanged, 0);
	assert_int_equal(s.by_verdict[V_VALID], 1);
	assert_int_equal(s.by_verdict[V_MISMATCH], 1);
	assert_int_equal(s.by_verdict[V_UNCERTIFIED], 1);
	assert_int_equal(count(f, f->p1.id, 0), 3);
	/* again: everyone is already there */
	assert_int_equal(worker_import(f->st, &f->who, f->p1.id, path, TODAY, NOW, &s, &err), 0);
	assert_int_equal(s.inserted, 0);
	assert_int_equal(s.unchanged, 3);
	assert_int_equal(trail_workers(f), 3);

	/* a bad ID number on line 3: nothing imported, line and column named */
	write_file(path, "姓名,身份证号码,证书编号\n"
	                 "周八," ID6 "," C6 "\n"
	                 "孙七,520102198503120011,\n");
	memset(&err, 0, sizeof(err));
	assert_int_equal(worker_import(f->st, &f->who, f->p2.id, path, TODAY, NOW, &s, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.column, "身份证号码");
	assert_int_equal(count(f, f->p2.id, 1), 0);

	/* the same person and number twice in one file */
	write_file(path, "姓名,身份证号码,证书编号\n"
	                 "周八," ID6 "," C6 "\n"
	                 "周八," ID6 "," C6 "\n");
	memset(&err, 0, sizeof(err));
	assert_int_equal(worker_import(f->st, &f->who, f->p2.id, path, TODAY, NOW, &s, &err), -1);
	assert_int_equal(err.line, 3);
	assert_non_null(strstr(err.msg, "第 2 行"));
	assert_int_equal(count(f, f->p2.id, 1), 0);

	/* a row naming another project than the one chosen */
	write_file(path, "姓名,身份证号码,证书编号,项目名称\n"
	                 "周八," ID6 "," C6 ",云岩一号项目\n");
	memset(&err, 0, sizeof(err));
	assert_int_equal(worker_import(f->st, &f->who, f->p2.id, path, TODAY, NOW, &s, &err), -1);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.column, "项目名称");
	assert_int_equal(trail_workers(f), 3);
}

static void test_import_by_name(void **state)
{
	struct fixture *f = *state;
	struct worker_import_stats s;
	struct err err;
	char path[FIXTURE_FILE_SIZE];

	snprintf(path, sizeof(path), "%s/n.csv", f->tmp.path);
	write_file(path, "姓名,身份证号码,证书编号,项目名称\n"
	                 "张三," ID1 "," C1 ",云岩一号项目\n"
	                 "周八," ID6 "," C6 ",南明二号项目\n");
	memset(&err, 0, sizeof(err));
	assert_int_equal(worker_import(f->st, &f->who, 0, path, TODAY, NOW, &s, &err), 0);
	assert_int_equal(s.inserted, 2);
	assert_int_equal(count(f, f->p1.id, 0), 1);
	assert_int_equal(count(f, f->p2.id, 0), 1);
	/* an unknown project, and a row that names none */
	write_file(path, "姓名,身份证号码,证书编号,项目名称\n"
	                 "李四," ID2 "," C2 ",没有这个项目\n");
	memset(&err, 0, sizeof(err));
	assert_int_equal(worker_import(f->st, &f->who, 0, path, TODAY, NOW, &s, &err), -1);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "没有这个项目"));
	write_file(path, "姓名,身份证号码,证书编号\n"
	                 "李四," ID2 "," C2 "\n");
	memset(&err, 0, sizeof(err));
	assert_int_equal(worker_import(f->st, &f->who, 0, path, TODAY, NOW, &s, &err), -1);
	assert_non_null(strstr(err.msg, "--project"));
	/* from memory, as an upload */
	memset(&err, 0, sizeof(err));
	assert_int_equal(
	    worker_import_memory(f->st, &f->who, f->p3.id, "upload",
	                         "姓名,身份证号码,证书编号\n李四," ID2 "," C2 "\n",
	                         strlen("姓名,身份证号码,证书编号\n李四," ID2 "," C2 "\n"), TODAY,
	                         NOW, NULL, &s, &err),
	    0);
	assert_int_equal(s.inserted, 1);
	assert_int_equal(count(f, f->p3.id, 0), 1);
}

static void test_json_masks(void **state)
{
	struct fixture *f = *state;
	struct worker w;
	struct err err;
	json_t *j;
	char *text;

	assert_int_equal(add(f, f->p1.id, C6, "周八", ID6, &w, &err), 0);
	j = worker_json(&w);
	assert_non_null(j);
	text = json_dumps(j, JSON_COMPACT);
	assert_non_null(text);
	assert_null(strstr(text, ID6));
	assert_non_null(strstr(text, "520111********0066"));
	assert_non_null(strstr(text, "T520111********0066"));
	assert_non_null(strstr(text, "\"verdict\":\"valid\""));
	free(text);
	json_decref(j);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_add_verdicts), T(test_add_refused), T(test_duplicate_use),  T(test_full_id),
	    T(test_sees_record),  T(test_import),      T(test_import_by_name), T(test_json_masks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
