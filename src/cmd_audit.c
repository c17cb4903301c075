/*
 * cmd_audit.c - interim: the commands are being built.
 */
#include <stdio.h>

#include "cli.h"

int cmd_audit(int argc, char **argv, struct cli *cli);

const char cmd_audit_help[] = "用法：opcert audit（尚未提供）\n";

int cmd_audit(int argc, char **argv, struct cli *cli)
{
	(void)argc;
	(void)argv;
	return cli_usage(cli, "尚未提供");
}
