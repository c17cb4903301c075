/*
 * import.c - register import.  Reads rows with regfile.c, keeps every
 * number seen (with its line) to catch a number used twice in one file, and
 * writes through the store inside one bulk transaction that is rolled back
 * on the first error.  Every issuer the file names gets its issuer code
 * (docs/CREDENTIAL.md) in the same transaction, so the signed trust list
 * names every issuer of the register, not only those already issued for.
 */
#include "import.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certno.h"
#include "date.h"
#include "idnum.h"
#include "ledger.h"
#include "regfile.h"
#include "strmap.h"
#include "tabfile.h"
#include "trail.h"

#define PROGRESS_EVERY 100000
#define MAX_PREFIXES   64
#define ISSUER_COLUMN  "发证机关"

/* The change record: what differs, personal data masked. */
static char *change_json(const struct cert *a, const struct cert *b, const char *source, long line)
{
	json_t *root = json_object(), *fields = cert_diff_json(a, b);
	char *text;

	json_object_set_new(root, "action", json_string("import_update"));
	json_object_set_new(root, "source", json_string(source ? source : ""));
	json_object_set_new(root, "line", json_integer(line));
	json_object_set_new(root, "fields", fields);
	text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(root);
	return text;
}

static int note_prefix(const struct cert *c, char (*prefixes)[STORE_PREFIX_SIZE], size_t *n,
                       struct err *err)
{
	struct certno no;
	size_t i;

	if (c->system != SYS_CONSTRUCTION || certno_parse(c->number, strlen(c->number), &no) < 0)
		return 0;
	for (i = 0; i < *n; i++) {
		if (strcmp(prefixes[i], no.prefix) == 0)
			return 0;
	}
	if (*n == MAX_PREFIXES)
		return err_input(err, "一个文件中的发证机关代码（省份+城市）超过%d个",
		                 MAX_PREFIXES);
	snprintf(prefixes[(*n)++], STORE_PREFIX_SIZE, "%s", no.prefix);
	return 0;
}

/* The issuer's code, given once per issuer and file. */
static int note_issuer(struct store *st, struct strmap *issuers, const struct cert *c,
                       struct err *err)
{
	char code[16];
	int created;

	if (!strmap_put(issuers, c->issuer, strlen(c->issuer), &created))
		return err_system(err, "内存不足");
	if (!created)
		return 0;
	return store_issuer_code(st, c->issuer, 1, code, err) < 0 ? -1 : 0;
}

static int log_row(struct ledger *l, const struct cert *c, enum ledger_kind kind,
                   const struct import_options *o, struct err *err)
{
	struct ledger_event e;

	memset(&e, 0, sizeof(e));
	e.kind = kind;
	e.time = o->now;
	e.number = c->number;
	e.has_row = 1;
	ledger_row_hash(c, e.row_hash);
	return ledger_append(l, &e, NULL, err);
}

static int update_one(struct store *st, struct ledger *l, struct cert *c,
                      const struct import_options *o, long line, struct import_stats *stats,
                      struct err *err)
{
	struct cert old;
	char *change;
	int rc;

	rc = store_cert_get(st, c->number, &old, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_system(err, "证书 %s 写入冲突", c->number);
	if (cert_same(&old, c)) {
		stats->unchanged++;
		return 0;
	}
	change = change_json(&old, c, o->source, line);
	if (!change)
		return err_system(err, "内存不足");
	c->ledger_index = ledger_size(l);
	rc = log_row(l, c, LEDGER_UPDATE, o, err);
	if (rc == 0)
		rc = store_cert_update(st, &old, c, change, err);
	free(change);
	if (rc < 0)
		return -1;
	stats->updated++;
	return 0;
}

/* One audit-trail entry for the whole import: the file's name (not its
 * directory), and what it did. */
static int record_import(struct store *st, const struct import_options *o,
                         const struct import_stats *stats, struct err *err)
{
	const char *src = o->source ? o->source : "", *slash = strrchr(src, '/');
	json_t *d = json_object();
	char object[TRAIL_OBJECT_SIZE];

	if (!d)
		return err_system(err, "内存不足");
	if (slash)
		src = slash + 1;
	snprintf(object, sizeof(object), "file:%.180s", src);
	json_object_set_new(d, "file", json_string(src));
	json_object_set_new(d, "rows", json_integer(stats->rows));
	json_object_set_new(d, "inserted", json_integer(stats->inserted));
	json_object_set_new(d, "updated", json_integer(stats->updated));
	json_object_set_new(d, "unchanged", json_integer(stats->unchanged));
	json_object_set_new(d, "update", json_boolean(o->update));
	return trail_record(st, o->actor, o->now, "cert.import", object, d, err);
}

int import_register(struct store *st, const char *path, const struct import_options *o,
                    struct import_stats *stats, struct err *err)
{
	struct tabfile t;
	struct strmap seen, issuers;
	struct ledger ledger;
	struct cert c;
	char prefixes[MAX_PREFIXES][STORE_PREFIX_SIZE];
	size_t nprefixes = 0, i;
	int rc, in_txn = 0, ret = -1;

	memset(stats, 0, sizeof(*stats));
	strmap_init(&seen);
	strmap_init(&issuers);
	if (tabfile_open(&t, path, regfile_columns, regfile_ncolumns, err) < 0)
		goto out;
	if (store_begin(st, STORE_TXN_BULK, err) < 0)
		goto out;
	in_txn = 1;
	if (ledger_open(&ledger, st, err) < 0)
		goto out;
	while ((rc = tabfile_next(&t, err)) == 1) {
		struct strmap_entry *e;
		int created;
		long line = tabfile_line(&t);

		if (regfile_row(&t, o->today, &c, err) < 0)
			goto out;
		e = strmap_put(&seen, c.number, strlen(c.number), &created);
		if (!e) {
			err_system(err, "内存不足");
			goto out;
		}
		if (!created) {
			tabfile_error(&t, 0, err, "证书编号 %s 在文件中重复（第%ld行已出现）",
			              c.number, e->value);
			goto out;
		}
		e->value = line;
		if (note_prefix(&c, prefixes, &nprefixes, err) < 0) {
			err_at(err, line, NULL, 0);
			goto out;
		}
		if (note_issuer(st, &issuers, &c, err) < 0) {
			err_at(err, line, ISSUER_COLUMN, strlen(ISSUER_COLUMN));
			goto out;
		}
		/* The entry the row will be recorded at: appended only once
		 * the insert has shown the number is new. */
		c.ledger_index = ledger_size(&ledger);
		rc = store_cert_insert(st, &c, err);
		if (rc < 0)
			goto out;
		if (rc == 0 && log_row(&ledger, &c, LEDGER_IMPORT, o, err) < 0)
			goto out;
		if (rc == 1) {
			if (!o->update) {
				tabfile_error(
				    &t, 0, err,
				    "证书编号 %s 已在登记库中（如需更新已有证书，请加 --update）",
				    c.number);
				goto out;
			}
			if (update_one(st, &ledger, &c, o, line, stats, err) < 0) {
				err_at(err, line, NULL, 0);
				goto out;
			}
		} else {
			stats->inserted++;
		}
		if (++stats->rows % PROGRESS_EVERY == 0 && o->progress)
			o->progress(stats->rows, o->progress_arg);
	}
	if (rc < 0)
		goto out;
	if (stats->rows == 0) {
		err_input(err, "文件中没有数据行");
		goto out;
	}
	for (i = 0; i < nprefixes; i++) {
		if (store_prefix_add(st, prefixes[i], err) < 0)
			goto out;
	}
	if (record_import(st, o, stats, err) < 0 || ledger_save(&ledger, err) < 0)
		goto out;
	if (store_commit(st, err) < 0)
		goto out;
	in_txn = 0;
	ret = 0;
out:
	if (in_txn)
		store_rollback(st);
	if (ret < 0)
		memset(stats, 0, sizeof(*stats));
	strmap_release(&seen);
	strmap_release(&issuers);
	tabfile_close(&t);
	return ret;
}
