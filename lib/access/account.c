/*
 * account.c - accounts, roles, sign-in sessions and API tokens (account.h).
 *
 * Threat model: the database may be copied (a backup, a stolen disk) and the
 * sign-in form is on the network.  So passwords are kept only as Argon2id
 * strings (libsodium's interactive limits, upgraded at sign-in when the
 * limits rise); session and API tokens are 32 random bytes handed out once
 * and kept only as their SHA-256, which is enough for random tokens and lets
 * a read-only connection check them.  A failed sign-in costs one Argon2id
 * verification whether or not the login exists (a dummy hash stands in), and
 * the answer is the same for an unknown login, a wrong password and a
 * disabled account.  ACCOUNT_LOCK_FAILURES failures in a row lock the
 * account for ACCOUNT_LOCK_SECONDS, a disabled account too, and a login
 * that names no account alike (its failures counted in memory,
 * account_unknown.c): the lock answers the same for all three.  Every
 * change, sign-in, sign-out and failed sign-in is recorded in the audit
 * trail in the same transaction; no password or token ever reaches it.  The
 * text a caller typed as a login that does not exist is not recorded
 * either: people type passwords into the login field.
 *
 * Hashing is slow on purpose, so it is done before the write transaction
 * starts, never while holding the database's write lock.
 */
#include "account.h"

#include <ctype.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "org.h"
#include "store_account.h"

#define PASSWORD_MIN_CHARS 10
#define PASSWORD_MAX_BYTES 128
#define OTP_LEN            16
#define API_TOKEN_PREFIX   "oct_"
#define TOKEN_BYTES        32

struct role_def {
	const char *code;
	const char *label;
	const char *scope_kind;
};

static const struct role_def roles[ROLE_COUNT] = {
    [ROLE_PUBLIC] = {"public", "公众", NULL},
    [ROLE_CITY_ADMIN] = {"city_admin", "市住建局管理员", "city"},
    [ROLE_CITY_OFFICER] = {"city_officer", "市住建局工作人员", "city"},
    [ROLE_DISTRICT_OFFICER] = {"district_officer", "区住建局工作人员", "district"},
    [ROLE_COMPANY_USER] = {"company_user", "企业用户", "company"},
    [ROLE_TRAINING_USER] = {"training_user", "培训机构用户", "institution"},
    [ROLE_AUDITOR] = {"auditor", "审计员", NULL},
};

static int role_valid(enum role r)
{
	return r > ROLE_PUBLIC && r < ROLE_COUNT;
}

const char *role_code(enum role r)
{
	return (r >= 0 && r < ROLE_COUNT) ? roles[r].code : roles[ROLE_PUBLIC].code;
}

const char *role_label(enum role r)
{
	return (r >= 0 && r < ROLE_COUNT) ? roles[r].label : roles[ROLE_PUBLIC].label;
}

int role_parse(const char *s)
{
	int r;

	if (!s)
		return -1;
	for (r = ROLE_PUBLIC + 1; r < ROLE_COUNT; r++)
		if (strcmp(s, roles[r].code) == 0 || strcmp(s, roles[r].label) == 0)
			return r;
	return -1;
}

const char *role_scope_kind(enum role r)
{
	return (r >= 0 && r < ROLE_COUNT) ? roles[r].scope_kind : NULL;
}

/* --- principals and scope rules --- */

void principal_actor(const struct principal *p, const char *addr, struct actor *out)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->login, sizeof(out->login), "%s", p ? p->login : "");
	snprintf(out->role, sizeof(out->role), "%s", role_code(p ? p->role : ROLE_PUBLIC));
	snprintf(out->addr, sizeof(out->addr), "%s", addr ? addr : "");
}

static int city_role(enum role r)
{
	return r == ROLE_CITY_ADMIN || r == ROLE_CITY_OFFICER;
}

int principal_sees(const struct principal *p, int64_t district, int64_t company,
                   int64_t institution)
{
	if (!p)
		return 0;
	switch (p->role) {
	case ROLE_CITY_ADMIN:
	case ROLE_CITY_OFFICER:
	case ROLE_AUDITOR:
		return 1;
	case ROLE_DISTRICT_OFFICER:
		return district != 0 && district == p->district;
	case ROLE_COMPANY_USER:
		return company != 0 && company == p->org;
	case ROLE_TRAINING_USER:
		return institution != 0 && institution == p->org;
	default:
		return 0;
	}
}

int principal_sees_full_id(const struct principal *p, int64_t district, int64_t company)
{
	if (!p)
		return 0;
	if (city_role(p->role))
		return 1;
	if (p->role == ROLE_DISTRICT_OFFICER)
		return district != 0 && district == p->district;
	if (p->role == ROLE_COMPANY_USER)
		return company != 0 && company == p->org;
	return 0;
}

int principal_writes(const struct principal *p)
{
	return p && role_valid(p->role) && p->role != ROLE_AUDITOR;
}

/* The roles that register companies and projects: the bureau's. */
static int registrar(const struct principal *p)
{
	return p && (city_role(p->role) || p->role == ROLE_DISTRICT_OFFICER);
}

int principal_held_to_district(const struct principal *p)
{
	return p && p->role == ROLE_DISTRICT_OFFICER;
}

int principal_writes_district(const struct principal *p, int64_t district)
{
	if (district == 0)
		return 0;
	if (principal_held_to_district(p))
		return district == p->district;
	return registrar(p) || (p && p->role == ROLE_COMPANY_USER);
}

int principal_held_to_builder(const struct principal *p)
{
	return p && p->role == ROLE_COMPANY_USER;
}

int principal_writes_project(const struct principal *p, int64_t builder)
{
	if (builder == 0)
		return 0;
	if (principal_held_to_builder(p))
		return builder == p->org;
	return registrar(p);
}

int principal_renames_company(const struct principal *p)
{
	return registrar(p);
}

int principal_reassigns_project(const struct principal *p)
{
	return registrar(p);
}

/* --- one-time set-up: libsodium and the dummy hash --- */

static pthread_once_t setup_once = PTHREAD_ONCE_INIT;
static int setup_ok;
static char dummy_hash[crypto_pwhash_STRBYTES];

static void setup(void)
{
	unsigned char pw[24];

	if (sodium_init() < 0)
		return;
	randombytes_buf(pw, sizeof(pw));
	if (crypto_pwhash_str(dummy_hash, (const char *)pw, sizeof(pw),
	                      crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0';
	sodium_memzero(pw, sizeof(pw));
	setup_ok = 1;
}

static int ready(struct err *err)
{
	pthread_once(&setup_once, setup);
	if (!setup_ok)
		return err_system(err, "无法初始化加密库");
	return 0;
}

/* Spend what checking a real password costs, for a login that has none. */
static void dummy_verify(const char *password)
{
	char h[crypto_pwhash_STRBYTES];
	volatile int sink;

	if (dummy_hash[0])
		sink = crypto_pwhash_str_verify(dummy_hash, password, strlen(password));
	else
		sink = crypto_pwhash_str(h, password, strlen(password),
		                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
		                         crypto_pwhash_MEMLIMIT_INTERACTIVE);
	(void)sink;
}

static int hash_password(const char *password, char out[STORE_ACCOUNT_HASH_SIZE], struct err *err)
{
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return err_system(err, "计算密码散列失败（内存不足）");
	return 0;
}

static int password_matches(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

/* --- logins, passwords, tokens --- */

int account_login_ok(const char *login, struct err *err)
{
	size_t i, n = login ? strlen(login) : 0;

	if (n == 0)
		return err_input(err, "账号名不能为空");
	if (n < 3 || n >= ACCOUNT_LOGIN_SIZE)
		return err_input(err, "账号名“%.80s”长度应为 3 到 %d 个字符", login,
		                 ACCOUNT_LOGIN_SIZE - 1);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)login[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			continue;
		if (i > 0 && (c == '.' || c == '_' || c == '-'))
			continue;
		return err_input(
		    err, "账号名“%.80s”无效：只能用小写字母、数字和 . _ -，且以字母或数字开头",
		    login);
	}
	return 0;
}

/* Does haystack contain needle, ignoring ASCII case? */
static int contains_nocase(const char *haystack, const char *needle)
{
	size_t n = strlen(needle), h = strlen(haystack), i, j;

	if (n == 0 || n > h)
		return 0;
	for (i = 0; i + n <= h; i++) {
		for (j = 0; j < n; j++)
			if (tolower((unsigned char)haystack[i + j]) !=
			    tolower((unsigned char)needle[j]))
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

int account_password_ok(const char *login, const char *password, struct err *err)
{
	size_t i, n, chars = 0;
	int lower = 0, upper = 0, digit = 0, other = 0, classes;
	char missing[320] = "";

	if (!password || !*password)
		return err_input(err, "密码不能为空");
	n = strlen(password);
	if (n > PASSWORD_MAX_BYTES)
		return err_input(err, "密码过长（最多 %d 字节）", PASSWORD_MAX_BYTES);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)password[i];

		if (c < 0x20 || c == 0x7f)
			return err_input(err, "密码不能包含控制字符（如换行、制表符）");
		if ((c & 0xc0) != 0x80)
			chars++;
		if (c >= 'a' && c <= 'z')
			lower = 1;
		else if (c >= 'A' && c <= 'Z')
			upper = 1;
		else if (c >= '0' && c <= '9')
			digit = 1;
		else
			other = 1;
	}
	classes = lower + upper + digit + other;
	if (chars < PASSWORD_MIN_CHARS)
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
		         "%s至少 %d 个字符（现为 %zu 个）", *missing ? "；" : "",
		         PASSWORD_MIN_CHARS, chars);
	if (classes < 3)
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
		         "%s须包含小写字母、大写字母、数字、其他符号四类中的至少三类（现有 %d 类）",
		         *missing ? "；" : "", classes);
	if (login && strlen(login) >= 3 && contains_nocase(password, login))
		snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
		         "%s不能包含账号名", *missing ? "；" : "");
	if (*missing)
		return err_input(err, "密码不符合要求：%s", missing);
	return 0;
}

/* A one-time password: characters that cannot be misread (no 0/O, 1/l/I). */
static void make_otp(const char *login, char otp[ACCOUNT_OTP_SIZE])
{
	static const char alphabet[] = "23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
	struct err ignore;
	size_t i;

	do {
		for (i = 0; i < OTP_LEN; i++)
			otp[i] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
		otp[OTP_LEN] = '\0';
	} while (account_password_ok(login, otp, &ignore) < 0);
}

/* prefix + base64url of 32 random bytes into token (size bytes, enough
 * for both); hash (when not NULL) its SHA-256. */
static void make_token(const char *prefix, char *token, size_t size, uint8_t hash[32])
{
	unsigned char raw[TOKEN_BYTES];
	size_t plen = strlen(prefix);

	randombytes_buf(raw, sizeof(raw));
	memcpy(token, prefix, plen);
	sodium_bin2base64(token + plen, size - plen, raw, sizeof(raw),
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
	if (hash)
		crypto_hash_sha256(hash, (const unsigned char *)token, strlen(token));
}

/* The SHA-256 of a presented token; 0 when it cannot be one of ours. */
static int token_hash(const char *token, uint8_t hash[32])
{
	size_t n = token ? strnlen(token, ACCOUNT_TOKEN_SIZE) : 0;

	if (n == 0 || n >= ACCOUNT_TOKEN_SIZE)
		return 0;
	crypto_hash_sha256(hash, (const unsigned char *)token, n);
	return 1;
}

/* --- trail --- */

static void user_object(const char *login, char out[96])
{
	snprintf(out, 96, "user:%s", login);
}

/* --- accounts --- */

static void principal_from(const struct store_account *a, struct principal *p)
{
	memset(p, 0, sizeof(*p));
	p->account = a->id;
	snprintf(p->login, sizeof(p->login), "%s", a->login);
	p->role = role_parse(a->role) > 0 ? (enum role)role_parse(a->role) : ROLE_PUBLIC;
	p->org = a->org;
	p->district = a->district;
	snprintf(p->org_name, sizeof(p->org_name), "%s", a->org_name);
	p->must_change = a->must_change;
}

static void info_from(const struct store_account *a, struct account_info *out)
{
	int r = role_parse(a->role);

	memset(out, 0, sizeof(*out));
	out->id = a->id;
	snprintf(out->login, sizeof(out->login), "%s", a->login);
	out->role = r > 0 ? (enum role)r : ROLE_PUBLIC;
	out->org = a->org;
	out->district = a->district;
	snprintf(out->org_name, sizeof(out->org_name), "%s", a->org_name);
	out->disabled = a->disabled;
	out->must_change = a->must_change;
	out->created_at = a->created_at;
	out->last_login = a->last_login;
}

/* Does organisation kind suit role r? */
static int kind_fits(enum role r, enum org_kind kind)
{
	switch (r) {
	case ROLE_CITY_ADMIN:
	case ROLE_CITY_OFFICER:
		return kind == ORG_CITY || kind == ORG_OFFICE;
	case ROLE_DISTRICT_OFFICER:
		return kind == ORG_DISTRICT;
	case ROLE_COMPANY_USER:
		return kind == ORG_BUILDER || kind == ORG_SUPERVISOR;
	case ROLE_TRAINING_USER:
		return kind == ORG_INSTITUTION;
	default:
		return 0;
	}
}

/* The organisation given for role must exist, be open and be of its kind. */
static int check_org(struct store *st, enum role r, int64_t org, struct err *err)
{
	struct org o;
	int rc;

	if (!role_valid(r))
		return err_input(err, "角色无效");
	if (r == ROLE_AUDITOR) {
		if (org != 0)
			return err_input(err, "审计员不属于任何单位");
		return 0;
	}
	if (org == 0)
		return err_input(err, "%s须指定所属单位", role_label(r));
	rc = org_get(st, org, &o, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return err_input(err, "没有编号为 %lld 的单位", (long long)org);
	if (!kind_fits(r, o.kind))
		return err_input(err, "单位“%s”不能作为%s的所属单位", o.name, role_label(r));
	if (o.closed_at)
		return err_input(err, "单位“%s”已关闭", o.name);
	return 0;
}

/* The city bureau: the first organisation of kind city. */
static int first_org(void *arg, const struct org *o)
{
	*(struct org *)arg = *o;
	return 1;
}

int account_scope(struct store *st, enum role role, const char *scope, int64_t *org,
                  struct err *err)
{
	struct org_filter f = {0};
	struct org o;
	int rc;

	*org = 0;
	if (!role_valid(role))
		return err_input(err, "角色无效");
	if (role == ROLE_AUDITOR)
		return 0;
	if (city_role(role)) {
		f.kinds = 1u << ORG_CITY;
		rc = org_each(st, &f, first_org, &o, err);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return err_system(err, "数据库中没有市住建局（请运行 opcert init）");
		*org = o.id;
		return 0;
	}
	if (!scope || !*scope) {
		if (role == ROLE_DISTRICT_OFFICER)
			return err_input(err, "区住建局工作人员须指定所属区县（如 云岩区）");
		if (role == ROLE_COMPANY_USER)
			return err_input(err, "企业用户须指定所属企业的统一社会信用代码");
		return err_input(err, "培训机构用户须指定所属培训机构的名称");
	}
	if (role == ROLE_DISTRICT_OFFICER) {
		rc = org_district_get(st, scope, &o, err);
		if (rc == 0)
			return err_input(
			    err, "没有名为“%.200s”的区县单位（应写全称，如 云岩区、观山湖区）",
			    scope);
	} else if (role == ROLE_COMPANY_USER) {
		/* org_company_get checks the code and says what is wrong with it. */
		rc = org_company_get(st, scope, &o, err);
		if (rc == 0)
			return err_input(err, "没有统一社会信用代码为 %.60s 的施工或监理单位",
			                 scope);
	} else {
		rc = org_institution_get(st, scope, &o, err);
		if (rc == 0)
			return err_input(err, "没有名为“%.200s”的培训机构", scope);
	}
	if (rc < 0)
		return -1;
	if (o.closed_at)
		return err_input(err, "单位“%s”已关闭", o.name);
	*org = o.id;
	return 0;
}

/* Read login inside the caller's transaction: 0 and *a, or -1 (unknown = input error). */
static int must_get(struct store *st, const char *login, struct store_account *a, struct err *err)
{
	int rc = store_account_get(st, login, a, err);

	if (rc == 0)
		return err_input(err, "没有账号“%.80s”", login);
	return rc < 0 ? -1 : 0;
}

static json_t *scope_json(const struct store_account *a)
{
	return json_pack("{s:s, s:s}", "role", a->role, "org", a->org_name);
}

int account_add(struct store *st, const struct actor *who, const char *login, enum role role,
                int64_t org, const char *password, int64_t now, char otp[ACCOUNT_OTP_SIZE],
                struct err *err)
{
	struct store_account a, old;
	char object[96];
	int rc;

	if (otp)
		otp[0] = '\0';
	if (ready(err) < 0 || account_login_ok(login, err) < 0)
		return -1;
	if (!role_valid(role))
		return err_input(err, "角色无效");
	if (!password && !otp)
		return err_input(err, "未给出密码");
	if (password && account_password_ok(login, password, err) < 0)
		return -1;
	if (check_org(st, role, org, err) < 0)
		return -1;
	rc = store_account_get(st, login, &old, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return err_input(err, "账号“%s”已存在", login);

	memset(&a, 0, sizeof(a));
	snprintf(a.login, sizeof(a.login), "%s", login);
	snprintf(a.role, sizeof(a.role), "%s", role_code(role));
	a.org = org;
	a.created_at = a.updated_at = now;
	if (!password) {
		make_otp(login, otp);
		a.must_change = 1;
	}
	if (hash_password(password ? password : otp, a.pwhash, err) < 0)
		goto fail_otp;

	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		goto fail_otp;
	rc = store_account_get(st, login, &old, err);
	if (rc > 0)
		err_input(err, "账号“%s”已存在", login);
	if (rc != 0 || store_account_insert(st, &a, &a.id, err) < 0 ||
	    store_account_get_id(st, a.id, &a, err) != 1)
		goto fail;
	user_object(login, object);
	if (trail_record(st, who, now, "user.add", object,
	                 json_pack("{s:s, s:s, s:b}", "role", a.role, "org", a.org_name,
	                           "one_time_password", !password),
	                 err) < 0)
		goto fail;
	if (store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
fail_otp:
	if (otp)
		sodium_memzero(otp, ACCOUNT_OTP_SIZE);
	return -1;
}

int account_passwd(struct store *st, const struct actor *who, const char *login,
                   const char *password, int64_t now, char otp[ACCOUNT_OTP_SIZE], struct err *err)
{
	struct store_account a;
	char hash[STORE_ACCOUNT_HASH_SIZE], object[96];

	if (otp)
		otp[0] = '\0';
	if (ready(err) < 0 || account_login_ok(login, err) < 0)
		return -1;
	if (!password && !otp)
		return err_input(err, "未给出密码");
	if (password && account_password_ok(login, password, err) < 0)
		return -1;
	if (!password)
		make_otp(login, otp);
	if (hash_password(password ? password : otp, hash, err) < 0)
		goto fail_otp;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		goto fail_otp;
	if (must_get(st, login, &a, err) < 0)
		goto fail;
	memcpy(a.pwhash, hash, sizeof(a.pwhash));
	a.must_change = !password;
	a.failures = 0;
	a.locked_until = 0;
	a.updated_at = now;
	/* A reset answers a lost or leaked password: whoever is signed in
	 * with the old one is signed out. */
	user_object(login, object);
	if (store_account_update(st, &a, err) < 0 ||
	    store_session_delete_account(st, a.id, err) < 0 ||
	    trail_record(st, who, now, "user.passwd", object,
	                 json_pack("{s:b}", "one_time_password", !password), err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
fail_otp:
	if (otp)
		sodium_memzero(otp, ACCOUNT_OTP_SIZE);
	return -1;
}

/* Count a failed password check on a (inside a transaction); returns 1
 * when it locked the account. */
static int count_failure(struct store_account *a, int64_t now)
{
	if (++a->failures >= ACCOUNT_LOCK_FAILURES) {
		a->failures = 0;
		a->locked_until = now + ACCOUNT_LOCK_SECONDS;
		return 1;
	}
	return 0;
}

int account_change_password(struct store *st, const struct actor *who, const char *login,
                            const char *old_password, const char *new_password, int64_t now,
                            struct err *err)
{
	struct store_account a;
	char hash[STORE_ACCOUNT_HASH_SIZE], object[96];
	int ok, locked, rc;

	if (ready(err) < 0)
		return -1;
	if (!old_password)
		old_password = "";
	if (account_login_ok(login, err) < 0)
		return -1;
	rc = store_account_get(st, login, &a, err);
	if (rc < 0)
		return -1;
	if (rc == 0 || a.disabled) {
		dummy_verify(old_password);
		return err_input(err, "账号或原密码错误");
	}
	if (a.locked_until > now) {
		dummy_verify(old_password);
		return err_input(err, "登录失败次数过多，账号已锁定，请 %lld 分钟后再试",
		                 (long long)((a.locked_until - now + 59) / 60));
	}
	ok = password_matches(a.pwhash, old_password);
	user_object(login, object);
	if (!ok) {
		/* Guessing through this form counts like guessing at sign-in. */
		if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
			return -1;
		if (must_get(st, login, &a, err) < 0)
			goto fail;
		locked = count_failure(&a, now);
		if (store_account_update(st, &a, err) < 0 ||
		    trail_record(st, who, now, "user.password_change_failed", object,
		                 json_pack("{s:s, s:b}", "reason", "password", "locked", locked),
		                 err) < 0 ||
		    store_commit(st, err) < 0)
			goto fail;
		return err_input(err, "账号或原密码错误");
	}
	if (account_password_ok(login, new_password, err) < 0)
		return -1;
	if (strcmp(old_password, new_password) == 0)
		return err_input(err, "新密码不能与原密码相同");
	if (hash_password(new_password, hash, err) < 0)
		return -1;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	if (must_get(st, login, &a, err) < 0)
		goto fail;
	memcpy(a.pwhash, hash, sizeof(a.pwhash));
	a.must_change = 0;
	a.failures = 0;
	a.locked_until = 0;
	a.updated_at = now;
	if (store_account_update(st, &a, err) < 0 ||
	    store_session_delete_account(st, a.id, err) < 0 ||
	    trail_record(st, who, now, "user.password_change", object, NULL, err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int account_disable(struct store *st, const struct actor *who, const char *login, int disable,
                    int64_t now, struct err *err)
{
	struct store_account a;
	char object[96];
	int was;

	if (account_login_ok(login, err) < 0)
		return -1;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	if (must_get(st, login, &a, err) < 0)
		goto fail;
	was = a.disabled;
	a.disabled = disable != 0;
	a.updated_at = now;
	if (!disable) {
		a.failures = 0;
		a.locked_until = 0;
	}
	user_object(login, object);
	if (store_account_update(st, &a, err) < 0)
		goto fail;
	if (disable && (store_session_delete_account(st, a.id, err) < 0 ||
	                store_api_token_revoke_account(st, a.id, now, err) < 0))
		goto fail;
	if (was != a.disabled &&
	    trail_record(st, who, now, disable ? "user.disable" : "user.enable", object, NULL,
	                 err) < 0)
		goto fail;
	if (store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int account_set_scope(struct store *st, const struct actor *who, const char *login, enum role role,
                      int64_t org, int64_t now, struct err *err)
{
	struct store_account a;
	json_t *before;
	char object[96];

	if (account_login_ok(login, err) < 0 || check_org(st, role, org, err) < 0)
		return -1;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	if (must_get(st, login, &a, err) < 0)
		goto fail;
	before = scope_json(&a);
	snprintf(a.role, sizeof(a.role), "%s", role_code(role));
	a.org = org;
	a.updated_at = now;
	if (store_account_update(st, &a, err) < 0 || store_account_get_id(st, a.id, &a, err) != 1) {
		json_decref(before);
		goto fail;
	}
	user_object(login, object);
	if (trail_record(st, who, now, "user.scope", object,
	                 json_pack("{s:o, s:o}", "before", before, "after", scope_json(&a)),
	                 err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int account_get(struct store *st, const char *login, struct account_info *out, struct err *err)
{
	struct store_account a;
	int rc;

	if (!login)
		return 0;
	rc = store_account_get(st, login, &a, err);
	if (rc == 1)
		info_from(&a, out);
	return rc;
}

struct each_ctx {
	account_fn fn;
	account_token_fn token_fn;
	void *arg;
};

static int each_account(void *arg, const struct store_account *a)
{
	struct each_ctx *c = arg;
	struct account_info info;

	info_from(a, &info);
	return c->fn(c->arg, &info);
}

int account_each(struct store *st, account_fn fn, void *arg, struct err *err)
{
	struct each_ctx c = {.fn = fn, .arg = arg};

	return store_account_each(st, each_account, &c, err);
}

/* --- sign-in and sessions --- */

/* Record a failed sign-in (its own transaction).  A wrong password and a
 * disabled account count towards the lock.  For a login that names no
 * account, until is when its lock in memory ends (0 = not locked). */
static int login_failed(struct store *st, const struct store_account *known, const char *addr,
                        int64_t now, const char *reason, int64_t until, int *locked,
                        struct err *err)
{
	struct store_account a;
	struct actor who;
	char object[96];
	int rc;

	*locked = 0;
	memset(&who, 0, sizeof(who));
	snprintf(who.addr, sizeof(who.addr), "%s", addr ? addr : "");
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	if (known) {
		rc = store_account_get_id(st, known->id, &a, err);
		if (rc < 0)
			goto fail;
		if (rc == 0)
			known = NULL;
	}
	if (known) {
		snprintf(who.login, sizeof(who.login), "%s", a.login);
		snprintf(who.role, sizeof(who.role), "%s", a.role);
		user_object(a.login, object);
		if (strcmp(reason, "password") == 0 || strcmp(reason, "disabled") == 0) {
			*locked = count_failure(&a, now);
			if (store_account_update(st, &a, err) < 0)
				goto fail;
		}
		until = a.locked_until > now ? a.locked_until : 0;
	} else {
		snprintf(who.role, sizeof(who.role), "%s", role_code(ROLE_PUBLIC));
		snprintf(object, sizeof(object), "user:?");
	}
	if (trail_record(
	        st, &who, now, "user.login_failed", object,
	        until ? json_pack("{s:s, s:I}", "reason", reason, "locked_until", (json_int_t)until)
	              : json_pack("{s:s}", "reason", reason),
	        err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

int account_login(struct store *st, struct account_unknown *unknown, const char *login,
                  const char *password, const char *addr, int64_t now, struct principal *p,
                  char token[ACCOUNT_TOKEN_SIZE], char csrf[ACCOUNT_CSRF_SIZE],
                  enum account_login_result *result, int64_t *retry_after, struct err *err)
{
	struct store_account a, again;
	struct store_session s;
	struct actor who;
	struct err ignore;
	char newhash[STORE_ACCOUNT_HASH_SIZE] = "", object[96];
	int found = 0, locked, rc;

	*result = ACCOUNT_LOGIN_BAD;
	*retry_after = 0;
	token[0] = '\0';
	csrf[0] = '\0';
	memset(p, 0, sizeof(*p));
	if (ready(err) < 0)
		return -1;
	if (!password || strlen(password) > PASSWORD_MAX_BYTES)
		password = "";
	if (login && account_login_ok(login, &ignore) == 0) {
		found = store_account_get(st, login, &a, err);
		if (found < 0)
			return -1;
	}
	if (found && a.locked_until > now) {
		dummy_verify(password);
		*result = ACCOUNT_LOGIN_LOCKED;
		*retry_after = a.locked_until - now;
		return login_failed(st, &a, addr, now, "locked", 0, &locked, err);
	}
	if (!found) {
		dummy_verify(password);
		if (unknown)
			*result = account_unknown_fail(unknown, login, now, retry_after);
		return login_failed(st, NULL, addr, now, "unknown",
		                    *result == ACCOUNT_LOGIN_LOCKED ? now + *retry_after : 0,
		                    &locked, err);
	}
	if (!password_matches(a.pwhash, password) || a.disabled)
		goto bad_password;
	if (crypto_pwhash_str_needs_rehash(a.pwhash, crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                                   crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0 &&
	    hash_password(password, newhash, err) < 0)
		return -1;

	memset(&s, 0, sizeof(s));
	make_token("", token, ACCOUNT_TOKEN_SIZE, s.hash);
	make_token("", csrf, ACCOUNT_CSRF_SIZE, NULL);
	snprintf(s.csrf, sizeof(s.csrf), "%s", csrf);
	s.account = a.id;
	s.created_at = s.last_seen = now;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		goto fail_token;
	/* What was checked must still hold: the account may have been
	 * disabled or its password reset while the hash was computed. */
	rc = store_account_get_id(st, a.id, &again, err);
	if (rc < 0)
		goto fail;
	if (rc == 0 || again.disabled || strcmp(again.pwhash, a.pwhash) != 0 ||
	    again.locked_until > now) {
		store_rollback(st);
		sodium_memzero(token, ACCOUNT_TOKEN_SIZE);
		sodium_memzero(csrf, ACCOUNT_CSRF_SIZE);
		return 0;
	}
	a = again;
	if (newhash[0])
		memcpy(a.pwhash, newhash, sizeof(a.pwhash));
	a.failures = 0;
	a.locked_until = 0;
	a.last_login = now;
	principal_from(&a, p);
	principal_actor(p, addr, &who);
	user_object(a.login, object);
	if (store_session_purge(st, now - ACCOUNT_SESSION_IDLE, now - ACCOUNT_SESSION_MAX, err) <
	        0 ||
	    store_account_update(st, &a, err) < 0 || store_session_insert(st, &s, err) < 0 ||
	    trail_record(st, &who, now, "user.login", object, NULL, err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	*result = ACCOUNT_LOGIN_OK;
	return 0;
fail:
	store_rollback(st);
fail_token:
	sodium_memzero(token, ACCOUNT_TOKEN_SIZE);
	sodium_memzero(csrf, ACCOUNT_CSRF_SIZE);
	memset(p, 0, sizeof(*p));
	return -1;

bad_password:
	if (login_failed(st, &a, addr, now, a.disabled ? "disabled" : "password", 0, &locked, err) <
	    0)
		return -1;
	if (locked) {
		*result = ACCOUNT_LOGIN_LOCKED;
		*retry_after = ACCOUNT_LOCK_SECONDS;
	}
	return 0;
}

int account_session(struct store *st, const char *token, int64_t now, struct principal *p,
                    char csrf[ACCOUNT_CSRF_SIZE], int64_t *last_seen, struct err *err)
{
	struct store_session s;
	struct store_account a;
	uint8_t hash[32];
	int rc;

	if (!token_hash(token, hash))
		return 0;
	rc = store_session_get(st, hash, &s, err);
	if (rc <= 0)
		return rc;
	if (now >= s.last_seen + ACCOUNT_SESSION_IDLE || now >= s.created_at + ACCOUNT_SESSION_MAX)
		return 0;
	rc = store_account_get_id(st, s.account, &a, err);
	if (rc <= 0)
		return rc;
	if (a.disabled)
		return 0;
	if (p)
		principal_from(&a, p);
	if (csrf)
		snprintf(csrf, ACCOUNT_CSRF_SIZE, "%s", s.csrf);
	if (last_seen)
		*last_seen = s.last_seen;
	return 1;
}

int account_session_touch(struct store *st, const char *token, int64_t now, struct err *err)
{
	uint8_t hash[32];

	if (!token_hash(token, hash))
		return 0;
	return store_session_touch(st, hash, now, err);
}

int account_logout(struct store *st, const struct actor *who, const char *token, int64_t now,
                   struct err *err)
{
	struct store_session s;
	struct store_account a;
	uint8_t hash[32];
	char object[96] = "user:?";
	int rc;

	if (!token_hash(token, hash))
		return 0;
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = store_session_get(st, hash, &s, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		store_rollback(st);
		return 0;
	}
	rc = store_account_get_id(st, s.account, &a, err);
	if (rc < 0)
		goto fail;
	if (rc > 0)
		user_object(a.login, object);
	if (store_session_delete(st, hash, err) < 0 ||
	    trail_record(st, who, now, "user.logout", object, NULL, err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

/* --- API tokens --- */

int account_token_new(struct store *st, const struct actor *who, const char *login,
                      const char *label, int64_t now, char token[ACCOUNT_TOKEN_SIZE], int64_t *id,
                      struct err *err)
{
	struct store_api_token t;
	struct store_account a;
	char object[64];
	size_t i;

	token[0] = '\0';
	*id = 0;
	if (ready(err) < 0 || account_login_ok(login, err) < 0)
		return -1;
	if (!label)
		label = "";
	if (strlen(label) >= ACCOUNT_LABEL_SIZE)
		return err_input(err, "令牌说明过长（最多 %d 字节）", ACCOUNT_LABEL_SIZE - 1);
	for (i = 0; label[i]; i++)
		if ((unsigned char)label[i] < 0x20 || label[i] == 0x7f)
			return err_input(err, "令牌说明不能包含控制字符");
	memset(&t, 0, sizeof(t));
	snprintf(t.label, sizeof(t.label), "%s", label);
	t.created_at = now;
	make_token(API_TOKEN_PREFIX, token, ACCOUNT_TOKEN_SIZE, t.hash);
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		goto fail_token;
	if (must_get(st, login, &a, err) < 0)
		goto fail;
	if (a.disabled) {
		err_input(err, "账号“%s”已停用，不能新建令牌", login);
		goto fail;
	}
	t.account = a.id;
	if (store_api_token_insert(st, &t, id, err) < 0)
		goto fail;
	snprintf(object, sizeof(object), "token:%lld", (long long)*id);
	if (trail_record(st, who, now, "token.new", object,
	                 json_pack("{s:s, s:s}", "login", a.login, "label", t.label), err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
fail_token:
	sodium_memzero(token, ACCOUNT_TOKEN_SIZE);
	*id = 0;
	return -1;
}

int account_token_auth(struct store *st, const char *token, int64_t now, struct principal *p,
                       struct err *err)
{
	struct store_api_token t;
	struct store_account a;
	uint8_t hash[32];
	int rc;

	(void)now;
	if (!token || strncmp(token, API_TOKEN_PREFIX, strlen(API_TOKEN_PREFIX)) != 0 ||
	    !token_hash(token, hash))
		return 0;
	rc = store_api_token_get(st, hash, &t, err);
	if (rc <= 0)
		return rc;
	if (t.revoked_at)
		return 0;
	rc = store_account_get_id(st, t.account, &a, err);
	if (rc <= 0)
		return rc;
	if (a.disabled)
		return 0;
	if (p)
		principal_from(&a, p);
	return 1;
}

int account_token_revoke(struct store *st, const struct actor *who, int64_t id, int64_t now,
                         struct err *err)
{
	struct store_api_token t;
	char object[64];
	int rc;

	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = store_api_token_get_id(st, id, &t, err);
	if (rc < 0)
		goto fail;
	if (rc == 0) {
		err_input(err, "没有编号为 %lld 的接口令牌", (long long)id);
		goto fail;
	}
	if (t.revoked_at) {
		err_input(err, "接口令牌 %lld 已吊销", (long long)id);
		goto fail;
	}
	snprintf(object, sizeof(object), "token:%lld", (long long)id);
	if (store_api_token_revoke(st, id, now, err) < 0 ||
	    trail_record(st, who, now, "token.revoke", object,
	                 json_pack("{s:s, s:s}", "login", t.login, "label", t.label), err) < 0 ||
	    store_commit(st, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(st);
	return -1;
}

static int each_token(void *arg, const struct store_api_token *t)
{
	struct each_ctx *c = arg;
	struct account_token_info info;

	memset(&info, 0, sizeof(info));
	info.id = t->id;
	snprintf(info.login, sizeof(info.login), "%s", t->login);
	snprintf(info.label, sizeof(info.label), "%s", t->label);
	info.created_at = t->created_at;
	info.revoked_at = t->revoked_at;
	return c->token_fn(c->arg, &info);
}

int account_token_each(struct store *st, const char *login, account_token_fn fn, void *arg,
                       struct err *err)
{
	struct each_ctx c = {.token_fn = fn, .arg = arg};
	struct store_account a;
	int64_t account = 0;

	if (login) {
		if (must_get(st, login, &a, err) < 0)
			return -1;
		account = a.id;
	}
	return store_api_token_each(st, account, each_token, &c, err);
}
