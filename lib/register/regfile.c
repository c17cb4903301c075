/*
 * regfile.c - register rows.  The register is the reference every roster
 * is checked against, so a row that is wrong in any way stops the import:
 * importing it would turn a typo into a false alarm on a construction site.
 */
#include "regfile.h"

#include <stdio.h>
#include <string.h>

#include "certno.h"
#include "date.h"
#include "idnum.h"
#include "trade.h"

enum {
	COL_NUMBER,
	COL_NAME,
	COL_GENDER,
	COL_ID,
	COL_TRADE,
	COL_ISSUER,
	COL_ISSUED_ON,
	COL_VALID_UNTIL,
	COL_REVIEW_DUE,
	COL_STATUS,
	COL_TRAINING,
	COL_COUNT
};

const struct csv_column regfile_columns[] = {
    [COL_NUMBER] = {"证书编号|number|证号", 1},
    [COL_NAME] = {"姓名|name", 1},
    [COL_GENDER] = {"性别|gender", 1},
    [COL_ID] = {"身份证号码|id_number|身份证号|公民身份号码", 1},
    [COL_TRADE] = {"工种|trade|操作项目|准操项目|工种类别", 1},
    [COL_ISSUER] = {"发证机关|issuer", 1},
    [COL_ISSUED_ON] = {"发证日期|issued_on|初领日期", 1},
    [COL_VALID_UNTIL] = {"有效期至|valid_until|有效期截止日期|有效截止日期", 1},
    [COL_REVIEW_DUE] = {"复审日期|review_due|复审（延期复核）日期|延期复核日期|应复审日期", 0},
    [COL_STATUS] = {"状态|status|证书状态", 0},
    [COL_TRAINING] = {"培训机构|training_institution", 0},
};
const size_t regfile_ncolumns = COL_COUNT;

static int copy_text(const struct tabfile *t, size_t col, const char *p, size_t len, char *dst,
                     size_t size, int required, struct err *err)
{
	size_t i;

	if (len == 0 && required)
		return tabfile_error(t, col, err, "必填项为空");
	if (len >= size)
		return tabfile_error(t, col, err, "内容过长（最多%zu字节）", size - 1);
	for (i = 0; i < len; i++) {
		if ((unsigned char)p[i] < 0x20)
			return tabfile_error(t, col, err, "含有控制字符");
	}
	memcpy(dst, p, len);
	dst[len] = '\0';
	return 0;
}

static int parse_date_field(const struct tabfile *t, size_t col, int required, int32_t *out,
                            struct err *err)
{
	const char *p;
	size_t len;

	tabfile_field(t, col, &p, &len);
	if (len == 0) {
		if (required)
			return tabfile_error(t, col, err, "必填项为空");
		*out = DATE_NONE;
		return 0;
	}
	if (date_parse(p, len, out) < 0)
		return tabfile_error(t, col, err,
		                     "日期“%.*s”无效（应写作2018-08-09、2018/8/9或2018年8月9日）",
		                     (int)(len > 64 ? 64 : len), p);
	return 0;
}

int regfile_excel_id_error(const struct tabfile *t, size_t col, const char *p, size_t len,
                           struct err *err)
{
	if (!idnum_excel_mangled(p, len))
		return 0;
	return tabfile_error(t, col, err,
	                     "身份证号码“%.*"
	                     "s”已被Excel当作数字处理，后几位已丢失；请把该列设置为“文本”格式，重新"
	                     "录入身份证号码后再导出",
	                     (int)(len > 32 ? 32 : len), p);
}

int regfile_row(const struct tabfile *t, int32_t today, struct cert *c, struct err *err)
{
	const char *p;
	size_t len;
	struct certno no;
	const struct trade *trade;
	enum idnum_error ide;
	int st;

	memset(c, 0, sizeof(*c));

	tabfile_field(t, COL_NUMBER, &p, &len);
	if (len == 0)
		return tabfile_error(t, COL_NUMBER, err, "必填项为空");
	if (certno_parse(p, len, &no) < 0)
		return tabfile_error(t, COL_NUMBER, err, "证书编号“%.*s”格式无效",
		                     (int)(len > 40 ? 40 : len), p);
	memcpy(c->number, no.text, sizeof(c->number));
	c->system = no.system;

	tabfile_field(t, COL_NAME, &p, &len);
	if (copy_text(t, COL_NAME, p, len, c->name, sizeof(c->name), 1, err) < 0)
		return -1;

	tabfile_field(t, COL_ID, &p, &len);
	if (len == 0)
		return tabfile_error(t, COL_ID, err, "必填项为空");
	if (regfile_excel_id_error(t, COL_ID, p, len, err) < 0)
		return -1;
	ide = idnum_check(p, len, today, c->id_number);
	if (ide != IDNUM_OK)
		return tabfile_error(t, COL_ID, err, "身份证号码“%.*s”无效：%s",
		                     (int)(len > 32 ? 32 : len), p, idnum_reason(ide));

	tabfile_field(t, COL_GENDER, &p, &len);
	c->gender = gender_parse(p, len);
	if (c->gender == GENDER_NONE)
		return tabfile_error(t, COL_GENDER, err, "性别“%.*s”无法识别（应为男或女）",
		                     (int)(len > 16 ? 16 : len), p);
	if ((int)c->gender != idnum_gender(c->id_number))
		return tabfile_error(t, COL_GENDER, err, "性别与身份证号不符");

	if (no.system == SYS_EMERGENCY && strcmp(no.id, c->id_number) != 0)
		return tabfile_error(t, COL_NUMBER, err,
		                     "应急管理证书编号中的身份证号与“身份证号码”列不一致");

	tabfile_field(t, COL_TRADE, &p, &len);
	if (len == 0)
		return tabfile_error(t, COL_TRADE, err, "必填项为空");
	trade = trade_find(no.system, p, len);
	if (!trade)
		return tabfile_error(t, COL_TRADE, err, "工种“%.*s”不在%s工种表中",
		                     (int)(len > 64 ? 64 : len), p, cert_system_name(no.system));
	if (no.system == SYS_CONSTRUCTION && strcmp(trade->code, no.trade) != 0)
		return tabfile_error(t, COL_TRADE, err,
		                     "工种（%s）与证书编号中的工种代码（%s）不一致", trade->code,
		                     no.trade);
	snprintf(c->trade, sizeof(c->trade), "%s", trade->code);

	tabfile_field(t, COL_ISSUER, &p, &len);
	if (copy_text(t, COL_ISSUER, p, len, c->issuer, sizeof(c->issuer), 1, err) < 0)
		return -1;

	if (parse_date_field(t, COL_ISSUED_ON, 1, &c->issued_on, err) < 0 ||
	    parse_date_field(t, COL_VALID_UNTIL, 1, &c->valid_until, err) < 0 ||
	    parse_date_field(t, COL_REVIEW_DUE, 0, &c->review_due, err) < 0)
		return -1;
	if (c->valid_until < c->issued_on)
		return tabfile_error(t, COL_VALID_UNTIL, err, "有效期至早于发证日期");
	if (c->review_due != DATE_NONE && c->review_due < c->issued_on)
		return tabfile_error(t, COL_REVIEW_DUE, err, "复审日期早于发证日期");

	tabfile_field(t, COL_STATUS, &p, &len);
	if (len == 0) {
		c->status = CERT_VALID;
	} else {
		st = cert_status_parse(p, len);
		if (st < 0)
			return tabfile_error(t, COL_STATUS, err,
			                     "状态“%.*s”无法识别（应为有效、暂扣或注销）",
			                     (int)(len > 32 ? 32 : len), p);
		c->status = (enum cert_status)st;
	}

	tabfile_field(t, COL_TRAINING, &p, &len);
	return copy_text(t, COL_TRAINING, p, len, c->training_institution,
	                 sizeof(c->training_institution), 0, err);
}
