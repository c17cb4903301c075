/*
 * org.h - organisations and projects as data (DOMAIN.md section 4): the
 * city bureau (市住建局) and its offices, the 14 district units, each its
 * own data scope, construction and supervision companies (施工单位 /
 * 监理单位, known by their unified social credit code), training
 * institutions and construction projects.
 *
 * Every organisation row names the district unit whose data scope it falls
 * in (org.district; a district unit names itself; 0 for the city bureau,
 * its offices and a city-wide institution).  A district officer's scope is
 * the rows whose district is their unit's id; a company user's is their
 * company's id (account.h, principal_sees).  A project has its own district
 * (where the site is), its builder and its supervising firm.
 *
 * The bureau, its offices and the districts are seeded by `opcert init`;
 * companies, institutions and projects are added, changed and closed here.
 * Nothing is deleted: closing keeps the row (and everything filed under
 * it) and stops new use.  Each function that changes something runs its
 * own write transaction and records the change in the audit trail
 * (trail.h) with the row before and after (contact phone numbers masked).
 *
 * Callers pass text as typed (command-line options, form fields, CSV
 * cells); it is checked here, and a wrong value is an input error naming
 * the field.  Functions follow err.h; look-ups return 1 found, 0 not
 * found, -1 error.
 */
#ifndef OPCERT_ORG_H
#define OPCERT_ORG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "org_codes.h"
#include "store.h"
#include "trail.h"
#include "uscc.h"

#define ORG_NAME_SIZE    256 /* 单位名称, 项目名称, 地址 */
#define ORG_CONTACT_SIZE 96  /* 联系人 */
#define ORG_PHONE_SIZE   32  /* 联系电话 */

/* The kinds and states, their codes and labels: org_codes.h. */

/* A company's kind as written: builder/supervisor, 施工/监理, 施工单位/监理单位,
 * 施工企业/监理企业; -1 otherwise. */
int org_company_kind_parse(const char *s, size_t len);

struct org {
	int64_t id;
	enum org_kind kind;
	char name[ORG_NAME_SIZE];
	char uscc[USCC_SIZE]; /* companies only; "" otherwise */
	int64_t district;     /* the district unit's id; 0 = city-wide */
	char district_name[ORG_NAME_SIZE];
	char contact[ORG_CONTACT_SIZE];
	char phone[ORG_PHONE_SIZE];
	int64_t closed_at; /* unix seconds; 0 = open */
	int64_t created_at;
	int64_t updated_at;
};

/* A code or a label (also 已开工/施工中 for active, 已竣工 for completed,
 * 关闭 for closed); -1 otherwise. */
int project_state_parse(const char *s, size_t len);

struct project {
	int64_t id;
	char name[ORG_NAME_SIZE];
	int64_t district;
	char district_name[ORG_NAME_SIZE];
	char address[ORG_NAME_SIZE];
	int64_t builder;
	char builder_uscc[USCC_SIZE];
	char builder_name[ORG_NAME_SIZE];
	int64_t supervisor; /* 0 = none */
	char supervisor_uscc[USCC_SIZE];
	char supervisor_name[ORG_NAME_SIZE];
	int32_t start_on; /* DATE_NONE when not known */
	int32_t end_on;
	enum project_state state;
	int64_t created_at;
	int64_t updated_at;
};

/* Which rows a walk visits. */
struct org_filter {
	unsigned kinds;     /* bits 1u << enum org_kind; 0 = every kind */
	int64_t district;   /* 0 = any */
	int include_closed; /* closed rows too */
};

struct project_filter {
	int64_t district;   /* 0 = any */
	int64_t company;    /* builder or supervisor; 0 = any */
	int include_closed; /* closed projects too */
};

typedef int (*org_fn)(void *arg, const struct org *o);
typedef int (*project_fn)(void *arg, const struct project *p);

/* What a caller gives for a company or an institution, as typed.  For a
 * change, NULL leaves the field as it is ("" clears contact and phone, and
 * an institution's district). */
struct org_input {
	const char *uscc; /* companies: 统一社会信用代码 (add only) */
	const char *kind; /* companies: builder|supervisor|施工|监理 (add only) */
	const char *name;
	const char *district; /* a district unit's name, 住建局 suffix allowed */
	const char *contact;
	const char *phone;
};

/* A project as typed.  Dates in any form date_parse() reads.  For a change,
 * NULL leaves the field as it is; "" (or 无) clears the supervisor and the
 * dates. */
struct project_input {
	const char *name;
	const char *district;
	const char *address;
	const char *builder;    /* USCC of a 施工单位 */
	const char *supervisor; /* USCC of a 监理单位 */
	const char *start;      /* 开工日期 */
	const char *end;        /* 竣工日期 */
	const char *state;      /* change only; add derives it from the start date */
};

/* ---- field checks (org_check.c) ------------------------------------------
 * Shared by the commands, the files and the forms: 0 and the normalised
 * value in out, or -1 and an input error whose message does not name the
 * field (a file error adds the column; org_check_label prefixes a label). */

/* Trimmed, uppercased; a wrong check character names the expected one. */
int org_check_uscc(const char *s, size_t len, char out[USCC_SIZE], struct err *err);
/* Trimmed text without control characters, shorter than size. */
int org_check_text(const char *s, size_t len, int required, char *out, size_t size,
                   struct err *err);
/* Digits, spaces, + - ( ) and 转 (extension), at least 5 digits; "" allowed. */
int org_check_phone(const char *s, size_t len, char out[ORG_PHONE_SIZE], struct err *err);
/* A date as date_parse() reads it; "" and 无 give DATE_NONE. */
int org_check_date(const char *s, size_t len, int32_t *out, struct err *err);
/* Prefix err's message with label (an option or form field); returns -1. */
int org_check_label(struct err *err, const char *label);
/* The phone number as the audit trail keeps it: 138****5678. */
void org_mask_phone(const char *phone, char out[ORG_PHONE_SIZE]);

/* ---- look-ups (read only; 1 found, 0 not found, -1 error) ------------- */

int org_get(struct store *st, int64_t id, struct org *out, struct err *err);
/* A district unit by the exact name DOMAIN.md section 4 gives (云岩区, ...),
 * also when written with 住建局 or 住房和城乡建设局 after it. */
int org_district_get(struct store *st, const char *name, struct org *out, struct err *err);
/* A company by its code (checked first: a malformed code is an input error
 * that says what is wrong, with the expected check character). */
int org_company_get(struct store *st, const char *uscc, struct org *out, struct err *err);
int org_institution_get(struct store *st, const char *name, struct org *out, struct err *err);
int org_project_get(struct store *st, int64_t id, struct project *out, struct err *err);

/* Every organisation / project the filter admits, oldest first; fn returning
 * non-zero stops the walk and is returned.  fn must not start another walk
 * of the same kind. */
int org_each(struct store *st, const struct org_filter *f, org_fn fn, void *arg, struct err *err);
int org_project_each(struct store *st, const struct project_filter *f, project_fn fn, void *arg,
                     struct err *err);

/* ---- changes (own transaction, recorded in the trail) ----------------- */

int org_company_add(struct store *st, const struct actor *who, const struct org_input *in,
                    int64_t now, struct org *out, struct err *err);
/* Name, district, contact, phone; a closed company cannot be changed. */
int org_company_change(struct store *st, const struct actor *who, const char *uscc,
                       const struct org_input *in, int64_t now, struct org *out, struct err *err);
/* Refused while the company builds or supervises a project that is not
 * completed or closed. */
int org_company_close(struct store *st, const struct actor *who, const char *uscc, int64_t now,
                      struct org *out, struct err *err);

int org_institution_add(struct store *st, const struct actor *who, const struct org_input *in,
                        int64_t now, struct org *out, struct err *err);
int org_institution_change(struct store *st, const struct actor *who, const char *name,
                           const struct org_input *in, int64_t now, struct org *out,
                           struct err *err);
int org_institution_close(struct store *st, const struct actor *who, const char *name, int64_t now,
                          struct org *out, struct err *err);

/* A new project: state 未开工 when it starts after today, else 在建.  The
 * builder must be an open 施工单位, the supervisor an open 监理单位, and a
 * builder's project names are unique. */
int org_project_add(struct store *st, const struct actor *who, const struct project_input *in,
                    int32_t today, int64_t now, struct project *out, struct err *err);
int org_project_change(struct store *st, const struct actor *who, int64_t id,
                       const struct project_input *in, int64_t now, struct project *out,
                       struct err *err);
int org_project_close(struct store *st, const struct actor *who, int64_t id, int64_t now,
                      struct project *out, struct err *err);

/* ---- files (orgfile.h has the columns) --------------------------------- */

struct org_import_stats {
	long rows;      /* data rows read */
	long inserted;  /* new rows */
	long unchanged; /* already present and identical */
};

/*
 * Import a company or project list, all or nothing: one transaction; any
 * bad row, a row repeated in the file, or a row that conflicts with what
 * is registered imports nothing and the error names the line and column.
 * A row identical to what is registered (same code, same fields; for a
 * project, same builder and name and the same fields) is counted as
 * unchanged, so importing the same file twice is not an error.  Companies
 * named by a project file must be registered first.
 */
int org_company_import(struct store *st, const struct actor *who, const char *path, int64_t now,
                       struct org_import_stats *stats, struct err *err);
int org_project_import(struct store *st, const struct actor *who, const char *path, int32_t today,
                       int64_t now, struct org_import_stats *stats, struct err *err);

/* ---- output ------------------------------------------------------------ */

struct json_t;
/* The object interfaces share: ids, codes and labels, dates as YYYY-MM-DD.
 * NULL when out of memory. */
struct json_t *org_json(const struct org *o);
struct json_t *org_project_json(const struct project *p);

#endif
