/*
 * api_int.h - what the files of src/api/ share and nothing outside them
 * sees (serve.c and routes.c see api.h): the server's state behind struct
 * api (api.c) and the helpers the handlers use on it.
 *
 * Shared state: the key store and the writer connection are used under
 * sign_mu only; the trust list, the status list and the proof cache each
 * have their own mutex; every thread has its own read-only database
 * connection (thread-local, opened on first use, closed when the thread
 * ends).
 */
#ifndef OPCERT_API_INT_H
#define OPCERT_API_INT_H

#include <pthread.h>
#include <stdint.h>
#include <sys/stat.h>

#include "api.h"
#include "logcache.h"
#include "trust.h"
#include "verify.h"

#define JSON_TYPE "application/json; charset=utf-8"

#define REFRESH_SECONDS     60 /* prefixes, trust list, status list */
#define CACHE_PUBLIC_MINUTE "public, max-age=60"

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
	struct logcache cache;
	int64_t cache_root_size; /* the size whose root was held against a checkpoint, -1 none */

	struct pages *pages; /* the pages, assembled at start (pages.h); NULL without a web root */

	struct account_unknown *unknown; /* failed sign-ins of logins that name no account */
};

/* One thread's database connection and verifier. */
struct thread_state {
	struct store *st;
	struct verifier v;
	int64_t prefixes_at;
};

/* Seconds on the monotonic clock, for intervals. */
int64_t api_mono_seconds(void);
/* This thread's connection, opened read-only on first use; prefixes
 * refreshed now and then.  NULL with err. */
struct thread_state *api_thread_state(struct api *a, struct err *err);
/*
 * The key store as it is on disk now (under sign_mu): opened again when
 * keys.json changed (a rotation by the command line), looked for again
 * now and then when it was missing.  NULL with a 503 reason in err.
 */
struct keys *api_keys_now(struct api *a, struct err *err);
/* The 503 of a route that needs the signing keys when there are none. */
int api_keys_unavailable(struct http_request *req);
/* The writer connection, opened on first use (under sign_mu). */
struct store *api_writer(struct api *a, struct err *err);
/* The current trust list (lists.c), held until api_trust_release.  1, 0
 * (no keys), -1. */
int api_trust_acquire(struct api *a, struct thread_state *w, struct trust_snap **out,
                      struct err *err);
/* Let go of a trust list; the last holder frees it (s may be NULL). */
void api_trust_release(struct api *a, struct trust_snap *s);

#endif
