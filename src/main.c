/*
 * main.c - the `opcert` command line: the command table and dispatch.
 * Every command lives in its own cmd_*.c and is declared here, once; what
 * the commands share is cli.c's, which knows no command (main hands each
 * its name and help text in struct cli).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"

int cmd_init(int argc, char **argv, struct cli *cli);
int cmd_import(int argc, char **argv, struct cli *cli);
int cmd_show(int argc, char **argv, struct cli *cli);
int cmd_verify(int argc, char **argv, struct cli *cli);
int cmd_verify_roster(int argc, char **argv, struct cli *cli);
int cmd_check_id(int argc, char **argv, struct cli *cli);
int cmd_demo(int argc, char **argv, struct cli *cli);
int cmd_key(int argc, char **argv, struct cli *cli);
int cmd_trust(int argc, char **argv, struct cli *cli);
int cmd_cred(int argc, char **argv, struct cli *cli);
int cmd_photo(int argc, char **argv, struct cli *cli);
int cmd_status(int argc, char **argv, struct cli *cli);
int cmd_config(int argc, char **argv, struct cli *cli);
int cmd_renew(int argc, char **argv, struct cli *cli);
int cmd_suspend(int argc, char **argv, struct cli *cli);
int cmd_reinstate(int argc, char **argv, struct cli *cli);
int cmd_revoke(int argc, char **argv, struct cli *cli);
int cmd_amend(int argc, char **argv, struct cli *cli);
int cmd_log(int argc, char **argv, struct cli *cli);
int cmd_serve(int argc, char **argv, struct cli *cli);
int cmd_company(int argc, char **argv, struct cli *cli);
int cmd_project(int argc, char **argv, struct cli *cli);
int cmd_worker(int argc, char **argv, struct cli *cli);
int cmd_institution(int argc, char **argv, struct cli *cli);
int cmd_user(int argc, char **argv, struct cli *cli);
int cmd_token(int argc, char **argv, struct cli *cli);
int cmd_audit(int argc, char **argv, struct cli *cli);
static int cmd_help(int argc, char **argv, struct cli *cli);
static int cmd_version(int argc, char **argv, struct cli *cli);

#define COMMON_HELP CLI_COMMON_HELP

struct command {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *cli);
	const char *summary; /* one line for `opcert help` */
	const char *help;    /* the whole of `opcert NAME --help` */
};

static const struct command commands[] = {
    {"init", cmd_init, "创建数据库或升级其结构",
     "用法：opcert init [--official-host HOST[:PORT]] [--db PATH]\n"
     "\n创建证书登记数据库（SQLite），已存在时应用尚未执行的结构升级。可重复运行。\n"
     "首次运行时在密钥目录（--keys，默认数据库旁的 keys/）创建数据密钥 data.key：身份证号码和\n"
     "应急管理证书编号（含身份证号码）在数据库中只以密文保存，没有这把密钥就读不出来。\n"
     "请用 opcert key backup 备份它。旧版本以明文保存的数据库由本命令重新加密。\n"
     "首次运行还登记市住建局及其处室和 14 个区（市、县）住建局。\n"
     "  --official-host HOST  官方核验网址（二维码中的 https://HOST/v），之后可用 opcert config "
     "修改\n" COMMON_HELP},
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
    {"show", cmd_show, "显示一本证书的登记记录（身份证号码默认脱敏）",
     "用法：opcert show 证书编号 [--full-id] [--json] [--db PATH]\n"
     "\n显示登记库中这本证书的全部字段。身份证号码和应急管理证书编号（含身份证号码）默认脱敏。\n"
     "  --full-id   显示完整的身份证号码；每次查看都以当前系统用户的名义记入审计记录\n"
     "              （opcert audit list 可查）\n"
     "  --json      以 JSON 输出\n"
     "\n退出状态：0 找到；1 登记库中没有这本证书；2 用法错误；3 系统错误。\n"},
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
    {"renew", cmd_renew, "记录延期复核/复审通过（新的有效期）",
     "用法：opcert renew NUMBER --valid-until DATE [--review-due DATE] [--db PATH]\n"
     "\n记录一本证书的延期复核（住建）或复审（应急管理）通过：有效期至改为 DATE，\n"
     "给出 --review-due 时复审日期一并改为该日期。每次记录追加一条透明日志，并记录变更。\n"
     "已注销的证书不能延期；新的有效期至不能早于现有的，也不能早于今天。\n"
     "\n  --valid-until DATE  延期复核后的有效期至（YYYY-MM-DD）\n"
     "  --review-due DATE   新的复审日期（可选）\n" COMMON_HELP},
    {"suspend", cmd_suspend, "记录暂扣证书",
     "用法：opcert suspend NUMBER --reason TEXT [--db PATH]\n"
     "\n暂扣一本证书并写明原因（记入透明日志）。已注销或已暂扣的证书不能再暂扣。\n"
     "\n  --reason TEXT     暂扣原因（必填）\n" COMMON_HELP},
    {"reinstate", cmd_reinstate, "记录恢复被暂扣的证书",
     "用法：opcert reinstate NUMBER [--reason TEXT] [--db PATH]\n"
     "\n解除一本被暂扣证书的暂扣，恢复为有效（记入透明日志）。只适用于暂扣中的证书。\n"
     "\n  --reason TEXT     恢复原因（可选）\n" COMMON_HELP},
    {"revoke", cmd_revoke, "记录注销/吊销证书",
     "用法：opcert revoke NUMBER --reason TEXT [--db PATH]\n"
     "\n注销或吊销一本证书并写明原因（记入透明日志）。注销后不能再延期、暂扣或恢复。\n"
     "\n  --reason TEXT     注销原因（必填）\n" COMMON_HELP},
    {"amend", cmd_amend, "公开更正登记记录中的一项（记入透明日志）",
     "用法：opcert amend NUMBER --field FIELD --value VALUE --reason TEXT [--today DATE] [--db "
     "PATH]\n"
     "\n更正登记记录中录入有误的一项，写明原因，更正记入透明日志并记录变更（个人信息脱敏）。\n"
     "FIELD 为下列之一：\n"
     "  name                 姓名\n"
     "  gender               性别（男/女，须与身份证号码一致）\n"
     "  id_number            身份证号码（性别随之按身份证号码确定；应急管理证书编号中含\n"
     "                       身份证号码，不能更正为与编号不同的号码）\n"
     "  trade                工种（代码或名称；住建证书须与编号中的工种代码一致）\n"
     "  issuer               发证机关\n"
     "  issued_on            发证日期\n"
     "  valid_until          有效期至\n"
     "  review_due           复审日期（空或“无”表示清除）\n"
     "  training_institution 培训机构（空表示清除）\n"
     "与现有内容相同的更正不予记录。\n"
     "\n  --field FIELD     要更正的项\n"
     "  --value VALUE     更正后的内容\n"
     "  --reason TEXT     更正原因（必填）\n" COMMON_HELP},
    {"log", cmd_log, "透明日志：检查点、包含证明、一致性证明、核查",
     "用法：opcert log checkpoint [--keys DIR] [--passphrase-file FILE] [--db PATH]\n"
     "      opcert log prove N [--db PATH]\n"
     "      opcert log consistency OLD_SIZE NEW_SIZE [--db PATH]\n"
     "      opcert log verify [--against CHECKPOINT_FILE] [--keys DIR] [--db PATH]\n"
     "      opcert log backfill [--db PATH]\n"
     "\n登记库的每次导入、签发、延期、暂扣、恢复、注销、更正都追加到只增不改的透明日志\n"
     "（RFC 9162 默克尔树，条目从 0 编号）。\n"
     "\n  checkpoint    用日志密钥签署当前日志的检查点（C2SP 签名格式），保存并打印。\n"
     "                请把打印出的检查点另存到数据库之外（如另一台电脑、打印件），\n"
     "                日后用 log verify --against 证明日志没有被改写。\n"
     "  prove N       第 N 条的包含证明：该条事件、叶子哈希、树的大小、根哈希和证明。\n"
     "  consistency OLD_SIZE NEW_SIZE\n"
     "                大小为 OLD_SIZE 的树是大小为 NEW_SIZE 的树的前缀的一致性证明。\n"
     "  verify        由保存的条目和登记库重新计算一切：每条的哈希和编码、编号连续、\n"
     "                树根、检查点签名，每本证书的登记记录与日志最后一次记录的是否一致；\n"
     "                逐条列出被修改、删除、回退或调换的登记记录和日志条目。\n"
     "                --against FILE  另存的检查点：当前日志必须是它的延续，否则日志被改写。\n"
     "                退出状态：0 未发现问题；1 发现问题；2 输入错误；3 系统错误。\n"
     "  backfill      把启用透明日志之前登记的证书各补记一条（只需运行一次）。\n"
     "\n日志来源名称（检查点第一行）为官方核验网址加 /log（见 opcert config），未设置时为\n"
     "opcert.local/log。密钥目录：--keys DIR，否则环境变量 OPCERT_KEYS，否则数据库旁的 "
     "keys/。\n" COMMON_HELP},
    {"key", cmd_key, "签名密钥：init、rotate、list、backup、restore",
     "用法：opcert key init | rotate | list | backup FILE | restore FILE [--keys DIR]\n"
     "                [--alg ed25519|sm2] [--passphrase-file FILE]\n"
     "                [--backup-passphrase-file FILE]\n"
     "\n  init              "
     "创建根密钥（市住建局）、第一把签发密钥和日志密钥；已存在时不做任何改动\n"
     "  rotate            启用新的签发密钥，停用当前的；已签发的凭证仍然有效\n"
     "  --alg ALG         （init、rotate）新签发密钥的算法：ed25519，或 sm2（国密 SM2/SM3）；\n"
     "                    rotate 不给出时沿用当前签发密钥的算法。根密钥和日志密钥总是\n"
     "                    Ed25519；浏览器只在本机核验 Ed25519，SM2 凭证由服务器核验\n"
     "  list              列出全部密钥（标识、用途、有效期）\n"
     "  backup FILE       把全部密钥（含数据密钥 data.key）加密备份到 FILE（必须给出\n"
     "                    --backup-passphrase-file）；尚未创建签名密钥时只备份数据密钥\n"
     "  restore FILE      从备份恢复到空的密钥目录\n"
     "\n密钥目录默认为数据库旁的 keys/。私钥文件权限为 0600；给出 --passphrase-file 时\n"
     "私钥用口令加密（Argon2id + XSalsa20-Poly1305）。恢复步骤见 "
     "docs/CREDENTIAL.md。\n" COMMON_HELP},
    {"trust", cmd_trust, "导出签名的信任列表",
     "用法：opcert trust export FILE\n"
     "\n导出由根密钥签名的信任列表（全部签发密钥及其有效期、日志密钥、发证机关代码），\n"
     "供离线核验设备使用。离线设备应固定根公钥。FILE 为 - 时写到标准输出。\n" COMMON_HELP},
    {"cred", cmd_cred, "签发或核验带签名的二维码凭证",
     "用法：opcert cred issue NUMBER [--png FILE] [--svg FILE] [--pdf FILE] [--jpeg FILE]\n"
     "      opcert cred verify (PAYLOAD | --image FILE | --batch FILE) [--trust FILE]\n"
     "                         [--status FILE] [--status-max-age DAYS] [--offline]\n"
     "                         [--official-host HOST] [--format "
     "text|json]\n"
     "\nissue：用当前签发密钥签发凭证，在标准输出打印 OC1:... 负载，并可写出二维码图片\n"
     "（内容为 https://官方网址/v#OC1:...）和中文证书（PDF/JPEG）。签发记入透明日志。\n"
     "\nverify：核验凭证、网址、证书照片（JPEG/PNG）或每行一个凭证的文件（输出 JSON Lines）。\n"
     "指向非官方网址的二维码不解码，结论为“非官方查询链接”；签名、密钥或签发时间不对为“伪造”；\n"
     "在线核验还要求签发记录在日志中，并给出登记库中的当前状态。--offline 只用给出的文件：\n"
     "没有状态列表或状态列表超过 --status-max-age 天（默认7天），结论为“状态未知”。\n" COMMON_HELP},
    {"photo", cmd_photo, "为证书附上持证人照片",
     "用法：opcert photo NUMBER FILE\n"
     "\n附上持证人照片（JPEG 或 PNG，最大 2 MB，边长 64–4096 像素，会完整解码检查）。\n"
     "重新签发凭证后，照片摘要写入二维码。\n" COMMON_HELP},
    {"status", cmd_status, "导出签名的证书状态列表（吊销列表）",
     "用法：opcert status export FILE\n"
     "\n导出签名的状态列表：每张凭证在随机位置占 2 位（有效/暂扣/注销），至少 131072 个位置，\n"
     "且不少于凭证数的两倍，核验者无法从下载行为得知查的是哪本证书。\n" COMMON_HELP},
    {"config", cmd_config, "查看或修改设置（官方核验网址）",
     "用法：opcert config set official-host HOST[:PORT] | opcert config get KEY\n"
     "\n官方核验网址必须是 https（localhost 和 127.0.0.1 可用 http）。\n" COMMON_HELP},
    {"company", cmd_company, "施工单位和监理单位：添加、导入、列出、修改、注销", cmd_company_help},
    {"project", cmd_project, "工程项目：添加、导入、列出、修改、关闭", cmd_project_help},
    {"worker", cmd_worker, "项目上的特种作业人员：登记（同时核验证书）、导入、列出、离开",
     cmd_worker_help},
    {"institution", cmd_institution, "安全培训机构：添加、列出、修改、注销", cmd_institution_help},
    {"user", cmd_user, "账号：添加、改密码、停用、列出", cmd_user_help},
    {"token", cmd_token, "接口令牌（供程序调用）：新建、吊销", cmd_token_help},
    {"audit", cmd_audit, "审计记录：列出、核查是否被篡改", cmd_audit_help},
    {"serve", cmd_serve, "启动 HTTP 服务：核验接口和公众查询网页",
     "用法：opcert serve [--listen HOST:PORT] [--web DIR] [--tls-cert FILE --tls-key FILE]\n"
     "                   [--trust-proxy] [--rate-limit N] [--sign-in-rate N] [--timeout SECONDS]\n"
     "                   [--threads N]\n"
     "                   [--db PATH] [--keys DIR] [--passphrase-file FILE]\n"
     "\n启动 HTTP 服务，提供证书查询、扫码核验、批量核验和如何识别官方查询的网页，\n"
     "以及 JSON 接口 /api/v1/（说明见 /api/v1/openapi.json）。启动后打印网址；\n"
     "收到 SIGTERM 或 Ctrl+C 时不再接受新连接，等进行中的请求完成后退出（退出状态 0）。\n"
     "公众查询只给出脱敏的身份证号码，“查无此证”和“姓名不符”的答复完全相同。\n"
     "\n  --listen HOST:PORT  监听地址（默认 127.0.0.1:8080；端口 0 表示任选空闲端口）\n"
     "  --web DIR           网页目录（默认：环境变量 OPCERT_WEB，否则源代码树中的 web/）\n"
     "  --tls-cert FILE     HTTPS 证书（PEM）；手机浏览器只在 HTTPS 页面开放摄像头\n"
     "  --tls-key FILE      HTTPS 私钥（PEM），与 --tls-cert 同时给出\n"
     "  --trust-proxy       前面有本机（127.0.0.1 或 ::1）上的反向代理：按其 X-Forwarded-For\n"
     "                      中的最后一个地址识别客户端；其 X-Forwarded-Proto 为 https 时，\n"
     "                      登录会话的 Cookie 带 Secure\n"
     "  --rate-limit N      每个客户端地址每分钟最多 N 次查询（默认 60，可连续 20 次；\n"
     "                      0 表示不限制，仅用于性能测试）\n"
     "  --sign-in-rate N    每个客户端地址每分钟最多 N 次登录或改密码（默认 10，可连续 5 次；\n"
     "                      0 表示不限制）；另外，同一账号连续输错密码 5 次即锁定 15 分钟\n"
     "  --timeout SECONDS   连接空闲多久即断开（默认 15 秒）\n"
     "  --threads N         处理请求的线程数（默认为处理器核数）\n"
     "\n签名密钥（--keys，默认数据库旁的 keys/）用于签署信任列表、状态列表和日志检查点；\n"
     "没有密钥时服务照常运行，这些接口答复 503。访问日志（JSON，每个请求一行）写到标准错误，\n"
     "只记录接口路径，不记录查询参数、客户端地址、密码、令牌或个人信息。\n"
     "\n账号用 opcert user add 创建；登录后会话保存在 HttpOnly、SameSite=Strict 的 Cookie 中\n"
     "（HTTPS 时加 Secure），空闲 30 分钟或登录 12 小时后失效。程序调用可用\n"
     "Authorization: Bearer 接口令牌（opcert token new）。\n" COMMON_HELP},
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
	return c->run(argc - 1, argv + 1, &cli);
}
