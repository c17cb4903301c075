/*
 * routes.h - the one table of everything `opcert serve` answers (routes.c):
 * method, path, handler, who may use it, whether its answers follow the
 * public rules and are rate-limited, the largest body it takes and whether
 * it runs on a job thread.  serve.c dispatches from it; the OpenAPI
 * document (web/openapi.json) describes it and tests/http/t_http.sh checks
 * that it describes every route.
 */
#ifndef OPCERT_ROUTES_H
#define OPCERT_ROUTES_H

#include <stddef.h>

#include "http.h"

/* Who may use a route. */
enum route_access {
	/* Anyone, for good: the public check, the verifier's files, the pages. */
	ROUTE_PUBLIC = 0,
	/*
	 * Anyone for now; the accounts issue restricts it to companies and
	 * officers (its full verdicts name mismatched fields).
	 */
	ROUTE_OPEN_UNTIL_ACCOUNTS,
};

typedef int (*route_handler)(struct http_request *req);

struct route {
	const char *method; /* "GET" (HEAD is answered the same, without the body) or "POST" */
	const char *path;   /* exact, or a prefix ending in "/" when prefix is set */
	int prefix;
	route_handler handler;
	enum route_access access;
	/* Answers anyone may see (DOMAIN.md section 6: masked ID numbers, no
	 * way to tell "no such certificate" from "wrong name"). */
	int public_answers;
	int rate_limited; /* counts against the client's token bucket */
	size_t max_body;  /* bytes; 0 = no body */
	/* The media types a body may have, '|'-separated ("" stands for a
	 * request without Content-Type); multipart/form-data means one file
	 * field, whose content becomes the body.  NULL when no body. */
	const char *accept;
	int offload;          /* may take long (a roster, signing, a proof): runs on a job thread */
	const char *log_name; /* the route in the access log */
};

/*
 * The route for method and path.  NULL when there is none: *allow is then
 * the methods the path does take ("GET, HEAD" or "POST") for a 405, or NULL
 * for a 404.
 */
const struct route *route_find(const char *method, const char *path, const char **allow);
/*
 * 1 when the request may use its route.  Every route is open today; the
 * accounts issue adds the roles (and the check here) for the routes whose
 * access it changes in the table.
 */
int route_allows(const struct route *route, const struct http_request *req);

#endif
