/*
 * org_codes.c - the codes and labels of organisation kinds and project
 * states (org_codes.h): two tables each, and look-ups in them.
 */
#include "org_codes.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_codes[ORG_KIND_COUNT] = {
    [ORG_CITY] = "city",       [ORG_OFFICE] = "office",         [ORG_DISTRICT] = "district",
    [ORG_BUILDER] = "builder", [ORG_SUPERVISOR] = "supervisor", [ORG_INSTITUTION] = "institution",
};

static const char *const kind_labels[ORG_KIND_COUNT] = {
    [ORG_CITY] = "市住建局",
    [ORG_OFFICE] = "市住建局处室",
    [ORG_DISTRICT] = "区（市、县）住建局",
    [ORG_BUILDER] = "施工单位",
    [ORG_SUPERVISOR] = "监理单位",
    [ORG_INSTITUTION] = "培训机构",
};

static const char *const state_codes[PROJECT_STATE_COUNT] = {
    [PROJECT_PLANNED] = "planned",     [PROJECT_ACTIVE] = "active",
    [PROJECT_SUSPENDED] = "suspended", [PROJECT_COMPLETED] = "completed",
    [PROJECT_CLOSED] = "closed",
};

static const char *const state_labels[PROJECT_STATE_COUNT] = {
    [PROJECT_PLANNED] = "未开工", [PROJECT_ACTIVE] = "在建",   [PROJECT_SUSPENDED] = "停工",
    [PROJECT_COMPLETED] = "竣工", [PROJECT_CLOSED] = "已关闭",
};

const char *org_kind_code(enum org_kind k)
{
	return (unsigned)k < ORG_KIND_COUNT ? kind_codes[k] : "";
}

const char *org_kind_label(enum org_kind k)
{
	return (unsigned)k < ORG_KIND_COUNT ? kind_labels[k] : "";
}

int org_kind_from_code(const char *code)
{
	for (int k = 0; k < ORG_KIND_COUNT; k++)
		if (strcmp(code, kind_codes[k]) == 0)
			return k;
	return -1;
}

const char *project_state_code(enum project_state s)
{
	return (unsigned)s < PROJECT_STATE_COUNT ? state_codes[s] : "";
}

const char *project_state_label(enum project_state s)
{
	return (unsigned)s < PROJECT_STATE_COUNT ? state_labels[s] : "";
}

int project_state_running(enum project_state s)
{
	return s == PROJECT_PLANNED || s == PROJECT_ACTIVE || s == PROJECT_SUSPENDED;
}

int project_state_keeps_workers(enum project_state s)
{
	return (unsigned)s < PROJECT_STATE_COUNT && s != PROJECT_CLOSED;
}

void project_states_text(int (*pred)(enum project_state), char *out, size_t size)
{
	size_t len = 0;
	int n;

	if (size == 0)
		return;
	out[0] = '\0';
	n = snprintf(out, size, ",");
	for (int s = 0; n > 0 && (size_t)n < size - len && s < PROJECT_STATE_COUNT; s++) {
		len += (size_t)n;
		n = pred((enum project_state)s)
		        ? snprintf(out + len, size - len, "%s,", state_codes[s])
		        : 0;
	}
	if (n < 0 || (size_t)n >= size - len)
		out[0] = '\0';
}

int project_state_from_code(const char *code)
{
	for (int s = 0; s < PROJECT_STATE_COUNT; s++)
		if (strcmp(code, state_codes[s]) == 0)
			return s;
	return -1;
}
