/*
 * store_cert.c - the store's front for the rows that hold personal data:
 * certificates, what refers to them by number (status slots, credentials,
 * photos, transparency-log entries) and the workers registered on projects.
 *
 * Every row is sealed here before the backend sees it and opened here on
 * the way back (pii.h, under the data key attached with store_set_pii):
 * the ID number becomes a sealed blob and a blind index; a personal
 * certificate number (pii_number_personal: an emergency-management "T"
 * number) becomes its deterministic sealed text in every number column, so
 * the backend's equality look-ups, UNIQUE and joins still work; the data of
 * a log entry about such a number is sealed too (its leaf hash, over the
 * plain event, is unchanged, so the tree, proofs and checkpoints are too).
 * Construction numbers are not personal and are stored as they are.
 * Without a key, whatever would seal or open personal data fails; nothing
 * is ever written or read in clear instead.
 */
#include "store.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "certno.h"
#include "date.h"
#include "org_codes.h"
#include "pii.h"
#include "store_backend.h"

#define STORE_STATES_MAX 96 /* ",planned,active,suspended,completed,closed," */
#include "verdict.h"

_Static_assert(STORE_NUMBER_MAX >= PII_NUMBER_MAX, "a sealed number fits");
_Static_assert(STORE_NUMBER_MAX >= CERTNO_SIZE, "a number fits");
_Static_assert(STORE_SEALED_MAX >= PII_SEALED_MAX, "a sealed ID number fits");
_Static_assert(STORE_INDEX_MAX >= PII_INDEX_MAX, "a blind index fits");
_Static_assert(STORE_LOG_SEALED_MAX >= STORE_LOG_DATA_MAX + PII_BLOB_OVERHEAD,
               "a sealed log event fits");

/* ---- stored forms ---- */

/* The data key, or NULL and err saying how to get it. */
static const struct pii_key *key(struct store *st, struct err *err)
{
	if (st->pii)
		return st->pii;
	err_input(err, "缺少数据密钥（密钥目录中的 data.key）：数据库中的身份证号码已加密保存。"
	               "新数据库请运行 opcert init 创建数据密钥；已有数据库请用 opcert key "
	               "restore 从备份恢复密钥目录（或用 --keys DIR 指定密钥目录）");
	return NULL;
}

/* A certificate number as it is stored: the number itself when it is not
 * personal, else its sealed text, made in buf.  NULL and err on error. */
static const char *stored_number(struct store *st, const char *number, char buf[STORE_NUMBER_MAX],
                                 struct err *err)
{
	const struct pii_key *k;

	if (!pii_number_personal(number))
		return number;
	k = key(st, err);
	if (!k)
		return NULL;
	if (!pii_number_seal(k, number, buf)) {
		err_input(err, "证书编号过长");
		return NULL;
	}
	return buf;
}

/* The same into a row's column (a row's number, CERTNO_SIZE, fits). */
static int row_number(struct store *st, const char *number, char out[STORE_NUMBER_MAX],
                      struct err *err)
{
	const char *stored = stored_number(st, number, out, err);

	if (!stored)
		return -1;
	if (stored != out)
		snprintf(out, STORE_NUMBER_MAX, "%s", stored);
	return 0;
}

/* A stored number back to the number. */
static int open_number(struct store *st, const char *stored, char *out, size_t size,
                       struct err *err)
{
	size_t n = strlen(stored);
	const struct pii_key *k;

	if (!pii_number_sealed(stored, n)) {
		if (n >= size)
			n = size - 1;
		memcpy(out, stored, n);
		out[n] = '\0';
		return 0;
	}
	k = key(st, err);
	if (!k)
		return -1;
	if (pii_number_open(k, stored, n, out, size) < 0)
		return err_system(
		    err, "数据库中的证书编号无法解密（数据密钥与数据库不符，或数据已损坏）");
	return 0;
}

/* An ID number's sealed blob and blind index. */
static void seal_id(const struct pii_key *k, const char *id, uint8_t *sealed, size_t *sealed_len,
                    uint8_t *index, size_t *index_len)
{
	*sealed_len = pii_seal(k, id, sealed);
	*index_len = pii_index(k, id, index);
}

/* ---- certificates ---- */

static int cert_row(struct store *st, const struct cert *c, struct store_cert_row *r,
                    struct err *err)
{
	const struct pii_key *k = key(st, err);

	memset(r, 0, sizeof(*r));
	if (!k || row_number(st, c->number, r->number, err) < 0)
		return -1;
	r->cert = *c;
	memset(r->cert.number, 0, sizeof(r->cert.number));
	memset(r->cert.id_number, 0, sizeof(r->cert.id_number));
	seal_id(k, c->id_number, r->id_sealed, &r->id_sealed_len, r->id_index, &r->id_index_len);
	return 0;
}

static int cert_open(struct store *st, const struct store_cert_row *r, struct cert *c,
                     struct err *err)
{
	const struct pii_key *k = key(st, err);

	memset(c, 0, sizeof(*c));
	if (!k)
		return -1;
	*c = r->cert;
	if (open_number(st, r->number, c->number, sizeof(c->number), err) < 0)
		return -1;
	if (pii_open(k, r->id_sealed, r->id_sealed_len, c->id_number) < 0) {
		char masked[CERTNO_SIZE];

		certno_mask(c->number, masked);
		return err_system(err,
		                  "数据库中证书 %s 的身份证号码无法解密（数据密钥与数据库不符，"
		                  "或数据已损坏）",
		                  masked);
	}
	return 0;
}

int store_cert_get(struct store *st, const char *number, struct cert *out, struct err *err)
{
	struct store_cert_row r;
	char buf[STORE_NUMBER_MAX];
	const char *stored;
	int rc;

	if (!key(st, err) || !(stored = stored_number(st, number, buf, err)))
		return -1;
	rc = st->backend->cert_get(st, stored, &r, err);
	if (rc == 1 && cert_open(st, &r, out, err) < 0)
		return -1;
	return rc;
}

/*
 * The row that stands in for an absent number is one of its kind, the same
 * for the same number, and as likely to be anywhere in the files as a row
 * asked for by its number, so that it costs the same, in cache or not.
 * Stored numbers sort in two runs: the sealed emergency-management ones
 * ("T~" + Base64url, every byte below 0x7f), in an order the data key
 * makes, then the construction ones, which start with a Chinese character.
 * An emergency-management number takes the row that follows it in its run.
 * Construction numbers are in plain order, and absent ones gather past the
 * last serial of a trade and year, where the rows that follow are a few,
 * always in cache: one takes a construction row near a position in the
 * table drawn by a keyed hash of the number (the store's own key), at up
 * to three positions (rows of one kind may have been imported together;
 * with none, the caller's fixed record stands in).
 */
static void seek_draws(const struct store *st, const char *number, int64_t draws[3])
{
	unsigned char h[crypto_shorthash_BYTES];
	uint64_t draw = 0;
	size_t i;

	crypto_shorthash(h, (const unsigned char *)number, strlen(number), st->draw_key);
	for (i = 0; i < sizeof(h); i++)
		draw = draw << 8 | h[i];
	/* three positions from it: splitmix64's steps */
	for (i = 0; i < 3; i++) {
		uint64_t z = (draw += 0x9e3779b97f4a7c15u);

		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
		draws[i] = (int64_t)((z ^ (z >> 31)) >> 1);
	}
}

int store_cert_seek(struct store *st, const char *number, struct cert *out, struct err *err)
{
	struct store_cert_row r;
	char buf[STORE_NUMBER_MAX];
	const char *stored;
	int64_t draws[3] = {0, 0, 0};
	int personal, rc;

	if (!key(st, err) || !(stored = stored_number(st, number, buf, err)))
		return -1;
	personal = pii_number_personal(number);
	if (!personal)
		seek_draws(st, number, draws);
	/* every sealed number ("T~" + Base64url) sorts below "T\x7f" */
	rc = st->backend->cert_seek(st, stored, personal ? "T\x7f" : NULL, draws, &r, err);
	if (rc <= 0)
		return rc;
	if (cert_open(st, &r, out, err) < 0) {
		if (rc == 1)
			return -1; /* the number's own row does not open */
		/* a stand-in that does not open is none */
		memset(out, 0, sizeof(*out));
		err_clear(err);
		return 0;
	}
	return rc;
}

int store_cert_insert(struct store *st, const struct cert *c, struct err *err)
{
	struct store_cert_row r;

	if (cert_row(st, c, &r, err) < 0)
		return -1;
	return st->backend->cert_insert(st, &r, date_now_seconds(), err);
}

int store_cert_update(struct store *st, const struct cert *before, const struct cert *after,
                      const char *change, struct err *err)
{
	struct store_cert_row r;

	(void)before;
	if (cert_row(st, after, &r, err) < 0)
		return -1;
	return st->backend->cert_update(st, &r, change, date_now_seconds(), err);
}

struct cert_walk {
	struct store *st;
	store_cert_fn fn;
	void *arg;
	struct err *err;
};

static int cert_step(void *arg, const struct store_cert_row *r)
{
	struct cert_walk *w = arg;
	struct cert c;
	int rc = cert_open(w->st, r, &c, w->err) < 0 ? -1 : w->fn(w->arg, &c);

	sodium_memzero(&c, sizeof(c));
	return rc;
}

int store_cert_each(struct store *st, store_cert_fn fn, void *arg, struct err *err)
{
	struct cert_walk w = {st, fn, arg, err};

	if (!key(st, err))
		return -1;
	return st->backend->cert_each(st, cert_step, &w, err);
}

/* ---- status slots ---- */

int store_slot_get(struct store *st, const char *number, uint32_t *slot, struct err *err)
{
	char buf[STORE_NUMBER_MAX];
	const char *stored = stored_number(st, number, buf, err);

	if (!stored)
		return -1;
	return st->backend->slot_get(st, stored, slot, err);
}

int store_slot_add(struct store *st, const char *number, uint32_t slot, struct err *err)
{
	char buf[STORE_NUMBER_MAX];
	const char *stored = stored_number(st, number, buf, err);

	if (!stored)
		return -1;
	return st->backend->slot_add(st, stored, slot, err);
}

struct slot_walk {
	struct store *st;
	store_slot_record_fn fn;
	void *arg;
	struct err *err;
};

static int slot_step(void *arg, uint32_t slot, const char *stored, int64_t issue_index)
{
	struct slot_walk *w = arg;
	char number[CERTNO_SIZE];

	if (open_number(w->st, stored, number, sizeof(number), w->err) < 0)
		return -1;
	return w->fn(w->arg, slot, number, issue_index);
}

int store_slot_records(struct store *st, store_slot_record_fn fn, void *arg, struct err *err)
{
	struct slot_walk w = {st, fn, arg, err};

	return st->backend->slot_records(st, slot_step, &w, err);
}

/* ---- credentials ---- */

int store_cred_add(struct store *st, const struct store_cred *c, struct err *err)
{
	struct store_cred_row r;

	memset(&r, 0, sizeof(r));
	if (row_number(st, c->number, r.number, err) < 0)
		return -1;
	r.cred = *c;
	memset(r.cred.number, 0, sizeof(r.cred.number));
	return st->backend->cred_add(st, &r, err);
}

static int cred_open(struct store *st, const struct store_cred_row *r, struct store_cred *c,
                     struct err *err)
{
	*c = r->cred;
	return open_number(st, r->number, c->number, sizeof(c->number), err);
}

int store_cred_find(struct store *st, const uint8_t hash[32], struct store_cred *out,
                    struct err *err)
{
	struct store_cred_row r;
	int rc = st->backend->cred_find(st, hash, &r, err);

	if (rc == 1 && cred_open(st, &r, out, err) < 0)
		return -1;
	return rc;
}

struct cred_walk {
	struct store *st;
	store_cred_fn fn;
	void *arg;
	struct err *err;
};

static int cred_step(void *arg, const struct store_cred_row *r)
{
	struct cred_walk *w = arg;
	struct store_cred c;

	if (cred_open(w->st, r, &c, w->err) < 0)
		return -1;
	return w->fn(w->arg, &c);
}

int store_cred_each(struct store *st, store_cred_fn fn, void *arg, struct err *err)
{
	struct cred_walk w = {st, fn, arg, err};

	return st->backend->cred_each(st, cred_step, &w, err);
}

/* ---- photos ---- */

int store_photo_set(struct store *st, const char *number, const char *mime, const uint8_t *data,
                    size_t len, const uint8_t hash[32], struct err *err)
{
	char buf[STORE_NUMBER_MAX];
	const char *stored = stored_number(st, number, buf, err);

	if (!stored)
		return -1;
	return st->backend->photo_set(st, stored, mime, data, len, hash, err);
}

int store_photo_get(struct store *st, const char *number, struct store_photo *out, struct err *err)
{
	char buf[STORE_NUMBER_MAX];
	const char *stored;

	memset(out, 0, sizeof(*out));
	stored = stored_number(st, number, buf, err);
	if (!stored)
		return -1;
	return st->backend->photo_get(st, stored, out, err);
}

/* ---- the transparency log ---- */

int store_log_append(struct store *st, const struct store_log_entry *e, struct err *err)
{
	struct store_log_row *r;
	int rc = -1;

	if (e->len > STORE_LOG_DATA_MAX)
		return err_system(err, "日志条目过大");
	r = calloc(1, sizeof(*r));
	if (!r)
		return err_system(err, "内存不足");
	r->index = e->index;
	memcpy(r->leaf, e->leaf, sizeof(r->leaf));
	if (row_number(st, e->number, r->number, err) < 0)
		goto out;
	if (pii_number_personal(e->number)) {
		/* row_number succeeded, so the key is there */
		r->len = pii_blob_seal(st->pii, e->data, e->len, r->data);
	} else {
		r->len = e->len;
		if (e->len)
			memcpy(r->data, e->data, e->len);
	}
	rc = st->backend->log_append(st, r, err);
out:
	free(r);
	return rc;
}

static int log_open(struct store *st, const struct store_log_row *r, struct store_log_entry *e,
                    struct err *err)
{
	size_t n = r->len < sizeof(r->data) ? r->len : sizeof(r->data);

	e->index = r->index;
	memcpy(e->leaf, r->leaf, sizeof(e->leaf));
	if (!pii_number_sealed(r->number, strlen(r->number))) {
		open_number(st, r->number, e->number, sizeof(e->number), err);
		e->len = n < sizeof(e->data) ? n : sizeof(e->data);
		if (e->len)
			memcpy(e->data, r->data, e->len);
		return 0;
	}
	if (open_number(st, r->number, e->number, sizeof(e->number), err) < 0)
		return -1;
	if (pii_blob_open(st->pii, r->data, n, e->data, sizeof(e->data), &e->len) < 0)
		return err_system(
		    err, "数据库中的日志条目 %lld 无法解密（数据密钥与数据库不符，或数据已损坏）",
		    (long long)e->index);
	return 0;
}

int store_log_get(struct store *st, int64_t index, struct store_log_entry *out, struct err *err)
{
	struct store_log_row *r = malloc(sizeof(*r));
	int rc;

	if (!r)
		return err_system(err, "内存不足");
	rc = st->backend->log_get(st, index, r, err);
	if (rc == 1 && log_open(st, r, out, err) < 0)
		rc = -1;
	free(r);
	return rc;
}

struct log_walk {
	struct store *st;
	store_log_fn fn;
	void *arg;
	struct err *err;
	struct store_log_entry e;
};

static int log_step(void *arg, const struct store_log_row *r)
{
	struct log_walk *w = arg;

	if (log_open(w->st, r, &w->e, w->err) < 0)
		return -1;
	return w->fn(w->arg, &w->e);
}

int store_log_each(struct store *st, int64_t from, store_log_fn fn, void *arg, struct err *err)
{
	struct log_walk *w = malloc(sizeof(*w));
	int rc;

	if (!w)
		return err_system(err, "内存不足");
	w->st = st;
	w->fn = fn;
	w->arg = arg;
	w->err = err;
	rc = st->backend->log_each(st, from, log_step, w, err);
	free(w);
	return rc;
}

/* ---- workers on projects (store_worker.h) ---- */

int store_worker_active(struct store *st, int64_t project, const char *id_number,
                        const char *number, int64_t *id, struct err *err)
{
	const struct pii_key *k = key(st, err);
	uint8_t index[STORE_INDEX_MAX];
	char buf[STORE_NUMBER_MAX];
	const char *stored;
	size_t index_len;

	if (!k)
		return -1;
	index_len = pii_index(k, id_number, index);
	stored = stored_number(st, number, buf, err);
	if (!stored)
		return -1;
	return st->backend->worker->active(st, project, index, index_len, stored, id, err);
}

int store_worker_insert(struct store *st, struct worker *w, struct err *err)
{
	const struct pii_key *k = key(st, err);
	struct store_worker_row r;

	memset(&r, 0, sizeof(r));
	if (!k || row_number(st, w->number, r.number, err) < 0)
		return -1;
	r.worker = *w;
	memset(r.worker.number, 0, sizeof(r.worker.number));
	memset(r.worker.id_number, 0, sizeof(r.worker.id_number));
	seal_id(k, w->id_number, r.id_sealed, &r.id_sealed_len, r.id_index, &r.id_index_len);
	return st->backend->worker->insert(st, &r, &w->id, err);
}

static int worker_open(struct store *st, const struct store_worker_row *r, struct worker *w,
                       struct err *err)
{
	const struct pii_key *k = key(st, err);

	memset(w, 0, sizeof(*w));
	if (!k)
		return -1;
	*w = r->worker;
	if (open_number(st, r->number, w->number, sizeof(w->number), err) < 0)
		return -1;
	if (pii_open(k, r->id_sealed, r->id_sealed_len, w->id_number) < 0)
		return err_system(err,
		                  "数据库中第 %lld 条人员登记的身份证号码无法解密（数据密钥与"
		                  "数据库不符，或数据已损坏）",
		                  (long long)w->id);
	w->verdict = verdict_of(w->findings);
	return 0;
}

int store_worker_get(struct store *st, int64_t id, struct worker *out, struct err *err)
{
	struct store_worker_row r;
	int rc = st->backend->worker->get(st, id, &r, err);

	if (rc == 1 && worker_open(st, &r, out, err) < 0)
		return -1;
	return rc;
}

int store_worker_remove(struct store *st, int64_t id, int64_t now, struct err *err)
{
	return st->backend->worker->remove(st, id, now, err);
}

struct worker_walk {
	struct store *st;
	worker_fn fn;
	void *arg;
	struct err *err;
};

static int worker_step(void *arg, const struct store_worker_row *r)
{
	struct worker_walk *ww = arg;
	struct worker w;
	int rc = worker_open(ww->st, r, &w, ww->err) < 0 ? -1 : ww->fn(ww->arg, &w);

	sodium_memzero(&w, sizeof(w));
	return rc;
}

int store_worker_each(struct store *st, int64_t project, int include_removed, worker_fn fn,
                      void *arg, struct err *err)
{
	struct worker_walk w = {st, fn, arg, err};

	return st->backend->worker->each(st, project, include_removed, worker_step, &w, err);
}

int store_worker_vouched(struct store *st, const char *number, int64_t district, int64_t builder,
                         struct err *err)
{
	char buf[STORE_NUMBER_MAX], states[STORE_STATES_MAX];
	const char *stored = stored_number(st, number, buf, err);

	if (!stored)
		return -1;
	project_states_text(project_state_running, states, sizeof(states));
	return st->backend->worker->vouched(st, stored, district, builder, states, err);
}

int store_worker_serves(struct store *st, const char *number, int64_t company, struct err *err)
{
	char buf[STORE_NUMBER_MAX], states[STORE_STATES_MAX];
	const char *stored = stored_number(st, number, buf, err);

	if (!stored)
		return -1;
	project_states_text(project_state_keeps_workers, states, sizeof(states));
	return st->backend->worker->serves(st, stored, company, states, err);
}

int store_worker_elsewhere(struct store *st, const char *number, int64_t project, int64_t *other,
                           struct err *err)
{
	char buf[STORE_NUMBER_MAX], states[STORE_STATES_MAX];
	const char *stored = stored_number(st, number, buf, err);

	if (!stored)
		return -1;
	project_states_text(project_state_running, states, sizeof(states));
	return st->backend->worker->elsewhere(st, stored, project, states, other, err);
}
