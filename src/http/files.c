/*
 * files.c - files under the web root as `opcert serve` answers them: the
 * pages (assembled at start by pages.h, answered from memory), the one
 * not-found page, /static/ and the OpenAPI document (read from disk).
 * Which page a route shows is the handlers' (src/api/pages.c); the route
 * table names these functions as handlers.
 *
 * Threat model: a path asked for by a hostile client must never lead out
 * of the web root: names are checked segment by segment (no "..", no
 * hidden files), the real path must lie below the root (symbolic links
 * included), and only regular files are served.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "http.h"
#include "pages.h"

static const struct {
	const char *ext;
	const char *type;
} media_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".wasm", "application/wasm"},
    {".csv", "text/csv; charset=utf-8"},
    {".pdf", "application/pdf"},
};

static const char *media_type_of(const char *name)
{
	size_t n = strlen(name), i, e;

	for (i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++) {
		e = strlen(media_types[i].ext);
		if (n > e && strcasecmp(name + n - e, media_types[i].ext) == 0)
			return media_types[i].type;
	}
	return "application/octet-stream";
}

/*
 * 1 when rel (a path below the web root, as requested) is a name we serve:
 * segments of letters, digits and "-_.@+", none empty or starting with a
 * dot (no "..", no hidden files), no backslash, nothing else.
 */
static int safe_relative(const char *rel)
{
	const char *p = rel;
	int start = 1;

	if (!*p || strlen(p) > 512)
		return 0;
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '/') {
			if (start)
				return 0; /* an empty segment */
			start = 1;
			continue;
		}
		if (start && ch == '.')
			return 0;
		start = 0;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr("-_.@+", ch)))
			return 0;
	}
	return !start;
}

static int file_not_found(struct http_request *req)
{
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或文件");
}

/* Serve web_root/rel, which must really lie under the web root. */
static int serve_file(struct http_request *req, const char *rel, const char *cache_control)
{
	const char *root = api_web_root(req->api);
	char path[PATH_MAX], real[PATH_MAX];
	size_t rlen;
	struct stat sb;
	int fd;

	if (!root || !safe_relative(rel))
		return file_not_found(req);
	if (snprintf(path, sizeof(path), "%s/%s", root, rel) >= (int)sizeof(path) ||
	    !realpath(path, real))
		return file_not_found(req);
	/* Symbolic links may stay inside the web root, never lead out of it. */
	rlen = strlen(root);
	if (strncmp(real, root, rlen) != 0 || real[rlen] != '/')
		return file_not_found(req);
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return file_not_found(req);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return file_not_found(req);
	}
	snprintf(req->reply.etag, sizeof(req->reply.etag), "\"%llx-%llx%09ld\"",
	         (unsigned long long)sb.st_size, (unsigned long long)sb.st_mtim.tv_sec,
	         (long)sb.st_mtim.tv_nsec);
	req->reply.cache_control = cache_control;
	if (req->if_none_match && strstr(req->if_none_match, req->reply.etag)) {
		close(fd);
		return http_take(req, HTTP_NOT_MODIFIED, media_type_of(rel), NULL, 0);
	}
	http_take(req, HTTP_OK, media_type_of(rel), NULL, 0);
	req->reply.fd = fd;
	req->reply.fd_len = (uint64_t)sb.st_size;
	return 0;
}

/*
 * A page, as pages_load() assembled it when the server started (the shared
 * frame is web/layout.html; pages.h): answered from memory with an ETag
 * over its bytes.
 */
static int serve_page(struct http_request *req, const char *file)
{
	const struct page *pg = pages_find(api_pages(req->api), file);

	if (!pg)
		return file_not_found(req);
	snprintf(req->reply.etag, sizeof(req->reply.etag), "%s", pg->etag);
	req->reply.cache_control = "no-cache";
	if (req->if_none_match && strstr(req->if_none_match, pg->etag))
		return http_take(req, HTTP_NOT_MODIFIED, media_type_of(file), NULL, 0);
	return http_text(req, HTTP_OK, media_type_of(file), pg->body, pg->len);
}

/*
 * The page for an object that is missing or outside the caller's scope
 * (routes.c): web/not-found.html in the shared frame, status 404, the same
 * bytes and headers whichever it was (not kept: no ETag, no-store).  A
 * web root without that page (a hand-made one of stand-in pages) gets a
 * plain page of its own that says the same.
 */
int api_not_found_page(struct http_request *req)
{
	static const char fallback[] =
	    "<!doctype html>\n"
	    "<html lang=\"zh-CN\">\n<head>\n"
	    "  <meta charset=\"utf-8\">\n"
	    "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "  <meta name=\"referrer\" content=\"no-referrer\">\n"
	    "  <title>没有找到 · 特种作业操作证核验</title>\n"
	    "  <link rel=\"stylesheet\" href=\"/static/css/site.css\">\n"
	    "</head>\n<body>\n"
	    "  <main id=\"main\" tabindex=\"-1\">\n"
	    "    <h1 id=\"not-found\">没有找到这个页面</h1>\n"
	    "    <p "
	    "class=\"lead\">您要打开的单位、项目、培训机构或页面不存在，或不在您的数据范围内。</"
	    "p>\n"
	    "    <p><a class=\"button\" href=\"/home\">回到我的首页</a></p>\n"
	    "  </main>\n"
	    "</body>\n</html>\n";
	const struct page *pg = pages_find(api_pages(req->api), "not-found.html");

	if (pg)
		return http_text(req, HTTP_NOT_FOUND, "text/html; charset=utf-8", pg->body,
		                 pg->len);
	return http_text(req, HTTP_NOT_FOUND, "text/html; charset=utf-8", fallback,
	                 sizeof(fallback) - 1);
}

int api_page_file(struct http_request *req, const char *file)
{
	return serve_page(req, file);
}

int api_static(struct http_request *req)
{
	/* The offline worker of /scan and /v lives here but controls the whole
	 * site (scope "/"); it is always revalidated so that a new version
	 * reaches phones at their next visit. */
	if (strcmp(req->path, "/static/sw.js") == 0) {
		req->reply.sw_allowed = "/";
		return serve_file(req, req->path + 1, "no-cache");
	}
	/* "/static/x" -> "static/x" */
	return serve_file(req, req->path + 1, "public, max-age=300");
}

int api_openapi(struct http_request *req)
{
	return serve_file(req, "openapi.json", "no-cache");
}
