/*
 * render.h - pictures of credentials: the QR code, the printable
 * certificate, reading QR codes back from photographs, and checking the
 * holder's photo before it is stored.
 *
 * QR codes (render_qr.c, libqrencode) carry the credential URL as two
 * segments: the fixed URL prefix in byte mode and the payload in
 * alphanumeric mode, at error correction level M in the smallest version that
 * fits.  The certificate (render_card.c, cairo + pango, Noto CJK) is an A5
 * landscape page in PDF or a raster image.  Images (render_image.c) are
 * recognised by their first bytes, never by a file name: PNG through cairo,
 * JPEG through libjpeg; anything damaged, truncated or too large is an input
 * error, never a crash.  QR codes are read with zbar.
 *
 * Outputs go to a growable memory buffer (struct render_buf) so the server
 * can send them as they are; render_buf_save() writes one to a file.
 */
#ifndef OPCERT_RENDER_H
#define OPCERT_RENDER_H

#include <stddef.h>

#include <cairo.h>

#include "err.h"
#include "trade.h"

/* ---- output buffers ---------------------------------------------------- */

struct render_buf {
	unsigned char *data; /* owned, malloc'd */
	size_t len;
	size_t cap;
};

/* Free the buffer's memory and leave it empty (safe on a zeroed buffer). */
void render_buf_release(struct render_buf *b);
/* Append n bytes; -1 (nothing changed) when out of memory. */
int render_buf_append(struct render_buf *b, const void *p, size_t n);
/* Write the buffer to path (created or truncated, mode 0644 before umask). */
int render_buf_save(const struct render_buf *b, const char *path, struct err *err);

/* ---- QR codes ---------------------------------------------------------- */

#define RENDER_QR_QUIET  4 /* quiet zone, modules on each side */
#define RENDER_QR_PX     8 /* default pixels per module of render_qr_png() */
#define RENDER_QR_MAX_PX 64

struct render_qr {
	int version;            /* 1..40 */
	int width;              /* modules per side, quiet zone not included */
	unsigned char *modules; /* width * width, row by row, 1 = dark; owned */
};

/*
 * Encode prefix (byte mode; may be empty) followed by rest (alphanumeric
 * mode: 0-9 A-Z space $ % * + - . / : only) at level M in the smallest
 * version that fits.  A version above max_version (1..40) is refused as an
 * input error naming the version needed; so is a character outside the
 * alphanumeric set in rest.  On success out->version is the version used.
 */
int render_qr_encode(const char *prefix, size_t prefix_len, const char *rest, size_t rest_len,
                     int max_version, struct render_qr *out, struct err *err);
void render_qr_release(struct render_qr *qr);

/* PNG: black on white, module_px (1..RENDER_QR_MAX_PX) pixels per module,
 * quiet zone included. */
int render_qr_png(const struct render_qr *qr, int module_px, struct render_buf *out,
                  struct err *err);
/* SVG text: one white background rectangle and one path of the dark
 * modules; one user unit per module, quiet zone included. */
int render_qr_svg(const struct render_qr *qr, struct render_buf *out, struct err *err);
/*
 * Draw the code with its quiet zone into the square (x, y, size) of cr's
 * user space, white background included.  On an image surface the modules
 * are snapped to whole device pixels (the code may then be slightly smaller
 * than size, centred) so the picture stays sharp.
 */
void render_qr_draw(const struct render_qr *qr, cairo_t *cr, double x, double y, double size);

/* ---- the printable certificate ----------------------------------------- */

#define RENDER_CARD_DPI  200 /* default resolution of raster output */
#define RENDER_JPEG_QUAL 85

/*
 * What the certificate shows.  Every string is UTF-8 and already formatted
 * as it is to be printed (dates included); NULL or "" leaves an optional
 * line out.  id_masked is printed as given: the caller masks it.
 */
struct render_card {
	enum cert_system system;    /* chooses the title */
	const char *number;         /* 证书编号 */
	const char *name;           /* 姓名 */
	const char *gender;         /* 性别 */
	const char *id_masked;      /* 身份证号 */
	const char *trade_category; /* 作业类别 (emergency management), optional */
	const char *trade_code;     /* 工种 / 操作项目 code */
	const char *trade_name;     /* and name */
	const char *issuer;         /* 发证机关 */
	const char *issued_on;      /* 发证日期 */
	const char *valid_until;    /* 有效期至 */
	const char *review_due;     /* 复审日期, optional */
	const unsigned char *photo; /* JPEG or PNG bytes, NULL = none */
	size_t photo_len;
	const struct render_qr *qr; /* required */
	const char *host;           /* official verifier, shown under the code */
};

/* The page size, millimetres. */
#define RENDER_CARD_WIDTH_MM  210.0
#define RENDER_CARD_HEIGHT_MM 148.0

/* PDF (vector text and code, the photo embedded). */
int render_card_pdf(const struct render_card *card, struct render_buf *out, struct err *err);
/* PNG at dpi (0 = RENDER_CARD_DPI; 50..600). */
int render_card_png(const struct render_card *card, double dpi, struct render_buf *out,
                    struct err *err);
/* JPEG at dpi and quality (0 = defaults; quality 1..100). */
int render_card_jpeg(const struct render_card *card, double dpi, int quality,
                     struct render_buf *out, struct err *err);
/* The raster page itself (CAIRO_FORMAT_RGB24); the caller destroys it. */
int render_card_surface(const struct render_card *card, double dpi, cairo_surface_t **out,
                        struct err *err);

/* ---- reading images ---------------------------------------------------- */

enum render_image_type {
	RENDER_IMAGE_NONE = 0,
	RENDER_IMAGE_PNG,
	RENDER_IMAGE_JPEG,
};

struct render_limits {
	size_t max_bytes;  /* encoded size */
	long min_side;     /* pixels, each side */
	long max_side;     /* pixels, each side */
	size_t max_pixels; /* width * height */
};

/* Photographs of certificates: 32 MiB, 21..30000 px a side, 40 megapixels. */
extern const struct render_limits render_limits_scan;
/* The holder's photo: 2 MiB, 64..4096 px a side. */
extern const struct render_limits render_limits_photo;

/* What the first bytes say (no decoding). */
enum render_image_type render_image_sniff(const unsigned char *p, size_t len);
const char *render_image_mime(enum render_image_type t); /* "image/png", "image/jpeg", "" */

struct render_gray {
	int width;
	int height;
	unsigned char *pixels; /* width * height, row by row, 0 = black; owned */
};

/* Decode a PNG or JPEG held in memory to 8-bit grey (transparency composed
 * over white) within lim.  *type (may be NULL) receives what it was. */
int render_image_gray(const unsigned char *p, size_t len, const struct render_limits *lim,
                      struct render_gray *out, enum render_image_type *type, struct err *err);
void render_gray_release(struct render_gray *g);

/* Decode a PNG or JPEG held in memory to a colour image surface
 * (CAIRO_FORMAT_RGB24 or ARGB32) within lim; the caller destroys it. */
int render_image_surface(const unsigned char *p, size_t len, const struct render_limits *lim,
                         cairo_surface_t **out, enum render_image_type *type, struct err *err);

/* Encode an image surface (RGB24 or ARGB32, composed over white) as JPEG at
 * quality 1..100. */
int render_jpeg_encode(cairo_surface_t *surface, int quality, struct render_buf *out,
                       struct err *err);

/* ---- reading QR codes -------------------------------------------------- */

#define RENDER_CODES_MAX 16

struct render_codes {
	size_t n;
	char *text[RENDER_CODES_MAX]; /* NUL-terminated, owned */
	size_t len[RENDER_CODES_MAX]; /* without the NUL */
};

/*
 * Find and decode the QR codes in a PNG or JPEG image held in memory (limits
 * render_limits_scan).  At least one code must be found, else an input
 * error; codes beyond RENDER_CODES_MAX are dropped.
 */
int render_scan(const unsigned char *p, size_t len, struct render_codes *out, struct err *err);
/* The same for a grey image already decoded. */
int render_scan_gray(const struct render_gray *g, struct render_codes *out, struct err *err);
/* The same for a file. */
int render_scan_file(const char *path, struct render_codes *out, struct err *err);
void render_codes_release(struct render_codes *c);

/* ---- the holder's photo ------------------------------------------------ */

/*
 * Check that p really is a complete JPEG or PNG within render_limits_photo by
 * decoding all of it.  On success *mime is "image/jpeg" or "image/png".
 */
int render_photo_check(const unsigned char *p, size_t len, const char **mime, struct err *err);

/*
 * Release the fonts and patterns that pango, cairo and fontconfig keep
 * cached for the process (or, for pango, the calling thread).  For the end
 * of a process or a test, so that leak checkers see a clean exit; no other
 * thread may be using cairo or pango.  Rendering afterwards still works and
 * fills the caches again.
 */
void render_release_caches(void);

#endif
