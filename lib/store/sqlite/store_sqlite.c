/*
 * store_sqlite.c - the SQLite backend (store_backend.h): the schema and
 * the register's tables.
 *
 * One connection per struct store, used by one thread at a time (the
 * server opens one per worker).  WAL mode so readers never wait for an
 * import; every statement is prepared once and reused
 * (store_sqlite_conn.c); the schema is a list of migrations applied in
 * order, recorded in PRAGMA user_version, and the file is marked with an
 * application id so opcert never writes into a database that is not its
 * own.  The later areas are in store_sqlite_org.c, store_sqlite_account.c,
 * store_sqlite_trail.c and store_sqlite_worker.c; their schemas are
 * migrations 3 to 6 and 8 here and their tables hang from store_sqlite_backend.
 *
 * Personal data arrives sealed by the store's front (store_cert.c): a
 * certificate's ID number as id_sealed with its blind index id_index, a
 * personal certificate number as its sealed text in every number column
 * (certificate, certificate_change, status_slot, credential, photo,
 * log_entry), so equality, UNIQUE and joins work on it as they would on the
 * number, and the data of a log entry about one as a sealed blob.  This
 * file keeps and compares those forms and never sees a clear value or a
 * key; for the front's re-sealing migration (store_pii.c) it offers plain
 * row primitives and compaction (secure_delete, VACUUM, a WAL checkpoint).
 */
#include "store_sqlite_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

#define OPCERT_APPLICATION_ID 0x4f504345 /* "OPCE" */

#define STRINGIFY(x) #x
#define TEXT_OF(x)   STRINGIFY(x)
#define ISSUER_LIMIT TEXT_OF(TRUST_MAX_ISSUERS)

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
    /* 7: an issuer code for every issuer of a register imported while only
     * issuance gave codes (import gives them now), in the order the issuers
     * first appear, after the codes already given (never renumbered); no
     * more than the trust list holds (store_issuer_code refuses the rest) */
    "INSERT INTO issuer (code, name)"
    " SELECT 'I' || ((SELECT count(*) FROM issuer) + row_number() OVER (ORDER BY min(id))),"
    " issuer FROM certificate WHERE issuer NOT IN (SELECT name FROM issuer)"
    " GROUP BY issuer ORDER BY min(id)"
    " LIMIT max(0, " ISSUER_LIMIT " - (SELECT count(*) FROM issuer));",
    /* 8: the probe limit's tries (store_sqlite_probe.c) */
    store_sqlite_schema_probe,
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

/* The columns read_cert reads, in its order. */
#define CERT_SELECT                                                                                \
	"SELECT system, name, gender, id_sealed, trade, issuer, issued_on, valid_until, "          \
	"review_due,"                                                                              \
	" status, training_institution, ledger_index, number FROM certificate"

/* A row id drawn as the position p (a keyed hash, reduced to the table's
 * ids), then a bounded scan: rows of one kind may come in long runs. */
#define SEEK_DRAW(p)                                                                               \
	"(SELECT id FROM certificate WHERE id > " p " % (SELECT max(id) FROM certificate)"         \
	" AND id <= " p " % (SELECT max(id) FROM certificate) + 16 AND system = 1"                 \
	" ORDER BY id LIMIT 1)"
/* Tried at ?2, then ?3, then ?4. */
#define SEEK_DRAWS "coalesce(" SEEK_DRAW("?2") ", " SEEK_DRAW("?3") ", " SEEK_DRAW("?4") ")"

static const char *const stmt_sql[ST_COUNT_ALL] = {
    [ST_GET] = CERT_SELECT " WHERE number = ?1",
    /* store_cert_seek, one search of the number index as ST_GET's, then
     * one row read.  With an upper bound: the first row at or after ?1 and
     * below ?2. */
    [ST_SEEK] = CERT_SELECT " WHERE number >= ?1 AND number < ?2 ORDER BY number LIMIT 1",
    /* Without: its row; else the first construction row among the 16
     * after a drawn position in the table (SEEK_DRAWS). */
    [ST_SEEK_DRAW] = CERT_SELECT " WHERE number = ?1 UNION ALL " CERT_SELECT
                                 " WHERE id = " SEEK_DRAWS " LIMIT 1",
    [ST_EACH] = CERT_SELECT,
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

/* A register statement.  All of them are prepared when the store is
 * opened (the first entries of the connection's cache), so this finds one
 * and cannot fail. */
static sqlite3_stmt *stmt(struct store *st, enum stmt_id id)
{
	struct err ignored;

	return store_sqlite_prepare(st, stmt_sql[id], &ignored);
}

static int migrate(struct store *st, int readonly, struct err *err)
{
	int version, appid, tables;
	char sql[64];
	size_t i;

	if (store_sqlite_int(st, "PRAGMA user_version", &version, err) < 0 ||
	    store_sqlite_int(st, "PRAGMA application_id", &appid, err) < 0 ||
	    store_sqlite_int(st, "SELECT count(*) FROM sqlite_schema", &tables, err) < 0)
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
	if (store_sqlite_exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	for (i = (size_t)version; i < NMIGRATIONS; i++) {
		if (store_sqlite_exec(st, migrations[i], err) < 0)
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", (int)NMIGRATIONS);
	if (store_sqlite_exec(st, sql, err) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", OPCERT_APPLICATION_ID);
	if (store_sqlite_exec(st, sql, err) < 0)
		goto fail;
	return store_sqlite_exec(st, "COMMIT", err);
fail:
	sqlite3_exec(store_sqlite_db(st), "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* The page cache of a server's reader connection (one a thread), in KiB. */
#define SERVING_CACHE_PRAGMA "PRAGMA cache_size = -16384"

static int sq_open(struct store *st, const char *path, int flags, struct err *err)
{
	int i, readonly = (flags & STORE_READONLY) != 0;

	if (store_sqlite_connect(st, path, flags, err) < 0)
		return -1;
	if (migrate(st, readonly, err) < 0)
		goto fail;
	/* Only now that the file is known to be ours: never change another's. */
	if (!readonly && store_sqlite_exec(st, "PRAGMA journal_mode = WAL", err) < 0)
		goto fail;
	/* A server's readers look up rows all over the file: a page cache
	 * larger than the default 2 MB keeps the index and table pages of the
	 * rows asked for often, instead of reading them again from the OS. */
	if ((flags & STORE_SERVING) && store_sqlite_exec(st, SERVING_CACHE_PRAGMA, err) < 0)
		goto fail;
	for (i = 0; i < ST_COUNT_ALL; i++)
		if (!store_sqlite_prepare(st, stmt_sql[i], err))
			goto fail;
	return 0;
fail:
	store_sqlite_disconnect(st);
	return -1;
}

static void sq_close(struct store *st)
{
	store_sqlite_disconnect(st);
}
/* ---- certificates ---- */

/* The columns of ST_GET / ST_EACH into r (the number and the sealed ID as
 * stored; the index is not read back). */
static void read_cert(sqlite3_stmt *q, struct store_cert_row *r)
{
	struct cert *c = &r->cert;
	size_t n = (size_t)sqlite3_column_bytes(q, 3);

	memset(r, 0, sizeof(*r));
	c->system = (enum cert_system)sqlite3_column_int(q, 0);
	store_sqlite_text(q, 1, c->name, sizeof(c->name));
	c->gender = (enum gender)sqlite3_column_int(q, 2);
	store_sqlite_blob(q, 3, r->id_sealed, sizeof(r->id_sealed));
	r->id_sealed_len = n < sizeof(r->id_sealed) ? n : sizeof(r->id_sealed);
	store_sqlite_text(q, 4, c->trade, sizeof(c->trade));
	store_sqlite_text(q, 5, c->issuer, sizeof(c->issuer));
	c->issued_on = sqlite3_column_int(q, 6);
	c->valid_until = sqlite3_column_int(q, 7);
	c->review_due =
	    sqlite3_column_type(q, 8) == SQLITE_NULL ? DATE_NONE : sqlite3_column_int(q, 8);
	c->status = (enum cert_status)sqlite3_column_int(q, 9);
	store_sqlite_text(q, 10, c->training_institution, sizeof(c->training_institution));
	c->ledger_index =
	    sqlite3_column_type(q, 11) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 11);
	store_sqlite_text(q, 12, r->number, sizeof(r->number));
}

/* Step a bound certificate look-up (CERT_SELECT) for at most one row: 1 and
 * *out, 0 none, -1 error; the statement is left reset and unbound. */
static int cert_step(struct store *st, sqlite3_stmt *q, struct store_cert_row *out, struct err *err)
{
	int rc = sqlite3_step(q), found = 0;

	if (rc == SQLITE_ROW) {
		read_cert(q, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_sqlite_error(st, err, "查询证书");
	}
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return found;
}

static int sq_cert_get(struct store *st, const char *number, struct store_cert_row *out,
                       struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_GET);

	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	return cert_step(st, q, out, err);
}

static int sq_cert_seek(struct store *st, const char *number, const char *upper,
                        const int64_t draws[3], struct store_cert_row *out, struct err *err)
{
	sqlite3_stmt *q = stmt(st, upper ? ST_SEEK : ST_SEEK_DRAW);
	int rc;

	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	if (upper) {
		sqlite3_bind_text(q, 2, upper, -1, SQLITE_STATIC);
	} else {
		for (int k = 0; k < 3; k++)
			sqlite3_bind_int64(q, 2 + k, draws[k]);
	}
	rc = cert_step(st, q, out, err);
	if (rc == 1 && strcmp(out->number, number) != 0)
		rc = 2; /* a stand-in */
	return rc;
}

/* Bind the columns shared by INSERT and UPDATE (?1..?15). */
static void bind_cert(sqlite3_stmt *q, const struct store_cert_row *r, int64_t now)
{
	const struct cert *c = &r->cert;

	sqlite3_bind_text(q, 1, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, (int)c->system);
	sqlite3_bind_text(q, 3, c->name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 4, (int)c->gender);
	sqlite3_bind_blob(q, 5, r->id_sealed, (int)r->id_sealed_len, SQLITE_STATIC);
	sqlite3_bind_blob(q, 6, r->id_index, (int)r->id_index_len, SQLITE_STATIC);
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
}

static int sq_cert_insert(struct store *st, const struct store_cert_row *r, int64_t now,
                          struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_INSERT);
	int rc, ret = 0;

	bind_cert(q, r, now);
	rc = sqlite3_step(q);
	if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		ret = 1;
	else if (rc != SQLITE_DONE)
		ret = store_sqlite_error(st, err, "写入证书");
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	return ret;
}

static int sq_cert_update(struct store *st, const struct store_cert_row *r, const char *change,
                          int64_t now, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_UPDATE);

	bind_cert(q, r, now);
	if (store_sqlite_step_done(st, q, "更新证书", err) < 0)
		return -1;
	/* The caller read the row: its absence is not bad input, and no change
	 * is recorded for a certificate the register does not hold. */
	if (sqlite3_changes(store_sqlite_db(st)) != 1)
		return err_system(err, "更新证书: 证书不在登记库中");
	if (!change)
		return 0;
	q = stmt(st, ST_CHANGE);
	sqlite3_bind_text(q, 1, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	sqlite3_bind_text(q, 3, change, -1, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "记录证书变更", err);
}

static int sq_cert_count(struct store *st, long *count, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_COUNT);
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		*count = (long)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(st, err, "统计证书");
	return 0;
}

static int sq_cert_each(struct store *st, store_cert_row_fn fn, void *arg, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_EACH);
	struct store_cert_row *r = malloc(sizeof(*r));
	int rc = SQLITE_DONE, stop = 0;

	if (!r)
		return err_system(err, "内存不足");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_cert(q, r);
		stop = fn(arg, r);
		if (stop)
			break;
	}
	sqlite3_reset(q);
	free(r);
	if (!stop && rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取证书");
	return stop;
}

static int sq_prefix_add(struct store *st, const char *prefix, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_PREFIX_ADD);

	sqlite3_bind_text(q, 1, prefix, -1, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "记录发证机关代码", err);
}

static int sq_prefix_list(struct store *st, char (*out)[STORE_PREFIX_SIZE], size_t max, size_t *n,
                          struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_PREFIX_LIST);
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n < max)
			store_sqlite_text(q, 0, out[(*n)++], STORE_PREFIX_SIZE);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取发证机关代码");
	return 0;
}

static int sq_schema_version(struct store *st, int *version, struct err *err)
{
	return store_sqlite_int(st, "PRAGMA user_version", version, err);
}

static int sq_config_get(struct store *st, const char *key, char *out, size_t size, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_CONFIG_GET);
	int rc, found = 0;

	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		store_sqlite_text(q, 0, out, size);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_sqlite_error(st, err, "读取设置");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_config_set(struct store *st, const char *key, const char *value, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_CONFIG_SET);

	sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "保存设置", err);
}

/* ---- issuers ---- */

static int sq_issuer_get(struct store *st, const char *name, char code[16], struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_ISSUER_GET);
	int rc;

	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		store_sqlite_text(q, 0, code, 16);
	sqlite3_reset(q);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取发证机关代码");
	return 0;
}

static int sq_issuer_count(struct store *st, long *count, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_ISSUER_COUNT);
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW)
		*count = (long)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	if (rc != SQLITE_ROW)
		return store_sqlite_error(st, err, "读取发证机关代码");
	return 0;
}

static int sq_issuer_add(struct store *st, const char *code, const char *name, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_ISSUER_ADD);

	sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, name, -1, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "记录发证机关代码", err);
}

static int sq_issuer_list(struct store *st, struct trust_issuer *out, size_t max, size_t *n,
                          struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_ISSUER_LIST);
	int rc;

	*n = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if (*n < max) {
			store_sqlite_text(q, 0, out[*n].code, sizeof(out[*n].code));
			store_sqlite_text(q, 1, out[*n].name, sizeof(out[*n].name));
			(*n)++;
		}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取发证机关代码");
	return 0;
}

/* ---- status slots, credentials, photos ---- */

static int sq_slot_get(struct store *st, const char *number, uint32_t *slot, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_SLOT_GET);
	int rc, found = 0;

	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*slot = (uint32_t)sqlite3_column_int64(q, 0);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_sqlite_error(st, err, "读取状态列表位置");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_slot_add(struct store *st, const char *number, uint32_t slot, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_SLOT_ADD);
	int rc;

	sqlite3_bind_int64(q, 1, (sqlite3_int64)slot);
	sqlite3_bind_text(q, 2, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	sqlite3_reset(q);
	sqlite3_clear_bindings(q);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return 1;
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "分配状态列表位置");
	return 0;
}

static int sq_slot_records(struct store *st, store_slot_record_fn fn, void *arg, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_SLOT_RECORDS);
	char number[STORE_NUMBER_MAX];
	int rc, stop = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_sqlite_text(q, 1, number, sizeof(number));
		stop =
		    fn(arg, (uint32_t)sqlite3_column_int64(q, 0), number,
		       sqlite3_column_type(q, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(q, 2));
		if (stop)
			break;
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取状态列表");
	return stop;
}

static int sq_cred_add(struct store *st, const struct store_cred_row *r, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_CRED_ADD);

	sqlite3_bind_text(q, 1, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 2, r->cred.kid, KID_LEN, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, r->cred.iat);
	sqlite3_bind_blob(q, 4, r->cred.hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 5, r->cred.log_index);
	return store_sqlite_step_done(st, q, "记录签发的凭证", err);
}

static int sq_cred_find(struct store *st, const uint8_t hash[32], struct store_cred_row *out,
                        struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_CRED_FIND);
	int rc, found = 0;

	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof(*out));
		store_sqlite_text(q, 0, out->number, sizeof(out->number));
		store_sqlite_blob(q, 1, out->cred.kid, KID_LEN);
		out->cred.iat = sqlite3_column_int64(q, 2);
		memcpy(out->cred.hash, hash, 32);
		out->cred.log_index = sqlite3_column_int64(q, 3);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_sqlite_error(st, err, "查找签发记录");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_cred_each(struct store *st, store_cred_row_fn fn, void *arg, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_CRED_EACH);
	struct store_cred_row r;
	int rc, stop = 0;

	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		memset(&r, 0, sizeof(r));
		store_sqlite_text(q, 0, r.number, sizeof(r.number));
		store_sqlite_blob(q, 1, r.cred.kid, KID_LEN);
		r.cred.iat = sqlite3_column_int64(q, 2);
		r.cred.log_index = sqlite3_column_int64(q, 3);
		store_sqlite_blob(q, 4, r.cred.hash, 32);
		stop = fn(arg, &r);
		if (stop)
			break;
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取签发记录");
	return stop;
}

static int sq_photo_set(struct store *st, const char *number, const char *mime, const uint8_t *data,
                        size_t len, const uint8_t hash[32], struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_PHOTO_SET);

	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, mime, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, data, (int)len, SQLITE_STATIC);
	sqlite3_bind_blob(q, 4, hash, 32, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "保存照片", err);
}

static int sq_photo_get(struct store *st, const char *number, struct store_photo *out,
                        struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_PHOTO_GET);
	int rc, found = 0;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_text(q, 1, number, -1, SQLITE_STATIC);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		size_t n = (size_t)sqlite3_column_bytes(q, 1);

		store_sqlite_text(q, 0, out->mime, sizeof(out->mime));
		store_sqlite_blob(q, 2, out->hash, 32);
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
		found = store_sqlite_error(st, err, "读取照片");
	}
	sqlite3_reset(q);
	return found;
}

/* ---- the transparency log ---- */

static int sq_log_append(struct store *st, const struct store_log_row *r, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_LOG_APPEND);

	sqlite3_bind_int64(q, 1, r->index);
	sqlite3_bind_text(q, 2, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, r->leaf, 32, SQLITE_STATIC);
	sqlite3_bind_blob(q, 4, r->data, (int)r->len, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "写入日志", err);
}

static void read_log(sqlite3_stmt *q, struct store_log_row *r)
{
	r->index = sqlite3_column_int64(q, 0);
	store_sqlite_text(q, 1, r->number, sizeof(r->number));
	store_sqlite_blob(q, 2, r->leaf, 32);
	store_sqlite_blob(q, 3, r->data, sizeof(r->data));
	r->len = (size_t)sqlite3_column_bytes(q, 3);
}

static int sq_log_get(struct store *st, int64_t index, struct store_log_row *out, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_LOG_GET);
	int rc, found = 0;

	sqlite3_bind_int64(q, 1, index);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		read_log(q, out);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_sqlite_error(st, err, "读取日志");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_log_each(struct store *st, int64_t from, store_log_row_fn fn, void *arg,
                       struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_LOG_EACH);
	struct store_log_row *r = malloc(sizeof(*r));
	int rc = SQLITE_DONE, stop = 0;

	if (!r)
		return err_system(err, "内存不足");
	sqlite3_bind_int64(q, 1, from);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_log(q, r);
		stop = fn(arg, r);
		if (stop)
			break;
	}
	sqlite3_reset(q);
	free(r);
	if (!stop && rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取日志");
	return stop;
}

static int sq_log_state_get(struct store *st, int64_t *size, uint8_t *frontier, size_t cap,
                            size_t *len, struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_LOG_STATE_GET);
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
		found = store_sqlite_error(st, err, "读取日志状态");
	}
	sqlite3_reset(q);
	return found;
}

static int sq_log_state_set(struct store *st, int64_t size, const uint8_t *frontier, size_t len,
                            struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_LOG_STATE_SET);

	sqlite3_bind_int64(q, 1, size);
	sqlite3_bind_blob(q, 2, len ? frontier : (const uint8_t *)"", (int)len, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "保存日志状态", err);
}

static int sq_checkpoint_add(struct store *st, int64_t size, const char *note, int64_t now,
                             struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_CHECKPOINT_ADD);

	sqlite3_bind_int64(q, 1, size);
	sqlite3_bind_text(q, 2, note, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, now);
	return store_sqlite_step_done(st, q, "保存检查点", err);
}

static int sq_checkpoint_latest(struct store *st, int64_t *size, char *note, size_t cap,
                                struct err *err)
{
	sqlite3_stmt *q = stmt(st, ST_CHECKPOINT_LATEST);
	int rc, found = 0;

	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		*size = sqlite3_column_int64(q, 0);
		store_sqlite_text(q, 1, note, cap);
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = store_sqlite_error(st, err, "读取检查点");
	}
	sqlite3_reset(q);
	return found;
}

/* ---- row primitives of the re-sealing migration (store_pii.c) ---- */

/* The distinct values of each number column, and rewriting one value. */
static const char *const number_select[STORE_NUMBERS_COUNT] = {
    [STORE_NUMBERS_CERTIFICATE] = "SELECT DISTINCT number FROM certificate",
    [STORE_NUMBERS_CHANGE] = "SELECT DISTINCT number FROM certificate_change",
    [STORE_NUMBERS_SLOT] = "SELECT DISTINCT number FROM status_slot",
    [STORE_NUMBERS_CREDENTIAL] = "SELECT DISTINCT number FROM credential",
    [STORE_NUMBERS_PHOTO] = "SELECT DISTINCT number FROM photo",
    [STORE_NUMBERS_LOG] = "SELECT DISTINCT number FROM log_entry",
};

static const char *const number_update[STORE_NUMBERS_COUNT] = {
    [STORE_NUMBERS_CERTIFICATE] = "UPDATE certificate SET number = ?2 WHERE number = ?1",
    [STORE_NUMBERS_CHANGE] = "UPDATE certificate_change SET number = ?2 WHERE number = ?1",
    [STORE_NUMBERS_SLOT] = "UPDATE status_slot SET number = ?2 WHERE number = ?1",
    [STORE_NUMBERS_CREDENTIAL] = "UPDATE credential SET number = ?2 WHERE number = ?1",
    [STORE_NUMBERS_PHOTO] = "UPDATE photo SET number = ?2 WHERE number = ?1",
    [STORE_NUMBERS_LOG] = "UPDATE log_entry SET number = ?2 WHERE number = ?1",
};

static const char sql_id_each[] =
    "SELECT id, id_sealed FROM certificate WHERE id > ?1 ORDER BY id LIMIT ?2";
static const char sql_id_set[] =
    "UPDATE certificate SET id_sealed = ?2, id_index = ?3 WHERE id = ?1";
static const char sql_log_set[] = "UPDATE log_entry SET number = ?2, data = ?3 WHERE idx = ?1";

static int sq_readonly(struct store *st)
{
	return store_sqlite_readonly(st);
}

static int sq_number_each(struct store *st, enum store_number_column col, store_number_fn fn,
                          void *arg, struct err *err)
{
	sqlite3_stmt *q;
	char number[STORE_NUMBER_MAX];
	int rc, stop = 0;

	if ((unsigned)col >= STORE_NUMBERS_COUNT)
		return err_system(err, "没有这一列证书编号");
	q = store_sqlite_prepare(st, number_select[col], err);
	if (!q)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		store_sqlite_text(q, 0, number, sizeof(number));
		stop = fn(arg, number);
		if (stop)
			break;
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取证书编号");
	return stop;
}

static int sq_number_set(struct store *st, enum store_number_column col, const char *from,
                         const char *to, long *changed, struct err *err)
{
	sqlite3_stmt *q;

	*changed = 0;
	if ((unsigned)col >= STORE_NUMBERS_COUNT)
		return err_system(err, "没有这一列证书编号");
	q = store_sqlite_prepare(st, number_update[col], err);
	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, from, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, to, -1, SQLITE_STATIC);
	if (store_sqlite_step_done(st, q, "改写证书编号", err) < 0)
		return -1;
	*changed = (long)sqlite3_changes(store_sqlite_db(st));
	return 0;
}

static int sq_id_each(struct store *st, int64_t after, size_t max, store_id_fn fn, void *arg,
                      struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_id_each, err);
	int rc, stop = 0;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, after);
	sqlite3_bind_int64(q, 2, (sqlite3_int64)max);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		stop = fn(arg, sqlite3_column_int64(q, 0), sqlite3_column_blob(q, 1),
		          (size_t)sqlite3_column_bytes(q, 1));
		if (stop)
			break;
	}
	sqlite3_reset(q);
	if (!stop && rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取证书");
	return stop;
}

static int sq_id_set(struct store *st, int64_t row, const uint8_t *sealed, size_t sealed_len,
                     const uint8_t *index, size_t index_len, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_id_set, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, row);
	sqlite3_bind_blob(q, 2, sealed, (int)sealed_len, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, index, (int)index_len, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "改写证书", err);
}

static int sq_log_set(struct store *st, const struct store_log_row *r, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_log_set, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, r->index);
	sqlite3_bind_text(q, 2, r->number, -1, SQLITE_STATIC);
	sqlite3_bind_blob(q, 3, r->data, (int)r->len, SQLITE_STATIC);
	return store_sqlite_step_done(st, q, "改写日志", err);
}

/* Freed pages are overwritten while secure_delete is on, and VACUUM then
 * rebuilds the file and the checkpoint empties the WAL. */
static int sq_scrub_begin(struct store *st, struct err *err)
{
	if (store_sqlite_exec(st, "PRAGMA secure_delete = ON", err) < 0 ||
	    store_sqlite_exec(st, "BEGIN IMMEDIATE", err) < 0)
		return -1;
	return 0;
}

static int sq_compact(struct store *st, struct err *err)
{
	if (store_sqlite_exec(st, "VACUUM", err) < 0 ||
	    store_sqlite_exec(st, "PRAGMA wal_checkpoint(TRUNCATE)", err) < 0 ||
	    store_sqlite_exec(st, "PRAGMA secure_delete = OFF", err) < 0)
		return -1;
	return 0;
}

static void sq_scrub_end(struct store *st)
{
	sqlite3 *db = store_sqlite_db(st);

	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(db, "PRAGMA secure_delete = OFF", NULL, NULL, NULL);
}

const struct store_backend store_sqlite_backend = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = store_sqlite_begin,
    .commit = store_sqlite_commit,
    .rollback = store_sqlite_rollback,
    .schema_version = sq_schema_version,
    .readonly = sq_readonly,
    .config_get = sq_config_get,
    .config_set = sq_config_set,
    .cert_get = sq_cert_get,
    .cert_seek = sq_cert_seek,
    .cert_insert = sq_cert_insert,
    .cert_update = sq_cert_update,
    .cert_count = sq_cert_count,
    .cert_each = sq_cert_each,
    .prefix_add = sq_prefix_add,
    .prefix_list = sq_prefix_list,
    .issuer_get = sq_issuer_get,
    .issuer_count = sq_issuer_count,
    .issuer_add = sq_issuer_add,
    .issuer_list = sq_issuer_list,
    .slot_get = sq_slot_get,
    .slot_add = sq_slot_add,
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
    .number_each = sq_number_each,
    .number_set = sq_number_set,
    .id_each = sq_id_each,
    .id_set = sq_id_set,
    .log_set = sq_log_set,
    .scrub_begin = sq_scrub_begin,
    .compact = sq_compact,
    .scrub_end = sq_scrub_end,
    .org = &store_sqlite_org,
    .account = &store_sqlite_account,
    .trail = &store_sqlite_trail,
    .worker = &store_sqlite_worker,
    .probe = &store_sqlite_probe,
};
