/*
 * ledger_tree.c - the log as a signed tree (ledger.h): signing and storing
 * checkpoints, and inclusion proofs against a checkpoint or the log's own
 * state.  Every front end goes through these: `opcert log checkpoint`,
 * each issuance and the server make checkpoints here, `opcert log prove`
 * and the server's proof route prove here.
 *
 * Kept apart from ledger.c because it builds on the audit trail, which
 * builds on ledger.c (trail_anchor appends through ledger_append).
 */
#include "ledger.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "keys.h"
#include "note.h"
#include "trail.h"

/* --- checkpoints --- */

/* The origin line: the official host + "/log", or a default when none is
 * set (out: at least 256 + 5 bytes, so a long host is refused, not cut). */
static int log_origin(struct store *st, char *out, size_t size, struct err *err)
{
	char host[256];
	int rc = store_config_get(st, "official-host", host, sizeof(host), err);

	if (rc < 0)
		return -1;
	if (rc == 1 && host[0])
		snprintf(out, size, "%s/log", host);
	else
		snprintf(out, size, "%s", "opcert.local/log");
	return 0;
}

/* A note_sign_fn over the log key's signer. */
static int sign_by_signer(void *ctx, const uint8_t *msg, size_t len, uint8_t sig[NOTE_SIG_LEN],
                          struct err *e)
{
	return keys_signer_sign(ctx, msg, len, sig, NULL, e);
}

int ledger_checkpoint_create(struct store *st, struct keys *ks, int64_t now, char *note, size_t cap,
                             struct tlog_checkpoint *out, struct err *err)
{
	const struct keys_info *ki = keys_get(ks, KEYS_LOG);
	const char *name = keys_log_name(ks);
	struct keys_signer *signer = NULL;
	struct note_verifier v;
	struct tlog_checkpoint cp, check;
	struct ledger ledger;
	struct err perr;
	char origin[256 + 8], body[NOTE_MAX + 1], *text = NULL;
	size_t blen, tlen;
	int in_txn = 0, ret = -1;

	if (out)
		memset(out, 0, sizeof(*out));
	if (note && cap)
		note[0] = '\0';
	if (!ki || !name || !name[0])
		return err_input(err, "密钥库中没有日志密钥，请先运行 opcert key init");
	if (note_verifier_init(&v, name, ki->pk, err) < 0)
		return -1;
	text = malloc(NOTE_MAX + 1);
	if (!text)
		return err_system(err, "内存不足");
	/* The key is read (and its passphrase derived) before the write lock. */
	signer = keys_signer_open(ks, KEYS_LOG, err);
	if (!signer)
		goto out;
	/* The state read and the checkpoint written in one transaction: no
	 * append can slip in between. */
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		goto out;
	in_txn = 1;
	if (log_origin(st, origin, sizeof(origin), err) < 0)
		goto out;
	if (strlen(origin) > TLOG_ORIGIN_MAX || !tlog_origin_valid(origin, strlen(origin))) {
		err_input(err, "日志来源名称“%.*s”无效", 64, origin);
		goto out;
	}
	if (ledger_open(&ledger, st, err) < 0)
		goto out;
	/* The audit trail's head goes into the log first, so the signature
	 * covers it: from now on no trail entry up to it can change unseen. */
	if (trail_anchor(st, &ledger, now, err) < 0 || ledger_save(&ledger, err) < 0)
		goto out;
	memset(&cp, 0, sizeof(cp));
	snprintf(cp.origin, sizeof(cp.origin), "%s", origin);
	cp.size = (uint64_t)ledger_size(&ledger);
	ledger_root(&ledger, cp.root);
	if (tlog_checkpoint_body(&cp, body, sizeof(body), &blen, err) < 0 ||
	    note_sign_with(body, blen, name, ki->pk, sign_by_signer, signer, text, NOTE_MAX + 1,
	                   &tlen, err) < 0)
		goto out;
	if (tlog_checkpoint_open(text, tlen, &v, &check, &perr) < 0) {
		err_system(err, "新签署的检查点未能通过自检：%s", perr.msg);
		goto out;
	}
	if (note && tlen >= cap) {
		err_system(err, "检查点的缓冲区太小");
		goto out;
	}
	if (store_checkpoint_add(st, (int64_t)cp.size, text, now, err) < 0 ||
	    store_commit(st, err) < 0)
		goto out;
	in_txn = 0;
	if (note)
		memcpy(note, text, tlen + 1);
	if (out)
		*out = cp;
	ret = 0;
out:
	if (in_txn)
		store_rollback(st);
	keys_signer_close(signer);
	free(text);
	return ret;
}
