/*
 * store_sqlite_trail.c - the audit trail in SQLite (store_trail.h).
 *
 * The table refuses UPDATE and DELETE through triggers.  That keeps honest
 * code and hurried administrators from rewriting history; someone with the
 * file can drop the triggers, which is what the hash chain and its anchors
 * in the signed log are for (trail.c).
 */
#include "store_trail.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "store_sqlite_int.h"

const char store_sqlite_schema_trail[] =
    "CREATE TABLE trail ("
    " seq INTEGER PRIMARY KEY,"
    " at INTEGER NOT NULL,"
    " login TEXT NOT NULL,"
    " role TEXT NOT NULL,"
    " addr TEXT NOT NULL,"
    " action TEXT NOT NULL,"
    " object TEXT NOT NULL,"
    " detail TEXT,"
    " prev BLOB NOT NULL,"
    " hash BLOB NOT NULL);"
    "CREATE INDEX trail_by_login ON trail (login, seq);"
    "CREATE INDEX trail_by_time ON trail (at);"
    "CREATE TRIGGER trail_no_update BEFORE UPDATE ON trail"
    " BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改'); END;"
    "CREATE TRIGGER trail_no_delete BEFORE DELETE ON trail"
    " BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能删除'); END;"
    "CREATE TABLE trail_anchor ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " log_index INTEGER NOT NULL);";

static const char sql_head[] = "SELECT seq, hash FROM trail ORDER BY seq DESC LIMIT 1";
static const char sql_append[] =
    "INSERT INTO trail (seq, at, login, role, addr, action, object, detail, prev, hash)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_get[] =
    "SELECT seq, at, login, role, addr, action, object, detail, prev, hash"
    " FROM trail WHERE seq = ?1";
static const char sql_each[] =
    "SELECT seq, at, login, role, addr, action, object, detail, prev, hash"
    " FROM trail WHERE seq >= ?1 AND at >= ?2 AND (?3 IS NULL OR login = ?3) ORDER BY seq";
static const char sql_anchor_get[] = "SELECT log_index FROM trail_anchor WHERE id = 1";
static const char sql_anchor_set[] =
    "INSERT INTO trail_anchor (id, log_index) VALUES (1, ?1)"
    " ON CONFLICT (id) DO UPDATE SET log_index = excluded.log_index";

static void copy_blob(sqlite3_stmt *q, int col, uint8_t out[TRAIL_HASH_LEN], int *bad)
{
	const void *p = sqlite3_column_blob(q, col);
	int n = sqlite3_column_bytes(q, col);

	memset(out, 0, TRAIL_HASH_LEN);
	if (p && n > 0)
		memcpy(out, p, n < TRAIL_HASH_LEN ? (size_t)n : TRAIL_HASH_LEN);
	if (n != TRAIL_HASH_LEN || sqlite3_column_type(q, col) != SQLITE_BLOB)
		*bad = 1;
}

static void read_row(sqlite3_stmt *q, struct store_trail_entry *e)
{
	e->seq = sqlite3_column_int64(q, 0);
	e->at = sqlite3_column_int64(q, 1);
	store_sqlite_text(q, 2, e->login, sizeof(e->login));
	store_sqlite_text(q, 3, e->role, sizeof(e->role));
	store_sqlite_text(q, 4, e->addr, sizeof(e->addr));
	store_sqlite_text(q, 5, e->action, sizeof(e->action));
	store_sqlite_text(q, 6, e->object, sizeof(e->object));
	e->has_detail = sqlite3_column_type(q, 7) != SQLITE_NULL;
	if (e->has_detail)
		store_sqlite_text(q, 7, e->detail, sizeof(e->detail));
	else
		e->detail[0] = '\0';
	e->bad_blob = 0;
	copy_blob(q, 8, e->prev, &e->bad_blob);
	copy_blob(q, 9, e->hash, &e->bad_blob);
}

static int sq_head(struct store *st, int64_t *seq, uint8_t hash[TRAIL_HASH_LEN], struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_head, err);
	int rc, bad = 0;

	if (!q)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_sqlite_error(st, err, "读取审计记录");
	*seq = sqlite3_column_int64(q, 0);
	copy_blob(q, 1, hash, &bad);
	sqlite3_reset(q);
	return 1;
}

static int sq_append(struct store *st, const struct store_trail_entry *e, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_append, err);
	int rc;

	if (!q)
		return -1;
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
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "写入审计记录");
	return 0;
}

static int sq_get(struct store *st, int64_t seq, struct store_trail_entry *out, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_get, err);
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, seq);
	rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_sqlite_error(st, err, "读取审计记录");
	read_row(q, out);
	sqlite3_reset(q);
	return 1;
}

static int sq_each(struct store *st, const struct store_trail_filter *f, store_trail_fn fn,
                   void *arg, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_each, err);
	struct store_trail_entry *e;
	int rc, ret = 0;

	if (!q)
		return -1;
	e = malloc(sizeof(*e));
	if (!e)
		return err_system(err, "内存不足");
	sqlite3_bind_int64(q, 1, f ? f->from_seq : 0);
	sqlite3_bind_int64(q, 2, f ? f->since : INT64_MIN);
	if (f && f->login)
		sqlite3_bind_text(q, 3, f->login, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(q, 3);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_row(q, e);
		ret = fn(arg, e);
		if (ret != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = store_sqlite_error(st, err, "读取审计记录");
	sqlite3_reset(q);
	free(e);
	return ret;
}

static int sq_anchor_get(struct store *st, int64_t *log_index, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_anchor_get, err);
	int rc;

	if (!q)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(q);
		return 0;
	}
	if (rc != SQLITE_ROW)
		return store_sqlite_error(st, err, "读取审计锚点");
	*log_index = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return 1;
}

static int sq_anchor_set(struct store *st, int64_t log_index, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_anchor_set, err);
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, log_index);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "写入审计锚点");
	return 0;
}

const struct store_trail_backend store_sqlite_trail = {
    .head = sq_head,
    .append = sq_append,
    .get = sq_get,
    .each = sq_each,
    .anchor_get = sq_anchor_get,
    .anchor_set = sq_anchor_set,
};
