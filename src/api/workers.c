/*
 * workers.c - the special-operation workers registered on a project over
 * HTTP (worker.h): GET/POST /api/v1/projects/{id}/workers,
 * POST /api/v1/projects/{id}/workers/import (a roster file as the body)
 * and POST /api/v1/workers/{id}/remove, and the scope resolver of a path
 * naming a registration (its project's scope).  Registering checks the
 * card against the register and keeps the verdict (worker.h).  What the
 * handlers share, and the rules they follow: org_common.c.
 */
#include <jansson.h>
#include <string.h>

#include "api_int.h"
#include "date.h"
#include "org.h"
#include "worker.h"

/* A worker's registration is in its project's scope. */
int api_scope_worker(struct http_request *req, struct route_object *obj, struct err *err)
{
	struct store *st;
	struct worker w;
	int64_t id;
	int rc = api_scope_id(req, err, &st, &id);

	if (rc <= 0)
		return rc;
	rc = worker_get(st, id, &w, err);
	if (rc == 1)
		rc = api_project_scope(req, st, w.project, obj, err);
	memset(&w, 0, sizeof(w));
	return rc;
}

/*
 * The project the path names, for a change to its workers: a company user
 * registers workers only on the projects it builds (principal_writes_project:
 * a supervising firm reads them).  1 and *p, or 0 after an answer.
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
		return api_not_found(req), 0;
	if (!principal_writes_project(&req->who, p->builder))
		return api_out_of_scope(req, "只能登记本单位施工项目的人员（监理单位只能查看）"), 0;
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

	if (!(st = api_req_reader(req)))
		return 0;
	list = json_array();
	if (!list)
		return api_no_memory(req);
	err_clear(&err);
	rc =
	    worker_each(st, api_path_id(req), all && strcmp(all, "1") == 0, add_worker, list, &err);
	if (rc) {
		json_decref(list);
		return rc < 0 ? http_internal(req, &err) : api_no_memory(req);
	}
	return http_json(
	    req, HTTP_OK,
	    json_pack("{s:I,s:o}", "project", (json_int_t)api_path_id(req), "workers", list));
}

enum { W_NUMBER, W_NAME, W_ID, W_GENDER, W_POST, W_COUNT };

static const struct api_field worker_fields[] = {
    {"number", "证书编号"},        {"name", "姓名"},
    {"id_number", "身份证号码"},   {"gender", "性别"},
    {"post", "特种作业岗位/工种"}, {NULL, NULL},
};

/* POST /api/v1/projects/{id}/workers */
int api_project_worker_add(struct http_request *req)
{
	const char *v[W_COUNT];
	char subject[PROBE_SUBJECT_SIZE];
	struct probe_guard guard;
	struct worker_input in;
	struct worker w;
	struct project p;
	struct actor who;
	struct store *st;
	struct err err;
	json_t *body = NULL;
	int rc = -1;

	if (api_read_body(req, worker_fields, &body, v) < 0 || !(st = api_req_reader(req)) ||
	    !worker_project(req, st, api_path_id(req), &p))
		goto out;
	memset(&in, 0, sizeof(in));
	in.number = v[W_NUMBER];
	in.name = v[W_NAME];
	in.id_number = v[W_ID];
	in.gender = v[W_GENDER];
	in.post = v[W_POST];
	err_clear(&err);
	principal_actor(&req->who, http_client_addr(req), &who);
	memset(&guard, 0, sizeof(guard));
	api_probe_subject(req, subject);
	guard.subject = subject;
	if ((st = api_writer_lock(req->api, &err))) {
		rc = worker_add(st, &who, p.id, &in, api_today(req->api), date_now_seconds(),
		                &guard, &w, &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0 && guard.refusal.reason != PROBE_ADMITTED)
		api_probe_refused(req, &guard.refusal);
	else if (rc < 0)
		api_org_fail(req, &err);
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
	char subject[PROBE_SUBJECT_SIZE];
	struct probe_guard guard;
	struct project p;
	struct actor who;
	struct store *st;
	struct err err;
	json_t *counts;
	int rc = -1, i;

	if (req->body_len == 0)
		return http_error(req, HTTP_BAD_REQUEST, "empty_body",
		                  "请求体为空：请上传人员花名册（CSV/TSV）");
	if (!(st = api_req_reader(req)) || !worker_project(req, st, api_path_id(req), &p))
		return 0;
	err_clear(&err);
	principal_actor(&req->who, http_client_addr(req), &who);
	memset(&guard, 0, sizeof(guard));
	api_probe_subject(req, subject);
	guard.subject = subject;
	if ((st = api_writer_lock(req->api, &err))) {
		rc =
		    worker_import_memory(st, &who, p.id, "upload", req->body, req->body_len,
		                         api_today(req->api), date_now_seconds(), &guard, &s, &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0 && guard.refusal.reason != PROBE_ADMITTED)
		return api_probe_refused(req, &guard.refusal);
	if (rc < 0)
		return api_org_fail(req, &err);
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

	if (!(st = api_req_reader(req)))
		return 0;
	err_clear(&err);
	rc = worker_get(st, api_path_id(req), &w, &err);
	if (rc < 0)
		return http_internal(req, &err);
	if (rc == 0)
		return api_not_found(req);
	if (!worker_project(req, st, w.project, &p))
		return 0;
	principal_actor(&req->who, http_client_addr(req), &who);
	rc = -1;
	if ((st = api_writer_lock(req->api, &err))) {
		rc = worker_remove(st, &who, w.id, date_now_seconds(), &w, &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		api_org_fail(req, &err);
	else
		http_json(req, HTTP_OK, json_pack("{s:o}", "worker", worker_json(&w)));
	memset(&w, 0, sizeof(w));
	return 0;
}
