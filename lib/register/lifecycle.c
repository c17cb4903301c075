/*
 * lifecycle.c - renewal, suspension, reinstatement, revocation and
 * correction of a registered certificate, each recorded as one event of
 * the transparency log (see lifecycle.h).  Every operation runs through
 * run_op(): read the row, refuse a row that does not match the log, let the
 * operation compute the new row, then append the event, update the row and
 * record the change, all in one transaction.
 */
#include "lifecycle.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certno.h"
#include "date.h"
#include "idnum.h"
#include "ledger.h"
#include "text.h"
#include "trade.h"
#include "trail.h"

const char *const lifecycle_amend_fields[] = {
    "name",        "gender",     "id_number",
    "trade",       "issuer",     "issued_on",
    "valid_until", "review_due", "training_institution",
    NULL,
};

static const char *const amend_labels[] = {
    "姓名",     "性别",     "身份证号码", "工种",     "发证机关",
    "发证日期", "有效期至", "复审日期",   "培训机构",
};

const char *lifecycle_field_label(const char *field)
{
	size_t i;

	for (i = 0; field && lifecycle_amend_fields[i]; i++)
		if (strcmp(field, lifecycle_amend_fields[i]) == 0)
			return amend_labels[i];
	return "";
}

/* --- checking what the caller gives --- */

/* How many bytes of s to quote in a message: at most max, whole characters. */
static int cut(const char *s, int max)
{
	int n = (int)strnlen(s, (size_t)max + 1);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * Trim s and copy it into out (size bytes): valid UTF-8, no control
 * character, shorter than size.  what names the value in messages.
 */
static int clean_text(const char *s, char *out, size_t size, int required, const char *what,
                      struct err *err)
{
	const char *p = s ? s : "";
	size_t len = strlen(p), i;

	text_trim(&p, &len);
	if (len == 0 && required)
		return err_input(err, "%s不能为空", what);
	if (len >= size)
		return err_input(err, "%s过长（最多 %zu 字节）", what, size - 1);
	if (!utf8_valid(p, len, NULL))
		return err_input(err, "%s不是有效的 UTF-8 文本", what);
	for (i = 0; i < len; i++) {
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
			return err_input(err, "%s含有控制字符", what);
	}
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int parse_number(const char *number, char out[CERTNO_SIZE], struct err *err)
{
	struct certno no;
	const char *p = number ? number : "";

	if (strlen(p) > 64)
		return err_input(err, "证书编号格式无效（过长）");
	if (certno_parse(p, strlen(p), &no) < 0)
		return err_input(err, "证书编号“%s”格式无效", p);
	snprintf(out, CERTNO_SIZE, "%s", no.text);
	return 0;
}

struct op {
	enum ledger_kind kind;
	const char *action; /* the change record's "action" */
	const char *reason; /* "" when none */
	const char *field;  /* amend only */
};

static char *change_json(const struct op *op, const struct cert *a, const struct cert *b,
                         int64_t index)
{
	json_t *root = json_object(), *fields = cert_diff_json(a, b);
	char *text;

	json_object_set_new(root, "action", json_string(op->action));
	if (op->field)
		json_object_set_new(root, "field", json_string(op->field));
	if (op->reason[0])
		json_object_set_new(root, "reason", json_string(op->reason));
	json_object_set_new(root, "log_index", json_integer((json_int_t)index));
	json_object_set_new(root, "fields", fields);
	text = json_dumps(root, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(root);
	return text;
}

/* --- one operation, one transaction, one event --- */

/* Compute the new row from the old one (after starts as a copy); -1 refuses. */
typedef int (*apply_fn)(const struct cert *before, struct cert *after, const void *arg,
                        struct err *err);

static int refuse_unrecorded(struct store *st, const struct cert *c, struct err *err)
{
	int rc = ledger_check_row(st, c, err);

	if (rc <= 0)
		return rc;
	if (c->ledger_index < 0)
		return err_input(err, "证书 %s 尚未记入透明日志，请先运行 opcert log backfill 补记",
		                 c->number);
	return err_input(err,
	                 "证书 %s 的登记记录与透明日志第 %lld 条记录的不一致（疑似被直接修改），"
	                 "请先运行 opcert log verify 查明",
	                 c->number, (long long)c->ledger_index);
}

static int run_op(struct store *st, const struct actor *who, const char *number,
                  const struct op *op, const char *detail, apply_fn apply, const void *arg,
                  int64_t now, struct lifecycle_result *out, struct err *err)
{
	struct ledger ledger;
	struct ledger_event ev;
	char num[CERTNO_SIZE], masked[CERTNO_SIZE], action[32], object[16 + CERTNO_SIZE], code[16];
	char *change = NULL;
	int rc, in_txn = 0, ret = -1;

	memset(out, 0, sizeof(*out));
	out->index = -1;
	if (parse_number(number, num, err) < 0)
		return -1;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	in_txn = 1;
	rc = store_cert_get(st, num, &out->before, err);
	if (rc <= 0) {
		if (rc == 0)
			err_input(err, "登记库中没有证书 %s", num);
		goto out;
	}
	if (refuse_unrecorded(st, &out->before, err) != 0)
		goto out;
	out->after = out->before;
	if (apply(&out->before, &out->after, arg, err) < 0)
		goto out;
	if (cert_same(&out->before, &out->after)) {
		err_input(err, "证书 %s 没有任何改动", num);
		goto out;
	}
	/* An issuer new to the register gets its code, as at import. */
	if (strcmp(out->before.issuer, out->after.issuer) != 0 &&
	    store_issuer_code(st, out->after.issuer, 1, code, err) < 0)
		goto out;
	if (ledger_open(&ledger, st, err) < 0)
		goto out;
	out->after.ledger_index = ledger_size(&ledger);
	memset(&ev, 0, sizeof(ev));
	ev.kind = op->kind;
	ev.time = now;
	ev.number = out->after.number;
	ev.has_row = 1;
	ledger_row_hash(&out->after, ev.row_hash);
	ev.detail = detail;
	if (ledger_append(&ledger, &ev, &out->index, err) < 0)
		goto out;
	change = change_json(op, &out->before, &out->after, out->index);
	if (!change) {
		err_system(err, "内存不足");
		goto out;
	}
	certno_mask(num, masked);
	snprintf(action, sizeof(action), "cert.%s", op->action);
	snprintf(object, sizeof(object), "cert:%s", masked);
	if (store_cert_update(st, &out->before, &out->after, change, err) < 0 ||
	    trail_append(st, who, now, action, object, change, err) < 0 ||
	    ledger_save(&ledger, err) < 0 || store_commit(st, err) < 0)
		goto out;
	in_txn = 0;
	ret = 0;
out:
	if (in_txn)
		store_rollback(st);
	free(change);
	if (ret < 0) {
		memset(out, 0, sizeof(*out));
		out->index = -1;
	}
	return ret;
}

/* --- renew --- */

struct renew_arg {
	int32_t valid_until, review_due, today;
};

static int apply_renew(const struct cert *b, struct cert *a, const void *arg, struct err *err)
{
	const struct renew_arg *r = arg;
	char d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];

	if (b->status == CERT_REVOKED)
		return err_input(err, "证书 %s 已注销，不能延期复核", b->number);
	if (r->valid_until == DATE_NONE)
		return err_input(err, "缺少新的有效期至");
	if (r->valid_until < b->valid_until)
		return err_input(err, "新的有效期至 %s 早于现有的 %s",
		                 date_format(r->valid_until, d1), date_format(b->valid_until, d2));
	if (r->valid_until < r->today)
		return err_input(err, "新的有效期至 %s 已经过去", date_format(r->valid_until, d1));
	a->valid_until = r->valid_until;
	if (r->review_due != DATE_NONE) {
		if (b->review_due != DATE_NONE && r->review_due < b->review_due)
			return err_input(err, "新的复审日期 %s 早于现有的 %s",
			                 date_format(r->review_due, d1),
			                 date_format(b->review_due, d2));
		if (r->review_due < b->issued_on)
			return err_input(err, "新的复审日期 %s 早于发证日期 %s",
			                 date_format(r->review_due, d1),
			                 date_format(b->issued_on, d2));
		a->review_due = r->review_due;
	}
	if (cert_same(b, a))
		return err_input(err, "延期复核没有改变证书 %s 的有效期至或复审日期", b->number);
	return 0;
}

int lifecycle_renew(struct store *st, const struct actor *who, const char *number,
                    int32_t new_valid_until, int32_t new_review_due, int32_t today, int64_t now,
                    struct lifecycle_result *out, struct err *err)
{
	static const struct op op = {LEDGER_RENEW, "renew", "", NULL};
	struct renew_arg arg = {new_valid_until, new_review_due, today};

	return run_op(st, who, number, &op, NULL, apply_renew, &arg, now, out, err);
}

/* --- suspend, reinstate, revoke --- */

static int apply_suspend(const struct cert *b, struct cert *a, const void *arg, struct err *err)
{
	(void)arg;
	if (b->status == CERT_REVOKED)
		return err_input(err, "证书 %s 已注销，不能暂扣", b->number);
	if (b->status == CERT_SUSPENDED)
		return err_input(err, "证书 %s 已处于暂扣状态", b->number);
	a->status = CERT_SUSPENDED;
	return 0;
}

static int apply_reinstate(const struct cert *b, struct cert *a, const void *arg, struct err *err)
{
	(void)arg;
	if (b->status != CERT_SUSPENDED)
		return err_input(err, "证书 %s 未被暂扣（现为%s），无需恢复", b->number,
		                 cert_status_label(b->status));
	a->status = CERT_VALID;
	return 0;
}

static int apply_revoke(const struct cert *b, struct cert *a, const void *arg, struct err *err)
{
	(void)arg;
	if (b->status == CERT_REVOKED)
		return err_input(err, "证书 %s 已注销", b->number);
	a->status = CERT_REVOKED;
	return 0;
}

static int with_reason(struct store *st, const struct actor *who, const char *number,
                       const char *reason, int required, const struct op *tmpl, apply_fn apply,
                       int64_t now, struct lifecycle_result *out, struct err *err)
{
	char text[LIFECYCLE_REASON_MAX + 1];
	struct op op = *tmpl;

	memset(out, 0, sizeof(*out));
	out->index = -1;
	if (clean_text(reason, text, sizeof(text), required, "原因", err) < 0)
		return -1;
	op.reason = text;
	return run_op(st, who, number, &op, text[0] ? text : NULL, apply, NULL, now, out, err);
}

int lifecycle_suspend(struct store *st, const struct actor *who, const char *number,
                      const char *reason, int64_t now, struct lifecycle_result *out,
                      struct err *err)
{
	static const struct op op = {LEDGER_SUSPEND, "suspend", "", NULL};

	return with_reason(st, who, number, reason, 1, &op, apply_suspend, now, out, err);
}

int lifecycle_reinstate(struct store *st, const struct actor *who, const char *number,
                        const char *reason, int64_t now, struct lifecycle_result *out,
                        struct err *err)
{
	static const struct op op = {LEDGER_REINSTATE, "reinstate", "", NULL};

	return with_reason(st, who, number, reason, 0, &op, apply_reinstate, now, out, err);
}

int lifecycle_revoke(struct store *st, const struct actor *who, const char *number,
                     const char *reason, int64_t now, struct lifecycle_result *out, struct err *err)
{
	static const struct op op = {LEDGER_REVOKE, "revoke", "", NULL};

	return with_reason(st, who, number, reason, 1, &op, apply_revoke, now, out, err);
}

/* --- amend --- */

enum field {
	F_NAME,
	F_GENDER,
	F_ID,
	F_TRADE,
	F_ISSUER,
	F_ISSUED_ON,
	F_VALID_UNTIL,
	F_REVIEW_DUE,
	F_TRAINING,
};

struct amend_arg {
	enum field field;
	const char *value; /* trimmed, NUL-terminated */
	int32_t today;
};

static int parse_day(const char *value, const char *what, int32_t *out, struct err *err)
{
	if (date_parse(value, strlen(value), out) < 0)
		return err_input(err, "%s“%.*s”无效（应写作2018-08-09、2018/8/9或2018年8月9日）",
		                 what, cut(value, 64), value);
	return 0;
}

static int check_dates(const struct cert *a, struct err *err)
{
	if (a->valid_until < a->issued_on)
		return err_input(err, "有效期至早于发证日期");
	if (a->review_due != DATE_NONE && a->review_due < a->issued_on)
		return err_input(err, "复审日期早于发证日期");
	return 0;
}

static int amend_id(const struct cert *b, struct cert *a, const char *value, int32_t today,
                    struct err *err)
{
	struct certno no;
	enum idnum_error ide;
	char id[IDNUM_SIZE];

	if (idnum_excel_mangled(value, strlen(value)))
		return err_input(err, "身份证号码“%.*s”已被 Excel 当作数字处理，后几位已丢失",
		                 cut(value, 32), value);
	ide = idnum_check(value, strlen(value), today, id);
	if (ide != IDNUM_OK)
		return err_input(err, "身份证号码“%.*s”无效：%s", cut(value, 32), value,
		                 idnum_reason(ide));
	if (b->system == SYS_EMERGENCY && certno_parse(b->number, strlen(b->number), &no) == 0 &&
	    strcmp(no.id, id) != 0)
		return err_input(
		    err, "应急管理证书的编号含持证人身份证号码，身份证号码不能更正为与编号不同"
		         "的号码（编号有误时应注销后重新登记）");
	snprintf(a->id_number, sizeof(a->id_number), "%s", id);
	/* The sequence digit decides the gender: the row keeps agreeing with it. */
	a->gender = (enum gender)idnum_gender(id);
	return 0;
}

static int amend_trade(const struct cert *b, struct cert *a, const char *value, struct err *err)
{
	const struct trade *t = trade_find(b->system, value, strlen(value));
	struct certno no;

	if (!t)
		return err_input(err, "工种“%.*s”不在%s工种表中", cut(value, 64), value,
		                 cert_system_name(b->system));
	if (b->system == SYS_CONSTRUCTION && certno_parse(b->number, strlen(b->number), &no) == 0 &&
	    strcmp(t->code, no.trade) != 0)
		return err_input(err, "工种（%s）与证书编号中的工种代码（%s）不一致", t->code,
		                 no.trade);
	snprintf(a->trade, sizeof(a->trade), "%s", t->code);
	return 0;
}

static int apply_amend(const struct cert *b, struct cert *a, const void *arg, struct err *err)
{
	const struct amend_arg *m = arg;
	const char *v = m->value;
	int32_t day;
	int g;

	switch (m->field) {
	case F_NAME:
		if (clean_text(v, a->name, sizeof(a->name), 1, "姓名", err) < 0)
			return -1;
		break;
	case F_GENDER:
		a->gender = gender_parse(v, strlen(v));
		if (a->gender == GENDER_NONE)
			return err_input(err, "性别“%.*s”无法识别（应为男或女）", cut(v, 16), v);
		g = idnum_gender(b->id_number);
		if ((int)a->gender != g)
			return err_input(err, "性别与身份证号不符（身份证号码表示%s）",
			                 gender_label((enum gender)g));
		break;
	case F_ID:
		if (amend_id(b, a, v, m->today, err) < 0)
			return -1;
		break;
	case F_TRADE:
		if (amend_trade(b, a, v, err) < 0)
			return -1;
		break;
	case F_ISSUER:
		if (clean_text(v, a->issuer, sizeof(a->issuer), 1, "发证机关", err) < 0)
			return -1;
		break;
	case F_ISSUED_ON:
		if (parse_day(v, "发证日期", &day, err) < 0)
			return -1;
		if (day > m->today)
			return err_input(err, "发证日期晚于今天");
		a->issued_on = day;
		break;
	case F_VALID_UNTIL:
		if (parse_day(v, "有效期至", &a->valid_until, err) < 0)
			return -1;
		break;
	case F_REVIEW_DUE:
		if (v[0] == '\0' || strcmp(v, "无") == 0)
			a->review_due = DATE_NONE;
		else if (parse_day(v, "复审日期", &a->review_due, err) < 0)
			return -1;
		break;
	case F_TRAINING:
		if (clean_text(v, a->training_institution, sizeof(a->training_institution), 0,
		               "培训机构", err) < 0)
			return -1;
		break;
	}
	if (check_dates(a, err) < 0)
		return -1;
	if (cert_same(b, a))
		return err_input(err, "更正后的%s与现有内容相同，没有任何改动",
		                 amend_labels[m->field]);
	return 0;
}

int lifecycle_amend(struct store *st, const struct actor *who, const char *number,
                    const char *field, const char *value, const char *reason, int32_t today,
                    int64_t now, struct lifecycle_result *out, struct err *err)
{
	char why[LIFECYCLE_REASON_MAX + 1], val[CERT_TEXT_SIZE + 64];
	char detail[LIFECYCLE_REASON_MAX + 64];
	struct amend_arg arg;
	struct op op = {LEDGER_AMEND, "amend", "", NULL};
	const char *p;
	size_t i, len;

	memset(out, 0, sizeof(*out));
	out->index = -1;
	for (i = 0; field && lifecycle_amend_fields[i]; i++)
		if (strcmp(field, lifecycle_amend_fields[i]) == 0)
			break;
	if (!field || !lifecycle_amend_fields[i])
		return err_input(
		    err,
		    "无法更正“%.*s”：可更正的项为 name、gender、id_number、trade、issuer、"
		    "issued_on、valid_until、review_due、training_institution",
		    cut(field ? field : "", 40), field ? field : "");
	p = value ? value : "";
	len = strlen(p);
	text_trim(&p, &len);
	if (len >= sizeof(val))
		return err_input(err, "更正的内容过长（最多 %zu 字节）", sizeof(val) - 1);
	memcpy(val, p, len);
	val[len] = '\0';
	if (clean_text(reason, why, sizeof(why), 1, "原因", err) < 0)
		return -1;
	arg.field = (enum field)i;
	arg.value = val;
	arg.today = today;
	op.field = lifecycle_amend_fields[i];
	op.reason = why;
	snprintf(detail, sizeof(detail), "%s: %s", op.field, why);
	return run_op(st, who, number, &op, detail, apply_amend, &arg, now, out, err);
}

/* --- backfill --- */

struct numbers {
	char (*v)[CERTNO_SIZE];
	size_t n, cap;
	int oom;
};

static int collect_unrecorded(void *arg, const struct cert *c)
{
	struct numbers *ns = arg;

	if (c->ledger_index >= 0)
		return 0;
	if (ns->n == ns->cap) {
		size_t cap = ns->cap ? ns->cap * 2 : 1024;
		char(*v)[CERTNO_SIZE] = realloc(ns->v, cap * sizeof(*v));

		if (!v) {
			ns->oom = 1;
			return 1;
		}
		ns->v = v;
		ns->cap = cap;
	}
	snprintf(ns->v[ns->n++], CERTNO_SIZE, "%s", c->number);
	return 0;
}

int lifecycle_backfill(struct store *st, int64_t now, long *count, struct err *err)
{
	struct numbers ns = {NULL, 0, 0, 0};
	struct ledger ledger;
	struct ledger_event ev;
	struct cert before, after;
	size_t i;
	int rc, in_txn = 0, ret = -1;

	if (count)
		*count = 0;
	if (store_begin(st, STORE_TXN_BULK, err) < 0)
		return -1;
	in_txn = 1;
	rc = store_cert_each(st, collect_unrecorded, &ns, err);
	if (rc != 0) {
		if (ns.oom)
			err_system(err, "内存不足");
		goto out;
	}
	if (ns.n == 0)
		goto done;
	if (ledger_open(&ledger, st, err) < 0)
		goto out;
	for (i = 0; i < ns.n; i++) {
		rc = store_cert_get(st, ns.v[i], &before, err);
		if (rc <= 0) {
			if (rc == 0)
				err_system(err, "证书 %s 读取冲突", ns.v[i]);
			goto out;
		}
		after = before;
		after.ledger_index = ledger_size(&ledger);
		memset(&ev, 0, sizeof(ev));
		ev.kind = LEDGER_MIGRATE;
		ev.time = now;
		ev.number = after.number;
		ev.has_row = 1;
		ledger_row_hash(&after, ev.row_hash);
		if (ledger_append(&ledger, &ev, NULL, err) < 0 ||
		    store_cert_update(st, &before, &after, NULL, err) < 0)
			goto out;
	}
	if (ledger_save(&ledger, err) < 0)
		goto out;
done:
	if (store_commit(st, err) < 0)
		goto out;
	in_txn = 0;
	if (count)
		*count = (long)ns.n;
	ret = 0;
out:
	if (in_txn)
		store_rollback(st);
	free(ns.v);
	return ret;
}
