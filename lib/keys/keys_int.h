/*
 * keys_int.h - what the files of the key store (keys.h) share, included by
 * them alone: keys.c (the private key files, keys.json, the store, signing,
 * the trust list), keys_data.c (the data key) and keys_backup.c (backup and
 * restore).  The directory's file formats, struct keys, small helpers, and
 * the functions one file lends another.  The threat model is in keys.c.
 */
#ifndef OPCERT_KEYS_INT_H
#define OPCERT_KEYS_INT_H

#include <errno.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "err.h"
#include "keys.h"

#define KF_SIZE    152 /* an Ed25519 private key file */
#define KF_SIZE2   185 /* an SM2 private key file (65-byte public key) */
#define KF_MAX     KF_SIZE2
#define KF_PK      72 /* where the public key begins */
#define KF_SECRET  48 /* the secret part, at the end */
#define KF_MAGIC   "OPCKEY01"
#define INDEX_NAME "keys.json"
#define OPS_CAP    16ULL
#define MEM_CAP    (1024ULL * 1024 * 1024)
#define ENC_CLEAR  0
#define ENC_PWBOX  1
#define DK_SIZE    120 /* the data key file */

struct keys {
	char *dir;
	int dirfd;
	unsigned long long opslimit; /* for new files */
	size_t memlimit;
	unsigned char *pass; /* sodium_malloc'd, no access between uses; NULL = none */
	size_t pass_len;
	struct keys_info info[KEYS_MAX];
	size_t n;
	char log_name[TRUST_LOG_NAME_MAX];
};

/* The public part of a private key file. */
struct kf_hdr {
	int role, alg, enc;
	unsigned long long ops;
	unsigned long long mem;
	uint8_t salt[crypto_pwhash_SALTBYTES];
	uint8_t nonce[crypto_secretbox_NONCEBYTES];
	uint8_t pk[TRUST_PK_MAX];
	size_t pk_len;
};

/* ---- small helpers ---- */

static inline void put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static inline uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static inline int is_zero(const unsigned char *p, size_t n)
{
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Size of a private key file of an algorithm. */
static inline size_t kf_size(enum sig_alg a)
{
	return a == ALG_SM2 ? KF_SIZE2 : KF_SIZE;
}

static inline unsigned char *smalloc(size_t n, struct err *e)
{
	unsigned char *p = sodium_malloc(n);

	if (!p)
		err_system(e, "无法分配受保护的内存");
	return p;
}

static inline void sfree(void *p)
{
	if (p)
		sodium_free(p); /* wipes before freeing */
}

static inline int limits_ok(unsigned long long ops, unsigned long long mem)
{
	return ops >= crypto_pwhash_OPSLIMIT_MIN && ops <= OPS_CAP &&
	       mem >= crypto_pwhash_MEMLIMIT_MIN && mem <= MEM_CAP;
}

static inline int read_full(int fd, void *buf, size_t n, size_t *got)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = read(fd, (char *)buf + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		done += (size_t)r;
	}
	*got = done;
	return 0;
}

static inline int write_full(int fd, const void *buf, size_t n)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = write(fd, (const char *)buf + done, n - done);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		done += (size_t)r;
	}
	return 0;
}

static inline void pass_lock(const struct keys *ks)
{
	if (ks->pass)
		sodium_mprotect_noaccess(ks->pass);
}

static inline void pass_unlock(const struct keys *ks)
{
	if (ks->pass)
		sodium_mprotect_readonly(ks->pass);
}

/* A key whose private key file must be present: all but a retired issuing key. */
static inline int required(const struct keys_info *ki)
{
	return ki->role != KEYS_ISSUING || ki->not_after == 0;
}

/* ---- lent by keys.c ---- */

/* A new store for dir (nothing opened yet), NULL on error. */
struct keys *keys_new(const char *dir, const struct keys_options *opt, struct err *e);
/* Open the directory, check its mode, and load the passphrase. */
int keys_attach(struct keys *ks, const char *passphrase_file, struct err *e);
/* Create the directory when missing, attach to it and lock it for writing. */
int keys_create_locked(struct keys *ks, const char *passphrase_file, struct err *e);
/* Load keys.json and check every key file against it: 0, 1 when absent, -1. */
int keys_load(struct keys *ks, int complete, struct err *e);
/* Before a key is added: the passphrase policy of the store. */
int keys_check_pass_policy(struct keys *ks, struct err *e);
/* A passphrase file into sodium_malloc'd memory, no access between uses. */
int keys_pass_load(const char *path, unsigned char **out, size_t *len, struct err *e);
/* Argon2id key (32 bytes, into sodium_malloc'd key) from a readable passphrase. */
int keys_derive(const unsigned char *pass, size_t plen, const uint8_t *salt, unsigned long long ops,
                unsigned long long mem, unsigned char *key, struct err *e);
/* A new file name in the directory, mode 0600, fsync'd (replace: atomically). */
int keys_install(struct keys *ks, const char *name, const void *data, size_t len, int replace,
                 struct err *e);
/* The private key files: open one, parse its header, match it to keys.json. */
int keys_kf_open(const struct keys *ks, const char *name, int *fd, size_t *size, struct err *e);
int keys_kf_parse(const unsigned char *b, size_t size, const char *name, struct kf_hdr *h,
                  struct err *e);
int keys_kf_match(const struct kf_hdr *h, const struct keys_info *ki, struct err *e);
/* keys.json: written from the store (malloc'd), parsed into it. */
char *keys_index_json(const struct keys *ks);
int keys_index_parse(struct keys *ks, const char *text, size_t len, int complete, struct err *e);

/* ---- lent by keys_data.c ---- */

struct dk_hdr;
/* Check a data key file's header (DK_SIZE bytes); h may be NULL. */
int keys_dk_parse(const unsigned char *b, struct dk_hdr *h, struct err *e);
/* The store's data key file into buf (DK_SIZE bytes): 0, 1 when absent, -1. */
int keys_dk_read(const struct keys *ks, unsigned char *buf, struct err *e);

#endif
