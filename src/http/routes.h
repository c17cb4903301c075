/*
 * routes.h - the one table of everything `opcert serve` answers (routes.c):
 * method, path, handler, who may use it (the roles it admits and the scope
 * rule of the object it names), whether its answers follow the public
 * rules, how it is rate-limited, the largest body it takes and whether it
 * runs on a job thread.  serve.c dispatches from it and runs route_allows()
 * before every handler; the OpenAPI document (web/openapi.json) describes
 * it, tests/http/t_http.sh checks that it describes every route and
 * tests/http/matrix.tsv gives every route's answer for every role.
 *
 * Authorisation, in the order route_allows() applies it:
 *   1. a route that admits ROLE_PUBLIC is open to anyone, signed in or not;
 *   2. no valid session cookie or API token: 401 (API), or a redirect to
 *      /login?next=PATH (pages);
 *   3. an account signed in with a one-time password may use only the
 *      routes marked ROUTE_BEFORE_PASSWORD until it has changed it: 403
 *      password_change_required (pages: a redirect to /password);
 *   4. a role the route does not admit: 403 forbidden;
 *   5. a POST authenticated by the session cookie must carry the session's
 *      CSRF token in X-CSRF-Token: 403 csrf_failed (API tokens need none:
 *      a browser never sends them by itself);
 *   6. a route with a scope resolver looks up the object its path names;
 *      a missing object and one outside the caller's scope give the same
 *      404, so ids cannot be probed.
 */
#ifndef OPCERT_ROUTES_H
#define OPCERT_ROUTES_H

#include <stddef.h>
#include <stdint.h>

#include "account.h"
#include "http.h"

/* A set of roles (enum role, account.h) as a bit mask. */
#define ROLE_BIT(r) (1u << (r))
/* Anyone: the public check, the verifier's files, the public pages. */
#define ROLES_ANYONE ROLE_BIT(ROLE_PUBLIC)
#define ROLES_CITY   (ROLE_BIT(ROLE_CITY_ADMIN) | ROLE_BIT(ROLE_CITY_OFFICER))
/* Every account, whatever its role. */
#define ROLES_SIGNED_IN                                                                            \
	(ROLES_CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_COMPANY_USER) |              \
	 ROLE_BIT(ROLE_TRAINING_USER) | ROLE_BIT(ROLE_AUDITOR))
/*
 * Roster verification (full verdicts, which name mismatched fields):
 * companies checking their workers, officers checking a site, the city.
 * Not training institutions (they check one certificate at a time, with
 * the public check) nor auditors (who read the record, not the workers).
 */
#define ROLES_ROSTER (ROLES_CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_COMPANY_USER))
/* A district's own data: the city, its officers, the auditor. */
#define ROLES_DISTRICT (ROLES_CITY | ROLE_BIT(ROLE_DISTRICT_OFFICER) | ROLE_BIT(ROLE_AUDITOR))

/* Flags of a route. */
enum {
	/* An HTML page: no credentials redirect to the sign-in page. */
	ROUTE_PAGE = 1 << 0,
	/* Open to an account that must still change its one-time password. */
	ROUTE_BEFORE_PASSWORD = 1 << 1,
	/* Answers anyone may see (DOMAIN.md section 6: masked ID numbers, no
	 * way to tell "no such certificate" from "wrong name"). */
	ROUTE_PUBLIC_ANSWERS = 1 << 2,
};

/* Which token bucket a request takes from (serve.c). */
enum route_rate {
	RATE_NONE = 0,
	RATE_QUERY,   /* reads of the register: --rate-limit */
	RATE_SIGN_IN, /* password checks: --sign-in-rate, much stricter */
};

/* What an object belongs to, for principal_sees() (0 = none). */
struct route_object {
	int64_t district;
	int64_t company;
	int64_t institution;
};

typedef int (*route_handler)(struct http_request *req);
/*
 * A scope resolver: the object the request's path names (its parameters,
 * http_param()).  1 found and *obj filled, 0 no such object, -1 a system
 * error in err.  One per kind of object (api.h: api_scope_district; the
 * companies' and projects' routes add theirs).
 */
typedef int (*route_scope)(struct http_request *req, struct route_object *obj, struct err *err);

struct route {
	const char *method; /* "GET" (HEAD is answered the same, without the body) or "POST" */
	/* Exact; a segment "{name}" matches any one non-empty segment (a
	 * parameter, as in the OpenAPI document); with prefix set, a prefix
	 * ending in "/". */
	const char *path;
	int prefix;
	route_handler handler;
	unsigned roles;    /* ROLES_*, a mask of ROLE_BIT(role) */
	route_scope scope; /* NULL: the route names no object */
	unsigned flags;    /* ROUTE_* */
	enum route_rate rate;
	size_t max_body; /* bytes; 0 = no body */
	/* The media types a body may have, '|'-separated ("" stands for a
	 * request without Content-Type); multipart/form-data means one file
	 * field, whose content becomes the body.  NULL when no body. */
	const char *accept;
	int offload; /* may take long (a roster, signing, a proof, a password): a job thread */
	const char *log_name; /* the route in the access log */
};

/*
 * The route for method and path.  NULL when there is none: *allow is then
 * the methods the path does take ("GET, HEAD" or "POST") for a 405, or NULL
 * for a 404.
 */
const struct route *route_find(const char *method, const char *path, const char **allow);
/* The path parameters of req->route copied into req (http_param); -1 out of memory. */
int route_bind(struct http_request *req);
/*
 * Whether the request (authenticated already: req->who) may use its route,
 * by the rules above.  1 yes; 0 no, with the reply (401, 403, 404, a
 * redirect, or a 500 when a scope could not be looked up) filled in.
 */
int route_allows(struct http_request *req);
/* 1 when the route is open to anyone. */
int route_is_public(const struct route *route);

#endif
