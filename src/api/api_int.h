/*
 * api_int.h - what the files of src/api/ share and nothing outside them
 * sees (serve.c and routes.c see api.h): the server's state behind struct
 * api (api.c) and the helpers the handlers use on it, and the common parts
 * of the handlers of organisations, projects, workers and the audit trail
 * (org_common.c).
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
#include "org.h"
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

/*
 * What the handlers of companies, projects, workers, institutions and the
 * audit trail share (org_common.c).  "After an answer": the reply is set
 * (a 4xx or 5xx) and the handler only returns.
 */
/* 500: the server ran out of memory. */
int api_no_memory(struct http_request *req);
/* A path segment or argument worth looking up: short printable text. */
int api_plausible(const char *s);
/* A positive decimal number of at most 18 digits: 1 and *out, or 0. */
int api_parse_id(const char *s, int64_t *out);

/* A member a body may have, and its name in messages. */
struct api_field {
	const char *key;
	const char *label;
};
/*
 * The body as a JSON object whose members are all among fields, each a
 * string (or null, the same as absent); values[i] is fields[i]'s text or
 * NULL.  *body must be freed by the caller (also on failure).  0, or -1
 * after a 400 that names the field.
 */
int api_read_body(struct http_request *req, const struct api_field *fields, json_t **body,
                  const char **values);
/* A refusal of what the body asks for, by the caller's scope (403). */
int api_out_of_scope(struct http_request *req, const char *what);
/*
 * A district officer may name only their own district
 * (principal_writes_district): *name (a district as typed, NULL = not
 * given) must be it, and becomes its exact name; NULL becomes it when
 * dflt.  Other roles: unchanged.  0, or -1 after an answer.
 */
int api_own_district(struct http_request *req, struct store *st, const char **name, int dflt);
/* A library failure: input errors (they name the field) as 400. */
int api_org_fail(struct http_request *req, const struct err *err);

/* The reader store and the number the path names, for a resolver: 1, 0
 * when the path names no number, -1 with err. */
int api_scope_id(struct http_request *req, struct err *err, struct store **st, int64_t *id);
/* The scope of project id: its district, and the company the caller is
 * (a company sees the projects it builds and those it supervises). */
int api_project_scope(struct http_request *req, struct store *st, int64_t id,
                      struct route_object *obj, struct err *err);

/* An organisation as the caller may see it: the auditor reads no one's
 * phone number in full. */
json_t *api_org_object(const struct http_request *req, const struct org *o);
/* The organisations, or the projects, f selects that the caller sees, as a
 * JSON array; NULL after an answer. */
json_t *api_org_list(struct http_request *req, struct store *st, const struct org_filter *f);
json_t *api_project_list(struct http_request *req, struct store *st,
                         const struct project_filter *f);
/* A walk's failure: fn's -1 is memory, else err. */
int api_walk_fail(struct http_request *req, int rc, const struct err *err);

/* Argument key as text, or NULL when absent; -1 after a 400. */
int api_text_arg(struct http_request *req, const char *key, const char *label, const char **out);
/* ?district=NAME as a district unit's id (0 when absent); -1 after an answer. */
int api_district_arg(struct http_request *req, struct store *st, int64_t *id);
/* ?closed=1: closed rows too. */
int api_closed_arg(const struct http_request *req);

/* The reader store, or NULL after an answer. */
struct store *api_req_reader(struct http_request *req);
/* 404 for what the path names when it is gone (the API's; pages answer
 * api_not_found_page). */
int api_not_found(struct http_request *req);
/* The number the path names (its resolver has checked it); 0 when none. */
int64_t api_path_id(const struct http_request *req);

/* One change, made under the writer lock with the signed-in account as actor. */
struct api_change {
	/* the library call: 0, or -1 with err */
	int (*fn)(struct store *st, const struct actor *who, struct api_change *c, int64_t now,
	          struct err *err);
	const char *what; /* the answer's member: "company", "project" or "institution" */
	int is_project;   /* the object is c->project */
	const char *key;  /* the code or name of what changes */
	int64_t id;       /* the number of the project that changes */
	int32_t today;    /* for a new project's state */
	struct org_input org_in;
	struct project_input project_in;
	struct org org;         /* what changed, as it now is */
	struct project project; /* ... for a project */
};
/* Make the change and answer {what: the object as it now is} with status,
 * or the library's refusal. */
void api_change_answer(struct http_request *req, unsigned status, struct api_change *c);

#endif
