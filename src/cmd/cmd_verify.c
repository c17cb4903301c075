/*
 * cmd_verify.c - `opcert verify` (one certificate) and `opcert
 * verify-roster` (a whole 附件1 form).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "roster.h"
#include "text.h"
#include "verify.h"
#include "vout.h"

const char cmd_verify_help[] =
    "用法：opcert verify --number NO --name NAME [--id IDNO] [--trade CODE]\n"
    "                    [--format text|json] [--today DATE] [--db PATH]\n"
    "\n按证书编号和姓名（可加身份证号码、工种）核验一本证书，给出核验结论：\n"
    "有效、无证、查无此证、信息不符（并指出哪些项不符）、已过期、逾期未复审、已注销/吊销、\n"
    "暂扣、身份证号码无效、证书编号无效、需外部核验。\n"
    "\n  --number NO       证书编号，如 黔A012018000123 或 T+身份证号\n"
    "  --name NAME       持证人姓名\n"
    "  --id IDNO         持证人身份证号码（格式错误时结论为“身份证号码无效”）\n"
    "  --trade CODE      工种：代码（01、2.1）或名称（建筑电工）\n"
    "  --format FMT      text（默认）或 json（与 verify-roster jsonl 的一行相同，无 "
    "row）\n" CLI_COMMON_HELP;

int cmd_verify(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {{"number", required_argument, NULL, 'n'},
	                                         {"name", required_argument, NULL, 'N'},
	                                         {"id", required_argument, NULL, 'i'},
	                                         {"trade", required_argument, NULL, 't'},
	                                         {"format", required_argument, NULL, 'f'},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	struct claim c;
	struct verifier v;
	struct vresult r;
	struct store *st = NULL;
	struct err err;
	const char *format = "text";
	int opt, rc;

	memset(&c, 0, sizeof(c));
	c.valid_until = DATE_NONE;
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		switch (opt) {
		case 'n':
			c.number = optarg;
			continue;
		case 'N':
			c.name = optarg;
			continue;
		case 'i':
			c.id_number = optarg;
			continue;
		case 't':
			c.trade = optarg;
			continue;
		case 'f':
			format = optarg;
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
	if (!c.number || !*c.number)
		return cli_usage(cli, "缺少 --number（证书编号）");
	if (!c.name || !*c.name)
		return cli_usage(cli, "缺少 --name（持证人姓名）");
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
		return cli_usage(cli, "--format 只能是 text 或 json");
	{
		const char *args[] = {c.number, c.name, c.id_number, c.trade};

		for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++) {
			if (args[i] &&
			    (strlen(args[i]) > 256 || !utf8_valid(args[i], strlen(args[i]), NULL)))
				return cli_usage(cli, "参数不是有效的 UTF-8 文本或过长");
		}
	}
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		return rc;
	err_clear(&err);
	if (verifier_init(&v, st, cli->today, &err) < 0 || verify_claim(&v, &c, &r, &err) < 0) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	if (strcmp(format, "json") == 0)
		vout_jsonl(stdout, &r, 0);
	else
		vout_text(stdout, &r);
	rc = cli_finish_stdout(cli, r.verdict == V_VALID ? EXIT_ALL_VALID : EXIT_FINDINGS);
out:
	store_close(st);
	return rc;
}

enum roster_format { FMT_TABLE, FMT_CSV, FMT_JSONL };

struct roster_out {
	enum roster_format format;
	int any_finding;
};

static int print_row(const struct roster_result *r, void *arg, struct err *err)
{
	struct roster_out *o = arg;

	(void)err;
	if (r->v.verdict != V_VALID)
		o->any_finding = 1;
	switch (o->format) {
	case FMT_TABLE:
		vout_table_row(stdout, &r->v, r->row);
		break;
	case FMT_CSV:
		vout_csv_row(stdout, &r->v, r->row);
		break;
	case FMT_JSONL:
		vout_jsonl(stdout, &r->v, r->row);
		break;
	}
	return 0;
}

/* The header goes out with the first row: a roster refused for an input
 * error prints nothing on stdout. */
static int print_first(const struct roster_result *r, void *arg, struct err *err);

struct first_state {
	struct roster_out out;
	int started;
};

static int print_first(const struct roster_result *r, void *arg, struct err *err)
{
	struct first_state *s = arg;

	if (!s->started) {
		s->started = 1;
		if (s->out.format == FMT_TABLE)
			vout_table_header(stdout);
		else if (s->out.format == FMT_CSV)
			vout_csv_header(stdout);
	}
	return print_row(r, &s->out, err);
}

const char cmd_verify_roster_help[] =
    "用法：opcert verify-roster FILE.csv [--format table|csv|jsonl] [--today DATE] [--db PATH]\n"
    "\n逐行核验《施工单位特种作业人员持证情况自查登记表》（附件1）中的人员，\n"
    "并找出同一证书被多人使用（疑似转借/冒用）的行。\n"
    "\n  --format FMT      table（默认，附汇总）、csv（可用 Excel 打开）或 jsonl（每行一个JSON）\n"
    "\n表头：姓名, 性别, 身份证号码, 工种（或 特种作业岗位/工种、岗位）, 证书编号，\n"
    "  可选：发证机关, 有效期至, 项目名称。表头可在前10行内（表格标题、填报单位等行会跳过）。\n"
    "证书编号为空（或填“无”）表示无证上岗。合计、填表说明等行忽略。\n" CLI_COMMON_HELP;

int cmd_verify_roster(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {
	    {"format", required_argument, NULL, 'f'}, CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	struct first_state s;
	struct roster_summary sum;
	struct verifier v;
	struct store *st = NULL;
	struct err err;
	const char *path;
	int opt, rc;

	memset(&s, 0, sizeof(s));
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		if (opt == 'f') {
			if (strcmp(optarg, "table") == 0)
				s.out.format = FMT_TABLE;
			else if (strcmp(optarg, "csv") == 0)
				s.out.format = FMT_CSV;
			else if (strcmp(optarg, "jsonl") == 0)
				s.out.format = FMT_JSONL;
			else
				return cli_usage(cli, "--format 只能是 table、csv 或 jsonl");
			continue;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	if (optind + 1 != argc)
		return cli_usage(cli, optind == argc ? "缺少花名册文件" : "一次只能核验一个文件");
	path = argv[optind];
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		return rc;
	err_clear(&err);
	if (verifier_init(&v, st, cli->today, &err) < 0 ||
	    roster_verify_file(path, &v, print_first, &s, &sum, &err) < 0) {
		rc = cli_fail(cli, &err, path);
		goto out;
	}
	if (sum.rows == 0) {
		fprintf(stderr, "opcert verify-roster: %s: 没有人员数据行\n", path);
		rc = EXIT_USAGE;
		goto out;
	}
	if (s.out.format == FMT_TABLE)
		vout_summary(stdout, &sum);
	rc = cli_finish_stdout(cli, s.out.any_finding ? EXIT_FINDINGS : EXIT_ALL_VALID);
out:
	store_close(st);
	return rc;
}
