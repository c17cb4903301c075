/*
 * trail.c - the audit trail (trail.h): appending to the hash chain,
 * anchoring its head in the transparency log, and verification.
 *
 * Verification reads the log once (every LEDGER_TRAIL anchor, and the
 * leaves, so the anchors can be held to the newest signed checkpoint),
 * then the trail once in seq order.  At the first place the chain breaks
 * it looks one entry ahead to tell an edit from a deletion or an
 * insertion; a chain rebuilt from scratch is consistent in itself and is
 * caught by the anchors instead, which can only narrow the change down to
 * the entries between two anchors.
 */
#include "trail.h"

#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "ledger.h"
#include "note.h"
#include "tlog.h"

#define TRAIL_TAG            "opcert-trail/1"
#define DEFAULT_MAX_FINDINGS 1000

void actor_cli(struct actor *a)
{
	const char *user = getenv("USER");

	memset(a, 0, sizeof(*a));
	if (user && *user)
		snprintf(a->login, sizeof(a->login), "cli:%.59s", user);
	else
		snprintf(a->login, sizeof(a->login), "cli:uid%u", (unsigned)getuid());
	snprintf(a->role, sizeof(a->role), "cli");
}

/* --- the chain --- */

static void put_u64(crypto_hash_sha256_state *h, uint64_t v)
{
	uint8_t b[8];
	int i;

	for (i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (56 - 8 * i));
	crypto_hash_sha256_update(h, b, sizeof(b));
}

static void put_str(crypto_hash_sha256_state *h, const char *s)
{
	size_t n = strlen(s);
	uint8_t b[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};

	crypto_hash_sha256_update(h, b, sizeof(b));
	crypto_hash_sha256_update(h, (const uint8_t *)s, n);
}

static void hash_at(const struct store_trail_entry *e, int64_t seq, uint8_t out[TRAIL_HASH_LEN])
{
	crypto_hash_sha256_state h;
	uint8_t flag = e->has_detail ? 1 : 0;

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, (const uint8_t *)TRAIL_TAG, strlen(TRAIL_TAG));
	put_u64(&h, (uint64_t)seq);
	put_u64(&h, (uint64_t)e->at);
	put_str(&h, e->login);
	put_str(&h, e->role);
	put_str(&h, e->addr);
	put_str(&h, e->action);
	put_str(&h, e->object);
	crypto_hash_sha256_update(&h, &flag, 1);
	if (flag)
		put_str(&h, e->detail);
	crypto_hash_sha256_update(&h, e->prev, TRAIL_HASH_LEN);
	crypto_hash_sha256_final(&h, out);
}

void trail_entry_hash(const struct store_trail_entry *e, uint8_t out[TRAIL_HASH_LEN])
{
	hash_at(e, e->seq, out);
}

static int copy_field(char *dst, size_t size, const char *src, const char *what, struct err *err)
{
	size_t n = strlen(src ? src : "");

	if (n >= size)
		return err_input(err, "审计记录的%s过长（最多 %zu 字节）", what, size - 1);
	memcpy(dst, src ? src : "", n + 1);
	return 0;
}

int trail_append(struct store *st, const struct actor *who, int64_t now, const char *action,
                 const char *object, const char *detail, struct err *err)
{
	struct store_trail_entry *e;
	struct actor cli;
	int64_t seq = 0;
	int rc, ret = -1;

	if (!action || !action[0])
		return err_input(err, "审计记录缺少操作");
	if (!who) {
		actor_cli(&cli);
		who = &cli;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return err_system(err, "内存不足");
	if (copy_field(e->login, sizeof(e->login), who->login, "账号", err) < 0 ||
	    copy_field(e->role, sizeof(e->role), who->role, "角色", err) < 0 ||
	    copy_field(e->addr, sizeof(e->addr), who->addr, "地址", err) < 0 ||
	    copy_field(e->action, sizeof(e->action), action, "操作", err) < 0 ||
	    copy_field(e->object, sizeof(e->object), object, "对象", err) < 0)
		goto out;
	if (detail) {
		e->has_detail = 1;
		if (copy_field(e->detail, sizeof(e->detail), detail, "详情", err) < 0)
			goto out;
	}
	rc = store_trail_head(st, &seq, e->prev, err);
	if (rc < 0)
		goto out;
	if (rc == 0) {
		seq = 0;
		memset(e->prev, 0, sizeof(e->prev));
	}
	e->seq = seq + 1;
	e->at = now;
	trail_entry_hash(e, e->hash);
	ret = store_trail_append(st, e, err);
out:
	free(e);
	return ret;
}

int trail_record(struct store *st, const struct actor *who, int64_t now, const char *action,
                 const char *object, json_t *detail, struct err *err)
{
	char *text = NULL;
	int rc;

	if (detail) {
		text = json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(detail);
		if (!text)
			return err_system(err, "内存不足");
	}
	rc = trail_append(st, who, now, action, object, text, err);
	free(text);
	return rc;
}

json_t *trail_change(json_t *before, json_t *after, const char *source, long line)
{
	json_t *detail = json_object();

	if (!detail) {
		json_decref(before);
		json_decref(after);
		return NULL;
	}
	if (before)
		json_object_set_new(detail, "before", before);
	if (after)
		json_object_set_new(detail, "after", after);
	if (source) {
		json_object_set_new(detail, "source", json_string(source));
		json_object_set_new(detail, "line", json_integer(line));
	}
	return detail;
}

int trail_view(struct store *st, const struct actor *who, int64_t now, const char *action,
               const char *object, struct err *err)
{
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	return store_finish(st, trail_append(st, who, now, action, object, NULL, err), err);
}

int trail_each(struct store *st, const struct trail_filter *f, store_trail_fn fn, void *arg,
               struct err *err)
{
	struct store_trail_filter sf = {NULL, INT64_MIN, 0};

	if (f) {
		sf.login = f->login;
		sf.since = f->since;
	}
	return store_trail_each(st, &sf, fn, arg, err);
}

/* --- anchoring --- */

/* 1 when log entry index is an anchor of (seq, hash), 0 when not. */
static int anchor_names(struct store *st, int64_t index, int64_t seq,
                        const uint8_t hash[TRAIL_HASH_LEN], struct err *err)
{
	struct store_log_entry *entry = malloc(sizeof(*entry));
	struct ledger_event ev;
	char number[CERTNO_SIZE], detail[STORE_LOG_DATA_MAX];
	uint8_t logged[TRAIL_HASH_LEN];
	int64_t logged_seq;
	int rc;

	if (!entry)
		return err_system(err, "内存不足");
	rc = store_log_get(st, index, entry, err);
	if (rc == 1)
		rc = ledger_decode(entry->data, entry->len, &ev, number, sizeof(number), detail,
		                   sizeof(detail)) == 0 &&
		     ev.kind == LEDGER_TRAIL && ev.detail &&
		     ledger_trail_parse(ev.detail, &logged_seq, logged) == 0 && logged_seq == seq &&
		     sodium_memcmp(logged, hash, TRAIL_HASH_LEN) == 0;
	free(entry);
	return rc;
}

int trail_anchor(struct store *st, struct ledger *l, int64_t now, struct err *err)
{
	struct ledger_event ev;
	uint8_t head[TRAIL_HASH_LEN];
	char detail[LEDGER_TRAIL_DETAIL_SIZE];
	int64_t seq, index;
	int rc;

	rc = store_trail_head(st, &seq, head, err);
	if (rc <= 0)
		return rc;
	rc = store_trail_anchor_get(st, &index, err);
	if (rc < 0)
		return -1;
	if (rc == 1 && index >= 0 && index < ledger_size(l)) {
		rc = anchor_names(st, index, seq, head, err);
		if (rc != 0)
			return rc < 0 ? -1 : 0;
	}
	ledger_trail_detail(seq, head, detail);
	memset(&ev, 0, sizeof(ev));
	ev.kind = LEDGER_TRAIL;
	ev.time = now;
	ev.detail = detail;
	if (ledger_append(l, &ev, &index, err) < 0 || store_trail_anchor_set(st, index, err) < 0)
		return -1;
	return 1;
}

/* --- verification --- */

static const char *const problem_codes[TRAIL_PROBLEM_MAX + 1] = {
    "", "edited", "deleted", "inserted", "anchor_mismatch", "anchor_invalid", "log_untrusted",
};
static const char *const problem_labels[TRAIL_PROBLEM_MAX + 1] = {
    "", "记录被修改", "记录被删除", "记录被插入", "与锚点不符", "锚点无效", "透明日志不可信",
};

const char *trail_problem_code(enum trail_problem p)
{
	return (int)p >= 1 && p <= TRAIL_PROBLEM_MAX ? problem_codes[p] : "";
}

const char *trail_problem_label(enum trail_problem p)
{
	return (int)p >= 1 && p <= TRAIL_PROBLEM_MAX ? problem_labels[p] : "";
}

struct anchor {
	int64_t seq;
	int64_t log_index;
	uint8_t hash[TRAIL_HASH_LEN];
	int state; /* 0 not met in the trail, 1 matches, 2 differs */
};

struct vctx {
	struct store *st;
	struct trail_report *r;
	size_t max;
	struct err *err;
	int failed;
	/* the log scan */
	int64_t next_index;
	int log_bad; /* an entry's bytes do not match its leaf, or one is missing */
	struct tlog_frontier f;
	int64_t cp_size; /* -1: no usable checkpoint */
	uint8_t cp_root[TLOG_HASH_LEN];
	int have_cp_root;
	uint8_t root_at_cp[TLOG_HASH_LEN];
	struct anchor *anchors;
	size_t nanchors, capanchors;
	/* the chain walk */
	int64_t expect_seq;
	uint8_t prev[TRAIL_HASH_LEN];
	size_t ai; /* next anchor (sorted by seq) to meet */
	struct store_trail_entry *next;
};

static void add_finding(struct trail_report *r, size_t max, enum trail_problem kind, int64_t seq,
                        int64_t log_index, const char *fmt, ...) ERR_PRINTF(6, 7);

static void add_finding(struct trail_report *r, size_t max, enum trail_problem kind, int64_t seq,
                        int64_t log_index, const char *fmt, ...)
{
	struct trail_finding *f;
	va_list ap;

	r->total++;
	r->counts[kind]++;
	if (r->nfindings >= max)
		return;
	if (r->nfindings == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		struct trail_finding *v;

		if (cap > max)
			cap = max;
		v = realloc(r->findings, cap * sizeof(*v));
		if (!v)
			return;
		r->findings = v;
		r->cap = cap;
	}
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->seq = seq;
	f->log_index = log_index;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

void trail_report_release(struct trail_report *r)
{
	if (!r)
		return;
	free(r->findings);
	r->findings = NULL;
	r->nfindings = r->cap = 0;
}

static void range_text(char *out, size_t size, int64_t a, int64_t b)
{
	if (a == b)
		snprintf(out, size, "第 %" PRId64 " 条", a);
	else
		snprintf(out, size, "第 %" PRId64 " 至 %" PRId64 " 条", a, b);
}

static int push_anchor(struct vctx *c, int64_t seq, int64_t index, const uint8_t *hash)
{
	struct anchor *a;

	if (c->nanchors == c->capanchors) {
		size_t cap = c->capanchors ? c->capanchors * 2 : 64;
		struct anchor *v = realloc(c->anchors, cap * sizeof(*v));

		if (!v)
			return err_system(c->err, "内存不足");
		c->anchors = v;
		c->capanchors = cap;
	}
	a = &c->anchors[c->nanchors++];
	a->seq = seq;
	a->log_index = index;
	memcpy(a->hash, hash, TRAIL_HASH_LEN);
	a->state = 0;
	return 0;
}

static int scan_log(void *arg, const struct store_log_entry *e)
{
	struct vctx *c = arg;
	struct ledger_event ev;
	char number[CERTNO_SIZE], detail[STORE_LOG_DATA_MAX];
	uint8_t leaf[TLOG_HASH_LEN], hash[TRAIL_HASH_LEN];
	int64_t seq;

	if (e->index != c->next_index)
		c->log_bad = 1;
	c->next_index = e->index + 1;
	tlog_leaf_hash(e->data, e->len, leaf);
	if (sodium_memcmp(leaf, e->leaf, TLOG_HASH_LEN) != 0)
		c->log_bad = 1;
	if (tlog_frontier_append(&c->f, leaf, c->err) < 0) {
		c->failed = 1;
		return 1;
	}
	if (c->cp_size == (int64_t)tlog_frontier_size(&c->f)) {
		tlog_frontier_root(&c->f, c->root_at_cp);
		c->have_cp_root = 1;
	}
	c->r->log_entries++;
	if (ledger_decode(e->data, e->len, &ev, number, sizeof(number), detail, sizeof(detail)) <
	        0 ||
	    ev.kind != LEDGER_TRAIL)
		return 0;
	c->r->anchors++;
	if (ev.number || ev.has_row || !ev.detail ||
	    ledger_trail_parse(ev.detail, &seq, hash) < 0) {
		add_finding(c->r, c->max, TRAIL_ANCHOR_INVALID, -1, e->index,
		            "透明日志第 %" PRId64 " 条不是有效的审计记录锚点（日志条目被改动）",
		            e->index);
		return 0;
	}
	if (push_anchor(c, seq, e->index, hash) < 0) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

/* The newest stored checkpoint: 1 read (and its signature checked with v),
 * 0 none, or a finding when it does not open. */
static int read_checkpoint(struct vctx *c, const struct note_verifier *v,
                           struct tlog_checkpoint *cp)
{
	char *note = malloc(NOTE_MAX + 1);
	struct err perr;
	int64_t size = 0;
	size_t i, len;
	int rc, ok = 0;

	if (!note)
		return err_system(c->err, "内存不足");
	note[0] = '\0';
	rc = store_checkpoint_latest(c->st, &size, note, NOTE_MAX + 1, c->err);
	if (rc < 0) {
		free(note);
		return -1;
	}
	if (rc == 1) {
		err_clear(&perr);
		len = strlen(note);
		if (v) {
			rc = tlog_checkpoint_open(note, len, v, cp, &perr);
		} else {
			rc = err_input(&perr, "检查点缺少正文与签名之间的空行");
			for (i = 0; i + 1 < len; i++)
				if (note[i] == '\n' && note[i + 1] == '\n') {
					rc = tlog_checkpoint_parse_body(note, i + 1, cp, &perr);
					break;
				}
		}
		if (rc < 0)
			add_finding(c->r, c->max, TRAIL_LOG_UNTRUSTED, -1, -1,
			            "保存的最新检查点无效（%s），锚点的签名无法确认", perr.msg);
		else
			ok = 1;
	}
	free(note);
	return ok;
}

static int cmp_anchor(const void *a, const void *b)
{
	const struct anchor *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->log_index < y->log_index ? -1 : x->log_index > y->log_index;
}

/* Mark the anchors of seq e->seq as matching or not. */
static void meet_anchors(struct vctx *c, const struct store_trail_entry *e)
{
	while (c->ai < c->nanchors && c->anchors[c->ai].seq < e->seq)
		c->ai++; /* anchors of entries missing from the trail: state 0 */
	while (c->ai < c->nanchors && c->anchors[c->ai].seq == e->seq) {
		struct anchor *a = &c->anchors[c->ai++];

		a->state = sodium_memcmp(a->hash, e->hash, TRAIL_HASH_LEN) == 0 ? 1 : 2;
	}
}

/* The entry after seq, for telling an insertion from an edit: 1 read. */
static int peek(struct vctx *c, int64_t seq)
{
	int rc = store_trail_get(c->st, seq + 1, c->next, c->err);

	if (rc < 0)
		c->failed = 1;
	return rc;
}

static int walk_entry(void *arg, const struct store_trail_entry *e)
{
	struct vctx *c = arg;
	struct trail_report *r = c->r;
	uint8_t h[TRAIL_HASH_LEN], hn[TRAIL_HASH_LEN];
	char range[96];
	int self_ok, link_ok, gap = 0, rc;

	r->entries++;
	r->head_seq = e->seq;
	memcpy(r->head, e->hash, TRAIL_HASH_LEN);
	meet_anchors(c, e);
	if (e->seq != c->expect_seq) {
		gap = 1;
		range_text(range, sizeof(range), c->expect_seq, e->seq - 1);
		add_finding(r, c->max, TRAIL_DELETED, c->expect_seq, -1, "审计记录%s被删除", range);
	}
	trail_entry_hash(e, h);
	self_ok = !e->bad_blob && sodium_memcmp(h, e->hash, TRAIL_HASH_LEN) == 0;
	link_ok = sodium_memcmp(e->prev, c->prev, TRAIL_HASH_LEN) == 0;
	if (!self_ok) {
		hash_at(e, e->seq - 1, hn);
		if (!gap && e->seq > 1 && sodium_memcmp(hn, e->hash, TRAIL_HASH_LEN) == 0) {
			add_finding(r, c->max, TRAIL_INSERTED, e->seq - 1, -1,
			            "审计记录第 %" PRId64
			            " 条是插入的（原来的记录从这里起被重新编号）",
			            e->seq - 1);
		} else {
			hash_at(e, e->seq + 1, hn);
			if (!gap && sodium_memcmp(hn, e->hash, TRAIL_HASH_LEN) == 0)
				add_finding(r, c->max, TRAIL_DELETED, e->seq, -1,
				            "审计记录第 %" PRId64
				            " 条被删除（其后的记录被重新编号）",
				            e->seq);
			else
				add_finding(r, c->max, TRAIL_EDITED, e->seq, -1,
				            "审计记录第 %" PRId64 " 条被修改", e->seq);
		}
	} else if (!link_ok && !gap) {
		/* Self-consistent but not linked to the entry before: either
		 * this one was put in (the next one then hashes as if it had
		 * this seq), or the one before was edited and rehashed. */
		rc = peek(c, e->seq);
		if (rc < 0)
			return 1;
		if (rc == 1) {
			hash_at(c->next, e->seq, hn);
			rc = sodium_memcmp(hn, c->next->hash, TRAIL_HASH_LEN) == 0 &&
			     sodium_memcmp(c->next->prev, c->prev, TRAIL_HASH_LEN) == 0;
		}
		if (rc == 1)
			add_finding(r, c->max, TRAIL_INSERTED, e->seq, -1,
			            "审计记录第 %" PRId64 " 条是插入的（其后的记录被重新编号）",
			            e->seq);
		else if (e->seq > 1)
			add_finding(r, c->max, TRAIL_EDITED, e->seq - 1, -1,
			            "审计记录第 %" PRId64
			            " 条被修改（其哈希被重新计算，与第 %" PRId64 " 条的链接不符）",
			            e->seq - 1, e->seq);
		else
			add_finding(r, c->max, TRAIL_EDITED, e->seq, -1,
			            "审计记录第 %" PRId64 " 条被修改（链的起点被改动）", e->seq);
	}
	/* Go on from what is stored, so one change is reported once. */
	memcpy(c->prev, e->hash, TRAIL_HASH_LEN);
	c->expect_seq = e->seq + 1;
	return 0;
}

static void judge_anchors(struct vctx *c)
{
	struct trail_report *r = c->r;
	int64_t last_ok = 0;
	char range[96];
	size_t i;

	for (i = 0; i < c->nanchors; i++) {
		const struct anchor *a = &c->anchors[i];

		if (a->state == 1) {
			last_ok = a->seq;
			if (a->seq > r->anchored_seq)
				r->anchored_seq = a->seq;
			if (r->checkpoint && a->log_index < r->checkpoint_size &&
			    a->seq > r->signed_seq)
				r->signed_seq = a->seq;
			continue;
		}
		if (a->state == 0) {
			if (a->seq > r->head_seq) {
				range_text(range, sizeof(range), r->head_seq + 1, a->seq);
				add_finding(r, c->max, TRAIL_DELETED, r->head_seq + 1, a->log_index,
				            "审计记录%s被删除（透明日志第 %" PRId64
				            " 条锚定了第 %" PRId64 " 条，现在记录只到第 %" PRId64
				            " 条）",
				            range, a->log_index, a->seq, r->head_seq);
				return;
			}
			continue; /* a gap in the middle: reported by the walk */
		}
		range_text(range, sizeof(range), last_ok + 1, a->seq);
		add_finding(r, c->max, TRAIL_ANCHOR_MISMATCH, last_ok + 1, a->log_index,
		            "审计记录%s中有记录被修改、删除或插入：第 %" PRId64
		            " 条的哈希与透明日志第 %" PRId64 " 条的锚点不符（链被重新计算过）",
		            range, a->seq, a->log_index);
		return; /* every later anchor differs for the same reason */
	}
}

int trail_verify(struct store *st, const struct trail_verify_options *o, struct trail_report *r,
                 struct err *err)
{
	struct note_verifier v, *vp = NULL;
	struct tlog_checkpoint cp;
	struct vctx *c;
	int rc, have_cp, ret = -1, in_txn = 0;

	memset(r, 0, sizeof(*r));
	if (o && o->key_name && o->key_pk) {
		if (note_verifier_init(&v, o->key_name, o->key_pk, err) < 0)
			return -1;
		vp = &v;
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return err_system(err, "内存不足");
	c->next = malloc(sizeof(*c->next));
	if (!c->next) {
		err_system(err, "内存不足");
		goto out;
	}
	c->st = st;
	c->r = r;
	c->max = o && o->max_findings ? o->max_findings : DEFAULT_MAX_FINDINGS;
	c->err = err;
	c->cp_size = -1;
	c->expect_seq = 1;
	tlog_frontier_init(&c->f);
	if (store_begin(st, STORE_TXN_READ, err) < 0)
		goto out;
	in_txn = 1;

	have_cp = read_checkpoint(c, vp, &cp);
	if (have_cp < 0)
		goto out;
	if (have_cp) {
		c->cp_size = (int64_t)cp.size;
		r->checkpoint_size = (int64_t)cp.size;
		r->checkpoint_signed = vp != NULL;
		if (cp.size == 0) {
			tlog_empty_root(c->root_at_cp);
			c->have_cp_root = 1;
		}
	}
	rc = store_log_each(st, 0, scan_log, c, err);
	if (c->failed || rc < 0)
		goto out;
	if (c->log_bad)
		add_finding(r, c->max, TRAIL_LOG_UNTRUSTED, -1, -1,
		            "透明日志的条目被改动或缺失，锚点不可信（请运行 opcert log verify）");
	if (have_cp) {
		if (!c->have_cp_root || sodium_memcmp(c->root_at_cp, cp.root, TLOG_HASH_LEN) != 0)
			add_finding(r, c->max, TRAIL_LOG_UNTRUSTED, -1, -1,
			            "透明日志的前 %" PRIu64
			            " 条与保存的最新检查点不符，锚点不可信（请运行 opcert log "
			            "verify）",
			            cp.size);
		else
			r->checkpoint = 1;
	}
	if (c->nanchors > 1)
		qsort(c->anchors, c->nanchors, sizeof(*c->anchors), cmp_anchor);

	rc = store_trail_each(st, &(struct store_trail_filter){NULL, INT64_MIN, 0}, walk_entry, c,
	                      err);
	if (c->failed || rc < 0)
		goto out;
	judge_anchors(c);
	ret = 0;
out:
	if (in_txn)
		store_rollback(st);
	free(c->anchors);
	free(c->next);
	free(c);
	if (ret < 0)
		trail_report_release(r);
	return ret;
}
