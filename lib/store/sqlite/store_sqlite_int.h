/*
 * store_sqlite_int.h - what the parts of the SQLite backend share: the
 * connection and its statement cache (store_sqlite_conn.c), and each area's
 * schema and table of functions (store_sqlite_org.c, store_sqlite_account.c,
 * store_sqlite_trail.c, store_sqlite_worker.c, store_sqlite_probe.c), which store_sqlite.c puts
 * together.  Not for use outside lib/store_sqlite*.c.  Like every backend
 * file they see stored forms only (store_backend.h), never pii.h.
 */
#ifndef OPCERT_STORE_SQLITE_INT_H
#define OPCERT_STORE_SQLITE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "err.h"
#include "store_backend.h"

/* ---- the connection (store_sqlite_conn.c) ---- */

/* Open the file at path (flags: enum store_flags) into st->impl, without
 * looking at its schema.  On error nothing stays open. */
int store_sqlite_connect(struct store *st, const char *path, int flags, struct err *err);
/* Finalize every cached statement and close; st->impl becomes NULL. */
void store_sqlite_disconnect(struct store *st);
/* The connection of an open SQLite store. */
sqlite3 *store_sqlite_db(struct store *st);
/* 1 when the file was opened read-only. */
int store_sqlite_readonly(struct store *st);

/*
 * The prepared statement for sql, prepared once per connection and cached
 * by the address of sql (pass a string constant, not a built string).  It
 * comes back reset, with its bindings cleared.  NULL and err filled when
 * SQLite rejects it.
 */
sqlite3_stmt *store_sqlite_prepare(struct store *st, const char *sql, struct err *err);

/* Fill err from the connection's last error ("what: message"); returns -1.
 * A row the schema refuses (unique, primary or foreign key, not null,
 * check) or a file that is not a database is an input error, anything
 * else (a trigger's refusal among them) a system error. */
int store_sqlite_error(struct store *st, struct err *err, const char *what);
/* The same, but a constraint violation is a system error too; a file that
 * is not a database is an input error. */
int store_sqlite_system_error(struct store *st, struct err *err, const char *what);

/* Run SQL without results (pragmas, schema); -1 and err on failure. */
int store_sqlite_exec(struct store *st, const char *sql, struct err *err);
/* The first column of the first row of sql, as an int. */
int store_sqlite_int(struct store *st, const char *sql, int *out, struct err *err);
/* Step a statement that returns no row, then reset it and clear its
 * bindings; a failure is a system error. */
int store_sqlite_step_done(struct store *st, sqlite3_stmt *q, const char *what, struct err *err);

/* Copy text column col into dst (NUL-terminated, truncated to size). */
void store_sqlite_text(sqlite3_stmt *q, int col, char *dst, size_t size);
/* Copy blob column col into dst, zero-filled to size and truncated to it. */
void store_sqlite_blob(sqlite3_stmt *q, int col, uint8_t *dst, size_t size);

int store_sqlite_begin(struct store *st, enum store_txn kind, struct err *err);
int store_sqlite_commit(struct store *st, struct err *err);
void store_sqlite_rollback(struct store *st);

/* ---- the areas ---- */

/* The area schemas, applied as migrations 3 to 6 and 8 (7 gives issuer codes). */
extern const char store_sqlite_schema_org[];
extern const char store_sqlite_schema_account[];
extern const char store_sqlite_schema_trail[];
extern const char store_sqlite_schema_worker[];
extern const char store_sqlite_schema_probe[];

extern const struct store_org_backend store_sqlite_org;
extern const struct store_account_backend store_sqlite_account;
extern const struct store_trail_backend store_sqlite_trail;
extern const struct store_worker_backend store_sqlite_worker;
extern const struct store_probe_backend store_sqlite_probe;

#endif
