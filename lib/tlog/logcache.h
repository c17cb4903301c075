/*
 * logcache.h - the transparency log's subtree hashes kept in memory, so
 * that an inclusion proof in a log of a million entries costs milliseconds
 * instead of seconds.
 *
 * tlog_prove_inclusion() reads and hashes every leaf of the tree it proves
 * in (the sibling subtrees of a path cover the whole tree): a second for
 * each proof at a million entries.  This cache keeps the root of every
 * complete block of 2^LOGCACHE_BITS leaves and the leaves of the last,
 * incomplete block (32 bytes for every 256 entries: 125 KB at a million);
 * a proof then reads only its entry's own block from the store and hashes
 * about n / 256 nodes.  The cache grows with the log, reading only the new
 * entries.  Hashing follows RFC 9162 exactly as tlog.h does (the roots of
 * blocks are combined with tlog_root).  ledger_prove (ledger.h) is its
 * user: it holds the cache's root against the tree it proves in (a signed
 * checkpoint's, the log state's), remembers the root it confirmed, and
 * verifies every proof with tlog_verify_inclusion() before it is given out.
 * The server keeps one for its lifetime; `opcert log prove` makes one for a
 * single proof.
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
	/* The root its user last held against a tree of confirmed_size leaves
	 * and found equal (0: none yet). */
	uint64_t confirmed_size;
	uint8_t confirmed_root[TLOG_HASH_LEN];
};

void logcache_init(struct logcache *c);
void logcache_release(struct logcache *c);

/*
 * Cover the first n entries of st's log (n >= c->n; call inside a read
 * transaction), reading the stored leaf hashes of the new entries only.
 * Returns 0, or 1 when the log holds fewer than n entries (c->n then says
 * how many; the caller words the error), or -1: a missing or misnumbered
 * entry is a system error that names it.
 */
int logcache_extend(struct logcache *c, struct store *st, uint64_t n, struct err *err);

/* The root (MTH) of the first c->n leaves. */
int logcache_root(const struct logcache *c, uint8_t out[TLOG_HASH_LEN], struct err *err);

/* The inclusion proof of entry m (< c->n) in the tree of c->n leaves; reads m's block from st. */
int logcache_prove(const struct logcache *c, struct store *st, uint64_t m, struct tlog_proof *out,
                   struct err *err);

#endif
