/*
 * store_sqlite_conn.c - the connection every part of the SQLite backend
 * shares (store_sqlite_int.h): opening and closing it, the cache of
 * prepared statements, transactions, and turning SQLite's errors into
 * err.h's.  It knows no table: the schema and the queries are in
 * store_sqlite.c and the area files, which all build on this file.
 */
#include "store_sqlite_int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Every statement of the backend is cached: the register's, the areas'
 * and the transaction statements. */
#define STMT_MAX 128

struct sqlite_store {
	sqlite3 *db;
	const char *sql[STMT_MAX];
	sqlite3_stmt *stmt[STMT_MAX];
	size_t nstmt;
	int in_txn; /* 1 a write transaction, 2 a read one */
	int bulk;
};

static struct sqlite_store *impl(struct store *st)
{
	return st->impl;
}

sqlite3 *store_sqlite_db(struct store *st)
{
	return impl(st)->db;
}

int store_sqlite_connect(struct store *st, const char *path, int flags, struct err *err)
{
	struct sqlite_store *s;
	struct stat sb;
	int oflags, readonly = (flags & STORE_READONLY) != 0;

	if (!(flags & STORE_CREATE) && stat(path, &sb) != 0)
		return err_input(err, "数据库文件不存在：%s（请先运行 opcert init）", path);
	s = calloc(1, sizeof(*s));
	if (!s)
		return err_system(err, "内存不足");
	st->impl = s;
	oflags = SQLITE_OPEN_NOMUTEX | (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
	         ((flags & STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		if (s->db && sqlite3_system_errno(s->db) != 0)
			err_system(err, "无法打开数据库 %s：%s", path,
			           err_errno_text(sqlite3_system_errno(s->db)));
		else if (s->db)
			err_system(err, "无法打开数据库 %s: %s", path, sqlite3_errmsg(s->db));
		else
			err_system(err, "无法打开数据库 %s", path);
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_timeout(s->db, 5000);
	if (store_sqlite_exec(st, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", err) < 0)
		goto fail;
	return 0;
fail:
	store_sqlite_disconnect(st);
	return -1;
}

void store_sqlite_disconnect(struct store *st)
{
	struct sqlite_store *s = impl(st);
	size_t i;

	if (!s)
		return;
	for (i = 0; i < s->nstmt; i++)
		sqlite3_finalize(s->stmt[i]);
	sqlite3_close(s->db);
	free(s);
	st->impl = NULL;
}

int store_sqlite_readonly(struct store *st)
{
	return sqlite3_db_readonly(impl(st)->db, "main") == 1;
}

/* A row the schema refuses (a key or name taken, a reference to a row that
 * does not exist, a value out of range): the caller's data is wrong.  A
 * trigger's refusal is not among them: it guards against the program. */
static int refused_row(int extended)
{
	switch (extended) {
	case SQLITE_CONSTRAINT_UNIQUE:
	case SQLITE_CONSTRAINT_PRIMARYKEY:
	case SQLITE_CONSTRAINT_ROWID:
	case SQLITE_CONSTRAINT_FOREIGNKEY:
	case SQLITE_CONSTRAINT_NOTNULL:
	case SQLITE_CONSTRAINT_CHECK:
	case SQLITE_CONSTRAINT_DATATYPE:
		return 1;
	default:
		return 0;
	}
}

int store_sqlite_error(struct store *st, struct err *err, const char *what)
{
	sqlite3 *db = impl(st)->db;
	int rc = sqlite3_errcode(db);

	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return err_input(err, "%s: 不是有效的数据库文件（%s）", what, sqlite3_errmsg(db));
	if (refused_row(sqlite3_extended_errcode(db)))
		return err_input(err, "%s: %s", what, sqlite3_errmsg(db));
	return err_system(err, "%s: %s", what, sqlite3_errmsg(db));
}

int store_sqlite_exec(struct store *st, const char *sql, struct err *err)
{
	sqlite3 *db = impl(st)->db;
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

int store_sqlite_int(struct store *st, const char *sql, int *out, struct err *err)
{
	sqlite3 *db = impl(st)->db;
	sqlite3_stmt *s = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
		return store_sqlite_error(st, err, "读取数据库");
	rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(s);
		return store_sqlite_error(st, err, "读取数据库");
	}
	*out = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return 0;
}

sqlite3_stmt *store_sqlite_prepare(struct store *st, const char *sql, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q;
	size_t i;

	for (i = 0; i < s->nstmt; i++) {
		if (s->sql[i] == sql) {
			sqlite3_reset(s->stmt[i]);
			sqlite3_clear_bindings(s->stmt[i]);
			return s->stmt[i];
		}
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK) {
		store_sqlite_error(st, err, "准备数据库语句");
		return NULL;
	}
	if (s->nstmt == STMT_MAX) {
		/* More statements than the cache holds: a programming error,
		 * reported rather than leaked. */
		sqlite3_finalize(q);
		err_system(err, "数据库语句缓存已满");
		return NULL;
	}
	s->sql[s->nstmt] = sql;
	s->stmt[s->nstmt++] = q;
	return q;
}

int store_sqlite_step_done(struct store *st, sqlite3_stmt *q, const char *what, struct err *err)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, what);
	return 0;
}

void store_sqlite_text(sqlite3_stmt *q, int col, char *dst, size_t size)
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

void store_sqlite_blob(sqlite3_stmt *q, int col, uint8_t *dst, size_t size)
{
	const void *p = sqlite3_column_blob(q, col);
	size_t n = (size_t)sqlite3_column_bytes(q, col);

	memset(dst, 0, size);
	if (p)
		memcpy(dst, p, n < size ? n : size);
}

/* ---- transactions ---- */

static const char sql_begin[] = "BEGIN";
static const char sql_rollback[] = "ROLLBACK";

/* Run a cached statement without results (BEGIN, ROLLBACK). */
static int run_cached(struct store *st, const char *sql, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql, err);
	int rc;

	if (!q)
		return -1;
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "数据库事务");
	return 0;
}

int store_sqlite_begin(struct store *st, enum store_txn kind, struct err *err)
{
	struct sqlite_store *s = impl(st);

	if (kind == STORE_TXN_BULK) {
		/* A large import touches index pages all over the file; a big
		 * page cache keeps them from being written out and re-read. */
		if (store_sqlite_exec(st, "PRAGMA cache_size = -262144", err) < 0)
			return -1;
		s->bulk = 1;
	}
	if (kind == STORE_TXN_READ) {
		/* Read transactions are many and short (a server's look-ups):
		 * their statements are prepared once, not parsed every time. */
		if (run_cached(st, sql_begin, err) < 0)
			return -1;
		s->in_txn = 2;
		return 0;
	}
	if (store_sqlite_exec(st, "BEGIN IMMEDIATE", err) < 0)
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

int store_sqlite_commit(struct store *st, struct err *err)
{
	struct sqlite_store *s = impl(st);
	int rc = store_sqlite_exec(st, "COMMIT", err);

	s->in_txn = 0;
	end_bulk(s);
	return rc;
}

void store_sqlite_rollback(struct store *st)
{
	struct sqlite_store *s = impl(st);
	struct err ignored;

	if (s->in_txn == 2)
		run_cached(st, sql_rollback, &ignored);
	else if (s->in_txn)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_txn = 0;
	end_bulk(s);
}
