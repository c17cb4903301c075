/*
 * test_account.c - accounts, roles, sessions and API tokens (account.h)
 * against a real SQLite database and real Argon2id: role names, the
 * password rule, scope rules for every role, resolving scopes from the
 * organisation table, password hashes that never hold the password, sign-in
 * and its per-account lock (which a disabled account and a login that
 * names no account get alike, the latter counted in a bounded table in
 * memory), session expiry (idle and absolute) on a
 * read-only connection, disabled accounts, API tokens and their revocation,
 * and a search of the database files for every secret handed out.
 *
 * Argon2id is slow on purpose: the tests hash a few dozen times at most.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "account.h"
#include "store.h"
#include "fixture.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define T0       1780000000 /* a fixed "now" */

/* Companies: valid check characters (GB 32100), one in 云岩区, one in 南明区. */
#define USCC_A "91520103MA6DKAB12Q"
#define USCC_B "91520115MA6DKCD347"

struct fixture {
	struct fixture_dir tmp;
	struct store *st;
	struct actor who;
	int64_t city, yunyan, nanming, company_a, company_b, inst;
	struct account_unknown *unknown; /* as the server keeps one */
};

static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	return db;
}

static int64_t raw_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *q = NULL;
	int64_t v;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	return v;
}

static void raw_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
}

static struct store *open_ok(const char *path, int flags)
{
	struct store *st = NULL;
	struct err err;

	err_clear(&err);
	if (store_open(path, flags, &st, &err) != 0)
		fail_msg("store_open(%s): %s", path, err.msg);
	return st;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	sqlite3 *db;

	if (!f || sodium_init() < 0 || fixture_dir_make(&f->tmp, "account") != 0)
		return -1;
	store_close(open_ok(f->tmp.db, STORE_CREATE));
	db = raw_open(f->tmp.db);
	raw_exec(db, "INSERT INTO org (kind, name, uscc, district, created_at, updated_at)"
	             " SELECT 'builder', '贵阳甲建设有限公司', '" USCC_A "', id, 0, 0"
	             " FROM org WHERE kind = 'district' AND name = '云岩区';"
	             "INSERT INTO org (kind, name, uscc, district, created_at, updated_at)"
	             " SELECT 'supervisor', '贵阳乙监理有限公司', '" USCC_B "', id, 0, 0"
	             " FROM org WHERE kind = 'district' AND name = '南明区';"
	             "INSERT INTO org (kind, name, district, created_at, updated_at)"
	             " SELECT 'institution', '贵阳建设职业培训学校', id, 0, 0"
	             " FROM org WHERE kind = 'district' AND name = '花溪区';");
	f->city = raw_int(db, "SELECT id FROM org WHERE kind = 'city'");
	f->yunyan = raw_int(db, "SELECT id FROM org WHERE name = '云岩区'");
	f->nanming = raw_int(db, "SELECT id FROM org WHERE name = '南明区'");
	f->company_a = raw_int(db, "SELECT id FROM org WHERE uscc = '" USCC_A "'");
	f->company_b = raw_int(db, "SELECT id FROM org WHERE uscc = '" USCC_B "'");
	f->inst = raw_int(db, "SELECT id FROM org WHERE kind = 'institution'");
	sqlite3_close(db);
	f->st = open_ok(f->tmp.db, 0);
	f->unknown = account_unknown_new(64);
	if (!f->unknown)
		return -1;
	actor_cli(&f->who);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	store_close(f->st);
	account_unknown_free(f->unknown);
	rc = fixture_dir_remove(&f->tmp);
	free(f);
	return rc;
}

/* Add an account with a given password (one Argon2id hash). */
static void add_ok(struct fixture *f, const char *login, enum role r, int64_t org,
                   const char *password)
{
	struct err err;
	char otp[ACCOUNT_OTP_SIZE];

	err_clear(&err);
	if (account_add(f->st, &f->who, login, r, org, password, T0, otp, &err) != 0)
		fail_msg("account_add(%s): %s", login, err.msg);
	assert_string_equal(otp, "");
}

static enum account_login_result login_at(struct fixture *f, const char *login,
                                          const char *password, int64_t now, struct principal *p,
                                          char token[ACCOUNT_TOKEN_SIZE], int64_t *retry)
{
	enum account_login_result res;
	char csrf[ACCOUNT_CSRF_SIZE];
	struct err err;

	err_clear(&err);
	if (account_login(f->st, f->unknown, login, password, "192.0.2.7", now, p, token, csrf,
	                  &res, retry, &err) != 0)
		fail_msg("account_login(%s): %s", login, err.msg);
	if (res == ACCOUNT_LOGIN_OK) {
		assert_true(strlen(token) >= 40);
		assert_true(strlen(csrf) >= 40);
		assert_string_not_equal(token, csrf);
	} else {
		assert_string_equal(token, "");
	}
	return res;
}

static int session_at(struct fixture *f, struct store *st, const char *token, int64_t now,
                      struct principal *p)
{
	char csrf[ACCOUNT_CSRF_SIZE];
	int64_t last = 0;
	struct err err;
	int rc;

	err_clear(&err);
	rc = account_session(st ? st : f->st, token, now, p, csrf, &last, &err);
	if (rc < 0)
		fail_msg("account_session: %s", err.msg);
	return rc;
}

/* --- roles --- */

static void test_roles(void **state)
{
	static const struct {
		enum role r;
		const char *code, *label, *kind;
	} cases[] = {
	    {ROLE_CITY_ADMIN, "city_admin", "市住建局管理员", "city"},
	    {ROLE_CITY_OFFICER, "city_officer", "市住建局工作人员", "city"},
	    {ROLE_DISTRICT_OFFICER, "district_officer", "区住建局工作人员", "district"},
	    {ROLE_COMPANY_USER, "company_user", "企业用户", "company"},
	    {ROLE_TRAINING_USER, "training_user", "培训机构用户", "institution"},
	    {ROLE_AUDITOR, "auditor", "审计员", NULL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		assert_string_equal(role_code(cases[i].r), cases[i].code);
		assert_string_equal(role_label(cases[i].r), cases[i].label);
		assert_int_equal(role_parse(cases[i].code), cases[i].r);
		assert_int_equal(role_parse(cases[i].label), cases[i].r);
		if (cases[i].kind)
			assert_string_equal(role_scope_kind(cases[i].r), cases[i].kind);
		else
			assert_null(role_scope_kind(cases[i].r));
	}
	assert_string_equal(role_code(ROLE_PUBLIC), "public");
	assert_string_equal(role_label(ROLE_PUBLIC), "公众");
	assert_int_equal(role_parse("public"), -1);
	assert_int_equal(role_parse("admin"), -1);
	assert_int_equal(role_parse(""), -1);
}

/* --- the password rule and logins --- */

static void test_password_rule(void **state)
{
	static const struct {
		const char *password;
		int ok;
		const char *why;
	} cases[] = {
	    {"Abcdefgh12", 1, NULL},
	    {"abcdefgh1!", 1, NULL},
	    {"ABCDEFGH1!", 1, NULL},
	    {"安全施工Ab12345", 1, NULL}, /* non-ASCII counts as "other" */
	    {"Abcdefg12", 0, "10"},
	    {"abcdefghij", 0, "三类"},
	    {"abcdefgh12", 0, "三类"},
	    {"ABCDEFGHIJKL", 0, "三类"},
	    {"1234567890", 0, "三类"},
	    {"Li.Ming2024x", 0, "账号名"}, /* contains the login, any case */
	    {"短Ab1", 0, "10"},
	    {"Abcdefgh12\n", 0, "控制字符"},
	    {"", 0, "不能为空"},
	};
	struct err err;
	char long_pw[200];
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		err_clear(&err);
		int rc = account_password_ok("li.ming", cases[i].password, &err);

		if (cases[i].ok) {
			if (rc != 0)
				fail_msg("\"%s\" refused: %s", cases[i].password, err.msg);
			continue;
		}
		assert_int_equal(rc, -1);
		assert_int_equal(err.kind, ERR_INPUT);
		if (!strstr(err.msg, cases[i].why))
			fail_msg("\"%s\": message \"%s\" lacks \"%s\"", cases[i].password, err.msg,
			         cases[i].why);
	}
	memset(long_pw, 'a', sizeof(long_pw) - 1);
	long_pw[sizeof(long_pw) - 1] = '\0';
	long_pw[0] = 'A';
	long_pw[1] = '1';
	assert_int_equal(account_password_ok("li.ming", long_pw, &err), -1);

	assert_int_equal(account_login_ok("li.ming", &err), 0);
	assert_int_equal(account_login_ok("a_1-b", &err), 0);
	assert_int_equal(account_login_ok("ab", &err), -1);
	assert_int_equal(account_login_ok("Li.Ming", &err), -1);
	assert_int_equal(account_login_ok(".lim", &err), -1);
	assert_int_equal(account_login_ok("li ming", &err), -1);
	assert_int_equal(account_login_ok("李明明", &err), -1);
}

/* --- scope rules --- */

static void test_scope_rules(void **state)
{
	/* Objects: (district, company, institution). */
	enum { D1 = 11, D2 = 12, C1 = 21, C2 = 22, I1 = 31, I2 = 32 };
	static const struct {
		enum role role;
		int64_t org, district;
		/* sees: own district / other district / own company / other
		 * company / own institution / other institution */
		int sees[6];
		int full_own_district, full_other_district, full_own_company, full_other_company;
		int writes;
	} cases[] = {
	    {ROLE_CITY_ADMIN, 1, 0, {1, 1, 1, 1, 1, 1}, 1, 1, 1, 1, 1},
	    {ROLE_CITY_OFFICER, 1, 0, {1, 1, 1, 1, 1, 1}, 1, 1, 1, 1, 1},
	    {ROLE_DISTRICT_OFFICER, D1, D1, {1, 0, 0, 0, 0, 0}, 1, 0, 0, 0, 1},
	    {ROLE_COMPANY_USER, C1, D1, {0, 0, 1, 0, 0, 0}, 0, 0, 1, 0, 1},
	    {ROLE_TRAINING_USER, I1, D2, {0, 0, 0, 0, 1, 0}, 0, 0, 0, 0, 1},
	    {ROLE_AUDITOR, 0, 0, {1, 1, 1, 1, 1, 1}, 0, 0, 0, 0, 0},
	    {ROLE_PUBLIC, 0, 0, {0, 0, 0, 0, 0, 0}, 0, 0, 0, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		struct principal p;

		memset(&p, 0, sizeof(p));
		p.role = cases[i].role;
		p.org = cases[i].org;
		p.district = cases[i].district;
		/* A record of district D1 whose company is C1 is seen by a
		 * district officer of D1 through its district only. */
		assert_int_equal(principal_sees(&p, D1, 0, 0), cases[i].sees[0]);
		assert_int_equal(principal_sees(&p, D2, 0, 0), cases[i].sees[1]);
		assert_int_equal(principal_sees(&p, 0, C1, 0), cases[i].sees[2]);
		assert_int_equal(principal_sees(&p, D2, C2, 0), cases[i].sees[3]);
		assert_int_equal(principal_sees(&p, 0, 0, I1), cases[i].sees[4]);
		assert_int_equal(principal_sees(&p, 0, 0, I2), cases[i].sees[5]);
		assert_int_equal(principal_sees(&p, 0, 0, 0),
		                 cases[i].role == ROLE_CITY_ADMIN ||
		                     cases[i].role == ROLE_CITY_OFFICER ||
		                     cases[i].role == ROLE_AUDITOR);
		assert_int_equal(principal_sees_full_id(&p, D1, 0), cases[i].full_own_district);
		assert_int_equal(principal_sees_full_id(&p, D2, 0), cases[i].full_other_district);
		assert_int_equal(principal_sees_full_id(&p, D2, C1),
		                 cases[i].full_own_company || cases[i].full_other_district);
		assert_int_equal(principal_sees_full_id(&p, 0, C2), cases[i].full_other_company);
		assert_int_equal(principal_writes(&p), cases[i].writes);
	}
	assert_int_equal(principal_sees(NULL, D1, C1, I1), 0);
	assert_int_equal(principal_sees_full_id(NULL, D1, C1), 0);
	assert_int_equal(principal_writes(NULL), 0);
}

/* The write-scope rules the routes hold a body to (403 out_of_scope). */
static void test_write_scope_rules(void **state)
{
	enum { D1 = 11, D2 = 12, C1 = 21, C2 = 22, I1 = 31 };
	static const struct {
		enum role role;
		int64_t org, district;
		int held_district, district_own, district_other, district_none;
		int held_builder, builds_own, builds_other, builds_none;
		int renames, reassigns;
	} cases[] = {
	    /* role, org, district; district D1/D2: held to it, own, other, none;
	     * builder C1/C2: held to it, own, other, none; renames; reassigns */
	    {ROLE_CITY_ADMIN, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1},
	    {ROLE_CITY_OFFICER, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1},
	    /* only in its own district; any builder there */
	    {ROLE_DISTRICT_OFFICER, D1, D1, 1, 1, 0, 0, 0, 1, 1, 0, 1, 1},
	    /* its projects anywhere, only as their builder; not the registration */
	    {ROLE_COMPANY_USER, C1, D1, 0, 1, 1, 0, 1, 1, 0, 0, 0, 0},
	    /* no business with companies and projects */
	    {ROLE_TRAINING_USER, I1, D1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	    {ROLE_AUDITOR, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	    {ROLE_PUBLIC, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
	};
	size_t i;

	(void)state;
	for (i = 0; i < COUNT(cases); i++) {
		struct principal p;

		memset(&p, 0, sizeof(p));
		p.role = cases[i].role;
		p.org = cases[i].org;
		p.district = cases[i].district;
		assert_int_equal(principal_held_to_district(&p), cases[i].held_district);
		assert_int_equal(principal_writes_district(&p, D1), cases[i].district_own);
		assert_int_equal(principal_writes_district(&p, D2), cases[i].district_other);
		assert_int_equal(principal_writes_district(&p, 0), cases[i].district_none);
		assert_int_equal(principal_held_to_builder(&p), cases[i].held_builder);
		assert_int_equal(principal_writes_project(&p, C1), cases[i].builds_own);
		assert_int_equal(principal_writes_project(&p, C2), cases[i].builds_other);
		assert_int_equal(principal_writes_project(&p, 0), cases[i].builds_none);
		assert_int_equal(principal_renames_company(&p), cases[i].renames);
		assert_int_equal(principal_reassigns_project(&p), cases[i].reassigns);
	}
	/* A district officer or company user whose scope names nothing writes
	 * nowhere. */
	{
		struct principal p = {.role = ROLE_DISTRICT_OFFICER};

		assert_int_equal(principal_writes_district(&p, D1), 0);
		p.role = ROLE_COMPANY_USER;
		assert_int_equal(principal_writes_project(&p, C1), 0);
	}
	assert_int_equal(principal_held_to_district(NULL), 0);
	assert_int_equal(principal_writes_district(NULL, D1), 0);
	assert_int_equal(principal_held_to_builder(NULL), 0);
	assert_int_equal(principal_writes_project(NULL, C1), 0);
	assert_int_equal(principal_renames_company(NULL), 0);
	assert_int_equal(principal_reassigns_project(NULL), 0);
}

static void test_account_scope(void **state)
{
	struct fixture *f = *state;
	struct err err;
	int64_t org;
	char otp[ACCOUNT_OTP_SIZE];

	err_clear(&err);
	assert_int_equal(account_scope(f->st, ROLE_DISTRICT_OFFICER, "云岩区", &org, &err), 0);
	assert_int_equal(org, f->yunyan);
	assert_int_equal(account_scope(f->st, ROLE_COMPANY_USER, USCC_A, &org, &err), 0);
	assert_int_equal(org, f->company_a);
	/* lower case and surrounding spaces are accepted */
	assert_int_equal(
	    account_scope(f->st, ROLE_COMPANY_USER, " 91520115ma6dkcd347 ", &org, &err), 0);
	assert_int_equal(org, f->company_b);
	assert_int_equal(
	    account_scope(f->st, ROLE_TRAINING_USER, "贵阳建设职业培训学校", &org, &err), 0);
	assert_int_equal(org, f->inst);
	assert_int_equal(account_scope(f->st, ROLE_CITY_ADMIN, NULL, &org, &err), 0);
	assert_int_equal(org, f->city);
	assert_int_equal(account_scope(f->st, ROLE_AUDITOR, "云岩区", &org, &err), 0);
	assert_int_equal(org, 0);

	org = 99;
	assert_int_equal(account_scope(f->st, ROLE_DISTRICT_OFFICER, "云岩", &org, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_non_null(strstr(err.msg, "云岩"));
	assert_int_equal(org, 0);
	assert_int_equal(account_scope(f->st, ROLE_DISTRICT_OFFICER, NULL, &org, &err), -1);
	/* a district unit is not a company, a wrong check character is named */
	assert_int_equal(account_scope(f->st, ROLE_COMPANY_USER, "91520103MA6DKAB12R", &org, &err),
	                 -1);
	assert_non_null(strstr(err.msg, "校验"));
	assert_int_equal(account_scope(f->st, ROLE_COMPANY_USER, "52520100MJ1234567Y", &org, &err),
	                 -1);
	assert_non_null(strstr(err.msg, "52520100MJ1234567Y"));
	assert_int_equal(account_scope(f->st, ROLE_TRAINING_USER, "云岩区", &org, &err), -1);
	assert_int_equal(account_scope(f->st, ROLE_PUBLIC, NULL, &org, &err), -1);

	/* An organisation of the wrong kind is refused before anything is hashed. */
	assert_int_equal(account_add(f->st, &f->who, "wrong.kind", ROLE_DISTRICT_OFFICER,
	                             f->company_a, NULL, T0, otp, &err),
	                 -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(
	    account_add(f->st, &f->who, "wrong.kind", ROLE_AUDITOR, f->yunyan, NULL, T0, otp, &err),
	    -1);
	assert_int_equal(
	    account_add(f->st, &f->who, "wrong.kind", ROLE_COMPANY_USER, 0, NULL, T0, otp, &err),
	    -1);
	assert_int_equal(
	    account_add(f->st, &f->who, "Bad Login", ROLE_AUDITOR, 0, NULL, T0, otp, &err), -1);
}

/* --- passwords at rest, sign-in, principals --- */

static void test_hash_and_login(void **state)
{
	struct fixture *f = *state;
	const char *pw = "Qiche-Diaoche-2026";
	char token[ACCOUNT_TOKEN_SIZE], hash[256];
	struct account_info info;
	struct principal p;
	struct err err;
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t retry;

	add_ok(f, "wang.fang", ROLE_DISTRICT_OFFICER, f->yunyan, pw);
	db = raw_open(f->tmp.db);
	assert_int_equal(sqlite3_prepare_v2(db,
	                                    "SELECT pwhash FROM account WHERE login = 'wang.fang'",
	                                    -1, &q, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	snprintf(hash, sizeof(hash), "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_string_not_equal(hash, pw);
	assert_null(strstr(hash, pw));
	assert_null(strstr(hash, "Diaoche"));
	assert_non_null(strstr(hash, "$argon2id$"));

	/* The same login twice is refused. */
	err_clear(&err);
	assert_int_equal(
	    account_add(f->st, &f->who, "wang.fang", ROLE_AUDITOR, 0, pw, T0, token, &err), -1);
	assert_non_null(strstr(err.msg, "已存在"));

	assert_int_equal(login_at(f, "wang.fang", "Qiche-Diaoche-2025", T0, &p, token, &retry),
	                 ACCOUNT_LOGIN_BAD);
	assert_int_equal(login_at(f, "nobody.here", pw, T0, &p, token, &retry), ACCOUNT_LOGIN_BAD);
	assert_int_equal(login_at(f, "wang.fang", "", T0, &p, token, &retry), ACCOUNT_LOGIN_BAD);
	assert_int_equal(login_at(f, "wang.fang", pw, T0 + 5, &p, token, &retry), ACCOUNT_LOGIN_OK);
	assert_string_equal(p.login, "wang.fang");
	assert_int_equal(p.role, ROLE_DISTRICT_OFFICER);
	assert_int_equal(p.org, f->yunyan);
	assert_int_equal(p.district, f->yunyan);
	assert_string_equal(p.org_name, "云岩区");
	assert_int_equal(p.must_change, 0);
	assert_int_equal(principal_sees(&p, f->yunyan, 0, 0), 1);
	assert_int_equal(principal_sees(&p, f->nanming, 0, 0), 0);

	assert_int_equal(account_get(f->st, "wang.fang", &info, &err), 1);
	assert_int_equal(info.last_login, T0 + 5);
	assert_int_equal(info.disabled, 0);
	assert_int_equal(account_get(f->st, "nobody.here", &info, &err), 0);
}

static void test_lock(void **state)
{
	struct fixture *f = *state;
	const char *pw = "Tadiao#Siji2026";
	char token[ACCOUNT_TOKEN_SIZE];
	struct principal p;
	int64_t retry = -1;
	int i;

	add_ok(f, "zhao.lei", ROLE_COMPANY_USER, f->company_a, pw);
	/* A success in between resets the count. */
	for (i = 0; i < ACCOUNT_LOCK_FAILURES - 1; i++)
		assert_int_equal(
		    login_at(f, "zhao.lei", "wrong-Password1", T0 + i, &p, token, &retry),
		    ACCOUNT_LOGIN_BAD);
	assert_int_equal(login_at(f, "zhao.lei", pw, T0 + 10, &p, token, &retry), ACCOUNT_LOGIN_OK);
	assert_int_equal(p.org, f->company_a);
	assert_int_equal(p.district, f->yunyan);
	assert_string_equal(p.org_name, "贵阳甲建设有限公司");

	for (i = 0; i < ACCOUNT_LOCK_FAILURES - 1; i++)
		assert_int_equal(
		    login_at(f, "zhao.lei", "wrong-Password1", T0 + 20 + i, &p, token, &retry),
		    ACCOUNT_LOGIN_BAD);
	/* The last failure in a row locks. */
	assert_int_equal(login_at(f, "zhao.lei", "wrong-Password1", T0 + 100, &p, token, &retry),
	                 ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(retry, ACCOUNT_LOCK_SECONDS);
	/* Locked: even the right password is refused, with the time left. */
	assert_int_equal(login_at(f, "zhao.lei", pw, T0 + 160, &p, token, &retry),
	                 ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(retry, ACCOUNT_LOCK_SECONDS - 60);
	assert_int_equal(
	    login_at(f, "zhao.lei", pw, T0 + 100 + ACCOUNT_LOCK_SECONDS - 1, &p, token, &retry),
	    ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(retry, 1);
	/* Another account is not affected. */
	assert_int_equal(login_at(f, "nobody.else", pw, T0 + 160, &p, token, &retry),
	                 ACCOUNT_LOGIN_BAD);
	/* When the time is up, the right password works again. */
	assert_int_equal(
	    login_at(f, "zhao.lei", pw, T0 + 100 + ACCOUNT_LOCK_SECONDS, &p, token, &retry),
	    ACCOUNT_LOGIN_OK);
	assert_string_equal(p.login, "zhao.lei");
}

/* Wrong passwords for an account, a disabled account and a login that
 * names no account: the same answers, failure by failure. */
static void test_lock_alike(void **state)
{
	struct fixture *f = *state;
	const char *pw = "Wajue-Jishou#2026";
	static const char *const logins[] = {"xu.ming", "xu.off", "nobody.xu"};
	static const int64_t at[] = {0, 1, 2, 3, 40, 100, 40 + ACCOUNT_LOCK_SECONDS - 1};
	enum account_login_result want, got;
	char token[ACCOUNT_TOKEN_SIZE];
	struct principal p;
	struct err err;
	int64_t retry, want_retry;
	size_t i, j;

	add_ok(f, "xu.ming", ROLE_CITY_OFFICER, f->city, pw);
	add_ok(f, "xu.off", ROLE_CITY_OFFICER, f->city, pw);
	err_clear(&err);
	assert_int_equal(account_disable(f->st, &f->who, "xu.off", 1, T0, &err), 0);
	for (i = 0; i < COUNT(at); i++) {
		/* 4 failures, the 5th locks, then locked with the time left. */
		want = i + 1 < ACCOUNT_LOCK_FAILURES ? ACCOUNT_LOGIN_BAD : ACCOUNT_LOGIN_LOCKED;
		want_retry = want == ACCOUNT_LOGIN_BAD
		                 ? 0
		                 : at[ACCOUNT_LOCK_FAILURES - 1] + ACCOUNT_LOCK_SECONDS - at[i];
		for (j = 0; j < COUNT(logins); j++) {
			retry = -1;
			got = login_at(f, logins[j], "wrong-Password1", T0 + at[i], &p, token,
			               &retry);
			if (got != want || retry != want_retry)
				fail_msg("failure %zu of %s: result %d, retry %lld (want %d, %lld)",
				         i + 1, logins[j], (int)got, (long long)retry, (int)want,
				         (long long)want_retry);
		}
	}
	/* The right password of the enabled account waits too. */
	assert_int_equal(login_at(f, "xu.ming", pw, T0 + 200, &p, token, &retry),
	                 ACCOUNT_LOGIN_LOCKED);
	/* When the time is up, each starts again from no failures. */
	for (j = 0; j < COUNT(logins); j++)
		assert_int_equal(login_at(f, logins[j], "wrong-Password1",
		                          T0 + 100 + ACCOUNT_LOCK_SECONDS, &p, token, &retry),
		                 ACCOUNT_LOGIN_BAD);
	assert_int_equal(account_unknown_count(f->unknown), 1);
	/* Enabling the account lifts its lock, as a reset does. */
	assert_int_equal(account_disable(f->st, &f->who, "xu.off", 0, T0 + 2000, &err), 0);
	assert_int_equal(login_at(f, "xu.off", pw, T0 + 2001, &p, token, &retry), ACCOUNT_LOGIN_OK);
}

/* The table of unknown logins on its own: counting as an account's lock
 * does, bounded, the oldest forgotten first, logins compared as typed. */
static void test_unknown_table(void **state)
{
	struct account_unknown *u = account_unknown_new(3);
	int64_t retry = -1;
	int i;

	(void)state;
	assert_null(account_unknown_new(0));
	assert_non_null(u);
	for (i = 0; i < ACCOUNT_LOCK_FAILURES - 1; i++) {
		assert_int_equal(account_unknown_fail(u, "ghost.a", T0 + i, &retry),
		                 ACCOUNT_LOGIN_BAD);
		assert_int_equal(retry, 0);
	}
	assert_int_equal(account_unknown_fail(u, "ghost.a", T0 + 10, &retry), ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(retry, ACCOUNT_LOCK_SECONDS);
	/* Locked: not counted, the time left. */
	assert_int_equal(account_unknown_fail(u, "ghost.a", T0 + 70, &retry), ACCOUNT_LOGIN_LOCKED);
	assert_int_equal(retry, ACCOUNT_LOCK_SECONDS - 60);
	/* Another login, and the same in capitals (which no look-up of an
	 * account would find under "ghost.a" either), start from nothing. */
	assert_int_equal(account_unknown_fail(u, "GHOST.A", T0 + 71, &retry), ACCOUNT_LOGIN_BAD);
	assert_int_equal(account_unknown_fail(u, NULL, T0 + 72, &retry), ACCOUNT_LOGIN_BAD);
	assert_int_equal(account_unknown_count(u), 3);
	/* Full: a fourth login makes it forget the one counted longest ago,
	 * ghost.a, which then starts from nothing. */
	assert_int_equal(account_unknown_fail(u, "ghost.d", T0 + 73, &retry), ACCOUNT_LOGIN_BAD);
	assert_int_equal(account_unknown_count(u), 3);
	assert_int_equal(account_unknown_fail(u, "ghost.a", T0 + 74, &retry), ACCOUNT_LOGIN_BAD);
	assert_int_equal(account_unknown_count(u), 3);
	account_unknown_free(u);
	account_unknown_free(NULL);
}

static void test_session_expiry(void **state)
{
	struct fixture *f = *state;
	const char *pw = "Shengjiang-Ji-88";
	char token[ACCOUNT_TOKEN_SIZE], token2[ACCOUNT_TOKEN_SIZE];
	struct principal p;
	struct store *ro;
	struct err err;
	int64_t retry, t, start = T0 + 1000;

	add_ok(f, "sun.li", ROLE_CITY_OFFICER, f->city, pw);
	assert_int_equal(login_at(f, "sun.li", pw, start, &p, token, &retry), ACCOUNT_LOGIN_OK);
	assert_int_equal(p.role, ROLE_CITY_OFFICER);

	/* Read from a read-only connection, as the server's workers do. */
	ro = open_ok(f->tmp.db, STORE_READONLY);
	memset(&p, 0, sizeof(p));
	assert_int_equal(session_at(f, ro, token, start, &p), 1);
	assert_string_equal(p.login, "sun.li");
	assert_int_equal(session_at(f, ro, token, start + ACCOUNT_SESSION_IDLE - 1, &p), 1);
	assert_int_equal(session_at(f, ro, token, start + ACCOUNT_SESSION_IDLE, &p), 0);
	assert_int_equal(session_at(f, ro, "not-a-token", start, &p), 0);
	assert_int_equal(session_at(f, ro, "", start, &p), 0);

	/* Use keeps the session alive, up to the absolute limit. */
	err_clear(&err);
	for (t = start + ACCOUNT_SESSION_IDLE - 1; t < start + ACCOUNT_SESSION_MAX;
	     t += ACCOUNT_SESSION_IDLE - 1) {
		assert_int_equal(session_at(f, ro, token, t, &p), 1);
		assert_int_equal(account_session_touch(f->st, token, t, &err), 0);
	}
	assert_int_equal(session_at(f, ro, token, start + ACCOUNT_SESSION_MAX - 1, &p), 1);
	assert_int_equal(session_at(f, ro, token, start + ACCOUNT_SESSION_MAX, &p), 0);

	/* Sign-out ends exactly that session. */
	assert_int_equal(login_at(f, "sun.li", pw, start + 10, &p, token2, &retry),
	                 ACCOUNT_LOGIN_OK);
	assert_string_not_equal(token, token2);
	assert_int_equal(account_logout(f->st, &f->who, token2, start + 20, &err), 0);
	assert_int_equal(session_at(f, ro, token2, start + 20, &p), 0);
	assert_int_equal(session_at(f, ro, token, start + 20, &p), 1);
	assert_int_equal(account_logout(f->st, &f->who, token2, start + 21, &err), 0);
	store_close(ro);
}

static void test_disable_and_tokens(void **state)
{
	struct fixture *f = *state;
	const char *pw = "Jiaoshou-Jia-77";
	char token[ACCOUNT_TOKEN_SIZE], api[ACCOUNT_TOKEN_SIZE], api2[ACCOUNT_TOKEN_SIZE];
	struct account_info info;
	struct principal p;
	struct err err;
	int64_t retry, id, id2;

	add_ok(f, "qian.jun", ROLE_TRAINING_USER, f->inst, pw);
	assert_int_equal(login_at(f, "qian.jun", pw, T0, &p, token, &retry), ACCOUNT_LOGIN_OK);
	err_clear(&err);
	assert_int_equal(
	    account_token_new(f->st, &f->who, "qian.jun", "成绩上报", T0, api, &id, &err), 0);
	assert_true(id > 0);
	assert_memory_equal(api, "oct_", 4);
	assert_int_equal(account_token_new(f->st, &f->who, "qian.jun", NULL, T0, api2, &id2, &err),
	                 0);
	assert_string_not_equal(api, api2);
	assert_int_equal(account_token_auth(f->st, api, T0, &p, &err), 1);
	assert_string_equal(p.login, "qian.jun");
	assert_int_equal(p.role, ROLE_TRAINING_USER);
	assert_int_equal(p.org, f->inst);
	assert_int_equal(account_token_auth(f->st, "oct_nothing", T0, &p, &err), 0);
	/* A session token is not an API token and the other way round. */
	assert_int_equal(account_token_auth(f->st, token, T0, &p, &err), 0);
	assert_int_equal(session_at(f, NULL, api, T0, &p), 0);

	/* Revoking one token leaves the other. */
	assert_int_equal(account_token_revoke(f->st, &f->who, id2, T0 + 1, &err), 0);
	assert_int_equal(account_token_auth(f->st, api2, T0 + 1, &p, &err), 0);
	assert_int_equal(account_token_auth(f->st, api, T0 + 1, &p, &err), 1);
	assert_int_equal(account_token_revoke(f->st, &f->who, id2, T0 + 2, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(account_token_revoke(f->st, &f->who, 9999, T0 + 2, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(account_token_new(f->st, &f->who, "no.such", NULL, T0, api2, &id2, &err),
	                 -1);
	assert_string_equal(api2, "");

	/* Disabling ends sessions and tokens; the password no longer signs in. */
	assert_int_equal(account_disable(f->st, &f->who, "qian.jun", 1, T0 + 5, &err), 0);
	assert_int_equal(session_at(f, NULL, token, T0 + 5, &p), 0);
	assert_int_equal(account_token_auth(f->st, api, T0 + 5, &p, &err), 0);
	assert_int_equal(login_at(f, "qian.jun", pw, T0 + 6, &p, token, &retry), ACCOUNT_LOGIN_BAD);
	assert_int_equal(account_get(f->st, "qian.jun", &info, &err), 1);
	assert_int_equal(info.disabled, 1);
	assert_int_equal(
	    account_token_new(f->st, &f->who, "qian.jun", NULL, T0 + 6, api2, &id2, &err), -1);
	/* Enabled again: signs in, but what was ended stays ended. */
	assert_int_equal(account_disable(f->st, &f->who, "qian.jun", 0, T0 + 7, &err), 0);
	assert_int_equal(account_token_auth(f->st, api, T0 + 7, &p, &err), 0);
	assert_int_equal(session_at(f, NULL, token, T0 + 7, &p), 0);
	assert_int_equal(login_at(f, "qian.jun", pw, T0 + 8, &p, token, &retry), ACCOUNT_LOGIN_OK);
	assert_int_equal(account_disable(f->st, &f->who, "no.such", 1, T0 + 8, &err), -1);
}

struct token_list {
	int n, revoked;
	char labels[4][ACCOUNT_LABEL_SIZE];
};

static int collect_token(void *arg, const struct account_token_info *t)
{
	struct token_list *l = arg;

	if (l->n < 4)
		snprintf(l->labels[l->n], sizeof(l->labels[0]), "%s", t->label);
	l->n++;
	l->revoked += t->revoked_at != 0;
	return 0;
}

static int count_account(void *arg, const struct account_info *a)
{
	(*(int *)arg)++;
	assert_true(a->id > 0);
	return 0;
}

static void test_otp_and_change(void **state)
{
	struct fixture *f = *state;
	char otp[ACCOUNT_OTP_SIZE], otp2[ACCOUNT_OTP_SIZE], token[ACCOUNT_TOKEN_SIZE];
	char api[ACCOUNT_TOKEN_SIZE];
	struct account_info info;
	struct token_list list;
	struct principal p;
	struct err err;
	int64_t retry, id;
	int n = 0;
	size_t i;

	err_clear(&err);
	assert_int_equal(
	    account_add(f->st, &f->who, "zhou.min", ROLE_AUDITOR, 0, NULL, T0, otp, &err), 0);
	assert_int_equal(strlen(otp), 16);
	assert_int_equal(account_password_ok("zhou.min", otp, &err), 0);
	for (i = 0; otp[i]; i++)
		assert_null(strchr("0O1lI", otp[i]));
	assert_int_equal(account_get(f->st, "zhou.min", &info, &err), 1);
	assert_int_equal(info.must_change, 1);
	assert_int_equal(info.role, ROLE_AUDITOR);
	assert_int_equal(info.org, 0);

	assert_int_equal(login_at(f, "zhou.min", otp, T0, &p, token, &retry), ACCOUNT_LOGIN_OK);
	assert_int_equal(p.must_change, 1);
	assert_int_equal(principal_writes(&p), 0);
	/* Wrong old password, weak new one, the same one again. */
	assert_int_equal(account_change_password(f->st, &f->who, "zhou.min", "Wrong-Old-Pass1",
	                                         "Shenji-Yuan-2026", T0, &err),
	                 -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(
	    account_change_password(f->st, &f->who, "zhou.min", otp, "short", T0, &err), -1);
	assert_int_equal(account_change_password(f->st, &f->who, "zhou.min", otp, otp, T0, &err),
	                 -1);
	assert_int_equal(session_at(f, NULL, token, T0 + 1, &p), 1);
	assert_int_equal(account_change_password(f->st, &f->who, "zhou.min", otp,
	                                         "Shenji-Yuan-2026", T0 + 1, &err),
	                 0);
	/* The session opened with the old password ends with the change. */
	assert_int_equal(session_at(f, NULL, token, T0 + 1, &p), 0);
	assert_int_equal(account_get(f->st, "zhou.min", &info, &err), 1);
	assert_int_equal(info.must_change, 0);
	assert_int_equal(login_at(f, "zhou.min", otp, T0 + 2, &p, token, &retry),
	                 ACCOUNT_LOGIN_BAD);
	assert_int_equal(login_at(f, "zhou.min", "Shenji-Yuan-2026", T0 + 3, &p, token, &retry),
	                 ACCOUNT_LOGIN_OK);
	assert_int_equal(p.must_change, 0);

	/* An administrator's reset: a new one-time password, sessions end. */
	assert_int_equal(account_passwd(f->st, &f->who, "zhou.min", NULL, T0 + 4, otp2, &err), 0);
	assert_int_equal(strlen(otp2), 16);
	assert_string_not_equal(otp, otp2);
	assert_int_equal(session_at(f, NULL, token, T0 + 4, &p), 0);
	assert_int_equal(account_get(f->st, "zhou.min", &info, &err), 1);
	assert_int_equal(info.must_change, 1);
	assert_int_equal(account_passwd(f->st, &f->who, "no.such", NULL, T0 + 4, otp2, &err), -1);
	assert_string_equal(otp2, "");
	assert_int_equal(
	    account_passwd(f->st, &f->who, "zhou.min", "zhou.min-Pass1", T0 + 4, otp2, &err), -1);
	assert_non_null(strstr(err.msg, "账号名"));

	/* Role and scope change. */
	assert_int_equal(account_set_scope(f->st, &f->who, "zhou.min", ROLE_DISTRICT_OFFICER,
	                                   f->nanming, T0 + 5, &err),
	                 0);
	assert_int_equal(account_get(f->st, "zhou.min", &info, &err), 1);
	assert_int_equal(info.role, ROLE_DISTRICT_OFFICER);
	assert_int_equal(info.district, f->nanming);
	assert_string_equal(info.org_name, "南明区");
	assert_int_equal(account_set_scope(f->st, &f->who, "zhou.min", ROLE_COMPANY_USER,
	                                   f->nanming, T0 + 5, &err),
	                 -1);

	/* Listing. */
	assert_int_equal(account_token_new(f->st, &f->who, "zhou.min", "甲", T0, api, &id, &err),
	                 0);
	assert_int_equal(account_token_new(f->st, &f->who, "zhou.min", "乙", T0, api, &id, &err),
	                 0);
	assert_int_equal(account_token_revoke(f->st, &f->who, id, T0, &err), 0);
	memset(&list, 0, sizeof(list));
	assert_int_equal(account_token_each(f->st, "zhou.min", collect_token, &list, &err), 0);
	assert_int_equal(list.n, 2);
	assert_int_equal(list.revoked, 1);
	assert_string_equal(list.labels[0], "甲");
	assert_int_equal(account_token_each(f->st, "no.such", collect_token, &list, &err), -1);
	assert_int_equal(account_each(f->st, count_account, &n, &err), 0);
	assert_int_equal(n, 1);
}

/* memmem over a whole file. */
static int file_has(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	size_t i, len = strlen(needle);
	char *buf;
	long n;
	int found;

	if (!fp)
		return 0;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	found = 0;
	for (i = 0; !found && i + len <= (size_t)n; i++)
		found = memcmp(buf + i, needle, len) == 0;
	free(buf);
	return found;
}

static void test_no_secret_in_files(void **state)
{
	struct fixture *f = *state;
	char otp[ACCOUNT_OTP_SIZE], token[ACCOUNT_TOKEN_SIZE], api[ACCOUNT_TOKEN_SIZE];
	char csrf[ACCOUNT_CSRF_SIZE], path[FIXTURE_FILE_SIZE];
	const char *pw = "Plain-Text-Secret-9";
	const char *secrets[4];
	struct principal p;
	struct err err;
	int64_t retry, id;
	size_t i, j;

	add_ok(f, "he.xin", ROLE_CITY_ADMIN, f->city, pw);
	err_clear(&err);
	assert_int_equal(
	    account_add(f->st, &f->who, "lu.yao", ROLE_AUDITOR, 0, NULL, T0, otp, &err), 0);
	assert_int_equal(login_at(f, "he.xin", pw, T0, &p, token, &retry), ACCOUNT_LOGIN_OK);
	assert_int_equal(account_session(f->st, token, T0, &p, csrf, &retry, &err), 1);
	assert_int_equal(account_token_new(f->st, &f->who, "he.xin", "x", T0, api, &id, &err), 0);
	secrets[0] = pw;
	secrets[1] = otp;
	secrets[2] = token;
	secrets[3] = api;
	for (i = 0; i < COUNT(secrets); i++) {
		static const char *const files[] = {"opcert.db", "opcert.db-wal"};

		for (j = 0; j < COUNT(files); j++) {
			snprintf(path, sizeof(path), "%s/%s", f->tmp.path, files[j]);
			if (file_has(path, secrets[i]))
				fail_msg("secret %zu found in %s", i, files[j]);
		}
	}
	/* The check itself can fail: the login is in the files. */
	snprintf(path, sizeof(path), "%s/opcert.db-wal", f->tmp.path);
	assert_true(file_has(path, "he.xin") || file_has(f->tmp.db, "he.xin"));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roles),
	    cmocka_unit_test(test_password_rule),
	    cmocka_unit_test(test_scope_rules),
	    cmocka_unit_test(test_write_scope_rules),
	    T(test_account_scope),
	    T(test_hash_and_login),
	    T(test_lock),
	    T(test_lock_alike),
	    cmocka_unit_test(test_unknown_table),
	    T(test_session_expiry),
	    T(test_disable_and_tokens),
	    T(test_otp_and_change),
	    T(test_no_secret_in_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
