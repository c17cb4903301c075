/*
 * api.c - the handlers of `opcert serve`: they parse what serve.c read,
 * call the core library and format its answer (JSON via jansson).
 *
 * Threat model: every argument and body comes from a hostile client on the
 * Internet.  serve.c has bounded them (sizes, counts) before a handler
 * runs; handlers check content (UTF-8, lengths, formats) and answer bad
 * input with a 4xx, never a crash.  The public answers follow DOMAIN.md
 * section 6: no full ID number ever, and "no such certificate" and "the
 * name does not match" give byte-identical answers, so the verify route
 * cannot tell anyone which numbers exist or whose name goes with one.
 *
 * Shared state: the key store and the writer connection are used under
 * sign_mu only; the trust list, the status list and the proof cache each
 * have their own mutex; every thread has its own read-only database
 * connection (thread-local, opened on first use, closed when the thread
 * ends).
 */
#include "api.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "certno.h"
#include "date.h"
#include "idnum.h"
#include "issue.h"
#include "jsonw.h"
#include "keys.h"
#include "pii.h"
#include "ledger.h"
#include "logcache.h"
#include "logverify.h"
#include "pages.h"
#include "roster.h"
#include "routes.h"
#include "scan.h"
#include "statuslist.h"
#include "trade.h"
#include "trust.h"
#include "verify.h"
#include "vout.h"

#define JSON_TYPE "application/json; charset=utf-8"

#define VERIFY_ARG_MAX      64          /* bytes of number and name */
#define REFRESH_SECONDS     60          /* prefixes, trust list, status list */
#define CHECKPOINT_SECONDS  10          /* at most one new checkpoint this often */
#define KEYS_RETRY_SECONDS  10          /* a missing key store is looked for again */
#define ROSTER_OUT_MAX      (48u << 20) /* bytes of a roster's results */
#define CACHE_PUBLIC_MINUTE "public, max-age=60"

/* The public answer for "no such certificate" and for "the name does not match". */
#define NOT_FOUND_MESSAGE "查无此证或信息不符"

/* The trust list as served, and parsed for the credential check; shared, refcounted. */
struct trust_snap {
	int refs;
	int64_t checked; /* when its inputs were last compared */
	struct trust_list tl;
	char *json;
	size_t len;
};

struct api {
	struct api_config cfg;
	pthread_key_t thread_key;

	struct pii_key *pii; /* the data key every connection gets (store_set_pii) */

	pthread_mutex_t sign_mu; /* keys, keys_*, writer */
	struct keys *keys;
	struct stat keys_stat;
	int64_t keys_tried;
	char keys_why[448];
	struct store *writer;

	pthread_mutex_t trust_mu;
	struct trust_snap *trust;

	pthread_mutex_t status_mu;
	char *status_json;
	size_t status_len;
	int64_t status_made;

	pthread_mutex_t log_mu;
	int64_t checkpoint_made;
	struct logcache cache; /* for ledger_prove */

	struct pages *pages; /* the pages, assembled at start (pages.h); NULL without a web root */

	struct account_unknown *unknown; /* failed sign-ins of logins that name no account */
};

/* One thread's database connection and verifier. */
struct thread_state {
	struct store *st;
	struct verifier v;
	int64_t prefixes_at;
};

static int64_t mono_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

static void thread_state_free(void *p)
{
	struct thread_state *w = p;

	if (w) {
		store_close(w->st);
		free(w);
	}
}

static int32_t today(const struct api *a)
{
	return a->cfg.today != DATE_NONE ? a->cfg.today : date_today_china();
}

/* This thread's connection, opened read-only on first use; prefixes refreshed now and then. */
static struct thread_state *thread_state_get(struct api *a, struct err *err)
{
	struct thread_state *w = pthread_getspecific(a->thread_key);
	int64_t now = mono_seconds();

	if (!w) {
		w = calloc(1, sizeof(*w));
		if (!w) {
			err_system(err, "内存不足");
			return NULL;
		}
		if (store_open(a->cfg.db, STORE_READONLY | STORE_SERVING, &w->st, err) < 0) {
			free(w);
			return NULL;
		}
		if (store_set_pii(w->st, a->pii, err) < 0) {
			thread_state_free(w);
			return NULL;
		}
		if (pthread_setspecific(a->thread_key, w) != 0) {
			thread_state_free(w);
			err_system(err, "无法保存线程数据");
			return NULL;
		}
	}
	if (!w->v.store || now - w->prefixes_at >= REFRESH_SECONDS) {
		if (verifier_init(&w->v, w->st, today(a), err) < 0)
			return NULL;
		w->prefixes_at = now;
	}
	w->v.today = today(a);
	return w;
}

struct store *api_reader(struct api *a, struct err *err)
{
	struct thread_state *w = thread_state_get(a, err);

	return w ? w->st : NULL;
}

/* ------------------------------------------------------------------ */
/* Keys */

static int keys_stat_of(const struct api *a, struct stat *sb)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), "%s/keys.json", a->cfg.keys_dir) >= (int)sizeof(path))
		return -1;
	return stat(path, sb);
}

/*
 * The key store as it is on disk now (under sign_mu): opened again when
 * keys.json changed (a rotation by the command line), looked for again
 * now and then when it was missing.  NULL with a 503 reason in err.
 */
static struct keys *keys_now(struct api *a, struct err *err)
{
	struct stat sb;
	struct keys *ks;
	int64_t now = mono_seconds();

	if (a->keys) {
		if (keys_stat_of(a, &sb) == 0 &&
		    (sb.st_mtim.tv_sec != a->keys_stat.st_mtim.tv_sec ||
		     sb.st_mtim.tv_nsec != a->keys_stat.st_mtim.tv_nsec ||
		     sb.st_ino != a->keys_stat.st_ino || sb.st_size != a->keys_stat.st_size)) {
			ks = keys_open(a->cfg.keys_dir, a->cfg.passphrase_file, NULL, err);
			if (ks) {
				keys_close(a->keys);
				a->keys = ks;
				a->keys_stat = sb;
			} else {
				/* Not again until it changes once more. */
				http_log("error", "密钥库已改变但无法重新打开，继续使用原来的：%s",
				         err->msg);
				a->keys_stat = sb;
				err_clear(err);
			}
		}
		return a->keys;
	}
	if (now - a->keys_tried >= KEYS_RETRY_SECONDS) {
		a->keys_tried = now;
		ks = keys_open(a->cfg.keys_dir, a->cfg.passphrase_file, NULL, err);
		if (ks) {
			a->keys = ks;
			if (keys_stat_of(a, &a->keys_stat) != 0)
				memset(&a->keys_stat, 0, sizeof(a->keys_stat));
			return ks;
		}
		snprintf(a->keys_why, sizeof(a->keys_why), "%s", err->msg);
	}
	err_clear(err);
	return NULL;
}

static int keys_unavailable(struct http_request *req)
{
	req->reply.retry_after = 60;
	return http_error(req, HTTP_SERVICE_UNAVAILABLE, "keys_unavailable",
	                  "服务器尚未配置签名密钥（请管理员运行 opcert key init），"
	                  "暂时无法提供信任列表、状态列表、日志和凭证核验");
}

/* The writer connection, opened on first use (under sign_mu). */
static struct store *writer(struct api *a, struct err *err)
{
	if (a->writer)
		return a->writer;
	if (store_open(a->cfg.db, 0, &a->writer, err) < 0)
		return NULL;
	if (store_set_pii(a->writer, a->pii, err) < 0) {
		store_close(a->writer);
		a->writer = NULL;
	}
	return a->writer;
}

struct store *api_writer_lock(struct api *a, struct err *err)
{
	struct store *st;

	pthread_mutex_lock(&a->sign_mu);
	st = writer(a, err);
	if (!st)
		pthread_mutex_unlock(&a->sign_mu);
	return st;
}

void api_writer_unlock(struct api *a)
{
	pthread_mutex_unlock(&a->sign_mu);
}

/* ------------------------------------------------------------------ */
/* Life cycle */

/* The data key: data.key in the key directory, else in keys/ beside the
 * database (as the command line looks for it). */
static int api_data_key(const struct api_config *cfg, struct pii_key **out, struct err *err)
{
	char beside[PATH_MAX];
	const char *slash = strrchr(cfg->db, '/');
	int rc = keys_data_pii(cfg->keys_dir, cfg->passphrase_file, out, err);

	if (slash)
		snprintf(beside, sizeof(beside), "%.*s/keys", (int)(slash - cfg->db), cfg->db);
	else
		snprintf(beside, sizeof(beside), "keys");
	if (rc == 1 && strcmp(beside, cfg->keys_dir) != 0)
		rc = keys_data_pii(beside, cfg->passphrase_file, out, err);
	if (rc == 1)
		return err_input(
		    err,
		    "缺少数据密钥（%s/%s）：数据库中的身份证号码已加密保存，没有它无法核验。"
		    "请先运行 opcert init，或用 opcert key restore 从备份恢复密钥目录",
		    cfg->keys_dir, KEYS_DATA_FILE);
	return rc;
}

struct api *api_new(const struct api_config *cfg, struct err *keys_err, struct err *err)
{
	struct api *a = calloc(1, sizeof(*a));
	struct store *st = NULL;

	err_clear(keys_err);
	if (!a) {
		err_system(err, "内存不足");
		return NULL;
	}
	a->cfg = *cfg;
	logcache_init(&a->cache);
	/* Every page put into its frame now: a malformed one stops the start. */
	if (cfg->web_root && pages_load(cfg->web_root, &a->pages, err) < 0) {
		free(a);
		return NULL;
	}
	/* The database must be there and ours before anyone is told the server runs. */
	if (store_open(cfg->db, STORE_READONLY, &st, err) < 0) {
		pages_free(a->pages);
		free(a);
		return NULL;
	}
	/* The data key, and that it is the database's, before anything else. */
	if (api_data_key(cfg, &a->pii, err) < 0 || store_set_pii(st, a->pii, err) < 0) {
		store_close(st);
		pii_key_free(a->pii);
		pages_free(a->pages);
		free(a);
		return NULL;
	}
	store_close(st);
	if (pthread_key_create(&a->thread_key, thread_state_free) != 0) {
		err_system(err, "无法创建线程数据");
		pii_key_free(a->pii);
		pages_free(a->pages);
		free(a);
		return NULL;
	}
	pthread_mutex_init(&a->sign_mu, NULL);
	pthread_mutex_init(&a->trust_mu, NULL);
	pthread_mutex_init(&a->status_mu, NULL);
	pthread_mutex_init(&a->log_mu, NULL);
	a->keys = keys_open(cfg->keys_dir, cfg->passphrase_file, NULL, keys_err);
	a->keys_tried = mono_seconds();
	if (a->keys) {
		if (keys_stat_of(a, &a->keys_stat) != 0)
			memset(&a->keys_stat, 0, sizeof(a->keys_stat));
	} else {
		snprintf(a->keys_why, sizeof(a->keys_why), "%s", keys_err->msg);
	}
	a->unknown = account_unknown_new(ACCOUNT_UNKNOWN_CAPACITY);
	if (!a->unknown) {
		err_system(err, "内存不足");
		api_free(a);
		return NULL;
	}
	return a;
}

struct account_unknown *api_unknown_logins(struct api *a)
{
	return a->unknown;
}

static void trust_release(struct api *a, struct trust_snap *s)
{
	int last;

	if (!s)
		return;
	pthread_mutex_lock(&a->trust_mu);
	last = --s->refs == 0;
	pthread_mutex_unlock(&a->trust_mu);
	if (last) {
		free(s->json);
		free(s);
	}
}

void api_free(struct api *a)
{
	if (!a)
		return;
	/* The calling thread may have used a connection too. */
	thread_state_free(pthread_getspecific(a->thread_key));
	pthread_setspecific(a->thread_key, NULL);
	pthread_key_delete(a->thread_key);
	trust_release(a, a->trust);
	free(a->status_json);
	logcache_release(&a->cache);
	keys_close(a->keys);
	store_close(a->writer);
	pii_key_free(a->pii);
	pages_free(a->pages);
	account_unknown_free(a->unknown);
	pthread_mutex_destroy(&a->sign_mu);
	pthread_mutex_destroy(&a->trust_mu);
	pthread_mutex_destroy(&a->status_mu);
	pthread_mutex_destroy(&a->log_mu);
	free(a);
}

/* ------------------------------------------------------------------ */
/* GET /healthz */

int api_healthz(struct http_request *req)
{
	static const char ok[] = "{\"status\":\"ok\"}";

	return http_text(req, HTTP_OK, JSON_TYPE, ok, sizeof(ok) - 1);
}

/* ------------------------------------------------------------------ */
/* GET /api/v1/verify?number=&name= */

/* A required text argument of at most max bytes, trimmed; NULL after a 400. */
static const char *text_arg(struct http_request *req, const char *key, const char *label,
                            size_t max)
{
	size_t len;
	const char *v = http_arg(req, key, &len), *s;
	char *copy;

	if (!v) {
		http_error(req, HTTP_BAD_REQUEST, "missing_parameter", "缺少参数 %s（%s）", key,
		           label);
		return NULL;
	}
	if (len > max) {
		http_error(req, HTTP_BAD_REQUEST, "parameter_too_long",
		           "参数 %s（%s）过长：最多 %zu 字节", key, label, max);
		return NULL;
	}
	if (!http_printable(v, len)) {
		http_error(req, HTTP_BAD_REQUEST, "bad_parameter",
		           "参数 %s（%s）不是有效的 UTF-8 文本或含有控制字符", key, label);
		return NULL;
	}
	s = v;
	text_trim(&s, &len);
	if (len == 0) {
		http_error(req, HTTP_BAD_REQUEST, "missing_parameter", "参数 %s（%s）为空", key,
		           label);
		return NULL;
	}
	copy = arena_strndup(&req->arena, s, len);
	if (!copy)
		http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	return copy;
}

static json_t *verdict_object(enum verdict v, const char *message)
{
	return json_pack("{s:s,s:s,s:s}", "verdict", verdict_code(v), "label", verdict_label(v),
	                 "message", message);
}

/* The register's record as the public may see it. */
static json_t *certificate_object(const struct cert *c)
{
	const struct trade *t = trade_by_code(c->system, c->trade);
	char number[CERTNO_SIZE], id[IDNUM_SIZE], d1[DATE_TEXT_MAX], d2[DATE_TEXT_MAX];
	json_t *o;

	certno_mask(c->number, number);
	idnum_mask(c->id_number, id);
	o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "number", number, "name", c->name, "trade",
	              c->trade, "trade_name", t ? t->name : "", "issuer", c->issuer, "issued_on",
	              date_format(c->issued_on, d1), "valid_until",
	              date_format(c->valid_until, d2));
	if (o && c->review_due != DATE_NONE)
		json_object_set_new(o, "review_due", json_string(date_format(c->review_due, d1)));
	if (o)
		json_object_set_new(o, "id_masked", json_string(id));
	return o;
}

/*
 * The answer written straight into its buffer, byte for byte what
 * http_json makes of verdict_object (with certificate_object when c is
 * given) but without building a tree: this is the busiest route.  1 when
 * the reply is set; 0 when a string is not UTF-8 or memory ran out, and
 * the caller builds the answer with jansson after all (which decides what
 * that gives).
 */
static int verify_answer(struct http_request *req, enum verdict v, const char *message,
                         const struct cert *c)
{
	char number[CERTNO_SIZE], id[IDNUM_SIZE], d[DATE_TEXT_MAX], *body;
	const struct trade *t;
	struct jsonw w;
	size_t len;

	jsonw_init(&w, 512);
	jsonw_lit(&w, "{\"verdict\":");
	jsonw_string(&w, verdict_code(v));
	jsonw_lit(&w, ",\"label\":");
	jsonw_string(&w, verdict_label(v));
	jsonw_lit(&w, ",\"message\":");
	jsonw_string(&w, message);
	if (c) {
		t = trade_by_code(c->system, c->trade);
		certno_mask(c->number, number);
		idnum_mask(c->id_number, id);
		jsonw_lit(&w, ",\"certificate\":{\"number\":");
		jsonw_string(&w, number);
		jsonw_lit(&w, ",\"name\":");
		jsonw_string(&w, c->name);
		jsonw_lit(&w, ",\"trade\":");
		jsonw_string(&w, c->trade);
		jsonw_lit(&w, ",\"trade_name\":");
		jsonw_string(&w, t ? t->name : "");
		jsonw_lit(&w, ",\"issuer\":");
		jsonw_string(&w, c->issuer);
		jsonw_lit(&w, ",\"issued_on\":");
		jsonw_string(&w, date_format(c->issued_on, d));
		jsonw_lit(&w, ",\"valid_until\":");
		jsonw_string(&w, date_format(c->valid_until, d));
		if (c->review_due != DATE_NONE) {
			jsonw_lit(&w, ",\"review_due\":");
			jsonw_string(&w, date_format(c->review_due, d));
		}
		jsonw_lit(&w, ",\"id_masked\":");
		jsonw_string(&w, id);
		jsonw_lit(&w, "}");
	}
	jsonw_lit(&w, "}");
	body = jsonw_finish(&w, &len);
	if (!body)
		return 0;
	http_take(req, HTTP_OK, JSON_TYPE, body, len);
	return 1;
}

/*
 * What the public is told about a number the register does not hold
 * under this name: exactly what it would be told about an absent number,
 * so the two cannot be told apart.  A construction number with a prefix
 * this register holds is not_found; any other (an emergency-management T
 * number above all, which embeds an ID number) is external, with the
 * message the library gives an absent one.
 */
static int absent_answer(struct http_request *req, struct verifier *v, const char *number)
{
	struct certno no;
	struct vresult *r;
	size_t i;
	int held = 0;

	if (certno_parse(number, strlen(number), &no) == 0 && no.system == SYS_CONSTRUCTION)
		for (i = 0; i < v->nprefixes; i++)
			held |= strcmp(v->prefixes[i], no.prefix) == 0;
	if (held) {
		if (verify_answer(req, V_NOT_FOUND, NOT_FOUND_MESSAGE, NULL))
			return 0;
		return http_json(req, HTTP_OK, verdict_object(V_NOT_FOUND, NOT_FOUND_MESSAGE));
	}
	r = arena_zalloc(&req->arena, sizeof(*r));
	if (!r)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	snprintf(r->number, sizeof(r->number), "%s", no.text);
	verify_add_finding(v, r, V_EXTERNAL);
	if (verify_answer(req, r->verdict, r->message, NULL))
		return 0;
	return http_json(req, HTTP_OK, verdict_object(r->verdict, r->message));
}

int api_verify(struct http_request *req)
{
	struct thread_state *w;
	struct claim c;
	struct vresult *r;
	struct err err;
	const char *number, *name;
	json_t *o;
	int rc;

	if (!(number = text_arg(req, "number", "证书编号", VERIFY_ARG_MAX)) ||
	    !(name = text_arg(req, "name", "姓名", VERIFY_ARG_MAX)))
		return 0;
	err_clear(&err);
	r = arena_zalloc(&req->arena, sizeof(*r));
	if (!r)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	if (!(w = thread_state_get(req->api, &err)))
		return http_internal(req, &err);
	memset(&c, 0, sizeof(c));
	c.number = number;
	c.name = name;
	c.gender = GENDER_NONE;
	c.valid_until = DATE_NONE;
	/* One read transaction for the row and the log entry that recorded
	 * it: a reader's locks are taken once, not for each statement (its
	 * BEGIN and ROLLBACK are prepared once per connection). */
	if (store_begin(w->st, STORE_TXN_READ, &err) < 0)
		return http_internal(req, &err);
	rc = verify_claim(&w->v, &c, r, &err);
	store_rollback(w->st);
	if (rc < 0)
		return http_internal(req, &err);
	/* An emergency-management number holds an ID number: whether the
	 * register has it says whether that ID number is right. */
	if ((number[0] == 'T' || number[0] == 't') &&
	    (rc = api_probe_number(req, w->st, r->number, !r->found || (r->mismatched & FIELD_NAME),
	                           &err)) != 0)
		return rc < 0 ? http_internal(req, &err) : 0;

	/* An absent number takes the same way as a present one asked with
	 * another name, so that the two cost the same here too (verify.h). */
	if ((r->found && (r->mismatched & FIELD_NAME)) ||
	    (!r->found && (r->findings & (VMASK(V_NOT_FOUND) | VMASK(V_EXTERNAL)))))
		return absent_answer(req, &w->v, r->number);
	/* The record of a row that no longer matches the log is not shown as the register's. */
	if (verify_answer(req, r->verdict, r->message,
	                  r->found && r->verdict != V_TAMPERED ? &r->cert : NULL))
		return 0;
	o = verdict_object(r->verdict, r->message);
	/* The record of a row that no longer matches the log is not shown as the register's. */
	if (o && r->found && r->verdict != V_TAMPERED)
		json_object_set_new(o, "certificate", certificate_object(&r->cert));
	return http_json(req, HTTP_OK, o);
}

/* ------------------------------------------------------------------ */
/* The trust list: built from the keys and the register's issuers, re-signed only when they change
 */

static int trust_payload_equal(const struct trust_list *old, struct trust_list *fresh)
{
	int64_t issued = fresh->issued_at;
	char *p1, *p2;
	size_t l1, l2;
	struct err e;
	int same;

	fresh->issued_at = old->issued_at;
	p1 = trust_payload_json(old, &l1, &e);
	p2 = trust_payload_json(fresh, &l2, &e);
	fresh->issued_at = issued;
	same = p1 && p2 && l1 == l2 && memcmp(p1, p2, l1) == 0;
	free(p1);
	free(p2);
	return same;
}

/* Under trust_mu: make a->trust current.  1 done, 0 no keys, -1 error. */
static int trust_refresh(struct api *a, struct thread_state *w, struct err *err)
{
	struct trust_issuer *issuers = calloc(TRUST_MAX_ISSUERS, sizeof(*issuers));
	struct trust_snap *s = calloc(1, sizeof(*s));
	struct keys *ks;
	int64_t now = date_now_seconds();
	size_t n = 0;
	int rc = -1;

	if (!issuers || !s) {
		err_system(err, "内存不足");
		goto out;
	}
	if (store_issuer_list(w->st, issuers, TRUST_MAX_ISSUERS, &n, err) < 0)
		goto out;
	pthread_mutex_lock(&a->sign_mu);
	ks = keys_now(a, err);
	if (!ks) {
		pthread_mutex_unlock(&a->sign_mu);
		rc = err->kind == ERR_NONE ? 0 : -1;
		goto out;
	}
	if (keys_trust_list(ks, issuers, n, now, &s->tl, err) < 0) {
		pthread_mutex_unlock(&a->sign_mu);
		goto out;
	}
	if (a->trust && trust_payload_equal(&a->trust->tl, &s->tl)) {
		pthread_mutex_unlock(&a->sign_mu);
		a->trust->checked = now;
		rc = 1;
		goto out;
	}
	s->json = keys_trust_export(ks, issuers, n, now, err);
	pthread_mutex_unlock(&a->sign_mu);
	if (!s->json)
		goto out;
	s->len = strlen(s->json);
	s->refs = 1; /* held by the api */
	s->checked = now;
	if (a->trust && --a->trust->refs == 0) {
		free(a->trust->json);
		free(a->trust);
	}
	a->trust = s;
	s = NULL;
	rc = 1;
out:
	free(issuers);
	free(s);
	return rc;
}

/* The current trust list, held until trust_release.  1, 0 (no keys), -1. */
static int trust_acquire(struct api *a, struct thread_state *w, struct trust_snap **out,
                         struct err *err)
{
	int64_t now = date_now_seconds();
	int rc = 1;

	*out = NULL;
	pthread_mutex_lock(&a->trust_mu);
	if (!a->trust || now - a->trust->checked >= REFRESH_SECONDS || now < a->trust->checked)
		rc = trust_refresh(a, w, err);
	if (rc == 0 && a->trust)
		rc = 1; /* the keys went away: keep serving the list made while they were there */
	if (rc == 1 || (rc < 0 && a->trust)) {
		if (rc < 0)
			http_log("error", "无法更新信任列表，继续使用原来的：%s", err->msg);
		a->trust->refs++;
		*out = a->trust;
		rc = 1;
	}
	pthread_mutex_unlock(&a->trust_mu);
	return rc;
}

int api_trust_list(struct http_request *req)
{
	struct trust_snap *s;
	struct thread_state *w;
	struct err err;
	int rc;

	err_clear(&err);
	if (!(w = thread_state_get(req->api, &err)))
		return http_internal(req, &err);
	rc = trust_acquire(req->api, w, &s, &err);
	if (rc == 0)
		return keys_unavailable(req);
	if (rc < 0)
		return http_internal(req, &err);
	http_text(req, HTTP_OK, JSON_TYPE, s->json, s->len);
	req->reply.cache_control = CACHE_PUBLIC_MINUTE;
	trust_release(req->api, s);
	return 0;
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/verify/credential {"payload": "..."} */

static void hex_of(const uint8_t *p, size_t n, char *out, size_t size)
{
	sodium_bin2hex(out, size, p, n);
}

static json_t *scan_object(const struct scan_result *r, const struct trust_list *tl)
{
	json_t *o = json_object(), *findings = json_array();
	char hex[65], d[DATE_TEXT_MAX];
	int v;

	if (!o || !findings) {
		json_decref(o);
		json_decref(findings);
		return NULL;
	}
	json_object_set_new(o, "verdict", json_string(verdict_code(r->verdict)));
	json_object_set_new(o, "label", json_string(verdict_label(r->verdict)));
	for (v = V_COUNT; (v = verdict_next(r->findings, v)) >= 0;)
		json_array_append_new(findings, json_string(verdict_code((enum verdict)v)));
	json_object_set_new(o, "findings", findings);
	json_object_set_new(o, "message", json_string(r->message));
	if (r->link.kind == CRED_LINK_UNOFFICIAL)
		json_object_set_new(o, "host", json_string(r->link.host));
	if (r->check.have_kid) {
		hex_of(r->check.kid, KID_LEN, hex, sizeof(hex));
		json_object_set_new(o, "kid", json_string(hex));
	}
	if (r->check.have_claims) {
		/* The signed fields: the number is masked when it embeds an ID, the ID always. */
		const struct cred_claims *c = &r->check.claims;
		const char *issuer = trust_issuer_name(tl, c->issuer_code);
		const struct trade *t = trade_find(SYS_NONE, c->trade, strlen(c->trade));
		json_t *cl = json_object();

		json_object_set_new(cl, "number", json_string(c->number));
		json_object_set_new(cl, "name", json_string(c->name));
		json_object_set_new(cl, "gender", json_string(gender_label(c->gender)));
		json_object_set_new(cl, "id_masked", json_string(c->id_masked));
		json_object_set_new(cl, "trade", json_string(c->trade));
		if (t)
			json_object_set_new(cl, "trade_name", json_string(t->name));
		json_object_set_new(cl, "issuer_code", json_string(c->issuer_code));
		if (issuer)
			json_object_set_new(cl, "issuer", json_string(issuer));
		json_object_set_new(cl, "issued_on", json_string(date_format(c->issued_on, d)));
		json_object_set_new(cl, "valid_until", json_string(date_format(c->valid_until, d)));
		if (c->review_due != DATE_NONE)
			json_object_set_new(cl, "review_due",
			                    json_string(date_format(c->review_due, d)));
		if (c->has_photo) {
			hex_of(c->photo_hash, CRED_HASH_LEN, hex, sizeof(hex));
			json_object_set_new(cl, "photo_hash", json_string(hex));
		}
		json_object_set_new(cl, "status_index", json_integer(c->status_index));
		json_object_set_new(cl, "iat", json_integer(c->iat));
		json_object_set_new(o, "claims", cl);
	}
	return o;
}

/* 1 when the request's Content-Type is media (parameters such as charset allowed). */
static int media_is(const struct http_request *req, const char *media)
{
	size_t n = strlen(media);
	const char *t = req->content_type;

	return t && strncasecmp(t, media, n) == 0 && (t[n] == '\0' || t[n] == ';' || t[n] == ' ');
}

int api_verify_credential(struct http_request *req)
{
	struct scan_options o;
	struct scan_result *r = NULL;
	struct trust_snap *s = NULL;
	struct thread_state *w;
	struct err err;
	json_error_t jerr;
	json_t *body, *payload;
	char host[CRED_HOST_MAX + 1];
	const char *text;
	size_t len;
	int rc;

	if (!media_is(req, "application/json"))
		return http_error(req, HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
		                  "请求体应为 JSON（Content-Type: application/json）");
	body = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &jerr);
	payload = json_object_get(body, "payload");
	if (!body || !json_is_object(body) || !json_is_string(payload)) {
		json_decref(body);
		return http_error(req, HTTP_BAD_REQUEST, "bad_json",
		                  "请求体应为 {\"payload\": \"二维码内容或网址\"}");
	}
	text = json_string_value(payload);
	len = json_string_length(payload);
	if (len == 0 || len > CRED_SCAN_MAX || strlen(text) != len) {
		json_decref(body);
		return http_error(req, HTTP_BAD_REQUEST, "bad_payload",
		                  "payload 应为 1 至 %d 字节的二维码内容或网址", CRED_SCAN_MAX);
	}
	err_clear(&err);
	if (!(w = thread_state_get(req->api, &err))) {
		rc = http_internal(req, &err);
		goto out;
	}
	rc = store_config_get(w->st, "official-host", host, sizeof(host), &err);
	if (rc <= 0) {
		if (rc == 0)
			rc = http_error(
			    req, HTTP_SERVICE_UNAVAILABLE, "not_configured",
			    "服务器尚未设置官方核验网址（opcert config set official-host）");
		else
			rc = http_internal(req, &err);
		goto out;
	}
	rc = trust_acquire(req->api, w, &s, &err);
	if (rc <= 0) {
		rc = rc == 0 ? keys_unavailable(req) : http_internal(req, &err);
		goto out;
	}
	r = malloc(sizeof(*r));
	if (!r) {
		rc = http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
		goto out;
	}
	memset(&o, 0, sizeof(o));
	o.trust = &s->tl;
	o.official_host = host;
	o.store = w->st;
	o.status_max_age = SCAN_STATUS_MAX_AGE_DEFAULT;
	o.now = date_now_seconds();
	o.today = w->v.today;
	if (store_begin(w->st, STORE_TXN_READ, &err) < 0) {
		rc = http_internal(req, &err);
		goto out;
	}
	rc = scan_verify(text, len, &o, r, &err);
	store_rollback(w->st);
	if (rc < 0)
		rc = http_fail(req, HTTP_BAD_REQUEST, "bad_payload", &err);
	else
		rc = http_json(req, HTTP_OK, scan_object(r, &s->tl));
out:
	free(r);
	trust_release(req->api, s);
	json_decref(body);
	return rc;
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/verify/roster */

struct roster_out {
	FILE *f;
	long rows;
	struct probe_set probes; /* what the rows tried (probe.h): keyed hashes only */
	const struct pii_key *pii;
	int32_t today;
};

static int roster_row(const struct roster_result *r, void *arg, struct err *err)
{
	struct roster_out *out = arg;

	if ((out->rows++ && fputc(',', out->f) == EOF) || vout_jsonl(out->f, &r->v, r->row) < 0)
		return err_system(err, "内存不足");
	if (probe_set_add(&out->probes, out->pii, &r->v, r->claim->id_number, out->today, r->row,
	                  !r->v.found, err) < 0)
		return -1;
	if (ftell(out->f) > (long)ROSTER_OUT_MAX)
		return err_input(err, "花名册行数过多：结果超过 %u MB，请分批上传",
		                 ROSTER_OUT_MAX >> 20);
	return 0;
}

int api_verify_roster(struct http_request *req)
{
	struct roster_summary sum;
	struct roster_out out;
	struct thread_state *w;
	struct err err;
	char subject[PROBE_SUBJECT_SIZE], *buf = NULL;
	size_t size = 0;
	int rc;

	if (req->body_len == 0)
		return http_error(req, HTTP_BAD_REQUEST, "empty_body",
		                  "请上传花名册文件（CSV，UTF-8、GBK 或 UTF-16 均可）");
	err_clear(&err);
	if (!(w = thread_state_get(req->api, &err)))
		return http_internal(req, &err);
	memset(&out, 0, sizeof(out));
	probe_set_init(&out.probes);
	out.pii = store_pii_key(w->st);
	out.today = w->v.today;
	out.f = open_memstream(&buf, &size);
	if (!out.f)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	/* The results as they come, one object a row: the same objects as
	 * `verify-roster --format jsonl`, in a JSON array. */
	fputc('[', out.f);
	rc = roster_verify_memory(req->body, req->body_len, &w->v, roster_row, &out, &sum, &err);
	if (rc == 0 && (fputc(']', out.f) == EOF || fflush(out.f) != 0))
		rc = err_system(&err, "内存不足");
	if (fclose(out.f) != 0 && rc == 0)
		rc = err_system(&err, "内存不足");
	if (rc < 0) {
		probe_set_release(&out.probes);
		free(buf);
		return http_fail(req, HTTP_UNPROCESSABLE, "invalid_roster", &err);
	}
	/* Nothing leaves before the probe limit has had its say (probe.h). */
	api_probe_subject(req, subject);
	rc = api_probe_gate(req, w->st, subject, &out.probes, 1, &err);
	probe_set_release(&out.probes);
	if (rc != 0) {
		free(buf);
		return rc < 0 ? http_internal(req, &err) : 0;
	}
	return http_take(req, HTTP_OK, JSON_TYPE, buf, size);
}

/* ------------------------------------------------------------------ */
/* GET /api/v1/status-list */

/* Under status_mu: sign a fresh list.  1 done, 0 no keys, -1 error. */
static int status_make(struct api *a, struct thread_state *w, struct err *err)
{
	struct statuslist sl = {0};
	struct keys_signer *signer = NULL;
	struct keys *ks;
	char *json = NULL;
	int64_t now = date_now_seconds();
	int rc = -1;

	/* The same list as `opcert status export`: refused when a row or a
	 * slot disagrees with the log. */
	if (issue_status_list(w->st, now, &sl, NULL, err) < 0)
		goto out;
	/* The key store under sign_mu; the signer, once open, needs it no more. */
	pthread_mutex_lock(&a->sign_mu);
	ks = keys_now(a, err);
	if (ks && (signer = keys_signer_open(ks, KEYS_ISSUING, err)) != NULL)
		rc = 1;
	else if (!ks && err->kind == ERR_NONE)
		rc = 0;
	pthread_mutex_unlock(&a->sign_mu);
	if (rc == 1) {
		rc = statuslist_export(&sl, signer, &json, err) < 0 ? -1 : 1;
		if (rc == 1) {
			free(a->status_json);
			a->status_json = json;
			a->status_len = strlen(json);
			a->status_made = now;
		}
	}
out:
	keys_signer_close(signer);
	statuslist_release(&sl);
	return rc;
}

int api_status_list(struct http_request *req)
{
	struct api *a = req->api;
	struct thread_state *w;
	struct err err;
	int64_t now = date_now_seconds();
	int rc = 1;

	err_clear(&err);
	if (!(w = thread_state_get(a, &err)))
		return http_internal(req, &err);
	pthread_mutex_lock(&a->status_mu);
	if (!a->status_json || now - a->status_made >= REFRESH_SECONDS || now < a->status_made)
		rc = status_make(a, w, &err);
	if (rc < 0 && a->status_json) {
		/* Keep serving the last list made from a consistent register: it
		 * is signed and carries its own age. */
		http_log("error", "无法更新状态列表，继续提供 %lld 秒前的：%s",
		         (long long)(now - a->status_made), err.msg);
		rc = 1;
	}
	if (rc == 1)
		http_text(req, HTTP_OK, JSON_TYPE, a->status_json, a->status_len);
	pthread_mutex_unlock(&a->status_mu);
	if (rc == 0)
		return keys_unavailable(req);
	if (rc < 0)
		return http_internal(req, &err);
	req->reply.cache_control = CACHE_PUBLIC_MINUTE;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The transparency log: checkpoints and proofs */

/* The log key's note verifier (under sign_mu).  1, 0 no keys, -1. */
static int log_verifier(struct api *a, struct note_verifier *v, struct err *err)
{
	const struct keys_info *ki;
	struct keys *ks;
	int rc = 0;

	pthread_mutex_lock(&a->sign_mu);
	ks = keys_now(a, err);
	if (ks) {
		ki = keys_get(ks, KEYS_LOG);
		rc = ki && keys_log_name(ks) &&
		             note_verifier_init(v, keys_log_name(ks), ki->pk, err) == 0
		         ? 1
		         : -1;
		if (rc < 0 && err->kind == ERR_NONE)
			err_system(err, "密钥库中没有日志密钥");
	} else if (err->kind != ERR_NONE) {
		rc = -1;
	}
	pthread_mutex_unlock(&a->sign_mu);
	return rc;
}

/*
 * Under log_mu: the newest checkpoint into note (NOTE_MAX + 1 bytes), made
 * first when there is none or the log grew since (at most once every
 * CHECKPOINT_SECONDS).  1, 0 no keys, -1.
 */
static int checkpoint_current(struct api *a, struct thread_state *w, char *note, struct err *err)
{
	uint8_t frontier[TLOG_FRONTIER_MAX_BYTES];
	struct store *wr;
	struct keys *ks;
	int64_t cp_size = -1, log_size = 0, now = mono_seconds();
	size_t flen;
	int have, rc;

	have = store_checkpoint_latest(w->st, &cp_size, note, NOTE_MAX + 1, err);
	if (have < 0 ||
	    store_log_state_get(w->st, &log_size, frontier, sizeof(frontier), &flen, err) < 0)
		return -1;
	if (have && (log_size <= cp_size || now - a->checkpoint_made < CHECKPOINT_SECONDS))
		return 1;
	pthread_mutex_lock(&a->sign_mu);
	ks = keys_now(a, err);
	wr = ks ? writer(a, err) : NULL;
	rc = ks ? -1 : err->kind == ERR_NONE ? 0 : -1;
	if (wr && ledger_checkpoint_create(wr, ks, date_now_seconds(), note, NOTE_MAX + 1, NULL,
	                                   err) == 0) {
		a->checkpoint_made = now;
		rc = 1;
	}
	pthread_mutex_unlock(&a->sign_mu);
	return rc;
}

int api_log_checkpoint(struct http_request *req)
{
	struct api *a = req->api;
	struct note_verifier v;
	struct thread_state *w;
	struct err err;
	char *note;
	int rc;

	err_clear(&err);
	if (!(w = thread_state_get(a, &err)))
		return http_internal(req, &err);
	rc = log_verifier(a, &v, &err);
	if (rc <= 0)
		return rc == 0 ? keys_unavailable(req) : http_internal(req, &err);
	note = arena_alloc(&req->arena, NOTE_MAX + 1);
	if (!note)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	pthread_mutex_lock(&a->log_mu);
	rc = checkpoint_current(a, w, note, &err);
	pthread_mutex_unlock(&a->log_mu);
	if (rc <= 0)
		return rc == 0 ? keys_unavailable(req) : http_internal(req, &err);
	return http_text(req, HTTP_OK, "text/plain; charset=utf-8", note, strlen(note));
}

/* A decimal entry number: digits only, no sign, at most 18 of them. */
static int parse_entry(const char *s, size_t len, uint64_t *out)
{
	size_t i;

	if (len == 0 || len > 18)
		return -1;
	*out = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*out = *out * 10 + (uint64_t)(s[i] - '0');
	}
	return 0;
}

static json_t *proof_object(uint64_t m, const struct tlog_checkpoint *cp,
                            const uint8_t leaf[TLOG_HASH_LEN], const struct tlog_proof *p,
                            const char *note)
{
	char h[TLOG_HASH_B64LEN + 1], r[TLOG_HASH_B64LEN + 1];
	json_t *o, *list = json_array();
	size_t i;

	for (i = 0; list && i < p->len; i++) {
		tlog_hash_format(p->hash[i], h);
		json_array_append_new(list, json_string(h));
	}
	tlog_hash_format(leaf, h);
	tlog_hash_format(cp->root, r);
	o = json_pack("{s:I,s:I,s:s,s:s,s:o,s:s}", "entry", (json_int_t)m, "tree_size",
	              (json_int_t)cp->size, "leaf_hash", h, "root", r, "proof", list, "checkpoint",
	              note);
	return o;
}

int api_log_proof(struct http_request *req)
{
	struct api *a = req->api;
	struct note_verifier v;
	struct tlog_checkpoint cp;
	struct ledger_tree tree;
	struct ledger_proof *p = NULL;
	struct thread_state *w;
	struct err err;
	const char *arg;
	char *note;
	uint64_t m;
	size_t len;
	int rc;

	arg = http_arg(req, "entry", &len);
	if (!arg)
		return http_error(req, HTTP_BAD_REQUEST, "missing_parameter",
		                  "缺少参数 entry（日志条目序号）");
	if (parse_entry(arg, len, &m) < 0)
		return http_error(req, HTTP_BAD_REQUEST, "bad_parameter",
		                  "参数 entry 应为非负整数（日志条目序号，从 0 起）");
	err_clear(&err);
	if (!(w = thread_state_get(a, &err)))
		return http_internal(req, &err);
	rc = log_verifier(a, &v, &err);
	if (rc <= 0)
		return rc == 0 ? keys_unavailable(req) : http_internal(req, &err);
	note = arena_alloc(&req->arena, NOTE_MAX + 1);
	p = arena_alloc(&req->arena, sizeof(*p));
	if (!note || !p)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");

	pthread_mutex_lock(&a->log_mu);
	rc = checkpoint_current(a, w, note, &err);
	if (rc <= 0) {
		pthread_mutex_unlock(&a->log_mu);
		return rc == 0 ? keys_unavailable(req) : http_internal(req, &err);
	}
	/* The proof is against the newest signed checkpoint: a stored one that
	 * does not verify was not made by this server. */
	if (tlog_checkpoint_open(note, strlen(note), &v, &cp, &err) < 0) {
		pthread_mutex_unlock(&a->log_mu);
		err.kind = ERR_SYSTEM;
		return http_internal(req, &err);
	}
	tree.size = cp.size;
	memcpy(tree.root, cp.root, TLOG_HASH_LEN);
	tree.from_checkpoint = 1;
	rc = store_begin(w->st, STORE_TXN_READ, &err);
	if (rc == 0) {
		rc = ledger_prove(w->st, &a->cache, &tree, m, p, &err);
		store_rollback(w->st);
	}
	pthread_mutex_unlock(&a->log_mu);
	if (rc < 0) /* input: the entry lies beyond the checkpoint */
		return http_fail(req, HTTP_NOT_FOUND, "no_such_entry", &err);
	http_json(req, HTTP_OK, proof_object(m, &cp, p->leaf, &p->proof, note));
	req->reply.cache_control = CACHE_PUBLIC_MINUTE;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Files under the web root: the pages, /static/, the OpenAPI document */

static const struct {
	const char *ext;
	const char *type;
} media_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".webmanifest", "application/manifest+json; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".txt", "text/plain; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".jpeg", "image/jpeg"},
    {".gif", "image/gif"},
    {".webp", "image/webp"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".woff", "font/woff"},
    {".ttf", "font/ttf"},
    {".wasm", "application/wasm"},
    {".csv", "text/csv; charset=utf-8"},
    {".pdf", "application/pdf"},
};

static const char *media_type_of(const char *name)
{
	size_t n = strlen(name), i, e;

	for (i = 0; i < sizeof(media_types) / sizeof(media_types[0]); i++) {
		e = strlen(media_types[i].ext);
		if (n > e && strcasecmp(name + n - e, media_types[i].ext) == 0)
			return media_types[i].type;
	}
	return "application/octet-stream";
}

/*
 * 1 when rel (a path below the web root, as requested) is a name we serve:
 * segments of letters, digits and "-_.@+", none empty or starting with a
 * dot (no "..", no hidden files), no backslash, nothing else.
 */
static int safe_relative(const char *rel)
{
	const char *p = rel;
	int start = 1;

	if (!*p || strlen(p) > 512)
		return 0;
	for (; *p; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '/') {
			if (start)
				return 0; /* an empty segment */
			start = 1;
			continue;
		}
		if (start && ch == '.')
			return 0;
		start = 0;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || strchr("-_.@+", ch)))
			return 0;
	}
	return !start;
}

static int file_not_found(struct http_request *req)
{
	return http_error(req, HTTP_NOT_FOUND, "not_found", "没有这个页面或文件");
}

/* Serve web_root/rel, which must really lie under the web root. */
static int serve_file(struct http_request *req, const char *rel, const char *cache_control)
{
	const char *root = req->api->cfg.web_root;
	char path[PATH_MAX], real[PATH_MAX];
	size_t rlen;
	struct stat sb;
	int fd;

	if (!root || !safe_relative(rel))
		return file_not_found(req);
	if (snprintf(path, sizeof(path), "%s/%s", root, rel) >= (int)sizeof(path) ||
	    !realpath(path, real))
		return file_not_found(req);
	/* Symbolic links may stay inside the web root, never lead out of it. */
	rlen = strlen(root);
	if (strncmp(real, root, rlen) != 0 || real[rlen] != '/')
		return file_not_found(req);
	fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return file_not_found(req);
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return file_not_found(req);
	}
	snprintf(req->reply.etag, sizeof(req->reply.etag), "\"%llx-%llx%09ld\"",
	         (unsigned long long)sb.st_size, (unsigned long long)sb.st_mtim.tv_sec,
	         (long)sb.st_mtim.tv_nsec);
	req->reply.cache_control = cache_control;
	if (req->if_none_match && strstr(req->if_none_match, req->reply.etag)) {
		close(fd);
		return http_take(req, HTTP_NOT_MODIFIED, media_type_of(rel), NULL, 0);
	}
	http_take(req, HTTP_OK, media_type_of(rel), NULL, 0);
	req->reply.fd = fd;
	req->reply.fd_len = (uint64_t)sb.st_size;
	return 0;
}

/*
 * A page, as pages_load() assembled it when the server started (the shared
 * frame is web/layout.html; pages.h): answered from memory with an ETag
 * over its bytes.
 */
static int serve_page(struct http_request *req, const char *file)
{
	const struct page *pg = pages_find(req->api->pages, file);

	if (!pg)
		return file_not_found(req);
	snprintf(req->reply.etag, sizeof(req->reply.etag), "%s", pg->etag);
	req->reply.cache_control = "no-cache";
	if (req->if_none_match && strstr(req->if_none_match, pg->etag))
		return http_take(req, HTTP_NOT_MODIFIED, media_type_of(file), NULL, 0);
	return http_text(req, HTTP_OK, media_type_of(file), pg->body, pg->len);
}

int api_page(struct http_request *req)
{
	static const struct {
		const char *path, *file;
	} pages[] = {
	    {"/", "index.html"},
	    {"/scan", "scan.html"},
	    {"/v", "v.html"},
	    {"/batch", "batch.html"},
	    {"/help", "help.html"},
	    {"/login", "login.html"},
	    {"/password", "password.html"},
	    {"/home", "home.html"},
	    {"/accounts", "accounts.html"},
	    {"/probes", "probes.html"},
	};
	size_t i;

	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(req->path, pages[i].path) == 0)
			return serve_page(req, pages[i].file);
	return file_not_found(req);
}

/*
 * The page for an object that is missing or outside the caller's scope
 * (routes.c): web/not-found.html in the shared frame, status 404, the same
 * bytes and headers whichever it was (not kept: no ETag, no-store).  A
 * web root without that page (a hand-made one of stand-in pages) gets a
 * plain page of its own that says the same.
 */
int api_not_found_page(struct http_request *req)
{
	static const char fallback[] =
	    "<!doctype html>\n"
	    "<html lang=\"zh-CN\">\n<head>\n"
	    "  <meta charset=\"utf-8\">\n"
	    "  <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	    "  <meta name=\"referrer\" content=\"no-referrer\">\n"
	    "  <title>没有找到 · 特种作业操作证核验</title>\n"
	    "  <link rel=\"stylesheet\" href=\"/static/css/site.css\">\n"
	    "</head>\n<body>\n"
	    "  <main id=\"main\" tabindex=\"-1\">\n"
	    "    <h1 id=\"not-found\">没有找到这个页面</h1>\n"
	    "    <p "
	    "class=\"lead\">您要打开的单位、项目、培训机构或页面不存在，或不在您的数据范围内。</"
	    "p>\n"
	    "    <p><a class=\"button\" href=\"/home\">回到我的首页</a></p>\n"
	    "  </main>\n"
	    "</body>\n</html>\n";
	const struct page *pg = pages_find(req->api->pages, "not-found.html");

	if (pg)
		return http_text(req, HTTP_NOT_FOUND, "text/html; charset=utf-8", pg->body,
		                 pg->len);
	return http_text(req, HTTP_NOT_FOUND, "text/html; charset=utf-8", fallback,
	                 sizeof(fallback) - 1);
}

int api_page_file(struct http_request *req, const char *file)
{
	return serve_page(req, file);
}

int api_static(struct http_request *req)
{
	/* The offline worker of /scan and /v lives here but controls the whole
	 * site (scope "/"); it is always revalidated so that a new version
	 * reaches phones at their next visit. */
	if (strcmp(req->path, "/static/sw.js") == 0) {
		req->reply.sw_allowed = "/";
		return serve_file(req, req->path + 1, "no-cache");
	}
	/* "/static/x" -> "static/x" */
	return serve_file(req, req->path + 1, "public, max-age=300");
}

int api_openapi(struct http_request *req)
{
	return serve_file(req, "openapi.json", "no-cache");
}

int32_t api_today(const struct api *a)
{
	return today(a);
}

int api_log_key(struct api *a, char *name, size_t name_size, uint8_t pk[32], struct err *err)
{
	const struct keys_info *ki;
	struct keys *ks;
	int rc = 0;

	pthread_mutex_lock(&a->sign_mu);
	ks = keys_now(a, err);
	if (ks) {
		ki = keys_get(ks, KEYS_LOG);
		if (ki && keys_log_name(ks) &&
		    snprintf(name, name_size, "%s", keys_log_name(ks)) < (int)name_size) {
			memcpy(pk, ki->pk, 32);
			rc = 1;
		}
	} else if (err->kind != ERR_NONE) {
		rc = -1;
	}
	pthread_mutex_unlock(&a->sign_mu);
	return rc;
}
