/*
 * store.h - the register's storage, behind a table of functions.
 *
 * Callers use the store_* functions only; a backend (store_sqlite.c today,
 * PostgreSQL later) fills a struct store_backend.  store_open() picks the
 * backend from the location: "postgres://..." or "postgresql://..." for
 * PostgreSQL (not built yet: an error says so), anything else is a SQLite
 * file path.  Opening applies the schema migrations the file lacks.
 *
 * Functions follow err.h: 0 / -1, except the look-ups documented below.
 */
#ifndef OPCERT_STORE_H
#define OPCERT_STORE_H

#include <stddef.h>

#include "cert.h"
#include "err.h"

struct store;

enum store_flags {
	STORE_CREATE = 1 << 0,   /* create the database when missing */
	STORE_READONLY = 1 << 1, /* open for reading only */
};

enum store_txn {
	STORE_TXN_NORMAL = 0,
	STORE_TXN_BULK = 1, /* a large import: the backend may trade memory for speed */
	STORE_TXN_READ = 2, /* a consistent snapshot for many reads; end it with rollback */
};

#define STORE_PREFIX_SIZE 8 /* "黔A" + NUL, with room */

struct store_backend {
	const char *name;
	int (*open)(struct store *st, const char *location, int flags, struct err *err);
	void (*close)(struct store *st);
	int (*begin)(struct store *st, enum store_txn kind, struct err *err);
	int (*commit)(struct store *st, struct err *err);
	void (*rollback)(struct store *st);
	int (*cert_get)(struct store *st, const char *number, struct cert *out, struct err *err);
	int (*cert_insert)(struct store *st, const struct cert *c, struct err *err);
	int (*cert_update)(struct store *st, const struct cert *before, const struct cert *after,
	                   const char *change, struct err *err);
	int (*cert_count)(struct store *st, long *count, struct err *err);
	int (*prefix_add)(struct store *st, const char *prefix, struct err *err);
	int (*prefix_list)(struct store *st, char (*out)[STORE_PREFIX_SIZE], size_t max, size_t *n,
	                   struct err *err);
	int (*schema_version)(struct store *st, int *version, struct err *err);
};

struct store {
	const struct store_backend *backend;
	void *impl;
};

int store_open(const char *location, int flags, struct store **out, struct err *err);
void store_close(struct store *st);

int store_begin(struct store *st, enum store_txn kind, struct err *err);
int store_commit(struct store *st, struct err *err);
void store_rollback(struct store *st);

/* 1 and *out filled when number is in the register, 0 when not, -1 error. */
int store_cert_get(struct store *st, const char *number, struct cert *out, struct err *err);
/* 0 inserted, 1 the number is already in the register (nothing written), -1 error. */
int store_cert_insert(struct store *st, const struct cert *c, struct err *err);
/* Replace before (as read) with after and record the change: change is a
 * JSON text describing it, with personal data masked. */
int store_cert_update(struct store *st, const struct cert *before, const struct cert *after,
                      const char *change, struct err *err);
int store_cert_count(struct store *st, long *count, struct err *err);

/* Province + city prefixes ("黔A") of the construction numbers this
 * register holds: a well-formed number with such a prefix that is absent
 * is not_found; another prefix is external. */
int store_prefix_add(struct store *st, const char *prefix, struct err *err);
int store_prefix_list(struct store *st, char (*out)[STORE_PREFIX_SIZE], size_t max, size_t *n,
                      struct err *err);

int store_schema_version(struct store *st, int *version, struct err *err);

extern const struct store_backend store_sqlite_backend;

#endif
