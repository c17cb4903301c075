/*
 * pages.c - which page each page route of `opcert serve` shows: the pages
 * anyone the route admits sees alike (api_page), and those of companies,
 * projects, institutions and the audit trail (api_org_page).  Who may open
 * a page, and that the object it names is in the caller's scope, is
 * decided in routes.c; its scripts ask the API for the data.  The pages of
 * a district and of a register record are beside their API (accounts.c,
 * certificates.c); the pages themselves are answered by src/http/files.c.
 */
#include <string.h>

#include "api.h"

int api_page(struct http_request *req)
{
	static const struct {
		const char *path, *file;
	} pages[] = {
	    {"/", "index.html"},
	    {"/scan", "scan.html"},
	    {"/v", "v.html"},
	    {"/batch", "batch.html"},
	    {"/help", "help.html"},
	    {"/login", "login.html"},
	    {"/password", "password.html"},
	    {"/home", "home.html"},
	    {"/accounts", "accounts.html"},
	    {"/probes", "probes.html"},
	};
	size_t i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(req->path, pages[i].path) == 0)
			return api_page_file(req, pages[i].file);
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或文件");
}

int api_org_page(struct http_request *req)
{
	static const struct {
		const char *route, *file;
	} pages[] = {
	    {"/companies", "companies.html"},
	    {"/companies/{uscc}", "company.html"},
	    {"/projects", "projects.html"},
	    {"/projects/{id}", "project.html"},
	    {"/institutions", "institutions.html"},
	    {"/institutions/{id}", "institution.html"},
	    {"/audit", "audit.html"},
	};
	size_t i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(req->route->path, pages[i].route) == 0)
			return api_page_file(req, pages[i].file);
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或文件");
}
