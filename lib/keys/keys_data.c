/*
 * keys_data.c - the data key of the key store (keys.h): data.key, the
 * 32-byte secret from which pii.c derives the keys that seal personal data.
 * It is created beside the signing keys (encrypted under their passphrase
 * when they are), read with the same file checks as a private key, and
 * handed over as a pii key.  The threat model is in keys.c.
 */
#include "keys.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys_int.h"
#include "pii.h"

#define DK_HDR   72
#define DK_MAGIC "OPCDAT01"

/* ---- the data key ---- */

/* The public part of the data key file. */
struct dk_hdr {
	int enc;
	unsigned long long ops, mem;
	const unsigned char *salt, *nonce;
};

int keys_dk_parse(const unsigned char *b, struct dk_hdr *h, struct err *e)
{
	struct dk_hdr tmp;
	const char *why = NULL;

	if (!h)
		h = &tmp;
	if (memcmp(b, DK_MAGIC, 8) != 0)
		why = "不是 opcert 数据密钥文件";
	else if (b[8] != ENC_CLEAR && b[8] != ENC_PWBOX)
		why = "加密方式未知";
	else if (!is_zero(b + 9, 7))
		why = "保留字节非零";
	if (why)
		return err_input(e, "数据密钥文件 %s 已损坏：%s", KEYS_DATA_FILE, why);
	h->enc = b[8];
	h->ops = get64(b + 16);
	h->mem = get64(b + 24);
	h->salt = b + 32;
	h->nonce = b + 48;
	if (h->enc == ENC_CLEAR &&
	    (!is_zero(b + 16, DK_HDR - 16) ||
	     !is_zero(b + DK_HDR + KEYS_DATA_LEN, DK_SIZE - DK_HDR - KEYS_DATA_LEN)))
		return err_input(e, "数据密钥文件 %s 已损坏：未加密却带有加密参数", KEYS_DATA_FILE);
	if (h->enc == ENC_PWBOX && !limits_ok(h->ops, h->mem))
		return err_input(e, "数据密钥文件 %s 已损坏：口令派生参数超出范围", KEYS_DATA_FILE);
	return 0;
}

/* The data key file of the store into buf (DK_SIZE bytes, sodium_malloc'd):
 * 0, 1 when absent, -1 on error.  Same file checks as a private key. */
int keys_dk_read(const struct keys *ks, unsigned char *buf, struct err *e)
{
	struct stat st;
	size_t got = 0;
	int fd;

	fd = openat(ks->dirfd, KEYS_DATA_FILE, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			return 1;
		if (errno == ELOOP)
			return err_input(e, "数据密钥文件 %s/%s 是符号链接，拒绝使用", ks->dir,
			                 KEYS_DATA_FILE);
		return err_system(e, "无法打开数据密钥文件 %s/%s：%s", ks->dir, KEYS_DATA_FILE,
		                  err_errno_text(errno));
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_input(e, "数据密钥文件 %s/%s 不是普通文件", ks->dir, KEYS_DATA_FILE);
	}
	if (st.st_mode & 077) {
		close(fd);
		return err_input(
		    e, "数据密钥文件 %s/%s 的权限为 %04o，过于宽松；请执行：chmod 600 %s/%s",
		    ks->dir, KEYS_DATA_FILE, (unsigned)(st.st_mode & 07777), ks->dir,
		    KEYS_DATA_FILE);
	}
	if (st.st_size != DK_SIZE || read_full(fd, buf, DK_SIZE, &got) != 0 || got != DK_SIZE) {
		close(fd);
		return err_input(e, "数据密钥文件 %s/%s 已损坏：长度不对", ks->dir, KEYS_DATA_FILE);
	}
	close(fd);
	return keys_dk_parse(buf, NULL, e);
}

int keys_data_init(const char *dir, const char *passphrase_file, const struct keys_options *opt,
                   struct err *e)
{
	struct keys *ks = keys_new(dir, opt, e);
	unsigned char *buf = NULL, *key = NULL;
	struct stat st;
	int rc = -1;

	if (!ks)
		return -1;
	if (keys_create_locked(ks, passphrase_file, e) != 0)
		goto out;
	if (fstatat(ks->dirfd, KEYS_DATA_FILE, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		rc = 0;
		goto out;
	}
	/* Same rule as for a new signing key: a store whose keys are
	 * encrypted gets an encrypted data key, under the same passphrase. */
	if (keys_load(ks, 0, e) < 0 || keys_check_pass_policy(ks, e) != 0)
		goto out;
	buf = smalloc(DK_SIZE, e);
	if (!buf)
		goto out;
	memset(buf, 0, DK_SIZE);
	memcpy(buf, DK_MAGIC, 8);
	if (ks->pass) {
		unsigned char *plain = smalloc(KEYS_DATA_LEN, e);

		key = plain ? smalloc(crypto_secretbox_KEYBYTES, e) : NULL;
		if (!key) {
			sfree(plain);
			goto out;
		}
		buf[8] = ENC_PWBOX;
		put64(buf + 16, ks->opslimit);
		put64(buf + 24, ks->memlimit);
		randombytes_buf(buf + 32, crypto_pwhash_SALTBYTES);
		randombytes_buf(buf + 48, crypto_secretbox_NONCEBYTES);
		randombytes_buf(plain, KEYS_DATA_LEN);
		pass_unlock(ks);
		rc = keys_derive(ks->pass, ks->pass_len, buf + 32, ks->opslimit, ks->memlimit, key,
		                 e);
		pass_lock(ks);
		if (rc == 0)
			crypto_secretbox_easy(buf + DK_HDR, plain, KEYS_DATA_LEN, buf + 48, key);
		sfree(plain);
		if (rc != 0) {
			rc = -1;
			goto out;
		}
	} else {
		buf[8] = ENC_CLEAR;
		randombytes_buf(buf + DK_HDR, KEYS_DATA_LEN);
	}
	rc = keys_install(ks, KEYS_DATA_FILE, buf, DK_SIZE, 0, e) == 0 ? 1 : -1;
out:
	sfree(key);
	sfree(buf);
	keys_close(ks);
	return rc;
}

int keys_data_load(const char *dir, const char *passphrase_file, unsigned char *key, struct err *e)
{
	struct keys *ks;
	unsigned char *buf = NULL, *box = NULL;
	struct dk_hdr h;
	struct stat st;
	int rc = -1;

	if (stat(dir, &st) != 0 && errno == ENOENT)
		return 1;
	ks = keys_new(dir, NULL, e);
	if (!ks)
		return -1;
	if (keys_attach(ks, NULL, e) != 0)
		goto out;
	buf = smalloc(DK_SIZE, e);
	if (!buf)
		goto out;
	rc = keys_dk_read(ks, buf, e);
	if (rc != 0)
		goto out;
	rc = -1;
	keys_dk_parse(buf, &h, e);
	if (h.enc == ENC_CLEAR) {
		memcpy(key, buf + DK_HDR, KEYS_DATA_LEN);
		rc = 0;
		goto out;
	}
	if (!passphrase_file) {
		err_input(e,
		          "数据密钥文件 %s/%s 已用口令加密；请用 --passphrase-file FILE 或 "
		          "$OPCERT_PASSPHRASE_FILE 提供口令文件",
		          dir, KEYS_DATA_FILE);
		goto out;
	}
	if (keys_pass_load(passphrase_file, &ks->pass, &ks->pass_len, e) != 0)
		goto out;
	box = smalloc(crypto_secretbox_KEYBYTES, e);
	if (!box)
		goto out;
	pass_unlock(ks);
	rc = keys_derive(ks->pass, ks->pass_len, h.salt, h.ops, h.mem, box, e);
	pass_lock(ks);
	if (rc != 0) {
		rc = -1;
		goto out;
	}
	if (crypto_secretbox_open_easy(key, buf + DK_HDR, DK_SIZE - DK_HDR, h.nonce, box) != 0) {
		sodium_memzero(key, KEYS_DATA_LEN);
		rc = err_input(e, "口令错误或数据密钥文件已损坏（%s/%s）", dir, KEYS_DATA_FILE);
	}
out:
	sfree(box);
	sfree(buf);
	keys_close(ks);
	return rc;
}

int keys_data_pii(const char *dir, const char *passphrase_file, struct pii_key **out, struct err *e)
{
	unsigned char *key;
	int rc;

	*out = NULL;
	key = smalloc(KEYS_DATA_LEN, e);
	if (!key)
		return -1;
	rc = keys_data_load(dir, passphrase_file, key, e);
	if (rc == 0) {
		*out = pii_key_new(key, e);
		if (!*out)
			rc = -1;
	}
	sfree(key);
	return rc;
}
