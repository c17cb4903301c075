/*
 * accounts.c - account management for the city administrator
 * (GET/POST /api/v1/accounts, POST /api/v1/accounts/{login}/...) and the
 * district units' pages (GET /api/v1/districts[/{name}], /districts/{name}),
 * the first data with a district scope.  Who may call what is in routes.c;
 * the changes themselves, their rules and their audit-trail entries are
 * the accounts library's (account.h).
 *
 * A one-time password is in the answer that made it and nowhere else: not
 * in the log, not kept by the server.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "date.h"
#include "org.h"

#define SCOPE_MAX 256 /* bytes of a scope's name or code */

static json_t *account_object(const struct account_info *a)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b,s:b,s:I}", "login", a->login, "role",
	                      role_code(a->role), "role_label", role_label(a->role), "org_name",
	                      a->org_name, "disabled", a->disabled, "must_change", a->must_change,
	                      "created_at", (json_int_t)a->created_at);

	if (o && a->last_login)
		json_object_set_new(o, "last_login", json_integer(a->last_login));
	return o;
}

static int append_account(void *arg, const struct account_info *a)
{
	return json_array_append_new(arg, account_object(a)) == 0 ? 0 : -1;
}

/* GET /api/v1/accounts */
int api_accounts_list(struct http_request *req)
{
	struct store *st;
	struct err err;
	json_t *list = json_array();

	err_clear(&err);
	if (!list)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	if (!(st = api_reader(req->api, &err)) ||
	    account_each(st, append_account, list, &err) < 0) {
		json_decref(list);
		return http_internal(req, &err);
	}
	return http_json(req, HTTP_OK, json_pack("{s:o}", "accounts", list));
}

/* The role and scope of a body; 0, or -1 after a 400. */
static int role_scope_of(struct http_request *req, json_t *body, enum role *role, int64_t *org)
{
	const char *code, *scope = "";
	struct store *st;
	struct err err;
	int r;

	if (!(code = api_body_string(req, body, "role", "角色", 32)))
		return -1;
	r = role_parse(code);
	if (r < 0)
		return http_error(req, HTTP_BAD_REQUEST, "bad_role",
		                  "角色“%.32s”不存在：应为 city_admin、city_officer、"
		                  "district_officer、company_user、training_user 或 auditor",
		                  code),
		       -1;
	*role = (enum role)r;
	if (role_scope_kind(*role) && strcmp(role_scope_kind(*role), "city") != 0 &&
	    !(scope =
	          api_body_string(req, body, "scope", "所属区、单位信用代码或培训机构", SCOPE_MAX)))
		return -1;
	err_clear(&err);
	if (!(st = api_reader(req->api, &err)))
		return http_internal(req, &err), -1;
	if (account_scope(st, *role, scope, org, &err) < 0)
		return http_fail(req, HTTP_BAD_REQUEST, "bad_scope", &err), -1;
	return 0;
}

/* POST /api/v1/accounts {"login", "role", "scope"} */
int api_accounts_add(struct http_request *req)
{
	char otp[ACCOUNT_OTP_SIZE] = "";
	struct account_info info;
	struct actor who;
	struct store *st;
	struct err err;
	const char *login;
	enum role role;
	int64_t org = 0;
	json_t *body, *o;
	int rc = -1;

	body = api_body_object(req,
	                       "{\"login\": \"用户名\", \"role\": \"角色\", \"scope\": \"范围\"}");
	if (!body)
		return 0;
	if (!(login = api_body_string(req, body, "login", "用户名", ACCOUNT_LOGIN_SIZE - 1)) ||
	    role_scope_of(req, body, &role, &org) < 0) {
		json_decref(body);
		return 0;
	}
	principal_actor(&req->who, http_client_addr(req), &who);
	err_clear(&err);
	st = api_writer_lock(req->api, &err);
	if (st) {
		rc = account_add(st, &who, login, role, org, NULL, date_now_seconds(), otp, &err);
		if (rc == 0 && account_get(st, login, &info, &err) <= 0)
			rc = -1;
		api_writer_unlock(req->api);
	}
	json_decref(body);
	if (rc < 0) {
		rc = http_fail(req, HTTP_BAD_REQUEST, "bad_account", &err);
	} else {
		o = json_pack("{s:o,s:s}", "account", account_object(&info), "one_time_password",
		              otp);
		rc = http_json(req, HTTP_CREATED, o);
	}
	sodium_memzero(otp, sizeof(otp));
	return rc;
}

/* The account the path names: 1 and *info, 0 after a 404, -1 after a 500. */
static int account_of_path(struct http_request *req, struct account_info *info)
{
	const char *login = http_param(req, 0);
	struct store *st;
	struct err err;
	int rc;

	err_clear(&err);
	if (!login || strlen(login) >= ACCOUNT_LOGIN_SIZE)
		return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个账号"), 0;
	if (!(st = api_reader(req->api, &err)))
		return http_internal(req, &err), -1;
	rc = account_get(st, login, info, &err);
	if (rc < 0)
		return http_internal(req, &err), -1;
	if (rc == 0)
		http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个账号");
	return rc;
}

static int set_disabled(struct http_request *req, int disable)
{
	struct account_info info;
	struct actor who;
	struct store *st;
	struct err err;
	int rc = -1;

	if (account_of_path(req, &info) <= 0)
		return 0;
	if (disable && strcmp(info.login, req->who.login) == 0)
		return http_error(req, HTTP_BAD_REQUEST, "own_account",
		                  "不能停用自己正在使用的账号");
	principal_actor(&req->who, http_client_addr(req), &who);
	err_clear(&err);
	st = api_writer_lock(req->api, &err);
	if (st) {
		rc = account_disable(st, &who, info.login, disable, date_now_seconds(), &err);
		if (rc == 0 && account_get(st, info.login, &info, &err) <= 0)
			rc = -1;
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		return http_fail(req, HTTP_BAD_REQUEST, "bad_account", &err);
	return http_json(req, HTTP_OK, json_pack("{s:o}", "account", account_object(&info)));
}

/* POST /api/v1/accounts/{login}/disable */
int api_accounts_disable(struct http_request *req)
{
	return set_disabled(req, 1);
}

/* POST /api/v1/accounts/{login}/enable */
int api_accounts_enable(struct http_request *req)
{
	return set_disabled(req, 0);
}

/* POST /api/v1/accounts/{login}/reset-password */
int api_accounts_reset(struct http_request *req)
{
	char otp[ACCOUNT_OTP_SIZE] = "";
	struct account_info info;
	struct actor who;
	struct store *st;
	struct err err;
	int rc = -1;

	if (account_of_path(req, &info) <= 0)
		return 0;
	principal_actor(&req->who, http_client_addr(req), &who);
	err_clear(&err);
	st = api_writer_lock(req->api, &err);
	if (st) {
		rc = account_passwd(st, &who, info.login, NULL, date_now_seconds(), otp, &err);
		if (rc == 0 && account_get(st, info.login, &info, &err) <= 0)
			rc = -1;
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		rc = http_fail(req, HTTP_BAD_REQUEST, "bad_account", &err);
	else
		rc = http_json(req, HTTP_OK,
		               json_pack("{s:o,s:s}", "account", account_object(&info),
		                         "one_time_password", otp));
	sodium_memzero(otp, sizeof(otp));
	return rc;
}

/* POST /api/v1/accounts/{login}/scope {"role", "scope"} */
int api_accounts_scope(struct http_request *req)
{
	struct account_info info;
	struct actor who;
	struct store *st;
	struct err err;
	enum role role;
	int64_t org = 0;
	json_t *body;
	int rc = -1;

	if (account_of_path(req, &info) <= 0)
		return 0;
	body = api_body_object(req, "{\"role\": \"角色\", \"scope\": \"范围\"}");
	if (!body)
		return 0;
	if (role_scope_of(req, body, &role, &org) < 0) {
		json_decref(body);
		return 0;
	}
	json_decref(body);
	if (strcmp(info.login, req->who.login) == 0 && role != ROLE_CITY_ADMIN)
		return http_error(req, HTTP_BAD_REQUEST, "own_account",
		                  "不能取消自己的管理员角色（请由另一位管理员操作）");
	principal_actor(&req->who, http_client_addr(req), &who);
	err_clear(&err);
	st = api_writer_lock(req->api, &err);
	if (st) {
		rc = account_set_scope(st, &who, info.login, role, org, date_now_seconds(), &err);
		if (rc == 0 && account_get(st, info.login, &info, &err) <= 0)
			rc = -1;
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		return http_fail(req, HTTP_BAD_REQUEST, "bad_account", &err);
	return http_json(req, HTTP_OK, json_pack("{s:o}", "account", account_object(&info)));
}

/* ------------------------------------------------------------------ */
/* District units */

/* The district unit called name: 1 and *org, 0 none, -1 error. */
static int district_id(struct store *st, const char *name, int64_t *org, struct err *err)
{
	if (strlen(name) > SCOPE_MAX || !http_printable(name, strlen(name)))
		return 0;
	if (account_scope(st, ROLE_DISTRICT_OFFICER, name, org, err) == 0)
		return 1;
	if (err->kind == ERR_INPUT) {
		err_clear(err);
		return 0;
	}
	return -1;
}

int api_scope_district(struct http_request *req, struct route_object *obj, struct err *err)
{
	const char *name = http_param(req, 0);
	struct store *st = api_reader(req->api, err);
	int64_t org = 0;
	int rc;

	if (!st)
		return -1;
	if (!name)
		return 0;
	rc = district_id(st, name, &org, err);
	if (rc == 1)
		obj->district = org;
	return rc;
}

struct district_list {
	const struct principal *who;
	json_t *list;
};

static int append_district(void *arg, const struct org *o)
{
	struct district_list *d = arg;

	if (!principal_sees(d->who, o->id, 0, 0))
		return 0;
	return json_array_append_new(d->list, json_string(o->name)) == 0 ? 0 : -1;
}

/* GET /api/v1/districts: the district units the caller sees, as seeded (org.h). */
int api_districts(struct http_request *req)
{
	struct org_filter f = {.kinds = 1u << ORG_DISTRICT};
	struct district_list d = {&req->who, json_array()};
	struct store *st;
	struct err err;
	int rc;

	err_clear(&err);
	if (!d.list)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	if (!(st = api_reader(req->api, &err))) {
		json_decref(d.list);
		return http_internal(req, &err);
	}
	rc = org_each(st, &f, append_district, &d, &err);
	if (rc != 0) {
		json_decref(d.list);
		if (rc > 0 || err.kind == ERR_NONE)
			return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
		return http_internal(req, &err);
	}
	return http_json(req, HTTP_OK, json_pack("{s:o}", "districts", d.list));
}

struct district_accounts {
	int64_t district;
	json_t *list;
};

static int append_district_account(void *arg, const struct account_info *a)
{
	struct district_accounts *d = arg;

	if (a->district != d->district)
		return 0;
	return json_array_append_new(d->list, account_object(a)) == 0 ? 0 : -1;
}

/* GET /api/v1/districts/{name}: the unit and the accounts in its scope. */
int api_district(struct http_request *req)
{
	struct district_accounts d = {0, json_array()};
	const char *name = http_param(req, 0);
	struct store *st;
	struct err err;

	err_clear(&err);
	if (!d.list)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	if (!(st = api_reader(req->api, &err)) || district_id(st, name, &d.district, &err) != 1 ||
	    account_each(st, append_district_account, &d, &err) < 0) {
		json_decref(d.list);
		if (err.kind == ERR_NONE)
			return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或接口");
		return http_internal(req, &err);
	}
	return http_json(req, HTTP_OK, json_pack("{s:s,s:o}", "name", name, "accounts", d.list));
}

/* GET /districts/{name}: the page (its script asks the API above). */
int api_district_page(struct http_request *req)
{
	return api_page_file(req, "district.html");
}
