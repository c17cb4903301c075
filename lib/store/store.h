/*
 * store.h - the register's storage.
 *
 * Callers use the store_* functions only; struct store is opaque.  The
 * store's front (store.c, store_cert.c, store_pii.c) holds the policy: it
 * seals personal data before a backend sees it and opens it on the way
 * back, checks the data key, re-seals an earlier version's data and makes
 * issuer codes.  A backend (store_sqlite.c today, PostgreSQL later) only
 * keeps rows, through the table of functions in store_backend.h, which
 * only the store's own files include.  store_open() picks the backend
 * from the location: "postgres://..." or "postgresql://..." for PostgreSQL
 * (not built yet: an error says so), anything else is a SQLite file path.
 * Opening applies the schema migrations the file lacks.
 *
 * Functions follow err.h: 0 / -1, except the look-ups documented below.
 * A write the schema refuses (a key or name already taken, a reference to
 * a row that does not exist) is an input error; a write on a store opened
 * STORE_READONLY is a system error (the caller holds the wrong store).
 * tests/unit/store/ is the contract test every backend must pass.
 */
#ifndef OPCERT_STORE_H
#define OPCERT_STORE_H

#include <stddef.h>

#include <stdint.h>

#include "cert.h"
#include "err.h"
#include "trust.h"

struct store;
struct pii_key;

enum store_flags {
	STORE_CREATE = 1 << 0,   /* create the database when missing */
	STORE_READONLY = 1 << 1, /* open for reading only */
	/* A long-lived reader of a server (one a thread): the backend may
	 * keep more of the database in memory than a short command would. */
	STORE_SERVING = 1 << 2,
};

enum store_txn {
	STORE_TXN_NORMAL = 0,
	STORE_TXN_BULK = 1, /* a large import: the backend may trade memory for speed */
	STORE_TXN_READ = 2, /* a consistent snapshot for many reads; end it with rollback */
};

#define STORE_PREFIX_SIZE 8 /* "黔A" + NUL, with room */

/* An issued credential as the register remembers it. */
struct store_cred {
	char number[CERTNO_SIZE];
	uint8_t kid[KID_LEN];
	int64_t iat;
	uint8_t hash[32]; /* SHA-256 of the credential's COSE bytes */
	int64_t log_index;
};

/* A photo attached to a certificate; data is malloc'd by photo_get. */
struct store_photo {
	char mime[32];
	uint8_t *data;
	size_t len;
	uint8_t hash[32];
};

#define STORE_LOG_DATA_MAX 1024

/* One transparency-log entry: its canonical event bytes and leaf hash. */
struct store_log_entry {
	int64_t index;
	char number[CERTNO_SIZE]; /* "" when the event is about no certificate */
	uint8_t leaf[32];
	uint8_t data[STORE_LOG_DATA_MAX];
	size_t len;
};

/* The areas that grew later have their own headers: store_org.h
 * (organisations and projects), store_account.h (accounts, sessions, API
 * tokens), store_trail.h (the audit trail), store_worker.h (workers
 * registered on projects) and store_probe.h (the probe limit's tries,
 * probe.h). */

typedef int (*store_cert_fn)(void *arg, const struct cert *c);
typedef int (*store_log_fn)(void *arg, const struct store_log_entry *e);
typedef int (*store_cred_fn)(void *arg, const struct store_cred *c);
/* A status slot with its certificate and the log entry of that certificate's
 * newest issuance (-1 when the credential table has none). */
typedef int (*store_slot_record_fn)(void *arg, uint32_t slot, const char *number,
                                    int64_t issue_index);

int store_open(const char *location, int flags, struct store **out, struct err *err);
void store_close(struct store *st);

/*
 * Attach the data key (pii.h) the store seals and opens personal data with:
 * ID numbers and emergency-management certificate numbers.  The store takes
 * its own reference (the caller keeps and frees its own).  Refused when the
 * key is not the one the database was sealed with, and when the database
 * still holds personal data in the form of an earlier version (it must be
 * migrated first: store_pii_migrate, run by `opcert init`).
 *
 * Without a key, every operation that would seal or open personal data
 * fails with an error saying how to get the key; nothing is ever written or
 * read in clear instead.
 */
int store_set_pii(struct store *st, struct pii_key *key, struct err *err);
/* The data key attached to the store (still the store's), or NULL: for the
 * policy modules that derive keyed hashes from it (probe.h). */
struct pii_key *store_pii_key(const struct store *st);
/*
 * Attach the key as store_set_pii does, first re-sealing personal data of an
 * earlier version's form (one transaction), then compacting the files so
 * no copy of it stays in them.  *resealed (may be NULL) counts the values
 * re-sealed; 0 when there was nothing to do.
 */
int store_pii_migrate(struct store *st, struct pii_key *key, long *resealed, struct err *err);

/*
 * Outside a transaction each write is committed at once.  Inside one,
 * other connections see nothing of it until store_commit; store_rollback
 * undoes every write since store_begin (of every area).  Transactions do
 * not nest: a begin inside one is refused (a system error) and leaves it
 * running; commit without one is refused; rollback without one does
 * nothing.  An answer of 1 (already there, slot taken) does not end a
 * transaction; after an error the caller rolls back.
 */
int store_begin(struct store *st, enum store_txn kind, struct err *err);
int store_commit(struct store *st, struct err *err);
void store_rollback(struct store *st);
/*
 * End the transaction store_begin started, as a change ends (begin, do the
 * work and record it in the trail, finish): commit when rc is 0, else roll
 * back, as also when the commit fails.  0 when committed;
 * -1 otherwise, err saying why (the caller's error when rc was one, else
 * the commit's).
 */
int store_finish(struct store *st, int rc, struct err *err);

/* 1 and *out filled when number is in the register, 0 when not, -1 error. */
int store_cert_get(struct store *st, const char *number, struct cert *out, struct err *err);
/*
 * store_cert_get for a check that must take as long whether the register
 * holds the number (normalised, certno.h) or not (verify.c): 1 and *out
 * when it does; when not, 2 and *out filled with a row that stands in for
 * it, read and unsealed the same way, for the caller to work through and
 * throw away: a row of the same kind of number (construction or emergency
 * management), the same for the same number, drawn so that it is as likely
 * to be anywhere in the files as a row asked for by its own number.
 * 0 when there is none.  -1 on error.
 */
int store_cert_seek(struct store *st, const char *number, struct cert *out, struct err *err);
/* 0 inserted, 1 the number is already in the register (nothing written), -1 error. */
int store_cert_insert(struct store *st, const struct cert *c, struct err *err);
/* Replace before (as read) with after and record the change: change is a
 * JSON text describing it, with personal data masked (NULL: nothing to
 * record, e.g. only the row's ledger_index moves).  A number the register
 * does not hold is a system error, and nothing is recorded. */
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

/* Every certificate, in no particular order; fn returning non-zero stops
 * the walk and is returned. */
int store_cert_each(struct store *st, store_cert_fn fn, void *arg, struct err *err);

/* Settings such as official-host: 1 found, 0 absent, -1 error. */
int store_config_get(struct store *st, const char *key, char *out, size_t size, struct err *err);
int store_config_set(struct store *st, const char *key, const char *value, struct err *err);

/* The short code ("I1", "I2", ...) credentials carry for an issuer name:
 * 1 found (or assigned, with create), 0 absent, -1 error. */
int store_issuer_code(struct store *st, const char *name, int create, char code[16],
                      struct err *err);
int store_issuer_list(struct store *st, struct trust_issuer *out, size_t max, size_t *n,
                      struct err *err);

/* Status-list slots: one random slot per certificate with a credential.
 * get: 1 found, 0 none.  add: 0 added, 1 the slot is taken, -1 error. */
int store_slot_get(struct store *st, const char *number, uint32_t *slot, struct err *err);
int store_slot_add(struct store *st, const char *number, uint32_t slot, struct err *err);
int store_slot_records(struct store *st, store_slot_record_fn fn, void *arg, struct err *err);

/* Issued credentials.  find: 1 found, 0 not issued here, -1 error. */
int store_cred_add(struct store *st, const struct store_cred *c, struct err *err);
int store_cred_find(struct store *st, const uint8_t hash[32], struct store_cred *out,
                    struct err *err);
int store_cred_each(struct store *st, store_cred_fn fn, void *arg, struct err *err);

/* Photos.  get: 1 found (free out->data), 0 none, -1 error. */
int store_photo_set(struct store *st, const char *number, const char *mime, const uint8_t *data,
                    size_t len, const uint8_t hash[32], struct err *err);
int store_photo_get(struct store *st, const char *number, struct store_photo *out, struct err *err);

/* The transparency log's entries, numbered from 0, and its compact state
 * (size and frontier) kept beside them.  get: 1 found, 0 none. */
int store_log_append(struct store *st, const struct store_log_entry *e, struct err *err);
int store_log_get(struct store *st, int64_t index, struct store_log_entry *out, struct err *err);
int store_log_each(struct store *st, int64_t from, store_log_fn fn, void *arg, struct err *err);
/* 1 and the state when recorded, 0 for an empty log. */
int store_log_state_get(struct store *st, int64_t *size, uint8_t *frontier, size_t cap, size_t *len,
                        struct err *err);
int store_log_state_set(struct store *st, int64_t size, const uint8_t *frontier, size_t len,
                        struct err *err);
int store_checkpoint_add(struct store *st, int64_t size, const char *note, int64_t now,
                         struct err *err);
/* 1 and the newest checkpoint, 0 when none was made. */
int store_checkpoint_latest(struct store *st, int64_t *size, char *note, size_t cap,
                            struct err *err);

#endif
