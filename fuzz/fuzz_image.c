/*
 * fuzz_image.c - libFuzzer target for the image loader (render.h): PNG and
 * JPEG from memory, to grey and to colour, the photo check, and QR reading
 * on what decodes.
 *
 * Small limits keep each run fast and make the size checks themselves get
 * exercised.  Checked on the way: a failure is an input error with nothing
 * returned, a success stays within the limits, the grey and colour decoders
 * agree on whether an image is valid and on its size, and the type reported
 * is the one the first bytes say.  libjpeg, cairo/libpng and zbar are not
 * instrumented: only our side of their interfaces is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct render_limits limits = {
    65536,
    1,
    2048,
    (size_t)256 * 1024,
};

#define SCAN_MAX_PIXELS (128 * 128)

static void check_failure(int rc, const struct err *e)
{
	if (rc != -1 || e->kind != ERR_INPUT || e->msg[0] == '\0')
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct render_gray g;
	struct render_codes codes;
	cairo_surface_t *s;
	enum render_image_type t1, t2;
	const char *mime;
	struct err e;
	int rc1, rc2, rc3;
	size_t i;

	err_clear(&e);
	rc1 = render_image_gray(data, size, &limits, &g, &t1, &e);
	if (rc1 != 0) {
		check_failure(rc1, &e);
		if (g.pixels || t1 != RENDER_IMAGE_NONE)
			abort();
	} else {
		if (!g.pixels || g.width < 1 || g.height < 1 || g.width > limits.max_side ||
		    g.height > limits.max_side ||
		    (size_t)g.width * (size_t)g.height > limits.max_pixels ||
		    t1 != render_image_sniff(data, size) || t1 == RENDER_IMAGE_NONE)
			abort();
	}

	err_clear(&e);
	rc2 = render_image_surface(data, size, &limits, &s, &t2, &e);
	if (rc2 != 0) {
		check_failure(rc2, &e);
		if (s)
			abort();
	} else {
		if (!s || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS || t2 != t1 ||
		    cairo_image_surface_get_width(s) != g.width ||
		    cairo_image_surface_get_height(s) != g.height)
			abort();
		cairo_surface_destroy(s);
	}
	if ((rc1 == 0) != (rc2 == 0))
		abort();

	err_clear(&e);
	rc3 = render_photo_check(data, size, &mime, &e);
	if (rc3 != 0) {
		check_failure(rc3, &e);
		if (mime)
			abort();
	} else if (strcmp(mime, render_image_mime(render_image_sniff(data, size))) != 0) {
		abort();
	}

	if (rc1 == 0 && (size_t)g.width * (size_t)g.height <= SCAN_MAX_PIXELS) {
		err_clear(&e);
		if (render_scan_gray(&g, &codes, &e) == 0) {
			if (codes.n < 1 || codes.n > RENDER_CODES_MAX)
				abort();
			for (i = 0; i < codes.n; i++) {
				if (!codes.text[i] || codes.text[i][codes.len[i]] != '\0')
					abort();
			}
			render_codes_release(&codes);
		} else {
			check_failure(-1, &e);
			if (codes.n != 0)
				abort();
		}
	}
	render_gray_release(&g);
	return 0;
}
