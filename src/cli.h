/*
 * cli.h - what the commands of the `opcert` tool share (cli.c, cli_out.c):
 * the options every command takes (--db, --today, --help), exit statuses,
 * option parsing, subcommands, error printing and output.  Commands only parse their arguments,
 * call the core library and format its answer.
 */
#ifndef OPCERT_CLI_H
#define OPCERT_CLI_H

#include <getopt.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

/* Exit statuses (DOMAIN.md section 6). */
enum {
	EXIT_ALL_VALID = 0, /* every verdict is valid / every ID is valid */
	EXIT_FINDINGS = 1,  /* any other verdict */
	EXIT_USAGE = 2,     /* usage or input error */
	EXIT_SYSTEM = 3,    /* the system failed: disk, database, memory */
};

struct cli {
	const char *command;
	const char *help;            /* the command's help text, for --help */
	const char *db;              /* --db, else $OPCERT_DB, else ./opcert.db */
	int32_t today;               /* --today, else today in China */
	const char *keys;            /* --keys, else $OPCERT_KEYS, else keys/ beside the database */
	const char *passphrase_file; /* --passphrase-file, else $OPCERT_PASSPHRASE_FILE */
	char keys_buf[4096];
};

/* Options every command accepts; append to a command's own long options. */
#define CLI_OPT_DB         0x100
#define CLI_OPT_TODAY      0x101
#define CLI_OPT_KEYS       0x102
#define CLI_OPT_PASSPHRASE 0x103
/* clang-format off */
#define CLI_COMMON_LONG_OPTIONS \
	{"db", required_argument, NULL, CLI_OPT_DB}, \
	{"today", required_argument, NULL, CLI_OPT_TODAY}, \
	{"keys", required_argument, NULL, CLI_OPT_KEYS}, \
	{"passphrase-file", required_argument, NULL, CLI_OPT_PASSPHRASE}, \
	{"help", no_argument, NULL, 'h'}
/* clang-format on */

/* The end of every command's help: the common options and exit statuses. */
#define CLI_COMMON_HELP                                                                                                  \
	"\n通用选项：\n"                                                                                            \
	"  --db PATH         数据库文件（默认：环境变量 OPCERT_DB，否则 ./opcert.db）\n"                \
	"  --today DATE      按指定日期核验（YYYY-MM-DD，默认为中国当天日期），便于复现结果\n" \
	"  --keys DIR        密钥目录（默认：环境变量 OPCERT_KEYS，否则数据库旁的 keys/）\n"        \
	"  --passphrase-file FILE  私钥口令文件（默认：环境变量 OPCERT_PASSPHRASE_FILE）\n"               \
	"  -h, --help        显示本帮助\n"                                                                          \
	"\n退出状态：0 全部有效；1 存在其他结论；2 用法或输入错误；3 系统错误。\n"

/*
 * getopt_long for every command: options come back as getopt_long returns
 * them, but an unknown or malformed one is reported in Chinese, naming it
 * (getopt's own English messages are off), and comes back as CLI_OPT_BAD,
 * which cli_common_option turns into EXIT_USAGE.
 */
#define CLI_OPT_BAD 0x1ff
int cli_getopt(const struct cli *cli, int argc, char **argv, const struct option *longopts);

/*
 * Handle a common option.  Returns -1 when opt is not one (the command
 * handles it), or an exit status the command must return at once (after
 * --help: 0; after a bad --today or an unknown option: 2), or -2 when it
 * was handled and parsing goes on.
 */
int cli_common_option(struct cli *cli, int opt, const char *arg);

/* Parse argv for the common options alone (a command with none of its
 * own): -1 to go on with optind at the operands, else an exit status. */
int cli_common_options(int argc, char **argv, struct cli *cli);

/*
 * A command's own options are numbered CLI_OPT_OWN + i in its long options
 * (i below 32); cli_parse puts the value of option i in v[i] (its
 * argument, or "" for an option without one).
 */
#define CLI_OPT_OWN 0x200
#define CLI_ALL_OWN (~0u)
struct cli_syntax {
	const struct option *longopts; /* own options, then CLI_COMMON_LONG_OPTIONS */
	unsigned allowed;              /* bit i: own option i is accepted (CLI_ALL_OWN: all) */
	int operands;                  /* at most this many operands: 0 or 1 */
	const char *missing; /* the operand is required: the message when it is not given */
};

/*
 * Parse argv (argv[0] the command or subcommand) by syn: own options into
 * v (the caller clears it), the common ones into cli, the operand (or
 * NULL) into *operand.  An own option outside syn->allowed is refused
 * naming it.  -1 to go on, else an exit status.
 */
int cli_parse(struct cli *cli, int argc, char **argv, const struct cli_syntax *syn, const char **v,
              const char **operand);

/* A subcommand of a command like `opcert company add`. */
struct cli_sub {
	const char *name;
	int (*run)(int argc, char **argv, struct cli *cli);
};

/* Run the subcommand argv[1] names (argv[1..] passed on), or answer -h /
 * --help; names lists the subcommands for messages.  An exit status. */
int cli_dispatch(int argc, char **argv, struct cli *cli, const struct cli_sub *subs, size_t nsubs,
                 const char *names);

/* Print "opcert CMD: message" and a pointer to --help; returns EXIT_USAGE. */
int cli_usage(const struct cli *cli, const char *fmt, ...) ERR_PRINTF(2, 3);
/* Print an error from the library, naming file when given; returns
 * EXIT_USAGE for input errors, EXIT_SYSTEM otherwise. */
int cli_fail(const struct cli *cli, const struct err *err, const char *file);
/* Open the database and attach the data key (keys.h data.key: from the key
 * directory, else keys/ beside the database; with STORE_CREATE made when
 * the database was never sealed).  0, or an exit status after printing. */
int cli_open_store(const struct cli *cli, int flags, struct store **st);
/* For `opcert init`: the same, creating the database, and migrating its
 * personal data to the present sealed form (*resealed values re-sealed). */
int cli_open_store_init(const struct cli *cli, struct store **st, long *resealed);
/* A table: rows of cells, printed with columns aligned by display width.
 * Start from {.ncols = N} (N up to 16); the first row is the header. */
struct cli_table {
	size_t ncols;
	size_t nrows;
	size_t cap;
	char **cells; /* nrows * ncols, malloc'd */
	size_t width[16];
};
/* Append a row of ncols cells (NULL = ""); -1 when out of memory. */
int cli_table_row(struct cli_table *t, const char *const *cells);
void cli_table_print(const struct cli_table *t);
void cli_table_free(struct cli_table *t);
struct json_t;
/* Print j indented, then a newline, and release it; -1 when j is NULL or
 * the write failed. */
int cli_print_json(struct json_t *j);

/* EXIT_SYSTEM when stdout could not be written (a full disk, a closed pipe). */
int cli_finish_stdout(const struct cli *cli, int status);

/* The key directory: --keys, $OPCERT_KEYS, or "keys" beside the database. */
const char *cli_keys_dir(struct cli *cli);
/* The official verifier's host from the database; 1 found, 0 not set, -1 error printed. */
int cli_official_host(const struct cli *cli, struct store *st, char *out, size_t size);

/* Print the command's help text (cli->help) on standard output. */
void cli_print_help(const struct cli *cli);

#endif
