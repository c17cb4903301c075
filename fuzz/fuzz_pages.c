/*
 * fuzz_pages.c - the page assembler (pages.h) on arbitrary layouts and
 * pages: the input is split at the first NUL into web/layout.html and one
 * page file, written into a scratch web root, and loaded.  Either it loads
 * and the page is a complete document, or it is refused with an error
 * naming the file; it never crashes.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64];
static char layout_path[96];
static char page_path[96];

static int write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	if (n && fwrite(p, 1, n, f) != n) {
		fclose(f);
		return -1;
	}
	return fclose(f);
}

static void cleanup(void)
{
	unlink(layout_path);
	unlink(page_path);
	rmdir(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t llen = nul ? (size_t)(nul - data) : size;
	struct pages *p = NULL;
	const struct page *pg;
	struct err err;

	if (!root[0]) {
		snprintf(root, sizeof(root), "/tmp/opcert-fuzz-pages-XXXXXX");
		if (!mkdtemp(root))
			abort();
		snprintf(layout_path, sizeof(layout_path), "%s/layout.html", root);
		snprintf(page_path, sizeof(page_path), "%s/page.html", root);
		atexit(cleanup);
	}
	if (write_file(layout_path, data, llen) != 0 ||
	    write_file(page_path, nul ? nul + 1 : data, nul ? size - llen - 1 : 0) != 0)
		abort();
	err_clear(&err);
	if (pages_load(root, &p, &err) == 0) {
		pg = pages_find(p, "page.html");
		if (pg && (pg->len == 0 || strlen(pg->etag) == 0))
			__builtin_trap();
		pages_free(p);
	} else if (err.kind == ERR_NONE || !err.msg[0]) {
		__builtin_trap();
	}
	return 0;
}
