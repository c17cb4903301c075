/*
 * store.c - the store's front (store_backend.h has the rule of the split):
 * choosing a backend, opening and closing, transactions, settings, issuer
 * codes, the log's state, and the areas that hold no personal data
 * (organisations, accounts, the audit trail), which pass straight to the
 * backend.  The register and the workers, whose rows hold personal data,
 * are store_cert.c's; the data key and the re-sealing migration
 * store_pii.c's.
 */
#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pii.h"
#include "store_backend.h"

/* The backends, each with the locations it takes: the first entry whose
 * prefix starts the location (NULL: any location).  A backend not built
 * yet is listed with its name only: its locations get an error. */
static const struct {
	const char *prefix;
	const char *name;
	const struct store_backend *backend;
} backends[] = {
    {"postgres://", "PostgreSQL", NULL},
    {"postgresql://", "PostgreSQL", NULL},
    {NULL, "SQLite", &store_sqlite_backend},
};

static const struct store_backend *backend_for(const char *location, struct err *err)
{
	size_t i;

	for (i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		const char *p = backends[i].prefix;

		if (p && strncmp(location, p, strlen(p)) != 0)
			continue;
		if (!backends[i].backend) {
			err_input(err, "%s 后端尚未提供，请使用 SQLite 数据库文件",
			          backends[i].name);
			return NULL;
		}
		return backends[i].backend;
	}
	err_input(err, "不支持的数据库位置：%s", location);
	return NULL;
}

int store_open(const char *location, int flags, struct store **out, struct err *err)
{
	const struct store_backend *backend;
	struct store *st;

	*out = NULL;
	if (!location || !*location)
		return err_input(err, "未指定数据库");
	backend = backend_for(location, err);
	if (!backend)
		return -1;
	st = calloc(1, sizeof(*st));
	if (!st)
		return err_system(err, "内存不足");
	st->backend = backend;
	crypto_shorthash_keygen(st->draw_key);
	if (st->backend->open(st, location, flags, err) < 0) {
		free(st);
		return -1;
	}
	*out = st;
	return 0;
}

struct pii_key *store_pii_key(const struct store *st)
{
	return st ? st->pii : NULL;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	st->backend->close(st);
	pii_key_free(st->pii);
	free(st);
}

int store_begin(struct store *st, enum store_txn kind, struct err *err)
{
	return st->backend->begin(st, kind, err);
}

int store_commit(struct store *st, struct err *err)
{
	return st->backend->commit(st, err);
}

void store_rollback(struct store *st)
{
	st->backend->rollback(st);
}

int store_finish(struct store *st, int rc, struct err *err)
{
	if (rc == 0 && store_commit(st, err) == 0)
		return 0;
	store_rollback(st);
	return -1;
}

int store_cert_count(struct store *st, long *count, struct err *err)
{
	return st->backend->cert_count(st, count, err);
}

int store_prefix_add(struct store *st, const char *prefix, struct err *err)
{
	return st->backend->prefix_add(st, prefix, err);
}

int store_prefix_list(struct store *st, char (*out)[STORE_PREFIX_SIZE], size_t max, size_t *n,
                      struct err *err)
{
	return st->backend->prefix_list(st, out, max, n, err);
}

int store_schema_version(struct store *st, int *version, struct err *err)
{
	return st->backend->schema_version(st, version, err);
}

int store_config_get(struct store *st, const char *key, char *out, size_t size, struct err *err)
{
	return st->backend->config_get(st, key, out, size, err);
}

int store_config_set(struct store *st, const char *key, const char *value, struct err *err)
{
	return st->backend->config_set(st, key, value, err);
}

/*
 * An issuer's code is "I" and its number in order of first use: the backend
 * keeps the pairs, the rule is here.  Every issuer with a code is named in
 * the signed trust list, which holds at most TRUST_MAX_ISSUERS: a code past
 * that is refused rather than left off the list (that many issuers means the
 * register spells one in several ways).
 */
int store_issuer_code(struct store *st, const char *name, int create, char code[16],
                      struct err *err)
{
	long n;
	int rc = st->backend->issuer_get(st, name, code, err);

	if (rc != 0 || !create)
		return rc;
	if (st->backend->issuer_count(st, &n, err) < 0)
		return -1;
	if (n >= TRUST_MAX_ISSUERS)
		return err_input(err,
		                 "发证机关“%s”无法登记：已有 %d 个发证机关，达到信任列表的上限"
		                 "（请检查发证机关的写法是否一致）",
		                 name, TRUST_MAX_ISSUERS);
	snprintf(code, 16, "I%u", (unsigned)n + 1);
	if (st->backend->issuer_add(st, code, name, err) < 0)
		return -1;
	return 1;
}

int store_issuer_list(struct store *st, struct trust_issuer *out, size_t max, size_t *n,
                      struct err *err)
{
	return st->backend->issuer_list(st, out, max, n, err);
}

int store_log_state_get(struct store *st, int64_t *size, uint8_t *frontier, size_t cap, size_t *len,
                        struct err *err)
{
	return st->backend->log_state_get(st, size, frontier, cap, len, err);
}

int store_log_state_set(struct store *st, int64_t size, const uint8_t *frontier, size_t len,
                        struct err *err)
{
	return st->backend->log_state_set(st, size, frontier, len, err);
}

int store_checkpoint_add(struct store *st, int64_t size, const char *note, int64_t now,
                         struct err *err)
{
	return st->backend->checkpoint_add(st, size, note, now, err);
}

int store_checkpoint_latest(struct store *st, int64_t *size, char *note, size_t cap,
                            struct err *err)
{
	return st->backend->checkpoint_latest(st, size, note, cap, err);
}

/* ---- organisations and projects (store_org.h) ---- */

int store_org_get(struct store *st, int64_t id, struct org *out, struct err *err)
{
	return st->backend->org->org_get(st, id, out, err);
}

int store_org_by_uscc(struct store *st, const char *uscc, struct org *out, struct err *err)
{
	return st->backend->org->org_by_uscc(st, uscc, out, err);
}

int store_org_by_name(struct store *st, enum org_kind kind, const char *name, struct org *out,
                      struct err *err)
{
	return st->backend->org->org_by_name(st, kind, name, out, err);
}

int store_org_insert(struct store *st, struct org *o, struct err *err)
{
	return st->backend->org->org_insert(st, o, err);
}

int store_org_update(struct store *st, const struct org *o, struct err *err)
{
	return st->backend->org->org_update(st, o, err);
}

int store_org_each(struct store *st, const struct org_filter *f, org_fn fn, void *arg,
                   struct err *err)
{
	return st->backend->org->org_each(st, f, fn, arg, err);
}

int store_project_get(struct store *st, int64_t id, struct project *out, struct err *err)
{
	return st->backend->org->project_get(st, id, out, err);
}

int store_project_by_name(struct store *st, int64_t builder, const char *name, struct project *out,
                          struct err *err)
{
	return st->backend->org->project_by_name(st, builder, name, out, err);
}

int store_project_insert(struct store *st, struct project *p, struct err *err)
{
	return st->backend->org->project_insert(st, p, err);
}

int store_project_update(struct store *st, const struct project *p, struct err *err)
{
	return st->backend->org->project_update(st, p, err);
}

int store_project_each(struct store *st, const struct project_filter *f, project_fn fn, void *arg,
                       struct err *err)
{
	return st->backend->org->project_each(st, f, fn, arg, err);
}

/* ---- accounts, sessions and API tokens (store_account.h) ---- */

int store_account_insert(struct store *st, const struct store_account *a, int64_t *id,
                         struct err *err)
{
	return st->backend->account->account_insert(st, a, id, err);
}

int store_account_get(struct store *st, const char *login, struct store_account *out,
                      struct err *err)
{
	return st->backend->account->account_get(st, login, out, err);
}

int store_account_get_id(struct store *st, int64_t id, struct store_account *out, struct err *err)
{
	return st->backend->account->account_get_id(st, id, out, err);
}

int store_account_update(struct store *st, const struct store_account *a, struct err *err)
{
	return st->backend->account->account_update(st, a, err);
}

int store_account_each(struct store *st, store_account_fn fn, void *arg, struct err *err)
{
	return st->backend->account->account_each(st, fn, arg, err);
}

int store_session_insert(struct store *st, const struct store_session *s, struct err *err)
{
	return st->backend->account->session_insert(st, s, err);
}

int store_session_get(struct store *st, const uint8_t hash[32], struct store_session *out,
                      struct err *err)
{
	return st->backend->account->session_get(st, hash, out, err);
}

int store_session_touch(struct store *st, const uint8_t hash[32], int64_t now, struct err *err)
{
	return st->backend->account->session_touch(st, hash, now, err);
}

int store_session_delete(struct store *st, const uint8_t hash[32], struct err *err)
{
	return st->backend->account->session_delete(st, hash, err);
}

int store_session_delete_account(struct store *st, int64_t account, struct err *err)
{
	return st->backend->account->session_delete_account(st, account, err);
}

int store_session_purge(struct store *st, int64_t idle_before, int64_t created_before,
                        struct err *err)
{
	return st->backend->account->session_purge(st, idle_before, created_before, err);
}

int store_api_token_insert(struct store *st, const struct store_api_token *t, int64_t *id,
                           struct err *err)
{
	return st->backend->account->token_insert(st, t, id, err);
}

int store_api_token_get(struct store *st, const uint8_t hash[32], struct store_api_token *out,
                        struct err *err)
{
	return st->backend->account->token_get(st, hash, out, err);
}

int store_api_token_get_id(struct store *st, int64_t id, struct store_api_token *out,
                           struct err *err)
{
	return st->backend->account->token_get_id(st, id, out, err);
}

int store_api_token_revoke(struct store *st, int64_t id, int64_t now, struct err *err)
{
	return st->backend->account->token_revoke(st, id, now, err);
}

int store_api_token_revoke_account(struct store *st, int64_t account, int64_t now, struct err *err)
{
	return st->backend->account->token_revoke_account(st, account, now, err);
}

int store_api_token_each(struct store *st, int64_t account, store_api_token_fn fn, void *arg,
                         struct err *err)
{
	return st->backend->account->token_each(st, account, fn, arg, err);
}

/* ---- the audit trail (store_trail.h) ---- */

int store_trail_head(struct store *st, int64_t *seq, uint8_t hash[TRAIL_HASH_LEN], struct err *err)
{
	return st->backend->trail->head(st, seq, hash, err);
}

int store_trail_append(struct store *st, const struct store_trail_entry *e, struct err *err)
{
	return st->backend->trail->append(st, e, err);
}

int store_trail_get(struct store *st, int64_t seq, struct store_trail_entry *out, struct err *err)
{
	return st->backend->trail->get(st, seq, out, err);
}

int store_trail_each(struct store *st, const struct store_trail_filter *f, store_trail_fn fn,
                     void *arg, struct err *err)
{
	return st->backend->trail->each(st, f, fn, arg, err);
}

int store_trail_anchor_get(struct store *st, int64_t *log_index, struct err *err)
{
	return st->backend->trail->anchor_get(st, log_index, err);
}

int store_trail_anchor_set(struct store *st, int64_t log_index, struct err *err)
{
	return st->backend->trail->anchor_set(st, log_index, err);
}

/* ---- the probe limit's tries (store_probe.h) ---- */

int store_probe_any(struct store *st, const char *subject, int64_t since, struct err *err)
{
	return st->backend->probe->any(st, subject, since, err);
}

int store_probe_misses(struct store *st, const char *subject, const uint8_t *cert, int64_t since,
                       store_probe_miss_fn fn, void *arg, struct err *err)
{
	return st->backend->probe->misses(st, subject, cert, since, fn, arg, err);
}

int store_probe_refusals(struct store *st, const char *subject, int64_t since, long *n,
                         struct err *err)
{
	return st->backend->probe->refusals(st, subject, since, n, err);
}

int store_probe_add(struct store *st, const char *subject, const uint8_t *cert,
                    const uint8_t *guess, int64_t at, struct err *err)
{
	return st->backend->probe->add(st, subject, cert, guess, at, err);
}

int store_probe_prune(struct store *st, int64_t before, struct err *err)
{
	return st->backend->probe->prune(st, before, err);
}

int store_probe_clear(struct store *st, const char *subject, const uint8_t *cert, long *n,
                      struct err *err)
{
	return st->backend->probe->clear(st, subject, cert, n, err);
}

int store_probe_each(struct store *st, int64_t since, long limit, store_probe_fn fn, void *arg,
                     struct err *err)
{
	return st->backend->probe->each(st, since, limit, fn, arg, err);
}
