/*
 * account.h - accounts, roles, sign-in sessions and API tokens.
 *
 * Roles (the public needs no account):
 *   city_admin        市住建局管理员: everything, including accounts
 *   city_officer      市住建局工作人员: everything except accounts
 *   district_officer  区住建局工作人员: one district unit's companies,
 *                     projects and records
 *   company_user      企业用户: one company (施工 or 监理)
 *   training_user     培训机构用户: one training institution
 *   auditor           审计员: reads everything (logs and trail included)
 *                     except full personal data; changes nothing
 *
 * Passwords are hashed with Argon2id (crypto_pwhash_str); no password and no
 * session or API token is ever stored or logged in clear: sessions and
 * tokens are random, handed out once, and stored as their SHA-256.
 * Failed sign-ins lock the account for a while (per-account throttling; the
 * server adds a per-client limit), and a login that names no account locks
 * the same way (struct account_unknown), so the lock does not tell which
 * logins exist.  Functions that change something run
 * their own write transaction and record it in the audit trail (trail.h)
 * as who; they follow err.h.
 */
#ifndef OPCERT_ACCOUNT_H
#define OPCERT_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "trail.h"

enum role {
	ROLE_PUBLIC = 0, /* no account */
	ROLE_CITY_ADMIN,
	ROLE_CITY_OFFICER,
	ROLE_DISTRICT_OFFICER,
	ROLE_COMPANY_USER,
	ROLE_TRAINING_USER,
	ROLE_AUDITOR,
	ROLE_COUNT
};

const char *role_code(enum role r);  /* "city_admin"; "public" */
const char *role_label(enum role r); /* "市住建局管理员"; "公众" */
/* -1 when s names no role (ROLE_PUBLIC is not accepted). */
int role_parse(const char *s);
/* The kind of organisation a role's scope names: "city", "district",
 * "company", "institution", or NULL for the auditor. */
const char *role_scope_kind(enum role r);

#define ACCOUNT_LOGIN_SIZE 64  /* 3..63 of [a-z0-9._-] */
#define ACCOUNT_TOKEN_SIZE 64  /* session / API token text + NUL */
#define ACCOUNT_CSRF_SIZE  48  /* CSRF token text + NUL */
#define ACCOUNT_OTP_SIZE   32  /* generated one-time password + NUL */
#define ACCOUNT_ORG_SIZE   256 /* organisation name */

#define ACCOUNT_SESSION_IDLE  (30 * 60)      /* seconds without use */
#define ACCOUNT_SESSION_MAX   (12 * 60 * 60) /* seconds from sign-in */
#define ACCOUNT_LOCK_FAILURES 5              /* failures in a row that lock */
#define ACCOUNT_LOCK_SECONDS  (15 * 60)

/* Who is signed in (or who an API token belongs to). */
struct principal {
	int64_t account;
	char login[ACCOUNT_LOGIN_SIZE];
	enum role role;
	int64_t org;      /* the scope's organisation id (org.h); 0 for the auditor */
	int64_t district; /* the district unit of that organisation; 0 when none */
	char org_name[ACCOUNT_ORG_SIZE];
	int must_change; /* signed in with a one-time password: change it first */
};

/* The principal as the audit trail's actor. */
void principal_actor(const struct principal *p, const char *addr, struct actor *out);

/* Scope rules (routes and handlers ask these; 1 yes, 0 no).  An object is
 * described by the district unit, company and institution it belongs to
 * (0 = none). */
int principal_sees(const struct principal *p, int64_t district, int64_t company,
                   int64_t institution);
/* May p see full ID numbers of workers in that district / of that company? */
int principal_sees_full_id(const struct principal *p, int64_t district, int64_t company);
/* May p change things at all (every role but the auditor)? */
int principal_writes(const struct principal *p);

/*
 * Write-scope rules: what a change may name beyond the object its path
 * names (principal_sees decides that one first).  The routes hold a body
 * to them and answer 403 out_of_scope when one says no; the tests ask the
 * same functions.  1 yes, 0 no; no for a role the rule gives no such right
 * (the auditor, a training user with companies and projects).
 */
/* Is p held to its own district (p->district) in what it adds or moves: a
 * district officer?  A company user is not: it builds anywhere. */
int principal_held_to_district(const struct principal *p);
/* May p put a company or project in the district unit `district` (0:
 * none found, no)?  The city roles anywhere, a district officer only in
 * its own, a company user (its projects) anywhere. */
int principal_writes_district(const struct principal *p, int64_t district);
/* Is p held to the projects its own company (p->org) builds: a company
 * user? */
int principal_held_to_builder(const struct principal *p);
/* May p add a project built by the company `builder` (0: none found,
 * no), change one, or register or remove its workers?  The city roles and a
 * district officer (in the district principal_sees admits) any; a company
 * user only as the builder: a supervising firm reads. */
int principal_writes_project(const struct principal *p, int64_t builder);
/* May p change a company's name or district?  The city roles and a
 * district officer; a company user changes only its own contact person
 * and phone number. */
int principal_renames_company(const struct principal *p);
/* May p give a project another builder, or close it?  The city roles and a
 * district officer; not a company user: the bureau decides. */
int principal_reassigns_project(const struct principal *p);

/* An account as listed (no secrets). */
struct account_info {
	int64_t id;
	char login[ACCOUNT_LOGIN_SIZE];
	enum role role;
	int64_t org;
	int64_t district;
	char org_name[ACCOUNT_ORG_SIZE];
	int disabled;
	int must_change;
	int64_t created_at;
	int64_t last_login; /* 0 = never */
};

/*
 * Resolve a role's scope from what the command line or a form names:
 * a district unit's name, a company's USCC or an institution's name
 * (ignored for city roles and the auditor).  0 and *org, -1 and an input
 * error naming what was not found.
 */
int account_scope(struct store *st, enum role role, const char *scope, int64_t *org,
                  struct err *err);

/*
 * Create an account.  password NULL: a one-time password is generated into
 * otp (which must then be changed at first sign-in); else it must meet the
 * password rule and otp is left empty.
 */
int account_add(struct store *st, const struct actor *who, const char *login, enum role role,
                int64_t org, const char *password, int64_t now, char otp[ACCOUNT_OTP_SIZE],
                struct err *err);
/* Set a password (an administrator's reset: password NULL generates a
 * one-time one into otp, to be changed at next sign-in). */
int account_passwd(struct store *st, const struct actor *who, const char *login,
                   const char *password, int64_t now, char otp[ACCOUNT_OTP_SIZE], struct err *err);
/* The holder changes their own password (first sign-in included).  Every
 * session of the account ends with it, so a session someone else took over
 * does not outlive the change; the holder signs in again with the new one. */
int account_change_password(struct store *st, const struct actor *who, const char *login,
                            const char *old_password, const char *new_password, int64_t now,
                            struct err *err);
/* Disable (ends its sessions and tokens) or enable again. */
int account_disable(struct store *st, const struct actor *who, const char *login, int disable,
                    int64_t now, struct err *err);
/* Change role and scope. */
int account_set_scope(struct store *st, const struct actor *who, const char *login, enum role role,
                      int64_t org, int64_t now, struct err *err);
/* 1 and *out, 0 no such login, -1 error. */
int account_get(struct store *st, const char *login, struct account_info *out, struct err *err);
typedef int (*account_fn)(void *arg, const struct account_info *a);
int account_each(struct store *st, account_fn fn, void *arg, struct err *err);

/* The password rule, as an input error naming what is missing. */
int account_password_ok(const char *login, const char *password, struct err *err);

enum account_login_result {
	ACCOUNT_LOGIN_OK = 0,
	ACCOUNT_LOGIN_BAD,    /* unknown login, wrong password or disabled: one answer */
	ACCOUNT_LOGIN_LOCKED, /* too many failures: *retry_after seconds */
};

/*
 * The failures of logins that name no account.  An account's failures are
 * counted in its row; a login without one would never lock, and so the
 * lock would tell which logins exist.  This table counts them instead,
 * exactly as an account's are counted (ACCOUNT_LOCK_FAILURES in a row lock
 * it for ACCOUNT_LOCK_SECONDS).  It lives in memory only: nothing about an
 * unknown login is written anywhere, and a restart forgets it (an account's
 * own lock is in the database and survives).  Its size is fixed when it is
 * made; when full, the login whose last failure is the oldest is
 * forgotten.  Logins are kept as a keyed hash under a random key of the
 * table's (people type passwords into the login field), compared byte for
 * byte as account look-ups compare logins.  Thread-safe.
 */
struct account_unknown;

#define ACCOUNT_UNKNOWN_CAPACITY 8192 /* the server's table: about 320 KB */

/* A table of at most capacity (at least 1) logins; NULL when out of
 * memory or when libsodium cannot start. */
struct account_unknown *account_unknown_new(size_t capacity);
void account_unknown_free(struct account_unknown *u);
/*
 * Count a failed sign-in under login (NULL as "") at now, as an account's
 * is counted: ACCOUNT_LOGIN_LOCKED with *retry_after the seconds left when
 * the login is locked (a failure while locked is not counted) or this
 * failure locks it, else ACCOUNT_LOGIN_BAD.
 */
enum account_login_result account_unknown_fail(struct account_unknown *u, const char *login,
                                               int64_t now, int64_t *retry_after);
/* Logins held now (for tests). */
size_t account_unknown_count(struct account_unknown *u);

/*
 * Sign in: on success a new session, whose token (for the cookie) and CSRF
 * token are written out, and *p filled.  Failures are counted (a disabled
 * account's too) and recorded in the trail; those of a login that names no
 * account in unknown (NULL: not counted, such a login never locks).  -1
 * only on a system error.
 */
int account_login(struct store *st, struct account_unknown *unknown, const char *login,
                  const char *password, const char *addr, int64_t now, struct principal *p,
                  char token[ACCOUNT_TOKEN_SIZE], char csrf[ACCOUNT_CSRF_SIZE],
                  enum account_login_result *result, int64_t *retry_after, struct err *err);
/* A session by its token (read only): 1 valid and *p, csrf and *last_seen
 * filled; 0 unknown, expired or its account disabled; -1 error. */
int account_session(struct store *st, const char *token, int64_t now, struct principal *p,
                    char csrf[ACCOUNT_CSRF_SIZE], int64_t *last_seen, struct err *err);
/* Record use of a session (keeps it from idling out). */
int account_session_touch(struct store *st, const char *token, int64_t now, struct err *err);
/* Sign out: the session ends. */
int account_logout(struct store *st, const struct actor *who, const char *token, int64_t now,
                   struct err *err);

/* API tokens for machine clients: shown once, stored hashed. */
int account_token_new(struct store *st, const struct actor *who, const char *login,
                      const char *label, int64_t now, char token[ACCOUNT_TOKEN_SIZE], int64_t *id,
                      struct err *err);
/* 1 valid and *p filled, 0 unknown / revoked / account disabled, -1 error. */
int account_token_auth(struct store *st, const char *token, int64_t now, struct principal *p,
                       struct err *err);
int account_token_revoke(struct store *st, const struct actor *who, int64_t id, int64_t now,
                         struct err *err);

#define ACCOUNT_LABEL_SIZE 128 /* an API token's label */

/* An API token as listed (never its text). */
struct account_token_info {
	int64_t id;
	char login[ACCOUNT_LOGIN_SIZE];
	char label[ACCOUNT_LABEL_SIZE];
	int64_t created_at;
	int64_t revoked_at; /* 0 = in force */
};
typedef int (*account_token_fn)(void *arg, const struct account_token_info *t);
/* The tokens of login (NULL: of every account), oldest first; an unknown
 * login is an input error.  fn returning non-zero stops and is returned. */
int account_token_each(struct store *st, const char *login, account_token_fn fn, void *arg,
                       struct err *err);

/* A login's form (3..63 of [a-z0-9._-], starting with a letter or digit), as
 * an input error saying what is wrong. */
int account_login_ok(const char *login, struct err *err);

#endif
