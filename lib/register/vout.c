/* vout.c - see vout.h */
#include "vout.h"

#include <string.h>

#include "date.h"
#include "idnum.h"
#include "jsonw.h"
#include "trade.h"

json_t *vout_json(const struct vresult *r, long row)
{
	json_t *o = json_object(), *findings = json_array(), *fields = json_array();
	int v, b;

	if (row > 0)
		json_object_set_new(o, "row", json_integer(row));
	json_object_set_new(o, "number", json_string(r->number));
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "verdict", json_string(verdict_code(r->verdict)));
	for (v = V_COUNT; (v = verdict_next(r->findings, v)) >= 0;)
		json_array_append_new(findings, json_string(verdict_code((enum verdict)v)));
	for (b = 1; b < (1 << FIELD_COUNT); b <<= 1)
		if (r->mismatched & b)
			json_array_append_new(fields, json_string(field_code(b)));
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "mismatched_fields", fields);
	json_object_set_new(o, "message", json_string(r->message));
	return o;
}

/* s as a JSON string, escaped as jansson escapes it (jsonw.h); cut short
 * when it does not fit (the callers' buffers are sized for their fields). */
size_t vout_json_str(char *out, size_t size, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (n + 2 >= size)
		return n;
	if (len * JSONW_ESCAPE_MAX > size - n - 2)
		len = (size - n - 2) / JSONW_ESCAPE_MAX;
	out[n++] = '"';
	n += jsonw_escape(out + n, s, len);
	out[n++] = '"';
	return n;
}

size_t vout_json_lit(char *out, size_t size, size_t n, const char *s)
{
	size_t len = strlen(s);

	if (n + len < size) {
		memcpy(out + n, s, len);
		n += len;
	}
	return n;
}

/*
 * The same object as vout_json(), written without building a tree: a
 * roster of 100,000 rows spends a third of its time in the tree otherwise.
 * A unit test holds the two to the same output.
 */
int vout_jsonl(FILE *f, const struct vresult *r, long row)
{
	/* Room for the worst case: every byte of number, name and message a
	 * control character escaped to six bytes, plus codes and keys. */
	char buf[6 * (sizeof(r->number) + sizeof(r->name) + sizeof(r->message)) + 1024];
	size_t n = 0;
	int v, b, first;

	if (row > 0)
		n = (size_t)snprintf(buf, sizeof(buf), "{\"row\":%ld,\"number\":", row);
	else
		n = vout_json_lit(buf, sizeof(buf), n, "{\"number\":");
	n = vout_json_str(buf, sizeof(buf), n, r->number);
	n = vout_json_lit(buf, sizeof(buf), n, ",\"name\":");
	n = vout_json_str(buf, sizeof(buf), n, r->name);
	n = vout_json_lit(buf, sizeof(buf), n, ",\"verdict\":");
	n = vout_json_str(buf, sizeof(buf), n, verdict_code(r->verdict));
	n = vout_json_lit(buf, sizeof(buf), n, ",\"findings\":[");
	first = 1;
	for (v = V_COUNT; (v = verdict_next(r->findings, v)) >= 0; first = 0) {
		if (!first)
			n = vout_json_lit(buf, sizeof(buf), n, ",");
		n = vout_json_str(buf, sizeof(buf), n, verdict_code((enum verdict)v));
	}
	n = vout_json_lit(buf, sizeof(buf), n, "],\"mismatched_fields\":[");
	first = 1;
	for (b = 1; b < (1 << FIELD_COUNT); b <<= 1) {
		if (!(r->mismatched & b))
			continue;
		if (!first)
			n = vout_json_lit(buf, sizeof(buf), n, ",");
		n = vout_json_str(buf, sizeof(buf), n, field_code(b));
		first = 0;
	}
	n = vout_json_lit(buf, sizeof(buf), n, "],\"message\":");
	n = vout_json_str(buf, sizeof(buf), n, r->message);
	n = vout_json_lit(buf, sizeof(buf), n, "}\n");
	return fwrite(buf, 1, n, f) == n ? 0 : -1;
}

static void csv_cell(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void vout_csv_header(FILE *f)
{
	fputs("\xef\xbb\xbf行,证书编号,姓名,核验结论,结论代码,全部发现,不符字段,说明\r\n", f);
}

void vout_csv_row(FILE *f, const struct vresult *r, long row)
{
	char list[256];
	size_t n = 0;
	int v, b;

	fprintf(f, "%ld,", row);
	csv_cell(f, r->number);
	fputc(',', f);
	csv_cell(f, r->name);
	fprintf(f, ",%s,%s,", verdict_label(r->verdict), verdict_code(r->verdict));
	list[0] = '\0';
	for (v = V_COUNT; (v = verdict_next(r->findings, v)) >= 0;)
		n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ";" : "",
		                      verdict_code((enum verdict)v));
	fputs(list, f);
	fputc(',', f);
	n = 0;
	list[0] = '\0';
	for (b = 1; b < (1 << FIELD_COUNT); b <<= 1)
		if (r->mismatched & b)
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%s", n ? ";" : "",
			                      field_code(b));
	fputs(list, f);
	fputc(',', f);
	csv_cell(f, r->message);
	fputs("\r\n", f);
}

size_t vout_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;

	while (*p) {
		unsigned cp;
		int n;

		if (*p < 0x80) {
			cp = *p;
			n = 1;
		} else if ((*p & 0xe0) == 0xc0) {
			cp = *p & 0x1f;
			n = 2;
		} else if ((*p & 0xf0) == 0xe0) {
			cp = *p & 0x0f;
			n = 3;
		} else {
			cp = *p & 0x07;
			n = 4;
		}
		for (int i = 1; i < n; i++) {
			if (!p[i]) {
				n = i;
				break;
			}
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		p += n;
		/* East Asian wide ranges that matter here: CJK, full-width forms. */
		if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
		    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
		    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
		    (cp >= 0xffe0 && cp <= 0xffe6) || cp >= 0x20000)
			w += 2;
		else
			w += 1;
	}
	return w;
}

static void pad(FILE *f, const char *s, size_t width)
{
	size_t w = vout_width(s);

	fputs(s, f);
	while (w++ < width)
		fputc(' ', f);
}

void vout_table_header(FILE *f)
{
	pad(f, "行", 6);
	pad(f, "证书编号", 21);
	pad(f, "姓名", 10);
	pad(f, "核验结论", 16);
	fputs("说明\n", f);
}

void vout_table_row(FILE *f, const struct vresult *r, long row)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%ld", row);
	pad(f, buf, 6);
	pad(f, r->number[0] ? r->number : "（无）", 21);
	fputc(' ', f);
	pad(f, r->name, 9);
	fputc(' ', f);
	pad(f, verdict_label(r->verdict), 15);
	fputc(' ', f);
	fputs(r->message, f);
	fputc('\n', f);
}

void vout_summary(FILE *f, const struct roster_summary *s)
{
	const struct tally *t = &s->totals;
	double rate = tally_lawful_rate(t);
	char rate_text[16];
	int v;

	if (rate < 0)
		snprintf(rate_text, sizeof(rate_text), "—");
	else
		snprintf(rate_text, sizeof(rate_text), "%.1f%%", rate);
	/* DOMAIN section 5's counting rules (tally.h), in their order */
	fprintf(f,
	        "\n核验汇总：特种作业人员 %ld 人，持证上岗 %ld 人，查验证书 %ld 本，"
	        "其中假证 %ld 本，转借/冒用 %ld 本，证书失效 %ld 本，无证上岗 %ld 人，"
	        "持假证上岗 %ld 人，待核实 %ld 人，依法持证率 %s\n",
	        t->workers, t->certified, t->checked, t->fake, t->lent, t->lapsed, t->uncertified,
	        t->with_fake, t->pending, rate_text);
	fputs("各结论人数：", f);
	for (v = V_COUNT - 1; v >= 0; v--) {
		if (s->by_verdict[v])
			fprintf(f, "%s %ld；", verdict_label((enum verdict)v), s->by_verdict[v]);
	}
	fputc('\n', f);
}

void vout_text(FILE *f, const struct vresult *r)
{
	char d[DATE_TEXT_MAX], masked[IDNUM_SIZE];
	const struct trade *t;

	fprintf(f, "证书编号：%s\n", r->number[0] ? r->number : "（未填写）");
	fprintf(f, "姓名：%s\n", r->name);
	fprintf(f, "核验结论：%s（%s）\n", verdict_label(r->verdict), verdict_code(r->verdict));
	fprintf(f, "说明：%s\n", r->message);
	if (!r->found)
		return;
	t = trade_by_code(r->cert.system, r->cert.trade);
	fprintf(f, "登记信息：%s证书，工种 %s %s，发证机关 %s\n", cert_system_name(r->cert.system),
	        r->cert.trade, t ? t->name : "", r->cert.issuer);
	fprintf(f, "          发证日期 %s，", date_format(r->cert.issued_on, d));
	fprintf(f, "有效期至 %s", date_format(r->cert.valid_until, d));
	if (r->cert.review_due != DATE_NONE)
		fprintf(f, "，复审日期 %s", date_format(r->cert.review_due, d));
	idnum_mask(r->cert.id_number, masked);
	fprintf(f, "，身份证号 %s，状态 %s\n", masked, cert_status_label(r->cert.status));
}
