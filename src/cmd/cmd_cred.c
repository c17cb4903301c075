/*
 * cmd_cred.c - the signed-credential commands: `key`, `trust`, `cred`,
 * `photo`, `status` and `config`.  Each parses its arguments, calls the
 * core (keys.h, issue.h, scan.h, statuslist.h, render.h) and prints.
 */
#include <errno.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "cmd.h"
#include "certno.h"
#include "cred.h"
#include "date.h"
#include "file.h"
#include "issue.h"
#include "keys.h"
#include "ledger.h"
#include "render.h"
#include "scan.h"
#include "statuslist.h"
#include "text.h"
#include "trade.h"
#include "trail.h"
#include "trust.h"
#include "vout.h"

#define QR_MAX_VERSION 13

static int write_text_file(const struct cli *cli, const char *path, const char *text)
{
	FILE *f;
	size_t n = strlen(text);

	if (strcmp(path, "-") == 0) {
		fputs(text, stdout);
		return cli_finish_stdout(cli, EXIT_ALL_VALID);
	}
	f = fopen(path, "w");
	if (!f || fwrite(text, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "opcert %s: 无法写入 %s\n", cli->command, path);
		return EXIT_SYSTEM;
	}
	return EXIT_ALL_VALID;
}

/* Append one event about the keys to the log, and enter it in the audit
 * trail (action "key.init" / "key.rotate"), when a register exists. */
static int log_key_event(struct cli *cli, const char *action, const char *detail, int64_t now)
{
	char json[192];

	struct store *st = NULL;
	struct ledger l;
	struct ledger_event e;
	struct err err;
	int rc;

	err_clear(&err);
	if (access(cli->db, F_OK) != 0)
		return 0; /* no register yet: there is no log to record the keys in */
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	memset(&e, 0, sizeof(e));
	e.kind = LEDGER_KEY;
	e.time = now;
	e.detail = detail;
	snprintf(json, sizeof(json), "{\"event\":\"%s\"}", detail);
	rc = store_begin(st, STORE_TXN_NORMAL, &err);
	if (rc == 0 && (ledger_open(&l, st, &err) < 0 || ledger_append(&l, &e, NULL, &err) < 0 ||
	                trail_append(st, NULL, now, action, "keys", json, &err) < 0 ||
	                ledger_save(&l, &err) < 0 || store_commit(st, &err) < 0)) {
		store_rollback(st);
		rc = -1;
	}
	store_close(st);
	return rc < 0 ? cli_fail(cli, &err, NULL) : 0;
}

static const char *role_label(enum keys_role r)
{
	return r == KEYS_ROOT ? "根密钥" : r == KEYS_LOG ? "日志密钥" : "签发密钥";
}

static void print_time(int64_t t)
{
	char buf[32];
	time_t tt = (time_t)t + 8 * 3600; /* China time */
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm);
	fputs(buf, stdout);
}

static int key_list(struct cli *cli, struct keys *ks)
{
	const struct keys_info *k = NULL;
	size_t n = 0, i;
	char hex[2 * KID_LEN + 1];

	k = keys_list(ks, &n);
	printf("%-10s %-17s %-8s %-17s %-17s %s\n", "角色", "密钥标识", "算法", "启用", "停用",
	       "私钥");
	for (i = 0; i < n; i++) {
		printf("%-10s %-17s %-8s ", role_label(k[i].role), trust_kid_hex(k[i].kid, hex),
		       k[i].alg == ALG_SM2 ? "SM2" : "Ed25519");
		print_time(k[i].not_before);
		fputs("  ", stdout);
		if (k[i].not_after)
			print_time(k[i].not_after);
		else
			fputs(k[i].role == KEYS_ISSUING ? "（当前）        " : "                ",
			      stdout);
		printf("  %s\n", !k[i].has_secret ? "已删除"
		                 : k[i].encrypted ? "口令加密"
		                                  : "未加密");
	}
	return cli_finish_stdout(cli, EXIT_ALL_VALID);
}

const char cmd_key_help[] =
    "用法：opcert key init | rotate | list | backup FILE | restore FILE [--keys DIR]\n"
    "                [--alg ed25519|sm2] [--passphrase-file FILE]\n"
    "                [--backup-passphrase-file FILE]\n"
    "\n  init              创建根密钥（市住建局）、第一把签发密钥和日志密钥；已存在时不做任何改动\n"
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
    "docs/CREDENTIAL.md。\n" CLI_COMMON_HELP;

int cmd_key(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {
	    {"backup-passphrase-file", required_argument, NULL, 'b'},
	    {"alg", required_argument, NULL, 'a'},
	    CLI_COMMON_LONG_OPTIONS,
	    {NULL, 0, NULL, 0}};
	const char *sub, *dir, *backup_pass = NULL;
	struct keys *ks = NULL;
	struct err err;
	int64_t now = date_now_seconds();
	char detail[128], hex[2 * KID_LEN + 1];
	uint8_t kid[KID_LEN];
	struct keys_options kopt = {0};
	int opt, rc, alg_given = 0;

	if (argc < 2 || argv[1][0] == '-') {
		rc = cli_common_options(argc, argv, cli);
		return rc >= 0
		           ? rc
		           : cli_usage(cli, "缺少子命令（init、rotate、list、backup、restore）");
	}
	sub = argv[1];
	argc--;
	argv++;
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		if (opt == 'b') {
			backup_pass = optarg;
			continue;
		}
		if (opt == 'a') {
			if (strcasecmp(optarg, "sm2") == 0)
				kopt.issuing_alg = ALG_SM2;
			else if (strcasecmp(optarg, "ed25519") == 0)
				kopt.issuing_alg = ALG_ED25519;
			else
				return cli_usage(cli, "--alg 只能是 ed25519 或 sm2，而不是“%s”",
				                 optarg);
			alg_given = 1;
			continue;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	dir = cli_keys_dir(cli);
	err_clear(&err);
	if (alg_given && strcmp(sub, "init") != 0 && strcmp(sub, "rotate") != 0)
		return cli_usage(cli, "--alg 只用于 key init 和 key rotate");
	if (strcmp(sub, "init") == 0) {
		if (optind < argc)
			return cli_usage(cli, "多余的参数“%s”", argv[optind]);
		rc = keys_init(dir, cli->passphrase_file, &kopt, now, &err);
		if (rc < 0)
			return cli_fail(cli, &err, NULL);
		if (rc == 0) {
			printf("密钥已存在于 %s，未做任何改动\n", dir);
			return cli_finish_stdout(cli, EXIT_ALL_VALID);
		}
		ks = keys_open(dir, cli->passphrase_file, NULL, &err);
		if (!ks)
			return cli_fail(cli, &err, NULL);
		snprintf(detail, sizeof(detail), "init root %s",
		         trust_kid_hex(keys_get(ks, KEYS_ROOT)->kid, hex));
		printf("已在 %s 创建根密钥、签发密钥和日志密钥%s\n", dir,
		       cli->passphrase_file ? "（私钥已用口令加密）"
		                            : "（私钥未加密，仅用于演示）");
		rc = log_key_event(cli, "key.init", detail, now);
		if (rc == 0)
			rc = key_list(cli, ks);
		keys_close(ks);
		return rc;
	}
	if (strcmp(sub, "restore") == 0) {
		if (optind + 1 != argc)
			return cli_usage(
			    cli,
			    "用法：opcert key restore BACKUP-FILE --backup-passphrase-file FILE");
		if (!backup_pass)
			return cli_usage(cli, "缺少 --backup-passphrase-file（备份口令文件）");
		if (keys_restore(argv[optind], backup_pass, dir, &err) < 0)
			return cli_fail(cli, &err, argv[optind]);
		printf("已从 %s 恢复密钥到 %s\n", argv[optind], dir);
		return cli_finish_stdout(cli, EXIT_ALL_VALID);
	}
	if (strcmp(sub, "backup") == 0 && keys_index_absent(dir)) {
		/* No signing keys yet: the data key alone still needs its backup. */
		if (optind + 1 != argc)
			return cli_usage(
			    cli, "用法：opcert key backup FILE --backup-passphrase-file FILE");
		if (!backup_pass)
			return cli_usage(cli, "缺少 --backup-passphrase-file：备份必须加密");
		if (keys_backup_data(dir, argv[optind], backup_pass, &err) < 0)
			return cli_fail(cli, &err, argv[optind]);
		printf(
		    "已把 %s 中的数据密钥加密备份到 %s（尚无签名密钥；恢复：opcert key restore）\n",
		    dir, argv[optind]);
		return cli_finish_stdout(cli, EXIT_ALL_VALID);
	}
	ks = keys_open(dir, cli->passphrase_file, NULL, &err);
	if (!ks)
		return cli_fail(cli, &err, NULL);
	if (strcmp(sub, "list") == 0) {
		rc = optind < argc ? cli_usage(cli, "多余的参数“%s”", argv[optind])
		                   : key_list(cli, ks);
	} else if (strcmp(sub, "rotate") == 0) {
		if (optind < argc) {
			rc = cli_usage(cli, "多余的参数“%s”", argv[optind]);
		} else if (keys_rotate(ks, kopt.issuing_alg, now, kid, &err) < 0) {
			rc = cli_fail(cli, &err, NULL);
		} else {
			const struct keys_info *cur = keys_get(ks, KEYS_ISSUING);
			const char *an = cur && cur->alg == ALG_SM2 ? "SM2" : "Ed25519";

			snprintf(detail, sizeof(detail), "rotate issuing %s %s",
			         trust_kid_hex(kid, hex), an);
			printf("已启用新的签发密钥 %s（%s）；原签发密钥已停用，它此前签发的凭证仍然"
			       "有效\n",
			       hex, an);
			printf("请重新导出信任列表：opcert trust export FILE\n");
			rc = log_key_event(cli, "key.rotate", detail, now);
			if (rc == 0)
				rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
		}
	} else if (strcmp(sub, "backup") == 0) {
		if (optind + 1 != argc)
			rc = cli_usage(
			    cli, "用法：opcert key backup FILE --backup-passphrase-file FILE");
		else if (!backup_pass)
			rc = cli_usage(cli, "缺少 --backup-passphrase-file：备份必须加密");
		else if (keys_backup(ks, argv[optind], backup_pass, &err) < 0)
			rc = cli_fail(cli, &err, argv[optind]);
		else {
			printf("已把 %s 中的全部密钥加密备份到 %s（恢复：opcert key restore）\n",
			       dir, argv[optind]);
			rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
		}
	} else {
		rc = cli_usage(cli, "没有子命令“%s”（init、rotate、list、backup、restore）", sub);
	}
	keys_close(ks);
	return rc;
}

/* The trust list of the local key store, with the register's issuer codes. */
static int local_trust(struct cli *cli, struct store *st, struct keys *ks, struct trust_list *tl)
{
	struct trust_issuer *issuers = calloc(TRUST_MAX_ISSUERS, sizeof(*issuers));
	size_t n = 0;
	struct err err;
	int rc = 0;

	err_clear(&err);
	if (!issuers)
		return EXIT_SYSTEM;
	if ((st && store_issuer_list(st, issuers, TRUST_MAX_ISSUERS, &n, &err) < 0) ||
	    keys_trust_list(ks, issuers, n, date_now_seconds(), tl, &err) < 0)
		rc = cli_fail(cli, &err, NULL);
	free(issuers);
	return rc;
}

const char cmd_trust_help[] =
    "用法：opcert trust export FILE\n"
    "\n导出由根密钥签名的信任列表（全部签发密钥及其有效期、日志密钥、发证机关代码），\n"
    "供离线核验设备使用。离线设备应固定根公钥。FILE 为 - 时写到标准输出。\n" CLI_COMMON_HELP;

int cmd_trust(int argc, char **argv, struct cli *cli)
{
	struct trust_issuer *issuers = NULL;
	struct store *st = NULL;
	struct keys *ks = NULL;
	struct err err;
	char *json = NULL;
	size_t n = 0;
	int rc;

	if (argc < 2 || strcmp(argv[1], "export") != 0) {
		rc = cli_common_options(argc, argv, cli);
		return rc >= 0 ? rc : cli_usage(cli, "用法：opcert trust export FILE");
	}
	argc--;
	argv++;
	rc = cli_common_options(argc, argv, cli);
	if (rc >= 0)
		return rc;
	if (optind + 1 != argc)
		return cli_usage(cli, "用法：opcert trust export FILE（- 表示标准输出）");
	err_clear(&err);
	issuers = calloc(TRUST_MAX_ISSUERS, sizeof(*issuers));
	if (!issuers)
		return EXIT_SYSTEM;
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		goto out;
	ks = keys_open(cli_keys_dir(cli), cli->passphrase_file, NULL, &err);
	if (!ks || store_issuer_list(st, issuers, TRUST_MAX_ISSUERS, &n, &err) < 0 ||
	    !(json = keys_trust_export(ks, issuers, n, date_now_seconds(), &err))) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	rc = write_text_file(cli, argv[optind], json);
	if (rc == 0 && strcmp(argv[optind], "-") != 0)
		printf("已导出信任列表到 %s（离线核验设备应固定根公钥）\n", argv[optind]);
out:
	free(json);
	free(issuers);
	keys_close(ks);
	store_close(st);
	return rc;
}

static void fill_card(struct render_card *card, const struct issue_result *r, const char *host,
                      const struct render_qr *qr, const struct store_photo *photo,
                      char dates[3][16], const char **gender)
{
	const struct trade *t = trade_by_code(r->cert.system, r->cert.trade);

	memset(card, 0, sizeof(*card));
	card->system = r->cert.system;
	card->number = r->claims.number;
	card->name = r->claims.name;
	*gender = gender_label(r->claims.gender);
	card->gender = *gender;
	card->id_masked = r->claims.id_masked;
	card->trade_category = t && t->category ? t->category : NULL;
	card->trade_code = r->cert.trade;
	card->trade_name = t ? t->name : "";
	card->issuer = r->cert.issuer;
	card->issued_on = date_format(r->cert.issued_on, dates[0]);
	card->valid_until = date_format(r->cert.valid_until, dates[1]);
	card->review_due =
	    r->cert.review_due == DATE_NONE ? NULL : date_format(r->cert.review_due, dates[2]);
	card->photo = photo->data;
	card->photo_len = photo->len;
	card->qr = qr;
	card->host = host;
}

static int cred_issue(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"png", required_argument, NULL, 'p'},
	                                         {"svg", required_argument, NULL, 's'},
	                                         {"pdf", required_argument, NULL, 'd'},
	                                         {"jpeg", required_argument, NULL, 'j'},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	const char *png = NULL, *svg = NULL, *pdf = NULL, *jpeg = NULL;
	struct issue_result r = {0};
	struct cred_qr_segments seg = {0};
	struct render_qr qr = {0};
	struct render_buf buf = {0};
	struct store_photo photo = {0};
	struct render_card card;
	struct store *st = NULL;
	struct keys *ks = NULL;
	struct err err;
	char host[256], dates[3][16];
	const char *gender;
	int opt, rc;

	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		switch (opt) {
		case 'p':
			png = optarg;
			continue;
		case 's':
			svg = optarg;
			continue;
		case 'd':
			pdf = optarg;
			continue;
		case 'j':
			jpeg = optarg;
			continue;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项");
	}
	if (optind + 1 != argc)
		return cli_usage(
		    cli, "用法：opcert cred issue NUMBER [--png FILE] [--svg FILE] [--pdf FILE]");
	err_clear(&err);
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		return rc;
	rc = cli_official_host(cli, st, host, sizeof(host));
	if (rc <= 0) {
		if (rc == 0)
			fprintf(stderr, "opcert cred: 尚未设置官方核验网址：opcert config set "
			                "official-host HOST\n");
		rc = rc < 0 ? EXIT_SYSTEM : EXIT_USAGE;
		goto out;
	}
	ks = keys_open(cli_keys_dir(cli), cli->passphrase_file, NULL, &err);
	if (!ks || issue_credential(st, ks, argv[optind], date_now_seconds(), &r, &err) < 0 ||
	    cred_qr_segments(host, r.payload, &seg, &err) < 0 ||
	    render_qr_encode(seg.prefix, strlen(seg.prefix), seg.rest, strlen(seg.rest),
	                     QR_MAX_VERSION, &qr, &err) < 0) {
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	printf("%s\n", r.payload);
	if (r.checkpoint_failed)
		fprintf(stderr,
		        "opcert cred: 凭证已签发，但未能签署日志检查点（%s）：请运行 opcert log "
		        "checkpoint，"
		        "否则在线核验会拒绝这张凭证\n",
		        r.checkpoint_error);
	fprintf(stderr, "二维码：版本 %d，纠错级别 M（%zu 个字符）\n", qr.version,
	        strlen(seg.prefix) + strlen(seg.rest));
	rc = EXIT_ALL_VALID;
	if (png && (render_qr_png(&qr, RENDER_QR_PX, &buf, &err) < 0 ||
	            render_buf_save(&buf, png, &err) < 0))
		rc = cli_fail(cli, &err, png);
	render_buf_release(&buf);
	if (rc == 0 && svg &&
	    (render_qr_svg(&qr, &buf, &err) < 0 || render_buf_save(&buf, svg, &err) < 0))
		rc = cli_fail(cli, &err, svg);
	render_buf_release(&buf);
	if (rc == 0 && (pdf || jpeg)) {
		if (store_photo_get(st, r.cert.number, &photo, &err) < 0) {
			rc = cli_fail(cli, &err, NULL);
			goto out;
		}
		fill_card(&card, &r, host, &qr, &photo, dates, &gender);
		if (pdf && (render_card_pdf(&card, &buf, &err) < 0 ||
		            render_buf_save(&buf, pdf, &err) < 0))
			rc = cli_fail(cli, &err, pdf);
		render_buf_release(&buf);
		if (rc == 0 && jpeg &&
		    (render_card_jpeg(&card, 0, 0, &buf, &err) < 0 ||
		     render_buf_save(&buf, jpeg, &err) < 0))
			rc = cli_fail(cli, &err, jpeg);
		render_buf_release(&buf);
	}
	if (rc == 0)
		rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
out:
	free(photo.data);
	render_qr_release(&qr);
	cred_qr_segments_free(&seg);
	issue_result_release(&r);
	keys_close(ks);
	store_close(st);
	return rc;
}

static void hex_of(const uint8_t *p, size_t n, char *out, size_t size)
{
	sodium_bin2hex(out, size, p, n);
}

/* Append ,"key": and the string value. */
static size_t kv(char *b, size_t size, size_t n, const char *key, const char *value)
{
	n = vout_json_lit(b, size, n, ",\"");
	n = vout_json_lit(b, size, n, key);
	n = vout_json_lit(b, size, n, "\":");
	return vout_json_str(b, size, n, value);
}

/*
 * One JSON line for a scanned credential, written directly: a batch of
 * 100,000 payloads otherwise spends a tenth of its time building trees.
 * Keys: verdict, findings, host, kid, claims {...}, message.
 */
static int scan_jsonl(FILE *f, const struct scan_result *r, const struct trust_list *tl)
{
	char b[16384], hex[65], d[DATE_TEXT_MAX], num[32];
	size_t n = 0, size = sizeof(b);
	int v, first = 1;

	n = vout_json_lit(b, size, n, "{\"verdict\":");
	n = vout_json_str(b, size, n, verdict_code(r->verdict));
	n = vout_json_lit(b, size, n, ",\"findings\":[");
	for (v = V_COUNT; (v = verdict_next(r->findings, v)) >= 0; first = 0) {
		if (!first)
			n = vout_json_lit(b, size, n, ",");
		n = vout_json_str(b, size, n, verdict_code((enum verdict)v));
	}
	n = vout_json_lit(b, size, n, "]");
	if (r->link.kind == CRED_LINK_UNOFFICIAL)
		n = kv(b, size, n, "host", r->link.host);
	if (r->check.have_kid) {
		hex_of(r->check.kid, KID_LEN, hex, sizeof(hex));
		n = kv(b, size, n, "kid", hex);
	}
	if (r->check.have_claims) {
		const struct cred_claims *c = &r->check.claims;
		const char *issuer = trust_issuer_name(tl, c->issuer_code);

		n = vout_json_lit(b, size, n, ",\"claims\":{\"number\":");
		n = vout_json_str(b, size, n, c->number);
		n = kv(b, size, n, "name", c->name);
		n = kv(b, size, n, "gender", gender_label(c->gender));
		n = kv(b, size, n, "id_masked", c->id_masked);
		n = kv(b, size, n, "trade", c->trade);
		n = kv(b, size, n, "issued_on", date_format(c->issued_on, d));
		n = kv(b, size, n, "valid_until", date_format(c->valid_until, d));
		if (c->review_due != DATE_NONE)
			n = kv(b, size, n, "review_due", date_format(c->review_due, d));
		n = kv(b, size, n, "issuer_code", c->issuer_code);
		if (issuer)
			n = kv(b, size, n, "issuer", issuer);
		if (c->has_photo) {
			hex_of(c->photo_hash, CRED_HASH_LEN, hex, sizeof(hex));
			n = kv(b, size, n, "photo_hash", hex);
		}
		snprintf(num, sizeof(num), "%u", (unsigned)c->status_index);
		n = vout_json_lit(b, size, n, ",\"status_index\":");
		n = vout_json_lit(b, size, n, num);
		snprintf(num, sizeof(num), "%lld", (long long)c->iat);
		n = vout_json_lit(b, size, n, ",\"iat\":");
		n = vout_json_lit(b, size, n, num);
		n = vout_json_lit(b, size, n, "}");
	}
	n = kv(b, size, n, "message", r->message);
	n = vout_json_lit(b, size, n, "}\n");
	return fwrite(b, 1, n, f) == n ? 0 : -1;
}

static void scan_text(const struct scan_result *r, const struct trust_list *tl)
{
	char hex[2 * KID_LEN + 1], d[DATE_TEXT_MAX];
	const struct cred_claims *c = &r->check.claims;
	const struct trade *t;

	printf("核验结论：%s（%s）\n", verdict_label(r->verdict), verdict_code(r->verdict));
	printf("说明：%s\n", r->message);
	if (!r->check.have_claims)
		return;
	printf("签名密钥：%s\n", trust_kid_hex(r->check.kid, hex));
	t = trade_find(SYS_NONE, c->trade, strlen(c->trade));
	printf("证书编号：%s\n姓名：%s\n性别：%s\n身份证号：%s\n工种：%s%s%s\n", c->number, c->name,
	       gender_label(c->gender), c->id_masked, c->trade, t ? " " : "", t ? t->name : "");
	printf("发证机关：%s\n", trust_issuer_name(tl, c->issuer_code)
	                             ? trust_issuer_name(tl, c->issuer_code)
	                             : c->issuer_code);
	printf("发证日期：%s\n", date_format(c->issued_on, d));
	printf("有效期至：%s\n", date_format(c->valid_until, d));
	if (c->review_due != DATE_NONE)
		printf("复审日期：%s\n", date_format(c->review_due, d));
}

struct verify_ctx {
	struct cli *cli;
	struct scan_options o;
	int json;
	int any_finding;
};

static int verify_one(struct verify_ctx *vc, const char *text, size_t len)
{
	struct scan_result *r = malloc(sizeof(*r));
	struct err err;

	if (!r)
		return EXIT_SYSTEM;
	err_clear(&err);
	if (scan_verify(text, len, &vc->o, r, &err) < 0) {
		free(r);
		return cli_fail(vc->cli, &err, NULL);
	}
	if (r->verdict != V_VALID)
		vc->any_finding = 1;
	if (vc->json) {
		scan_jsonl(stdout, r, vc->o.trust);
	} else {
		scan_text(r, vc->o.trust);
	}
	free(r);
	return 0;
}

static int load_trust_file(struct cli *cli, const char *path, struct keys *ks,
                           struct trust_list *tl)
{
	struct text t;
	struct err err;
	int pinned = 0, rc;
	const struct keys_info *root = ks ? keys_get(ks, KEYS_ROOT) : NULL;

	err_clear(&err);
	if (text_load(path, TRUST_LIST_MAX, &t, &err) < 0)
		return cli_fail(cli, &err, path);
	rc = trust_parse(t.data, t.len, root ? root->pk : NULL, tl, &pinned, &err);
	text_release(&t);
	if (rc < 0)
		return cli_fail(cli, &err, path);
	if (!pinned)
		fprintf(stderr,
		        "opcert cred: 注意：本机没有根公钥，信任列表 %s 未与固定的根公钥比对\n",
		        path);
	return 0;
}

static int cred_verify_cmd(struct cli *cli, int argc, char **argv)
{
	static const struct option longopts[] = {{"image", required_argument, NULL, 'i'},
	                                         {"batch", required_argument, NULL, 'b'},
	                                         {"trust", required_argument, NULL, 't'},
	                                         {"status", required_argument, NULL, 's'},
	                                         {"offline", no_argument, NULL, 'o'},
	                                         {"official-host", required_argument, NULL, 'H'},
	                                         {"format", required_argument, NULL, 'f'},
	                                         {"status-max-age", required_argument, NULL, 'a'},
	                                         CLI_COMMON_LONG_OPTIONS,
	                                         {NULL, 0, NULL, 0}};
	const char *image = NULL, *batch = NULL, *trust_path = NULL, *status_path = NULL,
	           *format = "text", *host_arg = NULL;
	struct verify_ctx vc;
	struct trust_list *tl = calloc(1, sizeof(*tl));
	struct statuslist sl = {0};
	struct store *st = NULL;
	struct keys *ks = NULL;
	struct text t = {0};
	struct render_codes codes = {0};
	struct err err;
	char host[256] = "";
	int64_t max_age = SCAN_STATUS_MAX_AGE_DEFAULT;
	int opt, rc, offline = 0, inputs;

	if (!tl)
		return EXIT_SYSTEM;
	memset(&vc, 0, sizeof(vc));
	vc.cli = cli;
	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		switch (opt) {
		case 'i':
			image = optarg;
			continue;
		case 'b':
			batch = optarg;
			continue;
		case 't':
			trust_path = optarg;
			continue;
		case 's':
			status_path = optarg;
			continue;
		case 'o':
			offline = 1;
			continue;
		case 'H':
			host_arg = optarg;
			continue;
		case 'f':
			format = optarg;
			continue;
		case 'a': {
			char *end;
			long days = strtol(optarg, &end, 10);

			if (end == optarg || *end || days < 0 || days > 3650) {
				rc = cli_usage(cli, "--status-max-age 应为 0 到 3650 之间的天数");
				goto out;
			}
			max_age = (int64_t)days * 86400;
			continue;
		}
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			goto out;
		if (rc == -1) {
			rc = cli_usage(cli, "未知选项");
			goto out;
		}
	}
	inputs = (image != NULL) + (batch != NULL) + (optind < argc);
	rc = EXIT_USAGE;
	if (inputs != 1 || optind + 1 < argc) {
		rc = cli_usage(
		    cli, "请给出一个凭证（OC1:... 或网址）、--image FILE 或 --batch FILE 之一");
		goto out;
	}
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		rc = cli_usage(cli, "--format 只能是 text 或 json");
		goto out;
	}
	if (offline && !trust_path) {
		rc = cli_usage(cli, "离线核验需要 --trust FILE（信任列表）");
		goto out;
	}
	vc.json = strcmp(format, "json") == 0 || batch;
	err_clear(&err);
	ks = keys_open(cli_keys_dir(cli), cli->passphrase_file, NULL, &err);
	if (!ks && !trust_path) {
		char index[4200];

		/* A verifier has no issuing keys: what it lacks is the trust list. */
		snprintf(index, sizeof(index), "%s/keys.json", cli_keys_dir(cli));
		if (access(index, F_OK) != 0 && errno == ENOENT)
			err_input(
			    &err,
			    "本机没有信任列表（密钥目录 %s 中没有签发密钥）：核验凭证需要签发机关"
			    "签名的信任列表，请向签发方索取（签发方运行 opcert trust export "
			    "导出），再用 --trust FILE 核验",
			    cli_keys_dir(cli));
		rc = cli_fail(cli, &err, NULL);
		goto out;
	}
	if (!offline) {
		rc = cli_open_store(cli, STORE_READONLY, &st);
		if (rc)
			goto out;
	} else {
		/* Only the official host is read (no personal data, so no data
		 * key); without a database --official-host must say it. */
		err_clear(&err);
		store_open(cli->db, STORE_READONLY, &st, &err);
	}
	if (host_arg) {
		snprintf(host, sizeof(host), "%s", host_arg);
	} else if (!st || cli_official_host(cli, st, host, sizeof(host)) != 1) {
		rc = cli_usage(cli, "不知道官方核验网址：请用 --official-host 指定，或 opcert "
		                    "config set official-host");
		goto out;
	}
	if (offline) {
		store_close(st);
		st = NULL;
	}
	if (trust_path)
		rc = load_trust_file(cli, trust_path, ks, tl);
	else
		rc = local_trust(cli, st, ks, tl);
	if (rc)
		goto out;
	if (status_path) {
		if (text_load(status_path, 16u << 20, &t, &err) < 0 ||
		    statuslist_parse(t.data, t.len, tl, &sl, &err) < 0) {
			rc = cli_fail(cli, &err, status_path);
			goto out;
		}
		text_release(&t);
	}
	vc.o.trust = tl;
	vc.o.official_host = host;
	vc.o.store = st;
	vc.o.status = status_path ? &sl : NULL;
	vc.o.status_max_age = max_age;
	vc.o.now = date_now_seconds();
	vc.o.today = cli->today;
	if (image) {
		size_t i;

		if (render_scan_file(image, &codes, &err) < 0) {
			rc = cli_fail(cli, &err, image);
			goto out;
		}
		for (i = 0, rc = 0; i < codes.n && rc == 0; i++)
			rc = verify_one(&vc, codes.text[i], codes.len[i]);
	} else if (batch) {
		const char *p, *end, *nl;

		if (text_load(batch, TEXT_MAX_DEFAULT, &t, &err) < 0) {
			rc = cli_fail(cli, &err, batch);
			goto out;
		}
		for (p = t.data, end = t.data + t.len, rc = 0; p < end && rc == 0; p = nl + 1) {
			const char *q;

			nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				nl = end;
			q = nl;
			while (q > p && (q[-1] == '\r' || q[-1] == ' '))
				q--;
			if (q > p)
				rc = verify_one(&vc, p, (size_t)(q - p));
		}
	} else {
		rc = verify_one(&vc, argv[optind], strlen(argv[optind]));
	}
	if (rc == 0)
		rc = cli_finish_stdout(cli, vc.any_finding ? EXIT_FINDINGS : EXIT_ALL_VALID);
out:
	render_codes_release(&codes);
	text_release(&t);
	statuslist_release(&sl);
	keys_close(ks);
	store_close(st);
	free(tl);
	return rc;
}

const char cmd_cred_help[] =
    "用法：opcert cred issue NUMBER [--png FILE] [--svg FILE] [--pdf FILE] [--jpeg FILE]\n"
    "      opcert cred verify (PAYLOAD | --image FILE | --batch FILE) [--trust FILE]\n"
    "                         [--status FILE] [--status-max-age DAYS] [--offline]\n"
    "                         [--official-host HOST] [--format text|json]\n"
    "\nissue：用当前签发密钥签发凭证，在标准输出打印 OC1:... 负载，并可写出二维码图片\n"
    "（内容为 https://官方网址/v#OC1:...）和中文证书（PDF/JPEG）。签发记入透明日志。\n"
    "\nverify：核验凭证、网址、证书照片（JPEG/PNG）或每行一个凭证的文件（输出 JSON Lines）。\n"
    "指向非官方网址的二维码不解码，结论为“非官方查询链接”；签名、密钥或签发时间不对为“伪造”；\n"
    "在线核验还要求签发记录在日志中，并给出登记库中的当前状态。--offline 只用给出的文件：\n"
    "没有状态列表或状态列表超过 --status-max-age "
    "天（默认7天），结论为“状态未知”。\n" CLI_COMMON_HELP;

int cmd_cred(int argc, char **argv, struct cli *cli)
{
	int rc;

	if (argc >= 2 && strcmp(argv[1], "issue") == 0)
		return cred_issue(cli, argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "verify") == 0)
		return cred_verify_cmd(cli, argc - 1, argv + 1);
	rc = cli_common_options(argc, argv, cli);
	return rc >= 0 ? rc : cli_usage(cli, "缺少子命令（issue 或 verify）");
}

const char cmd_photo_help[] =
    "用法：opcert photo NUMBER FILE\n"
    "\n附上持证人照片（JPEG 或 PNG，最大 2 MB，边长 64–4096 像素，会完整解码检查）。\n"
    "重新签发凭证后，照片摘要写入二维码。\n" CLI_COMMON_HELP;

int cmd_photo(int argc, char **argv, struct cli *cli)
{
	struct store *st = NULL;
	struct certno no;
	struct cert c, before;
	struct ledger l;
	struct ledger_event e;
	struct err err;
	char *data = NULL;
	const char *mime;
	uint8_t hash[32];
	char hex[65], masked[CERTNO_SIZE], object[16 + CERTNO_SIZE], detail[192];
	size_t len = 0;
	int rc, found;

	rc = cli_common_options(argc, argv, cli);
	if (rc >= 0)
		return rc;
	if (optind + 2 != argc)
		return cli_usage(cli, "用法：opcert photo NUMBER FILE（JPEG 或 PNG，最大 2 MB）");
	err_clear(&err);
	if (file_load(argv[optind + 1], render_limits_photo.max_bytes, &data, &len, &err) < 0 ||
	    render_photo_check((const unsigned char *)data, len, &mime, &err) < 0) {
		rc = cli_fail(cli, &err, argv[optind + 1]);
		goto out;
	}
	rc = cli_open_store(cli, 0, &st);
	if (rc)
		goto out;
	crypto_hash_sha256(hash, (const unsigned char *)data, len);
	sodium_bin2hex(hex, sizeof(hex), hash, 32);
	if (store_begin(st, STORE_TXN_NORMAL, &err) < 0)
		goto fail;
	if (certno_parse(argv[optind], strlen(argv[optind]), &no) < 0) {
		err_input(&err, "证书编号“%s”格式无效", argv[optind]);
		goto fail;
	}
	found = store_cert_get(st, no.text, &c, &err);
	if (found <= 0) {
		if (found == 0)
			err_input(&err, "登记库中没有证书 %s", no.text);
		goto fail;
	}
	/* Never record a new event over a row edited behind the system's back:
	 * it would make the edit look legitimate. */
	found = ledger_check_row(st, &c, &err);
	if (found != 0) {
		if (found == 1)
			err_input(&err,
			          "证书 %s 的登记记录与透明日志不一致（疑似被篡改），请先运行 "
			          "opcert log verify",
			          c.number);
		goto fail;
	}
	memset(&e, 0, sizeof(e));
	e.kind = LEDGER_PHOTO;
	e.time = date_now_seconds();
	e.number = c.number;
	e.has_row = 1;
	ledger_row_hash(&c, e.row_hash);
	e.detail = hex;
	before = c;
	certno_mask(c.number, masked);
	snprintf(object, sizeof(object), "cert:%s", masked);
	snprintf(detail, sizeof(detail), "{\"bytes\":%zu,\"mime\":\"%s\",\"sha256\":\"%s\"}", len,
	         mime, hex);
	if (store_photo_set(st, c.number, mime, (const uint8_t *)data, len, hash, &err) < 0 ||
	    ledger_open(&l, st, &err) < 0 || ledger_append(&l, &e, &c.ledger_index, &err) < 0 ||
	    store_cert_update(st, &before, &c, NULL, &err) < 0 ||
	    trail_append(st, NULL, e.time, "cert.photo", object, detail, &err) < 0 ||
	    ledger_save(&l, &err) < 0 || store_commit(st, &err) < 0)
		goto fail;
	printf("已为证书 %s 保存照片（%s，%zu 字节）；重新签发凭证后照片摘要才会写入二维码\n",
	       c.number, mime, len);
	rc = cli_finish_stdout(cli, EXIT_ALL_VALID);
	goto out;
fail:
	store_rollback(st);
	rc = cli_fail(cli, &err, NULL);
out:
	free(data);
	store_close(st);
	return rc;
}

const char cmd_status_help[] =
    "用法：opcert status export FILE\n"
    "\n导出签名的状态列表：每张凭证在随机位置占 2 位（有效/暂扣/注销），至少 131072 个位置，\n"
    "且不少于凭证数的两倍，核验者无法从下载行为得知查的是哪本证书。\n" CLI_COMMON_HELP;

int cmd_status(int argc, char **argv, struct cli *cli)
{
	struct statuslist sl = {0};
	struct store *st = NULL;
	struct keys *ks = NULL;
	struct keys_signer *signer = NULL;
	struct err err;
	char *json = NULL;
	long count = 0;
	int rc;

	if (argc < 2 || strcmp(argv[1], "export") != 0) {
		rc = cli_common_options(argc, argv, cli);
		return rc >= 0 ? rc : cli_usage(cli, "用法：opcert status export FILE");
	}
	argc--;
	argv++;
	rc = cli_common_options(argc, argv, cli);
	if (rc >= 0)
		return rc;
	if (optind + 1 != argc)
		return cli_usage(cli, "用法：opcert status export FILE（- 表示标准输出）");
	err_clear(&err);
	rc = cli_open_store(cli, STORE_READONLY, &st);
	if (rc)
		return rc;
	ks = keys_open(cli_keys_dir(cli), cli->passphrase_file, NULL, &err);
	if (!ks || issue_status_list(st, date_now_seconds(), &sl, &count, &err) < 0 ||
	    !(signer = keys_signer_open(ks, KEYS_ISSUING, &err)) ||
	    statuslist_export(&sl, signer, &json, &err) < 0)
		goto fail;
	rc = write_text_file(cli, argv[optind], json);
	if (rc == 0 && strcmp(argv[optind], "-") != 0)
		printf("已导出状态列表到 %s：%u 个位置，其中 %ld 个已分配给凭证\n", argv[optind],
		       sl.size, count);
	goto out;
fail:
	rc = cli_fail(cli, &err, NULL);
out:
	keys_signer_close(signer);
	free(json);
	statuslist_release(&sl);
	keys_close(ks);
	store_close(st);
	return rc;
}

/* Change a setting and enter the change in the audit trail, together. */
static int config_set_recorded(struct store *st, const char *key, const char *value,
                               struct err *err)
{
	json_t *d = json_object();
	char before[512], object[64], *text = NULL;
	int rc;

	if (!d)
		return err_system(err, "内存不足");
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0) {
		json_decref(d);
		return -1;
	}
	rc = store_config_get(st, key, before, sizeof(before), err);
	if (rc < 0)
		goto fail;
	json_object_set_new(d, "before", rc == 1 ? json_string(before) : json_null());
	json_object_set_new(d, "after", json_string(value));
	text = json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS);
	snprintf(object, sizeof(object), "config:%s", key);
	if (!text) {
		err_system(err, "内存不足");
		goto fail;
	}
	if (store_config_set(st, key, value, err) < 0 ||
	    trail_append(st, NULL, date_now_seconds(), "config.set", object, text, err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	free(text);
	json_decref(d);
	return 0;
fail:
	store_rollback(st);
	free(text);
	json_decref(d);
	return -1;
}

const char cmd_config_help[] =
    "用法：opcert config set official-host HOST[:PORT] | opcert config get KEY\n"
    "\n官方核验网址必须是 https（localhost 和 127.0.0.1 可用 http）。\n" CLI_COMMON_HELP;

int cmd_config(int argc, char **argv, struct cli *cli)
{
	struct store *st = NULL;
	struct err err;
	char value[512];
	const char *sub;
	int rc;

	if (argc < 2 || argv[1][0] == '-') {
		rc = cli_common_options(argc, argv, cli);
		return rc >= 0 ? rc
		               : cli_usage(
		                     cli,
		                     "用法：opcert config set official-host HOST[:PORT] | get KEY");
	}
	sub = argv[1];
	argc--;
	argv++;
	rc = cli_common_options(argc, argv, cli);
	if (rc >= 0)
		return rc;
	err_clear(&err);
	if (strcmp(sub, "set") == 0 && optind + 2 == argc) {
		if (strcmp(argv[optind], "official-host") != 0)
			return cli_usage(cli, "只能设置 official-host");
		if (cred_host_check(argv[optind + 1], &err) < 0)
			return cli_fail(cli, &err, NULL);
		rc = cli_open_store(cli, 0, &st);
		if (rc)
			return rc;
		if (config_set_recorded(st, "official-host", argv[optind + 1], &err) < 0)
			rc = cli_fail(cli, &err, NULL);
		else
			printf("官方核验网址已设为 %s%s/v\n", cred_url_scheme(argv[optind + 1]),
			       argv[optind + 1]);
	} else if (strcmp(sub, "get") == 0 && optind + 1 == argc) {
		rc = cli_open_store(cli, STORE_READONLY, &st);
		if (rc)
			return rc;
		rc = store_config_get(st, argv[optind], value, sizeof(value), &err);
		if (rc < 0)
			rc = cli_fail(cli, &err, NULL);
		else if (rc == 0)
			rc = EXIT_FINDINGS;
		else {
			printf("%s\n", value);
			rc = EXIT_ALL_VALID;
		}
	} else {
		return cli_usage(cli,
		                 "用法：opcert config set official-host HOST[:PORT] | get KEY");
	}
	store_close(st);
	return rc == 0 ? cli_finish_stdout(cli, rc) : rc;
}
