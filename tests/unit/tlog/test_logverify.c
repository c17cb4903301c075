/*
 * test_logverify.c - `opcert log verify` (logverify.h) against a database changed
 * behind the system's back with plain SQL on the file: a clean log
 * verifies; an edited, deleted, inserted or rolled-back row, an edited,
 * deleted or swapped log entry, a truncated log with a forged state, and a
 * consistent rewrite caught only by a checkpoint kept elsewhere are each
 * found and named.  Also: stored checkpoints, the findings cap, and proofs
 * over the leaves held in memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert.h"
#include "date.h"
#include "demo.h"
#include "import.h"
#include "ledger.h"
#include "lifecycle.h"
#include "logverify.h"
#include "store.h"
#include "tlog.h"
#include "fixture.h"

#define NOW      ((int64_t)1750000000)
#define NCERTS   60
#define KEY_NAME "opcert-test-log"

/* The storage's table names, for changing the file behind the system's back. */
#define SQL_LOG_ENTRIES "log_entry"
#define SQL_LOG_STATE   "log_state"
#define SQL_CHECKPOINTS "checkpoint"

struct fixture {
	struct fixture_dir tmp;
	struct store *st;
	int32_t today;
	uint8_t pk[crypto_sign_PUBLICKEYBYTES];
	uint8_t sk[crypto_sign_SECRETKEYBYTES];
	/* numbers of the first entries (imports), in log order */
	char number[NCERTS][CERTNO_SIZE];
	/* entries (= import order) of certificates that are not revoked */
	int live[NCERTS];
	int nlive;
};

/* --- plain SQL on the file --- */

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

static void sqlf(const struct fixture *f, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = sqlite3_vmprintf(fmt, ap);
	va_end(ap);
	assert_non_null(text);
	sql(f, text);
	sqlite3_free(text);
}

/* UPDATE with one blob parameter (?1). */
static void sql_blob(const struct fixture *f, const char *text, const void *blob, size_t len)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;

	assert_int_equal(sqlite3_open(f->tmp.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	assert_int_equal(sqlite3_prepare_v2(db, text, -1, &q, NULL), SQLITE_OK);
	sqlite3_bind_blob(q, 1, blob, (int)len, SQLITE_TRANSIENT);
	assert_int_equal(sqlite3_step(q), SQLITE_DONE);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static int64_t sql_count(const struct fixture *f, const char *query)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;
	int64_t n = -1;

	assert_int_equal(sqlite3_open(f->tmp.db, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, query, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/* --- fixture --- */

static int64_t log_size(struct store *st)
{
	struct ledger l;
	struct err err;

	memset(&err, 0, sizeof(err));
	if (ledger_open(&l, st, &err) < 0)
		fail_msg("ledger_open: %s", err.msg);
	return ledger_size(&l);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct demo_options d;
	struct import_options o;
	struct import_stats stats;
	struct store_log_entry *e = malloc(sizeof(*e));
	struct err err;
	char path[FIXTURE_FILE_SIZE];
	int i;

	if (!f || !e || sodium_init() < 0 || fixture_dir_make(&f->tmp, "logverify") != 0)
		return -1;
	f->today = date_from_ymd(2026, 6, 30);
	memset(&d, 0, sizeof(d));
	d.certificates = NCERTS;
	d.roster_rows = 10;
	d.seed = 7;
	d.today = f->today;
	memset(&err, 0, sizeof(err));
	if (demo_write(&d, f->tmp.path, NULL, NULL, &err) < 0) {
		fprintf(stderr, "setup: %s\n", err.msg);
		return -1;
	}
	if (fixture_store(f->tmp.db, &f->st) != 0)
		return -1;
	snprintf(path, sizeof(path), "%s/register.csv", f->tmp.path);
	memset(&o, 0, sizeof(o));
	o.today = f->today;
	o.now = NOW;
	o.source = "register.csv";
	if (import_register(f->st, path, &o, &stats, &err) < 0) {
		fprintf(stderr, "import: %s\n", err.msg);
		return -1;
	}
	for (i = 0; i < NCERTS; i++) {
		if (store_log_get(f->st, i, e, &err) != 1)
			return -1;
		snprintf(f->number[i], CERTNO_SIZE, "%s", e->number);
	}
	free(e);
	for (i = 0; i < NCERTS; i++) {
		struct cert c;

		if (store_cert_get(f->st, f->number[i], &c, &err) != 1)
			return -1;
		if (c.status != CERT_REVOKED)
			f->live[f->nlive++] = i;
	}
	if (f->nlive < 30)
		return -1;
	crypto_sign_keypair(f->pk, f->sk);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	store_close(f->st);
	rc = fixture_dir_remove(&f->tmp);
	sodium_memzero(f->sk, sizeof(f->sk));
	free(f);
	return rc;
}

static struct cert get_cert(struct store *st, const char *number);

/* A renewal by the system, two years on: one more event about number. */
static int64_t renew(struct fixture *f, const char *number)
{
	struct lifecycle_result r;
	struct cert c = get_cert(f->st, number);
	struct err err;
	int32_t from = c.valid_until > f->today ? c.valid_until : f->today;

	memset(&err, 0, sizeof(err));
	if (lifecycle_renew(f->st, NULL, number, from + 730, DATE_NONE, f->today, NOW, &r, &err) <
	    0)
		fail_msg("renew %s: %s", number, err.msg);
	return r.index;
}

/* The number of the k-th certificate that is not revoked, and its import entry. */
#define LIVE(f, k)  ((f)->number[(f)->live[k]])
#define LIVEI(f, k) ((int64_t)(f)->live[k])

static struct cert get_cert(struct store *st, const char *number)
{
	struct cert c;
	struct err err;

	memset(&err, 0, sizeof(err));
	if (store_cert_get(st, number, &c, &err) != 1)
		fail_msg("%s not in the register", number);
	return c;
}

/* A checkpoint of the log as it stands, signed with sk under name. */
static void sign_checkpoint(struct fixture *f, const uint8_t *sk, const char *name,
                            char out[NOTE_MAX + 1])
{
	struct tlog_checkpoint cp;
	struct ledger l;
	struct err err;
	size_t len;

	memset(&err, 0, sizeof(err));
	memset(&cp, 0, sizeof(cp));
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	snprintf(cp.origin, sizeof(cp.origin), "opcert.test/log");
	cp.size = (uint64_t)ledger_size(&l);
	ledger_root(&l, cp.root);
	assert_int_equal(tlog_checkpoint_sign(&cp, name, sk, out, NOTE_MAX + 1, &len, &err), 0);
}

/* Sign a checkpoint, store it, and keep a copy in out (may be NULL). */
static void checkpoint(struct fixture *f, char *out)
{
	char text[NOTE_MAX + 1];
	struct err err;

	memset(&err, 0, sizeof(err));
	sign_checkpoint(f, f->sk, KEY_NAME, text);
	assert_int_equal(store_checkpoint_add(f->st, log_size(f->st), text, NOW, &err), 0);
	if (out)
		memcpy(out, text, sizeof(text));
}

static struct logverify_report verify_log(struct fixture *f, const char *against, size_t max)
{
	struct logverify_options o;
	struct logverify_report r;
	struct err err;

	memset(&o, 0, sizeof(o));
	o.key_name = KEY_NAME;
	o.key_pk = f->pk;
	o.against = against;
	o.against_len = against ? strlen(against) : 0;
	o.max_findings = max;
	memset(&err, 0, sizeof(err));
	if (logverify_run(f->st, &o, &r, &err) < 0)
		fail_msg("logverify_run: %s", err.msg);
	return r;
}

static void show(const struct logverify_report *r)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++)
		fprintf(stderr, "  %s %lld %s: %s\n", logverify_kind_code(r->findings[i].kind),
		        (long long)r->findings[i].index, r->findings[i].number, r->findings[i].msg);
}

/* The finding of kind about index (-1: any) and number (NULL: any), or fail. */
static const struct logverify_finding *
find(const struct logverify_report *r, enum logverify_kind kind, int64_t index, const char *number)
{
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		const struct logverify_finding *x = &r->findings[i];

		if (x->kind == kind && (index < 0 || x->index == index) &&
		    (!number || strcmp(x->number, number) == 0))
			return x;
	}
	show(r);
	fail_msg("no finding %s at %lld %s", logverify_kind_code(kind), (long long)index,
	         number ? number : "");
	return NULL;
}

static size_t row_findings(const struct logverify_report *r)
{
	return r->counts[LOGVERIFY_ROW_EDITED] + r->counts[LOGVERIFY_ROW_ROLLED_BACK] +
	       r->counts[LOGVERIFY_ROW_DELETED] + r->counts[LOGVERIFY_ROW_UNRECORDED];
}

static void expect_total(const struct logverify_report *r, size_t n)
{
	if (r->total != n) {
		show(r);
		fail_msg("%zu findings, expected %zu", r->total, n);
	}
}

/* --- a clean log --- */

static void test_clean(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;
	struct logverify_options o;
	struct err err;
	char cp[NOTE_MAX + 1];

	r = verify_log(f, NULL, 0);
	expect_total(&r, 0);
	assert_int_equal(r.entries, NCERTS);
	assert_int_equal(r.state_size, NCERTS);
	assert_int_equal(r.certificates, NCERTS);
	assert_int_equal(r.numbers, NCERTS);
	assert_int_equal(r.checkpoint, 0);
	logverify_report_release(&r);

	renew(f, LIVE(f, 3));
	checkpoint(f, cp);
	r = verify_log(f, cp, 0);
	expect_total(&r, 0);
	assert_int_equal(r.checkpoint, 1);
	assert_int_equal(r.checkpoint_signed, 1);
	assert_int_equal(r.checkpoint_size, NCERTS + 1);
	assert_int_equal(r.against, 1);
	logverify_report_release(&r);

	/* The log grows past a checkpoint: it still extends it. */
	renew(f, LIVE(f, 4));
	renew(f, LIVE(f, 3));
	r = verify_log(f, cp, 0);
	expect_total(&r, 0);
	assert_int_equal(r.entries, NCERTS + 3);
	logverify_report_release(&r);

	/* Without the key the rest is checked all the same. */
	memset(&o, 0, sizeof(o));
	memset(&err, 0, sizeof(err));
	assert_int_equal(logverify_run(f->st, &o, &r, &err), 0);
	expect_total(&r, 0);
	assert_int_equal(r.checkpoint_signed, 0);
	logverify_report_release(&r);
}

/* --- rows --- */

static void test_row_edited(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;
	const struct logverify_finding *x;

	sqlf(f, "UPDATE certificate SET name = '冒名' WHERE number = %Q", f->number[5]);
	sqlf(f, "UPDATE certificate SET valid_until = valid_until + 365 WHERE number = %Q",
	     f->number[6]);
	r = verify_log(f, NULL, 0);
	expect_total(&r, 2);
	x = find(&r, LOGVERIFY_ROW_EDITED, 5, f->number[5]);
	assert_non_null(strstr(x->msg, f->number[5]));
	find(&r, LOGVERIFY_ROW_EDITED, 6, f->number[6]);
	logverify_report_release(&r);
}

static void test_row_deleted(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;

	sqlf(f, "DELETE FROM certificate WHERE number = %Q", f->number[7]);
	r = verify_log(f, NULL, 0);
	expect_total(&r, 1);
	find(&r, LOGVERIFY_ROW_DELETED, 7, f->number[7]);
	assert_int_equal(r.certificates, NCERTS - 1);
	logverify_report_release(&r);
}

static void test_row_inserted(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;
	struct cert c = get_cert(f->st, f->number[8]);
	char number[CERTNO_SIZE];

	/* A copy of a genuine row under a number the register never issued. */
	snprintf(number, sizeof(number), "%s", c.number);
	if (number[0] == 'T') {
		/* an emergency number must embed a valid ID: use another row's
		 * construction number form instead */
		snprintf(number, sizeof(number), "黔A012020999999");
	} else {
		memcpy(number + strlen(number) - 6, "999999", 6);
	}
	sqlf(f,
	     "INSERT INTO certificate (number, system, name, gender, id_sealed, id_index, trade,"
	     " issuer, issued_on, valid_until, review_due, status, training_institution,"
	     " created_at, updated_at)"
	     " SELECT %Q, 1, name, gender, id_sealed, id_index, '01', issuer, issued_on,"
	     " valid_until, review_due, 0, training_institution, created_at, updated_at"
	     " FROM certificate WHERE number = %Q",
	     number, f->number[8]);
	r = verify_log(f, NULL, 0);
	expect_total(&r, 1);
	find(&r, LOGVERIFY_ROW_UNRECORDED, -1, number);
	logverify_report_release(&r);
}

static void test_row_rolled_back(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;
	const char *n9 = LIVE(f, 9), *n10 = LIVE(f, 10);
	struct cert old9 = get_cert(f->st, n9), old10 = get_cert(f->st, n10);
	int64_t i9, i10;

	i9 = renew(f, n9);
	i10 = renew(f, n10);
	assert_int_equal(get_cert(f->st, n9).ledger_index, i9);
	/* Back to the state the import recorded, pointer and all. */
	sqlf(f, "UPDATE certificate SET valid_until = %d, ledger_index = %lld WHERE number = %Q",
	     old9.valid_until, (long long)old9.ledger_index, n9);
	/* The content alone, the pointer left at the renewal. */
	sqlf(f, "UPDATE certificate SET valid_until = %d WHERE number = %Q", old10.valid_until,
	     n10);
	r = verify_log(f, NULL, 0);
	expect_total(&r, 2);
	find(&r, LOGVERIFY_ROW_ROLLED_BACK, LIVEI(f, 9), n9);
	find(&r, LOGVERIFY_ROW_EDITED, i10, n10);
	logverify_report_release(&r);
}

/* --- entries --- */

static void test_entry_edited(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;

	checkpoint(f, NULL);
	/* One byte of an event, its leaf hash left as it was. */
	sql(f, "UPDATE " SQL_LOG_ENTRIES " SET data = substr(data, 1, 40) || x'00' ||"
	       " substr(data, 42) WHERE idx = 11");
	/* The number column of another. */
	sql(f, "UPDATE " SQL_LOG_ENTRIES " SET number = 'X' WHERE idx = 12");
	r = verify_log(f, NULL, 0);
	find(&r, LOGVERIFY_ENTRY_EDITED, 11, NULL);
	find(&r, LOGVERIFY_ENTRY_EDITED, 12, NULL);
	find(&r, LOGVERIFY_TREE_MISMATCH, -1, NULL);
	find(&r, LOGVERIFY_CHECKPOINT_MISMATCH, -1, NULL);
	/* The rows those entries record are not blamed for them. */
	assert_int_equal(row_findings(&r), 0);
	logverify_report_release(&r);
}

static void test_entry_deleted(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;
	const struct logverify_finding *x;

	sql(f, "DELETE FROM " SQL_LOG_ENTRIES " WHERE idx = 13");
	r = verify_log(f, NULL, 0);
	x = find(&r, LOGVERIFY_ENTRY_DELETED, 13, "");
	assert_non_null(strstr(x->msg, "第 13 条"));
	/* and the row that entry recorded says where its record went */
	find(&r, LOGVERIFY_ENTRY_DELETED, 13, f->number[13]);
	assert_int_equal(row_findings(&r), 0);
	logverify_report_release(&r);
}

static void test_entries_swapped(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;

	checkpoint(f, NULL);
	sql(f, "CREATE TABLE t AS SELECT * FROM " SQL_LOG_ENTRIES " WHERE idx IN (14, 15);"
	       "UPDATE " SQL_LOG_ENTRIES " SET"
	       " number = (SELECT number FROM t WHERE t.idx = 29 - " SQL_LOG_ENTRIES ".idx),"
	       " leaf = (SELECT leaf FROM t WHERE t.idx = 29 - " SQL_LOG_ENTRIES ".idx),"
	       " data = (SELECT data FROM t WHERE t.idx = 29 - " SQL_LOG_ENTRIES ".idx)"
	       " WHERE idx IN (14, 15);"
	       "DROP TABLE t");
	r = verify_log(f, NULL, 0);
	find(&r, LOGVERIFY_ENTRY_REORDERED, 14, f->number[14]);
	find(&r, LOGVERIFY_ENTRY_REORDERED, 15, f->number[15]);
	find(&r, LOGVERIFY_TREE_MISMATCH, -1, NULL);
	find(&r, LOGVERIFY_CHECKPOINT_MISMATCH, -1, NULL);
	assert_int_equal(row_findings(&r), 0);
	logverify_report_release(&r);
}

/* Rewrite the state as the frontier of the entries now stored. */
static void forge_state(struct fixture *f)
{
	struct logverify_leaves l;
	struct tlog_frontier fr;
	uint8_t buf[TLOG_FRONTIER_MAX_BYTES];
	struct err err;
	int64_t n;
	size_t len;
	char text[128];

	memset(&err, 0, sizeof(err));
	n = sql_count(f, "SELECT count(*) FROM " SQL_LOG_ENTRIES);
	assert_int_equal(logverify_leaves_load(f->st, (uint64_t)n, &l, &err), 0);
	assert_int_equal(tlog_frontier_rebuild(&fr, (uint64_t)n, logverify_leaf, &l, &err), 0);
	logverify_leaves_release(&l);
	len = tlog_frontier_serialize(&fr, buf);
	snprintf(text, sizeof(text), "UPDATE " SQL_LOG_STATE " SET size = %lld, frontier = ?1",
	         (long long)n);
	sql_blob(f, text, buf, len);
}

static void test_truncated_forged_state(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;
	char cp[NOTE_MAX + 1];
	const char *a = LIVE(f, 20), *b = LIVE(f, 21);
	struct cert olda = get_cert(f->st, a), oldb = get_cert(f->st, b);
	int64_t ia, ib;

	ia = renew(f, a);
	ib = renew(f, b);
	checkpoint(f, cp);
	/* The last two entries go, the state is made to fit. */
	sqlf(f, "DELETE FROM " SQL_LOG_ENTRIES " WHERE idx >= %lld", (long long)ia);
	forge_state(f);
	r = verify_log(f, cp, 0);
	assert_int_equal(r.entries, NCERTS);
	assert_int_equal(r.counts[LOGVERIFY_TREE_MISMATCH], 0);
	assert_int_equal(r.counts[LOGVERIFY_STATE_INVALID], 0);
	find(&r, LOGVERIFY_CHECKPOINT_MISMATCH, NCERTS, NULL);
	find(&r, LOGVERIFY_LOG_REWRITTEN, NCERTS, NULL);
	find(&r, LOGVERIFY_ENTRY_DELETED, ia, a);
	find(&r, LOGVERIFY_ENTRY_DELETED, ib, b);
	logverify_report_release(&r);

	/* A careful writer also puts the rows back and removes the stored
	 * checkpoints: only the copy kept elsewhere tells. */
	sqlf(f, "UPDATE certificate SET valid_until = %d, ledger_index = %lld WHERE number = %Q",
	     olda.valid_until, (long long)olda.ledger_index, a);
	sqlf(f, "UPDATE certificate SET valid_until = %d, ledger_index = %lld WHERE number = %Q",
	     oldb.valid_until, (long long)oldb.ledger_index, b);
	sql(f, "DELETE FROM " SQL_CHECKPOINTS);
	r = verify_log(f, NULL, 0);
	expect_total(&r, 0);
	logverify_report_release(&r);
	r = verify_log(f, cp, 0);
	expect_total(&r, 1);
	find(&r, LOGVERIFY_LOG_REWRITTEN, NCERTS, NULL);
	logverify_report_release(&r);
}

static void test_rewrite_against(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;
	struct logverify_options o;
	struct store_log_entry *e = malloc(sizeof(*e));
	struct ledger_event ev;
	struct cert c;
	struct err err;
	char cp[NOTE_MAX + 1], other[NOTE_MAX + 1];
	char num[CERTNO_SIZE], det[STORE_LOG_DATA_MAX];
	uint8_t opk[crypto_sign_PUBLICKEYBYTES], osk[crypto_sign_SECRETKEYBYTES];
	const char *n = f->number[30];

	assert_non_null(e);
	checkpoint(f, cp);
	/* A consistent rewrite: the row, the event recording it, its leaf and
	 * the state all changed together; the stored checkpoints removed. */
	sqlf(f, "UPDATE certificate SET name = '冒名' WHERE number = %Q", n);
	c = get_cert(f->st, n);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_log_get(f->st, 30, e, &err), 1);
	assert_int_equal(ledger_decode(e->data, e->len, &ev, num, sizeof(num), det, sizeof(det)),
	                 0);
	ledger_row_hash(&c, ev.row_hash);
	e->len = ledger_encode(&ev, e->data, sizeof(e->data));
	assert_true(e->len > 0);
	sql_blob(f, "UPDATE " SQL_LOG_ENTRIES " SET data = ?1 WHERE idx = 30", e->data, e->len);
	tlog_leaf_hash(e->data, e->len, e->leaf);
	sql_blob(f, "UPDATE " SQL_LOG_ENTRIES " SET leaf = ?1 WHERE idx = 30", e->leaf, 32);
	forge_state(f);
	sql(f, "DELETE FROM " SQL_CHECKPOINTS);
	free(e);

	r = verify_log(f, NULL, 0);
	expect_total(&r, 0); /* invisible from inside the database */
	logverify_report_release(&r);
	r = verify_log(f, cp, 0);
	expect_total(&r, 1);
	find(&r, LOGVERIFY_LOG_REWRITTEN, -1, NULL);
	assert_non_null(strstr(r.findings[0].msg, "日志被改写"));
	logverify_report_release(&r);

	/* A checkpoint the log key did not sign is an input error. */
	crypto_sign_keypair(opk, osk);
	sign_checkpoint(f, osk, KEY_NAME, other);
	memset(&o, 0, sizeof(o));
	o.key_name = KEY_NAME;
	o.key_pk = f->pk;
	o.against = other;
	o.against_len = strlen(other);
	assert_int_equal(logverify_run(f->st, &o, &r, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	o.against = "not a checkpoint\n";
	o.against_len = strlen(o.against);
	assert_int_equal(logverify_run(f->st, &o, &r, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	/* and so is one without the key to check it */
	o.key_name = NULL;
	o.key_pk = NULL;
	o.against = cp;
	o.against_len = strlen(cp);
	assert_int_equal(logverify_run(f->st, &o, &r, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);

	/* A stored checkpoint by another key is a finding. */
	assert_int_equal(store_checkpoint_add(f->st, log_size(f->st), other, NOW, &err), 0);
	r = verify_log(f, NULL, 0);
	find(&r, LOGVERIFY_CHECKPOINT_INVALID, -1, NULL);
	logverify_report_release(&r);
	sodium_memzero(osk, sizeof(osk));
}

static void test_state_missing(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;

	sql(f, "DELETE FROM " SQL_LOG_STATE);
	r = verify_log(f, NULL, 0);
	expect_total(&r, 1);
	find(&r, LOGVERIFY_STATE_INVALID, -1, NULL);
	logverify_report_release(&r);
}

static void test_findings_cap(void **state)
{
	struct fixture *f = *state;
	struct logverify_report r;

	sql(f, "DELETE FROM certificate");
	r = verify_log(f, NULL, 5);
	assert_int_equal(r.total, NCERTS);
	assert_int_equal(r.nfindings, 5);
	assert_int_equal(r.counts[LOGVERIFY_ROW_DELETED], NCERTS);
	logverify_report_release(&r);
}

/* --- proofs over the leaves in memory --- */

static void test_proofs(void **state)
{
	struct fixture *f = *state;
	struct logverify_leaves l;
	struct tlog_proof p;
	struct ledger led;
	struct err err;
	uint8_t root[32], old_root[32];
	uint64_t n, m;

	renew(f, LIVE(f, 1));
	memset(&err, 0, sizeof(err));
	assert_int_equal(ledger_open(&led, f->st, &err), 0);
	n = (uint64_t)ledger_size(&led);
	ledger_root(&led, root);
	assert_int_equal(logverify_leaves_load(f->st, n, &l, &err), 0);
	for (m = 0; m < n; m++) {
		assert_int_equal(tlog_prove_inclusion(m, n, logverify_leaf, &l, &p, &err), 0);
		assert_true(tlog_verify_inclusion(l.hash[m], m, n, &p, root));
	}
	for (m = 0; m <= n; m += 7) {
		assert_int_equal(tlog_root(m, logverify_leaf, &l, old_root, &err), 0);
		assert_int_equal(tlog_prove_consistency(m, n, logverify_leaf, &l, &p, &err), 0);
		assert_true(tlog_verify_consistency(m, n, old_root, root, &p));
	}
	assert_int_not_equal(logverify_leaf(&l, n, old_root), 0);
	logverify_leaves_release(&l);
	/* More leaves than stored: an error that names the way out. */
	assert_int_equal(logverify_leaves_load(f->st, n + 1, &l, &err), -1);
	assert_non_null(strstr(err.msg, "opcert log verify"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_clean),           T(test_row_edited),      T(test_row_deleted),
	    T(test_row_inserted),    T(test_row_rolled_back), T(test_entry_edited),
	    T(test_entry_deleted),   T(test_entries_swapped), T(test_truncated_forged_state),
	    T(test_rewrite_against), T(test_state_missing),   T(test_findings_cap),
	    T(test_proofs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
