/*
 * projects.c - projects over HTTP: GET/POST /api/v1/projects,
 * GET /api/v1/projects/{id} and its /change and /close, and the scope
 * resolver of a path naming a project by its number.  A company user adds
 * projects only as their own builder and changes only the projects it
 * builds (a supervising firm reads them); closing one is the bureau's.
 * What the handlers share, and the rules they follow: org_common.c.
 */
#include <jansson.h>
#include <string.h>

#include "api_int.h"
#include "org.h"

int api_scope_project(struct http_request *req, struct route_object *obj, struct err *err)
{
	struct store *st;
	int64_t id;
	int rc = api_scope_id(req, err, &st, &id);

	if (rc <= 0)
		return rc;
	return api_project_scope(req, st, id, obj, err);
}

static int project_add(struct store *st, const struct actor *who, struct api_change *c, int64_t now,
                       struct err *err)
{
	return org_project_add(st, who, &c->project_in, c->today, now, &c->project, err);
}

static int project_change(struct store *st, const struct actor *who, struct api_change *c,
                          int64_t now, struct err *err)
{
	return org_project_change(st, who, c->id, &c->project_in, now, &c->project, err);
}

static int project_close(struct store *st, const struct actor *who, struct api_change *c,
                         int64_t now, struct err *err)
{
	return org_project_close(st, who, c->id, now, &c->project, err);
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
		return api_out_of_scope(req, "没有所属单位"), 0;
	return 1;
}

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

	if (!(st = api_req_reader(req)) || api_district_arg(req, st, &f.district) < 0 ||
	    api_text_arg(req, "company", "施工或监理单位的统一社会信用代码", &company) < 0)
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
	f.include_closed = api_closed_arg(req);
	if (!(list = api_project_list(req, st, &f)))
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

	if (!(st = api_req_reader(req)))
		return 0;
	err_clear(&err);
	rc = org_project_get(st, api_path_id(req), &p, &err);
	if (rc < 0)
		return http_internal(req, &err);
	if (rc == 0)
		return api_not_found(req);
	return http_json(req, HTTP_OK, json_pack("{s:o}", "project", org_project_json(&p)));
}

enum { P_NAME, P_DISTRICT, P_ADDRESS, P_BUILDER, P_SUPERVISOR, P_START, P_END, P_STATE, P_COUNT };

static const struct api_field project_fields[] = {
    {"name", "项目名称"},    {"district", "所在区"},     {"address", "地址"},
    {"builder", "施工单位"}, {"supervisor", "监理单位"}, {"start", "开工日期"},
    {"end", "竣工日期"},     {"state", "项目状态"},      {NULL, NULL},
};

/* The same without the state: a new project's follows from its start date. */
static const struct api_field project_add_fields[] = {
    {"name", "项目名称"},       {"district", "所在区"},
    {"address", "地址"},        {"builder", "施工单位"},
    {"supervisor", "监理单位"}, {"start", "开工日期"},
    {"end", "竣工日期"},        {NULL, NULL},
};

/*
 * A company user names only itself as the builder
 * (principal_writes_project): *builder (NULL = not given) must be its
 * code, and becomes it.  0, or -1 after an answer.
 */
static int own_builder(struct http_request *req, struct store *st, const char **builder)
{
	struct org o, named;
	struct err err;
	char *copy;
	int rc;

	if (!principal_held_to_builder(&req->who))
		return 0;
	if (!own_company(req, st, &o))
		return -1;
	if (*builder) {
		err_clear(&err);
		rc = org_company_get(st, *builder, &named, &err);
		if (rc < 0 && err.kind == ERR_SYSTEM)
			return http_internal(req, &err), -1;
		if (!principal_writes_project(&req->who, rc == 1 ? named.id : 0))
			return api_out_of_scope(req, "只能以本单位为施工单位登记项目"), -1;
	}
	copy = arena_strndup(&req->arena, o.uscc, strlen(o.uscc));
	if (!copy)
		return api_no_memory(req), -1;
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
	struct api_change c = {.fn = project_add, .what = "project", .is_project = 1};
	struct store *st;
	json_t *body = NULL;

	if (api_read_body(req, project_add_fields, &body, v) == 0 && (st = api_req_reader(req)) &&
	    api_own_district(req, st, &v[P_DISTRICT], 1) == 0 &&
	    own_builder(req, st, &v[P_BUILDER]) == 0) {
		v[P_STATE] = NULL;
		c.project_in = project_input_of(v);
		c.today = api_today(req->api);
		api_change_answer(req, HTTP_CREATED, &c);
	}
	json_decref(body);
	return 0;
}

/*
 * What a company user may not do to a project: change one it does not
 * build (principal_writes_project), move it to another builder
 * (principal_reassigns_project; closing it is checked with the state).
 * 1 when allowed, 0 after an answer.
 */
static int company_may_change(struct http_request *req, struct store *st, int64_t id,
                              const char *const *v)
{
	struct project p;
	struct err err;
	int rc;

	if (!principal_held_to_builder(&req->who))
		return 1;
	err_clear(&err);
	rc = org_project_get(st, id, &p, &err);
	if (rc < 0)
		return http_internal(req, &err), 0;
	if (rc == 0)
		return api_not_found(req), 0;
	if (!principal_writes_project(&req->who, p.builder))
		return api_out_of_scope(req, "只能修改本单位施工的项目（监理单位只能查看）"), 0;
	if (v[P_BUILDER] && !principal_reassigns_project(&req->who))
		return api_out_of_scope(req, "不能更换项目的施工单位（请由住建局办理）"), 0;
	return 1;
}

/* POST /api/v1/projects/{id}/change */
int api_project_change(struct http_request *req)
{
	const char *v[P_COUNT];
	struct api_change c = {.fn = project_change, .what = "project", .is_project = 1};
	struct store *st;
	json_t *body = NULL;

	c.id = api_path_id(req);
	if (api_read_body(req, project_fields, &body, v) < 0 || !(st = api_req_reader(req)) ||
	    !company_may_change(req, st, c.id, v) ||
	    api_own_district(req, st, &v[P_DISTRICT], 0) < 0)
		goto out;
	c.project_in = project_input_of(v);
	if (v[P_STATE] && !principal_reassigns_project(&req->who) &&
	    project_state_parse(v[P_STATE], strlen(v[P_STATE])) == PROJECT_CLOSED) {
		api_out_of_scope(req, "不能关闭项目（请由住建局办理）");
		goto out;
	}
	api_change_answer(req, HTTP_OK, &c);
out:
	json_decref(body);
	return 0;
}

/* POST /api/v1/projects/{id}/close */
int api_project_close(struct http_request *req)
{
	struct api_change c = {.fn = project_close, .what = "project", .is_project = 1};

	c.id = api_path_id(req);
	api_change_answer(req, HTTP_OK, &c);
	return 0;
}
