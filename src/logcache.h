/*
 * logcache.h - the transparency log's subtree hashes kept in memory by the
 * server, so that an inclusion proof in a log of a million entries costs
 * milliseconds instead of seconds.
 *
 * tlog_prove_inclusion() reads and hashes every leaf of the tree it proves
 * in (the sibling subtrees of a path cover the whole tree): a second for
 * each proof at a million entries.  This cache keeps the root of every
 * complete block of 2^LOGCACHE_BITS leaves and the leaves of the last,
 * incomplete block (32 bytes for every 256 entries: 125 KB at a million);
 * a proof then reads only its entry's own block from the store and hashes
 * about n / 256 nodes.  The cache grows with the log, reading only the new
 * entries.  Hashing follows RFC 9162 exactly as tlog.h does (the roots of
 * blocks are combined with tlog_root), and the caller holds what it gives
 * against a signed checkpoint's root and verifies every proof with
 * tlog_verify_inclusion() before it is answered.
 *
 * Not thread-safe: the server keeps one behind a mutex.
 */
#ifndef OPCERT_LOGCACHE_H
#define OPCERT_LOGCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "tlog.h"

#define LOGCACHE_BITS  8
#define LOGCACHE_BLOCK ((uint64_t)1 << LOGCACHE_BITS)

struct logcache {
	uint64_t n;                      /* leaves covered */
	uint8_t (*block)[TLOG_HASH_LEN]; /* block i: the root of leaves [i*256, (i+1)*256) */
	size_t nblocks, cap;
	uint8_t tail[LOGCACHE_BLOCK][TLOG_HASH_LEN]; /* the leaves after the last block */
};

void logcache_init(struct logcache *c);
void logcache_release(struct logcache *c);

/*
 * Cover the first n entries of st's log (n >= c->n; call inside a read
 * transaction), reading the stored leaf hashes of the new entries only.
 * A missing or misnumbered entry is a system error that names it.
 */
int logcache_extend(struct logcache *c, struct store *st, uint64_t n, struct err *err);

/* The root (MTH) of the first c->n leaves. */
int logcache_root(const struct logcache *c, uint8_t out[TLOG_HASH_LEN], struct err *err);

/* The inclusion proof of entry m (< c->n) in the tree of c->n leaves; reads m's block from st. */
int logcache_prove(const struct logcache *c, struct store *st, uint64_t m, struct tlog_proof *out,
                   struct err *err);

#endif
