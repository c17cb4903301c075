/*
 * regfile.h - the register CSV: one certificate per row, every field
 * checked as strictly as the issuer's own records deserve.
 *
 * Header (Chinese name, English alias): 证书编号|number, 姓名|name,
 * 性别|gender, 身份证号码|id_number, 工种|trade, 发证机关|issuer,
 * 发证日期|issued_on, 有效期至|valid_until, 复审日期|review_due (optional),
 * 状态|status (optional, default 有效), 培训机构|training_institution
 * (optional).
 */
#ifndef OPCERT_REGFILE_H
#define OPCERT_REGFILE_H

#include <stdint.h>

#include "cert.h"
#include "err.h"
#include "tabfile.h"

extern const struct csv_column regfile_columns[];
extern const size_t regfile_ncolumns;

/*
 * Parse and check the current row of t (opened with regfile_columns) into
 * c.  today bounds ID birth dates.  Input errors name the line and column.
 */
int regfile_row(const struct tabfile *t, int32_t today, struct cert *c, struct err *err);

/*
 * Read a field that should hold an ID number the way users send them.
 * Returns 0 with out normalised, or -1 with an input error: Excel's number
 * mangling gets its remedy spelt out.  Used by the roster reader too, which
 * treats the other failures as findings rather than errors.
 */
int regfile_excel_id_error(const struct tabfile *t, size_t col, const char *p, size_t len,
                           struct err *err);

#endif
