/*
 * tally.h - the counting rules of DOMAIN.md section 5: one definition of
 * the totals for the 附件1 form, 附件2, the reports, the dashboards, the
 * roster check's summary line and the batch page.
 *
 * A worker is counted once per project, by their row's verdict at the check
 * (the most serious finding, verdict.h), with two facts the verdict alone
 * does not carry: the recorded manual check of an `external` certificate at
 * its issuer's official platform, and the post finding 岗位与证书工种不符
 * (a genuine, valid certificate whose trade does not cover the post: no
 * certificate for that post, so 无证上岗, handled by 调岗).  Each row falls
 * into exactly one class; the totals are the classes' counts plus the
 * derived ones (查验证书, 持假证上岗, 依法持证率).
 *
 * Pure functions, no I/O.  The key names are those of the self-inspection
 * form's JSON `totals`, in the order of the counting rules.
 */
#ifndef OPCERT_TALLY_H
#define OPCERT_TALLY_H

#include "verdict.h"

/* The manual check of an `external` certificate, as recorded. */
enum tally_manual {
	TALLY_MANUAL_NONE = 0,  /* not recorded (yet) */
	TALLY_MANUAL_MATCH,     /* 外部核验一致 */
	TALLY_MANUAL_NOT_FOUND, /* 查无此证 at the issuer's platform */
	TALLY_MANUAL_DIFFERS,   /* 信息不符 */
};

/* One worker's row at a check. */
struct tally_row {
	enum verdict verdict;
	enum tally_manual manual; /* for verdict external only */
	int post_mismatch; /* 岗位与证书工种不符 (counts for a valid certificate only) */
};

/* The class a row is counted under: one each. */
enum tally_class {
	TALLY_CERTIFIED = 0, /* 持证上岗 */
	TALLY_FAKE,          /* 其中假证 */
	TALLY_LENT,          /* 转借/冒用 */
	TALLY_LAPSED,        /* 证书失效 */
	TALLY_UNCERTIFIED,   /* 无证上岗 */
	TALLY_PENDING,       /* 待核实 */
	TALLY_CLASS_COUNT
};

struct tally {
	long posts; /* 特种作业岗位数: set by the caller (the project's posts), 0 unknown */
	long workers;     /* 特种作业人员（人） */
	long certified;   /* 持证上岗（人） */
	long checked;     /* 查验证书（本）: rows that present a certificate number */
	long fake;        /* 其中假证（本） */
	long lent;        /* 转借/冒用（本） */
	long lapsed;      /* 证书失效（本） */
	long uncertified; /* 无证上岗（人）, the post findings among them */
	long with_fake;   /* 持假证上岗（人）: fake + lent */
	long pending;     /* 待核实（人） */
};

#define TALLY_RATE_NONE (-1.0) /* 依法持证率 of no worker at all */

enum tally_class tally_classify(const struct tally_row *r);
/* The class's code ("certified", ...) and its label ("持证上岗", ...). */
const char *tally_class_code(enum tally_class c);
const char *tally_class_label(enum tally_class c);

/* Count one row (t starts zeroed). */
void tally_add(struct tally *t, const struct tally_row *r);
/* 依法持证率 = 持证上岗 ÷ 特种作业人员, in percent rounded to one decimal;
 * TALLY_RATE_NONE when there is no worker. */
double tally_lawful_rate(const struct tally *t);

/* The totals as JSON, keys in the order of the counting rules (posts,
 * workers, certified, checked, fake, lent, lapsed, uncertified, with_fake,
 * pending, lawful_rate: a number, or null with no worker).  NULL when out
 * of memory. */
struct json_t *tally_json(const struct tally *t);

#endif
