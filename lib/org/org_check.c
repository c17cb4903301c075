/*
 * org_check.c - the field rules of organisations and projects (org.h,
 * "field checks"): trimming (text_trim's rule), company kinds and project
 * states as people write them, credit codes, names, phone numbers and
 * dates.  A leaf shared by the commands and forms (org.c) and the list
 * files (orgfile.c), so a value is judged the same wherever it is typed.
 */
#include "org.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "text.h"
#include "uscc.h"

#define SHOW(len) ((int)((len) > 64 ? 64 : (len)))

static int equals(const char *s, size_t len, const char *word)
{
	return strlen(word) == len && memcmp(s, word, len) == 0;
}

static int equals_any(const char *s, size_t len, const char *const *words)
{
	for (; *words; words++)
		if (equals(s, len, *words))
			return 1;
	return 0;
}

int org_company_kind_parse(const char *s, size_t len)
{
	static const char *const builder[] = {"builder", "施工",       "施工单位", "施工企业",
	                                      "总承包",  "施工总承包", NULL};
	static const char *const supervisor[] = {"supervisor", "监理", "监理单位", "监理企业",
	                                         NULL};

	text_trim(&s, &len);
	if (equals_any(s, len, builder))
		return ORG_BUILDER;
	if (equals_any(s, len, supervisor))
		return ORG_SUPERVISOR;
	return -1;
}

int project_state_parse(const char *s, size_t len)
{
	static const char *const extra_active[] = {"已开工", "施工中", NULL};
	static const char *const extra_completed[] = {"已竣工", NULL};
	static const char *const extra_closed[] = {"关闭", NULL};

	text_trim(&s, &len);
	for (int i = 0; i < PROJECT_STATE_COUNT; i++)
		if (equals(s, len, project_state_code((enum project_state)i)) ||
		    equals(s, len, project_state_label((enum project_state)i)))
			return i;
	if (equals_any(s, len, extra_active))
		return PROJECT_ACTIVE;
	if (equals_any(s, len, extra_completed))
		return PROJECT_COMPLETED;
	if (equals_any(s, len, extra_closed))
		return PROJECT_CLOSED;
	return -1;
}

/* ---- field checks ------------------------------------------------------ */

int org_check_uscc(const char *s, size_t len, char out[USCC_SIZE], struct err *err)
{
	char first[USCC_SIZE], expect, name[TEXT_CHAR_NAME_SIZE];
	size_t at;

	text_trim(&s, &len);
	switch (uscc_check(s, len, out)) {
	case USCC_OK:
		return 0;
	case USCC_EMPTY:
		return err_input(err, "未填写");
	case USCC_LENGTH:
		return err_input(err, "“%.*s”应为18位（现为%zu位）", SHOW(len), s,
		                 text_chars(s, len));
	case USCC_CHARS:
		at = uscc_refused_char(s, len, name);
		return err_input(err,
		                 "“%.*s”含有非法字符%s（第%zu位；只用数字和大写字母，不用 "
		                 "I、O、S、V、Z）",
		                 SHOW(len), s, name, at);
	case USCC_REGION:
		return err_input(err, "“%.*s”的第3至8位（行政区划码）应为数字", SHOW(len), s);
	case USCC_CHECK:
		break;
	}
	for (size_t i = 0; i < 17; i++)
		first[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 'a' + 'A') : s[i];
	first[17] = '\0';
	expect = uscc_check_char(first);
	return err_input(err, "“%.*s”的校验位应为 %c", SHOW(len), s, expect ? expect : '?');
}

int org_check_text(const char *s, size_t len, int required, char *out, size_t size, struct err *err)
{
	if (!s)
		len = 0;
	else
		text_trim(&s, &len);
	if (len == 0) {
		if (required)
			return err_input(err, "未填写");
		out[0] = '\0';
		return 0;
	}
	if (len >= size)
		return err_input(err, "内容过长（最多%zu字节）", size - 1);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return err_input(err, "含有控制字符");
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int org_check_phone(const char *s, size_t len, char out[ORG_PHONE_SIZE], struct err *err)
{
	size_t digits = 0, i;

	if (!s)
		len = 0;
	else
		text_trim(&s, &len);
	out[0] = '\0';
	if (len == 0)
		return 0;
	if (len >= ORG_PHONE_SIZE)
		return err_input(err, "“%.*s”过长（最多%d字节）", SHOW(len), s, ORG_PHONE_SIZE - 1);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			digits++;
		} else if (i + 3 <= len && memcmp(s + i, "转", 3) == 0) {
			i += 2;
		} else if (c != ' ' && c != '-' && c != '+' && c != '(' && c != ')') {
			return err_input(err, "“%.*s”无效（只能包含数字、空格、+、-、括号和“转”）",
			                 SHOW(len), s);
		}
	}
	if (digits < 5)
		return err_input(err, "“%.*s”无效（数字太少）", SHOW(len), s);
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int org_check_date(const char *s, size_t len, int32_t *out, struct err *err)
{
	if (!s)
		len = 0;
	else
		text_trim(&s, &len);
	if (len == 0 || equals(s, len, "无")) {
		*out = DATE_NONE;
		return 0;
	}
	if (date_parse(s, len, out) < 0)
		return err_input(err,
		                 "“%.*s”不是有效日期（应写作2018-08-09、2018/8/9或2018年8月9日）",
		                 SHOW(len), s);
	return 0;
}

int org_check_label(struct err *err, const char *label)
{
	char msg[sizeof(err->msg)];
	size_t n = strlen(label), m = strlen(err->msg);

	/* Truncated at a byte when too long: the message stays readable. */
	if (n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (m > sizeof(msg) - 1 - n)
		m = sizeof(msg) - 1 - n;
	memcpy(msg, label, n);
	memcpy(msg + n, err->msg, m);
	msg[n + m] = '\0';
	memcpy(err->msg, msg, sizeof(msg));
	return -1;
}

void org_mask_phone(const char *phone, char out[ORG_PHONE_SIZE])
{
	size_t len = strlen(phone), i;

	if (len == 0) {
		out[0] = '\0';
		return;
	}
	if (len < 8) {
		snprintf(out, ORG_PHONE_SIZE, "****");
		return;
	}
	/* Keep the first three and the last four characters. */
	for (i = 0; i < len && i < ORG_PHONE_SIZE - 1; i++)
		out[i] = (i < 3 || i + 4 >= len) ? phone[i] : '*';
	out[i] = '\0';
}
