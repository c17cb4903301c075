/*
 * store_sqlite_worker.c - workers registered on projects, in SQLite
 * (store_worker.h, store_backend.h).
 *
 * The ID number arrives sealed (id_sealed) with its blind index (id_index),
 * made by the store's front under the same data key as the register's, so
 * "does this registration vouch for the register's ID number" is an
 * equality of two indexes, never a decryption.  A personal certificate
 * number arrives sealed exactly as the certificate table holds it, so the
 * two join on it.
 */
#include "store_worker.h"

#include <string.h>

#include "store_sqlite_int.h"

/* clang-format off */
const char store_sqlite_schema_worker[] =
    "CREATE TABLE project_worker ("
    " id INTEGER PRIMARY KEY,"
    " project INTEGER NOT NULL REFERENCES project (id),"
    " number TEXT NOT NULL DEFAULT '',"
    " name TEXT NOT NULL,"
    " gender INTEGER NOT NULL DEFAULT 0,"
    " id_sealed BLOB NOT NULL,"
    " id_index BLOB NOT NULL,"
    " post TEXT NOT NULL DEFAULT '',"
    " findings INTEGER NOT NULL,"
    " checked_on INTEGER NOT NULL,"
    " added_at INTEGER NOT NULL,"
    " removed_at INTEGER);"
    "CREATE UNIQUE INDEX project_worker_active ON project_worker (project, id_index, number)"
    " WHERE removed_at IS NULL;"
    "CREATE INDEX project_worker_by_number ON project_worker (number) WHERE number <> '';";
/* clang-format on */

#define WORKER_COLUMNS                                                                             \
	"w.id, w.project, w.number, w.name, w.gender, w.id_sealed, w.post, w.findings,"            \
	" w.checked_on, w.added_at, w.removed_at FROM project_worker w"

static const char sql_insert[] =
    "INSERT INTO project_worker (project, number, name, gender, id_sealed, id_index, post,"
    " findings, checked_on, added_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
static const char sql_active[] = "SELECT id FROM project_worker WHERE project = ?1"
                                 " AND id_index = ?2 AND number = ?3 AND removed_at IS NULL";
static const char sql_get[] = "SELECT " WORKER_COLUMNS " WHERE w.id = ?1";
static const char sql_each[] = "SELECT " WORKER_COLUMNS " WHERE w.project = ?1"
                               " AND (?2 OR w.removed_at IS NULL) ORDER BY w.id";
static const char sql_remove[] =
    "UPDATE project_worker SET removed_at = ?2 WHERE id = ?1 AND removed_at IS NULL";
/* A project in one of the states the front names (",code,code,"). */
#define STATE_IN(param) "instr(" param ", ',' || p.state || ',') > 0"
static const char sql_vouched[] =
    "SELECT 1 FROM project_worker w JOIN project p ON p.id = w.project"
    " JOIN certificate c ON c.number = w.number AND c.id_index = w.id_index"
    " WHERE w.number = ?1 AND w.removed_at IS NULL AND " STATE_IN(
        "?4") " AND (?2 = 0 OR p.district = ?2) AND (?3 = 0 OR p.builder = ?3) LIMIT 1";
static const char sql_serves[] =
    "SELECT 1 FROM project_worker w JOIN project p ON p.id = w.project"
    " JOIN certificate c ON c.number = w.number AND c.id_index = w.id_index"
    " WHERE w.number = ?1 AND w.removed_at IS NULL AND " STATE_IN(
        "?3") " AND (p.builder = ?2 OR p.supervisor = ?2) LIMIT 1";
static const char sql_elsewhere[] =
    "SELECT w.project FROM project_worker w JOIN project p ON p.id = w.project"
    " WHERE w.number = ?1 AND w.project <> ?2 AND w.removed_at IS NULL AND " STATE_IN(
        "?3") " ORDER BY w.id LIMIT 1";

/* Step a look-up of one row: 1 and its first column in *first (when not
 * NULL), 0 none, -1 error. */
static int step_one(struct store *st, sqlite3_stmt *q, int64_t *first, struct err *err)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW && first)
		*first = sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_sqlite_error(st, err, "读取人员登记");
}

static void read_worker(sqlite3_stmt *q, struct store_worker_row *r)
{
	struct worker *w = &r->worker;
	size_t n = (size_t)sqlite3_column_bytes(q, 5);

	memset(r, 0, sizeof(*r));
	w->id = sqlite3_column_int64(q, 0);
	w->project = sqlite3_column_int64(q, 1);
	store_sqlite_text(q, 2, r->number, sizeof(r->number));
	store_sqlite_text(q, 3, w->name, sizeof(w->name));
	w->gender = (enum gender)sqlite3_column_int(q, 4);
	store_sqlite_blob(q, 5, r->id_sealed, sizeof(r->id_sealed));
	r->id_sealed_len = n < sizeof(r->id_sealed) ? n : sizeof(r->id_sealed);
	store_sqlite_text(q, 6, w->post, sizeof(w->post));
	w->findings = (verdict_mask)sqlite3_column_int64(q, 7);
	w->checked_on = sqlite3_column_int(q, 8);
	w->added_at = sqlite3_column_int64(q, 9);
	w->removed_at = sqlite3_column_int64(q, 10);
}

static int sq_active(struct store *st, int64_t project, const uint8_t *id_index,
                     size_t id_index_len, const char *number, int64_t *id, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_active, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, project);
	sqlite3_bind_blob(q, 2, id_index, (int)id_index_len, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, number, -1, SQLITE_STATIC);
	return step_one(st, q, id, err);
}

static int sq_insert(struct store *st, const struct store_worker_row *r, int64_t *id,
                     struct err *err)
{
	const struct worker *w = &r->worker;
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_insert, err);
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, w->project);
	sqlite3_bind_text(q, 2, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, w->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, (int)w->gender);
	sqlite3_bind_blob(q, 5, r->id_sealed, (int)r->id_sealed_len, SQLITE_STATIC);
	sqlite3_bind_blob(q, 6, r->id_index, (int)r->id_index_len, SQLITE_STATIC);
	sqlite3_bind_text(q, 7, w->post, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 8, (sqlite3_int64)w->findings);
	sqlite3_bind_int(q, 9, w->checked_on);
	sqlite3_bind_int64(q, 10, w->added_at);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "保存人员登记");
	*id = sqlite3_last_insert_rowid(store_sqlite_db(st));
	return 0;
}

static int sq_get(struct store *st, int64_t id, struct store_worker_row *out, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_get, err);
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		read_worker(q, out);
		rc = 1;
	} else if (rc == SQLITE_DONE) {
		rc = 0;
	} else {
		rc = store_sqlite_error(st, err, "读取人员登记");
	}
	sqlite3_reset(q);
	return rc;
}

static int sq_remove(struct store *st, int64_t id, int64_t now, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_remove, err);
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, now);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "保存人员登记");
	return sqlite3_changes(store_sqlite_db(st)) == 1;
}

static int sq_each(struct store *st, int64_t project, int include_removed, store_worker_row_fn fn,
                   void *arg, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_each, err);
	struct store_worker_row r;
	int step, rc = 0;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, project);
	sqlite3_bind_int(q, 2, include_removed);
	while ((step = sqlite3_step(q)) == SQLITE_ROW) {
		read_worker(q, &r);
		rc = fn(arg, &r);
		if (rc)
			break;
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_sqlite_error(st, err, "读取人员登记");
	sqlite3_reset(q);
	return rc;
}

static int sq_vouched(struct store *st, const char *number, int64_t district, int64_t builder,
                      const char *states, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_vouched, err);

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, district);
	sqlite3_bind_int64(q, 3, builder);
	sqlite3_bind_text(q, 4, states, -1, SQLITE_STATIC);
	return step_one(st, q, NULL, err);
}

static int sq_serves(struct store *st, const char *number, int64_t company, const char *states,
                     struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_serves, err);

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, company);
	sqlite3_bind_text(q, 3, states, -1, SQLITE_STATIC);
	return step_one(st, q, NULL, err);
}

static int sq_elsewhere(struct store *st, const char *number, int64_t project, const char *states,
                        int64_t *other, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_elsewhere, err);

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, project);
	sqlite3_bind_text(q, 3, states, -1, SQLITE_STATIC);
	return step_one(st, q, other, err);
}

const struct store_worker_backend store_sqlite_worker = {
    .active = sq_active,
    .insert = sq_insert,
    .get = sq_get,
    .remove = sq_remove,
    .each = sq_each,
    .vouched = sq_vouched,
    .serves = sq_serves,
    .elsewhere = sq_elsewhere,
};
