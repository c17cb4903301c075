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
#include "logcache.h"
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
	size_t olen, blen, tlen;
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
	olen = strlen(origin);
	if (olen > TLOG_ORIGIN_MAX || !tlog_origin_valid(origin, olen)) {
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
	memcpy(cp.origin, origin, olen + 1);
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

/* --- inclusion proofs --- */

int ledger_prove(struct store *st, struct logcache *cache, const struct ledger_tree *tree,
                 uint64_t index, struct ledger_proof *out, struct err *err)
{
	struct logcache *own = NULL, *c = cache;
	uint8_t root[TLOG_HASH_LEN];
	int rc, ret = -1;

	memset(out, 0, sizeof(*out));
	if (index >= tree->size) {
		if (tree->size == 0)
			return err_input(err, "日志是空的");
		return err_input(
		    err, "日志只有 %" PRIu64 " 条（第 0 至 %" PRIu64 " 条），没有第 %" PRIu64 " 条",
		    tree->size, tree->size - 1, index);
	}
	rc = store_log_get(st, (int64_t)index, &out->entry, err);
	if (rc <= 0) {
		if (rc == 0)
			err_system(err, "日志第 %" PRIu64 " 条不存在，请运行 opcert log verify",
			           index);
		return -1;
	}
	tlog_leaf_hash(out->entry.data, out->entry.len, out->leaf);
	if (sodium_memcmp(out->leaf, out->entry.leaf, TLOG_HASH_LEN) != 0)
		return err_system(
		    err, "日志第 %" PRIu64 " 条的内容与其叶子哈希不符，请运行 opcert log verify",
		    index);
	if (!c) {
		c = own = malloc(sizeof(*own));
		if (!own)
			return err_system(err, "内存不足");
		logcache_init(own);
	}
	if (c->n > tree->size)
		logcache_release(c); /* the log shrank: rolled back behind our back */
	rc = logcache_extend(c, st, tree->size, err);
	if (rc != 0) {
		if (rc == 1)
			err_system(err,
			           "日志只有 %" PRIu64 " 条，少于%s记录的 %" PRIu64
			           " 条，请运行 opcert log verify",
			           c->n, tree->from_checkpoint ? "检查点" : "日志状态", tree->size);
		goto out;
	}
	if (c->confirmed_size != tree->size ||
	    sodium_memcmp(c->confirmed_root, tree->root, TLOG_HASH_LEN) != 0) {
		if (logcache_root(c, root, err) < 0)
			goto out;
		if (sodium_memcmp(root, tree->root, TLOG_HASH_LEN) != 0) {
			logcache_release(c);
			err_system(
			    err, "%s",
			    tree->from_checkpoint
			        ? "日志条目与签名的检查点不符，请运行 opcert log verify"
			        : "日志的条目与日志状态记录的根哈希不符，请运行 opcert log verify");
			goto out;
		}
		c->confirmed_size = tree->size;
		memcpy(c->confirmed_root, tree->root, TLOG_HASH_LEN);
	}
	if (logcache_prove(c, st, index, &out->proof, err) < 0)
		goto out;
	/* Nothing is given out that the log's own verifier would refuse. */
	if (!tlog_verify_inclusion(out->leaf, index, tree->size, &out->proof, tree->root)) {
		err_system(err, "日志第 %" PRIu64 " 条的包含证明未通过自检", index);
		goto out;
	}
	ret = 0;
out:
	if (own) {
		logcache_release(own);
		free(own);
	}
	return ret;
}
