/*
 * cmd_tools.c - `opcert check-id` and `opcert demo`: commands that need
 * no register to answer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "demo.h"
#include "idnum.h"
#include "import.h"
#include "org.h"
#include "trail.h"

/* Which character is not allowed, and where: “０”（第18位） */
static void print_refused_char(const char *id)
{
	char name[TEXT_CHAR_NAME_SIZE];
	size_t at = idnum_refused_char(id, strlen(id), name);

	if (at)
		printf("%s（第%zu位）", name, at);
}

const char cmd_check_id_help[] =
    "用法：opcert check-id IDNO... [--today DATE]\n"
    "\n逐个检查身份证号码：18位、前17位为数字、末位为数字或X、省份代码、出生日期、校验码。\n"
    "全部有效时退出状态为0，否则为1，并说明每个号码的原因。\n" CLI_COMMON_HELP;

int cmd_check_id(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	int opt, rc, i, status = EXIT_ALL_VALID;

	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	if (optind == argc)
		return cli_usage(cli, "缺少要检查的身份证号码");
	for (i = optind; i < argc; i++) {
		char id[IDNUM_SIZE], birth[DATE_TEXT_MAX];
		enum idnum_error e = idnum_check(argv[i], strlen(argv[i]), cli->today, id);

		if (e == IDNUM_OK) {
			printf("%s：有效（%s，出生日期 %s）\n", argv[i],
			       idnum_gender(id) == 1 ? "男" : "女",
			       date_format(idnum_birth(id), birth));
		} else {
			printf("%s：无效：%s", argv[i], idnum_reason(e));
			if (e == IDNUM_CHARS)
				print_refused_char(argv[i]);
			printf("%s\n", idnum_excel_mangled(argv[i], strlen(argv[i]))
			                   ? "（疑似被 Excel 转换为数字，请将该列设为文本格式）"
			                   : "");
			status = EXIT_FINDINGS;
		}
	}
	return cli_finish_stdout(cli, status);
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static void demo_progress(long done, long total, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r生成演示数据 %ld / %ld 行……", done, total);
	fflush(stderr);
}

static void import_progress(long rows, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r已导入 %ld 行……", rows);
	fflush(stderr);
}

/* Import the demo's companies and then its projects (running the demo
 * again finds them unchanged). */
static int demo_import_orgs(const struct cli *cli, struct store *st, const char *dir, int64_t now)
{
	struct org_import_stats companies, projects;
	struct actor who;
	struct err err;
	char path[4096];

	actor_cli(&who);
	err_clear(&err);
	snprintf(path, sizeof(path), "%s/companies.csv", dir);
	if (org_company_import(st, &who, path, now, &companies, &err) < 0)
		return cli_fail(cli, &err, path);
	snprintf(path, sizeof(path), "%s/projects.csv", dir);
	if (org_project_import(st, &who, path, cli->today, now, &projects, &err) < 0)
		return cli_fail(cli, &err, path);
	printf("已导入单位：新增 %ld 家，未变 %ld 家；项目：新增 %ld 个，未变 %ld 个\n",
	       companies.inserted, companies.unchanged, projects.inserted, projects.unchanged);
	return EXIT_ALL_VALID;
}

const char cmd_demo_help[] =
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
    "  --today DATE      数据围绕该日期生成（核验时请用同一日期）\n" CLI_COMMON_HELP;

int cmd_demo(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {{"certificates", required_argument, NULL, 'c'},
	                                         {"roster", required_argument, NULL, 'r'},
	                                         {"seed", required_argument, NULL, 's'},
	                                         {"out", required_argument, NULL, 'o'},
	                                         {"import", no_argument, NULL, 'i'},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	struct demo_options o;
	struct import_options io;
	struct import_stats stats;
	struct store *st = NULL;
	struct err err;
	const char *dir = "demo";
	char path[4096];
	long value;
	int opt, rc, do_import = 0, tty = isatty(STDERR_FILENO);

	memset(&o, 0, sizeof(o));
	o.certificates = 1000;
	o.roster_rows = 30;
	o.seed = 1;
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		switch (opt) {
		case 'c':
			if (parse_long(optarg, DEMO_MIN_CERTIFICATES, 1000000, &o.certificates) < 0)
				return cli_usage(cli,
				                 "--certificates 应为 %d 到 1000000 之间的整数",
				                 DEMO_MIN_CERTIFICATES);
			continue;
		case 'r':
			if (parse_long(optarg, 0, 1000000, &o.roster_rows) < 0)
				return cli_usage(cli, "--roster 应为 0 到 1000000 之间的整数");
			continue;
		case 's':
			if (parse_long(optarg, 0, 2147483647L, &value) < 0)
				return cli_usage(cli, "--seed 应为非负整数");
			o.seed = (uint64_t)value;
			continue;
		case 'o':
			dir = optarg;
			continue;
		case 'i':
			do_import = 1;
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
	if (o.roster_rows > o.certificates * 8 / 10)
		return cli_usage(cli, "--roster 不能超过登记证书数的 80%%（只取有效证书）");
	o.today = cli->today;
	err_clear(&err);
	if (demo_write(&o, dir, tty ? demo_progress : NULL, NULL, &err) < 0) {
		if (tty)
			fputc('\n', stderr);
		return cli_fail(cli, &err, dir);
	}
	if (tty)
		fputc('\n', stderr);
	if (demo_write_orgs(&o, dir, &err) < 0)
		return cli_fail(cli, &err, dir);
	printf("已生成演示数据：%s/register.csv（%ld 本证书）、%s/roster-clean.csv（%ld 人）、"
	       "%s/roster-violations.csv\n",
	       dir, o.certificates, dir, o.roster_rows, dir);
	printf("单位和项目：%s/companies.csv、%s/projects.csv\n", dir, dir);
	if (!do_import)
		return cli_finish_stdout(cli, EXIT_ALL_VALID);

	rc = cli_open_store(cli, STORE_CREATE, &st);
	if (rc)
		return rc;
	snprintf(path, sizeof(path), "%s/register.csv", dir);
	memset(&io, 0, sizeof(io));
	io.update = 1; /* running the demo again refreshes, never fails */
	io.today = cli->today;
	io.now = date_now_seconds();
	io.source = path;
	io.progress = tty ? import_progress : NULL;
	if (import_register(st, path, &io, &stats, &err) < 0) {
		rc = cli_fail(cli, &err, path);
		goto out;
	}
	if (tty && stats.rows >= 100000)
		fputc('\n', stderr);
	printf("已导入数据库 %s：新增 %ld 本，更新 %ld 本，未变 %ld 本\n", cli->db, stats.inserted,
	       stats.updated, stats.unchanged);
	rc = demo_import_orgs(cli, st, dir, io.now);
	if (rc == EXIT_ALL_VALID)
		rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	store_close(st);
	return rc;
}
