/*
 * cmd_user.c - interim: the commands are being built.
 */
#include <stdio.h>

#include "cli.h"

int cmd_user(int argc, char **argv, struct cli *cli);
int cmd_token(int argc, char **argv, struct cli *cli);

const char cmd_user_help[] = "用法：opcert user（尚未提供）\n";

int cmd_user(int argc, char **argv, struct cli *cli)
{
	(void)argc;
	(void)argv;
	return cli_usage(cli, "尚未提供");
}

const char cmd_token_help[] = "用法：opcert token（尚未提供）\n";

int cmd_token(int argc, char **argv, struct cli *cli)
{
	(void)argc;
	(void)argv;
	return cli_usage(cli, "尚未提供");
}
