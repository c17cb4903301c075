/*
 * tlog.c - see tlog.h.  Every loop is bounded by the 64 bits of a tree
 * size or by the number of leaves the caller asked to hash; the verifiers
 * follow RFC 9162 2.1.3.2 and 2.1.4.2 step by step.
 */
#include "tlog.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "b64.h"

void tlog_leaf_hash(const void *data, size_t len, uint8_t out[TLOG_HASH_LEN])
{
	crypto_hash_sha256_state st;
	const uint8_t prefix = 0x00;

	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, &prefix, 1);
	if (len)
		crypto_hash_sha256_update(&st, data, len);
	crypto_hash_sha256_final(&st, out);
}

void tlog_node_hash(const uint8_t left[TLOG_HASH_LEN], const uint8_t right[TLOG_HASH_LEN],
                    uint8_t out[TLOG_HASH_LEN])
{
	uint8_t buf[1 + 2 * TLOG_HASH_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, TLOG_HASH_LEN);
	memcpy(buf + 1 + TLOG_HASH_LEN, right, TLOG_HASH_LEN);
	crypto_hash_sha256(out, buf, sizeof(buf));
}

void tlog_empty_root(uint8_t out[TLOG_HASH_LEN])
{
	crypto_hash_sha256(out, NULL, 0);
}

/* The largest power of 2 strictly below n (n >= 2). */
static uint64_t split(uint64_t n)
{
	uint64_t k = 1;

	while (k < n - k)
		k <<= 1;
	return k;
}

static int read_leaf(tlog_leaf_fn leaf, void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN],
                     struct err *e)
{
	if (leaf(ctx, index, out) != 0)
		return err_system(e, "读取日志第 %" PRIu64 " 条的叶子哈希失败", index);
	return 0;
}

/* ---- frontier ---- */

void tlog_frontier_init(struct tlog_frontier *f)
{
	memset(f, 0, sizeof(*f));
}

uint64_t tlog_frontier_size(const struct tlog_frontier *f)
{
	return f->size;
}

int tlog_frontier_append(struct tlog_frontier *f, const uint8_t leaf_hash[TLOG_HASH_LEN],
                         struct err *e)
{
	uint8_t h[TLOG_HASH_LEN];
	unsigned level = 0;

	if (f->size == UINT64_MAX)
		return err_input(e, "日志已满（%" PRIu64 " 条）", f->size);
	memcpy(h, leaf_hash, TLOG_HASH_LEN);
	/* Carry: each set low bit is a full subtree of the same size to merge with. */
	while (f->size >> level & 1) {
		tlog_node_hash(f->node[level], h, h);
		level++;
	}
	memcpy(f->node[level], h, TLOG_HASH_LEN);
	f->size++;
	return 0;
}

void tlog_frontier_root(const struct tlog_frontier *f, uint8_t out[TLOG_HASH_LEN])
{
	uint8_t r[TLOG_HASH_LEN];
	unsigned level;
	int have = 0;

	/* The smallest subtree is the rightmost; fold leftwards. */
	for (level = 0; level < TLOG_MAX_HEIGHT; level++) {
		if (!(f->size >> level & 1))
			continue;
		if (have) {
			tlog_node_hash(f->node[level], r, r);
		} else {
			memcpy(r, f->node[level], TLOG_HASH_LEN);
			have = 1;
		}
	}
	if (have)
		memcpy(out, r, TLOG_HASH_LEN);
	else
		tlog_empty_root(out);
}

static unsigned popcount64(uint64_t x)
{
	unsigned n = 0;

	while (x) {
		x &= x - 1;
		n++;
	}
	return n;
}

size_t tlog_frontier_serialize(const struct tlog_frontier *f, uint8_t out[TLOG_FRONTIER_MAX_BYTES])
{
	size_t n = 0;
	int level, i;

	out[n++] = TLOG_FRONTIER_VERSION;
	for (i = 7; i >= 0; i--)
		out[n++] = (uint8_t)(f->size >> (8 * i));
	for (level = TLOG_MAX_HEIGHT - 1; level >= 0; level--) {
		if (!(f->size >> level & 1))
			continue;
		memcpy(out + n, f->node[level], TLOG_HASH_LEN);
		n += TLOG_HASH_LEN;
	}
	return n;
}

int tlog_frontier_deserialize(struct tlog_frontier *f, const uint8_t *buf, size_t len,
                              struct err *e)
{
	uint64_t size = 0;
	size_t n;
	int level, i;

	if (len < 9 || buf[0] != TLOG_FRONTIER_VERSION)
		return err_input(e, "日志前沿数据格式错误");
	for (i = 1; i <= 8; i++)
		size = size << 8 | buf[i];
	if (len != 9 + (size_t)popcount64(size) * TLOG_HASH_LEN)
		return err_input(e, "日志前沿数据的长度与树的大小不符");
	tlog_frontier_init(f);
	f->size = size;
	n = 9;
	for (level = TLOG_MAX_HEIGHT - 1; level >= 0; level--) {
		if (!(size >> level & 1))
			continue;
		memcpy(f->node[level], buf + n, TLOG_HASH_LEN);
		n += TLOG_HASH_LEN;
	}
	return 0;
}

int tlog_frontier_rebuild(struct tlog_frontier *f, uint64_t n, tlog_leaf_fn leaf, void *ctx,
                          struct err *e)
{
	uint8_t h[TLOG_HASH_LEN];
	uint64_t i;

	tlog_frontier_init(f);
	for (i = 0; i < n; i++) {
		if (read_leaf(leaf, ctx, i, h, e) != 0)
			return -1;
		if (tlog_frontier_append(f, h, e) != 0)
			return -1;
	}
	return 0;
}

/* MTH(D[lo:lo+count]) through a local frontier: O(count) hashing, O(log count) memory. */
static int range_hash(uint64_t lo, uint64_t count, tlog_leaf_fn leaf, void *ctx,
                      uint8_t out[TLOG_HASH_LEN], struct err *e)
{
	struct tlog_frontier f;
	uint8_t h[TLOG_HASH_LEN];
	uint64_t i;

	tlog_frontier_init(&f);
	for (i = 0; i < count; i++) {
		if (read_leaf(leaf, ctx, lo + i, h, e) != 0)
			return -1;
		if (tlog_frontier_append(&f, h, e) != 0)
			return -1;
	}
	tlog_frontier_root(&f, out);
	return 0;
}

int tlog_root(uint64_t n, tlog_leaf_fn leaf, void *ctx, uint8_t out[TLOG_HASH_LEN], struct err *e)
{
	return range_hash(0, n, leaf, ctx, out, e);
}

/* ---- proofs ---- */

/* Reverse p->hash[from..p->len): proofs are collected top-down, given bottom-up. */
static void reverse_from(struct tlog_proof *p, size_t from)
{
	uint8_t t[TLOG_HASH_LEN];
	size_t i = from, j = p->len;

	while (i + 1 < j) {
		j--;
		memcpy(t, p->hash[i], TLOG_HASH_LEN);
		memcpy(p->hash[i], p->hash[j], TLOG_HASH_LEN);
		memcpy(p->hash[j], t, TLOG_HASH_LEN);
		i++;
	}
}

int tlog_prove_inclusion(uint64_t m, uint64_t n, tlog_leaf_fn leaf, void *ctx,
                         struct tlog_proof *out, struct err *e)
{
	uint64_t lo = 0, size = n, k;

	out->len = 0;
	if (m >= n)
		return err_input(e, "条目序号 %" PRIu64 " 不在大小为 %" PRIu64 " 的树中", m, n);
	/* PATH(m, D[lo:lo+size]): descend towards m, taking the other half each time. */
	while (size > 1) {
		if (out->len >= TLOG_PROOF_MAX) {
			err_system(e, "包含证明过长");
			goto fail;
		}
		k = split(size);
		if (m - lo < k) {
			if (range_hash(lo + k, size - k, leaf, ctx, out->hash[out->len], e) != 0)
				goto fail;
			size = k;
		} else {
			if (range_hash(lo, k, leaf, ctx, out->hash[out->len], e) != 0)
				goto fail;
			lo += k;
			size -= k;
		}
		out->len++;
	}
	reverse_from(out, 0);
	return 0;
fail:
	out->len = 0;
	return -1;
}

int tlog_prove_consistency(uint64_t m, uint64_t n, tlog_leaf_fn leaf, void *ctx,
                           struct tlog_proof *out, struct err *e)
{
	uint64_t lo = 0, size = n, mm = m, k;
	int whole = 1; /* RFC 9162's b: the old tree is still a whole subtree on this path */

	out->len = 0;
	if (m > n)
		return err_input(e, "旧大小 %" PRIu64 " 大于新大小 %" PRIu64, m, n);
	if (m == 0 || m == n)
		return 0;
	/*
	 * SUBPROOF(mm, D[lo:lo+size], whole).  The hash of the old subtree
	 * itself comes first when needed, then the siblings from the bottom
	 * up: keep slot 0 for it and collect the siblings top-down after it.
	 */
	out->len = 1;
	while (mm != size) {
		if (out->len >= TLOG_PROOF_MAX) {
			err_system(e, "一致性证明过长");
			goto fail;
		}
		k = split(size);
		if (mm <= k) {
			if (range_hash(lo + k, size - k, leaf, ctx, out->hash[out->len], e) != 0)
				goto fail;
			size = k;
		} else {
			if (range_hash(lo, k, leaf, ctx, out->hash[out->len], e) != 0)
				goto fail;
			lo += k;
			mm -= k;
			size -= k;
			whole = 0;
		}
		out->len++;
	}
	reverse_from(out, 1);
	if (whole) {
		/* The old tree is a subtree the verifier already knows: no slot 0. */
		memmove(out->hash[0], out->hash[1], (out->len - 1) * TLOG_HASH_LEN);
		out->len--;
	} else if (range_hash(lo, size, leaf, ctx, out->hash[0], e) != 0) {
		goto fail;
	}
	return 0;
fail:
	out->len = 0;
	return -1;
}

int tlog_verify_inclusion(const uint8_t leaf_hash[TLOG_HASH_LEN], uint64_t m, uint64_t n,
                          const struct tlog_proof *proof, const uint8_t root[TLOG_HASH_LEN])
{
	uint8_t r[TLOG_HASH_LEN];
	uint64_t fn, sn;
	size_t i;

	if (m >= n || proof->len > TLOG_PROOF_MAX)
		return 0;
	fn = m;
	sn = n - 1;
	memcpy(r, leaf_hash, TLOG_HASH_LEN);
	for (i = 0; i < proof->len; i++) {
		if (sn == 0)
			return 0;
		if ((fn & 1) || fn == sn) {
			tlog_node_hash(proof->hash[i], r, r);
			while (fn != 0 && !(fn & 1)) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			tlog_node_hash(r, proof->hash[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	return sn == 0 && sodium_memcmp(r, root, TLOG_HASH_LEN) == 0;
}

int tlog_verify_consistency(uint64_t m, uint64_t n, const uint8_t old_root[TLOG_HASH_LEN],
                            const uint8_t new_root[TLOG_HASH_LEN], const struct tlog_proof *proof)
{
	uint8_t fr[TLOG_HASH_LEN], sr[TLOG_HASH_LEN], empty[TLOG_HASH_LEN];
	const uint8_t *c;
	uint64_t fn, sn;
	size_t i, start;

	if (m > n || proof->len > TLOG_PROOF_MAX)
		return 0;
	if (m == n)
		return proof->len == 0 && sodium_memcmp(old_root, new_root, TLOG_HASH_LEN) == 0;
	if (m == 0) {
		tlog_empty_root(empty);
		return proof->len == 0 && sodium_memcmp(old_root, empty, TLOG_HASH_LEN) == 0;
	}
	if (proof->len == 0)
		return 0;
	/* 2: when m is a power of 2 the old root is the path's first element. */
	if ((m & (m - 1)) == 0) {
		memcpy(fr, old_root, TLOG_HASH_LEN);
		start = 0;
	} else {
		memcpy(fr, proof->hash[0], TLOG_HASH_LEN);
		start = 1;
	}
	memcpy(sr, fr, TLOG_HASH_LEN);
	/* 3, 4 */
	fn = m - 1;
	sn = n - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	/* 6 */
	for (i = start; i < proof->len; i++) {
		c = proof->hash[i];
		if (sn == 0)
			return 0;
		if ((fn & 1) || fn == sn) {
			tlog_node_hash(c, fr, fr);
			tlog_node_hash(c, sr, sr);
			while (fn != 0 && !(fn & 1)) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			tlog_node_hash(sr, c, sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	/* 7 */
	return sn == 0 && sodium_memcmp(fr, old_root, TLOG_HASH_LEN) == 0 &&
	       sodium_memcmp(sr, new_root, TLOG_HASH_LEN) == 0;
}

/* ---- text forms ---- */

void tlog_hash_format(const uint8_t hash[TLOG_HASH_LEN], char out[TLOG_HASH_B64LEN + 1])
{
	sodium_bin2base64(out, TLOG_HASH_B64LEN + 1, hash, TLOG_HASH_LEN,
	                  sodium_base64_VARIANT_ORIGINAL);
}

static int hash_decode(const char *s, size_t len, uint8_t out[TLOG_HASH_LEN])
{
	uint8_t buf[TLOG_HASH_LEN + 1];
	size_t n = 0;

	if (len != TLOG_HASH_B64LEN ||
	    b64_decode(s, len, B64_STANDARD, buf, sizeof(buf), &n) != 0 || n != TLOG_HASH_LEN)
		return -1;
	memcpy(out, buf, TLOG_HASH_LEN);
	return 0;
}

int tlog_hash_parse(const char *s, size_t len, uint8_t out[TLOG_HASH_LEN], struct err *e)
{
	if (!s || hash_decode(s, len, out) != 0)
		return err_input(e, "哈希应为 32 字节的 base64（44 个字符）");
	return 0;
}

int tlog_proof_format(const struct tlog_proof *p, char *out, size_t cap, size_t *out_len,
                      struct err *e)
{
	size_t i, n = 0;

	if (p->len > TLOG_PROOF_MAX)
		return err_input(e, "证明超过 %d 个哈希", TLOG_PROOF_MAX);
	if (cap < p->len * (TLOG_HASH_B64LEN + 1) + 1)
		return err_system(e, "证明文本的缓冲区太小");
	for (i = 0; i < p->len; i++) {
		tlog_hash_format(p->hash[i], out + n);
		n += TLOG_HASH_B64LEN;
		out[n++] = '\n';
	}
	out[n] = '\0';
	*out_len = n;
	return 0;
}

int tlog_proof_parse(const char *text, size_t len, struct tlog_proof *out, struct err *e)
{
	const char *p, *end, *nl;
	long line = 0;

	out->len = 0;
	if (len == 0)
		return 0;
	if (!text)
		return err_input(e, "证明为空指针");
	p = text;
	end = text + len;
	if (len > TLOG_PROOF_TEXT_MAX)
		return err_input(e, "证明超过 %d 个哈希", TLOG_PROOF_MAX);
	while (p < end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (out->len >= TLOG_PROOF_MAX) {
			out->len = 0;
			err_input(e, "证明超过 %d 个哈希", TLOG_PROOF_MAX);
			err_at(e, line, NULL, 0);
			return -1;
		}
		if (!nl || hash_decode(p, (size_t)(nl - p), out->hash[out->len]) != 0) {
			out->len = 0;
			err_input(e, nl ? "证明的每一行应为一个 32 字节哈希的 base64（44 个字符）"
			                : "证明的最后一行没有以换行结束");
			err_at(e, line, NULL, 0);
			return -1;
		}
		out->len++;
		p = nl + 1;
	}
	return 0;
}

/* ---- checkpoints ---- */

int tlog_origin_valid(const char *origin, size_t len)
{
	size_t i;

	if (!origin || len == 0 || len > TLOG_ORIGIN_MAX)
		return 0;
	for (i = 0; i < len; i++)
		if (origin[i] < 0x21 || origin[i] > 0x7e || origin[i] == '+')
			return 0;
	return 1;
}

int tlog_checkpoint_body(const struct tlog_checkpoint *cp, char *out, size_t cap, size_t *out_len,
                         struct err *e)
{
	char root[TLOG_HASH_B64LEN + 1];
	size_t olen = strnlen(cp->origin, sizeof(cp->origin));
	int n;

	if (!tlog_origin_valid(cp->origin, olen))
		return err_input(
		    e, "日志来源名称无效（须为 1 至 %d 个不含空格和“+”的可打印 ASCII 字符）",
		    TLOG_ORIGIN_MAX);
	tlog_hash_format(cp->root, root);
	n = snprintf(out, cap, "%s\n%" PRIu64 "\n%s\n", cp->origin, cp->size, root);
	if (n < 0 || (size_t)n >= cap)
		return err_system(e, "检查点的缓冲区太小");
	*out_len = (size_t)n;
	return 0;
}

/* A decimal tree size: "0" or a non-zero digit and digits, at most UINT64_MAX. */
static int parse_size(const char *s, size_t len, uint64_t *out)
{
	uint64_t v = 0;
	size_t i;

	if (len == 0 || len > 20 || (len > 1 && s[0] == '0'))
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int tlog_checkpoint_parse_body(const char *text, size_t len, struct tlog_checkpoint *cp,
                               struct err *e)
{
	struct tlog_checkpoint c;
	const char *line[3], *end, *p, *nl;
	size_t llen[3];
	int i;

	if (!text || len == 0)
		return err_input(e, "检查点为空");
	if (len > NOTE_MAX)
		return err_input(e, "检查点超过 %d 字节", NOTE_MAX);
	p = text;
	end = text + len;
	for (i = 0; i < 3; i++) {
		nl = p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
		if (!nl) {
			err_input(e, "检查点正文应恰好为三行：来源、树的大小、根哈希");
			err_at(e, i + 1, NULL, 0);
			return -1;
		}
		line[i] = p;
		llen[i] = (size_t)(nl - p);
		p = nl + 1;
	}
	if (p != end) {
		err_input(e, "检查点正文应恰好为三行：来源、树的大小、根哈希");
		err_at(e, 4, NULL, 0);
		return -1;
	}
	memset(&c, 0, sizeof(c));
	if (!tlog_origin_valid(line[0], llen[0])) {
		err_input(e, "检查点的日志来源无效");
		err_at(e, 1, NULL, 0);
		return -1;
	}
	memcpy(c.origin, line[0], llen[0]);
	c.origin[llen[0]] = '\0';
	if (parse_size(line[1], llen[1], &c.size) != 0) {
		err_input(e, "检查点的树大小应为不带符号和前导零的十进制数");
		err_at(e, 2, NULL, 0);
		return -1;
	}
	if (hash_decode(line[2], llen[2], c.root) != 0) {
		err_input(e, "检查点的根哈希应为 32 字节的 base64（44 个字符）");
		err_at(e, 3, NULL, 0);
		return -1;
	}
	*cp = c;
	return 0;
}

int tlog_checkpoint_sign(const struct tlog_checkpoint *cp, const char *key_name,
                         const uint8_t sk[NOTE_SK_LEN], char *out, size_t cap, size_t *out_len,
                         struct err *e)
{
	char body[NOTE_MAX + 1];
	size_t blen;

	if (tlog_checkpoint_body(cp, body, sizeof(body), &blen, e) != 0)
		return -1;
	return note_sign(body, blen, key_name, sk, out, cap, out_len, e);
}

int tlog_checkpoint_open(const char *text, size_t len, const struct note_verifier *v,
                         struct tlog_checkpoint *cp, struct err *e)
{
	size_t blen;

	if (note_open(text, len, v, &blen, e) != 0)
		return -1;
	return tlog_checkpoint_parse_body(text, blen, cp, e);
}
