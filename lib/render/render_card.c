/*
 * render_card.c - the printable certificate: an A5 landscape page in
 * Chinese with the printed fields, the holder's photo and the QR code of the
 * signed credential, as PDF (vector) or as a raster image.
 *
 * Layout is in millimetres and scaled to the surface's units (points for
 * PDF, pixels for images) by hand rather than with cairo_scale(), so that
 * pango lays text out in device units and glyph positions are not rounded
 * to whole millimetres.  Text is set in Noto Sans CJK SC (the title in Noto
 * Serif CJK SC when present); a missing Sans font is a system error, since
 * fontconfig would otherwise substitute a font without Chinese glyphs.
 */
#include "render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#define MSG_NOMEM "内存不足"

#define FONT_SANS  "Noto Sans CJK SC"
#define FONT_SERIF "Noto Serif CJK SC"

/* Page geometry, millimetres. */
#define FRAME_INSET   6.0
#define TITLE_Y       14.0
#define TITLE_SIZE    7.2
#define RULE_Y        31.0
#define BODY_Y        40.0
#define PHOTO_X       17.0
#define PHOTO_W       26.0
#define PHOTO_H       32.0
#define LABEL_X       52.0
#define LABEL_SIZE    3.5
#define LABEL_CHARS   4
#define VALUE_X       (LABEL_X + LABEL_CHARS * LABEL_SIZE + 4.0)
#define ROW_PITCH     9.3
#define FIELDS_BOTTOM (RENDER_CARD_HEIGHT_MM - FRAME_INSET - 6.0)
#define QR_X          147.0
#define QR_SIZE       50.0
#define VALUE_W       (QR_X - 5.0 - VALUE_X)
#define CAPTION_SIZE  2.9
#define PHOTO_DPI     300.0 /* the photo is resampled to this before drawing */

/* Colours: frame and rules deep blue, title seal red, labels grey. */
#define FRAME_RGB 0.12, 0.23, 0.43
#define TITLE_RGB 0.66, 0.09, 0.09
#define LABEL_RGB 0.30, 0.30, 0.30
#define VALUE_RGB 0.0, 0.0, 0.0

struct page {
	cairo_t *cr;
	double u; /* device units per millimetre */
	PangoLayout *layout;
	const char *title_font;
};

static const char *card_title(enum cert_system sys)
{
	switch (sys) {
	case SYS_CONSTRUCTION:
		return "建筑施工特种作业操作资格证书";
	case SYS_EMERGENCY:
		return "特种作业操作证";
	case SYS_NONE:
		break;
	}
	return NULL;
}

static int present(const char *s)
{
	return s && s[0];
}

/* 1 when fontconfig resolves family to itself rather than a substitute. */
static int font_exists(PangoContext *ctx, const char *family)
{
	PangoFontDescription *d = pango_font_description_from_string(family);
	PangoFont *f;
	int ok = 0;

	pango_font_description_set_absolute_size(d, 12 * PANGO_SCALE);
	f = pango_context_load_font(ctx, d);
	if (f) {
		PangoFontDescription *got = pango_font_describe(f);
		const char *name = got ? pango_font_description_get_family(got) : NULL;

		ok = name && strcmp(name, family) == 0;
		if (got)
			pango_font_description_free(got);
		g_object_unref(f);
	}
	pango_font_description_free(d);
	return ok;
}

static void set_font(struct page *pg, const char *family, double size_mm, int bold)
{
	PangoFontDescription *d = pango_font_description_new();

	pango_font_description_set_family(d, family);
	pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_absolute_size(d, size_mm * pg->u * PANGO_SCALE);
	pango_layout_set_font_description(pg->layout, d);
	pango_font_description_free(d);
}

/* Reset the layout to one unbounded line of text. */
static void layout_text(struct page *pg, const char *s)
{
	pango_layout_set_attributes(pg->layout, NULL);
	pango_layout_set_width(pg->layout, -1);
	pango_layout_set_height(pg->layout, -1);
	pango_layout_set_ellipsize(pg->layout, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_alignment(pg->layout, PANGO_ALIGN_LEFT);
	pango_layout_set_text(pg->layout, s, -1);
}

/* Show the layout with its top left corner at (x, y) mm. */
static void show(struct page *pg, double x, double y)
{
	cairo_move_to(pg->cr, x * pg->u, y * pg->u);
	pango_cairo_show_layout(pg->cr, pg->layout);
}

/* Height of the layout's first line's top to its baseline, mm. */
static double baseline(struct page *pg)
{
	return (double)pango_layout_get_baseline(pg->layout) / PANGO_SCALE / pg->u;
}

static double layout_height(struct page *pg)
{
	int w, h;

	pango_layout_get_size(pg->layout, &w, &h);
	return (double)h / PANGO_SCALE / pg->u;
}

static double layout_width(struct page *pg)
{
	int w, h;

	pango_layout_get_size(pg->layout, &w, &h);
	return (double)w / PANGO_SCALE / pg->u;
}

/* Length of the UTF-8 sequence that starts with byte c. */
static size_t utf8_len(unsigned char c)
{
	return c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
}

/*
 * A label spread over LABEL_CHARS character widths (姓　　名 under 证书编号),
 * as Chinese forms set them; baseline at y mm.
 */
static void draw_label(struct page *pg, const char *label, double y_base)
{
	const char *chars[LABEL_CHARS * 2];
	size_t lens[LABEL_CHARS * 2];
	size_t n = 0, i;
	const char *p;
	double span = LABEL_CHARS * LABEL_SIZE;

	for (p = label; *p && n < LABEL_CHARS * 2; p += lens[n++]) {
		chars[n] = p;
		lens[n] = utf8_len((unsigned char)*p);
	}
	set_font(pg, FONT_SANS, LABEL_SIZE, 0);
	cairo_set_source_rgb(pg->cr, LABEL_RGB);
	for (i = 0; i < n; i++) {
		char one[8];
		double x =
		    n > 1 ? LABEL_X + (double)i * (span - LABEL_SIZE) / (double)(n - 1) : LABEL_X;

		memcpy(one, chars[i], lens[i]);
		one[lens[i]] = '\0';
		layout_text(pg, one);
		show(pg, x, y_base - baseline(pg));
	}
}

/* Lay a value out (at most two lines, wrapped within the value column). */
static void layout_value(struct page *pg, const char *value)
{
	set_font(pg, FONT_SANS, LABEL_SIZE + 0.2, 0);
	layout_text(pg, value ? value : "");
	pango_layout_set_width(pg->layout, (int)(VALUE_W * pg->u * PANGO_SCALE));
	pango_layout_set_wrap(pg->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_height(pg->layout, -2);
	pango_layout_set_ellipsize(pg->layout, PANGO_ELLIPSIZE_END);
}

/* A field: label and value on one baseline, a hairline under the value as
 * on a filled-in form. */
static void draw_field(struct page *pg, const char *label, const char *value, double y)
{
	double base, h;

	layout_value(pg, value);
	base = baseline(pg);
	h = layout_height(pg);
	cairo_set_source_rgb(pg->cr, VALUE_RGB);
	show(pg, VALUE_X, y);
	draw_label(pg, label, y + base);
	cairo_set_source_rgb(pg->cr, 0.75, 0.75, 0.75);
	cairo_set_line_width(pg->cr, 0.15 * pg->u);
	cairo_move_to(pg->cr, VALUE_X * pg->u, (y + h + 0.6) * pg->u);
	cairo_line_to(pg->cr, (VALUE_X + VALUE_W) * pg->u, (y + h + 0.6) * pg->u);
	cairo_stroke(pg->cr);
}

static void draw_frame(struct page *pg)
{
	cairo_t *cr = pg->cr;
	double u = pg->u, w = RENDER_CARD_WIDTH_MM, h = RENDER_CARD_HEIGHT_MM;

	cairo_set_source_rgb(cr, FRAME_RGB);
	cairo_set_line_width(cr, 0.9 * u);
	cairo_rectangle(cr, FRAME_INSET * u, FRAME_INSET * u, (w - 2 * FRAME_INSET) * u,
	                (h - 2 * FRAME_INSET) * u);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.25 * u);
	cairo_rectangle(cr, (FRAME_INSET + 1.6) * u, (FRAME_INSET + 1.6) * u,
	                (w - 2 * FRAME_INSET - 3.2) * u, (h - 2 * FRAME_INSET - 3.2) * u);
	cairo_stroke(cr);
	/* The rule under the title. */
	cairo_set_line_width(cr, 0.35 * u);
	cairo_move_to(cr, (FRAME_INSET + 8) * u, RULE_Y * u);
	cairo_line_to(cr, (w - FRAME_INSET - 8) * u, RULE_Y * u);
	cairo_stroke(cr);
}

static void draw_title(struct page *pg, const char *title)
{
	PangoAttrList *attrs;
	double w;

	set_font(pg, pg->title_font, TITLE_SIZE, 1);
	layout_text(pg, title);
	attrs = pango_attr_list_new();
	pango_attr_list_insert(
	    attrs, pango_attr_letter_spacing_new((int)(0.18 * TITLE_SIZE * pg->u * PANGO_SCALE)));
	pango_layout_set_attributes(pg->layout, attrs);
	pango_attr_list_unref(attrs);
	w = layout_width(pg);
	cairo_set_source_rgb(pg->cr, TITLE_RGB);
	/* Letter spacing also follows the last character: centre without it. */
	show(pg, (RENDER_CARD_WIDTH_MM - w + 0.18 * TITLE_SIZE) / 2, TITLE_Y);
}

/* The photo resampled to PHOTO_DPI and fitted into the box, or a frame
 * saying 照片. */
static void draw_photo(struct page *pg, cairo_surface_t *photo)
{
	cairo_t *cr = pg->cr;
	double u = pg->u;

	if (photo) {
		double sw = cairo_image_surface_get_width(photo);
		double sh = cairo_image_surface_get_height(photo);
		double fit = PHOTO_W / sw < PHOTO_H / sh ? PHOTO_W / sw : PHOTO_H / sh; /* mm/px */
		double dw = sw * fit, dh = sh * fit;
		double res = PHOTO_DPI / 25.4; /* px per mm of the resampled copy */
		int rw = (int)(dw * res + 0.5), rh = (int)(dh * res + 0.5);
		cairo_surface_t *small;
		cairo_t *sc;

		cairo_save(cr);
		if (rw < 1)
			rw = 1;
		if (rh < 1)
			rh = 1;
		if (rw > (int)sw || rh > (int)sh) { /* never upsample */
			rw = (int)sw;
			rh = (int)sh;
		}
		small = cairo_image_surface_create(CAIRO_FORMAT_RGB24, rw, rh);
		sc = cairo_create(small);
		cairo_set_source_rgb(sc, 1, 1, 1);
		cairo_paint(sc);
		cairo_scale(sc, rw / sw, rh / sh);
		cairo_set_source_surface(sc, photo, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(sc), CAIRO_FILTER_GOOD);
		cairo_paint(sc);
		cairo_destroy(sc);

		cairo_translate(cr, (PHOTO_X + (PHOTO_W - dw) / 2) * u,
		                (BODY_Y + (PHOTO_H - dh) / 2) * u);
		cairo_scale(cr, dw * u / rw, dh * u / rh);
		cairo_set_source_surface(cr, small, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD);
		cairo_paint(cr);
		cairo_surface_destroy(small);
		cairo_restore(cr);
	} else {
		set_font(pg, FONT_SANS, 4.0, 0);
		layout_text(pg, "照片");
		cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
		show(pg, PHOTO_X + (PHOTO_W - layout_width(pg)) / 2,
		     BODY_Y + (PHOTO_H - layout_height(pg)) / 2);
	}
	cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
	cairo_set_line_width(cr, 0.25 * u);
	cairo_rectangle(cr, PHOTO_X * u, BODY_Y * u, PHOTO_W * u, PHOTO_H * u);
	cairo_stroke(cr);
}

/* The code and, centred under it, how to check it. */
static void draw_qr(struct page *pg, const struct render_card *card)
{
	static const char before[] = "用手机相机扫码，在官方网站 ";
	static const char after[] = " 核验";
	size_t hl = strlen(card->host);
	char *text = malloc(sizeof(before) + hl + sizeof(after));
	PangoAttrList *attrs;
	PangoAttribute *bold;

	render_qr_draw(card->qr, pg->cr, QR_X * pg->u, BODY_Y * pg->u, QR_SIZE * pg->u);
	if (!text)
		return;
	memcpy(text, before, sizeof(before) - 1);
	memcpy(text + sizeof(before) - 1, card->host, hl);
	memcpy(text + sizeof(before) - 1 + hl, after, sizeof(after));
	set_font(pg, FONT_SANS, CAPTION_SIZE, 0);
	layout_text(pg, text);
	attrs = pango_attr_list_new();
	bold = pango_attr_weight_new(PANGO_WEIGHT_BOLD);
	bold->start_index = (guint)(sizeof(before) - 1);
	bold->end_index = (guint)(sizeof(before) - 1 + hl);
	pango_attr_list_insert(attrs, bold);
	pango_layout_set_attributes(pg->layout, attrs);
	pango_attr_list_unref(attrs);
	pango_layout_set_width(pg->layout, (int)(QR_SIZE * pg->u * PANGO_SCALE));
	pango_layout_set_wrap(pg->layout, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(pg->layout, PANGO_ALIGN_CENTER);
	cairo_set_source_rgb(pg->cr, 0.15, 0.15, 0.15);
	show(pg, QR_X, BODY_Y + QR_SIZE + 1.5);
	free(text);
}

#define MAX_FIELDS 10

static void draw_fields(struct page *pg, const struct render_card *c)
{
	const char *label[MAX_FIELDS], *value[MAX_FIELDS];
	double height[MAX_FIELDS], need = 0, gap = ROW_PITCH, y = BODY_Y;
	char trade[512];
	size_t n = 0, i;
	int em = c->system == SYS_EMERGENCY;

	snprintf(trade, sizeof(trade), "%s%s%s", present(c->trade_code) ? c->trade_code : "",
	         present(c->trade_code) && present(c->trade_name) ? "  " : "",
	         present(c->trade_name) ? c->trade_name : "");
#define FIELD(l, v) (label[n] = (l), value[n] = (v), n++)
	FIELD("证书编号", c->number);
	FIELD("姓名", c->name);
	FIELD("性别", c->gender);
	FIELD("身份证号", c->id_masked);
	if (em && present(c->trade_category))
		FIELD("作业类别", c->trade_category);
	FIELD(em ? "操作项目" : "工种", trade);
	FIELD("发证机关", c->issuer);
	FIELD("发证日期", c->issued_on);
	FIELD("有效期至", c->valid_until);
	if (present(c->review_due))
		FIELD("复审日期", c->review_due);
#undef FIELD
	/*
	 * Rows start ROW_PITCH apart; a value that wraps pushes the rows below
	 * it down, and when the rows would run into the frame the space between
	 * them shrinks (to no less than 1.2 mm under each value).
	 */
	for (i = 0; i < n; i++) {
		layout_value(pg, value[i]);
		height[i] = layout_height(pg);
		need += height[i];
	}
	{
		double room = FIELDS_BOTTOM - BODY_Y;

		layout_value(pg, "证");
		gap = ROW_PITCH - layout_height(pg);
		if (need + gap * (double)n > room)
			gap = (room - need) / (double)n;
		if (gap < 1.2)
			gap = 1.2;
	}
	for (i = 0; i < n; i++) {
		draw_field(pg, label[i], value[i], y);
		y += height[i] + gap;
	}
}

/* Check the request and decode the photo (an input error when it is bad). */
static int prepare(const struct render_card *card, cairo_surface_t **photo, struct err *err)
{
	*photo = NULL;
	if (!card_title(card->system))
		return err_input(err, "证书类别未知，无法生成证书");
	if (!card->qr || !card->qr->modules || card->qr->width < 21)
		return err_input(err, "缺少二维码，无法生成证书");
	if (!present(card->host))
		return err_input(err, "缺少官方核验网站地址，无法生成证书");
	if (card->photo && card->photo_len > 0) {
		struct err pe;

		err_clear(&pe);
		if (render_image_surface(card->photo, card->photo_len, &render_limits_photo, photo,
		                         NULL, &pe) != 0) {
			if (pe.kind == ERR_SYSTEM)
				return err_system(err, "%s", pe.msg);
			return err_input(err, "照片无效：%s", pe.msg);
		}
	}
	return 0;
}

/* Draw the whole page onto cr, u device units per millimetre. */
static int draw_card(cairo_t *cr, double u, const struct render_card *card, cairo_surface_t *photo,
                     struct err *err)
{
	struct page pg;
	PangoContext *ctx;
	cairo_font_options_t *fo;
	cairo_status_t st;

	pg.cr = cr;
	pg.u = u;
	pg.layout = pango_cairo_create_layout(cr);
	if (!pg.layout)
		return err_system(err, MSG_NOMEM);
	ctx = pango_layout_get_context(pg.layout);
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(ctx, FALSE);
	pango_layout_context_changed(pg.layout);
	if (!font_exists(ctx, FONT_SANS)) {
		g_object_unref(pg.layout);
		return err_system(err, "缺少字体 %s（请安装 fonts-noto-cjk）", FONT_SANS);
	}
	pg.title_font = font_exists(ctx, FONT_SERIF) ? FONT_SERIF : FONT_SANS;

	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	draw_frame(&pg);
	draw_title(&pg, card_title(card->system));
	draw_photo(&pg, photo);
	draw_fields(&pg, card);
	draw_qr(&pg, card);
	g_object_unref(pg.layout);
	st = cairo_status(cr);
	if (st != CAIRO_STATUS_SUCCESS)
		return err_system(err, "绘制证书失败：%s", cairo_status_to_string(st));
	return 0;
}

static cairo_status_t to_buf(void *closure, const unsigned char *data, unsigned int length)
{
	return render_buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS
	                                                     : CAIRO_STATUS_NO_MEMORY;
}

int render_card_pdf(const struct render_card *card, struct render_buf *out, struct err *err)
{
	const double u = 72.0 / 25.4;
	cairo_surface_t *photo, *s;
	cairo_t *cr;
	cairo_status_t st;
	char title[256];
	int rc;

	memset(out, 0, sizeof(*out));
	if (prepare(card, &photo, err) != 0)
		return -1;
	s = cairo_pdf_surface_create_for_stream(to_buf, out, RENDER_CARD_WIDTH_MM * u,
	                                        RENDER_CARD_HEIGHT_MM * u);
	snprintf(title, sizeof(title), "%s %s", card_title(card->system),
	         present(card->number) ? card->number : "");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "opcert");
	cr = cairo_create(s);
	rc = draw_card(cr, u, card, photo, err);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (photo)
		cairo_surface_destroy(photo);
	if (rc == 0 && st != CAIRO_STATUS_SUCCESS)
		rc = err_system(err, "生成证书 PDF 失败：%s", cairo_status_to_string(st));
	if (rc != 0)
		render_buf_release(out);
	return rc;
}

int render_card_surface(const struct render_card *card, double dpi, cairo_surface_t **out,
                        struct err *err)
{
	cairo_surface_t *photo, *s;
	cairo_t *cr;
	double u;
	int rc;

	*out = NULL;
	if (dpi == 0)
		dpi = RENDER_CARD_DPI;
	if (!(dpi >= 50 && dpi <= 600))
		return err_input(err, "分辨率须在 50 到 600 dpi 之间");
	u = dpi / 25.4;
	if (prepare(card, &photo, err) != 0)
		return -1;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(RENDER_CARD_WIDTH_MM * u + 0.5),
	                               (int)(RENDER_CARD_HEIGHT_MM * u + 0.5));
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		if (photo)
			cairo_surface_destroy(photo);
		return err_system(err, MSG_NOMEM);
	}
	cr = cairo_create(s);
	rc = draw_card(cr, u, card, photo, err);
	cairo_destroy(cr);
	if (photo)
		cairo_surface_destroy(photo);
	if (rc != 0) {
		cairo_surface_destroy(s);
		return -1;
	}
	cairo_surface_flush(s);
	*out = s;
	return 0;
}

int render_card_png(const struct render_card *card, double dpi, struct render_buf *out,
                    struct err *err)
{
	cairo_surface_t *s;
	cairo_status_t st;

	memset(out, 0, sizeof(*out));
	if (render_card_surface(card, dpi, &s, err) != 0)
		return -1;
	st = cairo_surface_write_to_png_stream(s, to_buf, out);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS) {
		render_buf_release(out);
		return err_system(err, "生成证书 PNG 失败：%s", cairo_status_to_string(st));
	}
	return 0;
}

int render_card_jpeg(const struct render_card *card, double dpi, int quality,
                     struct render_buf *out, struct err *err)
{
	cairo_surface_t *s;
	int rc;

	memset(out, 0, sizeof(*out));
	if (render_card_surface(card, dpi, &s, err) != 0)
		return -1;
	rc = render_jpeg_encode(s, quality, out, err);
	cairo_surface_destroy(s);
	return rc;
}

void render_release_caches(void)
{
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
}
