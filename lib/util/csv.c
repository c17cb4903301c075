/*
 * csv.c - the CSV reader and header mapping (see csv.h).
 *
 * The reader never looks further than max_record bytes past the start of a
 * record, so an over-long record (or a stray quote that swallows the rest of
 * a large file) is refused after a bounded scan.  Unquoted fields and quoted
 * fields without "" escapes point straight into the text; only fields with
 * escapes are copied into the scratch buffer.
 */
#include "csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS_INITIAL  16
#define SCRATCH_INITIAL 256
#define SNIFF_LIMIT     CSV_MAX_RECORD_DEFAULT

void csv_init(struct csv_reader *r, const char *data, size_t len)
{
	memset(r, 0, sizeof(*r));
	r->data = data;
	r->len = data ? len : 0;
	r->delim = csv_sniff(data, r->len);
	r->line = 0;
	r->next_line = 1;
	r->max_record = CSV_MAX_RECORD_DEFAULT;
	r->max_fields = CSV_MAX_FIELDS_DEFAULT;
}

void csv_release(struct csv_reader *r)
{
	if (!r)
		return;
	free(r->fields);
	free(r->scratch);
	r->fields = NULL;
	r->scratch = NULL;
	r->nfields = 0;
	r->fields_cap = 0;
	r->scratch_cap = 0;
}

char csv_sniff(const char *data, size_t len)
{
	size_t i, commas = 0, tabs = 0, semis = 0;
	int quoted = 0;

	if (!data)
		return ',';
	if (len > SNIFF_LIMIT)
		len = SNIFF_LIMIT;
	for (i = 0; i < len; i++) {
		char c = data[i];

		if (c == '"')
			quoted = !quoted;
		else if (quoted)
			continue;
		else if (c == '\n' || c == '\r')
			break;
		else if (c == ',')
			commas++;
		else if (c == '\t')
			tabs++;
		else if (c == ';')
			semis++;
	}
	if (commas || (!tabs && !semis))
		return ',';
	return tabs >= semis ? '\t' : ';';
}

int csv_blank(const struct csv_reader *r)
{
	size_t i;

	for (i = 0; i < r->nfields; i++)
		if (r->fields[i].len)
			return 0;
	return 1;
}

/* Physical lines ended inside p[0..n): LF, CRLF, and a lone CR. */
static long count_breaks(const char *p, size_t n)
{
	long lines = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] == '\n')
			lines++;
		else if (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'))
			lines++;
	}
	return lines;
}

static int too_long(struct csv_reader *r, int in_quotes, struct err *err)
{
	char size[32];

	if (r->max_record % 1024 == 0)
		snprintf(size, sizeof(size), "%zu KB", r->max_record / 1024);
	else
		snprintf(size, sizeof(size), "%zu 字节", r->max_record);
	if (in_quotes)
		err_input(err, "第%ld行过长（超过%s），可能是引号未闭合", r->line, size);
	else
		err_input(err, "第%ld行过长（超过%s）", r->line, size);
	err_at(err, r->line, NULL, 0);
	return -1;
}

static int add_field(struct csv_reader *r, const char *p, size_t len, struct err *err)
{
	if (r->nfields == r->fields_cap) {
		size_t cap = r->fields_cap ? r->fields_cap * 2 : FIELDS_INITIAL;
		struct csv_field *nf;

		if (r->nfields >= r->max_fields) {
			err_input(err, "字段过多（超过%zu个）", r->max_fields);
			err_at(err, r->line, NULL, 0);
			return -1;
		}
		if (cap > r->max_fields)
			cap = r->max_fields;
		nf = realloc(r->fields, cap * sizeof(*nf));
		if (!nf)
			return err_system(err, "内存不足");
		r->fields = nf;
		r->fields_cap = cap;
	} else if (r->nfields >= r->max_fields) {
		/* The cap was lowered after the array grew. */
		err_input(err, "字段过多（超过%zu个）", r->max_fields);
		err_at(err, r->line, NULL, 0);
		return -1;
	}
	r->fields[r->nfields].p = p;
	r->fields[r->nfields].len = len;
	r->nfields++;
	return 0;
}

/*
 * Append p[0..n) to the scratch buffer, whose first *used bytes are taken.
 * Fields already pointing into the old buffer are moved with it, which is
 * why this copies into a new block rather than calling realloc.
 */
static int scratch_append(struct csv_reader *r, size_t *used, const char *p, size_t n,
                          struct err *err)
{
	if (r->scratch_cap - *used < n) {
		size_t need = *used + n, cap = r->scratch_cap ? r->scratch_cap : SCRATCH_INITIAL;
		uintptr_t old = (uintptr_t)r->scratch;
		char *nb;
		size_t i;

		while (cap < need)
			cap *= 2;
		/* Never beyond the record cap: a record's copies fit within it. */
		if (cap > r->max_record)
			cap = r->max_record > need ? r->max_record : need;
		nb = malloc(cap);
		if (!nb)
			return err_system(err, "内存不足");
		if (*used)
			memcpy(nb, r->scratch, *used);
		for (i = 0; i < r->nfields; i++) {
			uintptr_t f = (uintptr_t)r->fields[i].p;

			if (r->scratch && f >= old && f < old + *used)
				r->fields[i].p = nb + (f - old);
		}
		free(r->scratch);
		r->scratch = nb;
		r->scratch_cap = cap;
	}
	memcpy(r->scratch + *used, p, n);
	*used += n;
	return 0;
}

static int is_blank(char c, char delim)
{
	return c == ' ' || (c == '\t' && delim != '\t');
}

int csv_next(struct csv_reader *r, struct err *err)
{
	const char *data = r->data, *end = data + r->len, *lim, *p;
	char delim = r->delim;
	size_t used = 0;
	long breaks = 0;

	r->nfields = 0;
	if (r->pos >= r->len)
		return 0;
	r->line = r->next_line;
	p = data + r->pos;
	lim = (size_t)(end - p) > r->max_record ? p + r->max_record : end;
	for (;;) {
		const char *f, *fe;

		while (p < lim && is_blank(*p, delim))
			p++;
		if (p < lim && *p == '"') {
			const char *q = ++p, *seg = p, *e;
			size_t start = used;
			int copied = 0;

			for (;;) {
				e = memchr(q, '"', (size_t)(lim - q));
				if (!e) {
					if (lim < end)
						return too_long(r, 1, err);
					err_input(err, "引号未闭合");
					err_at(err, r->line, NULL, 0);
					return -1;
				}
				breaks += count_breaks(q, (size_t)(e - q));
				if (e + 1 < end && e[1] == '"') {
					if (e + 1 >= lim)
						return too_long(r, 1, err);
					/* "" stands for one quote: copy up to and with it. */
					if (scratch_append(r, &used, seg, (size_t)(e + 1 - seg),
					                   err))
						return -1;
					copied = 1;
					q = seg = e + 2;
					continue;
				}
				break;
			}
			if (copied) {
				if (scratch_append(r, &used, seg, (size_t)(e - seg), err))
					return -1;
				f = r->scratch + start;
				fe = r->scratch + used;
			} else {
				f = seg;
				fe = e;
			}
			p = e + 1;
			while (p < lim && is_blank(*p, delim))
				p++;
			if (p < lim && *p != delim && *p != '\n' && *p != '\r') {
				err_input(err, "引号后有多余字符");
				err_at(err, r->line + breaks, NULL, 0);
				return -1;
			}
		} else {
			f = p;
			/* The hot loop: most bytes are neither a delimiter nor a
			 * control character, so the inner test rarely runs. */
			while (p < lim) {
				char c = *p;

				if ((unsigned char)c <= '\r' || c == delim) {
					if (c == delim || c == '\n' || c == '\r')
						break;
				}
				p++;
			}
			fe = p;
			while (fe > f && is_blank(fe[-1], delim))
				fe--;
		}
		if (add_field(r, f, (size_t)(fe - f), err))
			return -1;
		if (p < lim && *p == delim) {
			p++;
			continue;
		}
		if (p < end && (*p == '\n' || *p == '\r')) {
			if (*p == '\r' && p + 1 < end && p[1] == '\n')
				p++;
			p++;
			breaks++;
			break;
		}
		if (p == end)
			break;
		return too_long(r, 0, err);
	}
	r->pos = (size_t)(p - data);
	r->next_line = r->line + breaks;
	return 1;
}

/*
 * Header normalisation, one character at a time so that matching needs no
 * buffer: skips ASCII white space and U+3000, folds full-width （ ） ／ to
 * ASCII and ASCII letters to lower case.  Returns -1 at the end.
 */
static int norm_next(const unsigned char **s, const unsigned char *end)
{
	const unsigned char *p = *s;

	while (p < end) {
		unsigned char c = *p;

		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
			p++;
			continue;
		}
		if (c == 0xE3 && end - p >= 3 && p[1] == 0x80 && p[2] == 0x80) {
			p += 3;
			continue;
		}
		if (c == 0xEF && end - p >= 3 && p[1] == 0xBC &&
		    (p[2] == 0x88 || p[2] == 0x89 || p[2] == 0x8F)) {
			*s = p + 3;
			return p[2] == 0x88 ? '(' : p[2] == 0x89 ? ')' : '/';
		}
		*s = p + 1;
		return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
	}
	*s = p;
	return -1;
}

/* 1 when a[0..alen) and b[0..blen) are equal after normalisation and not
 * empty (an empty alias or an empty header cell never matches). */
static int norm_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	const unsigned char *pa = (const unsigned char *)a, *ea = pa + alen;
	const unsigned char *pb = (const unsigned char *)b, *eb = pb + blen;
	int ca, cb, any = 0;

	do {
		ca = norm_next(&pa, ea);
		cb = norm_next(&pb, eb);
		if (ca != cb)
			return 0;
		any |= ca >= 0;
	} while (ca >= 0);
	return any;
}

int csv_header_matches(const char *names, const char *p, size_t len)
{
	const char *alias = names;

	if (!names || (!p && len))
		return 0;
	for (;;) {
		const char *bar = strchr(alias, '|');
		size_t alen = bar ? (size_t)(bar - alias) : strlen(alias);

		if (norm_equal(alias, alen, p, len))
			return 1;
		if (!bar)
			return 0;
		alias = bar + 1;
	}
}

/* Length of at most max bytes of p[0..len) that does not cut a UTF-8
 * character in two, for quoting header cells in messages. */
static int quote_len(const char *p, size_t len, size_t max)
{
	if (len <= max)
		return (int)len;
	len = max;
	while (len > 0 && ((unsigned char)p[len] & 0xC0) == 0x80)
		len--;
	return (int)len;
}

int csv_map_header(const struct csv_reader *r, const struct csv_column *columns, size_t ncolumns,
                   int *index, struct err *err)
{
	size_t i, c;
	int missing = 0;

	for (c = 0; c < ncolumns; c++)
		index[c] = -1;
	for (i = 0; i < r->nfields; i++) {
		const struct csv_field *f = &r->fields[i];

		for (c = 0; c < ncolumns; c++) {
			if (!csv_header_matches(columns[c].names, f->p, f->len))
				continue;
			if (index[c] >= 0) {
				err_input(err, "列“%.*s”重复", quote_len(f->p, f->len, 200), f->p);
				err_at(err, r->line, NULL, 0);
				return -1;
			}
			index[c] = (int)i;
			break;
		}
	}
	for (c = 0; c < ncolumns; c++)
		if (columns[c].required && index[c] < 0)
			missing++;
	return missing;
}
