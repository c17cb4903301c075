/*
 * ledger.h - what the register records in its transparency log.
 *
 * Every change to the register (import, update, issuance, renewal,
 * suspension, reinstatement, revocation, amendment, photo) and every key
 * change is an event appended to the log (tlog.h), and so is the head of
 * the audit trail (trail.h) whenever a checkpoint finds it moved.  An event about a
 * certificate carries the SHA-256 of the certificate's canonical plaintext
 * row, so a row changed behind the system's back no longer matches the
 * event that last recorded it (verdict tampered), and storing fields
 * encrypted later changes nothing in the log.
 *
 * Canonical encodings are deterministic CBOR (RFC 8949 §4.2.1):
 *   row   = [number, system, name, gender, id_number, trade, issuer,
 *            issued_on, valid_until, review_due / null, status,
 *            training_institution]
 *   event = [1, kind, time, number / null, row_hash / null, detail / null]
 */
#ifndef OPCERT_LEDGER_H
#define OPCERT_LEDGER_H

#include <stddef.h>
#include <stdint.h>

#include "cert.h"
#include "err.h"
#include "store.h"
#include "tlog.h"

struct keys;
struct logcache;

enum ledger_kind {
	LEDGER_IMPORT = 1,    /* a row imported */
	LEDGER_UPDATE = 2,    /* a row replaced by import --update */
	LEDGER_ISSUE = 3,     /* a credential issued; detail = "<hex SHA-256 of its COSE> <slot>" */
	LEDGER_RENEW = 4,     /* 延期复核 / 复审 passed */
	LEDGER_SUSPEND = 5,   /* detail = reason */
	LEDGER_REINSTATE = 6, /* suspension lifted */
	LEDGER_REVOKE = 7,    /* detail = reason */
	LEDGER_AMEND = 8,     /* a field corrected; detail = "field: reason" */
	LEDGER_KEY = 9,       /* key created / rotated; detail = "role kid" */
	LEDGER_PHOTO = 10,    /* photo attached; detail = hex SHA-256 of the photo */
	LEDGER_MIGRATE = 11,  /* a row that existed before the log, recorded once */
	LEDGER_TRAIL = 12, /* the audit trail's head; detail = "<seq> <hex SHA-256 of entry seq>" */
};
#define LEDGER_KIND_MAX 12

struct ledger_event {
	enum ledger_kind kind;
	int64_t time;       /* unix seconds */
	const char *number; /* NULL when about no certificate */
	int has_row;
	uint8_t row_hash[32];
	const char *detail; /* NULL when none */
};

const char *ledger_kind_code(enum ledger_kind k);  /* "import" */
const char *ledger_kind_label(enum ledger_kind k); /* "导入" */

/* The detail of a LEDGER_TRAIL event: "<seq> <64 hex digits>" (seq >= 1,
 * decimal without leading zeros, lower-case hex).  format needs
 * LEDGER_TRAIL_DETAIL_SIZE bytes; parse returns -1 for anything else. */
#define LEDGER_TRAIL_DETAIL_SIZE 96
void ledger_trail_detail(int64_t seq, const uint8_t hash[32], char out[LEDGER_TRAIL_DETAIL_SIZE]);
int ledger_trail_parse(const char *detail, int64_t *seq, uint8_t hash[32]);

/* SHA-256 of the canonical row. */
void ledger_row_hash(const struct cert *c, uint8_t out[32]);
/* Encode e into out; returns the length, 0 when it does not fit. */
size_t ledger_encode(const struct ledger_event *e, uint8_t *out, size_t cap);
/* Decode an event; strings are copied into the caller's buffers.  -1 when
 * data is not a canonical event. */
int ledger_decode(const uint8_t *data, size_t len, struct ledger_event *e, char *number,
                  size_t number_size, char *detail, size_t detail_size);

/*
 * Appending: open inside the caller's write transaction, append any number
 * of events, save before commit.  The compact tree state (tlog frontier)
 * is kept beside the entries so an append never reads old entries.
 */
struct ledger {
	struct store *store;
	struct tlog_frontier frontier;
	int changed;
};

int ledger_open(struct ledger *l, struct store *st, struct err *err);
/* Append e; *index (may be NULL) receives its entry number. */
int ledger_append(struct ledger *l, const struct ledger_event *e, int64_t *index, struct err *err);
int ledger_save(struct ledger *l, struct err *err);
int64_t ledger_size(const struct ledger *l);
void ledger_root(const struct ledger *l, uint8_t out[32]);

/*
 * Does the stored row still match the event that last recorded it?
 * 0 yes, 1 no (tampered: no event, an event about another number, or a
 * different row hash), -1 error.  The entry's own integrity (its leaf hash,
 * its place in the tree, whether it is the number's last event) is left to
 * logverify.h: this check runs once per roster row and must stay cheap.
 */
int ledger_check_row(struct store *st, const struct cert *c, struct err *err);
/* The same check against an entry already read: 0 it records c as it is, 1 not. */
int ledger_check_entry(const struct cert *c, const struct store_log_entry *entry);

/* --- the log as a signed tree (ledger_tree.c) --- */

/*
 * Sign a checkpoint of the log as it stands and store it: the one way a
 * checkpoint is made (`opcert log checkpoint`, every issuance, the server).
 * In one write transaction the audit trail's head is first appended to the
 * log when it moved since the last anchor (trail_anchor), so the signature
 * covers it; then the checkpoint (C2SP tlog-checkpoint; origin: the
 * official host + "/log", else "opcert.local/log") is signed with the log
 * key of ks (its signer, keys.h) as a C2SP signed note under keys_log_name,
 * checked against the log's public key, and stored.  note (cap bytes;
 * NOTE_MAX + 1 always suffice) receives the note, NUL-terminated, and cp
 * what it says; either may be NULL.
 */
int ledger_checkpoint_create(struct store *st, struct keys *ks, int64_t now, char *note, size_t cap,
                             struct tlog_checkpoint *cp, struct err *err);

/* The tree a proof is made in: the first size entries, whose root is root,
 * as a signed checkpoint says (from_checkpoint = 1) or as the log's own
 * stored state says (0; the messages name which). */
struct ledger_tree {
	uint64_t size;
	uint8_t root[TLOG_HASH_LEN];
	int from_checkpoint;
};

struct ledger_proof {
	struct store_log_entry entry; /* the entry as stored (its data: the event) */
	uint8_t leaf[TLOG_HASH_LEN];  /* its leaf hash, recomputed from its data */
	struct tlog_proof proof;      /* RFC 9162, from the leaf up */
};

/*
 * Inside the caller's read transaction: the inclusion proof of entry index
 * in tree, the one proof of `opcert log prove` and the server's proof
 * route.  The entry must lie in the tree (else an input error: "日志只有 N
 * 条（第 0 至 N-1 条），没有第 M 条", or "日志是空的"), exist, and hash to its
 * stored leaf hash; the stored leaves must make tree->root; the proof is
 * verified against tree->root before it is returned.  Each of those
 * failures is a system error naming the entry (run `opcert log verify`).
 * cache: the server's proof cache (logcache.h), extended to tree->size and
 * held against each new root once (a cache ahead of the tree, after the
 * log was rolled back, starts again); NULL: one is made for this proof.
 */
int ledger_prove(struct store *st, struct logcache *cache, const struct ledger_tree *tree,
                 uint64_t index, struct ledger_proof *out, struct err *err);

/*
 * The issuance event at log entry index, as the log (not the credential
 * table) records it: 1 and its certificate number and status slot when the
 * entry is an issuance of the credential whose COSE hash is hash (hash NULL:
 * any issuance), 0 when it is not, -1 on error.
 */
int ledger_issue_entry(struct store *st, int64_t index, const uint8_t hash[32],
                       char number[CERTNO_SIZE], uint32_t *slot, struct err *err);

#endif
