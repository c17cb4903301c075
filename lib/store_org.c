/*
 * store_org.c - dispatch to the backend's organisation functions
 * (store_org.h), so callers never reach into the table.
 */
#include "store_org.h"

int store_org_get(struct store *st, int64_t id, struct org *out, struct err *err)
{
	return st->backend->org->org_get(st, id, out, err);
}

int store_org_by_uscc(struct store *st, const char *uscc, struct org *out, struct err *err)
{
	return st->backend->org->org_by_uscc(st, uscc, out, err);
}

int store_org_by_name(struct store *st, enum org_kind kind, const char *name, struct org *out,
                      struct err *err)
{
	return st->backend->org->org_by_name(st, kind, name, out, err);
}

int store_org_insert(struct store *st, struct org *o, struct err *err)
{
	return st->backend->org->org_insert(st, o, err);
}

int store_org_update(struct store *st, const struct org *o, struct err *err)
{
	return st->backend->org->org_update(st, o, err);
}

int store_org_each(struct store *st, const struct org_filter *f, org_fn fn, void *arg,
                   struct err *err)
{
	return st->backend->org->org_each(st, f, fn, arg, err);
}

int store_project_get(struct store *st, int64_t id, struct project *out, struct err *err)
{
	return st->backend->org->project_get(st, id, out, err);
}

int store_project_by_name(struct store *st, int64_t builder, const char *name, struct project *out,
                          struct err *err)
{
	return st->backend->org->project_by_name(st, builder, name, out, err);
}

int store_project_insert(struct store *st, struct project *p, struct err *err)
{
	return st->backend->org->project_insert(st, p, err);
}

int store_project_update(struct store *st, const struct project *p, struct err *err)
{
	return st->backend->org->project_update(st, p, err);
}

int store_project_each(struct store *st, const struct project_filter *f, project_fn fn, void *arg,
                       struct err *err)
{
	return st->backend->org->project_each(st, f, fn, arg, err);
}
