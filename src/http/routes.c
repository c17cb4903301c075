/*
 * routes.c - the route table of `opcert serve` (see routes.h): the only
 * place a route is declared, with who may use it.  Handlers and scope
 * resolvers live in src/api/.
 *
 * Threat model: a route added without thought must not open anything.  A
 * route names its roles explicitly (there is no default), the matrix test
 * (tests/http/matrix.tsv) fails for a route it does not list, and every
 * check here runs before the handler sees the request.
 */
#include "routes.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api.h"

#define KiB ((size_t)1024)
#define MiB (KiB * 1024)

/* Bodies: the credential check and the account routes take JSON; a roster
 * comes as the file itself (any of these types, or none: the trailing
 * empty entry) or as a form. */
#define JSON "application/json"
#define ROSTER                                                                                     \
	"text/csv|text/plain|application/octet-stream|application/vnd.ms-excel|multipart/"         \
	"form-data|"

/* Short names for the table. */
#define ANYONE    ROLES_ANYONE
#define SIGNED_IN ROLES_SIGNED_IN
#define ADMIN     ROLE_BIT(ROLE_CITY_ADMIN)
#define PAGE      ROUTE_PAGE
#define EARLY     ROUTE_BEFORE_PASSWORD
#define PUB       ROUTE_PUBLIC_ANSWERS
#define CITY      ROLES_CITY
#define AUDIT     (ROLE_BIT(ROLE_CITY_ADMIN) | ROLE_BIT(ROLE_AUDITOR))

/*
 * Companies and projects (DOMAIN.md section 4): the city sees and runs
 * them all; a district bureau those of its district (it inspects them);
 * a company its own record and the projects it builds or supervises (it
 * registers its projects and keeps its contact details; the bureau
 * registers and closes companies); the auditor reads.  Training
 * institutions have no business with them.  Where the body names a
 * district or a builder, the handlers hold a district officer to their own
 * district and a company user to its own company.  The workers on a
 * project follow the project's rule; a company user registers them only on
 * the projects it builds (workers.c).
 */
#define ORG_READ                                                                                   \
	(CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_COMPANY_USER) |                    \
	 ROLE_BIT(ROLE_AUDITOR))
#define COMPANY_ADD    (CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER))
#define COMPANY_CHANGE (CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_COMPANY_USER))
#define PROJECT_WRITE  (CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_COMPANY_USER))
#define ORG_CLOSE      (CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER))
/* Training institutions: the city registers them; a district bureau sees
 * those of its district, an institution itself, the auditor all. */
#define INST_READ                                                                                  \
	(CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_TRAINING_USER) |                   \
	 ROLE_BIT(ROLE_AUDITOR))

/* clang-format off */
static const struct route routes[] = {
	/* method  path                                         prefix handler                roles           scope               flags              rate          max body   accept  offload log name */
	{"GET",  "/healthz",                                    0, api_healthz,           ANYONE,         NULL,               PUB,               RATE_NONE,    0,         NULL,   0, "/healthz"},
	{"GET",  "/api/v1/verify",                              0, api_verify,            ANYONE,         NULL,               PUB,               RATE_QUERY,   0,         NULL,   0, "/api/v1/verify"},
	{"POST", "/api/v1/verify/credential",                   0, api_verify_credential, ANYONE,         NULL,               PUB,               RATE_QUERY,   16 * KiB,  JSON,   0, "/api/v1/verify/credential"},
	{"POST", "/api/v1/verify/roster",                       0, api_verify_roster,     ROLES_ROSTER,   NULL,               0,                 RATE_QUERY,   8 * MiB,   ROSTER, 1, "/api/v1/verify/roster"},
	{"GET",  "/api/v1/trust-list",                          0, api_trust_list,        ANYONE,         NULL,               PUB,               RATE_NONE,    0,         NULL,   1, "/api/v1/trust-list"},
	{"GET",  "/api/v1/status-list",                         0, api_status_list,       ANYONE,         NULL,               PUB,               RATE_NONE,    0,         NULL,   1, "/api/v1/status-list"},
	{"GET",  "/api/v1/log/checkpoint",                      0, api_log_checkpoint,    ANYONE,         NULL,               PUB,               RATE_QUERY,   0,         NULL,   1, "/api/v1/log/checkpoint"},
	{"GET",  "/api/v1/log/proof",                           0, api_log_proof,         ANYONE,         NULL,               PUB,               RATE_QUERY,   0,         NULL,   1, "/api/v1/log/proof"},
	{"GET",  "/api/v1/openapi.json",                        0, api_openapi,           ANYONE,         NULL,               PUB,               RATE_NONE,    0,         NULL,   0, "/api/v1/openapi.json"},
	{"GET",  "/api/v1/session",                             0, api_session_get,       ANYONE,         NULL,               0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/session"},
	{"POST", "/api/v1/session",                             0, api_session_new,       ANYONE,         NULL,               0,                 RATE_SIGN_IN, 4 * KiB,   JSON,   1, "/api/v1/session"},
	{"POST", "/api/v1/session/logout",                      0, api_session_logout,    SIGNED_IN,      NULL,               EARLY,             RATE_NONE,    1 * KiB,   JSON "|", 0, "/api/v1/session/logout"},
	{"POST", "/api/v1/password",                            0, api_password,          SIGNED_IN,      NULL,               EARLY,             RATE_SIGN_IN, 4 * KiB,   JSON,   1, "/api/v1/password"},
	{"GET",  "/api/v1/accounts",                            0, api_accounts_list,     ADMIN,          NULL,               0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/accounts"},
	{"POST", "/api/v1/accounts",                            0, api_accounts_add,      ADMIN,          NULL,               0,                 RATE_NONE,    4 * KiB,   JSON,   1, "/api/v1/accounts"},
	{"POST", "/api/v1/accounts/{login}/disable",            0, api_accounts_disable,  ADMIN,          NULL,               0,                 RATE_NONE,    1 * KiB,   JSON "|", 0, "/api/v1/accounts/{login}/disable"},
	{"POST", "/api/v1/accounts/{login}/enable",             0, api_accounts_enable,   ADMIN,          NULL,               0,                 RATE_NONE,    1 * KiB,   JSON "|", 0, "/api/v1/accounts/{login}/enable"},
	{"POST", "/api/v1/accounts/{login}/reset-password",     0, api_accounts_reset,    ADMIN,          NULL,               0,                 RATE_NONE,    1 * KiB,   JSON "|", 1, "/api/v1/accounts/{login}/reset-password"},
	{"POST", "/api/v1/accounts/{login}/scope",              0, api_accounts_scope,    ADMIN,          NULL,               0,                 RATE_NONE,    4 * KiB,   JSON,   0, "/api/v1/accounts/{login}/scope"},
	{"GET",  "/api/v1/districts",                           0, api_districts,         ROLES_DISTRICT, NULL,               0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/districts"},
	{"GET",  "/api/v1/districts/{name}",                    0, api_district,          ROLES_DISTRICT, api_scope_district, 0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/districts/{name}"},
	{"GET",  "/api/v1/companies",                           0, api_companies_list,    ORG_READ,       NULL,               0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/companies"},
	{"POST", "/api/v1/companies",                           0, api_companies_add,     COMPANY_ADD,    NULL,               0,                 RATE_NONE,    4 * KiB,   JSON,   0, "/api/v1/companies"},
	{"GET",  "/api/v1/companies/{uscc}",                    0, api_company_get,       ORG_READ,       api_scope_company,  0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/companies/{uscc}"},
	{"POST", "/api/v1/companies/{uscc}/change",             0, api_company_change,    COMPANY_CHANGE, api_scope_company,  0,                 RATE_NONE,    4 * KiB,   JSON,   0, "/api/v1/companies/{uscc}/change"},
	{"POST", "/api/v1/companies/{uscc}/close",              0, api_company_close,     ORG_CLOSE,      api_scope_company,  0,                 RATE_NONE,    1 * KiB,   JSON "|", 0, "/api/v1/companies/{uscc}/close"},
	{"GET",  "/api/v1/projects",                            0, api_projects_list,     ORG_READ,       NULL,               0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/projects"},
	{"POST", "/api/v1/projects",                            0, api_projects_add,      PROJECT_WRITE,  NULL,               0,                 RATE_NONE,    4 * KiB,   JSON,   0, "/api/v1/projects"},
	{"GET",  "/api/v1/projects/{id}",                       0, api_project_get,       ORG_READ,       api_scope_project,  0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/projects/{id}"},
	{"POST", "/api/v1/projects/{id}/change",                0, api_project_change,    PROJECT_WRITE,  api_scope_project,  0,                 RATE_NONE,    4 * KiB,   JSON,   0, "/api/v1/projects/{id}/change"},
	{"POST", "/api/v1/projects/{id}/close",                 0, api_project_close,     ORG_CLOSE,      api_scope_project,  0,                 RATE_NONE,    1 * KiB,   JSON "|", 0, "/api/v1/projects/{id}/close"},
	{"GET",  "/api/v1/projects/{id}/workers",               0, api_project_workers,   ORG_READ,       api_scope_project,  0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/projects/{id}/workers"},
	{"POST", "/api/v1/projects/{id}/workers",               0, api_project_worker_add, PROJECT_WRITE, api_scope_project,  0,                 RATE_NONE,    4 * KiB,   JSON,   0, "/api/v1/projects/{id}/workers"},
	{"POST", "/api/v1/projects/{id}/workers/import",        0, api_project_workers_import, PROJECT_WRITE, api_scope_project, 0,             RATE_NONE,    8 * MiB,   ROSTER, 1, "/api/v1/projects/{id}/workers/import"},
	{"POST", "/api/v1/workers/{id}/remove",                 0, api_worker_remove,     PROJECT_WRITE,  api_scope_worker,   0,                 RATE_NONE,    1 * KiB,   JSON "|", 0, "/api/v1/workers/{id}/remove"},
	{"GET",  "/api/v1/institutions",                        0, api_institutions_list, INST_READ,      NULL,               0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/institutions"},
	{"POST", "/api/v1/institutions",                        0, api_institutions_add,  CITY,           NULL,               0,                 RATE_NONE,    4 * KiB,   JSON,   0, "/api/v1/institutions"},
	{"GET",  "/api/v1/institutions/{id}",                   0, api_institution_get,   INST_READ,      api_scope_institution, 0,              RATE_NONE,    0,         NULL,   0, "/api/v1/institutions/{id}"},
	{"POST", "/api/v1/institutions/{id}/change",            0, api_institution_change, CITY,          api_scope_institution, 0,              RATE_NONE,    4 * KiB,   JSON,   0, "/api/v1/institutions/{id}/change"},
	{"POST", "/api/v1/institutions/{id}/close",             0, api_institution_close, CITY,           api_scope_institution, 0,              RATE_NONE,    1 * KiB,   JSON "|", 0, "/api/v1/institutions/{id}/close"},
	{"GET",  "/api/v1/certificates/{number}",               0, api_certificate,       SIGNED_IN,      NULL,               0,                 RATE_QUERY,   0,         NULL,   1, "/api/v1/certificates/{number}"},
	{"GET",  "/api/v1/audit",                               0, api_audit_list,        AUDIT,          NULL,               0,                 RATE_NONE,    0,         NULL,   1, "/api/v1/audit"},
	{"GET",  "/api/v1/audit/verify",                        0, api_audit_verify,      AUDIT,          NULL,               0,                 RATE_NONE,    0,         NULL,   1, "/api/v1/audit/verify"},
	{"GET",  "/api/v1/probes",                              0, api_probes_list,       CITY,           NULL,               0,                 RATE_NONE,    0,         NULL,   0, "/api/v1/probes"},
	{"POST", "/api/v1/probes/clear",                        0, api_probes_clear,      ADMIN,          NULL,               0,                 RATE_NONE,    1 * KiB,   JSON,   0, "/api/v1/probes/clear"},
	{"GET",  "/",                                           0, api_page,              ANYONE,         NULL,               PAGE | PUB,        RATE_NONE,    0,         NULL,   0, "/"},
	{"GET",  "/scan",                                       0, api_page,              ANYONE,         NULL,               PAGE | PUB,        RATE_NONE,    0,         NULL,   0, "/scan"},
	{"GET",  "/v",                                          0, api_page,              ANYONE,         NULL,               PAGE | PUB,        RATE_NONE,    0,         NULL,   0, "/v"},
	{"GET",  "/help",                                       0, api_page,              ANYONE,         NULL,               PAGE | PUB,        RATE_NONE,    0,         NULL,   0, "/help"},
	{"GET",  "/login",                                      0, api_page,              ANYONE,         NULL,               PAGE | PUB,        RATE_NONE,    0,         NULL,   0, "/login"},
	{"GET",  "/password",                                   0, api_page,              SIGNED_IN,      NULL,               PAGE | EARLY,      RATE_NONE,    0,         NULL,   0, "/password"},
	{"GET",  "/home",                                       0, api_page,              SIGNED_IN,      NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/home"},
	{"GET",  "/batch",                                      0, api_page,              ROLES_ROSTER,   NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/batch"},
	{"GET",  "/accounts",                                   0, api_page,              ADMIN,          NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/accounts"},
	{"GET",  "/districts/{name}",                           0, api_district_page,     ROLES_DISTRICT, api_scope_district, PAGE,              RATE_NONE,    0,         NULL,   0, "/districts/{name}"},
	{"GET",  "/companies",                                  0, api_org_page,          ORG_READ,       NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/companies"},
	{"GET",  "/companies/{uscc}",                           0, api_org_page,          ORG_READ,       api_scope_company,  PAGE,              RATE_NONE,    0,         NULL,   0, "/companies/{uscc}"},
	{"GET",  "/projects",                                   0, api_org_page,          ORG_READ,       NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/projects"},
	{"GET",  "/projects/{id}",                              0, api_org_page,          ORG_READ,       api_scope_project,  PAGE,              RATE_NONE,    0,         NULL,   0, "/projects/{id}"},
	{"GET",  "/institutions",                               0, api_org_page,          INST_READ,      NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/institutions"},
	{"GET",  "/institutions/{id}",                          0, api_org_page,          INST_READ,      api_scope_institution, PAGE,           RATE_NONE,    0,         NULL,   0, "/institutions/{id}"},
	{"GET",  "/certificates/{number}",                      0, api_certificate_page,  SIGNED_IN,      NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/certificates/{number}"},
	{"GET",  "/audit",                                      0, api_org_page,          AUDIT,          NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/audit"},
	{"GET",  "/probes",                                     0, api_page,              CITY,           NULL,               PAGE,              RATE_NONE,    0,         NULL,   0, "/probes"},
	{"GET",  "/static/",                                    1, api_static,            ANYONE,         NULL,               PUB,               RATE_NONE,    0,         NULL,   0, "/static/*"},
};
/* clang-format on */

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

/*
 * Whether path matches the route; with params, its "{name}" segments are
 * stored there (pointers into path with their lengths).
 */
static int path_matches(const struct route *r, const char *path, const char **start, size_t *len)
{
	const char *p = r->path, *q = path;
	size_t n = 0;

	if (r->prefix)
		return strncmp(path, r->path, strlen(r->path)) == 0;
	while (*p) {
		if (*p == '{') {
			const char *seg = q;

			while (*q && *q != '/')
				q++;
			if (q == seg || n == HTTP_PARAMS_MAX)
				return 0;
			if (start) {
				start[n] = seg;
				len[n] = (size_t)(q - seg);
			}
			n++;
			p = strchr(p, '}');
			if (!p)
				return 0;
			p++;
			continue;
		}
		if (*p != *q)
			return 0;
		p++;
		q++;
	}
	return *q == '\0';
}

const struct route *route_find(const char *method, const char *path, const char **allow)
{
	int head = strcmp(method, "HEAD") == 0;
	size_t i;

	*allow = NULL;
	for (i = 0; i < NROUTES; i++) {
		if (!path_matches(&routes[i], path, NULL, NULL))
			continue;
		if (strcmp(method, routes[i].method) == 0 ||
		    (head && strcmp(routes[i].method, "GET") == 0))
			return &routes[i];
		/* A path may be both GET and POST (/api/v1/session). */
		if (*allow && strcmp(*allow, routes[i].method) != 0)
			*allow = "GET, HEAD, POST";
		else if (!*allow)
			*allow =
			    strcmp(routes[i].method, "GET") == 0 ? "GET, HEAD" : routes[i].method;
	}
	return NULL;
}

int route_bind(struct http_request *req)
{
	const char *start[HTTP_PARAMS_MAX];
	size_t len[HTTP_PARAMS_MAX], i;

	req->nparams = 0;
	if (!req->route || req->route->prefix)
		return 0;
	memset(start, 0, sizeof(start));
	if (!path_matches(req->route, req->path, start, len))
		return 0;
	for (i = 0; i < HTTP_PARAMS_MAX && start[i]; i++) {
		req->params[i] = arena_strndup(&req->arena, start[i], len[i]);
		if (!req->params[i])
			return -1;
		req->nparams++;
	}
	return 0;
}

int route_is_public(const struct route *route)
{
	return (route->roles & ROLES_ANYONE) != 0;
}

/* /login?next=PATH for a page that needs an account (PATH as requested, encoded). */
static int to_login(struct http_request *req)
{
	static const char hex[] = "0123456789ABCDEF";
	char *loc;
	const unsigned char *p;
	size_t n = 0, cap = strlen(req->path) * 3 + sizeof("/login?next=");

	loc = arena_alloc(&req->arena, cap);
	if (!loc)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	n = (size_t)snprintf(loc, cap, "/login?next=");
	for (p = (const unsigned char *)req->path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-_.~", *p)) {
			loc[n++] = (char)*p;
		} else {
			loc[n++] = '%';
			loc[n++] = hex[*p >> 4];
			loc[n++] = hex[*p & 15];
		}
	}
	loc[n] = '\0';
	return http_redirect(req, loc);
}

/*
 * The answer for an object that is missing or outside the caller's scope:
 * the same bytes either way.  Pages get a page a person can read (web/
 * not-found.html in the shared frame, api_not_found_page), the API its
 * JSON error.
 */
static int not_found(struct http_request *req, int page)
{
	if (page)
		return api_not_found_page(req);
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或接口");
}

/* The session's CSRF token, compared in constant time. */
static int csrf_ok(const struct http_request *req)
{
	size_t n = strlen(req->csrf);

	return n > 0 && req->csrf_header && strlen(req->csrf_header) == n &&
	       sodium_memcmp(req->csrf_header, req->csrf, n) == 0;
}

int route_allows(struct http_request *req)
{
	const struct route *route = req->route;
	int page = (route->flags & ROUTE_PAGE) != 0;
	struct route_object obj;
	struct err err;
	int rc;

	if (route_is_public(route))
		return 1;
	if (!req->signed_in) {
		if (page)
			return to_login(req), 0;
		return http_error(req, HTTP_UNAUTHORIZED, "unauthenticated",
		                  "请先登录（会话不存在或已过期）"),
		       0;
	}
	if (req->who.must_change && !(route->flags & ROUTE_BEFORE_PASSWORD)) {
		if (page)
			return http_redirect(req, "/password"), 0;
		return http_error(req, HTTP_FORBIDDEN, "password_change_required",
		                  "请先修改初始密码，然后才能使用其他功能"),
		       0;
	}
	if (!(route->roles & ROLE_BIT(req->who.role)))
		return http_error(req, HTTP_FORBIDDEN, "forbidden", "您的角色（%s）无权使用此功能",
		                  role_label(req->who.role)),
		       0;
	if (strcmp(route->method, "POST") == 0 && !req->by_token && !csrf_ok(req))
		return http_error(req, HTTP_FORBIDDEN, "csrf_failed",
		                  "请求缺少有效的防伪令牌（X-CSRF-Token），请刷新页面后重试"),
		       0;
	if (route->scope) {
		memset(&obj, 0, sizeof(obj));
		err_clear(&err);
		rc = route->scope(req, &obj, &err);
		if (rc < 0)
			return http_internal(req, &err), 0;
		/* Missing and out of scope: the same answer. */
		if (rc == 0 ||
		    !principal_sees(&req->who, obj.district, obj.company, obj.institution))
			return not_found(req, page), 0;
	}
	return 1;
}
