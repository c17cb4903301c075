/*
 * store_worker.h - storage of the workers registered on projects (worker.h
 * is the domain module on top and the only caller).
 *
 * A row keeps what the registering company presented: the certificate
 * number (an emergency-management number sealed like the register's), the
 * name, the ID number (sealed, with its blind index) and the post, plus the
 * verdict of the check made when it was registered.  Rows are never
 * deleted: a worker who leaves gets removed_at.  An active row is unique by
 * project, person and certificate number.
 *
 * Look-ups return 1 found, 0 absent, -1 error; the rest follow err.h.
 */
#ifndef OPCERT_STORE_WORKER_H
#define OPCERT_STORE_WORKER_H

#include <stdint.h>

#include "err.h"
#include "store.h"
#include "worker.h"

/* The active registration of that person (by ID number) with that
 * certificate number ("" = none) on the project: 1 and its id, 0 none. */
int store_worker_active(struct store *st, int64_t project, const char *id_number,
                        const char *number, int64_t *id, struct err *err);
/* Sets w->id. */
int store_worker_insert(struct store *st, struct worker *w, struct err *err);
int store_worker_get(struct store *st, int64_t id, struct worker *out, struct err *err);
/* Sets removed_at of an active row: 1 done, 0 no such active row. */
int store_worker_remove(struct store *st, int64_t id, int64_t now, struct err *err);
/* A project's workers in registration order. */
int store_worker_each(struct store *st, int64_t project, int include_removed, worker_fn fn,
                      void *arg, struct err *err);
/*
 * Whether an active registration of certificate `number` presented the ID
 * number the register holds for it, on a project that is not completed or
 * closed, in district `district` (0: any) built by `builder` (0: any).
 * 1 yes, 0 no.
 */
int store_worker_vouched(struct store *st, const char *number, int64_t district, int64_t builder,
                         struct err *err);
/*
 * Whether the holder of certificate `number` works for `company`: an active
 * registration that presented the register's ID number, on a project that is
 * not closed, built or supervised by it.  1 yes, 0 no.
 */
int store_worker_serves(struct store *st, const char *number, int64_t company, struct err *err);
/* An active registration of `number` on a running project other than
 * `project`: 1 and that project's id in *other, 0 none. */
int store_worker_elsewhere(struct store *st, const char *number, int64_t project, int64_t *other,
                           struct err *err);

#endif
