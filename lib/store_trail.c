/*
 * store_trail.c - the store_trail_* wrappers over the backend's table of
 * functions (store_trail.h).
 */
#include "store_trail.h"

int store_trail_head(struct store *st, int64_t *seq, uint8_t hash[TRAIL_HASH_LEN], struct err *err)
{
	return st->backend->trail->head(st, seq, hash, err);
}

int store_trail_append(struct store *st, const struct store_trail_entry *e, struct err *err)
{
	return st->backend->trail->append(st, e, err);
}

int store_trail_get(struct store *st, int64_t seq, struct store_trail_entry *out, struct err *err)
{
	return st->backend->trail->get(st, seq, out, err);
}

int store_trail_each(struct store *st, const struct store_trail_filter *f, store_trail_fn fn,
                     void *arg, struct err *err)
{
	return st->backend->trail->each(st, f, fn, arg, err);
}

int store_trail_anchor_get(struct store *st, int64_t *log_index, struct err *err)
{
	return st->backend->trail->anchor_get(st, log_index, err);
}

int store_trail_anchor_set(struct store *st, int64_t log_index, struct err *err)
{
	return st->backend->trail->anchor_set(st, log_index, err);
}
