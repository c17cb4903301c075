/*
 * contract_account.c - the storage contract of accounts, sessions and API
 * tokens (store_account.h): round trips with the organisation the store
 * resolves, logins and token hashes already taken and references to rows
 * that do not exist refused as input errors, updates, sessions touched,
 * ended and purged, tokens revoked once.
 */
#include "contract.h"

#define MISSING 987654 /* an id no row has */

struct id_walk {
	int64_t id[16];
	char login[16][64];
	size_t n;
	int stop;
};

static int walk_account(void *arg, const struct store_account *a)
{
	struct id_walk *w = arg;

	if (w->n < COUNT(w->id)) {
		w->id[w->n] = a->id;
		snprintf(w->login[w->n], sizeof(w->login[w->n]), "%s", a->login);
	}
	w->n++;
	return w->stop;
}

static int walk_token(void *arg, const struct store_api_token *t)
{
	struct id_walk *w = arg;

	if (w->n < COUNT(w->id)) {
		w->id[w->n] = t->id;
		snprintf(w->login[w->n], sizeof(w->login[w->n]), "%s", t->login);
	}
	w->n++;
	return w->stop;
}

static void assert_account(const struct store_account *got, const struct store_account *want)
{
	assert_int_equal(got->id, want->id);
	assert_string_equal(got->login, want->login);
	assert_string_equal(got->role, want->role);
	assert_int_equal(got->org, want->org);
	assert_string_equal(got->pwhash, want->pwhash);
	assert_int_equal(got->disabled, want->disabled);
	assert_int_equal(got->must_change, want->must_change);
	assert_int_equal(got->failures, want->failures);
	assert_int_equal(got->locked_until, want->locked_until);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->updated_at, want->updated_at);
	assert_int_equal(got->last_login, want->last_login);
}

static struct store_account account_row(const char *login, const char *role, int64_t org)
{
	struct store_account a;

	memset(&a, 0, sizeof(a));
	snprintf(a.login, sizeof(a.login), "%s", login);
	snprintf(a.role, sizeof(a.role), "%s", role);
	a.org = org;
	snprintf(a.pwhash, sizeof(a.pwhash), "$argon2id$v=19$m=65536,t=2,p=1$%s$aGFzaGhhc2g",
	         login);
	a.must_change = 1;
	a.failures = 2;
	a.locked_until = NOW + 900;
	a.created_at = NOW;
	a.updated_at = NOW + 1;
	a.last_login = NOW - 3600;
	return a;
}

static void test_account_round_trip(void **state)
{
	struct contract *c = *state;
	int64_t yunyan = contract_district(c->st, "云岩区");
	int64_t builder =
	    contract_company(c->st, ORG_BUILDER, "91520103MA6TXT001", "甲建筑公司", yunyan);
	struct store_account a = account_row("jia.jianzhu", "company_user", builder);
	struct store_account auditor = account_row("shenji", "auditor", 0), out;
	struct store *other;
	struct id_walk walk = {.n = 0};
	struct err err;

	CHECK(0, store_account_get(c->st, a.login, &out, clr(&err)));
	CHECK(0, store_account_insert(c->st, &a, &a.id, clr(&err)));
	auditor.disabled = 1;
	CHECK(0, store_account_insert(c->st, &auditor, &auditor.id, clr(&err)));
	assert_true(a.id > 0 && auditor.id > 0 && a.id != auditor.id);

	other = contract_open_keyed(c, 0);
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_account_get(other, a.login, &out, clr(&err)));
	assert_account(&out, &a);
	/* with the organisation's kind, name and district */
	assert_string_equal(out.org_kind, "builder");
	assert_string_equal(out.org_name, "甲建筑公司");
	assert_int_equal(out.district, yunyan);
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_account_get_id(other, auditor.id, &out, clr(&err)));
	assert_account(&out, &auditor);
	assert_string_equal(out.org_kind, "");
	assert_string_equal(out.org_name, "");
	assert_int_equal(out.district, 0);
	store_close(other);

	/* absent */
	CHECK(0, store_account_get(c->st, "jia.jianzhu2", &out, clr(&err)));
	CHECK(0, store_account_get(c->st, "", &out, clr(&err)));
	CHECK(0, store_account_get_id(c->st, MISSING, &out, clr(&err)));

	CHECK(0, store_account_each(c->st, walk_account, &walk, clr(&err)));
	assert_int_equal(walk.n, 2);
	assert_true((walk.id[0] == a.id && walk.id[1] == auditor.id) ||
	            (walk.id[0] == auditor.id && walk.id[1] == a.id));
	memset(&walk, 0, sizeof(walk));
	walk.stop = 9;
	CHECK(9, store_account_each(c->st, walk_account, &walk, clr(&err)));
	assert_int_equal(walk.n, 1);
}

static void test_account_constraints(void **state)
{
	struct contract *c = *state;
	struct store_account a = account_row("wang.yi", "city_officer", 0), out;
	struct id_walk walk = {.n = 0};
	int64_t id = 0;
	struct err err;

	CHECK(0, store_account_insert(c->st, &a, &id, clr(&err)));
	/* the login is taken */
	a.org = contract_district(c->st, "南明区");
	snprintf(a.role, sizeof(a.role), "district_officer");
	REFUSED(ERR_INPUT, store_account_insert(c->st, &a, &id, clr(&err)));
	/* an organisation that does not exist */
	snprintf(a.login, sizeof(a.login), "wang.er");
	a.org = MISSING;
	REFUSED(ERR_INPUT, store_account_insert(c->st, &a, &id, clr(&err)));
	CHECK(0, store_account_get(c->st, "wang.er", &out, clr(&err)));
	CHECK(1, store_account_get(c->st, "wang.yi", &out, clr(&err)));
	assert_string_equal(out.role, "city_officer");
	assert_int_equal(out.org, 0);
	CHECK(0, store_account_each(c->st, walk_account, &walk, clr(&err)));
	assert_int_equal(walk.n, 1);
}

static void test_account_update(void **state)
{
	struct contract *c = *state;
	int64_t nanming = contract_district(c->st, "南明区");
	int64_t id = contract_account(c->st, "li.si", "city_officer", 0);
	int64_t id2 = contract_account(c->st, "zhao.wu", "city_admin", 0);
	struct store_account a, out, saved;
	struct err err;

	CHECK(1, store_account_get_id(c->st, id, &a, clr(&err)));
	snprintf(a.login, sizeof(a.login), "li.si.nm");
	snprintf(a.role, sizeof(a.role), "district_officer");
	a.org = nanming;
	snprintf(a.pwhash, sizeof(a.pwhash), "$argon2id$v=19$m=65536,t=2,p=1$bmV3$bmV3aGFzaA");
	a.disabled = 1;
	a.must_change = 1;
	a.failures = 5;
	a.locked_until = NOW + 600;
	a.updated_at = NOW + 10;
	a.last_login = NOW + 9;
	CHECK(0, store_account_update(c->st, &a, clr(&err)));
	CHECK(1, store_account_get(c->st, "li.si.nm", &out, clr(&err)));
	assert_account(&out, &a);
	assert_string_equal(out.org_kind, "district");
	assert_string_equal(out.org_name, "南明区");
	assert_int_equal(out.district, nanming);
	CHECK(0, store_account_get(c->st, "li.si", &out, clr(&err)));
	/* created_at is not changed by an update */
	a.created_at = 1;
	CHECK(0, store_account_update(c->st, &a, clr(&err)));
	CHECK(1, store_account_get_id(c->st, id, &out, clr(&err)));
	assert_int_equal(out.created_at, NOW);
	saved = out;

	/* a login taken, an organisation that does not exist: refused, row as it was */
	a = saved;
	snprintf(a.login, sizeof(a.login), "zhao.wu");
	REFUSED(ERR_INPUT, store_account_update(c->st, &a, clr(&err)));
	a = saved;
	a.org = MISSING;
	REFUSED(ERR_INPUT, store_account_update(c->st, &a, clr(&err)));
	CHECK(1, store_account_get_id(c->st, id, &out, clr(&err)));
	assert_account(&out, &saved);
	CHECK(1, store_account_get_id(c->st, id2, &out, clr(&err)));
	assert_string_equal(out.login, "zhao.wu");

	/* an id no row has */
	a = saved;
	a.id = MISSING;
	snprintf(a.login, sizeof(a.login), "nobody");
	REFUSED(ERR_SYSTEM, store_account_update(c->st, &a, clr(&err)));
	CHECK(0, store_account_get(c->st, "nobody", &out, clr(&err)));
}

/* ---- sessions ------------------------------------------------------------- */

static struct store_session session_row(uint8_t b, int64_t account, int64_t created, int64_t seen)
{
	struct store_session s;

	memset(&s, 0, sizeof(s));
	contract_bytes(s.hash, b);
	s.account = account;
	snprintf(s.csrf, sizeof(s.csrf), "csrf-%02x-AbCdEfGhIjKlMnOpQrStUvWxYz012345", b);
	s.created_at = created;
	s.last_seen = seen;
	return s;
}

static void assert_session(const struct store_session *got, const struct store_session *want)
{
	assert_memory_equal(got->hash, want->hash, 32);
	assert_int_equal(got->account, want->account);
	assert_string_equal(got->csrf, want->csrf);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->last_seen, want->last_seen);
}

static void test_session_round_trip(void **state)
{
	struct contract *c = *state;
	int64_t id = contract_account(c->st, "li.si", "city_officer", 0);
	int64_t id2 = contract_account(c->st, "zhao.wu", "city_admin", 0);
	struct store_session s = session_row(1, id, NOW, NOW + 10), dup, out;
	struct store *ro;
	uint8_t absent[32];
	struct err err;

	contract_bytes(absent, 0xee);
	CHECK(0, store_session_get(c->st, s.hash, &out, clr(&err)));
	CHECK(0, store_session_insert(c->st, &s, clr(&err)));
	/* read on a read-only connection, as the server's workers do */
	ro = contract_open_keyed(c, STORE_READONLY);
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_session_get(ro, s.hash, &out, clr(&err)));
	assert_session(&out, &s);
	store_close(ro);
	CHECK(0, store_session_get(c->st, absent, &out, clr(&err)));

	/* the same token hash twice; an account that does not exist */
	dup = session_row(1, id2, NOW + 1, NOW + 1);
	REFUSED(ERR_INPUT, store_session_insert(c->st, &dup, clr(&err)));
	dup = session_row(2, MISSING, NOW, NOW);
	REFUSED(ERR_INPUT, store_session_insert(c->st, &dup, clr(&err)));
	CHECK(0, store_session_get(c->st, dup.hash, &out, clr(&err)));
	CHECK(1, store_session_get(c->st, s.hash, &out, clr(&err)));
	assert_session(&out, &s);

	/* touched: last_seen moves; touching nothing is no error */
	CHECK(0, store_session_touch(c->st, s.hash, NOW + 70, clr(&err)));
	CHECK(1, store_session_get(c->st, s.hash, &out, clr(&err)));
	s.last_seen = NOW + 70;
	assert_session(&out, &s);
	CHECK(0, store_session_touch(c->st, absent, NOW + 70, clr(&err)));
	CHECK(0, store_session_get(c->st, absent, &out, clr(&err)));

	/* ended: gone; ending nothing is no error */
	CHECK(0, store_session_delete(c->st, s.hash, clr(&err)));
	CHECK(0, store_session_get(c->st, s.hash, &out, clr(&err)));
	CHECK(0, store_session_delete(c->st, s.hash, clr(&err)));
}

static void test_session_end_and_purge(void **state)
{
	struct contract *c = *state;
	int64_t id = contract_account(c->st, "li.si", "city_officer", 0);
	int64_t id2 = contract_account(c->st, "zhao.wu", "city_admin", 0);
	struct store_session s[5] = {
	    session_row(1, id, NOW, NOW + 10),       session_row(2, id, NOW + 5, NOW + 20),
	    session_row(3, id, NOW + 30, NOW + 30),  session_row(4, id2, NOW + 1, NOW + 40),
	    session_row(5, id2, NOW + 31, NOW + 41),
	};
	struct store_session out;
	struct err err;

	for (size_t i = 0; i < COUNT(s); i++)
		CHECK(0, store_session_insert(c->st, &s[i], clr(&err)));
	/* one account's sessions end, the other's stay */
	CHECK(0, store_session_delete_account(c->st, id2, clr(&err)));
	CHECK(0, store_session_get(c->st, s[3].hash, &out, clr(&err)));
	CHECK(0, store_session_get(c->st, s[4].hash, &out, clr(&err)));
	for (size_t i = 0; i < 3; i++)
		CHECK(1, store_session_get(c->st, s[i].hash, &out, clr(&err)));

	/* purge: last seen at or before idle_before, or made at or before created_before */
	CHECK(0, store_session_purge(c->st, NOW + 10, NOW - 1, clr(&err)));
	CHECK(0, store_session_get(c->st, s[0].hash, &out, clr(&err)));
	CHECK(1, store_session_get(c->st, s[1].hash, &out, clr(&err)));
	assert_session(&out, &s[1]);
	CHECK(1, store_session_get(c->st, s[2].hash, &out, clr(&err)));
	CHECK(0, store_session_purge(c->st, NOW + 19, NOW + 5, clr(&err)));
	CHECK(0, store_session_get(c->st, s[1].hash, &out, clr(&err)));
	CHECK(1, store_session_get(c->st, s[2].hash, &out, clr(&err)));
	assert_session(&out, &s[2]);
}

/* ---- API tokens ----------------------------------------------------------- */

static struct store_api_token token_row(uint8_t b, int64_t account, const char *label)
{
	struct store_api_token t;

	memset(&t, 0, sizeof(t));
	t.account = account;
	contract_bytes(t.hash, b);
	snprintf(t.label, sizeof(t.label), "%s", label);
	t.created_at = NOW + b;
	return t;
}

static void assert_token(const struct store_api_token *got, const struct store_api_token *want)
{
	assert_int_equal(got->id, want->id);
	assert_int_equal(got->account, want->account);
	assert_memory_equal(got->hash, want->hash, 32);
	assert_string_equal(got->label, want->label);
	assert_int_equal(got->created_at, want->created_at);
	assert_int_equal(got->revoked_at, want->revoked_at);
}

static void test_token_round_trip(void **state)
{
	struct contract *c = *state;
	int64_t id = contract_account(c->st, "li.si", "city_officer", 0);
	struct store_api_token t = token_row(1, id, "批量核验脚本"), dup, out;
	uint8_t absent[32];
	struct store *ro;
	struct err err;

	contract_bytes(absent, 0xee);
	CHECK(0, store_api_token_get(c->st, t.hash, &out, clr(&err)));
	CHECK(0, store_api_token_insert(c->st, &t, &t.id, clr(&err)));
	assert_true(t.id > 0);
	ro = contract_open_keyed(c, STORE_READONLY);
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_api_token_get(ro, t.hash, &out, clr(&err)));
	assert_token(&out, &t);
	assert_string_equal(out.login, "li.si");
	store_close(ro);
	memset(&out, 0x5a, sizeof(out));
	CHECK(1, store_api_token_get_id(c->st, t.id, &out, clr(&err)));
	assert_token(&out, &t);
	assert_string_equal(out.login, "li.si");
	CHECK(0, store_api_token_get(c->st, absent, &out, clr(&err)));
	CHECK(0, store_api_token_get_id(c->st, MISSING, &out, clr(&err)));

	/* the same hash twice; an account that does not exist */
	dup = token_row(1, id, "另一个");
	REFUSED(ERR_INPUT, store_api_token_insert(c->st, &dup, &dup.id, clr(&err)));
	dup = token_row(2, MISSING, "无主");
	REFUSED(ERR_INPUT, store_api_token_insert(c->st, &dup, &dup.id, clr(&err)));
	CHECK(0, store_api_token_get(c->st, dup.hash, &out, clr(&err)));
	CHECK(1, store_api_token_get(c->st, t.hash, &out, clr(&err)));
	assert_token(&out, &t);
}

static void test_token_revoke(void **state)
{
	struct contract *c = *state;
	int64_t id = contract_account(c->st, "li.si", "city_officer", 0);
	int64_t id2 = contract_account(c->st, "zhao.wu", "city_admin", 0);
	struct store_api_token t[4] = {token_row(1, id, "一"), token_row(2, id, "二"),
	                               token_row(3, id, "三"), token_row(4, id2, "四")};
	struct store_api_token out;
	struct id_walk walk;
	struct err err;

	for (size_t i = 0; i < COUNT(t); i++)
		CHECK(0, store_api_token_insert(c->st, &t[i], &t[i].id, clr(&err)));
	/* one token; revoking it again keeps the time it stopped */
	CHECK(0, store_api_token_revoke(c->st, t[1].id, NOW + 100, clr(&err)));
	CHECK(0, store_api_token_revoke(c->st, t[1].id, NOW + 200, clr(&err)));
	CHECK(1, store_api_token_get_id(c->st, t[1].id, &out, clr(&err)));
	assert_int_equal(out.revoked_at, NOW + 100);
	CHECK(0, store_api_token_revoke(c->st, MISSING, NOW + 100, clr(&err)));
	/* every token of an account still in force; the other account's stay */
	CHECK(0, store_api_token_revoke_account(c->st, id, NOW + 300, clr(&err)));
	CHECK(1, store_api_token_get_id(c->st, t[0].id, &out, clr(&err)));
	assert_int_equal(out.revoked_at, NOW + 300);
	CHECK(1, store_api_token_get_id(c->st, t[1].id, &out, clr(&err)));
	assert_int_equal(out.revoked_at, NOW + 100);
	CHECK(1, store_api_token_get(c->st, t[2].hash, &out, clr(&err)));
	assert_int_equal(out.revoked_at, NOW + 300);
	CHECK(1, store_api_token_get(c->st, t[3].hash, &out, clr(&err)));
	assert_int_equal(out.revoked_at, 0);

	/* each: one account's, or every account's (0) */
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_api_token_each(c->st, id, walk_token, &walk, clr(&err)));
	assert_int_equal(walk.n, 3);
	for (size_t i = 0; i < walk.n; i++)
		assert_string_equal(walk.login[i], "li.si");
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_api_token_each(c->st, 0, walk_token, &walk, clr(&err)));
	assert_int_equal(walk.n, 4);
	memset(&walk, 0, sizeof(walk));
	CHECK(0, store_api_token_each(c->st, MISSING, walk_token, &walk, clr(&err)));
	assert_int_equal(walk.n, 0);
	memset(&walk, 0, sizeof(walk));
	walk.stop = 2;
	CHECK(2, store_api_token_each(c->st, 0, walk_token, &walk, clr(&err)));
	assert_int_equal(walk.n, 1);
}

static const struct CMUnitTest tests[] = {
    CONTRACT_CASE(test_account_round_trip),    CONTRACT_CASE(test_account_constraints),
    CONTRACT_CASE(test_account_update),        CONTRACT_CASE(test_session_round_trip),
    CONTRACT_CASE(test_session_end_and_purge), CONTRACT_CASE(test_token_round_trip),
    CONTRACT_CASE(test_token_revoke),
};

int contract_run_account(void)
{
	return cmocka_run_group_tests_name("account", tests, NULL, NULL);
}
