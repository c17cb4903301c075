/*
 * cmd_worker.c - `opcert worker`: the special-operation workers registered
 * on a project (worker.h).
 *
 *   opcert worker add --project ID --name NAME --id IDNUM [--number N]
 *                     [--gender 男|女] [--post TEXT]
 *   opcert worker import [--project ID] FILE
 *   opcert worker list --project ID [--all] [--json]
 *   opcert worker remove ID
 *
 * add and import check each card against the register as they register it
 * and exit 1 when any verdict is not valid (the registration is made all
 * the same), like every verifying command.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "org.h"
#include "worker.h"

const char cmd_worker_help[] =
    "用法：opcert worker add --project ID --name NAME --id IDNUM [--number N]\n"
    "                        [--gender 男|女] [--post TEXT]\n"
    "      opcert worker import [--project ID] FILE\n"
    "      opcert worker list --project ID [--all] [--json]\n"
    "      opcert worker remove ID\n"
    "\n登记项目上的特种作业人员（施工单位登记其项目的特种作业岗位和人员）。\n"
    "登记时按证书登记库核验证书，并保存核验结论和日期；同一证书同时登记在另一个\n"
    "未竣工项目上的，结论为“疑似转借/冒用”。\n"
    "\n  add      登记一名人员。--name 姓名、--id 身份证号码（须有效）必填；\n"
    "           --number 证书编号（没有证书的不填，结论为“无证”）；\n"
    "           --post 特种作业岗位/工种（不填时取登记库中证书的工种）；\n"
    "           --gender 性别（填写时须与身份证号一致）。\n"
    "  import   从人员花名册（CSV/TSV，Excel 另存的 UTF-8 或 GBK 均可）登记，\n"
    "           列与 opcert verify-roster 相同：姓名、性别、身份证号码、工种、证书编号……\n"
    "           全部成功才写入；任何一行有错都不写入，并指出行号和列名。\n"
    "           已在项目上的人员计为“已登记”，重复导入同一文件不会出错。\n"
    "           不给 --project 时，每行登记到“项目名称”列所写的项目（须是未竣工的\n"
    "           已登记项目）；给出时，全部登记到该项目，写了其他项目名称的行报错。\n"
    "  list     列出项目上的人员（身份证号码部分隐藏；--all 含已离开的）。\n"
    "  remove   人员离开项目：登记记录保留，标明离开时间。ID 为登记编号（见 list）。\n"
    "\n  --project ID      项目编号（见 opcert project list）\n"
    "  --json            list 以 JSON 输出\n"
    "\n人员登记也决定谁能看完整身份证号码：项目所在区的区住建局工作人员和项目的\n"
    "施工单位，可以查看登记时所填身份证号码与登记库一致的人员的完整号码，\n"
    "直到人员离开项目或项目竣工、关闭；每次查看都记入审计记录。\n"
    "每次登记和离开都记入审计记录。\n" CLI_COMMON_HELP;

enum { W_PROJECT, W_NAME, W_ID, W_NUMBER, W_GENDER, W_POST, W_ALL, W_JSON, W_COUNT };

static const struct option longopts[] = {
    {"project", required_argument, NULL, CLI_OPT_OWN + W_PROJECT},
    {"name", required_argument, NULL, CLI_OPT_OWN + W_NAME},
    {"id", required_argument, NULL, CLI_OPT_OWN + W_ID},
    {"number", required_argument, NULL, CLI_OPT_OWN + W_NUMBER},
    {"gender", required_argument, NULL, CLI_OPT_OWN + W_GENDER},
    {"post", required_argument, NULL, CLI_OPT_OWN + W_POST},
    {"all", no_argument, NULL, CLI_OPT_OWN + W_ALL},
    {"json", no_argument, NULL, CLI_OPT_OWN + W_JSON},
    CLI_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

#define OPT(i) (1u << (i))

/* A positive decimal id, 0 when s is not one. */
static int64_t parse_id(const char *s)
{
	char *end;
	long long v;

	if (!s || *s < '1' || *s > '9')
		return 0;
	v = strtoll(s, &end, 10);
	return *end || v <= 0 ? 0 : (int64_t)v;
}

/* Parse by allowed options and operands; the project id of --project into
 * *project (required when need_project).  -1 to go on, else an exit status. */
static int parse(int argc, char **argv, struct cli *cli, unsigned allowed, int operands,
                 const char *missing, const char **v, const char **operand, int64_t *project,
                 int need_project)
{
	const struct cli_syntax syn = {longopts, allowed, operands, missing};
	const char *none;
	int rc = cli_parse(cli, argc, argv, &syn, v, operand ? operand : &none);

	if (rc >= 0)
		return rc;
	if (project && (need_project || v[W_PROJECT])) {
		if (!v[W_PROJECT])
			return cli_usage(
			    cli, "%s 缺少 --project（项目编号，见 opcert project list）", argv[0]);
		*project = parse_id(v[W_PROJECT]);
		if (!*project)
			return cli_usage(cli, "项目编号“%s”无效（应为正整数）", v[W_PROJECT]);
	}
	return -1;
}

static void findings_text(verdict_mask m, char *out, size_t size)
{
	size_t n = 0;
	int v;

	out[0] = '\0';
	for (v = V_COUNT; n < size && (v = verdict_next(m, v)) >= 0;) {
		int w = snprintf(out + n, size - n, "%s%s", n ? "、" : "", verdict_label(v));

		if (w < 0)
			break;
		n += (size_t)w;
	}
}

static int worker_add_cmd(int argc, char **argv, struct cli *cli)
{
	const char *v[W_COUNT] = {0};
	struct worker_input in;
	struct worker w;
	struct store *st = NULL;
	struct actor who;
	struct err err;
	int64_t project = 0;
	char id[IDNUM_SIZE], no[CERTNO_SIZE], found[256];
	int rc = parse(argc, argv, cli,
	               OPT(W_PROJECT) | OPT(W_NAME) | OPT(W_ID) | OPT(W_NUMBER) | OPT(W_GENDER) |
	                   OPT(W_POST),
	               0, NULL, v, NULL, &project, 1);

	if (rc >= 0)
		return rc;
	if (!v[W_NAME] || !v[W_ID])
		return cli_usage(cli, "add 须给出 --name（姓名）和 --id（身份证号码）");
	memset(&in, 0, sizeof(in));
	in.number = v[W_NUMBER];
	in.name = v[W_NAME];
	in.id_number = v[W_ID];
	in.gender = v[W_GENDER];
	in.post = v[W_POST];
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	err_clear(&err);
	actor_cli(&who);
	if (worker_add(st, &who, project, &in, cli->today, date_now_seconds(), NULL, &w, &err) <
	    0) {
		rc = cli_fail(cli, &err, NULL);
		store_close(st);
		return rc;
	}
	store_close(st);
	idnum_mask(w.id_number, id);
	certno_mask(w.number, no);
	printf("已登记：登记编号 %lld，%s（%s），证书编号 %s，岗位 %s\n", (long long)w.id, w.name,
	       id, w.number[0] ? no : "无", w.post[0] ? w.post : "未填");
	findings_text(w.findings, found, sizeof(found));
	printf("核验结论：%s%s%s%s\n", verdict_label(w.verdict), found[0] ? "（" : "", found,
	       found[0] ? "）" : "");
	rc = w.verdict == V_VALID ? EXIT_ALL_VALID : EXIT_FINDINGS;
	memset(&w, 0, sizeof(w));
	return cli_finish_stdout(cli, rc);
}

static int worker_import_cmd(int argc, char **argv, struct cli *cli)
{
	const char *v[W_COUNT] = {0}, *path = NULL;
	struct worker_import_stats s;
	struct store *st = NULL;
	struct actor who;
	struct err err;
	int64_t project = 0;
	long invalid = 0;
	int rc =
	    parse(argc, argv, cli, OPT(W_PROJECT), 1, "import 缺少文件", v, &path, &project, 0);
	int i;

	if (rc >= 0)
		return rc;
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	err_clear(&err);
	actor_cli(&who);
	rc = worker_import(st, &who, project, path, cli->today, date_now_seconds(), &s, &err);
	store_close(st);
	if (rc < 0)
		return cli_fail(cli, &err, path);
	printf("%s：%ld 行，新登记 %ld 人，已在项目上 %ld 人\n", path, s.rows, s.inserted,
	       s.unchanged);
	if (s.inserted) {
		printf("新登记人员的核验结论：");
		for (i = 0; i < V_COUNT; i++)
			if (s.by_verdict[i])
				printf("%s %ld  ", verdict_label((enum verdict)i), s.by_verdict[i]);
		putchar('\n');
	}
	for (i = 0; i < V_COUNT; i++)
		if (i != V_VALID)
			invalid += s.by_verdict[i];
	return cli_finish_stdout(cli, invalid ? EXIT_FINDINGS : EXIT_ALL_VALID);
}

struct list_ctx {
	struct cli_table t;
	json_t *json;
	int failed;
};

static int list_row(void *arg, const struct worker *w)
{
	struct list_ctx *c = arg;
	char idtxt[32], id[IDNUM_SIZE], no[CERTNO_SIZE], day[DATE_TEXT_MAX];
	const char *cells[8];

	if (c->json) {
		if (json_array_append_new(c->json, worker_json(w)) < 0)
			c->failed = 1;
		return c->failed;
	}
	snprintf(idtxt, sizeof(idtxt), "%lld", (long long)w->id);
	idnum_mask(w->id_number, id);
	certno_mask(w->number, no);
	cells[0] = idtxt;
	cells[1] = w->name;
	cells[2] = id;
	cells[3] = w->number[0] ? no : "无";
	cells[4] = w->post;
	cells[5] = verdict_label(w->verdict);
	cells[6] = date_format(w->checked_on, day);
	cells[7] = w->removed_at ? "已离开" : "在岗";
	if (cli_table_row(&c->t, cells) < 0)
		c->failed = 1;
	return c->failed;
}

static int worker_list_cmd(int argc, char **argv, struct cli *cli)
{
	static const char *const header[8] = {"登记编号",  "姓名",     "身份证号码", "证书编号",
	                                      "岗位/工种", "核验结论", "核验日期",   "状态"};
	const char *v[W_COUNT] = {0};
	struct list_ctx c;
	struct store *st = NULL;
	struct project p;
	struct err err;
	int64_t project = 0;
	int rc = parse(argc, argv, cli, OPT(W_PROJECT) | OPT(W_ALL) | OPT(W_JSON), 0, NULL, v, NULL,
	               &project, 1);

	if (rc >= 0)
		return rc;
	memset(&c, 0, sizeof(c));
	c.t.ncols = 8;
	if (v[W_JSON] && !(c.json = json_array()))
		return cli_usage(cli, "内存不足");
	if (!c.json && cli_table_row(&c.t, header) < 0)
		c.failed = 1;
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc) {
		json_decref(c.json);
		cli_table_free(&c.t);
		return rc;
	}
	err_clear(&err);
	rc = org_project_get(st, project, &p, &err);
	if (rc == 0)
		rc = err_input(&err, "项目编号 %lld 不存在", (long long)project);
	if (rc == 1)
		rc = worker_each(st, project, v[W_ALL] != NULL, list_row, &c, &err);
	store_close(st);
	if (rc < 0 || c.failed) {
		json_decref(c.json);
		cli_table_free(&c.t);
		if (rc < 0)
			return cli_fail(cli, &err, NULL);
		fprintf(stderr, "opcert worker: 内存不足\n");
		return EXIT_SYSTEM;
	}
	if (c.json) {
		rc = cli_print_json(c.json) < 0 ? EXIT_SYSTEM : EXIT_ALL_VALID;
	} else {
		if (c.t.nrows > 1)
			cli_table_print(&c.t);
		else
			printf("（项目 %lld 上没有登记人员）\n", (long long)project);
		cli_table_free(&c.t);
		rc = EXIT_ALL_VALID;
	}
	return cli_finish_stdout(cli, rc);
}

static int worker_remove_cmd(int argc, char **argv, struct cli *cli)
{
	const char *v[W_COUNT] = {0}, *operand = NULL;
	struct worker w;
	struct store *st = NULL;
	struct actor who;
	struct err err;
	int64_t id;
	int rc = parse(argc, argv, cli, 0, 1, "remove 缺少登记编号", v, &operand, NULL, 0);

	if (rc >= 0)
		return rc;
	id = parse_id(operand);
	if (!id)
		return cli_usage(cli, "登记编号“%s”无效（应为正整数）", operand);
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	err_clear(&err);
	actor_cli(&who);
	rc = worker_remove(st, &who, id, date_now_seconds(), &w, &err);
	store_close(st);
	if (rc < 0)
		return cli_fail(cli, &err, NULL);
	printf("已离开项目：登记编号 %lld，%s\n", (long long)w.id, w.name);
	memset(&w, 0, sizeof(w));
	return cli_finish_stdout(cli, EXIT_ALL_VALID);
}

int cmd_worker(int argc, char **argv, struct cli *cli)
{
	static const struct cli_sub subs[] = {
	    {"add", worker_add_cmd},
	    {"import", worker_import_cmd},
	    {"list", worker_list_cmd},
	    {"remove", worker_remove_cmd},
	};

	return cli_dispatch(argc, argv, cli, subs, sizeof(subs) / sizeof(subs[0]),
	                    "add、import、list、remove");
}
