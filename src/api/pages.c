/*
 * pages.c - which page each page route of `opcert serve` shows.  A page is
 * the same for everyone who may open it (routes.c decides who may); its
 * scripts ask the API for the data.  The pages themselves are answered by
 * src/http/files.c.
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
	};
	size_t i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(req->path, pages[i].path) == 0)
			return api_page_file(req, pages[i].file);
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或文件");
}
