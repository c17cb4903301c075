/*
 * test_ledger.c - the log as a signed tree (ledger.h, lib/tlog/ledger_tree.c):
 * ledger_prove, the one inclusion proof of `opcert log prove` and the
 * server, with and without the proof cache, against the plain RFC 9162
 * proof over every stored leaf; an entry past the tree, an empty tree, an
 * entry whose data no longer matches its leaf hash, leaves that no longer
 * make the tree's root (worded for a checkpoint or the log state), a log
 * shorter than the tree, and a cache that follows trees that grow, shrink
 * and change.  ledger_checkpoint_create: a note signed by the log key,
 * stored, and the audit trail's head anchored in the log before it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys.h"
#include "ledger.h"
#include "logcache.h"
#include "note.h"
#include "store.h"
#include "tlog.h"
#include "trail.h"
#include "fixture.h"

#define NOW      ((int64_t)1750000000)
#define NENTRIES 600 /* two blocks of the cache and a tail */

struct fixture {
	struct fixture_dir tmp;
	struct store *st;
	uint8_t (*leaf)[TLOG_HASH_LEN]; /* the stored leaf hashes, read back */
};

/* Plain SQL on the file, behind the system's back. */
static void sql(const struct fixture *f, const char *text)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(f->tmp.db, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("SQL failed: %s: %s", text, msg ? msg : "?");
	sqlite3_close(db);
}

/* Append n key events, in one transaction. */
static void append(struct fixture *f, int n)
{
	struct ledger l;
	struct ledger_event ev;
	struct err err;
	char detail[32];
	int i;

	err_clear(&err);
	assert_int_equal(store_begin(f->st, STORE_TXN_NORMAL, &err), 0);
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	for (i = 0; i < n; i++) {
		memset(&ev, 0, sizeof(ev));
		ev.kind = LEDGER_KEY;
		ev.time = NOW + i;
		snprintf(detail, sizeof(detail), "issuing %08x", (unsigned)i);
		ev.detail = detail;
		if (ledger_append(&l, &ev, NULL, &err) < 0)
			fail_msg("ledger_append: %s", err.msg);
	}
	assert_int_equal(ledger_save(&l, &err), 0);
	assert_int_equal(store_commit(f->st, &err), 0);
}

static void read_leaves(struct fixture *f, uint64_t n)
{
	struct store_log_entry *e = malloc(sizeof(*e));
	struct err err;
	uint64_t i;

	assert_non_null(e);
	free(f->leaf);
	f->leaf = malloc(n * TLOG_HASH_LEN);
	assert_non_null(f->leaf);
	err_clear(&err);
	for (i = 0; i < n; i++) {
		assert_int_equal(store_log_get(f->st, (int64_t)i, e, &err), 1);
		memcpy(f->leaf[i], e->leaf, TLOG_HASH_LEN);
	}
	free(e);
}

static int array_leaf(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN])
{
	const uint8_t(*leaf)[TLOG_HASH_LEN] = ctx;

	memcpy(out, leaf[index], TLOG_HASH_LEN);
	return 0;
}

/* The tree of the first n entries, its root computed here from the leaves. */
static struct ledger_tree tree_of(const struct fixture *f, uint64_t n, int from_checkpoint)
{
	struct ledger_tree t;
	struct err err;

	memset(&t, 0, sizeof(t));
	t.size = n;
	t.from_checkpoint = from_checkpoint;
	err_clear(&err);
	assert_int_equal(tlog_root(n, array_leaf, f->leaf, t.root, &err), 0);
	return t;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || sodium_init() < 0 || fixture_dir_make(&f->tmp, "ledger") != 0 ||
	    fixture_store(f->tmp.db, &f->st) != 0)
		return -1;
	append(f, NENTRIES);
	read_leaves(f, NENTRIES);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc;

	store_close(f->st);
	rc = fixture_dir_remove(&f->tmp);
	free(f->leaf);
	free(f);
	return rc;
}

/* ledger_prove inside a read transaction. */
static int prove(struct fixture *f, struct logcache *c, const struct ledger_tree *t, uint64_t m,
                 struct ledger_proof *p, struct err *err)
{
	int rc;

	err_clear(err);
	assert_int_equal(store_begin(f->st, STORE_TXN_READ, err), 0);
	rc = ledger_prove(f->st, c, t, m, p, err);
	store_rollback(f->st);
	return rc;
}

/* Every entry, in trees of several sizes: the proof with the cache, without
 * it and the plain one over every leaf are the same, and they verify. */
static void test_prove_every_entry(void **state)
{
	static const uint64_t sizes[] = {1, 2, 255, 256, 257, 511, 512, 513, NENTRIES};
	struct fixture *f = *state;
	struct ledger_proof *p = malloc(sizeof(*p)), *q = malloc(sizeof(*q));
	struct tlog_proof plain;
	struct logcache cache;
	struct err err;
	size_t k;
	uint64_t m;

	assert_non_null(p);
	assert_non_null(q);
	logcache_init(&cache);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct ledger_tree t = tree_of(f, sizes[k], 1);

		for (m = 0; m<t.size; m += t.size> 300 ? 7 : 1) {
			assert_int_equal(prove(f, &cache, &t, m, p, &err), 0);
			assert_int_equal(prove(f, NULL, &t, m, q, &err), 0);
			assert_int_equal(
			    tlog_prove_inclusion(m, t.size, array_leaf, f->leaf, &plain, &err), 0);
			assert_int_equal(p->proof.len, plain.len);
			assert_memory_equal(p->proof.hash, plain.hash, plain.len * TLOG_HASH_LEN);
			assert_int_equal(q->proof.len, plain.len);
			assert_memory_equal(q->proof.hash, plain.hash, plain.len * TLOG_HASH_LEN);
			assert_memory_equal(p->leaf, f->leaf[m], TLOG_HASH_LEN);
			assert_int_equal(p->entry.index, (int64_t)m);
			assert_true(tlog_verify_inclusion(p->leaf, m, t.size, &p->proof, t.root));
		}
	}
	/* the cache followed the trees, growing; it now covers the whole log */
	assert_int_equal(cache.n, NENTRIES);
	logcache_release(&cache);
	free(p);
	free(q);
}

/* An entry past the tree is the caller's mistake, named with the tree's size. */
static void test_past_the_tree(void **state)
{
	struct fixture *f = *state;
	struct ledger_proof *p = malloc(sizeof(*p));
	struct ledger_tree t = tree_of(f, 300, 0), empty = tree_of(f, 0, 1);
	struct err err;

	assert_non_null(p);
	assert_int_equal(prove(f, NULL, &t, 300, p, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_string_equal(err.msg, "日志只有 300 条（第 0 至 299 条），没有第 300 条");
	assert_int_equal(prove(f, NULL, &t, UINT64_MAX, p, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_int_equal(prove(f, NULL, &empty, 0, p, &err), -1);
	assert_int_equal(err.kind, ERR_INPUT);
	assert_string_equal(err.msg, "日志是空的");
	/* entry 299 is the last one in it */
	assert_int_equal(prove(f, NULL, &t, 299, p, &err), 0);
	free(p);
}

/* Entry 7's data edited: proving it names it; other entries still prove,
 * since the leaf hashes (what the tree is made of) are untouched. */
static void test_bad_leaf(void **state)
{
	struct fixture *f = *state;
	struct ledger_proof *p = malloc(sizeof(*p));
	struct ledger_tree t = tree_of(f, NENTRIES, 1);
	struct err err;

	assert_non_null(p);
	sql(f, "update log_entry set data = substr(data, 1, 10) || x'00' || substr(data, 12) "
	       "where idx = 7");
	assert_int_equal(prove(f, NULL, &t, 7, p, &err), -1);
	assert_int_equal(err.kind, ERR_SYSTEM);
	assert_string_equal(err.msg, "日志第 7 条的内容与其叶子哈希不符，请运行 opcert log verify");
	assert_int_equal(prove(f, NULL, &t, 8, p, &err), 0);
	free(p);
}

/* Entry 300's leaf hash changed: its own proof names the entry; every other
 * entry's proof finds that the leaves no longer make the root. */
static void test_leaves_do_not_make_the_root(void **state)
{
	struct fixture *f = *state;
	struct ledger_proof *p = malloc(sizeof(*p));
	struct ledger_tree signed_tree = tree_of(f, NENTRIES, 1),
	                   state_tree = tree_of(f, NENTRIES, 0);
	struct logcache cache;
	struct err err;

	assert_non_null(p);
	logcache_init(&cache);
	assert_int_equal(prove(f, &cache, &signed_tree, 3, p, &err), 0);
	sql(f, "update log_entry set leaf = zeroblob(32) where idx = 300");
	assert_int_equal(prove(f, NULL, &signed_tree, 300, p, &err), -1);
	assert_non_null(strstr(err.msg, "日志第 300 条的内容与其叶子哈希不符"));
	assert_int_equal(prove(f, NULL, &signed_tree, 3, p, &err), -1);
	assert_int_equal(err.kind, ERR_SYSTEM);
	assert_string_equal(err.msg, "日志条目与签名的检查点不符，请运行 opcert log verify");
	assert_int_equal(prove(f, NULL, &state_tree, 3, p, &err), -1);
	assert_string_equal(err.msg,
	                    "日志的条目与日志状态记录的根哈希不符，请运行 opcert log verify");
	/* the cache confirmed this root before the change and read entry 300's
	 * block again for a proof in it: that proof fails its own check */
	assert_int_equal(prove(f, &cache, &signed_tree, 301, p, &err), -1);
	assert_int_equal(err.kind, ERR_SYSTEM);
	assert_non_null(strstr(err.msg, "自检"));
	logcache_release(&cache);
	free(p);
}

/* A tree larger than the log (entries deleted at the end). */
static void test_log_shorter_than_tree(void **state)
{
	struct fixture *f = *state;
	struct ledger_proof *p = malloc(sizeof(*p));
	struct ledger_tree signed_tree = tree_of(f, NENTRIES, 1),
	                   state_tree = tree_of(f, NENTRIES, 0);
	struct err err;

	assert_non_null(p);
	sql(f, "delete from log_entry where idx >= 590");
	assert_int_equal(prove(f, NULL, &state_tree, 5, p, &err), -1);
	assert_string_equal(err.msg,
	                    "日志只有 590 条，少于日志状态记录的 600 条，请运行 opcert log verify");
	assert_int_equal(prove(f, NULL, &signed_tree, 5, p, &err), -1);
	assert_string_equal(err.msg,
	                    "日志只有 590 条，少于检查点记录的 600 条，请运行 opcert log verify");
	assert_int_equal(prove(f, NULL, &signed_tree, 595, p, &err), -1);
	assert_string_equal(err.msg, "日志第 595 条不存在，请运行 opcert log verify");
	free(p);
}

/* The server's cache: a wrong root is refused and the cache starts again
 * (the next right tree proves); a tree smaller than the cache (the log
 * rolled back) proves too. */
static void test_cache_follows_tree(void **state)
{
	struct fixture *f = *state;
	struct ledger_proof *p = malloc(sizeof(*p));
	struct ledger_tree full = tree_of(f, NENTRIES, 1), half = tree_of(f, 300, 1), wrong = full;
	struct logcache cache;
	struct err err;

	assert_non_null(p);
	logcache_init(&cache);
	wrong.root[0] ^= 1;
	assert_int_equal(prove(f, &cache, &full, 42, p, &err), 0);
	assert_int_equal(prove(f, &cache, &wrong, 42, p, &err), -1);
	assert_string_equal(err.msg, "日志条目与签名的检查点不符，请运行 opcert log verify");
	assert_int_equal(cache.n, 0);
	assert_int_equal(prove(f, &cache, &full, 42, p, &err), 0);
	assert_int_equal(prove(f, &cache, &half, 42, p, &err), 0);
	assert_true(tlog_verify_inclusion(p->leaf, 42, 300, &p->proof, half.root));
	assert_int_equal(cache.n, 300);
	/* the log grows: the cache follows */
	append(f, 10);
	read_leaves(f, NENTRIES + 10);
	full = tree_of(f, NENTRIES + 10, 1);
	assert_int_equal(prove(f, &cache, &full, NENTRIES + 9, p, &err), 0);
	assert_int_equal(cache.n, NENTRIES + 10);
	logcache_release(&cache);
	free(p);
}

/* --- checkpoints --- */

static struct keys *key_store(struct fixture *f)
{
	struct keys_options o;
	struct keys *ks;
	struct err err;
	char dir[FIXTURE_FILE_SIZE];

	memset(&o, 0, sizeof(o));
	o.log_name = "opcert.test/log-key";
	snprintf(dir, sizeof(dir), "%s/keys", f->tmp.path);
	err_clear(&err);
	if (keys_init(dir, NULL, &o, NOW, &err) != 3)
		fail_msg("keys_init: %s", err.msg);
	ks = keys_open(dir, NULL, &o, &err);
	if (!ks)
		fail_msg("keys_open: %s", err.msg);
	return ks;
}

static int64_t log_size(struct fixture *f)
{
	struct ledger l;
	struct err err;

	err_clear(&err);
	assert_int_equal(ledger_open(&l, f->st, &err), 0);
	return ledger_size(&l);
}

static void test_checkpoint_create(void **state)
{
	struct fixture *f = *state;
	struct keys *ks = key_store(f);
	const struct keys_info *logk = keys_get(ks, KEYS_LOG);
	struct note_verifier v;
	struct tlog_checkpoint cp, opened;
	struct store_log_entry *e = malloc(sizeof(*e));
	struct ledger_event ev;
	struct ledger_proof *p = malloc(sizeof(*p));
	struct ledger_tree t;
	struct err err;
	char note[NOTE_MAX + 1], stored[NOTE_MAX + 1], number[CERTNO_SIZE], detail[128];
	int64_t size = -1, before;

	assert_non_null(e);
	assert_non_null(p);
	err_clear(&err);
	assert_int_equal(note_verifier_init(&v, keys_log_name(ks), logk->pk, &err), 0);

	/* the audit trail moved: its head goes into the log before the signature */
	assert_int_equal(store_begin(f->st, STORE_TXN_NORMAL, &err), 0);
	assert_int_equal(trail_append(f->st, NULL, NOW, "config.set", "config:x", NULL, &err), 0);
	assert_int_equal(store_commit(f->st, &err), 0);
	before = log_size(f);
	if (ledger_checkpoint_create(f->st, ks, NOW, note, sizeof(note), &cp, &err) < 0)
		fail_msg("ledger_checkpoint_create: %s", err.msg);
	assert_int_equal(log_size(f), before + 1);
	assert_int_equal(cp.size, (uint64_t)before + 1);
	assert_string_equal(cp.origin, "opcert.local/log");
	assert_int_equal(store_log_get(f->st, before, e, &err), 1);
	assert_int_equal(
	    ledger_decode(e->data, e->len, &ev, number, sizeof(number), detail, sizeof(detail)), 0);
	assert_int_equal(ev.kind, LEDGER_TRAIL);
	assert_int_equal(strncmp(ev.detail, "1 ", 2), 0);

	/* signed by the log key, stored as made, and saying what cp says */
	assert_int_equal(tlog_checkpoint_open(note, strlen(note), &v, &opened, &err), 0);
	assert_int_equal(opened.size, cp.size);
	assert_memory_equal(opened.root, cp.root, TLOG_HASH_LEN);
	assert_int_equal(store_checkpoint_latest(f->st, &size, stored, sizeof(stored), &err), 1);
	assert_int_equal(size, (int64_t)cp.size);
	assert_string_equal(stored, note);

	/* and the anchor is provable in it */
	t.size = cp.size;
	memcpy(t.root, cp.root, TLOG_HASH_LEN);
	t.from_checkpoint = 1;
	assert_int_equal(prove(f, NULL, &t, cp.size - 1, p, &err), 0);

	/* nothing moved since: no new anchor, the same tree; neither buffer needed */
	assert_int_equal(ledger_checkpoint_create(f->st, ks, NOW + 1, NULL, 0, NULL, &err), 0);
	assert_int_equal(log_size(f), before + 1);
	/* a buffer too small for the note is an error */
	assert_int_equal(ledger_checkpoint_create(f->st, ks, NOW + 2, note, 10, NULL, &err), -1);
	assert_int_equal(err.kind, ERR_SYSTEM);

	keys_close(ks);
	free(e);
	free(p);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_prove_every_entry),
	    T(test_past_the_tree),
	    T(test_bad_leaf),
	    T(test_leaves_do_not_make_the_root),
	    T(test_log_shorter_than_tree),
	    T(test_cache_follows_tree),
	    T(test_checkpoint_create),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
