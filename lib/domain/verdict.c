/*
 * verdict.c - codes and labels of the verdict vocabulary (DOMAIN.md
 * section 6).  The enum order is the precedence, so the most serious finding
 * of a mask is simply its highest bit.
 */
#include "verdict.h"

#include <string.h>

static const struct {
	const char *code;
	const char *label;
} verdicts[V_COUNT] = {
    [V_VALID] = {"valid", "有效"},
    [V_STATUS_UNKNOWN] = {"status_unknown", "状态未知"},
    [V_EXTERNAL] = {"external", "需外部核验"},
    [V_NOT_FOUND] = {"not_found", "查无此证"},
    [V_INVALID_NUMBER] = {"invalid_number", "证书编号无效"},
    [V_INVALID_ID] = {"invalid_id", "身份证号码无效"},
    [V_REVIEW_OVERDUE] = {"review_overdue", "逾期未复审"},
    [V_EXPIRED] = {"expired", "已过期"},
    [V_SUSPENDED] = {"suspended", "暂扣"},
    [V_REVOKED] = {"revoked", "已注销/吊销"},
    [V_DUPLICATE_USE] = {"duplicate_use", "疑似转借/冒用"},
    [V_MISMATCH] = {"mismatch", "信息不符"},
    [V_UNCERTIFIED] = {"uncertified", "无证"},
    [V_TAMPERED] = {"tampered", "登记记录被篡改"},
    [V_FORGED] = {"forged", "签名无效（伪造）"},
    [V_UNOFFICIAL_LINK] = {"unofficial_link", "非官方查询链接"},
};

/* An out-of-range value yields "" rather than NULL so that a caller's printf
 * cannot crash on it. */
const char *verdict_code(enum verdict v)
{
	return (unsigned)v < V_COUNT ? verdicts[v].code : "";
}

const char *verdict_label(enum verdict v)
{
	return (unsigned)v < V_COUNT ? verdicts[v].label : "";
}

int verdict_from_code(const char *code)
{
	if (!code)
		return -1;
	for (int v = 0; v < V_COUNT; v++)
		if (strcmp(verdicts[v].code, code) == 0)
			return v;
	return -1;
}

int verdict_next(verdict_mask m, int v)
{
	if (v > V_COUNT)
		v = V_COUNT;
	/* V_VALID is the absence of findings, never a finding of its own. */
	while (--v > V_VALID)
		if (m & VMASK(v))
			return v;
	return -1;
}

enum verdict verdict_of(verdict_mask m)
{
	int v = verdict_next(m, V_COUNT);

	return v < 0 ? V_VALID : (enum verdict)v;
}
