/*
 * trail.h - the audit trail: every change to the register, its
 * organisations and accounts, and every view of a full ID number, with who
 * did it, in which role, when and from where.
 *
 * The trail is append-only and hash-chained: entry seq (1, 2, 3, ...) has
 *   hash = SHA-256( "opcert-trail/1" || be64(seq) || be64(at) ||
 *                   str(login) || str(role) || str(addr) || str(action) ||
 *                   str(object) || detail || prev )
 * where str(s) = be32(length) || bytes, detail = 0x00 when absent or 0x01
 * || str(text), and prev is the hash of entry seq - 1 (32 zero bytes for
 * the first).  Editing, deleting or inserting an entry breaks the chain at
 * that entry.  Someone who can write the database could recompute the
 * whole chain, so every checkpoint of the transparency log first records
 * the chain's head in the log (a LEDGER_TRAIL event, "<seq> <hex hash>")
 * whenever it moved: once that checkpoint is signed, no entry up to the
 * anchored seq can change without trail_verify noticing.  Entries after
 * the newest anchor are protected by the chain only until the next
 * checkpoint.
 *
 * Personal fields are masked before they reach the trail: callers pass
 * masked text (idnum_mask, certno_mask, cert_diff_json).
 */
#ifndef OPCERT_TRAIL_H
#define OPCERT_TRAIL_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "err.h"
#include "store.h"
#include "store_trail.h"

struct ledger;

/* Who acts. */
struct actor {
	char login[64]; /* account login; "cli:USER" on the command line */
	char role[24];  /* role code (account.h); "cli" on the command line */
	char addr[64];  /* client address; "" on the command line */
};

/* The person running the command line ($USER, else the uid). */
void actor_cli(struct actor *a);

/*
 * Record one action, inside the caller's write transaction so that the
 * entry and the change land together or not at all.
 *   who     NULL: actor_cli()
 *   action  a code: "cert.import", "cert.revoke", "company.add",
 *           "project.close", "user.add", "user.login", "id.view", ...
 *   object  what it was done to, masked: "company:91520100MA6DKXXXXX",
 *           "user:li.ming", "cert:T520102********123X"
 *   detail  JSON text, {"before": {...}, "after": {...}} or any object,
 *           personal fields masked; NULL when there is nothing more.
 * An action, object or detail too long for the trail is an input error.
 */
int trail_append(struct store *st, const struct actor *who, int64_t now, const char *action,
                 const char *object, const char *detail, struct err *err);

/*
 * trail_append with the detail as a JSON object, as the accounts, the
 * organisations, the workers and the register import write it: detail
 * (NULL when there is nothing more) is written compact with its keys
 * sorted, so the same change always hashes the same.  detail is consumed,
 * also on failure.
 */
int trail_record(struct store *st, const struct actor *who, int64_t now, const char *action,
                 const char *object, json_t *detail, struct err *err);

/*
 * The detail of a change to one object, for trail_record:
 *   {"before": before, "after": after, "source": source, "line": line}
 * before and after (masked rows) are left out when NULL, source and line
 * when source (the file a row came from) is NULL.  Takes the references to
 * before and after, also on failure; NULL when out of memory.
 */
json_t *trail_change(json_t *before, json_t *after, const char *source, long line);

/* The hash of an entry as the chain defines it (above), from its fields
 * and its prev; seq and everything else as stored in e. */
void trail_entry_hash(const struct store_trail_entry *e, uint8_t out[TRAIL_HASH_LEN]);

/* Entries in seq order, optionally of one login and from a time on.  fn
 * returning non-zero stops the walk and is returned. */
struct trail_filter {
	const char *login; /* NULL: everyone */
	int64_t since;     /* unix seconds; INT64_MIN: from the first entry */
};
int trail_each(struct store *st, const struct trail_filter *f, store_trail_fn fn, void *arg,
               struct err *err);

/*
 * Inside the caller's write transaction with the log open (l): append a
 * LEDGER_TRAIL event naming the trail's head, unless the trail is empty or
 * the newest anchor already names it.  Returns 1 appended, 0 nothing to
 * do, -1 error.  The caller saves the ledger.  Checkpoints call this
 * before they sign (ledger_checkpoint_create).
 */
int trail_anchor(struct store *st, struct ledger *l, int64_t now, struct err *err);

/* --- verification --- */

enum trail_problem {
	TRAIL_EDITED =
	    1,          /* an entry's fields no longer match its hash, or its hash was recomputed */
	TRAIL_DELETED,  /* an entry is missing */
	TRAIL_INSERTED, /* an entry was put between two others */
	TRAIL_ANCHOR_MISMATCH, /* the chain differs from an anchor in the log: it was rewritten */
	TRAIL_ANCHOR_INVALID,  /* a LEDGER_TRAIL event that is not a well-formed anchor */
	TRAIL_LOG_UNTRUSTED, /* the log holding the anchors does not match its signed checkpoint */
};
#define TRAIL_PROBLEM_MAX TRAIL_LOG_UNTRUSTED

const char *trail_problem_code(enum trail_problem p);  /* "edited" */
const char *trail_problem_label(enum trail_problem p); /* "记录被修改" */

struct trail_finding {
	enum trail_problem kind;
	int64_t seq;       /* the entry it names first, -1 when none */
	int64_t log_index; /* the anchor's log entry, -1 when none */
	char msg[384];     /* Chinese, e.g. "审计记录第 17 条被修改" */
};

struct trail_verify_options {
	/* The log key (C2SP name and Ed25519 public key) that signs
	 * checkpoints; NULL: the newest checkpoint's signature is not checked
	 * (the report says so), the rest still is. */
	const char *key_name;
	const uint8_t *key_pk;
	size_t max_findings; /* kept in the report (the rest counted); 0 = 1000 */
};

struct trail_report {
	int64_t entries;  /* entries read */
	int64_t head_seq; /* newest seq, 0 when empty */
	uint8_t head[TRAIL_HASH_LEN];
	int64_t anchors;      /* LEDGER_TRAIL events in the log */
	int64_t anchored_seq; /* highest seq an anchor confirms, 0 none */
	int64_t log_entries;
	int checkpoint;        /* a stored checkpoint was found (and matched the log) */
	int checkpoint_signed; /* its signature was checked */
	int64_t checkpoint_size;
	int64_t signed_seq; /* highest seq anchored inside the signed checkpoint, 0 none */
	size_t total;
	size_t counts[TRAIL_PROBLEM_MAX + 1];
	struct trail_finding *findings;
	size_t nfindings, cap;
};

/*
 * Inside one read snapshot: recompute every entry's hash, check seq runs
 * 1, 2, 3, ... and each prev names the entry before; read every anchor in
 * the log and hold the chain against it; check the log's entries against
 * the newest stored checkpoint (so the anchors are the ones signed).
 * Returns 0 when the checks ran (r->total says whether anything was
 * found; release r either way), -1 when an error stopped them.
 */
int trail_verify(struct store *st, const struct trail_verify_options *o, struct trail_report *r,
                 struct err *err);
void trail_report_release(struct trail_report *r);

/*
 * Record that who saw something in full (a full ID number: action
 * "id.view", object "cert:<masked number>"), in a write transaction of its
 * own: a view changes nothing else, and the entry must land before the
 * answer leaves.
 */
int trail_view(struct store *st, const struct actor *who, int64_t now, const char *action,
               const char *object, struct err *err);

#endif
