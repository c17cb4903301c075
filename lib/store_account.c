/*
 * store_account.c - dispatch of the account area's storage
 * (store_account.h) to the backend's table.
 */
#include "store_account.h"

#define B(st) ((st)->backend->account)

int store_account_insert(struct store *st, const struct store_account *a, int64_t *id,
                         struct err *err)
{
	return B(st)->account_insert(st, a, id, err);
}

int store_account_get(struct store *st, const char *login, struct store_account *out,
                      struct err *err)
{
	return B(st)->account_get(st, login, out, err);
}

int store_account_get_id(struct store *st, int64_t id, struct store_account *out, struct err *err)
{
	return B(st)->account_get_id(st, id, out, err);
}

int store_account_update(struct store *st, const struct store_account *a, struct err *err)
{
	return B(st)->account_update(st, a, err);
}

int store_account_each(struct store *st, store_account_fn fn, void *arg, struct err *err)
{
	return B(st)->account_each(st, fn, arg, err);
}

int store_session_insert(struct store *st, const struct store_session *s, struct err *err)
{
	return B(st)->session_insert(st, s, err);
}

int store_session_get(struct store *st, const uint8_t hash[32], struct store_session *out,
                      struct err *err)
{
	return B(st)->session_get(st, hash, out, err);
}

int store_session_touch(struct store *st, const uint8_t hash[32], int64_t now, struct err *err)
{
	return B(st)->session_touch(st, hash, now, err);
}

int store_session_delete(struct store *st, const uint8_t hash[32], struct err *err)
{
	return B(st)->session_delete(st, hash, err);
}

int store_session_delete_account(struct store *st, int64_t account, struct err *err)
{
	return B(st)->session_delete_account(st, account, err);
}

int store_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
                        struct err *err)
{
	return B(st)->session_purge(st, idle_before, created_before, err);
}

int store_api_token_insert(struct store *st, const struct store_api_token *t, int64_t *id,
                           struct err *err)
{
	return B(st)->token_insert(st, t, id, err);
}

int store_api_token_get(struct store *st, const uint8_t hash[32], struct store_api_token *out,
                        struct err *err)
{
	return B(st)->token_get(st, hash, out, err);
}

int store_api_token_get_id(struct store *st, int64_t id, struct store_api_token *out,
                           struct err *err)
{
	return B(st)->token_get_id(st, id, out, err);
}

int store_api_token_revoke(struct store *st, int64_t id, int64_t now, struct err *err)
{
	return B(st)->token_revoke(st, id, now, err);
}

int store_api_token_revoke_account(struct store *st, int64_t account, int64_t now, struct err *err)
{
	return B(st)->token_revoke_account(st, account, now, err);
}

int store_api_token_each(struct store *st, int64_t account, store_api_token_fn fn, void *arg,
                         struct err *err)
{
	return B(st)->token_each(st, account, fn, arg, err);
}

int store_scope_find(struct store *st, enum store_scope_key key, const char *value,
                     struct store_scope_org *out, struct err *err)
{
	return B(st)->scope_find(st, key, value, out, err);
}

int store_scope_get(struct store *st, int64_t id, struct store_scope_org *out, struct err *err)
{
	return B(st)->scope_get(st, id, out, err);
}
