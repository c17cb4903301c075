/*
 * org.c - organisations and projects (org.h): look-ups, the changes with
 * their audit-trail records, and the imports (the field rules are
 * org_check.c's).
 *
 * A company is known by its unified social credit code everywhere (forms,
 * files, scope of a company account), so a code is checked to its check
 * character before anything is looked up or written: a typo must not file
 * a project or a self-inspection form under another company.
 */
#include "org.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "orgfile.h"
#include "store_org.h"
#include "strmap.h"
#include "tabfile.h"
#include "text.h"

/* The value of an option or field (NULL = not given) checked as text, with
 * label prefixed to an error. */
static int input_text(const char *v, int required, char *out, size_t size, const char *label,
                      struct err *err)
{
	if (org_check_text(v, v ? strlen(v) : 0, required, out, size, err) < 0)
		return org_check_label(err, label);
	return 0;
}

static int input_phone(const char *v, char out[ORG_PHONE_SIZE], struct err *err)
{
	if (org_check_phone(v, v ? strlen(v) : 0, out, err) < 0)
		return org_check_label(err, "联系电话");
	return 0;
}

static int input_date(const char *v, int32_t *out, const char *label, struct err *err)
{
	if (org_check_date(v, v ? strlen(v) : 0, out, err) < 0)
		return org_check_label(err, label);
	return 0;
}

/* ---- look-ups ----------------------------------------------------------- */

int org_get(struct store *st, int64_t id, struct org *out, struct err *err)
{
	return store_org_get(st, id, out, err);
}

static int ends_with(const char *s, size_t len, const char *suffix, size_t *stem)
{
	size_t n = strlen(suffix);

	if (len <= n || memcmp(s + len - n, suffix, n) != 0)
		return 0;
	*stem = len - n;
	return 1;
}

int org_district_get(struct store *st, const char *name, struct org *out, struct err *err)
{
	char key[ORG_NAME_SIZE];
	size_t len = strlen(name), stem;
	int rc;

	text_trim(&name, &len);
	if (len == 0 || len >= sizeof(key))
		return 0;
	memcpy(key, name, len);
	key[len] = '\0';
	rc = store_org_by_name(st, ORG_DISTRICT, key, out, err);
	if (rc != 0)
		return rc;
	if (ends_with(key, len, "住房和城乡建设局", &stem) ||
	    ends_with(key, len, "住建局", &stem)) {
		key[stem] = '\0';
		return store_org_by_name(st, ORG_DISTRICT, key, out, err);
	}
	return 0;
}

struct name_list {
	char text[400];
	size_t n;
};

static int add_name(void *arg, const struct org *o)
{
	struct name_list *l = arg;
	int w = snprintf(l->text + l->n, sizeof(l->text) - l->n, "%s%s", l->n ? "、" : "", o->name);

	if (w > 0 && (size_t)w < sizeof(l->text) - l->n)
		l->n += (size_t)w;
	return 0;
}

/* A district unit that must exist: an input error (without a label) that
 * lists the units otherwise. */
static int district_required(struct store *st, const char *name, size_t len, struct org *out,
                             struct err *err)
{
	struct org_filter f = {.kinds = 1u << ORG_DISTRICT};
	struct name_list list = {.n = 0};
	char key[ORG_NAME_SIZE];
	int rc;

	text_trim(&name, &len);
	if (len == 0)
		return err_input(err, "未填写");
	if (len >= sizeof(key))
		return err_input(err, "内容过长");
	memcpy(key, name, len);
	key[len] = '\0';
	rc = org_district_get(st, key, out, err);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	list.text[0] = '\0';
	if (store_org_each(st, &f, add_name, &list, err) < 0)
		return -1;
	return err_input(err, "“%s”不是本市的区（市、县）（应为：%s）", key, list.text);
}

int org_company_get(struct store *st, const char *uscc, struct org *out, struct err *err)
{
	char code[USCC_SIZE];

	if (org_check_uscc(uscc, strlen(uscc), code, err) < 0)
		return org_check_label(err, "统一社会信用代码");
	return store_org_by_uscc(st, code, out, err);
}

int org_institution_get(struct store *st, const char *name, struct org *out, struct err *err)
{
	char key[ORG_NAME_SIZE];

	if (org_check_text(name, strlen(name), 1, key, sizeof(key), err) < 0)
		return org_check_label(err, "培训机构名称");
	return store_org_by_name(st, ORG_INSTITUTION, key, out, err);
}

int org_project_get(struct store *st, int64_t id, struct project *out, struct err *err)
{
	return store_project_get(st, id, out, err);
}

int org_each(struct store *st, const struct org_filter *f, org_fn fn, void *arg, struct err *err)
{
	return store_org_each(st, f, fn, arg, err);
}

int org_project_each(struct store *st, const struct project_filter *f, project_fn fn, void *arg,
                     struct err *err)
{
	return store_project_each(st, f, fn, arg, err);
}

/* A registered, open company of the wanted kind, by a code as written: an
 * input error without a label otherwise. */
static int company_required(struct store *st, const char *text, size_t len, enum org_kind want,
                            struct org *out, struct err *err)
{
	char code[USCC_SIZE];
	int rc;

	if (org_check_uscc(text, len, code, err) < 0)
		return -1;
	rc = store_org_by_uscc(st, code, out, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_input(
		    err, "“%s”未登记（请先用 opcert company add 或 company import 登记该%s）", code,
		    org_kind_label(want));
	if (out->kind != want)
		return err_input(err, "“%s”（%s）是%s，不是%s", code, out->name,
		                 org_kind_label(out->kind), org_kind_label(want));
	if (out->closed_at)
		return err_input(err, "“%s”（%s）已注销", code, out->name);
	return 0;
}

/* ---- JSON and the trail ------------------------------------------------- */

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *date_or_null(int32_t day)
{
	char text[DATE_TEXT_MAX];

	return day == DATE_NONE ? json_null() : json_string(date_format(day, text));
}

json_t *org_json(const struct org *o)
{
	json_t *j = json_object();

	if (!j)
		return NULL;
	json_object_set_new(j, "id", json_integer(o->id));
	json_object_set_new(j, "kind", json_string(org_kind_code(o->kind)));
	json_object_set_new(j, "kind_label", json_string(org_kind_label(o->kind)));
	json_object_set_new(j, "name", json_string(o->name));
	json_object_set_new(j, "uscc", o->uscc[0] ? json_string(o->uscc) : json_null());
	json_object_set_new(j, "district_id", id_or_null(o->district));
	json_object_set_new(j, "district",
	                    o->district ? json_string(o->district_name) : json_null());
	json_object_set_new(j, "contact", json_string(o->contact));
	json_object_set_new(j, "phone", json_string(o->phone));
	json_object_set_new(j, "closed", json_boolean(o->closed_at != 0));
	json_object_set_new(j, "closed_at",
	                    o->closed_at ? json_integer(o->closed_at) : json_null());
	json_object_set_new(j, "created_at", json_integer(o->created_at));
	json_object_set_new(j, "updated_at", json_integer(o->updated_at));
	return j;
}

static json_t *company_ref(int64_t id, const char *uscc, const char *name)
{
	json_t *j;

	if (!id)
		return json_null();
	j = json_object();
	json_object_set_new(j, "id", json_integer(id));
	json_object_set_new(j, "uscc", json_string(uscc));
	json_object_set_new(j, "name", json_string(name));
	return j;
}

json_t *org_project_json(const struct project *p)
{
	json_t *j = json_object();

	if (!j)
		return NULL;
	json_object_set_new(j, "id", json_integer(p->id));
	json_object_set_new(j, "name", json_string(p->name));
	json_object_set_new(j, "district_id", json_integer(p->district));
	json_object_set_new(j, "district", json_string(p->district_name));
	json_object_set_new(j, "address", json_string(p->address));
	json_object_set_new(j, "builder",
	                    company_ref(p->builder, p->builder_uscc, p->builder_name));
	json_object_set_new(j, "supervisor",
	                    company_ref(p->supervisor, p->supervisor_uscc, p->supervisor_name));
	json_object_set_new(j, "start_on", date_or_null(p->start_on));
	json_object_set_new(j, "end_on", date_or_null(p->end_on));
	json_object_set_new(j, "state", json_string(project_state_code(p->state)));
	json_object_set_new(j, "state_label", json_string(project_state_label(p->state)));
	json_object_set_new(j, "created_at", json_integer(p->created_at));
	json_object_set_new(j, "updated_at", json_integer(p->updated_at));
	return j;
}

/* The row as the trail keeps it: no times (the entry has its own), the
 * contact's phone number masked. */
static json_t *org_trail_json(const struct org *o)
{
	json_t *j = org_json(o);
	char masked[ORG_PHONE_SIZE];

	if (!j)
		return NULL;
	org_mask_phone(o->phone, masked);
	json_object_set_new(j, "phone", json_string(masked));
	json_object_del(j, "created_at");
	json_object_del(j, "updated_at");
	json_object_del(j, "closed_at");
	return j;
}

static json_t *project_trail_json(const struct project *p)
{
	json_t *j = org_project_json(p);

	if (!j)
		return NULL;
	json_object_del(j, "created_at");
	json_object_del(j, "updated_at");
	return j;
}

static void org_object(const struct org *o, char *out, size_t size)
{
	if (o->uscc[0])
		snprintf(out, size, "company:%s", o->uscc);
	else
		snprintf(out, size, "%s:%lld", org_kind_code(o->kind), (long long)o->id);
}

/* One trail entry for a change to an organisation (phone number masked). */
static int record_org(struct store *st, const struct actor *who, int64_t now, const char *action,
                      const struct org *before, const struct org *after, const char *source,
                      long line, struct err *err)
{
	json_t *detail;
	char object[64];

	org_object(after, object, sizeof(object));
	detail = trail_change(before ? org_trail_json(before) : NULL, org_trail_json(after), source,
	                      line);
	if (!detail)
		return err_system(err, "内存不足");
	return trail_record(st, who, now, action, object, detail, err);
}

/* One trail entry for a change to a project. */
static int record_project(struct store *st, const struct actor *who, int64_t now,
                          const char *action, const struct project *before,
                          const struct project *after, const char *source, long line,
                          struct err *err)
{
	json_t *detail;
	char object[64];

	snprintf(object, sizeof(object), "project:%lld", (long long)after->id);
	detail = trail_change(before ? project_trail_json(before) : NULL, project_trail_json(after),
	                      source, line);
	if (!detail)
		return err_system(err, "内存不足");
	return trail_record(st, who, now, action, object, detail, err);
}

static int org_same(const struct org *a, const struct org *b)
{
	return a->kind == b->kind && strcmp(a->name, b->name) == 0 &&
	       strcmp(a->uscc, b->uscc) == 0 && a->district == b->district &&
	       strcmp(a->contact, b->contact) == 0 && strcmp(a->phone, b->phone) == 0 &&
	       (a->closed_at != 0) == (b->closed_at != 0);
}

static int project_same(const struct project *a, const struct project *b)
{
	return strcmp(a->name, b->name) == 0 && a->district == b->district &&
	       strcmp(a->address, b->address) == 0 && a->builder == b->builder &&
	       a->supervisor == b->supervisor && a->start_on == b->start_on &&
	       a->end_on == b->end_on && a->state == b->state;
}

static int insert_org(struct store *st, const struct actor *who, struct org *o, int64_t now,
                      const char *action, const char *source, long line, struct err *err)
{
	o->created_at = o->updated_at = now;
	if (store_org_insert(st, o, err) < 0)
		return -1;
	return record_org(st, who, now, action, NULL, o, source, line, err);
}

static int update_org(struct store *st, const struct actor *who, const struct org *before,
                      struct org *after, int64_t now, const char *action, struct err *err)
{
	after->updated_at = now;
	if (store_org_update(st, after, err) < 0)
		return -1;
	return record_org(st, who, now, action, before, after, NULL, 0, err);
}

/* ---- companies ---------------------------------------------------------- */

static int set_district(struct store *st, const char *name, struct org *o, struct err *err)
{
	struct org d;

	if (district_required(st, name, strlen(name), &d, err) < 0)
		return org_check_label(err, "所在区");
	o->district = d.id;
	snprintf(o->district_name, sizeof(o->district_name), "%s", d.name);
	return 0;
}

static int company_from_input(struct store *st, const struct org_input *in, struct org *o,
                              struct err *err)
{
	int kind;

	memset(o, 0, sizeof(*o));
	if (org_check_uscc(in->uscc ? in->uscc : "", in->uscc ? strlen(in->uscc) : 0, o->uscc,
	                   err) < 0)
		return org_check_label(err, "统一社会信用代码");
	if (!in->kind || !*in->kind)
		return err_input(err, "未填写单位类型（builder 施工单位或 supervisor 监理单位）");
	kind = org_company_kind_parse(in->kind, strlen(in->kind));
	if (kind < 0)
		return err_input(
		    err, "单位类型“%s”无法识别（应为 builder 施工单位或 supervisor 监理单位）",
		    in->kind);
	o->kind = (enum org_kind)kind;
	if (input_text(in->name, 1, o->name, sizeof(o->name), "单位名称", err) < 0)
		return -1;
	if (!in->district || !*in->district)
		return err_input(err, "未填写所在区");
	if (set_district(st, in->district, o, err) < 0 ||
	    input_text(in->contact, 0, o->contact, sizeof(o->contact), "联系人", err) < 0 ||
	    input_phone(in->phone, o->phone, err) < 0)
		return -1;
	return 0;
}

/* The change's fields applied to o; NULL fields left alone. */
static int apply_org_input(struct store *st, const struct org_input *in, int need_district,
                           struct org *o, struct err *err)
{
	if (in->name && input_text(in->name, 1, o->name, sizeof(o->name), "名称", err) < 0)
		return -1;
	if (in->district) {
		if (*in->district) {
			if (set_district(st, in->district, o, err) < 0)
				return -1;
		} else if (need_district) {
			return err_input(err, "所在区不能为空");
		} else {
			o->district = 0;
			o->district_name[0] = '\0';
		}
	}
	if (in->contact &&
	    input_text(in->contact, 0, o->contact, sizeof(o->contact), "联系人", err) < 0)
		return -1;
	if (in->phone && input_phone(in->phone, o->phone, err) < 0)
		return -1;
	return 0;
}

int org_company_add(struct store *st, const struct actor *who, const struct org_input *in,
                    int64_t now, struct org *out, struct err *err)
{
	struct org o, old;
	int rc;

	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = company_from_input(st, in, &o, err);
	if (rc == 0) {
		rc = store_org_by_uscc(st, o.uscc, &old, err);
		if (rc == 1)
			rc = err_input(err, "统一社会信用代码 %s 已登记为“%s”%s", o.uscc, old.name,
			               old.closed_at ? "（已注销）" : "");
	}
	if (rc == 0)
		rc = insert_org(st, who, &o, now, "company.add", NULL, 0, err);
	if (store_finish(st, rc, err) < 0)
		return -1;
	if (out)
		*out = o;
	return 0;
}

/* An open company by code, inside the caller's transaction. */
static int open_company(struct store *st, const char *uscc, struct org *o, struct err *err)
{
	int rc = org_company_get(st, uscc, o, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_input(err, "统一社会信用代码 %s 未登记", uscc);
	if (o->closed_at)
		return err_input(err, "%s（%s）已注销", o->name, o->uscc);
	return 0;
}

int org_company_change(struct store *st, const struct actor *who, const char *uscc,
                       const struct org_input *in, int64_t now, struct org *out, struct err *err)
{
	struct org before, after;
	int rc;

	if (in->uscc || in->kind)
		return err_input(err, "统一社会信用代码和单位类型不能修改（请注销后重新登记）");
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = open_company(st, uscc, &before, err);
	if (rc == 0) {
		after = before;
		rc = apply_org_input(st, in, 1, &after, err);
	}
	if (rc == 0 && org_same(&before, &after))
		rc = err_input(err, "没有要修改的内容");
	if (rc == 0)
		rc = update_org(st, who, &before, &after, now, "company.change", err);
	if (store_finish(st, rc, err) < 0)
		return -1;
	if (out)
		*out = after;
	return 0;
}

struct open_count {
	long n;
	char first[ORG_NAME_SIZE];
};

static int count_open(void *arg, const struct project *p)
{
	struct open_count *c = arg;

	if (p->state == PROJECT_COMPLETED || p->state == PROJECT_CLOSED)
		return 0;
	if (c->n++ == 0)
		snprintf(c->first, sizeof(c->first), "%s", p->name);
	return 0;
}

int org_company_close(struct store *st, const struct actor *who, const char *uscc, int64_t now,
                      struct org *out, struct err *err)
{
	struct org before, after;
	struct open_count open = {0, ""};
	struct project_filter f = {0};
	int rc;

	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = open_company(st, uscc, &before, err);
	if (rc == 0) {
		f.company = before.id;
		rc = store_project_each(st, &f, count_open, &open, err);
	}
	if (rc == 0 && open.n)
		rc = err_input(err,
		               "%s仍有%ld个未竣工的项目（如“%s”），请先将项目改为竣工或关闭，"
		               "或更换其施工/监理单位",
		               before.name, open.n, open.first);
	if (rc == 0) {
		after = before;
		after.closed_at = now;
		rc = update_org(st, who, &before, &after, now, "company.close", err);
	}
	if (store_finish(st, rc, err) < 0)
		return -1;
	if (out)
		*out = after;
	return 0;
}

/* ---- institutions --------------------------------------------------------- */

int org_institution_add(struct store *st, const struct actor *who, const struct org_input *in,
                        int64_t now, struct org *out, struct err *err)
{
	struct org o, old;
	int rc;

	if (in->uscc || in->kind)
		return err_input(err, "培训机构不填写统一社会信用代码和单位类型");
	memset(&o, 0, sizeof(o));
	o.kind = ORG_INSTITUTION;
	if (input_text(in->name, 1, o.name, sizeof(o.name), "培训机构名称", err) < 0)
		return -1;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = apply_org_input(st,
	                     &(struct org_input){.district = in->district,
	                                         .contact = in->contact,
	                                         .phone = in->phone},
	                     0, &o, err);
	if (rc == 0) {
		rc = store_org_by_name(st, ORG_INSTITUTION, o.name, &old, err);
		if (rc == 1)
			rc = err_input(err, "培训机构“%s”已登记%s", o.name,
			               old.closed_at ? "（已注销）" : "");
	}
	if (rc == 0)
		rc = insert_org(st, who, &o, now, "institution.add", NULL, 0, err);
	if (store_finish(st, rc, err) < 0)
		return -1;
	if (out)
		*out = o;
	return 0;
}

static int open_institution(struct store *st, const char *name, struct org *o, struct err *err)
{
	int rc = org_institution_get(st, name, o, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_input(err, "培训机构“%s”未登记", name);
	if (o->closed_at)
		return err_input(err, "培训机构“%s”已注销", o->name);
	return 0;
}

int org_institution_change(struct store *st, const struct actor *who, const char *name,
                           const struct org_input *in, int64_t now, struct org *out,
                           struct err *err)
{
	struct org before, after, other;
	int rc;

	if (in->uscc || in->kind)
		return err_input(err, "培训机构不填写统一社会信用代码和单位类型");
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = open_institution(st, name, &before, err);
	if (rc == 0) {
		after = before;
		rc = apply_org_input(st, in, 0, &after, err);
	}
	if (rc == 0 && strcmp(after.name, before.name) != 0) {
		rc = store_org_by_name(st, ORG_INSTITUTION, after.name, &other, err);
		if (rc == 1)
			rc = err_input(err, "培训机构“%s”已登记", after.name);
	}
	if (rc == 0 && org_same(&before, &after))
		rc = err_input(err, "没有要修改的内容");
	if (rc == 0)
		rc = update_org(st, who, &before, &after, now, "institution.change", err);
	if (store_finish(st, rc, err) < 0)
		return -1;
	if (out)
		*out = after;
	return 0;
}

int org_institution_close(struct store *st, const struct actor *who, const char *name, int64_t now,
                          struct org *out, struct err *err)
{
	struct org before, after;
	int rc;

	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = open_institution(st, name, &before, err);
	if (rc == 0) {
		after = before;
		after.closed_at = now;
		rc = update_org(st, who, &before, &after, now, "institution.close", err);
	}
	if (store_finish(st, rc, err) < 0)
		return -1;
	if (out)
		*out = after;
	return 0;
}

/* ---- projects ----------------------------------------------------------- */

static int set_project_district(struct store *st, const char *name, struct project *p,
                                struct err *err)
{
	struct org d;

	if (district_required(st, name, strlen(name), &d, err) < 0)
		return org_check_label(err, "所在区");
	p->district = d.id;
	snprintf(p->district_name, sizeof(p->district_name), "%s", d.name);
	return 0;
}

static int set_builder(struct store *st, const char *uscc, struct project *p, struct err *err)
{
	struct org o;

	if (company_required(st, uscc, strlen(uscc), ORG_BUILDER, &o, err) < 0)
		return org_check_label(err, "施工单位");
	p->builder = o.id;
	snprintf(p->builder_uscc, sizeof(p->builder_uscc), "%s", o.uscc);
	snprintf(p->builder_name, sizeof(p->builder_name), "%s", o.name);
	return 0;
}

/* "" or 无 clears. */
static int set_supervisor(struct store *st, const char *uscc, struct project *p, struct err *err)
{
	struct org o;
	const char *s = uscc;
	size_t len = strlen(uscc);

	text_trim(&s, &len);
	if (len == 0 || (len == strlen("无") && memcmp(s, "无", len) == 0)) {
		p->supervisor = 0;
		p->supervisor_uscc[0] = p->supervisor_name[0] = '\0';
		return 0;
	}
	if (company_required(st, s, len, ORG_SUPERVISOR, &o, err) < 0)
		return org_check_label(err, "监理单位");
	p->supervisor = o.id;
	snprintf(p->supervisor_uscc, sizeof(p->supervisor_uscc), "%s", o.uscc);
	snprintf(p->supervisor_name, sizeof(p->supervisor_name), "%s", o.name);
	return 0;
}

static int apply_project_input(struct store *st, const struct project_input *in, struct project *p,
                               struct err *err)
{
	int s;

	if (in->name && input_text(in->name, 1, p->name, sizeof(p->name), "项目名称", err) < 0)
		return -1;
	if (in->district) {
		if (!*in->district)
			return err_input(err, "所在区不能为空");
		if (set_project_district(st, in->district, p, err) < 0)
			return -1;
	}
	if (in->address &&
	    input_text(in->address, 0, p->address, sizeof(p->address), "地址", err) < 0)
		return -1;
	if (in->builder && set_builder(st, in->builder, p, err) < 0)
		return -1;
	if (in->supervisor && set_supervisor(st, in->supervisor, p, err) < 0)
		return -1;
	if (in->start && input_date(in->start, &p->start_on, "开工日期", err) < 0)
		return -1;
	if (in->end && input_date(in->end, &p->end_on, "竣工日期", err) < 0)
		return -1;
	if (p->start_on != DATE_NONE && p->end_on != DATE_NONE && p->end_on < p->start_on)
		return err_input(err, "竣工日期早于开工日期");
	if (in->state) {
		s = project_state_parse(in->state, strlen(in->state));
		if (s < 0)
			return err_input(err,
			                 "项目状态“%s”无法识别（应为 planned 未开工、active 在建、"
			                 "suspended 停工、completed 竣工或 closed 已关闭）",
			                 in->state);
		p->state = (enum project_state)s;
	}
	return 0;
}

/* The builder's project of that name other than p: an input error. */
static int project_name_free(struct store *st, const struct project *p, struct err *err)
{
	struct project other;
	int rc = store_project_by_name(st, p->builder, p->name, &other, err);

	if (rc < 0)
		return -1;
	if (rc == 1 && other.id != p->id)
		return err_input(err, "施工单位“%s”已有项目“%s”（项目编号 %lld）", p->builder_name,
		                 p->name, (long long)other.id);
	return 0;
}

int org_project_add(struct store *st, const struct actor *who, const struct project_input *in,
                    int32_t today, int64_t now, struct project *out, struct err *err)
{
	struct project p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.start_on = p.end_on = DATE_NONE;
	if (!in->name || !*in->name)
		return err_input(err, "未填写项目名称");
	if (!in->district || !*in->district)
		return err_input(err, "未填写项目所在区");
	if (!in->builder || !*in->builder)
		return err_input(err, "未填写施工单位（统一社会信用代码）");
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = apply_project_input(st, in, &p, err);
	if (rc == 0 && !in->state)
		p.state = p.start_on != DATE_NONE && p.start_on > today ? PROJECT_PLANNED
		                                                        : PROJECT_ACTIVE;
	if (rc == 0)
		rc = project_name_free(st, &p, err);
	if (rc == 0) {
		p.created_at = p.updated_at = now;
		rc = store_project_insert(st, &p, err);
	}
	if (rc == 0)
		rc = record_project(st, who, now, "project.add", NULL, &p, NULL, 0, err);
	if (store_finish(st, rc, err) < 0)
		return -1;
	if (out)
		*out = p;
	return 0;
}

static int open_project(struct store *st, int64_t id, struct project *p, struct err *err)
{
	int rc = store_project_get(st, id, p, err);

	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_input(err, "项目编号 %lld 不存在", (long long)id);
	if (p->state == PROJECT_CLOSED)
		return err_input(err, "项目 %lld（%s）已关闭", (long long)id, p->name);
	return 0;
}

int org_project_change(struct store *st, const struct actor *who, int64_t id,
                       const struct project_input *in, int64_t now, struct project *out,
                       struct err *err)
{
	struct project before, after;
	int rc;

	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = open_project(st, id, &before, err);
	if (rc == 0) {
		after = before;
		rc = apply_project_input(st, in, &after, err);
	}
	if (rc == 0 && project_same(&before, &after))
		rc = err_input(err, "没有要修改的内容");
	if (rc == 0)
		rc = project_name_free(st, &after, err);
	if (rc == 0) {
		after.updated_at = now;
		rc = store_project_update(st, &after, err);
	}
	if (rc == 0)
		rc = record_project(st, who, now,
		                    after.state == PROJECT_CLOSED ? "project.close"
		                                                  : "project.change",
		                    &before, &after, NULL, 0, err);
	if (store_finish(st, rc, err) < 0)
		return -1;
	if (out)
		*out = after;
	return 0;
}

int org_project_close(struct store *st, const struct actor *who, int64_t id, int64_t now,
                      struct project *out, struct err *err)
{
	return org_project_change(st, who, id, &(struct project_input){.state = "closed"}, now, out,
	                          err);
}

/* ---- imports ------------------------------------------------------------- */

/* Column col's name, for an error about the current row. */
static int row_error(const struct tabfile *t, size_t col, struct err *err)
{
	const char *name;
	size_t len;

	tabfile_column_name(t, col, &name, &len);
	err_at(err, tabfile_line(t), name, len);
	return -1;
}

/* The first column where a registered company differs from a file row;
 * -1 when none does. */
static int company_differs(const struct org *o, const struct orgfile_company *c, int64_t district)
{
	if (o->kind != c->kind)
		return ORGFILE_C_KIND;
	if (strcmp(o->name, c->name) != 0)
		return ORGFILE_C_NAME;
	if (o->district != district)
		return ORGFILE_C_DISTRICT;
	if (strcmp(o->contact, c->contact) != 0)
		return ORGFILE_C_CONTACT;
	if (strcmp(o->phone, c->phone) != 0)
		return ORGFILE_C_PHONE;
	return -1;
}

static const char *company_field(const struct org *o, int col)
{
	switch (col) {
	case ORGFILE_C_KIND:
		return org_kind_label(o->kind);
	case ORGFILE_C_NAME:
		return o->name;
	case ORGFILE_C_DISTRICT:
		return o->district_name;
	case ORGFILE_C_CONTACT:
		return o->contact;
	default:
		return o->phone;
	}
}

/* Remember key at the current line; an error naming the earlier line when
 * the file already had it. */
static int first_in_file(struct strmap *seen, const char *key, const struct tabfile *t, size_t col,
                         const char *what, struct err *err)
{
	struct strmap_entry *e;
	int created;

	e = strmap_put(seen, key, strlen(key), &created);
	if (!e)
		return err_system(err, "内存不足");
	if (!created)
		return tabfile_error(t, col, err, "%s在文件中重复（第%ld行已出现）", what,
		                     e->value);
	e->value = tabfile_line(t);
	return 0;
}

static int import_company_row(struct store *st, const struct actor *who, const struct tabfile *t,
                              struct strmap *seen, const char *source, int64_t now,
                              struct org_import_stats *stats, struct err *err)
{
	struct orgfile_company c;
	struct org district, old, o;
	char what[64];
	int rc, col;

	if (orgfile_company_row(t, &c, err) < 0)
		return -1;
	snprintf(what, sizeof(what), "统一社会信用代码 %s ", c.uscc);
	if (first_in_file(seen, c.uscc, t, ORGFILE_C_USCC, what, err) < 0)
		return -1;
	if (district_required(st, c.district, strlen(c.district), &district, err) < 0)
		return row_error(t, ORGFILE_C_DISTRICT, err);
	rc = store_org_by_uscc(st, c.uscc, &old, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		if (old.closed_at)
			return tabfile_error(t, ORGFILE_C_USCC, err, "%s（%s）已登记并已注销",
			                     c.uscc, old.name);
		col = company_differs(&old, &c, district.id);
		if (col >= 0)
			return tabfile_error(
			    t, (size_t)col, err,
			    "统一社会信用代码 %s 已登记，与本行不一致（已登记为“%s”）；"
			    "修改已登记的单位请用 opcert company change",
			    c.uscc, company_field(&old, col));
		stats->unchanged++;
		return 0;
	}
	memset(&o, 0, sizeof(o));
	o.kind = c.kind;
	memcpy(o.uscc, c.uscc, sizeof(o.uscc));
	memcpy(o.name, c.name, sizeof(o.name));
	o.district = district.id;
	memcpy(o.district_name, district.name, sizeof(o.district_name));
	memcpy(o.contact, c.contact, sizeof(o.contact));
	memcpy(o.phone, c.phone, sizeof(o.phone));
	if (insert_org(st, who, &o, now, "company.import", source, tabfile_line(t), err) < 0)
		return -1;
	stats->inserted++;
	return 0;
}

/* The shared frame of both imports: open, one transaction, every row, commit. */
typedef int (*import_row_fn)(struct store *st, const struct actor *who, const struct tabfile *t,
                             struct strmap *seen, const char *source, int64_t now, int32_t today,
                             struct org_import_stats *stats, struct err *err);

static int import_file(struct store *st, const struct actor *who, const char *path,
                       const struct csv_column *columns, size_t ncolumns, import_row_fn row,
                       int32_t today, int64_t now, struct org_import_stats *stats, struct err *err)
{
	struct tabfile t;
	struct strmap seen;
	int rc, ret = -1;

	memset(stats, 0, sizeof(*stats));
	strmap_init(&seen);
	if (tabfile_open(&t, path, columns, ncolumns, err) < 0)
		goto out;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		goto out;
	while ((rc = tabfile_next(&t, err)) == 1) {
		if (row(st, who, &t, &seen, path, now, today, stats, err) < 0) {
			/* Errors from the store carry no line: give them this row's. */
			if (err->line == 0)
				err_at(err, tabfile_line(&t), NULL, 0);
			rc = -1;
			break;
		}
		stats->rows++;
	}
	if (rc == 0 && stats->rows == 0)
		rc = err_input(err, "文件中没有数据行");
	ret = store_finish(st, rc, err);
out:
	if (ret < 0)
		memset(stats, 0, sizeof(*stats));
	strmap_release(&seen);
	tabfile_close(&t);
	return ret;
}

static int company_row(struct store *st, const struct actor *who, const struct tabfile *t,
                       struct strmap *seen, const char *source, int64_t now, int32_t today,
                       struct org_import_stats *stats, struct err *err)
{
	(void)today;
	return import_company_row(st, who, t, seen, source, now, stats, err);
}

int org_company_import(struct store *st, const struct actor *who, const char *path, int64_t now,
                       struct org_import_stats *stats, struct err *err)
{
	return import_file(st, who, path, orgfile_company_columns, ORGFILE_C_COUNT, company_row,
	                   DATE_NONE, now, stats, err);
}

static int project_differs(const struct project *a, const struct project *b)
{
	if (a->district != b->district)
		return ORGFILE_P_DISTRICT;
	if (strcmp(a->address, b->address) != 0)
		return ORGFILE_P_ADDRESS;
	if (a->supervisor != b->supervisor)
		return ORGFILE_P_SUPERVISOR;
	if (a->start_on != b->start_on)
		return ORGFILE_P_START;
	if (a->end_on != b->end_on)
		return ORGFILE_P_END;
	return -1;
}

static const char *project_field(const struct project *p, int col, char *buf)
{
	switch (col) {
	case ORGFILE_P_DISTRICT:
		return p->district_name;
	case ORGFILE_P_ADDRESS:
		return p->address;
	case ORGFILE_P_SUPERVISOR:
		return p->supervisor ? p->supervisor_uscc : "无";
	case ORGFILE_P_START:
		return p->start_on == DATE_NONE ? "无" : date_format(p->start_on, buf);
	default:
		return p->end_on == DATE_NONE ? "无" : date_format(p->end_on, buf);
	}
}

static int project_row(struct store *st, const struct actor *who, const struct tabfile *t,
                       struct strmap *seen, const char *source, int64_t now, int32_t today,
                       struct org_import_stats *stats, struct err *err)
{
	struct orgfile_project r;
	struct project p, old;
	struct org o;
	char key[USCC_SIZE + ORG_NAME_SIZE + 1], buf[DATE_TEXT_MAX];
	int rc, col;

	if (orgfile_project_row(t, &r, err) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", r.name);
	snprintf(p.address, sizeof(p.address), "%s", r.address);
	p.start_on = r.start_on;
	p.end_on = r.end_on;
	if (district_required(st, r.district, strlen(r.district), &o, err) < 0)
		return row_error(t, ORGFILE_P_DISTRICT, err);
	p.district = o.id;
	snprintf(p.district_name, sizeof(p.district_name), "%s", o.name);
	if (company_required(st, r.builder, strlen(r.builder), ORG_BUILDER, &o, err) < 0)
		return row_error(t, ORGFILE_P_BUILDER, err);
	p.builder = o.id;
	snprintf(p.builder_uscc, sizeof(p.builder_uscc), "%s", o.uscc);
	snprintf(p.builder_name, sizeof(p.builder_name), "%s", o.name);
	if (r.supervisor[0]) {
		if (company_required(st, r.supervisor, strlen(r.supervisor), ORG_SUPERVISOR, &o,
		                     err) < 0)
			return row_error(t, ORGFILE_P_SUPERVISOR, err);
		p.supervisor = o.id;
		snprintf(p.supervisor_uscc, sizeof(p.supervisor_uscc), "%s", o.uscc);
		snprintf(p.supervisor_name, sizeof(p.supervisor_name), "%s", o.name);
	}
	snprintf(key, sizeof(key), "%s\n%s", p.builder_uscc, p.name);
	if (first_in_file(seen, key, t, ORGFILE_P_NAME, "同一施工单位的同名项目", err) < 0)
		return -1;
	rc = store_project_by_name(st, p.builder, p.name, &old, err);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		col = project_differs(&old, &p);
		if (col >= 0)
			return tabfile_error(
			    t, (size_t)col, err,
			    "项目“%s”（施工单位 %s）已登记为项目编号 %lld，与本行不一致"
			    "（已登记为“%s”）；修改已登记的项目请用 opcert project "
			    "change",
			    p.name, p.builder_uscc, (long long)old.id,
			    project_field(&old, col, buf));
		stats->unchanged++;
		return 0;
	}
	p.state = p.start_on != DATE_NONE && p.start_on > today ? PROJECT_PLANNED : PROJECT_ACTIVE;
	p.created_at = p.updated_at = now;
	if (store_project_insert(st, &p, err) < 0 ||
	    record_project(st, who, now, "project.import", NULL, &p, source, tabfile_line(t), err) <
	        0)
		return -1;
	stats->inserted++;
	return 0;
}

int org_project_import(struct store *st, const struct actor *who, const char *path, int32_t today,
                       int64_t now, struct org_import_stats *stats, struct err *err)
{
	return import_file(st, who, path, orgfile_project_columns, ORGFILE_P_COUNT, project_row,
	                   today, now, stats, err);
}
