/*
 * store_sqlite_int.h - what the SQLite backend's area files share
 * (store_sqlite_org.c, store_sqlite_account.c, store_sqlite_trail.c,
 * store_sqlite_worker.c, store_sqlite_probe.c): the
 * connection, a cache of prepared statements, the error helper and each
 * area's schema migration.  Not for use outside lib/store_sqlite*.c.
 */
#ifndef OPCERT_STORE_SQLITE_INT_H
#define OPCERT_STORE_SQLITE_INT_H

#include <sqlite3.h>

#include "err.h"
#include "store.h"

/* The connection of an open SQLite store. */
sqlite3 *store_sqlite_db(struct store *st);

/*
 * The prepared statement for sql, prepared once per connection and cached
 * by the address of sql (pass a string constant, not a built string).  It
 * comes back reset, with its bindings cleared.  NULL and err filled when
 * SQLite rejects it.
 */
sqlite3_stmt *store_sqlite_prepare(struct store *st, const char *sql, struct err *err);

/* Fill err from the connection's last error ("what: message"); returns -1.
 * A constraint violation is an input error, anything else a system error. */
int store_sqlite_error(struct store *st, struct err *err, const char *what);

/* Copy text column col into dst (NUL-terminated, truncated to size). */
void store_sqlite_text(sqlite3_stmt *q, int col, char *dst, size_t size);

/* Personal data (pii.h): the attached data key, or NULL and err saying
 * how to get one; bind a certificate number as it is stored (an
 * emergency-management number sealed) and read one back. */
const struct pii_key *store_sqlite_key(struct store *st, struct err *err);
int store_sqlite_bind_number(struct store *st, sqlite3_stmt *q, int col, const char *number,
                             struct err *err);
int store_sqlite_read_number(struct store *st, sqlite3_stmt *q, int col, char *dst, size_t size,
                             struct err *err);

/* The area schemas, applied in this order as migrations 3 to 7. */
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
