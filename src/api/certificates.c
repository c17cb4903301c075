/*
 * certificates.c - GET /api/v1/certificates/{number} and its page: one
 * register record for a signed-in user.
 *
 * The record comes with its ID number masked (and an emergency-management
 * number, which contains one).  With ?full_id=1 a caller who may see the
 * full ID number (worker_sees_full_id: the city roles; a district officer
 * or a company user when the holder is registered, with that ID number, on
 * a running project of their district or one the company builds) gets the
 * full record, and the view is recorded in the audit trail before the
 * answer leaves; anyone else asking for it gets 403.
 *
 * Numbers are sequential, so who may read which record at all is a rule
 * too (worker_sees_record: a company the holders working on its projects,
 * a training institution those trained there).  A record outside the
 * caller's scope answers exactly as a missing number does, the API and the
 * page alike, and before anything else is said about it (so ?full_id=1 on
 * it gets that 404, not a 403).  Whether an emergency-management number
 * ("T" + an ID number) is in the register says whether that ID number is
 * right, so such look-ups pass the probe limit (probe.h, api_probe_gate).
 */
#include <stdio.h>
#include <string.h>

#include "api.h"
#include "cert.h"
#include "certno.h"
#include "date.h"
#include "trail.h"
#include "worker.h"

/* Record a full view in the trail, through the writer. */
static int log_view(struct http_request *req, const struct cert *c, struct err *err)
{
	char masked[CERTNO_SIZE], object[CERTNO_SIZE + 8];
	struct actor who;
	struct store *w;
	int rc;

	principal_actor(&req->who, http_client_addr(req), &who);
	certno_mask(c->number, masked);
	snprintf(object, sizeof(object), "cert:%s", masked);
	w = api_writer_lock(req->api, err);
	if (!w)
		return -1;
	rc = trail_view(w, &who, date_now_seconds(), "id.view", object, err);
	api_writer_unlock(req->api);
	return rc;
}

/* The record of number into *c when there is one and the caller may read
 * it: 1; 0 when either is not so (one answer for both); -1 error. */
static int visible_record(struct store *st, struct http_request *req, const char *number,
                          struct cert *c, struct err *err)
{
	int rc = store_cert_get(st, number, c, err);

	if (rc == 1)
		rc = worker_sees_record(st, &req->who, number, err);
	if (rc != 1)
		memset(c, 0, sizeof(*c));
	return rc;
}

int api_certificate(struct http_request *req)
{
	const char *number = http_param(req, 0), *full_arg;
	struct certno no;
	struct cert c;
	struct store *st;
	struct err err;
	size_t len = 0;
	int full = 0, rc;
	json_t *rec;

	err_clear(&err);
	full_arg = http_arg(req, "full_id", &len);
	if (full_arg) {
		if (len != 1 || (full_arg[0] != '0' && full_arg[0] != '1'))
			return http_error(req, HTTP_BAD_REQUEST, "bad_argument",
			                  "参数 full_id 应为 0 或 1");
		full = full_arg[0] == '1';
	}
	if (!number || certno_parse(number, strlen(number), &no) < 0)
		return http_error(req, HTTP_BAD_REQUEST, "bad_number", "证书编号格式无效");
	st = api_reader(req->api, &err);
	if (!st)
		return http_internal(req, &err);
	rc = visible_record(st, req, no.text, &c, &err);
	if (rc < 0)
		return http_internal(req, &err);
	/* An emergency-management number holds an ID number: its presence
	 * in the register is counted by the probe limit (probe.h). */
	if (no.system == SYS_EMERGENCY) {
		int gate = api_probe_number(req, st, no.text, rc == 0, &err);

		if (gate != 0) {
			memset(&c, 0, sizeof(c));
			return gate < 0 ? http_internal(req, &err) : 0;
		}
	}
	if (rc == 0)
		return http_error(req, HTTP_NOT_FOUND, "not_found", "登记库中没有这本证书");
	rc = full ? worker_sees_full_id(st, &req->who, no.text, &err) : 1;
	if (rc == 1 && full && log_view(req, &c, &err) < 0)
		rc = -1;
	if (rc <= 0) {
		memset(&c, 0, sizeof(c));
		if (rc < 0)
			return http_internal(req, &err);
		return http_error(req, HTTP_FORBIDDEN, "forbidden", "无权查看完整身份证号码");
	}
	rec = cert_record_json(&c, full);
	memset(&c, 0, sizeof(c));
	if (!rec)
		return http_error(req, HTTP_INTERNAL_ERROR, "internal", "服务器内存不足");
	return http_json(req, HTTP_OK, json_pack("{s:o,s:b}", "certificate", rec, "full_id", full));
}

/* GET /certificates/{number}: the page (its script asks the API above),
 * or the not-found page when there is no record the caller may read under
 * that number (a malformed one included). */
int api_certificate_page(struct http_request *req)
{
	const char *number = http_param(req, 0);
	struct certno no;
	struct cert c;
	struct store *st;
	struct err err;
	int rc;

	err_clear(&err);
	if (!number || certno_parse(number, strlen(number), &no) < 0)
		return api_not_found_page(req);
	st = api_reader(req->api, &err);
	if (!st)
		return http_internal(req, &err);
	rc = visible_record(st, req, no.text, &c, &err);
	memset(&c, 0, sizeof(c));
	if (rc < 0)
		return http_internal(req, &err);
	if (rc == 0)
		return api_not_found_page(req);
	return api_page_file(req, "certificate.html");
}
