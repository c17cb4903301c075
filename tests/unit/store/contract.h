/*
 * contract.h - what the files of the storage contract test share
 * (tests/unit/store/): where each case's database is, opening it, checking
 * results and errors, and the rows the cases write.
 *
 * The contract test uses the public store_* interface only (store.h and the
 * area headers store_org.h, store_account.h, store_trail.h,
 * store_worker.h, store_probe.h), never SQL or a backend's internals, so the same cases
 * can judge any backend.  Each case gets a fresh database of its own: its
 * location is the base location given to the runner with the case's name
 * put in place of "{case}", or appended when the base has no "{case}"
 * (test_contract.c says where the base comes from).
 */
#ifndef OPCERT_CONTRACT_H
#define OPCERT_CONTRACT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "cert.h"
#include "date.h"
#include "err.h"
#include "org.h"
#include "store.h"
#include "store_account.h"
#include "store_org.h"
#include "store_trail.h"
#include "store_worker.h"
#include "worker.h"

#define CONTRACT_LOCATION_SIZE 512
#define NOW                    1780000000 /* the time the cases write rows at */
#define D(y, m, d)             date_from_ymd(y, m, d)
#define COUNT(a)               (sizeof(a) / sizeof((a)[0]))

/* One case's database. */
struct contract {
	char name[64];                         /* the case's name */
	char location[CONTRACT_LOCATION_SIZE]; /* its database */
	struct store *st;                      /* open, created, test key attached, found empty */
};

/* The base location (NULL: a private temporary directory, SQLite files). */
int contract_init(const char *base);
/* Remove the private directory, when there is one. */
void contract_done(void);

/* cmocka set-up and tear-down: *state comes in as the case's name (the
 * initial state of CONTRACT_CASE) and leaves as its struct contract. */
int contract_setup(void **state);
int contract_teardown(void **state);

#define CONTRACT_CASE(fn)                                                                          \
	cmocka_unit_test_prestate_setup_teardown(fn, contract_setup, contract_teardown, (void *)#fn)

/* The location of another database of the case (name: a suffix of the case's). */
void contract_location(const struct contract *c, const char *suffix, char *out, size_t size);

/* Another connection to the case's database, with (open_keyed) or
 * without (open_bare) the test data key attached. */
struct store *contract_open_keyed(const struct contract *c, int flags);
struct store *contract_open_bare(const struct contract *c, int flags);
/* The same key attached to st, and a key that is not it. */
void contract_attach_key(struct store *st);
struct pii_key *contract_other_key(void);

/* Clear err and return it: store_x(..., clr(&err)). */
static inline struct err *clr(struct err *err)
{
	memset(err, 0, sizeof(*err));
	return err;
}

/* The call returns want (else the test fails with err's message). */
#define CHECK(want, call) contract_check((want), (long)(call), &err, #call, __FILE__, __LINE__)
/* The call returns -1 with an error of that kind and a message. */
#define REFUSED(kind, call) contract_refused((kind), (long)(call), &err, #call, __FILE__, __LINE__)

void contract_check(long want, long got, const struct err *err, const char *what, const char *file,
                    int line);
void contract_refused(enum err_kind kind, long got, const struct err *err, const char *what,
                      const char *file, int line);

/* The cases of each area, one cmocka group each: the number that failed. */
int contract_run_store(void);    /* opening, transactions, read-only, the data key */
int contract_run_register(void); /* store.h */
int contract_run_org(void);      /* store_org.h */
int contract_run_account(void);  /* store_account.h */
int contract_run_trail(void);    /* store_trail.h */
int contract_run_worker(void);   /* store_worker.h */
int contract_run_probe(void);    /* store_probe.h */

/* ---- rows ---------------------------------------------------------------- */

/* A construction certificate (every field given) and an emergency-management
 * one (its number is personal data). */
struct cert contract_construction(const char *number);
struct cert contract_emergency(void);
void contract_assert_cert(const struct cert *got, const struct cert *want);

/* The seeded district unit of that name; fails when missing. */
int64_t contract_district(struct store *st, const char *name);
/* A company (builder or supervisor) with a credit code made of first17. */
int64_t contract_company(struct store *st, enum org_kind kind, const char *first17,
                         const char *name, int64_t district);
int64_t contract_project(struct store *st, const char *name, int64_t district, int64_t builder,
                         int64_t supervisor, enum project_state state);
/* An account of that role with its organisation (0: none). */
int64_t contract_account(struct store *st, const char *login, const char *role, int64_t org);

/* A 32-byte value filled with b (hashes, token hashes). */
void contract_bytes(uint8_t out[32], uint8_t b);

/* Counting walks: arg is a long counter. */
int contract_count_cert(void *arg, const struct cert *c);

#endif
