/*
 * api.h - the handlers of `opcert serve` (api.c) and the state they share:
 * the database (one read-only connection per thread, a writer for the
 * checkpoints), the key store, and the signed files kept ready (trust
 * list, status list, the log's subtree hashes for proofs).
 *
 * Every handler takes a request whose arguments and body serve.c has read
 * and bounded, and fills in its reply (http.h).  Handlers are called from
 * any number of threads at once.
 */
#ifndef OPCERT_API_H
#define OPCERT_API_H

#include <stdint.h>

#include "err.h"
#include "http.h"

struct api_config {
	const char *db;              /* the database file */
	const char *keys_dir;        /* the key store; opened once at start */
	const char *passphrase_file; /* may be NULL */
	int32_t today;               /* a fixed "today" (--today), or DATE_NONE */
	const char *web_root;        /* the pages and static files (a real path), or NULL */
};

struct api;

/*
 * Open what the handlers need.  A missing or unusable key store is not an
 * error: the routes that sign answer 503 (*keys_err says why); the
 * database must open.  NULL on error.
 */
struct api *api_new(const struct api_config *cfg, struct err *keys_err, struct err *err);
/* Call once no handler runs any more. */
void api_free(struct api *a);
/* Called by each thread that ran handlers, before it ends: closes its connection. */
void api_thread_done(void);

int api_healthz(struct http_request *req);
int api_verify(struct http_request *req);
int api_verify_credential(struct http_request *req);
int api_verify_roster(struct http_request *req);
int api_trust_list(struct http_request *req);
int api_status_list(struct http_request *req);
int api_log_checkpoint(struct http_request *req);
int api_log_proof(struct http_request *req);
int api_openapi(struct http_request *req);
int api_page(struct http_request *req);
int api_static(struct http_request *req);

#endif
