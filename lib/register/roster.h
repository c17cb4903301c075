/*
 * roster.h - a site roster: the worker rows of a 附件1 self-inspection
 * form (施工单位特种作业人员持证情况自查登记表), checked as a whole.
 *
 * Header: 姓名, 性别, 身份证号码, 工种 (also 特种作业岗位/工种 or 岗位),
 * 证书编号, and optionally 发证机关, 有效期至, 项目名称.  姓名 and 身份证号码
 * are required in every row; an empty 证书编号 means no certificate.  Rows
 * that total the form (合计, 小计, 总计) or explain it (填表说明) are skipped.
 *
 * An ID number that Excel turned into a number, a missing name or ID, or an
 * impossible date is an input error that stops the run (exit 2): the form
 * must be fixed before its verdicts mean anything.
 */
#ifndef OPCERT_ROSTER_H
#define OPCERT_ROSTER_H

#include "err.h"
#include "tabfile.h"
#include "tally.h"
#include "verify.h"

struct roster_result {
	long row;  /* data row, 1 for the first */
	long line; /* physical line in the file */
	char project[CERT_TEXT_SIZE];
	const struct claim *claim; /* the row as presented */
	struct vresult v;
};

struct roster_summary {
	long rows;                /* 特种作业人员（人） */
	struct tally totals;      /* by DOMAIN's counting rules (tally.h) */
	long by_verdict[V_COUNT]; /* rows by verdict */
};

/* Called once per data row, in file order.  A non-zero return stops the
 * run (roster_verify then returns -1 with err as the callback left it). */
typedef int (*roster_cb)(const struct roster_result *r, void *arg, struct err *err);

int roster_verify_file(const char *path, struct verifier *v, roster_cb cb, void *arg,
                       struct roster_summary *sum, struct err *err);
int roster_verify_memory(const char *data, size_t len, struct verifier *v, roster_cb cb, void *arg,
                         struct roster_summary *sum, struct err *err);

#endif
