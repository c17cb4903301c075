/*
 * cmd_user.c - `opcert user` and `opcert token`: accounts and API tokens
 * from the command line (account.h).
 *
 *   opcert user add LOGIN --role ROLE [--district NAME | --company USCC |
 *                   --institution NAME] [--password-stdin]
 *   opcert user passwd LOGIN [--password-stdin]
 *   opcert user disable LOGIN / enable LOGIN
 *   opcert user list [--json]
 *   opcert token new LOGIN [--label TEXT]
 *   opcert token revoke ID
 *   opcert token list [LOGIN] [--json]
 *
 * A password is never taken from the command line (it would sit in the
 * shell's history and in the process list): it comes from standard input,
 * or a one-time password is generated and printed once.  Generated
 * passwords and new API tokens go to standard output, once, and nowhere
 * else; the buffers holding them are wiped.  Each change is recorded in the
 * audit trail with the person at the terminal as actor (actor_cli).
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "account.h"
#include "cli.h"
#include "cmd.h"
#include "date.h"

#define ROLES_HELP                                                                                                                   \
	"\n角色（--role 取左列代码，也可写中文名称）：\n"                                                          \
	"  city_admin        市住建局管理员：查看和办理全市一切事项，并管理账号\n"                          \
	"  city_officer      市住建局工作人员：查看和办理全市一切事项（账号管理除外）\n"                 \
	"  district_officer  区住建局工作人员：只管本区县的企业、项目和证书记录；\n"                       \
	"                    须用 --district 指定区县，如 "                                                                  \
	"云岩区、观山湖区、贵州双龙航空港经济区\n"                                                                \
	"  company_user      企业用户：只管本企业（施工或监理单位）及其人员、项目；\n"                    \
	"                    须用 --company 给出企业的统一社会信用代码（企业须已登记）\n"                     \
	"  training_user     培训机构用户：只管本培训机构的事项；\n"                                               \
	"                    须用 --institution 给出培训机构名称（须已登记）\n"                                      \
	"  auditor           审计员：查看一切记录（含日志和审计记录），但看不到完整身份证号码，\n"  \
	"                    也不能做任何修改\n"                                                                             \
	"完整身份证号码只对市住建局角色、本区县的区住建局工作人员和本企业的企业用户显示，\n" \
	"每次查看都记入审计记录。公众查询证书不需要账号。\n"

#define USER_COMMON_HELP                                                                                  \
	"\n通用选项：\n"                                                                             \
	"  --db PATH         数据库文件（默认：环境变量 OPCERT_DB，否则 ./opcert.db）\n" \
	"  -h, --help        显示本帮助\n"                                                           \
	"\n退出状态：0 成功；2 用法或输入错误（如账号不存在、密码不符合要求）；3 系统错误。\n"

const char cmd_user_help[] =
    "用法：opcert user add LOGIN --role ROLE [--district NAME | --company USCC |\n"
    "                      --institution NAME] [--password-stdin] [--db PATH]\n"
    "      opcert user passwd LOGIN [--password-stdin] [--db PATH]\n"
    "      opcert user disable LOGIN [--db PATH]\n"
    "      opcert user enable LOGIN [--db PATH]\n"
    "      opcert user list [--json] [--db PATH]\n"
    "\n管理登录网页和接口的账号。\n"
    "\n  add      新建账号。LOGIN 为 3 到 63 个字符，只用小写字母、数字和 . _ -。\n"
    "           不带 --password-stdin 时生成一个一次性密码，只在此时显示一次，\n"
    "           该账号首次登录时必须改为自己的密码。\n"
    "  passwd   重设密码（如忘记密码或怀疑泄露）：账号已登录的会话全部结束，\n"
    "           登录失败造成的锁定随之解除。不带 --password-stdin 时生成一次性密码，\n"
    "           下次登录时必须修改。\n"
    "  disable  停用账号：不能再登录，已登录的会话和接口令牌立即失效。\n"
    "  enable   重新启用被停用的账号（已失效的令牌不会恢复，需要时另行新建）。\n"
    "  list     列出全部账号（角色、所属单位、状态、最近登录），不含任何密码。\n"
    "\n  --role ROLE         账号的角色（见下表）\n"
    "  --district NAME     区住建局工作人员所属的区县（全称）\n"
    "  --company USCC      企业用户所属企业的统一社会信用代码\n"
    "  --institution NAME  培训机构用户所属的培训机构名称\n"
    "  --password-stdin    从标准输入读取密码（第一行），如：\n"
    "                      printf '%s\\n' \"$PW\" | opcert user add li.ming --role auditor "
    "--password-stdin\n"
    "  --json              list 以 JSON 输出\n"
    "\n密码要求：至少 10 个字符，包含小写字母、大写字母、数字、其他符号四类中的至少三类，\n"
    "不能包含账号名。密码只以 Argon2id 散列保存，任何地方都不保存明文。\n"
    "连续 5 次登录失败，账号锁定 15 分钟。\n" ROLES_HELP USER_COMMON_HELP;

const char cmd_token_help[] =
    "用法：opcert token new LOGIN [--label TEXT] [--db PATH]\n"
    "      opcert token revoke ID [--db PATH]\n"
    "      opcert token list [LOGIN] [--json] [--db PATH]\n"
    "\n接口令牌供程序（如企业的人员系统）调用接口时代替登录使用，权限与所属账号相同。\n"
    "\n  new     为账号 LOGIN 新建一个令牌（以 oct_ 开头）。令牌只在此时显示一次，\n"
    "          数据库中只保存其散列，丢失后只能吊销并新建。调用接口时放在请求头：\n"
    "          Authorization: Bearer oct_...\n"
    "  revoke  吊销编号为 ID 的令牌（编号见 new 的输出或 list），立即失效。\n"
    "  list    列出令牌的编号、所属账号、说明、创建和吊销时间（不含令牌本身）；\n"
    "          给出 LOGIN 时只列该账号的。\n"
    "\n  --label TEXT      令牌的说明，如用途或使用的系统（可选）\n"
    "  --json            list 以 JSON 输出\n"
    "\n账号被停用时，其全部令牌随之吊销。\n" USER_COMMON_HELP;

enum { U_ROLE, U_DISTRICT, U_COMPANY, U_INSTITUTION, U_PASSWORD_STDIN, U_JSON, U_LABEL, U_COUNT };

#define OPT_ROLE           (CLI_OPT_OWN + U_ROLE)
#define OPT_DISTRICT       (CLI_OPT_OWN + U_DISTRICT)
#define OPT_COMPANY        (CLI_OPT_OWN + U_COMPANY)
#define OPT_INSTITUTION    (CLI_OPT_OWN + U_INSTITUTION)
#define OPT_PASSWORD_STDIN (CLI_OPT_OWN + U_PASSWORD_STDIN)
#define OPT_JSON           (CLI_OPT_OWN + U_JSON)
#define OPT_LABEL          (CLI_OPT_OWN + U_LABEL)

struct user_args {
	const char *v[U_COUNT]; /* option values ("" for a flag); NULL = not given */
	const char *operand;    /* LOGIN or ID; NULL when none */
};

/* Parse options and at most `operands` (0 or 1) operands, required when
 * need; -1 to go on, else an exit status. */
static int parse(int argc, char **argv, struct cli *cli, const struct option *longopts,
                 int operands, int need, struct user_args *a)
{
	const struct cli_syntax syn = {longopts, CLI_ALL_OWN, operands, need ? "缺少参数" : NULL};

	memset(a, 0, sizeof(*a));
	return cli_parse(cli, argc, argv, &syn, a->v, &a->operand);
}

/* The first line of standard input as the password; 0, or an exit status. */
static int read_password(const struct cli *cli, char *buf, size_t size)
{
	size_t n;

	if (!fgets(buf, (int)size, stdin)) {
		fprintf(stderr, "opcert %s: 标准输入中没有密码\n", cli->command);
		return EXIT_USAGE;
	}
	n = strlen(buf);
	if (n == size - 1 && buf[n - 1] != '\n') {
		sodium_memzero(buf, size);
		fprintf(stderr, "opcert %s: 密码过长\n", cli->command);
		return EXIT_USAGE;
	}
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
		buf[--n] = '\0';
	if (n == 0) {
		fprintf(stderr, "opcert %s: 标准输入中的密码为空\n", cli->command);
		return EXIT_USAGE;
	}
	return 0;
}

/* Seconds since 1970 as China time "2026-06-30 14:05"; "" for 0. */
static const char *china_time(int64_t t, char out[32])
{
	time_t tt = (time_t)(t + 8 * 3600);
	struct tm tm;

	out[0] = '\0';
	if (t > 0 && gmtime_r(&tt, &tm))
		strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
	return out;
}

static json_t *json_time(int64_t t)
{
	time_t tt = (time_t)(t + 8 * 3600);
	struct tm tm;
	char buf[40];

	if (t <= 0 || !gmtime_r(&tt, &tm))
		return json_null();
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S+08:00", &tm);
	return json_string(buf);
}

/* --- running a subcommand --- */

/* What a subcommand does with the store and prints; ctx is its own. */
struct user_op {
	int flags; /* cli_open_store's */
	/* 0, or -1 with err */
	int (*call)(struct store *st, const struct actor *who, const struct user_args *a, void *ctx,
	            struct err *err);
	/* EXIT_ALL_VALID, or EXIT_SYSTEM when the output failed */
	int (*print)(const struct user_args *a, void *ctx);
};

/* Open the store, call op with the person at the terminal as actor, print. */
static int run(struct cli *cli, const struct user_args *a, const struct user_op *op, void *ctx)
{
	struct store *st = NULL;
	struct actor who;
	struct err err;
	int rc = cli_open_store(cli, op->flags, &st);

	if (rc)
		return rc;
	err_clear(&err);
	actor_cli(&who);
	if (op->call(st, &who, a, ctx, &err) < 0)
		rc = cli_fail(cli, &err, NULL);
	else
		rc = cli_finish_stdout(cli, op->print(a, ctx));
	store_close(st);
	return rc;
}

/* LOGIN well formed: 0, or an exit status. */
static int check_login(const struct cli *cli, const char *login)
{
	struct err err;

	err_clear(&err);
	if (account_login_ok(login, &err) < 0)
		return cli_fail(cli, &err, NULL);
	return 0;
}

/* The password from standard input with --password-stdin: 0, or an exit status. */
static int stdin_password(const struct cli *cli, const struct user_args *a, char *buf, size_t size)
{
	return a->v[U_PASSWORD_STDIN] ? read_password(cli, buf, size) : 0;
}

/* --- user add --- */

struct add_ctx {
	enum role role;
	const char *scope;
	char password[256];
	char otp[ACCOUNT_OTP_SIZE];
	struct account_info info;
};

static int add_call(struct store *st, const struct actor *who, const struct user_args *a, void *arg,
                    struct err *err)
{
	struct add_ctx *c = arg;
	int64_t org;

	if (account_scope(st, c->role, c->scope, &org, err) < 0 ||
	    account_add(st, who, a->operand, c->role, org,
	                a->v[U_PASSWORD_STDIN] ? c->password : NULL, date_now_seconds(), c->otp,
	                err) < 0 ||
	    account_get(st, a->operand, &c->info, err) != 1)
		return -1;
	return 0;
}

static int add_print(const struct user_args *a, void *arg)
{
	const struct add_ctx *c = arg;

	printf("已添加账号 %s（%s%s%s）\n", c->info.login, role_label(c->info.role),
	       c->info.org_name[0] ? "，" : "", c->info.org_name);
	if (!a->v[U_PASSWORD_STDIN])
		printf("一次性密码（只显示这一次，首次登录时必须修改）：\n%s\n", c->otp);
	return EXIT_ALL_VALID;
}

static int user_add(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {
	    {"role", required_argument, NULL, OPT_ROLE},
	    {"district", required_argument, NULL, OPT_DISTRICT},
	    {"company", required_argument, NULL, OPT_COMPANY},
	    {"institution", required_argument, NULL, OPT_INSTITUTION},
	    {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	static const struct user_op op = {0, add_call, add_print};
	struct user_args a;
	struct add_ctx c = {0};
	const char *want = NULL, *kind;
	int rc, role, given;

	rc = parse(argc, argv, cli, longopts, 1, 1, &a);
	if (rc >= 0)
		return rc;
	rc = check_login(cli, a.operand);
	if (rc)
		return rc;
	if (!a.v[U_ROLE])
		return cli_usage(cli,
		                 "缺少 --role（可用：city_admin、city_officer、district_officer、"
		                 "company_user、training_user、auditor）");
	role = role_parse(a.v[U_ROLE]);
	if (role < 0)
		return cli_usage(cli,
		                 "没有角色“%s”（可用：city_admin、city_officer、district_officer、"
		                 "company_user、training_user、auditor）",
		                 a.v[U_ROLE]);
	c.role = (enum role)role;
	given = (a.v[U_DISTRICT] != NULL) + (a.v[U_COMPANY] != NULL) + (a.v[U_INSTITUTION] != NULL);
	if (given > 1)
		return cli_usage(cli, "--district、--company、--institution 只能给出一个");
	kind = role_scope_kind(c.role);
	if (kind && strcmp(kind, "district") == 0) {
		c.scope = a.v[U_DISTRICT];
		want = "--district";
	} else if (kind && strcmp(kind, "company") == 0) {
		c.scope = a.v[U_COMPANY];
		want = "--company";
	} else if (kind && strcmp(kind, "institution") == 0) {
		c.scope = a.v[U_INSTITUTION];
		want = "--institution";
	}
	if (want && !c.scope)
		return cli_usage(cli, "%s须用 %s 指定所属单位", role_label(c.role), want);
	if (given && !c.scope)
		return cli_usage(cli, "%s不属于区县、企业或培训机构，不需要 %s", role_label(c.role),
		                 a.v[U_DISTRICT]  ? "--district"
		                 : a.v[U_COMPANY] ? "--company"
		                                  : "--institution");
	rc = stdin_password(cli, &a, c.password, sizeof(c.password));
	if (rc == 0)
		rc = run(cli, &a, &op, &c);
	sodium_memzero(&c, sizeof(c));
	return rc;
}

/* --- user passwd --- */

struct passwd_ctx {
	char password[256];
	char otp[ACCOUNT_OTP_SIZE];
};

static int passwd_call(struct store *st, const struct actor *who, const struct user_args *a,
                       void *arg, struct err *err)
{
	struct passwd_ctx *c = arg;

	return account_passwd(st, who, a->operand, a->v[U_PASSWORD_STDIN] ? c->password : NULL,
	                      date_now_seconds(), c->otp, err);
}

static int passwd_print(const struct user_args *a, void *arg)
{
	const struct passwd_ctx *c = arg;

	printf("已重设账号 %s 的密码，该账号已登录的会话全部结束\n", a->operand);
	if (!a->v[U_PASSWORD_STDIN])
		printf("一次性密码（只显示这一次，下次登录时必须修改）：\n%s\n", c->otp);
	return EXIT_ALL_VALID;
}

static int user_passwd(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {
	    {"password-stdin", no_argument, NULL, OPT_PASSWORD_STDIN},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	static const struct user_op op = {0, passwd_call, passwd_print};
	struct user_args a;
	struct passwd_ctx c = {0};
	int rc;

	rc = parse(argc, argv, cli, longopts, 1, 1, &a);
	if (rc >= 0)
		return rc;
	rc = check_login(cli, a.operand);
	if (rc == 0)
		rc = stdin_password(cli, &a, c.password, sizeof(c.password));
	if (rc == 0)
		rc = run(cli, &a, &op, &c);
	sodium_memzero(&c, sizeof(c));
	return rc;
}

/* --- user disable / enable --- */

static const struct option operand_only[] = {
    CLI_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

static int able_call(struct store *st, const struct actor *who, const struct user_args *a,
                     void *arg, struct err *err)
{
	return account_disable(st, who, a->operand, *(int *)arg, date_now_seconds(), err);
}

static int able_print(const struct user_args *a, void *arg)
{
	if (*(int *)arg)
		printf("已停用账号 %s：不能再登录，其会话和接口令牌已失效\n", a->operand);
	else
		printf("已启用账号 %s\n", a->operand);
	return EXIT_ALL_VALID;
}

static int user_able(int argc, char **argv, struct cli *cli, int disable)
{
	static const struct user_op op = {0, able_call, able_print};
	struct user_args a;
	int rc = parse(argc, argv, cli, operand_only, 1, 1, &a);

	if (rc >= 0)
		return rc;
	return run(cli, &a, &op, &disable);
}

static int user_disable(int argc, char **argv, struct cli *cli)
{
	return user_able(argc, argv, cli, 1);
}

static int user_enable(int argc, char **argv, struct cli *cli)
{
	return user_able(argc, argv, cli, 0);
}

/* --- lists --- */

/* A list: walk prints the header and counted lines (json 0, arg an int)
 * or appends JSON objects (arg an array); noun counts them. */
struct listing {
	int (*walk)(struct store *st, const char *login, int json, void *arg, struct err *err);
	const char *noun;
};

struct list_ctx {
	const struct listing *l;
	json_t *arr;
	int n;
};

static const struct option list_options[] = {
    {"json", no_argument, NULL, OPT_JSON},
    CLI_COMMON_LONG_OPTIONS,
    {NULL, 0, NULL, 0},
};

static int list_call(struct store *st, const struct actor *who, const struct user_args *a,
                     void *arg, struct err *err)
{
	struct list_ctx *c = arg;
	int rc;

	(void)who;
	if (!a->v[U_JSON])
		return c->l->walk(st, a->operand, 0, &c->n, err) != 0 ? -1 : 0;
	c->arr = json_array();
	rc = c->arr ? c->l->walk(st, a->operand, 1, c->arr, err) : -1;
	if (rc != 0) {
		if (!err->msg[0])
			err_system(err, "内存不足");
		return -1;
	}
	return 0;
}

static int list_print(const struct user_args *a, void *arg)
{
	const struct list_ctx *c = arg;

	if (!a->v[U_JSON]) {
		printf("共 %d 个%s\n", c->n, c->l->noun);
		return EXIT_ALL_VALID;
	}
	if (json_dumpf(c->arr, stdout, JSON_INDENT(2)) < 0)
		return EXIT_SYSTEM;
	putchar('\n');
	return EXIT_ALL_VALID;
}

static int run_list(struct cli *cli, const struct user_args *a, const struct listing *l)
{
	static const struct user_op op = {STORE_READONLY, list_call, list_print};
	struct list_ctx c = {l, NULL, 0};
	int rc = run(cli, a, &op, &c);

	json_decref(c.arr);
	return rc;
}

static int list_account_json(void *arg, const struct account_info *a)
{
	json_t *o =
	    json_pack("{s:I, s:s, s:s, s:s, s:s?, s:b, s:b, s:o, s:o}", "id", (json_int_t)a->id,
	              "login", a->login, "role", role_code(a->role), "role_label",
	              role_label(a->role), "org", a->org_name[0] ? a->org_name : NULL, "disabled",
	              a->disabled, "must_change_password", a->must_change, "created_at",
	              json_time(a->created_at), "last_login", json_time(a->last_login));

	if (!o || json_array_append_new(arg, o) < 0)
		return -1;
	return 0;
}

static int list_account_text(void *arg, const struct account_info *a)
{
	char created[32], last[32];

	(*(int *)arg)++;
	printf("%-20s  %-18s  %-24s  %-6s  %-16s  %s\n", a->login, role_label(a->role),
	       a->org_name[0] ? a->org_name : "—",
	       a->disabled      ? "已停用"
	       : a->must_change ? "待改密"
	                        : "正常",
	       china_time(a->created_at, created),
	       a->last_login ? china_time(a->last_login, last) : "从未登录");
	return 0;
}

static int walk_accounts(struct store *st, const char *login, int json, void *arg, struct err *err)
{
	(void)login;
	if (json)
		return account_each(st, list_account_json, arg, err);
	printf("%-20s  %-18s  %-24s  %-6s  %-16s  %s\n", "账号", "角色", "所属单位", "状态",
	       "创建时间", "最近登录");
	return account_each(st, list_account_text, arg, err);
}

static int user_list(int argc, char **argv, struct cli *cli)
{
	static const struct listing l = {walk_accounts, "账号"};
	struct user_args a;
	int rc = parse(argc, argv, cli, list_options, 1, 0, &a);

	if (rc >= 0)
		return rc;
	if (a.operand)
		return cli_usage(cli, "多余的参数“%s”", a.operand);
	return run_list(cli, &a, &l);
}

static int list_token_json(void *arg, const struct account_token_info *t)
{
	json_t *o = json_pack("{s:I, s:s, s:s, s:o, s:o}", "id", (json_int_t)t->id, "login",
	                      t->login, "label", t->label, "created_at", json_time(t->created_at),
	                      "revoked_at", json_time(t->revoked_at));

	if (!o || json_array_append_new(arg, o) < 0)
		return -1;
	return 0;
}

static int list_token_text(void *arg, const struct account_token_info *t)
{
	char created[32], revoked[32];

	(*(int *)arg)++;
	printf("%-6lld  %-20s  %-16s  %-16s  %s\n", (long long)t->id, t->login,
	       china_time(t->created_at, created),
	       t->revoked_at ? china_time(t->revoked_at, revoked) : "有效",
	       t->label[0] ? t->label : "—");
	return 0;
}

static int walk_tokens(struct store *st, const char *login, int json, void *arg, struct err *err)
{
	if (json)
		return account_token_each(st, login, list_token_json, arg, err);
	printf("%-6s  %-20s  %-16s  %-16s  %s\n", "编号", "账号", "创建时间", "吊销时间", "说明");
	return account_token_each(st, login, list_token_text, arg, err);
}

static int token_list(int argc, char **argv, struct cli *cli)
{
	static const struct listing l = {walk_tokens, "令牌"};
	struct user_args a;
	int rc = parse(argc, argv, cli, list_options, 1, 0, &a);

	if (rc >= 0)
		return rc;
	return run_list(cli, &a, &l);
}

/* --- token new / revoke --- */

struct token_ctx {
	char token[ACCOUNT_TOKEN_SIZE];
	int64_t id;
};

static int token_new_call(struct store *st, const struct actor *who, const struct user_args *a,
                          void *arg, struct err *err)
{
	struct token_ctx *c = arg;

	return account_token_new(st, who, a->operand, a->v[U_LABEL], date_now_seconds(), c->token,
	                         &c->id, err);
}

static int token_new_print(const struct user_args *a, void *arg)
{
	const struct token_ctx *c = arg;

	printf("已为账号 %s 新建接口令牌，编号 %lld。令牌只显示这一次，请立即妥善保存：\n%s\n",
	       a->operand, (long long)c->id, c->token);
	return EXIT_ALL_VALID;
}

static int token_new(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {
	    {"label", required_argument, NULL, OPT_LABEL},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	static const struct user_op op = {0, token_new_call, token_new_print};
	struct user_args a;
	struct token_ctx c = {0};
	int rc = parse(argc, argv, cli, longopts, 1, 1, &a);

	if (rc >= 0)
		return rc;
	rc = run(cli, &a, &op, &c);
	sodium_memzero(&c, sizeof(c));
	return rc;
}

static int token_revoke_call(struct store *st, const struct actor *who, const struct user_args *a,
                             void *arg, struct err *err)
{
	(void)a;
	return account_token_revoke(st, who, *(int64_t *)arg, date_now_seconds(), err);
}

static int token_revoke_print(const struct user_args *a, void *arg)
{
	(void)a;
	printf("已吊销接口令牌 %lld\n", (long long)*(int64_t *)arg);
	return EXIT_ALL_VALID;
}

static int token_revoke(int argc, char **argv, struct cli *cli)
{
	static const struct user_op op = {0, token_revoke_call, token_revoke_print};
	struct user_args a;
	char *end;
	int64_t id;
	int rc = parse(argc, argv, cli, operand_only, 1, 1, &a);

	if (rc >= 0)
		return rc;
	if (a.operand[0] < '0' || a.operand[0] > '9')
		return cli_usage(cli, "令牌编号“%s”应为正整数", a.operand);
	id = (int64_t)strtoll(a.operand, &end, 10);
	if (*end || id <= 0)
		return cli_usage(cli, "令牌编号“%s”应为正整数", a.operand);
	return run(cli, &a, &op, &id);
}

/* --- dispatch --- */

int cmd_user(int argc, char **argv, struct cli *cli)
{
	static const struct cli_sub subs[] = {
	    {"add", user_add},       {"passwd", user_passwd}, {"disable", user_disable},
	    {"enable", user_enable}, {"list", user_list},
	};

	return cli_dispatch(argc, argv, cli, subs, sizeof(subs) / sizeof(subs[0]),
	                    "add、passwd、disable、enable、list");
}

int cmd_token(int argc, char **argv, struct cli *cli)
{
	static const struct cli_sub subs[] = {
	    {"new", token_new},
	    {"revoke", token_revoke},
	    {"list", token_list},
	};

	return cli_dispatch(argc, argv, cli, subs, sizeof(subs) / sizeof(subs[0]),
	                    "new、revoke、list");
}
