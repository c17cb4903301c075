/*
 * keys_backup.c - the key store's encrypted backup and its restore
 * (keys.h): the signing keys, keys.json and the data key in one archive
 * under a backup passphrase of its own (Argon2id + XSalsa20-Poly1305),
 * never written in clear; a restore checks everything before it writes a
 * file, into an empty directory.  The threat model is in keys.c.
 */
#include "keys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keys_int.h"

#define BK_MAGIC "OPCBAK01"
#define AR_MAGIC "OPCARC01"
#define BK_HDR   64
#define BK_MAX   (1024 * 1024)

/* ---- backup and restore ---- */

struct archive {
	unsigned char *p; /* sodium_malloc'd */
	size_t len, cap;
};

static int ar_add(struct archive *a, const char *name, const void *data, size_t len)
{
	size_t nl = strlen(name);

	if (nl == 0 || nl > 255 || len > BK_MAX || a->len + 1 + nl + 4 + len > a->cap)
		return -1;
	a->p[a->len++] = (unsigned char)nl;
	memcpy(a->p + a->len, name, nl);
	a->len += nl;
	a->p[a->len++] = (unsigned char)(len & 0xff);
	a->p[a->len++] = (unsigned char)(len >> 8 & 0xff);
	a->p[a->len++] = (unsigned char)(len >> 16 & 0xff);
	a->p[a->len++] = (unsigned char)(len >> 24 & 0xff);
	memcpy(a->p + a->len, data, len);
	a->len += len;
	return 0;
}

int keys_index_absent(const char *dir)
{
	char path[4096];
	struct stat st;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, INDEX_NAME);

	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	return lstat(path, &st) != 0 && errno == ENOENT;
}

/* The backup of keys_backup and keys_backup_data: signing 0 writes the
 * data key alone (a key directory without signing keys yet). */
static int backup(struct keys *ks, int signing, const char *path,
                  const char *backup_passphrase_file, struct err *e);

int keys_backup(struct keys *ks, const char *path, const char *backup_passphrase_file,
                struct err *e)
{
	return backup(ks, 1, path, backup_passphrase_file, e);
}

int keys_backup_data(const char *dir, const char *path, const char *backup_passphrase_file,
                     struct err *e)
{
	struct keys *ks = keys_new(dir, NULL, e);
	int rc;

	if (!ks)
		return -1;
	rc = keys_attach(ks, NULL, e) == 0 ? backup(ks, 0, path, backup_passphrase_file, e) : -1;
	keys_close(ks);
	return rc;
}

static int backup(struct keys *ks, int signing, const char *path,
                  const char *backup_passphrase_file, struct err *e)
{
	struct archive a = {NULL, 0, 0};
	unsigned char *bp = NULL, *key = NULL, *out = NULL, *kbuf = NULL;
	size_t bplen = 0, i, olen = 0, got = 0, ksize = 0;
	char *index = NULL;
	struct stat st;
	int fd = -1, rc = -1, locked = 0, r;

	if (!backup_passphrase_file || !backup_passphrase_file[0])
		return err_input(e, "备份必须加密：请提供备份口令文件（备份从不以明文写出）");
	if (lstat(path, &st) == 0)
		return err_input(e, "备份文件 %s 已存在，不覆盖", path);
	if (keys_pass_load(backup_passphrase_file, &bp, &bplen, e) != 0)
		return -1;
	if (flock(ks->dirfd, LOCK_SH) != 0) {
		err_system(e, "无法锁定密钥目录 %s：%s", ks->dir, err_errno_text(errno));
		goto out;
	}
	locked = 1;
	if (signing) {
		if (keys_load(ks, 1, e) != 0)
			goto out;
		index = keys_index_json(ks);
		if (!index) {
			err_system(e, "内存不足");
			goto out;
		}
	}
	a.cap = 8 + 1 + sizeof(INDEX_NAME) + 4 + (index ? strlen(index) : 0) +
	        ks->n * (1 + 32 + 4 + KF_MAX) + 1 + sizeof(KEYS_DATA_FILE) + 4 + DK_SIZE;
	a.p = smalloc(a.cap, e);
	kbuf = a.p ? smalloc(KF_MAX > DK_SIZE ? KF_MAX : DK_SIZE, e) : NULL;
	if (!kbuf)
		goto out;
	memcpy(a.p, AR_MAGIC, 8);
	a.len = 8;
	if (index && ar_add(&a, INDEX_NAME, index, strlen(index)) != 0)
		goto overflow;
	for (i = 0; i < ks->n; i++) {
		const struct keys_info *ki = &ks->info[i];
		struct kf_hdr h;

		if (!ki->has_secret)
			continue;
		r = keys_kf_open(ks, ki->file, &fd, &ksize, e);
		if (r != 0) {
			if (r == 1)
				err_input(e, "密钥文件 %s/%s 缺失", ks->dir, ki->file);
			fd = -1;
			goto out;
		}
		if (read_full(fd, kbuf, ksize, &got) != 0 || got != ksize) {
			err_system(e, "无法读取密钥文件 %s/%s", ks->dir, ki->file);
			goto out;
		}
		close(fd);
		fd = -1;
		if (keys_kf_parse(kbuf, ksize, ki->file, &h, e) != 0 ||
		    keys_kf_match(&h, ki, e) != 0)
			goto out;
		if (ar_add(&a, ki->file, kbuf, ksize) != 0)
			goto overflow;
	}
	/* The data key travels with the signing keys: without it the ID
	 * numbers in the database cannot be read. */
	r = keys_dk_read(ks, kbuf, e);
	if (r < 0)
		goto out;
	if (r == 1 && !signing) {
		err_input(e, "密钥目录 %s 中既没有签名密钥（keys.json）也没有数据密钥（%s）",
		          ks->dir, KEYS_DATA_FILE);
		goto out;
	}
	if (r == 0 && ar_add(&a, KEYS_DATA_FILE, kbuf, DK_SIZE) != 0)
		goto overflow;
	olen = BK_HDR + crypto_secretbox_MACBYTES + a.len;
	out = malloc(olen);
	key = smalloc(crypto_secretbox_KEYBYTES, e);
	if (!out || !key) {
		if (!out)
			err_system(e, "内存不足");
		goto out;
	}
	memset(out, 0, BK_HDR);
	memcpy(out, BK_MAGIC, 8);
	put64(out + 8, ks->opslimit);
	put64(out + 16, ks->memlimit);
	randombytes_buf(out + 24, crypto_pwhash_SALTBYTES);
	randombytes_buf(out + 40, crypto_secretbox_NONCEBYTES);
	sodium_mprotect_readonly(bp);
	rc = keys_derive(bp, bplen, out + 24, ks->opslimit, ks->memlimit, key, e);
	sodium_mprotect_noaccess(bp);
	if (rc != 0) {
		rc = -1;
		goto out;
	}
	rc = -1;
	crypto_secretbox_easy(out + BK_HDR, a.p, a.len, out + 40, key);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			err_input(e, "备份文件 %s 已存在，不覆盖", path);
		else if (errno == ENOENT)
			err_input(e, "无法创建备份文件 %s：目录不存在", path);
		else
			err_system(e, "无法创建备份文件 %s：%s", path, err_errno_text(errno));
		goto out;
	}
	if (write_full(fd, out, olen) != 0 || fsync(fd) != 0 || close(fd) != 0) {
		err_system(e, "无法写入备份文件 %s：%s", path, err_errno_text(errno));
		fd = -1;
		unlink(path);
		goto out;
	}
	fd = -1;
	rc = 0;
	goto out;
overflow:
	err_system(e, "备份内容超出预计大小");
out:
	if (fd >= 0)
		close(fd);
	if (locked)
		flock(ks->dirfd, LOCK_UN);
	free(index);
	free(out);
	sfree(key);
	sfree(kbuf);
	sfree(a.p);
	sfree(bp);
	return rc;
}

struct ar_entry {
	char name[32];
	const unsigned char *data;
	size_t len;
};

/* Split a decrypted archive; names are checked to be plain file names of a store. */
static int ar_split(const unsigned char *p, size_t len, struct ar_entry *ents, size_t max,
                    size_t *n, struct err *e)
{
	size_t off = 8, i, j;

	*n = 0;
	if (len < 8 || memcmp(p, AR_MAGIC, 8) != 0)
		return err_input(e, "备份文件已损坏：内容格式不对");
	while (off < len) {
		struct ar_entry *en = &ents[*n];
		size_t nl = p[off], dl;

		if (*n >= max)
			return err_input(e, "备份文件已损坏：文件过多");
		if (nl == 0 || nl >= sizeof(en->name) || off + 1 + nl + 4 > len)
			return err_input(e, "备份文件已损坏：条目格式不对");
		memcpy(en->name, p + off + 1, nl);
		en->name[nl] = '\0';
		for (i = 0; i < nl; i++) {
			char c = en->name[i];

			if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
			      (c == '.' && i > 0)))
				return err_input(e, "备份文件已损坏：文件名无效");
		}
		off += 1 + nl;
		dl = (size_t)p[off] | (size_t)p[off + 1] << 8 | (size_t)p[off + 2] << 16 |
		     (size_t)p[off + 3] << 24;
		off += 4;
		if (dl > len - off)
			return err_input(e, "备份文件已损坏：条目被截断");
		en->data = p + off;
		en->len = dl;
		off += dl;
		for (j = 0; j < *n; j++)
			if (strcmp(ents[j].name, en->name) == 0)
				return err_input(e, "备份文件已损坏：文件 %s 重复", en->name);
		(*n)++;
	}
	return 0;
}

/* 1 when the directory holds nothing but . and .. */
static int dir_empty(int dirfd)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *de;
	int empty = 1;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	while (empty && (de = readdir(d)))
		empty = strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0;
	closedir(d);
	return empty;
}

int keys_restore(const char *backup_path, const char *backup_passphrase_file, const char *dir,
                 struct err *e)
{
	struct ar_entry ents[KEYS_MAX + 2];
	struct keys *ks = NULL;
	unsigned char *file = NULL, *bp = NULL, *key = NULL, *plain = NULL;
	size_t flen = 0, bplen = 0, plen = 0, nent = 0, i, j, used = 0;
	const struct ar_entry *index = NULL;
	unsigned long long ops, mem;
	struct stat st;
	int fd, rc = -1;

	if (!backup_passphrase_file || !backup_passphrase_file[0])
		return err_input(e, "恢复备份需要备份口令文件");
	ks = keys_new(dir, NULL, e);
	if (!ks)
		return -1;
	fd = open(backup_path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		if (errno == ENOENT)
			err_input(e, "备份文件 %s 不存在", backup_path);
		else
			err_system(e, "无法打开备份文件 %s：%s", backup_path,
			           err_errno_text(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > BK_MAX ||
	    st.st_size < BK_HDR + crypto_secretbox_MACBYTES + 8) {
		close(fd);
		err_input(e, "%s 不是 opcert 密钥备份文件（大小不对）", backup_path);
		goto out;
	}
	file = malloc((size_t)st.st_size);
	if (!file || read_full(fd, file, (size_t)st.st_size, &flen) != 0 ||
	    flen != (size_t)st.st_size) {
		close(fd);
		err_system(e, "无法读取备份文件 %s", backup_path);
		goto out;
	}
	close(fd);
	ops = get64(file + 8);
	mem = get64(file + 16);
	if (memcmp(file, BK_MAGIC, 8) != 0 || !limits_ok(ops, mem)) {
		err_input(e, "%s 不是 opcert 密钥备份文件，或已损坏", backup_path);
		goto out;
	}
	if (keys_pass_load(backup_passphrase_file, &bp, &bplen, e) != 0)
		goto out;
	plen = flen - BK_HDR - crypto_secretbox_MACBYTES;
	key = smalloc(crypto_secretbox_KEYBYTES, e);
	plain = key ? smalloc(plen, e) : NULL;
	if (!plain)
		goto out;
	sodium_mprotect_readonly(bp);
	rc = keys_derive(bp, bplen, file + 24, ops, mem, key, e);
	sodium_mprotect_noaccess(bp);
	if (rc != 0) {
		rc = -1;
		goto out;
	}
	rc = -1;
	if (crypto_secretbox_open_easy(plain, file + BK_HDR, flen - BK_HDR, file + 40, key) != 0) {
		err_input(e, "口令错误或备份文件已损坏（%s）", backup_path);
		goto out;
	}
	if (ar_split(plain, plen, ents, KEYS_MAX + 2, &nent, e) != 0)
		goto out;
	for (i = 0; i < nent; i++) {
		if (strcmp(ents[i].name, INDEX_NAME) == 0)
			index = &ents[i];
		if (strcmp(ents[i].name, KEYS_DATA_FILE) == 0) {
			if (ents[i].len != DK_SIZE || keys_dk_parse(ents[i].data, NULL, e) != 0) {
				err_input(e, "备份文件已损坏：%s 格式不对", KEYS_DATA_FILE);
				goto out;
			}
			used++;
		}
	}
	/* A backup of the data key alone (made before any signing key) holds
	 * no keys.json; anything else without it is damaged. */
	if (!index && !(used == 1 && nent == 1)) {
		err_input(e, "备份文件已损坏：缺少 keys.json");
		goto out;
	}
	if (index && keys_index_parse(ks, (const char *)index->data, index->len, 1, e) != 0)
		goto out;
	if (index)
		used++;
	for (i = 0; index && i < ks->n; i++) {
		struct keys_info *ki = &ks->info[i];
		const struct ar_entry *en = NULL;
		struct kf_hdr h;

		for (j = 0; j < nent; j++)
			if (strcmp(ents[j].name, ki->file) == 0)
				en = &ents[j];
		if (!en) {
			if (required(ki)) {
				err_input(e, "备份文件已损坏：缺少 %s", ki->file);
				goto out;
			}
			continue;
		}
		if (en->len != kf_size(ki->alg)) {
			err_input(e, "备份文件已损坏：%s 长度不对", ki->file);
			goto out;
		}
		if (keys_kf_parse(en->data, en->len, ki->file, &h, e) != 0 ||
		    keys_kf_match(&h, ki, e) != 0)
			goto out;
		used++;
	}
	if (used != nent) {
		err_input(e, "备份文件已损坏：含有 keys.json 之外的文件");
		goto out;
	}
	/* Everything checked: now the directory. */
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		if (errno == ENOENT)
			err_input(e, "无法创建密钥目录 %s：上级目录不存在", dir);
		else
			err_system(e, "无法创建密钥目录 %s：%s", dir, err_errno_text(errno));
		goto out;
	}
	ks->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ks->dirfd < 0) {
		err_system(e, "无法打开密钥目录 %s：%s", dir, err_errno_text(errno));
		goto out;
	}
	if (!dir_empty(ks->dirfd)) {
		err_input(e, "恢复的目标目录 %s 不是空目录；请指定一个新目录", dir);
		goto out;
	}
	if (fchmod(ks->dirfd, 0700) != 0) {
		err_system(e, "无法设置密钥目录 %s 的权限：%s", dir, err_errno_text(errno));
		goto out;
	}
	for (i = 0; i < nent; i++)
		if (keys_install(ks, ents[i].name, ents[i].data, ents[i].len, 0, e) != 0)
			goto out;
	rc = 0;
out:
	free(file);
	sfree(plain);
	sfree(key);
	sfree(bp);
	keys_close(ks);
	return rc;
}
