/*
 * store_org.h - storage of organisations and projects (org.h is the
 * domain module on top and the only caller).
 *
 * Rows are read with their names resolved (a row's district name, a
 * project's builder and supervisor codes and names).  Writes take rows the
 * domain module has checked; a constraint the database still refuses (a
 * code or name already taken) is an input error.  Look-ups return 1 found,
 * 0 absent, -1 error; the rest follow err.h.
 */
#ifndef OPCERT_STORE_ORG_H
#define OPCERT_STORE_ORG_H

#include "org.h"
#include "store.h"

int store_org_get(struct store *st, int64_t id, struct org *out, struct err *err);
int store_org_by_uscc(struct store *st, const char *uscc, struct org *out, struct err *err);
/* Organisations without a code (city, offices, districts, institutions)
 * are unique by kind and name. */
int store_org_by_name(struct store *st, enum org_kind kind, const char *name, struct org *out,
                      struct err *err);
/* Sets o->id. */
int store_org_insert(struct store *st, struct org *o, struct err *err);
/* Every stored field of the row with o->id (but kind and created_at). */
int store_org_update(struct store *st, const struct org *o, struct err *err);
int store_org_each(struct store *st, const struct org_filter *f, org_fn fn, void *arg,
                   struct err *err);
int store_project_get(struct store *st, int64_t id, struct project *out, struct err *err);
int store_project_by_name(struct store *st, int64_t builder, const char *name, struct project *out,
                          struct err *err);
/* Sets p->id. */
int store_project_insert(struct store *st, struct project *p, struct err *err);
int store_project_update(struct store *st, const struct project *p, struct err *err);
int store_project_each(struct store *st, const struct project_filter *f, project_fn fn, void *arg,
                       struct err *err);

#endif
