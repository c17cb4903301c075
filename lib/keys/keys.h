/*
 * keys.h - the key store: the private keys that sign credentials, the
 * trust list and transparency-log checkpoints, kept in one directory.
 *
 * Roles (key id = trust_kid(pk)):
 *   root     the city bureau; signs the trust list only (Ed25519)
 *   issuing  signs credentials (and the status list); exactly one is
 *            current, the older ones are retired.  Ed25519, or SM2 with
 *            SM3 (sm2.h) when made with ALG_SM2; each key keeps its own
 *   log      signs transparency-log checkpoints (C2SP signed notes; Ed25519)
 *
 * Directory layout (mode 0700; every file 0600, written to a temporary
 * file, fsync'd and then linked or renamed into place):
 *   keys.json               public index: {"version": 1, "keys": [{"role":
 *                           "root"|"issuing"|"log", "kid": hex, "alg":
 *                           "Ed25519"|"SM2", "pk": base64url (32 bytes;
 *                           SM2: the 65-byte point), "created": s,
 *                           "not_before": s, "not_after": s|null}, ...]},
 *                           the log entry also has "name" (its C2SP key name)
 *   root.key                the root private key
 *   log.key                 the log private key
 *   issuing-<kidhex>.key    an issuing private key; deleted when the key is
 *                           retired (its public entry stays in keys.json)
 *   data.key                the data key: personal data in the database is
 *                           sealed under it (pii.h); not in keys.json
 *
 * A private key file is 152 bytes (Ed25519) or 185 bytes (SM2), integers
 * little-endian:
 *     0   8  magic "OPCKEY01"
 *     8   1  role: 1 root, 2 issuing, 3 log
 *     9   1  alg: 1 Ed25519, 2 SM2 (issuing keys only)
 *    10   1  enc: 0 clear, 1 Argon2id13 + XSalsa20-Poly1305
 *    11   5  zero
 *    16   8  pwhash opslimit (0 when clear)
 *    24   8  pwhash memlimit in bytes (0 when clear)
 *    32  16  pwhash salt (zero when clear)
 *    48  24  secretbox nonce (zero when clear)
 *    72  32  public key (SM2: 65 bytes, the uncompressed point)
 *   104  48  clear: the 32-byte seed then 16 zero bytes; encrypted:
 *            crypto_secretbox_easy(seed) under crypto_pwhash(passphrase, salt)
 *            (SM2: at 137, the 32-byte private scalar in the same way)
 * A loaded key is checked against its file name, its role and the public
 * key in the index (the seed must derive that public key).
 *
 * The data key file is 120 bytes, integers little-endian:
 *     0   8  magic "OPCDAT01"
 *     8   1  enc: 0 clear, 1 Argon2id13 + XSalsa20-Poly1305
 *     9   7  zero
 *    16   8  pwhash opslimit (0 when clear)
 *    24   8  pwhash memlimit in bytes (0 when clear)
 *    32  16  pwhash salt (zero when clear)
 *    48  24  secretbox nonce (zero when clear)
 *    72  48  clear: the 32-byte key then 16 zero bytes; encrypted:
 *            crypto_secretbox_easy(key) under crypto_pwhash(passphrase, salt)
 * It is checked like a private key file (mode, no link, size) and, being
 * the only way to read the ID numbers, goes into every backup.
 *
 * A backup file (always encrypted) is, integers little-endian:
 *     0   8  magic "OPCBAK01"
 *     8   8  pwhash opslimit
 *    16   8  pwhash memlimit
 *    24  16  salt (fresh for each backup)
 *    40  24  nonce
 *    64   -  crypto_secretbox_easy(archive) under crypto_pwhash(backup passphrase)
 * where the archive is "OPCARC01" followed by, for keys.json and every
 * private key file as it is on disk: name length (1 byte), name, data
 * length (4 bytes), data.  Key files encrypted with the store's passphrase
 * stay encrypted inside the backup, so a restored store needs both.
 *
 * Passphrases come from files (trailing "\n" or "\r\n" stripped, at most
 * 1024 bytes, not empty), never from a terminal.  With a passphrase the new
 * keys are encrypted with it; without one they are written in clear (the
 * demo).  A store that holds encrypted keys refuses to add a key without
 * the passphrase, and checks the passphrase against an existing key before
 * adding one under it.
 *
 * Secrets are read from disk only when used, into sodium_malloc'd memory
 * that a signer (below) holds and wipes; the store keeps public data and
 * the passphrase (kept no-access between uses).  Times are unix seconds
 * from the caller.  Functions follow err.h: 0 / -1 unless documented.
 */
#ifndef OPCERT_KEYS_H
#define OPCERT_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "trust.h"

#define KEYS_PK_LEN    32 /* Ed25519 public key */
#define KEYS_SIG_LEN   64
#define KEYS_MAX       (TRUST_MAX_KEYS + 2) /* the issuing keys, the root and the log key */
#define KEYS_DATA_LEN  32                   /* the data key (pii.h PII_KEY_LEN) */
#define KEYS_DATA_FILE "data.key"

struct keys;
struct pii_key;

enum keys_role {
	KEYS_ROOT = 1,
	KEYS_ISSUING = 2,
	KEYS_LOG = 3,
};

struct keys_options {
	unsigned long long opslimit; /* new files; 0 = crypto_pwhash_OPSLIMIT_INTERACTIVE */
	size_t memlimit;             /* new files; 0 = crypto_pwhash_MEMLIMIT_INTERACTIVE */
	const char *log_name;        /* keys_init: log key name; NULL = "opcert-log-<kidhex>" */
	enum sig_alg issuing_alg;    /* keys_init: the first issuing key's; ALG_NONE = Ed25519 */
};

/* Public facts about one key. */
struct keys_info {
	enum keys_role role;
	enum sig_alg alg;
	uint8_t kid[KID_LEN];
	uint8_t pk[TRUST_PK_MAX];
	size_t pk_len; /* KEYS_PK_LEN; SM2: SM2_PK_LEN (65) */
	int64_t created;
	int64_t not_before;
	int64_t not_after; /* 0 = current (issuing) or without end (root, log) */
	int has_secret;    /* the private key file is present (retired keys: deleted) */
	int encrypted;     /* the private key file is passphrase-encrypted */
	char file[32];     /* file name in the directory */
};

/*
 * Create dir (mode 0700, its parent must exist) when missing, and in it the
 * root, the first issuing and the log key when absent.  Returns the number
 * of keys created: 0 when all three existed (nothing was changed), -1 on
 * error.  passphrase_file may be NULL (keys in clear); opt may be NULL.
 */
int keys_init(const char *dir, const char *passphrase_file, const struct keys_options *opt,
              int64_t now, struct err *e);
/*
 * Open an existing store, checking the directory and file modes, the index
 * and every key file's header (no secret is read).  A missing directory is
 * an input error that names `opcert key init`.  opt may be NULL.
 */
struct keys *keys_open(const char *dir, const char *passphrase_file, const struct keys_options *opt,
                       struct err *e);
void keys_close(struct keys *ks);

/*
 * Retire the current issuing key (not_after = now, its private key file
 * deleted) and make a new one of algorithm alg current (not_before = now;
 * ALG_NONE = the retired key's algorithm).  What the old key signed stays
 * valid: it stays on the trust list with its period.  new_kid may be NULL.
 */
int keys_rotate(struct keys *ks, enum sig_alg alg, int64_t now, uint8_t new_kid[KID_LEN],
                struct err *e);

/* Every key, root first, then log, then the issuing keys by not_before; *n their number. */
const struct keys_info *keys_list(const struct keys *ks, size_t *n);
/* The root, log or current issuing key, or NULL. */
const struct keys_info *keys_get(const struct keys *ks, enum keys_role role);
/* The log key's C2SP signed-note key name. */
const char *keys_log_name(const struct keys *ks);

/*
 * Signing.  A signer holds one key's secret, read once from its file into
 * guarded memory (sodium_malloc, no access between signatures) and wiped
 * when the signer closes: callers sign through it and never hold secret
 * bytes (as signify and OpenSMTPD's ca.c keep keys in one place).  Every
 * signature of the system goes through one: credentials and the status
 * list (the current issuing key, Ed25519 or SM2), the trust list (root),
 * checkpoints (log).  A signer does not refer to the store once open (it
 * may be used after keys_close, and keeps the key it opened across a
 * rotation); use it from one thread at a time.
 */
struct keys_signer;

/* The signer of the root, the log or the current issuing key; NULL on
 * error (a role that is not one of the three, a key missing from the store,
 * a file that fails its checks, a wrong passphrase: input errors). */
struct keys_signer *keys_signer_open(struct keys *ks, enum keys_role role, struct err *e);
/* Sign msg[0..len): Ed25519, or SM2 with SM3 as r || s (sm2.h); both 64
 * bytes, written to sig, *siglen (may be NULL) receives the length. */
int keys_signer_sign(struct keys_signer *s, const uint8_t *msg, size_t len,
                     uint8_t sig[KEYS_SIG_LEN], size_t *siglen, struct err *e);
/* The public facts of the key it signs with: role, algorithm, key id, public key. */
const struct keys_info *keys_signer_info(const struct keys_signer *s);
/* Wipe the secret and free the signer; NULL is fine. */
void keys_signer_close(struct keys_signer *s);

/* One signature each (open, sign, close): with the current issuing key, its
 * key id and algorithm in kid and alg (either may be NULL); with the log key. */
int keys_sign(struct keys *ks, const uint8_t *msg, size_t len, uint8_t sig[KEYS_SIG_LEN],
              uint8_t kid[KID_LEN], enum sig_alg *alg, struct err *e);
int keys_sign_log(struct keys *ks, const uint8_t *msg, size_t len, uint8_t sig[KEYS_SIG_LEN],
                  struct err *e);

/* The trust list of this store: root, log key, every issuing key with its period, issuers. */
int keys_trust_list(const struct keys *ks, const struct trust_issuer *issuers, size_t nissuers,
                    int64_t now, struct trust_list *out, struct err *e);
/* That list signed by the root (trust.h's format): malloc'd, NUL-terminated text; NULL on error. */
char *keys_trust_export(struct keys *ks, const struct trust_issuer *issuers, size_t nissuers,
                        int64_t now, struct err *e);

/*
 * The data key.  keys_data_init creates dir (0700, its parent must exist)
 * when missing and in it data.key when absent: 1 created, 0 it existed,
 * -1 on error.  With passphrase_file the key is encrypted with it; a store
 * whose signing keys are encrypted requires it (and checks it opens one).
 */
int keys_data_init(const char *dir, const char *passphrase_file, const struct keys_options *opt,
                   struct err *e);
/* Read the data key into key (KEYS_DATA_LEN bytes; sodium_malloc it): 0,
 * 1 when dir or its data.key is missing, -1 on error. */
int keys_data_load(const char *dir, const char *passphrase_file, unsigned char *key, struct err *e);
/* The same as a pii key (pii.h): 0 and *out, 1 when missing, -1 on error. */
int keys_data_pii(const char *dir, const char *passphrase_file, struct pii_key **out,
                  struct err *e);

/*
 * Write every file of the store into one new file at path (refused when it
 * exists), encrypted under the passphrase in backup_passphrase_file, which
 * is required, with a fresh salt and the store's pwhash limits.
 */
/* 1 when dir has no signing keys yet (no keys.json), else 0. */
int keys_index_absent(const char *dir);
/* The same for a key directory that holds only the data key (a register
 * that signs nothing yet); keys_restore restores it like any backup. */
int keys_backup_data(const char *dir, const char *path, const char *backup_passphrase_file,
                     struct err *e);
int keys_backup(struct keys *ks, const char *path, const char *backup_passphrase_file,
                struct err *e);
/*
 * Restore a backup into dir, which must be missing or empty (created 0700);
 * the data key is restored with the signing keys when the backup holds it.
 * Everything is decrypted and checked before the first file is written.
 */
int keys_restore(const char *backup_path, const char *backup_passphrase_file, const char *dir,
                 struct err *e);

/* For tests: 1 when the bytes occur anywhere in the store's own memory, else 0. */
int keys_memscan(const struct keys *ks, const uint8_t *needle, size_t len);

#endif
