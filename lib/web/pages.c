/*
 * pages.c - the pages of `opcert serve` put into their shared frame once,
 * when the server starts (pages.h; the file formats are described at the
 * top of web/layout.html).
 *
 * The layout is cut into segments: literal text, the three slots
 * {{title}}, {{scripts}} and {{main}}, and the navigation blocks
 * ({{nav NAME}} ... {{end}}), of which a page shows the one it names.  A
 * page's own file is a header in an HTML comment (title:, nav:, script:
 * lines) followed by its <main> element.  The files come from the
 * operator's web root, not from clients, but are still checked strictly:
 * every slot exactly once, no unknown {{...}}, a title without markup,
 * script addresses under /static/ of plain characters, the current link
 * present in the chosen navigation, a body that is one <main> element.
 */
#include "pages.h"

#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define LAYOUT_FILE  "layout.html"
#define MAX_FILE     (1024 * 1024)
#define MAX_SEGS     64
#define MAX_SCRIPTS  16
#define MAX_NAME     32
#define MAX_ATTR     200
#define CURRENT_MARK " aria-current=\"page\""

enum seg_kind { SEG_TEXT, SEG_TITLE, SEG_SCRIPTS, SEG_MAIN, SEG_NAV };

struct seg {
	enum seg_kind kind;
	const char *text; /* SEG_TEXT, SEG_NAV: the text; SEG_SCRIPTS: the line's indentation */
	size_t len;
	char name[MAX_NAME]; /* SEG_NAV */
};

struct layout {
	char *buf; /* the file */
	struct seg seg[MAX_SEGS];
	size_t nseg;
};

struct pages {
	struct page *page;
	size_t n, cap;
};

/* A growing output buffer; on failure ok becomes 0 and appends do nothing. */
struct out {
	char *buf;
	size_t len, cap;
	int ok;
};

static void put(struct out *o, const char *s, size_t n)
{
	char *b;
	size_t cap;

	if (!o->ok || n == 0)
		return;
	if (o->len + n + 1 > o->cap) {
		cap = o->cap ? o->cap : 8192;
		while (cap < o->len + n + 1)
			cap *= 2;
		b = realloc(o->buf, cap);
		if (!b) {
			o->ok = 0;
			return;
		}
		o->buf = b;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* 1-based line and column (in characters) of at in buf. */
static void position(const char *buf, const char *at, long *line, long *col)
{
	const char *p;

	*line = 1;
	*col = 1;
	for (p = buf; p < at; p++) {
		if (*p == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)*p & 0xC0) != 0x80) {
			++*col;
		}
	}
}

/* An input error naming path and the place at in buf. */
static int bad_at(struct err *err, const char *path, const char *buf, const char *at,
                  const char *fmt, ...) ERR_PRINTF(5, 6);
static int bad_at(struct err *err, const char *path, const char *buf, const char *at,
                  const char *fmt, ...)
{
	char what[320];
	long line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	position(buf, at, &line, &col);
	return err_input(err, "网页文件 %s 第 %ld 行第 %ld 列：%s", path, line, col, what);
}

/* The whole file (NUL-terminated), at most MAX_FILE bytes, no NUL inside. */
static int read_whole(const char *path, char **out, size_t *len, struct err *err)
{
	if (file_load(path, MAX_FILE, out, len, err) < 0)
		return -1;
	if (strlen(*out) != *len) {
		free(*out);
		*out = NULL;
		return err_input(err, "网页文件 %s 中有 NUL 字节", path);
	}
	return 0;
}

static int only_blanks(const char *from, const char *to)
{
	for (; from < to; from++)
		if (*from != ' ' && *from != '\t' && *from != '\r')
			return 0;
	return 1;
}

static int starts_with_doctype(const char *s)
{
	return strncasecmp(s, "<!doctype html>", 15) == 0;
}

static int name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n >= MAX_NAME)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* An address in an attribute: "/" then letters, digits and "/._-", no "..". */
static int address_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > MAX_ATTR || s[0] != '/')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || strchr("/._-", s[i])))
			return 0;
	for (i = 0; i + 1 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.')
			return 0;
	return 1;
}

/* The first n2 bytes of s2 in the n1 bytes of s1, or NULL. */
static const char *find_in(const char *s1, size_t n1, const char *s2, size_t n2)
{
	size_t i;

	for (i = 0; n2 && i + n2 <= n1; i++)
		if (memcmp(s1 + i, s2, n2) == 0)
			return s1 + i;
	return NULL;
}

enum token { TOKEN_UNKNOWN, TOKEN_TITLE, TOKEN_SCRIPTS, TOKEN_MAIN, TOKEN_NAV, TOKEN_END };

/* What the n bytes between "{{" and "}}" at s name. */
static enum token token_of(const char *s, size_t n)
{
	if (n == 5 && memcmp(s, "title", 5) == 0)
		return TOKEN_TITLE;
	if (n == 7 && memcmp(s, "scripts", 7) == 0)
		return TOKEN_SCRIPTS;
	if (n == 4 && memcmp(s, "main", 4) == 0)
		return TOKEN_MAIN;
	if (n > 4 && memcmp(s, "nav ", 4) == 0)
		return TOKEN_NAV;
	if (n == 3 && memcmp(s, "end", 3) == 0)
		return TOKEN_END;
	return TOKEN_UNKNOWN;
}

static struct seg *add_seg(struct layout *l, enum seg_kind kind, const char *text, size_t len)
{
	struct seg *s;

	if (l->nseg == MAX_SEGS)
		return NULL;
	s = &l->seg[l->nseg++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->text = text;
	s->len = len;
	return s;
}

static const struct seg *find_nav(const struct layout *l, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < l->nseg; i++)
		if (l->seg[i].kind == SEG_NAV && strlen(l->seg[i].name) == n &&
		    memcmp(l->seg[i].name, name, n) == 0)
			return &l->seg[i];
	return NULL;
}

/*
 * Cut the layout (path, already read into l->buf) into segments.  A
 * leading HTML comment documents the formats and is not served.
 */
static int layout_parse(struct layout *l, const char *path, struct err *err)
{
	const char *buf = l->buf, *s = buf, *lit, *t, *close, *ls, *le, *nl;
	struct seg *nav = NULL, *sg;
	int title = 0, scripts = 0, main_ = 0, navs = 0;
	enum token tok;
	size_t tn;

	if (strncmp(s, "<!--", 4) == 0) {
		t = strstr(s, "-->");
		if (!t)
			return bad_at(err, path, buf, s, "开头的说明注释没有以 --> 结束");
		s = t + 3;
		while (*s == '\r' || *s == '\n')
			s++;
	}
	if (!starts_with_doctype(s))
		return bad_at(err, path, buf, s, "外框应以 <!doctype html> 开头");
	lit = s;
	while ((t = strstr(s, "{{")) != NULL) {
		nl = strchr(t, '\n');
		close = strstr(t + 2, "}}");
		if (!close || (nl && close > nl))
			return bad_at(err, path, buf, t, "“{{”在同一行内没有对应的“}}”");
		tn = (size_t)(close - (t + 2));
		for (ls = t; ls > buf && ls[-1] != '\n'; ls--)
			;
		le = nl ? nl + 1 : close + 2 + strlen(close + 2);
		tok = token_of(t + 2, tn);
		if (tok == TOKEN_UNKNOWN)
			return bad_at(
			    err, path, buf, t,
			    "不认识“{{%.*s}}”（可用：{{title}}、{{scripts}}、{{main}}、{{nav "
			    "名称}}、{{end}}）",
			    (int)tn, t + 2);
		if (nav && tok != TOKEN_NAV && tok != TOKEN_END)
			return bad_at(err, path, buf, t,
			              "“{{%.*s}}”写在了导航“%s”之中（导航块以 {{end}} 结束）",
			              (int)tn, t + 2, nav->name);
		if (tok == TOKEN_TITLE) {
			if (title++)
				return bad_at(err, path, buf, t, "{{title}} 只能出现一次");
			if (!add_seg(l, SEG_TEXT, lit, (size_t)(t - lit)) ||
			    !add_seg(l, SEG_TITLE, NULL, 0))
				return bad_at(err, path, buf, t, "外框的段落太多");
			s = lit = close + 2;
			continue;
		}
		/* The others stand alone on their line, which is not served. */
		if (!only_blanks(ls, t) || !only_blanks(close + 2, nl ? nl : close + 2))
			return bad_at(err, path, buf, t, "“{{%.*s}}”必须独占一行", (int)tn, t + 2);
		if (nav) {
			nav->text = lit;
			nav->len = (size_t)(ls - lit);
		} else if (!add_seg(l, SEG_TEXT, lit, (size_t)(ls - lit))) {
			return bad_at(err, path, buf, t, "外框的段落太多");
		}
		if (tok == TOKEN_SCRIPTS) {
			if (scripts++)
				return bad_at(err, path, buf, t, "{{scripts}} 只能出现一次");
			if (!add_seg(l, SEG_SCRIPTS, ls, (size_t)(t - ls)))
				return bad_at(err, path, buf, t, "外框的段落太多");
		} else if (tok == TOKEN_MAIN) {
			if (main_++)
				return bad_at(err, path, buf, t, "{{main}} 只能出现一次");
			if (!add_seg(l, SEG_MAIN, NULL, 0))
				return bad_at(err, path, buf, t, "外框的段落太多");
		} else if (tok == TOKEN_NAV) {
			if (!name_ok(t + 6, tn - 4))
				return bad_at(err, path, buf, t,
				              "导航名“%.*s”只能由小写字母、数字和连字符组成（至多 "
				              "%d 个字符）",
				              (int)(tn - 4), t + 6, MAX_NAME - 1);
			if (find_nav(l, t + 6, tn - 4))
				return bad_at(err, path, buf, t, "导航“%.*s”重复定义",
				              (int)(tn - 4), t + 6);
			sg = add_seg(l, SEG_NAV, NULL, 0);
			if (!sg)
				return bad_at(err, path, buf, t, "外框的段落太多");
			memcpy(sg->name, t + 6, tn - 4);
			sg->name[tn - 4] = '\0';
			nav = sg;
			navs++;
		} else {
			if (!nav)
				return bad_at(err, path, buf, t, "{{end}} 前面没有 {{nav 名称}}");
			nav = NULL;
		}
		s = lit = le;
	}
	if (nav)
		return bad_at(err, path, buf, buf + strlen(buf), "导航“%s”缺少结尾的 {{end}}",
		              nav->name);
	if (!add_seg(l, SEG_TEXT, lit, strlen(lit)))
		return bad_at(err, path, buf, lit, "外框的段落太多");
	if (!title || !scripts || !main_ || !navs)
		return bad_at(err, path, buf, buf + strlen(buf), "外框缺少 %s",
		              !title     ? "{{title}}"
		              : !scripts ? "{{scripts}}"
		              : !main_   ? "{{main}}"
		                         : "导航块（{{nav 名称}} … {{end}}）");
	return 0;
}

/* What a page's header says. */
struct page_head {
	const char *title;
	size_t title_len;
	const struct seg *nav;
	const char *current; /* within nav->text: the closing quote of href="...", or NULL */
	const char *script[MAX_SCRIPTS];
	size_t script_len[MAX_SCRIPTS];
	size_t nscript;
	const char *body;
};

static const char *page_format_hint = "（格式见 layout.html 开头的说明）";

/* Read the header of a page file; its body (the <main> element) follows. */
static int page_parse(const struct layout *l, const char *path, const char *buf,
                      struct page_head *h, struct err *err)
{
	const char *s = buf, *line, *eol, *colon, *v, *ve, *sp, *hit, *body_end;
	char needle[MAX_ATTR + 16];
	size_t kn;

	memset(h, 0, sizeof(*h));
	if (starts_with_doctype(s))
		return bad_at(err, path, buf, s,
		              "这是完整的 HTML 文档；页面只写自己的页头（标题、导航、脚本）和 "
		              "<main>，外框在 layout.html%s",
		              page_format_hint);
	if (strncmp(s, "<!--\n", 5) != 0)
		return bad_at(err, path, buf, s, "页面应以单独一行“<!--”开始的页头开头%s",
		              page_format_hint);
	s += 5;
	for (;;) {
		line = s;
		eol = strchr(line, '\n');
		if (!eol)
			return bad_at(err, path, buf, line, "页头没有以单独一行“-->”结束");
		s = eol + 1;
		if (eol - line == 3 && memcmp(line, "-->", 3) == 0)
			break;
		if (only_blanks(line, eol))
			continue;
		colon = memchr(line, ':', (size_t)(eol - line));
		if (!colon)
			return bad_at(err, path, buf, line,
			              "页头的行应写成“名称: 值”，页头以单独一行“-->”结束%s",
			              page_format_hint);
		kn = (size_t)(colon - line);
		for (v = colon + 1; v < eol && (*v == ' ' || *v == '\t'); v++)
			;
		for (ve = eol; ve > v && (ve[-1] == ' ' || ve[-1] == '\t' || ve[-1] == '\r'); ve--)
			;
		if (v == ve)
			return bad_at(err, path, buf, colon, "“%.*s”没有值", (int)kn, line);
		if (kn == 5 && memcmp(line, "title", 5) == 0) {
			if (h->title)
				return bad_at(err, path, buf, line, "title 只能写一次");
			if (ve - v > MAX_ATTR)
				return bad_at(err, path, buf, v, "标题太长（至多 %d 字节）",
				              MAX_ATTR);
			for (sp = v; sp < ve; sp++)
				if (strchr("<>&\"", *sp) || (unsigned char)*sp < 0x20)
					return bad_at(err, path, buf, sp,
					              "标题中不能有 < > & \" 或控制字符");
			h->title = v;
			h->title_len = (size_t)(ve - v);
		} else if (kn == 3 && memcmp(line, "nav", 3) == 0) {
			if (h->nav)
				return bad_at(err, path, buf, line, "nav 只能写一次");
			for (sp = v; sp < ve && *sp != ' '; sp++)
				;
			h->nav = find_nav(l, v, (size_t)(sp - v));
			if (!h->nav)
				return bad_at(err, path, buf, v, "layout.html 中没有导航“%.*s”",
				              (int)(sp - v), v);
			while (sp < ve && *sp == ' ')
				sp++;
			if (sp < ve) {
				/* The link of this page in that navigation: marked current. */
				if (!address_ok(sp, (size_t)(ve - sp)))
					return bad_at(err, path, buf, sp,
					              "当前链接“%.*s”应是以 / 开头的站内地址",
					              (int)(ve - sp), sp);
				snprintf(needle, sizeof(needle), "href=\"%.*s\"", (int)(ve - sp),
				         sp);
				hit = find_in(h->nav->text, h->nav->len, needle, strlen(needle));
				if (!hit ||
				    find_in(hit + 1, h->nav->len - (size_t)(hit + 1 - h->nav->text),
				            needle, strlen(needle)))
					return bad_at(err, path, buf, sp,
					              "导航“%s”中%s指向 %.*s 的链接", h->nav->name,
					              hit ? "有不止一个" : "没有", (int)(ve - sp),
					              sp);
				h->current = hit + strlen(needle);
			}
		} else if (kn == 6 && memcmp(line, "script", 6) == 0) {
			if (h->nscript == MAX_SCRIPTS)
				return bad_at(err, path, buf, line, "脚本太多（至多 %d 个）",
				              MAX_SCRIPTS);
			if (ve - v < 9 || memcmp(v, "/static/", 8) != 0 ||
			    !address_ok(v, (size_t)(ve - v)))
				return bad_at(err, path, buf, v,
				              "脚本地址应以 /static/ 开头，只含字母、数字和 /._-");
			h->script[h->nscript] = v;
			h->script_len[h->nscript++] = (size_t)(ve - v);
		} else {
			return bad_at(err, path, buf, line,
			              "不认识页头的“%.*s”（可用：title、nav、script）%s", (int)kn,
			              line, page_format_hint);
		}
	}
	if (!h->title || !h->nav)
		return bad_at(err, path, buf, s, "页头缺少 %s", !h->title ? "title" : "nav");
	/* The body: one <main> element, with nothing but blanks around it. */
	for (v = s; *v == ' ' || *v == '\t' || *v == '\r' || *v == '\n'; v++)
		;
	if (strncmp(v, "<main", 5) != 0 || (v[5] != ' ' && v[5] != '>'))
		return bad_at(err, path, buf, v, "页头之后应是页面的 <main> 元素");
	body_end = s + strlen(s);
	while (body_end > v && strchr(" \t\r\n", body_end[-1]))
		body_end--;
	if (body_end - v < 12 || memcmp(body_end - 7, "</main>", 7) != 0)
		return bad_at(err, path, buf, body_end, "页面应以 </main> 结束，外框之外不写别的");
	h->body = s;
	return 0;
}

/* The page put into the frame. */
static void assemble(const struct layout *l, const struct page_head *h, struct out *o)
{
	const struct seg *sg;
	size_t i, j, n;

	for (i = 0; i < l->nseg; i++) {
		sg = &l->seg[i];
		switch (sg->kind) {
		case SEG_TEXT:
			put(o, sg->text, sg->len);
			break;
		case SEG_TITLE:
			put(o, h->title, h->title_len);
			break;
		case SEG_SCRIPTS:
			for (j = 0; j < h->nscript; j++) {
				put(o, sg->text, sg->len);
				puts_(o, "<script src=\"");
				put(o, h->script[j], h->script_len[j]);
				puts_(o, "\" defer></script>\n");
			}
			break;
		case SEG_MAIN:
			n = strlen(h->body);
			put(o, h->body, n);
			if (n && h->body[n - 1] != '\n')
				puts_(o, "\n");
			break;
		case SEG_NAV:
			if (sg != h->nav)
				break;
			if (!h->current) {
				put(o, sg->text, sg->len);
				break;
			}
			put(o, sg->text, (size_t)(h->current - sg->text));
			puts_(o, CURRENT_MARK);
			put(o, h->current, sg->len - (size_t)(h->current - sg->text));
			break;
		}
	}
}

static int add_page(struct pages *p, const char *name, char *body, size_t len, struct err *err)
{
	unsigned char hash[16];
	char hex[sizeof(hash) * 2 + 1];
	struct page *pg;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		struct page *np = realloc(p->page, cap * sizeof(*np));

		if (!np) {
			free(body);
			return err_system(err, "内存不足");
		}
		p->page = np;
		p->cap = cap;
	}
	pg = &p->page[p->n];
	pg->name = strdup(name);
	if (!pg->name) {
		free(body);
		return err_system(err, "内存不足");
	}
	pg->body = body;
	pg->len = len;
	crypto_generichash(hash, sizeof(hash), (const unsigned char *)body, len, NULL, 0);
	sodium_bin2hex(hex, sizeof(hex), hash, sizeof(hash));
	snprintf(pg->etag, sizeof(pg->etag), "\"%s\"", hex);
	p->n++;
	return 0;
}

/* A page file's name: letters, digits, "-_", then ".html"; not the layout. */
static int is_page_name(const char *name)
{
	size_t n = strlen(name), i;

	if (n <= 5 || strcmp(name + n - 5, ".html") != 0 || strcmp(name, LAYOUT_FILE) == 0)
		return 0;
	for (i = 0; i < n - 5; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-' || name[i] == '_'))
			return 0;
	return 1;
}

static int load_page(struct pages *p, const struct layout *l, const char *root, const char *name,
                     struct err *err)
{
	char path[4096];
	struct page_head h;
	struct out o = {NULL, 0, 0, 1};
	char *buf;
	size_t len;

	if (snprintf(path, sizeof(path), "%s/%s", root, name) >= (int)sizeof(path))
		return err_system(err, "网页目录的路径太长：%s", root);
	if (read_whole(path, &buf, &len, err) < 0)
		return -1;
	if (!l->buf) {
		/* No layout: only complete documents, served as written. */
		if (!starts_with_doctype(buf)) {
			free(buf);
			return err_input(err,
			                 "网页目录 %s 中没有 layout.html，而网页文件 %s 不是完整的 "
			                 "HTML 文档（只写自己部分的页面需要 layout.html）",
			                 root, path);
		}
		return add_page(p, name, buf, len, err);
	}
	if (page_parse(l, path, buf, &h, err) < 0) {
		free(buf);
		return -1;
	}
	assemble(l, &h, &o);
	free(buf);
	if (!o.ok) {
		free(o.buf);
		return err_system(err, "内存不足");
	}
	return add_page(p, name, o.buf, o.len, err);
}

int pages_load(const char *web_root, struct pages **out, struct err *err)
{
	struct layout l;
	struct pages *p;
	struct dirent *de;
	struct stat sb;
	char path[4096];
	size_t len;
	DIR *d;
	int rc = 0;

	*out = NULL;
	memset(&l, 0, sizeof(l));
	p = calloc(1, sizeof(*p));
	if (!p)
		return err_system(err, "内存不足");
	if (snprintf(path, sizeof(path), "%s/%s", web_root, LAYOUT_FILE) >= (int)sizeof(path)) {
		free(p);
		return err_system(err, "网页目录的路径太长：%s", web_root);
	}
	if (stat(path, &sb) == 0) {
		if (read_whole(path, &l.buf, &len, err) < 0 || layout_parse(&l, path, err) < 0) {
			free(l.buf);
			free(p);
			return -1;
		}
	} else if (errno != ENOENT) {
		free(p);
		return err_system(err, "无法读取 %s：%s", path, err_errno_text(errno));
	}
	d = opendir(web_root);
	if (!d) {
		free(l.buf);
		free(p);
		return err_system(err, "无法打开网页目录 %s：%s", web_root, err_errno_text(errno));
	}
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		if (!is_page_name(de->d_name))
			continue;
		snprintf(path, sizeof(path), "%s/%s", web_root, de->d_name);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		rc = load_page(p, &l, web_root, de->d_name, err);
	}
	if (rc == 0 && errno != 0)
		rc = err_system(err, "无法读取网页目录 %s：%s", web_root, err_errno_text(errno));
	closedir(d);
	free(l.buf);
	if (rc < 0) {
		pages_free(p);
		return -1;
	}
	*out = p;
	return 0;
}

const struct page *pages_find(const struct pages *p, const char *name)
{
	size_t i;

	if (!p)
		return NULL;
	for (i = 0; i < p->n; i++)
		if (strcmp(p->page[i].name, name) == 0)
			return &p->page[i];
	return NULL;
}

void pages_free(struct pages *p)
{
	size_t i;

	if (!p)
		return;
	for (i = 0; i < p->n; i++) {
		free(p->page[i].name);
		free(p->page[i].body);
	}
	free(p->page);
	free(p);
}
