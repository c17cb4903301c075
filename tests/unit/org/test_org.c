/*
 * test_org.c - organisations and projects (org.h) over a real SQLite store:
 * the seeded bureau, offices and 14 district units, district look-up by
 * name (with 住建局), credit codes checked to the check character, company,
 * institution and project add / change / close with their rules, the
 * filters of the walks, and the company and project imports: counts, all
 * or nothing with line and column, repeated rows, conflicts with what is
 * registered, identical rows counted as unchanged, GBK files.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "org.h"
#include "org_codes.h"
#include "store.h"
#include "trail.h"
#include "uscc.h"
#include "fixture.h"
#include "testdata.h"

#define NOW        1780000000
#define D(y, m, d) date_from_ymd(y, m, d)

struct fixture {
	struct fixture_dir tmp;
	struct store *st;
	struct actor who;
	char builder[USCC_SIZE];
	char builder2[USCC_SIZE];
	char supervisor[USCC_SIZE];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || fixture_dir_make(&f->tmp, "org") != 0 || fixture_store(f->tmp.db, &f->st) != 0)
		return -1;
	actor_cli(&f->who);
	test_uscc("91520103MA6TXT001", f->builder);
	test_uscc("91520102MA6TXT002", f->builder2);
	test_uscc("91520115MA6TXT003", f->supervisor);
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

static void add_company(struct fixture *f, const char *uscc, const char *kind, const char *name,
                        const char *district)
{
	struct err err;
	struct org o;

	err_clear(&err);
	assert_int_equal(
	    org_company_add(
	        f->st, &f->who,
	        &(struct org_input){.uscc = uscc, .kind = kind, .name = name, .district = district},
	        NOW, &o, &err),
	    0);
}

static void add_standard(struct fixture *f)
{
	add_company(f, f->builder, "builder", "测试建设有限公司", "云岩区");
	add_company(f, f->builder2, "施工", "测试二建有限公司", "南明区");
	add_company(f, f->supervisor, "监理", "测试监理有限公司", "观山湖区");
}

/* ---- seeds and look-ups ------------------------------------------------- */

static const char *const districts[14] = {"云岩区",
                                          "南明区",
                                          "花溪区",
                                          "乌当区",
                                          "白云区",
                                          "观山湖区",
                                          "清镇市",
                                          "修文县",
                                          "息烽县",
                                          "开阳县",
                                          "高新技术开发区",
                                          "经济技术开发区",
                                          "贵州双龙航空港经济区",
                                          "综保区"};

static int count_org(void *arg, const struct org *o)
{
	(void)o;
	(*(int *)arg)++;
	return 0;
}

static void test_seeds(void **state)
{
	struct fixture *f = *state;
	struct org_filter filter = {.kinds = 1u << ORG_DISTRICT};
	struct org o;
	struct err err;
	int n = 0;

	for (size_t i = 0; i < 14; i++) {
		assert_int_equal(org_district_get(f->st, districts[i], &o, &err), 1);
		assert_int_equal(o.kind, ORG_DISTRICT);
		/* A district unit is its own data scope. */
		assert_int_equal(o.district, o.id);
		assert_string_equal(o.district_name, districts[i]);
	}
	assert_int_equal(org_each(f->st, &filter, count_org, &n, &err), 0);
	assert_int_equal(n, 14);
	n = 0;
	filter.kinds = (1u << ORG_CITY) | (1u << ORG_OFFICE);
	assert_int_equal(org_each(f->st, &filter, count_org, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(org_get(f->st, 1, &o, &err), 1);
	assert_string_equal(o.name, "市住建局");
	assert_int_equal(o.kind, ORG_CITY);
	assert_int_equal(o.district, 0);
}

static void test_district_names(void **state)
{
	struct fixture *f = *state;
	struct org o, p;
	struct err err;

	assert_int_equal(org_district_get(f->st, "清镇市", &o, &err), 1);
	assert_int_equal(org_district_get(f->st, "清镇市住建局", &p, &err), 1);
	assert_int_equal(o.id, p.id);
	assert_int_equal(org_district_get(f->st, " 清镇市住房和城乡建设局 ", &p, &err), 1);
	assert_int_equal(o.id, p.id);
	assert_int_equal(org_district_get(f->st, "清镇", &p, &err), 0);
	assert_int_equal(org_district_get(f->st, "朝阳区", &p, &err), 0);
	assert_int_equal(org_district_get(f->st, "住建局", &p, &err), 0);
	assert_int_equal(org_district_get(f->st, "", &p, &err), 0);
	/* The bureau is not a district. */
	assert_int_equal(org_district_get(f->st, "市住建局", &p, &err), 0);
}

static void test_labels(void **state)
{
	(void)state;
	assert_string_equal(org_kind_label(ORG_BUILDER), "施工单位");
	assert_string_equal(org_kind_label(ORG_SUPERVISOR), "监理单位");
	assert_string_equal(org_kind_label(ORG_INSTITUTION), "培训机构");
	assert_string_equal(org_kind_label(ORG_DISTRICT), "区（市、县）住建局");
	assert_int_equal(org_company_kind_parse("施工", 6), ORG_BUILDER);
	assert_int_equal(org_company_kind_parse("监理单位", strlen("监理单位")), ORG_SUPERVISOR);
	assert_int_equal(org_company_kind_parse(" supervisor ", 12), ORG_SUPERVISOR);
	assert_int_equal(org_company_kind_parse("设计", 6), -1);
	assert_int_equal(org_kind_from_code("institution"), ORG_INSTITUTION);
	assert_int_equal(org_kind_from_code("x"), -1);
	static const char *const labels[] = {"未开工", "在建", "停工", "竣工", "已关闭"};
	for (int s = 0; s < PROJECT_STATE_COUNT; s++) {
		assert_string_equal(project_state_label((enum project_state)s), labels[s]);
		assert_int_equal(project_state_parse(labels[s], strlen(labels[s])), s);
		assert_int_equal(
		    project_state_parse(project_state_code((enum project_state)s),
		                        strlen(project_state_code((enum project_state)s))),
		    s);
	}
	assert_int_equal(project_state_parse("施工中", strlen("施工中")), PROJECT_ACTIVE);
	assert_int_equal(project_state_parse("半停工", strlen("半停工")), -1);
}

static void test_check_uscc(void **state)
{
	char out[USCC_SIZE];
	struct err err;

	(void)state;
	/* DOMAIN.md section 3's worked example. */
	assert_int_equal(org_check_uscc("91350100M000100Y43", 18, out, &err), 0);
	assert_string_equal(out, "91350100M000100Y43");
	assert_int_equal(org_check_uscc(" 91350100m000100y43 ", 20, out, &err), 0);
	assert_string_equal(out, "91350100M000100Y43");
	assert_int_equal(org_check_uscc("\xe3\x80\x80"
	                                "91350100m000100y43\t\r\n",
	                                24, out, &err),
	                 0);
	assert_string_equal(out, "91350100M000100Y43");
	err_clear(&err);
	assert_int_equal(org_check_uscc("91350100M000100Y44", 18, out, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_non_null(strstr(err.msg, "校验位应为 3"));
	assert_int_equal(org_check_uscc("91350100m000100y44", 18, out, &err), -1);
	assert_non_null(strstr(err.msg, "校验位应为 3"));
	assert_int_equal(org_check_uscc("9135010", 7, out, &err), -1);
	assert_non_null(strstr(err.msg, "18位"));
	/* DOMAIN's ill-formed example: Z is outside the alphabet. */
	assert_int_equal(org_check_uscc("91350100M000100Y4Z", 18, out, &err), -1);
	assert_non_null(strstr(err.msg, "非法字符"));
	assert_int_equal(org_check_uscc("91350100I000100Y43", 18, out, &err), -1);
	assert_non_null(strstr(err.msg, "非法字符"));
	assert_int_equal(org_check_uscc("", 0, out, &err), -1);
	char phone[ORG_PHONE_SIZE];

	assert_int_equal(org_check_phone("0851-86000001", 13, phone, &err), 0);
	assert_int_equal(
	    org_check_phone("138 0000 1111转23", strlen("138 0000 1111转23"), phone, &err), 0);
	assert_int_equal(org_check_phone("call me", 7, phone, &err), -1);
	assert_int_equal(org_check_phone("12", 2, phone, &err), -1);
}

static void test_mask_phone(void **state)
{
	char out[ORG_PHONE_SIZE];

	(void)state;
	org_mask_phone("13800001111", out);
	assert_string_equal(out, "138****1111");
	org_mask_phone("0851-86000001", out);
	assert_string_equal(out, "085******0001");
	org_mask_phone("12345", out);
	assert_string_equal(out, "****");
	org_mask_phone("", out);
	assert_string_equal(out, "");
}

/* ---- companies ------------------------------------------------------------ */

static void test_company_add_get(void **state)
{
	struct fixture *f = *state;
	struct org o;
	struct err err;
	char lower[USCC_SIZE];

	add_standard(f);
	assert_int_equal(org_company_get(f->st, f->builder, &o, &err), 1);
	assert_string_equal(o.name, "测试建设有限公司");
	assert_int_equal(o.kind, ORG_BUILDER);
	assert_string_equal(o.district_name, "云岩区");
	assert_int_equal(o.created_at, NOW);
	/* Look-up by a code written in lowercase. */
	for (int i = 0; i < 19; i++)
		lower[i] = (char)((f->builder[i] >= 'A' && f->builder[i] <= 'Z')
		                      ? f->builder[i] - 'A' + 'a'
		                      : f->builder[i]);
	assert_int_equal(org_company_get(f->st, lower, &o, &err), 1);
	assert_int_equal(org_company_get(f->st, "91350100M000100Y43", &o, &err), 0);
	err_clear(&err);
	assert_int_equal(org_company_get(f->st, "91350100M000100Y44", &o, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);

	/* The same code again, whatever the name. */
	err_clear(&err);
	assert_int_equal(org_company_add(f->st, &f->who,
	                                 &(struct org_input){.uscc = f->builder,
	                                                     .kind = "builder",
	                                                     .name = "另一家",
	                                                     .district = "云岩区"},
	                                 NOW, &o, &err),
	                 -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_non_null(strstr(err.msg, "已登记"));
}

/* Every field is trimmed by text_trim's rule: a leading U+3000 and trailing
 * tabs, line ends and form feeds, as pasted from a spreadsheet or a chat. */
static void test_fields_trimmed(void **state)
{
	struct fixture *f = *state;
	char uscc[64];
	struct org o;
	struct project p;
	struct err err;

	snprintf(uscc, sizeof(uscc), "\xe3\x80\x80%s\t\r\n", f->builder);
	err_clear(&err);
	assert_int_equal(
	    org_company_add(f->st, &f->who,
	                    &(struct org_input){.uscc = uscc,
	                                        .kind = "\xe3\x80\x80施工\v",
	                                        .name = "\xe3\x80\x80测试建设有限公司\t",
	                                        .district = "\xe3\x80\x80云岩区\f",
	                                        .contact = "\xe3\x80\x80张三\r\n",
	                                        .phone = "\xe3\x80\x80"
	                                                 "0851-86000001\t\v"},
	                    NOW, &o, &err),
	    0);
	assert_string_equal(o.uscc, f->builder);
	assert_int_equal(o.kind, ORG_BUILDER);
	assert_string_equal(o.name, "测试建设有限公司");
	assert_string_equal(o.district_name, "云岩区");
	assert_string_equal(o.contact, "张三");
	assert_string_equal(o.phone, "0851-86000001");
	assert_int_equal(
	    org_project_add(f->st, &f->who,
	                    &(struct project_input){.name = "\xe3\x80\x80测试花园项目\t",
	                                            .district = "\xe3\x80\x80花溪区\r\n",
	                                            .address = "\xe3\x80\x80测试路1号\t",
	                                            .builder = uscc,
	                                            .start = "\xe3\x80\x80"
	                                                     "2026-01-05\t",
	                                            .end = "\xe3\x80\x80"
	                                                   "2027-12-31\r\n"},
	                    D(2026, 6, 30), NOW, &p, &err),
	    0);
	assert_string_equal(p.name, "测试花园项目");
	assert_string_equal(p.district_name, "花溪区");
	assert_string_equal(p.address, "测试路1号");
	assert_string_equal(p.builder_uscc, f->builder);
	assert_int_equal(p.start_on, D(2026, 1, 5));
	assert_int_equal(p.end_on, D(2027, 12, 31));
	assert_int_equal(
	    org_project_change(f->st, &f->who, p.id,
	                       &(struct project_input){.state = "\xe3\x80\x80竣工\r\n"}, NOW, &p,
	                       &err),
	    0);
	assert_int_equal(p.state, PROJECT_COMPLETED);
}

static void test_company_add_refused(void **state)
{
	struct fixture *f = *state;
	struct org o;
	struct err err;
	int n = 0;
	struct org_filter all = {.kinds = (1u << ORG_BUILDER) | (1u << ORG_SUPERVISOR),
	                         .include_closed = 1};
	struct {
		struct org_input in;
		const char *msg;
	} cases[] = {
	    {{.uscc = "91350100M000100Y44", .kind = "builder", .name = "甲", .district = "云岩区"},
	     "校验位应为 3"},
	    {{.uscc = f->builder, .kind = "设计", .name = "甲", .district = "云岩区"}, "单位类型"},
	    {{.uscc = f->builder, .kind = "builder", .name = "", .district = "云岩区"},
	     "单位名称未填写"},
	    {{.uscc = f->builder, .kind = "builder", .name = "甲", .district = "朝阳区"},
	     "所在区“朝阳区”不是本市的区"},
	    {{.uscc = f->builder, .kind = "builder", .name = "甲"}, "所在区"},
	    {{.uscc = f->builder,
	      .kind = "builder",
	      .name = "甲",
	      .district = "云岩区",
	      .phone = "abc"},
	     "联系电话"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		err_clear(&err);
		assert_int_equal(org_company_add(f->st, &f->who, &cases[i].in, NOW, &o, &err), -1);
		assert_int_equal(err.kind, ERR_INPUT);
		if (!strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, cases[i].msg);
	}
	assert_int_equal(org_each(f->st, &all, count_org, &n, &err), 0);
	assert_int_equal(n, 0);
}

static void test_company_change_close(void **state)
{
	struct fixture *f = *state;
	struct org o;
	struct project p;
	struct err err;

	add_standard(f);
	assert_int_equal(org_company_change(f->st, &f->who, f->builder,
	                                    &(struct org_input){.name = "测试建设集团有限公司",
	                                                        .district = "花溪区住建局",
	                                                        .phone = "13800001111"},
	                                    NOW + 10, &o, &err),
	                 0);
	assert_int_equal(org_company_get(f->st, f->builder, &o, &err), 1);
	assert_string_equal(o.name, "测试建设集团有限公司");
	assert_string_equal(o.district_name, "花溪区");
	assert_string_equal(o.phone, "13800001111");
	assert_int_equal(o.updated_at, NOW + 10);
	assert_int_equal(o.created_at, NOW);
	/* Nothing to change. */
	err_clear(&err);
	assert_int_equal(org_company_change(f->st, &f->who, f->builder,
	                                    &(struct org_input){.phone = "13800001111"}, NOW, &o,
	                                    &err),
	                 -1);
	assert_int_equal(err.kind, ERR_INPUT);
	/* The code cannot be changed. */
	assert_int_equal(org_company_change(f->st, &f->who, f->builder,
	                                    &(struct org_input){.uscc = f->builder2}, NOW, &o,
	                                    &err),
	                 -1);

	/* Not while it builds a project that is not completed. */
	assert_int_equal(org_project_add(f->st, &f->who,
	                                 &(struct project_input){.name = "项目一",
	                                                         .district = "白云区",
	                                                         .builder = f->builder,
	                                                         .supervisor = f->supervisor},
	                                 D(2026, 6, 30), NOW, &p, &err),
	                 0);
	err_clear(&err);
	assert_int_equal(org_company_close(f->st, &f->who, f->supervisor, NOW, &o, &err), -1);
	assert_non_null(strstr(err.msg, "项目一"));
	assert_int_equal(org_project_change(f->st, &f->who, p.id,
	                                    &(struct project_input){.state = "竣工"}, NOW, &p,
	                                    &err),
	                 0);
	assert_int_equal(org_company_close(f->st, &f->who, f->supervisor, NOW + 20, &o, &err), 0);
	assert_int_equal(o.closed_at, NOW + 20);
	assert_int_equal(org_company_get(f->st, f->supervisor, &o, &err), 1);
	assert_int_equal(o.closed_at, NOW + 20);
	/* Closed: no change, no second close, not a supervisor of a new project. */
	assert_int_equal(org_company_change(f->st, &f->who, f->supervisor,
	                                    &(struct org_input){.contact = "某人"}, NOW, &o, &err),
	                 -1);
	assert_non_null(strstr(err.msg, "已注销"));
	assert_int_equal(org_company_close(f->st, &f->who, f->supervisor, NOW, &o, &err), -1);
	err_clear(&err);
	assert_int_equal(org_project_add(f->st, &f->who,
	                                 &(struct project_input){.name = "项目二",
	                                                         .district = "白云区",
	                                                         .builder = f->builder,
	                                                         .supervisor = f->supervisor},
	                                 D(2026, 6, 30), NOW, &p, &err),
	                 -1);
	assert_non_null(strstr(err.msg, "已注销"));
}

/* ---- walks ------------------------------------------------------------------ */

static void test_company_filters(void **state)
{
	struct fixture *f = *state;
	struct org_filter filter = {.kinds = (1u << ORG_BUILDER) | (1u << ORG_SUPERVISOR)};
	struct org d;
	struct err err;
	int n = 0;

	add_standard(f);
	assert_int_equal(org_each(f->st, &filter, count_org, &n, &err), 0);
	assert_int_equal(n, 3);
	filter.kinds = 1u << ORG_SUPERVISOR;
	n = 0;
	assert_int_equal(org_each(f->st, &filter, count_org, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(org_district_get(f->st, "南明区", &d, &err), 1);
	filter.kinds = (1u << ORG_BUILDER) | (1u << ORG_SUPERVISOR);
	filter.district = d.id;
	n = 0;
	assert_int_equal(org_each(f->st, &filter, count_org, &n, &err), 0);
	assert_int_equal(n, 1);
}

/* ---- institutions -------------------------------------------------------------- */

static void test_institutions(void **state)
{
	struct fixture *f = *state;
	struct org o;
	struct err err;

	assert_int_equal(org_institution_add(f->st, &f->who,
	                                     &(struct org_input){.name = "测试培训学校"}, NOW, &o,
	                                     &err),
	                 0);
	assert_int_equal(o.district, 0);
	assert_int_equal(org_institution_add(
	                     f->st, &f->who,
	                     &(struct org_input){.name = "测试安全培训中心", .district = "修文县"},
	                     NOW, &o, &err),
	                 0);
	assert_string_equal(o.district_name, "修文县");
	err_clear(&err);
	assert_int_equal(org_institution_add(f->st, &f->who,
	                                     &(struct org_input){.name = "测试培训学校"}, NOW, &o,
	                                     &err),
	                 -1);
	assert_non_null(strstr(err.msg, "已登记"));
	assert_int_equal(org_institution_get(f->st, "测试培训学校", &o, &err), 1);
	assert_int_equal(o.kind, ORG_INSTITUTION);
	/* Renaming onto another institution's name is refused. */
	assert_int_equal(org_institution_change(f->st, &f->who, "测试培训学校",
	                                        &(struct org_input){.name = "测试安全培训中心"},
	                                        NOW, &o, &err),
	                 -1);
	assert_int_equal(org_institution_change(
	                     f->st, &f->who, "测试培训学校",
	                     &(struct org_input){.name = "测试职业培训学校", .district = "息烽县"},
	                     NOW, &o, &err),
	                 0);
	assert_int_equal(org_institution_get(f->st, "测试培训学校", &o, &err), 0);
	assert_int_equal(org_institution_get(f->st, "测试职业培训学校", &o, &err), 1);
	assert_string_equal(o.district_name, "息烽县");
	/* "" makes it city-wide again. */
	assert_int_equal(org_institution_change(f->st, &f->who, "测试职业培训学校",
	                                        &(struct org_input){.district = ""}, NOW, &o, &err),
	                 0);
	assert_int_equal(o.district, 0);
	assert_int_equal(org_institution_close(f->st, &f->who, "测试职业培训学校", NOW, &o, &err),
	                 0);
	assert_int_equal(org_institution_close(f->st, &f->who, "测试职业培训学校", NOW, &o, &err),
	                 -1);
	assert_int_equal(org_institution_get(f->st, "测试职业培训学校", &o, &err), 1);
	assert_true(o.closed_at != 0);
}

/* ---- projects --------------------------------------------------------------------- */

static int count_project(void *arg, const struct project *p)
{
	(void)p;
	(*(int *)arg)++;
	return 0;
}

static void test_projects(void **state)
{
	struct fixture *f = *state;
	struct project p, q;
	struct project_filter filter = {0};
	struct org s, d;
	struct err err;
	int n = 0;

	add_standard(f);
	assert_int_equal(org_project_add(f->st, &f->who,
	                                 &(struct project_input){.name = "测试花园项目",
	                                                         .district = "花溪区",
	                                                         .address = "花溪区测试路1号",
	                                                         .builder = f->builder,
	                                                         .supervisor = f->supervisor,
	                                                         .start = "2026年1月5日",
	                                                         .end = "2027/12/31"},
	                                 D(2026, 6, 30), NOW, &p, &err),
	                 0);
	assert_true(p.id > 0);
	assert_int_equal(org_project_get(f->st, p.id, &q, &err), 1);
	assert_string_equal(q.name, "测试花园项目");
	assert_string_equal(q.district_name, "花溪区");
	assert_string_equal(q.address, "花溪区测试路1号");
	assert_string_equal(q.builder_uscc, f->builder);
	assert_string_equal(q.supervisor_uscc, f->supervisor);
	assert_string_equal(q.supervisor_name, "测试监理有限公司");
	assert_int_equal(q.start_on, D(2026, 1, 5));
	assert_int_equal(q.end_on, D(2027, 12, 31));
	assert_int_equal(q.state, PROJECT_ACTIVE);

	/* Starting after today: not started yet. */
	assert_int_equal(org_project_add(f->st, &f->who,
	                                 &(struct project_input){.name = "测试二期",
	                                                         .district = "云岩区",
	                                                         .builder = f->builder2,
	                                                         .start = "2026-07-01"},
	                                 D(2026, 6, 30), NOW, &q, &err),
	                 0);
	assert_int_equal(q.state, PROJECT_PLANNED);
	assert_int_equal(q.supervisor, 0);

	/* The rules. */
	struct {
		struct project_input in;
		const char *msg;
	} bad[] = {
	    {{.name = "测试花园项目", .district = "花溪区", .builder = f->builder}, "已有项目"},
	    {{.name = "甲", .district = "花溪区", .builder = f->supervisor}, "不是施工单位"},
	    {{.name = "甲", .district = "花溪区", .builder = f->builder, .supervisor = f->builder2},
	     "不是监理单位"},
	    {{.name = "甲", .district = "花溪区", .builder = "91350100M000100Y43"}, "未登记"},
	    {{.name = "甲", .district = "花溪区", .builder = "91350100M000100Y44"}, "校验位应为 3"},
	    {{.name = "甲", .district = "某区", .builder = f->builder}, "不是本市的区"},
	    {{.name = "甲", .district = "花溪区", .builder = f->builder, .start = "2026-13-01"},
	     "开工日期"},
	    {{.name = "甲",
	      .district = "花溪区",
	      .builder = f->builder,
	      .start = "2026-06-01",
	      .end = "2026-05-01"},
	     "竣工日期早于开工日期"},
	    {{.name = "甲", .builder = f->builder}, "所在区"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err_clear(&err);
		assert_int_equal(
		    org_project_add(f->st, &f->who, &bad[i].in, D(2026, 6, 30), NOW, &q, &err), -1);
		assert_int_equal(err.kind, ERR_INPUT);
		if (!strstr(err.msg, bad[i].msg))
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, err.msg, bad[i].msg);
	}

	/* Filters: by district and by company (builder or supervisor). */
	assert_int_equal(org_project_each(f->st, &filter, count_project, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(org_company_get(f->st, f->supervisor, &s, &err), 1);
	filter.company = s.id;
	n = 0;
	assert_int_equal(org_project_each(f->st, &filter, count_project, &n, &err), 0);
	assert_int_equal(n, 1);
	filter.company = 0;
	assert_int_equal(org_district_get(f->st, "云岩区", &d, &err), 1);
	filter.district = d.id;
	n = 0;
	assert_int_equal(org_project_each(f->st, &filter, count_project, &n, &err), 0);
	assert_int_equal(n, 1);

	/* Change: clear the supervisor and the end date, suspend. */
	assert_int_equal(org_project_change(f->st, &f->who, p.id,
	                                    &(struct project_input){
	                                        .supervisor = "无", .end = "", .state = "停工"},
	                                    NOW + 5, &q, &err),
	                 0);
	assert_int_equal(org_project_get(f->st, p.id, &q, &err), 1);
	assert_int_equal(q.supervisor, 0);
	assert_int_equal(q.end_on, DATE_NONE);
	assert_int_equal(q.state, PROJECT_SUSPENDED);
	assert_int_equal(org_project_change(f->st, &f->who, p.id,
	                                    &(struct project_input){.state = "开会"}, NOW, &q,
	                                    &err),
	                 -1);
	assert_int_equal(org_project_change(f->st, &f->who, 999,
	                                    &(struct project_input){.state = "在建"}, NOW, &q,
	                                    &err),
	                 -1);
	assert_non_null(strstr(err.msg, "不存在"));

	/* Closed: gone from the default walk, no more changes. */
	assert_int_equal(org_project_close(f->st, &f->who, p.id, NOW, &q, &err), 0);
	assert_int_equal(q.state, PROJECT_CLOSED);
	assert_int_equal(org_project_close(f->st, &f->who, p.id, NOW, &q, &err), -1);
	assert_non_null(strstr(err.msg, "已关闭"));
	filter.district = 0;
	n = 0;
	assert_int_equal(org_project_each(f->st, &filter, count_project, &n, &err), 0);
	assert_int_equal(n, 1);
	filter.include_closed = 1;
	n = 0;
	assert_int_equal(org_project_each(f->st, &filter, count_project, &n, &err), 0);
	assert_int_equal(n, 2);
}

/* ---- imports ---------------------------------------------------------------------- */

static void write_file(const struct fixture *f, const char *name, const char *text, char *path,
                       size_t size)
{
	FILE *fp;

	snprintf(path, size, "%s/%s", f->tmp.path, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
}

static int count_companies(struct fixture *f)
{
	struct org_filter all = {.kinds = (1u << ORG_BUILDER) | (1u << ORG_SUPERVISOR),
	                         .include_closed = 1};
	struct err err;
	int n = 0;

	assert_int_equal(org_each(f->st, &all, count_org, &n, &err), 0);
	return n;
}

static void companies_csv(struct fixture *f, char *out, size_t size)
{
	snprintf(out, size,
	         "单位名称,统一社会信用代码,所在区,单位类型,联系人,联系电话\n"
	         "测试建设有限公司,%s,云岩区,施工,张三,13800001111\n"
	         "测试二建有限公司,%s,南明区住建局,施工单位,,\n"
	         "测试监理有限公司,%s,观山湖区,监理,李四,0851-86000003\n",
	         f->builder, f->builder2, f->supervisor);
}

static void test_import_companies(void **state)
{
	struct fixture *f = *state;
	struct org_import_stats stats;
	struct org o;
	struct err err;
	char text[2048], path[FIXTURE_FILE_SIZE];

	companies_csv(f, text, sizeof(text));
	write_file(f, "c.csv", text, path, sizeof(path));
	assert_int_equal(org_company_import(f->st, &f->who, path, NOW, &stats, &err), 0);
	assert_int_equal(stats.rows, 3);
	assert_int_equal(stats.inserted, 3);
	assert_int_equal(org_company_get(f->st, f->builder2, &o, &err), 1);
	assert_string_equal(o.district_name, "南明区");
	assert_int_equal(o.kind, ORG_BUILDER);
	assert_int_equal(org_company_get(f->st, f->supervisor, &o, &err), 1);
	assert_int_equal(o.kind, ORG_SUPERVISOR);
	assert_string_equal(o.phone, "0851-86000003");

	/* Again: identical rows are unchanged, not errors. */
	assert_int_equal(org_company_import(f->st, &f->who, path, NOW, &stats, &err), 0);
	assert_int_equal(stats.inserted, 0);
	assert_int_equal(stats.unchanged, 3);

	/* A new company before a row that conflicts: nothing is written, and the
	 * error names the conflicting line and column. */
	snprintf(text, sizeof(text),
	         "统一社会信用代码,单位名称,单位类型,所在区\n"
	         "91350100M000100Y43,新公司,施工,白云区\n"
	         "%s,测试建设有限公司,施工,花溪区\n",
	         f->builder);
	write_file(f, "conflict.csv", text, path, sizeof(path));
	err_clear(&err);
	assert_int_equal(org_company_import(f->st, &f->who, path, NOW, &stats, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.column, "所在区");
	assert_non_null(strstr(err.msg, "云岩区"));
	assert_int_equal(count_companies(f), 3);
	assert_int_equal(stats.inserted, 0);
}

static void test_import_company_errors(void **state)
{
	struct fixture *f = *state;
	struct org_import_stats stats;
	struct err err;
	char text[2048], path[FIXTURE_FILE_SIZE];
	struct {
		const char *rows;
		long line;
		const char *column;
		const char *msg;
	} cases[] = {
	    {"91350100M000100Y43,甲,施工,云岩区,,\n91350100M000100Y44,乙,施工,云岩区,,\n", 3,
	     "统一社会信用代码", "校验位应为 3"},
	    {"91350100M000100Y43,甲,施工,云岩区,,\n91350100m000100y43,乙,监理,云岩区,,\n", 3,
	     "统一社会信用代码", "第2行"},
	    {"91350100M000100Y43,甲,设计,云岩区,,\n", 2, "单位类型", "施工或监理"},
	    {"91350100M000100Y43,甲,施工,朝阳区,,\n", 2, "所在区", "不是本市的区"},
	    {"91350100M000100Y43,,施工,云岩区,,\n", 2, "单位名称", "未填写"},
	    {"91350100M000100Y43,甲,施工,云岩区,,电话\n", 2, "联系电话", "无效"},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
		         "统一社会信用代码,单位名称,单位类型,所在区,联系人,联系电话\n%s",
		         cases[i].rows);
		write_file(f, "bad.csv", text, path, sizeof(path));
		err_clear(&err);
		assert_int_equal(org_company_import(f->st, &f->who, path, NOW, &stats, &err), -1);
		assert_int_equal(err.kind, ERR_INPUT);
		if (err.line != cases[i].line || strcmp(err.column, cases[i].column) != 0 ||
		    !strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: line %ld column \"%s\" \"%s\"", i, err.line, err.column,
			         err.msg);
		assert_int_equal(count_companies(f), 0);
	}
	/* Header only. */
	write_file(f, "empty.csv", "统一社会信用代码,单位名称,单位类型,所在区\n", path,
	           sizeof(path));
	assert_int_equal(org_company_import(f->st, &f->who, path, NOW, &stats, &err), -1);
	/* A required column missing. */
	write_file(f, "nocol.csv",
	           "统一社会信用代码,单位名称,所在区\n91350100M000100Y43,甲,云岩区\n", path,
	           sizeof(path));
	assert_int_equal(org_company_import(f->st, &f->who, path, NOW, &stats, &err), -1);
	assert_non_null(strstr(err.msg, "单位类型"));
}

/* GBK, as Excel on a Chinese Windows saves CSV. */
static void test_import_gbk(void **state)
{
	struct fixture *f = *state;
	struct org_import_stats stats;
	struct org o;
	struct err err;
	char text[2048], gbk[2048], path[FIXTURE_FILE_SIZE];
	char *in = text, *out = gbk;
	size_t inleft, outleft = sizeof(gbk) - 1;
	iconv_t cd = iconv_open("GBK", "UTF-8");

	assert_true(cd != (iconv_t)-1);
	companies_csv(f, text, sizeof(text));
	inleft = strlen(text);
	assert_true(iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1);
	*out = '\0';
	iconv_close(cd);
	write_file(f, "gbk.csv", gbk, path, sizeof(path));
	assert_int_equal(org_company_import(f->st, &f->who, path, NOW, &stats, &err), 0);
	assert_int_equal(stats.inserted, 3);
	assert_int_equal(org_company_get(f->st, f->supervisor, &o, &err), 1);
	assert_string_equal(o.name, "测试监理有限公司");
	assert_string_equal(o.district_name, "观山湖区");
}

static int count_projects(struct fixture *f)
{
	struct project_filter all = {.include_closed = 1};
	struct err err;
	int n = 0;

	assert_int_equal(org_project_each(f->st, &all, count_project, &n, &err), 0);
	return n;
}

static void test_import_projects(void **state)
{
	struct fixture *f = *state;
	struct org_import_stats stats;
	struct project p;
	struct err err;
	char text[4096], path[FIXTURE_FILE_SIZE];

	add_standard(f);
	snprintf(text, sizeof(text),
	         "项目名称,所在区,地址,施工单位信用代码,监理单位信用代码,开工日期,竣工日期\n"
	         "项目甲,花溪区,花溪区某路,%s,%s,2026-01-01,2027-12-31\n"
	         "项目乙,云岩区,,%s,无,2026/8/1,\n"
	         "项目甲,南明区,,%s,,,\n",
	         f->builder, f->supervisor, f->builder, f->builder2);
	write_file(f, "p.csv", text, path, sizeof(path));
	assert_int_equal(
	    org_project_import(f->st, &f->who, path, D(2026, 6, 30), NOW, &stats, &err), 0);
	assert_int_equal(stats.inserted, 3);
	assert_int_equal(count_projects(f), 3);
	assert_int_equal(org_project_get(f->st, 2, &p, &err), 1);
	assert_string_equal(p.name, "项目乙");
	assert_int_equal(p.state, PROJECT_PLANNED);
	assert_int_equal(p.supervisor, 0);
	assert_int_equal(
	    org_project_import(f->st, &f->who, path, D(2026, 6, 30), NOW, &stats, &err), 0);
	assert_int_equal(stats.unchanged, 3);

	struct {
		const char *row;
		long line;
		const char *column;
		const char *msg;
	} cases[] = {
	    {"项目丙,花溪区,,%s,,,\n项目丙,花溪区,,%s,,,\n", 3, "项目名称", "重复"},
	    {"项目甲,花溪区,花溪区某路,%s,,2026-01-01,2027-12-31\n", 2, "监理单位信用代码",
	     "已登记"},
	    {"项目丁,花溪区,,%.17sA,,,\n", 2, "施工单位信用代码", "校验位应为"},
	    {"项目丁,花溪区,,91350100M000100Y43,,,\n", 2, "施工单位信用代码", "未登记"},
	    {"项目丁,花溪区,,%s,%s,,\n", 2, "监理单位信用代码", "不是监理单位"},
	    {"项目丁,花溪区,,%s,,2026-02-30,\n", 2, "开工日期", "不是有效日期"},
	    {"项目丁,花溪区,,%s,,2026-02-03,2026-02-01\n", 2, "竣工日期", "早于"},
	    {"项目丁,花溪,,%s,,,\n", 2, "所在区", "不是本市的区"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char rows[1024];

		snprintf(rows, sizeof(rows), cases[i].row, f->builder, f->builder);
		snprintf(
		    text, sizeof(text),
		    "项目名称,所在区,地址,施工单位信用代码,监理单位信用代码,开工日期,竣工日期\n"
		    "新项目,白云区,,%s,,,\n%s",
		    f->builder, rows);
		write_file(f, "bad.csv", text, path, sizeof(path));
		err_clear(&err);
		assert_int_equal(
		    org_project_import(f->st, &f->who, path, D(2026, 6, 30), NOW, &stats, &err),
		    -1);
		assert_int_equal(err.kind, ERR_INPUT);
		/* The first data row is the good 新项目: the bad one is a line later. */
		if (err.line != cases[i].line + 1 || strcmp(err.column, cases[i].column) != 0 ||
		    !strstr(err.msg, cases[i].msg))
			fail_msg("case %zu: line %ld column \"%s\" \"%s\"", i, err.line, err.column,
			         err.msg);
		assert_int_equal(count_projects(f), 3);
	}
}

/* Which project states count is the front's rule, handed to the backend as
 * a set of codes. */
static void test_state_sets(void **state)
{
	char text[96], tiny[8];

	(void)state;
	project_states_text(project_state_running, text, sizeof(text));
	assert_string_equal(text, ",planned,active,suspended,");
	project_states_text(project_state_keeps_workers, text, sizeof(text));
	assert_string_equal(text, ",planned,active,suspended,completed,");
	project_states_text(project_state_running, tiny, sizeof(tiny));
	assert_string_equal(tiny, "");
	assert_false(project_state_running(PROJECT_COMPLETED));
	assert_false(project_state_keeps_workers(PROJECT_CLOSED));
}

static void test_json(void **state)
{
	struct fixture *f = *state;
	struct project p;
	struct org o;
	struct err err;
	json_t *j;

	add_standard(f);
	assert_int_equal(org_company_get(f->st, f->supervisor, &o, &err), 1);
	j = org_json(&o);
	assert_string_equal(json_string_value(json_object_get(j, "kind")), "supervisor");
	assert_string_equal(json_string_value(json_object_get(j, "kind_label")), "监理单位");
	assert_string_equal(json_string_value(json_object_get(j, "uscc")), f->supervisor);
	assert_string_equal(json_string_value(json_object_get(j, "district")), "观山湖区");
	assert_true(json_is_false(json_object_get(j, "closed")));
	json_decref(j);
	assert_int_equal(org_project_add(f->st, &f->who,
	                                 &(struct project_input){.name = "项目甲",
	                                                         .district = "花溪区",
	                                                         .builder = f->builder,
	                                                         .start = "2026-01-01"},
	                                 D(2026, 6, 30), NOW, &p, &err),
	                 0);
	j = org_project_json(&p);
	assert_string_equal(json_string_value(json_object_get(j, "start_on")), "2026-01-01");
	assert_true(json_is_null(json_object_get(j, "end_on")));
	assert_true(json_is_null(json_object_get(j, "supervisor")));
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(j, "builder"), "uscc")), f->builder);
	assert_string_equal(json_string_value(json_object_get(j, "state_label")), "在建");
	json_decref(j);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_seeds),
	    T(test_district_names),
	    cmocka_unit_test(test_labels),
	    cmocka_unit_test(test_state_sets),
	    cmocka_unit_test(test_check_uscc),
	    cmocka_unit_test(test_mask_phone),
	    T(test_company_add_get),
	    T(test_fields_trimmed),
	    T(test_company_add_refused),
	    T(test_company_change_close),
	    T(test_company_filters),
	    T(test_institutions),
	    T(test_projects),
	    T(test_import_companies),
	    T(test_import_company_errors),
	    T(test_import_gbk),
	    T(test_import_projects),
	    T(test_json),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
