/*
 * store.c - backend dispatch.  The wrappers exist so callers never reach
 * into the table, and so a NULL or half-open store is caught in one place.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

#include "pii.h"

static int is_postgres(const char *location)
{
	return strncmp(location, "postgres://", 11) == 0 ||
	       strncmp(location, "postgresql://", 13) == 0;
}

int store_open(const char *location, int flags, struct store **out, struct err *err)
{
	struct store *st;

	*out = NULL;
	if (!location || !*location)
		return err_input(err, "未指定数据库");
	if (is_postgres(location))
		return err_input(err, "PostgreSQL 后端尚未提供，请使用 SQLite 数据库文件");
	st = calloc(1, sizeof(*st));
	if (!st)
		return err_system(err, "内存不足");
	st->backend = &store_sqlite_backend;
	if (st->backend->open(st, location, flags, err) < 0) {
		free(st);
		return -1;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	st->backend->close(st);
	pii_key_free(st->pii);
	free(st);
}

static void attach(struct store *st, struct pii_key *key)
{
	pii_key_free(st->pii);
	st->pii = key ? pii_key_ref(key) : NULL;
}

int store_set_pii(struct store *st, struct pii_key *key, struct err *err)
{
	attach(st, key);
	if (key && st->backend->pii_attach(st, err) < 0) {
		attach(st, NULL);
		return -1;
	}
	return 0;
}

int store_pii_migrate(struct store *st, struct pii_key *key, long *resealed, struct err *err)
{
	long n = 0;

	if (resealed)
		*resealed = 0;
	if (!key)
		return err_input(err, "迁移需要数据密钥");
	attach(st, key);
	if (st->backend->pii_migrate(st, &n, err) < 0) {
		attach(st, NULL);
		return -1;
	}
	if (resealed)
		*resealed = n;
	return 0;
}

int store_begin(struct store *st, enum store_txn kind, struct err *err)
{
	return st->backend->begin(st, kind, err);
}

int store_commit(struct store *st, struct err *err)
{
	return st->backend->commit(st, err);
}

void store_rollback(struct store *st)
{
	st->backend->rollback(st);
}

int store_cert_get(struct store *st, const char *number, struct cert *out, struct err *err)
{
	return st->backend->cert_get(st, number, out, err);
}

int store_cert_seek(struct store *st, const char *number, struct cert *out, struct err *err)
{
	return st->backend->cert_seek(st, number, out, err);
}

int store_cert_insert(struct store *st, const struct cert *c, struct err *err)
{
	return st->backend->cert_insert(st, c, err);
}

int store_cert_update(struct store *st, const struct cert *before, const struct cert *after,
                      const char *change, struct err *err)
{
	return st->backend->cert_update(st, before, after, change, err);
}

int store_cert_count(struct store *st, long *count, struct err *err)
{
	return st->backend->cert_count(st, count, err);
}

int store_prefix_add(struct store *st, const char *prefix, struct err *err)
{
	return st->backend->prefix_add(st, prefix, err);
}

int store_prefix_list(struct store *st, char (*out)[STORE_PREFIX_SIZE], size_t max, size_t *n,
                      struct err *err)
{
	return st->backend->prefix_list(st, out, max, n, err);
}

int store_schema_version(struct store *st, int *version, struct err *err)
{
	return st->backend->schema_version(st, version, err);
}

int store_cert_each(struct store *st, store_cert_fn fn, void *arg, struct err *err)
{
	return st->backend->cert_each(st, fn, arg, err);
}

int store_config_get(struct store *st, const char *key, char *out, size_t size, struct err *err)
{
	return st->backend->config_get(st, key, out, size, err);
}

int store_config_set(struct store *st, const char *key, const char *value, struct err *err)
{
	return st->backend->config_set(st, key, value, err);
}

int store_issuer_code(struct store *st, const char *name, int create, char code[16],
                      struct err *err)
{
	return st->backend->issuer_code(st, name, create, code, err);
}

int store_issuer_list(struct store *st, struct trust_issuer *out, size_t max, size_t *n,
                      struct err *err)
{
	return st->backend->issuer_list(st, out, max, n, err);
}

int store_slot_get(struct store *st, const char *number, uint32_t *slot, struct err *err)
{
	return st->backend->slot_get(st, number, slot, err);
}

int store_slot_add(struct store *st, const char *number, uint32_t slot, struct err *err)
{
	return st->backend->slot_add(st, number, slot, err);
}

int store_slot_each(struct store *st, store_slot_fn fn, void *arg, struct err *err)
{
	return st->backend->slot_each(st, fn, arg, err);
}

int store_cred_add(struct store *st, const struct store_cred *c, struct err *err)
{
	return st->backend->cred_add(st, c, err);
}

int store_cred_find(struct store *st, const uint8_t hash[32], struct store_cred *out,
                    struct err *err)
{
	return st->backend->cred_find(st, hash, out, err);
}

int store_photo_set(struct store *st, const char *number, const char *mime, const uint8_t *data,
                    size_t len, const uint8_t hash[32], struct err *err)
{
	return st->backend->photo_set(st, number, mime, data, len, hash, err);
}

int store_photo_get(struct store *st, const char *number, struct store_photo *out, struct err *err)
{
	return st->backend->photo_get(st, number, out, err);
}

int store_log_append(struct store *st, const struct store_log_entry *e, struct err *err)
{
	return st->backend->log_append(st, e, err);
}

int store_log_get(struct store *st, int64_t index, struct store_log_entry *out, struct err *err)
{
	return st->backend->log_get(st, index, out, err);
}

int store_log_each(struct store *st, int64_t from, store_log_fn fn, void *arg, struct err *err)
{
	return st->backend->log_each(st, from, fn, arg, err);
}

int store_log_state_get(struct store *st, int64_t *size, uint8_t *frontier, size_t cap, size_t *len,
                        struct err *err)
{
	return st->backend->log_state_get(st, size, frontier, cap, len, err);
}

int store_log_state_set(struct store *st, int64_t size, const uint8_t *frontier, size_t len,
                        struct err *err)
{
	return st->backend->log_state_set(st, size, frontier, len, err);
}

int store_checkpoint_add(struct store *st, int64_t size, const char *note, int64_t now,
                         struct err *err)
{
	return st->backend->checkpoint_add(st, size, note, now, err);
}

int store_checkpoint_latest(struct store *st, int64_t *size, char *note, size_t cap,
                            struct err *err)
{
	return st->backend->checkpoint_latest(st, size, note, cap, err);
}

int store_slot_records(struct store *st, store_slot_record_fn fn, void *arg, struct err *err)
{
	return st->backend->slot_records(st, fn, arg, err);
}

int store_cred_each(struct store *st, store_cred_fn fn, void *arg, struct err *err)
{
	return st->backend->cred_each(st, fn, arg, err);
}
