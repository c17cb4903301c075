/*
 * issue.h - issuing a signed credential for a certificate in the register.
 *
 * One transaction: the certificate gets its random status-list slot (once),
 * its issuer a short code (once), the claims are signed with the current
 * issuing key, the issuance is appended to the transparency log (with the
 * SHA-256 of the credential's COSE bytes, so an online verifier can tell a
 * credential this register issued from a backdated one signed with a leaked
 * key), remembered in the credential table and entered in the audit trail.
 */
#ifndef OPCERT_ISSUE_H
#define OPCERT_ISSUE_H

#include <stdint.h>

#include "cert.h"
#include "cred.h"
#include "err.h"
#include "keys.h"
#include "statuslist.h"
#include "store.h"

struct actor;

struct issue_result {
	char *payload; /* "OC1:...", malloc'd */
	struct cred_claims claims;
	struct cert cert;
	uint8_t hash[32]; /* SHA-256 of the COSE bytes */
	int64_t log_index;
	uint32_t slot;
	int checkpoint_failed; /* issued, but no signed checkpoint covers it yet */
	char checkpoint_error[448];
};

/* Every credential issued is recorded under this config key's count. */
#define ISSUE_SLOT_COUNT_KEY "status-slot-count"

int issue_credential(struct store *st, struct keys *ks, const char *number, int64_t now,
                     struct issue_result *out, struct err *err);
/* The same, entered in the audit trail as done by who (issue_credential:
 * actor_cli()). */
int issue_credential_as(struct store *st, struct keys *ks, const struct actor *who,
                        const char *number, int64_t now, struct issue_result *out, struct err *err);
void issue_result_release(struct issue_result *r);

/* SHA-256 of the COSE bytes inside a payload ("OC1:" optional); -1 when
 * the payload cannot be unwrapped. */
int issue_payload_hash(const char *payload, size_t len, uint8_t out[32]);

/*
 * The status list as the register stands, refusing (input error naming the
 * certificate) when a certificate's row no longer matches the log or its
 * slot is not the one its issuance recorded: a list signed from a database
 * edited behind the system's back would spread the edit to every offline
 * verifier.  *count (may be NULL) receives the slots set.
 */
int issue_status_list(struct store *st, int64_t now, struct statuslist *out, long *count,
                      struct err *err);

#endif
