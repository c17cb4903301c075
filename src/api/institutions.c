/*
 * institutions.c - training institutions over HTTP:
 * GET/POST /api/v1/institutions, GET /api/v1/institutions/{id} and its
 * /change and /close, and the scope resolver of a path naming an
 * institution by its number.  What the handlers share, and the rules they
 * follow: org_common.c.
 */
#include <jansson.h>

#include "api_int.h"
#include "org.h"

int api_scope_institution(struct http_request *req, struct route_object *obj, struct err *err)
{
	struct store *st;
	struct org o;
	int64_t id;
	int rc = api_scope_id(req, err, &st, &id);

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

static int institution_add(struct store *st, const struct actor *who, struct api_change *c,
                           int64_t now, struct err *err)
{
	return org_institution_add(st, who, &c->org_in, now, &c->org, err);
}

static int institution_change(struct store *st, const struct actor *who, struct api_change *c,
                              int64_t now, struct err *err)
{
	return org_institution_change(st, who, c->key, &c->org_in, now, &c->org, err);
}

static int institution_close(struct store *st, const struct actor *who, struct api_change *c,
                             int64_t now, struct err *err)
{
	return org_institution_close(st, who, c->key, now, &c->org, err);
}

/* GET /api/v1/institutions[?district=&closed=1] */
int api_institutions_list(struct http_request *req)
{
	struct org_filter f = {.kinds = 1u << ORG_INSTITUTION};
	struct store *st;
	json_t *list;

	if (!(st = api_req_reader(req)) || api_district_arg(req, st, &f.district) < 0)
		return 0;
	f.include_closed = api_closed_arg(req);
	if (!(list = api_org_list(req, st, &f)))
		return 0;
	return http_json(req, HTTP_OK, json_pack("{s:o}", "institutions", list));
}

/* The institution the path names (checked by its resolver): 1, or 0 after an answer. */
static int institution_of_path(struct http_request *req, struct org *o)
{
	struct store *st;
	struct err err;
	int rc;

	if (!(st = api_req_reader(req)))
		return 0;
	err_clear(&err);
	rc = org_get(st, api_path_id(req), o, &err);
	if (rc < 0)
		return http_internal(req, &err), 0;
	if (rc == 0 || o->kind != ORG_INSTITUTION)
		return api_not_found(req), 0;
	return 1;
}

/* GET /api/v1/institutions/{id} */
int api_institution_get(struct http_request *req)
{
	struct org o;

	if (!institution_of_path(req, &o))
		return 0;
	return http_json(req, HTTP_OK, json_pack("{s:o}", "institution", api_org_object(req, &o)));
}

enum { I_NAME, I_DISTRICT, I_CONTACT, I_PHONE, I_COUNT };

static const struct api_field institution_fields[] = {
    {"name", "培训机构名称"}, {"district", "所在区"}, {"contact", "联系人"},
    {"phone", "联系电话"},    {NULL, NULL},
};

/* POST /api/v1/institutions and /api/v1/institutions/{id}/change (the
 * one old names). */
static int institution_write(struct http_request *req, const struct org *old)
{
	const char *v[I_COUNT];
	struct api_change c = {.fn = old ? institution_change : institution_add,
	                       .what = "institution"};
	json_t *body = NULL;

	if (api_read_body(req, institution_fields, &body, v) == 0) {
		c.key = old ? old->name : NULL;
		c.org_in = (struct org_input){NULL,          NULL,         v[I_NAME],
		                              v[I_DISTRICT], v[I_CONTACT], v[I_PHONE]};
		api_change_answer(req, old ? HTTP_OK : HTTP_CREATED, &c);
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
	struct api_change c = {.fn = institution_close, .what = "institution"};
	struct org old;

	if (!institution_of_path(req, &old))
		return 0;
	c.key = old.name;
	api_change_answer(req, HTTP_OK, &c);
	return 0;
}
