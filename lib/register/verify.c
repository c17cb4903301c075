/*
 * verify.c - the verification rules of verify.h, and the Chinese message
 * that explains a result to a site manager.
 */
#include "verify.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "certno.h"
#include "date.h"
#include "idnum.h"
#include "ledger.h"
#include "status.h"
#include "trade.h"

static const struct {
	int bit;
	const char *code;
	const char *label;
} fields[FIELD_COUNT] = {
    {FIELD_NAME, "name", "姓名"},
    {FIELD_ID, "id_number", "身份证号码"},
    {FIELD_GENDER, "gender", "性别"},
    {FIELD_TRADE, "trade", "工种"},
    {FIELD_VALID_UNTIL, "valid_until", "有效期"},
    {FIELD_ISSUER, "issuer", "发证机关"},
};

const char *field_code(int bit)
{
	size_t i;

	for (i = 0; i < FIELD_COUNT; i++)
		if (fields[i].bit == bit)
			return fields[i].code;
	return "";
}

const char *field_label(int bit)
{
	size_t i;

	for (i = 0; i < FIELD_COUNT; i++)
		if (fields[i].bit == bit)
			return fields[i].label;
	return "";
}

#define DECOY_TIME  1546300800 /* 2019-01-01: the decoy's event, any fixed time */
#define DECOY_INDEX INT64_MAX  /* a log entry that never exists */

/* The fixed decoy (verify.h), sealed under the store's data key: 0, or -1
 * without a key (then no number can be looked up either). */
static int decoy_make(struct verifier *v)
{
	struct verify_decoy *d = &v->decoy;
	const struct pii_key *k = store_pii_key(v->store);
	struct ledger_event e;

	memset(d, 0, sizeof(*d));
	if (!k)
		return -1;
	/* A made-up record of the usual lengths: no one's. */
	snprintf(d->cert.number, sizeof(d->cert.number), "T000000000000000000");
	d->cert.system = SYS_EMERGENCY;
	snprintf(d->cert.name, sizeof(d->cert.name), "某某某");
	d->cert.gender = GENDER_MALE;
	snprintf(d->cert.id_number, sizeof(d->cert.id_number), "000000000000000000");
	snprintf(d->cert.trade, sizeof(d->cert.trade), "1.1");
	snprintf(d->cert.issuer, sizeof(d->cert.issuer), "某某市应急管理局");
	d->cert.issued_on = date_from_ymd(2019, 1, 1);
	d->cert.valid_until = date_from_ymd(2025, 12, 31);
	d->cert.review_due = date_from_ymd(2022, 1, 1);
	d->cert.status = CERT_VALID;
	snprintf(d->cert.training_institution, sizeof(d->cert.training_institution),
	         "某某安全技术培训中心");
	d->cert.ledger_index = DECOY_INDEX;
	memset(&e, 0, sizeof(e));
	e.kind = LEDGER_IMPORT;
	e.time = DECOY_TIME;
	e.number = d->cert.number;
	e.has_row = 1;
	ledger_row_hash(&d->cert, e.row_hash);
	d->event_len = ledger_encode(&e, d->event, sizeof(d->event));
	d->sealed_len = pii_blob_seal(k, d->event, d->event_len, d->sealed_event);
	pii_number_seal(k, d->cert.number, d->number);
	d->id_len = pii_seal(k, d->cert.id_number, d->id);
	d->key = k;
	return 0;
}

int verifier_init(struct verifier *v, struct store *st, int32_t today, struct err *err)
{
	memset(v, 0, sizeof(*v));
	v->store = st;
	v->today = today;
	decoy_make(v); /* without a key, when first needed */
	return store_prefix_list(st, v->prefixes, VERIFY_MAX_PREFIXES, &v->nprefixes, err);
}

static int given(const char *s)
{
	return s && *s;
}

/*
 * Fold what people vary when they copy a name or an issuer by hand: spaces
 * (ASCII and U+3000), full-width parentheses, the several middle dots of
 * minority names, and the short form 住建局 of 住房和城乡建设局.
 */
static void fold(const char *s, char *out, size_t size)
{
	static const struct {
		const char *from, *to;
	} repl[] = {
	    {"\xe3\x80\x80", ""}, /* U+3000 */
	    {"（", "("},          {"）", ")"}, {"•", "·"},
	    {"・", "·"},          {"．", "·"}, {"住房和城乡建设局", "住建局"},
	};
	size_t n = 0, i;

	while (*s && n + 1 < size) {
		if (*s == ' ' || *s == '\t') {
			s++;
			continue;
		}
		if ((unsigned char)*s < 0x80) {
			out[n++] = *s++;
			continue;
		}
		for (i = 0; i < sizeof(repl) / sizeof(repl[0]); i++) {
			size_t fl = strlen(repl[i].from), tl = strlen(repl[i].to);

			if (strncmp(s, repl[i].from, fl) == 0) {
				if (n + tl + 1 > size)
					goto done;
				memcpy(out + n, repl[i].to, tl);
				n += tl;
				s += fl;
				break;
			}
		}
		if (i == sizeof(repl) / sizeof(repl[0]))
			out[n++] = *s++;
	}
done:
	out[n] = '\0';
}

static int same_folded(const char *a, const char *b)
{
	char fa[CERT_TEXT_SIZE], fb[CERT_TEXT_SIZE];

	if (strcmp(a, b) == 0)
		return 1;
	fold(a, fa, sizeof(fa));
	fold(b, fb, sizeof(fb));
	return strcmp(fa, fb) == 0;
}

static int prefix_held(const struct verifier *v, const char *prefix)
{
	size_t i;

	for (i = 0; i < v->nprefixes; i++)
		if (strcmp(v->prefixes[i], prefix) == 0)
			return 1;
	return 0;
}

static size_t append(char *buf, size_t size, size_t n, const char *fmt, ...) ERR_PRINTF(4, 5);

static size_t append(char *buf, size_t size, size_t n, const char *fmt, ...)
{
	va_list ap;
	int w;

	if (n >= size)
		return n;
	va_start(ap, fmt);
	w = vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	if (w < 0)
		return n;
	return n + (size_t)w >= size ? size - 1 : n + (size_t)w;
}

static size_t describe(const struct verifier *v, const struct vresult *r, enum verdict what,
                       char *m, size_t size, size_t n)
{
	char d1[DATE_TEXT_MAX];
	const struct cert *c = &r->cert;
	struct certno no;
	int first = 1, b;

	switch (what) {
	case V_VALID:
		n = append(m, size, n, "证书有效，有效期至%s", date_format(c->valid_until, d1));
		if (status_in_window(c, v->today))
			n = append(m, size, n, "；已进入%s申请期",
			           c->system == SYS_CONSTRUCTION ? "延期复核" : "复审");
		break;
	case V_UNCERTIFIED:
		n = append(m, size, n, "未填写证书编号：无证上岗，应立即调离特种作业岗位");
		break;
	case V_NOT_FOUND:
		n = append(m, size, n, "登记库中查无此证，疑似假证，请核实并追查来源");
		break;
	case V_MISMATCH:
		n = append(m, size, n, "信息不符：");
		for (b = 1; b < (1 << FIELD_COUNT); b <<= 1) {
			if (!(r->mismatched & b))
				continue;
			n = append(m, size, n, "%s%s", first ? "" : "、", field_label(b));
			first = 0;
		}
		n = append(m, size, n, "与登记信息不一致，疑似涂改或冒用");
		break;
	case V_EXPIRED:
		n = append(m, size, n, "证书已过期（有效期至%s）", date_format(c->valid_until, d1));
		break;
	case V_REVIEW_OVERDUE:
		n = append(m, size, n, "逾期未%s（应于%s前%s）",
		           c->system == SYS_CONSTRUCTION ? "延期复核" : "复审",
		           date_format(status_review_due(c, 0), d1),
		           c->system == SYS_CONSTRUCTION ? "延期复核" : "复审");
		break;
	case V_REVOKED:
		n = append(m, size, n, "证书已被注销或吊销");
		break;
	case V_SUSPENDED:
		n = append(m, size, n, "证书已被暂扣");
		break;
	case V_INVALID_ID:
		n = append(m, size, n, "身份证号码无效：%s", r->id_reason ? r->id_reason : "");
		break;
	case V_INVALID_NUMBER:
		n = append(m, size, n, "证书编号格式无效，不是住建或应急管理证书的编号");
		break;
	case V_DUPLICATE_USE:
		n = append(m, size, n, "同一证书被多人使用，疑似转借或冒用");
		break;
	case V_TAMPERED:
		n = append(
		    m, size, n,
		    "登记记录与透明日志记载不一致，疑似被篡改：结论不可采信，请立即报告市住建局");
		break;
	case V_EXTERNAL:
		if (certno_parse(r->number, strlen(r->number), &no) == 0 &&
		    no.system == SYS_EMERGENCY)
			n = append(
			    m, size, n,
			    "应急管理部门证书，本系统未登记：请在 cx.mem.gov.cn 核验并记录结果");
		else
			n = append(
			    m, size, n,
			    "非本系统登记的发证机关签发：请到发证机关官方平台核验并记录结果");
		break;
	default:
		n = append(m, size, n, "%s", verdict_label(what));
		break;
	}
	return n;
}

static void compose(const struct verifier *v, struct vresult *r)
{
	size_t n = 0;
	int f, others = 0;

	r->verdict = verdict_of(r->findings);
	n = describe(v, r, r->verdict, r->message, sizeof(r->message), n);
	for (f = V_COUNT; (f = verdict_next(r->findings, f)) >= 0;) {
		if ((enum verdict)f == r->verdict)
			continue;
		n = append(r->message, sizeof(r->message), n, "%s", others ? "；" : "。另：");
		n = describe(v, r, (enum verdict)f, r->message, sizeof(r->message), n);
		others++;
	}
}

void verify_add_finding(struct verifier *v, struct vresult *r, enum verdict finding)
{
	r->findings |= VMASK(finding);
	compose(v, r);
}

static void compare(const struct claim *c, const char *presented_id, struct vresult *r)
{
	const struct cert *reg = &r->cert;
	const struct trade *t;

	if (given(c->name) && !same_folded(c->name, reg->name))
		r->mismatched |= FIELD_NAME;
	if (given(c->id_number) && strcmp(presented_id, reg->id_number) != 0)
		r->mismatched |= FIELD_ID;
	if (c->gender != GENDER_NONE && c->gender != reg->gender)
		r->mismatched |= FIELD_GENDER;
	if (given(c->trade) && strcmp(c->trade, reg->trade) != 0) {
		t = trade_find(reg->system, c->trade, strlen(c->trade));
		if (!t || strcmp(t->code, reg->trade) != 0)
			r->mismatched |= FIELD_TRADE;
	}
	if (c->valid_until != DATE_NONE && c->valid_until != reg->valid_until)
		r->mismatched |= FIELD_VALID_UNTIL;
	if (given(c->issuer) && !same_folded(c->issuer, reg->issuer))
		r->mismatched |= FIELD_ISSUER;
}

/*
 * What a present number costs, spent on a decoy for an absent one (verify.h):
 * r->cert holds the row that stands in for the number when near, else the
 * fixed record is opened into it.  Every result is thrown away and r is
 * left as it came, its record wiped; the decoy's own errors (a log entry
 * that does not open, say) change nothing either.
 */
static void decoy_check(struct verifier *v, const struct claim *c, const char *id,
                        const struct certno *no, int near, struct vresult *r)
{
	struct verify_decoy *d = &v->decoy;
	struct store_log_entry entry;
	verdict_mask findings = r->findings;
	unsigned mismatched = r->mismatched;
	struct err ignored;
	int rc;

	err_clear(&ignored);
	if (near && r->cert.system != no->system)
		near = 0; /* not the kind of row the number would have had */
	if (!near) {
		if (d->key != store_pii_key(v->store) && decoy_make(v) < 0)
			return; /* no data key: nothing was read */
		/* what reading the row does: its columns copied, its ID
		 * (and a T number) unsealed */
		r->cert = d->cert;
		if (no->system == SYS_EMERGENCY)
			pii_number_open(d->key, d->number, strlen(d->number), r->cert.number,
			                sizeof(r->cert.number));
		pii_open(d->key, d->id, d->id_len, r->cert.id_number);
	}
	compare(c, id, r);
	r->findings |= status_findings(&r->cert, v->today);
	if (near) {
		rc = ledger_check_row(v->store, &r->cert, &ignored);
	} else {
		/* the search for an entry, then what reading one does */
		rc = store_log_get(v->store, DECOY_INDEX, &entry, &ignored);
		if (no->system == SYS_EMERGENCY) {
			pii_number_open(d->key, d->number, strlen(d->number), entry.number,
			                sizeof(entry.number));
			pii_blob_open(d->key, d->sealed_event, d->sealed_len, entry.data,
			              sizeof(entry.data), &entry.len);
		} else {
			memcpy(entry.number, d->cert.number, sizeof(d->cert.number));
			memcpy(entry.data, d->event, d->event_len);
			entry.len = d->event_len;
		}
		if (rc >= 0)
			rc = ledger_check_entry(&r->cert, &entry);
	}
	if (rc == 1)
		r->findings |= VMASK(V_TAMPERED);
	if (r->mismatched)
		r->findings |= VMASK(V_MISMATCH);
	compose(v, r); /* the message a present row gets */
	r->findings = findings;
	r->mismatched = mismatched;
	sodium_memzero(&r->cert, sizeof(r->cert));
}

int verify_claim(struct verifier *v, const struct claim *c, struct vresult *r, struct err *err)
{
	char id[IDNUM_SIZE] = "";
	struct certno no;
	enum idnum_error ide = IDNUM_EMPTY;
	int rc;

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", c->name ? c->name : "");
	snprintf(r->number, sizeof(r->number), "%s", c->number ? c->number : "");

	if (given(c->id_number)) {
		ide = idnum_check(c->id_number, strlen(c->id_number), v->today, id);
		if (ide != IDNUM_OK) {
			r->findings |= VMASK(V_INVALID_ID);
			r->id_reason = idnum_reason(ide);
			if (!id[0])
				snprintf(id, sizeof(id), "%.18s", c->id_number);
		} else if (c->gender != GENDER_NONE && (int)c->gender != idnum_gender(id)) {
			r->findings |= VMASK(V_INVALID_ID);
			r->id_reason = "性别与身份证号不符";
		}
	}

	if (!given(c->number)) {
		r->findings |= VMASK(V_UNCERTIFIED);
		goto done;
	}
	if (certno_parse(c->number, strlen(c->number), &no) < 0) {
		r->findings |= VMASK(V_INVALID_NUMBER);
		goto done;
	}
	snprintf(r->number, sizeof(r->number), "%s", no.text);
	if (no.system == SYS_EMERGENCY && given(c->id_number) && strcmp(no.id, id) != 0)
		r->mismatched |= FIELD_ID;

	rc = store_cert_seek(v->store, no.text, &r->cert, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		r->found = 1;
		compare(c, id, r);
		r->findings |= status_findings(&r->cert, v->today);
		rc = ledger_check_row(v->store, &r->cert, err);
		if (rc < 0)
			return -1;
		if (rc == 1)
			r->findings |= VMASK(V_TAMPERED);
	} else {
		decoy_check(v, c, id, &no, rc == 2, r);
		if (no.system == SYS_CONSTRUCTION && prefix_held(v, no.prefix))
			r->findings |= VMASK(V_NOT_FOUND);
		else
			r->findings |= VMASK(V_EXTERNAL);
	}
	if (r->mismatched)
		r->findings |= VMASK(V_MISMATCH);
done:
	compose(v, r);
	return 0;
}
