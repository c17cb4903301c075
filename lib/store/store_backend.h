/*
 * store_backend.h - what the store's front and its backends share: the
 * definition of struct store, the stored forms of rows, and the tables of
 * functions a backend fills (one for the register, one for each later
 * area).  Included only by the front (store.c, store_cert.c, store_pii.c)
 * and by the backends (store_sqlite*.c), in the role of git's
 * refs/refs-internal.h: callers see store.h and the area headers only.
 *
 * The rule of the split: a backend knows its query language, never
 * personal data or a domain rule.  The front seals personal data before a
 * backend sees it and opens it on the way back, decides which numbers are
 * personal, checks the data key and re-seals an earlier version's data
 * (with the backend's row primitives below), makes issuer codes and reads
 * the clock.  A backend keeps and compares the stored forms as opaque text
 * and bytes, and must not link pii.c, org.c, trail.c or verdict.c (the
 * lib/deps test checks it with nm).
 *
 * Functions follow err.h; look-ups return 1 found, 0 absent, -1 error; a
 * walk stops when its callback returns non-zero and returns that value.
 */
#ifndef OPCERT_STORE_BACKEND_H
#define OPCERT_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "err.h"
#include "store.h"
#include "store_account.h"
#include "store_org.h"
#include "store_probe.h"
#include "store_trail.h"
#include "store_worker.h"

struct store_backend;

struct store {
	const struct store_backend *backend;
	void *impl; /* the backend's */
	/* The data key (pii.h), a reference of the store's own; NULL: none.
	 * The front's alone: a backend never reads it. */
	struct pii_key *pii;
	/* The front's key for drawing the row that stands in for an absent
	 * number (store_cert_seek): random, one a store. */
	unsigned char draw_key[crypto_shorthash_KEYBYTES];
};

/* ---- stored forms -------------------------------------------------------
 * Made by the front with pii.h.  A certificate number is stored as itself
 * when it is not personal and sealed ("T~...", the same text for the same
 * number, so equality, UNIQUE and joins work) when it is; an ID number as
 * a sealed blob with its blind index; the data of a log entry about a
 * personal number as a sealed blob. */

#define STORE_NUMBER_MAX     96 /* a certificate number as stored, with its NUL */
#define STORE_SEALED_MAX     96 /* a sealed ID number */
#define STORE_INDEX_MAX      32 /* its blind index */
#define STORE_LOG_SEALED_MAX (STORE_LOG_DATA_MAX + 64)

/* A certificate as stored: cert.number and cert.id_number are empty, their
 * stored forms beside them.  The index is written, never read back. */
struct store_cert_row {
	struct cert cert;
	char number[STORE_NUMBER_MAX];
	uint8_t id_sealed[STORE_SEALED_MAX];
	size_t id_sealed_len;
	uint8_t id_index[STORE_INDEX_MAX];
	size_t id_index_len;
};

/* An issued credential as stored: cred.number is empty. */
struct store_cred_row {
	struct store_cred cred;
	char number[STORE_NUMBER_MAX];
};

/* A log entry as stored.  Read back, len is the stored length even when
 * data holds only its first sizeof(data) bytes. */
struct store_log_row {
	int64_t index;
	char number[STORE_NUMBER_MAX];
	uint8_t leaf[32];
	uint8_t data[STORE_LOG_SEALED_MAX];
	size_t len;
};

/* A worker registration as stored: worker.number and worker.id_number are
 * empty and worker.verdict is not set (the front derives it). */
struct store_worker_row {
	struct worker worker;
	char number[STORE_NUMBER_MAX];
	uint8_t id_sealed[STORE_SEALED_MAX];
	size_t id_sealed_len;
	uint8_t id_index[STORE_INDEX_MAX];
	size_t id_index_len;
};

typedef int (*store_cert_row_fn)(void *arg, const struct store_cert_row *r);
typedef int (*store_cred_row_fn)(void *arg, const struct store_cred_row *r);
typedef int (*store_log_row_fn)(void *arg, const struct store_log_row *r);
typedef int (*store_worker_row_fn)(void *arg, const struct store_worker_row *r);

/* ---- primitives of the re-sealing migration (store_pii.c) ---- */

/* The columns that hold a certificate number. */
enum store_number_column {
	STORE_NUMBERS_CERTIFICATE,
	STORE_NUMBERS_CHANGE,
	STORE_NUMBERS_SLOT,
	STORE_NUMBERS_CREDENTIAL,
	STORE_NUMBERS_PHOTO,
	STORE_NUMBERS_LOG,
	STORE_NUMBERS_COUNT
};

/* A value of a number column, as stored. */
typedef int (*store_number_fn)(void *arg, const char *stored);
/* A certificate's row id and sealed ID number, as stored. */
typedef int (*store_id_fn)(void *arg, int64_t row, const uint8_t *sealed, size_t len);

/* ---- the register ---- */

struct store_backend {
	const char *name;
	int (*open)(struct store *st, const char *location, int flags, struct err *err);
	void (*close)(struct store *st);
	int (*begin)(struct store *st, enum store_txn kind, struct err *err);
	int (*commit)(struct store *st, struct err *err);
	void (*rollback)(struct store *st);
	int (*schema_version)(struct store *st, int *version, struct err *err);
	/* 1 when the database was opened read-only. */
	int (*readonly)(struct store *st);
	int (*config_get)(struct store *st, const char *key, char *out, size_t size,
	                  struct err *err);
	int (*config_set)(struct store *st, const char *key, const char *value, struct err *err);

	/* Certificates by their stored number.  insert: 0, or 1 when the
	 * number is taken (nothing written).  update replaces every field of
	 * the row with r->number and records change (NULL: none) under it;
	 * now is the time both are written at. */
	int (*cert_get)(struct store *st, const char *number, struct store_cert_row *out,
	                struct err *err);
	/*
	 * store_cert_seek: the row of number (1), else one that stands in for
	 * it (2), else 0.  With upper, the first row whose stored number is at
	 * or after number and below upper; without, a construction row (system
	 * 1): the first among the 16 ids after each of draws[0..2] taken
	 * modulo the largest id, tried in that order.
	 */
	int (*cert_seek)(struct store *st, const char *number, const char *upper,
	                 const int64_t draws[3], struct store_cert_row *out, struct err *err);
	int (*cert_insert)(struct store *st, const struct store_cert_row *r, int64_t now,
	                   struct err *err);
	int (*cert_update)(struct store *st, const struct store_cert_row *r, const char *change,
	                   int64_t now, struct err *err);
	int (*cert_count)(struct store *st, long *count, struct err *err);
	int (*cert_each)(struct store *st, store_cert_row_fn fn, void *arg, struct err *err);
	int (*prefix_add)(struct store *st, const char *prefix, struct err *err);
	int (*prefix_list)(struct store *st, char (*out)[STORE_PREFIX_SIZE], size_t max, size_t *n,
	                   struct err *err);

	/* Issuers as (code, name) pairs; the front makes the codes. */
	int (*issuer_get)(struct store *st, const char *name, char code[16], struct err *err);
	int (*issuer_count)(struct store *st, long *count, struct err *err);
	int (*issuer_add)(struct store *st, const char *code, const char *name, struct err *err);
	int (*issuer_list)(struct store *st, struct trust_issuer *out, size_t max, size_t *n,
	                   struct err *err);

	/* Status slots, credentials, photos and log entries: numbers stored.
	 * slot_records hands fn each slot's stored number. */
	int (*slot_get)(struct store *st, const char *number, uint32_t *slot, struct err *err);
	int (*slot_add)(struct store *st, const char *number, uint32_t slot, struct err *err);
	int (*slot_records)(struct store *st, store_slot_record_fn fn, void *arg, struct err *err);
	int (*cred_add)(struct store *st, const struct store_cred_row *r, struct err *err);
	int (*cred_find)(struct store *st, const uint8_t hash[32], struct store_cred_row *out,
	                 struct err *err);
	int (*cred_each)(struct store *st, store_cred_row_fn fn, void *arg, struct err *err);
	int (*photo_set)(struct store *st, const char *number, const char *mime,
	                 const uint8_t *data, size_t len, const uint8_t hash[32], struct err *err);
	int (*photo_get)(struct store *st, const char *number, struct store_photo *out,
	                 struct err *err);
	int (*log_append)(struct store *st, const struct store_log_row *r, struct err *err);
	int (*log_get)(struct store *st, int64_t index, struct store_log_row *out, struct err *err);
	int (*log_each)(struct store *st, int64_t from, store_log_row_fn fn, void *arg,
	                struct err *err);
	int (*log_state_get)(struct store *st, int64_t *size, uint8_t *frontier, size_t cap,
	                     size_t *len, struct err *err);
	int (*log_state_set)(struct store *st, int64_t size, const uint8_t *frontier, size_t len,
	                     struct err *err);
	int (*checkpoint_add)(struct store *st, int64_t size, const char *note, int64_t now,
	                      struct err *err);
	int (*checkpoint_latest)(struct store *st, int64_t *size, char *note, size_t cap,
	                         struct err *err);

	/*
	 * Row primitives for the re-sealing migration; the front decides what
	 * to rewrite.  number_each: the distinct values of a number column.
	 * number_set: rewrite every `from` in that column as `to`, *changed the
	 * rows changed.  id_each: at most max certificates with a row id above
	 * `after`, in row-id order.  id_set: a certificate's sealed ID and
	 * index.  log_set: an entry's number and data (r->index, r->leaf kept).
	 */
	int (*number_each)(struct store *st, enum store_number_column col, store_number_fn fn,
	                   void *arg, struct err *err);
	int (*number_set)(struct store *st, enum store_number_column col, const char *from,
	                  const char *to, long *changed, struct err *err);
	int (*id_each)(struct store *st, int64_t after, size_t max, store_id_fn fn, void *arg,
	               struct err *err);
	int (*id_set)(struct store *st, int64_t row, const uint8_t *sealed, size_t sealed_len,
	              const uint8_t *index, size_t index_len, struct err *err);
	int (*log_set)(struct store *st, const struct store_log_row *r, struct err *err);
	/*
	 * Compaction around a rewrite that must leave no copy of the old
	 * values in the files: scrub_begin starts a write transaction in which
	 * freed space is overwritten; after its commit, compact rebuilds the
	 * files and stops the overwriting; after a failure, scrub_end rolls the
	 * transaction back and stops it.
	 */
	int (*scrub_begin)(struct store *st, struct err *err);
	int (*compact)(struct store *st, struct err *err);
	void (*scrub_end)(struct store *st);

	const struct store_org_backend *org;
	const struct store_account_backend *account;
	const struct store_trail_backend *trail;
	const struct store_worker_backend *worker;
	const struct store_probe_backend *probe;
};

/* ---- the areas (documented at their public functions) ---- */

struct store_org_backend {
	int (*org_get)(struct store *st, int64_t id, struct org *out, struct err *err);
	int (*org_by_uscc)(struct store *st, const char *uscc, struct org *out, struct err *err);
	int (*org_by_name)(struct store *st, enum org_kind kind, const char *name, struct org *out,
	                   struct err *err);
	int (*org_insert)(struct store *st, struct org *o, struct err *err);
	int (*org_update)(struct store *st, const struct org *o, struct err *err);
	int (*org_each)(struct store *st, const struct org_filter *f, org_fn fn, void *arg,
	                struct err *err);
	int (*project_get)(struct store *st, int64_t id, struct project *out, struct err *err);
	int (*project_by_name)(struct store *st, int64_t builder, const char *name,
	                       struct project *out, struct err *err);
	int (*project_insert)(struct store *st, struct project *p, struct err *err);
	int (*project_update)(struct store *st, const struct project *p, struct err *err);
	int (*project_each)(struct store *st, const struct project_filter *f, project_fn fn,
	                    void *arg, struct err *err);
};

struct store_account_backend {
	int (*account_insert)(struct store *st, const struct store_account *a, int64_t *id,
	                      struct err *err);
	int (*account_get)(struct store *st, const char *login, struct store_account *out,
	                   struct err *err);
	int (*account_get_id)(struct store *st, int64_t id, struct store_account *out,
	                      struct err *err);
	/* Every column but id, created_at and the organisation's; an id that
	 * has no row is a system error. */
	int (*account_update)(struct store *st, const struct store_account *a, struct err *err);
	int (*account_each)(struct store *st, store_account_fn fn, void *arg, struct err *err);
	int (*session_insert)(struct store *st, const struct store_session *s, struct err *err);
	int (*session_get)(struct store *st, const uint8_t hash[32], struct store_session *out,
	                   struct err *err);
	int (*session_touch)(struct store *st, const uint8_t hash[32], int64_t now,
	                     struct err *err);
	int (*session_delete)(struct store *st, const uint8_t hash[32], struct err *err);
	int (*session_delete_account)(struct store *st, int64_t account, struct err *err);
	int (*session_purge)(struct store *st, int64_t idle_before, int64_t created_before,
	                     struct err *err);
	int (*token_insert)(struct store *st, const struct store_api_token *t, int64_t *id,
	                    struct err *err);
	int (*token_get)(struct store *st, const uint8_t hash[32], struct store_api_token *out,
	                 struct err *err);
	int (*token_get_id)(struct store *st, int64_t id, struct store_api_token *out,
	                    struct err *err);
	int (*token_revoke)(struct store *st, int64_t id, int64_t now, struct err *err);
	int (*token_revoke_account)(struct store *st, int64_t account, int64_t now,
	                            struct err *err);
	int (*token_each)(struct store *st, int64_t account, store_api_token_fn fn, void *arg,
	                  struct err *err);
};

struct store_trail_backend {
	int (*head)(struct store *st, int64_t *seq, uint8_t hash[TRAIL_HASH_LEN], struct err *err);
	int (*append)(struct store *st, const struct store_trail_entry *e, struct err *err);
	int (*get)(struct store *st, int64_t seq, struct store_trail_entry *out, struct err *err);
	int (*each)(struct store *st, const struct store_trail_filter *f, store_trail_fn fn,
	            void *arg, struct err *err);
	int (*anchor_get)(struct store *st, int64_t *log_index, struct err *err);
	int (*anchor_set)(struct store *st, int64_t log_index, struct err *err);
};

/* Workers: the ID number by its blind index, numbers stored. */
struct store_worker_backend {
	int (*active)(struct store *st, int64_t project, const uint8_t *id_index,
	              size_t id_index_len, const char *number, int64_t *id, struct err *err);
	int (*insert)(struct store *st, const struct store_worker_row *r, int64_t *id,
	              struct err *err);
	int (*get)(struct store *st, int64_t id, struct store_worker_row *out, struct err *err);
	int (*remove)(struct store *st, int64_t id, int64_t now, struct err *err);
	int (*each)(struct store *st, int64_t project, int include_removed, store_worker_row_fn fn,
	            void *arg, struct err *err);
	/* states: the project states that count, as ",code,code," (the
	 * front's rule, org_codes.h); the backend only matches them. */
	int (*vouched)(struct store *st, const char *number, int64_t district, int64_t builder,
	               const char *states, struct err *err);
	int (*serves)(struct store *st, const char *number, int64_t company, const char *states,
	              struct err *err);
	int (*elsewhere)(struct store *st, const char *number, int64_t project, const char *states,
	                 int64_t *other, struct err *err);
};

/* The probe limit's tries (probe.h): keyed hashes and times only. */
struct store_probe_backend {
	/* Whether subject has any row at or after since: 1 yes, 0 no. */
	int (*any)(struct store *st, const char *subject, int64_t since, struct err *err);
	/* The misses of subject at or after since (of that cert only, when
	 * not NULL), by certificate, oldest first; fn returning non-zero
	 * stops the walk and is returned. */
	int (*misses)(struct store *st, const char *subject, const uint8_t *cert, int64_t since,
	              store_probe_miss_fn fn, void *arg, struct err *err);
	/* The refusals of subject at or after since. */
	int (*refusals)(struct store *st, const char *subject, int64_t since, long *n,
	                struct err *err);
	/* A miss (guess not NULL; the same one again moves its time) or a
	 * refusal (guess NULL). */
	int (*add)(struct store *st, const char *subject, const uint8_t *cert, const uint8_t *guess,
	           int64_t at, struct err *err);
	/* Delete every row older than before. */
	int (*prune)(struct store *st, int64_t before, struct err *err);
	/* Delete subject's rows (of that cert only, when not NULL); *n deleted. */
	int (*clear)(struct store *st, const char *subject, const uint8_t *cert, long *n,
	             struct err *err);
	/* A summary per subject of the rows at or after since, newest first. */
	int (*each)(struct store *st, int64_t since, long limit, store_probe_fn fn, void *arg,
	            struct err *err);
};

/* The backends store_open() chooses from (store.c). */
extern const struct store_backend store_sqlite_backend;

#endif
