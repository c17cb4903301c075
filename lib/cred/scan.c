/* scan.c - see scan.h */
#include "scan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "issue.h"
#include "certno.h"
#include "ledger.h"
#include "note.h"
#include "tlog.h"
#include "status.h"

static void say(struct scan_result *r, const char *fmt, ...) ERR_PRINTF(2, 3);

static void say(struct scan_result *r, const char *fmt, ...)
{
	size_t n = strlen(r->message);
	va_list ap;

	if (n >= sizeof(r->message) - 1)
		return;
	if (n)
		n += (size_t)snprintf(r->message + n, sizeof(r->message) - n, "；");
	if (n >= sizeof(r->message) - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(r->message + n, sizeof(r->message) - n, fmt, ap);
	va_end(ap);
}

/* Dates and status of the claims (offline) or of the register (online). */
static void check_dates(const struct scan_options *o, struct scan_result *r)
{
	struct cert c;
	char d[DATE_TEXT_MAX];

	if (r->found) {
		c = r->cert;
	} else {
		memset(&c, 0, sizeof(c));
		c.system = r->check.claims.number[0] == 'T' ? SYS_EMERGENCY : SYS_CONSTRUCTION;
		c.issued_on = r->check.claims.issued_on;
		c.valid_until = r->check.claims.valid_until;
		c.review_due = r->check.claims.review_due;
		c.status = CERT_VALID;
	}
	r->findings |= status_findings(&c, o->today) & (VMASK(V_EXPIRED) | VMASK(V_REVIEW_OVERDUE));
	if (r->findings & VMASK(V_EXPIRED))
		say(r, "证书已过期（有效期至%s）", date_format(c.valid_until, d));
	if (r->findings & VMASK(V_REVIEW_OVERDUE))
		say(r, "逾期未复审（应于%s前复审）", date_format(status_review_due(&c, 0), d));
}

static void apply_status(struct scan_result *r, enum cert_status s)
{
	r->status_known = 1;
	r->status = s;
	if (s == CERT_REVOKED) {
		r->findings |= VMASK(V_REVOKED);
		say(r, "证书已被注销或吊销");
	} else if (s == CERT_SUSPENDED) {
		r->findings |= VMASK(V_SUSPENDED);
		say(r, "证书已被暂扣");
	}
}

/* Is log entry index inside the newest checkpoint signed with the log key? */
static int checkpointed(const struct scan_options *o, int64_t index, struct err *err)
{
	struct note_verifier v;
	struct tlog_checkpoint cp;
	char *note = malloc(NOTE_MAX + 1);
	int64_t size;
	int rc;

	if (!note)
		return err_system(err, "内存不足");
	rc = store_checkpoint_latest(o->store, &size, note, NOTE_MAX + 1, err);
	if (rc == 1) {
		struct err ignored;

		rc = note_verifier_init(&v, o->trust->log_name, o->trust->log_key.pk, &ignored) ==
		                 0 &&
		             tlog_checkpoint_open(note, strlen(note), &v, &cp, &ignored) == 0 &&
		             (uint64_t)index < cp.size
		         ? 1
		         : 0;
	}
	free(note);
	return rc;
}

/* The printed fields the register no longer agrees with (renewals aside). */
static unsigned claims_mismatch(const struct cred_claims *c, const struct cert *reg)
{
	char masked[CERTNO_SIZE];
	unsigned f = 0;

	certno_mask(reg->number, masked);
	if (strcmp(c->number, masked) != 0 && strcmp(c->number, reg->number) != 0)
		f |= 1;
	if (strcmp(c->name, reg->name) != 0)
		f |= 2;
	if (c->gender != reg->gender)
		f |= 4;
	if (!cred_id_matches(c, reg->id_number, strlen(reg->id_number)))
		f |= 8;
	if (strcmp(c->trade, reg->trade) != 0)
		f |= 16;
	return f;
}

static int online(const struct scan_options *o, struct scan_result *r, struct err *err)
{
	struct store_cred rec;
	char number[CERTNO_SIZE];
	uint8_t hash[32];
	uint32_t slot;
	unsigned diff;
	int rc;

	if (issue_payload_hash(r->link.payload, r->link.payload_len, hash) < 0)
		goto not_issued;
	rc = store_cred_find(o->store, hash, &rec, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		goto not_issued;
	/* The log, not the credential table, says what was issued. */
	rc = ledger_issue_entry(o->store, rec.log_index, hash, number, &slot, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || slot != r->check.claims.status_index)
		goto not_issued;
	rc = checkpointed(o, rec.log_index, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		r->findings |= VMASK(V_FORGED);
		say(r, "签名有效，但这次签发不在已签名的日志检查点中（日志疑似被追加伪造记录），请"
		       "立即报告");
		return 0;
	}
	rc = store_cert_get(o->store, number, &r->cert, err);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		r->findings |= VMASK(V_TAMPERED);
		say(r, "已签发凭证的证书在登记库中不存在，登记库疑似被篡改");
		return 0;
	}
	r->found = 1;
	rc = ledger_check_row(o->store, &r->cert, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		r->findings |= VMASK(V_TAMPERED);
		say(r, "登记记录与透明日志记载不一致，疑似被篡改，结论不可采信");
	}
	diff = claims_mismatch(&r->check.claims, &r->cert);
	if (diff) {
		r->findings |= VMASK(V_MISMATCH);
		say(r,
		    "二维码上的%s%s%s%s%s与登记库现有记录不一致（证书信息已更正，请重新签发凭证）",
		    diff & 1 ? "证书编号、" : "", diff & 2 ? "姓名、" : "",
		    diff & 4 ? "性别、" : "", diff & 8 ? "身份证号、" : "",
		    diff & 16 ? "工种、" : "");
	}
	apply_status(r, r->cert.status);
	return 0;
not_issued:
	r->findings |= VMASK(V_FORGED);
	say(r, "签名有效但本系统没有签发过这张凭证（可能是用泄露的密钥伪造的），请立即报告");
	return 0;
}

static void offline(const struct scan_options *o, struct scan_result *r)
{
	if (!o->status) {
		r->findings |= VMASK(V_STATUS_UNKNOWN);
		say(r, "签名有效，但没有状态列表，无法确认证书是否已被注销或暂扣");
		return;
	}
	if (o->status->issued_at > o->now + 300) {
		r->findings |= VMASK(V_STATUS_UNKNOWN);
		say(r, "签名有效，但状态列表的签发时间晚于现在（设备时钟或状态列表有误），无法确认"
		       "证书当前状态");
		return;
	}
	if (o->now - o->status->issued_at > o->status_max_age) {
		r->findings |= VMASK(V_STATUS_UNKNOWN);
		say(r, "签名有效，但状态列表已超过%lld天未更新，无法确认证书当前状态",
		    (long long)(o->status_max_age / 86400));
		return;
	}
	apply_status(r, statuslist_get(o->status, r->check.claims.status_index));
}

int scan_verify(const char *text, size_t len, const struct scan_options *o, struct scan_result *r,
                struct err *err)
{
	memset(r, 0, sizeof(*r));
	if (cred_link_classify(text, len, o->official_host, &r->link, err) < 0)
		return -1;
	if (r->link.kind == CRED_LINK_UNOFFICIAL) {
		r->findings = VMASK(V_UNOFFICIAL_LINK);
		r->verdict = V_UNOFFICIAL_LINK;
		say(r,
		    "这不是官方查询链接：它指向“%s”，而官方核验网站是“%"
		    "s”。请勿相信该网站给出的任何结果",
		    r->link.host[0] ? r->link.host : "（无主机）", o->official_host);
		return 0;
	}
	if (cred_verify(r->link.payload, r->link.payload_len, o->trust, &r->check, err) < 0)
		return -1;
	if (r->check.result != CRED_OK) {
		r->findings = VMASK(V_FORGED);
		r->verdict = V_FORGED;
		say(r, "签名无效（伪造）：%s",
		    r->check.reason[0] ? r->check.reason : cred_result_label(r->check.result));
		return 0;
	}
	if (o->store) {
		if (online(o, r, err) < 0)
			return -1;
	} else {
		offline(o, r);
	}
	if (!(r->findings & VMASK(V_FORGED)))
		check_dates(o, r);
	r->verdict = verdict_of(r->findings);
	if (r->verdict == V_VALID) {
		char d[DATE_TEXT_MAX];

		say(r, "签名有效，证书有效，有效期至%s",
		    date_format(r->found ? r->cert.valid_until : r->check.claims.valid_until, d));
	}
	return 0;
}
