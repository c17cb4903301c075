/*
 * cmd_org.c - interim: the commands are being built.
 */
#include <stdio.h>

#include "cli.h"

int cmd_company(int argc, char **argv, struct cli *cli);
int cmd_project(int argc, char **argv, struct cli *cli);
int cmd_institution(int argc, char **argv, struct cli *cli);

const char cmd_company_help[] = "用法：opcert company（尚未提供）\n";

int cmd_company(int argc, char **argv, struct cli *cli)
{
	(void)argc;
	(void)argv;
	return cli_usage(cli, "尚未提供");
}

const char cmd_project_help[] = "用法：opcert project（尚未提供）\n";

int cmd_project(int argc, char **argv, struct cli *cli)
{
	(void)argc;
	(void)argv;
	return cli_usage(cli, "尚未提供");
}

const char cmd_institution_help[] = "用法：opcert institution（尚未提供）\n";

int cmd_institution(int argc, char **argv, struct cli *cli)
{
	(void)argc;
	(void)argv;
	return cli_usage(cli, "尚未提供");
}
