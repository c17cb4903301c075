/*
 * orgfile.h - the company and project lists users import (CSV, any encoding
 * text.h knows, header within the first rows, columns in any order; read
 * through tabfile.h like the register).
 *
 * Companies: 统一社会信用代码, 单位名称, 单位类型 (施工/监理), 所在区,
 *   联系人 (optional), 联系电话 (optional).
 * Projects: 项目名称, 所在区, 地址 (optional), 施工单位信用代码,
 *   监理单位信用代码 (optional), 开工日期 (optional), 竣工日期 (optional).
 *
 * A row is checked on its own here (codes, kinds, dates, lengths); whether
 * the district and the companies exist is decided against the store by
 * org.h's imports.  Input errors name the line and column.
 */
#ifndef OPCERT_ORGFILE_H
#define OPCERT_ORGFILE_H

#include <stdint.h>

#include "err.h"
#include "org.h"
#include "tabfile.h"

enum orgfile_company_column {
	ORGFILE_C_USCC,
	ORGFILE_C_NAME,
	ORGFILE_C_KIND,
	ORGFILE_C_DISTRICT,
	ORGFILE_C_CONTACT,
	ORGFILE_C_PHONE,
	ORGFILE_C_COUNT
};

enum orgfile_project_column {
	ORGFILE_P_NAME,
	ORGFILE_P_DISTRICT,
	ORGFILE_P_ADDRESS,
	ORGFILE_P_BUILDER,
	ORGFILE_P_SUPERVISOR,
	ORGFILE_P_START,
	ORGFILE_P_END,
	ORGFILE_P_COUNT
};

extern const struct csv_column orgfile_company_columns[ORGFILE_C_COUNT];
extern const struct csv_column orgfile_project_columns[ORGFILE_P_COUNT];

struct orgfile_company {
	char uscc[USCC_SIZE];
	enum org_kind kind; /* ORG_BUILDER or ORG_SUPERVISOR */
	char name[ORG_NAME_SIZE];
	char district[ORG_NAME_SIZE]; /* as written; resolved by the import */
	char contact[ORG_CONTACT_SIZE];
	char phone[ORG_PHONE_SIZE];
};

struct orgfile_project {
	char name[ORG_NAME_SIZE];
	char district[ORG_NAME_SIZE];
	char address[ORG_NAME_SIZE];
	char builder[USCC_SIZE];
	char supervisor[USCC_SIZE]; /* "" = none */
	int32_t start_on;           /* DATE_NONE = not given */
	int32_t end_on;
};

/* Parse and check the current row of t (opened with the matching columns). */
int orgfile_company_row(const struct tabfile *t, struct orgfile_company *c, struct err *err);
int orgfile_project_row(const struct tabfile *t, struct orgfile_project *p, struct err *err);

#endif
