/*
 * contract_org.c - the storage contract of organisations and projects
 * (store_org.h): the rows a new database is seeded with, round trips with
 * the names the store resolves (districts, builders, supervisors), codes
 * and names already taken and references to rows that do not exist
 * refused as input errors, updates, and the filters of the walks.
 */
#include "contract.h"

#include "uscc.h"
#include "../testdata.h"

static const char *const districts[] = {
    "云岩区",
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
    "综保区",
};

#define MISSING 987654 /* an id no row has */

struct org_walk {
	int64_t id[32];
	size_t n;
	int stop;
};

static int walk_org(void *arg, const struct org *o)
{
	struct org_walk *w = arg;

	if (w->n < COUNT(w->id))
		w->id[w->n] = o->id;
	w->n++;
	return w->stop;
}

static int walk_project(void *arg, const struct project *p)
{
	struct org_walk *w = arg;

	if (w->n < COUNT(w->id))
		w->id[w->n] = p->id;
	w->n++;
	return w->stop;
}

static void assert_org(const struct org *got, const struct org *want)
{
	assert_int_equal(got->id, want->id);
	assert_int_equal(got->kind, want->kind);
	assert_string_equal(got->name, want->name);
	assert_string_equal(got->uscc, want->uscc);
	assert_int_equal(got->district, want->district);
	assert_string_equal(got->contact, want->contact);
	assert_string_equal(got->phone, want->phone);
	assert_int_equal(got->closed_at, want->closed_at);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
}

static void test_org_seeded(void **state)
{
	struct contract *c = *state;
	struct org_filter only_districts = {.kinds = 1u << ORG_DISTRICT, .include_closed = 1};
	struct org_walk walk = {.n = 0};
	struct org o;
	struct err err;

	CHECK(1, store_org_by_name(c->st, ORG_CITY, "市住建局", &o, clr(&err)));
	assert_int_equal(o.kind, ORG_CITY);
	assert_int_equal(o.district, 0);
	assert_string_equal(o.district_name, "");
	assert_int_equal(o.closed_at, 0);
	CHECK(1, store_org_by_name(c->st, ORG_OFFICE, "建管处", &o, clr(&err)));
	assert_int_equal(o.district, 0);
	CHECK(1, store_org_by_name(c->st, ORG_OFFICE, "安监站", &o, clr(&err)));
	assert_int_equal(o.kind, ORG_OFFICE);
	/* the 14 district units, each its own scope */
	for (size_t i = 0; i < COUNT(districts); i++) {
		CHECK(1, store_org_by_name(c->st, ORG_DISTRICT, districts[i], &o, clr(&err)));
		assert_int_equal(o.kind, ORG_DISTRICT);
		assert_int_equal(o.district, o.id);
		assert_string_equal(o.district_name, districts[i]);
		assert_string_equal(o.uscc, "");
	}
	CHECK(0, store_org_each(c->st, &only_districts, walk_org, &walk, clr(&err)));
	assert_int_equal(walk.n, COUNT(districts));
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_org_each(c->st, NULL, walk_org, &walk, clr(&err)));
	assert_int_equal(walk.n, COUNT(districts) + 3);
	/* a name under another kind is not the row */
	CHECK(0, store_org_by_name(c->st, ORG_OFFICE, "云岩区", &o, clr(&err)));
	CHECK(0, store_org_by_name(c->st, ORG_DISTRICT, "云岩区住建局", &o, clr(&err)));
}

static void test_org_round_trip(void **state)
{
	struct contract *c = *state;
	int64_t yunyan = contract_district(c->st, "云岩区");
	struct org builder, inst, out;
	struct store *other;
	struct err err;

	memset(&builder, 0, sizeof(builder));
	builder.kind = ORG_BUILDER;
	snprintf(builder.name, sizeof(builder.name), "贵州建工集团第一建筑工程有限责任公司");
	test_uscc("91520103MA6TXT001", builder.uscc);
	builder.district = yunyan;
	snprintf(builder.contact, sizeof(builder.contact), "李工");
	snprintf(builder.phone, sizeof(builder.phone), "13800005678");
	builder.created_at = NOW;
	builder.updated_at = NOW + 1;
	CHECK(0, store_org_insert(c->st, &builder, clr(&err)));
	assert_true(builder.id > 0);

	memset(&inst, 0, sizeof(inst));
	inst.kind = ORG_INSTITUTION;
	snprintf(inst.name, sizeof(inst.name), "贵州省建设职业培训中心");
	inst.created_at = inst.updated_at = NOW;
	CHECK(0, store_org_insert(c->st, &inst, clr(&err)));
	assert_true(inst.id > 0 && inst.id != builder.id);

	other = contract_open_keyed(c, 0);
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_org_get(other, builder.id, &out, clr(&err)));
	assert_org(&out, &builder);
	assert_string_equal(out.district_name, "云岩区");
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_org_by_uscc(other, builder.uscc, &out, clr(&err)));
	assert_org(&out, &builder);
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_org_by_name(other, ORG_INSTITUTION, inst.name, &out, clr(&err)));
	assert_org(&out, &inst);
	assert_string_equal(out.district_name, "");
	store_close(other);

	/* absent */
	CHECK(0, store_org_get(c->st, MISSING, &out, clr(&err)));
	CHECK(0, store_org_get(c->st, 0, &out, clr(&err)));
	CHECK(0, store_org_by_uscc(c->st, "91520103MA6TXT0099", &out, clr(&err)));
	CHECK(0, store_org_by_uscc(c->st, "", &out, clr(&err)));
	CHECK(0, store_org_by_name(c->st, ORG_INSTITUTION, "贵州省建设职业培训", &out, clr(&err)));
	/* a company is known by its code, not by name */
	CHECK(0, store_org_by_name(c->st, ORG_BUILDER, builder.name, &out, clr(&err)));
}

static void test_org_constraints(void **state)
{
	struct contract *c = *state;
	int64_t yunyan = contract_district(c->st, "云岩区");
	int64_t builder =
	    contract_company(c->st, ORG_BUILDER, "91520103MA6TXT001", "甲建筑公司", yunyan);
	struct org o, out;
	struct org_walk walk = {.n = 0};
	struct err err;

	(void)builder;
	/* a credit code already taken, under either company kind */
	memset(&o, 0, sizeof(o));
	o.kind = ORG_SUPERVISOR;
	snprintf(o.name, sizeof(o.name), "乙监理公司");
	test_uscc("91520103MA6TXT001", o.uscc);
	o.district = yunyan;
	o.created_at = o.updated_at = NOW;
	REFUSED(ERR_INPUT, store_org_insert(c->st, &o, clr(&err)));
	o.kind = ORG_BUILDER;
	REFUSED(ERR_INPUT, store_org_insert(c->st, &o, clr(&err)));
	/* a district that does not exist */
	test_uscc("91520103MA6TXT002", o.uscc);
	o.district = MISSING;
	REFUSED(ERR_INPUT, store_org_insert(c->st, &o, clr(&err)));
	CHECK(0, store_org_by_uscc(c->st, o.uscc, &out, clr(&err)));

	/* a name without a code, already taken by the same kind */
	memset(&o, 0, sizeof(o));
	o.kind = ORG_INSTITUTION;
	snprintf(o.name, sizeof(o.name), "贵阳市安全培训中心");
	o.created_at = o.updated_at = NOW;
	CHECK(0, store_org_insert(c->st, &o, clr(&err)));
	o.id = 0;
	o.district = yunyan;
	REFUSED(ERR_INPUT, store_org_insert(c->st, &o, clr(&err)));
	o.kind = ORG_DISTRICT;
	snprintf(o.name, sizeof(o.name), "南明区");
	REFUSED(ERR_INPUT, store_org_insert(c->st, &o, clr(&err)));

	/* nothing of the refused rows was written */
	CHECK(0, store_org_each(c->st, NULL, walk_org, &walk, clr(&err)));
	assert_int_equal(walk.n, COUNT(districts) + 3 + 2);
}

static void test_org_update(void **state)
{
	struct contract *c = *state;
	int64_t yunyan = contract_district(c->st, "云岩区");
	int64_t nanming = contract_district(c->st, "南明区");
	int64_t a = contract_company(c->st, ORG_BUILDER, "91520103MA6TXT001", "甲建筑公司", yunyan);
	int64_t b =
	    contract_company(c->st, ORG_SUPERVISOR, "91520102MA6TXT002", "乙监理公司", nanming);
	struct org before, o, out;
	struct err err;

	CHECK(1, store_org_get(c->st, a, &before, clr(&err)));
	o = before;
	snprintf(o.name, sizeof(o.name), "甲建筑工程有限公司");
	o.district = nanming;
	snprintf(o.contact, sizeof(o.contact), "赵六");
	snprintf(o.phone, sizeof(o.phone), "0851-1234567");
	o.closed_at = NOW + 100;
	o.updated_at = NOW + 100;
	/* kind and created_at are not changed by an update */
	o.kind = ORG_INSTITUTION;
	o.created_at = 1;
	CHECK(0, store_org_update(c->st, &o, clr(&err)));
	CHECK(1, store_org_get(c->st, a, &out, clr(&err)));
	o.kind = before.kind;
	o.created_at = before.created_at;
	assert_org(&out, &o);
	assert_string_equal(out.district_name, "南明区");

	/* a code already taken, a district that does not exist: refused, row as it was */
	o = out;
	CHECK(1, store_org_get(c->st, b, &before, clr(&err)));
	snprintf(o.uscc, sizeof(o.uscc), "%s", before.uscc);
	REFUSED(ERR_INPUT, store_org_update(c->st, &o, clr(&err)));
	o = out;
	o.district = MISSING;
	REFUSED(ERR_INPUT, store_org_update(c->st, &o, clr(&err)));
	CHECK(1, store_org_get(c->st, a, &o, clr(&err)));
	assert_org(&o, &out);

	/* an id no row has */
	o.id = MISSING;
	REFUSED(ERR_SYSTEM, store_org_update(c->st, &o, clr(&err)));
	CHECK(0, store_org_get(c->st, MISSING, &o, clr(&err)));
}

static void test_org_each(void **state)
{
	struct contract *c = *state;
	int64_t yunyan = contract_district(c->st, "云岩区");
	int64_t nanming = contract_district(c->st, "南明区");
	int64_t a = contract_company(c->st, ORG_BUILDER, "91520103MA6TXT001", "甲建筑公司", yunyan);
	int64_t b =
	    contract_company(c->st, ORG_SUPERVISOR, "91520102MA6TXT002", "乙监理公司", nanming);
	int64_t d = contract_company(c->st, ORG_BUILDER, "91520103MA6TXT003", "丁建筑公司", yunyan);
	struct org_filter f;
	struct org_walk walk;
	struct org o;
	struct err err;

	CHECK(1, store_org_get(c->st, d, &o, clr(&err)));
	o.closed_at = NOW + 5;
	CHECK(0, store_org_update(c->st, &o, clr(&err)));

	/* companies, closed ones too, oldest first */
	memset(&f, 0, sizeof(f));
	f.kinds = 1u << ORG_BUILDER | 1u << ORG_SUPERVISOR;
	f.include_closed = 1;
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_org_each(c->st, &f, walk_org, &walk, clr(&err)));
	assert_int_equal(walk.n, 3);
	assert_int_equal(walk.id[0], a);
	assert_int_equal(walk.id[1], b);
	assert_int_equal(walk.id[2], d);
	/* open builders only */
	f.kinds = 1u << ORG_BUILDER;
	f.include_closed = 0;
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_org_each(c->st, &f, walk_org, &walk, clr(&err)));
	assert_int_equal(walk.n, 1);
	assert_int_equal(walk.id[0], a);
	/* one district's scope: the unit itself and what is filed under it */
	memset(&f, 0, sizeof(f));
	f.district = yunyan;
	f.include_closed = 1;
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_org_each(c->st, &f, walk_org, &walk, clr(&err)));
	assert_int_equal(walk.n, 3);
	assert_int_equal(walk.id[0], yunyan);
	assert_int_equal(walk.id[1], a);
	assert_int_equal(walk.id[2], d);
	/* a non-zero answer stops the walk and is returned */
	memset(&walk, 0, sizeof(walk));
	walk.stop = 3;
	CHECK(3, store_org_each(c->st, NULL, walk_org, &walk, clr(&err)));
	assert_int_equal(walk.n, 1);
}

/* ---- projects ------------------------------------------------------------- */

struct companies {
	int64_t yunyan, guanshanhu, builder, builder2, supervisor;
};

static struct companies companies(struct store *st)
{
	struct companies k;

	k.yunyan = contract_district(st, "云岩区");
	k.guanshanhu = contract_district(st, "观山湖区");
	k.builder = contract_company(st, ORG_BUILDER, "91520103MA6TXT001", "甲建筑公司", k.yunyan);
	k.builder2 =
	    contract_company(st, ORG_BUILDER, "91520115MA6TXT003", "丙建筑公司", k.guanshanhu);
	k.supervisor =
	    contract_company(st, ORG_SUPERVISOR, "91520102MA6TXT002", "乙监理公司", k.yunyan);
	return k;
}

static void assert_project(const struct project *got, const struct project *want)
{
	assert_int_equal(got->id, want->id);
	assert_string_equal(got->name, want->name);
	assert_int_equal(got->district, want->district);
	assert_string_equal(got->address, want->address);
	assert_int_equal(got->builder, want->builder);
	assert_int_equal(got->supervisor, want->supervisor);
	assert_int_equal(got->start_on, want->start_on);
	assert_int_equal(got->end_on, want->end_on);
	assert_int_equal(got->state, want->state);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
}

static void test_project_round_trip(void **state)
{
	struct contract *c = *state;
	struct companies k = companies(c->st);
	struct project p, bare, out;
	struct org o;
	struct err err;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "观山湖区某小区一期");
	p.district = k.guanshanhu;
	snprintf(p.address, sizeof(p.address), "观山湖区长岭北路88号");
	p.builder = k.builder;
	p.supervisor = k.supervisor;
	p.start_on = D(2025, 3, 1);
	p.end_on = D(2026, 6, 30);
	p.state = PROJECT_ACTIVE;
	p.created_at = NOW;
	p.updated_at = NOW + 2;
	CHECK(0, store_project_insert(c->st, &p, clr(&err)));
	assert_true(p.id > 0);

	memset(&bare, 0, sizeof(bare));
	snprintf(bare.name, sizeof(bare.name), "云岩区某学校改造");
	bare.district = k.yunyan;
	bare.builder = k.builder;
	bare.start_on = DATE_NONE;
	bare.end_on = DATE_NONE;
	bare.state = PROJECT_PLANNED;
	bare.created_at = bare.updated_at = NOW;
	CHECK(0, store_project_insert(c->st, &bare, clr(&err)));
	assert_true(bare.id > 0 && bare.id != p.id);

	/* every field back, with the names the store resolves */
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_project_get(c->st, p.id, &out, clr(&err)));
	assert_project(&out, &p);
	assert_string_equal(out.district_name, "观山湖区");
	CHECK(1, store_org_get(c->st, k.builder, &o, clr(&err)));
	assert_string_equal(out.builder_uscc, o.uscc);
	assert_string_equal(out.builder_name, "甲建筑公司");
	CHECK(1, store_org_get(c->st, k.supervisor, &o, clr(&err)));
	assert_string_equal(out.supervisor_uscc, o.uscc);
	assert_string_equal(out.supervisor_name, "乙监理公司");
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_project_by_name(c->st, k.builder, bare.name, &out, clr(&err)));
	assert_project(&out, &bare);
	assert_string_equal(out.address, "");
	assert_string_equal(out.supervisor_uscc, "");
	assert_string_equal(out.supervisor_name, "");

	/* absent */
	CHECK(0, store_project_get(c->st, MISSING, &out, clr(&err)));
	CHECK(0, store_project_by_name(c->st, k.builder2, p.name, &out, clr(&err)));
	CHECK(0, store_project_by_name(c->st, k.builder, "观山湖区某小区", &out, clr(&err)));
}

static void test_project_constraints(void **state)
{
	struct contract *c = *state;
	struct companies k = companies(c->st);
	int64_t first = contract_project(c->st, "一号楼", k.yunyan, k.builder, 0, PROJECT_ACTIVE);
	struct project p, out;
	struct org_walk walk = {.n = 0};
	struct err err;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "一号楼");
	p.district = k.guanshanhu;
	p.builder = k.builder;
	p.start_on = p.end_on = DATE_NONE;
	p.state = PROJECT_PLANNED;
	p.created_at = p.updated_at = NOW;
	/* the same builder's name twice */
	REFUSED(ERR_INPUT, store_project_insert(c->st, &p, clr(&err)));
	/* rows that do not exist: builder, district, supervisor */
	p.builder = MISSING;
	snprintf(p.name, sizeof(p.name), "二号楼");
	REFUSED(ERR_INPUT, store_project_insert(c->st, &p, clr(&err)));
	p.builder = k.builder;
	p.district = MISSING;
	REFUSED(ERR_INPUT, store_project_insert(c->st, &p, clr(&err)));
	p.district = k.yunyan;
	p.supervisor = MISSING;
	REFUSED(ERR_INPUT, store_project_insert(c->st, &p, clr(&err)));
	CHECK(0, store_project_by_name(c->st, k.builder, "二号楼", &out, clr(&err)));
	/* the name under another builder is another project */
	p.supervisor = 0;
	p.builder = k.builder2;
	snprintf(p.name, sizeof(p.name), "一号楼");
	CHECK(0, store_project_insert(c->st, &p, clr(&err)));
	assert_true(p.id != first);

	CHECK(0, store_project_each(c->st, NULL, walk_project, &walk, clr(&err)));
	assert_int_equal(walk.n, 2);
}

static void test_project_update(void **state)
{
	struct contract *c = *state;
	struct companies k = companies(c->st);
	int64_t id = contract_project(c->st, "一号楼", k.yunyan, k.builder, 0, PROJECT_PLANNED);
	int64_t id2 = contract_project(c->st, "二号楼", k.yunyan, k.builder, 0, PROJECT_ACTIVE);
	struct project p, out, saved;
	struct err err;

	CHECK(1, store_project_get(c->st, id, &p, clr(&err)));
	snprintf(p.name, sizeof(p.name), "一号楼（改）");
	p.district = k.guanshanhu;
	snprintf(p.address, sizeof(p.address), "观山湖区林城西路1号");
	p.builder = k.builder2;
	p.supervisor = k.supervisor;
	p.start_on = D(2025, 4, 1);
	p.end_on = D(2027, 1, 1);
	p.state = PROJECT_SUSPENDED;
	p.updated_at = NOW + 50;
	CHECK(0, store_project_update(c->st, &p, clr(&err)));
	CHECK(1, store_project_get(c->st, id, &out, clr(&err)));
	assert_project(&out, &p);
	assert_string_equal(out.builder_name, "丙建筑公司");
	assert_string_equal(out.supervisor_name, "乙监理公司");
	assert_string_equal(out.district_name, "观山湖区");
	/* clearing the supervisor and the dates */
	p.supervisor = 0;
	p.start_on = p.end_on = DATE_NONE;
	CHECK(0, store_project_update(c->st, &p, clr(&err)));
	CHECK(1, store_project_get(c->st, id, &out, clr(&err)));
	assert_project(&out, &p);
	assert_string_equal(out.supervisor_name, "");
	saved = out;

	/* a name the builder already uses, a builder that does not exist */
	CHECK(1, store_project_get(c->st, id2, &p, clr(&err)));
	p.builder = k.builder2;
	snprintf(p.name, sizeof(p.name), "一号楼（改）");
	REFUSED(ERR_INPUT, store_project_update(c->st, &p, clr(&err)));
	CHECK(1, store_project_get(c->st, id2, &p, clr(&err)));
	p.builder = MISSING;
	REFUSED(ERR_INPUT, store_project_update(c->st, &p, clr(&err)));
	CHECK(1, store_project_get(c->st, id2, &out, clr(&err)));
	assert_int_equal(out.builder, k.builder);
	assert_string_equal(out.name, "二号楼");
	CHECK(1, store_project_get(c->st, id, &out, clr(&err)));
	assert_project(&out, &saved);

	/* an id no row has */
	p.id = MISSING;
	p.builder = k.builder;
	REFUSED(ERR_SYSTEM, store_project_update(c->st, &p, clr(&err)));
	CHECK(0, store_project_get(c->st, MISSING, &out, clr(&err)));
}

static void test_project_each(void **state)
{
	struct contract *c = *state;
	struct companies k = companies(c->st);
	int64_t p1 =
	    contract_project(c->st, "一号楼", k.yunyan, k.builder, k.supervisor, PROJECT_ACTIVE);
	int64_t p2 = contract_project(c->st, "二号楼", k.guanshanhu, k.builder2, 0, PROJECT_ACTIVE);
	int64_t p3 =
	    contract_project(c->st, "三号楼", k.yunyan, k.builder2, k.supervisor, PROJECT_CLOSED);
	int64_t p4 = contract_project(c->st, "四号楼", k.yunyan, k.builder, 0, PROJECT_COMPLETED);
	struct project_filter f;
	struct org_walk walk;
	struct err err;

	/* every project, oldest first */
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_project_each(c->st, NULL, walk_project, &walk, clr(&err)));
	assert_int_equal(walk.n, 4);
	assert_int_equal(walk.id[0], p1);
	assert_int_equal(walk.id[1], p2);
	assert_int_equal(walk.id[2], p3);
	assert_int_equal(walk.id[3], p4);
	/* one district, closed ones left out */
	memset(&f, 0, sizeof(f));
	f.district = k.yunyan;
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_project_each(c->st, &f, walk_project, &walk, clr(&err)));
	assert_int_equal(walk.n, 2);
	assert_int_equal(walk.id[0], p1);
	assert_int_equal(walk.id[1], p4);
	/* a company: as builder or as supervisor */
	memset(&f, 0, sizeof(f));
	f.company = k.supervisor;
	f.include_closed = 1;
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_project_each(c->st, &f, walk_project, &walk, clr(&err)));
	assert_int_equal(walk.n, 2);
	assert_int_equal(walk.id[0], p1);
	assert_int_equal(walk.id[1], p3);
	f.company = k.builder2;
	f.include_closed = 0;
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_project_each(c->st, &f, walk_project, &walk, clr(&err)));
	assert_int_equal(walk.n, 1);
	assert_int_equal(walk.id[0], p2);
	/* a non-zero answer stops the walk and is returned */
	memset(&walk, 0, sizeof(walk));
	walk.stop = 4;
	CHECK(4, store_project_each(c->st, NULL, walk_project, &walk, clr(&err)));
	assert_int_equal(walk.n, 1);
}

static const struct CMUnitTest tests[] = {
    CONTRACT_CASE(test_org_seeded),
    CONTRACT_CASE(test_org_round_trip),
    CONTRACT_CASE(test_org_constraints),
    CONTRACT_CASE(test_org_update),
    CONTRACT_CASE(test_org_each),
    CONTRACT_CASE(test_project_round_trip),
    CONTRACT_CASE(test_project_constraints),
    CONTRACT_CASE(test_project_update),
    CONTRACT_CASE(test_project_each),
};

int contract_run_org(void)
{
	return cmocka_run_group_tests_name("org", tests, NULL, NULL);
}
