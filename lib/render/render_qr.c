/*
 * render_qr.c - QR codes of credential URLs: encoding with libqrencode (a
 * byte-mode segment for the URL prefix, an alphanumeric one for the
 * payload), and drawing them as PNG, SVG or onto a cairo context.
 */
#include "render.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <qrencode.h>

#define MSG_NOMEM "内存不足"

static int is_alnum_mode(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || c == ' ' || c == '$' ||
	       c == '%' || c == '*' || c == '+' || c == '-' || c == '.' || c == '/' || c == ':';
}

/* Encode in the smallest version that fits; NULL with errno set otherwise. */
static QRcode *encode(const char *prefix, size_t prefix_len, const char *rest, size_t rest_len)
{
	QRinput *in = QRinput_new2(0, QR_ECLEVEL_M);
	QRcode *qr = NULL;

	if (!in)
		return NULL;
	if (prefix_len > 0 &&
	    QRinput_append(in, QR_MODE_8, (int)prefix_len, (const unsigned char *)prefix) != 0)
		goto out;
	if (rest_len > 0 &&
	    QRinput_append(in, QR_MODE_AN, (int)rest_len, (const unsigned char *)rest) != 0)
		goto out;
	qr = QRcode_encodeInput(in);
out:
	QRinput_free(in);
	return qr;
}

int render_qr_encode(const char *prefix, size_t prefix_len, const char *rest, size_t rest_len,
                     int max_version, struct render_qr *out, struct err *err)
{
	QRcode *qr;
	size_t i, n;

	memset(out, 0, sizeof(*out));
	if (max_version < 1 || max_version > 40)
		max_version = 40;
	if (!prefix)
		prefix_len = 0;
	if (!rest)
		rest_len = 0;
	if (prefix_len + rest_len == 0)
		return err_input(err, "二维码内容为空");
	/* Version 40-M holds 2331 bytes; anything longer cannot fit at all. */
	if (prefix_len > 4096 || rest_len > 8192)
		return err_input(err, "内容过长，超出二维码的最大容量");
	for (i = 0; i < rest_len; i++) {
		if (!is_alnum_mode((unsigned char)rest[i]))
			return err_input(
			    err, "二维码字母数字段的第 %zu 个字符不在 QR 字母数字字符集内", i + 1);
	}
	errno = 0;
	qr = encode(prefix, prefix_len, rest, rest_len);
	if (!qr) {
		if (errno == ENOMEM)
			return err_system(err, MSG_NOMEM);
		if (errno == ERANGE || errno == EINVAL)
			return err_input(err,
			                 "内容过长，超出二维码的最大容量（版本 40，纠错等级 M）");
		return err_system(err, "二维码编码失败：%s", err_errno_text(errno));
	}
	if (qr->version > max_version) {
		int v = qr->version;

		QRcode_free(qr);
		return err_input(err,
		                 "内容过长：二维码需要版本 %d，超过允许的最大版本 %d（纠错等级 M）",
		                 v, max_version);
	}
	n = (size_t)qr->width * (size_t)qr->width;
	out->modules = malloc(n);
	if (!out->modules) {
		QRcode_free(qr);
		return err_system(err, MSG_NOMEM);
	}
	for (i = 0; i < n; i++)
		out->modules[i] = qr->data[i] & 1;
	out->version = qr->version;
	out->width = qr->width;
	QRcode_free(qr);
	return 0;
}

void render_qr_release(struct render_qr *qr)
{
	if (!qr)
		return;
	free(qr->modules);
	memset(qr, 0, sizeof(*qr));
}

static int dark(const struct render_qr *qr, int x, int y)
{
	return qr->modules[(size_t)y * (size_t)qr->width + (size_t)x] != 0;
}

/* Add the dark modules, one rectangle per horizontal run, at origin (x, y)
 * with m units per module. */
static void path_modules(const struct render_qr *qr, cairo_t *cr, double x, double y, double m)
{
	int r, c;

	for (r = 0; r < qr->width; r++) {
		for (c = 0; c < qr->width;) {
			int start;

			if (!dark(qr, c, r)) {
				c++;
				continue;
			}
			start = c;
			while (c < qr->width && dark(qr, c, r))
				c++;
			cairo_rectangle(cr, x + start * m, y + r * m, (c - start) * m, m);
		}
	}
}

void render_qr_draw(const struct render_qr *qr, cairo_t *cr, double x, double y, double size)
{
	int total = qr->width + 2 * RENDER_QR_QUIET;
	double m = size / total;

	cairo_save(cr);
	cairo_new_path(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	if (cairo_surface_get_type(cairo_get_target(cr)) == CAIRO_SURFACE_TYPE_IMAGE) {
		/* Whole device pixels per module, the code centred in the box. */
		double dx = x, dy = y, dw = size, dh = 0;
		long px;

		cairo_user_to_device(cr, &dx, &dy);
		cairo_user_to_device_distance(cr, &dw, &dh);
		px = (long)(dw / total);
		if (px >= 1) {
			double ox = (double)(long)(dx + (dw - (double)px * total) / 2 + 0.5);
			double oy = (double)(long)(dy + (dw - (double)px * total) / 2 + 0.5);

			cairo_identity_matrix(cr);
			x = ox;
			y = oy;
			m = (double)px;
		}
		cairo_set_antialias(cr, CAIRO_ANTIALIAS_NONE);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	path_modules(qr, cr, x + RENDER_QR_QUIET * m, y + RENDER_QR_QUIET * m, m);
	cairo_fill(cr);
	cairo_restore(cr);
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	return render_buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS
	                                                     : CAIRO_STATUS_NO_MEMORY;
}

int render_qr_png(const struct render_qr *qr, int module_px, struct render_buf *out,
                  struct err *err)
{
	cairo_surface_t *s;
	cairo_t *cr;
	cairo_status_t st;
	int side;

	memset(out, 0, sizeof(*out));
	if (module_px <= 0)
		module_px = RENDER_QR_PX;
	if (module_px > RENDER_QR_MAX_PX)
		module_px = RENDER_QR_MAX_PX;
	side = (qr->width + 2 * RENDER_QR_QUIET) * module_px;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, side, side);
	cr = cairo_create(s);
	render_qr_draw(qr, cr, 0, 0, side);
	st = cairo_status(cr);
	cairo_destroy(cr);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_write_to_png_stream(s, to_buf, out);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		render_buf_release(out);
		return err_system(err, "生成二维码 PNG 失败：%s", cairo_status_to_string(st));
	}
	return 0;
}

/* Append printf output to b; -1 when out of memory. */
static int appendf(struct render_buf *b, const char *fmt, ...) ERR_PRINTF(2, 3);

static int appendf(struct render_buf *b, const char *fmt, ...)
{
	char tmp[160];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return -1;
	return render_buf_append(b, tmp, (size_t)n);
}

int render_qr_svg(const struct render_qr *qr, struct render_buf *out, struct err *err)
{
	int total = qr->width + 2 * RENDER_QR_QUIET;
	int r, c, fail = 0;

	memset(out, 0, sizeof(*out));
	fail |= appendf(out,
	                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	                "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
	                "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" ",
	                total, total, total * RENDER_QR_PX, total * RENDER_QR_PX);
	fail |=
	    appendf(out,
	            "shape-rendering=\"crispEdges\">\n"
	            "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"",
	            total, total);
	for (r = 0; r < qr->width && !fail; r++) {
		for (c = 0; c < qr->width;) {
			int start;

			if (!dark(qr, c, r)) {
				c++;
				continue;
			}
			start = c;
			while (c < qr->width && dark(qr, c, r))
				c++;
			fail |= appendf(out, "M%d %dh%dv1h-%dz", start + RENDER_QR_QUIET,
			                r + RENDER_QR_QUIET, c - start, c - start);
		}
	}
	fail |= appendf(out, "\"/>\n</svg>\n");
	if (fail) {
		render_buf_release(out);
		return err_system(err, MSG_NOMEM);
	}
	return 0;
}
