/*
 * routes.c - the route table of `opcert serve` (see routes.h): the only
 * place a route is declared.  Handlers live in api.c.
 */
#include "routes.h"

#include <string.h>

#include "api.h"

#define KiB ((size_t)1024)
#define MiB (KiB * 1024)

/* Bodies: the credential check takes JSON; a roster comes as the file itself
 * (any of these types, or none: the trailing empty entry) or as a form. */
#define JSON "application/json"
#define ROSTER                                                                                     \
	"text/csv|text/plain|application/octet-stream|application/vnd.ms-excel|multipart/"         \
	"form-data|"

/* clang-format off */
static const struct route routes[] = {
	/* method  path                         prefix handler                access                     public rate  max body   accept  offload log name */
	{"GET",  "/healthz",                    0, api_healthz,           ROUTE_PUBLIC,              1, 0, 0,         NULL,   0, "/healthz"},
	{"GET",  "/api/v1/verify",              0, api_verify,            ROUTE_PUBLIC,              1, 1, 0,         NULL,   0, "/api/v1/verify"},
	{"POST", "/api/v1/verify/credential",   0, api_verify_credential, ROUTE_PUBLIC,              1, 1, 16 * KiB,  JSON,   0, "/api/v1/verify/credential"},
	{"POST", "/api/v1/verify/roster",       0, api_verify_roster,     ROUTE_OPEN_UNTIL_ACCOUNTS, 0, 1, 8 * MiB,   ROSTER, 1, "/api/v1/verify/roster"},
	{"GET",  "/api/v1/trust-list",          0, api_trust_list,        ROUTE_PUBLIC,              1, 0, 0,         NULL,   1, "/api/v1/trust-list"},
	{"GET",  "/api/v1/status-list",         0, api_status_list,       ROUTE_PUBLIC,              1, 0, 0,         NULL,   1, "/api/v1/status-list"},
	{"GET",  "/api/v1/log/checkpoint",      0, api_log_checkpoint,    ROUTE_PUBLIC,              1, 1, 0,         NULL,   1, "/api/v1/log/checkpoint"},
	{"GET",  "/api/v1/log/proof",           0, api_log_proof,         ROUTE_PUBLIC,              1, 1, 0,         NULL,   1, "/api/v1/log/proof"},
	{"GET",  "/api/v1/openapi.json",        0, api_openapi,           ROUTE_PUBLIC,              1, 0, 0,         NULL,   0, "/api/v1/openapi.json"},
	{"GET",  "/",                           0, api_page,              ROUTE_PUBLIC,              1, 0, 0,         NULL,   0, "/"},
	{"GET",  "/scan",                       0, api_page,              ROUTE_PUBLIC,              1, 0, 0,         NULL,   0, "/scan"},
	{"GET",  "/v",                          0, api_page,              ROUTE_PUBLIC,              1, 0, 0,         NULL,   0, "/v"},
	{"GET",  "/batch",                      0, api_page,              ROUTE_PUBLIC,              1, 0, 0,         NULL,   0, "/batch"},
	{"GET",  "/help",                       0, api_page,              ROUTE_PUBLIC,              1, 0, 0,         NULL,   0, "/help"},
	{"GET",  "/static/",                    1, api_static,            ROUTE_PUBLIC,              1, 0, 0,         NULL,   0, "/static/*"},
};
/* clang-format on */

#define NROUTES (sizeof(routes) / sizeof(routes[0]))

static int path_matches(const struct route *r, const char *path)
{
	if (r->prefix)
		return strncmp(path, r->path, strlen(r->path)) == 0;
	return strcmp(path, r->path) == 0;
}

const struct route *route_find(const char *method, const char *path, const char **allow)
{
	int head = strcmp(method, "HEAD") == 0;
	size_t i;

	*allow = NULL;
	for (i = 0; i < NROUTES; i++) {
		if (!path_matches(&routes[i], path))
			continue;
		if (strcmp(method, routes[i].method) == 0 ||
		    (head && strcmp(routes[i].method, "GET") == 0))
			return &routes[i];
		*allow = strcmp(routes[i].method, "GET") == 0 ? "GET, HEAD" : routes[i].method;
	}
	return NULL;
}

int route_allows(const struct route *route, const struct http_request *req)
{
	(void)req;
	switch (route->access) {
	case ROUTE_PUBLIC:
	case ROUTE_OPEN_UNTIL_ACCOUNTS:
		return 1;
	}
	return 0;
}
