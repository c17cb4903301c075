/*
 * cmd_org.c - `opcert company`, `opcert project` and `opcert institution`:
 * organisations and projects as data (org.h).  Each subcommand parses its
 * options, calls the library and prints one line (a change), a table in
 * Chinese or JSON (--json) for a list.
 */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "org.h"
#include "trail.h"
#include "vout.h"

/* ---- options ------------------------------------------------------------ */

enum {
	O_USCC,
	O_NAME,
	O_KIND,
	O_DISTRICT,
	O_CONTACT,
	O_PHONE,
	O_ADDRESS,
	O_BUILDER,
	O_SUPERVISOR,
	O_START,
	O_END,
	O_STATE,
	O_COMPANY,
	O_JSON,
	O_ALL,
	O_COUNT
};

#define OPT(o)     (1u << (o))
#define ORG_FIELDS (OPT(O_NAME) | OPT(O_DISTRICT) | OPT(O_CONTACT) | OPT(O_PHONE))
#define PROJ_FIELDS                                                                                \
	(OPT(O_NAME) | OPT(O_DISTRICT) | OPT(O_ADDRESS) | OPT(O_BUILDER) | OPT(O_SUPERVISOR) |     \
	 OPT(O_START) | OPT(O_END))

static const struct option longopts[] = {
    {"uscc", required_argument, NULL, CLI_OPT_OWN + O_USCC},
    {"name", required_argument, NULL, CLI_OPT_OWN + O_NAME},
    {"kind", required_argument, NULL, CLI_OPT_OWN + O_KIND},
    {"district", required_argument, NULL, CLI_OPT_OWN + O_DISTRICT},
    {"contact", required_argument, NULL, CLI_OPT_OWN + O_CONTACT},
    {"phone", required_argument, NULL, CLI_OPT_OWN + O_PHONE},
    {"address", required_argument, NULL, CLI_OPT_OWN + O_ADDRESS},
    {"builder", required_argument, NULL, CLI_OPT_OWN + O_BUILDER},
    {"supervisor", required_argument, NULL, CLI_OPT_OWN + O_SUPERVISOR},
    {"start", required_argument, NULL, CLI_OPT_OWN + O_START},
    {"end", required_argument, NULL, CLI_OPT_OWN + O_END},
    {"state", required_argument, NULL, CLI_OPT_OWN + O_STATE},
    {"company", required_argument, NULL, CLI_OPT_OWN + O_COMPANY},
    {"json", no_argument, NULL, CLI_OPT_OWN + O_JSON},
    {"all", no_argument, NULL, CLI_OPT_OWN + O_ALL},
    CLI_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0}};

struct args {
	const char *v[O_COUNT]; /* option values ("" for --json, --all); NULL = not given */
	const char *operand;    /* the one operand (a file, a code, an id, a name) */
	int64_t id;             /* the operand as a project number */
};

/* What a subcommand takes. */
struct syntax {
	unsigned allowed;         /* the options it accepts */
	int operands;             /* 0 or 1 */
	const char *operand_name; /* for "缺少..." */
	int project_id;           /* the operand is a project number (into id) */
	unsigned required;        /* options all required ... */
	const char *required_msg; /* ... or this message */
	unsigned any;             /* options at least one of which is required ... */
	const char *any_msg;      /* ... or this message */
};

static int parse_id(const struct cli *cli, const char *s, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v <= 0)
		return cli_usage(cli, "项目编号“%s”应为正整数（见 opcert project list）", s);
	*out = (int64_t)v;
	return -1;
}

/* Parse a subcommand's options and operand by syn.  -1 to go on, else an exit status. */
static int parse(int argc, char **argv, struct cli *cli, const struct syntax *syn, struct args *a)
{
	const struct cli_syntax cs = {longopts, syn->allowed, syn->operands, NULL};
	unsigned given = 0;
	int i, rc;

	memset(a, 0, sizeof(*a));
	rc = cli_parse(cli, argc, argv, &cs, a->v, &a->operand);
	if (rc >= 0)
		return rc;
	if (syn->operands && !a->operand)
		return cli_usage(cli, "%s 缺少%s", argv[0], syn->operand_name);
	if (syn->project_id && (rc = parse_id(cli, a->operand, &a->id)) >= 0)
		return rc;
	for (i = 0; i < O_COUNT; i++)
		if (a->v[i])
			given |= OPT(i);
	if ((given & syn->required) != syn->required)
		return cli_usage(cli, "%s", syn->required_msg);
	if (syn->any && !(given & syn->any))
		return cli_usage(cli, "%s", syn->any_msg);
	return -1;
}

/* ---- output helpers -------------------------------------------------------- */

/* Open the store for a list and look up its --district: -1 to go on, else an exit status. */
static int list_open(const struct cli *cli, const struct args *a, struct store **st, int64_t *id)
{
	const char *name = a->v[O_DISTRICT];
	struct org d;
	struct err err;
	int rc;

	*id = 0;
	rc = cli_open_store(cli, STORE_READONLY, st);
	if (rc)
		return rc;
	if (!name)
		return -1;
	err_clear(&err);
	rc = org_district_get(*st, name, &d, &err);
	if (rc < 0)
		rc = cli_fail(cli, &err, NULL);
	else if (rc == 0)
		rc = cli_usage(cli, "“%s”不是本市的区（市、县）", name);
	else {
		*id = d.id;
		return -1;
	}
	store_close(*st);
	return rc;
}

/* Collect the rows of a walk into a JSON array or a table. */
struct collect {
	json_t *array;
	struct cli_table table;
	int json;
	int failed;
};

static void collect_init(struct collect *c, int json, size_t ncols, const char *const *header)
{
	memset(c, 0, sizeof(*c));
	c->json = json;
	c->table.ncols = ncols;
	if (json)
		c->array = json_array();
	else if (cli_table_row(&c->table, header) < 0)
		c->failed = 1;
}

/* Print what was collected; empty says so in words for a human. */
static int collect_finish(const struct cli *cli, struct collect *c, const char *empty)
{
	int rc = EXIT_ALL_VALID;

	if (c->failed) {
		fprintf(stderr, "opcert %s: 内存不足\n", cli->command);
		rc = EXIT_SYSTEM;
	} else if (c->json) {
		if (cli_print_json(c->array) < 0)
			rc = EXIT_SYSTEM;
		c->array = NULL;
	} else if (c->table.nrows <= 1) {
		printf("%s\n", empty);
	} else {
		cli_table_print(&c->table);
	}
	json_decref(c->array);
	cli_table_free(&c->table);
	return cli_finish_stdout(cli, rc);
}

static const char *open_label(int64_t closed_at)
{
	return closed_at ? "已注销" : "正常";
}

static int collect_org(void *arg, const struct org *o)
{
	struct collect *c = arg;

	if (c->json) {
		if (json_array_append_new(c->array, org_json(o)) < 0)
			c->failed = 1;
		return 0;
	}
	if (o->kind == ORG_INSTITUTION) {
		const char *cells[] = {o->name, o->district ? o->district_name : "全市", o->contact,
		                       o->phone, open_label(o->closed_at)};

		if (cli_table_row(&c->table, cells) < 0)
			c->failed = 1;
	} else {
		const char *cells[] = {
		    o->uscc,    o->name,  org_kind_label(o->kind), o->district_name,
		    o->contact, o->phone, open_label(o->closed_at)};

		if (cli_table_row(&c->table, cells) < 0)
			c->failed = 1;
	}
	return 0;
}

/* The columns of a list and what it says when there are no rows. */
struct list_kind {
	size_t ncols;
	const char *const *header;
	const char *empty;
	/* walk the rows filter selects into collect */
	int (*each)(struct store *st, const void *filter, struct collect *c, struct err *err);
};

/* Print the rows kind->each walks and close st; an exit status. */
static int list_rows(const struct cli *cli, struct store *st, const struct args *a,
                     const struct list_kind *kind, const void *filter)
{
	struct collect c;
	struct err err;
	int rc;

	collect_init(&c, a->v[O_JSON] != NULL, kind->ncols, kind->header);
	err_clear(&err);
	if (kind->each(st, filter, &c, &err) < 0) {
		json_decref(c.array);
		cli_table_free(&c.table);
		rc = cli_fail(cli, &err, NULL);
	} else {
		rc = collect_finish(cli, &c, kind->empty);
	}
	store_close(st);
	return rc;
}

static int each_org(struct store *st, const void *filter, struct collect *c, struct err *err)
{
	return org_each(st, filter, collect_org, c, err);
}

static void print_org(const struct org *o)
{
	printf("名称：%s\n类型：%s\n", o->name, org_kind_label(o->kind));
	if (o->uscc[0])
		printf("统一社会信用代码：%s\n", o->uscc);
	printf("所在区：%s\n联系人：%s\n联系电话：%s\n状态：%s\n",
	       o->district ? o->district_name : "全市", o->contact, o->phone,
	       open_label(o->closed_at));
}

/* ---- subcommands that look up or change one thing ----------------------------- */

union result {
	struct org org;
	struct project project;
	struct org_import_stats stats;
};

/* A subcommand: its syntax, the library call and what it prints. */
struct op {
	const char *name; /* the subcommand */
	struct syntax syntax;
	int flags;        /* cli_open_store's */
	int file;         /* the operand is a file: errors name it */
	const char *verb; /* for print */
	/* 1 done, 0 not found (show), -1 failed (err) */
	int (*call)(struct store *st, const struct actor *who, const struct cli *cli,
	            const struct args *a, union result *r, struct err *err);
	void (*print)(const struct op *op, const struct args *a, const union result *r);
	void (*not_found)(const struct cli *cli, const struct args *a);
};

static int run(int argc, char **argv, struct cli *cli, const struct op *op)
{
	struct args a;
	struct store *st = NULL;
	struct actor who;
	union result r;
	struct err err;
	int rc = parse(argc, argv, cli, &op->syntax, &a);

	if (rc >= 0)
		return rc;
	rc = cli_open_store(cli, op->flags, &st);
	if (rc)
		return rc;
	actor_cli(&who);
	err_clear(&err);
	rc = op->call(st, &who, cli, &a, &r, &err);
	if (rc < 0) {
		rc = cli_fail(cli, &err, op->file ? a.operand : NULL);
	} else if (rc == 0) {
		op->not_found(cli, &a);
		rc = EXIT_USAGE;
	} else {
		op->print(op, &a, &r);
		rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
	}
	store_close(st);
	return rc;
}

/* Run the subcommand argv[1] names: one of ops, or the list. */
static int dispatch(int argc, char **argv, struct cli *cli, const struct op *ops, size_t nops,
                    int (*list)(int argc, char **argv, struct cli *cli), const char *names)
{
	const struct cli_sub subs[] = {{"list", list}};
	size_t i;

	for (i = 0; argc >= 2 && i < nops; i++)
		if (strcmp(argv[1], ops[i].name) == 0)
			return run(argc - 1, argv + 1, cli, &ops[i]);
	return cli_dispatch(argc, argv, cli, subs, 1, names);
}

/* A library call's 0 / -1 as run's 1 / -1. */
static int done(int rc)
{
	return rc < 0 ? -1 : 1;
}

static struct org_input org_input_of(const struct args *a)
{
	return (struct org_input){.uscc = a->v[O_USCC],
	                          .kind = a->v[O_KIND],
	                          .name = a->v[O_NAME],
	                          .district = a->v[O_DISTRICT],
	                          .contact = a->v[O_CONTACT],
	                          .phone = a->v[O_PHONE]};
}

static struct project_input project_input_of(const struct args *a)
{
	return (struct project_input){.name = a->v[O_NAME],
	                              .district = a->v[O_DISTRICT],
	                              .address = a->v[O_ADDRESS],
	                              .builder = a->v[O_BUILDER],
	                              .supervisor = a->v[O_SUPERVISOR],
	                              .start = a->v[O_START],
	                              .end = a->v[O_END],
	                              .state = a->v[O_STATE]};
}

static const char org_change_msg[] =
    "change 至少需要 --name、--district、--contact 或 --phone 之一";

/* ---- company ----------------------------------------------------------- */

const char cmd_company_help[] =
    "用法：opcert company SUBCOMMAND [选项]\n"
    "\n管理施工单位和监理单位。单位以统一社会信用代码（18位，GB 32100-2015，校验位须正确）识别。\n"
    "\n子命令：\n"
    "  add --uscc CODE --name NAME --kind builder|supervisor --district NAME\n"
    "      [--contact NAME] [--phone TEL]\n"
    "                    登记一家单位。--kind：builder（施工单位）或 supervisor（监理单位），\n"
    "                    也可写 施工、监理。--district：所在区（市、县），如 云岩区、清镇市、\n"
    "                    高新技术开发区（也可写 云岩区住建局）。\n"
    "  import FILE.csv   从文件批量登记。整个文件在一个事务中导入：任何一行有错，全部不导入，\n"
    "                    并指出文件、行号、列名和原因。与已登记内容完全相同的行计为“未变”，\n"
    "                    因此同一文件可重复导入；与已登记内容不一致的行是错误（请用 change "
    "修改）。\n"
    "  list [--district NAME] [--kind builder|supervisor] [--all] [--json]\n"
    "                    列出单位（默认不含已注销的；--all 含已注销的；--json 输出 JSON）。\n"
    "  show USCC [--json]  显示一家单位。\n"
    "  change USCC [--name NAME] [--district NAME] [--contact NAME] [--phone TEL]\n"
    "                    "
    "修改单位信息（联系人、联系电话可用空字符串清除）。信用代码和类型不能修改。\n"
    "  close USCC        注销单位（仍有未竣工项目时不能注销）。记录保留，不再用于新项目。\n"
    "\n导入文件：UTF-8（可带BOM）、GBK/GB18030 或 UTF-16；逗号或制表符分隔；列顺序不限；\n"
    "表头可在前10行内。列：统一社会信用代码, 单位名称, 单位类型（施工/监理）, 所在区,\n"
    "  联系人（可选）, 联系电话（可选）。\n"
    "\n每次修改都记入审计记录。\n" CLI_COMMON_HELP;

static const char *const company_header[] = {"统一社会信用代码", "单位名称", "类型", "所在区",
                                             "联系人",           "联系电话", "状态"};

static int company_add_call(struct store *st, const struct actor *who, const struct cli *cli,
                            const struct args *a, union result *r, struct err *err)
{
	struct org_input in = org_input_of(a);

	(void)cli;
	return done(org_company_add(st, who, &in, date_now_seconds(), &r->org, err));
}

static int company_import_call(struct store *st, const struct actor *who, const struct cli *cli,
                               const struct args *a, union result *r, struct err *err)
{
	(void)cli;
	return done(org_company_import(st, who, a->operand, date_now_seconds(), &r->stats, err));
}

static int company_show_call(struct store *st, const struct actor *who, const struct cli *cli,
                             const struct args *a, union result *r, struct err *err)
{
	(void)who;
	(void)cli;
	return org_company_get(st, a->operand, &r->org, err);
}

static int company_change_call(struct store *st, const struct actor *who, const struct cli *cli,
                               const struct args *a, union result *r, struct err *err)
{
	struct org_input in = org_input_of(a);

	(void)cli;
	return done(org_company_change(st, who, a->operand, &in, date_now_seconds(), &r->org, err));
}

static int company_close_call(struct store *st, const struct actor *who, const struct cli *cli,
                              const struct args *a, union result *r, struct err *err)
{
	(void)cli;
	return done(org_company_close(st, who, a->operand, date_now_seconds(), &r->org, err));
}

static void company_print(const struct op *op, const struct args *a, const union result *r)
{
	const struct org *o = &r->org;

	(void)a;
	printf("%s%s：%s（%s），所在区：%s\n", op->verb, org_kind_label(o->kind), o->name, o->uscc,
	       o->district_name);
}

static void company_import_print(const struct op *op, const struct args *a, const union result *r)
{
	(void)op;
	printf("已导入 %s：%ld 行，新增 %ld 家单位，未变 %ld 家\n", a->operand, r->stats.rows,
	       r->stats.inserted, r->stats.unchanged);
}

static void company_show_print(const struct op *op, const struct args *a, const union result *r)
{
	(void)op;
	if (a->v[O_JSON])
		cli_print_json(org_json(&r->org));
	else
		print_org(&r->org);
}

static void company_not_found(const struct cli *cli, const struct args *a)
{
	fprintf(stderr, "opcert %s: 统一社会信用代码 %s 未登记\n", cli->command, a->operand);
}

static void company_close_print(const struct op *op, const struct args *a, const union result *r)
{
	(void)op;
	(void)a;
	printf("已注销%s：%s（%s）\n", org_kind_label(r->org.kind), r->org.name, r->org.uscc);
}

static const struct op company_ops[] = {
    {.name = "add",
     .syntax = {.allowed = OPT(O_USCC) | OPT(O_KIND) | ORG_FIELDS,
                .required = OPT(O_USCC) | OPT(O_NAME) | OPT(O_KIND) | OPT(O_DISTRICT),
                .required_msg = "add 需要 --uscc、--name、--kind 和 --district"},
     .verb = "已登记",
     .call = company_add_call,
     .print = company_print},
    {.name = "import",
     .syntax = {.operands = 1, .operand_name = "要导入的文件"},
     .file = 1,
     .call = company_import_call,
     .print = company_import_print},
    {.name = "show",
     .syntax = {.allowed = OPT(O_JSON), .operands = 1, .operand_name = "统一社会信用代码"},
     .flags = STORE_READONLY,
     .call = company_show_call,
     .print = company_show_print,
     .not_found = company_not_found},
    {.name = "change",
     .syntax = {.allowed = ORG_FIELDS,
                .operands = 1,
                .operand_name = "统一社会信用代码",
                .any = ORG_FIELDS,
                .any_msg = org_change_msg},
     .verb = "已修改",
     .call = company_change_call,
     .print = company_print},
    {.name = "close",
     .syntax = {.operands = 1, .operand_name = "统一社会信用代码"},
     .call = company_close_call,
     .print = company_close_print},
};

static const struct list_kind company_list_kind = {7, company_header, "（没有符合条件的单位）",
                                                   each_org};

static int company_list(int argc, char **argv, struct cli *cli)
{
	static const struct syntax syn = {.allowed = OPT(O_DISTRICT) | OPT(O_KIND) | OPT(O_ALL) |
	                                             OPT(O_JSON)};
	struct args a;
	struct store *st = NULL;
	struct org_filter f = {.kinds = OPT(ORG_BUILDER) | OPT(ORG_SUPERVISOR)};
	int rc = parse(argc, argv, cli, &syn, &a);

	if (rc >= 0)
		return rc;
	if (a.v[O_KIND]) {
		int k = org_company_kind_parse(a.v[O_KIND], strlen(a.v[O_KIND]));

		if (k < 0)
			return cli_usage(cli, "--kind 应为 builder（施工）或 supervisor（监理）");
		f.kinds = OPT(k);
	}
	f.include_closed = a.v[O_ALL] != NULL;
	rc = list_open(cli, &a, &st, &f.district);
	if (rc >= 0)
		return rc;
	return list_rows(cli, st, &a, &company_list_kind, &f);
}

int cmd_company(int argc, char **argv, struct cli *cli)
{
	return dispatch(argc, argv, cli, company_ops, sizeof(company_ops) / sizeof(company_ops[0]),
	                company_list, "add、import、list、show、change、close");
}

/* ---- project ------------------------------------------------------------- */

const char cmd_project_help[] =
    "用法：opcert project SUBCOMMAND [选项]\n"
    "\n管理工程项目：名称、所在区、地址、施工单位、监理单位、开工和竣工日期、状态。\n"
    "项目以编号识别（见 list）；同一施工单位的项目名称不能重复。\n"
    "\n子命令：\n"
    "  add --name NAME --district NAME --builder USCC [--supervisor USCC]\n"
    "      [--address TEXT] [--start DATE] [--end DATE]\n"
    "                    登记一个项目。--builder：施工单位的统一社会信用代码（须已登记）；\n"
    "                    --supervisor：监理单位的统一社会信用代码。开工日期晚于今天时状态为\n"
    "                    未开工，否则为在建。\n"
    "  import FILE.csv   从文件批量登记（全部或全不；错误指出行号和列名；与已登记项目完全\n"
    "                    相同的行计为“未变”，不一致的行是错误）。文件中的单位须先登记。\n"
    "  list [--district NAME] [--company USCC] [--all] [--json]\n"
    "                    列出项目；--company 列出该单位施工或监理的项目；--all 含已关闭的。\n"
    "  show ID [--json]  显示一个项目。\n"
    "  change ID [--name NAME] [--district NAME] [--address TEXT] [--builder USCC]\n"
    "      [--supervisor USCC] [--start DATE] [--end DATE] [--state STATE]\n"
    "                    修改项目。--supervisor 和日期可写空字符串或“无”清除。\n"
    "                    --state：planned 未开工、active 在建、suspended 停工、completed 竣工、\n"
    "                    closed 已关闭。\n"
    "  close ID          关闭项目（之后不能再修改）。\n"
    "\n日期可写作 2018-08-09、2018/8/9、2018.8.9 或 2018年8月9日。\n"
    "导入文件的列：项目名称, 所在区, 地址（可选）, 施工单位信用代码, 监理单位信用代码（可选）,\n"
    "  开工日期（可选）, 竣工日期（可选）。编码与格式同 opcert company import。\n"
    "\n每次修改都记入审计记录。\n" CLI_COMMON_HELP;

static void print_project_line(const char *verb, const struct project *p)
{
	printf("%s项目 %lld：%s（%s，施工单位 %s，状态 %s）\n", verb, (long long)p->id, p->name,
	       p->district_name, p->builder_name, project_state_label(p->state));
}

static const char *const project_header[] = {"编号",     "项目名称", "所在区",   "施工单位",
                                             "监理单位", "开工日期", "竣工日期", "状态"};

static int collect_project(void *arg, const struct project *p)
{
	struct collect *c = arg;
	char id[24], start[DATE_TEXT_MAX], end[DATE_TEXT_MAX];

	if (c->json) {
		if (json_array_append_new(c->array, org_project_json(p)) < 0)
			c->failed = 1;
		return 0;
	}
	snprintf(id, sizeof(id), "%lld", (long long)p->id);
	{
		const char *cells[] = {id,
		                       p->name,
		                       p->district_name,
		                       p->builder_name,
		                       p->supervisor ? p->supervisor_name : "",
		                       p->start_on == DATE_NONE ? ""
		                                                : date_format(p->start_on, start),
		                       p->end_on == DATE_NONE ? "" : date_format(p->end_on, end),
		                       project_state_label(p->state)};

		if (cli_table_row(&c->table, cells) < 0)
			c->failed = 1;
	}
	return 0;
}

static int project_add_call(struct store *st, const struct actor *who, const struct cli *cli,
                            const struct args *a, union result *r, struct err *err)
{
	struct project_input in = project_input_of(a);

	return done(
	    org_project_add(st, who, &in, cli->today, date_now_seconds(), &r->project, err));
}

static int project_import_call(struct store *st, const struct actor *who, const struct cli *cli,
                               const struct args *a, union result *r, struct err *err)
{
	return done(org_project_import(st, who, a->operand, cli->today, date_now_seconds(),
	                               &r->stats, err));
}

static int project_show_call(struct store *st, const struct actor *who, const struct cli *cli,
                             const struct args *a, union result *r, struct err *err)
{
	(void)who;
	(void)cli;
	return org_project_get(st, a->id, &r->project, err);
}

static int project_change_call(struct store *st, const struct actor *who, const struct cli *cli,
                               const struct args *a, union result *r, struct err *err)
{
	struct project_input in = project_input_of(a);

	(void)cli;
	return done(org_project_change(st, who, a->id, &in, date_now_seconds(), &r->project, err));
}

static int project_close_call(struct store *st, const struct actor *who, const struct cli *cli,
                              const struct args *a, union result *r, struct err *err)
{
	(void)cli;
	return done(org_project_close(st, who, a->id, date_now_seconds(), &r->project, err));
}

static void project_print(const struct op *op, const struct args *a, const union result *r)
{
	(void)a;
	print_project_line(op->verb, &r->project);
}

static void project_import_print(const struct op *op, const struct args *a, const union result *r)
{
	(void)op;
	printf("已导入 %s：%ld 行，新增 %ld 个项目，未变 %ld 个\n", a->operand, r->stats.rows,
	       r->stats.inserted, r->stats.unchanged);
}

static void project_show_print(const struct op *op, const struct args *a, const union result *r)
{
	const struct project *p = &r->project;
	char d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];

	(void)op;
	if (a->v[O_JSON]) {
		cli_print_json(org_project_json(p));
		return;
	}
	printf("编号：%lld\n项目名称：%s\n所在区：%s\n地址：%s\n施工单位：%s（%s）\n",
	       (long long)p->id, p->name, p->district_name, p->address, p->builder_name,
	       p->builder_uscc);
	if (p->supervisor)
		printf("监理单位：%s（%s）\n", p->supervisor_name, p->supervisor_uscc);
	else
		printf("监理单位：\n");
	printf("开工日期：%s\n竣工日期：%s\n状态：%s\n",
	       p->start_on == DATE_NONE ? "" : date_format(p->start_on, d1),
	       p->end_on == DATE_NONE ? "" : date_format(p->end_on, d2),
	       project_state_label(p->state));
}

static void project_not_found(const struct cli *cli, const struct args *a)
{
	fprintf(stderr, "opcert %s: 项目编号 %lld 不存在\n", cli->command, (long long)a->id);
}

static const struct op project_ops[] = {
    {.name = "add",
     .syntax = {.allowed = PROJ_FIELDS,
                .required = OPT(O_NAME) | OPT(O_DISTRICT) | OPT(O_BUILDER),
                .required_msg = "add 需要 --name、--district 和 --builder"},
     .verb = "已登记",
     .call = project_add_call,
     .print = project_print},
    {.name = "import",
     .syntax = {.operands = 1, .operand_name = "要导入的文件"},
     .file = 1,
     .call = project_import_call,
     .print = project_import_print},
    {.name = "show",
     .syntax = {.allowed = OPT(O_JSON), .operands = 1, .operand_name = "项目编号", .project_id = 1},
     .flags = STORE_READONLY,
     .call = project_show_call,
     .print = project_show_print,
     .not_found = project_not_found},
    {.name = "change",
     .syntax = {.allowed = PROJ_FIELDS | OPT(O_STATE),
                .operands = 1,
                .operand_name = "项目编号",
                .project_id = 1,
                .any = PROJ_FIELDS | OPT(O_STATE),
                .any_msg = "change 至少需要一个要修改的选项"},
     .verb = "已修改",
     .call = project_change_call,
     .print = project_print},
    {.name = "close",
     .syntax = {.operands = 1, .operand_name = "项目编号", .project_id = 1},
     .verb = "已关闭",
     .call = project_close_call,
     .print = project_print},
};

static int each_project(struct store *st, const void *filter, struct collect *c, struct err *err)
{
	return org_project_each(st, filter, collect_project, c, err);
}

static const struct list_kind project_list_kind = {8, project_header, "（没有符合条件的项目）",
                                                   each_project};

static int project_list(int argc, char **argv, struct cli *cli)
{
	static const struct syntax syn = {.allowed = OPT(O_DISTRICT) | OPT(O_COMPANY) | OPT(O_ALL) |
	                                             OPT(O_JSON)};
	struct args a;
	struct store *st = NULL;
	struct project_filter f = {0};
	struct org o;
	struct err err;
	int rc = parse(argc, argv, cli, &syn, &a);

	if (rc >= 0)
		return rc;
	f.include_closed = a.v[O_ALL] != NULL;
	rc = list_open(cli, &a, &st, &f.district);
	if (rc >= 0)
		return rc;
	if (a.v[O_COMPANY]) {
		err_clear(&err);
		rc = org_company_get(st, a.v[O_COMPANY], &o, &err);
		if (rc <= 0) {
			rc = rc < 0 ? cli_fail(cli, &err, NULL)
			            : cli_usage(cli, "统一社会信用代码 %s 未登记", a.v[O_COMPANY]);
			store_close(st);
			return rc;
		}
		f.company = o.id;
	}
	return list_rows(cli, st, &a, &project_list_kind, &f);
}

int cmd_project(int argc, char **argv, struct cli *cli)
{
	return dispatch(argc, argv, cli, project_ops, sizeof(project_ops) / sizeof(project_ops[0]),
	                project_list, "add、import、list、show、change、close");
}

/* ---- institution --------------------------------------------------------- */

const char cmd_institution_help[] =
    "用法：opcert institution SUBCOMMAND [选项]\n"
    "\n管理安全培训机构（复审换证前须核验证书的机构）。机构以名称识别，名称不能重复。\n"
    "\n子命令：\n"
    "  add --name NAME [--district NAME] [--contact NAME] [--phone TEL]\n"
    "                    登记一个培训机构。--district：所在区（市、县）；不填表示全市范围。\n"
    "  list [--district NAME] [--all] [--json]\n"
    "                    列出培训机构（--all 含已注销的）。\n"
    "  change NAME [--name NEW] [--district NAME] [--contact NAME] [--phone TEL]\n"
    "                    修改机构信息（--district、--contact、--phone 可用空字符串清除）。\n"
    "  close NAME        注销机构。记录保留。\n"
    "\n每次修改都记入审计记录。\n" CLI_COMMON_HELP;

static const char *const institution_header[] = {"机构名称", "所在区", "联系人", "联系电话",
                                                 "状态"};

static int institution_add_call(struct store *st, const struct actor *who, const struct cli *cli,
                                const struct args *a, union result *r, struct err *err)
{
	struct org_input in = org_input_of(a);

	(void)cli;
	return done(org_institution_add(st, who, &in, date_now_seconds(), &r->org, err));
}

static int institution_change_call(struct store *st, const struct actor *who, const struct cli *cli,
                                   const struct args *a, union result *r, struct err *err)
{
	struct org_input in = org_input_of(a);

	(void)cli;
	return done(
	    org_institution_change(st, who, a->operand, &in, date_now_seconds(), &r->org, err));
}

static int institution_close_call(struct store *st, const struct actor *who, const struct cli *cli,
                                  const struct args *a, union result *r, struct err *err)
{
	(void)cli;
	return done(org_institution_close(st, who, a->operand, date_now_seconds(), &r->org, err));
}

static void institution_print(const struct op *op, const struct args *a, const union result *r)
{
	(void)a;
	printf("%s培训机构：%s（%s）\n", op->verb, r->org.name,
	       r->org.district ? r->org.district_name : "全市");
}

static void institution_close_print(const struct op *op, const struct args *a,
                                    const union result *r)
{
	(void)op;
	(void)a;
	printf("已注销培训机构：%s\n", r->org.name);
}

static const struct op institution_ops[] = {
    {.name = "add",
     .syntax = {.allowed = ORG_FIELDS, .required = OPT(O_NAME), .required_msg = "add 需要 --name"},
     .verb = "已登记",
     .call = institution_add_call,
     .print = institution_print},
    {.name = "change",
     .syntax = {.allowed = ORG_FIELDS,
                .operands = 1,
                .operand_name = "机构名称",
                .any = ORG_FIELDS,
                .any_msg = org_change_msg},
     .verb = "已修改",
     .call = institution_change_call,
     .print = institution_print},
    {.name = "close",
     .syntax = {.operands = 1, .operand_name = "机构名称"},
     .call = institution_close_call,
     .print = institution_close_print},
};

static const struct list_kind institution_list_kind = {5, institution_header,
                                                       "（没有符合条件的培训机构）", each_org};

static int institution_list(int argc, char **argv, struct cli *cli)
{
	static const struct syntax syn = {.allowed = OPT(O_DISTRICT) | OPT(O_ALL) | OPT(O_JSON)};
	struct args a;
	struct store *st = NULL;
	struct org_filter f = {.kinds = OPT(ORG_INSTITUTION)};
	int rc = parse(argc, argv, cli, &syn, &a);

	if (rc >= 0)
		return rc;
	f.include_closed = a.v[O_ALL] != NULL;
	rc = list_open(cli, &a, &st, &f.district);
	if (rc >= 0)
		return rc;
	return list_rows(cli, st, &a, &institution_list_kind, &f);
}

int cmd_institution(int argc, char **argv, struct cli *cli)
{
	return dispatch(argc, argv, cli, institution_ops,
	                sizeof(institution_ops) / sizeof(institution_ops[0]), institution_list,
	                "add、list、change、close");
}
