/*
 * pages.h - the HTML pages of `opcert serve`, assembled once when it starts
 * (in the core because it parses files: fuzz/fuzz_pages.c).
 *
 * The frame every page shares (the head with its meta tags, stylesheet and
 * common.js, the site header with the brand and the main navigation, the
 * footer) is written once, in web/layout.html.  A page file (web/NAME.html)
 * holds only what is its own: a short header naming its title, which of the
 * layout's navigations it shows (and the link in it that is the current
 * page), its scripts, and then its <main> element.  pages_load() reads the
 * layout and every *.html beside it, puts each page into the frame and keeps
 * the finished bytes with an ETag computed over them; requests are answered
 * from memory and nothing is assembled per request.  A layout or page that
 * does not follow the format stops the server from starting, with an error
 * naming the file, line and column: a page cannot be served without its
 * frame.  The formats are described at the top of web/layout.html.
 *
 * A web root without layout.html (a hand-made one of stand-in pages) is
 * served as written, provided every page in it is a complete document
 * (begins with <!doctype html>); a page that needs the frame is then an
 * error too.
 *
 * Read-only once loaded: any number of threads may look pages up.
 */
#ifndef OPCERT_PAGES_H
#define OPCERT_PAGES_H

#include <stddef.h>

#include "err.h"

struct page {
	char *name; /* the file name, e.g. "index.html" */
	char *body; /* the finished page */
	size_t len;
	char etag[40]; /* a quoted hash of body */
};

struct pages;

/*
 * Read and assemble every page of web_root (a real path).  0, or -1 with
 * an input error that names the file (a malformed layout or page) or a
 * system error (I/O, memory).
 */
int pages_load(const char *web_root, struct pages **out, struct err *err);
/* The page of that file name, or NULL. */
const struct page *pages_find(const struct pages *p, const char *name);
void pages_free(struct pages *p);

#endif
