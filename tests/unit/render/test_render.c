/*
 * test_render.c - QR codes, the printable certificate and reading codes
 * back from images (render.h): round trips through PNG, SVG, PDF and JPEG
 * photographs of the card, and every kind of bad image as a clean input
 * error.  Files go to a temporary directory under /tmp, removed at the end.
 * With OPCERT_RENDER_SAMPLE=FILE set, the sample certificate is also
 * written there as PNG to look at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jpeglib.h>

#include "file.h"
#include "render.h"
#include "fixture.h"

#define PREFIX      "https://verify.gy.example/v#"
#define HOST        "verify.gy.example"
#define PAYLOAD_LEN 350
#define MAX_VERSION 13

static const char alnum[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:";

static struct fixture_dir tmp;
static char payload[PAYLOAD_LEN + 1];
static char url[sizeof(PREFIX) + PAYLOAD_LEN];

/* A payload shaped like a real one: "OC1:" and random alphanumerics from a
 * fixed seed, so a failure can be reproduced. */
static void make_payload(void)
{
	uint32_t x = 20240601u;
	size_t i;

	memcpy(payload, "OC1:", 4);
	for (i = 4; i < PAYLOAD_LEN; i++) {
		x = x * 1664525u + 1013904223u;
		payload[i] = alnum[(x >> 16) % (sizeof(alnum) - 1)];
	}
	payload[PAYLOAD_LEN] = '\0';
	snprintf(url, sizeof(url), "%s%s", PREFIX, payload);
}

static int setup(void **state)
{
	(void)state;
	make_payload();
	return fixture_dir_make(&tmp, "render");
}

static int teardown(void **state)
{
	(void)state;
	render_release_caches();
	return fixture_dir_remove(&tmp);
}

static const char *tmp_path(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmp.path, name);
	return path;
}

static void save(const struct render_buf *b, const char *name)
{
	struct err e;

	err_clear(&e);
	assert_int_equal(render_buf_save(b, tmp_path(name), &e), 0);
}

static void encode_url(struct render_qr *qr)
{
	struct err e;

	err_clear(&e);
	assert_int_equal(
	    render_qr_encode(PREFIX, strlen(PREFIX), payload, strlen(payload), MAX_VERSION, qr, &e),
	    0);
	assert_true(qr->version >= 1 && qr->version <= MAX_VERSION);
	assert_int_equal(qr->width, 17 + 4 * qr->version);
}

/* The image must hold exactly one code, and it must be the URL. */
static void assert_scans_to_url(const unsigned char *p, size_t len)
{
	struct render_codes codes;
	struct err e;

	err_clear(&e);
	if (render_scan(p, len, &codes, &e) != 0)
		fail_msg("scan failed: %s", e.msg);
	assert_int_equal(codes.n, 1);
	assert_int_equal(codes.len[0], strlen(url));
	assert_string_equal(codes.text[0], url);
	render_codes_release(&codes);
}

static void assert_input_error(int rc, const struct err *e, const char *msg)
{
	assert_int_equal(rc, -1);
	if (e->kind != ERR_INPUT)
		fail_msg("expected an input error, got %d: %s", (int)e->kind, e->msg);
	if (msg && !strstr(e->msg, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, e->msg);
}

/* A synthetic picture: a gradient with a dark disc, like a face on a
 * background, so that both encoders have something to compress. */
static cairo_surface_t *picture(int w, int h)
{
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
	cairo_t *cr = cairo_create(s);
	cairo_pattern_t *g = cairo_pattern_create_linear(0, 0, 0, h);

	cairo_pattern_add_color_stop_rgb(g, 0, 0.55, 0.75, 0.95);
	cairo_pattern_add_color_stop_rgb(g, 1, 0.95, 0.95, 1.0);
	cairo_set_source(cr, g);
	cairo_paint(cr);
	cairo_pattern_destroy(g);
	cairo_set_source_rgb(cr, 0.35, 0.25, 0.2);
	cairo_arc(cr, w / 2.0, h * 0.42, w * 0.25, 0, 6.2832);
	cairo_fill(cr);
	cairo_rectangle(cr, w * 0.2, h * 0.72, w * 0.6, h * 0.28);
	cairo_fill(cr);
	cairo_destroy(cr);
	return s;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	return render_buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS
	                                                     : CAIRO_STATUS_WRITE_ERROR;
}

static void surface_png(cairo_surface_t *s, struct render_buf *out)
{
	memset(out, 0, sizeof(*out));
	assert_int_equal(cairo_surface_write_to_png_stream(s, to_buf, out), CAIRO_STATUS_SUCCESS);
}

static void surface_jpeg(cairo_surface_t *s, int quality, struct render_buf *out)
{
	struct err e;

	err_clear(&e);
	assert_int_equal(render_jpeg_encode(s, quality, out, &e), 0);
	assert_true(out->len > 100);
	assert_memory_equal(out->data, "\xff\xd8\xff", 3);
}

static void picture_png(int w, int h, struct render_buf *out)
{
	cairo_surface_t *s = picture(w, h);

	surface_png(s, out);
	cairo_surface_destroy(s);
}

static void picture_jpeg(int w, int h, struct render_buf *out)
{
	cairo_surface_t *s = picture(w, h);

	surface_jpeg(s, 85, out);
	cairo_surface_destroy(s);
}

static void fill_card(struct render_card *c, const struct render_qr *qr)
{
	memset(c, 0, sizeof(*c));
	c->system = SYS_CONSTRUCTION;
	c->number = "黔建安A012024000123";
	c->name = "王建国";
	c->gender = "男";
	c->id_masked = "520102********4018";
	c->trade_code = "01";
	c->trade_name = "建筑电工";
	c->issuer = "贵阳市住房和城乡建设局";
	c->issued_on = "2024年3月1日";
	c->valid_until = "2026年2月28日";
	c->review_due = "2026年2月28日";
	c->qr = qr;
	c->host = HOST;
}

/* ---- QR codes ----------------------------------------------------------- */

static void test_qr_png_round_trip(void **state)
{
	struct render_qr qr;
	struct render_buf png;
	struct render_codes codes;
	struct err e;

	(void)state;
	encode_url(&qr);
	err_clear(&e);
	assert_int_equal(render_qr_png(&qr, RENDER_QR_PX, &png, &e), 0);
	assert_memory_equal(png.data, "\x89PNG", 4);
	assert_scans_to_url(png.data, png.len);
	/* The same through a file. */
	save(&png, "qr.png");
	assert_int_equal(render_scan_file(tmp_path("qr.png"), &codes, &e), 0);
	assert_string_equal(codes.text[0], url);
	render_codes_release(&codes);
	render_buf_release(&png);
	print_message("QR version %d for %zu characters\n", qr.version, strlen(url));
	render_qr_release(&qr);
}

static void test_qr_svg(void **state)
{
	struct render_qr qr;
	struct render_buf svg;
	struct err e;
	char *text;

	(void)state;
	encode_url(&qr);
	err_clear(&e);
	assert_int_equal(render_qr_svg(&qr, &svg, &e), 0);
	save(&svg, "qr.svg");
	text = malloc(svg.len + 1);
	assert_non_null(text);
	memcpy(text, svg.data, svg.len);
	text[svg.len] = '\0';
	assert_non_null(strstr(text, "<svg"));
	assert_non_null(strstr(text, "</svg>"));
	assert_non_null(strstr(text, "<path"));
	assert_null(strstr(strstr(text, "<path") + 1, "<path")); /* one path */
	assert_int_equal(strlen(text), svg.len);
	free(text);
	render_buf_release(&svg);
	render_qr_release(&qr);
}

static void test_qr_limits(void **state)
{
	char big[800];
	struct render_qr qr;
	struct err e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(big); i++)
		big[i] = alnum[i % (sizeof(alnum) - 1)];
	err_clear(&e);
	assert_input_error(
	    render_qr_encode(PREFIX, strlen(PREFIX), big, sizeof(big), MAX_VERSION, &qr, &e), &e,
	    "版本");
	assert_null(qr.modules);
	/* The same fits when the caller allows more. */
	err_clear(&e);
	assert_int_equal(render_qr_encode(PREFIX, strlen(PREFIX), big, sizeof(big), 40, &qr, &e),
	                 0);
	assert_true(qr.version > MAX_VERSION);
	render_qr_release(&qr);
	/* Lower case is not in the alphanumeric set. */
	err_clear(&e);
	assert_input_error(
	    render_qr_encode(PREFIX, strlen(PREFIX), "OC1:abc", 7, MAX_VERSION, &qr, &e), &e,
	    "第 5 个字符");
	err_clear(&e);
	assert_input_error(render_qr_encode("", 0, "", 0, MAX_VERSION, &qr, &e), &e, NULL);
	/* Far beyond version 40. */
	{
		char *huge = malloc(5000);

		assert_non_null(huge);
		memset(huge, '7', 5000);
		err_clear(&e);
		assert_input_error(render_qr_encode(NULL, 0, huge, 5000, 40, &qr, &e), &e,
		                   "最大容量");
		free(huge);
	}
}

/* ---- the certificate ---------------------------------------------------- */

static void test_card_pdf(void **state)
{
	struct render_qr qr;
	struct render_card card;
	struct render_buf pdf;
	struct err e;

	(void)state;
	encode_url(&qr);
	fill_card(&card, &qr);
	err_clear(&e);
	assert_int_equal(render_card_pdf(&card, &pdf, &e), 0);
	assert_memory_equal(pdf.data, "%PDF", 4);
	assert_true(pdf.len > 10000);
	save(&pdf, "card.pdf");
	render_buf_release(&pdf);
	render_qr_release(&qr);
}

static void test_card_png_round_trip(void **state)
{
	struct render_qr qr;
	struct render_card card;
	struct render_buf png, photo;
	const char *sample = getenv("OPCERT_RENDER_SAMPLE");
	struct err e;

	(void)state;
	encode_url(&qr);
	fill_card(&card, &qr);
	picture_jpeg(300, 380, &photo);
	card.photo = photo.data;
	card.photo_len = photo.len;
	err_clear(&e);
	assert_int_equal(render_card_png(&card, 0, &png, &e), 0);
	assert_memory_equal(png.data, "\x89PNG", 4);
	assert_scans_to_url(png.data, png.len);
	save(&png, "card.png");
	if (sample && sample[0])
		assert_int_equal(render_buf_save(&png, sample, &e), 0);
	render_buf_release(&png);
	render_buf_release(&photo);
	render_qr_release(&qr);
}

/* The card as a phone would photograph it: JPEG, at full and at half
 * resolution, at quality 85 and 60, and slightly turned on a grey desk. */
static void test_card_jpeg_round_trip(void **state)
{
	struct render_qr qr;
	struct render_card card;
	struct render_buf jpeg;
	cairo_surface_t *page, *half, *desk;
	cairo_t *cr;
	int w, h;
	struct err e;

	(void)state;
	encode_url(&qr);
	fill_card(&card, &qr);
	card.system = SYS_EMERGENCY;
	card.number = "T520102199001014018";
	card.trade_category = "电工作业";
	card.trade_code = "1.1";
	card.trade_name = "低压电工作业";
	card.issuer = "贵州省应急管理厅";
	card.review_due = NULL;
	err_clear(&e);
	assert_int_equal(render_card_jpeg(&card, 0, 0, &jpeg, &e), 0);
	assert_scans_to_url(jpeg.data, jpeg.len);
	save(&jpeg, "card.jpg");
	render_buf_release(&jpeg);

	assert_int_equal(render_card_surface(&card, 0, &page, &e), 0);
	w = cairo_image_surface_get_width(page);
	h = cairo_image_surface_get_height(page);
	assert_true(w > 1500 && h > 1000); /* about 200 dpi */
	surface_jpeg(page, 60, &jpeg);
	assert_scans_to_url(jpeg.data, jpeg.len);
	render_buf_release(&jpeg);

	half = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w / 2, h / 2);
	cr = cairo_create(half);
	cairo_scale(cr, 0.5, 0.5);
	cairo_set_source_surface(cr, page, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_destroy(cr);
	surface_jpeg(half, 85, &jpeg);
	assert_scans_to_url(jpeg.data, jpeg.len);
	render_buf_release(&jpeg);
	surface_jpeg(half, 60, &jpeg);
	assert_scans_to_url(jpeg.data, jpeg.len);
	save(&jpeg, "card-half-q60.jpg");
	render_buf_release(&jpeg);
	cairo_surface_destroy(half);

	desk = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w * 3 / 4, h * 3 / 4);
	cr = cairo_create(desk);
	cairo_set_source_rgb(cr, 0.45, 0.42, 0.40);
	cairo_paint(cr);
	cairo_translate(cr, w * 0.05, h * 0.09);
	cairo_rotate(cr, -0.05);
	cairo_scale(cr, 0.62, 0.62);
	cairo_set_source_surface(cr, page, 0, 0);
	cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
	cairo_paint(cr);
	cairo_destroy(cr);
	surface_jpeg(desk, 60, &jpeg);
	assert_scans_to_url(jpeg.data, jpeg.len);
	save(&jpeg, "card-desk.jpg");
	render_buf_release(&jpeg);
	cairo_surface_destroy(desk);

	cairo_surface_destroy(page);
	render_qr_release(&qr);
}

static void test_card_errors(void **state)
{
	struct render_qr qr;
	struct render_card card;
	struct render_buf out;
	struct err e;

	(void)state;
	encode_url(&qr);
	fill_card(&card, &qr);
	card.system = SYS_NONE;
	err_clear(&e);
	assert_input_error(render_card_pdf(&card, &out, &e), &e, "证书类别");
	assert_null(out.data);
	fill_card(&card, &qr);
	card.photo = (const unsigned char *)"not a photo";
	card.photo_len = 11;
	err_clear(&e);
	assert_input_error(render_card_png(&card, 0, &out, &e), &e, "照片");
	fill_card(&card, &qr);
	card.qr = NULL;
	err_clear(&e);
	assert_input_error(render_card_png(&card, 0, &out, &e), &e, "二维码");
	fill_card(&card, &qr);
	err_clear(&e);
	assert_input_error(render_card_png(&card, 5000, &out, &e), &e, "dpi");
	render_qr_release(&qr);
}

/* ---- bad images --------------------------------------------------------- */

static void check_bad(const unsigned char *p, size_t len, const char *msg)
{
	struct render_codes codes;
	struct render_gray g;
	cairo_surface_t *s;
	const char *mime;
	struct err e;

	err_clear(&e);
	assert_input_error(render_scan(p, len, &codes, &e), &e, msg);
	assert_int_equal(codes.n, 0);
	err_clear(&e);
	assert_input_error(render_photo_check(p, len, &mime, &e), &e, NULL);
	err_clear(&e);
	assert_input_error(render_image_gray(p, len, &render_limits_scan, &g, NULL, &e), &e, msg);
	assert_null(g.pixels);
	err_clear(&e);
	assert_input_error(render_image_surface(p, len, &render_limits_scan, &s, NULL, &e), &e,
	                   msg);
	assert_null(s);
}

static void test_bad_images(void **state)
{
	struct render_qr qr;
	struct render_buf png, jpeg, tiny;
	unsigned char *copy;
	struct render_codes codes;
	struct err e;
	size_t i;

	(void)state;
	encode_url(&qr);
	err_clear(&e);
	assert_int_equal(render_qr_png(&qr, 4, &png, &e), 0);
	picture_jpeg(200, 200, &jpeg);
	copy = malloc(png.len > jpeg.len ? png.len : jpeg.len);
	assert_non_null(copy);

	check_bad((const unsigned char *)"", 0, "为空");
	check_bad((const unsigned char *)"hello, world\n", 13, "不是有效的 PNG/JPEG 图片");
	check_bad((const unsigned char *)"GIF89a\x01\x00\x01\x00", 10, "不是有效的 PNG/JPEG 图片");
	/* Truncated: half, and all but the last bytes. */
	check_bad(png.data, png.len / 2, "PNG");
	check_bad(png.data, png.len - 5, "PNG");
	check_bad(png.data, 20, "PNG");
	check_bad(jpeg.data, jpeg.len / 2, "JPEG");
	check_bad(jpeg.data, jpeg.len - 2, "JPEG");
	check_bad(jpeg.data, 3, "JPEG");
	/* Corrupt: bytes overwritten in the middle. */
	memcpy(copy, png.data, png.len);
	for (i = png.len / 2; i < png.len / 2 + 16; i++)
		copy[i] ^= 0x5a;
	check_bad(copy, png.len, "PNG");
	memcpy(copy, jpeg.data, jpeg.len);
	for (i = jpeg.len / 2; i < jpeg.len / 2 + 64; i++)
		copy[i] = (unsigned char)(i * 37);
	check_bad(copy, jpeg.len, "JPEG");
	/* A header announcing huge dimensions: refused before decoding. */
	memcpy(copy, png.data, png.len);
	copy[16] = 0;
	copy[17] = 1; /* width 65536 + ... */
	check_bad(copy, png.len, "图片过大");
	memcpy(copy, jpeg.data, jpeg.len);
	for (i = 2; i + 9 < jpeg.len; i++) {
		if (copy[i] == 0xff && copy[i + 1] == 0xc0) { /* SOF0: height, width at +5 */
			copy[i + 5] = 0x7f; /* 32512 x 32512: libjpeg's own limit is 65500 */
			copy[i + 6] = 0x00;
			copy[i + 7] = 0x7f;
			copy[i + 8] = 0x00;
			break;
		}
	}
	assert_true(i + 9 < jpeg.len);
	check_bad(copy, jpeg.len, "图片过大");
	/* A 1x1 image decodes but is too small to hold a code. */
	picture_png(1, 1, &tiny);
	check_bad(tiny.data, tiny.len, "图片过小");
	render_buf_release(&tiny);
	picture_jpeg(1, 1, &tiny);
	check_bad(tiny.data, tiny.len, "图片过小");
	render_buf_release(&tiny);
	/* A valid image without a code. */
	picture_png(300, 300, &tiny);
	err_clear(&e);
	assert_input_error(render_scan(tiny.data, tiny.len, &codes, &e), &e, "没有找到");
	render_buf_release(&tiny);

	/* A text file named .png, an empty file, a missing file, a directory. */
	{
		struct render_buf text = {(unsigned char *)"证书编号,姓名\n", 20, 20};

		save(&text, "fake.png");
		err_clear(&e);
		assert_input_error(render_scan_file(tmp_path("fake.png"), &codes, &e), &e,
		                   "不是有效的 PNG/JPEG 图片");
		text.len = 0;
		save(&text, "empty.jpg");
		err_clear(&e);
		assert_input_error(render_scan_file(tmp_path("empty.jpg"), &codes, &e), &e, "为空");
		err_clear(&e);
		assert_input_error(render_scan_file(tmp_path("missing.png"), &codes, &e), &e,
		                   "无法打开");
		err_clear(&e);
		assert_input_error(render_scan_file(tmp.path, &codes, &e), &e, "目录");
	}
	/* A PNG saved under a .jpg name is still read: the bytes decide. */
	save(&png, "really-png.jpg");
	err_clear(&e);
	assert_int_equal(render_scan_file(tmp_path("really-png.jpg"), &codes, &e), 0);
	render_codes_release(&codes);

	free(copy);
	render_buf_release(&png);
	render_buf_release(&jpeg);
	render_qr_release(&qr);
}

/* ---- kinds of PNG and JPEG ---------------------------------------------- */

/* 4x4, 16 bits per channel: pixel (x, y) = (x, y, 3) * 16000 / 65535. */
static const char png_rgb16[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x04"
    "\x00\x00\x00\x04\x10\x02\x00\x00\x00\x76\x03\xd5\x6a\x00\x00\x00\x36\x49\x44\x41"
    "\x54\x78\x9c\x25\xcb\xc1\x09\x00\x40\x08\x03\x41\x2b\xb3\xb3\x80\x7d\xa5\x38\xcf"
    "\xec\xf9\x08\x0b\x32\x55\x77\xbb\x3d\x59\xd1\xa6\x2f\x7b\xf2\xc8\x8a\x36\x7d\x0f"
    "\x21\x84\x10\x42\x5f\x18\x61\x84\x11\xd9\x07\x13\xb3\x33\x91\x81\x40\xa0\x14\x00"
    "\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/* 4x4 with a palette (red, green, blue) and tRNS (green half transparent):
 * pixel (x, y) has index (x + y) % 3. */
static const char png_palette[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x04"
    "\x00\x00\x00\x04\x08\x03\x00\x00\x00\x9e\x2f\x6e\x4c\x00\x00\x00\x09\x50\x4c\x54"
    "\x45\xff\x00\x00\x00\xff\x00\x00\x00\xff\x2d\x4a\xcd\x8a\x00\x00\x00\x02\x74\x52"
    "\x4e\x53\xff\x80\x08\x0f\xb3\x6a\x00\x00\x00\x13\x49\x44\x41\x54\x78\x9c\x63\x60"
    "\x60\x64\x62\x00\x61\x46\x06\x26\x18\x13\x00\x00\xa7\x00\x10\x99\x29\x0b\xf4\x00"
    "\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

/* A 32x16 JPEG written with libjpeg directly: the left half holds left[],
 * the right half right[] (comps components each). */
static void raw_jpeg(J_COLOR_SPACE cs, int comps, int progressive, const unsigned char *left,
                     const unsigned char *right, struct render_buf *out)
{
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr jerr;
	unsigned char row[32 * 4], *mem = NULL;
	unsigned long n = 0;
	int x, k;

	for (x = 0; x < 32; x++)
		for (k = 0; k < comps; k++)
			row[x * comps + k] = x < 16 ? left[k] : right[k];
	c.err = jpeg_std_error(&jerr);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &mem, &n);
	c.image_width = 32;
	c.image_height = 16;
	c.input_components = comps;
	c.in_color_space = cs;
	jpeg_set_defaults(&c);
	jpeg_set_quality(&c, 95, TRUE);
	if (progressive)
		jpeg_simple_progression(&c);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW r = row;

		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	memset(out, 0, sizeof(*out));
	assert_int_equal(render_buf_append(out, mem, n), 0);
	free(mem);
}

/* Decode p both ways and compare pixel (x, y) with the expected grey and
 * RGB values, within tol. */
static void check_pixel(const void *p, size_t len, int w, int h, int x, int y, int grey, int r,
                        int g, int b, int tol)
{
	struct render_gray img;
	cairo_surface_t *s;
	uint32_t v;
	struct err e;

	err_clear(&e);
	if (render_image_gray(p, len, &render_limits_scan, &img, NULL, &e) != 0) {
		/* Images this small are under the scan limits' minimum: use
		 * limits of their own. */
		static const struct render_limits lim = {1 << 20, 1, 64, 4096};

		err_clear(&e);
		assert_int_equal(render_image_gray(p, len, &lim, &img, NULL, &e), 0);
		assert_int_equal(render_image_surface(p, len, &lim, &s, NULL, &e), 0);
	} else {
		assert_int_equal(render_image_surface(p, len, &render_limits_scan, &s, NULL, &e),
		                 0);
	}
	assert_int_equal(img.width, w);
	assert_int_equal(img.height, h);
	if (abs(img.pixels[y * w + x] - grey) > tol)
		fail_msg("grey at (%d, %d): %d, expected %d", x, y, img.pixels[y * w + x], grey);
	render_gray_release(&img);
	assert_int_equal(cairo_image_surface_get_width(s), w);
	cairo_surface_flush(s);
	v = ((const uint32_t *)(const void *)(cairo_image_surface_get_data(s) +
	                                      y * cairo_image_surface_get_stride(s)))[x];
	if (cairo_image_surface_get_format(s) == CAIRO_FORMAT_ARGB32) {
		/* Premultiplied: compose over white as the grey path does. */
		unsigned add = 255 - (v >> 24);

		v = ((((v >> 16) & 0xff) + add) << 16) | ((((v >> 8) & 0xff) + add) << 8) |
		    ((v & 0xff) + add);
	}
	if (abs((int)((v >> 16) & 0xff) - r) > tol || abs((int)((v >> 8) & 0xff) - g) > tol ||
	    abs((int)(v & 0xff) - b) > tol)
		fail_msg("colour at (%d, %d): %06x, expected %02x%02x%02x", x, y,
		         (unsigned)(v & 0xffffff), r, g, b);
	cairo_surface_destroy(s);
}

static void test_image_kinds(void **state)
{
	static const unsigned char grey_l[] = {200}, grey_r[] = {40};
	/* Adobe CMYK is stored inverted: 255 = no ink. */
	static const unsigned char cmyk_l[] = {255, 255, 255, 255}, cmyk_r[] = {255, 255, 255, 0};
	static const unsigned char red[] = {255, 0, 0}, blue[] = {0, 0, 255};
	struct render_buf b;

	(void)state;
	raw_jpeg(JCS_GRAYSCALE, 1, 0, grey_l, grey_r, &b);
	check_pixel(b.data, b.len, 32, 16, 4, 4, 200, 200, 200, 200, 4);
	check_pixel(b.data, b.len, 32, 16, 28, 4, 40, 40, 40, 40, 4);
	render_buf_release(&b);
	raw_jpeg(JCS_CMYK, 4, 0, cmyk_l, cmyk_r, &b);
	check_pixel(b.data, b.len, 32, 16, 4, 4, 255, 255, 255, 255, 4);
	check_pixel(b.data, b.len, 32, 16, 28, 4, 0, 0, 0, 0, 4);
	render_buf_release(&b);
	raw_jpeg(JCS_RGB, 3, 1, red, blue, &b);
	check_pixel(b.data, b.len, 32, 16, 4, 4, 77, 255, 0, 0, 8);
	check_pixel(b.data, b.len, 32, 16, 28, 4, 29, 0, 0, 255, 8);
	render_buf_release(&b);

	check_pixel(png_rgb16, sizeof(png_rgb16) - 1, 4, 4, 0, 0, 29, 0, 0, 255, 2);
	check_pixel(png_rgb16, sizeof(png_rgb16) - 1, 4, 4, 3, 3, 195, 187, 187, 255, 2);
	/* Opaque red, then green at alpha 128 over white. */
	check_pixel(png_palette, sizeof(png_palette) - 1, 4, 4, 0, 0, 77, 255, 0, 0, 2);
	check_pixel(png_palette, sizeof(png_palette) - 1, 4, 4, 1, 0, 202, 127, 255, 127, 3);
}

/* ---- the holder's photo ------------------------------------------------- */

static void test_photo_check(void **state)
{
	struct render_buf b;
	const char *mime;
	unsigned char *big;
	struct err e;

	(void)state;
	picture_jpeg(120, 160, &b);
	err_clear(&e);
	assert_int_equal(render_photo_check(b.data, b.len, &mime, &e), 0);
	assert_string_equal(mime, "image/jpeg");
	b.len -= 10;
	err_clear(&e);
	assert_input_error(render_photo_check(b.data, b.len, &mime, &e), &e, "JPEG");
	assert_null(mime);
	render_buf_release(&b);

	picture_png(64, 64, &b);
	err_clear(&e);
	assert_int_equal(render_photo_check(b.data, b.len, &mime, &e), 0);
	assert_string_equal(mime, "image/png");
	render_buf_release(&b);

	picture_png(63, 100, &b);
	err_clear(&e);
	assert_input_error(render_photo_check(b.data, b.len, &mime, &e), &e, "图片过小");
	render_buf_release(&b);

	picture_jpeg(4097, 80, &b);
	err_clear(&e);
	assert_input_error(render_photo_check(b.data, b.len, &mime, &e), &e, "图片过大");
	render_buf_release(&b);

	big = calloc(1, ((size_t)2 << 20) + 1);
	assert_non_null(big);
	memcpy(big, "\xff\xd8\xff\xe0", 4);
	err_clear(&e);
	assert_input_error(render_photo_check(big, ((size_t)2 << 20) + 1, &mime, &e), &e,
	                   "图片过大");
	free(big);

	err_clear(&e);
	assert_input_error(render_photo_check((const unsigned char *)"%PDF-1.5", 8, &mime, &e), &e,
	                   "不是有效的 PNG/JPEG 图片");
}

/* ---- files and buffers -------------------------------------------------- */

static void test_files(void **state)
{
	struct render_buf b;
	char *data;
	size_t len;
	struct err e;

	(void)state;
	memset(&b, 0, sizeof(b));
	assert_int_equal(render_buf_append(&b, "abc", 3), 0);
	assert_int_equal(render_buf_append(&b, "", 0), 0);
	assert_int_equal(b.len, 3);
	save(&b, "abc");
	err_clear(&e);
	assert_int_equal(file_load(tmp_path("abc"), 3, &data, &len, &e), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(data, "abc", 3);
	free(data);
	err_clear(&e);
	assert_input_error(file_load(tmp_path("abc"), 2, &data, &len, &e), &e,
	                   "”过大（超过2 字节）");
	assert_null(data);
	err_clear(&e);
	assert_input_error(render_buf_save(&b, tmp_path("no/such/dir"), &e), &e, "无法写入");
	render_buf_release(&b);
	assert_null(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_qr_png_round_trip),
	    cmocka_unit_test(test_qr_svg),
	    cmocka_unit_test(test_qr_limits),
	    cmocka_unit_test(test_card_pdf),
	    cmocka_unit_test(test_card_png_round_trip),
	    cmocka_unit_test(test_card_jpeg_round_trip),
	    cmocka_unit_test(test_card_errors),
	    cmocka_unit_test(test_bad_images),
	    cmocka_unit_test(test_image_kinds),
	    cmocka_unit_test(test_photo_check),
	    cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
