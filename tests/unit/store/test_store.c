/*
 * test_store.c - the register's storage through the store_* interface
 * (store.h) with the SQLite backend: creating and reopening a database and
 * its schema version, refusing what is not an opcert database, the round
 * trip of every certificate field, duplicate numbers, updates and their
 * change records, issuer prefixes, transactions, read-only use, in-memory
 * databases and the PostgreSQL location that is not built yet.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cert.h"
#include "date.h"
#include "store.h"
#include "fixture.h"
#include "testkey.h"

#define COUNT(a)   (sizeof(a) / sizeof((a)[0]))
#define D(y, m, d) date_from_ymd(y, m, d)

struct fixture {
	struct fixture_dir tmp; /* tmp.db: a database file that does not exist yet */
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || fixture_dir_make(&f->tmp, "store") != 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = fixture_dir_remove(&f->tmp);

	free(f);
	return rc;
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	assert_true(n >= 0);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static struct store *open_ok(const char *path, int flags)
{
	struct store *st = NULL;
	struct err err;

	memset(&err, 0, sizeof(err));
	if (store_open(path, flags, &st, &err) != 0 || testkey_attach(st, &err) != 0)
		fail_msg("store_open(%s): %s", path, err.msg);
	assert_non_null(st);
	return st;
}

/* Open must fail with an input error whose message holds msg_part. */
static void open_fails(const char *path, int flags, const char *msg_part)
{
	static char sentinel;
	struct store *st = (struct store *)&sentinel; /* must be reset to NULL */
	struct err err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(store_open(path, flags, &st, &err), -1);
	assert_null(st);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_true(err.msg[0] != '\0');
	if (msg_part && !strstr(err.msg, msg_part))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(
	    sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
	    SQLITE_OK);
	return db;
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

/* The schema as text, for comparing before and after. */
static char *raw_schema(sqlite3 *db)
{
	sqlite3_stmt *q = NULL;
	size_t n = 0, cap = 8192;
	char *out = calloc(1, cap);

	assert_non_null(out);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT type || ' ' || name || ' ' || coalesce(sql, '')"
	                                    " FROM sqlite_schema ORDER BY name",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(q, 0);
		int w = snprintf(out + n, cap - n, "%s\n", s ? s : "");

		assert_true(w > 0 && (size_t)w < cap - n);
		n += (size_t)w;
	}
	sqlite3_finalize(q);
	return out;
}

static struct cert construction_cert(void)
{
	struct cert c;

	memset(&c, 0, sizeof(c));
	snprintf(c.number, sizeof(c.number), "黔A012018000001");
	c.system = SYS_CONSTRUCTION;
	snprintf(c.name, sizeof(c.name), "张三");
	c.gender = GENDER_MALE;
	snprintf(c.id_number, sizeof(c.id_number), "52010219850312001X");
	snprintf(c.trade, sizeof(c.trade), "01");
	snprintf(c.issuer, sizeof(c.issuer), "贵阳市住房和城乡建设局");
	c.issued_on = D(2018, 8, 9);
	c.valid_until = D(2020, 8, 8);
	c.review_due = D(2019, 8, 9);
	c.status = CERT_SUSPENDED;
	snprintf(c.training_institution, sizeof(c.training_institution), "贵州省建设职业培训中心");
	return c;
}

static struct cert emergency_cert(void)
{
	struct cert c;

	memset(&c, 0, sizeof(c));
	snprintf(c.number, sizeof(c.number), "T520102198503120028");
	c.system = SYS_EMERGENCY;
	snprintf(c.name, sizeof(c.name), "阿依古丽·买买提");
	c.gender = GENDER_FEMALE;
	snprintf(c.id_number, sizeof(c.id_number), "520102198503120028");
	snprintf(c.trade, sizeof(c.trade), "2.1");
	snprintf(c.issuer, sizeof(c.issuer), "贵阳市应急管理局");
	c.issued_on = D(2017, 3, 1);
	c.valid_until = D(2023, 2, 28);
	c.review_due = DATE_NONE;
	c.status = CERT_REVOKED;
	c.training_institution[0] = '\0';
	return c;
}

static void assert_cert_equal(const struct cert *got, const struct cert *want)
{
	assert_string_equal(got->number, want->number);
	assert_int_equal(got->system, want->system);
	assert_string_equal(got->name, want->name);
	assert_int_equal(got->gender, want->gender);
	assert_string_equal(got->id_number, want->id_number);
	assert_string_equal(got->trade, want->trade);
	assert_string_equal(got->issuer, want->issuer);
	assert_int_equal(got->issued_on, want->issued_on);
	assert_int_equal(got->valid_until, want->valid_until);
	assert_int_equal(got->review_due, want->review_due);
	assert_int_equal(got->status, want->status);
	assert_string_equal(got->training_institution, want->training_institution);
}

static void insert_ok(struct store *st, const struct cert *c)
{
	struct err err;

	memset(&err, 0, sizeof(err));
	if (store_cert_insert(st, c, &err) != 0)
		fail_msg("insert %s: %s", c->number, err.msg);
}

static long count_of(struct store *st)
{
	struct err err;
	long n = -1;

	memset(&err, 0, sizeof(err));
	assert_int_equal(store_cert_count(st, &n, &err), 0);
	return n;
}

static void test_create_and_reopen(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct err err;
	struct stat sb;
	struct cert c = construction_cert();
	int version = -1, again = -1;
	sqlite3 *db;
	char *schema1, *schema2;

	assert_int_equal(stat(f->tmp.db, &sb), -1);
	st = open_ok(f->tmp.db, STORE_CREATE);
	assert_int_equal(stat(f->tmp.db, &sb), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_schema_version(st, &version, &err), 0);
	assert_true(version >= 1);
	assert_int_equal(count_of(st), 0);
	insert_ok(st, &c);
	store_close(st);

	db = raw_open(f->tmp.db);
	assert_int_equal(raw_long(db, "PRAGMA user_version"), version);
	/* the file is marked as opcert's own */
	assert_true(raw_long(db, "PRAGMA application_id") != 0);
	schema1 = raw_schema(db);
	sqlite3_close(db);

	/* reopening (with or without STORE_CREATE) changes nothing */
	st = open_ok(f->tmp.db, 0);
	assert_int_equal(store_schema_version(st, &again, &err), 0);
	assert_int_equal(again, version);
	assert_int_equal(count_of(st), 1);
	store_close(st);
	st = open_ok(f->tmp.db, STORE_CREATE);
	assert_int_equal(store_schema_version(st, &again, &err), 0);
	assert_int_equal(again, version);
	assert_int_equal(count_of(st), 1);
	store_close(st);

	db = raw_open(f->tmp.db);
	schema2 = raw_schema(db);
	assert_string_equal(schema1, schema2);
	assert_int_equal(raw_long(db, "PRAGMA user_version"), version);
	sqlite3_close(db);
	free(schema1);
	free(schema2);

	/* a read-only open succeeds only when no migration is needed */
	st = open_ok(f->tmp.db, STORE_READONLY);
	assert_int_equal(store_schema_version(st, &again, &err), 0);
	assert_int_equal(again, version);
	store_close(st);
}

static void test_missing_file(void **state)
{
	struct fixture *f = *state;
	struct stat sb;

	open_fails(f->tmp.db, 0, "init");
	open_fails(f->tmp.db, STORE_READONLY, "init");
	/* and nothing was created */
	assert_int_equal(stat(f->tmp.db, &sb), -1);
}

static void test_not_a_database(void **state)
{
	struct fixture *f = *state;
	char text[4096];
	char *after;
	size_t i, len;
	unsigned x = 12345;

	/* printable noise in lines, as a mistaken path to a text file gives */
	for (i = 0; i < sizeof(text); i++) {
		x = x * 1103515245u + 12345u;
		text[i] = (i % 64 == 63) ? '\n' : (char)(' ' + (x >> 16) % 95);
	}
	write_file(f->tmp.db, text, sizeof(text));
	open_fails(f->tmp.db, 0, NULL);
	open_fails(f->tmp.db, STORE_CREATE, NULL);
	open_fails(f->tmp.db, STORE_READONLY, NULL);
	/* the file is left as it was */
	after = read_file(f->tmp.db, &len);
	assert_int_equal(len, sizeof(text));
	assert_memory_equal(after, text, len);
	free(after);
}

static void make_foreign(const char *path)
{
	sqlite3 *db = raw_open(path);

	assert_int_equal(
	    sqlite3_exec(db, "CREATE TABLE x(a); INSERT INTO x VALUES (42);", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

static void test_foreign_database(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;

	make_foreign(f->tmp.db);
	open_fails(f->tmp.db, 0, NULL);
	open_fails(f->tmp.db, STORE_CREATE, NULL);
	open_fails(f->tmp.db, STORE_READONLY, NULL);

	/* opcert wrote none of its tables into it, and the data is intact */
	db = raw_open(f->tmp.db);
	assert_int_equal(raw_long(db, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(raw_long(db, "SELECT a FROM x"), 42);
	assert_int_equal(raw_long(db, "PRAGMA user_version"), 0);
	assert_int_equal(raw_long(db, "PRAGMA application_id"), 0);
	sqlite3_close(db);
}

/* Refusing a database that is not opcert's leaves its file settings alone
 * too: its journal mode is not switched to WAL. */
static void test_foreign_database_untouched(void **state)
{
	struct fixture *f = *state;
	sqlite3 *db;
	sqlite3_stmt *q = NULL;
	char mode[16] = "";

	make_foreign(f->tmp.db);
	open_fails(f->tmp.db, 0, NULL);
	open_fails(f->tmp.db, STORE_CREATE, NULL);
	db = raw_open(f->tmp.db);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		snprintf(mode, sizeof(mode), "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_string_equal(mode, "delete");
}

static void test_newer_schema(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->tmp.db, STORE_CREATE);
	sqlite3 *db;

	store_close(st);
	db = raw_open(f->tmp.db);
	assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 9999", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);
	open_fails(f->tmp.db, 0, NULL);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct cert in[2], out;
	struct store *st;
	struct err err;
	size_t i;

	in[0] = construction_cert();
	in[1] = emergency_cert();
	st = open_ok(f->tmp.db, STORE_CREATE);
	for (i = 0; i < COUNT(in); i++)
		insert_ok(st, &in[i]);
	/* read back in the same session and after reopening */
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < COUNT(in); i++) {
			memset(&out, 0x5a, sizeof(out));
			memset(&err, 0, sizeof(err));
			assert_int_equal(store_cert_get(st, in[i].number, &out, &err), 1);
			assert_cert_equal(&out, &in[i]);
		}
		memset(&err, 0, sizeof(err));
		assert_int_equal(store_cert_get(st, "黔A012018000002", &out, &err), 0);
		assert_int_equal(store_cert_get(st, "", &out, &err), 0);
		assert_int_equal(count_of(st), 2);
		store_close(st);
		st = open_ok(f->tmp.db, 0);
	}
	store_close(st);
}

static void test_duplicate_insert(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->tmp.db, STORE_CREATE);
	struct cert c = construction_cert(), other, out;
	struct err err;

	insert_ok(st, &c);
	other = c;
	snprintf(other.name, sizeof(other.name), "李四");
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_cert_insert(st, &other, &err), 1);
	assert_int_equal(store_cert_insert(st, &c, &err), 1);
	assert_int_equal(count_of(st), 1);
	/* nothing was written: the first row stands */
	assert_int_equal(store_cert_get(st, c.number, &out, &err), 1);
	assert_string_equal(out.name, "张三");
	/* the store is still usable */
	other = emergency_cert();
	insert_ok(st, &other);
	assert_int_equal(count_of(st), 2);
	store_close(st);
}

static void test_update(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->tmp.db, STORE_CREATE);
	struct cert before = construction_cert(), after, out;
	struct err err;
	const char *change = "{\"fields\":{\"name\":[\"张三\",\"张叁\"]},\"line\":7}";
	sqlite3 *db;
	sqlite3_stmt *q = NULL;

	insert_ok(st, &before);
	after = before;
	snprintf(after.name, sizeof(after.name), "张叁");
	after.valid_until = D(2022, 8, 8);
	after.review_due = DATE_NONE;
	after.status = CERT_VALID;
	snprintf(after.id_number, sizeof(after.id_number), "520103199001010030");
	snprintf(after.training_institution, sizeof(after.training_institution), "%s", "");
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_cert_update(st, &before, &after, change, &err), 0);
	assert_int_equal(store_cert_get(st, before.number, &out, &err), 1);
	assert_cert_equal(&out, &after);
	assert_int_equal(count_of(st), 1);
	store_close(st);

	db = raw_open(f->tmp.db);
	assert_int_equal(raw_long(db, "SELECT count(*) FROM certificate_change"), 1);
	assert_int_equal(
	    sqlite3_prepare_v2(db, "SELECT number, change, changed_at FROM certificate_change", -1,
	                       &q, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(q, 0), before.number);
	assert_string_equal((const char *)sqlite3_column_text(q, 1), change);
	assert_true(sqlite3_column_int64(q, 2) > 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
}

static void test_prefixes(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->tmp.db, STORE_CREATE);
	char list[8][STORE_PREFIX_SIZE];
	size_t n = 99;
	struct err err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(store_prefix_list(st, list, COUNT(list), &n, &err), 0);
	assert_int_equal(n, 0);

	assert_int_equal(store_prefix_add(st, "黔A", &err), 0);
	assert_int_equal(store_prefix_add(st, "黔A", &err), 0);
	assert_int_equal(store_prefix_add(st, "黔B", &err), 0);
	assert_int_equal(store_prefix_add(st, "黔A", &err), 0);
	assert_int_equal(store_prefix_list(st, list, COUNT(list), &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0], "黔A");
	assert_string_equal(list[1], "黔B");

	/* a short output array is not overrun */
	memset(list, 0, sizeof(list));
	assert_int_equal(store_prefix_list(st, list, 1, &n, &err), 0);
	assert_true(n <= 1);
	assert_string_equal(list[1], "");

	/* kept across sessions */
	store_close(st);
	st = open_ok(f->tmp.db, 0);
	assert_int_equal(store_prefix_list(st, list, COUNT(list), &n, &err), 0);
	assert_int_equal(n, 2);
	store_close(st);
}

static void test_count(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->tmp.db, STORE_CREATE);
	struct cert c = construction_cert();
	int i;

	assert_int_equal(count_of(st), 0);
	for (i = 1; i <= 25; i++) {
		snprintf(c.number, sizeof(c.number), "黔A012018%06d", i);
		insert_ok(st, &c);
		assert_int_equal(count_of(st), i);
	}
	store_close(st);
}

static void test_transactions(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->tmp.db, STORE_CREATE);
	struct cert c = construction_cert(), e = emergency_cert(), out;
	char list[4][STORE_PREFIX_SIZE];
	size_t n = 99;
	struct err err;
	int i;

	memset(&err, 0, sizeof(err));
	/* a bulk transaction rolled back leaves nothing */
	assert_int_equal(store_begin(st, STORE_TXN_BULK, &err), 0);
	for (i = 1; i <= 100; i++) {
		snprintf(c.number, sizeof(c.number), "黔A012018%06d", i);
		insert_ok(st, &c);
	}
	insert_ok(st, &e);
	assert_int_equal(store_prefix_add(st, "黔A", &err), 0);
	assert_int_equal(count_of(st), 101);
	store_rollback(st);
	assert_int_equal(count_of(st), 0);
	assert_int_equal(store_cert_get(st, "黔A012018000001", &out, &err), 0);
	assert_int_equal(store_cert_get(st, e.number, &out, &err), 0);
	assert_int_equal(store_prefix_list(st, list, COUNT(list), &n, &err), 0);
	assert_int_equal(n, 0);

	/* the store works normally afterwards, and a commit keeps its rows */
	assert_int_equal(store_begin(st, STORE_TXN_BULK, &err), 0);
	insert_ok(st, &e);
	assert_int_equal(store_commit(st, &err), 0);
	assert_int_equal(store_begin(st, STORE_TXN_NORMAL, &err), 0);
	insert_ok(st, &c);
	assert_int_equal(store_commit(st, &err), 0);
	store_close(st);

	st = open_ok(f->tmp.db, 0);
	assert_int_equal(count_of(st), 2);
	/* a normal transaction rolled back */
	assert_int_equal(store_begin(st, STORE_TXN_NORMAL, &err), 0);
	snprintf(c.number, sizeof(c.number), "黔A012018999999");
	insert_ok(st, &c);
	store_rollback(st);
	assert_int_equal(count_of(st), 2);
	/* a read snapshot */
	assert_int_equal(store_begin(st, STORE_TXN_READ, &err), 0);
	assert_int_equal(store_cert_get(st, e.number, &out, &err), 1);
	store_rollback(st);
	store_close(st);
}

static void test_readonly(void **state)
{
	struct fixture *f = *state;
	struct store *st = open_ok(f->tmp.db, STORE_CREATE);
	struct cert c = construction_cert(), e = emergency_cert(), out;
	struct err err;

	insert_ok(st, &c);
	store_close(st);

	st = open_ok(f->tmp.db, STORE_READONLY);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_cert_get(st, c.number, &out, &err), 1);
	assert_cert_equal(&out, &c);
	assert_int_equal(store_cert_insert(st, &e, &err), -1);
	assert_int_not_equal(err.kind, ERR_NONE);
	assert_true(err.msg[0] != '\0');
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_prefix_add(st, "黔A", &err), -1);
	assert_int_equal(count_of(st), 1);
	store_close(st);
}

static void test_memory(void **state)
{
	struct store *st = open_ok(":memory:", STORE_CREATE);
	struct cert c = construction_cert(), e = emergency_cert(), out;
	struct err err;
	int version = 0;

	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_schema_version(st, &version, &err), 0);
	assert_true(version >= 1);
	insert_ok(st, &c);
	insert_ok(st, &e);
	assert_int_equal(store_cert_insert(st, &c, &err), 1);
	assert_int_equal(count_of(st), 2);
	assert_int_equal(store_cert_get(st, e.number, &out, &err), 1);
	assert_cert_equal(&out, &e);
	store_close(st);
	/* each :memory: database starts empty */
	st = open_ok(":memory:", STORE_CREATE);
	assert_int_equal(count_of(st), 0);
	store_close(st);
}

static void test_bad_locations(void **state)
{
	static const char *const locations[] = {
	    "postgres://opcert@localhost/opcert",
	    "postgresql://opcert@localhost:5432/opcert",
	    "",
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(locations); i++) {
		open_fails(locations[i], 0, NULL);
		open_fails(locations[i], STORE_CREATE, NULL);
	}
	/* NULL store closes quietly */
	store_close(NULL);
}

/*
 * Migration 7: a register imported when only issuance gave issuer codes gets
 * a code for every issuer, after those already given, which keep theirs.
 */
static void test_issuer_backfill(void **state)
{
	struct fixture *f = *state;
	struct store *st;
	struct cert c = construction_cert(), e = emergency_cert();
	struct trust_issuer list[4];
	struct err err;
	size_t n = 0;
	sqlite3 *db;

	st = open_ok(f->tmp.db, STORE_CREATE);
	insert_ok(st, &c);
	insert_ok(st, &e);
	store_close(st);
	/* as such a register stands: only the emergency issuer has a code (it
	 * was issued for), at schema version 6 (without the later tables) */
	db = raw_open(f->tmp.db);
	assert_int_equal(sqlite3_exec(db,
	                              "DELETE FROM issuer;"
	                              "INSERT INTO issuer VALUES ('I1', '贵阳市应急管理局');"
	                              "DROP TABLE probe;"
	                              "PRAGMA user_version = 6",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(db);

	st = open_ok(f->tmp.db, 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_issuer_list(st, list, COUNT(list), &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].code, "I1");
	assert_string_equal(list[0].name, "贵阳市应急管理局");
	assert_string_equal(list[1].code, "I2");
	assert_string_equal(list[1].name, "贵阳市住房和城乡建设局");
	store_close(st);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_create_and_reopen),
	    T(test_missing_file),
	    T(test_not_a_database),
	    T(test_foreign_database),
	    T(test_foreign_database_untouched),
	    T(test_newer_schema),
	    T(test_round_trip),
	    T(test_duplicate_insert),
	    T(test_update),
	    T(test_prefixes),
	    T(test_count),
	    T(test_transactions),
	    T(test_readonly),
	    T(test_memory),
	    T(test_bad_locations),
	    T(test_issuer_backfill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
