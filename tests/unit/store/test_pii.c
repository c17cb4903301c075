/*
 * test_pii.c - personal data at rest (pii.h) and the data key (keys.h):
 * each stored form round-trips under its key and fails under another key or
 * after any byte is changed; the blind index and the sealed numbers are
 * keyed and deterministic; a store without a key refuses, one with another
 * key is refused, and a database of the earlier plaintext form is refused
 * until migrated, after which its file holds no ID number; the data key
 * file is created once, encrypted under a passphrase when given, and
 * travels in backups.
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
#include <sys/stat.h>
#include <unistd.h>

#include "cert.h"
#include "date.h"
#include "keys.h"
#include "pii.h"
#include "store.h"
#include "fixture.h"

static const char ID1[] = "520102199003071234";
static const char ID2[] = "11010519491231002X";
static const char TNUM[] = "T520102199003071234";

static struct pii_key *key_of_byte(uint8_t b)
{
	uint8_t bytes[PII_KEY_LEN];
	struct err err;
	struct pii_key *k;

	memset(bytes, b, sizeof(bytes));
	memset(&err, 0, sizeof(err));
	k = pii_key_new(bytes, &err);
	assert_non_null(k);
	return k;
}

/* 1 when the n bytes of needle occur in hay. */
static int has_bytes(const void *hay, size_t len, const void *needle, size_t n)
{
	for (size_t i = 0; i + n <= len; i++)
		if (memcmp((const char *)hay + i, needle, n) == 0)
			return 1;
	return 0;
}

/* 1 when needle occurs in the file's bytes. */
static int file_has(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	size_t n = strlen(needle), len = 0, cap = 1 << 16, got;
	char *buf = malloc(cap);
	int found = 0;

	if (!f) {
		free(buf);
		return 0;
	}
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
		assert_non_null(buf);
	}
	fclose(f);
	found = has_bytes(buf, len, needle, n);
	free(buf);
	return found;
}

/* ---- the forms ---- */

static void test_id_round_trip(void **state)
{
	struct pii_key *k = key_of_byte(1);
	unsigned char a[PII_SEALED_MAX], b[PII_SEALED_MAX];
	char out[IDNUM_SIZE];
	size_t la = pii_seal(k, ID1, a), lb = pii_seal(k, ID1, b);

	(void)state;
	assert_int_equal(la, 1 + 24 + 16 + 18);
	assert_int_equal(pii_version(a, la), PII_VERSION);
	assert_int_equal(pii_open(k, a, la, out), 0);
	assert_string_equal(out, ID1);
	/* a random nonce: the same ID seals differently each time */
	assert_int_equal(la, lb);
	assert_memory_not_equal(a, b, la);
	assert_false(has_bytes(a, la, ID1, 18));
	assert_false(has_bytes(a, la, ID1 + 6, 8)); /* not even the birth date */
	pii_key_free(k);
}

static void test_id_wrong_key_and_tamper(void **state)
{
	struct pii_key *k = key_of_byte(1), *other = key_of_byte(2);
	unsigned char a[PII_SEALED_MAX], v0[1 + 18];
	char out[IDNUM_SIZE];
	size_t la = pii_seal(k, ID2, a);

	(void)state;
	assert_int_equal(pii_open(other, a, la, out), -1);
	for (size_t i = 0; i < la; i++) {
		a[i] ^= 0x01;
		assert_int_equal(pii_open(k, a, la, out), -1);
		a[i] ^= 0x01;
	}
	assert_int_equal(pii_open(k, a, la - 1, out), -1);
	assert_int_equal(pii_open(k, a, 0, out), -1);
	assert_int_equal(pii_open(k, a, la, out), 0);
	/* the earlier plaintext form is read by the migration only */
	v0[0] = 0;
	memcpy(v0 + 1, ID2, 18);
	assert_int_equal(pii_open(k, v0, sizeof(v0), out), -1);
	assert_int_equal(pii_open_v0(v0, sizeof(v0), out), 0);
	assert_string_equal(out, ID2);
	assert_int_equal(pii_open_v0(a, la, out), -1);
	pii_key_free(k);
	pii_key_free(other);
}

static void test_index_is_keyed(void **state)
{
	struct pii_key *k = key_of_byte(1), *other = key_of_byte(2);
	unsigned char a[PII_INDEX_MAX], b[PII_INDEX_MAX], c[PII_INDEX_MAX], d[PII_INDEX_MAX];
	unsigned char plain[PII_INDEX_MAX];

	(void)state;
	assert_int_equal(pii_index(k, ID1, a), PII_INDEX_LEN);
	assert_true(PII_INDEX_LEN >= 16);
	pii_index(k, ID1, b);
	pii_index(other, ID1, c);
	pii_index(k, ID2, d);
	assert_memory_equal(a, b, PII_INDEX_LEN);     /* deterministic: a look-up key */
	assert_memory_not_equal(a, c, PII_INDEX_LEN); /* keyed */
	assert_memory_not_equal(a, d, PII_INDEX_LEN);
	/* not an unkeyed hash anyone could compute over all IDs */
	crypto_generichash(plain, PII_INDEX_LEN, (const unsigned char *)ID1, 18, NULL, 0);
	assert_memory_not_equal(a, plain, PII_INDEX_LEN);
	pii_key_free(k);
	pii_key_free(other);
}

static void test_number_sealing(void **state)
{
	struct pii_key *k = key_of_byte(1), *other = key_of_byte(2);
	char a[PII_NUMBER_MAX], b[PII_NUMBER_MAX], c[PII_NUMBER_MAX], out[32];
	size_t la = pii_number_seal(k, TNUM, a);

	(void)state;
	assert_true(la > 2 && la < PII_NUMBER_MAX);
	assert_int_equal(strlen(a), la);
	assert_true(pii_number_sealed(a, la));
	assert_true(pii_number_personal(TNUM));
	assert_false(pii_number_personal("黔A012018000123"));
	assert_false(pii_number_sealed(TNUM, strlen(TNUM)));
	/* deterministic under one key, different under another */
	assert_int_equal(pii_number_seal(k, TNUM, b), la);
	assert_string_equal(a, b);
	pii_number_seal(other, TNUM, c);
	assert_string_not_equal(a, c);
	assert_null(strstr(a, ID1));
	assert_null(strstr(a, ID1 + 6));
	assert_int_equal(pii_number_open(k, a, la, out, sizeof(out)), 0);
	assert_string_equal(out, TNUM);
	assert_int_equal(pii_number_open(other, a, la, out, sizeof(out)), -1);
	assert_int_equal(pii_number_open(k, a, la, out, 10), -1); /* no room */
	for (size_t i = 2; i < la; i++) {
		char saved = b[i];

		b[i] = b[i] == 'A' ? 'B' : 'A';
		assert_int_equal(pii_number_open(k, b, la, out, sizeof(out)), -1);
		b[i] = saved;
	}
	assert_int_equal(pii_number_open(k, a, la - 1, out, sizeof(out)), -1);
	assert_int_equal(pii_number_open(k, TNUM, strlen(TNUM), out, sizeof(out)), -1);
	pii_key_free(k);
	pii_key_free(other);
}

static void test_blob(void **state)
{
	struct pii_key *k = key_of_byte(1), *other = key_of_byte(2);
	uint8_t data[] = "an event about T520102199003071234", sealed[sizeof(data) + 64], out[64];
	size_t sl = pii_blob_seal(k, data, sizeof(data), sealed), len = 0;

	(void)state;
	assert_int_equal(sl, sizeof(data) + PII_BLOB_OVERHEAD);
	assert_false(has_bytes(sealed, sl, ID1, 18));
	assert_int_equal(pii_blob_open(k, sealed, sl, out, sizeof(out), &len), 0);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(out, data, len);
	assert_int_equal(pii_blob_open(other, sealed, sl, out, sizeof(out), &len), -1);
	assert_int_equal(pii_blob_open(k, sealed, sl, out, 8, &len), -1);
	sealed[sl - 1] ^= 0x80;
	assert_int_equal(pii_blob_open(k, sealed, sl, out, sizeof(out), &len), -1);
	pii_key_free(k);
	pii_key_free(other);
}

static void test_key_refs(void **state)
{
	struct pii_key *k = key_of_byte(3);
	char c1[PII_CHECK_HEX], c2[PII_CHECK_HEX];
	struct pii_key *other = key_of_byte(4);

	(void)state;
	assert_ptr_equal(pii_key_ref(k), k);
	pii_key_free(k);
	pii_key_check(k, c1); /* still alive: one reference left */
	pii_key_check(other, c2);
	assert_int_equal(strlen(c1), 32);
	assert_string_not_equal(c1, c2);
	pii_key_free(k);
	pii_key_free(other);
	pii_key_free(NULL);
}

/* ---- the store ---- */

struct fx {
	struct fixture_dir tmp;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f || fixture_dir_make(&f->tmp, "pii") != 0) {
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	int rc = fixture_dir_remove(&f->tmp);

	free(f);
	return rc;
}

static struct cert sample(const char *number, const char *id, enum cert_system sys)
{
	struct cert c;

	memset(&c, 0, sizeof(c));
	snprintf(c.number, sizeof(c.number), "%s", number);
	c.system = sys;
	snprintf(c.name, sizeof(c.name), "张三");
	c.gender = GENDER_MALE;
	snprintf(c.id_number, sizeof(c.id_number), "%s", id);
	snprintf(c.trade, sizeof(c.trade), "%s", sys == SYS_EMERGENCY ? "1.2" : "01");
	snprintf(c.issuer, sizeof(c.issuer), "贵阳市住房和城乡建设局");
	c.issued_on = date_from_ymd(2020, 1, 1);
	c.valid_until = date_from_ymd(2030, 1, 1);
	c.review_due = DATE_NONE;
	c.status = CERT_VALID;
	c.ledger_index = -1;
	return c;
}

static struct store *open_with(const char *db, struct pii_key *k, int expect)
{
	struct store *st = NULL;
	struct err err;

	memset(&err, 0, sizeof(err));
	assert_int_equal(store_open(db, STORE_CREATE, &st, &err), 0);
	if (k) {
		int rc = store_set_pii(st, k, &err);

		if (rc != expect)
			fail_msg("store_set_pii: %d (%s)", rc, err.msg);
	}
	return st;
}

static void test_store_needs_key(void **state)
{
	struct fx *f = *state;
	struct pii_key *k = key_of_byte(1), *other = key_of_byte(2);
	struct store *st = open_with(f->tmp.db, NULL, 0);
	struct cert c = sample("黔A012020000001", ID1, SYS_CONSTRUCTION), got;
	struct err err;
	uint32_t slot;

	memset(&err, 0, sizeof(err));
	assert_int_equal(store_cert_insert(st, &c, &err), -1);
	assert_non_null(strstr(err.msg, "数据密钥"));
	assert_non_null(strstr(err.msg, "opcert init"));
	assert_non_null(strstr(err.msg, "opcert key restore"));
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_slot_get(st, TNUM, &slot, &err), -1);
	assert_non_null(strstr(err.msg, "数据密钥"));
	store_close(st);

	st = open_with(f->tmp.db, k, 0);
	assert_int_equal(store_cert_insert(st, &c, &err), 0);
	store_close(st);
	/* the rows are there, but nothing reads them without the key */
	st = open_with(f->tmp.db, NULL, 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_cert_get(st, c.number, &got, &err), -1);
	assert_non_null(strstr(err.msg, "数据密钥"));
	store_close(st);
	/* another key is refused before it reads or writes anything */
	st = open_with(f->tmp.db, other, -1);
	store_close(st);
	st = open_with(f->tmp.db, k, 0);
	assert_int_equal(store_cert_get(st, c.number, &got, &err), 1);
	assert_string_equal(got.id_number, ID1);
	store_close(st);
	pii_key_free(k);
	pii_key_free(other);
}

static void test_store_migration(void **state)
{
	struct fx *f = *state;
	struct pii_key *k = key_of_byte(1);
	struct store *st = open_with(f->tmp.db, k, 0);
	struct cert c1 = sample("黔A012020000001", ID1, SYS_CONSTRUCTION);
	struct cert c2 = sample(TNUM, ID1, SYS_EMERGENCY), got;
	struct store_log_entry e;
	char wal[FIXTURE_FILE_SIZE + 8], sealed_t[PII_NUMBER_MAX];
	struct err err;
	sqlite3 *h;
	long n = 0;
	uint32_t slot = 0;

	memset(&err, 0, sizeof(err));
	memset(&e, 0, sizeof(e));
	snprintf(c2.id_number, sizeof(c2.id_number), "%s", TNUM + 1);
	assert_int_equal(store_cert_insert(st, &c1, &err), 0);
	assert_int_equal(store_cert_insert(st, &c2, &err), 0);
	assert_int_equal(store_slot_add(st, TNUM, 7, &err), 0);
	e.index = 0;
	snprintf(e.number, sizeof(e.number), "%s", TNUM);
	memcpy(e.data, "event T520102199003071234", 25);
	e.len = 25;
	assert_int_equal(store_log_append(st, &e, &err), 0);
	store_close(st);
	assert_false(file_has(f->tmp.db, ID1));

	/* The earlier form, written with plain SQL from what we know. */
	pii_number_seal(k, TNUM, sealed_t);
	assert_int_equal(sqlite3_open(f->tmp.db, &h), SQLITE_OK);
	{
		char sql[1024];

		snprintf(sql, sizeof(sql),
		         "UPDATE certificate SET id_sealed = X'00' || CAST('%s' AS BLOB),"
		         " id_index = CAST('%s' AS BLOB);"
		         "UPDATE certificate SET number = '%s' WHERE number = '%s';"
		         "UPDATE status_slot SET number = '%s' WHERE number = '%s';"
		         "UPDATE log_entry SET number = '%s', data = CAST('event %s' AS BLOB)"
		         " WHERE number = '%s';"
		         "DELETE FROM config WHERE key LIKE 'pii-%%';",
		         ID1, ID1, TNUM, sealed_t, TNUM, sealed_t, TNUM, TNUM, sealed_t);
		assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	}
	sqlite3_close(h);
	assert_true(file_has(f->tmp.db, ID1) ||
	            (snprintf(wal, sizeof(wal), "%s-wal", f->tmp.db), file_has(wal, ID1)));

	/* A key on the old form: refused, so a sealed look-up never misses a plain row. */
	st = open_with(f->tmp.db, k, -1);
	memset(&err, 0, sizeof(err));
	assert_int_equal(store_set_pii(st, k, &err), -1);
	assert_non_null(strstr(err.msg, "opcert init"));
	assert_int_equal(store_pii_migrate(st, k, &n, &err), 0);
	assert_int_equal(n, 2 + 1 + 1 + 1); /* two IDs, the number in three tables */
	assert_int_equal(store_cert_get(st, TNUM, &got, &err), 1);
	assert_string_equal(got.id_number, TNUM + 1);
	assert_int_equal(store_cert_get(st, c1.number, &got, &err), 1);
	assert_string_equal(got.id_number, ID1);
	assert_int_equal(store_slot_get(st, TNUM, &slot, &err), 1);
	assert_int_equal(slot, 7);
	memset(&e, 0, sizeof(e));
	assert_int_equal(store_log_get(st, 0, &e, &err), 1);
	assert_string_equal(e.number, TNUM);
	assert_int_equal(e.len, 25);
	assert_memory_equal(e.data, "event T520102199003071234", 25);
	/* twice is nothing */
	assert_int_equal(store_pii_migrate(st, k, &n, &err), 0);
	assert_int_equal(n, 0);
	store_close(st);
	snprintf(wal, sizeof(wal), "%s-wal", f->tmp.db);
	assert_false(file_has(f->tmp.db, ID1));
	assert_false(file_has(wal, ID1));
	st = open_with(f->tmp.db, k, 0);
	store_close(st);
	pii_key_free(k);
}

/* ---- the data key file ---- */

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void test_data_key_file(void **state)
{
	static const struct keys_options fast = {crypto_pwhash_OPSLIMIT_MIN,
	                                         crypto_pwhash_MEMLIMIT_MIN, NULL, ALG_NONE};
	struct fx *f = *state;
	char dir[FIXTURE_FILE_SIZE], enc[FIXTURE_FILE_SIZE], pass[FIXTURE_FILE_SIZE],
	    wrong[FIXTURE_FILE_SIZE], bpass[FIXTURE_FILE_SIZE], bak[FIXTURE_FILE_SIZE],
	    rest[FIXTURE_FILE_SIZE], file[FIXTURE_FILE_SIZE + 32];
	unsigned char *k1 = sodium_malloc(KEYS_DATA_LEN), *k2 = sodium_malloc(KEYS_DATA_LEN);
	struct err err;
	struct stat sb;

	snprintf(dir, sizeof(dir), "%s/keys", f->tmp.path);
	snprintf(enc, sizeof(enc), "%s/enc", f->tmp.path);
	snprintf(pass, sizeof(pass), "%s/pass", f->tmp.path);
	snprintf(wrong, sizeof(wrong), "%s/wrong", f->tmp.path);
	snprintf(bpass, sizeof(bpass), "%s/bpass", f->tmp.path);
	snprintf(bak, sizeof(bak), "%s/keys.bak", f->tmp.path);
	snprintf(rest, sizeof(rest), "%s/restored", f->tmp.path);
	write_file(pass, "data key passphrase\n");
	write_file(wrong, "not it\n");
	write_file(bpass, "backup passphrase\n");
	memset(&err, 0, sizeof(err));

	assert_int_equal(keys_data_load(dir, NULL, k1, &err), 1); /* none yet */
	assert_int_equal(keys_data_init(dir, NULL, NULL, &err), 1);
	assert_int_equal(keys_data_init(dir, NULL, NULL, &err), 0);
	snprintf(file, sizeof(file), "%s/%s", dir, KEYS_DATA_FILE);
	assert_int_equal(stat(file, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(sb.st_size, 120);
	assert_int_equal(keys_data_load(dir, NULL, k1, &err), 0);
	assert_int_equal(keys_data_load(dir, NULL, k2, &err), 0);
	assert_memory_equal(k1, k2, KEYS_DATA_LEN);
	/* a wide mode is refused, not repaired */
	assert_int_equal(chmod(file, 0644), 0);
	assert_int_equal(keys_data_load(dir, NULL, k2, &err), -1);
	assert_non_null(strstr(err.msg, "chmod 600"));
	assert_int_equal(chmod(file, 0600), 0);

	/* under a passphrase */
	assert_int_equal(keys_data_init(enc, pass, &fast, &err), 1);
	snprintf(file, sizeof(file), "%s/%s", enc, KEYS_DATA_FILE);
	assert_int_equal(keys_data_load(enc, NULL, k2, &err), -1);
	assert_non_null(strstr(err.msg, "--passphrase-file"));
	assert_int_equal(keys_data_load(enc, wrong, k2, &err), -1);
	assert_non_null(strstr(err.msg, "口令错误"));
	assert_int_equal(keys_data_load(enc, pass, k2, &err), 0);
	assert_memory_not_equal(k1, k2, KEYS_DATA_LEN);

	/* backup and restore carry it */
	assert_true(keys_init(dir, NULL, &fast, 1735689600, &err) > 0);
	{
		struct keys *ks = keys_open(dir, NULL, &fast, &err);

		assert_non_null(ks);
		assert_int_equal(keys_backup(ks, bak, bpass, &err), 0);
		keys_close(ks);
	}
	assert_false(file_has(bak, "OPCDAT01"));
	assert_int_equal(keys_restore(bak, bpass, rest, &err), 0);
	assert_int_equal(keys_data_load(rest, NULL, k2, &err), 0);
	assert_memory_equal(k1, k2, KEYS_DATA_LEN);
	sodium_free(k1);
	sodium_free(k2);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_id_round_trip),
	    cmocka_unit_test(test_id_wrong_key_and_tamper),
	    cmocka_unit_test(test_index_is_keyed),
	    cmocka_unit_test(test_number_sealing),
	    cmocka_unit_test(test_blob),
	    cmocka_unit_test(test_key_refs),
	    T(test_store_needs_key),
	    T(test_store_migration),
	    T(test_data_key_file),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
