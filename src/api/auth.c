/*
 * auth.c - who is asking, and the routes that sign in and out:
 * authentication of every request (a session cookie or an API token),
 * POST/GET /api/v1/session, POST /api/v1/session/logout and
 * POST /api/v1/password.  Accounts, passwords and sessions themselves are
 * the accounts library's (account.h); this file carries them over HTTP.
 *
 * Threat model: clients that guess passwords (the library locks an
 * account after failures, serve.c limits sign-ins per client) or logins
 * (a login that names no account locks the same way, counted in the
 * server's memory, so 401 and 429 tell nothing about which exist), that steal
 * or forge cookies (a session token is 256 random bits, stored hashed, in
 * an HttpOnly, SameSite=Strict cookie, Secure over TLS, that idles out),
 * that make a signed-in browser send requests (every POST authenticated
 * by the cookie carries the session's CSRF token, checked in routes.c;
 * signing in itself checks the Origin, so no other site can sign a
 * browser into an account of its choosing), and that read logs: no
 * password and no token is ever logged, and the request bodies that held
 * a password are wiped once read.
 *
 * Sign-in and password changes cost an Argon2id hash (tens of
 * milliseconds): their routes run on a job thread (routes.c).
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "api.h"
#include "authhdr.h"
#include "date.h"

#define JSON_TYPE "application/json; charset=utf-8"

#define SESSION_COOKIE "opcert_session"
#define TOUCH_SECONDS  60   /* a session's use is recorded at most this often */
#define PASSWORD_MAX   1024 /* bytes of a password the server reads */

int api_authenticate(struct http_request *req, struct err *err)
{
	char token[ACCOUNT_TOKEN_SIZE];
	struct store *st;
	int rc = 0, bearer = 0, cookie = 0;

	req->signed_in = 0;
	req->by_token = 0;
	if (req->authorization)
		bearer = authhdr_bearer(req->authorization, token);
	else if (req->cookie)
		cookie = authhdr_cookie(req->cookie, SESSION_COOKIE, token);
	if (!bearer && !cookie)
		return 0;
	st = api_reader(req->api, err);
	if (!st) {
		rc = -1;
		goto out;
	}
	if (bearer) {
		rc = account_token_auth(st, token, date_now_seconds(), &req->who, err);
		if (rc == 1)
			req->signed_in = req->by_token = 1;
	} else {
		rc = account_session(st, token, date_now_seconds(), &req->who, req->csrf,
		                     &req->session_seen, err);
		if (rc == 1) {
			req->signed_in = 1;
			memcpy(req->session, token, sizeof(token));
		}
	}
	rc = rc < 0 ? -1 : 0;
out:
	sodium_memzero(token, sizeof(token));
	return rc;
}

void api_session_touch(struct http_request *req)
{
	struct store *st;
	struct err err;
	int64_t now = date_now_seconds();

	if (!req->signed_in || req->by_token || !req->session[0] ||
	    now - req->session_seen < TOUCH_SECONDS)
		return;
	err_clear(&err);
	st = api_writer_lock(req->api, &err);
	if (st) {
		if (account_session_touch(st, req->session, now, &err) == 0)
			req->session_seen = now;
		api_writer_unlock(req->api);
	}
	if (err.kind != ERR_NONE)
		http_log("error", "无法记录会话的使用时间：%s", err.msg);
}

/* ------------------------------------------------------------------ */
/* Helpers for the handlers */

json_t *api_principal_object(const struct principal *p)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:b}", "login", p->login, "role",
	                      role_code(p->role), "role_label", role_label(p->role), "org_name",
	                      p->org_name, "must_change", p->must_change);

	if (o && role_scope_kind(p->role))
		json_object_set_new(o, "scope_kind", json_string(role_scope_kind(p->role)));
	return o;
}

/* The session cookie, set (token) or cleared (NULL). */
static int set_session_cookie(struct http_request *req, const char *token)
{
	char buf[256];
	int n;

	n = snprintf(
	    buf, sizeof(buf), SESSION_COOKIE "=%s; Path=/; Max-Age=%d; HttpOnly; SameSite=Strict%s",
	    token ? token : "", token ? ACCOUNT_SESSION_MAX : 0, req->tls ? "; Secure" : "");
	req->reply.set_cookie = arena_strndup(&req->arena, buf, (size_t)n);
	sodium_memzero(buf, sizeof(buf));
	return req->reply.set_cookie ? 0 : -1;
}

/*
 * The JSON object of a body that must be one; NULL after a 400.  The body
 * is wiped once parsed (it may hold a password).
 */
json_t *api_body_object(struct http_request *req, const char *shape)
{
	json_error_t jerr;
	json_t *o;

	o = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	if (req->body)
		sodium_memzero(req->body, req->body_len);
	if (!o || !json_is_object(o)) {
		json_decref(o);
		http_error(req, HTTP_BAD_REQUEST, "bad_json", "请求体应为 JSON 对象：%s", shape);
		return NULL;
	}
	return o;
}

/* A string member of o, 1..max bytes of printable text; NULL after a 400. */
const char *api_body_string(struct http_request *req, json_t *o, const char *key, const char *label,
                            size_t max)
{
	json_t *v = json_object_get(o, key);
	size_t len;

	if (!json_is_string(v)) {
		http_error(req, HTTP_BAD_REQUEST, "missing_field", "缺少字段 %s（%s）", key, label);
		return NULL;
	}
	len = json_string_length(v);
	if (len == 0 || len > max || strlen(json_string_value(v)) != len ||
	    !http_printable(json_string_value(v), len)) {
		http_error(req, HTTP_BAD_REQUEST, "bad_field",
		           "字段 %s（%s）应为 1 至 %zu 字节的文本", key, label, max);
		return NULL;
	}
	return json_string_value(v);
}

/* Wipe the string members of o named in keys (passwords), then free o. */
void api_body_free(json_t *o, const char *const *keys)
{
	json_t *v;

	for (; o && keys && *keys; keys++) {
		v = json_object_get(o, *keys);
		if (json_is_string(v))
			sodium_memzero((char *)json_string_value(v), json_string_length(v));
	}
	json_decref(o);
}

/*
 * Signing in from a page of another site would sign the browser into an
 * account of that site's choosing (login CSRF).  Browsers send Origin with
 * every POST; when there is one, its host must be this server's.  Clients
 * that send none (curl, scripts) are not browsers a site could drive.
 */
static int origin_ok(const struct http_request *req)
{
	const char *o = req->origin, *host;

	if (!o)
		return 1;
	host = strstr(o, "://");
	if (!host || !req->host)
		return 0;
	host += 3;
	return strcasecmp(host, req->host) == 0;
}

/* ------------------------------------------------------------------ */
/* GET /api/v1/session */

int api_session_get(struct http_request *req)
{
	json_t *o;

	if (!req->signed_in)
		return http_json(req, HTTP_OK, json_pack("{s:b}", "signed_in", 0));
	o = json_pack("{s:b,s:o,s:b}", "signed_in", 1, "principal", api_principal_object(&req->who),
	              "must_change", req->who.must_change);
	if (o && !req->by_token)
		json_object_set_new(o, "csrf", json_string(req->csrf));
	return http_json(req, HTTP_OK, o);
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/session {"login", "password"} */

int api_session_new(struct http_request *req)
{
	static const char *const secrets[] = {"password", NULL};
	enum account_login_result result = ACCOUNT_LOGIN_BAD;
	struct principal p;
	char token[ACCOUNT_TOKEN_SIZE] = "", csrf[ACCOUNT_CSRF_SIZE] = "";
	const char *login, *password;
	struct store *st;
	struct err err;
	int64_t retry = 0;
	json_t *body = NULL, *o;
	int rc;

	if (!origin_ok(req))
		return http_error(req, HTTP_FORBIDDEN, "bad_origin",
		                  "登录请求来自其他网站，已拒绝（请直接打开本站的登录页）");
	body = api_body_object(req, "{\"login\": \"用户名\", \"password\": \"密码\"}");
	if (!body)
		return 0;
	if (!(login = api_body_string(req, body, "login", "用户名", ACCOUNT_LOGIN_SIZE - 1)) ||
	    !(password = api_body_string(req, body, "password", "密码", PASSWORD_MAX))) {
		api_body_free(body, secrets);
		return 0;
	}
	err_clear(&err);
	memset(&p, 0, sizeof(p));
	st = api_writer_lock(req->api, &err);
	if (st) {
		rc = account_login(st, api_unknown_logins(req->api), login, password,
		                   http_client_addr(req), date_now_seconds(), &p, token, csrf,
		                   &result, &retry, &err);
		api_writer_unlock(req->api);
	} else {
		rc = -1;
	}
	api_body_free(body, secrets);
	if (rc < 0) {
		rc = http_internal(req, &err);
		goto out;
	}
	switch (result) {
	case ACCOUNT_LOGIN_OK:
		if (set_session_cookie(req, token) < 0) {
			rc = http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
			break;
		}
		o = json_pack("{s:b,s:o,s:s,s:b}", "signed_in", 1, "principal",
		              api_principal_object(&p), "csrf", csrf, "must_change", p.must_change);
		rc = http_json(req, HTTP_OK, o);
		break;
	case ACCOUNT_LOGIN_LOCKED:
		req->reply.retry_after = retry > 0 ? (unsigned)retry : 1;
		rc = http_error(req, HTTP_TOO_MANY_REQUESTS, "account_locked",
		                "登录失败次数过多，账号已暂时锁定，请 %u 秒后再试",
		                req->reply.retry_after);
		break;
	default:
		rc = http_error(req, HTTP_UNAUTHORIZED, "bad_credentials", "用户名或密码错误");
		break;
	}
out:
	sodium_memzero(token, sizeof(token));
	sodium_memzero(csrf, sizeof(csrf));
	return rc;
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/session/logout */

int api_session_logout(struct http_request *req)
{
	struct actor who;
	struct store *st;
	struct err err;
	int rc = -1;

	if (req->by_token)
		return http_error(
		    req, HTTP_BAD_REQUEST, "not_a_session",
		    "API 令牌无需退出登录；不再使用时请由管理员吊销（opcert token revoke）");
	principal_actor(&req->who, http_client_addr(req), &who);
	err_clear(&err);
	st = api_writer_lock(req->api, &err);
	if (st) {
		rc = account_logout(st, &who, req->session, date_now_seconds(), &err);
		api_writer_unlock(req->api);
	}
	if (rc < 0)
		return http_internal(req, &err);
	if (set_session_cookie(req, NULL) < 0)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	return http_json(req, HTTP_OK, json_pack("{s:b}", "signed_in", 0));
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/password {"old_password", "new_password"} */

int api_password(struct http_request *req)
{
	static const char *const secrets[] = {"old_password", "new_password", NULL};
	char token[ACCOUNT_TOKEN_SIZE] = "", csrf[ACCOUNT_CSRF_SIZE] = "";
	const char *old_pw, *new_pw;
	struct actor who;
	struct store *st;
	struct err err;
	json_t *body;
	int rc = -1;

	body = api_body_object(req, "{\"old_password\": \"原密码\", \"new_password\": \"新密码\"}");
	if (!body)
		return 0;
	if (!(old_pw = api_body_string(req, body, "old_password", "原密码", PASSWORD_MAX)) ||
	    !(new_pw = api_body_string(req, body, "new_password", "新密码", PASSWORD_MAX))) {
		api_body_free(body, secrets);
		return 0;
	}
	principal_actor(&req->who, http_client_addr(req), &who);
	err_clear(&err);
	st = api_writer_lock(req->api, &err);
	if (st) {
		rc = account_change_password(st, &who, req->who.login, old_pw, new_pw,
		                             date_now_seconds(), &err);
		/* The change ended every session of the account, this one too:
		 * a browser signed in with the old password goes on in a new one. */
		if (rc == 0 && !req->by_token) {
			struct principal p;
			enum account_login_result result = ACCOUNT_LOGIN_BAD;
			int64_t retry = 0;

			if (account_login(st, api_unknown_logins(req->api), req->who.login, new_pw,
			                  http_client_addr(req), date_now_seconds(), &p, token,
			                  csrf, &result, &retry, &err) < 0)
				rc = -2;
			else if (result != ACCOUNT_LOGIN_OK)
				token[0] = csrf[0] = '\0';
		}
		api_writer_unlock(req->api);
	}
	api_body_free(body, secrets);
	if (rc == -2) {
		rc = http_internal(req, &err);
	} else if (rc < 0) {
		rc = http_fail(req, HTTP_BAD_REQUEST, "bad_password", &err);
	} else if (token[0] && set_session_cookie(req, token) < 0) {
		rc = http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	} else {
		rc = http_json(req, HTTP_OK,
		               token[0] ? json_pack("{s:b,s:s}", "must_change", 0, "csrf", csrf)
		                        : json_pack("{s:b}", "must_change", 0));
	}
	sodium_memzero(token, sizeof(token));
	sodium_memzero(csrf, sizeof(csrf));
	return rc;
}
