/*
 * trade.h - the trades (工种 / 操作项目) of both certificate systems, as data.
 *
 * Construction (住建): two-digit codes "01".."11" (12+ added locally by
 * extending the table in trade_data.c).  Emergency management (应急管理):
 * 作业类别.操作项目 codes such as "2.1".  A trade is accepted by code (with or
 * without the leading zero: "1" = "01"), by its full name, or by a listed
 * alias; parentheses may be full- or half-width and spaces are ignored.
 */
#ifndef OPCERT_TRADE_H
#define OPCERT_TRADE_H

#include <stddef.h>

enum cert_system {
	SYS_NONE = 0,
	SYS_CONSTRUCTION = 1, /* 住建: 建筑施工特种作业操作资格证书 */
	SYS_EMERGENCY = 2,    /* 应急管理: 特种作业操作证 */
};

struct trade {
	enum cert_system system;
	const char *code;     /* canonical: "01", "2.1" */
	const char *name;     /* 建筑电工, 熔化焊接与热切割作业 */
	const char *category; /* EM: 作业类别 name (焊接与热切割作业); construction: NULL */
	const char *aliases; /* '|'-separated other names, may be NULL */
};

/* Find a trade of the given system (SYS_NONE = either, construction first)
 * by code, name or alias.  NULL when none matches. */
const struct trade *trade_find(enum cert_system sys, const char *s, size_t len);
/* Exact canonical code look-up. */
const struct trade *trade_by_code(enum cert_system sys, const char *code);

size_t trade_count(void);
const struct trade *trade_at(size_t i);

const char *cert_system_name(enum cert_system sys); /* 住建 / 应急管理 */

#endif
