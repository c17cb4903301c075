/*
 * audit.c - the audit trail over HTTP: GET /api/v1/audit (the newest
 * entries first, by login and date) and GET /api/v1/audit/verify
 * (trail_verify's report: the hash chain, and its anchors in the
 * transparency log checked against the log key).  The entries' personal
 * fields were masked when they were written (trail.h).
 */
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_int.h"
#include "date.h"
#include "trail.h"

#define AUDIT_LIMIT 200  /* entries GET /api/v1/audit returns by default */
#define AUDIT_MAX   1000 /* ... and at most */
#define FINDINGS    200  /* findings GET /api/v1/audit/verify lists */

static json_t *trail_entry_object(const struct store_trail_entry *e)
{
	json_t *o = json_object(), *d = NULL;
	char when[32];
	int r = role_parse(e->role);

	if (!o)
		return NULL;
	date_time_china(e->at, when);
	if (e->has_detail) {
		d = json_loads(e->detail, JSON_DECODE_ANY, NULL);
		if (!d)
			d = json_string(e->detail);
	}
	json_object_set_new(o, "seq", json_integer((json_int_t)e->seq));
	json_object_set_new(o, "time", json_string(when));
	json_object_set_new(o, "at", json_integer((json_int_t)e->at));
	json_object_set_new(o, "login", json_string(e->login));
	json_object_set_new(o, "role", json_string(e->role));
	json_object_set_new(o, "role_label",
	                    json_string(r >= 0                        ? role_label((enum role)r)
	                                : strcmp(e->role, "cli") == 0 ? "命令行"
	                                                              : e->role));
	json_object_set_new(o, "addr", json_string(e->addr));
	json_object_set_new(o, "action", json_string(e->action));
	json_object_set_new(o, "object", json_string(e->object));
	json_object_set_new(o, "detail", d ? d : json_null());
	return o;
}

/* The newest `cap` entries of a walk, in a ring. */
struct audit_ring {
	json_t **slot;
	size_t cap, n, next;
	int64_t total;
};

static int audit_keep(void *arg, const struct store_trail_entry *e)
{
	struct audit_ring *r = arg;
	json_t *o = trail_entry_object(e);

	if (!o)
		return -1;
	if (r->n == r->cap)
		json_decref(r->slot[r->next]);
	else
		r->n++;
	r->slot[r->next] = o;
	r->next = (r->next + 1) % r->cap;
	r->total++;
	return 0;
}

/* GET /api/v1/audit[?user=LOGIN&since=DATE&limit=N]: the newest entries first. */
int api_audit_list(struct http_request *req)
{
	struct trail_filter f = {NULL, INT64_MIN};
	struct audit_ring ring = {NULL, AUDIT_LIMIT, 0, 0, 0};
	const char *since, *limit;
	struct store *st;
	struct err err;
	json_t *list = NULL;
	int32_t day;
	size_t i;
	int64_t n;
	int rc;

	err_clear(&err);
	if (api_text_arg(req, "user", "账号", &f.login) < 0 ||
	    api_text_arg(req, "since", "起始日期", &since) < 0 ||
	    api_text_arg(req, "limit", "条数", &limit) < 0)
		return 0;
	if (since) {
		if (date_parse(since, strlen(since), &day) < 0)
			return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
			                  "参数 since（起始日期）“%s”无效（应如 2026-06-01）",
			                  since);
		f.since = (int64_t)day * 86400 - 8 * 3600; /* Beijing midnight */
	}
	if (limit) {
		if (!api_parse_id(limit, &n) || n > AUDIT_MAX)
			return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
			                  "参数 limit（条数）应为 1 至 %d 的整数", AUDIT_MAX);
		ring.cap = (size_t)n;
	}
	if (!(st = api_reader(req->api, &err)))
		return http_internal(req, &err);
	ring.slot = calloc(ring.cap, sizeof(*ring.slot));
	if (!ring.slot || !(list = json_array())) {
		free(ring.slot);
		return api_no_memory(req);
	}
	rc = trail_each(st, &f, audit_keep, &ring, &err);
	for (i = 0; i < ring.n; i++) {
		json_t *o = ring.slot[(ring.next + ring.cap - 1 - i) % ring.cap];

		if (rc == 0)
			json_array_append(list, o);
		json_decref(o);
	}
	free(ring.slot);
	if (rc != 0) {
		json_decref(list);
		return api_walk_fail(req, rc, &err);
	}
	return http_json(req, HTTP_OK,
	                 json_pack("{s:I,s:b,s:o}", "total", (json_int_t)ring.total, "truncated",
	                           ring.total > (int64_t)ring.n, "entries", list));
}

static json_t *count_or_null(int64_t v)
{
	return v > 0 ? json_integer((json_int_t)v) : json_null();
}

/* GET /api/v1/audit/verify: trail_verify's report. */
int api_audit_verify(struct http_request *req)
{
	struct trail_verify_options o;
	struct trail_report r;
	struct store *st;
	struct err err;
	uint8_t pk[32];
	char name[256];
	json_t *out, *counts, *findings;
	size_t i, k;
	int rc;

	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	err_clear(&err);
	if (!(st = api_reader(req->api, &err)))
		return http_internal(req, &err);
	rc = api_log_key(req->api, name, sizeof(name), pk, &err);
	if (rc < 0)
		return http_internal(req, &err);
	if (rc == 1) {
		o.key_name = name;
		o.key_pk = pk;
	}
	o.max_findings = FINDINGS;
	if (trail_verify(st, &o, &r, &err) < 0) {
		trail_report_release(&r);
		return http_internal(req, &err);
	}
	counts = json_object();
	findings = json_array();
	for (k = 1; counts && k <= TRAIL_PROBLEM_MAX; k++)
		if (r.counts[k])
			json_object_set_new(counts, trail_problem_code((enum trail_problem)k),
			                    json_integer((json_int_t)r.counts[k]));
	for (i = 0; findings && i < r.nfindings; i++) {
		const struct trail_finding *fd = &r.findings[i];

		json_array_append_new(
		    findings,
		    json_pack(
		        "{s:s,s:s,s:o,s:o,s:s}", "kind", trail_problem_code(fd->kind), "label",
		        trail_problem_label(fd->kind), "seq",
		        fd->seq >= 0 ? json_integer((json_int_t)fd->seq) : json_null(), "log_index",
		        fd->log_index >= 0 ? json_integer((json_int_t)fd->log_index) : json_null(),
		        "message", fd->msg));
	}
	out = json_pack(
	    "{s:b,s:I,s:I,s:I,s:I,s:I,s:b,s:b,s:b,s:o,s:o,s:I,s:o,s:o,s:b}", "ok", r.total == 0,
	    "problems", (json_int_t)r.total, "entries", (json_int_t)r.entries, "head_seq",
	    (json_int_t)r.head_seq, "anchors", (json_int_t)r.anchors, "log_entries",
	    (json_int_t)r.log_entries, "key", rc == 1, "checkpoint", r.checkpoint,
	    "checkpoint_signed", r.checkpoint_signed, "checkpoint_size",
	    count_or_null(r.checkpoint_size), "anchored_seq", count_or_null(r.anchored_seq),
	    "signed_seq", (json_int_t)r.signed_seq, "counts", counts ? counts : json_object(),
	    "findings", findings ? findings : json_array(), "truncated", r.nfindings < r.total);
	trail_report_release(&r);
	return http_json(req, HTTP_OK, out);
}
