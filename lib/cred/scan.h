/*
 * scan.h - the verdict on what a phone or scanner read off a card: a bare
 * "OC1:" payload or a URL.
 *
 * In order: a URL that is not the official verifier's is not decoded at
 * all (unofficial_link, naming its host); a payload whose signature, key
 * or key period does not verify is forged; then the dates (expired,
 * review_overdue) and the status:
 *  - online (a register is given): the issuance must be in the register's
 *    log (else forged: a backdated credential signed with a leaked key),
 *    the status is the register's, and a register row that no longer
 *    matches its log entry is tampered;
 *  - offline: the status comes from a signed status list no older than
 *    the allowed age, else status_unknown — never a silent valid.
 */
#ifndef OPCERT_SCAN_H
#define OPCERT_SCAN_H

#include <stdint.h>

#include "cred.h"
#include "err.h"
#include "statuslist.h"
#include "store.h"
#include "trust.h"
#include "verdict.h"

#define SCAN_STATUS_MAX_AGE_DEFAULT (7 * 86400)

struct scan_options {
	const struct trust_list *trust;
	const char *official_host;
	struct store *store;             /* online: the register; NULL = offline */
	const struct statuslist *status; /* offline: a verified status list, may be NULL */
	int64_t status_max_age;          /* seconds */
	int64_t now;                     /* unix seconds */
	int32_t today;
};

struct scan_result {
	verdict_mask findings;
	enum verdict verdict;
	struct cred_link link;   /* what the text was */
	struct cred_check check; /* the signature check; claims when OK */
	int found;               /* online: the register's record */
	struct cert cert;
	int status_known;
	enum cert_status status;
	char message[640];
};

int scan_verify(const char *text, size_t len, const struct scan_options *o, struct scan_result *r,
                struct err *err);

#endif
