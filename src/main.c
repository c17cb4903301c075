/*
 * main.c - the `opcert` command line: the command table and dispatch.
 * Every command lives in its own cmd_*.c and is declared here, once.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"

int cmd_init(int argc, char **argv, struct cli *cli);
int cmd_import(int argc, char **argv, struct cli *cli);
int cmd_verify(int argc, char **argv, struct cli *cli);
int cmd_verify_roster(int argc, char **argv, struct cli *cli);
int cmd_check_id(int argc, char **argv, struct cli *cli);
int cmd_demo(int argc, char **argv, struct cli *cli);
static int cmd_help(int argc, char **argv, struct cli *cli);
static int cmd_version(int argc, char **argv, struct cli *cli);

#define COMMON_HELP                                                                                                      \
	"\n通用选项：\n"                                                                                            \
	"  --db PATH         数据库文件（默认：环境变量 OPCERT_DB，否则 ./opcert.db）\n"                \
	"  --today DATE      按指定日期核验（YYYY-MM-DD，默认为中国当天日期），便于复现结果\n" \
	"  -h, --help        显示本帮助\n"                                                                          \
	"\n退出状态：0 全部有效；1 存在其他结论；2 用法或输入错误；3 系统错误。\n"

static const struct command commands[] = {
    {"init", cmd_init, "创建数据库或升级其结构",
     "用法：opcert init [--db PATH]\n"
     "\n创建证书登记数据库（SQLite），已存在时应用尚未执行的结构升级。可重复运行。\n" COMMON_HELP},
    {"import", cmd_import, "导入证书登记表（CSV）",
     "用法：opcert import FILE.csv [--update] [--db PATH]\n"
     "\n把证书登记表导入数据库。整个文件在一个事务中导入：任何一行有错，全部不导入，\n"
     "并指出文件、行号、列名和原因。\n"
     "\n  --update          已在登记库中的证书编号按文件内容更新，并记录变更；\n"
     "                    不加此选项时，已存在的编号视为输入错误。\n"
     "\n文件格式：UTF-8（可带BOM）、GBK/GB18030 或 UTF-16；逗号或制表符分隔；列顺序不限。\n"
     "表头（中文或英文）：证书编号|number, 姓名|name, 性别|gender, 身份证号码|id_number,\n"
     "  工种|trade, 发证机关|issuer, 发证日期|issued_on, 有效期至|valid_until,\n"
     "  复审日期|review_due（可选）, 状态|status（有效/暂扣/注销，可选）,\n"
     "  培训机构|training_institution（可选）。其他列（序号、备注等）忽略。\n"
     "日期可写作 2018-08-09、2018/8/9、2018.8.9 或 2018年8月9日。\n"
     "身份证号码列必须设置为“文本”格式，否则 Excel 会丢失末尾数字。\n" COMMON_HELP},
    {"verify", cmd_verify, "核验一本证书",
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
     "row）\n" COMMON_HELP},
    {"verify-roster", cmd_verify_roster, "核验一个项目的特种作业人员花名册（附件1）",
     "用法：opcert verify-roster FILE.csv [--format table|csv|jsonl] [--today DATE] [--db PATH]\n"
     "\n逐行核验《施工单位特种作业人员持证情况自查登记表》（附件1）中的人员，\n"
     "并找出同一证书被多人使用（疑似转借/冒用）的行。\n"
     "\n  --format FMT      table（默认，附汇总）、csv（可用 Excel 打开）或 jsonl（每行一个JSON）\n"
     "\n表头：姓名, 性别, 身份证号码, 工种（或 特种作业岗位/工种、岗位）, 证书编号，\n"
     "  可选：发证机关, 有效期至, 项目名称。表头可在前10行内（表格标题、填报单位等行会跳过）。\n"
     "证书编号为空（或填“无”）表示无证上岗。合计、填表说明等行忽略。\n" COMMON_HELP},
    {"check-id", cmd_check_id, "检查身份证号码是否有效（GB 11643）",
     "用法：opcert check-id IDNO... [--today DATE]\n"
     "\n逐个检查身份证号码：18位、前17位为数字、末位为数字或X、省份代码、出生日期、校验码。\n"
     "全部有效时退出状态为0，否则为1，并说明每个号码的原因。\n" COMMON_HELP},
    {"demo", cmd_demo, "生成演示数据（虚构的登记表和花名册）",
     "用法：opcert demo [--certificates N] [--roster N] [--seed S] [--out DIR] [--import]\n"
     "\n在 DIR（默认 ./demo）中生成确定性的虚构数据：\n"
     "  register.csv           证书登记表（虚构的贵阳发证记录，身份证号校验码正确）\n"
     "  roster-clean.csv       某虚构施工单位的花名册，全部应核验为有效\n"
     "  roster-violations.csv  植入各类违规的花名册，“预期核验结果”列写明应得结论\n"
     "\n  --certificates N  登记表行数（默认 1000，至少 50）\n"
     "  --roster N        roster-clean.csv 行数（默认 30）\n"
     "  --seed S          随机种子（默认 1）\n"
     "  --out DIR         输出目录\n"
     "  --import          同时把登记表导入数据库（不存在则创建）\n"
     "  --today DATE      数据围绕该日期生成（核验时请用同一日期）\n" COMMON_HELP},
    {"help", cmd_help, "显示帮助：opcert help [COMMAND]",
     "用法：opcert help [COMMAND]\n\n不带参数时列出全部命令；带命令名时显示该命令的帮助。\n"},
    {"version", cmd_version, "显示版本", "用法：opcert version\n\n显示 opcert 的版本号。\n"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

const struct command *cli_find(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

void cli_print_help(const struct command *c)
{
	fputs(c->help, stdout);
}

static void print_overview(FILE *f)
{
	size_t i;

	fputs("opcert — 特种作业操作证防伪核验系统\n"
	      "\n用法：opcert COMMAND [选项]\n\n命令：\n",
	      f);
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(f, "  %-15s %s\n", commands[i].name, commands[i].summary);
	fputs("\n每个命令的选项：opcert COMMAND --help\n"
	      "快速体验：opcert demo --import && opcert verify-roster demo/roster-violations.csv\n",
	      f);
}

/* Parse only the common options; returns -1 to go on, else an exit status. */
static int common_only(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	return -1;
}

static int cmd_help(int argc, char **argv, struct cli *cli)
{
	const struct command *c;
	int rc = common_only(argc, argv, cli);

	if (rc >= 0)
		return rc;
	if (optind >= argc) {
		print_overview(stdout);
		return EXIT_ALL_VALID;
	}
	if (optind + 1 < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind + 1]);
	c = cli_find(argv[optind]);
	if (!c) {
		fprintf(stderr, "opcert: 没有命令“%s”，可用命令见 opcert help\n", argv[optind]);
		return EXIT_USAGE;
	}
	cli_print_help(c);
	return EXIT_ALL_VALID;
}

static int cmd_version(int argc, char **argv, struct cli *cli)
{
	int rc = common_only(argc, argv, cli);

	if (rc >= 0)
		return rc;
	if (optind < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind]);
	printf("opcert %s\n", OPCERT_VERSION);
	return cli_finish_stdout(cli, EXIT_ALL_VALID);
}

int cli_common_option(struct cli *cli, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_DB:
		if (!*arg)
			return cli_usage(cli, "--db 不能为空");
		cli->db = arg;
		return -2;
	case CLI_OPT_TODAY:
		if (date_parse(arg, strlen(arg), &cli->today) < 0)
			return cli_usage(cli, "--today 的日期“%s”无效（应为 YYYY-MM-DD）", arg);
		return -2;
	case 'h':
		cli_print_help(cli_find(cli->command));
		return EXIT_ALL_VALID;
	case '?':
	case ':':
		/* getopt_long has printed what was wrong. */
		fprintf(stderr, "用法见 opcert %s --help\n", cli->command);
		return EXIT_USAGE;
	default:
		return -1;
	}
}

int cli_usage(const struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "opcert %s: ", cli->command);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n用法见 opcert %s --help\n", cli->command);
	return EXIT_USAGE;
}

int cli_fail(const struct cli *cli, const struct err *err, const char *file)
{
	char buf[1024];

	fprintf(stderr, "opcert %s: %s\n", cli->command, err_format(err, file, buf, sizeof(buf)));
	return err->kind == ERR_INPUT ? EXIT_USAGE : EXIT_SYSTEM;
}

int cli_open_store(const struct cli *cli, int flags, struct store **st)
{
	struct err err;

	err_clear(&err);
	if (store_open(cli->db, flags, st, &err) < 0)
		return cli_fail(cli, &err, NULL);
	return 0;
}

int cli_finish_stdout(const struct cli *cli, int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "opcert %s: 写入标准输出失败\n", cli->command);
		return EXIT_SYSTEM;
	}
	return status;
}

int main(int argc, char **argv)
{
	struct cli cli;
	const struct command *c;
	const char *env;

	if (argc < 2) {
		print_overview(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		print_overview(stdout);
		return EXIT_ALL_VALID;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("opcert %s\n", OPCERT_VERSION);
		return EXIT_ALL_VALID;
	}
	c = cli_find(argv[1]);
	if (!c) {
		fprintf(stderr, "opcert: 没有命令“%s”，可用命令见 opcert help\n", argv[1]);
		return EXIT_USAGE;
	}
	memset(&cli, 0, sizeof(cli));
	cli.command = c->name;
	env = getenv("OPCERT_DB");
	cli.db = env && *env ? env : "opcert.db";
	cli.today = date_today_china();
	optind = 1;
	return c->run(argc - 1, argv + 1, &cli);
}
