/*
 * contract_store.c - the storage contract of the store as a whole
 * (store.h): opening and reopening, locations that hold no database,
 * transactions (commit, rollback over every area, writes outside one,
 * isolation, read snapshots, refused nesting, answers of 1 that do not end
 * one, store_finish committing or rolling back), read-only opening (every write refused as a system
 * error, reads work), and the data key (without it personal data is refused and nothing is written;
 * a wrong key is refused and leaves the store without one).
 */
#include "contract.h"

#include <stdlib.h>

#include "pii.h"

#define ID_AYI "520102198503120028"

/* ---- opening ---------------------------------------------------------------- */

static void test_open_reopen(void **state)
{
	static char sentinel;
	struct contract *c = *state;
	struct cert a = contract_construction("黔A012018000001"), out;
	char absent[CONTRACT_LOCATION_SIZE];
	int version = -1, again = -1;
	struct store *st;
	struct err err;
	long n = -1;

	CHECK(0, store_schema_version(c->st, &version, clr(&err)));
	assert_true(version >= 1);
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	store_close(c->st);
	c->st = NULL;

	/* reopened, with or without STORE_CREATE: the same schema, the same rows */
	for (int flags = 0; flags <= STORE_CREATE; flags += STORE_CREATE) {
		st = contract_open_keyed(c, flags);
		CHECK(0, store_schema_version(st, &again, clr(&err)));
		assert_int_equal(again, version);
		CHECK(0, store_cert_count(st, &n, clr(&err)));
		assert_int_equal(n, 1);
		CHECK(1, store_cert_get(st, a.number, &out, clr(&err)));
		contract_assert_cert(&out, &a);
		store_close(st);
	}
	c->st = contract_open_keyed(c, STORE_READONLY);
	CHECK(0, store_schema_version(c->st, &again, clr(&err)));
	assert_int_equal(again, version);

	/* a location with no database: an input error, no store, nothing made
	 * (so the third try is refused too) */
	contract_location(c, "_absent", absent, sizeof(absent));
	for (int i = 0; i < 3; i++) {
		st = (struct store *)&sentinel; /* must come back NULL */
		REFUSED(ERR_INPUT, store_open(absent, i == 1 ? STORE_READONLY : 0, &st, clr(&err)));
		assert_null(st);
	}
	st = (struct store *)&sentinel;
	REFUSED(ERR_INPUT, store_open("", STORE_CREATE, &st, clr(&err)));
	assert_null(st);
	store_close(NULL);
}

/* ---- one row in every area ------------------------------------------------- */

struct every {
	struct cert a, e;
	char uscc[USCC_SIZE];
	char login[64];
	uint8_t cred[32], session[32], token[32];
	int64_t project, worker;
};

static void write_every_area(struct store *st, struct every *m)
{
	struct store_log_entry *le = calloc(1, sizeof(*le));
	struct store_trail_entry *te = calloc(1, sizeof(*te));
	struct store_cred cred;
	struct store_session s;
	struct store_api_token t;
	struct worker w;
	struct org o;
	uint8_t frontier[32], hash[32];
	int64_t district, builder, account, token;
	char code[16];
	struct err err;

	assert_non_null(le);
	assert_non_null(te);
	memset(m, 0, sizeof(*m));
	m->a = contract_construction("黔A012018000001");
	m->e = contract_emergency();
	CHECK(0, store_cert_insert(st, &m->a, clr(&err)));
	CHECK(0, store_cert_insert(st, &m->e, clr(&err)));
	CHECK(0, store_prefix_add(st, "黔A", clr(&err)));
	CHECK(0, store_config_set(st, "official-host", "zjj.guiyang.gov.cn", clr(&err)));
	CHECK(1, store_issuer_code(st, "贵阳市应急管理局", 1, code, clr(&err)));
	CHECK(0, store_slot_add(st, m->e.number, 9, clr(&err)));
	memset(&cred, 0, sizeof(cred));
	snprintf(cred.number, sizeof(cred.number), "%s", m->e.number);
	contract_bytes(m->cred, 0xc1);
	memcpy(cred.hash, m->cred, 32);
	CHECK(0, store_cred_add(st, &cred, clr(&err)));
	contract_bytes(hash, 0xc4);
	CHECK(0, store_photo_set(st, m->e.number, "image/jpeg", (const uint8_t *)"\xff\xd8\xff\xd9",
	                         4, hash, clr(&err)));
	le->index = 0;
	snprintf(le->number, sizeof(le->number), "%s", m->e.number);
	le->len = 2;
	memcpy(le->data, "{}", 2);
	CHECK(0, store_log_append(st, le, clr(&err)));
	contract_bytes(frontier, 0xc5);
	CHECK(0, store_log_state_set(st, 1, frontier, sizeof(frontier), clr(&err)));
	CHECK(0, store_checkpoint_add(st, 1, "opcert.example/log\n1\n", NOW, clr(&err)));

	district = contract_district(st, "云岩区");
	builder = contract_company(st, ORG_BUILDER, "91520103MA6TXT001", "甲建筑公司", district);
	CHECK(1, store_org_get(st, builder, &o, clr(&err)));
	snprintf(m->uscc, sizeof(m->uscc), "%s", o.uscc);
	m->project = contract_project(st, "一号楼", district, builder, 0, PROJECT_ACTIVE);
	snprintf(m->login, sizeof(m->login), "jia.jianzhu");
	account = contract_account(st, m->login, "company_user", builder);
	memset(&s, 0, sizeof(s));
	contract_bytes(m->session, 0xc2);
	memcpy(s.hash, m->session, 32);
	s.account = account;
	snprintf(s.csrf, sizeof(s.csrf), "csrf");
	s.created_at = s.last_seen = NOW;
	CHECK(0, store_session_insert(st, &s, clr(&err)));
	memset(&t, 0, sizeof(t));
	contract_bytes(m->token, 0xc3);
	memcpy(t.hash, m->token, 32);
	t.account = account;
	t.created_at = NOW;
	CHECK(0, store_api_token_insert(st, &t, &token, clr(&err)));

	te->seq = 1;
	te->at = NOW;
	snprintf(te->action, sizeof(te->action), "company.add");
	CHECK(0, store_trail_append(st, te, clr(&err)));
	CHECK(0, store_trail_anchor_set(st, 0, clr(&err)));
	memset(&w, 0, sizeof(w));
	w.project = m->project;
	snprintf(w.number, sizeof(w.number), "%s", m->e.number);
	snprintf(w.name, sizeof(w.name), "阿依古丽·买买提");
	snprintf(w.id_number, sizeof(w.id_number), ID_AYI);
	w.added_at = NOW;
	CHECK(0, store_worker_insert(st, &w, clr(&err)));
	m->worker = w.id;
	free(le);
	free(te);
}

/* Every row of write_every_area found (want 1) or absent (want 0). */
static void check_every_area(struct store *st, const struct every *m, int want)
{
	struct store_log_entry *le = calloc(1, sizeof(*le));
	struct store_trail_entry *te = calloc(1, sizeof(*te));
	char prefixes[4][STORE_PREFIX_SIZE], text[64];
	uint8_t frontier[64], hash[TRAIL_HASH_LEN];
	struct store_api_token t;
	struct store_session s;
	struct store_account a;
	struct store_photo photo;
	struct store_cred cred;
	struct project p;
	struct worker w;
	struct cert out;
	struct org o;
	int64_t size, seq;
	uint32_t slot;
	size_t n, len;
	long count = -1;
	struct err err;

	assert_non_null(le);
	assert_non_null(te);
	CHECK(want, store_cert_get(st, m->a.number, &out, clr(&err)));
	if (want)
		contract_assert_cert(&out, &m->a);
	CHECK(want, store_cert_get(st, m->e.number, &out, clr(&err)));
	CHECK(0, store_cert_count(st, &count, clr(&err)));
	assert_int_equal(count, want ? 2 : 0);
	CHECK(0, store_prefix_list(st, prefixes, COUNT(prefixes), &n, clr(&err)));
	assert_int_equal(n, (size_t)want);
	CHECK(want, store_config_get(st, "official-host", text, sizeof(text), clr(&err)));
	CHECK(want, store_issuer_code(st, "贵阳市应急管理局", 0, text, clr(&err)));
	CHECK(want, store_slot_get(st, m->e.number, &slot, clr(&err)));
	CHECK(want, store_cred_find(st, m->cred, &cred, clr(&err)));
	memset(&photo, 0, sizeof(photo));
	CHECK(want, store_photo_get(st, m->e.number, &photo, clr(&err)));
	free(photo.data);
	CHECK(want, store_log_get(st, 0, le, clr(&err)));
	CHECK(want, store_log_state_get(st, &size, frontier, sizeof(frontier), &len, clr(&err)));
	CHECK(want, store_checkpoint_latest(st, &size, text, sizeof(text), clr(&err)));
	CHECK(want, store_org_by_uscc(st, m->uscc, &o, clr(&err)));
	CHECK(want, store_project_get(st, m->project, &p, clr(&err)));
	CHECK(want, store_account_get(st, m->login, &a, clr(&err)));
	CHECK(want, store_session_get(st, m->session, &s, clr(&err)));
	CHECK(want, store_api_token_get(st, m->token, &t, clr(&err)));
	CHECK(want, store_trail_head(st, &seq, hash, clr(&err)));
	CHECK(want, store_trail_anchor_get(st, &seq, clr(&err)));
	CHECK(want, store_worker_get(st, m->worker, &w, clr(&err)));
	if (want)
		assert_string_equal(w.id_number, ID_AYI);
	free(le);
	free(te);
}

/* ---- transactions ----------------------------------------------------------- */

static void test_txn_rollback_every_area(void **state)
{
	struct contract *c = *state;
	static const enum store_txn kinds[] = {STORE_TXN_NORMAL, STORE_TXN_BULK};
	struct every m;
	struct store *other;
	struct err err;

	for (size_t i = 0; i < COUNT(kinds); i++) {
		CHECK(0, store_begin(c->st, kinds[i], clr(&err)));
		write_every_area(c->st, &m);
		check_every_area(c->st, &m, 1);
		store_rollback(c->st);
		check_every_area(c->st, &m, 0);
	}
	other = contract_open_keyed(c, 0);
	check_every_area(other, &m, 0);
	store_close(other);
}

static void test_txn_commit_every_area(void **state)
{
	struct contract *c = *state;
	struct cert one = contract_construction("黔A012018000001");
	struct every m;
	struct store *other;
	struct err err;
	long n = -1;

	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	write_every_area(c->st, &m);
	CHECK(0, store_commit(c->st, clr(&err)));
	check_every_area(c->st, &m, 1);
	other = contract_open_keyed(c, STORE_READONLY);
	check_every_area(other, &m, 1);
	store_close(other);
	/* the rows outlive the connection */
	store_close(c->st);
	c->st = contract_open_keyed(c, 0);
	check_every_area(c->st, &m, 1);

	/* a bulk transaction commits the same way */
	CHECK(0, store_begin(c->st, STORE_TXN_BULK, clr(&err)));
	for (int i = 2; i <= 101; i++) {
		snprintf(one.number, sizeof(one.number), "黔A012018%06d", i);
		CHECK(0, store_cert_insert(c->st, &one, clr(&err)));
	}
	CHECK(0, store_commit(c->st, clr(&err)));
	other = contract_open_keyed(c, STORE_READONLY);
	CHECK(0, store_cert_count(other, &n, clr(&err)));
	assert_int_equal(n, 102);
	CHECK(1, store_cert_get(other, "黔A012018000101", &one, clr(&err)));
	store_close(other);
}

static void test_txn_autocommit_and_isolation(void **state)
{
	struct contract *c = *state;
	struct cert a = contract_construction("黔A012018000001");
	struct cert b = contract_construction("黔A012018000002"), out;
	struct store *other = contract_open_keyed(c, 0);
	struct err err;
	long n = -1;

	/* outside a transaction a write is committed at once */
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	CHECK(1, store_cert_get(other, a.number, &out, clr(&err)));
	/* inside one, another connection sees it only once committed */
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &b, clr(&err)));
	CHECK(1, store_cert_get(c->st, b.number, &out, clr(&err)));
	CHECK(0, store_cert_get(other, b.number, &out, clr(&err)));
	CHECK(0, store_cert_count(other, &n, clr(&err)));
	assert_int_equal(n, 1);
	CHECK(0, store_commit(c->st, clr(&err)));
	CHECK(1, store_cert_get(other, b.number, &out, clr(&err)));
	contract_assert_cert(&out, &b);
	CHECK(0, store_cert_count(other, &n, clr(&err)));
	assert_int_equal(n, 2);
	store_close(other);
}

static void test_txn_read_snapshot(void **state)
{
	struct contract *c = *state;
	struct cert a = contract_construction("黔A012018000001");
	struct cert b = contract_construction("黔A012018000002"), out;
	struct store *writer = contract_open_keyed(c, 0);
	struct err err;
	long n = -1;

	CHECK(0, store_cert_insert(writer, &a, clr(&err)));
	CHECK(0, store_begin(c->st, STORE_TXN_READ, clr(&err)));
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 1);
	/* another connection writes: the snapshot does not move */
	CHECK(0, store_cert_insert(writer, &b, clr(&err)));
	CHECK(0, store_config_set(writer, "official-host", "zjj.guiyang.gov.cn", clr(&err)));
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 1);
	CHECK(0, store_cert_get(c->st, b.number, &out, clr(&err)));
	CHECK(0, store_config_get(c->st, "official-host", out.name, sizeof(out.name), clr(&err)));
	/* a read transaction ends with rollback; then the new rows are there */
	store_rollback(c->st);
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 2);
	CHECK(1, store_cert_get(c->st, b.number, &out, clr(&err)));
	store_close(writer);
}

static void test_txn_nesting(void **state)
{
	struct contract *c = *state;
	struct cert a = contract_construction("黔A012018000001");
	struct cert b = contract_construction("黔A012018000002"), out;
	uint32_t slot = 0;
	struct err err;
	long n = -1;

	/* transactions do not nest: a second begin is refused, the first goes on */
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	REFUSED(ERR_SYSTEM, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	REFUSED(ERR_SYSTEM, store_begin(c->st, STORE_TXN_READ, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &b, clr(&err)));
	CHECK(1, store_cert_get(c->st, a.number, &out, clr(&err)));
	store_rollback(c->st);
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 0);

	/* commit without a transaction is refused; rollback without one does nothing */
	REFUSED(ERR_SYSTEM, store_commit(c->st, clr(&err)));
	store_rollback(c->st);
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	store_rollback(c->st);
	CHECK(1, store_cert_get(c->st, a.number, &out, clr(&err)));

	/* answers of 1 (already there, slot taken) do not end a transaction */
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	CHECK(1, store_cert_insert(c->st, &a, clr(&err)));
	CHECK(0, store_slot_add(c->st, a.number, 5, clr(&err)));
	CHECK(1, store_slot_add(c->st, b.number, 5, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &b, clr(&err)));
	CHECK(0, store_slot_add(c->st, b.number, 6, clr(&err)));
	CHECK(0, store_commit(c->st, clr(&err)));
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 2);
	CHECK(1, store_slot_get(c->st, a.number, &slot, clr(&err)));
	assert_int_equal(slot, 5);
	CHECK(1, store_slot_get(c->st, b.number, &slot, clr(&err)));
	assert_int_equal(slot, 6);
}

static void test_txn_error_then_rollback(void **state)
{
	struct contract *c = *state;
	struct cert a = contract_construction("黔A012018000001"), out;
	struct org dup;
	struct err err;
	long n = -1;

	/* a refused write inside a transaction: the caller rolls back, nothing stays */
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	CHECK(1, store_org_by_name(c->st, ORG_DISTRICT, "云岩区", &dup, clr(&err)));
	dup.id = 0;
	dup.kind = ORG_DISTRICT;
	REFUSED(ERR_INPUT, store_org_insert(c->st, &dup, clr(&err)));
	store_rollback(c->st);
	CHECK(0, store_cert_get(c->st, a.number, &out, clr(&err)));
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 0);
	/* and the store goes on */
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	CHECK(0, store_commit(c->st, clr(&err)));
	CHECK(1, store_cert_get(c->st, a.number, &out, clr(&err)));
}

static void test_txn_finish(void **state)
{
	struct contract *c = *state;
	struct cert a = contract_construction("黔A012018000001");
	struct cert b = contract_construction("黔A012018000002"), out;
	struct store *other = contract_open_keyed(c, STORE_READONLY);
	struct err err;

	/* rc 0: committed, and the transaction is over */
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	CHECK(0, store_finish(c->st, 0, clr(&err)));
	CHECK(1, store_cert_get(other, a.number, &out, clr(&err)));
	REFUSED(ERR_SYSTEM, store_commit(c->st, clr(&err)));
	/* the caller's error: rolled back, its message kept */
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &b, clr(&err)));
	assert_int_equal(err_input(clr(&err), "调用方的错误"), -1);
	REFUSED(ERR_INPUT, store_finish(c->st, -1, &err));
	assert_string_equal(err.msg, "调用方的错误");
	CHECK(0, store_cert_get(c->st, b.number, &out, clr(&err)));
	CHECK(0, store_begin(c->st, STORE_TXN_NORMAL, clr(&err)));
	store_rollback(c->st);
	/* a commit that fails (here: no transaction) is an error of its own */
	REFUSED(ERR_SYSTEM, store_finish(c->st, 0, clr(&err)));
	store_close(other);
}

/* ---- read-only -------------------------------------------------------------- */

static void test_readonly(void **state)
{
	struct contract *c = *state;
	struct store *ro;
	struct every m;
	struct cert a2 = contract_construction("黔A012018000002"), changed;
	struct store_log_entry *le = calloc(1, sizeof(*le));
	struct store_trail_entry *te = calloc(1, sizeof(*te));
	struct store_account acct;
	struct store_session s;
	struct store_api_token t;
	struct store_cred cred;
	struct project p;
	struct worker w;
	struct org o;
	uint8_t hash[32];
	char text[64];
	int64_t id;
	struct err err;
	long n = -1;

	assert_non_null(le);
	assert_non_null(te);
	write_every_area(c->st, &m);
	ro = contract_open_keyed(c, STORE_READONLY);
	check_every_area(ro, &m, 1);

	/* every write is refused, as a system error: the caller holds the wrong
	 * store.  A transaction may begin, but what it would write is refused. */
	changed = m.a;
	changed.status = CERT_REVOKED;
	CHECK(0, store_begin(ro, STORE_TXN_NORMAL, clr(&err)));
	REFUSED(ERR_SYSTEM, store_cert_insert(ro, &a2, clr(&err)));
	store_rollback(ro);
	REFUSED(ERR_SYSTEM, store_cert_insert(ro, &a2, clr(&err)));
	REFUSED(ERR_SYSTEM, store_cert_update(ro, &m.a, &changed, "{}", clr(&err)));
	REFUSED(ERR_SYSTEM, store_prefix_add(ro, "黔B", clr(&err)));
	REFUSED(ERR_SYSTEM, store_config_set(ro, "official-host", "evil.example", clr(&err)));
	REFUSED(ERR_SYSTEM, store_issuer_code(ro, "另一个发证机关", 1, text, clr(&err)));
	REFUSED(ERR_SYSTEM, store_slot_add(ro, a2.number, 10, clr(&err)));
	memset(&cred, 0, sizeof(cred));
	snprintf(cred.number, sizeof(cred.number), "%s", a2.number);
	contract_bytes(cred.hash, 0xd1);
	REFUSED(ERR_SYSTEM, store_cred_add(ro, &cred, clr(&err)));
	contract_bytes(hash, 0xd2);
	REFUSED(ERR_SYSTEM,
	        store_photo_set(ro, m.e.number, "image/png", hash, sizeof(hash), hash, clr(&err)));
	le->index = 1;
	REFUSED(ERR_SYSTEM, store_log_append(ro, le, clr(&err)));
	REFUSED(ERR_SYSTEM, store_log_state_set(ro, 2, hash, sizeof(hash), clr(&err)));
	REFUSED(ERR_SYSTEM, store_checkpoint_add(ro, 2, "note", NOW, clr(&err)));
	CHECK(1, store_org_by_uscc(ro, m.uscc, &o, clr(&err)));
	o.id = 0;
	snprintf(o.uscc, sizeof(o.uscc), "91520103MA6TXT0029");
	REFUSED(ERR_SYSTEM, store_org_insert(ro, &o, clr(&err)));
	CHECK(1, store_org_by_uscc(ro, m.uscc, &o, clr(&err)));
	snprintf(o.name, sizeof(o.name), "改名");
	REFUSED(ERR_SYSTEM, store_org_update(ro, &o, clr(&err)));
	CHECK(1, store_project_get(ro, m.project, &p, clr(&err)));
	p.state = PROJECT_CLOSED;
	REFUSED(ERR_SYSTEM, store_project_update(ro, &p, clr(&err)));
	snprintf(p.name, sizeof(p.name), "二号楼");
	REFUSED(ERR_SYSTEM, store_project_insert(ro, &p, clr(&err)));
	CHECK(1, store_account_get(ro, m.login, &acct, clr(&err)));
	acct.disabled = 1;
	REFUSED(ERR_SYSTEM, store_account_update(ro, &acct, clr(&err)));
	snprintf(acct.login, sizeof(acct.login), "another");
	REFUSED(ERR_SYSTEM, store_account_insert(ro, &acct, &id, clr(&err)));
	CHECK(1, store_session_get(ro, m.session, &s, clr(&err)));
	REFUSED(ERR_SYSTEM, store_session_touch(ro, m.session, NOW + 100, clr(&err)));
	REFUSED(ERR_SYSTEM, store_session_delete(ro, m.session, clr(&err)));
	REFUSED(ERR_SYSTEM, store_session_delete_account(ro, s.account, clr(&err)));
	REFUSED(ERR_SYSTEM, store_session_purge(ro, NOW + 100, NOW + 100, clr(&err)));
	contract_bytes(s.hash, 0xd3);
	REFUSED(ERR_SYSTEM, store_session_insert(ro, &s, clr(&err)));
	CHECK(1, store_api_token_get(ro, m.token, &t, clr(&err)));
	REFUSED(ERR_SYSTEM, store_api_token_revoke(ro, t.id, NOW + 100, clr(&err)));
	REFUSED(ERR_SYSTEM, store_api_token_revoke_account(ro, t.account, NOW + 100, clr(&err)));
	contract_bytes(t.hash, 0xd4);
	REFUSED(ERR_SYSTEM, store_api_token_insert(ro, &t, &id, clr(&err)));
	te->seq = 2;
	REFUSED(ERR_SYSTEM, store_trail_append(ro, te, clr(&err)));
	REFUSED(ERR_SYSTEM, store_trail_anchor_set(ro, 5, clr(&err)));
	CHECK(1, store_worker_get(ro, m.worker, &w, clr(&err)));
	REFUSED(ERR_SYSTEM, store_worker_remove(ro, m.worker, NOW + 100, clr(&err)));
	w.id = 0;
	snprintf(w.number, sizeof(w.number), "%s", a2.number);
	REFUSED(ERR_SYSTEM, store_worker_insert(ro, &w, clr(&err)));

	/* a read snapshot is allowed */
	CHECK(0, store_begin(ro, STORE_TXN_READ, clr(&err)));
	CHECK(0, store_cert_count(ro, &n, clr(&err)));
	assert_int_equal(n, 2);
	store_rollback(ro);
	store_close(ro);

	/* nothing changed */
	check_every_area(c->st, &m, 1);
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 2);
	CHECK(1, store_config_get(c->st, "official-host", text, sizeof(text), clr(&err)));
	assert_string_equal(text, "zjj.guiyang.gov.cn");
	CHECK(0, store_issuer_code(c->st, "另一个发证机关", 0, text, clr(&err)));
	CHECK(1, store_org_by_uscc(c->st, m.uscc, &o, clr(&err)));
	assert_string_equal(o.name, "甲建筑公司");
	CHECK(1, store_project_get(c->st, m.project, &p, clr(&err)));
	assert_int_equal(p.state, PROJECT_ACTIVE);
	CHECK(1, store_account_get(c->st, m.login, &acct, clr(&err)));
	assert_int_equal(acct.disabled, 0);
	CHECK(1, store_session_get(c->st, m.session, &s, clr(&err)));
	assert_int_equal(s.last_seen, NOW);
	CHECK(1, store_api_token_get(c->st, m.token, &t, clr(&err)));
	assert_int_equal(t.revoked_at, 0);
	CHECK(1, store_worker_get(c->st, m.worker, &w, clr(&err)));
	assert_int_equal(w.removed_at, 0);
	CHECK(0, store_log_get(c->st, 1, le, clr(&err)));
	CHECK(0, store_trail_get(c->st, 2, te, clr(&err)));
	free(le);
	free(te);
}

/* ---- the data key ------------------------------------------------------------ */

static void test_pii_without_key(void **state)
{
	struct contract *c = *state;
	struct cert a = contract_construction("黔A012018000001"), e = contract_emergency();
	struct cert b = contract_construction("黔A012018000002"), out;
	struct store *bare;
	struct store_log_entry *le = calloc(1, sizeof(*le));
	struct store_cred cred, found;
	struct store_photo photo;
	struct worker w;
	int64_t district, project, id, worker;
	uint32_t slot;
	uint8_t hash[32];
	char text[64];
	struct err err;
	long n = -1;

	assert_non_null(le);
	CHECK(0, store_cert_insert(c->st, &a, clr(&err)));
	CHECK(0, store_cert_insert(c->st, &e, clr(&err)));
	district = contract_district(c->st, "云岩区");
	project = contract_project(
	    c->st, "一号楼", district,
	    contract_company(c->st, ORG_BUILDER, "91520103MA6TXT001", "甲建筑公司", district), 0,
	    PROJECT_ACTIVE);
	memset(&w, 0, sizeof(w));
	w.project = project;
	snprintf(w.number, sizeof(w.number), "%s", e.number);
	snprintf(w.name, sizeof(w.name), "%s", e.name);
	snprintf(w.id_number, sizeof(w.id_number), "%s", e.id_number);
	CHECK(0, store_worker_insert(c->st, &w, clr(&err)));
	worker = w.id;
	memset(&cred, 0, sizeof(cred));
	snprintf(cred.number, sizeof(cred.number), "%s", e.number);
	contract_bytes(cred.hash, 0xe1);
	CHECK(0, store_cred_add(c->st, &cred, clr(&err)));

	bare = contract_open_bare(c, 0);
	/* everything that seals or opens personal data is refused, saying so */
	REFUSED(ERR_INPUT, store_cert_insert(bare, &b, clr(&err)));
	assert_non_null(strstr(err.msg, "密钥"));
	REFUSED(ERR_INPUT, store_cert_get(bare, a.number, &out, clr(&err)));
	REFUSED(ERR_INPUT, store_cert_get(bare, e.number, &out, clr(&err)));
	REFUSED(ERR_INPUT, store_cert_get(bare, b.number, &out, clr(&err)));
	REFUSED(ERR_INPUT, store_cert_each(bare, contract_count_cert, &n, clr(&err)));
	REFUSED(ERR_INPUT, store_cert_update(bare, &a, &a, NULL, clr(&err)));
	REFUSED(ERR_INPUT, store_slot_add(bare, e.number, 3, clr(&err)));
	REFUSED(ERR_INPUT, store_slot_get(bare, e.number, &slot, clr(&err)));
	REFUSED(ERR_INPUT, store_cred_find(bare, cred.hash, &found, clr(&err)));
	contract_bytes(cred.hash, 0xe2);
	REFUSED(ERR_INPUT, store_cred_add(bare, &cred, clr(&err)));
	contract_bytes(hash, 0xe3);
	REFUSED(ERR_INPUT, store_photo_set(bare, e.number, "image/png", hash, 32, hash, clr(&err)));
	REFUSED(ERR_INPUT, store_photo_get(bare, e.number, &photo, clr(&err)));
	le->index = 0;
	snprintf(le->number, sizeof(le->number), "%s", e.number);
	le->len = 2;
	memcpy(le->data, "{}", 2);
	REFUSED(ERR_INPUT, store_log_append(bare, le, clr(&err)));
	w.id = 0;
	w.project = project;
	snprintf(w.number, sizeof(w.number), "%s", a.number);
	REFUSED(ERR_INPUT, store_worker_insert(bare, &w, clr(&err)));
	REFUSED(ERR_INPUT, store_worker_get(bare, worker, &w, clr(&err)));
	REFUSED(ERR_INPUT,
	        store_worker_active(bare, project, e.id_number, e.number, &id, clr(&err)));
	REFUSED(ERR_INPUT, store_worker_vouched(bare, e.number, 0, 0, clr(&err)));

	/* what holds no personal data is not refused */
	CHECK(0, store_cert_count(bare, &n, clr(&err)));
	assert_int_equal(n, 2);
	CHECK(0, store_slot_add(bare, a.number, 4, clr(&err)));
	CHECK(1, store_slot_get(bare, a.number, &slot, clr(&err)));
	assert_int_equal(slot, 4);
	CHECK(0, store_config_set(bare, "official-host", "zjj.guiyang.gov.cn", clr(&err)));
	CHECK(1, store_config_get(bare, "official-host", text, sizeof(text), clr(&err)));
	assert_string_equal(text, "zjj.guiyang.gov.cn");
	CHECK(1, store_project_get(bare, project, &(struct project){0}, clr(&err)));
	store_close(bare);

	/* nothing of what was refused was written */
	CHECK(0, store_cert_count(c->st, &n, clr(&err)));
	assert_int_equal(n, 2);
	CHECK(0, store_cert_get(c->st, b.number, &out, clr(&err)));
	CHECK(0, store_slot_get(c->st, e.number, &slot, clr(&err)));
	CHECK(0, store_cred_find(c->st, cred.hash, &found, clr(&err)));
	CHECK(0, store_photo_get(c->st, e.number, &photo, clr(&err)));
	CHECK(0, store_log_get(c->st, 0, le, clr(&err)));
	CHECK(0, store_worker_active(c->st, project, a.id_number, a.number, &id, clr(&err)));
	free(le);
}

static void test_pii_wrong_key(void **state)
{
	struct contract *c = *state;
	struct cert e = contract_emergency(), out;
	struct pii_key *wrong = contract_other_key();
	struct store *st;
	struct err err;
	long n = -1;

	CHECK(0, store_cert_insert(c->st, &e, clr(&err)));
	for (int flags = 0; flags <= STORE_READONLY; flags += STORE_READONLY) {
		st = contract_open_bare(c, flags);
		REFUSED(ERR_INPUT, store_set_pii(st, wrong, clr(&err)));
		assert_non_null(strstr(err.msg, "密钥"));
		/* the store is left without a key: refused, never read in clear */
		REFUSED(ERR_INPUT, store_cert_get(st, e.number, &out, clr(&err)));
		REFUSED(ERR_INPUT, store_cert_each(st, contract_count_cert, &n, clr(&err)));
		/* the right key still opens it */
		contract_attach_key(st);
		CHECK(1, store_cert_get(st, e.number, &out, clr(&err)));
		contract_assert_cert(&out, &e);
		/* and detaching it closes it again */
		CHECK(0, store_set_pii(st, NULL, clr(&err)));
		REFUSED(ERR_INPUT, store_cert_get(st, e.number, &out, clr(&err)));
		store_close(st);
	}
	/* the wrong key wrote nothing: the database is still the right key's */
	REFUSED(ERR_INPUT, store_set_pii(c->st, wrong, clr(&err)));
	contract_attach_key(c->st);
	CHECK(1, store_cert_get(c->st, e.number, &out, clr(&err)));
	contract_assert_cert(&out, &e);
	pii_key_free(wrong);
}

static const struct CMUnitTest tests[] = {
    CONTRACT_CASE(test_open_reopen),
    CONTRACT_CASE(test_txn_rollback_every_area),
    CONTRACT_CASE(test_txn_commit_every_area),
    CONTRACT_CASE(test_txn_autocommit_and_isolation),
    CONTRACT_CASE(test_txn_read_snapshot),
    CONTRACT_CASE(test_txn_nesting),
    CONTRACT_CASE(test_txn_error_then_rollback),
    CONTRACT_CASE(test_txn_finish),
    CONTRACT_CASE(test_readonly),
    CONTRACT_CASE(test_pii_without_key),
    CONTRACT_CASE(test_pii_wrong_key),
};

int contract_run_store(void)
{
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
