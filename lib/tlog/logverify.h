/*
 * logverify.h - `opcert log verify`: recompute the transparency log from its
 * stored entries and hold the register against it, reporting every problem
 * found (not just the first).
 *
 * Threat model: someone who can write to the database file (plain SQL) but
 * cannot read the private keys.  Whatever they change, delete, reorder or
 * roll back shows up as one of the findings below, named by log entry or
 * certificate number.  The log's own stored state (size and frontier) can
 * be forged by such a writer; signed checkpoints cannot, which is why a
 * checkpoint kept outside the database (--against) is the strongest check:
 * the current log must extend it.
 *
 * What is checked:
 *   - every entry: its leaf hash is tlog_leaf_hash(data), its data is a
 *     canonical event (ledger_decode), its number column agrees with the
 *     event; entries are numbered 0, 1, 2, ... without gaps or repeats;
 *   - the tree: the root of all entries equals the stored state's root and
 *     size (when not, the perfect subtrees that differ are named);
 *   - the newest stored checkpoint: signed by the log key, and the root
 *     recomputed at its size equals its root;
 *   - every register row: its ledger_index is the last event that recorded
 *     its number and its row hash is that event's; a number the log knows
 *     that has no row was deleted; a row the log never recorded was written
 *     behind the system's back (or predates the log: lifecycle_backfill);
 *   - optionally a checkpoint kept elsewhere (see above).
 *
 * One pass over the entries (a frontier gives the roots at every size
 * needed), one over the rows; memory is about 90 bytes per certificate
 * number in the log.
 */
#ifndef OPCERT_LOGVERIFY_H
#define OPCERT_LOGVERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "err.h"
#include "store.h"
#include "tlog.h"

enum logverify_kind {
	LOGVERIFY_ENTRY_EDITED = 1,    /* an entry's bytes, leaf hash or number column changed */
	LOGVERIFY_ENTRY_INVALID,       /* an entry is not a canonical event */
	LOGVERIFY_ENTRY_DELETED,       /* a numbered entry is missing */
	LOGVERIFY_ENTRY_REORDERED,     /* entries out of order, repeated, or an event moved */
	LOGVERIFY_TREE_MISMATCH,       /* the entries do not make the tree the log state records */
	LOGVERIFY_STATE_INVALID,       /* the stored log state is missing or unreadable */
	LOGVERIFY_CHECKPOINT_INVALID,  /* a stored checkpoint does not parse or verify */
	LOGVERIFY_CHECKPOINT_MISMATCH, /* the log no longer extends a stored checkpoint */
	LOGVERIFY_ROW_EDITED,          /* a row differs from the event that recorded it */
	LOGVERIFY_ROW_ROLLED_BACK,     /* a row is back at an earlier recorded state */
	LOGVERIFY_ROW_DELETED,         /* the log records a certificate the register lacks */
	LOGVERIFY_ROW_UNRECORDED,      /* a row the log never recorded */
	LOGVERIFY_LOG_REWRITTEN,       /* the log does not extend the checkpoint kept elsewhere */
	LOGVERIFY_CREDENTIAL_UNLOGGED, /* an issuance record the log does not hold */
	LOGVERIFY_SLOT_MOVED,          /* a status slot differs from the one its issuance logged */
};
#define LOGVERIFY_KIND_MAX LOGVERIFY_SLOT_MOVED

const char *logverify_kind_code(enum logverify_kind k);  /* "row_edited" */
const char *logverify_kind_label(enum logverify_kind k); /* "登记记录被修改" */

struct logverify_finding {
	enum logverify_kind kind;
	int64_t index;            /* the log entry it is about, -1 when none */
	char number[CERTNO_SIZE]; /* the certificate it is about, "" when none */
	char msg[384];            /* in Chinese, names the entry and/or certificate */
};

struct logverify_options {
	/* The log key that signs checkpoints: its C2SP key name and Ed25519
	 * public key.  NULL: checkpoints are read but their signatures are not
	 * checked (the report says so). */
	const char *key_name;
	const uint8_t *key_pk;
	/* A signed checkpoint kept outside the database, or NULL.  It must
	 * verify with the log key (which is then required): a text that does
	 * not is an input error, not a finding. */
	const char *against;
	size_t against_len;
	/* Findings kept in the report (the rest are only counted); 0 = 10000. */
	size_t max_findings;
};

struct logverify_report {
	int64_t entries;             /* entries read */
	int64_t state_size;          /* size the stored state records, -1 when none */
	uint8_t root[TLOG_HASH_LEN]; /* root recomputed over the entries read */
	long certificates;           /* register rows checked */
	long numbers;                /* distinct certificate numbers in the log */
	int checkpoint;              /* stored checkpoint: 0 none, 1 checked */
	int checkpoint_signed;       /* its signature was checked */
	int64_t checkpoint_size;
	int against; /* the checkpoint kept elsewhere was checked */
	int64_t against_size;
	size_t total; /* findings, including those not kept */
	size_t counts[LOGVERIFY_KIND_MAX + 1];
	struct logverify_finding *findings; /* the first nfindings, in the order found */
	size_t nfindings;
	size_t cap;
};

/*
 * Run every check inside one read snapshot.  Returns 0 when the checks
 * ran (r->total says whether anything was found; release r either way),
 * -1 on an error that stopped them (input: a bad --against checkpoint).
 */
int logverify_run(struct store *st, const struct logverify_options *o, struct logverify_report *r,
                  struct err *err);
void logverify_report_release(struct logverify_report *r);

/*
 * The stored leaf hashes of entries 0..n-1 in memory, for proofs: 32 bytes
 * an entry.  An entry missing from the store is a system error naming it
 * (run `opcert log verify`).
 */
struct logverify_leaves {
	uint8_t (*hash)[TLOG_HASH_LEN];
	uint64_t n;
};

int logverify_leaves_load(struct store *st, uint64_t n, struct logverify_leaves *out,
                          struct err *err);
void logverify_leaves_release(struct logverify_leaves *l);
/* A tlog_leaf_fn over struct logverify_leaves (ctx). */
int logverify_leaf(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN]);

#endif
