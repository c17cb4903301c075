/*
 * store_backend.h - what the store's front and its backends share: the
 * definition of struct store and the tables of functions a backend fills
 * (one for the register, one for each later area).  Included only by the
 * front (store.c and the other store_*.c files of lib/ that are not a
 * backend's) and by the backends (store_sqlite*.c), in the role of git's
 * refs/refs-internal.h: callers see store.h and the area headers only.
 */
#ifndef OPCERT_STORE_BACKEND_H
#define OPCERT_STORE_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "store_account.h"
#include "store_org.h"
#include "store_trail.h"
#include "store_worker.h"

struct store_org_backend;
struct store_account_backend;
struct store_trail_backend;
struct store_worker_backend;

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
	int (*cert_each)(struct store *st, store_cert_fn fn, void *arg, struct err *err);
	int (*config_get)(struct store *st, const char *key, char *out, size_t size,
	                  struct err *err);
	int (*config_set)(struct store *st, const char *key, const char *value, struct err *err);
	int (*issuer_code)(struct store *st, const char *name, int create, char code[16],
	                   struct err *err);
	int (*issuer_list)(struct store *st, struct trust_issuer *out, size_t max, size_t *n,
	                   struct err *err);
	int (*slot_get)(struct store *st, const char *number, uint32_t *slot, struct err *err);
	int (*slot_add)(struct store *st, const char *number, uint32_t slot, struct err *err);
	int (*slot_records)(struct store *st, store_slot_record_fn fn, void *arg, struct err *err);
	int (*cred_add)(struct store *st, const struct store_cred *c, struct err *err);
	int (*cred_find)(struct store *st, const uint8_t hash[32], struct store_cred *out,
	                 struct err *err);
	int (*cred_each)(struct store *st, store_cred_fn fn, void *arg, struct err *err);
	int (*photo_set)(struct store *st, const char *number, const char *mime,
	                 const uint8_t *data, size_t len, const uint8_t hash[32], struct err *err);
	int (*photo_get)(struct store *st, const char *number, struct store_photo *out,
	                 struct err *err);
	int (*log_append)(struct store *st, const struct store_log_entry *e, struct err *err);
	int (*log_get)(struct store *st, int64_t index, struct store_log_entry *out,
	               struct err *err);
	int (*log_each)(struct store *st, int64_t from, store_log_fn fn, void *arg,
	                struct err *err);
	int (*log_state_get)(struct store *st, int64_t *size, uint8_t *frontier, size_t cap,
	                     size_t *len, struct err *err);
	int (*log_state_set)(struct store *st, int64_t size, const uint8_t *frontier, size_t len,
	                     struct err *err);
	int (*checkpoint_add)(struct store *st, int64_t size, const char *note, int64_t now,
	                      struct err *err);
	int (*checkpoint_latest)(struct store *st, int64_t *size, char *note, size_t cap,
	                         struct err *err);
	/* The data key was attached (st->pii): check it against the database.
	 * A database holding personal data in the old form is refused. */
	int (*pii_attach)(struct store *st, struct err *err);
	/* Re-seal personal data of the old form under st->pii, then leave no
	 * copy of it in the files; *resealed the number of values re-sealed. */
	int (*pii_migrate)(struct store *st, long *resealed, struct err *err);
	const struct store_org_backend *org;
	const struct store_account_backend *account;
	const struct store_trail_backend *trail;
	const struct store_worker_backend *worker;
};

struct store {
	const struct store_backend *backend;
	void *impl;
	struct pii_key *pii; /* the data key (pii.h), a reference of the store's own; NULL: none */
};

struct store_org_backend {
	int (*org_get)(struct store *st, int64_t id, struct org *out, struct err *err);
	int (*org_by_uscc)(struct store *st, const char *uscc, struct org *out, struct err *err);
	/* Organisations without a code (city, offices, districts,
	 * institutions) are unique by kind and name. */
	int (*org_by_name)(struct store *st, enum org_kind kind, const char *name, struct org *out,
	                   struct err *err);
	/* Sets o->id. */
	int (*org_insert)(struct store *st, struct org *o, struct err *err);
	/* Every stored field of the row with o->id (but kind and created_at). */
	int (*org_update)(struct store *st, const struct org *o, struct err *err);
	int (*org_each)(struct store *st, const struct org_filter *f, org_fn fn, void *arg,
	                struct err *err);
	int (*project_get)(struct store *st, int64_t id, struct project *out, struct err *err);
	int (*project_by_name)(struct store *st, int64_t builder, const char *name,
	                       struct project *out, struct err *err);
	/* Sets p->id. */
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
	/* Every column but id, created_at and the organisation's. */
	int (*account_update)(struct store *st, const struct store_account *a, struct err *err);
	int (*account_each)(struct store *st, store_account_fn fn, void *arg, struct err *err);
	int (*session_insert)(struct store *st, const struct store_session *s, struct err *err);
	int (*session_get)(struct store *st, const uint8_t hash[32], struct store_session *out,
	                   struct err *err);
	int (*session_touch)(struct store *st, const uint8_t hash[32], int64_t now,
	                     struct err *err);
	int (*session_delete)(struct store *st, const uint8_t hash[32], struct err *err);
	int (*session_delete_account)(struct store *st, int64_t account, struct err *err);
	/* Remove sessions last seen at or before idle_before or made at or
	 * before created_before. */
	int (*session_purge)(struct store *st, int64_t idle_before, int64_t created_before,
	                     struct err *err);
	int (*token_insert)(struct store *st, const struct store_api_token *t, int64_t *id,
	                    struct err *err);
	int (*token_get)(struct store *st, const uint8_t hash[32], struct store_api_token *out,
	                 struct err *err);
	int (*token_get_id)(struct store *st, int64_t id, struct store_api_token *out,
	                    struct err *err);
	/* Revoke one token, or every token of an account still in force. */
	int (*token_revoke)(struct store *st, int64_t id, int64_t now, struct err *err);
	int (*token_revoke_account)(struct store *st, int64_t account, int64_t now,
	                            struct err *err);
	/* account 0: every token. */
	int (*token_each)(struct store *st, int64_t account, store_api_token_fn fn, void *arg,
	                  struct err *err);
};

struct store_trail_backend {
	/* 1 and the newest entry's seq and hash, 0 when the trail is empty. */
	int (*head)(struct store *st, int64_t *seq, uint8_t hash[TRAIL_HASH_LEN], struct err *err);
	int (*append)(struct store *st, const struct store_trail_entry *e, struct err *err);
	/* 1 found, 0 no entry with that seq. */
	int (*get)(struct store *st, int64_t seq, struct store_trail_entry *out, struct err *err);
	/* In seq order. */
	int (*each)(struct store *st, const struct store_trail_filter *f, store_trail_fn fn,
	            void *arg, struct err *err);
	/* The log entry of the newest anchor: 1 found, 0 none recorded. */
	int (*anchor_get)(struct store *st, int64_t *log_index, struct err *err);
	int (*anchor_set)(struct store *st, int64_t log_index, struct err *err);
};

struct store_worker_backend {
	/* The active registration of that person (by ID number) with that
	 * certificate number ("" = none) on the project: 1 and its id, 0 none. */
	int (*active)(struct store *st, int64_t project, const char *id_number, const char *number,
	              int64_t *id, struct err *err);
	/* Sets w->id. */
	int (*insert)(struct store *st, struct worker *w, struct err *err);
	int (*get)(struct store *st, int64_t id, struct worker *out, struct err *err);
	/* Sets removed_at of an active row: 1 done, 0 no such active row. */
	int (*remove)(struct store *st, int64_t id, int64_t now, struct err *err);
	/* A project's workers in registration order. */
	int (*each)(struct store *st, int64_t project, int include_removed, worker_fn fn, void *arg,
	            struct err *err);
	/*
	 * Whether an active registration of certificate `number` presented the
	 * ID number the register holds for it, on a project that is not
	 * completed or closed, in district `district` (0: any) built by
	 * `builder` (0: any).  1 yes, 0 no.
	 */
	int (*vouched)(struct store *st, const char *number, int64_t district, int64_t builder,
	               struct err *err);
	/* An active registration of `number` on a running project other than
	 * `project`: 1 and that project's id in *other, 0 none. */
	int (*elsewhere)(struct store *st, const char *number, int64_t project, int64_t *other,
	                 struct err *err);
};

/* The backends store_open() chooses from (store.c). */
extern const struct store_backend store_sqlite_backend;

#endif
