/*
 * lists.c - the signed lists an offline verifier keeps:
 * GET /api/v1/trust-list (the keys and issuer codes, signed by the root
 * key) and GET /api/v1/status-list (every credential's status, signed by
 * the issuing key).  Each is made from the keys and the register, kept,
 * and made again at most every REFRESH_SECONDS; the trust list is signed
 * anew only when what it says changed.
 */
#include "api_int.h"
#include "date.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "issue.h"
#include "keys.h"
#include "statuslist.h"
#include "trust.h"

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
	ks = api_keys_now(a, err);
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

int api_trust_acquire(struct api *a, struct thread_state *w, struct trust_snap **out,
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
	if (!(w = api_thread_state(req->api, &err)))
		return http_internal(req, &err);
	rc = api_trust_acquire(req->api, w, &s, &err);
	if (rc == 0)
		return api_keys_unavailable(req);
	if (rc < 0)
		return http_internal(req, &err);
	http_text(req, HTTP_OK, JSON_TYPE, s->json, s->len);
	req->reply.cache_control = CACHE_PUBLIC_MINUTE;
	api_trust_release(req->api, s);
	return 0;
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
	ks = api_keys_now(a, err);
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
	if (!(w = api_thread_state(a, &err)))
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
		return api_keys_unavailable(req);
	if (rc < 0)
		return http_internal(req, &err);
	req->reply.cache_control = CACHE_PUBLIC_MINUTE;
	return 0;
}
