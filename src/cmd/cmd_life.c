/*
 * cmd_life.c - `opcert renew`, `suspend`, `reinstate`, `revoke` and
 * `amend`: what happens to a certificate after it is registered, each
 * recorded as one transparency-log event (lifecycle.h).  Each prints one
 * line saying what was recorded and the log entry it was recorded at.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "idnum.h"
#include "lifecycle.h"

enum { L_VALID_UNTIL, L_REVIEW_DUE, L_REASON, L_FIELD, L_VALUE, L_COUNT };

#define OPT_VALID_UNTIL (CLI_OPT_OWN + L_VALID_UNTIL)
#define OPT_REVIEW_DUE  (CLI_OPT_OWN + L_REVIEW_DUE)
#define OPT_REASON      (CLI_OPT_OWN + L_REASON)
#define OPT_FIELD       (CLI_OPT_OWN + L_FIELD)
#define OPT_VALUE       (CLI_OPT_OWN + L_VALUE)

struct life_args {
	const char *number;
	const char *valid_until;
	const char *review_due;
	const char *reason;
	const char *field;
	const char *value;
};

/* Parse the options and the one NUMBER; returns -1 to go on, else an exit status. */
static int parse_args(int argc, char **argv, struct cli *cli, const struct option *longopts,
                      struct life_args *a)
{
	const struct cli_syntax syn = {longopts, CLI_ALL_OWN, 1, "缺少证书编号"};
	const char *v[L_COUNT] = {NULL};
	int rc = cli_parse(cli, argc, argv, &syn, v, &a->number);

	a->valid_until = v[L_VALID_UNTIL];
	a->review_due = v[L_REVIEW_DUE];
	a->reason = v[L_REASON];
	a->field = v[L_FIELD];
	a->value = v[L_VALUE];
	return rc;
}

static int parse_date_opt(const struct cli *cli, const char *name, const char *s, int32_t *out)
{
	if (date_parse(s, strlen(s), out) < 0)
		return cli_usage(cli, "%s 的日期“%s”无效（应为 YYYY-MM-DD）", name, s);
	return 0;
}

/* Open the store, run op, print its line or its error. */
typedef int (*life_fn)(struct store *st, const struct life_args *a, const struct cli *cli,
                       int64_t now, struct lifecycle_result *out, struct err *err);
typedef void (*print_fn)(const struct life_args *a, const struct lifecycle_result *res);

static int run(struct cli *cli, const struct life_args *a, life_fn fn, print_fn print)
{
	struct lifecycle_result res;
	struct store *st = NULL;
	struct err err;
	int rc;

	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	err_clear(&err);
	if (fn(st, a, cli, date_now_seconds(), &res, &err) < 0) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	print(a, &res);
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	store_close(st);
	return rc;
}

/* --- renew --- */

static int do_renew(struct store *st, const struct life_args *a, const struct cli *cli, int64_t now,
                    struct lifecycle_result *out, struct err *err)
{
	int32_t until = DATE_NONE, review = DATE_NONE;

	/* Parsed before: cannot fail here. */
	date_parse(a->valid_until, strlen(a->valid_until), &until);
	if (a->review_due)
		date_parse(a->review_due, strlen(a->review_due), &review);
	return lifecycle_renew(st, NULL, a->number, until, review, cli->today, now, out, err);
}

static void print_renew(const struct life_args *a, const struct lifecycle_result *r)
{
	char d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];

	(void)a;
	printf("已记录延期复核/复审：证书 %s 有效期至 %s", r->after.number,
	       date_format(r->after.valid_until, d1));
	if (r->after.review_due != r->before.review_due)
		printf("，复审日期 %s", date_format(r->after.review_due, d2));
	printf("（日志第 %lld 条）\n", (long long)r->index);
}

const char cmd_renew_help[] =
    "用法：opcert renew NUMBER --valid-until DATE [--review-due DATE] [--db PATH]\n"
    "\n记录一本证书的延期复核（住建）或复审（应急管理）通过：有效期至改为 DATE，\n"
    "给出 --review-due 时复审日期一并改为该日期。每次记录追加一条透明日志，并记录变更。\n"
    "已注销的证书不能延期；新的有效期至不能早于现有的，也不能早于今天。\n"
    "\n  --valid-until DATE  延期复核后的有效期至（YYYY-MM-DD）\n"
    "  --review-due DATE   新的复审日期（可选）\n" CLI_COMMON_HELP;

int cmd_renew(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {
	    {"valid-until", required_argument, NULL, OPT_VALID_UNTIL},
	    {"review-due", required_argument, NULL, OPT_REVIEW_DUE},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0}};
	struct life_args a;
	int32_t day;
	int rc = parse_args(argc, argv, cli, longopts, &a);

	if (rc >= 0)
		return rc;
	if (!a.valid_until)
		return cli_usage(cli, "缺少 --valid-until（延期复核后的有效期至）");
	if (parse_date_opt(cli, "--valid-until", a.valid_until, &day) ||
	    (a.review_due && parse_date_opt(cli, "--review-due", a.review_due, &day)))
		return EXIT_USAGE;
	return run(cli, &a, do_renew, print_renew);
}

/* --- suspend, reinstate, revoke --- */

static int do_suspend(struct store *st, const struct life_args *a, const struct cli *cli,
                      int64_t now, struct lifecycle_result *out, struct err *err)
{
	(void)cli;
	return lifecycle_suspend(st, NULL, a->number, a->reason, now, out, err);
}

static int do_reinstate(struct store *st, const struct life_args *a, const struct cli *cli,
                        int64_t now, struct lifecycle_result *out, struct err *err)
{
	(void)cli;
	return lifecycle_reinstate(st, NULL, a->number, a->reason, now, out, err);
}

static int do_revoke(struct store *st, const struct life_args *a, const struct cli *cli,
                     int64_t now, struct lifecycle_result *out, struct err *err)
{
	(void)cli;
	return lifecycle_revoke(st, NULL, a->number, a->reason, now, out, err);
}

static void print_suspend(const struct life_args *a, const struct lifecycle_result *r)
{
	(void)a;
	printf("已记录暂扣：证书 %s（日志第 %lld 条）\n", r->after.number, (long long)r->index);
}

static void print_reinstate(const struct life_args *a, const struct lifecycle_result *r)
{
	(void)a;
	printf("已记录恢复：证书 %s 恢复为有效（日志第 %lld 条）\n", r->after.number,
	       (long long)r->index);
}

static void print_revoke(const struct life_args *a, const struct lifecycle_result *r)
{
	(void)a;
	printf("已记录注销：证书 %s（日志第 %lld 条）\n", r->after.number, (long long)r->index);
}

static int with_reason(int argc, char **argv, struct cli *cli, int required, life_fn fn,
                       print_fn print)
{
	static const struct option longopts[] = {{"reason", required_argument, NULL, OPT_REASON},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	struct life_args a;
	int rc = parse_args(argc, argv, cli, longopts, &a);

	if (rc >= 0)
		return rc;
	if (required && !a.reason)
		return cli_usage(cli, "缺少 --reason（原因）");
	return run(cli, &a, fn, print);
}

const char cmd_suspend_help[] =
    "用法：opcert suspend NUMBER --reason TEXT [--db PATH]\n"
    "\n暂扣一本证书并写明原因（记入透明日志）。已注销或已暂扣的证书不能再暂扣。\n"
    "\n  --reason TEXT     暂扣原因（必填）\n" CLI_COMMON_HELP;

int cmd_suspend(int argc, char **argv, struct cli *cli)
{
	return with_reason(argc, argv, cli, 1, do_suspend, print_suspend);
}

const char cmd_reinstate_help[] =
    "用法：opcert reinstate NUMBER [--reason TEXT] [--db PATH]\n"
    "\n解除一本被暂扣证书的暂扣，恢复为有效（记入透明日志）。只适用于暂扣中的证书。\n"
    "\n  --reason TEXT     恢复原因（可选）\n" CLI_COMMON_HELP;

int cmd_reinstate(int argc, char **argv, struct cli *cli)
{
	return with_reason(argc, argv, cli, 0, do_reinstate, print_reinstate);
}

const char cmd_revoke_help[] =
    "用法：opcert revoke NUMBER --reason TEXT [--db PATH]\n"
    "\n注销或吊销一本证书并写明原因（记入透明日志）。注销后不能再延期、暂扣或恢复。\n"
    "\n  --reason TEXT     注销原因（必填）\n" CLI_COMMON_HELP;

int cmd_revoke(int argc, char **argv, struct cli *cli)
{
	return with_reason(argc, argv, cli, 1, do_revoke, print_revoke);
}

/* --- amend --- */

static int do_amend(struct store *st, const struct life_args *a, const struct cli *cli, int64_t now,
                    struct lifecycle_result *out, struct err *err)
{
	return lifecycle_amend(st, NULL, a->number, a->field, a->value, a->reason, cli->today, now,
	                       out, err);
}

static const char *shown(const char *s)
{
	return s[0] ? s : "（空）";
}

/* A date or "" for none, into buf. */
static const char *day_text(int32_t day, char buf[DATE_TEXT_MAX])
{
	if (day == DATE_NONE) {
		buf[0] = '\0';
		return buf;
	}
	return date_format(day, buf);
}

static void print_amend(const struct life_args *a, const struct lifecycle_result *r)
{
	const struct cert *b = &r->before, *c = &r->after;
	char x[IDNUM_SIZE + DATE_TEXT_MAX], y[IDNUM_SIZE + DATE_TEXT_MAX];
	const char *from = "", *to = "";

	if (strcmp(a->field, "name") == 0) {
		from = b->name;
		to = c->name;
	} else if (strcmp(a->field, "gender") == 0) {
		from = gender_label(b->gender);
		to = gender_label(c->gender);
	} else if (strcmp(a->field, "id_number") == 0) {
		idnum_mask(b->id_number, x);
		idnum_mask(c->id_number, y);
		from = x;
		to = y;
	} else if (strcmp(a->field, "trade") == 0) {
		from = b->trade;
		to = c->trade;
	} else if (strcmp(a->field, "issuer") == 0) {
		from = b->issuer;
		to = c->issuer;
	} else if (strcmp(a->field, "issued_on") == 0) {
		from = day_text(b->issued_on, x);
		to = day_text(c->issued_on, y);
	} else if (strcmp(a->field, "valid_until") == 0) {
		from = day_text(b->valid_until, x);
		to = day_text(c->valid_until, y);
	} else if (strcmp(a->field, "review_due") == 0) {
		from = day_text(b->review_due, x);
		to = day_text(c->review_due, y);
	} else if (strcmp(a->field, "training_institution") == 0) {
		from = b->training_institution;
		to = c->training_institution;
	}
	printf("已记录更正：证书 %s 的%s由“%s”改为“%s”", c->number, lifecycle_field_label(a->field),
	       shown(from), shown(to));
	if (strcmp(a->field, "gender") != 0 && b->gender != c->gender)
		printf("，性别随之改为%s", gender_label(c->gender));
	printf("（日志第 %lld 条）\n", (long long)r->index);
}

const char cmd_amend_help[] =
    "用法：opcert amend NUMBER --field FIELD --value VALUE --reason TEXT [--today DATE] [--db "
    "PATH]\n"
    "\n更正登记记录中录入有误的一项，写明原因，更正记入透明日志并记录变更（个人信息脱敏）。\n"
    "FIELD 为下列之一：\n"
    "  name                 姓名\n"
    "  gender               性别（男/女，须与身份证号码一致）\n"
    "  id_number            身份证号码（性别随之按身份证号码确定；应急管理证书编号中含\n"
    "                       身份证号码，不能更正为与编号不同的号码）\n"
    "  trade                工种（代码或名称；住建证书须与编号中的工种代码一致）\n"
    "  issuer               发证机关\n"
    "  issued_on            发证日期\n"
    "  valid_until          有效期至\n"
    "  review_due           复审日期（空或“无”表示清除）\n"
    "  training_institution 培训机构（空表示清除）\n"
    "与现有内容相同的更正不予记录。\n"
    "\n  --field FIELD     要更正的项\n"
    "  --value VALUE     更正后的内容\n"
    "  --reason TEXT     更正原因（必填）\n" CLI_COMMON_HELP;

int cmd_amend(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {{"field", required_argument, NULL, OPT_FIELD},
	                                         {"value", required_argument, NULL, OPT_VALUE},
	                                         {"reason", required_argument, NULL, OPT_REASON},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	struct life_args a;
	int rc = parse_args(argc, argv, cli, longopts, &a);

	if (rc >= 0)
		return rc;
	if (!a.field)
		return cli_usage(cli, "缺少 --field（要更正的项）");
	if (!lifecycle_field_label(a.field)[0])
		return cli_usage(
		    cli,
		    "无法更正“%s”：可更正的项为 name、gender、id_number、trade、issuer、"
		    "issued_on、valid_until、review_due、training_institution",
		    a.field);
	if (!a.value)
		return cli_usage(cli, "缺少 --value（更正后的内容）");
	if (!a.reason)
		return cli_usage(cli, "缺少 --reason（原因）");
	return run(cli, &a, do_amend, print_amend);
}
