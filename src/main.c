/*
 * main.c - the `opcert` command line: main() and the command table, the
 * one list of the commands with the line `opcert help` shows for each.
 * Every command lives in its own file (src/cmd/; serve in src/http/) with
 * its help text, both declared once in cmd.h; help and version, which
 * read the table, are here.  What the commands share is cli.c's, which
 * knows no command: main() hands each its name and help text in struct
 * cli.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "date.h"

static int cmd_help(int argc, char **argv, struct cli *cli);
static int cmd_version(int argc, char **argv, struct cli *cli);

struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *cli);
	const char *summary; /* one line for `opcert help` */
	const char *help;    /* the whole of `opcert NAME --help` */
};

static const struct command commands[] = {
    {"init", cmd_init, "创建数据库或升级其结构", cmd_init_help},
    {"import", cmd_import, "导入证书登记表（CSV）", cmd_import_help},
    {"show", cmd_show, "显示一本证书的登记记录（身份证号码默认脱敏）", cmd_show_help},
    {"verify", cmd_verify, "核验一本证书", cmd_verify_help},
    {"verify-roster", cmd_verify_roster, "核验一个项目的特种作业人员花名册（附件1）",
     cmd_verify_roster_help},
    {"check-id", cmd_check_id, "检查身份证号码是否有效（GB 11643）", cmd_check_id_help},
    {"demo", cmd_demo, "生成演示数据（虚构的登记表和花名册）", cmd_demo_help},
    {"renew", cmd_renew, "记录延期复核/复审通过（新的有效期）", cmd_renew_help},
    {"suspend", cmd_suspend, "记录暂扣证书", cmd_suspend_help},
    {"reinstate", cmd_reinstate, "记录恢复被暂扣的证书", cmd_reinstate_help},
    {"revoke", cmd_revoke, "记录注销/吊销证书", cmd_revoke_help},
    {"amend", cmd_amend, "公开更正登记记录中的一项（记入透明日志）", cmd_amend_help},
    {"log", cmd_log, "透明日志：检查点、包含证明、一致性证明、核查", cmd_log_help},
    {"key", cmd_key, "签名密钥：init、rotate、list、backup、restore", cmd_key_help},
    {"trust", cmd_trust, "导出签名的信任列表", cmd_trust_help},
    {"cred", cmd_cred, "签发或核验带签名的二维码凭证", cmd_cred_help},
    {"photo", cmd_photo, "为证书附上持证人照片", cmd_photo_help},
    {"status", cmd_status, "导出签名的证书状态列表（吊销列表）", cmd_status_help},
    {"config", cmd_config, "查看或修改设置（官方核验网址）", cmd_config_help},
    {"company", cmd_company, "施工单位和监理单位：添加、导入、列出、修改、注销", cmd_company_help},
    {"project", cmd_project, "工程项目：添加、导入、列出、修改、关闭", cmd_project_help},
    {"worker", cmd_worker, "项目上的特种作业人员：登记（同时核验证书）、导入、列出、离开",
     cmd_worker_help},
    {"institution", cmd_institution, "安全培训机构：添加、列出、修改、注销", cmd_institution_help},
    {"user", cmd_user, "账号：添加、改密码、停用、列出", cmd_user_help},
    {"token", cmd_token, "接口令牌（供程序调用）：新建、吊销", cmd_token_help},
    {"audit", cmd_audit, "审计记录：列出、核查是否被篡改", cmd_audit_help},
    {"probe", cmd_probe, "身份证号码核对次数限制：列出试错记录、清除", cmd_probe_help},
    {"serve", cmd_serve, "启动 HTTP 服务：核验接口和公众查询网页", cmd_serve_help},
    {"help", cmd_help, "显示帮助：opcert help [COMMAND]",
     "用法：opcert help [COMMAND]\n\n不带参数时列出全部命令；带命令名时显示该命令的帮助。\n"},
    {"version", cmd_version, "显示版本", "用法：opcert version\n\n显示 opcert 的版本号。\n"},
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
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

static int cmd_help(int argc, char **argv, struct cli *cli)
{
	const struct command *c;
	int rc = cli_common_options(argc, argv, cli);

	if (rc >= 0)
		return rc;
	if (optind >= argc) {
		print_overview(stdout);
		return EXIT_ALL_VALID;
	}
	if (optind + 1 < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind + 1]);
	c = find_command(argv[optind]);
	if (!c) {
		fprintf(stderr, "opcert: 没有命令“%s”，可用命令见 opcert help\n", argv[optind]);
		return EXIT_USAGE;
	}
	fputs(c->help, stdout);
	return EXIT_ALL_VALID;
}

static int cmd_version(int argc, char **argv, struct cli *cli)
{
	int rc = cli_common_options(argc, argv, cli);

	if (rc >= 0)
		return rc;
	if (optind < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind]);
	printf("opcert %s\n", OPCERT_VERSION);
	return cli_finish_stdout(cli, EXIT_ALL_VALID);
}

/* A common option that takes an argument (--db x, --db=x), as main() sees one before the command.
 */
static int takes_argument(const char *word)
{
	static const char *const names[] = {"--db", "--today", "--keys", "--passphrase-file"};
	size_t i, len = strcspn(word, "=");

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && strncmp(word, names[i], len) == 0)
			return word[len] != '=';
	return 0;
}

/*
 * Options before the command (`opcert --db x verify ...`): say that they
 * go after it, showing the line written the right way when the command is
 * there.  Returns EXIT_USAGE.
 */
static int options_first(int argc, char **argv)
{
	int i = 1, j;

	while (i < argc && argv[i][0] == '-')
		i += takes_argument(argv[i]) ? 2 : 1;
	if (i >= argc || !find_command(argv[i])) {
		fprintf(
		    stderr,
		    "opcert: 选项要写在命令之后：opcert COMMAND %s …（可用命令见 opcert help）\n",
		    argv[1]);
		return EXIT_USAGE;
	}
	fprintf(stderr, "opcert: 选项要写在命令之后，应为：opcert");
	for (j = i; j < argc; j++)
		fprintf(stderr, " %s", argv[j]);
	for (j = 1; j < i; j++)
		fprintf(stderr, " %s", argv[j]);
	fprintf(stderr, "\n");
	return EXIT_USAGE;
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
	if (argv[1][0] == '-')
		return options_first(argc, argv);
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "opcert: 没有命令“%s”，可用命令见 opcert help\n", argv[1]);
		return EXIT_USAGE;
	}
	if (sodium_init() < 0) {
		fprintf(stderr, "opcert: 无法初始化加密库\n");
		return EXIT_SYSTEM;
	}
	memset(&cli, 0, sizeof(cli));
	cli.command = c->name;
	cli.help = c->help;
	env = getenv("OPCERT_DB");
	cli.db = env && *env ? env : "opcert.db";
	cli.today = date_today_china();
	env = getenv("OPCERT_PASSPHRASE_FILE");
	cli.passphrase_file = env && *env ? env : NULL;
	optind = 1;
	opterr = 0; /* cli_getopt says what was wrong, in Chinese */
	return c->run(argc - 1, argv + 1, &cli);
}
