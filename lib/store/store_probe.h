/*
 * store_probe.h - storage of the probe limit's tries (probe.h is the
 * policy on top and the only caller).
 *
 * A row is one ID number that a subject (an account or a client address,
 * as text) tried for a certificate and that turned out not to be the
 * register's (a miss), or one refusal (guess NULL).  The certificate and
 * the guess arrive as opaque keyed hashes of STORE_PROBE_KEY_LEN bytes:
 * the backend stores and counts bytes and knows neither what they stand
 * for nor the rule they serve; times come from the caller.  The same miss
 * again keeps one row, at the later time.
 *
 * Functions follow err.h; `any` returns 1 / 0.
 */
#ifndef OPCERT_STORE_PROBE_H
#define OPCERT_STORE_PROBE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

#define STORE_PROBE_KEY_LEN      16
#define STORE_PROBE_SUBJECT_SIZE 96

/* One miss: for which certificate, what was tried and when (the latest
 * time). */
struct store_probe_miss {
	uint8_t cert[STORE_PROBE_KEY_LEN];
	uint8_t guess[STORE_PROBE_KEY_LEN];
	int64_t at;
};

typedef int (*store_probe_miss_fn)(void *arg, const struct store_probe_miss *m);

/* One subject's rows at or after a time. */
struct store_probe_summary {
	char subject[STORE_PROBE_SUBJECT_SIZE];
	long certificates; /* distinct certificates with a miss */
	long misses;       /* misses (distinct certificate and guess) */
	long refusals;
	long at_limit; /* certificates with at least `limit` misses */
	int64_t last;  /* the newest row */
};

typedef int (*store_probe_fn)(void *arg, const struct store_probe_summary *s);

int store_probe_any(struct store *st, const char *subject, int64_t since, struct err *err);
int store_probe_misses(struct store *st, const char *subject, const uint8_t *cert, int64_t since,
                       store_probe_miss_fn fn, void *arg, struct err *err);
int store_probe_refusals(struct store *st, const char *subject, int64_t since, long *n,
                         struct err *err);
int store_probe_add(struct store *st, const char *subject, const uint8_t *cert,
                    const uint8_t *guess, int64_t at, struct err *err);
int store_probe_prune(struct store *st, int64_t before, struct err *err);
int store_probe_clear(struct store *st, const char *subject, const uint8_t *cert, long *n,
                      struct err *err);
int store_probe_each(struct store *st, int64_t since, long limit, store_probe_fn fn, void *arg,
                     struct err *err);

#endif
