/*
 * cmd_log.c - `opcert log`: the transparency log from the command line.
 *
 *   opcert log checkpoint              sign and store a checkpoint, print it
 *   opcert log prove N                 inclusion proof of entry N
 *   opcert log consistency OLD NEW     consistency proof between two sizes
 *   opcert log verify [--against FILE] recompute everything (logverify.h)
 *   opcert log backfill                record rows that predate the log
 *
 * Inclusion proofs are the server's (ledger_prove, in the tree the log's
 * stored state names); consistency proofs are computed from the stored
 * leaf hashes held in memory.  Both are checked against the log's root
 * before they are printed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli.h"
#include "cmd.h"
#include "date.h"
#include "file.h"
#include "issue.h"
#include "keys.h"
#include "ledger.h"
#include "lifecycle.h"
#include "logverify.h"
#include "tlog.h"

#define OPT_AGAINST 0x200

/* Parse only the common options; returns -1 to go on, else an exit status. */
static int common_options(int argc, char **argv, struct cli *cli, const struct option *longopts,
                          const char **against)
{
	int opt, rc;

	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		if (opt == OPT_AGAINST && against) {
			*against = optarg;
			continue;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	return -1;
}

static int no_more_args(const struct cli *cli, int argc, char **argv, int want)
{
	if (optind + want > argc)
		return cli_usage(cli, "缺少参数");
	if (optind + want < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind + want]);
	return -1;
}

/* A decimal entry number or tree size. */
static int parse_u64(const struct cli *cli, const char *what, const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return cli_usage(cli, "%s“%s”应为非负整数", what, s);
	v = strtoull(s, &end, 10);
	if (*end || v > INT64_MAX)
		return cli_usage(cli, "%s“%s”应为非负整数", what, s);
	*out = (uint64_t)v;
	return -1;
}

static void b64(const uint8_t hash[TLOG_HASH_LEN], char out[TLOG_HASH_B64LEN + 1])
{
	tlog_hash_format(hash, out);
}

static int open_keys(struct cli *cli, struct keys **ks, struct err *err)
{
	*ks = keys_open(cli_keys_dir(cli), cli->passphrase_file, NULL, err);
	return *ks ? 0 : -1;
}

/* --- checkpoint --- */

static int log_checkpoint(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	struct store *st = NULL;
	struct keys *ks = NULL;
	struct err err;
	char *note = NULL;
	int rc = common_options(argc, argv, cli, longopts, NULL);

	if (rc >= 0)
		return rc;
	rc = no_more_args(cli, argc, argv, 0);
	if (rc >= 0)
		return rc;
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	err_clear(&err);
	note = malloc(NOTE_MAX + 1);
	if (!note) {
		err_system(&err, "内存不足");
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	if (open_keys(cli, &ks, &err) < 0 ||
	    ledger_checkpoint_create(st, ks, date_now_seconds(), note, NOTE_MAX + 1, NULL, &err) <
	        0) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	fputs(note, stdout);
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	free(note);
	keys_close(ks);
	store_close(st);
	return rc;
}

/* --- proofs --- */

/* The log as the state records it, and its leaves, inside one read snapshot. */
struct snapshot {
	struct ledger ledger;
	struct logverify_leaves leaves;
	uint64_t size;
	uint8_t root[TLOG_HASH_LEN];
};

static int snapshot_open(struct store *st, uint64_t leaves, struct snapshot *s, struct err *err)
{
	memset(s, 0, sizeof(*s));
	if (ledger_open(&s->ledger, st, err) < 0)
		return -1;
	s->size = (uint64_t)ledger_size(&s->ledger);
	ledger_root(&s->ledger, s->root);
	if (leaves > s->size)
		return err_input(err, "日志只有 %" PRIu64 " 条", s->size);
	return logverify_leaves_load(st, leaves, &s->leaves, err);
}

static void print_event(const struct store_log_entry *e)
{
	struct ledger_event ev;
	char number[CERTNO_SIZE], detail[STORE_LOG_DATA_MAX], when[32];
	char h[TLOG_HASH_B64LEN + 1];

	if (ledger_decode(e->data, e->len, &ev, number, sizeof(number), detail, sizeof(detail)) <
	    0) {
		printf("事件：（无法解码：条目已损坏，请运行 opcert log verify）\n");
		return;
	}
	date_time_china(ev.time, when);
	printf("事件：%s（%s）\n", ledger_kind_label(ev.kind), ledger_kind_code(ev.kind));
	printf("时间：%s（北京时间）\n", when);
	if (ev.number)
		printf("证书：%s\n", ev.number);
	if (ev.has_row) {
		b64(ev.row_hash, h);
		printf("登记记录哈希：%s\n", h);
	}
	if (ev.detail)
		printf("附注：%s\n", ev.detail);
}

static int log_prove(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	struct ledger ledger;
	struct ledger_tree tree;
	struct ledger_proof *p = NULL;
	struct store *st = NULL;
	struct err err;
	char h[TLOG_HASH_B64LEN + 1], text[TLOG_PROOF_TEXT_MAX + 1];
	size_t tlen;
	uint64_t m;
	int rc = common_options(argc, argv, cli, longopts, NULL), in_txn = 0;

	if (rc >= 0)
		return rc;
	rc = no_more_args(cli, argc, argv, 1);
	if (rc >= 0)
		return rc;
	rc = parse_u64(cli, "条目序号", argv[optind], &m);
	if (rc >= 0)
		return rc;
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		return rc;
	err_clear(&err);
	p = malloc(sizeof(*p));
	if (!p) {
		err_system(&err, "内存不足");
		goto fail;
	}
	/* The tree the log's stored state names, and the proof in it, in one snapshot. */
	if (store_begin(st, STORE_TXN_READ, &err) < 0)
		goto fail;
	in_txn = 1;
	if (ledger_open(&ledger, st, &err) < 0)
		goto fail;
	tree.size = (uint64_t)ledger_size(&ledger);
	ledger_root(&ledger, tree.root);
	tree.from_checkpoint = 0;
	if (ledger_prove(st, NULL, &tree, m, p, &err) < 0 ||
	    tlog_proof_format(&p->proof, text, sizeof(text), &tlen, &err) < 0)
		goto fail;
	store_rollback(st);
	in_txn = 0;

	printf("条目：%" PRIu64 "\n", m);
	print_event(&p->entry);
	b64(p->leaf, h);
	printf("叶子哈希：%s\n", h);
	printf("树的大小：%" PRIu64 "\n", tree.size);
	b64(tree.root, h);
	printf("根哈希：%s\n", h);
	printf("包含证明（%zu 个哈希）：\n%s", p->proof.len, text);
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
	goto out;
fail:
	rc = cli_fail(cli, &err, NULL);
out:
	if (in_txn)
		store_rollback(st);
	free(p);
	store_close(st);
	return rc;
}

static int log_consistency(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	struct snapshot *s = NULL;
	struct tlog_proof *proof = NULL;
	struct store *st = NULL;
	struct err err;
	uint8_t old_root[TLOG_HASH_LEN], new_root[TLOG_HASH_LEN];
	char h[TLOG_HASH_B64LEN + 1], text[TLOG_PROOF_TEXT_MAX + 1];
	size_t tlen;
	uint64_t m, n;
	int rc = common_options(argc, argv, cli, longopts, NULL), in_txn = 0;

	if (rc >= 0)
		return rc;
	rc = no_more_args(cli, argc, argv, 2);
	if (rc >= 0)
		return rc;
	rc = parse_u64(cli, "旧树大小", argv[optind], &m);
	if (rc >= 0)
		return rc;
	rc = parse_u64(cli, "新树大小", argv[optind + 1], &n);
	if (rc >= 0)
		return rc;
	if (m > n)
		return cli_usage(cli, "旧树大小 %" PRIu64 " 大于新树大小 %" PRIu64, m, n);
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		return rc;
	err_clear(&err);
	s = malloc(sizeof(*s));
	proof = malloc(sizeof(*proof));
	if (!s || !proof) {
		err_system(&err, "内存不足");
		goto fail;
	}
	memset(s, 0, sizeof(*s));
	if (store_begin(st, STORE_TXN_READ, &err) < 0)
		goto fail;
	in_txn = 1;
	if (snapshot_open(st, n, s, &err) < 0)
		goto fail;
	if (tlog_root(m, logverify_leaf, &s->leaves, old_root, &err) < 0 ||
	    tlog_root(n, logverify_leaf, &s->leaves, new_root, &err) < 0 ||
	    tlog_prove_consistency(m, n, logverify_leaf, &s->leaves, proof, &err) < 0)
		goto fail;
	if ((n == s->size && sodium_memcmp(new_root, s->root, TLOG_HASH_LEN) != 0) ||
	    !tlog_verify_consistency(m, n, old_root, new_root, proof)) {
		err_system(&err, "日志的条目与日志状态记录的根哈希不符，请运行 opcert log verify");
		goto fail;
	}
	if (tlog_proof_format(proof, text, sizeof(text), &tlen, &err) < 0)
		goto fail;
	store_rollback(st);
	in_txn = 0;

	printf("旧树大小：%" PRIu64 "\n", m);
	b64(old_root, h);
	printf("旧根哈希：%s\n", h);
	printf("新树大小：%" PRIu64 "\n", n);
	b64(new_root, h);
	printf("新根哈希：%s\n", h);
	printf("一致性证明（%zu 个哈希）：\n%s", proof->len, text);
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
	goto out;
fail:
	rc = cli_fail(cli, &err, NULL);
out:
	if (in_txn)
		store_rollback(st);
	if (s)
		logverify_leaves_release(&s->leaves);
	free(s);
	free(proof);
	store_close(st);
	return rc;
}

/* --- verify --- */

static void print_summary(const struct logverify_report *r, double seconds)
{
	char h[TLOG_HASH_B64LEN + 1];
	size_t k;

	b64(r->root, h);
	printf("\n日志：%" PRId64 " 条，根哈希 %s\n", r->entries, h);
	if (r->state_size >= 0 && r->state_size != r->entries)
		printf("日志状态：记录 %" PRId64 " 条\n", r->state_size);
	printf("登记库：%ld 本证书；日志记录了 %ld 个证书编号\n", r->certificates, r->numbers);
	if (!r->checkpoint)
		printf("保存的检查点：无（可运行 opcert log checkpoint 生成）\n");
	else
		printf("保存的检查点：最新一个记录 %" PRId64 " 条%s\n", r->checkpoint_size,
		       r->checkpoint_signed ? "" : "（未核对签名：未打开密钥库）");
	if (r->against)
		printf("所给检查点：记录 %" PRId64 " 条%s\n", r->against_size,
		       r->counts[LOGVERIFY_LOG_REWRITTEN] ? "，当前日志不是它的延续"
		                                          : "，当前日志是它的延续");
	if (r->total == 0) {
		printf("结论：未发现问题（用时 %.2f 秒）\n", seconds);
		return;
	}
	printf("结论：发现 %zu 个问题（用时 %.2f 秒）：", r->total, seconds);
	for (k = 1; k <= LOGVERIFY_KIND_MAX; k++)
		if (r->counts[k])
			printf(" %s %zu", logverify_kind_label((enum logverify_kind)k),
			       r->counts[k]);
	printf("\n");
	if (r->nfindings < r->total)
		printf("（只列出了前 %zu 个）\n", r->nfindings);
}

static int log_verify(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {{"against", required_argument, NULL, OPT_AGAINST},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	struct logverify_options o;
	struct logverify_report r;
	struct store *st = NULL;
	struct keys *ks = NULL;
	const struct keys_info *ki = NULL;
	struct timespec t0, t1;
	struct err err, kerr;
	const char *against = NULL;
	char *cpbuf = NULL;
	size_t cplen = 0, i;
	int rc = common_options(argc, argv, cli, longopts, &against);

	if (rc >= 0)
		return rc;
	rc = no_more_args(cli, argc, argv, 0);
	if (rc >= 0)
		return rc;
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	err_clear(&err);
	if (against) {
		/* A checkpoint is small: anything longer is not one. */
		if (file_load(against, NOTE_MAX, &cpbuf, &cplen, &err) < 0)
			return cli_fail(cli, &err, against);
		o.against = cpbuf;
		o.against_len = cplen;
	}
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		goto out;
	/* Only public keys are read; without the key store the checks that
	 * need no signature still run, unless a checkpoint must be proven. */
	err_clear(&kerr);
	if (open_keys(cli, &ks, &kerr) == 0) {
		ki = keys_get(ks, KEYS_LOG);
		if (ki && keys_log_name(ks)) {
			o.key_name = keys_log_name(ks);
			o.key_pk = ki->pk;
		}
	}
	if (!o.key_name) {
		if (against) {
			if (kerr.kind == ERR_NONE)
				err_input(&kerr, "密钥库 %s 中没有日志密钥", cli_keys_dir(cli));
			rc = cli_fail(cli, &kerr, NULL);
			goto out;
		}
		fprintf(stderr, "opcert log: 未能打开密钥库 %s，检查点的签名不核对（%s）\n",
		        cli_keys_dir(cli), kerr.kind != ERR_NONE ? kerr.msg : "没有日志密钥");
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (logverify_run(st, &o, &r, &err) < 0) {
		rc = cli_fail(cli, &err, against);
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	for (i = 0; i < r.nfindings; i++)
		printf("[%s] %s\n", logverify_kind_label(r.findings[i].kind), r.findings[i].msg);
	print_summary(&r,
	              (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = cli_finish_stdout(cli, r.total ? EXIT_FINDINGS : EXIT_ALL_VALID);
out:
	logverify_report_release(&r);
	keys_close(ks);
	store_close(st);
	free(cpbuf);
	return rc;
}

/* --- backfill --- */

static int log_backfill(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	struct store *st = NULL;
	struct err err;
	long count = 0;
	int rc = common_options(argc, argv, cli, longopts, NULL);

	if (rc >= 0)
		return rc;
	rc = no_more_args(cli, argc, argv, 0);
	if (rc >= 0)
		return rc;
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	err_clear(&err);
	if (lifecycle_backfill(st, date_now_seconds(), &count, &err) < 0) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	if (count)
		printf("已把 %ld 本启用日志前登记的证书补记入透明日志\n", count);
	else
		printf("所有证书都已记入透明日志，无需补记\n");
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	store_close(st);
	return rc;
}

static const struct {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *cli);
} subcommands[] = {
    {"checkpoint", log_checkpoint}, {"prove", log_prove},       {"consistency", log_consistency},
    {"verify", log_verify},         {"backfill", log_backfill},
};

const char cmd_log_help[] =
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
    "keys/。\n" CLI_COMMON_HELP;

int cmd_log(int argc, char **argv, struct cli *cli)
{
	size_t i;

	if (argc < 2)
		return cli_usage(
		    cli, "缺少子命令（checkpoint、prove、consistency、verify 或 backfill）");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		cli_print_help(cli);
		return EXIT_ALL_VALID;
	}
	for (i = 0; i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
		if (strcmp(argv[1], subcommands[i].name) == 0)
			return subcommands[i].run(argc - 1, argv + 1, cli);
	return cli_usage(cli,
	                 "没有子命令“%s”（可用：checkpoint、prove、consistency、verify、backfill）",
	                 argv[1]);
}
