/*
 * contract_worker.c - the storage contract of workers registered on
 * projects (store_worker.h): registrations read back with their ID number
 * and personal certificate number opened, the active registration found,
 * one active registration per project, person and number, projects that
 * do not exist refused as input errors, removal, the walks, and the two
 * questions the full-ID rule and duplicate use ask (vouched, elsewhere).
 */
#include "contract.h"

#include "verdict.h"

#define MISSING 987654 /* an id no row has */

#define ID_ZHANG  "52010219850312001X"
#define ID_AYI    "520102198503120028"
#define ID_WANG   "520103199001010030"
#define NUM_ZHANG "黔A012018000001"
#define NUM_AYI   "T520102198503120028"

struct site {
	int64_t yunyan, guanshanhu, builder, builder2;
	int64_t p1, p2, done; /* running in 云岩区, running in 观山湖区, completed */
};

/* Two builders, three projects, the two certificates of contract.c in the register. */
static struct site site(struct store *st)
{
	struct cert zhang = contract_construction(NUM_ZHANG), ayi = contract_emergency();
	struct site s;
	struct err err;

	s.yunyan = contract_district(st, "云岩区");
	s.guanshanhu = contract_district(st, "观山湖区");
	s.builder = contract_company(st, ORG_BUILDER, "91520103MA6TXT001", "甲建筑公司", s.yunyan);
	s.builder2 =
	    contract_company(st, ORG_BUILDER, "91520115MA6TXT003", "丙建筑公司", s.guanshanhu);
	s.p1 = contract_project(st, "一号楼", s.yunyan, s.builder, 0, PROJECT_ACTIVE);
	s.p2 = contract_project(st, "二号楼", s.guanshanhu, s.builder2, 0, PROJECT_PLANNED);
	s.done = contract_project(st, "三号楼", s.yunyan, s.builder, 0, PROJECT_COMPLETED);
	CHECK(0, store_cert_insert(st, &zhang, clr(&err)));
	CHECK(0, store_cert_insert(st, &ayi, clr(&err)));
	return s;
}

static struct worker worker_row(int64_t project, const char *number, const char *name,
                                const char *id, enum gender g, const char *post,
                                verdict_mask findings)
{
	struct worker w;

	memset(&w, 0, sizeof(w));
	w.project = project;
	snprintf(w.number, sizeof(w.number), "%s", number);
	snprintf(w.name, sizeof(w.name), "%s", name);
	snprintf(w.id_number, sizeof(w.id_number), "%s", id);
	w.gender = g;
	snprintf(w.post, sizeof(w.post), "%s", post);
	w.findings = findings;
	w.checked_on = D(2025, 5, 1);
	w.added_at = NOW;
	return w;
}

static int64_t add(struct store *st, struct worker *w)
{
	struct err err;

	CHECK(0, store_worker_insert(st, w, clr(&err)));
	assert_true(w->id > 0);
	return w->id;
}

static void assert_worker(const struct worker *got, const struct worker *want)
{
	assert_int_equal(got->id, want->id);
	assert_int_equal(got->project, want->project);
	assert_string_equal(got->number, want->number);
	assert_string_equal(got->name, want->name);
	assert_string_equal(got->id_number, want->id_number);
	assert_int_equal(got->gender, want->gender);
	assert_string_equal(got->post, want->post);
	assert_int_equal(got->findings, want->findings);
	assert_int_equal(got->verdict, verdict_of(want->findings));
	assert_int_equal(got->checked_on, want->checked_on);
	assert_int_equal(got->added_at, want->added_at);
	assert_int_equal(got->removed_at, want->removed_at);
}

static void test_worker_round_trip(void **state)
{
	struct contract *c = *state;
	struct site s = site(c->st);
	struct worker w[3] = {
	    worker_row(s.p1, NUM_ZHANG, "张三", ID_ZHANG, GENDER_MALE, "架子工", 0),
	    worker_row(s.p1, NUM_AYI, "阿依古丽·买买提", ID_AYI, GENDER_FEMALE, "电工",
	               1u << V_DUPLICATE_USE),
	    worker_row(s.p1, "", "王五", ID_WANG, GENDER_NONE, "", 1u << V_UNCERTIFIED),
	};
	struct worker out;
	struct store *other;
	int64_t id = -1;
	struct err err;

	for (size_t i = 0; i < COUNT(w); i++)
		add(c->st, &w[i]);
	other = contract_open_keyed(c, STORE_READONLY);
	for (size_t i = 0; i < COUNT(w); i++) {
		memset(&out, 0x5a, sizeof(out));
		CHECK(1, store_worker_get(other, w[i].id, &out, clr(&err)));
		assert_worker(&out, &w[i]);
	}
	store_close(other);
	CHECK(0, store_worker_get(c->st, MISSING, &out, clr(&err)));

	/* the active registration: project, person and number together */
	CHECK(1, store_worker_active(c->st, s.p1, ID_ZHANG, NUM_ZHANG, &id, clr(&err)));
	assert_int_equal(id, w[0].id);
	CHECK(1, store_worker_active(c->st, s.p1, ID_AYI, NUM_AYI, &id, clr(&err)));
	assert_int_equal(id, w[1].id);
	CHECK(1, store_worker_active(c->st, s.p1, ID_WANG, "", &id, clr(&err)));
	assert_int_equal(id, w[2].id);
	CHECK(0, store_worker_active(c->st, s.p1, ID_ZHANG, "", &id, clr(&err)));
	CHECK(0, store_worker_active(c->st, s.p1, ID_WANG, NUM_ZHANG, &id, clr(&err)));
	CHECK(0, store_worker_active(c->st, s.p2, ID_ZHANG, NUM_ZHANG, &id, clr(&err)));
	CHECK(0, store_worker_active(c->st, s.p1, ID_ZHANG, "黔A012018000002", &id, clr(&err)));
}

static void test_worker_constraints(void **state)
{
	struct contract *c = *state;
	struct site s = site(c->st);
	struct worker w = worker_row(s.p1, NUM_ZHANG, "张三", ID_ZHANG, GENDER_MALE, "架子工", 0);
	struct worker again, out;
	int64_t first = add(c->st, &w), id = -1;
	struct err err;

	/* the same person with the same number on the same project */
	again = worker_row(s.p1, NUM_ZHANG, "张叁", ID_ZHANG, GENDER_MALE, "电焊工", 0);
	REFUSED(ERR_INPUT, store_worker_insert(c->st, &again, clr(&err)));
	again = worker_row(s.p1, NUM_AYI, "阿依古丽·买买提", ID_AYI, GENDER_FEMALE, "电工", 0);
	add(c->st, &again);
	again.id = 0;
	REFUSED(ERR_INPUT, store_worker_insert(c->st, &again, clr(&err)));
	/* a project that does not exist */
	again = worker_row(MISSING, NUM_ZHANG, "张三", ID_ZHANG, GENDER_MALE, "架子工", 0);
	REFUSED(ERR_INPUT, store_worker_insert(c->st, &again, clr(&err)));
	/* the same person and number on another project, or with another number */
	again = worker_row(s.p2, NUM_ZHANG, "张三", ID_ZHANG, GENDER_MALE, "架子工", 0);
	add(c->st, &again);
	again = worker_row(s.p1, "", "张三", ID_ZHANG, GENDER_MALE, "普工", 0);
	add(c->st, &again);
	/* once removed, the person can be registered again */
	CHECK(1, store_worker_remove(c->st, first, NOW + 10, clr(&err)));
	again = worker_row(s.p1, NUM_ZHANG, "张三", ID_ZHANG, GENDER_MALE, "架子工", 0);
	add(c->st, &again);
	assert_true(again.id != first);
	CHECK(1, store_worker_active(c->st, s.p1, ID_ZHANG, NUM_ZHANG, &id, clr(&err)));
	assert_int_equal(id, again.id);
	CHECK(1, store_worker_get(c->st, first, &out, clr(&err)));
	assert_int_equal(out.removed_at, NOW + 10);
}

struct worker_walk {
	int64_t id[8];
	size_t n;
	int stop;
};

static int walk_worker(void *arg, const struct worker *w)
{
	struct worker_walk *k = arg;

	if (k->n < COUNT(k->id))
		k->id[k->n] = w->id;
	k->n++;
	return k->stop;
}

static void test_worker_remove_and_each(void **state)
{
	struct contract *c = *state;
	struct site s = site(c->st);
	struct worker w[3] = {
	    worker_row(s.p1, NUM_ZHANG, "张三", ID_ZHANG, GENDER_MALE, "架子工", 0),
	    worker_row(s.p1, NUM_AYI, "阿依古丽·买买提", ID_AYI, GENDER_FEMALE, "电工", 0),
	    worker_row(s.p1, "", "王五", ID_WANG, GENDER_MALE, "普工", 1u << V_UNCERTIFIED),
	};
	struct worker elsewhere = worker_row(s.p2, "", "赵六", "520103199001010057", GENDER_MALE,
	                                     "普工", 1u << V_UNCERTIFIED);
	struct worker_walk k;
	struct worker out;
	struct err err;

	for (size_t i = 0; i < COUNT(w); i++)
		add(c->st, &w[i]);
	add(c->st, &elsewhere);
	CHECK(1, store_worker_remove(c->st, w[1].id, NOW + 100, clr(&err)));
	CHECK(1, store_worker_get(c->st, w[1].id, &out, clr(&err)));
	w[1].removed_at = NOW + 100;
	assert_worker(&out, &w[1]);
	/* removed once: the time stays; nothing to remove is 0, not an error */
	CHECK(0, store_worker_remove(c->st, w[1].id, NOW + 200, clr(&err)));
	CHECK(1, store_worker_get(c->st, w[1].id, &out, clr(&err)));
	assert_int_equal(out.removed_at, NOW + 100);
	CHECK(0, store_worker_remove(c->st, MISSING, NOW, clr(&err)));

	/* a project's workers in registration order, with or without the removed */
	memset(&k, 0, sizeof(k));
	CHECK(0, store_worker_each(c->st, s.p1, 0, walk_worker, &k, clr(&err)));
	assert_int_equal(k.n, 2);
	assert_int_equal(k.id[0], w[0].id);
	assert_int_equal(k.id[1], w[2].id);
	memset(&k, 0, sizeof(k));
	CHECK(0, store_worker_each(c->st, s.p1, 1, walk_worker, &k, clr(&err)));
	assert_int_equal(k.n, 3);
	for (size_t i = 0; i < COUNT(w); i++)
		assert_int_equal(k.id[i], w[i].id);
	memset(&k, 0, sizeof(k));
	CHECK(0, store_worker_each(c->st, s.done, 1, walk_worker, &k, clr(&err)));
	assert_int_equal(k.n, 0);
	memset(&k, 0, sizeof(k));
	k.stop = 8;
	CHECK(8, store_worker_each(c->st, s.p1, 1, walk_worker, &k, clr(&err)));
	assert_int_equal(k.n, 1);
}

static void test_worker_vouched(void **state)
{
	struct contract *c = *state;
	struct site s = site(c->st);
	struct worker zhang =
	    worker_row(s.p1, NUM_ZHANG, "张三", ID_ZHANG, GENDER_MALE, "架子工", 0);
	struct worker ayi =
	    worker_row(s.p2, NUM_AYI, "阿依古丽·买买提", ID_AYI, GENDER_FEMALE, "电工", 0);
	struct worker other_id;
	struct err err;

	/* nobody registered the card yet */
	CHECK(0, store_worker_vouched(c->st, NUM_ZHANG, 0, 0, clr(&err)));
	/* a registration presenting another ID number vouches for nothing */
	other_id =
	    worker_row(s.p1, NUM_ZHANG, "张三", ID_WANG, GENDER_MALE, "架子工", 1u << V_MISMATCH);
	add(c->st, &other_id);
	CHECK(0, store_worker_vouched(c->st, NUM_ZHANG, 0, 0, clr(&err)));
	/* one on a completed project neither */
	zhang.project = s.done;
	add(c->st, &zhang);
	CHECK(0, store_worker_vouched(c->st, NUM_ZHANG, 0, 0, clr(&err)));
	/* the register's ID number on a running project: in that district, by that builder */
	zhang.project = s.p1;
	add(c->st, &zhang);
	CHECK(1, store_worker_vouched(c->st, NUM_ZHANG, 0, 0, clr(&err)));
	CHECK(1, store_worker_vouched(c->st, NUM_ZHANG, s.yunyan, 0, clr(&err)));
	CHECK(1, store_worker_vouched(c->st, NUM_ZHANG, s.yunyan, s.builder, clr(&err)));
	CHECK(0, store_worker_vouched(c->st, NUM_ZHANG, s.guanshanhu, 0, clr(&err)));
	CHECK(0, store_worker_vouched(c->st, NUM_ZHANG, 0, s.builder2, clr(&err)));
	/* a personal number, sealed in both tables */
	add(c->st, &ayi);
	CHECK(1, store_worker_vouched(c->st, NUM_AYI, s.guanshanhu, s.builder2, clr(&err)));
	CHECK(0, store_worker_vouched(c->st, NUM_AYI, s.yunyan, 0, clr(&err)));
	/* a number not in the register */
	CHECK(0, store_worker_vouched(c->st, "黔A012018000002", 0, 0, clr(&err)));
	/* the worker leaves */
	CHECK(1, store_worker_remove(c->st, zhang.id, NOW + 1, clr(&err)));
	CHECK(0, store_worker_vouched(c->st, NUM_ZHANG, 0, 0, clr(&err)));
}

static void test_worker_elsewhere(void **state)
{
	struct contract *c = *state;
	struct site s = site(c->st);
	struct worker zhang =
	    worker_row(s.p1, NUM_ZHANG, "张三", ID_ZHANG, GENDER_MALE, "架子工", 0);
	struct worker ayi =
	    worker_row(s.p2, NUM_AYI, "阿依古丽·买买提", ID_AYI, GENDER_FEMALE, "电工", 0);
	int64_t other = -1;
	struct err err;

	CHECK(0, store_worker_elsewhere(c->st, NUM_ZHANG, s.p2, &other, clr(&err)));
	add(c->st, &zhang);
	add(c->st, &ayi);
	CHECK(1, store_worker_elsewhere(c->st, NUM_ZHANG, s.p2, &other, clr(&err)));
	assert_int_equal(other, s.p1);
	CHECK(0, store_worker_elsewhere(c->st, NUM_ZHANG, s.p1, &other, clr(&err)));
	CHECK(1, store_worker_elsewhere(c->st, NUM_AYI, s.p1, &other, clr(&err)));
	assert_int_equal(other, s.p2);
	/* a completed project is not running: no duplicate use there */
	zhang.project = s.done;
	add(c->st, &zhang);
	CHECK(0, store_worker_elsewhere(c->st, NUM_ZHANG, s.p1, &other, clr(&err)));
	/* nor is a registration removed */
	CHECK(1, store_worker_remove(c->st, ayi.id, NOW + 1, clr(&err)));
	CHECK(0, store_worker_elsewhere(c->st, NUM_AYI, s.p1, &other, clr(&err)));
}

static const struct CMUnitTest tests[] = {
    CONTRACT_CASE(test_worker_round_trip),      CONTRACT_CASE(test_worker_constraints),
    CONTRACT_CASE(test_worker_remove_and_each), CONTRACT_CASE(test_worker_vouched),
    CONTRACT_CASE(test_worker_elsewhere),
};

int contract_run_worker(void)
{
	return cmocka_run_group_tests_name("worker", tests, NULL, NULL);
}
