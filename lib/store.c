/*
 * store.c - backend dispatch.  The wrappers exist so callers never reach
 * into the table, and so a NULL or half-open store is caught in one place.
 */
#include "store.h"

#include <stdlib.h>
#include <string.h>

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
	free(st);
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
