/*
 * logverify.c - see logverify.h.  The entries are read once, in index order: each
 * is checked on its own, its leaf is appended to a frontier (which gives
 * the root at every size a checkpoint or the stored state names, without
 * keeping the leaves), and the newest event that recorded each certificate
 * number is remembered in a compact hash table.  The rows are then read
 * once and held against that table; numbers left over were deleted.
 */
#include "logverify.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ledger.h"
#include "note.h"
#include "trail.h"

#define DEFAULT_MAX_FINDINGS 10000

static const char *const kind_codes[LOGVERIFY_KIND_MAX + 1] = {
    "",
    "entry_edited",
    "entry_invalid",
    "entry_deleted",
    "entry_reordered",
    "tree_mismatch",
    "state_invalid",
    "checkpoint_invalid",
    "checkpoint_mismatch",
    "row_edited",
    "row_rolled_back",
    "row_deleted",
    "row_unrecorded",
    "log_rewritten",
    "credential_unlogged",
    "slot_moved",
};

static const char *const kind_labels[LOGVERIFY_KIND_MAX + 1] = {
    "",
    "日志条目被修改",
    "日志条目无效",
    "日志条目被删除",
    "日志条目顺序被打乱",
    "日志树不符",
    "日志状态无效",
    "检查点无效",
    "检查点不符",
    "登记记录被修改",
    "登记记录被回退",
    "登记记录被删除",
    "登记记录未入日志",
    "日志被改写",
    "签发记录不在日志中",
    "状态列表位置被改动",
};

const char *logverify_kind_code(enum logverify_kind k)
{
	return (int)k >= 1 && k <= LOGVERIFY_KIND_MAX ? kind_codes[k] : "";
}

const char *logverify_kind_label(enum logverify_kind k)
{
	return (int)k >= 1 && k <= LOGVERIFY_KIND_MAX ? kind_labels[k] : "";
}

/* --- findings --- */

static void add_finding(struct logverify_report *r, size_t max, enum logverify_kind kind,
                        int64_t index, const char *number, const char *fmt, ...) ERR_PRINTF(6, 7);

static void add_finding(struct logverify_report *r, size_t max, enum logverify_kind kind,
                        int64_t index, const char *number, const char *fmt, ...)
{
	struct logverify_finding *f;
	va_list ap;

	r->total++;
	r->counts[kind]++;
	if (r->nfindings >= max)
		return;
	if (r->nfindings == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct logverify_finding *v;

		if (cap > max)
			cap = max;
		v = realloc(r->findings, cap * sizeof(*v));
		if (!v)
			return; /* counted, not kept */
		r->findings = v;
		r->cap = cap;
	}
	f = &r->findings[r->nfindings++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->index = index;
	snprintf(f->number, sizeof(f->number), "%s", number ? number : "");
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

void logverify_report_release(struct logverify_report *r)
{
	if (!r)
		return;
	free(r->findings);
	r->findings = NULL;
	r->nfindings = r->cap = 0;
}

/* --- the newest event about each certificate number --- */

struct numinfo {
	char number[CERTNO_SIZE];
	uint8_t hash[TLOG_HASH_LEN]; /* row hash of the event at last_row */
	int64_t last_row;            /* newest event with a row hash, -1 none */
	int64_t last_any;            /* newest event naming the number */
	int seen;                    /* a register row has this number */
};

struct numtable {
	struct numinfo *info;
	size_t n, cap;
	uint32_t *slot; /* index + 1 into info, 0 = empty */
	size_t nslots;  /* power of two, at least twice n */
};

static uint64_t hash_text(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return h;
}

static uint32_t *numtable_find_slot(const struct numtable *t, const char *number)
{
	size_t i = (size_t)hash_text(number) & (t->nslots - 1);

	for (;;) {
		uint32_t s = t->slot[i];

		if (s == 0 || strcmp(t->info[s - 1].number, number) == 0)
			return &t->slot[i];
		i = (i + 1) & (t->nslots - 1);
	}
}

static struct numinfo *numtable_get(const struct numtable *t, const char *number)
{
	uint32_t *s;

	if (!t->nslots)
		return NULL;
	s = numtable_find_slot(t, number);
	return *s ? &t->info[*s - 1] : NULL;
}

static int numtable_grow(struct numtable *t)
{
	size_t nslots = t->nslots ? t->nslots * 2 : 4096, i;
	uint32_t *slot = calloc(nslots, sizeof(*slot));
	uint32_t *old = t->slot;

	if (!slot)
		return -1;
	t->slot = slot;
	t->nslots = nslots;
	for (i = 0; i < t->n; i++)
		*numtable_find_slot(t, t->info[i].number) = (uint32_t)(i + 1);
	free(old);
	return 0;
}

static struct numinfo *numtable_put(struct numtable *t, const char *number)
{
	struct numinfo *ni = numtable_get(t, number);
	uint32_t *s;

	if (ni)
		return ni;
	if (t->n >= UINT32_MAX - 1)
		return NULL;
	if ((t->n + 1) * 2 > t->nslots && numtable_grow(t) < 0)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct numinfo *v = realloc(t->info, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->info = v;
		t->cap = cap;
	}
	ni = &t->info[t->n];
	memset(ni, 0, sizeof(*ni));
	snprintf(ni->number, sizeof(ni->number), "%s", number);
	ni->last_row = -1;
	ni->last_any = -1;
	s = numtable_find_slot(t, number);
	*s = (uint32_t)(++t->n);
	return ni;
}

static void numtable_release(struct numtable *t)
{
	free(t->info);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}

/* --- checkpoints --- */

struct want {
	int64_t size; /* -1 = not wanted */
	int have;
	uint8_t root[TLOG_HASH_LEN];
};

struct ctx {
	struct store *st;
	struct logverify_report *r;
	size_t max;
	struct err *err;
	int failed; /* a system error stopped a walk; err is filled */
	/* the entry scan */
	int64_t next;
	struct tlog_frontier f;
	struct tlog_frontier at_state; /* the recomputed frontier at the state's size */
	int have_at_state;
	int64_t state_size;
	struct want want[2]; /* the stored checkpoint, --against */
	struct numtable nums;
	/* Entries found edited or invalid, ascending: a row is not judged
	 * by them (the entry's own finding says what happened). */
	int64_t *bad;
	size_t nbad, capbad;
};

static void mark_bad(struct ctx *c, int64_t index)
{
	if (c->nbad && c->bad[c->nbad - 1] == index)
		return;
	if (c->nbad == c->capbad) {
		size_t cap = c->capbad ? c->capbad * 2 : 64;
		int64_t *v = realloc(c->bad, cap * sizeof(*v));

		if (!v)
			return; /* the row findings are then merely less precise */
		c->bad = v;
		c->capbad = cap;
	}
	c->bad[c->nbad++] = index;
}

static int is_bad(const struct ctx *c, int64_t index)
{
	size_t lo = 0, hi = c->nbad;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (c->bad[mid] == index)
			return 1;
		if (c->bad[mid] < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * Parse a signed checkpoint; with v, its signature by the log key must
 * verify.  Without v only the body is read.
 */
static int open_checkpoint(const char *text, size_t len, const struct note_verifier *v,
                           struct tlog_checkpoint *cp, struct err *err)
{
	size_t i;

	if (v)
		return tlog_checkpoint_open(text, len, v, cp, err);
	for (i = 0; i + 1 < len; i++)
		if (text[i] == '\n' && text[i + 1] == '\n')
			return tlog_checkpoint_parse_body(text, i + 1, cp, err);
	return err_input(err, "检查点缺少正文与签名之间的空行");
}

static void want_size(struct want *w, int64_t size)
{
	memset(w, 0, sizeof(*w));
	w->size = size;
	if (size == 0) {
		tlog_empty_root(w->root);
		w->have = 1;
	}
}

/* --- the entry scan --- */

static void range_text(char *out, size_t size, int64_t a, int64_t b)
{
	if (a == b)
		snprintf(out, size, "第 %" PRId64 " 条", a);
	else
		snprintf(out, size, "第 %" PRId64 " 至 %" PRId64 " 条（共 %" PRId64 " 条）", a, b,
		         b - a + 1);
}

static void note_event(struct ctx *c, const struct store_log_entry *e,
                       const struct ledger_event *ev)
{
	struct numinfo *ni;

	if (!ev->number)
		return;
	ni = numtable_put(&c->nums, ev->number);
	if (!ni) {
		c->failed = 1;
		err_system(c->err, "内存不足");
		return;
	}
	if (e->index > ni->last_any)
		ni->last_any = e->index;
	if (ev->has_row && e->index > ni->last_row) {
		ni->last_row = e->index;
		memcpy(ni->hash, ev->row_hash, TLOG_HASH_LEN);
	}
}

static int scan_entry(void *arg, const struct store_log_entry *e)
{
	struct ctx *c = arg;
	struct logverify_report *r = c->r;
	struct ledger_event ev;
	char number[CERTNO_SIZE], detail[STORE_LOG_DATA_MAX], range[96];
	uint8_t leaf[TLOG_HASH_LEN];
	size_t i;

	if (e->index > c->next) {
		range_text(range, sizeof(range), c->next, e->index - 1);
		add_finding(r, c->max, LOGVERIFY_ENTRY_DELETED, c->next, NULL,
		            "日志%s不存在（条目被删除）", range);
	} else if (e->index < c->next) {
		add_finding(r, c->max, LOGVERIFY_ENTRY_REORDERED, e->index, NULL,
		            "日志第 %" PRId64 " 条出现在第 %" PRId64
		            " 条之后（条目重复或顺序被打乱）",
		            e->index, c->next - 1);
	}
	if (e->index >= c->next)
		c->next = e->index + 1;

	tlog_leaf_hash(e->data, e->len, leaf);
	if (sodium_memcmp(leaf, e->leaf, TLOG_HASH_LEN) != 0) {
		mark_bad(c, e->index);
		add_finding(r, c->max, LOGVERIFY_ENTRY_EDITED, e->index, e->number,
		            "日志第 %" PRId64 " 条的内容与其叶子哈希不符（条目被修改）", e->index);
	}
	if (ledger_decode(e->data, e->len, &ev, number, sizeof(number), detail, sizeof(detail)) <
	    0) {
		mark_bad(c, e->index);
		add_finding(r, c->max, LOGVERIFY_ENTRY_INVALID, e->index, e->number,
		            "日志第 %" PRId64 " 条不是有效的事件编码（条目被修改）", e->index);
	} else {
		int64_t seq;
		uint8_t head[TLOG_HASH_LEN];

		if (ev.kind == LEDGER_TRAIL && (ev.number || ev.has_row || !ev.detail ||
		                                ledger_trail_parse(ev.detail, &seq, head) < 0)) {
			mark_bad(c, e->index);
			add_finding(r, c->max, LOGVERIFY_ENTRY_INVALID, e->index, e->number,
			            "日志第 %" PRId64 " 条不是有效的审计记录锚点（条目被修改）",
			            e->index);
		}
		if (strcmp(ev.number ? ev.number : "", e->number) != 0) {
			mark_bad(c, e->index);
			add_finding(r, c->max, LOGVERIFY_ENTRY_EDITED, e->index, e->number,
			            "日志第 %" PRId64
			            " 条的证书编号列（%s）与事件内容（%s）不符（条目被修改）",
			            e->index, e->number[0] ? e->number : "空",
			            ev.number ? ev.number : "空");
		}
		note_event(c, e, &ev);
		if (c->failed)
			return 1;
	}

	/* The tree is over what the entries hold, in the order read. */
	if (tlog_frontier_append(&c->f, leaf, c->err) < 0) {
		c->failed = 1;
		return 1;
	}
	for (i = 0; i < sizeof(c->want) / sizeof(c->want[0]); i++) {
		struct want *w = &c->want[i];

		if (!w->have && w->size == (int64_t)tlog_frontier_size(&c->f)) {
			tlog_frontier_root(&c->f, w->root);
			w->have = 1;
		}
	}
	if (c->state_size == (int64_t)tlog_frontier_size(&c->f)) {
		c->at_state = c->f;
		c->have_at_state = 1;
	}
	r->entries++;
	return 0;
}

/* Name the perfect subtrees in which the entries differ from the stored state. */
static void locate_difference(struct ctx *c, const struct tlog_frontier *stored)
{
	int64_t start = 0, count;
	int level;
	char range[96];

	for (level = TLOG_MAX_HEIGHT - 1; level >= 0; level--) {
		if (!((uint64_t)stored->size >> level & 1))
			continue;
		count = (int64_t)1 << level;
		if (sodium_memcmp(stored->node[level], c->at_state.node[level], TLOG_HASH_LEN) !=
		    0) {
			range_text(range, sizeof(range), start, start + count - 1);
			add_finding(c->r, c->max, LOGVERIFY_TREE_MISMATCH, start, NULL,
			            "日志%s与日志状态记录的树不符（其中有条目被修改、替换或调换）",
			            range);
		}
		start += count;
	}
}

static void check_state(struct ctx *c, int have_state, const struct tlog_frontier *stored)
{
	struct logverify_report *r = c->r;
	uint8_t root[TLOG_HASH_LEN], stored_root[TLOG_HASH_LEN];
	char range[96];

	if (!have_state) {
		if (r->entries > 0)
			add_finding(r, c->max, LOGVERIFY_STATE_INVALID, -1, NULL,
			            "日志有 %" PRId64 " 条，但没有保存的日志状态（状态被删除）",
			            r->entries);
		return;
	}
	if (c->state_size > c->next) {
		range_text(range, sizeof(range), c->next, c->state_size - 1);
		add_finding(r, c->max, LOGVERIFY_ENTRY_DELETED, c->next, NULL,
		            "日志状态记录了 %" PRId64 " 条，日志%s不存在（末尾的条目被删除）",
		            c->state_size, range);
		return;
	}
	if (c->state_size < r->entries)
		add_finding(r, c->max, LOGVERIFY_TREE_MISMATCH, c->state_size, NULL,
		            "日志有 %" PRId64 " 条，但日志状态只记录了 %" PRId64
		            " 条（其后的条目是在系统之外添加的，或状态被改动）",
		            r->entries, c->state_size);
	if (!c->have_at_state)
		return; /* entries missing in the middle: reported already */
	tlog_frontier_root(&c->at_state, root);
	tlog_frontier_root(stored, stored_root);
	if (sodium_memcmp(root, stored_root, TLOG_HASH_LEN) != 0)
		locate_difference(c, stored);
}

static void check_checkpoint(struct ctx *c, const struct tlog_checkpoint *cp, const struct want *w,
                             enum logverify_kind kind, const char *what)
{
	char range[96];

	if ((int64_t)cp->size > c->next) {
		range_text(range, sizeof(range), c->next, (int64_t)cp->size - 1);
		add_finding(c->r, c->max, kind, c->next, NULL,
		            "%s记录日志有 %" PRIu64 " 条，现在只有 %" PRId64
		            " 条：日志%s不见了（条目被删除或日志被截断）",
		            what, cp->size, c->next, range);
		return;
	}
	if (!w->have || sodium_memcmp(w->root, cp->root, TLOG_HASH_LEN) != 0)
		add_finding(c->r, c->max, kind, -1, NULL,
		            "日志的前 %" PRIu64 " 条与%s的根哈希不符：日志被改写", cp->size, what);
}

/* --- the rows --- */

static int check_row(void *arg, const struct cert *cert)
{
	struct ctx *c = arg;
	struct logverify_report *r = c->r;
	struct store_log_entry *e = NULL;
	struct ledger_event ev;
	struct numinfo *ni;
	char number[CERTNO_SIZE], detail[STORE_LOG_DATA_MAX];
	uint8_t hash[TLOG_HASH_LEN];
	int64_t li = cert->ledger_index;
	int rc, decoded = 0, same_number = 0;

	memset(&ev, 0, sizeof(ev));
	r->certificates++;
	ledger_row_hash(cert, hash);
	ni = numtable_get(&c->nums, cert->number);
	if (ni)
		ni->seen = 1;
	if ((li >= 0 && is_bad(c, li)) || (ni && ni->last_row >= 0 && is_bad(c, ni->last_row)))
		return 0; /* judged by an entry already found edited */
	if (ni && ni->last_row >= 0 && li == ni->last_row) {
		if (sodium_memcmp(hash, ni->hash, TLOG_HASH_LEN) != 0)
			add_finding(r, c->max, LOGVERIFY_ROW_EDITED, li, cert->number,
			            "证书 %s 的登记记录与日志第 %" PRId64
			            " 条记录的不符（记录被直接修改）",
			            cert->number, li);
		return 0;
	}
	if (li < 0) {
		if (ni && ni->last_row >= 0)
			add_finding(r, c->max, LOGVERIFY_ROW_EDITED, ni->last_row, cert->number,
			            "证书 %s 的登记记录没有指向日志条目，而日志第 %" PRId64
			            " 条记录了它（记录被直接修改）",
			            cert->number, ni->last_row);
		else
			add_finding(
			    r, c->max, LOGVERIFY_ROW_UNRECORDED, -1, cert->number,
			    "证书 %s 不在透明日志中（绕过系统直接写入；若登记于启用日志之前，"
			    "请运行 opcert log backfill）",
			    cert->number);
		return 0;
	}

	/* The row names another entry than the newest about its number. */
	e = malloc(sizeof(*e));
	if (!e) {
		c->failed = 1;
		err_system(c->err, "内存不足");
		return 1;
	}
	rc = store_log_get(c->st, li, e, c->err);
	if (rc < 0) {
		c->failed = 1;
		free(e);
		return 1;
	}
	if (rc == 1 && ledger_decode(e->data, e->len, &ev, number, sizeof(number), detail,
	                             sizeof(detail)) == 0) {
		decoded = 1;
		same_number = ev.number && strcmp(ev.number, cert->number) == 0;
	}
	if (rc == 0) {
		add_finding(r, c->max, LOGVERIFY_ENTRY_DELETED, li, cert->number,
		            "证书 %s 的登记记录指向日志第 %" PRId64
		            " 条，但该条目不存在（条目被删除）",
		            cert->number, li);
	} else if (same_number && ni && ni->last_row > li) {
		add_finding(r, c->max, LOGVERIFY_ROW_ROLLED_BACK, li, cert->number,
		            "证书 %s 的登记记录回到了日志第 %" PRId64 " 条的状态，而第 %" PRId64
		            " 条已有更新的记录（记录被回退%s）",
		            cert->number, li, ni->last_row,
		            ev.has_row && sodium_memcmp(hash, ev.row_hash, TLOG_HASH_LEN) == 0
		                ? ""
		                : "并被修改");
	} else if (!same_number && ni && ni->last_row >= 0 &&
	           sodium_memcmp(hash, ni->hash, TLOG_HASH_LEN) == 0) {
		add_finding(r, c->max, LOGVERIFY_ENTRY_REORDERED, li, cert->number,
		            "证书 %s 的事件应在日志第 %" PRId64 " 条，现在出现在第 %" PRId64
		            " 条（条目被调换或移动）",
		            cert->number, li, ni->last_row);
	} else if (!ni) {
		add_finding(r, c->max, LOGVERIFY_ROW_UNRECORDED, li, cert->number,
		            "证书 %s 的登记记录指向日志第 %" PRId64
		            " 条，但日志中没有这本证书的任何记录（绕过系统写入，或日志条目被替换）",
		            cert->number, li);
	} else {
		add_finding(r, c->max, LOGVERIFY_ROW_EDITED, li, cert->number,
		            "证书 %s 的登记记录指向日志第 %" PRId64
		            " 条，与日志%s不符（记录被直接修改）",
		            cert->number, li,
		            decoded && !same_number ? "中该条目所记的证书" : "最后记录的状态");
	}
	free(e);
	return 0;
}

static void check_deleted_rows(struct ctx *c)
{
	size_t i;

	for (i = 0; i < c->nums.n; i++) {
		const struct numinfo *ni = &c->nums.info[i];

		if (ni->seen)
			continue;
		add_finding(c->r, c->max, LOGVERIFY_ROW_DELETED, ni->last_any, ni->number,
		            "日志记录了证书 %s（最后一条为第 %" PRId64
		            " 条），但登记库中没有这本证书（记录被删除）",
		            ni->number, ni->last_any);
	}
}

/* Every issuance record must be an issuance the log holds, for the same
 * certificate; every status slot the one that issuance logged. */
static int check_credential(void *arg, const struct store_cred *cr)
{
	struct ctx *c = arg;
	char number[CERTNO_SIZE];
	uint32_t slot;
	struct err err;
	int rc = ledger_issue_entry(c->st, cr->log_index, cr->hash, number, &slot, &err);

	if (rc < 0)
		return -1;
	if (rc == 0 || strcmp(number, cr->number) != 0)
		add_finding(c->r, c->max, LOGVERIFY_CREDENTIAL_UNLOGGED, cr->log_index, cr->number,
		            "证书 %s 的一条签发记录在日志第 %" PRId64
		            " 条中找不到对应的签发事件（签发记录被伪造或改动）",
		            cr->number, cr->log_index);
	return 0;
}

static int check_slot(void *arg, uint32_t slot, const char *number, int64_t issue_index)
{
	struct ctx *c = arg;
	char logged[CERTNO_SIZE];
	uint32_t logged_slot;
	struct err err;
	int rc = ledger_issue_entry(c->st, issue_index, NULL, logged, &logged_slot, &err);

	if (rc < 0)
		return -1;
	if (rc == 0 || strcmp(logged, number) != 0 || logged_slot != slot)
		add_finding(c->r, c->max, LOGVERIFY_SLOT_MOVED, issue_index, number,
		            "证书 %s 的状态列表位置 %u "
		            "与签发日志记录的不符（位置被改动，吊销状态可能被转移）",
		            number, (unsigned)slot);
	return 0;
}

/* --- the whole audit --- */

static int read_stored_checkpoint(struct ctx *c, const struct note_verifier *v,
                                  struct tlog_checkpoint *cp)
{
	char *note = malloc(NOTE_MAX + 1);
	int64_t size = 0;
	struct err perr;
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
		c->r->checkpoint = 1;
		c->r->checkpoint_signed = v != NULL;
		c->r->checkpoint_size = size;
		err_clear(&perr);
		if (open_checkpoint(note, strlen(note), v, cp, &perr) < 0) {
			add_finding(c->r, c->max, LOGVERIFY_CHECKPOINT_INVALID, -1, NULL,
			            "保存的最新检查点（%" PRId64 " 条）无效：%s", size, perr.msg);
		} else if ((int64_t)cp->size != size) {
			add_finding(c->r, c->max, LOGVERIFY_CHECKPOINT_INVALID, -1, NULL,
			            "保存的最新检查点记为 %" PRId64 " 条，其内容却是 %" PRIu64
			            " 条（检查点记录被改动）",
			            size, cp->size);
		} else {
			ok = 1;
		}
	}
	free(note);
	return ok;
}

int logverify_run(struct store *st, const struct logverify_options *o, struct logverify_report *r,
                  struct err *err)
{
	struct note_verifier v, *vp = NULL;
	struct tlog_checkpoint stored_cp, against_cp;
	struct tlog_frontier stored;
	uint8_t buf[TLOG_FRONTIER_MAX_BYTES];
	struct ctx *c;
	struct err perr;
	size_t len = 0;
	int64_t size = 0;
	int rc, have_state = 0, have_cp = 0, in_txn = 0, ret = -1;

	memset(r, 0, sizeof(*r));
	r->state_size = -1;
	tlog_frontier_init(&stored);
	if (o->key_name && o->key_pk) {
		if (note_verifier_init(&v, o->key_name, o->key_pk, err) < 0)
			return -1;
		vp = &v;
	}
	if (o->against) {
		if (!vp)
			return err_input(err, "核对检查点需要日志公钥（请用 --keys 指定密钥库）");
		if (tlog_checkpoint_open(o->against, o->against_len, vp, &against_cp, err) < 0) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			return err_input(err, "检查点不是本日志的密钥签署的有效检查点：%s", msg);
		}
	}
	c = calloc(1, sizeof(*c));
	if (!c)
		return err_system(err, "内存不足");
	c->st = st;
	c->r = r;
	c->max = o->max_findings ? o->max_findings : DEFAULT_MAX_FINDINGS;
	c->err = err;
	c->state_size = -1;
	tlog_frontier_init(&c->f);
	want_size(&c->want[0], -1);
	want_size(&c->want[1], o->against ? (int64_t)against_cp.size : -1);

	if (store_begin(st, STORE_TXN_READ, err) < 0)
		goto out;
	in_txn = 1;

	rc = store_log_state_get(st, &size, buf, sizeof(buf), &len, err);
	if (rc < 0)
		goto out;
	if (rc == 1) {
		err_clear(&perr);
		if (tlog_frontier_deserialize(&stored, buf, len, &perr) < 0)
			add_finding(r, c->max, LOGVERIFY_STATE_INVALID, -1, NULL,
			            "保存的日志状态无法读取：%s", perr.msg);
		else if ((int64_t)tlog_frontier_size(&stored) != size)
			add_finding(r, c->max, LOGVERIFY_STATE_INVALID, -1, NULL,
			            "日志状态记录的大小（%" PRId64 "）与其中的树（%" PRIu64
			            " 条）不符",
			            size, tlog_frontier_size(&stored));
		else
			have_state = 1;
		r->state_size = size;
	}
	if (have_state) {
		c->state_size = size;
		if (size == 0) {
			c->at_state = c->f;
			c->have_at_state = 1;
		}
	}

	have_cp = read_stored_checkpoint(c, vp, &stored_cp);
	if (have_cp < 0)
		goto out;
	if (have_cp)
		want_size(&c->want[0], (int64_t)stored_cp.size);

	rc = store_log_each(st, 0, scan_entry, c, err);
	if (c->failed || rc < 0)
		goto out;
	tlog_frontier_root(&c->f, r->root);
	check_state(c, have_state, &stored);
	if (have_cp)
		check_checkpoint(c, &stored_cp, &c->want[0], LOGVERIFY_CHECKPOINT_MISMATCH,
		                 "保存的最新检查点");
	if (o->against) {
		r->against = 1;
		r->against_size = (int64_t)against_cp.size;
		check_checkpoint(c, &against_cp, &c->want[1], LOGVERIFY_LOG_REWRITTEN,
		                 "所给检查点");
	}

	rc = store_cert_each(st, check_row, c, err);
	if (c->failed || rc < 0)
		goto out;
	check_deleted_rows(c);
	rc = store_cred_each(st, check_credential, c, err);
	if (rc == 0)
		rc = store_slot_records(st, check_slot, c, err);
	if (rc != 0) {
		err_system(err, "读取签发记录失败");
		goto out;
	}
	r->numbers = (long)c->nums.n;
	ret = 0;
out:
	if (in_txn)
		store_rollback(st);
	numtable_release(&c->nums);
	free(c->bad);
	free(c);
	if (ret < 0)
		logverify_report_release(r);
	return ret;
}

/* --- leaves in memory, for proofs --- */

struct load_ctx {
	struct logverify_leaves *l;
	uint64_t next;
	struct err *err;
};

static int load_entry(void *arg, const struct store_log_entry *e)
{
	struct load_ctx *c = arg;

	if (c->next >= c->l->n)
		return 1; /* done */
	if (e->index != (int64_t)c->next) {
		err_system(c->err, "日志第 %" PRIu64 " 条缺失或顺序错误，请运行 opcert log verify",
		           c->next);
		return -1;
	}
	memcpy(c->l->hash[c->next], e->leaf, TLOG_HASH_LEN);
	c->next++;
	return 0;
}

int logverify_leaves_load(struct store *st, uint64_t n, struct logverify_leaves *out,
                          struct err *err)
{
	struct load_ctx c;
	int rc;

	memset(out, 0, sizeof(*out));
	if (n > SIZE_MAX / TLOG_HASH_LEN)
		return err_system(err, "日志过大");
	out->hash = malloc(n ? (size_t)n * TLOG_HASH_LEN : 1);
	if (!out->hash)
		return err_system(err, "内存不足（日志有 %" PRIu64 " 条）", n);
	out->n = n;
	c.l = out;
	c.next = 0;
	c.err = err;
	rc = n ? store_log_each(st, 0, load_entry, &c, err) : 0;
	if (rc < 0 || (rc == 0 && c.next < n)) {
		if (rc == 0)
			err_system(err,
			           "日志只有 %" PRIu64 " 条，少于日志状态记录的 %" PRIu64
			           " 条，请运行 opcert log verify",
			           c.next, n);
		logverify_leaves_release(out);
		return -1;
	}
	return 0;
}

void logverify_leaves_release(struct logverify_leaves *l)
{
	if (!l)
		return;
	free(l->hash);
	l->hash = NULL;
	l->n = 0;
}

int logverify_leaf(void *ctx, uint64_t index, uint8_t out[TLOG_HASH_LEN])
{
	const struct logverify_leaves *l = ctx;

	if (index >= l->n)
		return -1;
	memcpy(out, l->hash[index], TLOG_HASH_LEN);
	return 0;
}
