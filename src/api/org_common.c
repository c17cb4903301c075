/*
 * api_org.c - companies, projects and training institutions over HTTP
 * (GET/POST /api/v1/companies, /api/v1/projects, /api/v1/institutions and
 * their /{id}/change and /{id}/close), the workers registered on a project
 * (/api/v1/projects/{id}/workers, /api/v1/workers/{id}/remove), the audit trail (GET /api/v1/audit,
 * /api/v1/audit/verify) and the pages that show them.
 *
 * Who may call a route, and the scope of the object its path names, is
 * decided in routes.c before a handler runs (an object outside the
 * caller's scope answers 404 exactly like a missing one).  What the table
 * cannot see is in the body: a district officer adds and moves things only
 * within their own district, a company user adds projects only as their
 * own builder and changes only its own contact details and its own
 * projects.  Lists are filtered here with the same rule (principal_sees).
 * The changes themselves, their checks and their audit-trail entries (with
 * the signed-in account as the actor) are org.h's.
 *
 * Threat model: bodies and arguments come from signed-in but not trusted
 * users: every field is checked for type, length and printable text before
 * the library checks its content, and unknown fields are refused (a typo
 * must not silently leave a field as it was).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "date.h"
#include "org.h"
#include "trail.h"
#include "worker.h"

#define FIELD_MAX   1024 /* bytes of one body field (the library checks the real limits) */
#define ARG_MAX     256  /* bytes of a query argument or path segment */
#define AUDIT_LIMIT 200  /* entries GET /api/v1/audit returns by default */
#define AUDIT_MAX   1000 /* ... and at most */
#define FINDINGS    200  /* findings GET /api/v1/audit/verify lists */

static int64_t now_seconds(void)
{
	return (int64_t)time(NULL);
}

static int no_memory(struct http_request *req)
{
	return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
}

/* A path segment or argument worth looking up: short printable text. */
static int plausible(const char *s)
{
	return s && *s && strlen(s) <= ARG_MAX && http_printable(s, strlen(s));
}

/* A positive decimal number of at most 18 digits. */
static int parse_id(const char *s, int64_t *out)
{
	int64_t v = 0;
	size_t n = 0;

	if (!s || !*s || *s == '0')
		return 0;
	for (; s[n]; n++) {
		if (s[n] < '0' || s[n] > '9' || n >= 18)
			return 0;
		v = v * 10 + (s[n] - '0');
	}
	*out = v;
	return 1;
}

/* ------------------------------------------------------------------ */
/* Bodies */

struct field {
	const char *key;
	const char *label;
};

/*
 * The body as a JSON object whose members are all among fields, each a
 * string (or null, the same as absent); values[i] is fields[i]'s text or
 * NULL.  *body must be freed by the caller (also on failure).  0, or -1
 * after a 400 that names the field.
 */
static int read_body(struct http_request *req, const struct field *fields, json_t **body,
                     const char **values)
{
	char shape[512], known[512];
	const char *key;
	json_t *v;
	size_t i, n = 0, k = 0;

	for (i = 0; fields[i].key; i++) {
		n += (size_t)snprintf(shape + n, sizeof(shape) - n, "%s\"%s\": \"%s\"",
		                      i ? ", " : "{", fields[i].key, fields[i].label);
		k += (size_t)snprintf(known + k, sizeof(known) - k, "%s%s（%s）", i ? "、" : "",
		                      fields[i].key, fields[i].label);
		if (n >= sizeof(shape) || k >= sizeof(known))
			return no_memory(req), -1;
	}
	snprintf(shape + n, sizeof(shape) - n, "}");
	*body = api_body_object(req, shape);
	if (!*body)
		return -1;
	json_object_foreach(*body, key, v)
	{
		for (i = 0; fields[i].key && strcmp(fields[i].key, key) != 0; i++)
			;
		if (!fields[i].key)
			return http_error(req, HTTP_BAD_REQUEST, "unknown_field",
			                  "不认识的字段“%.64s”（可用：%s）", key, known),
			       -1;
	}
	for (i = 0; fields[i].key; i++) {
		values[i] = NULL;
		v = json_object_get(*body, fields[i].key);
		if (!v || json_is_null(v))
			continue;
		if (!json_is_string(v) || json_string_length(v) > FIELD_MAX ||
		    strlen(json_string_value(v)) != json_string_length(v) ||
		    !http_printable(json_string_value(v), json_string_length(v)))
			return http_error(req, HTTP_BAD_REQUEST, "bad_field",
			                  "字段 %s（%s）应为不超过 %d 字节的文本", fields[i].key,
			                  fields[i].label, FIELD_MAX),
			       -1;
		values[i] = json_string_value(v);
	}
	return 0;
}

/* A refusal of what the body asks for, by the caller's scope. */
static int out_of_scope(struct http_request *req, const char *what)
{
	return http_error(req, HTTP_FORBIDDEN, "out_of_scope", "您的角色（%s%s%s）%s",
	                  role_label(req->who.role), req->who.org_name[0] ? "，" : "",
	                  req->who.org_name, what);
}

/*
 * A district officer may name only their own district: *name (a district
 * as typed, NULL = not given) must be it, and becomes its exact name; NULL
 * becomes it when dflt.  Other roles: unchanged.  0, or -1 after an answer.
 */
static int own_district(struct http_request *req, struct store *st, const char **name, int dflt)
{
	struct org d;
	struct err err;
	char *copy;
	int rc;

	if (req->who.role != ROLE_DISTRICT_OFFICER)
		return 0;
	if (!*name) {
		if (dflt)
			*name = req->who.org_name;
		return 0;
	}
	err_clear(&err);
	rc = org_district_get(st, *name, &d, &err);
	if (rc < 0)
		return http_internal(req, &err), -1;
	if (rc == 0 || d.id != req->who.district)
		return out_of_scope(req, "只能办理本区的单位和项目：所在区应为本区"), -1;
	copy = arena_strndup(&req->arena, d.name, strlen(d.name));
	if (!copy)
		return no_memory(req), -1;
	*name = copy;
	return 0;
}

/* The company a company user belongs to: 1, or 0 after an answer. */
static int own_company(struct http_request *req, struct store *st, struct org *o)
{
	struct err err;
	int rc;

	err_clear(&err);
	rc = org_get(st, req->who.org, o, &err);
	if (rc < 0)
		return http_internal(req, &err), 0;
	if (rc == 0 || !o->uscc[0])
		return out_of_scope(req, "没有所属单位"), 0;
	return 1;
}

/* A library failure: input errors (they name the field) as 400. */
static int org_fail(struct http_request *req, const struct err *err)
{
	return http_fail(req, HTTP_BAD_REQUEST, "invalid", err);
}

/* ------------------------------------------------------------------ */
/* Scope resolvers */

int api_scope_company(struct http_request *req, struct route_object *obj, struct err *err)
{
	const char *uscc = http_param(req, 0);
	struct store *st = api_reader(req->api, err);
	struct org o;
	int rc;

	if (!st)
		return -1;
	if (!plausible(uscc))
		return 0;
	rc = org_company_get(st, uscc, &o, err);
	if (rc < 0 && err->kind == ERR_INPUT) {
		/* a malformed code names no company */
		err_clear(err);
		return 0;
	}
	if (rc == 1) {
		obj->district = o.district;
		obj->company = o.id;
	}
	return rc;
}

/* The reader store and the number the path names, for a resolver: 1, 0
 * when the path names no number, -1 with err. */
static int scope_id(struct http_request *req, struct err *err, struct store **st, int64_t *id)
{
	*st = api_reader(req->api, err);
	if (!*st)
		return -1;
	return parse_id(http_param(req, 0), id);
}

/* The scope of project id: its district, and the company the caller is
 * (a company sees the projects it builds and those it supervises). */
static int project_scope(struct http_request *req, struct store *st, int64_t id,
                         struct route_object *obj, struct err *err)
{
	struct project p;
	int rc = org_project_get(st, id, &p, err);

	if (rc == 1) {
		obj->district = p.district;
		obj->company = req->who.role == ROLE_COMPANY_USER && p.supervisor &&
		                       p.supervisor == req->who.org
		                   ? p.supervisor
		                   : p.builder;
	}
	return rc;
}

int api_scope_project(struct http_request *req, struct route_object *obj, struct err *err)
{
	struct store *st;
	int64_t id;
	int rc = scope_id(req, err, &st, &id);

	if (rc <= 0)
		return rc;
	return project_scope(req, st, id, obj, err);
}

/* A worker's registration is in its project's scope. */
int api_scope_worker(struct http_request *req, struct route_object *obj, struct err *err)
{
	struct store *st;
	struct worker w;
	int64_t id;
	int rc = scope_id(req, err, &st, &id);

	if (rc <= 0)
		return rc;
	rc = worker_get(st, id, &w, err);
	if (rc == 1)
		rc = project_scope(req, st, w.project, obj, err);
	memset(&w, 0, sizeof(w));
	return rc;
}

int api_scope_institution(struct http_request *req, struct route_object *obj, struct err *err)
{
	struct store *st;
	struct org o;
	int64_t id;
	int rc = scope_id(req, err, &st, &id);

	if (rc <= 0)
		return rc;
	rc = org_get(st, id, &o, err);
	if (rc == 1 && o.kind != ORG_INSTITUTION)
		rc = 0;
	if (rc == 1) {
		obj->district = o.district;
		obj->institution = o.id;
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Output */

/* An organisation as the caller may see it: the auditor reads no one's
 * phone number in full. */
static json_t *org_object(const struct http_request *req, const struct org *o)
{
	char masked[ORG_PHONE_SIZE];
	json_t *j = org_json(o);

	if (j && req->who.role == ROLE_AUDITOR) {
		org_mask_phone(o->phone, masked);
		json_object_set_new(j, "phone", json_string(masked));
	}
	return j;
}

/* Whether the caller sees the project: its district, its builder or its supervisor. */
static int sees_project(const struct principal *who, const struct project *p)
{
	return principal_sees(who, p->district, p->builder, 0) ||
	       (p->supervisor && principal_sees(who, p->district, p->supervisor, 0));
}

struct walk {
	struct http_request *req;
	json_t *list;
	int64_t institution_district; /* institutions only */
};

static int add_org(void *arg, const struct org *o)
{
	struct walk *w = arg;
	json_t *j;

	if (o->kind == ORG_INSTITUTION ? !principal_sees(&w->req->who, o->district, 0, o->id)
	                               : !principal_sees(&w->req->who, o->district, o->id, 0))
		return 0;
	j = org_object(w->req, o);
	return j && json_array_append_new(w->list, j) == 0 ? 0 : -1;
}

static int add_project(void *arg, const struct project *p)
{
	struct walk *w = arg;
	json_t *j;

	if (!sees_project(&w->req->who, p))
		return 0;
	j = org_project_json(p);
	return j && json_array_append_new(w->list, j) == 0 ? 0 : -1;
}

/* A walk's failure: fn's -1 is memory, else err. */
static int walk_fail(struct http_request *req, int rc, const struct err *err)
{
	if (rc > 0 || err->kind == ERR_NONE)
		return no_memory(req);
	return http_internal(req, err);
}

/* ------------------------------------------------------------------ */
/* Query arguments */

/* Argument key as text, or NULL when absent; -1 after a 400. */
static int text_arg(struct http_request *req, const char *key, const char *label, const char **out)
{
	size_t len = 0;
	const char *v = http_arg(req, key, &len);

	*out = NULL;
	if (!v || len == 0)
		return 0;
	if (len > ARG_MAX || strlen(v) != len || !http_printable(v, len))
		return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
		                  "参数 %s（%s）应为不超过 %d 字节的文本", key, label, ARG_MAX),
		       -1;
	*out = v;
	return 0;
}

/* ?district=NAME as a district unit's id (0 when absent); -1 after an answer. */
static int district_arg(struct http_request *req, struct store *st, int64_t *id)
{
	const char *name;
	struct org d;
	struct err err;
	int rc;

	*id = 0;
	if (text_arg(req, "district", "所在区", &name) < 0)
		return -1;
	if (!name)
		return 0;
	err_clear(&err);
	rc = org_district_get(st, name, &d, &err);
	if (rc < 0)
		return http_internal(req, &err), -1;
	if (rc == 0)
		return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
		                  "参数 district（所在区）：“%s”不是本市的区（市、县）", name),
		       -1;
	*id = d.id;
	return 0;
}

/* ?closed=1: closed rows too. */
static int closed_arg(const struct http_request *req)
{
	const char *v = http_arg(req, "closed", NULL);

	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* ------------------------------------------------------------------ */
/* Reading, listing and changing */

/* The reader store, or NULL after an answer. */
static struct store *reader(struct http_request *req)
{
	struct store *st;
	struct err err;

	err_clear(&err);
	st = api_reader(req->api, &err);
	if (!st)
		http_internal(req, &err);
	return st;
}

static int not_found(struct http_request *req)
{
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或接口");
}

/* The number the path names (its resolver has checked it); 0 when none. */
static int64_t path_id(const struct http_request *req)
{
	int64_t id = 0;

	parse_id(http_param(req, 0), &id);
	return id;
}

/* A walk of organisations or of projects filter selects, into w. */
typedef int (*each_fn)(struct store *st, const void *filter, struct walk *w, struct err *err);

static int each_org(struct store *st, const void *filter, struct walk *w, struct err *err)
{
	return org_each(st, filter, add_org, w, err);
}

static int each_project(struct store *st, const void *filter, struct walk *w, struct err *err)
{
	const struct project_filter *f = filter;

	/* An unknown company, or one out of sight, has no projects to show. */
	return f->company < 0 ? 0 : org_project_each(st, f, add_project, w, err);
}

/* The rows each walks that the caller sees, as a JSON array; NULL after an answer. */
static json_t *walk_list(struct http_request *req, struct store *st, each_fn each,
                         const void *filter)
{
	struct walk w = {req, NULL, 0};
	struct err err;
	int rc;

	err_clear(&err);
	if (!(w.list = json_array()))
		return no_memory(req), NULL;
	rc = each(st, filter, &w, &err);
	if (rc != 0) {
		json_decref(w.list);
		return walk_fail(req, rc, &err), NULL;
	}
	return w.list;
}

/* One change, made under the writer lock with the signed-in account as actor. */
struct change {
	/* the library call: 0, or -1 with err */
	int (*fn)(struct store *st, const struct actor *who, struct change *c, int64_t now,
	          struct err *err);
	const char *what; /* the answer's member: "company", "project" or "institution" */
	int is_project;   /* the object is c->project */
	const char *key;  /* the code or name of what changes */
	int64_t id;       /* the number of the project that changes */
	int32_t today;    /* for a new project's state */
	struct org_input org_in;
	struct project_input project_in;
	struct org org;         /* what changed, as it now is */
	struct project project; /* ... for a project */
};

/* Make the change and answer {what: the object as it now is} with status,
 * or the library's refusal. */
static void change_answer(struct http_request *req, unsigned status, struct change *c)
{
	struct actor who;
	struct store *st;
	struct err err;
	int rc = -1;

	err_clear(&err);
	principal_actor(&req->who, http_client_addr(req), &who);
	if ((st = api_writer_lock(req->api, &err))) {
		rc = c->fn(st, &who, c, now_seconds(), &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		org_fail(req, &err);
	else
		http_json(req, status,
		          json_pack("{s:o}", c->what,
		                    c->is_project ? org_project_json(&c->project)
		                                  : org_object(req, &c->org)));
}

static int company_add(struct store *st, const struct actor *who, struct change *c, int64_t now,
                       struct err *err)
{
	return org_company_add(st, who, &c->org_in, now, &c->org, err);
}

static int company_change(struct store *st, const struct actor *who, struct change *c, int64_t now,
                          struct err *err)
{
	return org_company_change(st, who, c->key, &c->org_in, now, &c->org, err);
}

static int company_close(struct store *st, const struct actor *who, struct change *c, int64_t now,
                         struct err *err)
{
	return org_company_close(st, who, c->key, now, &c->org, err);
}

static int project_add(struct store *st, const struct actor *who, struct change *c, int64_t now,
                       struct err *err)
{
	return org_project_add(st, who, &c->project_in, c->today, now, &c->project, err);
}

static int project_change(struct store *st, const struct actor *who, struct change *c, int64_t now,
                          struct err *err)
{
	return org_project_change(st, who, c->id, &c->project_in, now, &c->project, err);
}

static int project_close(struct store *st, const struct actor *who, struct change *c, int64_t now,
                         struct err *err)
{
	return org_project_close(st, who, c->id, now, &c->project, err);
}

static int institution_add(struct store *st, const struct actor *who, struct change *c, int64_t now,
                           struct err *err)
{
	return org_institution_add(st, who, &c->org_in, now, &c->org, err);
}

static int institution_change(struct store *st, const struct actor *who, struct change *c,
                              int64_t now, struct err *err)
{
	return org_institution_change(st, who, c->key, &c->org_in, now, &c->org, err);
}

static int institution_close(struct store *st, const struct actor *who, struct change *c,
                             int64_t now, struct err *err)
{
	return org_institution_close(st, who, c->key, now, &c->org, err);
}

/* ------------------------------------------------------------------ */
/* Companies */

/* GET /api/v1/companies[?district=&kind=builder|supervisor&closed=1] */
int api_companies_list(struct http_request *req)
{
	struct org_filter f = {.kinds = (1u << ORG_BUILDER) | (1u << ORG_SUPERVISOR)};
	struct store *st;
	const char *kind;
	json_t *list;
	int k;

	if (!(st = reader(req)) || district_arg(req, st, &f.district) < 0 ||
	    text_arg(req, "kind", "单位类型", &kind) < 0)
		return 0;
	if (kind) {
		k = org_company_kind_parse(kind, strlen(kind));
		if (k < 0)
			return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
			                  "参数 kind（单位类型）应为 builder 施工单位或 supervisor "
			                  "监理单位");
		f.kinds = 1u << k;
	}
	f.include_closed = closed_arg(req);
	if (!(list = walk_list(req, st, each_org, &f)))
		return 0;
	return http_json(req, HTTP_OK, json_pack("{s:o}", "companies", list));
}

/* GET /api/v1/companies/{uscc}: the company and the projects of it the caller sees. */
int api_company_get(struct http_request *req)
{
	struct project_filter f = {.include_closed = 1};
	struct store *st;
	struct org o;
	struct err err;
	json_t *list;
	int rc;

	if (!(st = reader(req)))
		return 0;
	err_clear(&err);
	rc = org_company_get(st, http_param(req, 0), &o, &err);
	if (rc <= 0) /* gone since the scope check */
		return rc < 0 && err.kind == ERR_SYSTEM ? http_internal(req, &err) : not_found(req);
	f.company = o.id;
	if (!(list = walk_list(req, st, each_project, &f)))
		return 0;
	return http_json(req, HTTP_OK,
	                 json_pack("{s:o,s:o}", "company", org_object(req, &o), "projects", list));
}

enum { C_USCC, C_NAME, C_KIND, C_DISTRICT, C_CONTACT, C_PHONE, C_COUNT };

static const struct field company_fields[] = {
    {"uscc", "统一社会信用代码"},
    {"name", "单位名称"},
    {"kind", "单位类型"},
    {"district", "所在区"},
    {"contact", "联系人"},
    {"phone", "联系电话"},
    {NULL, NULL},
};

/* What a change may name: the code and kind are fixed once registered. */
static const struct field company_change_fields[] = {
    {"name", "单位名称"},  {"district", "所在区"}, {"contact", "联系人"},
    {"phone", "联系电话"}, {NULL, NULL},
};

/* POST /api/v1/companies */
int api_companies_add(struct http_request *req)
{
	const char *v[C_COUNT];
	struct change c = {.fn = company_add, .what = "company"};
	struct store *st;
	json_t *body = NULL;

	if (read_body(req, company_fields, &body, v) == 0 && (st = reader(req)) &&
	    own_district(req, st, &v[C_DISTRICT], 1) == 0) {
		c.org_in = (struct org_input){v[C_USCC],     v[C_KIND],    v[C_NAME],
		                              v[C_DISTRICT], v[C_CONTACT], v[C_PHONE]};
		change_answer(req, HTTP_CREATED, &c);
	}
	json_decref(body);
	return 0;
}

/* POST /api/v1/companies/{uscc}/change: the fields given change, the rest stay. */
int api_company_change(struct http_request *req)
{
	const char *v[C_COUNT - 2]; /* name, district, contact, phone */
	struct change c = {.fn = company_change, .what = "company", .key = http_param(req, 0)};
	struct store *st;
	json_t *body = NULL;

	if (read_body(req, company_change_fields, &body, v) < 0)
		goto out;
	if (req->who.role == ROLE_COMPANY_USER && (v[0] || v[1])) {
		out_of_scope(req, "只能修改本单位的联系人和联系电话；单位名称和所在区由住建局修改");
		goto out;
	}
	if (!(st = reader(req)) || own_district(req, st, &v[1], 0) < 0)
		goto out;
	c.org_in = (struct org_input){NULL, NULL, v[0], v[1], v[2], v[3]};
	change_answer(req, HTTP_OK, &c);
out:
	json_decref(body);
	return 0;
}

/* POST /api/v1/companies/{uscc}/close */
int api_company_close(struct http_request *req)
{
	struct change c = {.fn = company_close, .what = "company", .key = http_param(req, 0)};

	change_answer(req, HTTP_OK, &c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Projects */

/* GET /api/v1/projects[?district=&company=USCC&closed=1] */
int api_projects_list(struct http_request *req)
{
	struct project_filter f = {0};
	struct store *st;
	struct org o;
	struct err err;
	const char *company;
	json_t *list;
	int rc;

	if (!(st = reader(req)) || district_arg(req, st, &f.district) < 0 ||
	    text_arg(req, "company", "施工或监理单位的统一社会信用代码", &company) < 0)
		return 0;
	if (company) {
		err_clear(&err);
		rc = org_company_get(st, company, &o, &err);
		if (rc < 0 && err.kind == ERR_SYSTEM)
			return http_internal(req, &err);
		if (rc < 0)
			return http_fail(req, HTTP_BAD_REQUEST, "bad_argument", &err);
		f.company = rc == 1 ? o.id : -1;
	}
	f.include_closed = closed_arg(req);
	if (!(list = walk_list(req, st, each_project, &f)))
		return 0;
	return http_json(req, HTTP_OK, json_pack("{s:o}", "projects", list));
}

/* GET /api/v1/projects/{id} */
int api_project_get(struct http_request *req)
{
	struct store *st;
	struct project p;
	struct err err;
	int rc;

	if (!(st = reader(req)))
		return 0;
	err_clear(&err);
	rc = org_project_get(st, path_id(req), &p, &err);
	if (rc < 0)
		return http_internal(req, &err);
	if (rc == 0)
		return not_found(req);
	return http_json(req, HTTP_OK, json_pack("{s:o}", "project", org_project_json(&p)));
}

enum { P_NAME, P_DISTRICT, P_ADDRESS, P_BUILDER, P_SUPERVISOR, P_START, P_END, P_STATE, P_COUNT };

static const struct field project_fields[] = {
    {"name", "项目名称"},    {"district", "所在区"},     {"address", "地址"},
    {"builder", "施工单位"}, {"supervisor", "监理单位"}, {"start", "开工日期"},
    {"end", "竣工日期"},     {"state", "项目状态"},      {NULL, NULL},
};

/* The same without the state: a new project's follows from its start date. */
static const struct field project_add_fields[] = {
    {"name", "项目名称"},       {"district", "所在区"},
    {"address", "地址"},        {"builder", "施工单位"},
    {"supervisor", "监理单位"}, {"start", "开工日期"},
    {"end", "竣工日期"},        {NULL, NULL},
};

/*
 * A company user names only itself as the builder: *builder (NULL = not
 * given) must be its code, and becomes it.  0, or -1 after an answer.
 */
static int own_builder(struct http_request *req, struct store *st, const char **builder)
{
	char code[USCC_SIZE];
	struct org o;
	struct err err;
	char *copy;

	if (req->who.role != ROLE_COMPANY_USER)
		return 0;
	if (!own_company(req, st, &o))
		return -1;
	err_clear(&err);
	if (*builder && (org_check_uscc(*builder, strlen(*builder), code, &err) < 0 ||
	                 strcmp(code, o.uscc) != 0))
		return out_of_scope(req, "只能以本单位为施工单位登记项目"), -1;
	copy = arena_strndup(&req->arena, o.uscc, strlen(o.uscc));
	if (!copy)
		return no_memory(req), -1;
	*builder = copy;
	return 0;
}

static struct project_input project_input_of(const char *const *v)
{
	return (struct project_input){v[P_NAME],       v[P_DISTRICT], v[P_ADDRESS], v[P_BUILDER],
	                              v[P_SUPERVISOR], v[P_START],    v[P_END],     v[P_STATE]};
}

/* POST /api/v1/projects */
int api_projects_add(struct http_request *req)
{
	const char *v[P_COUNT];
	struct change c = {.fn = project_add, .what = "project", .is_project = 1};
	struct store *st;
	json_t *body = NULL;

	if (read_body(req, project_add_fields, &body, v) == 0 && (st = reader(req)) &&
	    own_district(req, st, &v[P_DISTRICT], 1) == 0 &&
	    own_builder(req, st, &v[P_BUILDER]) == 0) {
		v[P_STATE] = NULL;
		c.project_in = project_input_of(v);
		c.today = api_today(req->api);
		change_answer(req, HTTP_CREATED, &c);
	}
	json_decref(body);
	return 0;
}

/*
 * What a company user may not do to a project: change one it does not
 * build, move it to another builder, close it.  1 when allowed, 0 after
 * an answer.
 */
static int company_may_change(struct http_request *req, struct store *st, int64_t id,
                              const char *const *v)
{
	struct project p;
	struct err err;
	int rc;

	if (req->who.role != ROLE_COMPANY_USER)
		return 1;
	err_clear(&err);
	rc = org_project_get(st, id, &p, &err);
	if (rc < 0)
		return http_internal(req, &err), 0;
	if (rc == 0)
		return not_found(req), 0;
	if (p.builder != req->who.org)
		return out_of_scope(req, "只能修改本单位施工的项目（监理单位只能查看）"), 0;
	if (v[P_BUILDER])
		return out_of_scope(req, "不能更换项目的施工单位（请由住建局办理）"), 0;
	return 1;
}

/* POST /api/v1/projects/{id}/change */
int api_project_change(struct http_request *req)
{
	const char *v[P_COUNT];
	struct change c = {.fn = project_change, .what = "project", .is_project = 1};
	struct store *st;
	json_t *body = NULL;

	c.id = path_id(req);
	if (read_body(req, project_fields, &body, v) < 0 || !(st = reader(req)) ||
	    !company_may_change(req, st, c.id, v) || own_district(req, st, &v[P_DISTRICT], 0) < 0)
		goto out;
	c.project_in = project_input_of(v);
	if (v[P_STATE] && req->who.role == ROLE_COMPANY_USER &&
	    project_state_parse(v[P_STATE], strlen(v[P_STATE])) == PROJECT_CLOSED) {
		out_of_scope(req, "不能关闭项目（请由住建局办理）");
		goto out;
	}
	change_answer(req, HTTP_OK, &c);
out:
	json_decref(body);
	return 0;
}

/* POST /api/v1/projects/{id}/close */
int api_project_close(struct http_request *req)
{
	struct change c = {.fn = project_close, .what = "project", .is_project = 1};

	c.id = path_id(req);
	change_answer(req, HTTP_OK, &c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Workers registered on projects */

/*
 * The project the path names, for a change to its workers: a company user
 * registers workers only on the projects it builds (a supervising firm
 * reads them).  1 and *p, or 0 after an answer.
 */
static int worker_project(struct http_request *req, struct store *st, int64_t id, struct project *p)
{
	struct err err;
	int rc;

	err_clear(&err);
	rc = org_project_get(st, id, p, &err);
	if (rc < 0)
		return http_internal(req, &err), 0;
	if (rc == 0)
		return not_found(req), 0;
	if (req->who.role == ROLE_COMPANY_USER && p->builder != req->who.org)
		return out_of_scope(req, "只能登记本单位施工项目的人员（监理单位只能查看）"), 0;
	return 1;
}

static int add_worker(void *arg, const struct worker *w)
{
	return json_array_append_new(arg, worker_json(w)) < 0 ? 1 : 0;
}

/* GET /api/v1/projects/{id}/workers[?all=1] */
int api_project_workers(struct http_request *req)
{
	const char *all = http_arg(req, "all", NULL);
	struct store *st;
	struct err err;
	json_t *list;
	int rc;

	if (!(st = reader(req)))
		return 0;
	list = json_array();
	if (!list)
		return no_memory(req);
	err_clear(&err);
	rc = worker_each(st, path_id(req), all && strcmp(all, "1") == 0, add_worker, list, &err);
	if (rc) {
		json_decref(list);
		return rc < 0 ? http_internal(req, &err) : no_memory(req);
	}
	return http_json(
	    req, HTTP_OK,
	    json_pack("{s:I,s:o}", "project", (json_int_t)path_id(req), "workers", list));
}

enum { W_NUMBER, W_NAME, W_ID, W_GENDER, W_POST, W_COUNT };

static const struct field worker_fields[] = {
    {"number", "证书编号"},        {"name", "姓名"},
    {"id_number", "身份证号码"},   {"gender", "性别"},
    {"post", "特种作业岗位/工种"}, {NULL, NULL},
};

/* POST /api/v1/projects/{id}/workers */
int api_project_worker_add(struct http_request *req)
{
	const char *v[W_COUNT];
	struct worker_input in;
	struct worker w;
	struct project p;
	struct actor who;
	struct store *st;
	struct err err;
	json_t *body = NULL;
	int rc = -1;

	if (read_body(req, worker_fields, &body, v) < 0 || !(st = reader(req)) ||
	    !worker_project(req, st, path_id(req), &p))
		goto out;
	memset(&in, 0, sizeof(in));
	in.number = v[W_NUMBER];
	in.name = v[W_NAME];
	in.id_number = v[W_ID];
	in.gender = v[W_GENDER];
	in.post = v[W_POST];
	err_clear(&err);
	principal_actor(&req->who, http_client_addr(req), &who);
	if ((st = api_writer_lock(req->api, &err))) {
		rc = worker_add(st, &who, p.id, &in, api_today(req->api), now_seconds(), &w, &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		org_fail(req, &err);
	else
		http_json(req, HTTP_CREATED, json_pack("{s:o}", "worker", worker_json(&w)));
	memset(&w, 0, sizeof(w));
out:
	json_decref(body);
	return 0;
}

/* POST /api/v1/projects/{id}/workers/import: a roster file as the body. */
int api_project_workers_import(struct http_request *req)
{
	struct worker_import_stats s;
	struct project p;
	struct actor who;
	struct store *st;
	struct err err;
	json_t *counts;
	int rc = -1, i;

	if (req->body_len == 0)
		return http_error(req, HTTP_BAD_REQUEST, "empty_body",
		                  "请求体为空：请上传人员花名册（CSV/TSV）");
	if (!(st = reader(req)) || !worker_project(req, st, path_id(req), &p))
		return 0;
	err_clear(&err);
	principal_actor(&req->who, http_client_addr(req), &who);
	if ((st = api_writer_lock(req->api, &err))) {
		rc = worker_import_memory(st, &who, p.id, "upload", req->body, req->body_len,
		                          api_today(req->api), now_seconds(), &s, &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		return org_fail(req, &err);
	counts = json_object();
	for (i = 0; counts && i < V_COUNT; i++)
		if (s.by_verdict[i])
			json_object_set_new(counts, verdict_code((enum verdict)i),
			                    json_integer(s.by_verdict[i]));
	return http_json(req, HTTP_OK,
	                 json_pack("{s:I,s:I,s:I,s:o}", "rows", (json_int_t)s.rows, "inserted",
	                           (json_int_t)s.inserted, "unchanged", (json_int_t)s.unchanged,
	                           "by_verdict", counts ? counts : json_object()));
}

/* POST /api/v1/workers/{id}/remove */
int api_worker_remove(struct http_request *req)
{
	struct worker w;
	struct project p;
	struct actor who;
	struct store *st;
	struct err err;
	int rc = -1;

	if (!(st = reader(req)))
		return 0;
	err_clear(&err);
	rc = worker_get(st, path_id(req), &w, &err);
	if (rc < 0)
		return http_internal(req, &err);
	if (rc == 0)
		return not_found(req);
	if (!worker_project(req, st, w.project, &p))
		return 0;
	principal_actor(&req->who, http_client_addr(req), &who);
	rc = -1;
	if ((st = api_writer_lock(req->api, &err))) {
		rc = worker_remove(st, &who, w.id, now_seconds(), &w, &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		org_fail(req, &err);
	else
		http_json(req, HTTP_OK, json_pack("{s:o}", "worker", worker_json(&w)));
	memset(&w, 0, sizeof(w));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Training institutions */

/* GET /api/v1/institutions[?district=&closed=1] */
int api_institutions_list(struct http_request *req)
{
	struct org_filter f = {.kinds = 1u << ORG_INSTITUTION};
	struct store *st;
	json_t *list;

	if (!(st = reader(req)) || district_arg(req, st, &f.district) < 0)
		return 0;
	f.include_closed = closed_arg(req);
	if (!(list = walk_list(req, st, each_org, &f)))
		return 0;
	return http_json(req, HTTP_OK, json_pack("{s:o}", "institutions", list));
}

/* The institution the path names (checked by its resolver): 1, or 0 after an answer. */
static int institution_of_path(struct http_request *req, struct org *o)
{
	struct store *st;
	struct err err;
	int rc;

	if (!(st = reader(req)))
		return 0;
	err_clear(&err);
	rc = org_get(st, path_id(req), o, &err);
	if (rc < 0)
		return http_internal(req, &err), 0;
	if (rc == 0 || o->kind != ORG_INSTITUTION)
		return not_found(req), 0;
	return 1;
}

/* GET /api/v1/institutions/{id} */
int api_institution_get(struct http_request *req)
{
	struct org o;

	if (!institution_of_path(req, &o))
		return 0;
	return http_json(req, HTTP_OK, json_pack("{s:o}", "institution", org_object(req, &o)));
}

enum { I_NAME, I_DISTRICT, I_CONTACT, I_PHONE, I_COUNT };

static const struct field institution_fields[] = {
    {"name", "培训机构名称"}, {"district", "所在区"}, {"contact", "联系人"},
    {"phone", "联系电话"},    {NULL, NULL},
};

/* POST /api/v1/institutions and /api/v1/institutions/{id}/change (the
 * one old names). */
static int institution_write(struct http_request *req, const struct org *old)
{
	const char *v[I_COUNT];
	struct change c = {.fn = old ? institution_change : institution_add, .what = "institution"};
	json_t *body = NULL;

	if (read_body(req, institution_fields, &body, v) == 0) {
		c.key = old ? old->name : NULL;
		c.org_in = (struct org_input){NULL,          NULL,         v[I_NAME],
		                              v[I_DISTRICT], v[I_CONTACT], v[I_PHONE]};
		change_answer(req, old ? HTTP_OK : HTTP_CREATED, &c);
	}
	json_decref(body);
	return 0;
}

/* POST /api/v1/institutions */
int api_institutions_add(struct http_request *req)
{
	return institution_write(req, NULL);
}

/* POST /api/v1/institutions/{id}/change */
int api_institution_change(struct http_request *req)
{
	struct org old;

	if (!institution_of_path(req, &old))
		return 0;
	return institution_write(req, &old);
}

/* POST /api/v1/institutions/{id}/close */
int api_institution_close(struct http_request *req)
{
	struct change c = {.fn = institution_close, .what = "institution"};
	struct org old;

	if (!institution_of_path(req, &old))
		return 0;
	c.key = old.name;
	change_answer(req, HTTP_OK, &c);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The audit trail */

/* unix seconds as Beijing time (UTC+8, no daylight saving). */
static void beijing_time(int64_t t, char out[32])
{
	time_t s = (time_t)(t + 8 * 3600);
	struct tm tm;

	if (!gmtime_r(&s, &tm) || strftime(out, 32, "%Y-%m-%d %H:%M:%S", &tm) == 0)
		snprintf(out, 32, "%" PRId64, t);
}

static json_t *trail_entry_object(const struct store_trail_entry *e)
{
	json_t *o = json_object(), *d = NULL;
	char when[32];
	int r = role_parse(e->role);

	if (!o)
		return NULL;
	beijing_time(e->at, when);
	if (e->has_detail) {
		d = json_loads(e->detail, JSON_DECODE_ANY, NULL);
		if (!d)
			d = json_string(e->detail);
	}
	json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
	json_object_set_new(o, "time", json_string(when));
	json_object_set_new(o, "at", json_integer((json_int_t)e->at));
	json_object_set_new(o, "login", json_string(e->login));
	json_object_set_new(o, "role", json_string(e->role));
	json_object_set_new(o, "role_label",
	                    json_string(r >= 0                        ? role_label((enum role)r)
	                                : strcmp(e->role, "cli") == 0 ? "命令行"
	                                                              : e->role));
	json_object_set_new(o, "addr", json_string(e->addr));
	json_object_set_new(o, "action", json_string(e->action));
	json_object_set_new(o, "object", json_string(e->object));
	json_object_set_new(o, "detail", d ? d : json_null());
	return o;
}

/* The newest `cap` entries of a walk, in a ring. */
struct audit_ring {
	json_t **slot;
	size_t cap, n, next;
	int64_t total;
};

static int audit_keep(void *arg, const struct store_trail_entry *e)
{
	struct audit_ring *r = arg;
	json_t *o = trail_entry_object(e);

	if (!o)
		return -1;
	if (r->n == r->cap)
		json_decref(r->slot[r->next]);
	else
		r->n++;
	r->slot[r->next] = o;
	r->next = (r->next + 1) % r->cap;
	r->total++;
	return 0;
}

/* GET /api/v1/audit[?user=LOGIN&since=DATE&limit=N]: the newest entries first. */
int api_audit_list(struct http_request *req)
{
	struct trail_filter f = {NULL, INT64_MIN};
	struct audit_ring ring = {NULL, AUDIT_LIMIT, 0, 0, 0};
	const char *since, *limit;
	struct store *st;
	struct err err;
	json_t *list = NULL;
	int32_t day;
	size_t i;
	int64_t n;
	int rc;

	err_clear(&err);
	if (text_arg(req, "user", "账号", &f.login) < 0 ||
	    text_arg(req, "since", "起始日期", &since) < 0 ||
	    text_arg(req, "limit", "条数", &limit) < 0)
		return 0;
	if (since) {
		if (date_parse(since, strlen(since), &day) < 0)
			return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
			                  "参数 since（起始日期）“%s”无效（应如 2026-06-01）",
			                  since);
		f.since = (int64_t)day * 86400 - 8 * 3600; /* Beijing midnight */
	}
	if (limit) {
		if (!parse_id(limit, &n) || n > AUDIT_MAX)
			return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
			                  "参数 limit（条数）应为 1 至 %d 的整数", AUDIT_MAX);
		ring.cap = (size_t)n;
	}
	if (!(st = api_reader(req->api, &err)))
		return http_internal(req, &err);
	ring.slot = calloc(ring.cap, sizeof(*ring.slot));
	if (!ring.slot || !(list = json_array())) {
		free(ring.slot);
		return no_memory(req);
	}
	rc = trail_each(st, &f, audit_keep, &ring, &err);
	for (i = 0; i < ring.n; i++) {
		json_t *o = ring.slot[(ring.next + ring.cap - 1 - i) % ring.cap];

		if (rc == 0)
			json_array_append(list, o);
		json_decref(o);
	}
	free(ring.slot);
	if (rc != 0) {
		json_decref(list);
		return walk_fail(req, rc, &err);
	}
	return http_json(req, HTTP_OK,
	                 json_pack("{s:I,s:b,s:o}", "total", (json_int_t)ring.total, "truncated",
	                           ring.total > (int64_t)ring.n, "entries", list));
}

static json_t *count_or_null(int64_t v)
{
	return v > 0 ? json_integer((json_int_t)v) : json_null();
}

/* GET /api/v1/audit/verify: trail_verify's report. */
int api_audit_verify(struct http_request *req)
{
	struct trail_verify_options o;
	struct trail_report r;
	struct store *st;
	struct err err;
	uint8_t pk[32];
	char name[256];
	json_t *out, *counts, *findings;
	size_t i, k;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	err_clear(&err);
	if (!(st = api_reader(req->api, &err)))
		return http_internal(req, &err);
	rc = api_log_key(req->api, name, sizeof(name), pk, &err);
	if (rc < 0)
		return http_internal(req, &err);
	if (rc == 1) {
		o.key_name = name;
		o.key_pk = pk;
	}
	o.max_findings = FINDINGS;
	if (trail_verify(st, &o, &r, &err) < 0) {
		trail_report_release(&r);
		return http_internal(req, &err);
	}
	counts = json_object();
	findings = json_array();
	for (k = 1; counts && k <= TRAIL_PROBLEM_MAX; k++)
		if (r.counts[k])
			json_object_set_new(counts, trail_problem_code((enum trail_problem)k),
			                    json_integer((json_int_t)r.counts[k]));
	for (i = 0; findings && i < r.nfindings; i++) {
		const struct trail_finding *fd = &r.findings[i];

		json_array_append_new(
		    findings,
		    json_pack(
		        "{s:s,s:s,s:o,s:o,s:s}", "kind", trail_problem_code(fd->kind), "label",
		        trail_problem_label(fd->kind), "seq",
		        fd->seq >= 0 ? json_integer((json_int_t)fd->seq) : json_null(), "log_index",
		        fd->log_index >= 0 ? json_integer((json_int_t)fd->log_index) : json_null(),
		        "message", fd->msg));
	}
	out = json_pack(
	    "{s:b,s:I,s:I,s:I,s:I,s:I,s:b,s:b,s:b,s:o,s:o,s:I,s:o,s:o,s:b}", "ok", r.total == 0,
	    "problems", (json_int_t)r.total, "entries", (json_int_t)r.entries, "head_seq",
	    (json_int_t)r.head_seq, "anchors", (json_int_t)r.anchors, "log_entries",
	    (json_int_t)r.log_entries, "key", rc == 1, "checkpoint", r.checkpoint,
	    "checkpoint_signed", r.checkpoint_signed, "checkpoint_size",
	    count_or_null(r.checkpoint_size), "anchored_seq", count_or_null(r.anchored_seq),
	    "signed_seq", (json_int_t)r.signed_seq, "counts", counts ? counts : json_object(),
	    "findings", findings ? findings : json_array(), "truncated", r.nfindings < r.total);
	trail_report_release(&r);
	return http_json(req, HTTP_OK, out);
}

/* ------------------------------------------------------------------ */
/* Pages (their scripts ask the API above) */

int api_org_page(struct http_request *req)
{
	static const struct {
		const char *route, *file;
	} pages[] = {
	    {"/companies", "companies.html"},
	    {"/companies/{uscc}", "company.html"},
	    {"/projects", "projects.html"},
	    {"/projects/{id}", "project.html"},
	    {"/institutions", "institutions.html"},
	    {"/institutions/{id}", "institution.html"},
	    {"/audit", "audit.html"},
	};
	size_t i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(req->route->path, pages[i].route) == 0)
			return api_page_file(req, pages[i].file);
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或文件");
}
