/*
 * trail.h - the audit trail: every change to the register, its
 * organisations and accounts, and every view of a full ID number, with who
 * did it, in which role, when and from where.
 *
 * The trail is append-only and hash-chained (each entry's hash covers the
 * one before); the chain's head is recorded in the transparency log at
 * every checkpoint, so an edited or deleted entry is detected by
 * trail_verify.  Personal fields are masked before they reach the trail:
 * callers pass masked text (idnum_mask, certno_mask, cert_diff_json).
 */
#ifndef OPCERT_TRAIL_H
#define OPCERT_TRAIL_H

#include <stdint.h>

#include "err.h"
#include "store.h"

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
 *   action  a code: "cert.import", "cert.revoke", "company.add",
 *           "project.close", "user.add", "user.login", "id.view", ...
 *   object  what it was done to, masked: "company:91520100MA6DKXXXXX",
 *           "user:li.ming", "cert:T520102********123X"
 *   detail  JSON text, {"before": {...}, "after": {...}} or any object,
 *           personal fields masked; NULL when there is nothing more.
 */
int trail_append(struct store *st, const struct actor *who, int64_t now, const char *action,
                 const char *object, const char *detail, struct err *err);

#endif
