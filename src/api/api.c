/*
 * api.c - the state the handlers of `opcert serve` share (api.h,
 * api_int.h): the database (one read-only connection per thread, a writer
 * for the changes and the checkpoints), the data key, the key store, the
 * pages assembled at start; and GET /healthz.
 *
 * Shared state: the key store and the writer connection are used under
 * sign_mu only; the trust list, the status list and the proof cache each
 * have their own mutex; every thread has its own read-only database
 * connection (thread-local, opened on first use, closed when the thread
 * ends).
 */
#include "api_int.h"

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "date.h"
#include "keys.h"
#include "pages.h"
#include "pii.h"

#define KEYS_RETRY_SECONDS 10 /* a missing key store is looked for again */

int64_t api_mono_seconds(void)
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

struct thread_state *api_thread_state(struct api *a, struct err *err)
{
	struct thread_state *w = pthread_getspecific(a->thread_key);
	int64_t now = api_mono_seconds();

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
	struct thread_state *w = api_thread_state(a, err);

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

struct keys *api_keys_now(struct api *a, struct err *err)
{
	struct stat sb;
	struct keys *ks;
	int64_t now = api_mono_seconds();

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

int api_keys_unavailable(struct http_request *req)
{
	req->reply.retry_after = 60;
	return http_error(req, HTTP_SERVICE_UNAVAILABLE, "keys_unavailable",
	                  "服务器尚未配置签名密钥（请管理员运行 opcert key init），"
	                  "暂时无法提供信任列表、状态列表、日志和凭证核验");
}

struct store *api_writer(struct api *a, struct err *err)
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
	st = api_writer(a, err);
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
	a->keys_tried = api_mono_seconds();
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

void api_trust_release(struct api *a, struct trust_snap *s)
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
	api_trust_release(a, a->trust);
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

int32_t api_today(const struct api *a)
{
	return today(a);
}

const char *api_web_root(const struct api *a)
{
	return a->cfg.web_root;
}

const struct pages *api_pages(const struct api *a)
{
	return a->pages;
}
