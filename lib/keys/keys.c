/*
 * keys.c - the key store (keys.h): creating, rotating, listing and using
 * the root, issuing and log keys, and exporting the signed trust list.  The
 * data key is in keys_data.c, the encrypted backup and its restore in
 * keys_backup.c; what the three share, in keys_int.h.
 *
 * Threat model.
 * - Someone who can write the database but cannot read the keys.  No key
 *   material and no key period lives in the database: the trust list is
 *   built from this directory alone (the database supplies only issuer
 *   names).  Without a private key such a person can add or change rows but
 *   cannot sign a credential, a trust list or a checkpoint for them.  The
 *   directory must be 0700 and each private key file 0600, checked on every
 *   open and every use: a wider mode is refused, not silently repaired, so
 *   the operator learns that something changed it.  Files are opened with
 *   O_NOFOLLOW and key files are never overwritten (linkat, not rename).
 * - Someone who obtains the files (a copied disk, a lost backup).  Key files
 *   may be encrypted with a passphrase (Argon2id + XSalsa20-Poly1305); a
 *   backup always is, under its own passphrase and salt.  A loaded seed must
 *   derive the public key recorded in keys.json, so a swapped or altered key
 *   file is refused.
 * - A key that leaks after its retirement.  Rotation sets the old key's
 *   not_after in the root-signed trust list, so verifiers refuse what it
 *   signs with a later issue time (a backdated issue time is caught online
 *   by the transparency log), and rotation deletes the old private key file,
 *   so this store no longer holds it to leak.  Backups made before the
 *   rotation still hold it: they are to be replaced (docs).
 * - Memory.  A secret is read from disk only when it is used, into
 *   sodium_malloc'd (guard-paged, mlocked) memory owned by a signer, kept
 *   no-access between signatures and wiped when the signer closes; no
 *   function hands secret bytes to its caller.  The store keeps only public
 *   data and the passphrase, which stays no-access between uses.  Someone
 *   who runs code as the store's user while it signs is not defended
 *   against.
 */
#include "keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "b64.h"
#include "keys_int.h"
#include "sm2.h"

#define INDEX_MAX (256 * 1024)
#define PASS_MAX  1024
#define SEED_LEN  crypto_sign_SEEDBYTES

/* A secret key in memory: Ed25519 as libsodium holds it (seed, then the
 * public key); SM2 the 32-byte scalar, then zeros. */
#define KEYS_SK_LEN 64

/* ---- small helpers ---- */

static const char *role_name(enum keys_role r)
{
	return r == KEYS_ROOT ? "root" : r == KEYS_ISSUING ? "issuing" : "log";
}

static const char *alg_name(enum sig_alg a)
{
	return a == ALG_SM2 ? "SM2" : "Ed25519";
}

/* Public key bytes of an algorithm. */
static size_t alg_pk_len(enum sig_alg a)
{
	return a == ALG_SM2 ? SM2_PK_LEN : KEYS_PK_LEN;
}

/*
 * Read a passphrase file into sodium_malloc'd memory (*out, *len), one
 * trailing "\n" or "\r\n" stripped.
 */
int keys_pass_load(const char *path, unsigned char **out, size_t *len, struct err *e)
{
	unsigned char *buf;
	size_t n = 0;
	int fd;

	*out = NULL;
	*len = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return err_input(e, "口令文件 %s 不存在", path);
		return err_system(e, "无法打开口令文件 %s：%s", path, err_errno_text(errno));
	}
	buf = smalloc(PASS_MAX + 3, e);
	if (!buf) {
		close(fd);
		return -1;
	}
	if (read_full(fd, buf, PASS_MAX + 3, &n) != 0) {
		int en = errno;

		close(fd);
		sfree(buf);
		if (en == EISDIR)
			return err_input(e, "口令文件 %s 是目录", path);
		return err_system(e, "无法读取口令文件 %s：%s", path, err_errno_text(en));
	}
	close(fd);
	if (n && buf[n - 1] == '\n')
		n--;
	if (n && buf[n - 1] == '\r')
		n--;
	if (n == 0 || n > PASS_MAX) {
		sfree(buf);
		return err_input(e,
		                 n ? "口令文件 %s 过大（口令最多 %d 字节）" : "口令文件 %s 是空的",
		                 path, PASS_MAX);
	}
	*out = smalloc(n, e);
	if (!*out) {
		sfree(buf);
		return -1;
	}
	memcpy(*out, buf, n);
	sfree(buf);
	*len = n;
	sodium_mprotect_noaccess(*out);
	return 0;
}

/* Argon2id key (32 bytes, into sodium_malloc'd key) from a readable passphrase. */
int keys_derive(const unsigned char *pass, size_t plen, const uint8_t *salt, unsigned long long ops,
                unsigned long long mem, unsigned char *key, struct err *e)
{
	if (crypto_pwhash(key, crypto_secretbox_KEYBYTES, (const char *)pass, plen, salt, ops,
	                  (size_t)mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_system(e, "由口令派生密钥失败（内存不足？）");
	return 0;
}

/* ---- writing files ---- */

/*
 * Write data to a new file name in dirfd, mode 0600, fsync'd.  With replace
 * the file may exist and is replaced atomically; without, an existing file
 * is an error and is left alone.
 */
int keys_install(struct keys *ks, const char *name, const void *data, size_t len, int replace,
                 struct err *e)
{
	uint8_t r[8];
	char tmp[32], hex[17];
	int fd, rc;

	randombytes_buf(r, sizeof(r));
	sodium_bin2hex(hex, sizeof(hex), r, sizeof(r));
	snprintf(tmp, sizeof(tmp), ".tmp-%s", hex);
	fd = openat(ks->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_system(e, "无法在密钥目录 %s 中创建文件：%s", ks->dir,
		                  err_errno_text(errno));
	if (fchmod(fd, 0600) != 0 || write_full(fd, data, len) != 0 || fsync(fd) != 0) {
		int en = errno;

		close(fd);
		unlinkat(ks->dirfd, tmp, 0);
		return err_system(e, "无法写入密钥目录 %s：%s", ks->dir, err_errno_text(en));
	}
	if (close(fd) != 0) {
		unlinkat(ks->dirfd, tmp, 0);
		return err_system(e, "无法写入密钥目录 %s：%s", ks->dir, err_errno_text(errno));
	}
	if (replace) {
		rc = renameat(ks->dirfd, tmp, ks->dirfd, name);
	} else {
		rc = linkat(ks->dirfd, tmp, ks->dirfd, name, 0);
		if (rc == 0 || errno == EEXIST) {
			int en = errno;

			unlinkat(ks->dirfd, tmp, 0);
			errno = en;
		}
	}
	if (rc != 0) {
		int en = errno;

		unlinkat(ks->dirfd, tmp, 0);
		if (en == EEXIST)
			return err_input(e, "密钥目录 %s 中已有 %s，不覆盖", ks->dir, name);
		return err_system(e, "无法写入 %s/%s：%s", ks->dir, name, err_errno_text(en));
	}
	if (fsync(ks->dirfd) != 0)
		return err_system(e, "无法同步密钥目录 %s：%s", ks->dir, err_errno_text(errno));
	return 0;
}

/* ---- private key files ---- */

/* The header of a key file of size bytes (KF_SIZE or KF_SIZE2; b holds at least size - KF_SECRET).
 */
int keys_kf_parse(const unsigned char *b, size_t size, const char *name, struct kf_hdr *h,
                  struct err *e)
{
	const char *why = NULL;

	if (memcmp(b, KF_MAGIC, 8) != 0)
		why = "不是 opcert 密钥文件";
	else if (b[8] < KEYS_ROOT || b[8] > KEYS_LOG)
		why = "用途未知";
	else if (b[9] != ALG_ED25519 && b[9] != ALG_SM2)
		why = "算法不受支持";
	else if (b[9] == ALG_SM2 && b[8] != KEYS_ISSUING)
		why = "根密钥和日志密钥只能是 Ed25519";
	else if (size != kf_size((enum sig_alg)b[9]))
		why = "长度与算法不符";
	else if (b[10] != ENC_CLEAR && b[10] != ENC_PWBOX)
		why = "加密方式未知";
	else if (!is_zero(b + 11, 5))
		why = "保留字节非零";
	if (why)
		return err_input(e, "密钥文件 %s 已损坏：%s", name, why);
	h->role = b[8];
	h->alg = b[9];
	h->enc = b[10];
	h->ops = get64(b + 16);
	h->mem = get64(b + 24);
	memcpy(h->salt, b + 32, sizeof(h->salt));
	memcpy(h->nonce, b + 48, sizeof(h->nonce));
	h->pk_len = alg_pk_len((enum sig_alg)h->alg);
	memcpy(h->pk, b + KF_PK, h->pk_len);
	if (h->enc == ENC_CLEAR && !is_zero(b + 16, 56))
		return err_input(e, "密钥文件 %s 已损坏：未加密却带有加密参数", name);
	if (h->enc == ENC_PWBOX && !limits_ok(h->ops, h->mem))
		return err_input(e, "密钥文件 %s 已损坏：口令派生参数超出范围", name);
	return 0;
}

/* The header must be the one keys.json describes for ki. */
int keys_kf_match(const struct kf_hdr *h, const struct keys_info *ki, struct err *e)
{
	if (h->role != (int)ki->role || h->alg != (int)ki->alg || h->pk_len != ki->pk_len ||
	    sodium_memcmp(h->pk, ki->pk, h->pk_len) != 0)
		return err_input(e, "密钥文件 %s 已损坏：与 keys.json 记录的密钥不符", ki->file);
	return 0;
}

/*
 * Open a private key file: regular, not a link, mode 0600 or narrower,
 * KF_SIZE or KF_SIZE2 bytes (in *size).  Returns 0 with *fd, 1 when
 * absent, -1 on error.
 */
int keys_kf_open(const struct keys *ks, const char *name, int *fd, size_t *size, struct err *e)
{
	struct stat st;

	*fd = openat(ks->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (*fd < 0) {
		if (errno == ENOENT)
			return 1;
		if (errno == ELOOP)
			return err_input(e, "密钥文件 %s/%s 是符号链接，拒绝使用", ks->dir, name);
		return err_system(e, "无法打开密钥文件 %s/%s：%s", ks->dir, name,
		                  err_errno_text(errno));
	}
	if (fstat(*fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(*fd);
		return err_input(e, "密钥文件 %s/%s 不是普通文件", ks->dir, name);
	}
	if (st.st_mode & 077) {
		close(*fd);
		return err_input(e,
		                 "密钥文件 %s/%s 的权限为 %04o，过于宽松；请执行：chmod 600 %s/%s",
		                 ks->dir, name, (unsigned)(st.st_mode & 07777), ks->dir, name);
	}
	if (st.st_size != KF_SIZE && st.st_size != KF_SIZE2) {
		close(*fd);
		return err_input(e, "密钥文件 %s/%s 已损坏：长度不对", ks->dir, name);
	}
	*size = (size_t)st.st_size;
	return 0;
}

/*
 * The secret key of ki into sk (KEYS_SK_LEN bytes), which the caller
 * allocated with sodium_malloc: Ed25519 in libsodium's 64-byte form, SM2
 * the 32-byte scalar followed by 32 zero bytes.  Everything else secret is
 * wiped here.
 */
static int load_sk(const struct keys *ks, const struct keys_info *ki, unsigned char *sk,
                   struct err *e)
{
	unsigned char *buf = NULL, *seed = NULL, *key = NULL;
	uint8_t pk[TRUST_PK_MAX];
	struct kf_hdr h;
	size_t got = 0, size = 0, hdr;
	int fd, rc;

	rc = keys_kf_open(ks, ki->file, &fd, &size, e);
	if (rc == 1)
		return err_input(e, "密钥文件 %s/%s 缺失；请从备份恢复密钥目录", ks->dir, ki->file);
	if (rc != 0)
		return -1;
	rc = -1;
	hdr = size - KF_SECRET;
	buf = smalloc(KF_MAX, e);
	seed = buf ? smalloc(SEED_LEN, e) : NULL;
	if (!seed) {
		close(fd);
		goto out;
	}
	if (read_full(fd, buf, size, &got) != 0 || got != size) {
		close(fd);
		err_system(e, "无法读取密钥文件 %s/%s", ks->dir, ki->file);
		goto out;
	}
	close(fd);
	if (keys_kf_parse(buf, size, ki->file, &h, e) != 0 || keys_kf_match(&h, ki, e) != 0)
		goto out;
	if (h.enc == ENC_CLEAR) {
		if (!is_zero(buf + hdr + SEED_LEN, KF_SECRET - SEED_LEN)) {
			err_input(e, "密钥文件 %s 已损坏：填充字节非零", ki->file);
			goto out;
		}
		memcpy(seed, buf + hdr, SEED_LEN);
	} else {
		if (!ks->pass) {
			err_input(e,
			          "密钥文件 %s 已用口令加密；请用 --passphrase-file FILE 或 "
			          "$OPCERT_PASSPHRASE_FILE 提供口令文件",
			          ki->file);
			goto out;
		}
		key = smalloc(crypto_secretbox_KEYBYTES, e);
		if (!key)
			goto out;
		pass_unlock(ks);
		rc = keys_derive(ks->pass, ks->pass_len, h.salt, h.ops, h.mem, key, e);
		pass_lock(ks);
		if (rc != 0) {
			rc = -1;
			goto out;
		}
		rc = -1;
		if (crypto_secretbox_open_easy(seed, buf + hdr, KF_SECRET, h.nonce, key) != 0) {
			err_input(e, "口令错误或密钥文件已损坏（%s/%s）", ks->dir, ki->file);
			goto out;
		}
	}
	if (ki->alg == ALG_SM2) {
		memset(sk, 0, KEYS_SK_LEN);
		memcpy(sk, seed, SM2_SK_LEN);
		if (sm2_public(seed, pk, e) != 0) {
			sodium_memzero(sk, KEYS_SK_LEN);
			err_input(e, "密钥文件 %s 已损坏：SM2 私钥无效", ki->file);
			goto out;
		}
	} else {
		crypto_sign_seed_keypair(pk, sk, seed);
	}
	if (sodium_memcmp(pk, ki->pk, ki->pk_len) != 0) {
		sodium_memzero(sk, KEYS_SK_LEN);
		err_input(e, "密钥文件 %s 已损坏：私钥与公钥不符", ki->file);
		goto out;
	}
	rc = 0;
out:
	sfree(key);
	sfree(seed);
	sfree(buf);
	return rc;
}

static void file_name(enum keys_role role, const uint8_t kid[KID_LEN], char out[32])
{
	char hex[2 * KID_LEN + 1];

	if (role == KEYS_ISSUING)
		snprintf(out, 32, "issuing-%s.key", trust_kid_hex(kid, hex));
	else
		snprintf(out, 32, "%s.key", role_name(role));
}

/* A new key pair for role, written to its file; its public facts in *ki. */
static int kf_create(struct keys *ks, enum keys_role role, enum sig_alg alg, int64_t now,
                     struct keys_info *ki, struct err *e)
{
	unsigned char *seed, *sk = NULL, *buf = NULL, *key = NULL;
	uint8_t pk[TRUST_PK_MAX];
	size_t pk_len = alg_pk_len(alg), size = kf_size(alg), hdr = size - KF_SECRET;
	int rc = -1;

	if (alg != ALG_ED25519 && (alg != ALG_SM2 || role != KEYS_ISSUING))
		return err_input(e, "%s 密钥只能用 Ed25519", role_name(role));
	seed = smalloc(SEED_LEN, e);
	sk = seed ? smalloc(KEYS_SK_LEN, e) : NULL;
	buf = sk ? smalloc(KF_MAX, e) : NULL;
	if (!buf)
		goto out;
	if (alg == ALG_SM2) {
		if (sm2_keygen(seed, pk, e) != 0)
			goto out;
	} else {
		randombytes_buf(seed, SEED_LEN);
		crypto_sign_seed_keypair(pk, sk, seed);
	}
	memset(buf, 0, KF_MAX);
	memcpy(buf, KF_MAGIC, 8);
	buf[8] = (unsigned char)role;
	buf[9] = (unsigned char)alg;
	memcpy(buf + KF_PK, pk, pk_len);
	if (ks->pass) {
		buf[10] = ENC_PWBOX;
		put64(buf + 16, ks->opslimit);
		put64(buf + 24, ks->memlimit);
		randombytes_buf(buf + 32, crypto_pwhash_SALTBYTES);
		randombytes_buf(buf + 48, crypto_secretbox_NONCEBYTES);
		key = smalloc(crypto_secretbox_KEYBYTES, e);
		if (!key)
			goto out;
		pass_unlock(ks);
		rc = keys_derive(ks->pass, ks->pass_len, buf + 32, ks->opslimit, ks->memlimit, key,
		                 e);
		pass_lock(ks);
		if (rc != 0)
			goto out;
		rc = -1;
		crypto_secretbox_easy(buf + hdr, seed, SEED_LEN, buf + 48, key);
	} else {
		buf[10] = ENC_CLEAR;
		memcpy(buf + hdr, seed, SEED_LEN);
	}
	memset(ki, 0, sizeof(*ki));
	ki->role = role;
	ki->alg = alg;
	memcpy(ki->pk, pk, pk_len);
	ki->pk_len = pk_len;
	trust_kid(pk, pk_len, ki->kid);
	ki->created = now;
	ki->not_before = now;
	ki->has_secret = 1;
	ki->encrypted = ks->pass != NULL;
	file_name(role, ki->kid, ki->file);
	rc = keys_install(ks, ki->file, buf, size, 0, e);
out:
	sfree(key);
	sfree(buf);
	sfree(sk);
	sfree(seed);
	return rc;
}

/* ---- the index, keys.json ---- */

static json_t *b64_json(const uint8_t *p, size_t n)
{
	char buf[sodium_base64_ENCODED_LEN(TRUST_PK_MAX, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	sodium_bin2base64(buf, sizeof(buf), p, n, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return json_string(buf);
}

char *keys_index_json(const struct keys *ks)
{
	json_t *top, *arr;
	char hex[2 * KID_LEN + 1];
	char *out = NULL, *text;
	size_t i;

	arr = json_array();
	top = json_pack("{s:i, s:O}", "version", 1, "keys", arr);
	if (!top)
		goto out;
	for (i = 0; i < ks->n; i++) {
		const struct keys_info *ki = &ks->info[i];
		json_t *o =
		    json_pack("{s:s, s:s, s:s, s:o, s:I, s:I, s:o}", "role", role_name(ki->role),
		              "kid", trust_kid_hex(ki->kid, hex), "alg", alg_name(ki->alg), "pk",
		              b64_json(ki->pk, ki->pk_len), "created", (json_int_t)ki->created,
		              "not_before", (json_int_t)ki->not_before, "not_after",
		              ki->not_after ? json_integer(ki->not_after) : json_null());

		if (o && ki->role == KEYS_LOG &&
		    json_object_set_new(o, "name", json_string(ks->log_name)) != 0) {
			json_decref(o);
			o = NULL;
		}
		if (!o || json_array_append_new(arr, o) != 0)
			goto out;
	}
	text = json_dumps(top, JSON_INDENT(2));
	if (text) {
		size_t n = strlen(text);

		out = malloc(n + 2);
		if (out) {
			memcpy(out, text, n);
			memcpy(out + n, "\n", 2);
		}
		free(text);
	}
out:
	json_decref(top);
	json_decref(arr);
	return out;
}

static int idx_err(struct err *e, const char *what)
{
	return err_input(e, "keys.json 已损坏：%s", what);
}

static int get_time(const json_t *v, int64_t *t)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		return -1;
	*t = (int64_t)json_integer_value(v);
	return 0;
}

static int parse_hex_kid(const char *s, size_t len, uint8_t kid[KID_LEN])
{
	size_t i;

	if (len != 2 * KID_LEN)
		return -1;
	for (i = 0; i < len; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		if (i % 2 == 0)
			kid[i / 2] = (uint8_t)(d << 4);
		else
			kid[i / 2] |= (uint8_t)d;
	}
	return 0;
}

/* A public key of want bytes in unpadded base64url. */
static int parse_b64_pk(const json_t *v, uint8_t pk[TRUST_PK_MAX], size_t want)
{
	const char *s = json_string_value(v);
	size_t n = 0, chars = (want * 4 + 2) / 3;

	if (!s || json_string_length(v) != chars ||
	    b64_decode(s, chars, B64_URLSAFE, pk, TRUST_PK_MAX, &n) != 0 || n != want)
		return -1;
	return 0;
}

static int info_cmp(const void *a, const void *b)
{
	const struct keys_info *x = a, *y = b;
	static const int order[] = {0, 0, 2, 1}; /* root, log, issuing */

	if (x->role != y->role)
		return order[x->role] - order[y->role];
	if (x->not_before != y->not_before)
		return x->not_before < y->not_before ? -1 : 1;
	return memcmp(x->kid, y->kid, KID_LEN);
}

/*
 * Parse keys.json text into ks->info, ks->n and ks->log_name.  With
 * complete the root, the log key and one current issuing key must be there.
 */
int keys_index_parse(struct keys *ks, const char *text, size_t len, int complete, struct err *e)
{
	json_error_t jerr;
	json_t *top;
	const json_t *arr, *v;
	size_t i, j, nroot = 0, nlog = 0, ncur = 0;
	int rc = -1;

	ks->n = 0;
	ks->log_name[0] = '\0';
	top = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	if (!top)
		return err_input(e, "keys.json 已损坏：不是有效的 JSON（第 %d 行：%s）", jerr.line,
		                 jerr.text);
	v = json_object_get(top, "version");
	arr = json_object_get(top, "keys");
	if (!json_is_object(top) || json_object_size(top) != 2 || !json_is_integer(v) ||
	    json_integer_value(v) != 1 || !json_is_array(arr)) {
		idx_err(e, "顶层结构不对或版本不受支持");
		goto out;
	}
	if (json_array_size(arr) > KEYS_MAX) {
		idx_err(e, "密钥过多");
		goto out;
	}
	for (i = 0; i < json_array_size(arr); i++) {
		struct keys_info *ki = &ks->info[i];
		const json_t *o = json_array_get(arr, i);
		const char *role = json_string_value(json_object_get(o, "role"));
		const char *alg = json_string_value(json_object_get(o, "alg"));
		const json_t *kid = json_object_get(o, "kid");
		const json_t *na = json_object_get(o, "not_after");
		uint8_t want[KID_LEN];
		size_t members = 7;

		memset(ki, 0, sizeof(*ki));
		if (!json_is_object(o) || !role || !alg || !json_is_string(kid) || !na) {
			idx_err(e, "密钥条目缺少字段");
			goto out;
		}
		if (strcmp(role, "root") == 0) {
			ki->role = KEYS_ROOT;
			nroot++;
		} else if (strcmp(role, "issuing") == 0) {
			ki->role = KEYS_ISSUING;
		} else if (strcmp(role, "log") == 0) {
			ki->role = KEYS_LOG;
			nlog++;
			members = 8; /* and "name" */
		} else {
			idx_err(e, "密钥用途未知");
			goto out;
		}
		if (strcmp(alg, "Ed25519") == 0) {
			ki->alg = ALG_ED25519;
		} else if (strcmp(alg, "SM2") == 0 && ki->role == KEYS_ISSUING) {
			ki->alg = ALG_SM2;
		} else {
			idx_err(e, "密钥算法不受支持");
			goto out;
		}
		ki->pk_len = alg_pk_len(ki->alg);
		if (json_object_size(o) != members ||
		    parse_hex_kid(json_string_value(kid), json_string_length(kid), ki->kid) != 0 ||
		    parse_b64_pk(json_object_get(o, "pk"), ki->pk, ki->pk_len) != 0 ||
		    get_time(json_object_get(o, "created"), &ki->created) != 0 ||
		    get_time(json_object_get(o, "not_before"), &ki->not_before) != 0) {
			idx_err(e, "密钥条目的字段无效");
			goto out;
		}
		trust_kid(ki->pk, ki->pk_len, want);
		if (memcmp(want, ki->kid, KID_LEN) != 0) {
			idx_err(e, "kid 与公钥不符");
			goto out;
		}
		if (json_is_null(na)) {
			ki->not_after = 0;
			if (ki->role == KEYS_ISSUING)
				ncur++;
		} else if (ki->role != KEYS_ISSUING || get_time(na, &ki->not_after) != 0 ||
		           ki->not_after == 0 || ki->not_after < ki->not_before) {
			idx_err(e, "有效期无效");
			goto out;
		}
		if (ki->role == KEYS_LOG) {
			const json_t *nm = json_object_get(o, "name");
			const char *s = json_string_value(nm);

			if (!s || strlen(s) != json_string_length(nm) || !trust_log_name_ok(s)) {
				idx_err(e, "日志密钥名称无效");
				goto out;
			}
			memcpy(ks->log_name, s, strlen(s) + 1);
		}
		for (j = 0; j < i; j++)
			if (memcmp(ks->info[j].kid, ki->kid, KID_LEN) == 0) {
				idx_err(e, "kid 重复");
				goto out;
			}
		file_name(ki->role, ki->kid, ki->file);
		ks->n = i + 1;
	}
	if (nroot > 1 || nlog > 1 || ncur > 1) {
		idx_err(e, "根密钥、日志密钥或当前签发密钥不止一个");
		goto out;
	}
	if (complete && (nroot != 1 || nlog != 1 || ncur != 1)) {
		idx_err(e, "缺少根密钥、日志密钥或当前签发密钥");
		goto out;
	}
	qsort(ks->info, ks->n, sizeof(ks->info[0]), info_cmp);
	rc = 0;
out:
	if (rc != 0)
		ks->n = 0;
	json_decref(top);
	return rc;
}

/* Read keys.json.  0 loaded, 1 absent, -1 error. */
static int index_read(struct keys *ks, int complete, struct err *e)
{
	struct stat st;
	char *text;
	size_t got = 0;
	int fd, rc;

	fd = openat(ks->dirfd, INDEX_NAME, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		return err_system(e, "无法打开 %s/%s：%s", ks->dir, INDEX_NAME,
		                  err_errno_text(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > INDEX_MAX) {
		close(fd);
		return err_input(e, "%s/%s 不是普通文件或过大", ks->dir, INDEX_NAME);
	}
	if (st.st_mode & 022) {
		close(fd);
		return err_input(e, "%s/%s 的权限为 %04o，他人可写；请执行：chmod 600 %s/%s",
		                 ks->dir, INDEX_NAME, (unsigned)(st.st_mode & 07777), ks->dir,
		                 INDEX_NAME);
	}
	text = malloc((size_t)st.st_size + 1);
	if (!text) {
		close(fd);
		return err_system(e, "内存不足");
	}
	if (read_full(fd, text, (size_t)st.st_size, &got) != 0 || got != (size_t)st.st_size) {
		close(fd);
		free(text);
		return err_system(e, "无法读取 %s/%s", ks->dir, INDEX_NAME);
	}
	close(fd);
	rc = keys_index_parse(ks, text, got, complete, e);
	free(text);
	return rc;
}

static int index_write(struct keys *ks, struct err *e)
{
	char *text = keys_index_json(ks);
	int rc;

	if (!text)
		return err_system(e, "内存不足");
	rc = keys_install(ks, INDEX_NAME, text, strlen(text), 1, e);
	free(text);
	return rc;
}

/* ---- the store ---- */

/*
 * Load the index and check every key file's header against it.  0 loaded,
 * 1 when keys.json is absent, -1 on error.
 */
int keys_load(struct keys *ks, int complete, struct err *e)
{
	unsigned char hdr[KF_MAX - KF_SECRET];
	size_t i, got = 0, size = 0;
	int rc, fd;

	rc = index_read(ks, complete, e);
	if (rc != 0)
		return rc;
	for (i = 0; i < ks->n; i++) {
		struct keys_info *ki = &ks->info[i];
		struct kf_hdr h;

		rc = keys_kf_open(ks, ki->file, &fd, &size, e);
		if (rc < 0)
			return -1;
		if (rc == 1) {
			if (required(ki))
				return err_input(e, "密钥文件 %s/%s 缺失；请从备份恢复密钥目录",
				                 ks->dir, ki->file);
			ki->has_secret = 0;
			continue;
		}
		if (read_full(fd, hdr, size - KF_SECRET, &got) != 0 || got != size - KF_SECRET) {
			close(fd);
			return err_system(e, "无法读取密钥文件 %s/%s", ks->dir, ki->file);
		}
		close(fd);
		if (keys_kf_parse(hdr, size, ki->file, &h, e) != 0 || keys_kf_match(&h, ki, e) != 0)
			return -1;
		ki->has_secret = 1;
		ki->encrypted = h.enc == ENC_PWBOX;
	}
	return 0;
}

static struct keys_info *find_role(struct keys *ks, enum keys_role role)
{
	size_t i;

	for (i = 0; i < ks->n; i++)
		if (ks->info[i].role == role &&
		    (role != KEYS_ISSUING || ks->info[i].not_after == 0))
			return &ks->info[i];
	return NULL;
}

const struct keys_info *keys_get(const struct keys *ks, enum keys_role role)
{
	return find_role((struct keys *)ks, role);
}

struct keys *keys_new(const char *dir, const struct keys_options *opt, struct err *e)
{
	struct keys *ks;

	if (sodium_init() < 0) {
		err_system(e, "libsodium 初始化失败");
		return NULL;
	}
	if (opt && ((opt->opslimit && !limits_ok(opt->opslimit, crypto_pwhash_MEMLIMIT_MIN)) ||
	            (opt->memlimit && !limits_ok(crypto_pwhash_OPSLIMIT_MIN, opt->memlimit)))) {
		err_input(e, "口令派生参数超出范围");
		return NULL;
	}
	ks = calloc(1, sizeof(*ks));
	if (!ks || !(ks->dir = strdup(dir))) {
		free(ks);
		err_system(e, "内存不足");
		return NULL;
	}
	ks->dirfd = -1;
	ks->opslimit = opt && opt->opslimit ? opt->opslimit : crypto_pwhash_OPSLIMIT_INTERACTIVE;
	ks->memlimit = opt && opt->memlimit ? opt->memlimit : crypto_pwhash_MEMLIMIT_INTERACTIVE;
	return ks;
}

void keys_close(struct keys *ks)
{
	if (!ks)
		return;
	if (ks->dirfd >= 0)
		close(ks->dirfd);
	sfree(ks->pass);
	free(ks->dir);
	free(ks);
}

/* Open the directory, check its mode, and load the passphrase. */
int keys_attach(struct keys *ks, const char *passphrase_file, struct err *e)
{
	struct stat st;

	ks->dirfd = open(ks->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ks->dirfd < 0) {
		if (errno == ENOENT)
			return err_input(e,
			                 "密钥目录 %s 不存在；请先执行 opcert key init 创建密钥"
			                 "（或用 --keys DIR 指定密钥目录）",
			                 ks->dir);
		if (errno == ENOTDIR)
			return err_input(e, "%s 不是目录", ks->dir);
		return err_system(e, "无法打开密钥目录 %s：%s", ks->dir, err_errno_text(errno));
	}
	if (fstat(ks->dirfd, &st) != 0)
		return err_system(e, "无法读取密钥目录 %s：%s", ks->dir, err_errno_text(errno));
	if (st.st_mode & 077)
		return err_input(e, "密钥目录 %s 的权限为 %04o，过于宽松；请执行：chmod 700 %s",
		                 ks->dir, (unsigned)(st.st_mode & 07777), ks->dir);
	if (passphrase_file && keys_pass_load(passphrase_file, &ks->pass, &ks->pass_len, e) != 0)
		return -1;
	return 0;
}

/*
 * Create the key directory when it is missing (mode 0700), attach to it
 * and take its lock for writing: how keys_init and keys_data_init begin.
 */
int keys_create_locked(struct keys *ks, const char *passphrase_file, struct err *e)
{
	if (mkdir(ks->dir, 0700) != 0 && errno != EEXIST) {
		if (errno == ENOENT)
			return err_input(e, "无法创建密钥目录 %s：上级目录不存在", ks->dir);
		return err_system(e, "无法创建密钥目录 %s：%s", ks->dir, err_errno_text(errno));
	}
	if (keys_attach(ks, passphrase_file, e) != 0)
		return -1;
	if (flock(ks->dirfd, LOCK_EX) != 0)
		return err_system(e, "无法锁定密钥目录 %s：%s", ks->dir, err_errno_text(errno));
	return 0;
}

struct keys *keys_open(const char *dir, const char *passphrase_file, const struct keys_options *opt,
                       struct err *e)
{
	struct keys *ks = keys_new(dir, opt, e);
	int rc;

	if (!ks)
		return NULL;
	if (keys_attach(ks, passphrase_file, e) != 0)
		goto fail;
	rc = keys_load(ks, 1, e);
	if (rc == 1)
		err_input(e, "密钥目录 %s 中没有 keys.json；请先执行 opcert key init，或从备份恢复",
		          dir);
	if (rc != 0)
		goto fail;
	return ks;
fail:
	keys_close(ks);
	return NULL;
}

/*
 * Before a key is added: a store that holds encrypted keys needs the
 * passphrase, and the passphrase must open one of them (so a mistyped one
 * never encrypts a new key).
 */
int keys_check_pass_policy(struct keys *ks, struct err *e)
{
	const struct keys_info *enc = NULL;
	unsigned char *sk;
	size_t i;
	int rc;

	for (i = 0; i < ks->n && !enc; i++)
		if (ks->info[i].has_secret && ks->info[i].encrypted)
			enc = &ks->info[i];
	if (!enc)
		return 0;
	if (!ks->pass)
		return err_input(e,
		                 "密钥目录 %s 中的密钥已用口令加密，新密钥也必须加密：请用 "
		                 "--passphrase-file FILE 或 $OPCERT_PASSPHRASE_FILE 提供口令文件",
		                 ks->dir);
	sk = smalloc(KEYS_SK_LEN, e);
	if (!sk)
		return -1;
	rc = load_sk(ks, enc, sk, e);
	sfree(sk);
	return rc;
}

/* 1 when the directory holds a file named *.key. */
static int has_key_files(const struct keys *ks)
{
	int fd = dup(ks->dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	int found = 0;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	rewinddir(d);
	while (!found && (de = readdir(d))) {
		size_t n = strlen(de->d_name);

		found = n > 4 && strcmp(de->d_name + n - 4, ".key") == 0 &&
		        strcmp(de->d_name, KEYS_DATA_FILE) != 0;
	}
	closedir(d);
	return found;
}

static int add_key(struct keys *ks, enum keys_role role, enum sig_alg alg, int64_t now,
                   struct err *e)
{
	struct keys_info ki;

	if (ks->n >= KEYS_MAX)
		return err_input(e, "密钥数量已达上限");
	if (kf_create(ks, role, alg, now, &ki, e) != 0)
		return -1;
	ks->info[ks->n++] = ki;
	return 0;
}

int keys_init(const char *dir, const char *passphrase_file, const struct keys_options *opt,
              int64_t now, struct err *e)
{
	struct keys *ks;
	int created = 0, rc;

	if (now < 0)
		return err_input(e, "时间无效");
	if (opt && opt->log_name && !trust_log_name_ok(opt->log_name))
		return err_input(e,
		                 "日志密钥名称“%s”无效：只能用可打印的 ASCII 字符，不含空格和“+”",
		                 opt->log_name);
	if (opt && opt->issuing_alg != ALG_NONE && opt->issuing_alg != ALG_ED25519 &&
	    opt->issuing_alg != ALG_SM2)
		return err_input(e, "签发密钥的算法未知");
	ks = keys_new(dir, opt, e);
	if (!ks)
		return -1;
	if (keys_create_locked(ks, passphrase_file, e) != 0)
		goto fail;
	rc = keys_load(ks, 0, e);
	if (rc < 0)
		goto fail;
	if (rc == 1 && has_key_files(ks)) {
		err_input(
		    e,
		    "密钥目录 %s 中有密钥文件却没有 keys.json：请从备份恢复，不要重新初始化"
		    "（若是初始化中断留下的、从未用过的目录，可删除后重新执行 opcert key init）",
		    dir);
		goto fail;
	}
	if ((!find_role(ks, KEYS_ROOT) || !find_role(ks, KEYS_ISSUING) ||
	     !find_role(ks, KEYS_LOG)) &&
	    keys_check_pass_policy(ks, e) != 0)
		goto fail;
	if (!find_role(ks, KEYS_ROOT)) {
		if (add_key(ks, KEYS_ROOT, ALG_ED25519, now, e) != 0)
			goto fail;
		created++;
	}
	if (!find_role(ks, KEYS_ISSUING)) {
		if (add_key(ks, KEYS_ISSUING,
		            opt && opt->issuing_alg == ALG_SM2 ? ALG_SM2 : ALG_ED25519, now,
		            e) != 0)
			goto fail;
		created++;
	}
	if (!find_role(ks, KEYS_LOG)) {
		char hex[2 * KID_LEN + 1];

		if (add_key(ks, KEYS_LOG, ALG_ED25519, now, e) != 0)
			goto fail;
		if (opt && opt->log_name)
			snprintf(ks->log_name, sizeof(ks->log_name), "%s", opt->log_name);
		else
			snprintf(ks->log_name, sizeof(ks->log_name), "opcert-log-%s",
			         trust_kid_hex(ks->info[ks->n - 1].kid, hex));
		created++;
	}
	if (created) {
		qsort(ks->info, ks->n, sizeof(ks->info[0]), info_cmp);
		if (index_write(ks, e) != 0)
			goto fail;
	}
	keys_close(ks); /* releases the lock */
	return created;
fail:
	keys_close(ks);
	return -1;
}

int keys_rotate(struct keys *ks, enum sig_alg alg, int64_t now, uint8_t new_kid[KID_LEN],
                struct err *e)
{
	struct keys_info *cur;
	size_t i, nissuing = 0;
	int rc = -1;

	if (alg != ALG_NONE && alg != ALG_ED25519 && alg != ALG_SM2)
		return err_input(e, "签发密钥的算法未知");
	if (flock(ks->dirfd, LOCK_EX) != 0)
		return err_system(e, "无法锁定密钥目录 %s：%s", ks->dir, err_errno_text(errno));
	if (keys_load(ks, 1, e) != 0) /* another process may have rotated since opening */
		goto out;
	cur = find_role(ks, KEYS_ISSUING);
	for (i = 0; i < ks->n; i++)
		nissuing += ks->info[i].role == KEYS_ISSUING;
	if (now < cur->not_before) {
		err_input(e, "当前时间早于当前签发密钥的启用时间，拒绝轮换（请检查系统时钟）");
		goto out;
	}
	if (nissuing >= TRUST_MAX_KEYS || ks->n >= KEYS_MAX) {
		err_input(e, "签发密钥已达上限 %d 个，无法再轮换", TRUST_MAX_KEYS);
		goto out;
	}
	if (alg == ALG_NONE)
		alg = cur->alg;
	if (keys_check_pass_policy(ks, e) != 0 || add_key(ks, KEYS_ISSUING, alg, now, e) != 0)
		goto out;
	cur->not_after = now;
	if (index_write(ks, e) != 0) {
		/* Not committed: forget the new key. */
		cur->not_after = 0;
		ks->n--;
		unlinkat(ks->dirfd, ks->info[ks->n].file, 0);
		goto out;
	}
	if (new_kid)
		memcpy(new_kid, ks->info[ks->n - 1].kid, KID_LEN);
	/* Committed.  Retired keys sign nothing more: delete their private key files. */
	for (i = 0; i < ks->n; i++) {
		struct keys_info *ki = &ks->info[i];

		if (ki->role == KEYS_ISSUING && ki->not_after != 0 && ki->has_secret &&
		    (unlinkat(ks->dirfd, ki->file, 0) == 0 || errno == ENOENT))
			ki->has_secret = 0;
	}
	fsync(ks->dirfd);
	rc = 0;
out:
	flock(ks->dirfd, LOCK_UN);
	return rc;
}

const struct keys_info *keys_list(const struct keys *ks, size_t *n)
{
	*n = ks->n;
	return ks->info;
}

const char *keys_log_name(const struct keys *ks)
{
	return ks->log_name;
}

/* ---- signing: the secret never leaves this file ---- */

struct keys_signer {
	struct keys_info info; /* a copy: the store may rotate while the signer lives */
	unsigned char *sk;     /* KEYS_SK_LEN, sodium_malloc'd, no access between signatures */
};

static const char *role_label(enum keys_role r)
{
	return r == KEYS_ROOT ? "根密钥" : r == KEYS_ISSUING ? "当前签发密钥" : "日志密钥";
}

struct keys_signer *keys_signer_open(struct keys *ks, enum keys_role role, struct err *e)
{
	const struct keys_info *ki;
	struct keys_signer *s;

	if (role != KEYS_ROOT && role != KEYS_ISSUING && role != KEYS_LOG) {
		err_input(e, "没有这种密钥角色（%d）", (int)role);
		return NULL;
	}
	ki = find_role(ks, role);
	if (!ki) {
		err_input(e, "密钥目录 %s 中没有%s", ks->dir, role_label(role));
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s) {
		err_system(e, "内存不足");
		return NULL;
	}
	s->info = *ki;
	s->sk = smalloc(KEYS_SK_LEN, e);
	if (!s->sk || load_sk(ks, ki, s->sk, e) != 0) {
		keys_signer_close(s);
		return NULL;
	}
	sodium_mprotect_noaccess(s->sk);
	return s;
}

int keys_signer_sign(struct keys_signer *s, const uint8_t *msg, size_t len,
                     uint8_t sig[KEYS_SIG_LEN], size_t *siglen, struct err *e)
{
	int rc = 0;

	sodium_mprotect_readonly(s->sk);
	if (s->info.alg == ALG_SM2)
		rc = sm2_sign(s->sk, msg, len, sig, e);
	else if (crypto_sign_detached(sig, NULL, msg, len, s->sk) != 0)
		rc = err_system(e, "Ed25519 签名失败");
	sodium_mprotect_noaccess(s->sk);
	if (siglen)
		*siglen = rc == 0 ? KEYS_SIG_LEN : 0;
	return rc;
}

const struct keys_info *keys_signer_info(const struct keys_signer *s)
{
	return &s->info;
}

void keys_signer_close(struct keys_signer *s)
{
	if (!s)
		return;
	sfree(s->sk); /* wipes */
	free(s);
}

/* One signature: open, sign, close. */
static int sign_once(struct keys *ks, enum keys_role role, const uint8_t *msg, size_t len,
                     uint8_t sig[KEYS_SIG_LEN], struct keys_info *info, struct err *e)
{
	struct keys_signer *s = keys_signer_open(ks, role, e);
	int rc;

	if (!s)
		return -1;
	rc = keys_signer_sign(s, msg, len, sig, NULL, e);
	if (rc == 0 && info)
		*info = s->info;
	keys_signer_close(s);
	return rc;
}

int keys_sign(struct keys *ks, const uint8_t *msg, size_t len, uint8_t sig[KEYS_SIG_LEN],
              uint8_t kid[KID_LEN], enum sig_alg *alg, struct err *e)
{
	struct keys_info ki;

	if (sign_once(ks, KEYS_ISSUING, msg, len, sig, &ki, e) != 0)
		return -1;
	if (kid)
		memcpy(kid, ki.kid, KID_LEN);
	if (alg)
		*alg = ki.alg;
	return 0;
}

int keys_sign_log(struct keys *ks, const uint8_t *msg, size_t len, uint8_t sig[KEYS_SIG_LEN],
                  struct err *e)
{
	return sign_once(ks, KEYS_LOG, msg, len, sig, NULL, e);
}

/* ---- the trust list ---- */

static void to_trust_key(const struct keys_info *ki, struct trust_key *k)
{
	memset(k, 0, sizeof(*k));
	memcpy(k->kid, ki->kid, KID_LEN);
	k->alg = ki->alg;
	memcpy(k->pk, ki->pk, ki->pk_len);
	k->pk_len = ki->pk_len;
	k->not_before = ki->not_before;
	k->not_after = ki->not_after;
}

int keys_trust_list(const struct keys *ks, const struct trust_issuer *issuers, size_t nissuers,
                    int64_t now, struct trust_list *out, struct err *e)
{
	const struct keys_info *root = keys_get(ks, KEYS_ROOT), *logk = keys_get(ks, KEYS_LOG);
	size_t i, j;

	memset(out, 0, sizeof(*out));
	if (!root || !logk)
		return err_input(e, "密钥目录 %s 中缺少根密钥或日志密钥", ks->dir);
	if (now < 0)
		return err_input(e, "时间无效");
	if (nissuers > TRUST_MAX_ISSUERS)
		return err_input(e, "签发机关过多（上限 %d）", TRUST_MAX_ISSUERS);
	out->issued_at = now;
	memcpy(out->root_kid, root->kid, KID_LEN);
	memcpy(out->root_pk, root->pk, KEYS_PK_LEN);
	to_trust_key(logk, &out->log_key);
	out->log_key.not_before = 0;
	snprintf(out->log_name, sizeof(out->log_name), "%s", ks->log_name);
	for (i = 0; i < ks->n; i++)
		if (ks->info[i].role == KEYS_ISSUING && out->nkeys < TRUST_MAX_KEYS)
			to_trust_key(&ks->info[i], &out->keys[out->nkeys++]);
	for (i = 0; i < nissuers; i++) {
		const struct trust_issuer *is = &issuers[i];

		if (!memchr(is->code, '\0', sizeof(is->code)) || !is->code[0] ||
		    !memchr(is->name, '\0', sizeof(is->name)) || !is->name[0]) {
			memset(out, 0, sizeof(*out));
			return err_input(e, "第 %zu 个签发机关的代码或名称为空或过长", i + 1);
		}
		for (j = 0; j < i; j++)
			if (strcmp(issuers[j].code, is->code) == 0) {
				memset(out, 0, sizeof(*out));
				return err_input(e, "签发机关代码“%s”重复", is->code);
			}
		out->issuers[out->nissuers++] = *is;
	}
	return 0;
}

char *keys_trust_export(struct keys *ks, const struct trust_issuer *issuers, size_t nissuers,
                        int64_t now, struct err *e)
{
	struct trust_list *tl = malloc(sizeof(*tl));
	uint8_t sig[KEYS_SIG_LEN];
	char *payload = NULL, *out = NULL;
	size_t len = 0;

	if (!tl) {
		err_system(e, "内存不足");
		return NULL;
	}
	if (keys_trust_list(ks, issuers, nissuers, now, tl, e) != 0)
		goto out;
	payload = trust_payload_json(tl, &len, e);
	if (!payload)
		goto out;
	if (len > TRUST_LIST_MAX / 2) {
		err_input(e, "信任列表过大");
		goto out;
	}
	if (sign_once(ks, KEYS_ROOT, (const uint8_t *)payload, len, sig, NULL, e) != 0)
		goto out;
	out = trust_envelope_json(payload, len, tl->root_kid, sig, e);
out:
	free(payload);
	free(tl);
	return out;
}

static int contains(const unsigned char *hay, size_t n, const uint8_t *needle, size_t len)
{
	size_t i;

	for (i = 0; len && i + len <= n; i++)
		if (memcmp(hay + i, needle, len) == 0)
			return 1;
	return 0;
}

int keys_memscan(const struct keys *ks, const uint8_t *needle, size_t len)
{
	int found = contains((const unsigned char *)ks, sizeof(*ks), needle, len);

	if (!found && ks->dir)
		found = contains((const unsigned char *)ks->dir, strlen(ks->dir), needle, len);
	if (!found && ks->pass) {
		pass_unlock(ks);
		found = contains(ks->pass, ks->pass_len, needle, len);
		pass_lock(ks);
	}
	return found;
}
