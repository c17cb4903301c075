/*
 * log.c - the transparency log over HTTP: GET /api/v1/log/checkpoint (the
 * newest checkpoint, signed anew when the log grew, at most every
 * CHECKPOINT_SECONDS) and GET /api/v1/log/proof?entry=N (an inclusion
 * proof against it, from the proof cache of logcache.h, checked before it
 * is answered); and the log key, against which the audit trail's anchors
 * are checked (api_log_key).
 */
#include "api_int.h"

#include <inttypes.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "keys.h"
#include "ledger.h"
#include "logcache.h"
#include "note.h"
#include "tlog.h"

#define CHECKPOINT_SECONDS 10 /* at most one new checkpoint this often */

/* ------------------------------------------------------------------ */
/* The transparency log: checkpoints and proofs */

/* The log key's note verifier (under sign_mu).  1, 0 no keys, -1. */
static int log_verifier(struct api *a, struct note_verifier *v, struct err *err)
{
	const struct keys_info *ki;
	struct keys *ks;
	int rc = 0;

	pthread_mutex_lock(&a->sign_mu);
	ks = api_keys_now(a, err);
	if (ks) {
		ki = keys_get(ks, KEYS_LOG);
		rc = ki && keys_log_name(ks) &&
		             note_verifier_init(v, keys_log_name(ks), ki->pk, err) == 0
		         ? 1
		         : -1;
		if (rc < 0 && err->kind == ERR_NONE)
			err_system(err, "密钥库中没有日志密钥");
	} else if (err->kind != ERR_NONE) {
		rc = -1;
	}
	pthread_mutex_unlock(&a->sign_mu);
	return rc;
}

/*
 * Under log_mu: the newest checkpoint into note (NOTE_MAX + 1 bytes), made
 * first when there is none or the log grew since (at most once every
 * CHECKPOINT_SECONDS).  1, 0 no keys, -1.
 */
static int checkpoint_current(struct api *a, struct thread_state *w, char *note, struct err *err)
{
	uint8_t frontier[TLOG_FRONTIER_MAX_BYTES];
	struct store *wr;
	struct keys *ks;
	int64_t cp_size = -1, log_size = 0, now = api_mono_seconds();
	size_t flen;
	int have, rc;

	have = store_checkpoint_latest(w->st, &cp_size, note, NOTE_MAX + 1, err);
	if (have < 0 ||
	    store_log_state_get(w->st, &log_size, frontier, sizeof(frontier), &flen, err) < 0)
		return -1;
	if (have && (log_size <= cp_size || now - a->checkpoint_made < CHECKPOINT_SECONDS))
		return 1;
	pthread_mutex_lock(&a->sign_mu);
	ks = api_keys_now(a, err);
	wr = ks ? api_writer(a, err) : NULL;
	rc = ks ? -1 : err->kind == ERR_NONE ? 0 : -1;
	if (wr && ledger_checkpoint_create(wr, ks, date_now_seconds(), note, NOTE_MAX + 1, NULL,
	                                   err) == 0) {
		a->checkpoint_made = now;
		rc = 1;
	}
	pthread_mutex_unlock(&a->sign_mu);
	return rc;
}

int api_log_checkpoint(struct http_request *req)
{
	struct api *a = req->api;
	struct note_verifier v;
	struct thread_state *w;
	struct err err;
	char *note;
	int rc;

	err_clear(&err);
	if (!(w = api_thread_state(a, &err)))
		return http_internal(req, &err);
	rc = log_verifier(a, &v, &err);
	if (rc <= 0)
		return rc == 0 ? api_keys_unavailable(req) : http_internal(req, &err);
	note = arena_alloc(&req->arena, NOTE_MAX + 1);
	if (!note)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	pthread_mutex_lock(&a->log_mu);
	rc = checkpoint_current(a, w, note, &err);
	pthread_mutex_unlock(&a->log_mu);
	if (rc <= 0)
		return rc == 0 ? api_keys_unavailable(req) : http_internal(req, &err);
	return http_text(req, HTTP_OK, "text/plain; charset=utf-8", note, strlen(note));
}

/* A decimal entry number: digits only, no sign, at most 18 of them. */
static int parse_entry(const char *s, size_t len, uint64_t *out)
{
	size_t i;

	if (len == 0 || len > 18)
		return -1;
	*out = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

static json_t *proof_object(uint64_t m, const struct tlog_checkpoint *cp,
                            const uint8_t leaf[TLOG_HASH_LEN], const struct tlog_proof *p,
                            const char *note)
{
	char h[TLOG_HASH_B64LEN + 1], r[TLOG_HASH_B64LEN + 1];
	json_t *o, *list = json_array();
	size_t i;

	for (i = 0; list && i < p->len; i++) {
		tlog_hash_format(p->hash[i], h);
		json_array_append_new(list, json_string(h));
	}
	tlog_hash_format(leaf, h);
	tlog_hash_format(cp->root, r);
	o = json_pack("{s:I,s:I,s:s,s:s,s:o,s:s}", "entry", (json_int_t)m, "tree_size",
	              (json_int_t)cp->size, "leaf_hash", h, "root", r, "proof", list, "checkpoint",
	              note);
	return o;
}

int api_log_proof(struct http_request *req)
{
	struct api *a = req->api;
	struct note_verifier v;
	struct tlog_checkpoint cp;
	struct ledger_tree tree;
	struct ledger_proof *p = NULL;
	struct thread_state *w;
	struct err err;
	const char *arg;
	char *note;
	uint64_t m;
	size_t len;
	int rc;

	arg = http_arg(req, "entry", &len);
	if (!arg)
		return http_error(req, HTTP_BAD_REQUEST, "missing_parameter",
		                  "缺少参数 entry（日志条目序号）");
	if (parse_entry(arg, len, &m) < 0)
		return http_error(req, HTTP_BAD_REQUEST, "bad_parameter",
		                  "参数 entry 应为非负整数（日志条目序号，从 0 起）");
	err_clear(&err);
	if (!(w = api_thread_state(a, &err)))
		return http_internal(req, &err);
	rc = log_verifier(a, &v, &err);
	if (rc <= 0)
		return rc == 0 ? api_keys_unavailable(req) : http_internal(req, &err);
	note = arena_alloc(&req->arena, NOTE_MAX + 1);
	p = arena_alloc(&req->arena, sizeof(*p));
	if (!note || !p)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");

	pthread_mutex_lock(&a->log_mu);
	rc = checkpoint_current(a, w, note, &err);
	if (rc <= 0) {
		pthread_mutex_unlock(&a->log_mu);
		return rc == 0 ? api_keys_unavailable(req) : http_internal(req, &err);
	}
	/* The proof is against the newest signed checkpoint: a stored one that
	 * does not verify was not made by this server. */
	if (tlog_checkpoint_open(note, strlen(note), &v, &cp, &err) < 0) {
		pthread_mutex_unlock(&a->log_mu);
		err.kind = ERR_SYSTEM;
		return http_internal(req, &err);
	}
	tree.size = cp.size;
	memcpy(tree.root, cp.root, TLOG_HASH_LEN);
	tree.from_checkpoint = 1;
	rc = store_begin(w->st, STORE_TXN_READ, &err);
	if (rc == 0) {
		rc = ledger_prove(w->st, &a->cache, &tree, m, p, &err);
		store_rollback(w->st);
	}
	pthread_mutex_unlock(&a->log_mu);
	if (rc < 0) /* input: the entry lies beyond the checkpoint */
		return http_fail(req, HTTP_NOT_FOUND, "no_such_entry", &err);
	http_json(req, HTTP_OK, proof_object(m, &cp, p->leaf, &p->proof, note));
	req->reply.cache_control = CACHE_PUBLIC_MINUTE;
	return 0;
}

int api_log_key(struct api *a, char *name, size_t name_size, uint8_t pk[32], struct err *err)
{
	const struct keys_info *ki;
	struct keys *ks;
	int rc = 0;

	pthread_mutex_lock(&a->sign_mu);
	ks = api_keys_now(a, err);
	if (ks) {
		ki = keys_get(ks, KEYS_LOG);
		if (ki && keys_log_name(ks) &&
		    snprintf(name, name_size, "%s", keys_log_name(ks)) < (int)name_size) {
			memcpy(pk, ki->pk, 32);
			rc = 1;
		}
	} else if (err->kind != ERR_NONE) {
		rc = -1;
	}
	pthread_mutex_unlock(&a->sign_mu);
	return rc;
}
