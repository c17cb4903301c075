/*
 * test_vout.c - verification results as text (vout.h): each JSON Lines
 * line is the object vout_json builds, with its keys in the documented
 * order and any text escaped; the CSV for Excel opens with a BOM and quotes
 * what needs quoting; terminal widths count CJK characters as two columns.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "verify.h"
#include "vout.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define M(v)     VMASK(V_##v)

struct rcase {
	const char *what;
	const char *number, *name, *message;
	verdict_mask findings;
	unsigned mismatched;
	/* what vout_json must hold */
	const char *verdict;
	const char *findings_json;   /* the array, compact */
	const char *mismatched_json; /* the array, compact */
};

static const struct rcase cases[] = {
    {"valid", "黔A012018000001", "张三", "证书有效，有效期至2020-08-08", 0, 0, "valid", "[]", "[]"},
    {"quotes and backslashes", "黔A012018000001", "张\"三\\", "说明：\"引号\" 和 \\反斜杠\\",
     M(MISMATCH), FIELD_NAME, "mismatch", "[\"mismatch\"]", "[\"name\"]"},
    {"control characters", "黔A01\t2018", "a\x01\x1f\tb\nc\rd", "line1\nline2\x7f\x02",
     M(NOT_FOUND), 0, "not_found", "[\"not_found\"]", "[]"},
    {"several findings in order", "黔A052018000003", "王五", "信息不符：姓名、工种与登记信息不一致",
     M(REVOKED) | M(MISMATCH) | M(DUPLICATE_USE) | M(EXPIRED), FIELD_TRADE | FIELD_NAME, "mismatch",
     "[\"mismatch\",\"duplicate_use\",\"revoked\",\"expired\"]", "[\"name\",\"trade\"]"},
    {"every field", "T52010219850312001X", "阿依古丽·买买提", "全部不符",
     M(MISMATCH) | M(EXTERNAL) | M(INVALID_ID),
     FIELD_NAME | FIELD_ID | FIELD_GENDER | FIELD_TRADE | FIELD_VALID_UNTIL | FIELD_ISSUER,
     "mismatch", "[\"mismatch\",\"invalid_id\",\"external\"]",
     "[\"name\",\"id_number\",\"gender\",\"trade\",\"valid_until\",\"issuer\"]"},
    {"empty strings", "", "", "", M(UNCERTIFIED), 0, "uncertified", "[\"uncertified\"]", "[]"},
    {"slash and unicode", "川A012018000001", "𠀀 ñ € /", "需外部核验：cx.mem.gov.cn/</script>",
     M(EXTERNAL), 0, "external", "[\"external\"]", "[]"},
};

static struct vresult make(const struct rcase *c)
{
	struct vresult r;

	memset(&r, 0, sizeof(r));
	snprintf(r.number, sizeof(r.number), "%s", c->number);
	snprintf(r.name, sizeof(r.name), "%s", c->name);
	snprintf(r.message, sizeof(r.message), "%s", c->message);
	r.findings = c->findings;
	r.mismatched = c->mismatched;
	r.verdict = verdict_of(c->findings);
	return r;
}

/* What f received, NUL-terminated; the caller frees it. */
static char *capture_jsonl(const struct vresult *r, long row)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(vout_jsonl(f, r, row), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

/*
 * Check one line vout_jsonl wrote for r; takes the line and frees it.
 * Everything is freed before a failure is reported, so a failing case does
 * not add leak reports to the sanitizer build.
 */
static void check_line(const char *what, const struct vresult *r, long row, char *line)
{
	static const char *const keys[] = {
	    "row", "number", "name", "verdict", "findings", "mismatched_fields", "message"};
	static char why[8192];
	json_error_t jerr;
	json_t *got = NULL, *want = NULL;
	size_t len = strlen(line), k;
	void *it;

	why[0] = '\0';
	/* one line, ending in a newline, nothing raw inside it */
	if (len == 0 || line[len - 1] != '\n' || memchr(line, '\n', len - 1) ||
	    memchr(line, '\r', len)) {
		snprintf(why, sizeof(why), "%s: not one line ending in a newline: %s", what, line);
		goto out;
	}
	for (k = 0; k + 1 < len; k++) {
		if ((unsigned char)line[k] < 0x20) {
			snprintf(why, sizeof(why), "%s: raw control character at %zu", what, k);
			goto out;
		}
	}
	got = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
	if (!got) {
		snprintf(why, sizeof(why), "%s: not JSON (%s): %s", what, jerr.text, line);
		goto out;
	}
	want = vout_json(r, row);
	if (!want || !json_equal(got, want)) {
		char *w = want ? json_dumps(want, JSON_COMPACT) : NULL;

		snprintf(why, sizeof(why), "%s: jsonl %s differs from vout_json %s", what, line,
		         w ? w : "(none)");
		free(w);
		goto out;
	}
	/* key order: row (when given), number, name, verdict, findings,
	 * mismatched_fields, message */
	k = row > 0 ? 0 : 1;
	for (it = json_object_iter(got); it; it = json_object_iter_next(got, it), k++) {
		if (k >= COUNT(keys) || strcmp(json_object_iter_key(it), keys[k]) != 0) {
			snprintf(why, sizeof(why), "%s: key %s out of order in %s", what,
			         json_object_iter_key(it), line);
			goto out;
		}
	}
	if (k != COUNT(keys)) {
		snprintf(why, sizeof(why), "%s: %zu keys, want %zu", what, k - (row > 0 ? 0 : 1),
		         COUNT(keys) - (row > 0 ? 0 : 1));
		goto out;
	}
	/* byte for byte what jansson writes for the same object */
	{
		char *w = json_dumps(want, JSON_COMPACT | JSON_PRESERVE_ORDER);

		if (!w || strlen(w) != len - 1 || memcmp(w, line, len - 1) != 0)
			snprintf(why, sizeof(why), "%s: jsonl %s is not jansson's %s", what, line,
			         w ? w : "(none)");
		free(w);
	}
out:
	json_decref(got);
	json_decref(want);
	free(line);
	if (why[0])
		fail_msg("%s", why);
}

static void test_json_object(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		struct vresult r = make(&cases[i]);
		json_t *o = vout_json(&r, 7);
		char *s;

		assert_int_equal(json_integer_value(json_object_get(o, "row")), 7);
		assert_string_equal(json_string_value(json_object_get(o, "number")),
		                    cases[i].number);
		assert_string_equal(json_string_value(json_object_get(o, "name")), cases[i].name);
		assert_string_equal(json_string_value(json_object_get(o, "message")),
		                    cases[i].message);
		assert_string_equal(json_string_value(json_object_get(o, "verdict")),
		                    cases[i].verdict);
		s = json_dumps(json_object_get(o, "findings"), JSON_COMPACT | JSON_ENCODE_ANY);
		if (strcmp(s, cases[i].findings_json) != 0)
			fail_msg("%s: findings %s, want %s", cases[i].what, s,
			         cases[i].findings_json);
		free(s);
		s = json_dumps(json_object_get(o, "mismatched_fields"),
		               JSON_COMPACT | JSON_ENCODE_ANY);
		if (strcmp(s, cases[i].mismatched_json) != 0)
			fail_msg("%s: mismatched_fields %s, want %s", cases[i].what, s,
			         cases[i].mismatched_json);
		free(s);
		assert_int_equal(json_object_size(o), 7);
		json_decref(o);

		/* no row for row <= 0 */
		for (long row = 0; row >= -1; row--) {
			o = vout_json(&r, row);
			assert_null(json_object_get(o, "row"));
			assert_int_equal(json_object_size(o), 6);
			json_decref(o);
		}
	}
}

static void test_jsonl_matches_json(void **state)
{
	static const long rows[] = {1, 2, 100000, 2147483647L, 0, -1};
	size_t i, k;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		struct vresult r = make(&cases[i]);

		for (k = 0; k < COUNT(rows); k++) {
			char *line = capture_jsonl(&r, rows[k]);

			check_line(cases[i].what, &r, rows[k], line);
		}
	}
}

/* Fields filled to their size with characters that need escaping. */
static void test_jsonl_long_fields(void **state)
{
	static const char fills[] = {'"', '\\', '\x01', '\n', 'a'};
	size_t i, k;

	(void)state;
	for (i = 0; i < COUNT(fills); i++) {
		for (k = 0; k < COUNT(fills); k++) {
			struct vresult r;
			char *line;

			memset(&r, 0, sizeof(r));
			memset(r.number, fills[i], sizeof(r.number) - 1);
			memset(r.name, fills[i], sizeof(r.name) - 1);
			memset(r.message, fills[k], sizeof(r.message) - 1);
			r.findings = M(MISMATCH) | M(DUPLICATE_USE) | M(REVOKED) | M(EXPIRED);
			r.mismatched = (1u << FIELD_COUNT) - 1;
			r.verdict = verdict_of(r.findings);
			line = capture_jsonl(&r, 123456);
			check_line("long fields", &r, 123456, line);
		}
	}
	/* the longest Chinese message */
	{
		struct vresult r;
		char *line;
		size_t n = 0;

		memset(&r, 0, sizeof(r));
		while (n + 3 < sizeof(r.message)) {
			memcpy(r.message + n, "证", 3);
			n += 3;
		}
		snprintf(r.name, sizeof(r.name), "张三");
		r.verdict = V_VALID;
		line = capture_jsonl(&r, 1);
		check_line("long Chinese message", &r, 1, line);
	}
}

static char *capture_csv(const struct vresult *r, long row, int header)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (header)
		vout_csv_header(f);
	else
		vout_csv_row(f, r, row);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void test_csv(void **state)
{
	static const struct {
		const char *number, *name, *message;
		const char *quoted_name; /* how the name must appear */
	} rows[] = {
	    {"黔A012018000001", "张三", "证书有效", "张三"},
	    {"黔A012018000001", "张,三", "信息不符，疑似冒用", "\"张,三\""},
	    {"黔A012018000001", "张\"三\"", "说明\"引号\"", "\"张\"\"三\"\"\""},
	    {"黔A01,2018", "李\n四", "两行\r\n说明", "\"李\n四\""},
	};
	char *hdr;
	struct csv_reader rd;
	struct err err;
	size_t i, nheader;

	(void)state;
	hdr = capture_csv(NULL, 0, 1);
	assert_memory_equal(hdr, "\xef\xbb\xbf", 3);
	/* the header names as many columns as a row has */
	csv_init(&rd, hdr + 3, strlen(hdr + 3));
	memset(&err, 0, sizeof(err));
	assert_int_equal(csv_next(&rd, &err), 1);
	nheader = rd.nfields;
	assert_true(nheader >= 7);
	csv_release(&rd);
	free(hdr);

	for (i = 0; i < COUNT(rows); i++) {
		struct vresult r;
		char *line;

		memset(&r, 0, sizeof(r));
		snprintf(r.number, sizeof(r.number), "%s", rows[i].number);
		snprintf(r.name, sizeof(r.name), "%s", rows[i].name);
		snprintf(r.message, sizeof(r.message), "%s", rows[i].message);
		r.findings = M(MISMATCH) | M(DUPLICATE_USE);
		r.mismatched = FIELD_NAME | FIELD_ID;
		r.verdict = V_MISMATCH;
		line = capture_csv(&r, (long)i + 1, 0);
		if (!strstr(line, rows[i].quoted_name))
			fail_msg("row %zu: %s lacks %s", i, line, rows[i].quoted_name);

		/* it reads back as one record with the fields intact */
		csv_init(&rd, line, strlen(line));
		memset(&err, 0, sizeof(err));
		if (csv_next(&rd, &err) != 1)
			fail_msg("row %zu does not parse: %s", i, err.msg);
		assert_int_equal(rd.nfields, nheader);
		{
			char buf[64];

			snprintf(buf, sizeof(buf), "%zu", i + 1);
			assert_int_equal(rd.fields[0].len, strlen(buf));
			assert_memory_equal(rd.fields[0].p, buf, strlen(buf));
		}
		assert_int_equal(rd.fields[1].len, strlen(rows[i].number));
		assert_memory_equal(rd.fields[1].p, rows[i].number, strlen(rows[i].number));
		assert_int_equal(rd.fields[2].len, strlen(rows[i].name));
		assert_memory_equal(rd.fields[2].p, rows[i].name, strlen(rows[i].name));
		assert_int_equal(rd.fields[nheader - 1].len, strlen(rows[i].message));
		assert_memory_equal(rd.fields[nheader - 1].p, rows[i].message,
		                    strlen(rows[i].message));
		assert_int_equal(csv_next(&rd, &err), 0);
		csv_release(&rd);
		free(line);
	}
}

static void test_width(void **state)
{
	static const struct {
		const char *s;
		size_t want;
	} cases_w[] = {
	    {"", 0},
	    {"abc", 3},
	    {"张三", 4},
	    {"黔A012018000001", 15},
	    {"T52010219850312001X", 19},
	    {"（无）", 6},
	    {"有效", 4},
	    {"查无此证", 8},
	    {"阿依古丽·买买提", 15},
	    {"ñé", 2},
	    {"Ａ１", 4},
	    {"한글", 4},
	    {"𠀀", 2},
	    {"a张b三c", 7},
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases_w); i++) {
		size_t got = vout_width(cases_w[i].s);

		if (got != cases_w[i].want)
			fail_msg("width of \"%s\" is %zu, want %zu", cases_w[i].s, got,
			         cases_w[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_object),
	    cmocka_unit_test(test_jsonl_matches_json),
	    cmocka_unit_test(test_jsonl_long_fields),
	    cmocka_unit_test(test_csv),
	    cmocka_unit_test(test_width),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
