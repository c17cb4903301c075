/*
 * test_demo.c - unit tests for lib/register/demo.c: the synthetic register and
 * rosters.  A small data set is written into a temporary directory and read
 * back: the files are byte-for-byte reproducible from the options, every
 * register row is valid input (ID, gender, number, trade, dates, no
 * duplicates), the clean roster verifies as valid row by row, and each row
 * of the violations roster gets exactly the verdict its 预期核验结果 column
 * announces under the verifier's rules (re-derived here independently from
 * the register and the status rules).  Option errors leave no file behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cert.h"
#include "certno.h"
#include "date.h"
#include "demo.h"
#include "idnum.h"
#include "status.h"
#include "trade.h"
#include "verdict.h"
#include "fixture.h"

#define N_CERTS  300
#define N_ROSTER 40
#define SEED     20180809u

#define BOM "\xEF\xBB\xBF"
#define REGISTER_HEADER                                                                            \
	"证书编号,姓名,性别,身份证号码,工种,发证机关,发证日期,有效期至,复审日期,状态,培训机构"
#define ROSTER_HEADER                                                                              \
	"序号,姓名,性别,身份证号码,特种作业岗位/工种,证书编号,发证机关,有效期至,项目名称,备注"

#define MAX_FIELDS 16
#define FIELD_SIZE 256

static struct demo_options options(void)
{
	struct demo_options o;

	o.certificates = N_CERTS;
	o.roster_rows = N_ROSTER;
	o.seed = SEED;
	o.today = date_from_ymd(2018, 8, 9);
	return o;
}

/* ---- files ----------------------------------------------------------- */

static const char *const files[] = {"register.csv", "roster-clean.csv", "roster-violations.csv"};

static char *make_tmpdir(void)
{
	struct fixture_dir d;

	assert_int_equal(fixture_dir_make(&d, "demo"), 0);
	return strdup(d.path);
}

static void path_of(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < size);
}

static void remove_tmpdir(char *dir)
{
	char path[512];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path_of(path, sizeof(path), dir, files[i]);
		remove(path);
	}
	assert_int_equal(rmdir(dir), 0);
	free(dir);
}

static char *read_all(const char *dir, const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	path_of(path, sizeof(path), dir, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int file_exists(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	path_of(path, sizeof(path), dir, name);
	return stat(path, &st) == 0;
}

static void write_ok(const struct demo_options *o, const char *dir)
{
	struct err e;

	assert_int_equal(demo_write(o, dir, NULL, NULL, &e), 0);
}

/* ---- a little CSV: CRLF lines, comma fields, "" quotes ------------------ */

struct lines {
	char *data;
	size_t len;
	size_t pos;
};

static void lines_open(struct lines *l, const char *dir, const char *name)
{
	l->data = read_all(dir, name, &l->len);
	/* UTF-8 with BOM */
	assert_true(l->len >= 3);
	assert_memory_equal(l->data, BOM, 3);
	l->pos = 3;
}

/* Next line without its CRLF (every line must end in CRLF); NULL at the end. */
static const char *lines_next(struct lines *l)
{
	char *s = l->data + l->pos, *nl;

	if (l->pos >= l->len)
		return NULL;
	nl = strchr(s, '\n');
	assert_non_null(nl);
	assert_true(nl > s && nl[-1] == '\r');
	nl[-1] = '\0';
	l->pos = (size_t)(nl + 1 - l->data);
	return s;
}

struct fields {
	size_t n;
	int padded; /* some field had surrounding spaces */
	char f[MAX_FIELDS][FIELD_SIZE];
};

/* Split one line; surrounding ASCII spaces of unquoted fields are dropped
 * like the roster reader drops them. */
static void split(const char *line, struct fields *out)
{
	const char *s = line;

	out->n = 0;
	out->padded = 0;
	for (;;) {
		char *f;
		size_t n = 0;

		assert_true(out->n < MAX_FIELDS);
		f = out->f[out->n++];
		if (*s == '"') {
			s++;
			for (;;) {
				assert_true(*s != '\0');
				if (*s == '"' && s[1] == '"') {
					s++;
				} else if (*s == '"') {
					s++;
					break;
				}
				assert_true(n + 1 < FIELD_SIZE);
				f[n++] = *s++;
			}
		} else {
			while (*s == ' ') {
				s++;
				out->padded = 1;
			}
			while (*s && *s != ',') {
				assert_true(n + 1 < FIELD_SIZE);
				f[n++] = *s++;
			}
			while (n && f[n - 1] == ' ') {
				n--;
				out->padded = 1;
			}
		}
		f[n] = '\0';
		if (*s != ',')
			break;
		s++;
	}
	assert_true(*s == '\0');
}

static int32_t parse_date(const char *s)
{
	int32_t d = DATE_NONE;

	assert_int_equal(date_parse(s, strlen(s), &d), 0);
	return d;
}

/* ---- demo_cert --------------------------------------------------------- */

static void test_fixed_kinds(void **state)
{
	static const enum demo_kind kinds[] = {DEMO_EXPIRED, DEMO_SUSPENDED, DEMO_REVOKED,
	                                       DEMO_REVIEW_OVERDUE, DEMO_VALID};
	static const verdict_mask findings[] = {VMASK(V_EXPIRED), VMASK(V_SUSPENDED),
	                                        VMASK(V_REVOKED), VMASK(V_REVIEW_OVERDUE), 0};
	struct demo_options o = options();
	struct cert c;
	enum demo_kind k;

	(void)state;
	for (long i = 0; i < 5; i++) {
		for (uint64_t seed = 0; seed < 20; seed++) {
			o.seed = seed * 0x9E3779B97F4A7C15u;
			demo_cert(&o, i, &c, &k);
			assert_int_equal(k, kinds[i]);
			assert_int_equal(status_findings(&c, o.today), findings[i]);
		}
	}
	demo_cert(&o, 0, &c, NULL);
	assert_int_equal(c.system, SYS_CONSTRUCTION);
	assert_int_equal(c.status, CERT_VALID);
	demo_cert(&o, 1, &c, NULL);
	assert_int_equal(c.status, CERT_SUSPENDED);
	demo_cert(&o, 2, &c, NULL);
	assert_int_equal(c.status, CERT_REVOKED);
	demo_cert(&o, 3, &c, NULL);
	assert_int_equal(c.system, SYS_EMERGENCY);
	assert_true(c.review_due < o.today && c.valid_until > o.today);
	demo_cert(&o, 4, &c, NULL);
	assert_int_equal(c.system, SYS_EMERGENCY);
	assert_int_equal(c.number[0], 'T');
	assert_string_equal(c.number + 1, c.id_number);
}

/* A pure function whose kinds follow the stated shares and agree with the
 * status rules on o.today. */
static void test_cert_pure(void **state)
{
	struct demo_options o = options();
	struct cert a, b;
	enum demo_kind ka, kb;
	long count[5] = {0}, em_valid = 0;
	const long n = 20000;

	(void)state;
	for (long i = 0; i < n; i++) {
		demo_cert(&o, i, &a, &ka);
		demo_cert(&o, i, &b, &kb);
		assert_int_equal(ka, kb);
		assert_memory_equal(&a, &b, sizeof(a));
		count[ka]++;
		if (ka == DEMO_VALID && a.system == SYS_EMERGENCY)
			em_valid++;
		if (ka == DEMO_REVIEW_OVERDUE)
			assert_int_equal(a.system, SYS_EMERGENCY);
		if (ka != DEMO_VALID && ka != DEMO_REVIEW_OVERDUE)
			assert_int_equal(a.system, SYS_CONSTRUCTION);
		assert_int_equal(verdict_of(status_findings(&a, o.today)),
		                 ka == DEMO_VALID       ? V_VALID
		                 : ka == DEMO_EXPIRED   ? V_EXPIRED
		                 : ka == DEMO_SUSPENDED ? V_SUSPENDED
		                 : ka == DEMO_REVOKED   ? V_REVOKED
		                                        : V_REVIEW_OVERDUE);
	}
	/* 3% expired, 1% each of the others, ~15% of valid ones EM */
	assert_true(count[DEMO_EXPIRED] > n * 2 / 100 && count[DEMO_EXPIRED] < n * 4 / 100);
	assert_true(count[DEMO_SUSPENDED] > n / 200 && count[DEMO_SUSPENDED] < n * 2 / 100);
	assert_true(count[DEMO_REVOKED] > n / 200 && count[DEMO_REVOKED] < n * 2 / 100);
	assert_true(count[DEMO_REVIEW_OVERDUE] > n / 200 &&
	            count[DEMO_REVIEW_OVERDUE] < n * 2 / 100);
	assert_true(em_valid > count[DEMO_VALID] / 10 && em_valid < count[DEMO_VALID] / 5);
}

/* ---- register.csv ------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void assert_unique(char **v, size_t n)
{
	qsort(v, n, sizeof(v[0]), cmp_str);
	for (size_t i = 1; i < n; i++)
		assert_string_not_equal(v[i - 1], v[i]);
}

static void test_register(void **state)
{
	struct demo_options o = options();
	char *dir = make_tmpdir();
	struct lines l;
	struct fields f;
	const char *line;
	char *numbers[N_CERTS], *ids[N_CERTS];
	long row = 0;
	int male = 0;

	(void)state;
	write_ok(&o, dir);
	lines_open(&l, dir, "register.csv");
	assert_string_equal(lines_next(&l), REGISTER_HEADER);
	while ((line = lines_next(&l)) != NULL) {
		struct cert c;
		struct certno cn;
		char id[IDNUM_SIZE], date[DATE_TEXT_MAX];
		const struct trade *t;
		int32_t issued, until;
		int y, m, d;

		assert_true(row < N_CERTS);
		split(line, &f);
		assert_int_equal(f.n, 11);
		demo_cert(&o, row, &c, NULL);

		/* exactly demo_cert's record */
		assert_string_equal(f.f[0], c.number);
		assert_string_equal(f.f[1], c.name);
		assert_string_equal(f.f[3], c.id_number);
		assert_string_equal(f.f[4], c.trade);
		assert_string_equal(f.f[5], c.issuer);
		assert_string_equal(f.f[10], c.training_institution);
		assert_int_equal(cert_status_parse(f.f[9], strlen(f.f[9])), (int)c.status);

		/* a name of 2-3 CJK characters */
		assert_true(strlen(f.f[1]) == 6 || strlen(f.f[1]) == 9);

		/* a valid ID that agrees with the gender */
		assert_int_equal(idnum_check(f.f[3], strlen(f.f[3]), o.today, id), IDNUM_OK);
		assert_int_equal(gender_parse(f.f[2], strlen(f.f[2])), idnum_gender(id));
		assert_true(!strcmp(f.f[2], "男") || !strcmp(f.f[2], "女"));
		if (idnum_gender(id) == GENDER_MALE)
			male++;
		assert_memory_equal(id, "52", 2);

		/* a number of the right system */
		assert_int_equal(certno_parse(f.f[0], strlen(f.f[0]), &cn), 0);
		assert_int_equal(cn.system, c.system);
		assert_string_equal(cn.text, f.f[0]);
		t = trade_by_code(cn.system, f.f[4]);
		assert_non_null(t);
		assert_int_equal(t->system, cn.system);

		/* dates in order, written YYYY-MM-DD */
		issued = parse_date(f.f[6]);
		until = parse_date(f.f[7]);
		assert_true(issued <= until);
		date_format(issued, date);
		assert_string_equal(f.f[6], date);
		date_format(until, date);
		assert_string_equal(f.f[7], date);
		date_to_ymd(issued, &y, &m, &d);
		if (cn.system == SYS_CONSTRUCTION) {
			assert_string_equal(cn.prefix, "黔A");
			assert_string_equal(cn.trade, f.f[4]);
			assert_int_equal(cn.year, y);
			assert_int_equal(cn.serial, row / 11 + 1);
			assert_string_equal(f.f[8], "");
			assert_int_equal(until, date_add_years(issued, 2) - 1);
			assert_string_equal(f.f[5], "贵阳市住房和城乡建设局");
		} else {
			assert_string_equal(cn.id, id);
			assert_int_equal(parse_date(f.f[8]), date_add_years(issued, 3) - 1);
			assert_int_equal(until, date_add_years(issued, 6) - 1);
			assert_string_equal(f.f[5], "贵阳市应急管理局");
		}
		numbers[row] = strdup(f.f[0]);
		ids[row] = strdup(f.f[3]);
		assert_non_null(numbers[row]);
		assert_non_null(ids[row]);
		row++;
	}
	assert_int_equal(row, N_CERTS);
	/* roughly 85% men */
	assert_true(male > N_CERTS * 3 / 4 && male < N_CERTS * 19 / 20);
	assert_unique(numbers, N_CERTS);
	assert_unique(ids, N_CERTS);
	for (long i = 0; i < N_CERTS; i++) {
		free(numbers[i]);
		free(ids[i]);
	}
	free(l.data);
	remove_tmpdir(dir);
}

/* ---- same bytes from the same options ---------------------------------- */

static void test_determinism(void **state)
{
	struct demo_options o = options();
	char *a = make_tmpdir(), *b = make_tmpdir(), *c = make_tmpdir();

	(void)state;
	write_ok(&o, a);
	write_ok(&o, b);
	o.seed++;
	write_ok(&o, c);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t la, lb, lc;
		char *da = read_all(a, files[i], &la);
		char *db = read_all(b, files[i], &lb);
		char *dc = read_all(c, files[i], &lc);

		assert_int_equal(la, lb);
		assert_memory_equal(da, db, la);
		assert_true(la != lc || memcmp(da, dc, la) != 0);
		free(da);
		free(db);
		free(dc);
	}
	remove_tmpdir(a);
	remove_tmpdir(b);
	remove_tmpdir(c);
}

/* ---- the verifier's rules, re-derived for the rosters ------------------- */

struct reg {
	struct cert *c;
	long n;
};

static struct reg *reg_load(const struct demo_options *o)
{
	struct reg *r = malloc(sizeof(*r));

	assert_non_null(r);
	r->n = o->certificates;
	r->c = calloc((size_t)r->n, sizeof(r->c[0]));
	assert_non_null(r->c);
	for (long i = 0; i < r->n; i++)
		demo_cert(o, i, &r->c[i], NULL);
	return r;
}

static void reg_free(struct reg *r)
{
	free(r->c);
	free(r);
}

static const struct cert *reg_find(const struct reg *r, const char *number)
{
	for (long i = 0; i < r->n; i++)
		if (strcmp(r->c[i].number, number) == 0)
			return &r->c[i];
	return NULL;
}

/* Spaces dropped and 住房和城乡建设局 folded to 住建局. */
static void issuer_fold(const char *s, char *out, size_t size)
{
	static const char longform[] = "住房和城乡建设局";
	size_t n = 0;

	while (*s) {
		if (*s == ' ') {
			s++;
		} else if (strncmp(s, longform, sizeof(longform) - 1) == 0) {
			assert_true(n + 10 < size);
			memcpy(out + n, "住建局", 9);
			n += 9;
			s += sizeof(longform) - 1;
		} else {
			assert_true(n + 1 < size);
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
}

enum col { C_SEQ, C_NAME, C_GENDER, C_ID, C_TRADE, C_NUMBER, C_ISSUER, C_UNTIL, C_PROJECT };

/* The verdict string ("mismatch:name,trade") of roster row f. */
static void judge(const struct reg *reg, const struct demo_options *o, const struct fields *f,
                  int duplicated, char *out, size_t size)
{
	static const char *const field_names[] = {"name",  "id_number",   "gender",
	                                          "trade", "valid_until", "issuer"};
	verdict_mask m = 0;
	unsigned fields = 0;
	char id[IDNUM_SIZE] = "";
	int id_ok;
	enum gender g = gender_parse(f->f[C_GENDER], strlen(f->f[C_GENDER]));
	struct certno cn;
	const struct cert *c = NULL;

	id_ok = idnum_check(f->f[C_ID], strlen(f->f[C_ID]), o->today, id) == IDNUM_OK;
	if (!id_ok || (g != GENDER_NONE && g != (enum gender)idnum_gender(id)))
		m |= VMASK(V_INVALID_ID);
	if (f->f[C_NUMBER][0] == '\0') {
		m |= VMASK(V_UNCERTIFIED);
	} else if (certno_parse(f->f[C_NUMBER], strlen(f->f[C_NUMBER]), &cn) != 0) {
		m |= VMASK(V_INVALID_NUMBER);
	} else {
		if (cn.system == SYS_EMERGENCY && id_ok && strcmp(cn.id, id) != 0)
			fields |= 1u << 1;
		c = reg_find(reg, cn.text);
		if (!c && cn.system == SYS_CONSTRUCTION && !strcmp(cn.prefix, "黔A"))
			m |= VMASK(V_NOT_FOUND);
		else if (!c)
			m |= VMASK(V_EXTERNAL);
	}
	if (c) {
		const char *s;

		if (f->f[C_NAME][0] && strcmp(f->f[C_NAME], c->name) != 0)
			fields |= 1u << 0;
		if (id_ok && strcmp(id, c->id_number) != 0)
			fields |= 1u << 1;
		if (g != GENDER_NONE && g != c->gender)
			fields |= 1u << 2;
		s = f->f[C_TRADE];
		if (s[0]) {
			const struct trade *t = trade_find(c->system, s, strlen(s));

			if (!t || strcmp(t->code, c->trade) != 0)
				fields |= 1u << 3;
		}
		if (f->f[C_UNTIL][0] && parse_date(f->f[C_UNTIL]) != c->valid_until)
			fields |= 1u << 4;
		if (f->f[C_ISSUER][0]) {
			char a[CERT_TEXT_SIZE], b[CERT_TEXT_SIZE];

			issuer_fold(f->f[C_ISSUER], a, sizeof(a));
			issuer_fold(c->issuer, b, sizeof(b));
			if (strcmp(a, b) != 0)
				fields |= 1u << 5;
		}
		m |= status_findings(c, o->today);
	}
	if (fields)
		m |= VMASK(V_MISMATCH);
	if (duplicated)
		m |= VMASK(V_DUPLICATE_USE);

	snprintf(out, size, "%s", verdict_code(verdict_of(m)));
	if (verdict_of(m) == V_MISMATCH) {
		const char *sep = ":";

		for (int i = 0; i < 6; i++) {
			if (!(fields & (1u << i)))
				continue;
			strncat(out, sep, size - strlen(out) - 1);
			strncat(out, field_names[i], size - strlen(out) - 1);
			sep = ",";
		}
	}
}

/* Reads a roster: all rows into rows (at most max), checks the header. */
static size_t roster_load(const char *dir, const char *name, int with_expect, struct fields *rows,
                          size_t max)
{
	struct lines l;
	const char *line;
	size_t n = 0;
	char header[512];

	snprintf(header, sizeof(header), "%s%s", ROSTER_HEADER, with_expect ? ",预期核验结果" : "");
	lines_open(&l, dir, name);
	assert_string_equal(lines_next(&l), header);
	while ((line = lines_next(&l)) != NULL) {
		assert_true(n < max);
		split(line, &rows[n]);
		assert_int_equal(rows[n].n, with_expect ? 11 : 10);
		assert_int_equal(atol(rows[n].f[C_SEQ]), (long)n + 1);
		/* 备注 empty, a project named */
		assert_string_equal(rows[n].f[9], "");
		assert_true(rows[n].f[C_PROJECT][0] != '\0');
		n++;
	}
	free(l.data);
	return n;
}

static int duplicated(const struct fields *rows, size_t n, size_t i)
{
	struct certno a, b;
	const char *s = rows[i].f[C_NUMBER];

	if (certno_parse(s, strlen(s), &a) != 0)
		return 0;
	for (size_t j = 0; j < n; j++) {
		const char *t = rows[j].f[C_NUMBER];

		if (j != i && certno_parse(t, strlen(t), &b) == 0 && !strcmp(a.text, b.text))
			return 1;
	}
	return 0;
}

/* Excel ways of writing that one clean roster shows. */
enum variant {
	SEEN_DASH = 1 << 0,
	SEEN_SLASH = 1 << 1,
	SEEN_DOT = 1 << 2,
	SEEN_CHINESE = 1 << 3,
	SEEN_NO_UNTIL = 1 << 4,
	SEEN_NO_ISSUER = 1 << 5,
	SEEN_SHORT_ISSUER = 1 << 6,
	SEEN_TRADE_NAME = 1 << 7,
	SEEN_TRADE_SHORT = 1 << 8,
	SEEN_GENDER_WORD = 1 << 9,
	SEEN_GENDER_MF = 1 << 10,
	SEEN_LOWER_X = 1 << 11,
	SEEN_SPACES = 1 << 12,
	SEEN_EMERGENCY = 1 << 13,
	SEEN_ALL = (1 << 14) - 1,
};

/* Writes o's files, checks that roster-clean.csv has o->roster_rows rows,
 * VALID certificates in index order, each verifying as valid; returns the
 * variants seen. */
static unsigned check_clean(const struct demo_options *o)
{
	char *dir = make_tmpdir();
	struct reg *reg = reg_load(o);
	size_t max = (size_t)o->roster_rows + 1, n;
	struct fields *rows = calloc(max, sizeof(*rows));
	long next = 0;
	unsigned seen = 0;

	assert_non_null(rows);
	write_ok(o, dir);
	n = roster_load(dir, "roster-clean.csv", 0, rows, max);
	assert_int_equal(n, o->roster_rows);
	for (size_t i = 0; i < n; i++) {
		const struct fields *f = &rows[i];
		const char *until = f->f[C_UNTIL], *trade = f->f[C_TRADE];
		char got[128];
		struct certno cn;
		struct cert expect;
		enum demo_kind k;

		/* each certificate at most once, so no duplicate_use */
		judge(reg, o, f, 0, got, sizeof(got));
		assert_string_equal(got, "valid");

		do {
			demo_cert(o, next++, &expect, &k);
		} while (k != DEMO_VALID);
		assert_int_equal(certno_parse(f->f[C_NUMBER], strlen(f->f[C_NUMBER]), &cn), 0);
		assert_string_equal(cn.text, expect.number);

		if (strchr(until, '-'))
			seen |= SEEN_DASH;
		if (strchr(until, '/'))
			seen |= SEEN_SLASH;
		if (strchr(until, '.'))
			seen |= SEEN_DOT;
		if (strstr(until, "年"))
			seen |= SEEN_CHINESE;
		if (!until[0])
			seen |= SEEN_NO_UNTIL;
		if (!f->f[C_ISSUER][0])
			seen |= SEEN_NO_ISSUER;
		if (!strcmp(f->f[C_ISSUER], "贵阳市住建局"))
			seen |= SEEN_SHORT_ISSUER;
		if (strlen(trade) > 4)
			seen |= SEEN_TRADE_NAME;
		if (strlen(trade) == 1)
			seen |= SEEN_TRADE_SHORT;
		if (strstr(f->f[C_GENDER], "性"))
			seen |= SEEN_GENDER_WORD;
		if (!strcmp(f->f[C_GENDER], "M") || !strcmp(f->f[C_GENDER], "F"))
			seen |= SEEN_GENDER_MF;
		if (f->f[C_ID][17] == 'x')
			seen |= SEEN_LOWER_X;
		if (f->padded)
			seen |= SEEN_SPACES;
		if (cn.system == SYS_EMERGENCY)
			seen |= SEEN_EMERGENCY;
	}
	free(rows);
	reg_free(reg);
	remove_tmpdir(dir);
	return seen;
}

static void test_clean_roster(void **state)
{
	struct demo_options o = options();

	(void)state;
	check_clean(&o);
}

/* A longer roster shows every way of writing, each still valid. */
static void test_clean_variants(void **state)
{
	struct demo_options o = options();

	(void)state;
	o.certificates = 3000;
	o.roster_rows = 1500;
	assert_int_equal(check_clean(&o), SEEN_ALL);
}

static void test_violations_roster(void **state)
{
	static const char *const wanted[] = {
	    "valid",
	    "uncertified",
	    "not_found",
	    "mismatch:name",
	    "mismatch:id_number",
	    "mismatch:trade",
	    "mismatch:valid_until",
	    "mismatch:issuer",
	    "mismatch:name,trade",
	    "mismatch:name,id_number",
	    "expired",
	    "suspended",
	    "revoked",
	    "review_overdue",
	    "invalid_id",
	    "invalid_number",
	    "duplicate_use",
	    "external",
	};
	struct demo_options o = options();
	char *dir = make_tmpdir();
	struct reg *reg = reg_load(&o);
	struct fields *rows = calloc(64, sizeof(*rows));
	size_t n;
	int em_id_mismatch = 0;

	(void)state;
	assert_non_null(rows);
	write_ok(&o, dir);
	n = roster_load(dir, "roster-violations.csv", 1, rows, 64);
	for (size_t i = 0; i < n; i++) {
		char got[128];

		judge(reg, &o, &rows[i], duplicated(rows, n, i), got, sizeof(got));
		assert_string_equal(got, rows[i].f[10]);
		if (!strcmp(got, "mismatch:id_number") && rows[i].f[C_NUMBER][0] == 'T')
			em_id_mismatch++;
	}
	for (size_t w = 0; w < sizeof(wanted) / sizeof(wanted[0]); w++) {
		int found = 0;

		for (size_t i = 0; i < n; i++)
			found |= !strcmp(rows[i].f[10], wanted[w]);
		if (!found)
			fail_msg("no row expects %s", wanted[w]);
	}
	/* both T-number ID mismatches: in the register and not */
	assert_int_equal(em_id_mismatch, 2);
	/* the expired .. review-overdue rows are indexes 0..3 as registered */
	for (long i = 0; i < 4; i++) {
		int found = 0;

		for (size_t r = 0; r < n; r++)
			found |= !strcmp(rows[r].f[C_NUMBER], reg->c[i].number) &&
			         !strcmp(rows[r].f[C_ID], reg->c[i].id_number);
		assert_true(found);
	}
	free(rows);
	reg_free(reg);
	remove_tmpdir(dir);
}

/* ---- options and failures --------------------------------------------- */

static void progress_cb(long done, long total, void *arg)
{
	long *last = arg;

	assert_true(done <= total);
	assert_true(done >= *last);
	*last = done;
	last[1] = total;
}

static void test_progress(void **state)
{
	struct demo_options o = options();
	char *dir = make_tmpdir();
	long seen[2] = {0, 0};
	struct err e;

	(void)state;
	assert_int_equal(demo_write(&o, dir, progress_cb, seen, &e), 0);
	assert_true(seen[1] > N_CERTS + N_ROSTER);
	assert_int_equal(seen[0], seen[1]);
	remove_tmpdir(dir);
}

static void test_errors(void **state)
{
	struct demo_options o = options();
	char *dir = make_tmpdir();
	char path[512];
	struct err e;
	FILE *f;

	(void)state;
	o.certificates = DEMO_MIN_CERTIFICATES - 1;
	assert_int_equal(demo_write(&o, dir, NULL, NULL, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);

	/* more roster rows than valid certificates: refused after the
	 * register was written, which must not survive */
	o = options();
	o.roster_rows = N_CERTS;
	assert_int_equal(demo_write(&o, dir, NULL, NULL, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char tmp[128];

		snprintf(tmp, sizeof(tmp), "%s.tmp", files[i]);
		assert_false(file_exists(dir, files[i]));
		assert_false(file_exists(dir, tmp));
	}

	o = options();
	o.today = date_from_ymd(1990, 1, 1);
	assert_int_equal(demo_write(&o, dir, NULL, NULL, &e), -1);
	assert_int_equal(e.kind, ERR_INPUT);

	/* a directory that cannot be made: its parent is a file */
	path_of(path, sizeof(path), dir, "register.csv");
	f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	path_of(path, sizeof(path), dir, "register.csv/sub");
	o = options();
	assert_int_equal(demo_write(&o, path, NULL, NULL, &e), -1);
	assert_int_equal(e.kind, ERR_SYSTEM);

	/* missing parents are created too */
	path_of(path, sizeof(path), dir, "a/b");
	write_ok(&o, path);
	remove_tmpdir(strdup(path));
	path_of(path, sizeof(path), dir, "a");
	assert_int_equal(rmdir(path), 0);
	remove_tmpdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fixed_kinds),
	    cmocka_unit_test(test_cert_pure),
	    cmocka_unit_test(test_register),
	    cmocka_unit_test(test_determinism),
	    cmocka_unit_test(test_clean_roster),
	    cmocka_unit_test(test_clean_variants),
	    cmocka_unit_test(test_violations_roster),
	    cmocka_unit_test(test_progress),
	    cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
