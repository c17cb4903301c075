/*
 * tlog.h - the storage-independent core of the transparency log: an
 * append-only Merkle tree hashed as RFC 9162 (Certificate Transparency 2.0)
 * section 2.1 defines, its inclusion and consistency proofs, a compact
 * "frontier" that keeps the tree's root without its leaves, and checkpoints
 * in the C2SP tlog-checkpoint format signed as C2SP signed notes (note.h).
 *
 * Hashing (SHA-256):
 *     leaf hash  = SHA-256(0x00 || entry bytes)
 *     node hash  = SHA-256(0x01 || left || right)
 *     MTH({})    = SHA-256("")                      (the empty tree)
 *     MTH(D[n])  = node(MTH(D[0:k]), MTH(D[k:n]))   k = largest power of 2 < n
 * Entries are numbered from 0.
 *
 * Storage is the caller's: leaf hashes are read through a tlog_leaf_fn, so
 * the same code runs over database rows, an array in a test or a file.  A
 * root costs O(n) hashing and O(log n) memory; a proof hashes every leaf it
 * needs at most once (the subtrees a proof names are disjoint), so one proof
 * in a tree of n entries reads fewer than n leaves.  Nothing allocates.
 *
 * Checkpoint (the note body, exactly three lines):
 *     <origin>\n                 1..TLOG_ORIGIN_MAX printable ASCII, no space, no "+"
 *     <tree size>\n              decimal, no sign, no leading zero ("0" alone is fine)
 *     <base64 root hash>\n       base64 of exactly 32 bytes (44 characters)
 * then the blank line and signature lines of note.h.
 *
 * Proof text (for the command line and the API): one base64 hash (44
 * characters) per line, every line ending in "\n", in the RFC 9162 order;
 * an empty proof is the empty text.  At most TLOG_PROOF_MAX lines.
 *
 * Functions follow err.h (0 / -1); the verify functions answer a question
 * and return 1 (proven) or 0 (not proven, for whatever reason).  Hash
 * outputs may alias hash inputs.
 */
#ifndef OPCERT_TLOG_H
#define OPCERT_TLOG_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "note.h"

#define TLOG_HASH_LEN    32
#define TLOG_HASH_B64LEN 44 /* base64 of a hash, without NUL */
#define TLOG_MAX_HEIGHT  64 /* perfect subtrees a tree of up to 2^64 - 1 leaves splits into */
/*
 * Hashes in a proof: an inclusion proof has at most 64, a consistency
 * proof at most 65 (one per level and the old subtree's own hash).
 */
#define TLOG_PROOF_MAX      65
#define TLOG_PROOF_TEXT_MAX (TLOG_PROOF_MAX * (TLOG_HASH_B64LEN + 1))
/* Serialised frontier: version byte, size (8 bytes big-endian), the hashes. */
#define TLOG_FRONTIER_VERSION   1
#define TLOG_FRONTIER_MAX_BYTES (1 + 8 + TLOG_MAX_HEIGHT * TLOG_HASH_LEN)
#define TLOG_ORIGIN_MAX         255

/*
 * Reads the leaf hash of entry index into out.  Returns 0, or nonzero when
 * it cannot (the tlog function then fails with a system error naming the
 * index; a callback that knows more keeps it in ctx).
 */
typedef int (*tlog_leaf_fn)(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN]);

/* ---- hashing ---- */

/* SHA-256(0x00 || data[0..len)). */
void tlog_leaf_hash(const void *data, size_t len, uint8_t out[TLOG_HASH_LEN]);
/* SHA-256(0x01 || left || right). */
void tlog_node_hash(const uint8_t left[TLOG_HASH_LEN], const uint8_t right[TLOG_HASH_LEN],
                    uint8_t out[TLOG_HASH_LEN]);
/* MTH of the empty tree: SHA-256 of nothing. */
void tlog_empty_root(uint8_t out[TLOG_HASH_LEN]);

/* MTH of the first n leaves, read through leaf (n = 0 gives the empty root). */
int tlog_root(uint64_t n, tlog_leaf_fn leaf, void *ctx, uint8_t out[TLOG_HASH_LEN], struct err *e);

/* ---- the frontier: the roots of the perfect subtrees of the current tree ---- */

struct tlog_frontier {
	uint64_t size;
	/* node[h] is the root of the subtree of 2^h leaves when bit h of size is set. */
	uint8_t node[TLOG_MAX_HEIGHT][TLOG_HASH_LEN];
};

/* The empty tree. */
void tlog_frontier_init(struct tlog_frontier *f);
/* Append one leaf hash: O(log n).  Fails only when the tree holds 2^64 - 1 leaves. */
int tlog_frontier_append(struct tlog_frontier *f, const uint8_t leaf_hash[TLOG_HASH_LEN],
                         struct err *e);
/* MTH of the current tree: O(log n). */
void tlog_frontier_root(const struct tlog_frontier *f, uint8_t out[TLOG_HASH_LEN]);
/* Number of leaves. */
uint64_t tlog_frontier_size(const struct tlog_frontier *f);
/*
 * Serialise into out: version byte 1, the size as 8 bytes big-endian, then
 * the perfect subtrees' roots from the largest (leftmost) to the smallest.
 * Returns the length (9 + 32 * number of bits set in size).
 */
size_t tlog_frontier_serialize(const struct tlog_frontier *f, uint8_t out[TLOG_FRONTIER_MAX_BYTES]);
/* The inverse; the length must be exactly right. */
int tlog_frontier_deserialize(struct tlog_frontier *f, const uint8_t *buf, size_t len,
                              struct err *e);
/* The frontier of the first n leaves, read through leaf: O(n). */
int tlog_frontier_rebuild(struct tlog_frontier *f, uint64_t n, tlog_leaf_fn leaf, void *ctx,
                          struct err *e);

/* ---- proofs (RFC 9162 sections 2.1.3 and 2.1.4) ---- */

struct tlog_proof {
	size_t len; /* number of hashes */
	uint8_t hash[TLOG_PROOF_MAX][TLOG_HASH_LEN];
};

/* Inclusion proof of entry m in the tree of the first n entries (m < n). */
int tlog_prove_inclusion(uint64_t m, uint64_t n, tlog_leaf_fn leaf, void *ctx,
                         struct tlog_proof *out, struct err *e);
/*
 * 1 when proof shows that the leaf hash leaf_hash is entry m of the tree of
 * n entries whose root is root (RFC 9162 2.1.3.2), else 0.
 */
int tlog_verify_inclusion(const uint8_t leaf_hash[TLOG_HASH_LEN], uint64_t m, uint64_t n,
                          const struct tlog_proof *proof, const uint8_t root[TLOG_HASH_LEN]);

/*
 * Consistency proof that the tree of the first m entries is a prefix of
 * the tree of the first n (m <= n).  For m = 0 and m = n it is empty.
 */
int tlog_prove_consistency(uint64_t m, uint64_t n, tlog_leaf_fn leaf, void *ctx,
                           struct tlog_proof *out, struct err *e);
/*
 * 1 when proof shows that the tree of size m with root old_root is a prefix
 * of the tree of size n with root new_root (RFC 9162 2.1.4.2), else 0.
 * Edge cases: m > n is never proven; m = n needs an empty proof and equal
 * roots; m = 0 needs an empty proof and old_root = MTH({}) (every tree
 * extends the empty one); otherwise the proof must not be empty.
 */
int tlog_verify_consistency(uint64_t m, uint64_t n, const uint8_t old_root[TLOG_HASH_LEN],
                            const uint8_t new_root[TLOG_HASH_LEN], const struct tlog_proof *proof);

/* ---- text forms ---- */

/* base64 of a hash into out, with a NUL. */
void tlog_hash_format(const uint8_t hash[TLOG_HASH_LEN], char out[TLOG_HASH_B64LEN + 1]);
/* Exactly 44 characters of strict base64 encoding 32 bytes. */
int tlog_hash_parse(const char *s, size_t len, uint8_t out[TLOG_HASH_LEN], struct err *e);

/*
 * A proof as text (see above) into out with a NUL; *out_len gets the length
 * without the NUL.  cap = TLOG_PROOF_TEXT_MAX + 1 always suffices.
 */
int tlog_proof_format(const struct tlog_proof *p, char *out, size_t cap, size_t *out_len,
                      struct err *e);
/* Parse proof text strictly; e->line names the offending line. */
int tlog_proof_parse(const char *text, size_t len, struct tlog_proof *out, struct err *e);

/* ---- checkpoints (C2SP tlog-checkpoint in a C2SP signed note) ---- */

struct tlog_checkpoint {
	char origin[TLOG_ORIGIN_MAX + 1]; /* NUL-terminated */
	uint64_t size;
	uint8_t root[TLOG_HASH_LEN];
};

/* 1 when origin[0..len) is a valid origin line (without its newline), else 0. */
int tlog_origin_valid(const char *origin, size_t len);

/* The checkpoint body (three lines) into out with a NUL; *out_len without it. */
int tlog_checkpoint_body(const struct tlog_checkpoint *cp, char *out, size_t cap, size_t *out_len,
                         struct err *e);
/* Parse exactly a checkpoint body (three lines, nothing else). */
int tlog_checkpoint_parse_body(const char *text, size_t len, struct tlog_checkpoint *cp,
                               struct err *e);

/*
 * The signed checkpoint text: the body signed with the Ed25519 secret key
 * sk (libsodium's 64 bytes) under key_name, with a NUL.  cap = NOTE_MAX + 1
 * always suffices.
 */
int tlog_checkpoint_sign(const struct tlog_checkpoint *cp, const char *key_name,
                         const uint8_t sk[NOTE_SK_LEN], char *out, size_t cap, size_t *out_len,
                         struct err *e);
/*
 * Parse a signed checkpoint text[0..len) strictly and check that it carries
 * a valid signature by v (other signatures are skipped).  cp is filled only
 * on success.  The caller compares cp->origin with the log it expects.
 */
int tlog_checkpoint_open(const char *text, size_t len, const struct note_verifier *v,
                         struct tlog_checkpoint *cp, struct err *e);

#endif
