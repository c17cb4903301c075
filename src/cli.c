/*
 * cli.c - what the commands of the `opcert` tool share (cli.h): the
 * options every command takes, one parser for a command's own options,
 * one dispatcher for subcommands, usage and error messages, the key
 * directory and opening the store with the data key attached.  It knows
 * no command: main.c hands each its name and help text in struct cli.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "date.h"
#include "keys.h"
#include "pii.h"

void cli_print_help(const struct cli *cli)
{
	fputs(cli->help, stdout);
}

int cli_common_options(int argc, char **argv, struct cli *cli)
{
	static const struct option longopts[] = {CLI_COMMON_LONG_OPTIONS, {NULL, 0, NULL, 0}};
	int opt, rc;

	while ((opt = cli_getopt(cli, argc, argv, longopts)) != -1) {
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项“%s”", optind > 0 ? argv[optind - 1] : "");
	}
	return -1;
}

/*
 * What was wrong with the option getopt_long refused, in Chinese (opterr is
 * 0, so getopt itself prints nothing): unknown, ambiguous, missing its
 * argument, or given one it does not take.  bad is ':' or '?'.
 */
static void bad_option(const struct cli *cli, int argc, char **argv, const struct option *longopts,
                       int bad)
{
	const char *word = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	char name[128];
	size_t len, matches = 0;
	const struct option *o;

	if (strncmp(word, "--", 2) == 0) {
		len = strcspn(word + 2, "=");
		snprintf(name, sizeof(name), "--%.*s", (int)(len < 100 ? len : 100), word + 2);
		for (o = longopts; o && o->name; o++)
			if (strncmp(o->name, word + 2, len) == 0)
				matches++;
		if (bad == ':')
			fprintf(stderr, "opcert %s: 选项“%s”缺少参数", cli->command, name);
		else if (word[2 + len] == '=' && optopt != 0)
			fprintf(stderr, "opcert %s: 选项“%s”不带参数", cli->command, name);
		else if (matches > 1)
			fprintf(stderr, "opcert %s: 选项“%s”不明确，请写出完整的选项名",
			        cli->command, name);
		else
			fprintf(stderr, "opcert %s: 没有选项“%s”", cli->command, name);
	} else if (bad == ':') {
		fprintf(stderr, "opcert %s: 选项“-%c”缺少参数", cli->command, optopt);
	} else if (optopt > 0x20 && optopt < 0x7f) {
		fprintf(stderr, "opcert %s: 没有选项“-%c”", cli->command, optopt);
	} else {
		fprintf(stderr, "opcert %s: 没有选项“%s”", cli->command, word);
	}
	fprintf(stderr, "（可用选项见 opcert %s --help）\n", cli->command);
}

int cli_getopt(const struct cli *cli, int argc, char **argv, const struct option *longopts)
{
	int opt;

	opterr = 0;
	opt = getopt_long(argc, argv, ":h", longopts, NULL);
	if (opt == '?' || opt == ':') {
		bad_option(cli, argc, argv, longopts, opt);
		return CLI_OPT_BAD;
	}
	return opt;
}

static const char *option_name(const struct option *longopts, int opt)
{
	for (; longopts->name; longopts++)
		if (longopts->val == opt)
			return longopts->name;
	return "";
}

int cli_parse(struct cli *cli, int argc, char **argv, const struct cli_syntax *syn, const char **v,
              const char **operand)
{
	int opt, rc;

	*operand = NULL;
	optind = 1;
	while ((opt = cli_getopt(cli, argc, argv, syn->longopts)) != -1) {
		if (opt >= CLI_OPT_OWN && opt < CLI_OPT_OWN + 32) {
			int o = opt - CLI_OPT_OWN;

			if (!(syn->allowed & (1u << o)))
				return cli_usage(cli, "%s 不接受选项 --%s", argv[0],
				                 option_name(syn->longopts, opt));
			v[o] = optarg ? optarg : "";
			continue;
		}
		rc = cli_common_option(cli, opt, optarg);
		if (rc >= 0)
			return rc;
		if (rc == -1)
			return cli_usage(cli, "未知选项“%s”", optind > 0 ? argv[optind - 1] : "");
	}
	if (optind < argc)
		*operand = argv[optind];
	if (syn->missing && !*operand)
		return cli_usage(cli, "%s", syn->missing);
	if (optind + syn->operands < argc)
		return cli_usage(cli, "多余的参数“%s”", argv[optind + syn->operands]);
	return -1;
}

int cli_dispatch(int argc, char **argv, struct cli *cli, const struct cli_sub *subs, size_t nsubs,
                 const char *names)
{
	size_t i;

	if (argc < 2)
		return cli_usage(cli, "缺少子命令（%s）", names);
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		cli_print_help(cli);
		return EXIT_ALL_VALID;
	}
	for (i = 0; i < nsubs; i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1, cli);
	return cli_usage(cli, "没有子命令“%s”（可用：%s）", argv[1], names);
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
	case CLI_OPT_KEYS:
		if (!*arg)
			return cli_usage(cli, "--keys 不能为空");
		cli->keys = arg;
		return -2;
	case CLI_OPT_PASSPHRASE:
		if (!*arg)
			return cli_usage(cli, "--passphrase-file 不能为空");
		cli->passphrase_file = arg;
		return -2;
	case 'h':
		cli_print_help(cli);
		return EXIT_ALL_VALID;
	case CLI_OPT_BAD: /* cli_getopt has said what was wrong */
		return EXIT_USAGE;
	case '?':
	case ':':
		fprintf(stderr, "opcert %s: 选项有误（可用选项见 opcert %s --help）\n",
		        cli->command, cli->command);
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

/* The default key directory: keys/ beside the database. */
static const char *keys_beside_db(const char *db, char *buf, size_t size)
{
	const char *slash = strrchr(db, '/');

	if (!slash)
		return "keys";
	snprintf(buf, size, "%.*s/keys", (int)(slash - db), db);
	return buf;
}

/* The key directory: --keys, $OPCERT_KEYS, or keys/ beside the database. */
static const char *keys_dir_of(const struct cli *cli, char *buf, size_t size)
{
	const char *env = getenv("OPCERT_KEYS");

	if (cli->keys)
		return cli->keys;
	if (env && *env)
		return env;
	return keys_beside_db(cli->db, buf, size);
}

/*
 * The data key: data.key in the key directory or, when that has none (a
 * signing store kept apart, named with --keys), in keys/ beside the
 * database.  With create, a missing key is made in the key directory, but
 * only for a database that has never been sealed: for one that has, a new
 * key could read nothing, and the error says to restore the old one.
 * 0 and *out, or an exit status after printing the error.
 */
static int data_key(const struct cli *cli, struct store *st, int create, struct pii_key **out)
{
	char buf[4096], beside[4096], format[16];
	const char *dir = keys_dir_of(cli, buf, sizeof(buf));
	const char *other = keys_beside_db(cli->db, beside, sizeof(beside));
	struct err err;
	int rc;

	err_clear(&err);
	rc = keys_data_pii(dir, cli->passphrase_file, out, &err);
	if (rc == 1 && strcmp(dir, other) != 0)
		rc = keys_data_pii(other, cli->passphrase_file, out, &err);
	if (rc == 1 && create) {
		rc = store_config_get(st, "pii-format", format, sizeof(format), &err);
		if (rc == 0) {
			rc = keys_data_init(dir, cli->passphrase_file, NULL, &err);
			if (rc == 1)
				fprintf(stderr,
				        "已创建数据密钥 %s/%s（请与密钥目录一起备份：opcert key "
				        "backup）\n",
				        dir, KEYS_DATA_FILE);
			rc = rc < 0 ? -1 : keys_data_pii(dir, cli->passphrase_file, out, &err);
		}
	}
	if (rc == 1)
		err_input(
		    &err,
		    "缺少数据密钥（%s/%s）：数据库中的身份证号码已加密保存，没有它无法读写。"
		    "新数据库请运行 opcert init 创建；已有数据库请用 opcert key restore 从备份恢复"
		    "密钥目录（或用 --keys DIR 指定密钥目录）",
		    dir, KEYS_DATA_FILE);
	if (rc != 0)
		return cli_fail(cli, &err, NULL);
	return 0;
}

int cli_open_store(const struct cli *cli, int flags, struct store **st)
{
	struct pii_key *key = NULL;
	struct err err;
	int rc;

	err_clear(&err);
	if (store_open(cli->db, flags, st, &err) < 0)
		return cli_fail(cli, &err, NULL);
	rc = data_key(cli, *st, (flags & STORE_CREATE) != 0, &key);
	if (rc == 0 && store_set_pii(*st, key, &err) < 0)
		rc = cli_fail(cli, &err, NULL);
	pii_key_free(key);
	if (rc) {
		store_close(*st);
		*st = NULL;
	}
	return rc;
}

int cli_open_store_init(const struct cli *cli, struct store **st, long *resealed)
{
	struct pii_key *key = NULL;
	struct err err;
	int rc;

	err_clear(&err);
	if (store_open(cli->db, STORE_CREATE, st, &err) < 0)
		return cli_fail(cli, &err, NULL);
	rc = data_key(cli, *st, 1, &key);
	if (rc == 0 && store_pii_migrate(*st, key, resealed, &err) < 0)
		rc = cli_fail(cli, &err, NULL);
	pii_key_free(key);
	if (rc) {
		store_close(*st);
		*st = NULL;
	}
	return rc;
}

const char *cli_keys_dir(struct cli *cli)
{
	return keys_dir_of(cli, cli->keys_buf, sizeof(cli->keys_buf));
}

int cli_official_host(const struct cli *cli, struct store *st, char *out, size_t size)
{
	struct err err;
	int rc;

	err_clear(&err);
	rc = store_config_get(st, "official-host", out, size, &err);
	if (rc < 0)
		cli_fail(cli, &err, NULL);
	return rc;
}

int cli_finish_stdout(const struct cli *cli, int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "opcert %s: 写入标准输出失败\n", cli->command);
		return EXIT_SYSTEM;
	}
	return status;
}
