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
 * Personal data is bound and read through pii.h only, under the data key
 * attached to the store (store_set_pii): the ID number is sealed (id_sealed)
 * and found by its blind index (id_index); an emergency-management number
 * ("T" + ID) is sealed deterministically in every number column
 * (certificate, certificate_change, status_slot, credential, photo,
 * log_entry), so equality, UNIQUE and joins work on the sealed text, and
 * the data of a log entry about such a number is sealed too (its leaf hash,
 * over the plain event, is unchanged, so the tree, proofs and checkpoints
 * are too).  Construction numbers are not personal and stay as they are.
 * config holds the form ("pii-format") and the key's check value
 * ("pii-check").
 */
#include "store.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "date.h"
#include "pii.h"
#include "store_sqlite_int.h"

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
    /* 2: signed credentials and the transparency log */
    "ALTER TABLE certificate ADD COLUMN ledger_index INTEGER;"
    "CREATE TABLE config (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE issuer (code TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE) WITHOUT ROWID;"
    "CREATE TABLE status_slot (slot INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE);"
    "CREATE TABLE credential ("
    " id INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL,"
    " kid BLOB NOT NULL,"
    " iat INTEGER NOT NULL,"
    " hash BLOB NOT NULL UNIQUE,"
    " log_index INTEGER NOT NULL);"
    "CREATE INDEX credential_by_number ON credential (number);"
    "CREATE TABLE photo ("
    " number TEXT PRIMARY KEY,"
    " mime TEXT NOT NULL,"
    " data BLOB NOT NULL,"
    " hash BLOB NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE log_entry ("
    " idx INTEGER PRIMARY KEY,"
    " number TEXT NOT NULL,"
    " leaf BLOB NOT NULL,"
    " data BLOB NOT NULL);"
    "CREATE TABLE log_state ("
    " id INTEGER PRIMARY KEY CHECK (id = 1),"
    " size INTEGER NOT NULL,"
    " frontier BLOB NOT NULL);"
    "CREATE TABLE checkpoint ("
    " size INTEGER PRIMARY KEY,"
    " note TEXT NOT NULL,"
    " created_at INTEGER NOT NULL);",
    /* 3: organisations and projects (store_sqlite_org.c) */
    store_sqlite_schema_org,
    /* 4: accounts, sessions and API tokens (store_sqlite_account.c) */
    store_sqlite_schema_account,
    /* 5: the audit trail (store_sqlite_trail.c) */
    store_sqlite_schema_trail,
    /* 6: workers registered on projects (store_sqlite_worker.c) */
    store_sqlite_schema_worker,
};
#define NMIGRATIONS (sizeof(migrations) / sizeof(migrations[0]))

enum stmt_id {
	ST_GET,
	ST_SEEK,
	ST_SEEK_DRAW,
	ST_INSERT,
	ST_UPDATE,
	ST_CHANGE,
	ST_COUNT,
	ST_PREFIX_ADD,
	ST_PREFIX_LIST,
	ST_EACH,
	ST_CONFIG_GET,
	ST_CONFIG_SET,
	ST_ISSUER_GET,
	ST_ISSUER_COUNT,
	ST_ISSUER_ADD,
	ST_ISSUER_LIST,
	ST_SLOT_GET,
	ST_SLOT_ADD,
	ST_SLOT_EACH,
	ST_SLOT_RECORDS,
	ST_CRED_ADD,
	ST_CRED_FIND,
	ST_CRED_EACH,
	ST_PHOTO_SET,
	ST_PHOTO_GET,
	ST_LOG_APPEND,
	ST_LOG_GET,
	ST_LOG_EACH,
	ST_LOG_STATE_GET,
	ST_LOG_STATE_SET,
	ST_CHECKPOINT_ADD,
	ST_CHECKPOINT_LATEST,
	ST_COUNT_ALL
};

/* A row id drawn as the position p (a keyed hash, reduced to the table's
 * ids), then a bounded scan: rows of one kind may come in long runs. */
#define SEEK_DRAW(p)                                                                               \
	"(SELECT id FROM certificate WHERE id > " p " % (SELECT max(id) FROM certificate)"         \
	" AND id <= " p " % (SELECT max(id) FROM certificate) + 16 AND system = 1"                 \
	" ORDER BY id LIMIT 1)"
/* Tried at ?2, then ?3, then ?4. */
#define SEEK_DRAWS "coalesce(" SEEK_DRAW("?2") ", " SEEK_DRAW("?3") ", " SEEK_DRAW("?4") ")"

static const char *const stmt_sql[ST_COUNT_ALL] = {
    [ST_GET] = "SELECT system, name, gender, id_sealed, trade, issuer, issued_on, valid_until,"
               " review_due, status, training_institution, ledger_index, number"
               " FROM certificate WHERE number = ?1",
    /* store_cert_seek, one search of the number index as ST_GET's, then
     * one row read.  An emergency-management number: the first row at or
     * after ?1 and below ?2. */
    [ST_SEEK] = "SELECT system, name, gender, id_sealed, trade, issuer, issued_on, valid_until,"
                " review_due, status, training_institution, ledger_index, number"
                " FROM certificate WHERE number >= ?1 AND number < ?2 ORDER BY number LIMIT 1",
    /* A construction number (system 1): its row; else the first
     * construction row among the 16 after a position drawn in the table
     * (SEEK_DRAWS). */
    [ST_SEEK_DRAW] = "SELECT system, name, gender, id_sealed, trade, issuer, issued_on,"
                     " valid_until, review_due, status, training_institution, ledger_index, number"
                     " FROM certificate WHERE number = ?1 UNION ALL"
                     " SELECT system, name, gender, id_sealed, trade, issuer, issued_on,"
                     " valid_until, review_due, status, training_institution, ledger_index, number"
                     " FROM certificate WHERE id = " SEEK_DRAWS " LIMIT 1",
    [ST_EACH] = "SELECT system, name, gender, id_sealed, trade, issuer, issued_on, valid_until,"
                " review_due, status, training_institution, ledger_index, number"
                " FROM certificate",
    [ST_INSERT] = "INSERT INTO certificate (number, system, name, gender, id_sealed, id_index,"
                  " trade, issuer, issued_on, valid_until, review_due, status,"
                  " training_institution, created_at, updated_at, ledger_index)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14, ?15)",
    [ST_UPDATE] = "UPDATE certificate SET system = ?2, name = ?3, gender = ?4, id_sealed = ?5,"
                  " id_index = ?6, trade = ?7, issuer = ?8, issued_on = ?9, valid_until = ?10,"
                  " review_due = ?11, status = ?12, training_institution = ?13,"
                  " updated_at = ?14, ledger_index = ?15 WHERE number = ?1",
    [ST_CHANGE] = "INSERT INTO certificate_change (number, changed_at, change)"
                  " VALUES (?1, ?2, ?3)",
    [ST_COUNT] = "SELECT count(*) FROM certificate",
    [ST_PREFIX_ADD] = "INSERT OR IGNORE INTO issuer_prefix (prefix) VALUES (?1)",
    [ST_PREFIX_LIST] = "SELECT prefix FROM issuer_prefix ORDER BY prefix",
    [ST_CONFIG_GET] = "SELECT value FROM config WHERE key = ?1",
    [ST_CONFIG_SET] = "INSERT INTO config (key, value) VALUES (?1, ?2)"
                      " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    [ST_ISSUER_GET] = "SELECT code FROM issuer WHERE name = ?1",
    [ST_ISSUER_COUNT] = "SELECT count(*) FROM issuer",
    [ST_ISSUER_ADD] = "INSERT INTO issuer (code, name) VALUES (?1, ?2)",
    [ST_ISSUER_LIST] = "SELECT code, name FROM issuer ORDER BY length(code), code",
    [ST_SLOT_GET] = "SELECT slot FROM status_slot WHERE number = ?1",
    [ST_SLOT_ADD] = "INSERT INTO status_slot (slot, number) VALUES (?1, ?2)",
    [ST_SLOT_EACH] = "SELECT s.slot, c.status FROM status_slot s"
                     " JOIN certificate c ON c.number = s.number",
    [ST_SLOT_RECORDS] = "SELECT s.slot, s.number, (SELECT c.log_index FROM credential c"
                        " WHERE c.number = s.number ORDER BY c.log_index DESC LIMIT 1)"
                        " FROM status_slot s",
    [ST_CRED_ADD] = "INSERT INTO credential (number, kid, iat, hash, log_index)"
                    " VALUES (?1, ?2, ?3, ?4, ?5)",
    [ST_CRED_FIND] = "SELECT number, kid, iat, log_index FROM credential WHERE hash = ?1",
    [ST_CRED_EACH] = "SELECT number, kid, iat, log_index, hash FROM credential",
    [ST_PHOTO_SET] = "INSERT INTO photo (number, mime, data, hash) VALUES (?1, ?2, ?3, ?4)"
                     " ON CONFLICT (number) DO UPDATE SET mime = excluded.mime,"
                     " data = excluded.data, hash = excluded.hash",
    [ST_PHOTO_GET] = "SELECT mime, data, hash FROM photo WHERE number = ?1",
    [ST_LOG_APPEND] = "INSERT INTO log_entry (idx, number, leaf, data) VALUES (?1, ?2, ?3, ?4)",
    [ST_LOG_GET] = "SELECT idx, number, leaf, data FROM log_entry WHERE idx = ?1",
    [ST_LOG_EACH] = "SELECT idx, number, leaf, data FROM log_entry WHERE idx >= ?1 ORDER BY idx",
    [ST_LOG_STATE_GET] = "SELECT size, frontier FROM log_state WHERE id = 1",
    [ST_LOG_STATE_SET] = "INSERT INTO log_state (id, size, frontier) VALUES (1, ?1, ?2)"
                         " ON CONFLICT (id) DO UPDATE SET size = excluded.size,"
                         " frontier = excluded.frontier",
    [ST_CHECKPOINT_ADD] = "INSERT OR REPLACE INTO checkpoint (size, note, created_at)"
                          " VALUES (?1, ?2, ?3)",
    [ST_CHECKPOINT_LATEST] = "SELECT size, note FROM checkpoint ORDER BY size DESC LIMIT 1",
};

#define EXTRA_STMT_MAX 96

struct sqlite_store {
	sqlite3 *db;
	sqlite3_stmt *stmt[ST_COUNT_ALL];
	/* Statements of the area files, prepared on first use (store_sqlite_prepare). */
	const char *extra_sql[EXTRA_STMT_MAX];
	sqlite3_stmt *extra[EXTRA_STMT_MAX];
	size_t nextra;
	int in_txn;
	int bulk;
	unsigned char draw_key[crypto_shorthash_KEYBYTES]; /* sq_cert_seek's, random */
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
	for (i = 0; i < (int)s->nextra; i++)
		sqlite3_finalize(s->extra[i]);
	sqlite3_close(s->db);
	free(s);
	st->impl = NULL;
}

/* The page cache of a server's reader connection (one a thread), in KiB. */
#define SERVING_CACHE_PRAGMA "PRAGMA cache_size = -16384"

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
	/* A server's readers look up rows all over the file: a page cache
	 * larger than the default 2 MB keeps the index and table pages of the
	 * rows asked for often, instead of reading them again from the OS. */
	if ((flags & STORE_SERVING) && exec(s->db, SERVING_CACHE_PRAGMA, err) < 0)
		goto fail;
	crypto_shorthash_keygen(s->draw_key);
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
		return db_error(err, impl(st)->db, "数据库事务");
	return 0;
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
	if (kind == STORE_TXN_READ) {
		/* Read transactions are many and short (a server's look-ups):
		 * their statements are prepared once, not parsed every time. */
		if (run_cached(st, sql_begin, err) < 0)
			return -1;
		s->in_txn = 2;
		return 0;
	}
	if (exec(s->db, "BEGIN IMMEDIATE", err) < 0)
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

	struct err ignored;

	if (s->in_txn == 2)
		run_cached(st, sql_rollback, &ignored);
	else if (s->in_txn)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_txn = 0;
	end_bulk(s);
}

static void copy_column(sqlite3_stmt *q, int col, char *dst, size_t size);

sqlite3 *store_sqlite_db(struct store *st)
{
	return impl(st)->db;
}

sqlite3_stmt *store_sqlite_prepare(struct store *st, const char *sql, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q;
	size_t i;

	for (i = 0; i < s->nextra; i++) {
		if (s->extra_sql[i] == sql) {
			sqlite3_reset(s->extra[i]);
			sqlite3_clear_bindings(s->extra[i]);
			return s->extra[i];
		}
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q, NULL) != SQLITE_OK) {
		db_error(err, s->db, "准备数据库语句");
		return NULL;
	}
	if (s->nextra == EXTRA_STMT_MAX) {
		/* More statements than the cache holds: a programming error,
		 * reported rather than leaked. */
		sqlite3_finalize(q);
		err_system(err, "数据库语句缓存已满");
		return NULL;
	}
	s->extra_sql[s->nextra] = sql;
	s->extra[s->nextra++] = q;
	return q;
}

int store_sqlite_error(struct store *st, struct err *err, const char *what)
{
	sqlite3 *db = impl(st)->db;

	if ((sqlite3_errcode(db) & 0xff) == SQLITE_CONSTRAINT)
		return err_input(err, "%s: %s", what, sqlite3_errmsg(db));
	return db_error(err, db, what);
}

void store_sqlite_text(sqlite3_stmt *q, int col, char *dst, size_t size)
{
	copy_column(q, col, dst, size);
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

/* ---- personal data ---- */

#define PII_FORMAT_KEY "pii-format"
#define PII_CHECK_KEY  "pii-check"

/* The data key, or NULL and err saying how to get it. */
const struct pii_key *store_sqlite_key(struct store *st, struct err *err)
{
	if (st->pii)
		return st->pii;
	err_input(err, "缺少数据密钥（密钥目录中的 data.key）：数据库中的身份证号码已加密保存。"
	               "新数据库请运行 opcert init 创建数据密钥；已有数据库请用 opcert key "
	               "restore 从备份恢复密钥目录（或用 --keys DIR 指定密钥目录）");
	return NULL;
}

/* Bind a certificate number as it is stored: a personal one sealed. */
int store_sqlite_bind_number(struct store *st, sqlite3_stmt *q, int col, const char *number,
                             struct err *err)
{
	const struct pii_key *k;
	char sealed[PII_NUMBER_MAX];

	if (!pii_number_personal(number)) {
		sqlite3_bind_text(q, col, number, -1, SQLITE_STATIC);
		return 0;
	}
	k = store_sqlite_key(st, err);
	if (!k)
		return -1;
	if (!pii_number_seal(k, number, sealed))
		return err_input(err, "证书编号过长");
	sqlite3_bind_text(q, col, sealed, -1, SQLITE_TRANSIENT);
	return 0;
}

/* A number column back to the number. */
int store_sqlite_read_number(struct store *st, sqlite3_stmt *q, int col, char *dst, size_t size,
                             struct err *err)
{
	const char *p = (const char *)sqlite3_column_text(q, col);
	size_t n = (size_t)sqlite3_column_bytes(q, col);
	const struct pii_key *k;

	if (!pii_number_sealed(p, n)) {
		copy_column(q, col, dst, size);
		return 0;
	}
	k = store_sqlite_key(st, err);
	if (!k)
		return -1;
	if (pii_number_open(k, p, n, dst, size) < 0)
		return err_system(
		    err, "数据库中的证书编号无法解密（数据密钥与数据库不符，或数据已损坏）");
	return 0;
}

/* The columns of ST_GET / ST_EACH into c. */
static int read_cert(struct store *st, sqlite3_stmt *q, struct cert *c, struct err *err)
{
	const struct pii_key *k = store_sqlite_key(st, err);

	memset(c, 0, sizeof(*c));
	if (!k || store_sqlite_read_number(st, q, 12, c->number, sizeof(c->number), err) < 0)
		return -1;
	c->system = (enum cert_system)sqlite3_column_int(q, 0);
	copy_column(q, 1, c->name, sizeof(c->name));
	c->gender = (enum gender)sqlite3_column_int(q, 2);
	if (pii_open(k, sqlite3_column_blob(q, 3), (size_t)sqlite3_column_bytes(q, 3),
	             c->id_number) < 0) {
		char masked[CERTNO_SIZE];

		certno_mask(c->number, masked);
		return err_system(err,
		                  "数据库中证书 %s 的身份证号码无法解密（数据密钥与数据库不符，"
		                  "或数据已损坏）",
		                  masked);
	}
	copy_column(q, 4, c->trade, sizeof(c->trade));
	copy_column(q, 5, c->issuer, sizeof(c->issuer));
	c->issued_on = sqlite3_column_int(q, 6);
	c->valid_until = sqlite3_column_int(q, 7);
	c->review_due =
	    sqlite3_column_type(q, 8) == SQLITE_NULL ? DATE_NONE : sqlite3_column_int(q, 8);
	c->status = (enum cert_status)sqlite3_column_int(q, 9);
	copy_column(q, 10, c->training_institution, sizeof(c->training_institution));
	c->ledger_index =
	    sqlite3_column_type(q, 11) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 11);
	return 0;
}

static int sq_cert_get(struct store *st, const char *number, struct cert *c, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_GET];
	int rc, found = 0;

	if (!store_sqlite_key(st, err) || store_sqlite_bind_number(st, q, 1, number, err) < 0) {
		sqlite3_clear_bindings(q);
		return -1;
	}
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		if (read_cert(st, q, c, err) < 0) {
			sqlite3_reset(q);
			return -1;
		}
		found = 1;
	} else if (rc != SQLITE_DONE) {
		db_error(err, s->db, "查询证书");
		found = -1;
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return found;
}

/*
 * The row that stands in for an absent number is one of its kind, the same
 * for the same number, and as likely to be anywhere in the files as a row
 * asked for by its number, so that it costs the same, in cache or not.
 * Stored numbers sort in two runs: the sealed emergency-management ones
 * ("T~" + Base64url, every byte below 0x7f), in an order the data key
 * makes, then the construction ones, which start with a Chinese character.
 * An emergency-management number takes the row that follows it in its run.
 * Construction numbers are in plain order, and absent ones gather past the
 * last serial of a trade and year, where the rows that follow are a few,
 * always in cache: one takes a construction row near a position in the
 * table drawn by a keyed hash of the number (a key of this connection's),
 * looking at no more than 16 rows there, and at up to three positions
 * (rows of one kind may have been imported together; with none, the
 * caller's fixed record stands in).
 */
static int sq_cert_seek(struct store *st, const char *number, struct cert *c, struct err *err)
{
	struct sqlite_store *s = impl(st);
	int personal = pii_number_personal(number);
	sqlite3_stmt *q = s->stmt[personal ? ST_SEEK : ST_SEEK_DRAW];
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t draw;
	size_t i, k;
	int rc, found = 0;

	if (!store_sqlite_key(st, err) || store_sqlite_bind_number(st, q, 1, number, err) < 0) {
		sqlite3_clear_bindings(q);
		return -1;
	}
	if (personal) {
		sqlite3_bind_text(q, 2, "T\x7f", -1, SQLITE_STATIC);
	} else {
		crypto_shorthash(h, (const unsigned char *)number, strlen(number), s->draw_key);
		for (draw = 0, i = 0; i < sizeof(h); i++)
			draw = draw << 8 | h[i];
		/* three positions from it: splitmix64's steps */
		for (k = 0; k < 3; k++) {
			uint64_t z = (draw += 0x9e3779b97f4a7c15u);

			z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
			z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
			sqlite3_bind_int64(q, 2 + (int)k, (sqlite3_int64)((z ^ (z >> 31)) >> 1));
		}
	}
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		if (read_cert(st, q, c, err) == 0) {
			found = strcmp(c->number, number) == 0 ? 1 : 2;
		} else if (strcmp(c->number, number) == 0) {
			found = -1; /* the number's own row does not open */
		} else {
			/* a stand-in that does not open is none */
			memset(c, 0, sizeof(*c));
			err_clear(err);
		}
	} else if (rc != SQLITE_DONE) {
		db_error(err, s->db, "查询证书");
		found = -1;
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return found;
}

/* Bind the columns shared by INSERT and UPDATE (?1..?15). */
static int bind_cert(struct store *st, sqlite3_stmt *q, const struct cert *c, sqlite3_int64 now,
                     struct err *err)
{
	const struct pii_key *k = store_sqlite_key(st, err);
	unsigned char sealed[PII_SEALED_MAX], index[PII_INDEX_MAX];
	size_t sealed_len, index_len;

	if (!k || store_sqlite_bind_number(st, q, 1, c->number, err) < 0)
		return -1;
	sealed_len = pii_seal(k, c->id_number, sealed);
	index_len = pii_index(k, c->id_number, index);
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
	if (c->ledger_index < 0)
		sqlite3_bind_null(q, 15);
	else
		sqlite3_bind_int64(q, 15, c->ledger_index);
	return 0;
}

static int sq_cert_insert(struct store *st, const struct cert *c, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_INSERT];
	int rc, ret = 0;

	if (bind_cert(st, q, c, (sqlite3_int64)time(NULL), err) < 0) {
		sqlite3_clear_bindings(q);
		return -1;
	}
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
	if (bind_cert(st, q, after, now, err) < 0) {
		sqlite3_clear_bindings(q);
		return -1;
	}
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "更新证书");
	if (!change)
		return 0;
	q = s->stmt[ST_CHANGE];
	if (store_sqlite_bind_number(st, q, 1, after->number, err) < 0)
		return -1;
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

/* Step a statement that returns no row; reset it either way. */
static int step_done(struct sqlite_store *s, sqlite3_stmt *q, const char *what, struct err *err)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, what);
	return 0;
}

static int sq_cert_each(struct store *st, store_cert_fn fn, void *arg, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_EACH];
	struct cert c;
	int rc, stop = 0;

	if (!store_sqlite_key(st, err))
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (read_cert(st, q, &c, err) < 0) {
			sqlite3_reset(q);
			return -1;
		}
		stop = fn(arg, &c);
		if (stop)
			break;
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return db_error(err, s->db, "读取证书");
	return stop;
}

static int sq_config_get(struct store *st, const char *key, char *out, size_t size, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_CONFIG_GET];
	int rc, found = 0;

	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		copy_column(q, 0, out, size);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = db_error(err, s->db, "读取设置");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_config_set(struct store *st, const char *key, const char *value, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_CONFIG_SET];

	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	return step_done(s, q, "保存设置", err);
}

static int sq_issuer_code(struct store *st, const char *name, int create, char code[16],
                          struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_ISSUER_GET];
	unsigned n = 0;
	int rc;

	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		copy_column(q, 0, code, 16);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "读取发证机关代码");
	if (!create)
		return 0;
	q = s->stmt[ST_ISSUER_COUNT];
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		n = (unsigned)sqlite3_column_int(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return db_error(err, s->db, "读取发证机关代码");
	snprintf(code, 16, "I%u", n + 1);
	q = s->stmt[ST_ISSUER_ADD];
	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	if (step_done(s, q, "记录发证机关代码", err) < 0)
		return -1;
	return 1;
}

static int sq_issuer_list(struct store *st, struct trust_issuer *out, size_t max, size_t *n,
                          struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_ISSUER_LIST];
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n < max) {
			copy_column(q, 0, out[*n].code, sizeof(out[*n].code));
			copy_column(q, 1, out[*n].name, sizeof(out[*n].name));
			(*n)++;
		}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "读取发证机关代码");
	return 0;
}

static int sq_slot_get(struct store *st, const char *number, uint32_t *slot, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_SLOT_GET];
	int rc, found = 0;

	if (store_sqlite_bind_number(st, q, 1, number, err) < 0)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*slot = (uint32_t)sqlite3_column_int64(q, 0);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = db_error(err, s->db, "读取状态列表位置");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_slot_add(struct store *st, const char *number, uint32_t slot, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_SLOT_ADD];
	int rc;

	sqlite3_bind_int64(q, 1, (sqlite3_int64)slot);
	if (store_sqlite_bind_number(st, q, 2, number, err) < 0) {
		sqlite3_clear_bindings(q);
		return -1;
	}
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return 1;
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "分配状态列表位置");
	return 0;
}

static int sq_slot_each(struct store *st, store_slot_fn fn, void *arg, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_SLOT_EACH];
	int rc, stop = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		stop = fn(arg, (uint32_t)sqlite3_column_int64(q, 0),
		          (enum cert_status)sqlite3_column_int(q, 1));
		if (stop)
			break;
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return db_error(err, s->db, "读取状态列表");
	return stop;
}

static int sq_slot_records(struct store *st, store_slot_record_fn fn, void *arg, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_SLOT_RECORDS];
	char number[CERTNO_SIZE];
	int rc, stop = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (store_sqlite_read_number(st, q, 1, number, sizeof(number), err) < 0) {
			sqlite3_reset(q);
			return -1;
		}
		stop =
		    fn(arg, (uint32_t)sqlite3_column_int64(q, 0), number,
		       sqlite3_column_type(q, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 2));
		if (stop)
			break;
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return db_error(err, s->db, "读取状态列表");
	return stop;
}

static int sq_cred_add(struct store *st, const struct store_cred *c, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_CRED_ADD];

	if (store_sqlite_bind_number(st, q, 1, c->number, err) < 0)
		return -1;
	sqlite3_bind_blob(q, 2, c->kid, KID_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, c->iat);
	sqlite3_bind_blob(q, 4, c->hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, c->log_index);
	return step_done(s, q, "记录签发的凭证", err);
}

static void copy_blob(sqlite3_stmt *q, int col, uint8_t *dst, size_t size)
{
	const void *p = sqlite3_column_blob(q, col);
	size_t n = (size_t)sqlite3_column_bytes(q, col);

	memset(dst, 0, size);
	if (p)
		memcpy(dst, p, n < size ? n : size);
}

static int sq_cred_find(struct store *st, const uint8_t hash[32], struct store_cred *out,
                        struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_CRED_FIND];
	int rc, found = 0;

	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		copy_blob(q, 1, out->kid, KID_LEN);
		out->iat = sqlite3_column_int64(q, 2);
		memcpy(out->hash, hash, 32);
		out->log_index = sqlite3_column_int64(q, 3);
		found =
		    store_sqlite_read_number(st, q, 0, out->number, sizeof(out->number), err) < 0
		        ? -1
		        : 1;
	} else if (rc != SQLITE_DONE) {
		found = db_error(err, s->db, "查找签发记录");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_cred_each(struct store *st, store_cred_fn fn, void *arg, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_CRED_EACH];
	struct store_cred c;
	int rc, stop = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&c, 0, sizeof(c));
		if (store_sqlite_read_number(st, q, 0, c.number, sizeof(c.number), err) < 0) {
			sqlite3_reset(q);
			return -1;
		}
		copy_blob(q, 1, c.kid, KID_LEN);
		c.iat = sqlite3_column_int64(q, 2);
		c.log_index = sqlite3_column_int64(q, 3);
		copy_blob(q, 4, c.hash, 32);
		stop = fn(arg, &c);
		if (stop)
			break;
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return db_error(err, s->db, "读取签发记录");
	return stop;
}

static int sq_photo_set(struct store *st, const char *number, const char *mime, const uint8_t *data,
                        size_t len, const uint8_t hash[32], struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_PHOTO_SET];

	if (store_sqlite_bind_number(st, q, 1, number, err) < 0)
		return -1;
	sqlite3_bind_text(q, 2, mime, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, data, (int)len, SQLITE_STATIC);
	sqlite3_bind_blob(q, 4, hash, 32, SQLITE_STATIC);
	return step_done(s, q, "保存照片", err);
}

static int sq_photo_get(struct store *st, const char *number, struct store_photo *out,
                        struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_PHOTO_GET];
	int rc, found = 0;

	memset(out, 0, sizeof(*out));
	if (store_sqlite_bind_number(st, q, 1, number, err) < 0)
		return -1;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(q, 1);

		copy_column(q, 0, out->mime, sizeof(out->mime));
		copy_blob(q, 2, out->hash, 32);
		out->data = malloc(n ? n : 1);
		if (!out->data) {
			found = err_system(err, "内存不足");
		} else {
			if (n)
				memcpy(out->data, sqlite3_column_blob(q, 1), n);
			out->len = n;
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		found = db_error(err, s->db, "读取照片");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_log_append(struct store *st, const struct store_log_entry *e, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_LOG_APPEND];
	uint8_t sealed[STORE_LOG_DATA_MAX + PII_BLOB_OVERHEAD];

	if (e->len > STORE_LOG_DATA_MAX)
		return err_system(err, "日志条目过大");
	sqlite3_bind_int64(q, 1, e->index);
	if (store_sqlite_bind_number(st, q, 2, e->number, err) < 0) {
		sqlite3_clear_bindings(q);
		return -1;
	}
	sqlite3_bind_blob(q, 3, e->leaf, 32, SQLITE_STATIC);
	if (pii_number_personal(e->number)) {
		/* bind_number succeeded, so the key is there */
		size_t n = pii_blob_seal(st->pii, e->data, e->len, sealed);

		sqlite3_bind_blob(q, 4, sealed, (int)n, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_blob(q, 4, e->data, (int)e->len, SQLITE_STATIC);
	}
	return step_done(s, q, "写入日志", err);
}

static int read_log(struct store *st, sqlite3_stmt *q, struct store_log_entry *e, struct err *err)
{
	const uint8_t *data = sqlite3_column_blob(q, 3);
	size_t n = (size_t)sqlite3_column_bytes(q, 3);
	const char *number = (const char *)sqlite3_column_text(q, 1);

	e->index = sqlite3_column_int64(q, 0);
	copy_blob(q, 2, e->leaf, 32);
	if (!pii_number_sealed(number, (size_t)sqlite3_column_bytes(q, 1))) {
		copy_column(q, 1, e->number, sizeof(e->number));
		e->len = n < sizeof(e->data) ? n : sizeof(e->data);
		if (e->len)
			memcpy(e->data, data, e->len);
		return 0;
	}
	if (store_sqlite_read_number(st, q, 1, e->number, sizeof(e->number), err) < 0)
		return -1;
	if (pii_blob_open(st->pii, data, n, e->data, sizeof(e->data), &e->len) < 0)
		return err_system(
		    err, "数据库中的日志条目 %lld 无法解密（数据密钥与数据库不符，或数据已损坏）",
		    (long long)e->index);
	return 0;
}

static int sq_log_get(struct store *st, int64_t index, struct store_log_entry *out, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_LOG_GET];
	int rc, found = 0;

	sqlite3_bind_int64(q, 1, index);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		found = read_log(st, q, out, err) < 0 ? -1 : 1;
	} else if (rc != SQLITE_DONE) {
		found = db_error(err, s->db, "读取日志");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_log_each(struct store *st, int64_t from, store_log_fn fn, void *arg, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_LOG_EACH];
	struct store_log_entry *e = malloc(sizeof(*e));
	int rc = SQLITE_DONE, stop = 0;

	if (!e)
		return err_system(err, "内存不足");
	sqlite3_bind_int64(q, 1, from);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (read_log(st, q, e, err) < 0) {
			stop = -1;
			break;
		}
		stop = fn(arg, e);
		if (stop)
			break;
	}
	sqlite3_reset(q);
	free(e);
	if (!stop && rc != SQLITE_DONE)
		return db_error(err, s->db, "读取日志");
	return stop;
}

static int sq_log_state_get(struct store *st, int64_t *size, uint8_t *frontier, size_t cap,
                            size_t *len, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_LOG_STATE_GET];
	int rc, found = 0;

	*size = 0;
	*len = 0;
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(q, 1);

		*size = sqlite3_column_int64(q, 0);
		if (n > cap) {
			found = err_system(err, "日志状态过大");
		} else {
			if (n)
				memcpy(frontier, sqlite3_column_blob(q, 1), n);
			*len = n;
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		found = db_error(err, s->db, "读取日志状态");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_log_state_set(struct store *st, int64_t size, const uint8_t *frontier, size_t len,
                            struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_LOG_STATE_SET];

	sqlite3_bind_int64(q, 1, size);
	sqlite3_bind_blob(q, 2, len ? frontier : (const uint8_t *)"", (int)len, SQLITE_STATIC);
	return step_done(s, q, "保存日志状态", err);
}

static int sq_checkpoint_add(struct store *st, int64_t size, const char *note, int64_t now,
                             struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_CHECKPOINT_ADD];

	sqlite3_bind_int64(q, 1, size);
	sqlite3_bind_text(q, 2, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now);
	return step_done(s, q, "保存检查点", err);
}

static int sq_checkpoint_latest(struct store *st, int64_t *size, char *note, size_t cap,
                                struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = s->stmt[ST_CHECKPOINT_LATEST];
	int rc, found = 0;

	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*size = sqlite3_column_int64(q, 0);
		copy_column(q, 1, note, cap);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = db_error(err, s->db, "读取检查点");
	}
	sqlite3_reset(q);
	return found;
}

/* ---- the data key: check and migration ---- */

/* 1 when the database holds personal data (any certificate, or a personal
 * number anywhere), 0 when not, -1 on error. */
static int has_personal_data(struct sqlite_store *s, struct err *err)
{
	static const char sql[] =
	    "SELECT EXISTS (SELECT 1 FROM certificate)"
	    " OR EXISTS (SELECT 1 FROM certificate_change WHERE substr(number, 1, 1) = 'T')"
	    " OR EXISTS (SELECT 1 FROM status_slot WHERE substr(number, 1, 1) = 'T')"
	    " OR EXISTS (SELECT 1 FROM credential WHERE substr(number, 1, 1) = 'T')"
	    " OR EXISTS (SELECT 1 FROM photo WHERE substr(number, 1, 1) = 'T')"
	    " OR EXISTS (SELECT 1 FROM log_entry WHERE substr(number, 1, 1) = 'T')";
	int v;

	if (pragma_int(s->db, sql, &v, err) < 0)
		return -1;
	return v != 0;
}

static int config_read(struct store *st, const char *key, char *out, size_t size, struct err *err)
{
	return sq_config_get(st, key, out, size, err);
}

/* Record that the database holds the present form, sealed with this key. */
static int pii_mark(struct store *st, struct err *err)
{
	char check[PII_CHECK_HEX], version[8];

	pii_key_check(st->pii, check);
	snprintf(version, sizeof(version), "%d", PII_VERSION);
	if (sq_config_set(st, PII_FORMAT_KEY, version, err) < 0 ||
	    sq_config_set(st, PII_CHECK_KEY, check, err) < 0)
		return -1;
	return 0;
}

/*
 * The form the database keeps personal data in: PII_VERSION when marked
 * (and the key must match), 0 when it holds data of the earlier form, or
 * -2 when it holds none yet (nothing to migrate).  -1 on error.
 */
static int pii_format(struct store *st, struct err *err)
{
	struct sqlite_store *s = impl(st);
	char value[80], check[PII_CHECK_HEX];
	int rc;

	rc = config_read(st, PII_FORMAT_KEY, value, sizeof(value), err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (atoi(value) != PII_VERSION)
			return err_input(
			    err, "数据库中个人信息的保存格式 %s 不受本程序支持，请升级 opcert",
			    value);
		rc = config_read(st, PII_CHECK_KEY, value, sizeof(value), err);
		if (rc < 0)
			return -1;
		pii_key_check(st->pii, check);
		if (rc == 0 || strcmp(value, check) != 0)
			return err_input(
			    err, "数据密钥与数据库不符：这个数据库是用另一把数据密钥加密的。"
			         "请用 --keys DIR 指定原来的密钥目录，或用 opcert key restore "
			         "从备份恢复");
		return PII_VERSION;
	}
	rc = has_personal_data(s, err);
	return rc < 0 ? -1 : rc ? 0 : -2;
}

static int sq_pii_attach(struct store *st, struct err *err)
{
	struct sqlite_store *s = impl(st);
	int format = pii_format(st, err);

	if (format < 0 && format != -2)
		return -1;
	if (format == 0)
		return err_input(err, "数据库中的个人信息仍是旧版本的明文格式，需要加密迁移："
		                      "请先运行 opcert init");
	if (format == -2 && !sqlite3_db_readonly(s->db, "main"))
		return pii_mark(st, err);
	return 0;
}

/* The distinct personal numbers of the old form in one table. */
struct plain_numbers {
	char (*v)[CERTNO_SIZE];
	size_t n, cap;
};

static int collect_numbers(struct sqlite_store *s, const char *sql, struct plain_numbers *pn,
                           struct err *err)
{
	sqlite3_stmt *q = NULL;
	int rc;

	pn->n = 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK)
		return db_error(err, s->db, "迁移个人信息");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(q, 0);
		size_t n = (size_t)sqlite3_column_bytes(q, 0);

		if (pii_number_sealed(p, n) || !pii_number_personal(p))
			continue;
		if (n >= CERTNO_SIZE) {
			sqlite3_finalize(q);
			return err_input(err, "数据库中有过长的证书编号，无法迁移");
		}
		if (pn->n == pn->cap) {
			size_t cap = pn->cap ? pn->cap * 2 : 256;
			void *v = realloc(pn->v, cap * sizeof(*pn->v));

			if (!v) {
				sqlite3_finalize(q);
				return err_system(err, "内存不足");
			}
			pn->v = v;
			pn->cap = cap;
		}
		memcpy(pn->v[pn->n], p, n);
		pn->v[pn->n][n] = '\0';
		pn->n++;
	}
	sqlite3_finalize(q);
	if (rc != SQLITE_DONE)
		return db_error(err, s->db, "迁移个人信息");
	return 0;
}

/* Seal the personal numbers of one table in place (its number column is indexed). */
static int migrate_numbers(struct store *st, const char *select, const char *update,
                           struct plain_numbers *pn, long *count, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *q = NULL;
	char sealed[PII_NUMBER_MAX];
	size_t i;
	int rc = 0;

	if (collect_numbers(s, select, pn, err) < 0)
		return -1;
	if (!pn->n)
		return 0;
	if (sqlite3_prepare_v2(s->db, update, -1, &q, NULL) != SQLITE_OK)
		return db_error(err, s->db, "迁移个人信息");
	for (i = 0; i < pn->n && rc == 0; i++) {
		if (!pii_number_seal(st->pii, pn->v[i], sealed)) {
			rc = err_input(err, "数据库中有过长的证书编号，无法迁移");
			break;
		}
		sqlite3_bind_text(q, 1, pn->v[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(q, 2, sealed, -1, SQLITE_STATIC);
		if (sqlite3_step(q) != SQLITE_DONE)
			rc = db_error(err, s->db, "迁移个人信息");
		else
			*count += sqlite3_changes(s->db);
		sqlite3_reset(q);
	}
	sqlite3_finalize(q);
	return rc;
}

#define MIGRATE_BATCH 512

/* Re-seal the ID numbers of the old form (certificate.id_sealed, id_index). */
static int migrate_ids(struct store *st, long *count, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *sel = NULL, *upd = NULL;
	sqlite3_int64 last = 0, ids[MIGRATE_BATCH];
	char(*plain)[IDNUM_SIZE] = malloc(MIGRATE_BATCH * sizeof(*plain));
	size_t n, i, seen;
	int rc = -1, step;

	if (!plain)
		return err_system(err, "内存不足");
	if (sqlite3_prepare_v2(s->db,
	                       "SELECT id, id_sealed FROM certificate WHERE id > ?1 ORDER BY id"
	                       " LIMIT 512",
	                       -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
	                       "UPDATE certificate SET id_sealed = ?2, id_index = ?3 WHERE id = ?1",
	                       -1, &upd, NULL) != SQLITE_OK) {
		db_error(err, s->db, "迁移个人信息");
		goto out;
	}
	do {
		n = 0;
		seen = 0;
		sqlite3_bind_int64(sel, 1, last);
		while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
			const unsigned char *p = sqlite3_column_blob(sel, 1);
			size_t len = (size_t)sqlite3_column_bytes(sel, 1);

			seen++;
			last = sqlite3_column_int64(sel, 0);
			if (pii_version(p, len) == PII_VERSION)
				continue;
			if (pii_open_v0(p, len, plain[n]) < 0) {
				sqlite3_reset(sel);
				err_system(err,
				           "数据库中第 %lld 行证书的身份证号码格式不明，无法迁移",
				           (long long)last);
				goto out;
			}
			ids[n++] = last;
		}
		sqlite3_reset(sel);
		if (step != SQLITE_DONE) {
			db_error(err, s->db, "迁移个人信息");
			goto out;
		}
		for (i = 0; i < n; i++) {
			unsigned char sealed[PII_SEALED_MAX], index[PII_INDEX_MAX];
			size_t sl = pii_seal(st->pii, plain[i], sealed);
			size_t il = pii_index(st->pii, plain[i], index);

			sqlite3_bind_int64(upd, 1, ids[i]);
			sqlite3_bind_blob(upd, 2, sealed, (int)sl, SQLITE_TRANSIENT);
			sqlite3_bind_blob(upd, 3, index, (int)il, SQLITE_TRANSIENT);
			step = sqlite3_step(upd);
			sqlite3_reset(upd);
			if (step != SQLITE_DONE) {
				db_error(err, s->db, "迁移个人信息");
				goto out;
			}
			(*count)++;
		}
	} while (seen == MIGRATE_BATCH);
	rc = 0;
out:
	if (plain) {
		sodium_memzero(plain, MIGRATE_BATCH * sizeof(*plain));
		free(plain);
	}
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

/* Log entries about personal numbers: seal the number and the event. */
static int migrate_log(struct store *st, long *count, struct err *err)
{
	struct sqlite_store *s = impl(st);
	sqlite3_stmt *sel = NULL, *upd = NULL;
	sqlite3_int64 last = -1;
	int rc = -1, step, more = 1;

	if (sqlite3_prepare_v2(s->db,
	                       "SELECT idx, number, data FROM log_entry WHERE idx > ?1"
	                       " AND substr(number, 1, 1) = 'T' AND substr(number, 2, 1) <> '~'"
	                       " ORDER BY idx LIMIT 512",
	                       -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "UPDATE log_entry SET number = ?2, data = ?3 WHERE idx = ?1",
	                       -1, &upd, NULL) != SQLITE_OK) {
		db_error(err, s->db, "迁移个人信息");
		goto out;
	}
	while (more) {
		struct {
			sqlite3_int64 idx;
			char number[CERTNO_SIZE];
			size_t len;
			uint8_t data[STORE_LOG_DATA_MAX];
		} *batch = malloc(MIGRATE_BATCH * sizeof(*batch));
		size_t n = 0, i;

		if (!batch) {
			err_system(err, "内存不足");
			goto out;
		}
		sqlite3_bind_int64(sel, 1, last);
		while ((step = sqlite3_step(sel)) == SQLITE_ROW) {
			size_t len = (size_t)sqlite3_column_bytes(sel, 2);

			batch[n].idx = last = sqlite3_column_int64(sel, 0);
			copy_column(sel, 1, batch[n].number, CERTNO_SIZE);
			if (len > STORE_LOG_DATA_MAX) {
				free(batch);
				sqlite3_reset(sel);
				err_system(err, "日志条目 %lld 过大，无法迁移", (long long)last);
				goto out;
			}
			batch[n].len = len;
			if (len)
				memcpy(batch[n].data, sqlite3_column_blob(sel, 2), len);
			n++;
		}
		sqlite3_reset(sel);
		more = n == MIGRATE_BATCH;
		if (step != SQLITE_DONE) {
			free(batch);
			db_error(err, s->db, "迁移个人信息");
			goto out;
		}
		for (i = 0; i < n; i++) {
			char number[PII_NUMBER_MAX];
			uint8_t sealed[STORE_LOG_DATA_MAX + PII_BLOB_OVERHEAD];
			size_t sl;

			if (!pii_number_seal(st->pii, batch[i].number, number)) {
				free(batch);
				err_input(err, "数据库中有过长的证书编号，无法迁移");
				goto out;
			}
			sl = pii_blob_seal(st->pii, batch[i].data, batch[i].len, sealed);
			sqlite3_bind_int64(upd, 1, batch[i].idx);
			sqlite3_bind_text(upd, 2, number, -1, SQLITE_TRANSIENT);
			sqlite3_bind_blob(upd, 3, sealed, (int)sl, SQLITE_TRANSIENT);
			step = sqlite3_step(upd);
			sqlite3_reset(upd);
			if (step != SQLITE_DONE) {
				free(batch);
				db_error(err, s->db, "迁移个人信息");
				goto out;
			}
			(*count)++;
		}
		sodium_memzero(batch, MIGRATE_BATCH * sizeof(*batch));
		free(batch);
	}
	rc = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	return rc;
}

/* The number columns re-sealed in place: a select of the plain personal
 * numbers and an update, per table (each number column is indexed). */
static const char *const migrate_number_sql[][2] = {
    {"SELECT number FROM certificate WHERE number >= 'T' AND number < 'U'",
     "UPDATE certificate SET number = ?2 WHERE number = ?1"},
    {"SELECT DISTINCT number FROM certificate_change WHERE number >= 'T' AND number < 'U'",
     "UPDATE certificate_change SET number = ?2 WHERE number = ?1"},
    {"SELECT number FROM status_slot WHERE number >= 'T' AND number < 'U'",
     "UPDATE status_slot SET number = ?2 WHERE number = ?1"},
    {"SELECT DISTINCT number FROM credential WHERE number >= 'T' AND number < 'U'",
     "UPDATE credential SET number = ?2 WHERE number = ?1"},
    {"SELECT number FROM photo WHERE number >= 'T' AND number < 'U'",
     "UPDATE photo SET number = ?2 WHERE number = ?1"},
};

static int sq_pii_migrate(struct store *st, long *resealed, struct err *err)
{
	struct sqlite_store *s = impl(st);
	struct plain_numbers pn = {NULL, 0, 0};
	size_t i;
	int format;

	*resealed = 0;
	if (sqlite3_db_readonly(s->db, "main"))
		return err_input(err, "迁移需要以可写方式打开数据库");
	format = pii_format(st, err);
	if (format == PII_VERSION)
		return 0;
	if (format == -2)
		return pii_mark(st, err);
	if (format < 0)
		return -1;
	/* Freed pages are overwritten, and the file is rebuilt afterwards, so
	 * the old form leaves no copy behind. */
	if (exec(s->db, "PRAGMA secure_delete = ON", err) < 0 ||
	    exec(s->db, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	if (migrate_ids(st, resealed, err) < 0)
		goto fail;
	for (i = 0; i < sizeof(migrate_number_sql) / sizeof(migrate_number_sql[0]); i++)
		if (migrate_numbers(st, migrate_number_sql[i][0], migrate_number_sql[i][1], &pn,
		                    resealed, err) < 0)
			goto fail;
	if (migrate_log(st, resealed, err) < 0 || pii_mark(st, err) < 0 ||
	    exec(s->db, "COMMIT", err) < 0)
		goto fail;
	if (pn.v)
		sodium_memzero(pn.v, pn.cap * sizeof(*pn.v));
	free(pn.v);
	/* Rebuild the file and empty the WAL: no page of the old form stays. */
	if (exec(s->db, "VACUUM", err) < 0 ||
	    exec(s->db, "PRAGMA wal_checkpoint(TRUNCATE)", err) < 0 ||
	    exec(s->db, "PRAGMA secure_delete = OFF", err) < 0)
		return -1;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(s->db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
	if (pn.v)
		sodium_memzero(pn.v, pn.cap * sizeof(*pn.v));
	free(pn.v);
	*resealed = 0;
	return -1;
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .cert_get = sq_cert_get,
    .cert_seek = sq_cert_seek,
    .cert_insert = sq_cert_insert,
    .cert_update = sq_cert_update,
    .cert_count = sq_cert_count,
    .prefix_add = sq_prefix_add,
    .prefix_list = sq_prefix_list,
    .schema_version = sq_schema_version,
    .cert_each = sq_cert_each,
    .config_get = sq_config_get,
    .config_set = sq_config_set,
    .issuer_code = sq_issuer_code,
    .issuer_list = sq_issuer_list,
    .slot_get = sq_slot_get,
    .slot_add = sq_slot_add,
    .slot_each = sq_slot_each,
    .slot_records = sq_slot_records,
    .cred_add = sq_cred_add,
    .cred_find = sq_cred_find,
    .cred_each = sq_cred_each,
    .photo_set = sq_photo_set,
    .photo_get = sq_photo_get,
    .log_append = sq_log_append,
    .log_get = sq_log_get,
    .log_each = sq_log_each,
    .log_state_get = sq_log_state_get,
    .log_state_set = sq_log_state_set,
    .checkpoint_add = sq_checkpoint_add,
    .checkpoint_latest = sq_checkpoint_latest,
    .pii_attach = sq_pii_attach,
    .pii_migrate = sq_pii_migrate,
    .org = &store_sqlite_org,
    .account = &store_sqlite_account,
    .trail = &store_sqlite_trail,
    .worker = &store_sqlite_worker,
};
