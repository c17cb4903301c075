/*
 * test_import.c - loading a register CSV into the store (import.h): the
 * counts, all or nothing with the bad row's line and column named, numbers
 * repeated within a file or already registered, --update and its masked
 * change records, encodings (UTF-8, BOM, CRLF, GBK, GB18030), English
 * header names, any column order, optional columns, trades by code or name,
 * the consistency checks between number, trade and ID, Excel's mangled ID
 * numbers, a file without data, the issuer prefixes recorded and the
 * issuer codes given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <iconv.h>
#include <jansson.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cert.h"
#include "date.h"
#include "import.h"
#include "store.h"
#include "text.h"
#include "fixture.h"

#define COUNT(a)   (sizeof(a) / sizeof((a)[0]))
#define D(y, m, d) date_from_ymd(y, m, d)
#define NONE       DATE_NONE

#define HDR "证书编号,姓名,性别,身份证号码,工种,发证机关,发证日期,有效期至,复审日期,状态,培训机构\n"
#define R1                                                                                                          \
	"黔A012018000001,张三,男,52010219850312001x,建筑电工,贵阳市住房和城乡建设局,2018-08-09," \
	"2020-08-08,,有效,贵州省建设职业培训中心\n"
#define R2                                                                                                        \
	"黔A022018000002,李四,女,520102198503120028,02,贵阳市住房和城乡建设局,2018/8/9,2020/8/8,," \
	"暂扣,\n"
#define R3                                                                                                 \
	"T520111197806150058,王五,男,520111197806150058,2.1,贵阳市应急管理局,2016年1月10日," \
	"2022年1月9日,2019-01-10,注销,\n"

struct fixture {
	struct fixture_dir tmp;
	struct store *st;
	int files;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || fixture_dir_make(&f->tmp, "import") != 0) {
		free(f);
		return -1;
	}
	if (fixture_store(f->tmp.db, &f->st) != 0) {
		fixture_dir_remove(&f->tmp);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	store_close(f->st);
	rc = fixture_dir_remove(&f->tmp);
	free(f);
	return rc;
}

/* Write bytes to a new file in the fixture's directory; returns its path
 * in buf. */
static const char *write_bytes(struct fixture *f, const char *data, size_t len, char *buf,
                               size_t size)
{
	FILE *fp;

	snprintf(buf, size, "%s/file%d.csv", f->tmp.path, ++f->files);
	fp = fopen(buf, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
	return buf;
}

static const char *write_csv(struct fixture *f, const char *text, char *buf, size_t size)
{
	return write_bytes(f, text, strlen(text), buf, size);
}

static int run_import(struct store *st, const char *path, int update, struct import_stats *stats,
                      struct err *err)
{
	struct import_options o;

	memset(&o, 0, sizeof(o));
	o.update = update;
	o.today = D(2024, 1, 1);
	o.source = "update.csv";
	memset(stats, 0x55, sizeof(*stats));
	memset(err, 0, sizeof(*err));
	return import_register(st, path, &o, stats, err);
}

/* Import text that must succeed. */
static struct import_stats import_ok(struct fixture *f, struct store *st, const char *text,
                                     int update)
{
	char path[FIXTURE_FILE_SIZE];
	struct import_stats stats;
	struct err err;

	write_csv(f, text, path, sizeof(path));
	if (run_import(st, path, update, &stats, &err) != 0)
		fail_msg("import failed: line %ld column %s: %s", err.line, err.column, err.msg);
	return stats;
}

/* Import text that must fail with an input error; returns the error. */
static struct err import_fails(struct fixture *f, const char *text, int update)
{
	char path[FIXTURE_FILE_SIZE];
	struct import_stats stats;
	struct err err;

	write_csv(f, text, path, sizeof(path));
	if (run_import(f->st, path, update, &stats, &err) != -1)
		fail_msg("import of %.60s... succeeded", text);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_true(err.msg[0] != '\0');
	return err;
}

static long count_of(struct store *st)
{
	struct err err;
	long n = -1;

	memset(&err, 0, sizeof(err));
	assert_int_equal(store_cert_count(st, &n, &err), 0);
	return n;
}

static struct cert get_cert(struct store *st, const char *number)
{
	struct cert c;
	struct err err;

	memset(&err, 0, sizeof(err));
	if (store_cert_get(st, number, &c, &err) != 1)
		fail_msg("%s not in the register", number);
	return c;
}

static void assert_stats(const struct import_stats *s, long rows, long inserted, long updated,
                         long unchanged)
{
	assert_int_equal(s->rows, rows);
	assert_int_equal(s->inserted, inserted);
	assert_int_equal(s->updated, updated);
	assert_int_equal(s->unchanged, unchanged);
}

struct want {
	const char *number;
	enum cert_system system;
	const char *name;
	enum gender gender;
	const char *id;
	const char *trade;
	const char *issuer;
	int32_t issued_on, valid_until, review_due;
	enum cert_status status;
	const char *training;
};

/* The certificates of R1, R2 and R3 as the register must hold them. */
static const struct want base_want[] = {
    {"黔A012018000001", SYS_CONSTRUCTION, "张三", GENDER_MALE, "52010219850312001X", "01",
     "贵阳市住房和城乡建设局", 17752 /* 2018-08-09 */, 18482 /* 2020-08-08 */, NONE, CERT_VALID,
     "贵州省建设职业培训中心"},
    {"黔A022018000002", SYS_CONSTRUCTION, "李四", GENDER_FEMALE, "520102198503120028", "02",
     "贵阳市住房和城乡建设局", 17752, 18482, NONE, CERT_SUSPENDED, ""},
    {"T520111197806150058", SYS_EMERGENCY, "王五", GENDER_MALE, "520111197806150058", "2.1",
     "贵阳市应急管理局", 16810 /* 2016-01-10 */, 19001 /* 2022-01-09 */, 17906 /* 2019-01-10 */,
     CERT_REVOKED, ""},
};

static void check_want(struct store *st, const struct want *w)
{
	struct cert c = get_cert(st, w->number);

	assert_string_equal(c.number, w->number);
	assert_int_equal(c.system, w->system);
	assert_string_equal(c.name, w->name);
	assert_int_equal(c.gender, w->gender);
	assert_string_equal(c.id_number, w->id);
	assert_string_equal(c.trade, w->trade);
	assert_string_equal(c.issuer, w->issuer);
	assert_int_equal(c.issued_on, w->issued_on);
	assert_int_equal(c.valid_until, w->valid_until);
	assert_int_equal(c.review_due, w->review_due);
	assert_int_equal(c.status, w->status);
	assert_string_equal(c.training_institution, w->training);
}

static void test_dates_used(void **state)
{
	/* the day numbers written into base_want */
	(void)state;
	assert_int_equal(D(2018, 8, 9), 17752);
	assert_int_equal(D(2020, 8, 8), 18482);
	assert_int_equal(D(2016, 1, 10), 16810);
	assert_int_equal(D(2022, 1, 9), 19001);
	assert_int_equal(D(2019, 1, 10), 17906);
}

static void test_success(void **state)
{
	struct fixture *f = *state;
	struct import_stats s = import_ok(f, f->st, HDR R1 R2 R3, 0);
	size_t i;

	assert_stats(&s, 3, 3, 0, 0);
	assert_int_equal(count_of(f->st), 3);
	for (i = 0; i < COUNT(base_want); i++)
		check_want(f->st, &base_want[i]);
}

struct bad_row {
	const char *what;
	const char *row;
	const char *column; /* NULL: any column, but one must be named */
	const char *msg_part;
};

static const struct bad_row bad_rows[] = {
    {"wrong check character",
     "黔A012018000003,赵六,男,520103199001010031,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "身份证号码", NULL},
    {"ID too short",
     "黔A012018000003,赵六,男,5201031990010100,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "身份证号码", NULL},
    {"ID born in the future",
     "黔A012018000003,赵六,男,520103202501010031,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "身份证号码", NULL},
    {"Excel mangled ID",
     "黔A012018000003,赵六,男,5.20103E+17,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n", "身份证号码",
     "文本"},
    {"empty ID", "黔A012018000003,赵六,男,,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "身份证号码", NULL},
    {"impossible date",
     "黔A012018000003,赵六,男,520103199001010030,01,贵阳市住建局,2018-08-09,2020-02-30,,,\n",
     "有效期至", NULL},
    {"empty issue date",
     "黔A012018000003,赵六,男,520103199001010030,01,贵阳市住建局,,2020-08-08,,,\n", "发证日期",
     NULL},
    {"expiry before issue",
     "黔A012018000003,赵六,男,520103199001010030,01,贵阳市住建局,2018-08-09,2017-08-08,,,\n",
     "有效期至", NULL},
    {"review before issue",
     "黔A012018000003,赵六,男,520103199001010030,01,贵阳市住建局,2018-08-09,2020-08-08,2017-01-"
     "01,,\n",
     "复审日期", NULL},
    {"empty name",
     "黔A012018000003,,男,520103199001010030,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n", "姓名",
     NULL},
    {"empty issuer", "黔A012018000003,赵六,男,520103199001010030,01,,2018-08-09,2020-08-08,,,\n",
     "发证机关", NULL},
    {"bad number trade 00",
     "黔A002018000003,赵六,男,520103199001010030,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "证书编号", NULL},
    {"bad number length",
     "黔A01201800003,赵六,男,520103199001010030,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "证书编号", NULL},
    {"empty number", ",赵六,男,520103199001010030,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "证书编号", NULL},
    {"unknown trade",
     "黔A012018000003,赵六,男,520103199001010030,厨师,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "工种", NULL},
    {"trade differs from the number's",
     "黔A012018000003,赵六,男,520103199001010030,建筑架子工（普通脚手架）,贵阳市住建局,2018-08-"
     "09,2020-08-08,,,\n",
     "工种", NULL},
    {"trade code differs from the number's",
     "黔A012018000003,赵六,男,520103199001010030,5,贵阳市住建局,2018-08-09,2020-08-08,,,\n", "工种",
     NULL},
    {"emergency trade on a construction number",
     "黔A012018000003,赵六,男,520103199001010030,2.1,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "工种", NULL},
    {"unknown gender",
     "黔A012018000003,赵六,未知,520103199001010030,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "性别", NULL},
    {"gender disagrees with the ID",
     "黔A012018000003,赵六,女,520103199001010030,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
     "性别", NULL},
    {"unknown status",
     "黔A012018000003,赵六,男,520103199001010030,01,贵阳市住建局,2018-08-09,2020-08-08,,作废,\n",
     "状态", NULL},
    {"emergency number with another ID",
     "T520103199001010030,赵六,男,520112199211200074,2.1,贵阳市应急管理局,2018-08-09,2024-08-"
     "08,,,\n",
     NULL, NULL},
    {"emergency number not a valid ID",
     "T520103199001010031,赵六,男,520103199001010031,2.1,贵阳市应急管理局,2018-08-09,2024-08-"
     "08,,,\n",
     NULL, NULL},
};

/* One bad row (the third) stops the file, which imports nothing, and the
 * error names the row's physical line and its column. */
static void test_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	char text[2048];
	char list[4][STORE_PREFIX_SIZE];
	size_t i, n;
	int layout;

	for (i = 0; i < COUNT(bad_rows); i++) {
		for (layout = 0; layout < 2; layout++) {
			struct err err;
			long want_line;

			if (layout == 0) {
				snprintf(text, sizeof(text), "%s%s%s%s", HDR, R1, R2,
				         bad_rows[i].row);
				want_line = 4;
			} else {
				/* a title above the header and a blank row */
				snprintf(text, sizeof(text), "%s%s%s\n%s%s",
				         "特种作业人员操作资格证书登记表\n", HDR, R1, R2,
				         bad_rows[i].row);
				want_line = 6;
			}
			err = import_fails(f, text, 0);
			if (err.line != want_line)
				fail_msg("%s (layout %d): line %ld, want %ld (%s)",
				         bad_rows[i].what, layout, err.line, want_line, err.msg);
			if (bad_rows[i].column && strcmp(err.column, bad_rows[i].column) != 0)
				fail_msg("%s: column \"%s\", want \"%s\" (%s)", bad_rows[i].what,
				         err.column, bad_rows[i].column, err.msg);
			if (!err.column[0])
				fail_msg("%s: no column named (%s)", bad_rows[i].what, err.msg);
			if (bad_rows[i].msg_part && !strstr(err.msg, bad_rows[i].msg_part))
				fail_msg("%s: message \"%s\" lacks \"%s\"", bad_rows[i].what,
				         err.msg, bad_rows[i].msg_part);
			assert_int_equal(count_of(f->st), 0);
		}
	}
	/* no prefix was recorded either */
	{
		struct err err;

		memset(&err, 0, sizeof(err));
		assert_int_equal(store_prefix_list(f->st, list, COUNT(list), &n, &err), 0);
		assert_int_equal(n, 0);
	}
	/* and the good rows import once the bad one is gone */
	import_ok(f, f->st, HDR R1 R2, 0);
	assert_int_equal(count_of(f->st), 2);
}

/* A bad row in a second file leaves what the first one imported. */
static void test_failed_import_keeps_register(void **state)
{
	struct fixture *f = *state;
	struct err err;

	import_ok(f, f->st, HDR R1, 0);
	err = import_fails(f,
	                   HDR R2 R3
	                   "黔A012018000003,赵六,男,520103199001010031,01,贵阳市住建局,2018-08-09,"
	                   "2020-08-08,,,\n",
	                   0);
	assert_int_equal(err.line, 4);
	assert_int_equal(count_of(f->st), 1);
	check_want(f->st, &base_want[0]);
}

static void test_duplicate_in_file(void **state)
{
	struct fixture *f = *state;
	struct err err;

	/* R2's number again on line 5; R2 itself is on line 3 */
	err = import_fails(f,
	                   HDR R1 R2 R3
	                   "黔A022018000002,赵六,女,520103199001010049,02,贵阳市住建局,2018-08-09,"
	                   "2020-08-08,,,\n",
	                   0);
	assert_int_equal(err.line, 5);
	if (!strstr(err.msg, "第3行"))
		fail_msg("message \"%s\" does not name line 3", err.msg);
	assert_int_equal(count_of(f->st), 0);

	/* the same when the repeat is identical, and with --update too */
	err = import_fails(f, HDR R1 R2 R1, 1);
	assert_int_equal(err.line, 4);
	if (!strstr(err.msg, "第2行"))
		fail_msg("message \"%s\" does not name line 2", err.msg);
	assert_int_equal(count_of(f->st), 0);

	/* the number is compared normalised (lowercase letters) */
	err = import_fails(f,
	                   HDR R1
	                   "黔a012018000001,张三,男,52010219850312001X,01,贵阳市住建局,2018-08-09,"
	                   "2020-08-08,,,\n",
	                   0);
	assert_int_equal(err.line, 3);
	assert_int_equal(count_of(f->st), 0);
}

static long raw_long(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q = NULL;
	long v;

	if (sqlite3_prepare_v2(db, sql, -1, &q, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = (long)sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static void test_reimport(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct err err;
	struct cert c;
	sqlite3 *db;
	sqlite3_stmt *q = NULL;
	size_t i;
	int rows = 0;
	static const char *const full_ids[] = {
	    "52010219850312001X", "520102198503120028", "520111197806150058",
	    "520103199001010049", "520112199211200082",
	};

	s = import_ok(f, f->st, HDR R1 R2 R3, 0);
	assert_stats(&s, 3, 3, 0, 0);

	/* without update, a number already registered stops the file */
	err = import_fails(f, HDR R1 R2 R3, 0);
	assert_int_equal(err.line, 2);
	err = import_fails(f,
	                   HDR
	                   "黔A012018000009,赵六,男,520103199001010030,01,贵阳市住建局,2018-08-09,"
	                   "2020-08-08,,,\n" R2,
	                   0);
	assert_int_equal(err.line, 3);
	if (!strstr(err.msg, "黔A022018000002"))
		fail_msg("message \"%s\" does not name the number", err.msg);
	assert_int_equal(count_of(f->st), 3);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_cert_get(f->st, "黔A012018000009", &c, &err), 0);

	/* with update: R1 unchanged, R2 with another name, ID and expiry,
	 * R3 reinstated with a review date, one new certificate */
	s = import_ok(
	    f, f->st,
	    HDR R1
	    "黔A022018000002,李丝,女,520103199001010049,02,贵阳市住房和城乡建设局,2018-08-09,"
	    "2022-08-08,,暂扣,\n"
	    "T520111197806150058,王五,男,520111197806150058,2.1,贵阳市应急管理局,2016-01-10,"
	    "2022-01-09,2022-01-09,有效,\n"
	    "黔A012018000010,孙七,女,520112199211200082,1,贵阳市住建局,2018-08-09,2020-08-08,,,"
	    "\n",
	    1);
	assert_stats(&s, 4, 1, 2, 1);
	assert_int_equal(count_of(f->st), 4);
	check_want(f->st, &base_want[0]);
	c = get_cert(f->st, "黔A022018000002");
	assert_string_equal(c.name, "李丝");
	assert_string_equal(c.id_number, "520103199001010049");
	assert_int_equal(c.valid_until, D(2022, 8, 8));
	c = get_cert(f->st, "T520111197806150058");
	assert_int_equal(c.status, CERT_VALID);
	assert_int_equal(c.review_due, D(2022, 1, 9));
	c = get_cert(f->st, "黔A012018000010");
	assert_string_equal(c.trade, "01");

	/* the same file again changes nothing */
	s = import_ok(f, f->st, HDR R1, 1);
	assert_stats(&s, 1, 0, 0, 1);

	/* one change row per changed certificate, personal data masked */
	db = NULL;
	assert_int_equal(sqlite3_open_v2(f->tmp.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(raw_long(db, "SELECT count(*) FROM certificate_change"), 2);
	assert_int_equal(raw_long(db, "SELECT count(*) FROM certificate_change"
	                              " WHERE number = '黔A022018000002'"),
	                 1);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT number, change FROM certificate_change", -1, &q, NULL),
	    SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *number = (const char *)sqlite3_column_text(q, 0);
		const char *change = (const char *)sqlite3_column_text(q, 1);
		json_error_t jerr;
		json_t *root = json_loads(change, 0, &jerr);

		rows++;
		if (!root)
			fail_msg("change of %s is not JSON: %s", number, change);
		assert_true(json_is_object(root));
		for (i = 0; i < COUNT(full_ids); i++) {
			if (strstr(change, full_ids[i]))
				fail_msg("change of %s shows the ID %s: %s", number, full_ids[i],
				         change);
		}
		assert_string_equal(json_string_value(json_object_get(root, "source")),
		                    "update.csv");
		if (strcmp(number, "黔A022018000002") == 0) {
			/* the ID change is recorded in the public mask */
			if (!strstr(change, "520102********0028") ||
			    !strstr(change, "520103********0049"))
				fail_msg("change lacks the masked IDs: %s", change);
			if (!strstr(change, "李丝"))
				fail_msg("change lacks the new name: %s", change);
		}
		json_decref(root);
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_int_equal(rows, 2);
}

/* Bytes of text in another encoding. */
static char *convert(const char *to, const char *text, size_t *outlen)
{
	iconv_t cd = iconv_open(to, "UTF-8");
	size_t inleft = strlen(text), cap = inleft * 2 + 16, outleft = cap;
	char *in, *inbuf = strdup(text), *out = malloc(cap), *o = out;

	assert_true(cd != (iconv_t)-1);
	assert_non_null(inbuf);
	assert_non_null(out);
	in = inbuf;
	assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
	assert_int_equal(inleft, 0);
	iconv_close(cd);
	free(inbuf);
	*outlen = cap - outleft;
	return out;
}

static char *to_crlf(const char *text, size_t *outlen)
{
	size_t n = 0, i;
	char *out = malloc(strlen(text) * 2 + 1);

	assert_non_null(out);
	for (i = 0; text[i]; i++) {
		if (text[i] == '\n')
			out[n++] = '\r';
		out[n++] = text[i];
	}
	out[n] = '\0';
	*outlen = n;
	return out;
}

static void test_encodings(void **state)
{
	static const struct {
		const char *what;
		const char *encoding; /* NULL = UTF-8 */
		int bom, crlf;
	} variants[] = {
	    {"UTF-8", NULL, 0, 0},        {"UTF-8 with BOM", NULL, 1, 0},
	    {"UTF-8 CRLF", NULL, 0, 1},   {"UTF-8 BOM CRLF", NULL, 1, 1},
	    {"GBK", "GBK", 0, 0},         {"GBK CRLF", "GBK", 0, 1},
	    {"GB18030", "GB18030", 0, 1},
	};
	struct fixture *f = *state;
	size_t v, i;

	for (v = 0; v < COUNT(variants); v++) {
		char path[FIXTURE_FILE_SIZE], db[FIXTURE_FILE_SIZE], *crlf, *bytes;
		size_t len;
		struct store *st = NULL;
		struct import_stats s;
		struct err err;

		crlf = variants[v].crlf ? to_crlf(HDR R1 R2 R3, &len) : strdup(HDR R1 R2 R3);
		assert_non_null(crlf);
		if (variants[v].encoding) {
			bytes = convert(variants[v].encoding, crlf, &len);
			/* really not UTF-8, or the test proves nothing */
			assert_false(utf8_valid(bytes, len, NULL));
		} else {
			len = strlen(crlf);
			bytes = malloc(len + 3);
			assert_non_null(bytes);
			if (variants[v].bom) {
				memcpy(bytes, "\xef\xbb\xbf", 3);
				memcpy(bytes + 3, crlf, len);
				len += 3;
			} else {
				memcpy(bytes, crlf, len);
			}
		}
		write_bytes(f, bytes, len, path, sizeof(path));
		free(bytes);
		free(crlf);

		snprintf(db, sizeof(db), "%s/enc%zu.db", f->tmp.path, v);
		memset(&err, 0, sizeof(err));
		assert_int_equal(fixture_store(db, &st), 0);
		if (run_import(st, path, 0, &s, &err) != 0)
			fail_msg("%s: line %ld: %s", variants[v].what, err.line, err.msg);
		assert_stats(&s, 3, 3, 0, 0);
		for (i = 0; i < COUNT(base_want); i++)
			check_want(st, &base_want[i]);
		store_close(st);
	}
}

/* Header spellings, column order and optional columns. */
static void test_headers(void **state)
{
	static const struct {
		const char *what;
		const char *text;
	} files[] = {
	    {"English aliases",
	     "number,name,gender,id_number,trade,issuer,issued_on,valid_until,review_due,status,"
	     "training_institution\n" R1 R2 R3},
	    {"mixed case English",
	     "Number,Name,Gender,ID_Number,Trade,Issuer,Issued_On,Valid_Until,Review_Due,Status,"
	     "Training_Institution\n" R1 R2 R3},
	    {"English status words",
	     HDR "黔A012018000001,张三,男,52010219850312001x,建筑电工,贵阳市住房和城乡建设局,2018-"
	         "08-09,2020-08-08,,valid,贵州省建设职业培训中心\n"
	         "黔A022018000002,李四,F,520102198503120028,02,贵阳市住房和城乡建设局,2018-08-09,"
	         "2020-08-08,,suspended,\n"
	         "T520111197806150058,王五,M,520111197806150058,2.1,贵阳市应急管理局,2016-01-10,"
	         "2022-01-09,2019-01-10,revoked,\n"},
	    {"another order with unknown columns",
	     "序号,培训机构,状态,复审日期,有效期至,发证日期,发证机关,工种,身份证号码,性别,姓名,"
	     "证书编号,备注\n"
	     "1,贵州省建设职业培训中心,有效,,2020-08-08,2018-08-09,贵阳市住房和城乡建设局,01,"
	     "52010219850312001X,男,张三,黔A012018000001,无\n"
	     "2,,暂扣,,2020-08-08,2018-08-09,贵阳市住房和城乡建设局,02,520102198503120028,女,"
	     "李四,黔A022018000002,\n"
	     "3,,注销,2019-01-10,2022-01-09,2016-01-10,贵阳市应急管理局,2.1,520111197806150058,"
	     "男,王五,T520111197806150058,\n"},
	    {"quoted fields and surrounding spaces", HDR
	     "\"黔A012018000001\", 张三 ,男,\"52010219850312001X\",建筑电工, "
	     "贵阳市住房和城乡建设局 ,2018-08-09,2020-08-08,,有效,\"贵州省建设职业培训中心\"\n" R2
	         R3},
	};
	struct fixture *f = *state;
	size_t i, k;

	for (i = 0; i < COUNT(files); i++) {
		char db[FIXTURE_FILE_SIZE];
		struct store *st = NULL;
		struct err err;
		struct import_stats s;

		snprintf(db, sizeof(db), "%s/hdr%zu.db", f->tmp.path, i);
		memset(&err, 0, sizeof(err));
		assert_int_equal(fixture_store(db, &st), 0);
		s = import_ok(f, st, files[i].text, 0);
		assert_stats(&s, 3, 3, 0, 0);
		for (k = 0; k < COUNT(base_want); k++)
			check_want(st, &base_want[k]);
		store_close(st);
	}
}

static void test_optional_absent(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct cert c;

	s = import_ok(
	    f, f->st,
	    "姓名,证书编号,身份证号码,性别,工种,发证机关,发证日期,有效期至\n"
	    "张三,黔A012018000001,52010219850312001X,男,01,贵阳市住建局,2018-08-09,2020-08-"
	    "08\n"
	    "王五,T520111197806150058,520111197806150058,男性,熔化焊接与热切割作业,"
	    "贵阳市应急管理局,2016-01-10,2022-01-09\n",
	    0);
	assert_stats(&s, 2, 2, 0, 0);
	c = get_cert(f->st, "黔A012018000001");
	assert_int_equal(c.status, CERT_VALID);
	assert_int_equal(c.review_due, NONE);
	assert_string_equal(c.training_institution, "");
	c = get_cert(f->st, "T520111197806150058");
	assert_int_equal(c.status, CERT_VALID);
	assert_int_equal(c.review_due, NONE);
	assert_string_equal(c.trade, "2.1");
	assert_int_equal(c.system, SYS_EMERGENCY);
}

/* A required column missing from the header is an input error. */
static void test_missing_column(void **state)
{
	struct fixture *f = *state;
	struct err err;

	err = import_fails(f,
	                   "证书编号,姓名,性别,工种,发证机关,发证日期,有效期至\n"
	                   "黔A012018000001,张三,男,01,贵阳市住建局,2018-08-09,2020-08-08\n",
	                   0);
	if (!strstr(err.msg, "身份证号码"))
		fail_msg("message \"%s\" does not name the missing column", err.msg);
	assert_int_equal(count_of(f->st), 0);
}

static void test_trades(void **state)
{
	static const struct {
		const char *number, *trade, *want;
	} cases[] = {
	    {"黔A012018000001", "建筑电工", "01"},
	    {"黔A012018000002", "1", "01"},
	    {"黔A012018000003", "01", "01"},
	    {"黔A012018000004", "电工", "01"},
	    {"黔A022018000005", "建筑架子工(普通脚手架)", "02"},
	    {"黔A052018000006", "塔吊司机", "05"},
	    {"黔A112018000007", "11", "11"},
	    {"黔A102018000008", "10", "10"},
	};
	struct fixture *f = *state;
	char text[4096];
	size_t n, i;
	struct import_stats s;

	n = (size_t)snprintf(text, sizeof(text), "%s", HDR);
	for (i = 0; i < COUNT(cases); i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		                      "%s,张三,男,52010219850312001X,%s,贵阳市住建局,2018-08-09,"
		                      "2020-08-08,,,\n",
		                      cases[i].number, cases[i].trade);
	assert_true(n < sizeof(text));
	s = import_ok(f, f->st, text, 0);
	assert_stats(&s, (long)COUNT(cases), (long)COUNT(cases), 0, 0);
	for (i = 0; i < COUNT(cases); i++) {
		struct cert c = get_cert(f->st, cases[i].number);

		if (strcmp(c.trade, cases[i].want) != 0)
			fail_msg("%s given as \"%s\": trade %s, want %s", cases[i].number,
			         cases[i].trade, c.trade, cases[i].want);
	}
}

static void test_excel_id(void **state)
{
	static const char *const mangled[] = {"5.20102E+17", "5.20102e+17", "520102198503120000"};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < COUNT(mangled); i++) {
		char text[1024];
		struct err err;

		snprintf(
		    text, sizeof(text),
		    "%s%s黔A012018000003,赵六,男,%s,01,贵阳市住建局,2018-08-09,2020-08-08,,,\n",
		    HDR, R2, mangled[i]);
		err = import_fails(f, text, 0);
		assert_int_equal(err.line, 3);
		assert_string_equal(err.column, "身份证号码");
		if (!strstr(err.msg, "文本"))
			fail_msg("%s: message \"%s\" gives no remedy", mangled[i], err.msg);
		assert_int_equal(count_of(f->st), 0);
	}
}

static void test_no_data(void **state)
{
	static const char *const texts[] = {
	    HDR,
	    HDR "\n\n,,,,,,,,,,\n",
	    "",
	    "\n\n",
	};
	struct fixture *f = *state;
	size_t i;

	for (i = 0; i < COUNT(texts); i++) {
		import_fails(f, texts[i], 0);
		import_fails(f, texts[i], 1);
		assert_int_equal(count_of(f->st), 0);
	}
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	char path[FIXTURE_FILE_SIZE];
	struct import_stats s;
	struct err err;

	snprintf(path, sizeof(path), "%s/no-such-file.csv", f->tmp.path);
	assert_int_equal(run_import(f->st, path, 0, &s, &err), -1);
	assert_int_not_equal(err.kind, ERR_NONE);
	assert_true(err.msg[0] != '\0');
	assert_int_equal(count_of(f->st), 0);
}

static void test_prefixes(void **state)
{
	struct fixture *f = *state;
	char list[8][STORE_PREFIX_SIZE];
	size_t n = 0;
	struct err err;

	import_ok(f, f->st, HDR R1 R2 R3, 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_prefix_list(f->st, list, COUNT(list), &n, &err), 0);
	/* the emergency T number adds none */
	assert_int_equal(n, 1);
	assert_string_equal(list[0], "黔A");

	import_ok(f, f->st,
	          HDR
	          "黔B012019000001,赵六,男,520103199001010030,01,六盘水市住建局,2019-01-01,2021-"
	          "01-01,,,\n",
	          0);
	assert_int_equal(store_prefix_list(f->st, list, COUNT(list), &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0], "黔A");
	assert_string_equal(list[1], "黔B");

	/* a failed import records none */
	import_fails(
	    f,
	    HDR "黔C012019000001,赵六,男,520103199001010030,01,遵义市住建局,2019-01-01,2021-01-"
	        "01,,,\n"
	        "黔C012019000002,赵六,男,520103199001010031,01,遵义市住建局,2019-01-01,2021-01-"
	        "01,,,\n",
	    0);
	assert_int_equal(store_prefix_list(f->st, list, COUNT(list), &n, &err), 0);
	assert_int_equal(n, 2);
}

/* The issuer codes in *list (code order); their number. */
static size_t issuers_of(struct store *st, struct trust_issuer *list, size_t max)
{
	size_t n = 0;
	struct err err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(store_issuer_list(st, list, max, &n, &err), 0);
	return n;
}

/* Every issuer a file names gets its code at import, in the order of first
 * appearance, in the import's transaction; codes never change after. */
static void test_issuer_codes(void **state)
{
	struct fixture *f = *state;
	struct trust_issuer list[8];

	import_ok(f, f->st, HDR R1 R2 R3, 0);
	assert_int_equal(issuers_of(f->st, list, COUNT(list)), 2);
	assert_string_equal(list[0].code, "I1");
	assert_string_equal(list[0].name, "贵阳市住房和城乡建设局");
	assert_string_equal(list[1].code, "I2");
	assert_string_equal(list[1].name, "贵阳市应急管理局");

	/* a failed import gives none */
	import_fails(f,
	             HDR "黔B012019000001,赵六,男,520103199001010030,01,六盘水市住建局,2019-01-01,"
	                 "2021-01-01,,,\n"
	                 "黔B012019000001,赵六,男,520103199001010030,01,六盘水市住建局,2019-01-01,"
	                 "2021-01-01,,,\n",
	             0);
	assert_int_equal(issuers_of(f->st, list, COUNT(list)), 2);

	/* an update naming another issuer gives it the next code; the others keep theirs */
	import_ok(f, f->st,
	          HDR "T520111197806150058,王五,男,520111197806150058,2.1,贵州省应急管理厅,"
	              "2016年1月10日,2022年1月9日,2019-01-10,注销,\n" R1,
	          1);
	assert_int_equal(issuers_of(f->st, list, COUNT(list)), 3);
	assert_string_equal(list[0].name, "贵阳市住房和城乡建设局");
	assert_string_equal(list[1].name, "贵阳市应急管理局");
	assert_string_equal(list[2].code, "I3");
	assert_string_equal(list[2].name, "贵州省应急管理厅");
}

/* No more issuers than the signed trust list can name: the import that
 * would pass the limit is refused at the row and column, and gives none. */
static void test_issuer_limit(void **state)
{
	struct fixture *f = *state;
	struct trust_issuer *list = calloc(TRUST_MAX_ISSUERS + 1, sizeof(*list));
	size_t size = 200 * (TRUST_MAX_ISSUERS + 2), n = 0, i;
	char *text = malloc(size);
	struct err err;

	assert_non_null(list);
	assert_non_null(text);
	n = (size_t)snprintf(text, size, "%s", HDR);
	for (i = 1; i <= TRUST_MAX_ISSUERS + 1; i++)
		n += (size_t)snprintf(text + n, size - n,
		                      "黔A012019%06zu,张三,男,52010219850312001X,01,第%zu发证机关,"
		                      "2019-01-01,2021-01-01,,,\n",
		                      i, i);
	err = import_fails(f, text, 0);
	assert_int_equal(err.line, TRUST_MAX_ISSUERS + 2);
	assert_string_equal(err.column, "发证机关");
	assert_non_null(strstr(err.msg, "上限"));
	assert_int_equal(issuers_of(f->st, list, TRUST_MAX_ISSUERS + 1), 0);

	/* without its last row, the file is taken */
	*strstr(text, "黔A012019000065") = '\0';
	import_ok(f, f->st, text, 0);
	assert_int_equal(issuers_of(f->st, list, TRUST_MAX_ISSUERS + 1), TRUST_MAX_ISSUERS);
	assert_string_equal(list[TRUST_MAX_ISSUERS - 1].code, "I64");
	free(list);
	free(text);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dates_used),
	    T(test_success),
	    T(test_all_or_nothing),
	    T(test_failed_import_keeps_register),
	    T(test_duplicate_in_file),
	    T(test_reimport),
	    T(test_encodings),
	    T(test_headers),
	    T(test_optional_absent),
	    T(test_missing_column),
	    T(test_trades),
	    T(test_excel_id),
	    T(test_no_data),
	    T(test_missing_file),
	    T(test_prefixes),
	    T(test_issuer_codes),
	    T(test_issuer_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
