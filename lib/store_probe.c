/*
 * store_probe.c - dispatch to the backend's probe functions
 * (store_probe.h), so callers never reach into the table.
 */
#include "store_probe.h"

int store_probe_any(struct store *st, const char *subject, int64_t since, struct err *err)
{
	return st->backend->probe->any(st, subject, since, err);
}

int store_probe_misses(struct store *st, const char *subject, const uint8_t *cert, int64_t since,
                       store_probe_miss_fn fn, void *arg, struct err *err)
{
	return st->backend->probe->misses(st, subject, cert, since, fn, arg, err);
}

int store_probe_refusals(struct store *st, const char *subject, int64_t since, long *n,
                         struct err *err)
{
	return st->backend->probe->refusals(st, subject, since, n, err);
}

int store_probe_add(struct store *st, const char *subject, const uint8_t *cert,
                    const uint8_t *guess, int64_t at, struct err *err)
{
	return st->backend->probe->add(st, subject, cert, guess, at, err);
}

int store_probe_prune(struct store *st, int64_t before, struct err *err)
{
	return st->backend->probe->prune(st, before, err);
}

int store_probe_clear(struct store *st, const char *subject, const uint8_t *cert, long *n,
                      struct err *err)
{
	return st->backend->probe->clear(st, subject, cert, n, err);
}

int store_probe_each(struct store *st, int64_t since, long limit, store_probe_fn fn, void *arg,
                     struct err *err)
{
	return st->backend->probe->each(st, since, limit, fn, arg, err);
}
