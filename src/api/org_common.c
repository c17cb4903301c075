/*
 * org_common.c - what the handlers of companies, projects, the workers on
 * them, training institutions and the audit trail share (api_int.h):
 * bodies read field by field, query arguments, a body held to the
 * caller's scope, lists filtered by it, one change under the writer lock.
 *
 * Who may call a route, and the scope of the object its path names, is
 * decided in routes.c before a handler runs (an object outside the
 * caller's scope answers 404 exactly like a missing one).  What the table
 * cannot see is in the body: a district officer adds and moves things only
 * within their own district, a company user adds projects only as their
 * own builder and changes only its own contact details and its own
 * projects.  Those rules are account.h's (principal_writes_district and
 * the rest); a handler looks up what the body names and answers 403 when
 * one says no.  Lists are filtered here with principal_sees.
 * The changes themselves, their checks and their audit-trail entries (with
 * the signed-in account as the actor) are org.h's.
 *
 * Threat model: bodies and arguments come from signed-in but not trusted
 * users: every field is checked for type, length and printable text before
 * the library checks its content, and unknown fields are refused (a typo
 * must not silently leave a field as it was).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "api_int.h"
#include "date.h"
#include "org.h"

#define FIELD_MAX 1024 /* bytes of one body field (the library checks the real limits) */
#define ARG_MAX   256  /* bytes of a query argument or path segment */

int api_no_memory(struct http_request *req)
{
	return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
}

int api_plausible(const char *s)
{
	return s && *s && strlen(s) <= ARG_MAX && http_printable(s, strlen(s));
}

int api_parse_id(const char *s, int64_t *out)
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

int api_read_body(struct http_request *req, const struct api_field *fields, json_t **body,
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
			return api_no_memory(req), -1;
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

int api_out_of_scope(struct http_request *req, const char *what)
{
	return http_error(req, HTTP_FORBIDDEN, "out_of_scope", "您的角色（%s%s%s）%s",
	                  role_label(req->who.role), req->who.org_name[0] ? "，" : "",
	                  req->who.org_name, what);
}

int api_own_district(struct http_request *req, struct store *st, const char **name, int dflt)
{
	struct org d;
	struct err err;
	char *copy;
	int rc;

	if (!principal_held_to_district(&req->who))
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
	if (!principal_writes_district(&req->who, rc == 1 ? d.id : 0))
		return api_out_of_scope(req, "只能办理本区的单位和项目：所在区应为本区"), -1;
	copy = arena_strndup(&req->arena, d.name, strlen(d.name));
	if (!copy)
		return api_no_memory(req), -1;
	*name = copy;
	return 0;
}

int api_org_fail(struct http_request *req, const struct err *err)
{
	return http_fail(req, HTTP_BAD_REQUEST, "invalid", err);
}

/* ------------------------------------------------------------------ */
/* Scope resolvers */

int api_scope_id(struct http_request *req, struct err *err, struct store **st, int64_t *id)
{
	*st = api_reader(req->api, err);
	if (!*st)
		return -1;
	return api_parse_id(http_param(req, 0), id);
}

int api_project_scope(struct http_request *req, struct store *st, int64_t id,
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

/* ------------------------------------------------------------------ */
/* Output */

json_t *api_org_object(const struct http_request *req, const struct org *o)
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
	j = api_org_object(w->req, o);
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

int api_walk_fail(struct http_request *req, int rc, const struct err *err)
{
	if (rc > 0 || err->kind == ERR_NONE)
		return api_no_memory(req);
	return http_internal(req, err);
}

/* ------------------------------------------------------------------ */
/* Query arguments */

int api_text_arg(struct http_request *req, const char *key, const char *label, const char **out)
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

int api_district_arg(struct http_request *req, struct store *st, int64_t *id)
{
	const char *name;
	struct org d;
	struct err err;
	int rc;

	*id = 0;
	if (api_text_arg(req, "district", "所在区", &name) < 0)
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

int api_closed_arg(const struct http_request *req)
{
	const char *v = http_arg(req, "closed", NULL);

	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

/* ------------------------------------------------------------------ */
/* Reading, listing and changing */

struct store *api_req_reader(struct http_request *req)
{
	struct store *st;
	struct err err;

	err_clear(&err);
	st = api_reader(req->api, &err);
	if (!st)
		http_internal(req, &err);
	return st;
}

int api_not_found(struct http_request *req)
{
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或接口");
}

int64_t api_path_id(const struct http_request *req)
{
	int64_t id = 0;

	api_parse_id(http_param(req, 0), &id);
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
		return api_no_memory(req), NULL;
	rc = each(st, filter, &w, &err);
	if (rc != 0) {
		json_decref(w.list);
		return api_walk_fail(req, rc, &err), NULL;
	}
	return w.list;
}

json_t *api_org_list(struct http_request *req, struct store *st, const struct org_filter *f)
{
	return walk_list(req, st, each_org, f);
}

json_t *api_project_list(struct http_request *req, struct store *st, const struct project_filter *f)
{
	return walk_list(req, st, each_project, f);
}

void api_change_answer(struct http_request *req, unsigned status, struct api_change *c)
{
	struct actor who;
	struct store *st;
	struct err err;
	int rc = -1;

	err_clear(&err);
	principal_actor(&req->who, http_client_addr(req), &who);
	if ((st = api_writer_lock(req->api, &err))) {
		rc = c->fn(st, &who, c, date_now_seconds(), &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		api_org_fail(req, &err);
	else
		http_json(req, status,
		          json_pack("{s:o}", c->what,
		                    c->is_project ? org_project_json(&c->project)
		                                  : api_org_object(req, &c->org)));
}
