/*
 * cmd_audit.c - `opcert audit`: the audit trail from the command line.
 *
 *   opcert audit list [--user LOGIN] [--since DATE] [--json]
 *   opcert audit verify
 *
 * list prints entries oldest first; verify recomputes the hash chain and
 * holds it against the anchors in the transparency log (trail.h).
 */
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "keys.h"
#include "trail.h"
#include "vout.h"

const char cmd_audit_help[] =
    "用法：opcert audit list [--user LOGIN] [--since DATE] [--json]\n"
    "      opcert audit verify\n"
    "\n审计记录记下每一次改动和每一次查看完整身份证号码：谁（账号）、以什么角色、\n"
    "何时、从哪个地址、做了什么、对哪个对象，以及改动前后的内容（身份证号码等个人\n"
    "信息已脱敏）。命令行上的操作记为“cli:用户名”。记录的有：导入登记表（每个文件一条：\n"
    "文件名、行数、新增和更新的本数）、延期复核、暂扣、恢复、注销、更正、签发凭证、\n"
    "照片、设置、密钥的创建与轮换，以及单位、项目、账号的改动和网页上的登录与查看。\n"
    "\n  list                列出审计记录（从旧到新），表头：时间、账号、角色、地址、操作、\n"
    "                      对象、详情\n"
    "    --user LOGIN      只列出该账号的记录（命令行操作的账号形如 cli:zhangsan）\n"
    "    --since DATE      只列出该日（北京时间）及以后的记录，如 2026-06-01\n"
    "    --json            输出 JSON 数组，每条记录一个对象\n"
    "  verify              核查审计记录是否被篡改：退出状态 0 表示未发现问题，\n"
    "                      1 表示发现问题并指出是哪一条（如“审计记录第 17 条被修改”）\n"
    "\n如何发现篡改：审计记录只能追加。每条记录带有前一条记录的哈希和自己的哈希\n"
    "（SHA-256，覆盖序号、时间、账号、角色、地址、操作、对象、详情和前一条的哈希），\n"
    "改动、删除或插入任何一条都会使链在该处断开。能直接改写数据库的人可以把整条链\n"
    "重新计算一遍，因此每次签署透明日志检查点（opcert log checkpoint、签发凭证时自动签署）\n"
    "之前，都先把审计记录最新一条的序号和哈希写入透明日志；检查点一经日志密钥签名，\n"
    "此前的任何一条记录再被改动都会与日志中的锚点不符。最近一次检查点之后的记录\n"
    "只受哈希链保护，直到下一次检查点。核查时会读取密钥库中的日志公钥以核对检查点签名\n"
    "（打不开密钥库时照常核查，但注明未核对签名）。\n" CLI_COMMON_HELP;

enum { OPT_USER = 0x200, OPT_SINCE, OPT_JSON };

static const struct {
	const char *code, *label;
} role_labels[] = {
    {"cli", "命令行"},
    {"city_admin", "市住建局管理员"},
    {"city_officer", "市住建局工作人员"},
    {"district_officer", "区县工作人员"},
    {"company_user", "企业用户"},
    {"training_user", "培训机构用户"},
    {"auditor", "审计员"},
};

static const struct {
	const char *code, *label;
} action_labels[] = {
    {"cert.import", "导入登记表"},  {"cert.renew", "延期复核/复审"},
    {"cert.suspend", "暂扣"},       {"cert.reinstate", "恢复"},
    {"cert.revoke", "注销"},        {"cert.amend", "更正"},
    {"cert.photo", "照片"},         {"cred.issue", "签发凭证"},
    {"config.set", "修改设置"},     {"key.init", "创建密钥"},
    {"key.rotate", "轮换签发密钥"}, {"id.view", "查看完整身份证号码"},
    {"user.add", "添加账号"},       {"user.login", "登录"},
    {"company.add", "添加单位"},    {"project.add", "添加项目"},
};

static const char *label_of(const char *code, int roles)
{
	size_t i;

	if (roles) {
		for (i = 0; i < sizeof(role_labels) / sizeof(role_labels[0]); i++)
			if (strcmp(role_labels[i].code, code) == 0)
				return role_labels[i].label;
	} else {
		for (i = 0; i < sizeof(action_labels) / sizeof(action_labels[0]); i++)
			if (strcmp(action_labels[i].code, code) == 0)
				return action_labels[i].label;
	}
	return code;
}

/* --- list --- */

struct list_ctx {
	int json;
	json_t *array;
	long count;
};

static void pad(const char *s, size_t width)
{
	size_t w = vout_width(s);

	fputs(s, stdout);
	for (; w < width; w++)
		putchar(' ');
	putchar(' ');
}

static int list_entry(void *arg, const struct store_trail_entry *e)
{
	struct list_ctx *c = arg;
	char when[32];

	c->count++;
	date_time_china(e->at, when);
	if (c->json) {
		json_t *o = json_object(), *d = NULL;

		if (e->has_detail)
			d = json_loads(e->detail, JSON_DECODE_ANY, NULL);
		json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
		json_object_set_new(o, "time", json_string(when));
		json_object_set_new(o, "at", json_integer((json_int_t)e->at));
		json_object_set_new(o, "login", json_string(e->login));
		json_object_set_new(o, "role", json_string(e->role));
		json_object_set_new(o, "addr", json_string(e->addr));
		json_object_set_new(o, "action", json_string(e->action));
		json_object_set_new(o, "object", json_string(e->object));
		if (!d && e->has_detail)
			d = json_string(e->detail);
		json_object_set_new(o, "detail", d ? d : json_null());
		return json_array_append_new(c->array, o) < 0 ? -1 : 0;
	}
	pad(when, 19);
	pad(e->login, 16);
	pad(label_of(e->role, 1), 14);
	pad(e->addr[0] ? e->addr : "-", 15);
	pad(label_of(e->action, 0), 12);
	pad(e->object, 24);
	fputs(e->has_detail ? e->detail : "-", stdout);
	putchar('\n');
	return 0;
}

static int audit_list(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {{"user", required_argument, NULL, OPT_USER},
	                                         {"since", required_argument, NULL, OPT_SINCE},
	                                         {"json", no_argument, NULL, OPT_JSON},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	struct trail_filter f = {NULL, INT64_MIN};
	struct list_ctx c = {0, NULL, 0};
	struct store *st = NULL;
	struct err err;
	int32_t day;
	int opt, rc;

	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		switch (opt) {
		case OPT_USER:
			f.login = optarg;
			continue;
		case OPT_SINCE:
			if (date_parse(optarg, strlen(optarg), &day) < 0)
				return cli_usage(cli, "--since 的日期“%s”无效（应如 2026-06-01）",
				                 optarg);
			f.since = (int64_t)day * 86400 - 8 * 3600; /* Beijing midnight */
			continue;
		case OPT_JSON:
			c.json = 1;
			continue;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	if (optind < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind]);
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		return rc;
	err_clear(&err);
	if (c.json) {
		c.array = json_array();
		if (!c.array) {
			err_system(&err, "内存不足");
			rc = cli_fail(cli, &err, NULL);
			goto out;
		}
	} else {
		pad("时间", 19);
		pad("账号", 16);
		pad("角色", 14);
		pad("地址", 15);
		pad("操作", 12);
		pad("对象", 24);
		fputs("详情\n", stdout);
	}
	rc = trail_each(st, &f, list_entry, &c, &err);
	if (rc != 0) {
		if (rc > 0 || err.kind == ERR_NONE)
			err_system(&err, "内存不足");
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	if (c.json) {
		if (json_dumpf(c.array, stdout, JSON_INDENT(2)) < 0) {
			err_system(&err, "输出失败");
			rc = cli_fail(cli, &err, NULL);
			goto out;
		}
		putchar('\n');
	} else {
		printf("共 %ld 条\n", c.count);
	}
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	json_decref(c.array);
	store_close(st);
	return rc;
}

/* --- verify --- */

static void print_summary(const struct trail_report *r)
{
	const char *sep;
	size_t k;

	if (r->entries == 0)
		printf("\n审计记录：0 条\n");
	else
		printf("\n审计记录：%" PRId64 " 条，最新为第 %" PRId64 " 条\n", r->entries,
		       r->head_seq);
	printf("透明日志：%" PRId64 " 条，其中审计记录锚点 %" PRId64 " 个\n", r->log_entries,
	       r->anchors);
	if (!r->checkpoint)
		printf("签名检查点：无可用的检查点（可运行 opcert log checkpoint 生成）\n");
	else
		printf("签名检查点：记录日志 %" PRId64 " 条%s\n", r->checkpoint_size,
		       r->checkpoint_signed ? "，签名有效" : "（未核对签名：未打开密钥库）");
	if (r->anchored_seq > 0)
		printf("锚点确认：第 1 至 %" PRId64 " 条%s\n", r->anchored_seq,
		       r->signed_seq == r->anchored_seq && r->checkpoint_signed
		           ? "（在签名检查点内）"
		           : "");
	if (r->total == 0 && r->head_seq > r->anchored_seq)
		printf("尚未锚定：第 %" PRId64 " 至 %" PRId64
		       " 条只受哈希链保护，下次签署检查点时写入透明日志\n",
		       r->anchored_seq + 1, r->head_seq);
	if (r->total == 0) {
		printf("结论：未发现问题\n");
		return;
	}
	printf("结论：发现 %zu 个问题：", r->total);
	for (k = 1, sep = ""; k <= TRAIL_PROBLEM_MAX; k++)
		if (r->counts[k]) {
			printf("%s%s %zu 个", sep, trail_problem_label((enum trail_problem)k),
			       r->counts[k]);
			sep = "，";
		}
	printf("\n");
	if (r->nfindings < r->total)
		printf("（只列出了前 %zu 个）\n", r->nfindings);
}

static int audit_verify(int argc, char **argv, struct cli *cli)
{
	struct trail_verify_options o;
	struct trail_report r;
	struct store *st = NULL;
	struct keys *ks = NULL;
	const struct keys_info *ki;
	struct err err, kerr;
	size_t i;
	int rc = cli_common_options(argc, argv, cli);

	if (rc >= 0)
		return rc;
	if (optind < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind]);
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		return rc;
	err_clear(&err);
	err_clear(&kerr);
	ks = keys_open(cli_keys_dir(cli), cli->passphrase_file, NULL, &kerr);
	if (ks) {
		ki = keys_get(ks, KEYS_LOG);
		if (ki && keys_log_name(ks)) {
			o.key_name = keys_log_name(ks);
			o.key_pk = ki->pk;
		}
	}
	if (!o.key_name)
		fprintf(stderr, "opcert audit: 未能打开密钥库 %s，检查点的签名不核对（%s）\n",
		        cli_keys_dir(cli), kerr.kind != ERR_NONE ? kerr.msg : "没有日志密钥");
	if (trail_verify(st, &o, &r, &err) < 0) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	for (i = 0; i < r.nfindings; i++)
		printf("[%s] %s\n", trail_problem_label(r.findings[i].kind), r.findings[i].msg);
	print_summary(&r);
	rc = cli_finish_stdout(cli, r.total ? EXIT_FINDINGS : EXIT_ALL_VALID);
out:
	trail_report_release(&r);
	keys_close(ks);
	store_close(st);
	return rc;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *cli);
} subcommands[] = {
    {"list", audit_list},
    {"verify", audit_verify},
};

int cmd_audit(int argc, char **argv, struct cli *cli)
{
	size_t i;

	if (argc < 2)
		return cli_usage(cli, "缺少子命令（list 或 verify）");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		cli_print_help(cli);
		return EXIT_ALL_VALID;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1, cli);
	return cli_usage(cli, "没有子命令“%s”（可用：list、verify）", argv[1]);
}
