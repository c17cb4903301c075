/*
 * contract_trail.c - the storage contract of the audit trail
 * (store_trail.h): the head of an empty and a written trail, entries read
 * back field by field, a sequence number written once, the walk's filters
 * and order, and the anchor hint.  The table's refusal of changes and
 * deletions has no function in the interface to try it through.
 */
#include "contract.h"

#include <limits.h>
#include <stdlib.h>

static struct store_trail_entry *entry(int64_t seq, int64_t at, const char *login,
                                       const char *detail)
{
	struct store_trail_entry *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	e->seq = seq;
	e->at = at;
	snprintf(e->login, sizeof(e->login), "%s", login);
	snprintf(e->role, sizeof(e->role), "%s", login[0] ? "city_admin" : "cli");
	snprintf(e->addr, sizeof(e->addr), "%s", login[0] ? "2001:db8::7" : "");
	snprintf(e->action, sizeof(e->action), "company.add");
	snprintf(e->object, sizeof(e->object), "company/91520103MA6TXT00%lld", (long long)seq);
	if (detail) {
		e->has_detail = 1;
		snprintf(e->detail, sizeof(e->detail), "%s", detail);
	}
	contract_bytes(e->prev, (uint8_t)(seq - 1));
	contract_bytes(e->hash, (uint8_t)seq);
	return e;
}

static void assert_entry(const struct store_trail_entry *got, const struct store_trail_entry *want)
{
	assert_int_equal(got->seq, want->seq);
	assert_int_equal(got->at, want->at);
	assert_string_equal(got->login, want->login);
	assert_string_equal(got->role, want->role);
	assert_string_equal(got->addr, want->addr);
	assert_string_equal(got->action, want->action);
	assert_string_equal(got->object, want->object);
	assert_int_equal(got->has_detail, want->has_detail);
	assert_string_equal(got->detail, want->detail);
	assert_memory_equal(got->prev, want->prev, TRAIL_HASH_LEN);
	assert_memory_equal(got->hash, want->hash, TRAIL_HASH_LEN);
	assert_int_equal(got->bad_blob, 0);
}

static void test_trail_round_trip(void **state)
{
	struct contract *c = *state;
	struct store_trail_entry *in[3], *out = calloc(1, sizeof(*out)), *dup;
	uint8_t hash[TRAIL_HASH_LEN];
	int64_t seq = -1;
	struct store *other;
	struct err err;

	assert_non_null(out);
	in[0] = entry(1, NOW, "", NULL);
	in[1] = entry(2, NOW + 1, "admin",
	              "{\"after\":{\"name\":\"甲建筑公司\",\"phone\":\"138****5678\"}}");
	in[2] = entry(3, NOW + 1, "admin", "");
	CHECK(0, store_trail_head(c->st, &seq, hash, clr(&err)));
	CHECK(0, store_trail_get(c->st, 1, out, clr(&err)));
	for (size_t i = 0; i < COUNT(in); i++)
		CHECK(0, store_trail_append(c->st, in[i], clr(&err)));

	other = contract_open_keyed(c, STORE_READONLY);
	CHECK(1, store_trail_head(other, &seq, hash, clr(&err)));
	assert_int_equal(seq, 3);
	assert_memory_equal(hash, in[2]->hash, TRAIL_HASH_LEN);
	for (size_t i = 0; i < COUNT(in); i++) {
		memset(out, 0x5a, sizeof(*out));
		CHECK(1, store_trail_get(other, in[i]->seq, out, clr(&err)));
		assert_entry(out, in[i]);
	}
	store_close(other);
	CHECK(0, store_trail_get(c->st, 4, out, clr(&err)));
	CHECK(0, store_trail_get(c->st, 0, out, clr(&err)));

	/* a sequence number is written once */
	dup = entry(2, NOW + 9, "intruder", "{}");
	REFUSED(ERR_INPUT, store_trail_append(c->st, dup, clr(&err)));
	CHECK(1, store_trail_get(c->st, 2, out, clr(&err)));
	assert_entry(out, in[1]);
	CHECK(1, store_trail_head(c->st, &seq, hash, clr(&err)));
	assert_int_equal(seq, 3);

	for (size_t i = 0; i < COUNT(in); i++)
		free(in[i]);
	free(dup);
	free(out);
}

struct trail_walk {
	int64_t seq[8];
	size_t n;
	int stop;
};

static int walk_trail(void *arg, const struct store_trail_entry *e)
{
	struct trail_walk *w = arg;

	if (w->n < COUNT(w->seq))
		w->seq[w->n] = e->seq;
	w->n++;
	return w->stop;
}

static void assert_walk(struct store *st, const struct store_trail_filter *f, const int64_t *want,
                        size_t n)
{
	struct trail_walk w = {.n = 0};
	struct err err;

	CHECK(0, store_trail_each(st, f, walk_trail, &w, clr(&err)));
	assert_int_equal(w.n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(w.seq[i], want[i]);
}

static void test_trail_each(void **state)
{
	struct contract *c = *state;
	static const char *const logins[] = {"", "admin", "li.si", "admin", "li.si", "admin"};
	static const int64_t all[] = {1, 2, 3, 4, 5, 6}, admin[] = {2, 4, 6}, admin_late[] = {4, 6};
	static const int64_t from4[] = {4, 5, 6}, late[] = {3, 4, 5, 6}, lisi_from5[] = {5};
	struct store_trail_filter f;
	struct trail_walk w = {.n = 0};
	struct err err;

	assert_walk(c->st, NULL, NULL, 0);
	/* entries appended out of time order stay in seq order */
	for (size_t i = 0; i < COUNT(logins); i++) {
		struct store_trail_entry *e =
		    entry((int64_t)i + 1, NOW + (i == 1 ? 50 : 10 * (int64_t)i), logins[i], NULL);

		CHECK(0, store_trail_append(c->st, e, clr(&err)));
		free(e);
	}
	assert_walk(c->st, NULL, all, COUNT(all));
	memset(&f, 0, sizeof(f));
	f.since = INT64_MIN;
	assert_walk(c->st, &f, all, COUNT(all));
	f.login = "admin";
	assert_walk(c->st, &f, admin, COUNT(admin));
	/* at or after a time: entry 2 (at NOW + 50) is later than 3, 4 and 5 */
	f.since = NOW + 50;
	assert_walk(c->st, &f, (const int64_t[]){2, 6}, 2);
	f.login = NULL;
	f.since = NOW + 20;
	assert_walk(c->st, &f, (const int64_t[]){2, 3, 4, 5, 6}, 5);
	f.since = NOW + 20;
	f.from_seq = 3;
	assert_walk(c->st, &f, late, COUNT(late));
	f.since = INT64_MIN;
	f.from_seq = 4;
	assert_walk(c->st, &f, from4, COUNT(from4));
	f.login = "admin";
	assert_walk(c->st, &f, admin_late, COUNT(admin_late));
	f.login = "li.si";
	f.from_seq = 5;
	assert_walk(c->st, &f, lisi_from5, COUNT(lisi_from5));
	f.login = "nobody";
	f.from_seq = 0;
	assert_walk(c->st, &f, NULL, 0);
	f.login = NULL;
	f.from_seq = 7;
	assert_walk(c->st, &f, NULL, 0);
	/* a non-zero answer stops the walk and is returned */
	w.stop = 6;
	CHECK(6, store_trail_each(c->st, NULL, walk_trail, &w, clr(&err)));
	assert_int_equal(w.n, 1);
}

static void test_trail_anchor(void **state)
{
	struct contract *c = *state;
	int64_t log_index = -5;
	struct err err;

	CHECK(0, store_trail_anchor_get(c->st, &log_index, clr(&err)));
	CHECK(0, store_trail_anchor_set(c->st, 41, clr(&err)));
	CHECK(1, store_trail_anchor_get(c->st, &log_index, clr(&err)));
	assert_int_equal(log_index, 41);
	CHECK(0, store_trail_anchor_set(c->st, 7, clr(&err)));
	CHECK(1, store_trail_anchor_get(c->st, &log_index, clr(&err)));
	assert_int_equal(log_index, 7);
	CHECK(0, store_trail_anchor_set(c->st, 0, clr(&err)));
	CHECK(1, store_trail_anchor_get(c->st, &log_index, clr(&err)));
	assert_int_equal(log_index, 0);
}

static const struct CMUnitTest tests[] = {
    CONTRACT_CASE(test_trail_round_trip),
    CONTRACT_CASE(test_trail_each),
    CONTRACT_CASE(test_trail_anchor),
};

int contract_run_trail(void)
{
	return cmocka_run_group_tests_name("trail", tests, NULL, NULL);
}
