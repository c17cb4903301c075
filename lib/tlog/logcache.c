/* logcache.c - the log's block roots in memory for fast proofs; see logcache.h */
#include "logcache.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define MASK (LOGCACHE_BLOCK - 1)

void logcache_init(struct logcache *c)
{
	memset(c, 0, sizeof(*c));
}

void logcache_release(struct logcache *c)
{
	free(c->block);
	logcache_init(c);
}

/* A tlog_leaf_fn over an array of hashes. */
static int array_leaf(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN])
{
	const uint8_t(*hash)[TLOG_HASH_LEN] = ctx;

	memcpy(out, hash[index], TLOG_HASH_LEN);
	return 0;
}

static int push_block(struct logcache *c, struct err *err)
{
	if (c->nblocks == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		void *p = realloc(c->block, cap * TLOG_HASH_LEN);

		if (!p)
			return err_system(err, "内存不足");
		c->block = p;
		c->cap = cap;
	}
	if (tlog_root(LOGCACHE_BLOCK, array_leaf, c->tail, c->block[c->nblocks], err) < 0)
		return -1;
	c->nblocks++;
	return 0;
}

struct extend_ctx {
	struct logcache *c;
	uint64_t target;
	struct err *err;
};

static int extend_entry(void *arg, const struct store_log_entry *e)
{
	struct extend_ctx *x = arg;
	struct logcache *c = x->c;

	if (c->n >= x->target)
		return 1;
	if (e->index != (int64_t)c->n) {
		err_system(x->err, "日志第 %" PRIu64 " 条缺失或顺序错误，请运行 opcert log verify",
		           c->n);
		return -1;
	}
	memcpy(c->tail[c->n & MASK], e->leaf, TLOG_HASH_LEN);
	c->n++;
	if ((c->n & MASK) == 0 && push_block(c, x->err) < 0) {
		c->n--;
		return -1;
	}
	return c->n >= x->target;
}

int logcache_extend(struct logcache *c, struct store *st, uint64_t n, struct err *err)
{
	struct extend_ctx x = {c, n, err};
	int rc;

	if (n <= c->n)
		return 0;
	rc = store_log_each(st, (int64_t)c->n, extend_entry, &x, err);
	if (rc < 0)
		return -1;
	return c->n < n ? 1 : 0;
}

/* Where the leaves of a computation come from: the tail, or one block read for a proof. */
struct tree {
	const struct logcache *c;
	const uint8_t (*blk)[TLOG_HASH_LEN]; /* leaves [blk_start, blk_start + 256), or NULL */
	uint64_t blk_start;
};

static int leaf_of(const struct tree *t, uint64_t i, uint8_t out[TLOG_HASH_LEN], struct err *err)
{
	uint64_t tail_start = (uint64_t)t->c->nblocks << LOGCACHE_BITS;

	if (i >= tail_start && i < t->c->n) {
		memcpy(out, t->c->tail[i - tail_start], TLOG_HASH_LEN);
		return 0;
	}
	if (t->blk && i >= t->blk_start && i - t->blk_start < LOGCACHE_BLOCK) {
		memcpy(out, t->blk[i - t->blk_start], TLOG_HASH_LEN);
		return 0;
	}
	return err_system(err, "日志证明缓存中没有第 %" PRIu64 " 条", i);
}

static uint64_t split_point(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k; /* the largest power of two below n (n >= 2) */
}

/* MTH(D[a:b]) per RFC 9162, complete blocks taken from the cache. */
static int mth(const struct tree *t, uint64_t a, uint64_t b, uint8_t out[TLOG_HASH_LEN],
               struct err *err)
{
	uint8_t left[TLOG_HASH_LEN], right[TLOG_HASH_LEN];
	uint64_t n = b - a, k;

	if (n == 0) {
		tlog_empty_root(out);
		return 0;
	}
	if (n == 1)
		return leaf_of(t, a, out, err);
	if ((a & MASK) == 0 && (n & MASK) == 0 && b >> LOGCACHE_BITS <= t->c->nblocks)
		/* Whole blocks: their roots combine exactly as their leaves would. */
		return tlog_root(n >> LOGCACHE_BITS, array_leaf,
		                 (void *)t->c->block[a >> LOGCACHE_BITS], out, err);
	k = split_point(n);
	if (mth(t, a, a + k, left, err) < 0 || mth(t, a + k, b, right, err) < 0)
		return -1;
	tlog_node_hash(left, right, out);
	return 0;
}

/* PATH(m, D[a:b]) per RFC 9162, appended to out from the leaf up. */
static int path(const struct tree *t, uint64_t m, uint64_t a, uint64_t b, struct tlog_proof *out,
                struct err *err)
{
	uint8_t sibling[TLOG_HASH_LEN];
	uint64_t k;
	int rc;

	if (b - a <= 1)
		return 0;
	k = split_point(b - a);
	if (m < a + k)
		rc = path(t, m, a, a + k, out, err) < 0 ? -1 : mth(t, a + k, b, sibling, err);
	else
		rc = path(t, m, a + k, b, out, err) < 0 ? -1 : mth(t, a, a + k, sibling, err);
	if (rc < 0)
		return -1;
	if (out->len >= TLOG_PROOF_MAX)
		return err_system(err, "证明过长");
	memcpy(out->hash[out->len++], sibling, TLOG_HASH_LEN);
	return 0;
}

int logcache_root(const struct logcache *c, uint8_t out[TLOG_HASH_LEN], struct err *err)
{
	struct tree t = {c, NULL, 0};

	return mth(&t, 0, c->n, out, err);
}

struct block_ctx {
	uint8_t (*leaf)[TLOG_HASH_LEN];
	uint64_t start, next;
	struct err *err;
};

static int block_entry(void *arg, const struct store_log_entry *e)
{
	struct block_ctx *b = arg;

	if (e->index != (int64_t)b->next) {
		err_system(b->err, "日志第 %" PRIu64 " 条缺失或顺序错误，请运行 opcert log verify",
		           b->next);
		return -1;
	}
	memcpy(b->leaf[b->next - b->start], e->leaf, TLOG_HASH_LEN);
	b->next++;
	return b->next - b->start == LOGCACHE_BLOCK;
}

int logcache_prove(const struct logcache *c, struct store *st, uint64_t m, struct tlog_proof *out,
                   struct err *err)
{
	uint8_t(*leaf)[TLOG_HASH_LEN] = NULL;
	struct tree t = {c, NULL, 0};
	int rc = -1;

	out->len = 0;
	if (m >= c->n)
		return err_input(err, "日志没有第 %" PRIu64 " 条", m);
	if (m >> LOGCACHE_BITS < c->nblocks) {
		/* m lies in a complete block: read that block's leaves. */
		struct block_ctx b;

		leaf = malloc(LOGCACHE_BLOCK * TLOG_HASH_LEN);
		if (!leaf)
			return err_system(err, "内存不足");
		b.leaf = leaf;
		b.start = b.next = m & ~MASK;
		b.err = err;
		if (store_log_each(st, (int64_t)b.start, block_entry, &b, err) < 0)
			goto out;
		if (b.next - b.start != LOGCACHE_BLOCK) {
			err_system(err, "日志第 %" PRIu64 " 条缺失，请运行 opcert log verify",
			           b.next);
			goto out;
		}
		t.blk = (const uint8_t(*)[TLOG_HASH_LEN])leaf;
		t.blk_start = b.start;
	}
	rc = path(&t, m, 0, c->n, out, err);
out:
	free(leaf);
	return rc;
}
