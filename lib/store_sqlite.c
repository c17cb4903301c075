/*
 * store_sqlite.c - the SQLite backend of store.h.
 *
 * One connection per struct store, used by one thread at a time (the
 * server opens one per worker).  WAL mode so readers never wait for an
 * import; every statement is prepared once and reused; the schema is a list
 * of migrations applied in order, recorded in PRAGMA user_version, and the
 * file is marked with an application id so opcert never writes into a
 * database that is not its own.
 *
 * ID numbers are bound through pii.h only.
 */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "date.h"
#include "pii.h"

#define OPCERT_APPLICATION_ID 0x4f504345 /* "OPCE" */

static const char *const migrations[] = {
    /* 1: the register */
    "CREATE TABLE certificate ("
    " id INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL UNIQUE,"
    " system INTEGER NOT NULL CHECK (system IN (1, 2)),"
    " name TEXT NOT NULL,"
    " gender INTEGER NOT NULL CHECK (gender IN (1, 2)),"
    " id_sealed BLOB NOT NULL,"
    " id_index BLOB NOT NULL,"
    " trade TEXT NOT NULL,"
    " issuer TEXT NOT NULL,"
    " issued_on INTEGER NOT NULL,"
    " valid_until INTEGER NOT NULL,"
    " review_due INTEGER,"
    " status INTEGER NOT NULL CHECK (status IN (0, 1, 2)),"
    " training_institution TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL);"
    "CREATE INDEX certificate_by_id ON certificate (id_index);"
    "CREATE TABLE certificate_change ("
    " id INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL,"
    " changed_at INTEGER NOT NULL,"
    " change TEXT NOT NULL);"
    "CREATE INDEX certificate_change_by_number ON certificate_change (number);"
    "CREATE TABLE issuer_prefix (prefix TEXT PRIMARY KEY) WITHOUT ROWID;",
};
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

enum stmt_id {
	ST_GET,
	ST_INSERT,
	ST_UPDATE,
	ST_CHANGE,
	ST_COUNT,
	ST_PREFIX_ADD,
	ST_PREFIX_LIST,
	ST_COUNT_ALL
};

static const char *const stmt_sql[ST_COUNT_ALL] = {
    [ST_GET] = "SELECT system, name, gender, id_sealed, trade, issuer, issued_on, valid_until,"
               " review_due, status, training_institution FROM certificate WHERE number = ?1",
    [ST_INSERT] = "INSERT INTO certificate (number, system, name, gender, id_sealed, id_index,"
                  " trade, issuer, issued_on, valid_until, review_due, status,"
                  " training_institution, created_at, updated_at)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
    [ST_UPDATE] = "UPDATE certificate SET system = ?2, name = ?3, gender = ?4, id_sealed = ?5,"
                  " id_index = ?6, trade = ?7, issuer = ?8, issued_on = ?9, valid_until = ?10,"
                  " review_due = ?11, status = ?12, training_institution = ?13,"
                  " updated_at = ?14 WHERE number = ?1",
    [ST_CHANGE] = "INSERT INTO certificate_change (number, changed_at, change)"
                  " VALUES (?1, ?2, ?3)",
    [ST_COUNT] = "SELECT count(*) FROM certificate",
    [ST_PREFIX_ADD] = "INSERT OR IGNORE INTO issuer_prefix (prefix) VALUES (?1)",
    [ST_PREFIX_LIST] = "SELECT prefix FROM issuer_prefix ORDER BY prefix",
};

struct sqlite_store {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT_ALL];
	int in_txn;
	int bulk;
};

static struct sqlite_store *impl(struct store *st)
{
	return st->impl;
}

static int db_error(struct err *err, sqlite3 *db, const char *what)
{
	int rc = sqlite3_errcode(db);

	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return err_input(err, "%s: 不是有效的数据库文件（%s）", what, sqlite3_errmsg(db));
	return err_system(err, "%s: %s", what, sqlite3_errmsg(db));
}

static int exec(sqlite3 *db, const char *sql, struct err *err)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int kind_input = sqlite3_errcode(db) == SQLITE_NOTADB;

		if (kind_input)
			err_input(err, "不是有效的数据库文件（%s）", msg ? msg : "?");
		else
			err_system(err, "数据库错误: %s", msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int pragma_int(sqlite3 *db, const char *sql, int *out, struct err *err)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return db_error(err, db, "读取数据库");
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return db_error(err, db, "读取数据库");
	}
	*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

static int migrate(sqlite3 *db, int readonly, struct err *err)
{
	int version, appid, tables;
	char sql[64];
	size_t i;

	if (pragma_int(db, "PRAGMA user_version", &version, err) < 0 ||
	    pragma_int(db, "PRAGMA application_id", &appid, err) < 0 ||
	    pragma_int(db, "SELECT count(*) FROM sqlite_schema", &tables, err) < 0)
		return -1;
	if (appid != OPCERT_APPLICATION_ID && (appid != 0 || tables != 0))
		return err_input(err, "这不是 opcert 数据库（文件中已有其他数据）");
	if (version > (int)NMIGRATIONS)
		return err_input(err, "数据库版本 %d 比本程序新（支持到 %d），请升级 opcert",
		                 version, (int)NMIGRATIONS);
	if (version == (int)NMIGRATIONS)
		return 0;
	if (readonly)
		return err_input(err, "数据库需要升级，请先运行 opcert init");
	if (exec(db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	for (i = (size_t)version; i < NMIGRATIONS; i++) {
		if (exec(db, migrations[i], err) < 0)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", (int)NMIGRATIONS);
	if (exec(db, sql, err) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", OPCERT_APPLICATION_ID);
	if (exec(db, sql, err) < 0)
		goto fail;
	return exec(db, "COMMIT", err);
fail:
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

static void sq_close(struct store *st)
{
	struct sqlite_store *s = impl(st);
	int i;

	if (!s)
		return;
	for (i = 0; i < ST_COUNT_ALL; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s);
	st->impl = NULL;
}

static int sq_open(struct store *st, const char *path, int flags, struct err *err)
{
	struct sqlite_store *s;
	struct stat sb;
	int oflags, i, readonly = (flags & STORE_READONLY) != 0;

	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
		return err_input(err, "数据库文件不存在：%s（请先运行 opcert init）", path);
	s = calloc(1, sizeof(*s));
	if (!s)
		return err_system(err, "内存不足");
	st->impl = s;
	oflags = SQLITE_OPEN_NOMUTEX | (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
	         ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		if (s->db)
			err_system(err, "无法打开数据库 %s: %s", path, sqlite3_errmsg(s->db));
		else
			err_system(err, "无法打开数据库 %s", path);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	if (exec(s->db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", err) < 0)
		goto fail;
	if (migrate(s->db, readonly, err) < 0)
		goto fail;
	/* Only now that the file is known to be ours: never change another's. */
	if (!readonly && exec(s->db, "PRAGMA journal_mode = WAL", err) < 0)
		goto fail;
	for (i = 0; i < ST_COUNT_ALL; i++) {
		if (sqlite3_prepare_v3(s->db, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
		                       &s->stmt[i], NULL) != SQLITE_OK) {
			db_error(err, s->db, "准备数据库语句");
			goto fail;
		}
	}
	return 0;
fail:
	sq_close(st);
	return -1;
}

static int sq_begin(struct store *st, enum store_txn kind, struct err *err)
{
	struct sqlite_store *s = impl(st);

	if (kind == STORE_TXN_BULK) {
		/* A large import touches index pages all over the file; a big
		 * page cache keeps them from being written out and re-read. */
		if (exec(s->db, "PRAGMA cache_size = -262144", err) < 0)
			return -1;
		s->bulk = 1;
	}
	if (exec(s->db, kind == STORE_TXN_READ ? "BEGIN" : "BEGIN IMMEDIATE", err) < 0)
		return -1;
	s->in_txn = 1;
	return 0;
}

static void end_bulk(struct sqlite_store *s)
{
	if (s->bulk) {
		sqlite3_exec(s->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
		s->bulk = 0;
	}
}

static int sq_commit(struct store *st, struct err *err)
{
	struct sqlite_store *s = impl(st);
	int rc = exec(s->db, "COMMIT", err);

	s->in_txn = 0;
	end_bulk(s);
	return rc;
}

static void sq_rollback(struct store *st)
{
	struct sqlite_store *s = impl(st);

	if (s->in_txn)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_txn = 0;
	end_bulk(s);
}

static void copy_column(sqlite3_stmt *q, int col, char *dst, size_t size)
{
	const unsigned char *p = sqlite3_column_text(q, col);
	size_t n = (size_t)sqlite3_column_bytes(q, col);

	if (!p)
		n = 0;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, p, n);
	dst[n] = '\0';
}

static int sq_cert_get(struct store *st, const char *number, struct cert *c, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_GET];
	int rc, found = 0;

	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(c, 0, sizeof(*c));
		snprintf(c->number, sizeof(c->number), "%s", number);
		c->system = (enum cert_system)sqlite3_column_int(q, 0);
		copy_column(q, 1, c->name, sizeof(c->name));
		c->gender = (enum gender)sqlite3_column_int(q, 2);
		if (pii_open(sqlite3_column_blob(q, 3), (size_t)sqlite3_column_bytes(q, 3),
		             c->id_number) < 0) {
			sqlite3_reset(q);
			return err_system(err, "数据库中证书 %s 的身份证号码无法读取", number);
		}
		copy_column(q, 4, c->trade, sizeof(c->trade));
		copy_column(q, 5, c->issuer, sizeof(c->issuer));
		c->issued_on = sqlite3_column_int(q, 6);
		c->valid_until = sqlite3_column_int(q, 7);
		c->review_due =
		    sqlite3_column_type(q, 8) == SQLITE_NULL ? DATE_NONE : sqlite3_column_int(q, 8);
		c->status = (enum cert_status)sqlite3_column_int(q, 9);
		copy_column(q, 10, c->training_institution, sizeof(c->training_institution));
		found = 1;
	} else if (rc != SQLITE_DONE) {
		db_error(err, s->db, "查询证书");
		found = -1;
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return found;
}

/* Bind the columns shared by INSERT and UPDATE (?1..?14). */
static void bind_cert(sqlite3_stmt *q, const struct cert *c, sqlite3_int64 now)
{
	unsigned char sealed[PII_SEALED_MAX], index[PII_INDEX_MAX];
	size_t sealed_len = pii_seal(c->id_number, sealed);
	size_t index_len = pii_index(c->id_number, index);

	sqlite3_bind_text(q, 1, c->number, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, (int)c->system);
	sqlite3_bind_text(q, 3, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, (int)c->gender);
	sqlite3_bind_blob(q, 5, sealed, (int)sealed_len, SQLITE_TRANSIENT);
	sqlite3_bind_blob(q, 6, index, (int)index_len, SQLITE_TRANSIENT);
	sqlite3_bind_text(q, 7, c->trade, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 8, c->issuer, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 9, c->issued_on);
	sqlite3_bind_int(q, 10, c->valid_until);
	if (c->review_due == DATE_NONE)
		sqlite3_bind_null(q, 11);
	else
		sqlite3_bind_int(q, 11, c->review_due);
	sqlite3_bind_int(q, 12, (int)c->status);
	sqlite3_bind_text(q, 13, c->training_institution, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 14, now);
}

static int sq_cert_insert(struct store *st, const struct cert *c, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_INSERT];
	int rc, ret = 0;

	bind_cert(q, c, (sqlite3_int64)time(NULL));
	rc = sqlite3_step(q);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		ret = 1;
	else if (rc != SQLITE_DONE)
		ret = db_error(err, s->db, "写入证书");
	sqlite3_reset(q);
	return ret;
}

static int sq_cert_update(struct store *st, const struct cert *before, const struct cert *after,
                          const char *change, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_UPDATE];
	sqlite3_int64 now = (sqlite3_int64)time(NULL);
	int rc;

	(void)before;
	bind_cert(q, after, now);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "更新证书");
	q = s->stmt[ST_CHANGE];
	sqlite3_bind_text(q, 1, after->number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_text(q, 3, change, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "记录证书变更");
	return 0;
}

static int sq_cert_count(struct store *st, long *count, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_COUNT];
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		*count = (long)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return db_error(err, s->db, "统计证书");
	return 0;
}

static int sq_prefix_add(struct store *st, const char *prefix, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_PREFIX_ADD];
	int rc;

	sqlite3_bind_text(q, 1, prefix, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "记录发证机关代码");
	return 0;
}

static int sq_prefix_list(struct store *st, char (*out)[STORE_PREFIX_SIZE], size_t max, size_t *n,
                          struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_PREFIX_LIST];
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n < max)
			copy_column(q, 0, out[(*n)++], STORE_PREFIX_SIZE);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "读取发证机关代码");
	return 0;
}

static int sq_schema_version(struct store *st, int *version, struct err *err)
{
	return pragma_int(impl(st)->db, "PRAGMA user_version", version, err);
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .cert_get = sq_cert_get,
    .cert_insert = sq_cert_insert,
    .cert_update = sq_cert_update,
    .cert_count = sq_cert_count,
    .prefix_add = sq_prefix_add,
    .prefix_list = sq_prefix_list,
    .schema_version = sq_schema_version,
};
