/*
 * cmd.h - every command of the `opcert` tool, declared once: the function
 * that runs it and its help text (the whole of `opcert NAME --help`), both
 * defined in the command's own file, the help beside the code.  main.c's
 * table lists them, each with the one-line summary `opcert help` shows;
 * main() fills in struct cli (cli.h) and runs the command with argv
 * starting at its name.  A command returns its exit status.
 */
#ifndef OPCERT_CMD_H
#define OPCERT_CMD_H

#include "cli.h"

/* cmd_register.c */
int cmd_init(int argc, char **argv, struct cli *cli);
extern const char cmd_init_help[];
int cmd_import(int argc, char **argv, struct cli *cli);
extern const char cmd_import_help[];
int cmd_show(int argc, char **argv, struct cli *cli);
extern const char cmd_show_help[];

/* cmd_verify.c */
int cmd_verify(int argc, char **argv, struct cli *cli);
extern const char cmd_verify_help[];
int cmd_verify_roster(int argc, char **argv, struct cli *cli);
extern const char cmd_verify_roster_help[];

/* cmd_tools.c */
int cmd_check_id(int argc, char **argv, struct cli *cli);
extern const char cmd_check_id_help[];
int cmd_demo(int argc, char **argv, struct cli *cli);
extern const char cmd_demo_help[];

/* cmd_life.c */
int cmd_renew(int argc, char **argv, struct cli *cli);
extern const char cmd_renew_help[];
int cmd_suspend(int argc, char **argv, struct cli *cli);
extern const char cmd_suspend_help[];
int cmd_reinstate(int argc, char **argv, struct cli *cli);
extern const char cmd_reinstate_help[];
int cmd_revoke(int argc, char **argv, struct cli *cli);
extern const char cmd_revoke_help[];
int cmd_amend(int argc, char **argv, struct cli *cli);
extern const char cmd_amend_help[];

/* cmd_log.c */
int cmd_log(int argc, char **argv, struct cli *cli);
extern const char cmd_log_help[];

/* cmd_cred.c */
int cmd_key(int argc, char **argv, struct cli *cli);
extern const char cmd_key_help[];
int cmd_trust(int argc, char **argv, struct cli *cli);
extern const char cmd_trust_help[];
int cmd_cred(int argc, char **argv, struct cli *cli);
extern const char cmd_cred_help[];
int cmd_photo(int argc, char **argv, struct cli *cli);
extern const char cmd_photo_help[];
int cmd_status(int argc, char **argv, struct cli *cli);
extern const char cmd_status_help[];
int cmd_config(int argc, char **argv, struct cli *cli);
extern const char cmd_config_help[];

/* cmd_org.c */
int cmd_company(int argc, char **argv, struct cli *cli);
extern const char cmd_company_help[];
int cmd_project(int argc, char **argv, struct cli *cli);
extern const char cmd_project_help[];
int cmd_institution(int argc, char **argv, struct cli *cli);
extern const char cmd_institution_help[];

/* cmd_worker.c */
int cmd_worker(int argc, char **argv, struct cli *cli);
extern const char cmd_worker_help[];

/* cmd_user.c */
int cmd_user(int argc, char **argv, struct cli *cli);
extern const char cmd_user_help[];
int cmd_token(int argc, char **argv, struct cli *cli);
extern const char cmd_token_help[];

/* cmd_audit.c */
int cmd_audit(int argc, char **argv, struct cli *cli);
extern const char cmd_audit_help[];

/* cmd_probe.c */
int cmd_probe(int argc, char **argv, struct cli *cli);
extern const char cmd_probe_help[];

/* src/http/serve.c */
int cmd_serve(int argc, char **argv, struct cli *cli);
extern const char cmd_serve_help[];

#endif
