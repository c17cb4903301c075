/*
 * api.h - the handlers of `opcert serve` (src/api/, one file per
 * resource; the files under the web root in src/http/files.c) and the
 * state they share (api.c): the database (one read-only connection per
 * thread, a writer for the changes and the checkpoints), the key store,
 * and the signed files kept ready (trust list, status list, the log's
 * subtree hashes for proofs).  What only the files of src/api/ share is in
 * api_int.h.
 *
 * Every handler takes a request whose arguments and body serve.c has read
 * and bounded, and fills in its reply (http.h).  Handlers are called from
 * any number of threads at once.
 */
#ifndef OPCERT_API_H
#define OPCERT_API_H

#include <jansson.h>
#include <stdint.h>

#include "err.h"
#include "http.h"
#include "probe.h"
#include "routes.h"
#include "store.h"

struct api_config {
	const char *db;              /* the database file */
	const char *keys_dir;        /* the key store; opened once at start */
	const char *passphrase_file; /* may be NULL */
	int32_t today;               /* a fixed "today" (--today), or DATE_NONE */
	const char *web_root;        /* the pages and static files (a real path), or NULL */
};

struct api;
struct pages;

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

/*
 * This thread's read-only database connection (opened on first use).  The
 * sessions, accounts and scopes are read through it.  NULL on error.
 */
struct store *api_reader(struct api *a, struct err *err);
/*
 * The writer connection, under the lock every write of the server takes:
 * NULL (and not locked) on error; else api_writer_unlock() after use.
 */
struct store *api_writer_lock(struct api *a, struct err *err);
void api_writer_unlock(struct api *a);
/* The server's failed sign-ins of logins that name no account (account.h:
 * they lock like an account's; in memory, forgotten at a restart). */
struct account_unknown *api_unknown_logins(struct api *a);

/*
 * Who sent req (auth.c): an API token (Authorization: Bearer) or the
 * session cookie, read through this thread's read-only connection; fills
 * req->signed_in, who, csrf.  Unknown, expired or malformed credentials
 * leave the request anonymous (routes.c answers 401 where that matters).
 * 0, or -1 on a system error.
 */
int api_authenticate(struct http_request *req, struct err *err);
/* Record use of the request's session now and then (keeps it from idling out). */
void api_session_touch(struct http_request *req);

/* GET /healthz (api.c). */
int api_healthz(struct http_request *req);
/* The checks: one certificate, a credential, a roster (verify.c). */
int api_verify(struct http_request *req);
int api_verify_credential(struct http_request *req);
int api_verify_roster(struct http_request *req);
/* The signed trust list and status list (lists.c). */
int api_trust_list(struct http_request *req);
int api_status_list(struct http_request *req);
/* The transparency log's checkpoint and inclusion proofs (log.c). */
int api_log_checkpoint(struct http_request *req);
int api_log_proof(struct http_request *req);
/* The OpenAPI document and /static/ (src/http/files.c). */
int api_openapi(struct http_request *req);
int api_static(struct http_request *req);
/* The pages that are the same for everyone who may open them (pages.c). */
int api_page(struct http_request *req);

/* Sign-in, sessions and passwords (auth.c). */
int api_session_get(struct http_request *req);
int api_session_new(struct http_request *req);
int api_session_logout(struct http_request *req);
int api_password(struct http_request *req);

/* Accounts, for city_admin (accounts.c). */
int api_accounts_list(struct http_request *req);
int api_accounts_add(struct http_request *req);
int api_accounts_disable(struct http_request *req);
int api_accounts_enable(struct http_request *req);
int api_accounts_reset(struct http_request *req);
int api_accounts_scope(struct http_request *req);

/* District units and their data (accounts.c). */
int api_districts(struct http_request *req);
int api_district(struct http_request *req);
int api_district_page(struct http_request *req);
/* One register record, masked unless ?full_id=1 for a role that may (certificates.c). */
int api_certificate(struct http_request *req);
int api_certificate_page(struct http_request *req);
/* Scope resolver (routes.h) of a path naming a district unit by its name. */
int api_scope_district(struct http_request *req, struct route_object *obj, struct err *err);

/*
 * Companies, projects, the workers on them, training institutions and the
 * audit trail (companies.c, projects.c, workers.c, institutions.c,
 * audit.c; what they share is org_common.c's).  Who may call what is in
 * routes.c; the handlers narrow it
 * further where the body names a scope (a district officer adds only in
 * their own district, a company user only as its own builder).
 */
int api_companies_list(struct http_request *req);
int api_company_get(struct http_request *req);
int api_companies_add(struct http_request *req);
int api_company_change(struct http_request *req);
int api_company_close(struct http_request *req);
int api_projects_list(struct http_request *req);
int api_project_get(struct http_request *req);
int api_projects_add(struct http_request *req);
int api_project_change(struct http_request *req);
int api_project_close(struct http_request *req);
int api_project_workers(struct http_request *req);
int api_project_worker_add(struct http_request *req);
int api_project_workers_import(struct http_request *req);
int api_worker_remove(struct http_request *req);
int api_institutions_list(struct http_request *req);
int api_institution_get(struct http_request *req);
int api_institutions_add(struct http_request *req);
int api_institution_change(struct http_request *req);
int api_institution_close(struct http_request *req);
int api_audit_list(struct http_request *req);
int api_audit_verify(struct http_request *req);
/* The pages of the above: /companies[/{uscc}], /projects[/{id}],
 * /institutions[/{id}], /audit (pages.c). */
int api_org_page(struct http_request *req);
/* Scope resolvers (routes.h) of a path naming a company by its code, a
 * project by its number, an institution by its number. */
int api_scope_company(struct http_request *req, struct route_object *obj, struct err *err);
int api_scope_project(struct http_request *req, struct route_object *obj, struct err *err);
int api_scope_institution(struct http_request *req, struct route_object *obj, struct err *err);
int api_scope_worker(struct http_request *req, struct route_object *obj, struct err *err);

/*
 * The probe limit (probe.h) over HTTP (probes.c).  The subject of a
 * request: account:LOGIN when signed in, else the client's address.
 */
void api_probe_subject(struct http_request *req, char out[PROBE_SUBJECT_SIZE]);
/*
 * The gate of a route that compares presented ID numbers (or looks up
 * emergency-management numbers), with what the request tried in set,
 * after verifying and before answering: the roster rule when asked, the
 * limit from the reader's view, and, when the request has misses to
 * record, the limit again in the writer's transaction that records them.
 * A refusal is recorded and answered.  0 go on, 1 answered, -1 a system
 * error in err.  Reorders set.
 */
int api_probe_gate(struct http_request *req, struct store *reader, const char *subject,
                   struct probe_set *set, int roster, struct err *err);
/* The gate for one number looked up without an ID number (the public
 * check, a register record): only an emergency-management number is
 * counted, its absence (absent: what the answer will say) being the miss.
 * 0, 1 or -1 as api_probe_gate. */
int api_probe_number(struct http_request *req, struct store *reader, const char *number, int absent,
                     struct err *err);
/* A refusal as the answer: 429 probe_limit with Retry-After, or 422
 * probe_roster, naming the certificates (masked) and the rows. */
int api_probe_refused(struct http_request *req, const struct probe_refusal *r);
/* GET /api/v1/probes (the city) and POST /api/v1/probes/clear (its administrator). */
int api_probes_list(struct http_request *req);
int api_probes_clear(struct http_request *req);

/* "Today" as the server sees it (--today, else the date in China). */
int32_t api_today(const struct api *a);
/* The web root (a real path), or NULL; the pages assembled from it (pages.h). */
const char *api_web_root(const struct api *a);
const struct pages *api_pages(const struct api *a);
/*
 * The log key's signed-note name and Ed25519 public key (the audit trail's
 * anchors are checked against its checkpoints): 1, 0 when there is no key
 * store, -1 on error (log.c).
 */
int api_log_key(struct api *a, char *name, size_t name_size, uint8_t pk[32], struct err *err);

/* Helpers of the handler files: the principal and bodies (auth.c), pages (src/http/files.c). */
/* The principal as JSON (no secrets). */
json_t *api_principal_object(const struct principal *p);
/* The body as a JSON object (then wiped: it may hold a password); NULL after a 400. */
json_t *api_body_object(struct http_request *req, const char *shape);
/* A string member, 1..max bytes of printable text; NULL after a 400. */
const char *api_body_string(struct http_request *req, json_t *o, const char *key, const char *label,
                            size_t max);
/* Wipe the string members named in keys (NULL-terminated), then free o. */
void api_body_free(json_t *o, const char *const *keys);
/* A page file under the web root (src/http/files.c), for handlers elsewhere. */
int api_page_file(struct http_request *req, const char *file);
/* The 404 page for an object missing or outside the caller's scope. */
int api_not_found_page(struct http_request *req);

#endif
