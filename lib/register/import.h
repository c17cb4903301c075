/*
 * import.h - loading a register CSV into the store, all or nothing.
 *
 * The whole file is one transaction: a file with one bad row, a number
 * used twice in the file, or (without update) a number already in the
 * register imports nothing, and the error names the file's line and column.
 * With update, a number already present is replaced when anything differs
 * and the change is recorded (personal data masked).  Every row inserted or
 * replaced is appended to the transparency log (ledger.h) in the same
 * transaction, and the import as a whole (file name, rows, inserted and
 * updated counts) to the audit trail (trail.h).
 */
#ifndef OPCERT_IMPORT_H
#define OPCERT_IMPORT_H

#include <stdint.h>

#include "err.h"
#include "store.h"

struct actor;

struct import_stats {
	long rows;      /* data rows read */
	long inserted;  /* new certificates */
	long updated;   /* changed certificates (update only) */
	long unchanged; /* present and identical (update only) */
};

struct import_options {
	int update;
	int32_t today;                          /* bounds ID birth dates */
	int64_t now;                            /* unix seconds, recorded in the transparency log */
	const char *source;                     /* recorded with each change, e.g. the file name */
	void (*progress)(long rows, void *arg); /* called every 100,000 rows, may be NULL */
	void *progress_arg;
	const struct actor *actor; /* recorded in the audit trail; NULL: actor_cli() */
};

int import_register(struct store *st, const char *path, const struct import_options *o,
                    struct import_stats *stats, struct err *err);

#endif
