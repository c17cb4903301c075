/*
 * store_pii.c - the store's front for the data key (store.h: store_set_pii,
 * store_pii_migrate): the key check, the form personal data is kept in, and
 * the re-sealing of an earlier version's data.
 *
 * config records the form ("pii-format": PII_VERSION) and the key's check
 * value ("pii-check"), so a wrong key is refused before it writes anything.
 * A database that holds personal data but no form is of the earlier,
 * clear-text version: it is refused until `opcert init` migrates it.  The
 * migration walks the rows with the backend's primitives, decides here
 * which values are personal and of the old form, re-seals them in one
 * transaction in which freed space is overwritten, then has the backend
 * rebuild its files so no copy of the old form stays behind.
 */
#include "store.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pii.h"
#include "store_backend.h"

#define PII_FORMAT_KEY "pii-format"
#define PII_CHECK_KEY  "pii-check"

#define MIGRATE_BATCH 512

static void attach(struct store *st, struct pii_key *key)
{
	pii_key_free(st->pii);
	st->pii = key ? pii_key_ref(key) : NULL;
}

/* Stop at the first personal number. */
static int find_personal(void *arg, const char *stored)
{
	int *found = arg;

	if (!pii_number_personal(stored))
		return 0;
	*found = 1;
	return 1;
}

/* 1 when the database holds personal data (any certificate, or a personal
 * number anywhere), 0 when not, -1 on error. */
static int has_personal_data(struct store *st, struct err *err)
{
	static const enum store_number_column cols[] = {
	    STORE_NUMBERS_CHANGE, STORE_NUMBERS_SLOT, STORE_NUMBERS_CREDENTIAL,
	    STORE_NUMBERS_PHOTO,  STORE_NUMBERS_LOG,
	};
	long count;
	int found = 0;
	size_t i;

	if (st->backend->cert_count(st, &count, err) < 0)
		return -1;
	if (count > 0)
		return 1;
	for (i = 0; i < sizeof(cols) / sizeof(cols[0]) && !found; i++)
		if (st->backend->number_each(st, cols[i], find_personal, &found, err) < 0)
			return -1;
	return found;
}

/* Record that the database holds the present form, sealed with this key. */
static int pii_mark(struct store *st, struct err *err)
{
	char check[PII_CHECK_HEX], version[8];

	pii_key_check(st->pii, check);
	snprintf(version, sizeof(version), "%d", PII_VERSION);
	if (st->backend->config_set(st, PII_FORMAT_KEY, version, err) < 0 ||
	    st->backend->config_set(st, PII_CHECK_KEY, check, err) < 0)
		return -1;
	return 0;
}

/*
 * The form the database keeps personal data in: PII_VERSION when marked
 * (and the key must match), 0 when it holds data of the earlier form, or
 * -2 when it holds none yet (nothing to migrate).  -1 on error.
 */
static int pii_format(struct store *st, struct err *err)
{
	char value[80], check[PII_CHECK_HEX];
	int rc;

	rc = st->backend->config_get(st, PII_FORMAT_KEY, value, sizeof(value), err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (atoi(value) != PII_VERSION)
			return err_input(
			    err, "数据库中个人信息的保存格式 %s 不受本程序支持，请升级 opcert",
			    value);
		rc = st->backend->config_get(st, PII_CHECK_KEY, value, sizeof(value), err);
		if (rc < 0)
			return -1;
		pii_key_check(st->pii, check);
		if (rc == 0 || strcmp(value, check) != 0)
			return err_input(
			    err, "数据密钥与数据库不符：这个数据库是用另一把数据密钥加密的。"
			         "请用 --keys DIR 指定原来的密钥目录，或用 opcert key restore "
			         "从备份恢复");
		return PII_VERSION;
	}
	rc = has_personal_data(st, err);
	return rc < 0 ? -1 : rc ? 0 : -2;
}

static int check_attached(struct store *st, struct err *err)
{
	int format = pii_format(st, err);

	if (format < 0 && format != -2)
		return -1;
	if (format == 0)
		return err_input(err, "数据库中的个人信息仍是旧版本的明文格式，需要加密迁移："
		                      "请先运行 opcert init");
	if (format == -2 && !st->backend->readonly(st))
		return pii_mark(st, err);
	return 0;
}

int store_set_pii(struct store *st, struct pii_key *key, struct err *err)
{
	attach(st, key);
	if (key && check_attached(st, err) < 0) {
		attach(st, NULL);
		return -1;
	}
	return 0;
}

/* ---- the migration ---- */

/* The distinct personal numbers of the old form in one column. */
struct plain_numbers {
	char (*v)[CERTNO_SIZE];
	size_t n, cap;
	struct err *err;
};

static int collect_number(void *arg, const char *stored)
{
	struct plain_numbers *pn = arg;
	size_t n = strlen(stored);

	if (pii_number_sealed(stored, n) || !pii_number_personal(stored))
		return 0;
	if (n >= CERTNO_SIZE)
		return err_input(pn->err, "数据库中有过长的证书编号，无法迁移");
	if (pn->n == pn->cap) {
		size_t cap = pn->cap ? pn->cap * 2 : 256;
		void *v = realloc(pn->v, cap * sizeof(*pn->v));

		if (!v)
			return err_system(pn->err, "内存不足");
		pn->v = v;
		pn->cap = cap;
	}
	memcpy(pn->v[pn->n], stored, n + 1);
	pn->n++;
	return 0;
}

/* Seal the personal numbers of one column in place. */
static int migrate_numbers(struct store *st, enum store_number_column col, struct plain_numbers *pn,
                           long *count, struct err *err)
{
	char sealed[PII_NUMBER_MAX];
	long changed;
	size_t i;

	pn->n = 0;
	pn->err = err;
	if (st->backend->number_each(st, col, collect_number, pn, err) < 0)
		return -1;
	for (i = 0; i < pn->n; i++) {
		if (!pii_number_seal(st->pii, pn->v[i], sealed))
			return err_input(err, "数据库中有过长的证书编号，无法迁移");
		if (st->backend->number_set(st, col, pn->v[i], sealed, &changed, err) < 0)
			return -1;
		*count += changed;
	}
	return 0;
}

/* A batch of certificates whose ID number is of the old form. */
struct plain_ids {
	int64_t last;
	size_t seen, n;
	int64_t rows[MIGRATE_BATCH];
	char plain[MIGRATE_BATCH][IDNUM_SIZE];
	struct err *err;
};

static int collect_id(void *arg, int64_t row, const uint8_t *sealed, size_t len)
{
	struct plain_ids *b = arg;

	b->seen++;
	b->last = row;
	if (pii_version(sealed, len) == PII_VERSION)
		return 0;
	if (pii_open_v0(sealed, len, b->plain[b->n]) < 0)
		return err_system(b->err, "数据库中第 %lld 行证书的身份证号码格式不明，无法迁移",
		                  (long long)row);
	b->rows[b->n++] = row;
	return 0;
}

/* Re-seal the ID numbers of the old form (and their index). */
static int migrate_ids(struct store *st, long *count, struct err *err)
{
	struct plain_ids *b = calloc(1, sizeof(*b));
	size_t i;
	int rc = -1;

	if (!b)
		return err_system(err, "内存不足");
	b->err = err;
	do {
		b->seen = b->n = 0;
		if (st->backend->id_each(st, b->last, MIGRATE_BATCH, collect_id, b, err) < 0)
			goto out;
		for (i = 0; i < b->n; i++) {
			uint8_t sealed[PII_SEALED_MAX], index[PII_INDEX_MAX];
			size_t sl = pii_seal(st->pii, b->plain[i], sealed);
			size_t il = pii_index(st->pii, b->plain[i], index);

			if (st->backend->id_set(st, b->rows[i], sealed, sl, index, il, err) < 0)
				goto out;
			(*count)++;
		}
	} while (b->seen == MIGRATE_BATCH);
	rc = 0;
out:
	sodium_memzero(b, sizeof(*b));
	free(b);
	return rc;
}

/* A batch of log entries about personal numbers, still in clear. */
struct plain_log {
	size_t n;
	struct {
		int64_t index;
		char number[CERTNO_SIZE];
		size_t len;
		uint8_t data[STORE_LOG_DATA_MAX];
	} v[MIGRATE_BATCH];
	struct err *err;
};

static int collect_log(void *arg, const struct store_log_row *r)
{
	struct plain_log *b = arg;
	size_t n = strlen(r->number);

	if (!pii_number_personal(r->number) || pii_number_sealed(r->number, n))
		return 0;
	if (n >= CERTNO_SIZE)
		return err_input(b->err, "数据库中有过长的证书编号，无法迁移");
	if (r->len > STORE_LOG_DATA_MAX)
		return err_system(b->err, "日志条目 %lld 过大，无法迁移", (long long)r->index);
	b->v[b->n].index = r->index;
	memcpy(b->v[b->n].number, r->number, n + 1);
	b->v[b->n].len = r->len;
	if (r->len)
		memcpy(b->v[b->n].data, r->data, r->len);
	return ++b->n == MIGRATE_BATCH;
}

/* Log entries about personal numbers: seal the number and the event. */
static int migrate_log(struct store *st, long *count, struct err *err)
{
	struct plain_log *b = calloc(1, sizeof(*b));
	struct store_log_row *r = calloc(1, sizeof(*r));
	int64_t from = 0;
	size_t i;
	int rc = -1, more = 1;

	if (!b || !r) {
		err_system(err, "内存不足");
		goto out;
	}
	b->err = err;
	while (more) {
		b->n = 0;
		if (st->backend->log_each(st, from, collect_log, b, err) < 0)
			goto out;
		more = b->n == MIGRATE_BATCH;
		for (i = 0; i < b->n; i++) {
			memset(r, 0, sizeof(*r));
			r->index = b->v[i].index;
			if (!pii_number_seal(st->pii, b->v[i].number, r->number)) {
				err_input(err, "数据库中有过长的证书编号，无法迁移");
				goto out;
			}
			r->len = pii_blob_seal(st->pii, b->v[i].data, b->v[i].len, r->data);
			if (st->backend->log_set(st, r, err) < 0)
				goto out;
			(*count)++;
			from = b->v[i].index + 1;
		}
	}
	rc = 0;
out:
	if (b)
		sodium_memzero(b, sizeof(*b));
	free(b);
	free(r);
	return rc;
}

/* The number columns re-sealed in place (the log's numbers go with their
 * events, in migrate_log). */
static const enum store_number_column migrated_columns[] = {
    STORE_NUMBERS_CERTIFICATE, STORE_NUMBERS_CHANGE, STORE_NUMBERS_SLOT,
    STORE_NUMBERS_CREDENTIAL,  STORE_NUMBERS_PHOTO,
};

static int migrate(struct store *st, long *resealed, struct err *err)
{
	struct plain_numbers pn = {NULL, 0, 0, NULL};
	size_t i;
	int format;

	if (st->backend->readonly(st))
		return err_input(err, "迁移需要以可写方式打开数据库");
	format = pii_format(st, err);
	if (format == PII_VERSION)
		return 0;
	if (format == -2)
		return pii_mark(st, err);
	if (format < 0)
		return -1;
	if (st->backend->scrub_begin(st, err) < 0)
		return -1;
	if (migrate_ids(st, resealed, err) < 0)
		goto fail;
	for (i = 0; i < sizeof(migrated_columns) / sizeof(migrated_columns[0]); i++)
		if (migrate_numbers(st, migrated_columns[i], &pn, resealed, err) < 0)
			goto fail;
	if (migrate_log(st, resealed, err) < 0 || pii_mark(st, err) < 0 ||
	    st->backend->commit(st, err) < 0)
		goto fail;
	if (pn.v)
		sodium_memzero(pn.v, pn.cap * sizeof(*pn.v));
	free(pn.v);
	return st->backend->compact(st, err);
fail:
	st->backend->scrub_end(st);
	if (pn.v)
		sodium_memzero(pn.v, pn.cap * sizeof(*pn.v));
	free(pn.v);
	*resealed = 0;
	return -1;
}

int store_pii_migrate(struct store *st, struct pii_key *key, long *resealed, struct err *err)
{
	long n = 0;

	if (resealed)
		*resealed = 0;
	if (!key)
		return err_input(err, "迁移需要数据密钥");
	attach(st, key);
	if (migrate(st, &n, err) < 0) {
		attach(st, NULL);
		return -1;
	}
	if (resealed)
		*resealed = n;
	return 0;
}
