/*
 * ledger.c - canonical encodings of rows and events, and appending events
 * to the transparency log.  The CBOR here is a handful of fixed shapes, so
 * a small deterministic writer and a strict reader are written out rather
 * than built through a general CBOR library: an import appends a million
 * events and the encoding must never allocate.
 */
#include "ledger.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

static const char *const kind_codes[LEDGER_KIND_MAX + 1] = {
    "",       "import", "update", "issue", "renew",   "suspend", "reinstate",
    "revoke", "amend",  "key",    "photo", "migrate", "trail",
};
static const char *const kind_labels[LEDGER_KIND_MAX + 1] = {
    "",     "导入", "导入更新", "签发凭证", "延期复核/复审", "暂扣",         "恢复",
    "注销", "更正", "密钥",     "照片",     "补记",          "审计记录锚点",
};

const char *ledger_kind_code(enum ledger_kind k)
{
	return (int)k >= 1 && k <= LEDGER_KIND_MAX ? kind_codes[k] : "";
}

const char *ledger_kind_label(enum ledger_kind k)
{
	return (int)k >= 1 && k <= LEDGER_KIND_MAX ? kind_labels[k] : "";
}

void ledger_trail_detail(int64_t seq, const uint8_t hash[32], char out[LEDGER_TRAIL_DETAIL_SIZE])
{
	char hex[65];

	sodium_bin2hex(hex, sizeof(hex), hash, 32);
	snprintf(out, LEDGER_TRAIL_DETAIL_SIZE, "%lld %s", (long long)seq, hex);
}

int ledger_trail_parse(const char *detail, int64_t *seq, uint8_t hash[32])
{
	const char *p = detail;
	int64_t v = 0;
	size_t i;

	if (!p || *p < '1' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (INT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p++ != ' ' || strlen(p) != 64)
		return -1;
	for (i = 0; i < 64; i++)
		if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f')))
			return -1;
	if (sodium_hex2bin(hash, 32, p, 64, NULL, NULL, NULL) != 0)
		return -1;
	*seq = v;
	return 0;
}

/* --- a deterministic CBOR writer (shortest heads, definite lengths) --- */

struct cw {
	uint8_t *p;
	size_t n, cap;
	int overflow;
};

static void cw_bytes(struct cw *w, const void *p, size_t n)
{
	if (w->overflow || w->cap - w->n < n) {
		w->overflow = 1;
		return;
	}
	memcpy(w->p + w->n, p, n);
	w->n += n;
}

static void cw_head(struct cw *w, unsigned major, uint64_t v)
{
	uint8_t b[9];
	size_t n;

	if (v < 24) {
		b[0] = (uint8_t)(major << 5 | v);
		n = 1;
	} else if (v <= 0xff) {
		b[0] = (uint8_t)(major << 5 | 24);
		b[1] = (uint8_t)v;
		n = 2;
	} else if (v <= 0xffff) {
		b[0] = (uint8_t)(major << 5 | 25);
		b[1] = (uint8_t)(v >> 8);
		b[2] = (uint8_t)v;
		n = 3;
	} else if (v <= 0xffffffffu) {
		b[0] = (uint8_t)(major << 5 | 26);
		for (int i = 0; i < 4; i++)
			b[1 + i] = (uint8_t)(v >> (24 - 8 * i));
		n = 5;
	} else {
		b[0] = (uint8_t)(major << 5 | 27);
		for (int i = 0; i < 8; i++)
			b[1 + i] = (uint8_t)(v >> (56 - 8 * i));
		n = 9;
	}
	cw_bytes(w, b, n);
}

static void cw_int(struct cw *w, int64_t v)
{
	if (v >= 0)
		cw_head(w, 0, (uint64_t)v);
	else
		cw_head(w, 1, (uint64_t)(-(v + 1)));
}

static void cw_text(struct cw *w, const char *s)
{
	size_t n = strlen(s);

	cw_head(w, 3, n);
	cw_bytes(w, s, n);
}

static void cw_null(struct cw *w)
{
	uint8_t b = 0xf6;

	cw_bytes(w, &b, 1);
}

void ledger_row_hash(const struct cert *c, uint8_t out[32])
{
	uint8_t buf[2048];
	struct cw w = {buf, 0, sizeof(buf), 0};

	cw_head(&w, 4, 12);
	cw_text(&w, c->number);
	cw_int(&w, (int64_t)c->system);
	cw_text(&w, c->name);
	cw_int(&w, (int64_t)c->gender);
	cw_text(&w, c->id_number);
	cw_text(&w, c->trade);
	cw_text(&w, c->issuer);
	cw_int(&w, c->issued_on);
	cw_int(&w, c->valid_until);
	if (c->review_due == DATE_NONE)
		cw_null(&w);
	else
		cw_int(&w, c->review_due);
	cw_int(&w, (int64_t)c->status);
	cw_text(&w, c->training_institution);
	/* The fields are bounded by struct cert, so buf always holds them. */
	crypto_hash_sha256(out, buf, w.n);
	sodium_memzero(buf, w.n); /* it held an ID number */
}

size_t ledger_encode(const struct ledger_event *e, uint8_t *out, size_t cap)
{
	struct cw w = {out, 0, cap, 0};

	cw_head(&w, 4, 6);
	cw_int(&w, 1);
	cw_int(&w, (int64_t)e->kind);
	cw_int(&w, e->time);
	if (e->number)
		cw_text(&w, e->number);
	else
		cw_null(&w);
	if (e->has_row) {
		cw_head(&w, 2, 32);
		cw_bytes(&w, e->row_hash, 32);
	} else {
		cw_null(&w);
	}
	if (e->detail)
		cw_text(&w, e->detail);
	else
		cw_null(&w);
	return w.overflow ? 0 : w.n;
}

/* --- a strict reader for the same shapes --- */

struct cr {
	const uint8_t *p;
	size_t n, pos;
};

/* Reads a head; rejects non-shortest forms so one event has one encoding. */
static int cr_head(struct cr *r, unsigned *major, uint64_t *v)
{
	unsigned ai;
	size_t len, i;

	if (r->pos >= r->n)
		return -1;
	*major = r->p[r->pos] >> 5;
	ai = r->p[r->pos] & 31;
	r->pos++;
	if (ai < 24) {
		*v = ai;
		return 0;
	}
	if (ai > 27)
		return -1;
	len = (size_t)1 << (ai - 24);
	if (r->n - r->pos < len)
		return -1;
	*v = 0;
	for (i = 0; i < len; i++)
		*v = *v << 8 | r->p[r->pos + i];
	r->pos += len;
	if ((ai == 24 && *v < 24) || (ai == 25 && *v <= 0xff) || (ai == 26 && *v <= 0xffff) ||
	    (ai == 27 && *v <= 0xffffffffu))
		return -1;
	return 0;
}

static int cr_null(struct cr *r)
{
	if (r->pos < r->n && r->p[r->pos] == 0xf6) {
		r->pos++;
		return 1;
	}
	return 0;
}

static int cr_int(struct cr *r, int64_t *out)
{
	unsigned major;
	uint64_t v;

	if (cr_head(r, &major, &v) < 0 || v > INT64_MAX)
		return -1;
	if (major == 0)
		*out = (int64_t)v;
	else if (major == 1)
		*out = -1 - (int64_t)v;
	else
		return -1;
	return 0;
}

static int cr_text(struct cr *r, char *out, size_t size)
{
	unsigned major;
	uint64_t v;

	if (cr_head(r, &major, &v) < 0 || major != 3 || v >= size || r->n - r->pos < v)
		return -1;
	memcpy(out, r->p + r->pos, (size_t)v);
	out[v] = '\0';
	if (memchr(out, '\0', (size_t)v))
		return -1;
	r->pos += (size_t)v;
	return 0;
}

int ledger_decode(const uint8_t *data, size_t len, struct ledger_event *e, char *number,
                  size_t number_size, char *detail, size_t detail_size)
{
	struct cr r = {data, len, 0};
	unsigned major;
	uint64_t v;
	int64_t version, kind;

	memset(e, 0, sizeof(*e));
	if (cr_head(&r, &major, &v) < 0 || major != 4 || v != 6)
		return -1;
	if (cr_int(&r, &version) < 0 || version != 1)
		return -1;
	if (cr_int(&r, &kind) < 0 || kind < 1 || kind > LEDGER_KIND_MAX)
		return -1;
	e->kind = (enum ledger_kind)kind;
	if (cr_int(&r, &e->time) < 0)
		return -1;
	if (!cr_null(&r)) {
		if (cr_text(&r, number, number_size) < 0)
			return -1;
		e->number = number;
	}
	if (!cr_null(&r)) {
		if (cr_head(&r, &major, &v) < 0 || major != 2 || v != 32 || r.n - r.pos < 32)
			return -1;
		memcpy(e->row_hash, r.p + r.pos, 32);
		r.pos += 32;
		e->has_row = 1;
	}
	if (!cr_null(&r)) {
		if (cr_text(&r, detail, detail_size) < 0)
			return -1;
		e->detail = detail;
	}
	return r.pos == r.n ? 0 : -1;
}

/* --- appending --- */

int ledger_open(struct ledger *l, struct store *st, struct err *err)
{
	uint8_t buf[TLOG_FRONTIER_MAX_BYTES];
	size_t len = 0;
	int64_t size = 0;
	int rc;

	memset(l, 0, sizeof(*l));
	l->store = st;
	tlog_frontier_init(&l->frontier);
	rc = store_log_state_get(st, &size, buf, sizeof(buf), &len, err);
	if (rc < 0)
		return -1;
	if (rc == 1 && tlog_frontier_deserialize(&l->frontier, buf, len, err) < 0)
		return err_system(err, "日志状态已损坏，请运行 opcert log verify");
	if (rc == 1 && (int64_t)tlog_frontier_size(&l->frontier) != size)
		return err_system(err, "日志状态与日志大小不一致，请运行 opcert log verify");
	return 0;
}

int ledger_append(struct ledger *l, const struct ledger_event *e, int64_t *index, struct err *err)
{
	struct store_log_entry entry;

	entry.len = ledger_encode(e, entry.data, sizeof(entry.data));
	if (entry.len == 0)
		return err_input(err, "日志事件过长");
	entry.index = (int64_t)tlog_frontier_size(&l->frontier);
	snprintf(entry.number, sizeof(entry.number), "%s", e->number ? e->number : "");
	tlog_leaf_hash(entry.data, entry.len, entry.leaf);
	if (store_log_append(l->store, &entry, err) < 0)
		return -1;
	if (tlog_frontier_append(&l->frontier, entry.leaf, err) < 0)
		return -1;
	l->changed = 1;
	if (index)
		*index = entry.index;
	return 0;
}

int ledger_save(struct ledger *l, struct err *err)
{
	uint8_t buf[TLOG_FRONTIER_MAX_BYTES];
	size_t len;

	if (!l->changed)
		return 0;
	len = tlog_frontier_serialize(&l->frontier, buf);
	if (store_log_state_set(l->store, (int64_t)tlog_frontier_size(&l->frontier), buf, len,
	                        err) < 0)
		return -1;
	l->changed = 0;
	return 0;
}

int64_t ledger_size(const struct ledger *l)
{
	return (int64_t)tlog_frontier_size(&l->frontier);
}

void ledger_root(const struct ledger *l, uint8_t out[32])
{
	tlog_frontier_root(&l->frontier, out);
}

int ledger_check_entry(const struct cert *c, const struct store_log_entry *entry)
{
	struct ledger_event e;
	char number[CERTNO_SIZE], detail[STORE_LOG_DATA_MAX];
	uint8_t hash[32];

	if (ledger_decode(entry->data, entry->len, &e, number, sizeof(number), detail,
	                  sizeof(detail)) < 0)
		return 1;
	if (!e.number || strcmp(e.number, c->number) != 0 || !e.has_row)
		return 1;
	ledger_row_hash(c, hash);
	return sodium_memcmp(hash, e.row_hash, 32) == 0 ? 0 : 1;
}

int ledger_check_row(struct store *st, const struct cert *c, struct err *err)
{
	struct store_log_entry entry;
	int rc;

	if (c->ledger_index < 0)
		return 1;
	rc = store_log_get(st, c->ledger_index, &entry, err);
	if (rc < 0)
		return -1;
	if (rc == 0)
		return 1;
	return ledger_check_entry(c, &entry);
}

int ledger_issue_entry(struct store *st, int64_t index, const uint8_t hash[32],
                       char number[CERTNO_SIZE], uint32_t *slot, struct err *err)
{
	struct store_log_entry *entry = malloc(sizeof(*entry));
	struct ledger_event e;
	char detail[STORE_LOG_DATA_MAX], hashhex[65], *end;
	unsigned long v;
	int rc = 0;

	if (!entry)
		return err_system(err, "内存不足");
	if (index < 0)
		goto out;
	rc = store_log_get(st, index, entry, err);
	if (rc <= 0)
		goto out;
	rc = 0;
	if (ledger_decode(entry->data, entry->len, &e, number, CERTNO_SIZE, detail,
	                  sizeof(detail)) < 0 ||
	    e.kind != LEDGER_ISSUE || !e.number || !e.detail || strlen(e.detail) < 66 ||
	    e.detail[64] != ' ')
		goto out;
	if (hash) {
		sodium_bin2hex(hashhex, sizeof(hashhex), hash, 32);
		if (memcmp(e.detail, hashhex, 64) != 0)
			goto out;
	}
	v = strtoul(e.detail + 65, &end, 10);
	if (*end || v > UINT32_MAX)
		goto out;
	*slot = (uint32_t)v;
	rc = 1;
out:
	free(entry);
	return rc;
}
