/*
 * test_keys.c - the key store (keys.h) in temporary directories: init makes
 * 0600 files in a 0700 directory and does nothing the second time; the
 * files follow the documented layout; open refuses a missing directory, wide
 * modes, corrupted and swapped files; encrypted stores open with the right
 * passphrase only and hold no seed in clear; rotation keeps the retired key
 * on the trust list with its period and old signatures verify; backup and
 * restore give back the same keys and identical signatures, a backup needs
 * a passphrase and holds no key material in clear; no secret stays in the
 * store after signing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cred.h"
#include "date.h"
#include "keys.h"
#include "sm2.h"
#include "trust.h"
#include "fixture.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define T0       1735689600 /* 2025-01-01T00:00:00Z */
#define KF_SIZE  152

static const struct keys_options FAST = {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN,
                                         NULL, ALG_NONE};
static const char PASS[] = "正确的口令 correct horse";

struct fx {
	struct fixture_dir tmp;
	char dir[128];     /* the key store */
	char pass[128];    /* the right passphrase, with "\n" */
	char passcr[128];  /* the right passphrase, with "\r\n" */
	char wrong[128];   /* a wrong passphrase */
	char empty[128];   /* an empty passphrase file */
	char bpass[128];   /* the backup passphrase */
	char backup[128];  /* a backup file */
	char restore[128]; /* a directory to restore into */
};

/* ---- helpers ---- */

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static size_t read_bytes(const char *path, unsigned char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap, f);
	fclose(f);
	return n;
}

static void path_in(char *out, size_t cap, const char *dir, const char *name)
{
	assert_true((size_t)snprintf(out, cap, "%s/%s", dir, name) < cap);
}

static int contains(const unsigned char *hay, size_t n, const uint8_t *needle, size_t len)
{
	size_t i;

	for (i = 0; i + len <= n; i++)
		if (memcmp(hay + i, needle, len) == 0)
			return 1;
	return 0;
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * Decrypt a key file by the documented layout (keys.h), independently of
 * keys.c: the seed, checked to derive the file's public key.
 */
static void file_seed(const char *path, const char *pass, uint8_t seed[32])
{
	unsigned char b[KF_SIZE + 1], key[32], pk[32], sk[64];

	assert_int_equal(read_bytes(path, b, sizeof(b)), KF_SIZE);
	assert_memory_equal(b, "OPCKEY01", 8);
	if (b[10] == 0) {
		memcpy(seed, b + 104, 32);
	} else {
		assert_int_equal(b[10], 1);
		assert_non_null(pass);
		assert_int_equal(crypto_pwhash(key, sizeof(key), pass, strlen(pass), b + 32,
		                               get64(b + 16), (size_t)get64(b + 24),
		                               crypto_pwhash_ALG_ARGON2ID13),
		                 0);
		assert_int_equal(crypto_secretbox_open_easy(seed, b + 104, 48, b + 48, key), 0);
	}
	crypto_sign_seed_keypair(pk, sk, seed);
	assert_memory_equal(pk, b + 72, 32);
}

static struct keys *open_ok(const char *dir, const char *pass)
{
	struct err e;
	struct keys *ks;

	err_clear(&e);
	ks = keys_open(dir, pass, &FAST, &e);
	if (!ks)
		fail_msg("keys_open: %s", e.msg);
	return ks;
}

static void init_ok(const char *dir, const char *pass, int want_created)
{
	struct err e;

	err_clear(&e);
	if (keys_init(dir, pass, &FAST, T0, &e) != want_created)
		fail_msg("keys_init: expected %d created: %s", want_created, e.msg);
}

static void expect_input_error(const struct err *e, const char *part)
{
	assert_int_equal(e->kind, ERR_INPUT);
	if (part && !strstr(e->msg, part))
		fail_msg("message \"%s\" lacks \"%s\"", e->msg, part);
}

static void issuing_file(const struct keys *ks, const char *dir, char *out, size_t cap)
{
	path_in(out, cap, dir, keys_get(ks, KEYS_ISSUING)->file);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	assert_int_equal(fixture_dir_make(&f->tmp, "keys"), 0);
	path_in(f->dir, sizeof(f->dir), f->tmp.path, "keys");
	path_in(f->pass, sizeof(f->pass), f->tmp.path, "pass");
	path_in(f->passcr, sizeof(f->passcr), f->tmp.path, "pass-crlf");
	path_in(f->wrong, sizeof(f->wrong), f->tmp.path, "wrong");
	path_in(f->empty, sizeof(f->empty), f->tmp.path, "empty");
	path_in(f->bpass, sizeof(f->bpass), f->tmp.path, "bpass");
	path_in(f->backup, sizeof(f->backup), f->tmp.path, "keys.backup");
	path_in(f->restore, sizeof(f->restore), f->tmp.path, "restored");
	{
		char text[128];

		snprintf(text, sizeof(text), "%s\n", PASS);
		write_text(f->pass, text);
		snprintf(text, sizeof(text), "%s\r\n", PASS);
		write_text(f->passcr, text);
	}
	write_text(f->wrong, "错误的口令\n");
	write_text(f->empty, "\n");
	write_text(f->bpass, "备份口令 backup passphrase\n");
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

/* ---- init ---- */

static void test_init_creates_private_files(void **state)
{
	static const struct {
		int encrypted;
	} cases[] = {{0}, {1}};
	struct fx *f = *state;
	size_t c;

	for (c = 0; c < COUNT(cases); c++) {
		const char *pass = cases[c].encrypted ? f->pass : NULL;
		unsigned char before[KF_SIZE], after[KF_SIZE];
		char path[256], hex[17], want_log[64];
		const struct keys_info *ki;
		struct keys *ks;
		struct stat st;
		struct dirent *de;
		size_t n, i, nfiles = 0;
		DIR *d;

		fixture_remove(f->dir);
		init_ok(f->dir, pass, 3);
		assert_int_equal(stat(f->dir, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0700);
		d = opendir(f->dir);
		assert_non_null(d);
		while ((de = readdir(d))) {
			if (de->d_name[0] == '.')
				continue;
			path_in(path, sizeof(path), f->dir, de->d_name);
			assert_int_equal(stat(path, &st), 0);
			if ((st.st_mode & 07777) != 0600)
				fail_msg("%s has mode %o", de->d_name,
				         (unsigned)st.st_mode & 07777);
			nfiles++;
		}
		closedir(d);
		assert_int_equal(nfiles, 4); /* keys.json, root, log, issuing */

		ks = open_ok(f->dir, pass);
		ki = keys_list(ks, &n);
		assert_int_equal(n, 3);
		assert_int_equal(ki[0].role, KEYS_ROOT);
		assert_string_equal(ki[0].file, "root.key");
		assert_int_equal(ki[1].role, KEYS_LOG);
		assert_string_equal(ki[1].file, "log.key");
		assert_int_equal(ki[2].role, KEYS_ISSUING);
		snprintf(path, sizeof(path), "issuing-%s.key", trust_kid_hex(ki[2].kid, hex));
		assert_string_equal(ki[2].file, path);
		for (i = 0; i < n; i++) {
			uint8_t kid[KID_LEN];

			assert_int_equal(ki[i].alg, ALG_ED25519);
			assert_int_equal(ki[i].created, T0);
			assert_int_equal(ki[i].not_before, T0);
			assert_int_equal(ki[i].not_after, 0);
			assert_int_equal(ki[i].has_secret, 1);
			assert_int_equal(ki[i].encrypted, cases[c].encrypted);
			trust_kid(ki[i].pk, 32, kid);
			assert_memory_equal(kid, ki[i].kid, KID_LEN);
		}
		snprintf(want_log, sizeof(want_log), "opcert-log-%s",
		         trust_kid_hex(ki[1].kid, hex));
		assert_string_equal(keys_log_name(ks), want_log);
		keys_close(ks);

		/* the second init changes nothing */
		path_in(path, sizeof(path), f->dir, "root.key");
		assert_int_equal(read_bytes(path, before, sizeof(before)), KF_SIZE);
		init_ok(f->dir, pass, 0);
		assert_int_equal(read_bytes(path, after, sizeof(after)), KF_SIZE);
		assert_memory_equal(before, after, KF_SIZE);
	}
}

static void test_init_log_name_and_errors(void **state)
{
	static const struct {
		const char *name;
		int ok;
	} cases[] = {
	    {"gy.zjj.example/opcert-log", 1},
	    {"a", 1},
	    {"has space", 0},
	    {"plus+sign", 0},
	    {"", 0},
	    {"全角", 0},
	};
	struct fx *f = *state;
	size_t c;

	for (c = 0; c < COUNT(cases); c++) {
		struct keys_options o = FAST;
		struct err e;
		int rc;

		fixture_remove(f->dir);
		o.log_name = cases[c].name;
		err_clear(&e);
		rc = keys_init(f->dir, NULL, &o, T0, &e);
		if (cases[c].ok) {
			struct keys *ks;

			assert_int_equal(rc, 3);
			ks = open_ok(f->dir, NULL);
			assert_string_equal(keys_log_name(ks), cases[c].name);
			keys_close(ks);
		} else {
			assert_int_equal(rc, -1);
			expect_input_error(&e, "日志密钥名称");
		}
	}
	{
		/* the parent must exist; an empty passphrase file is refused */
		char deep[256];
		struct err e;

		path_in(deep, sizeof(deep), f->tmp.path, "no/such/keys");
		err_clear(&e);
		assert_int_equal(keys_init(deep, NULL, &FAST, T0, &e), -1);
		expect_input_error(&e, "上级目录不存在");
		fixture_remove(f->dir);
		err_clear(&e);
		assert_int_equal(keys_init(f->dir, f->empty, &FAST, T0, &e), -1);
		expect_input_error(&e, "是空的");
	}
}

/* ---- open ---- */

static void mut_none(const struct fx *f)
{
	(void)f;
}

static void mut_remove_dir(const struct fx *f)
{
	fixture_remove(f->dir);
}

static void mut_empty_dir(const struct fx *f)
{
	fixture_remove(f->dir);
	assert_int_equal(mkdir(f->dir, 0700), 0);
}

static void mut_root_0644(const struct fx *f)
{
	char p[256];

	path_in(p, sizeof(p), f->dir, "root.key");
	assert_int_equal(chmod(p, 0644), 0);
}

static void mut_log_0640(const struct fx *f)
{
	char p[256];

	path_in(p, sizeof(p), f->dir, "log.key");
	assert_int_equal(chmod(p, 0640), 0);
}

static void mut_dir_0755(const struct fx *f)
{
	assert_int_equal(chmod(f->dir, 0755), 0);
}

static void patch_byte(const char *path, long off, unsigned char x)
{
	FILE *fp = fopen(path, "r+b");
	int c;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	c = fgetc(fp);
	assert_int_not_equal(c, EOF);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	fputc(c ^ x, fp);
	assert_int_equal(fclose(fp), 0);
}

static void mut_root_magic(const struct fx *f)
{
	char p[256];

	path_in(p, sizeof(p), f->dir, "root.key");
	patch_byte(p, 0, 0x20);
}

static void mut_root_pk(const struct fx *f)
{
	char p[256];

	path_in(p, sizeof(p), f->dir, "root.key");
	patch_byte(p, 80, 0x01);
}

static void mut_swap_root_log(const struct fx *f)
{
	char a[256], b[256], t[256];

	path_in(a, sizeof(a), f->dir, "root.key");
	path_in(b, sizeof(b), f->dir, "log.key");
	path_in(t, sizeof(t), f->dir, "tmp");
	assert_int_equal(rename(a, t), 0);
	assert_int_equal(rename(b, a), 0);
	assert_int_equal(rename(t, b), 0);
}

static void mut_truncate_root(const struct fx *f)
{
	char p[256];

	path_in(p, sizeof(p), f->dir, "root.key");
	assert_int_equal(truncate(p, 100), 0);
}

static void mut_delete_log(const struct fx *f)
{
	char p[256];

	path_in(p, sizeof(p), f->dir, "log.key");
	assert_int_equal(unlink(p), 0);
}

static void mut_index_garbage(const struct fx *f)
{
	char p[256];

	path_in(p, sizeof(p), f->dir, "keys.json");
	write_text(p, "{\"version\": 1, \"keys\": [");
}

static void mut_index_version(const struct fx *f)
{
	char p[256];

	path_in(p, sizeof(p), f->dir, "keys.json");
	write_text(p, "{\"version\": 2, \"keys\": []}");
}

static void mut_symlink_root(const struct fx *f)
{
	char p[256], q[256];

	path_in(p, sizeof(p), f->dir, "root.key");
	path_in(q, sizeof(q), f->dir, "real.key");
	assert_int_equal(rename(p, q), 0);
	assert_int_equal(symlink("real.key", p), 0);
}

static void test_open_refuses(void **state)
{
	static const struct {
		const char *what;
		void (*mutate)(const struct fx *f);
		const char *msg; /* NULL: opens */
		const char *msg2;
	} cases[] = {
	    {"intact", mut_none, NULL, NULL},
	    {"no directory", mut_remove_dir, "opcert key init", "不存在"},
	    {"empty directory", mut_empty_dir, "opcert key init", "keys.json"},
	    {"root.key 0644", mut_root_0644, "chmod 600", "root.key"},
	    {"log.key 0640", mut_log_0640, "chmod 600", "log.key"},
	    {"directory 0755", mut_dir_0755, "chmod 700", NULL},
	    {"bad magic", mut_root_magic, "已损坏", "root.key"},
	    {"public key changed", mut_root_pk, "已损坏", "keys.json"},
	    {"root and log swapped", mut_swap_root_log, "已损坏", NULL},
	    {"truncated key", mut_truncate_root, "已损坏", NULL},
	    {"key file deleted", mut_delete_log, "缺失", "log.key"},
	    {"index not JSON", mut_index_garbage, "keys.json 已损坏", NULL},
	    {"index version 2", mut_index_version, "keys.json 已损坏", NULL},
	    {"root.key a symlink", mut_symlink_root, "符号链接", NULL},
	};
	struct fx *f = *state;
	size_t c;

	for (c = 0; c < COUNT(cases); c++) {
		struct keys *ks;
		struct err e;

		fixture_remove(f->dir);
		init_ok(f->dir, NULL, 3);
		cases[c].mutate(f);
		err_clear(&e);
		ks = keys_open(f->dir, NULL, &FAST, &e);
		if (!cases[c].msg) {
			if (!ks)
				fail_msg("%s: %s", cases[c].what, e.msg);
			keys_close(ks);
			continue;
		}
		if (ks)
			fail_msg("%s: opened", cases[c].what);
		expect_input_error(&e, cases[c].msg);
		if (cases[c].msg2)
			expect_input_error(&e, cases[c].msg2);
	}
}

/* A key file made readable to others after opening is refused when used. */
static void test_mode_checked_on_use(void **state)
{
	struct fx *f = *state;
	uint8_t sig[64];
	char p[256];
	struct keys *ks;
	struct err e;

	init_ok(f->dir, NULL, 3);
	ks = open_ok(f->dir, NULL);
	issuing_file(ks, f->dir, p, sizeof(p));
	assert_int_equal(chmod(p, 0604), 0);
	err_clear(&e);
	assert_int_equal(keys_sign(ks, (const uint8_t *)"x", 1, sig, NULL, NULL, &e), -1);
	expect_input_error(&e, "chmod 600");
	keys_close(ks);
}

/* ---- signing ---- */

static void test_sign_verify(void **state)
{
	static const struct {
		const char *msg;
		size_t len;
	} cases[] = {
	    {"", 0},
	    {"a", 1},
	    {"OC1:6BF8UJ4PQ", 13},
	    {"二〇二五年 持证上岗", 0},
	};
	struct fx *f = *state;
	struct keys *ks;
	size_t c;

	init_ok(f->dir, NULL, 3);
	ks = open_ok(f->dir, NULL);
	for (c = 0; c < COUNT(cases); c++) {
		const uint8_t *m = (const uint8_t *)cases[c].msg;
		size_t len = cases[c].len ? cases[c].len : strlen(cases[c].msg);
		uint8_t sig[KEYS_SIG_LEN], sig2[KEYS_SIG_LEN], kid[KID_LEN];
		enum sig_alg alg = ALG_NONE;
		struct err e;

		err_clear(&e);
		assert_int_equal(keys_sign(ks, m, len, sig, kid, &alg, &e), 0);
		assert_int_equal(alg, ALG_ED25519);
		assert_memory_equal(kid, keys_get(ks, KEYS_ISSUING)->kid, KID_LEN);
		assert_int_equal(
		    crypto_sign_verify_detached(sig, m, len, keys_get(ks, KEYS_ISSUING)->pk), 0);
		assert_int_not_equal(
		    crypto_sign_verify_detached(sig, m, len, keys_get(ks, KEYS_ROOT)->pk), 0);
		assert_int_equal(keys_sign_log(ks, m, len, sig2, &e), 0);
		assert_int_equal(
		    crypto_sign_verify_detached(sig2, m, len, keys_get(ks, KEYS_LOG)->pk), 0);
		/* NULL kid and alg are allowed */
		assert_int_equal(keys_sign(ks, m, len, sig2, NULL, NULL, &e), 0);
		assert_memory_equal(sig, sig2, KEYS_SIG_LEN);
	}
	keys_close(ks);
}

/* One signer per role: its key's facts, signatures that verify under that
 * key alone, many messages on one signer, a role that does not exist. */
static void test_signer(void **state)
{
	static const enum keys_role roles[] = {KEYS_ROOT, KEYS_ISSUING, KEYS_LOG};
	const uint8_t msg[] = "一个签名者，多次签名";
	struct fx *f = *state;
	struct keys_signer *sg;
	struct keys *ks;
	struct err e;
	size_t r, k, n;

	init_ok(f->dir, NULL, 3);
	ks = open_ok(f->dir, NULL);
	for (r = 0; r < COUNT(roles); r++) {
		const struct keys_info *want = keys_get(ks, roles[r]);
		uint8_t sig[KEYS_SIG_LEN];

		err_clear(&e);
		sg = keys_signer_open(ks, roles[r], &e);
		assert_non_null(sg);
		assert_int_equal(keys_signer_info(sg)->role, roles[r]);
		assert_int_equal(keys_signer_info(sg)->alg, ALG_ED25519);
		assert_memory_equal(keys_signer_info(sg)->kid, want->kid, KID_LEN);
		for (k = 1; k <= 3; k++) {
			n = 0;
			assert_int_equal(keys_signer_sign(sg, msg, sizeof(msg) - k, sig, &n, &e),
			                 0);
			assert_int_equal(n, KEYS_SIG_LEN);
			assert_int_equal(
			    crypto_sign_verify_detached(sig, msg, sizeof(msg) - k, want->pk), 0);
			assert_int_not_equal(crypto_sign_verify_detached(
			                         sig, msg, sizeof(msg) - k,
			                         keys_get(ks, roles[(r + 1) % COUNT(roles)])->pk),
			                     0);
		}
		keys_signer_close(sg);
	}
	/* a role that does not exist is refused before any file is read */
	err_clear(&e);
	assert_null(keys_signer_open(ks, (enum keys_role)0, &e));
	expect_input_error(&e, "没有这种密钥角色");
	err_clear(&e);
	assert_null(keys_signer_open(ks, (enum keys_role)4, &e));
	expect_input_error(&e, "没有这种密钥角色");
	keys_signer_close(NULL);

	/* a signer keeps the key it opened across a rotation; a new one signs
	 * with the new current key */
	{
		uint8_t old_kid[KID_LEN], new_kid[KID_LEN], sig[KEYS_SIG_LEN], old_pk[32];
		struct keys_signer *old;

		err_clear(&e);
		old = keys_signer_open(ks, KEYS_ISSUING, &e);
		assert_non_null(old);
		memcpy(old_kid, keys_signer_info(old)->kid, KID_LEN);
		memcpy(old_pk, keys_signer_info(old)->pk, 32);
		assert_int_equal(keys_rotate(ks, ALG_NONE, T0 + 60, new_kid, &e), 0);
		assert_int_equal(keys_signer_sign(old, msg, sizeof(msg), sig, NULL, &e), 0);
		assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof(msg), old_pk), 0);
		keys_signer_close(old);
		sg = keys_signer_open(ks, KEYS_ISSUING, &e);
		assert_non_null(sg);
		assert_memory_equal(keys_signer_info(sg)->kid, new_kid, KID_LEN);
		assert_memory_not_equal(new_kid, old_kid, KID_LEN);
		keys_signer_close(sg);
	}
	keys_close(ks);

	/* a wrong passphrase: the store opens, the signer does not */
	fixture_remove(f->dir);
	init_ok(f->dir, f->pass, 3);
	ks = open_ok(f->dir, f->wrong);
	err_clear(&e);
	assert_null(keys_signer_open(ks, KEYS_LOG, &e));
	expect_input_error(&e, "口令错误或密钥文件已损坏");
	keys_close(ks);
}

/* A credential signed through the signer is byte for byte the one the same
 * key signs in memory (Ed25519 is deterministic): issuing through the key
 * store changed how the key is held, not what it signs. */
static void test_signer_same_credential(void **state)
{
	static const uint8_t salt[CRED_SALT_LEN] = {1, 2,  3,  4,  5,  6,  7,  8,
	                                            9, 10, 11, 12, 13, 14, 15, 16};
	struct fx *f = *state;
	struct cred_claims c;
	struct keys_signer *sg;
	struct keys *ks;
	struct err e;
	uint8_t seed[32], pk[32], sk[64];
	char p[256], *by_signer = NULL, *in_memory = NULL;

	init_ok(f->dir, f->pass, 3);
	ks = open_ok(f->dir, f->pass);
	cred_claims_init(&c);
	strcpy(c.number, "黔A012024000123");
	strcpy(c.name, "王建国");
	c.gender = GENDER_MALE;
	err_clear(&e);
	assert_int_equal(cred_set_id(&c, "520102199003071236", salt, &e), 0);
	strcpy(c.trade, "01");
	c.issued_on = date_from_ymd(2024, 3, 15);
	c.valid_until = date_from_ymd(2030, 3, 14);
	strcpy(c.issuer_code, "I1");
	c.status_index = 87654;
	c.iat = T0;

	sg = keys_signer_open(ks, KEYS_ISSUING, &e);
	assert_non_null(sg);
	assert_int_equal(cred_sign(&c, sg, &by_signer, &e), 0);
	issuing_file(ks, f->dir, p, sizeof(p));
	file_seed(p, PASS, seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	assert_int_equal(
	    cred_encode(&c, ALG_ED25519, keys_signer_info(sg)->kid, sk, &in_memory, &e), 0);
	assert_string_equal(by_signer, in_memory);
	keys_signer_close(sg);

	/* only an issuing key signs credentials */
	sg = keys_signer_open(ks, KEYS_LOG, &e);
	assert_non_null(sg);
	free(by_signer);
	by_signer = NULL;
	assert_int_equal(cred_sign(&c, sg, &by_signer, &e), -1);
	assert_null(by_signer);
	keys_signer_close(sg);
	free(in_memory);
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(seed, sizeof(seed));
	keys_close(ks);
}

/* ---- passphrases ---- */

static void test_encrypted_store(void **state)
{
	struct fx *f = *state;
	static const char *const names[] = {"root.key", "log.key", NULL};
	const uint8_t msg[] = "credential";
	uint8_t sig[KEYS_SIG_LEN], sig2[KEYS_SIG_LEN], sk[64], pk[32], seed[32];
	char p[256];
	unsigned char file[KF_SIZE];
	struct keys *ks;
	struct err e;
	size_t i;

	init_ok(f->dir, f->pass, 3);

	/* the right passphrase, with "\n" or "\r\n" */
	for (i = 0; i < 2; i++) {
		ks = open_ok(f->dir, i ? f->passcr : f->pass);
		err_clear(&e);
		assert_int_equal(keys_sign(ks, msg, sizeof(msg), sig, NULL, NULL, &e), 0);
		assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof(msg),
		                                             keys_get(ks, KEYS_ISSUING)->pk),
		                 0);
		keys_close(ks);
	}

	/* a wrong passphrase: opening reads no secret, using the key fails */
	ks = open_ok(f->dir, f->wrong);
	err_clear(&e);
	assert_int_equal(keys_sign(ks, msg, sizeof(msg), sig, NULL, NULL, &e), -1);
	expect_input_error(&e, "口令错误或密钥文件已损坏");
	err_clear(&e);
	assert_int_equal(keys_sign_log(ks, msg, sizeof(msg), sig, &e), -1);
	expect_input_error(&e, "口令错误或密钥文件已损坏");
	err_clear(&e);
	assert_null(keys_trust_export(ks, NULL, 0, T0, &e));
	expect_input_error(&e, "口令错误或密钥文件已损坏");
	/* and never encrypts a new key */
	err_clear(&e);
	assert_int_equal(keys_rotate(ks, ALG_NONE, T0 + 60, NULL, &e), -1);
	expect_input_error(&e, "口令错误或密钥文件已损坏");
	keys_close(ks);

	/* no passphrase at all */
	ks = open_ok(f->dir, NULL);
	err_clear(&e);
	assert_int_equal(keys_sign(ks, msg, sizeof(msg), sig, NULL, NULL, &e), -1);
	expect_input_error(&e, "--passphrase-file");
	err_clear(&e);
	assert_int_equal(keys_rotate(ks, ALG_NONE, T0 + 60, NULL, &e), -1);
	expect_input_error(&e, "--passphrase-file");
	keys_close(ks);

	/* nothing was added by the refused rotations */
	ks = open_ok(f->dir, f->pass);
	keys_list(ks, &i);
	assert_int_equal(i, 3);

	/* no file holds its 32-byte seed in clear: compare with the decrypted key
	 * (the key that signs, Ed25519 signatures being deterministic) */
	err_clear(&e);
	issuing_file(ks, f->dir, p, sizeof(p));
	file_seed(p, PASS, seed);
	crypto_sign_seed_keypair(pk, sk, seed);
	assert_int_equal(keys_sign(ks, msg, sizeof(msg), sig, NULL, NULL, &e), 0);
	crypto_sign_detached(sig2, NULL, msg, sizeof(msg), sk);
	assert_memory_equal(sig, sig2, KEYS_SIG_LEN);
	assert_int_equal(read_bytes(p, file, sizeof(file)), KF_SIZE);
	assert_false(contains(file, KF_SIZE, seed, 32));
	assert_false(contains(file, KF_SIZE, seed, 16));
	for (i = 0; names[i]; i++) {
		path_in(p, sizeof(p), f->dir, names[i]);
		file_seed(p, PASS, seed);
		assert_int_equal(read_bytes(p, file, sizeof(file)), KF_SIZE);
		assert_false(contains(file, KF_SIZE, seed, 16));
	}
	sodium_memzero(sk, sizeof(sk));
	sodium_memzero(seed, sizeof(seed));
	keys_close(ks);

	/* a clear store does hold its seed (the check above can fail) */
	fixture_remove(f->dir);
	init_ok(f->dir, NULL, 3);
	path_in(p, sizeof(p), f->dir, "root.key");
	file_seed(p, NULL, seed);
	assert_int_equal(read_bytes(p, file, sizeof(file)), KF_SIZE);
	assert_true(contains(file, KF_SIZE, seed, 32));
}

/* ---- rotation ---- */

static void test_rotate_keeps_old_keys(void **state)
{
	static const struct trust_issuer issuers[] = {{"I1", "贵阳市住房和城乡建设局"}};
	struct fx *f = *state;
	const uint8_t msg[] = "signed before rotation";
	uint8_t sig[KEYS_SIG_LEN], kid0[KID_LEN], kid1[KID_LEN], kid2[KID_LEN], root_pk[32];
	struct trust_list *tl = malloc(sizeof(*tl));
	const struct trust_key *old;
	const struct keys_info *ki;
	char *text, p[256];
	struct keys *ks;
	struct err e;
	int pinned = -1;
	size_t n;

	assert_non_null(tl);
	init_ok(f->dir, f->pass, 3);
	ks = open_ok(f->dir, f->pass);
	memcpy(root_pk, keys_get(ks, KEYS_ROOT)->pk, 32);
	err_clear(&e);
	assert_int_equal(keys_sign(ks, msg, sizeof(msg), sig, kid0, NULL, &e), 0);
	issuing_file(ks, f->dir, p, sizeof(p));

	/* a clock before the current key's start is refused */
	assert_int_equal(keys_rotate(ks, ALG_NONE, T0 - 1, NULL, &e), -1);
	expect_input_error(&e, "系统时钟");

	err_clear(&e);
	if (keys_rotate(ks, ALG_NONE, T0 + 3600, kid1, &e) != 0)
		fail_msg("rotate: %s", e.msg);
	assert_memory_not_equal(kid0, kid1, KID_LEN);
	assert_int_equal(access(p, F_OK), -1); /* the retired private key is gone */
	ki = keys_list(ks, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(ki[2].kid, kid0, KID_LEN);
	assert_int_equal(ki[2].not_after, T0 + 3600);
	assert_int_equal(ki[2].has_secret, 0);
	assert_memory_equal(ki[3].kid, kid1, KID_LEN);
	assert_int_equal(ki[3].not_before, T0 + 3600);
	assert_int_equal(ki[3].not_after, 0);
	assert_memory_equal(keys_get(ks, KEYS_ISSUING)->kid, kid1, KID_LEN);
	keys_close(ks);

	/* reopened from disk, and rotated once more */
	ks = open_ok(f->dir, f->pass);
	err_clear(&e);
	assert_int_equal(keys_rotate(ks, ALG_NONE, T0 + 7200, kid2, &e), 0);
	keys_list(ks, &n);
	assert_int_equal(n, 5);
	{
		uint8_t sig2[KEYS_SIG_LEN], kid[KID_LEN];

		assert_int_equal(keys_sign(ks, msg, sizeof(msg), sig2, kid, NULL, &e), 0);
		assert_memory_equal(kid, kid2, KID_LEN);
	}

	/* the new trust list still names the old key with its period */
	text = keys_trust_export(ks, issuers, COUNT(issuers), T0 + 9000, &e);
	if (!text)
		fail_msg("export: %s", e.msg);
	keys_close(ks);
	if (trust_parse(text, strlen(text), root_pk, tl, &pinned, &e) != 0)
		fail_msg("parse: %s", e.msg);
	free(text);
	assert_int_equal(pinned, 1);
	assert_int_equal(tl->nkeys, 3);
	old = trust_find(tl, kid0);
	assert_non_null(old);
	assert_int_equal(old->not_before, T0);
	assert_int_equal(old->not_after, T0 + 3600);
	assert_int_equal(crypto_sign_verify_detached(sig, msg, sizeof(msg), old->pk), 0);
	assert_true(trust_key_valid_at(old, T0 + 10));
	assert_true(trust_key_valid_at(old, T0 + 3600));
	assert_false(trust_key_valid_at(old, T0 + 3601));
	assert_int_equal(trust_find(tl, kid1)->not_after, T0 + 7200);
	assert_int_equal(trust_find(tl, kid2)->not_after, 0);
	assert_true(trust_key_valid_at(trust_find(tl, kid2), T0 + 999999));
	assert_string_equal(trust_issuer_name(tl, "I1"), "贵阳市住房和城乡建设局");
	free(tl);
}

/* ---- backup and restore ---- */

static void test_backup_restore(void **state)
{
	static const struct {
		int encrypted;
	} cases[] = {{0}, {1}};
	struct fx *f = *state;
	size_t c;

	for (c = 0; c < COUNT(cases); c++) {
		const char *pass = cases[c].encrypted ? f->pass : NULL;
		const uint8_t msg[] = "OC1:backup";
		uint8_t s1[64], s2[64], r1[64], r2[64], seeds[3][32];
		static unsigned char bk[1 << 16];
		static const char *const files[] = {"root.key", "log.key", NULL};
		const struct keys_info *a, *b;
		char p[256], other[256];
		struct keys *ks, *rs;
		struct stat st;
		struct err e;
		size_t na, nb, i, blen;

		fixture_remove(f->dir);
		fixture_remove(f->restore);
		unlink(f->backup);
		init_ok(f->dir, pass, 3);
		ks = open_ok(f->dir, pass);
		err_clear(&e);
		assert_int_equal(keys_rotate(ks, ALG_NONE, T0 + 100, NULL, &e), 0);
		assert_int_equal(keys_sign(ks, msg, sizeof(msg), s1, NULL, NULL, &e), 0);
		assert_int_equal(keys_sign_log(ks, msg, sizeof(msg), s2, &e), 0);

		/* a backup is never in clear */
		err_clear(&e);
		assert_int_equal(keys_backup(ks, f->backup, NULL, &e), -1);
		expect_input_error(&e, "备份必须加密");
		assert_int_equal(keys_backup(ks, f->backup, "", &e), -1);
		assert_int_equal(access(f->backup, F_OK), -1);

		err_clear(&e);
		if (keys_backup(ks, f->backup, f->bpass, &e) != 0)
			fail_msg("backup: %s", e.msg);
		assert_int_equal(stat(f->backup, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0600);
		/* an existing file is not overwritten */
		assert_int_equal(keys_backup(ks, f->backup, f->bpass, &e), -1);
		expect_input_error(&e, "已存在");

		/* no key material in clear: no seed, public key or index text */
		blen = read_bytes(f->backup, bk, sizeof(bk));
		assert_true(blen > 64 && blen < sizeof(bk));
		for (i = 0; files[i]; i++) {
			path_in(p, sizeof(p), f->dir, files[i]);
			file_seed(p, PASS, seeds[i]);
		}
		issuing_file(ks, f->dir, p, sizeof(p));
		file_seed(p, PASS, seeds[2]);
		for (i = 0; i < 3; i++)
			assert_false(contains(bk, blen, seeds[i], 16));
		keys_list(ks, &na);
		for (i = 0; i < na; i++)
			assert_false(contains(bk, blen, keys_list(ks, &na)[i].pk, 16));
		assert_false(contains(bk, blen, (const uint8_t *)"OPCKEY01", 8));
		assert_false(contains(bk, blen, (const uint8_t *)"Ed25519", 7));

		/* restoring: wrong passphrase, a non-empty target, a corrupted file */
		err_clear(&e);
		assert_int_equal(keys_restore(f->backup, f->wrong, f->restore, &e), -1);
		expect_input_error(&e, "口令错误或备份文件已损坏");
		assert_int_equal(access(f->restore, F_OK), -1);
		assert_int_equal(keys_restore(f->backup, NULL, f->restore, &e), -1);
		expect_input_error(&e, "备份口令");
		err_clear(&e);
		assert_int_equal(keys_restore(f->backup, f->bpass, f->dir, &e), -1);
		expect_input_error(&e, "不是空目录");
		path_in(other, sizeof(other), f->tmp.path, "corrupt.backup");
		bk[blen / 2] ^= 1;
		{
			FILE *fp = fopen(other, "wb");

			assert_non_null(fp);
			assert_int_equal(fwrite(bk, 1, blen, fp), blen);
			fclose(fp);
		}
		err_clear(&e);
		assert_int_equal(keys_restore(other, f->bpass, f->restore, &e), -1);
		expect_input_error(&e, "已损坏");
		unlink(other);

		/* restore into a new directory: same keys, identical signatures */
		err_clear(&e);
		if (keys_restore(f->backup, f->bpass, f->restore, &e) != 0)
			fail_msg("restore: %s", e.msg);
		assert_int_equal(stat(f->restore, &st), 0);
		assert_int_equal(st.st_mode & 07777, 0700);
		rs = open_ok(f->restore, pass);
		a = keys_list(ks, &na);
		b = keys_list(rs, &nb);
		assert_int_equal(na, nb);
		assert_int_equal(na, 4);
		for (i = 0; i < na; i++) {
			assert_int_equal(a[i].role, b[i].role);
			assert_memory_equal(a[i].pk, b[i].pk, 32);
			assert_int_equal(a[i].not_before, b[i].not_before);
			assert_int_equal(a[i].not_after, b[i].not_after);
			assert_int_equal(a[i].has_secret, b[i].has_secret);
			assert_int_equal(a[i].encrypted, b[i].encrypted);
		}
		assert_string_equal(keys_log_name(ks), keys_log_name(rs));
		err_clear(&e);
		assert_int_equal(keys_sign(rs, msg, sizeof(msg), r1, NULL, NULL, &e), 0);
		assert_int_equal(keys_sign_log(rs, msg, sizeof(msg), r2, &e), 0);
		assert_memory_equal(s1, r1, 64);
		assert_memory_equal(s2, r2, 64);
		{
			char *t1 = keys_trust_export(ks, NULL, 0, T0 + 500, &e);
			char *t2 = keys_trust_export(rs, NULL, 0, T0 + 500, &e);

			assert_non_null(t1);
			assert_non_null(t2);
			assert_string_equal(t1, t2);
			free(t1);
			free(t2);
		}
		keys_close(rs);
		keys_close(ks);
		sodium_memzero(seeds, sizeof(seeds));
	}
}

/* ---- wiping ---- */

static void test_no_secret_left_in_store(void **state)
{
	static const struct {
		int encrypted;
	} cases[] = {{0}, {1}};
	struct fx *f = *state;
	size_t c;

	for (c = 0; c < COUNT(cases); c++) {
		const char *pass = cases[c].encrypted ? f->pass : NULL;
		uint8_t seeds[3][32], sig[64], sig2[64], pk[32], sk2[64];
		const uint8_t msg[] = "wipe";
		struct keys_signer *sg;
		size_t n = 0;
		char p[256];
		struct keys *ks;
		struct err e;
		size_t i;

		fixture_remove(f->dir);
		init_ok(f->dir, pass, 3);
		ks = open_ok(f->dir, pass);
		path_in(p, sizeof(p), f->dir, "root.key");
		file_seed(p, PASS, seeds[0]);
		path_in(p, sizeof(p), f->dir, "log.key");
		file_seed(p, PASS, seeds[1]);
		issuing_file(ks, f->dir, p, sizeof(p));
		file_seed(p, PASS, seeds[2]);

		/* memscan sees what the store does hold */
		assert_true(keys_memscan(ks, keys_get(ks, KEYS_ROOT)->pk, 32));
		if (pass)
			assert_true(keys_memscan(ks, (const uint8_t *)PASS, strlen(PASS)));

		err_clear(&e);
		assert_int_equal(keys_sign(ks, msg, sizeof(msg), sig, NULL, NULL, &e), 0);
		assert_int_equal(keys_sign_log(ks, msg, sizeof(msg), sig, &e), 0);
		{
			char *t = keys_trust_export(ks, NULL, 0, T0, &e);

			assert_non_null(t);
			free(t);
		}
		for (i = 0; i < 3; i++) {
			crypto_sign_seed_keypair(pk, sk2, seeds[i]);
			assert_false(keys_memscan(ks, seeds[i], 32));
			assert_false(keys_memscan(ks, sk2, 64));
		}

		/* a signer for bulk signing holds the current issuing key outside the
		 * store's memory, and signs as that key after the store is closed */
		sg = keys_signer_open(ks, KEYS_ISSUING, &e);
		assert_non_null(sg);
		assert_false(keys_memscan(ks, seeds[2], 32));
		assert_memory_equal(keys_signer_info(sg)->pk, keys_get(ks, KEYS_ISSUING)->pk, 32);
		keys_close(ks);
		assert_int_equal(keys_signer_sign(sg, msg, sizeof(msg), sig, &n, &e), 0);
		assert_int_equal(n, 64);
		crypto_sign_seed_keypair(pk, sk2, seeds[2]);
		crypto_sign_detached(sig2, NULL, msg, sizeof(msg), sk2);
		assert_memory_equal(sig, sig2, 64);
		keys_signer_close(sg);
		sodium_memzero(sk2, sizeof(sk2));
		sodium_memzero(seeds, sizeof(seeds));
	}
}

/* ---- SM2 issuing keys ---- */

/* Flip one byte of a file at off. */
static void flip_byte(const char *path, long off)
{
	FILE *fp = fopen(path, "r+b");
	int c;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	c = fgetc(fp);
	assert_int_equal(fseek(fp, off, SEEK_SET), 0);
	fputc(c ^ 1, fp);
	assert_int_equal(fclose(fp), 0);
}

static void test_sm2_issuing_key(void **state)
{
	struct fx *f = *state;
	size_t c;

	for (c = 0; c < 2; c++) {
		const char *pass = c ? f->pass : NULL;
		struct keys_options o = FAST;
		const struct keys_info *ki, *list;
		uint8_t sig[64], kid[KID_LEN], pk[SM2_PK_LEN], scalar[32], sm2pk[SM2_PK_LEN];
		uint8_t zeros[32] = {0};
		unsigned char b[256];
		const uint8_t msg[] = "SM2 签发密钥";
		struct keys_signer *sg;
		size_t siglen = 0;
		enum sig_alg alg = ALG_NONE;
		char p[256], q[256];
		struct keys *ks, *rs;
		struct err e;
		size_t n;

		fixture_remove(f->dir);
		fixture_remove(f->restore);
		unlink(f->backup);
		o.issuing_alg = ALG_SM2;
		err_clear(&e);
		assert_int_equal(keys_init(f->dir, pass, &o, T0, &e), 3);
		ks = open_ok(f->dir, pass);
		ki = keys_get(ks, KEYS_ISSUING);
		assert_int_equal(ki->alg, ALG_SM2);
		assert_int_equal(ki->pk_len, SM2_PK_LEN);
		assert_int_equal(ki->pk[0], 0x04);
		assert_int_equal(keys_get(ks, KEYS_ROOT)->alg, ALG_ED25519);
		assert_int_equal(keys_get(ks, KEYS_LOG)->alg, ALG_ED25519);
		memcpy(sm2pk, ki->pk, SM2_PK_LEN);

		/* the file by its documented layout: 185 bytes, alg 2, the point at 72, the
		 * scalar (clear or sealed) at 137 */
		issuing_file(ks, f->dir, p, sizeof(p));
		assert_int_equal(read_bytes(p, b, sizeof(b)), 185);
		assert_memory_equal(b, "OPCKEY01", 8);
		assert_int_equal(b[8], KEYS_ISSUING);
		assert_int_equal(b[9], 2);
		assert_memory_equal(b + 72, sm2pk, SM2_PK_LEN);
		if (!pass) {
			memcpy(scalar, b + 137, 32);
			assert_memory_equal(b + 169, zeros, 16);
		} else {
			uint8_t key[32];

			assert_int_equal(b[10], 1);
			assert_int_equal(crypto_pwhash(key, sizeof(key), PASS, strlen(PASS), b + 32,
			                               get64(b + 16), (size_t)get64(b + 24),
			                               crypto_pwhash_ALG_ARGON2ID13),
			                 0);
			assert_int_equal(
			    crypto_secretbox_open_easy(scalar, b + 137, 48, b + 48, key), 0);
		}
		assert_int_equal(sm2_public(scalar, pk, &e), 0);
		assert_memory_equal(pk, sm2pk, SM2_PK_LEN);

		/* signing with it: SM2 r || s that verifies under the listed point */
		err_clear(&e);
		assert_int_equal(keys_sign(ks, msg, sizeof(msg), sig, kid, &alg, &e), 0);
		assert_int_equal(alg, ALG_SM2);
		assert_memory_equal(kid, ki->kid, KID_LEN);
		assert_int_equal(sm2_verify(sm2pk, SM2_PK_LEN, msg, sizeof(msg), sig, 64), 1);
		assert_int_equal(sm2_verify(sm2pk, SM2_PK_LEN, msg, sizeof(msg) - 1, sig, 64), 0);
		/* its signer: SM2, the listed key, signatures that verify; the scalar
		 * stays out of the store's memory */
		sg = keys_signer_open(ks, KEYS_ISSUING, &e);
		assert_non_null(sg);
		assert_int_equal(keys_signer_info(sg)->alg, ALG_SM2);
		assert_memory_equal(keys_signer_info(sg)->kid, ki->kid, KID_LEN);
		assert_int_equal(keys_signer_sign(sg, msg, sizeof(msg), sig, &siglen, &e), 0);
		assert_int_equal(siglen, 64);
		assert_int_equal(sm2_verify(sm2pk, SM2_PK_LEN, msg, sizeof(msg), sig, 64), 1);
		assert_false(keys_memscan(ks, scalar, 32));
		keys_signer_close(sg);

		/* backup and restore keep it */
		write_text(f->bpass, "备份口令\n");
		assert_int_equal(keys_backup(ks, f->backup, f->bpass, &e), 0);
		if (keys_restore(f->backup, f->bpass, f->restore, &e) != 0)
			fail_msg("restore: %s", e.msg);
		rs = open_ok(f->restore, pass);
		assert_int_equal(keys_get(rs, KEYS_ISSUING)->alg, ALG_SM2);
		assert_memory_equal(keys_get(rs, KEYS_ISSUING)->pk, sm2pk, SM2_PK_LEN);
		assert_int_equal(keys_sign(rs, msg, sizeof(msg), sig, NULL, NULL, &e), 0);
		assert_int_equal(sm2_verify(sm2pk, SM2_PK_LEN, msg, sizeof(msg), sig, 64), 1);
		keys_close(rs);

		/* a damaged SM2 file is refused: its point, its algorithm byte */
		path_in(q, sizeof(q), f->restore, keys_get(ks, KEYS_ISSUING)->file);
		flip_byte(q, 100);
		assert_null(keys_open(f->restore, pass, &FAST, &e));
		expect_input_error(&e, "已损坏");
		flip_byte(q, 100);
		flip_byte(q, 9); /* 2 -> 3 */
		assert_null(keys_open(f->restore, pass, &FAST, &e));
		expect_input_error(&e, "已损坏");

		/* rotating back to Ed25519: the SM2 key stays listed, retired */
		assert_int_equal(keys_rotate(ks, ALG_ED25519, T0 + 60, NULL, &e), 0);
		assert_int_equal(keys_get(ks, KEYS_ISSUING)->alg, ALG_ED25519);
		assert_int_equal(keys_get(ks, KEYS_ISSUING)->pk_len, 32);
		list = keys_list(ks, &n);
		assert_int_equal(n, 4);
		assert_int_equal(list[2].alg, ALG_SM2);
		assert_int_equal(list[2].not_after, T0 + 60);
		assert_false(list[2].has_secret);
		keys_close(ks);
		ks = open_ok(f->dir, pass);
		list = keys_list(ks, &n);
		assert_int_equal(list[2].alg, ALG_SM2);
		assert_memory_equal(list[2].pk, sm2pk, SM2_PK_LEN);
		/* an unknown algorithm is refused */
		assert_int_equal(keys_rotate(ks, (enum sig_alg)7, T0 + 70, NULL, &e), -1);
		expect_input_error(&e, "算法");
		keys_close(ks);
		sodium_memzero(scalar, sizeof(scalar));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_init_creates_private_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_init_log_name_and_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_refuses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mode_checked_on_use, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sign_verify, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_signer, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_signer_same_credential, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_encrypted_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_rotate_keeps_old_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_backup_restore, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_secret_left_in_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sm2_issuing_key, setup, teardown),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
