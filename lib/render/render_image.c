/*
 * render_image.c - images users send: PNG (cairo) and JPEG (libjpeg)
 * decoded from memory within limits, to grey for zbar or to colour for the
 * certificate; reading QR codes with zbar; checking the holder's photo;
 * encoding JPEG.
 *
 * The type comes from the first bytes.  Sizes are checked before anything
 * large is allocated: a PNG's IHDR is read here before cairo sees the
 * data, a JPEG's frame header through jpeg_read_header().  libjpeg's fatal
 * errors and its warnings (truncated or corrupt data) end the decode through
 * longjmp and become input errors; nothing prints to stderr.
 */
#include "render.h"

#include "file.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <zbar.h>

#define MSG_NOMEM     "内存不足"
#define MSG_NOT_IMAGE "不是有效的 PNG/JPEG 图片"
#define MSG_BAD_PNG   "不是有效的 PNG 图片（数据已损坏或不完整）"
#define MSG_BAD_JPEG  "不是有效的 JPEG 图片（数据已损坏或不完整）"

#define JPEG_MAX_SCANS 100 /* progressive JPEGs use about 10 */

const struct render_limits render_limits_scan = {
    (size_t)32 << 20,
    21,
    30000,
    (size_t)40000000,
};

const struct render_limits render_limits_photo = {
    (size_t)2 << 20,
    64,
    4096,
    (size_t)4096 * 4096,
};

static const unsigned char png_magic[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

enum render_image_type render_image_sniff(const unsigned char *p, size_t len)
{
	if (p && len >= sizeof(png_magic) && memcmp(p, png_magic, sizeof(png_magic)) == 0)
		return RENDER_IMAGE_PNG;
	if (p && len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return RENDER_IMAGE_JPEG;
	return RENDER_IMAGE_NONE;
}

const char *render_image_mime(enum render_image_type t)
{
	switch (t) {
	case RENDER_IMAGE_PNG:
		return "image/png";
	case RENDER_IMAGE_JPEG:
		return "image/jpeg";
	case RENDER_IMAGE_NONE:
		break;
	}
	return "";
}

/* Checks common to both types before decoding: presence, type, size. */
static int check_bytes(const unsigned char *p, size_t len, const struct render_limits *lim,
                       enum render_image_type *type, struct err *err)
{
	if (!p || len == 0)
		return err_input(err, "图片文件为空");
	*type = render_image_sniff(p, len);
	if (*type == RENDER_IMAGE_NONE)
		return err_input(err, MSG_NOT_IMAGE);
	if (len > lim->max_bytes) {
		if (lim->max_bytes >= (size_t)1 << 20)
			return err_input(err, "图片过大（文件超过 %zu MB）", lim->max_bytes >> 20);
		return err_input(err, "图片过大（文件超过 %zu KB）", lim->max_bytes >> 10);
	}
	return 0;
}

static int check_dims(unsigned long w, unsigned long h, const struct render_limits *lim,
                      struct err *err)
{
	if (w == 0 || h == 0)
		return err_input(err, "不是有效的图片（宽或高为零）");
	if (w > (unsigned long)lim->max_side || h > (unsigned long)lim->max_side ||
	    (unsigned long long)w * h > (unsigned long long)lim->max_pixels)
		return err_input(err,
		                 "图片过大（%lu×%lu 像素；每边最多 %ld 像素，共最多 %zu 万像素）",
		                 w, h, lim->max_side, lim->max_pixels / 10000);
	if (w < (unsigned long)lim->min_side || h < (unsigned long)lim->min_side)
		return err_input(err, "图片过小（%lu×%lu 像素；每边至少 %ld 像素）", w, h,
		                 lim->min_side);
	return 0;
}

/* Luma of a pixel already composed over white, 0..255. */
static unsigned char luma(unsigned r, unsigned g, unsigned b)
{
	return (unsigned char)((r * 77 + g * 150 + b * 29 + 128) >> 8);
}

/* ---- PNG ---------------------------------------------------------------- */

struct mem_reader {
	const unsigned char *p;
	size_t len;
	size_t pos;
};

static cairo_status_t mem_read(void *closure, unsigned char *data, unsigned int length)
{
	struct mem_reader *r = closure;

	if (length > r->len - r->pos)
		return CAIRO_STATUS_READ_ERROR;
	memcpy(data, r->p + r->pos, length);
	r->pos += length;
	return CAIRO_STATUS_SUCCESS;
}

static unsigned long be32(const unsigned char *p)
{
	return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 |
	       (unsigned long)p[3];
}

/* A PNG as a cairo surface in ARGB32 or RGB24, after checking its IHDR
 * against lim (cairo would allocate whatever the header asks for). */
static int png_load(const unsigned char *p, size_t len, const struct render_limits *lim,
                    cairo_surface_t **out, struct err *err)
{
	struct mem_reader r = {p, len, 0};
	cairo_surface_t *s;
	cairo_status_t st;
	cairo_format_t f;

	*out = NULL;
	/* Signature, IHDR length 13, "IHDR", width, height, 5 bytes, CRC. */
	if (len < 33 || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4) != 0)
		return err_input(err, MSG_BAD_PNG);
	if (check_dims(be32(p + 16), be32(p + 20), lim, err) != 0)
		return -1;
	s = cairo_image_surface_create_from_png_stream(mem_read, &r);
	st = cairo_surface_status(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		/* cairo reports every libpng error (bad CRC, bad zlib data) as
		 * NO_MEMORY; with the size already bounded, the data is to blame. */
		cairo_surface_destroy(s);
		return err_input(err, MSG_BAD_PNG);
	}
	f = cairo_image_surface_get_format(s);
	if (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24) {
		/* Other formats (a newer cairo's 16-bit ones): paint over white. */
		int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
		cairo_surface_t *c = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
		cairo_t *cr = cairo_create(c);

		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_paint(cr);
		cairo_set_source_surface(cr, s, 0, 0);
		cairo_paint(cr);
		st = cairo_status(cr);
		cairo_destroy(cr);
		cairo_surface_destroy(s);
		if (st != CAIRO_STATUS_SUCCESS) {
			cairo_surface_destroy(c);
			return err_system(err, MSG_NOMEM);
		}
		s = c;
	}
	cairo_surface_flush(s);
	*out = s;
	return 0;
}

/* Grey from an ARGB32 (premultiplied) or RGB24 surface, over white. */
static int surface_gray(cairo_surface_t *s, struct render_gray *out, struct err *err)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	int alpha = cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32;
	const unsigned char *data;
	int x, y;

	cairo_surface_flush(s);
	data = cairo_image_surface_get_data(s);
	out->pixels = malloc((size_t)w * (size_t)h);
	if (!out->pixels)
		return err_system(err, MSG_NOMEM);
	out->width = w;
	out->height = h;
	for (y = 0; y < h; y++) {
		const uint32_t *row = (const uint32_t *)(const void *)(data + (size_t)y * stride);
		unsigned char *o = out->pixels + (size_t)y * (size_t)w;

		for (x = 0; x < w; x++) {
			uint32_t v = row[x];
			unsigned a = alpha ? v >> 24 : 255, add = 255 - a;

			o[x] = luma(((v >> 16) & 0xff) + add, ((v >> 8) & 0xff) + add,
			            (v & 0xff) + add);
		}
	}
	return 0;
}

/* ---- JPEG --------------------------------------------------------------- */

struct jpeg_ctx {
	struct jpeg_error_mgr pub;
	struct jpeg_progress_mgr progress;
	jmp_buf jb;
	int nomem;
	/* Everything allocated while libjpeg may longjmp, freed after it. */
	unsigned char *gray;
	unsigned char *row;
	cairo_surface_t *surface;
};

static void jpeg_fail(j_common_ptr cinfo)
{
	struct jpeg_ctx *c = (struct jpeg_ctx *)(void *)cinfo->err;

	c->nomem = c->pub.msg_code == JERR_OUT_OF_MEMORY;
	longjmp(c->jb, 1);
}

/* Warnings (level -1) mean corrupt or truncated data: as fatal as errors.
 * Trace messages (level >= 0) are ignored. */
static void jpeg_message(j_common_ptr cinfo, int level)
{
	if (level < 0)
		jpeg_fail(cinfo);
}

static void jpeg_quiet(j_common_ptr cinfo)
{
	(void)cinfo;
}

/* Progressive files with thousands of tiny scans take very long to decode. */
static void jpeg_progress(j_common_ptr cinfo)
{
	if (cinfo->is_decompressor &&
	    ((j_decompress_ptr)(void *)cinfo)->input_scan_number > JPEG_MAX_SCANS)
		jpeg_fail(cinfo);
}

/* CMYK as Adobe writes it (inverted) to RGB. */
static void cmyk_rgb(const unsigned char *p, unsigned *r, unsigned *g, unsigned *b)
{
	*r = (unsigned)p[0] * p[3] / 255;
	*g = (unsigned)p[1] * p[3] / 255;
	*b = (unsigned)p[2] * p[3] / 255;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define JCS_CAIRO JCS_EXT_XRGB
#else
#define JCS_CAIRO JCS_EXT_BGRX
#endif

/*
 * Decode a JPEG to grey (color == 0: c->gray) or to an RGB24 surface
 * (c->surface).  On failure everything in c is released by the caller.
 */
static int jpeg_decode(const unsigned char *p, size_t len, const struct render_limits *lim,
                       int color, struct jpeg_ctx *c, struct render_gray *out, struct err *err)
{
	struct jpeg_decompress_struct cinfo;
	int cmyk;
	size_t w, h;

	memset(&cinfo, 0, sizeof(cinfo));
	cinfo.err = jpeg_std_error(&c->pub);
	c->pub.error_exit = jpeg_fail;
	c->pub.emit_message = jpeg_message;
	c->pub.output_message = jpeg_quiet;
	if (setjmp(c->jb)) {
		jpeg_destroy_decompress(&cinfo);
		if (c->nomem)
			return err_system(err, MSG_NOMEM);
		return err_input(err, MSG_BAD_JPEG);
	}
	jpeg_create_decompress(&cinfo);
	c->progress.progress_monitor = jpeg_progress;
	cinfo.progress = &c->progress;
	/* Whole-image buffers (progressive files) beyond this fail cleanly. */
	cinfo.mem->max_memory_to_use = (long)(lim->max_pixels * 8 + ((size_t)16 << 20));
	jpeg_mem_src(&cinfo, p, (unsigned long)len);
	jpeg_read_header(&cinfo, TRUE);
	if (check_dims(cinfo.image_width, cinfo.image_height, lim, err) != 0) {
		jpeg_destroy_decompress(&cinfo);
		return -1;
	}
	cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
	if (cmyk)
		cinfo.out_color_space = JCS_CMYK;
	else
		cinfo.out_color_space = color ? JCS_CAIRO : JCS_GRAYSCALE;
	cinfo.dct_method = JDCT_ISLOW;
	jpeg_start_decompress(&cinfo);
	w = cinfo.output_width;
	h = cinfo.output_height;
	if (cmyk) {
		c->row = malloc(w * 4);
		if (!c->row)
			goto nomem;
	}
	if (color) {
		c->surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)w, (int)h);
		if (cairo_surface_status(c->surface) != CAIRO_STATUS_SUCCESS)
			goto nomem;
		cairo_surface_flush(c->surface);
	} else {
		c->gray = malloc(w * h);
		if (!c->gray)
			goto nomem;
	}
	while (cinfo.output_scanline < h) {
		size_t y = cinfo.output_scanline;
		unsigned char *dst;
		JSAMPROW rows[1];
		size_t x;

		if (color)
			dst = cairo_image_surface_get_data(c->surface) +
			      y * (size_t)cairo_image_surface_get_stride(c->surface);
		else
			dst = c->gray + y * w;
		rows[0] = cmyk ? c->row : dst;
		if (jpeg_read_scanlines(&cinfo, rows, 1) != 1)
			jpeg_fail((j_common_ptr)&cinfo);
		if (!cmyk)
			continue;
		for (x = 0; x < w; x++) {
			unsigned r, g, b;

			cmyk_rgb(c->row + 4 * x, &r, &g, &b);
			if (color)
				((uint32_t *)(void *)dst)[x] = 0xff000000u | r << 16 | g << 8 | b;
			else
				dst[x] = luma(r, g, b);
		}
	}
	jpeg_finish_decompress(&cinfo);
	jpeg_destroy_decompress(&cinfo);
	if (color)
		cairo_surface_mark_dirty(c->surface);
	else {
		out->width = (int)w;
		out->height = (int)h;
		out->pixels = c->gray;
		c->gray = NULL;
	}
	return 0;
nomem:
	jpeg_destroy_decompress(&cinfo);
	return err_system(err, MSG_NOMEM);
}

static void jpeg_ctx_release(struct jpeg_ctx *c)
{
	free(c->gray);
	free(c->row);
	if (c->surface)
		cairo_surface_destroy(c->surface);
	c->gray = NULL;
	c->row = NULL;
	c->surface = NULL;
}

/* ---- public decoding ---------------------------------------------------- */

int render_image_gray(const unsigned char *p, size_t len, const struct render_limits *lim,
                      struct render_gray *out, enum render_image_type *type, struct err *err)
{
	enum render_image_type t = RENDER_IMAGE_NONE;
	int rc;

	memset(out, 0, sizeof(*out));
	if (type)
		*type = RENDER_IMAGE_NONE;
	if (check_bytes(p, len, lim, &t, err) != 0)
		return -1;
	if (t == RENDER_IMAGE_PNG) {
		cairo_surface_t *s;

		if (png_load(p, len, lim, &s, err) != 0)
			return -1;
		rc = surface_gray(s, out, err);
		cairo_surface_destroy(s);
	} else {
		struct jpeg_ctx c;

		memset(&c, 0, sizeof(c));
		rc = jpeg_decode(p, len, lim, 0, &c, out, err);
		jpeg_ctx_release(&c);
	}
	if (rc == 0 && type)
		*type = t;
	return rc;
}

void render_gray_release(struct render_gray *g)
{
	if (!g)
		return;
	free(g->pixels);
	memset(g, 0, sizeof(*g));
}

int render_image_surface(const unsigned char *p, size_t len, const struct render_limits *lim,
                         cairo_surface_t **out, enum render_image_type *type, struct err *err)
{
	enum render_image_type t = RENDER_IMAGE_NONE;
	struct jpeg_ctx c;

	*out = NULL;
	if (type)
		*type = RENDER_IMAGE_NONE;
	if (check_bytes(p, len, lim, &t, err) != 0)
		return -1;
	if (t == RENDER_IMAGE_PNG) {
		if (png_load(p, len, lim, out, err) != 0)
			return -1;
	} else {
		memset(&c, 0, sizeof(c));
		if (jpeg_decode(p, len, lim, 1, &c, NULL, err) != 0) {
			jpeg_ctx_release(&c);
			return -1;
		}
		*out = c.surface;
		c.surface = NULL;
		jpeg_ctx_release(&c);
	}
	if (type)
		*type = t;
	return 0;
}

int render_photo_check(const unsigned char *p, size_t len, const char **mime, struct err *err)
{
	struct render_gray g;
	enum render_image_type t = RENDER_IMAGE_NONE;

	*mime = NULL;
	if (render_image_gray(p, len, &render_limits_photo, &g, &t, err) != 0)
		return -1;
	render_gray_release(&g);
	*mime = render_image_mime(t);
	return 0;
}

/* ---- JPEG encoding ------------------------------------------------------ */

#define JPEG_OUT_CHUNK 65536

struct jpeg_out {
	struct jpeg_destination_mgr pub;
	struct render_buf *buf;
	unsigned char chunk[JPEG_OUT_CHUNK];
};

static void out_init(j_compress_ptr cinfo)
{
	struct jpeg_out *o = (struct jpeg_out *)(void *)cinfo->dest;

	o->pub.next_output_byte = o->chunk;
	o->pub.free_in_buffer = sizeof(o->chunk);
}

static boolean out_empty(j_compress_ptr cinfo)
{
	struct jpeg_out *o = (struct jpeg_out *)(void *)cinfo->dest;

	if (render_buf_append(o->buf, o->chunk, sizeof(o->chunk)) != 0)
		ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
	o->pub.next_output_byte = o->chunk;
	o->pub.free_in_buffer = sizeof(o->chunk);
	return TRUE;
}

static void out_term(j_compress_ptr cinfo)
{
	struct jpeg_out *o = (struct jpeg_out *)(void *)cinfo->dest;

	if (render_buf_append(o->buf, o->chunk, sizeof(o->chunk) - o->pub.free_in_buffer) != 0)
		ERREXIT1(cinfo, JERR_OUT_OF_MEMORY, 0);
}

struct jpeg_job {
	const unsigned char *data;
	int width, height, stride, argb, quality;
	struct jpeg_out *dest;
	struct jpeg_ctx *ctx;
};

/* The libjpeg part of render_jpeg_encode(): nothing here changes after
 * setjmp() but what libjpeg and the job's buffers hold. */
static int jpeg_compress(const struct jpeg_job *job, struct err *err)
{
	struct jpeg_compress_struct cinfo;
	struct jpeg_ctx *c = job->ctx;

	memset(&cinfo, 0, sizeof(cinfo));
	cinfo.err = jpeg_std_error(&c->pub);
	c->pub.error_exit = jpeg_fail;
	c->pub.output_message = jpeg_quiet;
	if (setjmp(c->jb)) {
		jpeg_destroy_compress(&cinfo);
		if (c->nomem)
			return err_system(err, MSG_NOMEM);
		return err_system(err, "JPEG 编码失败");
	}
	jpeg_create_compress(&cinfo);
	cinfo.dest = &job->dest->pub;
	cinfo.image_width = (JDIMENSION)job->width;
	cinfo.image_height = (JDIMENSION)job->height;
	cinfo.input_components = 3;
	cinfo.in_color_space = JCS_RGB;
	jpeg_set_defaults(&cinfo);
	jpeg_set_quality(&cinfo, job->quality, TRUE);
	jpeg_start_compress(&cinfo, TRUE);
	while (cinfo.next_scanline < cinfo.image_height) {
		const uint32_t *src =
		    (const uint32_t *)(const void *)(job->data + (size_t)cinfo.next_scanline *
		                                                     (size_t)job->stride);
		JSAMPROW rows[1];
		int x;

		for (x = 0; x < job->width; x++) {
			uint32_t v = src[x];
			unsigned add = job->argb ? 255 - (v >> 24) : 0;

			c->row[3 * x] = (unsigned char)(((v >> 16) & 0xff) + add);
			c->row[3 * x + 1] = (unsigned char)(((v >> 8) & 0xff) + add);
			c->row[3 * x + 2] = (unsigned char)((v & 0xff) + add);
		}
		rows[0] = c->row;
		jpeg_write_scanlines(&cinfo, rows, 1);
	}
	jpeg_finish_compress(&cinfo);
	jpeg_destroy_compress(&cinfo);
	return 0;
}

int render_jpeg_encode(cairo_surface_t *surface, int quality, struct render_buf *out,
                       struct err *err)
{
	struct jpeg_ctx c;
	struct jpeg_job job;
	cairo_format_t f;
	int rc;

	memset(out, 0, sizeof(*out));
	if (cairo_surface_get_type(surface) != CAIRO_SURFACE_TYPE_IMAGE)
		return err_system(err, "JPEG 编码需要图像表面");
	f = cairo_image_surface_get_format(surface);
	if (f != CAIRO_FORMAT_ARGB32 && f != CAIRO_FORMAT_RGB24)
		return err_system(err, "JPEG 编码不支持该像素格式");
	cairo_surface_flush(surface);
	job.data = cairo_image_surface_get_data(surface);
	job.width = cairo_image_surface_get_width(surface);
	job.height = cairo_image_surface_get_height(surface);
	job.stride = cairo_image_surface_get_stride(surface);
	job.argb = f == CAIRO_FORMAT_ARGB32;
	job.quality = quality >= 1 && quality <= 100 ? quality : RENDER_JPEG_QUAL;
	if (job.width < 1 || job.height < 1 || !job.data)
		return err_system(err, "JPEG 编码：图像为空");
	memset(&c, 0, sizeof(c));
	job.ctx = &c;
	job.dest = calloc(1, sizeof(*job.dest));
	c.row = malloc((size_t)job.width * 3);
	if (!job.dest || !c.row) {
		free(job.dest);
		jpeg_ctx_release(&c);
		return err_system(err, MSG_NOMEM);
	}
	job.dest->buf = out;
	job.dest->pub.init_destination = out_init;
	job.dest->pub.empty_output_buffer = out_empty;
	job.dest->pub.term_destination = out_term;
	rc = jpeg_compress(&job, err);
	free(job.dest);
	jpeg_ctx_release(&c);
	if (rc != 0)
		render_buf_release(out);
	return rc;
}

/* ---- QR codes ----------------------------------------------------------- */

void render_codes_release(struct render_codes *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->n; i++)
		free(c->text[i]);
	memset(c, 0, sizeof(*c));
}

int render_scan_gray(const struct render_gray *g, struct render_codes *out, struct err *err)
{
	zbar_image_scanner_t *sc;
	zbar_image_t *img;
	const zbar_symbol_t *sym;
	int n;

	memset(out, 0, sizeof(*out));
	if (!g->pixels || g->width < 1 || g->height < 1)
		return err_input(err, "图片为空");
	sc = zbar_image_scanner_create();
	img = zbar_image_create();
	if (!sc || !img) {
		if (img)
			zbar_image_destroy(img);
		if (sc)
			zbar_image_scanner_destroy(sc);
		return err_system(err, MSG_NOMEM);
	}
	zbar_image_scanner_set_config(sc, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
	zbar_image_scanner_set_config(sc, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
	zbar_image_set_format(img, zbar_fourcc('Y', '8', '0', '0'));
	zbar_image_set_size(img, (unsigned)g->width, (unsigned)g->height);
	zbar_image_set_data(img, g->pixels, (unsigned long)g->width * (unsigned long)g->height,
	                    NULL);
	n = zbar_scan_image(sc, img);
	if (n < 0) {
		zbar_image_destroy(img);
		zbar_image_scanner_destroy(sc);
		return err_system(err, "二维码识别失败");
	}
	for (sym = zbar_image_first_symbol(img); sym && out->n < RENDER_CODES_MAX;
	     sym = zbar_symbol_next(sym)) {
		const char *d = zbar_symbol_get_data(sym);
		size_t len = zbar_symbol_get_data_length(sym);
		char *copy;

		if (zbar_symbol_get_type(sym) != ZBAR_QRCODE || !d)
			continue;
		copy = malloc(len + 1);
		if (!copy) {
			render_codes_release(out);
			zbar_image_destroy(img);
			zbar_image_scanner_destroy(sc);
			return err_system(err, MSG_NOMEM);
		}
		memcpy(copy, d, len);
		copy[len] = '\0';
		out->text[out->n] = copy;
		out->len[out->n] = len;
		out->n++;
	}
	zbar_image_destroy(img);
	zbar_image_scanner_destroy(sc);
	if (out->n == 0)
		return err_input(err, "图片中没有找到可识别的二维码");
	return 0;
}

int render_scan(const unsigned char *p, size_t len, struct render_codes *out, struct err *err)
{
	struct render_gray g;
	int rc;

	memset(out, 0, sizeof(*out));
	if (render_image_gray(p, len, &render_limits_scan, &g, NULL, err) != 0)
		return -1;
	rc = render_scan_gray(&g, out, err);
	render_gray_release(&g);
	return rc;
}

int render_scan_file(const char *path, struct render_codes *out, struct err *err)
{
	char *data;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	if (file_load(path, render_limits_scan.max_bytes, &data, &len, err) != 0)
		return -1;
	rc = render_scan((const unsigned char *)data, len, out, err);
	free(data);
	return rc;
}
