/*
 * org_codes.h - the kinds of organisation and the states of a project, with
 * the codes they are stored and exchanged under ("builder", "active") and
 * the labels shown for them ("施工单位", "在建").
 *
 * Data only, with no dependency: org.h builds on it, and a storage backend
 * includes it to turn a stored code back into its enum without linking the
 * domain module.
 */
#ifndef OPCERT_ORG_CODES_H
#define OPCERT_ORG_CODES_H

#include <stddef.h>

enum org_kind {
	ORG_CITY = 0,    /* 市住建局 */
	ORG_OFFICE,      /* the bureau's offices: 建管处, 安监站 */
	ORG_DISTRICT,    /* 区（市、县）住建局: one of the 14 units */
	ORG_BUILDER,     /* 施工单位 */
	ORG_SUPERVISOR,  /* 监理单位 */
	ORG_INSTITUTION, /* 培训机构 */
	ORG_KIND_COUNT
};

enum project_state {
	PROJECT_PLANNED = 0, /* 未开工 */
	PROJECT_ACTIVE,      /* 在建 */
	PROJECT_SUSPENDED,   /* 停工 */
	PROJECT_COMPLETED,   /* 竣工 */
	PROJECT_CLOSED,      /* 已关闭 */
	PROJECT_STATE_COUNT
};

/* Code and label; "" when k is out of range. */
const char *org_kind_code(enum org_kind k);  /* "builder" */
const char *org_kind_label(enum org_kind k); /* "施工单位" */
/* Any kind by its exact code; -1 when unknown. */
int org_kind_from_code(const char *code);

const char *project_state_code(enum project_state s);  /* "active" */
const char *project_state_label(enum project_state s); /* "在建" */
/* A state by its exact code; -1 when unknown. */
int project_state_from_code(const char *code);
/* Whether a project in state s still has workers on site (未开工, 在建,
 * 停工): a certificate on it is in use there. */
int project_state_running(enum project_state s);
/* Whether the companies of a project in state s still read its workers'
 * records: any state but 已关闭 (a completed project keeps its list). */
int project_state_keeps_workers(enum project_state s);
/* The codes of the states for which pred holds, as ",code,code," (the
 * form the storage backend matches a stored state against); "" when it
 * does not fit in out. */
void project_states_text(int (*pred)(enum project_state), char *out, size_t size);

#endif
