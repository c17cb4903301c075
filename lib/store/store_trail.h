/*
 * store_trail.h - storage of the audit trail (trail.h is the domain module
 * on top).
 *
 * The trail is one append-only table: entries numbered 1, 2, 3, ... (seq),
 * each with the hash of the entry before it (prev) and its own hash, both
 * computed by trail.c; the store only keeps them.  The backend refuses
 * UPDATE and DELETE on the table (SQLite triggers) to stop honest
 * mistakes; tampering by someone who can write the file is detected by
 * trail_verify through the hash chain and its anchors in the transparency
 * log, not prevented here.
 *
 * Beside the entries the store remembers the log entry of the newest
 * anchor (a LEDGER_TRAIL event), so a checkpoint need not search the log
 * for it.  That is a hint only: trail.c reads the event it points to and
 * anchors again when it does not name the current head.
 */
#ifndef OPCERT_STORE_TRAIL_H
#define OPCERT_STORE_TRAIL_H

#include <stdint.h>

#include "err.h"
#include "store.h"

#define TRAIL_HASH_LEN    32
#define TRAIL_ACTION_SIZE 48
#define TRAIL_OBJECT_SIZE 192
#define TRAIL_DETAIL_MAX  8192 /* bytes of detail JSON, NUL included */

/* One stored entry, as read back (every field as stored, even if forged). */
struct store_trail_entry {
	int64_t seq;
	int64_t at; /* unix seconds */
	char login[64];
	char role[24];
	char addr[64];
	char action[TRAIL_ACTION_SIZE];
	char object[TRAIL_OBJECT_SIZE];
	int has_detail;
	char detail[TRAIL_DETAIL_MAX];
	uint8_t prev[TRAIL_HASH_LEN];
	uint8_t hash[TRAIL_HASH_LEN];
	int bad_blob; /* prev or hash is not 32 bytes (stored bytes kept as far as they go) */
};

/* Which entries a walk returns: all fields optional. */
struct store_trail_filter {
	const char *login; /* NULL: every account */
	int64_t since;     /* entries at or after this time; INT64_MIN: from the start */
	int64_t from_seq;  /* entries with seq >= from_seq */
};

/* Return non-zero to stop the walk (that value is returned). */
typedef int (*store_trail_fn)(void *arg, const struct store_trail_entry *e);

/* 1 and the newest entry's seq and hash, 0 when the trail is empty. */
int store_trail_head(struct store *st, int64_t *seq, uint8_t hash[TRAIL_HASH_LEN], struct err *err);
int store_trail_append(struct store *st, const struct store_trail_entry *e, struct err *err);
/* 1 found, 0 no entry with that seq. */
int store_trail_get(struct store *st, int64_t seq, struct store_trail_entry *out, struct err *err);
/* In seq order. */
int store_trail_each(struct store *st, const struct store_trail_filter *f, store_trail_fn fn,
                     void *arg, struct err *err);
/* The log entry of the newest anchor: 1 found, 0 none recorded. */
int store_trail_anchor_get(struct store *st, int64_t *log_index, struct err *err);
int store_trail_anchor_set(struct store *st, int64_t log_index, struct err *err);

#endif
