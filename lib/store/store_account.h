/*
 * store_account.h - storage of accounts, sessions and API tokens
 * (account.h is the domain module on top, and the only caller).
 *
 * Rows hold no secret in clear: an account keeps its Argon2id string
 * (crypto_pwhash_str), a session or API token only the SHA-256 of its text.
 * Reading a session or a token needs no write, so a read-only connection
 * (the server's workers) can check them; everything else is written by the
 * caller inside its own transaction.  Functions follow err.h; look-ups
 * return 1 found, 0 none, -1 error.
 */
#ifndef OPCERT_STORE_ACCOUNT_H
#define OPCERT_STORE_ACCOUNT_H

#include <stdint.h>

#include "store.h"

#define STORE_ACCOUNT_HASH_SIZE 128 /* crypto_pwhash_STRBYTES */

/* One account row, with its organisation's name, kind and district. */
struct store_account {
	int64_t id;
	char login[64];
	char role[24]; /* role code (account.h) */
	int64_t org;   /* 0 = none (the auditor) */
	/* read only, from the organisation: */
	int64_t district;
	char org_kind[16];
	char org_name[256];
	char pwhash[STORE_ACCOUNT_HASH_SIZE];
	int disabled;
	int must_change;
	int failures;         /* failed sign-ins in a row */
	int64_t locked_until; /* 0 = not locked */
	int64_t created_at;
	int64_t updated_at;
	int64_t last_login; /* 0 = never */
};

struct store_session {
	uint8_t hash[32]; /* SHA-256 of the token text */
	int64_t account;
	char csrf[48];
	int64_t created_at;
	int64_t last_seen;
};

struct store_api_token {
	int64_t id;
	int64_t account;
	char login[64]; /* read only, the account's */
	uint8_t hash[32];
	char label[128];
	int64_t created_at;
	int64_t revoked_at; /* 0 = in force */
};

/* An organisation as a scope (org table, store_sqlite_org.c). */
typedef int (*store_account_fn)(void *arg, const struct store_account *a);
typedef int (*store_api_token_fn)(void *arg, const struct store_api_token *t);

int store_account_insert(struct store *st, const struct store_account *a, int64_t *id,
                         struct err *err);
int store_account_get(struct store *st, const char *login, struct store_account *out,
                      struct err *err);
int store_account_get_id(struct store *st, int64_t id, struct store_account *out, struct err *err);
/* Every column but id, created_at and the organisation's. */
int store_account_update(struct store *st, const struct store_account *a, struct err *err);
int store_account_each(struct store *st, store_account_fn fn, void *arg, struct err *err);

int store_session_insert(struct store *st, const struct store_session *s, struct err *err);
int store_session_get(struct store *st, const uint8_t hash[32], struct store_session *out,
                      struct err *err);
int store_session_touch(struct store *st, const uint8_t hash[32], int64_t now, struct err *err);
int store_session_delete(struct store *st, const uint8_t hash[32], struct err *err);
int store_session_delete_account(struct store *st, int64_t account, struct err *err);
/* Remove sessions last seen at or before idle_before or made at or before
 * created_before. */
int store_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
                        struct err *err);

int store_api_token_insert(struct store *st, const struct store_api_token *t, int64_t *id,
                           struct err *err);
int store_api_token_get(struct store *st, const uint8_t hash[32], struct store_api_token *out,
                        struct err *err);
int store_api_token_get_id(struct store *st, int64_t id, struct store_api_token *out,
                           struct err *err);
/* Revoke one token, or every token of an account still in force. */
int store_api_token_revoke(struct store *st, int64_t id, int64_t now, struct err *err);
int store_api_token_revoke_account(struct store *st, int64_t account, int64_t now, struct err *err);
/* account 0: every token. */
int store_api_token_each(struct store *st, int64_t account, store_api_token_fn fn, void *arg,
                         struct err *err);

#endif
