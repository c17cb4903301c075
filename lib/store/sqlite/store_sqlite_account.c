/*
 * store_sqlite_account.c - accounts, sessions and API tokens in SQLite
 * (store_account.h).
 *
 * account holds the Argon2id string of the password, never the password;
 * session and api_token hold the SHA-256 of the token text (32-byte BLOBs),
 * never the token.  A session names its account: disabling the account ends
 * its sessions (account.c deletes them, and a disabled account's session is
 * refused anyway).  Scope look-ups read the org table of migration 3.
 */
#include <string.h>

#include "store_account.h"
#include "store_sqlite_int.h"

/* clang-format off */
const char store_sqlite_schema_account[] =
    "CREATE TABLE account ("
    " id INTEGER PRIMARY KEY,"
    " login TEXT NOT NULL UNIQUE,"
    " role TEXT NOT NULL CHECK (role IN ('city_admin', 'city_officer',"
    "  'district_officer', 'company_user', 'training_user', 'auditor')),"
    " org INTEGER REFERENCES org (id),"
    " pwhash TEXT NOT NULL,"
    " disabled INTEGER NOT NULL DEFAULT 0,"
    " must_change INTEGER NOT NULL DEFAULT 0,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " locked_until INTEGER NOT NULL DEFAULT 0,"
    " created_at INTEGER NOT NULL,"
    " updated_at INTEGER NOT NULL,"
    " last_login INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE session ("
    " token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),"
    " account INTEGER NOT NULL REFERENCES account (id),"
    " csrf TEXT NOT NULL,"
    " created_at INTEGER NOT NULL,"
    " last_seen INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE INDEX session_by_account ON session (account);"
    "CREATE TABLE api_token ("
    " id INTEGER PRIMARY KEY,"
    " account INTEGER NOT NULL REFERENCES account (id),"
    " token_hash BLOB NOT NULL UNIQUE CHECK (length(token_hash) = 32),"
    " label TEXT NOT NULL DEFAULT '',"
    " created_at INTEGER NOT NULL,"
    " revoked_at INTEGER);"
    "CREATE INDEX api_token_by_account ON api_token (account);";
/* clang-format on */

#define ACCOUNT_SELECT                                                                             \
	"SELECT a.id, a.login, a.role, coalesce(a.org, 0), coalesce(o.district, 0),"               \
	" coalesce(o.kind, ''), coalesce(o.name, ''), a.pwhash, a.disabled, a.must_change,"        \
	" a.failures, a.locked_until, a.created_at, a.updated_at, a.last_login"                    \
	" FROM account a LEFT JOIN org o ON o.id = a.org"

static const char sql_account_get[] = ACCOUNT_SELECT " WHERE a.login = ?1";
static const char sql_account_get_id[] = ACCOUNT_SELECT " WHERE a.id = ?1";
static const char sql_account_each[] = ACCOUNT_SELECT " ORDER BY a.login";
static const char sql_account_insert[] =
    "INSERT INTO account (login, role, org, pwhash, disabled, must_change, failures,"
    " locked_until, created_at, updated_at, last_login)"
    " VALUES (?1, ?2, nullif(?3, 0), ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
static const char sql_account_update[] =
    "UPDATE account SET login = ?2, role = ?3, org = nullif(?4, 0), pwhash = ?5, disabled = ?6,"
    " must_change = ?7, failures = ?8, locked_until = ?9, updated_at = ?10, last_login = ?11"
    " WHERE id = ?1";

static const char sql_session_insert[] =
    "INSERT INTO session (token_hash, account, csrf, created_at, last_seen)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char sql_session_get[] =
    "SELECT account, csrf, created_at, last_seen FROM session WHERE token_hash = ?1";
static const char sql_session_touch[] =
    "UPDATE session SET last_seen = ?2 WHERE token_hash = ?1 AND last_seen < ?2";
static const char sql_session_delete[] = "DELETE FROM session WHERE token_hash = ?1";
static const char sql_session_delete_account[] = "DELETE FROM session WHERE account = ?1";
static const char sql_session_purge[] =
    "DELETE FROM session WHERE last_seen <= ?1 OR created_at <= ?2";

#define TOKEN_SELECT                                                                               \
	"SELECT t.id, t.account, a.login, t.token_hash, t.label, t.created_at,"                    \
	" coalesce(t.revoked_at, 0) FROM api_token t JOIN account a ON a.id = t.account"

static const char sql_token_insert[] =
    "INSERT INTO api_token (account, token_hash, label, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char sql_token_get[] = TOKEN_SELECT " WHERE t.token_hash = ?1";
static const char sql_token_get_id[] = TOKEN_SELECT " WHERE t.id = ?1";
static const char sql_token_each[] = TOKEN_SELECT " WHERE ?1 = 0 OR t.account = ?1 ORDER BY t.id";
static const char sql_token_revoke[] =
    "UPDATE api_token SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL";
static const char sql_token_revoke_account[] =
    "UPDATE api_token SET revoked_at = ?2 WHERE account = ?1 AND revoked_at IS NULL";

/* Step a statement that writes; 0 or -1. */
static int step_done(struct store *st, sqlite3_stmt *q, struct err *err, const char *what)
{
	int rc = sqlite3_step(q);

	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, what);
	return 0;
}

static void read_account(sqlite3_stmt *q, struct store_account *a)
{
	memset(a, 0, sizeof(*a));
	a->id = sqlite3_column_int64(q, 0);
	store_sqlite_text(q, 1, a->login, sizeof(a->login));
	store_sqlite_text(q, 2, a->role, sizeof(a->role));
	a->org = sqlite3_column_int64(q, 3);
	a->district = sqlite3_column_int64(q, 4);
	store_sqlite_text(q, 5, a->org_kind, sizeof(a->org_kind));
	store_sqlite_text(q, 6, a->org_name, sizeof(a->org_name));
	store_sqlite_text(q, 7, a->pwhash, sizeof(a->pwhash));
	a->disabled = sqlite3_column_int(q, 8);
	a->must_change = sqlite3_column_int(q, 9);
	a->failures = sqlite3_column_int(q, 10);
	a->locked_until = sqlite3_column_int64(q, 11);
	a->created_at = sqlite3_column_int64(q, 12);
	a->updated_at = sqlite3_column_int64(q, 13);
	a->last_login = sqlite3_column_int64(q, 14);
}

/* Step a one-row look-up into fill: 1, 0 or -1. */
typedef void (*read_fn)(sqlite3_stmt *q, void *out);

static int lookup(struct store *st, sqlite3_stmt *q, read_fn fill, void *out, struct err *err)
{
	int rc = sqlite3_step(q);

	if (rc == SQLITE_ROW) {
		fill(q, out);
		sqlite3_reset(q);
		return 1;
	}
	sqlite3_reset(q);
	if (rc == SQLITE_DONE)
		return 0;
	return store_sqlite_error(st, err, "读取账号数据");
}

static void fill_account(sqlite3_stmt *q, void *out)
{
	read_account(q, out);
}

static int sq_account_insert(struct store *st, const struct store_account *a, int64_t *id,
                             struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_account_insert, err);

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, a->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, a->role, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 3, a->org);
	sqlite3_bind_text(q, 4, a->pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 5, a->disabled);
	sqlite3_bind_int(q, 6, a->must_change);
	sqlite3_bind_int(q, 7, a->failures);
	sqlite3_bind_int64(q, 8, a->locked_until);
	sqlite3_bind_int64(q, 9, a->created_at);
	sqlite3_bind_int64(q, 10, a->updated_at);
	sqlite3_bind_int64(q, 11, a->last_login);
	if (step_done(st, q, err, "保存账号") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(store_sqlite_db(st));
	return 0;
}

static int sq_account_get(struct store *st, const char *login, struct store_account *out,
                          struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_account_get, err);

	if (!q)
		return -1;
	sqlite3_bind_text(q, 1, login, -1, SQLITE_STATIC);
	return lookup(st, q, fill_account, out, err);
}

static int sq_account_get_id(struct store *st, int64_t id, struct store_account *out,
                             struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_account_get_id, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	return lookup(st, q, fill_account, out, err);
}

static int sq_account_update(struct store *st, const struct store_account *a, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_account_update, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, a->id);
	sqlite3_bind_text(q, 2, a->login, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, a->role, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, a->org);
	sqlite3_bind_text(q, 5, a->pwhash, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 6, a->disabled);
	sqlite3_bind_int(q, 7, a->must_change);
	sqlite3_bind_int(q, 8, a->failures);
	sqlite3_bind_int64(q, 9, a->locked_until);
	sqlite3_bind_int64(q, 10, a->updated_at);
	sqlite3_bind_int64(q, 11, a->last_login);
	if (step_done(st, q, err, "保存账号") < 0)
		return -1;
	if (sqlite3_changes(store_sqlite_db(st)) != 1)
		return err_system(err, "保存账号: 编号 %lld 不存在", (long long)a->id);
	return 0;
}

static int sq_account_each(struct store *st, store_account_fn fn, void *arg, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_account_each, err);
	struct store_account a;
	int rc;

	if (!q)
		return -1;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_account(q, &a);
		rc = fn(arg, &a);
		if (rc) {
			sqlite3_reset(q);
			return rc;
		}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取账号数据");
	return 0;
}

static int sq_session_insert(struct store *st, const struct store_session *s, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_session_insert, err);

	if (!q)
		return -1;
	sqlite3_bind_blob(q, 1, s->hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, s->account);
	sqlite3_bind_text(q, 3, s->csrf, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, s->created_at);
	sqlite3_bind_int64(q, 5, s->last_seen);
	return step_done(st, q, err, "保存会话");
}

static void fill_session(sqlite3_stmt *q, void *out)
{
	struct store_session *s = out;

	s->account = sqlite3_column_int64(q, 0);
	store_sqlite_text(q, 1, s->csrf, sizeof(s->csrf));
	s->created_at = sqlite3_column_int64(q, 2);
	s->last_seen = sqlite3_column_int64(q, 3);
}

static int sq_session_get(struct store *st, const uint8_t hash[32], struct store_session *out,
                          struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_session_get, err);

	if (!q)
		return -1;
	memset(out, 0, sizeof(*out));
	memcpy(out->hash, hash, 32);
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	return lookup(st, q, fill_session, out, err);
}

static int sq_session_touch(struct store *st, const uint8_t hash[32], int64_t now, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_session_touch, err);

	if (!q)
		return -1;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	sqlite3_bind_int64(q, 2, now);
	return step_done(st, q, err, "更新会话");
}

static int sq_session_delete(struct store *st, const uint8_t hash[32], struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_session_delete, err);

	if (!q)
		return -1;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	return step_done(st, q, err, "结束会话");
}

static int sq_session_delete_account(struct store *st, int64_t account, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_session_delete_account, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, account);
	return step_done(st, q, err, "结束会话");
}

static int sq_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
                            struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_session_purge, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, idle_before);
	sqlite3_bind_int64(q, 2, created_before);
	return step_done(st, q, err, "清理过期会话");
}

static int sq_token_insert(struct store *st, const struct store_api_token *t, int64_t *id,
                           struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_token_insert, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, t->account);
	sqlite3_bind_blob(q, 2, t->hash, 32, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, t->label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 4, t->created_at);
	if (step_done(st, q, err, "保存接口令牌") < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(store_sqlite_db(st));
	return 0;
}

static void read_token(sqlite3_stmt *q, struct store_api_token *t)
{
	const void *h = sqlite3_column_blob(q, 3);

	memset(t, 0, sizeof(*t));
	t->id = sqlite3_column_int64(q, 0);
	t->account = sqlite3_column_int64(q, 1);
	store_sqlite_text(q, 2, t->login, sizeof(t->login));
	if (h && sqlite3_column_bytes(q, 3) == 32)
		memcpy(t->hash, h, 32);
	store_sqlite_text(q, 4, t->label, sizeof(t->label));
	t->created_at = sqlite3_column_int64(q, 5);
	t->revoked_at = sqlite3_column_int64(q, 6);
}

static void fill_token(sqlite3_stmt *q, void *out)
{
	read_token(q, out);
}

static int sq_token_get(struct store *st, const uint8_t hash[32], struct store_api_token *out,
                        struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_token_get, err);

	if (!q)
		return -1;
	sqlite3_bind_blob(q, 1, hash, 32, SQLITE_STATIC);
	return lookup(st, q, fill_token, out, err);
}

static int sq_token_get_id(struct store *st, int64_t id, struct store_api_token *out,
                           struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_token_get_id, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	return lookup(st, q, fill_token, out, err);
}

static int sq_token_revoke(struct store *st, int64_t id, int64_t now, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_token_revoke, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, id);
	sqlite3_bind_int64(q, 2, now);
	return step_done(st, q, err, "吊销接口令牌");
}

static int sq_token_revoke_account(struct store *st, int64_t account, int64_t now, struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_token_revoke_account, err);

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, account);
	sqlite3_bind_int64(q, 2, now);
	return step_done(st, q, err, "吊销接口令牌");
}

static int sq_token_each(struct store *st, int64_t account, store_api_token_fn fn, void *arg,
                         struct err *err)
{
	sqlite3_stmt *q = store_sqlite_prepare(st, sql_token_each, err);
	struct store_api_token t;
	int rc;

	if (!q)
		return -1;
	sqlite3_bind_int64(q, 1, account);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		read_token(q, &t);
		rc = fn(arg, &t);
		if (rc) {
			sqlite3_reset(q);
			return rc;
		}
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_sqlite_error(st, err, "读取接口令牌");
	return 0;
}

const struct store_account_backend store_sqlite_account = {
    .account_insert = sq_account_insert,
    .account_get = sq_account_get,
    .account_get_id = sq_account_get_id,
    .account_update = sq_account_update,
    .account_each = sq_account_each,
    .session_insert = sq_session_insert,
    .session_get = sq_session_get,
    .session_touch = sq_session_touch,
    .session_delete = sq_session_delete,
    .session_delete_account = sq_session_delete_account,
    .session_purge = sq_session_purge,
    .token_insert = sq_token_insert,
    .token_get = sq_token_get,
    .token_get_id = sq_token_get_id,
    .token_revoke = sq_token_revoke,
    .token_revoke_account = sq_token_revoke_account,
    .token_each = sq_token_each,
};
