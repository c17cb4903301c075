/*
 * store_worker.c - dispatch to the backend's worker functions
 * (store_worker.h), so callers never reach into the table.
 */
#include "store_worker.h"

int store_worker_active(struct store *st, int64_t project, const char *id_number,
                        const char *number, int64_t *id, struct err *err)
{
	return st->backend->worker->active(st, project, id_number, number, id, err);
}

int store_worker_insert(struct store *st, struct worker *w, struct err *err)
{
	return st->backend->worker->insert(st, w, err);
}

int store_worker_get(struct store *st, int64_t id, struct worker *out, struct err *err)
{
	return st->backend->worker->get(st, id, out, err);
}

int store_worker_remove(struct store *st, int64_t id, int64_t now, struct err *err)
{
	return st->backend->worker->remove(st, id, now, err);
}

int store_worker_each(struct store *st, int64_t project, int include_removed, worker_fn fn,
                      void *arg, struct err *err)
{
	return st->backend->worker->each(st, project, include_removed, fn, arg, err);
}

int store_worker_vouched(struct store *st, const char *number, int64_t district, int64_t builder,
                         struct err *err)
{
	return st->backend->worker->vouched(st, number, district, builder, err);
}

int store_worker_serves(struct store *st, const char *number, int64_t company, struct err *err)
{
	return st->backend->worker->serves(st, number, company, err);
}

int store_worker_elsewhere(struct store *st, const char *number, int64_t project, int64_t *other,
                           struct err *err)
{
	return st->backend->worker->elsewhere(st, number, project, other, err);
}
