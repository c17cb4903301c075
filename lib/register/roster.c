/*
 * roster.c - roster verification in two passes over the text in memory.
 *
 * The first pass checks every row for input errors and records who claims
 * each certificate number, so that nothing is printed for a form that has
 * to be sent back, and so that duplicate_use is known for the first row
 * that claims a shared number as well as for the later ones.  The second
 * pass verifies each row and hands its result to the caller.  Memory is the
 * text plus one map entry per distinct number: a 100,000-row roster stays
 * within a few tens of megabytes.
 */
#include "roster.h"

#include <stdio.h>
#include <string.h>

#include "certno.h"
#include "date.h"
#include "regfile.h"
#include "strmap.h"

enum {
	RC_NAME,
	RC_GENDER,
	RC_ID,
	RC_TRADE,
	RC_NUMBER,
	RC_ISSUER,
	RC_VALID_UNTIL,
	RC_PROJECT,
	RC_COUNT
};

static const struct csv_column roster_columns[] = {
    [RC_NAME] = {"姓名|name", 1},
    [RC_GENDER] = {"性别|gender", 0},
    [RC_ID] = {"身份证号码|id_number|身份证号|公民身份号码", 1},
    [RC_TRADE] = {"工种|特种作业岗位/工种|岗位|特种作业岗位|操作项目|trade", 0},
    [RC_NUMBER] = {"证书编号|number|证号|操作证号", 1},
    [RC_ISSUER] = {"发证机关|issuer", 0},
    [RC_VALID_UNTIL] = {"有效期至|valid_until|有效期截止日期|有效截止日期", 0},
    [RC_PROJECT] = {"项目名称|project", 0},
};

#define DUP_MULTI 1

struct row {
	char number[64];
	char name[CERT_NAME_SIZE];
	char id[64];
	char trade[128];
	char issuer[CERT_TEXT_SIZE];
	char project[CERT_TEXT_SIZE];
	struct claim claim;
};

static int is_trailer(const struct tabfile *t)
{
	static const char *const words[] = {"合计", "小计", "总计", "填表说明", "说明：", "注："};
	size_t i, w;

	for (i = 0; i < t->csv.nfields; i++) {
		const char *p = t->csv.fields[i].p;
		size_t len = t->csv.fields[i].len;

		text_trim(&p, &len);
		if (len == 0)
			continue;
		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++) {
			size_t wl = strlen(words[w]);

			if (len >= wl && memcmp(p, words[w], wl) == 0)
				return 1;
		}
		return 0;
	}
	return 0;
}

static int copy_field(const struct tabfile *t, size_t col, char *dst, size_t size, int required,
                      struct err *err)
{
	const char *p;
	size_t len, i;

	tabfile_field(t, col, &p, &len);
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

/* What people write in the number cell of a worker who has none. */
static int no_certificate(const char *number)
{
	static const char *const words[] = {"无", "/", "-", "—", "暂无", "没有", "无证"};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(number, words[i]) == 0)
			return 1;
	return 0;
}

static int parse_row(const struct tabfile *t, struct row *r, struct err *err)
{
	const char *p;
	size_t len;

	memset(&r->claim, 0, sizeof(r->claim));
	if (copy_field(t, RC_NAME, r->name, sizeof(r->name), 1, err) < 0 ||
	    copy_field(t, RC_ID, r->id, sizeof(r->id), 1, err) < 0 ||
	    copy_field(t, RC_NUMBER, r->number, sizeof(r->number), 0, err) < 0 ||
	    copy_field(t, RC_TRADE, r->trade, sizeof(r->trade), 0, err) < 0 ||
	    copy_field(t, RC_ISSUER, r->issuer, sizeof(r->issuer), 0, err) < 0 ||
	    copy_field(t, RC_PROJECT, r->project, sizeof(r->project), 0, err) < 0)
		return -1;
	if (regfile_excel_id_error(t, RC_ID, r->id, strlen(r->id), err) < 0)
		return -1;
	if (no_certificate(r->number))
		r->number[0] = '\0';
	r->claim.name = r->name;
	r->claim.id_number = r->id;
	r->claim.number = r->number;
	r->claim.trade = r->trade;
	r->claim.issuer = r->issuer;

	tabfile_field(t, RC_GENDER, &p, &len);
	if (len) {
		r->claim.gender = gender_parse(p, len);
		if (r->claim.gender == GENDER_NONE)
			return tabfile_error(t, RC_GENDER, err, "性别“%.*s”无法识别（应为男或女）",
			                     (int)(len > 16 ? 16 : len), p);
	}
	tabfile_field(t, RC_VALID_UNTIL, &p, &len);
	r->claim.valid_until = DATE_NONE;
	if (len && date_parse(p, len, &r->claim.valid_until) < 0)
		return tabfile_error(t, RC_VALID_UNTIL, err,
		                     "日期“%.*s”无效（应写作2018-08-09、2018/8/9或2018年8月9日）",
		                     (int)(len > 64 ? 64 : len), p);
	return 0;
}

/* The key a person is known by within one roster: the ID as written,
 * uppercased, or the name when no ID is given. */
static void person_key(const struct row *r, char out[24])
{
	size_t i;

	const char *src = r->id[0] ? r->id : r->name;

	for (i = 0; i < 23 && src[i]; i++)
		out[i] = src[i];
	out[i] = '\0';
	for (i = 0; out[i]; i++)
		if (out[i] == 'x')
			out[i] = 'X';
}

static int first_pass(struct tabfile *t, struct strmap *claims, struct err *err)
{
	struct row r;
	struct certno no;
	int rc;

	while ((rc = tabfile_next(t, err)) == 1) {
		struct strmap_entry *e;
		char key[24];
		int created;

		if (is_trailer(t))
			continue;
		if (parse_row(t, &r, err) < 0)
			return -1;
		if (!r.number[0] || certno_parse(r.number, strlen(r.number), &no) < 0)
			continue;
		person_key(&r, key);
		e = strmap_put(claims, no.text, strlen(no.text), &created);
		if (!e)
			return err_system(err, "内存不足");
		if (created)
			memcpy(e->aux, key, sizeof(e->aux));
		else if (strcmp(e->aux, key) != 0)
			e->flags |= DUP_MULTI;
	}
	return rc;
}

static void count(struct roster_summary *s, const struct vresult *v)
{
	/* A roster row has no recorded manual check and no post: the counting
	 * rules apply to its verdict alone. */
	struct tally_row row = {v->verdict, TALLY_MANUAL_NONE, 0};

	s->rows++;
	s->by_verdict[v->verdict]++;
	tally_add(&s->totals, &row);
}

static int run(struct tabfile *t, struct verifier *v, roster_cb cb, void *arg,
               struct roster_summary *sum, struct err *err)
{
	struct strmap claims;
	struct roster_result res;
	struct row r;
	int rc, ret = -1, in_txn = 0;

	memset(sum, 0, sizeof(*sum));
	strmap_init(&claims);
	if (first_pass(t, &claims, err) < 0)
		goto out;
	/* One snapshot for the whole roster: consistent answers, and one lock
	 * instead of one per look-up. */
	if (store_begin(v->store, STORE_TXN_READ, err) < 0)
		goto out;
	in_txn = 1;
	tabfile_rewind(t);
	while ((rc = tabfile_next(t, err)) == 1) {
		struct strmap_entry *e;

		if (is_trailer(t))
			continue;
		if (parse_row(t, &r, err) < 0)
			goto out;
		res.row = t->row;
		res.line = tabfile_line(t);
		memcpy(res.project, r.project, sizeof(res.project));
		res.claim = &r.claim;
		if (verify_claim(v, &r.claim, &res.v, err) < 0)
			goto out;
		if (res.v.number[0] && !(res.v.findings & VMASK(V_INVALID_NUMBER))) {
			e = strmap_get(&claims, res.v.number, strlen(res.v.number));
			if (e && (e->flags & DUP_MULTI))
				verify_add_finding(v, &res.v, V_DUPLICATE_USE);
		}
		count(sum, &res.v);
		if (cb && cb(&res, arg, err) != 0)
			goto out;
	}
	if (rc < 0)
		goto out;
	ret = 0;
out:
	if (in_txn)
		store_rollback(v->store);
	strmap_release(&claims);
	return ret;
}

int roster_verify_file(const char *path, struct verifier *v, roster_cb cb, void *arg,
                       struct roster_summary *sum, struct err *err)
{
	struct tabfile t;
	int rc = -1;

	memset(sum, 0, sizeof(*sum));
	if (tabfile_open(&t, path, roster_columns, RC_COUNT, err) == 0)
		rc = run(&t, v, cb, arg, sum, err);
	tabfile_close(&t);
	return rc;
}

int roster_verify_memory(const char *data, size_t len, struct verifier *v, roster_cb cb, void *arg,
                         struct roster_summary *sum, struct err *err)
{
	struct tabfile t;
	int rc = -1;

	memset(sum, 0, sizeof(*sum));
	if (tabfile_open_memory(&t, data, len, roster_columns, RC_COUNT, err) == 0)
		rc = run(&t, v, cb, arg, sum, err);
	tabfile_close(&t);
	return rc;
}
