/*
 * companies.c - construction and supervision companies over HTTP:
 * GET/POST /api/v1/companies, GET /api/v1/companies/{uscc} (with the
 * projects of it the caller sees) and its /change and /close, and the scope
 * resolver of a path naming a company by its code.  A company user changes
 * only its own contact details.  What the handlers share, and the rules
 * they follow: org_common.c.
 */
#include <jansson.h>
#include <string.h>

#include "api_int.h"
#include "org.h"

int api_scope_company(struct http_request *req, struct route_object *obj, struct err *err)
{
	const char *uscc = http_param(req, 0);
	struct store *st = api_reader(req->api, err);
	struct org o;
	int rc;

	if (!st)
		return -1;
	if (!api_plausible(uscc))
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

static int company_add(struct store *st, const struct actor *who, struct api_change *c, int64_t now,
                       struct err *err)
{
	return org_company_add(st, who, &c->org_in, now, &c->org, err);
}

static int company_change(struct store *st, const struct actor *who, struct api_change *c,
                          int64_t now, struct err *err)
{
	return org_company_change(st, who, c->key, &c->org_in, now, &c->org, err);
}

static int company_close(struct store *st, const struct actor *who, struct api_change *c,
                         int64_t now, struct err *err)
{
	return org_company_close(st, who, c->key, now, &c->org, err);
}

/* GET /api/v1/companies[?district=&kind=builder|supervisor&closed=1] */
int api_companies_list(struct http_request *req)
{
	struct org_filter f = {.kinds = (1u << ORG_BUILDER) | (1u << ORG_SUPERVISOR)};
	struct store *st;
	const char *kind;
	json_t *list;
	int k;

	if (!(st = api_req_reader(req)) || api_district_arg(req, st, &f.district) < 0 ||
	    api_text_arg(req, "kind", "单位类型", &kind) < 0)
		return 0;
	if (kind) {
		k = org_company_kind_parse(kind, strlen(kind));
		if (k < 0)
			return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
			                  "参数 kind（单位类型）应为 builder 施工单位或 supervisor "
			                  "监理单位");
		f.kinds = 1u << k;
	}
	f.include_closed = api_closed_arg(req);
	if (!(list = api_org_list(req, st, &f)))
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

	if (!(st = api_req_reader(req)))
		return 0;
	err_clear(&err);
	rc = org_company_get(st, http_param(req, 0), &o, &err);
	if (rc <= 0) /* gone since the scope check */
		return rc < 0 && err.kind == ERR_SYSTEM ? http_internal(req, &err)
		                                        : api_not_found(req);
	f.company = o.id;
	if (!(list = api_project_list(req, st, &f)))
		return 0;
	return http_json(
	    req, HTTP_OK,
	    json_pack("{s:o,s:o}", "company", api_org_object(req, &o), "projects", list));
}

enum { C_USCC, C_NAME, C_KIND, C_DISTRICT, C_CONTACT, C_PHONE, C_COUNT };

static const struct api_field company_fields[] = {
    {"uscc", "统一社会信用代码"},
    {"name", "单位名称"},
    {"kind", "单位类型"},
    {"district", "所在区"},
    {"contact", "联系人"},
    {"phone", "联系电话"},
    {NULL, NULL},
};

/* What a change may name: the code and kind are fixed once registered. */
static const struct api_field company_change_fields[] = {
    {"name", "单位名称"},  {"district", "所在区"}, {"contact", "联系人"},
    {"phone", "联系电话"}, {NULL, NULL},
};

/* POST /api/v1/companies */
int api_companies_add(struct http_request *req)
{
	const char *v[C_COUNT];
	struct api_change c = {.fn = company_add, .what = "company"};
	struct store *st;
	json_t *body = NULL;

	if (api_read_body(req, company_fields, &body, v) == 0 && (st = api_req_reader(req)) &&
	    api_own_district(req, st, &v[C_DISTRICT], 1) == 0) {
		c.org_in = (struct org_input){v[C_USCC],     v[C_KIND],    v[C_NAME],
		                              v[C_DISTRICT], v[C_CONTACT], v[C_PHONE]};
		api_change_answer(req, HTTP_CREATED, &c);
	}
	json_decref(body);
	return 0;
}

/* POST /api/v1/companies/{uscc}/change: the fields given change, the rest stay. */
int api_company_change(struct http_request *req)
{
	const char *v[C_COUNT - 2]; /* name, district, contact, phone */
	struct api_change c = {.fn = company_change, .what = "company", .key = http_param(req, 0)};
	struct store *st;
	json_t *body = NULL;

	if (api_read_body(req, company_change_fields, &body, v) < 0)
		goto out;
	if ((v[0] || v[1]) && !principal_renames_company(&req->who)) {
		api_out_of_scope(req,
		                 "只能修改本单位的联系人和联系电话；单位名称和所在区由住建局修改");
		goto out;
	}
	if (!(st = api_req_reader(req)) || api_own_district(req, st, &v[1], 0) < 0)
		goto out;
	c.org_in = (struct org_input){NULL, NULL, v[0], v[1], v[2], v[3]};
	api_change_answer(req, HTTP_OK, &c);
out:
	json_decref(body);
	return 0;
}

/* POST /api/v1/companies/{uscc}/close */
int api_company_close(struct http_request *req)
{
	struct api_change c = {.fn = company_close, .what = "company", .key = http_param(req, 0)};

	api_change_answer(req, HTTP_OK, &c);
	return 0;
}
