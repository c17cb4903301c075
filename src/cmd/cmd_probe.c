/*
 * cmd_probe.c - `opcert probe`: the probe limit's counts (probe.h) and
 * clearing them.
 *
 *   opcert probe list [--json]
 *   opcert probe clear --account LOGIN | --address ADDR [--number N]
 *
 * list shows, per account or client address, what the last 24 hours hold;
 * clear is what a city administrator does for someone who mistyped (also
 * on the /probes page), recorded in the audit trail.  The command line is
 * the local operator: its own checks are never limited.
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "probe.h"

const char cmd_probe_help[] =
    "用法：opcert probe list [--json]\n"
    "      opcert probe clear --account LOGIN | --address ADDR [--number N]\n"
    "\n身份证号码核对次数限制：公开的脱敏身份证号码只隐去出生日期（前 6 位和后 4 位可见），\n"
    "逐个试填约 2000 个候选号码就能试出完整号码。因此，每个账号（未登录的公众按客户端地址，\n"
    "IPv6 按 /64）对同一证书在 24 小时内最多试错 3 个不同的身份证号码；超过后，凡对该证书\n"
    "提交身份证号码的请求（包括正确的号码）一律拒绝（HTTP 429），直到 24 小时过去或市住建局\n"
    "管理员清除。应急管理证书编号（T+身份证号码）按其脱敏形式同样计数：登记库中没有的编号\n"
    "算一次试错。一份花名册中同一证书对应 2 个以上不同身份证号码的，整份拒绝。每次拒绝都\n"
    "记入审计记录（probe.refused）。命令行本身不受此限制。\n"
    "\n  list              列出 24 小时内有记录的账号和地址：试过的证书数、试错次数、被拒绝\n"
    "                    次数、已达上限的证书数、最近一次的时间\n"
    "    --json          输出 JSON 数组\n"
    "  clear             清除一个账号或地址的记录（记入审计记录 probe.clear）\n"
    "    --account LOGIN 账号\n"
    "    --address ADDR  客户端地址（IPv6 写任一地址或 list 中的 …/64 均可）\n"
    "    --number N      只清除这本证书的记录\n" CLI_COMMON_HELP;

enum { P_ACCOUNT, P_ADDRESS, P_NUMBER, P_JSON, P_COUNT };

static const struct option longopts[] = {
    {"account", required_argument, NULL, CLI_OPT_OWN + P_ACCOUNT},
    {"address", required_argument, NULL, CLI_OPT_OWN + P_ADDRESS},
    {"number", required_argument, NULL, CLI_OPT_OWN + P_NUMBER},
    {"json", no_argument, NULL, CLI_OPT_OWN + P_JSON},
    CLI_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

#define OPT(i) (1u << (i))

struct list_ctx {
	struct cli_table t;
	json_t *json;
};

static int list_row(void *arg, const struct store_probe_summary *s)
{
	struct list_ctx *c = arg;
	char when[32], n[4][24];
	const char *cells[6];

	date_time_china(s->last, when);
	if (c->json) {
		json_t *o = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "subject", s->subject,
		                      "certificates", (json_int_t)s->certificates, "misses",
		                      (json_int_t)s->misses, "refusals", (json_int_t)s->refusals,
		                      "at_limit", (json_int_t)s->at_limit, "last",
		                      (json_int_t)s->last, "last_time", when);

		return !o || json_array_append_new(c->json, o) < 0;
	}
	snprintf(n[0], sizeof(n[0]), "%ld", s->certificates);
	snprintf(n[1], sizeof(n[1]), "%ld", s->misses);
	snprintf(n[2], sizeof(n[2]), "%ld", s->refusals);
	snprintf(n[3], sizeof(n[3]), "%ld", s->at_limit);
	cells[0] = s->subject;
	cells[1] = n[0];
	cells[2] = n[1];
	cells[3] = n[2];
	cells[4] = n[3];
	cells[5] = when;
	return cli_table_row(&c->t, cells) < 0;
}

static int probe_list_cmd(int argc, char **argv, struct cli *cli)
{
	static const char *const header[6] = {"对象",   "试过的证书", "试错",
	                                      "被拒绝", "已达上限",   "最近一次"};
	const struct cli_syntax syn = {longopts, OPT(P_JSON), 0, NULL};
	const char *v[P_COUNT] = {0}, *operand;
	struct list_ctx c;
	struct store *st = NULL;
	struct err err;
	int rc = cli_parse(cli, argc, argv, &syn, v, &operand);

	if (rc >= 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.t.ncols = 6;
	if (v[P_JSON] && !(c.json = json_array()))
		return cli_usage(cli, "内存不足");
	rc = c.json ? 0 : cli_table_row(&c.t, header);
	if (rc == 0)
		rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc) {
		json_decref(c.json);
		cli_table_free(&c.t);
		return rc < 0 ? EXIT_SYSTEM : rc;
	}
	err_clear(&err);
	rc = probe_each(st, date_now_seconds(), list_row, &c, &err);
	store_close(st);
	if (rc) {
		json_decref(c.json);
		cli_table_free(&c.t);
		if (rc < 0)
			return cli_fail(cli, &err, NULL);
		fprintf(stderr, "opcert probe: 内存不足\n");
		return EXIT_SYSTEM;
	}
	if (c.json)
		return cli_finish_stdout(cli, cli_print_json(c.json) < 0 ? EXIT_SYSTEM : 0);
	if (c.t.nrows > 1)
		cli_table_print(&c.t);
	else
		printf("（24 小时内没有身份证号码试错记录）\n");
	cli_table_free(&c.t);
	return cli_finish_stdout(cli, EXIT_ALL_VALID);
}

static int probe_clear_cmd(int argc, char **argv, struct cli *cli)
{
	const struct cli_syntax syn = {longopts, OPT(P_ACCOUNT) | OPT(P_ADDRESS) | OPT(P_NUMBER), 0,
	                               NULL};
	const char *v[P_COUNT] = {0}, *operand;
	char subject[PROBE_SUBJECT_SIZE];
	struct store *st = NULL;
	struct actor who;
	struct err err;
	long cleared = 0;
	int rc = cli_parse(cli, argc, argv, &syn, v, &operand);

	if (rc >= 0)
		return rc;
	if (!v[P_ACCOUNT] == !v[P_ADDRESS])
		return cli_usage(cli, "clear 须给出 --account LOGIN 或 --address ADDR 之一");
	if (v[P_ACCOUNT] && (!v[P_ACCOUNT][0] || strlen(v[P_ACCOUNT]) >= ACCOUNT_LOGIN_SIZE))
		return cli_usage(cli, "账号“%s”无效", v[P_ACCOUNT]);
	if (v[P_ADDRESS] && (!v[P_ADDRESS][0] || strlen(v[P_ADDRESS]) >= 64))
		return cli_usage(cli, "地址“%s”无效", v[P_ADDRESS]);
	if (v[P_ACCOUNT])
		probe_subject_account(v[P_ACCOUNT], subject);
	else
		probe_subject_address(v[P_ADDRESS], subject);
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	err_clear(&err);
	actor_cli(&who);
	rc = probe_clear(st, &who, subject, v[P_NUMBER], date_now_seconds(), &cleared, &err);
	store_close(st);
	if (rc < 0)
		return cli_fail(cli, &err, NULL);
	printf("已清除 %s 的 %ld 条记录\n", subject, cleared);
	return cli_finish_stdout(cli, EXIT_ALL_VALID);
}

int cmd_probe(int argc, char **argv, struct cli *cli)
{
	static const struct cli_sub subs[] = {
	    {"list", probe_list_cmd},
	    {"clear", probe_clear_cmd},
	};

	return cli_dispatch(argc, argv, cli, subs, sizeof(subs) / sizeof(subs[0]), "list、clear");
}
