/* worker.c - see worker.h */
#include "worker.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "account.h"
#include "date.h"
#include "org.h"
#include "probe.h"
#include "roster.h"
#include "store_worker.h"
#include "strmap.h"
#include "text.h"
#include "trade.h"
#include "verify.h"

static int running(const struct project *p)
{
	return project_state_running(p->state);
}

/* The project workers may be registered on: open and not finished. */
static int open_project(struct store *st, int64_t id, struct project *p, struct err *err)
{
	int rc = org_project_get(st, id, p, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_input(err, "项目编号 %lld 不存在", (long long)id);
	if (!running(p))
		return err_input(err, "项目 %lld（%s）%s，不能再登记人员", (long long)id, p->name,
		                 project_state_label(p->state));
	return 0;
}

json_t *worker_json(const struct worker *w)
{
	char masked_id[IDNUM_SIZE], masked_no[CERTNO_SIZE], day[DATE_TEXT_MAX];
	json_t *j = json_object(), *f = json_array();
	int v;

	if (!j || !f) {
		json_decref(j);
		json_decref(f);
		return NULL;
	}
	idnum_mask(w->id_number, masked_id);
	certno_mask(w->number, masked_no);
	for (v = V_COUNT; (v = verdict_next(w->findings, v)) >= 0;)
		json_array_append_new(f, json_string(verdict_code((enum verdict)v)));
	json_object_set_new(j, "id", json_integer(w->id));
	json_object_set_new(j, "project", json_integer(w->project));
	json_object_set_new(j, "number", w->number[0] ? json_string(masked_no) : json_null());
	json_object_set_new(j, "name", json_string(w->name));
	json_object_set_new(j, "id_number", json_string(masked_id));
	json_object_set_new(j, "gender", json_string(gender_label(w->gender)));
	json_object_set_new(j, "post", json_string(w->post));
	json_object_set_new(j, "verdict", json_string(verdict_code(w->verdict)));
	json_object_set_new(j, "verdict_label", json_string(verdict_label(w->verdict)));
	json_object_set_new(j, "findings", f);
	json_object_set_new(j, "checked_on", json_string(date_format(w->checked_on, day)));
	json_object_set_new(j, "added_at", json_integer(w->added_at));
	json_object_set_new(j, "removed_at",
	                    w->removed_at ? json_integer(w->removed_at) : json_null());
	return j;
}

/* Record one registration or removal in the trail (ID number masked). */
static int record(struct store *st, const struct actor *who, int64_t now, const char *action,
                  const struct worker *w, const char *source, long line, struct err *err)
{
	json_t *row = worker_json(w), *detail;
	char object[64];

	if (!row)
		return err_system(err, "内存不足");
	json_object_del(row, "added_at");
	json_object_del(row, "removed_at");
	detail = trail_change(NULL, row, source, line);
	if (!detail)
		return err_system(err, "内存不足");
	snprintf(object, sizeof(object), "project:%lld/worker:%lld", (long long)w->project,
	         (long long)w->id);
	return trail_record(st, who, now, action, object, detail, err);
}

/* The verdict of a checked claim into w; the post defaults to the trade the
 * register holds. */
static void take_result(struct worker *w, const struct vresult *r)
{
	const struct trade *t;
	size_t n = strnlen(r->number, sizeof(w->number) - 1); /* checked shorter */

	memcpy(w->number, r->number, n);
	w->number[n] = '\0';
	w->findings = r->findings;
	w->verdict = r->verdict;
	if (!w->post[0] && r->found) {
		t = trade_by_code(r->cert.system, r->cert.trade);
		if (t)
			snprintf(w->post, sizeof(w->post), "%s", t->name);
	}
}

/* Inside the write transaction: add duplicate_use when the certificate is
 * on another running project, then insert and record. */
static int insert(struct store *st, struct verifier *v, struct vresult *r, struct worker *w,
                  const struct actor *who, int64_t now, const char *source, long line,
                  struct err *err)
{
	int64_t other = 0, id;
	int rc;

	rc = store_worker_active(st, w->project, w->id_number, w->number, &id, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return err_input(err, "%s（证书编号 %s）已登记在这个项目上（登记编号 %lld）",
		                 w->name, w->number[0] ? w->number : "无", (long long)id);
	if (w->number[0] && !(r->findings & VMASK(V_INVALID_NUMBER))) {
		rc = store_worker_elsewhere(st, w->number, w->project, &other, err);
		if (rc < 0)
			return -1;
		if (rc == 1 && !(r->findings & VMASK(V_DUPLICATE_USE))) {
			verify_add_finding(v, r, V_DUPLICATE_USE);
			w->findings = r->findings;
			w->verdict = r->verdict;
		}
	}
	w->added_at = now;
	if (store_worker_insert(st, w, err) < 0)
		return -1;
	return record(st, who, now, "worker.add", w, source, line, err);
}

/* The person's fields of a typed worker into w; an input error names the
 * field. */
static int check_person(const struct worker_input *in, int32_t today, struct worker *w,
                        struct err *err)
{
	const char *p;
	size_t len;
	enum idnum_error e;
	enum gender g;
	const struct trade *t;

	if (org_check_text(in->name ? in->name : "", in->name ? strlen(in->name) : 0, 1, w->name,
	                   sizeof(w->name), err) < 0)
		return org_check_label(err, "姓名");
	p = in->id_number ? in->id_number : "";
	e = idnum_check(p, strlen(p), today, w->id_number);
	if (e != IDNUM_OK)
		return err_input(err, "身份证号码：%s", idnum_reason(e));
	w->gender = (enum gender)idnum_gender(w->id_number);
	if (in->gender && *in->gender) {
		g = gender_parse(in->gender, strlen(in->gender));
		if (g == GENDER_NONE)
			return err_input(err, "性别：“%s”无法识别（应为男或女）", in->gender);
		if (g != w->gender)
			return err_input(err, "性别：与身份证号不符");
	}
	p = in->post ? in->post : "";
	len = strlen(p);
	if (org_check_text(p, len, 0, w->post, sizeof(w->post), err) < 0)
		return org_check_label(err, "特种作业岗位/工种");
	/* A trade's code or other name ("06", "1.2") as its name. */
	t = w->post[0] ? trade_find(SYS_NONE, w->post, strlen(w->post)) : NULL;
	if (t)
		snprintf(w->post, sizeof(w->post), "%s", t->name);
	p = in->number ? in->number : "";
	len = strlen(p);
	text_trim(&p, &len);
	if (len >= CERTNO_SIZE)
		return err_input(err, "证书编号：过长");
	return 0;
}

/*
 * Inside the write transaction, once the claims are verified: the probe
 * limit (probe.h) over what set holds, the roster rule first when asked.
 * 1 refused (the refusal recorded, nothing else written yet: the caller
 * commits it and answers with probe_refused), 0 admitted (misses
 * recorded), -1 error.
 */
static int guard_check(struct store *st, const struct actor *who, struct probe_guard *guard,
                       struct probe_set *set, int roster, int64_t now, struct err *err)
{
	if (roster && probe_roster_check(set, &guard->refusal))
		return probe_refusal_record(st, who, guard->subject, &guard->refusal, now, err) < 0
		           ? -1
		           : 1;
	return probe_apply(st, who, guard->subject, set, now, &guard->refusal, err);
}

/* After guard_check refused: keep the refusal's record, answer with it. */
static int probe_refused(struct store *st, const struct probe_guard *guard, struct err *err)
{
	if (store_commit(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return probe_refusal_err(&guard->refusal, err);
}

/* End the transaction (store_finish), hand w out when it committed, and
 * wipe the caller's copy of it. */
static int finish(struct store *st, int rc, struct worker *w, struct worker *out, struct err *err)
{
	rc = store_finish(st, rc, err);
	if (rc == 0 && out)
		*out = *w;
	memset(w, 0, sizeof(*w));
	return rc;
}

int worker_add(struct store *st, const struct actor *who, int64_t project,
               const struct worker_input *in, int32_t today, int64_t now, struct probe_guard *guard,
               struct worker *out, struct err *err)
{
	struct probe_set set;
	struct worker w;
	struct project p;
	struct verifier v;
	struct vresult r;
	struct claim c;
	int rc;

	if (guard && !guard->subject)
		guard = NULL;
	if (guard)
		memset(&guard->refusal, 0, sizeof(guard->refusal));
	memset(&w, 0, sizeof(w));
	if (check_person(in, today, &w, err) < 0)
		return -1;
	w.project = project;
	w.checked_on = today;
	memset(&c, 0, sizeof(c));
	c.number = in->number;
	c.name = w.name;
	c.id_number = w.id_number;
	c.valid_until = DATE_NONE;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = open_project(st, project, &p, err);
	if (rc == 0)
		rc = verifier_init(&v, st, today, err);
	if (rc == 0)
		rc = verify_claim(&v, &c, &r, err);
	if (rc == 0 && guard) {
		probe_set_init(&set);
		rc = probe_set_add(&set, store_pii_key(st), &r, w.id_number, today, 0, !r.found,
		                   err);
		if (rc == 0)
			rc = guard_check(st, who, guard, &set, 0, now, err);
		probe_set_release(&set);
		if (rc == 1) {
			memset(&w, 0, sizeof(w));
			memset(&r, 0, sizeof(r));
			return probe_refused(st, guard, err);
		}
	}
	if (rc == 0) {
		take_result(&w, &r);
		rc = insert(st, &v, &r, &w, who, now, NULL, 0, err);
	}
	memset(&r, 0, sizeof(r));
	return finish(st, rc, &w, out, err);
}

/* ---- import: the rows are checked by the roster module, then inserted
 * in one transaction. */

struct pending {
	struct worker w;
	struct vresult r;
	long line;
	char project[CERT_TEXT_SIZE]; /* 项目名称 as written; "" = none */
};

struct collect {
	struct pending *v;
	size_t n, cap;
	int32_t today;
};

static int collect_row(const struct roster_result *res, void *arg, struct err *err)
{
	struct collect *c = arg;
	struct worker_input in;
	struct pending *p;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct pending *v = realloc(c->v, cap * sizeof(*v));

		if (!v)
			return err_system(err, "内存不足");
		c->v = v;
		c->cap = cap;
	}
	p = &c->v[c->n];
	memset(p, 0, sizeof(*p));
	memset(&in, 0, sizeof(in));
	in.number = res->claim->number;
	in.name = res->claim->name;
	in.id_number = res->claim->id_number;
	in.gender = res->claim->gender == GENDER_NONE ? NULL : gender_label(res->claim->gender);
	in.post = res->claim->trade;
	if (check_person(&in, c->today, &p->w, err) < 0) {
		/* The message names the field: move it to the column. */
		char *colon = strstr(err->msg, "：");

		if (colon) {
			size_t flen = (size_t)(colon - err->msg);

			err_at(err, res->line, err->msg, flen);
			memmove(err->msg, colon + strlen("："), strlen(colon + strlen("：")) + 1);
		} else {
			err_at(err, res->line, NULL, 0);
		}
		return -1;
	}
	p->r = res->v;
	p->line = res->line;
	memcpy(p->project, res->project, sizeof(p->project));
	p->w.checked_on = c->today;
	take_result(&p->w, &p->r);
	c->n++;
	return 0;
}

/* Running projects by name, for a file whose rows name their project. */
static int name_project(void *arg, const struct project *p)
{
	struct strmap *m = arg;
	struct strmap_entry *e;
	int created;

	if (!running(p))
		return 0;
	e = strmap_put(m, p->name, strlen(p->name), &created);
	if (!e)
		return 2;            /* out of memory */
	e->flags |= created ? 0 : 1; /* two builders use the name */
	e->value = (long)p->id;
	return 0;
}

/* The project of row q: the one given (whose name the row may repeat, but
 * not contradict), else the one the row names. */
static int row_project(const struct pending *q, const struct project *given,
                       const struct strmap *names, int64_t *id, struct err *err)
{
	const struct strmap_entry *e;
	size_t len = strlen(q->project);

	if (given) {
		if (len && strcmp(q->project, given->name) != 0)
			err_input(err, "“%s”与所选项目（%lld，%s）不符", q->project,
			          (long long)given->id, given->name);
		else
			*id = given->id;
	} else if (!len) {
		err_input(err, "未填写项目名称（文件中没有项目名称时，请用 --project 指定项目）");
	} else if (!(e = strmap_get(names, q->project, len))) {
		err_input(err, "“%s”不是在建（或未开工、停工）的已登记项目", q->project);
	} else if (e->flags & 1) {
		err_input(err, "有多个项目名为“%s”，请用 --project 指定项目编号", q->project);
	} else {
		*id = (int64_t)e->value;
	}
	if (*id)
		return 0;
	err_at(err, q->line, "项目名称", strlen("项目名称"));
	return -1;
}

/* The probe limit over every row (guard_check), the roster rule
 * included: 1 refused, 0 admitted, -1 error. */
static int guard_rows(struct store *st, const struct actor *who, struct probe_guard *guard,
                      const struct collect *c, int64_t now, struct err *err)
{
	struct probe_set set;
	size_t i;
	int rc = 0;

	probe_set_init(&set);
	for (i = 0; rc == 0 && i < c->n; i++)
		rc = probe_set_add(&set, store_pii_key(st), &c->v[i].r, c->v[i].w.id_number,
		                   c->today, c->v[i].line, !c->v[i].r.found, err);
	if (rc == 0)
		rc = guard_check(st, who, guard, &set, 1, now, err);
	probe_set_release(&set);
	return rc;
}

/* A file when data is NULL, else data (len bytes) named `path`. */
static int import_rows(struct store *st, const struct actor *who, int64_t project, const char *path,
                       const char *data, size_t len, int32_t today, int64_t now,
                       struct probe_guard *guard, struct worker_import_stats *stats,
                       struct err *err)
{
	struct collect c;
	struct verifier v;
	struct roster_summary sum;
	struct project p;
	struct strmap seen, names;
	size_t i;
	int rc;

	memset(stats, 0, sizeof(*stats));
	memset(&c, 0, sizeof(c));
	strmap_init(&seen);
	strmap_init(&names);
	c.today = today;
	rc = verifier_init(&v, st, today, err);
	if (rc == 0 && data)
		rc = roster_verify_memory(data, len, &v, collect_row, &c, &sum, err);
	else if (rc == 0)
		rc = roster_verify_file(path, &v, collect_row, &c, &sum, err);
	if (rc == 0)
		rc = store_begin(st, STORE_TXN_NORMAL, err);
	if (rc < 0)
		goto out;
	if (guard)
		rc = guard_rows(st, who, guard, &c, now, err);
	if (rc == 1) {
		rc = probe_refused(st, guard, err);
		goto out;
	}
	if (rc == 0 && project)
		rc = open_project(st, project, &p, err);
	else if (rc == 0)
		rc = org_project_each(st, NULL, name_project, &names, err);
	if (rc == 2)
		rc = err_system(err, "内存不足");
	for (i = 0; rc == 0 && i < c.n; i++) {
		struct pending *q = &c.v[i];
		struct strmap_entry *e;
		char key[24 + IDNUM_SIZE + CERTNO_SIZE];
		int created;
		int64_t id;
		int n;

		stats->rows++;
		q->w.project = 0;
		if (row_project(q, project ? &p : NULL, &names, &q->w.project, err) < 0) {
			rc = -1;
			break;
		}
		n = snprintf(key, sizeof(key), "%lld|%s|%s", (long long)q->w.project,
		             q->w.id_number, q->w.number);
		e = strmap_put(&seen, key, (size_t)n, &created);
		if (!e) {
			rc = err_system(err, "内存不足");
			break;
		}
		if (!created) {
			rc = err_input(err, "与第 %ld 行重复（同一人、同一证书编号）", e->value);
			err_at(err, q->line, NULL, 0);
			break;
		}
		e->value = q->line;
		rc = store_worker_active(st, q->w.project, q->w.id_number, q->w.number, &id, err);
		if (rc == 1) {
			stats->unchanged++;
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		rc = insert(st, &v, &q->r, &q->w, who, now, path, q->line, err);
		if (rc == 0) {
			stats->inserted++;
			stats->by_verdict[q->w.verdict]++;
		}
	}
	rc = store_finish(st, rc, err);
	if (rc < 0)
		memset(stats, 0, sizeof(*stats));
out:
	strmap_release(&seen);
	strmap_release(&names);
	if (c.v) {
		memset(c.v, 0, c.cap * sizeof(*c.v));
		free(c.v);
	}
	return rc;
}

int worker_import(struct store *st, const struct actor *who, int64_t project, const char *path,
                  int32_t today, int64_t now, struct worker_import_stats *stats, struct err *err)
{
	return import_rows(st, who, project, path, NULL, 0, today, now, NULL, stats, err);
}

int worker_import_memory(struct store *st, const struct actor *who, int64_t project,
                         const char *name, const char *data, size_t len, int32_t today, int64_t now,
                         struct probe_guard *guard, struct worker_import_stats *stats,
                         struct err *err)
{
	if (guard && !guard->subject)
		guard = NULL;
	if (guard)
		memset(&guard->refusal, 0, sizeof(guard->refusal));
	return import_rows(st, who, project, name, data ? data : "", len, today, now, guard, stats,
	                   err);
}

int worker_remove(struct store *st, const struct actor *who, int64_t id, int64_t now,
                  struct worker *out, struct err *err)
{
	struct worker w;
	int rc;

	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = store_worker_get(st, id, &w, err);
	if (rc == 0)
		rc = err_input(err, "人员登记编号 %lld 不存在", (long long)id);
	else if (rc == 1 && w.removed_at)
		rc = err_input(err, "人员登记编号 %lld（%s）已离开项目", (long long)id, w.name);
	else if (rc == 1 && (rc = store_worker_remove(st, id, now, err)) == 0)
		rc = err_system(err, "人员登记编号 %lld 未能标记离开", (long long)id);
	else if (rc == 1)
		rc = 0;
	if (rc == 0) {
		w.removed_at = now;
		rc = record(st, who, now, "worker.remove", &w, NULL, 0, err);
	}
	return finish(st, rc, &w, out, err);
}

int worker_get(struct store *st, int64_t id, struct worker *out, struct err *err)
{
	return store_worker_get(st, id, out, err);
}

int worker_each(struct store *st, int64_t project, int include_removed, worker_fn fn, void *arg,
                struct err *err)
{
	return store_worker_each(st, project, include_removed, fn, arg, err);
}

int worker_sees_full_id(struct store *st, const struct principal *p, const char *number,
                        struct err *err)
{
	if (!p)
		return 0;
	if (principal_sees_full_id(p, 0, 0))
		return 1; /* the city roles */
	if (p->role == ROLE_DISTRICT_OFFICER && p->district)
		return store_worker_vouched(st, number, p->district, 0, err);
	if (p->role == ROLE_COMPANY_USER && p->org)
		return store_worker_vouched(st, number, 0, p->org, err);
	return 0;
}

/* Does the register record of `number` name p's institution as where the
 * holder trained (the institution's registered name, as written)? */
static int trained_at(struct store *st, const struct principal *p, const char *number,
                      struct err *err)
{
	struct org inst;
	struct cert c;
	int rc;

	rc = org_get(st, p->org, &inst, err);
	if (rc <= 0)
		return rc;
	if (inst.kind != ORG_INSTITUTION || !inst.name[0])
		return 0;
	rc = store_cert_get(st, number, &c, err);
	if (rc == 1)
		rc = strcmp(c.training_institution, inst.name) == 0;
	memset(&c, 0, sizeof(c));
	return rc;
}

int worker_sees_record(struct store *st, const struct principal *p, const char *number,
                       struct err *err)
{
	if (!p)
		return 0;
	switch (p->role) {
	case ROLE_CITY_ADMIN:
	case ROLE_CITY_OFFICER:
	case ROLE_DISTRICT_OFFICER:
	case ROLE_AUDITOR:
		return 1;
	case ROLE_COMPANY_USER:
		return p->org ? store_worker_serves(st, number, p->org, err) : 0;
	case ROLE_TRAINING_USER:
		return p->org ? trained_at(st, p, number, err) : 0;
	default:
		return 0;
	}
}
