/*
 * cmd_register.c - `opcert init`, `opcert import` and `opcert show`:
 * creating the database, loading the register into it and reading one
 * record back.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "cred.h"
#include "date.h"
#include "import.h"
#include "lifecycle.h"
#include "trail.h"

const char cmd_init_help[] =
    "用法：opcert init [--official-host HOST[:PORT]] [--db PATH]\n"
    "\n创建证书登记数据库（SQLite），已存在时应用尚未执行的结构升级。可重复运行。\n"
    "首次运行时在密钥目录（--keys，默认数据库旁的 keys/）创建数据密钥 data.key：身份证号码和\n"
    "应急管理证书编号（含身份证号码）在数据库中只以密文保存，没有这把密钥就读不出来。\n"
    "请用 opcert key backup 备份它。旧版本以明文保存的数据库由本命令重新加密。\n"
    "首次运行还登记市住建局及其处室和 14 个区（市、县）住建局。\n"
    "  --official-host HOST  官方核验网址（二维码中的 https://HOST/v），之后可用 opcert config "
    "修改\n" CLI_COMMON_HELP;

int cmd_init(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {{"official-host", required_argument, NULL, 'H'},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	struct store *st = NULL;
	struct err err;
	const char *host = NULL;
	long count = 0, backfilled = 0, resealed = 0;
	int opt, rc, version = 0;

	err_clear(&err);
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		if (opt == 'H') {
			if (cred_host_check(optarg, &err) < 0)
				return cli_fail(cli, &err, NULL);
			host = optarg;
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
	rc = cli_open_store_init(cli, &st, &resealed);
	if (rc)
		return rc;
	if (store_schema_version(st, &version, &err) < 0 ||
	    store_cert_count(st, &count, &err) < 0 ||
	    (host && store_config_set(st, "official-host", host, &err) < 0) ||
	    lifecycle_backfill(st, date_now_seconds(), &backfilled, &err) < 0) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	printf("数据库 %s 已就绪（结构版本 %d，登记证书 %ld 本）\n", cli->db, version, count);
	if (resealed)
		printf("已把 %ld "
		       "项个人信息（身份证号码、应急管理证书编号）加密保存，数据库中不再留有明文\n",
		       resealed);
	if (backfilled)
		printf("已把此前登记的 %ld 本证书补记入透明日志\n", backfilled);
	if (host)
		printf("官方核验网址：%s%s/v\n", cred_url_scheme(host), host);
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	store_close(st);
	return rc;
}

static void progress(long rows, void *arg)
{
	(void)arg;
	fprintf(stderr, "\r已读取 %ld 行……", rows);
	fflush(stderr);
}

const char cmd_import_help[] =
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
    "身份证号码列必须设置为“文本”格式，否则 Excel 会丢失末尾数字。\n" CLI_COMMON_HELP;

int cmd_import(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {
	    {"update", no_argument, NULL, 'u'}, CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	struct import_options o;
	struct import_stats stats;
	struct store *st = NULL;
	struct err err;
	const char *path;
	int opt, rc;

	memset(&o, 0, sizeof(o));
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		if (opt == 'u') {
			o.update = 1;
			continue;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	if (optind + 1 != argc)
		return cli_usage(cli, optind == argc ? "缺少要导入的文件" : "一次只能导入一个文件");
	path = argv[optind];
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	o.today = cli->today;
	o.now = date_now_seconds();
	o.source = path;
	if (isatty(STDERR_FILENO))
		o.progress = progress;
	err_clear(&err);
	rc = import_register(st, path, &o, &stats, &err);
	if (o.progress && stats.rows >= 100000)
		fputc('\n', stderr);
	if (rc < 0) {
		if (o.progress)
			fputc('\n', stderr);
		rc = cli_fail(cli, &err, path);
		fprintf(stderr, "opcert import: 未导入任何数据\n");
		goto out;
	}
	printf("已导入 %s：共 %ld 行，新增 %ld 本", path, stats.rows, stats.inserted);
	if (o.update)
		printf("，更新 %ld 本，未变 %ld 本", stats.updated, stats.unchanged);
	printf("\n");
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	store_close(st);
	return rc;
}

/* One labelled line of `opcert show`; empty values print as "—". */
static void show_line(const char *label, const char *value)
{
	printf("%s：%s\n", label, value && *value ? value : "—");
}

static const char *json_text(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

const char cmd_show_help[] =
    "用法：opcert show 证书编号 [--full-id] [--json] [--db PATH]\n"
    "\n显示登记库中这本证书的全部字段。身份证号码和应急管理证书编号（含身份证号码）默认脱敏。\n"
    "  --full-id   显示完整的身份证号码；每次查看都以当前系统用户的名义记入审计记录\n"
    "              （opcert audit list 可查）\n"
    "  --json      以 JSON 输出\n"
    "\n退出状态：0 找到；1 登记库中没有这本证书；2 用法错误；3 系统错误。\n";

int cmd_show(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {{"full-id", no_argument, NULL, 'F'},
	                                         {"json", no_argument, NULL, 'j'},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	struct certno no;
	struct cert c;
	struct store *st = NULL;
	struct actor who;
	struct err err;
	json_t *rec = NULL;
	char object[CERTNO_SIZE + 8], masked[CERTNO_SIZE];
	const struct trade *t;
	char trade[160];
	int opt, rc, full = 0, as_json = 0;

	err_clear(&err);
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		if (opt == 'F' || opt == 'j') {
			*(opt == 'F' ? &full : &as_json) = 1;
			continue;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	if (optind + 1 != argc)
		return cli_usage(cli, "需要一个证书编号");
	if (certno_parse(argv[optind], strlen(argv[optind]), &no) < 0)
		return cli_usage(cli, "“%.60s”不是有效的证书编号", argv[optind]);
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	rc = store_cert_get(st, no.text, &c, &err);
	if (rc < 0) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	if (rc == 0) {
		certno_mask(no.text, masked);
		fprintf(stderr, "opcert show: 登记库中没有证书 %s\n", masked);
		rc = EXIT_FINDINGS;
		goto out;
	}
	if (full) {
		/* Seeing a full ID number is itself recorded, before it is shown. */
		actor_cli(&who);
		certno_mask(c.number, masked);
		snprintf(object, sizeof(object), "cert:%s", masked);
		if (trail_view(st, &who, date_now_seconds(), "id.view", object, &err) < 0) {
			rc = cli_fail(cli, &err, NULL);
			goto out;
		}
	}
	rec = cert_record_json(&c, full);
	if (!rec) {
		fprintf(stderr, "opcert show: 内存不足\n");
		rc = EXIT_SYSTEM;
		goto out;
	}
	if (as_json) {
		json_dumpf(rec, stdout, JSON_INDENT(2));
		putchar('\n');
	} else {
		t = trade_find(c.system, c.trade, strlen(c.trade));
		show_line("证书编号", json_text(rec, "number"));
		show_line("证书体系", c.system == SYS_EMERGENCY ? "应急管理" : "住房城乡建设");
		show_line("姓名", c.name);
		show_line("性别", gender_label(c.gender));
		show_line("身份证号", json_text(rec, "id_number"));
		if (t)
			snprintf(trade, sizeof(trade), "%s %s", t->code, t->name);
		show_line("工种", t ? trade : c.trade);
		show_line("发证机关", c.issuer);
		show_line("发证日期", json_text(rec, "issued_on"));
		show_line("有效期至", json_text(rec, "valid_until"));
		show_line("复审日期", json_text(rec, "review_due"));
		show_line("状态", cert_status_label(c.status));
		show_line("培训机构", c.training_institution);
		if (!full)
			printf("\n身份证号码已脱敏；--full-id "
			       "显示完整号码（每次查看都记入审计记录）。\n");
	}
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	json_decref(rec);
	store_close(st);
	return rc;
}
