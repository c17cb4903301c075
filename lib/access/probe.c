/* probe.c - the probe limit; see probe.h */
#include "probe.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idnum.h"
#include "pii.h"
#include "verify.h"

/* The domains of pii_probe_tag: what a tag stands for. */
enum {
	TAG_CERT = 1,   /* a certificate number */
	TAG_ID = 2,     /* an ID number tried for it */
	TAG_MASK = 3,   /* the mask of an emergency-management number */
	TAG_NUMBER = 4, /* an emergency-management number tried for its mask */
};

#define MESSAGE_NUMBERS 3  /* certificates a message names (the answer's list has more) */
#define MESSAGE_ROWS    10 /* rows a message names */

_Static_assert(PROBE_KEY_LEN == PII_INDEX_LEN, "a probe key is a pii_probe_tag");

static int64_t window_start(int64_t now)
{
	return now - PROBE_WINDOW + 1;
}

/* ---- subjects ---- */

void probe_subject_account(const char *login, char out[PROBE_SUBJECT_SIZE])
{
	snprintf(out, PROBE_SUBJECT_SIZE, "account:%s", login ? login : "");
}

void probe_subject_address(const char *addr, char out[PROBE_SUBJECT_SIZE])
{
	char text[INET6_ADDRSTRLEN + 8], plain[64];
	struct in6_addr a6;
	struct in_addr a4;
	size_t n = addr ? strlen(addr) : 0;

	/* What the list shows ("…::/64") names the same subject again. */
	if (n >= 3 && strcmp(addr + n - 3, "/64") == 0)
		n -= 3;
	snprintf(plain, sizeof(plain), "%.*s", (int)(n < sizeof(plain) ? n : 0), addr ? addr : "");
	if (inet_pton(AF_INET, plain, &a4) == 1 && inet_ntop(AF_INET, &a4, text, sizeof(text))) {
		snprintf(out, PROBE_SUBJECT_SIZE, "address:%s", text);
		return;
	}
	if (inet_pton(AF_INET6, plain, &a6) == 1) {
		if (IN6_IS_ADDR_V4MAPPED(&a6)) {
			memcpy(&a4, a6.s6_addr + 12, 4);
			if (inet_ntop(AF_INET, &a4, text, sizeof(text))) {
				snprintf(out, PROBE_SUBJECT_SIZE, "address:%s", text);
				return;
			}
		}
		memset(a6.s6_addr + 8, 0, 8);
		if (inet_ntop(AF_INET6, &a6, text, sizeof(text))) {
			snprintf(out, PROBE_SUBJECT_SIZE, "address:%s/64", text);
			return;
		}
	}
	snprintf(out, PROBE_SUBJECT_SIZE, "address:%s", addr ? addr : "");
}

int probe_subject_parse(const char *text, char out[PROBE_SUBJECT_SIZE], struct err *err)
{
	size_t n = text ? strlen(text) : 0;

	if (n >= PROBE_SUBJECT_SIZE)
		return err_input(err, "对象过长");
	if (n > 8 && strncmp(text, "account:", 8) == 0) {
		probe_subject_account(text + 8, out);
		return 0;
	}
	if (n > 8 && strncmp(text, "address:", 8) == 0) {
		probe_subject_address(text + 8, out);
		return 0;
	}
	return err_input(err, "“%s”不是核对对象（应为 account:账号 或 address:地址）",
	                 text ? text : "");
}

/* ---- what a request tried ---- */

void probe_set_init(struct probe_set *s)
{
	memset(s, 0, sizeof(*s));
}

void probe_set_release(struct probe_set *s)
{
	if (s->v) {
		sodium_memzero(s->v, s->cap * sizeof(*s->v));
		free(s->v);
	}
	probe_set_init(s);
}

static struct probe_try *push(struct probe_set *s, struct err *err)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct probe_try *v = realloc(s->v, cap * sizeof(*v));

		if (!v) {
			err_system(err, "内存不足");
			return NULL;
		}
		s->v = v;
		s->cap = cap;
	}
	memset(&s->v[s->n], 0, sizeof(s->v[s->n]));
	return &s->v[s->n++];
}

/* The ID number as verify_claim compares it: normalised when it has 18
 * characters, else its first 18 bytes. */
static void presented_id(const char *id_number, int32_t today, char out[IDNUM_SIZE])
{
	idnum_check(id_number, strlen(id_number), today, out);
	if (!out[0])
		snprintf(out, IDNUM_SIZE, "%.18s", id_number);
}

/* The emergency-management number no (parsed) tried against its mask. */
static int add_number(struct probe_set *s, const struct pii_key *k, const struct certno *no,
                      long row, int absent, struct err *err)
{
	struct probe_try *t;

	if (no->system != SYS_EMERGENCY)
		return 0;
	if (!(t = push(s, err)))
		return -1;
	certno_mask(no->text, t->masked);
	pii_probe_tag(k, TAG_MASK, t->masked, strlen(t->masked), t->cert);
	pii_probe_tag(k, TAG_NUMBER, no->text, strlen(no->text), t->guess);
	t->row = row;
	t->by_number = 1;
	t->miss = absent != 0;
	return 0;
}

int probe_set_add(struct probe_set *s, const struct pii_key *k, const struct vresult *r,
                  const char *id_number, int32_t today, long row, int absent, struct err *err)
{
	struct certno no;
	struct probe_try *t;
	char id[IDNUM_SIZE];
	int rc;

	if (!r->number[0] || (r->findings & (VMASK(V_INVALID_NUMBER) | VMASK(V_UNCERTIFIED))) ||
	    certno_parse(r->number, strlen(r->number), &no) < 0)
		return 0;
	if (!k)
		return err_system(err, "核对次数限制缺少数据密钥");
	if (id_number && id_number[0]) {
		if (!(t = push(s, err)))
			return -1;
		presented_id(id_number, today, id);
		pii_probe_tag(k, TAG_CERT, no.text, strlen(no.text), t->cert);
		pii_probe_tag(k, TAG_ID, id, strlen(id), t->guess);
		certno_mask(no.text, t->masked);
		t->row = row;
		t->miss = r->found && strcmp(r->cert.id_number, id) != 0;
		sodium_memzero(id, sizeof(id));
	}
	rc = add_number(s, k, &no, row, absent, err);
	sodium_memzero(&no, sizeof(no));
	return rc;
}

int probe_set_add_number(struct probe_set *s, const struct pii_key *k, const char *number, long row,
                         int absent, struct err *err)
{
	struct certno no;
	int rc;

	if (!number || certno_parse(number, strlen(number), &no) < 0 || no.system != SYS_EMERGENCY)
		return 0;
	if (!k)
		return err_system(err, "核对次数限制缺少数据密钥");
	rc = add_number(s, k, &no, row, absent, err);
	sodium_memzero(&no, sizeof(no));
	return rc;
}

int probe_set_has_miss(const struct probe_set *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i].miss)
			return 1;
	return 0;
}

static int try_order(const void *a, const void *b)
{
	const struct probe_try *x = a, *y = b;
	int c = memcmp(x->cert, y->cert, PROBE_KEY_LEN);

	if (!c)
		c = memcmp(x->guess, y->guess, PROBE_KEY_LEN);
	if (!c)
		c = (x->row > y->row) - (x->row < y->row);
	return c;
}

static void sort_tries(struct probe_set *s)
{
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), try_order);
}

/* The end of the group of tries (same certificate) starting at i. */
static size_t group_end(const struct probe_set *s, size_t i)
{
	size_t j = i + 1;

	while (j < s->n && memcmp(s->v[j].cert, s->v[i].cert, PROBE_KEY_LEN) == 0)
		j++;
	return j;
}

static int new_guess(const struct probe_set *s, size_t i, size_t start)
{
	return i == start || memcmp(s->v[i].guess, s->v[i - 1].guess, PROBE_KEY_LEN) != 0;
}

static size_t distinct_guesses(const struct probe_set *s, size_t start, size_t end)
{
	size_t i, n = 0;

	for (i = start; i < end; i++)
		n += (size_t)new_guess(s, i, start);
	return n;
}

/* ---- refusals ---- */

static void refusal_init(struct probe_refusal *r, enum probe_reason reason)
{
	memset(r, 0, sizeof(*r));
	r->reason = reason;
}

/* Name the group [start, end) in r: its certificate, and its rows, the
 * lowest ones when there are more than r has room for. */
static void refuse_group(struct probe_refusal *r, const struct probe_set *s, size_t start,
                         size_t end)
{
	size_t i, k;

	if (r->numbers_total == 0)
		memcpy(r->cert, s->v[start].cert, PROBE_KEY_LEN);
	if (r->nnumbers < PROBE_NAMED_MAX)
		snprintf(r->numbers[r->nnumbers++], CERTNO_SIZE, "%s", s->v[start].masked);
	r->numbers_total++;
	for (i = start; i < end; i++) {
		long row = s->v[i].row;

		if (row <= 0)
			continue;
		for (k = 0; k < r->nrows && r->rows[k] < row; k++)
			;
		if (k < r->nrows && r->rows[k] == row)
			continue; /* named already */
		r->rows_total++;
		if (k == PROBE_ROWS_MAX)
			continue;
		if (r->nrows == PROBE_ROWS_MAX)
			r->nrows--; /* the highest makes room */
		memmove(r->rows + k + 1, r->rows + k, (r->nrows - k) * sizeof(r->rows[0]));
		r->rows[k] = row;
		r->nrows++;
	}
}

int probe_roster_check(struct probe_set *s, struct probe_refusal *out)
{
	size_t i, j;

	refusal_init(out, PROBE_ADMITTED);
	sort_tries(s);
	for (i = 0; i < s->n; i = j) {
		j = group_end(s, i);
		/* Only ID numbers presented for a certificate: different people
		 * may hold emergency-management numbers of one mask. */
		if (!s->v[i].by_number && distinct_guesses(s, i, j) > PROBE_ROSTER_IDS) {
			out->reason = PROBE_REFUSED_ROSTER;
			refuse_group(out, s, i, j);
		}
	}
	return out->reason != PROBE_ADMITTED;
}

/* ---- the limit ---- */

/* Whether the group [start, end) presents guess. */
static int presents(const struct probe_set *s, size_t start, size_t end, const uint8_t *guess)
{
	size_t i;

	for (i = start; i < end; i++)
		if (memcmp(s->v[i].guess, guess, PROBE_KEY_LEN) == 0)
			return 1;
	return 0;
}

/* The group [start, end) against its certificate's misses (n of them,
 * oldest first): 1 refused (named in out, with how long to wait), else 0. */
static int judge_group(const struct probe_set *s, size_t start, size_t end,
                       const struct store_probe_miss *misses, size_t n, int64_t now,
                       struct probe_refusal *out)
{
	size_t i, m, fresh = 0, over;
	int64_t wait = PROBE_WINDOW;

	for (i = start; i < end; i++) {
		if (!new_guess(s, i, start))
			continue;
		for (m = 0; m < n && memcmp(misses[m].guess, s->v[i].guess, PROBE_KEY_LEN); m++)
			;
		fresh += m == n;
	}
	if (n + fresh <= PROBE_LIMIT)
		return 0;
	/* Admitted once enough of the oldest misses have left the window (a
	 * miss the request presents again counts either way). */
	over = n + fresh - PROBE_LIMIT;
	if (fresh <= PROBE_LIMIT)
		for (m = 0; m < n; m++)
			if (!presents(s, start, end, misses[m].guess) && --over == 0) {
				wait = misses[m].at + PROBE_WINDOW - now;
				break;
			}
	if (wait < 1)
		wait = 1;
	if (wait > out->retry_after)
		out->retry_after = wait;
	refuse_group(out, s, start, end);
	return 1;
}

/* Up to this many certificates in a request, their misses are read one
 * certificate at a time; past it, all of the subject's at once. */
#define PROBE_QUERY_EACH 8

/* A subject's misses, as the store hands them: by certificate (in the
 * order of the request's sorted groups, which is the store's), oldest
 * first. */
struct miss_list {
	struct store_probe_miss *v;
	size_t n, cap;
};

static int keep_miss(void *arg, const struct store_probe_miss *m)
{
	struct miss_list *l = arg;

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct store_probe_miss *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return 1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *m;
	return 0;
}

/* The first miss of cert in l (l->n when none). */
static size_t first_miss(const struct miss_list *l, const uint8_t *cert)
{
	size_t lo = 0, hi = l->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (memcmp(l->v[mid].cert, cert, PROBE_KEY_LEN) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int probe_admit(struct store *st, const char *subject, struct probe_set *s, int64_t now,
                struct probe_refusal *out, struct err *err)
{
	struct miss_list misses = {NULL, 0, 0};
	size_t i, j, m, k;
	int rc = 0;

	refusal_init(out, PROBE_ADMITTED);
	if (s->n == 0)
		return 0;
	sort_tries(s);
	/* A subject with no rows at all pays one query.  One with rows pays
	 * one more a certificate the request names (an index look-up), or,
	 * for a request naming many, one for all its misses: never a read of
	 * everything a busy address ever missed for a single check. */
	rc = store_probe_any(st, subject, window_start(now), err);
	if (rc == 1) {
		for (i = 0, k = 0; i < s->n; i = group_end(s, i))
			k++;
		if (k <= PROBE_QUERY_EACH) {
			for (i = 0, rc = 0; rc == 0 && i < s->n; i = group_end(s, i))
				rc = store_probe_misses(st, subject, s->v[i].cert,
				                        window_start(now), keep_miss, &misses, err);
		} else {
			rc = store_probe_misses(st, subject, NULL, window_start(now), keep_miss,
			                        &misses, err);
		}
		if (rc > 0)
			rc = err_system(err, "内存不足");
	}
	for (i = 0; rc == 0 && i < s->n; i = j) {
		j = group_end(s, i);
		m = first_miss(&misses, s->v[i].cert);
		for (k = m; k < misses.n && !memcmp(misses.v[k].cert, s->v[i].cert, PROBE_KEY_LEN);
		     k++)
			;
		if (judge_group(s, i, j, misses.v ? misses.v + m : NULL, k - m, now, out))
			out->reason = PROBE_REFUSED_LIMIT;
	}
	free(misses.v);
	if (rc < 0)
		return -1;
	return out->reason != PROBE_ADMITTED;
}

int probe_apply(struct store *st, const struct actor *who, const char *subject, struct probe_set *s,
                int64_t now, struct probe_refusal *out, struct err *err)
{
	size_t i;
	int rc = probe_admit(st, subject, s, now, out, err);

	if (rc < 0)
		return -1;
	if (rc == 1)
		return probe_refusal_record(st, who, subject, out, now, err) < 0 ? -1 : 1;
	if (!probe_set_has_miss(s))
		return 0;
	if (store_probe_prune(st, window_start(now), err) < 0)
		return -1;
	for (i = 0; i < s->n; i++)
		if (s->v[i].miss &&
		    store_probe_add(st, subject, s->v[i].cert, s->v[i].guess, now, err) < 0)
			return -1;
	return 0;
}

int probe_settle(struct store *st, const struct actor *who, const char *subject,
                 struct probe_set *s, int64_t now, struct probe_refusal *out, struct err *err)
{
	int rc;

	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	rc = probe_apply(st, who, subject, s, now, out, err);
	if (rc < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return rc;
}

const char *probe_reason_code(enum probe_reason r)
{
	return r == PROBE_REFUSED_ROSTER ? "probe_roster" : "probe_limit";
}

/* The audit trail's detail of a refusal (masked numbers, rows). */
static char *refusal_detail(const char *subject, const struct probe_refusal *r)
{
	json_t *o = json_object(), *numbers = json_array(), *rows = json_array();
	char *text = NULL;
	size_t i;

	if (o && numbers && rows) {
		for (i = 0; i < r->nnumbers; i++)
			json_array_append_new(numbers, json_string(r->numbers[i]));
		for (i = 0; i < r->nrows; i++)
			json_array_append_new(rows, json_integer(r->rows[i]));
		json_object_set_new(o, "subject", json_string(subject));
		json_object_set_new(o, "reason", json_string(probe_reason_code(r->reason)));
		json_object_set_new(o, "numbers", numbers);
		json_object_set_new(o, "rows", rows);
		numbers = rows = NULL;
		text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	}
	json_decref(o);
	json_decref(numbers);
	json_decref(rows);
	return text;
}

int probe_refusal_record(struct store *st, const struct actor *who, const char *subject,
                         const struct probe_refusal *r, int64_t now, struct err *err)
{
	char object[CERTNO_SIZE + 8], *detail;
	long before = 0;
	int rc;

	if (store_probe_prune(st, window_start(now), err) < 0)
		return -1;
	/* The public: the first refusal of an address in the window only. */
	if (strncmp(subject, "address:", 8) == 0 &&
	    store_probe_refusals(st, subject, window_start(now), &before, err) < 0)
		return -1;
	if (store_probe_add(st, subject, r->cert, NULL, now, err) < 0)
		return -1;
	if (before > 0)
		return 0;
	detail = refusal_detail(subject, r);
	if (!detail)
		return err_system(err, "内存不足");
	snprintf(object, sizeof(object), "cert:%s", r->nnumbers ? r->numbers[0] : "");
	rc = trail_append(st, who, now, "probe.refused", object, detail, err);
	free(detail);
	return rc;
}

int probe_refuse(struct store *st, const struct actor *who, const char *subject,
                 const struct probe_refusal *r, int64_t now, struct err *err)
{
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	if (probe_refusal_record(st, who, subject, r, now, err) < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	return 0;
}

/* "A、B、C" (and "等 N 本" past what is named) into out. */
static void list_numbers(const struct probe_refusal *r, char *out, size_t size)
{
	size_t i, n = 0;

	out[0] = '\0';
	for (i = 0; i < r->nnumbers && i < MESSAGE_NUMBERS && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%s", i ? "、" : "", r->numbers[i]);
	if (r->numbers_total > i && n < size)
		snprintf(out + n, size - n, "等 %zu 本", r->numbers_total);
}

/* "，第 1、2、3 行" (and "等 N 行" past what is named) into out, "" when none. */
static void list_rows(const struct probe_refusal *r, char *out, size_t size)
{
	size_t i, n = 0;

	out[0] = '\0';
	if (!r->nrows)
		return;
	n = (size_t)snprintf(out, size, "，第 ");
	for (i = 0; i < r->nrows && i < MESSAGE_ROWS && n < size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%ld", i ? "、" : "", r->rows[i]);
	if (n < size)
		n += (size_t)snprintf(out + n, size - n, " 行");
	if (r->rows_total > i && n < size)
		snprintf(out + n, size - n, "等 %zu 行", r->rows_total);
}

int probe_refusal_err(const struct probe_refusal *r, struct err *err)
{
	char numbers[160], rows[200];

	list_numbers(r, numbers, sizeof(numbers));
	list_rows(r, rows, sizeof(rows));
	if (r->reason == PROBE_REFUSED_ROSTER)
		return err_input(err,
		                 "同一证书在花名册中对应了 %d 个以上不同的身份证号码（证书 %s%s），"
		                 "整份花名册不予核验：请核实这些行是否转借或冒用，改正后重新上传",
		                 PROBE_ROSTER_IDS + 1, numbers, rows);
	return err_input(err,
	                 "该证书的身份证号核对次数已达上限，请24小时后再试或联系市住建局管理员"
	                 "（证书 %s%s）",
	                 numbers, rows);
}

/* ---- administration ---- */

int probe_each(struct store *st, int64_t now, store_probe_fn fn, void *arg, struct err *err)
{
	return store_probe_each(st, window_start(now), PROBE_LIMIT, fn, arg, err);
}

int probe_clear(struct store *st, const struct actor *who, const char *subject, const char *number,
                int64_t now, long *cleared, struct err *err)
{
	uint8_t keys[2][PROBE_KEY_LEN];
	char masked[CERTNO_SIZE] = "", object[PROBE_SUBJECT_SIZE + 8], *detail = NULL;
	struct certno no;
	size_t nkeys = 0, i;
	long n = 0, one;
	json_t *o;
	int rc = -1;

	if (cleared)
		*cleared = 0;
	if (number && number[0]) {
		if (certno_parse(number, strlen(number), &no) < 0)
			return err_input(err, "证书编号“%.40s”格式无效", number);
		if (!store_pii_key(st))
			return err_input(err, "按证书清除需要数据密钥");
		certno_mask(no.text, masked);
		pii_probe_tag(store_pii_key(st), TAG_CERT, no.text, strlen(no.text), keys[nkeys++]);
		if (no.system == SYS_EMERGENCY)
			pii_probe_tag(store_pii_key(st), TAG_MASK, masked, strlen(masked),
			              keys[nkeys++]);
		sodium_memzero(&no, sizeof(no));
	}
	if (store_begin(st, STORE_TXN_NORMAL, err) < 0)
		return -1;
	if (nkeys == 0) {
		rc = store_probe_clear(st, subject, NULL, &n, err);
	} else {
		for (i = 0, rc = 0; rc == 0 && i < nkeys; i++) {
			rc = store_probe_clear(st, subject, keys[i], &one, err);
			n += one;
		}
	}
	if (rc == 0) {
		o = json_pack("{s:s,s:I}", "subject", subject, "cleared", (json_int_t)n);
		if (o && masked[0])
			json_object_set_new(o, "number", json_string(masked));
		detail = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
		json_decref(o);
		if (!detail)
			rc = err_system(err, "内存不足");
	}
	if (rc == 0) {
		snprintf(object, sizeof(object), "probe:%s", subject);
		rc = trail_append(st, who, now, "probe.clear", object, detail, err);
	}
	free(detail);
	if (rc < 0 || store_commit(st, err) < 0) {
		store_rollback(st);
		return -1;
	}
	if (cleared)
		*cleared = n;
	return 0;
}
