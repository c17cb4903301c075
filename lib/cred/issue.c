/*
 * issue.c - see issue.h.  The claims are signed through a signer of the
 * key store (keys.h): the issuing key's secret never comes here.
 */
#include "issue.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "b45.h"
#include "certno.h"
#include "ledger.h"
#include "statuslist.h"
#include "trail.h"

#define SLOT_TRIES 64

int issue_payload_hash(const char *payload, size_t len, uint8_t out[32])
{
	uint8_t z[CRED_TEXT_MAX], cose[CRED_COSE_MAX];
	size_t zlen;
	uLongf clen = sizeof(cose);

	if (len >= 4 && memcmp(payload, CRED_PREFIX, 4) == 0) {
		payload += 4;
		len -= 4;
	}
	if (b45_decode(payload, len, z, sizeof(z), &zlen) < 0)
		return -1;
	if (uncompress(cose, &clen, z, zlen) != Z_OK)
		return -1;
	crypto_hash_sha256(out, cose, clen);
	return 0;
}

static int slot_count(struct store *st, uint64_t *count, struct err *err)
{
	char buf[32];
	int rc = store_config_get(st, ISSUE_SLOT_COUNT_KEY, buf, sizeof(buf), err);

	if (rc < 0)
		return -1;
	*count = rc ? strtoull(buf, NULL, 10) : 0;
	return 0;
}

/* The certificate's slot in the status list, drawn at random the first time. */
static int assign_slot(struct store *st, const char *number, uint32_t *slot, struct err *err)
{
	uint64_t count;
	uint32_t size;
	char buf[32];
	int rc, i;

	rc = store_slot_get(st, number, slot, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (slot_count(st, &count, err) < 0)
		return -1;
	size = statuslist_size_for(count + 1);
	for (i = 0; i < SLOT_TRIES; i++) {
		*slot = randombytes_uniform(size);
		rc = store_slot_add(st, number, *slot, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
	}
	if (i == SLOT_TRIES)
		return err_system(err, "无法分配状态列表位置");
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)(count + 1));
	return store_config_set(st, ISSUE_SLOT_COUNT_KEY, buf, err);
}

static int sign_claims(struct keys *ks, const struct cred_claims *claims, char **payload,
                       uint8_t kid[KID_LEN], struct err *err)
{
	struct keys_signer *s = keys_signer_open(ks, KEYS_ISSUING, err);
	int rc;

	if (!s)
		return -1;
	memcpy(kid, keys_signer_info(s)->kid, KID_LEN);
	rc = cred_sign(claims, s, payload, err);
	keys_signer_close(s);
	return rc;
}

int issue_credential(struct store *st, struct keys *ks, const char *number, int64_t now,
                     struct issue_result *out, struct err *err)
{
	return issue_credential_as(st, ks, NULL, number, now, out, err);
}

/* The audit-trail entry of an issuance: the certificate masked, the log
 * entry, the slot and the credential's hash. */
static int record_issue(struct store *st, const struct actor *who, int64_t now,
                        const struct issue_result *out, const char *hashhex, struct err *err)
{
	char masked[CERTNO_SIZE], object[16 + CERTNO_SIZE], detail[192];

	certno_mask(out->cert.number, masked);
	snprintf(object, sizeof(object), "cert:%s", masked);
	snprintf(detail, sizeof(detail), "{\"hash\":\"%s\",\"log_index\":%lld,\"slot\":%u}",
	         hashhex, (long long)out->log_index, (unsigned)out->slot);
	return trail_append(st, who, now, "cred.issue", object, detail, err);
}

int issue_credential_as(struct store *st, struct keys *ks, const struct actor *who,
                        const char *number, int64_t now, struct issue_result *out, struct err *err)
{
	struct store_photo photo = {0};
	struct store_cred rec;
	struct ledger ledger;
	struct ledger_event ev;
	struct cert before;
	struct certno no;
	char code[16], hashhex[65], detail[96];
	int rc, in_txn = 0, ret = -1;

	memset(out, 0, sizeof(*out));
	out->log_index = -1;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	in_txn = 1;
	if (certno_parse(number, strlen(number), &no) < 0) {
		err_input(err, "证书编号“%s”格式无效", number);
		goto out;
	}
	rc = store_cert_get(st, no.text, &out->cert, err);
	if (rc <= 0) {
		if (rc == 0)
			err_input(err, "登记库中没有证书 %s", no.text);
		goto out;
	}
	if (out->cert.status == CERT_REVOKED) {
		err_input(err, "证书 %s 已注销，不能签发凭证", number);
		goto out;
	}
	rc = ledger_check_row(st, &out->cert, err);
	if (rc != 0) {
		if (rc == 1)
			err_input(err,
			          "证书 %s 的登记记录与透明日志不一致（疑似被篡改），请先运行 "
			          "opcert log verify",
			          number);
		goto out;
	}
	if (assign_slot(st, out->cert.number, &out->slot, err) < 0)
		goto out;
	if (store_issuer_code(st, out->cert.issuer, 1, code, err) < 0)
		goto out;
	if (cred_claims_from_cert(&out->claims, &out->cert, code, out->slot, now, NULL, err) < 0)
		goto out;
	rc = store_photo_get(st, out->cert.number, &photo, err);
	if (rc < 0)
		goto out;
	if (rc == 1) {
		out->claims.has_photo = 1;
		cred_photo_hash(photo.data, photo.len, out->claims.photo_hash);
	}
	memset(&rec, 0, sizeof(rec));
	if (sign_claims(ks, &out->claims, &out->payload, rec.kid, err) < 0)
		goto out;
	if (issue_payload_hash(out->payload, strlen(out->payload), out->hash) < 0) {
		err_system(err, "凭证自检失败");
		goto out;
	}

	/* The issuance is the certificate's newest event. */
	if (ledger_open(&ledger, st, err) < 0)
		goto out;
	sodium_bin2hex(hashhex, sizeof(hashhex), out->hash, 32);
	snprintf(detail, sizeof(detail), "%s %u", hashhex, (unsigned)out->slot);
	memset(&ev, 0, sizeof(ev));
	ev.kind = LEDGER_ISSUE;
	ev.time = now;
	ev.number = out->cert.number;
	ev.has_row = 1;
	ledger_row_hash(&out->cert, ev.row_hash);
	ev.detail = detail;
	if (ledger_append(&ledger, &ev, &out->log_index, err) < 0)
		goto out;
	before = out->cert;
	out->cert.ledger_index = out->log_index;
	if (store_cert_update(st, &before, &out->cert, NULL, err) < 0)
		goto out;
	snprintf(rec.number, sizeof(rec.number), "%s", out->cert.number);
	rec.iat = now;
	memcpy(rec.hash, out->hash, 32);
	rec.log_index = out->log_index;
	if (store_cred_add(st, &rec, err) < 0 ||
	    record_issue(st, who, now, out, hashhex, err) < 0 || ledger_save(&ledger, err) < 0 ||
	    store_commit(st, err) < 0)
		goto out;
	in_txn = 0;
	/* A signed checkpoint covers the issuance at once: online verifiers
	 * accept only issuances inside a checkpoint signed with the log key, so
	 * entries appended behind the system's back count for nothing. */
	{
		struct err cp_err;

		err_clear(&cp_err);
		if (ledger_checkpoint_create(st, ks, now, NULL, 0, NULL, &cp_err) < 0) {
			/* The issuance is committed: report success, and say the
			 * checkpoint is owed (online verifiers reject the credential
			 * until one covers it). */
			out->checkpoint_failed = 1;
			snprintf(out->checkpoint_error, sizeof(out->checkpoint_error), "%s",
			         cp_err.msg);
		}
	}
	ret = 0;
out:
	if (in_txn)
		store_rollback(st);
	free(photo.data);
	if (ret < 0)
		issue_result_release(out);
	return ret;
}

void issue_result_release(struct issue_result *r)
{
	if (!r)
		return;
	free(r->payload);
	r->payload = NULL;
}

struct status_build {
	struct store *st;
	struct statuslist *sl;
	long count;
	struct err *err;
};

static int status_slot(void *arg, uint32_t slot, const char *number, int64_t issue_index)
{
	struct status_build *b = arg;
	struct cert c;
	char logged[CERTNO_SIZE];
	uint32_t logged_slot;
	int rc;

	rc = store_cert_get(b->st, number, &c, b->err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		err_input(b->err,
		          "状态列表位置 %u 对应的证书 %s 不在登记库中，拒绝导出（请运行 opcert log "
		          "verify）",
		          (unsigned)slot, number);
		return -1;
	}
	rc = ledger_check_row(b->st, &c, b->err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		err_input(b->err,
		          "证书 %s 的登记记录与透明日志不一致，拒绝导出状态列表（请运行 opcert log "
		          "verify）",
		          number);
		return -1;
	}
	rc = ledger_issue_entry(b->st, issue_index, NULL, logged, &logged_slot, b->err);
	if (rc < 0)
		return -1;
	if (rc == 0 || strcmp(logged, number) != 0 || logged_slot != slot) {
		err_input(
		    b->err,
		    "证书 %s 的状态列表位置与签发日志不符，拒绝导出（请运行 opcert log verify）",
		    number);
		return -1;
	}
	statuslist_set(b->sl, slot, c.status);
	b->count++;
	return 0;
}

int issue_status_list(struct store *st, int64_t now, struct statuslist *out, long *count,
                      struct err *err)
{
	struct status_build b;
	char buf[32];
	uint64_t n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = store_config_get(st, ISSUE_SLOT_COUNT_KEY, buf, sizeof(buf), err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		n = strtoull(buf, NULL, 10);
	if (statuslist_init(out, statuslist_size_for(n), now, err) < 0)
		return -1;
	b.st = st;
	b.sl = out;
	b.count = 0;
	b.err = err;
	if (store_begin(st, STORE_TXN_READ, err) < 0)
		goto fail;
	rc = store_slot_records(st, status_slot, &b, err);
	store_rollback(st);
	if (rc != 0)
		goto fail;
	if (count)
		*count = b.count;
	return 0;
fail:
	statuslist_release(out);
	return -1;
}
