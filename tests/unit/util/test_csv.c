/*
 * test_csv.c - the CSV reader: quoting, line breaks and line numbers,
 * trimming, delimiters, the caps, and header mapping (csv.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"

struct read_case {
	const char *name;
	const char *in;
	size_t max_record; /* 0 = default */
	size_t max_fields; /* 0 = default */
	/* Every record read, one per line: its line number, then each field
	 * in angle brackets. */
	const char *want;
	long err_line; /* 0 = reading ends without error */
	const char *err_msg;
};

static const struct read_case read_cases[] = {
    {"lf", "a,b,c\n1,2,3\n", 0, 0, "1<a><b><c>\n2<1><2><3>\n", 0, NULL},
    {"crlf", "a,b\r\n1,2\r\n", 0, 0, "1<a><b>\n2<1><2>\n", 0, NULL},
    {"no final newline", "a,b\n1,2", 0, 0, "1<a><b>\n2<1><2>\n", 0, NULL},
    {"empty data", "", 0, 0, "", 0, NULL},
    {"only a newline", "\n", 0, 0, "1<>\n", 0, NULL},
    {"quoted delimiter", "\"a,b\",c\n", 0, 0, "1<a,b><c>\n", 0, NULL},
    {"escaped quotes", "\"say \"\"hi\"\"\",x\n", 0, 0, "1<say \"hi\"><x>\n", 0, NULL},
    {"only an escaped quote", "\"\"\"\"\n", 0, 0, "1<\">\n", 0, NULL},
    {"empty quoted", "\"\",x\n", 0, 0, "1<><x>\n", 0, NULL},
    {"embedded crlf", "h1,h2\r\n\"line1\r\nline2\",x\r\nnext,y\r\n", 0, 0,
     "1<h1><h2>\n2<line1\r\nline2><x>\n4<next><y>\n", 0, NULL},
    {"embedded lf and escapes", "\"a\n\"\"b\"\"\nc\",d\ne,f\n", 0, 0,
     "1<a\n\"b\"\nc><d>\n4<e><f>\n", 0, NULL},
    {"two multi-line fields", "\"1\n2\",\"3\r\n4\r\n5\"\nz\n", 0, 0, "1<1\n2><3\r\n4\r\n5>\n5<z>\n",
     0, NULL},
    {"trimming", "  a  , b\t,  \"q \"  ,\t\n", 0, 0, "1<a><b><q ><>\n", 0, NULL},
    {"inner spaces kept", "张 三 ,  黔A 01\n", 0, 0, "1<张 三><黔A 01>\n", 0, NULL},
    {"blank lines", "a\n\nb\n\r\nc", 0, 0, "1<a>\n2<>\n3<b>\n4<>\n5<c>\n", 0, NULL},
    {"lone cr", "a\rb\r\rc", 0, 0, "1<a>\n2<b>\n3<>\n4<c>\n", 0, NULL},
    {"trailing delimiter", "a,\n,\n", 0, 0, "1<a><>\n2<><>\n", 0, NULL},
    {"quote inside unquoted", "ab\"c,d\"\n", 0, 0, "1<ab\"c><d\">\n", 0, NULL},
    {"tab sniffed", "证书编号\t姓名\n黔A\t张 三 \n", 0, 0, "1<证书编号><姓名>\n2<黔A><张 三>\n", 0,
     NULL},
    {"tab with empty fields", "a\t\tb\n", 0, 0, "1<a><><b>\n", 0, NULL},
    {"semicolon sniffed", "a;b\n1,5;2\n", 0, 0, "1<a><b>\n2<1,5><2>\n", 0, NULL},
    {"unterminated quote", "a,b\nc,\"open\nmore\nstuff\n", 0, 0, "1<a><b>\n", 2, "引号未闭合"},
    {"unterminated at the end", "a\n\"", 0, 0, "1<a>\n", 2, "引号未闭合"},
    {"junk after quote", "a\n\"x\"y,z\n", 0, 0, "1<a>\n", 2, "引号后有多余字符"},
    {"junk after multi-line quote", "\"x\ny\" z\n", 0, 0, "", 2, "引号后有多余字符"},
    {"too many fields", "1,2,3,4\n1,2,3,4,5\n", 0, 4, "1<1><2><3><4>\n", 2, "字段过多"},
    {"record at the cap", "abcd\r\nab,c\n", 4, 0, "1<abcd>\n2<ab><c>\n", 0, NULL},
    {"record over the cap", "abcd\nabc,d\n", 4, 0, "1<abcd>\n", 2, "第2行过长（超过4 字节）"},
    {"quoted over the cap", "\"abcdefghijkl\"\n", 8, 0, "", 1, "可能是引号未闭合"},
    {"escape across the cap", "\"abcdef\"\"\"\n", 8, 0, "", 1, "第1行过长"},
    {"spaces over the cap", "\"ab\"      \n", 8, 0, "", 1, "第1行过长"},
    {"default cap named", NULL, 0, 0, "", 1, "第1行过长（超过64 KB）"},
};

/* Read everything, rendering records as read_case.want does. */
static int read_all(struct csv_reader *r, char *out, size_t outlen, struct err *e)
{
	size_t n = 0;
	long last = 0;
	int rc;

	out[0] = '\0';
	while ((rc = csv_next(r, e)) == 1) {
		size_t i;

		assert_true(r->line > last);
		assert_true(r->next_line > r->line || r->pos == r->len);
		last = r->line;
		n += (size_t)snprintf(out + n, outlen - n, "%ld", r->line);
		for (i = 0; i < r->nfields; i++)
			n += (size_t)snprintf(out + n, outlen - n, "<%.*s>", (int)r->fields[i].len,
			                      r->fields[i].p);
		n += (size_t)snprintf(out + n, outlen - n, "\n");
		assert_true(n < outlen);
	}
	return rc;
}

static void test_read(void **state)
{
	size_t i;
	char *big = malloc(70000);

	(void)state;
	assert_non_null(big);
	memset(big, 'x', 69999);
	big[69999] = '\0';
	for (i = 0; i < sizeof(read_cases) / sizeof(read_cases[0]); i++) {
		const struct read_case *c = &read_cases[i];
		const char *in = c->in ? c->in : big;
		struct csv_reader r;
		struct err e;
		char got[1024];
		int rc;

		err_clear(&e);
		csv_init(&r, in, strlen(in));
		if (c->max_record)
			r.max_record = c->max_record;
		if (c->max_fields)
			r.max_fields = c->max_fields;
		rc = read_all(&r, got, sizeof(got), &e);
		if (strcmp(got, c->want) != 0)
			fail_msg("%s: read\n%s\nwant\n%s", c->name, got, c->want);
		if (c->err_line) {
			if (rc != -1 || e.kind != ERR_INPUT)
				fail_msg("%s: rc %d, kind %d", c->name, rc, (int)e.kind);
			if (e.line != c->err_line)
				fail_msg("%s: error line %ld, want %ld", c->name, e.line,
				         c->err_line);
			if (!strstr(e.msg, c->err_msg))
				fail_msg("%s: message \"%s\"", c->name, e.msg);
		} else if (rc != 0) {
			fail_msg("%s: rc %d (%s)", c->name, rc, e.msg);
		}
		/* The end is sticky. */
		if (rc == 0)
			assert_int_equal(csv_next(&r, &e), 0);
		csv_release(&r);
	}
	free(big);
	csv_release(NULL);
}

struct sniff_case {
	const char *in;
	char delim;
};

static const struct sniff_case sniff_cases[] = {
    {"", ','},
    {"abc", ','},
    {"a,b,c\n", ','},
    {"a\tb\tc\r\n", '\t'},
    {"a;b;c\n", ';'},
    {"a,b\tc\n", ','},
    {"a\tb;c;d\n", ';'},
    {"a\tb;c\n", '\t'},
    {"\"a,b\"\tc\n", '\t'}, /* a quoted comma is not a delimiter */
    {"abc\na\tb\n", ','},   /* only the first line counts */
    {"abc\ra;b\n", ','},
};

static void test_sniff(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(sniff_cases) / sizeof(sniff_cases[0]); i++) {
		char d = csv_sniff(sniff_cases[i].in, strlen(sniff_cases[i].in));

		if (d != sniff_cases[i].delim)
			fail_msg("case %zu: delimiter '%c'", i, d);
	}
	assert_int_equal(csv_sniff(NULL, 0), ',');
}

static void test_blank(void **state)
{
	struct csv_reader r;
	struct err e;

	(void)state;
	csv_init(&r, "\n , \t\n\"\"\na,\n", 12);
	assert_int_equal(csv_next(&r, &e), 1);
	assert_int_equal(r.nfields, 1);
	assert_true(csv_blank(&r));
	assert_int_equal(csv_next(&r, &e), 1);
	assert_int_equal(r.nfields, 2);
	assert_true(csv_blank(&r));
	assert_int_equal(csv_next(&r, &e), 1);
	assert_true(csv_blank(&r));
	assert_int_equal(csv_next(&r, &e), 1);
	assert_false(csv_blank(&r));
	assert_int_equal(csv_next(&r, &e), 0);
	csv_release(&r);
}

/* Many escaped fields in one record make the scratch buffer grow while
 * earlier fields already point into it. */
static void test_scratch_growth(void **state)
{
	char line[4096], want[128];
	size_t n = 0, i;
	struct csv_reader r;
	struct err e;

	(void)state;
	for (i = 0; i < 20; i++) {
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s\"%03zu", i ? "," : "", i);
		memset(line + n, 'q', 100);
		n += 100;
		n += (size_t)snprintf(line + n, sizeof(line) - n, "\"\"\"");
	}
	n += (size_t)snprintf(line + n, sizeof(line) - n, "\nend\n");
	csv_init(&r, line, n);
	assert_int_equal(csv_next(&r, &e), 1);
	assert_int_equal(r.nfields, 20);
	for (i = 0; i < 20; i++) {
		snprintf(want, sizeof(want), "%03zu", i);
		memset(want + 3, 'q', 100);
		want[103] = '"';
		assert_int_equal(r.fields[i].len, 104);
		assert_memory_equal(r.fields[i].p, want, 104);
	}
	assert_true(r.scratch_cap <= r.max_record);
	assert_int_equal(csv_next(&r, &e), 1);
	assert_int_equal(r.line, 2);
	csv_release(&r);
}

/*
 * An over-long record must be refused after looking at about max_record
 * bytes, however much data follows: the data here is 64 MB of which only
 * the first max_record + 4 KB are readable, so any scan further faults.
 */
static void test_cap_bounded(void **state)
{
	static const char starts[] = {'x', '"'};
	size_t total = (size_t)64 << 20, readable = CSV_MAX_RECORD_DEFAULT + 4096, i;
	char *map;

	(void)state;
	map = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(map != MAP_FAILED);
	memset(map, 'x', readable);
	assert_int_equal(mprotect(map + readable, total - readable, PROT_NONE), 0);
	for (i = 0; i < sizeof(starts); i++) {
		struct csv_reader r;
		struct err e;

		map[0] = starts[i];
		csv_init(&r, map, total);
		assert_int_equal(csv_next(&r, &e), -1);
		assert_int_equal(e.kind, ERR_INPUT);
		assert_int_equal(e.line, 1);
		assert_non_null(strstr(e.msg, "第1行过长（超过64 KB）"));
		csv_release(&r);
	}
	munmap(map, total);
}

static const struct csv_column columns[] = {
    {"证书编号|number", 1},    {"姓名|name", 1},           {"特种作业岗位/工种", 0},
    {"复审(延期复核)日期", 0}, {"身份证号|身份证号码", 1},
};
#define NCOLUMNS (sizeof(columns) / sizeof(columns[0]))

struct header_case {
	const char *name;
	const char *in;
	int rc;
	int index[NCOLUMNS];
	const char *err_msg;
};

static const struct header_case header_cases[] = {
    {"plain", "证书编号,姓名,身份证号\n", 0, {0, 1, -1, -1, 2}, NULL},
    {"aliases and case",
     "Number, NAME ,特种作业岗位／工种,复审（延期复核）日期,身份证号码\n",
     0,
     {0, 1, 2, 3, 4},
     NULL},
    {"ascii slash and parentheses",
     "特种作业岗位/工种,复审(延期复核)日期\n",
     3,
     {-1, -1, 0, 1, -1},
     NULL},
    {"spaces inside", "证书 编号,姓\xe3\x80\x80名,\"身份证号\"\n", 0, {0, 1, -1, -1, 2}, NULL},
    {"line break in a cell", "\"复审（延期复核）\r\n日期\",姓名\n", 2, {-1, 1, -1, 0, -1}, NULL},
    {"unknown and empty cells", ",序号,,姓名,备注\n", 2, {-1, 3, -1, -1, -1}, NULL},
    {"nothing known", "a,b\n", 3, {-1, -1, -1, -1, -1}, NULL},
    {"duplicate", "证书编号,姓名,NUMBER\n", -1, {0}, "列“NUMBER”重复"},
    {"duplicate after folding",
     "复审（延期复核）日期,复审(延期复核)日期\n",
     -1,
     {0},
     "列“复审(延期复核)日期”重复"},
};

static void test_header(void **state)
{
	size_t i, c;

	(void)state;
	for (i = 0; i < sizeof(header_cases) / sizeof(header_cases[0]); i++) {
		const struct header_case *h = &header_cases[i];
		struct csv_reader r;
		struct err e;
		int index[NCOLUMNS];
		int rc;

		err_clear(&e);
		csv_init(&r, h->in, strlen(h->in));
		assert_int_equal(csv_next(&r, &e), 1);
		rc = csv_map_header(&r, columns, NCOLUMNS, index, &e);
		if (rc != h->rc)
			fail_msg("%s: rc %d, want %d", h->name, rc, h->rc);
		if (rc >= 0) {
			for (c = 0; c < NCOLUMNS; c++)
				if (index[c] != h->index[c])
					fail_msg("%s: column %zu at %d, want %d", h->name, c,
					         index[c], h->index[c]);
		} else {
			assert_int_equal(e.kind, ERR_INPUT);
			assert_int_equal(e.line, 1);
			if (strcmp(e.msg, h->err_msg) != 0)
				fail_msg("%s: message \"%s\"", h->name, e.msg);
		}
		csv_release(&r);
	}
}

struct match_case {
	const char *names;
	const char *cell;
	int match;
};

static const struct match_case match_cases[] = {
    {"证书编号|number", "证书编号", 1},
    {"证书编号|number", "Number", 1},
    {"证书编号|number", " NUM BER ", 1},
    {"证书编号|number", "numbers", 0},
    {"证书编号|number", "证书", 0},
    {"证书编号|number", "", 0},
    {"a||b", "", 0},
    {"a||b", "B", 1},
    {"特种作业岗位/工种", "特种作业岗位／工种", 1},
    {"特种作业岗位／工种", "特种作业岗位/工种", 1},
    {"复审(延期复核)日期", "复审（延期复核）日期", 1},
    {"复审(延期复核)日期", "复审（延期复核日期", 0},
    {"姓名", "\xe3\x80\x80姓　名\xe3\x80\x80", 1},
    {"姓名", "姓名\xe3\x80", 0},
};

static void test_header_matches(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(match_cases) / sizeof(match_cases[0]); i++) {
		const struct match_case *m = &match_cases[i];
		int got = csv_header_matches(m->names, m->cell, strlen(m->cell));

		if (got != m->match)
			fail_msg("\"%s\" vs \"%s\": %d", m->names, m->cell, got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_read),           cmocka_unit_test(test_sniff),
	    cmocka_unit_test(test_blank),          cmocka_unit_test(test_scratch_growth),
	    cmocka_unit_test(test_cap_bounded),    cmocka_unit_test(test_header),
	    cmocka_unit_test(test_header_matches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
