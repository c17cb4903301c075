/*
 * orgfile.c - company and project rows (orgfile.h).  The field rules are
 * org_check.c's, so a row is judged exactly as the same values typed on the
 * command line would be; here they get their line and column.
 */
#include "orgfile.h"

#include <string.h>

#include "date.h"

const struct csv_column orgfile_company_columns[ORGFILE_C_COUNT] = {
    [ORGFILE_C_USCC] = {"统一社会信用代码|uscc|信用代码|社会信用代码", 1},
    [ORGFILE_C_NAME] = {"单位名称|name|企业名称|名称", 1},
    [ORGFILE_C_KIND] = {"单位类型|kind|类型|企业类型", 1},
    [ORGFILE_C_DISTRICT] = {"所在区|district|所在区（市、县）|所在区县|区（市、县）", 1},
    [ORGFILE_C_CONTACT] = {"联系人|contact", 0},
    [ORGFILE_C_PHONE] = {"联系电话|phone|电话", 0},
};

const struct csv_column orgfile_project_columns[ORGFILE_P_COUNT] = {
    [ORGFILE_P_NAME] = {"项目名称|name|工程名称", 1},
    [ORGFILE_P_DISTRICT] = {"所在区|district|所在区（市、县）|项目所在区（市、县）|所在区县", 1},
    [ORGFILE_P_ADDRESS] = {"地址|address|项目地址|工程地址", 0},
    [ORGFILE_P_BUILDER] = {"施工单位信用代码|builder|施工单位统一社会信用代码", 1},
    [ORGFILE_P_SUPERVISOR] = {"监理单位信用代码|supervisor|监理单位统一社会信用代码", 0},
    [ORGFILE_P_START] = {"开工日期|start|start_on", 0},
    [ORGFILE_P_END] = {"竣工日期|end|end_on|计划竣工日期", 0},
};

/* Attach the current row's line and column col to an error already filled. */
static int at(const struct tabfile *t, size_t col, struct err *err)
{
	const char *name;
	size_t len;

	tabfile_column_name(t, col, &name, &len);
	err_at(err, tabfile_line(t), name, len);
	return -1;
}

static int text(const struct tabfile *t, size_t col, int required, char *out, size_t size,
                struct err *err)
{
	const char *p;
	size_t len;

	tabfile_field(t, col, &p, &len);
	if (org_check_text(p, len, required, out, size, err) < 0)
		return at(t, col, err);
	return 0;
}

static int code(const struct tabfile *t, size_t col, int required, char out[USCC_SIZE],
                struct err *err)
{
	const char *p;
	size_t len;

	tabfile_field(t, col, &p, &len);
	if (!required && (len == 0 || (len == 3 && memcmp(p, "无", 3) == 0))) {
		out[0] = '\0';
		return 0;
	}
	if (org_check_uscc(p, len, out, err) < 0)
		return at(t, col, err);
	return 0;
}

static int day(const struct tabfile *t, size_t col, int32_t *out, struct err *err)
{
	const char *p;
	size_t len;

	tabfile_field(t, col, &p, &len);
	if (org_check_date(p, len, out, err) < 0)
		return at(t, col, err);
	return 0;
}

int orgfile_company_row(const struct tabfile *t, struct orgfile_company *c, struct err *err)
{
	const char *p;
	size_t len;
	int kind;

	memset(c, 0, sizeof(*c));
	if (code(t, ORGFILE_C_USCC, 1, c->uscc, err) < 0 ||
	    text(t, ORGFILE_C_NAME, 1, c->name, sizeof(c->name), err) < 0)
		return -1;
	tabfile_field(t, ORGFILE_C_KIND, &p, &len);
	if (len == 0)
		return tabfile_error(t, ORGFILE_C_KIND, err, "未填写（应为施工或监理）");
	kind = org_company_kind_parse(p, len);
	if (kind < 0)
		return tabfile_error(t, ORGFILE_C_KIND, err, "“%.*s”无法识别（应为施工或监理）",
		                     (int)(len > 32 ? 32 : len), p);
	c->kind = (enum org_kind)kind;
	if (text(t, ORGFILE_C_DISTRICT, 1, c->district, sizeof(c->district), err) < 0 ||
	    text(t, ORGFILE_C_CONTACT, 0, c->contact, sizeof(c->contact), err) < 0)
		return -1;
	tabfile_field(t, ORGFILE_C_PHONE, &p, &len);
	if (org_check_phone(p, len, c->phone, err) < 0)
		return at(t, ORGFILE_C_PHONE, err);
	return 0;
}

int orgfile_project_row(const struct tabfile *t, struct orgfile_project *p, struct err *err)
{
	memset(p, 0, sizeof(*p));
	if (text(t, ORGFILE_P_NAME, 1, p->name, sizeof(p->name), err) < 0 ||
	    text(t, ORGFILE_P_DISTRICT, 1, p->district, sizeof(p->district), err) < 0 ||
	    text(t, ORGFILE_P_ADDRESS, 0, p->address, sizeof(p->address), err) < 0 ||
	    code(t, ORGFILE_P_BUILDER, 1, p->builder, err) < 0 ||
	    code(t, ORGFILE_P_SUPERVISOR, 0, p->supervisor, err) < 0 ||
	    day(t, ORGFILE_P_START, &p->start_on, err) < 0 ||
	    day(t, ORGFILE_P_END, &p->end_on, err) < 0)
		return -1;
	if (p->start_on != DATE_NONE && p->end_on != DATE_NONE && p->end_on < p->start_on)
		return tabfile_error(t, ORGFILE_P_END, err, "竣工日期早于开工日期");
	return 0;
}
