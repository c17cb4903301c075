/*
 * test_trail.c - the audit trail (trail.h): entries appended and chained;
 * a clean trail verifies; a row edited, deleted or inserted with plain SQL
 * on the file is found and named by its seq; a chain recomputed after an
 * edit (an attacker with the database) is consistent in itself and is
 * caught only by the anchor a signed checkpoint holds; anchors are written
 * once per head and pass `log verify`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "issue.h"
#include "keys.h"
#include "ledger.h"
#include "logverify.h"
#include "store.h"
#include "store_trail.h"
#include "trail.h"
#include "fixture.h"

#define NOW ((int64_t)1750000000)

struct fixture {
	struct fixture_dir tmp;
	char keys[FIXTURE_PATH_SIZE + 8];
	struct store *st;
	struct keys *ks;
};

static const struct keys_options FAST = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
                                         "opcert-test-log", ALG_NONE};

/* --- plain SQL on the file, as someone with the database would --- */

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

static int sql_refused(const struct fixture *f, const char *text)
{
	sqlite3 *db = NULL;
	int rc;

	assert_int_equal(sqlite3_open(f->tmp.db, &db), SQLITE_OK);
	rc = sqlite3_exec(db, text, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc != SQLITE_OK;
}

static void drop_triggers(const struct fixture *f)
{
	sql(f, "DROP TRIGGER trail_no_update; DROP TRIGGER trail_no_delete");
}

/* Write e over the row with seq `at` (all fields, as given). */
static void sql_write(const struct fixture *f, int64_t at, const struct store_trail_entry *e)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;

	assert_int_equal(sqlite3_open(f->tmp.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "INSERT OR REPLACE INTO trail (seq, at, login, role,"
	                                    " addr, action, object, detail, prev, hash) VALUES"
	                                    " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	(void)at;
	sqlite3_bind_int64(q, 1, e->seq);
	sqlite3_bind_int64(q, 2, e->at);
	sqlite3_bind_text(q, 3, e->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, e->role, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, e->addr, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, e->action, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, e->object, -1, SQLITE_STATIC);
	if (e->has_detail)
		sqlite3_bind_text(q, 8, e->detail, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 8);
	sqlite3_bind_blob(q, 9, e->prev, TRAIL_HASH_LEN, SQLITE_STATIC);
	sqlite3_bind_blob(q, 10, e->hash, TRAIL_HASH_LEN, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static struct store_trail_entry *get(struct fixture *f, int64_t seq)
{
	struct store_trail_entry *e = malloc(sizeof(*e));
	struct err err;

	assert_non_null(e);
	err_clear(&err);
	assert_int_equal(store_trail_get(f->st, seq, e, &err), 1);
	return e;
}

/*
 * Rewrite the chain from seq `from` to the end as an attacker who knows
 * the hash rule would: every entry rehashed and relinked, so the chain is
 * consistent in itself.
 */
static void recompute_from(struct fixture *f, int64_t from, int64_t head)
{
	struct store_trail_entry *prev = get(f, from - 1 > 0 ? from - 1 : 1), *e;
	uint8_t link[TRAIL_HASH_LEN];
	int64_t s;

	if (from == 1)
		memset(link, 0, sizeof(link));
	else
		memcpy(link, prev->hash, sizeof(link));
	free(prev);
	for (s = from; s <= head; s++) {
		e = get(f, s);
		memcpy(e->prev, link, sizeof(link));
		trail_entry_hash(e, e->hash);
		memcpy(link, e->hash, sizeof(link));
		sql_write(f, s, e);
		free(e);
	}
}

/* --- fixture --- */

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct err err;

	assert_non_null(f);
	assert_int_equal(fixture_dir_make(&f->tmp, "trail"), 0);
	assert_int_equal(fixture_dir_file(&f->tmp, "keys", f->keys, sizeof(f->keys)), 0);
	assert_int_equal(fixture_store(f->tmp.db, &f->st), 0);
	err_clear(&err);
	if (keys_init(f->keys, NULL, &FAST, NOW, &err) < 1)
		fail_msg("keys_init: %s", err.msg);
	f->ks = keys_open(f->keys, NULL, &FAST, &err);
	if (!f->ks)
		fail_msg("keys_open: %s", err.msg);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	keys_close(f->ks);
	store_close(f->st);
	rc = fixture_dir_remove(&f->tmp);
	free(f);
	return rc;
}

/* Entries first .. first + n - 1, in one transaction; every third by
 * another account, from an address. */
static void append(struct fixture *f, int first, int n)
{
	struct actor cli, web = {"li.ming", "district_officer", "192.0.2.7"};
	struct err err;
	char object[64], detail[96];
	int i;

	actor_cli(&cli);
	err_clear(&err);
	assert_int_equal(store_begin(f->st, STORE_TXN_NORMAL, &err), 0);
	for (i = first; i < first + n; i++) {
		snprintf(object, sizeof(object), "cert:黔A0120260%05d", i);
		snprintf(detail, sizeof(detail), "{\"n\":%d}", i);
		if (trail_append(f->st, i % 3 == 0 ? &web : &cli, NOW + i * 3600, "cert.revoke",
		                 object, i % 5 == 0 ? NULL : detail, &err) < 0)
			fail_msg("trail_append: %s", err.msg);
	}
	assert_int_equal(store_commit(f->st, &err), 0);
}

static void checkpoint(struct fixture *f)
{
	struct err err;

	err_clear(&err);
	if (ledger_checkpoint_create(f->st, f->ks, NOW, NULL, 0, NULL, &err) < 0)
		fail_msg("ledger_checkpoint_create: %s", err.msg);
}

static void verify(struct fixture *f, struct trail_report *r)
{
	struct trail_verify_options o = {0};
	struct err err;

	o.key_name = keys_log_name(f->ks);
	o.key_pk = keys_get(f->ks, KEYS_LOG)->pk;
	err_clear(&err);
	if (trail_verify(f->st, &o, r, &err) < 0)
		fail_msg("trail_verify: %s", err.msg);
}

/* The report has exactly one finding, of kind at seq, whose message has want. */
static void expect_one(struct trail_report *r, enum trail_problem kind, int64_t seq,
                       const char *want)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		print_message("finding: [%s] %s\n", trail_problem_code(r->findings[i].kind),
		              r->findings[i].msg);
	assert_int_equal(r->total, 1);
	assert_int_equal(r->findings[0].kind, kind);
	assert_int_equal(r->findings[0].seq, seq);
	if (!strstr(r->findings[0].msg, want))
		fail_msg("message \"%s\" lacks \"%s\"", r->findings[0].msg, want);
}

static int64_t anchors_in_log(struct fixture *f)
{
	struct store_log_entry *e = malloc(sizeof(*e));
	struct ledger_event ev;
	char number[CERTNO_SIZE], detail[STORE_LOG_DATA_MAX];
	struct err err;
	int64_t i, n = 0;
	struct ledger l;

	assert_non_null(e);
	err_clear(&err);
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	for (i = 0; i < ledger_size(&l); i++) {
		assert_int_equal(store_log_get(f->st, i, e, &err), 1);
		assert_int_equal(ledger_decode(e->data, e->len, &ev, number, sizeof(number), detail,
		                               sizeof(detail)),
		                 0);
		if (ev.kind == LEDGER_TRAIL)
			n++;
	}
	free(e);
	return n;
}

/* --- tests --- */

static int count_entry(void *arg, const struct store_trail_entry *e)
{
	(void)e;
	(*(int *)arg)++;
	return 0;
}

static void test_append_and_verify(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;
	struct trail_filter flt = {NULL, INT64_MIN};
	struct store_trail_entry *e;
	struct err err;
	int n = 0;

	append(f, 1, 20);
	verify(f, &r);
	assert_int_equal(r.total, 0);
	assert_int_equal(r.entries, 20);
	assert_int_equal(r.head_seq, 20);
	assert_int_equal(r.anchored_seq, 0);
	trail_report_release(&r);

	e = get(f, 1);
	assert_string_equal(e->role, "cli");
	assert_memory_equal(e->prev, (uint8_t[TRAIL_HASH_LEN]){0}, TRAIL_HASH_LEN);
	free(e);
	e = get(f, 3);
	assert_string_equal(e->login, "li.ming");
	assert_string_equal(e->addr, "192.0.2.7");
	assert_string_equal(e->detail, "{\"n\":3}");
	free(e);
	e = get(f, 5);
	assert_int_equal(e->has_detail, 0);
	free(e);

	err_clear(&err);
	assert_int_equal(trail_each(f->st, &flt, count_entry, &n, &err), 0);
	assert_int_equal(n, 20);
	n = 0;
	flt.login = "li.ming";
	assert_int_equal(trail_each(f->st, &flt, count_entry, &n, &err), 0);
	assert_int_equal(n, 6); /* 3, 6, ..., 18 */
	n = 0;
	flt.since = NOW + 15 * 3600;
	assert_int_equal(trail_each(f->st, &flt, count_entry, &n, &err), 0);
	assert_int_equal(n, 2); /* 15, 18 */

	/* The table refuses honest mistakes. */
	assert_true(sql_refused(f, "UPDATE trail SET detail = '{}' WHERE seq = 2"));
	assert_true(sql_refused(f, "DELETE FROM trail WHERE seq = 2"));
}

/* trail_record writes JSON compact with sorted keys, and trail_change
 * lays out a change the one way every module records it. */
static void test_record_detail(void **state)
{
	struct fixture *f = *state;
	struct store_trail_entry *e;
	struct err err;

	err_clear(&err);
	assert_int_equal(store_begin(f->st, STORE_TXN_NORMAL, &err), 0);
	assert_int_equal(trail_record(f->st, NULL, NOW, "user.add", "user:li.ming",
	                              json_pack("{s:s, s:b, s:s}", "role", "auditor",
	                                        "one_time_password", 1, "org", "审计"),
	                              &err),
	                 0);
	assert_int_equal(trail_record(f->st, NULL, NOW, "user.login", "user:li.ming", NULL, &err),
	                 0);
	assert_int_equal(trail_record(f->st, NULL, NOW, "company.change", "company:x",
	                              trail_change(json_pack("{s:s}", "name", "甲"),
	                                           json_pack("{s:s}", "name", "乙"), NULL, 0),
	                              &err),
	                 0);
	assert_int_equal(trail_record(f->st, NULL, NOW, "worker.add", "project:1/worker:2",
	                              trail_change(NULL, json_pack("{s:i}", "id", 2), "a.csv", 7),
	                              &err),
	                 0);
	assert_int_equal(store_commit(f->st, &err), 0);

	e = get(f, 1);
	assert_string_equal(e->detail, "{\"one_time_password\":true,\"org\":\"审计\","
	                               "\"role\":\"auditor\"}");
	free(e);
	e = get(f, 2);
	assert_int_equal(e->has_detail, 0);
	free(e);
	e = get(f, 3);
	assert_string_equal(e->detail,
	                    "{\"after\":{\"name\":\"乙\"},\"before\":{\"name\":\"甲\"}}");
	free(e);
	e = get(f, 4);
	assert_string_equal(e->detail, "{\"after\":{\"id\":2},\"line\":7,\"source\":\"a.csv\"}");
	free(e);
}

static void test_too_long_refused(void **state)
{
	struct fixture *f = *state;
	struct err err;
	char big[TRAIL_OBJECT_SIZE + 8];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	err_clear(&err);
	assert_int_equal(store_begin(f->st, STORE_TXN_NORMAL, &err), 0);
	assert_int_equal(trail_append(f->st, NULL, NOW, "cert.revoke", big, NULL, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(trail_append(f->st, NULL, NOW, "", "x", NULL, &err), -1);
	store_rollback(f->st);
}

static void test_edited_row(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;

	append(f, 1, 20);
	drop_triggers(f);
	sql(f, "UPDATE trail SET detail = '{\"n\":0}' WHERE seq = 17");
	verify(f, &r);
	expect_one(&r, TRAIL_EDITED, 17, "审计记录第 17 条被修改");
	trail_report_release(&r);
}

static void test_edited_row_rehashed(void **state)
{
	struct fixture *f = *state;
	struct store_trail_entry *e;
	struct trail_report r;

	append(f, 1, 20);
	drop_triggers(f);
	/* Only the edited row's own hash is recomputed: the next link breaks. */
	e = get(f, 9);
	snprintf(e->login, sizeof(e->login), "someone.else");
	trail_entry_hash(e, e->hash);
	sql_write(f, 9, e);
	free(e);
	verify(f, &r);
	expect_one(&r, TRAIL_EDITED, 9, "审计记录第 9 条被修改");
	trail_report_release(&r);
}

static void test_deleted_row(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;

	append(f, 1, 20);
	drop_triggers(f);
	sql(f, "DELETE FROM trail WHERE seq = 5");
	verify(f, &r);
	expect_one(&r, TRAIL_DELETED, 5, "审计记录第 5 条被删除");
	trail_report_release(&r);
}

static void test_deleted_and_renumbered(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;

	append(f, 1, 20);
	drop_triggers(f);
	sql(f, "DELETE FROM trail WHERE seq = 12;"
	       "UPDATE trail SET seq = -(seq - 1) WHERE seq > 12;"
	       "UPDATE trail SET seq = -seq WHERE seq < 0");
	verify(f, &r);
	assert_true(r.total >= 1);
	assert_int_equal(r.findings[0].kind, TRAIL_DELETED);
	assert_int_equal(r.findings[0].seq, 12);
	trail_report_release(&r);
}

static void test_inserted_row(void **state)
{
	struct fixture *f = *state;
	struct store_trail_entry *e;
	struct trail_report r;

	append(f, 1, 20);
	drop_triggers(f);
	/* Make room after 8, then put a well-formed entry linked to 8 there. */
	sql(f, "UPDATE trail SET seq = -(seq + 1) WHERE seq > 8;"
	       "UPDATE trail SET seq = -seq WHERE seq < 0");
	e = get(f, 8);
	memcpy(e->prev, e->hash, TRAIL_HASH_LEN);
	e->seq = 9;
	snprintf(e->detail, sizeof(e->detail), "{\"planted\":true}");
	e->has_detail = 1;
	trail_entry_hash(e, e->hash);
	sql_write(f, 9, e);
	free(e);
	verify(f, &r);
	assert_true(r.total >= 1);
	assert_int_equal(r.findings[0].kind, TRAIL_INSERTED);
	assert_int_equal(r.findings[0].seq, 9);
	if (!strstr(r.findings[0].msg, "第 9 条是插入的"))
		fail_msg("message: %s", r.findings[0].msg);
	trail_report_release(&r);
}

static void test_recomputed_chain_without_anchor_is_not_caught(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;

	/* The chain alone cannot catch someone who rebuilds it: this is why
	 * checkpoints anchor it. */
	append(f, 1, 20);
	drop_triggers(f);
	sql(f, "UPDATE trail SET detail = '{\"n\":0}' WHERE seq = 7");
	recompute_from(f, 7, 20);
	verify(f, &r);
	assert_int_equal(r.total, 0);
	trail_report_release(&r);
}

static void test_recomputed_chain_caught_by_anchor(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;

	append(f, 1, 20);
	checkpoint(f);
	verify(f, &r);
	assert_int_equal(r.total, 0);
	assert_int_equal(r.anchors, 1);
	assert_int_equal(r.anchored_seq, 20);
	assert_int_equal(r.signed_seq, 20);
	assert_true(r.checkpoint_signed);
	trail_report_release(&r);

	drop_triggers(f);
	sql(f, "UPDATE trail SET detail = '{\"n\":0}' WHERE seq = 7");
	recompute_from(f, 7, 20);
	verify(f, &r);
	expect_one(&r, TRAIL_ANCHOR_MISMATCH, 1, "第 1 至 20 条中有记录被修改");
	trail_report_release(&r);
}

static void test_anchors_narrow_the_change(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;

	append(f, 1, 10);
	checkpoint(f);
	append(f, 11, 10);
	checkpoint(f);
	append(f, 21, 5); /* not anchored yet */
	drop_triggers(f);
	sql(f, "UPDATE trail SET login = 'nobody' WHERE seq = 15");
	recompute_from(f, 15, 25);
	verify(f, &r);
	expect_one(&r, TRAIL_ANCHOR_MISMATCH, 11, "第 11 至 20 条中有记录被修改");
	assert_int_equal(r.anchored_seq, 10);
	trail_report_release(&r);
}

static void test_anchored_tail_deleted(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;

	append(f, 1, 12);
	checkpoint(f);
	drop_triggers(f);
	sql(f, "DELETE FROM trail WHERE seq > 10");
	verify(f, &r);
	expect_one(&r, TRAIL_DELETED, 11, "第 11 至 12 条被删除");
	trail_report_release(&r);
}

static void test_anchor_once_per_head(void **state)
{
	struct fixture *f = *state;
	struct logverify_options ao;
	struct logverify_report ar;
	struct err err;

	checkpoint(f); /* an empty trail is not anchored */
	assert_int_equal(anchors_in_log(f), 0);
	append(f, 1, 3);
	checkpoint(f);
	checkpoint(f);
	assert_int_equal(anchors_in_log(f), 1);
	append(f, 4, 1);
	checkpoint(f);
	assert_int_equal(anchors_in_log(f), 2);
	/* A forged hint in the anchor table only causes one more anchor. */
	sql(f, "UPDATE trail_anchor SET log_index = 0");
	checkpoint(f);
	assert_int_equal(anchors_in_log(f), 3);
	checkpoint(f);
	assert_int_equal(anchors_in_log(f), 3);

	/* `log verify` accepts the anchors. */
	memset(&ao, 0, sizeof(ao));
	ao.key_name = keys_log_name(f->ks);
	ao.key_pk = keys_get(f->ks, KEYS_LOG)->pk;
	err_clear(&err);
	assert_int_equal(logverify_run(f->st, &ao, &ar, &err), 0);
	assert_int_equal(ar.total, 0);
	logverify_report_release(&ar);
}

static void test_forged_anchor_event(void **state)
{
	struct fixture *f = *state;
	struct trail_report r;

	append(f, 1, 4);
	checkpoint(f);
	/* Rewrite the anchor in the log to match a rebuilt chain: the log no
	 * longer matches its signed checkpoint. */
	sql(f, "UPDATE log_entry SET data = CAST(replace(CAST(data AS TEXT), '4 ', '3 ') AS BLOB)"
	       " WHERE idx = (SELECT log_index FROM trail_anchor)");
	verify(f, &r);
	assert_true(r.counts[TRAIL_LOG_UNTRUSTED] >= 1);
	trail_report_release(&r);
}

static void test_anchor_detail_parse(void **state)
{
	uint8_t h[32], back[32];
	char d[LEDGER_TRAIL_DETAIL_SIZE];
	int64_t seq;
	size_t i;
	static const char *const bad[] = {
	    "",
	    "0 " /* seq 0 */ "0000000000000000000000000000000000000000000000000000000000000000",
	    "01 0000000000000000000000000000000000000000000000000000000000000000",
	    "1 000000000000000000000000000000000000000000000000000000000000000",
	    "1 00000000000000000000000000000000000000000000000000000000000000000",
	    "1 000000000000000000000000000000000000000000000000000000000000000A",
	    "1  000000000000000000000000000000000000000000000000000000000000000",
	    "99999999999999999999 0000000000000000000000000000000000000000000000000000000000000000",
	};

	(void)state;
	for (i = 0; i < 32; i++)
		h[i] = (uint8_t)(i * 7);
	ledger_trail_detail(17, h, d);
	assert_int_equal(ledger_trail_parse(d, &seq, back), 0);
	assert_int_equal(seq, 17);
	assert_memory_equal(h, back, 32);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ledger_trail_parse(bad[i], &seq, back) == 0)
			fail_msg("accepted \"%s\"", bad[i]);
	assert_string_equal(ledger_kind_code(LEDGER_TRAIL), "trail");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_append_and_verify, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_record_detail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_too_long_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_edited_row, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_edited_row_rehashed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deleted_row, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_deleted_and_renumbered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_inserted_row, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_recomputed_chain_without_anchor_is_not_caught,
	                                    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_recomputed_chain_caught_by_anchor, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_anchors_narrow_the_change, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_anchored_tail_deleted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_anchor_once_per_head, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_forged_anchor_event, setup, teardown),
	    cmocka_unit_test(test_anchor_detail_parse),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
