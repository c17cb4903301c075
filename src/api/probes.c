/*
 * probes.c - the probe limit (probe.h) over HTTP: the gate the routes
 * that compare a presented ID number (or look up an emergency-management
 * number) pass their tries through, the refusal answers (429 probe_limit
 * with Retry-After, 422 probe_roster), and the city's view of it:
 * GET /api/v1/probes (counts per subject) and POST /api/v1/probes/clear
 * (the city administrator clears a subject, or one certificate of it).
 *
 * Threat model: the gate exists so that no answer of this server lets
 * anyone try ID numbers until one matches.  A refusal depends only on what
 * the request presents and on misses earlier answers already revealed;
 * a request that has misses to record is decided again inside the
 * writer's transaction that records them, so concurrent requests cannot
 * all slip under the limit.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api.h"
#include "date.h"
#include "probe.h"

#define SUBJECT_MAX (PROBE_SUBJECT_SIZE - 1)
#define NUMBER_MAX  64

void api_probe_subject(struct http_request *req, char out[PROBE_SUBJECT_SIZE])
{
	if (req->signed_in)
		probe_subject_account(req->who.login, out);
	else
		probe_subject_address(http_client_addr(req), out);
}

static void actor_of(struct http_request *req, struct actor *who)
{
	principal_actor(req->signed_in ? &req->who : NULL, http_client_addr(req), who);
}

int api_probe_refused(struct http_request *req, const struct probe_refusal *r)
{
	json_t *numbers = json_array(), *rows = json_array(), *e;
	struct err err;
	size_t i;
	int limit = r->reason == PROBE_REFUSED_LIMIT;

	err_clear(&err);
	probe_refusal_err(r, &err);
	for (i = 0; numbers && i < r->nnumbers; i++)
		json_array_append_new(numbers, json_string(r->numbers[i]));
	for (i = 0; rows && i < r->nrows; i++)
		json_array_append_new(rows, json_integer(r->rows[i]));
	e = json_pack("{s:s,s:s,s:o,s:o}", "code", probe_reason_code(r->reason), "message", err.msg,
	              "numbers", numbers ? numbers : json_array(), "rows",
	              rows ? rows : json_array());
	if (limit)
		req->reply.retry_after =
		    (unsigned)(r->retry_after > 0 ? r->retry_after : PROBE_WINDOW);
	if (!e) /* the usual error shape without the lists */
		return http_error(req, limit ? HTTP_TOO_MANY_REQUESTS : HTTP_UNPROCESSABLE,
		                  probe_reason_code(r->reason), "%s", err.msg);
	return http_json(req, limit ? HTTP_TOO_MANY_REQUESTS : HTTP_UNPROCESSABLE,
	                 json_pack("{s:o}", "error", e));
}

/* Record a refusal decided on the read side, then answer with it. */
static int refuse(struct http_request *req, const char *subject, const struct probe_refusal *r,
                  struct err *err)
{
	struct actor who;
	struct store *w;
	int rc;

	actor_of(req, &who);
	if (!(w = api_writer_lock(req->api, err)))
		return -1;
	rc = probe_refuse(w, &who, subject, r, date_now_seconds(), err);
	api_writer_unlock(req->api);
	if (rc < 0)
		return -1;
	api_probe_refused(req, r);
	return 1;
}

int api_probe_gate(struct http_request *req, struct store *reader, const char *subject,
                   struct probe_set *set, int roster, struct err *err)
{
	struct probe_refusal r;
	struct actor who;
	struct store *w;
	int64_t now = date_now_seconds();
	int rc;

	if (set->n == 0)
		return 0;
	if (roster && probe_roster_check(set, &r))
		return refuse(req, subject, &r, err);
	rc = probe_admit(reader, subject, set, now, &r, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return refuse(req, subject, &r, err);
	if (!probe_set_has_miss(set))
		return 0;
	actor_of(req, &who);
	if (!(w = api_writer_lock(req->api, err)))
		return -1;
	rc = probe_settle(w, &who, subject, set, now, &r, err);
	api_writer_unlock(req->api);
	if (rc == 1)
		api_probe_refused(req, &r);
	return rc;
}

int api_probe_number(struct http_request *req, struct store *reader, const char *number, int absent,
                     struct err *err)
{
	char subject[PROBE_SUBJECT_SIZE];
	struct probe_set set;
	int rc;

	probe_set_init(&set);
	rc = probe_set_add_number(&set, store_pii_key(reader), number, 0, absent, err);
	if (rc == 0 && set.n) {
		api_probe_subject(req, subject);
		rc = api_probe_gate(req, reader, subject, &set, 0, err);
	}
	probe_set_release(&set);
	return rc;
}

/* ------------------------------------------------------------------ */
/* GET /api/v1/probes */

static int add_subject(void *arg, const struct store_probe_summary *s)
{
	char when[32];
	json_t *o;

	date_time_china(s->last, when);
	o = json_pack("{s:s,s:s,s:I,s:I,s:I,s:I,s:I,s:s}", "subject", s->subject, "kind",
	              strncmp(s->subject, "account:", 8) == 0 ? "account" : "address",
	              "certificates", (json_int_t)s->certificates, "misses", (json_int_t)s->misses,
	              "refusals", (json_int_t)s->refusals, "at_limit", (json_int_t)s->at_limit,
	              "last", (json_int_t)s->last, "last_time", when);
	return !o || json_array_append_new(arg, o) < 0 ? 1 : 0;
}

int api_probes_list(struct http_request *req)
{
	struct store *st;
	struct err err;
	json_t *list = json_array();
	int rc;

	err_clear(&err);
	if (!list)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	if (!(st = api_reader(req->api, &err))) {
		json_decref(list);
		return http_internal(req, &err);
	}
	rc = probe_each(st, date_now_seconds(), add_subject, list, &err);
	if (rc) {
		json_decref(list);
		if (rc < 0)
			return http_internal(req, &err);
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	}
	return http_json(req, HTTP_OK,
	                 json_pack("{s:i,s:I,s:i,s:o}", "limit", PROBE_LIMIT, "window",
	                           (json_int_t)PROBE_WINDOW, "roster_ids", PROBE_ROSTER_IDS,
	                           "subjects", list));
}

/* ------------------------------------------------------------------ */
/* POST /api/v1/probes/clear {"subject": "account:LOGIN", "number": optional} */

int api_probes_clear(struct http_request *req)
{
	char subject[PROBE_SUBJECT_SIZE];
	static const char *const wipe[] = {"number", NULL};
	const char *text, *number = NULL, *key;
	struct actor who;
	struct store *st;
	struct err err;
	json_t *body, *v;
	long cleared = 0;
	int rc = -1;

	body =
	    api_body_object(req, "{\"subject\": \"核对对象\", \"number\": \"证书编号（选填）\"}");
	if (!body)
		return 0;
	json_object_foreach(body, key, v)
	{
		if (strcmp(key, "subject") != 0 && strcmp(key, "number") != 0) {
			http_error(req, HTTP_BAD_REQUEST, "unknown_field",
			           "不认识的字段“%.64s”（可用：subject、number）", key);
			api_body_free(body, wipe);
			return 0;
		}
	}
	if (!(text = api_body_string(req, body, "subject", "核对对象", SUBJECT_MAX)) ||
	    (json_object_get(body, "number") && !json_is_null(json_object_get(body, "number")) &&
	     !(number = api_body_string(req, body, "number", "证书编号", NUMBER_MAX)))) {
		api_body_free(body, wipe);
		return 0;
	}
	err_clear(&err);
	if (probe_subject_parse(text, subject, &err) < 0) {
		api_body_free(body, wipe);
		return http_fail(req, HTTP_BAD_REQUEST, "bad_subject", &err);
	}
	actor_of(req, &who);
	if ((st = api_writer_lock(req->api, &err))) {
		rc = probe_clear(st, &who, subject, number, date_now_seconds(), &cleared, &err);
		api_writer_unlock(req->api);
	}
	api_body_free(body, wipe);
	if (rc < 0)
		return http_fail(req, HTTP_BAD_REQUEST, "invalid", &err);
	return http_json(
	    req, HTTP_OK,
	    json_pack("{s:s,s:I}", "subject", subject, "cleared", (json_int_t)cleared));
}
