/*
 * test_probe.c - the probe limit (probe.h) and its store area
 * (store_probe.h) over a real SQLite store with the test data key:
 * subjects (IPv6 by /64), the area's round trips (a miss again keeps one
 * row at the later time, refusals, pruning, clearing, the summary), the
 * window's edges to the second, the union rule (three wrong ID numbers
 * answered, then a right and a wrong one refused alike, a known wrong one
 * still answered, other certificates and subjects untouched, four new ones
 * in one request refused at once), the roster rule, emergency-management
 * numbers counted by their mask, how long a refusal says to wait, the
 * audit trail (every refusal of an account, the first of an address) and
 * clearing by a certificate or whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "pii.h"
#include "probe.h"
#include "store.h"
#include "store_probe.h"
#include "store_trail.h"
#include "trail.h"
#include "verify.h"
#include "fixture.h"

#define NOW   ((int64_t)1750000000)
#define TODAY date_from_ymd(2025, 6, 30)

#define NA   "黔A012018000001"
#define NB   "黔A022018000002"
#define ID_A "52010219850312001X"
#define W1   "520102198601120014" /* other ID numbers, any will do */
#define W2   "520102198702120017"
#define W3   "520102198803120012"
#define W4   "520102198904120015"
#define NT   "T520111197806150066"
#define NT1  "T520111196001190066" /* valid, with the mask of NT */
#define NT2  "T520111196001270066"
#define NT3  "T520111196002070066"
#define NT4  "T520111196002150066"

#define ACC  "account:p.builder"
#define ACC2 "account:p.other"

struct fixture {
	struct store *st;
	struct actor who;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || fixture_store(":memory:", &f->st) != 0)
		return -1;
	snprintf(f->who.login, sizeof(f->who.login), "p.builder");
	snprintf(f->who.role, sizeof(f->who.role), "company_user");
	snprintf(f->who.addr, sizeof(f->who.addr), "192.0.2.7");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->st);
	free(f);
	return 0;
}

/* A verified claim as the rule sees it: the number, whether the register
 * holds it, and the register's ID number. */
static void result(struct vresult *r, const char *number, int found, const char *reg_id)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->number, sizeof(r->number), "%s", number);
	r->found = found;
	if (found)
		snprintf(r->cert.id_number, sizeof(r->cert.id_number), "%s", reg_id);
}

/* One request presenting id for certificate NA (held, with ID_A), through
 * probe_apply at time now: 1 refused, 0 admitted. */
static int try_id(struct fixture *f, const char *subject, const char *number, const char *id,
                  int64_t now, struct probe_refusal *out)
{
	struct probe_set s;
	struct vresult r;
	struct err err;
	int rc;

	memset(&err, 0, sizeof(err));
	result(&r, number, 1, ID_A);
	probe_set_init(&s);
	assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &r, id, TODAY, 1, 0, &err), 0);
	assert_int_equal(store_begin(f->st, STORE_TXN_NORMAL, &err), 0);
	rc = probe_apply(f->st, &f->who, subject, &s, now, out, &err);
	assert_int_not_equal(rc, -1);
	assert_int_equal(store_commit(f->st, &err), 0);
	probe_set_release(&s);
	return rc;
}

static int count_action(void *arg, const struct store_trail_entry *e)
{
	long *n = arg;

	if (strcmp(e->action, "probe.refused") == 0)
		(*n)++;
	return 0;
}

static long refusals_in_trail(struct fixture *f)
{
	struct trail_filter tf = {NULL, INT64_MIN};
	struct err err;
	long n = 0;

	assert_int_equal(trail_each(f->st, &tf, count_action, &n, &err), 0);
	return n;
}

/* ---- subjects ---- */

static void test_subjects(void **state)
{
	char s[PROBE_SUBJECT_SIZE];
	struct err err;

	(void)state;
	probe_subject_account("li.ming", s);
	assert_string_equal(s, "account:li.ming");
	probe_subject_address("192.0.2.7", s);
	assert_string_equal(s, "address:192.0.2.7");
	probe_subject_address("::ffff:192.0.2.7", s);
	assert_string_equal(s, "address:192.0.2.7");
	probe_subject_address("2001:db8:1:2:3:4:5:6", s);
	assert_string_equal(s, "address:2001:db8:1:2::/64");
	probe_subject_address("2001:db8:1:2:ffff::1", s);
	assert_string_equal(s, "address:2001:db8:1:2::/64");
	probe_subject_address("2001:db8:1:2::/64", s); /* as the list shows it */
	assert_string_equal(s, "address:2001:db8:1:2::/64");
	probe_subject_address("", s);
	assert_string_equal(s, "address:");
	assert_int_equal(probe_subject_parse("address:2001:db8:1:2:9::9", s, &err), 0);
	assert_string_equal(s, "address:2001:db8:1:2::/64");
	assert_int_equal(probe_subject_parse("account:li.ming", s, &err), 0);
	assert_string_equal(s, "account:li.ming");
	assert_int_equal(probe_subject_parse("li.ming", s, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(probe_subject_parse("account:", s, &err), -1);
}

/* ---- the store area ---- */

static const uint8_t K1[16] = {1}, K2[16] = {2}, G1[16] = {11}, G2[16] = {12}, G3[16] = {13};

struct summaries {
	struct store_probe_summary v[4];
	size_t n;
};

static int keep_summary(void *arg, const struct store_probe_summary *s)
{
	struct summaries *x = arg;

	if (x->n < 4)
		x->v[x->n++] = *s;
	return 0;
}

struct misses {
	struct store_probe_miss v[8];
	size_t n;
};

static int keep_miss(void *arg, const struct store_probe_miss *m)
{
	struct misses *x = arg;

	if (x->n < 8)
		x->v[x->n++] = *m;
	return 0;
}

/* The misses of subject (of cert only, when not NULL) at or after since. */
static size_t misses(struct fixture *f, const char *subject, const uint8_t *cert, int64_t since,
                     struct misses *out)
{
	struct err err;

	memset(out, 0, sizeof(*out));
	assert_int_equal(store_probe_misses(f->st, subject, cert, since, keep_miss, out, &err), 0);
	return out->n;
}

static void test_store_round_trip(void **state)
{
	struct fixture *f = *state;
	struct summaries sum;
	struct misses m;
	struct err err;
	long k;

	assert_int_equal(store_probe_any(f->st, ACC, 0, &err), 0);
	assert_int_equal(store_probe_add(f->st, ACC, K1, G1, NOW, &err), 0);
	assert_int_equal(store_probe_add(f->st, ACC, K1, G2, NOW + 5, &err), 0);
	assert_int_equal(store_probe_add(f->st, ACC, K1, G1, NOW + 9, &err), 0); /* again: moves */
	assert_int_equal(store_probe_add(f->st, ACC, K1, NULL, NOW + 7, &err), 0);
	assert_int_equal(store_probe_add(f->st, ACC, K1, NULL, NOW + 8, &err), 0);
	assert_int_equal(store_probe_add(f->st, ACC, K2, G3, NOW + 1, &err), 0);
	assert_int_equal(store_probe_add(f->st, ACC2, K1, G1, NOW + 2, &err), 0);
	assert_int_equal(store_probe_any(f->st, ACC, NOW, &err), 1);
	assert_int_equal(store_probe_any(f->st, ACC, NOW + 10, &err), 0);
	assert_int_equal(store_probe_any(f->st, "account:nobody", 0, &err), 0);

	assert_int_equal(misses(f, ACC, K1, 0, &m), 2); /* refusals are not misses; G1 once */
	assert_memory_equal(m.v[0].cert, K1, 16);
	assert_memory_equal(m.v[0].guess, G2, 16);
	assert_int_equal(m.v[0].at, NOW + 5);
	assert_memory_equal(m.v[1].guess, G1, 16);
	assert_int_equal(m.v[1].at, NOW + 9);
	assert_int_equal(misses(f, ACC, K1, NOW + 6, &m), 1);
	/* Every certificate of the subject, by certificate, oldest first. */
	assert_int_equal(misses(f, ACC, NULL, 0, &m), 3);
	assert_memory_equal(m.v[0].cert, K1, 16);
	assert_memory_equal(m.v[0].guess, G2, 16);
	assert_memory_equal(m.v[1].guess, G1, 16);
	assert_memory_equal(m.v[2].cert, K2, 16);
	assert_int_equal(store_probe_refusals(f->st, ACC, 0, &k, &err), 0);
	assert_int_equal(k, 2);
	assert_int_equal(store_probe_refusals(f->st, ACC, NOW + 8, &k, &err), 0);
	assert_int_equal(k, 1);

	memset(&sum, 0, sizeof(sum));
	assert_int_equal(store_probe_each(f->st, 0, 2, keep_summary, &sum, &err), 0);
	assert_int_equal(sum.n, 2);
	assert_string_equal(sum.v[0].subject, ACC); /* newest first */
	assert_int_equal(sum.v[0].certificates, 2);
	assert_int_equal(sum.v[0].misses, 3);
	assert_int_equal(sum.v[0].refusals, 2);
	assert_int_equal(sum.v[0].at_limit, 1); /* K1 has 2 misses, the limit given is 2 */
	assert_int_equal(sum.v[0].last, NOW + 9);
	assert_string_equal(sum.v[1].subject, ACC2);
	assert_int_equal(sum.v[1].at_limit, 0);

	assert_int_equal(store_probe_clear(f->st, ACC, K2, &k, &err), 0);
	assert_int_equal(k, 1);
	assert_int_equal(misses(f, ACC, K2, 0, &m), 0);
	assert_int_equal(store_probe_prune(f->st, NOW + 6, &err), 0);
	assert_int_equal(misses(f, ACC, K1, 0, &m), 1); /* G2 at NOW + 5 pruned */
	assert_int_equal(misses(f, ACC2, K1, 0, &m), 0);
	assert_int_equal(store_probe_clear(f->st, ACC, NULL, &k, &err), 0);
	assert_int_equal(k, 3); /* G1 and the two refusals */
	assert_int_equal(store_probe_any(f->st, ACC, 0, &err), 0);
}

/* ---- the rule ---- */

static void test_union_rule(void **state)
{
	struct fixture *f = *state;
	struct probe_refusal right, wrong, r;

	assert_int_equal(try_id(f, ACC, NA, W1, NOW, &r), 0);
	assert_int_equal(try_id(f, ACC, NA, ID_A, NOW + 1, &r), 0); /* right: nothing recorded */
	assert_int_equal(try_id(f, ACC, NA, W2, NOW + 2, &r), 0);
	assert_int_equal(try_id(f, ACC, NA, W3, NOW + 3, &r), 0);
	assert_int_equal(try_id(f, ACC, NA, ID_A, NOW + 4, &right), 1);
	assert_int_equal(right.reason, PROBE_REFUSED_LIMIT);
	assert_int_equal(try_id(f, ACC, NA, W4, NOW + 4, &wrong), 1);
	/* Refused alike: nothing about the match in the refusal. */
	assert_memory_equal(&right, &wrong, sizeof(right));
	assert_int_equal(right.nnumbers, 1);
	assert_string_equal(right.numbers[0], NA);
	assert_int_equal(right.nrows, 1);
	assert_int_equal(right.rows[0], 1);
	/* A wrong one already answered: the union stays at three. */
	assert_int_equal(try_id(f, ACC, NA, W2, NOW + 5, &r), 0);
	/* Another certificate, another subject. */
	assert_int_equal(try_id(f, ACC, NB, W1, NOW + 6, &r), 0);
	assert_int_equal(try_id(f, ACC2, NA, ID_A, NOW + 7, &r), 0);
	/* The refusals were recorded, once each, in the trail. */
	assert_int_equal(refusals_in_trail(f), 2);
}

static void test_one_request_over_the_limit(void **state)
{
	struct fixture *f = *state;
	const char *ids[] = {W1, W2, W3, W4};
	struct probe_refusal r;
	struct probe_set s;
	struct vresult v;
	struct err err;
	size_t i;

	probe_set_init(&s);
	result(&v, NA, 1, ID_A);
	for (i = 0; i < 4; i++)
		assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &v, ids[i], TODAY,
		                               (long)i + 1, 0, &err),
		                 0);
	/* No row at all: decided from the request alone. */
	assert_int_equal(probe_admit(f->st, ACC, &s, NOW, &r, &err), 1);
	assert_int_equal(r.nrows, 4);
	assert_int_equal(r.retry_after, PROBE_WINDOW); /* waiting does not help */
	probe_set_release(&s);
}

/* A request naming a few certificates reads their misses one certificate at
 * a time, one naming many reads all of the subject's: the verdicts agree. */
static void test_few_and_many_certificates(void **state)
{
	struct fixture *f = *state;
	const char *wrong[] = {W1, W2, W3};
	struct probe_refusal r;
	struct probe_set s;
	struct vresult v;
	struct err err;
	char number[CERTNO_SIZE];

	for (size_t i = 0; i < 3; i++)
		assert_int_equal(try_id(f, ACC, NA, wrong[i], NOW + (int64_t)i, &r), 0);
	memset(&err, 0, sizeof(err));
	for (int many = 0; many <= 1; many++) {
		for (int with_na = 0; with_na <= 1; with_na++) {
			long rows = 0;

			probe_set_init(&s);
			/* 2 or 12 other certificates, each tried with its right ID number */
			for (int k = 0; k < (many ? 12 : 2); k++) {
				snprintf(number, sizeof(number), "黔A01201800%04d", 100 + k);
				result(&v, number, 1, ID_A);
				assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &v, ID_A,
				                               TODAY, ++rows, 0, &err),
				                 0);
			}
			if (with_na) {
				result(&v, NA, 1, ID_A);
				assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &v, W4,
				                               TODAY, ++rows, 0, &err),
				                 0);
			}
			assert_int_equal(probe_admit(f->st, ACC, &s, NOW + 10, &r, &err), with_na);
			if (with_na) {
				assert_int_equal(r.nnumbers, 1);
				assert_int_equal(r.nrows, 1);
				assert_int_equal(r.rows[0], rows);
			}
			probe_set_release(&s);
		}
	}
}

static void test_window_edges(void **state)
{
	struct fixture *f = *state;
	struct probe_refusal r;

	assert_int_equal(try_id(f, ACC, NA, W1, NOW, &r), 0);
	assert_int_equal(try_id(f, ACC, NA, W2, NOW + 10, &r), 0);
	assert_int_equal(try_id(f, ACC, NA, W3, NOW + 20, &r), 0);
	/* W1 counts for PROBE_WINDOW seconds: refused one second before it
	 * leaves, told to wait that second. */
	assert_int_equal(try_id(f, ACC, NA, W4, NOW + PROBE_WINDOW - 1, &r), 1);
	assert_int_equal(r.retry_after, 1);
	assert_int_equal(try_id(f, ACC, NA, ID_A, NOW + 100, &r), 1);
	assert_int_equal(r.retry_after, PROBE_WINDOW - 100);
	/* At NOW + PROBE_WINDOW it has left: a fourth is answered. */
	assert_int_equal(try_id(f, ACC, NA, W4, NOW + PROBE_WINDOW, &r), 0);
	/* ...and counts in turn: W2, W3, W4 fill the window again. */
	assert_int_equal(try_id(f, ACC, NA, W1, NOW + PROBE_WINDOW + 1, &r), 1);
	assert_int_equal(r.retry_after, 9); /* W2 leaves at NOW + 10 + PROBE_WINDOW */
}

static void test_roster_rule(void **state)
{
	struct fixture *f = *state;
	struct probe_refusal r;
	struct probe_set s;
	struct vresult v;
	struct err err;

	probe_set_init(&s);
	result(&v, NA, 1, ID_A);
	assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &v, ID_A, TODAY, 3, 0, &err), 0);
	assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &v, W1, TODAY, 5, 0, &err), 0);
	assert_int_equal(
	    probe_set_add(&s, store_pii_key(f->st), &v, "52010219850312001x", TODAY, 7, 0, &err),
	    0); /* the same ID number as row 3 */
	result(&v, NB, 0, "");
	assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &v, W1, TODAY, 8, 1, &err), 0);
	assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &v, W2, TODAY, 9, 1, &err), 0);
	assert_int_equal(probe_roster_check(&s, &r), 0); /* two each */
	/* A third ID number for an absent certificate counts all the same:
	 * the rule never depends on the register. */
	assert_int_equal(probe_set_add(&s, store_pii_key(f->st), &v, W3, TODAY, 2, 1, &err), 0);
	assert_int_equal(probe_roster_check(&s, &r), 1);
	assert_int_equal(r.reason, PROBE_REFUSED_ROSTER);
	assert_int_equal(r.nnumbers, 1);
	assert_string_equal(r.numbers[0], NB);
	assert_int_equal(r.nrows, 3);
	assert_int_equal(r.rows[0], 2);
	assert_int_equal(r.rows[1], 8);
	assert_int_equal(r.rows[2], 9);
	probe_set_release(&s);
}

static void test_rows_named(void **state)
{
	struct fixture *f = *state;
	struct probe_refusal r;
	struct probe_set s;
	struct vresult v;
	struct err err;
	char id[IDNUM_SIZE];
	long row;

	probe_set_init(&s);
	result(&v, NA, 1, ID_A);
	for (row = 40; row >= 1; row--) {
		snprintf(id, sizeof(id), "5201021985031200%02ld", row);
		assert_int_equal(
		    probe_set_add(&s, store_pii_key(f->st), &v, id, TODAY, row, 0, &err), 0);
	}
	assert_int_equal(probe_roster_check(&s, &r), 1);
	assert_int_equal(r.rows_total, 40);
	assert_int_equal(r.nrows, PROBE_ROWS_MAX);
	for (row = 1; row <= PROBE_ROWS_MAX; row++)
		assert_int_equal(r.rows[row - 1], row); /* the lowest, in order */
	assert_int_equal(probe_refusal_err(&r, &err), -1);
	assert_non_null(strstr(err.msg, "第 1、2、3、4、5、6、7、8、9、10 行等 40 行"));
	assert_non_null(strstr(err.msg, NA));
	probe_set_release(&s);
}

static void test_t_numbers(void **state)
{
	struct fixture *f = *state;
	const char *absent[] = {NT1, NT2, NT3};
	struct probe_refusal r, r2;
	struct probe_set s;
	struct err err;
	size_t i;

	/* Three absent numbers of one mask are misses... */
	for (i = 0; i < 3; i++) {
		probe_set_init(&s);
		assert_int_equal(
		    probe_set_add_number(&s, store_pii_key(f->st), absent[i], 0, 1, &err), 0);
		assert_int_equal(s.n, 1);
		assert_int_equal(probe_settle(f->st, &f->who, ACC, &s, NOW + (int64_t)i, &r, &err),
		                 0);
		probe_set_release(&s);
	}
	/* ...then the real one is refused like a fourth absent one. */
	probe_set_init(&s);
	assert_int_equal(probe_set_add_number(&s, store_pii_key(f->st), NT, 0, 0, &err), 0);
	assert_int_equal(probe_admit(f->st, ACC, &s, NOW + 5, &r, &err), 1);
	assert_string_equal(r.numbers[0], "T520111********0066");
	probe_set_release(&s);
	probe_set_init(&s);
	assert_int_equal(probe_set_add_number(&s, store_pii_key(f->st), NT4, 0, 1, &err), 0);
	assert_int_equal(probe_admit(f->st, ACC, &s, NOW + 5, &r2, &err), 1);
	assert_memory_equal(&r, &r2, sizeof(r));
	probe_set_release(&s);
	/* A construction number adds nothing. */
	probe_set_init(&s);
	assert_int_equal(probe_set_add_number(&s, store_pii_key(f->st), NA, 0, 1, &err), 0);
	assert_int_equal(s.n, 0);
	probe_set_release(&s);
	/* Three numbers of one mask in a roster are three people: not the
	 * roster rule; a fourth is past the limit. */
	probe_set_init(&s);
	for (i = 0; i < 3; i++)
		assert_int_equal(
		    probe_set_add_number(&s, store_pii_key(f->st), absent[i], (long)i + 1, 0, &err),
		    0);
	assert_int_equal(probe_roster_check(&s, &r), 0);
	assert_int_equal(probe_admit(f->st, ACC2, &s, NOW, &r, &err), 0);
	assert_int_equal(probe_set_add_number(&s, store_pii_key(f->st), NT4, 4, 0, &err), 0);
	assert_int_equal(probe_admit(f->st, ACC2, &s, NOW, &r, &err), 1);
	probe_set_release(&s);
}

static void test_trail_of_refusals(void **state)
{
	struct fixture *f = *state;
	struct probe_refusal r;
	struct err err;

	memset(&r, 0, sizeof(r));
	r.reason = PROBE_REFUSED_LIMIT;
	r.nnumbers = r.numbers_total = 1;
	snprintf(r.numbers[0], sizeof(r.numbers[0]), "%s", NA);
	assert_int_equal(probe_refuse(f->st, &f->who, ACC, &r, NOW, &err), 0);
	assert_int_equal(probe_refuse(f->st, &f->who, ACC, &r, NOW + 1, &err), 0);
	assert_int_equal(refusals_in_trail(f), 2); /* every one of an account */
	assert_int_equal(probe_refuse(f->st, &f->who, "address:192.0.2.9", &r, NOW, &err), 0);
	assert_int_equal(probe_refuse(f->st, &f->who, "address:192.0.2.9", &r, NOW + 1, &err), 0);
	assert_int_equal(refusals_in_trail(f), 3); /* the first of an address */
	assert_int_equal(
	    probe_refuse(f->st, &f->who, "address:192.0.2.9", &r, NOW + PROBE_WINDOW + 1, &err), 0);
	assert_int_equal(refusals_in_trail(f), 4); /* ...in each window */
}

static void test_clear(void **state)
{
	struct fixture *f = *state;
	struct probe_refusal r;
	struct err err;
	long n = -1;

	assert_int_equal(try_id(f, ACC, NA, W1, NOW, &r), 0);
	assert_int_equal(try_id(f, ACC, NA, W2, NOW, &r), 0);
	assert_int_equal(try_id(f, ACC, NA, W3, NOW, &r), 0);
	assert_int_equal(try_id(f, ACC, NB, W1, NOW, &r), 0);
	assert_int_equal(try_id(f, ACC, NA, ID_A, NOW + 1, &r), 1);
	assert_int_equal(probe_clear(f->st, &f->who, ACC, "黔X", NOW, &n, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(probe_clear(f->st, &f->who, ACC, NA, NOW + 2, &n, &err), 0);
	assert_int_equal(n, 4); /* three misses and the refusal of NA */
	assert_int_equal(try_id(f, ACC, NA, ID_A, NOW + 3, &r), 0);
	assert_int_equal(probe_clear(f->st, &f->who, ACC, NULL, NOW + 4, &n, &err), 0);
	assert_int_equal(n, 1); /* NB's miss */
	assert_int_equal(store_probe_any(f->st, ACC, 0, &err), 0);
}

static void test_keys_are_keyed(void **state)
{
	struct fixture *f = *state;
	struct probe_set s1, s2;
	struct vresult v;
	struct err err;
	uint8_t other[PII_KEY_LEN];
	struct pii_key *k2;

	probe_set_init(&s1);
	probe_set_init(&s2);
	result(&v, NA, 1, ID_A);
	assert_int_equal(probe_set_add(&s1, store_pii_key(f->st), &v, W1, TODAY, 0, 0, &err), 0);
	assert_int_equal(s1.n, 1);
	assert_int_equal(s1.v[0].miss, 1);
	memset(other, 7, sizeof(other));
	k2 = pii_key_new(other, &err);
	assert_non_null(k2);
	assert_int_equal(probe_set_add(&s2, k2, &v, W1, TODAY, 0, 0, &err), 0);
	assert_memory_not_equal(s1.v[0].cert, s2.v[0].cert, PROBE_KEY_LEN);
	assert_memory_not_equal(s1.v[0].guess, s2.v[0].guess, PROBE_KEY_LEN);
	/* The ID number is not in a try. */
	for (size_t i = 0; i + strlen(W1) <= sizeof(s1.v[0]); i++)
		assert_true(memcmp((const char *)s1.v + i, W1, strlen(W1)) != 0);
	pii_key_free(k2);
	probe_set_release(&s1);
	probe_set_release(&s2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_subjects),
	    cmocka_unit_test_setup_teardown(test_store_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_union_rule, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_one_request_over_the_limit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_few_and_many_certificates, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_window_edges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_roster_rule, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rows_named, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_t_numbers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_trail_of_refusals, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_keys_are_keyed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
