/*
 * store_sqlite_probe.c - the probe limit's tries, in SQLite
 * (store_probe.h).
 *
 * probe holds keyed hashes only (probe.h makes them): cert_key stands for
 * a certificate (or the mask of an emergency-management number), id_index
 * for what was tried, NULL for a refusal.  Neither opens to a number
 * without the data key, and the key is one the other tables do not use,
 * so the rows join nothing.  A miss is unique by subject, certificate and
 * guess (a refusal, with its NULL, never conflicts).
 */
#include "store_probe.h"

#include <string.h>

#include "store_backend.h"
#include "store_sqlite_int.h"

/* clang-format off */
const char store_sqlite_schema_probe[] =
    "CREATE TABLE probe ("
    " id INTEGER PRIMARY KEY,"
    " subject TEXT NOT NULL,"
    " cert_key BLOB NOT NULL,"
    " id_index BLOB,"
    " at INTEGER NOT NULL);"
    "CREATE UNIQUE INDEX probe_miss ON probe (subject, cert_key, id_index);"
    "CREATE INDEX probe_by_subject ON probe (subject, at);"
    "CREATE INDEX probe_by_time ON probe (at);";
/* clang-format on */

static const char sql_any[] = "SELECT 1 FROM probe WHERE subject = ?1 AND at >= ?2 LIMIT 1";
static const char sql_misses[] =
    "SELECT cert_key, id_index, at FROM probe WHERE subject = ?1 AND cert_key = ?2"
    " AND id_index IS NOT NULL AND at >= ?3 ORDER BY at, id";
static const char sql_misses_all[] =
    "SELECT cert_key, id_index, at FROM probe WHERE subject = ?1 AND ?2 IS NULL"
    " AND id_index IS NOT NULL AND at >= ?3 ORDER BY cert_key, at, id";
static const char sql_refusals[] =
    "SELECT count(*) FROM probe WHERE subject = ?1 AND id_index IS NULL AND at >= ?2";
static const char sql_add[] =
    "INSERT INTO probe (subject, cert_key, id_index, at) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (subject, cert_key, id_index) DO UPDATE SET at = max(at, excluded.at)";
static const char sql_prune[] = "DELETE FROM probe WHERE at < ?1";
static const char sql_clear[] = "DELETE FROM probe WHERE subject = ?1";
static const char sql_clear_cert[] = "DELETE FROM probe WHERE subject = ?1 AND cert_key = ?2";
static const char sql_each[] =
    "SELECT p.subject,"
    " count(DISTINCT CASE WHEN p.id_index IS NOT NULL THEN p.cert_key END),"
    " count(p.id_index), sum(p.id_index IS NULL),"
    " (SELECT count(*) FROM (SELECT 1 FROM probe q WHERE q.subject = p.subject"
    "   AND q.at >= ?1 AND q.id_index IS NOT NULL GROUP BY q.cert_key"
    "   HAVING count(*) >= ?2)),"
    " max(p.at)"
    " FROM probe p WHERE p.at >= ?1 GROUP BY p.subject ORDER BY max(p.at) DESC, p.subject";

static int failed(struct store *st, sqlite3_stmt *q, struct err *err)
{
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return store_sqlite_error(st, err, "核对次数记录");
}

static int done(struct store *st, sqlite3_stmt *q, struct err *err)
{
	int rc = sqlite3_step(q);

	if (rc != SQLITE_DONE)
		return failed(st, q, err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return 0;
}

static int sq_any(struct store *st, const char *subject, int64_t since, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_any, err);
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, since);
	rc = sqlite3_step(q);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return failed(st, q, err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc == SQLITE_ROW;
}

/* A key column into out (zeros when it is not a key). */
static void key_column(sqlite3_stmt *q, int col, uint8_t out[STORE_PROBE_KEY_LEN])
{
	const void *k = sqlite3_column_blob(q, col);

	memset(out, 0, STORE_PROBE_KEY_LEN);
	if (k && sqlite3_column_bytes(q, col) == STORE_PROBE_KEY_LEN)
		memcpy(out, k, STORE_PROBE_KEY_LEN);
}

static int sq_misses(struct store *st, const char *subject, const uint8_t *cert, int64_t since,
                     store_probe_miss_fn fn, void *arg, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, cert ? sql_misses : sql_misses_all, err);
	struct store_probe_miss m;
	int step, rc = 0;

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, subject, -1, SQLITE_STATIC);
	if (cert)
		sqlite3_bind_blob(q, 2, cert, STORE_PROBE_KEY_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, since);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		key_column(q, 0, m.cert);
		key_column(q, 1, m.guess);
		m.at = sqlite3_column_int64(q, 2);
		rc = fn(arg, &m);
		if (rc)
			break;
	}
	if (!rc && step != SQLITE_DONE)
		return failed(st, q, err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

static int sq_refusals(struct store *st, const char *subject, int64_t since, long *n,
                       struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_refusals, err);

	*n = 0;
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, since);
	if (sqlite3_step(q) != SQLITE_ROW)
		return failed(st, q, err);
	*n = (long)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return 0;
}

static int sq_add(struct store *st, const char *subject, const uint8_t *cert, const uint8_t *guess,
                  int64_t at, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_add, err);

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, subject, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 2, cert, STORE_PROBE_KEY_LEN, SQLITE_STATIC);
	if (guess)
		sqlite3_bind_blob(q, 3, guess, STORE_PROBE_KEY_LEN, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 3);
	sqlite3_bind_int64(q, 4, at);
	return done(st, q, err);
}

static int sq_prune(struct store *st, int64_t before, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_prune, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, before);
	return done(st, q, err);
}

static int sq_clear(struct store *st, const char *subject, const uint8_t *cert, long *n,
                    struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, cert ? sql_clear_cert : sql_clear, err);

	*n = 0;
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, subject, -1, SQLITE_STATIC);
	if (cert)
		sqlite3_bind_blob(q, 2, cert, STORE_PROBE_KEY_LEN, SQLITE_STATIC);
	if (done(st, q, err) < 0)
		return -1;
	*n = (long)sqlite3_changes(store_sqlite_db(st));
	return 0;
}

static int sq_each(struct store *st, int64_t since, long limit, store_probe_fn fn, void *arg,
                   struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_each, err);
	struct store_probe_summary s;
	int step, rc = 0;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, since);
	sqlite3_bind_int64(q, 2, limit);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&s, 0, sizeof(s));
		store_sqlite_text(q, 0, s.subject, sizeof(s.subject));
		s.certificates = (long)sqlite3_column_int64(q, 1);
		s.misses = (long)sqlite3_column_int64(q, 2);
		s.refusals = (long)sqlite3_column_int64(q, 3);
		s.at_limit = (long)sqlite3_column_int64(q, 4);
		s.last = sqlite3_column_int64(q, 5);
		rc = fn(arg, &s);
		if (rc)
			break;
	}
	if (!rc && step != SQLITE_DONE)
		return failed(st, q, err);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return rc;
}

const struct store_probe_backend store_sqlite_probe = {
    .any = sq_any,
    .misses = sq_misses,
    .refusals = sq_refusals,
    .add = sq_add,
    .prune = sq_prune,
    .clear = sq_clear,
    .each = sq_each,
};
