/*
 * contract.c - the shared part of the storage contract test (contract.h):
 * each case's fresh database, connections with and without the data key,
 * result checks that print the store's message, and the rows the cases
 * write.  Only the store_* interface touches the database; the files of
 * the private directory are removed by name when no location was given.
 */
#include "contract.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "pii.h"
#include "uscc.h"
#include "../fixture.h"
#include "../testdata.h"
#include "../testkey.h"

static char base[CONTRACT_LOCATION_SIZE];
static struct fixture_dir private_dir; /* path "" when the base was given */

int contract_init(const char *given)
{
	if (given && *given) {
		if (strlen(given) >= sizeof(base) - 64) {
			fprintf(stderr, "database location too long: %s\n", given);
			return -1;
		}
		snprintf(base, sizeof(base), "%s", given);
		memset(&private_dir, 0, sizeof(private_dir));
		return 0;
	}
	if (fixture_dir_make(&private_dir, "contract") != 0)
		return -1;
	snprintf(base, sizeof(base), "%s/", private_dir.path);
	return 0;
}

void contract_done(void)
{
	fixture_dir_remove(&private_dir);
}

static void location_of(const char *name, char *out, size_t size)
{
	const char *mark = strstr(base, "{case}");

	if (mark)
		snprintf(out, size, "%.*s%s%s", (int)(mark - base), base, name, mark + 6);
	else
		snprintf(out, size, "%s%s", base, name);
}

void contract_location(const struct contract *c, const char *suffix, char *out, size_t size)
{
	char name[128];

	snprintf(name, sizeof(name), "%s%s", c->name, suffix);
	location_of(name, out, size);
}

static int count_account(void *arg, const struct store_account *a)
{
	(void)a;
	(*(long *)arg)++;
	return 0;
}

/* A fresh database holds no certificate, log, checkpoint, trail or account. */
static int is_fresh(struct store *st, struct err *err)
{
	uint8_t frontier[64], hash[TRAIL_HASH_LEN];
	int64_t size, seq;
	size_t len;
	char note[64];
	long certs = -1, accounts = 0;

	if (store_cert_count(st, &certs, err) < 0 ||
	    store_account_each(st, count_account, &accounts, err) < 0)
		return -1;
	return certs == 0 && accounts == 0 &&
	       store_log_state_get(st, &size, frontier, sizeof(frontier), &len, err) == 0 &&
	       store_checkpoint_latest(st, &size, note, sizeof(note), err) == 0 &&
	       store_trail_head(st, &seq, hash, err) == 0;
}

int contract_setup(void **state)
{
	struct contract *c = calloc(1, sizeof(*c));
	struct err err;

	if (!c)
		return -1;
	snprintf(c->name, sizeof(c->name), "%s", (const char *)*state);
	location_of(c->name, c->location, sizeof(c->location));
	memset(&err, 0, sizeof(err));
	if (store_open(c->location, STORE_CREATE, &c->st, &err) < 0 ||
	    testkey_attach(c->st, &err) < 0) {
		print_error("%s: cannot open %s: %s\n", c->name, c->location, err.msg);
		goto fail;
	}
	if (is_fresh(c->st, &err) != 1) {
		print_error("%s: %s is not a fresh database%s%s: give the contract test an empty "
		            "place\n",
		            c->name, c->location, err.msg[0] ? ": " : "", err.msg);
		goto fail;
	}
	*state = c;
	return 0;
fail:
	store_close(c->st);
	free(c);
	return -1;
}

int contract_teardown(void **state)
{
	struct contract *c = *state;

	store_close(c->st);
	free(c);
	fixture_dir_empty(&private_dir); /* the cases run one after another */
	return 0;
}

struct store *contract_open_bare(const struct contract *c, int flags)
{
	struct store *st = NULL;
	struct err err;

	memset(&err, 0, sizeof(err));
	if (store_open(c->location, flags, &st, &err) < 0)
		fail_msg("store_open(%s): %s", c->location, err.msg);
	assert_non_null(st);
	return st;
}

void contract_attach_key(struct store *st)
{
	struct err err;

	memset(&err, 0, sizeof(err));
	if (testkey_attach(st, &err) < 0)
		fail_msg("attaching the test data key: %s", err.msg);
}

struct store *contract_open_keyed(const struct contract *c, int flags)
{
	struct store *st = contract_open_bare(c, flags);

	contract_attach_key(st);
	return st;
}

struct pii_key *contract_other_key(void)
{
	uint8_t bytes[PII_KEY_LEN];
	struct pii_key *k;
	struct err err;

	for (size_t i = 0; i < sizeof(bytes); i++)
		bytes[i] = (uint8_t)(0x3c + 7 * i);
	memset(&err, 0, sizeof(err));
	k = pii_key_new(bytes, &err);
	if (!k)
		fail_msg("pii_key_new: %s", err.msg);
	return k;
}

void contract_check(long want, long got, const struct err *err, const char *what, const char *file,
                    int line)
{
	if (got == want)
		return;
	print_error("%s returned %ld, expected %ld (error %d: %s)\n", what, got, want,
	            (int)err->kind, err->msg);
	_fail(file, line);
}

void contract_refused(enum err_kind kind, long got, const struct err *err, const char *what,
                      const char *file, int line)
{
	if (got == -1 && err->kind == kind && err->msg[0])
		return;
	print_error("%s returned %ld with error kind %d (\"%s\"), expected -1 with kind %d\n", what,
	            got, (int)err->kind, err->msg, (int)kind);
	_fail(file, line);
}

/* ---- rows ---------------------------------------------------------------- */

struct cert contract_construction(const char *number)
{
	struct cert c = test_cert(number, SYS_CONSTRUCTION, "张三", GENDER_MALE,
	                          "52010219850312001X", "01", "贵阳市住房和城乡建设局",
	                          D(2018, 8, 9), D(2020, 8, 8), D(2019, 8, 9), CERT_SUSPENDED);

	snprintf(c.training_institution, sizeof(c.training_institution), "贵州省建设职业培训中心");
	c.ledger_index = -1;
	return c;
}

struct cert contract_emergency(void)
{
	struct cert c = test_cert("T520102198503120028", SYS_EMERGENCY, "阿依古丽·买买提",
	                          GENDER_FEMALE, "520102198503120028", "2.1", "贵阳市应急管理局",
	                          D(2017, 3, 1), D(2023, 2, 28), DATE_NONE, CERT_REVOKED);

	c.ledger_index = 41;
	return c;
}

void contract_assert_cert(const struct cert *got, const struct cert *want)
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
	assert_int_equal(got->ledger_index, want->ledger_index);
}

int64_t contract_district(struct store *st, const char *name)
{
	struct org o;
	struct err err;

	CHECK(1, store_org_by_name(st, ORG_DISTRICT, name, &o, clr(&err)));
	return o.id;
}

int64_t contract_company(struct store *st, enum org_kind kind, const char *first17,
                         const char *name, int64_t district)
{
	struct org o;
	struct err err;

	memset(&o, 0, sizeof(o));
	o.kind = kind;
	snprintf(o.name, sizeof(o.name), "%s", name);
	test_uscc(first17, o.uscc);
	o.district = district;
	snprintf(o.contact, sizeof(o.contact), "王经理");
	snprintf(o.phone, sizeof(o.phone), "0851-86800001");
	o.created_at = o.updated_at = NOW;
	CHECK(0, store_org_insert(st, &o, clr(&err)));
	assert_true(o.id > 0);
	return o.id;
}

int64_t contract_project(struct store *st, const char *name, int64_t district, int64_t builder,
                         int64_t supervisor, enum project_state state)
{
	struct project p;
	struct err err;

	memset(&p, 0, sizeof(p));
	snprintf(p.name, sizeof(p.name), "%s", name);
	p.district = district;
	snprintf(p.address, sizeof(p.address), "贵阳市云岩区北京路1号");
	p.builder = builder;
	p.supervisor = supervisor;
	p.start_on = D(2025, 3, 1);
	p.end_on = DATE_NONE;
	p.state = state;
	p.created_at = p.updated_at = NOW;
	CHECK(0, store_project_insert(st, &p, clr(&err)));
	assert_true(p.id > 0);
	return p.id;
}

int64_t contract_account(struct store *st, const char *login, const char *role, int64_t org)
{
	struct store_account a;
	struct err err;
	int64_t id = 0;

	memset(&a, 0, sizeof(a));
	snprintf(a.login, sizeof(a.login), "%s", login);
	snprintf(a.role, sizeof(a.role), "%s", role);
	a.org = org;
	snprintf(a.pwhash, sizeof(a.pwhash), "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA");
	a.created_at = a.updated_at = NOW;
	CHECK(0, store_account_insert(st, &a, &id, clr(&err)));
	assert_true(id > 0);
	return id;
}

void contract_bytes(uint8_t out[32], uint8_t b)
{
	memset(out, b, 32);
}

int contract_count_cert(void *arg, const struct cert *c)
{
	(void)c;
	(*(long *)arg)++;
	return 0;
}
